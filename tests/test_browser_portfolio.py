"""The portfolio in a real browser: a DFD user opens the portfolio, filters by area, opens
the security project and sees its risk heat map and its benefits chart (drawn by plotly,
served by Felles, under the strict content security policy). Plus an axe check."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.conf import settings
from playwright.sync_api import expect

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
    # DFD's «red and amber» first: one red and one amber project.
    services.update_status(
        actor=actor, project=security, status="red", reason="Rekrutteringen er forsinket."
    )
    services.update_status(
        actor=actor,
        project=Project.objects.get(code="hr"),
        status="amber",
        reason="Avklaring av modell pågår.",
    )
    return personas


WORDS = {
    "nb": {
        "menu": "Portefølje",
        "area": "Område",
        "filter": "Filtrer",
        "heat": "Risikokart før tiltak",
        "planned": "Planlagt",
        "realised": "Realisert",
        "figures": "Tallene i diagrammet",
        "months": r"^(jan|feb|mar|apr|mai|jun|jul|aug|sep|okt|nov|des)\b",
        "title": "Portefølje",
        "red": "Rød",
        "amber": "Gul",
    },
    "en": {
        "menu": "Portfolio",
        "area": "Area",
        "filter": "Filter",
        "heat": "Risk map before measures",
        "planned": "Planned",
        "realised": "Realised",
        "figures": "The figures in the chart",
        "months": r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b",
        "title": "Portfolio",
        "red": "Red",
        "amber": "Amber",
    },
}


def _use_language(page, base: str, language: str) -> None:
    """The language switch's cookie (set after logging in, on the bokmål login page)."""
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
    )


def _chart_geometry(page) -> dict:
    """The first chart's size and whether every axis title lies inside the drawing."""
    return page.evaluate(
        """() => {
        const el = document.querySelector('[data-chart]');
        const svg = el.querySelector('svg.main-svg').getBoundingClientRect();
        const titles = [...el.querySelectorAll('.g-xtitle text, .g-ytitle text, .g-gtitle text')]
          .filter(t => t.textContent.trim())
          .map(t => { const b = t.getBoundingClientRect();
            return {text: t.textContent,
              inside: b.left >= svg.left - 0.5 && b.right <= svg.right + 0.5
                && b.top >= svg.top - 0.5 && b.bottom <= svg.bottom + 0.5}; });
        const ticks = [...el.querySelectorAll('.xtick text')].map(t => t.textContent);
        const main = document.querySelector('main').getBoundingClientRect();
        return {width: svg.width, height: svg.height, main: main.width, titles, ticks};
    }"""
    )


@pytest.mark.parametrize("language", ["nb", "en"])
def test_dfd_filters_the_portfolio_and_reads_the_security_project(
    portfolio, live_server, page, language
) -> None:
    import re

    words = WORDS[language]
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    _login(page, live_server.url, "anne")
    _use_language(page, live_server.url, language)
    page.goto(f"{live_server.url}/portefolje/")
    assert page.title().startswith(words["title"])
    # anne's first question: what is red and amber, first in the list, in her language.
    rows = page.locator("table").first.locator("tbody tr")
    assert rows.nth(0).locator(".ds-tag").inner_text() == words["red"]
    assert "Rekrutteringen er forsinket." in rows.nth(0).inner_text()
    assert rows.nth(1).locator(".ds-tag").inner_text() == words["amber"]
    page.get_by_label(words["area"], exact=True).select_option(value="sikkerhet")
    page.get_by_role("button", name=words["filter"]).click()
    expect(page.get_by_role("link", name="HR: samhandlingsmodell (modell 1)")).to_have_count(0)
    # anne's first question: red and amber first, status in the page's language.
    page.get_by_role(
        "link", name="Sikkerhet og beredskap: fellestjeneste i DSS (modell 3)"
    ).first.click()
    expect(
        page.get_by_role("heading", name="Sikkerhet og beredskap: fellestjeneste i DSS")
    ).to_be_visible()

    heat = page.get_by_role("table", name=words["heat"])
    expect(heat).to_be_visible()
    # The seeded risk «Implementering av fellestjenesten» is likelihood 3, consequence 4.
    assert heat.get_by_role("row").nth(3).get_by_role("cell").nth(3).inner_text().startswith("1")

    chart = page.locator("[data-chart]").first
    chart.locator("svg.main-svg").first.wait_for()  # plotly drew the chart
    assert words["realised"] in chart.inner_text() and words["planned"] in chart.inner_text()
    geometry = _chart_geometry(page)
    assert geometry["height"] >= 240, geometry
    assert geometry["width"] >= 0.6 * geometry["main"], geometry  # as wide as the card
    assert geometry["titles"] and all(t["inside"] for t in geometry["titles"]), geometry
    month_ticks = [t for t in geometry["ticks"] if re.match(words["months"], t)]
    assert month_ticks, geometry["ticks"]  # month names in the page's language

    # The figures under the chart are the chart's own numbers, written the page's way.
    figures = page.locator("details.felles-chart-figures").first
    assert figures.locator("summary").inner_text().startswith(words["figures"])
    spec = json.loads(page.locator("#gevinst-0").text_content())
    shown = sorted(
        float(v)
        for v in figures.locator("td[data-value]").evaluate_all(
            "cells => cells.map(c => c.dataset.value)"
        )
    )
    assert shown == sorted(float(y) for trace in spec["data"] for y in trace["y"])
    cells = figures.locator("td").all_text_contents()
    assert ("2,5" if language == "nb" else "2.5") in cells
    assert errors == []


@pytest.mark.parametrize("language", ["nb", "en"])
def test_portfolio_pages_have_no_serious_violations(portfolio, live_server, language) -> None:
    from tests.test_browser import chromium_context

    if not AXE.exists():
        pytest.skip("axe-core is installed by scripts/install.sh")
    found = {}
    with chromium_context(bypass_csp=True) as context:
        browser_page = context.new_page()
        _login(browser_page, live_server.url, "anne")
        context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        )
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
