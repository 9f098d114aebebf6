"""What a user may do to an order, and doing it: one dispatcher for the web page and the
API, so the two can never disagree about who may do what."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied

from felles.core.actor import Actor
from felles.core.services import ServiceError
from felles.orders import selectors, services, states
from felles.orders.models import Order
from felles.organisations import selectors as org_selectors

# The same rules as the order form's quantity: positive, at most 12 digits, 2 decimals.
QUANTITY = forms.DecimalField(min_value=Decimal("0.01"), max_digits=12, decimal_places=2)
CUSTOMER_ACTIONS = {"cancel", "provide_info", "confirm", "reopen", "rate", "comment"}
PROVIDER_ACTIONS = {"take", "assign", "note", "comment", "request_info", "resolve", "priority"}
ALL_ACTIONS = CUSTOMER_ACTIONS | PROVIDER_ACTIONS


def available_actions(user: Any, order: Order) -> set[str]:
    """The actions the page offers this user now (state and role both considered)."""
    me = org_selectors.person_for(user)
    if me is None:
        return set()
    status = states.Status(order.status)
    actions: set[str] = set()
    if me.pk in (order.orderer_id, order.beneficiary_id):
        if states.allowed("cancel", status):
            actions.add("cancel")
        if status == states.Status.WAITING_FOR_CUSTOMER:
            actions.add("provide_info")
        if status == states.Status.RESOLVED:
            actions |= {"confirm", "reopen"}
        if (
            status == states.Status.CLOSED
            and me.pk == order.orderer_id
            and not hasattr(order, "rating")
        ):
            actions.add("rate")
        if status in states.OPEN:
            actions.add("comment")
    if selectors.is_provider_staff(user, order):
        if status == states.Status.QUEUED:
            actions.add("take")
        if states.allowed("assign", status):
            actions.add("assign")
        if status == states.Status.IN_PROGRESS:
            actions |= {"request_info", "resolve"}
        if status in states.OPEN:
            actions |= {"note", "comment", "priority"}
    return actions


def perform(user: Any, order: Order, action: str, data: dict[str, Any], *, actor: Actor) -> Any:
    """Run `action` on `order` for `user`. Raises PermissionDenied (403) when the user may
    see the order but not do this, ServiceError/Conflict for bad input or a stale state."""
    if action not in ALL_ACTIONS:
        raise ServiceError(f"Ukjent handling «{action}».", {"action": ["Ukjent handling."]})
    me = org_selectors.person_for(user)
    if me is None:
        raise PermissionDenied
    customer = me.pk in (order.orderer_id, order.beneficiary_id)
    provider = selectors.is_provider_staff(user, order)
    if (
        (action in CUSTOMER_ACTIONS - PROVIDER_ACTIONS and not customer)
        or (action in PROVIDER_ACTIONS - CUSTOMER_ACTIONS and not provider)
        or (action == "comment" and not (customer or provider))
    ):
        raise PermissionDenied
    text = str(data.get("text") or "")
    if action == "cancel":
        return services.cancel(actor=actor, order=order, person=me, reason=text)
    if action == "provide_info":
        return services.provide_info(actor=actor, order=order, author=me, answer=text)
    if action == "confirm":
        return services.confirm(actor=actor, order=order, person=me)
    if action == "reopen":
        return services.reopen(actor=actor, order=order, person=me, reason=text)
    if action == "rate":
        try:
            score = int(str(data.get("score", "")))
        except ValueError:
            raise ServiceError("Velg en vurdering fra 1 til 5.", {"score": ["Velg 1–5."]}) from None
        return services.rate(actor=actor, order=order, person=me, score=score, comment_text=text)
    if action in ("comment", "note"):
        return services.comment(
            actor=actor, order=order, author=me, text=text, internal=action == "note"
        )
    if action == "take":
        return services.take(actor=actor, order=order, agent=me)
    if action == "assign":
        assignee = (
            selectors.colleagues_for_assignment(order)
            .filter(uuid=_uuid(data.get("assignee")))
            .first()
        )
        if assignee is None:
            raise ServiceError(
                "Velg hvem saken skal tildeles.", {"assignee": ["Velg en saksbehandler."]}
            )
        return services.assign(actor=actor, order=order, agent=me, assignee=assignee)
    if action == "priority":
        return services.change_priority(
            actor=actor, order=order, agent=me, priority=str(data.get("priority", ""))
        )
    if action == "request_info":
        return services.request_info(actor=actor, order=order, agent=me, question=text)
    if action == "resolve":
        quantity = None
        if data.get("quantity") not in (None, ""):
            try:
                quantity = QUANTITY.clean(str(data["quantity"]))
            except forms.ValidationError:
                raise ServiceError(
                    "Antall må være et tall over null med høyst to desimaler.",
                    {"quantity": ["Ugyldig antall."]},
                ) from None
        return services.resolve(
            actor=actor, order=order, agent=me, resolution=text, quantity=quantity
        )
    raise ServiceError("Ukjent handling.")  # pragma: no cover - guarded above


def _uuid(value: Any) -> str | None:
    import uuid

    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None
