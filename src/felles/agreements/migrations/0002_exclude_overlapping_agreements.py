"""On PostgreSQL, two agreements in force (agreed, or later superseded or ended) between
the same provider and ministry whose periods overlap cannot both exist: an exclusion
constraint (GiST over the pair and the closed date range; an open end runs forever)
refuses the second even when both are put in force at the same moment.
`services.accept` turns the violation into a 409.

SQLite has no exclusion constraints: its writers are serialised (IMMEDIATE
transactions), so the service's check runs alone there. A no-op on SQLite, and in SQL
rather than `Meta.constraints` so `makemigrations --check` stays clean on both backends
(the pattern of invoicing 0004)."""

from django.db import migrations

CONSTRAINT = "agreement_periods_in_force_do_not_overlap"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE agreements_agreement ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist"
        " (provider_id WITH =, ministry_id WITH =,"
        " daterange(valid_from, valid_to, '[]') WITH &&)"
        " WHERE (status IN ('agreed', 'superseded', 'ended'))"
    )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE agreements_agreement DROP CONSTRAINT IF EXISTS {CONSTRAINT}"
    )


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_create_agreements")]

    operations = [migrations.RunPython(add_constraint, drop_constraint, elidable=False)]
