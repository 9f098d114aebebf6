"""`felles token create USERNAME`: issue an API token and print it once."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from felles.core.actor import Actor
from felles.core.models import ApiToken
from felles.core.services import ServiceError, create_api_token, revoke_api_token


class Command(BaseCommand):
    help = "Manage API tokens: create USERNAME | list USERNAME | revoke PREFIX"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["create", "list", "revoke"])
        parser.add_argument("subject", help="username (create, list) or token prefix (revoke)")
        parser.add_argument("--scope", default=ApiToken.Scope.READ, choices=ApiToken.Scope.values)
        parser.add_argument("--days", type=int, default=None)
        parser.add_argument("--name", default="Kommandolinje")

    def handle(self, *args: Any, action: str, subject: str, **options: Any) -> None:
        actor = Actor.system("felles token")
        if action == "revoke":
            token = ApiToken.objects.filter(prefix=subject, revoked_at__isnull=True).first()
            if token is None:
                raise CommandError(f"Fant ingen aktiv nøkkel som starter med «{subject}».")
            revoke_api_token(actor=actor, token=token)
            self.stdout.write(f"Nøkkelen {token.prefix}… er trukket tilbake.")
            return
        user = get_user_model().objects.filter(username=subject).first()
        if user is None:
            raise CommandError(f"Fant ingen bruker «{subject}».")
        if action == "list":
            for token in ApiToken.objects.filter(user=user):
                state = "aktiv" if token.is_active else "ugyldig"
                self.stdout.write(f"{token.prefix}…  {token.scope:10}  {state:8}  {token.name}")
            return
        try:
            issued = create_api_token(
                actor=actor,
                user=user,
                name=options["name"],
                scope=options["scope"],
                days=options["days"],
            )
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(issued.secret)
