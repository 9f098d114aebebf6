"""A long search through the real server (gunicorn with Felles's configuration) reaches
Felles instead of gunicorn's English «Request Line is too large»."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def gunicorn(tmp_path):
    port = _free_port()
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="felles.conf.test_settings",
        FELLES_DATA_DIR=str(tmp_path),
    )
    env.pop("DATABASE_URL", None)  # the page asked for needs no database
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "felles.conf.wsgi:application",
            "--config",
            "python:felles.conf.gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60  # a worker boots Django first (slow on a busy CI)
        while time.monotonic() < deadline:
            try:
                if _status(f"{base}/sok/?q=kort")[0] == 302:
                    break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def _status(url: str) -> tuple[int, str]:
    request = urllib.request.Request(url)  # noqa: S310 - a local test server
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=20) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_a_5000_character_search_reaches_felles(gunicorn: str) -> None:
    query = urllib.parse.urlencode({"q": "rekruttering " * 420})  # 5,040 characters
    status, body = _status(f"{gunicorn}/sok/?{query}")
    assert "Request Line is too large" not in body
    assert status == 302  # Felles answered: not signed in, so to the sign-in page
