"""The ministry community as reference data."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from stdnum.no import orgnr

from felles.core.validators import format_org_number, normalise_org_number
from felles.organisations.models import Organisation
from felles.organisations.reference import MINISTRIES, PROVIDERS


def test_seventeen_customers_and_four_providers() -> None:
    assert len(MINISTRIES) == 17
    assert {p.abbreviation for p in PROVIDERS} == {"DSS", "DIO", "DFØ", "SB"}
    assert [m.abbreviation for m in MINISTRIES if not m.in_government_quarter] == ["FD"]
    assert [m.abbreviation for m in MINISTRIES if m.is_governing] == ["DFD"]


@pytest.mark.parametrize("record", MINISTRIES + PROVIDERS, ids=lambda r: r.abbreviation)
def test_every_org_number_passes_mod_11(record) -> None:
    assert orgnr.is_valid(record.org_number)
    # Unconfirmed numbers are the marked test range, never a guess at a real number.
    assert record.org_number_is_test == record.org_number.startswith("99999")


def test_org_number_validation_and_formatting() -> None:
    assert normalise_org_number("974 761 424") == "974761424"
    assert format_org_number("974761424") == "974 761 424"
    with pytest.raises(ValidationError, match="ikke et gyldig organisasjonsnummer"):
        normalise_org_number("974761425")


def test_sync_creates_all_organisations(personas) -> None:
    assert Organisation.objects.customers().count() == 17
    dss = Organisation.objects.get(abbreviation="DSS")
    assert dss.org_number == "974761424" and not dss.org_number_is_test
