"""Changing a booking: its title, time, room and number of participants, under the same
rules as booking it (services.booking: times, the room's policy, seats and suspension, no
double booking) and with the calendar entry's SEQUENCE raised (same UID) so Outlook moves
the meeting instead of adding a second one.

The add-on orders follow the booking. An order the booker can still cancel (waiting for
approval or in the provider's queue, not yet taken) is cancelled and placed again with the
new date, time, room and participants, so what is delivered and invoiced matches the
meeting. An order the provider has taken stays as it is: a comment on it tells the
provider what changed (they adjust it and settle it on the order), and the change reports
it as «to follow up» (`Change.flagged`). A change of the title alone leaves the orders be.
"""

from __future__ import annotations

import datetime as dt
from contextlib import suppress
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.core import audit
from felles.core.actor import Actor
from felles.core.errors import Conflict, Forbidden, ServiceError
from felles.core.services import allowed
from felles.orders import services as order_services
from felles.rooms import rules, selectors
from felles.rooms.models import Booking, Room
from felles.rooms.services.booking import (
    CATERING_SERVICE,
    TECHNICAL_SERVICE,
    _add_on,
    _booker_or_team,
    _check_room,
    _clean_title,
    _lock_room,
    _place_held_add_ons,
    _refuse,
    _taken,
)

FIELDS = ("title", "start", "end", "room", "participants", "status")


@dataclass
class Change:
    booking: Booking
    replaced: list[str] = field(default_factory=list)
    """Add-on orders cancelled and placed again: «old → new» numbers."""
    flagged: list[str] = field(default_factory=list)
    """Add-on orders the provider has in hand: told by a comment, to follow up."""
    held: list[str] = field(default_factory=list)
    """Add-on orders cancelled and held on the booking until DSS approves the request."""
    placed: int = 0
    """Held add-ons ordered now that the request is confirmed (moved to an open room)."""


def _describe(before: Booking, after: Booking) -> str:
    def when(b: Booking) -> str:
        start = timezone.localtime(b.start)
        return f"{start:%d.%m.%Y %H:%M}–{timezone.localtime(b.end):%H:%M}"

    return _(
        "Møteromsbookingen er endret: nå %(when)s i %(room)s, %(n)s deltakere "
        "(var %(was)s i %(was_room)s, %(was_n)s deltakere)."
    ) % {
        "when": when(after),
        "room": after.room.name,
        "n": after.participants,
        "was": when(before),
        "was_room": before.room.name,
        "was_n": before.participants,
    }


def _follow_add_ons(actor: Actor, before: Booking, booking: Booking, result: Change) -> None:
    """Place the orders again for the new time (or flag them). A booking now «Forespurt»
    (moved to a room booked on request) holds them instead: cancelled and kept on the
    booking until DSS approves; a request now confirmed places what it held."""
    held = booking.status == Booking.Status.REQUESTED
    kinds = (("catering_order", CATERING_SERVICE), ("technical_order", TECHNICAL_SERVICE))
    for attr, code in kinds:
        order = getattr(booking, attr)
        if order is None or order.status in ("cancelled", "rejected", "closed"):
            continue
        if code == CATERING_SERVICE:
            answers = {"servering": (order.answers.get("servering") or {}).get("value") or []}
            quantity = booking.participants
        else:
            answers, quantity = {}, 1
        try:
            with transaction.atomic():
                order_services.cancel(
                    actor=actor,
                    order=order,
                    reason=_("Møteromsbookingen er endret; bestillingen er lagt inn på nytt."),
                    person=booking.booker,
                )
                new = None if held else _add_on(actor, booking, code, answers, quantity)
        except (Conflict, Forbidden, ServiceError):
            result.flagged.append(order.number)
            # If even a comment is refused, the audit event and the booking page name it.
            with suppress(Conflict, Forbidden, ServiceError), transaction.atomic():
                order_services.comment(actor=actor, order=order, text=_describe(before, booking))
        else:
            setattr(booking, attr, new)
            if new is not None:
                result.replaced.append(f"{order.number} → {new.number}")
                continue
            result.held.append(order.number)
            if code == CATERING_SERVICE:
                booking.held_add_ons = {**booking.held_add_ons, "catering": answers["servering"]}
            else:
                booking.held_add_ons = {**booking.held_add_ons, "technical_help": True}
    if not held and booking.held_add_ons:
        result.placed = _place_held_add_ons(actor, booking)


