"""Issue 19 follow-up: the identity an onboarding order is matched on in the HR import
(e-mail or employee number, never the name alone) and its two fields on the seed bundles'
forms; bundle parents marked as containers; and the catalogue revision follows the bundle
table (the order form and the API refuse a bundle service from a per-revision cache)."""

from django.db import migrations, models

from felles.catalog.migrations._revision import reinstall_sqlite_triggers

TABLE = "bundles_bundle"
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
        reinstall_sqlite_triggers(schema_editor, [TABLE])
    elif vendor == "postgresql":
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_revise AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {TABLE} FOR EACH STATEMENT EXECUTE FUNCTION catalog_revise()"
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
    if vendor == "sqlite":
        for event in ("insert", "update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_revise_{event}")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_revise ON {TABLE}")


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
