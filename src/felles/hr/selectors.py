"""HR reads: who sees which ministry's figures, and the figures with small cells
suppressed (hr/rules.py) for every page, export and API operation.

Who sees what (docs/hr.md):
- DFD (governance) and the auditor: every ministry, and the comparison across ministries.
- DSS's HR team (`catalog.selectors.handling_reach` over the HR services): the ministries
  it serves.
- A ministry's leaders — its line managers and budget holders, who read HR figures for
  their ministry: their own ministry.
- Everyone with one of these also sees the community's totals. Anyone else: nothing (the
  pages answer 403, a ministry outside one's reach 404)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext

from felles.catalog import selectors as catalog_selectors
from felles.catalog.models import Service
from felles.core import visibility
from felles.core.permissions import Rule
from felles.core.types import AnyUser
from felles.hr import rules
from felles.hr.models import COUNTS, Figure, Measure, Recruitment, SalaryChange, SurveyResult
from felles.orders.models import Order
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation, Role

HR_SERVICES = (
    "hr-statistikk",
    "hr-medarbeiderundersokelse",
    "hr-rekruttering",
    "hr-toppleder",
    "hr-personaladministrasjon",
    "hr-lonnsendring",
)
READERS = (Role.LINE_MANAGER, Role.BUDGET_HOLDER)


def hr_team_reach(user: AnyUser) -> frozenset[int] | None:
    """The ministries DSS's HR team member serves (None: all; empty: not on the team)."""
    if getattr(user, "is_superuser", False):
        return None
    return catalog_selectors.handling_reach(user, HR_SERVICES)


def ministry_scope(user: AnyUser) -> frozenset[int] | None:
    """The ministries whose HR figures `user` sees (None: all)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    access = org_selectors.access_for(user)
    if (
        getattr(user, "is_superuser", False)
        or access.has_role(Role.GOVERNANCE)
        or access.has_role(Role.AUDITOR)
    ):
        return None
    team = hr_team_reach(user)
    if team is None:
        return None
    own: set[int] = set()
    person = access.person
    if person is not None and any(
        access.has_role(role, person.organisation_id) for role in READERS
    ):
        own.add(person.organisation_id)
    return frozenset(own) | team


def _sees_some(user: AnyUser) -> bool:
    scope = ministry_scope(user)
    return scope is None or bool(scope)


may_see_statistics = Rule("hr_statistics", _sees_some)
may_import = Rule("hr_import", lambda user: hr_team_reach(user) != frozenset())
may_compare = Rule("hr_compare", lambda user: ministry_scope(user) is None)
# In the menu: the ministries' leaders, who send salary changes, and DSS's HR team, who
# handle them and the recruitments.
uses_hr_orders = Rule(
    "hr_orders",
    lambda user: (
        hr_team_reach(user) != frozenset()
        or any(org_selectors.has_role(user, role) for role in READERS)
    ),
)


def _in_scope(user: AnyUser) -> Q:
    scope = ministry_scope(user)
    return Q() if scope is None else Q(ministry_id__in=scope)


visibility.register(Figure, _in_scope)
visibility.register(SurveyResult, _in_scope)
visibility.register(
    Recruitment, lambda user: Q(order__in=Order.objects.visible_to(user).values("pk"))
)
visibility.register(
    SalaryChange, lambda user: Q(order__in=Order.objects.visible_to(user).values("pk"))
)


def ministries_for(user: AnyUser) -> list[Organisation]:
    scope = ministry_scope(user)
    ministries = Organisation.objects.customers().order_by("abbreviation")
    return list(ministries if scope is None else ministries.filter(pk__in=scope))


def ministry_for(user: AnyUser, abbreviation: str) -> Organisation | None:
    """The ministry by abbreviation if `user` sees its figures (None: a 404)."""
    return next(
        (m for m in ministries_for(user) if m.abbreviation.lower() == abbreviation.lower()),
        None,
    )


# --- Suppressed figures ------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    value: Decimal | None
    hidden: bool = False
    small: bool = False

    @property
    def text(self) -> str:
        if self.value is None:
            return ""
        if self.hidden:
            return "<5" if self.small else ".."
        return _number(self.value)

    @property
    def export(self) -> Any:
        """The value as an export writes it: the number, or the text of a hidden cell."""
        if self.value is None:
            return ""
        if self.hidden:
            return self.text
        return int(self.value) if self.value == self.value.to_integral() else self.value

    @property
    def shown(self) -> Decimal | None:
        return None if self.hidden else self.value


def _number(value: Decimal) -> str:
    text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:.1f}"
    return text.replace(".", ",")


@dataclass
class MeasureRow:
    measure: str
    label: str
    total: Cell | None
    breakdown: list[tuple[str, Cell]] = field(default_factory=list)


Key = tuple[str, str]  # measure, breakdown


def suppress(values: dict[Key, Decimal], also: Iterable[Key] = ()) -> dict[Key, Cell]:
    """One ministry's (or the community's) figures for one period, suppressed: counts by
    their own size and their breakdown's (complementary cells), other figures with the
    count of people behind them; `also`: counts hidden for the whole table's sake."""
    hidden: set[Key] = {key for key in also if key in values}
    groups: dict[str, dict[Key, Decimal]] = defaultdict(dict)
    for (measure, breakdown), value in values.items():
        if measure not in COUNTS:
            continue
        if breakdown:
            groups[measure][(measure, breakdown)] = value
        elif rules.is_small(value):
            hidden.add((measure, breakdown))
    for measure, group in groups.items():
        hidden |= rules.suppress_group(group)
        if rules.exposes_total(group, hidden):
            total = (measure, "") if (measure, "") in values else (Measure.HEADCOUNT, "")
            hidden.add(total)
    people = _people(values, hidden)
    for (measure, breakdown), _value in values.items():
        if measure in COUNTS:
            continue
        count = people.get(breakdown)
        if count is not None and (count[1] or rules.is_small(count[0])):
            hidden.add((measure, breakdown))
    return {
        key: Cell(value, key in hidden, key in hidden and rules.is_small(value))
        if key[0] in COUNTS
        else Cell(value, key in hidden, False)
        for key, value in values.items()
    }


