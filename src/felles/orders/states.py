"""The order state machine (pure). Every transition is named; services apply them with a
conditional UPDATE so two concurrent actors can never both move the same order."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum


def _(text: str) -> str:
    """Marks a text for the translation catalogue; the caller translates it (`gettext`)
    where it is shown, so this module stays free of Django."""
    return text


class Status(StrEnum):
    AWAITING_APPROVAL = "awaiting_approval"
    REJECTED = "rejected"
    QUEUED = "queued"
    IN_PROGRESS = "in_progress"
    WAITING_FOR_CUSTOMER = "waiting_for_customer"
    RESOLVED = "resolved"
    CLOSED = "closed"
    CANCELLED = "cancelled"


LABELS: dict[Status, str] = {
    Status.AWAITING_APPROVAL: _("Venter på godkjenning"),
    Status.REJECTED: _("Avvist"),
    Status.QUEUED: _("Mottatt hos leverandøren"),
    Status.IN_PROGRESS: _("Under arbeid"),
    Status.WAITING_FOR_CUSTOMER: _("Venter på svar fra bestiller"),
    Status.RESOLVED: _("Levert – venter på bekreftelse"),
    Status.CLOSED: _("Avsluttet"),
    Status.CANCELLED: _("Kansellert"),
}

# action → (states it may start from, state it ends in)
TRANSITIONS: dict[str, tuple[frozenset[Status], Status]] = {
    "approve": (frozenset({Status.AWAITING_APPROVAL}), Status.QUEUED),
    "reject": (frozenset({Status.AWAITING_APPROVAL}), Status.REJECTED),
    "take": (frozenset({Status.QUEUED}), Status.IN_PROGRESS),
    "assign": (frozenset({Status.QUEUED, Status.IN_PROGRESS}), Status.IN_PROGRESS),
    "request_info": (frozenset({Status.IN_PROGRESS}), Status.WAITING_FOR_CUSTOMER),
    "provide_info": (frozenset({Status.WAITING_FOR_CUSTOMER}), Status.IN_PROGRESS),
    "resolve": (frozenset({Status.IN_PROGRESS}), Status.RESOLVED),
    "confirm": (frozenset({Status.RESOLVED}), Status.CLOSED),
    "auto_close": (frozenset({Status.RESOLVED}), Status.CLOSED),
    "reopen": (frozenset({Status.RESOLVED}), Status.IN_PROGRESS),
    "cancel": (frozenset({Status.AWAITING_APPROVAL, Status.QUEUED}), Status.CANCELLED),
    # A container (a bundle's parent) is no work at the provider: the orderer cancels it
    # (and its cancellable children) also after an agent took it before it was one.
    "cancel_container": (
        frozenset({Status.QUEUED, Status.IN_PROGRESS, Status.WAITING_FOR_CUSTOMER}),
        Status.CANCELLED,
    ),
    # A parent order (a bundle) closes when all its linked children are finished.
    "complete": (
        frozenset(
            {Status.QUEUED, Status.IN_PROGRESS, Status.WAITING_FOR_CUSTOMER, Status.RESOLVED}
        ),
        Status.CLOSED,
    ),
}

OPEN = frozenset(
    {
        Status.AWAITING_APPROVAL,
        Status.QUEUED,
        Status.IN_PROGRESS,
        Status.WAITING_FOR_CUSTOMER,
        Status.RESOLVED,
    }
)
PROVIDER_ACTIVE = frozenset(
    {Status.QUEUED, Status.IN_PROGRESS, Status.WAITING_FOR_CUSTOMER, Status.RESOLVED}
)


def allowed(action: str, current: str) -> bool:
    sources, _target = TRANSITIONS[action]
    return Status(current) in sources


REFUSAL = _(
    "Bestillingen har status «%(status)s», så dette kan ikke gjøres nå. Last siden på nytt "
    "for å se hva som har skjedd."
)


def refusal(action: str, current: str, translate: Callable[[str], str] = _) -> str:
    """Why `action` cannot happen now, in words for the user (`translate`: gettext)."""
    return translate(REFUSAL) % {"status": translate(LABELS[Status(current)])}
