"""Ordering pages: order a service, my orders, an order, approvals, provider queue and the
coordinator's overview of the ministry's orders."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from felles.catalog.models import Priority
from felles.catalog.selectors import approval_text, cost_for, orderable_service
from felles.core.actor import Actor
from felles.core.exports import xlsx_response
from felles.core.forms import add_service_errors
from felles.core.listing import paginate
from felles.core.permissions import authenticated, get_visible_or_404, public, requires
from felles.core.services import Forbidden, ServiceError
from felles.orders import events, selectors, services, states
from felles.orders.forms import DecisionForm, OrderFilterForm
from felles.orders.models import ApprovalStep, Order
from felles.orders.orderform import OrderForm
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Person


def _me(request: HttpRequest) -> Person:
    person = org_selectors.person_for(request.user)
    if person is None:
        raise Http404
    return person


@requires(authenticated)
def order_new(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    me = _me(request)
    service = orderable_service(request.user, service_id)
    if service is None:
        raise Http404
    form = OrderForm(request.POST or None, request.FILES or None, service=service, orderer=me)
    if request.method == "POST" and form.is_valid():
        try:
            order = form.submit(actor=Actor.from_request(request), orderer=me)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Bestillingen {order.number} er sendt. {selectors.status_sentence(order)}.",
            )
            return redirect("order", order_id=order.uuid)
    return render(
        request,
        "orders/order_new.html",
        {
            "service": service,
            "form": form,
            "cost": cost_for(service, me.organisation),
            "approval": approval_text(service),
        },
        status=422 if form.errors else 200,
    )


def _filtered(
    request: HttpRequest, orders: QuerySet[Order]
) -> tuple[OrderFilterForm, QuerySet[Order]]:
    form = OrderFilterForm(request.GET or None)
    if form.is_valid():
        status = form.cleaned_data["status"]
        if status == "open":
            orders = orders.filter(status__in=[s.value for s in states.OPEN])
        elif status == "done":
            orders = orders.exclude(status__in=[s.value for s in states.OPEN])
        elif status:
            orders = orders.filter(status=status)
        for word in form.cleaned_data["q"].split():
            orders = orders.filter(Q(number__icontains=word) | Q(service__name_nb__icontains=word))
    return form, orders


def _order_list(
    request: HttpRequest, orders: QuerySet[Order], title: str, filename: str
) -> HttpResponse:
    form, orders = _filtered(request, orders.prefetch_related("steps__approver"))
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename,
            [
                "Nummer",
                "Tjeneste",
                "Departement",
                "Bestilt av",
                "Gjelder",
                "Status",
                "Bestilt",
                "Estimert beløp",
            ],
            (
                [
                    o.number,
                    o.service.name_nb,
                    o.ministry.abbreviation,
                    o.orderer.full_name,
                    o.beneficiary.full_name,
                    selectors.status_sentence(o),
                    o.submitted_at,
                    o.estimated_amount,
                ]
                for o in orders
            ),
        )
    context = {"form": form, "title": title, **paginate(request, orders)}
    context["rows"] = [(o, selectors.status_sentence(o)) for o in context["page"]]
    return render(request, "orders/order_list.html", context)


@requires(authenticated)
def my_orders(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    orders = selectors.orders_for(request.user).filter(Q(orderer=me) | Q(beneficiary=me))
    return _order_list(request, orders, "Mine bestillinger", "mine-bestillinger.xlsx")


@requires(org_selectors.is_ordering_coordinator)
def ministry_orders(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    orders = selectors.orders_for(request.user).filter(ministry=me.organisation)
    return _order_list(
        request,
        orders,
        f"Alle bestillinger i {me.organisation.abbreviation}",
        "departementets-bestillinger.xlsx",
    )


@requires(authenticated)
def order_detail(request: HttpRequest, order_id: uuid.UUID) -> HttpResponse:
    order = get_visible_or_404(selectors.orders_for(request.user), uuid=order_id)
    steps = list(order.steps.select_related("approver", "decided_by", "on_behalf_of"))
    decidable = next((s for s in steps if selectors.decider_for(request.user, s)), None)
    allowed = selectors.available_actions(request.user, order)
    me = org_selectors.person_for(request.user)
    if me is not None:
        services.mark_notifications_read(actor=Actor.from_request(request), person=me, order=order)
    return render(
        request,
        "orders/order_detail.html",
        {
            "order": order,
            "sla": getattr(order, "sla", None),
            "priorities": Priority.choices,
            "pauses": events.sla_pauses(order=order),
            "steps": steps,
            "events": selectors.events_for(request.user, order),
            "status": selectors.status_sentence(order),
            "actions": allowed,
            "decidable": decidable,
            "decision_form": DecisionForm(),
            "colleagues": selectors.colleagues_for_assignment(order) if "assign" in allowed else [],
            "provider_view": selectors.is_provider_staff(request.user, order),
        },
    )


# What each action's form posts, as the services take it. Who may do what is the services'
# own rule (a refusal is 403); bad input and a stale state come back as a message.
DONE = {
    "cancel": "Bestillingen er kansellert.",
    "provide_info": "Svaret er sendt.",
    "confirm": "Takk! Bestillingen er avsluttet.",
    "reopen": "Saken er gjenåpnet.",
    "rate": "Takk for vurderingen.",
    "comment": "Kommentaren er lagt til.",
    "note": "Notatet er lagret.",
    "take": "Du har tatt saken.",
    "assign": "Saken er tildelt.",
    "request_info": "Spørsmålet er sendt til bestilleren.",
    "resolve": "Saken er markert som levert.",
    "priority": "Prioriteten er endret.",
}
# The same rules as the order form's quantity: positive, at most 12 digits, 2 decimals.
QUANTITY = forms.DecimalField(min_value=Decimal("0.01"), max_digits=12, decimal_places=2)


def _score(value: str) -> int:
    """The posted rating; anything but a whole number is 0, which `rate` refuses with its
    own message (after its rule, so a user who may not rate still gets 403)."""
    try:
        return int(value)
    except ValueError:
        return 0


def _quantity(value: str) -> Decimal | None:
    if not value:
        return None
    try:
        quantity: Decimal = QUANTITY.clean(value)
    except forms.ValidationError:
        raise ServiceError(
            "Antall må være et tall over null med høyst to desimaler.",
            {"quantity": ["Ugyldig antall."]},
        ) from None
    return quantity


def _act(request: HttpRequest, order: Order, action: str) -> None:
    """Call the service the posted action names."""
    actor, post = Actor.from_request(request), request.POST
    text = post.get("text", "")
    if action == "cancel":
        services.cancel(actor=actor, order=order, reason=text)
    elif action == "provide_info":
        services.provide_info(actor=actor, order=order, answer=text)
    elif action == "confirm":
        services.confirm(actor=actor, order=order)
    elif action == "reopen":
        services.reopen(actor=actor, order=order, reason=text)
    elif action == "rate":
        score = _score(post.get("score", ""))
        services.rate(actor=actor, order=order, score=score, comment_text=text)
    elif action in ("comment", "note"):
        services.comment(actor=actor, order=order, text=text, internal=action == "note")
    elif action == "take":
        services.take(actor=actor, order=order)
    elif action == "assign":
        assignee = selectors.colleague(order, post.get("assignee"))
        services.assign(actor=actor, order=order, assignee=assignee)
    elif action == "priority":
        services.change_priority(actor=actor, order=order, priority=post.get("priority", ""))
    elif action == "request_info":
        services.request_info(actor=actor, order=order, question=text)
    elif action == "resolve":
        quantity = _quantity(post.get("quantity", ""))
        services.resolve(actor=actor, order=order, resolution=text, quantity=quantity)
    else:
        raise ServiceError(f"Ukjent handling «{action}».", {"action": ["Ukjent handling."]})


@require_POST
@requires(authenticated)
def order_action(request: HttpRequest, order_id: uuid.UUID) -> HttpResponse:
    order = get_visible_or_404(selectors.orders_for(request.user), uuid=order_id)
    action = request.POST.get("action", "")
    try:
        _act(request, order, action)
    except Forbidden:
        raise  # 403 (core.permissions.requires)
    except ServiceError as exc:
        messages.error(
            request,
            exc.message
            if not exc.field_errors
            else " ".join(m for ms in exc.field_errors.values() for m in ms),
        )
        response = redirect("order", order_id=order.uuid)
        response.status_code = 303
        return response
    messages.success(request, DONE[action])
    return redirect("order", order_id=order.uuid)


# --- approvals ----------------------------------------------------------------------------


@requires(authenticated)
def approvals(request: HttpRequest) -> HttpResponse:
    pending = list(selectors.pending_steps_for(request.user))
    me = org_selectors.person_for(request.user)
    decided = (
        ApprovalStep.objects.filter(decided_by=me)
        .select_related("order", "order__service", "order__beneficiary")
        .order_by("-decided_at")[:20]
        if me
        else []
    )
    rows = [(s, cost_for(s.order.service, s.order.ministry)) for s in pending]
    return render(
        request, "orders/approvals.html", {"rows": rows, "decided": decided, "form": DecisionForm()}
    )


@require_POST
@requires(authenticated)
def approval_decide(request: HttpRequest, step_id: uuid.UUID) -> HttpResponse:
    try:
        step, decider, behalf = selectors.step_to_decide(request.user, step_id)
    except selectors.StepDecided:
        messages.error(request, "Bestillingen er allerede behandlet.")
        return redirect("approvals")
    approve, refusal = _submit_decision(request, step, decider, behalf, Actor.from_request(request))
    if isinstance(refusal, Forbidden):
        raise refusal  # 403 (core.permissions.requires)
    if refusal is not None:
        messages.error(request, refusal.message)
    else:
        messages.success(request, f"{step.order.number} er {'godkjent' if approve else 'avvist'}.")
    return redirect("approvals")


def _submit_decision(
    request: HttpRequest, step: ApprovalStep, decider: Person, behalf: Person, actor: Actor
) -> tuple[bool, ServiceError | None]:
    """Apply the posted decision (web page and e-mail link share this); returns whether it
    was an approval and the refusal, if any."""
    form = DecisionForm(request.POST)
    form.is_valid()
    approve = request.POST.get("decision") == "approve"
    try:
        services.decide(
            actor=actor,
            step=step,
            decider=decider,
            on_behalf_of=behalf,
            approve=approve,
            comment=form.cleaned_data.get("comment", ""),
        )
    except ServiceError as exc:
        return approve, exc
    return approve, None


@public
def approval_link(request: HttpRequest, token: str) -> HttpResponse:
    """Decide from the e-mail link without logging in. Shows only this order."""
    try:
        step = services.step_from_token(token)
    except ServiceError as exc:
        return render(
            request,
            "orders/approval_link.html",
            {"error": exc.message},
            status=exc.status if exc.status in (404, 409) else 400,
        )
    order = step.order
    if request.method == "POST":
        actor = Actor(user=step.approver.user, request_id=getattr(request, "request_id", ""))
        approve, refusal = _submit_decision(request, step, step.approver, step.approver, actor)
        if refusal is not None:
            return render(
                request,
                "orders/approval_link.html",
                {
                    "step": step,
                    "order": order,
                    "form": DecisionForm(request.POST),
                    "error": refusal.message,
                    "cost": cost_for(order.service, order.ministry),
                },
                status=refusal.status if refusal.status != 400 else 422,
            )
        return render(
            request,
            "orders/approval_link.html",
            {"done": "godkjent" if approve else "avvist", "order": order},
        )
    return render(
        request,
        "orders/approval_link.html",
        {
            "step": step,
            "order": order,
            "form": DecisionForm(),
            "cost": cost_for(order.service, order.ministry),
        },
    )


# --- provider queue -----------------------------------------------------------------------

PRIORITY_ORDER = {"critical": 0, "high": 1, "normal": 2, "low": 3}


@requires(org_selectors.works_for_provider)
def queue(request: HttpRequest) -> HttpResponse:
    orders = selectors.queue_for(request.user)
    status = request.GET.get("status", "")
    if status in {s.value for s in states.PROVIDER_ACTIVE}:
        orders = orders.filter(status=status)
    if request.GET.get("mine"):
        orders = orders.filter(assignee=org_selectors.person_for(request.user))
    if request.GET.get("area"):
        orders = orders.filter(service__area__code=request.GET["area"])
    if request.GET.get("priority") in PRIORITY_ORDER:
        orders = orders.filter(priority=request.GET["priority"])
    urgency = Case(
        *(When(priority=p, then=Value(rank)) for p, rank in PRIORITY_ORDER.items()),
        default=Value(9),
        output_field=IntegerField(),
    )
    sort = request.GET.get("sorter", "tid")
    if sort == "prioritet":
        ordering = ["urgency", "submitted_at"]
    else:  # least time left first; paused and unstarted clocks last
        ordering = [F("sla__resolution_due").asc(nulls_last=True), "urgency", "submitted_at"]
    # Sorted by the selected column, not by a second copy of the CASE: with server-side
    # parameters PostgreSQL cannot tell that two copies are one expression under DISTINCT.
    orders = orders.annotate(urgency=urgency).select_related("sla")
    context = paginate(request, orders.order_by(*ordering))
    context["sort"] = sort
    context.update(
        statuses=[
            (s.value, states.LABELS[s]) for s in states.Status if s in states.PROVIDER_ACTIVE
        ],
        status=status,
    )
    return render(request, "orders/queue.html", context)
