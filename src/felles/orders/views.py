"""Ordering pages: order a service, my orders, an order, approvals, provider queue and the
coordinator's overview of the ministry's orders."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from felles.catalog.selectors import approval_text, cost_for, orderable_service
from felles.core.actor import Actor
from felles.core.exports import xlsx_response
from felles.core.forms import add_service_errors
from felles.core.listing import paginate
from felles.core.permissions import authenticated, get_visible_or_404, public, requires
from felles.core.services import Forbidden, ServiceError
from felles.orders import events, forms, selectors, services, states
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
) -> tuple[forms.OrderFilterForm, QuerySet[Order]]:
    form = forms.OrderFilterForm(request.GET or None)
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
    template = "orders/_order_results.html" if _partial(request) else "orders/order_list.html"
    return _vary(render(request, template, context))


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
    provider_view = selectors.is_provider_staff(request.user, order)
    return render(
        request,
        "orders/order_detail.html",
        {
            "order": order,
            "sla": getattr(order, "sla", None),
            "pauses": events.sla_pauses(order=order),
            "steps": steps,
            "events": selectors.events_for(request.user, order),
            "status": selectors.status_sentence(order),
            "action_forms": forms.action_forms(order, allowed, provider_view=provider_view),
            "decidable": decidable,
            "decision_form": forms.DecisionForm(),
        },
    )


# The message after each action. What an action takes and checks is its form's
# (orders.forms); who may do what is the services' own rule (a refusal is 403); bad input
# and a stale state come back as a message.
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
# What a row of the provider queue shows.
QUEUE_ROW = ("sla", "service", "ministry", "assignee")


def _partial(request: HttpRequest) -> bool:
    """An htmx request that swaps part of the page (not one restoring history, which needs
    the whole page)."""
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def _vary(response: HttpResponse) -> HttpResponse:
    """The page and its partial share a URL: caches must keep them apart."""
    patch_vary_headers(response, ("HX-Request",))
    return response


def _errors(form: BaseForm) -> str:
    return " ".join(str(m) for ms in form.errors.values() for m in ms)


def _act(request: HttpRequest, order: Order, action: str) -> str:
    """Bind the form of the posted action and call its service; the refusal in words, or ''."""
    form_class = forms.FORM_FOR.get(action)
    if form_class is None:
        return f"Ukjent handling «{action}»."
    form = form_class(request.POST, order=order)
    if form.is_valid():
        try:
            form.act(Actor.from_request(request), action)
        except ServiceError as exc:
            add_service_errors(form, exc)  # a Forbidden becomes the 403 page
    return _errors(form)


@require_POST
@requires(authenticated)
def order_action(request: HttpRequest, order_id: uuid.UUID) -> HttpResponse:
    """An action from the order page (redirects back with a message) or, with htmx, from a
    row of the provider queue (answers with the row as it is now)."""
    order = get_visible_or_404(selectors.orders_for(request.user), uuid=order_id)
    action = request.POST.get("action", "")
    refusal = _act(request, order, action)
    if _partial(request):
        order = Order.objects.select_related(*QUEUE_ROW).get(pk=order.pk)
        outcome = {"error": refusal} if refusal else {"done": DONE[action]}
        return render(request, "orders/_queue_row.html", {"o": order, **outcome})
    if refusal:
        messages.error(request, refusal)
        response = redirect("order", order_id=order.uuid)
        response.status_code = 303
        return response
    messages.success(request, DONE[action])
    return redirect("order", order_id=order.uuid)


# --- approvals ----------------------------------------------------------------------------


def _decision_form(step: ApprovalStep, data: Any = None) -> forms.DecisionForm:
    return forms.DecisionForm(data, auto_id=f"c-{step.uuid}-%s", rows=1)


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
    rows = [(s, cost_for(s.order.service, s.order.ministry), _decision_form(s)) for s in pending]
    return render(request, "orders/approvals.html", {"rows": rows, "decided": decided})


@require_POST
@requires(authenticated)
def approval_decide(request: HttpRequest, step_id: uuid.UUID) -> HttpResponse:
    """A decision from the approvals list or the order page: back to the list with a message
    or, with htmx, the list's row replaced by the outcome."""
    try:
        step, decider, behalf = selectors.step_to_decide(request.user, step_id)
    except selectors.StepDecided:
        if _partial(request):
            return render(
                request,
                "orders/_approval_row.html",
                {"step_uuid": step_id, "error": "Bestillingen er allerede behandlet."},
            )
        messages.error(request, "Bestillingen er allerede behandlet.")
        return redirect("approvals")
    form = _decision_form(step, request.POST)
    refusal = _submit_decision(form, step, decider, behalf, Actor.from_request(request))
    done = f"{step.order.number} er {'godkjent' if form.approve else 'avvist'}."
    if _partial(request):
        context: dict[str, Any] = {"step": step, "step_uuid": step.uuid, "form": form}
        if refusal is None:
            context["done"] = done
        else:  # the row again, with the refusal and the form's errors
            context.update(
                error=refusal.message, cost=cost_for(step.order.service, step.order.ministry)
            )
        return render(request, "orders/_approval_row.html", context)
    if refusal is not None:
        messages.error(request, refusal.message)
    else:
        messages.success(request, done)
    return redirect("approvals")


def _submit_decision(
    form: forms.DecisionForm, step: ApprovalStep, decider: Person, behalf: Person, actor: Actor
) -> ServiceError | None:
    """Apply a posted decision (web page and e-mail link share this): the refusal, with its
    errors on the form, or None when decided. A refusal by the service's rule
    (`Forbidden`) is raised."""
    if not form.is_valid():
        return ServiceError(_errors(form))
    try:
        services.decide(
            actor=actor,
            step=step,
            decider=decider,
            on_behalf_of=behalf,
            approve=form.approve,
            comment=form.cleaned_data["comment"],
        )
    except Forbidden:
        raise
    except ServiceError as exc:
        add_service_errors(form, exc)
        return exc
    return None


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
    form = forms.DecisionForm(request.POST if request.method == "POST" else None)
    context = {"step": step, "order": order, "form": form}
    if request.method == "POST":
        actor = Actor(user=step.approver.user, request_id=getattr(request, "request_id", ""))
        try:
            refusal = _submit_decision(form, step, step.approver, step.approver, actor)
        except Forbidden as exc:
            refusal = exc
        if refusal is None:
            done = "godkjent" if form.approve else "avvist"
            return render(request, "orders/approval_link.html", {"done": done, "order": order})
        context.update(error=refusal.message, cost=cost_for(order.service, order.ministry))
        status = refusal.status if refusal.status != 400 else 422
        return render(request, "orders/approval_link.html", context, status=status)
    context["cost"] = cost_for(order.service, order.ministry)
    return render(request, "orders/approval_link.html", context)


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
    orders = orders.annotate(urgency=urgency).select_related(*QUEUE_ROW)
    context = paginate(request, orders.order_by(*ordering))
    context["sort"] = sort
    context.update(
        statuses=[
            (s.value, states.LABELS[s]) for s in states.Status if s in states.PROVIDER_ACTIVE
        ],
        status=status,
    )
    template = "orders/_queue_results.html" if _partial(request) else "orders/queue.html"
    return _vary(render(request, template, context))
