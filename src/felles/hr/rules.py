"""Small-cell suppression for HR figures: the pure rule, without Django.

Felles shows only aggregated HR figures, and no figure may let a reader work out something
about fewer than `MIN_CELL` people:

1. *Primary suppression*: a count of 1–4 people is hidden (shown as «<5»). A zero is shown:
   it describes nobody (the practice of Statistics Norway's «prikking»).
2. *Complementary suppression*: in a breakdown whose total is known (a ministry's
   headcount by gender, age band or part-time; a measure across the ministries with the
   community total), the hidden cells together can be worked out as the total minus the
   cells shown. So the hidden cells of such a group must be at least two and add up to
   at least `MIN_CELL` people: until they do, the smallest other cell with people in it
   is hidden too (ties: the first in order; a zero cell only to pair a lone hidden cell
   when no other cell has people). Two small cells of 1 and 2 are not enough: their sum,
   3, would still be shown by the total. In a table with totals both ways (ministries ×
   breakdowns), rows and columns are checked again until nothing changes, so a cell
   hidden for a row's sake is protected in its column too. A group that runs out of cells
   before its hidden ones are protected has its total hidden instead (`exposes_total`).
3. A figure that is not a count (FTE, sick-leave percentage, a survey score) is hidden
   when the number of people behind it is hidden.

The functions take plain mappings and return the keys to hide, so the same rule serves
every page, the exports and the API."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from decimal import Decimal
from typing import TypeVar

MIN_CELL = 5

K = TypeVar("K", bound=Hashable)
R = TypeVar("R", bound=Hashable)
C = TypeVar("C", bound=Hashable)

Number = int | Decimal


def is_small(value: Number) -> bool:
    """A count of people that must not be shown: 1–4 (zero describes nobody)."""
    return 0 < value < MIN_CELL


def primary(values: Mapping[K, Number]) -> set[K]:
    """The cells hidden for their own sake."""
    return {key for key, value in values.items() if is_small(value)}


def unprotected(values: Mapping[K, Number], hidden: Iterable[K]) -> bool:
    """Whether the group's hidden cells could still be worked out, or their sum would tell
    about fewer than `MIN_CELL` people, from its total: some are hidden, and they are a
    single cell or add up to fewer than `MIN_CELL`."""
    hidden_here = {key for key in hidden if key in values}
    if not hidden_here:
        return False
    return len(hidden_here) == 1 or sum(values[key] for key in hidden_here) < MIN_CELL


def complementary(values: Mapping[K, Number], hidden: Iterable[K]) -> set[K]:
    """The cells of one group (its total known) to hide besides `hidden`, so that the
    hidden cells are at least two and add up to at least `MIN_CELL`: the smallest other
    cell with people in it (ties: the first in the mapping's order), then the next, until
    that holds. A zero cell only when no other cell has people and a lone hidden cell
    needs a partner. Nothing when the group's hidden cells are already protected."""
    hidden_here = {key for key in hidden if key in values}
    order = [(value, i, key) for i, (key, value) in enumerate(values.items())]
    added: set[K] = set()
    while unprotected(values, hidden_here):
        others = [o for o in order if o[2] not in hidden_here]
        with_people = [o for o in others if o[0] > 0]
        if with_people:
            _value, _i, key = min(with_people, key=lambda o: (o[0], o[1]))
        elif others and len(hidden_here) == 1:
            _value, _i, key = min(others, key=lambda o: (o[0], o[1]))
        else:
            break  # nothing left that helps: the total must go (exposes_total)
        hidden_here.add(key)
        added.add(key)
    return added


def suppress_group(values: Mapping[K, Number]) -> set[K]:
    """Every cell to hide in one breakdown whose total is known: primary and
    complementary."""
    hidden = primary(values)
    return hidden | complementary(values, hidden)


def suppress_table(
    cells: Mapping[tuple[R, C], Number], hidden: Iterable[tuple[R, C]] = ()
) -> set[tuple[R, C]]:
    """Every cell to hide in a table whose row totals and column totals are shown (e.g.
    ministries × breakdowns with each ministry's total and the community's total): the
    primary cells and any already `hidden` (by another table's rule), then complementary
    cells along rows and columns until nothing changes."""
    hidden = primary(cells) | {key for key in hidden if key in cells}
    rows: dict[R, dict[tuple[R, C], Number]] = {}
    columns: dict[C, dict[tuple[R, C], Number]] = {}
    for (row, column), value in cells.items():
        rows.setdefault(row, {})[(row, column)] = value
        columns.setdefault(column, {})[(row, column)] = value
    changed = True
    while changed:
        changed = False
        for group in (*rows.values(), *columns.values()):
            more = complementary(group, hidden)
            if more - hidden:
                hidden |= more
                changed = True
    return hidden


def exposes_total(values: Mapping[K, Number], hidden: Iterable[K]) -> bool:
    """Whether the group's total must be hidden too: its hidden cells are still
    unprotected (one cell alone, or fewer than `MIN_CELL` people together) because the
    group had no other cell to hide with them, so the total minus the cells shown would
    give them away."""
    return unprotected(values, hidden)


def display(value: Number | None, hidden: bool, *, small: bool) -> str:
    """The text of a cell: «<5» for a small count, «..» for a cell hidden to protect
    another, the number otherwise (as given; formatting is the page's)."""
    if value is None:
        return ""
    if hidden:
        return "<5" if small else ".."
    return str(value)


def cover(values: Mapping[K, Number], hidden: Iterable[K]) -> set[K]:
    """The cells of one group to hide besides `hidden` when the group's total is hidden
    too: the group's cells would otherwise add up to it, so the hidden cells must be at
    least two and add up to at least `MIN_CELL` (`complementary`), starting from the
    smallest cell with people when none is hidden yet. A group that cannot get there hides
    every cell."""
    hidden_here = {key for key in hidden if key in values}
    added: set[K] = set()
    if not hidden_here and values:
        order = [(value, i, key) for i, (key, value) in enumerate(values.items())]
        with_people = [o for o in order if o[0] > 0]
        _value, _i, first = min(with_people or order, key=lambda o: (o[0], o[1]))
        added.add(first)
    added |= complementary(values, hidden_here | added)
    if unprotected(values, hidden_here | added):
        added |= set(values) - hidden_here
    return added


def suppress_linked(
    values: Mapping[K, Number],
    sums: Iterable[tuple[K, Iterable[K]]],
    hidden: Iterable[K] = (),
) -> set[K]:
    """Every cell to hide among cells tied by sums a reader knows, each `(total, parts)`
    (the parts add up to the total): a ministry's breakdowns to its headcount, a column to
    the community's figure, the community's breakdowns to its headcount. The primary
    cells and `hidden` first; then, for each sum, until nothing changes:

    - total shown: the hidden parts are protected (`complementary`), or the total goes
      (`exposes_total`);
    - total hidden: the parts must not add up to it (`cover`), else it could be rebuilt.

    Sums share cells (a ministry's headcount is in its rows and in the totals' column), so
    a cell hidden for one sum's sake is protected in every other sum it is in."""
    groups = [
        (total, {key: values[key] for key in parts if key in values})
        for total, parts in sums
        if total in values
    ]
    hidden_now = primary(values) | {key for key in hidden if key in values}
    changed = True
    while changed:
        changed = False
        for total, group in groups:
            if not group:
                continue
            if total in hidden_now:
                more = cover(group, hidden_now)
            else:
                more = complementary(group, hidden_now)
                if exposes_total(group, hidden_now | more):
                    more.add(total)
            if more - hidden_now:
                hidden_now |= more
                changed = True
    return hidden_now
