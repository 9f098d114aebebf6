"""One open authorisation per person, whatever the level (an upgrade ends the lower one)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("security", "0002_register_read_append_only")]

    operations = [
        migrations.RemoveConstraint(
            model_name="authorisation", name="authorisation_one_open_per_level"
        ),
        migrations.AddConstraint(
            model_name="authorisation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("ended_on__isnull", True)),
                fields=("person",),
                name="authorisation_one_open_per_person",
            ),
        ),
    ]
