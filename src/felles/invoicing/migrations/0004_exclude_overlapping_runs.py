"""On PostgreSQL, two invoice runs of one provider whose periods overlap cannot both exist:
an exclusion constraint (GiST over the provider and the closed date range of the period)
refuses the second even when both are inserted at the same moment. `services.create_run`
turns the violation into a 409.

SQLite has no exclusion constraints and needs none: its writers are serialised (IMMEDIATE
transactions), so the check in `create_run` runs alone. This migration is a no-op there.
The rule lives in SQL, not in `InvoiceRun.Meta.constraints`, because a Meta constraint would
be created on SQLite too; `makemigrations --check` therefore stays clean on both backends.
"""

from django.db import migrations

CONSTRAINT = "invoicerun_periods_do_not_overlap"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.id, b.id FROM invoicing_invoicerun a JOIN invoicing_invoicerun b"
            " ON a.provider_id = b.provider_id AND a.id < b.id"
            " AND a.period_start <= b.period_end AND b.period_start <= a.period_end"
        )
        overlapping = cursor.fetchall()
    if overlapping:
        raise RuntimeError(
            f"Invoice runs overlap (id pairs {overlapping}): discard one of each pair before "
            "migrating."
        )
    # btree_gist gives GiST the `=` on provider_id; it is a trusted extension (PostgreSQL 13+),
    # so the database owner can create it without being a superuser.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE invoicing_invoicerun ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist"
        " (provider_id WITH =, daterange(period_start, period_end, '[]') WITH &&)"
    )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE invoicing_invoicerun DROP CONSTRAINT IF EXISTS {CONSTRAINT}"
    )


class Migration(migrations.Migration):
    dependencies = [("invoicing", "0003_usage_fewer_indexes")]

    operations = [migrations.RunPython(add_constraint, drop_constraint, elidable=False)]
