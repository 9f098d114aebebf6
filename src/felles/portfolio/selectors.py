"""Portfolio reads: projects with their figures, the timeline and dependency view, risk
heat maps, benefits without double counting, baseline, and evaluations computed by the
pure rules."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, Prefetch, Q, QuerySet, Sum, Value, When
from django.utils.translation import gettext, gettext_lazy

from felles.core.types import AnyUser
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Role
from felles.portfolio import rules
from felles.portfolio.models import (
    BaselineMeasure,
    Benefit,
    BenefitRealisation,
    Dependency,
    Evaluation,
    ExternalDate,
    HumpCost,
    Project,
    Risk,
    StaffTransfer,
)

may_manage_portfolio = org_selectors.role_rule(Role.GOVERNANCE)


def may_manage(user: AnyUser, project: Project) -> bool:
    """DFD's portfolio office, the project's manager, and the responsible organisation's
    managers keep a project's status, risks and benefits up to date."""
    if may_manage_portfolio(user):
        return True
    person = org_selectors.person_for(user)
    if person is None:
        return False
    if project.manager_id == person.pk:
        return True
    # A project is the provider's as a whole: not for a manager limited to some ministries.
    return org_selectors.manages_provider(user, project.responsible_id) or org_selectors.access_for(
        user
    ).has_role(Role.LINE_MANAGER, project.responsible_id)


def projects() -> QuerySet[Project]:
    """The portfolio is open to everyone signed in: it is the community's own plan. Red
    first, then amber, then by priority."""
    severity = Case(
        When(status=Project.Rag.RED, then=Value(0)),
        When(status=Project.Rag.AMBER, then=Value(1)),
        default=Value(2),
    )
    return (
        Project.objects.select_related("area", "responsible", "programme", "manager")
        .annotate(severity=severity)
        .order_by("severity", "priority", "starts_on", "code")
    )


def ministry_data_filter(user: AnyUser, field: str = "ministry") -> Q:
    """Baseline figures and staff transfers are a ministry's own resource data."""
    scope = org_selectors.ministry_data_scope(user)
    return Q() if scope is None else Q(**{f"{field}_id__in": scope})


def baseline_for(user: AnyUser) -> QuerySet[BaselineMeasure]:
    return BaselineMeasure.objects.filter(ministry_data_filter(user)).select_related(
        "ministry", "area"
    )


def transfers_for(user: AnyUser, project: Project) -> QuerySet[StaffTransfer]:
    return project.transfers.filter(ministry_data_filter(user)).select_related(
        "ministry", "provider"
    )


# --- timeline and dependencies ---------------------------------------------------------------


LABEL_WIDTH = 240.0  # room for project names left of the bars
ROW_HEIGHT = 24


@dataclass
class Bar:
    project: Project
    x: float
    y: int
    width: float
    milestones: list[tuple[float, str, bool]]  # x, label, reached


@dataclass
class Timeline:
    """A Gantt-like layout in SVG units: bars right of a label column, one row each."""

    first: dt.date
    last: dt.date
    width: float  # the whole drawing, labels included
    height: int
    bars: list[Bar]
    years: list[tuple[float, int]]
    markers: list[tuple[float, str]]  # external dates
    today: float | None


def timeline(items: list[Project], width: float = 800.0) -> Timeline | None:
    """Projects on one time axis from January of the first year to December of the last,
    years and external dates (RKV, the ICT platform) marked."""
    from django.utils import timezone

    externals = list(ExternalDate.objects.all())
    dates = [p.starts_on for p in items] + [p.ends_on for p in items]
    dates += [e.date for e in externals]
    bounds = rules.span(dates)
    if bounds is None or not items:
        return None
    first = bounds[0].replace(month=1, day=1)
    last = bounds[1].replace(month=12, day=31)

    def x(day: dt.date) -> float:
        return LABEL_WIDTH + rules.position(day, first, last, width)

    bars = [
        Bar(
            p,
            x(p.starts_on),
            ROW_HEIGHT * (i + 1),
            max(x(p.ends_on) - x(p.starts_on), 2.0),
            [(x(m.due_on), m.name, m.done_on is not None) for m in p.milestones.all()],
        )
        for i, p in enumerate(items)
    ]
    today = timezone.localdate()
    return Timeline(
        first,
        last,
        LABEL_WIDTH + width,
        ROW_HEIGHT * (len(items) + 1) + 8,
        bars,
        [(x(dt.date(y, 1, 1)), y) for y in range(first.year, last.year + 1)],
        [(x(e.date), e.name) for e in externals if first <= e.date <= last],
        x(today) if first <= today <= last else None,
    )


