"""Benefits (each counted once), their realisations, and the baseline they start from."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from felles.core.models import PublicModel
from felles.portfolio.models.projects import Project


class BaselineMeasure(PublicModel):
    """One figure of the baseline (nullpunktsanalyse): what a ministry uses in an area at a
    date — FTEs, cost, floor space, a volume or a quality measure."""

    class Measure(models.TextChoices):
        FTE = "fte", _("Årsverk")
        COST = "cost", _("Kostnad (kr)")
        FLOOR_SPACE = "floor_space", _("Areal (m²)")
        VOLUME = "volume", _("Volum")
        QUALITY = "quality", _("Kvalitet")

    ministry = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    area = models.ForeignKey("catalog.ServiceArea", on_delete=models.PROTECT, related_name="+")
    measure = models.CharField(_("måltall"), max_length=20, choices=Measure.choices)
    name = models.CharField(_("navn"), max_length=100, blank=True)
    unit = models.CharField(_("enhet"), max_length=30, blank=True)
    value = models.DecimalField(_("verdi"), max_digits=16, decimal_places=2)
    measured_on = models.DateField(_("dato"))

    class Meta:
        ordering = ["ministry__abbreviation", "area__position", "measure", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ministry", "area", "measure", "name", "measured_on"],
                name="baseline_once_per_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ministry} {self.area} {self.measure} {self.value}"


class BaselineImport(PublicModel):
    """One import of baseline figures: which file, how many rows, who."""

    filename = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    skipped = models.PositiveIntegerField(default=0)
    imported_by_label = models.CharField(max_length=200)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.rows})"


class Benefit(PublicModel):
    """A planned benefit: what, for which ministry and area, from which baseline to which
    target by when, and who owns it. The benefit is owned by one project; others may
    contribute to it, and it is counted once (the database refuses a second claim on the
    same kind, ministry and area — for quality, the same measure)."""

    class Kind(models.TextChoices):
        FTE_FREED = "fte_freed", _("Årsverk frigjort")
        COST_REDUCED = "cost_reduced", _("Kostnader redusert (kr)")
        FLOOR_SPACE = "floor_space", _("Areal frigjort i RKV (m²)")
        QUALITY = "quality", _("Kvalitet forbedret")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="benefits")
    contributors = models.ManyToManyField(
        Project, blank=True, related_name="contributes_to", verbose_name=_("bidrar")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    ministry = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    area = models.ForeignKey(
        "catalog.ServiceArea", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    measure = models.CharField(_("måltall"), max_length=200)
    # The part of the measure that identifies the benefit: empty for FTE, cost and floor
    # space (one figure per ministry and area), the measure's name for quality.
    measure_key = models.CharField(max_length=200, blank=True)
    baseline_value = models.DecimalField(_("utgangspunkt"), max_digits=16, decimal_places=2)
    target_value = models.DecimalField(_("mål"), max_digits=16, decimal_places=2)
    target_on = models.DateField(_("innen"))
    owner = models.ForeignKey(
        "organisations.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("gevinsteier"),
    )

    class Meta:
        ordering = ["kind", "ministry__abbreviation"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "ministry", "area", "measure_key"],
                condition=Q(area__isnull=False),
                name="benefit_counted_once",
            ),
            models.UniqueConstraint(
                fields=["kind", "ministry", "measure_key"],
                condition=Q(area__isnull=True),
                name="benefit_counted_once_no_area",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.measure}"

    @property
    def planned_gain(self) -> Decimal:
        """The improvement the plan promises, positive (fewer FTE is a gain)."""
        return abs(self.target_value - self.baseline_value)


class BenefitRealisation(PublicModel):
    """A measured value of a benefit's measure at a date."""

    benefit = models.ForeignKey(Benefit, on_delete=models.CASCADE, related_name="realisations")
    measured_on = models.DateField(_("dato"))
    value = models.DecimalField(_("verdi"), max_digits=16, decimal_places=2)
    note = models.CharField(_("merknad"), max_length=300, blank=True)

    class Meta:
        ordering = ["measured_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["benefit", "measured_on"], name="realisation_once_per_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.benefit} {self.measured_on}: {self.value}"
