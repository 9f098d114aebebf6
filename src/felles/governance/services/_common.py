"""What every governance service shares."""

from __future__ import annotations

from django.utils.translation import gettext as _

from felles.core.errors import ServiceError


def required(value: str, field: str, message: str) -> str:
    """`value` stripped; refused with `message` (on `field`) when empty."""
    value = (value or "").strip()
    if not value:
        raise ServiceError(message, {field: [_("Må fylles ut.")]})
    return value
