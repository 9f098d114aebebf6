"""E-mail in tests: notifications wait in the outbox (felles.core.mail) until the worker
sends them. `deliver_mail()` does the worker's part for tests about something else; the
outbox itself is tested against a real SMTP server in core/tests/test_mail.py."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core import mail as django_mail

from felles.core import mail
from felles.core.models import Job


def deliver_mail() -> list[Any]:
    """Send every queued e-mail (each once: a row already sent is skipped) and return
    Django's test outbox."""
    queued = Job.objects.filter(kind=mail.SEND_JOB, status=Job.Status.QUEUED).order_by("id")
    for job in queued:
        mail.send_job(job.payload, lambda line: None)
        Job.objects.filter(pk=job.pk).update(status=Job.Status.SUCCEEDED)
    return django_mail.outbox


class SmtpRecorder:
    """An aiosmtpd handler: keeps every accepted message; `refuse` answers the next N
    messages with a temporary failure (451), as a busy or greylisting server does."""

    def __init__(self) -> None:
        self.received: list[EmailMessage] = []
        self.refused = 0
        self.refuse = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            self.refuse -= 1
            self.refused += 1
            return "451 4.3.0 Midlertidig feil, prøv igjen senere"
        parsed = BytesParser(policy=policy.default).parsebytes(envelope.original_content)
        self.received.append(parsed)  # type: ignore[arg-type]
        return "250 2.0.0 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SmtpRecorder]:
    """A real SMTP server (aiosmtpd) on a free local port, and Django's SMTP backend
    pointed at it."""
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's every command
    recorder = SmtpRecorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS, settings.EMAIL_USE_SSL, settings.EMAIL_TIMEOUT = False, False, 5
    try:
        yield recorder
    finally:
        controller.stop()
