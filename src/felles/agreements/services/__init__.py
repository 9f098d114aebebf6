"""Writes of delivery agreements (docs/agreements.md): drafting, and the steps from draft
to agreed, superseded or ended."""

from felles.agreements.services.drafting import (
    create_draft,
    remove_line,
    save_line,
    standard_targets,
)
from felles.agreements.services.steps import accept, end, return_to_draft, send

__all__ = [
    "accept",
    "create_draft",
    "end",
    "remove_line",
    "return_to_draft",
    "save_line",
    "send",
    "standard_targets",
]
