"""An FOI request in a real browser (issue 21): Hilde (DIO's FOI team) imports eInnsyn's
order file for KUD, received Tuesday 31 March 2026; she prepares two items (partial access
under § 13 with a redaction note, full access) and names Per, KUD's case owner; Per decides
both and registers the answer drafted with the legal references and the appeal deadline,
sent Wednesday 8 April. By hand: Wednesday 1 April is working day 1, Maundy Thursday to
Easter Monday (2–6 April) are holidays, Tuesday 7 is 2, Wednesday 8 is 3: N = 3, and the
appeal deadline is 8 April + 3 weeks = Wednesday 29 April. DFD's statistics count it as
answered in 3 working days; FIN's Ola sees nothing of it."""

from __future__ import annotations

import re

import pytest

from tests.test_browser import _login, pytestmark  # noqa: F401 - same skips
from tests.test_browser import page as page


@pytest.fixture
def foi(personas, seeded_catalogue):
    from felles.foi.tests.factories import foi_cast

    return foi_cast(personas)


def test_einnsyn_request_prepared_decided_answered_and_counted(foi, live_server, page) -> None:
    from playwright.sync_api import expect

    from felles.foi.tests.factories import EXAMPLE

    base = live_server.url
    _login(page, base, "hilde")
    page.goto(f"{base}/innsyn/import/")
    page.get_by_label("Bestillingsfil fra eInnsyn (XML)").set_input_files(str(EXAMPLE))
    page.get_by_role("button", name="Importer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Innsynskrav")
    request_url = page.url
    expect(page.locator("body")).to_contain_text("31.03.2026")
    expect(page.locator("body")).to_contain_text("10.04.2026")  # deemed refused after
    expect(page.locator("body")).to_contain_text("Fristene kommer fra loven")

    page.get_by_label("Saksansvarlig i departementet").select_option(str(foi.manager.pk))
    page.get_by_role("button", name="Velg saksansvarlig").click()
    expect(page.locator("body")).to_contain_text("Saksansvarlig er valgt.")

    page.get_by_role("link", name="2026/1187-4").click()
    page.get_by_label("Utfall").select_option("partial")
    page.get_by_label("Hjemmel: offentleglova §").fill("13")
    page.get_by_label("ledd", exact=True).fill("1")
    page.get_by_label("jf. (taushetsplikt i annen lov)").fill("fvl. § 13 første ledd nr. 1")
    page.get_by_label("Hva som er unntatt (sladdet)").fill("Navn på søkerne er sladdet.")
    page.get_by_role("button", name="Lagre forslag").click()
    expect(page.locator("body")).to_contain_text("Vurderingen er lagret.")
    page.get_by_role("link", name="2026/1187-5").click()
    page.get_by_label("Utfall").select_option("full")
    page.get_by_role("button", name="Lagre forslag").click()
    expect(page.locator("body")).to_contain_text("Vurderingen er lagret.")

    page.context.clear_cookies()
    _login(page, base, "per")
    for link in ("2026/1187-4", "2026/1187-5"):
        page.goto(request_url)
        page.get_by_role("link", name=link).click()
        page.get_by_role("button", name="Fatt vedtak").click()
        expect(page.locator("body")).to_contain_text("Vurderingen er lagret.")
    draft = page.get_by_label("Svar til innsynskreveren")
    expect(draft).to_have_value(re.compile(r"offl\. § 13 første ledd, jf\. fvl\. § 13"))
    expect(draft).to_have_value(re.compile("Navn på søkerne er sladdet"))
    expect(draft).to_have_value(re.compile(r"Klagefristen er tre uker.*innen \d+\. \w+ \d{4}"))
    expect(draft).to_have_value(re.compile("Kongen i statsråd"))
    page.get_by_label("Sendt").fill("2026-04-08")
    # The draft states the deadline for an answer sent today; sent on 8 April, the letter
    # must say 29 April, or registering it is refused.
    page.get_by_role("button", name="Registrer svaret som sendt").click()
    expect(page.locator("body")).to_contain_text("den skal være 29. april 2026")
    page.get_by_label("Sendt").fill("2026-04-08")
    text = re.sub(r"innen \d+\. \w+ \d{4}", "innen 29. april 2026", draft.input_value())
    draft.fill(text)
    page.get_by_role("button", name="Registrer svaret som sendt").click()
    expect(page.locator("body")).to_contain_text("Svaret er registrert som sendt.")
    expect(page.locator("body")).to_contain_text("3 arbeidsdager")
    expect(page.locator("body")).to_contain_text("29.04.2026")

    page.context.clear_cookies()
    _login(page, base, "anne")
    page.goto(f"{base}/innsyn/statistikk/?start=2026-01-01&end=2026-12-31")
    row = page.get_by_test_id("foi-statistics").locator("tr", has_text="KUD")
    # KUD: 1 request, 2 items, 1 answered, median 3, 90th percentile 3; every window is
    # over (March), so within 1: 0 of 1 = 0 %, within 3: 1 of 1, within 5: 1 of 1.
    expect(row).to_contain_text(
        re.compile(
            r"KUD\s*1\s*2\s*1\s*3\s*3\s*0,0\s*%\s*\(0 av 1\)\s*100,0\s*%\s*\(1 av 1\)"
            r"\s*100,0\s*%\s*\(1 av 1\)"
        )
    )
    assert page.goto(request_url).status == 404

    page.context.clear_cookies()
    _login(page, base, "ola")
    assert page.goto(request_url).status == 404
    assert page.goto(f"{base}/innsyn/").status == 403
    assert page.goto(f"{base}/innsyn/statistikk/").status == 403
