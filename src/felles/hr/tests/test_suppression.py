"""The whole period table (every ministry and the community, every count measure) must not
let a reader work out a hidden cell from the cells shown, through the sums the reader
knows: a ministry's breakdowns (gender, age band, part-time) add up to its headcount, each
column adds up to the community's figure, and the community's breakdowns add up to its
headcount. Pure: `selectors.suppress_period` without the database."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from felles.hr import rules, selectors
from felles.hr.models import Measure

BREAKDOWNS = {
    Measure.GENDER: ("kvinner", "menn"),
    Measure.AGE_BAND: ("under 30", "30–59", "60 og over"),
    Measure.PART_TIME: ("heltid", "deltid"),
}

Cellkey = tuple[object, str, str]  # who (ministry id or "community"), measure, breakdown


def _community(by_ministry: dict[int, dict[selectors.Key, Decimal]]) -> dict:
    sums: dict[selectors.Key, Decimal] = {}
    for values in by_ministry.values():
        for key, value in values.items():
            sums[key] = sums.get(key, Decimal(0)) + value
    return sums


def _relations(by_ministry: dict[int, dict[selectors.Key, Decimal]]) -> list:
    """(total, parts) for every sum a reader knows."""
    relations = []
    whos: list[object] = [*sorted(by_ministry), "community"]
    present = {m for values in by_ministry.values() for (m, _b) in values}
    for who in whos:
        for measure, names in BREAKDOWNS.items():
            if measure not in present:
                continue
            relations.append(
                ((who, Measure.HEADCOUNT, ""), [(who, measure, name) for name in names])
            )
    keys = {key for values in by_ministry.values() for key in values}
    for measure, breakdown in sorted(keys):
        relations.append(
            (
                ("community", measure, breakdown),
                [(pk, measure, breakdown) for pk in sorted(by_ministry)],
            )
        )
    return relations


def _leaks(by_ministry: dict[int, dict[selectors.Key, Decimal]]) -> list[str]:
    """What a reader works out from the shown cells: any hidden cell with people (a sum with
    one unknown left; unknowns that must all be zero are known too and may give others
    away), or the sum of hidden cells telling about 1–4 people."""
    table = selectors.suppress_period(by_ministry, _community(by_ministry))
    cells: dict[Cellkey, selectors.Cell] = {
        (pk, m, b): cell for pk, own in table.own.items() for (m, b), cell in own.items()
    }
    cells |= {("community", m, b): cell for (m, b), cell in table.community.items()}
    known = {key: cell.value for key, cell in cells.items() if not cell.hidden}
    relations = _relations(by_ministry)
    leaks: list[str] = []
    changed = True
    while changed:
        changed = False
        for total, parts in relations:
            unknown = [k for k in [total, *parts] if k not in known]
            if len(unknown) == 1:
                key = unknown[0]
                rest = sum((known[k] for k in parts if k != key), Decimal(0))
                known[key] = rest if key == total else known[total] - rest
                if known[key]:  # a zero describes nobody; it may still give others away
                    leaks.append(f"{key} = {known[key]}")
                changed = True
            elif total in known and unknown:
                left = known[total] - sum((known[k] for k in parts if k in known), Decimal(0))
                if left == 0:
                    for key in unknown:
                        known[key] = Decimal(0)
                    changed = True
                elif rules.is_small(left):
                    leaks.append(f"{unknown} add up to {left}")
    return leaks


def _split(total: int, parts: int, draw) -> list[int]:
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1)))
    bounds = [0, *cuts, total]
    return [bounds[i + 1] - bounds[i] for i in range(parts)]


@st.composite
def tables(draw) -> dict[int, dict[selectors.Key, Decimal]]:
    by_ministry: dict[int, dict[selectors.Key, Decimal]] = {}
    for pk in range(1, draw(st.integers(1, 4)) + 1):
        head = draw(st.one_of(st.integers(0, 12), st.integers(0, 40)))
        values = {(Measure.HEADCOUNT.value, ""): Decimal(head)}
        for measure, names in BREAKDOWNS.items():
            for name, value in zip(names, _split(head, len(names), draw), strict=True):
                values[(measure.value, name)] = Decimal(value)
        by_ministry[pk] = values
    return by_ministry


@settings(max_examples=300, deadline=None)
@given(tables())
def test_no_hidden_cell_can_be_worked_out_from_the_shown_ones(by_ministry) -> None:
    assert _leaks(by_ministry) == []


def test_a_hidden_headcount_is_not_the_sum_of_its_breakdowns() -> None:
    """KUD 5 people (0 women, 5 men), FIN 5 (1 and 4), SMK 1 (0 and 1); the community 11
    (1 and 10). On their own pages FIN's genders (1 and 4) hide together, SMK's headcount
    (1) and both its genders, the community's genders (1, then 10 with it). The headcount
    column (community 11 shown) then hides KUD's 5 with SMK's lone 1 — and KUD's genders, 0
    and 5, would add up to that hidden 5: so KUD's 0 goes (the «kvinner» column, its
    community figure hidden, must not add up to it either), and its 5 with it, so the
    hidden genders are two and five people. FIN's 5 and the community's 11 are shown:
    KUD and SMK together are 6, nothing smaller."""

    def ministry(head: int, women: int) -> dict[selectors.Key, Decimal]:
        return {
            ("headcount", ""): Decimal(head),
            ("gender", "kvinner"): Decimal(women),
            ("gender", "menn"): Decimal(head - women),
        }

    by_ministry = {1: ministry(5, 0), 2: ministry(5, 1), 3: ministry(1, 0)}
    table = selectors.suppress_period(by_ministry, _community(by_ministry))
    texts = {pk: [cell.text for cell in table.own[pk].values()] for pk in by_ministry} | {
        "community": [cell.text for cell in table.community.values()]
    }
    assert texts == {
        1: ["..", "..", ".."],
        2: ["5", "<5", "<5"],
        3: ["<5", "..", "<5"],
        "community": ["11", "<5", ".."],
    }
    assert _leaks(by_ministry) == []
