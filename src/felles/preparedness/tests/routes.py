"""Access-matrix rows for the preparedness app's pages and API operations (see
tests/test_access_matrix.py). Among the standing personas only Per (KUD's leader) works on
security, DFD's governance user reads the aggregates, the exercise plan and the stock, and
Kari sees the incident she reported herself. The DSS agent (Ole) is outside DSS's security
team: he sees none of the records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from felles.testing.matrix import ALL, PERSONAS, Case

NONE_404 = dict.fromkeys(PERSONAS[1:], 404)
NONE_403 = dict.fromkeys(PERSONAS[1:], 403)
LEADER = {**NONE_403, "manager": 200}
GOVERNANCE = {**NONE_403, "governance": 200}


def _system() -> Any:
    from felles.core.actor import Actor

    return Actor.system("matrix")


def karis_incident(p: Any) -> Any:
    from django.utils import timezone

    from felles.preparedness import services

    return services.report_incident(
        actor=_system(),
        reporter=p.employee,
        kind="loss",
        occurred_at=timezone.now() - dt.timedelta(days=1),
        severity=2,
        summary="Mistet adgangskort",
    )


def incident_id(p: Any) -> dict[str, Any]:
    return {"incident_id": karis_incident(p).uuid}


def karis_action(p: Any) -> dict[str, Any]:
    from felles.preparedness import services

    item = services.add_incident_action(
        actor=_system(),
        incident=karis_incident(p),
        text="Sperre kortet",
        owner=p.employee,
        due_on=dt.date(2026, 12, 31),
    )
    return {"item_id": item.uuid}


def kud_analysis(p: Any, *, risk: bool = False) -> Any:
    from felles.preparedness import services

    analysis = services.create_analysis(
        actor=_system(),
        title="ROS KUD",
        scope="Kontorlokaler",
        ministries=[p.kud],
        created_by=p.manager,
    )
    if risk:
        services.add_risk(
            actor=_system(),
            analysis=analysis,
            asset="Møterom",
            threat="Avlytting",
            vulnerability="Mobiler",
            likelihood=3,
            consequence=3,
            residual_likelihood=2,
            residual_consequence=2,
        )
    return analysis


def analysis_id(p: Any) -> dict[str, Any]:
    return {"analysis_id": kud_analysis(p).uuid}


def exercise_id(p: Any) -> dict[str, Any]:
    from felles.preparedness import services

    exercise = services.plan_exercise(
        actor=_system(),
        title="Skrivebordsøvelse",
        scenario="Tapt adgangskort",
        ministries=[p.kud],
        planned_on=dt.date(2026, 6, 1),
        created_by=p.manager,
    )
    return {"exercise_id": exercise.uuid}


def stock_item_id(p: Any) -> dict[str, Any]:
    from felles.preparedness import services

    item = services.save_stock_item(actor=_system(), name="Vann", quantity=10, location="U1")
    return {"item_id": item.uuid}


WEB: dict[str, Case] = {
    "preparedness": Case("GET", ALL),
    "preparedness_incidents": Case("GET", ALL),
    "preparedness_incident": Case("GET", {**NONE_404, "employee": 200}, kwargs=incident_id),
    # Kari sees her incident but does not close it (the coordinator and DSS's team do).
    "preparedness_incident_close": Case("POST", {**NONE_404, "employee": 403}, kwargs=incident_id),
    # Kari owns the action on her incident and marks it done.
    "preparedness_follow_up_done": Case("POST", {**NONE_404, "employee": 302}, kwargs=karis_action),
    "preparedness_statistics": Case("GET", GOVERNANCE),
    "preparedness_analyses": Case("GET", LEADER),
    "preparedness_analysis": Case("GET", LEADER, kwargs=analysis_id),
    # Per signs; the analysis has no risk yet, so he gets the error on the page (302 back).
    "preparedness_analysis_sign": Case("POST", {**NONE_403, "manager": 302}, kwargs=analysis_id),
    "preparedness_exercises": Case("GET", {**LEADER, "governance": 200}),
    "preparedness_exercise": Case("GET", {**LEADER, "governance": 200}, kwargs=exercise_id),
    "preparedness_stock": Case("GET", GOVERNANCE),
    "preparedness_stock_check": Case("POST", NONE_403, kwargs=stock_item_id),
    "preparedness_contracts": Case("GET", LEADER),
    "preparedness_self_report": Case("GET", LEADER),
}

API: dict[str, Case] = {
    "GET /preparedness/incidents": Case("GET", ALL, anonymous=401),
    "POST /preparedness/incidents": Case(
        "POST",
        dict.fromkeys(PERSONAS[1:], 201),
        anonymous=401,
        body=lambda p: {
            "kind": "loss",
            "occurred_at": "2026-01-05T10:00:00+01:00",
            "severity": 2,
            "summary": "Mistet adgangskort",
        },
    ),
    "GET /preparedness/statistics": Case("GET", GOVERNANCE, anonymous=401),
    "GET /preparedness/analyses": Case("GET", ALL, anonymous=401),
    "POST /preparedness/analyses/{analysis_id}/sign": Case(
        "POST",
        {**NONE_404, "manager": 200},
        anonymous=401,
        kwargs=lambda p: {"analysis_id": kud_analysis(p, risk=True).uuid},
    ),
}

# (customer contact serving FIN, provider manager serving FIN), see SCOPED_PERSONAS.
SCOPED_WEB: dict[str, tuple[int, int]] = {
    "preparedness": (200, 200),
    "preparedness_incidents": (200, 200),
    "preparedness_incident": (404, 404),
    "preparedness_incident_close": (404, 404),
    "preparedness_follow_up_done": (404, 404),
    "preparedness_statistics": (403, 403),
    "preparedness_analyses": (403, 403),
    "preparedness_analysis": (403, 403),
    "preparedness_analysis_sign": (403, 403),
    "preparedness_exercises": (403, 403),
    "preparedness_exercise": (403, 403),
    "preparedness_stock": (403, 403),
    "preparedness_stock_check": (403, 403),
    "preparedness_contracts": (403, 403),
    "preparedness_self_report": (403, 403),
}

SCOPED_API: dict[str, tuple[int, int]] = {
    "GET /preparedness/incidents": (200, 200),
    "POST /preparedness/incidents": (201, 201),
    "GET /preparedness/statistics": (403, 403),
    "GET /preparedness/analyses": (200, 200),
    "POST /preparedness/analyses/{analysis_id}/sign": (404, 404),
}
