"""The rooms pages: search, booking errors on the form, the series form, the feeds by
secret, and DSS's register (the graded part for the security team only), inspections,
requests and statistics."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
import pytest
from django.test import Client

from felles.core.actor import Actor
from felles.core.errors import Forbidden
from felles.organisations.models import Role
from felles.organisations.tests.factories import make_person
from felles.rooms import services
from felles.rooms.models import Booking, Inspection, Room, Series

DAY = dt.date(2026, 11, 19)


@pytest.fixture
def teams(rooms: Any, actor: Actor) -> Any:
    """Siri on DSS's meeting-room team (srv-moterom), Sigrid on its security team for the
    graded rooms (sik-gradert-moterom)."""
    from felles.catalog import services as catalog_services

    rooms.siri = make_person(rooms.dss, "siri", roles=[Role.PROVIDER_AGENT])
    rooms.sigrid = make_person(rooms.dss, "sigrid", roles=[Role.PROVIDER_AGENT])
    for code, person in (("srv-moterom", rooms.siri), ("sik-gradert-moterom", rooms.sigrid)):
        service = rooms.services[code]
        catalog_services.set_confidentiality(
            actor=actor,
            service=service,
            confidentiality=service.confidentiality,
            reason_nb="Møterom.",
            team=[person],
        )
    return rooms


def _client(person: Any) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


@pytest.mark.django_db
def test_search_and_booking_form_errors(rooms: Any, frozen_clock: Any) -> None:
    kari = _client(rooms.employee)
    found = kari.get(
        "/moterom/",
        {
            "day": DAY.isoformat(),
            "start": "10:00",
            "end": "11:00",
            "size": 8,
            "equipment": "skjerm",
        },
    )
    assert found.status_code == 200
    table = found.content.decode().split('id="free-rooms"')[1]
    assert "Rom 101" in table and "Finanssalen" not in table
    backwards = kari.get(
        "/moterom/", {"day": DAY.isoformat(), "start": "11:00", "end": "10:00", "size": 1}
    )
    assert backwards.status_code == 422
    url = f"/moterom/rom/{rooms.small.uuid}/"
    body = {
        "title": "Møte",
        "day": DAY.isoformat(),
        "start": "11:00",
        "end": "10:00",
        "participants": 4,
    }
    response = kari.post(url, body)
    assert response.status_code == 422
    assert "Bookingen må slutte etter at den begynner." in response.content.decode()
    assert kari.post(url, {**body, "title": "Møte\x00"}).status_code == 422
    assert kari.post(url, {**body, "end": "12:00"}).status_code == 302
    taken = kari.post(url, {**body, "start": "11:30", "end": "12:30"})
    assert taken.status_code == 409 and "allerede booket" in taken.content.decode()
    assert Booking.objects.count() == 1
    # FIN's room: a KUD employee does not see it at all.
    assert kari.get(f"/moterom/rom/{rooms.fin_room.uuid}/").status_code == 404


@pytest.mark.django_db
def test_series_form_and_cancel_one_and_all(rooms: Any, frozen_clock: Any) -> None:
    kari = _client(rooms.employee)
    response = kari.post(
        f"/moterom/rom/{rooms.small.uuid}/serie/",
        {
            "title": "Ukemøte",
            "first_day": DAY.isoformat(),
            "start": "09:00",
            "end": "10:00",
            "freq": "weekly",
            "interval": 1,
            "count": 4,
            "exceptions": "26.11.2026",
            "participants": 5,
            "catering": ["Frukt"],
        },
    )
    assert response.status_code == 302
    assert Booking.objects.count() == 3
    assert Booking.objects.filter(catering_order__isnull=False).count() == 3
    bad = kari.post(
        f"/moterom/rom/{rooms.small.uuid}/serie/",
        {
            "title": "X",
            "first_day": DAY.isoformat(),
            "start": "09:00",
            "end": "10:00",
            "freq": "weekly",
            "interval": 1,
            "exceptions": "31.02.2026",
            "participants": 5,
        },
    )
    assert bad.status_code == 422
    first = Booking.objects.order_by("start").first()
    assert kari.post(f"/moterom/booking/{first.uuid}/avlys/", {"what": "one"}).status_code == 302
    assert kari.post(f"/moterom/booking/{first.uuid}/avlys/", {"what": "series"}).status_code == 302
    assert not Booking.objects.filter(status="confirmed").exists()


@pytest.mark.django_db
def test_feeds_by_secret(rooms: Any, frozen_clock: Any, actor: Actor) -> None:
    from felles.rooms.tests.conftest import at

    kari = _client(rooms.employee)
    services.book(
        actor=actor,
        booker=rooms.employee,
        room=rooms.small,
        title="Kari møter",
        start=at(DAY, 10),
        end=at(DAY, 11),
    )
    services.book(
        actor=actor,
        booker=rooms.outsider,
        room=rooms.small,
        title="FIN hemmelig",
        start=at(DAY, 12),
        end=at(DAY, 13),
    )
    kari.post("/moterom/kalenderlenke/")
    url = kari.get("/moterom/mine/").content.decode().split('id="feed-url">')[1].split("<")[0]
    path = url.split("testserver", 1)[1]
    anonymous = Client()
    own = icalendar.Calendar.from_ical(anonymous.get(path).content)
    assert [str(e["SUMMARY"]) for e in own.walk("VEVENT")] == ["Kari møter"]
    room = anonymous.get(path.replace(".ics", f"/{rooms.small.uuid}.ics"))
    summaries = sorted(
        str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(room.content).walk("VEVENT")
    )
    assert summaries == ["Kari møter", "Opptatt"]
    assert anonymous.get(path.replace(".ics", f"/{rooms.fin_room.uuid}.ics")).status_code == 404
    assert anonymous.get("/moterom/kalender/fel_feil.ics").status_code == 404
    kari.post("/moterom/kalenderlenke/")  # a new secret: the old address stops working
    assert anonymous.get(path).status_code == 404


@pytest.mark.django_db
def test_register_is_for_the_teams_and_grading_for_security(teams: Any, frozen_clock: Any) -> None:
    siri, sigrid = _client(teams.siri), _client(teams.sigrid)
    assert _client(teams.employee).get("/moterom/register/").status_code == 403
    page = siri.get("/moterom/register/").content.decode()
    assert "Rom 101" in page and "Siste inspeksjon" not in page
    assert "Siste inspeksjon" in sigrid.get("/moterom/register/").content.decode()
    created = siri.post(
        "/moterom/register/",
        {
            "code": "N-1",
            "name": "Nytt rom",
            "building": "R6",
            "capacity": 6,
            "policy": "all",
            "equipment": ["skjerm", "teleslynge"],
            "accessible": "on",
            "active": "on",
        },
    )
    assert created.status_code == 302
    assert Room.objects.get(code="N-1").equipment == ["skjerm", "teleslynge"]
    # Siri's edit form has no grading fields; a forged level is refused.
    edit = f"/moterom/register/{teams.graded.uuid}/"
    assert "id_level" not in siri.get(edit).content.decode()
    assert "id_level" in sigrid.get(edit).content.decode()
    inspection = f"/moterom/register/{teams.graded.uuid}/inspeksjon/"
    assert siri.post(inspection, {}).status_code == 403
    assert (
        sigrid.post(
            inspection,
            {
                "date": "2026-11-17",
                "inspector": "NSM",
                "result": "failed",
                "suspended_until": "2026-12-01",
            },
        ).status_code
        == 302
    )
    teams.graded.refresh_from_db()
    assert teams.graded.approval == "suspended"
    assert Inspection.objects.count() == 1
    with pytest.raises(Forbidden):
        services.save_room(
            actor=Actor(user=teams.siri.user), room=teams.small, values={"level": "hemmelig"}
        )


@pytest.mark.django_db
def test_requests_and_usage(teams: Any, frozen_clock: Any, actor: Actor) -> None:
    from felles.rooms.tests.conftest import at

    graded = teams.graded
    services.record_inspection(
        actor=actor, room=graded, date=dt.date(2026, 11, 1), inspector="NSM", result="approved"
    )
    booking = services.book(
        actor=actor,
        booker=teams.employee,
        room=graded,
        title="Gradert",
        start=at(DAY, 10),
        end=at(DAY, 11),
    )
    siri = _client(teams.siri)
    assert "Gradert" in siri.get("/moterom/foresporsler/").content.decode()
    assert (
        siri.post(f"/moterom/booking/{booking.uuid}/behandle/", {"approve": "1"}).status_code == 302
    )
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    usage = siri.get("/moterom/statistikk/", {"fra": "2026-11-16", "til": "2026-11-22"})
    assert usage.status_code == 200 and "KUD" in usage.content.decode()


@pytest.mark.django_db
def test_dates_at_the_ends_of_the_calendar_are_refused(rooms: Any, frozen_clock: Any) -> None:
    """Year 1 and 9999 overflowed the Oslo → UTC conversion and the series (a 500)."""
    kari = _client(rooms.employee)
    search = {"start": "00:30", "end": "01:00", "size": 1}
    for day in ("0001-01-01", "9999-12-31"):
        response = kari.get("/moterom/", {**search, "day": day})
        assert response.status_code == 422
        assert "Datoen må ligge mellom" in response.content.decode()
    url = f"/moterom/rom/{rooms.small.uuid}/"
    body = {"title": "Møte", "day": "0001-01-01", "start": "00:30", "end": "01:00"}
    assert kari.post(url, {**body, "participants": 2}).status_code == 422
    series = {
        "title": "Ukemøte",
        "first_day": "9999-12-30",
        "start": "09:00",
        "end": "10:00",
        "freq": "weekly",
        "interval": 1,
        "count": 2,
        "participants": 2,
    }
    assert kari.post(f"{url}serie/", series).status_code == 422
    until = {**series, "first_day": DAY.isoformat(), "count": "", "until": "9999-12-31"}
    assert kari.post(f"{url}serie/", until).status_code == 422
    assert kari.post(f"{url}serie/", {**until, "exceptions": "1.1.0001"}).status_code == 422
    assert kari.post(url, {**body, "day": DAY.isoformat(), "participants": 2}).status_code == 302
    booking = Booking.objects.get()
    edit = {**body, "room": rooms.small.uuid, "participants": 2}
    assert kari.post(f"/moterom/booking/{booking.uuid}/endre/", edit).status_code == 422
    assert Booking.objects.count() == 1 and not Series.objects.exists()
