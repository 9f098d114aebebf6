"""Access-matrix rows for the e-mail preferences page and the API's own operations (tokens,
who am I): the expected answer for every persona. tests/test_access_matrix.py collects
them; a route without a row fails there."""

from __future__ import annotations

from felles.testing.matrix import ALL, PERSONAS, Case, employee_token

WEB: dict[str, Case] = {
    "mail_preferences": Case("GET", ALL),
}

API: dict[str, Case] = {
    "GET /tokens": Case("GET", ALL, anonymous=401),
    "DELETE /tokens/{token_id}": Case(
        "DELETE",
        {**dict.fromkeys(PERSONAS[1:], 404), "employee": 200},
        anonymous=401,
        kwargs=employee_token,
    ),
}

# (customer contact serving FIN, provider manager serving FIN), see SCOPED_PERSONAS.
SCOPED_WEB: dict[str, tuple[int, int]] = {
    "mail_preferences": (200, 200),
}

SCOPED_API: dict[str, tuple[int, int]] = {
    "DELETE /tokens/{token_id}": (404, 404),
    "GET /tokens": (200, 200),
}
