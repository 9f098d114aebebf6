"""Cycle rules for management chains and unit trees (pure functions)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from felles.organisations.hierarchy import creates_cycle, find_cycle


def test_self_parent_is_a_cycle() -> None:
    assert creates_cycle({}, "a", "a")


def test_pointing_at_a_descendant_is_a_cycle() -> None:
    parents = {"b": "a", "c": "b"}
    assert creates_cycle(parents, "a", "c")
    assert not creates_cycle(parents, "c", "a")


def test_find_cycle_reports_the_loop() -> None:
    assert find_cycle({"a": "b", "b": "c", "c": "a", "d": None}) is not None
    assert find_cycle({"a": "b", "b": None, "c": "a"}) is None


@given(st.dictionaries(st.integers(0, 30), st.integers(0, 30) | st.none(), max_size=30))
def test_find_cycle_agrees_with_walking_up(parents: dict) -> None:
    def loops_from(start: int) -> bool:
        seen, node = set(), start
        while node is not None:
            if node in seen:
                return True
            seen.add(node)
            node = parents.get(node)
        return False

    assert (find_cycle(parents) is not None) == any(loops_from(n) for n in parents)


@given(
    st.dictionaries(st.integers(0, 20), st.integers(0, 20) | st.none(), max_size=20),
    st.integers(0, 20),
    st.integers(0, 20),
)
def test_creates_cycle_iff_the_new_link_closes_a_loop(parents: dict, node: int, new: int) -> None:
    if find_cycle(parents) is not None:
        return  # the rule is only defined over a valid (acyclic) tree
    after = {**parents, node: new}
    assert creates_cycle(parents, node, new) == (find_cycle(after) is not None)


def test_the_ministry_leader_is_the_one_person_at_the_top_of_its_line(personas) -> None:
    """Per leads KUD (a line manager with nobody above him); a second line manager without
    a manager (a line lost in an import) makes the leader unknown: nobody leads (fails
    closed) until the line is mended; Ola, an employee, leads nothing."""
    from felles.organisations import selectors
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    assert selectors.ministries_led(personas.manager.user) == {personas.kud.pk}
    assert selectors.ministries_led(personas.outsider.user) == frozenset()
    second = make_person(personas.kud, "sjef2", roles=[Role.LINE_MANAGER])
    assert selectors.ministries_led(personas.manager.user) == frozenset()
    assert selectors.ministries_led(second.user) == frozenset()
    second.line_manager = personas.manager
    second.save(update_fields=["line_manager"])
    assert selectors.ministries_led(personas.manager.user) == {personas.kud.pk}
