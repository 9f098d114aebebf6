"""The identity provider's configuration: the settings from the environment
(conf/settings.py, docs/configuration.md) and the endpoints from the provider's discovery
document, fetched when first needed (never at start-up, so Felles starts while the provider
is unreachable) and kept for a day."""

from __future__ import annotations

import threading
import time
from typing import Any

import requests
from django.conf import settings

# Library setting → key in the provider's discovery document.
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_END_SESSION_ENDPOINT": "end_session_endpoint",
    "OIDC_OP_ISSUER": "issuer",
}
DISCOVERY_SECONDS = 24 * 3600
# The session's backend after a provider sign-in (django.contrib.auth.BACKEND_SESSION_KEY).
BACKEND_PATH = "felles.signin.backends.OidcBackend"

_lock = threading.Lock()
_documents: dict[str, tuple[float, dict[str, Any]]] = {}


class ProviderUnavailable(Exception):
    """The discovery document could not be fetched or lacks an endpoint Felles needs."""


def enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", "")) and bool(
        getattr(settings, "OIDC_OP_DISCOVERY_URL", "")
        or getattr(settings, "OIDC_OP_AUTHORIZATION_ENDPOINT", "")
    )


def password_login() -> bool:
    return bool(getattr(settings, "FELLES_PASSWORD_LOGIN", True))


def discovery() -> dict[str, Any]:
    url = getattr(settings, "OIDC_OP_DISCOVERY_URL", "")
    if not url:
        return {}
    cached = _documents.get(url)
    if cached and time.monotonic() - cached[0] < DISCOVERY_SECONDS:
        return cached[1]
    with _lock:
        cached = _documents.get(url)  # another thread may have fetched it meanwhile
        if cached and time.monotonic() - cached[0] < DISCOVERY_SECONDS:
            return cached[1]
        try:
            response = requests.get(
                url, timeout=settings.OIDC_TIMEOUT, verify=settings.OIDC_VERIFY_SSL
            )
            response.raise_for_status()
            document = response.json()
            if not isinstance(document, dict):
                raise ValueError("not a JSON object")
        except (requests.RequestException, ValueError) as exc:
            if cached:  # a day-old document beats none while the provider is away
                return cached[1]
            raise ProviderUnavailable(f"discovery document {url}: {exc}") from exc
        _documents[url] = (time.monotonic(), document)
        return document


def endpoint(name: str, required: bool = True) -> str:
    """An endpoint: set explicitly, or read from the discovery document."""
    explicit = getattr(settings, name, "")
    if explicit:
        return str(explicit)
    value = discovery().get(ENDPOINTS[name], "") if enabled() else ""
    if required and not value:
        raise ProviderUnavailable(f"{name} is neither set nor in the discovery document")
    return str(value or "")


def setting(attr: str, *default: Any) -> Any:
    """The library's `get_settings`, with endpoints resolved through discovery."""
    if attr in ENDPOINTS:
        return endpoint(attr, required=not default) or (default[0] if default else "")
    if default:
        return getattr(settings, attr, default[0])
    return getattr(settings, attr)
