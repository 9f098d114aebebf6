"""The service catalogue: areas, services with quality level, cost-sharing kind, funding
mechanism, versioned prices, availability per ministry and typed order forms."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from felles.core.models import PublicModel
from felles.organisations.models import Organisation, Person


class CostKind(models.TextChoices):
    """Table 3 of the review: which kind of service, which funding is the rule."""

    BASIC = "basic", _("Basistjeneste")
    FIXED_ADDON = "fixed_addon", _("Fast tilleggstjeneste")
    VARIABLE_ADDON = "variable_addon", _("Variabel tilleggstjeneste")
    VOLUME = "volume", _("Volumstyrt tjeneste")
    DEVELOPMENT = "development", _("Utvikling")


class Funding(models.TextChoices):
    APPROPRIATION = "appropriation", _("Egen bevilgning hos leverandøren")
    CHARGING_AUTHORISATION = "charging_authorisation", _("Belastningsfullmakt")
    INVOICING = "invoicing", _("Fakturering")


class ApprovalPolicy(models.TextChoices):
    NONE = "none", _("Ingen godkjenning")
    LINE_MANAGER = "line_manager", _("Nærmeste leder")
    LINE_MANAGER_AND_BUDGET = (
        "line_manager_budget",
        _("Nærmeste leder, og budsjettdisponent over beløpsgrensen"),
    )
    SECURITY_COORDINATOR = "security_coordinator", _("Sikkerhetskoordinator")
    APPROVER_GROUP = "approver_group", _("Fast godkjennergruppe")


class Confidentiality(models.TextChoices):
    """Who may read a service's orders (issue 18). *Open*: the ordinary order rules.
    *Restricted*: the orderer, the beneficiary, the approvers in the order's own chain and
    the service's handling team; the auditor sees that the order exists, not its content.
    *Security*: restricted, plus the ministry's security coordinators."""

    OPEN = "open", _("Åpen")
    RESTRICTED = "restricted", _("Skjermet")
    SECURITY = "security", _("Skjermet, sikkerhet")


class Priority(models.TextChoices):
    LOW = "low", _("Lav")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("Høy")
    CRITICAL = "critical", _("Kritisk")


