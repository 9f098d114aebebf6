"""Cost-model pages: the three allocation methods side by side, and every computed price
with its calculation basis."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from felles.core.actor import Actor
from felles.core.exports import xlsx_response, xlsx_workbook_response
from felles.core.imports import ImportFlow
from felles.core.permissions import authenticated, get_visible_or_404, requires
from felles.core.services import ServiceError
from felles.costing import importing, selectors, services
from felles.costing.forms import (
    AdjustForm,
    ApproveWithDecisionForm,
    BudgetPostForm,
    LedgerImportForm,
    MappingImportForm,
    ModelImportForm,
    ProposeForm,
    ScenarioForm,
)
from felles.costing.models import BudgetPost, CostModel
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
    if not context["manages"]:
        if request.method == "POST":
            raise PermissionDenied
        return render(request, "costing/model_list.html", context)
    actor = Actor.from_request(request)

    def plan(provider_id: int, year: int, name: str, content: bytes, filename: str) -> Any:
        result = importing.plan_model(managed.get(pk=provider_id), content, filename)
        result.meta = {"provider": provider_id, "year": year, "name": name}
        return result

    def save(result: importing.ModelPlan) -> None:
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
        done_message=lambda result: f"Kostnadsmodellen «{result.meta['name']}» er lagret.",
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
            importing.model_workbook_sheets(model),
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
    if not org_selectors.manages_provider(request.user, model.provider_id):
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


def _price_decisions(price_list: Any) -> Any:
    """DFD's decided cases about this provider a price list approval can rest on."""
    from felles.governance.selectors import decision_log

    return decision_log().filter(provider=price_list.provider, decided_level="strategic")


@requires(authenticated)
def price_list_detail(request: HttpRequest, price_list_id: uuid.UUID) -> HttpResponse:
    price_list = get_visible_or_404(selectors.price_lists_for(request.user), uuid=price_list_id)
    actor = Actor.from_request(request)
    decisions = _price_decisions(price_list)
    adjust_form, approve_form = AdjustForm(), ApproveWithDecisionForm(decisions=decisions)
    if request.method == "POST":
        try:
            if "adjust" in request.POST and org_selectors.manages_provider(
                request.user, price_list.provider_id
            ):
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
            if proposed and org_selectors.manages_provider(request.user, price_list.provider_id)
            else None,
            "approve_form": approve_form if proposed and may_approve(request.user) else None,
        },
        status=422 if adjust_form.errors or approve_form.errors else 200,
    )


# --- budgets, appropriation transfer, recovery --------------------------------------------


def _provider_and_year(request: HttpRequest) -> tuple[Organisation, int, list[Organisation]]:
    """The provider and year a page shows: from the query, else the user's own provider
    (or DSS) and the current year."""
    providers = list(Organisation.objects.providers().filter(abbreviation__in=["DSS", "DIO"]))
    wanted = request.GET.get("leverandor", "")
    own = [p for p in providers if org_selectors.manages_provider(request.user, p.pk)]
    provider = next(
        (p for p in providers if p.abbreviation == wanted),
        own[0] if own else next((p for p in providers if p.abbreviation == "DSS"), None),
    )
    if provider is None:
        raise Http404
    try:
        year = int(request.GET.get("ar", ""))
    except ValueError:
        year = timezone.localdate().year
    if not 2000 <= year <= 2100:
        year = timezone.localdate().year
    return provider, year, providers


def _query(provider: Organisation, year: int) -> str:
    return f"?leverandor={provider.abbreviation}&ar={year}"


BUDGET_IMPORT_KEY = "felles_pending_ledger_imports"


