"""E-mail through an outbox: every message is written in the transaction of the event it
tells about and sent by the job queue (`felles worker`).

`queue_notice(...)` renders the message in the recipient's language (plain text and HTML),
skips it if the person has turned the topic off (`MailPreference.muted`), and stores an
`OutboundMail` row together with a `mail.send` Job in the caller's transaction: the event
and its e-mail commit or roll back together, so a crash after the commit loses nothing.

The job (`send_job`) sends the row once and marks it sent. Its claim, lease, heartbeat,
retries with back-off and FAILED state are the job queue's (`core.jobs`): an SMTP server
that refuses (4xx, 5xx, connection refused, timeout) fails the attempt and the job comes
back after 1, 2, 4, … minutes until FELLES_MAIL_MAX_ATTEMPTS is used up; then the mail is
listed as failed on the jobs page, where an administrator can send it again.

Delivery is *at least once*. The only window for a duplicate is between the SMTP server's
"250 OK" for the message and the commit of `sent_at` (a worker killed in between, or a
database that fails at that moment): the job is then taken back and sends again. Every
attempt carries the same Message-ID (from the row's uuid), so the duplicate can be told
apart and mail systems that de-duplicate on it drop it. The alternative, at most once
(marking the row before the SMTP conversation), would turn the same crash into a lost
approval request, which is worse for the reader than a second copy.
"""

from __future__ import annotations

import smtplib
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from email.utils import parseaddr
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext

from felles.core import jobs, prepared
from felles.core.events import Query
from felles.core.models import Job, MailPreference, OutboundMail
from felles.core.types import AnyUser

SEND_JOB = "mail.send"
LANGUAGES = ("nb", "en")


# --- topics -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Topic:
    """A kind of e-mail a person may turn off on the preferences page (unless `always`)."""

    key: str
    label: str | Promise
    always: bool = False


_TOPICS: dict[str, Topic] = {}


def topic(key: str, label: str | Promise, *, always: bool = False) -> str:
    """Register a topic (at import time, like a job handler) and return its key."""
    _TOPICS[key] = Topic(key, label, always)
    return key


def topics() -> list[Topic]:
    return list(_TOPICS.values())


# --- preferences ----------------------------------------------------------------------------


def preference_for(user: AnyUser) -> MailPreference | None:
    pk = getattr(user, "pk", None)
    if pk is None:
        return None
    return MailPreference.objects.filter(user_id=pk).first()


def language_for(preference: MailPreference | None) -> str:
    """The language a person reads e-mail in: their choice, else bokmål."""
    if preference is not None and preference.language in LANGUAGES:
        return preference.language
    return settings.LANGUAGE_CODE


def wants(key: str, preference: MailPreference | None) -> bool:
    """Whether a person with `preference` gets `key` by e-mail. A topic marked `always`
    (approvals) and a topic no one registered (operator alerts) always go out."""
    registered = _TOPICS.get(key)
    if registered is None or registered.always or preference is None:
        return True
    return key not in (preference.muted or [])


_SUPPRESSED: ContextVar[bool] = ContextVar("felles_mail_suppressed", default=False)


@contextmanager
def suppressed() -> Iterator[None]:
    """No e-mail enters the outbox inside this block (demo data: notifications about
    made-up orders to made-up people)."""
    token = _SUPPRESSED.set(True)
    try:
        yield
    finally:
        _SUPPRESSED.reset(token)


# --- composing ------------------------------------------------------------------------------


@dataclass
class Notice:
    """What a notification says, in the language active while it is built. The layout
    (mail/notice.txt and mail/notice.html) is the same for every notification."""

    subject: str
    headline: str
    paragraphs: list[str] = field(default_factory=list)
    quote: str = ""  # someone's own words (a comment, a question), shown as written
    action_label: str = ""
    action_url: str = ""
    action_note: str = ""
    items: list[tuple[str, str]] = field(default_factory=list)  # (text, url) in a digest
    preformatted: str = ""  # a line to keep exactly (an audit checkpoint)