def _people(values: dict[Key, Decimal], hidden: set[Key]) -> dict[str, tuple[Decimal, bool]]:
    """Per breakdown, the number of people behind it and whether that count is hidden: the
    headcount for the total, the count measure with that breakdown otherwise."""
    people: dict[str, tuple[Decimal, bool]] = {}
    for (measure, breakdown), value in values.items():
        if measure == Measure.HEADCOUNT or (
            measure in COUNTS and measure != Measure.TURNOVER and breakdown
        ):
            people.setdefault(breakdown, (value, (measure, breakdown) in hidden))
    return people


def _rows(cells: dict[Key, Cell]) -> list[MeasureRow]:
    rows = []
    for measure, label in Measure.choices:
        mine = {b: c for (m, b), c in cells.items() if m == measure}
        if not mine:
            continue
        rows.append(
            MeasureRow(
                measure=measure,
                label=str(label),
                total=mine.pop("", None),
                breakdown=list(mine.items()),  # in the order of DFØ's file
            )
        )
    return rows


def periods(ministry_ids: Iterable[int] | None = None) -> list[str]:
    figures = Figure.objects.all()
    if ministry_ids is not None:
        figures = figures.filter(ministry_id__in=list(ministry_ids))
    return sorted(set(figures.values_list("period", flat=True)), reverse=True)


def _community_values(period: str) -> dict[Key, Decimal]:
    """Every ministry's figures added up; a percentage (sick leave) weighted by headcount
    where the ministry has one (a plain mean otherwise)."""
    sums: dict[Key, Decimal] = defaultdict(Decimal)
    weighted: dict[Key, list[tuple[Decimal, Decimal]]] = defaultdict(list)
    figures = (
        Figure.objects.filter(period=period)
        .order_by("pk")
        .values_list("ministry_id", "measure", "breakdown", "value")
    )
    by_ministry: dict[int, dict[Key, Decimal]] = defaultdict(dict)
    for ministry, measure, breakdown, value in figures:
        by_ministry[ministry][(measure, breakdown)] = value
    for values in by_ministry.values():
        heads = {b: v for (m, b), v in values.items() if m == Measure.HEADCOUNT}
        for (measure, breakdown), value in values.items():
            if measure == Measure.SICK_LEAVE:
                weight = heads.get(breakdown, heads.get("", Decimal(1)))
                weighted[(measure, breakdown)].append((value, weight or Decimal(1)))
            else:
                sums[(measure, breakdown)] += value
    for key, pairs in weighted.items():
        total_weight = sum((w for _v, w in pairs), Decimal(0))
        sums[key] = (sum((v * w for v, w in pairs), Decimal(0)) / total_weight).quantize(
            Decimal("0.1")
        )
    return dict(sums)


