"""The read log of restricted orders (issue 18): append-only. The database refuses an
UPDATE of a row on both backends; rows are deleted only by the retention job. The SQL is
written out here so that this migration keeps meaning what it meant when applied."""

import django.db.models.deletion
from django.db import migrations, models

POSTGRESQL_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION felles_order_read_refuse_update() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'Leseloggen kan ikke endres (UPDATE avvist).'
            USING ERRCODE = 'insufficient_privilege';
    END
    $$
    """,
    "DROP TRIGGER IF EXISTS felles_order_read_no_update ON orders_orderread",
    "CREATE TRIGGER felles_order_read_no_update BEFORE UPDATE ON orders_orderread "
    "FOR EACH ROW EXECUTE FUNCTION felles_order_read_refuse_update()",
]
POSTGRESQL_REMOVE = [
    "DROP TRIGGER IF EXISTS felles_order_read_no_update ON orders_orderread",
    "DROP FUNCTION IF EXISTS felles_order_read_refuse_update()",
]
SQLITE_INSTALL = [
    "DROP TRIGGER IF EXISTS felles_order_read_no_update",
    "CREATE TRIGGER felles_order_read_no_update BEFORE UPDATE ON orders_orderread "
    "BEGIN SELECT RAISE(ABORT, 'Leseloggen kan ikke endres (UPDATE avvist).'); END",
]
SQLITE_REMOVE = ["DROP TRIGGER IF EXISTS felles_order_read_no_update"]
STATEMENTS = {
    "postgresql": (POSTGRESQL_INSTALL, POSTGRESQL_REMOVE),
    "sqlite": (SQLITE_INSTALL, SQLITE_REMOVE),
}


def _run(schema_editor, index):
    statements = STATEMENTS.get(schema_editor.connection.vendor)
    if statements is None:
        return
    for sql in statements[index]:
        schema_editor.execute(sql, params=None)


def install(apps, schema_editor):
    _run(schema_editor, 0)


def remove(apps, schema_editor):
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0003_order_field_labels"),
        ("organisations", "0001_create_organisations_people"),
    ]

    operations = [
        migrations.CreateModel(
            name="OrderRead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("reader", models.CharField(max_length=150)),
                (
                    "route",
                    models.CharField(
                        choices=[
                            ("page", "Bestillingssiden"),
                            ("email", "Lenke i e-post"),
                            ("approval_link", "Godkjenningslenke"),
                            ("api", "API"),
                            ("export", "Eksport"),
                            ("feed", "Nyhetsstrøm"),
                            ("meeting_pack", "Møtepakke"),
                        ],
                        max_length=20,
                    ),
                ),
                ("read_at", models.DateTimeField(db_index=True)),
                (
                    "order",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reads",
                        to="orders.order",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organisations.person",
                    ),
                ),
            ],
            options={
                "ordering": ["-read_at", "-id"],
                "indexes": [
                    models.Index(fields=["order", "read_at"], name="order_read_order_time")
                ],
            },
        ),
        migrations.RunPython(install, remove, elidable=False),
    ]
