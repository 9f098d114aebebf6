"""Access-matrix rows for the organisations app's pages and API operations: the expected
answer for every persona. tests/test_access_matrix.py collects them; a route without a row
fails there."""

from __future__ import annotations

from typing import Any

from felles.testing.matrix import (
    ADMIN_ONLY,
    ALL,
    KUD_PERSON,
    PERSONAS,
    Case,
    absence_body,
    fresh_absence,
)


def _import_job(p) -> Any:
    from felles.core.models import Job

    job = Job.objects.create(
        kind="core.import",
        payload={"import": "organisations", "user": p.admin.user.pk, "meta": {}},
        status=Job.Status.SUCCEEDED,
        result={"outcome": "done", "counts": {"created": 1}},
    )
    return job.uuid


WEB: dict[str, Case] = {
    "organisations": Case("GET", ALL),
    "organisation": Case("GET", ALL, kwargs=lambda p: {"organisation_id": p.kud.uuid}),
    "people": Case("GET", ALL),
    "person": Case("GET", KUD_PERSON, kwargs=lambda p: {"person_id": p.employee.uuid}),
    "absence_cancel": Case(
        "POST",
        {
            "employee": 302,
            "manager": 302,
            "coordinator": 403,
            "outsider": 404,
            "agent": 404,
            "governance": 404,
            "auditor": 403,
            "admin": 302,
        },
        kwargs=fresh_absence,
    ),
    "import": Case("GET", ADMIN_ONLY),
    # A background import's page: the administrator who started it (others get 403 for
    # the role; another administrator 404, tested in test_import_background).
    "import_job": Case("GET", ADMIN_ONLY, kwargs=lambda p: {"job_id": _import_job(p)}),
    "role_add": Case(
        "POST",
        {**dict.fromkeys(PERSONAS[1:], 403), "admin": 302},
        kwargs=lambda p: {"person_id": p.employee.uuid},
        body=lambda p: {"role": "budget_holder"},
    ),
    "role_remove": Case(
        "POST",
        {**dict.fromkeys(PERSONAS[1:], 403), "admin": 302},
        kwargs=lambda p: {"role_id": p.employee.roles.get().uuid},
    ),
}

API: dict[str, Case] = {
    "GET /me": Case("GET", ALL, anonymous=401),
    "GET /organisations": Case("GET", ALL, anonymous=401),
    "GET /organisations/{organisation_id}": Case(
        "GET", ALL, anonymous=401, kwargs=lambda p: {"organisation_id": p.kud.uuid}
    ),
    "GET /units": Case("GET", ALL, anonymous=401),
    "GET /units/{unit_id}": Case(
        "GET", KUD_PERSON, anonymous=401, kwargs=lambda p: {"unit_id": p.unit.uuid}
    ),
    "GET /people": Case("GET", ALL, anonymous=401),
    "GET /people/{person_id}": Case(
        "GET", KUD_PERSON, anonymous=401, kwargs=lambda p: {"person_id": p.employee.uuid}
    ),
    "GET /absences": Case("GET", ALL, anonymous=401),
    "POST /absences": Case(
        "POST",
        {
            "employee": 201,
            "manager": 201,
            "coordinator": 403,
            "outsider": 404,
            "agent": 403,
            "governance": 403,
            "auditor": 403,
            "admin": 201,
        },
        anonymous=401,
        body=absence_body,
    ),
    "DELETE /absences/{absence_id}": Case(
        "DELETE",
        {
            "employee": 204,
            "manager": 204,
            "coordinator": 403,
            "outsider": 404,
            "agent": 404,
            "governance": 404,
            "auditor": 403,
            "admin": 204,
        },
        anonymous=401,
        kwargs=fresh_absence,
    ),
}

# (customer contact serving FIN, provider manager serving FIN), see SCOPED_PERSONAS.
SCOPED_WEB: dict[str, tuple[int, int]] = {
    "absence_cancel": (404, 404),
    "import": (403, 403),
    "import_job": (403, 403),
    "organisation": (200, 200),
    "organisations": (200, 200),
    "people": (200, 200),
    "person": (404, 404),
    "role_add": (403, 403),
    "role_remove": (403, 403),
}

SCOPED_API: dict[str, tuple[int, int]] = {
    "DELETE /absences/{absence_id}": (404, 404),
    "GET /absences": (200, 200),
    "GET /me": (200, 200),
    "GET /organisations": (200, 200),
    "GET /organisations/{organisation_id}": (200, 200),
    "GET /people": (200, 200),
    "GET /people/{person_id}": (404, 404),
    "GET /units": (200, 200),
    "GET /units/{unit_id}": (404, 404),
    "POST /absences": (404, 404),
}
