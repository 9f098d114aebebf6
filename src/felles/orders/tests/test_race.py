"""Two approvers deciding the same step at the same moment: exactly one wins; order numbers
drawn at the same moment."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from felles.core.services import Conflict
from felles.orders import services
from felles.orders.models import ApprovalStep, Order, OrderEvent
from felles.orders.services import _common
from felles.organisations.models import Role
from felles.organisations.tests.factories import make_person
from felles.testing import answers


@pytest.mark.django_db(transaction=True)
def test_two_security_coordinators_approve_at_once(shop, actor) -> None:
    second = make_person(shop.kud, "sikker2", roles=[Role.SECURITY_COORDINATOR])
    svc = shop.services["sik-klarering"]
    order = services.submit_order(
        actor=actor, orderer=shop.employee, service=svc, answers=answers(svc), quantity=Decimal("1")
    )
    step_id = order.steps.get().pk
    barrier = threading.Barrier(2)
    results: list[str] = []

    def decide(person) -> None:
        try:
            step = ApprovalStep.objects.get(pk=step_id)
            barrier.wait(timeout=10)
            services.decide(
                actor=actor, step=step, decider=person, on_behalf_of=person, approve=True
            )
            results.append("won")
        except Conflict:
            results.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(p,)) for p in (shop.security, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["conflict", "won"]
    assert OrderEvent.objects.filter(order=order, kind="approved").count() == 1
    order.refresh_from_db()
    assert order.status == "queued"


def _approve_and_cancel_at_once(shop, actor) -> list[str]:
    svc = shop.services["ikt-ekstra-skjerm"]
    order = services.submit_order(
        actor=actor, orderer=shop.employee, service=svc, answers=answers(svc), quantity=Decimal("1")
    )
    step_id = order.steps.get().pk
    barrier = threading.Barrier(2)
    results: list[str] = []

    def run(name: str, action) -> None:
        try:
            barrier.wait(timeout=10)
            action()
            results.append(name)
        except Conflict:
            results.append("conflict")
        except Exception as exc:  # the point of the test: no database errors
            results.append(f"error: {exc!r}")
        finally:
            connection.close()

    def approve() -> None:
        services.decide(
            actor=actor,
            step=ApprovalStep.objects.get(pk=step_id),
            decider=shop.manager,
            on_behalf_of=shop.manager,
            approve=True,
        )

    def cancel() -> None:
        services.cancel(actor=actor, order=Order.objects.get(pk=order.pk), person=shop.employee)

    threads = [
        threading.Thread(target=run, args=("approved", approve)),
        threading.Thread(target=run, args=("cancelled", cancel)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(results)


@pytest.mark.django_db(transaction=True)
def test_approval_and_cancellation_at_once_never_deadlock(shop, actor) -> None:
    """The approver approves while the orderer cancels: the two queue up on the order's
    lock and each either succeeds or gets a clear conflict (409), never a deadlock."""
    for _round in range(3):
        results = _approve_and_cancel_at_once(shop, actor)
        # Either order is legal (approve then cancel, or cancel first and the approval
        # refused); a database error is not.
        assert results in (
            ["approved", "cancelled"],
            ["cancelled", "conflict"],
            ["approved", "conflict"],
        ), results


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite writes one at a time")
@pytest.mark.django_db(transaction=True)
def test_an_order_number_waits_for_no_other_transaction() -> None:
    """Two submissions draw their numbers while the first one's transaction is still open
    (as it is while its commit is flushed to disk): the second gets its number at once —
    a counter row would keep it waiting for the first commit (here: past the lock timeout).
    The numbers differ and come in the order they were drawn."""
    drawn: list[str] = []
    second: list[str] = []
    first_has_drawn, second_done = threading.Event(), threading.Event()

    def first() -> None:
        try:
            with transaction.atomic():
                drawn.extend(_common.order_numbers(2026))
                first_has_drawn.set()
                second_done.wait(timeout=10)
        finally:
            connection.close()

    def then() -> None:
        try:
            first_has_drawn.wait(timeout=10)
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                second.extend(_common.order_numbers(2026, 2))
        finally:
            second_done.set()
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=then)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(drawn) == 1 and len(second) == 2
    assert all(n.startswith("B-2026-") for n in drawn + second)
    assert drawn[0] < second[0] < second[1]
