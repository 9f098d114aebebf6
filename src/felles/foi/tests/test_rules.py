"""The law's deadlines on the working-day calendar, computed by hand (Easter 2026: Maundy
Thursday 2 April, Good Friday 3 April, Easter Monday 6 April; Christmas 2026: the 25th is
a Friday, Christmas Eve and New Year's Eve are working days, 1 January 2027 a Friday)."""

import datetime as dt
from fractions import Fraction

import pytest

from felles.foi import rules

D = dt.date


def test_deemed_refusal_across_easter() -> None:
    # Tuesday 31 March: Wed 1 (1), Thu 2 – Mon 6 holidays, Tue 7 (2), Wed 8 (3), Thu 9 (4),
    # Fri 10 (5).
    d = rules.deadlines(D(2026, 3, 31))
    assert d.deemed_refusal == D(2026, 4, 10)
    assert d.target == D(2026, 4, 8)  # the default target: 3 working days
    assert rules.deadlines(D(2026, 3, 31), target_days=1).target == D(2026, 4, 1)


def test_deemed_refusal_across_christmas() -> None:
    # Wednesday 23 December: Thu 24 (1), Fri 25 holiday, Mon 28 (2), Tue 29 (3), Wed 30 (4),
    # Thu 31 (5).
    assert rules.deadlines(D(2026, 12, 23)).deemed_refusal == D(2026, 12, 31)
    # Wednesday 30 December: Thu 31 (1), Fri 1 January holiday, Mon 4 (2) … Thu 7 (5).
    assert rules.deadlines(D(2026, 12, 30)).deemed_refusal == D(2027, 1, 7)


def test_a_request_on_a_saturday_counts_from_the_next_working_day() -> None:
    # Saturday 4 April 2026 (Easter): Tue 7 (1) … Mon 13 (5).
    assert rules.deadlines(D(2026, 4, 4)).deemed_refusal == D(2026, 4, 13)


def test_fuller_reasons_within_ten_working_days_across_christmas() -> None:
    # Monday 21 December: 22 (1), 23 (2), 24 (3), 28 (4), 29 (5), 30 (6), 31 (7), Mon 4 (8),
    # Tue 5 (9), Wed 6 January 2027 (10).
    assert rules.fuller_reasons_due(D(2026, 12, 21)) == D(2027, 1, 6)


def test_appeal_deadline_three_weeks_moved_past_holidays() -> None:
    assert rules.appeal_deadline(D(2026, 3, 19)) == D(2026, 4, 9)  # a working day: stays
    # 12 March + 3 weeks = Maundy Thursday 2 April → Tuesday 7 April.
    assert rules.appeal_deadline(D(2026, 3, 12)) == D(2026, 4, 7)
    # 4 December + 3 weeks = Friday 25 December → Monday 28 December.
    assert rules.appeal_deadline(D(2026, 12, 4)) == D(2026, 12, 28)


def test_warnings_before_each_deadline() -> None:
    due = D(2026, 4, 10)
    assert rules.deadline_state(D(2026, 4, 1), due) == rules.OK
    assert rules.deadline_state(D(2026, 4, 9), due) == rules.WARNING
    assert rules.deadline_state(D(2026, 4, 10), due) == rules.DUE
    assert rules.deadline_state(D(2026, 4, 11), due) == rules.OVERDUE
    # The working day before Tuesday 7 April is Wednesday 1 April (Easter in between).
    assert rules.deadline_state(D(2026, 4, 1), D(2026, 4, 7)) == rules.WARNING


def test_working_days_to_answer() -> None:
    assert rules.working_days_to_answer(D(2026, 3, 31), D(2026, 3, 31)) == 0
    assert rules.working_days_to_answer(D(2026, 3, 31), D(2026, 4, 1)) == 1
    assert rules.working_days_to_answer(D(2026, 3, 31), D(2026, 4, 7)) == 2
    assert rules.working_days_to_answer(D(2026, 12, 23), D(2027, 1, 4)) == 6


def test_exact_percentiles() -> None:
    ten = dict.fromkeys(range(1, 11), 1)
    assert rules.nearest_rank(ten, 90) == 9  # rank ⌈0.9 × 10⌉ = 9
    assert rules.nearest_rank(ten, 50) == 5
    assert rules.median(ten) == Fraction(11, 2)
    skewed = {0: 3, 1: 1}  # 0, 0, 0, 1
    assert rules.median(skewed) == 0
    assert rules.nearest_rank(skewed, 90) == 1  # rank ⌈3.6⌉ = 4
    assert rules.nearest_rank({2: 1}, 90) == 2
    assert rules.median({}) is None and rules.nearest_rank({}, 90) is None
    with pytest.raises(ValueError):
        rules.nearest_rank(ten, 0)


def test_share_within_counts_every_request_whose_window_is_over() -> None:
    # Today Wednesday 18 November 2026. N = 1: received Monday 16 → window ends Tuesday 17
    # (over); received Tuesday 17 → ends Wednesday 18 (today: still running).
    assert rules.window_over_for(D(2026, 11, 18), 1) == D(2026, 11, 16)
    # N = 3: Thursday 12 → 13, 16, 17 (over); Friday 13 → 16, 17, 18 (running).
    assert rules.window_over_for(D(2026, 11, 18), 3) == D(2026, 11, 12)
    # N = 5: Tuesday 10 → 11, 12, 13, 16, 17 (over); Wednesday 11 → … 18 (running).
    assert rules.window_over_for(D(2026, 11, 18), 5) == D(2026, 11, 10)
    # Across Easter: on Wednesday 8 April, N = 1 is over for Easter Monday 6 April (→ 7).
    assert rules.window_over_for(D(2026, 4, 8), 1) == D(2026, 4, 6)
    # 2 of 4 requests past their window answered within it (an unanswered one among the 4).
    assert rules.share(2, 4) == Fraction(1, 2)
    assert rules.share(0, 3) == 0
    assert rules.share(0, 0) is None  # no window over yet: no share, not 0 % or 100 %
    with pytest.raises(ValueError):
        rules.share(5, 4)


def test_retention_of_the_requester() -> None:
    # Answered: the answer's appeal deadline + 30 days (22 April → 22 May).
    assert rules.requester_kept_until(D(2026, 4, 1), D(2026, 4, 22), 30) == D(2026, 5, 22)
    # Never answered: the case is not closed, the requester is kept.
    assert rules.requester_kept_until(None, None, 30) is None
