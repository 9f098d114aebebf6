"""The audit trail: `record` writes one chained AuditEvent inside the caller's transaction;
`verify_chain` recomputes the chain and reports the first broken link."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connection, models, transaction
from django.utils import timezone

from felles.core import prepared
from felles.core.actor import Actor
from felles.core.bulk import insert_values
from felles.core.models import AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64


def to_json_value(value: Any) -> Any:
    """Turn a field value into the JSON form stored in `changes` (stable for hashing)."""
    if isinstance(value, models.Model):
        return str(getattr(value, "uuid", value.pk))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set):
        return sorted(to_json_value(v) for v in value)
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of `fields` on `obj`, JSON-ready. Foreign keys by public id."""
    return {name: to_json_value(getattr(obj, name)) for name in fields}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields whose value changed (or appeared)."""
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def save_audited(
    obj: models.Model,
    *,
    actor: Actor,
    fields: Iterable[str],
    before: Mapping[str, Any] | None,
    action: str,
    organisation_id: int | None = None,
    extra: Mapping[str, list[Any]] | None = None,
) -> dict[str, list[Any]]:
    """The audited write every service repeats: save `obj` and record `action` with the
    diff between `before` (a `snapshot` of `fields` taken before the change; None for a
    new row) and `fields` now, plus `extra` changes the snapshot cannot see (e.g. a
    many-to-many set after the save). An existing row whose fields and extras did not
    change is not saved and nothing is recorded. Returns the changes ({} if none). Must run
    inside the service's transaction, like `record`."""
    after = snapshot(obj, fields)
    changes = {**diff(before or {}, after), **(extra or {})}
    if before is not None and not changes:
        return {}
    obj.save()
    record(actor=actor, action=action, obj=obj, changes=changes, organisation_id=organisation_id)
    return changes


M = TypeVar("M", bound=models.Model)


def save_values(
    obj: M | None,
    *,
    new: Callable[[], M],
    values: Mapping[str, Any],
    fields: Sequence[str],
    actor: Actor,
    action: str,
    verbs: tuple[str, str] = ("create", "change"),
    organisation_id: int | None = None,
    extra: Mapping[str, list[Any]] | None = None,
) -> M:
    """Create (`obj` is None: `new()`) or change `obj`, setting those of `values` that are
    in `fields`, and save it with `save_audited` as `{action}.{verbs[0]}` (created) or
    `{action}.{verbs[1]}` (changed). The upsert every editing service repeats."""
    before = snapshot(obj, fields) if obj is not None else None
    target = obj if obj is not None else new()
    for name in fields:
        if name in values:
            setattr(target, name, values[name])
    save_audited(
        target,
        actor=actor,
        fields=fields,
        before=before,
        action=f"{action}.{verbs[0] if before is None else verbs[1]}",
        organisation_id=organisation_id,
        extra=extra,
    )
    return target


def _content(event: AuditEvent) -> dict[str, Any]:
    return {
        "sequence": event.sequence,
        "uuid": str(event.uuid),
        "occurred_at": event.occurred_at.astimezone(dt.UTC).isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "on_behalf_of_id": event.on_behalf_of_id,
        "on_behalf_of_label": event.on_behalf_of_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "organisation_id": event.organisation_id,
        "changes": event.changes,
        "request_id": event.request_id,
    }


def compute_hash(event: AuditEvent, previous_hash: str) -> str:
    return _hash(_content(event), previous_hash)


def _hash(content: Mapping[str, Any], previous_hash: str) -> str:
    payload = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{previous_hash}\n{payload}".encode()).hexdigest()


