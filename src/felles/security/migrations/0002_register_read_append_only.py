"""The register's read log is append-only: the database refuses an UPDATE of a row on both
backends (as orders' read log, orders 0004). The SQL is written out here so that this
migration keeps meaning what it meant when applied."""

from django.db import migrations

POSTGRESQL_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION felles_security_read_refuse_update() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'Leseloggen kan ikke endres (UPDATE avvist).'
            USING ERRCODE = 'insufficient_privilege';
    END
    $$
    """,
    "DROP TRIGGER IF EXISTS felles_security_read_no_update ON security_registerread",
    "CREATE TRIGGER felles_security_read_no_update BEFORE UPDATE ON security_registerread "
    "FOR EACH ROW EXECUTE FUNCTION felles_security_read_refuse_update()",
]
POSTGRESQL_REMOVE = [
    "DROP TRIGGER IF EXISTS felles_security_read_no_update ON security_registerread",
    "DROP FUNCTION IF EXISTS felles_security_read_refuse_update()",
]
SQLITE_INSTALL = [
    "DROP TRIGGER IF EXISTS felles_security_read_no_update",
    "CREATE TRIGGER felles_security_read_no_update BEFORE UPDATE ON security_registerread "
    "BEGIN SELECT RAISE(ABORT, 'Leseloggen kan ikke endres (UPDATE avvist).'); END",
]
SQLITE_REMOVE = ["DROP TRIGGER IF EXISTS felles_security_read_no_update"]
STATEMENTS = {
    "postgresql": (POSTGRESQL_INSTALL, POSTGRESQL_REMOVE),
    "sqlite": (SQLITE_INSTALL, SQLITE_REMOVE),
}


def _run(schema_editor, index):
    statements = STATEMENTS.get(schema_editor.connection.vendor)
    if statements is None:
        return
    for sql in statements[index]:
        schema_editor.execute(sql, params=None)


def install(apps, schema_editor):
    _run(schema_editor, 0)


def remove(apps, schema_editor):
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [("security", "0001_create_register")]

    operations = [migrations.RunPython(install, remove, elidable=False)]
