"""Model evaluations (MCDA): alternatives, criteria with weights, scores."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from felles.core.models import PublicModel


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
