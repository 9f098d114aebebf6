"""Reads of the rooms app: who sees and manages rooms, the graded-room register, free-room
search, a room's calendar, a person's bookings and the usage statistics for DSS."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from felles.catalog import selectors as catalog_selectors
from felles.catalog.models import Service
from felles.core import visibility
from felles.core.calendar import is_working_day
from felles.core.permissions import Rule
from felles.core.types import AnyUser
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Person
from felles.rooms import rules
from felles.rooms.models import LIVE, Booking, Room

ROOM_SERVICES = ("srv-moterom",)
GRADED_SERVICES = ("sik-gradert-moterom",)


def _provider_of(codes: tuple[str, ...]) -> list[int]:
    return list(Service.objects.filter(code__in=codes).values_list("provider_id", flat=True))


def _team_or_manager(user: AnyUser, codes: tuple[str, ...]) -> bool:
    reach = catalog_selectors.handling_reach(user, codes)
    if reach is None or reach:
        return True
    return any(org_selectors.manages_provider(user, p) for p in _provider_of(codes))


def manages_rooms(user: AnyUser) -> bool:
    """DSS's meeting-room team (the handling team of srv-moterom or of the graded rooms)
    and DSS's managers: they keep the rooms and see every booking."""
    return _team_or_manager(user, ROOM_SERVICES) or _team_or_manager(user, GRADED_SERVICES)


def keeps_register(user: AnyUser) -> bool:
    """DSS's security team (handling team of sik-gradert-moterom) and DSS's managers: they
    read and keep the graded-room register (levels, approval, inspections)."""
    return _team_or_manager(user, GRADED_SERVICES)


may_use_rooms = Rule(
    "rooms: in an organisation", lambda user: org_selectors.person_for(user) is not None
)
may_manage_rooms = Rule("rooms: room team", manages_rooms)
may_keep_register = Rule("rooms: graded-room register", keeps_register)


def visible_room_filter(user: AnyUser) -> Q:
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if manages_rooms(user):
        return Q()
    person = org_selectors.person_for(user)
    if person is None:
        return Q(pk__in=[])
    return Q(active=True) & (
        ~Q(policy=Room.Policy.SOME) | Q(allowed_organisations=person.organisation_id)
    )


def visible_booking_filter(user: AnyUser) -> Q:
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if manages_rooms(user):
        return Q()
    return Q(booker__user=user)


visibility.register(Room, visible_room_filter)
visibility.register(Booking, visible_booking_filter)


BOOKED_ON_OUR_PAGES = ("srv-moterom", "sik-gradert-moterom")


def room_order_url(*, service: Service) -> str | None:
    """orders.events.order_form_url: a meeting room (ordinary or graded) is booked in the
    room search, under the booking rules (free slot, seats, the room's policy), never as a
    plain order; «Bestill» sends there and `POST /orders` refuses it. From the code: no
    query."""
    return reverse("rooms") if service.code in BOOKED_ON_OUR_PAGES else None


def rooms_for(user: AnyUser) -> QuerySet[Room]:
    return Room.objects.visible_to(user).distinct()


def bookings_for(user: AnyUser) -> QuerySet[Booking]:
    return Booking.objects.visible_to(user).select_related("room", "booker", "organisation")


def suspended_on(room: Room, day: dt.date) -> bool:
    """A graded room suspended until a date may not be used up to and including it."""
    return _suspended(room.approval, room.suspended_until, day)


def _suspended(approval: str, until: dt.date | None, day: dt.date) -> bool:
    return approval == Room.Approval.SUSPENDED and (until is None or day <= until)


def may_book(person: Person | None, room: Room) -> bool:
    """Whether `person`'s ministry may book `room` (on request counts: it asks)."""
    if person is None or not room.active:
        return False
    if room.policy == Room.Policy.SOME:
        return room.allowed_organisations.filter(pk=person.organisation_id).exists()
    return True


def overlapping(room_id: int, start: dt.datetime, end: dt.datetime) -> QuerySet[Booking]:
    """Live bookings of the room that overlap [start, end). No booking lasts longer than
    rules.MAX_BOOKING (the services refuse it), so only those starting within that much
    before `start` can reach into it: the (room, start) index reads a narrow range."""
    return Booking.objects.filter(
        room_id=room_id,
        status__in=LIVE,
        start__lt=end,
        start__gt=start - rules.MAX_BOOKING,
        end__gt=start,
    )


