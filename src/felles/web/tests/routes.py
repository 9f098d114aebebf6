"""Access-matrix rows for the start page, language and the operations pages: the expected
answer for every persona. tests/test_access_matrix.py collects them; a route without a row
fails there."""

from __future__ import annotations

from typing import Any

from felles.testing.matrix import ADMIN_ONLY, ALL, PERSONAS, Case, employee_token

WEB: dict[str, Case] = {
    "home": Case("GET", ALL),
    "set_language": Case(
        "POST",
        dict.fromkeys(PERSONAS[1:], 302),
        anonymous=302,
        body=lambda p: {"language": "en", "next": "/"},
    ),
    "healthz": Case("GET", ALL, anonymous=200),
    "search": Case("GET", ALL),
    "audit": Case("GET", {**ADMIN_ONLY, "auditor": 200}),
    "jobs": Case("GET", ADMIN_ONLY),
    "mail_retry": Case("POST", {**ADMIN_ONLY, "admin": 302}, kwargs=lambda p: queued_mail(p)),
    "tokens": Case("GET", ALL),
    "token_revoke": Case(
        "POST", {**dict.fromkeys(PERSONAS[1:], 404), "employee": 302}, kwargs=employee_token
    ),
}

API: dict[str, Case] = {}


def queued_mail(p: Any) -> dict[str, Any]:
    """An e-mail waiting in the outbox (sending it again is refused: it is not failed)."""
    from felles.core import mail

    row = mail.queue_notice(
        to=p.employee.email,
        user_id=p.employee.user_id,
        topic="test.matrix",
        build=lambda: mail.Notice(subject="Test", headline="Test"),
    )
    return {"mail_id": row.uuid}


# (customer contact serving FIN, provider manager serving FIN), see SCOPED_PERSONAS.
SCOPED_WEB: dict[str, tuple[int, int]] = {
    "audit": (403, 403),
    "healthz": (200, 200),
    "home": (200, 200),
    "jobs": (403, 403),
    "mail_retry": (403, 403),
    "search": (200, 200),
    "set_language": (302, 302),
    "token_revoke": (404, 404),
    "tokens": (200, 200),
}

SCOPED_API: dict[str, tuple[int, int]] = {}
