"""iCalendar (RFC 5545) feeds of bookings, with the `icalendar` library: one VEVENT per
booking with its stable UID, SEQUENCE (raised on every change) and STATUS (CANCELLED for
a cancelled or declined booking, so Outlook removes it)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.utils import timezone
from icalendar import Calendar, Event

from felles.rooms.models import Booking

STATUS = {
    Booking.Status.CONFIRMED: "CONFIRMED",
    Booking.Status.REQUESTED: "TENTATIVE",
    Booking.Status.CANCELLED: "CANCELLED",
    Booking.Status.DECLINED: "CANCELLED",
}


def feed(
    name: str, bookings: Iterable[Booking], *, shown: Callable[[Booking], bool] = lambda b: True
) -> bytes:
    """The calendar `name` with `bookings` (room and booker selected). A booking `shown`
    refuses has «Opptatt» for title and no description (a room feed shows other
    ministries' meetings as busy only)."""
    cal = Calendar()
    cal.add("prodid", "-//Departementenes sikkerhets- og serviceorganisasjon//Felles//NO")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Oslo")
    now = timezone.now()
    for b in bookings:
        titles = shown(b)
        event = Event()
        event.add("uid", b.uid)
        event.add("dtstamp", now)
        event.add("created", b.created_at)
        event.add("last-modified", b.updated_at)
        event.add("dtstart", b.start)
        event.add("dtend", b.end)
        event.add("sequence", b.sequence)
        event.add("status", STATUS[b.status])
        event.add("summary", b.title if titles else "Opptatt")
        event.add(
            "location",
            f"{b.room.name}, {b.room.building}"
            + (f", {b.room.floor}. etg." if b.room.floor else ""),
        )
        if titles:
            event.add("description", f"Booket av {b.booker.full_name}")
        event.add("transp", "TRANSPARENT" if STATUS[b.status] == "CANCELLED" else "OPAQUE")
        cal.add_component(event)
    return cal.to_ical()
