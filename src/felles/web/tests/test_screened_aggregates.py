"""Issue 18: where a restricted order appears in an aggregate — the start page's cards, the
dialogue meeting pack, the decision feed — it is a count (or its service), never a name,
an order number or the words of the case."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from felles.catalog.models import Confidentiality, Service
from felles.core.actor import Actor
from felles.governance import services as governance_services
from felles.orders import services
from felles.organisations.models import Role
from felles.organisations.tests.factories import make_person
from felles.sla.models import OrderSla
from felles.testing import client_for
from felles.testing.screened import (
    CASE_TEXT,
    REFERENCE,
    SURNAME,
    leaked,
    screened_order,
    screened_service,
)


def _taken(shop: Any, actor: Actor) -> Any:
    order = screened_order(shop, actor)
    for step in order.steps.order_by("position"):
        step.refresh_from_db()
        services.decide(
            actor=actor, step=step, decider=step.approver, on_behalf_of=step.approver, approve=True
        )
    order.refresh_from_db()
    return services.take(actor=actor, order=order, agent=shop.agent)


def test_the_start_page_counts_a_screened_breach_without_naming_it(shop, actor) -> None:
    screened_service(shop)
    order = _taken(shop, actor)
    OrderSla.objects.filter(order=order).update(
        state=OrderSla.State.BREACHED, resolution_due=timezone.now() - dt.timedelta(hours=1)
    )
    body = client_for(shop.governance).get("/").content.decode()
    assert 'id="rodt-og-gult"' in body
    assert "1 åpen sak med SLA-brudd" in body
    assert "Skjermet sak:" in body
    assert leaked(body, shop, order) == []
    for person in (shop.coordinator, shop.security, shop.auditor):
        assert leaked(client_for(person).get("/").content.decode(), shop, order) == [], person
    # The ministry's coordinator sees that the month has one, and nothing else of it.
    month = client_for(shop.coordinator).get("/").content.decode()
    assert "(og 1 skjermet sak)" in month
    assert "Juridisk bistand" not in month
    # Kari's leader lists her among his people, but nothing of her case.
    leader = client_for(shop.manager).get("/").content.decode()
    assert order.number not in leader and CASE_TEXT not in leader and REFERENCE not in leader


def test_the_meeting_pack_and_the_feed_show_counts_only(shop, actor) -> None:
    screened_service(shop)
    orders = [_taken(shop, actor), _taken(shop, actor)]
    lars = make_person(shop.dss, "lars", roles=[Role.CUSTOMER_CONTACT], serves=[shop.kud])
    series = governance_services.save_series(
        actor=Actor(user=lars.user),
        provider=shop.dss,
        ministry=shop.kud,
        level="operative",
        customer_contact=lars,
        starts_on=dt.date(2026, 1, 1),
    )
    today = timezone.localdate()
    period = {"fra": (today - dt.timedelta(days=30)).isoformat(), "til": today.isoformat()}
    for person in (lars, shop.coordinator, shop.governance):
        page = client_for(person).get(f"/dialog/{series.uuid}/pakke/", period)
        assert page.status_code == 200, person
        body = page.content.decode()
        assert "Juridisk bistand i personalsaker" in body  # the volume row: a count
        assert leaked(body, shop, *orders) == [], person
    feed = client_for(shop.governance).get("/styring/vedtak/atom/")
    assert feed.status_code == 200
    assert leaked(feed.content, shop, *orders) == []


def test_the_audit_log_shows_a_screened_orders_metadata_not_its_words(shop, actor) -> None:
    import io

    from openpyxl import load_workbook

    screened_service(shop)
    order = _taken(shop, actor)
    services.comment(actor=actor, order=order, text=CASE_TEXT, author=shop.agent)
    services.resolve(actor=actor, order=order, agent=shop.agent, resolution=CASE_TEXT)
    for person in (shop.auditor, shop.admin):
        client = client_for(person)
        page = client.get("/revisjon/", {"object_id": str(order.uuid)})
        assert page.status_code == 200
        body = page.content.decode()
        assert order.number in body  # that it exists, and what happened when
        assert CASE_TEXT not in body and SURNAME not in body and REFERENCE not in body
        assert "skjermet" in body
        export = client.get("/revisjon/", {"format": "xlsx"})
        cells = " ".join(
            str(c)
            for row in load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True)
            for c in row
        )
        assert order.number in cells
        assert CASE_TEXT not in cells and REFERENCE not in cells
    # An open order's words stay in the log, as before.
    Service.objects.filter(code="hr-juridisk").update(confidentiality=Confidentiality.OPEN)
    body = client_for(shop.auditor).get("/revisjon/", {"object_id": str(order.uuid)})
    assert CASE_TEXT in body.content.decode()


def test_the_audit_log_does_not_name_who_acted_on_a_screened_order(shop, actor) -> None:
    """The orderer's own steps (here: her comment) would name the person the case is about:
    the auditor's page and export mask who acted, and keep when and what kind of step."""
    import io

    from openpyxl import load_workbook

    screened_service(shop)
    order = _taken(shop, actor)
    kari = Actor(user=shop.employee.user)
    services.comment(actor=kari, order=order, text="Takk", author=shop.employee)
    client = client_for(shop.auditor)
    body = client.get("/revisjon/", {"object_id": str(order.uuid)}).content.decode()
    assert order.number in body
    assert shop.employee.full_name not in body and shop.employee.user.username not in body
    export = client.get("/revisjon/", {"format": "xlsx", "object_id": str(order.uuid)})
    cells = [
        str(c)
        for row in load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True)
        for c in row
    ]
    assert order.number in " ".join(cells)
    assert not any(shop.employee.user.username in c or shop.employee.full_name in c for c in cells)
    # On an open order the log names her, as before.
    Service.objects.filter(code="hr-juridisk").update(confidentiality=Confidentiality.OPEN)
    body = client.get("/revisjon/", {"object_id": str(order.uuid)}).content.decode()
    assert shop.employee.full_name in body


def test_the_audit_log_masks_a_screened_orders_tasks(shop, actor) -> None:
    """A task on a screened order names internal work and its skip reason: the auditor
    sees that a task step happened, not which task, by whom or why."""
    from felles.tasks import services as task_services
    from felles.tasks.models import OrderTask

    screened_service(shop)
    task_services.add_template(
        actor=actor,
        service=shop.services["hr-juridisk"],
        valid_from=timezone.localdate(),
        tasks=[task_services.TaskSpec(name_nb="Sjekk habilitet Skjermesen", step_nb="Vurdering")],
    )
    order = _taken(shop, actor)
    task = OrderTask.objects.get(order=order)
    task_services.skip(actor=actor, task=task, reason=CASE_TEXT, agent=shop.agent)
    # (The template's own event names its tasks: that is the service's, not the case's.)
    body = client_for(shop.auditor).get("/revisjon/", {"object_id": str(task.uuid)})
    body = body.content.decode()
    assert "Hoppet over en oppgave" in body
    assert "Sjekk habilitet" not in body and CASE_TEXT not in body
    assert shop.agent.full_name not in body.split("Hoppet over en oppgave")[0][-600:]
