"""For migrations: SQLite rebuilds a table to alter it and drops its triggers on the way, so
a migration that alters a table in 0002's `TABLES` puts that table's revision triggers back
with `reinstall_sqlite_triggers` (PostgreSQL keeps them)."""

REVISE = "UPDATE catalog_cataloguerevision SET token = lower(hex(randomblob(16)))"


def reinstall_sqlite_triggers(schema_editor, tables: list[str]) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in tables:
        for event in ("INSERT", "UPDATE", "DELETE"):
            name = f"{table}_revise_{event.lower()}"
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
            schema_editor.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {REVISE}; END"
            )
