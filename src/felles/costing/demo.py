"""A demo cost model for DSS built on the worked example in costing.md §2.4 (NOK instead
of kNOK). DEMO DATA: not DSS's real accounts."""

from __future__ import annotations

from decimal import Decimal

from felles.core.actor import Actor
from felles.costing import services
from felles.costing.models import CostModel
from felles.organisations.models import Organisation

D = Decimal
CENTRES = [
    {
        "code": "ADM",
        "name": "Ledelse, HR og økonomi",
        "kind": "support",
        "direct_cost": D("20000000"),
    },
    {"code": "IKT", "name": "IKT-drift", "kind": "support", "direct_cost": D("30000000")},
    {"code": "SIK", "name": "Sikkerhet og vakthold", "kind": "line", "direct_cost": D("100000000")},
    {
        "code": "KTS",
        "name": "Kontorstøtte og service",
        "kind": "line",
        "direct_cost": D("60000000"),
    },
    {"code": "HRF", "name": "HR-fellestjenester", "kind": "line", "direct_cost": D("40000000")},
]
SHARES = [
    ("ADM", "IKT", D("0.10"), "årsverk"),
    ("ADM", "SIK", D("0.40"), "årsverk"),
    ("ADM", "KTS", D("0.30"), "årsverk"),
    ("ADM", "HRF", D("0.20"), "årsverk"),
    ("IKT", "ADM", D("0.20"), "brukere"),
    ("IKT", "SIK", D("0.30"), "brukere"),
    ("IKT", "KTS", D("0.20"), "brukere"),
    ("IKT", "HRF", D("0.30"), "brukere"),
]
SERVICES = [
    {
        "line": "SIK",
        "service": "srv-ekstra-vakt",
        "share": D("1"),
        "planned_volume": D("150000"),
        "marginal_cost": D("610.00"),
    },
    {"line": "KTS", "service": "srv-moterom", "share": D("0.5"), "planned_volume": D("12000")},
    {
        "line": "KTS",
        "service": "srv-ekstra-renhold",
        "share": D("0.5"),
        "planned_volume": D("40000"),
        "marginal_cost": D("450.00"),
    },
    {"line": "HRF", "service": "hr-rekruttering", "share": D("0.6"), "planned_volume": D("700")},
    {"line": "HRF", "service": "hr-akademiet", "share": D("0.4"), "planned_volume": D("9000")},
]


def load(*, actor: Actor, year: int) -> CostModel:
    dss = Organisation.objects.get(abbreviation="DSS")
    return services.save_cost_model(
        actor=actor,
        provider=dss,
        year=year,
        name="Demomodell (eksempelet i costing.md)",
        description="Demodata: tallene er eksempelet i kostnadsdokumentasjonen, ikke DSS' "
        "regnskap.",
        centres=CENTRES,
        shares=SHARES,
        services=SERVICES,
    )
