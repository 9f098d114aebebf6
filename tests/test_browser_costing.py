"""The cost pages in a real browser: DSS finance reads the budget against the ledger (with
its chart, under the strict CSP) and the appropriation-transfer scenarios; axe checks every
cost page."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from playwright.sync_api import expect

from tests.test_accessibility import AXE, violations
from tests.test_browser import _login, pytestmark  # noqa: F401 - same skips
from tests.test_browser import page as page


@pytest.fixture
def finance(personas, seeded_catalogue):
    from felles.core.actor import Actor
    from felles.costing import demo
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    actor = Actor.system("test")
    personas.siri = make_person(personas.dss, "siri", roles=[Role.PROVIDER_MANAGER])
    personas.model = demo.load(actor=actor, year=2026)
    demo.load_budget(actor=actor, year=2026, as_of=dt.date(2026, 9, 30))
    demo.load_transfers(actor=actor, year=2026)
    return personas


def test_finance_reads_budget_and_transfers(finance, live_server, page) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _login(page, live_server.url, "siri")
    page.get_by_role("link", name="Priser").click()
    page.get_by_role("link", name="Budsjett og regnskap").click()
    page.get_by_label("År", exact=True).fill("2026")
    page.get_by_role("button", name="Vis").click()
    expect(page.get_by_text("regnskap per 30.09.2026")).to_be_visible()
    page.locator("[data-chart] svg.main-svg").first.wait_for()
    page.get_by_role("link", name="Rammeoverføring").click()
    page.get_by_label("År", exact=True).fill("2026")
    page.get_by_role("button", name="Vis").click()
    total = page.get_by_role("row", name="Sum").inner_text()
    assert "7\u202f190\u202f640,00" in total
    assert errors == []


def test_cost_pages_have_no_serious_violations(finance, live_server) -> None:
    from tests.test_browser import chromium_context

    if not AXE.exists():
        pytest.skip("axe-core is installed by scripts/install.sh")
    found = {}
    with chromium_context(bypass_csp=True) as context:
        browser_page = context.new_page()
        _login(browser_page, live_server.url, "siri")
        for path in (
            "/kostnader/",
            f"/kostnader/{finance.model.uuid}/",
            "/kostnader/budsjett/?ar=2026",
            "/kostnader/rammeoverforing/?ar=2026",
            "/kostnader/kostnadsdekning/?ar=2026",
        ):
            browser_page.goto(f"{live_server.url}{path}")
            problems = violations(browser_page)
            if problems:
                found[path] = problems
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)


NB, NN, MINUS = "\u00a0", "\u202f", "\u2212"
PRICE_WORDS = {
    "nb": {
        "prices": "Priser",
        "basis": f"150{NN}000{NB}timer = kr{NB}802,72 per time.",
        "effective": "Gjelder fra",
        "propose": "Foreslå prisliste",
        "proposed": "Prislisten er foreslått og venter på vedtak i DFD.",
        "heading": "Prisliste DSS 2026",
        "price": f"kr{NB}802,72 per time",
        "adjustment": "Generell justering (%)",
        "adjust": "Juster alle priser",
        "adjusted_price": f"kr{NB}822,79 per time",
        "adjusted": f"Generell justering: 2,5{NB}%.",
        "too_far": f"{MINUS}50",
        "service": "Ekstra vakthold",
    },
    "en": {
        "prices": "Prices",
        "basis": f"150,000{NB}hours = NOK{NB}802.72 per hour.",
        "effective": "Effective from",
        "propose": "Propose a price list",
        "proposed": "The price list is proposed and awaits DFD's decision.",
        "heading": "Price list DSS 2026",
        "price": f"NOK{NB}802.72 per hour",
        "adjustment": "General adjustment (%)",
        "adjust": "Adjust all prices",
        "adjusted_price": f"NOK{NB}822.79 per hour",
        "adjusted": "General adjustment: 2.5%.",
        "too_far": f"{MINUS}50",
        "service": "Extra guarding",
    },
}


@pytest.mark.parametrize("language", ["nb", "en"])
def test_finance_proposes_and_adjusts_a_price_list(finance, live_server, page, language) -> None:
    """siri reads how a price is calculated (units named, amounts in her language),
    proposes the price list and adjusts it; a limit is stated with a real minus sign."""
    from django.conf import settings

    words = PRICE_WORDS[language]
    base = live_server.url
    _login(page, base, "siri")
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
    )
    page.goto(f"{base}/")
    page.get_by_role("link", name=words["prices"], exact=True).first.click()
    page.get_by_role("link", name="DSS 2026").first.click()
    expect(page.locator("main")).to_contain_text(words["basis"])
    page.get_by_label(words["effective"]).fill("2027-01-01")
    page.get_by_role("button", name=words["propose"]).click()
    expect(page.get_by_text(words["proposed"])).to_be_visible()
    expect(page.get_by_role("heading", name=words["heading"])).to_be_visible()
    row = page.get_by_role("row").filter(has_text=words["service"])
    assert words["price"] in row.inner_text()
    page.get_by_label(words["adjustment"]).fill("-60")
    page.get_by_role("button", name=words["adjust"]).click()
    expect(page.locator("main")).to_contain_text(words["too_far"])
    page.get_by_label(words["adjustment"]).fill("2.5")
    page.get_by_role("button", name=words["adjust"]).click()
    expect(page.locator("main")).to_contain_text(words["adjusted"])
    row = page.get_by_role("row").filter(has_text=words["service"])
    assert words["adjusted_price"] in row.inner_text()
