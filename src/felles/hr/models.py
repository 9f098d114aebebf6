"""HR as a shared service (model 1, DSS): aggregated figures only — no individual HR data.

- `Figure`: one aggregated number per ministry, period, measure and breakdown, from DFØ.
- `SurveyResult`: an employee-survey score per ministry, unit and topic, with the number
  of respondents behind it.
- `HrImport`: one row per import (file, checksum, counts) for the record.
- `Recruitment`: the key dates and Jobbnorge reference of an `hr-rekruttering` order;
  Jobbnorge holds the candidates.
- `SalaryChange`: a salary-change message to DFØ, placed as an order, with DFØ's case
  reference."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from felles.core.models import PublicModel
from felles.core.visibility import VisibleQuerySet


class Measure(models.TextChoices):
    HEADCOUNT = "headcount", _("Antall ansatte")
    FTE = "fte", _("Årsverk")
    TURNOVER = "turnover", _("Avganger (turnover)")
    SICK_LEAVE = "sick_leave", _("Sykefravær (prosent)")
    AGE_BAND = "age_band", _("Ansatte etter alder")
    GENDER = "gender", _("Ansatte etter kjønn")
    PART_TIME = "part_time", _("Ansatte etter stillingsandel")


# Measures that count people: small cells are suppressed (hr/rules.py).
COUNTS = frozenset(
    {Measure.HEADCOUNT, Measure.TURNOVER, Measure.AGE_BAND, Measure.GENDER, Measure.PART_TIME}
)


class Figure(PublicModel):
    ministry = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("departement"),
    )
    period = models.CharField(
        _("periode"), max_length=7, help_text=_("ÅÅÅÅ, ÅÅÅÅ-Kn eller ÅÅÅÅ-MM")
    )
    measure = models.CharField(_("måltall"), max_length=20, choices=Measure.choices)
    breakdown = models.CharField(_("inndeling"), max_length=60, blank=True)
    value = models.DecimalField(_("verdi"), max_digits=12, decimal_places=2)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["ministry__abbreviation", "period", "measure", "breakdown"]
        verbose_name = _("HR-tall")
        verbose_name_plural = _("HR-tall")
        constraints = [
            models.UniqueConstraint(
                fields=("ministry", "period", "measure", "breakdown"), name="hr_figure_once"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="hr_figure_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.ministry_id} {self.period} {self.measure} {self.breakdown}"


class SurveyResult(PublicModel):
    ministry = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("departement"),
    )
    period = models.CharField(_("periode"), max_length=7)
    unit = models.CharField(_("enhet"), max_length=100, blank=True)
    topic = models.CharField(_("tema"), max_length=100)
    respondents = models.PositiveIntegerField(_("svar"))
    score = models.DecimalField(_("skår"), max_digits=5, decimal_places=2)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["ministry__abbreviation", "period", "topic", "unit"]
        verbose_name = _("resultat fra medarbeiderundersøkelse")
        verbose_name_plural = _("resultater fra medarbeiderundersøkelse")
        constraints = [
            models.UniqueConstraint(
                fields=("ministry", "period", "unit", "topic"), name="hr_survey_once"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100), name="hr_survey_score_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ministry_id} {self.period} {self.unit} {self.topic}"


class HrImport(PublicModel):
    class Kind(models.TextChoices):
        STATISTICS = "statistics", _("HR-statistikk")
        SURVEY = "survey", _("Medarbeiderundersøkelse")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    filename = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    imported_by_label = models.CharField(max_length=200)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename


class Recruitment(PublicModel):
    """The recruitment an `hr-rekruttering` order asked for: the key dates and the Jobbnorge
    reference. The steps themselves are the order's tasks (the service's task template)."""

    order = models.OneToOneField(
        "orders.Order", on_delete=models.PROTECT, related_name="+", verbose_name=_("bestilling")
    )
    jobbnorge_ref = models.CharField(_("Jobbnorge-referanse"), max_length=20, blank=True)
    announced_on = models.DateField(_("utlyst"), null=True, blank=True)
    deadline_on = models.DateField(_("søknadsfrist"), null=True, blank=True)
    interviews_on = models.DateField(_("intervjuer"), null=True, blank=True)
    offer_on = models.DateField(_("tilbud gitt"), null=True, blank=True)
    accepted_on = models.DateField(_("tilbud akseptert"), null=True, blank=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("rekruttering")
        verbose_name_plural = _("rekrutteringer")
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline_on__isnull=True)
                | Q(announced_on__isnull=True)
                | Q(deadline_on__gte=models.F("announced_on")),
                name="hr_recruitment_deadline_after_announced",
            ),
            models.CheckConstraint(
                condition=Q(accepted_on__isnull=True)
                | Q(offer_on__isnull=True)
                | Q(accepted_on__gte=models.F("offer_on")),
                name="hr_recruitment_accepted_after_offer",
            ),
        ]

    def __str__(self) -> str:
        return self.jobbnorge_ref or str(self.order_id)


class SalaryChange(PublicModel):
    """A salary-change message to DFØ, placed as an order of its own catalogue service
    (`hr-lonnsendring`, «Lønnsendring til DFØ») on its own form (the employee, employee
    number, kind, date, new salary step or amount and reason are the order's answers); DSS
    records DFØ's case reference when it has sent it."""

    class Kind(models.TextChoices):
        NEW_SALARY = "new_salary", _("Ny lønn (lønnstrinn eller kronebeløp)")
        ALLOWANCE = "allowance", _("Tillegg, nytt eller endret")
        ALLOWANCE_END = "allowance_end", _("Tillegg som opphører")
        PERCENTAGE = "percentage", _("Endret stillingsprosent")

    order = models.OneToOneField(
        "orders.Order", on_delete=models.PROTECT, related_name="+", verbose_name=_("bestilling")
    )
    kind = models.CharField(_("endring"), max_length=20, choices=Kind.choices)
    effective_on = models.DateField(_("gjelder fra"))
    # «Endret stillingsprosent»: the new percentage (0–100, up to two decimals).
    percentage = models.DecimalField(
        _("ny stillingsprosent"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    dfo_reference = models.CharField(_("DFØ-saksnummer"), max_length=40, blank=True)
    sent_on = models.DateField(_("sendt DFØ"), null=True, blank=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("lønnsendring")
        verbose_name_plural = _("lønnsendringer")
        constraints = [
            models.CheckConstraint(
                condition=Q(percentage__isnull=True) | Q(percentage__gte=0, percentage__lte=100),
                name="hr_salary_change_percentage_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_on}"
