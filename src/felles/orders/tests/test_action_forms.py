"""The order actions' forms refuse bad input with a field error, and htmx requests (the
approvals list, the provider queue, the list filters) get a partial, not a page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from felles.core.actor import Actor
from felles.orders import forms, services
from felles.orders.models import ApprovalStep, Order, OrderEvent

HTMX = {"HTTP_HX_REQUEST": "true"}


def phone_order(shop: Any) -> Order:
    """Kari's mobile phone (DSS), waiting for Per's approval."""
    return services.submit_order(
        actor=Actor.system("test"),
        orderer=shop.employee,
        service=shop.services["srv-mobil"],
        answers={"mottaker": {"label": "Mottaker", "value": None}},
    )


def queued(shop: Any) -> Order:
    order = phone_order(shop)
    services.decide(
        actor=Actor.system("test"),
        step=order.steps.get(),
        decider=shop.manager,
        on_behalf_of=shop.manager,
        approve=True,
    )
    order.refresh_from_db()
    return order


def in_progress(shop: Any) -> Order:
    order = queued(shop)
    return services.take(actor=Actor.system("test"), order=order, agent=shop.agent)


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


@pytest.mark.parametrize(
    ("form_class", "data", "field"),
    [
        (forms.CommentForm, {"text": "x" * 100_001}, "text"),
        (forms.ReopenForm, {"text": "x" * 5001}, "text"),
        (forms.ProvideInfoForm, {"text": "x" * 5001}, "text"),
        (forms.RequestInfoForm, {"text": "x" * 5001}, "text"),
        (forms.ResolveForm, {"text": "Levert", "quantity": "0"}, "quantity"),
        (forms.ResolveForm, {"text": "Levert", "quantity": "1.005"}, "quantity"),
        (forms.ResolveForm, {"text": "Levert", "quantity": "1e20"}, "quantity"),
        (forms.ResolveForm, {"text": "x" * 5001}, "text"),
        (forms.PriorityForm, {"priority": "urgent"}, "priority"),
        (forms.RateForm, {"score": "6"}, "score"),
        (forms.RateForm, {"score": "fem"}, "score"),
        (forms.RateForm, {"score": "5", "text": "x" * 5001}, "text"),
        (forms.AssignForm, {"assignee": "5b0c7f38-0000-4000-8000-000000000000"}, "assignee"),
        (forms.CommentForm, {"text": "Linje 1\u000cside 2"}, "text"),
    ],
)
def test_each_action_form_refuses_bad_input_on_its_field(
    shop, form_class: type[forms.ActionForm], data: dict[str, str], field: str
) -> None:
    form = form_class(data, order=in_progress(shop))
    assert not form.is_valid()
    assert list(form.errors) == [field]


def test_the_decision_form_refuses_an_unknown_decision_and_a_long_comment() -> None:
    form = forms.DecisionForm({"decision": "kanskje", "comment": "x" * 2001})
    assert not form.is_valid()
    assert set(form.errors) == {"decision", "comment"}
    assert forms.DecisionForm({"decision": "approve"}).is_valid()


def test_every_order_action_has_a_form() -> None:
    from felles.orders.selectors import ORDER_ACTIONS

    assert set(forms.FORM_FOR) == set(ORDER_ACTIONS)


def test_a_comment_over_the_limit_is_refused_on_the_page(shop, client: Client) -> None:
    order = phone_order(shop)
    client.force_login(shop.employee.user)
    response = client.post(
        f"/bestillinger/{order.uuid}/handling/", {"action": "comment", "text": "x" * 100_001}
    )
    assert response.status_code == 303
    assert any("høyst 4\u00a0000 tegn (du skrev 100\u00a0001)" in m for m in messages_of(response))
    assert not OrderEvent.objects.filter(order=order, kind=OrderEvent.Kind.COMMENT).exists()


def test_a_delivered_quantity_of_zero_is_refused_on_the_page(shop, client: Client) -> None:
    order = in_progress(shop)
    client.force_login(shop.agent.user)
    response = client.post(
        f"/bestillinger/{order.uuid}/handling/",
        {"action": "resolve", "text": "Levert", "quantity": "0"},
    )
    assert response.status_code == 303
    assert messages_of(response) == [forms.QUANTITY_MESSAGE]
    order.refresh_from_db()
    assert order.status == "in_progress"


def test_an_unknown_priority_is_refused_on_the_page(shop, client: Client) -> None:
    order = in_progress(shop)
    client.force_login(shop.agent.user)
    response = client.post(
        f"/bestillinger/{order.uuid}/handling/", {"action": "priority", "priority": "urgent"}
    )
    assert response.status_code == 303
    assert messages_of(response) == ["Velg en prioritet fra listen."]
    order.refresh_from_db()
    assert order.priority == "normal"


def test_a_user_the_service_refuses_still_gets_403(shop, client: Client) -> None:
    order = in_progress(shop)
    client.force_login(shop.employee.user)  # the orderer may not resolve
    response = client.post(
        f"/bestillinger/{order.uuid}/handling/", {"action": "resolve", "text": "Levert"}
    )
    assert response.status_code == 403


def test_the_order_page_renders_the_offered_actions_as_forms(shop, client: Client) -> None:
    order = in_progress(shop)
    client.force_login(shop.agent.user)
    body = client.get(f"/bestillinger/{order.uuid}/").content.decode()
    for action in ("assign", "resolve", "request_info", "priority", "comment", "note"):
        assert f'value="{action}"' in body
    # Over-long text is a clear error on the field, not silently cut short by `maxlength`.
    assert 'id="resolve-text"' in body and 'maxlength="5000"' not in body
    assert 'value="take"' not in body  # taken already


# --- htmx -----------------------------------------------------------------------------------


def test_approving_from_the_list_with_htmx_replaces_the_row(shop, client: Client) -> None:
    order = phone_order(shop)
    step = order.steps.get()
    client.force_login(shop.manager.user)
    page = client.get("/godkjenning/").content.decode()
    assert f'id="approval-{step.uuid}"' in page and "hx-post" in page
    response = client.post(f"/godkjenning/{step.uuid}/", {"decision": "approve"}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert f'id="approval-{step.uuid}"' in body and f"{order.number} er godkjent." in body
    order.refresh_from_db()
    assert order.status == "queued"


def test_a_refused_decision_with_htmx_shows_the_row_with_its_error(shop, client: Client) -> None:
    step = phone_order(shop).steps.get()
    client.force_login(shop.manager.user)
    response = client.post(
        f"/godkjenning/{step.uuid}/", {"decision": "reject", "comment": ""}, **HTMX
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert "Skriv en begrunnelse når du avviser." in body
    assert "Begrunnelse må fylles ut ved avvisning." in body  # on the comment field
    assert 'name="decision" value="reject"' in body  # the form again
    step.refresh_from_db()
    assert step.state == ApprovalStep.State.PENDING


def test_a_decided_step_with_htmx_says_so_in_the_row(shop, client: Client) -> None:
    order = queued(shop)
    client.force_login(shop.manager.user)
    response = client.post(
        f"/godkjenning/{order.steps.get().uuid}/", {"decision": "approve"}, **HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert f"{order.number} er allerede behandlet." in body  # it says which order


def test_taking_from_the_queue_with_htmx_returns_the_row(shop, client: Client) -> None:
    order = queued(shop)
    client.force_login(shop.agent.user)
    queue = client.get("/ko/").content.decode()
    assert f'id="q-{order.uuid}"' in queue and 'value="take"' in queue
    response = client.post(f"/bestillinger/{order.uuid}/handling/", {"action": "take"}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and body.lstrip().startswith("<tr")
    assert "Du har tatt saken." in body and shop.agent.full_name in body
    assert 'value="take"' not in body
    order.refresh_from_db()
    assert order.status == "in_progress" and order.assignee == shop.agent
    again = client.post(f"/bestillinger/{order.uuid}/handling/", {"action": "take"}, **HTMX)
    assert again.status_code == 200 and 'role="alert"' in again.content.decode()


def test_taking_without_javascript_still_redirects_to_the_order(shop, client: Client) -> None:
    order = queued(shop)
    client.force_login(shop.agent.user)
    response = client.post(f"/bestillinger/{order.uuid}/handling/", {"action": "take"})
    assert response.status_code == 302 and response.url == f"/bestillinger/{order.uuid}/"


@pytest.mark.parametrize(
    ("persona", "url", "marker"),
    [
        ("employee", "/bestillinger/?status=open", "bestillinger</p>"),
        ("coordinator", "/bestillinger/departementet/?q=mobil", "bestillinger</p>"),
        ("agent", "/ko/?sorter=prioritet", "Køen er tom."),
    ],
)
def test_list_filters_with_htmx_get_the_results_only(
    shop, client: Client, persona: str, url: str, marker: str
) -> None:
    client.force_login(getattr(shop, persona).user)
    page = client.get(url)
    assert "<html" in page.content.decode() and 'hx-push-url="true"' in page.content.decode()
    partial = client.get(url, **HTMX)
    body = partial.content.decode()
    assert partial.status_code == 200
    assert "<html" not in body and "<form" not in body and marker in body
    assert "HX-Request" in partial["Vary"]
    restore = client.get(url, HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX)
    assert "<html" in restore.content.decode()  # history needs the whole page
