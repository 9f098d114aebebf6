"""The access matrix: every URL and API operation, every persona, the expected answer.

Each app keeps its rows in `<app>/tests/routes.py` (`WEB`, `API`, and `SCOPED_WEB`,
`SCOPED_API` for the two provider personas limited to FIN); this module collects them.
Adding a route without a row fails `test_every_route_is_declared`, and a route whose view
declares no permission rule fails `test_every_view_declares_its_rule`. The vocabulary
(personas, the KUD objects each case builds, usual answers) is `felles.testing.matrix`.
"""

from __future__ import annotations

import importlib
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from felles.conf.api import api
from felles.testing.matrix import PERSONAS, Case

# The apps with routes, in layer order (docs/architecture.md).
ROUTE_APPS = (
    "core",
    "organisations",
    "catalog",
    "orders",
    "agreements",
    "bundles",
    "tasks",
    "sla",
    "invoicing",
    "portfolio",
    "costing",
    "governance",
    "security",
    "preparedness",
    "foi",
    "records",
    "guidelines",
    "notices",
    "rooms",
    "hr",
    "signin",
    "web",
)


def _collect(table: str) -> dict[str, Any]:
    rows: dict[str, Any] = {}
    for app in ROUTE_APPS:
        module = importlib.import_module(f"felles.{app}.tests.routes")
        for key, value in getattr(module, table, {}).items():
            assert key not in rows, f"{key} is declared twice"
            rows[key] = value
    return rows


WEB: dict[str, Case] = _collect("WEB")
API: dict[str, Case] = _collect("API")
SCOPED_WEB: dict[str, tuple[int, int]] = _collect("SCOPED_WEB")
SCOPED_API: dict[str, tuple[int, int]] = _collect("SCOPED_API")

# The API document and its browser are public: they describe, they hold no data.
API_PUBLIC_URLS = {
    "openapi-json": "/api/v1/openapi.json",
    "openapi-view": "/api/v1/docs",
    "api-root": "/api/v1/",
}


def web_patterns() -> dict[str, URLPattern]:
    found: dict[str, URLPattern] = {}

    def walk(patterns: list, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern).startswith("api/"):
                    continue
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                found[pattern.name] = pattern

    walk(get_resolver().url_patterns, "")
    return found


def api_operations() -> dict[str, Any]:
    found = {}
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    found[f"{method} {path}"] = operation
    return found


def test_every_route_is_declared() -> None:
    assert set(web_patterns()) == set(WEB), "declare new web routes in WEB"
    assert set(api_operations()) == set(API), "declare new API operations in API"
    assert set(SCOPED_WEB) == set(WEB), "declare limited-scope statuses in SCOPED_WEB"
    assert set(SCOPED_API) == set(API), "declare limited-scope statuses in SCOPED_API"


def test_every_view_declares_its_rule() -> None:
    missing = [name for name, p in web_patterns().items() if not hasattr(p.callback, "felles_rule")]
    missing += [
        key for key, op in api_operations().items() if not hasattr(op.view_func, "felles_rule")
    ]
    assert missing == []


def request(client: Client, method: str, url: str, body: dict | None, api_call: bool):
    if method == "GET":
        return client.get(url)
    if api_call:
        return client.generic(
            method, url, data=__import__("json").dumps(body or {}), content_type="application/json"
        )
    return client.post(url, body or {})


def login(client: Client, personas, name: str) -> None:
    if name != "anonymous":
        client.force_login(getattr(personas, name).user)


@pytest.mark.parametrize("name", sorted(WEB))
def test_web_matrix(name: str, personas) -> None:
    from django.urls import reverse

    case = WEB[name]
    got = {}
    for persona in PERSONAS:
        client = Client()
        login(client, personas, persona)
        url = reverse(name, kwargs=case.kwargs(personas))
        body = case.body(personas) if case.body else None
        response = request(client, case.method, url, body, api_call=False)
        got[persona] = response.status_code
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            # A page's <title> is plain text: markup there means a template put content
            # in the wrong block.
            title = response.content.decode().split("<title>", 1)[1].split("</title>", 1)[0]
            assert "<" not in title, (name, title[:120])
    assert got == {"anonymous": case.anonymous, **case.expected}


