"""A confidential service in a real browser (issue 18): Kari orders legal aid; the order
form says nobody approves and her leader does not see it; her leader Per and KUD's
ordering coordinator never see the case; Tor in DSS's handling team takes and resolves it
from the queue (Ole, another DSS agent, does not see it); Kari sees who read her case."""

from __future__ import annotations

import pytest

from tests.test_browser import _login, pytestmark  # noqa: F401 - same skips
from tests.test_browser import page as page


@pytest.fixture
def legal(shop):
    """DSS's handling team for legal aid: Tor, serving KUD. Made before the browser."""
    from felles.catalog import services as catalog_services
    from felles.core.actor import Actor
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    shop.team = make_person(shop.dss, "tor", roles=[Role.PROVIDER_AGENT], serves=[shop.kud])
    service = shop.services["hr-juridisk"]
    catalog_services.set_confidentiality(
        actor=Actor.system("test"),
        service=service,
        confidentiality=service.confidentiality,
        reason_nb=service.confidentiality_reason_nb,
        reason_en=service.confidentiality_reason_en,
        team=[shop.team],
    )
    shop.legal = service
    return shop


def _as(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    _login(page, base, username)


def test_legal_aid_is_seen_by_the_orderer_and_the_handling_team_only(
    legal, live_server, page
) -> None:
    from playwright.sync_api import expect

    from felles.orders.models import Order

    base = live_server.url
    _as(page, base, "kari")
    page.goto(f"{base}/tjenester/{legal.legal.uuid}/")
    main = page.locator("main")
    expect(main).to_contain_text("Hvem ser bestillingen?")
    expect(main).to_contain_text("varsling, oppsigelse")
    page.get_by_role("link", name="Bestill", exact=True).click()
    expect(page.locator("#approval-chain")).to_contain_text("verken lederen din")
    expect(page.locator("#approval-chain")).not_to_contain_text("Per Testesen")
    page.locator("select[name='gjelder']").select_option(str(legal.employee.uuid))
    page.get_by_label("Beskrivelse").fill("Jeg vil varsle om forhold hos min leder.")
    page.get_by_role("button", name="Send bestilling").click()
    expect(main).to_contain_text("Mottatt hos leverandøren")
    order = Order.objects.get(service=legal.legal)
    url = f"{base}/bestillinger/{order.uuid}/"

    # Her leader and the ministry's ordering coordinator never see it.
    for username, pages in (
        ("per", ["/godkjenning/", "/bestillinger/"]),
        ("ingrid", ["/bestillinger/departementet/", "/bestillinger/"]),
        ("ole", ["/ko/"]),
    ):
        _as(page, base, username)
        for path in pages:
            page.goto(f"{base}{path}")
            expect(main).not_to_contain_text(order.number)
        assert page.goto(url).status == 404

    # The handling team takes and resolves it from the queue and the order page.
    _as(page, base, "tor")
    page.goto(f"{base}/ko/")
    page.get_by_role("button", name=f"Ta saken {order.number}").click()
    expect(page.locator(f"#q-{order.uuid}")).to_contain_text("Du har tatt saken.")
    page.goto(url)
    expect(main).to_contain_text("Jeg vil varsle om forhold hos min leder.")
    page.get_by_label("Hva er levert?").fill("Råd gitt i samtale 2. desember.")
    page.get_by_role("button", name="Marker som levert").click()
    expect(page.locator("#order-live")).to_contain_text("Saken er markert som levert.")

    # Kari sees who has read her case.
    _as(page, base, "kari")
    page.goto(url)
    reads = page.locator("#order-live")
    expect(reads).to_contain_text("Hvem har sett saken min")
    expect(reads).to_contain_text("Tor Testesen (DSS)")
