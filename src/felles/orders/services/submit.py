"""Submitting an order and deciding its approval steps: the chain is computed at
submission, each step is decided in turn (by the approver, a substitute, a role holder or
group member, or from the e-mail link), and the last approval sends the order on to the
provider."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.catalog import selectors as catalog_selectors
from felles.catalog.models import Funding, Service
from felles.core import audit, prepared
from felles.core.actor import Actor
from felles.core.services import Conflict, ServiceError, allowed
from felles.core.validators import fits_decimal_field
from felles.orders import approval, selectors, states
from felles.orders.chain import org_data
from felles.orders.models import ApprovalStep, Order, OrderEvent
from felles.orders.services._common import (
    NotFound,
    _event,
    _locked,
    _transition,
    order_numbers,
)
from felles.orders.services.notifications import notify
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Person, Role

APPROVAL_TOKEN_SALT = "felles.orders.approval-link"  # noqa: S105 - a namespace, not a secret


def approval_token(step: ApprovalStep) -> str:
    """A signed link token for the step's approver. It expires, names the approver (so an
    escalation invalidates it) and is single-use because a decided step is no longer
    pending."""
    return signing.dumps(
        {"step": str(step.uuid), "approver": str(step.approver.uuid) if step.approver else ""},
        salt=APPROVAL_TOKEN_SALT,
        compress=True,
    )


def step_from_token(token: str) -> ApprovalStep:
    max_age = settings.FELLES_APPROVAL_LINK_DAYS * 86400
    try:
        data = signing.loads(token, salt=APPROVAL_TOKEN_SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise NotFound(
            _("Lenken er utløpt. Logg inn i Felles for å behandle bestillingen.")
        ) from exc
    except signing.BadSignature as exc:
        raise NotFound(_("Lenken er ugyldig.")) from exc
    step = (
        ApprovalStep.objects.select_related(
            "order",
            "order__service",
            "order__orderer",
            "order__beneficiary",
            "order__ministry",
            "approver",
        )
        .filter(uuid=data.get("step"))
        .first()
    )
    if step is None or str(step.approver.uuid if step.approver else "") != data.get("approver"):
        raise NotFound(_("Lenken gjelder ikke lenger. Logg inn i Felles for å se bestillingen."))
    approver = step.approver
    if (
        approver is None
        or not approver.active
        or approver.user is None
        or not approver.user.is_active
    ):
        raise NotFound(_("Lenken gjelder ikke lenger. Logg inn i Felles for å se bestillingen."))
    if step.state != ApprovalStep.State.PENDING:
        raise Conflict(_("Bestillingen er allerede behandlet. Lenken kan bare brukes én gang."))
    return step


def _activate(step: ApprovalStep, *, actor: Actor) -> None:
    now = timezone.now()
    ApprovalStep.objects.filter(pk=step.pk).update(
        state=ApprovalStep.State.PENDING, activated_at=now
    )
    step.state, step.activated_at = ApprovalStep.State.PENDING, now
    _ask_approvers(step)


def _ask_approvers(step: ApprovalStep) -> None:
    """Tell the step's approver (or its group) that a decision is waiting."""
    order = step.order
    if step.approver_id is not None and not ApprovalStep.approver.is_cached(step):
        # Every submission asks: compiled once per connection (core.prepared).
        step.approver = prepared.run("orders.approver", _person, pk=step.approver_id)[0]
    recipients = [step.approver] if step.approver else list(_step_members(step))
    link = _decide_url(step)
    for person in recipients:
        notify(person, order, "approval", decide_url=link)


def _person(pk: int) -> QuerySet[Person]:
    return Person.objects.filter(pk=pk)


def _decide_url(step: ApprovalStep) -> str | None:
    """The approver's own link, which works without signing in; a group decides in Felles,
    signed in."""
    if step.approver is None:
        return None
    return f"{settings.BASE_URL}{reverse('approval_link', kwargs={'token': approval_token(step)})}"


def _step_members(step: ApprovalStep) -> QuerySet[Person]:
    order = step.order
    if step.kind == approval.SECURITY_COORDINATOR:
        return Person.objects.filter(
            roles__role=Role.SECURITY_COORDINATOR,
            roles__organisation_id=order.ministry_id,
            active=True,
        ).exclude(pk__in=[order.orderer_id, order.beneficiary_id])
    return order.service.approver_group.exclude(pk__in=[order.orderer_id, order.beneficiary_id])


