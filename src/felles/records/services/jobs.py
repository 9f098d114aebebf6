"""Writes for archive jobs: DIO's archive team opens a job for an order of an archive
service, keeps its dates, volumes and retention decisions and uploads the Arkade test
report; the ministry (its information-management coordinator or leader) approves the job
and each disposal; the team completes the job, which resolves the order."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import Conflict, ServiceError, allowed
from felles.core.types import AnyUser
from felles.core.validators import DATE_RANGE_MESSAGE, control_character, date_in_range
from felles.orders import services as order_services
from felles.orders.models import Order
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation, Person
from felles.records import rules, selectors
from felles.records.models import (
    REPORT_MAX_BYTES,
    TEXT_MAX,
    TITLE_MAX,
    ArchiveJob,
    ArchivePeriod,
    DisposalEntry,
    RetentionDecision,
)

TEAM_ONLY = "Bare DIOs arkivteam for departementet gjør dette."
MINISTRY_ONLY = "Bare departementets informasjonsforvaltningskoordinator eller leder godkjenner."
EITHER_SIDE = "Bare departementets koordinator, leder eller DIOs arkivteam gjør dette."
JOB_FIELDS = (
    "kind",
    "title",
    "period",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "shelf_metres",
    "record_count",
)
PERIOD_FIELDS = ("name", "system", "starts_on", "ends_on", "status")
MAX_SHELF_METRES = Decimal("9999999.9")
MAX_RECORDS = 2_000_000_000
# Archive periods reach further back than anything else Felles plans: old paper archives.
PERIOD_MIN = dt.date(1800, 1, 1)
PERIOD_MAX = dt.date(2100, 12, 31)
PERIOD_RANGE_MESSAGE = gettext_lazy("Datoen må ligge mellom 1.1.1800 og 31.12.2100.")


def _ministry_id(kwargs: dict[str, Any]) -> int | None:
    for name in ("job", "decision", "period"):
        obj = kwargs.get(name)
        if obj is not None:
            return obj.job.ministry_id if name == "decision" else obj.ministry_id
    if kwargs.get("order") is not None:
        return kwargs["order"].ministry_id
    ministry = kwargs.get("ministry")
    return ministry.pk if ministry is not None else None


def team_rule(user: AnyUser, **kwargs: Any) -> bool:
    ministry_id = _ministry_id(kwargs)
    return ministry_id is not None and selectors.is_team_for(user, ministry_id)


def ministry_rule(user: AnyUser, **kwargs: Any) -> bool:
    ministry_id = _ministry_id(kwargs)
    return ministry_id is not None and selectors.is_ministry_side_for(user, ministry_id)


def either_rule(user: AnyUser, **kwargs: Any) -> bool:
    return team_rule(user, **kwargs) or ministry_rule(user, **kwargs)


def text_errors(values: dict[str, Any], limits: dict[str, int], required: tuple[str, ...]) -> dict:
    """Field errors for text values: required, control characters, length."""
    errors: dict[str, list[str]] = {}
    for name, limit in limits.items():
        value = str(values.get(name) or "")
        if name in required and not value.strip():
            errors[name] = [_("Må fylles ut.")]
        elif (char := control_character(value, multiline=True)) is not None:
            errors[name] = [
                _("Teksten inneholder et ugyldig kontrolltegn (%(code)s).")
                % {"code": f"U+{ord(char):04X}"}
            ]
        elif len(value) > limit:
            errors[name] = [_("Høyst %(max)s tegn.") % {"max": limit}]
    return errors


def date_errors(values: dict[str, Any], names: tuple[str, ...]) -> dict[str, list[str]]:
    return {
        n: [str(DATE_RANGE_MESSAGE)]
        for n in names
        if isinstance(values.get(n), dt.date) and not date_in_range(values[n])
    }


def _job_errors(values: dict[str, Any], ministry: Organisation) -> dict[str, list[str]]:
    errors = text_errors(values, {"title": TITLE_MAX}, ("title",))
    errors.update(
        date_errors(values, ("planned_start", "planned_end", "actual_start", "actual_end"))
    )
    if values.get("kind") not in ArchiveJob.Kind.values:
        errors["kind"] = [_("Velg en type oppdrag.")]
    for start, end in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
        if values.get(start) and values.get(end) and values[end] < values[start]:
            errors[end] = [_("Sluttdatoen kan ikke være før startdatoen.")]
    metres = values.get("shelf_metres")
    if metres is not None and not Decimal(0) <= metres <= MAX_SHELF_METRES:
        errors["shelf_metres"] = [_("Hyllemeter må være mellom 0 og 9 999 999,9.")]
    count = values.get("record_count")
    if count is not None and not 0 <= count <= MAX_RECORDS:
        errors["record_count"] = [_("Antallet må være mellom 0 og 2 000 000 000.")]
    period = values.get("period")
    if period is not None and period.ministry_id != ministry.pk:
        errors["period"] = [_("Arkivperioden hører til et annet departement.")]
    return errors


def _audit_values(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    out = {}
    for name in fields:
        value = getattr(obj, name)
        out[name] = str(value) if isinstance(value, ArchivePeriod) else audit.to_json_value(value)
    return out


@allowed(team_rule, TEAM_ONLY)
def open_job(*, actor: Actor, order: Order, values: dict[str, Any]) -> ArchiveJob:
    """A job for an order of one of DIO's archive services (one job per order)."""
    if order.service.code not in selectors.ARCHIVE_SERVICES:
        raise ServiceError(
            _("Bestillingen gjelder ikke en av DIOs arkivtjenester."),
            {"order": [_("Velg en bestilling av en arkivtjeneste.")]},
        )
    values = {"kind": selectors.KIND_BY_SERVICE.get(order.service.code, "other"), **values}
    errors = _job_errors(values, order.ministry)
    if errors:
        raise ServiceError(_("Arkivoppdraget ble ikke lagret."), errors)
    with transaction.atomic():
        Order.objects.select_for_update().get(pk=order.pk)
        if ArchiveJob.objects.filter(order=order).exists():
            raise Conflict(_("Bestillingen har allerede et arkivoppdrag."))
        job = ArchiveJob.objects.create(
            ministry=order.ministry, order=order, **{f: values.get(f) for f in JOB_FIELDS}
        )
        audit.record(
            actor=actor,
            action="records.job.create",
            obj=job,
            changes={k: [None, v] for k, v in _audit_values(job, JOB_FIELDS).items()},
            organisation_id=job.ministry_id,
        )
    return job


