"""Catalogue pages: browse by area, search, service page, maintenance for providers."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from felles.catalog import events, selectors, services
from felles.catalog.forms import CatalogueFilterForm, PriceForm, ServiceForm, ServiceLevelForm
from felles.catalog.models import Priority, Service, ServiceLevel
from felles.core.actor import Actor
from felles.core.forms import add_service_errors
from felles.core.permissions import authenticated, get_visible_or_404, requires
from felles.core.services import ServiceError
from felles.core.validators import DATE_MIN
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation, Role

can_maintain = org_selectors.role_rule(Role.PROVIDER_MANAGER, Role.ADMINISTRATOR)


@requires(authenticated)
def catalogue(request: HttpRequest) -> HttpResponse:
    """The shop window: cards with area, provider and what the service costs the user's
    ministry, filters that update the list in place (and work as plain GET without
    JavaScript), and what the ministry orders most."""
    person = org_selectors.person_for(request.user)
    organisation = person.organisation if person else None
    areas, providers = selectors.catalogue_choices()
    form = CatalogueFilterForm(request.GET or None, areas=areas, providers=providers)
    found = selectors.services_for(request.user)
    query = form.value("q").strip()
    if query:
        found = found.search(query)
    shown = selectors.filter_catalogue(
        found,
        organisation,
        area=form.value("omrade"),
        provider=form.value("leverandor"),
        funding=form.value("finansiering"),
        approval=form.value("godkjenning"),
    )
    popular: list[Service] = []
    if organisation is not None and not form.filtered:
        ids = events.most_ordered(ministry_id=organisation.pk, limit=4)
        by_id = {s.pk: s for s in shown}
        popular = [by_id[i] for i in ids if i in by_id]
    context = {
        "form": form,
        "query": query,
        "count": len(shown),
        "groups": [
            (area, [_card(s, organisation) for s in items])
            for area, items in selectors.group_by_area(shown, areas)
        ],
        "popular": [_card(s, organisation) for s in popular],
        "organisation": organisation,
    }
    htmx = getattr(request, "htmx", None)
    partial = bool(htmx) and not htmx.history_restore_request
    response = render(
        request, "catalog/_results.html" if partial else "catalog/catalogue.html", context
    )
    patch_vary_headers(response, ("HX-Request",))
    return response


def _card(service: Service, organisation: Organisation | None) -> dict[str, object]:
    return {
        "service": service,
        "price": selectors.price_tag(service, organisation),
        "needs_approval": selectors.needs_approval(service),
    }


def _target_rows(level: ServiceLevel | None) -> list[tuple[str, dict[str, object]]]:
    """(priority label, {"response": hours, "resolution": hours}) for a level's table."""
    if level is None:
        return []
    targets = level.targets()
    rows = []
    for value, label in Priority.choices:
        response, resolution = targets[value]
        rows.append(
            (
                label,
                {
                    "response": _plain(response),
                    "resolution": _plain(resolution),
                    # The plural form needs a whole number: «1 time», «0,5 timer».
                    "response_n": 1 if response == 1 else 2,
                    "resolution_n": 1 if resolution == 1 else 2,
                },
            )
        )
    return rows


def _plain(hours: Decimal) -> int | Decimal:
    """8 rather than 8.00; 0.25 stays."""
    return int(hours) if hours == hours.to_integral_value() else hours.normalize()


@requires(authenticated)
def service_detail(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = get_visible_or_404(selectors.services_for(request.user), uuid=service_id)
    person = org_selectors.person_for(request.user)
    organisation = person.organisation if person else None
    today = timezone.localdate()
    level = selectors.service_level_on(service, today)
    targets = _target_rows(level)
    return render(
        request,
        "catalog/service_detail.html",
        {
            "service": service,
            "cost": selectors.cost_for(service, organisation),
            "price": selectors.price_tag(service, organisation),
            "approval": selectors.approval_text(service),
            "orderable": service.is_orderable_by(organisation)
            and selectors.may_order(request.user),
            "level": level,
            # The first levels hold since Felles's earliest date: no «from» worth showing.
            "level_since": level.valid_from if level and level.valid_from > DATE_MIN else None,
            "level_next": min(
                (v.valid_from for v in service.levels.all() if v.valid_from > today), default=None
            ),
            "targets": targets,
            "fields": service.fields.all(),
            "may_maintain": selectors.managed_services(request.user).filter(pk=service.pk).exists(),
            "satisfaction": events.service_satisfaction(service_id=service.pk),
        },
    )


@requires(can_maintain)
def service_edit(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = get_visible_or_404(selectors.managed_services(request.user), uuid=service_id)
    actor = Actor.from_request(request)
    form = ServiceForm(instance=service)
    price_form = PriceForm()
    if request.method == "POST" and "save_service" in request.POST:
        # Validate on a fresh copy: a failed form must not mutate the instance that the
        # service function locks and compares against.
        form = ServiceForm(request.POST, instance=Service.objects.get(pk=service.pk))
        if form.is_valid():
            try:
                services.update_service(actor=actor, service=service, values=form.cleaned_data)
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Endringene er lagret."))
                return redirect("service_edit", service_id=service.uuid)
    elif request.method == "POST" and "add_price" in request.POST:
        price_form = PriceForm(request.POST)
        if price_form.is_valid():
            try:
                services.add_price_version(actor=actor, service=service, **price_form.cleaned_data)
            except ServiceError as exc:
                add_service_errors(price_form, exc)
            else:
                messages.success(request, _("Ny prisversjon er lagt til."))
                return redirect("service_edit", service_id=service.uuid)
    status = 422 if form.errors or price_form.errors else 200
    return render(
        request,
        "catalog/service_edit.html",
        {
            "service": service,
            "form": form,
            "price_form": price_form,
            "prices": service.prices.all(),
        },
        status=status,
    )


@requires(can_maintain)
def service_levels(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    """A service's levels over time and, for its provider's managers, a new level from a
    date (earlier levels are never changed)."""
    service = get_visible_or_404(selectors.managed_services(request.user), uuid=service_id)
    current = selectors.service_level_on(service, timezone.localdate())
    initial: dict[str, object] = {"valid_from": timezone.localdate() + dt.timedelta(days=1)}
    if current is not None:
        initial |= {name: _plain(getattr(current, name)) for name in services.LEVEL_TARGETS}
        initial |= {
            name: getattr(current, name)
            for name in ("opening_hours", "opening_hours_en", "work_process", "work_process_en")
        }
    form = ServiceLevelForm(initial=initial)
    if request.method == "POST":
        form = ServiceLevelForm(request.POST)
        if form.is_valid():
            try:
                services.add_service_level(
                    actor=Actor.from_request(request), service=service, **form.service_values()
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Det nye servicenivået er lagret."))
                return redirect("service_levels", service_id=service.uuid)
    levels = selectors.service_levels(service)
    return render(
        request,
        "catalog/service_levels.html",
        {
            "service": service,
            "form": form,
            # (level, its targets table, whether it holds since Felles's earliest date)
            "levels": [
                (level, _target_rows(level), level.valid_from <= DATE_MIN) for level in levels
            ],
            "current": current,
        },
        status=422 if form.errors else 200,
    )
