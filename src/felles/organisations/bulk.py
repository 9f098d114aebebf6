"""Set-based writing of a validated people import (`importing.plan_people`).

`save_person` writes one person at a time: a handful of queries and an audit event each,
fine for a form, far too slow for an HR export of 20 000 people. Here the same outcome is
written in bulk: existing people, units and logins are read once, new logins and people are
inserted and changed ones updated in batches, deactivations are one UPDATE, and the audit
events (one per changed person and per role given, as `save_person` leaves them) are
appended to the chain with `audit.record_many`.

Each batch of BATCH_ROWS rows is its own transaction, so the job's progress can be read by
the progress page while it runs. The import is idempotent (people are matched by employee
number), so a run that stops half-way is finished by running it again; the job does that
by itself (`core.jobs` retries).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import transaction
from django.utils import timezone

from felles.core import audit
from felles.core.actor import Actor
from felles.core.bulk import insert_objects, update_rows
from felles.core.imports import Progress
from felles.organisations.models import Organisation, Person, Role, RoleAssignment, Unit
from felles.organisations.services import PERSON_FIELDS

BATCH_ROWS = 2000
USER_FIELDS = ["first_name", "last_name", "email", "is_active"]


@dataclass
class PeopleOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0


def _role_entry(assignment: RoleAssignment, role_label: str) -> audit.Entry:
    """The event `services.assign_role` leaves for a role given for the first time (its
    description as `str(assignment)`, with the role's label looked up once)."""
    return audit.Entry(
        "organisations.role.assign",
        assignment,
        {
            "role": [None, assignment.role],
            "person": [None, str(assignment.person.uuid)],
            "served": [None, []],
        },
        assignment.organisation_id,
        f"{assignment.person} – {role_label} ({assignment.organisation.abbreviation})",
    )


def _new_login(person: Person, existing: dict[str, Any], now: dt.datetime) -> Any:
    """The login for a new person: a free user with the address as username (never an
    administrator's or another person's: the plan refuses those), or a new one."""
    User = get_user_model()
    user = existing.get(person.email.lower())
    if user is None:
        # As `set_unusable_password`, without its 40 random choices per login.
        password = UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)
        user = User(username=person.email.lower(), password=password, date_joined=now)
    user.email = person.email
    user.first_name, user.last_name, user.is_active = (
        person.first_name,
        person.last_name,
        person.active,
    )
    return user


