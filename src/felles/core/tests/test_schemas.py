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
