"""HR statistics and employee-survey pages: a ministry's own figures with the community's
totals, DFD's comparison across ministries, the exports and the two imports. Every figure
goes through hr.selectors' suppression."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from felles.core.actor import Actor
from felles.core.exports import csv_response, xlsx_response
from felles.core.imports import ImportFlow
from felles.core.permissions import authenticated, requires
from felles.hr import forms, importing, selectors, surveys
from felles.hr.models import Measure

STATS_SESSION_KEY = "felles_pending_hr_statistics_imports"
SURVEY_SESSION_KEY = "felles_pending_hr_survey_imports"


def _period(request: HttpRequest, available: list[str]) -> str:
    wanted = request.GET.get("periode", "")
    return wanted if wanted in available else (available[0] if available else "")


@requires(selectors.may_see_statistics)
def index(request: HttpRequest) -> HttpResponse:
    ministries = selectors.ministries_for(request.user)
    available = selectors.periods()
    period = _period(request, available)
    return render(
        request,
        "hr/index.html",
        {
            "ministries": ministries,
            "periods": available,
            "period": period,
            "community": selectors.community_figures(period) if period else [],
            "may_compare": selectors.may_compare(request.user),
            "may_import": selectors.may_import(request.user),
            "chart": selectors.trend_chart(None, Measure.HEADCOUNT) if available else None,
        },
    )


EXPORT_HEADERS = (
    gettext_lazy("Departement"),
    gettext_lazy("Periode"),
    gettext_lazy("Måltall"),
    gettext_lazy("Inndeling"),
    gettext_lazy("Verdi"),
)


@requires(authenticated)
def ministry(request: HttpRequest, abbreviation: str) -> HttpResponse:
    org = selectors.ministry_for(request.user, abbreviation)
    if org is None:
        raise Http404
    available = selectors.periods([org.pk])
    period = _period(request, available)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx") and period:
        rows = selectors.export_rows([org], period)
        headers = [str(h) for h in EXPORT_HEADERS]
        name = f"hr-{org.abbreviation.lower()}-{period}.{fmt}"
        if fmt == "csv":
            return csv_response(name, headers, rows)
        return xlsx_response(name, headers, rows)
    charts = [
        {"id": f"trend-{m}", "chart": selectors.trend_chart(org, m), "label": label}
        for m, label in Measure.choices
        if m in selectors.TREND_MEASURES
    ]
    # A measure with no figure shown in any period draws no empty chart.
    charts = [c for c in charts if any(y is not None for y in c["chart"]["data"][0]["y"])]
    return render(
        request,
        "hr/ministry.html",
        {
            "ministry": org,
            "periods": available,
            "period": period,
            "figures": selectors.ministry_figures(org, period) if period else [],
            "community": selectors.community_figures(period) if period else [],
            "charts": charts if len(available) > 1 else [],
        },
    )


@requires(selectors.may_compare)
def compare(request: HttpRequest) -> HttpResponse:
    available = selectors.periods()
    period = _period(request, available)
    measure = request.GET.get("maltall", Measure.HEADCOUNT)
    if measure not in Measure.values:
        measure = Measure.HEADCOUNT
    table = selectors.comparison(period, measure) if period else None
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx") and table is not None:
        headers = [_("Departement"), *(table.columns or []), _("I alt")]
        rows: list[list[Any]] = [
            [m.abbreviation, *(c.export for c in cells), total.export if total else ""]
            for m, cells, total in table.rows
        ]
        rows.append(
            [
                _("Fellesskapet"),
                *(c.export for c in table.community),
                table.community_total.export if table.community_total else "",
            ]
        )
        name = f"hr-sammenligning-{measure}-{period}.{fmt}"
        if fmt == "csv":
            return csv_response(name, headers, rows)
        return xlsx_response(name, headers, rows)
    return render(
        request,
        "hr/compare.html",
        {
            "periods": available,
            "period": period,
            "measure": measure,
            "measures": Measure.choices,
            "table": table,
        },
    )


@dataclass(frozen=True)
class _Import:
    """What differs between the two imports: the rest is the shared flow."""

    session_key: str
    url_name: str
    make_form: Any
    check: Callable[..., importing.HrPlan]
    apply: Callable[..., int]
    title: Any  # a lazy translation
    kind: str


IMPORTS = {
    "statistics": _Import(
        STATS_SESSION_KEY,
        "hr-import",
        forms.StatisticsImportForm,
        importing.check_statistics,
        importing.apply_statistics,
        gettext_lazy("Importer HR-statistikk fra DFØ"),
        "statistics",
    ),
    "survey": _Import(
        SURVEY_SESSION_KEY,
        "hr-survey-import",
        forms.SurveyImportForm,
        importing.check_survey,
        importing.apply_survey,
        gettext_lazy("Importer resultater fra medarbeiderundersøkelsen"),
        "survey",
    ),
}


def _import(request: HttpRequest, spec: _Import) -> HttpResponse:
    """One of the two imports through the shared flow (upload, dry run, confirm): the
    same page, the dry run again on the stashed file, the plan applied on confirmation."""
    actor = Actor.from_request(request)
    return ImportFlow(
        session_key=spec.session_key,
        template="hr/import.html",
        url_name=spec.url_name,
        make_form=spec.make_form,
        plan_upload=lambda data, content, name: spec.check(
            actor=actor, content=content, filename=name
        ),
        stash_meta=lambda plan: {},
        plan_stashed=lambda meta, content: spec.check(
            actor=actor, content=content, filename=meta["filename"]
        ),
        apply=lambda plan: spec.apply(actor=actor, plan=plan),
        done_message=_done,
        has_work=lambda plan: plan.changes > 0,
        context={"title": str(spec.title), "kind": spec.kind},
    ).handle(request)


@requires(selectors.may_import)
def import_statistics(request: HttpRequest) -> HttpResponse:
    return _import(request, IMPORTS["statistics"])


@requires(selectors.may_import)
def import_survey(request: HttpRequest) -> HttpResponse:
    return _import(request, IMPORTS["survey"])


def _done(plan: importing.HrPlan) -> str:
    return ngettext(
        "Importert: %(created)d ny rad, %(updated)d endret, %(unchanged)d uendret.",
        "Importert: %(created)d nye rader, %(updated)d endret, %(unchanged)d uendret.",
        plan.created,
    ) % {"created": plan.created, "updated": plan.updated, "unchanged": plan.unchanged}


@requires(authenticated)
def survey(request: HttpRequest, abbreviation: str) -> HttpResponse:
    org = selectors.ministry_for(request.user, abbreviation)
    if org is None:
        raise Http404
    available = surveys.periods(org)
    period = _period(request, available)
    return render(
        request,
        "hr/survey.html",
        {
            "ministry": org,
            "periods": available,
            "period": period,
            "topics": surveys.results(org, period) if period else [],
            "community": surveys.community(period) if period else [],
            "plan": surveys.action_plan(org),
        },
    )