@allowed(team_rule, TEAM_ONLY)
def update_job(*, actor: Actor, job: ArchiveJob, values: dict[str, Any]) -> ArchiveJob:
    """Dates, volumes, type, title and period of an open job."""
    merged = {**{f: getattr(job, f) for f in JOB_FIELDS}, **values}
    errors = _job_errors(merged, job.ministry)
    if errors:
        raise ServiceError(_("Arkivoppdraget ble ikke lagret."), errors)
    with transaction.atomic():
        job = ArchiveJob.objects.select_for_update().get(pk=job.pk)
        if job.completed_at is not None:
            raise Conflict(_("Oppdraget er fullført og kan ikke endres."))
        before = _audit_values(job, JOB_FIELDS)
        for name in JOB_FIELDS:
            setattr(job, name, merged[name])
        job.save()
        after = _audit_values(job, JOB_FIELDS)
        audit.record(
            actor=actor,
            action="records.job.update",
            obj=job,
            changes=audit.diff(before, after),
            organisation_id=job.ministry_id,
        )
    return job


def report_type(content: bytes) -> str | None:
    """The test report's type from its content (not its name): pdf, html or xml; None
    for anything else."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    head = content[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if head.startswith(b"<?xml"):
        return "html" if b"<html" in head else "xml"
    return None


@allowed(team_rule, TEAM_ONLY)
def upload_report(*, actor: Actor, job: ArchiveJob, name: str, content: bytes) -> ArchiveJob:
    """The Arkade test report of a deposit or transfer package (HTML, PDF or XML, at most
    10 MB); a new report replaces the old one and the ministry approves again."""
    if not job.needs_report:
        raise ServiceError(_("Bare deponering og avlevering har testrapport."))
    if not content:
        raise ServiceError(_("Filen er tom."), {"file": [_("Velg en fil.")]})
    if len(content) > REPORT_MAX_BYTES:
        message = _("Filen er for stor (høyst 10 MB).")
        raise ServiceError(message, {"file": [message]})
    kind = report_type(content)
    if kind is None:
        message = _("Testrapporten må være HTML, PDF eller XML fra Arkade.")
        raise ServiceError(message, {"file": [message]})
    name = (name or "testrapport").strip()[-TITLE_MAX:]
    if control_character(name) is not None:
        name = f"testrapport.{kind}"
    with transaction.atomic():
        job = ArchiveJob.objects.select_for_update().get(pk=job.pk)
        if job.completed_at is not None:
            raise Conflict(_("Oppdraget er fullført og kan ikke endres."))
        path = default_storage.save(f"records/reports/{job.uuid}.{kind}", ContentFile(content))
        old = job.report_path
        job.report_path, job.report_name, job.report_type = path, name, kind
        job.report_size = len(content)
        job.report_sha256 = hashlib.sha256(content).hexdigest()
        job.report_uploaded_at = timezone.now()
        was_approved = job.approved_at is not None
        job.approved_at, job.approved_by = None, None
        job.save()
        audit.record(
            actor=actor,
            action="records.report.create",
            obj=job,
            changes={
                "report_name": [None, name],
                "report_sha256": [None, job.report_sha256],
                "approved": [was_approved, False],
            },
            organisation_id=job.ministry_id,
        )
        if old and old != path:
            transaction.on_commit(lambda: default_storage.delete(old))
    return job


@allowed(ministry_rule, MINISTRY_ONLY)
def approve_job(*, actor: Actor, job: ArchiveJob, person: Person | None = None) -> ArchiveJob:
    """The ministry approves the job (for a deposit or transfer: the package as the test
    report shows it)."""
    person = person or org_selectors.person_for(actor.user)
    if person is None:
        raise TypeError("A system actor must name the person approving.")
    with transaction.atomic():
        job = ArchiveJob.objects.select_for_update().get(pk=job.pk)
        if job.completed_at is not None:
            raise Conflict(_("Oppdraget er allerede fullført."))
        if job.needs_report and not job.report_path:
            raise ServiceError(_("Testrapporten fra Arkade må lastes opp før du godkjenner."))
        job.approved_by, job.approved_at = person, timezone.now()
        job.save(update_fields=["approved_by", "approved_at", "updated_at"])
        audit.record(
            actor=actor,
            action="records.job.approve",
            obj=job,
            changes={"approved_by": [None, str(person)]},
            organisation_id=job.ministry_id,
        )
    return job


@allowed(team_rule, TEAM_ONLY)
def complete_job(
    *, actor: Actor, job: ArchiveJob, resolution: str, agent: Person | None = None
) -> ArchiveJob:
    """Complete the job: refused without the test report (deposit, transfer) and the
    ministry's approval; the order is resolved with it (queue, SLA and showback follow)."""
    errors = text_errors({"resolution": resolution}, {"resolution": TEXT_MAX}, ("resolution",))
    if errors:
        raise ServiceError(_("Beskriv hva som er gjort."), errors)
    with transaction.atomic():
        job = ArchiveJob.objects.select_for_update().get(pk=job.pk)
        if job.completed_at is not None:
            raise Conflict(_("Oppdraget er allerede fullført."))
        blockers = selectors.job_blockers(job)
        if blockers:
            raise ServiceError(
                _("Oppdraget kan ikke fullføres: %(reasons)s") % {"reasons": " ".join(blockers)}
            )
        order = job.order
        if order.status == "queued":
            order = order_services.take(actor=actor, order=order, agent=agent)
        if order.status == "in_progress":
            order_services.resolve(actor=actor, order=order, resolution=resolution, agent=agent)
        today = timezone.localdate()
        job.actual_end = job.actual_end or today
        job.actual_start = job.actual_start or min(job.actual_end, today)
        job.completed_at = timezone.now()
        job.save()
        audit.record(
            actor=actor,
            action="records.job.close",
            obj=job,
            changes={"actual_end": [None, job.actual_end.isoformat()]},
            organisation_id=job.ministry_id,
        )
    return job


