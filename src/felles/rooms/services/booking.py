"""Bookings: one-off, recurring (all occurrences or none), cancelled (one occurrence or
the series; changes: services.change), requests decided by DSS, and the add-ons
(catering, technical help) placed as ordinary orders for the booker's ministry.

No double booking: every write runs in one transaction that first looks for an overlapping
live booking of the room. On SQLite the transaction is IMMEDIATE (conf/settings.py), so it
holds the write lock from BEGIN and two bookers run one after the other: the second sees
the first's row. On PostgreSQL two transactions can both find the slot free; the exclusion
constraint `booking_no_overlap` then refuses the second insert, which becomes the same 409."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.catalog.models import Service
from felles.core import audit
from felles.core.actor import Actor
from felles.core.errors import Conflict, Forbidden, ServiceError
from felles.core.services import allowed
from felles.core.validators import control_character, control_character_message
from felles.orders import services as order_services
from felles.organisations.models import Person
from felles.rooms import rules, selectors
from felles.rooms.models import LIVE, Booking, Room, Series

CATERING_SERVICE = "srv-servering"
TECHNICAL_SERVICE = "ikt-videomote"
CATERING_CHOICES = ("Kaffe og te", "Frukt", "Lunsj")


def rule_message(code: str) -> str:
    return {
        "ends_before_start": _("Bookingen må slutte etter at den begynner."),
        "too_long": _(
            "En booking kan vare høyst 12 timer. Bruk en gjentakelse for lengre arrangementer."
        ),
        "in_the_past": _("Du kan ikke booke et tidspunkt som er passert."),
        "end_in_the_past": _("Sluttidspunktet er passert."),
        "too_far_ahead": _("Du kan booke høyst to år frem i tid."),
        "count_or_until": _("Oppgi enten antall ganger eller en sluttdato."),
        "bad_interval": _("Intervallet må være mellom 1 og 52."),
        "bad_freq": _("Velg daglig eller ukentlig gjentakelse."),
        "until_before_start": _("Sluttdatoen kan ikke være før første dato."),
        "too_many": _("En serie kan ha høyst 104 forekomster."),
    }.get(code, _("Ugyldig verdi."))


def _refuse(exc: rules.RuleError) -> ServiceError:
    message = rule_message(exc.code)
    return ServiceError(message, {exc.field: [message]} if exc.field else None)


def _own_booking(me: Any, /, *, booker: Person, **_: Any) -> bool:
    return bool(booker.user_id == me.pk)


def _booker_or_team(me: Any, /, *, booking: Booking, **_: Any) -> bool:
    return bool(booking.booker.user_id == me.pk) or selectors.manages_rooms(me)


def _series_owner_or_team(me: Any, /, *, series: Series, **_: Any) -> bool:
    return bool(series.booker.user_id == me.pk) or selectors.manages_rooms(me)


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ServiceError(_("Gi bookingen en tittel."), {"title": [_("Feltet må fylles ut.")]})
    char = control_character(title)
    if char:
        raise ServiceError(
            control_character_message(char), {"title": [control_character_message(char)]}
        )
    if len(title) > 200:
        raise ServiceError(_("Tittelen er for lang."), {"title": [_("Høyst 200 tegn.")]})
    return title


def _check_room(booker: Person, room: Room, participants: int, day: dt.date) -> None:
    if not selectors.may_book(booker, room):
        raise ServiceError(
            _("Departementet ditt kan ikke booke dette rommet."),
            {"room": [_("Rommet er forbeholdt andre departementer.")]},
        )
    if selectors.suspended_on(room, day):
        raise ServiceError(
            _("Rommet er suspendert til %(d)s og kan ikke bookes.")
            % {"d": room.suspended_until.strftime("%d.%m.%Y") if room.suspended_until else "?"},
            {"room": [_("Rommet er suspendert.")]},
        )
    if not 1 <= participants <= room.capacity:
        raise ServiceError(
            _("Rommet har plass til %(n)s personer.") % {"n": room.capacity},
            {"participants": [_("Mellom 1 og %(n)s.") % {"n": room.capacity}]},
        )


def _taken() -> Conflict:
    return Conflict(
        _("Rommet er allerede booket i dette tidsrommet. Velg et annet tidspunkt eller rom."),
        {"start": [_("Tidsrommet er opptatt.")]},
    )


def _lock_room(room_id: int) -> None:
    """Bookers of one room queue on its row (PostgreSQL; SQLite's IMMEDIATE transaction
    already holds the database's write lock). Without it two concurrent inserts could each
    wait on the other's uncommitted row in the exclusion check, which PostgreSQL ends as a
    deadlock rather than the clear 409; the constraint stays the last line of defence."""
    Room.objects.select_for_update().filter(pk=room_id).values_list("pk", flat=True).first()


def _insert(booking: Booking) -> Booking:
    """Insert under the no-overlap rule (see the module's note); a clash is a 409."""
    if selectors.overlapping(booking.room_id, booking.start, booking.end).exists():
        raise _taken()
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as exc:
        if "booking_no_overlap" in str(exc):
            raise _taken() from exc
        raise
    return booking


def _add_on(
    actor: Actor, booking: Booking, code: str, answers: dict[str, Any], quantity: int
) -> Any:
    service = Service.objects.get(code=code)
    local = timezone.localtime(booking.start)
    values = {
        "dato": local.date().isoformat(),
        "tidspunkt": f"{local:%H:%M}–{timezone.localtime(booking.end):%H:%M}",
        "deltakere": booking.participants,
        "oppsett": "Langbord",
        "merknad": f"{booking.room.name}, {booking.room.building}: {booking.title}",
        **answers,
    }
    form = {f.key: {"label": f.label_nb, "value": values.get(f.key)} for f in service.fields.all()}
    return order_services.submit_order(
        actor=actor,
        orderer=booking.booker,
        service=service,
        answers=form,
        quantity=Decimal(quantity),
        buyer_reference=f"Møterom {booking.room.code}",
    )


def _check_catering(catering: tuple[str, ...]) -> None:
    if set(catering) - set(CATERING_CHOICES):
        raise ServiceError(_("Ukjent servering."), {"catering": [_("Velg fra listen.")]})


def _order_add_ons(
    actor: Actor, booking: Booking, catering: tuple[str, ...], technical_help: bool
) -> int:
    """Place the booking's add-on orders (catering: one cover per participant) and link
    them to it; how many were placed. A request's add-ons are held on the booking instead
    (nothing is ordered for a meeting DSS may decline): `_place_held_add_ons` on approval."""
    if booking.status == Booking.Status.REQUESTED:
        booking.held_add_ons = (
            {"catering": list(catering), "technical_help": technical_help}
            if catering or technical_help
            else {}
        )
        booking.save(update_fields=["held_add_ons", "updated_at"])
        return 0
    if catering:
        booking.catering_order = _add_on(
            actor, booking, CATERING_SERVICE, {"servering": list(catering)}, booking.participants
        )
    if technical_help:
        booking.technical_order = _add_on(actor, booking, TECHNICAL_SERVICE, {}, 1)
    if catering or technical_help:
        booking.save(update_fields=["catering_order", "technical_order", "updated_at"])
    return bool(catering) + bool(technical_help)


def _place_held_add_ons(actor: Actor, booking: Booking) -> int:
    """Order the add-ons a request held, now that it is confirmed; how many."""
    held, booking.held_add_ons = booking.held_add_ons or {}, {}
    booking.save(update_fields=["held_add_ons", "updated_at"])
    catering = tuple(held.get("catering") or ())
    return _order_add_ons(actor, booking, catering, bool(held.get("technical_help")))


@allowed(_own_booking, gettext_lazy("Du kan bare booke i eget navn."))
def book(
    *,
    actor: Actor,
    booker: Person,
    room: Room,
    title: str,
    start: dt.datetime,
    end: dt.datetime,
    participants: int = 1,
    catering: tuple[str, ...] = (),
    technical_help: bool = False,
    now: dt.datetime | None = None,
) -> Booking:
    """Book `room` for [start, end). Catering (srv-servering, one cover per participant)
    and technical help (ikt-videomote) become orders for the booker's ministry in the same
    transaction: the booking and its orders are saved together or not at all."""
    title = _clean_title(title)
    try:
        rules.check_times(start, end, now or timezone.now())
    except rules.RuleError as exc:
        raise _refuse(exc) from exc
    _check_room(booker, room, participants, timezone.localtime(start).date())
    _check_catering(catering)
    status = (
        Booking.Status.REQUESTED if room.policy == Room.Policy.REQUEST else Booking.Status.CONFIRMED
    )
    with transaction.atomic():
        _lock_room(room.pk)
        booking = _insert(
            Booking(
                room=room,
                booker=booker,
                organisation_id=booker.organisation_id,
                title=title,
                start=start,
                end=end,
                participants=participants,
                status=status,
            )
        )
        _order_add_ons(actor, booking, catering, technical_help)
        audit.record(
            actor=actor,
            action="rooms.booking.book",
            obj=booking,
            changes={
                "room": [None, room.code],
                "start": [None, start.isoformat()],
                "end": [None, end.isoformat()],
                "status": [None, status],
                "catering_order": [
                    None,
                    booking.catering_order.number if booking.catering_order else None,
                ],
                "technical_order": [
                    None,
                    booking.technical_order.number if booking.technical_order else None,
                ],
                "held_add_ons": [None, booking.held_add_ons or None],
            },
            organisation_id=booker.organisation_id,
        )
    return booking


@allowed(_own_booking, gettext_lazy("Du kan bare booke i eget navn."))
def book_series(
    *,
    actor: Actor,
    booker: Person,
    room: Room,
    title: str,
    first_day: dt.date,
    start_time: dt.time,
    minutes: int,
    freq: str,
    interval: int = 1,
    count: int | None = None,
    until: dt.date | None = None,
    exceptions: tuple[dt.date, ...] = (),
    participants: int = 1,
    catering: tuple[str, ...] = (),
    technical_help: bool = False,
    now: dt.datetime | None = None,
) -> Series:
    """A recurring booking at the same Oslo time each day or week. Every occurrence is
    booked or none: a clash names the dates that are taken.

    Add-ons are ordered per occurrence: each occurrence gets its own catering and
    technical-help orders with its date, as a single booking does. Invoicing records what
    a resolved order delivered, once per order on the day it was resolved, so each
    meeting's coffee is invoiced in its own month, and cancelling one occurrence cancels
    its orders (if still cancellable) without touching the others'."""
    title = _clean_title(title)
    _check_catering(catering)
    now = now or timezone.now()
    try:
        found = rules.occurrences(
            first_day=first_day,
            start_time=start_time,
            minutes=minutes,
            freq=freq,
            interval=interval,
            count=count,
            until=until,
            exceptions=exceptions,
        )
        if not found:
            raise rules.RuleError("count_or_until", "count")
        rules.check_times(found[0].start, found[0].end, now)
        rules.check_times(found[-1].start, found[-1].end, now)
    except rules.RuleError as exc:
        raise _refuse(exc) from exc
    for occ in found:
        _check_room(booker, room, participants, occ.day)
    status = (
        Booking.Status.REQUESTED if room.policy == Room.Policy.REQUEST else Booking.Status.CONFIRMED
    )
    with transaction.atomic():
        _lock_room(room.pk)
        clashes = [
            occ.day for occ in found if selectors.overlapping(room.pk, occ.start, occ.end).exists()
        ]
        if clashes:
            days = ", ".join(d.strftime("%d.%m.%Y") for d in clashes[:10])
            raise Conflict(
                _("Rommet er opptatt %(days)s. Ingen av forekomstene ble booket.") % {"days": days},
                {"start": [_("Opptatt: %(days)s.") % {"days": days}]},
            )
        series = Series.objects.create(
            room=room,
            booker=booker,
            freq=freq,
            interval=interval,
            first_day=first_day,
            start_time=start_time,
            minutes=minutes,
            count=count,
            until=until,
            exceptions=sorted(d.isoformat() for d in exceptions),
        )
        orders = 0
        for occ in found:
            booking = _insert(
                Booking(
                    room=room,
                    booker=booker,
                    organisation_id=booker.organisation_id,
                    title=title,
                    start=occ.start,
                    end=occ.end,
                    participants=participants,
                    status=status,
                    series=series,
                )
            )
            orders += _order_add_ons(actor, booking, catering, technical_help)
        audit.record(
            actor=actor,
            action="rooms.series.book",
            obj=series,
            changes={
                "room": [None, room.code],
                "occurrences": [None, len(found)],
                "add_on_orders": [None, orders],
            },
            organisation_id=booker.organisation_id,
        )
    return series


def _cancel_add_ons(actor: Actor, booking: Booking) -> list[str]:
    """Cancel the add-on orders that can still be cancelled; the rest stay (the provider
    has them in hand: they are settled on the order). Returns the numbers kept."""
    kept = []
    for order in (booking.catering_order, booking.technical_order):
        if order is None:
            continue
        try:
            order_services.cancel(
                actor=actor,
                order=order,
                reason=_("Møteromsbookingen er avlyst."),
                person=booking.booker,
            )
        except (Conflict, Forbidden, ServiceError):
            kept.append(order.number)
    return kept


def _cancel_one(actor: Actor, booking: Booking) -> list[str]:
    updated = Booking.objects.filter(pk=booking.pk, status__in=LIVE).update(
        status=Booking.Status.CANCELLED, sequence=F("sequence") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise Conflict(_("Bookingen er allerede avlyst."))
    kept = _cancel_add_ons(actor, booking)
    audit.record(
        actor=actor,
        action="rooms.booking.cancel",
        obj=booking,
        changes={"status": [booking.status, Booking.Status.CANCELLED], "orders_kept": [None, kept]},
        organisation_id=booking.organisation_id,
    )
    return kept


@allowed(
    _booker_or_team, gettext_lazy("Bare den som booket og DSS' møteromsteam kan avlyse bookingen.")
)
def cancel_booking(*, actor: Actor, booking: Booking) -> Booking:
    """Cancel one booking (or one occurrence of a series: it becomes an exception of the
    series). Its add-on orders are cancelled if they still can be."""
    with transaction.atomic():
        _cancel_one(actor, booking)
        if booking.series_id:
            series = Series.objects.select_for_update().get(pk=booking.series_id)
            day = timezone.localtime(booking.start).date().isoformat()
            if day not in series.exceptions:
                series.exceptions = sorted([*series.exceptions, day])
                series.save(update_fields=["exceptions", "updated_at"])
    booking.refresh_from_db()
    return booking


@allowed(
    _series_owner_or_team,
    gettext_lazy("Bare den som booket og DSS' møteromsteam kan avlyse serien."),
)
def cancel_series(*, actor: Actor, series: Series, now: dt.datetime | None = None) -> int:
    """Cancel every occurrence that has not begun; the past ones stay as they were."""
    now = now or timezone.now()
    with transaction.atomic():
        if Series.objects.filter(pk=series.pk, cancelled=False).update(cancelled=True) == 0:
            raise Conflict(_("Serien er allerede avlyst."))
        future = list(series.bookings.filter(status__in=LIVE, start__gte=now))
        for booking in future:
            _cancel_one(actor, booking)
        audit.record(
            actor=actor,
            action="rooms.series.cancel",
            obj=series,
            changes={"cancelled": [0, len(future)]},
            organisation_id=series.booker.organisation_id,
        )
    return len(future)


@allowed(selectors.may_manage_rooms, gettext_lazy("Bare DSS' møteromsteam behandler forespørsler."))
def decide_request(*, actor: Actor, booking: Booking, approve: bool) -> Booking:
    """Confirm or decline a booking of a room booked on request. Approval places the
    add-on orders the request held; a decline drops them (and cancels any placed)."""
    target = Booking.Status.CONFIRMED if approve else Booking.Status.DECLINED
    with transaction.atomic():
        if not Booking.objects.filter(pk=booking.pk, status=Booking.Status.REQUESTED).update(
            status=target, sequence=F("sequence") + 1, updated_at=timezone.now()
        ):
            raise Conflict(_("Forespørselen er allerede behandlet."))
        decided = Booking.objects.select_related("room", "booker").get(pk=booking.pk)
        held = decided.held_add_ons or {}
        if approve:
            _place_held_add_ons(actor, decided)
        else:
            decided.held_add_ons = {}
            decided.save(update_fields=["held_add_ons", "updated_at"])
            _cancel_add_ons(actor, decided)
        audit.record(
            actor=actor,
            action="rooms.booking.decide",
            obj=booking,
            changes={
                "status": [Booking.Status.REQUESTED, target],
                "held_add_ons": [held or None, None],
                "catering_order": [
                    None,
                    decided.catering_order.number if decided.catering_order else None,
                ],
                "technical_order": [
                    None,
                    decided.technical_order.number if decided.technical_order else None,
                ],
            },
            organisation_id=booking.organisation_id,
        )
    booking.refresh_from_db()
    return booking
