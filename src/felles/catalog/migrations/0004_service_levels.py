"""Service levels per service (issue 18): effective-dated targets, opening hours and work
process in `ServiceLevel`. Each service's old single values (`targets`, `opening_hours`,
`work_process`) become its first level, valid from 1.1.2000 (Felles's earliest date), and
the old fields go. The new table gets revision triggers (ordering caches service
definitions with their levels), and catalog_service, rebuilt on SQLite, gets its back."""

import datetime as dt
import uuid
from decimal import Decimal

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

from felles.catalog.migrations._revision import reinstall_sqlite_triggers

PRIORITIES = ("low", "normal", "high", "critical")
# The uniform targets every service had before (business hours), for priorities a
# service's JSON lacked.
OLD_DEFAULTS = {"low": (16, 80), "normal": (8, 40), "high": (4, 16), "critical": (1, 8)}
OFFICE_DAY = "Hverdager 08:00–15:45 (sommer 08:00–15:00)"


def _hours(value, fallback):
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.01"))
    except ArithmeticError:
        return Decimal(fallback)
    return hours if hours.is_finite() and 0 < hours <= 2000 else Decimal(fallback)


def first_levels(apps, schema_editor):
    Service = apps.get_model("catalog", "Service")
    ServiceLevel = apps.get_model("catalog", "ServiceLevel")
    for service in Service.objects.all().iterator():
        targets = service.targets if isinstance(service.targets, dict) else {}
        values = {}
        for p in PRIORITIES:
            given = targets.get(p) if isinstance(targets.get(p), dict) else {}
            response = min(_hours(given.get("response"), OLD_DEFAULTS[p][0]), Decimal(200))
            resolution = max(_hours(given.get("resolution"), OLD_DEFAULTS[p][1]), response)
            values[f"{p}_response"], values[f"{p}_resolution"] = response, resolution
        ServiceLevel.objects.create(
            service=service,
            valid_from=dt.date(2000, 1, 1),
            opening_hours=(service.opening_hours or OFFICE_DAY)[:200],
            work_process=service.work_process,
            basis="Overført fra tjenestens tidligere servicemål.",
            **values,
        )


def old_fields(apps, schema_editor):
    """Backwards: the old fields from each service's current level."""
    Service = apps.get_model("catalog", "Service")
    ServiceLevel = apps.get_model("catalog", "ServiceLevel")
    for service in Service.objects.all().iterator():
        level = ServiceLevel.objects.filter(service=service).order_by("-valid_from").first()
        if level is None:
            continue
        service.targets = {
            p: {
                "response": float(getattr(level, f"{p}_response")),
                "resolution": float(getattr(level, f"{p}_resolution")),
            }
            for p in PRIORITIES
        }
        service.opening_hours = level.opening_hours[:100]
        service.work_process = level.work_process
        service.save(update_fields=["targets", "opening_hours", "work_process"])


REVISE_PG = (
    "CREATE TRIGGER catalog_servicelevel_revise AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
    "ON catalog_servicelevel FOR EACH STATEMENT EXECUTE FUNCTION catalog_revise()"
)


def triggers(apps, schema_editor):
    """Writes to levels change the catalogue revision (ordering caches definitions with
    their levels); SQLite's rebuild of catalog_service dropped that table's triggers."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS catalog_servicelevel_revise ON catalog_servicelevel"
        )
        schema_editor.execute(REVISE_PG)
    reinstall_sqlite_triggers(schema_editor, ["catalog_service", "catalog_servicelevel"])


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS catalog_servicelevel_revise ON catalog_servicelevel"
        )
    elif schema_editor.connection.vendor == "sqlite":
        for event in ("insert", "update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS catalog_servicelevel_revise_{event}")


def service_triggers(apps, schema_editor):
    reinstall_sqlite_triggers(schema_editor, ["catalog_service"])


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_service_confidentiality"),
    ]

    operations = [
        # Backwards the old fields come back after the triggers went: put them back last.
        migrations.RunPython(migrations.RunPython.noop, service_triggers),
        migrations.CreateModel(
            name="ServiceLevel",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("valid_from", models.DateField(verbose_name="gyldig fra")),
                ("valid_to", models.DateField(blank=True, null=True, verbose_name="gyldig til")),
                (
                    "low_response",
                    models.DecimalField(
                        decimal_places=2, max_digits=6, verbose_name="lav: første svar"
                    ),
                ),
                (
                    "low_resolution",
                    models.DecimalField(
                        decimal_places=2, max_digits=6, verbose_name="lav: løst innen"
                    ),
                ),
                (
                    "normal_response",
                    models.DecimalField(
                        decimal_places=2, max_digits=6, verbose_name="normal: første svar"
                    ),
                ),
                (
                    "normal_resolution",
                    models.DecimalField(
                        decimal_places=2, max_digits=6, verbose_name="normal: løst innen"
                    ),
                ),
                (
                    "high_response",
                    models.DecimalField(
                        decimal_places=2, max_digits=6, verbose_name="høy: første svar"
                    ),
                ),
                (
                    "high_resolution",
                    models.DecimalField(
                        decimal_places=2, max_digits=6, verbose_name="høy: løst innen"
                    ),
                ),
                (
                    "critical_response",
                    models.DecimalField(
                        decimal_places=2, max_digits=6, verbose_name="kritisk: første svar"
                    ),
                ),
                (
                    "critical_resolution",
                    models.DecimalField(
                        decimal_places=2, max_digits=6, verbose_name="kritisk: løst innen"
                    ),
                ),
                ("opening_hours", models.CharField(max_length=200, verbose_name="åpningstid")),
                ("work_process", models.TextField(blank=True, verbose_name="arbeidsprosess")),
                ("basis", models.CharField(blank=True, max_length=300, verbose_name="grunnlag")),
                (
                    "service",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="levels",
                        to="catalog.service",
                    ),
                ),
            ],
            options={
                "verbose_name": "servicenivå",
                "verbose_name_plural": "servicenivåer",
                "ordering": ["-valid_from"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("valid_to__isnull", True),
                            ("valid_to__gte", models.F("valid_from")),
                            _connector="OR",
                        ),
                        name="level_period_ordered",
                    ),
                    models.UniqueConstraint(
                        fields=("service", "valid_from"), name="level_start_once"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("low_response__gt", 0),
                            ("low_response__lte", 200),
                            ("low_resolution__gte", models.F("low_response")),
                            ("low_resolution__lte", 2000),
                        ),
                        name="level_low_targets_ordered",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("normal_response__gt", 0),
                            ("normal_response__lte", 200),
                            ("normal_resolution__gte", models.F("normal_response")),
                            ("normal_resolution__lte", 2000),
                        ),
                        name="level_normal_targets_ordered",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("high_response__gt", 0),
                            ("high_response__lte", 200),
                            ("high_resolution__gte", models.F("high_response")),
                            ("high_resolution__lte", 2000),
                        ),
                        name="level_high_targets_ordered",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("critical_response__gt", 0),
                            ("critical_response__lte", 200),
                            ("critical_resolution__gte", models.F("critical_response")),
                            ("critical_resolution__lte", 2000),
                        ),
                        name="level_critical_targets_ordered",
                    ),
                ],
            },
        ),
        migrations.RunPython(first_levels, old_fields),
        migrations.RemoveField(
            model_name="service",
            name="opening_hours",
        ),
        migrations.RemoveField(
            model_name="service",
            name="targets",
        ),
        migrations.RemoveField(
            model_name="service",
            name="work_process",
        ),
        migrations.RunPython(triggers, drop_triggers),
    ]
