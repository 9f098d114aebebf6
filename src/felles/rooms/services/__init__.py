"""The rooms app's writers: the room register (graded rooms and inspections included),
bookings and series, add-on orders, calendar-feed secrets."""

from felles.rooms.services.booking import (
    book,
    book_series,
    cancel_booking,
    cancel_series,
    decide_request,
)
from felles.rooms.services.change import Change, change_booking
from felles.rooms.services.register import issue_feed_token, record_inspection, save_room

__all__ = [
    "Change",
    "book",
    "book_series",
    "cancel_booking",
    "cancel_series",
    "change_booking",
    "decide_request",
    "issue_feed_token",
    "record_inspection",
    "save_room",
]
