"""Security incidents. Their follow-up actions are governance's action items (`actions`)."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from felles.core.models import PublicModel
from felles.core.visibility import VisibleQuerySet


class IncidentQuerySet(VisibleQuerySet["Incident"]):
    """`visible_to(user)`: `preparedness.selectors.visible_incident_filter`."""


class Incident(PublicModel):
    """A security incident reported by an employee: what kind, when, how serious and whether
    it must be reported on to NSM or the police. A short description, never graded
    information."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("Uautorisert tilgang")
        LOSS = "loss", _("Tap av utstyr eller dokumenter")
        HANDLING = "handling", _("Brudd på regler for håndtering")
        PHYSICAL = "physical", _("Fysisk inntrenging eller skadeverk")
        DIGITAL = "digital", _("Digital hendelse")
        THREAT = "threat", _("Trusler eller uønsket oppmerksomhet")
        OTHER = "other", _("Annet")

    class Severity(models.IntegerChoices):
        LOW = 1, _("Lav")
        MODERATE = 2, _("Moderat")
        SERIOUS = 3, _("Alvorlig")
        CRITICAL = 4, _("Kritisk")

    class Status(models.TextChoices):
        OPEN = "open", _("Åpen")
        CLOSED = "closed", _("Avsluttet")

    ministry = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("departement"),
    )
    reported_by = models.ForeignKey(
        "organisations.Person",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("meldt av"),
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("tidspunkt"))
    severity = models.PositiveSmallIntegerField(_("alvorlighet"), choices=Severity.choices)
    report_nsm = models.BooleanField(_("skal rapporteres til NSM"), default=False)
    report_police = models.BooleanField(_("skal anmeldes til politiet"), default=False)
    summary = models.TextField(_("kort beskrivelse"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    closed_at = models.DateTimeField(_("avsluttet"), null=True, blank=True)
    # Follow-up actions with owners and deadlines: governance's action items.
    actions = GenericRelation(
        "governance.ActionItem",
        content_type_field="subject_type",
        object_id_field="subject_id",
        verbose_name=_("tiltak"),
    )

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = _("sikkerhetshendelse")
        verbose_name_plural = _("sikkerhetshendelser")
        indexes = [models.Index(fields=["ministry", "occurred_at"], name="incident_ministry")]
        constraints = [
            models.CheckConstraint(
                condition=Q(severity__gte=1, severity__lte=4), name="incident_severity_1_4"
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_at__isnull=False),
                name="incident_closed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%d.%m.%Y}"
