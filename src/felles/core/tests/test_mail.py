"""The outbox (felles.core.mail) against a real SMTP server (aiosmtpd on a free port):
what arrives, with which headers, and that a refusing server, a crashed worker or a second
run neither loses a message nor sends it twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.utils import timezone

from felles.core import jobs, mail
from felles.core.actor import Actor
from felles.core.models import AuditEvent, Job, MailPreference, OutboundMail
from felles.core.services import Conflict, retry_mail, save_mail_preferences
from felles.testing import mail as mail_testing
from felles.testing.mail import SmtpRecorder

smtp_server = mail_testing.smtp_server  # the fixture

NEWS = "test.news"
ALERTS = "test.alerts"


@pytest.fixture(autouse=True)
def _topics() -> Iterator[None]:
    mail.topic(NEWS, "nyheter fra testen")
    mail.topic(ALERTS, "varsler som alltid sendes", always=True)
    yield
    mail._TOPICS.pop(NEWS, None)
    mail._TOPICS.pop(ALERTS, None)


def notice() -> mail.Notice:
    from django.utils.translation import gettext as _

    return mail.Notice(
        subject="[Felles] Til godkjenning: Ekstra skjerm (B-2026-000001)",
        headline="Til godkjenning: Ekstra skjerm",
        paragraphs=["Kari Testesen har bestilt en skjerm."],
        quote="Trenger den <i>før</i> jul.",
        action_label=_("Lagre"),
        action_url="https://felles.example/godkjenning/lenke/abc/",
    )


def queue(person: Any, topic: str = NEWS) -> OutboundMail | None:
    with transaction.atomic():
        return mail.queue_notice(to=person.email, user_id=person.user_id, topic=topic, build=notice)


def parts(message: Any) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def later(seconds: float) -> Any:
    return time_machine.travel(timezone.now() + dt.timedelta(seconds=seconds), tick=False)


def test_a_notice_arrives_once_as_text_and_html_with_stable_headers(
    personas: Any, smtp_server: SmtpRecorder
) -> None:
    row = queue(personas.employee)
    assert row is not None and smtp_server.received == []  # the worker sends, not the event
    assert jobs.run_pending() == 1
    (message,) = smtp_server.received
    assert message["To"] == personas.employee.email
    assert message["Subject"] == "[Felles] Til godkjenning: Ekstra skjerm (B-2026-000001)"
    assert message["Message-ID"] == mail.message_id(row) == f"<{row.uuid}@dss.dep.no>"
    assert message["List-Unsubscribe"] == f"<{settings.BASE_URL}/meg/varsler/>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Content-Language"] == "nb"
    text, html = parts(message)
    assert "Kari Testesen har bestilt en skjerm." in text
    assert "> Trenger den <i>før</i> jul." in text  # quoted as written
    assert "https://felles.example/godkjenning/lenke/abc/" in text
    assert "Velg hvilke varsler du får på e-post" in text
    assert "nyheter fra testen" in text  # why this person gets it
    assert "<h1" in html and "Til godkjenning: Ekstra skjerm" in html
    assert "Trenger den &lt;i&gt;før&lt;/i&gt; jul." in html  # escaped, not markup
    assert 'href="https://felles.example/godkjenning/lenke/abc/"' in html
    assert f'href="{settings.BASE_URL}/meg/varsler/"' in html
    assert 'role="presentation"' in html and "<style" not in html  # tables, inline styles
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 1
    assert jobs.run_pending() == 0 and len(smtp_server.received) == 1


def test_english_for_a_person_who_reads_english(personas: Any, smtp_server: SmtpRecorder) -> None:
    MailPreference.objects.create(user=personas.employee.user, language="en")
    queue(personas.employee)
    jobs.run_pending()
    (message,) = smtp_server.received
    text, html = parts(message)
    assert message["Content-Language"] == "en"
    assert "Choose which notifications you get by e-mail" in text
    assert "Choose which notifications you get by e-mail" in html
    assert "Save:" in text  # the action label was translated while the notice was built
    assert "Velg hvilke" not in text + html


def test_nothing_is_queued_when_the_event_rolls_back(personas: Any) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        mail.queue_notice(
            to=personas.employee.email, user_id=personas.employee.user_id, topic=NEWS, build=notice
        )
        raise RuntimeError("the event failed")
    assert not OutboundMail.objects.exists() and not Job.objects.exists()


def test_a_refused_first_attempt_is_retried_after_back_off_and_sent_once(
    personas: Any, smtp_server: SmtpRecorder
) -> None:
    smtp_server.refuse = 1
    row = queue(personas.employee)
    jobs.run_pending()
    row.refresh_from_db()
    job = Job.objects.get(pk=row.job_id)
    assert smtp_server.refused == 1 and smtp_server.received == []
    assert row.sent_at is None and "451" in row.last_error
    assert job.status == Job.Status.QUEUED
    assert dt.timedelta(seconds=55) < job.run_after - timezone.now() <= dt.timedelta(seconds=60)
    assert jobs.run_pending() == 0  # not before the back-off has passed
    with later(61):
        assert jobs.run_pending() == 1
        assert jobs.run_pending() == 0
    (message,) = smtp_server.received
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 2 and row.last_error == ""
    assert message["Message-ID"] == mail.message_id(row)
    assert Job.objects.get(pk=row.job_id).status == Job.Status.SUCCEEDED


def test_a_worker_that_dies_after_claiming_loses_nothing(
    personas: Any, smtp_server: SmtpRecorder
) -> None:
    row = queue(personas.employee)
    claimed = jobs.claim_next("dead-worker:1")  # claimed, then the process was killed
    assert claimed is not None and claimed.pk == row.job_id
    assert jobs.run_pending() == 0  # still leased to the dead worker
    lease = settings.FELLES_JOB_LEASE_SECONDS
    with later(lease + 1):
        assert jobs.run_pending() == 0  # taken back into the queue, with back-off
        assert Job.objects.get(pk=row.job_id).status == Job.Status.QUEUED
    with later(lease + 1 + 61):
        assert jobs.run_pending() == 1
    assert len(smtp_server.received) == 1
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 1


def test_a_job_run_again_after_the_mail_was_marked_sent_sends_nothing(
    personas: Any, smtp_server: SmtpRecorder
) -> None:
    """The job was taken back after its worker had sent and marked the mail (it died
    before storing the job's outcome): the next run finds the mark and stops."""
    row = queue(personas.employee)
    mail.send_job({"mail": str(row.uuid)}, lambda line: None)
    assert jobs.run_pending() == 1
    assert len(smtp_server.received) == 1
    assert "ikke sendt igjen" in Job.objects.get(pk=row.job_id).log


def test_a_lost_sent_mark_resends_with_the_same_message_id(
    personas: Any, smtp_server: SmtpRecorder
) -> None:
    """At least once: a crash between the server's acceptance and the sent mark sends
    again, and both copies carry the same Message-ID (docs/operations.md)."""
    row = queue(personas.employee)
    mail.send_job({"mail": str(row.uuid)}, lambda line: None)
    OutboundMail.objects.filter(pk=row.pk).update(sent_at=None)  # the mark never committed
    jobs.run_pending()
    first, second = smtp_server.received
    assert first["Message-ID"] == second["Message-ID"] == mail.message_id(row)


def test_failed_mail_is_shown_to_the_administrator_who_can_send_it_again(
    personas: Any, smtp_server: SmtpRecorder, settings: Any, client: Client
) -> None:
    settings.FELLES_MAIL_MAX_ATTEMPTS = 2
    smtp_server.refuse = 2
    row = queue(personas.employee)
    jobs.run_pending()
    with later(61):
        jobs.run_pending()
    assert list(mail.failed()) == [row] and smtp_server.received == []

    client.force_login(personas.admin.user)
    page = client.get("/jobber/").content.decode()
    assert "E-post som ikke ble sendt" in page
    assert row.subject in page and personas.employee.email in page and "451" in page

    client.force_login(personas.employee.user)
    assert client.post(f"/jobber/e-post/{row.uuid}/send-igjen/").status_code == 403
    client.force_login(personas.admin.user)
    response = client.post(f"/jobber/e-post/{row.uuid}/send-igjen/", follow=True)
    assert "sendes på nytt" in response.content.decode()
    assert AuditEvent.objects.filter(action="core.mail.retry", object_id=str(row.uuid)).exists()
    with pytest.raises(Conflict):  # a second click makes no second copy
        retry_mail(actor=Actor(user=personas.admin.user), message=row)
    with later(3600):
        assert jobs.run_pending() == 1
    assert len(smtp_server.received) == 1 and not mail.failed().exists()
    with pytest.raises(Conflict):
        retry_mail(actor=Actor(user=personas.admin.user), message=row)


def test_a_muted_topic_is_not_sent_but_one_that_always_goes_out_is(
    personas: Any, smtp_server: SmtpRecorder
) -> None:
    save_mail_preferences(
        actor=Actor(user=personas.employee.user),
        user=personas.employee.user,
        language="nb",
        muted=[NEWS],
    )
    assert queue(personas.employee, NEWS) is None
    assert queue(personas.employee, ALERTS) is not None
    jobs.run_pending()
    assert [m["Subject"] for m in smtp_server.received] == [notice().subject]


def test_the_preferences_page_saves_the_choices(personas: Any, client: Client) -> None:
    client.force_login(personas.employee.user)
    page = client.get("/meg/varsler/").content.decode()
    assert "nyheter fra testen" in page
    assert "varsler som alltid sendes" in page and "disabled" in page
    response = client.post("/meg/varsler/", {"language": "en"}, follow=True)  # none ticked
    assert response.status_code == 200
    saved = MailPreference.objects.get(user=personas.employee.user)
    assert saved.language == "en" and NEWS in saved.muted and ALERTS not in saved.muted
    assert AuditEvent.objects.filter(action="core.mail_preference.change").exists()
    client.post("/meg/varsler/", {"language": "nb", "wanted": [NEWS]})
    saved.refresh_from_db()
    assert saved.language == "nb" and NEWS not in saved.muted
    refused = client.post("/meg/varsler/", {"language": "nb", "wanted": [ALERTS]})
    assert refused.status_code == 422  # an always-on topic is no choice
    refused = client.post("/meg/varsler/", {"language": "sv"})
    assert refused.status_code == 422


def test_no_one_changes_another_persons_preferences(personas: Any) -> None:
    from felles.core.errors import Forbidden

    with pytest.raises(Forbidden):
        save_mail_preferences(
            actor=Actor(user=personas.manager.user),
            user=personas.employee.user,
            language="en",
            muted=[],
        )


def test_demo_data_puts_nothing_in_the_outbox(personas: Any) -> None:
    with mail.suppressed():
        assert queue(personas.employee) is None
    assert not OutboundMail.objects.exists() and not Job.objects.exists()
    assert queue(personas.employee) is not None
