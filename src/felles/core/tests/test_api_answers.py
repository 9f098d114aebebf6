"""The API's answers as JSON (core.api.Renderer): what a client reads is what the standard
library's encoder wrote before, in UTF-8."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import re
import uuid

from django.test import Client
from django.utils.translation import gettext_lazy
from ninja.renderers import JSONRenderer

from felles.core.actor import Actor
from felles.core.api import Renderer
from felles.core.services import create_api_token


def _both(data: object) -> tuple[object, object]:
    ours = Renderer().render(None, data, response_status=200)  # type: ignore[arg-type]
    before = JSONRenderer().render(None, data, response_status=200)  # type: ignore[arg-type]
    return json.loads(ours), json.loads(before)


def test_values_read_as_the_standard_librarys() -> None:
    moment = dt.datetime(2026, 12, 4, 11, 22, 33, 123456, tzinfo=dt.UTC)
    data = {
        "at": moment,
        "local": moment.astimezone(dt.timezone(dt.timedelta(hours=1))),
        "on": dt.date(2026, 12, 24),
        "time": dt.time(8, 0, 0, 500000),
        "amount": decimal.Decimal("560.00"),
        "id": uuid.UUID("270e2817-7f63-439c-9b1d-8973a51f89d5"),
        "label": gettext_lazy("Lukket"),
        "text": "Møterom for Ærlig Østfold",
        "counts": {1: "én", 2: "to"},
        "nothing": None,
        "list": [1, 2.5, True],
    }
    ours, before = _both(data)
    assert ours == before
    assert ours["at"] == "2026-12-04T11:22:33.123Z"  # milliseconds and Z, as before
    assert ours["amount"] == "560.00"


def test_what_orjson_cannot_write_is_written_as_before() -> None:
    huge = {"n": 2**70}
    ours, before = _both(huge)
    assert ours == before == {"n": 2**70}


def test_an_answer_is_utf8_with_timestamps_as_before(personas, client: Client) -> None:
    issued = create_api_token(
        actor=Actor.system("t"), user=personas.employee.user, name="Ærlig rapport for Øst"
    )
    response = client.get("/api/v1/tokens", HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "Ærlig rapport for Øst".encode() in response.content  # not \u escapes
    [token] = response.json()
    assert token["name"] == "Ærlig rapport for Øst"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z", token["created_at"])
