"""The database itself refuses UPDATE and DELETE on audit events (and TRUNCATE on
PostgreSQL). A DELETE or TRUNCATE passes only on a connection in audit maintenance mode,
which only `felles flush` (emptying the whole database, as the test suite does between
transactional tests) switches on; see felles.core.audit_protection. UPDATE never passes.

The SQL is written out here rather than imported, so that this migration keeps meaning
what it meant when it was applied."""

from django.db import migrations

POSTGRESQL_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION felles_audit_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'TRUNCATE')
           AND current_setting('felles.audit_maintenance', true) = 'on' THEN
            IF TG_OP = 'DELETE' THEN
                RETURN OLD;
            END IF;
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'Revisjonshendelser kan ikke endres eller slettes (% avvist).', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END
    $$
    """,
    "DROP TRIGGER IF EXISTS felles_audit_no_update ON core_auditevent",
    "DROP TRIGGER IF EXISTS felles_audit_no_delete ON core_auditevent",
    "DROP TRIGGER IF EXISTS felles_audit_no_truncate ON core_auditevent",
    "CREATE TRIGGER felles_audit_no_update BEFORE UPDATE ON core_auditevent "
    "FOR EACH ROW EXECUTE FUNCTION felles_audit_refuse_change()",
    "CREATE TRIGGER felles_audit_no_delete BEFORE DELETE ON core_auditevent "
    "FOR EACH ROW EXECUTE FUNCTION felles_audit_refuse_change()",
    "CREATE TRIGGER felles_audit_no_truncate BEFORE TRUNCATE ON core_auditevent "
    "FOR EACH STATEMENT EXECUTE FUNCTION felles_audit_refuse_change()",
]
POSTGRESQL_REMOVE = [
    "DROP TRIGGER IF EXISTS felles_audit_no_update ON core_auditevent",
    "DROP TRIGGER IF EXISTS felles_audit_no_delete ON core_auditevent",
    "DROP TRIGGER IF EXISTS felles_audit_no_truncate ON core_auditevent",
    "DROP FUNCTION IF EXISTS felles_audit_refuse_change()",
]

# SQLite has no session settings: felles_audit_maintenance() is a function Felles registers
# on each of its own connections (0 unless maintenance is on). Any other client (the
# sqlite3 shell, another program) lacks it, so its DELETE fails as well.
SQLITE_INSTALL = [
    "DROP TRIGGER IF EXISTS felles_audit_no_update",
    "DROP TRIGGER IF EXISTS felles_audit_no_delete",
    "CREATE TRIGGER felles_audit_no_update BEFORE UPDATE ON core_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'Revisjonshendelser kan ikke endres (UPDATE avvist).'); END",
    "CREATE TRIGGER felles_audit_no_delete BEFORE DELETE ON core_auditevent "
    "WHEN NOT felles_audit_maintenance() "
    "BEGIN SELECT RAISE(ABORT, 'Revisjonshendelser kan ikke slettes (DELETE avvist).'); END",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS felles_audit_no_update",
    "DROP TRIGGER IF EXISTS felles_audit_no_delete",
]

STATEMENTS = {
    "postgresql": (POSTGRESQL_INSTALL, POSTGRESQL_REMOVE),
    "sqlite": (SQLITE_INSTALL, SQLITE_REMOVE),
}


def _run(schema_editor, index):
    statements = STATEMENTS.get(schema_editor.connection.vendor)
    if statements is None:
        return  # other databases are not supported by Felles
    for sql in statements[index]:
        schema_editor.execute(sql, params=None)


def install(apps, schema_editor):
    _run(schema_editor, 0)


def remove(apps, schema_editor):
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_add_job_lease"),
    ]

    operations = [
        migrations.RunPython(install, remove, elidable=False),
    ]
