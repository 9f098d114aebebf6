"""A demo cost model for DSS built on the worked example in costing.md §2.4 (NOK instead
of kNOK). DEMO DATA: not DSS's real accounts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from felles.catalog.models import ServiceArea
from felles.core.actor import Actor
from felles.costing import importing, services
from felles.costing.models import BudgetPost, CostModel, TransferScenario
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


# DSS's budget posts (the chapters and posts of Prop. 1 S; the amounts are DEMO DATA).
BUDGET = (
    (1510, "01", "Driftsutgifter", "expense", D("820000000"), False, None),
    (1510, "21", "Spesielle driftsutgifter", "expense", D("45000000"), False, None),
    (1510, "22", "Fellesutgifter for departementene", "expense", D("130000000"), False, None),
    (1510, "45", "Større utstyrsanskaffelser og vedlikehold", "expense", D("60000000"), True, None),
    (4510, "02", "Diverse inntekter", "revenue", D("100000000"), False, "01"),
    (4510, "03", "Brukerbetaling", "revenue", D("130000000"), False, "01"),
)


def load_budget(*, actor: Actor, year: int, as_of: Any) -> None:
    """DSS's budget for the year and a ledger import as of `as_of` (DEMO DATA)."""
    dss = Organisation.objects.get(abbreviation="DSS")
    if BudgetPost.objects.filter(provider=dss, year=year).exists():
        return
    posts: dict[str, BudgetPost] = {}
    for chapter, post, name, kind, amount, transferable, funds in BUDGET:
        posts[f"{chapter}.{post}"] = services.save_budget_post(
            actor=actor,
            provider=dss,
            year=year,
            chapter=chapter,
            post=post,
            values={
                "name": name,
                "kind": kind,
                "amount": amount,
                "transferable": transferable,
                "funds": posts.get(f"1510.{funds}") if funds else None,
            },
        )
    # Spending and revenue to date, roughly in step with the year.
    share = D(as_of.timetuple().tm_yday) / D(365)
    lines = ["kapittel;post;beløp;dato"]
    for chapter, post, _name, _kind, amount, _t, _f in BUDGET:
        pace = D("1.06") if (chapter, post) in ((4510, "03"), (1510, "01")) else D("0.93")
        to_date = (amount * share * pace).quantize(D("0.01"))
        lines.append(f"{chapter};{post};{to_date};{as_of:%d.%m.%Y}")
    plan = importing.plan_ledger(dss, year, "\n".join(lines).encode(), "regnskap-demo.csv")
    importing.apply_ledger(actor=actor, provider=dss, year=year, plan=plan)


def load_transfers(*, actor: Actor, year: int) -> None:
    """The worked example of costing.md §1.7 as a resource mapping and two scenarios."""
    dss = Organisation.objects.get(abbreviation="DSS")
    if TransferScenario.objects.filter(provider=dss, year=year).exists():
        return
    mapping = (
        "departement;område;årsverk;merknad\n"
        "FIN;hr;2,5;Eksempel i costing.md\nKD;hr;2,0;Eksempel\nLMD;hr;1,5;Eksempel\n"
    )
    plan = importing.plan_mapping(year, mapping.encode(), "kartlegging-demo.csv")
    importing.apply_mapping(actor=actor, year=year, plan=plan)
    hr = ServiceArea.objects.filter(code="hr")
    base = {
        "average_salary": D(750_000),
        "pension_rate": D("0.12"),
        "employer_tax_rate": D("0.141"),
        "operating_cost_per_fte": D(150_000),
        "rent_per_workplace": D(90_000),
        "target": "kap. 1510 post 01",
    }
    services.save_scenario(
        actor=actor,
        provider=dss,
        year=year,
        name="Med frigjort areal",
        values={**base, "releases_space": True},
        areas=list(hr),
    )
    services.save_scenario(
        actor=actor,
        provider=dss,
        year=year,
        name="Uten areal, 0,5 % gevinstuttak",
        values={**base, "releases_space": False, "efficiency_cut": D("0.005")},
        areas=list(hr),
    )
