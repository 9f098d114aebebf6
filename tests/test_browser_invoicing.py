"""Invoicing in a real browser, in both languages: KUD's coordinator finds her invoice, drills
into a line, disputes it; DSS finance rejects with a reason; she reads the answer. DSS
finance takes a run through its steps (the step indicator's numbers keep clear of their
labels). Plus an axe check of the invoicing pages."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.test_accessibility import AXE, violations
from tests.test_browser import _login, pytestmark  # noqa: F401 - same skips
from tests.test_browser import page as page

NB, NN = "\u00a0", "\u202f"

WORDS = {
    "nb": {
        "invoices": "Faktura og forbruk",
        "breadcrumbs": "Brødsmulesti",
        "invoicing": "Fakturering",
        "invoice": "Faktura",
        "rows": "1 forbruksrad",
        "import": "Import",
        "quantity": f"10{NB}måneder",
        "amount": f"kr{NB}2{NN}890,00",
        "dispute": "Bestrid linjen",
        "what": "Hva er feil på linje 1?",
        "send": "Send innsigelse",
        "disputed": "Linje 1 er bestridt",
        "reject": "Avvis",
        "reason": "Begrunnelse (påkrevd ved avvisning)",
        "answer": "Send svar",
        "rejected": "Innsigelsen er avvist med begrunnelse.",
        "logout": "Logg ut",
        "provider": "Leverandør",
        "from": "Periode fra",
        "to": "Periode til",
        "compute": "Beregn utkast",
        "computed": "Fakturakjøringen er beregnet som utkast.",
        "review": "Kontroller og merk som kontrollert",
        "reviewed": "Kjøringen er kontrollert mot EHF-reglene",
        "approve": "Godkjenn",
        "issue": "Utsted fakturaene",
        "issued": "Fakturaene er utstedt.",
        "steps": ["Utkast", "Kontrollert", "Godkjent", "Utstedt"],
        "steps_name": "Trinn",
    },
    "en": {
        "invoices": "Invoices and usage",
        "breadcrumbs": "Breadcrumbs",
        "invoicing": "Invoicing",
        "invoice": "Invoice",
        "rows": "1 usage row",
        "import": "Import",
        "quantity": f"10{NB}months",
        "amount": f"NOK{NB}2,890.00",
        "dispute": "Dispute the line",
        "what": "What is wrong with line 1?",
        "send": "Send the dispute",
        "disputed": "Line 1 is disputed",
        "reject": "Reject",
        "reason": "Reason (required when rejecting)",
        "answer": "Send answer",
        "rejected": "The dispute is rejected with a reason.",
        "logout": "Log out",
        "provider": "Provider",
        "from": "Period from",
        "to": "Period to",
        "compute": "Compute a draft",
        "computed": "The invoice run has been computed as a draft.",
        "review": "Check and mark as reviewed",
        "reviewed": "The run has been checked against the EHF rules",
        "approve": "Approve",
        "issue": "Issue the invoices",
        "issued": "The invoices have been issued.",
        "steps": ["Draft", "Reviewed", "Approved", "Issued"],
        "steps_name": "Steps",
    },
}


def _sign_in(page, base: str, username: str, language: str) -> None:
    """Log in, then choose the language the way the switch does (its cookie)."""
    from django.conf import settings

    page.context.clear_cookies()  # the login page is bokmål until the switch is used
    _login(page, base, username)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
    )
    page.goto(f"{base}/")


@pytest.fixture
def issued_invoice(personas, seeded_catalogue):
    """An issued DSS invoice to KUD (set up before the browser starts)."""
    from felles.invoicing.models import Invoice
    from felles.testing import add_billing, issued_run

    return Invoice.objects.get(run=issued_run(add_billing(personas)))


@pytest.fixture
def october_usage(personas, seeded_catalogue):
    """Metered October usage for KUD and FIN, not yet in any run."""
    from felles.testing import add_billing, import_usage, usage_csv

    billing = add_billing(personas)
    import_usage(
        billing.dss,
        usage_csv("srv-mobil;KUD;31.10.2026;10;m;nei;;", "srv-mobil;FIN;31.10.2026;4;m;nei;;"),
    )
    return billing


@pytest.mark.parametrize("language", ["nb", "en"])
def test_coordinator_disputes_a_line_and_reads_the_answer(
    issued_invoice, live_server, page, language
) -> None:
    words = WORDS[language]
    base = live_server.url
    _sign_in(page, base, "ingrid", language)
    page.get_by_role("link", name=words["invoices"], exact=True).first.click()
    page.get_by_role("link", name=issued_invoice.number).click()
    heading = f"{words['invoice']} {issued_invoice.number}"
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    assert page.title().startswith(heading)
    # The breadcrumb leads back to her list, never to the provider's run (a 403 for her).
    crumbs = page.get_by_role(
        "navigation", name="Brødsmulesti" if language == "nb" else "Breadcrumbs"
    )
    assert crumbs.get_by_role("link").all_inner_texts() == [words["invoices"]]
    row = page.get_by_role("row").filter(has_text=words["amount"]).first
    assert words["quantity"] in row.inner_text()
    page.get_by_role("link", name=words["rows"], exact=True).click()
    expect(page.get_by_role("cell", name=words["import"])).to_be_visible()
    expect(page.locator("main")).to_contain_text(words["quantity"])
    page.go_back()
    page.get_by_text(words["dispute"]).click()
    page.get_by_label(words["what"]).fill("Vi har bare 8 abonnementer.")
    page.get_by_role("button", name=words["send"]).click()
    expect(page.get_by_text(words["disputed"])).to_be_visible()
    page.get_by_role("button", name=words["logout"]).click()

    _sign_in(page, base, "marte", language)
    page.get_by_role("link", name=words["invoicing"], exact=True).first.click()
    expect(page.get_by_text("Vi har bare 8 abonnementer.")).to_be_visible()
    page.get_by_role("radio", name=words["reject"]).check()
    page.get_by_label(words["reason"]).fill("Ti var aktive hele måneden.")
    page.get_by_role("button", name=words["answer"]).click()
    expect(page.get_by_text(words["rejected"])).to_be_visible()
    page.get_by_role("button", name=words["logout"]).click()

    _sign_in(page, base, "ingrid", language)
    page.goto(f"{base}/faktura/{issued_invoice.uuid}/")
    expect(page.get_by_text("Ti var aktive hele måneden.")).to_be_visible()


def _assert_steps_keep_clear(page, labels: list[str], current: str, name: str) -> None:
    """Each step shows its number and its label side by side: the boxes of the number and
    the label never overlap, nor does a number overlap the step before it."""
    steps = page.get_by_role("list", name=name).get_by_role("listitem")
    assert steps.count() == len(labels)
    previous_right = None
    for index in range(steps.count()):
        step = steps.nth(index)
        number = step.locator(".felles-steps__number")
        label = step.locator(".felles-steps__label")
        assert number.count() == 1 and label.count() == 1, "a step without its own number"
        assert number.inner_text().strip() == str(index + 1)
        assert label.inner_text().strip().startswith(labels[index])
        n, t = number.bounding_box(), label.bounding_box()
        assert n and t and n["width"] > 0 and t["width"] > 0
        same_line = abs((n["y"] + n["height"] / 2) - (t["y"] + t["height"] / 2)) < n["height"]
        assert same_line and n["x"] + n["width"] <= t["x"], (index, n, t)
        if previous_right is not None and n["y"] <= previous_right[1]:
            assert n["x"] >= previous_right[0], (index, n, previous_right)
        previous_right = (t["x"] + t["width"], t["y"] + t["height"])
    current_label = page.locator('[aria-current="step"] .felles-steps__label')
    assert current_label.inner_text().strip() == current


@pytest.mark.parametrize("language", ["nb", "en"])
def test_finance_takes_a_run_through_its_steps(october_usage, live_server, page, language) -> None:
    words = WORDS[language]
    base = live_server.url
    steps = words["steps"]
    _sign_in(page, base, "siri", language)
    page.get_by_role("link", name=words["invoicing"], exact=True).first.click()
    page.get_by_label(words["provider"]).select_option("DSS")
    page.get_by_label(words["from"]).fill("2026-10-01")
    page.get_by_label(words["to"]).fill("2026-10-31")
    page.get_by_role("button", name=words["compute"]).click()
    expect(page.get_by_text(words["computed"])).to_be_visible()
    _assert_steps_keep_clear(page, steps, steps[0], words["steps_name"])
    page.get_by_role("button", name=words["review"]).click()
    expect(page.get_by_text(words["reviewed"])).to_be_visible()
    _assert_steps_keep_clear(page, steps, steps[1], words["steps_name"])
    run_url = page.url
    page.get_by_role("button", name=words["logout"]).click()

    _sign_in(page, base, "marte", language)
    page.goto(run_url)
    page.get_by_role("button", name=words["approve"]).click()
    _assert_steps_keep_clear(page, steps, steps[2], words["steps_name"])
    page.get_by_role("button", name=words["issue"]).click()
    expect(page.get_by_text(words["issued"])).to_be_visible()
    _assert_steps_keep_clear(page, steps, steps[3], words["steps_name"])
    # At a phone's width the steps wrap, still without running into each other.
    page.set_viewport_size({"width": 390, "height": 800})
    _assert_steps_keep_clear(page, steps, steps[3], words["steps_name"])
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


def test_invoicing_pages_have_no_serious_violations(issued_invoice, live_server) -> None:
    from tests.test_browser import chromium_context

    if not AXE.exists():
        pytest.skip("axe-core is installed by scripts/install.sh")
    found = {}
    with chromium_context(bypass_csp=True) as context:
        browser_page = context.new_page()
        for user, paths in (
            (
                "ingrid",
                [
                    "/faktura/",
                    f"/faktura/{issued_invoice.uuid}/",
                    f"/faktura/{issued_invoice.uuid}/linjer/1/",
                ],
            ),
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
