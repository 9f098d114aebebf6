"""The portfolio in a real browser: a DFD user opens the portfolio, filters by area, opens
the security project and sees its risk heat map and its benefits chart (drawn by plotly,
served by Felles, under the strict content security policy). Plus an axe check."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from tests.test_accessibility import AXE, violations
from tests.test_browser import _login, pytestmark  # noqa: F401 - same skips
from tests.test_browser import page as page


@pytest.fixture
def portfolio(personas, seeded_catalogue):
    """The review's programme and a benefit with a measurement (before the browser)."""
    from felles.core.actor import Actor
    from felles.portfolio import services
    from felles.portfolio.models import Project

    actor = Actor.system("test")
    services.seed_evaluations(actor=actor)
    services.seed_portfolio(actor=actor)
    security = Project.objects.get(code="sikkerhet")
    benefit = services.save_benefit(
        actor=actor,
        project=security,
        values={
            "kind": "fte_freed",
            "ministry": personas.kud,
            "area": security.area,
            "measure": "Årsverk til sikkerhetsarbeid i KUD",
            "baseline_value": Decimal(3),
            "target_value": Decimal("1.5"),
            "target_on": dt.date(2027, 12, 31),
        },
    )
    services.record_realisation(
        actor=actor, benefit=benefit, measured_on=dt.date(2026, 9, 30), value=Decimal("2.5")
    )
    return personas


def test_dfd_filters_the_portfolio_and_reads_the_security_project(
    portfolio, live_server, page
) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    _login(page, live_server.url, "anne")
    page.get_by_role("link", name="Portefølje").click()
    page.get_by_label("Område").select_option(label="Sikkerhet og beredskap")
    page.get_by_role("button", name="Filtrer").click()
    assert page.get_by_role("link", name="HR: samhandlingsmodell (modell 1)").count() == 0
    page.get_by_role(
        "link", name="Sikkerhet og beredskap: fellestjeneste i DSS (modell 3)"
    ).first.click()
    assert page.get_by_role(
        "heading", name="Sikkerhet og beredskap: fellestjeneste i DSS"
    ).is_visible()

    heat = page.get_by_role("table", name="Risikokart før tiltak")
    assert heat.is_visible()
    # The seeded risk «Implementering av fellestjenesten» is likelihood 3, consequence 4.
    assert heat.get_by_role("row").nth(3).get_by_role("cell").nth(3).inner_text().startswith("1")

    chart = page.locator("[data-chart]").first
    chart.locator("svg.main-svg").first.wait_for()  # plotly drew the chart
    assert "Realisert" in chart.inner_text() and "Planlagt" in chart.inner_text()
    assert errors == []


def test_portfolio_pages_have_no_serious_violations(portfolio, live_server) -> None:
    from tests.test_browser import chromium_context

    if not AXE.exists():
        pytest.skip("axe-core is installed by scripts/install.sh")
    found = {}
    with chromium_context(bypass_csp=True) as context:
        browser_page = context.new_page()
        _login(browser_page, live_server.url, "anne")
        for path in (
            "/portefolje/",
            "/portefolje/prosjekter/sikkerhet/",
            "/portefolje/vurderinger/",
            "/portefolje/vurderinger/hr/",
            "/portefolje/nullpunkt/",
        ):
            browser_page.goto(f"{live_server.url}{path}")
            problems = violations(browser_page)
            if problems:
                found[path] = problems
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
