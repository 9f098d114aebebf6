"""Changing a booking: the rules of booking it, SEQUENCE up with the same UID, another
room's policy, the add-on orders following (placed again or flagged), the edit page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
import pytest

from felles.core.actor import Actor
from felles.core.errors import Conflict, Forbidden, ServiceError
from felles.orders.models import Order, OrderEvent
from felles.rooms import ical, services
from felles.rooms.models import Booking
from felles.rooms.tests.conftest import at
from felles.testing import client_for

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 19)  # the day after the frozen clock (18.11.2026)
PAST = dt.date(2026, 11, 17)


def _kari(rooms: Any) -> Actor:
    return Actor(user=rooms.employee.user)


def _book(rooms: Any, hour: int = 10, **kwargs: Any) -> Booking:
    values = {
        "booker": rooms.employee,
        "room": rooms.small,
        "title": "Planmøte",
        "start": at(DAY, hour),
        "end": at(DAY, hour + 1),
        "participants": 8,
        **kwargs,
    }
    return services.book(actor=_kari(rooms), **values)


def test_a_move_keeps_the_uid_and_raises_the_sequence(rooms: Any, frozen_clock: Any) -> None:
    booking = _book(rooms)
    uid = booking.uid
    change = services.change_booking(
        actor=_kari(rooms),
        booking=booking,
        start=at(DAY, 13),
        end=at(DAY, 14, 30),
        participants=6,
        title="Flyttet møte",
    )
    moved = Booking.objects.get(pk=booking.pk)
    assert (moved.start, moved.end, moved.participants) == (at(DAY, 13), at(DAY, 14, 30), 6)
    assert moved.sequence == 1 and moved.uid == uid and change.booking.pk == booking.pk
    [event] = icalendar.Calendar.from_ical(
        ical.feed("Kari", Booking.objects.select_related("room", "booker"))
    ).walk("VEVENT")
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == at(DAY, 13) and str(event["SUMMARY"]) == "Flyttet møte"
    # Nothing changed: no new sequence.
    services.change_booking(actor=_kari(rooms), booking=moved, title="Flyttet møte")
    assert Booking.objects.get(pk=booking.pk).sequence == 1


def test_a_move_obeys_the_rules_of_booking_and_saves_nothing_when_refused(
    rooms: Any, frozen_clock: Any
) -> None:
    booking = _book(rooms)
    _book(rooms, hour=14)
    cases = [
        ({"start": at(DAY, 14, 30), "end": at(DAY, 15)}, Conflict, "allerede booket"),
        ({"end": at(DAY, 9)}, ServiceError, "slutte etter at den begynner"),
        ({"end": at(DAY + dt.timedelta(days=1), 10)}, ServiceError, "høyst 12 timer"),
        (
            {
                "start": at(DAY - dt.timedelta(days=2), 10),
                "end": at(DAY - dt.timedelta(days=2), 11),
            },
            ServiceError,
            "passert",
        ),
        ({"room": rooms.fin_room}, ServiceError, "Departementet ditt kan ikke booke"),
        ({"participants": 11}, ServiceError, "plass til 10"),
        ({"title": "Møte\x00"}, ServiceError, "kontrolltegn"),
    ]
    for kwargs, error, message in cases:
        with pytest.raises(error, match=message):
            services.change_booking(actor=_kari(rooms), booking=booking, **kwargs)
    fresh = Booking.objects.get(pk=booking.pk)
    assert (fresh.start, fresh.room, fresh.participants, fresh.sequence) == (
        at(DAY, 10),
        rooms.small,
        8,
        0,
    )
    # Only the booker (and DSS's room team) may change it.
    with pytest.raises(Forbidden):
        services.change_booking(
            actor=Actor(user=rooms.outsider.user), booking=booking, title="Kapret"
        )
    # A cancelled booking stays cancelled.
    services.cancel_booking(actor=_kari(rooms), booking=booking)
    with pytest.raises(Conflict, match="avlyst"):
        services.change_booking(
            actor=_kari(rooms),
            booking=Booking.objects.get(pk=booking.pk),
            start=at(DAY, 16),
            end=at(DAY, 17),
        )


def test_moving_to_a_room_booked_on_request_asks_again(rooms: Any, frozen_clock: Any) -> None:
    booking = _book(rooms, participants=4)
    services.change_booking(actor=_kari(rooms), booking=booking, room=rooms.graded)
    moved = Booking.objects.get(pk=booking.pk)
    assert moved.room == rooms.graded and moved.status == "requested"
    # The old room's slot is free again.
    _book(rooms)


def test_add_ons_follow_the_booking_or_are_flagged(rooms: Any, frozen_clock: Any) -> None:
    booking = _book(rooms, catering=("Kaffe og te", "Frukt"))
    first = booking.catering_order
    change = services.change_booking(
        actor=_kari(rooms), booking=booking, start=at(DAY, 12), end=at(DAY, 13), participants=10
    )
    booking.refresh_from_db()
    second = booking.catering_order
    # Still cancellable: cancelled and placed again with the new time and covers.
    assert Order.objects.get(pk=first.pk).status == "cancelled"
    assert second.pk != first.pk and change.replaced == [f"{first.number} → {second.number}"]
    assert second.quantity == 10 and second.answers["tidspunkt"]["value"] == "12:00–13:00"
    assert second.answers["servering"]["value"] == ["Kaffe og te", "Frukt"]
    # Once the provider has it in hand it stays, with a comment saying what changed.
    Order.objects.filter(pk=second.pk).update(status="in_progress")
    change = services.change_booking(
        actor=_kari(rooms),
        booking=Booking.objects.get(pk=booking.pk),
        start=at(DAY, 15),
        end=at(DAY, 16),
    )
    assert change.flagged == [second.number] and not change.replaced
    assert Booking.objects.get(pk=booking.pk).catering_order_id == second.pk
    note = OrderEvent.objects.filter(order=second, kind=OrderEvent.Kind.COMMENT).last()
    assert "19.11.2026 15:00–16:00" in note.text and "var 19.11.2026 12:00–13:00" in note.text
    # A new title alone leaves the orders be.
    change = services.change_booking(
        actor=_kari(rooms), booking=Booking.objects.get(pk=booking.pk), title="Nytt navn"
    )
    assert not change.flagged and not change.replaced


def test_the_edit_page_and_the_api(rooms: Any, frozen_clock: Any) -> None:
    booking = _book(rooms)
    _book(rooms, hour=14)
    kari = client_for(rooms.employee)
    url = f"/moterom/booking/{booking.uuid}/endre/"
    page = kari.get(url)
    assert page.status_code == 200 and 'value="Planmøte"' in page.content.decode()
    assert 'value="10:00"' in page.content.decode()
    assert client_for(rooms.outsider).get(url).status_code == 404
    form = {
        "title": "Planmøte",
        "room": str(rooms.small.uuid),
        "day": DAY.isoformat(),
        "start": "14:30",
        "end": "15:30",
        "participants": "8",
    }
    for bad in ({"room": "ikke-en-id"}, {"participants": "99999999999"}, {"day": "2026-02-31"}):
        assert kari.post(url, {**form, **bad}).status_code == 422
    clash = kari.post(url, form)
    assert clash.status_code == 409 and "allerede booket" in clash.content.decode()
    response = kari.post(url, {**form, "start": "12:00", "end": "13:00"})
    assert response.status_code == 302
    assert Booking.objects.get(pk=booking.pk).start == at(DAY, 12)
    detail = kari.get(f"/moterom/booking/{booking.uuid}/").content.decode()
    assert "Bookingen er endret" in detail and "endre/" in detail
    # The API moves it to another room.
    answer = kari.post(
        f"/api/v1/rooms/bookings/{booking.uuid}/change",
        {"room_id": str(rooms.graded.uuid), "participants": 5},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "requested" and answer.json()["sequence"] == 2
    refused = kari.post(
        f"/api/v1/rooms/bookings/{booking.uuid}/change",
        {"participants": 50},
        content_type="application/json",
    )
    assert refused.status_code == 422 and "plass til 8" in refused.content.decode()


def test_a_cancellation_after_an_edit_raises_the_sequence_again(
    rooms: Any, frozen_clock: Any
) -> None:
    """The cancel wrote sequence = the stale object's + 1 (1 again after an edit to 1)."""
    booking = _book(rooms)  # this object keeps sequence 0
    services.change_booking(actor=_kari(rooms), booking=booking, start=at(DAY, 12), end=at(DAY, 13))
    services.cancel_booking(actor=_kari(rooms), booking=booking)
    assert Booking.objects.get(pk=booking.pk).sequence == 2
    request = _book(rooms, room=rooms.graded, participants=4)
    services.change_booking(actor=_kari(rooms), booking=request, title="Nytt navn")
    services.decide_request(actor=Actor.system("t"), booking=request, approve=True)
    assert Booking.objects.get(pk=request.pk).sequence == 2


