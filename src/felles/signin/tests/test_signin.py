"""Sign-in without the browser: who a provider identity is, what the login page offers,
which sessions are renewed or refused. The flow itself runs against a real provider in
test_oidc_browser.py."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from felles.core.actor import Actor
from felles.core.errors import Forbidden
from felles.organisations import services as people
from felles.organisations.tests.factories import TEST_PASSWORD
from felles.signin import selectors, services
from felles.signin.backends import OidcBackend, provider_attempt
from felles.signin.models import ExternalIdentity

ISSUER = "https://login.example.test/tenant/v2.0"
OIDC_BACKEND = "felles.signin.backends.OidcBackend"


@pytest.fixture
def provider(settings):
    """A configured provider with explicit endpoints (nothing is fetched)."""
    settings.OIDC_RP_CLIENT_ID = "felles"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://login.example.test/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://login.example.test/token"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://login.example.test/keys"
    settings.OIDC_OP_END_SESSION_ENDPOINT = "https://login.example.test/logout"
    settings.OIDC_OP_ISSUER = ISSUER
    return settings


# --- who the identity is -----------------------------------------------------------------


def test_the_stable_identifier_wins_over_the_e_mail_address(personas) -> None:
    ExternalIdentity.objects.create(person=personas.manager, issuer=ISSUER, subject="oid-per")
    match = selectors.match_person(issuer=ISSUER, subject="oid-per", email="kari@kud.dep.no")
    assert match is not None and match.person == personas.manager and match.identity


def test_a_first_sign_in_matches_by_employee_number_then_by_e_mail(personas) -> None:
    by_number = selectors.match_person(
        issuer=ISSUER, subject="new", email="ola@fin.dep.no", employee_number="T-kari"
    )
    assert by_number is not None and by_number.person == personas.employee
    by_email = selectors.match_person(issuer=ISSUER, subject="new", email="KARI@kud.dep.no")
    assert by_email is not None and by_email.person == personas.employee
    assert by_email.identity is None and not by_email.linked_elsewhere


def test_an_employee_number_two_ministries_share_names_nobody(personas, actor) -> None:
    people.save_person(
        actor=actor,
        organisation=personas.fin,
        values={"employee_number": "T-kari"},
        person=personas.outsider,
    )
    assert selectors.match_person(issuer=ISSUER, subject="x", employee_number="T-kari") is None


def test_nobody_is_matched_from_an_unknown_address(personas) -> None:
    assert selectors.match_person(issuer=ISSUER, subject="x", email="ny@kud.dep.no") is None
    assert selectors.match_person(issuer=ISSUER, subject="x") is None


def test_an_address_taken_over_at_the_provider_does_not_give_the_person(personas) -> None:
    """Kari is linked to one account; another account showing her address is refused."""
    ExternalIdentity.objects.create(person=personas.employee, issuer=ISSUER, subject="oid-kari")
    match = selectors.match_person(issuer=ISSUER, subject="oid-other", email="kari@kud.dep.no")
    assert match is not None and match.linked_elsewhere


def test_only_the_person_signing_in_links_an_identity_and_it_is_audited(personas) -> None:
    from felles.core.models import AuditEvent

    with pytest.raises(Forbidden):
        services.link_identity(
            actor=Actor(user=personas.manager.user),
            person=personas.employee,
            issuer=ISSUER,
            subject="oid-kari",
        )
    identity = services.link_identity(
        actor=Actor(user=personas.employee.user),
        person=personas.employee,
        issuer=ISSUER,
        subject="oid-kari",
    )
    event = AuditEvent.objects.get(action="signin.identity.link")
    assert event.object_id == str(identity.uuid) and event.actor == personas.employee.user


# --- the session on every request ---------------------------------------------------------


def test_a_provider_session_ends_when_the_person_is_made_inactive(personas, actor) -> None:
    client = Client()
    client.force_login(personas.employee.user, backend=OIDC_BACKEND)
    assert client.get("/").status_code == 200
    people.save_person(
        actor=actor,
        organisation=personas.kud,
        values={"active": False},
        person=personas.employee,
    )
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/logg-inn/")


def test_the_session_user_comes_with_the_person_in_one_query(
    personas, django_assert_num_queries
) -> None:
    with django_assert_num_queries(1):
        user = OidcBackend().get_user(personas.employee.user.pk)
        assert user.person.organisation.abbreviation == "KUD"
        assert user.person.unit.name == "Kulturavdelingen"


def test_a_due_provider_session_is_renewed_with_prompt_none(personas, provider) -> None:
    client = Client()
    client.force_login(personas.employee.user, backend=OIDC_BACKEND)
    response = client.get("/personer/")
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    query = parse_qs(target.query)
    assert f"{target.scheme}://{target.netloc}{target.path}" == (
        "https://login.example.test/authorize"
    )
    assert query["prompt"] == ["none"] and query["code_challenge_method"] == ["S256"]
    assert client.session["oidc_login_next"] == "/personer/"
    # Neither API calls nor HTMX partials are sent to the provider.
    assert client.get("/personer/", headers={"HX-Request": "true"}).status_code == 200
    assert client.get("/api/v1/people").status_code == 200


def test_a_password_session_is_never_sent_to_the_provider(personas, provider) -> None:
    client = Client()
    client.force_login(personas.employee.user)
    assert client.get("/").status_code == 200


def test_pages_of_a_provider_session_let_the_logout_form_reach_the_provider(
    personas, provider
) -> None:
    client = Client()
    client.force_login(personas.employee.user, backend=OIDC_BACKEND)
    session = client.session
    session["oidc_id_token_expiration"] = 2**40
    session.save()
    policy = client.get("/")["Content-Security-Policy"]
    assert "form-action 'self' https://login.example.test" in policy


# --- the login page ---------------------------------------------------------------------


def test_without_a_provider_the_login_page_has_the_password_form_only(db) -> None:
    page = Client().get("/logg-inn/").content.decode()
    assert 'name="password"' in page
    assert "departementenes innlogging" not in page


def test_with_a_provider_it_is_offered_first(db, provider) -> None:
    page = Client().get("/logg-inn/?next=/personer/").content.decode()
    assert 'href="/oidc/start/?next=%2Fpersoner%2F"' in page
    assert page.index("Logg inn med departementenes innlogging") < page.index('name="password"')


def test_with_password_sign_in_off_the_form_is_gone_and_posts_are_refused(
    personas, provider
) -> None:
    provider.FELLES_PASSWORD_LOGIN = False
    client = Client()
    page = client.get("/logg-inn/").content.decode()
    assert 'name="password"' not in page and "departementenes innlogging" in page
    response = client.post("/logg-inn/", {"username": "kari", "password": TEST_PASSWORD})
    assert response.status_code == 403
    assert "Innlogging med brukernavn og passord er slått av" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_password_sign_in_still_works_while_it_is_on(personas) -> None:
    client = Client()
    response = client.post("/logg-inn/", {"username": "kari", "password": TEST_PASSWORD})
    assert response.status_code == 302 and SESSION_KEY in client.session


# --- the provider's answers -------------------------------------------------------------


def test_the_start_sends_the_browser_with_a_pkce_challenge(db, provider) -> None:
    client = Client()
    response = client.get("/oidc/start/?next=/personer/")
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
    assert query["redirect_uri"] == ["http://testserver/oidc/callback/"]
    assert query["scope"] == ["openid email profile"]
    (state,) = client.session["oidc_states"].values()
    assert len(state["code_verifier"]) == 64


def test_an_unreachable_provider_is_a_page_not_an_error(db, settings) -> None:
    settings.OIDC_RP_CLIENT_ID = "felles"
    settings.OIDC_OP_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    settings.OIDC_TIMEOUT = 1
    response = Client().get("/oidc/start/")
    assert response.status_code == 503
    assert "Innloggingstjenesten svarer ikke" in response.content.decode()


def test_a_lapsed_provider_session_asks_to_sign_in_again(personas, provider) -> None:
    client = Client()
    client.force_login(personas.employee.user, backend=OIDC_BACKEND)
    response = client.get("/oidc/callback/?error=login_required&state=x", follow=True)
    assert response.redirect_chain[0][0] == "/logg-inn/"
    assert "Økten din er utløpt. Logg inn på nytt." in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_callback_this_browser_never_started_goes_back_to_the_login_page(db, provider) -> None:
    client = Client()
    client.get("/oidc/start/")  # a state of its own, not the one below
    response = client.get("/oidc/callback/?code=abc&state=forged", follow=True)
    assert response.redirect_chain[0][0] == "/logg-inn/"
    assert "Innloggingen ble avbrutt" in response.content.decode()


def test_a_provider_error_is_a_page_in_words(db, provider) -> None:
    response = Client().get("/oidc/callback/?error=server_error&state=x")
    assert response.status_code == 400
    assert "Innloggingen kunne ikke bekreftes" in response.content.decode()


def test_only_the_callback_is_spared_by_the_lockout(rf) -> None:
    assert provider_attempt(rf.get("/oidc/callback/"))
    assert not provider_attempt(rf.post("/logg-inn/"))


def test_an_operator_unlinks_a_recreated_account(personas) -> None:
    from io import StringIO

    from django.core.management import call_command

    from felles.core.models import AuditEvent

    ExternalIdentity.objects.create(person=personas.employee, issuer=ISSUER, subject="oid-old")
    out = StringIO()
    call_command("signin_unlink", "Kari@kud.dep.no", stdout=out)
    assert "1 innlogging(er) fjernet for Kari Testesen" in out.getvalue()
    assert not ExternalIdentity.objects.exists()
    assert AuditEvent.objects.filter(action="signin.identity.unlink").count() == 1
    match = selectors.match_person(issuer=ISSUER, subject="oid-new", email="kari@kud.dep.no")
    assert match is not None and not match.linked_elsewhere


def test_only_administrators_unlink(personas) -> None:
    with pytest.raises(Forbidden):
        services.unlink_identities(
            actor=Actor(user=personas.employee.user), person=personas.employee
        )


def test_a_password_session_ends_too_when_the_person_is_made_inactive(personas, actor) -> None:
    client = Client()
    client.force_login(personas.employee.user)
    people.save_person(
        actor=actor,
        organisation=personas.kud,
        values={"active": False},
        person=personas.employee,
    )
    assert client.get("/").status_code == 302


def test_the_login_page_in_english(db, provider) -> None:
    client = Client()
    client.post("/sprak/", {"language": "en", "next": "/logg-inn/"})
    page = client.get("/logg-inn/").content.decode()
    assert "login service</a>" in page and "Sign in with the ministries" in page
    assert "Or with username and password" in page


def test_a_day_old_discovery_document_serves_while_the_provider_is_away(settings) -> None:
    import time

    from felles.signin import config

    url = "http://127.0.0.1:9/.well-known/openid-configuration"
    settings.OIDC_RP_CLIENT_ID = "felles"
    settings.OIDC_OP_DISCOVERY_URL = url
    settings.OIDC_TIMEOUT = 1
    stale = {"authorization_endpoint": "https://login.example.test/authorize"}
    config._documents[url] = (time.monotonic() - config.DISCOVERY_SECONDS - 1, stale)
    try:
        assert config.endpoint("OIDC_OP_AUTHORIZATION_ENDPOINT") == stale["authorization_endpoint"]
    finally:
        config._documents.pop(url, None)
