"""Cost models in the database: the worked example end to end, validation, pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from felles.core.models import AuditEvent
from felles.core.services import ServiceError
from felles.costing import demo, selectors, services
from felles.costing.models import CostModel


@pytest.fixture
def model(seeded_catalogue, actor) -> CostModel:
    return demo.load(actor=actor, year=2026)


def test_worked_example_gives_the_documented_prices(model) -> None:
    result = selectors.compute(model, "reciprocal")
    lines = {row["centre"].code: row for row in result.lines}
    assert lines["SIK"]["full_cost"] == Decimal("120408163.26")
    assert sum(row["full_cost"] for row in result.lines) == result.total_cost
    guards = next(p for p in result.prices if p.service.code == "srv-ekstra-vakt")
    assert guards.unit_price == Decimal("802.72")
    assert guards.marginal_price == Decimal("610.00")
    assert "planlagt volum 150 000\u00a0timer = kr\u00a0802,72 per time." in guards.basis.replace(
        "\u202f", " "
    )
    assert set(result.comparison) == {"direct", "step_down", "reciprocal"}
    assert AuditEvent.objects.filter(action="costing.model.create").exists()


def test_inconsistent_models_are_refused_whole(seeded_catalogue, actor, personas) -> None:
    shares = [("ADM", "SIK", Decimal("0.5"), "årsverk")]  # does not sum to 1
    with pytest.raises(ServiceError, match="summerer"):
        services.save_cost_model(
            actor=actor,
            provider=personas.dss,
            year=2026,
            name="Feil",
            centres=demo.CENTRES,
            shares=shares,
            services=[],
        )
    with pytest.raises(ServiceError, match="Ukjente tjenester"):
        services.save_cost_model(
            actor=actor,
            provider=personas.dss,
            year=2026,
            name="Feil",
            centres=demo.CENTRES,
            shares=demo.SHARES,
            services=[{"line": "SIK", "service": "ikt-pc", "share": 1, "planned_volume": 1}],
        )
    assert not CostModel.objects.exists()


def test_saving_again_replaces_the_model(model, actor, personas) -> None:
    again = demo.load(actor=actor, year=2026)
    assert again.pk == model.pk and again.centres.count() == 5
    assert AuditEvent.objects.filter(action="costing.model.replace").count() == 1


def test_price_page_shows_methods_and_basis_to_a_ministry(model, personas, client: Client) -> None:
    client.force_login(personas.employee.user)
    body = client.get(f"/kostnader/{model.uuid}/").content.decode().replace("\u202f", " ")
    for method in ("direkte", "trinnvis", "gjensidig"):
        assert f"Fordelt, {method} metode" in body
    assert "kr\u00a0802,72 per time" in body
    body = client.get(f"/kostnader/{model.uuid}/", {"metode": "direct"}).content.decode()
    assert "direkte metode" in body
    assert client.get(f"/kostnader/{model.uuid}/", {"format": "xlsx"}).status_code == 200


def test_price_list_from_proposal_through_adjustment_to_approval(
    model, personas, actor, client: Client
) -> None:
    import datetime as dt

    from felles.catalog.models import Service
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    marte = make_person(personas.dss, "marte", roles=[Role.PROVIDER_MANAGER])
    client.force_login(marte.user)
    response = client.post(
        f"/kostnader/{model.uuid}/prisliste/",
        {"effective_from": "2027-01-01", "method": "reciprocal"},
    )
    price_list = model.price_lists.get()
    assert response.status_code == 302 and price_list.status == "proposed"
    client.post(f"/prislister/{price_list.uuid}/", {"adjust": "1", "percent": "3.5"})
    guards = price_list.items.get(service__code="srv-ekstra-vakt")
    assert guards.unit_price == Decimal("830.82")  # 802,72 × 1,035
    # Only DFD approves prices; the provider cannot approve its own list.
    assert (
        client.post(
            f"/prislister/{price_list.uuid}/", {"approve": "1", "decision_reference": "x"}
        ).status_code
        == 403
    )
    client.force_login(personas.governance.user)
    client.post(
        f"/prislister/{price_list.uuid}/", {"approve": "1", "decision_reference": "DFD 2026/77"}
    )
    price_list.refresh_from_db()
    assert price_list.status == "approved" and price_list.decision_reference == "DFD 2026/77"
    service = Service.objects.get(code="srv-ekstra-vakt")
    assert service.price_on(dt.date(2027, 3, 1)).unit_price == Decimal("830.82")
    assert service.price_on(dt.date(2026, 6, 1)).unit_price == Decimal("690.00")  # unchanged
    response = client.post(
        f"/prislister/{price_list.uuid}/",
        {"approve": "1", "decision_reference": "igjen"},
        follow=True,
    )
    assert "allerede vedtatt" in response.content.decode()
    assert AuditEvent.objects.filter(action="costing.price_list.approve").count() == 1


def test_approval_is_all_or_nothing(model, actor, personas) -> None:
    import datetime as dt

    from felles.catalog import services as catalog_services
    from felles.catalog.models import PriceVersion, Service

    price_list = services.propose_price_list(
        actor=actor, model=model, effective_from=dt.date(2027, 1, 1)
    )
    # One service already has a price from a later date: the whole list is refused.
    catalog_services.add_price_version(
        actor=actor,
        service=Service.objects.get(code="hr-rekruttering"),
        valid_from=dt.date(2027, 6, 1),
        unit_price=Decimal("1"),
    )
    before = PriceVersion.objects.count()
    with pytest.raises(ServiceError):
        services.approve_price_list(
            actor=actor, price_list=price_list, decision_reference="DFD 2026/78"
        )
    assert PriceVersion.objects.count() == before
    price_list.refresh_from_db()
    assert price_list.status == "proposed"


def test_proposing_prices_from_a_model_with_nothing_to_price_says_so(personas) -> None:
    """The page used to answer 500 when the service refused."""
    from django.urls import reverse

    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person
    from felles.testing import client_for

    empty = CostModel.objects.create(provider=personas.dss, year=2031, name="Tom")
    manager = make_person(personas.dss, "marte.tom", roles=[Role.PROVIDER_MANAGER])
    response = client_for(manager).post(
        reverse("propose_prices", args=[empty.uuid]), {"effective_from": "2031-01-01"}, follow=True
    )
    assert response.status_code == 200
    assert "Kostnadsmodellen har ingen tjenester å prise." in response.content.decode()
