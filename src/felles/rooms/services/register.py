"""The room register: rooms (DSS's room team and managers), the graded part of it and
inspections (DSS's security team and managers), and each person's calendar-feed secret."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.core import audit, tokens
from felles.core.actor import Actor
from felles.core.errors import ServiceError
from felles.core.services import allowed
from felles.core.validators import control_character, control_character_message, date_in_range
from felles.organisations.models import Organisation, Person
from felles.rooms import selectors
from felles.rooms.models import EQUIPMENT, FeedToken, Inspection, Room
from felles.security.models import Level

ROOM_FIELDS = (
    "code",
    "name",
    "building",
    "floor",
    "capacity",
    "equipment",
    "accessible",
    "accessibility_note",
    "policy",
    "active",
)
GRADED_FIELDS = ("level", "approval", "suspended_until")


def _may_save(user: Any, *, values: dict[str, Any], **_: Any) -> bool:
    if any(k in values for k in GRADED_FIELDS) and not selectors.keeps_register(user):
        return selectors.manages_rooms(user) and not any(values.get(k) for k in GRADED_FIELDS)
    return selectors.manages_rooms(user)


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    for key in ("code", "name", "building", "floor", "accessibility_note"):
        if key in values:
            values[key] = str(values[key] or "").strip()
            char = control_character(values[key])
            if char:
                errors[key] = [control_character_message(char)]
    for key in ("code", "name", "building"):
        if key in values and not values[key]:
            errors[key] = [_("Feltet må fylles ut.")]
    if "capacity" in values and not 1 <= int(values["capacity"] or 0) <= 2000:
        errors["capacity"] = [_("Antall plasser må være mellom 1 og 2000.")]
    if "equipment" in values:
        unknown = set(values["equipment"] or ()) - set(EQUIPMENT)
        if unknown:
            errors["equipment"] = [_("Ukjent utstyr: %(e)s.") % {"e": ", ".join(sorted(unknown))}]
        values["equipment"] = sorted(set(values["equipment"] or ()))
    if values.get("level") and values["level"] not in Level.values:
        errors["level"] = [_("Ukjent graderingsnivå.")]
    if values.get("level") and not values.get("approval"):
        values["approval"] = Room.Approval.APPROVED
    if not values.get("level") and "level" in values:
        values.update(approval="", suspended_until=None)
    if values.get("approval") == Room.Approval.SUSPENDED and not values.get("suspended_until"):
        errors["suspended_until"] = [_("Oppgi hvor lenge rommet er suspendert.")]
    if values.get("suspended_until") and not date_in_range(values["suspended_until"]):
        errors["suspended_until"] = [_("Datoen må ligge mellom 1.1.2000 og 31.12.2100.")]
    if errors:
        raise ServiceError(_("Rommet ble ikke lagret. Rett feilene under."), errors)
    return values


@allowed(_may_save, gettext_lazy("Bare DSS' møteromsteam og sikkerhetsteam kan endre rom."))
def save_room(
    *,
    actor: Actor,
    values: dict[str, Any],
    room: Room | None = None,
    allowed_organisations: list[Organisation] | None = None,
) -> Room:
    """Create or change a room. Grading fields (level, approval, suspended until) belong to
    the security register."""
    values = _clean(dict(values))
    with transaction.atomic():
        if room is None:
            if Room.objects.filter(code=values.get("code")).exists():
                raise ServiceError(
                    _("Koden er i bruk."), {"code": [_("Et annet rom har denne koden.")]}
                )
        elif (
            "code" in values
            and Room.objects.filter(code=values["code"]).exclude(pk=room.pk).exists()
        ):
            raise ServiceError(
                _("Koden er i bruk."), {"code": [_("Et annet rom har denne koden.")]}
            )
        extra = {}
        if allowed_organisations is not None:
            extra["allowed_organisations"] = [
                None,
                sorted(o.abbreviation for o in allowed_organisations),
            ]
        room = audit.save_values(
            room,
            new=Room,
            values=values,
            fields=[f for f in (*ROOM_FIELDS, *GRADED_FIELDS) if f in values],
            actor=actor,
            action="rooms.room",
            extra=extra,
        )
        if allowed_organisations is not None:
            room.allowed_organisations.set(allowed_organisations)
    return room


@allowed(selectors.may_keep_register, gettext_lazy("Bare DSS' sikkerhetsteam fører inspeksjoner."))
def record_inspection(
    *,
    actor: Actor,
    room: Room,
    date: dt.date,
    inspector: str,
    result: str,
    notes: str = "",
    suspended_until: dt.date | None = None,
) -> Inspection:
    """Record an inspection of a graded room. A failed one suspends the room until
    `suspended_until`; an approval lifts a suspension."""
    inspector = inspector.strip()
    errors: dict[str, list[str]] = {}
    if not room.graded:
        errors["room"] = [_("Bare graderte rom inspiseres her.")]
    if not inspector or control_character(inspector):
        errors["inspector"] = [_("Oppgi hvem som inspiserte.")]
    if result not in Inspection.Result.values:
        errors["result"] = [_("Velg et resultat.")]
    if not date_in_range(date) or date > timezone.localdate() + dt.timedelta(days=1):
        errors["date"] = [_("Inspeksjonen kan ikke være frem i tid.")]
    if result == Inspection.Result.FAILED and not suspended_until:
        errors["suspended_until"] = [_("Oppgi hvor lenge rommet er suspendert.")]
    if errors:
        raise ServiceError(_("Inspeksjonen ble ikke lagret. Rett feilene under."), errors)
    with transaction.atomic():
        inspection = Inspection.objects.create(
            room=room, date=date, inspector=inspector, result=result, notes=notes.strip()
        )
        if result == Inspection.Result.FAILED:
            room.approval, room.suspended_until = Room.Approval.SUSPENDED, suspended_until
        else:
            room.approval, room.suspended_until = Room.Approval.APPROVED, None
        room.save(update_fields=["approval", "suspended_until", "updated_at"])
        audit.record(
            actor=actor,
            action="rooms.inspection.record",
            obj=inspection,
            changes={
                "room": [None, room.code],
                "result": [None, result],
                "approval": [None, room.approval],
                "suspended_until": [None, str(suspended_until or "")],
            },
        )
    return inspection


def _own(me: Any, /, *, person: Person, **_: Any) -> bool:
    return bool(person.user_id == me.pk)


@allowed(_own, gettext_lazy("Du kan bare lage kalenderlenke for deg selv."))
def issue_feed_token(*, actor: Actor, person: Person) -> str:
    """A new secret for the person's calendar feeds (the old address stops working).
    Returned once; only its digest is kept."""
    secret = tokens.new_secret()
    with transaction.atomic():
        token, _created = FeedToken.objects.update_or_create(
            person=person,
            defaults={"prefix": tokens.display_prefix(secret), "digest": tokens.digest(secret)},
        )
        audit.record(actor=actor, action="rooms.feed_token.issue", obj=token)
    return secret
