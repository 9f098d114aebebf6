"""FollowUp is gone: its rows are governance's action items (0002)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("preparedness", "0002_followups_become_action_items")]

    operations = [migrations.DeleteModel(name="FollowUp")]
