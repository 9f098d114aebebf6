"""Formatting the way a Norwegian civil servant expects: 26.11.2026, 14:05,
kr 30 102,00, org.nr. 974 761 424."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone

from felles.core import formatting
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


@register.filter
def kroner(value: Any) -> str:
    return formatting.kroner(value)


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
