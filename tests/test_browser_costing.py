"""The cost pages in a real browser: DSS finance reads the budget against the ledger (with
its chart, under the strict CSP) and the appropriation-transfer scenarios; axe checks every
cost page."""

from __future__ import annotations

import datetime as dt
import json

import pytest

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
    assert page.get_by_text("regnskap per 30.09.2026").is_visible()
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
