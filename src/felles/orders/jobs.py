"""Background jobs of the orders app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from felles.core import jobs
from felles.core.actor import Actor
from felles.orders.services import scan


@jobs.handler("orders.scan")
def scan_job(payload: dict[str, Any], log: Callable[[str], None]) -> None:
    counts = scan(actor=Actor.system("orders.scan"))
    log(
        f"påminnet {counts['reminded']}, eskalert {counts['escalated']}, "
        f"avsluttet {counts['closed']}"
    )


jobs.periodic("orders.scan", minutes=15)
