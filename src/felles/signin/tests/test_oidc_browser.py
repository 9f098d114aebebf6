"""Sign-in through a real OpenID Connect provider (django-oidc-provider in its own
process, conftest.oidc_provider), in Debian's Chromium: the authorization-code flow with
PKCE, refusals, renewal, an expired token and logout."""

from __future__ import annotations

import datetime as dt
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connections
from playwright.sync_api import expect

from felles.signin.tests.conftest import PROVIDER_PASSWORD
from tests.test_browser import (
    chromium_context,
    pytestmark,  # noqa: F401 - same skips and database
)

BUTTON = "Logg inn med departementenes innlogging"


@pytest.fixture
def browser_context():
    with chromium_context() as context:
        yield context


@pytest.fixture
def page(browser_context):
    return browser_context.new_page()


def orm_done() -> None:
    """ORM work while the browser runs has a database connection of its own (inside
    Playwright's event loop): close it, or PostgreSQL finds the test database busy at
    teardown."""
    connections.close_all()


def provider_requests(page, provider) -> list[str]:
    """Every URL the browser asked the provider for, in order."""
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url) if r.url.startswith(provider.url) else None)
    return seen


def sign_in(page, base: str, username: str, *, from_login_page: bool = False) -> None:
    """From Felles's login page through the provider's own login form."""
    if not from_login_page:
        page.goto(f"{base}/logg-inn/")
    page.get_by_role("link", name=BUTTON).click()
    page.wait_for_selector("text=Test identity provider")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_sign_in_lands_on_the_home_page_as_the_matched_person(
    personas, oidc, live_server, page
) -> None:
    from felles.signin.models import ExternalIdentity

    asked = provider_requests(page, oidc)
    page.goto(f"{live_server.url}/personer/")
    assert "/logg-inn/" in page.url
    # The provider is offered first, above the password form.
    link = page.get_by_role("link", name=BUTTON)
    form = page.get_by_label("Brukernavn")
    assert link.bounding_box()["y"] < form.bounding_box()["y"]
    sign_in(page, live_server.url, "kari", from_login_page=True)
    page.wait_for_url(f"{live_server.url}/personer/")  # back where she was going
    page.goto(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Hei, Kari"
    assert "Kari Testesen (KUD)" in page.locator("header").inner_text()
    authorize = parse_qs(urlsplit(next(u for u in asked if "/authorize" in u)).query)
    assert authorize["code_challenge_method"] == ["S256"] and authorize["code_challenge"]
    assert authorize["response_type"] == ["code"] and authorize["nonce"]
    # Matched by e-mail the first time; the provider's oid is kept for the next.
    identity = ExternalIdentity.objects.get(person=personas.employee)
    orm_done()
    assert (identity.issuer, identity.subject) == (oidc.url, oidc.oid("kari"))


def test_a_person_matched_by_oid_keeps_access_after_an_e_mail_change(
    personas, oidc, live_server, page
) -> None:
    """The stable claim wins over the e-mail address: Per's address in Felles differs from
    the provider's, but his oid was linked before."""
    from felles.core.actor import Actor
    from felles.organisations import services
    from felles.signin.models import ExternalIdentity

    ExternalIdentity.objects.create(
        person=personas.manager, issuer=oidc.url, subject=oidc.oid("per")
    )
    services.save_person(
        actor=Actor.system("test"),
        organisation=personas.kud,
        values={"email": "per.ny@kud.dep.no"},
        person=personas.manager,
    )
    orm_done()
    sign_in(page, live_server.url, "per")
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Hei, Per"


def test_an_unknown_person_is_refused_with_a_page_that_says_why(
    personas, oidc, live_server, page
) -> None:
    from django.contrib.auth import get_user_model

    statuses = {}
    page.on("response", lambda r: statuses.setdefault(urlsplit(r.url).path, r.status))
    sign_in(page, live_server.url, "ukjent")
    page.wait_for_selector("h1:has-text('Du finnes ikke i Felles')")
    assert statuses["/oidc/callback/"] == 403
    expect(page.locator("main")).to_contain_text("personalimporten")
    page.goto(f"{live_server.url}/")
    assert "/logg-inn/" in page.url  # not signed in
    created = get_user_model().objects.filter(email__iexact="ukjent@kud.dep.no").exists()
    orm_done()
    assert not created
    # Signed in at the provider with the wrong account: it asks for the account again.
    page.get_by_role("link", name=BUTTON).click()  # straight back: no form, same account
    page.wait_for_selector("h1:has-text('Du finnes ikke i Felles')")
    page.get_by_role("link", name="Logg inn med en annen konto").click()
    page.get_by_label("Username").fill("kari")
    page.get_by_label("Password").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Hei, Kari"


def test_a_person_disabled_by_the_hr_import_loses_access_at_once(
    personas, oidc, live_server, page
) -> None:
    from felles.core.actor import Actor
    from felles.organisations import services

    sign_in(page, live_server.url, "ola")
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Hei, Ola"
    services.save_person(
        actor=Actor.system("hr-import"),
        organisation=personas.fin,
        values={"active": False},
        person=personas.outsider,
    )
    orm_done()
    page.reload()  # the same session, the very next request
    assert "/logg-inn/" in page.url
    page.get_by_role("link", name=BUTTON).click()  # still signed in at the provider
    page.wait_for_selector("h1:has-text('Tilgangen din er stengt')")


def test_the_sign_in_is_renewed_silently_and_a_lapsed_one_asks_again(
    personas, oidc, live_server, page, browser_context, settings
) -> None:
    settings.OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = 1
    asked = provider_requests(page, oidc)
    sign_in(page, live_server.url, "kari")
    page.wait_for_url(f"{live_server.url}/")
    time.sleep(1.2)
    asked.clear()
    page.goto(f"{live_server.url}/personer/")
    page.wait_for_url(f"{live_server.url}/personer/")  # renewed without a form
    renewal = [u for u in asked if "/authorize" in u]
    assert renewal and parse_qs(urlsplit(renewal[0]).query)["prompt"] == ["none"]
    assert "Hei" not in page.url and "Test identity provider" not in page.content()

    # Signed out at the provider meanwhile (its session gone): sign in again.
    browser_context.clear_cookies(name="op_session")
    time.sleep(1.2)
    page.goto(f"{live_server.url}/personer/")
    page.wait_for_url(f"{live_server.url}/logg-inn/")
    expect(page.locator("main")).to_contain_text("Økten din er utløpt. Logg inn på nytt.")
    page.goto(f"{live_server.url}/")
    assert "/logg-inn/" in page.url  # the Felles session ended too


def test_an_expired_id_token_is_refused_with_a_way_back(personas, oidc, live_server, page) -> None:
    """Felles's clock is past the token's expiry (the provider's tokens last ten minutes):
    the sign-in is refused with a page, never a server error."""
    import time_machine

    statuses = {}
    page.on("response", lambda r: statuses.setdefault(urlsplit(r.url).path, r.status))
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=15)
    with time_machine.travel(later, tick=True):
        sign_in(page, live_server.url, "kari")
        page.wait_for_selector("h1:has-text('Innloggingen kunne ikke bekreftes')")
    assert statuses["/oidc/callback/"] == 400
    page.get_by_role("link", name="Prøv å logge inn igjen").click()
    page.wait_for_url(f"{live_server.url}/logg-inn/")
    page.get_by_role("link", name=BUTTON).click()  # on time again: straight in
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Hei, Kari"


