"""Background jobs of the SLA app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from felles.core import jobs
from felles.core.actor import Actor
from felles.sla.services import scan


@jobs.handler("sla.scan")
def scan_job(payload: dict[str, Any], log: Callable[[str], None]) -> None:
    counts = scan(actor=Actor.system("sla.scan"))
    log(
        f"brudd {counts['breached']}, varsler {counts['warned']}, "
        f"brudd på første svar {counts['response_breached']}"
    )


jobs.periodic("sla.scan", minutes=5)
