"""`felles audit verify [--checkpoint-file FILE]`: recompute the audit hash chain, check
every signed checkpoint against it and that the database's guard triggers are in place;
exit 1 on any finding. `felles audit checkpoint`: sign the chain's end and append it to the
checkpoint file (and e-mail it to the auditor when configured). `felles audit guard`: put
the database's guard triggers back."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from felles.core import checkpoints
from felles.core.audit import verify_chain
from felles.core.audit_protection import missing_triggers

# The migrations that build the database's guard, oldest first: each one's install
# statements replace what the one before it put in place.
GUARD_MIGRATIONS = ("0003_protect_audit_events", "0004_restrict_audit_maintenance")


class Command(BaseCommand):
    help = (
        "Verify the audit trail (hash chain, signed checkpoints, database guard) or write a "
        "signed checkpoint of its end."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["verify", "checkpoint", "guard"])
        parser.add_argument(
            "--checkpoint-file",
            help="verify against this file of checkpoint lines (e.g. the ones e-mailed to the "
            "auditor) instead of FELLES_AUDIT_CHECKPOINT_FILE",
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            if action == "guard":
                self._guard()
                return
            if action == "checkpoint":
                checkpoint = checkpoints.write()
                self.stdout.write(
                    f"Sjekkpunkt ved hendelse #{checkpoint.sequence} skrevet til "
                    f"{checkpoints.checkpoint_file()}."
                )
                return
            self._verify(options.get("checkpoint_file"))
        except checkpoints.CheckpointError as exc:
            raise CommandError(str(exc)) from exc

    def _guard(self) -> None:
        """Put the guard of the migrations in GUARD_MIGRATIONS back, in order: the triggers
        (gone if someone dropped or disabled them, or a later migration rebuilt the table)
        and the function they call as it stands now."""
        installs: list[str] = []
        for name in GUARD_MIGRATIONS:
            migration = importlib.import_module(f"felles.core.migrations.{name}")
            statements = migration.STATEMENTS.get(connection.vendor)
            if statements is None:
                raise CommandError(
                    f"Felles vokter ikke revisjonshendelser i «{connection.vendor}»."
                )
            installs.extend(statements[0])
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in installs:
                cursor.execute(sql)
        missing = missing_triggers(connection)
        if missing:
            raise CommandError(f"Utløserne {', '.join(missing)} kunne ikke settes på.")
        self.stdout.write("Databasen vokter revisjonshendelsene igjen (utløserne er på plass).")

    def _verify(self, checkpoint_file: str | None) -> None:
        problems: list[str] = []
        report = verify_chain()
        if report.ok:
            self.stdout.write(f"Revisjonskjeden er hel: {report.checked} hendelser kontrollert.")
        else:
            problems.append(
                f"Revisjonskjeden er brutt ved hendelse #{report.broken_at}: "
                f"{report.reason}. {report.checked} hendelser var i orden før."
            )
        path = Path(checkpoint_file).expanduser() if checkpoint_file else None
        if path is not None and not path.is_file():
            raise CommandError(f"Fant ikke sjekkpunktfila {path}.")
        result = checkpoints.check(path)
        for note in result.notes:
            self.stdout.write(note)
        problems.extend(f"Kontroll mot sjekkpunktene: {problem}." for problem in result.problems)
        missing = missing_triggers(connection)
        if missing:
            problems.append(
                "Databasen vokter ikke lenger revisjonshendelsene: utløserne "
                f"{', '.join(missing)} mangler eller er slått av: noen med rett til å endre "
                "tabellen har fjernet dem, eller en migrering har bygd tabellen om. "
                "«felles audit guard» (som tabellens eier) setter dem på igjen."
            )
        if problems:
            raise CommandError("\n".join(problems))
