"""A run claims usage through `UsageClaim` (one narrow row per claimed usage record)
instead of `UsageRecord.run`: claiming a million records inserted a million narrow rows
in 2 s where rewriting the usage rows (every index of each, and a foreign-key check per
row) took 17 s on PostgreSQL. Existing claims are copied before the column goes.
docs/invoicing.md has the reasoning."""

import django.db.models.deletion
from django.db import migrations, models


def copy_claims(apps, schema_editor):
    schema_editor.execute(
        "INSERT INTO invoicing_usageclaim (usage_id, run_id)"
        " SELECT id, run_id FROM invoicing_usagerecord WHERE run_id IS NOT NULL"
    )


def copy_back(apps, schema_editor):
    schema_editor.execute(
        "UPDATE invoicing_usagerecord SET run_id = ("
        "SELECT c.run_id FROM invoicing_usageclaim c"
        " WHERE c.usage_id = invoicing_usagerecord.id)"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_catalogue_revision"),
        ("invoicing", "0004_exclude_overlapping_runs"),
        ("orders", "0002_order_buyer_reference"),
        ("organisations", "0001_create_organisations_people"),
    ]

    operations = [
        migrations.CreateModel(
            name="UsageClaim",
            fields=[
                (
                    "usage",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="claim",
                        serialize=False,
                        to="invoicing.usagerecord",
                    ),
                ),
                (
                    "run",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="claims",
                        to="invoicing.invoicerun",
                    ),
                ),
            ],
        ),
        migrations.RunPython(copy_claims, copy_back, elidable=False),
        migrations.RemoveIndex(model_name="usagerecord", name="usage_billing"),
        migrations.RemoveField(model_name="usagerecord", name="run"),
        migrations.AddIndex(
            model_name="usagerecord",
            index=models.Index(fields=["provider", "usage_date"], name="usage_provider_date"),
        ),
    ]