class ServiceArea(PublicModel):
    """A service area (HR, information management, security, service functions, ICT)."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name_nb = models.CharField(_("navn (bokmål)"), max_length=100)
    name_en = models.CharField(_("navn (engelsk)"), max_length=100)
    description_nb = models.TextField(_("beskrivelse"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name_nb"]
        verbose_name = _("tjenesteområde")
        verbose_name_plural = _("tjenesteområder")

    def __str__(self) -> str:
        return self.name_nb


class ServiceQuerySet(models.QuerySet["Service"]):
    def available_to(self, organisation: Organisation | None) -> ServiceQuerySet:
        """Active services a ministry may order: those with no availability rows (everyone)
        or with a row for this ministry."""
        if organisation is None:
            return self.none()
        return (
            self.filter(active=True)
            .filter(Q(availability__isnull=True) | Q(availability__organisation=organisation))
            .distinct()
        )

    def search(self, text: str) -> ServiceQuerySet:
        """Every word must appear in a name, summary, description, keywords or area."""
        qs = self
        for word in text.split():
            qs = qs.filter(
                Q(name_nb__icontains=word)
                | Q(name_en__icontains=word)
                | Q(summary_nb__icontains=word)
                | Q(keywords__icontains=word)
                | Q(description_nb__icontains=word)
                | Q(area__name_nb__icontains=word)
            )
        return qs


class Service(PublicModel):
    """A service in the catalogue, delivered by one provider."""

    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="services",
        limit_choices_to={"kind": Organisation.Kind.PROVIDER},
    )
    area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="services")
    code = models.SlugField(_("tjenestekode"), max_length=60, unique=True)
    name_nb = models.CharField(_("navn (bokmål)"), max_length=150)
    name_en = models.CharField(_("navn (engelsk)"), max_length=150)
    summary_nb = models.CharField(_("kort beskrivelse"), max_length=300)
    description_nb = models.TextField(_("beskrivelse"), blank=True)
    description_en = models.TextField(_("beskrivelse (engelsk)"), blank=True)
    keywords = models.CharField(_("søkeord"), max_length=300, blank=True)
    # Targets, opening hours and work process are effective-dated: `ServiceLevel`.
    default_priority = models.CharField(
        _("standard prioritet"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    mandatory = models.BooleanField(_("obligatorisk for departementene"), default=False)
    cost_kind = models.CharField(_("tjenestetype"), max_length=20, choices=CostKind.choices)
    funding = models.CharField(_("finansiering"), max_length=30, choices=Funding.choices)
    unit_code = models.CharField(_("enhet (UN/ECE Rec 20)"), max_length=3, default="EA")
    unit_label = models.CharField(_("enhet"), max_length=40, default="stk")
    approval_policy = models.CharField(
        _("godkjenning"),
        max_length=30,
        choices=ApprovalPolicy.choices,
        default=ApprovalPolicy.LINE_MANAGER,
    )
    approval_threshold = models.DecimalField(
        _("beløpsgrense for budsjettdisponent"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0.00"),
    )
    approver_group = models.ManyToManyField(
        Person, blank=True, related_name="+", verbose_name=_("godkjennergruppe")
    )
    confidentiality = models.CharField(
        _("skjerming"), max_length=20, choices=Confidentiality.choices, default=Confidentiality.OPEN
    )
    # Why the service has its class, in words for the catalogue (bokmål, English).
    confidentiality_reason_nb = models.CharField(
        _("begrunnelse for skjerming"), max_length=300, blank=True
    )
    confidentiality_reason_en = models.CharField(
        _("begrunnelse for skjerming (engelsk)"), max_length=300, blank=True
    )
    # The provider staff who handle a restricted or security service's orders, kept by the
    # provider's managers; other agents at the provider do not see those orders.
    handling_team = models.ManyToManyField(
        Person, blank=True, related_name="handled_services", verbose_name=_("saksbehandlerteam")
    )
    active = models.BooleanField(_("aktiv"), default=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["area__position", "name_nb"]
        verbose_name = _("tjeneste")
        verbose_name_plural = _("tjenester")

    def __str__(self) -> str:
        return self.name_nb

    @property
    def is_confidential(self) -> bool:
        return self.confidentiality != Confidentiality.OPEN

    def is_orderable_by(self, organisation: Organisation | None) -> bool:
        """Whether `organisation` may order this service, read from its (usually prefetched)
        availability rows: active, ordered by a ministry, open to all or to this one (the
        rule of `ServiceQuerySet.available_to`, for one loaded service)."""
        if organisation is None or organisation.kind != Organisation.Kind.MINISTRY:
            return False
        rows = self.availability.all()
        return self.active and (not rows or any(r.organisation_id == organisation.pk for r in rows))

    def funding_for(self, organisation: Organisation) -> str:
        """The funding mechanism for one ministry (an availability row may override it)."""
        for row in self.availability.all():
            if row.organisation_id == organisation.pk and row.funding:
                return row.funding
        return self.funding

    def price_on(self, day: dt.date) -> PriceVersion | None:
        for version in self.prices.all():
            if version.valid_from <= day and (version.valid_to is None or day <= version.valid_to):
                return version
        return None

    def level_on(self, day: dt.date) -> ServiceLevel | None:
        """The service level valid on `day` (from prefetched `levels` when loaded)."""
        for level in self.levels.all():
            if level.valid_from <= day and (level.valid_to is None or day <= level.valid_to):
                return level
        return None


class ServiceAvailability(models.Model):
    """Limits a service to named ministries, optionally with another funding mechanism for
    that ministry (the same service may be appropriation-funded for one and invoiced for
    another)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="availability")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    funding = models.CharField(max_length=30, choices=Funding.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "organisation"], name="availability_once")
        ]

    def __str__(self) -> str:
        return f"{self.service} – {self.organisation.abbreviation}"


