"""The implementation portfolio (the review, chapter 5): programmes and projects with
milestones, dependencies, RAG status, risks, hump costs and staff transfers; the baseline
(nullpunktsanalyse) and benefit plans; and the multi-criteria evaluation of organisational
models (chapter 4). The arithmetic lives in the pure module `portfolio.rules`."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from felles.core.models import PublicModel
from felles.portfolio import rules

ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]


def _one_to_five(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 1, f"{field}__lte": 5}), name=name
    )


class Programme(PublicModel):
    """A group of projects run together (e.g. the implementation of the review)."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("navn"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    owner = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Project(PublicModel):
    """An implementation project: scope, responsible organisation, dates, RAG status with
    its reason, priority, and links to the governance decisions behind it."""

    class Rag(models.TextChoices):
        GREEN = "green", _("Grønn")
        AMBER = "amber", _("Gul")
        RED = "red", _("Rød")

    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.PROTECT, related_name="projects"
    )
    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("navn"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    area = models.ForeignKey(
        "catalog.ServiceArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("område"),
    )
    chosen_model = models.CharField(_("valgt modell"), max_length=100, blank=True)
    responsible = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ansvarlig"),
    )
    contributors = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="+", verbose_name=_("bidrar")
    )
    manager = models.ForeignKey(
        "organisations.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("prosjektleder"),
    )
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("slutt"))
    status = models.CharField(_("status"), max_length=10, choices=Rag.choices, default=Rag.GREEN)
    status_reason = models.TextField(_("begrunnelse for status"), blank=True)
    status_on = models.DateField(_("status per"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("prioritet"), default=3, validators=ONE_TO_FIVE, help_text=_("1 er høyest.")
    )
    decisions = models.ManyToManyField(
        "governance.Case", blank=True, related_name="projects", verbose_name=_("vedtak")
    )

    class Meta:
        ordering = ["priority", "starts_on", "code"]
        verbose_name = _("prosjekt")
        verbose_name_plural = _("prosjekter")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="project_ends_after_start"
            ),
            _one_to_five("priority", "project_priority_1_5"),
            # Amber and red always say why.
            models.CheckConstraint(
                condition=Q(status="green") | ~Q(status_reason=""),
                name="project_rag_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ExternalDate(PublicModel):
    """A date outside the portfolio's control that projects depend on: a ministry's move
    into the new government quarter (RKV), the common ICT platform."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("navn"), max_length=200)
    date = models.DateField(_("dato"))
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        ordering = ["date", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d.%m.%Y})"


class Milestone(PublicModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(_("milepæl"), max_length=200)
    due_on = models.DateField(_("frist"))
    done_on = models.DateField(_("nådd"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.name


class Dependency(PublicModel):
    """The project needs another project finished, or an external date passed: before it
    starts (finish-to-start), or before it finishes (finish-to-finish: e.g. a service that
    must be in operation when the ministries move into the new government quarter)."""

    class Kind(models.TextChoices):
        FINISH_TO_START = "fs", _("Må være ferdig før prosjektet starter")
        FINISH_TO_FINISH = "ff", _("Må være ferdig før prosjektet avsluttes")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="dependencies")
    on_project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="dependents"
    )
    on_date = models.ForeignKey(
        ExternalDate, null=True, blank=True, on_delete=models.CASCADE, related_name="dependents"
    )
    kind = models.CharField(
        _("type"), max_length=2, choices=Kind.choices, default=Kind.FINISH_TO_START
    )
    note = models.CharField(_("merknad"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(on_project__isnull=False) & Q(on_date__isnull=True))
                | (Q(on_project__isnull=True) & Q(on_date__isnull=False)),
                name="dependency_on_exactly_one",
            ),
            models.CheckConstraint(
                condition=~Q(on_project=models.F("project")), name="dependency_not_on_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} ← {self.on_project or self.on_date}"

    @property
    def prerequisite(self) -> Project | ExternalDate:
        return self.on_project or self.on_date  # type: ignore[return-value]


class Risk(PublicModel):
    """A risk to one project (or, without a project, to the whole portfolio), scored as
    likelihood × consequence before and after its measures."""

    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="risks"
    )
    title = models.CharField(_("risiko"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    likelihood = models.PositiveSmallIntegerField(_("sannsynlighet"), validators=ONE_TO_FIVE)
    consequence = models.PositiveSmallIntegerField(_("konsekvens"), validators=ONE_TO_FIVE)
    measures = models.TextField(_("tiltak"), blank=True)
    residual_likelihood = models.PositiveSmallIntegerField(
        _("sannsynlighet etter tiltak"), validators=ONE_TO_FIVE
    )
    residual_consequence = models.PositiveSmallIntegerField(
        _("konsekvens etter tiltak"), validators=ONE_TO_FIVE
    )
    owner = models.ForeignKey(
        "organisations.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("eier"),
    )
    review_on = models.DateField(_("neste gjennomgang"), null=True, blank=True)

    class Meta:
        ordering = ["-likelihood", "-consequence", "title"]
        constraints = [
            _one_to_five("likelihood", "risk_likelihood_1_5"),
            _one_to_five("consequence", "risk_consequence_1_5"),
            _one_to_five("residual_likelihood", "risk_residual_likelihood_1_5"),
            _one_to_five("residual_consequence", "risk_residual_consequence_1_5"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def score(self) -> int:
        return rules.risk_score(self.likelihood, self.consequence)

    @property
    def residual_score(self) -> int:
        return rules.risk_score(self.residual_likelihood, self.residual_consequence)

    @property
    def level(self) -> str:
        return rules.risk_level(self.score)

    @property
    def residual_level(self) -> str:
        return rules.risk_level(self.residual_score)

    @property
    def level_label(self) -> str:
        return rules.RISK_LEVEL_LABELS[self.level]

    @property
    def residual_level_label(self) -> str:
        return rules.RISK_LEVEL_LABELS[self.residual_level]


class HumpCost(PublicModel):
    """Transition costs (pukkelkostnader) and investments per project and year."""

    class Kind(models.TextChoices):
        TRANSITION = "transition", _("Omstillingskostnad")
        INVESTMENT = "investment", _("Investering")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="hump_costs")
    year = models.PositiveSmallIntegerField(_("år"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("beløp (kr)"), max_digits=14, decimal_places=2)
    note = models.CharField(_("merknad"), max_length=300, blank=True)

    class Meta:
        ordering = ["year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "kind"], name="hump_cost_once_per_year_kind"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="hump_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.year} {self.get_kind_display()}"


class StaffTransfer(PublicModel):
    """FTEs and roles moving from a ministry to a provider (virksomhetsoverdragelse). They
    feed the appropriation-transfer calculation of the cost model."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planlagt")
        AGREED = "agreed", _("Avtalt")
        COMPLETED = "completed", _("Gjennomført")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="transfers")
    ministry = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    provider = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    fte = models.DecimalField(_("årsverk"), max_digits=7, decimal_places=2)
    roles = models.CharField(_("roller"), max_length=300, blank=True)
    transfer_on = models.DateField(_("overføres"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )

    class Meta:
        ordering = ["transfer_on", "ministry__abbreviation"]
        constraints = [
            models.CheckConstraint(condition=Q(fte__gt=0), name="transfer_fte_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.ministry} → {self.provider}: {self.fte}"


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


# --- Model evaluation -----------------------------------------------------------------------


class Evaluation(PublicModel):
    """A multi-criteria evaluation of organisational alternatives for one area."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    title = models.CharField(_("tittel"), max_length=200)
    area = models.ForeignKey(
        "catalog.ServiceArea", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("beskrivelse"), blank=True)
    recommendation = models.TextField(_("anbefaling i gjennomgangen"), blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Alternative(PublicModel):
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="alternatives"
    )
    code = models.SlugField(max_length=40)
    name = models.CharField(_("alternativ"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "code"], name="alternative_code_once"),
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(PublicModel):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(max_length=40)
    name = models.CharField(_("kriterium"), max_length=200)
    weight = models.DecimalField(_("vekt"), max_digits=6, decimal_places=3)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "code"], name="criterion_code_once"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Score(PublicModel):
    """An alternative's score on a criterion (1–5, higher is better; for risk, higher means
    lower risk) with its justification, quoted from the review where it says so."""

    alternative = models.ForeignKey(Alternative, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.DecimalField(_("skår"), max_digits=3, decimal_places=1)
    justification = models.TextField(_("begrunnelse"), blank=True)
    source = models.CharField(_("kilde"), max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alternative", "criterion"], name="score_once"),
            models.CheckConstraint(
                condition=Q(value__gte=1, value__lte=5), name="score_between_1_and_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.alternative} / {self.criterion}: {self.value}"
