"""What an administrator with the right to alter tables can do to the audit trail: switch
the database's guard off, change rows with plain SQL, and put the guard back. Tests use
this to show that what the guard cannot stop, `felles audit verify` still finds."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection

TABLE = "core_auditevent"


def settle_deferred_checks() -> None:
    """PostgreSQL refuses ALTER TABLE and TRUNCATE while the (test) transaction still has
    deferred foreign-key checks pending; run them now."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@contextmanager
def guard_off() -> Iterator[None]:
    """The triggers on the audit table off while the block runs (PostgreSQL: disabled, as
    the table's owner can; SQLite: dropped and re-created)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            settle_deferred_checks()
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
            try:
                yield
            finally:
                cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
            return
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            [TABLE],
        )
        triggers = cursor.fetchall()
        for name, _ in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
        try:
            yield
        finally:
            for _, sql in triggers:
                cursor.execute(sql)


def tamper(sql: str, params: Sequence[Any] = ()) -> None:
    """Run one statement against the audit rows with the guard off."""
    with guard_off(), connection.cursor() as cursor:
        cursor.execute(sql, list(params))


def rewrite_from(sequence: int, **changes: Any) -> None:
    """Change event `sequence` and re-hash it and every later event with the application's
    own function, moving the head along: the chain verifies on its own afterwards."""
    from felles.core.audit import GENESIS_HASH, compute_hash
    from felles.core.models import AuditEvent

    events = list(AuditEvent.objects.filter(sequence__gte=sequence).order_by("sequence"))
    before = AuditEvent.objects.filter(sequence=sequence - 1).values_list("hash", flat=True)
    previous = before.first() or GENESIS_HASH
    with guard_off(), connection.cursor() as cursor:
        for event in events:
            if event.sequence == sequence:
                for name, value in changes.items():
                    setattr(event, name, value)
            event.previous_hash = previous
            new_hash = compute_hash(event, previous)
            cursor.execute(
                "UPDATE core_auditevent SET object_repr = %s, action = %s, previous_hash = %s, "
                "hash = %s WHERE sequence = %s",
                [event.object_repr, event.action, previous, new_hash, event.sequence],
            )
            previous = new_hash
        cursor.execute("UPDATE core_auditchainhead SET last_hash = %s WHERE id = 1", [previous])


def cut_tail(keep: int) -> None:
    """Delete every event after #keep and move the head back to it: the chain verifies on
    its own afterwards."""
    from felles.core.models import AuditEvent

    last_hash = AuditEvent.objects.filter(sequence=keep).values_list("hash", flat=True).get()
    tamper(f"DELETE FROM {TABLE} WHERE sequence > %s", [keep])  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditchainhead SET last_sequence = %s, last_hash = %s WHERE id = 1",
            [keep, last_hash],
        )