def test_logout_ends_the_session_here_and_at_the_provider(
    personas, oidc, live_server, page
) -> None:
    asked = provider_requests(page, oidc)
    sign_in(page, live_server.url, "kari")
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url(f"{live_server.url}/logg-inn/")
    ended = [u for u in asked if "/end-session" in u]
    assert ended, asked
    query = parse_qs(urlsplit(ended[0]).query)
    assert query["post_logout_redirect_uri"] == [f"{live_server.url}/logg-inn/"]
    assert query["id_token_hint"]
    expect(page.locator("main")).to_contain_text("Du er logget ut.")
    page.goto(f"{live_server.url}/")
    assert "/logg-inn/" in page.url
    # The provider asks for the password again: its session ended as well.
    page.get_by_role("link", name=BUTTON).click()
    page.wait_for_selector("text=Test identity provider")


def test_with_password_sign_in_off_only_the_provider_is_offered(
    personas, oidc, live_server, page, settings
) -> None:
    settings.FELLES_PASSWORD_LOGIN = False
    page.goto(f"{live_server.url}/logg-inn/")
    expect(page.get_by_role("link", name=BUTTON)).to_be_visible()
    expect(page.get_by_label("Passord")).to_have_count(0)
    sign_in(page, live_server.url, "kari")
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Hei, Kari"
