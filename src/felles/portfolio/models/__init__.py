"""The implementation portfolio (the review, chapter 5): programmes and projects with
milestones, dependencies, RAG status, risks, hump costs and staff transfers; the baseline
(nullpunktsanalyse) and benefit plans; and the multi-criteria evaluation of organisational
models (chapter 4). The arithmetic lives in the pure module `portfolio.rules`."""

from felles.portfolio.models.benefits import (
    BaselineImport,
    BaselineMeasure,
    Benefit,
    BenefitRealisation,
)
from felles.portfolio.models.evaluations import Alternative, Criterion, Evaluation, Score
from felles.portfolio.models.projects import (
    ONE_TO_FIVE,
    Dependency,
    ExternalDate,
    HumpCost,
    Milestone,
    Programme,
    Project,
    Risk,
    StaffTransfer,
)

__all__ = [
    "ONE_TO_FIVE",
    "Alternative",
    "BaselineImport",
    "BaselineMeasure",
    "Benefit",
    "BenefitRealisation",
    "Criterion",
    "Dependency",
    "Evaluation",
    "ExternalDate",
    "HumpCost",
    "Milestone",
    "Programme",
    "Project",
    "Risk",
    "Score",
    "StaffTransfer",
]
