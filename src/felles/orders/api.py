"""API router: orders, approvals, order actions (including the satisfaction rating)."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate
from pydantic import Field

from felles.catalog.selectors import orderable_service
from felles.core.actor import Actor
from felles.core.api import Pagination, responses
from felles.core.permissions import api_requires, authenticated
from felles.core.schemas import Schema
from felles.core.services import Conflict, ServiceError
from felles.orders import compiled, events, selectors, services, states
from felles.orders.models import ApprovalStep, Order
from felles.orders.orderform import OrderForm
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Person

router = Router(tags=["bestillinger"])


class StepOut(Schema):
    id: UUID
    position: int
    kind: str
    approver: str | None
    state: str
    decided_by: str | None
    on_behalf_of: str | None
    comment: str
    decided_at: dt.datetime | None


class EventOut(Schema):
    kind: str
    actor: str | None
    text: str
    internal: bool
    created_at: dt.datetime


class OrderOut(Schema):
    id: UUID
    number: str
    service_id: UUID
    service: str
    ministry: str
    confidentiality: str = Field(
        description="open, restricted or security: who may read the order's content"
    )
    content_hidden: bool = Field(
        description="True for a restricted order shown as metadata only (the auditor and "
        "administrator who are no party to it): names, answers, steps and timeline are left out"
    )
    orderer: str | None
    beneficiary: str | None
    status: str
    status_text: str
    priority: str
    quantity: Decimal
    funding: str
    buyer_reference: str
    estimated_amount: Decimal | None
    assignee: str | None
    submitted_at: dt.datetime
    container: bool = Field(
        False,
        description="A bundle's parent order: no work at the provider, its state follows its "
        "children (GET /orders/{id}/bundle)",
    )


class SlaOut(Schema):
    state: str
    priority: str
    started_at: dt.datetime | None
    responded_at: dt.datetime | None
    response_due: dt.datetime | None
    resolution_due: dt.datetime | None
    response_breached: bool
    approval_minutes: float
    resolution_minutes: float
    paused_minutes: float


class OrderDetailOut(OrderOut):
    sla: SlaOut | None
    answers: dict[str, Any]
    resolution: str
    steps: list[StepOut]
    events: list[EventOut]
    actions: list[str]


class OrderIn(Schema):
    service_id: UUID
    beneficiary_id: UUID | None = None
    priority: Literal["low", "normal", "high", "critical"] | None = None
    quantity: Decimal = Field(Decimal("1"), gt=0, max_digits=12, decimal_places=2)
    buyer_reference: str = Field("", max_length=100)
    answers: dict[str, Any] = {}


class ActionIn(Schema):
    action: Literal[
        "cancel",
        "provide_info",
        "confirm",
        "reopen",
        "rate",
        "comment",
        "note",
        "take",
        "assign",
        "request_info",
        "resolve",
        "priority",
    ]
    priority: str | None = None
    text: str = Field("", max_length=5000)
    assignee_id: UUID | None = None
    score: int | None = Field(None, ge=1, le=5, description="Vurdering 1–5 (rate).")
    quantity: Decimal | None = Field(None, gt=0, max_digits=12, decimal_places=2)


class DecisionIn(Schema):
    decision: Literal["approve", "reject"]
    comment: str = Field("", max_length=2000)


class ApprovalOut(Schema):
    id: UUID
    order: OrderOut
    kind: str
    on_behalf_of: str | None


def _order_out(order: Order, content: bool = True) -> dict[str, Any]:
    """The summary; without `content` (a restricted order seen as metadata only) no names,
    no reference and the status in words without the approver or agent."""
    return {
        "id": order.uuid,
        "number": order.number,
        "service_id": order.service.uuid,
        "service": order.service.name_nb,
        "ministry": order.ministry.abbreviation,
        "confidentiality": order.service.confidentiality,
        "content_hidden": not content,
        "orderer": order.orderer.full_name if content else None,
        "beneficiary": order.beneficiary.full_name if content else None,
        "status": order.status,
        "status_text": selectors.status_sentence(order) if content else order.status_label,
        "priority": order.priority,
        "quantity": order.quantity,
        "buyer_reference": order.buyer_reference if content else "",
        "funding": order.funding,
        "estimated_amount": order.estimated_amount,
        "assignee": (order.assignee.full_name if order.assignee else None) if content else None,
        "submitted_at": order.submitted_at,
        "container": order.container,
    }


def _name(person: Person | None) -> str | None:
    return person.full_name if person is not None else None


def _detail(request: HttpRequest, order: Order) -> dict[str, Any]:
    if not selectors.may_read_content(request.user, order):
        return {
            **_order_out(order, content=False),
            "sla": None,
            "answers": {},
            "resolution": "",
            "steps": [],
            "events": [],
            "actions": [],
        }
    events = [
        {
            "kind": e.kind,
            "actor": _name(e.actor),
            "text": e.text,
            "internal": e.internal,
            "created_at": e.created_at,
        }
        for e in compiled.timeline(request.user, order)
    ]
    # One query for the steps, which the status sentence reads too. Steps and SLA as plain
    # dicts: validated as such (core.schemas), not read attribute by attribute.
    steps = [
        {
            "id": step.uuid,
            "position": step.position,
            "kind": step.kind,
            "approver": _name(step.approver),
            "state": step.state,
            "decided_by": _name(step.decided_by),
            "on_behalf_of": _name(step.on_behalf_of),
            "comment": step.comment,
            "decided_at": step.decided_at,
        }
        for step in compiled.steps_of(order)
    ]
    sla = getattr(order, "sla", None)
    return {
        **_order_out(order),
        "sla": {name: getattr(sla, name) for name in SlaOut.model_fields} if sla else None,
        "answers": order.answers,
        "resolution": order.resolution,
        "steps": steps,
        "events": events,
        "actions": sorted(selectors.available_actions(request.user, order)),
    }


class _Page:
    """The orders of a list, serialised a page at a time: the paginator slices the
    queryset and then counts it, and only the sliced page is loaded and turned into
    answers. A page shorter than asked for (most people's whole list) gives the count
    without a query of its own."""

    def __init__(self, orders: Any, actor: Actor) -> None:
        self.orders = orders
        self.actor = actor
        self.user = actor.user
        self.known_count: int | None = None

    def all(self) -> "_Page":  # the paginator counts `queryset.all().count()`
        return self

    def count(self) -> int:
        if self.known_count is not None:
            return self.known_count
        return int(self.orders.count())

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        orders = list(self.orders[page])
        shown = selectors.content_ids(self.user, orders)
        items = [_order_out(o, o.pk in shown) for o in orders]
        # The list carries names and status of restricted orders too: a read (one insert).
        read = [o for o in orders if o.pk in shown and o.service.is_confidential]
        if read:
            services.record_reads(actor=self.actor, orders=read, route="api")
        start, stop = page.start or 0, page.stop
        if stop is not None and len(items) < stop - start and (items or start == 0):
            self.known_count = start + len(items)
        return items


@router.get("/orders", response=responses(list[OrderOut]))
@api_requires(authenticated)
@paginate(Pagination)
def list_orders(request: HttpRequest, status: str = "", mine: bool = False) -> object:
    orders = selectors.orders_for(request.user).prefetch_related(
        Prefetch("steps", queryset=ApprovalStep.objects.select_related("approver"))
    )
    if status == "open":
        orders = orders.filter(status__in=[s.value for s in states.OPEN])
    elif status:
        orders = orders.filter(status=status)
    if mine:
        me = org_selectors.person_for(request.user)
        orders = orders.filter(Q(orderer=me) | Q(beneficiary=me))
    return _Page(orders, Actor.from_request(request))


@router.post("/orders", response=responses(OrderOut, 201))
@api_requires(authenticated)
def create_order(request: HttpRequest, payload: OrderIn) -> Status:
    me = org_selectors.person_for(request.user)
    service = orderable_service(request.user, payload.service_id)
    if service is None:
        raise Http404
    # A bundle is ordered on its own form, which makes its children, and another app's
    # service on that app's page, which makes its record: never a plain order. Asked of
    # a per-revision cache or the service's code (no query per submission).
    elsewhere = events.order_form_url(service=service)
    if elsewhere:
        raise ServiceError(
            _("Denne tjenesten bestilles på sin egen side: %(url)s") % {"url": elsewhere},
            {"service_id": [_("Tjenesten har eget skjema.")]},
        )
    data: dict[str, Any] = {
        **payload.answers,
        "priority": payload.priority or service.default_priority,
        "quantity": str(payload.quantity),
        "buyer_reference": payload.buyer_reference,
        "beneficiary": str(payload.beneficiary_id or ""),
    }
    form = OrderForm(data, service=service, orderer=me)
    if not form.is_valid():
        raise ServiceError(
            "Bestillingen har ugyldige felt.",
            {k: [str(m) for m in v] for k, v in form.errors.items()},
        )
    order = form.submit(actor=Actor.from_request(request), orderer=me)
    # The summary, not the full detail: submission is the hot path, and the client can
    # GET /orders/{id} for steps, timeline and actions.
    return Status(201, _order_out(order))


@router.get("/orders/{order_id}", response=responses(OrderDetailOut))
@api_requires(authenticated)
def get_order(request: HttpRequest, order_id: UUID) -> object:
    # The SLA and the rating (asked by the detail and its actions) come in the same query.
    order = compiled.order_or_404(request.user, order_id, "sla", "rating")
    detail = _detail(request, order)
    if not detail["content_hidden"]:
        services.record_read(actor=Actor.from_request(request), order=order, route="api")
    return detail


@router.post("/orders/{order_id}/actions", response=responses(OrderDetailOut))
@api_requires(authenticated)
def order_action(request: HttpRequest, order_id: UUID, payload: ActionIn) -> object:
    order = compiled.order_or_404(request.user, order_id)
    actor = Actor.from_request(request)
    _act(order, payload, actor)
    order.refresh_from_db()
    detail = _detail(request, order)
    if not detail["content_hidden"]:
        services.record_read(actor=actor, order=order, route="api")
    return detail


def _act(order: Order, payload: ActionIn, actor: Actor) -> None:
    """Call the service the action names; each refuses (403) a user it is not for."""
    action, text = payload.action, payload.text
    if action == "cancel":
        services.cancel(actor=actor, order=order, reason=text)
    elif action == "provide_info":
        services.provide_info(actor=actor, order=order, answer=text)
    elif action == "confirm":
        services.confirm(actor=actor, order=order)
    elif action == "reopen":
        services.reopen(actor=actor, order=order, reason=text)
    elif action == "rate":
        # No score is 0, which `rate` refuses with its message (after its rule).
        services.rate(actor=actor, order=order, score=payload.score or 0, comment_text=text)
    elif action in ("comment", "note"):
        services.comment(actor=actor, order=order, text=text, internal=action == "note")
    elif action == "take":
        services.take(actor=actor, order=order)
    elif action == "assign":
        assignee = selectors.colleague(order, payload.assignee_id)
        services.assign(actor=actor, order=order, assignee=assignee)
    elif action == "priority":
        services.change_priority(actor=actor, order=order, priority=payload.priority or "")
    elif action == "request_info":
        services.request_info(actor=actor, order=order, question=text)
    else:  # resolve (the schema allows no other action)
        services.resolve(actor=actor, order=order, resolution=text, quantity=payload.quantity)


@router.get("/approvals", response=responses(list[ApprovalOut]))
@api_requires(authenticated)
def list_approvals(request: HttpRequest) -> object:
    pending = list(selectors.pending_steps_for(request.user))
    services.record_reads(
        actor=Actor.from_request(request), orders=[s.order for s in pending], route="api"
    )
    return [
        {
            "id": s.uuid,
            "order": _order_out(s.order),
            "kind": s.kind,
            "on_behalf_of": s.approver.full_name
            if s.approver and s.approver.user_id != request.user.pk
            else None,
        }
        for s in pending
    ]


@router.post("/approvals/{step_id}", response=responses(OrderDetailOut))
@api_requires(authenticated)
def decide(request: HttpRequest, step_id: UUID, payload: DecisionIn) -> object:
    try:
        step, decider, behalf = selectors.step_to_decide(request.user, step_id)
    except selectors.StepDecided:
        raise Conflict("Bestillingen er allerede behandlet.") from None
    order = services.decide(
        actor=Actor.from_request(request),
        step=step,
        decider=decider,
        on_behalf_of=behalf,
        approve=payload.decision == "approve",
        comment=payload.comment,
    )
    return _detail(request, order)
