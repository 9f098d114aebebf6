from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from felles.core.actor import Actor
from felles.rooms import rules, services
from felles.rooms.models import Room


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return rules.local(day, dt.time(hour, minute))


@pytest.fixture
def rooms(shop: Any, actor: Actor) -> Any:
    """Three rooms in the new government quarter: a small one with a screen, a large one
    for FIN only and a graded one booked on request."""
    shop.small = services.save_room(
        actor=actor,
        values={
            "code": "R4-101",
            "name": "Rom 101",
            "building": "Regjeringskvartalet R4",
            "floor": "1",
            "capacity": 10,
            "equipment": ["skjerm", "tavle"],
        },
    )
    shop.fin_room = services.save_room(
        actor=actor,
        values={
            "code": "R5-201",
            "name": "Finanssalen",
            "building": "Regjeringskvartalet R5",
            "capacity": 40,
            "equipment": ["skjerm", "video"],
            "policy": Room.Policy.SOME,
        },
        allowed_organisations=[shop.fin],
    )
    shop.graded = services.save_room(
        actor=actor,
        values={
            "code": "R4-SIK",
            "name": "Sikkert rom",
            "building": "Regjeringskvartalet R4",
            "capacity": 8,
            "equipment": ["skjerm"],
            "policy": Room.Policy.REQUEST,
            "level": "hemmelig",
        },
    )
    return shop
