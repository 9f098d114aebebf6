"""Risk and vulnerability analyses (ROS): per ministry or joint for several ministries,
scored on the portfolio's 5×5 scales, signed off by each ministry's leader."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from felles.core.models import PublicModel
from felles.core.visibility import VisibleQuerySet

ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]


def _one_to_five(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 1, f"{field}__lte": 5}), name=name
    )


class AnalysisQuerySet(VisibleQuerySet["Analysis"]):
    """`visible_to(user)`: `preparedness.selectors.visible_analysis_filter`."""


class Analysis(PublicModel):
    """A risk and vulnerability analysis. `ministries` are the ministries it covers (one,
    or several for a joint analysis of the government quarter); `order` the `sik-ros`
    order under which DSS's advisers work on it. Signed when every covered ministry's
    leader has signed; reviewed every `review_months`."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Under arbeid")
        SIGNED = "signed", _("Godkjent")

    title = models.CharField(_("tittel"), max_length=200)
    scope = models.TextField(_("omfang og avgrensning"), max_length=4000)
    assets = models.TextField(_("skjermingsverdige verdier"), max_length=4000, blank=True)
    ministries = models.ManyToManyField(
        "organisations.Organisation", related_name="+", verbose_name=_("departementer")
    )
    order = models.ForeignKey(
        "orders.Order",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("bestilling (sik-ros)"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    review_months = models.PositiveSmallIntegerField(_("gjennomgås hver (måneder)"), default=12)
    signed_on = models.DateField(_("godkjent"), null=True, blank=True)
    next_review_on = models.DateField(_("neste gjennomgang"), null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="+"
    )
    # Measures with owners and deadlines (each optionally `about` one risk): governance's
    # action items.
    measures = GenericRelation(
        "governance.ActionItem",
        content_type_field="subject_type",
        object_id_field="subject_id",
        verbose_name=_("tiltak"),
    )

    objects = AnalysisQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("ROS-analyse")
        verbose_name_plural = _("ROS-analyser")
        constraints = [
            models.CheckConstraint(
                condition=Q(review_months__gte=1, review_months__lte=36),
                name="analysis_review_1_36",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(signed_on__isnull=False),
                name="analysis_signed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Risk(PublicModel):
    """One scenario: an asset, a threat and a vulnerability, scored likelihood ×
    consequence before and after the measures (the portfolio's scales and heat map)."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="risks")
    asset = models.CharField(_("verdi"), max_length=200)
    threat = models.CharField(_("trussel"), max_length=300)
    vulnerability = models.CharField(_("sårbarhet"), max_length=300)
    likelihood = models.PositiveSmallIntegerField(_("sannsynlighet"), validators=ONE_TO_FIVE)
    consequence = models.PositiveSmallIntegerField(_("konsekvens"), validators=ONE_TO_FIVE)
    residual_likelihood = models.PositiveSmallIntegerField(
        _("sannsynlighet etter tiltak"), validators=ONE_TO_FIVE
    )
    residual_consequence = models.PositiveSmallIntegerField(
        _("konsekvens etter tiltak"), validators=ONE_TO_FIVE
    )

    class Meta:
        ordering = ["-likelihood", "-consequence", "id"]
        constraints = [
            _one_to_five("likelihood", "ros_likelihood_1_5"),
            _one_to_five("consequence", "ros_consequence_1_5"),
            _one_to_five("residual_likelihood", "ros_residual_likelihood_1_5"),
            _one_to_five("residual_consequence", "ros_residual_consequence_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.asset}: {self.threat}"

    @property
    def score(self) -> int:
        return self.likelihood * self.consequence

    @property
    def residual_score(self) -> int:
        return self.residual_likelihood * self.residual_consequence


class Signature(PublicModel):
    """A ministry leader's sign-off of an analysis (one per covered ministry)."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="signatures")
    ministry = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    signed_by = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField()

    class Meta:
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["analysis", "ministry"], name="analysis_signed_once_per_ministry"
            )
        ]

    def __str__(self) -> str:
        return f"{self.analysis} – {self.ministry}"
