"""The statistics as CSV or XLSX (core.exports): one row per ministry and a total, with the
exact figures (median as a decimal with one place, shares as fractions of 1)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from felles.core import exports
from felles.foi.models import Appeal, Outcome
from felles.foi.statistics import WITHIN, Figures, Statistics


def _number(value: Fraction | int | None) -> Any:
    if value is None:
        return None
    if isinstance(value, Fraction):
        return float(value) if value.denominator != 1 else int(value)
    return value


def _row(name: str, figures: Figures) -> list[Any]:
    return [
        name,
        figures.requests,
        figures.items,
        figures.answered,
        figures.open,
        _number(figures.median),
        _number(figures.p90),
        *(_number(share) for _days, share in figures.within()),
    ]


def headers() -> list[str]:
    return [
        _("Departement"),
        _("Krav"),
        _("Dokumenter"),
        _("Besvart"),
        _("Ikke besvart"),
        _("Median arbeidsdager"),
        _("90-persentil arbeidsdager"),
        *(_("Andel innen %(d)d arbeidsdager") % {"d": d} for d in WITHIN),
    ]


def statistics_response(stats: Statistics, wanted: str) -> HttpResponse:
    rows = [_row(m.abbreviation, f) for m, f in stats.ministries]
    rows.append(_row(_("Sum"), stats.total))
    name = f"innsyn-{stats.start.isoformat()}-{stats.end.isoformat()}"
    if wanted == "csv":
        return exports.csv_response(f"{name}.csv", headers(), rows)
    outcome_names = dict(Outcome.choices)
    bodies, results = dict(Appeal.Body.choices), dict(Appeal.Result.choices)
    return exports.xlsx_workbook_response(
        f"{name}.xlsx",
        {
            _("Tid"): (headers(), rows),
            _("Utfall"): (
                [_("Utfall"), _("Antall")],
                [(str(outcome_names[o]), n) for o, n in stats.outcomes],
            ),
            _("Hjemmel"): (
                [_("Utfall"), _("Hjemmel"), _("Antall")],
                [(str(outcome_names[o]), b, n) for o, b, n in stats.bases],
            ),
            _("Klager"): (
                [_("Behandles av"), _("Utfall"), _("Antall")],
                [(str(bodies[b]), str(results[r]), n) for b, r, n in stats.appeals],
            ),
        },
    )
