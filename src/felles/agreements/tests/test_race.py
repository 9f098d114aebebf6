"""Two people acting on agreements at the same moment: exactly one wins, the other gets a
clear 409, and the database holds one consistent outcome."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from django.db import connection

from felles.agreements import services
from felles.agreements.models import Agreement
from felles.agreements.tests.conftest import draft
from felles.core.models import AuditEvent
from felles.core.services import Conflict
from felles.organisations.models import Role
from felles.organisations.tests.factories import make_person


def at_once(*actions: Callable[[], object]) -> list[str]:
    barrier = threading.Barrier(len(actions))
    results: list[str] = []

    def run(action: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            action()
            results.append("won")
        except Conflict as exc:
            results.append(f"conflict: {exc.message}")
        except Exception as exc:  # the point: no database errors
            results.append(f"error: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(results)


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_accept_at_once(deal, actor) -> None:
    second = make_person(deal.kud, "ingrid2", roles=[Role.ORDERING_COORDINATOR])
    agreement = draft(deal, actor)
    services.send(actor=actor, agreement=agreement)
    results = at_once(
        *(
            lambda person=person: services.accept(
                actor=actor,
                agreement=Agreement.objects.get(pk=agreement.pk),
                person=person,
                side="ministry",
            )
            for person in (deal.coordinator, second)
        )
    )
    assert results[1] == "won"
    assert "Departementet har allerede godtatt avtalen" in results[0]
    assert AuditEvent.objects.filter(action="agreements.agreement.accept_ministry").count() == 1


@pytest.mark.django_db(transaction=True)
def test_both_sides_accept_at_once_and_it_comes_into_force_once(deal, actor) -> None:
    agreement = draft(deal, actor)
    services.send(actor=actor, agreement=agreement)
    results = at_once(
        lambda: services.accept(
            actor=actor,
            agreement=Agreement.objects.get(pk=agreement.pk),
            person=deal.coordinator,
            side="ministry",
        ),
        lambda: services.accept(
            actor=actor,
            agreement=Agreement.objects.get(pk=agreement.pk),
            person=deal.siri,
            side="provider",
        ),
    )
    assert results == ["won", "won"]
    agreement.refresh_from_db()
    assert agreement.status == "agreed"
    assert AuditEvent.objects.filter(action="agreements.agreement.accept").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_overlapping_agreements_come_into_force_at_once(deal, actor) -> None:
    first = draft(deal, actor, dt.date(2027, 1, 1))
    second = draft(deal, actor, dt.date(2027, 6, 1))
    for agreement in (first, second):
        services.send(actor=actor, agreement=agreement)
        services.accept(actor=actor, agreement=agreement, person=deal.coordinator, side="ministry")
    results = at_once(
        *(
            lambda a=a: services.accept(
                actor=actor,
                agreement=Agreement.objects.get(pk=a.pk),
                person=deal.siri,
                side="provider",
            )
            for a in (first, second)
        )
    )
    assert results[1] == "won"
    assert "overlapper" in results[0]
    assert Agreement.objects.filter(status="agreed").count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only: its exclusion constraint"
)
def test_the_database_refuses_overlapping_periods_in_force(deal, actor) -> None:
    from django.db import IntegrityError, transaction

    first = draft(deal, actor, dt.date(2027, 1, 1))
    second = draft(deal, actor, dt.date(2027, 6, 1))
    accepted = {
        "ministry_accepted_by": deal.coordinator,
        "ministry_accepted_at": first.created_at,
        "provider_accepted_by": deal.siri,
        "provider_accepted_at": first.created_at,
        "agreed_at": first.created_at,
    }
    Agreement.objects.filter(pk=first.pk).update(status="agreed", **accepted)
    with (
        pytest.raises(IntegrityError, match="agreement_periods_in_force_do_not_overlap"),
        transaction.atomic(),
    ):
        Agreement.objects.filter(pk=second.pk).update(status="agreed", **accepted)
