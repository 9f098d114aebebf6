"""A run claims its usage through `ClaimGroup` (the ids of one aggregation group's usage
records in one array column, written in the statement that aggregates them) instead of one
`UsageClaim` row per usage record: inserting a million claim rows was 1.5 s of a 2.5 s run
on PostgreSQL. `invoicing_usageclaim` becomes a VIEW with the same columns over the groups,
so its readers are unchanged. Existing claims move into groups as a run writes them. On
PostgreSQL the arrays are stored uncompressed (STORAGE EXTERNAL), and the view unnests them
through a function whose row estimate the planner sees. Reversible: the way back recreates
the table (with its primary key) from the groups.
docs/invoicing.md («How a run claims its usage») has the reasoning."""

import django.db.models.deletion
from django.db import migrations, models

import felles.invoicing.models

# PostgreSQL estimates 10 elements for any unnested array column, so a join of a run's
# claims with the usage (a million ids) was planned as a million index lookups (review: 5.6
# s instead of 1.2 s; a line's drill-down: 3.9 s instead of 0.13 s). A set-returning SQL
# function declared STRICT is not inlined, so its ROWS estimate (a group's order of
# magnitude at the design volume) reaches the planner.
IDS_FUNCTION = (
    "CREATE FUNCTION invoicing_claimed_ids(ids bigint[]) RETURNS SETOF bigint"
    " LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE ROWS 1000 AS 'SELECT unnest(ids)'"
)
VIEW = {
    "postgresql": (
        "CREATE VIEW invoicing_usageclaim (usage_id, run_id) AS"
        " SELECT u.usage_id, g.run_id FROM invoicing_claimgroup g"
        " CROSS JOIN LATERAL invoicing_claimed_ids(g.usage_ids) AS u(usage_id)"
    ),
    "sqlite": (
        "CREATE VIEW invoicing_usageclaim (usage_id, run_id) AS"
        " SELECT CAST(j.value AS INTEGER), g.run_id"
        " FROM invoicing_claimgroup g, json_each(g.usage_ids) j"
    ),
}
USAGE_GROUP = (
    "u.ministry_id, u.funding, u.service_id, u.unit_price, u.unit_code, u.pass_through,"
    " u.external_reference, u.buyer_reference"
)
GROUPS = {
    "postgresql": "array_agg(c.usage_id ORDER BY c.usage_id)",
    "sqlite": "json_group_array(c.usage_id)",
}


def table_to_view(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # Stored out of line and uncompressed: compressing a run's arrays (8 MB for a
        # million ids) took 0.22 s of the run's 0.25 s of writing them (pglz).
        schema_editor.execute(
            "ALTER TABLE invoicing_claimgroup ALTER COLUMN usage_ids SET STORAGE EXTERNAL"
        )
    # One group per run and aggregation group (computation._GROUP), as a run writes them.
    schema_editor.execute(
        "INSERT INTO invoicing_claimgroup (run_id, provider_id, usage_ids)"  # noqa: S608
        f" SELECT c.run_id, r.provider_id, {GROUPS[vendor]}"
        " FROM invoicing_usageclaim c JOIN invoicing_invoicerun r ON r.id = c.run_id"
        " JOIN invoicing_usagerecord u ON u.id = c.usage_id"
        f" GROUP BY c.run_id, r.provider_id, {USAGE_GROUP}"
    )
    schema_editor.execute("DROP TABLE invoicing_usageclaim")
    if vendor == "postgresql":
        schema_editor.execute(IDS_FUNCTION)
    schema_editor.execute(VIEW[vendor])


def view_to_table(apps, schema_editor):
    schema_editor.execute(
        "CREATE TABLE invoicing_usageclaim_old AS SELECT * FROM invoicing_usageclaim"
    )
    schema_editor.execute("DROP VIEW invoicing_usageclaim")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS invoicing_claimed_ids(bigint[])")
    schema_editor.execute(
        "CREATE TABLE invoicing_usageclaim"
        " (usage_id bigint NOT NULL PRIMARY KEY, run_id bigint NOT NULL)"
    )
    schema_editor.execute(
        "INSERT INTO invoicing_usageclaim (usage_id, run_id)"
        " SELECT usage_id, run_id FROM invoicing_usageclaim_old"
    )
    schema_editor.execute("DROP TABLE invoicing_usageclaim_old")
    schema_editor.execute(
        "CREATE INDEX invoicing_usageclaim_run_id_f222f5a7 ON invoicing_usageclaim (run_id)"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("invoicing", "0005_claim_usage_by_reference"),
        ("organisations", "0001_create_organisations_people"),
    ]

    operations = [
        migrations.CreateModel(
            name="ClaimGroup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("usage_ids", felles.invoicing.models.IdArrayField()),
                (
                    "provider",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="organisations.organisation",
                    ),
                ),
                (
                    "run",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="claim_groups",
                        to="invoicing.invoicerun",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["provider", "run"], name="claimgroup_provider_run")
                ],
            },
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunPython(table_to_view, view_to_table, elidable=False),
            ],
            state_operations=[
                migrations.AlterModelOptions(name="usageclaim", options={"managed": False}),
                migrations.AlterModelTable(name="usageclaim", table="invoicing_usageclaim"),
                migrations.AlterField(
                    model_name="usageclaim",
                    name="run",
                    field=models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="claims",
                        to="invoicing.invoicerun",
                    ),
                ),
            ],
        ),
    ]
