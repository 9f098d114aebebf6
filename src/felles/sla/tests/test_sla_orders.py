"""SLA state follows real orders: refreshed with every event, scanned set-based,
recomputable from history without change."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from felles.core.actor import Actor
from felles.orders import services
from felles.orders.models import Notification, Order, OrderEvent
from felles.organisations.models import Role
from felles.organisations.tests.factories import make_person
from felles.sla import services as sla_services
from felles.sla.models import OrderSla
from felles.testing import answers

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


def meeting(shop, actor) -> Order:
    svc = shop.services["srv-moterom"]  # no approval: queued at once
    return services.submit_order(
        actor=actor, orderer=shop.employee, service=svc, answers=answers(svc)
    )


def backdate(order: Order, when: dt.datetime) -> None:
    """Move an order's whole history back in time, as if it had been placed `when`."""
    shift = when - order.submitted_at
    for event in order.events.all():
        OrderEvent.objects.filter(pk=event.pk).update(created_at=event.created_at + shift)
    Order.objects.filter(pk=order.pk).update(submitted_at=when)
    order.refresh_from_db()
    sla_services.refresh(order, now=when + dt.timedelta(hours=1))


def test_every_event_refreshes_the_clock(shop, actor) -> None:
    order = meeting(shop, actor)
    sla = OrderSla.objects.get(order=order)
    assert sla.started_at is not None and sla.resolution_due is not None
    services.take(actor=actor, order=order, agent=shop.agent)
    services.request_info(actor=actor, order=order, agent=shop.agent, question="Hvilken dag?")
    sla.refresh_from_db()
    assert sla.state == "paused" and sla.responded_at is not None
    services.provide_info(actor=actor, order=order, author=shop.employee, answer="Fredag")
    sla.refresh_from_db()
    assert sla.state in {"ok", "warning", "breached"}


def test_approval_time_is_measured_for_the_customer(shop, actor) -> None:
    svc = shop.services["ikt-ekstra-skjerm"]
    order = services.submit_order(
        actor=actor, orderer=shop.employee, service=svc, quantity=Decimal("1"), answers=answers(svc)
    )
    # No provider clock while the ministry approves: the SLA row appears on arrival.
    assert not OrderSla.objects.filter(order=order).exists()
    services.decide(
        actor=actor,
        step=order.steps.get(),
        decider=shop.manager,
        on_behalf_of=shop.manager,
        approve=True,
    )
    sla = OrderSla.objects.get(order=order)
    assert sla.started_at is not None and sla.approval_minutes >= 0
    assert sla.state in {"ok", "warning", "breached"}


def test_scan_flags_warnings_and_breaches_once_and_notifies(shop, actor) -> None:
    marte = make_person(shop.dss, "marte", roles=[Role.PROVIDER_MANAGER])
    order = meeting(shop, actor)
    services.take(actor=actor, order=order, agent=shop.agent)
    backdate(order, dt.datetime(2026, 11, 2, 9, 0, tzinfo=OSLO))  # a Monday
    sla = OrderSla.objects.get(order=order)
    warn_at, due = sla.resolution_warn_at, sla.resolution_due

    def scan(now: dt.datetime) -> dict[str, int]:
        return sla_services.scan(actor=Actor.system("t"), now=now)

    assert scan(now=warn_at - dt.timedelta(minutes=1))["warned"] == 0
    assert scan(now=warn_at)["warned"] == 1
    assert scan(now=warn_at)["warned"] == 0  # idempotent
    assert (
        Notification.objects.filter(person=marte, text__startswith="Snart SLA-brudd").count() == 1
    )
    assert Notification.objects.filter(person=shop.agent, text__startswith="Snart").count() == 1
    counts = scan(now=due)
    assert counts["breached"] == 1
    assert scan(now=due + dt.timedelta(days=1))["breached"] == 0
    sla.refresh_from_db()
    assert sla.state == "breached" and sla.breached_at == due
    assert Notification.objects.filter(person=marte, text__startswith="SLA-brudd").count() == 1


def test_recompute_from_history_changes_nothing(shop, actor) -> None:
    first = meeting(shop, actor)
    services.take(actor=actor, order=first, agent=shop.agent)
    services.request_info(actor=actor, order=first, agent=shop.agent, question="?")
    second = meeting(shop, actor)
    services.change_priority(actor=actor, order=second, agent=shop.agent, priority="high")
    third = meeting(shop, actor)
    services.take(actor=actor, order=third, agent=shop.agent)
    services.resolve(actor=actor, order=third, agent=shop.agent, resolution="ok")
    assert sla_services.recompute_all() == []
    call_command("sla", "recompute")


def test_recompute_detects_and_repairs_drift(shop, actor) -> None:
    order = meeting(shop, actor)
    OrderSla.objects.filter(order=order).update(resolution_due=None)
    with pytest.raises(Exception, match="avviker"):
        call_command("sla", "recompute")
    call_command("sla", "recompute", write=True)
    assert sla_services.recompute_all() == []


def test_priority_change_is_audited_and_keeps_pauses(shop, actor) -> None:
    order = meeting(shop, actor)
    before = OrderSla.objects.get(order=order).resolution_due
    services.change_priority(actor=actor, order=order, agent=shop.agent, priority="critical")
    sla = OrderSla.objects.get(order=order)
    assert sla.priority == "critical" and sla.resolution_due < before
    from felles.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="orders.order.priority").exists()


