"""The checklist in the API: the orderer's side reads the steps, the provider's staff take,
assign, complete and skip tasks; two agents completing one task: one wins."""

from __future__ import annotations

from typing import Any

import pytest

from felles.tasks.models import OrderTask
from felles.tasks.tests.test_tasks import phone_at_provider, template
from felles.testing import client_for

pytestmark = pytest.mark.django_db


def _post(person: Any, order: Any, task: OrderTask, **body: Any) -> Any:
    return client_for(person).post(
        f"/api/v1/orders/{order.uuid}/tasks/{task.uuid}", body, content_type="application/json"
    )


def test_the_api_lists_and_works_the_checklist(shop: Any) -> None:
    template(shop)
    order = phone_at_provider(shop)
    first, second, third = OrderTask.objects.filter(order=order).order_by("position")
    kari = client_for(shop.employee).get(f"/api/v1/orders/{order.uuid}/tasks").json()
    assert kari["progress"] == "0 av 3 steg ferdig"
    assert kari["tasks"][0]["step"] == "Vi bestiller abonnement"
    assert {t["name"] for t in kari["tasks"]} == {""}  # internal names are the provider's
    assert kari["may_work"] is False
    assert _post(shop.employee, order, first, action="complete").status_code == 403
    done = _post(shop.agent, order, first, action="complete")
    assert done.status_code == 200, done.content
    assert done.json()["finished"] == 1
    assert _post(shop.agent, order, first, action="complete").status_code == 409  # one wins
    no_reason = _post(shop.agent, order, second, action="skip")
    assert no_reason.status_code == 422
    assert "hvorfor" in no_reason.json()["message"]
    skipped = _post(shop.agent, order, second, action="skip", reason="Har egen telefon")
    assert skipped.json()["tasks"][1]["note"] == "Har egen telefon"
    taken = _post(shop.agent, order, third, action="take").json()
    assert taken["tasks"][2]["assignee"] == shop.agent.full_name
    # FIN sees neither the order nor its tasks.
    assert client_for(shop.outsider).get(f"/api/v1/orders/{order.uuid}/tasks").status_code == 404
    assert _post(shop.outsider, order, third, action="complete").status_code == 404
