"""Usage: what was delivered to which ministry, priced, waiting for an invoice run."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from felles.catalog.models import Funding, PriceVersion, Service
from felles.core.models import PublicModel
from felles.organisations.models import Organisation


class UsageRecord(PublicModel):
    """One priced delivery. Written when an order for a non-appropriation service is
    resolved (one per order), later also from metered imports."""

    ministry = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="usage")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="usage")
    quantity = models.DecimalField(max_digits=12, decimal_places=2)
    unit_code = models.CharField(max_length=3)
    price_version = models.ForeignKey(
        PriceVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="usage"
    )
    unit_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    funding = models.CharField(max_length=30, choices=Funding.choices)
    buyer_reference = models.CharField(_("kjøpers referanse"), max_length=100, blank=True)
    usage_date = models.DateField()
    order = models.OneToOneField(
        "orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="usage"
    )

    class Meta:
        ordering = ["-usage_date"]

    def __str__(self) -> str:
        return f"{self.ministry.abbreviation} {self.service} × {self.quantity}"
