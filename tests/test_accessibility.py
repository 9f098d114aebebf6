"""Automated accessibility check (axe-core in real Chromium) of the main pages: no serious
or critical WCAG 2.1 A/AA violations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_browser import chromium_context, pytestmark  # noqa: F401 - same skips

AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def axe_page(personas, seeded_catalogue, live_server):
    if not AXE.exists():
        pytest.skip("axe-core is installed by scripts/install.sh")
    # axe is injected as a script; the page's own CSP would (rightly) refuse it.
    with chromium_context(bypass_csp=True) as context:
        yield context.new_page()


def violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:3],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


PAGES = [
    "/",
    "/tjenester/",
    "/tjenester/?q=møterom",
    "/bestillinger/",
    "/godkjenning/",
    "/personer/",
    "/organisasjoner/",
    "/api-nokler/",
]


def test_main_pages_have_no_serious_violations(axe_page, live_server) -> None:
    from tests.test_browser import _login

    page = axe_page
    page.goto(f"{live_server.url}/logg-inn/")
    assert violations(page) == [], "login page"
    _login(page, live_server.url, "kari")
    found = {}
    for path in PAGES:
        page.goto(f"{live_server.url}{path}")
        problems = violations(page)
        if problems:
            found[path] = problems
    page.get_by_role("link", name="Tjenester", exact=True).click()
    page.get_by_role("link", name="Møterom og konferanse").click()
    for path in (page.url, page.url.replace("/tjenester/", "/bestill/")):
        page.goto(path)
        problems = violations(page)
        if problems:
            found[path] = problems
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
