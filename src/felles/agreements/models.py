"""Delivery agreements (leveranseavtaler): what a provider has agreed to deliver to one
ministry for a period — the services, volumes, targets, contacts and special
arrangements — and who accepted it on each side."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from felles.catalog.models import Priority, Service
from felles.core.models import PublicModel
from felles.core.visibility import VisibleQuerySet
from felles.organisations.models import Organisation, Person


class AgreementQuerySet(VisibleQuerySet["Agreement"]):
    """`visible_to(user)`: `agreements.selectors.visible_agreement_filter`."""


class Agreement(PublicModel):
    """One version of the agreement between a provider and a ministry. A new version
    supersedes the one in force from its first day (the old one's period ends the day
    before)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        SENT = "sent", _("Sendt til departementet")
        AGREED = "agreed", _("Avtalt")
        SUPERSEDED = "superseded", _("Erstattet")
        ENDED = "ended", _("Avsluttet")

    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("leverandør")
    )
    ministry = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("departement")
    )
    version = models.PositiveIntegerField(_("versjon"), default=1)
    supersedes = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successors",
        verbose_name=_("erstatter"),
    )
    valid_from = models.DateField(_("gyldig fra"))
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    min_compliance = models.PositiveSmallIntegerField(
        _("avtalt etterlevelse (%)"),
        default=90,
        help_text=_("Andelen bestillinger som skal løses innen avtalt tid."),
    )
    provider_contact = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kontaktperson hos leverandøren"),
    )
    ministry_contact = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kontaktperson i departementet"),
    )
    notes = models.TextField(_("særskilte ordninger"), blank=True, max_length=10000)
    sent_at = models.DateTimeField(null=True, blank=True)
    ministry_accepted_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ministry_accepted_at = models.DateTimeField(null=True, blank=True)
    provider_accepted_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provider_accepted_at = models.DateTimeField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["ministry__abbreviation", "-valid_from"]
        verbose_name = _("leveranseavtale")
        verbose_name_plural = _("leveranseavtaler")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="agreement_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(min_compliance__gte=1, min_compliance__lte=100),
                name="agreement_compliance_percent",
            ),
            # In force only when both sides have accepted, each with who and when.
            models.CheckConstraint(
                condition=Q(status__in=["draft", "sent"])
                | Q(
                    ministry_accepted_by__isnull=False,
                    ministry_accepted_at__isnull=False,
                    provider_accepted_by__isnull=False,
                    provider_accepted_at__isnull=False,
                    agreed_at__isnull=False,
                ),
                name="agreement_in_force_accepted_by_both",
            ),
            models.UniqueConstraint(
                fields=["provider", "ministry", "version"], name="agreement_version_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider.abbreviation}–{self.ministry.abbreviation} v{self.version}"


class AgreementService(models.Model):
    """A service the agreement includes, with its agreed volume where one is agreed."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="lines")
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="+", verbose_name=_("tjeneste")
    )
    volume = models.PositiveIntegerField(
        _("avtalt volum"), null=True, blank=True, help_text=_("Antall i avtaleperioden.")
    )
    note = models.CharField(_("merknad"), max_length=300, blank=True)

    class Meta:
        ordering = ["service__name_nb"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "service"], name="agreement_service_once")
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.service.code}"


class AgreedTarget(models.Model):
    """Business hours to response and resolution agreed for one service and priority."""

    line = models.ForeignKey(AgreementService, on_delete=models.CASCADE, related_name="targets")
    priority = models.CharField(_("prioritet"), max_length=10, choices=Priority.choices)
    response_hours = models.DecimalField(_("svartid (timer)"), max_digits=6, decimal_places=2)
    resolution_hours = models.DecimalField(_("løsningstid (timer)"), max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["priority"]
        constraints = [
            models.UniqueConstraint(fields=["line", "priority"], name="agreed_target_once"),
            models.CheckConstraint(
                condition=Q(response_hours__gt=0)
                & Q(resolution_hours__gte=F("response_hours"))
                & Q(resolution_hours__lte=2000),
                name="agreed_target_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.priority}: {self.response_hours}/{self.resolution_hours}"
