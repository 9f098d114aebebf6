"""Ordering through the web pages, the e-mail link and the API."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal
from typing import Any

from django.test import Client

from felles.orders import services
from felles.orders.models import ApprovalStep, Order
from felles.testing import answers
from felles.testing.mail import deliver_mail


def submit_screen(shop, actor) -> Order:
    svc = shop.services["ikt-ekstra-skjerm"]
    return services.submit_order(
        actor=actor, orderer=shop.employee, service=svc, quantity=Decimal("1"), answers=answers(svc)
    )


def test_order_form_validates_every_field_server_side(shop, client: Client) -> None:
    client.force_login(shop.employee.user)
    svc = shop.services["srv-servering"]  # a meeting form (srv-moterom: the room search)
    response = client.post(
        f"/bestill/{svc.uuid}/", {"priority": "normal", "deltakere": "0", "oppsett": "Sirkus"}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Feltet er påkrevet." in body  # dato, tidspunkt
    assert "Velg et gyldig valg" in body  # oppsett
    assert "større enn eller lik 1" in body  # deltakere
    assert not Order.objects.exists()
    response = client.post(
        f"/bestill/{svc.uuid}/",
        {
            "priority": "normal",
            "dato": "2026-12-10",
            "tidspunkt": "09:00–10:00",
            "deltakere": "12",
            "oppsett": "U-bord",
            "servering": ["Kaffe og te", "Frukt"],
            "quantity": "12",
        },
        follow=True,
    )
    order = Order.objects.get()
    assert order.answers["servering"]["value"] == ["Kaffe og te", "Frukt"]
    assert f"Bestillingen {order.number} er sendt." in response.content.decode()


def test_service_not_available_to_the_ministry_is_404(shop, client: Client) -> None:
    svc = shop.services["srv-moterom"]
    svc.availability.create(organisation=shop.fin)
    client.force_login(shop.employee.user)
    assert client.get(f"/tjenester/{svc.uuid}/").status_code == 404
    assert client.get(f"/bestill/{svc.uuid}/").status_code == 404


def test_email_link_decides_once_without_login(
    shop, actor, client: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        order = submit_screen(shop, actor)
    link = re.search(r"http://[^/]+(/godkjenning/lenke/[^/\s]+/)", deliver_mail()[0].body).group(1)
    page = client.get(link)
    assert page.status_code == 200
    body = page.content.decode()
    assert order.number in body and "Ekstra skjerm" in body
    assert shop.employee.email not in body  # nothing beyond the order
    response = client.post(link, {"decision": "approve"})
    assert "er godkjent" in response.content.decode()
    order.refresh_from_db()
    assert order.status == "queued"
    assert order.steps.get().decided_by == shop.manager
    again = client.post(link, {"decision": "approve"})
    assert again.status_code == 409 and "bare brukes én gang" in again.content.decode()
    assert client.get("/godkjenning/lenke/tull/").status_code == 404


def test_escalation_invalidates_the_old_link(shop, actor) -> None:
    order = submit_screen(shop, actor)
    step = order.steps.get()
    token = services.approval_token(step)
    ApprovalStep.objects.filter(pk=step.pk).update(approver=shop.head)
    import pytest

    with pytest.raises(services.NotFound):
        services.step_from_token(token)


def test_approver_page_lists_and_decides(shop, actor, client: Client) -> None:
    order = submit_screen(shop, actor)
    client.force_login(shop.manager.user)
    assert order.number in client.get("/godkjenning/").content.decode()
    step = order.steps.get()
    client.post(f"/godkjenning/{step.uuid}/", {"decision": "reject", "comment": ""})
    order.refresh_from_db()
    assert order.status == "awaiting_approval"  # a rejection needs a reason
    client.post(f"/godkjenning/{step.uuid}/", {"decision": "reject", "comment": "Nei"})
    order.refresh_from_db()
    assert order.status == "rejected"


def test_outsiders_and_wrong_approvers_get_404(shop, actor, client: Client) -> None:
    order = submit_screen(shop, actor)
    step = order.steps.get()
    client.force_login(shop.outsider.user)
    assert client.get(f"/bestillinger/{order.uuid}/").status_code == 404
    assert client.post(f"/godkjenning/{step.uuid}/", {"decision": "approve"}).status_code == 404
    assert client.get(f"/api/v1/orders/{order.uuid}").status_code == 404
    client.force_login(shop.coordinator.user)  # may see (coordinator) but not decide
    assert client.get(f"/bestillinger/{order.uuid}/").status_code == 200
    assert client.post(f"/godkjenning/{step.uuid}/", {"decision": "approve"}).status_code == 404


def test_internal_notes_stay_with_the_provider(shop, actor, client: Client) -> None:
    svc = shop.services["srv-moterom"]
    order = services.submit_order(
        actor=actor, orderer=shop.employee, service=svc, answers=answers(svc)
    )
    client.force_login(shop.agent.user)
    client.post(f"/bestillinger/{order.uuid}/handling/", {"action": "take"})
    client.post(
        f"/bestillinger/{order.uuid}/handling/", {"action": "note", "text": "Kunden er krevende"}
    )
    assert "Kunden er krevende" in client.get(f"/bestillinger/{order.uuid}/").content.decode()
    client.force_login(shop.employee.user)
    assert "Kunden er krevende" not in client.get(f"/bestillinger/{order.uuid}/").content.decode()
    # The orderer may not take provider actions on her own order.
    response = client.post(
        f"/bestillinger/{order.uuid}/handling/", {"action": "resolve", "text": "x"}
    )
    assert response.status_code == 403


def test_api_order_journey_with_errors(shop, client: Client) -> None:
    client.force_login(shop.employee.user)
    svc = shop.services["ikt-ekstra-skjerm"]
    bad = client.post(
        "/api/v1/orders",
        {"service_id": str(svc.uuid), "answers": {"variant": "Gull"}},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert set(bad.json()["errors"]) == {"mottaker", "variant"}
    good = client.post(
        "/api/v1/orders",
        {
            "service_id": str(svc.uuid),
            "quantity": "1",
            "answers": {"mottaker": str(shop.employee.uuid), "variant": "Standard"},
        },
        content_type="application/json",
    )
    assert good.status_code == 201, good.content
    order = good.json()
    assert order["status_text"] == "Venter på godkjenning fra Per Testesen"
    detail = client.get(f"/api/v1/orders/{order['id']}").json()
    assert detail["actions"] == ["cancel", "comment"]
    assert [s["approver"] for s in detail["steps"]] == ["Per Testesen"]
    client.force_login(shop.manager.user)
    approvals = client.get("/api/v1/approvals").json()
    assert [a["order"]["number"] for a in approvals] == [order["number"]]
    decided = client.post(
        f"/api/v1/approvals/{approvals[0]['id']}",
        {"decision": "approve"},
        content_type="application/json",
    )
    assert decided.json()["status"] == "queued"
    again = client.post(
        f"/api/v1/approvals/{approvals[0]['id']}",
        {"decision": "approve"},
        content_type="application/json",
    )
    assert again.status_code == 409
    client.force_login(shop.employee.user)
    illegal = client.post(
        f"/api/v1/orders/{order['id']}/actions",
        {"action": "confirm"},
        content_type="application/json",
    )
    assert illegal.status_code == 409
    assert "Mottatt hos leverandøren" in illegal.json()["message"]


def test_list_endpoints_run_a_constant_number_of_queries(
    shop, actor, client: Client, django_assert_max_num_queries
) -> None:
    client.force_login(shop.coordinator.user)
    submit_screen(shop, actor)
    with django_assert_max_num_queries(40) as few:
        client.get("/api/v1/orders")
    for _ in range(8):
        submit_screen(shop, actor)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/api/v1/orders")
    with django_assert_max_num_queries(40) as page_few:
        client.get("/bestillinger/departementet/")
    for _ in range(4):
        submit_screen(shop, actor)
    with django_assert_max_num_queries(len(page_few.captured_queries)):
        client.get("/bestillinger/departementet/")


def test_page_and_api_name_the_same_actions() -> None:
    from typing import get_args

    from felles.orders.api import ActionIn
    from felles.orders.selectors import ORDER_ACTIONS
    from felles.orders.views import DONE

    assert set(get_args(ActionIn.model_fields["action"].annotation)) == set(ORDER_ACTIONS)
    assert set(DONE) == set(ORDER_ACTIONS)


def test_oversized_api_requests_get_json_errors(shop, client: Client) -> None:
    client.force_login(shop.employee.user)
    query = "&".join(f"offset={i}" for i in range(1200))
    response = client.get(f"/api/v1/units?{query}")
    assert response.status_code == 400
    assert "message" in response.json()


def test_api_submission_reads_no_more_as_the_ministry_grows(
    shop, actor, client: Client, django_assert_max_num_queries
) -> None:
    """The hot path of the performance target: a token-authenticated order with line-manager
    approval. Its queries are counted, and they do not grow with the ministry's size."""
    from felles.core.services import create_api_token
    from felles.organisations.tests.factories import make_person

    token = create_api_token(actor=actor, user=shop.employee.user, name="t", scope="read-write")
    svc = shop.services["ikt-pc"]
    body = {
        "service_id": str(svc.uuid),
        "answers": {"variant": "Standard", "mottaker": str(shop.employee.uuid)},
    }
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token.secret}"}

    def submit(most: int = 18) -> int:
        with django_assert_max_num_queries(most) as queries:
            response = client.post(
                "/api/v1/orders", body, content_type="application/json", **headers
            )
        assert response.status_code == 201, response.content
        assert response.json()["status_text"] == f"Venter på godkjenning fra {shop.manager}"
        return len(queries.captured_queries)

    # The first order of the year creates its counter, the service is loaded and the
    # token's last use stamped; from then on, 18 at most (3 of them put the approver's
    # e-mail in the outbox: their e-mail preferences, the send job and the mail).
    submit(most=40)
    steady = submit()
    for i in range(25):
        make_person(shop.kud, f"kollega{i}", manager=shop.manager)
    assert submit() == steady


