"""Helpers for ordering tests (the `shop` fixture lives in the root conftest)."""

from __future__ import annotations

from typing import Any

from felles.catalog.models import Service


def answers(service: Service, **values: Any) -> dict[str, Any]:
    return {f.key: {"label": f.label_nb, "value": values.get(f.key)} for f in service.fields.all()}
