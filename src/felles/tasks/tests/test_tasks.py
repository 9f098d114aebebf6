"""Task checklists: templates versioned from a date, tasks copied when an order reaches
the provider, required tasks block resolving, due dates on the business calendar."""

from __future__ import annotations

import datetime as dt
import re
import threading
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from felles.core.actor import Actor
from felles.core.models import AuditEvent
from felles.core.services import Conflict, Forbidden, ServiceError
from felles.orders import services as order_services
from felles.orders.models import Order
from felles.organisations.models import Role
from felles.organisations.tests.factories import make_person
from felles.tasks import forms, services, views
from felles.tasks.models import OrderTask, TaskTemplate
from felles.tasks.services import TaskSpec
from felles.testing import answers

OSLO = ZoneInfo("Europe/Oslo")
SYSTEM = Actor.system("test")
TASKS = [
    TaskSpec("Bestill SIM-kort", "Vi bestiller abonnement", team="Telefoni", offset_days=1),
    TaskSpec("Klargjør telefonen", "Telefonen gjøres klar", team="Klient", offset_days=3),
    TaskSpec("Ring brukeren", "Vi avtaler utlevering", required=False),
]


def phone_at_provider(shop: Any) -> Order:
    """Kari's mobile phone (DSS), approved by Per: at the provider."""
    order = order_services.submit_order(
        actor=SYSTEM,
        orderer=shop.employee,
        service=shop.services["srv-mobil"],
        answers={"mottaker": {"label": "Mottaker", "value": None}},
    )
    order_services.decide(
        actor=SYSTEM,
        step=order.steps.get(),
        decider=shop.manager,
        on_behalf_of=shop.manager,
        approve=True,
    )
    order.refresh_from_db()
    return order


def template(shop: Any, tasks=TASKS, day: dt.date | None = None) -> TaskTemplate:
    return services.add_template(
        actor=SYSTEM,
        service=shop.services["srv-mobil"],
        valid_from=day or timezone.localdate(),
        tasks=tasks,
    )


def user(person: Any) -> Actor:
    return Actor(user=person.user)


@pytest.mark.django_db
def test_an_order_gets_its_tasks_when_it_reaches_the_provider(shop) -> None:
    template(shop)
    order = order_services.submit_order(
        actor=SYSTEM,
        orderer=shop.employee,
        service=shop.services["srv-mobil"],
        answers={"mottaker": {"label": "Mottaker", "value": None}},
    )
    assert not OrderTask.objects.filter(order=order).exists()  # still waiting for Per
    order_services.decide(
        actor=SYSTEM,
        step=order.steps.get(),
        decider=shop.manager,
        on_behalf_of=shop.manager,
        approve=True,
    )
    names = list(OrderTask.objects.filter(order=order).values_list("name_nb", flat=True))
    assert names == ["Bestill SIM-kort", "Klargjør telefonen", "Ring brukeren"]


@pytest.mark.django_db
def test_a_template_change_does_not_alter_open_orders(shop) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 18, 9, 0, tzinfo=OSLO), tick=False):
        first = template(shop)
        order = phone_at_provider(shop)
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, 0, tzinfo=OSLO), tick=False):
        second = template(shop, [TaskSpec("Helt ny oppgave", "Nytt steg")])
        later = phone_at_provider(shop)
    first.refresh_from_db()
    assert first.valid_to == dt.date(2026, 11, 19)
    assert second.valid_to is None
    assert OrderTask.objects.filter(order=order).count() == 3
    assert set(OrderTask.objects.filter(order=order).values_list("template", flat=True)) == {
        first.pk
    }
    assert list(OrderTask.objects.filter(order=later).values_list("name_nb", flat=True)) == [
        "Helt ny oppgave"
    ]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"tasks.template.create", "tasks.template.close"} <= actions


@pytest.mark.django_db
def test_required_tasks_block_resolving(shop) -> None:
    template(shop)
    order = phone_at_provider(shop)
    agent = user(shop.agent)
    order = order_services.take(actor=agent, order=order)
    with pytest.raises(Conflict) as refused:
        order_services.resolve(actor=agent, order=order, resolution="Levert")
    assert "Bestill SIM-kort, Klargjør telefonen" in refused.value.message
    assert "Ring brukeren" not in refused.value.message  # optional
    first, second, _third = OrderTask.objects.filter(order=order).order_by("position")
    services.complete(actor=agent, task=first)
    services.skip(actor=agent, task=second, reason="Kunden har egen telefon")
    order = order_services.resolve(actor=agent, order=order, resolution="Levert")
    assert order.status == "resolved"


@pytest.mark.django_db
def test_an_order_without_tasks_resolves_as_before(shop) -> None:
    order = order_services.take(actor=user(shop.agent), order=phone_at_provider(shop))
    order = order_services.resolve(actor=user(shop.agent), order=order, resolution="Levert")
    assert order.status == "resolved"


