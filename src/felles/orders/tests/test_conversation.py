"""The order form shows the approval chain before sending; the order page is one
conversation whose action panel updates in place; approvers decide inline (a refusal names
its order); the queue takes, assigns and re-prioritises inline; comments have a limit;
the pages read a constant number of queries."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from felles.core.models import AuditEvent
from felles.core.services import ServiceError
from felles.orders import chain, fields, services
from felles.orders.models import ApprovalStep, Order, OrderEvent
from felles.orders.tests.test_action_forms import in_progress, messages_of, phone_order, queued
from felles.organisations import services as org_services
from felles.organisations.models import Role
from felles.organisations.tests.factories import make_person
from felles.testing import answers, client_for

HTMX = {"HTTP_HX_REQUEST": "true"}
LIVE = {**HTMX, "HTTP_HX_TARGET": "order-live"}


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- the approval chain before sending --------------------------------------------------


def test_the_order_form_shows_who_will_approve(shop) -> None:
    cleaning = shop.services["srv-ekstra-renhold"]
    body = text_of(client_for(shop.employee).get(f"/bestill/{cleaning.uuid}/").content.decode())
    assert "Hvem godkjenner bestillingen?" in body
    chain_part = body[body.index("Hvem godkjenner bestillingen?") :]
    assert "Nærmeste leder : Per Testesen" in chain_part
    assert "Hanne" not in chain_part  # 1 hour at kr 560 is under the budget holder's limit


def test_the_chain_follows_the_quantity_past_the_budget_holders_limit(shop) -> None:
    cleaning = shop.services["srv-ekstra-renhold"]
    url = f"/bestill/{cleaning.uuid}/"
    before = (Order.objects.count(), ApprovalStep.objects.count(), AuditEvent.objects.count())
    response = client_for(shop.employee).get(url, {"quantity": "10"}, **HTMX)
    body = text_of(response.content.decode())
    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert "Nærmeste leder : Per Testesen" in body
    assert "Budsjettdisponent : Hanne Testesen" in body
    assert "kr 5 600,00" in body.replace("\u202f", " ").replace("\u00a0", " ")
    # A Norwegian decimal comma counts too; nothing is written by looking.
    assert (
        "Hanne" in client_for(shop.employee).get(url, {"quantity": "9,5"}, **HTMX).content.decode()
    )
    assert (
        "Hanne"
        not in client_for(shop.employee).get(url, {"quantity": "8,9"}, **HTMX).content.decode()
    )
    after = (Order.objects.count(), ApprovalStep.objects.count(), AuditEvent.objects.count())
    assert before == after


def test_the_preview_is_the_chain_the_order_gets(shop, actor) -> None:
    cleaning = shop.services["srv-ekstra-renhold"]
    preview = chain.preview(service=cleaning, orderer=shop.employee, quantity=Decimal("10"))
    order = services.submit_order(
        actor=actor,
        orderer=shop.employee,
        service=cleaning,
        answers=answers(cleaning),
        quantity=Decimal("10"),
    )
    steps = [(s.kind, s.approver_id) for s in order.steps.order_by("position")]
    assert [(s.kind, s.people[0].pk) for s in preview.steps] == steps


def test_an_absent_approver_shows_the_substitute(shop, actor) -> None:
    today = timezone.localdate()
    org_services.register_absence(
        actor=actor,
        person=shop.manager,
        starts_on=today,
        ends_on=today + dt.timedelta(days=3),
        substitute=shop.coordinator,
    )
    cleaning = shop.services["srv-ekstra-renhold"]
    body = text_of(client_for(shop.employee).get(f"/bestill/{cleaning.uuid}/").content.decode())
    assert "Per Testesen er borte i dag; Ingrid Testesen godkjenner i stedet" in body


def test_nobody_to_approve_is_said_before_sending(shop) -> None:
    cleaning = shop.services["srv-ekstra-renhold"]
    body = client_for(shop.head).get(f"/bestill/{cleaning.uuid}/").content.decode()
    assert "Fant ingen leder over deg i Felles som kan godkjenne" in body


# --- the order page as a conversation ---------------------------------------------------


def test_the_timeline_tells_what_happened_in_words_with_names_and_oslo_times(shop, actor) -> None:
    order = in_progress(shop)
    services.comment(actor=actor, order=order, text="Når kommer den?", author=shop.employee)
    services.change_priority(actor=actor, order=order, priority="high", agent=shop.agent)
    body = text_of(client_for(shop.employee).get(f"/bestillinger/{order.uuid}/").content.decode())
    timeline = body[body.index("Samtale og historikk") :]
    sentences = [
        "Kari Testesen sendte bestillingen",
        "Per Testesen godkjente bestillingen",
        "Bestillingen ble sendt til DSS",
        "Ole Testesen tok saken",
        "Kari Testesen skrev",
        "Når kommer den?",
        "Ole Testesen endret prioriteten til høy",
    ]
    positions = [timeline.index(s) for s in sentences]
    assert positions == sorted(positions)  # newest last
    assert "priority_changed" not in body and " high" not in timeline
    event = order.events.get(kind=OrderEvent.Kind.COMMENT)
    assert timezone.localtime(event.created_at).strftime("%d.%m.%Y %H:%M") in timeline


def test_a_comment_with_htmx_swaps_the_live_part(shop) -> None:
    order = in_progress(shop)
    response = client_for(shop.employee).post(
        f"/bestillinger/{order.uuid}/handling/", {"action": "comment", "text": "Takk!"}, **LIVE
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert body.lstrip().startswith('<div id="order-live"') or 'id="order-live"' in body[:400]
    assert "Kommentaren er lagt til." in body and "Takk!" in body


def test_a_refused_action_with_htmx_keeps_what_was_typed_and_says_why(shop) -> None:
    order = in_progress(shop)
    text = "x" * (services.COMMENT_MAX + 1)
    response = client_for(shop.employee).post(
        f"/bestillinger/{order.uuid}/handling/", {"action": "comment", "text": text}, **LIVE
    )
    body = response.content.decode()
    assert "høyst 4\u00a0000 tegn (du skrev 4\u00a0001)" in body
    assert text in body  # the text is still in the field to shorten
    assert not order.events.filter(kind=OrderEvent.Kind.COMMENT).exists()


def test_the_panel_offers_only_what_the_user_may_do_now(shop) -> None:
    order = queued(shop)
    kari = client_for(shop.employee).get(f"/bestillinger/{order.uuid}/").content.decode()
    ole = client_for(shop.agent).get(f"/bestillinger/{order.uuid}/").content.decode()
    ingrid = client_for(shop.coordinator).get(f"/bestillinger/{order.uuid}/").content.decode()
    assert 'value="cancel"' in kari and 'value="take"' not in kari
    assert 'value="take"' in ole and 'value="cancel"' not in ole
    assert "Hva kan du gjøre nå?" not in ingrid  # sees the order, may do nothing on it


def test_comments_have_a_limit_in_the_service_too(shop, actor) -> None:
    order = in_progress(shop)
    with pytest.raises(ServiceError, match="høyst 4\u00a0000 tegn"):
        services.comment(actor=actor, order=order, text="y" * 100_000, author=shop.employee)
    client = client_for(shop.employee)
    response = client.post(
        f"/api/v1/orders/{order.uuid}/actions",
        {"action": "comment", "text": "y" * (services.COMMENT_MAX + 1)},
        content_type="application/json",
    )
    assert response.status_code in (400, 422)
    assert not order.events.filter(kind=OrderEvent.Kind.COMMENT).exists()


# --- approvals --------------------------------------------------------------------------


def test_a_rejection_without_a_reason_names_the_order(shop) -> None:
    order = phone_order(shop)
    step = order.steps.get()
    client = client_for(shop.manager)
    response = client.post(f"/godkjenning/{step.uuid}/", {"decision": "reject"})
    assert messages_of(response) == [
        f"{order.number} er ikke behandlet: Skriv en begrunnelse når du avviser."
    ]
    row = client.post(f"/godkjenning/{step.uuid}/", {"decision": "reject"}, **HTMX)
    assert f"{order.number} er ikke behandlet: Skriv en begrunnelse" in row.content.decode()
    order.refresh_from_db()
    assert order.status == "awaiting_approval"


def test_each_approval_comment_field_is_labelled_with_its_order(shop, actor) -> None:
    first, second = phone_order(shop), phone_order(shop)
    body = client_for(shop.manager).get("/godkjenning/").content.decode()
    for order in (first, second):
        assert f"Kommentar til {order.number} (påkrevd ved avvisning)" in body


def test_deciding_on_the_order_page_with_htmx_swaps_the_live_part(shop) -> None:
    order = phone_order(shop)
    step = order.steps.get()
    response = client_for(shop.manager).post(
        f"/godkjenning/{step.uuid}/", {"decision": "approve"}, **LIVE
    )
    body = response.content.decode()
    assert f"{order.number} er godkjent." in body and 'id="order-live"' in body
    assert "Per Testesen godkjente bestillingen" in text_of(body)


# --- the provider queue -----------------------------------------------------------------


def test_the_queue_assigns_inline_to_colleagues_serving_the_ministry(shop) -> None:
    order = queued(shop)
    colleague = make_person(shop.dss, "oda", roles=[Role.PROVIDER_AGENT], serves=[shop.kud])
    elsewhere = make_person(shop.dss, "fia", roles=[Role.PROVIDER_AGENT], serves=[shop.fin])
    client = client_for(shop.agent)
    queue = client.get("/ko/").content.decode()
    row = queue[queue.index(f'id="q-{order.uuid}"') :]
    row = row[: row.index("</tr>")]
    assert colleague.full_name in row and elsewhere.full_name not in row
    response = client.post(
        f"/bestillinger/{order.uuid}/handling/",
        {"action": "assign", "assignee": str(colleague.uuid)},
        **HTMX,
        HTTP_HX_TARGET=f"q-{order.uuid}",
    )
    body = response.content.decode()
    assert "<html" not in body and "Saken er tildelt." in body
    order.refresh_from_db()
    assert order.assignee == colleague and order.status == "in_progress"
    refused = client.post(
        f"/bestillinger/{order.uuid}/handling/",
        {"action": "assign", "assignee": str(elsewhere.uuid)},
        **HTMX,
    )
    assert "Velg en saksbehandler fra listen." in refused.content.decode()


def test_the_queue_changes_priority_inline(shop) -> None:
    order = in_progress(shop)
    response = client_for(shop.agent).post(
        f"/bestillinger/{order.uuid}/handling/", {"action": "priority", "priority": "high"}, **HTMX
    )
    assert "Prioriteten er endret." in response.content.decode()
    order.refresh_from_db()
    assert order.priority == "high"


# --- the delivered quantity -------------------------------------------------------------


def test_the_delivered_quantity_shows_and_takes_a_decimal_comma(shop) -> None:
    order = in_progress(shop)
    body = client_for(shop.agent).get(f"/bestillinger/{order.uuid}/").content.decode()
    field = re.search(r'<input[^>]*id="resolve-quantity"[^>]*>', body).group(0)
    assert 'type="text"' in field and 'inputmode="decimal"' in field and 'value="1"' in field
    response = client_for(shop.agent).post(
        f"/bestillinger/{order.uuid}/handling/",
        {"action": "resolve", "text": "Levert", "quantity": "2,5"},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.quantity == Decimal("2.50")


@pytest.mark.parametrize(
    ("typed", "value"),
    [("2,5", "2.5"), ("2.5", "2.5"), ("1 000,5", "1000.5"), ("1\u00a0000,50", "1000.50"),
     ("1.000,5", "1000.5"), ("1,000.5", "1000.5")],
)  # fmt: skip
def test_decimals_are_read_as_typed(typed: str, value: str) -> None:
    assert fields.NorwegianDecimalField().clean(typed) == Decimal(value)


# --- constant queries -------------------------------------------------------------------


def _more_orders(shop, count: int) -> None:
    for _ in range(count):
        queued(shop)


def test_my_orders_approvals_and_queue_read_a_constant_number_of_queries(
    shop, django_assert_max_num_queries
) -> None:
    queued(shop)
    phone_order(shop)
    pages = {
        "/bestillinger/": shop.employee,
        "/godkjenning/": shop.manager,
        "/ko/": shop.agent,
    }
    counts = {}
    for url, person in pages.items():
        client = client_for(person)
        client.get(url)
        with django_assert_max_num_queries(30) as queries:
            assert client.get(url).status_code == 200
        counts[url] = len(queries.captured_queries)
    _more_orders(shop, 4)
    for _ in range(3):
        phone_order(shop)
    for url, person in pages.items():
        client = client_for(person)
        with django_assert_max_num_queries(counts[url], info=url):
            assert client.get(url).status_code == 200


def test_the_order_page_reads_a_constant_number_of_queries(
    shop, actor, django_assert_max_num_queries
) -> None:
    order = in_progress(shop)
    client = client_for(shop.employee)
    client.get(f"/bestillinger/{order.uuid}/")
    with django_assert_max_num_queries(40) as queries:
        client.get(f"/bestillinger/{order.uuid}/")
    for i in range(6):
        services.comment(actor=actor, order=order, text=f"Melding {i}", author=shop.employee)
        services.comment(actor=actor, order=order, text=f"Svar {i}", author=shop.agent)
    with django_assert_max_num_queries(len(queries.captured_queries)):
        client.get(f"/bestillinger/{order.uuid}/")


def test_forms_offer_no_empty_dashes_choice(shop) -> None:
    order = in_progress(shop)
    for person, url in (
        (shop.agent, f"/bestillinger/{order.uuid}/"),
        (shop.employee, f"/bestill/{shop.services['srv-mobil'].uuid}/"),
        (shop.employee, "/bestillinger/"),
        (shop.agent, "/ko/"),
    ):
        assert "---------" not in client_for(person).get(url).content.decode(), url


def test_a_closed_orders_sla_box_shows_no_running_pause(shop, actor) -> None:
    order = in_progress(shop)
    services.resolve(actor=actor, order=order, resolution="Levert", agent=shop.agent)
    services.confirm(actor=actor, order=order, person=shop.employee)
    body = text_of(client_for(shop.employee).get(f"/bestillinger/{order.uuid}/").content.decode())
    sla = body[body.index("Tjenestenivå") :]
    assert "Levert – venter på bekreftelse fra bestiller" in sla
    assert "pågår" not in sla and "–nå" not in sla
