"""The database's own guard on the audit trail (migrations 0003_protect_audit_events and
0004_restrict_audit_maintenance): triggers refuse UPDATE and DELETE of audit events, and
TRUNCATE on PostgreSQL. UPDATE never passes.

A DELETE (or TRUNCATE) passes only on a connection in *maintenance mode*, which `felles
flush` switches on to empty the whole database (the test suite does so between
transactional tests). What that mode is, and who can switch it on, differs:

- PostgreSQL: the session setting `felles.audit_maintenance`. Any role can set a custom
  setting, so the trigger also requires that the current role has the table owner's rights
  (the owner, a member of the owner role, a superuser): the roles that could disable the
  triggers anyway. For the application's role (docs/operations.md) the setting changes
  nothing, and it holds neither DELETE nor TRUNCATE on the table in the first place.
- SQLite has no roles and no session settings: the mode is the function
  `felles_audit_maintenance()` that Felles registers on each of its own connections. Other
  clients (the sqlite3 shell, a script) lack it, so their DELETE fails too; but anyone who
  can write the database file can drop the triggers or register such a function. On SQLite
  the guard stops mistakes, not someone who sets out to get past it.

Whoever may alter the table gets past all of this, which is why the chain is also anchored
outside the database (felles.core.checkpoints)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "core_auditevent"
TRIGGERS = {
    "postgresql": ("felles_audit_no_delete", "felles_audit_no_truncate", "felles_audit_no_update"),
    "sqlite": ("felles_audit_no_delete", "felles_audit_no_update"),
}
SQLITE_FUNCTION = "felles_audit_maintenance"
PG_SETTING = "felles.audit_maintenance"
_FLAG = "_felles_audit_maintenance"


def register_sqlite_function(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """connection_created receiver: give each SQLite connection the maintenance function
    the delete trigger asks (0 unless `maintenance` is on for this connection)."""
    if connection.vendor != "sqlite":
        return

    def in_maintenance() -> int:
        return 1 if getattr(connection, _FLAG, False) else 0

    connection.connection.create_function(SQLITE_FUNCTION, 0, in_maintenance)


@contextmanager
def maintenance(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Let DELETE (and TRUNCATE) of audit events through on this one connection while the
    block runs. For emptying the whole database only (`felles flush`); never in normal
    operation. On PostgreSQL it takes effect only for a role with the table owner's rights:
    for any other role the trigger refuses the DELETE all the same."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', false)", [PG_SETTING])
        try:
            yield
        finally:
            if not connection.needs_rollback and connection.is_usable():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config(%s, 'off', false)", [PG_SETTING])
        return
    setattr(connection, _FLAG, True)
    try:
        yield
    finally:
        setattr(connection, _FLAG, False)


def missing_triggers(connection: BaseDatabaseWrapper) -> list[str]:
    """The guard triggers that are absent or switched off (empty when all are in place).
    On PostgreSQL a trigger counts as on only when it fires in ordinary sessions: enabled
    ('O') or always ('A'); one set to fire only in replica sessions ('R', `ENABLE REPLICA
    TRIGGER`) is as good as off for the application. A later migration that rebuilds the
    table (SQLite does for most column changes) drops them, and so does anyone with the
    rights to alter the table."""
    expected = TRIGGERS.get(connection.vendor)
    if expected is None:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass "
                "AND NOT tgisinternal AND tgenabled IN ('O', 'A')",
                [TABLE],
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [TABLE],
            )
        present = {str(row[0]) for row in cursor.fetchall()}
    return [name for name in expected if name not in present]