@pytest.mark.parametrize("key", sorted(API))
def test_api_matrix(key: str, personas) -> None:
    case = API[key]
    method, path = key.split(" ", 1)
    got = {}
    for persona in PERSONAS:
        client = Client()
        login(client, personas, persona)
        url = "/api/v1" + path.format(**case.kwargs(personas))
        body = case.body(personas) if case.body else None
        got[persona] = request(client, method, url, body, api_call=True).status_code
    assert got == {"anonymous": case.anonymous, **case.expected}


# --- provider staff limited to named ministries ------------------------------------------
# Two DSS people who serve FIN only: a customer contact (Lars's role in the demo) and a
# provider manager (provider finance). Every object above belongs to KUD, so for them a KUD
# object is a 404 and a KUD write never lands; lists answer without KUD's rows
# (`test_scoped_lists_hold_nothing_of_kud`). Provider-wide matters (cost model, price
# lists, invoice runs, budgets) belong to managers who serve every ministry.
SCOPED_PERSONAS = ("contact_fin", "finance_fin")


@pytest.fixture
def scoped(personas):
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    personas.contact_fin = make_person(
        personas.dss, "lars.fin", roles=[Role.CUSTOMER_CONTACT], serves=[personas.fin]
    )
    personas.finance_fin = make_person(
        personas.dss, "siri.fin", roles=[Role.PROVIDER_MANAGER], serves=[personas.fin]
    )
    return personas


def _scoped_statuses(case: Case, personas, url_for, api_call: bool) -> dict[str, int]:
    got = {}
    for persona in SCOPED_PERSONAS:
        client = Client()
        login(client, personas, persona)
        url = url_for(case.kwargs(personas))
        body = case.body(personas) if case.body else None
        got[persona] = request(client, case.method, url, body, api_call=api_call).status_code
    return got


@pytest.mark.parametrize("name", sorted(WEB))
def test_web_matrix_scoped(name: str, scoped) -> None:
    from django.urls import reverse

    got = _scoped_statuses(
        WEB[name], scoped, lambda kwargs: reverse(name, kwargs=kwargs), api_call=False
    )
    assert got == dict(zip(SCOPED_PERSONAS, SCOPED_WEB[name], strict=True))


@pytest.mark.parametrize("key", sorted(API))
def test_api_matrix_scoped(key: str, scoped) -> None:
    _method, path = key.split(" ", 1)
    got = _scoped_statuses(
        API[key], scoped, lambda kwargs: "/api/v1" + path.format(**kwargs), api_call=True
    )
    assert got == dict(zip(SCOPED_PERSONAS, SCOPED_API[key], strict=True))


@pytest.mark.parametrize("name", sorted(API_PUBLIC_URLS))
def test_api_documents_are_public(name: str, client: Client, db) -> None:
    response = client.get(API_PUBLIC_URLS[name])
    assert response.status_code in {200, 404}  # api-root has no page of its own
    if name == "openapi-json":
        assert response.json()["info"]["title"] == "Felles API"


@pytest.mark.parametrize("key", sorted(k for k in API if "{" in k))
def test_guessed_ids_answer_404_never_500(key: str, personas) -> None:

    method, path = key.split(" ", 1)
    client = Client()
    client.force_login(personas.admin.user)
    names = [part[1:-1] for part in path.split("/") if part.startswith("{")]
    for guess in (str(uuid.uuid4()), "123", "not-a-uuid"):
        url = "/api/v1" + path.format(**dict.fromkeys(names, guess))
        status = request(client, method, url, {}, api_call=True).status_code
        assert status in {404, 422}, (url, status)


def test_foreign_ministry_ids_enumerated_answer_404(personas, client: Client) -> None:
    """Every FIN person id, tried by a KUD employee, on web and API, is a 404."""
    from felles.organisations.models import Person

    client.force_login(personas.employee.user)
    for person_id in Person.objects.filter(organisation=personas.fin).values_list(
        "uuid", flat=True
    ):
        assert client.get(f"/personer/{person_id}/").status_code == 404
        assert client.get(f"/api/v1/people/{person_id}").status_code == 404
