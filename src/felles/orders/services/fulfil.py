"""Fulfilment: the provider takes, assigns, asks, notes and resolves; the orderer's side
answers, confirms, reopens, cancels and rates; both sides comment. Each service declares
which side may call it; the person acting defaults to the signed-in user's own."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from felles.catalog.models import Priority
from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import Conflict, ServiceError, allowed
from felles.orders import events, selectors, states
from felles.orders.models import Order, OrderEvent, SatisfactionResponse
from felles.orders.services._common import (
    COMMENTERS_ONLY,
    CUSTOMER_ONLY,
    PROVIDER_ONLY,
    NotFound,
    _event,
    _locked,
    _transition,
    acting,
    comment_rule,
    customer_rule,
    provider_rule,
)
from felles.orders.services.notifications import notify
from felles.orders.services.submit import _cancel_open_steps
from felles.organisations.models import Person

# The longest comment or note: a page of text, readable in the order's timeline.
COMMENT_MAX = 4000


@allowed(provider_rule, PROVIDER_ONLY)
def take(*, actor: Actor, order: Order, agent: Person | None = None) -> Order:
    agent = acting(actor, agent)
    with _locked(order) as order:
        order = _transition(order, "take", actor=actor, assignee=agent)
        _event(order, OrderEvent.Kind.ASSIGNED, agent, f"Tatt av {agent.full_name}")
    return order


@allowed(provider_rule, PROVIDER_ONLY)
def assign(
    *, actor: Actor, order: Order, assignee: Person | None, agent: Person | None = None
) -> Order:
    agent = acting(actor, agent)
    if assignee is None:
        raise ServiceError(
            _("Velg hvem saken skal tildeles."), {"assignee": [_("Velg en saksbehandler.")]}
        )
    if not selectors.colleagues_for_assignment(order).filter(pk=assignee.pk).exists():
        raise ServiceError(
            _("Saken kan bare tildeles saksbehandlere hos leverandøren."),
            {"assignee": [_("Velg en saksbehandler hos leverandøren.")]},
        )
    with _locked(order) as order:
        order = _transition(order, "assign", actor=actor, assignee=assignee)
        _event(order, OrderEvent.Kind.ASSIGNED, agent, f"Tildelt {assignee.full_name}")
        if assignee != agent:
            notify(assignee, order, "assigned")
    return order


@allowed(comment_rule, COMMENTERS_ONLY)
def comment(
    *,
    actor: Actor,
    order: Order,
    text: str,
    internal: bool = False,
    author: Person | None = None,
) -> OrderEvent:
    author = acting(actor, author)
    text = text.strip()
    if not text:
        raise ServiceError(_("Skriv en kommentar."), {"text": [_("Feltet må fylles ut.")]})
    if len(text) > COMMENT_MAX:
        message = _("Kommentaren kan være høyst %(limit)s tegn (du skrev %(length)s).") % {
            "limit": number_format(COMMENT_MAX, force_grouping=True),
            "length": number_format(len(text), force_grouping=True),
        }
        raise ServiceError(message, {"text": [message]})
    with _locked(order) as order:
        if order.status not in [s.value for s in states.OPEN]:
            raise Conflict(_("Bestillingen er avsluttet og kan ikke kommenteres."))
        event = _event(
            order,
            OrderEvent.Kind.NOTE if internal else OrderEvent.Kind.COMMENT,
            author,
            text,
            internal=internal,
        )
        audit.record(
            actor=actor,
            action="orders.order.note" if internal else "orders.order.comment",
            obj=order,
            changes={"text": [None, text]},
            organisation_id=order.ministry_id,
        )
        if not internal:
            target = (
                order.assignee if author in (order.orderer, order.beneficiary) else order.orderer
            )
            if target is not None and target != author:
                notify(target, order, "comment", detail=text)
    return event


@allowed(provider_rule, PROVIDER_ONLY)
def request_info(
    *, actor: Actor, order: Order, question: str, agent: Person | None = None
) -> Order:
    agent = acting(actor, agent)
    question = question.strip()
    if not question:
        raise ServiceError(_("Skriv spørsmålet til bestilleren."), {"text": [_("Må fylles ut.")]})
    with _locked(order) as order:
        order = _transition(order, "request_info", actor=actor)
        _event(order, OrderEvent.Kind.INFO_REQUESTED, agent, question)
        notify(order.orderer, order, "info_requested", detail=question)
    return order


@allowed(customer_rule, CUSTOMER_ONLY)
def provide_info(*, actor: Actor, order: Order, answer: str, author: Person | None = None) -> Order:
    author = acting(actor, author)
    answer = answer.strip()
    if not answer:
        raise ServiceError(_("Skriv svaret ditt."), {"text": [_("Må fylles ut.")]})
    with _locked(order) as order:
        order = _transition(order, "provide_info", actor=actor)
        _event(order, OrderEvent.Kind.INFO_PROVIDED, author, answer)
        if order.assignee:
            notify(order.assignee, order, "info_provided")
    return order


@allowed(provider_rule, PROVIDER_ONLY)
def resolve(
    *,
    actor: Actor,
    order: Order,
    resolution: str,
    quantity: Decimal | None = None,
    agent: Person | None = None,
) -> Order:
    """Mark the order delivered; the delivered quantity (if the agent corrects it) is what
    the usage record and later the invoice will carry."""
    agent = acting(actor, agent)
    resolution = resolution.strip()
    if not resolution:
        raise ServiceError(_("Beskriv hva som er levert."), {"text": [_("Må fylles ut.")]})
    if quantity is not None and quantity <= 0:
        raise ServiceError(_("Antall må være over null."), {"quantity": [_("Må være over 0.")]})
    extra = {"quantity": quantity} if quantity is not None else {}
    with _locked(order) as order:
        blockers = events.resolve_blockers(order=order)
        if blockers:
            raise Conflict(
                _("Saken kan ikke løses ennå: %(reasons)s") % {"reasons": " ".join(blockers)}
            )
        order = _transition(
            order,
            "resolve",
            actor=actor,
            resolution=resolution,
            resolved_at=timezone.now(),
            **extra,
        )
        _event(order, OrderEvent.Kind.RESOLVED, agent, resolution)
        events.order_resolved.publish(actor=actor, order=order)
        notify(order.orderer, order, "resolved")
    return order


@allowed(customer_rule, CUSTOMER_ONLY)
def confirm(*, actor: Actor, order: Order, person: Person | None = None) -> Order:
    person = acting(actor, person)
    with _locked(order) as order:
        order = _transition(order, "confirm", actor=actor, closed_at=timezone.now())
        _event(order, OrderEvent.Kind.CONFIRMED, person)
        notify(order.orderer, order, "confirmed")
    return order


@allowed(customer_rule, CUSTOMER_ONLY)
def reopen(*, actor: Actor, order: Order, reason: str, person: Person | None = None) -> Order:
    person = acting(actor, person)
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("Skriv hvorfor saken ikke er løst."), {"text": [_("Må fylles ut.")]})
    with _locked(order) as order:
        order = _transition(order, "reopen", actor=actor, resolved_at=None)
        _event(order, OrderEvent.Kind.REOPENED, person, reason)
        if order.assignee:
            notify(order.assignee, order, "reopened")
    return order


@allowed(customer_rule, CUSTOMER_ONLY)
def cancel(*, actor: Actor, order: Order, reason: str = "", person: Person | None = None) -> Order:
    person = acting(actor, person)
    with _locked(order) as order:
        order = _transition(order, "cancel_container" if order.container else "cancel", actor=actor)
        _cancel_open_steps(order, actor=actor)
        _event(order, OrderEvent.Kind.CANCELLED, person, reason.strip())
        if order.container:
            events.container_cancelled.publish(
                actor=actor, order=order, reason=reason.strip(), person=person
            )
    return order


@allowed(customer_rule, CUSTOMER_ONLY)
def rate(
    *,
    actor: Actor,
    order: Order,
    score: int,
    comment_text: str = "",
    person: Person | None = None,
) -> SatisfactionResponse:
    """Only the orderer rates (the person the order was for gets 404, as if there were
    nothing to rate); a score outside 1–5 is refused."""
    person = acting(actor, person)
    if person != order.orderer:
        raise NotFound(_("Fant ikke bestillingen."))
    if not 1 <= score <= 5:
        raise ServiceError(_("Velg en vurdering fra 1 til 5."), {"score": [_("Velg 1–5.")]})
    with _locked(order) as order:
        if order.status != states.Status.CLOSED:
            raise Conflict(_("Du kan gi vurdering når bestillingen er avsluttet."))
        if SatisfactionResponse.objects.filter(order=order).exists():
            raise Conflict(_("Du har allerede vurdert denne bestillingen."))
        response = SatisfactionResponse.objects.create(
            order=order, score=score, comment=comment_text.strip()
        )
        _event(order, OrderEvent.Kind.RATED, person, f"{score} av 5")
        audit.record(
            actor=actor,
            action="orders.order.rate",
            obj=response,
            changes={"score": [None, score]},
            organisation_id=order.ministry_id,
        )
    return response


@allowed(provider_rule, PROVIDER_ONLY)
def change_priority(
    *, actor: Actor, order: Order, priority: str, agent: Person | None = None
) -> Order:
    """Change the priority. The SLA clocks switch to the new targets from now on, keeping
    the time already spent and every pause."""
    agent = acting(actor, agent)
    if priority not in Priority.values:
        raise ServiceError(
            _("Ukjent prioritet."), {"priority": [_("Velg en prioritet fra listen.")]}
        )
    with _locked(order) as order:
        if order.status not in [s.value for s in states.OPEN]:
            raise Conflict(states.refusal("assign", order.status, _))
        if priority == order.priority:
            return order
        before = order.priority
        updated = Order.objects.filter(pk=order.pk, priority=before).update(
            priority=priority, updated_at=timezone.now()
        )
        if not updated:
            raise Conflict(_("Prioriteten er nettopp endret av noen andre. Last siden på nytt."))
        order.refresh_from_db()
        audit.record(
            actor=actor,
            action="orders.order.priority",
            obj=order,
            changes={"priority": [before, priority]},
            organisation_id=order.ministry_id,
        )
        _event(order, OrderEvent.Kind.PRIORITY_CHANGED, agent, priority)
    return order


@allowed(customer_rule, CUSTOMER_ONLY)
def amend_answers(
    *, actor: Actor, order: Order, answers: dict[str, object], person: Person | None = None
) -> Order:
    """Change the order form's answers (`answers`: field key → the stored answer) while
    the order waits for approval: once it has reached the provider it is theirs to work
    on, and a change goes through a comment instead."""
    person = acting(actor, person)
    with _locked(order) as order:
        if order.status != states.Status.AWAITING_APPROVAL:
            raise Conflict(
                _(
                    "Bestillingen er sendt til leverandøren og kan ikke endres lenger. "
                    "Skriv en kommentar."
                )
            )
        before = dict(order.answers)
        after = {**before, **answers}
        changed = {k: [before.get(k), v] for k, v in answers.items() if before.get(k) != v}
        if not changed:
            return order
        Order.objects.filter(pk=order.pk).update(answers=after, updated_at=timezone.now())
        order.refresh_from_db()
        audit.record(
            actor=actor,
            action="orders.order.amend",
            obj=order,
            changes={"answers": [before, after]},
            organisation_id=order.ministry_id,
        )
        _event(order, OrderEvent.Kind.COMMENT, person, _("Svarene i bestillingen er endret."))
    return order
