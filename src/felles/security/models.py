"""The personnel-security registers (metadata only: never graded information)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from felles.core.models import PublicModel
from felles.core.visibility import VisibleQuerySet
from felles.orders.models import Order
from felles.orders.states import Status
from felles.organisations.models import Organisation, Person


class Level(models.TextChoices):
    """The security grading levels of the Security Act (sikkerhetsloven § 5-3), lowest
    first: what an authorisation, a clearance, a graded room or a graded contract is for."""

    BEGRENSET = "begrenset", _("BEGRENSET")
    KONFIDENSIELT = "konfidensielt", _("KONFIDENSIELT")
    HEMMELIG = "hemmelig", _("HEMMELIG")
    STRENGT_HEMMELIG = "strengt_hemmelig", _("STRENGT HEMMELIG")

    @classmethod
    def rank(cls, value: str) -> int:
        """0 for BEGRENSET … 3 for STRENGT HEMMELIG (a clearance covers the levels below)."""
        return list(cls.values).index(value)


class Authority(models.TextChoices):
    """Clearance authorities (klareringsforskriften § 1): SKM for the civil ministries."""

    SKM = "skm", _("Sivil klareringsmyndighet")
    NSM = "nsm", _("Nasjonal sikkerhetsmyndighet")
    SMK = "smk", _("Statsministerens kontor")
    FORSVARET = "forsvaret", _("Forsvaret")
    PST = "pst", _("Politiets sikkerhetstjeneste")
    E_TJENESTEN = "etjenesten", _("Etterretningstjenesten")


class RegisterQuerySet(VisibleQuerySet[Any]):
    """`visible_to(user)`: security.selectors (the ministry's coordinators and leader, and
    the provider's personnel-security team for the ministries it serves)."""


def _level_check(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(level__in=Level.values), name=name)


class Authorisation(PublicModel):
    """A decision that a person may see information graded up to `level` (sikkerhetsloven
    § 8-1). The conversation itself stays in the ministry: here only its date."""

    ministry = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("nivå"), max_length=20, choices=Level.choices)
    granted_on = models.DateField(_("autorisert dato"))
    authorised_by = models.CharField(_("autorisasjonsansvarlig"), max_length=200)
    conversation_on = models.DateField(_("autorisasjonssamtale"), null=True, blank=True)
    next_conversation_due = models.DateField(
        _("neste samtale"), null=True, blank=True, db_index=True
    )
    # The due date the coordinator was last reminded of (the scan reminds once per date).
    reminded_for = models.DateField(null=True, blank=True)
    ended_on = models.DateField(_("avsluttet"), null=True, blank=True)
    dispose_on = models.DateField(null=True, blank=True, db_index=True)

    objects = RegisterQuerySet.as_manager()

    class Meta:
        ordering = ["person__last_name", "person__first_name", "level"]
        constraints = [
            _level_check("authorisation_level_known"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("granted_on")),
                name="authorisation_ends_after_start",
            ),
            # One authorisation at a time per person, whatever the level (an upgrade ends
            # the lower one: services.add_authorisation).
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_on__isnull=True),
                name="authorisation_one_open_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.level}"