class _Writer:
    def __init__(self, actor: Actor, organisation: Organisation) -> None:
        self.actor, self.org = actor, organisation
        self.units = {u.code: u for u in Unit.objects.filter(organisation=organisation)}
        self.people: dict[str, Person] = {
            p.employee_number: p
            for p in Person.objects.filter(organisation=organisation).select_related(
                "line_manager", "unit", "user"
            )
        }
        self.deferred: list[tuple[Person, str]] = []  # (person, manager's number)
        self.managers: set[str] = set()
        self.outcome = PeopleOutcome()

    def _values(self, person: Person, item: dict[str, Any]) -> None:
        person.employee_number = item["employee_number"]
        person.first_name, person.last_name = item["first_name"], item["last_name"]
        person.email, person.title, person.active = item["email"], item["title"], item["active"]
        person.unit = self.units.get(item["unit_code"] or "")

    def _link_manager(self, person: Person, number: str | None) -> Any:
        """Set the final line manager; one not yet saved (later in this file) is linked
        after every batch. Returns the manager's public id for the audit snapshot."""
        if not number:
            person.line_manager = None
            return None
        self.managers.add(number)
        manager = self.people[number]
        if manager.pk is None:
            person.line_manager = None
            self.deferred.append((person, number))
        elif person.line_manager_id != manager.pk:
            person.line_manager = manager
        return str(manager.uuid)

    def write_batch(self, items: list[dict[str, Any]]) -> None:
        User = get_user_model()
        now = timezone.now()
        creates: list[Person] = []
        updates: list[Person] = []
        deactivations: list[Person] = []
        entries: list[audit.Entry] = []
        # New people first get an (unsaved) object, so a manager later in the batch or in
        # the file is known by its public id already.
        for item in items:
            if item["employee_number"] not in self.people:
                person = Person(organisation=self.org)
                self._values(person, item)
                self.people[item["employee_number"]] = person
                creates.append(person)
        created_ids = {id(p) for p in creates}
        for item in items:
            person = self.people[item["employee_number"]]
            if id(person) in created_ids:
                manager = self._link_manager(person, item["manager"])
                after = {**audit.snapshot(person, PERSON_FIELDS), "line_manager": manager}
                entries.append(
                    audit.Entry(
                        "organisations.person.create", person, audit.diff({}, after), self.org.pk
                    )
                )
                continue
            before = audit.snapshot(person, PERSON_FIELDS)
            self._values(person, item)
            manager = self._link_manager(person, item["manager"])
            after = {**audit.snapshot(person, PERSON_FIELDS), "line_manager": manager}
            changes = audit.diff(before, after)
            if not changes:
                self.outcome.unchanged += 1
                continue
            entries.append(audit.Entry("organisations.person.update", person, changes, self.org.pk))
            if changes.get("active") == [True, False]:
                self.outcome.deactivated += 1
            if set(changes) == {"active"} and not person.active:
                deactivations.append(person)  # nothing else changed: one UPDATE for them all
            else:
                updates.append(person)
        # New people, and any existing one who has no login yet, get one.
        needs_login = creates + [p for p in updates + deactivations if p.user_id is None]
        logins = {
            u.username: u
            for u in User.objects.filter(
                username__in=[p.email.lower() for p in needs_login], person__isnull=True
            ).exclude(is_superuser=True)
        }
        new_users = [_new_login(p, logins, now) for p in needs_login]
        with transaction.atomic():
            insert_objects([u for u in new_users if u.pk is None])
            adopted = [u for u in new_users if u.pk is not None]
            changed_users = adopted + [self._login_of(p) for p in updates if p.user is not None]
            update_rows(changed_users, USER_FIELDS)
            for person, user in zip(needs_login, new_users, strict=True):
                person.user = user
            update_rows(needs_login[len(creates) :], ["user"])
            insert_objects(creates)
            update_rows(updates, [*PERSON_FIELDS, "updated_at"])  # updated_at: auto_now
            if deactivations:
                Person.objects.filter(pk__in=[p.pk for p in deactivations]).update(
                    active=False, updated_at=now
                )
                User.objects.filter(person__in=[p.pk for p in deactivations]).update(
                    is_active=False
                )
            roles = [
                RoleAssignment(person=p, role=Role.EMPLOYEE, organisation=self.org) for p in creates
            ]
            insert_objects(roles)
            audit.record_many(
                actor=self.actor,
                entries=entries + [_role_entry(r, str(Role.EMPLOYEE.label)) for r in roles],
            )
        self.outcome.created += len(creates)
        self.outcome.updated += len(updates) + len(deactivations)

    def _login_of(self, person: Person) -> Any:
        user = person.user
        user.first_name, user.last_name = person.first_name, person.last_name
        user.email, user.is_active = person.email, person.active
        return user

    def finish(self) -> None:
        """Link the managers who were new later in the file, and give every manager the
        line-manager role in their organisation (as `save_person` does)."""
        with transaction.atomic():
            linked = []
            for person, number in self.deferred:
                person.line_manager = self.people[number]
                linked.append(person)
            update_rows(linked, ["line_manager"])
            managers = [self.people[n] for n in sorted(self.managers)]
            has_role = set(
                RoleAssignment.objects.filter(
                    role=Role.LINE_MANAGER, person__in=[m.pk for m in managers]
                ).values_list("person_id", "organisation_id")
            )
            # The plan accepts managers in the file's organisation only.
            roles = [
                RoleAssignment(person=m, role=Role.LINE_MANAGER, organisation=self.org)
                for m in managers
                if (m.pk, self.org.pk) not in has_role
            ]
            insert_objects(roles)
            audit.record_many(
                actor=self.actor,
                entries=[_role_entry(r, str(Role.LINE_MANAGER.label)) for r in roles],
            )


def write_people(
    *, actor: Actor, organisation: Organisation, rows: list[dict[str, Any]], progress: Progress
) -> PeopleOutcome:
    """Write the rows of a validated people plan (see the module docstring). Only
    `importing.apply_plan`, which checks that the actor may, calls this."""
    writer = _Writer(actor, organisation)
    total = len(rows)
    for start in range(0, total, BATCH_ROWS):
        writer.write_batch(rows[start : start + BATCH_ROWS])
        progress(min(start + BATCH_ROWS, total), total, "saving")
    progress(total, total, "managers")
    writer.finish()
    return writer.outcome