def absolute(path: str) -> str:
    """An address a mail client can open: BASE_URL and the path."""
    return f"{settings.BASE_URL.rstrip('/')}{path}"


def preferences_url() -> str:
    return absolute(reverse("mail_preferences"))


def render(notice: Notice, *, why: str = "", personal: bool = True) -> tuple[str, str]:
    """The plain-text and HTML bodies of a notice (in the active language). A personal
    one (to a person in Felles) ends with the link to their e-mail preferences."""
    html = render_to_string(
        "mail/notice.html",
        {"notice": notice, "why": why, "preferences_url": preferences_url() if personal else ""},
    )
    return render_text(notice, why=why, personal=personal), html


def render_text(notice: Notice, *, why: str = "", personal: bool = True) -> str:
    """The plain-text part: the same content, a link on a line of its own (mail clients
    make it clickable and do not break it)."""
    blocks = [notice.headline, *notice.paragraphs]
    if notice.quote:
        blocks.append("\n".join(f"> {line}" for line in notice.quote.splitlines() or [""]))
    if notice.preformatted:
        blocks.append(notice.preformatted)
    if notice.items:
        blocks.append("\n\n".join(f"{text}\n{url}" for text, url in notice.items))
    if notice.action_url:
        blocks.append(f"{notice.action_label}:\n{notice.action_url}")
        if notice.action_note:
            blocks.append(notice.action_note)
    footer = []
    if why:
        footer.append(
            gettext("Du får denne e-posten fordi du får varsler om: %(why)s.") % {"why": why}
        )
    if personal:
        footer.append(
            gettext("Velg hvilke varsler du får på e-post: %(url)s") % {"url": preferences_url()}
        )
    blocks.append("-- \n" + "\n".join(["Felles", *footer]))
    return "\n\n".join(block.strip("\n") for block in blocks if block) + "\n"


def _preference(user_id: int) -> QuerySet[MailPreference]:
    return MailPreference.objects.filter(user_id=user_id).order_by()[:1]


def _preference_of(user_id: int) -> MailPreference | None:
    """The recipient's choices (every notice asks: compiled once per connection)."""
    found = prepared.run("core.mail_preference", _preference, user_id=user_id)
    return found[0] if found else None


def queue_notice(
    *,
    to: str,
    user_id: int | None,
    topic: str,
    build: Callable[[], Notice],
    created_by: str = "system:mail",
) -> OutboundMail | None:
    """Put one e-mail in the outbox, in the caller's transaction, unless the recipient
    (`user_id`: a person in Felles; None for an address outside it) has turned `topic`
    off. `build` runs in the recipient's language, so the texts it calls `gettext` for come
    out in it. Returns the row (None when not wanted or no address)."""
    if not to or _SUPPRESSED.get():
        return None
    preference = _preference_of(user_id) if user_id else None
    if not wants(topic, preference):
        return None
    language = language_for(preference)
    why = _TOPICS[topic].label if topic in _TOPICS else ""
    with translation.override(language):
        notice = build()
        text, html = render(notice, why=str(why) if why else "", personal=user_id is not None)
        subject = " ".join(str(notice.subject).split())[:200]
    mail = OutboundMail(uuid=uuid.uuid4())
    with transaction.atomic(savepoint=False):  # both or neither, with the caller's event
        job = new_send_job(mail, created_by=created_by)
        mail = prepared.insert(
            OutboundMail(
                uuid=mail.uuid,
                topic=topic,
                user_id=user_id,
                to=to,
                language=language,
                subject=subject,
                text=text,
                html=html,
                job=job,
            )
        )
    return mail


# --- sending --------------------------------------------------------------------------------


def _domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or urlsplit(settings.BASE_URL).hostname or "felles"


