"""The bundle pages: ordering a bundle (its own form; the children follow from the
answers) and cancelling a bundle order with its open children."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from felles.bundles import forms, selectors, services
from felles.bundles.models import BundleOrder
from felles.catalog import selectors as catalog_selectors
from felles.core.actor import Actor
from felles.core.forms import add_service_errors
from felles.core.permissions import authenticated, requires
from felles.core.services import Forbidden, ServiceError
from felles.orders.models import Order
from felles.organisations import selectors as org_selectors


@requires(authenticated)
def bundle_new(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    me = org_selectors.person_for(request.user)
    service = catalog_selectors.orderable_service(request.user, service_id)
    bundle = selectors.orderable_bundle(service_id) if service is not None else None
    if me is None or bundle is None:
        raise Http404
    form = forms.BundleForm(request.POST or None, bundle=bundle, orderer=me)
    if request.method == "POST" and form.is_valid():
        try:
            parent = services.submit_bundle(
                actor=Actor.from_request(request),
                orderer=me,
                bundle=bundle,
                values=form.cleaned_data,
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Samlebestillingen %(number)s er sendt med %(n)s delbestillinger.")
                % {"number": parent.number, "n": parent.child_links.count()},
            )
            late = selectors.past_deadlines(parent)
            if late:
                messages.warning(
                    request,
                    _(
                        "Fristen er allerede passert for %(children)s. Avtal en ny frist med "
                        "leverandøren, eller velg en senere dato neste gang."
                    )
                    % {"children": ", ".join(late)},
                )
            return redirect("order", order_id=parent.uuid)
    return render(
        request,
        "bundles/new.html",
        {
            "service": bundle.service,
            "form": form,
            "items": bundle.items.select_related("child_service"),
        },
        status=422 if form.errors else 200,
    )


@requires(authenticated)
def bundle_cancel(request: HttpRequest, order_id: uuid.UUID) -> HttpResponse:
    parent = Order.objects.visible_to(request.user).filter(uuid=order_id).first()
    if parent is None or not BundleOrder.objects.filter(order=parent).exists():
        raise Http404
    form = forms.CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            left = services.cancel_bundle(
                actor=Actor.from_request(request),
                parent=parent,
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Samlebestillingen er kansellert."))
            if left:
                messages.warning(
                    request,
                    _(
                        "Disse delbestillingene er i arbeid og må avbestilles hos "
                        "leverandøren: %(numbers)s."
                    )
                    % {"numbers": ", ".join(o.number for o in left)},
                )
            return redirect("order", order_id=parent.uuid)
    return render(
        request,
        "bundles/cancel.html",
        {"order": parent, "form": form},
        status=422 if form.errors else 200,
    )


@requires(authenticated)
def bundle_definition(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    """What a bundle creates, for those who may order it and the provider's managers
    (404 for others); the managers add a child here (`services.save_item` refuses loops,
    nested bundles and unknown fields)."""
    bundle = selectors.orderable_bundle(service_id)
    if bundle is None or not selectors.may_see_definition(request.user, bundle):
        raise Http404
    form = forms.ItemForm(request.POST or None, bundle=bundle)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_item(actor=Actor.from_request(request), bundle=bundle, **form.values())
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Delbestillingen er lagt til i samlebestillingen."))
            return redirect("bundle_definition", service_id=bundle.service.uuid)
    return render(
        request,
        "bundles/definition.html",
        {
            "bundle": bundle,
            "items": [
                (item, selectors.condition_text(bundle, item))
                for item in bundle.items.select_related("child_service__provider")
            ],
            "form": form,
            "may_edit": selectors.may_edit(request.user, bundle),
        },
        status=422 if form.errors else 200,
    )


@requires(authenticated)
def bundle_child(request: HttpRequest, order_id: uuid.UUID, child_id: uuid.UUID) -> HttpResponse:
    """Change or remove one child of a bundle before it reaches the provider (the
    orderer's side; the services refuse others and a child already at the provider)."""
    visible = Order.objects.visible_to(request.user)
    parent = visible.filter(uuid=order_id, bundle_order__isnull=False).first()
    child = (
        visible.filter(uuid=child_id, parent_link__parent=parent).select_related("service").first()
        if parent is not None
        else None
    )
    if parent is None or child is None:
        raise Http404
    form = forms.ChildForm(request.POST or None, child=child, editable=services.EDITABLE)
    if request.method == "POST":
        actor = Actor.from_request(request)
        try:
            if request.POST.get("action") == "remove":
                services.remove_child(actor=actor, parent=parent, child=child)
                messages.success(
                    request,
                    _("Delbestillingen %(number)s er fjernet.") % {"number": child.number},
                )
                return redirect("order", order_id=parent.uuid)
            if form.is_valid():
                services.edit_child(
                    actor=actor, parent=parent, child=child, values=form.cleaned_data
                )
                messages.success(
                    request,
                    _("Delbestillingen %(number)s er endret.") % {"number": child.number},
                )
                return redirect("order", order_id=parent.uuid)
        except ServiceError as exc:
            if isinstance(exc, Forbidden):
                raise
            add_service_errors(form, exc)
    return render(
        request,
        "bundles/child.html",
        {"order": parent, "child": child, "form": form},
        status=422 if form.errors else 200,
    )
