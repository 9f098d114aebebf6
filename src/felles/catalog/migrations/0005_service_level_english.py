"""English companions of a service level's opening hours and work process, for the English
service pages (bokmål when blank). SQLite rebuilds catalog_servicelevel to add (and, going
back, to drop) the columns, which drops its revision triggers: both directions put them back."""

from django.db import migrations, models

from felles.catalog.migrations._revision import reinstall_sqlite_triggers


def triggers(apps, schema_editor):
    reinstall_sqlite_triggers(schema_editor, ["catalog_servicelevel"])


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_service_levels"),
    ]

    operations = [
        # Backwards the columns go after this runs: it puts the triggers back last.
        migrations.RunPython(migrations.RunPython.noop, triggers),
        migrations.AddField(
            model_name="servicelevel",
            name="opening_hours_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="åpningstid (engelsk)"),
        ),
        migrations.AddField(
            model_name="servicelevel",
            name="work_process_en",
            field=models.TextField(blank=True, verbose_name="arbeidsprosess (engelsk)"),
        ),
        migrations.RunPython(triggers, migrations.RunPython.noop),
    ]
