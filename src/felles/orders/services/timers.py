"""Time-driven work the worker runs: approval reminders, escalation to the approver's own
manager, and closing resolved orders the orderer has not confirmed."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from felles.core import audit
from felles.core.actor import Actor
from felles.core.calendar import add_working_days
from felles.core.services import SYSTEM_ONLY, Conflict, allowed
from felles.orders import states
from felles.orders.models import ApprovalStep, Order, OrderEvent
from felles.orders.services._common import _event, _locked, _transition
from felles.orders.services.notifications import notify
from felles.orders.services.submit import _activate, _decide_url, _step_members


@allowed(SYSTEM_ONLY, "Påminnelser, eskalering og automatisk avslutning kjøres av systemet.")
def scan(*, actor: Actor, now: dt.datetime | None = None) -> dict[str, int]:
    """Reminders after one working day, escalation to the approver's own manager after
    FELLES_APPROVAL_ESCALATION_DAYS working days, and closing of resolved orders the
    orderer has not confirmed within FELLES_CONFIRM_WORKING_DAYS. Safe to run repeatedly."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = {"reminded": 0, "escalated": 0, "closed": 0}
    pending = ApprovalStep.objects.filter(
        state=ApprovalStep.State.PENDING, activated_at__isnull=False
    ).select_related(
        "order",
        "order__service",
        "order__orderer",
        "order__beneficiary",
        "approver",
        "approver__line_manager",
    )
    for step in pending:
        activated = timezone.localdate(step.activated_at)
        if (
            step.approver
            and step.approver.line_manager
            and step.escalated_from_id is None
            and add_working_days(activated, settings.FELLES_APPROVAL_ESCALATION_DAYS) <= today
            and step.approver.line_manager_id
            not in (step.order.orderer_id, step.order.beneficiary_id)
        ):
            with _locked(step.order):
                old = step.approver
                moved = ApprovalStep.objects.filter(
                    pk=step.pk, state=ApprovalStep.State.PENDING, approver=old
                ).update(
                    approver=old.line_manager,
                    escalated_from=old,
                    activated_at=now,
                    reminded_at=None,
                )
                if moved:
                    step.refresh_from_db()
                    audit.record(
                        actor=actor,
                        action="orders.approval.escalate",
                        obj=step,
                        changes={"approver": [old.full_name, step.approver.full_name]},
                        organisation_id=step.order.ministry_id,
                    )
                    _event(
                        step.order,
                        OrderEvent.Kind.ESCALATED,
                        None,
                        f"Ikke behandlet av {old.full_name}; sendt til {step.approver.full_name}",
                    )
                    _activate(step, actor=actor)
                    counts["escalated"] += 1
            continue
        if step.reminded_at is None and add_working_days(activated, 1) <= today:
            with transaction.atomic():
                if ApprovalStep.objects.filter(pk=step.pk, reminded_at__isnull=True).update(
                    reminded_at=now
                ):
                    people = [step.approver] if step.approver else list(_step_members(step))
                    for person in people:
                        notify(person, step.order, "reminder", decide_url=_decide_url(step))
                    counts["reminded"] += 1
    resolved = Order.objects.filter(status=states.Status.RESOLVED.value, resolved_at__isnull=False)
    for order in resolved:
        deadline = add_working_days(
            timezone.localdate(order.resolved_at), settings.FELLES_CONFIRM_WORKING_DAYS
        )
        if deadline <= today:
            with _locked(order) as order:
                try:
                    _transition(order, "auto_close", actor=actor, closed_at=now)
                except Conflict:
                    continue  # confirmed or reopened meanwhile
                _event(
                    order,
                    OrderEvent.Kind.CLOSED,
                    None,
                    "Avsluttet automatisk fordi bestilleren ikke svarte.",
                )
                counts["closed"] += 1
    return counts
