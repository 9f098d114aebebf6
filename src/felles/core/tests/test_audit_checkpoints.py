"""Signed checkpoints anchor the audit chain outside the database: what the chain cannot
show on its own (the newest events deleted and the head moved back; an event rewritten and
everything after it re-hashed with the application's own function), `felles audit verify`
finds against the checkpoints, naming the range. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from felles.core import audit, checkpoints, jobs
from felles.core.actor import Actor
from felles.core.models import AuditEvent, Job
from felles.core.tests.tampering import cut_tail, rewrite_from
from felles.organisations import services
from felles.organisations.models import Organisation
from felles.testing.mail import deliver_mail

KEY = "k" * 40


@pytest.fixture
def anchored(settings: Any, tmp_path: Path) -> Path:
    settings.FELLES_AUDIT_CHECKPOINT_KEY = KEY
    settings.FELLES_AUDIT_CHECKPOINT_KEY_FILE = ""
    settings.FELLES_AUDIT_CHECKPOINT_FILE = tmp_path / "sjekkpunkter.jsonl"
    settings.FELLES_AUDIT_CHECKPOINT_EMAIL = []
    return settings.FELLES_AUDIT_CHECKPOINT_FILE


def add_units(count: int, start: int = 0) -> None:
    kud = Organisation.objects.get(abbreviation="KUD")
    for n in range(start, start + count):
        services.save_unit(
            actor=Actor.system("test"),
            organisation=kud,
            code=f"U{n}",
            name=f"Enhet {n}",
            kind="department",
        )


@pytest.fixture
def history(db: Any, anchored: Path) -> Path:
    """21 events, checkpoint at #21; 5 more, checkpoint at #26; 4 more (#30, unanchored)."""
    services.sync_reference_organisations(actor=Actor.system("test"))
    call_command("audit", "checkpoint")
    add_units(5)
    call_command("audit", "checkpoint")
    add_units(4, start=5)
    return anchored


def verify_fails(capsys: Any) -> str:
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify")
    return str(failure.value)


def test_checkpoint_lines_are_signed_and_appended(history: Path, capsys: Any) -> None:
    lines = [json.loads(line) for line in history.read_text().splitlines()]
    assert [(line["kind"], line["sequence"]) for line in lines] == [
        ("checkpoint", 21),
        ("checkpoint", 26),
    ]
    assert lines[1]["hash"] == AuditEvent.objects.get(sequence=26).hash
    assert len(lines[0]["mac"]) == 64 and lines[0]["key"] == checkpoints.key_id(KEY.encode())
    assert stat.S_IMODE(history.stat().st_mode) == 0o600
    call_command("audit", "verify")
    out = capsys.readouterr().out
    assert "Revisjonskjeden er hel: 30 hendelser kontrollert." in out
    assert "stemmer med 2 signerte sjekkpunkter" in out
    assert "#27–#30 er nyere enn siste sjekkpunkt" in out


def test_deleted_tail_with_head_moved_back_is_found_with_the_exact_range(
    history: Path, capsys: Any
) -> None:
    cut_tail(keep=23)
    assert audit.verify_chain().ok  # the chain alone cannot tell
    message = verify_fails(capsys)
    assert "hendelsene #24–#26 mangler" in message
    assert "kjeden nådde #26, men databasen slutter ved #23" in message


def test_rewritten_and_rehashed_event_is_found_between_two_checkpoints(
    history: Path, capsys: Any
) -> None:
    rewrite_from(24, object_repr="Forfalsket enhet")
    assert audit.verify_chain().ok  # re-hashed with the app's own function
    message = verify_fails(capsys)
    assert "hendelsene #22–#26 er endret etter sjekkpunktet" in message
    assert "mens sjekkpunktet ved #21 stemmer" in message


def test_rewrite_before_the_first_checkpoint_is_narrowed_to_the_start(
    history: Path, capsys: Any
) -> None:
    rewrite_from(3, object_repr="Forfalsket departement")
    message = verify_fails(capsys)
    assert "hendelsene #1–#21 er endret" in message
    assert "heller ikke ved 1 senere sjekkpunkter" in message


