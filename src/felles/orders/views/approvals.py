"""Approvals: the approver's list with inline decisions, a decision from the order page, and
the e-mail link that decides without logging in."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from felles.catalog.selectors import cost_for
from felles.core.actor import Actor
from felles.core.forms import add_service_errors
from felles.core.permissions import authenticated, get_visible_or_404, public, requires
from felles.core.services import Forbidden, ServiceError
from felles.orders import forms, selectors, services
from felles.orders.models import ApprovalStep
from felles.orders.views._common import _errors, _order_context, _partial, _target
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Person

# --- approvals ----------------------------------------------------------------------------


def _decision_form(step: ApprovalStep, data: Any = None) -> forms.DecisionForm:
    return forms.DecisionForm(data, auto_id=f"c-{step.uuid}-%s", rows=1, order=step.order)


@requires(authenticated)
def approvals(request: HttpRequest) -> HttpResponse:
    pending = list(selectors.pending_steps_for(request.user))
    # What each service costs the ministry: read once for the whole list.
    prefetch_related_objects([s.order.service for s in pending], "availability", "prices")
    me = org_selectors.person_for(request.user)
    decided = (
        ApprovalStep.objects.filter(decided_by=me)
        .select_related("order", "order__service", "order__beneficiary")
        .order_by("-decided_at")[:20]
        if me
        else []
    )
    rows = [(s, cost_for(s.order.service, s.order.ministry), _decision_form(s)) for s in pending]
    # The list shows what the orderer wrote: a read of each restricted order in it.
    services.record_reads(
        actor=Actor.from_request(request), orders=[s.order for s in pending], route="page"
    )
    return render(request, "orders/approvals.html", {"rows": rows, "decided": decided})


@require_POST
@requires(authenticated)
def approval_decide(request: HttpRequest, step_id: uuid.UUID) -> HttpResponse:
    """A decision from the approvals list or the order page: back where it came from with
    a message or, with htmx, the list's row (or the order page's live part) replaced by the
    outcome. Every message names the order it is about."""
    target = _target(request)
    try:
        step, decider, behalf = selectors.step_to_decide(request.user, step_id)
    except selectors.StepDecided as exc:
        error = _("%(number)s er allerede behandlet.") % {"number": exc.args[0] if exc.args else ""}
        if target == "order-live":
            order = get_visible_or_404(selectors.orders_for(request.user), number=exc.args[0])
            return render(
                request,
                "orders/_order_live.html",
                {**_order_context(request, order), "error": error},
            )
        if _partial(request):
            return render(
                request, "orders/_approval_row.html", {"step_uuid": step_id, "error": error}
            )
        messages.error(request, error)
        return redirect("approvals")
    form = _decision_form(step, request.POST)
    refusal = _submit_decision(form, step, decider, behalf, Actor.from_request(request))
    number = step.order.number
    if refusal is None:
        done = (_("%(number)s er godkjent.") if form.approve else _("%(number)s er avvist.")) % {
            "number": number
        }
    else:
        error = _("%(number)s er ikke behandlet: %(reason)s") % {
            "number": number,
            "reason": refusal.message,
        }
    if target == "order-live":
        order = get_visible_or_404(selectors.orders_for(request.user), pk=step.order_id)
        outcome = {"done": done} if refusal is None else {"error": error}
        return render(
            request, "orders/_order_live.html", {**_order_context(request, order), **outcome}
        )
    if _partial(request):
        context: dict[str, Any] = {"step": step, "step_uuid": step.uuid, "form": form}
        if refusal is None:
            context["done"] = done
        else:  # the row again, with the refusal and the form's errors
            context.update(error=error, cost=cost_for(step.order.service, step.order.ministry))
        return render(request, "orders/_approval_row.html", context)
    if refusal is not None:
        messages.error(request, error)
    else:
        messages.success(request, done)
    if request.POST.get("next") == "order":
        return redirect("order", order_id=step.order.uuid)
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
            return render(
                request, "orders/approval_link.html", {"approved": form.approve, "order": order}
            )
        context.update(error=refusal.message, cost=cost_for(order.service, order.ministry))
        status = refusal.status if refusal.status != 400 else 422
        return render(request, "orders/approval_link.html", context, status=status)
    context["cost"] = cost_for(order.service, order.ministry)
    if step.approver.user is not None:  # the link is the approver's own: their read
        services.record_read(
            actor=Actor(user=step.approver.user, request_id=getattr(request, "request_id", "")),
            order=order,
            route="approval_link",
        )
    return render(request, "orders/approval_link.html", context)
