"""The personnel-security rules, each case computed by hand (rules-norway.md § 3)."""

from __future__ import annotations

import datetime as dt

import pytest

from felles.security import rules

D = dt.date


def test_clearance_runs_at_most_five_years_and_a_leap_day_decision_ends_28_february() -> None:
    # 29.02.2024 + 5 years: 2029 has no 29 February, so the last valid day is 28.02.2029.
    assert rules.latest_expiry(D(2024, 2, 29)) == D(2029, 2, 28)
    rules.check_expiry(D(2024, 2, 29), D(2029, 2, 28))
    with pytest.raises(rules.RuleError, match="høyst 5 år"):
        rules.check_expiry(D(2024, 2, 29), D(2029, 3, 1))
    with pytest.raises(rules.RuleError, match="etter vedtaksdatoen"):
        rules.check_expiry(D(2024, 2, 29), D(2024, 2, 29))
    # An ordinary date: 15.03.2022 → 15.03.2027.
    assert rules.latest_expiry(D(2022, 3, 15)) == D(2027, 3, 15)


def test_reclearance_starts_six_months_before_expiry_on_a_working_day() -> None:
    # 31.08.2029 − 6 months: no 31 February → 28.02.2029, a Wednesday.
    assert rules.reclearance_start(D(2029, 8, 31)) == D(2029, 2, 28)
    # 29.08.2028 − 6 months = 29.02.2028 (a leap year), a Tuesday.
    assert rules.reclearance_start(D(2028, 8, 29)) == D(2028, 2, 29)
    # 28.08.2026 − 6 months = 28.02.2026, a Saturday → Friday 27.02.2026.
    assert rules.reclearance_start(D(2026, 8, 28)) == D(2026, 2, 27)
    # 17.11.2026 − 6 months = 17.05.2026, a Sunday and Constitution Day → Friday 15.05.2026.
    assert rules.reclearance_start(D(2026, 11, 17)) == D(2026, 5, 15)


def test_conversation_due_every_two_years_for_strengt_hemmelig_and_at_reclearance() -> None:
    # STRENGT HEMMELIG, conversation 29.02.2024 → due 28.02.2026 (two years, no 29 Feb).
    assert rules.next_conversation_due("strengt_hemmelig", D(2024, 2, 29)) == D(2026, 2, 28)
    # The clearance expires 30.06.2026: re-clearance from 30.12.2025 (a Tuesday) comes first.
    assert rules.next_conversation_due("strengt_hemmelig", D(2024, 2, 29), D(2026, 6, 30)) == D(
        2025, 12, 30
    )
    # HEMMELIG: only at re-clearance. 31.08.2029 → 28.02.2029.
    assert rules.next_conversation_due("hemmelig", D(2024, 1, 10), D(2029, 8, 31)) == D(2029, 2, 28)
    # BEGRENSET without a clearance: only on request or cause.
    assert rules.next_conversation_due("begrenset", D(2024, 1, 10)) is None
    with pytest.raises(rules.RuleError):
        rules.next_conversation_due("topp_hemmelig", D(2024, 1, 10))


def test_conversation_reminder_twenty_working_days_before() -> None:
    # Due Saturday 28.02.2026 → Friday 27.02; 20 working days back (no holidays in
    # February 2026): 26, 25, 24, 23 (4), 20–16 (9), 13–9 (14), 6–2 (19), Fri 30.01 (20).
    assert rules.conversation_reminder_on(D(2026, 2, 28)) == D(2026, 1, 30)


def test_disposal_dates_per_vf_78() -> None:
    # Authorisation ended 29.02.2028: kept to 28.02.2029, disposed 01.03.2029.
    assert rules.authorisation_disposal(D(2028, 2, 29), None) == D(2029, 3, 1)
    # Ended 15.01.2026 but the clearance is valid to 30.06.2028: kept to then, disposed 01.07.
    assert rules.authorisation_disposal(D(2026, 1, 15), D(2028, 6, 30)) == D(2028, 7, 1)
    # A clearance valid to before the year is out changes nothing: 15.01.2027 + 1 day.
    assert rules.authorisation_disposal(D(2026, 1, 15), D(2026, 6, 30)) == D(2027, 1, 16)
    # Declaration: the authorisation ended 29.02.2028 → kept to 28.02.2038, disposed 01.03.
    assert rules.declaration_disposal(D(2028, 2, 29)) == D(2038, 3, 1)
    # A register row last valid 31.12.2026 → kept to 31.12.2036, disposed 01.01.2037.
    assert rules.register_disposal(D(2026, 12, 31)) == D(2037, 1, 1)


