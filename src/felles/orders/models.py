"""Orders, their approval steps, their timeline, in-app notifications and satisfaction."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from felles.catalog.models import Funding, PriceVersion, Priority, Service
from felles.core.models import PublicModel
from felles.core.visibility import VisibleQuerySet
from felles.orders.states import LABELS, Status
from felles.organisations.models import Organisation, Person

STATUS_CHOICES = [(s.value, _(LABELS[s])) for s in Status]

# What each kind of approval step is called (orders.approval names the kinds).
STEP_LABELS = {
    "line_manager": _("Nærmeste leder"),
    "budget_holder": _("Budsjettdisponent"),
    "security_coordinator": _("Sikkerhetskoordinator"),
    "approver_group": _("Godkjennergruppe"),
}


class OrderCounter(models.Model):
    """The last order number per year, on SQLite (locked when a number is drawn); PostgreSQL
    draws from a sequence instead (`orders.services._common.order_numbers`)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class OrderQuerySet(VisibleQuerySet["Order"]):
    """`visible_to(user)`: `orders.selectors.visible_order_filter`."""


class Order(PublicModel):
    """One order of one service for one ministry, placed by a person (possibly on behalf of
    a colleague, the beneficiary)."""

    number = models.CharField(_("bestillingsnummer"), max_length=20, unique=True)
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="orders", verbose_name=_("tjeneste")
    )
    ministry = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("departement"),
    )
    orderer = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="orders_placed", verbose_name=_("bestilt av")
    )
    beneficiary = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="orders_for", verbose_name=_("gjelder")
    )
    status = models.CharField(_("status"), max_length=30, choices=STATUS_CHOICES, db_index=True)
    priority = models.CharField(
        _("prioritet"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    # The SLA clock replays priority changes from here, so the original stays on the order.
    submitted_priority = models.CharField(
        max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    answers = models.JSONField(_("svar i bestillingsskjemaet"), default=dict, blank=True)
    quantity = models.DecimalField(
        _("antall"), max_digits=12, decimal_places=2, default=Decimal("1")
    )
    funding = models.CharField(_("finansiering"), max_length=30, choices=Funding.choices)
    # Overrides the ministry's invoice reference (BT-10/BT-133) for this order's usage.
    buyer_reference = models.CharField(_("kostnadssted/referanse"), max_length=100, blank=True)
    price_version = models.ForeignKey(
        PriceVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    estimated_amount = models.DecimalField(
        _("estimert beløp"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    assignee = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders_assigned",
        verbose_name=_("saksbehandler"),
    )
    resolution = models.TextField(_("levert"), blank=True)
    # A container (a bundle's parent order, felles.bundles): no work at the provider of its
    # own; its state follows the linked child orders (services.linked).
    container = models.BooleanField(_("samlebestilling"), default=False)
    submitted_at = models.DateTimeField(_("bestilt"))
    approved_at = models.DateTimeField(_("godkjent"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("levert"), null=True, blank=True)
    closed_at = models.DateTimeField(_("avsluttet"), null=True, blank=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("bestilling")
        verbose_name_plural = _("bestillinger")
        indexes = [models.Index(fields=["ministry", "status"], name="order_ministry_status")]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="order_quantity_positive")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.service.name_nb}"

    @property
    def status_label(self) -> str:
        return gettext(LABELS[Status(self.status)])


class ApprovalStep(PublicModel):
    """One approval in an order's chain. Exactly one step is PENDING at a time; later ones
    wait. A step names a person, or (approver null) a role or group of which any member may
    decide."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Venter på tidligere steg")
        PENDING = "pending", _("Til godkjenning")
        APPROVED = "approved", _("Godkjent")
        REJECTED = "rejected", _("Avvist")
        CANCELLED = "cancelled", _("Bortfalt")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=30)
    approver = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="approval_steps"
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.WAITING)
    activated_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_from = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["order", "position"]
        constraints = [
            models.UniqueConstraint(fields=["order", "position"], name="step_position_once")
        ]

    def __str__(self) -> str:
        return f"{self.order.number} steg {self.position + 1}"

    @property
    def kind_label(self) -> str:
        return str(STEP_LABELS.get(self.kind, self.kind))


class OrderEvent(PublicModel):
    """The order's timeline. Internal notes are for the provider only. The SLA engine
    derives its clocks from these events."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Bestilt")
        APPROVED = "approved", _("Godkjent")
        REJECTED = "rejected", _("Avvist")
        QUEUED = "queued", _("Sendt til leverandøren")
        ASSIGNED = "assigned", _("Tildelt")
        COMMENT = "comment", _("Kommentar")
        NOTE = "note", _("Internt notat")
        INFO_REQUESTED = "info_requested", _("Spørsmål til bestiller")
        INFO_PROVIDED = "info_provided", _("Svar fra bestiller")
        RESOLVED = "resolved", _("Levert")
        CONFIRMED = "confirmed", _("Bekreftet")
        REOPENED = "reopened", _("Gjenåpnet")
        CLOSED = "closed", _("Avsluttet automatisk")
        CANCELLED = "cancelled", _("Kansellert")
        ESCALATED = "escalated", _("Godkjenning eskalert")
        RATED = "rated", _("Vurdert")
        PRIORITY_CHANGED = "priority_changed", _("Prioritet endret")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(blank=True)
    internal = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.order.number}: {self.get_kind_display()}"


class Notification(PublicModel):
    """Something that needs a person's attention, shown in the page (and sent by e-mail)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notifications")
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text

    @property
    def shown_text(self) -> str:
        """The text the page shows. A notice about an order whose service is confidential
        now — its class may have been raised after the notice was written — says only that
        something happened (the neutral notices are written so from the start)."""
        if self.order_id is not None and self.order.service.is_confidential:
            approval = "En skjermet sak venter på godkjenning fra deg"
            return gettext(approval if self.text == approval else SCREENED_NOTICE)
        return self.text


# The neutral notice about a restricted order (orders.services.notifications writes it).
SCREENED_NOTICE = "Du har en oppdatering i en skjermet sak"


class SatisfactionResponse(PublicModel):
    """The orderer's one-question rating of a closed order (at most one per order)."""

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="rating_1_to_5")
        ]

    def __str__(self) -> str:
        return f"{self.order.number}: {self.score}"


class OrderRead(models.Model):
    """One read of a restricted or security order's content: who, when, through which
    route (issue 18, «Hvem har sett saken min»). Append-only: the database refuses an
    UPDATE (migration 0004), no service changes a row, and only the retention job deletes
    rows older than `FELLES_READ_LOG_RETENTION_DAYS`. Separate from the write audit chain:
    reads are many, and the chain is for what changed."""

    class Route(models.TextChoices):
        PAGE = "page", _("Bestillingssiden")
        EMAIL = "email", _("Lenke i e-post")
        APPROVAL_LINK = "approval_link", _("Godkjenningslenke")
        API = "api", _("API")
        EXPORT = "export", _("Eksport")
        FEED = "feed", _("Nyhetsstrøm")
        MEETING_PACK = "meeting_pack", _("Møtepakke")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="reads")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Who read, as the audit log names actors (the username, or «system:…»), kept even
    # for a reader without a person.
    reader = models.CharField(max_length=150)
    route = models.CharField(max_length=20, choices=Route.choices)
    read_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-read_at", "-id"]
        indexes = [models.Index(fields=["order", "read_at"], name="order_read_order_time")]

    def __str__(self) -> str:
        return f"{self.order_id} {self.reader} {self.route}"
