"""The database refuses to change or delete audit events, and so does the ORM; only
`felles flush` (emptying the whole database) gets past the guard, and on PostgreSQL only as
the table's owner. The application's role from docs/operations.md cannot even try, and the
maintenance setting does not help it. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from felles.core.actor import Actor
from felles.core.audit_protection import missing_triggers
from felles.core.models import AuditEvent
from felles.core.tests.tampering import guard_off, settle_deferred_checks
from felles.organisations import services
from felles.organisations.models import Organisation

on_postgresql = pytest.mark.skipif(
    "postgres" not in os.environ.get("DATABASE_URL", ""), reason="needs PostgreSQL"
)


@pytest.fixture
def chain(db: Any, actor: Actor) -> list[AuditEvent]:
    services.sync_reference_organisations(actor=actor)
    return list(AuditEvent.objects.order_by("sequence"))


def refused(sql: str, params: list[Any] | None = None) -> str:
    """Run `sql`; it must fail in the database. Returns the database's message."""
    with (
        pytest.raises(DatabaseError) as failure,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params or [])
    return str(failure.value)


def test_database_refuses_update_of_an_audit_event(chain: list[AuditEvent]) -> None:
    message = refused(
        "UPDATE core_auditevent SET object_repr = 'forfalsket' WHERE sequence = %s", [3]
    )
    assert "kan ikke endres" in message
    assert AuditEvent.objects.get(sequence=3).object_repr == chain[2].object_repr


def test_database_refuses_delete_of_audit_events(chain: list[AuditEvent]) -> None:
    assert "kan ikke" in refused("DELETE FROM core_auditevent WHERE sequence = %s", [21])
    assert "kan ikke" in refused("DELETE FROM core_auditevent")
    if connection.vendor == "postgresql":
        settle_deferred_checks()
        assert "kan ikke" in refused("TRUNCATE core_auditevent CASCADE")
    assert AuditEvent.objects.count() == len(chain)


def test_orm_querysets_refuse_update_and_delete(chain: list[AuditEvent]) -> None:
    with pytest.raises(RuntimeError, match="append-only"):
        AuditEvent.objects.filter(sequence=2).update(object_repr="forfalsket")
    with pytest.raises(RuntimeError, match="append-only"):
        AuditEvent.objects.filter(sequence__gt=19).delete()
    with pytest.raises(RuntimeError, match="append-only"):
        AuditEvent.objects.all().delete()
    event = AuditEvent.objects.get(sequence=2)
    event.object_repr = "forfalsket"
    with pytest.raises(RuntimeError, match="append-only"):
        AuditEvent.objects.bulk_update([event], ["object_repr"])
    assert AuditEvent.objects.get(sequence=2).object_repr == chain[1].object_repr != "forfalsket"
    assert AuditEvent.objects.count() == len(chain)


def test_flush_empties_the_database_and_leaves_the_guard_on(chain: list[AuditEvent]) -> None:
    settle_deferred_checks()
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists() and not Organisation.objects.exists()
    services.sync_reference_organisations(actor=Actor.system("test"))
    assert "kan ikke" in refused("DELETE FROM core_auditevent")
    assert AuditEvent.objects.count() == len(chain)


def test_verify_fails_when_the_guard_is_switched_off(chain: list[AuditEvent]) -> None:
    assert missing_triggers(connection) == []
    with guard_off():
        assert "felles_audit_no_delete" in missing_triggers(connection)
        with pytest.raises(CommandError, match="vokter ikke lenger revisjonshendelsene"):
            call_command("audit", "verify")
    call_command("audit", "verify")


def test_guard_command_puts_dropped_or_disabled_triggers_back(chain: list[AuditEvent]) -> None:
    settle_deferred_checks()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER felles_audit_no_delete")
        else:
            cursor.execute("DROP TRIGGER felles_audit_no_delete")
    assert missing_triggers(connection) == ["felles_audit_no_delete"]
    call_command("audit", "guard")
    assert missing_triggers(connection) == []
    assert "kan ikke" in refused("DELETE FROM core_auditevent")
    if connection.vendor == "postgresql":
        # The guard puts back today's trigger function (0004: maintenance only for the
        # owner), not the one migration 0003 first wrote.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT prosrc FROM pg_proc WHERE proname = 'felles_audit_refuse_change'"
            )
            (source,) = cursor.fetchone()
        assert "pg_has_role" in source


