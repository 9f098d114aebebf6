"""Customer dialogue: series with targets, meetings and actions, compliance figures and the
meeting pack; the advisory council's plan, nominations and statements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from felles.core.actor import Actor
from felles.core.models import AuditEvent
from felles.core.services import Conflict, Forbidden, ServiceError
from felles.governance import rules, selectors, services
from felles.governance.models import CouncilTerm, MeetingSeries

D = dt.date


@pytest.fixture
def dialogue(personas, actor) -> Any:
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    p = personas
    p.lars = make_person(p.dss, "lars", roles=[Role.CUSTOMER_CONTACT], serves=[p.kud])
    p.marte = make_person(p.dss, "marte", roles=[Role.PROVIDER_MANAGER])
    p.operative = services.save_series(
        actor=Actor(user=p.lars.user),
        provider=p.dss,
        ministry=p.kud,
        level="operative",
        customer_contact=p.lars,
        starts_on=D(2026, 1, 1),
    )
    p.tactical = services.save_series(
        actor=actor, provider=p.dss, ministry=p.kud, level="tactical", starts_on=D(2026, 1, 1)
    )
    return p


def meet(p, series, day, minutes="Referat", **extra) -> Any:
    return services.record_meeting(
        actor=Actor(user=p.lars.user), series=series, held_on=day, minutes=minutes, **extra
    )


def test_series_take_the_reviews_default_targets(dialogue) -> None:
    assert dialogue.operative.target.label == "1–2 per måned"
    assert dialogue.tactical.target.label == "2–3 per halvår"
    with pytest.raises(Forbidden):  # FIN's adviser cannot set up DSS's dialogue
        services.save_series(
            actor=Actor(user=dialogue.outsider.user),
            provider=dialogue.dss,
            ministry=dialogue.fin,
            level="operative",
        )
    with pytest.raises(ServiceError, match="Kundekontakten"):
        services.save_series(
            actor=Actor.system("t"),
            provider=dialogue.dss,
            ministry=dialogue.kud,
            level="operative",
            customer_contact=dialogue.coordinator,
        )


def test_compliance_figures_per_series_and_period(dialogue, client) -> None:
    p = dialogue
    for day in (D(2026, 1, 12), D(2026, 1, 26), D(2026, 3, 9), D(2026, 4, 7)):
        meet(p, p.operative, day)
    meet(p, p.tactical, D(2026, 3, 1))
    meeting = meet(
        p, p.tactical, D(2026, 5, 4), actions=[("Avklar budsjett", p.coordinator, D(2026, 5, 20))]
    )
    # A planned meeting (no minutes) does not count as held.
    services.record_meeting(
        actor=Actor(user=p.coordinator.user),
        series=p.operative,
        held_on=D(2026, 5, 20),
        agenda="Plan",
    )
    rows = {
        c.series.level: c
        for c in selectors.dialogue_compliance(
            MeetingSeries.objects.filter(ministry=p.kud), today=D(2026, 5, 31)
        )
    }
    operative = rows["operative"]
    assert [(r.first.month, r.held, r.status) for r in operative.periods] == [
        (1, 2, "met"),
        (2, 0, "short"),
        (3, 1, "met"),
        (4, 1, "met"),
        (5, 0, "open"),
    ]
    assert operative.share == 75.0  # 3 of the 4 ended months
    tactical = rows["tactical"]
    assert [(r.held, r.status) for r in tactical.periods] == [(2, "met")]
    assert tactical.share is None  # the half-year has not ended
    assert tactical.overdue_actions == 1
    item = meeting.actions.get()
    services.complete_action(actor=Actor(user=p.coordinator.user), item=item)
    with pytest.raises(Conflict):
        services.complete_action(actor=Actor(user=p.coordinator.user), item=item)
    # Filed under the meeting with the item's id: the audit log never shows the item's text.
    event = AuditEvent.objects.get(action="governance.action.complete")
    assert (event.object_type, event.object_id) == ("governance.meeting", str(meeting.uuid))
    assert event.changes["action"] == [None, str(item.uuid)]
    client.force_login(p.auditor.user)
    page = client.get("/revisjon/", {"action": "governance.action.complete"})
    assert page.status_code == 200 and "Avklar budsjett" not in page.content.decode()


def test_own_action_items_and_subjects_nobody_registered(dialogue) -> None:
    """«Mine oppfølgingspunkter»: the owner's meeting item links to its series; an item
    cannot hang on a record whose app registered no rules (nobody handles it)."""
    p = dialogue
    meeting = meet(p, p.tactical, D(2026, 5, 4), actions=[("Avklar", p.coordinator, D(2026, 6, 1))])
    [own] = selectors.actions_of(p.coordinator.user)
    assert own.item == meeting.actions.get() and own.url == f"/dialog/{p.tactical.uuid}/"
    assert selectors.actions_of(p.lars.user) == []
    with pytest.raises(Forbidden):
        services.add_actions(
            actor=Actor(user=p.lars.user),
            subject=p.tactical,
            actions=[("X", p.lars, D(2026, 6, 1))],
        )


def test_meetings_refuse_outsiders_and_future_minutes(dialogue) -> None:
    p = dialogue
    with pytest.raises(Forbidden):
        services.record_meeting(
            actor=Actor(user=p.outsider.user), series=p.operative, held_on=D(2026, 3, 1)
        )
    with pytest.raises(ServiceError, match="fram i tid"):
        meet(p, p.operative, D(2099, 1, 1))
    with pytest.raises(ServiceError, match="Ola"):
        meet(p, p.operative, D(2026, 3, 1), participants=[p.outsider])
    assert not p.operative.meetings.exists()


def test_series_visibility(dialogue) -> None:
    p = dialogue
    mine = {s.pk for s in selectors.series_for(p.coordinator.user)}
    assert mine == {p.operative.pk, p.tactical.pk}
    assert not selectors.series_for(p.outsider.user).exists()  # FIN is not in KUD's dialogue
    assert selectors.series_for(p.governance.user).count() == 2  # DFD follows compliance


def test_meeting_pack_sections_say_plainly_when_empty(dialogue) -> None:
    p = dialogue.operative
    sections = selectors.meeting_pack(p, D(2026, 1, 1), D(2026, 1, 31), dialogue.coordinator.user)
    assert [s.title for s in sections] == [
        "Bestillinger og volum",
        "Tjenestenivå (SLA)",
        "Leveranseavtale: avtalt / levert",
        "Brukertilfredshet",
        "Forbruk av bevilgningsfinansierte tjenester (synliggjøring)",
        "Fakturaer og kreditnotaer",
        "Åpne løftede saker",
        "Vedtak siden forrige møte",
    ]
    assert all(not s.rows and s.empty for s in sections)
    assert p.ministry.abbreviation == "KUD"


def test_meeting_pack_lists_escalations_and_decisions(dialogue, actor) -> None:
    p = dialogue
    services.seed_decision_rights(actor=actor)
    from felles.governance.models import DecisionRight

    def case(title: str) -> Any:
        return services.raise_case(
            actor=actor,
            raised_by=p.coordinator,
            right=DecisionRight.objects.get(code="rutiner"),
            provider=p.dss,
            title=title,
            description="…",
        )

    open_one = services.escalate_case(actor=actor, case=case("Tilgang"), reason="Uenige")
    decided = services.decide_case(actor=actor, case=case("Arkiv"), decision="Ja", reasons="B")
    today = timezone.localdate(decided.decided_at)
    pack = {
        s.title: s
        for s in selectors.meeting_pack(p.operative, today.replace(day=1), today, p.lars.user)
    }
    assert [r[0] for r in pack["Åpne løftede saker"].rows] == [f"{open_one.number} Tilgang"]
    assert [r[0] for r in pack["Vedtak siden forrige møte"].rows] == [f"{decided.number} Arkiv"]


# --- advisory council -----------------------------------------------------------------------


def test_council_plan_is_fair_and_continues_from_history(personas) -> None:
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    p = personas
    dfd = Actor(user=p.governance.user)
    with pytest.raises(Forbidden):
        services.plan_council(actor=Actor(user=p.coordinator.user), first=D(2027, 1, 1), count=1)
    services.declare_unavailability(
        actor=Actor(user=p.manager.user),  # KUD's own leader
        ministry=p.kud,
        starts_on=D(2027, 1, 1),
        ends_on=D(2028, 12, 31),
        reason="Flytter inn i nytt regjeringskvartal",
    )
    first = services.plan_council(actor=dfd, first=D(2027, 1, 1), count=4, seats=3)
    assert len(first) == 12
    assert not any(t.ministry == p.kud for t in first if t.starts_on.year <= 2028)
    later = services.plan_council(actor=dfd, first=D(2031, 1, 1), count=6, seats=3)
    counts = dict((m.abbreviation, n) for m, n in selectors.served_counts())
    assert len(counts) == 14 and "FIN" not in counts and "DFD" not in counts
    assert max(counts.values()) - min(counts.values()) <= 1  # 30 seats over 14 ministries
    assert later[0].starts_on == D(2031, 1, 1)
    with pytest.raises(Conflict, match="allerede planlagte"):
        services.plan_council(actor=dfd, first=D(2032, 1, 1), count=1)

    term = CouncilTerm.objects.filter(ministry=p.kud).first()
    kud = Actor(user=p.manager.user)  # KUD's own leader may nominate (checked first)
    with pytest.raises(ServiceError, match="arbeide i departementet"):
        services.nominate(
            actor=kud, term=term, nominee=p.outsider, competence="Økonomi", capacity_hours=8
        )
    with pytest.raises(ServiceError, match="kompetansen"):
        services.nominate(
            actor=kud, term=term, nominee=p.employee, competence=" ", capacity_hours=8
        )
    services.nominate(
        actor=Actor(user=p.manager.user),
        term=term,
        nominee=p.employee,
        competence="Ti år med tjenesteforvaltning og innkjøp",
        capacity_hours=8,
    )
    term.refresh_from_db()
    assert term.nominee == p.employee and term.capacity_hours == 8

    siri = make_person(p.dss, "siri", roles=[Role.PROVIDER_MANAGER])
    proposal = services.submit_budget_proposal(
        actor=Actor(user=siri.user),
        provider=p.dss,
        year=2028,
        title="Felles rekrutteringsplattform",
        amount=Decimal("12500000"),
        description="Investering i ny plattform.",
    )
    with pytest.raises(Forbidden):
        services.record_statement(
            actor=Actor(user=p.coordinator.user), proposal=proposal, text="Nei"
        )
    services.record_statement(actor=dfd, proposal=proposal, text="Rådet støtter forslaget.")
    with pytest.raises(Conflict):
        services.record_statement(actor=dfd, proposal=proposal, text="Igjen")
    proposal.refresh_from_db()
    assert proposal.statement == "Rådet støtter forslaget." and proposal.statement_on


def test_meeting_pack_shows_money_only_to_those_who_follow_the_bill(dialogue) -> None:
    p = dialogue
    for user, sees in ((p.lars.user, False), (p.agent.user, False), (p.coordinator.user, True)):
        pack = {
            s.title: s
            for s in selectors.meeting_pack(p.operative, D(2026, 1, 1), D(2026, 1, 31), user)
        }
        hidden = pack["Fakturaer og kreditnotaer"].empty.startswith("Vises bare")
        assert hidden is not sees
        assert (
            pack["Forbruk av bevilgningsfinansierte tjenester (synliggjøring)"].empty.startswith(
                "Vises bare"
            )
            is not sees
        )


def test_changing_a_dialogue_keeps_what_was_not_given(dialogue) -> None:
    p = dialogue
    series = services.save_series(
        actor=Actor(user=p.lars.user),
        provider=p.dss,
        ministry=p.kud,
        level="operative",
        target=rules.Target(2, 3, 1),
    )
    assert series.customer_contact == p.lars and series.target_max == 3
    with pytest.raises(Forbidden):  # Lars serves KUD only
        services.save_series(
            actor=Actor(user=p.lars.user), provider=p.dss, ministry=p.fin, level="operative"
        )
