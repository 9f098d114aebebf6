"""Access-matrix rows for the governance app's pages and API operations: the expected
answer for every persona. tests/test_access_matrix.py collects them; a route without a row
fails there."""

from __future__ import annotations

from felles.testing.matrix import (
    ALL,
    DIALOGUE_READERS,
    KUD_CASE,
    KUD_CASE_ACTION,
    KUD_DIALOGUE,
    MAY_RAISE,
    NOBODY,
    Case,
    _dates,
    action_id,
    case_id,
    council_term,
    governance_case,
    proposal_id,
    series_id,
)

WEB: dict[str, Case] = {
    "governance_cases": Case("GET", ALL),
    "case_new": Case("GET", MAY_RAISE),
    "case": Case("GET", KUD_CASE, kwargs=case_id),
    "decisions": Case("GET", ALL),
    "decisions_feed": Case("GET", ALL, anonymous=401),
    "decision_rights": Case("GET", ALL),
    "decision_right": Case(
        "GET",
        {**NOBODY, "governance": 200},
        kwargs=lambda p: {"code": governance_case(p).right.code},
    ),
    "council": Case("GET", ALL),
    "dialogue": Case("GET", DIALOGUE_READERS),
    "series": Case("GET", DIALOGUE_READERS, kwargs=series_id),
    "meeting_pack": Case("GET", DIALOGUE_READERS, kwargs=series_id),
    "my_actions": Case("GET", ALL),
    "action_done": Case("POST", {**KUD_DIALOGUE, "outsider": 403}, kwargs=action_id),
}

API: dict[str, Case] = {
    "GET /governance/rights": Case("GET", ALL, anonymous=401),
    "PUT /governance/rights/{code}": Case(
        "PUT",
        {**NOBODY, "governance": 200},
        anonymous=401,
        kwargs=lambda p: {"code": governance_case(p).right.code},
        body=lambda p: {"topic": "Rutiner", "decider": "provider", "level": "operative"},
    ),
    "GET /governance/cases": Case("GET", ALL, anonymous=401),
    "POST /governance/cases": Case(
        "POST",
        {k: 201 if v == 200 else v for k, v in MAY_RAISE.items()},
        anonymous=401,
        body=lambda p: {
            "title": "Ny sak",
            "description": "Beskrivelse",
            "topic": governance_case(p).right.code,
            "provider": "DSS",
        },
    ),
    "GET /governance/cases/{case_id}": Case("GET", KUD_CASE, anonymous=401, kwargs=case_id),
    "POST /governance/cases/{case_id}/actions": Case(
        "POST",
        KUD_CASE_ACTION,
        anonymous=401,
        kwargs=case_id,
        body=lambda p: {"action": "escalate", "text": "Kan ikke avgjøres her"},
    ),
    "GET /governance/decisions": Case("GET", ALL, anonymous=401),
    "GET /governance/dialogue": Case("GET", ALL, anonymous=401),
    "POST /governance/dialogue/{series_id}/meetings": Case(
        "POST",
        {**{k: 201 if v == 302 else v for k, v in KUD_DIALOGUE.items()}, "employee": 404},
        anonymous=401,
        kwargs=series_id,
        body=lambda p: {"held_on": "2026-02-02", "minutes": "Referat"},
    ),
    "POST /governance/actions/{action_id}/done": Case(
        "POST",
        {**{k: 200 if v == 302 else v for k, v in KUD_DIALOGUE.items()}, "employee": 404},
        anonymous=401,
        kwargs=action_id,
    ),
    "GET /governance/dialogue/{series_id}/pack": Case(
        "GET", {**ALL, "employee": 404, "outsider": 404}, anonymous=401, kwargs=series_id
    ),
    "GET /governance/council": Case("GET", ALL, anonymous=401),
    "POST /governance/council/plan": Case(
        "POST",
        {**NOBODY, "governance": 201},
        anonymous=401,
        body=lambda p: {"first": "2050-01-01", "count": 1},
    ),
    "PUT /governance/council/terms/{term_id}": Case(
        "PUT",
        # KUD's own leaders and coordinator nominate; DFD only for terms starting within a
        # year (this one starts in 2040); nobody else (FIN's adviser cannot even see the KUD
        # employee named).
        {**NOBODY, "manager": 200, "coordinator": 200, "outsider": 404},
        anonymous=401,
        kwargs=council_term,
        body=lambda p: {
            "nominee_id": str(p.employee.uuid),
            "competence": "Tjenesteforvaltning",
            "capacity_hours": 8,
        },
    ),
    "POST /governance/council/proposals": Case(
        "POST",
        NOBODY,  # provider managers only; tested in governance/tests
        anonymous=401,
        body=lambda p: {
            "provider": "DSS",
            "year": 2028,
            "title": "Forslag",
            "amount": "1000",
            "description": "Beskrivelse",
        },
    ),
    "POST /governance/council/proposals/{proposal_id}/statement": Case(
        "POST",
        {**NOBODY, "governance": 200},
        anonymous=401,
        kwargs=proposal_id,
        body=lambda p: {"statement": "Rådet støtter forslaget."},
    ),
    "POST /governance/dialogue": Case(
        "POST",
        NOBODY,  # the provider's managers and customer contacts; tested in governance/tests
        anonymous=401,
        body=lambda p: {"provider": "DSS", "ministry": "KUD", "level": "operative"},
    ),
    "POST /governance/council/unavailability": Case(
        "POST",
        # KUD's own responsible people, and DFD.
        {**NOBODY, "manager": 201, "coordinator": 201, "governance": 201},
        anonymous=401,
        body=lambda p: {
            "ministry": "KUD",
            "starts_on": "2030-01-01",
            "ends_on": "2030-12-31",
            "reason": "Flytting",
        },
    ),
    "POST /governance/rights": Case(
        "POST",
        {**NOBODY, "governance": 201},
        anonymous=401,
        body=lambda p: {
            "code": f"lokaler-{next(_dates)}",
            "topic": "Lokaler",
            "decider": "provider",
            "level": "tactical",
        },
    ),
}

