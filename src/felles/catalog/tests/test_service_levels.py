"""Service levels per service: seeded from the review, changed by the provider's managers
as a new version from a later date, validated with clear messages, shown on the service
page and in the API."""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils import timezone

from felles.catalog import selectors, services
from felles.catalog.models import Service, ServiceLevel
from felles.core.actor import Actor
from felles.core.audit import AuditEvent
from felles.core.services import Conflict, Forbidden, ServiceError
from felles.organisations.models import Role
from felles.organisations.tests.factories import make_person

D = Decimal
TODAY = dt.date(2026, 11, 18)  # the frozen clock's day
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
    """A DSS provider manager serving every ministry."""
    return make_person(shop.dss, "marte", roles=[Role.PROVIDER_MANAGER])


def add(person, service, **values):
    return services.add_service_level(
        actor=Actor(user=person.user),
        service=service,
        **{
            "valid_from": dt.date(2026, 12, 1),
            "targets": GOOD,
            "opening_hours": "Hverdager 08:00–15:45",
            **values,
        },
    )


def test_seeded_levels_differ_by_service_and_cite_their_basis(shop) -> None:
    levels = {s.code: s.level_on(TODAY) for s in Service.objects.prefetch_related("levels")}
    assert all(
        level is not None and level.valid_from == dt.date(2000, 1, 1) for level in levels.values()
    )
    normal = {code: level.targets()["normal"] for code, level in levels.items()}
    assert normal["srv-moterom"] == (D(2), D(8))
    assert normal["if-innsyn"] == (D(4), D(23))  # offentleglova § 29: 1–3 working days
    assert normal["hr-rekruttering"] == (D(16), D(465))
    assert normal["ikt-brukerservice"] == (D(2), D(16))
    assert len(set(normal.values())) >= 8
    assert "Resepsjonen" in levels["srv-vakt-resepsjon"].opening_hours
    assert "2. DSS avtaler omfang og plan med deg." in levels["hr-statistikk"].work_process
    assert "offentleglova" in levels["if-innsyn"].basis.lower()


def test_a_manager_adds_a_level_and_the_one_before_closes(rooms, marte, frozen_clock) -> None:
    level = add(marte, rooms, basis="Ny avtale med departementene")
    first = ServiceLevel.objects.get(service=rooms, valid_from=dt.date(2000, 1, 1))
    assert first.valid_to == dt.date(2026, 11, 30)
    assert rooms.level_on(dt.date(2026, 11, 30)) == first
    assert Service.objects.get(pk=rooms.pk).level_on(dt.date(2026, 12, 1)) == level
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"catalog.level.create", "catalog.level.close"} <= actions
    created = AuditEvent.objects.get(action="catalog.level.create")
    assert created.changes["normal_resolution"] == [None, "16"]
    assert created.changes["valid_from"] == [None, "2026-12-01"]


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (
            {"targets": {**GOOD, "normal_resolution": D(3)}},
            "normal_resolution",
            "Løst innen kan ikke være kortere enn første svar.",
        ),
        (
            {"targets": {**GOOD, "high_response": D(0)}},
            "high_response",
            "Første svar må være mer enn 0 timer.",
        ),
        (
            {"targets": {**GOOD, "low_response": D(201), "low_resolution": D(300)}},
            "low_response",
            "Første svar kan være høyst 200 timer.",
        ),
        (
            {"targets": {**GOOD, "low_resolution": D(2001)}},
            "low_resolution",
            "Løst innen kan være høyst 2000 timer.",
        ),
        (
            {"targets": {**GOOD, "critical_response": D("NaN")}},
            "critical_response",
            "Skriv et antall timer.",
        ),
        (
            {"targets": {**GOOD, "critical_response": None}},
            "critical_response",
            "Skriv et antall timer.",
        ),
        (
            {"targets": {**GOOD, "normal_response": D("1.125")}},
            "normal_response",
            "Bruk høyst to desimaler.",
        ),
        ({"opening_hours": "  "}, "opening_hours", "Skriv åpningstiden."),
        (
            {"opening_hours": "08\x00–16"},
            "opening_hours",
            "Teksten inneholder et ugyldig kontrolltegn (U+0000).",
        ),
        ({"work_process": "x" * 4001}, "work_process", "Høyst 4000 tegn."),
        ({"valid_from": TODAY}, "valid_from", None),
        ({"valid_from": dt.date(2026, 1, 1)}, "valid_from", None),
        ({"valid_from": dt.date(9999, 12, 31)}, "valid_from", None),
    ],
)
def test_bad_input_is_refused_in_bokmal_and_nothing_is_saved(
    rooms, marte, frozen_clock, values, field, message
) -> None:
    with pytest.raises(ServiceError) as refused:
        add(marte, rooms, **values)
    assert refused.value.message == "Servicenivået ble ikke lagret."
    assert field in refused.value.field_errors
    if message:
        assert refused.value.field_errors[field] == [message]
    assert ServiceLevel.objects.filter(service=rooms).count() == 1
    assert ServiceLevel.objects.get(service=rooms).valid_to is None
    assert not AuditEvent.objects.filter(action__startswith="catalog.level").exists()


def test_history_is_never_rewritten(rooms, marte, frozen_clock) -> None:
    add(marte, rooms, valid_from=dt.date(2027, 1, 1))
    for day in (dt.date(2027, 1, 1), dt.date(2026, 12, 1)):  # same day, or between
        with pytest.raises(Conflict) as refused:
            add(marte, rooms, valid_from=day)
        assert refused.value.message == "Et nytt servicenivå må gjelde fra etter 01.01.2027."
    assert ServiceLevel.objects.filter(service=rooms).count() == 2