@pytest.mark.django_db
def test_agents_take_assign_complete_and_skip(shop) -> None:
    template(shop)
    order = phone_at_provider(shop)
    colleague = make_person(shop.dss, "siv", roles=[Role.PROVIDER_AGENT], serves=[shop.kud])
    first, second, third = OrderTask.objects.filter(order=order).order_by("position")
    agent = user(shop.agent)
    assert services.take(actor=agent, task=first).assignee == shop.agent
    assert services.assign(actor=agent, task=second, assignee=colleague).assignee == colleague
    with pytest.raises(ServiceError):
        services.assign(actor=agent, task=second, assignee=shop.employee)
    with pytest.raises(ServiceError) as refused:
        services.skip(actor=agent, task=third, reason="  ")
    assert refused.value.field_errors["reason"]
    with pytest.raises(ServiceError):
        services.skip(actor=agent, task=third, reason="a\x00b")
    third.refresh_from_db()
    assert third.status == "open"
    done = services.complete(actor=agent, task=first)
    assert (done.status, done.finished_by) == ("done", shop.agent)
    with pytest.raises(Conflict):
        services.skip(actor=agent, task=first, reason="For sent")
    # The orderer's side may not work on the tasks.
    with pytest.raises(Forbidden):
        services.complete(actor=user(shop.employee), task=second)
    assert AuditEvent.objects.filter(action__startswith="tasks.task.").count() == 3


@pytest.mark.django_db
def test_bad_templates_save_nothing(shop) -> None:
    manager = make_person(shop.dss, "dsleder", roles=[Role.PROVIDER_MANAGER])
    service = shop.services["srv-mobil"]
    bad = [
        TaskSpec("", "Steg"),
        TaskSpec("Navn", ""),
        TaskSpec("Navn\x0b", "Steg"),
        TaskSpec("x" * 201, "Steg"),
        TaskSpec("Navn", "Steg", offset_days=999),
    ]
    with pytest.raises(ServiceError) as refused:
        services.add_template(
            actor=user(manager), service=service, valid_from=timezone.localdate(), tasks=bad
        )
    assert len(refused.value.field_errors["tasks"]) == 5
    assert "Oppgave 1: skriv navnet på oppgaven." in refused.value.field_errors["tasks"]
    for day in (timezone.localdate() - dt.timedelta(days=1), dt.date(9999, 1, 1)):
        with pytest.raises(ServiceError):
            services.add_template(actor=user(manager), service=service, valid_from=day, tasks=TASKS)
    with pytest.raises(ServiceError):
        services.add_template(
            actor=user(manager), service=service, valid_from=timezone.localdate(), tasks=[]
        )
    with pytest.raises(Forbidden):
        services.add_template(
            actor=user(shop.agent), service=service, valid_from=timezone.localdate(), tasks=TASKS
        )
    assert not TaskTemplate.objects.exists()
    services.add_template(
        actor=user(manager), service=service, valid_from=timezone.localdate(), tasks=TASKS
    )
    with pytest.raises(Conflict):  # the same day again
        services.add_template(
            actor=user(manager), service=service, valid_from=timezone.localdate(), tasks=TASKS
        )


def test_the_form_reads_one_task_per_line() -> None:
    specs, errors = forms.parse_lines(
        "Bestill SIM | Vi bestiller | Telefoni | påkrevd | 2 | Order SIM | We order\n"
        "\n"
        "Ring | Vi ringer | | valgfri\n"
    )
    assert errors == []
    assert specs[0] == TaskSpec(
        "Bestill SIM", "Vi bestiller", "Order SIM", "We order", "Telefoni", True, 2
    )
    assert (specs[1].required, specs[1].offset_days) == (False, None)
    _specs, errors = forms.parse_lines(
        "A | B | C | kanskje\nA | B | C | ja | -1\nA | B | C | påkrevd | ²\n"
    )
    assert errors == [
        "Linje 1: skriv «påkrevd» eller «valgfri».",
        "Linje 2: fristen er et helt antall virkedager (0 eller mer).",
        "Linje 3: fristen er et helt antall virkedager (0 eller mer).",  # not int("²"): 500
    ]
    assert forms.parse_lines(forms.as_lines([_Row()]))[0][0].offset_days == 4


class _Row:
    name_nb, step_nb, team, required, offset_days, name_en, step_en = (
        "A",
        "B",
        "",
        True,
        4,
        "",
        "",
    )


