"""The decision register: routing by the decision-rights table, escalation, hearings,
decisions and reopening, and who sees what."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from felles.core.actor import Actor
from felles.core.models import AuditEvent
from felles.core.services import Conflict, Forbidden, ServiceError
from felles.governance import rules, selectors, services
from felles.governance.models import Case, DecisionRight, Hearing

# Hearing deadlines, working days and «today» depend on the date.
pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def gov(personas, actor) -> Any:
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    services.seed_decision_rights(actor=actor)
    personas.marte = make_person(personas.dss, "marte", roles=[Role.PROVIDER_MANAGER])
    personas.rights = {r.code: r for r in DecisionRight.objects.all()}
    return personas


def as_(person) -> Actor:
    return Actor(user=person.user)


def raise_(p, code: str, level: str | None = None, by=None) -> Case:
    by = by or p.coordinator
    return services.raise_case(
        actor=as_(by),
        raised_by=by,
        right=p.rights[code],
        provider=p.dss,
        title="Rutine for tilgang til arkiv",
        description="Dagens rutine gir tre dagers ventetid.",
        level=level,
    )


def visible(person, case: Case) -> bool:
    return selectors.cases_for(person.user).filter(pk=case.pk).exists()


def test_pricing_case_is_routed_to_dfd_and_routine_case_to_provider(gov) -> None:
    pricing = raise_(gov, "priser", level=rules.OPERATIVE)
    assert (pricing.level, pricing.decider, pricing.decider_label) == ("strategic", "dfd", "DFD")
    assert "Rutet til strategisk nivå" in pricing.events.get().text
    # Every ministry but DFD itself and the council are heard, with a 15-working-day deadline.
    parties = {h.party for h in pricing.hearings.all()}
    assert "KUD" in parties and "FIN" in parties and "DFD" not in parties
    assert "Rådgivende organ" in parties
    assert pricing.hearings.first().deadline > timezone.localdate() + dt.timedelta(days=15)

    routine = raise_(gov, "rutiner")
    assert (routine.level, routine.decider, routine.decider_label) == (
        "operative",
        "provider",
        "DSS",
    )
    assert not routine.hearings.exists()
    assert routine.number != pricing.number and routine.number.startswith("S-")
    assert selectors.may_decide(gov.marte.user, routine)
    assert not selectors.may_decide(gov.governance.user, routine)
    assert selectors.may_decide(gov.governance.user, pricing)
    assert not selectors.may_decide(gov.marte.user, pricing)


def test_escalation_moves_one_level_with_reason_and_dfd_sees_only_strategic(gov) -> None:
    case = raise_(gov, "rutiner")
    assert visible(gov.coordinator, case) and visible(gov.agent, case)
    assert not visible(gov.governance, case)  # DFD stays out of operative matters
    assert not visible(gov.outsider, case)  # FIN is no party

    with pytest.raises(ServiceError, match="hvorfor"):
        services.escalate_case(actor=as_(gov.agent), case=case, reason=" ")
    case = services.escalate_case(actor=as_(gov.agent), case=case, reason="Berører budsjettet")
    assert (case.level, case.escalations, case.decider) == ("tactical", 1, "provider")
    assert not visible(gov.governance, case)

    # The ministry that raised it disagrees with the provider and lifts it again.
    case = services.escalate_case(actor=as_(gov.coordinator), case=case, reason="Uenige")
    assert (case.level, case.escalations, case.decider) == ("strategic", 2, "dfd")
    assert visible(gov.governance, case)
    with pytest.raises(Conflict, match="ligger allerede hos DFD"):
        services.escalate_case(actor=as_(gov.coordinator), case=case, reason="Mer")
    escalations = case.events.filter(kind="escalated")
    assert [(e.from_level, e.to_level, e.text) for e in escalations] == [
        ("operative", "tactical", "Berører budsjettet"),
        ("tactical", "strategic", "Uenige"),
    ]
    assert AuditEvent.objects.filter(action="governance.case.escalate").count() == 2


def test_outsiders_may_not_escalate_or_decide(gov) -> None:
    case = raise_(gov, "rutiner")
    with pytest.raises(Forbidden):
        services.escalate_case(actor=as_(gov.outsider), case=case, reason="Vil")
    with pytest.raises(Forbidden):
        services.decide_case(actor=as_(gov.agent), case=case, decision="Ja", reasons="Fordi")
    with pytest.raises(Forbidden):
        raise_(gov, "rutiner", by=gov.employee)  # an employee without responsibility


def test_decision_waits_for_hearings_then_is_published(gov) -> None:
    case = raise_(gov, "priser")
    with pytest.raises(Conflict, match=r"Høringsfristen er ikke ute for: .*KUD"):
        services.decide_case(actor=as_(gov.governance), case=case, decision="Ja", reasons="B")
    hearing = case.hearings.get(organisation=gov.kud)
    services.answer_hearing(actor=as_(gov.coordinator), hearing=hearing, text="Støtter.")
    with pytest.raises(Conflict, match="allerede gitt"):
        services.answer_hearing(actor=as_(gov.coordinator), hearing=hearing, text="Igjen")
    with pytest.raises(Forbidden):  # FIN's employee cannot answer for KUD
        services.answer_hearing(
            actor=as_(gov.outsider), hearing=case.hearings.get(organisation=gov.fin), text="x"
        )
    # The deadline passes for everyone else: DFD may decide.
    Hearing.objects.filter(case=case, answered_at__isnull=True).update(
        deadline=timezone.localdate() - dt.timedelta(days=1)
    )
    with pytest.raises(ServiceError, match="begrunnes"):
        services.decide_case(actor=as_(gov.governance), case=case, decision="Ja", reasons="")
    case = services.decide_case(
        actor=as_(gov.governance),
        case=case,
        decision="Prisene for 2027 justeres med 3,1 %.",
        reasons="Lønns- og priskompensasjonen for 2027.",
        effective_from=dt.date(2027, 1, 1),
    )
    assert case.status == "decided" and case.decided_level == "strategic"
    assert list(selectors.decision_log()) == [case]
    assert visible(gov.outsider, case) and visible(gov.employee, case)  # published to all


def test_reopening_only_by_the_decider_with_a_new_ground(gov) -> None:
    case = raise_(gov, "rutiner")
    case = services.decide_case(
        actor=as_(gov.marte), case=case, decision="Ny rutine", reasons="Kortere ventetid"
    )
    # The ministry that lost, DFD and the provider's agent cannot reopen (no "omkamp").
    for person in (gov.coordinator, gov.governance, gov.agent):
        assert not selectors.may_reopen(person.user, case)
        with pytest.raises(Forbidden):
            services.reopen_case(actor=as_(person), case=case, ground="Nye tall")
    with pytest.raises(ServiceError, match="nye grunnlaget"):
        services.reopen_case(actor=as_(gov.marte), case=case, ground="")
    case = services.reopen_case(actor=as_(gov.marte), case=case, ground="Ny lov fra 1. juli")
    assert (case.status, case.reopenings, case.level, case.decision) == (
        "open",
        1,
        "operative",
        "",
    )
    reopened = case.events.get(kind="reopened")
    assert "Ny lov fra 1. juli" in reopened.text and "Ny rutine" in reopened.text
    with pytest.raises(Conflict):
        services.reopen_case(actor=as_(gov.marte), case=case, ground="Igjen")


def test_strategic_decision_is_reopened_only_by_dfd(gov) -> None:
    case = raise_(gov, "rutiner", level=rules.STRATEGIC)
    case = services.decide_case(actor=as_(gov.governance), case=case, decision="X", reasons="Y")
    assert not selectors.may_reopen(gov.marte.user, case)
    assert selectors.may_reopen(gov.governance.user, case)


def test_register_statistics_per_level(gov) -> None:
    quick = raise_(gov, "rutiner")
    services.decide_case(actor=as_(gov.marte), case=quick, decision="A", reasons="B")
    slow = raise_(gov, "rutiner", level=rules.STRATEGIC)
    Case.objects.filter(pk=slow.pk).update(created_at=timezone.now() - dt.timedelta(days=14))
    services.decide_case(actor=as_(gov.governance), case=slow, decision="C", reasons="D")
    stats = {s.level: s for s in selectors.settlement_stats(Case.objects.all())}
    assert stats["operative"].settled == 1 and stats["operative"].median_days == 0
    assert stats["tactical"].settled == 0
    assert stats["strategic"].settled == 1 and stats["strategic"].max_days == 10


def test_decision_rights_table_is_dfds_and_consistent(gov) -> None:
    right = gov.rights["rutiner"]
    values = {"topic": right.topic, "decider": "dfd", "level": "operative"}
    with pytest.raises(Forbidden):
        services.save_decision_right(
            actor=as_(gov.marte), code="rutiner", values=values, right=right
        )
    with pytest.raises(ServiceError, match="Strategiske spørsmål avgjøres av DFD"):
        services.save_decision_right(
            actor=as_(gov.governance), code="rutiner", values=values, right=right
        )
    right = services.save_decision_right(
        actor=as_(gov.governance),
        code="rutiner",
        values={**values, "decider": "provider", "level": "tactical"},
        right=right,
    )
    assert right.level == "tactical"
    event = AuditEvent.objects.filter(action="governance.right.change").get()
    assert event.changes["level"] == ["operative", "tactical"]
    # New routine cases now start at the tactical level.
    assert raise_(gov, "rutiner").level == "tactical"


def test_a_case_escalated_while_the_provider_decides_is_not_decided_by_it(gov) -> None:
    case = raise_(gov, "rutiner", level=rules.TACTICAL)
    stale = Case.objects.get(pk=case.pk)  # Marte opened the case at the tactical level
    services.escalate_case(actor=as_(gov.coordinator), case=case, reason="Uenige")
    with pytest.raises(Conflict, match="avgjøres nå av DFD"):
        services.decide_case(actor=as_(gov.marte), case=stale, decision="Ja", reasons="B")
    case.refresh_from_db()
    assert case.status == "open" and case.level == "strategic"
