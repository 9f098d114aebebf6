"""How amounts and numbers are written, in the reader's language (pure but for asking
Django which language is active): bokmål «kr 30 102,00», «14,1 %» with a narrow no-break
space between thousands and a decimal comma; English «NOK 30,102.00», «14.1%». A negative
number has a real minus sign (−, U+2212), never a hyphen. Used by the template filters and
by the domain's own texts (cost statements, price bases), so both always agree.

Machine formats (EHF XML, CSV/XLSX cells) never come through here."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core import validators
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import translation

NNBSP = "\u202f"  # narrow no-break space, the thousands separator in Norwegian
NBSP = "\u00a0"
MINUS = "\u2212"

# language → (thousands separator, decimal mark, currency before the amount, percent sign)
_STYLES = {
    "nb": (NNBSP, ",", "kr", f"{NBSP}%"),
    "en": (",", ".", "NOK", "%"),
}


def language(chosen: str | None = None) -> str:
    """The language to write in: `chosen`, else the active one; bokmål for anything else."""
    if chosen is None:
        try:
            chosen = translation.get_language()
        except ImproperlyConfigured:  # used outside Django (pure tests, scripts)
            chosen = None
    return "en" if (chosen or "").startswith("en") else "nb"


def _group(whole: str, separator: str) -> str:
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return separator.join(groups) or "0"


def _decimal(value: Any) -> Decimal:
    if isinstance(value, float):
        return Decimal(str(value))
    return value if isinstance(value, Decimal) else Decimal(value)


def kroner(value: Any, lang: str | None = None) -> str:
    """'kr 30 102,00' / 'NOK 30,102.00' (no-break space after the currency), '−kr 50,00'
    for a negative amount; empty for None or ''."""
    if value is None or value == "":
        return ""
    thousands, mark, currency, _ = _STYLES[language(lang)]
    amount = _decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = MINUS if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    return f"{sign}{currency}{NBSP}{_group(whole, thousands)}{mark}{cents}"


def number(value: Any, lang: str | None = None, places: int | None = None) -> str:
    """'150 000' or '37,5' ('150,000', '37.5'): thousands grouped, the language's decimal
    mark, no trailing zeros — or exactly `places` decimals when given. '' for None/''."""
    if value is None or value == "":
        return ""
    thousands, mark, _, _ = _STYLES[language(lang)]
    value = _decimal(value)
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        text = f"{value:f}"
    else:
        text = f"{value.normalize():f}" if value else "0"
    whole, _, fraction = text.partition(".")
    sign = MINUS if whole.startswith("-") and (whole.strip("-0") or fraction.strip("0")) else ""
    grouped = sign + _group(whole.lstrip("-"), thousands)
    return f"{grouped}{mark}{fraction}" if fraction else grouped


def percent(share: Any, lang: str | None = None, places: int | None = None) -> str:
    """A share as a percentage: 0.141 → '14,1 %' (bokmål) / '14.1%' (English)."""
    if share is None or share == "":
        return ""
    return points(_decimal(share) * 100, lang, places)


def points(value: Any, lang: str | None = None, places: int | None = None) -> str:
    """A number that already is a percentage: 14.1 → '14,1 %' / '14.1%'."""
    if value is None or value == "":
        return ""
    sign = _STYLES[language(lang)][3]
    return f"{number(value, lang, places)}{sign}"


# --- limits in validation messages -----------------------------------------------------------
# Django's MinValueValidator/MaxValueValidator put the raw limit in their message («større
# enn eller lik 0.01»); these say it the reader's way («0,01», «−50»).


class _LocalisedLimit:
    limit_value: Any

    def __call__(self, value: Any) -> None:
        try:
            super().__call__(value)  # type: ignore[misc]
        except ValidationError as error:
            params = dict(error.params or {})
            params["limit_value"] = number(params.get("limit_value", self.limit_value))
            raise ValidationError(error.message, code=error.code, params=params) from None


class MinValue(_LocalisedLimit, validators.MinValueValidator):
    pass


class MaxValue(_LocalisedLimit, validators.MaxValueValidator):
    pass


_LOCALISED = {validators.MinValueValidator: MinValue, validators.MaxValueValidator: MaxValue}


def localise_limits(form: Any) -> None:
    """Make the number fields of `form` (call in its `__init__`) state their minimum and
    maximum in the reader's format: «Verdien må være større enn eller lik 0,01»."""
    for field in form.fields.values():
        field.validators = [
            _LOCALISED[type(v)](v.limit_value, v.message) if type(v) in _LOCALISED else v
            for v in field.validators
        ]
