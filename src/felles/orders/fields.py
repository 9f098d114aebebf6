"""A decimal field as Norwegians type it. `<input type=number>` shows nothing for a value
written with a decimal comma and refuses to take one in some browsers, so quantities are
text inputs with `inputmode=decimal` (the phone shows the number pad) that accept «2,5»,
«2.5» and «1 000,5», and show the value as the user's language writes it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from felles.core import formatting

SPACES = (" ", "\u00a0", "\u202f", "\u2009")


def parse(text: str) -> str:
    """«1 000,5» → «1000.5»; with both separators, the last one is the decimal mark."""
    for space in SPACES:
        text = text.replace(space, "")
    text = text.replace("\u2212", "-")  # a real minus sign
    if "," in text and "." in text:
        decimal, other = (",", ".") if text.rfind(",") > text.rfind(".") else (".", ",")
        text = text.replace(other, "").replace(decimal, ".")
    return text.replace(",", ".")


def show(value: Decimal) -> str:
    """A decimal as the active language writes it, without trailing zeros: 2,5 / 2.5."""
    return formatting.number(value)


class DecimalInput(forms.TextInput):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return show(Decimal(str(value)))
        return super().format_value(value)


class NorwegianDecimalField(forms.DecimalField):
    """A DecimalField that takes a decimal comma (and spaces between thousands)."""

    widget = DecimalInput

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            value = parse(value.strip())
        return super().to_python(value)
