"""The programme and its projects: external dates, milestones, dependencies, risks,
hump costs and staff transfers."""

from __future__ import annotations

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


# The risk levels in words (rules.RISK_LEVEL_LABELS is the pure module's bokmål).
RISK_LEVEL_NAMES = {
    "low": _("Lav"),
    "moderate": _("Moderat"),
    "high": _("Høy"),
    "critical": _("Kritisk"),
}


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
        return str(RISK_LEVEL_NAMES[self.level])

    @property
    def residual_level_label(self) -> str:
        return str(RISK_LEVEL_NAMES[self.residual_level])


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
