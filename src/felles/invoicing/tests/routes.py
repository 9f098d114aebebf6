"""Access-matrix rows for the invoicing app's pages and API operations: the expected
answer for every persona. tests/test_access_matrix.py collects them; a route without a row
fails there."""

from __future__ import annotations

import uuid

from felles.testing.matrix import (
    CROSS_READERS,
    KUD_BILL,
    NOBODY,
    Case,
    invoice_id,
    invoice_line,
    kud_invoice,
    run_usage,
)

WEB: dict[str, Case] = {
    "invoices": Case("GET", KUD_BILL),
    "invoice": Case("GET", KUD_BILL, kwargs=invoice_id),
    "invoice_line": Case("GET", KUD_BILL, kwargs=invoice_line),
    "invoice_dispute": Case(
        "POST",
        {**NOBODY, "manager": 302, "coordinator": 302},
        kwargs=invoice_line,
        body=lambda p: {"reason": "Feil antall"},
    ),
    "invoice_credit": Case("POST", NOBODY, kwargs=invoice_id, body=lambda p: {"reason": "x"}),
    "invoice_runs": Case("GET", CROSS_READERS),
    "invoice_run": Case("GET", CROSS_READERS, kwargs=lambda p: {"run_id": kud_invoice(p).run.uuid}),
    # Correcting a usage row of a draft run: provider finance only (tested in invoicing/tests).
    "invoice_run_usage": Case("GET", NOBODY, kwargs=run_usage),
    "usage_import": Case("GET", NOBODY),
    "invoice_dispute_resolve": Case(
        "POST", NOBODY, kwargs=lambda p: {"dispute_id": uuid.uuid4()}, body=lambda p: {}
    ),
}

API: dict[str, Case] = {
    "GET /invoices": Case("GET", {**KUD_BILL, "employee": 403}, anonymous=401),
    "GET /invoices/{invoice_id}": Case("GET", KUD_BILL, anonymous=401, kwargs=invoice_id),
    "GET /invoices/{invoice_id}/ehf": Case("GET", KUD_BILL, anonymous=401, kwargs=invoice_id),
    "POST /invoices/{invoice_id}/disputes": Case(
        "POST",
        # KUD's billing roles dispute; the invoice is shared in the test, so the
        # coordinator finds line 1 already disputed by Per (409).
        {**NOBODY, "manager": 201, "coordinator": 409},
        anonymous=401,
        kwargs=invoice_id,
        body=lambda p: {"position": 1, "reason": "Feil antall"},
    ),
    "POST /disputes/{dispute_id}/resolve": Case(
        "POST",
        NOBODY,
        anonymous=401,
        kwargs=lambda p: {"dispute_id": uuid.uuid4()},
        body=lambda p: {"accept": False, "resolution": "Nei"},
    ),
    "GET /invoice-runs": Case("GET", CROSS_READERS, anonymous=401),
    "POST /invoice-runs": Case(
        "POST",
        NOBODY,  # provider finance; tested in invoicing/tests
        anonymous=401,
        body=lambda p: {
            "provider": "DSS",
            "period_start": "2026-10-01",
            "period_end": "2026-10-31",
        },
    ),
    "POST /invoice-runs/{run_id}/actions": Case(
        "POST",
        NOBODY,
        anonymous=401,
        kwargs=lambda p: {"run_id": kud_invoice(p).run.uuid},
        body=lambda p: {"action": "recompute"},
    ),
}

# (customer contact serving FIN, provider manager serving FIN), see SCOPED_PERSONAS.
SCOPED_WEB: dict[str, tuple[int, int]] = {
    "invoice": (403, 404),
    "invoice_credit": (403, 404),
    "invoice_dispute": (403, 403),
    "invoice_dispute_resolve": (403, 404),
    "invoice_line": (403, 404),
    "invoice_run": (403, 404),
    "invoice_run_usage": (403, 404),
    "invoice_runs": (403, 200),
    "invoices": (403, 200),
    "usage_import": (403, 403),
}

SCOPED_API: dict[str, tuple[int, int]] = {
    "GET /invoice-runs": (403, 200),
    "GET /invoices": (403, 200),
    "GET /invoices/{invoice_id}": (403, 404),
    "GET /invoices/{invoice_id}/ehf": (403, 404),
    "POST /disputes/{dispute_id}/resolve": (403, 404),
    "POST /invoice-runs": (403, 404),
    "POST /invoice-runs/{run_id}/actions": (403, 404),
    "POST /invoices/{invoice_id}/disputes": (403, 403),
}
