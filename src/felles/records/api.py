"""API: arkiv og informasjonsforvaltning — archive jobs and the yearly archive plan, for
the ministry's coordinator and leaders and DIO's archive team (others: 404)."""

from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router

from felles.core.actor import Actor
from felles.core.api import responses
from felles.core.permissions import api_requires, authenticated, get_visible_or_404
from felles.records import selectors, services
from felles.records.models import ArchiveJob
from felles.records.schemas import JobOut, PlanOut

router = Router(tags=["arkiv"])


def job_out(job: ArchiveJob) -> dict[str, Any]:
    return {
        "id": job.uuid,
        "ministry": job.ministry.abbreviation,
        "order_id": job.order.uuid,
        "order_number": job.order.number,
        "order_status": job.order.status,
        "service_code": job.order.service.code,
        "kind": job.kind,
        "title": job.title,
        "period": job.period.name if job.period else None,
        "planned_start": job.planned_start,
        "planned_end": job.planned_end,
        "actual_start": job.actual_start,
        "actual_end": job.actual_end,
        "shelf_metres": job.shelf_metres,
        "record_count": job.record_count,
        "report_name": job.report_name or None,
        "report_sha256": job.report_sha256 or None,
        "approved_by": job.approved_by.full_name if job.approved_by else None,
        "approved_at": job.approved_at,
        "completed_at": job.completed_at,
        "retention": [
            {
                "material": r.material,
                "decision": r.decision,
                "retention_years": r.retention_years,
                "disposal_on": r.disposal_on,
                "basis": r.basis,
            }
            for r in job.retention.all()
        ],
    }


@router.get("/records/jobs", response=responses(list[JobOut]))
@api_requires(authenticated)
def list_jobs(request: HttpRequest, ministry: str = "", open: bool = False) -> object:
    """Archive jobs of the ministries the user reaches (`ministry`: an abbreviation)."""
    if not selectors.ministries_for(request.user).exists():
        raise Http404
    jobs = selectors.jobs_for(request.user).prefetch_related("retention")
    if ministry:
        jobs = jobs.filter(ministry__abbreviation__iexact=ministry[:12])
    if open:
        jobs = jobs.filter(completed_at__isnull=True)
    return [job_out(j) for j in jobs]


@router.get("/records/jobs/{job_id}", response=responses(JobOut))
@api_requires(authenticated)
def get_job(request: HttpRequest, job_id: UUID) -> object:
    return job_out(get_visible_or_404(selectors.jobs_for(request.user), uuid=job_id))


@router.post("/records/jobs/{job_id}/approval", response=responses(JobOut))
@api_requires(authenticated)
def approve_job(request: HttpRequest, job_id: UUID) -> object:
    """The ministry's coordinator or leader approves the job (a deposit or transfer only
    once its test report is uploaded)."""
    job = get_visible_or_404(selectors.jobs_for(request.user), uuid=job_id)
    services.approve_job(actor=Actor.from_request(request), job=job)
    return job_out(selectors.jobs_for(request.user).get(pk=job.pk))


@router.get("/records/plan/{ministry_id}/{year}", response=responses(PlanOut))
@api_requires(authenticated)
def get_plan(request: HttpRequest, ministry_id: UUID, year: int) -> object:
    """The ministry's yearly archive plan (records.rules.plan_for_year)."""
    ministry = get_visible_or_404(selectors.ministries_for(request.user), uuid=ministry_id)
    if not 2000 <= year <= 2100:
        raise Http404
    plan: Any = selectors.plan(ministry, year, timezone.localdate())
    return {
        "ministry": ministry.abbreviation,
        "year": year,
        "due": [
            {
                "kind": row["item"].kind,
                "due_on": row["item"].due_on,
                "overdue": row["item"].overdue,
                "period_id": row["period"].uuid,
                "period": row["period"].name,
                "job_ids": [j.uuid for j in row["jobs"]],
            }
            for row in plan["due"]
        ],
        "job_ids": [j.uuid for j in plan["jobs"]],
    }
