"""Dates are bounded to 2000–2100 wherever people type them: forms, API bodies, query
parameters and imported files. A year-9999 date used to be stored (a price valid from
31.12.9999 blocked every later price for good) or to crash (a council planned from year
9999 overflowed the calendar: 500)."""

from __future__ import annotations

from django.urls import reverse

from felles.catalog.models import PriceVersion
from felles.core.validators import DATE_RANGE_MESSAGE as LAZY_DATE_RANGE_MESSAGE
from felles.governance.models import CouncilTerm
from felles.testing import client_for
from felles.testing.matrix import kud_series, seeded

DATE_RANGE_MESSAGE = str(LAZY_DATE_RANGE_MESSAGE)  # bokmål, as the pages answer by default


def test_council_plan_from_year_9999_is_refused_not_a_crash(personas) -> None:
    client = client_for(personas.governance)
    for first in ("9999-01-01", "1899-01-01"):
        response = client.post(
            "/api/v1/governance/council/plan",
            {"first": first, "count": 40, "months": 24},
            content_type="application/json",
        )
        assert response.status_code == 422, response.content
        assert response.json()["errors"]["first"] == [DATE_RANGE_MESSAGE]
    page = client.post(
        reverse("council"), {"action": "plan", "first": "9999-01-01", "count": 2, "months": 12}
    )
    assert page.status_code == 422 and DATE_RANGE_MESSAGE in page.content.decode()
    assert not CouncilTerm.objects.exists()


def test_a_price_cannot_be_valid_from_31_12_9999(personas) -> None:
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    service = seeded(personas).get(code="srv-mobil")
    marte = make_person(personas.dss, "marte.pris", roles=[Role.PROVIDER_MANAGER])
    before = PriceVersion.objects.filter(service=service).count()
    response = client_for(marte).post(
        reverse("service_edit", args=[service.uuid]),
        {"add_price": "1", "valid_from": "9999-12-31", "unit_price": "100", "basis": ""},
    )
    assert response.status_code == 422
    assert DATE_RANGE_MESSAGE in response.content.decode()
    assert PriceVersion.objects.filter(service=service).count() == before


def test_pack_period_query_outside_the_century_is_a_clear_422(personas) -> None:
    series = kud_series(personas)
    response = client_for(personas.coordinator).get(
        f"/api/v1/governance/dialogue/{series.uuid}/pack", {"start": "9999-01-01"}
    )
    assert response.status_code == 422
    assert DATE_RANGE_MESSAGE in response.json()["message"]


def test_imported_dates_outside_the_century_are_row_errors(personas) -> None:
    from felles.invoicing import importing

    seeded(personas)
    header = "tjeneste;departement;dato;mengde;referanse;videreformidlet;enhetspris;beskrivelse"
    row = "srv-mobil;KUD;31.12.9999;1;;nei;;"
    plan = importing.plan_usage(personas.dss, f"{header}\n{row}".encode(), "forbruk.csv")
    assert not plan.ok and plan.rows == []
    assert [error.row for error in plan.errors] == [2]
    assert "dato" in str(plan.errors[0]).lower()
