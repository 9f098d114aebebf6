"""Production defaults: headers, cookies, CSRF, login rate limiting, required secret."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from django.test import Client

from felles.organisations.tests.factories import TEST_PASSWORD


def test_pages_carry_security_headers(personas, client: Client) -> None:
    client.force_login(personas.employee.user)
    response = client.get("/", secure=True)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Request-ID"]


def test_session_cookie_is_secure_and_httponly(personas, client: Client) -> None:
    response = client.post("/logg-inn/", {"username": "kari", "password": TEST_PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


def test_every_post_form_carries_a_csrf_token(personas, client: Client) -> None:
    client.force_login(personas.admin.user)
    pages = [
        "/",
        "/personer/",
        f"/personer/{personas.employee.uuid}/",
        "/import/",
        "/api-nokler/",
        "/revisjon/",
    ]
    for page in pages:
        html = client.get(page).content.decode()
        for form in re.findall(r"<form[^>]*method=\"post\"[^>]*>.*?</form>", html, re.S):
            assert "csrfmiddlewaretoken" in form, page


def test_post_without_csrf_token_is_refused(personas) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.employee.user)
    response = client.post("/api-nokler/", {"name": "x", "scope": "read", "days": 1})
    assert response.status_code == 403


def test_session_api_writes_need_csrf_too(personas) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.employee.user)
    response = client.post("/api/v1/absences", {}, content_type="application/json")
    assert response.status_code in {401, 403}


def test_login_is_locked_after_repeated_failures(personas, client: Client) -> None:
    for _ in range(5):
        response = client.post("/logg-inn/", {"username": "kari", "password": "feil"})
    response = client.post("/logg-inn/", {"username": "kari", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "For mange innloggingsforsøk" in response.content.decode()


def test_wrong_password_gets_a_clear_message(personas, client: Client) -> None:
    response = client.post("/logg-inn/", {"username": "kari", "password": "feil"})
    assert "Brukernavn eller passord er feil" in response.content.decode()


@pytest.mark.parametrize("debug", ["0", ""])
def test_secret_key_is_required_without_debug(debug: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FELLES_")}
    env["FELLES_DEBUG"] = debug
    env["DJANGO_SETTINGS_MODULE"] = "felles.conf.settings"
    result = subprocess.run(
        [sys.executable, "-c", "import felles.conf.wsgi"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "FELLES_SECRET_KEY" in result.stderr


def test_bokmal_is_the_default_whatever_the_browser_says(personas, client: Client) -> None:
    client.force_login(personas.employee.user)
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="nb"' in body and "Hei, Kari" in body
    client.post("/sprak/", {"language": "en", "next": "/"})
    body = client.get("/").content.decode()
    assert '<html lang="en"' in body and "Hello, Kari" in body and "Your roles" in body


def test_health_check(db, client: Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
