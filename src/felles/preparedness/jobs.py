"""Background jobs of the preparedness app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from felles.core import jobs
from felles.core.actor import Actor
from felles.preparedness.services import send_reminders


@jobs.handler("preparedness.reminders")
def reminders_job(payload: dict[str, Any], log: Callable[[str], None]) -> None:
    counts = send_reminders(
        actor=Actor.system("preparedness.reminders"), today=timezone.localdate()
    )
    log(f"gjennomgang {counts['reviews']}, leverandørklarering {counts['clearances']}")


jobs.periodic("preparedness.reminders", minutes=24 * 60)
