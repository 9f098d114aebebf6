"""The API schemas' base: answers built as dicts skip ninja's attribute wrapper and come
out the same; requests are still checked for control characters."""

from __future__ import annotations

import types
import uuid

import pytest
from pydantic import Field, ValidationError

from felles.core.schemas import Schema


class Item(Schema):
    id: uuid.UUID = Field(alias="uuid")
    name: str
    tags: list[str] = []


class Page(Schema):
    items: list[Item]


RESPONSE = {"response_status": 200}


def test_a_dict_answer_validates_as_the_object_it_describes() -> None:
    key = uuid.uuid4()
    row = {"uuid": key, "name": "Rom\x0b 1", "tags": ["skjerm"], "extra": "ignored"}
    as_dict = Page.model_validate({"items": [row]}, context=RESPONSE)
    as_object = Page.model_validate(
        types.SimpleNamespace(items=[types.SimpleNamespace(**row)]), context=RESPONSE
    )
    assert as_dict.model_dump() == as_object.model_dump()
    assert as_dict.model_dump()["items"][0] == {"id": key, "name": "Rom\x0b 1", "tags": ["skjerm"]}


def test_a_request_dict_is_still_checked_for_control_characters() -> None:
    with pytest.raises(ValidationError, match="kontrolltegn"):
        Item.model_validate({"uuid": uuid.uuid4(), "name": "Rom\x0b 1"})


class Booking(Schema):
    title: str
    note: str = Field("", max_length=2000)  # multi-line text
    answers: dict[str, str] = {}
    rooms: list[Item] = []


def _refused_at(data: dict) -> list[tuple]:
    with pytest.raises(ValidationError) as refused:
        Booking.model_validate(data)
    assert all("kontrolltegn" in error["msg"] for error in refused.value.errors())
    return sorted(tuple(error["loc"]) for error in refused.value.errors())


def test_each_refused_value_is_named_at_its_place_in_the_request() -> None:
    good_room, bad_room = (
        {"uuid": uuid.uuid4(), "name": "Rom 1"},
        {"uuid": uuid.uuid4(), "name": "R\x07"},
    )
    request = {
        "title": "Møte\x00",
        "note": "Linje 1\nLinje 2\ttabulator",  # allowed in multi-line text
        "answers": {"ok\n": "verdi"},  # a key is one line
        "rooms": [good_room, bad_room],
    }
    # A nested schema's refusal comes with the other fields' errors, the request's own
    # text once its fields are valid.
    assert _refused_at(request) == [("rooms", 1, "name")]
    assert _refused_at({**request, "rooms": [good_room]}) == [("answers",), ("title",)]


def test_a_response_is_shown_as_stored() -> None:
    shown = Booking.model_validate(
        types.SimpleNamespace(title="Møte\x00", note="", answers={}, rooms=[]), context=RESPONSE
    )
    assert shown.title == "Møte\x00"


class Titled(Schema):
    title: str = Field(alias="tittel")
    note: str = "fast\x07tekst"  # a default is not checked: the request did not send it


def test_a_refused_value_is_named_as_the_request_names_it() -> None:
    assert Titled.model_validate({"tittel": "Møte"}).note == "fast\x07tekst"
    with pytest.raises(ValidationError) as refused:
        Titled.model_validate({"tittel": "Møte\x00"})
    assert [tuple(error["loc"]) for error in refused.value.errors()] == [("tittel",)]
