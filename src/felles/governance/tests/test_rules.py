"""The pure governance rules: ladder, dialogue compliance and council rotation."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter

import pytest

from felles.governance import rules

D = dt.date


def test_ladder_routes_and_tops_out_at_dfd() -> None:
    assert rules.decider_for(rules.OPERATIVE) == rules.PROVIDER
    assert rules.decider_for(rules.TACTICAL) == rules.PROVIDER
    assert rules.decider_for(rules.STRATEGIC) == rules.DFD
    assert rules.escalated(rules.OPERATIVE) == rules.TACTICAL
    assert rules.escalated(rules.TACTICAL) == rules.STRATEGIC
    with pytest.raises(rules.RuleError, match="DFD"):
        rules.escalated(rules.STRATEGIC)
    # A pricing question asked at operative level still starts with DFD.
    assert rules.routed_level(rules.OPERATIVE, rules.STRATEGIC) == rules.STRATEGIC
    assert rules.routed_level(None, rules.OPERATIVE) == rules.OPERATIVE
    assert rules.routed_level(rules.TACTICAL, rules.OPERATIVE) == rules.TACTICAL


def test_periods_are_calendar_months_half_years_and_years() -> None:
    assert rules.periods(D(2026, 5, 20), D(2026, 7, 2), 1) == [
        (D(2026, 5, 1), D(2026, 5, 31)),
        (D(2026, 6, 1), D(2026, 6, 30)),
        (D(2026, 7, 1), D(2026, 7, 31)),
    ]
    assert rules.periods(D(2026, 3, 1), D(2027, 1, 5), 6) == [
        (D(2026, 1, 1), D(2026, 6, 30)),
        (D(2026, 7, 1), D(2026, 12, 31)),
        (D(2027, 1, 1), D(2027, 6, 30)),
    ]


def test_operative_compliance_counts_meetings_per_month() -> None:
    target = rules.DEFAULT_TARGETS[rules.OPERATIVE]  # 1–2 a month
    held = [D(2026, 1, 10), D(2026, 1, 24), D(2026, 1, 28), D(2026, 3, 5), D(2026, 4, 2)]
    rows = rules.compliance(held, target, D(2026, 1, 1), today=D(2026, 4, 15))
    assert [(r.first.month, r.held, r.status) for r in rows] == [
        (1, 3, "over"),  # three meetings: more than the target's two
        (2, 0, "short"),  # February ended with none
        (3, 1, "met"),
        (4, 1, "met"),  # April is still running but already has one
    ]
    # January (over, but reached the minimum) and March met; February did not: 2 of 3.
    assert rules.compliance_share(rows) == pytest.approx(66.7)


def test_unfinished_period_below_target_is_open_not_short() -> None:
    target = rules.DEFAULT_TARGETS[rules.TACTICAL]  # 2–3 per half-year
    rows = rules.compliance([D(2026, 2, 1)], target, D(2026, 1, 1), today=D(2026, 5, 1))
    assert [r.status for r in rows] == ["open"]
    assert rules.compliance_share(rows) is None  # no ended period yet


def test_settlement_stats_per_level() -> None:
    stats = rules.settlement_stats(
        [(rules.OPERATIVE, 2), (rules.OPERATIVE, 4), (rules.OPERATIVE, 9), (rules.STRATEGIC, 30)]
    )
    by = {s.level: s for s in stats}
    assert (by[rules.OPERATIVE].settled, by[rules.OPERATIVE].median_days) == (3, 4)
    assert by[rules.TACTICAL].settled == 0 and by[rules.TACTICAL].median_days is None
    assert by[rules.STRATEGIC].max_days == 30


MINISTRIES = [f"M{i:02d}" for i in range(14)]  # the 14 ministries besides DFD, SMK and FIN


def test_rotation_is_fair_over_ten_years_of_terms() -> None:
    """Twenty half-year terms, three seats: 60 seats over 14 ministries. Before any
    ministry serves for the k+1-th time, every ministry has served k times."""
    plan_terms = rules.terms(D(2027, 1, 1), 20, 6)
    assert plan_terms[-1].ends_on == D(2036, 12, 31)
    plan = rules.plan_rotation(MINISTRIES, plan_terms, seats=3)
    counts: Counter[str] = Counter()
    for seats in plan:
        assert len(set(seats)) == 3
        for m in seats:
            # Serving now for the (counts[m]+1)-th time requires everybody to have served
            # at least counts[m] times already.
            assert all(counts[other] >= counts[m] for other in MINISTRIES if other not in seats)
        counts.update(seats)
    assert sum(counts.values()) == 60
    assert max(counts.values()) - min(counts.values()) <= 1
    # Nobody sits two consecutive terms while others wait.
    for before, after in itertools.pairwise(plan):
        assert not set(before) & set(after)


def test_rotation_respects_unavailability_and_catches_up() -> None:
    plan_terms = rules.terms(D(2027, 1, 1), 10, 12)
    # M00 and M01 would sit first, but M00 moves into the government quarter in 2027.
    blocked = {"M00": [(D(2027, 1, 1), D(2027, 12, 31))]}
    plan = rules.plan_rotation(MINISTRIES, plan_terms, seats=3, unavailable=blocked)
    assert "M00" not in plan[0]
    assert "M00" in plan[1]  # first in line once available again
    counts = Counter(m for seats in plan for m in seats)
    assert max(counts.values()) - min(counts.values()) <= 1


def test_rotation_continues_from_history() -> None:
    plan_terms = rules.terms(D(2030, 1, 1), 1, 12)
    served = {m: 1 for m in MINISTRIES}
    served.update({"M05": 0, "M09": 0})
    last = {m: D(2029, 1, 1) for m in MINISTRIES}
    last["M13"] = D(2020, 1, 1)  # the longest since its last term
    assert rules.plan_rotation(MINISTRIES, plan_terms, 3, served, last) == [["M05", "M09", "M13"]]


def test_rotation_refuses_when_too_few_can_serve() -> None:
    plan_terms = rules.terms(D(2027, 1, 1), 1, 12)
    blocked = {m: [(D(2027, 6, 1), D(2027, 6, 30))] for m in MINISTRIES[:12]}
    with pytest.raises(rules.RuleError, match="2 av 3"):
        rules.plan_rotation(MINISTRIES, plan_terms, 3, unavailable=blocked)
    with pytest.raises(rules.RuleError):
        rules.plan_rotation(MINISTRIES, plan_terms, seats=5)


def test_a_dialogue_started_mid_period_is_not_judged_on_the_whole_period() -> None:
    target = rules.DEFAULT_TARGETS[rules.TACTICAL]  # 2–3 per half-year
    held = [D(2026, 2, 1), D(2026, 5, 20), D(2026, 9, 1), D(2026, 10, 1)]
    rows = rules.compliance(held, target, D(2026, 5, 1), today=D(2027, 1, 10))
    first = rows[0]
    # The meeting in February predates the series; the half-year is partial.
    assert (first.first, first.held, first.partial, first.status) == (
        D(2026, 5, 1),
        1,
        True,
        "partial",
    )
    assert (rows[1].held, rows[1].status) == (2, "met")
    assert rules.compliance_share(rows) == 100.0  # only the whole half-year counts