def message_id(mail: OutboundMail) -> str:
    """The same for every attempt at the same row."""
    return f"<{mail.uuid}@{_domain()}>"


def as_message(mail: OutboundMail) -> EmailMultiAlternatives:
    headers = {
        "Message-ID": message_id(mail),
        "Auto-Submitted": "auto-generated",
        # Exchange and Outlook: no out-of-office or delivery replies to a robot.
        "X-Auto-Response-Suppress": "All",
        "Content-Language": mail.language,
    }
    if mail.user_id is not None:  # a person in Felles chooses what they get
        headers["List-Unsubscribe"] = f"<{preferences_url()}>"
    message = EmailMultiAlternatives(
        subject=mail.subject, body=mail.text, to=[mail.to], headers=headers
    )
    if mail.html:
        message.attach_alternative(mail.html, "text/html")
    return message


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        reply = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else ""
        return f"SMTP-tjeneren svarte {exc.smtp_code}: {reply or exc}"[:1000]
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = ", ".join(f"{code}" for code, _ in exc.recipients.values())
        return f"SMTP-tjeneren avviste mottakeren ({codes})."
    return f"{type(exc).__name__}: {exc}"[:1000]


@jobs.handler(SEND_JOB, max_runtime=max(60.0, settings.EMAIL_TIMEOUT * 8))
def send_job(payload: dict[str, Any], log: Callable[[str], None]) -> None:
    """Send one outbox row, unless it has been sent already (a job taken back after its
    worker died once the server had accepted the message)."""
    mail = OutboundMail.objects.filter(uuid=str(payload.get("mail", ""))).first()
    if mail is None:
        log("E-posten finnes ikke lenger; ingenting å sende.")
        return
    if mail.sent_at is not None:
        when = timezone.localtime(mail.sent_at)
        log(f"Allerede sendt {when:%d.%m.%Y %H:%M:%S}; ikke sendt igjen.")
        return
    OutboundMail.objects.filter(pk=mail.pk).update(attempts=F("attempts") + 1)
    try:
        sent = as_message(mail).send(fail_silently=False)
    except Exception as exc:
        reason = _describe(exc)
        OutboundMail.objects.filter(pk=mail.pk).update(last_error=reason)
        log(f"Ikke sendt til {mail.to}: {reason}")
        raise
    if not sent:
        OutboundMail.objects.filter(pk=mail.pk).update(last_error="Ingen mottaker godtok e-posten.")
        raise RuntimeError("E-posten ble ikke sendt (ingen mottaker godtok den).")
    OutboundMail.objects.filter(pk=mail.pk, sent_at__isnull=True).update(
        sent_at=timezone.now(), last_error=""
    )
    log(f"Sendt til {mail.to} ({message_id(mail)}).")


# --- what operators see ---------------------------------------------------------------------

operators = Query[bool](
    "core.mail.operators",
    "Who may see failed e-mail and send it again: the administrators (web answers with "
    "organisations' rule). Without an answer, superusers only.",
    default=lambda user: bool(getattr(user, "is_superuser", False)),
)


def failed() -> QuerySet[OutboundMail]:
    """Unsent mail whose every attempt failed (its job is FAILED)."""
    return OutboundMail.objects.filter(sent_at__isnull=True, job__status=Job.Status.FAILED)


def waiting() -> QuerySet[OutboundMail]:
    """Unsent mail still to be tried (queued or being sent)."""
    return OutboundMail.objects.filter(sent_at__isnull=True).filter(
        Q(job__status__in=[Job.Status.QUEUED, Job.Status.RUNNING])
    )


def new_send_job(mail: OutboundMail, *, created_by: str) -> Job:
    return prepared.insert(
        Job(
            kind=SEND_JOB,
            payload={"mail": str(mail.uuid)},
            created_by_label=created_by[:200],
            max_attempts=settings.FELLES_MAIL_MAX_ATTEMPTS,
        )
    )
