"""Writes for organisations, units, people, roles and absences. Each function takes
`*, actor`, runs in one transaction and leaves an audit event per changed row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import SYSTEM_ONLY, Conflict, ServiceError, allowed
from felles.core.types import AnyUser
from felles.core.validators import normalise_org_number
from felles.organisations import hierarchy, selectors
from felles.organisations.models import (
    Absence,
    Organisation,
    Person,
    Role,
    RoleAssignment,
    Unit,
)
from felles.organisations.reference import ALL_ORGANISATIONS

ORGANISATION_FIELDS = (
    "abbreviation",
    "name_nb",
    "name_en",
    "org_number",
    "org_number_is_test",
    "kind",
    "is_governing",
    "in_government_quarter",
    "email_domain",
)
UNIT_FIELDS = ("code", "name", "kind", "parent", "active")
PERSON_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "employee_number",
    "title",
    "unit",
    "line_manager",
    "active",
)
ABSENCE_FIELDS = ("starts_on", "ends_on", "substitute", "note")

ADMINISTRATORS_ONLY = gettext_lazy("Bare administratorer fører enheter, personer og roller.")


def _manages_absences(user: AnyUser, person: Person, **_: Any) -> bool:
    return selectors.can_manage_absences_of(user, person)


def _manages_absence(user: AnyUser, absence: Absence, **_: Any) -> bool:
    return selectors.can_manage_absences_of(user, absence.person)


# --- Organisations ----------------------------------------------------------------------


@allowed(SYSTEM_ONLY, gettext_lazy("Referanselisten over virksomheter lastes bare av systemet."))
def sync_reference_organisations(*, actor: Actor) -> int:
    """Create or update the ministries and providers from the reference list. Idempotent;
    returns how many rows changed."""
    changed = 0
    with transaction.atomic():
        for record in ALL_ORGANISATIONS:
            org = Organisation.objects.filter(abbreviation=record.abbreviation).first()
            before = audit.snapshot(org, ORGANISATION_FIELDS) if org else None
            org = org or Organisation()
            for name, value in record._asdict().items():
                setattr(org, name, value)
            org.org_number = normalise_org_number(record.org_number)
            if audit.save_audited(
                org,
                actor=actor,
                fields=ORGANISATION_FIELDS,
                before=before,
                action="organisations.organisation." + ("create" if before is None else "update"),
            ):
                changed += 1
    return changed


# --- Units ------------------------------------------------------------------------------


@allowed(selectors.is_administrator, ADMINISTRATORS_ONLY)
def save_unit(
    *,
    actor: Actor,
    organisation: Organisation,
    code: str,
    name: str,
    kind: str = Unit.Kind.OTHER,
    parent: Unit | None = None,
    active: bool = True,
    unit: Unit | None = None,
) -> Unit:
    """Create a unit, or update `unit`. The parent must be in the same organisation and
    may not be the unit itself or one of its descendants."""
    with transaction.atomic():
        if parent is not None and parent.organisation_id != organisation.pk:
            raise ServiceError(
                _("Overordnet enhet må høre til samme organisasjon."),
                {"parent": [_("Velg en enhet i samme organisasjon.")]},
            )
        if unit is not None and parent is not None:
            parents = dict(
                Unit.objects.filter(organisation=organisation).values_list("pk", "parent_id")
            )
            if hierarchy.creates_cycle(parents, unit.pk, parent.pk):
                raise ServiceError(
                    _("En enhet kan ikke ligge under seg selv."),
                    {"parent": [_("Velg en enhet som ikke ligger under denne.")]},
                )
        before = audit.snapshot(unit, UNIT_FIELDS) if unit else None
        unit = unit or Unit(organisation=organisation)
        unit.code, unit.name, unit.kind, unit.parent, unit.active = code, name, kind, parent, active
        try:
            with transaction.atomic():
                audit.save_audited(
                    unit,
                    actor=actor,
                    fields=UNIT_FIELDS,
                    before=before,
                    action="organisations.unit." + ("create" if before is None else "update"),
                    organisation_id=organisation.pk,
                )
        except IntegrityError as exc:
            raise Conflict(
                _("Enhetskoden «%(code)s» finnes allerede i %(org)s.")
                % {"code": code, "org": organisation.abbreviation},
                {"code": [_("Enhetskoden er i bruk.")]},
            ) from exc
    return unit


# --- People -----------------------------------------------------------------------------


def _ensure_login(person: Person) -> None:
    """Every person gets a login user (username = e-mail). No password is set here: people
    sign in through the configured identity provider, or an administrator sets one."""
    User = get_user_model()
    if person.user_id is None:
        username = person.email.lower()
        user = User.objects.filter(username=username).first()
        if user is not None and (user.is_superuser or hasattr(user, "person")):
            # Never adopt an administrator's login or someone else's.
            raise Conflict(
                _("E-postadressen %(email)s tilhører allerede en annen bruker i Felles.")
                % {"email": person.email},
                {"email": [_("E-postadressen er i bruk.")]},
            )
        if user is None:
            user = User(username=username, email=person.email)
            user.set_unusable_password()
        user.first_name, user.last_name = person.first_name, person.last_name
        user.is_active = person.active
        user.save()
        person.user = user
    else:
        get_user_model().objects.filter(pk=person.user_id).update(
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email,
            is_active=person.active,
        )


@allowed(selectors.is_administrator, ADMINISTRATORS_ONLY)
def save_person(
    *,
    actor: Actor,
    organisation: Organisation,
    values: dict[str, Any],
    person: Person | None = None,
) -> Person:
    """Create a person (with login user and the employee role), or update `person`.
    Refuses a line manager that would make a loop in the management chain."""
    with transaction.atomic():
        manager = values.get("line_manager")
        if person is not None and manager is not None:
            managers = dict(Person.objects.values_list("pk", "line_manager_id"))
            if hierarchy.creates_cycle(managers, person.pk, manager.pk):
                raise ServiceError(
                    _(
                        "Nærmeste leder kan ikke være personen selv eller en av hennes/hans "
                        "medarbeidere."
                    ),
                    {"line_manager": [_("Velg en leder høyere i linjen.")]},
                )
        unit = values.get("unit")
        if unit is not None and unit.organisation_id != organisation.pk:
            raise ServiceError(
                _("Enheten hører til en annen organisasjon."),
                {"unit": [_("Velg en enhet i samme organisasjon.")]},
            )
        before = audit.snapshot(person, PERSON_FIELDS) if person else None
        creating = person is None
        person = person or Person(organisation=organisation)
        for name in PERSON_FIELDS:
            if name in values:
                setattr(person, name, values[name])
        try:
            person.full_clean(exclude=["user", "organisation", "unit", "line_manager"])
        except ValidationError as exc:
            raise ServiceError(_("Personen har ugyldige felt."), exc.message_dict) from exc
        try:
            with transaction.atomic():
                _ensure_login(person)
                audit.save_audited(
                    person,
                    actor=actor,
                    fields=PERSON_FIELDS,
                    before=before,
                    action="organisations.person." + ("create" if creating else "update"),
                    organisation_id=organisation.pk,
                )
        except IntegrityError as exc:
            raise Conflict(
                _("Ansattnummer eller e-post er allerede i bruk."),
                {
                    "employee_number": [_("Må være unikt i organisasjonen.")],
                    "email": [_("Må være unik.")],
                },
            ) from exc
        if creating:
            assign_role(actor=actor, person=person, role=Role.EMPLOYEE, organisation=organisation)
        if manager is not None:
            assign_role(
                actor=actor,
                person=manager,
                role=Role.LINE_MANAGER,
                organisation=manager.organisation,
            )
    return person


@allowed(selectors.is_administrator, ADMINISTRATORS_ONLY)
def assign_role(
    *,
    actor: Actor,
    person: Person,
    role: str,
    organisation: Organisation,
    served: Iterable[Organisation] = (),
) -> RoleAssignment:
    """Give `person` a role in `organisation` (idempotent)."""
    if role not in Role.values:
        raise ServiceError(
            _("Ukjent rolle «%(role)s».") % {"role": role},
            {"role": [_("Velg en rolle fra listen.")]},
        )
    with transaction.atomic():
        assignment, created = RoleAssignment.objects.get_or_create(
            person=person, role=role, organisation=organisation
        )
        served_ids = sorted(str(o.uuid) for o in served)
        current = sorted(str(o.uuid) for o in assignment.served_organisations.all())
        if created or served_ids != current:
            assignment.served_organisations.set(list(served))
            audit.record(
                actor=actor,
                action="organisations.role.assign",
                obj=assignment,
                changes={
                    "role": [None, role],
                    "person": [None, str(person.uuid)],
                    "served": [current if not created else None, served_ids],
                },
                organisation_id=organisation.pk,
            )
    return assignment


@allowed(selectors.is_administrator, ADMINISTRATORS_ONLY)
def remove_role(*, actor: Actor, assignment: RoleAssignment) -> None:
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="organisations.role.remove",
            obj=assignment,
            changes={"role": [assignment.role, None]},
            organisation_id=assignment.organisation_id,
        )
        assignment.delete()


# --- Absences ---------------------------------------------------------------------------


@allowed(
    _manages_absences,
    gettext_lazy("Bare personen selv, nærmeste leder og administratorer kan registrere fravær."),
)
def register_absence(
    *,
    actor: Actor,
    person: Person,
    starts_on: dt.date,
    ends_on: dt.date,
    substitute: Person | None = None,
    note: str = "",
) -> Absence:
    """Record an absence. The substitute must be an active colleague in the same
    organisation, and absences of one person may not overlap."""
    errors: dict[str, list[str]] = {}
    if ends_on < starts_on:
        errors["ends_on"] = [_("Sluttdato kan ikke være før startdato.")]
    if substitute is not None:
        if substitute.pk == person.pk:
            errors["substitute"] = [_("Du kan ikke være din egen stedfortreder.")]
        elif substitute.organisation_id != person.organisation_id or not substitute.active:
            errors["substitute"] = [
                _("Stedfortrederen må være en aktiv kollega i samme organisasjon.")
            ]
    if errors:
        raise ServiceError(_("Fraværet kan ikke registreres."), errors)
    with transaction.atomic():
        overlapping = Absence.objects.select_for_update().filter(
            person=person, starts_on__lte=ends_on, ends_on__gte=starts_on
        )
        if overlapping.exists():
            raise Conflict(
                _("Fraværet overlapper et fravær som allerede er registrert."),
                {"starts_on": [_("Velg datoer som ikke overlapper.")]},
            )
        absence = Absence(
            person=person,
            starts_on=starts_on,
            ends_on=ends_on,
            substitute=substitute,
            note=note.strip(),
        )
        audit.save_audited(
            absence,
            actor=actor,
            fields=ABSENCE_FIELDS,
            before=None,
            action="organisations.absence.create",
            organisation_id=person.organisation_id,
        )
    return absence


@allowed(
    _manages_absence,
    gettext_lazy("Bare personen selv, nærmeste leder og administratorer kan slette fravær."),
)
def cancel_absence(*, actor: Actor, absence: Absence) -> None:
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="organisations.absence.cancel",
            obj=absence,
            changes={k: [v, None] for k, v in audit.snapshot(absence, ABSENCE_FIELDS).items()},
            organisation_id=absence.person.organisation_id,
        )
        absence.delete()