def free_rooms(
    user: AnyUser,
    *,
    start: dt.datetime,
    end: dt.datetime,
    size: int = 1,
    equipment: tuple[str, ...] = (),
    building: str = "",
    accessible: bool = False,
    fields: tuple[str, ...] = (),
) -> list[Any]:
    """Rooms `user` may book that are free for all of [start, end), seat `size` and have
    all of `equipment`; smallest fitting room first. One query. With `fields`, each room
    comes as a dict of those fields instead of a Room (the API: a search may list every
    room, and building a model object for each was a third of its time)."""
    person = org_selectors.person_for(user)
    if person is None:
        return []
    busy = Booking.objects.filter(
        room=OuterRef("pk"),
        status__in=LIVE,
        start__lt=end,
        start__gt=start - rules.MAX_BOOKING,
        end__gt=start,
    )
    allowed = Room.allowed_organisations.through.objects.filter(
        room=OuterRef("pk"), organisation_id=person.organisation_id
    )
    # Exists rather than a join: no DISTINCT over the rows (and their JSON) is needed.
    rooms = (
        Room.objects.filter(active=True, capacity__gte=max(size, 1))
        .filter(~Q(policy=Room.Policy.SOME) | Exists(allowed))
        .filter(~Exists(busy))
        .order_by("capacity", "building", "name")
        # A search lists many rooms: their timestamps are never shown (nor parsed).
        .defer("created_at", "updated_at")
    )
    if building:
        rooms = rooms.filter(building=building)
    if accessible:
        rooms = rooms.filter(accessible=True)
    wanted = set(equipment)
    if wanted and connection.features.supports_json_field_contains:
        # PostgreSQL filters the equipment itself (`@>`): fewer rows to build. SQLite has
        # no JSON containment; there (and as the rule of record) the check below does it.
        rooms = rooms.filter(equipment__contains=sorted(wanted))
    day = timezone.localtime(start).date()
    if fields:
        checked = ("equipment", "approval", "suspended_until")
        rows = rooms.values(*dict.fromkeys((*fields, *checked)))
        return [
            {name: row[name] for name in fields}
            for row in rows
            if wanted <= set(row["equipment"] or ())
            and not _suspended(row["approval"], row["suspended_until"], day)
        ]
    return [r for r in rooms if wanted <= set(r.equipment or ()) and not suspended_on(r, day)]


def buildings() -> list[str]:
    return list(Room.objects.filter(active=True).values_list("building", flat=True).distinct())


def week_calendar(user: AnyUser, room: Room, monday: dt.date) -> list[dict[str, Any]]:
    """The room's live bookings in the week from `monday` (Oslo), one entry per day. Other
    ministries' bookings show as «Opptatt» (the title is theirs)."""
    person = org_selectors.person_for(user)
    start = rules.local(monday, dt.time(0, 0))
    end = rules.local(monday + dt.timedelta(days=7), dt.time(0, 0))
    own_org = person.organisation_id if person else None
    see_all = manages_rooms(user)
    days: list[dict[str, Any]] = [
        {"day": monday + dt.timedelta(days=i), "bookings": []} for i in range(7)
    ]
    for b in overlapping(room.pk, start, end).select_related("organisation"):
        index = (timezone.localtime(b.start).date() - monday).days
        if 0 <= index < 7:
            shown = see_all or b.organisation_id == own_org
            days[index]["bookings"].append({"booking": b, "shown": shown})
    return days


def usage(
    *, first_day: dt.date, last_day: dt.date, organisation_id: int | None = None
) -> dict[str, Any]:
    """Usage for DSS's planning: booked hours and bookings per ministry, and the share of
    rooms in use by weekday and hour (the heat map), over [first_day, last_day]. The share
    counts the working days in the period (Norwegian public holidays excluded)."""
    start = rules.local(first_day, dt.time(0, 0))
    end = rules.local(last_day + dt.timedelta(days=1), dt.time(0, 0))
    bookings = Booking.objects.filter(
        status=Booking.Status.CONFIRMED, start__lt=end, end__gt=start
    ).select_related("organisation")
    per_ministry: dict[str, dict[str, float]] = defaultdict(lambda: {"bookings": 0, "hours": 0.0})
    intervals = []
    for b in bookings:
        hours = (b.end - b.start).total_seconds() / 3600
        row = per_ministry[b.organisation.abbreviation]
        row["bookings"] += 1
        row["hours"] += hours
        if organisation_id is None or b.organisation_id == organisation_id:
            intervals.append((max(b.start, start), min(b.end, end)))
    booked = rules.occupancy(intervals)
    rooms = Room.objects.filter(active=True).count() or 1
    weekdays = [0] * 7
    day = first_day
    while day <= last_day:
        # Working days only (core.calendar: no weekends or public holidays): the share is
        # of the days the offices are open.
        if is_working_day(day):
            weekdays[day.weekday()] += 1
        day += dt.timedelta(days=1)
    hours = list(range(7, 18))
    grid = [
        {
            "weekday": wd,
            "cells": [
                round(100 * booked.get((wd, h), 0.0) / (rooms * weekdays[wd]))
                if weekdays[wd]
                else 0
                for h in hours
            ],
        }
        for wd in range(5)
    ]
    total = sum(r["hours"] for r in per_ministry.values()) or 1.0
    ministries = [
        {
            "ministry": k,
            "bookings": int(v["bookings"]),
            "hours": round(v["hours"], 1),
            "share": round(100 * v["hours"] / total),
        }
        for k, v in sorted(per_ministry.items(), key=lambda kv: -kv[1]["hours"])
    ]
    return {"ministries": ministries, "grid": grid, "hours": hours, "rooms": rooms}
