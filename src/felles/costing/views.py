"""Cost-model pages: the three allocation methods side by side, and every computed price
with its calculation basis."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from felles.core.actor import Actor
from felles.core.exports import xlsx_response
from felles.core.permissions import authenticated, get_visible_or_404, requires
from felles.core.services import ServiceError
from felles.costing import selectors, services
from felles.costing.forms import AdjustForm, ApproveForm, ProposeForm
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Role


@requires(authenticated)
def model_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "costing/model_list.html", {"models": selectors.models_for(request.user)}
    )


@requires(authenticated)
def model_detail(request: HttpRequest, model_id: uuid.UUID) -> HttpResponse:
    model = get_visible_or_404(selectors.models_for(request.user), uuid=model_id)
    method = request.GET.get("metode", "reciprocal")
    if method not in selectors.METHOD_LABELS:
        method = "reciprocal"
    result = selectors.compute(model, method)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            f"priser-{model.provider.abbreviation}-{model.year}.xlsx",
            [
                "Tjeneste",
                "Linje",
                "Fullkost",
                "Planlagt volum",
                "Enhet",
                "Pris (fullkost)",
                "Pris (dekningsbidrag)",
                "Beregningsgrunnlag",
            ],
            (
                [
                    p.service.name_nb,
                    p.line,
                    p.full_cost,
                    p.planned_volume,
                    p.service.unit_label,
                    p.unit_price,
                    p.marginal_price,
                    p.basis,
                ]
                for p in result.prices
            ),
        )
    rows = [
        {
            "centre": line["centre"],
            "full_cost": line["full_cost"],
            "by_method": [
                result.comparison[m][line["centre"].code] for m in selectors.METHOD_LABELS
            ],
        }
        for line in result.lines
    ]
    return render(
        request,
        "costing/model_detail.html",
        {
            "model": model,
            "result": result,
            "rows": rows,
            "method": method,
            "methods": list(selectors.METHOD_LABELS.items()),
            "support": [c for c in model.centres.all() if c.kind == "support"],
        },
    )


# --- price lists ----------------------------------------------------------------------------

may_propose = org_selectors.role_rule(Role.PROVIDER_MANAGER)
may_approve = org_selectors.role_rule(Role.GOVERNANCE)


def _manages(user: Any, provider_id: int) -> bool:
    access = org_selectors.access_for(user)
    return any(r == Role.PROVIDER_MANAGER and o == provider_id for r, o in access.roles)


@require_POST
@requires(may_propose)
def propose_prices(request: HttpRequest, model_id: uuid.UUID) -> HttpResponse:
    model = get_visible_or_404(selectors.models_for(request.user), uuid=model_id)
    if not _manages(request.user, model.provider_id):
        raise PermissionDenied
    form = ProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Velg datoen prislisten skal gjelde fra.")
        return redirect("cost_model", model_id=model.uuid)
    price_list = services.propose_price_list(
        actor=Actor.from_request(request),
        model=model,
        effective_from=form.cleaned_data["effective_from"],
        method=form.cleaned_data["method"],
    )
    messages.success(request, "Prislisten er foreslått og venter på vedtak i DFD.")
    return redirect("price_list", price_list_id=price_list.uuid)


@requires(authenticated)
def price_list_detail(request: HttpRequest, price_list_id: uuid.UUID) -> HttpResponse:
    price_list = get_visible_or_404(selectors.price_lists_for(request.user), uuid=price_list_id)
    actor = Actor.from_request(request)
    adjust_form, approve_form = AdjustForm(), ApproveForm()
    if request.method == "POST":
        try:
            if "adjust" in request.POST and _manages(request.user, price_list.provider_id):
                adjust_form = AdjustForm(request.POST)
                if adjust_form.is_valid():
                    services.adjust_price_list(
                        actor=actor,
                        price_list=price_list,
                        percent=adjust_form.cleaned_data["percent"],
                    )
                    messages.success(request, "Prislisten er justert.")
                    return redirect("price_list", price_list_id=price_list.uuid)
            elif "approve" in request.POST and may_approve(request.user):
                approve_form = ApproveForm(request.POST)
                if approve_form.is_valid():
                    services.approve_price_list(
                        actor=actor,
                        price_list=price_list,
                        decision_reference=approve_form.cleaned_data["decision_reference"],
                    )
                    messages.success(
                        request,
                        f"Prisene er vedtatt og gjelder fra {price_list.effective_from:%d.%m.%Y}.",
                    )
                    return redirect("price_list", price_list_id=price_list.uuid)
            else:
                raise PermissionDenied
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect("price_list", price_list_id=price_list.uuid)
    proposed = price_list.status == price_list.Status.PROPOSED
    return render(
        request,
        "costing/price_list.html",
        {
            "price_list": price_list,
            "items": price_list.items.select_related("service"),
            "adjust_form": adjust_form
            if proposed and _manages(request.user, price_list.provider_id)
            else None,
            "approve_form": approve_form if proposed and may_approve(request.user) else None,
        },
        status=422 if adjust_form.errors or approve_form.errors else 200,
    )
