"""Charts as a reader meets them (web/static/web/charts.js): the SLA report's compliance
chart is readable (not a 560×74 strip titled «siste 5 rader»), its axis title is inside the
drawing, its numbers use the page's decimal mark, and a table of the same figures sits
under it for screen readers."""

from __future__ import annotations

import json

import pytest
from django.conf import settings

from tests.test_browser import _login, pytestmark  # noqa: F401 - same skips
from tests.test_browser import page as page


@pytest.fixture
def history(shop, actor):
    """Four months of closed orders (before the browser starts)."""
    from felles.orders import demo
    from felles.sla import services as sla_services

    demo.load_history(actor=actor, count=12)
    sla_services.recompute_all()
    return shop


def _geometry(page) -> dict:
    return page.evaluate(
        """() => {
        const el = document.querySelector('[data-chart]');
        const svg = el.querySelector('svg.main-svg').getBoundingClientRect();
        const inside = (b) => b.left >= svg.left - 0.5 && b.right <= svg.right + 0.5
          && b.top >= svg.top - 0.5 && b.bottom <= svg.bottom + 0.5;
        const texts = [...el.querySelectorAll('.g-xtitle text, .g-gtitle text, .ytick text')]
          .filter(t => t.textContent.trim())
          .map(t => ({text: t.textContent, inside: inside(t.getBoundingClientRect())}));
        const main = document.querySelector('main').getBoundingClientRect();
        const fill = getComputedStyle(el.querySelector('.bars path')).fill;
        return {width: svg.width, height: svg.height, main: main.width, texts, fill};
    }"""
    )


@pytest.mark.parametrize("language", ["nb", "en"])
def test_sla_chart_is_readable_and_has_its_figures(history, live_server, page, language) -> None:
    base = live_server.url
    _login(page, base, "anne")
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
    )
    page.goto(f"{base}/sla/")
    chart = page.locator("[data-chart]").first
    chart.locator("svg.main-svg").first.wait_for()
    geometry = _geometry(page)
    assert geometry["height"] >= 240, geometry
    assert geometry["width"] >= 0.6 * geometry["main"], geometry
    assert geometry["texts"] and all(t["inside"] for t in geometry["texts"]), geometry
    # Designsystemet's accent colour, read from the page's tokens (#0062ba in the theme).
    assert geometry["fill"] == "rgb(0, 98, 186)", geometry
    title = chart.locator(".g-gtitle").text_content()
    assert "siste" not in title and "rader" not in title
    assert title == ("Andel overholdt løsningstid" if language == "nb" else title)

    spec = json.loads(page.locator("#sla-etterlevelse").text_content())
    figures = page.locator("details.felles-chart-figures").first
    values = figures.locator("td[data-value]").evaluate_all(
        "cells => cells.map(c => Number(c.dataset.value))"
    )
    assert sorted(values) == sorted(spec["data"][0]["x"])
    # Written the page's way: a decimal comma in bokmål, a point in English.
    texts = figures.locator("td").all_text_contents()
    fractional = [t for t in texts if any(c in t for c in ",.")]
    if fractional:
        assert all(("," in t) == (language == "nb") for t in fractional), texts
