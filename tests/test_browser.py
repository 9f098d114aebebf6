"""Real-browser journeys: headless Debian Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from felles.organisations.tests.factories import TEST_PASSWORD

CHROMIUM = os.environ.get("FELLES_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "var" / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not os.environ.get("CI"),
        reason="Debian chromium is not installed (scripts/install.sh installs it)",
    ),
]


_running: dict[str, Any] = {}  # the Playwright and Chromium of the test module that runs now


def _chromium() -> Any:
    """Chromium for the test module that runs now, launched by its first browser test (a
    launch takes ≈ 0.7 s, a fresh context ≈ 0.05 s) and closed after its last one
    (`close_chromium`, from the root conftest). Playwright's sync API runs an event loop in
    this thread meanwhile, so Django's async-safety guard stands down until then; the ORM
    work of the module's tests has a database connection of its own in that loop."""
    if not _running:
        from playwright.sync_api import sync_playwright

        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        playwright = _running["playwright"] = sync_playwright().start()
        _running["browser"] = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
    return _running["browser"]


def close_chromium() -> None:
    """Close the module's Chromium, and the database connections opened inside its loop
    (left open, PostgreSQL would find the test database busy at the end)."""
    if not _running:
        return
    from django.db import connections

    connections.close_all()
    try:
        _running.pop("browser").close()
    finally:
        _running.pop("playwright").stop()
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@contextmanager
def chromium_context(**context_options: object) -> Iterator[Any]:
    """A fresh browser context (no cookies or storage from other tests) in the module's
    Chromium, flags for this closed network."""
    context = _chromium().new_context(locale="nb-NO", **context_options)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(request: pytest.FixtureRequest) -> Iterator[object]:
    with chromium_context() as context:
        page = context.new_page()
        yield page
        if getattr(request.node, "rep_call", None) and request.node.rep_call.failed:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)


