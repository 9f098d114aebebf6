"""Portfolio writes (audited, one transaction each). Who may write is checked here against
the same selectors the pages use; system actors (seed, demo) are not checked."""

from felles.portfolio.services.benefits import (
    BENEFIT_FIELDS,
    add_contributor,
    record_realisation,
    save_benefit,
)
from felles.portfolio.services.evaluations import save_weights
from felles.portfolio.services.projects import (
    MANAGERS,
    RISK_FIELDS,
    add_dependency,
    reach_milestone,
    save_external_date,
    save_hump_cost,
    save_milestone,
    save_risk,
    save_transfer,
    update_status,
)
from felles.portfolio.services.reference import (
    complete_portfolio,
    seed_evaluations,
    seed_portfolio,
)

__all__ = [
    "BENEFIT_FIELDS",
    "MANAGERS",
    "RISK_FIELDS",
    "add_contributor",
    "add_dependency",
    "complete_portfolio",
    "reach_milestone",
    "record_realisation",
    "save_benefit",
    "save_external_date",
    "save_hump_cost",
    "save_milestone",
    "save_risk",
    "save_transfer",
    "save_weights",
    "seed_evaluations",
    "seed_portfolio",
    "update_status",
]
