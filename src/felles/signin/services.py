"""The writes of sign-in: recording which provider identity is which person, and
forgetting it."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from felles.core import audit
from felles.core.actor import Actor
from felles.core.errors import Conflict
from felles.core.services import allowed
from felles.organisations import selectors as people
from felles.organisations import services as people_services
from felles.organisations.models import Person
from felles.signin.models import ExternalIdentity


def _signing_in_as(me: Any, /, *, person: Person, **_: Any) -> bool:
    """Only the person signing in (or the system) links an identity to a person."""
    return bool(me.pk == person.user_id)


@allowed(_signing_in_as, "Bare personen selv kan knytte en innlogging til seg.")
def link_identity(*, actor: Actor, person: Person, issuer: str, subject: str) -> ExternalIdentity:
    """Record that `subject` at `issuer` is `person` (at their first sign-in there)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                identity = ExternalIdentity.objects.create(
                    person=person, issuer=issuer, subject=subject
                )
        except IntegrityError as exc:
            raise Conflict(
                "Personen er allerede knyttet til en annen innlogging hos denne "
                "identitetsleverandøren."
            ) from exc
        audit.record(
            actor=actor,
            action="signin.identity.link",
            obj=identity,
            changes={"issuer": issuer, "subject": subject},
            organisation_id=person.organisation_id,
        )
    return identity


@allowed(people.is_administrator, people_services.ADMINISTRATORS_ONLY)
def unlink_identities(*, actor: Actor, person: Person) -> int:
    """Forget the person's provider identities (an account recreated at the provider): the
    next sign-in matches by employee number or e-mail again. Returns how many were removed."""
    with transaction.atomic():
        identities = list(ExternalIdentity.objects.filter(person=person))
        for identity in identities:
            audit.record(
                actor=actor,
                action="signin.identity.unlink",
                obj=identity,
                changes={"issuer": identity.issuer, "subject": identity.subject},
                organisation_id=person.organisation_id,
            )
            identity.delete()
    return len(identities)
