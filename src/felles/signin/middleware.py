"""Renewing a provider sign-in: when the ID token's renewal time has passed, the next page
request goes to the provider with `prompt=none`. The provider answers at once: a fresh
code while the person is still signed in there (they notice nothing), or
`login_required`, after which they sign in again (views.CallbackView). Sessions from a
password sign-in are left alone, and so are API calls and HTMX partials (a redirect to
the provider cannot be followed there; the next full page renews). Last in MIDDLEWARE
(after AuthenticationMiddleware, HtmxMiddleware and CSPMiddleware)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.deprecation import MiddlewareMixin
from django.utils.functional import cached_property
from mozilla_django_oidc.middleware import SessionRefresh

from felles.signin import config

# Pages that never start a renewal: sign-in itself, and what must work without it.
EXEMPT = ("login", "logout", "signin_start", "signin_callback", "set_language", "healthz")


class SigninRefreshMiddleware(SessionRefresh):
    def __init__(self, get_response: Any) -> None:
        MiddlewareMixin.__init__(self, get_response)  # settings are read per request

    get_settings = staticmethod(config.setting)

    @property
    def OIDC_OP_AUTHORIZATION_ENDPOINT(self) -> str:
        return config.endpoint("OIDC_OP_AUTHORIZATION_ENDPOINT")

    @property
    def OIDC_RP_CLIENT_ID(self) -> str:
        return str(settings.OIDC_RP_CLIENT_ID)

    @property
    def OIDC_RP_SCOPES(self) -> str:
        return str(settings.OIDC_RP_SCOPES)

    OIDC_STATE_SIZE = 32
    OIDC_NONCE_SIZE = 32
    OIDC_USE_NONCE = True
    OIDC_AUTHENTICATION_CALLBACK_URL = "signin_callback"
    OIDC_EXEMPT_URLS: list[Any] = []

    @cached_property
    def exempt_urls(self) -> set[str]:  # type: ignore[override]
        return {reverse(name) for name in EXEMPT}

    def is_refreshable_url(self, request: HttpRequest) -> bool:
        if not config.enabled() or request.path.startswith("/api/"):
            return False  # without a provider, this costs no query
        if request.headers.get("HX-Request") == "true":
            return False
        return bool(super().is_refreshable_url(request))

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        try:
            return super().process_request(request)  # type: ignore[no-any-return]
        except config.ProviderUnavailable:
            return None  # the provider cannot be asked now; the session stands until it can

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """The logout form on a provider-signed-in page posts to Felles, which redirects to
        the provider's end-session endpoint: the page's CSP `form-action` must allow that
        origin, or the browser stops the redirect. Placed after CSPMiddleware, so this
        runs before the header is written."""
        if not config.enabled() or not hasattr(request, "session"):
            return response  # no provider: nothing read, not even the session
        if request.session.get(BACKEND_SESSION_KEY) != config.BACKEND_PATH:
            return response
        try:
            endpoint = config.endpoint("OIDC_OP_END_SESSION_ENDPOINT", required=False)
        except config.ProviderUnavailable:
            return response
        if endpoint:
            parts = urlsplit(endpoint)
            update = dict(getattr(response, "_csp_update", None) or {})
            update["form-action"] = [
                *update.get("form-action", []),
                f"{parts.scheme}://{parts.netloc}",
            ]
            response._csp_update = update  # type: ignore[attr-defined]
        return response
