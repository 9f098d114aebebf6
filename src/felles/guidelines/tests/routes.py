"""Access-matrix rows for the guidelines app's pages and API operations (see
tests/test_access_matrix.py). The guideline is DFD's, adopted after its hearing: every
signed-in person reads it; only DFD (the governance user) writes DFD's guidelines; DFD,
the auditor and the administrator see the matrix; a ministry's responsible people answer
for their ministry (KUD's Per and Ingrid, DFD's Anne for DFD)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from felles.core.actor import Actor
from felles.testing.matrix import ALL, CROSS_READERS, NOBODY, Case


def _adopted(p: Any) -> Any:
    from felles.catalog.models import ServiceArea
    from felles.governance.models import Hearing
    from felles.guidelines import services
    from felles.guidelines.models import Guideline

    existing = Guideline.objects.filter(code="felles-regel").first()
    if existing:
        return existing
    anne = Actor(user=p.governance.user, request_id="matrix")
    area = ServiceArea.objects.get_or_create(
        code="hr", defaults={"name_nb": "HR", "name_en": "HR", "position": 1}
    )[0]
    today = timezone.localdate()
    version = services.create_guideline(
        actor=anne,
        code="felles-regel",
        title="Retningslinje",
        kind="guideline",
        area=area,
        owner=p.dfd,
        text="Tekst",
        effective_from=today,
        respond_by=today + dt.timedelta(days=30),
    )
    version = services.send_to_hearing(actor=anne, version=version)
    Hearing.objects.filter(case=version.case).update(deadline=today - dt.timedelta(days=1))
    services.adopt_version(actor=anne, version=version, reasons="Begrunnelse")
    return version.guideline


def code(p: Any) -> dict[str, Any]:
    return {"code": _adopted(p).code}


WRITERS = {**NOBODY, "governance": 200}
ANSWERS = {**NOBODY, "manager": 200, "coordinator": 200, "governance": 200}

WEB: dict[str, Case] = {
    "guidelines": Case("GET", ALL),
    "guideline_new": Case("GET", WRITERS),
    "guideline_matrix": Case("GET", CROSS_READERS),
    "guideline_feed": Case("GET", ALL, anonymous=401),
    "guideline": Case("GET", ALL, kwargs=code),
    "guideline_version": Case("GET", WRITERS, kwargs=code),
    "guideline_print": Case("GET", ALL, kwargs=code),
}

API: dict[str, Case] = {
    "GET /guidelines": Case("GET", ALL, anonymous=401),
    "GET /guidelines/matrix": Case("GET", CROSS_READERS, anonymous=401),
    "GET /guidelines/{code}": Case("GET", ALL, kwargs=code, anonymous=401),
    "PUT /guidelines/{code}/adoption": Case(
        "PUT", ANSWERS, kwargs=code, body=lambda p: {"status": "adopted"}, anonymous=401
    ),
}

# (customer contact serving FIN, provider manager serving FIN), see SCOPED_PERSONAS. A
# manager serving only FIN is no provider-wide writer, but follows the matrix.
SCOPED_WEB: dict[str, tuple[int, int]] = {
    "guidelines": (200, 200),
    "guideline_new": (403, 403),
    "guideline_matrix": (403, 200),
    "guideline_feed": (200, 200),
    "guideline": (200, 200),
    "guideline_version": (403, 403),
    "guideline_print": (200, 200),
}

SCOPED_API: dict[str, tuple[int, int]] = {
    "GET /guidelines": (200, 200),
    "GET /guidelines/matrix": (403, 200),
    "GET /guidelines/{code}": (200, 200),
    "PUT /guidelines/{code}/adoption": (403, 403),
}
