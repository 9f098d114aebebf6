"""Cost models: a provider's cost centres (support centres and service lines) with direct
and capital costs, the driver shares between them, and how each service line's full cost
is spread over the catalogue's services with their planned volumes."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from felles.catalog.models import Service
from felles.core import formatting
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
        return f"{self.service}: {formatting.kroner(self.unit_price)}"


# --- Budgets ----------------------------------------------------------------------------------


class BudgetPost(PublicModel):
    """One chapter/post of a provider's budget for a year: an expense appropriation
    (e.g. kap. 1510 post 01) or a budgeted revenue (kap. 4510 post 03). A revenue post may
    fund an expense post under the merinntektsfullmakt."""

    class Kind(models.TextChoices):
        EXPENSE = "expense", _("Utgift")
        REVENUE = "revenue", _("Inntekt")

    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("år"))
    chapter = models.PositiveSmallIntegerField(_("kapittel"))
    post = models.CharField(_("post"), max_length=2)
    name = models.CharField(_("navn"), max_length=150)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(
        _("bevilgning / budsjettert inntekt"), max_digits=16, decimal_places=2
    )
    transferable = models.BooleanField(_("kan overføres"), default=False)
    funds = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="revenue_posts",
        verbose_name=_("merinntektsfullmakt for"),
    )

    class Meta:
        ordering = ["year", "chapter", "post"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "year", "chapter", "post"], name="budget_post_once"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_amount_positive"),
            models.CheckConstraint(
                condition=Q(post__regex=r"^[0-9]{2}$"), name="budget_post_two_digits"
            ),
        ]

    def __str__(self) -> str:
        return f"kap. {self.chapter} post {self.post} {self.name}"


class LedgerImport(PublicModel):
    """Actuals to date per chapter/post from the provider's ledger export, as of a date.
    Each import is a snapshot; the newest one counts."""

    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("år"))
    as_of = models.DateField(_("per dato"))
    filename = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    imported_by_label = models.CharField(max_length=200)

    class Meta:
        ordering = ["-as_of", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "year", "sha256"], name="ledger_file_once"),
        ]

    def __str__(self) -> str:
        return f"{self.provider.abbreviation} {self.as_of:%d.%m.%Y}"


class LedgerAmount(models.Model):
    ledger = models.ForeignKey(LedgerImport, on_delete=models.CASCADE, related_name="amounts")
    post = models.ForeignKey(BudgetPost, on_delete=models.PROTECT, related_name="actuals")
    amount = models.DecimalField(max_digits=16, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ledger", "post"], name="ledger_amount_once"),
        ]

    def __str__(self) -> str:
        return f"{self.post}: {formatting.kroner(self.amount)}"


# --- Appropriation transfer -------------------------------------------------------------------


class ResourceMapping(PublicModel):
    """FTEs a ministry spends on a task area today (the review's mapping form), as the base
    for the appropriation transfer when the tasks move to a provider."""

    year = models.PositiveSmallIntegerField(_("år"))
    ministry = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(
        "catalog.ServiceArea", on_delete=models.PROTECT, related_name="+", verbose_name=_("område")
    )
    fte = models.DecimalField(_("årsverk"), max_digits=8, decimal_places=2)
    note = models.CharField(_("merknad"), max_length=200, blank=True)

    class Meta:
        ordering = ["ministry__abbreviation", "area__position"]
        constraints = [
            models.UniqueConstraint(fields=["year", "ministry", "area"], name="mapping_once"),
            models.CheckConstraint(condition=Q(fte__gte=0), name="mapping_fte_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.ministry.abbreviation} {self.area}: {self.fte}"


class TransferScenario(PublicModel):
    """The rates of one appropriation-transfer calculation (all parameters: costing.md
    §1.7), the task areas that move and the provider's chapter/post they move to."""

    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("år"))
    name = models.CharField(_("navn"), max_length=100)
    areas = models.ManyToManyField(
        "catalog.ServiceArea", related_name="+", verbose_name=_("områder som flyttes")
    )
    average_salary = models.DecimalField(_("gjennomsnittslønn"), max_digits=12, decimal_places=2)
    pension_rate = models.DecimalField(_("pensjonspremie (andel)"), max_digits=5, decimal_places=4)
    employer_tax_rate = models.DecimalField(
        _("arbeidsgiveravgift (andel)"), max_digits=5, decimal_places=4, default=Decimal("0.141")
    )
    operating_cost_per_fte = models.DecimalField(
        _("driftskostnad per årsverk"), max_digits=12, decimal_places=2, default=Decimal(0)
    )
    rent_per_workplace = models.DecimalField(
        _("husleie per arbeidsplass"), max_digits=12, decimal_places=2, default=Decimal(0)
    )
    releases_space = models.BooleanField(_("departementene frigjør arealer"), default=False)
    efficiency_cut = models.DecimalField(
        _("gevinstuttak (andel)"), max_digits=5, decimal_places=4, default=Decimal(0)
    )
    target = models.CharField(_("til kapittel/post"), max_length=40, default="kap. 1510 post 01")

    class Meta:
        ordering = ["year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "year", "name"], name="transfer_scenario_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider.abbreviation} {self.year}: {self.name}"


class DriverQuantity(models.Model):
    """How much of a support centre's driver (FTE, m², tickets, users, hours) a receiver
    had in a period. The model's shares come from the newest period."""

    model = models.ForeignKey(CostModel, on_delete=models.CASCADE, related_name="quantities")
    period = models.DateField(_("periode"))
    supplier = models.ForeignKey(CostCentre, on_delete=models.CASCADE, related_name="+")
    receiver = models.ForeignKey(CostCentre, on_delete=models.CASCADE, related_name="+")
    driver = models.CharField(_("fordelingsnøkkel"), max_length=60)
    quantity = models.DecimalField(_("mengde"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["-period", "supplier__code", "receiver__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["model", "period", "supplier", "receiver"], name="quantity_once"
            ),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="quantity_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.supplier.code} → {self.receiver.code}: {self.quantity}"