def ministry_figures(ministry: Organisation, period: str) -> list[MeasureRow]:
    """A ministry's figures for a period, suppressed (across the whole table)."""
    return _rows(period_table(period).own.get(ministry.pk, {}))


def community_figures(period: str) -> list[MeasureRow]:
    """The community's totals for a period (every ministry added up), suppressed."""
    return _rows(period_table(period).community)


def export_rows(ministries: list[Organisation], period: str) -> list[list[Any]]:
    """Rows for the CSV/XLSX export: the same suppressed cells as the page."""
    rows: list[list[Any]] = []
    for ministry in ministries:
        for row in ministry_figures(ministry, period):
            for breakdown, cell in ([("", row.total)] if row.total else []) + row.breakdown:
                rows.append(
                    [
                        ministry.abbreviation,
                        period,
                        row.label,
                        breakdown or gettext("I alt"),
                        cell.export,
                    ]
                )
    for row in community_figures(period):
        for breakdown, cell in ([("", row.total)] if row.total else []) + row.breakdown:
            rows.append(
                [
                    gettext("Fellesskapet"),
                    period,
                    row.label,
                    breakdown or gettext("I alt"),
                    cell.export,
                ]
            )
    return rows


TREND_MEASURES = (Measure.HEADCOUNT, Measure.FTE, Measure.TURNOVER, Measure.SICK_LEAVE)


def trend_chart(ministry: Organisation | None, measure: str) -> dict[str, Any]:
    """A chart spec (plotly) of a measure's total over the periods: the ministry's (or the
    community's) with hidden cells left out as gaps."""
    label = str(dict(Measure.choices).get(measure, measure))
    all_periods = sorted(periods([ministry.pk] if ministry else None))
    y: list[float | None] = []
    for period in all_periods:
        table = period_table(period)
        cells = table.own.get(ministry.pk, {}) if ministry else table.community
        cell = cells.get((measure, ""))
        y.append(float(cell.value) if cell and cell.value is not None and not cell.hidden else None)
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": ministry.abbreviation if ministry else gettext("Fellesskapet"),
                "x": all_periods,
                "y": y,
                "connectgaps": False,
            }
        ],
        "layout": {
            "title": {"text": label},
            "xaxis": {"title": {"text": gettext("Periode")}, "type": "category"},
            "yaxis": {"title": {"text": label}, "rangemode": "tozero"},
        },
    }


@dataclass
class Comparison:
    measure: str
    label: str
    columns: list[str]
    rows: list[tuple[Organisation, list[Cell], Cell | None]]
    community: list[Cell | None]
    community_total: Cell | None


@dataclass
class PeriodTable:
    own: dict[int, dict[Key, Cell]]
    community: dict[Key, Cell]


def period_table(period: str) -> PeriodTable:
    """Every ministry's cells and the community's for one period, suppressed across the
    whole table: a cell hidden on one ministry's page cannot be worked out from the other
    ministries' pages and the community's totals (which a cross-ministry reader sees
    side by side). Every page, export and the API read their cells from here."""
    by_ministry: dict[int, dict[Key, Decimal]] = defaultdict(dict)
    for ministry, measure, breakdown, value in (
        Figure.objects.filter(period=period)
        .order_by("pk")
        .values_list("ministry_id", "measure", "breakdown", "value")
    ):
        by_ministry[ministry][(measure, breakdown)] = value
    return suppress_period(by_ministry, _community_values(period))


