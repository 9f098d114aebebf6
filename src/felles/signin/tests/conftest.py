"""The test identity provider (tests/provider), one process per test session, and the
settings that point Felles at it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from felles.signin.tests.provider.claims import oid

CLIENT_ID = "felles-test"
CLIENT_SECRET = "felles-test-secret-not-for-production"
PROVIDER_PASSWORD = "Leverandor-passord-1"
# The provider's users. Kari and Ola are people in Felles (the personas); Ukjent is not.
USERS = [
    ("kari", "kari@kud.dep.no", "Kari", "Testesen"),
    ("ola", "ola@fin.dep.no", "Ola", "Testesen"),
    ("per", "per@kud.dep.no", "Per", "Testesen"),
    ("ukjent", "ukjent@kud.dep.no", "Ukjent", "Utenfor"),
]


@dataclass
class Provider:
    url: str  # the issuer
    process: subprocess.Popen[bytes]

    @property
    def discovery(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    def oid(self, username: str) -> str:
        return oid(username)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def oidc_provider(live_server: Any) -> Iterator[Provider]:
    port = _free_port()
    workdir = Path(tempfile.mkdtemp(prefix="felles-oidc-provider-"))
    spec = {
        "port": port,
        "database": str(workdir / "provider.sqlite3"),
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": [f"{live_server.url}/oidc/callback/"],
        "post_logout_redirect_uris": [f"{live_server.url}/logg-inn/"],
        "users": [
            {
                "username": u,
                "password": PROVIDER_PASSWORD,
                "email": e,
                "first_name": f,
                "last_name": last,
            }
            for u, e, f, last in USERS
        ],
    }
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    log = (workdir / "provider.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "felles.signin.tests.provider.serve"],
        stdin=subprocess.PIPE,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    assert process.stdin is not None
    process.stdin.write(json.dumps(spec).encode())
    process.stdin.close()
    provider = Provider(url=f"http://127.0.0.1:{port}/openid", process=process)
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            raise RuntimeError(
                f"the test provider stopped: {(workdir / 'provider.log').read_text()}"
            )
        try:
            if requests.get(provider.discovery, timeout=2).ok:
                break
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("the test provider did not start within a minute")
        time.sleep(0.2)
    try:
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture
def oidc(oidc_provider: Provider, settings: Any) -> Provider:
    """Felles signs in with the test provider, matching people by `oid` as with Entra ID."""
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_DISCOVERY_URL = oidc_provider.discovery
    settings.OIDC_OP_ISSUER = oidc_provider.url
    settings.FELLES_OIDC_ID_CLAIM = "oid"
    return oidc_provider
