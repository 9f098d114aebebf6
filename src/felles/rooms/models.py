"""Meeting rooms (the graded ones included: the security register of issue 20), their
inspections, bookings (one-off or occurrences of a recurring series) and the secret each
person's calendar feed is reached by. No two live bookings of one room overlap: on
PostgreSQL an exclusion constraint over the time range, on SQLite the write transaction
(services.booking)."""

from __future__ import annotations

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import Func, Q
from django.utils.translation import gettext_lazy as _

from felles.core.models import PublicModel
from felles.core.visibility import VisibleQuerySet
from felles.organisations.models import Organisation, Person
from felles.security.models import Level

# The equipment vocabulary (kept small on purpose: it is what the search filters by).
EQUIPMENT: dict[str, str] = {
    "skjerm": _("Skjerm"),
    "video": _("Videomøteutstyr"),
    "tavle": _("Tavle"),
    "teleslynge": _("Teleslynge"),
    "projektor": _("Projektor"),
    "telefon": _("Konferansetelefon"),
}

LIVE = ("confirmed", "requested")


class RoomQuerySet(VisibleQuerySet["Room"]):
    """`visible_to(user)`: `rooms.selectors.visible_room_filter`."""


class Room(PublicModel):
    class Policy(models.TextChoices):
        ALL = "all", _("Alle departementer")
        SOME = "some", _("Utvalgte departementer")
        REQUEST = "request", _("Etter forespørsel")

    class Approval(models.TextChoices):
        APPROVED = "approved", _("Godkjent")
        SUSPENDED = "suspended", _("Suspendert")

    code = models.CharField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("navn"), max_length=120)
    building = models.CharField(_("bygg"), max_length=120)
    floor = models.CharField(_("etasje"), max_length=20, blank=True)
    capacity = models.PositiveSmallIntegerField(_("antall plasser"))
    equipment = models.JSONField(_("utstyr"), default=list, blank=True)
    accessible = models.BooleanField(_("universelt utformet"), default=True)
    accessibility_note = models.CharField(_("tilgjengelighet"), max_length=300, blank=True)
    policy = models.CharField(
        _("hvem kan booke"), max_length=10, choices=Policy.choices, default=Policy.ALL
    )
    allowed_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("departementer som kan booke")
    )
    level = models.CharField(
        _("gradering"), max_length=20, choices=Level.choices, blank=True, default=""
    )
    approval = models.CharField(
        _("godkjenning"), max_length=10, choices=Approval.choices, blank=True, default=""
    )
    suspended_until = models.DateField(_("suspendert til"), null=True, blank=True)
    active = models.BooleanField(_("i bruk"), default=True)

    objects = RoomQuerySet.as_manager()

    class Meta:
        ordering = ["building", "floor", "name"]
        verbose_name = _("møterom")
        verbose_name_plural = _("møterom")

    def __str__(self) -> str:
        return f"{self.name} ({self.building})"

    @property
    def graded(self) -> bool:
        return bool(self.level)


class Inspection(PublicModel):
    class Result(models.TextChoices):
        APPROVED = "approved", _("Godkjent")
        REMARKS = "remarks", _("Godkjent med merknader")
        FAILED = "failed", _("Ikke godkjent")

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="inspections")
    date = models.DateField(_("dato"))
    inspector = models.CharField(_("inspektør"), max_length=120)
    result = models.CharField(_("resultat"), max_length=10, choices=Result.choices)
    notes = models.TextField(_("merknader"), blank=True, max_length=4000)

    class Meta:
        ordering = ["-date", "-id"]


class Series(PublicModel):
    """A recurring booking: the rule its occurrences came from (in Oslo local time)."""

    class Freq(models.TextChoices):
        DAILY = "daily", _("Daglig")
        WEEKLY = "weekly", _("Ukentlig")

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="series")
    booker = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    freq = models.CharField(max_length=10, choices=Freq.choices)
    interval = models.PositiveSmallIntegerField(default=1)
    first_day = models.DateField()
    start_time = models.TimeField()
    minutes = models.PositiveIntegerField()
    count = models.PositiveSmallIntegerField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    exceptions = models.JSONField(default=list, blank=True)
    cancelled = models.BooleanField(default=False)


class BookingQuerySet(VisibleQuerySet["Booking"]):
    """`visible_to(user)`: `rooms.selectors.visible_booking_filter`."""


class Booking(PublicModel):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Bekreftet")
        REQUESTED = "requested", _("Forespurt")
        CANCELLED = "cancelled", _("Avlyst")
        DECLINED = "declined", _("Avslått")

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="bookings")
    booker = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="room_bookings")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("tittel"), max_length=200)
    start = models.DateTimeField(_("fra"))
    end = models.DateTimeField(_("til"))
    participants = models.PositiveSmallIntegerField(_("antall deltakere"), default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.PROTECT, related_name="bookings"
    )
    sequence = models.PositiveIntegerField(default=0)
    catering_order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    technical_order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    held_add_ons = models.JSONField(default=dict, blank=True)
    """A request's add-ons, held until DSS approves it: {"catering": [...],
    "technical_help": bool}; placed as orders on approval, dropped on decline."""

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        indexes = [models.Index(fields=["room", "start", "end"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="booking_ends_after_start"
            ),
            # PostgreSQL only (the migration adds it there; SQLite checks in the transaction).
            ExclusionConstraint(
                name="booking_no_overlap",
                expressions=[
                    ("room", RangeOperators.EQUAL),
                    (Func("start", "end", function="TSTZRANGE"), RangeOperators.OVERLAPS),
                ],
                condition=Q(status__in=LIVE),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def uid(self) -> str:
        """The iCalendar UID: stable for the booking's life."""
        return f"{self.uuid}@felles.dep.no"

    @property
    def live(self) -> bool:
        return self.status in LIVE


class FeedToken(PublicModel):
    """The secret in a person's calendar-feed address (Outlook cannot sign in): only its
    digest is stored (core.tokens); a new one replaces the old."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="+")
    prefix = models.CharField(max_length=20)
    digest = models.CharField(max_length=64, unique=True)