def suppress_period(
    by_ministry: dict[int, dict[Key, Decimal]], community_values: dict[Key, Decimal]
) -> PeriodTable:
    """`period_table` without the database: every ministry's figures and the community's
    (their sum), suppressed across the whole table (rules.suppress_linked over every sum a
    reader knows, `_sums`), starting from what each page hides on its own, so the table's
    rule and the pages' agree."""
    ids = sorted(by_ministry)
    tables: dict[int | None, dict[Key, Decimal]] = {pk: by_ministry[pk] for pk in ids}
    tables[None] = community_values
    values = {
        (who, m, b): value
        for who, table in tables.items()
        for (m, b), value in table.items()
        if m in COUNTS
    }
    seed = {
        (who, m, b)
        for who, table in tables.items()
        for (m, b), cell in suppress(table).items()
        if cell.hidden
    }
    hidden = rules.suppress_linked(values, _sums(tables, ids), seed)
    cells = {
        who: suppress(table, {(m, b) for (w, m, b) in hidden if w == who})
        for who, table in tables.items()
    }
    return PeriodTable({pk: cells[pk] for pk in ids}, cells[None])


PARTS_OF_HEADCOUNT = (Measure.AGE_BAND, Measure.GENDER, Measure.PART_TIME)


def _sums(
    tables: dict[int | None, dict[Key, Decimal]], ids: list[int]
) -> list[tuple[tuple[int | None, str, str], list[tuple[int | None, str, str]]]]:
    """Every sum a reader knows, as (total, parts) over (ministry id or None for the
    community, measure, breakdown): each ministry's and the community's breakdowns add up
    to the measure's total (its headcount when it has none; a breakdown's own total is
    the headcount too), and each cell across the ministries adds up to the community's."""
    sums: list[tuple[tuple[int | None, str, str], list[tuple[int | None, str, str]]]] = []
    for who, table in tables.items():
        for measure in [m for m in Measure.values if m in COUNTS]:  # a fixed order
            parts = [(who, m, b) for (m, b) in table if m == measure and b]
            own_total = (measure, "") in table
            if parts:
                total = (who, measure, "") if own_total else (who, Measure.HEADCOUNT, "")
                sums.append((total, parts))
            if own_total and measure in PARTS_OF_HEADCOUNT:
                sums.append(((who, Measure.HEADCOUNT, ""), [(who, measure, "")]))
    for measure, breakdown in tables[None]:
        if measure in COUNTS:
            sums.append(
                (
                    (None, measure, breakdown),
                    [(pk, measure, breakdown) for pk in ids if (measure, breakdown) in tables[pk]],
                )
            )
    return sums


def comparison(period: str, measure: str) -> Comparison:
    """Every ministry side by side for one measure (DFD's view), with the community's
    totals: the cells of `period_table`."""
    ministries = list(Organisation.objects.customers().order_by("abbreviation"))
    table = period_table(period)
    own = {m.pk: table.own.get(m.pk, {}) for m in ministries}
    columns = list(
        dict.fromkeys(b for cells in own.values() for (m, b) in cells if m == measure and b)
    )
    rows = []
    for m in ministries:
        cells = own[m.pk]
        if not any(k[0] == measure for k in cells):
            continue

        def cell(b: str, m: Organisation = m, cells: dict[Key, Cell] = cells) -> Cell:
            found = cells.get((measure, b))
            return Cell(None) if found is None else found

        rows.append((m, [cell(b) for b in columns], cell("") if (measure, "") in cells else None))
    community = table.community
    return Comparison(
        measure=measure,
        label=str(dict(Measure.choices).get(measure, measure)),
        columns=columns,
        rows=rows,
        community=[community.get((measure, b), Cell(None)) for b in columns],
        community_total=community.get((measure, "")),
    )


def service_by_code(code: str) -> Service | None:
    return Service.objects.filter(code=code, active=True).first()


def salary_form_url(*, service: Service) -> str | None:
    """orders.events.order_form_url: «Lønnsendring til DFØ» is sent on HR's own page,
    which makes the `SalaryChange` with its order and checks who may send it; the ordinary
    form and `POST /orders` send there instead. From the code: no query."""
    return reverse("hr-salary-changes") if service.code == "hr-lonnsendring" else None
