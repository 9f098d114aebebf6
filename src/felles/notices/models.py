"""Felles's own notices to the ministries, the per-ministry feed keys their intranets use,
and what Felles records per ministry: whether its intranet fetched a notice, and whether
its coordinator confirmed one that asks for it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from felles.core.models import PublicModel
from felles.core.visibility import VisibleQuerySet


class NoticeQuerySet(VisibleQuerySet["Notice"]):
    """`visible_to(user)`: `notices.selectors.visible_notice_filter`."""


class Notice(PublicModel):
    class Kind(models.TextChoices):
        SERVICE = "service", _("Endring i tjeneste")
        PRICE = "price", _("Priser og prisvedtak")
        OUTAGE = "outage", _("Planlagt nedetid")
        GUIDELINE = "guideline", _("Ny eller endret retningslinje")
        DECISION = "decision", _("Vedtak i styringen")
        OTHER = "other", _("Annet")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("tittel"), max_length=200)
    body = models.TextField(_("tekst"))
    area = models.ForeignKey(
        "catalog.ServiceArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tjenesteområde"),
    )
    everyone = models.BooleanField(_("til alle departementene"), default=True)
    audience = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="+", verbose_name=_("mottakere")
    )
    requires_confirmation = models.BooleanField(_("krever bekreftelse"), default=False)
    author = models.ForeignKey(
        "organisations.Person", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_label = models.CharField(max_length=200)
    author_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("publisert"), default=timezone.now)
    guideline_version = models.OneToOneField(
        "guidelines.Version",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    case = models.ForeignKey(
        "governance.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("kunngjøring")
        verbose_name_plural = _("kunngjøringer")

    def __str__(self) -> str:
        return self.title


class FeedKey(PublicModel):
    """A ministry's key for its intranet's feed. Only the digest is kept; the key is shown
    once, when made."""

    ministry = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    made_by_label = models.CharField(max_length=200)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}…"


class Fetch(models.Model):
    """A ministry's intranet fetched the notice (first and last time, how often)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="fetches")
    ministry = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()
    count = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notice", "ministry"], name="fetch_once_per_ministry")
        ]

    def __str__(self) -> str:
        return f"{self.notice_id}/{self.ministry_id}"


class Confirmation(PublicModel):
    """The ministry's coordinator confirmed the notice."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="confirmations")
    ministry = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        "organisations.Person", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_by_label = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "ministry"], name="confirmation_once_per_ministry"
            )
        ]

    def __str__(self) -> str:
        return f"{self.notice_id}/{self.ministry_id}"
