"""Who a signed-in identity is: the matching rule of docs/configuration.md («Sign-in with
OpenID Connect»). The stable identifier first, then the employee number, then the e-mail
address; nobody is created from a claim."""

from __future__ import annotations

from dataclasses import dataclass

from felles.organisations import selectors as people
from felles.organisations.models import Person
from felles.signin.models import ExternalIdentity


@dataclass(frozen=True)
class Match:
    person: Person
    identity: ExternalIdentity | None  # None: matched by employee number or e-mail
    # Set when the person is already linked to another identity at this provider.
    linked_elsewhere: bool = False


def match_person(
    *, issuer: str, subject: str, email: str = "", employee_number: str = ""
) -> Match | None:
    identity = (
        ExternalIdentity.objects.select_related("person__user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    if identity is not None:
        return Match(person=identity.person, identity=identity)
    person = None
    if employee_number:
        person = people.person_by_sign_in_claim(employee_number=employee_number)
    if person is None and email:
        person = people.person_by_sign_in_claim(email=email)
    if person is None:
        return None
    elsewhere = ExternalIdentity.objects.filter(issuer=issuer, person=person).exists()
    return Match(person=person, identity=None, linked_elsewhere=elsewhere)


def may_sign_in(person: Person) -> bool:
    """Active in the HR data, with an active login user."""
    user = person.user
    return person.active and user is not None and user.is_active
