"""`felles backup [--output PATH]`: write one archive with the database dump made by the
database's own tool (SQLite's online backup API, PostgreSQL's `pg_dump --format=custom`),
the uploaded files (MEDIA_ROOT) and a manifest.json. `felles restore` reads it back.

The helpers below (archive layout, PostgreSQL tools and their environment) are shared with
`restore.py`."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from felles.core.formatting import number
from felles.core.models import AuditChainHead, AuditEvent

FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
MEDIA_DIR = "media"
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINE_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Working directories of backup and restore start with this; backups skip them in media.
WORK_PREFIX = ".felles-"
# libpq settings dj-database-url puts in OPTIONS, and the environment variable each maps to.
LIBPQ_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "options": "PGOPTIONS",
}
PG_INSTALL_ROOT = Path("/usr/lib/postgresql")


class _Cursor(Protocol):
    def execute(self, sql: str) -> Any: ...
    def fetchone(self) -> Any: ...
    def fetchall(self) -> Any: ...


def engine_of(conn: BaseDatabaseWrapper) -> str:
    """'sqlite' or 'postgresql'; any other database is refused."""
    if conn.vendor not in DUMP_NAMES:
        raise CommandError(
            f"Sikkerhetskopi støttes for SQLite og PostgreSQL, ikke for «{conn.vendor}»."
        )
    return str(conn.vendor)


def sqlite_file(conn: BaseDatabaseWrapper) -> Path:
    """The configured SQLite database file (an in-memory database cannot be backed up)."""
    name = str(conn.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise CommandError("SQLite-databasen ligger bare i minnet og kan ikke sikkerhetskopieres.")
    return Path(name)


def server_major(conn: BaseDatabaseWrapper) -> int:
    try:
        conn.ensure_connection()
    except DatabaseError as exc:
        raise CommandError(f"Får ikke kontakt med databasen: {exc}".strip()) from exc
    return int(getattr(conn, "pg_version", 0)) // 10000


def pg_tool(name: str, major: int) -> str:
    """pg_dump or pg_restore from the same PostgreSQL major version as the server when that
    is installed under /usr/lib/postgresql, otherwise from PATH, otherwise the newest there."""
    matching = PG_INSTALL_ROOT / str(major) / "bin" / name
    if major and matching.is_file():
        return str(matching)
    on_path = shutil.which(name)
    if on_path:
        return on_path
    installed = sorted(
        (p for p in PG_INSTALL_ROOT.glob(f"*/bin/{name}") if p.parent.parent.name.isdigit()),
        key=lambda p: int(p.parent.parent.name),
    )
    if installed:
        return str(installed[-1])
    raise CommandError(
        f"Fant ikke {name}. Installer PostgreSQL-klientverktøyene i samme versjon som "
        f"databasetjeneren (PostgreSQL {major or '?'}; Debian: apt-get install postgresql-client"
        f"{f'-{major}' if major else ''}), eller legg {name} i PATH."
    )


def pg_env(settings_dict: Mapping[str, Any]) -> dict[str, str]:
    """The environment for pg_dump/pg_restore: connection parameters as PG* variables, the
    password only in PGPASSWORD (never on the command line, where `ps` would show it)."""
    env = dict(os.environ)
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        value = settings_dict.get(key)
        if value not in (None, ""):
            env[var] = str(value)
    for key, value in (settings_dict.get("OPTIONS") or {}).items():
        if key in LIBPQ_ENV and value not in (None, ""):
            env[LIBPQ_ENV[key]] = str(value)
    return env


def run_tool(args: list[str], env: Mapping[str, str], what: str) -> str:
    """Run a database tool; its own error text becomes a CommandError."""
    try:
        result = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
            args, env=dict(env), capture_output=True, text=True, check=False
        )
    except OSError as exc:
        raise CommandError(f"Kunne ikke starte {args[0]}: {exc.strerror or exc}.") from exc
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip() or f"avsluttet med {result.returncode}"
        raise CommandError(f"{what} feilet: {detail}")
    return result.stdout


def os_error(exc: OSError) -> str:
    """'Permission denied: /srv/felles/backups' – the system's reason and the file."""
    reason = exc.strerror or str(exc)
    return f"{reason}: {exc.filename}" if exc.filename else reason


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def database_state(cursor: _Cursor) -> dict[str, Any]:
    """Latest migration per app and the audit chain's head, read inside the dump's own
    snapshot so the manifest describes exactly what the dump holds."""
    try:
        cursor.execute('SELECT app, name FROM "django_migrations"')
        migrations: dict[str, str] = {}
        for app, name in cursor.fetchall():
            migrations[app] = max(name, migrations.get(app, ""))
        # Table names come from our own models, not from input.
        events_table, head_table = AuditEvent._meta.db_table, AuditChainHead._meta.db_table
        cursor.execute(f'SELECT COUNT(*) FROM "{events_table}"')  # noqa: S608
        events = int(cursor.fetchone()[0])
        cursor.execute(f'SELECT last_sequence, last_hash FROM "{head_table}" WHERE id = 1')  # noqa: S608
        head = cursor.fetchone()
    except (sqlite3.Error, DatabaseError) as exc:
        raise CommandError(
            f"Databasen ser ikke ut som en Felles-database (er «felles migrate» kjørt?): {exc}"
        ) from exc
    return {
        "migrations": dict(sorted(migrations.items())),
        "audit": {
            "events": events,
            "last_sequence": int(head[0]) if head else 0,
            "last_hash": str(head[1]) if head else "0" * 64,
        },
    }


