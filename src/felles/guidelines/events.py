"""Hooks the guidelines app publishes for the apps above it (docs/architecture.md)."""

from felles.core.events import Event

version_adopted = Event(
    "guidelines.version_adopted",
    "A guideline version was adopted by a governance decision: facts `version` (the "
    "adopted Version, its previous one now replaced) and `actor`. Runs in the adopting "
    "transaction (notices writes its notice there).",
)

version_withdrawn = Event(
    "guidelines.version_withdrawn",
    "A published guideline version (in force, or on hearing) was withdrawn: facts "
    "`version` (now WITHDRAWN), `before` (its status until now), `reason` and `actor`. "
    "Runs in the withdrawing transaction (notices tells every ministry there). A draft's "
    "withdrawal is not published: no ministry has seen it.",
)
