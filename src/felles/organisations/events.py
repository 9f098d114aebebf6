"""Hooks the organisations app owns (docs/architecture.md, «When something must flow
upward»)."""

from __future__ import annotations

from felles.core.events import Event, Query

organisation_sections: Query[list[str]] = Query(
    "organisations.organisation_sections",
    "Sections (rendered HTML) a higher app adds to an organisation's page for `user`, "
    "e.g. the ministry's delivery agreements, agreed against delivered (sla).",
    default=lambda **_: [],
)

people_imported = Event(
    "organisations.people_imported",
    "An HR import wrote people of `organisation` (facts: `actor`, `organisation`), after "
    "its batches committed. Handled by bundles (an onboarding order links to the new "
    "employee once the person exists).",
)
