"""The demo rooms: the government quarter with a graded room and its inspections, the
room and security teams, past bookings for the statistics and Kari's weekly series;
loading twice adds nothing."""

from __future__ import annotations

from felles.rooms import demo, selectors
from felles.rooms.models import Booking, Room


def test_demo_rooms(db, actor, demo_base) -> None:
    demo.load(actor=actor)
    rooms, bookings = Room.objects.count(), Booking.objects.count()
    demo.load(actor=actor)
    assert (Room.objects.count(), Booking.objects.count()) == (rooms, bookings)
    graded = Room.objects.get(level="hemmelig")
    assert graded.approval == "approved" and graded.inspections.count() == 2
    assert Booking.objects.filter(series__isnull=False, booker__user__username="kari").count() == 12
    assert bookings > 100
    from django.contrib.auth.models import User

    assert selectors.keeps_register(User.objects.get(username="sigrid"))
    assert selectors.manages_rooms(User.objects.get(username="ole"))
    assert not selectors.manages_rooms(User.objects.get(username="kari"))
