"""The shell in a real browser: the header's search and its live results."""

from __future__ import annotations

from tests.test_browser import _login, page, pytestmark  # noqa: F401 - same fixtures, skips


def test_header_search_finds_a_service_and_updates_in_place(
    personas,
    seeded_catalogue,
    live_server,
    page,  # noqa: F811 - the fixture
) -> None:
    base = live_server.url
    _login(page, base, "kari")
    page.get_by_label("Finn tjenester, bestillinger og personer").fill("møterom")
    page.locator(".felles-header__search").get_by_role("button", name="Søk").click()
    page.wait_for_url(f"{base}/sok/?q=m%C3%B8terom")
    services = page.locator("section[aria-labelledby=hits-services]")
    assert services.get_by_role("link", name="Møterom og konferanse").count() == 1
    page.evaluate("window.notReloaded = true")
    page.locator("#search-q").fill("renhold")
    services.get_by_role("link", name="Ekstra renhold").wait_for()
    assert page.evaluate("window.notReloaded === true")
    assert "q=renhold" in page.url  # the live result is linkable
    people = page.locator("section[aria-labelledby=hits-people]")
    page.locator("#search-q").fill("Per")
    people.get_by_role("link", name="Per Testesen").wait_for()
    page.locator("#search-q").fill("Ola")  # FIN's Ola is not Kari's to find
    people.get_by_text("Ingen personer du kan se, passer søket.").wait_for()
