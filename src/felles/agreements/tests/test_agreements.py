"""The agreement's life: draft → sent → accepted by both sides → agreed → superseded or
ended; the refusals (overlap, twice, wrong ministry, looser than the standard) leave
nothing saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from felles.agreements import rules, selectors, services
from felles.agreements.models import AgreedTarget, Agreement
from felles.agreements.tests.conftest import agreed, draft
from felles.core.actor import Actor
from felles.core.models import AuditEvent
from felles.core.services import Conflict, Forbidden, ServiceError

T = rules.Targets
D = Decimal


def test_both_acceptances_put_it_in_force_each_recorded(deal, actor) -> None:
    agreement = draft(deal, actor)
    assert agreement.status == "draft"
    services.send(actor=actor, agreement=agreement)
    services.accept(actor=actor, agreement=agreement, person=deal.coordinator, side="ministry")
    assert agreement.status == "sent"  # one side is not enough
    assert agreement.ministry_accepted_by == deal.coordinator
    assert agreement.ministry_accepted_at is not None
    services.accept(actor=actor, agreement=agreement, person=deal.siri, side="provider")
    assert agreement.status == "agreed"
    assert agreement.provider_accepted_by == deal.siri
    assert agreement.agreed_at is not None
    actions = set(
        AuditEvent.objects.filter(object_id=str(agreement.uuid)).values_list("action", flat=True)
    )
    assert {
        "agreements.agreement.create",
        "agreements.line.create",
        "agreements.agreement.send",
        "agreements.agreement.accept_ministry",
        "agreements.agreement.accept_provider",
        "agreements.agreement.accept",
    } <= actions


def test_the_users_rules(deal, actor) -> None:
    agreement = draft(deal, actor)
    siri, ingrid = Actor(user=deal.siri.user), Actor(user=deal.coordinator.user)
    with pytest.raises(Forbidden):  # the ministry does not write the provider's draft
        services.send(actor=ingrid, agreement=agreement)
    services.send(actor=siri, agreement=agreement)
    with pytest.raises(Forbidden):  # a provider manager cannot accept for the ministry
        services.accept(actor=siri, agreement=agreement, person=deal.siri, side="ministry")
    services.accept(actor=ingrid, agreement=agreement, person=deal.coordinator, side="ministry")
    services.accept(actor=siri, agreement=agreement, person=deal.siri, side="provider")
    assert agreement.status == "agreed"


def test_accepting_twice_is_a_clear_409_and_changes_nothing(deal, actor) -> None:
    agreement = draft(deal, actor)
    services.send(actor=actor, agreement=agreement)
    services.accept(actor=actor, agreement=agreement, person=deal.coordinator, side="ministry")
    count = AuditEvent.objects.count()
    with pytest.raises(Conflict, match="Departementet har allerede godtatt avtalen"):
        services.accept(actor=actor, agreement=agreement, person=deal.coordinator, side="ministry")
    assert AuditEvent.objects.count() == count
    services.accept(actor=actor, agreement=agreement, person=deal.siri, side="provider")
    with pytest.raises(Conflict, match="avtalt og kan ikke godtas"):
        services.accept(actor=actor, agreement=agreement, person=deal.siri, side="provider")


def test_the_wrong_ministry_is_refused(deal, actor) -> None:
    agreement = draft(deal, actor)
    services.send(actor=actor, agreement=agreement)
    with pytest.raises(Forbidden, match="bestillerkoordinator"):
        services.accept(
            actor=Actor(user=deal.frida.user),
            agreement=agreement,
            person=deal.frida,
            side="ministry",
        )
    with pytest.raises(ServiceError, match="kan ikke godta avtalen på vegne av KUD"):
        services.accept(actor=actor, agreement=agreement, person=deal.frida, side="ministry")
    agreement.refresh_from_db()
    assert agreement.ministry_accepted_at is None
    # FIN's coordinator does not even see KUD's agreement.
    assert not selectors.agreements_for(deal.frida.user).exists()


def test_overlapping_periods_are_refused_with_nothing_saved(deal, actor) -> None:
    agreed(deal, actor, dt.date(2027, 1, 1), valid_to=dt.date(2027, 12, 31))
    with pytest.raises(Conflict, match="Perioden overlapper avtalen DSS–KUD v1"):
        services.create_draft(
            actor=actor, provider=deal.dss, ministry=deal.kud, valid_from=dt.date(2027, 12, 31)
        )
    assert Agreement.objects.count() == 1
    # Two drafts for the same period may exist; the second to be accepted is refused.
    first = draft(deal, actor, dt.date(2028, 1, 1))
    second = draft(deal, actor, dt.date(2028, 6, 1))
    for agreement in (first, second):
        services.send(actor=actor, agreement=agreement)
        services.accept(actor=actor, agreement=agreement, person=deal.coordinator, side="ministry")
    services.accept(actor=actor, agreement=first, person=deal.siri, side="provider")
    with pytest.raises(Conflict, match="overlapper"):
        services.accept(actor=actor, agreement=second, person=deal.siri, side="provider")
    second.refresh_from_db()
    assert (second.status, second.provider_accepted_at) == ("sent", None)


def test_a_new_version_supersedes_from_its_first_day(deal, actor) -> None:
    old = agreed(deal, actor, dt.date(2027, 1, 1))
    new = services.create_draft(
        actor=actor,
        provider=deal.dss,
        ministry=deal.kud,
        valid_from=dt.date(2027, 7, 1),
        supersedes=old,
    )
    assert new.version == 2
    assert list(new.lines.values_list("service__code", "volume")) == [("srv-mobil", 40)]
    services.send(actor=actor, agreement=new)
    services.accept(actor=actor, agreement=new, person=deal.coordinator, side="ministry")
    services.accept(actor=actor, agreement=new, person=deal.siri, side="provider")
    old.refresh_from_db()
    assert (old.status, old.valid_to) == ("superseded", dt.date(2027, 6, 30))
    assert new.status == "agreed"


def test_a_new_version_cannot_start_on_a_day_already_past(deal, actor) -> None:
    """Ending the old version before today would take its targets from the orders that
    reached the provider under it: refused at acceptance, nothing changes."""
    old = agreed(deal, actor, dt.date(2026, 1, 1))
    new = services.create_draft(
        actor=actor,
        provider=deal.dss,
        ministry=deal.kud,
        valid_from=dt.date(2026, 7, 1),
        supersedes=old,
    )
    services.send(actor=actor, agreement=new)
    services.accept(actor=actor, agreement=new, person=deal.coordinator, side="ministry")
    with pytest.raises(ServiceError, match="kan ikke gjelde fra en dag som har passert"):
        services.accept(actor=actor, agreement=new, person=deal.siri, side="provider")
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.status, old.valid_to, new.status) == ("agreed", None, "sent")


def test_ending_cuts_the_period(deal, actor) -> None:
    agreement = agreed(deal, actor)
    with pytest.raises(ServiceError, match="Siste dag må ligge i avtaleperioden"):
        services.end(actor=actor, agreement=agreement, last_day=dt.date(2026, 12, 1))
    services.end(actor=actor, agreement=agreement, last_day=dt.date(2027, 3, 31))
    assert (agreement.status, agreement.valid_to) == ("ended", dt.date(2027, 3, 31))
    with pytest.raises(Conflict, match="avsluttet"):
        services.end(actor=actor, agreement=agreement, last_day=dt.date(2027, 3, 1))


def test_targets_never_looser_than_the_standard_and_in_order(deal, actor) -> None:
    agreement = draft(deal, actor)
    mobile = deal.services["srv-mobil"]  # standard normal: 8 h response, 40 h resolution
    with pytest.raises(ServiceError, match="løsere enn tjenestens standard \\(8 t svar / 40 t"):
        services.save_line(
            actor=actor, agreement=agreement, service=mobile, targets={"normal": T(D(8), D(41))}
        )
    with pytest.raises(ServiceError, match="Svartiden må være over 0"):
        services.save_line(
            actor=actor, agreement=agreement, service=mobile, targets={"normal": T(D(5), D(4))}
        )
    assert list(AgreedTarget.objects.values_list("response_hours", "resolution_hours")) == [
        (D(4), D(16))
    ]


def test_a_sent_agreement_is_not_edited(deal, actor) -> None:
    agreement = draft(deal, actor)
    services.send(actor=actor, agreement=agreement)
    with pytest.raises(Conflict, match="sendt til departementet og kan ikke endres"):
        services.save_line(
            actor=actor,
            agreement=agreement,
            service=deal.services["srv-mobil"],
            targets={"normal": T(D(2), D(8))},
        )
    services.return_to_draft(actor=actor, agreement=agreement)
    assert agreement.status == "draft"


def test_agreed_targets_on_a_day(deal, actor) -> None:
    agreement = agreed(deal, actor, dt.date(2027, 1, 1), valid_to=dt.date(2027, 12, 31))
    mobile = deal.services["srv-mobil"]
    ask = lambda day, priority="normal": selectors.agreed_targets(  # noqa: E731
        deal.dss.pk, deal.kud.pk, mobile.pk, priority, day
    )
    assert ask(dt.date(2027, 6, 1)) == (D(4), D(16))
    assert ask(dt.date(2027, 6, 1), "high") is None
    assert ask(dt.date(2026, 12, 31)) is None
    assert ask(dt.date(2028, 1, 1)) is None
    services.end(actor=actor, agreement=agreement, last_day=dt.date(2027, 6, 30))
    assert ask(dt.date(2027, 6, 30)) == (D(4), D(16))  # history keeps its targets
    assert ask(dt.date(2027, 7, 1)) is None


def test_text_with_control_characters_is_refused(deal, actor) -> None:
    with pytest.raises(ServiceError, match="kontrolltegn"):
        services.create_draft(
            actor=actor,
            provider=deal.dss,
            ministry=deal.kud,
            valid_from=dt.date(2027, 1, 1),
            notes="FD\x00",
        )
    assert not Agreement.objects.exists()


def test_stricter_by_hand() -> None:
    standard = T(D(8), D(40))
    assert rules.stricter(standard, T(D(4), D(16))) == T(D(4), D(16))
    assert rules.stricter(standard, T(D(10), D(16))) == T(D(8), D(16))
    assert rules.stricter(standard, None) == standard
    assert rules.target_problems(T(D(4), D(50)), standard) == ["floor"]
    assert rules.target_problems(T(D(0), D(5)), None) == ["order"]
    assert rules.overlaps(dt.date(2027, 1, 1), None, dt.date(2030, 1, 1), dt.date(2030, 2, 1))
    assert not rules.overlaps(dt.date(2027, 1, 1), dt.date(2027, 6, 30), dt.date(2027, 7, 1), None)


def test_a_service_is_taken_out_of_a_draft(deal, actor) -> None:
    agreement = draft(deal, actor)
    services.remove_line(actor=actor, agreement=agreement, service=deal.services["srv-mobil"])
    assert not agreement.lines.exists()
    with pytest.raises(ServiceError, match="minst én tjeneste"):
        services.send(actor=actor, agreement=agreement)
