"""Invoice runs: create (compute a draft), recompute, discard, review ("attestert"),
approve (another person) and issue — each step the provider's managers' (`runs_invoicing`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import Conflict, ServiceError, allowed
from felles.core.types import AnyUser
from felles.invoicing import problems
from felles.invoicing.models import ClaimGroup, Invoice, InvoiceRun, UsageRecord
from felles.invoicing.services._common import FINANCE_ONLY, acting_person, lock, runs_invoicing
from felles.invoicing.services.computation import (
    compute_run,
    document_rows,
    line_fits,
    recompute,
    release,
    usage_of_line,
)
from felles.invoicing.services.documents import check_document, issue_document
from felles.organisations.models import Organisation, Person
from felles.organisations.selectors import manages_provider


def _runs_providers_invoicing(user: AnyUser, /, *, provider: Organisation, **_: Any) -> bool:
    return manages_provider(user, provider.pk)


@allowed(_runs_providers_invoicing, FINANCE_ONLY)
def create_run(
    *, actor: Actor, provider: Organisation, period_start: dt.date, period_end: dt.date
) -> InvoiceRun:
    if period_end < period_start:
        raise ServiceError(
            "Perioden slutter før den begynner.", {"period_end": ["Må være etter fra-datoen."]}
        )
    if period_end >= timezone.localdate():
        raise ServiceError(
            "En periode kan faktureres først når den er over.",
            {"period_end": ["Velg en dato før i dag."]},
        )
    with transaction.atomic():
        _refuse_overlap(provider, period_start, period_end)
        try:
            with transaction.atomic():
                run = InvoiceRun.objects.create(
                    provider=provider, period_start=period_start, period_end=period_end
                )
        except (IntegrityError, OperationalError) as exc:
            # PostgreSQL: a run inserted at the same moment committed first, and the exclusion
            # constraint (migration 0004) refused this one — or both inserts checked the
            # constraint at once, each waiting for the other, and PostgreSQL broke the
            # deadlock here (it arises only between overlapping runs). (SQLite serialises
            # writers, so the check above already saw it.) The same period twice:
            # one_run_per_period.
            if isinstance(exc, OperationalError) and not _deadlock(exc):
                raise
            _refuse_overlap(provider, period_start, period_end)
            raise Conflict(OVERLAP) from exc
        compute_run(run)
        audit.record(
            actor=actor,
            action="invoicing.run.create",
            obj=run,
            changes={
                "period": [None, f"{period_start}–{period_end}"],
                "usage_count": [None, run.usage_count],
                "invoiced_total": [None, str(run.invoiced_total)],
                "charged_total": [None, str(run.charged_total)],
            },
        )
    return run


OVERLAP = "Det finnes allerede en fakturakjøring som overlapper perioden."


def _deadlock(exc: OperationalError) -> bool:
    return getattr(exc.__cause__, "sqlstate", None) == "40P01"  # deadlock_detected


def _refuse_overlap(provider: Organisation, period_start: dt.date, period_end: dt.date) -> None:
    """The one rule: a provider's runs never overlap (discarded runs are deleted, so every
    run counts). Checked here for the message; on PostgreSQL the exclusion constraint of
    migration 0004 holds it against concurrent inserts, on SQLite IMMEDIATE transactions
    serialise writers so this check runs alone."""
    other = (
        InvoiceRun.objects.filter(
            provider=provider, period_start__lte=period_end, period_end__gte=period_start
        )
        .order_by("period_start")
        .first()
    )
    if other is not None:
        raise Conflict(
            f"{OVERLAP[:-1]}: {other.period_start:%d.%m.%Y}–{other.period_end:%d.%m.%Y} "
            f"({other.get_status_display().lower()})."
        )


@allowed(runs_invoicing, FINANCE_ONLY)
def recompute_run(*, actor: Actor, run: InvoiceRun) -> InvoiceRun:
    """Rebuild a draft run from its usage. Running it again without new usage gives the
    same invoices, lines and fingerprint."""
    with transaction.atomic():
        run = lock(run, InvoiceRun.Status.DRAFT, "beregnes på nytt")
        recompute(actor, run)
    return run


@allowed(runs_invoicing, FINANCE_ONLY)
def discard_run(*, actor: Actor, run: InvoiceRun) -> None:
    """Delete a draft run; its usage goes back to unbilled."""
    with transaction.atomic():
        run = lock(run, InvoiceRun.Status.DRAFT, "slettes")
        ClaimGroup.objects.filter(run=run).delete()
        audit.record(
            actor=actor,
            action="invoicing.run.discard",
            obj=run,
            changes={"usage_count": [run.usage_count, 0]},
        )
        run.delete()


@allowed(runs_invoicing, FINANCE_ONLY)
def review_run(*, actor: Actor, run: InvoiceRun, person: Person | None) -> InvoiceRun:
    """Mark a draft checked ("attestert"). Text that cannot go into XML is reported first,
    with the rows it comes from (`problems.run_problems`); then every document is run
    through the Peppol rules, and a fatal finding stops here with the rule id and text."""
    person = acting_person(person)
    with transaction.atomic():
        run = lock(run, InvoiceRun.Status.DRAFT, "kontrolleres")
        if not run.invoices.exists():
            raise ServiceError(
                "Kjøringen har ingen fakturaer: det er ikke noe forbruk å fakturere."
            )
        found = problems.run_problems(run)
        if found:
            raise ServiceError(
                f"Kjøringen kan ikke kontrolleres: {len(found)} felt har tegn eller verdier "
                "som ikke kan stå i en EHF-faktura. Rett dem (se listen på kjøringen) og "
                "kontroller igjen.",
                {"text": [p.message for p in found]},
            )
        for invoice in _documents(run):
            if invoice.is_ehf:
                check_document(invoice, f"UTKAST-{invoice.pk}", timezone.localdate())
        # Lines too large to invoice were named on the draft; their usage goes back to
        # unbilled (never billed by this run, never lost), and the next run names it again.
        held = 0
        for document in document_rows(run):
            for row in document.rows:
                if not line_fits(row):
                    held += _release(run, usage_of_line(run, document, row))
        if held:
            audit.record(
                actor=actor,
                action="invoicing.run.hold_back",
                obj=run,
                changes={"held_back_usage": [None, held]},
            )
        return _advance(run, InvoiceRun.Status.REVIEWED, actor, reviewed_by=person)


@allowed(runs_invoicing, FINANCE_ONLY)
def approve_run(*, actor: Actor, run: InvoiceRun, person: Person | None) -> InvoiceRun:
    """Approve a reviewed run. The economy regulations want two people: the one who checked
    a run cannot also approve it."""
    person = acting_person(person)
    with transaction.atomic():
        run = lock(run, InvoiceRun.Status.REVIEWED, "godkjennes")
        if run.reviewed_by_id == person.pk:
            raise Conflict("Den som har kontrollert kjøringen, kan ikke også godkjenne den.")
        return _advance(run, InvoiceRun.Status.APPROVED, actor, approved_by=person)


@allowed(runs_invoicing, FINANCE_ONLY)
def issue_run(*, actor: Actor, run: InvoiceRun, person: Person | None) -> InvoiceRun:
    """Number, render and validate every document of an approved run and issue them — all
    or nothing. Of two people issuing at once, exactly one succeeds."""
    person = acting_person(person)
    with transaction.atomic():
        run = lock(run, InvoiceRun.Status.APPROVED, "utstedes")
        today = timezone.localdate()
        for invoice in _documents(run):
            issue_document(invoice, today)
        return _advance(
            run, InvoiceRun.Status.ISSUED, actor, issued_by=person, issued_at=timezone.now()
        )


def _release(run: InvoiceRun, usage: QuerySet[UsageRecord]) -> int:
    """Give `usage` of `run` back to unbilled (out of its claim groups); how many rows."""
    return release(run, list(usage.values_list("pk", flat=True)))


def _documents(run: InvoiceRun) -> Iterable[Invoice]:
    return (
        run.invoices.select_related("ministry__billing", "provider__billing")
        .prefetch_related("lines__service")
        .order_by("kind", "ministry__abbreviation")
    )


def _advance(run: InvoiceRun, status: str, actor: Actor, **fields: Any) -> InvoiceRun:
    before = audit.snapshot(run, ["status", *fields])
    for name, value in fields.items():
        setattr(run, name, value)
    run.status = status
    action = f"invoicing.run.{status}"
    audit.save_audited(run, actor=actor, fields=["status", *fields], before=before, action=action)
    return run
