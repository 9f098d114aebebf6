"""Backup and restore: a populated database and its attachments round-trip through `felles
backup` and `felles restore`, and the audit chain verifies afterwards; a bad archive is
refused before anything changes. Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from felles.core.actor import Actor
from felles.core.audit import verify_chain
from felles.core.models import AuditEvent
from felles.core.tests.tampering import tamper
from felles.orders import services as order_services
from felles.orders.models import Order
from felles.organisations.models import Organisation, Person, Unit
from felles.testing import answers

# The dump is taken by another connection (pg_dump, a second SQLite connection), so the
# data must be committed: no wrapping test transaction.
pytestmark = pytest.mark.django_db(transaction=True)

ATTACHMENT = b"Saksmappe 2019/1234\nSaksmappe 2019/1235\n"


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


def place_archive_order(shop: Any, actor: Actor, description: str) -> Order:
    service = shop.services["if-arkivtjeneste"]
    path = default_storage.save(f"attachments/{service.pk}/arkivliste.txt", ContentFile(ATTACHMENT))
    return order_services.submit_order(
        actor=actor,
        orderer=shop.employee,
        service=service,
        answers=answers(
            service,
            enhet={"id": str(shop.unit.uuid), "name": shop.unit.name},
            beskrivelse=description,
            vedlegg={"name": "arkivliste.txt", "path": path},
        ),
    )


@pytest.fixture
def populated(shop: Any, actor: Actor, media: Path) -> Order:
    """Personas, the seed catalogue and an order with an attachment, all audited."""
    return place_archive_order(shop, actor, "Journalføring av innkommende post")


def state() -> dict[str, Any]:
    """What must come back exactly: row counts and some values."""
    return {
        "organisations": Organisation.objects.count(),
        "units": Unit.objects.count(),
        "people": Person.objects.count(),
        "users": get_user_model().objects.count(),
        "orders": list(Order.objects.order_by("number").values_list("number", "status")),
        "answers": [o.answers for o in Order.objects.order_by("number")],
        "kud": Organisation.objects.get(abbreviation="KUD").name_nb,
        "people_names": sorted(Person.objects.values_list("first_name", "last_name")),
        "audit": list(AuditEvent.objects.order_by("sequence").values_list("sequence", "hash")),
    }


def files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def backup(folder: Path, capsys: Any) -> tuple[Path, str]:
    call_command("backup", "--output", str(folder))
    out = capsys.readouterr().out
    (archive,) = folder.glob("felles-backup-*.tar.gz")
    return archive, out


def mess_up(shop: Any, actor: Actor, media: Path) -> None:
    """Changes after the backup: edits, deletions, a new order, a forged audit row, and
    attachments gone and added."""
    Organisation.objects.filter(abbreviation="KUD").update(name_nb="Endret departement")
    Person.objects.filter(pk=shop.outsider.pk).update(first_name="Endret")
    place_archive_order(shop, actor, "Bestilt etter sikkerhetskopien")
    Order.objects.order_by("submitted_at").first().delete()
    tamper("UPDATE core_auditevent SET object_repr = 'forfalsket' WHERE sequence = 3")
    for path in (media / "attachments").rglob("*"):
        if path.is_file():
            path.unlink()
    (media / "imports").mkdir()
    (media / "imports" / "etterpå.bin").write_bytes(b"kom etter sikkerhetskopien")


def rewrite(
    archive: Path,
    target: Path,
    *,
    drop: tuple[str, ...] = (),
    manifest: dict[str, Any] | None = None,
    replace: dict[str, bytes] | None = None,
    extra: list[tuple[tarfile.TarInfo, bytes | None]] | None = None,
) -> Path:
    """A copy of `archive` with members dropped or replaced, or extra members added."""
    replace = dict(replace or {})
    if manifest is not None:
        replace["manifest.json"] = json.dumps(manifest).encode()
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as copy:
        for member in source.getmembers():
            if member.name in drop:
                continue
            data = replace.get(member.name)
            if data is None:
                handle = source.extractfile(member)
                data = handle.read() if handle else b""
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
        for info, data in extra or []:
            copy.addfile(info, io.BytesIO(data) if data is not None else None)
    return target


def read_manifest(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive) as tar:
        handle = tar.extractfile("manifest.json")
        assert handle is not None
        return json.loads(handle.read())


def test_round_trip_restores_data_and_attachments_and_the_chain_verifies(
    populated: Order, shop: Any, actor: Actor, media: Path, tmp_path: Path, capsys: Any
) -> None:
    before, media_before = state(), files(media)
    assert len(media_before) == 1 and list(media_before.values()) == [ATTACHMENT]
    folder = tmp_path / "backups"
    folder.mkdir()

    archive, out = backup(folder, capsys)

    assert f"Sikkerhetskopi skrevet til {archive}" in out
    assert f"{len(before['audit'])} revisjonshendelser, 1 vedlegg" in out
    assert archive.stat().st_mode & 0o077 == 0  # personal data: owner only
    manifest = read_manifest(archive)
    assert manifest["format_version"] == 1
    assert manifest["engine"] == connection.vendor
    assert manifest["audit"]["events"] == len(before["audit"])
    assert manifest["audit"]["last_hash"] == before["audit"][-1][1]
    disk = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    assert manifest["migrations"]["core"] == max(name for app, name in disk if app == "core")
    assert manifest["media"]["files"] == 1
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[0] == "manifest.json"
    assert f"media/{next(iter(media_before))}" in names

    mess_up(shop, actor, media)
    assert state() != before and files(media) != media_before
    assert not verify_chain().ok

    call_command("restore", str(archive), "--yes")
    out = capsys.readouterr().out

    assert state() == before
    assert files(media) == media_before
    assert not list(media.glob(".felles-*")), "no working directories left behind"
    report = verify_chain()
    assert report.ok and report.checked == len(before["audit"])
    assert "Gjenopprettet" in out
    assert f"Revisjonskjeden er hel: {report.checked} hendelser kontrollert." in out
    # The restored database is fully usable: new audited writes continue the chain.
    place_archive_order(shop, actor, "Etter gjenoppretting")
    assert verify_chain().ok


def test_backup_goes_to_the_data_directory_by_default_and_never_overwrites(
    populated: Order, settings: Any, tmp_path: Path, capsys: Any
) -> None:
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    call_command("backup")
    (archive,) = (tmp_path / "data" / "backups").glob("felles-backup-*.tar.gz")
    assert f"skrevet til {archive}" in capsys.readouterr().out
    with pytest.raises(CommandError, match="finnes allerede"):
        call_command("backup", "--output", str(archive))
    with pytest.raises(CommandError, match="finnes ikke"):
        call_command("backup", "--output", str(tmp_path / "mangler" / "x.tar.gz"))


@pytest.fixture
def archive_and_changes(
    populated: Order, shop: Any, actor: Actor, media: Path, tmp_path: Path, capsys: Any
) -> tuple[Path, dict[str, Any], dict[str, bytes]]:
    """A good archive, then changes: a refused restore must leave the changed state."""
    folder = tmp_path / "backups"
    folder.mkdir()
    archive, _ = backup(folder, capsys)
    Organisation.objects.filter(abbreviation="KUD").update(name_nb="Endret departement")
    place_archive_order(shop, actor, "Bestilt etter sikkerhetskopien")
    return archive, state(), files(media)


def assert_refused(
    archive: Path,
    message: str,
    changed: tuple[Path, dict[str, Any], dict[str, bytes]],
    media: Path,
    *args: str,
) -> None:
    _, db_state, media_state = changed
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(archive), *args)
    assert state() == db_state
    assert files(media) == media_state
    assert not list(media.glob(".felles-*"))
    assert verify_chain().ok


def test_archive_without_manifest_is_refused(
    archive_and_changes: Any, media: Path, tmp_path: Path
) -> None:
    bad = rewrite(archive_and_changes[0], tmp_path / "uten.tar.gz", drop=("manifest.json",))
    assert_refused(bad, "mangler manifest.json", archive_and_changes, media, "--yes")


def test_archive_from_the_other_database_engine_is_refused(
    archive_and_changes: Any, media: Path, tmp_path: Path
) -> None:
    manifest = read_manifest(archive_and_changes[0])
    other = "postgresql" if manifest["engine"] == "sqlite" else "sqlite"
    manifest["engine"] = other
    bad = rewrite(archive_and_changes[0], tmp_path / "motor.tar.gz", manifest=manifest)
    labels = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    assert_refused(
        bad,
        f"tatt fra {labels[other]}, men Felles er satt opp med {labels[connection.vendor]}",
        archive_and_changes,
        media,
        "--yes",
    )


def test_unknown_format_version_and_unreadable_files_are_refused(
    archive_and_changes: Any, media: Path, tmp_path: Path
) -> None:
    manifest = read_manifest(archive_and_changes[0])
    manifest["format_version"] = 99
    bad = rewrite(archive_and_changes[0], tmp_path / "format.tar.gz", manifest=manifest)
    assert_refused(bad, "formatversjon 99", archive_and_changes, media, "--yes")
    garbage = tmp_path / "tull.tar.gz"
    garbage.write_bytes(b"dette er ikke et arkiv")
    assert_refused(garbage, "ikke en lesbar sikkerhetskopi", archive_and_changes, media, "--yes")
    assert_refused(tmp_path / "borte.tar.gz", "Fant ikke", archive_and_changes, media, "--yes")


def test_altered_dump_is_refused_after_the_checksum(
    archive_and_changes: Any, media: Path, tmp_path: Path
) -> None:
    manifest = read_manifest(archive_and_changes[0])
    dump_name = manifest["database"]["file"]
    bad = rewrite(
        archive_and_changes[0], tmp_path / "endret.tar.gz", replace={dump_name: b"forfalsket"}
    )
    assert_refused(bad, "sjekksummen", archive_and_changes, media, "--yes")


@pytest.mark.parametrize(
    ("member", "message"),
    [
        ("../utenfor.txt", "ulovlig sti"),
        ("/etc/felles.txt", "ulovlig sti"),
        ("media/../../utenfor.txt", "ulovlig sti"),
        ("media/lenke", "lenke eller spesialfil"),
        ("noe-annet.txt", "noe Felles ikke kjenner"),
    ],
)
def test_unsafe_members_are_refused(
    archive_and_changes: Any, media: Path, tmp_path: Path, member: str, message: str
) -> None:
    info = tarfile.TarInfo(member)
    data: bytes | None = b"x"
    if member == "media/lenke":
        info.type, info.linkname, data = tarfile.SYMTYPE, "/etc/passwd", None
    else:
        info.size = 1
    bad = rewrite(archive_and_changes[0], tmp_path / "farlig.tar.gz", extra=[(info, data)])
    assert_refused(bad, message, archive_and_changes, media, "--yes")
    assert not (tmp_path / "utenfor.txt").exists()


def test_restore_asks_first_and_stops_unless_the_answer_is_yes(
    archive_and_changes: Any, media: Path, monkeypatch: Any, capsys: Any
) -> None:
    monkeypatch.setattr("builtins.input", lambda prompt: "nei")
    assert_refused(
        archive_and_changes[0], "Avbrutt; ingenting er endret", archive_and_changes, media
    )
    assert "Dette erstatter hele databasen" in capsys.readouterr().out


def test_restoring_a_broken_chain_exits_non_zero(
    populated: Order, media: Path, tmp_path: Path, capsys: Any
) -> None:
    tamper("UPDATE core_auditevent SET object_repr = 'forfalsket før kopien' WHERE sequence = 2")
    folder = tmp_path / "backups"
    folder.mkdir()
    archive, _ = backup(folder, capsys)
    with pytest.raises(CommandError, match="revisjonskjeden er brutt ved hendelse #2"):
        call_command("restore", str(archive), "--yes")


def test_failed_database_step_puts_the_previous_attachments_back(
    archive_and_changes: Any, media: Path, monkeypatch: Any
) -> None:
    from felles.core.management.commands import restore

    def fail(self: Any, *args: Any) -> None:
        raise CommandError("databasen svarte ikke")

    monkeypatch.setattr(restore.Command, "_restore_sqlite", fail)
    monkeypatch.setattr(restore.Command, "_restore_postgresql", fail)
    (media / "attachments" / "etterpå.txt").write_bytes(b"ny")
    changed = (archive_and_changes[0], archive_and_changes[1], files(media))
    assert_refused(archive_and_changes[0], "databasen svarte ikke", changed, media, "--yes")


def test_backup_from_a_newer_felles_is_refused(
    archive_and_changes: Any, media: Path, tmp_path: Path
) -> None:
    manifest = read_manifest(archive_and_changes[0])
    manifest["migrations"]["core"] = "0099_fra_fremtiden"
    bad = rewrite(archive_and_changes[0], tmp_path / "ny.tar.gz", manifest=manifest)
    assert_refused(bad, "nyere versjon av Felles", archive_and_changes, media, "--yes")


def test_postgresql_tools_match_the_server_and_connection_settings_go_in_the_environment(
    tmp_path: Path, monkeypatch: Any
) -> None:
    from felles.core import backup as commands

    monkeypatch.setattr(commands, "PG_INSTALL_ROOT", tmp_path)
    monkeypatch.setattr(commands.shutil, "which", lambda name: None)
    with pytest.raises(CommandError, match=r"Fant ikke pg_dump.*PostgreSQL 16"):
        commands.pg_tool("pg_dump", 16)
    for major in ("9", "15", "17"):
        (tmp_path / major / "bin").mkdir(parents=True)
        (tmp_path / major / "bin" / "pg_dump").touch()
    assert commands.pg_tool("pg_dump", 15) == str(tmp_path / "15" / "bin" / "pg_dump")
    assert commands.pg_tool("pg_dump", 16) == str(tmp_path / "17" / "bin" / "pg_dump")

    env = commands.pg_env(
        {
            "NAME": "felles",
            "USER": "felles",
            "PASSWORD": "hemmelig",
            "HOST": "db",
            "PORT": 5432,
            "OPTIONS": {"sslmode": "require"},
        }
    )
    assert (env["PGDATABASE"], env["PGUSER"], env["PGHOST"], env["PGPORT"]) == (
        "felles",
        "felles",
        "db",
        "5432",
    )
    assert env["PGPASSWORD"] == "hemmelig" and env["PGSSLMODE"] == "require"


def test_restore_writes_a_signed_restore_checkpoint_so_verify_and_checkpoints_carry_on(
    populated: Order,
    shop: Any,
    actor: Actor,
    media: Path,
    tmp_path: Path,
    capsys: Any,
    settings: Any,
) -> None:
    settings.FELLES_AUDIT_CHECKPOINT_KEY = "k" * 40
    settings.FELLES_AUDIT_CHECKPOINT_FILE = tmp_path / "sjekkpunkter.jsonl"
    folder = tmp_path / "backups"
    folder.mkdir()
    archive, _ = backup(folder, capsys)
    restored_to = AuditEvent.objects.count()
    place_archive_order(shop, actor, "Bestilt etter sikkerhetskopien")
    call_command("audit", "checkpoint")  # anchors events the restore will take away
    anchored_to = AuditEvent.objects.count()
    capsys.readouterr()

    call_command("restore", str(archive), "--yes")
    assert f"Sjekkpunkt for gjenopprettingen ved hendelse #{restored_to}" in (
        capsys.readouterr().out
    )

    call_command("audit", "verify")
    out = capsys.readouterr().out
    assert restored_to + 1 == anchored_to
    assert f"Hendelse #{anchored_to} fra før gjenopprettingen" in out
    place_archive_order(shop, actor, "Etter gjenoppretting")
    call_command("audit", "checkpoint")
    call_command("audit", "verify")
