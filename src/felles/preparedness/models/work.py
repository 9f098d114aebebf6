"""Exercises, the government quarter's emergency stock, graded procurements and the
yearly self-report."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from felles.core.models import PublicModel
from felles.core.visibility import VisibleQuerySet
from felles.security.models import Level


class ExerciseQuerySet(VisibleQuerySet["Exercise"]):
    """`visible_to(user)`: `preparedness.selectors.visible_exercise_filter`."""


class ContractQuerySet(VisibleQuerySet["GradedContract"]):
    """`visible_to(user)`: `preparedness.selectors.visible_contract_filter`."""


class ReportQuerySet(VisibleQuerySet["SelfReport"]):
    """`visible_to(user)`: `preparedness.selectors.visible_report_filter`."""


class Exercise(PublicModel):
    """An exercise for one or several ministries: plan, scenario (unclassified outline),
    date, observers, evaluation; its lessons are follow-up actions."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planlagt")
        EVALUATED = "evaluated", _("Evaluert")

    title = models.CharField(_("tittel"), max_length=200)
    scenario = models.TextField(_("scenario (ugradert)"), max_length=4000)
    ministries = models.ManyToManyField(
        "organisations.Organisation", related_name="+", verbose_name=_("departementer")
    )
    planned_on = models.DateField(_("dato"))
    observers = models.CharField(_("observatører"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    evaluation = models.TextField(_("evaluering"), max_length=8000, blank=True)
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="+"
    )
    # Lessons with owners and deadlines: governance's action items.
    lessons = GenericRelation(
        "governance.ActionItem",
        content_type_field="subject_type",
        object_id_field="subject_id",
        verbose_name=_("læringspunkter"),
    )

    objects = ExerciseQuerySet.as_manager()

    class Meta:
        ordering = ["planned_on", "id"]
        verbose_name = _("øvelse")
        verbose_name_plural = _("øvelser")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="planned") | ~Q(evaluation=""),
                name="exercise_evaluated_has_text",
            )
        ]

    def __str__(self) -> str:
        return self.title


class StockItem(PublicModel):
    """An item in the emergency stock (egenberedskapslager) of the government quarter."""

    name = models.CharField(_("vare"), max_length=200)
    quantity = models.PositiveIntegerField(_("antall"))
    unit = models.CharField(_("enhet"), max_length=30, default="stk")
    location = models.CharField(_("lagerplass"), max_length=200)
    expires_on = models.DateField(_("utløper"), null=True, blank=True)
    reorder_level = models.PositiveIntegerField(_("bestillingsnivå"), default=0)
    check_months = models.PositiveSmallIntegerField(_("kontroll hver (måneder)"), default=6)
    next_check_on = models.DateField(_("neste kontroll"))

    class Meta:
        ordering = ["name", "location"]
        verbose_name = _("lagervare")
        verbose_name_plural = _("lagervarer")
        constraints = [
            models.CheckConstraint(
                condition=Q(check_months__gte=1, check_months__lte=24), name="stock_check_1_24"
            )
        ]

    def __str__(self) -> str:
        return self.name


class StockCheck(PublicModel):
    """A periodic check of one item, signed by the person who counted."""

    item = models.ForeignKey(StockItem, on_delete=models.CASCADE, related_name="checks")
    checked_on = models.DateField(_("kontrollert"))
    counted = models.PositiveIntegerField(_("telt antall"))
    note = models.CharField(_("merknad"), max_length=300, blank=True)
    signed_by = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-checked_on", "-id"]

    def __str__(self) -> str:
        return f"{self.item} {self.checked_on:%d.%m.%Y}"


class GradedContract(PublicModel):
    """A procurement with a security agreement: the supplier, the grading level of each
    part and the supplier's facility security clearance with its expiry."""

    ministry = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("departement"),
    )
    title = models.CharField(_("kontrakt"), max_length=200)
    supplier = models.CharField(_("leverandør"), max_length=200)
    agreement_on = models.DateField(_("sikkerhetsavtale inngått"))
    clearance_level = models.CharField(
        _("leverandørklarering"), max_length=20, choices=Level.choices, blank=True
    )
    clearance_expires_on = models.DateField(_("klarering utløper"), null=True, blank=True)
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reminded_on = models.DateField(null=True, blank=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["clearance_expires_on", "title"]
        verbose_name = _("gradert anskaffelse")
        verbose_name_plural = _("graderte anskaffelser")
        constraints = [
            models.CheckConstraint(
                condition=Q(clearance_level="") | Q(clearance_expires_on__isnull=False),
                name="contract_clearance_has_expiry",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ContractPart(PublicModel):
    """A part of a graded procurement and the level it is graded at."""

    contract = models.ForeignKey(GradedContract, on_delete=models.CASCADE, related_name="parts")
    description = models.CharField(_("del"), max_length=200)
    level = models.CharField(_("gradering"), max_length=20, choices=Level.choices)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description


QUESTIONS = {
    "governance": _("Er sikkerhetsstyringen (mål, roller og ansvar) dokumentert og oppdatert?"),
    "ros": _("Er det gjennomført eller vurdert en helhetlig ROS-analyse siste år?"),
    "exercise": _("Er det gjennomført minst én øvelse siste år?"),
    "incidents": _("Er alle hendelser håndtert og fulgt opp?"),
    "personnel": _("Er oversikten over autoriserte personer oppdatert (VF § 72)?"),
    "training": _("Har ansatte fått opplæring i sikkerhet siste år?"),
}


class SelfReport(PublicModel):
    """A ministry's yearly self-report of its security state (egenrapportering): one
    answer (yes / partly / no) per question in `preparedness.rules.SELF_REPORT_QUESTIONS`."""

    ministry = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    answers = models.JSONField(_("svar"), default=dict)
    comment = models.TextField(_("kommentar"), max_length=4000, blank=True)
    submitted_by = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "ministry__abbreviation"]
        verbose_name = _("egenrapportering")
        verbose_name_plural = _("egenrapporteringer")
        constraints = [
            models.UniqueConstraint(fields=["ministry", "year"], name="selfreport_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.ministry} {self.year}"
