"""Checkpoints anchor the audit chain outside the database.

A checkpoint is a signed statement "at time T the chain ended at event #N with hash H",
appended as one JSON line to a file outside the database (FELLES_AUDIT_CHECKPOINT_FILE,
opened with O_APPEND and fsync'd) and optionally e-mailed to the auditor. It is signed with
HMAC-SHA256 under a key the database does not hold (FELLES_AUDIT_CHECKPOINT_KEY or
FELLES_AUDIT_CHECKPOINT_KEY_FILE). The worker writes one every
FELLES_AUDIT_CHECKPOINT_MINUTES (job `audit.checkpoint`); `felles audit checkpoint` writes
one at once; `felles restore` writes a *restore* checkpoint for the chain it put back.

`check` (used by `felles audit verify`) proves that every checkpointed event still exists
with the hash it had: someone who deletes the newest events and moves the chain head back,
or rewrites an event and re-hashes everything after it, passes the chain's own check but
not this one. What it does not prove is in docs/operations.md."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from felles.core import jobs, mail
from felles.core.audit import GENESIS_HASH, verify_chain
from felles.core.models import AuditEvent

FORMAT_VERSION = 1
CHECKPOINT, RESTORE = "checkpoint", "restore"
MAIL_TOPIC = "core.audit_checkpoint"  # to the auditors' addresses: no preferences apply
_DOMAIN = "felles-audit-checkpoint"
MIN_KEY_BYTES = 32


class CheckpointError(Exception):
    """A checkpoint cannot be written (no key, unreadable key, chain does not extend the
    last checkpoint). The message is bokmål, for the operator."""


@dataclass(frozen=True)
class Checkpoint:
    sequence: int
    hash: str
    at: str  # ISO 8601, UTC
    kind: str = CHECKPOINT

    def message(self) -> bytes:
        return (
            f"{_DOMAIN}/v{FORMAT_VERSION}\n{self.kind}\n{self.sequence}\n{self.hash}\n{self.at}"
        ).encode()

    @property
    def when(self) -> str:
        """'02.12.2026 kl. 14:00:05' in local time."""
        moment = timezone.localtime(dt.datetime.fromisoformat(self.at))
        return f"{moment:%d.%m.%Y kl. %H:%M:%S}"


# --- the key -------------------------------------------------------------------------------


def load_key() -> bytes | None:
    """The signing key, or None when none is configured."""
    value = str(getattr(settings, "FELLES_AUDIT_CHECKPOINT_KEY", "") or "")
    key_file = str(getattr(settings, "FELLES_AUDIT_CHECKPOINT_KEY_FILE", "") or "")
    if value and key_file:
        raise CheckpointError(
            "Sett enten FELLES_AUDIT_CHECKPOINT_KEY eller FELLES_AUDIT_CHECKPOINT_KEY_FILE, "
            "ikke begge."
        )
    if key_file:
        try:
            key = Path(key_file).read_bytes().strip()
        except OSError as exc:
            raise CheckpointError(
                f"Kunne ikke lese nøkkelfila for sjekkpunkter {key_file}: {exc.strerror or exc}."
            ) from exc
    elif value:
        key = value.strip().encode()
    else:
        return None
    if len(key) < MIN_KEY_BYTES:
        raise CheckpointError(
            f"Nøkkelen for sjekkpunkter er for kort ({len(key)} tegn); den må ha minst "
            f"{MIN_KEY_BYTES} (lag en med «python -c 'import secrets; "
            "print(secrets.token_hex(32))'»)."
        )
    return key


def key_id(key: bytes) -> str:
    """A fingerprint that tells which key signed a line without revealing the key."""
    return hashlib.sha256(b"felles-audit-checkpoint-key\n" + key).hexdigest()[:16]


def _mac(key: bytes, checkpoint: Checkpoint) -> str:
    return hmac.new(key, checkpoint.message(), hashlib.sha256).hexdigest()


def to_line(checkpoint: Checkpoint, key: bytes) -> str:
    return json.dumps(
        {
            "v": FORMAT_VERSION,
            "kind": checkpoint.kind,
            "sequence": checkpoint.sequence,
            "hash": checkpoint.hash,
            "at": checkpoint.at,
            "key": key_id(key),
            "mac": _mac(key, checkpoint),
        },
        ensure_ascii=False,
    )


def checkpoint_file() -> Path:
    configured = getattr(settings, "FELLES_AUDIT_CHECKPOINT_FILE", "")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "audit-checkpoints.jsonl"


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    line_number: int
    checkpoint: Checkpoint | None  # None: the line is unreadable or its signature is wrong
    problem: str = ""


def read_entries(path: Path, key: bytes) -> list[Entry]:
    """Every non-empty line of the file, each checked against the key."""
    entries: list[Entry] = []
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return entries
    except (OSError, UnicodeDecodeError) as exc:
        raise CheckpointError(f"Kunne ikke lese sjekkpunktfila {path}: {exc}.") from exc
    own_id = key_id(key)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            checkpoint = Checkpoint(
                sequence=int(data["sequence"]),
                hash=str(data["hash"]),
                at=str(data["at"]),
                kind=str(data["kind"]),
            )
            dt.datetime.fromisoformat(checkpoint.at)
            signature, signer = str(data["mac"]), str(data["key"])
            if checkpoint.kind not in (CHECKPOINT, RESTORE) or data["v"] != FORMAT_VERSION:
                raise ValueError(checkpoint.kind)
        except (ValueError, KeyError, TypeError):
            entries.append(Entry(number, None, f"linje {number} i sjekkpunktfila er uleselig"))
            continue
        if signer != own_id:
            problem = (
                f"linje {number} i sjekkpunktfila er signert med en annen nøkkel "
                f"(nøkkel-id {signer}, ventet {own_id})"
            )
        elif not hmac.compare_digest(signature, _mac(key, checkpoint)):
            problem = (
                f"linje {number} i sjekkpunktfila har feil signatur: sjekkpunktet for "
                f"#{checkpoint.sequence} er endret eller forfalsket"
            )
        else:
            entries.append(Entry(number, checkpoint))
            continue
        entries.append(Entry(number, None, problem))
    return entries


def _live(entries: list[Entry]) -> list[Checkpoint]:
    """The signed checkpoints that still describe the database: a restore checkpoint
    supersedes earlier checkpoints beyond the event it restored to (those events went with
    the restore, and their sequence numbers are used again)."""
    live: list[Checkpoint] = []
    floor: int | None = None
    for entry in reversed(entries):
        checkpoint = entry.checkpoint
        if checkpoint is None:
            continue
        if floor is None or checkpoint.sequence <= floor:
            live.append(checkpoint)
        if checkpoint.kind == RESTORE:
            floor = checkpoint.sequence if floor is None else min(floor, checkpoint.sequence)
    live.reverse()
    return live


def _superseded(entries: list[Entry]) -> list[tuple[Checkpoint, Checkpoint]]:
    """(lost checkpoint, the restore that superseded it), for the report."""
    result: list[tuple[Checkpoint, Checkpoint]] = []
    restores: list[Checkpoint] = []
    for entry in reversed(entries):
        checkpoint = entry.checkpoint
        if checkpoint is None:
            continue
        later = [r for r in restores if r.sequence < checkpoint.sequence]
        if later:
            result.append((checkpoint, min(later, key=lambda r: r.sequence)))
        if checkpoint.kind == RESTORE:
            restores.append(checkpoint)
    return result


# --- checking --------------------------------------------------------------------------------


@dataclass
class CheckResult:
    anchored: bool = False  # a key is configured and at least one signed checkpoint holds
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _range(first: int, last: int) -> str:
    return f"#{first}" if first == last else f"#{first}–#{last}"


def _stored_hashes(sequences: Iterable[int]) -> dict[int, str]:
    wanted = sorted(set(sequences))
    found: dict[int, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found.update(AuditEvent.objects.filter(sequence__in=chunk).values_list("sequence", "hash"))
    return found


def check(path: Path | None = None) -> CheckResult:
    """Every checkpoint line's signature, then every live checkpoint against the events in
    the database. Problems name the exact range that is missing or altered."""
    result = CheckResult()
    key = load_key()
    if key is None:
        result.notes.append(
            "Ingen nøkkel for sjekkpunkter er satt opp (FELLES_AUDIT_CHECKPOINT_KEY eller "
            "FELLES_AUDIT_CHECKPOINT_KEY_FILE), så kjeden er bare kontrollert mot seg selv: "
            "at de nyeste hendelsene er slettet og hodet flyttet tilbake, eller at en hendelse "
            "er endret og resten hashet på nytt, kan ikke oppdages."
        )
        return result
    path = path or checkpoint_file()
    entries = read_entries(path, key)
    result.problems.extend(entry.problem for entry in entries if entry.checkpoint is None)
    live = _live(entries)
    if not live:
        result.notes.append(
            f"Ingen signerte sjekkpunkter i {path} ennå («felles audit checkpoint» skriver "
            "ett); kjeden er bare kontrollert mot seg selv."
        )
        return result
    with transaction.atomic():
        last_stored = int(AuditEvent.objects.aggregate(last=Max("sequence"))["last"] or 0)
        stored = _stored_hashes(c.sequence for c in live if 0 < c.sequence <= last_stored)
    matching = [0]  # the genesis always matches
    altered: list[Checkpoint] = []
    beyond: list[Checkpoint] = []
    for checkpoint in sorted(live, key=lambda c: c.sequence):
        if checkpoint.sequence == 0:
            if checkpoint.hash != GENESIS_HASH:
                altered.append(checkpoint)
        elif checkpoint.sequence > last_stored:
            beyond.append(checkpoint)
        elif stored.get(checkpoint.sequence) == checkpoint.hash:
            matching.append(checkpoint.sequence)
        else:
            altered.append(checkpoint)
    if altered:
        first = altered[0]
        before = max(s for s in matching if s < first.sequence)
        later = len({c.sequence for c in altered}) - 1
        still = f"sjekkpunktet ved #{before}" if before else "kjedens start"
        result.problems.append(
            f"{'hendelse' if before + 1 == first.sequence else 'hendelsene'} "
            f"{_range(before + 1, first.sequence)} er endret etter sjekkpunktet "
            f"{first.when}: hashen ved #{first.sequence} stemmer ikke lenger"
            f"{f' (heller ikke ved {later} senere sjekkpunkter)' if later else ''}, mens "
            f"{still} stemmer; kjeden er skrevet om og hashet på nytt derfra"
        )
    if beyond:
        furthest = max(beyond, key=lambda c: c.sequence)
        result.problems.append(
            f"{'hendelse' if last_stored + 1 == furthest.sequence else 'hendelsene'} "
            f"{_range(last_stored + 1, furthest.sequence)} mangler: sjekkpunktet "
            f"{furthest.when} viser at kjeden nådde #{furthest.sequence}, men databasen "
            f"slutter ved #{last_stored} (de nyeste hendelsene er slettet)"
        )
    for lost, restore in _superseded(entries):
        plural = lost.sequence > restore.sequence + 1
        result.notes.append(
            f"{'Hendelsene' if plural else 'Hendelse'} "
            f"{_range(restore.sequence + 1, lost.sequence)} fra før "
            f"gjenopprettingen {restore.when} gikk tapt med den (sjekkpunktet {lost.when})."
        )
    latest = max(live, key=lambda c: (c.sequence, c.at))
    if result.ok:
        result.anchored = True
        result.notes.append(
            f"Kjeden stemmer med {len(live)} "
            f"{'signerte sjekkpunkter; det siste er' if len(live) > 1 else 'signert sjekkpunkt,'}"
            f" fra {latest.when} ved #{latest.sequence}."
        )
        if last_stored > latest.sequence:
            several = last_stored > latest.sequence + 1
            result.notes.append(
                f"{'Hendelsene' if several else 'Hendelse'} "
                f"{_range(latest.sequence + 1, last_stored)} er nyere enn siste sjekkpunkt og "
                "er ennå ikke forankret utenfor databasen."
            )
    return result


# --- writing ---------------------------------------------------------------------------------


def _append(path: Path, line: str) -> None:
    """One whole line at the end of the file, on disk before we return. O_APPEND: the file
    can be made append-only for this user (chattr +a) and this still works."""
    path.parent.mkdir(parents=True, exist_ok=True)
    created = not path.exists()
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, (line + "\n").encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    if created:
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def _mail(checkpoint: Checkpoint, line: str) -> None:
    """The signed line to each auditor, through the outbox (sent by the worker, retried
    until the mail server takes it)."""
    recipients = list(getattr(settings, "FELLES_AUDIT_CHECKPOINT_EMAIL", []) or [])
    what = "Gjenoppretting" if checkpoint.kind == RESTORE else "Sjekkpunkt"

    def build() -> mail.Notice:
        return mail.Notice(
            subject=f"Felles: {what.lower()} for revisjonskjeden ved #{checkpoint.sequence}",
            headline=f"{what} for revisjonskjeden ved #{checkpoint.sequence}",
            paragraphs=[
                f"{what} for revisjonskjeden i Felles {checkpoint.when}: kjeden slutter ved "
                f"hendelse #{checkpoint.sequence} med hash {checkpoint.hash}.",
                "Ta vare på linjen under utenfor Felles. «felles audit verify "
                "--checkpoint-file FIL» kontrollerer databasen mot linjene du har samlet:",
            ],
            preformatted=line,
        )

    for address in recipients:
        mail.queue_notice(to=address, user_id=None, topic=MAIL_TOPIC, build=build)


def write(kind: str = CHECKPOINT) -> Checkpoint:
    """Sign the chain's current end and append it. Refuses (CheckpointError) when the
    chain does not extend the last signed checkpoint: a tampered chain is never signed."""
    key = load_key()
    if key is None:
        raise CheckpointError(
            "Ingen nøkkel for sjekkpunkter er satt opp: sett FELLES_AUDIT_CHECKPOINT_KEY eller "
            "FELLES_AUDIT_CHECKPOINT_KEY_FILE."
        )
    path = checkpoint_file()
    live = _live(read_entries(path, key))
    trusted = max(live, key=lambda c: c.sequence) if live and kind == CHECKPOINT else None
    report = verify_chain(after=(trusted.sequence, trusted.hash) if trusted else None)
    if not report.ok:
        since = f" (kontrollert fra sjekkpunktet {trusted.when})" if trusted else ""
        raise CheckpointError(
            f"Revisjonskjeden er brutt ved hendelse #{report.broken_at}: {report.reason}"
            f"{since}. Sjekkpunktet er ikke skrevet; kjør «felles audit verify»."
        )
    checkpoint = Checkpoint(
        sequence=report.last_sequence,
        hash=report.last_hash,
        at=timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds"),
        kind=kind,
    )
    line = to_line(checkpoint, key)
    try:
        _append(path, line)
    except OSError as exc:
        raise CheckpointError(
            f"Kunne ikke skrive sjekkpunktet til {path}: {exc.strerror or exc}."
        ) from exc
    _mail(checkpoint, line)
    return checkpoint


@jobs.handler("audit.checkpoint")
def checkpoint_job(payload: dict[str, Any], log: Callable[[str], None]) -> None:
    if load_key() is None:
        log("Ingen nøkkel for sjekkpunkter er satt opp; ingen sjekkpunkt skrevet.")
        return
    checkpoint = write()
    log(f"sjekkpunkt ved #{checkpoint.sequence} skrevet til {checkpoint_file()}")


jobs.periodic(
    "audit.checkpoint", minutes=int(getattr(settings, "FELLES_AUDIT_CHECKPOINT_MINUTES", 60))
)