def record(
    *,
    actor: Actor,
    action: str,
    obj: models.Model,
    changes: Mapping[str, Any] | None = None,
    organisation_id: int | None = None,
) -> AuditEvent:
    """Append an audit event for `obj`. Must run inside the service's transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record must be called inside transaction.atomic()")
    last_sequence, last_hash = _lock_head()
    # Microsecond precision differs between backends' round trips; whole milliseconds
    # survive every database unchanged, so the hash recomputes identically later.
    now = timezone.now()
    now = now.replace(microsecond=now.microsecond // 1000 * 1000)
    event = AuditEvent(
        sequence=last_sequence + 1,
        occurred_at=now,
        actor=actor.user,
        actor_label=actor.label,
        on_behalf_of=actor.on_behalf_of,
        on_behalf_of_label=actor.on_behalf_of.get_username() if actor.on_behalf_of else "",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(getattr(obj, "uuid", obj.pk)),
        object_repr=str(obj)[:300],
        organisation_id=organisation_id,
        changes=dict(changes or {}),
        request_id=actor.request_id,
        previous_hash=last_hash,
    )
    event.hash = compute_hash(event, last_hash)
    prepared.insert(event)  # AuditEvent.save() only refuses an existing row
    _move_head(event.sequence, event.hash)
    return event


@dataclass(frozen=True)
class Entry:
    """One event for `record_many`: what `record` takes, without the actor."""

    action: str
    obj: models.Model
    changes: Mapping[str, Any]
    organisation_id: int | None = None
    description: str | None = None  # `str(obj)` when None


def record_many(*, actor: Actor, entries: Sequence[Entry]) -> int:
    """Append one audit event per entry, chained in order, like `record` called for each:
    the same content and hashes (`verify_chain` cannot tell them apart), but the chain's
    head is locked and moved once and the events are inserted with multi-row INSERTs (a
    bulk import writes thousands). Must run inside the service's transaction. Returns how
    many events were written."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record_many must be called inside transaction.atomic()")
    if not entries:
        return 0
    last_sequence, last_hash = _lock_head()
    now = timezone.now()
    now = now.replace(microsecond=now.microsecond // 1000 * 1000)
    stamp = now.astimezone(dt.UTC).isoformat()
    actor_id = actor.user.pk if actor.user is not None else None
    behalf_id = actor.on_behalf_of.pk if actor.on_behalf_of is not None else None
    behalf_label = actor.on_behalf_of.get_username() if actor.on_behalf_of else ""
    rows = []
    for entry in entries:
        obj = entry.obj
        last_sequence += 1
        event_uuid = uuid.uuid4()
        content = {  # as `_content` reads it back from a stored event
            "sequence": last_sequence,
            "uuid": str(event_uuid),
            "occurred_at": stamp,
            "actor_id": actor_id,
            "actor_label": actor.label,
            "on_behalf_of_id": behalf_id,
            "on_behalf_of_label": behalf_label,
            "action": entry.action,
            "object_type": obj._meta.label_lower,
            "object_id": str(getattr(obj, "uuid", obj.pk)),
            "object_repr": (str(obj) if entry.description is None else entry.description)[:300],
            "organisation_id": entry.organisation_id,
            "changes": dict(entry.changes),
            "request_id": actor.request_id,
        }
        event_hash = _hash(content, last_hash)
        rows.append(
            [
                last_sequence,
                event_uuid,
                now,
                actor_id,
                actor.label,
                behalf_id,
                behalf_label,
                entry.action,
                content["object_type"],
                content["object_id"],
                content["object_repr"],
                entry.organisation_id,
                content["changes"],
                actor.request_id,
                last_hash,
                event_hash,
            ]
        )
        last_hash = event_hash
    insert_values(AuditEvent, _EVENT_FIELDS, rows)
    _move_head(last_sequence, last_hash)
    return len(rows)


_EVENT_FIELDS = (
    "sequence",
    "uuid",
    "occurred_at",
    "actor",
    "actor_label",
    "on_behalf_of",
    "on_behalf_of_label",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "organisation_id",
    "changes",
    "request_id",
    "previous_hash",
    "hash",
)


# Every write in Felles passes through here, so the head row is read and written with
# two plain statements on the connection's kept cursor (core.prepared), not through the
# ORM's query compiler.


def _head_names() -> tuple[str, str, str]:
    quote = connection.ops.quote_name
    return quote(AuditChainHead._meta.db_table), quote("last_sequence"), quote("last_hash")


def _lock_head() -> tuple[int, str]:
    """The chain's end (last sequence and hash), locked until the transaction ends."""
    table, sequence_column, hash_column = _head_names()
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    rows = prepared.execute(
        f"SELECT {sequence_column}, {hash_column} FROM {table} WHERE id = 1{lock}"  # noqa: S608
    )
    if not rows:  # the very first event (or a flushed database)
        AuditChainHead.objects.get_or_create(id=1)
        return _lock_head()
    return int(rows[0][0]), str(rows[0][1])


def _move_head(sequence: int, hash_: str) -> None:
    """The chain's end is now the event `sequence` with `hash_` (the head locked by
    `_lock_head` in the same transaction)."""
    table, sequence_column, hash_column = _head_names()
    prepared.execute(
        f"UPDATE {table} SET {sequence_column} = %s, {hash_column} = %s WHERE id = 1",  # noqa: S608
        [sequence, hash_],
        rows=False,
    )


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None = None
    reason: str = ""
    # The end of the part that links up (the genesis hash when nothing was checked).
    last_sequence: int = 0
    last_hash: str = GENESIS_HASH

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(batch_size: int = 2000, *, after: tuple[int, str] | None = None) -> ChainReport:
    """Walk the chain in sequence order; report the first event that does not link up.

    With `after=(sequence, hash)` (a checkpoint already trusted) only the events after it
    are recomputed, once the event at `sequence` is found to still carry `hash`; `checked`
    then counts those later events only."""
    expected_sequence, expected_previous = 1, GENESIS_HASH
    checked = 0
    with transaction.atomic():
        events = AuditEvent.objects.order_by("sequence")
        if after is not None and after[0] > 0:
            start_sequence, start_hash = after
            anchor = (
                AuditEvent.objects.filter(sequence=start_sequence)
                .values_list("hash", flat=True)
                .first()
            )
            if anchor is None:
                return ChainReport(0, start_sequence, f"hendelse #{start_sequence} mangler")
            if anchor != start_hash:
                return ChainReport(
                    0, start_sequence, f"hendelse #{start_sequence} er endret etter sjekkpunktet"
                )
            expected_sequence, expected_previous = start_sequence + 1, start_hash
            events = events.filter(sequence__gt=start_sequence)
        first_sequence = expected_sequence
        for event in events.iterator(chunk_size=batch_size):
            if event.sequence != expected_sequence:
                return ChainReport(
                    checked, expected_sequence, f"hendelse #{expected_sequence} mangler (slettet?)"
                )
            if event.previous_hash != expected_previous:
                return ChainReport(
                    checked, event.sequence, "peker ikke på forrige hendelse (endret eller slettet)"
                )
            if compute_hash(event, event.previous_hash) != event.hash:
                return ChainReport(checked, event.sequence, "innholdet er endret etter lagring")
            expected_previous = event.hash
            expected_sequence += 1
            checked += 1
        last_sequence = first_sequence - 1 + checked
        head = AuditChainHead.objects.filter(id=1).first()
        if head and head.last_sequence != last_sequence:
            return ChainReport(
                checked,
                last_sequence + 1,
                f"kjeden slutter ved #{last_sequence}, men hodet viser "
                f"#{head.last_sequence} (siste hendelser slettet)",
                last_sequence,
                expected_previous,
            )
    return ChainReport(checked, last_sequence=last_sequence, last_hash=expected_previous)
