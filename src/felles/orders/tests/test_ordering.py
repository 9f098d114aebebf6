"""Ordering through the service layer: approval, delegation, escalation, rejection,
cancellation, fulfilment, reopening, closing, rating, usage."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from felles.core.models import AuditEvent
from felles.core.services import Conflict, ServiceError
from felles.invoicing.models import UsageRecord
from felles.orders import selectors, services
from felles.orders.models import ApprovalStep, Order, OrderEvent
from felles.organisations import services as org_services
from felles.testing import answers
from felles.testing.mail import deliver_mail

# Working-day deadlines and default periods depend on today.
pytestmark = pytest.mark.usefixtures("frozen_clock")

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


def order_recruitment(p, actor, quantity: str = "1") -> Order:
    svc = p.services["hr-rekruttering"]
    return services.submit_order(
        actor=actor,
        orderer=p.employee,
        service=svc,
        quantity=Decimal(quantity),
        answers=answers(svc, stillingstittel="Rådgiver", antall="1", ansettelsesform="Fast"),
    )


def approve(step: ApprovalStep, person, actor, behalf=None) -> Order:
    return services.decide(
        actor=actor, step=step, decider=person, on_behalf_of=behalf or person, approve=True
    )


def test_order_gets_number_and_line_manager_then_budget_holder(
    shop, actor, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        order = order_recruitment(shop, actor)
    assert order.number.startswith(f"B-{timezone.localdate().year}-") and len(order.number) == 13
    assert order.status == "awaiting_approval"
    assert order.estimated_amount == Decimal("42000.00")
    steps = list(order.steps.all())
    assert [(s.kind, s.approver) for s in steps] == [
        ("line_manager", shop.manager),
        ("budget_holder", shop.head),
    ]
    assert selectors.status_sentence(order) == "Venter på godkjenning fra Per Testesen"
    assert [m.to for m in deliver_mail()] == [[shop.manager.email]]
    assert "/godkjenning/lenke/" in mail.outbox[0].body
    order = approve(steps[0], shop.manager, actor)
    assert order.status == "awaiting_approval"
    assert selectors.status_sentence(order) == "Venter på godkjenning fra Hanne Testesen"
    order = approve(order.steps.get(position=1), shop.head, actor)
    assert order.status == "queued" and order.approved_at is not None


def test_cheap_or_appropriation_orders_skip_the_budget_holder(shop, actor) -> None:
    svc = shop.services["srv-moterom"]  # appropriation-funded, no approval
    order = services.submit_order(
        actor=actor, orderer=shop.employee, service=svc, answers=answers(svc)
    )
    assert order.status == "queued" and not order.steps.exists()
    assert order.funding == "appropriation" and order.estimated_amount is None


def test_ordering_for_a_colleague_routes_to_the_colleagues_manager(shop, actor) -> None:
    svc = shop.services["ikt-ekstra-skjerm"]
    order = services.submit_order(
        actor=actor,
        orderer=shop.coordinator,
        service=svc,
        beneficiary=shop.employee,
        answers=answers(svc),
    )
    assert order.steps.get().approver == shop.manager


def test_service_of_another_ministrys_scope_is_refused(shop, actor) -> None:
    svc = shop.services["ikt-ekstra-skjerm"]
    with pytest.raises(services.NotFound):
        services.submit_order(
            actor=actor,
            orderer=shop.employee,
            service=svc,
            beneficiary=shop.outsider,
            answers=answers(svc),
        )
    svc.availability.create(organisation=shop.fin)
    with pytest.raises(services.NotFound):
        services.submit_order(actor=actor, orderer=shop.employee, service=svc, answers=answers(svc))


def test_substitute_decides_for_absent_manager_and_audit_says_so(shop, actor) -> None:
    today = timezone.localdate()
    org_services.register_absence(
        actor=actor,
        person=shop.manager,
        starts_on=today,
        ends_on=today + dt.timedelta(days=7),
        substitute=shop.coordinator,
    )
    order = order_recruitment(shop, actor, quantity="0.1")  # 4 200 kr: below the threshold
    step = order.steps.get()
    assert list(selectors.pending_steps_for(shop.coordinator.user)) == [step]
    decider, behalf = selectors.decider_for(shop.coordinator.user, step)
    assert (decider, behalf) == (shop.coordinator, shop.manager)
    order = services.decide(
        actor=actor, step=step, decider=decider, on_behalf_of=behalf, approve=True
    )
    step.refresh_from_db()
    assert step.decided_by == shop.coordinator and step.on_behalf_of == shop.manager
    event = AuditEvent.objects.get(action="orders.approval.decide")
    assert event.changes["on_behalf_of"] == [None, shop.manager.full_name]
    assert order.status == "queued"


def test_delegation_does_not_cascade(shop, actor) -> None:
    today = timezone.localdate()
    org_services.register_absence(
        actor=actor,
        person=shop.manager,
        starts_on=today,
        ends_on=today,
        substitute=shop.coordinator,
    )
    org_services.register_absence(
        actor=actor,
        person=shop.coordinator,
        starts_on=today,
        ends_on=today,
        substitute=shop.security,
    )
    step = order_recruitment(shop, actor, quantity="0.1").steps.get()
    assert selectors.decider_for(shop.security.user, step) is None
    assert selectors.decider_for(shop.outsider.user, step) is None


def test_rejection_needs_a_reason_and_ends_the_order(shop, actor) -> None:
    order = order_recruitment(shop, actor)
    step = order.steps.get(position=0)
    with pytest.raises(ServiceError, match="begrunnelse"):
        services.decide(
            actor=actor, step=step, decider=shop.manager, on_behalf_of=shop.manager, approve=False
        )
    order = services.decide(
        actor=actor,
        step=step,
        decider=shop.manager,
        on_behalf_of=shop.manager,
        approve=False,
        comment="Ikke i budsjett",
    )
    assert order.status == "rejected"
    assert order.steps.get(position=1).state == ApprovalStep.State.CANCELLED
    with pytest.raises(Conflict):
        approve(step, shop.manager, actor)


def test_second_decision_on_the_same_step_is_a_conflict(shop, actor) -> None:
    step = order_recruitment(shop, actor, quantity="0.1").steps.get()
    stale = ApprovalStep.objects.get(pk=step.pk)
    approve(step, shop.manager, actor)
    with pytest.raises(Conflict, match="allerede behandlet"):
        services.decide(
            actor=actor,
            step=stale,
            decider=shop.manager,
            on_behalf_of=shop.manager,
            approve=False,
            comment="for sent",
        )


def test_cancel_before_fulfilment_only(shop, actor) -> None:
    order = order_recruitment(shop, actor)
    order = services.cancel(actor=actor, order=order, person=shop.employee)
    assert order.status == "cancelled"
    assert not order.steps.filter(state=ApprovalStep.State.PENDING).exists()
    svc = shop.services["srv-moterom"]
    queued = services.submit_order(
        actor=actor, orderer=shop.employee, service=svc, answers=answers(svc)
    )
    services.take(actor=actor, order=queued, agent=shop.agent)
    with pytest.raises(Conflict, match="Under arbeid"):
        services.cancel(actor=actor, order=queued, person=shop.employee)


def test_fulfilment_with_question_resolution_usage_confirmation_and_rating(shop, actor) -> None:
    svc = shop.services["ikt-ekstra-skjerm"]
    order = services.submit_order(
        actor=actor, orderer=shop.employee, service=svc, quantity=Decimal("1"), answers=answers(svc)
    )
    order = approve(order.steps.get(), shop.manager, actor)
    order = services.take(actor=actor, order=order, agent=shop.agent)
    order = services.request_info(
        actor=actor, order=order, agent=shop.agent, question="Hvilken pult?"
    )
    assert order.status == "waiting_for_customer"
    order = services.provide_info(
        actor=actor, order=order, author=shop.employee, answer="Pult 4.12"
    )
    # The agent corrects the delivered quantity; usage carries what was delivered.
    order = services.resolve(
        actor=actor, order=order, agent=shop.agent, resolution="Levert", quantity=Decimal("2")
    )
    usage = UsageRecord.objects.get(order=order)
    assert (usage.quantity, usage.unit_price, usage.ministry) == (
        Decimal("2.00"),
        Decimal("3200.00"),
        shop.kud,
    )
    order = services.reopen(actor=actor, order=order, person=shop.employee, reason="Feil kabel")
    order = services.resolve(actor=actor, order=order, agent=shop.agent, resolution="Byttet")
    assert UsageRecord.objects.filter(order=order).count() == 1  # no double counting
    order = services.confirm(actor=actor, order=order, person=shop.employee)
    assert order.status == "closed"
    services.rate(actor=actor, order=order, person=shop.employee, score=5, comment_text="Raskt")
    with pytest.raises(Conflict, match="allerede"):
        services.rate(actor=actor, order=order, person=shop.employee, score=4)
    # The catalogue's service page shows the rating (asked through catalog.events).
    from felles.testing import client_for

    page = client_for(shop.employee).get(f"/tjenester/{svc.uuid}/").content.decode()
    assert "Brukertilfredshet: 5,0 av 5 (1 svar)" in page
    kinds = list(order.events.values_list("kind", flat=True))
    assert kinds == [
        "submitted",
        "approved",
        "queued",
        "assigned",
        "info_requested",
        "info_provided",
        "resolved",
        "reopened",
        "resolved",
        "confirmed",
        "rated",
    ]


def test_appropriation_services_write_unpriced_usage_for_showback(shop, actor) -> None:
    svc = shop.services["srv-moterom"]
    order = services.submit_order(
        actor=actor, orderer=shop.employee, service=svc, answers=answers(svc)
    )
    services.take(actor=actor, order=order, agent=shop.agent)
    services.resolve(actor=actor, order=order, agent=shop.agent, resolution="Klart")
    usage = UsageRecord.objects.get()
    assert (usage.order, usage.funding, usage.unit_price) == (order, "appropriation", None)


def test_scan_reminds_escalates_and_closes(shop, actor, django_capture_on_commit_callbacks) -> None:
    step = order_recruitment(shop, actor, quantity="0.1").steps.get()
    start = dt.datetime(2026, 11, 23, 9, 0, tzinfo=OSLO)  # a Monday
    ApprovalStep.objects.filter(pk=step.pk).update(activated_at=start)
    deliver_mail().clear()  # the approval request itself
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.scan(actor=actor, now=start + dt.timedelta(days=1, hours=1))
    assert counts["reminded"] == 1 and "Påminnelse" in deliver_mail()[0].subject
    assert services.scan(actor=actor, now=start + dt.timedelta(days=1, hours=2))["reminded"] == 0
    counts = services.scan(actor=actor, now=start + dt.timedelta(days=3, hours=1))  # Thursday
    assert counts["escalated"] == 1
    step.refresh_from_db()
    assert step.approver == shop.head and step.escalated_from == shop.manager
    assert OrderEvent.objects.filter(kind="escalated").exists()
    # Auto-close: resolved on a Friday, closes after five working days.
    svc = shop.services["srv-moterom"]
    order = services.submit_order(
        actor=actor, orderer=shop.employee, service=svc, answers=answers(svc)
    )
    services.take(actor=actor, order=order, agent=shop.agent)
    order = services.resolve(actor=actor, order=order, agent=shop.agent, resolution="Ok")
    friday = dt.datetime(2026, 11, 27, 10, 0, tzinfo=OSLO)
    Order.objects.filter(pk=order.pk).update(resolved_at=friday)
    assert services.scan(actor=actor, now=friday + dt.timedelta(days=6))["closed"] == 0
    assert services.scan(actor=actor, now=friday + dt.timedelta(days=7))["closed"] == 1
    order.refresh_from_db()
    assert order.status == "closed"


def test_substitute_sees_waiting_orders_only_while_the_absence_lasts(shop, actor) -> None:
    order = order_recruitment(shop, actor, quantity="0.1")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    absence = org_services.register_absence(
        actor=actor,
        person=shop.manager,
        starts_on=yesterday,
        ends_on=yesterday,
        substitute=shop.security,
    )
    assert not selectors.orders_for(shop.security.user).filter(pk=order.pk).exists()
    org_services.cancel_absence(actor=actor, absence=absence)
    org_services.register_absence(
        actor=actor,
        person=shop.manager,
        starts_on=yesterday,
        ends_on=timezone.localdate(),
        substitute=shop.security,
    )
    assert selectors.orders_for(shop.security.user).filter(pk=order.pk).exists()