# The orderer is the signed-in person (whoever the order is for): compared on the rows the
# caller already holds, so the tuned submission path reads nothing more for it.
@allowed(
    lambda user, orderer, **_: orderer.user_id == user.pk and catalog_selectors.may_order(user),
    gettext_lazy(
        "Du kan bare bestille i eget navn, og ikke med en rolle som bare gir lesetilgang."
    ),
)
def submit_order(
    *,
    actor: Actor,
    orderer: Person,
    service: Service,
    answers: dict[str, Any],
    beneficiary: Person | None = None,
    priority: str | None = None,
    quantity: Decimal = Decimal("1"),
    buyer_reference: str = "",
    container: bool = False,
) -> Order:
    """Place an order. The approval chain is computed now from the service's policy and the
    organisation data; with no approval needed the order goes straight to the provider.
    A `container` (a bundle's parent order) holds linked child orders: the provider is not
    told of it and its staff do no work on it (its state follows the children)."""
    beneficiary = beneficiary or orderer
    if beneficiary.organisation_id != orderer.organisation_id:
        raise NotFound(_("Fant ikke personen."))
    if not service.is_orderable_by(orderer.organisation):
        raise NotFound(_("Tjenesten finnes ikke, eller departementet ditt kan ikke bestille den."))
    if quantity <= 0:
        raise ServiceError(
            _("Antall må være større enn null."), {"quantity": [_("Må være over 0.")]}
        )
    ministry = orderer.organisation
    funding = service.funding_for(ministry)
    today = timezone.localdate()
    price = service.price_on(today) if funding != Funding.APPROPRIATION else None
    amount = (price.unit_price * quantity).quantize(Decimal("0.01")) if price else None
    if amount is not None and not fits_decimal_field(
        amount, Order._meta.get_field("estimated_amount")
    ):
        raise ServiceError(
            _("Beløpet blir for stort (antall × pris). Kontroller antallet."),
            {"quantity": [_("Antall × pris blir for stort.")]},
        )
    try:
        chain = approval.chain(
            service.approval_policy,
            orderer_id=orderer.pk,
            beneficiary_id=beneficiary.pk,
            invoiced=funding != Funding.APPROPRIATION,
            amount=amount,
            threshold=service.approval_threshold,
            org=org_data(ministry.pk, service, (orderer, beneficiary)),
        )
    except approval.NoApprover as exc:
        raise ServiceError(_(str(exc))) from exc
    now = timezone.now()
    with transaction.atomic():
        order = prepared.insert(
            Order(
                number=order_numbers(timezone.localdate(now).year)[0],
                service=service,
                ministry=ministry,
                orderer=orderer,
                beneficiary=beneficiary,
                status=(states.Status.AWAITING_APPROVAL if chain else states.Status.QUEUED).value,
                priority=priority or service.default_priority,
                submitted_priority=priority or service.default_priority,
                answers=answers,
                quantity=quantity,
                buyer_reference=buyer_reference.strip(),
                funding=funding,
                price_version=price,
                estimated_amount=amount,
                submitted_at=now,
                approved_at=None if chain else now,
                container=container,
            )
        )
        _event(
            order,
            OrderEvent.Kind.SUBMITTED,
            orderer,
            "" if beneficiary == orderer else f"På vegne av {beneficiary.full_name}",
        )
        # The first step is created already waiting (one write, not an insert and then an
        # update); the rest wait their turn.
        steps = [
            prepared.insert(
                ApprovalStep(
                    order=order,
                    position=i,
                    kind=s.kind,
                    approver_id=s.approver_id,
                    **(
                        {"state": ApprovalStep.State.PENDING, "activated_at": now} if i == 0 else {}
                    ),
                )
            )
            for i, s in enumerate(chain)
        ]
        # The steps just written are the order's steps: the caller's answer ("waiting for
        # approval from …") reads them from here instead of from the database.
        prefetched = order.steps.all()
        prefetched._result_cache, prefetched._prefetch_done = steps, True
        order._prefetched_objects_cache = {"steps": prefetched}
        if steps:
            _ask_approvers(steps[0])
        else:
            _event(order, OrderEvent.Kind.QUEUED, None)
            if not container:
                _notify_provider(order)
        # Audited last: the audit chain's head row stays locked from here to the commit,
        # so recording at the end keeps that serialised window as short as possible.
        audit.record(
            actor=actor,
            action="orders.order.submit",
            obj=order,
            changes={
                "service": [None, service.code],
                "status": [None, order.status],
                "beneficiary": [None, str(beneficiary.uuid)],
                "quantity": [None, str(quantity)],
            },
            organisation_id=ministry.pk,
        )
    return order


