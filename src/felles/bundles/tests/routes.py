"""Access-matrix rows for the bundles app's pages: ordering a bundle (ministry people
order; provider staff and the read-only auditor do not) and cancelling one of Kari's
onboarding orders (anyone who sees it opens the page; the service decides on a post)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from felles.core.actor import Actor
from felles.core.calendar import add_working_days
from felles.testing.matrix import KARIS_ORDER, ORDERING, Case, seeded

SYSTEM = Actor.system("matrix")


def _onboarding(p: Any) -> Any:
    from felles.bundles import services
    from felles.bundles.models import Bundle

    seeded(p)
    services.seed_bundles(actor=SYSTEM)
    return Bundle.objects.get(service__code="hr-onboarding")


def bundle_service_id(p: Any) -> dict[str, Any]:
    return {"service_id": _onboarding(p).service.uuid}


def karis_bundle_id(p: Any) -> dict[str, Any]:
    from felles.bundles import services

    parent = services.submit_bundle(
        actor=SYSTEM,
        orderer=p.employee,
        bundle=_onboarding(p),
        values={
            "navn": "Nora Ny",
            "enhet": p.unit,
            "startdato": add_working_days(timezone.localdate(), 15),
            "stilling": "Rådgiver",
            "klarering": "Ingen",
            "behov": ["PC"],
        },
    )
    return {"order_id": parent.uuid}


def karis_bundle_child(p: Any) -> dict[str, Any]:
    from felles.orders.models import Order

    ids = karis_bundle_id(p)
    child = Order.objects.get(parent_link__parent__uuid=ids["order_id"], service__code="ikt-pc")
    return {**ids, "child_id": child.uuid}


WEB: dict[str, Case] = {
    # What a bundle creates: for those who may order it and the provider's managers (no
    # standing persona manages DSS; adding a child is tested in test_bundles.py).
    "bundle_definition": Case("GET", {**ORDERING, "auditor": 404}, kwargs=bundle_service_id),
    "bundle_new": Case("GET", {**ORDERING, "auditor": 404}, kwargs=bundle_service_id),
    # Per is not asked to approve the parent (its children carry the approvals).
    "bundle_cancel": Case("GET", {**KARIS_ORDER, "manager": 404}, kwargs=karis_bundle_id),
    # A child (DIO's PC) before it reaches DIO: whoever sees the parent and the child opens
    # the page (the DSS agent sees the parent only); the service decides on a post.
    "bundle_child": Case(
        "GET", {**KARIS_ORDER, "manager": 404, "agent": 404}, kwargs=karis_bundle_child
    ),
}

API: dict[str, Case] = {
    # A bundle with its children: whoever reads the parent (Per approves no parent).
    "GET /orders/{order_id}/bundle": Case(
        "GET", {**KARIS_ORDER, "manager": 404}, anonymous=401, kwargs=karis_bundle_id
    ),
}

# (customer contact serving FIN, provider manager serving FIN), see SCOPED_PERSONAS.
SCOPED_WEB: dict[str, tuple[int, int]] = {
    "bundle_definition": (404, 404),
    "bundle_new": (404, 404),
    "bundle_cancel": (404, 404),
    "bundle_child": (404, 404),
}

SCOPED_API: dict[str, tuple[int, int]] = {"GET /orders/{order_id}/bundle": (404, 404)}