def test_an_issued_list_is_kept_ten_years_after_issue_then_disposed() -> None:
    # VF § 78 (3): issued 18.11.2026 → kept to 18.11.2036, disposed 19.11.2036.
    assert rules.issued_list_disposal(D(2026, 11, 18)) == D(2036, 11, 19)
    # Issued 29.02.2024: 2034 has no 29 February → kept to 28.02.2034, disposed 01.03.2034.
    assert rules.issued_list_disposal(D(2024, 2, 29)) == D(2034, 3, 1)
    # Issued 31.12.2026 → kept to 31.12.2036, disposed 01.01.2037 (over the year's end).
    assert rules.issued_list_disposal(D(2026, 12, 31)) == D(2037, 1, 1)
    # Issued 28.02.2030 → kept to 28.02.2040 (a leap year, no shift), disposed 29.02.2040.
    assert rules.issued_list_disposal(D(2030, 2, 28)) == D(2040, 2, 29)


def test_overlapping_periods() -> None:
    existing = [(D(2024, 1, 1), D(2024, 12, 31))]
    assert rules.overlaps(D(2024, 12, 31), None, existing)
    assert not rules.overlaps(D(2025, 1, 1), None, existing)
    assert rules.overlaps(D(2023, 1, 1), D(2024, 1, 1), existing)
    assert rules.overlaps(D(2023, 1, 1), None, [(D(2020, 1, 1), None)])


def test_a_conversation_held_at_reclearance_is_that_conversation() -> None:
    # HEMMELIG, the clearance expires 31.08.2029: re-clearance from 28.02.2029 (above).
    # Held 01.03.2029 (on/after that day): it was the re-clearance conversation, nothing
    # more is due until the next clearance; held 27.02.2029 (before): still due 28.02.
    assert rules.next_conversation_due("hemmelig", D(2029, 3, 1), D(2029, 8, 31)) is None
    assert rules.next_conversation_due("hemmelig", D(2029, 2, 27), D(2029, 8, 31)) == D(2029, 2, 28)
    # STRENGT HEMMELIG held 01.03.2029: two years on, 01.03.2031.
    assert rules.next_conversation_due("strengt_hemmelig", D(2029, 3, 1), D(2029, 8, 31)) == D(
        2031, 3, 1
    )


def test_an_authorisation_above_begrenset_rests_on_a_valid_clearance() -> None:
    hemmelig = [("hemmelig", D(2024, 1, 15), D(2029, 1, 14), None)]
    assert rules.clearance_covers("begrenset", D(2024, 1, 1), [])  # no clearance needed
    assert not rules.clearance_covers("konfidensielt", D(2024, 1, 1), [])
    assert rules.clearance_covers("konfidensielt", D(2024, 1, 15), hemmelig)  # higher covers
    assert rules.clearance_covers("hemmelig", D(2029, 1, 14), hemmelig)  # last valid day
    assert not rules.clearance_covers("hemmelig", D(2029, 1, 15), hemmelig)  # expired
    assert not rules.clearance_covers("hemmelig", D(2024, 1, 14), hemmelig)  # not yet decided
    assert not rules.clearance_covers("strengt_hemmelig", D(2025, 1, 1), hemmelig)  # lower
    ended = [("hemmelig", D(2024, 1, 15), D(2029, 1, 14), D(2025, 6, 30))]
    assert rules.clearance_covers("hemmelig", D(2025, 6, 30), ended)
    assert not rules.clearance_covers("hemmelig", D(2025, 7, 1), ended)


def test_a_declaration_runs_from_the_last_authorisation_end() -> None:
    assert rules.declaration_basis_end([]) is None  # no authorisation: nothing has ended
    assert rules.declaration_basis_end([D(2024, 2, 29), None]) is None  # one still open
    assert rules.declaration_basis_end([D(2022, 5, 31), D(2024, 2, 29)]) == D(2024, 2, 29)
    # … and is disposed 10 years and a day later: 28.02.2034 + 1 = 01.03.2034.
    assert rules.declaration_disposal(D(2024, 2, 29)) == D(2034, 3, 1)
