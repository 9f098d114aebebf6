"""Writes for archive work (docs/records.md): jobs, reports, approvals and periods in
`jobs`; spot checks and inspections in `control`."""

from felles.records.services.control import (
    add_inspection_finding,
    create_inspection,
    create_spot_check,
    record_finding,
    set_finding_status,
)
from felles.records.services.jobs import (
    add_retention,
    approve_disposal,
    approve_job,
    complete_job,
    open_job,
    report_type,
    save_period,
    update_job,
    upload_report,
)

__all__ = [
    "add_inspection_finding",
    "add_retention",
    "approve_disposal",
    "approve_job",
    "complete_job",
    "create_inspection",
    "create_spot_check",
    "open_job",
    "record_finding",
    "report_type",
    "save_period",
    "set_finding_status",
    "update_job",
    "upload_report",
]
