"""Usage, invoice runs, invoices (and credit notes and charge postings), disputes.

Money is Decimal to the øre. A run claims the usage it bills (`ClaimGroup`: the ids of the
usage records of one aggregation group in one array column; `UsageClaim` reads them as
one row per record), so a usage record is billed once; issued invoices are immutable (their
EHF XML is stored)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.db import connection, models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from felles.catalog.models import Funding, PriceVersion, Service
from felles.core.models import PublicModel
from felles.core.visibility import VisibleQuerySet
from felles.organisations.models import Organisation, Person


class BillingProfile(PublicModel):
    """What an invoice needs to know about an organisation: postal address and, for a
    ministry, its standing invoice reference and the chapter/post charged under a charging
    authorisation; for a provider, its bank account and payment terms."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="billing"
    )
    street = models.CharField(_("gateadresse"), max_length=150)
    postcode = models.CharField(_("postnummer"), max_length=4)
    city = models.CharField(_("poststed"), max_length=60)
    buyer_reference = models.CharField(
        _("fast fakturareferanse"),
        max_length=100,
        blank=True,
        help_text=_("Kostnadssted eller referanseperson som står på alle fakturaer."),
    )
    charge_account = models.CharField(
        _("kapittel/post for belastningsfullmakt"), max_length=20, blank=True
    )
    bank_account = models.CharField(_("kontonummer"), max_length=11, blank=True)
    payment_days = models.PositiveSmallIntegerField(_("betalingsfrist (dager)"), default=30)
    revenue_account = models.CharField(_("inntektskapittel/-post"), max_length=20, blank=True)

    def __str__(self) -> str:
        return f"{self.organisation.abbreviation}: {self.street}, {self.postcode} {self.city}"


