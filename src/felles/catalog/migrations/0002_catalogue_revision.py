"""The catalogue revision row and the triggers that change its token on every write to
the tables ordering reads (see `CatalogueRevision`)."""

import secrets

from django.db import migrations, models

TABLES = [
    "catalog_service",
    "catalog_formfield",
    "catalog_priceversion",
    "catalog_serviceavailability",
    "catalog_service_approver_group",
]
REVISE = "UPDATE catalog_cataloguerevision SET token = {value}"


def install(apps, schema_editor):
    apps.get_model("catalog", "CatalogueRevision").objects.create(pk=1, token=secrets.token_hex(16))
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "CREATE FUNCTION catalog_revise() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            + REVISE.format(value="md5(random()::text || clock_timestamp()::text)")
            + "; RETURN NULL; END $$"
        )
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_revise AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION catalog_revise()"
            )
    elif vendor == "sqlite":
        for table in TABLES:
            for event in ("INSERT", "UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_revise_{event.lower()} AFTER {event} ON {table} "
                    "BEGIN " + REVISE.format(value="lower(hex(randomblob(16)))") + "; END"
                )
    # Other databases get no triggers; selectors.catalogue_revision() then caches nothing.


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_revise ON {table}")
        schema_editor.execute("DROP FUNCTION IF EXISTS catalog_revise()")
    elif vendor == "sqlite":
        for table in TABLES:
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_revise_{event}")


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_create_catalogue"),
    ]

    operations = [
        migrations.CreateModel(
            name="CatalogueRevision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=64)),
            ],
        ),
        migrations.RunPython(install, uninstall),
    ]
