"""Background jobs of the security app: the daily reminder scan and the VF § 78 disposal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from felles.core import jobs
from felles.core.actor import Actor
from felles.security import workflow


@jobs.handler("security.scan")
def scan_job(payload: dict[str, Any], log: Callable[[str], None]) -> dict[str, Any]:
    counts = workflow.scan(actor=Actor.system("security.scan"))
    log(f"utkast til ny klarering {counts['drafts']}, samtalepåminnelser {counts['conversations']}")
    return counts


@jobs.handler("security.dispose")
def dispose_job(payload: dict[str, Any], log: Callable[[str], None]) -> dict[str, Any]:
    """`{"dry_run": true}` lists what a real run would dispose, and disposes nothing."""
    if payload.get("dry_run"):
        plan = workflow.disposal_plan(timezone.localdate())
        log(f"prøvekjøring: {len(plan)} rader ville blitt kassert")
        return {"dry_run": True, "rows": len(plan)}
    counts = workflow.dispose(actor=Actor.system("security.dispose"))
    log(f"kassert: {counts}")
    return counts


jobs.periodic("security.scan", minutes=24 * 60)
jobs.periodic("security.dispose", minutes=24 * 60)
