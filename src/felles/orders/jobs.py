"""Background jobs of the orders app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from felles.core import jobs
from felles.core.actor import Actor
from felles.orders.services import purge_read_log, scan


@jobs.handler("orders.scan")
def scan_job(payload: dict[str, Any], log: Callable[[str], None]) -> None:
    counts = scan(actor=Actor.system("orders.scan"))
    log(
        f"påminnet {counts['reminded']}, eskalert {counts['escalated']}, "
        f"avsluttet {counts['closed']}"
    )


jobs.periodic("orders.scan", minutes=15)


@jobs.handler("orders.read_log_cleanup")
def read_log_cleanup_job(payload: dict[str, Any], log: Callable[[str], None]) -> None:
    deleted = purge_read_log(actor=Actor.system("orders.read_log_cleanup"))
    log(f"slettet {deleted} oppslag eldre enn oppbevaringstiden")


jobs.periodic("orders.read_log_cleanup", minutes=24 * 60)
