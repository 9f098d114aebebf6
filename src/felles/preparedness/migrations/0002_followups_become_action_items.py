"""The one action-item mechanism: preparedness's follow-ups (an incident's actions, an
analysis's measures, an exercise's lessons) become governance's action items on their
record (`subject`), a measure's risk its `about`. Same uuid, text, owner, deadline, done
date, creation and update time (`updated_at` is auto_now, which `bulk_create` overwrites,
so it is set again with `update()` afterwards: `_keep_updated_at`). Reversible (back into FollowUp). The table goes in the next
migration, in a transaction of its own (PostgreSQL refuses to alter tables with pending
deferred constraint checks)."""

from django.db import migrations

PARENTS = (("incident", "incident"), ("analysis", "analysis"), ("exercise", "exercise"))


def _type(apps, model):
    content_type = apps.get_model("contenttypes", "ContentType")
    return content_type.objects.get_or_create(app_label="preparedness", model=model)[0]


def _keep_updated_at(source, target):
    """`target`'s rows get back the update time of `source`'s row with the same uuid
    (a queryset's `update()` leaves auto_now alone)."""
    for uuid, updated_at in source.values_list("uuid", "updated_at").iterator():
        target.filter(uuid=uuid).update(updated_at=updated_at)


def forward(apps, schema_editor):
    follow_up = apps.get_model("preparedness", "FollowUp")
    action_item = apps.get_model("governance", "ActionItem")
    risk_type = None
    batch = []
    for row in follow_up.objects.order_by("pk").iterator():
        field, model = next((f, m) for f, m in PARENTS if getattr(row, f"{f}_id") is not None)
        about = {}
        if row.risk_id is not None:
            risk_type = risk_type or _type(apps, "risk")
            about = {"about_type": risk_type, "about_id": row.risk_id}
        batch.append(
            action_item(
                uuid=row.uuid,
                created_at=row.created_at,
                updated_at=row.updated_at,
                subject_type=_type(apps, model),
                subject_id=getattr(row, f"{field}_id"),
                text=row.text,
                owner_id=row.owner_id,
                due_on=row.due_on,
                done_on=row.done_on,
                **about,
            )
        )
    action_item.objects.bulk_create(batch, batch_size=500)
    _keep_updated_at(follow_up.objects.all(), action_item.objects.all())


def backward(apps, schema_editor):
    follow_up = apps.get_model("preparedness", "FollowUp")
    action_item = apps.get_model("governance", "ActionItem")
    items = action_item.objects.filter(subject_type__app_label="preparedness")
    batch = []
    for item in items.select_related("subject_type", "about_type").order_by("pk").iterator():
        model = item.subject_type.model
        risk = item.about_id if item.about_type and item.about_type.model == "risk" else None
        batch.append(
            follow_up(
                uuid=item.uuid,
                created_at=item.created_at,
                updated_at=item.updated_at,
                **{f"{model}_id": item.subject_id},
                risk_id=risk,
                text=item.text,
                owner_id=item.owner_id,
                due_on=item.due_on,
                done_on=item.done_on,
            )
        )
    follow_up.objects.bulk_create(batch, batch_size=500)
    _keep_updated_at(items, follow_up.objects.all())
    items.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("governance", "0005_action_subjects"),
        ("preparedness", "0001_create_preparedness"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
