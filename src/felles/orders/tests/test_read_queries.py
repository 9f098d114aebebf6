"""Order reads at a constant number of queries: the detail and the list cost the same
whatever the order's history and however many orders a page holds (no N+1), and a person's
access is worked out once per request — and anew for the next one."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from felles.core.actor import Actor
from felles.core.services import create_api_token
from felles.orders import services
from felles.orders.models import ApprovalStep, Order
from felles.organisations import services as org_services
from felles.organisations.models import Role
from felles.testing import answers, client_for

# Session: session, user, person, roles; token: token with user and person, roles. Then
# the order (with its SLA and rating), its steps, its timeline; provider staff also read
# the ministries their role serves.
DETAIL_QUERIES = 8
LIST_QUERIES = 8


def _submit(shop: Any, actor: Actor, code: str = "srv-mobil") -> Order:
    service = shop.services[code]
    return services.submit_order(
        actor=actor,
        orderer=shop.employee,
        service=service,
        quantity=Decimal("1"),
        answers=answers(service),
    )


def _approve_all(actor: Actor, order: Order) -> Order:
    for step in order.steps.filter(state=ApprovalStep.State.PENDING).order_by("position"):
        order = services.decide(
            actor=actor, step=step, decider=step.approver, on_behalf_of=step.approver, approve=True
        )
    return order


def _orders_in_every_state(shop: Any, actor: Actor, n: int) -> list[Order]:
    """`n` orders of the employee: waiting for approval, queued, in progress with notes
    and comments, resolved and closed with a rating, round robin."""
    made = []
    for k in range(n):
        order = _submit(shop, actor)
        if k % 4:
            order = _approve_all(actor, order)
        if k % 4 >= 2:
            order = services.take(actor=actor, order=order, agent=shop.agent)
            services.comment(
                actor=actor, order=order, text="Notat", internal=True, author=shop.agent
            )
            services.comment(actor=actor, order=order, text="Hei", author=shop.employee)
        if k % 4 == 3:
            order = services.resolve(actor=actor, order=order, agent=shop.agent, resolution="Ok")
            order = services.confirm(actor=actor, order=order, person=shop.employee)
            services.rate(actor=actor, order=order, score=5, comment_text="", person=shop.employee)
        made.append(order)
    return made


def _queries(client: Client, url: str, **headers: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200, response.content
    return len(captured)


@pytest.mark.parametrize("who", ["employee", "agent", "admin"])
def test_order_detail_costs_the_same_whatever_the_order(
    shop, actor, who, django_assert_max_num_queries
) -> None:
    orders = _orders_in_every_state(shop, actor, 4)
    client = client_for(getattr(shop, who))
    counts = set()
    for order in orders:
        url = f"/api/v1/orders/{order.uuid}"
        with django_assert_max_num_queries(DETAIL_QUERIES):
            response = client.get(url)
        assert response.status_code == 200
        assert response.json()["number"] == order.number
        counts.add(_queries(client, url))
    # Waiting, queued, in progress with a timeline, closed and rated: one cost.
    assert len(counts) == 1, counts


@pytest.mark.parametrize("who", ["employee", "agent", "admin"])
def test_order_list_costs_the_same_for_two_orders_and_for_twelve(
    shop, actor, who, django_assert_max_num_queries
) -> None:
    client = client_for(getattr(shop, who))
    _orders_in_every_state(shop, actor, 2)
    few = _queries(client, "/api/v1/orders")
    _orders_in_every_state(shop, actor, 10)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get("/api/v1/orders")
    assert response.json()["count"] == 12
    assert _queries(client, "/api/v1/orders") == few
    # A page of 5 out of 12 is serialised, not all 12.
    page = client.get("/api/v1/orders?limit=5&offset=5").json()
    assert page["count"] == 12 and len(page["items"]) == 5
    everything = [o["number"] for o in client.get("/api/v1/orders").json()["items"]]
    assert [o["number"] for o in page["items"]] == everything[5:10]


def test_waiting_order_in_the_list_names_its_approver(shop, actor) -> None:
    order = _submit(shop, actor)
    [item] = client_for(shop.employee).get("/api/v1/orders").json()["items"]
    pending = order.steps.get(state=ApprovalStep.State.PENDING)
    assert item["status_text"] == f"Venter på godkjenning fra {pending.approver.full_name}"


def test_token_reads_cost_the_same(shop, actor, django_assert_max_num_queries) -> None:
    orders = _orders_in_every_state(shop, actor, 4)
    secret = create_api_token(actor=actor, user=shop.employee.user, name="t", scope="read").secret
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    client = Client()
    client.get("/api/v1/orders", **headers)  # stamps the token's last use (a write, once a minute)
    for order in orders:
        with django_assert_max_num_queries(DETAIL_QUERIES - 2):
            client.get(f"/api/v1/orders/{order.uuid}", **headers)
    with django_assert_max_num_queries(LIST_QUERIES - 2):
        client.get("/api/v1/orders", **headers)


def test_access_is_read_once_per_request_and_anew_for_the_next(shop, actor) -> None:
    order = _approve_all(actor, _submit(shop, actor))
    outsider = client_for(shop.outsider)  # FIN: neither party nor provider staff
    url = f"/api/v1/orders/{order.uuid}"
    assert outsider.get(url).status_code == 404
    org_services.assign_role(
        actor=actor,
        person=shop.outsider,
        role=Role.PROVIDER_AGENT,
        organisation=shop.dss,
        served=[shop.kud],
    )
    with CaptureQueriesContext(connection) as captured:
        response = outsider.get(url)
    assert response.status_code == 200  # the new role counts at once
    role_reads = [q for q in captured if 'FROM "organisations_roleassignment" ' in q["sql"]]
    assert len(role_reads) == 1, [q["sql"] for q in role_reads]
    assert "take" in response.json()["actions"]