@allowed(team_rule, TEAM_ONLY)
def add_retention(*, actor: Actor, job: ArchiveJob, values: dict[str, Any]) -> RetentionDecision:
    """A retention decision for (part of) the job's material; for «Kasseres» the disposal
    date is the closing date plus the retention period unless given."""
    errors = text_errors(values, {"material": TITLE_MAX, "basis": TITLE_MAX}, ("material",))
    errors.update(date_errors(values, ("closed_on", "disposal_on")))
    decision = values.get("decision")
    if decision not in RetentionDecision.Decision.values:
        errors["decision"] = [_("Velg Bevares, Kasseres eller Vurderes senere.")]
    years = values.get("retention_years")
    if years is not None and not 0 <= years <= 200:
        errors["retention_years"] = [_("Bevaringstiden må være mellom 0 og 200 år.")]
    disposal_on = values.get("disposal_on")
    if decision == "dispose" and not errors:
        if disposal_on is None and values.get("closed_on") and years is not None:
            disposal_on = rules.disposal_date(values["closed_on"], years)
        if disposal_on is None:
            errors["disposal_on"] = [
                _("Oppgi kassasjonsdato, eller avslutningsdato og bevaringstid.")
            ]
    if decision == "keep":
        disposal_on = None
    if errors:
        raise ServiceError(_("Kassasjonsvedtaket ble ikke lagret."), errors)
    with transaction.atomic():
        row = RetentionDecision.objects.create(
            job=job,
            material=values["material"].strip(),
            decision=decision,
            retention_years=years,
            closed_on=values.get("closed_on"),
            disposal_on=disposal_on,
            basis=(values.get("basis") or "").strip(),
        )
        audit.record(
            actor=actor,
            action="records.retention.create",
            obj=row,
            changes={
                "decision": [None, decision],
                "disposal_on": [None, audit.to_json_value(disposal_on)],
            },
            organisation_id=job.ministry_id,
        )
    return row


