"""Small-cell suppression, computed by hand (hr/rules.py)."""

from __future__ import annotations

from decimal import Decimal

from felles.hr import rules


def test_small_counts_are_one_to_four() -> None:
    assert [v for v in range(8) if rules.is_small(v)] == [1, 2, 3, 4]
    assert rules.is_small(Decimal("4.0")) and not rules.is_small(Decimal("5"))


def test_a_group_without_small_cells_shows_everything() -> None:
    assert rules.suppress_group({"kvinner": 12, "menn": 9}) == set()


def test_one_small_cell_takes_the_next_smallest_with_it() -> None:
    # KUD by age band, total 40 shown: «under 30» = 3 is small. Alone it would be
    # 40 − (15 + 8 + 14) = 3, so the smallest other cell (8, «60 og over») goes too.
    ages = {"under 30": 3, "30–44": 15, "60 og over": 8, "45–59": 14}
    assert rules.suppress_group(ages) == {"under 30", "60 og over"}


def test_two_small_cells_protect_each_other() -> None:
    # 2 + 4 hidden: the reader knows only that they add up to 6.
    assert rules.suppress_group({"a": 2, "b": 4, "c": 30}) == {"a", "b"}


def test_the_complementary_cell_is_never_an_empty_one_when_another_has_people() -> None:
    # Hiding the 0 would not help: 0 is known to describe nobody, so the hidden pair
    # would still add up to exactly the small cell. The 7 goes instead.
    assert rules.suppress_group({"deltid": 2, "ukjent": 0, "heltid": 7}) == {"deltid", "heltid"}


def test_a_zero_is_hidden_only_when_nothing_else_is_left() -> None:
    assert rules.suppress_group({"a": 3, "b": 0}) == {"a", "b"}


def test_ties_take_the_first_in_order() -> None:
    assert rules.suppress_group({"a": 1, "b": 6, "c": 6}) == {"a", "b"}


def test_a_table_is_checked_both_ways_until_stable() -> None:
    # Ministries × gender, with each ministry's total and the community's totals shown.
    #            kvinner  menn
    #   KUD         3      20     ← 3 small; the row pulls in «KUD menn» (20)
    #   FIN        30      40
    #   KLD        12      11
    # Column «kvinner»: only KUD hidden → the smallest other, «KLD kvinner» (12).
    # Column «menn»: only KUD menn hidden → the smallest other, «KLD menn» (11).
    # Row KLD: both hidden now; row FIN: none. Stable.
    cells = {
        ("KUD", "kvinner"): 3,
        ("KUD", "menn"): 20,
        ("FIN", "kvinner"): 30,
        ("FIN", "menn"): 40,
        ("KLD", "kvinner"): 12,
        ("KLD", "menn"): 11,
    }
    assert rules.suppress_table(cells) == {
        ("KUD", "kvinner"),
        ("KUD", "menn"),
        ("KLD", "kvinner"),
        ("KLD", "menn"),
    }


def test_a_table_without_small_cells_is_shown_whole() -> None:
    assert rules.suppress_table({("KUD", "a"): 5, ("FIN", "a"): 6}) == set()


def test_display() -> None:
    assert rules.display(3, True, small=True) == "<5"
    assert rules.display(8, True, small=False) == ".."
    assert rules.display(8, False, small=False) == "8"
    assert rules.display(None, False, small=False) == ""


def test_a_lone_hidden_cell_hides_the_total() -> None:
    # «60 og over» is reported by KUD alone: hidden in KUD's row, the column's total (the
    # community's 8) would give it away, so the total goes.
    assert rules.suppress_table({("KUD", "60+"): 8, ("KUD", "u30"): 3}) == {
        ("KUD", "60+"),
        ("KUD", "u30"),
    }
    assert rules.exposes_total({"KUD": 8}, {"KUD"})
    assert not rules.exposes_total({"KUD": 8, "FIN": 9}, {"KUD", "FIN"})
    assert not rules.exposes_total({"KUD": 8, "FIN": 9}, set())
