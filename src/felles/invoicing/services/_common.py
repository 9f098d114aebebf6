"""What the invoicing services share: the funding that is billed, who runs a provider's
invoicing (the services' rules), the acting person, and the run lock."""

from __future__ import annotations

from typing import Any

from felles.catalog.models import Funding
from felles.core.services import Conflict, ServiceError
from felles.core.types import AnyUser
from felles.invoicing.models import InvoiceRun
from felles.organisations.models import Person
from felles.organisations.selectors import manages_provider

BILLED_FUNDING = (Funding.INVOICING, Funding.CHARGING_AUTHORISATION)

# Invoicing is the provider's managers' work: one ministry's documents for those who
# serve it, runs (which cover every ministry) for those who serve all.
FINANCE_ONLY = "Bare leverandørens ledere fører fakturakjøringene."


def runs_invoicing(user: AnyUser, /, *, run: InvoiceRun, **_: Any) -> bool:
    """The rule of every step of a run: the provider's managers who serve every ministry."""
    return manages_provider(user, run.provider_id)


def acting_person(person: Person | None) -> Person:
    if person is None:
        raise ServiceError("Bare personer registrert i Felles kan behandle fakturaer.")
    return person


def lock(run: InvoiceRun, status: str, verb: str) -> InvoiceRun:
    locked = InvoiceRun.objects.select_for_update().select_related("provider").get(pk=run.pk)
    if locked.status != status:
        raise Conflict(f"Kjøringen kan ikke {verb}: den er {locked.get_status_display().lower()}.")
    return locked
