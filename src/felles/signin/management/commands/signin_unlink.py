"""`felles signin_unlink <e-mail>`: forget a person's identities at the identity provider
(after their account there was recreated), so the next sign-in matches by e-mail again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from felles.core.actor import Actor
from felles.organisations.selectors import person_by_sign_in_claim
from felles.signin.services import unlink_identities


class Command(BaseCommand):
    help = "Forget a person's identities at the identity provider (by e-mail address)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        person = person_by_sign_in_claim(email=options["email"])
        if person is None:
            raise CommandError(f"Fant ingen person med e-postadressen {options['email']}.")
        removed = unlink_identities(actor=Actor.system("felles signin_unlink"), person=person)
        self.stdout.write(f"{removed} innlogging(er) fjernet for {person.full_name}.")
