"""`felles sync_organisations`: create or update the ministries and providers from the
reference list (idempotent, audited)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from felles.core.actor import Actor
from felles.organisations.services import sync_reference_organisations


class Command(BaseCommand):
    help = "Load or update the reference list of ministries and providers."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = sync_reference_organisations(actor=Actor.system("felles sync_organisations"))
        self.stdout.write(f"{changed} organisasjoner opprettet eller endret.")
