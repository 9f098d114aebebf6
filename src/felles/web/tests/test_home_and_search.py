"""The start page's cards per persona (at a constant number of queries), the grouped menu
and the header's search, which finds only what the reader may see."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from felles.testing.matrix import karis_phone_order, seeded
from felles.web.menu import menu_for
from felles.web.search import MAX_QUERY_LENGTH

PERSONA_NAMES = [
    "employee",
    "manager",
    "coordinator",
    "outsider",
    "agent",
    "governance",
    "auditor",
    "admin",
]


def _menu(user) -> dict[str, list[str]]:
    return {g.label: [e.label for e in g.entries] for g in menu_for(user, "/")}


def test_menu_groups_show_what_each_persona_uses(personas) -> None:
    employee = _menu(personas.employee.user)
    assert employee == {
        "Bestille": ["Tjenester", "Mine bestillinger", "Møterom"],
        # Everyone reads the common guidelines and notices and may report an incident.
        "Fagområder": ["Retningslinjer", "Kunngjøringer", "Sikkerhet og beredskap"],
        "Admin": ["API-nøkler"],
    }
    manager = _menu(personas.manager.user)
    assert manager["Bestille"] == [
        "Tjenester",
        "Mine bestillinger",
        "Møterom",
        "Til godkjenning",
        "Lønnsendringer til DFØ",  # a leader sends a salary change to DFØ through DSS
    ]
    assert "Økonomi" in manager  # a budget holder reads prices
    coordinator = _menu(personas.coordinator.user)
    assert "Departementets bestillinger" in coordinator["Bestille"]
    assert "Faktura og forbruk" in coordinator["Økonomi"]
    assert coordinator["Styring"] == ["Styring", "Kundedialog", "Leveranseavtaler"]
    agent = _menu(personas.agent.user)
    assert agent["Levere"][0] == "Kø"
    assert "Til godkjenning" not in agent.get("Bestille", [])
    governance = _menu(personas.governance.user)
    assert governance["Styring"] == ["Styring", "Kundedialog", "Leveranseavtaler", "Portefølje"]
    # DFD follows the areas' statistics (aggregates), not the ministries' registers.
    assert "Statistikk for innsynskrav" in governance["Fagområder"]
    assert "HR-statistikk" in governance["Fagområder"]
    assert "Personellsikkerhet" not in governance["Fagområder"]
    auditor = _menu(personas.auditor.user)
    assert "Mine bestillinger" not in auditor.get("Bestille", [])  # reads, never orders
    assert "Revisjonslogg" in auditor["Admin"] and "Leselogg" in auditor["Admin"]
    admin = _menu(personas.admin.user)
    assert {"Import", "Jobber", "Revisjonslogg"} <= set(admin["Admin"])
    for name in ("employee", "manager", "coordinator", "agent"):
        labels = [e for entries in _menu(getattr(personas, name).user).values() for e in entries]
        assert "Import" not in labels and "Jobber" not in labels and "Revisjonslogg" not in labels
        assert "Leselogg" not in labels


def test_menu_marks_only_the_most_specific_entry_current(personas) -> None:
    groups = menu_for(personas.coordinator.user, "/bestillinger/departementet/")
    current = [e.label for g in groups for e in g.entries if e.current]
    assert current == ["Departementets bestillinger"]


def test_a_team_members_page_reads_her_teams_once_and_a_new_team_shows_next_time(
    personas, client: Client, actor
) -> None:
    """The menu and the start page ask each area whether the reader is on its handling team,
    and the order rules which restricted services she handles: within one page view her
    teams are read once (`catalog.selectors.handling_teams`), and a team she joins shows
    on her next page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from felles.catalog import services as catalog_services
    from felles.hr.selectors import HR_SERVICES
    from felles.security.selectors import TEAM_SERVICES

    seeded(personas)
    agent = personas.agent  # DSS, serving KUD
    catalog_services.join_handling_team(actor=actor, codes=HR_SERVICES, person=agent)
    client.force_login(agent.user)
    assert "Personellsikkerhet" not in _menu_of(client.get("/"))

    catalog_services.join_handling_team(actor=actor, codes=TEAM_SERVICES, person=agent)
    with CaptureQueriesContext(connection) as page:
        response = client.get("/")
    assert "Personellsikkerhet" in _menu_of(response)
    team_reads = [  # her teams read on their own, not joined into the queue's order query
        q["sql"]
        for q in page.captured_queries
        if re.match(r'SELECT [^;]*? FROM "catalog_service(_handling_team)?" ', q["sql"])
        and '"catalog_service_handling_team"."person_id" = ' in q["sql"]
    ]
    assert len(team_reads) == 1, team_reads


def _menu_of(response) -> str:
    html = response.content.decode()
    return html[html.index("<nav") : html.index("</nav>")]


@pytest.mark.parametrize("name", PERSONA_NAMES)
def test_home_answers_each_persona_at_a_constant_number_of_queries(
    name: str, personas, client: Client, django_assert_max_num_queries
) -> None:
    for _ in range(3):
        karis_phone_order(personas)
    client.force_login(getattr(personas, name).user)
    with django_assert_max_num_queries(40):
        response = client.get("/")
    assert response.status_code == 200
    few = response.content
    for _ in range(6):
        karis_phone_order(personas)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as many:
        response = client.get("/")
    with CaptureQueriesContext(connection) as again:
        client.get("/")
    assert len(many.captured_queries) == len(again.captured_queries)
    assert few  # the page rendered with fewer orders too


