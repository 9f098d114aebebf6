"""Placing several orders at once for one orderer (a bundle's parent and its children,
felles.bundles): the same rules as `submit_order` for each order, its own approval chain,
funding and price, written in one pass: one draw of the numbers, multi-row
inserts for the orders, their first events and their approval steps, one notification per
order and one e-mail per approver listing them all, and one audit append."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.catalog import selectors as catalog_selectors
from felles.catalog.models import Funding, Service
from felles.core import audit, mail
from felles.core.actor import Actor
from felles.core.services import ServiceError, allowed
from felles.core.validators import fits_decimal_field
from felles.orders import approval, states
from felles.orders.chain import org_data
from felles.orders.models import ApprovalStep, Notification, Order, OrderEvent
from felles.orders.services._common import NotFound, _event, order_numbers
from felles.orders.services.notifications import KINDS, _facts, _screened_headline
from felles.orders.services.submit import (
    _ask_approvers,
    _decide_url,
    _notify_provider,
)
from felles.organisations.models import Person


@dataclass
class Item:
    """One order of the batch. A `container` (a bundle's parent) is no work at the provider:
    it needs no approval, and the provider is not told of it."""

    service: Service
    answers: dict[str, Any]
    container: bool = False
    chain: list[Any] = field(default_factory=list)


def _check(item: Item, orderer: Person, cache: dict[Any, Any]) -> dict[str, Any]:
    """`submit_order`'s checks for one order; its funding, price, amount and chain."""
    service, ministry = item.service, orderer.organisation
    if not service.is_orderable_by(ministry):
        raise NotFound(_("Tjenesten finnes ikke, eller departementet ditt kan ikke bestille den."))
    funding = service.funding_for(ministry)
    price = service.price_on(timezone.localdate()) if funding != Funding.APPROPRIATION else None
    amount = price.unit_price.quantize(Decimal("0.01")) if price else None
    if amount is not None and not fits_decimal_field(
        amount, Order._meta.get_field("estimated_amount")
    ):
        raise ServiceError(_("Beløpet blir for stort (antall × pris). Kontroller antallet."))
    if item.container:
        item.chain = []
    else:
        # The organisation data depends on the policy (and the group's service) only.
        key = (
            service.approval_policy,
            service.pk if service.approval_policy == approval.APPROVER_GROUP else None,
        )
        if key not in cache:
            cache[key] = org_data(ministry.pk, service, (orderer,))
        try:
            item.chain = approval.chain(
                service.approval_policy,
                orderer_id=orderer.pk,
                beneficiary_id=orderer.pk,
                invoiced=funding != Funding.APPROPRIATION,
                amount=amount,
                threshold=service.approval_threshold,
                org=cache[key],
            )
        except approval.NoApprover as exc:
            raise ServiceError(_(str(exc))) from exc
    return {"funding": funding, "price_version": price, "estimated_amount": amount}


@allowed(
    lambda user, orderer, **_: orderer.user_id == user.pk and catalog_selectors.may_order(user),
    gettext_lazy(
        "Du kan bare bestille i eget navn, og ikke med en rolle som bare gir lesetilgang."
    ),
)
def submit_batch(*, actor: Actor, orderer: Person, items: Sequence[Item]) -> list[Order]:
    """Place the orders of `items` (in that order) for `orderer`, all or nothing, each
    as `submit_order` would (approval chain, funding, price; the provider is told of those
    that need no approval), in one pass."""
    if not items:
        return []
    ministry = orderer.organisation
    cache: dict[Any, Any] = {}
    facts = [_check(item, orderer, cache) for item in items]
    now = timezone.now()
    with transaction.atomic():
        numbers = order_numbers(timezone.localdate(now).year, len(items))
        orders = Order.objects.bulk_create(
            Order(
                number=number,
                service=item.service,
                ministry=ministry,
                orderer=orderer,
                beneficiary=orderer,
                status=(
                    states.Status.AWAITING_APPROVAL if item.chain else states.Status.QUEUED
                ).value,
                priority=item.service.default_priority,
                submitted_priority=item.service.default_priority,
                answers=item.answers,
                quantity=Decimal("1"),
                submitted_at=now,
                approved_at=None if item.chain else now,
                container=item.container,
                **fact,
            )
            for number, item, fact in zip(numbers, items, facts, strict=True)
        )
        OrderEvent.objects.bulk_create(
            OrderEvent(order=order, kind=OrderEvent.Kind.SUBMITTED, actor=orderer, text="")
            for order in orders
        )
        steps = ApprovalStep.objects.bulk_create(
            ApprovalStep(
                order=order,
                position=i,
                kind=s.kind,
                approver_id=s.approver_id,
                **({"state": ApprovalStep.State.PENDING, "activated_at": now} if i == 0 else {}),
            )
            for order, item in zip(orders, items, strict=True)
            for i, s in enumerate(item.chain)
        )
        _ask_first_approvers([s for s in steps if s.position == 0])
        for order, item in zip(orders, items, strict=True):
            if item.chain:
                continue
            if item.container:
                # No clock and no checklist for a container: its children have them.
                OrderEvent.objects.create(order=order, kind=OrderEvent.Kind.QUEUED)
            else:
                _event(order, OrderEvent.Kind.QUEUED, None)
                _notify_provider(order)
        audit.record_many(
            actor=actor,
            entries=[
                audit.Entry(
                    action="orders.order.submit",
                    obj=order,
                    changes={
                        "service": [None, order.service.code],
                        "status": [None, order.status],
                        "beneficiary": [None, str(orderer.uuid)],
                        "quantity": [None, "1"],
                    },
                    organisation_id=ministry.pk,
                )
                for order in orders
            ],
        )
    return orders


def _ask_first_approvers(steps: list[ApprovalStep]) -> None:
    """Each order's first approver gets a notification per order and, when it is several,
    one e-mail listing them with each order's own link; a group step asks its members as
    `submit_order` does."""
    named = [s for s in steps if s.approver_id is not None]
    people = Person.objects.in_bulk({s.approver_id for s in named})
    by_person: dict[int, list[ApprovalStep]] = defaultdict(list)
    for step in named:
        step.approver = people[step.approver_id]
        by_person[step.approver_id].append(step)
    for step in steps:
        if step.approver_id is None:
            _ask_approvers(step)
    for asked in by_person.values():
        if len(asked) == 1:
            _ask_approvers(asked[0])
            continue
        person = asked[0].approver
        what = KINDS["approval"]
        links = [(s, _decide_url(s)) for s in asked]
        Notification.objects.bulk_create(
            Notification(
                person=person,
                order=s.order,
                text=_headline(s.order)[:300],
                url=link or "",
            )
            for s, link in links
        )

        def build(links: list[tuple[ApprovalStep, str | None]] = links) -> mail.Notice:
            return mail.Notice(
                subject=_("[Felles] %(n)s bestillinger venter på din godkjenning")
                % {"n": len(links)},
                headline=_("%(n)s bestillinger venter på din godkjenning") % {"n": len(links)},
                paragraphs=[
                    _(
                        "Lenkene åpner hver bestilling i Felles uten innlogging. Hver lenke "
                        "kan brukes én gang."
                    )
                ],
                items=[(_line(s.order), link or "") for s, link in links],
            )

        mail.queue_notice(to=person.email, user_id=person.user_id, topic=what.topic, build=build)


def _line(order: Order) -> str:
    if order.service.is_confidential:
        return order.number
    return f"{order.number}: {order.service.name_nb}"


def _headline(order: Order) -> str:
    """The in-page notification's text, as `notify` writes it (in bokmål)."""
    what = KINDS["approval"]
    with translation.override("nb"):
        if order.service.is_confidential:
            return _screened_headline(what)
        return str(what.headline % _facts(order))
