"""SLA clocks from event histories, against hand-computed business time.

Normal priority: 8 h to first response (480 min), 40 h to resolution (2 400 min). A winter
working day is 08:00–15:45 = 465 min."""

from __future__ import annotations

import datetime as dt

from felles.core.calendar import OSLO, BusinessCalendar
from felles.sla.clock import Event, Targets, compute

CAL = BusinessCalendar()
TARGETS = {"normal": Targets(480, 2400), "high": Targets(240, 960)}


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=OSLO)


def state(events: list[Event], now: dt.datetime, priority: str = "normal"):
    return compute(events, targets=TARGETS, priority=priority, calendar=CAL, now=now)


SUBMITTED = Event("submitted", at(2026, 11, 13, 14, 0))  # Friday
QUEUED = Event("queued", at(2026, 11, 16, 9, 0))  # Monday


def test_clock_starts_at_the_provider_and_approval_time_is_separate() -> None:
    s = state([SUBMITTED, QUEUED], at(2026, 11, 16, 9, 0))
    assert s.approval_minutes == 105 + 60  # Friday 14:00–15:45, Monday 08:00–09:00
    assert s.started_at == QUEUED.at
    # 2 400 min: Mon 405, Tue–Fri 4 × 465 = 1 860 → 135 min into the next Monday.
    assert s.resolution_due == at(2026, 11, 23, 10, 15)
    assert s.response_due == at(2026, 11, 17, 9, 15)  # 405 + 75
    assert s.status(at(2026, 11, 16, 12, 0)) == "ok"


def test_waiting_for_approval_is_never_a_provider_breach() -> None:
    s = state([SUBMITTED], at(2026, 12, 31, 12, 0))
    assert s.started_at is None and s.status(at(2026, 12, 31, 12, 0)) == "none"
    assert s.approval_minutes > 2400


def test_two_days_waiting_for_the_customer_do_not_cause_a_breach() -> None:
    events = [
        SUBMITTED,
        QUEUED,
        Event("info_requested", at(2026, 11, 17, 9, 0)),
        Event("info_provided", at(2026, 11, 19, 9, 0)),
    ]
    now = at(2026, 11, 23, 12, 0)
    s = state(events, now)
    assert s.paused_minutes == 405 + 465 + 60
    assert [p.reason for p in s.pauses] == ["Venter på svar fra bestiller"]
    assert s.resolution_minutes == 2400 + 105 - 930
    assert s.status(now) == "ok"
    without_pause = state([SUBMITTED, QUEUED], now)
    assert without_pause.status(now) == "breached"
    assert s.resolution_due == CAL.add_minutes(at(2026, 11, 23, 10, 15), 930)


def test_paused_order_has_no_running_deadline() -> None:
    events = [SUBMITTED, QUEUED, Event("info_requested", at(2026, 11, 17, 9, 0))]
    s = state(events, at(2026, 11, 30, 9, 0))
    assert s.paused and s.resolution_due is None
    assert s.status(at(2026, 11, 30, 9, 0)) == "paused"
    assert s.responded_at == at(2026, 11, 17, 9, 0)  # a question is a response


def test_priority_change_keeps_time_already_spent() -> None:
    events = [SUBMITTED, QUEUED, Event("priority_changed", at(2026, 11, 17, 9, 0), "high")]
    s = state(events, at(2026, 11, 17, 9, 0))
    assert s.priority == "high" and s.targets == TARGETS["high"]
    # 465 min spent (Mon 405 + Tue 60); 960 − 465 = 495 left: Tue to 15:45 is 405, 90 more.
    assert s.resolution_due == at(2026, 11, 18, 9, 30)


def test_resolution_stops_the_clock_and_reopening_resumes_it() -> None:
    events = [
        SUBMITTED,
        QUEUED,
        Event("assigned", at(2026, 11, 16, 10, 0)),
        Event("resolved", at(2026, 11, 17, 10, 0)),
        Event("reopened", at(2026, 11, 18, 10, 0)),
    ]
    s = state(events, at(2026, 11, 18, 10, 0))
    assert s.response_minutes == 60
    assert s.resolution_minutes == 405 + 120
    assert s.paused_minutes == 465  # Tue 10:00 → Wed 10:00
    assert not s.resolved and s.status(at(2026, 11, 18, 10, 0)) == "ok"
    done = state(
        [
            *events,
            Event("resolved", at(2026, 11, 18, 11, 0)),
            Event("confirmed", at(2026, 11, 19, 9, 0)),
        ],
        at(2026, 11, 30, 9, 0),
    )
    assert done.finished and done.status(at(2026, 11, 30, 9, 0)) == "met"
    assert done.resolution_minutes == 405 + 120 + 60


def test_history_order_does_not_matter_and_now_does_not_move_deadlines() -> None:
    events = [
        SUBMITTED,
        QUEUED,
        Event("info_requested", at(2026, 11, 17, 9, 0)),
        Event("info_provided", at(2026, 11, 19, 9, 0)),
    ]
    a = state(events, at(2026, 11, 19, 10, 0))
    b = state(list(reversed(events)), at(2026, 11, 25, 14, 0))
    assert a.resolution_due == b.resolution_due and a.resolution_warn_at == b.resolution_warn_at


def test_a_pause_ends_when_the_order_ends() -> None:
    """Delivered Tuesday 10:00, confirmed Wednesday 09:00: the pause waiting for the
    confirmation ends then (and counts 345 + 60 business minutes), not «still running»."""
    events = [
        SUBMITTED,
        QUEUED,
        Event("assigned", at(2026, 11, 16, 10, 0)),
        Event("resolved", at(2026, 11, 17, 10, 0)),
        Event("confirmed", at(2026, 11, 18, 9, 0)),
    ]
    s = state(events, at(2026, 11, 30, 12, 0))
    assert s.finished
    assert [(p.start, p.end) for p in s.pauses] == [
        (at(2026, 11, 17, 10, 0), at(2026, 11, 18, 9, 0))
    ]
    assert s.paused_minutes == 345 + 60


def test_a_cancelled_order_waiting_for_an_answer_ends_its_pause() -> None:
    events = [
        SUBMITTED,
        QUEUED,
        Event("info_requested", at(2026, 11, 17, 9, 0)),
        Event("cancelled", at(2026, 11, 17, 11, 0)),
    ]
    s = state(events, at(2026, 11, 30, 12, 0))
    assert s.pauses[-1].end == at(2026, 11, 17, 11, 0)
