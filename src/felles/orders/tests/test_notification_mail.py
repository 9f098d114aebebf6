"""Order notifications as the reader gets them, through a real SMTP server: the approval
request with a link that asks before it decides (a mail scanner or Outlook's link preview
only GETs), English for a reader who chose it, and the reader's choices respected except
for approvals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.test import Client

from felles.core import jobs
from felles.core.actor import Actor
from felles.core.services import save_mail_preferences
from felles.orders import services
from felles.orders.models import ApprovalStep, Notification, Order
from felles.orders.services import notifications
from felles.testing import answers
from felles.testing import mail as mail_testing
from felles.testing.mail import SmtpRecorder

smtp_server = mail_testing.smtp_server  # the fixture


def order_screen(shop: Any, actor: Actor) -> Order:
    svc = shop.services["ikt-ekstra-skjerm"]
    return services.submit_order(
        actor=actor, orderer=shop.employee, service=svc, quantity=Decimal("1"), answers=answers(svc)
    )


def parts(message: Any) -> tuple[str, str]:
    return (
        message.get_body(preferencelist=("plain",)).get_content(),
        message.get_body(preferencelist=("html",)).get_content(),
    )


def choose(person: Any, *, language: str = "nb", muted: list[str] | None = None) -> None:
    save_mail_preferences(
        actor=Actor(user=person.user), user=person.user, language=language, muted=muted or []
    )


def test_the_approver_gets_a_link_that_asks_before_it_decides(
    shop: Any, actor: Actor, smtp_server: SmtpRecorder
) -> None:
    order = order_screen(shop, actor)
    assert jobs.run_pending() == 1
    (message,) = smtp_server.received
    assert message["To"] == shop.manager.email
    assert message["Subject"] == (
        f"[Felles] Til godkjenning: Ekstra skjerm for {shop.employee.full_name} ({order.number})"
    )
    text, html = parts(message)
    prefix = f"{settings.BASE_URL}/godkjenning/lenke/"
    link = next(line for line in text.splitlines() if line.startswith(prefix))
    assert f'href="{link}"' in html and "Godkjenn eller avvis" in html
    assert f"bestilt av {shop.employee.full_name}" in text
    assert "Lenken kan brukes én gang" in text

    reader = Client()  # not signed in, as from Outlook
    preview = reader.get(link.removeprefix(settings.BASE_URL))
    assert preview.status_code == 200 and order.number in preview.content.decode()
    assert order.steps.get().state == ApprovalStep.State.PENDING  # opening decided nothing
    reader.post(link.removeprefix(settings.BASE_URL), {"decision": "approve"})
    order.refresh_from_db()
    assert order.status == "queued"

    jobs.run_pending()
    told = {m["To"]: m["Subject"] for m in smtp_server.received[1:]}
    assert told[shop.employee.email] == (
        f"[Felles] Godkjent og sendt til {order.service.provider.abbreviation}: Ekstra skjerm "
        f"({order.number})"
    )


def test_a_reader_who_chose_english_gets_english(
    shop: Any, actor: Actor, smtp_server: SmtpRecorder
) -> None:
    choose(shop.manager, language="en")
    order = order_screen(shop, actor)
    jobs.run_pending()
    (message,) = smtp_server.received
    text, html = parts(message)
    assert message["Content-Language"] == "en"
    name_en = order.service.name_en
    assert name_en and name_en != order.service.name_nb
    assert message["Subject"].strip() == (
        f"[Felles] For approval: {name_en} for {shop.employee.full_name} ({order.number})"
    )
    assert name_en in text and "Approve or reject" in html and "Godkjenn" not in html
    assert "Choose which notifications you get by e-mail" in text
    # The in-page notice stays in bokmål (the page shows it in the reader's language).
    assert Notification.objects.get(person=shop.manager).text.startswith("Til godkjenning")


def test_choices_are_respected_but_approvals_always_go_out(
    shop: Any, actor: Actor, smtp_server: SmtpRecorder
) -> None:
    everything = [t.key for t in notifications.mail.topics() if not t.always]
    choose(shop.manager, muted=everything)
    choose(shop.employee, muted=[notifications.MY_ORDERS])
    order = order_screen(shop, actor)
    jobs.run_pending()
    assert [m["To"] for m in smtp_server.received] == [shop.manager.email]  # approval

    services.decide(
        actor=actor,
        step=order.steps.get(),
        decider=shop.manager,
        on_behalf_of=shop.manager,
        approve=True,
        comment="",
    )
    jobs.run_pending()
    assert [m["To"] for m in smtp_server.received] == [shop.manager.email]  # nothing more
    # Kari still sees it in Felles.
    assert Notification.objects.filter(person=shop.employee, order=order).exists()


def test_sla_warnings_come_as_one_digest_per_person(
    shop: Any, actor: Actor, smtp_server: SmtpRecorder
) -> None:
    first, second = order_screen(shop, actor), order_screen(shop, actor)
    for order in (first, second):
        Order.objects.filter(pk=order.pk).update(assignee=shop.agent)
    jobs.run_pending()
    smtp_server.received.clear()
    notifications.notify_sla({"warning": [first.pk], "breached": [second.pk]})
    jobs.run_pending()
    (digest,) = [m for m in smtp_server.received if m["To"] == shop.agent.email]
    assert digest["Subject"] == "[Felles] 2 saker nærmer seg eller har brutt SLA"
    text, html = parts(digest)
    assert f"Snart SLA-brudd: {first.number}" in text and f"SLA-brudd: {second.number}" in html
    assert f"{settings.BASE_URL}/bestillinger/{first.uuid}/" in text


def test_the_reminder_carries_the_approvers_link_too(
    shop: Any, actor: Actor, smtp_server: SmtpRecorder
) -> None:
    step = order_screen(shop, actor).steps.get()
    start = dt.datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Oslo"))  # a Monday
    ApprovalStep.objects.filter(pk=step.pk).update(activated_at=start)
    assert services.scan(actor=actor, now=start + dt.timedelta(days=1, hours=1))["reminded"] == 1
    jobs.run_pending()
    reminder = smtp_server.received[-1]
    assert reminder["Subject"].strip().startswith("[Felles] Påminnelse:")  # folded: « =?utf-8?…»
    text, _html = parts(reminder)
    assert f"{settings.BASE_URL}/godkjenning/lenke/" in text
