"""Reads for archive work: who reaches which ministry's records, and what the pages show.

Two sides reach a ministry's records (issue 21, model 2): the ministry's
information-management coordinator and its leaders (line managers), and DIO's archive team
(`catalog.selectors.handling_reach` over the archive services) for the ministries it
serves. Everyone else sees nothing: a page or object is a 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from felles.catalog import selectors as catalog_selectors
from felles.core import visibility
from felles.core.permissions import Rule
from felles.core.types import AnyUser
from felles.foi import selectors as foi_selectors
from felles.governance import selectors as governance_selectors
from felles.governance.models import MeetingSeries
from felles.orders.models import Order
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation, Role
from felles.records import rules
from felles.records.models import (
    ArchiveJob,
    ArchivePeriod,
    DisposalEntry,
    Inspection,
    InspectionFinding,
    RetentionDecision,
    SpotCheck,
    SpotCheckItem,
)
from felles.tasks.models import OrderTask

# DIO's archive services: their handling team is «DIO's archive team».
ARCHIVE_SERVICES = (
    "if-arkivtjeneste",
    "if-periodisering",
    "if-deponering",
    "if-papirarkiv",
    "if-digitalisering",
    "if-kassasjon",
    "if-utvalg",
)
KIND_BY_SERVICE = {
    "if-periodisering": ArchiveJob.Kind.PERIODISATION,
    "if-deponering": ArchiveJob.Kind.DEPOSIT,
    "if-papirarkiv": ArchiveJob.Kind.PAPER,
    "if-digitalisering": ArchiveJob.Kind.DIGITISATION,
    "if-kassasjon": ArchiveJob.Kind.DISPOSAL,
}
# The ministry's side: its information-management coordinator and its leaders.
MINISTRY_ROLES = (Role.INFORMATION_COORDINATOR, Role.LINE_MANAGER)
# The information-management coordinators' network: a governance arena run by DIO.
NETWORK_NAME = "Nettverk for informasjonsforvaltningskoordinatorer"
OPEN_ORDER_STATES = ("awaiting_approval", "queued", "in_progress", "waiting_for_customer")


def team_reach(user: AnyUser) -> frozenset[int] | None:
    """The ministries for which the user is on DIO's archive team (None: all)."""
    return catalog_selectors.handling_reach(user, ARCHIVE_SERVICES)


def ministry_side(user: AnyUser) -> frozenset[int]:
    """The ministries where the user is information-management coordinator or leader."""
    return org_selectors.ministries_where(user, *MINISTRY_ROLES)


def reach(user: AnyUser) -> frozenset[int] | None:
    """Every ministry whose records the user may see (None: all)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    team = team_reach(user)
    if team is None:
        return None
    return team | ministry_side(user)


def is_team_for(user: AnyUser, ministry_id: int) -> bool:
    team = team_reach(user)
    return team is None or ministry_id in team


def is_ministry_side_for(user: AnyUser, ministry_id: int) -> bool:
    return ministry_id in ministry_side(user)


uses_records = Rule("records", lambda user: reach(user) != frozenset())


def _ministry_filter(field: str):
    def rule(user: AnyUser) -> Q:
        ids = reach(user)
        return Q() if ids is None else Q(**{f"{field}__in": ids})

    return rule


visibility.register(ArchivePeriod, _ministry_filter("ministry_id"))
visibility.register(ArchiveJob, _ministry_filter("ministry_id"))
visibility.register(RetentionDecision, _ministry_filter("job__ministry_id"))
visibility.register(DisposalEntry, _ministry_filter("job__ministry_id"))
visibility.register(SpotCheck, _ministry_filter("ministry_id"))
visibility.register(SpotCheckItem, _ministry_filter("spot_check__ministry_id"))
visibility.register(Inspection, _ministry_filter("ministry_id"))
visibility.register(InspectionFinding, _ministry_filter("inspection__ministry_id"))


def ministries_for(user: AnyUser) -> QuerySet[Organisation]:
    ids = reach(user)
    ministries = Organisation.objects.customers()
    return ministries if ids is None else ministries.filter(pk__in=ids)


def jobs_for(user: AnyUser) -> QuerySet[ArchiveJob]:
    return ArchiveJob.objects.visible_to(user).select_related(  # type: ignore[return-value]
        "ministry", "order", "order__service", "period", "approved_by"
    )


def open_jobs(user: AnyUser, ministry: Organisation | None = None) -> list[ArchiveJob]:
    jobs = jobs_for(user).filter(completed_at__isnull=True)
    if ministry is not None:
        jobs = jobs.filter(ministry=ministry)
    return list(jobs.order_by("planned_end", "created_at"))


def archive_orders_without_job(ministry: Organisation) -> QuerySet[Order]:
    """The ministry's open orders of the archive services that have no job yet."""
    return (
        Order.objects.filter(
            ministry=ministry,
            service__code__in=ARCHIVE_SERVICES,
            status__in=OPEN_ORDER_STATES,
            archive_job__isnull=True,
        )
        .select_related("service")
        .order_by("created_at")
    )


