"""The portfolio with the database: the seeded evaluations reproduce the review's
recommendations, benefits are never double counted, status and risk rules, baseline
import all-or-nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from felles.core.actor import Actor
from felles.core.models import AuditEvent
from felles.core.services import Conflict, Forbidden, ServiceError
from felles.portfolio import importing, selectors, services
from felles.portfolio.models import BaselineMeasure, Evaluation, Project

# Hearing deadlines, working days and «today» depend on the date.
pytestmark = pytest.mark.usefixtures("frozen_clock")

D = Decimal


@pytest.fixture
def portfolio(shop, actor) -> Any:
    services.seed_evaluations(actor=actor)
    services.seed_portfolio(actor=actor)
    shop.projects = {p.code: p for p in Project.objects.all()}
    return shop


@pytest.mark.parametrize(
    ("code", "winner"),
    [
        ("hr", "Modell 1: samhandlingsmodell"),
        ("informasjonsforvaltning", "Modell 2: helhetlig informasjonsforvaltning i DIO"),
        ("sikkerhet", "Modell 3: sikkerhet som fellestjeneste i departementsfellesskapet"),
        ("servicetjenester", "Modell 1: samordning av servicetjenester"),
    ],
)
def test_seeded_evaluations_reproduce_the_reviews_recommendations(
    portfolio, code: str, winner: str
) -> None:
    computed = selectors.compute(Evaluation.objects.get(code=code))
    assert computed.ranking[0][0] == winner
    assert computed.ranking[-1][0].startswith(("0-alternativet", "Modell 0"))
    # The recommendation is not a knife-edge: it wins most weight draws too.
    assert computed.wins[winner] > 50
    # Every score says what it rests on.
    assert all(s.justification for row in computed.matrix for s in row["scores"])


def test_hr_turns_to_model_2_only_if_quality_counts_far_less(portfolio) -> None:
    evaluation = Evaluation.objects.get(code="hr")
    quality = next(
        r for r in selectors.compute(evaluation).sensitivity if r.criterion == "Kvalitet"
    )
    assert quality.low > 0  # below this weight the ranking changes
    what_if = selectors.compute(evaluation, {"kvalitet": 0.0})
    assert what_if.custom and what_if.ranking[0][0] == "Modell 2: samordningsmodell (felles HR)"


def test_benefits_are_never_double_counted(portfolio) -> None:
    p = portfolio
    hr, security = p.projects["hr"], p.projects["sikkerhet"]
    area = hr.area
    values = {
        "kind": "fte_freed",
        "ministry": p.kud,
        "area": area,
        "measure": "Årsverk i lokal HR",
        "baseline_value": D(10),
        "target_value": D(7),
        "target_on": dt.date(2027, 12, 31),
    }
    benefit = services.save_benefit(actor=Actor.system("t"), project=hr, values=values)
    with pytest.raises(Conflict, match="allerede planlagt i prosjektet «HR"):
        services.save_benefit(
            actor=Actor.system("t"), project=security, values={**values, "measure": "Annet navn"}
        )
    services.add_contributor(actor=Actor.system("t"), benefit=benefit, project=security)
    services.save_benefit(
        actor=Actor.system("t"),
        project=hr,
        values={**values, "ministry": p.fin, "baseline_value": D(8), "target_value": D(6)},
    )
    services.record_realisation(
        actor=Actor.system("t"), benefit=benefit, measured_on=dt.date(2026, 6, 30), value=D(9)
    )
    totals = selectors.benefit_totals(selectors.benefits())
    assert totals["fte_freed"] == {"target": D(5), "realised": D(1)}  # 3 + 2 planned, 1 so far
    # Quality benefits are told apart by their measure.
    quality = {**values, "kind": "quality", "measure": "Brukertilfredshet HR"}
    services.save_benefit(actor=Actor.system("t"), project=hr, values=quality)
    services.save_benefit(
        actor=Actor.system("t"), project=hr, values={**quality, "measure": "Svartid HR"}
    )
    with pytest.raises(ServiceError, match="fram i tid"):
        services.record_realisation(
            actor=Actor.system("t"), benefit=benefit, measured_on=dt.date(2099, 1, 1), value=D(1)
        )


def test_status_needs_a_reason_unless_green_and_only_managers_set_it(portfolio) -> None:
    project = portfolio.projects["sikkerhet"]
    with pytest.raises(Forbidden):
        services.update_status(
            actor=Actor(user=portfolio.employee.user), project=project, status="red", reason="x"
        )
    dfd = Actor(user=portfolio.governance.user)
    with pytest.raises(ServiceError, match="begrunnes"):
        services.update_status(actor=dfd, project=project, status="amber", reason=" ")
    project = services.update_status(
        actor=dfd, project=project, status="amber", reason="Rekruttering av tre årsverk forsinket"
    )
    assert (project.status, project.status_on) == ("amber", timezone.localdate())
    event = AuditEvent.objects.get(action="portfolio.project.status")
    assert event.changes["status"] == ["green", "amber"]


def test_risk_scores_and_heat_map(portfolio) -> None:
    project = portfolio.projects["sikkerhet"]
    with pytest.raises(ServiceError, match="1 til 5"):
        services.save_risk(
            actor=Actor.system("t"),
            project=project,
            values={
                "title": "X",
                "likelihood": 6,
                "consequence": 1,
                "residual_likelihood": 1,
                "residual_consequence": 1,
            },
        )
    risk = services.save_risk(
        actor=Actor.system("t"),
        project=project,
        values={
            "title": "Mangel på klarerte medarbeidere",
            "likelihood": 4,
            "consequence": 5,
            "residual_likelihood": 2,
            "residual_consequence": 5,
        },
    )
    assert (risk.score, risk.level, risk.residual_score, risk.residual_level) == (
        20,
        "critical",
        10,
        "high",
    )
    grid = selectors.heat_map(project.risks.all())
    assert grid[1]["likelihood"] == 4 and grid[1]["cells"][4]["count"] == 1
    assert sum(c["count"] for row in grid for c in row["cells"]) == project.risks.count() == 2


def test_dependency_view_flags_a_prerequisite_that_ends_too_late(portfolio) -> None:
    rows = {
        (r.dependency.project.code, str(r.dependency.prerequisite)): r
        for r in selectors.dependency_rows(Project.objects.all())
    }
    # HR starts in March 2026, but the governance model is planned to the end of 2026.
    assert rows[("hr", "Ny styringsmodell for fellestjenestene")].late
    # Security needs the common instruction before it ends (2027): that holds.
    security = rows[("sikkerhet", "Ny styringsmodell for fellestjenestene")]
    assert not security.late and security.due == dt.date(2026, 12, 31)
    # Service functions must be in operation at the move into the government quarter.
    move = next(r for (code, _), r in rows.items() if code == "servicetjenester")
    assert not move.late and move.dependency.kind == "ff"


CSV = (
    "departement;område;måltall;navn;enhet;verdi;dato\n"
    "KUD;hr;årsverk;;årsverk;12,5;31.12.2025\n"
    "KUD;hr;volum;Rekrutteringer;antall;40;31.12.2025\n"
    "FIN;sikkerhet;kostnad;;kr;1 200 000;31.12.2025\n"
)


def test_baseline_import_is_all_or_nothing_and_idempotent(portfolio) -> None:
    bad = (
        CSV + "XYZ;hr;årsverk;;;1;31.12.2025\nKUD;hr;volum;;;5;2025-12-31\nKUD;hr;årsverk;;;x;1.1\n"
    )
    plan = importing.plan_baseline(bad.encode(), "kartlegging.csv")
    assert [(e.row, e.column) for e in plan.errors] == [
        (5, "departement"),
        (6, "navn"),
        (7, "verdi"),
        (7, "dato"),
    ]
    assert not BaselineMeasure.objects.exists()
    plan = importing.plan_baseline(CSV.encode(), "kartlegging.csv")
    assert plan.ok and plan.creates == 3
    importing.apply_baseline(actor=Actor.system("t"), plan=plan)
    assert BaselineMeasure.objects.get(ministry=portfolio.fin).value == D("1200000.00")
    again = importing.plan_baseline(CSV.encode(), "kartlegging.csv")
    assert again.ok and (again.creates, again.existing) == (0, 3)
    changed = importing.plan_baseline(CSV.replace("12,5", "13").encode(), "kartlegging.csv")
    assert [e.message[:20] for e in changed.errors] == ["Finnes fra før med v"]


def test_a_ministry_wide_benefit_and_an_area_benefit_never_overlap(portfolio) -> None:
    p = portfolio
    values = {
        "kind": "cost_reduced",
        "ministry": p.kud,
        "area": None,
        "measure": "Kostnader til administrasjon",
        "baseline_value": D(1000),
        "target_value": D(800),
        "target_on": dt.date(2027, 12, 31),
    }
    services.save_benefit(actor=Actor.system("t"), project=p.projects["hr"], values=values)
    with pytest.raises(Conflict, match="allerede planlagt"):
        services.save_benefit(
            actor=Actor.system("t"),
            project=p.projects["sikkerhet"],
            values={**values, "area": p.projects["sikkerhet"].area},
        )


def test_dependencies_refuse_loops_and_external_dates_are_dfds(portfolio) -> None:
    p = portfolio
    system = Actor.system("t")
    # HR already depends on the governance model: the reverse would close a loop.
    with pytest.raises(ServiceError, match="sirkel"):
        services.add_dependency(
            actor=system, project=p.projects["styringsmodell"], on_project=p.projects["hr"]
        )
    with pytest.raises(ServiceError, match="seg selv"):
        services.add_dependency(actor=system, project=p.projects["hr"], on_project=p.projects["hr"])
    with pytest.raises(Forbidden):
        services.save_external_date(
            actor=Actor(user=p.employee.user),
            code="rkv-kud",
            name="KUD flytter inn",
            date=dt.date(2026, 10, 1),
            organisation=p.kud,
        )
    move = services.save_external_date(
        actor=Actor(user=p.governance.user),
        code="rkv-kud",
        name="KUD flytter inn i regjeringskvartalet",
        date=dt.date(2026, 10, 1),
        organisation=p.kud,
    )
    dependency = services.add_dependency(
        actor=system,
        project=p.projects["servicetjenester"],
        on_date=move,
        kind="ff",
        note="Servicetorget må være klart for KUD",
    )
    rows = {r.dependency.pk: r for r in selectors.dependency_rows([p.projects["servicetjenester"]])}
    assert not rows[dependency.pk].late  # October 2026 is before the project ends


def test_table_5_is_complete_with_the_owners_and_contributors_it_names(portfolio) -> None:
    p = portfolio.projects
    for code in ("kontorstotte", "intranett", "sikkerhetsinstruks", "informasjonsstrategi"):
        assert code in p
    assert p["navn-dss"].responsible.abbreviation == "DFD"
    assert p["kontorstotte"].responsible.abbreviation == "DFD"
    assert p["intranett"].responsible.abbreviation == "DIO"
    assert p["sikkerhetsinstruks"].responsible.abbreviation == "JD"
    assert "DFD" in {o.abbreviation for o in p["sikkerhetsinstruks"].contributors.all()}
    assert "DIO" in {o.abbreviation for o in p["informasjonsstrategi"].contributors.all()}
    service = p["servicetjenester"]
    assert service.responsible.abbreviation == "DFD"
    assert "DSS" in {o.abbreviation for o in service.contributors.all()}
    security = {o.abbreviation for o in p["sikkerhet"].contributors.all()}
    assert {"SMK", "KUD", "FIN", "DFD"} <= security


def test_completing_table_5_is_idempotent_on_an_older_programme(portfolio, actor) -> None:
    # A programme seeded before table 5 was complete: a project and contributors missing.
    Project.objects.filter(code="intranett").delete()
    portfolio.projects["sikkerhet"].contributors.clear()
    assert services.seed_portfolio(actor=actor) == 0  # the demo figures are not added again
    assert Project.objects.filter(code="intranett").exists()
    assert portfolio.projects["sikkerhet"].contributors.filter(abbreviation="SMK").exists()
    count = Project.objects.count()
    links = sum(x.contributors.count() for x in Project.objects.all())
    assert services.complete_portfolio(actor=actor) == 0
    assert Project.objects.count() == count
    assert sum(x.contributors.count() for x in Project.objects.all()) == links
