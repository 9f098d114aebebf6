"""Governance pages (one module per topic): the case register and the decision log (with an
Atom feed), the decision-rights table, the customer dialogue with its meeting packs and
compliance, and the advisory council."""

from felles.governance.views.cases import (
    DecisionFeed,
    case_detail,
    case_list,
    case_new,
    decision_log,
    decisions_feed,
)
from felles.governance.views.council import council
from felles.governance.views.dialogue import (
    action_done,
    dialogue,
    meeting_pack,
    my_actions,
    series_detail,
)
from felles.governance.views.rights import right_edit, rights

__all__ = [
    "DecisionFeed",
    "action_done",
    "case_detail",
    "case_list",
    "case_new",
    "council",
    "decision_log",
    "decisions_feed",
    "dialogue",
    "meeting_pack",
    "my_actions",
    "right_edit",
    "rights",
    "series_detail",
]
