"""Delivery agreements' rules (pure; no Django): the states and who moves between them,
the floor for agreed targets, the stricter of two targets and overlapping periods.

The floor: an agreed target may be stricter (fewer business hours) than the service's
standard target, never looser. No statute sets response or resolution times for these
services, so the standard targets the provider publishes for the service are the floor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

DRAFT = "draft"
SENT = "sent"
AGREED = "agreed"
SUPERSEDED = "superseded"
ENDED = "ended"

# Source states per step. Acceptances happen in SENT; the second one makes it AGREED.
STEPS: dict[str, frozenset[str]] = {
    "send": frozenset({DRAFT}),
    "accept": frozenset({SENT}),
    "return": frozenset({SENT}),
    "end": frozenset({AGREED}),
    "supersede": frozenset({AGREED}),
    "edit": frozenset({DRAFT}),
}
# Agreements that have been in force: their periods never overlap (per provider × ministry).
IN_FORCE = frozenset({AGREED, SUPERSEDED, ENDED})

MAX_HOURS = Decimal(2000)  # a year of business hours: anything above is a typing error


@dataclass(frozen=True)
class Targets:
    """Business hours to first response and to resolution."""

    response: Decimal
    resolution: Decimal


def target_problems(agreed: Targets, standard: Targets | None) -> list[str]:
    """What is wrong with an agreed target, as codes: "order" (response not above 0 or
    after resolution), "max" (above MAX_HOURS), "floor" (looser than the standard)."""
    problems = []
    if not 0 < agreed.response <= agreed.resolution:
        problems.append("order")
    if agreed.resolution > MAX_HOURS:
        problems.append("max")
    if standard is not None and (
        agreed.response > standard.response or agreed.resolution > standard.resolution
    ):
        problems.append("floor")
    return problems


def stricter(standard: Targets | None, agreed: Targets | None) -> Targets | None:
    """The stricter of the two, response and resolution each on its own."""
    if standard is None or agreed is None:
        return agreed or standard
    return Targets(
        min(standard.response, agreed.response), min(standard.resolution, agreed.resolution)
    )


def overlaps(a_from: dt.date, a_to: dt.date | None, b_from: dt.date, b_to: dt.date | None) -> bool:
    """Whether two closed periods overlap (an open end runs forever)."""
    return (b_to is None or a_from <= b_to) and (a_to is None or b_from <= a_to)