def _notify_provider(order: Order) -> None:
    """Tell the provider's customer contacts for the ministry that an order arrived; for a
    restricted service, its handling team instead (nobody else there may see it)."""
    if order.service.is_confidential:
        contacts = org_selectors.staff_serving(order.service.provider_id, order.ministry_id).filter(
            handled_services=order.service_id
        )
    else:
        contacts = org_selectors.staff_serving(
            order.service.provider_id, order.ministry_id, roles=(Role.CUSTOMER_CONTACT,)
        )
    for person in contacts:
        notify(person, order, "new_order")


@allowed(
    lambda user, step, decider, on_behalf_of, **_: selectors.may_decide(
        user, step, decider, on_behalf_of
    ),
    gettext_lazy("Du kan ikke behandle dette godkjenningstrinnet."),
)
def decide(
    *,
    actor: Actor,
    step: ApprovalStep,
    decider: Person,
    on_behalf_of: Person,
    approve: bool,
    comment: str = "",
) -> Order:
    """Approve or reject the pending step as `decider` for `on_behalf_of`: a signed-in user
    only as selectors.decider_for allows (the e-mail link acts as its approver's user)."""
    comment = comment.strip()
    if not approve and not comment:
        raise ServiceError(
            _("Skriv en begrunnelse når du avviser."),
            {"comment": [_("Begrunnelse må fylles ut ved avvisning.")]},
        )
    with _locked(step.order):
        now = timezone.now()
        new_state = ApprovalStep.State.APPROVED if approve else ApprovalStep.State.REJECTED
        # The approver is part of the guard: a decision based on a step read before an
        # escalation moved it to someone else must lose, not land under the wrong name.
        won = ApprovalStep.objects.filter(
            pk=step.pk, state=ApprovalStep.State.PENDING, approver_id=step.approver_id
        ).update(
            state=new_state,
            decided_by=decider,
            decided_at=now,
            comment=comment,
            on_behalf_of=on_behalf_of if on_behalf_of != decider else None,
        )
        if not won:
            raise Conflict(_("Bestillingen er allerede behandlet av noen andre."))
        step.refresh_from_db()
        order = step.order
        behalf = on_behalf_of if on_behalf_of != decider else None
        audit.record(
            actor=actor,
            action="orders.approval.decide",
            obj=step,
            changes={
                "state": ["pending", new_state],
                "decided_by": [None, decider.full_name],
                "on_behalf_of": [None, behalf.full_name if behalf else None],
            },
            organisation_id=order.ministry_id,
        )
        text = comment if not behalf else f"{comment}\n(på vegne av {behalf.full_name})".strip()
        _event(
            order,
            OrderEvent.Kind.APPROVED if approve else OrderEvent.Kind.REJECTED,
            decider,
            text,
            on_behalf_of=behalf,
        )
        if not approve:
            _cancel_open_steps(order, actor=actor)
            order = _transition(order, "reject", actor=actor)
            notify(order.orderer, order, "rejected", detail=comment)
            return order
        following = order.steps.filter(state=ApprovalStep.State.WAITING).order_by("position")
        nxt = following.first()
        if nxt is not None:
            _activate(nxt, actor=actor)
            audit.record(
                actor=actor,
                action="orders.approval.activate",
                obj=nxt,
                changes={"state": ["waiting", "pending"]},
                organisation_id=order.ministry_id,
            )
            return order
        order = _transition(order, "approve", actor=actor, approved_at=now)
        _event(order, OrderEvent.Kind.QUEUED, None)
        notify(order.orderer, order, "approved")
        if not order.container:
            _notify_provider(order)
    return order


def _cancel_open_steps(order: Order, *, actor: Actor) -> None:
    """Steps that will never be decided (after a rejection or a cancellation) lapse,
    each with its own audit event."""
    for step in order.steps.filter(
        state__in=[ApprovalStep.State.PENDING, ApprovalStep.State.WAITING]
    ):
        ApprovalStep.objects.filter(pk=step.pk).update(state=ApprovalStep.State.CANCELLED)
        audit.record(
            actor=actor,
            action="orders.approval.lapse",
            obj=step,
            changes={"state": [step.state, ApprovalStep.State.CANCELLED]},
            organisation_id=order.ministry_id,
        )
