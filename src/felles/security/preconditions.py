"""What must be in place before an authorisation is granted (read inside the granting
transaction, with the person locked): a valid clearance at the level (sikkerhetsloven
§§ 8-1, 8-2), and for KONFIDENSIELT or higher the authorisation conversation (VF § 68)
and a signed non-disclosure declaration (VF § 67), both on or before the grant."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy

from felles.core.errors import ServiceError
from felles.organisations.models import Organisation, Person
from felles.security import rules
from felles.security.models import Clearance, Declaration

NEEDS_CLEARANCE = gettext_lazy(
    "En autorisasjon på KONFIDENSIELT eller høyere krever at personen har en gyldig "
    "sikkerhetsklarering på samme eller høyere nivå den dagen autorisasjonen gis "
    "(sikkerhetsloven §§ 8-1 og 8-2). Registrer klareringen først."
)
NEEDS_CONVERSATION = gettext_lazy(
    "En autorisasjon på KONFIDENSIELT eller høyere gis etter en autorisasjonssamtale "
    "(VF § 68): registrer datoen for samtalen."
)
NEEDS_DECLARATION = gettext_lazy(
    "En autorisasjon på KONFIDENSIELT eller høyere krever en taushetserklæring signert "
    "senest den dagen autorisasjonen gis (VF § 67). Registrer taushetserklæringen først."
)


def _field(name: str, message: str) -> ServiceError:
    return ServiceError(message, {name: [message]})


def check_authorisation(
    ministry: Organisation,
    person: Person,
    level: str,
    granted_on: dt.date,
    conversation_on: dt.date | None,
) -> None:
    """Refuse (a `ServiceError` on the field to fix) an authorisation whose conditions
    are not met on `granted_on`."""
    cleared = Clearance.objects.filter(person=person).values_list(
        "level", "decided_on", "expires_on", "ended_on"
    )
    if not rules.clearance_covers(level, granted_on, cleared):
        raise _field("level", str(NEEDS_CLEARANCE))
    if rules.level_rank(level) < 1:
        return
    if conversation_on is None:
        raise _field("conversation_on", str(NEEDS_CONVERSATION))
    signed = Declaration.objects.filter(
        person=person, ministry=ministry, signed_on__lte=granted_on
    ).exists()
    if not signed:
        raise _field("granted_on", str(NEEDS_DECLARATION))
