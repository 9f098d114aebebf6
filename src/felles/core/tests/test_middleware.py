"""core.middleware.CSPMiddleware: the policy built once gives the headers django-csp's own
middleware gives, for plain answers and for those that change their policy."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from csp.constants import NONCE, SELF
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.test import RequestFactory, override_settings

from felles.core.middleware import CSPMiddleware

HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")


def _headers(middleware: type, view: Callable[[HttpRequest], HttpResponse], path: str) -> dict:
    response = middleware(view)(RequestFactory().get(path))
    return {name: response.get(name) for name in HEADERS}


def _json(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"ok": True})


def _updated(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("<p>")
    response._csp_update = {"form-action": ["https://login.example.test"]}  # type: ignore[attr-defined]
    return response


def _exempt(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("<p>")
    response._csp_exempt = True  # type: ignore[attr-defined]
    return response


def _nonce(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"<script nonce='{request.csp_nonce}'>")  # type: ignore[attr-defined]


def _header_set(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("<p>")
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@pytest.mark.parametrize("view", [_json, _updated, _exempt, _header_set])
def test_every_answer_gets_the_headers_django_csp_gives(view) -> None:
    want = _headers(DjangoCSPMiddleware, view, "/api/v1/orders")
    assert _headers(CSPMiddleware, view, "/api/v1/orders") == want
    assert _headers(CSPMiddleware, view, "/api/v1/orders") == want  # built once, kept


def test_a_plain_answer_has_the_house_policy() -> None:
    policy = _headers(CSPMiddleware, _json, "/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert _headers(CSPMiddleware, _updated, "/")["Content-Security-Policy"].count(
        "https://login.example.test"
    )


@override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"script-src": [SELF, NONCE]}})
def test_a_nonce_used_by_the_page_is_in_its_policy() -> None:
    response = CSPMiddleware(_nonce)(RequestFactory().get("/"))
    nonce = response.content.decode().split("'")[1]
    assert f"script-src 'self' 'nonce-{nonce}'" in response["Content-Security-Policy"].split("; ")
    assert "script-src 'self'" in _headers(CSPMiddleware, _json, "/")[HEADERS[0]].split("; ")


def test_a_changed_setting_changes_the_kept_policy() -> None:
    assert "img-src 'self' data:" in _headers(CSPMiddleware, _json, "/")[HEADERS[0]]
    changed = {"DIRECTIVES": {"default-src": ["'none'"]}}
    with override_settings(
        CONTENT_SECURITY_POLICY=changed, CONTENT_SECURITY_POLICY_REPORT_ONLY=changed
    ):
        got = _headers(CSPMiddleware, _json, "/")
        assert got == _headers(DjangoCSPMiddleware, _json, "/")
        assert got == {name: "default-src 'none'" for name in HEADERS}
    with override_settings(
        CONTENT_SECURITY_POLICY={"EXCLUDE_URL_PREFIXES": ["/api/"], "DIRECTIVES": {}}
    ):
        assert _headers(CSPMiddleware, _json, "/api/v1/orders") == {n: None for n in HEADERS}
    assert "img-src 'self' data:" in _headers(CSPMiddleware, _json, "/")[HEADERS[0]]