@dataclass
class DependencyRow:
    dependency: Dependency
    due: dt.date | None
    late: bool


def dependency_rows(items: QuerySet[Project] | list[Project]) -> list[DependencyRow]:
    """Every dependency with the date it is due, flagged when the prerequisite finishes
    after the dependent project starts."""
    rows = []
    for dependency in Dependency.objects.filter(project__in=items).select_related(
        "project", "on_project", "on_date"
    ):
        if dependency.on_project is not None:
            due: dt.date | None = dependency.on_project.ends_on
        else:
            due = dependency.on_date.date if dependency.on_date else None
        late = rules.is_late(
            dependency.project.starts_on,
            dependency.project.ends_on,
            due,
            finish_to_finish=dependency.kind == Dependency.Kind.FINISH_TO_FINISH,
        )
        rows.append(DependencyRow(dependency, due, late))
    return rows


# --- risks ------------------------------------------------------------------------------------


def heat_map(risks: QuerySet[Risk], residual: bool = False) -> list[dict[str, Any]]:
    """Rows for the template: likelihood 5..1, each with five cells (count and level)."""
    pairs = (
        risks.values_list("residual_likelihood", "residual_consequence")
        if residual
        else risks.values_list("likelihood", "consequence")
    )
    grid = rules.heat_map(pairs)
    return [
        {
            "likelihood": 5 - i,
            "cells": [
                {
                    "count": count,
                    "consequence": j + 1,
                    "level": rules.risk_level((5 - i) * (j + 1)),
                }
                for j, count in enumerate(row)
            ],
        }
        for i, row in enumerate(grid)
    ]


# --- benefits -------------------------------------------------------------------------------


def _claim(benefit: Benefit, project_code: str) -> rules.BenefitClaim:
    latest = benefit.realisations.all()
    realised = latest[len(latest) - 1].value if latest else benefit.baseline_value
    return rules.BenefitClaim(
        (benefit.kind, str(benefit.ministry_id), f"{benefit.area_id or ''}:{benefit.measure_key}"),
        project_code,
        benefit.planned_gain,
        rules.realised_gain(benefit.baseline_value, benefit.target_value, realised),
    )


def benefits() -> QuerySet[Benefit]:
    return Benefit.objects.select_related("project", "ministry", "area", "owner").prefetch_related(
        Prefetch("realisations", queryset=BenefitRealisation.objects.order_by("measured_on")),
        "contributors",
    )


def benefit_totals(items: QuerySet[Benefit] | list[Benefit]) -> dict[str, dict[str, Decimal]]:
    """Planned and realised gain per kind; each benefit once, whichever projects reach it."""
    claims = []
    for benefit in items:
        claims.append(_claim(benefit, benefit.project.code))
        claims += [_claim(benefit, p.code) for p in benefit.contributors.all()]
    return rules.aggregate_benefits(claims)


# What the values of a benefit are counted in, for the chart's value axis.
BENEFIT_UNITS = {
    Benefit.Kind.FTE_FREED: gettext_lazy("Årsverk"),
    Benefit.Kind.COST_REDUCED: gettext_lazy("Kroner"),
    Benefit.Kind.FLOOR_SPACE: gettext_lazy("Kvadratmeter"),
    Benefit.Kind.QUALITY: gettext_lazy("Verdi"),
}


