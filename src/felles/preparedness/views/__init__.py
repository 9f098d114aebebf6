"""Preparedness pages; one module per topic."""

from felles.preparedness.views.incidents import (
    follow_up_done,
    home,
    incident_close,
    incident_detail,
    incidents,
    statistics,
)
from felles.preparedness.views.ros import analyses, analysis_detail, analysis_sign
from felles.preparedness.views.work import (
    contracts,
    exercise_detail,
    exercises,
    self_report,
    stock,
    stock_check,
)

__all__ = [
    "analyses",
    "analysis_detail",
    "analysis_sign",
    "contracts",
    "exercise_detail",
    "exercises",
    "follow_up_done",
    "home",
    "incident_close",
    "incident_detail",
    "incidents",
    "self_report",
    "statistics",
    "stock",
    "stock_check",
]
