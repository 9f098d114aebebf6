"""Background jobs: the requester's data erased on the retention rule (daily)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from felles.core import jobs
from felles.core.actor import Actor
from felles.foi import services

KIND = "foi.erase_requesters"


@jobs.handler(KIND)
def erase_requesters(payload: dict[str, Any], log: Callable[[str], None]) -> dict[str, Any]:
    dry_run = bool(payload.get("dry_run", False))
    result = services.erase_requesters(actor=Actor.system("foi-retention"), dry_run=dry_run)
    log(f"{'Prøvekjøring' if dry_run else 'Slettet'}: {result.count} innsynskrav")
    return {"dry_run": dry_run, "count": result.count, "requests": list(result.request_ids)}


jobs.periodic(KIND, minutes=24 * 60)
