"""Governance writes. Each runs in one transaction and leaves an audit event, and each
declares who may call it (`@allowed`): the page that shows no button and the API call that
tries anyway get the same refusal. System actors (demo, commands) act without a user and
are not checked. One module per topic."""

from felles.governance.services.actions import add_actions, complete_action
from felles.governance.services.cases import (
    answer_hearing,
    decide_case,
    escalate_case,
    raise_case,
    reopen_case,
)
from felles.governance.services.council import (
    declare_unavailability,
    nominate,
    plan_council,
    record_statement,
    submit_budget_proposal,
)
from felles.governance.services.dialogue import (
    ARENA_FIELDS,
    SERIES_FIELDS,
    create_arena,
    record_meeting,
    save_series,
)
from felles.governance.services.rights import (
    DEFAULT_RIGHTS,
    RIGHT_FIELDS,
    save_decision_right,
    seed_decision_rights,
)

__all__ = [
    "ARENA_FIELDS",
    "DEFAULT_RIGHTS",
    "RIGHT_FIELDS",
    "SERIES_FIELDS",
    "add_actions",
    "answer_hearing",
    "complete_action",
    "create_arena",
    "decide_case",
    "declare_unavailability",
    "escalate_case",
    "nominate",
    "plan_council",
    "raise_case",
    "record_meeting",
    "record_statement",
    "reopen_case",
    "save_decision_right",
    "save_series",
    "seed_decision_rights",
    "submit_budget_proposal",
]
