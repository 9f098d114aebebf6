"""Security and preparedness records (metadata only: never graded information). One module
per topic; each record a ministry asked DSS for links to the order (orders.Order)."""

from felles.preparedness.models.incidents import Incident
from felles.preparedness.models.ros import Analysis, Risk, Signature
from felles.preparedness.models.work import (
    ContractPart,
    Exercise,
    GradedContract,
    SelfReport,
    StockCheck,
    StockItem,
)

__all__ = [
    "Analysis",
    "ContractPart",
    "Exercise",
    "GradedContract",
    "Incident",
    "Risk",
    "SelfReport",
    "Signature",
    "StockCheck",
    "StockItem",
]
