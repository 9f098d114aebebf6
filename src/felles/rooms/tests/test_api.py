"""The rooms API: search, book with coffee, errors in bokmål with nothing saved, cancel."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from felles.orders.models import Order
from felles.rooms.models import Booking
from felles.rooms.tests.conftest import at

DAY = dt.date(2026, 11, 19)


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_search_book_and_cancel(rooms: Any, frozen_clock: Any) -> None:
    client = Client()
    client.force_login(rooms.employee.user)
    start, end = at(DAY, 10), at(DAY, 11)
    found = client.get(
        "/api/v1/rooms/free",
        {"start": start.isoformat(), "end": end.isoformat(), "size": 8, "equipment": "skjerm"},
    )
    assert found.status_code == 200
    assert [r["code"] for r in found.json()] == ["R4-SIK", "R4-101"]
    graded = found.json()[0]
    assert graded["id"] == str(rooms.graded.uuid) and graded["graded"] is True
    assert "skjerm" in graded["equipment"] and set(graded) == {
        "id", "code", "name", "building", "floor", "capacity", "equipment", "accessible",
        "policy", "graded",
    }  # fmt: skip
    body = {
        "room_id": str(rooms.small.uuid),
        "title": "API-møte",
        "start": start.isoformat(),
        "end": end.isoformat(),
        "participants": 8,
        "catering": ["Kaffe og te"],
    }
    created = _post(client, "/api/v1/rooms/bookings", body)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["status"] == "confirmed" and data["catering_order"]
    again = _post(client, "/api/v1/rooms/bookings", body)
    assert again.status_code == 409
    assert "allerede booket" in again.json()["message"]
    backwards = _post(client, "/api/v1/rooms/bookings", {**body, "end": at(DAY, 9).isoformat()})
    assert backwards.status_code == 422
    assert backwards.json()["message"] == "Bookingen må slutte etter at den begynner."
    naive = _post(client, "/api/v1/rooms/bookings", {**body, "start": "2026-11-19T10:00:00"})
    assert naive.status_code == 422
    assert Booking.objects.count() == 1 and Order.objects.count() == 1
    changed = _post(client, f"/api/v1/rooms/bookings/{data['id']}/change", {"title": "Nytt navn"})
    assert changed.status_code == 200 and changed.json()["sequence"] == 1
    assert changed.json()["uid"] == data["uid"]
    cancelled = _post(client, f"/api/v1/rooms/bookings/{data['id']}/cancel", {})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["sequence"] == 2
    assert Order.objects.get().status == "cancelled"
    other = Client()
    other.force_login(rooms.outsider.user)
    assert other.get(f"/api/v1/rooms/bookings/{data['id']}").status_code == 404


@pytest.mark.django_db
def test_a_meeting_room_is_booked_in_the_room_search_not_ordered(
    rooms: Any, frozen_clock: Any
) -> None:
    """Before the fix srv-moterom went through the ordinary order form and POST /orders,
    past every booking rule."""
    client = Client()
    client.force_login(rooms.employee.user)
    service = rooms.services["srv-moterom"]
    form = client.get(f"/bestill/{service.uuid}/")
    assert form.status_code == 302 and form["Location"] == "/moterom/"
    answer = _post(client, "/api/v1/orders", {"service_id": str(service.uuid), "answers": {}})
    assert answer.status_code == 422 and "/moterom/" in answer.json()["message"]
    assert not Order.objects.exists()
    # HR's salary change still answers the same question (several apps answer it).
    from felles.catalog.models import Service
    from felles.orders import events

    salary = Service.objects.get(code="hr-lonnsendring")
    assert events.order_form_url(service=salary) and events.order_form_url(service=service) == (
        "/moterom/"
    )