def test_the_person_field_takes_an_active_colleague_in_the_ministry_only(shop, client) -> None:
    """The order form's person field looks the person up with a statement compiled once
    per ministry (core.prepared): another ministry's person, someone who has left, an
    unknown id and garbage are refused; a colleague is taken, again and again."""
    from felles.organisations.tests.factories import make_person

    client.force_login(shop.employee.user)
    svc = shop.services["ikt-pc"]
    leaver = make_person(shop.kud, "sluttet")
    leaver.active = False
    leaver.save()

    def order_for(value: str) -> Any:
        return client.post(
            "/api/v1/orders",
            {"service_id": str(svc.uuid), "answers": {"variant": "Standard", "mottaker": value}},
            content_type="application/json",
        )

    for refused in [shop.outsider.uuid, leaver.uuid, uuid.uuid4(), "ikke-en-id", "\u00e6" * 40]:
        response = order_for(str(refused))
        assert response.status_code == 422, refused
        assert set(response.json()["errors"]) == {"mottaker"}
    for colleague in [shop.employee, shop.manager, shop.employee]:
        response = order_for(str(colleague.uuid))
        assert response.status_code == 201, response.content
        order = Order.objects.get(uuid=response.json()["id"])
        assert order.answers["mottaker"]["value"]["id"] == str(colleague.uuid)
