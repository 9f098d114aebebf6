"""Security and preparedness in a real browser: Kari reports an incident, KUD's security
coordinator follows it up, FIN's adviser gets 404, and DFD sees it only as a count in the
quarterly statistics; Per (KUD's leader) signs off the ROS analysis the coordinator could
not sign."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.test_browser import _login, pytestmark  # noqa: F401 - same skips
from tests.test_browser import page as page


@pytest.fixture
def security(personas):
    """KUD's security coordinator, two earlier KUD incidents this quarter (so the count is
    not suppressed) and KUD's ROS analysis with one risk (set up before the browser)."""
    from felles.core.actor import Actor
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person
    from felles.preparedness import services

    actor = Actor.system("test")
    personas.knut = make_person(personas.kud, "knut", roles=[Role.SECURITY_COORDINATOR])
    now = timezone.now()
    start_of_quarter = now.replace(month=(now.month - 1) // 3 * 3 + 1, day=1, hour=8)
    for who in (personas.manager, personas.coordinator):
        services.report_incident(
            actor=actor,
            reporter=who,
            kind="digital",
            occurred_at=max(start_of_quarter, now - dt.timedelta(hours=2)),
            severity=1,
            summary="Mistenkelig e-post",
        )
    analysis = services.create_analysis(
        actor=actor,
        title="ROS-analyse KUD",
        scope="Kontorlokaler og møterom",
        ministries=[personas.kud],
        created_by=personas.knut,
    )
    services.add_risk(
        actor=actor,
        analysis=analysis,
        asset="Møterom",
        threat="Avlytting",
        vulnerability="Mobiler i møter",
        likelihood=3,
        consequence=4,
        residual_likelihood=2,
        residual_consequence=3,
    )
    return personas


def test_incident_to_coordinator_to_dfd_statistics_and_ros_sign_off(
    security, live_server, page
) -> None:
    base = live_server.url
    _login(page, base, "kari")
    page.get_by_role("link", name="Sikkerhet og beredskap").first.click()
    page.get_by_role("link", name="Meld en sikkerhetshendelse").click()
    expect(page.get_by_text("Bare metadata: skriv aldri gradert informasjon").first).to_be_visible()
    page.get_by_label("Type hendelse").select_option(label="Tap av utstyr eller dokumenter")
    when = timezone.localtime() - dt.timedelta(minutes=30)
    page.get_by_label("Når skjedde det?").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Alvorlighet").select_option(label="Moderat")
    page.get_by_label("Skal rapporteres til NSM").check()
    page.get_by_label("Kort beskrivelse").fill("Mistet adgangskort på vei hjem.")
    page.get_by_role("button", name="Meld hendelsen").click()
    expect(page.get_by_text("Hendelsen er meldt.")).to_be_visible()
    incident_url = page.url
    page.get_by_role("button", name="Logg ut").click()

    # KUD's security coordinator sees it and follows it up.
    _login(page, base, "knut")
    page.goto(f"{base}/beredskap/")
    page.get_by_role("link", name="Tap av utstyr eller dokumenter").click()
    expect(page.get_by_text("Mistet adgangskort på vei hjem.")).to_be_visible()
    page.get_by_label("Tiltak").fill("Sperre kortet og utstede nytt")
    page.get_by_label("Ansvarlig").select_option(index=1)
    page.get_by_label("Frist").fill((timezone.localdate() + dt.timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Legg til tiltak").click()
    expect(page.get_by_text("Tiltaket er lagt til.")).to_be_visible()
    # The coordinator cannot sign the ministry's analysis: no button for him.
    page.goto(f"{base}/beredskap/ros/")
    page.get_by_role("link", name="ROS-analyse KUD").click()
    expect(page.get_by_role("button", name="Godkjenn analysen")).to_have_count(0)
    page.get_by_role("button", name="Logg ut").click()

    # FIN's adviser: the incident does not exist for him.
    _login(page, base, "ola")
    response = page.goto(incident_url)
    assert response is not None and response.status == 404
    page.context.clear_cookies()

    # DFD sees a count, not the incident.
    _login(page, base, "anne")
    response = page.goto(incident_url)
    assert response is not None and response.status == 404
    page.goto(f"{base}/beredskap/statistikk/")
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="KUD"))
    assert row.get_by_role("cell").first.inner_text().strip() == "3"
    expect(page.get_by_text("Mistet adgangskort")).to_have_count(0)
    page.get_by_role("button", name="Logg ut").click()

    # KUD's leader signs the analysis off.
    _login(page, base, "per")
    page.goto(f"{base}/beredskap/")
    page.get_by_role("link", name="ROS-analyse KUD").first.click()
    page.get_by_role("button", name="Godkjenn analysen").click()
    expect(page.get_by_text("Analysen er godkjent for departementet.")).to_be_visible()
    expect(page.get_by_text("KUD: godkjent av Per")).to_be_visible()


def test_preparedness_pages_have_no_serious_violations(security, live_server) -> None:
    import json

    from felles.preparedness.models import Analysis, Incident
    from tests.test_accessibility import AXE, violations
    from tests.test_browser import chromium_context

    if not AXE.exists():
        pytest.skip("axe-core is installed by scripts/install.sh")
    incident = Incident.objects.first()
    analysis = Analysis.objects.get()
    found = {}
    with chromium_context(bypass_csp=True) as context:
        browser_page = context.new_page()
        _login(browser_page, live_server.url, "knut")
        for path in (
            "/beredskap/",
            "/beredskap/hendelser/",
            f"/beredskap/hendelser/{incident.uuid}/",
            "/beredskap/ros/",
            f"/beredskap/ros/{analysis.uuid}/",
            "/beredskap/ovelser/",
            "/beredskap/lager/",
            "/beredskap/anskaffelser/",
            "/beredskap/egenrapportering/",
        ):
            browser_page.goto(f"{live_server.url}{path}")
            problems = violations(browser_page)
            if problems:
                found[path] = problems
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
