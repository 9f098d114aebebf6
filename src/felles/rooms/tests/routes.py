"""Access-matrix rows for the rooms app. Every persona is in an organisation and may look
for and book rooms open to all ministries; a booking is seen by its booker (Kari) and
DSS's room team; the register, requests and statistics belong to DSS's room and security
teams and managers (no standing persona: 403 here, tested in test_pages.py). The feeds
are reached by Kari's secret, not by signing in."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from felles.core.actor import Actor
from felles.testing.matrix import ALL, PERSONAS, Case, seeded

SYSTEM = Actor.system("matrix")
_slots = itertools.count()
NOBODY = dict.fromkeys(PERSONAS[1:], 403)
ONLY_KARI = {**dict.fromkeys(PERSONAS[1:], 404), "employee": 200}


def _room(p: Any) -> Any:
    from felles.rooms import services
    from felles.rooms.models import Room

    seeded(p)
    room = Room.objects.filter(code="M-1").first()
    if room is None:
        room = services.save_room(
            actor=SYSTEM,
            values={
                "code": "M-1",
                "name": "Matriserommet",
                "building": "R4",
                "capacity": 12,
                "equipment": ["skjerm"],
            },
        )
    return room


def _booking(p: Any) -> Any:
    from felles.rooms import rules, services

    day = dt.date(2040, 1, 2) + dt.timedelta(days=next(_slots))
    start = rules.local(day, dt.time(10, 0))
    return services.book(
        actor=SYSTEM,
        booker=p.employee,
        room=_room(p),
        title="Matrisemøte",
        start=start,
        end=start + dt.timedelta(hours=1),
        participants=4,
        now=start - dt.timedelta(days=1),
    )


def room_id(p: Any) -> dict[str, Any]:
    return {"room_id": _room(p).uuid}


def booking_id(p: Any) -> dict[str, Any]:
    return {"booking_id": _booking(p).uuid}


def secret(p: Any) -> dict[str, Any]:
    from felles.rooms import services

    return {"secret": services.issue_feed_token(actor=SYSTEM, person=p.employee)}


def secret_and_room(p: Any) -> dict[str, Any]:
    return {**secret(p), **room_id(p)}


def booking_body(p: Any) -> dict[str, Any]:
    from django.utils import timezone

    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    start = now + dt.timedelta(days=20, hours=next(_slots) % 5000)
    return {
        "room_id": str(_room(p).uuid),
        "title": "API-møte",
        "start": start.isoformat(),
        "end": (start + dt.timedelta(hours=1)).isoformat(),
        "participants": 2,
    }


WEB: dict[str, Case] = {
    "rooms": Case("GET", ALL),
    "my_bookings": Case("GET", ALL),
    "feed_token": Case("POST", dict.fromkeys(PERSONAS[1:], 302)),
    "room": Case("GET", ALL, room_id),
    "room_series": Case("GET", ALL, room_id),
    "booking": Case("GET", ONLY_KARI, booking_id),
    "booking_edit": Case("GET", ONLY_KARI, booking_id),
    "booking_cancel": Case(
        "POST", {**ONLY_KARI, "employee": 302}, booking_id, lambda p: {"what": "one"}
    ),
    "feed_person": Case("GET", ALL, secret, anonymous=200),
    "feed_room": Case("GET", ALL, secret_and_room, anonymous=200),
    "room_register": Case("GET", NOBODY),
    "room_edit": Case("GET", NOBODY, room_id),
    "room_inspection": Case("POST", NOBODY, room_id, lambda p: {}),
    "room_requests": Case("GET", NOBODY),
    "booking_decide": Case("POST", NOBODY, booking_id, lambda p: {"approve": "1"}),
    "room_usage": Case("GET", NOBODY),
}

API: dict[str, Case] = {
    "GET /rooms": Case("GET", ALL, anonymous=401),
    "GET /rooms/free": Case("GET", ALL, anonymous=401),
    "GET /rooms/bookings": Case("GET", ALL, anonymous=401),
    "GET /rooms/bookings/{booking_id}": Case("GET", ONLY_KARI, booking_id, anonymous=401),
    "POST /rooms/bookings": Case(
        "POST", dict.fromkeys(PERSONAS[1:], 201), body=booking_body, anonymous=401
    ),
    "POST /rooms/bookings/{booking_id}/cancel": Case(
        "POST", ONLY_KARI, booking_id, lambda p: {}, anonymous=401
    ),
    "POST /rooms/bookings/{booking_id}/change": Case(
        "POST", ONLY_KARI, booking_id, lambda p: {"title": "Nytt navn"}, anonymous=401
    ),
}

# (customer contact serving FIN, provider manager serving FIN): DSS people, so they may
# book; they are no room team and see none of Kari's bookings.
SCOPED_WEB: dict[str, tuple[int, int]] = {
    "rooms": (200, 200),
    "my_bookings": (200, 200),
    "feed_token": (302, 302),
    "room": (200, 200),
    "room_series": (200, 200),
    "booking": (404, 404),
    "booking_edit": (404, 404),
    "booking_cancel": (404, 404),
    "feed_person": (200, 200),
    "feed_room": (200, 200),
    "room_register": (403, 403),
    "room_edit": (403, 403),
    "room_inspection": (403, 403),
    "room_requests": (403, 403),
    "booking_decide": (403, 403),
    "room_usage": (403, 403),
}

SCOPED_API: dict[str, tuple[int, int]] = {
    "GET /rooms": (200, 200),
    "GET /rooms/free": (200, 200),
    "GET /rooms/bookings": (200, 200),
    "GET /rooms/bookings/{booking_id}": (404, 404),
    "POST /rooms/bookings": (201, 201),
    "POST /rooms/bookings/{booking_id}/cancel": (404, 404),
    "POST /rooms/bookings/{booking_id}/change": (404, 404),
}
