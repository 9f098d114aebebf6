"""Validation messages in bokmål for the API (pure): pydantic reports errors by type with
their limits in `ctx`; users of Felles read Norwegian, not "Input should be …"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

GENERIC = "Ugyldig verdi."

_PLAIN = {
    "missing": "Feltet må fylles ut.",
    "extra_forbidden": "Feltet er ukjent.",
    "string_type": "Må være tekst.",
    "string_unicode": "Må være tekst.",
    "int_type": "Må være et heltall.",
    "int_parsing": "Må være et heltall.",
    "int_from_float": "Må være et heltall.",
    "float_type": "Må være et tall.",
    "float_parsing": "Må være et tall.",
    "decimal_type": "Må være et tall.",
    "decimal_parsing": "Må være et tall.",
    "finite_number": "Må være et endelig tall.",
    "bool_type": "Må være true eller false.",
    "bool_parsing": "Må være true eller false.",
    "uuid_type": "Må være en gyldig id (UUID).",
    "uuid_parsing": "Må være en gyldig id (UUID).",
    "date_type": "Må være en dato (ÅÅÅÅ-MM-DD).",
    "date_parsing": "Må være en dato (ÅÅÅÅ-MM-DD).",
    "date_from_datetime_parsing": "Må være en dato (ÅÅÅÅ-MM-DD).",
    "date_from_datetime_inexact": "Må være en dato uten klokkeslett (ÅÅÅÅ-MM-DD).",
    "datetime_type": "Må være et tidspunkt (ÅÅÅÅ-MM-DDTtt:mm).",
    "datetime_parsing": "Må være et tidspunkt (ÅÅÅÅ-MM-DDTtt:mm).",
    "datetime_from_date_parsing": "Må være et tidspunkt (ÅÅÅÅ-MM-DDTtt:mm).",
    "time_type": "Må være et klokkeslett (tt:mm).",
    "time_parsing": "Må være et klokkeslett (tt:mm).",
    "list_type": "Må være en liste.",
    "dict_type": "Må være et objekt.",
    "model_type": "Må være et objekt.",
    "model_attributes_type": "Må være et objekt.",
    "json_invalid": "Ugyldig JSON.",
    "json_type": "Ugyldig JSON.",
    "string_pattern_mismatch": "Har feil format.",
    "url_parsing": "Må være en gyldig adresse.",
    "url_type": "Må være en gyldig adresse.",
    "none_required": "Skal ikke ha verdi.",
}

_WITH_LIMIT = {
    "greater_than": ("gt", "Må være større enn {}."),
    "greater_than_equal": ("ge", "Må være minst {}."),
    "less_than": ("lt", "Må være mindre enn {}."),
    "less_than_equal": ("le", "Kan være høyst {}."),
    "string_too_long": ("max_length", "Kan ha høyst {} tegn."),
    "too_long": ("max_length", "Kan ha høyst {} elementer."),
    "too_short": ("min_length", "Må ha minst {} elementer."),
    "decimal_max_digits": ("max_digits", "Kan ha høyst {} sifre."),
    "decimal_max_places": ("decimal_places", "Kan ha høyst {} desimaler."),
    "decimal_whole_digits": ("whole_digits", "Kan ha høyst {} sifre før komma."),
}


def _show(value: Any) -> str:
    """A limit as Norwegians write it (dates arrive as ISO text or as dates)."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return str(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return f"{value.day}.{value.month}.{value.year}"
    return str(value)


def bokmal(error: Mapping[str, Any]) -> str:
    """One pydantic error (`{"type", "msg", "ctx", …}`) as a bokmål sentence."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind in _PLAIN:
        return _PLAIN[kind]
    if kind in _WITH_LIMIT and _WITH_LIMIT[kind][0] in ctx:
        key, template = _WITH_LIMIT[kind]
        return template.format(_show(ctx[key]))
    if kind == "string_too_short":
        least = ctx.get("min_length", 1)
        return "Feltet må fylles ut." if least == 1 else f"Må ha minst {least} tegn."
    if kind in ("literal_error", "enum") and "expected" in ctx:
        return f"Må være en av: {str(ctx['expected']).replace(' or ', ' eller ')}."
    if kind in ("value_error", "assertion_error") and "error" in ctx:
        # Felles's own validators raise their messages in bokmål.
        return str(ctx["error"])
    return GENERIC
