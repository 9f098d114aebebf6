"""Governance in a real browser: KUD's coordinator raises an operative case, DSS lifts it
to tactical, and DFD sees it only once it reaches the strategic level. Plus an axe check of
the governance pages."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.test_accessibility import AXE, violations
from tests.test_browser import _login, pytestmark  # noqa: F401 - same skips
from tests.test_browser import page as page

TITLE = "Adgangskort før første arbeidsdag"


@pytest.fixture
def governance(personas):
    """The decision-rights table and a DSS manager (set up before the browser starts)."""
    from felles.core.actor import Actor
    from felles.governance import services
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    services.seed_decision_rights(actor=Actor.system("test"))
    personas.marte = make_person(personas.dss, "marte", roles=[Role.PROVIDER_MANAGER])
    return personas


def _open_cases(page, base: str) -> None:
    page.goto(f"{base}/styring/")


def test_case_climbs_the_ladder_and_reaches_dfd_only_at_strategic(
    governance, live_server, page
) -> None:
    base = live_server.url
    _login(page, base, "ingrid")
    page.get_by_role("link", name="Styring").click()
    page.get_by_role("link", name="Meld en sak").click()
    page.get_by_label("Tittel").fill(TITLE)
    page.get_by_label("Hva gjelder saken?").select_option(label="Rutiner og arbeidsprosesser")
    page.get_by_label("Leverandør").select_option(
        label="DSS – Departementenes sikkerhets- og serviceorganisasjon"
    )
    page.get_by_label("Nivå").select_option(label="Operativt")
    page.get_by_label("Beskrivelse").fill("Nyansatte venter to dager på adgangskort.")
    page.get_by_role("button", name="Meld saken").click()
    expect(page.get_by_text("ligger på operativt nivå hos DSS")).to_be_visible()
    page.get_by_role("button", name="Logg ut").click()

    # DFD does not see an operative case.
    _login(page, base, "anne")
    _open_cases(page, base)
    expect(page.get_by_role("link", name=TITLE)).to_have_count(0)
    page.get_by_role("button", name="Logg ut").click()

    # The provider lifts it to tactical.
    _login(page, base, "ole")
    _open_cases(page, base)
    page.get_by_role("link", name=TITLE).first.click()
    page.get_by_label("Hvorfor kan saken ikke avgjøres på dette nivået?").fill(
        "Krever endret bemanning i resepsjonen."
    )
    page.get_by_role("button", name="Løft saken").click()
    expect(page.get_by_text("Saken er løftet til taktisk nivå (DSS).")).to_be_visible()
    page.get_by_role("button", name="Logg ut").click()

    _login(page, base, "anne")
    _open_cases(page, base)
    assert page.get_by_role("link", name=TITLE).count() == 0  # still not DFD's
    page.get_by_role("button", name="Logg ut").click()

    # KUD disagrees with the provider and lifts it to the strategic level: DFD's.
    _login(page, base, "ingrid")
    _open_cases(page, base)
    page.get_by_role("link", name=TITLE).first.click()
    page.get_by_label("Hvorfor kan saken ikke avgjøres på dette nivået?").fill(
        "Uenige om finansieringen."
    )
    page.get_by_role("button", name="Løft saken").click()
    expect(page.get_by_text("Saken er løftet til strategisk nivå (DFD).")).to_be_visible()
    page.get_by_role("button", name="Logg ut").click()

    _login(page, base, "anne")
    _open_cases(page, base)
    expect(page.get_by_role("heading", name="Venter på din avgjørelse")).to_be_visible()
    page.get_by_role("link", name=TITLE).first.click()
    expect(page.get_by_role("button", name="Fatt vedtak")).to_be_visible()
    history = page.locator("ol").last.inner_text()
    assert "operativt → taktisk" in history and "taktisk → strategisk" in history


@pytest.mark.parametrize("language", ["nb", "en"])
def test_governance_pages_have_no_serious_violations(governance, live_server, language) -> None:
    from felles.core.actor import Actor
    from felles.governance import services
    from felles.governance.models import DecisionRight
    from tests.test_browser import chromium_context

    if not AXE.exists():
        pytest.skip("axe-core is installed by scripts/install.sh")
    case = services.raise_case(
        actor=Actor.system("test"),
        raised_by=governance.coordinator,
        right=DecisionRight.objects.get(code="priser"),
        provider=governance.dss,
        title="Priser",
        description="…",
    )
    series = services.save_series(
        actor=Actor.system("test"),
        provider=governance.dss,
        ministry=governance.kud,
        level="operative",
    )
    found = {}
    with chromium_context(bypass_csp=True) as context:
        browser_page = context.new_page()
        _login(browser_page, live_server.url, "anne")
        context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        )
        for path in (
            "/styring/",
            "/styring/saker/ny/",
            f"/styring/saker/{case.uuid}/",
            "/styring/vedtak/",
            "/styring/fullmakter/",
            "/styring/fullmakter/priser/",
            "/styring/rad/",
            "/dialog/",
            f"/dialog/{series.uuid}/",
            f"/dialog/{series.uuid}/pakke/",
        ):
            browser_page.goto(f"{live_server.url}{path}")
            problems = violations(browser_page)
            if problems:
                found[path] = problems
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)


JOURNEY = {
    "nb": {
        "menu": "Styring",
        "waiting": "Venter på din avgjørelse",
        "decision": "Vedtak",
        "reasons": "Begrunnelse",
        "decide": "Fatt vedtak",
        "done": "Vedtaket er fattet og publisert i vedtaksloggen.",
        "decided_by": "Avgjort av",
        "log": "Vedtaksloggen",
        "history": "Historikk",
    },
    "en": {
        "menu": "Governance",
        "waiting": "Waiting for your decision",
        "decision": "Decision",
        "reasons": "Reason",
        "decide": "Make the decision",
        "done": "The decision has been made and published in the decision log.",
        "decided_by": "Decided by",
        "log": "Decision log",
        "history": "History",
    },
}


@pytest.fixture
def pricing_case(governance):
    """A strategic pricing case whose consultation has closed: ready for DFD's decision."""
    import datetime as dt

    from django.utils import timezone

    from felles.core.actor import Actor
    from felles.governance import services
    from felles.governance.models import DecisionRight, Hearing

    case = services.raise_case(
        actor=Actor.system("test"),
        raised_by=governance.coordinator,
        right=DecisionRight.objects.get(code="priser"),
        provider=governance.dss,
        title="Prisene for 2027",
        description="DSS foreslår nye priser.",
    )
    Hearing.objects.filter(case=case).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    return case


