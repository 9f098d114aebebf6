"""Drop the four `LIKE`-pattern indexes PostgreSQL got for the audit log's text columns.

Django gives every indexed or unique `CharField` on PostgreSQL a second index with
`varchar_pattern_ops` (`…_like`), used only by `LIKE 'prefix%'` (`__startswith`). Nothing
searches the audit log by a prefix of its action, object type, object id or hash (the audit
page and the checkpoints read them by equality), so those four indexes were written on
every audited write and never read: 40 % of
the audit table's index space (102 → 62 MB for 200,000 events, `bench_cg`, 4 December 2026)
and ≈ 10 µs of PostgreSQL's time per event.

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
            schema_editor.execute(schema_editor._create_like_index_sql(model, field))
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
