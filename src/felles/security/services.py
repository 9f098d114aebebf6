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
from felles.security import preconditions, rules, selectors
from felles.security.models import (
    Authorisation,
    Authority,
    Clearance,
    Declaration,
    IssuedList,
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


def check_text(name: str, value: str, *, required: bool = True) -> str:
    """A one-line text of the register (at most TEXT_MAX characters, no control
    characters), stripped; else a bokmål error on field `name`."""
    value = (value or "").strip()
    if required and not value:
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
    """The last day any of the person's clearances is (or was) valid: its expiry, or the
    day it ended if earlier (VF § 78 (2): authorisation data is kept as long as that)."""
    days = [
        min(expires, ended or expires)
        for expires, ended in Clearance.objects.filter(person=person).values_list(
            "expires_on", "ended_on"
        )
    ]
    return max(days, default=None)


def _open_clearance_expiry(person: Person) -> dt.date | None:
    """The expiry of the person's clearance in force: not ended, not expired (its
    re-clearance is when the next conversation is due, VF § 68)."""
    found = selectors.current(Clearance.objects.filter(person=person), timezone.localdate())
    found = found.aggregate(latest=Max("expires_on"))["latest"]
    return found  # type: ignore[no-any-return]


def refresh_dates(person: Person) -> None:
    """Recompute every date that depends on the person's clearances and authorisations
    (call it in the transaction that changed them): the next conversation of each open
    authorisation (VF § 68), the disposal day of each ended one (VF § 78 (2): 1 year, or
    as long as the clearance is valid) and of the declarations (VF § 78 (3))."""
    expiry = _open_clearance_expiry(person)
    valid_until = _clearance_valid_until(person)
    for pk, level, talk, due, ended, dispose in Authorisation.objects.filter(
        person=person
    ).values_list(
        "pk", "level", "conversation_on", "next_conversation_due", "ended_on", "dispose_on"
    ):
        if ended is None:
            fresh = rules.next_conversation_due(level, talk, expiry)
            if fresh != due:
                Authorisation.objects.filter(pk=pk).update(next_conversation_due=fresh)
        else:
            fresh = rules.authorisation_disposal(ended, valid_until)
            if fresh != dispose:
                Authorisation.objects.filter(pk=pk).update(dispose_on=fresh)
    _sync_declarations(person)


def _sync_declarations(person: Person) -> None:
    """A declaration binds while one of the person's authorisations is open and is kept 10
    years after the last one ends (VF § 78 (3)); a person with no authorisation in the
    register keeps what the declaration has (offboarding may have ended it). An end day
    only moves later: a disposed authorisation does not shorten the declaration's time."""
    ends = list(
        Authorisation.objects.filter(person=person, ministry_id=person.organisation_id).values_list(
            "ended_on", flat=True
        )
    )
    if not ends:
        return
    last = rules.declaration_basis_end(ends)
    for pk, ended, dispose in Declaration.objects.filter(person=person).values_list(
        "pk", "ended_on", "dispose_on"
    ):
        end = None if last is None else max(last, ended or last)
        due = None if end is None else rules.declaration_disposal(end)
        if (end, due) != (ended, dispose):
            Declaration.objects.filter(pk=pk).update(ended_on=end, dispose_on=due)


# --- authorisations ---------------------------------------------------------------------


def _check_overlap(
    person: Person, ministry: Organisation, level: str, granted_on: dt.date
) -> list[Authorisation]:
    """One authorisation at a time per person and ministry, whatever the level. A higher
    level granted after an open lower one replaces it (returned: end them the day before);
    anything else that overlaps is refused."""
    replace: list[Authorisation] = []
    others = Authorisation.objects.filter(person=person, ministry=ministry).order_by("granted_on")
    for other in others:
        upgrade = (
            other.ended_on is None
            and rules.level_rank(level) > rules.level_rank(other.level)
            and granted_on > other.granted_on
        )
        if upgrade:
            replace.append(other)
        elif rules.overlaps(granted_on, None, [(other.granted_on, other.ended_on)]):
            # The other row's level and dates stay out: the message is no logged read.
            if other.ended_on is None:
                message = _(
                    "Personen har allerede en autorisasjon i departementet som ikke er "
                    "avsluttet. En person har én autorisasjon om gangen i departementet: en "
                    "høyere autorisasjon gitt senere erstatter den, ellers må den avsluttes "
                    "først (en senking skal vurderes og dokumenteres, VF § 74)."
                )
            else:
                message = _(
                    "Personen har allerede en autorisasjon i departementet i samme periode."
                )
            raise Conflict(message, {"granted_on": [message]})
    return replace


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
    a conversation after the decision, KONFIDENSIELT or higher without a valid clearance
    at that level or higher (sikkerhetsloven §§ 8-1, 8-2), without the conversation (VF
    § 68) or a declaration signed on or before the grant (VF § 67), or an overlap with
    another of the person's authorisations in the ministry at any level. A higher level granted
    after an open lower one ends the lower one the day before (an upgrade replaces it)."""
    _check_person(ministry, person)
    _check_level(level)
    _check_date("granted_on", granted_on)
    _check_date("conversation_on", conversation_on)
    authorised_by = check_text("authorised_by", authorised_by)
    if conversation_on is not None and conversation_on > granted_on:
        raise _field(
            "conversation_on",
            _("Autorisasjonssamtalen holdes før autorisasjonen gis (VF § 68)."),
        )
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        preconditions.check_authorisation(ministry, person, level, granted_on, conversation_on)
        replaced = _check_overlap(person, ministry, level, granted_on)
        for lower in replaced:
            Authorisation.objects.filter(pk=lower.pk, ended_on__isnull=True).update(
                ended_on=granted_on - dt.timedelta(days=1)
            )
            _audit(
                actor,
                "authorisation.end",
                lower,
                ministry.pk,
                "autorisasjon avsluttet: erstattet av høyere nivå",
            )
        due = rules.next_conversation_due(level, conversation_on, _open_clearance_expiry(person))
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
                _("Personen har allerede en åpen autorisasjon i departementet.")
            ) from exc
        refresh_dates(person)
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
            ended_on=ended_on
        )
        if not changed:
            raise Conflict(_("Autorisasjonen er allerede avsluttet."))
        refresh_dates(row.person)
        _audit(actor, "authorisation.end", row, row.ministry_id, "autorisasjon avsluttet")
    row.refresh_from_db()
    return row


@allowed(_may_manage_row, NOT_YOURS)
def record_conversation(
    *, actor: Actor, row: Authorisation, held_on: dt.date, today: dt.date | None = None
) -> Authorisation:
    """Record that the authorisation conversation was held (VF § 68; the conversation
    itself stays in the ministry): the date, and the next one due by the rules."""
    _check_date("held_on", held_on)
    today = today or timezone.localdate()
    if held_on > today:
        raise _field("held_on", _("Registrer samtalen når den er holdt: datoen er frem i tid."))
    if row.conversation_on is not None and held_on < row.conversation_on:
        raise _field(
            "held_on",
            _("Samtalen kan ikke være før forrige registrerte samtale (%(date)s).")
            % {"date": row.conversation_on.strftime("%d.%m.%Y")},
        )
    with transaction.atomic():
        locked = Authorisation.objects.select_for_update().filter(pk=row.pk).first()
        if locked is None or locked.ended_on is not None:
            raise Conflict(_("Autorisasjonen er avsluttet."))
        due = rules.next_conversation_due(locked.level, held_on, _open_clearance_expiry(row.person))
        Authorisation.objects.filter(pk=row.pk).update(
            conversation_on=held_on, next_conversation_due=due
        )
        _audit(
            actor, "authorisation.conversation", row, row.ministry_id, "autorisasjonssamtale holdt"
        )
    row.refresh_from_db()
    return row


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
    decision (klareringsforskriften § 26), an unknown level, BEGRENSET. It replaces the
    person's open clearance in the ministry decided before it: that one ends the day
    before the new decision (within its own validity)."""
    with transaction.atomic():
        row = _new_clearance(ministry, person, level, authority, decided_on, expires_on)
        for old in Clearance.objects.filter(
            person=person, ministry=ministry, ended_on__isnull=True, decided_on__lt=decided_on
        ).exclude(pk=row.pk):
            ended = max(old.decided_on, min(old.expires_on, decided_on - dt.timedelta(days=1)))
            Clearance.objects.filter(pk=old.pk).update(
                ended_on=ended, dispose_on=rules.register_disposal(ended)
            )
            Reclearance.objects.filter(clearance=old, state=Reclearance.State.DRAFT).delete()
            _audit(actor, "clearance.end", old, ministry.pk, "klarering avsluttet: nytt vedtak")
        refresh_dates(person)
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
        refresh_dates(row.person)
        _audit(actor, "clearance.end", row, row.ministry_id, "klarering avsluttet")
    row.refresh_from_db()
    return row


# --- declarations -----------------------------------------------------------------------


@allowed(selectors.may_manage, NOT_YOURS)
def add_declaration(
    *, actor: Actor, ministry: Organisation, person: Person, signed_on: dt.date, nato: bool = False
) -> Declaration:
    """Register that the person signed a non-disclosure declaration (VF § 67). Signed
    after the person's authorisations all ended (registered afterwards), its 10 years
    run from the last end at once (VF § 78 (3))."""
    _check_person(ministry, person)
    _check_date("signed_on", signed_on)
    with transaction.atomic():
        row = Declaration.objects.create(
            ministry=ministry, person=person, signed_on=signed_on, nato=nato
        )
        _sync_declarations(person)
        row.refresh_from_db()
        _audit(actor, "declaration.add", row, ministry.pk, "taushetserklæring registrert")
    return row


# --- the read log -------------------------------------------------------------------------

ROUTES = frozenset(RegisterRead.Route.values)
KIND_OF = {
    Authorisation: RegisterRead.Kind.AUTHORISATION,
    Clearance: RegisterRead.Kind.CLEARANCE,
    Declaration: RegisterRead.Kind.DECLARATION,
}


def _read_subjects(row: Any) -> list[tuple[str, int | None]]:
    if isinstance(row, IssuedList):
        return [(RegisterRead.Kind.ISSUED_LIST, subject) for subject in row.subjects]
    return [(KIND_OF[type(row)], row.person_id)]


def _reader(user: Any, **_: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@allowed(_reader, gettext_lazy("Bare innloggede brukere leser registeret."))
def record_reads(*, actor: Actor, rows: Iterable[Any], route: str) -> int:
    """Record that `actor` read these register rows through `route` (one INSERT). Call it
    where the rows are shown, after the visibility check. Append-only. An issued VF § 72
    list (`IssuedList`) is one read per person it names."""
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
            kind=kind,
            row=row.uuid,
            subject_id=subject,
            read_at=now,
        )
        for row in rows
        for kind, subject in _read_subjects(row)
    ]
    RegisterRead.objects.bulk_create(reads, batch_size=500)
    return len(reads)


@allowed(SYSTEM_ONLY, gettext_lazy("Bare systemet rydder."))
def forget_reclearance(*, actor: Actor, reclearance: Reclearance) -> None:
    """Remove a draft (its clearance ended before it was ordered)."""
    with transaction.atomic():
        Reclearance.objects.filter(pk=reclearance.pk, state=Reclearance.State.DRAFT).delete()
