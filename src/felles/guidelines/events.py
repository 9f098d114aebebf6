"""Hooks the guidelines app publishes for the apps above it (docs/architecture.md)."""

from felles.core.events import Event

version_adopted = Event(
    "guidelines.version_adopted",
    "A guideline version was adopted by a governance decision: facts `version` (the "
    "adopted Version, its previous one now replaced) and `actor`. Runs in the adopting "
    "transaction (notices writes its notice there).",
)
