"""Preparedness writes: each in one transaction with its audit event, each declaring who
may call it (`@allowed`). One module per topic."""

from felles.preparedness.services.incidents import (
    add_incident_action,
    close_incident,
    report_incident,
)
from felles.preparedness.services.reminders import send_reminders
from felles.preparedness.services.ros import (
    add_measure,
    add_risk,
    create_analysis,
    sign_analysis,
)
from felles.preparedness.services.work import (
    check_stock,
    evaluate_exercise,
    plan_exercise,
    register_contract,
    save_stock_item,
    submit_self_report,
)

__all__ = [
    "add_incident_action",
    "add_measure",
    "add_risk",
    "check_stock",
    "close_incident",
    "create_analysis",
    "evaluate_exercise",
    "plan_exercise",
    "register_contract",
    "report_incident",
    "save_stock_item",
    "send_reminders",
    "sign_analysis",
    "submit_self_report",
]