class Clearance(PublicModel):
    """A security clearance decision (sikkerhetsloven § 8-2): level, authority, decision
    date and expiry (≤ 5 years), and the `sik-klarering` order that asked for it."""

    ministry = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("nivå"), max_length=20, choices=Level.choices)
    authority = models.CharField(
        _("klareringsmyndighet"), max_length=20, choices=Authority.choices, default=Authority.SKM
    )
    decided_on = models.DateField(_("vedtaksdato"))
    expires_on = models.DateField(_("utløper"))
    reclearance_from = models.DateField(db_index=True)
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_on = models.DateField(_("avsluttet"), null=True, blank=True)
    # Offboarding asked for the clearance to be ended (the authority is told by the ministry).
    end_requested_on = models.DateField(_("avslutning bedt om"), null=True, blank=True)
    dispose_on = models.DateField(null=True, blank=True, db_index=True)

    objects = RegisterQuerySet.as_manager()

    class Meta:
        ordering = ["person__last_name", "person__first_name", "-expires_on"]
        constraints = [
            _level_check("clearance_level_known"),
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("decided_on")),
                name="clearance_expires_after_decision",
            ),
            models.CheckConstraint(
                condition=Q(authority__in=Authority.values), name="clearance_authority_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.level} {self.expires_on}"


class Declaration(PublicModel):
    """A signed non-disclosure declaration (VF § 67): only that and when it was signed."""

    ministry = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    signed_on = models.DateField(_("signert"))
    nato = models.BooleanField(_("NATO COSMIC-erklæring"), default=False)
    # The day the person's last authorisation ended (kept 10 years from then, VF § 78).
    ended_on = models.DateField(_("autorisasjon avsluttet"), null=True, blank=True)
    dispose_on = models.DateField(null=True, blank=True, db_index=True)

    objects = RegisterQuerySet.as_manager()

    class Meta:
        ordering = ["person__last_name", "person__first_name", "-signed_on"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.signed_on}"


class Reclearance(PublicModel):
    """The draft of a `sik-klarering` order the reminder scan prepares for the coordinator
    (orders have no draft state): one per clearance. Ordered once the coordinator sends
    it; done when the order's resolution writes the new clearance."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Utkast til bestilling")
        ORDERED = "ordered", _("Bestilt")
        DONE = "done", _("Ny klarering registrert")

    clearance = models.OneToOneField(Clearance, on_delete=models.CASCADE, related_name="renewal")
    ministry = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    order = models.OneToOneField(
        Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RegisterQuerySet.as_manager()

    # The order states from which the team's decision resolves the order (take, resolve):
    # not while it awaits approval, nor while the provider waits for the orderer.
    DECIDABLE = frozenset({Status.QUEUED.value, Status.IN_PROGRESS.value})

    def __str__(self) -> str:
        return f"{self.clearance_id} {self.state}"

    @property
    def decidable(self) -> bool:
        """Whether the authority's decision may be recorded now (the order approved)."""
        return (
            self.state == self.State.ORDERED
            and self.order is not None
            and self.order.status in self.DECIDABLE
        )


class RegisterRead(models.Model):
    """One read of register rows: who, when, which row, through which route (like
    orders.OrderRead). Append-only: the database refuses an UPDATE (migration 0002)."""

    class Route(models.TextChoices):
        PAGE = "page", _("Registersiden")
        LIST = "list", _("Autorisasjonslisten (VF § 72)")
        EXPORT = "export", _("Eksport")
        API = "api", _("API")
        FORM = "form", _("Skjema")
        ISSUE = "issue", _("Utstedelse av listen (VF § 72)")
        ISSUED = "issued", _("Utstedt liste (VF § 72)")

    class Kind(models.TextChoices):
        AUTHORISATION = "authorisation", _("Autorisasjon")
        CLEARANCE = "clearance", _("Sikkerhetsklarering")
        DECLARATION = "declaration", _("Taushetserklæring")
        ISSUED_LIST = "issued_list", _("Utstedt autorisasjonsliste (VF § 72)")

    ministry = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # The log is append-only (the database refuses an UPDATE), so a deleted person leaves
    # their id behind: no database constraint, nothing done on delete (SET_NULL would be
    # an UPDATE, refused). The read page joins with LEFT OUTER JOIN and shows «–».
    reader_person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    reader = models.CharField(max_length=150)
    route = models.CharField(max_length=10, choices=Route.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    row = models.UUIDField()
    subject = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    read_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-read_at", "-id"]
        indexes = [models.Index(fields=["ministry", "read_at"], name="security_read_ministry")]

    def __str__(self) -> str:
        return f"{self.reader} {self.kind} {self.row}"


class DisposalLog(models.Model):
    """The discard register (kassasjonsregister, VF § 78 (5)): whom a disposed row
    concerned, what kind of information it was and when it was disposed; no content."""

    ministry = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=RegisterRead.Kind.choices)
    concerns = models.CharField(max_length=250)
    due_on = models.DateField()
    disposed_on = models.DateField(db_index=True)

    class Meta:
        ordering = ["-disposed_on", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.disposed_on}"


class IssuedList(PublicModel):
    """A VF § 72 list as it was issued: its rows exactly as the list and its export showed
    them that moment (`rows`, a snapshot under language-neutral keys: `archive.COLUMNS`;
    never recomputed), the people it names (`subjects`, person ids for the read log only)
    and the day it is disposed: 10 years after issue (VF § 78 (3)), then deleted by the
    disposal job with an entry in the discard register."""

    ministry = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("utstedt"))
    issued_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The issuer as text (kept when the person is deleted): the actor's label.
    issuer = models.CharField(_("utstedt av"), max_length=150)
    label = models.CharField(_("merknad"), max_length=200, blank=True)
    rows = models.JSONField(default=list)
    subjects = models.JSONField(default=list)
    row_count = models.PositiveIntegerField(_("rader"))
    dispose_on = models.DateField(_("kassasjonsdato"), db_index=True)

    objects = RegisterQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["ministry", "issued_at"], name="security_issued_ministry")]

    def __str__(self) -> str:
        return f"{self.ministry_id} {self.issued_at:%Y-%m-%d}"