def test_forged_and_altered_checkpoint_lines_are_refused(history: Path, capsys: Any) -> None:
    lines = history.read_text().splitlines()
    altered = json.loads(lines[1])
    altered["sequence"] = 30  # move the anchor forward without the key
    altered["hash"] = AuditEvent.objects.get(sequence=30).hash
    forged = checkpoints.to_line(
        checkpoints.Checkpoint(30, altered["hash"], altered["at"]), b"x" * 40
    )
    history.write_text("\n".join([lines[0], json.dumps(altered), forged, "{tull"]) + "\n")
    message = verify_fails(capsys)
    assert "linje 2 i sjekkpunktfila har feil signatur" in message
    assert "linje 3 i sjekkpunktfila er signert med en annen nøkkel" in message
    assert "linje 4 i sjekkpunktfila er uleselig" in message


def test_checkpoint_is_refused_for_a_chain_that_does_not_extend_the_last_one(
    history: Path,
) -> None:
    cut_tail(keep=23)
    before = history.read_text()
    with pytest.raises(CommandError, match="hendelse #26 mangler"):
        call_command("audit", "checkpoint")
    assert history.read_text() == before  # a tampered chain is never signed


def test_key_from_a_file_and_the_auditor_gets_each_checkpoint_by_mail(
    db: Any, anchored: Path, settings: Any, tmp_path: Path
) -> None:
    key_file = tmp_path / "nøkkel"
    key_file.write_text(KEY + "\n")
    settings.FELLES_AUDIT_CHECKPOINT_KEY = ""
    settings.FELLES_AUDIT_CHECKPOINT_KEY_FILE = str(key_file)
    settings.FELLES_AUDIT_CHECKPOINT_EMAIL = ["revisor@riksrevisjonen.no"]
    services.sync_reference_organisations(actor=Actor.system("test"))
    call_command("audit", "checkpoint")
    (message,) = deliver_mail()
    assert message.to == ["revisor@riksrevisjonen.no"]
    assert "#21" in message.subject
    line = anchored.read_text().strip()
    assert line in message.body
    # The mailed line is enough on its own: verify against the auditor's copy.
    copy = tmp_path / "revisorens-kopi.jsonl"
    copy.write_text(line + "\n")
    anchored.unlink()
    call_command("audit", "verify", "--checkpoint-file", str(copy))


def test_without_a_key_verify_says_nothing_anchors_the_chain(
    db: Any, settings: Any, capsys: Any
) -> None:
    settings.FELLES_AUDIT_CHECKPOINT_KEY = ""
    settings.FELLES_AUDIT_CHECKPOINT_KEY_FILE = ""
    services.sync_reference_organisations(actor=Actor.system("test"))
    call_command("audit", "verify")
    assert "Ingen nøkkel for sjekkpunkter er satt opp" in capsys.readouterr().out
    with pytest.raises(CommandError, match="Ingen nøkkel"):
        call_command("audit", "checkpoint")
    settings.FELLES_AUDIT_CHECKPOINT_KEY = "for kort"
    with pytest.raises(CommandError, match="for kort"):
        call_command("audit", "checkpoint")


def test_the_worker_writes_checkpoints_periodically(db: Any, anchored: Path) -> None:
    from django.utils import timezone

    services.sync_reference_organisations(actor=Actor.system("test"))
    assert jobs.schedule_periodic(timezone.now()) >= 1
    assert Job.objects.filter(kind="audit.checkpoint", status=Job.Status.QUEUED).exists()
    jobs.run_pending()
    job = Job.objects.get(kind="audit.checkpoint")
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert "sjekkpunkt ved #21" in job.log
    (line,) = anchored.read_text().splitlines()
    assert json.loads(line)["sequence"] == 21


def test_restore_checkpoint_supersedes_lost_events(history: Path, capsys: Any) -> None:
    """After a restore to #23 (a signed restore checkpoint), the events lost with it are
    reported as such, and new events and checkpoints carry on from there."""
    cut_tail(keep=23)  # what restoring an older backup does to the events
    checkpoints.write(checkpoints.RESTORE)
    add_units(2, start=20)
    call_command("audit", "checkpoint")
    call_command("audit", "verify")
    out = capsys.readouterr().out
    assert "Hendelsene #24–#26 fra før gjenopprettingen" in out
    assert "stemmer med 3 signerte sjekkpunkter" in out
    assert os.path.getsize(history) > 0
