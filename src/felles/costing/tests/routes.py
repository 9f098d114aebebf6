"""Access-matrix rows for the costing app's pages and API operations: the expected
answer for every persona. tests/test_access_matrix.py collects them; a route without a row
fails there."""

from __future__ import annotations

from felles.testing.matrix import (
    ALL,
    NOBODY,
    PERSONAS,
    Case,
    demo_cost_model,
    demo_price_list,
    seeded,
)

WEB: dict[str, Case] = {
    "cost_models": Case("GET", ALL),
    "cost_model": Case("GET", ALL, kwargs=lambda p: {"model_id": demo_cost_model(p).uuid}),
    # Only the provider's managers propose prices (no standing persona is one: 403 for all;
    # the success path is tested in costing/tests).
    "propose_prices": Case(
        "POST",
        dict.fromkeys(PERSONAS[1:], 403),
        kwargs=lambda p: {"model_id": demo_cost_model(p).uuid},
        body=lambda p: {"effective_from": "2027-01-01"},
    ),
    "price_list": Case("GET", ALL, kwargs=lambda p: {"price_list_id": demo_price_list(p).uuid}),
    "budget": Case("GET", ALL),
    "transfers": Case("GET", ALL),
    "recovery": Case("GET", ALL, kwargs=lambda p: seeded(p) and {}),
}

API: dict[str, Case] = {
    "GET /costing/models": Case("GET", ALL, anonymous=401),
    "GET /costing/models/{model_id}": Case(
        "GET", ALL, anonymous=401, kwargs=lambda p: {"model_id": demo_cost_model(p).uuid}
    ),
    "GET /costing/budget": Case("GET", ALL, anonymous=401),
    # Budgets and the ledger are kept by the provider's managers (no standing persona is
    # one; the success path is tested in costing/tests).
    "PUT /costing/budget/posts": Case(
        "PUT",
        NOBODY,
        anonymous=401,
        body=lambda p: {
            "provider": "DSS",
            "year": 2026,
            "chapter": 1510,
            "post": "01",
            "name": "Driftsutgifter",
            "kind": "expense",
            "amount": "1000",
        },
    ),
    "POST /costing/budget/ledger": Case("POST", NOBODY, anonymous=401),
    "GET /costing/transfers": Case("GET", ALL, anonymous=401),
    "GET /costing/recovery": Case("GET", ALL, anonymous=401),
    "GET /costing/funding": Case("GET", ALL, anonymous=401),
    "GET /costing/price-lists": Case("GET", ALL, anonymous=401),
    "GET /costing/price-lists/{price_list_id}": Case(
        "GET", ALL, anonymous=401, kwargs=lambda p: {"price_list_id": demo_price_list(p).uuid}
    ),
    "POST /costing/models/{model_id}/price-lists": Case(
        "POST",
        NOBODY,  # the provider's managers; tested in costing/tests
        anonymous=401,
        kwargs=lambda p: {"model_id": demo_cost_model(p).uuid},
        body=lambda p: {"effective_from": "2027-01-01"},
    ),
    "POST /costing/price-lists/{price_list_id}/approve": Case(
        "POST",
        {**NOBODY, "governance": 200},
        anonymous=401,
        kwargs=lambda p: {"price_list_id": demo_price_list(p).uuid},
        body=lambda p: {"decision_reference": "DFDs vedtak 2026/1"},
    ),
}

# (customer contact serving FIN, provider manager serving FIN), see SCOPED_PERSONAS.
SCOPED_WEB: dict[str, tuple[int, int]] = {
    "budget": (200, 200),
    "cost_model": (200, 200),
    "cost_models": (200, 200),
    "price_list": (200, 200),
    "propose_prices": (403, 403),
    "recovery": (200, 200),
    "transfers": (200, 200),
}

SCOPED_API: dict[str, tuple[int, int]] = {
    "GET /costing/budget": (200, 200),
    "GET /costing/funding": (200, 200),
    "GET /costing/models": (200, 200),
    "GET /costing/models/{model_id}": (200, 200),
    "GET /costing/price-lists": (200, 200),
    "GET /costing/price-lists/{price_list_id}": (200, 200),
    "GET /costing/recovery": (200, 200),
    "GET /costing/transfers": (200, 200),
    "POST /costing/budget/ledger": (403, 403),
    "POST /costing/models/{model_id}/price-lists": (403, 403),
    "POST /costing/price-lists/{price_list_id}/approve": (403, 403),
    "PUT /costing/budget/posts": (403, 403),
}