def test_queue_sorts_by_time_left_and_shows_state(shop, actor, client: Client) -> None:
    paused = meeting(shop, actor)  # critical, but waiting for the customer: no deadline
    services.change_priority(actor=actor, order=paused, agent=shop.agent, priority="critical")
    services.take(actor=actor, order=paused, agent=shop.agent)
    services.request_info(actor=actor, order=paused, agent=shop.agent, question="?")
    running = meeting(shop, actor)
    client.force_login(shop.agent.user)
    body = client.get("/ko/").content.decode()  # default: least time left first
    assert body.index(running.number) < body.index(paused.number)
    assert "Pauset" in body
    body = client.get("/ko/", {"sorter": "prioritet"}).content.decode()
    assert body.index(paused.number) < body.index(running.number)


def test_report_counts_met_and_breached_per_group_and_scopes_by_role(
    shop, actor, client: Client
) -> None:
    import io

    from openpyxl import load_workbook

    quick = meeting(shop, actor)
    services.take(actor=actor, order=quick, agent=shop.agent)
    services.resolve(actor=actor, order=quick, agent=shop.agent, resolution="ok")
    slow = meeting(shop, actor)
    services.take(actor=actor, order=slow, agent=shop.agent)
    backdate(slow, dt.datetime(2026, 10, 1, 9, 0, tzinfo=OSLO))
    services.resolve(actor=actor, order=slow, agent=shop.agent, resolution="sent")
    client.force_login(shop.governance.user)
    response = client.get("/sla/", {"gruppe": "ministry"})
    rows = response.context["rows"]
    assert [(r.group, r.finished, r.met, r.breached) for r in rows] == [("KUD", 2, 1, 1)]
    assert rows[0].compliance == 50.0
    # The chart (drawn by charts.js) carries the same figures as the table.
    assert 'data-chart="sla-etterlevelse"' in response.content.decode()
    assert response.context["chart"]["data"][0]["x"] == [50.0]
    workbook = load_workbook(
        io.BytesIO(client.get("/sla/", {"gruppe": "service", "format": "xlsx"}).content)
    )
    sheet = list(workbook.active.iter_rows(values_only=True))
    assert sheet[0][0] == "Gruppe" and sheet[1][0] == "Møterom og konferanse"
    fin_coordinator = make_person(shop.fin, "fincoord", roles=[Role.ORDERING_COORDINATOR])
    client.force_login(fin_coordinator.user)
    assert client.get("/sla/").context["rows"] == []


def test_provider_office_hours_move_open_deadlines_and_are_audited(shop, actor) -> None:
    from felles.core.models import AuditEvent

    order = meeting(shop, actor)
    before = OrderSla.objects.get(order=order).resolution_due
    call_command(
        "sla", "hours", "DSS", start="07:00", end="19:00", summer_end="18:00", half_day_end="12:00"
    )
    after = OrderSla.objects.get(order=order).resolution_due
    assert after < before  # longer days: the same business time ends sooner
    assert AuditEvent.objects.filter(action="sla.office_hours.set").count() == 1
    # The same hours again change nothing and record nothing (core.audit.save_audited).
    call_command(
        "sla", "hours", "DSS", start="07:00", end="19:00", summer_end="18:00", half_day_end="12:00"
    )
    assert AuditEvent.objects.filter(action="sla.office_hours.set").count() == 1
    with pytest.raises(Exception, match="henger ikke sammen"):
        call_command("sla", "hours", "DSS", start="16:00", end="15:00")
    with pytest.raises(Exception, match="TT:MM"):
        call_command("sla", "hours", "DSS", start="åtte")


def test_order_api_shows_the_sla(shop, actor, client: Client) -> None:
    order = meeting(shop, actor)
    client.force_login(shop.employee.user)
    sla = client.get(f"/api/v1/orders/{order.uuid}").json()["sla"]
    assert sla["state"] == "ok" and sla["resolution_due"] is not None


def test_demo_history_fills_the_report(shop, actor, client: Client) -> None:
    from felles.orders import demo

    demo.load_history(actor=actor, count=12)
    assert sla_services.recompute_all() == []
    client.force_login(shop.governance.user)
    rows = client.get("/sla/").context["rows"]
    assert sum(r.finished for r in rows) == 12
    chart = client.get("/sla/").context["chart"]  # JSON numbers, never localised text
    assert all(isinstance(x, int | float) for x in chart["data"][0]["x"])
    assert chart["layout"]["height"] >= 240


def test_report_respects_the_ministries_a_customer_contact_serves(
    shop, actor, client: Client
) -> None:
    contact = make_person(shop.dss, "lars", roles=[Role.CUSTOMER_CONTACT], serves=[shop.kud])
    for orderer in (shop.employee, shop.outsider):
        svc = shop.services["srv-moterom"]
        order = services.submit_order(
            actor=actor, orderer=orderer, service=svc, answers=answers(svc)
        )
        services.take(actor=actor, order=order, agent=shop.agent)
        services.resolve(actor=actor, order=order, agent=shop.agent, resolution="ok")
    client.force_login(contact.user)
    rows = client.get("/sla/", {"gruppe": "ministry"}).context["rows"]
    assert [r.group for r in rows] == ["KUD"]
