"""`felles restore PATH [--yes]`: put a `felles backup` archive back.

Everything is checked before anything is touched: the archive is readable, safe to unpack
and made for this kind of database, the dump matches the manifest's checksum and is readable
by the database's own tool. Only then (after confirmation) are the uploaded files swapped in
and the database restored — SQLite through the backup API, PostgreSQL through `pg_restore
--single-transaction` — and if the database step fails, the previous files are put back.
Last, the audit chain is verified; a broken chain exits non-zero."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import tarfile
import tempfile
import time
from collections.abc import Mapping
from contextlib import ExitStack
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from felles.core import checkpoints
from felles.core.audit import verify_chain
from felles.core.backup import (
    DUMP_NAMES,
    ENGINE_LABELS,
    FORMAT_VERSION,
    MANIFEST_NAME,
    MEDIA_DIR,
    WORK_PREFIX,
    database_state,
    engine_of,
    os_error,
    pg_env,
    pg_tool,
    run_tool,
    seconds_text,
    server_major,
    sha256_of,
    sqlite_file,
)
from felles.core.models import AuditChainHead

SQLITE_BUSY, SQLITE_LOCKED = 5, 6
BUSY_WAIT_SECONDS = 60
YES = {"ja", "j", "yes", "y"}
# Client sessions, other than ours, holding table locks in this database (open
# transactions); idle pooled connections hold none and do not block pg_restore.
OTHER_SESSIONS_WITH_LOCKS = """
    SELECT COUNT(DISTINCT l.pid)
    FROM pg_locks l
    JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'relation'
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND l.pid <> pg_backend_pid()
      AND a.backend_type = 'client backend'
