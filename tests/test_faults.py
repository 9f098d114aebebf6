"""Faults: the database failing in the middle of a request, and a process killed in the
middle of an invoice run. Users get a clear page; nothing is left half-written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.test import Client

from felles.orders.models import Order

ROOT = Path(__file__).resolve().parents[1]
MEETING = {
    "priority": "normal",
    "dato": "2026-12-10",
    "tidspunkt": "09:00–10:00",
    "deltakere": "12",
    "oppsett": "U-bord",
    "quantity": "12",
}


def _fail_on(fragment: str):
    def wrapper(execute, sql, params, many, context):
        if fragment in sql:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    return wrapper


def test_database_lost_mid_write_gives_a_clear_page_and_no_partial_order(shop) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(shop.employee.user)
    url = f"/bestill/{shop.services['srv-servering'].uuid}/"  # srv-moterom: the room search
    # The order row is inserted, then the connection drops while writing its audit event.
    with connection.execute_wrapper(_fail_on('INSERT INTO "core_auditevent"')):
        response = client.post(url, MEETING)
    assert response.status_code == 503 and response["Retry-After"] == "30"
    text = response.content.decode()
    assert "får ikke kontakt med databasen" in text and "Ingenting av det du sendte" in text
    assert not Order.objects.exists()  # the whole submission was rolled back
    # Once the database answers again, the same submission goes through.
    assert client.post(url, MEETING).status_code == 302
    assert Order.objects.count() == 1


def test_database_unreachable_on_any_page_and_in_the_api(shop) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(shop.employee.user)
    with connection.execute_wrapper(_fail_on("")):
        page = client.get("/bestillinger/")
        api = client.get("/api/v1/orders")
    assert page.status_code == 503 and "Midlertidig utilgjengelig" in page.content.decode()
    assert api.status_code == 503 and api.json()["message"]


RUN_IN_CHILD = """
import django, os
django.setup()
from felles.core.actor import Actor
from felles.invoicing import services
from felles.organisations.models import Organisation
import datetime as dt
services.create_run(actor=Actor.system("fault test"),
                    provider=Organisation.objects.get(abbreviation="DSS"),
                    period_start=dt.date(2026, 10, 1), period_end=dt.date(2026, 10, 31))
print("finished")
"""


def _child_env() -> dict[str, str]:
    settings = connection.settings_dict
    url = (
        f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST']}:"
        f"{settings['PORT']}/{settings['NAME']}"
    )
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "felles.conf.settings",
        "FELLES_SECRET_KEY": "fault-test",
        "PYTHONPATH": str(ROOT / "src"),
    }


@pytest.mark.skipif(
    "postgres" not in os.environ.get("DATABASE_URL", ""),
    reason="needs PostgreSQL: the test watches the run wait on a lock from another session",
)
@pytest.mark.django_db(transaction=True)
def test_invoice_run_killed_mid_way_leaves_the_previous_state(shop, actor) -> None:
    """The run is killed after it has claimed the usage and written its invoices, while
    it waits for the audit chain (held here). Afterwards: no run, no claimed usage; the
    next run completes with every record billed once."""
    from felles.core.models import AuditChainHead
    from felles.invoicing.models import Invoice, InvoiceLine, InvoiceRun, UsageClaim, UsageRecord
    from felles.testing import add_billing, import_usage, usage_csv

    add_billing(shop)
    import_usage(
        shop.dss,
        usage_csv(*(f"srv-mobil;KUD;{d:02d}.10.2026;{d};r{d};nei;;" for d in range(1, 29))),
    )
    AuditChainHead.objects.get_or_create(id=1)
    holder = connection.copy()  # a second session that holds the chain head
    holder.connect()
    with holder.cursor() as cursor:
        cursor.execute("BEGIN")
        cursor.execute("SELECT * FROM core_auditchainhead WHERE id = 1 FOR UPDATE")
        child = subprocess.Popen(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", RUN_IN_CHILD],
            env=_child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + 60
            waiting = False
            while time.monotonic() < deadline and not waiting:
                with connection.cursor() as probe:
                    probe.execute(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE wait_event_type = 'Lock' AND query LIKE '%core_auditchainhead%'"
                    )
                    waiting = probe.fetchone()[0] > 0
                time.sleep(0.1)
            assert waiting, child.stderr.read().decode() if child.poll() is not None else ""
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
        finally:
            if child.poll() is None:
                child.kill()
            cursor.execute("ROLLBACK")
    holder.close()
    # The killed run left nothing: no run, no invoices, nothing claimed.
    assert not InvoiceRun.objects.exists() and not Invoice.objects.exists()
    assert not UsageClaim.objects.exists()
    # Running it again completes it, every record billed once.
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", RUN_IN_CHILD], env=_child_env(), capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr.decode()
    run = InvoiceRun.objects.get()
    assert run.usage_count == UsageRecord.objects.filter(claim__run=run).count() == 28
    assert InvoiceLine.objects.get(invoice__run=run).quantity == sum(range(1, 29))
