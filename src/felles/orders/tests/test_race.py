"""Two approvers deciding the same step at the same moment: exactly one wins."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from felles.core.services import Conflict
from felles.orders import services
from felles.orders.models import ApprovalStep, Order, OrderEvent
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
