"""API: møterom — rooms, free-room search, bookings (book, list, read, change, cancel)."""

import datetime as dt
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from felles.core.actor import Actor
from felles.core.api import responses
from felles.core.errors import ServiceError
from felles.core.permissions import api_requires, get_visible_or_404
from felles.organisations import selectors as org_selectors
from felles.rooms import selectors, services
from felles.rooms.models import EQUIPMENT, Booking, Room
from felles.rooms.schemas import BookingChangeIn, BookingIn, BookingOut, RoomOut

router = Router(tags=["moterom"])


# What RoomOut shows of a room, read as plain rows by the free-room search (room_out's).
_FIELDS = (
    "uuid", "code", "name", "building", "floor", "capacity", "equipment", "accessible", "policy",
    "level",
)  # fmt: skip


def room_out(room: Room) -> dict[str, Any]:
    return {
        "id": room.uuid,
        "code": room.code,
        "name": room.name,
        "building": room.building,
        "floor": room.floor,
        "capacity": room.capacity,
        "equipment": room.equipment,
        "accessible": room.accessible,
        "policy": room.policy,
        "graded": room.graded,
    }


def booking_out(b: Booking) -> dict[str, Any]:
    return {
        "id": b.uuid,
        "uid": b.uid,
        "room_id": b.room.uuid,
        "room": b.room.name,
        "title": b.title,
        "start": b.start,
        "end": b.end,
        "participants": b.participants,
        "status": b.status,
        "sequence": b.sequence,
        "series_id": b.series.uuid if b.series_id else None,
        "catering_order": b.catering_order.number if b.catering_order_id else None,
        "technical_order": b.technical_order.number if b.technical_order_id else None,
    }


def _bookings(request: HttpRequest) -> Any:
    return selectors.bookings_for(request.user).select_related(
        "series", "catering_order", "technical_order"
    )


@router.get("/rooms", response=responses(list[RoomOut]))
@api_requires(selectors.may_use_rooms)
def list_rooms(request: HttpRequest) -> object:
    return [room_out(r) for r in selectors.rooms_for(request.user)]


@router.get("/rooms/free", response=responses(list[RoomOut]))
@api_requires(selectors.may_use_rooms)
def free_rooms(
    request: HttpRequest,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    size: int = 1,
    equipment: list[str] = Query([]),  # noqa: B008 - ninja's way to declare a list query
) -> object:
    """Rooms the caller may book that are free for all of [start, end), seat `size` and
    have all of `equipment` (skjerm, video, tavle, teleslynge, projektor, telefon).
    Without times: the next whole hour, for an hour."""
    if start is None:
        start = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
        start += dt.timedelta(hours=1)
    if end is None:
        end = start + dt.timedelta(hours=1)
    if start.tzinfo is None or end.tzinfo is None:
        raise ServiceError("Oppgi tidspunktene med tidssone.", {"start": ["Mangler tidssone."]})
    if end <= start:
        raise ServiceError(
            "Sluttidspunktet må være etter starttidspunktet.",
            {"end": ["Må være etter start."]},
        )
    unknown = set(equipment) - set(EQUIPMENT)
    if unknown or not 1 <= size <= 2000:
        raise ServiceError("Ugyldig søk.", {"equipment" if unknown else "size": ["Ugyldig verdi."]})
    rows = selectors.free_rooms(
        request.user, start=start, end=end, size=size, equipment=tuple(equipment), fields=_FIELDS
    )
    return [{**row, "id": row["uuid"], "graded": bool(row["level"])} for row in rows]


@router.get("/rooms/bookings", response=responses(list[BookingOut]))
@api_requires(selectors.may_use_rooms)
def list_bookings(request: HttpRequest) -> object:
    """The caller's bookings (DSS's room team: all) from 30 days back."""
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=30)
    return [booking_out(b) for b in _bookings(request).filter(end__gte=since)[:1000]]


@router.get("/rooms/bookings/{booking_id}", response=responses(BookingOut))
@api_requires(selectors.may_use_rooms)
def get_booking(request: HttpRequest, booking_id: UUID) -> object:
    return booking_out(get_visible_or_404(_bookings(request), uuid=booking_id))


@router.post("/rooms/bookings", response=responses(BookingOut, 201))
@api_requires(selectors.may_use_rooms)
def create_booking(request: HttpRequest, payload: BookingIn) -> Status:
    room = get_visible_or_404(selectors.rooms_for(request.user), uuid=payload.room_id)
    booking = services.book(
        actor=Actor.from_request(request),
        booker=org_selectors.person_for(request.user),
        room=room,
        title=payload.title,
        start=payload.start,
        end=payload.end,
        participants=payload.participants,
        catering=tuple(payload.catering),
        technical_help=payload.technical_help,
    )
    return Status(201, booking_out(_bookings(request).get(pk=booking.pk)))


@router.post("/rooms/bookings/{booking_id}/cancel", response=responses(BookingOut))
@api_requires(selectors.may_use_rooms)
def cancel_booking(request: HttpRequest, booking_id: UUID) -> object:
    booking = get_visible_or_404(_bookings(request), uuid=booking_id)
    services.cancel_booking(actor=Actor.from_request(request), booking=booking)
    return booking_out(_bookings(request).get(pk=booking.pk))


@router.post("/rooms/bookings/{booking_id}/change", response=responses(BookingOut))
@api_requires(selectors.may_use_rooms)
def change_booking(request: HttpRequest, booking_id: UUID, payload: BookingChangeIn) -> object:
    """Move the booking: title, time, room, participants, checked as a new booking is (the
    calendar entry's SEQUENCE goes up, the UID stays). Add-on orders follow: placed again
    while they can still be cancelled, otherwise the provider is told on the order."""
    booking = get_visible_or_404(_bookings(request), uuid=booking_id)
    room = (
        get_visible_or_404(selectors.rooms_for(request.user), uuid=payload.room_id)
        if payload.room_id
        else None
    )
    services.change_booking(
        actor=Actor.from_request(request),
        booking=booking,
        title=payload.title,
        start=payload.start,
        end=payload.end,
        room=room,
        participants=payload.participants,
    )
    return booking_out(_bookings(request).get(pk=booking.pk))