def test_due_dates_across_easter_2027_computed_by_hand() -> None:
    # Easter Sunday 2027 is 28 March: Maundy Thursday 25, Good Friday 26 and Easter Monday
    # 29 March are public holidays in Norway.
    wednesday = dt.date(2027, 3, 24)
    assert services.due_date(wednesday, None) is None
    assert services.due_date(wednesday, 0) == dt.date(2027, 3, 24)
    assert services.due_date(wednesday, 1) == dt.date(2027, 3, 30)  # Tuesday after Easter
    assert services.due_date(wednesday, 3) == dt.date(2027, 4, 1)
    assert services.due_date(dt.date(2027, 3, 26), 0) == dt.date(2027, 3, 30)  # Good Friday
    assert services.due_date(dt.date(2027, 3, 19), 5) == dt.date(2027, 3, 31)


@pytest.mark.django_db
def test_an_order_reaching_the_provider_before_easter_2027(shop) -> None:
    with time_machine.travel(dt.datetime(2027, 3, 24, 10, 0, tzinfo=OSLO), tick=False):
        template(shop)
        order = phone_at_provider(shop)
    dues = list(OrderTask.objects.filter(order=order).values_list("due_on", flat=True))
    assert dues == [dt.date(2027, 3, 30), dt.date(2027, 4, 1), None]


