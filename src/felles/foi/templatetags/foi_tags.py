"""Exact statistics on the page: a median that may be a half (2,5), shares as percentages
with one decimal."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django import template

from felles.core import formatting

register = template.Library()


@register.filter
def foi_number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Fraction) and value.denominator != 1:
        return formatting.number(float(value), places=1)
    return formatting.number(int(value), places=0)


@register.filter
def foi_share(value: Any) -> str:
    if value is None:
        return ""
    return formatting.percent(float(value), places=1)
