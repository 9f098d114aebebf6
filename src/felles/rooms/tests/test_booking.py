"""Booking rules, add-on orders, series across DST, cancellation and the feeds."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
import pytest
import time_machine

from felles.core.errors import Conflict, Forbidden, ServiceError
from felles.orders.models import Order
from felles.rooms import ical, selectors, services
from felles.rooms.models import Booking, Inspection, Room
from felles.rooms.tests.conftest import at

DAY = dt.date(2026, 11, 19)  # the day after the frozen clock (18.11.2026)


def _kari(rooms: Any) -> Any:
    from felles.core.actor import Actor

    return Actor(user=rooms.employee.user)


def _book(rooms: Any, **kwargs: Any) -> Booking:
    values = {
        "booker": rooms.employee,
        "room": rooms.small,
        "title": "Planmøte",
        "start": at(DAY, 10),
        "end": at(DAY, 11),
        "participants": 8,
    }
    values.update(kwargs)
    return services.book(actor=_kari(rooms), **values)


@pytest.mark.django_db
def test_free_room_search_and_double_booking(rooms: Any, frozen_clock: Any) -> None:
    found = selectors.free_rooms(
        rooms.employee.user, start=at(DAY, 10), end=at(DAY, 11), size=8, equipment=("skjerm",)
    )
    # FIN's room is not KUD's to book; the graded room is (on request).
    assert [r.code for r in found] == ["R4-SIK", "R4-101"]
    rows = selectors.free_rooms(
        rooms.employee.user,
        start=at(DAY, 10),
        end=at(DAY, 11),
        size=8,
        equipment=("skjerm",),
        fields=("uuid", "code"),
    )
    assert rows == [{"uuid": r.uuid, "code": r.code} for r in found]
    _book(rooms)
    found = selectors.free_rooms(rooms.employee.user, start=at(DAY, 10, 30), end=at(DAY, 12))
    assert "R4-101" not in [r.code for r in found]
    with pytest.raises(Conflict, match="allerede booket"):
        _book(rooms, start=at(DAY, 10, 30), end=at(DAY, 11, 30))
    _book(rooms, start=at(DAY, 11), end=at(DAY, 12))  # back to back is fine
    assert Booking.objects.count() == 2


@pytest.mark.django_db
def test_bad_bookings_are_refused_in_bokmal_and_nothing_is_saved(
    rooms: Any, frozen_clock: Any
) -> None:
    cases = [
        ({"end": at(DAY, 9)}, "slutte etter at den begynner"),
        ({"end": at(DAY + dt.timedelta(days=1), 10)}, "høyst 12 timer"),
        ({"start": at(dt.date(2026, 11, 17), 10), "end": at(dt.date(2026, 11, 17), 11)}, "passert"),
        ({"room": rooms.fin_room}, "Departementet ditt kan ikke booke"),
        ({"participants": 11}, "plass til 10"),
        ({"title": "Møte\x00"}, "kontrolltegn"),
        ({"title": "  "}, "tittel"),
    ]
    for kwargs, message in cases:
        with pytest.raises(ServiceError, match=message):
            _book(rooms, **kwargs)
    assert not Booking.objects.exists()
    with pytest.raises(Forbidden):
        services.book(
            actor=_kari(rooms),
            booker=rooms.manager,
            room=rooms.small,
            title="x",
            start=at(DAY, 10),
            end=at(DAY, 11),
        )


@pytest.mark.django_db
def test_catering_becomes_an_order_and_is_cancelled_with_the_booking(
    rooms: Any, frozen_clock: Any
) -> None:
    booking = _book(rooms, catering=("Kaffe og te",), technical_help=True)
    order = booking.catering_order
    assert order.service.code == "srv-servering"
    assert order.ministry == rooms.kud and order.orderer == rooms.employee
    assert order.quantity == 8
    assert order.answers["servering"]["value"] == ["Kaffe og te"]
    assert booking.technical_order.service.code == "ikt-videomote"
    services.cancel_booking(actor=_kari(rooms), booking=booking)
    assert Order.objects.get(pk=order.pk).status == "cancelled"
    booking.refresh_from_db()
    assert booking.status == "cancelled" and booking.sequence == 1


@pytest.mark.django_db
def test_a_failed_add_on_leaves_no_booking(rooms: Any, frozen_clock: Any) -> None:
    with pytest.raises(ServiceError, match="Ukjent servering"):
        _book(rooms, catering=("Champagne",))
    assert not Booking.objects.exists() and not Order.objects.exists()


@pytest.mark.django_db
def test_weekly_series_across_dst_and_cancellations(rooms: Any) -> None:
    with time_machine.travel(dt.datetime(2026, 10, 1, 12, tzinfo=dt.UTC), tick=False):
        series = services.book_series(
            actor=_kari(rooms),
            booker=rooms.employee,
            room=rooms.small,
            title="Ukemøte",
            first_day=dt.date(2026, 10, 15),
            start_time=dt.time(10, 0),
            minutes=60,
            freq="weekly",
            count=4,
            exceptions=(dt.date(2026, 10, 22),),
            participants=5,
        )
        bookings = list(series.bookings.order_by("start"))
        assert [b.start.astimezone(dt.UTC).hour for b in bookings] == [8, 9, 9]
        assert {b.start.astimezone(selectors.rules.OSLO).strftime("%H:%M") for b in bookings} == {
            "10:00"
        }
        # A clash with any occurrence books none of a second series.
        with pytest.raises(Conflict, match=r"29\.10\.2026"):
            services.book_series(
                actor=_kari(rooms),
                booker=rooms.employee,
                room=rooms.small,
                title="Annet",
                first_day=dt.date(2026, 10, 28),
                start_time=dt.time(10, 30),
                minutes=60,
                freq="daily",
                count=3,
            )
        assert Booking.objects.count() == 3
        services.cancel_booking(actor=_kari(rooms), booking=bookings[1])
        series.refresh_from_db()
        assert series.exceptions == ["2026-10-22", "2026-10-29"]
        assert services.cancel_series(actor=_kari(rooms), series=series) == 2
        assert not Booking.objects.filter(status__in=("confirmed", "requested")).exists()


@pytest.mark.django_db
def test_feed_has_stable_uid_sequence_and_cancellation(rooms: Any, frozen_clock: Any) -> None:
    booking = _book(rooms)
    uid = booking.uid
    booking = services.change_booking(
        actor=_kari(rooms), booking=booking, title="Nytt navn"
    ).booking
    services.cancel_booking(actor=_kari(rooms), booking=booking)
    data = ical.feed("Kari", Booking.objects.select_related("room", "booker"))
    cal = icalendar.Calendar.from_ical(data)
    [event] = cal.walk("VEVENT")
    assert str(event["UID"]) == uid
    assert int(event["SEQUENCE"]) == 2
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["SUMMARY"]) == "Nytt navn"
    assert event.decoded("DTSTART") == at(DAY, 10)


@pytest.mark.django_db
def test_graded_register_request_and_suspension(rooms: Any, frozen_clock: Any) -> None:
    from felles.core.actor import Actor

    booking = _book(rooms, room=rooms.graded, participants=4)
    assert booking.status == "requested"
    # Kari is no member of DSS's security team.
    with pytest.raises(Forbidden):
        services.record_inspection(
            actor=_kari(rooms),
            room=rooms.graded,
            date=dt.date(2026, 11, 1),
            inspector="NSM",
            result="approved",
        )
    services.record_inspection(
        actor=Actor.system("t"),
        room=rooms.graded,
        date=dt.date(2026, 11, 17),
        inspector="NSM",
        result=Inspection.Result.FAILED,
        suspended_until=dt.date(2026, 12, 1),
    )
    rooms.graded.refresh_from_db()
    assert rooms.graded.approval == Room.Approval.SUSPENDED
    # The search no longer offers it, as rooms (the page) or as rows (the API).
    for fields in ((), ("code",)):
        found = selectors.free_rooms(
            rooms.employee.user, start=at(DAY, 13), end=at(DAY, 14), size=2, fields=fields
        )
        codes = [r["code"] if fields else r.code for r in found]
        assert codes and "R4-SIK" not in codes
    with pytest.raises(ServiceError, match=r"suspendert til 01\.12\.2026"):
        _book(rooms, room=rooms.graded, start=at(DAY, 13), end=at(DAY, 14), participants=2)
    services.decide_request(actor=Actor.system("t"), booking=booking, approve=True)
    booking.refresh_from_db()
    assert booking.status == "confirmed" and booking.sequence == 1


@pytest.mark.django_db
def test_usage_statistics(rooms: Any, frozen_clock: Any) -> None:
    _book(rooms)  # Thursday 19.11.2026 10–11
    stats = selectors.usage(first_day=dt.date(2026, 11, 16), last_day=dt.date(2026, 11, 22))
    assert stats["ministries"] == [{"ministry": "KUD", "bookings": 1, "hours": 1.0, "share": 100}]
    thursday = stats["grid"][3]["cells"]
    # 3 active rooms, one Thursday in the week: 1 hour of 3 room-hours at 10 → 33 %.
    assert thursday[stats["hours"].index(10)] == 33


@pytest.mark.django_db
def test_a_series_orders_add_ons_per_occurrence_and_cancels_them_with_it(
    rooms: Any, frozen_clock: Any
) -> None:
    series = services.book_series(
        actor=_kari(rooms),
        booker=rooms.employee,
        room=rooms.small,
        title="Ukemøte",
        first_day=DAY,
        start_time=dt.time(9, 0),
        minutes=60,
        freq="weekly",
        count=3,
        participants=6,
        catering=("Kaffe og te",),
        technical_help=True,
    )
    bookings = list(series.bookings.order_by("start").select_related("catering_order"))
    orders = [b.catering_order for b in bookings]
    # One catering order per occurrence, with its own date and one cover per participant.
    assert len({o.pk for o in orders}) == 3 and all(o.quantity == 6 for o in orders)
    assert [o.answers["dato"]["value"] for o in orders] == [
        "2026-11-19",
        "2026-11-26",
        "2026-12-03",
    ]
    assert all(b.technical_order_id for b in bookings)
    assert Order.objects.count() == 6
    services.cancel_booking(actor=_kari(rooms), booking=bookings[1])
    assert Order.objects.get(pk=orders[1].pk).status == "cancelled"
    assert {Order.objects.get(pk=o.pk).status for o in (orders[0], orders[2])} != {"cancelled"}
    # An unknown add-on books nothing.
    with pytest.raises(ServiceError, match="Ukjent servering"):
        services.book_series(
            actor=_kari(rooms),
            booker=rooms.employee,
            room=rooms.small,
            title="Annet",
            first_day=DAY,
            start_time=dt.time(14, 0),
            minutes=60,
            freq="daily",
            count=2,
            catering=("Champagne",),
        )
    assert series.bookings.count() == Booking.objects.count() == 3


@pytest.mark.django_db
def test_a_request_holds_its_add_ons_until_dss_approves(rooms: Any, frozen_clock: Any) -> None:
    """Ordered at once before the fix: coffee for a meeting DSS might decline."""
    from felles.core.actor import Actor

    request = _book(
        rooms, room=rooms.graded, participants=4, catering=("Frukt",), technical_help=True
    )
    assert request.catering_order is None and not Order.objects.exists()
    services.decide_request(actor=Actor.system("t"), booking=request, approve=True)
    request.refresh_from_db()
    assert request.catering_order.quantity == 4 and request.technical_order is not None
    assert request.catering_order.answers["servering"]["value"] == ["Frukt"]
    assert request.held_add_ons == {}
    declined = _book(
        rooms,
        room=rooms.graded,
        start=at(DAY, 13),
        end=at(DAY, 14),
        participants=2,
        catering=("Lunsj",),
    )
    services.decide_request(actor=Actor.system("t"), booking=declined, approve=False)
    declined.refresh_from_db()
    assert declined.held_add_ons == {} and declined.catering_order is None
    assert Order.objects.count() == 2
