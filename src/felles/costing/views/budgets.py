"""Budget pages: the provider's budget against the ledger, appropriation-transfer
scenarios on the resource mapping, and cost recovery."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from felles.core.actor import Actor
from felles.core.exports import xlsx_workbook_response
from felles.core.forms import add_service_errors
from felles.core.imports import ImportFlow
from felles.core.permissions import authenticated, requires
from felles.core.services import Forbidden, ServiceError
from felles.costing import importing, selectors, services
from felles.costing.forms import (
    BudgetPostForm,
    LedgerImportForm,
    MappingImportForm,
    ScenarioForm,
)
from felles.costing.models import BudgetPost, CostModel
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation

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
                except ServiceError as exc:  # a Forbidden becomes the 403 page
                    add_service_errors(post_form, exc)
                else:
                    messages.success(request, _("Posten er lagret."))
                    return redirect(reverse("budget") + _query(provider, year))
        else:
            return ImportFlow(
                session_key=BUDGET_IMPORT_KEY,
                template="costing/budget.html",
                url_name="budget",
                make_form=LedgerImportForm,
                plan_upload=lambda data, content, name: importing.check_ledger(
                    actor=actor, provider=provider, year=year, upload=content, filename=name
                ),
                stash_meta=lambda plan: {"provider": provider.pk, "year": year},
                plan_stashed=lambda meta, content: importing.plan_ledger(
                    provider, year, content, meta["filename"]
                ),
                apply=lambda plan: importing.apply_ledger(
                    actor=actor, provider=provider, year=year, plan=plan
                ),
                done_message=lambda plan: (
                    ngettext(
                        "Regnskapet per %(date)s er importert for %(n)s post.",
                        "Regnskapet per %(date)s er importert for %(n)s poster.",
                        plan.creates,
                    )
                    % {"date": f"{plan.as_of:%d.%m.%Y}", "n": plan.creates}
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
    # The mapping is the whole community's: DFD keeps it.
    may_map = services.is_dfd(request.user)
    if request.GET.get("format") == "xlsx":
        return _transfer_workbook(provider, year, results)
    actor = Actor.from_request(request)
    scenario_form = ScenarioForm()
    if request.method == "POST":
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
                except ServiceError as exc:  # a Forbidden becomes the 403 page
                    add_service_errors(scenario_form, exc)
                else:
                    messages.success(request, _("Scenarioet er lagret."))
                    return redirect(reverse("transfers") + _query(provider, year))
        elif "from_portfolio" in request.POST:
            try:
                count = services.mapping_from_transfers(actor=actor, year=year)
            except Forbidden:
                raise  # the 403 page
            except ServiceError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(n)s rad er hentet fra porteføljen.",
                        "%(n)s rader er hentet fra porteføljen.",
                        count,
                    )
                    % {"n": count},
                )
            return redirect(reverse("transfers") + _query(provider, year))
        else:
            return ImportFlow(
                session_key=MAPPING_IMPORT_KEY,
                template="costing/transfers.html",
                url_name="transfers",
                make_form=MappingImportForm,
                plan_upload=lambda data, content, name: importing.check_mapping(
                    actor=actor, year=year, content=content, filename=name
                ),
                stash_meta=lambda plan: {"year": year},
                plan_stashed=lambda meta, content: importing.plan_mapping(
                    meta["year"], content, meta["filename"]
                ),
                apply=lambda plan: importing.apply_mapping(actor=actor, year=year, plan=plan),
                done_message=lambda plan: (
                    ngettext(
                        "Kartleggingen er oppdatert: %(n)s rad.",
                        "Kartleggingen er oppdatert: %(n)s rader.",
                        plan.creates,
                    )
                    % {"n": plan.creates}
                ),
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
    may_edit = services.is_dfd(request.user) or org_selectors.manages_provider(
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
        "may_map": services.is_dfd(request.user),
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
