"""Ordering pages: order a service (with the approval chain before sending), my orders,
the coordinator's overview of the ministry's orders, an order and its actions."""

from __future__ import annotations

import contextlib
import uuid
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.forms import ModelChoiceField
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from felles.catalog.selectors import approval_text, cost_for, orderable_service
from felles.core.actor import Actor
from felles.core.exports import xlsx_response
from felles.core.forms import add_service_errors
from felles.core.listing import paginate
from felles.core.locale import localized
from felles.core.permissions import authenticated, get_visible_or_404, requires
from felles.core.services import ServiceError
from felles.orders import chain, compiled, events, forms, selectors, services, states
from felles.orders.models import Order
from felles.orders.orderform import OrderForm
from felles.orders.views._common import (
    DONE,
    QUEUE_ROW,
    _act,
    _me,
    _order_context,
    _partial,
    _target,
    _vary,
    queue_rows,
)
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Person


@requires(authenticated)
def order_new(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    """The order form. It shows the approval chain the order will get before it is sent
    (computed with the submission's own rules, writing nothing); with htmx the chain
    follows the quantity and the person the order is for as they change."""
    me = _me(request)
    service = orderable_service(request.user, service_id)
    if service is None:
        raise Http404
    elsewhere = events.order_form_url(service=service)
    if elsewhere:
        return redirect(elsewhere)
    form = OrderForm(request.POST or None, request.FILES or None, service=service, orderer=me)
    if _partial(request) and request.method == "GET":
        return _vary(
            render(request, "orders/_chain.html", {"preview": _preview(form, request.GET, me)})
        )
    if request.method == "POST" and form.is_valid():
        try:
            order = form.submit(actor=Actor.from_request(request), orderer=me)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Bestillingen %(number)s er sendt. %(status)s.")
                % {"number": order.number, "status": selectors.status_sentence(order)},
            )
            return redirect("order", order_id=order.uuid)
    return _vary(
        render(
            request,
            "orders/order_new.html",
            {
                "service": service,
                "form": form,
                "cost": cost_for(service, me.organisation),
                "approval": approval_text(service),
                "preview": _preview(form, request.POST, me),
            },
            status=422 if form.errors else 200,
        )
    )


def _preview(form: OrderForm, data: Any, me: Person) -> chain.Preview:
    """The chain for the quantity and beneficiary in `data` (what the user has typed so
    far; the defaults where it is empty or not yet valid)."""
    quantity = Decimal("1")
    if "quantity" in form.fields and data.get("quantity"):
        with contextlib.suppress(ValidationError):
            quantity = form.fields["quantity"].clean(data["quantity"]) or quantity
    beneficiary = None
    if data.get("beneficiary"):
        field = form.fields["beneficiary"]
        assert isinstance(field, ModelChoiceField)
        try:
            beneficiary = field.clean(data["beneficiary"])
        except ValidationError:
            beneficiary = None
    return chain.preview(
        service=form.service, orderer=me, beneficiary=beneficiary, quantity=quantity
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
            orders = orders.filter(
                Q(number__icontains=word)
                | Q(service__name_nb__icontains=word)
                | Q(service__name_en__icontains=word)
            )
    return form, orders


def _order_list(
    request: HttpRequest, orders: QuerySet[Order], title: str, filename: str
) -> HttpResponse:
    form, orders = _filtered(request, orders.prefetch_related("steps__approver"))
    if request.GET.get("format") == "xlsx":
        rows = list(orders)
        shown = selectors.content_ids(request.user, rows)
        services.record_reads(
            actor=Actor.from_request(request),
            orders=[o for o in rows if o.pk in shown],
            route="export",
        )
        return xlsx_response(
            filename,
            [
                _("Nummer"),
                _("Tjeneste"),
                _("Departement"),
                _("Bestilt av"),
                _("Gjelder"),
                _("Status"),
                _("Bestilt"),
                _("Estimert beløp"),
            ],
            (
                [
                    o.number,
                    localized(o.service, "name"),
                    o.ministry.abbreviation,
                    o.orderer.full_name if o.pk in shown else _("Skjermet"),
                    o.beneficiary.full_name if o.pk in shown else _("Skjermet"),
                    selectors.status_sentence(o) if o.pk in shown else o.status_label,
                    o.submitted_at,
                    o.estimated_amount,
                ]
                for o in rows
            ),
        )
    context = {"form": form, "title": title, **paginate(request, orders)}
    shown = selectors.content_ids(request.user, context["page"])
    context["rows"] = [
        (o, selectors.status_sentence(o) if o.pk in shown else o.status_label, o.pk in shown)
        for o in context["page"]
    ]
    template = "orders/_order_results.html" if _partial(request) else "orders/order_list.html"
    return _vary(render(request, template, context))


@requires(authenticated)
def my_orders(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    orders = selectors.orders_for(request.user).filter(Q(orderer=me) | Q(beneficiary=me))
    return _order_list(request, orders, _("Mine bestillinger"), "mine-bestillinger.xlsx")


@requires(org_selectors.is_ordering_coordinator)
def ministry_orders(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    orders = selectors.orders_for(request.user).filter(ministry=me.organisation)
    return _order_list(
        request,
        orders,
        _("Alle bestillinger i %(ministry)s") % {"ministry": me.organisation.abbreviation},
        "departementets-bestillinger.xlsx",
    )


@requires(authenticated)
def order_detail(request: HttpRequest, order_id: uuid.UUID) -> HttpResponse:
    order = compiled.order_or_404(request.user, order_id)
    if not selectors.may_read_content(request.user, order):
        # A restricted order the administrator or auditor is no party to: that it exists
        # and its metadata, never its content.
        return render(request, "orders/order_metadata.html", {"order": order})
    actor = Actor.from_request(request)
    services.record_read(
        actor=actor, order=order, route="email" if request.GET.get("via") == "epost" else "page"
    )
    me = org_selectors.person_for(request.user)
    if me is not None:
        services.mark_notifications_read(actor=actor, person=me, order=order)
    return render(request, "orders/order_detail.html", _order_context(request, order))


@require_POST
@requires(authenticated)
def order_action(request: HttpRequest, order_id: uuid.UUID) -> HttpResponse:
    """An action from the order page (redirects back with a message) or, with htmx, from
    the order page's panel (answers with the order's live part: status, panel, timeline)
    or from a row of the provider queue (answers with the row as it is now)."""
    order = compiled.order_or_404(request.user, order_id)
    action = request.POST.get("action", "")
    form, refusal = _act(request, order, action)
    outcome = {"error": refusal} if refusal else {"done": DONE[action]}
    target = _target(request)
    if target == "order-live":
        order = get_visible_or_404(selectors.orders_for(request.user), pk=order.pk)
        context = _order_context(request, order, bound=form if refusal else None)
        return render(request, "orders/_order_live.html", {**context, **outcome})
    if _partial(request):
        row = queue_rows(request.user, Order.objects.select_related(*QUEUE_ROW).filter(pk=order.pk))
        return render(request, "orders/_queue_row.html", {"row": row[0], **outcome})
    if refusal:
        messages.error(request, refusal)
        response = redirect("order", order_id=order.uuid)
        response.status_code = 303
        return response
    messages.success(request, DONE[action])
    return redirect("order", order_id=order.uuid)
