"""Secrets sent in a URL (a calendar feed's path, an intranet's `?nokkel=`) never reach
Felles's own logs: gunicorn's access log and Django's loggers (felles.conf.redact)."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
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


def test_gunicorn_access_log_line_is_redacted(tmp_path: Path) -> None:
    from felles.conf import gunicorn as config

    log = tmp_path / "access.log"
    cfg = _gunicorn_cfg()
    # gunicorn's default line, then a request header, an environment value and a header
    # the request does not have.
    line_format = f'{cfg["access_log_format"]} "%({{Referer}}i)s" "%({{query_string}}e)s"'
    logger = config.RedactingLogger(
        SimpleNamespace(
            **cfg | {"accesslog": str(log), "access_log_format": line_format + ' "%({x}i)s"'}
        )
    )
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]  # a handler reading records
    logger.access_log.addHandler(handler)
    try:
        environ = {
            "REQUEST_METHOD": "GET",
            "RAW_URI": f"/kunngjoringer/feed.atom?nokkel={KEY}",
            "PATH_INFO": "/kunngjoringer/feed.atom",
            "QUERY_STRING": f"nokkel={KEY}",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "10.0.0.7",
            "HTTP_REFERER": f"https://intranett.dep.no/?nokkel={KEY}",
            "HTTP_USER_AGENT": 'Outlook "16"',
        }
        logger.access(
            SimpleNamespace(status="200 OK", headers=[("Content-Type", "application/atom+xml")]),
            SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])]),
            environ,
            dt.timedelta(milliseconds=5),
        )
        line = log.read_text()
        assert KEY not in line
        assert '"GET /kunngjoringer/feed.atom?nokkel=[skjult] HTTP/1.1" 200' in line
        assert line.count("[skjult]") == 4  # the request line, the referrer twice, the query
        assert 'Outlook \\"16\\"' in line  # quotes escaped as gunicorn escapes them
        assert line.rstrip().endswith('"-"')  # an atom the request lacks
        # A handler that reads the record's arguments instead of its message sees no key either.
        (record,) = records
        assert KEY not in repr(dict(record.args.items()))  # type: ignore[union-attr]
    finally:  # the access logger is gunicorn's global one: leave it as found
        for each in logger.access_log.handlers:
            each.close()
        logger.access_log.handlers.clear()


def _gunicorn_cfg() -> dict[str, object]:
    from gunicorn.config import Config

    cfg = Config()
    return {name: setting.get() for name, setting in cfg.settings.items()} | {
        "logconfig_json": None,
    }
