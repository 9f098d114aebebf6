"""A provider's invoice runs never overlap: refused with 409 when one exists, and on
PostgreSQL also when two are started at the same moment (the exclusion constraint of
migration 0004 holds where a check-then-insert cannot)."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time

import pytest
from django.db import IntegrityError, connection, transaction

from felles.core.services import Conflict
from felles.invoicing import services
from felles.invoicing.models import InvoiceRun
from felles.testing import OCTOBER, client_for, import_usage, usage_csv

ON_POSTGRES = "postgres" in os.environ.get("DATABASE_URL", "")


def test_an_overlapping_run_is_refused_with_409_on_the_page_and_in_the_api(billing) -> None:
    siri = client_for(billing.siri)
    october = {"provider": "DSS", "period_start": "2026-10-01", "period_end": "2026-10-31"}
    assert siri.post("/fakturering/", october).status_code == 302
    overlapping = {**october, "period_start": "2026-10-02"}
    page = siri.post("/fakturering/", overlapping)
    assert page.status_code == 409
    assert "overlapper perioden: 01.10.2026–31.10.2026 (utkast)" in page.text
    api = siri.post("/api/v1/invoice-runs", overlapping, "application/json")
    assert api.status_code == 409
    assert "overlapper perioden" in api.json()["message"]
    assert InvoiceRun.objects.count() == 1


@pytest.mark.skipif(
    not ON_POSTGRES, reason="PostgreSQL only: the exclusion constraint is PostgreSQL's"
)
@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_an_overlapping_run_the_service_did_not_check(shop) -> None:
    from felles.testing import add_billing

    dss = add_billing(shop).dss
    InvoiceRun.objects.create(provider=dss, period_start=OCTOBER[0], period_end=OCTOBER[1])
    with (
        pytest.raises(IntegrityError, match="invoicerun_periods_do_not_overlap"),
        transaction.atomic(),
    ):
        InvoiceRun.objects.create(
            provider=dss, period_start=dt.date(2026, 10, 31), period_end=dt.date(2026, 11, 3)
        )
    # Adjacent periods and other providers are fine.
    InvoiceRun.objects.create(
        provider=dss, period_start=dt.date(2026, 11, 1), period_end=dt.date(2026, 11, 30)
    )
    InvoiceRun.objects.create(provider=shop.dfd, period_start=OCTOBER[0], period_end=OCTOBER[1])


@pytest.mark.skipif(
    not ON_POSTGRES,
    reason="PostgreSQL only: SQLite serialises writers (IMMEDIATE), so two runs cannot "
    "start at the same moment there; the sequential test covers its check",
)
@pytest.mark.django_db(transaction=True)
def test_two_overlapping_runs_started_at_the_same_moment(shop, actor, monkeypatch) -> None:
    """Runs for 1–31 and 2–31 October, started together: exactly one is created. The
    computation is slowed so both have passed the service's check before either commits."""
    from felles.testing import add_billing

    billing = add_billing(shop)
    import_usage(billing.dss, usage_csv("srv-mobil;KUD;15.10.2026;10;a;nei;;"))
    compute = services.runs.compute_run

    def slow_compute(run: InvoiceRun) -> None:
        time.sleep(0.5)
        compute(run)

    monkeypatch.setattr(services.runs, "compute_run", slow_compute)
    barrier = threading.Barrier(2)
    results: list[str] = []
    messages: list[str] = []

    def start(first_day: int) -> None:
        try:
            barrier.wait(timeout=10)
            services.create_run(
                actor=actor,
                provider=billing.dss,
                period_start=dt.date(2026, 10, first_day),
                period_end=OCTOBER[1],
            )
            results.append("created")
        except Conflict as exc:
            results.append("conflict")
            messages.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=start, args=(day,)) for day in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == ["conflict", "created"]
    assert "overlapper perioden" in messages[0]
    assert InvoiceRun.objects.count() == 1
