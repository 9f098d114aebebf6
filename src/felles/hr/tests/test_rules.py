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


def test_hidden_cells_that_add_up_to_under_five_take_the_next_smallest() -> None:
    # Total 20 shown. 1 and 2 are small; hidden together the total still gives away
    # 20 − (8 + 9) = 3 people: fewer than five. So the next smallest with people (8) goes
    # too: 1 + 2 + 8 = 11 ≥ 5. The 9 stays.
    assert rules.suppress_group({"a": 1, "b": 2, "c": 8, "d": 9}) == {"a", "b", "c"}
    # A zero does not help (0 describes nobody): 2 + 1 = 3, the 9 goes, not the 0.
    assert rules.suppress_group({"a": 2, "b": 0, "c": 1, "d": 9}) == {"a", "c", "d"}
    # Four small cells adding up to exactly 4, then 20: the 20 goes (4 + 20 = 24).
    assert rules.suppress_group({"a": 1, "b": 1, "c": 1, "d": 1, "e": 20, "f": 30}) == {
        "a",
        "b",
        "c",
        "d",
        "e",
    }
    assert rules.unprotected({"a": 1, "b": 2, "c": 8}, {"a", "b"})
    assert not rules.unprotected({"a": 1, "b": 4, "c": 8}, {"a", "b"})  # 5: enough


def test_a_hide_in_a_row_forces_a_hide_in_a_column() -> None:
    # Ministries × breakdown, each ministry's total and the community's totals shown.
    #            a    b    c
    #   KUD      1    2   10    ← 1 and 2 small; 1 + 2 = 3 < 5, so «KUD c» (10) goes too
    #   FIN      8   12    9
    #   KLD     15   20   30
    # Pass 1, rows: KUD → {a, b, c} (3 + 10 = 13). FIN, KLD: nothing hidden.
    # Columns: a: KUD a alone → the smallest other, FIN a (8); b: KUD b alone → FIN b
    # (12); c: KUD c alone (hidden for the row's sake) → FIN c (9), not KLD c (30).
    # Pass 2: FIN all hidden (29); columns a 1 + 8 = 9, b 2 + 12 = 14, c 10 + 9 = 19.
    # Stable: KLD's row is shown whole. (The old rule, a partner only for a lone hidden
    # cell, stopped at KUD a, b and FIN a, b: KUD's total 13 − 10 gave away 3.)
    cells = _grid(KUD=(1, 2, 10), FIN=(8, 12, 9), KLD=(15, 20, 30))
    hidden = rules.suppress_table(cells)
    assert hidden == {(m, b) for m in ("KUD", "FIN") for b in ("a", "b", "c")}
    # Every row and column with hidden cells now hides at least two adding up to ≥ 5.
    for line in ("KUD", "FIN", "KLD"):
        assert not rules.unprotected({k: v for k, v in cells.items() if k[0] == line}, hidden)
    for column in ("a", "b", "c"):
        assert not rules.unprotected({k: v for k, v in cells.items() if k[1] == column}, hidden)


def _grid(**rows: tuple[int, ...]) -> dict[tuple[str, str], int]:
    """Ministries × columns a, b, c … from rows of numbers."""
    return {(m, "abcdef"[i]): v for m, values in rows.items() for i, v in enumerate(values)}


def test_a_column_that_runs_out_of_cells_hides_its_total() -> None:
    #            a    b    c
    #   KUD      3   40   50    ← 3 small; row: the smallest other, KUD b (40)
    #   FIN      1    6   70    ← 1 small; row: the smallest other, FIN b (6)
    # Pass 1, rows: KUD {a, b} = 43; FIN {a, b} = 7. Columns: a {3, 1} = 4 < 5 and
    # nothing left in the column to hide → the community's total for a must go
    # (exposes_total); b {40, 6}; c nothing hidden. Stable.
    cells = _grid(KUD=(3, 40, 50), FIN=(1, 6, 70))
    hidden = rules.suppress_table(cells)
    assert hidden == {("KUD", "a"), ("KUD", "b"), ("FIN", "a"), ("FIN", "b")}
    assert rules.exposes_total({k: v for k, v in cells.items() if k[1] == "a"}, hidden)
    assert not rules.exposes_total({k: v for k, v in cells.items() if k[1] == "b"}, hidden)
