"""Issue 19 follow-up: the identity an onboarding order is matched on in the HR import
(e-mail or employee number, never the name alone) and its two fields on the seed bundles'
forms; bundle parents marked as containers; and the catalogue revision follows the bundle
tables (the order form and the API refuse a bundle service, and a bundle order reads its
items, from a per-revision cache). A later migration that alters one of these tables on
SQLite must put the triggers back (catalog.migrations._revision)."""

from django.db import migrations, models

from felles.catalog.migrations._revision import reinstall_sqlite_triggers

TABLES = ["bundles_bundle", "bundles_bundleitem"]
IDENTITY = [
    {
        "key": "epost",
        "label_nb": "E-postadresse (om kjent)",
        "label_en": "E-mail address (if known)",
        "kind": "text",
        "required": False,
        "help_text": "",
        "choices": [],
        "private": True,
    },
    {
        "key": "ansattnummer",
        "label_nb": "Ansattnummer (om kjent)",
        "label_en": "Employee number (if known)",
        "kind": "text",
        "required": False,
        "help_text": "",
        "choices": [],
        "private": True,
    },
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        reinstall_sqlite_triggers(schema_editor, TABLES)
    elif vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_revise AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION catalog_revise()"
            )
    Order = apps.get_model("orders", "Order")
    Order.objects.filter(bundle_order__isnull=False).update(container=True)
    Bundle = apps.get_model("bundles", "Bundle")
    for bundle in Bundle.objects.all():
        keys = {f["key"] for f in bundle.fields}
        missing = [f for f in IDENTITY if f["key"] not in keys]
        if missing:
            bundle.fields = [*bundle.fields[:1], *missing, *bundle.fields[1:]]
            bundle.save(update_fields=["fields"])


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_revise_{event}")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_revise ON {table}")


class Migration(migrations.Migration):
    dependencies = [
        ("bundles", "0002_bundleorder_person"),
        ("orders", "0005_order_container"),
        ("catalog", "0002_catalogue_revision"),
    ]

    operations = [
        migrations.AddField(
            model_name="bundleorder",
            name="person_email",
            field=models.EmailField(blank=True, max_length=254, verbose_name="e-post"),
        ),
        migrations.AddField(
            model_name="bundleorder",
            name="person_employee_number",
            field=models.CharField(blank=True, max_length=40, verbose_name="ansattnummer"),
        ),
        migrations.RunPython(forward, backward),
    ]
