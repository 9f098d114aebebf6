"""Task checklists in the browser: a provider manager writes a service's task template
(a bad line is refused with a message, nothing saved); Per approves Kari's phone and it
reaches DSS with its tasks; Ole completes and skips tasks in place on the order page
(htmx); Kari sees «2 av 3 steg ferdig» and the customer's step names only. No serious
accessibility violations."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.test_accessibility import AXE, violations
from tests.test_browser import _login, chromium_context, pytestmark  # noqa: F401 - same skips


@pytest.fixture
def marte(personas, seeded_catalogue):
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    return make_person(personas.dss, "marte", roles=[Role.PROVIDER_MANAGER])


@pytest.fixture
def page():
    with chromium_context(bypass_csp=True) as context:
        yield context.new_page()


def _phone_at_dss(personas):
    from felles.catalog.models import Service
    from felles.core.actor import Actor
    from felles.orders import services

    actor = Actor.system("test")
    order = services.submit_order(
        actor=actor,
        orderer=personas.employee,
        service=Service.objects.get(code="srv-mobil"),
        answers={"mottaker": {"label": "Mottaker", "value": None}},
    )
    services.decide(
        actor=actor,
        step=order.steps.get(),
        decider=personas.manager,
        on_behalf_of=personas.manager,
        approve=True,
    )
    return order


def test_a_checklist_from_template_to_progress(personas, marte, live_server, page) -> None:
    from felles.catalog.models import Service
    from felles.tasks.models import OrderTask, TaskTemplate

    base = live_server.url
    phone = Service.objects.get(code="srv-mobil")
    _login(page, base, "marte")
    page.goto(f"{base}/tjenester/{phone.uuid}/")
    page.get_by_role("link", name="Endre oppgavemalen").click()
    page.wait_for_url(f"{base}/tjenester/{phone.uuid}/oppgavemal/")
    if AXE.exists():
        assert violations(page) == []
    page.get_by_label("Gyldig fra").fill(dt.date.today().isoformat())  # noqa: DTZ011
    tasks = page.get_by_label("Oppgaver, én per linje")
    tasks.fill("Bestill SIM | Abonnementet bestilles | Telefoni | påkrevd | kanskje")
    page.get_by_role("button", name="Lagre ny oppgavemal").click()
    expect(page.locator("main")).to_contain_text("Linje 1: fristen er et helt antall")
    assert not TaskTemplate.objects.exists()
    tasks.fill(
        "Bestill SIM | Abonnementet bestilles | Telefoni | påkrevd | 1\n"
        "Klargjør telefonen | Telefonen gjøres klar | Klient | påkrevd | 3\n"
        "Ring brukeren | Utlevering avtales | | valgfri"
    )
    page.get_by_role("button", name="Lagre ny oppgavemal").click()
    page.wait_for_url(f"{base}/tjenester/{phone.uuid}/oppgavemal/")
    expect(page.locator("body")).to_contain_text("Den nye oppgavemalen er lagret.")

    order = _phone_at_dss(personas)
    assert OrderTask.objects.filter(order=order).count() == 3
    page.context.clear_cookies()
    _login(page, base, "ole")
    page.goto(f"{base}/bestillinger/{order.uuid}/")
    section = page.locator("#order-tasks")
    assert "0 av 3 steg ferdig" in section.inner_text()
    if AXE.exists():
        assert violations(page) == []
    page.evaluate("window.__noReload = true")
    section.get_by_role("button", name="Ferdig").first.click()
    page.wait_for_function(
        "document.querySelector('#order-tasks').innerText.includes('1 av 3 steg ferdig')"
    )
    page.locator("#order-tasks").get_by_label("Begrunnelse for å hoppe over").first.fill(
        "Kunden har telefon fra før"
    )
    page.locator("#order-tasks").get_by_role("button", name="Hopp over").first.click()
    page.wait_for_function(
        "document.querySelector('#order-tasks').innerText.includes('2 av 3 steg ferdig')"
    )
    assert page.evaluate("window.__noReload") is True  # updated in place

    page.context.clear_cookies()
    _login(page, base, "kari")
    page.goto(f"{base}/bestillinger/{order.uuid}/")
    text = page.locator("#order-tasks").inner_text()
    assert "2 av 3 steg ferdig" in text and "Telefonen gjøres klar" in text
    assert "Kunden har telefon fra før" not in text and "Bestill SIM" not in text
