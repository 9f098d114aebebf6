"""The catalogue: seed, search, what a service costs a ministry, prices, maintenance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from felles.catalog import selectors, services
from felles.catalog.models import CostKind, Funding, Service
from felles.core.models import AuditEvent
from felles.core.services import Conflict
from felles.organisations.models import Role
from felles.organisations.tests.factories import make_person


@pytest.fixture
def catalogue(personas, actor):
    services.seed_catalogue(actor=actor, price_from=dt.date(2026, 1, 1))
    return {s.code: s for s in Service.objects.all()}


def test_seed_has_sixty_services_with_sensible_kinds(catalogue, actor) -> None:
    assert len(catalogue) >= 60
    assert services.seed_catalogue(actor=actor, price_from=dt.date(2026, 1, 1)) == 0
    for service in catalogue.values():
        assert service.fields.exists(), service.code
        invoiced = service.funding != Funding.APPROPRIATION
        assert service.prices.exists() == invoiced, service.code
        if service.cost_kind == CostKind.BASIC:
            assert service.funding == Funding.APPROPRIATION, service.code  # Table 3 main rule
    assert all(p.is_demo for s in catalogue.values() for p in s.prices.all())


@pytest.mark.parametrize(
    "query, expected",
    [
        ("møterom", {"srv-moterom", "sik-gradert-moterom"}),
        ("rekruttering", {"hr-rekruttering", "hr-toppleder"}),
        ("Møterom", {"srv-moterom"}),
        ("mobil", {"srv-mobil"}),
    ],
)
def test_search_finds_the_obvious_services(catalogue, personas, query, expected) -> None:
    found = set(
        selectors.services_for(personas.employee.user).search(query).values_list("code", flat=True)
    )
    assert expected <= found


def test_cost_statement_in_plain_words(catalogue, personas) -> None:
    kud = personas.kud
    assert selectors.cost_for(catalogue["srv-renhold"], kud).text.startswith("Inkludert")
    text = selectors.cost_for(catalogue["srv-ekstra-renhold"], kud).text
    assert text == "kr\u00a0560,00 per time (demopris), faktureres KUD."


def test_funding_can_differ_per_ministry(catalogue, personas) -> None:
    service = catalogue["srv-mobil"]
    service.availability.create(organisation=personas.kud, funding=Funding.APPROPRIATION)
    service.availability.create(organisation=personas.fin)
    service = Service.objects.prefetch_related("availability", "prices").get(pk=service.pk)
    assert selectors.cost_for(service, personas.kud).funding == Funding.APPROPRIATION
    assert selectors.cost_for(service, personas.fin).funding == Funding.INVOICING
    # Availability rows limit who may order: DFD is not among them.
    assert selectors.orderable_service(personas.employee.user, service.uuid) is not None
    assert selectors.orderable_service(personas.governance.user, service.uuid) is None


def test_price_change_never_rewrites_history(catalogue, actor) -> None:
    service = catalogue["srv-ekstra-renhold"]
    services.add_price_version(
        actor=actor,
        service=service,
        valid_from=dt.date(2027, 1, 1),
        unit_price=Decimal("590.00"),
        basis="Lønns- og prisjustering",
    )
    service = Service.objects.get(pk=service.pk)
    assert service.price_on(dt.date(2026, 6, 1)).unit_price == Decimal("560.00")
    assert service.price_on(dt.date(2027, 6, 1)).unit_price == Decimal("590.00")
    assert service.prices.get(unit_price=Decimal("560.00")).valid_to == dt.date(2026, 12, 31)
    with pytest.raises(Conflict):
        services.add_price_version(
            actor=actor, service=service, valid_from=dt.date(2026, 6, 1), unit_price=Decimal("1")
        )
    assert AuditEvent.objects.filter(action="catalog.price.create").count() == 1


@pytest.mark.parametrize("day", [dt.date(9999, 12, 31), dt.date(1999, 12, 31)])
def test_a_price_outside_2000_to_2100_is_refused_by_the_service(catalogue, actor, day) -> None:
    """Not just the form: a script or the admin calling the service cannot store a price
    valid from 31.12.9999, which would block every later price for ever."""
    from felles.core.services import ServiceError
    from felles.core.validators import DATE_RANGE_MESSAGE

    service = catalogue["srv-ekstra-renhold"]
    with pytest.raises(ServiceError) as refused:
        services.add_price_version(
            actor=actor, service=service, valid_from=day, unit_price=Decimal("1")
        )
    assert refused.value.message == DATE_RANGE_MESSAGE
    assert refused.value.field_errors == {"valid_from": [DATE_RANGE_MESSAGE]}
    assert service.prices.count() == 1
    assert service.prices.get().valid_to is None


def test_provider_manager_maintains_only_own_services(catalogue, personas, client: Client) -> None:
    marte = make_person(personas.dss, "marte", roles=[Role.PROVIDER_MANAGER])
    client.force_login(marte.user)
    dss_service, dio_service = catalogue["srv-moterom"], catalogue["ikt-pc"]
    assert client.get(f"/tjenester/{dio_service.uuid}/endre/").status_code == 404
    response = client.post(
        f"/tjenester/{dss_service.uuid}/endre/",
        {
            "save_service": "1",
            "name_nb": "Møterom og konferansesal",
            "name_en": "Meeting rooms",
            "summary_nb": dss_service.summary_nb,
            "description_nb": "",
            "work_process": "",
            "keywords": "møterom",
            "opening_hours": "08–16",
            "mandatory": "on",
            "approval_policy": "none",
            "approval_threshold": "0",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert Service.objects.get(pk=dss_service.pk).name_nb == "Møterom og konferansesal"
    event = AuditEvent.objects.filter(action="catalog.service.update").get()
    assert event.changes["name_nb"] == ["Møterom og konferanse", "Møterom og konferansesal"]
    response = client.post(
        f"/tjenester/{dss_service.uuid}/endre/",
        {"add_price": "1", "valid_from": "2025-01-01", "unit_price": "-5"},
    )
    assert response.status_code == 422


def test_service_page_tells_cost_and_approver(catalogue, personas, client: Client) -> None:
    client.force_login(personas.employee.user)
    body = client.get(f"/tjenester/{catalogue['hr-rekruttering'].uuid}/").content.decode()
    assert "faktureres KUD" in body
    assert "budsjettdisponenten" in body
    assert "Bestill" in body
    client.force_login(personas.agent.user)  # provider staff browse but do not order
    body = client.get(f"/tjenester/{catalogue['hr-rekruttering'].uuid}/").content.decode()
    assert "/bestill/" not in body


def test_catalogue_search_page_and_api(catalogue, personas, client: Client) -> None:
    client.force_login(personas.employee.user)
    assert "Møterom og konferanse" in client.get("/tjenester/", {"q": "møterom"}).content.decode()
    data = client.get("/api/v1/catalog/services", {"q": "rekruttering"}).json()
    codes = {s["code"] for s in data["items"]}
    assert {"hr-rekruttering", "hr-toppleder"} <= codes
    detail = client.get(f"/api/v1/catalog/services/{catalogue['srv-moterom'].uuid}").json()
    assert [f["key"] for f in detail["fields"]][:2] == ["dato", "tidspunkt"]
    assert detail["cost_for_my_ministry"]["text"].startswith("Inkludert")
