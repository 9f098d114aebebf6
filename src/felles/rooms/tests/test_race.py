"""Two people booking the same room and slot at the same moment, in two threads with their
own database connections: exactly one succeeds (on SQLite the IMMEDIATE write transaction
serialises them; on PostgreSQL the exclusion constraint refuses the second)."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection

from felles.core.actor import Actor
from felles.core.errors import Conflict
from felles.organisations.tests.factories import make_person
from felles.rooms import services
from felles.rooms.models import Booking, Room
from felles.rooms.tests.conftest import at


@pytest.mark.django_db(transaction=True)
def test_two_bookings_of_one_slot_at_once(rooms: Any, frozen_clock: Any) -> None:
    other = make_person(rooms.kud, "kaare")
    day = dt.date(2026, 11, 20)
    for round_ in range(3):
        barrier = threading.Barrier(2)
        results: list[str] = []
        start = at(day, 9 + round_)

        def run(
            person: Any,
            start: dt.datetime = start,
            barrier: threading.Barrier = barrier,
            results: list[str] = results,
        ) -> None:
            try:
                room = Room.objects.get(pk=rooms.small.pk)
                barrier.wait(timeout=10)
                services.book(
                    actor=Actor(user=person.user),
                    booker=person,
                    room=room,
                    title="Møte",
                    start=start,
                    end=start + dt.timedelta(minutes=45),
                    participants=4,
                )
                results.append("won")
            except Conflict:
                results.append("conflict")
            except Exception as exc:  # the point: no database error, no deadlock
                results.append(f"error: {exc!r}")
            finally:
                connection.close()

        threads = [threading.Thread(target=run, args=(p,)) for p in (rooms.employee, other)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sorted(results) == ["conflict", "won"], results
        assert Booking.objects.filter(start=start).count() == 1


@pytest.mark.django_db
def test_the_database_refuses_an_overlap_on_postgresql(rooms: Any, frozen_clock: Any) -> None:
    """Past the service: on PostgreSQL the exclusion constraint itself refuses a second
    live booking over the same time (cancelled ones do not count)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no exclusion constraints (the service checks in its transaction)")
    from django.db import IntegrityError, transaction

    day = dt.date(2026, 11, 20)
    values = {
        "room": rooms.small,
        "booker": rooms.employee,
        "organisation": rooms.kud,
        "title": "Direkte",
        "start": at(day, 9),
        "end": at(day, 10),
    }
    Booking.objects.create(**values)
    Booking.objects.create(**{**values, "status": "cancelled"})
    with pytest.raises(IntegrityError, match="booking_no_overlap"), transaction.atomic():
        Booking.objects.create(**{**values, "start": at(day, 9, 30), "end": at(day, 10, 30)})


@pytest.mark.django_db(transaction=True)
def test_a_move_and_a_booking_into_one_slot_at_once(rooms: Any, frozen_clock: Any) -> None:
    """Kari moves her booking from another room into the slot Kåre books at the same
    moment: exactly one of them gets it (the move locks both rooms, in one order)."""
    other = make_person(rooms.kud, "kaare")
    day = dt.date(2026, 11, 20)
    start = at(day, 13)
    mine = services.book(
        actor=Actor(user=rooms.employee.user),
        booker=rooms.employee,
        room=rooms.graded,
        title="Flyttes",
        start=at(day, 8),
        end=at(day, 9),
        participants=4,
    )
    barrier = threading.Barrier(2)
    results: list[str] = []

    def move() -> None:
        booking = Booking.objects.select_related("room", "booker").get(pk=mine.pk)
        barrier.wait(timeout=10)
        services.change_booking(
            actor=Actor(user=rooms.employee.user),
            booking=booking,
            room=Room.objects.get(pk=rooms.small.pk),
            start=start,
            end=start + dt.timedelta(hours=1),
        )

    def book() -> None:
        room = Room.objects.get(pk=rooms.small.pk)
        barrier.wait(timeout=10)
        services.book(
            actor=Actor(user=other.user),
            booker=other,
            room=room,
            title="Samtidig",
            start=start + dt.timedelta(minutes=30),
            end=start + dt.timedelta(minutes=90),
            participants=4,
        )

    def run(work: Any) -> None:
        try:
            work()
            results.append("won")
        except Conflict:
            results.append("conflict")
        except Exception as exc:  # the point: no database error, no deadlock
            results.append(f"error: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(w,)) for w in (move, book)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["conflict", "won"], results
    assert (
        Booking.objects.filter(room=rooms.small, status__in=("confirmed", "requested")).count() == 1
    )
