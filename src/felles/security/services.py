"""Writes of the personnel-security register (metadata only: never graded information).

Every writer is keyword-only with `actor`, declares its rule with `@allowed`, runs in one
transaction and is audited. The audit event names the row and what happened, never the
level or dates (the audit log has other readers than the register). The date rules are
`security.rules`; a refused value is a `ServiceError` in bokmål and nothing is saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.core import audit
from felles.core.actor import Actor
from felles.core.errors import Conflict, ServiceError
from felles.core.services import SYSTEM_ONLY, allowed
from felles.core.validators import DATE_RANGE_MESSAGE, control_character, date_in_range
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation, Person
from felles.security import rules, selectors
from felles.security.models import (
    Authorisation,
    Authority,
    Clearance,
    Declaration,
    Reclearance,
    RegisterRead,
)

NOT_YOURS = gettext_lazy("Du har ikke tilgang til personellsikkerhetsregisteret for departementet.")
TEXT_MAX = 200


def _field(name: str, message: str) -> ServiceError:
    return ServiceError(message, {name: [message]})


def _check_person(ministry: Organisation, person: Person) -> None:
    if person.organisation_id != ministry.pk:
        raise _field("person", _("Personen hører ikke til departementet."))


def _check_level(level: str) -> None:
    if not rules.is_level(level):
        raise _field(
            "level",
            _("Ukjent nivå. Velg BEGRENSET, KONFIDENSIELT, HEMMELIG eller STRENGT HEMMELIG."),
        )


def _check_date(name: str, value: dt.date | None) -> None:
    if value is None:
        return
    if not date_in_range(value):
        raise _field(name, str(DATE_RANGE_MESSAGE))


def _check_text(name: str, value: str) -> str:
    value = value.strip()
    if not value:
        raise _field(name, _("Må fylles ut."))
    if len(value) > TEXT_MAX:
        raise _field(name, _("Høyst %(max)s tegn.") % {"max": TEXT_MAX})
    if control_character(value) is not None:
        raise _field(name, _("Teksten inneholder et ugyldig tegn."))
    return value


def _audit(actor: Actor, action: str, obj: Model, ministry_id: int, what: str) -> None:
    audit.record(
        actor=actor,
        action=f"security.{action}",
        obj=obj,
        changes={"register": [None, what]},
        organisation_id=ministry_id,
    )


def _clearance_valid_until(person: Person) -> dt.date | None:
    found = Clearance.objects.filter(person=person, ended_on__isnull=True).aggregate(
        latest=Max("expires_on")
    )["latest"]
    return found  # type: ignore[no-any-return]


# --- authorisations ---------------------------------------------------------------------


@allowed(selectors.may_manage, NOT_YOURS)
def add_authorisation(
    *,
    actor: Actor,
    ministry: Organisation,
    person: Person,
    level: str,
    granted_on: dt.date,
    authorised_by: str,
    conversation_on: dt.date | None = None,
) -> Authorisation:
    """Register an authorisation. Refused: an unknown level, a person of another ministry,
    a conversation after the decision, or an overlap with the person's authorisation at
    the same level."""
    _check_person(ministry, person)
    _check_level(level)
    _check_date("granted_on", granted_on)
    _check_date("conversation_on", conversation_on)
    authorised_by = _check_text("authorised_by", authorised_by)
    if conversation_on is not None and conversation_on > granted_on:
        raise _field(
            "conversation_on",
            _("Autorisasjonssamtalen holdes før autorisasjonen gis (VF § 68)."),
        )
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        existing = Authorisation.objects.filter(person=person, level=level).values_list(
            "granted_on", "ended_on"
        )
        if rules.overlaps(granted_on, None, existing):
            raise Conflict(
                _("Personen har allerede en autorisasjon på dette nivået i samme periode."),
                {"level": [_("Overlapper en annen autorisasjon.")]},
            )
        due = rules.next_conversation_due(level, conversation_on, _clearance_valid_until(person))
        try:
            with transaction.atomic():
                row = Authorisation.objects.create(
                    ministry=ministry,
                    person=person,
                    level=level,
                    granted_on=granted_on,
                    authorised_by=authorised_by,
                    conversation_on=conversation_on,
                    next_conversation_due=due,
                )
        except IntegrityError as exc:
            raise Conflict(
                _("Personen har allerede en autorisasjon på dette nivået i samme periode.")
            ) from exc
        _audit(actor, "authorisation.add", row, ministry.pk, "autorisasjon registrert")
    return row


def _may_manage_row(user: Any, *, row: Any, **_: Any) -> bool:
    return selectors.may_manage(user, ministry=row.ministry)


@allowed(_may_manage_row, NOT_YOURS)
def end_authorisation(*, actor: Actor, row: Authorisation, ended_on: dt.date) -> Authorisation:
    """End an authorisation; its data is disposed 1 year later (VF § 78)."""
    _check_date("ended_on", ended_on)
    if ended_on < row.granted_on:
        raise _field("ended_on", _("Sluttdatoen kan ikke være før autorisasjonen ble gitt."))
    with transaction.atomic():
        changed = Authorisation.objects.filter(pk=row.pk, ended_on__isnull=True).update(
            ended_on=ended_on,
            dispose_on=rules.authorisation_disposal(ended_on, _clearance_valid_until(row.person)),
        )
        if not changed:
            raise Conflict(_("Autorisasjonen er allerede avsluttet."))
        _end_declarations(row.person, ended_on)
        _audit(actor, "authorisation.end", row, row.ministry_id, "autorisasjon avsluttet")
    row.refresh_from_db()
    return row


def _end_declarations(person: Person, ended_on: dt.date) -> None:
    """When the person's last authorisation has ended, the declarations' 10 years start."""
    if Authorisation.objects.filter(person=person, ended_on__isnull=True).exists():
        return
    Declaration.objects.filter(person=person, ended_on__isnull=True).update(
        ended_on=ended_on, dispose_on=rules.declaration_disposal(ended_on)
    )


# --- clearances ---------------------------------------------------------------------------


def _new_clearance(
    ministry: Organisation,
    person: Person,
    level: str,
    authority: str,
    decided_on: dt.date,
    expires_on: dt.date,
    order: Any = None,
) -> Clearance:
    _check_person(ministry, person)
    _check_level(level)
    if rules.level_rank(level) < 1:
        raise _field("level", _("BEGRENSET krever ikke sikkerhetsklarering, bare autorisasjon."))
    if authority not in Authority.values:
        raise _field("authority", _("Ukjent klareringsmyndighet."))
    _check_date("decided_on", decided_on)
    _check_date("expires_on", expires_on)
    if expires_on <= decided_on:
        raise _field("expires_on", _("Utløpsdatoen må være etter vedtaksdatoen."))
    latest = rules.latest_expiry(decided_on)
    if expires_on > latest:
        raise _field(
            "expires_on",
            _(
                "En sikkerhetsklarering gjelder i høyst 5 år fra vedtaket "
                "(klareringsforskriften § 26): siste mulige utløpsdato er %(date)s."
            )
            % {"date": latest.strftime("%d.%m.%Y")},
        )
    return Clearance.objects.create(
        ministry=ministry,
        person=person,
        level=level,
        authority=authority,
        decided_on=decided_on,
        expires_on=expires_on,
        reclearance_from=rules.reclearance_start(expires_on),
        dispose_on=rules.register_disposal(expires_on),
        order=order,
    )


@allowed(selectors.may_manage, NOT_YOURS)
def add_clearance(
    *,
    actor: Actor,
    ministry: Organisation,
    person: Person,
    level: str,
    decided_on: dt.date,
    expires_on: dt.date,
    authority: str = Authority.SKM,
) -> Clearance:
    """Register a clearance decision. Refused: an expiry more than 5 years after the
    decision (klareringsforskriften § 26), an unknown level, BEGRENSET."""
    with transaction.atomic():
        row = _new_clearance(ministry, person, level, authority, decided_on, expires_on)
        _audit(actor, "clearance.add", row, ministry.pk, "klarering registrert")
    return row


@allowed(_may_manage_row, NOT_YOURS)
def end_clearance(*, actor: Actor, row: Clearance, ended_on: dt.date) -> Clearance:
    """End a clearance (the authority withdrew it, or the person left)."""
    _check_date("ended_on", ended_on)
    if ended_on < row.decided_on:
        raise _field("ended_on", _("Sluttdatoen kan ikke være før vedtaket."))
    with transaction.atomic():
        changed = Clearance.objects.filter(pk=row.pk, ended_on__isnull=True).update(
            ended_on=ended_on, dispose_on=rules.register_disposal(min(ended_on, row.expires_on))
        )
        if not changed:
            raise Conflict(_("Klareringen er allerede avsluttet."))
        Reclearance.objects.filter(clearance=row, state=Reclearance.State.DRAFT).delete()
        _audit(actor, "clearance.end", row, row.ministry_id, "klarering avsluttet")
    row.refresh_from_db()
    return row


# --- declarations -----------------------------------------------------------------------


@allowed(selectors.may_manage, NOT_YOURS)
def add_declaration(
    *, actor: Actor, ministry: Organisation, person: Person, signed_on: dt.date, nato: bool = False
) -> Declaration:
    """Register that the person signed a non-disclosure declaration (VF § 67)."""
    _check_person(ministry, person)
    _check_date("signed_on", signed_on)
    with transaction.atomic():
        row = Declaration.objects.create(
            ministry=ministry, person=person, signed_on=signed_on, nato=nato
        )
        _audit(actor, "declaration.add", row, ministry.pk, "taushetserklæring registrert")
    return row


# --- the read log -------------------------------------------------------------------------

ROUTES = frozenset(RegisterRead.Route.values)
KIND_OF = {
    Authorisation: RegisterRead.Kind.AUTHORISATION,
    Clearance: RegisterRead.Kind.CLEARANCE,
    Declaration: RegisterRead.Kind.DECLARATION,
}


def _reader(user: Any, **_: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@allowed(_reader, gettext_lazy("Bare innloggede brukere leser registeret."))
def record_reads(*, actor: Actor, rows: Iterable[Any], route: str) -> int:
    """Record that `actor` read these register rows through `route` (one INSERT). Call it
    where the rows are shown, after the visibility check. Append-only."""
    if route not in ROUTES:
        raise ValueError(f"unknown read route {route!r}")
    person = org_selectors.person_for(actor.user) if actor.user is not None else None
    now = timezone.now()
    reads = [
        RegisterRead(
            ministry_id=row.ministry_id,
            reader_person=person,
            reader=actor.label[:150],
            route=route,
            kind=KIND_OF[type(row)],
            row=row.uuid,
            subject_id=row.person_id,
            read_at=now,
        )
        for row in rows
    ]
    RegisterRead.objects.bulk_create(reads, batch_size=500)
    return len(reads)


@allowed(SYSTEM_ONLY, gettext_lazy("Bare systemet rydder."))
def forget_reclearance(*, actor: Actor, reclearance: Reclearance) -> None:
    """Remove a draft (its clearance ended before it was ordered)."""
    with transaction.atomic():
        Reclearance.objects.filter(pk=reclearance.pk, state=Reclearance.State.DRAFT).delete()
