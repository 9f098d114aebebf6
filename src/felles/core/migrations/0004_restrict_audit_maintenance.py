"""The PostgreSQL guard on audit events lets a DELETE or TRUNCATE through in maintenance
mode only for the table's owner. Migration 0003 trusted the session setting
`felles.audit_maintenance` alone, and any role may set a custom setting: the application's
role (or anyone else with DELETE on the table) could switch it on and delete events. Now the
setting counts only for a role that has the owner's rights (the owner, a member of it, a
superuser): exactly the roles that could `ALTER TABLE … DISABLE TRIGGER` anyway.

SQLite has no roles; its guard is unchanged (see felles.core.audit_protection).

The SQL is written out here rather than imported, so that this migration keeps meaning what
it meant when it was applied. `felles audit guard` runs 0003 and then this."""

from django.db import migrations

POSTGRESQL_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION felles_audit_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'TRUNCATE')
           AND current_setting('felles.audit_maintenance', true) = 'on'
           AND EXISTS (
               SELECT 1 FROM pg_catalog.pg_class
               WHERE oid = TG_RELID AND pg_catalog.pg_has_role(current_user, relowner, 'USAGE')
           ) THEN
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
]
# Back to 0003's function (the setting alone lets a DELETE through).
POSTGRESQL_REMOVE = [
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
]

STATEMENTS = {
    "postgresql": (POSTGRESQL_INSTALL, POSTGRESQL_REMOVE),
    "sqlite": ([], []),
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
        ("core", "0003_protect_audit_events"),
    ]

    operations = [
        migrations.RunPython(install, remove, elidable=False),
    ]