def size_text(size: int) -> str:
    """'2,1 MB' (decimal units, Norwegian decimal comma)."""
    for unit, factor in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= factor:
            return f"{number(Decimal(size / factor).quantize(Decimal('0.1')))} {unit}"
    return f"{size} byte"


def seconds_text(seconds: float) -> str:
    return f"{number(Decimal(seconds).quantize(Decimal('0.1')))} s"


def felles_version() -> str:
    try:
        return importlib.metadata.version("felles")
    except importlib.metadata.PackageNotFoundError:
        return "ukjent"


def media_files(root: Path) -> tuple[list[tuple[Path, str]], list[str]]:
    """Regular files under MEDIA_ROOT as (path, archive name); plus the links skipped."""
    files: list[tuple[Path, str]] = []
    skipped: list[str] = []
    if not root.is_dir():
        return files, skipped
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if here == root:
            dirnames[:] = [d for d in dirnames if not d.startswith(WORK_PREFIX)]
        for name in list(dirnames):
            if (here / name).is_symlink():
                skipped.append(str((here / name).relative_to(root)))
                dirnames.remove(name)
        dirnames.sort()
        for name in sorted(filenames):
            path = here / name
            relative = path.relative_to(root).as_posix()
            if path.is_symlink() or not path.is_file():
                skipped.append(relative)
                continue
            files.append((path, f"{MEDIA_DIR}/{relative}"))
    return files, skipped


def _anonymous(info: tarfile.TarInfo) -> tarfile.TarInfo:
    """Ownership on the backed-up machine means nothing where the archive is restored."""
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


