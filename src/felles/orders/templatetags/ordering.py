"""Template filters of the order pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import translation

register = template.Library()


@register.filter
def answer_label(item: Any) -> str:
    """An order-form answer's label in the reader's language (`label_en` where the form
    kept one), e.g. `{{ item|answer_label }}`."""
    if not isinstance(item, dict):
        return ""
    if translation.get_language() == "en" and item.get("label_en"):
        return str(item["label_en"])
    return str(item.get("label", ""))
