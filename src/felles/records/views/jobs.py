"""Pages for archive work: the overview, a ministry's archive periods and yearly plan, and
archive jobs (open one for an order, dates and volumes, retention decisions, the Arkade
test report, the ministry's approvals, completion)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from felles.core.actor import Actor
from felles.core.forms import add_service_errors
from felles.core.permissions import authenticated, get_visible_or_404, requires
from felles.core.services import ServiceError
from felles.organisations.models import Organisation
from felles.records import forms, selectors, services
from felles.records.models import ArchiveJob, ArchivePeriod, RetentionDecision

# An HTML report is the tool's page, never rendered in Felles's origin: a plain download.
CONTENT_TYPES = {"pdf": "application/pdf", "xml": "application/xml"}


def ministry_or_404(request: HttpRequest, ministry_id: uuid.UUID) -> Organisation:
    return get_visible_or_404(selectors.ministries_for(request.user), uuid=ministry_id)


@requires(authenticated)
def home(request: HttpRequest) -> HttpResponse:
    """The ministries whose records the user reaches, with their open jobs; one ministry
    goes straight to its page."""
    ministries = list(selectors.ministries_for(request.user).order_by("abbreviation"))
    if not ministries:
        raise Http404
    if len(ministries) == 1:
        return redirect("records_ministry", ministry_id=ministries[0].uuid)
    jobs = selectors.open_jobs(request.user)
    return render(request, "records/home.html", {"ministries": ministries, "jobs": jobs})


@requires(authenticated)
def periods(request: HttpRequest, ministry_id: uuid.UUID) -> HttpResponse:
    """The ministry's archive periods; a new one, or a period's new status."""
    ministry = ministry_or_404(request, ministry_id)
    form = forms.PeriodForm()
    if request.method == "POST":
        period = None
        if request.POST.get("period"):
            period = get_visible_or_404(
                ArchivePeriod.objects.visible_to(request.user).filter(ministry=ministry),
                uuid=request.POST["period"],
            )
        form = forms.PeriodForm(request.POST)
        if form.is_valid():
            try:
                services.save_period(
                    actor=Actor.from_request(request),
                    ministry=ministry,
                    values=form.cleaned_data,
                    period=period,
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Arkivperioden er lagret."))
                return redirect("records_periods", ministry_id=ministry.uuid)
    rows = [
        (
            p,
            forms.PeriodForm(
                initial={f: getattr(p, f) for f in forms.PeriodForm.base_fields},
                auto_id=f"id_p{n}_%s",
            ),
        )
        for n, p in enumerate(selectors.periods_of(ministry), start=1)
    ]
    return render(
        request, "records/periods.html", {"ministry": ministry, "rows": rows, "form": form}
    )


@requires(authenticated)
def plan(request: HttpRequest, ministry_id: uuid.UUID, year: int) -> HttpResponse:
    """The ministry's archive plan for a year: what its periods make due, and the jobs."""
    ministry = ministry_or_404(request, ministry_id)
    if not 2000 <= year <= 2100:
        raise Http404
    context = selectors.plan(ministry, year, timezone.localdate())
    return render(request, "records/plan.html", {"ministry": ministry, **context})


