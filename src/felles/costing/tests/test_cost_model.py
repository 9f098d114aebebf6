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
    assert "150 000 time" in guards.basis.replace("\u202f", " ")
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
