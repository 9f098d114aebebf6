"""Governance as data: the decision-rights table, the case and decision register with its
escalation ladder, the customer dialogue (meeting series, meetings, action items) and the
advisory council (rotating terms, unavailability, statements on budget proposals).

The rules themselves (ladder, who decides, dialogue targets, rotation) live in the pure
module `governance.rules`."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from felles.core.locale import localized
from felles.core.models import PublicModel
from felles.core.visibility import VisibleQuerySet
from felles.governance import rules
from felles.governance.models.actions import ActionItem

__all__ = [
    "ActionItem",
    "BudgetProposal",
    "Case",
    "CaseCounter",
    "CaseEvent",
    "CouncilTerm",
    "CouncilUnavailability",
    "DecisionRight",
    "Hearing",
    "Meeting",
    "MeetingSeries",
]


class Level(models.TextChoices):
    OPERATIVE = rules.OPERATIVE, _("Operativt")
    TACTICAL = rules.TACTICAL, _("Taktisk")
    STRATEGIC = rules.STRATEGIC, _("Strategisk")


class Decider(models.TextChoices):
    PROVIDER = rules.PROVIDER, _("Leverandøren (DSS/DIO)")
    DFD = rules.DFD, _("DFD")


class DecisionRight(PublicModel):
    """One row of the decision-rights table: a kind of question, who decides it and at
    which level, and who must be heard first. Edited by DFD's governance users."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    topic = models.CharField(_("tema"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    decider = models.CharField(_("avgjøres av"), max_length=20, choices=Decider.choices)
    level = models.CharField(_("laveste nivå"), max_length=20, choices=Level.choices)
    hear_ministries = models.BooleanField(_("alle departementene høres"), default=False)
    hear_council = models.BooleanField(_("rådgivende organ høres"), default=False)
    hear_forum = models.CharField(_("forum som høres"), max_length=200, blank=True)
    hearing_days = models.PositiveSmallIntegerField(_("høringsfrist (virkedager)"), default=10)

    class Meta:
        ordering = ["topic"]
        verbose_name = _("beslutningsfullmakt")
        verbose_name_plural = _("beslutningsfullmakter")
        constraints = [
            # Strategic questions are DFD's, operative and tactical ones the provider's.
            models.CheckConstraint(
                condition=Q(decider=rules.DFD, level=rules.STRATEGIC)
                | Q(decider=rules.PROVIDER, level__in=[rules.OPERATIVE, rules.TACTICAL]),
                name="decision_right_decider_matches_level",
                violation_error_message=_(
                    "Strategiske spørsmål avgjøres av DFD, operative og taktiske av leverandøren."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.topic


class CaseCounter(models.Model):
    """The last case number per year; locked when a number is drawn."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class CaseQuerySet(VisibleQuerySet["Case"]):
    """`visible_to(user)`: `governance.selectors.visible_case_filter`."""


class Case(PublicModel):
    """A governance case ("sak") from raising to decision. Its level moves up the ladder on
    escalation; its decider follows from the level (strategic = DFD). Decided cases are
    published in the decision log; a decided case is reopened only by its decider and
    only with a stated new ground."""

    class Status(models.TextChoices):
        OPEN = "open", _("Til behandling")
        DECIDED = "decided", _("Avgjort")

    number = models.CharField(_("saksnummer"), max_length=20, unique=True)
    title = models.CharField(_("tittel"), max_length=200)
    description = models.TextField(_("beskrivelse"))
    right = models.ForeignKey(
        DecisionRight, on_delete=models.PROTECT, related_name="cases", verbose_name=_("tema")
    )
    area = models.ForeignKey(
        "catalog.ServiceArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tjenesteområde"),
    )
    services = models.ManyToManyField(
        "catalog.Service", blank=True, related_name="governance_cases", verbose_name=_("tjenester")
    )
    provider = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("leverandør"),
    )
    raised_by = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="+"
    )
    raised_by_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("nivå"), max_length=20, choices=Level.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    escalations = models.PositiveSmallIntegerField(_("løftet"), default=0)
    reopenings = models.PositiveSmallIntegerField(_("gjenåpnet"), default=0)
    decision = models.TextField(_("vedtak"), blank=True)
    reasons = models.TextField(_("begrunnelse"), blank=True)
    effective_from = models.DateField(_("gjelder fra"), null=True, blank=True)
    decided_at = models.DateTimeField(_("avgjort"), null=True, blank=True)
    decided_by_label = models.CharField(max_length=200, blank=True)
    decided_by = models.ForeignKey(
        "organisations.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("avgjort av"),
    )
    decided_level = models.CharField(max_length=20, choices=Level.choices, blank=True)
    price_lists = models.ManyToManyField(
        "costing.PriceList", blank=True, related_name="decisions", verbose_name=_("prislister")
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sak")
        verbose_name_plural = _("saker")
        indexes = [models.Index(fields=["status", "level"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | (Q(decided_at__isnull=False) & ~Q(decision="")),
                name="case_decided_has_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def decider(self) -> str:
        return rules.decider_for(self.level)

    @property
    def decider_label(self) -> str:
        if self.decider == rules.DFD:
            return "DFD"
        return self.provider.abbreviation


class Hearing(PublicModel):
    """A party that must be heard before the case is decided, its deadline and its input."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("Departement")
        COUNCIL = "council", _("Rådgivende organ")
        FORUM = "forum", _("Forum")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="hearings")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    forum = models.CharField(max_length=200, blank=True)
    deadline = models.DateField(_("frist"))
    input = models.TextField(_("innspill"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by_label = models.CharField(max_length=200, blank=True)
    answered_by = models.ForeignKey(
        "organisations.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind", "organisation__abbreviation", "forum"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "organisation"],
                condition=Q(organisation__isnull=False),
                name="hearing_once_per_organisation",
            ),
            models.CheckConstraint(
                condition=Q(kind="organisation", organisation__isnull=False)
                | (~Q(kind="organisation") & Q(organisation__isnull=True)),
                name="hearing_organisation_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.party

    @property
    def party(self) -> str:
        if self.organisation_id:
            return self.organisation.abbreviation  # type: ignore[union-attr]
        return self.forum or str(self.get_kind_display())


class CaseEvent(PublicModel):
    """The case's history: raised, heard, escalated (with reason), decided, reopened (with
    the new ground and the decision it replaced)."""

    class Kind(models.TextChoices):
        RAISED = "raised", _("Meldt")
        INPUT = "input", _("Innspill")
        ESCALATED = "escalated", _("Løftet")
        DECIDED = "decided", _("Avgjort")
        REOPENED = "reopened", _("Gjenåpnet")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    from_level = models.CharField(max_length=20, choices=Level.choices, blank=True)
    to_level = models.CharField(max_length=20, choices=Level.choices, blank=True)
    text = models.TextField(blank=True)
    actor_label = models.CharField(max_length=200)  # the audit label; users see `actor`
    actor = models.ForeignKey(
        "organisations.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case.number}: {self.get_kind_display()}"


# --- Customer dialogue ----------------------------------------------------------------------


class MeetingSeriesQuerySet(VisibleQuerySet["MeetingSeries"]):
    """`visible_to(user)`: `governance.selectors.visible_series_filter`."""


class MeetingSeries(PublicModel):
    """A standing meeting series run by a provider, with its target frequency.

    Two shapes, one mechanism: a *dialogue* between one ministry (`ministry`) and the
    provider at one level, with the provider's customer contact for that ministry; or an
    *arena* (`ministry` empty, a `name`): a multi-ministry forum or network such as the
    security leaders' forum, whose `members` are ministries and whose participants in each
    member are the people holding one of `member_roles` there. A dialogue's `members` hold
    its one ministry. An arena may belong to a catalogue service (`service`): that service's
    handling team organises it with the provider's managers and customer contacts."""

    provider = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    ministry = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name_nb = models.CharField(_("navn"), max_length=200, blank=True)
    name_en = models.CharField(_("navn (engelsk)"), max_length=200, blank=True)
    members = models.ManyToManyField(
        "organisations.Organisation",
        blank=True,
        related_name="+",
        verbose_name=_("medlemmer"),
    )
    # Comma-separated organisations.Role values (role codes never contain one another).
    member_roles = models.CharField(_("deltakerroller"), max_length=200, blank=True)
    service = models.ForeignKey(
        "catalog.Service",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tjeneste"),
    )
    level = models.CharField(_("nivå"), max_length=20, choices=Level.choices)
    customer_contact = models.ForeignKey(
        "organisations.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("kundekontakt"),
    )
    target_min = models.PositiveSmallIntegerField(_("minst"))
    target_max = models.PositiveSmallIntegerField(_("høyst"))
    period_months = models.PositiveSmallIntegerField(_("periode (måneder)"))
    starts_on = models.DateField(_("fra"))

    objects = MeetingSeriesQuerySet.as_manager()

    class Meta:
        ordering = ["ministry__abbreviation", "provider__abbreviation", "level"]
        verbose_name = _("møteserie")
        verbose_name_plural = _("møteserier")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "ministry", "level"], name="series_once_per_level"
            ),
            models.CheckConstraint(
                condition=Q(target_min__lte=models.F("target_max")), name="series_min_le_max"
            ),
            models.CheckConstraint(
                condition=Q(period_months__in=[1, 3, 6, 12]), name="series_period_months"
            ),
            models.CheckConstraint(
                condition=Q(ministry__isnull=False) | ~Q(name_nb=""), name="series_arena_named"
            ),
            models.UniqueConstraint(
                fields=["provider", "name_nb"],
                condition=Q(ministry__isnull=True),
                name="arena_name_once_per_provider",
            ),
        ]

    def __str__(self) -> str:
        if self.ministry_id is None:
            return localized(self, "name")
        return (
            f"{self.ministry.abbreviation}–{self.provider.abbreviation}, "
            f"{self.get_level_display().lower()}"
        )

    @property
    def is_arena(self) -> bool:
        return self.ministry_id is None

    @property
    def role_list(self) -> list[str]:
        return [r for r in self.member_roles.split(",") if r]

    @property
    def target(self) -> rules.Target:
        return rules.Target(self.target_min, self.target_max, self.period_months)


class Meeting(PublicModel):
    """One dialogue meeting: agenda beforehand, minutes afterwards (held)."""

    series = models.ForeignKey(MeetingSeries, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField(_("dato"))
    agenda = models.TextField(_("dagsorden"), blank=True)
    minutes = models.TextField(_("referat"), blank=True)
    participants = models.ManyToManyField(
        "organisations.Person", blank=True, related_name="+", verbose_name=_("deltakere")
    )
    held = models.BooleanField(_("avholdt"), default=False)

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("møte")
        verbose_name_plural = _("møter")
        constraints = [
            models.CheckConstraint(
                condition=Q(held=False) | ~Q(minutes=""), name="meeting_held_has_minutes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.held_on:%d.%m.%Y}"


# --- Advisory council -----------------------------------------------------------------------


class CouncilTerm(PublicModel):
    """A rotating seat in the advisory council held by one ministry for one term, and the
    person it nominates (for competence and capacity, not title)."""

    ministry = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("fra"))
    ends_on = models.DateField(_("til"))
    nominee = models.ForeignKey(
        "organisations.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("oppnevnt"),
    )
    competence = models.TextField(_("kompetanse"), blank=True)
    capacity_hours = models.PositiveSmallIntegerField(
        _("kapasitet (timer per måned)"), null=True, blank=True
    )

    class Meta:
        ordering = ["starts_on", "ministry__abbreviation"]
        constraints = [
            models.UniqueConstraint(fields=["ministry", "starts_on"], name="term_once_per_start"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="term_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ministry.abbreviation} {self.starts_on:%m.%Y}–{self.ends_on:%m.%Y}"


class CouncilUnavailability(PublicModel):
    """A ministry's declared inability to take a seat in a period (e.g. during a move)."""

    ministry = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("fra"))
    ends_on = models.DateField(_("til"))
    reason = models.CharField(_("begrunnelse"), max_length=300)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="unavailability_ends_after_start",
            ),
        ]


class BudgetProposal(PublicModel):
    """A provider's budget proposal (satsingsforslag) and the council's statement on it,
    given before the proposal goes to FIN."""

    provider = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("budsjettår"))
    title = models.CharField(_("tittel"), max_length=200)
    amount = models.DecimalField(_("beløp (kr)"), max_digits=14, decimal_places=2)
    description = models.TextField(_("beskrivelse"))
    statement = models.TextField(_("rådets uttalelse"), blank=True)
    statement_on = models.DateField(null=True, blank=True)
    statement_by_label = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-year", "provider__abbreviation", "title"]

    def __str__(self) -> str:
        return f"{self.provider.abbreviation} {self.year}: {self.title}"
