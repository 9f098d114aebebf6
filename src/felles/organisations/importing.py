"""Import of units and people from an HR-system export (CSV or XLSX).

The import is two-phase: `plan_*` reads and validates every row and writes nothing;
`apply_plan` writes the whole plan in one transaction, or nothing. A re-import matches
units by unit code and people by employee number, so it updates instead of duplicating.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from felles.core import imports
from felles.core.actor import Actor
from felles.core.imports import Progress
from felles.core.services import ServiceError, allowed
from felles.core.tabular import (
    ImportFileError,
    RowError,
    checked_rows,
    map_columns,
    parse_yes_no,
    read_table,
)
from felles.organisations import bulk, events, hierarchy, selectors, services
from felles.organisations.models import Organisation, Person, Unit

# Column names accepted (bokmål first, English aliases), normalised to lower case.
UNIT_COLUMNS = {
    "code": ("enhetskode", "unit_code", "code"),
    "name": ("enhetsnavn", "navn", "name"),
    "kind": ("type", "enhetstype", "kind"),
    "parent_code": ("overordnet_enhetskode", "overordnet", "parent_code"),
    "active": ("aktiv", "active"),
}
UNIT_REQUIRED = ("code", "name")
PEOPLE_COLUMNS = {
    "employee_number": ("ansattnummer", "ansattnr", "employee_number"),
    "first_name": ("fornavn", "first_name"),
    "last_name": ("etternavn", "last_name"),
    "email": ("epost", "e-post", "email"),
    "unit_code": ("enhetskode", "enhet", "unit_code"),
    "title": ("stilling", "stillingstittel", "title"),
    "manager_employee_number": (
        "leder_ansattnummer",
        "leders_ansattnummer",
        "manager_employee_number",
    ),
    "active": ("aktiv", "active"),
}
PEOPLE_REQUIRED = ("employee_number", "first_name", "last_name", "email")
UNIT_KINDS = {
    "avdeling": Unit.Kind.DEPARTMENT,
    "department": Unit.Kind.DEPARTMENT,
    "seksjon": Unit.Kind.SECTION,
    "section": Unit.Kind.SECTION,
    "enhet": Unit.Kind.OTHER,
    "other": Unit.Kind.OTHER,
    "": Unit.Kind.OTHER,
}


@dataclass
class ImportPlan:
    kind: str  # "units" or "people"
    organisation: Organisation
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    creates: int = 0
    updates: int = 0
    unchanged: int = 0
    deactivates: int = 0  # of the updates: active people the file marks as no longer active

    @property
    def ok(self) -> bool:
        return not self.errors


def _report_cycle(
    plan: ImportPlan,
    parents: dict,
    rows_by_key: dict[str, int],
    column: str,
    label: str,
    min_length: int = 1,
) -> None:
    """Report a loop in the tree the file would produce, on the row of its first member."""
    cycle = hierarchy.find_cycle(parents)
    if cycle and len(cycle) >= min_length:
        plan.errors.append(
            RowError(
                rows_by_key.get(str(cycle[0]), 1),
                column,
                f"{label}: " + " → ".join(map(str, cycle)),
            )
        )


def _tally(
    plan: ImportPlan,
    existing: dict[str, Any],
    key: str,
    current: Callable[[Any], tuple],
    wanted: Callable[[dict], tuple],
) -> None:
    """Count what applying the plan would create, update or leave unchanged."""
    for item in plan.rows:
        obj = existing.get(item[key])
        if obj is None:
            plan.creates += 1
        elif current(obj) == wanted(item):
            plan.unchanged += 1
        else:
            plan.updates += 1


def plan_units(organisation: Organisation, content: bytes, filename: str) -> ImportPlan:
    plan = ImportPlan(kind="units", organisation=organisation)
    table = read_table(content, filename)
    rows = map_columns(table, UNIT_COLUMNS, UNIT_REQUIRED, plan.errors)
    if plan.errors:
        return plan
    existing = {u.code: u for u in Unit.objects.filter(organisation=organisation)}
    seen: dict[str, int] = {}
    for row in checked_rows(rows, UNIT_COLUMNS, plan.errors):
        n, code = row.number, row["code"]
        row.require(UNIT_REQUIRED)
        if code in seen:
            row.error(
                "code",
                _("Enhetskoden «%(code)s» står også på rad %(row)s.")
                % {"code": code, "row": seen[code]},
            )
        seen[code] = n
        kind = UNIT_KINDS.get(row["kind"].lower())
        if kind is None:
            row.error(
                "kind",
                _("«%(kind)s» er ikke avdeling, seksjon eller enhet.") % {"kind": row["kind"]},
            )
        plan.rows.append(
            {
                "row": n,
                "code": code,
                "name": row["name"],
                "kind": kind,
                "parent_code": row["parent_code"] or None,
                "active": parse_yes_no(row["active"], n, plan.errors),
            }
        )
    known = set(existing) | set(seen)
    parents = {
        u.code: (u.parent.code if u.parent_id else None)
        for u in existing.values()
        if u.parent_id is None or u.parent
    }
    for item in plan.rows:
        if item["parent_code"] and item["parent_code"] not in known:
            plan.errors.append(
                RowError(
                    item["row"],
                    "overordnet_enhetskode",
                    _("Enheten «%(code)s» finnes ikke.") % {"code": item["parent_code"]},
                )
            )
        parents[item["code"]] = item["parent_code"]
    _report_cycle(plan, parents, seen, "overordnet_enhetskode", _("Enhetene danner en sirkel"))
    _tally(
        plan,
        existing,
        "code",
        lambda u: (u.name, u.kind, u.active, u.parent.code if u.parent else None),
        lambda i: (i["name"], i["kind"], i["active"], i["parent_code"]),
    )
    plan.errors.sort(key=lambda e: (e.row, e.column))
    return plan


def plan_people(organisation: Organisation, content: bytes, filename: str) -> ImportPlan:
    plan = ImportPlan(kind="people", organisation=organisation)
    table = read_table(content, filename)
    rows = map_columns(table, PEOPLE_COLUMNS, PEOPLE_REQUIRED, plan.errors)
    if plan.errors:
        return plan
    existing = {
        p.employee_number: p
        for p in Person.objects.filter(organisation=organisation).select_related(
            "line_manager", "unit"
        )
    }
    unit_codes = set(Unit.objects.filter(organisation=organisation).values_list("code", flat=True))
    # E-mail addresses are compared without regard to case, as logins are.
    emails_elsewhere = {
        email.lower(): number
        for email, number in Person.objects.exclude(
            organisation=organisation, employee_number__in=[r["employee_number"] for _, r in rows]
        ).values_list("email", "employee_number")
    }
    seen_numbers: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    # Logins an import must never take over: administrators' accounts, and users already
    # linked to someone other than the people this file updates.
    numbers = [r["employee_number"] for _, r in rows]
    taken_logins = {
        u.lower()
        for u in get_user_model()
        .objects.filter(Q(is_superuser=True) | Q(person__isnull=False))
        .exclude(person__organisation=organisation, person__employee_number__in=numbers)
        .values_list("username", flat=True)
    }
    for row in checked_rows(rows, PEOPLE_COLUMNS, plan.errors):
        n, number, email = row.number, row["employee_number"], row["email"].lower()
        row.require(PEOPLE_REQUIRED)
        if number and number in seen_numbers:
            row.error(
                "employee_number",
                _("Ansattnummeret «%(number)s» står også på rad %(row)s.")
                % {"number": number, "row": seen_numbers[number]},
            )
        seen_numbers.setdefault(number, n)
        if email:
            try:
                validate_email(email)
                if len(email) > 254:
                    raise ValidationError("too long")
            except ValidationError:
                row.error(
                    "email",
                    _("«%(email)s» er ikke en gyldig e-postadresse.") % {"email": row["email"]},
                )
            if email in seen_emails:
                row.error(
                    "email",
                    _("E-postadressen står også på rad %(row)s.") % {"row": seen_emails[email]},
                )
            elif email in emails_elsewhere or email in taken_logins:
                row.error("email", _("E-postadressen tilhører en annen person i Felles."))
            seen_emails.setdefault(email, n)
        if row["unit_code"] and row["unit_code"] not in unit_codes:
            row.error(
                "unit_code",
                _("Enheten «%(code)s» finnes ikke. Importer enhetene først.")
                % {"code": row["unit_code"]},
            )
        for key, limit in (
            ("first_name", 100),
            ("last_name", 100),
            ("title", 200),
            ("employee_number", 40),
        ):
            if len(row[key]) > limit:
                row.error(key, _("Høyst %(limit)s tegn.") % {"limit": limit})
        plan.rows.append(
            {
                "row": n,
                "employee_number": number,
                "first_name": row["first_name"],
                "last_name": row["last_name"],
                "email": email,
                "unit_code": row["unit_code"] or None,
                "title": row["title"],
                "manager": row["manager_employee_number"] or None,
                "active": parse_yes_no(row["active"], n, plan.errors),
            }
        )
    managers = {
        p.employee_number: (p.line_manager.employee_number if p.line_manager else None)
        for p in existing.values()
    }
    known = set(existing) | set(seen_numbers)
    for item in plan.rows:
        if item["manager"] == item["employee_number"]:
            plan.errors.append(
                RowError(
                    item["row"], "leder_ansattnummer", _("En person kan ikke være sin egen leder.")
                )
            )
        elif item["manager"] and item["manager"] not in known:
            plan.errors.append(
                RowError(
                    item["row"],
                    "leder_ansattnummer",
                    _("Finner ingen med ansattnummer «%(number)s».") % {"number": item["manager"]},
                )
            )
        managers[item["employee_number"]] = item["manager"]
    # Self-references are reported above as "own manager"; only longer loops here.
    _report_cycle(
        plan,
        managers,
        seen_numbers,
        "leder_ansattnummer",
        _("Lederlinjen går i sirkel"),
        min_length=2,
    )
    _tally(
        plan,
        existing,
        "employee_number",
        lambda p: (
            p.first_name,
            p.last_name,
            p.email,
            p.title,
            p.active,
            p.unit.code if p.unit else None,
            p.line_manager.employee_number if p.line_manager else None,
        ),
        lambda i: (
            i["first_name"],
            i["last_name"],
            i["email"],
            i["title"],
            i["active"],
            i["unit_code"],
            i["manager"],
        ),
    )
    plan.deactivates = sum(
        1
        for item in plan.rows
        if not item["active"]
        and (current := existing.get(item["employee_number"])) is not None
        and current.active
    )
    plan.errors.sort(key=lambda e: (e.row, e.column))
    return plan


def plan_import(kind: str, organisation: Organisation, content: bytes, filename: str) -> ImportPlan:
    if kind == "units":
        return plan_units(organisation, content, filename)
    if kind == "people":
        return plan_people(organisation, content, filename)
    raise ImportFileError(_("Velg om filen inneholder enheter eller personer."))


def _kept_link(current: Any, wanted_key: str | None, key_field: str) -> Any:
    """Keep an existing parent/manager link only if the file keeps it. Changed links are
    cleared in the first pass and set in the second, so a swap (A under B becoming B under
    A) never passes through a loop that the per-row cycle check would rightly refuse."""
    if current is not None and getattr(current, key_field) == wanted_key:
        return current
    return None


def _no_progress(done: int, total: int, label: str) -> None:
    return None  # an import on the page: nobody watches its progress


@allowed(selectors.is_administrator, services.ADMINISTRATORS_ONLY)
def apply_plan(*, actor: Actor, plan: ImportPlan, progress: Progress = _no_progress) -> ImportPlan:
    """Write a validated plan. Refuses a plan with errors. Units are written in one
    transaction; people set-based in batches (`bulk.write_people`), reporting
    `progress(done, total, label)` after each."""
    if not plan.ok:
        raise ServiceError(_("Filen har feil og er ikke importert. Rett feilene og prøv igjen."))
    org = plan.organisation
    if plan.kind == "people":
        outcome = bulk.write_people(
            actor=actor, organisation=org, rows=plan.rows, progress=progress
        )
        plan.creates, plan.updates = outcome.created, outcome.updated
        plan.unchanged, plan.deactivates = outcome.unchanged, outcome.deactivated
        events.people_imported.publish(actor=actor, organisation=org)
        return plan
    with transaction.atomic():
        if plan.kind == "units":
            units = {u.code: u for u in Unit.objects.filter(organisation=org)}
            # Two passes: create/update without parents, then link parents, so a child may
            # come before its parent in the file.
            for item in plan.rows:
                current = units.get(item["code"])
                units[item["code"]] = services.save_unit(
                    actor=actor,
                    organisation=org,
                    code=item["code"],
                    name=item["name"],
                    kind=item["kind"],
                    active=item["active"],
                    parent=_kept_link(
                        current.parent if current else None, item["parent_code"], "code"
                    ),
                    unit=current,
                )
            for item in plan.rows:
                unit = units[item["code"]]
                parent = units.get(item["parent_code"]) if item["parent_code"] else None
                if unit.parent_id != (parent.pk if parent else None):
                    services.save_unit(
                        actor=actor,
                        organisation=org,
                        code=unit.code,
                        name=unit.name,
                        kind=unit.kind,
                        active=unit.active,
                        parent=parent,
                        unit=unit,
                    )
    progress(len(plan.rows), len(plan.rows), "saving")
    return plan


def run_in_background(
    meta: dict[str, Any], content: bytes, actor: Actor, progress: Progress
) -> dict[str, Any]:
    """The import job (`core.imports`): validate the file again as the person who confirmed
    it, and write it if it is still free of errors."""
    organisation = selectors.organisations_for(actor.user).filter(pk=meta["organisation"]).first()
    if organisation is None:
        return imports.result(reason="organisation_gone")
    progress(0, 0, "checking")
    plan = plan_import(meta["kind"], organisation, content, meta["filename"])
    if not plan.ok:
        return imports.result(errors=plan.errors)
    progress(0, len(plan.rows), "saving")
    apply_plan(actor=actor, plan=plan, progress=progress)
    return imports.result(
        counts={
            "created": plan.creates,
            "updated": plan.updates,
            "unchanged": plan.unchanged,
            "deactivated": plan.deactivates,
        }
    )


imports.register("organisations", run_in_background)
