"""Pages for archive work (jobs, periods, plan) and for the coordinator (spot checks,
inspections)."""

from felles.records.views.control import check, checks, inspection, inspections, ministry
from felles.records.views.jobs import home, job, job_new, job_report, periods, plan

__all__ = [
    "check",
    "checks",
    "home",
    "inspection",
    "inspections",
    "job",
    "job_new",
    "job_report",
    "ministry",
    "periods",
    "plan",
]
