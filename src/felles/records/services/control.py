"""Writes for the coordinator's internal control: spot checks of the journal (an uploaded
extract, a reproducible sample, findings and follow-up per item) and Arkivverket's
inspections (findings, actions, deadlines, status). The ministry's side writes; DIO's
archive team reads."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import ServiceError, allowed
from felles.core.tabular import ImportFileError, read_table
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation, Person
from felles.records import rules
from felles.records.models import (
    TEXT_MAX,
    TITLE_MAX,
    Inspection,
    InspectionFinding,
    SpotCheck,
    SpotCheckItem,
)
from felles.records.selectors import is_ministry_side_for
from felles.records.services.jobs import MINISTRY_ONLY, date_errors, text_errors

# The journal extract's columns that name an entry and its title (bokmål first; Noark
# names and English aliases), lower-case as core.tabular gives them.
REFERENCE_COLUMNS = (
    "saksnummer",
    "saksnr",
    "journalpostnummer",
    "journalpostnr",
    "dokumentnummer",
    "saksaar/sekvensnummer",
    "journalpost",
    "case number",
    "reference",
)
TITLE_COLUMNS = ("tittel", "dokumenttittel", "innhold", "offentligtittel", "title")
MAX_SEED = 2**62


def _ministry_of(kwargs: dict[str, Any]) -> int | None:
    if kwargs.get("ministry") is not None:
        return kwargs["ministry"].pk
    if kwargs.get("item") is not None:
        return kwargs["item"].spot_check.ministry_id
    if kwargs.get("inspection") is not None:
        return kwargs["inspection"].ministry_id
    if kwargs.get("finding") is not None:
        return kwargs["finding"].inspection.ministry_id
    return None


def coordinator_rule(user: Any, **kwargs: Any) -> bool:
    ministry_id = _ministry_of(kwargs)
    return ministry_id is not None and is_ministry_side_for(user, ministry_id)


def _first(row: dict[str, str], names: tuple[str, ...]) -> str:
    for name in names:
        if row.get(name):
            return row[name]
    return ""


def _acting(actor: Actor, person: Person | None) -> Person:
    person = person or org_selectors.person_for(actor.user)
    if person is None:
        raise TypeError("A system actor must name the person acting.")
    return person


@allowed(coordinator_rule, MINISTRY_ONLY)
def create_spot_check(
    *,
    actor: Actor,
    ministry: Organisation,
    title: str,
    filename: str,
    content: bytes,
    seed: int | None = None,
    person: Person | None = None,
) -> SpotCheck:
    """Read a journal extract (CSV or XLSX, one entry per row) and draw the sample: its
    size is `rules.sample_size`, its rows `rules.draw_sample` with a seed stored on the
    check, so the same file and seed always give the same sample."""
    errors = text_errors({"title": title}, {"title": TITLE_MAX}, ("title",))
    if seed is not None and not 0 <= seed < MAX_SEED:
        errors["seed"] = [_("Frøet må være et heltall mellom 0 og 2^62.")]
    try:
        rows = read_table(content, filename)
    except ImportFileError as exc:
        errors["file"] = [str(exc.message)]
        rows = []
    if not errors.get("file") and not rows:
        errors["file"] = [_("Uttrekket har ingen journalposter (bare en overskrift, eller tomt).")]
    if errors:
        raise ServiceError(_("Stikkprøvekontrollen ble ikke opprettet."), errors)
    seed = secrets.randbelow(MAX_SEED) if seed is None else seed
    size = rules.sample_size(len(rows))
    picked = rules.draw_sample(len(rows), size, seed)
    person = _acting(actor, person)
    with transaction.atomic():
        check = SpotCheck.objects.create(
            ministry=ministry,
            title=title.strip(),
            filename=filename[-TITLE_MAX:],
            sha256=hashlib.sha256(content).hexdigest(),
            population=len(rows),
            seed=seed,
            sample_size=size,
            created_by=person,
        )
        items = []
        for position, index in enumerate(picked, start=1):
            row_number, row = rows[index]
            items.append(
                SpotCheckItem(
                    spot_check=check,
                    position=position,
                    row_number=row_number,
                    reference=_first(row, REFERENCE_COLUMNS)[:TITLE_MAX],
                    title=_first(row, TITLE_COLUMNS)[:TEXT_MAX],
                    data={k: v[:500] for k, v in list(row.items())[:30]},
                )
            )
        SpotCheckItem.objects.bulk_create(items)
        audit.record(
            actor=actor,
            action="records.spotcheck.create",
            obj=check,
            changes={
                "population": [None, len(rows)],
                "seed": [None, seed],
                "sample_size": [None, size],
                "sha256": [None, check.sha256],
            },
            organisation_id=ministry.pk,
        )
    return check


@allowed(coordinator_rule, MINISTRY_ONLY)
def record_finding(
    *,
    actor: Actor,
    item: SpotCheckItem,
    finding: str,
    note: str = "",
    action: str = "",
    action_done: bool = False,
) -> SpotCheckItem:
    """What the coordinator found for one sampled entry, and the follow-up."""
    values = {"note": note, "action": action}
    errors = text_errors(values, {"note": TEXT_MAX, "action": TEXT_MAX}, ())
    if finding not in SpotCheckItem.Finding.values or finding == "":
        errors["finding"] = [_("Velg hva du fant.")]
    elif action_done and not action.strip():
        errors["action"] = [_("Beskriv oppfølgingen før du merker den utført.")]
    if errors:
        raise ServiceError(_("Funnet ble ikke lagret."), errors)
    fields = ("finding", "note", "action", "action_done")
    with transaction.atomic():
        item = SpotCheckItem.objects.select_for_update().get(pk=item.pk)
        before = audit.snapshot(item, fields)
        item.finding, item.note, item.action = finding, note.strip(), action.strip()
        item.action_done = action_done
        item.save()
        audit.record(
            actor=actor,
            action="records.spotcheckitem.update",
            obj=item,
            changes=audit.diff(before, audit.snapshot(item, fields)),
            organisation_id=item.spot_check.ministry_id,
        )
    return item


@allowed(coordinator_rule, MINISTRY_ONLY)
def create_inspection(
    *,
    actor: Actor,
    ministry: Organisation,
    title: str,
    held_on: dt.date,
    authority: str = "Arkivverket",
    response_due: dt.date | None = None,
) -> Inspection:
    values = {"title": title, "authority": authority, "held_on": held_on, "due": response_due}
    errors = text_errors(
        values, {"title": TITLE_MAX, "authority": TITLE_MAX}, ("title", "authority")
    )
    errors.update(date_errors(values, ("held_on", "due")))
    if response_due is not None and held_on and response_due < held_on:
        errors["response_due"] = [_("Svarfristen kan ikke være før tilsynsdatoen.")]
    if errors:
        raise ServiceError(_("Tilsynet ble ikke lagret."), errors)
    with transaction.atomic():
        inspection = Inspection.objects.create(
            ministry=ministry,
            title=title.strip(),
            authority=authority.strip(),
            held_on=held_on,
            response_due=response_due,
        )
        audit.record(
            actor=actor,
            action="records.inspection.create",
            obj=inspection,
            changes={"title": [None, inspection.title], "held_on": [None, held_on.isoformat()]},
            organisation_id=ministry.pk,
        )
    return inspection


@allowed(coordinator_rule, MINISTRY_ONLY)
def add_inspection_finding(
    *,
    actor: Actor,
    inspection: Inspection,
    finding: str,
    action: str,
    deadline: dt.date,
    responsible: str = "",
) -> InspectionFinding:
    values = {"finding": finding, "action": action, "responsible": responsible}
    errors = text_errors(
        values,
        {"finding": TEXT_MAX, "action": TEXT_MAX, "responsible": TITLE_MAX},
        ("finding", "action"),
    )
    errors.update(date_errors({"deadline": deadline}, ("deadline",)))
    if errors:
        raise ServiceError(_("Funnet ble ikke lagret."), errors)
    with transaction.atomic():
        row = InspectionFinding.objects.create(
            inspection=inspection,
            finding=finding.strip(),
            action=action.strip(),
            responsible=responsible.strip(),
            deadline=deadline,
        )
        audit.record(
            actor=actor,
            action="records.finding.create",
            obj=row,
            changes={"finding": [None, row.finding], "deadline": [None, deadline.isoformat()]},
            organisation_id=inspection.ministry_id,
        )
    return row


@allowed(coordinator_rule, MINISTRY_ONLY)
def set_finding_status(
    *, actor: Actor, finding: InspectionFinding, status: str
) -> InspectionFinding:
    if status not in InspectionFinding.Status.values:
        raise ServiceError(_("Velg en status."), {"status": [_("Velg en status.")]})
    with transaction.atomic():
        finding = InspectionFinding.objects.select_for_update().get(pk=finding.pk)
        before = finding.status
        finding.status = status
        finding.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=actor,
            action="records.finding.update",
            obj=finding,
            changes={"status": [before, status]},
            organisation_id=finding.inspection.ministry_id,
        )
    return finding