"""


class _Busy(Exception):
    """The SQLite database stayed locked by another process."""


def _text(manifest: Mapping[str, Any], *keys: str) -> Any:
    """A nested manifest value; a missing one makes the archive invalid."""
    value: Any = manifest
    for key in keys:
        if not isinstance(value, Mapping) or key not in value:
            raise CommandError(f"Manifestet i sikkerhetskopien mangler «{'.'.join(keys)}».")
        value = value[key]
    return value


class MediaSwap:
    """Move the current uploaded files aside and the archive's in, by renames inside
    MEDIA_ROOT (so it works when MEDIA_ROOT is a mount point); undo puts them back."""

    def __init__(self, media_root: Path, staged: Path) -> None:
        self.media_root, self.staged = media_root, staged
        self.aside: Path | None = None
        self.moved_out: list[str] = []
        self.moved_in: list[str] = []

    def apply(self) -> None:
        try:
            self.aside = Path(tempfile.mkdtemp(dir=self.media_root, prefix=f"{WORK_PREFIX}old-"))
            for entry in sorted(self.media_root.iterdir()):
                if not entry.name.startswith(WORK_PREFIX):
                    entry.rename(self.aside / entry.name)
                    self.moved_out.append(entry.name)
            if self.staged.is_dir():
                for entry in sorted(self.staged.iterdir()):
                    entry.rename(self.media_root / entry.name)
                    self.moved_in.append(entry.name)
        except OSError as exc:
            self.undo()
            raise CommandError(
                f"Kunne ikke legge vedleggene på plass i {self.media_root}: {os_error(exc)}. "
                "Ingenting er endret."
            ) from exc

    def undo(self) -> None:
        for name in reversed(self.moved_in):
            (self.media_root / name).rename(self.staged / name)
        if self.aside is not None:
            for name in reversed(self.moved_out):
                (self.aside / name).rename(self.media_root / name)
        self.discard()

    def discard(self) -> None:
        """After success: the previous files go (after undo: the empty directory)."""
        if self.aside is not None:
            shutil.rmtree(self.aside, ignore_errors=True)


def local_time(iso: str) -> str:
    return f"{timezone.localtime(dt.datetime.fromisoformat(iso)):%d.%m.%Y kl. %H:%M}"


class Command(BaseCommand):
    help = (
        "Restore a `felles backup` archive: database and uploaded files, then verify the "
        "audit chain. Replaces the current data."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", help="the .tar.gz file written by `felles backup`")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args: Any, archive: str, yes: bool, **options: Any) -> None:
        started = time.monotonic()
        engine = engine_of(connection)
        if connection.in_atomic_block:
            raise CommandError("Gjenoppretting kan ikke kjøres inne i en åpen transaksjon.")
        path = Path(archive).expanduser()
        if not path.is_file():
            raise CommandError(f"Fant ikke sikkerhetskopien {path}.")
        media_root = Path(settings.MEDIA_ROOT)
        try:
            tar = tarfile.open(path, "r:*")  # noqa: SIM115 (closed below)
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise CommandError(
                f"{path} er ikke en lesbar sikkerhetskopi fra Felles (ikke et tar.gz-arkiv)."
            ) from exc
        with tar:
            members = self._members(tar, path)
            manifest = self._manifest(tar, members)
            self._check_manifest(manifest, engine, members)
            tool = pg_tool("pg_restore", server_major(connection)) if engine != "sqlite" else ""
            with ExitStack() as cleanup:
                # Staging next to the data: the dump under DATA_DIR, the files inside
                # MEDIA_ROOT (so they can be renamed into place).
                try:
                    media_root.mkdir(parents=True, exist_ok=True)
                    db_dir, media_dir = (
                        Path(
                            cleanup.enter_context(
                                tempfile.TemporaryDirectory(
                                    dir=parent, prefix=f"{WORK_PREFIX}restore-"
                                )
                            )
                        )
                        for parent in (Path(settings.DATA_DIR), media_root)
                    )
                except OSError as exc:
                    raise CommandError(
                        f"Kunne ikke lage arbeidsmappe for gjenopprettingen: {os_error(exc)}."
                    ) from exc
                dump = db_dir / DUMP_NAMES[engine]
                self._extract(tar, members, engine, db_dir, media_dir)
                self._check_dump(dump, engine, manifest, tool)
                if not yes:
                    self._confirm(engine, manifest, media_root)
                if engine == "postgresql":
                    self._wait_until_unlocked()
                swap = MediaSwap(media_root, media_dir / MEDIA_DIR)
                swap.apply()
                try:
                    if engine == "sqlite":
                        self._restore_sqlite(dump)
                    else:
                        self._restore_postgresql(dump, tool)
                except BaseException:
                    swap.undo()
                    raise
                swap.discard()
        media_files = _text(manifest, "media", "files")
        self.stdout.write(
            f"Gjenopprettet {ENGINE_LABELS[engine]}-databasen og {media_files} vedlegg fra "
            f"sikkerhetskopien tatt {local_time(_text(manifest, 'created_at'))} "
            f"(Felles {manifest.get('felles_version', 'ukjent')}) på "
            f"{seconds_text(time.monotonic() - started)}."
        )
        self._verify(manifest)

    # --- checks before anything changes ----------------------------------------------

    def _members(self, tar: tarfile.TarFile, path: Path) -> dict[str, tarfile.TarInfo]:
        try:
            members = tar.getmembers()
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise CommandError(f"{path} er skadet eller ufullstendig: {exc}.") from exc
        known = {MANIFEST_NAME, *DUMP_NAMES.values()}
        checked: dict[str, tarfile.TarInfo] = {}
        for member in members:
            name = member.name
            parts = PurePosixPath(name).parts
            if not parts or name.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
                raise CommandError(
                    f"Sikkerhetskopien inneholder en ulovlig sti («{name}») og blir ikke brukt."
                )
            if not (member.isfile() or member.isdir()):
                raise CommandError(
                    f"Sikkerhetskopien inneholder en lenke eller spesialfil («{name}») og blir "
                    "ikke brukt."
                )
            if not (parts[0] == MEDIA_DIR or (name in known and member.isfile())):
                raise CommandError(
                    f"Sikkerhetskopien inneholder noe Felles ikke kjenner («{name}») og blir "
                    "ikke brukt."
                )
            checked[name] = member
        return checked

    def _manifest(
        self, tar: tarfile.TarFile, members: Mapping[str, tarfile.TarInfo]
    ) -> dict[str, Any]:
        if MANIFEST_NAME not in members:
            raise CommandError(
                f"Sikkerhetskopien mangler {MANIFEST_NAME}; den er ikke laget med «felles backup» "
                "eller er skadet."
            )
        try:
            handle = tar.extractfile(members[MANIFEST_NAME])
            manifest = json.loads(handle.read() if handle else b"")
        except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
            raise CommandError(f"{MANIFEST_NAME} i sikkerhetskopien er uleselig: {exc}.") from exc
        if not isinstance(manifest, dict):
            raise CommandError(f"{MANIFEST_NAME} i sikkerhetskopien er uleselig.")
        return manifest

    def _check_manifest(
        self, manifest: Mapping[str, Any], engine: str, members: Mapping[str, tarfile.TarInfo]
    ) -> None:
        version = manifest.get("format_version")
        if version != FORMAT_VERSION:
            raise CommandError(
                f"Sikkerhetskopien har formatversjon {version}, men denne versjonen av Felles "
                f"kan bare gjenopprette formatversjon {FORMAT_VERSION}."
            )
        source = manifest.get("engine")
        if source not in DUMP_NAMES:
            raise CommandError(f"Sikkerhetskopien er tatt fra en ukjent databasetype («{source}»).")
        if source != engine:
            raise CommandError(
                f"Sikkerhetskopien er tatt fra {ENGINE_LABELS[source]}, men Felles er satt opp "
                f"med {ENGINE_LABELS[engine]}. Gjenopprett til samme databasetype "
                "(sjekk DATABASE_URL)."
            )
        if _text(manifest, "database", "file") != DUMP_NAMES[engine] or (
            DUMP_NAMES[engine] not in members
        ):
            raise CommandError(f"Sikkerhetskopien mangler databasefilen {DUMP_NAMES[engine]}.")
        for keys in (
            ("database", "sha256"),
            ("audit", "events"),
            ("audit", "last_hash"),
            ("media", "files"),
        ):
            _text(manifest, *keys)
        try:
            local_time(str(_text(manifest, "created_at")))
        except ValueError as exc:
            raise CommandError("Manifestet i sikkerhetskopien har et ugyldig tidspunkt.") from exc
        self._check_migrations(_text(manifest, "migrations"))

    def _check_migrations(self, migrations: Any) -> None:
        """A backup from a newer Felles has migrations this version does not know; its
        database would not fit this code."""
        if not isinstance(migrations, Mapping):
            raise CommandError("Manifestet i sikkerhetskopien har en ugyldig migreringsliste.")
        loader = MigrationLoader(None, ignore_no_migrations=True)
        known = set(loader.disk_migrations)
        for migration in loader.disk_migrations.values():
            known.update(migration.replaces)
        unknown = [
            f"{app}.{name}"
            for app, name in migrations.items()
            if app in loader.migrated_apps and (app, name) not in known
        ]
        if unknown:
            raise CommandError(
                "Sikkerhetskopien er tatt med en nyere versjon av Felles (ukjent migrering "
                f"{', '.join(unknown)}). Installer den versjonen før du gjenoppretter."
            )

    def _extract(
        self,
        tar: tarfile.TarFile,
        members: Mapping[str, tarfile.TarInfo],
        engine: str,
        db_dir: Path,
        media_dir: Path,
    ) -> None:
        """Unpack into the two staging directories (tarfile's `data` filter on top of the
        member checks above)."""
        try:
            for name, member in members.items():
                if name == DUMP_NAMES[engine]:
                    tar.extract(member, db_dir, filter="data")
                elif PurePosixPath(name).parts[0] == MEDIA_DIR:
                    tar.extract(member, media_dir, filter="data")
        except tarfile.FilterError as exc:
            raise CommandError(f"Sikkerhetskopien er ikke trygg å pakke ut: {exc}.") from exc
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise CommandError(f"Kunne ikke pakke ut sikkerhetskopien: {exc}.") from exc

    def _check_dump(self, dump: Path, engine: str, manifest: Mapping[str, Any], tool: str) -> None:
        if sha256_of(dump) != _text(manifest, "database", "sha256"):
            raise CommandError(
                "Databasefilen i sikkerhetskopien stemmer ikke med sjekksummen i manifestet; "
                "arkivet er skadet eller endret."
            )
        if engine == "postgresql":
            run_tool([tool, "--list", str(dump)], pg_env(connection.settings_dict), "pg_restore")
            return
        try:
            copy = sqlite3.connect(f"{dump.absolute().as_uri()}?mode=ro", uri=True)
            try:
                result = copy.execute("PRAGMA integrity_check").fetchone()
                state = database_state(copy.cursor())
            finally:
                copy.close()
        except sqlite3.Error as exc:
            raise CommandError(f"Databasefilen i sikkerhetskopien er uleselig: {exc}.") from exc
        if not result or result[0] != "ok":
            raise CommandError(f"Databasefilen i sikkerhetskopien er skadet: {result}.")
        if state["audit"] != manifest["audit"]:
            raise CommandError("Databasefilen i sikkerhetskopien stemmer ikke med manifestet.")

    def _confirm(self, engine: str, manifest: Mapping[str, Any], media_root: Path) -> None:
        settings_dict = connection.settings_dict
        where = (
            str(sqlite_file(connection))
            if engine == "sqlite"
            else f"«{settings_dict['NAME']}» på {settings_dict.get('HOST') or 'lokal socket'}"
        )
        self.stdout.write(
            f"Dette erstatter hele databasen ({where}) og alle vedlegg i {media_root} med "
            f"sikkerhetskopien tatt {local_time(manifest['created_at'])}: "
            f"{manifest['audit']['events']} revisjonshendelser, "
            f"{_text(manifest, 'media', 'files')} vedlegg. Det som er endret etter at den ble "
            "tatt, går tapt. Stopp «felles serve» og «felles worker» først."
        )
        try:
            answer = input("Skriv «ja» for å gjenopprette: ")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in YES:
            raise CommandError("Avbrutt; ingenting er endret.")

    # --- the changes ---------------------------------------------------------------------

    def _restore_sqlite(self, dump: Path) -> None:
        """Copy the dumped file into the configured database with the backup API: one write
        transaction, so the database is either wholly replaced or unchanged."""
        target = sqlite_file(connection)
        connections.close_all()
        target.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + BUSY_WAIT_SECONDS

        def progress(status: int, remaining: int, total: int) -> None:
            if status in (SQLITE_BUSY, SQLITE_LOCKED) and time.monotonic() > deadline:
                raise _Busy

        source = sqlite3.connect(f"{dump.absolute().as_uri()}?mode=ro", uri=True)
        try:
            destination = sqlite3.connect(target, timeout=20)
            try:
                source.backup(destination, progress=progress)
            finally:
                destination.close()
        except _Busy as exc:
            raise CommandError(
                f"Databasen {target} er i bruk av andre prosesser. Stopp «felles serve» og "
                "«felles worker» og prøv igjen; ingenting er endret."
            ) from exc
        except sqlite3.Error as exc:
            raise CommandError(
                f"Gjenoppretting av {target} feilet: {exc}. Ingenting er endret."
            ) from exc
        finally:
            source.close()

    def _wait_until_unlocked(self) -> None:
        """pg_restore would wait for ever behind another session's open transaction (the
        dump itself sets lock_timeout to 0), so wait here a while and then give up."""
        deadline = time.monotonic() + BUSY_WAIT_SECONDS
        while True:
            with connection.cursor() as cursor:
                cursor.execute(OTHER_SESSIONS_WITH_LOCKS)
                busy = cursor.fetchone()[0]
            if not busy:
                return
            if time.monotonic() > deadline:
                raise CommandError(
                    f"Databasen «{connection.settings_dict['NAME']}» er i bruk av {busy} "
                    f"{'annen økt' if busy == 1 else 'andre økter'}. Stopp «felles serve» og "
                    "«felles worker» og prøv igjen; ingenting er endret."
                )
            time.sleep(0.5)

    def _restore_postgresql(self, dump: Path, tool: str) -> None:
        """pg_restore in one transaction: on any error the database is left as it was."""
        settings_dict = connection.settings_dict
        connections.close_all()  # our own sessions would hold locks on the dropped tables
        env = pg_env(settings_dict)
        try:
            run_tool(
                [
                    tool,
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--exit-on-error",
                    "--no-password",
                    f"--dbname={settings_dict['NAME']}",
                    str(dump),
                ],
                env,
                "pg_restore",
            )
        except CommandError as exc:
            detail = str(exc).rstrip(". ")
            raise CommandError(f"{detail}. Databasen og vedleggene er uendret.") from exc

    # --- afterwards ---------------------------------------------------------------------

    def _verify(self, manifest: Mapping[str, Any]) -> None:
        connections.close_all()
        try:
            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
            report = verify_chain()
            head = AuditChainHead.objects.filter(id=1).first()
        except DatabaseError as exc:
            raise CommandError(
                f"Databasen er gjenopprettet, men revisjonskjeden kunne ikke kontrolleres: {exc}. "
                "Kjør «felles migrate» og deretter «felles audit verify»."
            ) from exc
        if pending:
            self.stdout.write(
                "Sikkerhetskopien er fra en eldre versjon av Felles: kjør «felles migrate» før "
                "Felles startes igjen."
            )
        if not report.ok:
            raise CommandError(
                f"Gjenopprettet, men revisjonskjeden er brutt ved hendelse #{report.broken_at}: "
                f"{report.reason}. {report.checked} hendelser var i orden før."
            )
        expected = manifest["audit"]
        last_hash = head.last_hash if head else "0" * 64
        if report.checked != expected["events"] or last_hash != expected["last_hash"]:
            raise CommandError(
                f"Gjenopprettet, men revisjonskjeden har {report.checked} hendelser der "
                f"sikkerhetskopien skulle ha {expected['events']}; kjeden slutter ikke der "
                "sikkerhetskopien sier."
            )
        self.stdout.write(f"Revisjonskjeden er hel: {report.checked} hendelser kontrollert.")
        self._restore_checkpoint()

    def _restore_checkpoint(self) -> None:
        """A signed restore checkpoint: `felles audit verify` then knows that events after
        it in earlier checkpoints went with the restore, and checkpoints continue from it."""
        try:
            if checkpoints.load_key() is None:
                return
            checkpoint = checkpoints.write(checkpoints.RESTORE)
        except checkpoints.CheckpointError as exc:
            raise CommandError(
                f"Gjenopprettet, men sjekkpunktet for gjenopprettingen ble ikke skrevet: {exc}"
            ) from exc
        self.stdout.write(
            f"Sjekkpunkt for gjenopprettingen ved hendelse #{checkpoint.sequence} skrevet til "
            f"{checkpoints.checkpoint_file()}."
        )
