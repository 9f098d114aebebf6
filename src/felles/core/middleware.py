"""Request-scoped plumbing."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from typing import Any

import csp.middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.db import DataError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)


# --- Content-Security-Policy -----------------------------------------------------------

# What a view or a later middleware may set to change a response's policy (django-csp's
# decorators, signin's form-action).
_CSP_PARTS = tuple(
    f"_csp_{part}{suffix}" for part in ("config", "update", "replace") for suffix in ("", "_ro")
)
_csp_plain: dict[bool, str] = {}


@receiver(setting_changed)
def _forget_plain_policies(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _csp_plain.clear()


def _plain_policy(report_only: bool) -> str:
    policy = _csp_plain.get(report_only)
    if policy is None:
        policy = _csp_plain[report_only] = build_policy(report_only=report_only)
    return policy


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, with the policies of a response that changes nothing in
    them (no nonce used, no decorator's or later middleware's change) built once per
    settings rather than twice for every answer (3 % of an API read). Any other
    response, and Django's debug pages, go through django-csp's own path; this one sets the
    same headers under the same conditions (core/tests/test_middleware.py)."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if (
            getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _CSP_PARTS)
            or settings.DEBUG
        ):
            return super().process_response(request, response)
        for header, report_only, setting in (
            (HEADER, False, "CONTENT_SECURITY_POLICY"),
            (HEADER_REPORT_ONLY, True, "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            policy = _plain_policy(report_only)
            exempt = getattr(response, "_csp_exempt_ro" if report_only else "_csp_exempt", False)
            excluded = tuple(
                (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            )
            if (
                policy
                and header not in response
                and exempt is False
                and not request.path_info.startswith(excluded)
            ):
                response[header] = policy
        # As django-csp: a nonce asked for after the header is written is an error.
        request.csp_nonce = csp.middleware.CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response


_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Give every request an id (or keep a sane one from a proxy) so audit events, logs
    and the response header `X-Request-ID` can be correlated."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex  # type: ignore[attr-defined]
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id  # type: ignore[attr-defined]
        return response


# --- Hostile and careless input --------------------------------------------------------

NUL_MESSAGE = gettext_lazy(
    "Forespørselen inneholder et ugyldig kontrolltegn (U+0000) og ble avvist. Fjern det og "
    "prøv igjen."
)
DATA_ERROR_MESSAGES = {
    "too_long": gettext_lazy(
        "En tekst er for lang til å lagres. Ingenting er lagret; gjør den kortere."
    ),
    "too_large": gettext_lazy(
        "Et tall eller beløp er for stort til å lagres. Ingenting er lagret; kontroller "
        "antall og beløp."
    ),
    "nul": gettext_lazy(
        "Teksten inneholder et ugyldig kontrolltegn (U+0000). Ingenting er lagret."
    ),
    "other": gettext_lazy(
        "Verdiene kunne ikke lagres (ugyldige eller for store). Ingenting er lagret."
    ),
}


def data_error_message(exc: BaseException) -> str:
    """A DataError from the database (overflow, too long, NUL) in words for the user."""
    text = str(exc).lower()
    if "too long" in text:
        kind = "too_long"
    elif "overflow" in text or "out of range" in text or "too large" in text:
        kind = "too_large"
    elif "nul" in text or "0x00" in text:
        kind = "nul"
    else:
        kind = "other"
    return str(DATA_ERROR_MESSAGES[kind])


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def error_response(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    """JSON {"message", "errors"} under /api/, otherwise the error page. Works before any
    other middleware has run (no user, session or person needed)."""
    if is_api(request):
        return JsonResponse({"message": text, "errors": {}}, status=status)
    try:
        return render(request, "web/error.html", {"title": title, "text": text}, status=status)
    except Exception:  # the page must answer even when the layout cannot render
        logger.exception("error page failed to render")
        return HttpResponse(
            f"<!doctype html><title>{escape(title)}</title><h1>{escape(title)}</h1>"
            f"<p>{escape(text)}</p>",
            status=status,
        )


def _has_nul(values: Any) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values.getlist(key)) for key in values)


_COOKIE_ILLEGAL = re.compile("[\x00-\x1f\x7f]")


class CookieGuardMiddleware:
    """Drops every cookie whose name or value holds NUL or another control character before
    the session, language and CSRF code read them: such a cookie is treated as absent (a
    fresh session, the default language), and the answer tells the browser to forget it.
    A `sessionid` with NUL made every page answer 422 on PostgreSQL, which refuses NUL in
    the session lookup, until the user cleared the browser's cookies. Placed before
    SessionMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        bad = [
            name
            for name, value in request.COOKIES.items()
            if _COOKIE_ILLEGAL.search(name) or _COOKIE_ILLEGAL.search(value)
        ]
        for name in bad:
            del request.COOKIES[name]
        response = self.get_response(request)
        for name in bad:
            if name not in response.cookies and not _COOKIE_ILLEGAL.search(name):
                response.delete_cookie(name)
        return response


class InputGuardMiddleware:
    """Refuses what the database or the XML would choke on before any view runs: NUL in
    the path or in a query or form parameter (PostgreSQL refuses NUL in text) answers 422
    with the reason, like a NUL in a JSON body; and turns a DataError a view lets through
    (a value the column cannot hold; its transaction was rolled back whole) into a clear
    422 instead of a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or _has_nul(request.GET) or self._form_has_nul(request):
            return error_response(
                request, 422, str(gettext_lazy("Ugyldig forespørsel")), str(NUL_MESSAGE)
            )
        return self.get_response(request)

    @staticmethod
    def _form_has_nul(request: HttpRequest) -> bool:
        if request.method != "POST":
            return False
        content_type = request.content_type or ""
        if content_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
            return False  # JSON bodies are checked by the schemas (core.schemas)
        return _has_nul(request.POST)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DataError):
            logger.warning("refused a value the database cannot store: %s", exception)
            return error_response(
                request,
                422,
                str(gettext_lazy("Verdiene kunne ikke lagres")),
                data_error_message(exception),
            )
        return None


API_STATUS_MESSAGES = {
    400: "Forespørselen kunne ikke leses.",
    401: "Du må logge inn eller sende en gyldig API-nøkkel (Bearer).",
    403: "Du har ikke tilgang til denne handlingen.",
    404: "Fant ikke adressen i API-et. Se /api/v1/docs.",
    405: "Metoden er ikke tillatt for denne adressen.",
    413: "Forespørselen er for stor.",
    415: "Innholdstypen støttes ikke. Send JSON.",
}


class ApiErrorsAsJsonMiddleware:
    """Everything under /api/ answers errors as JSON {"message", "errors"}, whatever
    produced them (Django's CSRF check, a method ninja does not route, a handler that
    rendered a page): clients never get an HTML page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not is_api(request)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        message = API_STATUS_MESSAGES.get(
            response.status_code,
            "Noe gikk galt hos oss. Ingenting er lagret halvveis; prøv igjen om litt."
            if response.status_code >= 500
            else "Forespørselen ble avvist.",
        )
        replacement = JsonResponse({"message": message, "errors": {}}, status=response.status_code)
        for header in ("Allow", "WWW-Authenticate", "Retry-After", "X-Request-ID"):
            if header in response:
                replacement[header] = response[header]
        return replacement
