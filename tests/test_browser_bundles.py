"""Onboarding in a real browser (issue 19): Per orders «Ny medarbeider» for an adviser
starting in three weeks from the catalogue; the bundle's form creates the children his
answers call for; they reach the DSS and DIO queues with deadlines counted back from the
start date; when the last child closes Per sees «Klar til første dag»; FIN's Ola sees
none of it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from felles.core.calendar import add_working_days
from tests.test_browser import _login, pytestmark  # noqa: F401 - same skips
from tests.test_browser import page as page


@pytest.fixture
def onboarding(shop):
    """The seed bundles and a DIO agent serving KUD (made before the browser starts)."""
    from felles.bundles import services
    from felles.core.actor import Actor
    from felles.organisations.models import Organisation, Role
    from felles.organisations.tests.factories import make_person

    services.seed_bundles(actor=Actor.system("test"))
    dio = Organisation.objects.get(abbreviation="DIO")
    shop.dio_agent = make_person(dio, "dina", roles=[Role.PROVIDER_AGENT], serves=[shop.kud])
    return shop


def _finish(order, agent) -> None:
    from felles.core.actor import Actor
    from felles.orders import services

    system = Actor.system("test")
    for step in order.steps.order_by("position"):
        step.refresh_from_db()
        if step.state == "pending":
            services.decide(
                actor=system,
                step=step,
                decider=step.approver,
                on_behalf_of=step.approver,
                approve=True,
            )
    order.refresh_from_db()
    services.take(actor=system, order=order, agent=agent)
    services.resolve(actor=system, order=order, agent=agent, resolution="Klart.")
    services.confirm(actor=system, order=order, person=order.orderer)


def test_per_orders_onboarding_and_sees_ready_for_day_one(onboarding, live_server, page) -> None:
    from playwright.sync_api import expect

    from felles.bundles import rules
    from felles.bundles.models import BundleLink

    base = live_server.url
    start = add_working_days(timezone.localdate(), 15)
    _login(page, base, "per")
    service = onboarding.services["hr-onboarding"]
    page.goto(f"{base}/tjenester/{service.uuid}/")
    page.get_by_role("link", name="Bestill", exact=True).click()
    expect(page).to_have_url(f"{base}/pakke/{service.uuid}/")
    page.get_by_label("Navn på medarbeideren").fill("Nora Ny")
    page.get_by_label("Enhet").select_option(str(onboarding.unit.uuid))
    page.get_by_label("Første arbeidsdag").fill(start.isoformat())
    page.locator("#id_stilling").fill("Rådgiver")
    page.get_by_label("Klareringsbehov").select_option("Ingen")
    page.get_by_label("PC", exact=True).check()
    page.get_by_label("Adgangskort", exact=True).check()
    page.get_by_role("button", name="Send bestilling").click()
    section = page.locator("#bundle-children")
    expect(section).to_contain_text("0 av 3 delbestillinger levert")
    expect(section).to_contain_text("Bærbar PC")
    expect(section).to_contain_text("Adgangskort")

    links = {
        link.child.service.code: link
        for link in BundleLink.objects.select_related("child__service", "parent")
    }
    assert set(links) == {"ikt-tilgang", "ikt-pc", "srv-adgangskort"}
    assert links["ikt-pc"].due_date == rules.due_date(start, -5)
    parent = links["ikt-pc"].parent

    # Per's line manager approves; the children reach the DSS and DIO queues.
    from felles.core.actor import Actor
    from felles.orders import services

    for link in links.values():
        for step in link.child.steps.filter(state="pending"):
            services.decide(
                actor=Actor.system("test"),
                step=step,
                decider=step.approver,
                on_behalf_of=step.approver,
                approve=True,
            )
    page.context.clear_cookies()
    _login(page, base, "ole")
    page.goto(f"{base}/ko/")
    expect(page.locator("main")).to_contain_text(links["srv-adgangskort"].child.number)
    expect(page.locator("main")).not_to_contain_text(links["ikt-pc"].child.number)
    # The parent is a container, not work: it is in no queue.
    expect(page.locator("main")).not_to_contain_text(parent.number)
    page.context.clear_cookies()
    _login(page, base, "dina")
    page.goto(f"{base}/ko/")
    expect(page.locator("main")).to_contain_text(links["ikt-pc"].child.number)
    expect(page.locator("main")).to_contain_text(links["ikt-tilgang"].child.number)

    # Each provider delivers; the last child closing makes the bundle ready.
    _finish(links["srv-adgangskort"].child, onboarding.agent)
    _finish(links["ikt-pc"].child, onboarding.dio_agent)
    _finish(links["ikt-tilgang"].child, onboarding.dio_agent)
    page.context.clear_cookies()
    _login(page, base, "per")
    page.goto(f"{base}/bestillinger/{parent.uuid}/")
    expect(page.locator("#bundle-children")).to_contain_text("Klar til første dag")

    # FIN's users see none of it.
    page.context.clear_cookies()
    _login(page, base, "ola")
    response = page.goto(f"{base}/bestillinger/{parent.uuid}/")
    assert response is not None and response.status == 404
    response = page.goto(f"{base}/bestillinger/{links['ikt-pc'].child.uuid}/")
    assert response is not None and response.status == 404
