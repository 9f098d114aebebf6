"""Demo data for meeting rooms: rooms in the new government quarter and two other
buildings (a graded room on request among them, with its inspections), DSS's room team
(Ole on the handling team of srv-moterom) and security team for the graded rooms (Sigrid,
sik-gradert-moterom), and four weeks of bookings by KUD and FIN for the statistics, with
a weekly series and a few bookings in the days ahead. Safe to load more than once."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from felles.catalog import services as catalog_services
from felles.core.actor import Actor
from felles.core.errors import ServiceError
from felles.organisations.models import Organisation, Person
from felles.rooms import rules, services
from felles.rooms.models import Room

RKV = "Regjeringskvartalet"
ROOMS = [
    # code, name, building, floor, capacity, equipment, accessible, policy
    ("A-201", "Møterom Akershus", f"{RKV}, A-blokka", "2", 8, ["skjerm", "tavle"], True, "all"),
    ("A-202", "Møterom Buskerud", f"{RKV}, A-blokka", "2", 6, ["skjerm"], True, "all"),
    (
        "A-301",
        "Møterom Finnmark",
        f"{RKV}, A-blokka",
        "3",
        12,
        ["skjerm", "video", "teleslynge"],
        True,
        "all",
    ),
    (
        "D-101",
        "Konferansesalen",
        f"{RKV}, D-blokka",
        "1",
        120,
        ["skjerm", "video", "projektor", "teleslynge"],
        True,
        "all",
    ),
    ("D-401", "Møterom Hedmark", f"{RKV}, D-blokka", "4", 10, ["skjerm", "video"], True, "all"),
    (
        "H-1201",
        "Utsikten",
        f"{RKV}, Høyblokka",
        "12",
        16,
        ["skjerm", "video", "tavle"],
        True,
        "request",
    ),
    ("H-1202", "Stille rom", f"{RKV}, Høyblokka", "12", 4, ["tavle"], False, "all"),
    (
        "K8-301",
        "Kongens gate 8, rom 301",
        "Kongens gate 8",
        "3",
        8,
        ["skjerm", "telefon"],
        False,
        "all",
    ),
    (
        "A59-210",
        "Akersgata 59, rom 210",
        "Akersgata 59",
        "2",
        20,
        ["skjerm", "video", "projektor"],
        True,
        "some",
    ),
]
GRADED = ("D-SIK1", "Sikkert møterom D", f"{RKV}, D-blokka", "U1", 10, ["skjerm"], True, "request")


def _team(actor: Actor, code: str, username: str) -> None:
    person = Person.objects.filter(user__username=username).first()
    if person is not None:
        catalog_services.join_handling_team(
            actor=actor, codes=[code], person=person, reason_nb="Møterom."
        )


def _rooms(actor: Actor) -> list[Room]:
    orgs = {o.abbreviation: o for o in Organisation.objects.all()}
    made = []
    for code, name, building, floor, capacity, equipment, accessible, policy in ROOMS:
        made.append(
            services.save_room(
                actor=actor,
                values={
                    "code": code,
                    "name": name,
                    "building": building,
                    "floor": floor,
                    "capacity": capacity,
                    "equipment": equipment,
                    "accessible": accessible,
                    "policy": policy,
                    "accessibility_note": "" if accessible else "Trapp, ingen heis.",
                },
                allowed_organisations=[orgs[a] for a in ("FIN", "KUD", "KLD") if a in orgs]
                if policy == "some"
                else None,
            )
        )
    code, name, building, floor, capacity, equipment, accessible, policy = GRADED
    graded = services.save_room(
        actor=actor,
        values={
            "code": code,
            "name": name,
            "building": building,
            "floor": floor,
            "capacity": capacity,
            "equipment": equipment,
            "accessible": accessible,
            "policy": policy,
            "level": "hemmelig",
            "accessibility_note": "Adgang med følge fra DSS sikkerhet.",
        },
    )
    today = timezone.localdate()
    services.record_inspection(
        actor=actor,
        room=graded,
        date=today - dt.timedelta(days=400),
        inspector="NSM",
        result="remarks",
        notes="Lydisolering i himling må utbedres.",
    )
    services.record_inspection(
        actor=actor,
        room=graded,
        date=today - dt.timedelta(days=30),
        inspector="DSS sikkerhet",
        result="approved",
    )
    return [*made, graded]


def _bookings(actor: Actor, rooms: list[Room]) -> None:
    people = [
        p
        for p in Person.objects.filter(
            user__username__in=["kari", "per", "ingrid", "ola", "frode", "eva"]
        ).select_related("organisation")
    ]
    if not people:
        return
    ordinary = [r for r in rooms if r.policy == "all"]
    rng = random.Random(22)
    today = timezone.localdate()
    titles = ["Avdelingsmøte", "Prosjektmøte", "Budsjettmøte", "Ledermøte", "Workshop"]
    for offset in range(-28, 0):
        day = today + dt.timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for room in ordinary:
            for hour in (9, 11, 13):
                if rng.random() < 0.45:
                    continue
                start = rules.local(day, dt.time(hour, 0))
                try:
                    services.book(
                        actor=actor,
                        booker=rng.choice(people),
                        room=room,
                        title=rng.choice(titles),
                        start=start,
                        end=start + dt.timedelta(minutes=rng.choice((60, 90, 120))),
                        participants=min(room.capacity, 4),
                        now=start - dt.timedelta(days=1),
                    )
                except ServiceError:
                    continue
    kari = next((p for p in people if p.user.username == "kari"), None)
    ola = next((p for p in people if p.user.username == "ola"), None)
    tomorrow = today + dt.timedelta(days=1)
    if ola is not None:
        # Tomorrow at 10 the smallest rooms with a screen are taken by FIN: Kari's search
        # for 8 people finds the others.
        start = rules.local(tomorrow, dt.time(10, 0))
        for room in rooms[1:2]:
            services.book(
                actor=actor,
                booker=ola,
                room=room,
                title="FIN-møte",
                start=start,
                end=start + dt.timedelta(hours=1),
                participants=4,
            )
    if kari is not None:
        first = today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)
        services.book_series(
            actor=actor,
            booker=kari,
            room=rooms[2],
            title="Ukemøte kulturavdelingen",
            first_day=first,
            start_time=dt.time(9, 0),
            minutes=60,
            freq="weekly",
            count=12,
            participants=8,
        )


def load(*, actor: Actor) -> None:
    _team(actor, "srv-moterom", "ole")
    _team(actor, "sik-gradert-moterom", "sigrid")
    if Room.objects.exists():
        return
    rooms = _rooms(actor)
    _bookings(actor, rooms)
