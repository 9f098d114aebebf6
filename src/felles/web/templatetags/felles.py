"""Formatting the way a Norwegian civil servant expects: 26.11.2026, 14:05,
kr 30 102,00, org.nr. 974 761 424."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone

from felles.core import formatting, units
from felles.core.locale import localized
from felles.core.validators import format_org_number

register = template.Library()


@register.filter
def local(obj: object, field: str) -> str:
    """`{{ service|local:"name" }}`: name_en in English, name_nb otherwise."""
    return localized(obj, field)


@register.filter
def orgnr(value: str) -> str:
    return format_org_number(value)


@register.filter
def dato(value: Any) -> str:
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    return f"{value:%d.%m.%Y}"


@register.filter
def tidspunkt(value: dt.datetime | None) -> str:
    if not value:
        return ""
    return f"{timezone.localtime(value):%d.%m.%Y %H:%M}"


# --- numbers, money and units (one format everywhere, in the reader's language) ---------
# «kr 1 000,00» / «NOK 1,000.00», «14,1 %» / «14.1%», a real minus (−), «281 måneder».


@register.filter
def kroner(value: Any) -> str:
    """`{{ amount|kroner }}`: «kr 30 102,00», «−kr 50,00» / «NOK 30,102.00»."""
    return formatting.kroner(value)


@register.filter
def negativ(value: Any) -> Any:
    """`{{ credit_note.total|negativ|kroner }}` «−kr 50,00»: an amount shown as money out."""
    if value is None or value == "":
        return value
    return -Decimal(str(value))


@register.filter
def tall(value: Any, places: Any = None) -> str:
    """`{{ n|tall }}` «150 000», «37,5»; `{{ n|tall:1 }}` exactly one decimal."""
    return formatting.number(value, places=None if places in (None, "") else int(places))


@register.filter
def prosent(share: Any, places: Any = None) -> str:
    """`{{ 0.141|prosent }}` «14,1 %» / «14.1%» (a share; `:1` for one decimal)."""
    return formatting.percent(share, places=None if places in (None, "") else int(places))


@register.filter
def prosentverdi(value: Any, places: Any = None) -> str:
    """`{{ 14.1|prosentverdi }}` «14,1 %»: a number that already is a percentage."""
    return formatting.points(value, places=None if places in (None, "") else int(places))


@register.filter
def antall(value: Any, unit_code: str) -> str:
    """`{{ quantity|antall:unit_code }}` «281 måneder», «1 stk.» / «281 months», «1 each»
    (UN/ECE Rec 20 code, named in the reader's language)."""
    return units.quantity(value, unit_code)


@register.filter
def per_enhet(unit_code: str) -> str:
    """`{{ price|kroner }} {{ unit_code|per_enhet }}`: «per måned» / «per month», «each»."""
    return units.per_unit(unit_code)


@register.filter
def celle(value: Any) -> str:
    """A table cell of mixed type (reports): dates as dates, numbers Norwegian, – for none."""
    if value is None or value == "":
        return "–"
    if isinstance(value, dt.date):
        return dato(value)
    if isinstance(value, float):
        value = Decimal(str(value))
    if isinstance(value, Decimal):
        return formatting.number(value)
    return str(value)


@register.filter
def join_if_list(value: Any) -> str:
    """Multiple-choice answers are lists; show them as «a, b»."""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)
