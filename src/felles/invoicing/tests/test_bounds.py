"""Numbers and dates at their bounds: a month outside 2000–2100 on the invoice list, and
amounts too large for an invoice line (one absurd row, or many rows summed) never answer
500 or stop the month's run without saying which rows are to blame."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from felles.core.validators import DATE_RANGE_MESSAGE
from felles.testing import client_for

# Working-day deadlines and default periods depend on today.
pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.mark.parametrize(
    ("month", "why"),
    [
        ("9999-12", DATE_RANGE_MESSAGE),
        ("1999-12", DATE_RANGE_MESSAGE),
        ("2101-01", DATE_RANGE_MESSAGE),
        ("0001-01", DATE_RANGE_MESSAGE),
        ("banan", "«banan» er ikke en måned"),
    ],
)
def test_a_month_outside_the_date_bounds_shows_the_default_with_a_message(
    billing, month, why
) -> None:
    page = client_for(billing.coordinator).get("/faktura/", {"maaned": month})
    assert page.status_code == 200
    default = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    assert page.context["month"] == default
    assert str(why) in page.text and f"Viser {default}." in page.text


@pytest.mark.parametrize("month", ["2000-01", "2100-12"])
def test_the_first_and_last_months_in_bounds_are_shown(billing, month) -> None:
    page = client_for(billing.coordinator).get("/faktura/", {"maaned": month})
    assert page.status_code == 200 and page.context["month"] == month
    start, end = page.context["period"]
    assert start.day == 1 and (end + dt.timedelta(days=1)).day == 1


ABSURD = "9999999999.99"


def test_an_import_row_whose_amount_no_invoice_line_can_hold_is_a_row_error(billing) -> None:
    from felles.invoicing import importing
    from felles.testing import usage_csv

    plan = importing.plan_usage(
        billing.dss,
        usage_csv(
            f"srv-mobil;KUD;31.10.2026;{ABSURD};a;ja;{ABSURD};",  # 10^20 kr
            f"srv-mobil;KUD;31.10.2026;{ABSURD};b;nei;;",  # × 289 kr: fits
        ),
        "forbruk.csv",
    )
    assert [(e.row, e.column) for e in plan.errors] == [(2, "mengde")]
    assert "mer enn en fakturalinje kan ha" in plan.errors[0].message
    assert len(plan.rows) == 1


def _legacy_absurd_row(billing):
    """An imported row made absurd in the database (as data from before the import
    checked the product would be): 9 999 999 999.99 × 9 999 999 999.99 kr."""
    from felles.invoicing.models import UsageRecord
    from felles.testing import import_usage, usage_csv

    import_usage(
        billing.dss,
        usage_csv(
            "srv-mobil;KUD;31.10.2026;1;a;ja;10;",
            "srv-mobil;FIN;31.10.2026;10;m;nei;;",
        ),
    )
    UsageRecord.objects.filter(external_reference="a").update(
        quantity=Decimal(ABSURD), unit_price=Decimal(ABSURD)
    )
    return UsageRecord.objects.get(external_reference="a")


def test_a_line_too_large_is_held_back_named_and_the_run_goes_on(billing) -> None:
    from felles.core.models import AuditEvent
    from felles.invoicing.models import Invoice, InvoiceRun

    absurd = _legacy_absurd_row(billing)
    siri = client_for(billing.siri)
    page = siri.post(
        "/fakturering/",
        {"provider": "DSS", "period_start": "2026-10-01", "period_end": "2026-10-31"},
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    run = InvoiceRun.objects.get()
    # FIN's usage is invoiced; KUD's absurd line is held back, not written.
    assert [i.ministry.abbreviation for i in Invoice.objects.filter(run=run)] == ["FIN"]
    assert run.usage_count == 1 and run.invoiced_total == Decimal("2890.00")
    detail = siri.get(f"/fakturering/{run.uuid}/")
    assert "Forbruk som er holdt utenfor kjøringen" in detail.text
    (held,) = detail.context["held_back"]
    assert held.usage == (absurd,) and held.ministry == billing.kud
    assert "srv-mobil" in held.message and "til KUD" in held.message
    assert "import, 31.10.2026, ref. a" in held.message
    # Recomputing gives the same run; review releases the held-back usage unbilled.
    before = run.fingerprint
    assert siri.post(f"/fakturering/{run.uuid}/", {"action": "recompute"}).status_code == 302
    run.refresh_from_db()
    assert run.fingerprint == before
    page = siri.post(f"/fakturering/{run.uuid}/", {"action": "review"}, follow=True)
    assert "merket som kontrollert" in page.text
    absurd.refresh_from_db()
    assert absurd.run_id is None
    assert AuditEvent.objects.get(action="invoicing.run.hold_back").changes == {
        "held_back_usage": [None, 1]
    }


def test_many_rows_summing_past_a_line_are_held_back_and_named(billing) -> None:
    """Each row fits an invoice line; their sum on one line does not."""
    from felles.invoicing import problems, services
    from felles.testing import OCTOBER, import_usage, usage_csv

    import_usage(
        billing.dss,
        usage_csv(
            "srv-mobil;KUD;30.10.2026;9000000000;x;ja;10000;",
            "srv-mobil;KUD;31.10.2026;9000000000;x;ja;10000;",  # same line: 1.8 × 10^14 kr
        ),
    )
    run = services.create_run(
        actor=_actor(), provider=billing.dss, period_start=OCTOBER[0], period_end=OCTOBER[1]
    )
    assert not run.invoices.exists()
    (held,) = problems.held_back(run)
    assert held.usage_count == 2 and held.amount == Decimal("180000000000000.00")
    assert "2 forbruksrader" in held.message


def test_a_document_total_too_large_refuses_the_run_naming_the_ministry(billing) -> None:
    """Each line fits; their total on KUD's invoice does not: no run, a message naming
    the ministry and the service (422 on the page)."""
    from felles.invoicing.models import InvoiceRun
    from felles.testing import import_usage, usage_csv

    import_usage(
        billing.dss,
        usage_csv(
            "srv-mobil;KUD;31.10.2026;9000000000;x;ja;10000;",
            "srv-mobil;KUD;31.10.2026;9000000000;y;ja;10000;",
        ),
    )
    page = client_for(billing.siri).post(
        "/fakturering/",
        {"provider": "DSS", "period_start": "2026-10-01", "period_end": "2026-10-31"},
    )
    assert page.status_code == 422
    assert "Dokumentet til KUD blir på 180000000000000.00 kr" in page.text
    assert "srv-mobil" in page.text
    assert not InvoiceRun.objects.exists()


def _actor():
    from felles.core.actor import Actor

    return Actor.system("test")
