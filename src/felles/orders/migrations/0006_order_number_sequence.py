"""PostgreSQL: order numbers from one sequence instead of the year's counter row (see
`orders.services._common.order_numbers`). It starts after the highest number any year's
counter gave, so no number is given twice. SQLite keeps the counter rows."""

from django.db import migrations

SEQUENCE = "orders_order_number"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE SEQUENCE {SEQUENCE} AS bigint")
    schema_editor.execute(
        f"SELECT setval('{SEQUENCE}', COALESCE(MAX(last), 1), MAX(last) IS NOT NULL) "  # noqa: S608
        "FROM orders_ordercounter"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


class Migration(migrations.Migration):
    dependencies = [("orders", "0005_order_container")]

    operations = [migrations.RunPython(create, drop)]