@requires(authenticated)
def budget(request: HttpRequest) -> HttpResponse:
    provider, year, providers = _provider_and_year(request)
    manages = org_selectors.manages_provider(request.user, provider.pk)
    actor = Actor.from_request(request)
    expense_posts = BudgetPost.objects.filter(provider=provider, year=year, kind="expense")
    post_form = BudgetPostForm(expense_posts=expense_posts)
    if request.method == "POST":
        if not manages:
            raise PermissionDenied
        if "save_post" in request.POST:
            post_form = BudgetPostForm(request.POST, expense_posts=expense_posts)
            if post_form.is_valid():
                data = post_form.cleaned_data
                try:
                    services.save_budget_post(
                        actor=actor,
                        provider=provider,
                        year=year,
                        chapter=data["chapter"],
                        post=data["post"],
                        values={
                            k: data[k] for k in ("name", "kind", "amount", "transferable", "funds")
                        },
                    )
                except ServiceError as exc:
                    post_form.add_error(None, exc.message)
                else:
                    messages.success(request, "Posten er lagret.")
                    return redirect(reverse("budget") + _query(provider, year))
        else:
            return ImportFlow(
                session_key=BUDGET_IMPORT_KEY,
                template="costing/budget.html",
                url_name="budget",
                make_form=LedgerImportForm,
                plan_upload=lambda data, content, name: importing.plan_ledger(
                    provider, year, content, name
                ),
                stash_meta=lambda plan: {"provider": provider.pk, "year": year},
                plan_stashed=lambda meta, content: importing.plan_ledger(
                    provider, year, content, meta["filename"]
                ),
                apply=lambda plan: importing.apply_ledger(
                    actor=actor, provider=provider, year=year, plan=plan
                ),
                done_message=lambda plan: (
                    f"Regnskapet per {plan.as_of:%d.%m.%Y} er importert for {plan.creates} poster."
                ),
                has_work=lambda plan: plan.creates > 0,
                context=_budget_context(request, provider, year, providers, manages, post_form),
            ).handle(request)
    return render(
        request,
        "costing/budget.html",
        {
            **_budget_context(request, provider, year, providers, manages, post_form),
            "form": LedgerImportForm() if manages else None,
        },
        status=422 if post_form.errors else 200,
    )


def _budget_context(
    request: HttpRequest,
    provider: Organisation,
    year: int,
    providers: list[Organisation],
    manages: bool,
    post_form: BudgetPostForm,
) -> dict[str, Any]:
    view = selectors.budget_view(provider, year)
    return {
        "view": view,
        "providers": providers,
        "provider": provider,
        "year": year,
        "manages": manages,
        "post_form": post_form if manages else None,
        "chart": selectors.budget_chart(view) if view.summary.expense else None,
        "revenue": [p for p in view.summary.revenue],
    }


MAPPING_IMPORT_KEY = "felles_pending_mapping_imports"


@requires(authenticated)
def transfers(request: HttpRequest) -> HttpResponse:
    provider, year, providers = _provider_and_year(request)
    results = selectors.transfer_results(provider, year, request.user)
    may_edit = may_approve(request.user) or org_selectors.manages_provider(
        request.user, provider.pk
    )
    # The mapping is the whole community's: DFD keeps it.
    may_map = may_approve(request.user)
    if request.GET.get("format") == "xlsx":
        return _transfer_workbook(provider, year, results)
    actor = Actor.from_request(request)
    scenario_form = ScenarioForm()
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if "save_scenario" in request.POST:
            scenario_form = ScenarioForm(request.POST)
            if scenario_form.is_valid():
                data = dict(scenario_form.cleaned_data)
                try:
                    services.save_scenario(
                        actor=actor,
                        provider=provider,
                        year=year,
                        name=data.pop("name"),
                        areas=list(data.pop("areas")),
                        values=data,
                    )
                except ServiceError as exc:
                    scenario_form.add_error(None, exc.message)
                else:
                    messages.success(request, "Scenarioet er lagret.")
                    return redirect(reverse("transfers") + _query(provider, year))
        elif not may_map:
            raise PermissionDenied
        elif "from_portfolio" in request.POST:
            try:
                count = services.mapping_from_transfers(actor=actor, year=year)
            except ServiceError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, f"{count} rader er hentet fra porteføljen.")
            return redirect(reverse("transfers") + _query(provider, year))
        else:
            return ImportFlow(
                session_key=MAPPING_IMPORT_KEY,
                template="costing/transfers.html",
                url_name="transfers",
                make_form=MappingImportForm,
                plan_upload=lambda data, content, name: importing.plan_mapping(year, content, name),
                stash_meta=lambda plan: {"year": year},
                plan_stashed=lambda meta, content: importing.plan_mapping(
                    meta["year"], content, meta["filename"]
                ),
                apply=lambda plan: importing.apply_mapping(actor=actor, year=year, plan=plan),
                done_message=lambda plan: f"Kartleggingen er oppdatert: {plan.creates} rader.",
                has_work=lambda plan: plan.creates > 0,
                context=_transfer_context(request, provider, year, providers, results, None),
            ).handle(request)
    return render(
        request,
        "costing/transfers.html",
        {
            **_transfer_context(request, provider, year, providers, results, scenario_form),
            "form": MappingImportForm() if may_map else None,
        },
        status=422 if scenario_form.errors else 200,
    )


