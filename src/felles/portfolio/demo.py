"""Demo portfolio: the review's evaluations and programme (reference data) plus invented
figures to show the pages at work — milestones, statuses, hump costs, staff transfers,
baseline figures and benefit plans with measurements. DEMO DATA: the review gives no such
figures (it says so itself); these are not real."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from felles.catalog.models import ServiceArea
from felles.core.actor import Actor
from felles.organisations.models import Organisation, Person
from felles.portfolio import services
from felles.portfolio.models import BaselineMeasure, Milestone, Project

D = Decimal


def load(*, actor: Actor) -> None:
    """Harmless to call twice: demo figures are added once, with the programme."""
    services.seed_evaluations(actor=actor)
    if not services.seed_portfolio(actor=actor):
        return
    org = {o.abbreviation: o for o in Organisation.objects.all()}
    area = {a.code: a for a in ServiceArea.objects.all()}
    project = {p.code: p for p in Project.objects.all()}
    today = timezone.localdate()
    year = today.year

    marte = Person.objects.filter(user__username="marte").first()
    for code in ("sikkerhet", "servicetjenester"):
        Project.objects.filter(pk=project[code].pk).update(manager=marte)
    services.update_status(
        actor=actor,
        project=project["sikkerhet"],
        status="amber",
        reason="Rekrutteringen av de tre årsverkene i DSS er forsinket (demodata).",
    )
    services.update_status(
        actor=actor,
        project=project["hr"],
        status="red",
        reason="Venter på hovedinstruks og kostnadsdeling fra styringsprosjektet (demodata).",
    )
    for code, name, due, done in (
        ("styringsmodell", "Kongelig resolusjon om DFDs myndighet", dt.date(year, 6, 30), True),
        ("styringsmodell", "Nye hovedinstrukser for DSS og DIO", dt.date(year, 12, 1), False),
        ("servicetjenester", "Servicetorg i nytt regjeringskvartal", dt.date(year, 9, 1), True),
        ("sikkerhet", "Tre årsverk på plass i DSS", dt.date(year, 10, 1), False),
        ("sikkerhet", "Fellestjenesten i drift", dt.date(year + 1, 12, 31), False),
        ("hr", "Grensesnitt lokal HR – DSS avklart", dt.date(year + 1, 3, 1), False),
    ):
        Milestone.objects.create(
            project=project[code], name=name, due_on=due, done_on=due if done else None
        )
    for code, kind, amount, note in (
        ("sikkerhet", "transition", D("3600000"), "Tre årsverk i DSS før drift (demodata)"),
        ("servicetjenester", "transition", D("1800000"), "Omstilling og opplæring (demodata)"),
        ("informasjonsforvaltning", "investment", D("5000000"), "Felles løsning (demodata)"),
    ):
        services.save_hump_cost(
            actor=actor, project=project[code], year=year, kind=kind, amount=amount, note=note
        )
    transfers = (
        ("KUD", D("1.5"), "Servicemedarbeider, sentralbord"),
        ("KLD", D("2.0"), "Servicemedarbeidere"),
    )
    for ministry, fte, roles in transfers:
        services.save_transfer(
            actor=actor,
            project=project["servicetjenester"],
            ministry=org[ministry],
            provider=org["DSS"],
            fte=fte,
            roles=roles,
            transfer_on=dt.date(year, 9, 1),
            status="completed",
        )
    start = dt.date(year - 1, 12, 31)
    baseline = (
        ("KUD", "6", "7200000", "40"),
        ("FIN", "9", "10800000", "55"),
        ("KLD", "5", "6000000", "35"),
    )
    for ministry, fte, cost, floor in baseline:
        for measure, value, unit in (
            ("fte", fte, "årsverk"),
            ("cost", cost, "kr"),
            ("floor_space", floor, "m²"),
        ):
            BaselineMeasure.objects.create(
                ministry=org[ministry],
                area=area["service"],
                measure=measure,
                unit=unit,
                value=D(value),
                measured_on=start,
            )
    for ministry, base, target in (("KUD", "40", "25"), ("FIN", "55", "35")):
        benefit = services.save_benefit(
            actor=actor,
            project=project["servicetjenester"],
            values={
                "kind": "floor_space",
                "ministry": org[ministry],
                "area": area["service"],
                "measure": "Areal til servicefunksjoner (m², demodata)",
                "baseline_value": D(base),
                "target_value": D(target),
                "target_on": dt.date(year + 1, 6, 30),
                "owner": marte,
            },
        )
        services.record_realisation(
            actor=actor,
            benefit=benefit,
            measured_on=min(today, dt.date(year, 10, 1)),
            value=D(base) - D(8),
        )
    fte_benefit = services.save_benefit(
        actor=actor,
        project=project["sikkerhet"],
        values={
            "kind": "fte_freed",
            "ministry": org["KUD"],
            "area": area["sikkerhet"],
            "measure": "Årsverk til sikkerhetsarbeid i KUD (demodata)",
            "baseline_value": D("3"),
            "target_value": D("1.5"),
            "target_on": dt.date(year + 1, 12, 31),
            "owner": marte,
        },
    )
    services.record_realisation(
        actor=actor, benefit=fte_benefit, measured_on=min(today, dt.date(year, 9, 30)), value=D(3)
    )
    services.add_contributor(actor=actor, benefit=fte_benefit, project=project["styringsmodell"])
