"""Issue 18: notices about a restricted or security order carry no content — a neutral
subject («Du har en oppdatering i en skjermet sak») and a link to the order — in the
in-page notification, in the e-mail as a real SMTP server receives it, and in the SLA
digest; only the handling team's managers hear about its SLA."""

from __future__ import annotations

from typing import Any

from felles.catalog.models import Confidentiality, Service
from felles.core import jobs
from felles.core.actor import Actor
from felles.core.services import save_mail_preferences
from felles.orders import services
from felles.orders.models import Notification
from felles.orders.services import notifications
from felles.organisations.models import Role
from felles.organisations.tests.factories import make_person
from felles.testing import mail as mail_testing
from felles.testing.mail import SmtpRecorder
from felles.testing.screened import CASE_TEXT, SURNAME, leaked, screened_order, screened_service

smtp_server = mail_testing.smtp_server  # the fixture

NEUTRAL = {
    "[Felles] Du har en oppdatering i en skjermet sak",
    "[Felles] En skjermet sak venter på godkjenning fra deg",
}


def _whole(message: Any) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return f"{message['Subject']}\n{text}\n{html}"


def _through_its_life(shop: Any, actor: Actor) -> Any:
    """Submitted, approved by its chain, taken by the handling team, a comment and a
    question naming the case, resolved: every notice the order gives rise to."""
    order = screened_order(shop, actor)
    for step in order.steps.order_by("position"):
        step.refresh_from_db()
        services.decide(
            actor=actor, step=step, decider=step.approver, on_behalf_of=step.approver, approve=True
        )
    order.refresh_from_db()
    services.take(actor=actor, order=order, agent=shop.agent)
    services.comment(actor=actor, order=order, text=f"{CASE_TEXT}.", author=shop.agent)
    services.request_info(
        actor=actor, order=order, agent=shop.agent, question=f"Har {SURNAME} vitner?"
    )
    order.refresh_from_db()
    services.provide_info(actor=actor, order=order, answer="Ja, to.", author=shop.employee)
    order.refresh_from_db()
    services.resolve(actor=actor, order=order, agent=shop.agent, resolution=CASE_TEXT)
    order.refresh_from_db()
    return order


def test_every_e_mail_and_notification_about_a_screened_order_is_neutral(
    shop: Any, actor: Actor, smtp_server: SmtpRecorder
) -> None:
    screened_service(shop)
    order = _through_its_life(shop, actor)
    jobs.run_pending()
    received = smtp_server.received
    assert received, "the order's life sends e-mail"
    assert shop.employee.email in {m["To"] for m in received}
    for message in received:
        assert message["Subject"] in NEUTRAL
        whole = _whole(message)
        assert leaked(whole, shop, order, link=True) == [], message["Subject"]
        assert "Juridisk" not in whole  # not even the service
        assert f"/bestillinger/{order.uuid}/" in whole or "/godkjenning/lenke/" in whole
    notes = Notification.objects.filter(order=order)
    assert notes.exists()
    for note in notes:
        assert note.text in {s.removeprefix("[Felles] ") for s in NEUTRAL}
        assert leaked(note.text, shop, order, link=True) == []


def test_a_security_order_in_english_is_neutral_too(
    shop: Any, actor: Actor, smtp_server: SmtpRecorder
) -> None:
    screened_service(shop, level=Confidentiality.SECURITY)
    save_mail_preferences(
        actor=Actor(user=shop.employee.user), user=shop.employee.user, language="en", muted=[]
    )
    order = _through_its_life(shop, actor)
    jobs.run_pending()
    mine = [m for m in smtp_server.received if m["To"] == shop.employee.email]
    assert mine
    for message in mine:
        assert message["Subject"] == "[Felles] You have an update in a restricted case"
        assert leaked(_whole(message), shop, order, link=True) == []


def test_an_open_order_still_says_what_it_is(
    shop: Any, actor: Actor, smtp_server: SmtpRecorder
) -> None:
    """The control: without the class the same life names the service and the number."""
    screened_service(shop)
    Service.objects.filter(code="hr-juridisk").update(confidentiality=Confidentiality.OPEN)
    shop.services["hr-juridisk"].refresh_from_db()
    order = _through_its_life(shop, actor)
    jobs.run_pending()
    assert any(order.number in m["Subject"] for m in smtp_server.received)


def test_the_sla_digest_names_no_screened_case_and_reaches_only_the_team(
    shop: Any, actor: Actor, smtp_server: SmtpRecorder
) -> None:
    service = screened_service(shop)
    marte = make_person(shop.dss, "marte", roles=[Role.PROVIDER_MANAGER])
    siri = make_person(shop.dss, "siri", roles=[Role.PROVIDER_MANAGER])
    service.handling_team.add(siri)
    order = _through_its_life(shop, actor)
    jobs.run_pending()
    before = len(smtp_server.received)
    notifications.notify_sla({"breached": [order.pk]})
    told = set(
        Notification.objects.filter(text__startswith="SLA-brudd").values_list("person", flat=True)
    )
    assert marte.pk not in told  # a manager outside the handling team hears nothing
    assert siri.pk in told
    for note in Notification.objects.filter(text__startswith="SLA-brudd"):
        assert note.text == "SLA-brudd: en skjermet sak"
    jobs.run_pending()
    digests = smtp_server.received[before:]
    assert digests and marte.email not in {m["To"] for m in digests}
    for message in digests:
        assert leaked(_whole(message), shop, order, link=True) == []


def test_following_the_e_mail_link_is_logged_as_a_read_through_e_mail(
    shop: Any, actor: Actor, smtp_server: SmtpRecorder
) -> None:
    """The handling team's e-mail links to the order with `?via=epost`; opening it records
    the read as coming through the e-mail link («Lenke i e-post»)."""
    import re

    from felles.orders.models import OrderRead
    from felles.testing import client_for

    screened_service(shop)
    order = _through_its_life(shop, actor)
    jobs.run_pending()
    theirs = [m for m in smtp_server.received if m["To"] == shop.agent.email]
    assert theirs, "the handling team hears of the case by e-mail"
    links = set(re.findall(rf"/bestillinger/{order.uuid}/\?via=epost", _whole(theirs[0])))
    assert links
    assert client_for(shop.agent).get(links.pop()).status_code == 200
    assert list(
        OrderRead.objects.filter(order=order, person=shop.agent).values_list("route", flat=True)
    ) == ["email"]


def test_notices_written_before_the_class_was_raised_show_neutral_words(
    shop: Any, actor: Actor, smtp_server: SmtpRecorder
) -> None:
    """An open order's notices name it; once its service is made restricted, the start page
    shows those same notices in neutral words only (the stored row is unchanged)."""
    from felles.testing import client_for

    screened_service(shop)
    Service.objects.filter(code="hr-juridisk").update(confidentiality=Confidentiality.OPEN)
    shop.services["hr-juridisk"].refresh_from_db()
    order = _through_its_life(shop, actor)
    Notification.objects.filter(person=shop.employee).update(read_at=None)
    assert any(order.number in n.text for n in Notification.objects.filter(person=shop.employee))
    home = client_for(shop.employee).get("/").content.decode()
    assert order.number in home
    Service.objects.filter(code="hr-juridisk").update(confidentiality=Confidentiality.RESTRICTED)
    home = client_for(shop.employee).get("/").content.decode()
    assert "Du har en oppdatering i en skjermet sak" in home
    assert leaked(home.split("Varsler")[-1], shop, order, link=True) == []
