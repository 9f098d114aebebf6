"""PostgreSQL: order numbers from one sequence instead of the year's counter row (see
`orders.services._common.order_numbers`). SQLite keeps the counter rows.

Forward, the sequence goes past every number given so far: the counters' and the orders'
own (a backup from before this migration, restored over a database that has the sequence,
keeps the sequence: it is moved, not created twice). Backward, each year's counter goes past
the numbers the sequence gave that year, so the counter never hands out one again."""

from django.db import migrations

SEQUENCE = "orders_order_number"

# The number after the year in B-<year>-<number>, of the orders whose number has that form.
ISSUED = "CAST(split_part(number, '-', 3) AS bigint)"
NUMBERED = "number ~ '^B-[0-9]{4}-[0-9]+$'"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE} AS bigint")
    schema_editor.execute(
        f"SELECT setval('{SEQUENCE}', GREATEST(highest, 1), highest > 0) FROM ("  # noqa: S608
        "  SELECT GREATEST("
        "    COALESCE((SELECT MAX(last) FROM orders_ordercounter), 0),"
        f"   COALESCE((SELECT MAX({ISSUED}) FROM orders_order WHERE {NUMBERED}), 0)"
        "  ) AS highest"
        ") AS issued"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "INSERT INTO orders_ordercounter (year, last) "  # noqa: S608
        f"SELECT CAST(split_part(number, '-', 2) AS smallint), MAX({ISSUED}) "
        f"FROM orders_order WHERE {NUMBERED} GROUP BY 1 "
        "ON CONFLICT (year) DO UPDATE SET last = GREATEST(orders_ordercounter.last, EXCLUDED.last)"
    )
    schema_editor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


class Migration(migrations.Migration):
    dependencies = [("orders", "0005_order_container")]

    operations = [migrations.RunPython(create, drop)]
