"""Validators for Norwegian identifiers, shared by forms, imports and the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import orgnr

from felles.core.text import SINGLE_LINE_ILLEGAL, XML_ILLEGAL


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


# --- Plain text ----------------------------------------------------------------------
# Text users type ends up in XML (EHF invoices), PostgreSQL (which refuses NUL) and
# spreadsheets: multi-line text may hold what XML can carry, single-line text no control
# character at all (the definitions are in `core.text`).


def control_character(value: str, *, multiline: bool = False) -> str | None:
    """The first character of `value` that plain text must not contain, or None."""
    found = (XML_ILLEGAL if multiline else SINGLE_LINE_ILLEGAL).search(value)
    return found.group() if found else None


def control_character_message(char: str) -> str:
    """«Teksten inneholder et ugyldig kontrolltegn (U+000B).»"""
    return gettext("Teksten inneholder et ugyldig kontrolltegn (%(code)s).") % {
        "code": f"U+{ord(char):04X}"
    }


def check_plain_text(value: str, *, multiline: bool = False) -> None:
    """Raise ValidationError (bokmål) if `value` holds a control character."""
    char = control_character(value, multiline=multiline)
    if char is not None:
        raise ValidationError(control_character_message(char), code="control_character")


# --- Dates -------------------------------------------------------------------------------
# Felles plans and bills within this century. A date far outside it is a typing error (year
# 9999, 0202) that would otherwise sit in the data for ever: a price valid from 31.12.9999
# blocks every later price, a council planned from year 9999 overflows the calendar.
DATE_MIN = dt.date(2000, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
DATE_RANGE_MESSAGE = gettext_lazy("Datoen må ligge mellom 1.1.2000 og 31.12.2100.")


def date_in_range(value: dt.date) -> bool:
    day = value.date() if isinstance(value, dt.datetime) else value
    return DATE_MIN <= day <= DATE_MAX


def check_date_range(value: dt.date) -> None:
    """Raise ValidationError (bokmål) for a date outside 2000–2100."""
    if not date_in_range(value):
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_range")


def fits_decimal_field(value: Decimal, field: Any) -> bool:
    """Whether a (quantized) amount fits a model DecimalField, on every database: SQLite
    would store an overflowing amount that PostgreSQL refuses."""
    limit = Decimal(10) ** (int(field.max_digits) - int(field.decimal_places))
    return abs(value) < limit
