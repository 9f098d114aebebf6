"""The statistics as CSV or XLSX (core.exports): every table the page shows, from one
definition (`tables`). The workbook holds one sheet per table; a CSV file holds one table
(`?format=csv&table=<key>`, the page links each). Exact figures: the median as a decimal,
shares as fractions of 1 next to the counts they are made of."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from felles.core import exports
from felles.foi.models import Appeal, Outcome
from felles.foi.statistics import WITHIN, Figures, Statistics


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]]


KEYS = ("time", "outcomes", "bases", "appeals")


def _number(value: Fraction | int | None) -> Any:
    if value is None:
        return None
    if isinstance(value, Fraction):
        return float(value) if value.denominator != 1 else int(value)
    return value


def _row(name: str, figures: Figures) -> list[Any]:
    within: list[Any] = []
    for w in figures.within():
        within += [_number(w.share), w.answered, w.due]
    return [
        name,
        figures.requests,
        figures.items,
        figures.answered,
        figures.open,
        _number(figures.median),
        _number(figures.p90),
        *within,
    ]


def headers() -> list[str]:
    within: list[str] = []
    for d in WITHIN:
        within += [
            _("Andel besvart innen %(d)d arbeidsdager av krav med utløpt frist") % {"d": d},
            _("Besvart innen %(d)d arbeidsdager") % {"d": d},
            _("Krav der %(d)d arbeidsdager er gått") % {"d": d},
        ]
    return [
        _("Departement"),
        _("Krav"),
        _("Dokumenter"),
        _("Besvart"),
        _("Ikke besvart"),
        _("Median arbeidsdager"),
        _("90-persentil arbeidsdager"),
        *within,
    ]


def tables(stats: Statistics) -> list[Table]:
    """Every table on the statistics page: time to answer per ministry, outcomes, legal
    bases, appeals."""
    rows = [_row(m.abbreviation, f) for m, f in stats.ministries]
    rows.append(_row(_("Sum"), stats.total))
    outcome_names = dict(Outcome.choices)
    bodies, results = dict(Appeal.Body.choices), dict(Appeal.Result.choices)
    return [
        Table("time", _("Tid til svar"), headers(), rows),
        Table(
            "outcomes",
            _("Utfall"),
            [_("Utfall"), _("Antall")],
            [[str(outcome_names[o]), n] for o, n in stats.outcomes],
        ),
        Table(
            "bases",
            _("Hjemler"),
            [_("Utfall"), _("Hjemmel"), _("Antall")],
            [[str(outcome_names[o]), b, n] for o, b, n in stats.bases],
        ),
        Table(
            "appeals",
            _("Klager"),
            [_("Behandles av"), _("Utfall"), _("Antall")],
            [[str(bodies[b]), str(results[r]), n] for b, r, n in stats.appeals],
        ),
    ]


def statistics_response(stats: Statistics, wanted: str, table: str = "time") -> HttpResponse:
    name = f"innsyn-{stats.start.isoformat()}-{stats.end.isoformat()}"
    all_tables = tables(stats)
    if wanted == "csv":
        chosen = next((t for t in all_tables if t.key == table), all_tables[0])
        suffix = "" if chosen.key == "time" else f"-{chosen.key}"
        return exports.csv_response(f"{name}{suffix}.csv", chosen.headers, chosen.rows)
    return exports.xlsx_workbook_response(
        f"{name}.xlsx", {t.title: (t.headers, t.rows) for t in all_tables}
    )