def needs_reported(ministry: Organisation) -> QuerySet[Order]:
    """The ministry's needs reported to DIO: its orders of information-management
    services (`if-*`), newest first."""
    return (
        Order.objects.filter(ministry=ministry, service__code__startswith="if-")
        .select_related("service", "orderer")
        .order_by("-created_at")
    )


def periods_of(ministry: Organisation) -> list[ArchivePeriod]:
    return list(ArchivePeriod.objects.filter(ministry=ministry).order_by("starts_on"))


def plan(ministry: Organisation, year: int, today: dt.date) -> dict[str, object]:
    """The yearly archive plan: what the periods make due (`rules.plan_for_year`) and the
    jobs planned or running in the year."""
    periods = periods_of(ministry)
    facts = [rules.Period(str(p.uuid), p.name, p.starts_on, p.ends_on, p.status) for p in periods]
    by_key = {str(p.uuid): p for p in periods}
    due = [(item, by_key[item.period_key]) for item in rules.plan_for_year(year, facts, today)]
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    in_year = (
        Q(planned_start__lte=end, planned_end__gte=start)
        | Q(planned_end__range=(start, end))
        | Q(actual_end__range=(start, end))
        | Q(planned_end__isnull=True, completed_at__isnull=True)
    )
    jobs = list(
        ArchiveJob.objects.filter(ministry=ministry)
        .filter(in_year)
        .select_related("order", "order__service", "period")
        .order_by("planned_start", "created_at")
    )
    jobs_by_period: dict[int, list[ArchiveJob]] = {}
    for job in jobs:
        if job.period_id is not None:
            jobs_by_period.setdefault(job.period_id, []).append(job)
    rows = [
        {"item": item, "period": period, "jobs": jobs_by_period.get(period.pk, [])}
        for item, period in due
    ]
    return {"year": year, "due": rows, "jobs": jobs}


def checks_of(user: AnyUser, ministry: Organisation) -> list[SpotCheck]:
    """The ministry's spot checks, newest first, each with its counts."""
    deviation = ~Q(items__finding__in=["", SpotCheckItem.Finding.OK])
    return list(
        SpotCheck.objects.visible_to(user)
        .filter(ministry=ministry)
        .annotate(
            checked=Count("items", filter=~Q(items__finding="")),
            deviations=Count("items", filter=deviation),
        )
        .order_by("-created_at")
    )


def check_trend(checks: Iterable[SpotCheck]) -> list[dict[str, object]]:
    """Deviation rate per check, oldest first (the trend over time)."""
    ordered = sorted(checks, key=lambda c: c.created_at)
    rates = rules.trend([(c.deviations, c.checked) for c in ordered])  # type: ignore[attr-defined]
    return [{"check": c, "rate": r} for c, r in zip(ordered, rates, strict=True)]


def inspections_of(user: AnyUser, ministry: Organisation) -> list[Inspection]:
    return list(
        Inspection.objects.visible_to(user)
        .filter(ministry=ministry)
        .annotate(
            open_findings=Count(
                "findings", filter=~Q(findings__status=InspectionFinding.Status.DONE)
            )
        )
        .order_by("-held_on")
    )


def open_findings(user: AnyUser, ministry: Organisation) -> list[InspectionFinding]:
    return list(
        InspectionFinding.objects.visible_to(user)
        .filter(inspection__ministry=ministry)
        .exclude(status=InspectionFinding.Status.DONE)
        .select_related("inspection")
        .order_by("deadline")
    )


def job_blockers(job: ArchiveJob) -> list[str]:
    """Why the job cannot be completed yet, in bokmål (empty: it can)."""
    reasons: list[str] = []
    if job.needs_report and not job.report_path:
        reasons.append(_("Last opp testrapporten fra Arkade før oppdraget fullføres."))
    if job.approved_at is None:
        reasons.append(_("Departementet må godkjenne oppdraget før det fullføres."))
    return reasons


def tasks_of(user: AnyUser, job: ArchiveJob) -> list[OrderTask]:
    """The job's checklist: its order's tasks (from the service's task template), as far
    as the user may read the order's content."""
    return list(
        OrderTask.objects.visible_to(user)
        .filter(order_id=job.order_id)
        .select_related("assignee")
        .order_by("position")
    )


def open_foi(user: AnyUser, ministry: Organisation) -> list[foi_selectors.OpenRequest]:
    """The ministry's open FOI requests as far as the user sees them, with the law's
    deadlines (foi.selectors.open_requests_for: target answer day, deemed refusal after
    5 working days, offl. § 32)."""
    return foi_selectors.open_requests_for(user, ministry)


def network(user: AnyUser) -> MeetingSeries | None:
    """The coordinators' network (a multi-ministry arena run by DIO), if the user may read
    it."""
    return (
        governance_selectors.arenas_for(user)
        .filter(provider__abbreviation="DIO", name_nb=NETWORK_NAME)
        .first()
    )
