"""Jobs report how far they have come (a progress bar for long imports) and keep what they
returned for their result page."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_restrict_audit_maintenance"),
    ]

    operations = [
        migrations.AddField(
            model_name="job",
            name="progress_done",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="job",
            name="progress_total",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="job",
            name="progress_label",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="job",
            name="result",
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
