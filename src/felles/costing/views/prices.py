"""Cost-model pages: the three allocation methods side by side, every computed price
with its calculation basis, and price lists (proposed by the provider, approved by DFD)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from felles.core.actor import Actor
from felles.core.exports import xlsx_response, xlsx_workbook_response
from felles.core.imports import ImportFlow
from felles.core.permissions import authenticated, get_visible_or_404, requires
from felles.core.services import Forbidden, ServiceError
from felles.costing import events, selectors, services, workbook_import
from felles.costing.forms import (
    AdjustForm,
    ApproveWithDecisionForm,
    ModelImportForm,
    ProposeForm,
)
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation, Role

MODEL_IMPORT_KEY = "felles_pending_model_imports"


@requires(authenticated)
def model_list(request: HttpRequest) -> HttpResponse:
    """The cost models, and for the providers' managers an upload of a model workbook."""
    managed = Organisation.objects.providers().filter(
        pk__in=org_selectors.managed_providers(request.user)
    )
    context = {"models": selectors.models_for(request.user), "manages": managed.exists()}
    actor = Actor.from_request(request)

    def plan(provider_id: int, year: int, name: str, content: bytes, filename: str) -> Any:
        result = workbook_import.plan_model(managed.get(pk=provider_id), content, filename)
        result.meta = {"provider": provider_id, "year": year, "name": name}
        return result

    def save(result: workbook_import.ModelPlan) -> None:
        services.save_cost_model(
            actor=actor,
            provider=managed.get(pk=result.meta["provider"]),
            year=result.meta["year"],
            name=result.meta["name"],
            centres=result.centres,
            shares=result.shares,
            services=result.services,
            quantities=result.quantities,
        )

    return ImportFlow(
        session_key=MODEL_IMPORT_KEY,
        template="costing/model_list.html",
        url_name="cost_models",
        make_form=lambda *args: ModelImportForm(*args, providers=managed),
        plan_upload=lambda data, content, name: plan(
            data["provider"].pk, data["year"], data["name"], content, name
        ),
        stash_meta=lambda result: result.meta,
        plan_stashed=lambda meta, content: plan(
            meta["provider"], meta["year"], meta["name"], content, meta["filename"]
        ),
        apply=save,
        done_message=lambda result: (
            _("Kostnadsmodellen «%(name)s» er lagret.") % {"name": result.meta["name"]}
        ),
        context=context,
    ).handle(request)


@requires(authenticated)
def model_detail(request: HttpRequest, model_id: uuid.UUID) -> HttpResponse:
    model = get_visible_or_404(selectors.models_for(request.user), uuid=model_id)
    method = request.GET.get("metode", "reciprocal")
    if method not in selectors.METHOD_LABELS:
        method = "reciprocal"
    result = selectors.compute(model, method)
    if request.GET.get("format") == "modell":
        return xlsx_workbook_response(
            f"kostnadsmodell-{model.provider.abbreviation}-{model.year}.xlsx",
            workbook_import.model_workbook_sheets(model),
        )
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
            "composition": selectors.cost_composition_chart(result),
            "quantities": model.quantities.select_related("supplier", "receiver"),
            "price_lists": model.price_lists.all(),
            "propose_form": ProposeForm()
            if org_selectors.manages_provider(request.user, model.provider_id)
            else None,
        },
    )


# --- price lists ----------------------------------------------------------------------------

may_propose = org_selectors.role_rule(Role.PROVIDER_MANAGER)
may_approve = org_selectors.role_rule(Role.GOVERNANCE)


@require_POST
@requires(may_propose)
def propose_prices(request: HttpRequest, model_id: uuid.UUID) -> HttpResponse:
    model = get_visible_or_404(selectors.models_for(request.user), uuid=model_id)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Velg datoen prislisten skal gjelde fra."))
        return redirect("cost_model", model_id=model.uuid)
    try:
        price_list = services.propose_price_list(
            actor=Actor.from_request(request),
            model=model,
            effective_from=form.cleaned_data["effective_from"],
            method=form.cleaned_data["method"] or "reciprocal",
        )
    except Forbidden:
        raise  # the 403 page
    except ServiceError as exc:  # e.g. a model with no services to price
        messages.error(request, exc.message)
        return redirect("cost_model", model_id=model.uuid)
    messages.success(request, _("Prislisten er foreslått og venter på vedtak i DFD."))
    return redirect("price_list", price_list_id=price_list.uuid)


def _price_decisions(price_list: Any) -> Any:
    """DFD's decided cases about this provider a price list approval can rest on."""
    return events.decided_cases().filter(provider=price_list.provider, decided_level="strategic")


@requires(authenticated)
def price_list_detail(request: HttpRequest, price_list_id: uuid.UUID) -> HttpResponse:
    price_list = get_visible_or_404(selectors.price_lists_for(request.user), uuid=price_list_id)
    actor = Actor.from_request(request)
    decisions = _price_decisions(price_list)
    adjust_form, approve_form = AdjustForm(), ApproveWithDecisionForm(decisions=decisions)
    if request.method == "POST":
        try:
            if "adjust" in request.POST:
                adjust_form = AdjustForm(request.POST)
                if adjust_form.is_valid():
                    services.adjust_price_list(
                        actor=actor,
                        price_list=price_list,
                        percent=adjust_form.cleaned_data["percent"],
                    )
                    messages.success(request, _("Prislisten er justert."))
                    return redirect("price_list", price_list_id=price_list.uuid)
            elif "approve" in request.POST:
                approve_form = ApproveWithDecisionForm(request.POST, decisions=decisions)
                if approve_form.is_valid():
                    services.approve_price_list(
                        actor=actor,
                        price_list=price_list,
                        decision_reference=approve_form.cleaned_data["decision_reference"],
                        decision=approve_form.cleaned_data["decision"],
                    )
                    messages.success(
                        request,
                        _("Prisene er vedtatt og gjelder fra %(date)s.")
                        % {"date": f"{price_list.effective_from:%d.%m.%Y}"},
                    )
                    return redirect("price_list", price_list_id=price_list.uuid)
        except Forbidden:
            raise  # the 403 page
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
            if proposed and org_selectors.manages_provider(request.user, price_list.provider_id)
            else None,
            "approve_form": approve_form if proposed and may_approve(request.user) else None,
        },
        status=422 if adjust_form.errors or approve_form.errors else 200,
    )
