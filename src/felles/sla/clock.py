"""SLA clocks derived from an order's event history (pure; no Django).

The provider's clocks start when the order reaches the provider (QUEUED); the time before
that is the customer's approval time, measured separately and never a provider breach.
The clocks pause while the order waits for the customer (a question, or a delivery waiting
for confirmation) and resume when the customer answers or reopens; every pause has a
reason. A priority change swaps the targets but keeps the time already spent, so
recomputing from the history always gives the same deadlines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from felles.core.calendar import BusinessCalendar

WARNING_SHARE = 0.75

START = "queued"
RESPONSES = {"assigned", "info_requested", "resolved", "provider_comment"}


def _(text: str) -> str:
    """Marks a text for the translation catalogue; the page translates it (`gettext`)."""
    return text


PAUSES = {
    "info_requested": _("Venter på svar fra bestiller"),
    "resolved": _("Levert – venter på bekreftelse fra bestiller"),
}
RESUMES = {"info_provided", "reopened"}
ENDS = {"confirmed", "closed", "cancelled", "rejected"}


@dataclass(frozen=True)
class Event:
    kind: str
    at: dt.datetime
    priority: str | None = None  # for "priority_changed"


@dataclass(frozen=True)
class Targets:
    """Business minutes to first response and to resolution."""

    response: float
    resolution: float


def from_hours(hours: Mapping[str, tuple[Decimal, Decimal]]) -> dict[str, Targets]:
    """Targets per priority from (response, resolution) in business hours."""
    return {
        priority: Targets(response=float(response) * 60, resolution=float(resolution) * 60)
        for priority, (response, resolution) in hours.items()
    }


def stricter(standard: Mapping[str, Targets], agreed: Mapping[str, Targets]) -> dict[str, Targets]:
    """Per priority, the shorter of the standard and the agreed target, response and
    resolution each on its own (an agreement never loosens the standard); a priority only
    one of them names keeps that one's targets."""
    merged = dict(standard)
    for priority, target in agreed.items():
        base = merged.get(priority)
        merged[priority] = (
            target
            if base is None
            else Targets(
                response=min(base.response, target.response),
                resolution=min(base.resolution, target.resolution),
            )
        )
    return merged


@dataclass(frozen=True)
class Pause:
    start: dt.datetime
    end: dt.datetime | None
    reason: str


@dataclass
class SlaState:
    priority: str
    targets: Targets | None
    approval_minutes: float = 0.0
    started_at: dt.datetime | None = None
    responded_at: dt.datetime | None = None
    response_minutes: float = 0.0
    resolution_minutes: float = 0.0
    paused_minutes: float = 0.0
    paused: bool = False
    finished: bool = False
    resolved: bool = False
    response_due: dt.datetime | None = None
    resolution_due: dt.datetime | None = None
    resolution_warn_at: dt.datetime | None = None
    pauses: list[Pause] = field(default_factory=list)

    def status(self, now: dt.datetime) -> str:
        """ok, warning, breached, paused, met, or none (no targets / not started)."""
        if self.targets is None or self.started_at is None:
            return "none"
        over = self.resolution_minutes > self.targets.resolution
        if self.finished or self.resolved:
            return "breached" if over else "met"
        if (self.resolution_due is not None and now >= self.resolution_due) or over:
            return "breached"
        if self.paused:
            return "paused"
        if self.resolution_warn_at is not None and now >= self.resolution_warn_at:
            return "warning"
        return "ok"

    def response_breached(self, now: dt.datetime) -> bool:
        if self.targets is None or self.started_at is None:
            return False
        if self.responded_at is not None:
            return self.response_minutes > self.targets.response
        return self.response_due is not None and now >= self.response_due


def compute(
    events: Sequence[Event],
    *,
    targets: Mapping[str, Targets],
    priority: str,
    calendar: BusinessCalendar,
    now: dt.datetime,
) -> SlaState:
    """The SLA state of one order at `now` from its events (any order; sorted here)."""
    state = SlaState(priority=priority, targets=targets.get(priority))
    ordered = sorted(events, key=lambda e: e.at)
    submitted = next((e.at for e in ordered if e.kind == "submitted"), None)
    running_since: float | None = None  # business position when the clock last resumed
    pause_start: dt.datetime | None = None
    for event in ordered:
        if event.at > now:
            break
        position = calendar.position(event.at)
        if event.kind == "priority_changed" and event.priority:
            state.priority = event.priority
            state.targets = targets.get(event.priority, state.targets)
            continue
        if state.started_at is None:
            if event.kind == START:
                state.started_at = event.at
                running_since = position
                if submitted is not None:
                    state.approval_minutes = calendar.minutes_between(submitted, event.at)
            continue
        if state.finished:
            continue
        if state.responded_at is None and event.kind in RESPONSES:
            state.responded_at = event.at
            state.response_minutes = state.resolution_minutes + (
                (position - running_since) / 60 if running_since is not None else 0.0
            )
        if event.kind in PAUSES and running_since is not None:
            state.resolution_minutes += (position - running_since) / 60
            running_since = None
            pause_start = event.at
            state.pauses.append(Pause(event.at, None, PAUSES[event.kind]))
            state.resolved = event.kind == "resolved"
        elif event.kind in RESUMES and running_since is None and pause_start is not None:
            state.paused_minutes += calendar.minutes_between(pause_start, event.at)
            state.pauses[-1] = Pause(pause_start, event.at, state.pauses[-1].reason)
            running_since, pause_start = position, None
            state.resolved = False
        elif event.kind in ENDS:
            if running_since is not None:
                state.resolution_minutes += (position - running_since) / 60
                running_since = None
            if pause_start is not None:  # the order ended while waiting: the pause ends too
                state.paused_minutes += calendar.minutes_between(pause_start, event.at)
                state.pauses[-1] = Pause(pause_start, event.at, state.pauses[-1].reason)
                pause_start = None
            state.finished = True
    if state.started_at is None:
        if submitted is not None:  # still waiting for the customer's own approval
            state.approval_minutes = calendar.minutes_between(submitted, now)
        return state
    if state.finished or state.resolved:
        return state
    if running_since is None:
        state.paused = True
        if pause_start is not None:
            state.paused_minutes += calendar.minutes_between(pause_start, now)
        live = state.resolution_minutes
    else:
        live = state.resolution_minutes + (calendar.position(now) - running_since) / 60
    if state.targets is not None and running_since is not None:
        # Deadlines depend only on the history: position of the last resume plus what is
        # left of the target at that moment.
        base = running_since - state.resolution_minutes * 60
        state.resolution_due = calendar.at(base + state.targets.resolution * 60)
        state.resolution_warn_at = calendar.at(base + WARNING_SHARE * state.targets.resolution * 60)
        if state.responded_at is None:
            state.response_due = calendar.at(base + state.targets.response * 60)
    state.resolution_minutes = live
    if state.responded_at is None and running_since is not None:
        state.response_minutes = live
    return state
