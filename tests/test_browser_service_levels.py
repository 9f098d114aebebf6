"""A provider manager changes a service's level in the browser: the page lists the levels,
refuses targets in the wrong order with a message on the field, saves a new level from a
later date, and has no serious accessibility violations."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.test_accessibility import AXE, violations
from tests.test_browser import _login, chromium_context, pytestmark  # noqa: F401 - same skips


@pytest.fixture
def marte(personas, seeded_catalogue):
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    return make_person(personas.dss, "marte", roles=[Role.PROVIDER_MANAGER])


@pytest.fixture
def page():
    # axe is injected as a script; the page's own CSP would (rightly) refuse it.
    with chromium_context(bypass_csp=True) as context:
        yield context.new_page()


def test_a_manager_adds_a_service_level(marte, live_server, page) -> None:
    from felles.catalog.models import Service, ServiceLevel

    base = live_server.url
    rooms = Service.objects.get(code="srv-moterom")
    _login(page, base, "marte")
    page.goto(f"{base}/tjenester/{rooms.uuid}/")
    text = page.locator("main").inner_text()
    assert "Åpningstid: Hverdager 08:00–15:45" in text and "Slik foregår det" in text
    page.get_by_role("link", name="Endre servicenivået").click()
    page.wait_for_url(f"{base}/tjenester/{rooms.uuid}/servicenivaa/")
    if AXE.exists():
        assert violations(page) == []
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()  # noqa: DTZ011
    page.get_by_label("Gyldig fra").fill(tomorrow)
    page.get_by_label("Normal: første svar (timer)").fill("4")
    page.get_by_label("Normal: løst innen (timer)").fill("3")
    page.get_by_role("button", name="Lagre nytt servicenivå").click()
    expect(page.locator("main")).to_contain_text(
        "Løst innen kan ikke være kortere enn første svar."
    )
    assert ServiceLevel.objects.filter(service=rooms).count() == 1
    page.get_by_label("Normal: løst innen (timer)").fill("12")
    page.get_by_role("button", name="Lagre nytt servicenivå").click()
    page.wait_for_url(f"{base}/tjenester/{rooms.uuid}/servicenivaa/")
    expect(page.locator("body")).to_contain_text("Det nye servicenivået er lagret.")
    new = ServiceLevel.objects.get(service=rooms, valid_to__isnull=True)
    assert (new.normal_response, new.normal_resolution) == (4, 12)
    assert new.valid_from.isoformat() == tomorrow