# (customer contact serving FIN, provider manager serving FIN), see SCOPED_PERSONAS.
SCOPED_WEB: dict[str, tuple[int, int]] = {
    "action_done": (404, 404),
    "case": (404, 404),
    "case_new": (200, 200),
    "council": (200, 200),
    "decision_right": (403, 403),
    "decision_rights": (200, 200),
    "my_actions": (200, 200),
    "decisions": (200, 200),
    "decisions_feed": (200, 200),
    "dialogue": (200, 200),
    "governance_cases": (200, 200),
    "meeting_pack": (404, 404),
    "series": (404, 404),
}

SCOPED_API: dict[str, tuple[int, int]] = {
    "GET /governance/cases": (200, 200),
    "GET /governance/cases/{case_id}": (404, 404),
    "GET /governance/council": (200, 200),
    "GET /governance/decisions": (200, 200),
    "GET /governance/dialogue": (200, 200),
    "GET /governance/dialogue/{series_id}/pack": (404, 404),
    "GET /governance/rights": (200, 200),
    "POST /governance/actions/{action_id}/done": (404, 404),
    "POST /governance/cases": (201, 201),
    "POST /governance/cases/{case_id}/actions": (404, 404),
    "POST /governance/council/plan": (403, 403),
    "POST /governance/council/proposals": (403, 403),
    "POST /governance/council/proposals/{proposal_id}/statement": (403, 403),
    "POST /governance/council/unavailability": (403, 403),
    "POST /governance/dialogue": (403, 403),
    "POST /governance/dialogue/{series_id}/meetings": (404, 404),
    "POST /governance/rights": (403, 403),
    "PUT /governance/council/terms/{term_id}": (404, 404),
    "PUT /governance/rights/{code}": (403, 403),
}
