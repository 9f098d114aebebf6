"""Access-matrix rows for the hr app's pages and API operations (see
tests/test_access_matrix.py).

HR figures: KUD's leaders (Per: line manager and budget holder), DFD (governance), the
auditor and the administrator see KUD's figures; DSS's HR team is tested in
test_hr.py (no standing persona is on it). Everyone else gets 403 on the overview and
404 on a ministry's page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from felles.core.actor import Actor
from felles.testing.matrix import ALL, NOBODY, Case, seeded

KUD = {"abbreviation": "KUD"}
# The ministry's leaders, DFD and the auditor.
READERS = {**NOBODY, "manager": 200, "governance": 200, "auditor": 200}
KUD_FIGURES = {
    **dict.fromkeys(READERS, 404),
    "manager": 200,
    "governance": 200,
    "auditor": 200,
}
CROSS = {**NOBODY, "governance": 200, "auditor": 200}


def recruitment_order(p: Any) -> dict[str, Any]:
    from felles.orders import services as order_services

    service = seeded(p).get(code="hr-rekruttering")
    order = order_services.submit_order(
        actor=Actor.system("matrix"),
        orderer=p.employee,
        service=service,
        answers={f.key: {"label": f.label_nb, "value": None} for f in service.fields.all()},
    )
    return {"order_id": order.uuid}


def salary_change(p: Any) -> dict[str, Any]:
    from felles.hr import services

    seeded(p)
    change = services.send_salary_change(
        actor=Actor.system("matrix"),
        orderer=p.manager,
        person=p.employee,
        kind="new_salary",
        effective_on=dt.date(2026, 12, 1),
        employee_number="1001",
        salary_step=60,
        reason="Lokale forhandlinger.",
    )
    return {"change_id": change.uuid}


WEB: dict[str, Case] = {
    "hr": Case("GET", READERS),
    "hr-compare": Case("GET", CROSS),
    "hr-import": Case("GET", NOBODY),
    "hr-survey-import": Case("GET", NOBODY),
    "hr-ministry": Case("GET", KUD_FIGURES, kwargs=lambda p: KUD),
    "hr-survey": Case("GET", KUD_FIGURES, kwargs=lambda p: KUD),
    "hr-recruitments": Case("GET", ALL),
    "hr-recruitment": Case(
        "GET", {**ALL, "outsider": 404, "governance": 404}, kwargs=recruitment_order
    ),
    "hr-salary-changes": Case("GET", ALL),
    # Personnel administration is a confidential service: the parties (Kari, Per), DSS's
    # handling team, the auditor and the administrator; not KUD's ordering coordinator
    # nor a DSS agent outside the handling team.
    "hr-salary-change": Case(
        "GET",
        {**ALL, "outsider": 404, "governance": 404, "coordinator": 404, "agent": 404},
        kwargs=salary_change,
    ),
}

API: dict[str, Case] = {
    "GET /hr/statistics/{abbreviation}": Case(
        "GET", KUD_FIGURES, anonymous=401, kwargs=lambda p: KUD
    ),
}

# The two DSS people serving FIN only (customer contact, provider manager): not on the HR
# team, so no HR figures; KUD's orders are not theirs.
SCOPED_WEB: dict[str, tuple[int, int]] = {
    "hr": (403, 403),
    "hr-compare": (403, 403),
    "hr-import": (403, 403),
    "hr-survey-import": (403, 403),
    "hr-ministry": (404, 404),
    "hr-survey": (404, 404),
    "hr-recruitments": (200, 200),
    "hr-recruitment": (404, 404),
    "hr-salary-changes": (200, 200),
    "hr-salary-change": (404, 404),
}
SCOPED_API: dict[str, tuple[int, int]] = {"GET /hr/statistics/{abbreviation}": (404, 404)}
