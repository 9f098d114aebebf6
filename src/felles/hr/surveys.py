"""Employee-survey reads: scores per ministry and unit with the same suppression as the
statistics (a score rests on its respondents: fewer than five, or a unit whose count
could be worked out from the ministry's, and the score is hidden), the community's
weighted scores, and the ministry's action plan (governance action items from the
dialogue meetings with DSS that follow up the survey)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from felles.governance.models import ActionItem
from felles.hr import rules
from felles.hr.models import SurveyResult
from felles.hr.selectors import Cell
from felles.organisations.models import Organisation

# A dialogue meeting whose agenda starts with this follows up the employee survey: its
# action items are the ministry's action plan.
AGENDA_PREFIX = "Medarbeiderundersøkelsen"


@dataclass
class UnitRow:
    unit: str
    respondents: Cell
    score: Cell


@dataclass
class TopicRow:
    topic: str
    respondents: Cell | None
    score: Cell | None
    units: list[UnitRow] = field(default_factory=list)


def periods(ministry: Organisation) -> list[str]:
    return sorted(
        set(SurveyResult.objects.filter(ministry=ministry).values_list("period", flat=True)),
        reverse=True,
    )


def _topic_rows(
    results: list[tuple[str, str, int, Decimal]], hide: set[str] | frozenset[str] = frozenset()
) -> list[TopicRow]:
    """(topic, unit, respondents, score) → rows, suppressed: the whole ministry's score by
    its own respondents, the units' as one breakdown (rules.suppress_group); `hide`: the
    topics whose whole-ministry row the cross-ministry rule hides (`_across`). A hidden
    whole-ministry row also hides enough units that they do not add up to it."""
    by_topic: dict[str, dict[str, tuple[int, Decimal]]] = defaultdict(dict)
    for topic, unit, respondents, score in results:
        by_topic[topic][unit] = (respondents, score)
    rows = []
    for topic in sorted(by_topic):
        cells = by_topic[topic]
        units = {u: n for u, (n, _s) in cells.items() if u}
        hidden = rules.suppress_group(units)
        total = cells.get("")
        total_hidden = total is not None and (
            topic in hide or rules.is_small(total[0]) or rules.exposes_total(units, hidden)
        )
        if total_hidden:
            hidden |= rules.cover(units, hidden)
        rows.append(
            TopicRow(
                topic=topic,
                respondents=Cell(
                    Decimal(total[0]), total_hidden, total_hidden and rules.is_small(total[0])
                )
                if total
                else None,
                score=Cell(total[1], total_hidden, False) if total else None,
                units=[
                    UnitRow(
                        unit,
                        Cell(Decimal(n), unit in hidden, rules.is_small(n)),
                        Cell(s, unit in hidden, False),
                    )
                    for unit, (n, s) in sorted(cells.items())
                    if unit
                ],
            )
        )
    return rows


def _across(period: str) -> tuple[dict[str, set[int]], set[str]]:
    """Per topic, the ministries whose whole-ministry row is hidden across the ministries
    (rules.suppress_group over their respondents, starting from what each ministry's own
    page hides), and the topics whose community row must go too because it would give a
    lone hidden ministry away (rules.exposes_total)."""
    rows = SurveyResult.objects.filter(period=period).values_list(
        "ministry_id", "topic", "unit", "respondents", "score"
    )
    by_ministry: dict[int, list[tuple[str, str, int, Decimal]]] = defaultdict(list)
    for ministry, topic, unit, n, score in rows.order_by("ministry_id", "pk"):
        by_ministry[ministry].append((topic, unit, n, score))
    column: dict[str, dict[int, int]] = defaultdict(dict)
    hidden: dict[str, set[int]] = defaultdict(set)
    for ministry, results_ in by_ministry.items():
        for row in _topic_rows(results_):
            if row.respondents is not None and row.respondents.value is not None:
                column[row.topic][ministry] = int(row.respondents.value)
                if row.respondents.hidden:
                    hidden[row.topic].add(ministry)
    exposed: set[str] = set()
    for topic, group in column.items():
        hidden[topic] |= rules.complementary(group, hidden[topic])
        if rules.exposes_total(group, hidden[topic]):
            exposed.add(topic)
    return hidden, exposed


def results(ministry: Organisation, period: str) -> list[TopicRow]:
    hidden, _exposed = _across(period)
    return _topic_rows(
        list(
            SurveyResult.objects.filter(ministry=ministry, period=period).values_list(
                "topic", "unit", "respondents", "score"
            )
        ),
        {topic for topic, ministries in hidden.items() if ministry.pk in ministries},
    )


def community(period: str) -> list[TopicRow]:
    """Each topic for the whole community: respondents added up, the score weighted by
    respondents (the ministries' whole-ministry rows); hidden when it would give away a
    ministry hidden across the ministries (`_across`)."""
    _hidden, exposed = _across(period)
    sums: dict[str, list[tuple[int, Decimal]]] = defaultdict(list)
    for topic, n, score in SurveyResult.objects.filter(period=period, unit="").values_list(
        "topic", "respondents", "score"
    ):
        sums[topic].append((n, score))
    rows: list[tuple[str, str, int, Decimal]] = []
    for topic, pairs in sums.items():
        n = sum(p[0] for p in pairs)
        if n:
            score = sum((Decimal(p[0]) * p[1] for p in pairs), Decimal(0)) / n
            rows.append((topic, "", n, score.quantize(Decimal("0.1"))))
    return _topic_rows(rows, exposed)


def action_plan(ministry: Organisation) -> list[Any]:
    """The ministry's action items from the dialogue meetings that follow up the survey."""
    return list(
        ActionItem.objects.filter(
            meeting__series__ministry=ministry,
            meeting__agenda__startswith=AGENDA_PREFIX,
        )
        .select_related("owner", "meeting")
        .order_by("done_on", "due_on")
    )