class UsageImport(PublicModel):
    """One imported file of metered usage (kept for the trail; rows carry their own key)."""

    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    imported_by = models.ForeignKey(Person, null=True, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return self.filename


class UsageRecord(PublicModel):
    """One priced delivery: from a resolved order (one per order) or an imported row.

    `unit_price` is the price version valid on `usage_date`, copied at recording, so a
    later price change never alters it. `run` is set when an invoice run claims it."""

    class Source(models.TextChoices):
        ORDER = "order", _("Bestilling")
        IMPORT = "import", _("Import")

    # Every index on this table is rewritten for each row an invoice run claims (a million
    # rows a month is the design volume), so columns covered by the composite indexes in
    # Meta, or never searched (import batch, price version: history is never deleted),
    # have none of their own.
    ministry = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="usage", db_index=False
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="usage")
    provider = models.ForeignKey(
        Organisation,
        null=True,
        on_delete=models.PROTECT,
        related_name="usage_delivered",
        db_index=False,
    )
    quantity = models.DecimalField(max_digits=12, decimal_places=2)
    unit_code = models.CharField(max_length=3)
    price_version = models.ForeignKey(
        PriceVersion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="usage",
        db_index=False,
    )
    unit_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    funding = models.CharField(max_length=30, choices=Funding.choices)
    buyer_reference = models.CharField(_("kjøpers referanse"), max_length=100, blank=True)
    usage_date = models.DateField()
    description = models.CharField(_("beskrivelse"), max_length=200, blank=True)
    pass_through = models.BooleanField(_("videreformidlet kostnad"), default=False)
    external_reference = models.CharField(
        _("ekstern referanse"),
        max_length=100,
        blank=True,
        help_text=_("F.eks. underleverandørens fakturanummer."),
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ORDER)
    # For imported rows: service|ministry|date|reference — a re-import finds the row.
    source_key = models.CharField(max_length=250, null=True, blank=True)
    usage_import = models.ForeignKey(
        UsageImport,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
        db_index=False,
    )
    order = models.OneToOneField(
        "orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="usage"
    )

    class Meta:
        ordering = ["-usage_date"]
        indexes = [
            models.Index(fields=["provider", "usage_date"], name="usage_provider_date"),
            models.Index(fields=["ministry", "usage_date"], name="usage_ministry_date"),
        ]
        constraints = [
            # A constraint, not unique=True: no extra LIKE index on PostgreSQL.
            models.UniqueConstraint(fields=["source_key"], name="usage_source_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.ministry.abbreviation} {self.service} × {self.quantity}"

    @property
    def run_id(self) -> int | None:
        """The id of the run that claims this record (None: unbilled): one look through
        the provider's claim groups (`ClaimGroup.run_claiming`)."""
        return ClaimGroup.run_claiming(self)


class InvoiceRun(PublicModel):
    """A provider's billing of one period: draft → reviewed → approved → issued."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        REVIEWED = "reviewed", _("Kontrollert")
        APPROVED = "approved", _("Godkjent")
        ISSUED = "issued", _("Utstedt")

    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="runs")
    period_start = models.DateField(_("periode fra"))
    period_end = models.DateField(_("periode til"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    computed_at = models.DateTimeField(null=True, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    usage_count = models.PositiveIntegerField(default=0)
    invoiced_total = models.DecimalField(max_digits=16, decimal_places=2, default=Decimal(0))
    charged_total = models.DecimalField(max_digits=16, decimal_places=2, default=Decimal(0))
    reviewed_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_start", "provider__abbreviation"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "period_start", "period_end"], name="one_run_per_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="run_period_order"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.provider.abbreviation} {self.period_start:%d.%m.%Y}–{self.period_end:%d.%m.%Y}"
        )

    @property
    def usage(self) -> models.QuerySet[UsageRecord]:
        """The usage records this run claims (`UsageClaim`, `ClaimGroup`)."""
        return UsageRecord.objects.filter(claim__run=self)


class IdArrayField(models.Field):  # type: ignore[type-arg]
    """A list of ids in one column: `bigint[]` on PostgreSQL, a JSON array (text) elsewhere
    (SQLite reads it with `json_each`). No django.contrib.postgres: SQLite must work."""

    description = "A list of ids"

    def db_type(self, connection: Any) -> str:
        return "bigint[]" if connection.vendor == "postgresql" else "text"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> list[int] | None:
        if value is None or isinstance(value, list):
            return value
        return [int(v) for v in json.loads(value)]

    def to_python(self, value: Any) -> list[int] | None:
        if value is None or isinstance(value, list):
            return value
        return [int(v) for v in json.loads(value)]

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is None:
            return None
        ids = [int(v) for v in value]
        return ids if connection.vendor == "postgresql" else json.dumps(ids)


class ClaimGroup(models.Model):
    """The usage records `run` claims in one aggregation group of its computation (one
    row per group and run, written in the statement that aggregates them): a usage record
    is billed once and belongs to the run's draft until review releases it or the run is
    discarded. One row per usage record (the old `UsageClaim` table) cost more than the
    rest of the run; docs/invoicing.md has why and how a record is claimed once.

    `provider` is the run's provider, copied so that "what the provider's other runs
    claim" reads only that provider's groups. No foreign-key constraint on `run` in the
    database: the services are the only writers, and a discarded run deletes its groups."""

    run = models.ForeignKey(
        InvoiceRun, on_delete=models.CASCADE, related_name="claim_groups", db_constraint=False
    )
    provider = models.ForeignKey(
        Organisation, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    usage_ids = IdArrayField()

    class Meta:
        indexes = [models.Index(fields=["provider", "run"], name="claimgroup_provider_run")]

    def __str__(self) -> str:
        return f"{self.run_id}: {len(self.usage_ids)}"

    @staticmethod
    def run_claiming(usage: UsageRecord) -> int | None:
        """The run claiming `usage`, looked up in the groups of its provider only (through
        `UsageClaim` every group of every run would be unnested)."""
        if usage.provider_id is None:
            return None
        if connection.vendor == "postgresql":
            sql = (
                "SELECT run_id FROM invoicing_claimgroup"
                " WHERE provider_id = %s AND %s = ANY(usage_ids) LIMIT 1"
            )
        else:
            sql = (
                "SELECT g.run_id FROM invoicing_claimgroup g, json_each(g.usage_ids) j"
                " WHERE g.provider_id = %s AND j.value = %s LIMIT 1"
            )
        with connection.cursor() as cursor:
            cursor.execute(sql, [usage.provider_id, usage.pk])
            row = cursor.fetchone()
        return row[0] if row else None


class UsageClaim(models.Model):
    """A usage record claimed by an invoice run, one row per record: a database VIEW over
    `ClaimGroup` (its ids unnested; migration 0006), so every reader (`claim__run=…`,
    `claim__isnull=True`) works as when this was a table. Read only: the services write
    `ClaimGroup`. A lookup by usage id unnests every group (there is no index on the
    ids): `ClaimGroup.run_claiming` is the cheap way for one record."""

    usage = models.OneToOneField(
        UsageRecord,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        related_name="claim",
        db_constraint=False,
    )
    run = models.ForeignKey(
        InvoiceRun, on_delete=models.DO_NOTHING, related_name="claims", db_constraint=False
    )

    class Meta:
        managed = False
        db_table = "invoicing_usageclaim"

    def __str__(self) -> str:
        return f"{self.usage_id} → {self.run_id}"


class InvoiceCounter(models.Model):
    """The last number drawn per provider, document series and year. Locked while an
    invoice is numbered, in the same transaction that issues it, so numbers have no gaps."""

    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    series = models.CharField(max_length=2)  # F (invoice), K (credit note), B (posting)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "series", "year"], name="one_counter")
        ]

    def __str__(self) -> str:
        return f"{self.series}{self.year}: {self.last}"


class InvoiceQuerySet(VisibleQuerySet["Invoice"]):
    """`visible_to(user)`: `invoicing.selectors.visible_invoice_filter`."""


class Invoice(PublicModel):
    """One invoice, credit note or charge posting from a provider to one ministry.

    Drafts belong to a draft run and are recomputed freely; issued documents never change
    (their EHF XML is stored as issued)."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Faktura")
        CREDIT_NOTE = "credit_note", _("Kreditnota")
        POSTING = "posting", _("Belastning (belastningsfullmakt)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        ISSUED = "issued", _("Utstedt")

    run = models.ForeignKey(
        InvoiceRun, null=True, blank=True, on_delete=models.CASCADE, related_name="invoices"
    )
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    ministry = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="invoices")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.INVOICE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    number = models.CharField(_("fakturanummer"), max_length=30, null=True, blank=True)
    issue_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    period_start = models.DateField()
    period_end = models.DateField()
    buyer_reference = models.CharField(max_length=100, blank=True)
    total = models.DecimalField(max_digits=16, decimal_places=2, default=Decimal(0))
    credited_invoice = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="credit_notes"
    )
    reason = models.TextField(_("begrunnelse"), blank=True)
    xml = models.TextField(blank=True)
    validation = models.JSONField(default=list, blank=True)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "number"],
                condition=Q(number__isnull=False),
                name="invoice_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"{self.get_kind_display()} (utkast) {self.ministry.abbreviation}"

    @property
    def is_ehf(self) -> bool:
        return self.kind != self.Kind.POSTING


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    service = models.ForeignKey(Service, null=True, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(max_length=250)
    unit_code = models.CharField(max_length=3)
    quantity = models.DecimalField(max_digits=16, decimal_places=2)
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    amount = models.DecimalField(max_digits=16, decimal_places=2)
    pass_through = models.BooleanField(default=False)
    external_reference = models.CharField(max_length=100, blank=True)
    buyer_reference = models.CharField(max_length=100, blank=True)
    period_start = models.DateField()
    period_end = models.DateField()
    usage_count = models.PositiveIntegerField(default=0)
    credited_line = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="credits"
    )

    class Meta:
        ordering = ["invoice", "position"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "position"], name="one_line_position")
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.description}"


class Dispute(PublicModel):
    """A ministry's objection to one invoice line; the provider accepts it (→ credit note)
    or rejects it with a reason."""

    class Status(models.TextChoices):
        OPEN = "open", _("Til behandling")
        ACCEPTED = "accepted", _("Godtatt – kreditert")
        REJECTED = "rejected", _("Avvist")

    line = models.ForeignKey(InvoiceLine, on_delete=models.PROTECT, related_name="disputes")
    raised_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("hva er feil"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField(_("svar"), blank=True)
    resolved_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    credit_note = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["line"], condition=Q(status="open"), name="one_open_dispute_per_line"
            )
        ]

    def __str__(self) -> str:
        return f"Innsigelse på {self.line}"