@allowed(
    _booker_or_team, gettext_lazy("Bare den som booket og DSS' møteromsteam kan endre bookingen.")
)
def change_booking(
    *,
    actor: Actor,
    booking: Booking,
    title: str | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    room: Room | None = None,
    participants: int | None = None,
    now: dt.datetime | None = None,
) -> Change:
    """Change the title, time, room or participants (None: unchanged); a meeting under
    way can be extended or shortened (rules.check_change). Moving to another
    room takes that room's policy: a room booked on request makes the booking «Forespurt»
    again, and a request moved to an open room is confirmed."""
    new_title = _clean_title(title) if title is not None else booking.title
    new_start, new_end = start or booking.start, end or booking.end
    new_room = room or booking.room
    new_participants = booking.participants if participants is None else participants
    moved = (new_start, new_end, new_room.pk, new_participants) != (
        booking.start,
        booking.end,
        booking.room_id,
        booking.participants,
    )
    if moved:  # a new title alone is fine, even for a meeting under way
        try:
            rules.check_change(booking.start, new_start, new_end, now or timezone.now())
        except rules.RuleError as exc:
            raise _refuse(exc) from exc
        _check_room(
            booking.booker, new_room, new_participants, timezone.localtime(new_start).date()
        )
    result = Change(booking)
    if not moved and new_title == booking.title:
        return result
    with transaction.atomic():
        for room_id in sorted({booking.room_id, new_room.pk}):  # one order: no deadlock
            _lock_room(room_id)
        locked = (
            # Only the booking's row: PostgreSQL refuses FOR UPDATE on an outer join's
            # nullable side (the add-on orders, locked by the order services themselves).
            Booking.objects.select_for_update(of=("self",))
            .select_related("room", "booker", "catering_order", "technical_order")
            .get(pk=booking.pk)
        )
        if not locked.live:
            raise Conflict(_("Bookingen er avlyst og kan ikke endres."))
        clash = selectors.overlapping(new_room.pk, new_start, new_end).exclude(pk=locked.pk)
        if clash.exists():
            raise _taken()
        before = audit.snapshot(locked, FIELDS)
        previous = Booking(
            room=locked.room,
            start=locked.start,
            end=locked.end,
            participants=locked.participants,
        )
        locked.title, locked.start, locked.end = new_title, new_start, new_end
        locked.room, locked.participants = new_room, new_participants
        if new_room.pk != previous.room.pk:
            locked.status = (
                Booking.Status.REQUESTED
                if new_room.policy == Room.Policy.REQUEST
                else Booking.Status.CONFIRMED
            )
        locked.sequence += 1
        try:
            with transaction.atomic():
                audit.save_audited(
                    locked,
                    actor=actor,
                    fields=(*FIELDS, "sequence"),
                    before=before,
                    action="rooms.booking.change",
                    organisation_id=locked.organisation_id,
                )
        except IntegrityError as exc:
            if "booking_no_overlap" in str(exc):
                raise _taken() from exc
            raise
        if moved:
            _follow_add_ons(actor, previous, locked, result)
            if result.replaced or result.flagged or result.held or result.placed:
                locked.save(
                    update_fields=[
                        "catering_order",
                        "technical_order",
                        "held_add_ons",
                        "updated_at",
                    ]
                )
                audit.record(
                    actor=actor,
                    action="rooms.booking.add_ons_follow",
                    obj=locked,
                    changes={
                        "replaced": [None, result.replaced],
                        "flagged": [None, result.flagged],
                        "held": [None, result.held],
                        "placed": [None, result.placed],
                    },
                    organisation_id=locked.organisation_id,
                )
    result.booking = locked
    return result