@on_postgresql
def test_verify_fails_when_a_trigger_fires_only_in_replica_sessions(
    chain: list[AuditEvent],
) -> None:
    """A trigger enabled for replica sessions only ('R') does not fire in ordinary ones: it
    guards nothing, so it counts as switched off."""
    settle_deferred_checks()
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE core_auditevent ENABLE REPLICA TRIGGER felles_audit_no_delete")
    assert missing_triggers(connection) == ["felles_audit_no_delete"]
    with pytest.raises(CommandError, match="felles_audit_no_delete mangler eller er slått av"):
        call_command("audit", "verify")
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE core_auditevent ENABLE ALWAYS TRIGGER felles_audit_no_delete")
    assert missing_triggers(connection) == []  # 'A' fires in every session
    call_command("audit", "verify")


def documented_role_split() -> list[str]:
    """The GRANT/REVOKE block docs/operations.md tells the operator to run after every
    migrate, statement by statement: the test runs exactly what the documentation says."""
    text = (Path(settings.BASE_DIR) / "docs" / "operations.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sql\n(.*?)```", text, flags=re.DOTALL)
    (block,) = [b for b in blocks if "ON core_auditevent FROM felles_app" in b]
    return [s.strip() for s in block.split(";") if s.strip()]


@on_postgresql
def test_role_split_leaves_the_application_insert_and_select_only(
    chain: list[AuditEvent], actor: Actor
) -> None:
    app = f"felles_app_test_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {app} NOLOGIN")
        for statement in documented_role_split():
            cursor.execute(statement.replace("felles_app", app))
        cursor.execute(f"SET ROLE {app}")
    try:
        # The application still works: an audited write appends to the chain.
        services.save_unit(
            actor=actor,
            organisation=Organisation.objects.get(abbreviation="KUD"),
            code="R1",
            name="Rolledelt avdeling",
            kind="department",
        )
        assert AuditEvent.objects.count() == len(chain) + 1
        settle_deferred_checks()
        for sql in (
            "UPDATE core_auditevent SET object_repr = 'x'",
            "DELETE FROM core_auditevent",
            "TRUNCATE core_auditevent CASCADE",
            "ALTER TABLE core_auditevent DISABLE TRIGGER USER",
            "SELECT set_config('felles.audit_maintenance', 'on', false); "
            "DELETE FROM core_auditevent",
        ):
            message = refused(sql)
            assert "permission denied" in message or "must be owner" in message, message
        # Even if the operator forgot the REVOKE (or granted DELETE later), the maintenance
        # setting does not let a role without the owner's rights delete: any role can set a
        # custom setting, so the trigger also asks who is asking.
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
            cursor.execute(f"GRANT DELETE, TRUNCATE ON core_auditevent TO {app}")
            cursor.execute(f"SET ROLE {app}")
        for sql in (
            "SET felles.audit_maintenance = 'on'; DELETE FROM core_auditevent "
            "WHERE sequence = (SELECT max(sequence) FROM core_auditevent)",
            "SELECT set_config('felles.audit_maintenance', 'on', false); "
            "DELETE FROM core_auditevent",
            "SET felles.audit_maintenance = 'on'; TRUNCATE core_auditevent CASCADE",
        ):
            assert "kan ikke endres eller slettes" in refused(sql)
        assert AuditEvent.objects.count() == len(chain) + 1
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


@on_postgresql
def test_audit_table_keeps_no_unused_like_indexes(db: Any) -> None:
    """core 0007: the audit log's text columns keep their plain indexes (read by equality)
    but not the `varchar_pattern_ops` ones Django adds on PostgreSQL, which nothing reads;
    its reverse puts them back."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "felles.core.migrations.0007_drop_unused_audit_like_indexes"
    )

    def indexes() -> dict[str, str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s",
                [AuditEvent._meta.db_table],
            )
            return dict(cursor.fetchall())

    found = indexes()
    assert not [name for name, sql in found.items() if "pattern_ops" in sql]
    for column in migration.FIELDS:
        assert any(f"({column})" in sql for sql in found.values()), column
    with transaction.atomic(), connection.schema_editor(atomic=False) as editor:
        migration.create(apps, editor)
        assert len([sql for sql in indexes().values() if "pattern_ops" in sql]) == 4
        transaction.set_rollback(True)
    assert indexes() == found
