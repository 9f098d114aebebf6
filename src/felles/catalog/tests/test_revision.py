"""Loaded service definitions are reused only while the catalogue is unchanged: every write
to the tables ordering reads changes the revision, whoever makes it (database triggers,
so queryset updates and raw SQL count too)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from felles.catalog import selectors
from felles.catalog.models import FormField, PriceVersion, Service, ServiceAvailability


@pytest.fixture
def service(shop) -> Service:
    return Service.objects.get(code="srv-ekstra-renhold")


def _changes(write) -> bool:
    before = selectors.catalogue_revision()
    write()
    return selectors.catalogue_revision() != before


def test_every_write_to_what_ordering_reads_changes_the_revision(service, shop) -> None:
    field = service.fields.first()
    price = service.prices.first()
    writes = {
        "service save": lambda: Service.objects.get(pk=service.pk).save(),
        "service queryset update": lambda: Service.objects.filter(pk=service.pk).update(
            name_nb="Ekstra renhold (endret)"
        ),
        "new field": lambda: FormField.objects.create(
            service=service, key="etasje", label_nb="Etasje", kind="text", position=99
        ),
        "field update": lambda: FormField.objects.filter(pk=field.pk).update(required=False),
        "field delete": lambda: FormField.objects.filter(key="etasje").delete(),
        "new price": lambda: PriceVersion.objects.create(
            service=service, valid_from=dt.date(2031, 1, 1), unit_price=Decimal("600")
        ),
        "price update": lambda: PriceVersion.objects.filter(pk=price.pk).update(
            unit_price=Decimal("570")
        ),
        "availability": lambda: ServiceAvailability.objects.create(
            service=service, organisation=shop.fin
        ),
        "availability delete": lambda: ServiceAvailability.objects.filter(service=service).delete(),
        "approver group": lambda: service.approver_group.add(shop.manager),
        "approver group removal": lambda: service.approver_group.remove(shop.manager),
    }
    unchanged = [name for name, write in writes.items() if not _changes(write)]
    assert unchanged == []
    with connection.cursor() as cursor:  # an operator's fix in psql counts too
        assert _changes(
            lambda: cursor.execute(
                "UPDATE catalog_service SET active = %s WHERE id = %s", [True, service.pk]
            )
        )


def test_definition_is_reused_until_the_catalogue_changes(service, shop) -> None:
    user = shop.employee.user
    first = selectors.orderable_service(user, service.uuid)
    assert first is not None
    with CaptureQueriesContext(connection) as queries:
        again = selectors.orderable_service(user, service.uuid)
    # Only the revision check: the person is cached on the user, the service in memory.
    assert len(queries) == 1
    assert again is not None and again is not first
    assert [f.key for f in again.fields.all()] == [f.key for f in first.fields.all()]

    # Limiting the service to FIN takes effect at once for KUD's next order.
    ServiceAvailability.objects.create(service=service, organisation=shop.fin)
    assert selectors.orderable_service(user, service.uuid) is None

    ServiceAvailability.objects.filter(service=service).delete()
    PriceVersion.objects.filter(service=service).update(unit_price=Decimal("999"))
    fresh = selectors.orderable_service(user, service.uuid)
    assert fresh is not None
    assert fresh.price_on(dt.date(2026, 6, 1)).unit_price == Decimal("999")


def test_each_caller_gets_its_own_copy(service, shop) -> None:
    user = shop.employee.user
    one = selectors.orderable_service(user, service.uuid)
    two = selectors.orderable_service(user, service.uuid)
    assert one is not None and two is not None
    one.name_nb = "Endret i minnet"
    one.provider  # noqa: B018 - a lazy load lands on this copy only
    assert two.name_nb == service.name_nb
    assert not Service.provider.is_cached(two)


def test_unknown_and_inactive_services_are_not_orderable(service, shop) -> None:
    import uuid

    user = shop.employee.user
    assert selectors.orderable_service(user, uuid.uuid4()) is None
    Service.objects.filter(pk=service.pk).update(active=False)
    assert selectors.orderable_service(user, service.uuid) is None
    assert selectors.orderable_service(shop.governance.user, service.uuid) is None
