"""A service level's opening hours and work process in English: seeded for every level
kind, kept by the provider's managers, shown on the English pages, bokmål when blank."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client

from felles.catalog import seed, services
from felles.catalog.models import Service, ServiceLevel
from felles.core.actor import Actor
from felles.core.services import ServiceError
from felles.organisations.models import Role
from felles.organisations.tests.factories import make_person

D = Decimal
GOOD = {
    "low_response": D(16),
    "low_resolution": D(80),
    "normal_response": D(4),
    "normal_resolution": D(16),
    "high_response": D(2),
    "high_resolution": D(8),
    "critical_response": D("0.5"),
    "critical_resolution": D(4),
}


@pytest.fixture
def rooms(shop) -> Service:
    return Service.objects.get(code="srv-moterom")


@pytest.fixture
def marte(shop):
    return make_person(shop.dss, "marte", roles=[Role.PROVIDER_MANAGER])


def _page(client: Client, url: str, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(url).content.decode()


def test_every_seeded_level_kind_has_english() -> None:
    assert len(seed.LEVELS) == 17
    for kind, level in seed.LEVELS.items():
        assert level.opening_hours_en and level.work_process_en, kind
        assert level.work_process_en.count("\n") == level.work_process.count("\n"), kind


def test_the_english_service_page_shows_the_english_level(shop, rooms, client: Client) -> None:
    client.force_login(shop.employee.user)
    url = f"/tjenester/{rooms.uuid}/"
    english = _page(client, url, "en")
    assert "Weekdays 08:00–15:45 (summer 08:00–15:00)" in english
    assert "2. DSS confirms the booking." in english
    assert "Hverdager" not in english and "bekrefter bestillingen" not in english
    bokmal = _page(client, url, "nb")
    assert "Hverdager 08:00–15:45 (sommer 08:00–15:00)" in bokmal
    assert "2. DSS bekrefter bestillingen." in bokmal
    assert "Weekdays" not in bokmal and "confirms the booking" not in bokmal


def test_the_english_page_falls_back_to_bokmal(shop, rooms, client: Client) -> None:
    ServiceLevel.objects.filter(service=rooms).update(opening_hours_en="", work_process_en="")
    client.force_login(shop.employee.user)
    english = _page(client, f"/tjenester/{rooms.uuid}/", "en")
    assert "Opening hours:" in english and "Hverdager 08:00–15:45" in english
    assert "2. DSS bekrefter bestillingen." in english


def test_the_level_form_keeps_the_english(rooms, marte, frozen_clock, client: Client) -> None:
    client.force_login(marte.user)
    url = f"/tjenester/{rooms.uuid}/servicenivaa/"
    form_page = _page(client, url, "nb")
    assert "2. DSS confirms the booking." in form_page  # carried over from today's level
    form = {
        "valid_from": "2026-12-01",
        **{k: str(v) for k, v in GOOD.items()},
        "opening_hours": "Hverdager 08:00–16:00",
        "opening_hours_en": "Weekdays 08:00–16:00",
        "work_process": "1. Bestill.\n2. Vi bekrefter.",
        "work_process_en": "1. Order.\n2. We confirm.",
    }
    assert client.post(url, {**form, "opening_hours_en": "08\x07–16"}).status_code == 422
    assert client.post(url, form).status_code == 302
    level = ServiceLevel.objects.get(service=rooms, valid_from=dt.date(2026, 12, 1))
    assert (level.opening_hours_en, level.work_process_en) == (
        "Weekdays 08:00–16:00",
        "1. Order.\n2. We confirm.",
    )
    english = _page(client, url, "en")
    assert "Weekdays 08:00–16:00" in english and "2. We confirm." in english
    assert "Vi bekrefter" not in english


def test_a_level_without_english_shows_bokmal(rooms, marte, frozen_clock, client: Client):
    services.add_service_level(
        actor=Actor(user=marte.user),
        service=rooms,
        valid_from=dt.date(2026, 12, 1),
        targets=GOOD,
        opening_hours="Hverdager 09:00–15:00",
        work_process="1. Ring oss.",
    )
    client.force_login(marte.user)
    english = _page(client, f"/tjenester/{rooms.uuid}/servicenivaa/", "en")
    assert "Hverdager 09:00–15:00" in english and "1. Ring oss." in english


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (
            {"opening_hours_en": "08\x00–16"},
            "opening_hours_en",
            "Teksten inneholder et ugyldig kontrolltegn (U+0000).",
        ),
        ({"opening_hours_en": "x" * 201}, "opening_hours_en", "Høyst 200 tegn."),
        ({"work_process_en": "x" * 4001}, "work_process_en", "Høyst 4000 tegn."),
    ],
)
def test_bad_english_is_refused(rooms, marte, frozen_clock, values, field, message) -> None:
    with pytest.raises(ServiceError) as refused:
        services.add_service_level(
            actor=Actor(user=marte.user),
            service=rooms,
            valid_from=dt.date(2026, 12, 1),
            targets=GOOD,
            opening_hours="Hverdager",
            **values,
        )
    assert refused.value.field_errors[field] == [message]
    assert ServiceLevel.objects.filter(service=rooms).count() == 1
