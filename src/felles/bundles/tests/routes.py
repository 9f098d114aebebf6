"""Access-matrix rows for the bundles app's pages: ordering a bundle (ministry people
order; provider staff and the read-only auditor do not) and cancelling one of Kari's
onboarding orders (anyone who sees it opens the page; the service decides on a post)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from felles.core.actor import Actor
from felles.testing.matrix import ALL, KARIS_ORDER, ORDERING, Case, seeded

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
            "startdato": timezone.localdate() + dt.timedelta(days=21),
            "stilling": "Rådgiver",
            "klarering": "Ingen",
            "behov": ["PC"],
        },
    )
    return {"order_id": parent.uuid}


WEB: dict[str, Case] = {
    # What a bundle creates: for everyone; adding a child only for the provider's managers
    # (no standing persona manages DSS: 403 here, tested in test_bundles.py).
    "bundle_definition": Case("GET", ALL, kwargs=bundle_service_id),
    "bundle_new": Case("GET", {**ORDERING, "auditor": 404}, kwargs=bundle_service_id),
    # Per is not asked to approve the parent (its children carry the approvals).
    "bundle_cancel": Case("GET", {**KARIS_ORDER, "manager": 404}, kwargs=karis_bundle_id),
}

API: dict[str, Case] = {}

# (customer contact serving FIN, provider manager serving FIN), see SCOPED_PERSONAS.
SCOPED_WEB: dict[str, tuple[int, int]] = {
    "bundle_definition": (200, 200),
    "bundle_new": (404, 404),
    "bundle_cancel": (404, 404),
}

SCOPED_API: dict[str, tuple[int, int]] = {}