@pytest.mark.django_db(transaction=True)
def test_two_agents_completing_the_same_task_one_wins(shop) -> None:
    template(shop)
    order = phone_at_provider(shop)
    colleague = make_person(shop.dss, "siv", roles=[Role.PROVIDER_AGENT], serves=[shop.kud])
    task_id = OrderTask.objects.filter(order=order).order_by("position").first().pk
    barrier = threading.Barrier(2)
    results: list[str] = []

    def complete(person: Any) -> None:
        try:
            task = OrderTask.objects.select_related("order__service").get(pk=task_id)
            barrier.wait(timeout=10)
            services.complete(actor=user(person), task=task)
            results.append("won")
        except Conflict:
            results.append("conflict")
        except Exception as exc:  # no database errors
            results.append(f"error: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=complete, args=(p,)) for p in (shop.agent, colleague)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["conflict", "won"]
    assert AuditEvent.objects.filter(action="tasks.task.complete").count() == 1


@pytest.mark.django_db
def test_the_order_page_shows_progress_and_steps_to_the_orderer(shop) -> None:
    template(shop)
    order = phone_at_provider(shop)
    first, second, _third = OrderTask.objects.filter(order=order).order_by("position")
    services.complete(actor=user(shop.agent), task=first)
    services.skip(actor=user(shop.agent), task=second, reason="Hemmelig internt notat")
    orderer = views.order_section(user=shop.employee.user, order=order)
    assert "2 av 3 steg ferdig" in orderer
    assert "Vi bestiller abonnement" in orderer
    assert "Hemmelig internt notat" not in orderer
    assert "Bestill SIM-kort" not in orderer  # the internal task name
    staff = views.order_section(user=shop.agent.user, order=order)
    assert "Bestill SIM-kort" in staff and "Hemmelig internt notat" in staff
    assert views.order_section(user=shop.outsider.user, order=order) == ""
    client = Client()
    client.force_login(shop.employee.user)
    page = client.get(f"/bestillinger/{order.uuid}/").content.decode()
    assert "2 av 3 steg ferdig" in page


@pytest.mark.django_db
def test_agents_work_from_the_order_page_with_htmx(shop) -> None:
    template(shop)
    order = phone_at_provider(shop)
    first = OrderTask.objects.filter(order=order).order_by("position").first()
    client = Client()
    client.force_login(shop.agent.user)
    url = f"/bestillinger/{order.uuid}/oppgaver/{first.uuid}/"
    page = client.get(f"/bestillinger/{order.uuid}/").content.decode()
    assert url in page
    answer = client.post(url, {"action": "complete"}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    assert "1 av 3 steg ferdig" in answer.content.decode()
    again = client.post(url, {"action": "skip", "reason": "x"}, HTTP_HX_REQUEST="true")
    assert "Oppgaven er allerede ferdig" in again.content.decode()
    second = OrderTask.objects.filter(order=order).order_by("position")[1]
    url2 = f"/bestillinger/{order.uuid}/oppgaver/{second.uuid}/"
    empty = client.post(url2, {"action": "skip", "reason": ""}, HTTP_HX_REQUEST="true")
    assert "Skriv hvorfor oppgaven hoppes over." in empty.content.decode()


@pytest.mark.django_db
def test_managers_edit_the_template_on_a_page(shop) -> None:
    manager = make_person(shop.dss, "dsleder", roles=[Role.PROVIDER_MANAGER])
    service = shop.services["srv-mobil"]
    client = Client()
    client.force_login(manager.user)
    url = f"/tjenester/{service.uuid}/oppgavemal/"
    assert client.get(url).status_code == 200
    today = timezone.localdate().isoformat()
    refused = client.post(url, {"valid_from": today, "tasks": "Navn | | Team"})
    assert refused.status_code == 200
    assert "Oppgave 1: skriv steget slik kunden ser det." in refused.content.decode()
    assert not TaskTemplate.objects.exists()
    saved = client.post(url, {"valid_from": today, "tasks": "Navn | Steg | Team | påkrevd | 2"})
    assert saved.status_code == 302
    assert TaskTemplate.objects.get().tasks.get().offset_days == 2
    # Another provider's manager: not her service.
    dio = make_person(
        shop.kud.__class__.objects.get(abbreviation="DIO"), "diol", roles=[Role.PROVIDER_MANAGER]
    )
    client.force_login(dio.user)
    assert client.get(url).status_code == 404


def _queue_queries(client: Client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/ko/")
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.django_db
def test_the_queue_shows_task_progress_at_a_constant_query_count(shop) -> None:
    with time_machine.travel(dt.datetime(2027, 3, 24, 10, 0, tzinfo=OSLO), tick=True):
        template(shop)
        orders = [phone_at_provider(shop) for _ in range(2)]
        client = Client()
        client.force_login(shop.agent.user)
        few, page = _queue_queries(client)
        assert "0 av 3 steg ferdig, neste frist 30.03.2027" in page
        orders += [phone_at_provider(shop) for _ in range(4)]
        task = OrderTask.objects.filter(order=orders[0]).order_by("position").first()
        services.complete(actor=user(shop.agent), task=task)
        many, page = _queue_queries(client)
    assert "1 av 3 steg ferdig, neste frist 01.04.2027" in page
    assert few == many


@pytest.mark.django_db
def test_a_restricted_orders_tasks_are_seen_only_by_its_readers(shop) -> None:
    service = shop.services["hr-juridisk"]
    services.add_template(
        actor=SYSTEM, service=service, valid_from=timezone.localdate(), tasks=TASKS
    )
    order = order_services.submit_order(
        actor=SYSTEM,
        orderer=shop.employee,
        service=service,
        quantity=Decimal("1"),
        answers=answers(service, beskrivelse="Varsling"),
    )
    Order.objects.filter(pk=order.pk).update(status="queued")
    services.create_order_tasks(order)
    assert OrderTask.objects.filter(order=order).count() == 3
    # The administrator sees the order as metadata only: none of its tasks.
    assert not OrderTask.objects.visible_to(shop.admin.user).filter(order=order).exists()
    assert views.order_section(user=shop.admin.user, order=order) == ""
    # The DSS agent is not in the service's handling team.
    assert not OrderTask.objects.visible_to(shop.agent.user).filter(order=order).exists()
    assert OrderTask.objects.visible_to(shop.employee.user).filter(order=order).count() == 3


@pytest.mark.django_db
def test_the_demo_templates_load_once(shop) -> None:
    from felles.tasks import demo

    assert demo.load(actor=SYSTEM, valid_from=dt.date(2026, 1, 1)) == 4
    assert demo.load(actor=SYSTEM, valid_from=dt.date(2026, 1, 1)) == 0
    order = phone_at_provider(shop)
    assert OrderTask.objects.filter(order=order).count() == 3
    with pytest.raises(Forbidden):
        services.seed_templates(
            actor=user(shop.agent), templates=demo.TEMPLATES, valid_from=dt.date(2026, 1, 1)
        )


@pytest.mark.django_db
def test_the_task_forms_work_without_javascript(shop) -> None:
    template(shop)
    order = phone_at_provider(shop)
    first = OrderTask.objects.filter(order=order).order_by("position").first()
    client = Client(enforce_csrf_checks=True)
    client.force_login(shop.agent.user)
    page = client.get(f"/bestillinger/{order.uuid}/").content.decode()
    section = page[page.index('id="order-tasks"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', section).group(1)
    url = f"/bestillinger/{order.uuid}/oppgaver/{first.uuid}/"
    answer = client.post(url, {"action": "complete", "csrfmiddlewaretoken": token})
    assert answer.status_code == 302
    first.refresh_from_db()
    assert first.status == "done"


@pytest.mark.django_db
def test_the_orderer_reads_progress_in_english(shop) -> None:
    from django.utils import translation

    from felles.tasks import demo

    demo.load(actor=SYSTEM, valid_from=dt.date(2026, 1, 1))
    order = phone_at_provider(shop)
    with translation.override("en"):
        text = views.order_section(user=shop.employee.user, order=order)
        queue = selectors_progress(shop, order)
    assert "0 of 3 steps done" in text
    assert "The subscription is ordered" in text and "Abonnementet bestilles" not in text
    assert queue.startswith("0 of 3 steps done, next deadline ")


def selectors_progress(shop: Any, order: Order) -> str:
    from felles.tasks import selectors

    return selectors.queue_progress(user=shop.agent.user, orders=[order])[order.pk]
