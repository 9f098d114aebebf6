"""Provider staff limited to named ministries see and act on those ministries only, in
every app (the per-route statuses are in the access matrix; these tests look inside the
answers: lists, meeting packs, transfer rows, form choices, and the services themselves)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.urls import URLPattern, reverse

from felles.core.actor import Actor
from felles.core.services import Forbidden
from felles.governance import selectors as governance_selectors
from felles.governance import services as governance_services
from felles.testing import client_for
from felles.testing.matrix import governance_case, karis_phone_order, kud_invoice, kud_series
from tests.test_access_matrix import api_operations, web_patterns


@pytest.fixture
def limited(personas) -> Any:
    """Lars: DSS customer contact for FIN only; Sissel: DSS manager for FIN only."""
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    personas.lars = make_person(
        personas.dss, "lars.fin", roles=[Role.CUSTOMER_CONTACT], serves=[personas.fin]
    )
    personas.sissel = make_person(
        personas.dss, "sissel.fin", roles=[Role.PROVIDER_MANAGER], serves=[personas.fin]
    )
    return personas


def test_scoped_lists_hold_nothing_of_kud(limited) -> None:
    """Every list page and list operation, read by the two FIN-limited DSS people, holds
    none of KUD's orders, invoices, cases, dialogues or people — while the FIN dialogue
    shows, so the lists are not simply empty."""
    order = karis_phone_order(limited)
    invoice = kud_invoice(limited)
    case = governance_case(limited)
    series = kud_series(limited)
    fin_series = governance_services.save_series(
        actor=Actor.system("t"), provider=limited.dss, ministry=limited.fin, level="tactical"
    )
    markers = {
        order.number,
        invoice.number,
        case.number,
        str(series.uuid),
        str(limited.employee.uuid),
        limited.employee.email,
    }
    pages = [
        reverse(name)
        for name, pattern in web_patterns().items()
        if isinstance(pattern, URLPattern) and not pattern.pattern.converters
    ]
    operations = [
        "/api/v1" + key.split(" ", 1)[1]
        for key in api_operations()
        if key.startswith("GET ") and "{" not in key
    ]
    for person in (limited.lars, limited.sissel):
        client = client_for(person)
        read = 0
        for url in pages + operations:
            response = client.get(url)
            if response.status_code != 200 or not hasattr(response, "content"):
                continue
            read += 1
            body = response.content.decode(errors="replace")
            leaked = [m for m in markers if m in body]
            assert leaked == [], (person.user.username, url, leaked)
        assert read > 40
    dialogue = json.loads(client_for(limited.lars).get("/api/v1/governance/dialogue").content)
    assert [str(fin_series.uuid)] == [row["id"] for row in dialogue]


def test_scoped_contact_cannot_set_up_or_write_another_ministrys_dialogue(limited) -> None:
    series = kud_series(limited)
    actor = Actor(user=limited.lars.user)
    with pytest.raises(Forbidden):
        governance_services.save_series(
            actor=actor, provider=limited.dss, ministry=limited.kud, level="tactical"
        )
    with pytest.raises(Forbidden):
        governance_services.record_meeting(
            actor=actor, series=series, held_on=dt.date(2026, 1, 5), minutes="Referat"
        )
    # The dialogue form offers only the ministries Lars serves.
    page = client_for(limited.lars).get(reverse("dialogue")).content.decode()
    form = page.split('name="ministry"', 1)[1].split("</select>", 1)[0]
    assert f'value="{limited.fin.pk}"' in form and f'value="{limited.kud.pk}"' not in form
    # A FIN dialogue is his to set up.
    governance_services.save_series(
        actor=actor, provider=limited.dss, ministry=limited.fin, level="tactical"
    )


def test_scoped_staff_neither_read_nor_escalate_another_ministrys_case(limited) -> None:
    case = governance_case(limited)
    for person in (limited.lars, limited.sissel):
        assert not governance_selectors.cases_for(person.user).filter(pk=case.pk).exists()
        assert not governance_selectors.may_escalate(person.user, case)
        assert not governance_selectors.may_decide(person.user, case)
        with pytest.raises(Forbidden):
            governance_services.escalate_case(
                actor=Actor(user=person.user), case=case, reason="Uenige"
            )
    assert governance_selectors.may_escalate(limited.agent.user, case)  # Ole serves KUD


def test_scoped_manager_neither_sees_nor_acts_on_runs_or_foreign_invoices(limited) -> None:
    from felles.invoicing import selectors as invoicing_selectors
    from felles.invoicing import services as invoicing_services

    invoice = kud_invoice(limited)
    user = limited.sissel.user
    assert not invoicing_selectors.invoices_for(user).filter(pk=invoice.pk).exists()
    assert not invoicing_selectors.runs_for(user).exists()
    assert invoicing_selectors.billing_providers(user) == []
    with pytest.raises(Forbidden):
        invoicing_services.credit_invoice(actor=Actor(user=user), invoice=invoice, reason="Feil")
    with pytest.raises(Forbidden):
        invoicing_services.create_run(
            actor=Actor(user=user),
            provider=limited.dss,
            period_start=dt.date(2026, 11, 1),
            period_end=dt.date(2026, 11, 30),
        )
    # A manager for all ministries (Marte, from the billing fixture) still sees both.
    assert invoicing_selectors.invoices_for(limited.marte.user).filter(pk=invoice.pk).exists()
    assert invoicing_selectors.runs_for(limited.marte.user).filter(pk=invoice.run_id).exists()


def test_transfer_rows_only_for_the_ministries_served(limited) -> None:
    from felles.costing import demo

    karis_phone_order(limited)  # seeds the catalogue
    demo.load(actor=Actor.system("t"), year=2026)
    demo.load_transfers(actor=Actor.system("t"), year=2026)
    body = json.loads(client_for(limited.lars).get("/api/v1/costing/transfers?year=2026").content)
    ministries = {row["ministry"] for s in body for row in s["rows"]}
    assert ministries == {"FIN"}
    everyone = json.loads(
        client_for(limited.governance).get("/api/v1/costing/transfers?year=2026").content
    )
    assert len({row["ministry"] for s in everyone for row in s["rows"]}) > 1


def test_meeting_pack_names_only_cases_the_reader_may_open(limited) -> None:
    """An escalated operative case between KUD and DSS is in KUD's pack for KUD's
    coordinator, but DFD (which sees a case only once it is strategic) reads the same
    pack without it."""
    case = governance_case(limited)
    governance_services.escalate_case(
        actor=Actor(user=limited.agent.user), case=case, reason="Trenger taktisk nivå"
    )
    series = kud_series(limited)
    start, end = dt.date(2020, 1, 1), dt.date(2100, 1, 1)

    def escalated(user: Any) -> list[Any]:
        sections = governance_selectors.meeting_pack(series, start, end, user)
        return next(s for s in sections if s.title == "Åpne løftede saker").rows

    assert [row[0] for row in escalated(limited.coordinator.user)] == [
        f"{case.number} {case.title}"
    ]
    assert not governance_selectors.cases_for(limited.governance.user).filter(pk=case.pk).exists()
    assert escalated(limited.governance.user) == []
    page = client_for(limited.governance).get(reverse("meeting_pack", args=[series.uuid]))
    assert page.status_code == 200 and case.number not in page.content.decode()


def test_notifications_reach_only_staff_who_serve_the_ministry(limited) -> None:
    """SLA warnings go to the provider's managers who serve the order's ministry (a FIN
    manager was told «SLA-brudd: …» about KUD's order, which answers 404 to her), and a new
    order reaches every customer contact serving the ministry, those serving all included."""
    from felles.orders import services as order_services
    from felles.orders.models import Notification
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    everyone = make_person(limited.dss, "kim.alle", roles=[Role.PROVIDER_MANAGER])
    all_contact = make_person(limited.dss, "kaja.alle", roles=[Role.CUSTOMER_CONTACT])
    order = karis_phone_order(limited)
    order_services.notify_sla({"breached": [order.pk]})
    told = set(Notification.objects.filter(order=order).values_list("person_id", flat=True))
    assert everyone.pk in told
    assert limited.sissel.pk not in told
    # The order reached DSS once Per approved it: contacts serving KUD (or all) are told.
    step = order.steps.get()
    order_services.decide(
        actor=Actor(user=limited.manager.user),
        step=step,
        approve=True,
        decider=limited.manager,
        on_behalf_of=limited.manager,
    )
    new_order = Notification.objects.filter(order=order, text__startswith="Ny bestilling")
    assert set(new_order.values_list("person_id", flat=True)) == {all_contact.pk}
    assert not Notification.objects.filter(person=limited.lars).exists()


def test_a_dialogue_contact_must_serve_the_ministry(limited) -> None:
    from felles.core.services import ServiceError

    with pytest.raises(ServiceError, match="betjener"):
        governance_services.save_series(
            actor=Actor.system("t"),
            provider=limited.dss,
            ministry=limited.kud,
            level="operative",
            customer_contact=limited.lars,
        )
    series = governance_services.save_series(
        actor=Actor.system("t"),
        provider=limited.dss,
        ministry=limited.fin,
        level="operative",
        customer_contact=limited.lars,
    )
    assert series.customer_contact == limited.lars
