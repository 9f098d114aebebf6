"""Access-matrix rows for the portfolio app's pages and API operations: the expected
answer for every persona. tests/test_access_matrix.py collects them; a route without a row
fails there."""

from __future__ import annotations

from felles.testing.matrix import (
    ALL,
    NOBODY,
    Case,
    _dates,
    benefit_id,
    evaluation_code,
    project_code,
    seeded_portfolio,
)

WEB: dict[str, Case] = {
    "portfolio": Case("GET", ALL, kwargs=lambda p: seeded_portfolio(p) and {}),
    "project": Case("GET", ALL, kwargs=project_code),
    "evaluations": Case("GET", ALL, kwargs=lambda p: seeded_portfolio(p) and {}),
    "evaluation": Case("GET", ALL, kwargs=evaluation_code),
    "baseline": Case("GET", ALL),
}

API: dict[str, Case] = {
    "GET /portfolio/projects": Case("GET", ALL, anonymous=401),
    "GET /portfolio/projects/{code}": Case("GET", ALL, anonymous=401, kwargs=project_code),
    # Project writes: DFD's portfolio office, the project manager and the responsible
    # organisation's managers (no standing persona is one of the latter two).
    "POST /portfolio/projects/{code}/status": Case(
        "POST",
        {**NOBODY, "governance": 200},
        anonymous=401,
        kwargs=project_code,
        body=lambda p: {"status": "amber", "reason": "Forsinket"},
    ),
    "POST /portfolio/projects/{code}/risks": Case(
        "POST",
        {**NOBODY, "governance": 201},
        anonymous=401,
        kwargs=project_code,
        body=lambda p: {
            "title": "Risiko",
            "likelihood": 3,
            "consequence": 3,
            "residual_likelihood": 2,
            "residual_consequence": 2,
        },
    ),
    "POST /portfolio/benefits/{benefit_id}/realisations": Case(
        "POST",
        {**NOBODY, "governance": 200},
        anonymous=401,
        kwargs=benefit_id,
        body=lambda p: {"measured_on": "2026-06-30", "value": "1.5"},
    ),
    "GET /portfolio/summary": Case("GET", ALL, anonymous=401),
    "GET /portfolio/evaluations": Case(
        "GET", ALL, anonymous=401, kwargs=lambda p: seeded_portfolio(p) and {}
    ),
    "GET /portfolio/evaluations/{code}": Case("GET", ALL, anonymous=401, kwargs=evaluation_code),
    "PUT /portfolio/evaluations/{code}/weights": Case(
        "PUT",
        {**NOBODY, "governance": 200},
        anonymous=401,
        kwargs=evaluation_code,
        body=lambda p: {"weights": {"kvalitet": "0.4"}},
    ),
    "GET /portfolio/baseline": Case("GET", ALL, anonymous=401),
    # A multipart upload: the matrix sends no file, so DFD is told it is missing (422; the
    # upload itself is tested in portfolio/tests); everyone else is refused by the rule.
    "POST /portfolio/baseline": Case("POST", {**NOBODY, "governance": 422}, anonymous=401),
    "POST /portfolio/projects/{code}/milestones": Case(
        "POST",
        {**NOBODY, "governance": 201},
        anonymous=401,
        kwargs=project_code,
        body=lambda p: {"name": "Milepæl", "due_on": "2027-01-01"},
    ),
    "PUT /portfolio/projects/{code}/hump-costs": Case(
        "PUT",
        {**NOBODY, "governance": 200},
        anonymous=401,
        kwargs=project_code,
        body=lambda p: {"year": 2026, "kind": "transition", "amount": "1000"},
    ),
    "POST /portfolio/projects/{code}/transfers": Case(
        "POST",
        {**NOBODY, "governance": 201},
        anonymous=401,
        kwargs=project_code,
        body=lambda p: {
            "ministry": "KUD",
            "provider": "DSS",
            "fte": "1.5",
            "transfer_on": "2026-09-01",
        },
    ),
    "POST /portfolio/projects/{code}/benefits": Case(
        "POST",
        {**NOBODY, "governance": 201},
        anonymous=401,
        kwargs=project_code,
        body=lambda p: {
            "kind": "quality",
            "ministry": "KUD",
            "measure": f"Måltall {next(_dates)}",
            "baseline_value": "1",
            "target_value": "2",
            "target_on": "2027-01-01",
        },
    ),
}

# (customer contact serving FIN, provider manager serving FIN), see SCOPED_PERSONAS.
SCOPED_WEB: dict[str, tuple[int, int]] = {
    "baseline": (200, 200),
    "evaluation": (200, 200),
    "evaluations": (200, 200),
    "portfolio": (200, 200),
    "project": (200, 200),
}

SCOPED_API: dict[str, tuple[int, int]] = {
    "GET /portfolio/baseline": (200, 200),
    "GET /portfolio/evaluations": (200, 200),
    "GET /portfolio/evaluations/{code}": (200, 200),
    "GET /portfolio/projects": (200, 200),
    "GET /portfolio/projects/{code}": (200, 200),
    "GET /portfolio/summary": (200, 200),
    "POST /portfolio/baseline": (403, 403),
    "POST /portfolio/benefits/{benefit_id}/realisations": (403, 403),
    "POST /portfolio/projects/{code}/benefits": (403, 403),
    "POST /portfolio/projects/{code}/milestones": (403, 403),
    "POST /portfolio/projects/{code}/risks": (403, 403),
    "POST /portfolio/projects/{code}/status": (403, 403),
    "POST /portfolio/projects/{code}/transfers": (403, 403),
    "PUT /portfolio/evaluations/{code}/weights": (403, 403),
    "PUT /portfolio/projects/{code}/hump-costs": (403, 403),
}
