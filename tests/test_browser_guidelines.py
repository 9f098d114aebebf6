"""Guidelines in a real browser: DSS (Marte) proposes a routine and sends it on hearing,
DFD (Anne) adopts it once the hearing has closed, KUD (Per) records an exception with an
end date (after a clear error for a missing one), and DFD's matrix shows it. The adoption
is announced to the ministries as a notice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.test_browser import _login, pytestmark  # noqa: F401 - same skips
from tests.test_browser import page as page

TITLE = "Felles rutine for reiseregninger"


@pytest.fixture
def library(personas):
    """The seed catalogue and DSS's manager (set up before the browser starts)."""
    from felles.catalog import services as catalog_services
    from felles.core.actor import Actor
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    catalog_services.seed_catalogue(actor=Actor.system("test"), price_from=dt.date(2026, 1, 1))
    personas.marte = make_person(personas.dss, "marte", roles=[Role.PROVIDER_MANAGER])
    return personas


def _logout(page) -> None:
    page.get_by_role("button", name="Logg ut").click()


def test_dss_proposes_dfd_adopts_kud_records_an_exception(library, live_server, page) -> None:
    from felles.governance.models import Hearing

    base = live_server.url
    today = timezone.localdate()
    ends_on = today + dt.timedelta(days=200)

    # DSS proposes a routine and sends it on hearing.
    _login(page, base, "marte")
    page.goto(f"{base}/retningslinjer/")
    page.get_by_role("link", name="Ny retningslinje").first.click()
    page.get_by_label("Tittel").fill(TITLE)
    page.get_by_label("Kode").fill("reiseregninger")
    page.get_by_label("Type").select_option(label="Rutine")
    page.get_by_label("Tjenesteområde").select_option(label="Service- og kontorstøttefunksjoner")
    page.get_by_label("Eier").select_option(
        label="DSS – Departementenes sikkerhets- og serviceorganisasjon"
    )
    page.get_by_label("Tekst").fill(
        "# Frist\nReiseregningen leveres innen en måned.\n\n- Kvitteringer skannes"
    )
    page.get_by_label("Gjelder fra").fill(str(today + dt.timedelta(days=14)))
    page.get_by_label("Svarfrist for departementene").fill(str(today + dt.timedelta(days=45)))
    page.get_by_role("button", name="Lagre utkastet").click()
    expect(page.get_by_text("Utkastet er lagret.")).to_be_visible()
    page.get_by_role("button", name="Send på høring").click()
    expect(page.get_by_text("Versjonen er sendt på høring som sak")).to_be_visible()
    _logout(page)

    # Every ministry has been heard (the deadline has passed).
    Hearing.objects.update(deadline=today - dt.timedelta(days=1))

    # DFD adopts it: the case is decided and the version applies.
    _login(page, base, "anne")
    page.goto(f"{base}/retningslinjer/reiseregninger/")
    page.get_by_label("Begrunnelse").fill("Høringen støtter rutinen.")
    page.get_by_role("button", name="Vedta", exact=True).click()
    expect(
        page.get_by_text("Versjonen er vedtatt og kunngjort for departementene.")
    ).to_be_visible()
    _logout(page)

    # KUD records an exception: first without an end date (a clear error), then with one.
    _login(page, base, "per")
    page.goto(f"{base}/retningslinjer/reiseregninger/")
    page.get_by_label("Unntak", exact=True).check()
    page.get_by_label("Begrunnelse for unntaket").fill("Egen avtale for kunstnerreiser.")
    page.get_by_role("button", name="Lagre svaret").click()
    expect(page.get_by_text("Et unntak må ha en sluttdato.").first).to_be_visible()
    page.get_by_label("Unntaket gjelder til").fill(str(ends_on))
    page.get_by_role("button", name="Lagre svaret").click()
    expect(page.get_by_text("Svaret fra KUD er registrert.")).to_be_visible()
    # KUD sees the adoption announced.
    page.goto(f"{base}/kunngjoringer/")
    expect(page.get_by_role("link", name=f"Ny retningslinje: {TITLE}")).to_be_visible()
    _logout(page)

    # DFD's matrix shows KUD's exception and its end date.
    _login(page, base, "anne")
    page.goto(f"{base}/retningslinjer/")
    page.get_by_role("link", name="Innføring i departementene").click()
    row = page.get_by_role("row").filter(has_text=TITLE)
    cells = row.get_by_role("cell")
    text = row.inner_text()
    assert "Unntak" in text and ends_on.strftime("%d.%m.%Y") in text
    assert cells.count() >= 2


@pytest.fixture
def adopted_guideline(library):
    """DFD's own guideline, adopted after its hearing, with its notice (before the
    browser starts)."""
    from felles.core.actor import Actor
    from felles.governance.models import Hearing
    from felles.guidelines import services
    from felles.guidelines.models import Guideline

    anne = Actor(user=library.governance.user, request_id="test")
    today = timezone.localdate()
    version = services.create_guideline(
        actor=anne,
        code="instruks",
        title="Felles instruks",
        kind="guideline",
        area=Guideline._meta.get_field("area").related_model.objects.get(code="sikkerhet"),
        owner=library.dfd,
        text="# Instruks\n- Skjermlås",
        effective_from=today,
        respond_by=today + dt.timedelta(days=30),
    )
    version = services.send_to_hearing(actor=anne, version=version)
    Hearing.objects.update(deadline=today - dt.timedelta(days=1))
    services.adopt_version(actor=anne, version=version, reasons="Støttet.")
    return version


@pytest.mark.parametrize("language", ["nb", "en"])
def test_guideline_and_notice_pages_have_no_serious_violations(
    adopted_guideline, live_server, language
) -> None:
    import json

    from django.conf import settings

    from felles.notices.models import Notice
    from tests.test_accessibility import AXE, violations
    from tests.test_browser import chromium_context

    if not AXE.exists():
        pytest.skip("axe-core is installed by scripts/install.sh")
    notice = Notice.objects.get()
    found = {}
    with chromium_context(bypass_csp=True) as context:
        browser_page = context.new_page()
        _login(browser_page, live_server.url, "anne")
        context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        )
        for path in (
            "/retningslinjer/",
            "/retningslinjer/ny/",
            "/retningslinjer/instruks/",
            "/retningslinjer/instruks/versjon/",
            "/retningslinjer/instruks/utskrift/",
            "/retningslinjer/matrise/",
            "/kunngjoringer/",
            "/kunngjoringer/ny/",
            f"/kunngjoringer/{notice.uuid}/",
        ):
            browser_page.goto(f"{live_server.url}{path}")
            problems = violations(browser_page)
            if problems:
                found[path] = problems
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
