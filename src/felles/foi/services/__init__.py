"""The writers of the foi app (each declares its rule with @allowed)."""

from felles.foi.services.intake import (
    Imported,
    ItemIn,
    import_order_file,
    register_request,
)
from felles.foi.services.retention import erase_requesters
from felles.foi.services.work import (
    assign_case_owner,
    clean_decision,
    decide_appeal,
    decide_item,
    prepare_item,
    record_fuller_reasons,
    register_appeal,
    send_answer,
)

__all__ = [
    "Imported",
    "ItemIn",
    "assign_case_owner",
    "clean_decision",
    "decide_appeal",
    "decide_item",
    "erase_requesters",
    "import_order_file",
    "prepare_item",
    "record_fuller_reasons",
    "register_appeal",
    "register_request",
    "send_answer",
]
