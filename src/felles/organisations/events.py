"""Hooks the organisations app owns (docs/architecture.md, «When something must flow
upward»)."""

from __future__ import annotations

from felles.core.events import Query

organisation_sections: Query[list[str]] = Query(
    "organisations.organisation_sections",
    "Sections (rendered HTML) a higher app adds to an organisation's page for `user`, "
    "e.g. the ministry's delivery agreements, agreed against delivered (sla).",
    default=lambda **_: [],
)