@allowed(ministry_rule, MINISTRY_ONLY)
def approve_disposal(
    *,
    actor: Actor,
    decision: RetentionDecision,
    description: str,
    volume: str = "",
    person: Person | None = None,
) -> DisposalEntry:
    """The ministry approves disposing of material under a «Kasseres» decision whose
    disposal date has passed; the approval goes in the job's disposal log."""
    errors = text_errors(
        {"description": description, "volume": volume},
        {"description": TITLE_MAX, "volume": TITLE_MAX},
        ("description",),
    )
    today = timezone.localdate()
    if decision.decision != RetentionDecision.Decision.DISPOSE:
        errors["decision"] = [_("Bare materiale med vedtaket «Kasseres» kan kasseres.")]
    elif not rules.may_dispose(decision.decision, decision.disposal_on, today):
        errors["decision"] = [
            _("Kassasjonsdatoen (%(day)s) er ikke passert.")
            % {"day": f"{decision.disposal_on:%d.%m.%Y}" if decision.disposal_on else "–"}
        ]
    if errors:
        raise ServiceError(_("Kassasjonen ble ikke godkjent."), errors)
    person = person or org_selectors.person_for(actor.user)
    if person is None:
        raise TypeError("A system actor must name the person approving.")
    with transaction.atomic():
        entry = DisposalEntry.objects.create(
            job=decision.job,
            decision=decision,
            description=description.strip(),
            volume=volume.strip(),
            approved_by=person,
            approved_on=today,
        )
        audit.record(
            actor=actor,
            action="records.disposal.approve",
            obj=entry,
            changes={"description": [None, entry.description], "approved_by": [None, str(person)]},
            organisation_id=decision.job.ministry_id,
        )
    return entry


@allowed(either_rule, EITHER_SIDE)
def save_period(
    *,
    actor: Actor,
    ministry: Organisation,
    values: dict[str, Any],
    period: ArchivePeriod | None = None,
) -> ArchivePeriod:
    """Add or change one of the ministry's archive periods."""
    merged = {**({f: getattr(period, f) for f in PERIOD_FIELDS} if period else {}), **values}
    errors = text_errors(merged, {"name": TITLE_MAX, "system": TITLE_MAX}, ("name", "system"))
    for name in ("starts_on", "ends_on"):
        value = merged.get(name)
        if isinstance(value, dt.date) and not PERIOD_MIN <= value <= PERIOD_MAX:
            errors[name] = [str(PERIOD_RANGE_MESSAGE)]
    if merged.get("starts_on") is None:
        errors["starts_on"] = [_("Oppgi når perioden starter.")]
    elif merged.get("ends_on") and merged["ends_on"] < merged["starts_on"]:
        errors["ends_on"] = [_("Perioden kan ikke slutte før den starter.")]
    if merged.get("status") not in ArchivePeriod.Status.values:
        errors["status"] = [_("Velg en status.")]
    elif merged["status"] != "active" and not merged.get("ends_on"):
        errors["ends_on"] = [_("En periode som ikke er aktiv, må ha en sluttdato.")]
    if errors:
        raise ServiceError(_("Arkivperioden ble ikke lagret."), errors)
    with transaction.atomic():
        if period is None:
            period = ArchivePeriod.objects.create(
                ministry=ministry, **{f: merged[f] for f in PERIOD_FIELDS}
            )
            changes = {f: [None, audit.to_json_value(merged[f])] for f in PERIOD_FIELDS}
            action = "records.period.create"
        else:
            before = audit.snapshot(period, PERIOD_FIELDS)
            for f in PERIOD_FIELDS:
                setattr(period, f, merged[f])
            period.save()
            changes = audit.diff(before, audit.snapshot(period, PERIOD_FIELDS))
            action = "records.period.update"
        audit.record(
            actor=actor, action=action, obj=period, changes=changes, organisation_id=ministry.pk
        )
    return period
