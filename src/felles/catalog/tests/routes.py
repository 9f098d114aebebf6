"""Access-matrix rows for the catalog app's pages and API operations: the expected
answer for every persona. tests/test_access_matrix.py collects them; a route without a row
fails there."""

from __future__ import annotations

from felles.testing.matrix import ADMIN_ONLY, ALL, Case, service_id

WEB: dict[str, Case] = {
    "catalogue": Case("GET", ALL),
    "service": Case("GET", ALL, kwargs=service_id("srv-moterom")),
    "service_edit": Case("GET", ADMIN_ONLY, kwargs=service_id("srv-moterom")),
    "service_confidentiality": Case("GET", ADMIN_ONLY, kwargs=service_id("hr-juridisk")),
    # Service levels: the provider's managers (none among the personas) and administrators.
    "service_levels": Case("GET", ADMIN_ONLY, kwargs=service_id("srv-moterom")),
}

API: dict[str, Case] = {
    "GET /catalog/areas": Case("GET", ALL, anonymous=401),
    "GET /catalog/services": Case("GET", ALL, anonymous=401),
    "GET /catalog/services/{service_id}": Case(
        "GET", ALL, anonymous=401, kwargs=service_id("srv-moterom")
    ),
}

# (customer contact serving FIN, provider manager serving FIN), see SCOPED_PERSONAS.
SCOPED_WEB: dict[str, tuple[int, int]] = {
    "catalogue": (200, 200),
    "service": (200, 200),
    "service_edit": (403, 404),
    "service_confidentiality": (403, 404),
    "service_levels": (403, 404),
}

SCOPED_API: dict[str, tuple[int, int]] = {
    "GET /catalog/areas": (200, 200),
    "GET /catalog/services": (200, 200),
    "GET /catalog/services/{service_id}": (200, 200),
}
