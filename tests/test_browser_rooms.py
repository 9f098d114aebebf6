"""Meeting rooms in a real browser (issue 22): Kari finds a free room for 8 people with a
screen tomorrow at 10, books it with coffee, the coffee becomes an order of DSS's
catering service for KUD, and her calendar feed (fetched from its secret address, as
Outlook would) shows the booking; she moves it an hour later and the feed carries the same
event with a higher SEQUENCE (and the coffee order moves with it)."""

from __future__ import annotations

import datetime as dt
import urllib.request

import pytest
from django.utils import timezone

from tests.test_browser import _login, pytestmark  # noqa: F401 - same skips
from tests.test_browser import page as page


@pytest.fixture
def rooms(shop):
    """Three rooms (made before the browser starts): one too small, one without a screen,
    one that fits."""
    from felles.core.actor import Actor
    from felles.rooms import services

    actor = Actor.system("test")
    for code, name, capacity, equipment in (
        ("A-202", "Møterom Buskerud", 6, ["skjerm"]),
        ("H-1202", "Stille rom", 10, ["tavle"]),
        ("A-201", "Møterom Akershus", 8, ["skjerm", "tavle"]),
    ):
        services.save_room(
            actor=actor,
            values={
                "code": code,
                "name": name,
                "building": "Regjeringskvartalet, A-blokka",
                "capacity": capacity,
                "equipment": equipment,
            },
        )
    return shop


def test_kari_books_a_room_with_coffee_and_sees_it_in_her_feed(rooms, live_server, page) -> None:
    import icalendar
    from playwright.sync_api import expect

    from felles.orders.models import Order
    from felles.rooms.models import Booking

    base = live_server.url
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    _login(page, base, "kari")
    page.get_by_role("link", name="Møterom", exact=True).first.click()
    expect(page).to_have_url(f"{base}/moterom/")
    form = page.locator("#room-search")
    form.locator("#id_day").fill(tomorrow.isoformat())
    form.locator("#id_start").fill("10:00")
    form.locator("#id_end").fill("11:00")
    form.locator("#id_size").fill("8")
    form.get_by_label("Skjerm").check()
    form.get_by_role("button", name="Søk").click()
    results = page.locator("#free-rooms")
    expect(results).to_contain_text("Møterom Akershus")
    expect(results).not_to_contain_text("Møterom Buskerud")  # six seats
    expect(results).not_to_contain_text("Stille rom")  # no screen
    results.get_by_role("link", name="Møterom Akershus").click()

    booking_form = page.locator("#book-room")
    expect(booking_form.locator("#id_day")).to_have_value(tomorrow.isoformat())
    expect(booking_form.locator("#id_participants")).to_have_value("8")
    booking_form.locator("#id_title").fill("Planmøte kultur")
    booking_form.get_by_label("Kaffe og te").check()
    booking_form.get_by_role("button", name="Book").click()
    facts = page.locator("#booking-facts")
    expect(facts).to_contain_text("Bekreftet")

    booking = Booking.objects.select_related("catering_order__service").get()
    order = booking.catering_order
    assert order.service.code == "srv-servering"
    assert order.ministry == rooms.kud and order.quantity == 8
    assert Order.objects.count() == 1
    expect(facts).to_contain_text(order.number)
    assert timezone.localtime(booking.start).time() == dt.time(10, 0)

    page.get_by_role("link", name="Mine bookinger og kalender").click()
    expect(page.locator("#my-bookings")).to_contain_text("Planmøte kultur")
    page.get_by_role("button", name="Lag kalenderadresse").click()
    url = page.locator("#feed-url").inner_text()
    assert url.startswith(f"{base}/moterom/kalender/fel_")
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - the live server
        assert response.headers["Content-Type"].startswith("text/calendar")
        calendar = icalendar.Calendar.from_ical(response.read())
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Planmøte kultur"
    assert str(event["UID"]) == booking.uid
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event.decoded("DTSTART") == booking.start

    # She moves it an hour later: same UID, SEQUENCE 1, and the coffee follows.
    page.goto(f"{base}/moterom/booking/{booking.uuid}/")
    page.get_by_role("link", name="Endre bookingen").click()
    change = page.locator("#change-booking")
    expect(change.locator("#id_start")).to_have_value("10:00")
    change.locator("#id_start").fill("11:00")
    change.locator("#id_end").fill("12:00")
    change.get_by_role("button", name="Lagre endringen").click()
    expect(page.locator("#booking-facts")).to_contain_text("11:00")
    booking.refresh_from_db()
    assert booking.catering_order_id != order.pk
    assert booking.catering_order.answers["tidspunkt"]["value"] == "11:00–12:00"
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - the live server
        [event] = icalendar.Calendar.from_ical(response.read()).walk("VEVENT")
    assert str(event["UID"]) == booking.uid and int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == booking.start
