"""`felles backup [--output PATH]`: write one archive with the database dump made by the
database's own tool (SQLite's online backup API, PostgreSQL's `pg_dump --format=custom`),
the uploaded files (MEDIA_ROOT) and a manifest.json. `felles restore` reads it back; the
shared pieces live in `felles.core.backup`."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import sqlite3
import tarfile
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from felles.core.backup import (
    DUMP_NAMES,
    ENGINE_LABELS,
    FORMAT_VERSION,
    MANIFEST_NAME,
    WORK_PREFIX,
    database_state,
    engine_of,
    felles_version,
    media_files,
    os_error,
    pg_env,
    pg_tool,
    run_tool,
    seconds_text,
    server_major,
    sha256_of,
    size_text,
    sqlite_file,
    without_owner,
)


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
            tar.add(dump, arcname=dump.name, recursive=False, filter=without_owner)
            for source, name in files:
                tar.add(source, arcname=name, recursive=False, filter=without_owner)