class Command(BaseCommand):
    help = (
        "Write a backup archive: database dump (SQLite backup API or pg_dump), uploaded "
        "files and a manifest. Restore it with `felles restore`."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--output",
            help="archive file, or an existing directory for it "
            "(default: $FELLES_DATA_DIR/backups/felles-backup-<time>.tar.gz)",
        )

    def handle(self, *args: Any, output: str | None = None, **options: Any) -> None:
        started = time.monotonic()
        engine = engine_of(connection)
        if connection.in_atomic_block:
            raise CommandError("Sikkerhetskopi kan ikke tas inne i en åpen transaksjon.")
        target = self._target(output)
        media_root = Path(settings.MEDIA_ROOT)
        files, skipped = media_files(media_root)
        try:
            manifest = self._backup(engine, target, files)
        except OSError as exc:
            raise CommandError(f"Kunne ikke skrive sikkerhetskopien: {os_error(exc)}.") from exc
        for name in skipped:
            self.stderr.write(f"Hoppet over {name} i {media_root}: ikke en vanlig fil.")
        self.stdout.write(f"Sikkerhetskopi skrevet til {target}")
        database, media = manifest["database"], manifest["media"]
        self.stdout.write(
            f"{ENGINE_LABELS[engine]}-database ({size_text(database['bytes'])}), "
            f"{manifest['audit']['events']} revisjonshendelser, {media['files']} vedlegg "
            f"({size_text(media['bytes'])}); arkivet er {size_text(target.stat().st_size)}, "
            f"tatt på {seconds_text(time.monotonic() - started)}."
        )

    def _backup(self, engine: str, target: Path, files: list[tuple[Path, str]]) -> dict[str, Any]:
        """Dump, manifest and archive in a private working directory beside the target;
        the archive appears under its name only when complete."""
        with tempfile.TemporaryDirectory(dir=target.parent, prefix=f"{WORK_PREFIX}backup-") as tmp:
            work = Path(tmp)
            dump = work / DUMP_NAMES[engine]
            tool: dict[str, str] = {}
            if engine == "sqlite":
                state = self._dump_sqlite(sqlite_file(connection), dump)
            else:
                state, tool = self._dump_postgresql(dump)
            manifest = {
                "format_version": FORMAT_VERSION,
                "engine": engine,
                "created_at": timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds"),
                "felles_version": felles_version(),
                "database": {
                    "file": dump.name,
                    "bytes": dump.stat().st_size,
                    "sha256": sha256_of(dump),
                    **tool,
                },
                "migrations": state["migrations"],
                "audit": state["audit"],
                "media": {
                    "files": len(files),
                    "bytes": sum(path.stat().st_size for path, _ in files),
                },
            }
            partial = work / "archive.tar.gz"
            self._write_archive(partial, manifest, dump, files)
            os.chmod(partial, 0o600)  # the archive holds personal data
            os.replace(partial, target)
        return manifest

    def _target(self, output: str | None) -> Path:
        name = f"felles-backup-{timezone.localtime():%Y%m%dT%H%M%S}.tar.gz"
        if output is None:
            folder = Path(settings.DATA_DIR) / "backups"
            try:
                folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            except OSError as exc:
                raise CommandError(
                    f"Kunne ikke opprette mappen {folder}: {os_error(exc)}."
                ) from exc
            target = folder / name
        else:
            given = Path(output).expanduser()
            target = given / name if given.is_dir() else given
            if not target.parent.is_dir():
                raise CommandError(f"Mappen {target.parent} finnes ikke.")
        target = target.absolute()
        if target.exists():
            raise CommandError(f"{target} finnes allerede; velg et annet filnavn.")
        return target

    def _dump_sqlite(self, source_path: Path, dump: Path) -> dict[str, Any]:
        """Copy the live database with SQLite's online backup API: one consistent snapshot,
        even while web processes and workers keep writing."""
        if not source_path.is_file():
            raise CommandError(f"Fant ikke databasefilen {source_path}.")
        try:
            # mode=rw: never create an empty database where the real one was expected.
            source = sqlite3.connect(f"{source_path.absolute().as_uri()}?mode=rw", uri=True)
        except sqlite3.Error as exc:
            raise CommandError(f"Kunne ikke åpne {source_path}: {exc}.") from exc
        copy = sqlite3.connect(dump)
        try:
            source.execute("PRAGMA busy_timeout = 20000")
            source.backup(copy)
            # A self-contained file: no -wal/-shm companions inside the archive.
            copy.execute("PRAGMA journal_mode = DELETE")
            return database_state(copy.cursor())
        except sqlite3.Error as exc:
            raise CommandError(f"Sikkerhetskopi av SQLite-databasen feilet: {exc}.") from exc
        finally:
            copy.close()
            source.close()

    def _dump_postgresql(self, dump: Path) -> tuple[dict[str, Any], dict[str, str]]:
        """pg_dump in the custom format, inside a snapshot exported from our own REPEATABLE
        READ transaction, so the manifest's audit head is exactly the dump's."""
        major = server_major(connection)
        tool = pg_tool("pg_dump", major)
        env = pg_env(connection.settings_dict)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = str(cursor.fetchone()[0])
            state = database_state(cursor)
            run_tool(
                [
                    tool,
                    "--format=custom",
                    "--no-password",
                    f"--snapshot={snapshot}",
                    f"--file={dump}",
                ],
                env,
                "pg_dump",
            )
        version = run_tool([tool, "--version"], env, "pg_dump --version").strip()
        match = re.search(r"\d+(\.\d+)*", version)
        return state, {
            "tool": version,
            "tool_version": match.group(0) if match else "",
            "server_version": str(getattr(connection, "pg_version", "")),
        }

    def _write_archive(
        self,
        path: Path,
        manifest: Mapping[str, Any],
        dump: Path,
        files: list[tuple[Path, str]],
    ) -> None:
        with tarfile.open(path, "w:gz") as tar:
            data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST_NAME)
            info.size, info.mtime, info.mode = len(data), int(time.time()), 0o644
            tar.addfile(info, io.BytesIO(data))  # first, so restore reads it at once
            tar.add(dump, arcname=dump.name, recursive=False, filter=_anonymous)
            for source, name in files:
                tar.add(source, arcname=name, recursive=False, filter=_anonymous)