def benefit_chart(benefit: Benefit) -> dict[str, Any]:
    """A chart spec (plotly): planned as a straight line from the baseline at the project's
    start to the target, realised as the measurements so far. Texts in the user's
    language; charts.js adds colours, locale and the table of the same figures."""
    realised = list(benefit.realisations.all())
    start = benefit.project.starts_on.isoformat()
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines",
                "name": gettext("Planlagt"),
                "x": [start, benefit.target_on.isoformat()],
                "y": [float(benefit.baseline_value), float(benefit.target_value)],
                "line": {"dash": "dash", "width": 2},
            },
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": gettext("Realisert"),
                "x": [start] + [r.measured_on.isoformat() for r in realised],
                "y": [float(benefit.baseline_value)] + [float(r.value) for r in realised],
                "line": {"width": 3},
                "marker": {"size": 8},
            },
        ],
        "layout": {
            "title": {"text": gettext("Planlagt og realisert gevinst")},
            "xaxis": {"title": {"text": gettext("Dato")}, "type": "date"},
            "yaxis": {"title": {"text": str(BENEFIT_UNITS.get(benefit.kind, ""))}},
        },
    }


# --- hump costs -------------------------------------------------------------------------------


def hump_costs_by_year(items: QuerySet[Project] | list[Project]) -> list[dict[str, Any]]:
    rows: dict[int, dict[str, Decimal]] = defaultdict(
        lambda: {k: Decimal(0) for k in HumpCost.Kind.values}
    )
    for row in (
        HumpCost.objects.filter(project__in=items)
        .values("year", "kind")
        .annotate(total=Sum("amount"))
    ):
        rows[row["year"]][row["kind"]] = row["total"]
    return [
        {"year": year, **values, "total": sum(values.values(), Decimal(0))}
        for year, values in sorted(rows.items())
    ]


# --- evaluations ----------------------------------------------------------------------------


def evaluations() -> QuerySet[Evaluation]:
    return Evaluation.objects.select_related("area")


@dataclass
class Computed:
    evaluation: Evaluation
    rule_input: rules.Evaluation
    matrix: list[dict[str, Any]]  # one row per alternative with its scores
    ranking: list[tuple[str, float]]
    sensitivity: list[rules.WeightRange]
    wins: dict[str, float]
    weights: list[tuple[Any, float]]  # (criterion, normalised weight)
    custom: bool


def compute(evaluation: Evaluation, weights: dict[str, float] | None = None) -> Computed:
    """Rank the alternatives with the stored weights, or with `weights` (a what-if keyed by
    criterion code; missing codes keep their stored weight)."""
    criteria = list(evaluation.criteria.all())
    alternatives = list(evaluation.alternatives.prefetch_related("scores"))
    used = [
        float(weights[c.code]) if weights and c.code in weights else float(c.weight)
        for c in criteria
    ]
    scores = {(s.alternative_id, s.criterion_id): s for a in alternatives for s in a.scores.all()}
    missing = [
        f"{a.name} / {c.name}" for a in alternatives for c in criteria if (a.pk, c.pk) not in scores
    ]
    if missing:
        raise rules.RuleError(
            gettext("Skår mangler for %(items)s.") % {"items": ", ".join(missing)}
        )
    rule_input = rules.Evaluation(
        [a.name for a in alternatives],
        [c.name for c in criteria],
        used,
        [[float(scores[(a.pk, c.pk)].value) for c in criteria] for a in alternatives],
    )
    return Computed(
        evaluation,
        rule_input,
        [
            {"alternative": a, "scores": [scores[(a.pk, c.pk)] for c in criteria]}
            for a in alternatives
        ],
        rules.ranking(rule_input),
        rules.sensitivity(rule_input),
        rules.monte_carlo(rule_input),
        list(zip(criteria, [float(w) for w in rule_input.normalised], strict=True)),
        bool(weights),
    )


def transfer_totals(year: int) -> dict[tuple[int, int], Decimal]:
    """Agreed and completed staff transfers in a year: FTE per (ministry id, area id), the
    input to the cost model's appropriation transfer."""
    rows = (
        StaffTransfer.objects.filter(
            transfer_on__year=year,
            status__in=[StaffTransfer.Status.AGREED, StaffTransfer.Status.COMPLETED],
            project__area__isnull=False,
        )
        .values("ministry_id", "project__area_id")
        .annotate(total=Sum("fte"))
    )
    return {(r["ministry_id"], r["project__area_id"]): r["total"] for r in rows}