@requires(authenticated)
def job_new(request: HttpRequest, ministry_id: uuid.UUID) -> HttpResponse:
    """DIO's archive team opens a job for one of the ministry's archive orders."""
    ministry = ministry_or_404(request, ministry_id)
    orders = selectors.archive_orders_without_job(ministry)
    periods = ArchivePeriod.objects.filter(ministry=ministry)
    form = forms.OpenJobForm(orders=orders, periods=periods)
    if request.method == "POST":
        form = forms.OpenJobForm(request.POST, orders=orders, periods=periods)
        if form.is_valid():
            values = dict(form.cleaned_data)
            order = values.pop("order")
            try:
                job = services.open_job(
                    actor=Actor.from_request(request), order=order, values=values
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Arkivoppdraget er opprettet."))
                return redirect("records_job", job_id=job.uuid)
    return render(request, "records/job_new.html", {"ministry": ministry, "form": form})


def _job_forms(job: ArchiveJob, data: Any = None, files: Any = None, action: str = "") -> dict:
    periods = ArchivePeriod.objects.filter(ministry=job.ministry)
    decisions = RetentionDecision.objects.filter(job=job, decision="dispose")

    def bound(name: str) -> Any:
        return data if action == name else None

    initial = {f: getattr(job, f) for f in services.jobs.JOB_FIELDS}
    return {
        "update": forms.JobForm(bound("update"), initial=initial, periods=periods),
        "report": forms.ReportForm(bound("report"), files if action == "report" else None),
        "complete": forms.CompleteForm(bound("complete")),
        "retention": forms.RetentionForm(bound("retention")),
        "disposal": forms.DisposalForm(bound("disposal"), decisions=decisions),
    }


def _act(request: HttpRequest, job: ArchiveJob, action: str, form: Any) -> str:
    """Run one action on the job; the success message, or "" with errors on the form."""
    actor = Actor.from_request(request)
    data = form.cleaned_data if form is not None else {}
    try:
        if action == "update":
            services.update_job(actor=actor, job=job, values=data)
            return _("Oppdraget er lagret.")
        if action == "report":
            upload = data["file"]
            if upload.size > services.jobs.REPORT_MAX_BYTES:
                raise ServiceError(_("Filen er for stor (høyst 10 MB)."))
            content = upload.read(services.jobs.REPORT_MAX_BYTES + 1)
            services.upload_report(actor=actor, job=job, name=upload.name, content=content)
            return _("Testrapporten er lastet opp.")
        if action == "approve":
            services.approve_job(actor=actor, job=job)
            return _("Oppdraget er godkjent for departementet.")
        if action == "complete":
            services.complete_job(actor=actor, job=job, resolution=data["resolution"])
            return _("Oppdraget er fullført, og bestillingen er løst.")
        if action == "retention":
            services.add_retention(actor=actor, job=job, values=data)
            return _("Kassasjonsvedtaket er lagret.")
        services.approve_disposal(
            actor=actor,
            decision=data["decision"],
            description=data["description"],
            volume=data["volume"],
        )
        return _("Kassasjonen er godkjent og ført i loggen.")
    except ServiceError as exc:
        if form is None:
            messages.error(request, exc.message)
        else:
            add_service_errors(form, exc)
        return ""


ACTIONS = ("update", "report", "approve", "complete", "retention", "disposal")


@requires(authenticated)
def job(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """An archive job: its order, checklist, dates, volumes, retention decisions, disposal
    log, test report and approval; the actions of each side."""
    job = get_visible_or_404(selectors.jobs_for(request.user), uuid=job_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action and action not in ACTIONS:
        raise Http404
    job_forms = _job_forms(job, request.POST, request.FILES, action)
    if action:
        form = job_forms.get(action)
        if form is None or form.is_valid():
            done = _act(request, job, action, form)
            if done:
                messages.success(request, done)
                return redirect("records_job", job_id=job.uuid)
    user = request.user
    context = {
        "job": job,
        "forms": job_forms,
        "open_form": action,
        "team": selectors.is_team_for(user, job.ministry_id),
        "ministry_side": selectors.is_ministry_side_for(user, job.ministry_id),
        "blockers": selectors.job_blockers(job),
        "retention": job.retention.all(),
        "disposals": job.disposals.select_related("approved_by", "decision"),
        "tasks": selectors.tasks_of(user, job),
    }
    return render(request, "records/job.html", context, status=400 if action else 200)


@requires(authenticated)
def job_report(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """The job's test report, as a download (never shown inline: an HTML report is the
    tool's page, not ours)."""
    job = get_visible_or_404(selectors.jobs_for(request.user), uuid=job_id)
    if not job.report_path or not default_storage.exists(job.report_path):
        raise Http404
    response = FileResponse(
        default_storage.open(job.report_path, "rb"),
        as_attachment=True,
        filename=job.report_name or f"testrapport.{job.report_type}",
        content_type=CONTENT_TYPES.get(job.report_type, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
