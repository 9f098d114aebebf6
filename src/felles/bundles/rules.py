"""The bundle rules (pure; no Django): which children the answers call for, each child's
deadline on the working-day calendar, and refusing a bundle that includes itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from felles.core.calendar import add_working_days, is_working_day


def applies(op: str, key: str, expected: str, answers: Mapping[str, Any]) -> bool:
    """Whether a child's condition holds for the bundle's answers (`answers[key]`: a text,
    a list for a multiple choice, or None). No operator: always."""
    if not op:
        return True
    value = answers.get(key)
    if op == "contains":
        return isinstance(value, list | tuple) and expected in value
    text = "" if value is None else str(value)
    if op == "equals":
        return text == expected
    if op == "not_equals":
        return text != expected
    raise ValueError(f"unknown condition {op!r}")


def closed_day(day: dt.date) -> str | None:
    """Why `day` is no working day: "weekend", "holiday" (a Norwegian public holiday on a
    weekday), or None for a working day. A first or last working day must be one."""
    if is_working_day(day):
        return None
    return "weekend" if day.weekday() >= 5 else "holiday"


def due_date(anchor: dt.date, offset_days: int) -> dt.date:
    """The child's deadline: `offset_days` working days from the anchor date (before it
    when negative); 0 is the anchor date itself."""
    return add_working_days(anchor, offset_days) if offset_days else anchor


def find_loop(start: int, edges: Mapping[int, Iterable[int]]) -> list[int] | None:
    """A path from `start` back to itself through `edges` (bundle → the bundles among its
    children), or None. The path names the bundles in order, start first."""
    path: list[int] = []
    seen: set[int] = set()

    def visit(node: int) -> list[int] | None:
        for nxt in edges.get(node, ()):
            if nxt == start:
                return [*path, node, start]
            if nxt in seen:
                continue
            seen.add(nxt)
            path.append(node)
            found = visit(nxt)
            path.pop()
            if found:
                return found
        return None

    return visit(start)
