"""Regression tests from the security review: ministry boundaries for approver groups and
provider staff, stale approvals, dead links, bad quantities, oversized attachments."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from felles.core.services import Conflict
from felles.orders import selectors, services
from felles.orders.models import ApprovalStep, Order
from felles.organisations import services as org_services
from felles.testing import answers

# Working-day deadlines and default periods depend on today.
pytestmark = pytest.mark.usefixtures("frozen_clock")


def fin_meeting(shop, actor) -> Order:
    svc = shop.services["srv-moterom"]
    return services.submit_order(
        actor=actor, orderer=shop.outsider, service=svc, answers=answers(svc)
    )


def test_approver_group_membership_does_not_open_other_ministries(
    shop, actor, client: Client
) -> None:
    shop.services["srv-moterom"].approver_group.add(shop.agent, shop.manager)
    order = fin_meeting(shop, actor)  # no group step: policy is "none"
    for person in (shop.agent, shop.manager):  # the agent serves KUD only
        assert not selectors.orders_for(person.user).filter(pk=order.pk).exists()
    client.force_login(shop.agent.user)
    assert (
        client.post(f"/bestillinger/{order.uuid}/handling/", {"action": "take"}).status_code == 404
    )
    order.refresh_from_db()
    assert order.status == "queued"


def test_provider_staff_act_only_for_ministries_they_serve(shop, actor) -> None:
    order = fin_meeting(shop, actor)
    assert not selectors.is_provider_staff(shop.agent.user, order)
    kud = services.submit_order(
        actor=actor,
        orderer=shop.employee,
        service=shop.services["srv-moterom"],
        answers=answers(shop.services["srv-moterom"]),
    )
    assert selectors.is_provider_staff(shop.agent.user, kud)


def test_decision_on_a_step_read_before_escalation_loses(shop, actor) -> None:
    svc = shop.services["ikt-ekstra-skjerm"]
    order = services.submit_order(
        actor=actor, orderer=shop.employee, service=svc, quantity=Decimal("1"), answers=answers(svc)
    )
    stale = order.steps.get()
    ApprovalStep.objects.filter(pk=stale.pk).update(approver=shop.head, escalated_from=shop.manager)
    with pytest.raises(Conflict):
        services.decide(
            actor=actor, step=stale, decider=shop.manager, on_behalf_of=shop.manager, approve=True
        )
    assert ApprovalStep.objects.get(pk=stale.pk).state == ApprovalStep.State.PENDING


def test_link_of_a_deactivated_approver_is_dead(shop, actor, client: Client) -> None:
    svc = shop.services["ikt-ekstra-skjerm"]
    order = services.submit_order(
        actor=actor, orderer=shop.employee, service=svc, quantity=Decimal("1"), answers=answers(svc)
    )
    token = services.approval_token(order.steps.get())
    org_services.save_person(
        actor=actor, organisation=shop.kud, values={"active": False}, person=shop.manager
    )
    response = client.post(f"/godkjenning/lenke/{token}/", {"decision": "approve"})
    assert response.status_code == 404
    order.refresh_from_db()
    assert order.status == "awaiting_approval"


def test_substitute_sees_only_waiting_steps(shop, actor) -> None:
    import datetime as dt

    from django.utils import timezone

    svc = shop.services["ikt-ekstra-skjerm"]
    decided = services.submit_order(
        actor=actor, orderer=shop.employee, service=svc, quantity=Decimal("1"), answers=answers(svc)
    )
    services.decide(
        actor=actor,
        step=decided.steps.get(),
        decider=shop.manager,
        on_behalf_of=shop.manager,
        approve=True,
    )
    today = timezone.localdate()
    org_services.register_absence(
        actor=actor,
        person=shop.manager,
        starts_on=today,
        ends_on=today + dt.timedelta(days=1),
        substitute=shop.security,
    )
    assert not selectors.orders_for(shop.security.user).filter(pk=decided.pk).exists()


@pytest.mark.parametrize("quantity", ["1e20", "NaN", "123456789012345.678", "-1", "abc"])
def test_bad_resolve_quantities_are_422_not_500(shop, actor, client: Client, quantity) -> None:
    svc = shop.services["ikt-ekstra-skjerm"]
    order = services.submit_order(
        actor=actor, orderer=shop.employee, service=svc, quantity=Decimal("1"), answers=answers(svc)
    )
    services.decide(
        actor=actor,
        step=order.steps.get(),
        decider=shop.manager,
        on_behalf_of=shop.manager,
        approve=True,
    )
    dio_agent = shop.agent  # a DIO service: make the agent serve DIO's customers
    org_services.assign_role(
        actor=actor, person=dio_agent, role="provider_agent", organisation=svc.provider
    )
    services.take(actor=actor, order=order, agent=dio_agent)
    client.force_login(dio_agent.user)
    response = client.post(
        f"/bestillinger/{order.uuid}/handling/",
        {"action": "resolve", "text": "ok", "quantity": quantity},
    )
    assert response.status_code == 303
    order.refresh_from_db()
    assert order.status == "in_progress"
    api = client.post(
        f"/api/v1/orders/{order.uuid}/actions",
        {"action": "resolve", "text": "ok", "quantity": quantity},
        content_type="application/json",
    )
    assert api.status_code == 422


def test_oversized_attachment_is_a_field_error(shop, client: Client, monkeypatch) -> None:
    from felles.orders import orderform

    monkeypatch.setattr(orderform, "MAX_ATTACHMENT_BYTES", 10)
    svc = shop.services["if-innsyn"]
    client.force_login(shop.employee.user)
    response = client.post(
        f"/bestill/{svc.uuid}/",
        {
            "priority": "normal",
            "enhet": "",
            "beskrivelse": "Innsyn i sak 26/123",
            "vedlegg": SimpleUploadedFile("stor.pdf", b"x" * 100),
        },
    )
    assert response.status_code == 422
    assert "Vedlegget er for stort" in response.content.decode()
    assert not Order.objects.exists()


def test_priority_cannot_change_on_a_closed_order(shop, actor) -> None:
    svc = shop.services["srv-moterom"]
    order = services.submit_order(
        actor=actor, orderer=shop.employee, service=svc, answers=answers(svc)
    )
    services.cancel(actor=actor, order=order, person=shop.employee)
    with pytest.raises(Conflict):
        services.change_priority(actor=actor, order=order, agent=shop.agent, priority="high")
