"""Validators for Norwegian identifiers, shared by forms, imports and the API."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import orgnr


def normalise_org_number(value: str) -> str:
    """'974 761 424' → '974761424'; raises ValidationError (bokmål) if invalid."""
    try:
        return orgnr.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            "«%(value)s» er ikke et gyldig organisasjonsnummer (9 siffer med gyldig "
            "kontrollsiffer).",
            params={"value": value},
            code="invalid_org_number",
        ) from exc


def validate_org_number(value: str) -> None:
    normalise_org_number(value)


def format_org_number(value: str) -> str:
    """'974761424' → '974 761 424', the way Norwegians write it."""
    return orgnr.format(value) if value else ""
