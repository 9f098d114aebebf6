"""Backup archives: layout, PostgreSQL tools and their environment, and the database
state recorded in the manifest. Used by `felles backup` and `felles restore`."""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from django.core.management.base import CommandError
from django.db import DatabaseError
from django.db.backends.base.base import BaseDatabaseWrapper

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


def without_owner(info: tarfile.TarInfo) -> tarfile.TarInfo:
    """Ownership on the backed-up machine means nothing where the archive is restored."""
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info