def _transfer_context(
    request: HttpRequest,
    provider: Organisation,
    year: int,
    providers: list[Organisation],
    results: list[Any],
    scenario_form: ScenarioForm | None,
) -> dict[str, Any]:
    may_edit = may_approve(request.user) or org_selectors.manages_provider(
        request.user, provider.pk
    )

    ministries = sorted({row.ministry for r in results if r.result for row in r.result.rows})
    table = [
        (
            ministry,
            [
                next((row for row in r.result.rows if row.ministry == ministry), None)
                if r.result
                else None
                for r in results
            ],
        )
        for ministry in ministries
    ]
    return {
        "provider": provider,
        "year": year,
        "providers": providers,
        "results": results,
        "table": table,
        "mapping": selectors.mapping_for(request.user, year),
        "may_edit": may_edit,
        "may_map": may_approve(request.user),
        "scenario_form": scenario_form if may_edit else None,
    }


def _transfer_workbook(provider: Organisation, year: int, results: list[Any]) -> HttpResponse:
    sheets: dict[str, tuple[list[str], list[list[Any]]]] = {}
    for r in results:
        if r.result is None:
            continue
        sheets[r.scenario.name] = (  # core.exports makes the sheet titles safe and unique
            [
                "Departement",
                "Årsverk",
                "Lønn og drift",
                "Husleie",
                "Gevinstuttak",
                "Overføring",
                "Til",
            ],
            [
                [
                    row.ministry,
                    row.fte,
                    row.salary_and_operations.quantize(Decimal("0.01")),
                    row.rent.quantize(Decimal("0.01")),
                    row.cut.quantize(Decimal("0.01")),
                    row.amount,
                    r.scenario.target,
                ]
                for row in r.result.rows
            ]
            + [["Sum", r.result.fte, None, None, None, r.result.total, r.scenario.target]]
            + [[line] for line in r.explanation],
        )
    if not sheets:
        sheets["Ingen scenarier"] = (["Det finnes ingen beregnede scenarier."], [])
    return xlsx_workbook_response(f"rammeoverforing-{provider.abbreviation}-{year}.xlsx", sheets)


@requires(authenticated)
def recovery(request: HttpRequest) -> HttpResponse:
    provider, year, providers = _provider_and_year(request)
    model = CostModel.objects.filter(provider=provider, year__lte=year).order_by("-year").first()
    rows = selectors.recovery(model, year) if model else []
    return render(
        request,
        "costing/recovery.html",
        {
            "provider": provider,
            "year": year,
            "providers": providers,
            "model": model,
            "rows": rows,
            "summary": selectors.recovery_summary(rows) if rows else None,
            "funding": selectors.funding_recommendations(provider, timezone.localdate()),
        },
    )
