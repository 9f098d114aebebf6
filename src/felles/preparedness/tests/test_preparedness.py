"""Incidents, ROS analyses, exercises, stock, graded procurements and self-reports: who
sees and does what, and bad input refused with nothing saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from felles.core.actor import Actor
from felles.core.services import Conflict, Forbidden, ServiceError
from felles.governance import selectors as governance_selectors
from felles.governance import services as governance_services
from felles.preparedness import selectors, services
from felles.preparedness.models import (
    Analysis,
    GradedContract,
    Incident,
    Risk,
    SelfReport,
)
from felles.security.models import Level


def as_(person: Any) -> Actor:
    return Actor(user=person.user)


def report(p: Any, who: Any, days: int = 1, **extra: Any) -> Incident:
    values = {
        "kind": "loss",
        "occurred_at": timezone.now() - dt.timedelta(days=days),
        "severity": 2,
        "summary": "Mistet adgangskort",
        **extra,
    }
    return services.report_incident(actor=as_(who), reporter=who, **values)


def visible(model_qs: Any, who: Any) -> set[int]:
    return set(model_qs.visible_to(who.user).values_list("pk", flat=True))


def test_incident_visibility_reporter_coordinator_and_dss_team(sec) -> None:
    p = sec
    incident = report(p, p.employee)
    assert incident.ministry == p.kud
    for who in (p.employee, p.knut, p.sigrid):
        assert incident.pk in visible(Incident.objects, who)
    for who in (p.manager, p.coordinator, p.outsider, p.agent, p.governance, p.frode):
        assert incident.pk not in visible(Incident.objects, who)
    # Only the coordinator and the team follow up.
    with pytest.raises(Forbidden):
        services.add_incident_action(
            actor=as_(p.employee),
            incident=incident,
            text="Sperre kortet",
            owner=p.knut,
            due_on=dt.date(2026, 12, 10),
        )
    item = services.add_incident_action(
        actor=as_(p.knut),
        incident=incident,
        text="Sperre kortet",
        owner=p.sigrid,
        due_on=dt.date(2026, 12, 10),
    )
    governance_services.complete_action(actor=as_(p.sigrid), item=item)
    with pytest.raises(Conflict):
        governance_services.complete_action(actor=as_(p.sigrid), item=item)
    services.close_incident(actor=as_(p.sigrid), incident=incident)


def test_an_incidents_action_item_is_seen_by_its_readers_and_its_owner_only(sec) -> None:
    """Governance's action items are the incident's follow-up: Per (KUD's leader, who
    does not see the incident) owns one: he sees and completes his item, without a link to
    the incident; the ordering coordinator sees nothing of it."""
    p = sec
    incident = report(p, p.employee)
    item = services.add_incident_action(
        actor=as_(p.knut),
        incident=incident,
        text="Gå gjennom adgangskortene",
        owner=p.manager,
        due_on=dt.date(2026, 12, 10),
    )
    assert list(incident.actions.all()) == [item]
    [own] = governance_selectors.actions_of(p.manager.user)
    assert (own.item, own.url, own.source) == (item, None, "sikkerhetshendelse")
    [knuts] = governance_selectors.subject_actions(incident)
    assert knuts == item and governance_selectors.actions_of(p.knut.user) == []
    assert governance_selectors.may_see_action(p.knut.user, item)
    assert not governance_selectors.may_see_action(p.coordinator.user, item)
    with pytest.raises(Forbidden):
        governance_services.complete_action(actor=as_(p.coordinator), item=item)
    governance_services.complete_action(actor=as_(p.manager), item=item)
    # The reporter sees the incident, so her own item links to it.
    mine = services.add_incident_action(
        actor=as_(p.knut),
        incident=incident,
        text="Ny kode",
        owner=p.employee,
        due_on=dt.date(2026, 12, 11),
    )
    [own] = governance_selectors.actions_of(p.employee.user, open_only=True)
    assert own.item == mine and own.url.endswith(f"/{incident.uuid}/")


def test_an_incidents_action_is_owned_in_the_ministry_or_by_the_handling_team(sec) -> None:
    """The action's text is the incident's business: KUD's people and DSS's sik-hendelse
    team (Sigrid) may own it; Ole (DSS, not on the team) and Frode (FIN) may not."""
    p = sec
    incident = report(p, p.employee)
    owners = set(selectors.owners_for({p.kud.pk}, selectors.INCIDENT_CODES))
    assert {p.employee, p.knut, p.manager, p.sigrid} <= owners
    assert not {p.agent, p.frode} & owners
    for outsider in (p.agent, p.frode):
        with pytest.raises(ServiceError, match="team for tjenesten"):
            services.add_incident_action(
                actor=as_(p.knut),
                incident=incident,
                text="Sperre kortet",
                owner=outsider,
                due_on=dt.date(2026, 12, 10),
            )
    assert not incident.actions.exists()


@pytest.mark.parametrize(
    ("bad", "match"),
    [
        ({"kind": "spionasje"}, "Ukjent type"),
        ({"severity": 9}, "Alvorlighet"),
        ({"summary": "  "}, "Beskriv"),
        ({"summary": "a\x00b"}, "kontrolltegn"),
        ({"summary": "x" * 2001}, "høyst 2000"),
        ({"occurred_at": timezone.now() + dt.timedelta(days=2)}, "fram i tid"),
    ],
)
def test_bad_incidents_are_refused_and_nothing_saved(sec, bad, match) -> None:
    with pytest.raises(ServiceError, match=match):
        report(sec, sec.employee, **bad)
    assert not Incident.objects.exists()


def test_someone_cannot_report_in_anothers_name(sec) -> None:
    with pytest.raises(Forbidden):
        services.report_incident(
            actor=as_(sec.outsider),
            reporter=sec.employee,
            kind="loss",
            occurred_at=timezone.now(),
            severity=1,
            summary="x",
        )


def test_statistics_suppress_small_counts(sec) -> None:
    p = sec
    for _ in range(3):
        report(p, p.employee)
    report(p, p.outsider)
    stats = selectors.incident_statistics(dt.date(2000, 1, 1))
    rows = {r["ministry"]: r["cells"] for r in stats["rows"]}
    assert rows["KUD"] == [3]
    assert rows["FIN"] == [None]  # one incident: shown as «<3»
    assert stats["totals"] == [None]  # 3 + hidden would reveal it


def make_analysis(p: Any, **extra: Any) -> Analysis:
    values = {"title": "ROS KUD", "scope": "Kontorlokaler", "ministries": [p.kud], **extra}
    return services.create_analysis(actor=as_(p.knut), created_by=p.knut, **values)


def add_risk(p: Any, analysis: Analysis, who: Any = None, **extra: Any) -> Risk:
    values = {
        "asset": "Møterom",
        "threat": "Avlytting",
        "vulnerability": "Mobiler",
        "likelihood": 3,
        "consequence": 4,
        "residual_likelihood": 2,
        "residual_consequence": 3,
        **extra,
    }
    return services.add_risk(actor=as_(who or p.knut), analysis=analysis, **values)


def test_ros_sign_off_by_the_leader_only(sec) -> None:
    p = sec
    analysis = make_analysis(p)
    add_risk(p, analysis)
    for who in (p.knut, p.employee, p.sigrid, p.coordinator):
        with pytest.raises(Forbidden, match="Bare departementets leder"):
            services.sign_analysis(actor=as_(who), analysis=analysis)
    assert not analysis.signatures.exists()
    signed = services.sign_analysis(actor=as_(p.manager), analysis=analysis)
    assert signed.status == Analysis.Status.SIGNED
    assert signed.next_review_on == signed.signed_on.replace(year=signed.signed_on.year + 1)
    with pytest.raises(Conflict):
        services.sign_analysis(actor=as_(p.manager), analysis=signed)
    add_risk(p, signed)  # a change reopens the analysis
    signed.refresh_from_db()
    assert signed.status == Analysis.Status.DRAFT and not signed.signatures.exists()


def test_ros_dss_works_only_under_an_order(sec) -> None:
    p = sec
    plain = make_analysis(p)
    assert plain.pk not in visible(Analysis.objects, p.sigrid)
    with pytest.raises(Forbidden):
        add_risk(p, plain, who=p.sigrid)
    from felles.orders import services as order_services

    ros = p.services["sik-ros"]
    order = order_services.submit_order(
        actor=as_(p.manager),
        orderer=p.manager,
        service=ros,
        answers={f.key: {"label": f.label_nb, "value": "ROS"} for f in ros.fields.all()},
    )
    ordered = make_analysis(p, order=order)
    assert ordered.pk in visible(Analysis.objects, p.sigrid)
    assert ordered.pk not in visible(Analysis.objects, p.agent)
    assert ordered.pk not in visible(Analysis.objects, p.outsider)
    add_risk(p, ordered, who=p.sigrid)
    services.add_measure(
        actor=as_(p.sigrid),
        analysis=ordered,
        text="Mobilskap",
        owner=p.knut,
        due_on=dt.date(2027, 1, 31),
    )
    [measure] = ordered.measures.all()
    assert measure.about is None and measure.owner == p.knut
    # A measure's owner is of KUD or on the ROS team, not any DSS employee (Ole).
    with pytest.raises(ServiceError, match="team for tjenesten"):
        services.add_measure(
            actor=as_(p.sigrid),
            analysis=ordered,
            text="Skap",
            owner=p.agent,
            due_on=dt.date(2027, 1, 31),
        )


@pytest.mark.parametrize(
    ("bad", "match"),
    [
        ({"likelihood": 6}, "1 til 5"),
        ({"residual_likelihood": 5, "residual_consequence": 5}, "Restrisikoen"),
        ({"asset": ""}, "verdien"),
    ],
)
def test_bad_risks_are_refused(sec, bad, match) -> None:
    analysis = make_analysis(sec)
    with pytest.raises(ServiceError, match=match):
        add_risk(sec, analysis, **bad)
    assert not Risk.objects.exists()


def test_joint_analysis_needs_every_leader(sec, actor) -> None:
    p = sec
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    fin_leader = make_person(p.fin, "finleder", roles=[Role.LINE_MANAGER])
    joint = services.create_analysis(
        actor=actor,
        title="Regjeringskvartalet",
        scope="Felles arealer",
        ministries=[p.kud, p.fin],
        created_by=p.knut,
    )
    add_risk(p, joint, who=p.frode)  # FIN's coordinator works on it too
    services.sign_analysis(actor=as_(p.manager), analysis=joint)
    joint.refresh_from_db()
    assert joint.status == Analysis.Status.DRAFT
    services.sign_analysis(actor=as_(fin_leader), analysis=joint)
    joint.refresh_from_db()
    assert joint.status == Analysis.Status.SIGNED


def test_review_reminder_goes_once(sec, actor) -> None:
    p = sec
    analysis = make_analysis(p)
    add_risk(p, analysis)
    services.sign_analysis(actor=as_(p.manager), analysis=analysis)
    analysis.refresh_from_db()
    day = analysis.next_review_on - dt.timedelta(days=10)
    assert services.send_reminders(actor=actor, today=day)["reviews"] == 1
    assert services.send_reminders(actor=actor, today=day)["reviews"] == 0


def test_graded_procurement_needs_a_covering_clearance(sec) -> None:
    p = sec
    kwargs = {
        "ministry": p.kud,
        "title": "Sikring",
        "supplier": "Leverandør AS",
        "agreement_on": dt.date(2026, 1, 1),
    }
    with pytest.raises(ServiceError, match="dekker ikke"):
        services.register_contract(
            actor=as_(p.knut),
            parts=[("Skjerming", Level.HEMMELIG)],
            clearance_level=Level.KONFIDENSIELT,
            clearance_expires_on=dt.date(2027, 1, 1),
            **kwargs,
        )
    with pytest.raises(ServiceError, match="finnes ikke"):
        services.register_contract(actor=as_(p.knut), parts=[("Del", "topphemmelig")], **kwargs)
    with pytest.raises(Forbidden):
        services.register_contract(actor=as_(p.frode), parts=[("Del", Level.BEGRENSET)], **kwargs)
    assert not GradedContract.objects.exists()
    services.register_contract(actor=as_(p.sigrid), parts=[("Del", Level.BEGRENSET)], **kwargs)


def test_self_report_once_a_year_and_complete(sec) -> None:
    p = sec
    year = timezone.localdate().year
    answers = dict.fromkeys(
        ("governance", "ros", "exercise", "incidents", "personnel", "training"), "yes"
    )
    with pytest.raises(ServiceError, match="alle spørsmålene"):
        services.submit_self_report(
            actor=as_(p.knut), ministry=p.kud, year=year, answers={"ros": "yes"}
        )
    services.submit_self_report(actor=as_(p.knut), ministry=p.kud, year=year, answers=answers)
    with pytest.raises(Conflict):
        services.submit_self_report(
            actor=as_(p.manager), ministry=p.kud, year=year, answers=answers
        )
    with pytest.raises(Forbidden):
        services.submit_self_report(actor=as_(p.knut), ministry=p.fin, year=year, answers=answers)
    assert SelfReport.objects.count() == 1
    overview = selectors.self_report_overview(year)
    assert overview["submitted"] == 1
    assert overview["rows"][0]["yes"] is None  # one ministry: suppressed


def test_stock_is_the_teams(sec) -> None:
    p = sec
    with pytest.raises(Forbidden):
        services.save_stock_item(actor=as_(p.knut), name="Vann", quantity=1, location="U1")
    item = services.save_stock_item(
        actor=as_(p.sigrid), name="Vann", quantity=10, location="U1", reorder_level=20
    )
    check = services.check_stock(actor=as_(p.sigrid), item=item, counted=8, signed_by=p.sigrid)
    item.refresh_from_db()
    assert item.quantity == 8 and check.signed_by == p.sigrid


def test_exercise_plan_and_lessons(sec) -> None:
    p = sec
    with pytest.raises(Forbidden):  # Knut coordinates KUD only
        services.plan_exercise(
            actor=as_(p.knut),
            title="Felles",
            scenario="Brann",
            ministries=[p.kud, p.fin],
            planned_on=dt.date(2026, 1, 10),
            created_by=p.knut,
        )
    exercise = services.plan_exercise(
        actor=as_(p.sigrid),
        title="Felles",
        scenario="Brann",
        ministries=[p.kud, p.fin],
        planned_on=dt.date(2026, 1, 10),
        created_by=p.sigrid,
    )
    services.evaluate_exercise(
        actor=as_(p.sigrid),
        exercise=exercise,
        evaluation="Gikk bra",
        lessons=[("Bedre varsling", p.frode, dt.date(2026, 3, 1))],
    )
    assert exercise.lessons.get().owner == p.frode
