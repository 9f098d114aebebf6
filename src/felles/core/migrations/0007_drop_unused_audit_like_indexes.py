"""Drop the four `LIKE`-pattern indexes PostgreSQL got for the audit log's text columns.

Django gives every indexed or unique `CharField` on PostgreSQL a second index with
`varchar_pattern_ops` (`…_like`), used only by `LIKE 'prefix%'` (`__startswith`). Nothing
searches the audit log by a prefix of its action, object type, object id or hash (the audit
page and the checkpoints read them by equality), so those four indexes were written on
every audited write and never read: for 200,000 events 40 % of the audit table's index
space (102 → 62 MB) and a quarter of the time to insert them in bulk (8.0 → 6.1 s,
measured on a copy of the table, 4 December 2026).

The model state is unchanged (the fields keep `db_index`/`unique` and their plain indexes).
A later `AlterField` of one of these columns on PostgreSQL would make Django create its
`_like` index again; drop it in that migration too. SQLite has no such indexes."""

from django.db import migrations

FIELDS = ("action", "object_type", "object_id", "hash")


def _like_indexes(apps, schema_editor, create: bool) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("core", "AuditEvent")
    for name in FIELDS:
        field = model._meta.get_field(name)
        if create:
            sql = schema_editor._create_like_index_sql(model, field)
            if sql is not None:  # a varchar column, as 0001 made it
                schema_editor.execute(sql)
        else:
            index = schema_editor._create_index_name(
                model._meta.db_table, [field.column], suffix="_like"
            )
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(index)}")


def drop(apps, schema_editor) -> None:
    _like_indexes(apps, schema_editor, create=False)


def create(apps, schema_editor) -> None:
    _like_indexes(apps, schema_editor, create=True)


class Migration(migrations.Migration):
    dependencies = [("core", "0006_add_mail_outbox")]

    operations = [migrations.RunPython(drop, create, elidable=False)]