def test_the_database_keeps_targets_in_order_and_one_start_per_day(rooms) -> None:
    first = ServiceLevel.objects.get(service=rooms)
    values = {f: getattr(first, f) for f in GOOD} | {"opening_hours": "x"}
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceLevel.objects.create(service=rooms, valid_from=first.valid_from, **values)
    values["normal_resolution"] = values["normal_response"] - 1
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceLevel.objects.create(service=rooms, valid_from=dt.date(2030, 1, 1), **values)


def test_only_the_providers_managers_change_its_levels(shop, rooms, marte, frozen_clock) -> None:
    dio_manager = make_person(
        Service.objects.get(code="ikt-pc").provider, "dina", roles=[Role.PROVIDER_MANAGER]
    )
    fin_only = make_person(shop.dss, "frida", roles=[Role.PROVIDER_MANAGER], serves=[shop.fin])
    for person in (shop.agent, shop.employee, shop.coordinator, shop.governance, shop.auditor):
        with pytest.raises(Forbidden):
            add(person, rooms)
    for person in (dio_manager, fin_only):
        with pytest.raises(Forbidden):
            add(person, rooms)
    assert ServiceLevel.objects.filter(service=rooms).count() == 1
    add(shop.admin, rooms)
    assert ServiceLevel.objects.filter(service=rooms).count() == 2


def test_the_level_page_shows_history_and_takes_a_new_level(
    rooms, marte, frozen_clock, client: Client
) -> None:
    client.force_login(marte.user)
    url = f"/tjenester/{rooms.uuid}/servicenivaa/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Fra starten" in page.content.decode() and "2 timer" in page.content.decode()
    form = {
        "valid_from": "2026-12-01",
        **{k: str(v) for k, v in GOOD.items()},
        "opening_hours": "Hverdager 08:00–16:00",
        "work_process": "1. Bestill.\n2. Vi bekrefter.",
    }
    refused = client.post(url, {**form, "normal_resolution": "2"})
    assert refused.status_code == 422
    assert "Løst innen kan ikke være kortere enn første svar." in refused.content.decode()
    assert ServiceLevel.objects.filter(service=rooms).count() == 1
    assert client.post(url, form).status_code == 302
    assert ServiceLevel.objects.filter(service=rooms).count() == 2
    # The service page keeps today's level and announces the next one.
    page = client.get(f"/tjenester/{rooms.uuid}/").content.decode()
    assert "Nytt servicenivå fra 01.12.2026." in page and "Hverdager 08:00–16:00" not in page
    other = make_person(
        Service.objects.get(code="ikt-pc").provider, "dina", roles=[Role.PROVIDER_MANAGER]
    )
    client.force_login(other.user)
    assert client.get(url).status_code == 404


def test_service_page_and_api_show_the_valid_level(shop, rooms, client: Client) -> None:
    client.force_login(shop.employee.user)
    page = client.get(f"/tjenester/{rooms.uuid}/").content.decode()
    level = rooms.level_on(timezone.localdate())
    assert level is not None
    assert level.opening_hours in page and "Slik foregår det" in page
    assert "DSS bekrefter bestillingen." in page  # the booking work process
    assert "8 timer" in page and "2 timer" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(f"/tjenester/{rooms.uuid}/").content.decode()
    assert "Opening hours:" in english and "First response" in english
    body = client.get(f"/api/v1/catalog/services/{rooms.uuid}").json()
    assert body["targets"]["normal"] == {"response": 2.0, "resolution": 8.0}
    assert body["opening_hours"] == level.opening_hours
    assert body["opening_hours_en"] == level.opening_hours_en != ""  # both languages
    assert body["work_process_en"] == level.work_process_en != ""
    assert body["level_valid_from"] == "2000-01-01"


def test_levels_travel_with_the_cached_definition(rooms, marte, shop, frozen_clock) -> None:
    before = selectors.catalogue_revision()
    add(marte, rooms)
    assert selectors.catalogue_revision() != before  # the trigger on the new table
    definition = selectors.service_definition(rooms.uuid)
    assert definition is not None
    assert definition.level_on(dt.date(2026, 12, 1)).normal_resolution == D(16)


@pytest.mark.django_db(transaction=True)
def test_two_managers_adding_levels_at_once_one_wins(shop, rooms, marte) -> None:
    other = make_person(shop.dss, "mads", roles=[Role.PROVIDER_MANAGER])
    barrier = threading.Barrier(2)
    results: list[str] = []

    def run(person, day: dt.date) -> None:
        try:
            barrier.wait(timeout=10)
            add(person, rooms, valid_from=day)
            results.append("won")
        except Conflict:
            results.append("conflict")
        except Exception as exc:  # the point of the test: no database errors
            results.append(f"error: {exc!r}")
        finally:
            connection.close()

    # The same day, and two different days: either way the later of the two would overlap
    # or start before the winner, so exactly one is saved.
    for days in (
        (dt.date(2031, 1, 1), dt.date(2031, 1, 1)),
        (dt.date(2032, 3, 1), dt.date(2032, 2, 1)),
    ):
        results.clear()
        threads = [
            threading.Thread(target=run, args=(p, d))
            for p, d in zip((marte, other), days, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sorted(results) in (["conflict", "won"], ["won", "won"]), results
        if days[0] == days[1]:
            assert sorted(results) == ["conflict", "won"]
    levels = list(ServiceLevel.objects.filter(service=rooms).order_by("valid_from"))
    # Periods never overlap: each level ends the day before the next starts.
    for earlier, later in itertools.pairwise(levels):
        assert earlier.valid_to == later.valid_from - dt.timedelta(days=1)
    assert levels[-1].valid_to is None
