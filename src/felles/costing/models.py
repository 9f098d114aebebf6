"""Cost models: a provider's cost centres (support centres and service lines) with direct
and capital costs, the driver shares between them, and how each service line's full cost
is spread over the catalogue's services with their planned volumes."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from felles.catalog.models import Service
from felles.core.models import PublicModel
from felles.organisations.models import Organisation


class CostModel(PublicModel):
    """One provider's cost model for one budget year."""

    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("år"))
    name = models.CharField(_("navn"), max_length=150)
    description = models.TextField(_("beskrivelse"), blank=True)

    class Meta:
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "year", "name"], name="cost_model_once")
        ]

    def __str__(self) -> str:
        return f"{self.provider.abbreviation} {self.year}: {self.name}"


class CostCentre(PublicModel):
    """A support centre (serves other centres) or a service line (serves the ministries)."""

    class Kind(models.TextChoices):
        SUPPORT = "support", _("Støttefunksjon")
        LINE = "line", _("Tjenestelinje")

    model = models.ForeignKey(CostModel, on_delete=models.CASCADE, related_name="centres")
    code = models.CharField(_("kode"), max_length=20)
    name = models.CharField(_("navn"), max_length=150)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    direct_cost = models.DecimalField(
        _("direkte kostnad"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    capital_cost = models.DecimalField(
        _("kapitalkostnad (avskrivninger)"), max_digits=14, decimal_places=2, default=Decimal("0")
    )

    class Meta:
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["model", "code"], name="centre_code_once"),
            models.CheckConstraint(
                condition=Q(direct_cost__gte=0, capital_cost__gte=0),
                name="centre_costs_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class DriverShare(models.Model):
    """The share of a support centre's output that another centre uses (from drivers such
    as FTE, m², tickets or users in the period)."""

    supplier = models.ForeignKey(CostCentre, on_delete=models.CASCADE, related_name="given")
    receiver = models.ForeignKey(CostCentre, on_delete=models.CASCADE, related_name="received")
    share = models.DecimalField(max_digits=8, decimal_places=6)
    driver = models.CharField(_("fordelingsnøkkel"), max_length=60, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["supplier", "receiver"], name="share_once"),
            models.CheckConstraint(
                condition=Q(share__gte=0, share__lte=1), name="share_between_0_and_1"
            ),
            models.CheckConstraint(
                condition=~Q(supplier=models.F("receiver")), name="share_not_to_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier.code} → {self.receiver.code}: {self.share}"


class ServiceCosting(models.Model):
    """A service's part of a service line's full cost and its planned volume."""

    line = models.ForeignKey(CostCentre, on_delete=models.CASCADE, related_name="services")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="costings")
    share = models.DecimalField(_("andel av linjens kostnad"), max_digits=8, decimal_places=6)
    planned_volume = models.DecimalField(_("planlagt volum"), max_digits=14, decimal_places=2)
    marginal_cost = models.DecimalField(
        _("marginalkostnad per enhet"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["line", "service"], name="service_costing_once"),
            models.CheckConstraint(
                condition=Q(share__gt=0, share__lte=1), name="service_share_in_range"
            ),
            models.CheckConstraint(
                condition=Q(planned_volume__gt=0), name="planned_volume_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line.code}: {self.service}"


class PriceList(PublicModel):
    """A provider's prices for a year: proposed by the provider, approved by DFD with a
    reference to the decision, effective from a date. Approval turns each item into the
    service's price version from that date."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Foreslått")
        APPROVED = "approved", _("Vedtatt")

    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("år"))
    effective_from = models.DateField(_("gjelder fra"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    source = models.ForeignKey(
        CostModel, null=True, blank=True, on_delete=models.SET_NULL, related_name="price_lists"
    )
    adjustment_percent = models.DecimalField(
        _("generell justering (%)"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    decision_reference = models.CharField(_("vedtak"), max_length=200, blank=True)
    approved_by_label = models.CharField(max_length=200, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-effective_from"]

    def __str__(self) -> str:
        return f"Prisliste {self.provider.abbreviation} {self.year} ({self.get_status_display()})"


class PriceListItem(models.Model):
    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="items")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    basis = models.TextField(blank=True)

    class Meta:
        ordering = ["service__name_nb"]
        constraints = [
            models.UniqueConstraint(fields=["price_list", "service"], name="price_item_once"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="item_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.service}: {self.unit_price}"