def test_employee_logs_in_and_sees_her_name_and_ministry(personas, live_server, page) -> None:
    page.goto(f"{live_server.url}/")
    assert "/logg-inn/" in page.url
    page.get_by_label("Brukernavn").fill("kari")
    page.get_by_label("Passord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(f"{live_server.url}/")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Hei, Kari"
    expect(page.locator("main")).to_contain_text("Kultur- og likestillingsdepartementet")
    assert "Kari Testesen (KUD)" in page.locator("header").inner_text()


def test_login_form_works_with_keyboard_only(personas, live_server, page) -> None:
    page.goto(f"{live_server.url}/logg-inn/")
    page.keyboard.press("Tab")  # skip link first
    assert page.evaluate("document.activeElement.textContent").strip() == "Hopp til hovedinnhold"
    page.get_by_label("Brukernavn").focus()
    page.keyboard.type("per")
    page.keyboard.press("Tab")
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Hei, Per"


def test_people_search_filters_live_with_htmx(personas, live_server, page) -> None:
    page.goto(f"{live_server.url}/logg-inn/")
    page.get_by_label("Brukernavn").fill("per")
    page.get_by_label("Passord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/personer/")
    table = page.locator("#people-table")
    assert "Kari" in table.inner_text() and "Ingrid" in table.inner_text()
    page.get_by_label("Søk").fill("ingrid")
    page.wait_for_function(
        "() => !document.querySelector('#people-table').innerText.includes('Kari')"
    )
    assert "Ingrid" in table.inner_text()
    assert "personer/?q=ingrid" in page.url  # the filtered list is linkable


@pytest.fixture
def demo_people(transactional_db) -> None:
    """Demo data, loaded before the browser starts (ORM work must not run inside
    Playwright's event loop, where it would open a connection of its own)."""
    from felles.core.actor import Actor
    from felles.organisations import demo, services

    actor = Actor.system("test")
    services.sync_reference_organisations(actor=actor)
    demo.load(actor=actor)


def test_demo_persona_logs_in_and_sees_her_name_and_ministry(
    demo_people, live_server, page
) -> None:
    from felles.organisations import demo

    page.goto(f"{live_server.url}/logg-inn/")
    page.get_by_label("Brukernavn").fill("kari")
    page.get_by_label("Passord").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(f"{live_server.url}/")
    assert "Kari Nordmann (KUD)" in page.locator("header").inner_text()
    main = page.locator("main").inner_text()
    assert "Kultur- og likestillingsdepartementet" in main
    assert "Seksjon for analyse og utredning" in main


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/logg-inn/")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(f"{base}/")


def test_order_journey_from_order_to_rating(personas, seeded_catalogue, live_server, page) -> None:
    """Kari orders an extra cleaning (needs approval), Per approves from the e-mail link,
    a DSS agent fulfils it, Kari confirms and rates it; FIN's Ola never sees it."""
    import re

    from felles.testing.mail import deliver_mail

    base = live_server.url
    _login(page, base, "kari")
    page.get_by_label("Hva trenger du?").fill("renhold")
    page.get_by_role("button", name="Søk i tjenestene").click()
    page.get_by_role("link", name="Ekstra renhold").click()
    text = page.locator("main").inner_text().replace("\u00a0", " ").replace("\u202f", " ")
    assert "kr 560,00 per time (demopris), faktureres KUD." in text
    page.get_by_role("link", name="Bestill", exact=True).click()
    page.get_by_label("Dato").fill("2026-12-10")
    # Keyboard only through the text fields: Tab moves from field to field in order.
    page.get_by_label("Fra klokken").focus()
    page.keyboard.type("16:00")
    page.keyboard.press("Tab")
    page.keyboard.type("20:00")
    page.keyboard.press("Tab")
    page.keyboard.type("Møterom 4.12")
    page.get_by_label("Antall (time)").fill("4")
    page.get_by_role("button", name="Send bestilling").click()
    main = page.locator("main").inner_text()
    assert "Venter på godkjenning fra Per Testesen" in main
    number = re.search(r"B-\d{4}-\d{6}", main).group(0)

    link = re.search(r"http://[^\s]+/godkjenning/lenke/[^\s]+/", deliver_mail()[-1].body).group(0)
    context = page.context
    context.clear_cookies()  # Per decides from his mail without logging in
    page.goto(link.replace("http://127.0.0.1:8000", base))
    page.get_by_role("button", name="Godkjenn").click()
    expect(page.locator("main")).to_contain_text("er godkjent")

    _login(page, base, "ole")
    page.get_by_role("link", name="Kø", exact=True).click()
    page.get_by_role("link", name=number).click()
    page.get_by_role("button", name="Ta saken").click()
    page.get_by_label("Hva er levert?").fill("Renhold utført 16–20.")
    page.get_by_role("button", name="Marker som levert").click()
    page.get_by_text("Saken er markert som levert.").wait_for()  # after the redirect

    context.clear_cookies()
    _login(page, base, "kari")
    page.get_by_role("link", name="Mine bestillinger", exact=True).click()
    page.get_by_role("link", name=number).click()
    page.get_by_role("button", name="Bekreft at alt er i orden").click()
    page.get_by_label("5").check()
    page.get_by_label("Kommentar (valgfritt)").fill("Veldig bra")
    page.get_by_role("button", name="Send vurdering").click()
    page.get_by_text("Takk for vurderingen.").wait_for()
    expect(page.locator("main")).to_contain_text("Avsluttet")

    context.clear_cookies()
    _login(page, base, "ola")
    page.goto(f"{base}/bestillinger/")
    expect(page.locator("main")).not_to_contain_text(number)


@pytest.fixture
def approval_and_queue(personas, seeded_catalogue) -> dict[str, str]:
    """Two of Kari's phone orders: one waiting for Per, one he approved (in DSS's queue)."""
    from felles.catalog.models import Service
    from felles.core.actor import Actor
    from felles.orders import services

    actor = Actor.system("test")

    def phone() -> object:
        return services.submit_order(
            actor=actor,
            orderer=personas.employee,
            service=Service.objects.get(code="srv-mobil"),
            answers={"mottaker": {"label": "Mottaker", "value": None}},
        )

    waiting, approved = phone(), phone()
    services.decide(
        actor=actor,
        step=approved.steps.get(),
        decider=personas.manager,
        on_behalf_of=personas.manager,
        approve=True,
    )
    return {"waiting": waiting.number, "queued": approved.number}


def test_approve_from_the_list_and_take_from_the_queue_without_reloading(
    approval_and_queue, live_server, page
) -> None:
    """htmx swaps the approval's row and the queue's row in place: the page is not
    reloaded (a marker set on `window` survives, the address stays) and the console is
    clean; the queue's filter updates the list and the address."""
    base = live_server.url
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))

    _login(page, base, "per")
    page.goto(f"{base}/godkjenning/")
    row = page.locator("section.felles-approval", has_text=approval_and_queue["waiting"])
    page.evaluate("window.notReloaded = true")
    row.get_by_role("button", name="Godkjenn").click()
    approved = f"{approval_and_queue['waiting']} er godkjent"
    page.get_by_role("status").filter(has_text=approved).wait_for()
    assert page.url == f"{base}/godkjenning/"
    assert page.evaluate("window.notReloaded === true")

    page.context.clear_cookies()
    _login(page, base, "ole")
    page.goto(f"{base}/ko/")
    page.evaluate("window.notReloaded = true")
    number = approval_and_queue["queued"]
    page.get_by_role("button", name=f"Ta saken {number}").click()
    row = page.locator("tr", has_text=number)
    row.get_by_text("Du har tatt saken.").wait_for()
    assert "Ole Testesen" in row.inner_text()
    expect(page.get_by_role("button", name=f"Ta saken {number}")).to_have_count(0)
    assert page.url == f"{base}/ko/"
    assert page.evaluate("window.notReloaded === true")

    page.get_by_label("Bare mine").check()
    page.wait_for_url(f"{base}/ko/?**mine=1**")
    expect(page.locator("#queue-results tr", has_text=number)).to_have_count(1)
    assert page.evaluate("window.notReloaded === true")
    assert problems == []


def test_swapped_rows_have_no_serious_accessibility_violations(
    approval_and_queue, live_server
) -> None:
    """axe (tests/test_accessibility.py) on the states htmx creates: the approvals list
    with a decided row, the queue with its take buttons and with a taken row."""
    from tests.test_accessibility import AXE, violations

    if not AXE.exists():
        pytest.skip("axe-core is installed by scripts/install.sh")
    base = live_server.url
    with chromium_context(bypass_csp=True) as context:  # axe is injected as a script
        page = context.new_page()
        _login(page, base, "per")
        page.goto(f"{base}/godkjenning/")
        page.get_by_role("button", name="Godkjenn").first.click()
        page.get_by_text(f"{approval_and_queue['waiting']} er godkjent").wait_for()
        assert violations(page) == [], "approvals after a decision"
        context.clear_cookies()
        _login(page, base, "ole")
        page.goto(f"{base}/ko/")
        assert violations(page) == [], "queue"
        page.get_by_role("button", name=f"Ta saken {approval_and_queue['queued']}").click()
        page.get_by_text("Du har tatt saken.").wait_for()
        assert violations(page) == [], "queue after taking"
