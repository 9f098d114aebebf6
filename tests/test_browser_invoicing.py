"""Invoicing in a real browser: KUD's coordinator finds her invoice, drills into a line,
disputes it; DSS finance rejects with a reason; she reads the answer. Plus an axe check of
the invoicing pages."""

from __future__ import annotations

import json

import pytest

from tests.test_accessibility import AXE, violations
from tests.test_browser import _login, pytestmark  # noqa: F401 - same skips
from tests.test_browser import page as page


@pytest.fixture
def issued_invoice(personas, seeded_catalogue):
    """An issued DSS invoice to KUD (set up before the browser starts)."""
    from felles.invoicing.models import Invoice
    from felles.testing import add_billing, issued_run

    return Invoice.objects.get(run=issued_run(add_billing(personas)))


def test_coordinator_disputes_a_line_and_reads_the_answer(
    issued_invoice, live_server, page
) -> None:
    base = live_server.url
    _login(page, base, "ingrid")
    page.get_by_role("link", name="Faktura og forbruk").click()
    page.get_by_role("link", name=issued_invoice.number).click()
    assert page.get_by_role("heading", name=f"Faktura {issued_invoice.number}").is_visible()
    page.get_by_role("link", name="1 forbruksrader").click()
    assert page.get_by_role("cell", name="Import").is_visible()
    page.go_back()
    page.get_by_text("Bestrid linjen").click()
    page.get_by_label("Hva er feil på linje 1?").fill("Vi har bare 8 abonnementer.")
    page.get_by_role("button", name="Send innsigelse").click()
    assert page.get_by_text("Linje 1 er bestridt").is_visible()
    page.get_by_role("button", name="Logg ut").click()

    _login(page, base, "marte")
    page.get_by_role("link", name="Fakturering", exact=True).click()
    assert page.get_by_text("Vi har bare 8 abonnementer.").is_visible()
    page.get_by_role("radio", name="Avvis").check()
    page.get_by_label("Begrunnelse (påkrevd ved avvisning)").fill("Ti var aktive hele måneden.")
    page.get_by_role("button", name="Send svar").click()
    assert page.get_by_text("Innsigelsen er avvist med begrunnelse.").is_visible()
    page.get_by_role("button", name="Logg ut").click()

    _login(page, base, "ingrid")
    page.goto(f"{base}/faktura/{issued_invoice.uuid}/")
    assert page.get_by_text("Ti var aktive hele måneden.").is_visible()


def test_invoicing_pages_have_no_serious_violations(issued_invoice, live_server) -> None:
    from tests.test_browser import chromium_context

    if not AXE.exists():
        pytest.skip("axe-core is installed by scripts/install.sh")
    found = {}
    with chromium_context(bypass_csp=True) as context:
        browser_page = context.new_page()
        for user, paths in (
            ("ingrid", ["/faktura/", f"/faktura/{issued_invoice.uuid}/"]),
            (
                "marte",
                [
                    "/fakturering/",
                    f"/fakturering/{issued_invoice.run.uuid}/",
                    "/fakturering/import/",
                ],
            ),
        ):
            _login(browser_page, live_server.url, user)
            for path in paths:
                browser_page.goto(f"{live_server.url}{path}")
                problems = violations(browser_page)
                if problems:
                    found[path] = problems
            browser_page.get_by_role("button", name="Logg ut").click()
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