def test_moving_to_a_request_room_holds_the_add_ons(rooms: Any, frozen_clock: Any) -> None:
    booking = _book(rooms, participants=4, catering=("Frukt",))
    first = booking.catering_order
    change = services.change_booking(actor=_kari(rooms), booking=booking, room=rooms.graded)
    moved = Booking.objects.get(pk=booking.pk)
    assert Order.objects.get(pk=first.pk).status == "cancelled" and change.held == [first.number]
    assert moved.catering_order is None and moved.held_add_ons == {"catering": ["Frukt"]}
    # Back to an open room: confirmed, and the held add-ons are ordered.
    change = services.change_booking(actor=_kari(rooms), booking=moved, room=rooms.small)
    moved = Booking.objects.get(pk=booking.pk)
    assert change.placed == 1 and moved.catering_order.status != "cancelled"
    assert moved.held_add_ons == {} and moved.status == "confirmed"


def test_a_meeting_under_way_can_be_extended(rooms: Any, frozen_clock: Any) -> None:
    """Refused before the fix: any change of a booking whose start had passed."""
    booking = _book(rooms)  # 10:00–11:00 tomorrow; it is now 10:30 that day
    later = at(DAY, 10, 30)
    services.change_booking(actor=_kari(rooms), booking=booking, end=at(DAY, 12), now=later)
    assert Booking.objects.get(pk=booking.pk).end == at(DAY, 12)
    with pytest.raises(ServiceError, match="Sluttidspunktet er passert"):
        services.change_booking(
            actor=_kari(rooms),
            booking=Booking.objects.get(pk=booking.pk),
            end=at(DAY, 10, 15),
            now=later,
        )
    assert Booking.objects.get(pk=booking.pk).end == at(DAY, 12)
