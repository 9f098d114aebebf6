"""Secrets sent in a URL (a calendar feed's path, an intranet's `?nokkel=`) never reach
Felles's own logs: gunicorn's access log and Django's loggers (felles.conf.redact)."""

from __future__ import annotations

import datetime as dt
import logging
from types import SimpleNamespace

import pytest

from felles.conf.redact import RedactingFilter, redact

KEY = "felk_" + "A1b2-C3d4_" * 4
SECRET = "fel_" + "Z9y8X7w6v5" * 4


def test_redact_hides_keys_in_query_and_path() -> None:
    line = f"GET /kunngjoringer/feed.atom?omrade=hr&nokkel={KEY}&type=pris HTTP/1.1"
    assert redact(line) == (
        "GET /kunngjoringer/feed.atom?omrade=hr&nokkel=[skjult]&type=pris HTTP/1.1"
    )
    assert KEY not in redact(f"/kunngjoringer/feed.json?NOKKEL={KEY}")
    assert redact(f"/moterom/kalender/{SECRET}.ics") == "/moterom/kalender/fel_[skjult].ics"
    # A wrong key in the parameter is hidden too; ordinary URLs are left alone.
    assert redact("/kunngjoringer/feed.json?nokkel=gjett") == (
        "/kunngjoringer/feed.json?nokkel=[skjult]"
    )
    assert redact("/bestillinger/?q=felles+kontor") == "/bestillinger/?q=felles+kontor"


def test_django_log_records_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("django.request.redaction-test")
    logger.addFilter(RedactingFilter())
    with caplog.at_level(logging.WARNING, logger=logger.name):
        logger.warning("Not Found: %s", f"/moterom/kalender/{SECRET}/x.ics")
    assert SECRET not in caplog.text
    assert "fel_[skjult]" in caplog.text


def test_the_configured_console_handler_redacts() -> None:
    from django.conf import settings

    assert "redact" in settings.LOGGING["handlers"]["console"]["filters"]


def test_gunicorn_access_log_line_is_redacted() -> None:
    from felles.conf import gunicorn as config

    logger = config.RedactingLogger(SimpleNamespace(**_gunicorn_cfg()))
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/kunngjoringer/feed.atom?nokkel={KEY}",
        "PATH_INFO": "/kunngjoringer/feed.atom",
        "QUERY_STRING": f"nokkel={KEY}",
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    atoms = logger.atoms(
        SimpleNamespace(status="200 OK", headers=[], sent=10),
        [],
        environ,
        dt.timedelta(milliseconds=5),
    )
    assert KEY not in repr(atoms)
    assert atoms["r"] == "GET /kunngjoringer/feed.atom?nokkel=[skjult] HTTP/1.1"


def _gunicorn_cfg() -> dict[str, object]:
    from gunicorn.config import Config

    cfg = Config()
    return {name: setting.get() for name, setting in cfg.settings.items()} | {
        "logconfig_json": None,
    }
