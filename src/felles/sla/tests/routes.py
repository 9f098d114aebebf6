"""Access-matrix rows for the sla app's pages and API operations: the expected
answer for every persona. tests/test_access_matrix.py collects them; a route without a row
fails there."""

from __future__ import annotations

from felles.testing.matrix import PERSONAS, Case

WEB: dict[str, Case] = {
    "sla_report": Case(
        "GET",
        {
            **dict.fromkeys(PERSONAS[1:], 403),
            "coordinator": 200,
            "governance": 200,
            "auditor": 200,
            "admin": 200,
        },
    ),
}

API: dict[str, Case] = {}

# (customer contact serving FIN, provider manager serving FIN), see SCOPED_PERSONAS.
SCOPED_WEB: dict[str, tuple[int, int]] = {
    "sla_report": (200, 200),
}

SCOPED_API: dict[str, tuple[int, int]] = {}