def test_leader_sees_what_waits_for_him_with_age_and_amount(personas, client: Client) -> None:
    order = karis_phone_order(personas)
    client.force_login(personas.manager.user)
    body = client.get("/").content.decode()
    section = body.split('id="venter-pa-meg"')[1].split("</section>")[0]
    assert "Venter på meg (1)" in section
    assert order.number in section and "venter i 0 dager" in section
    assert "Kari Testesen" in section


def test_agent_sees_his_cases_near_the_deadline(personas, client: Client, actor) -> None:
    from felles.orders import services as order_services

    order = karis_phone_order(personas)
    order_services.decide(
        actor=actor,
        step=order.steps.get(),
        decider=personas.manager,
        on_behalf_of=personas.manager,
        approve=True,
    )
    order_services.take(actor=actor, order=order, agent=personas.agent)
    client.force_login(personas.agent.user)
    body = client.get("/").content.decode()
    section = body.split('id="mine-saker"')[1].split("</section>")[0]
    assert order.number in section and "Frist " in section


def test_coordinator_sees_the_ministrys_month(personas, client: Client) -> None:
    order = karis_phone_order(personas)
    client.force_login(personas.coordinator.user)
    body = client.get("/").content.decode()
    section = body.split('id="departementet-denne-maneden"')[1].split("</section>")[0]
    assert "KUD denne måneden" in section and order.number in section
    assert "Fakturert" in section and "Åpne innsigelser" in section


def test_governance_sees_red_and_amber(personas, client: Client) -> None:
    client.force_login(personas.governance.user)
    body = client.get("/").content.decode()
    assert 'id="rodt-og-gult"' in body and "Rødt og gult" in body


def test_search_finds_services_orders_and_people_within_the_readers_sight(
    personas, client: Client
) -> None:
    order = karis_phone_order(personas)
    client.force_login(personas.coordinator.user)
    body = client.get("/sok/", {"q": order.number}).content.decode()
    assert f"/bestillinger/{order.uuid}/" in body
    body = client.get("/sok/", {"q": "Kari"}).content.decode()
    assert "Kari Testesen" in body
    body = client.get("/sok/", {"q": "mobil"}).content.decode()
    assert "Tjenester" in body
    # FIN's Ola sees neither KUD's order nor KUD's people.
    client.force_login(personas.outsider.user)
    body = client.get("/sok/", {"q": order.number}).content.decode()
    assert str(order.uuid) not in body and "Ingen bestillinger har et nummer" in body
    body = client.get("/sok/", {"q": "Kari"}).content.decode()
    assert "Kari Testesen" not in body
    assert "Ola Testesen" in client.get("/sok/", {"q": "Ola"}).content.decode()


def test_a_very_long_search_is_cut_with_a_clear_message(personas, client: Client) -> None:
    client.force_login(personas.employee.user)
    response = client.get("/sok/", {"q": "møterom " * 700})  # 5,600 characters
    assert response.status_code == 200
    body = response.content.decode()
    assert f"Bare de første {MAX_QUERY_LENGTH} tegnene er brukt" in body
    assert f'maxlength="{MAX_QUERY_LENGTH}"' in body


def test_language_switch_keeps_the_page_and_the_shell_is_english(personas, client: Client) -> None:
    client.force_login(personas.coordinator.user)
    body = client.get("/sok/", {"q": "Kari"}).content.decode()
    assert 'name="next" value="/sok/?q=Kari"' in body
    response = client.post("/sprak/", {"language": "en", "next": "/sok/?q=Kari"})
    assert response.status_code == 302 and response["Location"] == "/sok/?q=Kari"
    body = client.get("/sok/", {"q": "Kari"}).content.decode()
    for english in ("Order", "Finance", "Governance", "Menu", "People", "Search Felles"):
        assert english in body, english
    for norwegian in ("Bestille", "Økonomi", "Meny", "Personer", "Søk i Felles"):
        assert f">{norwegian}<" not in body, norwegian
    assert "<title>Search: Kari – Felles</title>" in body


def test_the_start_page_lists_my_open_action_items(personas, client: Client, actor) -> None:
    """«Mine oppfølgingspunkter»: Ingrid owns an item from KUD's dialogue with DSS; her start
    page names it with its deadline and meeting series; Kari, who owns none, has no card."""
    import datetime as dt

    from felles.core.actor import Actor
    from felles.governance import services as governance
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    lars = make_person(personas.dss, "lars", roles=[Role.CUSTOMER_CONTACT], serves=[personas.kud])
    series = governance.save_series(
        actor=actor,
        provider=personas.dss,
        ministry=personas.kud,
        level="operative",
        customer_contact=lars,
        starts_on=dt.date(2026, 1, 1),
    )
    governance.record_meeting(
        actor=Actor(user=lars.user),
        series=series,
        held_on=dt.date(2026, 3, 2),
        minutes="Referat",
        actions=[("Avklar behovet for møterom", personas.coordinator, dt.date(2026, 4, 1))],
    )
    client.force_login(personas.coordinator.user)
    body = client.get("/").content.decode()
    card = body[body.index('id="mine-oppfolgingspunkter"') :][:2000]
    assert "Avklar behovet for møterom" in card and "Frist 01.04.2026" in card
    assert f'href="/dialog/{series.uuid}/"' in card and "1 åpent oppfølgingspunkt." in card
    client.force_login(personas.employee.user)
    assert 'id="mine-oppfolgingspunkter"' not in client.get("/").content.decode()
