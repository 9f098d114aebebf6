"""API validation errors read in bokmål, with the limits the schema sets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal
from uuid import UUID

import pytest
from pydantic import BaseModel, Field, ValidationError, field_validator

from felles.core.messages import GENERIC, bokmal


class Sample(BaseModel):
    name: str = Field(..., min_length=1, max_length=5)
    count: int = Field(1, ge=1, le=10)
    amount: Decimal = Field(Decimal("0"), max_digits=5, decimal_places=2)
    day: dt.date = Field(dt.date(2026, 1, 1), ge=dt.date(2000, 1, 1))
    id: UUID | None = None
    kind: Literal["a", "b"] = "a"
    code: str = Field("12", pattern=r"^[0-9]{2}$")

    @field_validator("code")
    @classmethod
    def not_zero(cls, value: str) -> str:
        if value == "00":
            raise ValueError("Koden kan ikke være 00.")
        return value


def _messages(**data: object) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        Sample.model_validate(data)
    return {str(e["loc"][0]): bokmal(e) for e in caught.value.errors()}


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({}, "name", "Feltet må fylles ut."),
        ({"name": ""}, "name", "Feltet må fylles ut."),
        ({"name": "sekstegn"}, "name", "Kan ha høyst 5 tegn."),
        ({"name": "a", "count": 0}, "count", "Må være minst 1."),
        ({"name": "a", "count": 11}, "count", "Kan være høyst 10."),
        ({"name": "a", "count": "mange"}, "count", "Må være et heltall."),
        ({"name": "a", "amount": "1.234"}, "amount", "Kan ha høyst 2 desimaler."),
        ({"name": "a", "day": "1999-12-31"}, "day", "Må være minst 1.1.2000."),
        ({"name": "a", "day": "i morgen"}, "day", "Må være en dato (ÅÅÅÅ-MM-DD)."),
        ({"name": "a", "id": "ikke-en-id"}, "id", "Må være en gyldig id (UUID)."),
        ({"name": "a", "kind": "c"}, "kind", "Må være en av: 'a' eller 'b'."),
        ({"name": "a", "code": "1"}, "code", "Har feil format."),
        ({"name": "a", "code": "00"}, "code", "Koden kan ikke være 00."),
    ],
)
def test_pydantic_errors_in_bokmal(data, field, message) -> None:
    assert _messages(**data)[field] == message


def test_unknown_kinds_get_a_norwegian_fallback() -> None:
    assert bokmal({"type": "something_new", "msg": "Input should be nice"}) == GENERIC


def test_api_answers_invalid_fields_in_bokmal(shop, client) -> None:
    client.force_login(shop.employee.user)
    response = client.post(
        "/api/v1/orders",
        {"service_id": "ikke-en-id", "answers": {}, "quantity": -1},
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["message"] == "Forespørselen har ugyldige felt."
    assert body["errors"]["service_id"] == ["Må være en gyldig id (UUID)."]
    assert "Input should" not in response.content.decode()
