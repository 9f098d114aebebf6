"""The demo rooms: the government quarter with a graded room and its inspections, the
room and security teams, past bookings for the statistics and Kari's weekly series;
loading twice adds nothing."""

from __future__ import annotations

import datetime as dt

from felles.catalog import services as catalog_services
from felles.organisations import demo as organisations_demo
from felles.organisations import services as organisations_services
from felles.rooms import demo, selectors
from felles.rooms.models import Booking, Room


def test_demo_rooms(db, actor) -> None:
    organisations_services.sync_reference_organisations(actor=actor)
    organisations_demo.load(actor=actor)
    catalog_services.seed_catalogue(actor=actor, price_from=dt.date(2026, 1, 1))
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
