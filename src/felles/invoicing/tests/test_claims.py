"""How a run claims its usage (`ClaimGroup`, read as one row per record through the
`invoicing_usageclaim` view): a usage record is claimed once, ever — by runs of different
periods too, and on PostgreSQL when they are computed at the same moment (the per-provider
claim lock); migration 0006 moves the old per-record claims into groups and back."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from felles.invoicing import services
from felles.invoicing.models import ClaimGroup, InvoiceRun, UsageClaim, UsageRecord
from felles.invoicing.services import computation
from felles.testing import OCTOBER, import_usage, usage_csv

ON_POSTGRES = "postgres" in os.environ.get("DATABASE_URL", "")
SEPTEMBER = (dt.date(2026, 9, 1), dt.date(2026, 9, 30))


def _claimed_once() -> dict[int, int]:
    """usage id → claiming run id, checking that no record is claimed twice."""
    pairs = list(UsageClaim.objects.values_list("usage_id", "run_id"))
    claims = dict(pairs)
    assert len(claims) == len(pairs), "a usage record is claimed twice"
    return claims


def _run(billing, actor, period: tuple[dt.date, dt.date]) -> InvoiceRun:
    return services.create_run(
        actor=actor, provider=billing.dss, period_start=period[0], period_end=period[1]
    )


def test_late_usage_is_claimed_by_one_run_of_two_periods(billing, actor) -> None:
    """September's draft; usage dated in September recorded after it is claimed by the
    October run (billable up to its period end), and a recompute of September leaves it
    there. Every reader of the claims agrees."""
    import_usage(billing.dss, usage_csv("srv-mobil;KUD;15.09.2026;2;a;nei;;"))
    september = _run(billing, actor, SEPTEMBER)
    import_usage(
        billing.dss,
        usage_csv("srv-mobil;KUD;20.09.2026;3;b;nei;;", "srv-mobil;FIN;02.10.2026;4;c;nei;;"),
    )
    october = _run(billing, actor, OCTOBER)
    september = services.recompute_run(actor=actor, run=september)
    late = UsageRecord.objects.get(usage_date=dt.date(2026, 9, 20))
    claims = _claimed_once()
    assert len(claims) == 3 and claims[late.pk] == october.pk == late.run_id
    assert (september.usage_count, october.usage_count) == (1, 2)
    assert set(september.usage.values_list("usage_date", flat=True)) == {dt.date(2026, 9, 15)}
    assert ClaimGroup.objects.filter(run=october).count() == 2  # KUD and FIN: two groups
    assert not UsageRecord.objects.filter(claim__isnull=True).exists()
    # A discarded October gives its rows back; September's recompute then takes the late one.
    services.discard_run(actor=actor, run=october)
    september = services.recompute_run(actor=actor, run=september)
    assert september.usage_count == 2 and len(_claimed_once()) == 2
    assert not ClaimGroup.objects.filter(run_id=october.pk).exists()


@pytest.mark.skipif(
    not ON_POSTGRES,
    reason="PostgreSQL only: SQLite serialises writers (IMMEDIATE), so two runs cannot "
    "claim at the same moment there; the sequential test covers its rule",
)
@pytest.mark.django_db(transaction=True)
def test_two_runs_of_one_provider_claiming_at_the_same_moment(shop, actor, monkeypatch) -> None:
    """September and October of one provider started together, over late September usage
    that both may claim. The computation is slowed after the claiming statement, so without
    the provider's claim lock both would read the usage as unclaimed before either commits.
    Both runs are created; every record is claimed by exactly one of them."""
    from felles.testing import add_billing

    billing = add_billing(shop)
    import_usage(
        billing.dss, usage_csv(*(f"srv-mobil;KUD;{d:02d}.09.2026;{d};r{d};nei;;" for d in (5, 20)))
    )
    documents = computation._documents

    def slow_documents(groups):
        time.sleep(0.5)
        return documents(groups)

    monkeypatch.setattr(computation, "_documents", slow_documents)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def start(period: tuple[dt.date, dt.date]) -> None:
        try:
            barrier.wait(timeout=10)
            _run(billing, actor, period)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=start, args=(period,)) for period in (SEPTEMBER, OCTOBER)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    claims = _claimed_once()
    assert len(claims) == 2
    counts = sorted(InvoiceRun.objects.values_list("usage_count", flat=True))
    assert counts in ([0, 2], [1, 1]) and sum(counts) == 2  # whoever came first claimed


@pytest.mark.django_db(transaction=True)
def test_migration_moves_claims_into_groups_and_back(billing, actor) -> None:
    """0006 turns each run's claim rows into a group (the view reads them back unchanged);
    reversed, the claim table is rebuilt from the groups."""
    import_usage(
        billing.dss,
        usage_csv("srv-mobil;KUD;15.10.2026;2;a;nei;;", "srv-mobil;FIN;16.10.2026;3;b;nei;;"),
    )
    run = _run(billing, actor, OCTOBER)
    before = _claimed_once()
    assert len(before) == 2
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("invoicing", "0005_claim_usage_by_reference")])
        with connection.cursor() as cursor:
            cursor.execute("SELECT usage_id, run_id FROM invoicing_usageclaim")
            assert dict(cursor.fetchall()) == before
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert _claimed_once() == before
    groups = list(ClaimGroup.objects.all())
    assert len(groups) == 2 and {g.run_id for g in groups} == {run.pk}  # KUD's and FIN's
    assert sorted(i for g in groups for i in g.usage_ids) == sorted(before)
