"""The house rules of docs/architecture.md that a test can check: every service with a side
effect declares who may call it, no view or API body decides a permission, modules stay
readable, and no import hides in a function to dodge a cycle."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import felles

SRC = Path(felles.__file__).parent
# Generated or data modules, not code a reader follows.
LONG_BY_NATURE = ("migrations", "seed.py", "demo.py")
MAX_LINES = 500


def product_modules() -> list[Path]:
    """The product's modules: not tests, test helpers (felles.testing) or migrations."""
    return [
        path
        for path in SRC.rglob("*.py")
        if not {"tests", "testing", "migrations"} & set(path.relative_to(SRC).parts)
    ]


def service_modules() -> list[str]:
    """felles.<app>.services and felles.<app>.importing (the writers), and for apps split
    by topic their submodules."""
    names = []
    for app in pkgutil.iter_modules([str(SRC)]):
        if not app.ispkg:
            continue
        for writer in ("services", "importing"):
            try:
                module = importlib.import_module(f"felles.{app.name}.{writer}")
            except ModuleNotFoundError:
                continue
            names.append(module.__name__)
            if hasattr(module, "__path__"):
                names += [
                    f"{module.__name__}.{sub.name}" for sub in pkgutil.iter_modules(module.__path__)
                ]
    return names


def test_every_service_with_an_actor_declares_who_may_call_it() -> None:
    """A public service function (keyword-only `actor`) carries `@allowed(...)`."""
    missing = []
    for name in service_modules():
        module = importlib.import_module(name)
        for attr, func in vars(module).items():
            if attr.startswith("_") or not inspect.isfunction(func):
                continue
            if func.__module__ != name:  # re-exported or imported: checked where defined
                continue
            actor = inspect.signature(func).parameters.get("actor")
            if actor is None or actor.kind != inspect.Parameter.KEYWORD_ONLY:
                continue  # not a service (a helper taking the actor positionally)
            if not hasattr(func, "felles_rule"):
                missing.append(f"{name}.{attr}")
    assert missing == [], "services without a declared rule (core.services.allowed)"


# Public functions in the writing modules that write without being a service anyone calls:
# machinery the services (which declare their rules) call, or derived state.
MACHINERY = {
    "felles.core.services.authenticate_token": "authentication: stamps the token's last use",
    "felles.sla.services.refresh": "derived: an order's SLA clock, recomputed from history",
    "felles.sla.services.recompute_all": "derived: the operator's `felles sla recompute`",
    "felles.security.services.refresh_dates": "derived: a person's next conversation and "
    "disposal dates, recomputed from the register inside the caller's checked service",
    "felles.tasks.services.create_order_tasks": "derived: an order's checklist, copied from "
    "its service's template in the order's transaction when it reaches the provider",
    "felles.orders.services.notifications.notify": "an in-page notice a service sends",
    "felles.notices.services.announce_guideline": "derived: the notice of an adopted guideline "
    "version, written in the adopting service's transaction (guidelines.events)",
    "felles.notices.services.announce_withdrawal": "derived: the notice of a withdrawn "
    "guideline version, written in the withdrawing service's transaction (guidelines.events)",
    "felles.orders.services.notifications.notify_sla": "the notices the SLA scan sends",
    "felles.invoicing.services.computation.compute_run": "inside the run services",
    "felles.invoicing.services.computation.recompute": "inside the run services",
    "felles.invoicing.services.documents.issue_document": "inside issue and credit services",
}
WRITES = {"save", "create", "update", "delete", "bulk_create", "bulk_update", "record"}


def _writes(func: ast.FunctionDef) -> bool:
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in WRITES
        for node in ast.walk(func)
    )


def test_every_public_writer_declares_its_rule_or_is_named_machinery() -> None:
    """Not only functions taking `actor`: any public function in a writing module whose
    body saves, creates, updates, deletes or records an audit event."""
    unexplained = []
    for name in service_modules():
        module = importlib.import_module(name)
        tree = ast.parse(inspect.getsource(module))
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            func = getattr(module, node.name)
            qualified = f"{name}.{node.name}"
            if _writes(node) and not hasattr(func, "felles_rule") and qualified not in MACHINERY:
                unexplained.append(qualified)
    assert unexplained == []


def _permission_decisions(path: Path) -> list[str]:
    """`raise PermissionDenied` and `HttpError(403, …)` inside function bodies."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Raise) and node.exc is not None:
            target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            name = getattr(target, "id", getattr(target, "attr", ""))
            call = node.exc if isinstance(node.exc, ast.Call) else None
            forbidden_http = (
                name == "HttpError"
                and call is not None
                and call.args
                and isinstance(call.args[0], ast.Constant)
                and call.args[0].value == 403
            )
            if name == "PermissionDenied" or forbidden_http:
                found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    return found


def test_no_view_or_api_body_decides_a_permission() -> None:
    """Views and API operations gate with their decorator and leave the rest to the
    service (docs/architecture.md, «Where a rule goes»)."""
    decisions = [
        hit
        for path in product_modules()
        if (path.name in ("views.py", "api.py") or path.parent.name in ("views", "api"))
        and path.parent.name != "core"  # the API's authentication (read-only tokens), no operation
        for hit in _permission_decisions(path)
    ]
    assert decisions == []


def test_no_module_passes_500_lines() -> None:
    long = {
        str(path.relative_to(SRC)): n
        for path in product_modules()
        if not path.name.endswith(LONG_BY_NATURE)
        and (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}, "split these by topic (docs/architecture.md)"


def test_no_import_of_felles_hides_in_a_function() -> None:
    """An import inside a function is how a cycle hides from the layer contract. `ready()`
    methods are exempt: that is where an app subscribes to hooks (docs/architecture.md)."""
    hidden = []
    for path in product_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or node.name == "ready":
                continue
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.ImportFrom)
                    and inner.module
                    and inner.module.startswith("felles")
                ):
                    hidden.append(f"{path.relative_to(SRC)}:{inner.lineno} {inner.module}")
    assert hidden == []


def test_the_frozen_clock_fixes_today_and_keeps_ticking(frozen_clock) -> None:
    import datetime as dt
    import time

    from django.utils import timezone

    assert timezone.localdate() == dt.date(2026, 11, 18)
    first = timezone.now()
    time.sleep(0.01)
    assert timezone.now() > first  # timestamps still order events


def test_a_page_refused_by_a_service_says_why(personas) -> None:
    """The service's bokmål reason reaches the 403 page; a route rule's internal name
    never does."""
    import datetime as dt

    from django.urls import reverse

    from felles.core.actor import Actor
    from felles.organisations import services
    from felles.testing import client_for

    absence = services.register_absence(
        actor=Actor.system("t"),
        person=personas.employee,
        starts_on=dt.date(2030, 1, 7),
        ends_on=dt.date(2030, 1, 8),
    )
    refused = client_for(personas.coordinator).post(reverse("absence_cancel", args=[absence.uuid]))
    assert refused.status_code == 403
    assert "nærmeste leder og administratorer kan slette fravær" in refused.content.decode()
    role_page = client_for(personas.employee).get(reverse("import"))
    assert role_page.status_code == 403
    assert "role:" not in role_page.content.decode()
