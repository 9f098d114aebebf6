"""`felles demo` runs without Django's debug mode: a bad link or a foreign object shows
Felles's own error page (bilingual, with a way back, no URL patterns), while plain-HTTP
cookies and a development key still let it run on http://127.0.0.1:8000."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import uuid

import pytest
from django.test import Client

from felles.cli import prepare_environment

PRINT_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
    "bool(s.SECRET_KEY), s.STORAGES['staticfiles']['BACKEND']]))"
)


def _settings_under(environ: dict[str, str]) -> list:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FELLES_")}
    env.update(environ, DJANGO_SETTINGS_MODULE="felles.conf.settings")
    env["FELLES_DATA_DIR"] = os.environ.get("FELLES_DATA_DIR", tempfile.gettempdir())
    result = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", PRINT_SETTINGS], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_demo_runs_without_debug_but_with_plain_http_cookies() -> None:
    environ: dict[str, str] = {}
    prepare_environment("demo", environ)
    debug, session_secure, csrf_secure, has_key, storage = _settings_under(environ)
    assert debug is False
    assert session_secure is False and csrf_secure is False
    assert has_key
    assert storage.endswith("CompressedManifestStaticFilesStorage")


def test_production_keeps_secure_cookies() -> None:
    environ = {"FELLES_SECRET_KEY": "x" * 40}
    prepare_environment("serve", environ)
    debug, session_secure, _csrf, _key, _storage = _settings_under(environ)
    assert debug is False and session_secure is True


def _assert_felles_404(body: str) -> None:
    assert "URLconf" not in body and "Traceback" not in body and "Using the URLconf" not in body
    assert "felles-main" in body  # Felles's layout
    assert 'href="/"' in body  # a way back


@pytest.mark.parametrize(
    ("language", "title", "back"),
    [("nb", "Fant ikke siden", "Til forsiden"), ("en", "Page not found", "To the front page")],
)
def test_unknown_url_and_foreign_object_show_felless_404(
    personas, client: Client, language: str, title: str, back: str
) -> None:
    from django.urls import reverse

    client.force_login(personas.employee.user)
    client.post("/sprak/", {"language": language, "next": "/"})
    foreign = reverse("person", kwargs={"person_id": personas.outsider.uuid})  # FIN's Ola
    for url in ("/finnes-ikke/", f"/bestillinger/{uuid.uuid4()}/", foreign):
        response = client.get(url)
        assert response.status_code == 404, url
        body = response.content.decode()
        _assert_felles_404(body)
        assert title in body and back in body, url


def test_the_demos_jobs_page_shows_a_run(transactional_db, client: Client) -> None:
    """The demo runs the SLA scan once, as the worker would: the jobs page is not empty."""
    import io

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("demo", no_serve=True, stdout=io.StringIO())
    client.force_login(get_user_model().objects.get(username="admin"))
    body = client.get("/jobber/").content.decode()
    assert "sla.scan" in body
    assert "Ingen jobber er kjørt ennå." not in body