@pytest.mark.parametrize("language", ["nb", "en"])
def test_dfd_decides_and_the_log_names_the_person(
    pricing_case, live_server, page, language
) -> None:
    """anne decides a case in her language; the case, its history and the decision log
    name her (Anne Testesen, DFD), never her username."""

    words = JOURNEY[language]
    base = live_server.url
    _login(page, base, "anne")
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
    )
    _open_cases(page, base)
    expect(page.get_by_role("heading", name=words["waiting"])).to_be_visible()
    page.get_by_role("link", name="Prisene for 2027").first.click()
    page.locator("#id_decision").fill("Prisene for 2027 vedtas.")
    page.locator("#id_reasons").fill("Fullkost etter modellen.")
    labels = page.locator("label[for=id_decision], label[for=id_reasons]").all_inner_texts()
    assert [label.rstrip(" *") for label in labels] == [words["decision"], words["reasons"]]
    page.get_by_role("button", name=words["decide"]).click()
    expect(page.get_by_text(words["done"])).to_be_visible()
    facts = page.locator("dl.felles-dl").inner_text()
    assert words["decided_by"] in facts and "Anne Testesen" in facts
    assert "anne (DFD)" not in page.content()
    history = page.locator("ol").last.inner_text()
    assert "Anne Testesen" in history and "system:" not in history

    page.goto(f"{base}/styring/vedtak/")
    assert page.title().startswith(words["log"])
    entry = page.locator("article").filter(has_text="Prisene for 2027").first
    assert "Prisene for 2027 vedtas." in entry.inner_text()
    assert "Anne Testesen" in entry.inner_text()