class PriceVersion(PublicModel):
    """A unit price valid for a date range. Prices are never edited in place: a change is
    a new version, so orders and usage keep the price that applied on their date."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="prices")
    valid_from = models.DateField(_("gyldig fra"))
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)
    unit_price = models.DecimalField(_("pris per enhet"), max_digits=12, decimal_places=2)
    is_demo = models.BooleanField(_("demopris"), default=False)
    basis = models.TextField(_("beregningsgrunnlag"), blank=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("prisversjon")
        constraints = [
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="price_not_negative"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="price_period_ordered",
            ),
            models.UniqueConstraint(fields=["service", "valid_from"], name="price_start_once"),
        ]

    def __str__(self) -> str:
        return f"{self.service}: {self.unit_price} fra {self.valid_from:%d.%m.%Y}"


# Bounds on a target, in business hours (the provider's office hours; about 7.75 a day):
# a first response within five weeks, a resolution within a year.
MAX_RESPONSE_HOURS = 200
MAX_RESOLUTION_HOURS = 2000


class ServiceLevel(PublicModel):
    """A service's level for a date range (issue 18): response and resolution targets per
    priority, opening hours and the work process as the customer sees it. Never edited in
    place: a change is a new version from a later date, and an order keeps the targets of
    the version valid on the day it reached the provider (`sla.services.targets_for`)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="levels")
    valid_from = models.DateField(_("gyldig fra"))
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)
    low_response = models.DecimalField(_("lav: første svar"), max_digits=6, decimal_places=2)
    low_resolution = models.DecimalField(_("lav: løst innen"), max_digits=6, decimal_places=2)
    normal_response = models.DecimalField(_("normal: første svar"), max_digits=6, decimal_places=2)
    normal_resolution = models.DecimalField(_("normal: løst innen"), max_digits=6, decimal_places=2)
    high_response = models.DecimalField(_("høy: første svar"), max_digits=6, decimal_places=2)
    high_resolution = models.DecimalField(_("høy: løst innen"), max_digits=6, decimal_places=2)
    critical_response = models.DecimalField(
        _("kritisk: første svar"), max_digits=6, decimal_places=2
    )
    critical_resolution = models.DecimalField(
        _("kritisk: løst innen"), max_digits=6, decimal_places=2
    )
    opening_hours = models.CharField(_("åpningstid"), max_length=200)
    work_process = models.TextField(_("arbeidsprosess"), blank=True)
    # English for the English pages (`|local:"opening_hours"`); bokmål when blank.
    opening_hours_en = models.CharField(_("åpningstid (engelsk)"), max_length=200, blank=True)
    work_process_en = models.TextField(_("arbeidsprosess (engelsk)"), blank=True)
    basis = models.CharField(_("grunnlag"), max_length=300, blank=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("servicenivå")
        verbose_name_plural = _("servicenivåer")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="level_period_ordered",
            ),
            models.UniqueConstraint(fields=["service", "valid_from"], name="level_start_once"),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{p}_response__gt": 0})
                    & Q(**{f"{p}_response__lte": MAX_RESPONSE_HOURS})
                    & Q(**{f"{p}_resolution__gte": models.F(f"{p}_response")})
                    & Q(**{f"{p}_resolution__lte": MAX_RESOLUTION_HOURS}),
                    name=f"level_{p}_targets_ordered",
                )
                for p in ("low", "normal", "high", "critical")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service}: servicenivå fra {self.valid_from:%d.%m.%Y}"

    def targets(self) -> dict[str, tuple[Decimal, Decimal]]:
        """Business hours (response, resolution) per priority."""
        return {
            p: (getattr(self, f"{p}_response"), getattr(self, f"{p}_resolution"))
            for p in Priority.values
        }


class FormField(PublicModel):
    """One typed field of a service's order form."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Tekst")
        LONG_TEXT = "long_text", _("Lang tekst")
        NUMBER = "number", _("Tall")
        DATE = "date", _("Dato")
        CHOICE = "choice", _("Valg")
        MULTI_CHOICE = "multi_choice", _("Flervalg")
        PERSON = "person", _("Person")
        UNIT = "unit", _("Enhet i departementet")
        ATTACHMENT = "attachment", _("Vedlegg")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="fields")
    key = models.SlugField(max_length=40)
    label_nb = models.CharField(_("ledetekst"), max_length=150)
    label_en = models.CharField(_("ledetekst (engelsk)"), max_length=150, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    required = models.BooleanField(_("påkrevd"), default=False)
    help_text = models.CharField(_("hjelpetekst"), max_length=300, blank=True)
    choices = models.JSONField(_("valg"), default=list, blank=True)
    min_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["service", "key"], name="field_key_once")]

    def __str__(self) -> str:
        return f"{self.service}: {self.label_nb}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label_nb,
            "kind": self.kind,
            "required": self.required,
            "help_text": self.help_text,
            "choices": list(self.choices),
        }


class CatalogueRevision(models.Model):
    """One row whose token changes with every write to the catalogue tables that ordering
    reads (services, their form fields, prices, availability and approver groups).
    Database triggers (migration 0002) set a fresh random token on each such write, from
    Felles or from anything else, so a process may keep loaded service definitions for as
    long as the token it loaded them under is current (`selectors.service_definition`).
    A migration that rebuilds one of these tables on SQLite drops its triggers and must
    re-create them; `catalog/tests/test_revision.py` fails until it does."""

    token = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.token
