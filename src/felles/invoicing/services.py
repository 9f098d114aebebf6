"""Invoicing writes: usage, invoice runs, issuing (numbered, EHF, validated), credit notes
and disputes. Every function runs in one transaction and leaves an audit event.

Rounding rule: a line's amount is Σ quantity × unit price of the usage behind it, rounded
half up to the øre once (`ehf.round_ore`); a document's total is the sum of its lines.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.utils import timezone
from stdnum.exceptions import ValidationError as NumberError
from stdnum.no import kontonr

from felles.catalog.models import Funding, Service
from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import Conflict, ServiceError, check_allowed
from felles.core.validators import fits_decimal_field
from felles.invoicing import ehf, validation
from felles.invoicing.models import (
    BillingProfile,
    Dispute,
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    InvoiceRun,
    UsageRecord,
)
from felles.organisations.models import Organisation, Person
from felles.organisations.selectors import manages_provider

if TYPE_CHECKING:
    from felles.orders.models import Order

BILLED_FUNDING = (Funding.INVOICING, Funding.CHARGING_AUTHORISATION)
SERIES = {
    Invoice.Kind.INVOICE: "F",
    Invoice.Kind.CREDIT_NOTE: "K",
    Invoice.Kind.POSTING: "B",
}


# --- usage ----------------------------------------------------------------------------------


def record_order_usage(*, actor: Actor, order: Order) -> UsageRecord | None:
    """Write the usage record of a resolved order, priced at the version valid on the
    delivery date. Appropriation-funded services are recorded too, unpriced, for showback;
    a second resolve of a reopened order does not count twice."""
    day = timezone.localdate(order.resolved_at) if order.resolved_at else timezone.localdate()
    with transaction.atomic():
        if UsageRecord.objects.filter(order=order).exists():
            return None
        version = order.service.price_on(day) if order.funding in BILLED_FUNDING else None
        usage = UsageRecord.objects.create(
            ministry=order.ministry,
            service=order.service,
            provider_id=order.service.provider_id,
            quantity=order.quantity,
            unit_code=order.service.unit_code,
            price_version=version,
            unit_price=version.unit_price if version else None,
            funding=order.funding,
            buyer_reference=order.buyer_reference,
            usage_date=day,
            order=order,
        )
        audit.record(
            actor=actor,
            action="invoicing.usage.create",
            obj=usage,
            changes={
                "quantity": [None, str(order.quantity)],
                "unit_price": [None, audit.to_json_value(usage.unit_price)],
            },
            organisation_id=order.ministry_id,
        )
    return usage


# --- runs -----------------------------------------------------------------------------------


def _acting_person(person: Person | None) -> Person:
    if person is None:
        raise ServiceError("Bare personer registrert i Felles kan behandle fakturaer.")
    return person


def _finance(actor: Actor, provider_id: int, ministry_id: int | None = None) -> None:
    """Invoicing is the provider's managers' work (the pages and the API check it too):
    one ministry's documents for those who serve it, runs for those who serve all."""
    check_allowed(
        actor,
        lambda u: manages_provider(u, provider_id, ministry_id),
        "Bare leverandørens ledere fører fakturakjøringene.",
    )


def create_run(
    *, actor: Actor, provider: Organisation, period_start: dt.date, period_end: dt.date
) -> InvoiceRun:
    _finance(actor, provider.pk)
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
        except IntegrityError as exc:
            # PostgreSQL: a run inserted at the same moment committed first, and the exclusion
            # constraint (migration 0004) refused this one. (SQLite serialises writers, so
            # the check above already saw it.) The same period twice: one_run_per_period.
            _refuse_overlap(provider, period_start, period_end)
            raise Conflict(OVERLAP) from exc
        _compute(run)
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


def recompute_run(*, actor: Actor, run: InvoiceRun) -> InvoiceRun:
    """Rebuild a draft run from its usage. Running it again without new usage gives the
    same invoices, lines and fingerprint."""
    _finance(actor, run.provider_id)
    with transaction.atomic():
        run = _lock(run, InvoiceRun.Status.DRAFT, "beregnes på nytt")
        _recompute(actor, run)
    return run


def _recompute(actor: Actor, run: InvoiceRun) -> None:
    """Recompute a locked draft and record it (the caller's transaction)."""
    before = run.fingerprint
    _compute(run)
    audit.record(
        actor=actor,
        action="invoicing.run.recompute",
        obj=run,
        changes={"fingerprint": [before, run.fingerprint]},
    )


def _lock(run: InvoiceRun, status: str, verb: str) -> InvoiceRun:
    locked = InvoiceRun.objects.select_for_update().select_related("provider").get(pk=run.pk)
    if locked.status != status:
        raise Conflict(f"Kjøringen kan ikke {verb}: den er {locked.get_status_display().lower()}.")
    return locked


# The columns a run's amounts go into: one absurd usage row (quantity 9 999 999 999.99 ×
# price 9 999 999 999.99), or very many rows summed, must not overflow them (PostgreSQL
# refuses, SQLite would store it) — such a line is held back and named instead.
_LINE_QUANTITY = InvoiceLine._meta.get_field("quantity")
_LINE_AMOUNT = InvoiceLine._meta.get_field("amount")
_DOCUMENT_TOTAL = Invoice._meta.get_field("total")
_RUN_TOTAL = InvoiceRun._meta.get_field("invoiced_total")


@dataclass(frozen=True)
class DocumentRows:
    """A document of a run before it is written: its ministry, funding, standing reference
    and the merged line rows (`quantity`, `unit_price`, `amount`, `first`, `last`, `n` …)."""

    ministry_id: int
    funding: str
    reference: str
    rows: list[dict[str, Any]]

    @property
    def kind(self) -> str:
        return Invoice.Kind.INVOICE if self.funding == Funding.INVOICING else Invoice.Kind.POSTING


def line_fits(row: dict[str, Any]) -> bool:
    """Whether a merged line's quantity and amount fit an invoice line."""
    return fits_decimal_field(row["quantity"], _LINE_QUANTITY) and fits_decimal_field(
        row["amount"], _LINE_AMOUNT
    )


def document_rows(run: InvoiceRun) -> list[DocumentRows]:
    """The usage claimed by `run` aggregated into its documents and lines — set-based, one
    `GROUP BY`, no loop over usage. Lines that do not fit (`line_fits`) are included: the
    caller holds them back."""
    groups = list(
        UsageRecord.objects.filter(run=run)
        .values(
            "ministry_id",
            "funding",
            "service_id",
            "unit_price",
            "unit_code",
            "pass_through",
            "external_reference",
            "buyer_reference",
        )
        .annotate(
            quantity=Sum("quantity"), first=Min("usage_date"), last=Max("usage_date"), n=Count("id")
        )
        .order_by(
            "ministry_id",
            "funding",
            "pass_through",
            "service_id",
            "unit_price",
            "unit_code",
            "external_reference",
            "buyer_reference",
        )
    )
    profiles = {
        p.organisation_id: p
        for p in BillingProfile.objects.filter(
            organisation_id__in={g["ministry_id"] for g in groups}
        )
    }
    documents: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for group in groups:
        documents.setdefault((group["ministry_id"], group["funding"]), []).append(group)
    result = []
    for (ministry_id, funding), rows in documents.items():
        profile = profiles.get(ministry_id)
        reference = profile.buyer_reference if profile else ""
        merged = _merge_references(rows, reference)
        for row in merged:
            row["amount"] = ehf.round_ore(row["quantity"] * row["unit_price"])
        result.append(DocumentRows(ministry_id, funding, reference, merged))
    return result


def usage_of_line(run: InvoiceRun, document: DocumentRows, row: dict[str, Any]) -> Any:
    """The usage rows of `run` merged into `row` of `document` (cf. selectors.usage_behind
    for a stored line)."""
    rows = UsageRecord.objects.filter(
        run=run,
        ministry_id=document.ministry_id,
        funding=document.funding,
        service_id=row["service_id"],
        unit_price=row["unit_price"],
        unit_code=row["unit_code"],
        pass_through=row["pass_through"],
        buyer_reference__in=[row["buyer_reference"]]
        if row["buyer_reference"]
        else ["", document.reference],
    )
    if row["pass_through"]:
        rows = rows.filter(external_reference=row["external_reference"])
    return rows.select_related("order", "service", "ministry").order_by("usage_date", "pk")


def _compute(run: InvoiceRun) -> None:
    """Claim the provider's unbilled, priced usage up to the period end and aggregate it
    into one invoice (and one posting) per ministry. A line too large for an invoice line
    is held back: its usage stays claimed by the draft, the run page names it
    (`problems.held_back`) and review releases it unbilled. A document or run total too
    large (very many huge lines) refuses the computation, naming the ministry."""
    Invoice.objects.filter(run=run).delete()
    UsageRecord.objects.filter(
        provider=run.provider,
        run__isnull=True,
        usage_date__lte=run.period_end,
        funding__in=BILLED_FUNDING,
        unit_price__isnull=False,
    ).update(run=run)
    documents = document_rows(run)
    # Looked up by the ids in the groups: joining back to a million usage rows is slow.
    services = {
        s.pk: s
        for s in Service.objects.filter(pk__in={r["service_id"] for d in documents for r in d.rows})
    }
    digest = hashlib.sha256()
    invoiced = charged = Decimal(0)
    count = 0
    lines: list[InvoiceLine] = []
    for document in documents:
        ministry_id, kind = document.ministry_id, document.kind
        kept = []
        for row in document.rows:
            if line_fits(row):
                kept.append(row)
            else:
                digest.update(
                    f"held|{ministry_id}|{kind}|{row['service_id']}|{row['quantity']}|"
                    f"{row['unit_price']}|{row['n']}\n".encode()
                )
        if not kept:
            continue
        total = sum((row["amount"] for row in kept), Decimal(0))
        if not fits_decimal_field(total, _DOCUMENT_TOTAL):
            _too_large(document, total)
        invoice = Invoice.objects.create(
            run=run,
            provider_id=run.provider_id,
            ministry_id=ministry_id,
            kind=kind,
            period_start=min(run.period_start, *(r["first"] for r in kept)),
            period_end=run.period_end,
            buyer_reference=document.reference,
            total=total,
        )
        for position, row in enumerate(kept, 1):
            service = services[row["service_id"]]
            amount = row["amount"]
            description = service.name_nb
            if row["pass_through"]:
                description = f"Videreformidlet kostnad: {service.name_nb}"
                if row["external_reference"]:
                    description += f" (ref. {row['external_reference']})"
            line = InvoiceLine(
                invoice=invoice,
                position=position,
                service=service,
                description=description[:250],
                unit_code=row["unit_code"],
                quantity=row["quantity"],
                unit_price=row["unit_price"],
                amount=amount,
                pass_through=row["pass_through"],
                external_reference=row["external_reference"],
                buyer_reference=row["buyer_reference"],
                period_start=max(row["first"], invoice.period_start),
                period_end=min(row["last"], run.period_end),
                usage_count=row["n"],
            )
            lines.append(line)
            count += row["n"]
            digest.update(
                f"{ministry_id}|{kind}|{position}|{service.code}|{row['quantity']}|"
                f"{row['unit_price']}|{amount}|{line.buyer_reference}|{row['n']}\n".encode()
            )
        if kind == Invoice.Kind.INVOICE:
            invoiced += total
        else:
            charged += total
        if not fits_decimal_field(invoiced, _RUN_TOTAL) or not fits_decimal_field(
            charged, _RUN_TOTAL
        ):
            _too_large(document, invoiced if kind == Invoice.Kind.INVOICE else charged, run=True)
    InvoiceLine.objects.bulk_create(lines)
    run.computed_at = timezone.now()
    run.fingerprint = digest.hexdigest()
    run.usage_count = count
    run.invoiced_total = invoiced
    run.charged_total = charged
    run.save(
        update_fields=[
            "computed_at",
            "fingerprint",
            "usage_count",
            "invoiced_total",
            "charged_total",
            "updated_at",
        ]
    )


def _too_large(document: DocumentRows, total: Decimal, *, run: bool = False) -> None:
    """Refuse a document (or run) total no column can hold, naming the ministry and the
    largest lines' services, so the rows can be found."""
    ministry = Organisation.objects.get(pk=document.ministry_id)
    biggest = sorted(document.rows, key=lambda r: r["amount"], reverse=True)[:3]
    codes = Service.objects.filter(pk__in=[r["service_id"] for r in biggest]).values_list(
        "code", flat=True
    )
    what = "Kjøringen" if run else f"Dokumentet til {ministry.abbreviation}"
    raise ServiceError(
        f"{what} blir på {total} kr, mer enn en faktura kan ha. Forbruket til "
        f"{ministry.abbreviation} med de største beløpene gjelder {', '.join(sorted(codes))}: "
        "se etter mengder eller priser som er skrevet feil."
    )


def _merge_references(rows: list[dict[str, Any]], default: str) -> list[dict[str, Any]]:
    """One line per service, price and reference: usage without its own buyer reference and
    usage carrying the ministry's standing one share a line (with no line reference)."""
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        reference = "" if row["buyer_reference"] in ("", default) else row["buyer_reference"]
        # A pass-through cost keeps the supplier's reference on its own line.
        external = row["external_reference"] if row["pass_through"] else ""
        key = (
            row["pass_through"],
            row["service_id"],
            row["unit_price"],
            row["unit_code"],
            external,
            reference,
        )
        if key in merged:
            into = merged[key]
            into["quantity"] += row["quantity"]
            into["first"] = min(into["first"], row["first"])
            into["last"] = max(into["last"], row["last"])
            into["n"] += row["n"]
        else:
            merged[key] = {**row, "buyer_reference": reference, "external_reference": external}
    return list(merged.values())


CORRECTABLE = ("buyer_reference", "external_reference")


def same_text_rows(usage: UsageRecord, name: str) -> QuerySet[UsageRecord]:
    """The rows a correction of field `name` of `usage` changes when «the same text» is
    chosen: rows of the same run *and ministry* holding the same old text — and only when
    that text holds a character EHF cannot carry (the reason the correction page exists).
    An empty or legal old text matches the row itself only."""
    old = getattr(usage, name)
    if usage.run_id is None or ehf.illegal_position(old) is None:  # "" has none
        return UsageRecord.objects.filter(pk=usage.pk)
    return UsageRecord.objects.filter(
        run_id=usage.run_id, ministry_id=usage.ministry_id, **{name: old}
    )


def _correction_rows(usage: UsageRecord, names: Iterable[str], same_value: bool) -> Q:
    rows = Q(pk=usage.pk)
    if same_value:
        for name in names:
            rows |= Q(pk__in=same_text_rows(usage, name).values("pk"))
    return rows


def same_text_count(usage: UsageRecord) -> int:
    """How many rows a correction «of every row with the same text» changes when each bad
    text of `usage` is corrected (the page shows it): exactly what `correct_usage` writes."""
    return UsageRecord.objects.filter(_correction_rows(usage, CORRECTABLE, True)).count()


def correct_usage(
    *,
    actor: Actor,
    usage: UsageRecord,
    buyer_reference: str,
    external_reference: str,
    same_value: bool = False,
) -> int:
    """Correct the texts of a usage row in a draft run (the buyer's reference, i.e. cost
    centre, and the external reference) — for data that cannot go into EHF. With
    `same_value`, the rows of the same ministry in the run carrying the same bad text get
    the same correction (`same_text_rows`). The run is recomputed in the same transaction,
    so its lines carry the corrected text. Returns how many rows were changed."""
    _finance(actor, usage.provider_id or 0)
    new = {"buyer_reference": buyer_reference.strip(), "external_reference": external_reference}
    new["external_reference"] = new["external_reference"].strip()
    errors = {
        name: [error] for name, value in new.items() if (error := ehf.illegal_text_error(value))
    }
    errors.update({name: ["Høyst 100 tegn."] for name, value in new.items() if len(value) > 100})
    if errors:
        raise ServiceError("Rettingen inneholder feil.", errors)
    with transaction.atomic():
        usage = UsageRecord.objects.select_for_update().get(pk=usage.pk)
        if usage.run_id is None:
            raise Conflict("Forbruksraden hører ikke til noen fakturakjøring.")
        run = _lock(InvoiceRun(pk=usage.run_id), InvoiceRun.Status.DRAFT, "rettes")
        changed = {name: value for name, value in new.items() if getattr(usage, name) != value}
        if not changed:
            raise ServiceError("Ingenting er endret.")
        total = UsageRecord.objects.filter(_correction_rows(usage, changed, same_value)).count()
        rows: dict[str, int] = {}
        for name, value in changed.items():
            scope = _correction_rows(usage, [name], same_value)
            rows[name] = UsageRecord.objects.filter(scope).update(**{name: value})
        audit.record(
            actor=actor,
            action="invoicing.usage.correct",
            obj=usage,
            changes={
                **{name: [getattr(usage, name), value] for name, value in changed.items()},
                "rows": [None, rows],
                "run": [None, str(run.uuid)],
            },
            organisation_id=usage.ministry_id,
        )
        _recompute(actor, run)
    return total


def discard_run(*, actor: Actor, run: InvoiceRun) -> None:
    """Delete a draft run; its usage goes back to unbilled."""
    _finance(actor, run.provider_id)
    with transaction.atomic():
        run = _lock(run, InvoiceRun.Status.DRAFT, "slettes")
        UsageRecord.objects.filter(run=run).update(run=None)
        audit.record(
            actor=actor,
            action="invoicing.run.discard",
            obj=run,
            changes={"usage_count": [run.usage_count, 0]},
        )
        run.delete()


def review_run(*, actor: Actor, run: InvoiceRun, person: Person | None) -> InvoiceRun:
    """Mark a draft checked ("attestert"). Text that cannot go into XML is reported first,
    with the rows it comes from (`problems.run_problems`); then every document is run
    through the Peppol rules, and a fatal finding stops here with the rule id and text."""
    from felles.invoicing.problems import run_problems  # it renders through to_document

    _finance(actor, run.provider_id)
    person = _acting_person(person)
    with transaction.atomic():
        run = _lock(run, InvoiceRun.Status.DRAFT, "kontrolleres")
        if not run.invoices.exists():
            raise ServiceError(
                "Kjøringen har ingen fakturaer: det er ikke noe forbruk å fakturere."
            )
        problems = run_problems(run)
        if problems:
            raise ServiceError(
                f"Kjøringen kan ikke kontrolleres: {len(problems)} felt har tegn eller verdier "
                "som ikke kan stå i en EHF-faktura. Rett dem (se listen på kjøringen) og "
                "kontroller igjen.",
                {"text": [p.message for p in problems]},
            )
        for invoice in _documents(run):
            if invoice.is_ehf:
                _check(invoice, f"UTKAST-{invoice.pk}", timezone.localdate())
        # Lines too large to invoice were named on the draft; their usage goes back to
        # unbilled (never billed by this run, never lost), and the next run names it again.
        held = 0
        for document in document_rows(run):
            for row in document.rows:
                if not line_fits(row):
                    held += usage_of_line(run, document, row).update(run=None)
        if held:
            audit.record(
                actor=actor,
                action="invoicing.run.hold_back",
                obj=run,
                changes={"held_back_usage": [None, held]},
            )
        return _advance(run, InvoiceRun.Status.REVIEWED, actor, reviewed_by=person)


def approve_run(*, actor: Actor, run: InvoiceRun, person: Person | None) -> InvoiceRun:
    """Approve a reviewed run. The economy regulations want two people: the one who checked
    a run cannot also approve it."""
    _finance(actor, run.provider_id)
    person = _acting_person(person)
    with transaction.atomic():
        run = _lock(run, InvoiceRun.Status.REVIEWED, "godkjennes")
        if run.reviewed_by_id == person.pk:
            raise Conflict("Den som har kontrollert kjøringen, kan ikke også godkjenne den.")
        return _advance(run, InvoiceRun.Status.APPROVED, actor, approved_by=person)


def issue_run(*, actor: Actor, run: InvoiceRun, person: Person | None) -> InvoiceRun:
    """Number, render and validate every document of an approved run and issue them — all
    or nothing. Of two people issuing at once, exactly one succeeds."""
    _finance(actor, run.provider_id)
    person = _acting_person(person)
    with transaction.atomic():
        run = _lock(run, InvoiceRun.Status.APPROVED, "utstedes")
        today = timezone.localdate()
        for invoice in _documents(run):
            _issue(invoice, today)
        return _advance(
            run, InvoiceRun.Status.ISSUED, actor, issued_by=person, issued_at=timezone.now()
        )


def _documents(run: InvoiceRun) -> Iterable[Invoice]:
    return (
        run.invoices.select_related("ministry__billing", "provider__billing")
        .prefetch_related("lines__service")
        .order_by("kind", "ministry__abbreviation")
    )


def _advance(run: InvoiceRun, status: str, actor: Actor, **fields: Any) -> InvoiceRun:
    before = run.status
    for name, value in fields.items():
        setattr(run, name, value)
    run.status = status
    run.save(update_fields=["status", "updated_at", *fields])
    audit.record(
        actor=actor,
        action=f"invoicing.run.{status}",
        obj=run,
        changes={
            "status": [before, status],
            **{k: [None, audit.to_json_value(v)] for k, v in fields.items()},
        },
    )
    return run


def _next_number(provider: Organisation, kind: str, year: int) -> str:
    series = SERIES[kind]
    counter, _ = InvoiceCounter.objects.select_for_update().get_or_create(
        provider=provider, series=series, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{provider.abbreviation}-{series}{year}-{counter.last:06d}"


def _issue(invoice: Invoice, today: dt.date) -> None:
    number = _next_number(invoice.provider, invoice.kind, today.year)
    if invoice.is_ehf:
        xml, findings = _check(invoice, number, today)
        invoice.xml = xml.decode()
        invoice.validation = findings
    invoice.number = number
    invoice.issue_date = today
    if invoice.kind == Invoice.Kind.INVOICE:
        invoice.due_date = _due_date(invoice.provider, today)
    invoice.status = Invoice.Status.ISSUED
    invoice.save()


def _check(invoice: Invoice, number: str, today: dt.date) -> tuple[bytes, list[dict[str, str]]]:
    """Render the EHF document and run both official rule sets on it. Fatal findings refuse
    the operation (the caller's transaction rolls back); warnings are kept with it. Text
    XML cannot carry, or a broken account number, refuses it too — never a crash."""
    where = f"{invoice.get_kind_display()} til {invoice.ministry.abbreviation}"
    try:
        xml = ehf.build(to_document(invoice, number, today))
    except ehf.InvalidText as exc:
        raise ServiceError(
            f"{where} kan ikke lages som EHF: {exc.problems[0].message}",
            {"text": [p.message for p in exc.problems]},
        ) from exc
    except NumberError as exc:
        raise ServiceError(
            f"{where} kan ikke lages som EHF: kontonummeret til "
            f"{invoice.provider.abbreviation} er ugyldig."
        ) from exc
    result = validation.validate(xml)
    if not result.ok:
        first = result.fatal[0]
        raise ServiceError(
            f"{invoice.get_kind_display()} til {invoice.ministry.abbreviation} bryter "
            f"EHF-regelen {first.rule_id}: {first.text}",
            {"ehf": [f"{f.rule_id}: {f.text}" for f in result.fatal]},
        )
    return xml, [{"rule": f.rule_id, "flag": f.flag, "text": f.text} for f in result.findings]


def _profile(organisation: Organisation) -> BillingProfile | None:
    try:
        return organisation.billing
    except BillingProfile.DoesNotExist:
        return None


def _due_date(provider: Organisation, today: dt.date) -> dt.date:
    profile = _profile(provider)
    return today + dt.timedelta(days=profile.payment_days if profile else 30)


def _party(organisation: Organisation) -> ehf.Party:
    profile = _profile(organisation)
    return ehf.Party(
        name=organisation.name_nb,
        org_number=organisation.org_number,
        street=profile.street if profile else "",
        city=profile.city if profile else "",
        postcode=profile.postcode if profile else "",
    )


def to_document(invoice: Invoice, number: str, today: dt.date) -> ehf.Document:
    """The EHF view of an invoice or credit note."""
    seller_profile = _profile(invoice.provider)
    credit = invoice.kind == Invoice.Kind.CREDIT_NOTE
    account = seller_profile.bank_account if seller_profile and not credit else ""
    original = invoice.credited_invoice
    return ehf.Document(
        credit_note=credit,
        number=number,
        issue_date=today,
        due_date=_due_date(invoice.provider, today),
        buyer_reference=invoice.buyer_reference,
        period_start=invoice.period_start,
        period_end=invoice.period_end,
        seller=_party(invoice.provider),
        buyer=_party(invoice.ministry),
        bank_account=kontonr.to_iban(account) if account else "",
        credited_number=original.number or "" if original else "",
        credited_issue_date=original.issue_date if original else None,
        note=invoice.reason[:500] if credit else "",
        lines=[
            ehf.Line(
                description=line.description,
                quantity=line.quantity,
                unit_code=line.unit_code,
                unit_price=line.unit_price,
                amount=line.amount,
                period_start=line.period_start,
                period_end=line.period_end,
                item_id=line.service.code if line.service else "",
                accounting_reference=line.buyer_reference,
                note="Videreformidlet kostnad uten påslag" if line.pass_through else "",
            )
            for line in invoice.lines.all()
        ],
    )


# --- credit notes and disputes --------------------------------------------------------------


def credit_invoice(
    *,
    actor: Actor,
    invoice: Invoice,
    reason: str,
    lines: Sequence[InvoiceLine] | None = None,
) -> Invoice:
    """Issue a credit note for a whole issued invoice, or for some of its lines. A line can
    be credited once; the credit note is numbered, rendered and validated like an invoice."""
    _finance(actor, invoice.provider_id, invoice.ministry_id)
    reason = reason.strip()
    if not reason:
        raise ServiceError("Skriv hvorfor fakturaen krediteres.", {"reason": ["Må fylles ut."]})
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if invoice.kind != Invoice.Kind.INVOICE or invoice.status != Invoice.Status.ISSUED:
            raise Conflict("Bare utstedte fakturaer kan krediteres.")
        chosen = list(lines) if lines is not None else list(invoice.lines.all())
        if not chosen or any(line.invoice_id != invoice.pk for line in chosen):
            raise ServiceError("Velg linjer fra denne fakturaen.")
        if InvoiceLine.objects.filter(credited_line__in=chosen).exists():
            raise Conflict("En av linjene er allerede kreditert.")
        note = Invoice.objects.create(
            provider_id=invoice.provider_id,
            ministry_id=invoice.ministry_id,
            kind=Invoice.Kind.CREDIT_NOTE,
            period_start=invoice.period_start,
            period_end=invoice.period_end,
            buyer_reference=invoice.buyer_reference,
            credited_invoice=invoice,
            reason=reason,
            total=sum((line.amount for line in chosen), Decimal(0)),
        )
        InvoiceLine.objects.bulk_create(
            [
                InvoiceLine(
                    invoice=note,
                    position=position,
                    service_id=line.service_id,
                    description=line.description,
                    unit_code=line.unit_code,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    amount=line.amount,
                    pass_through=line.pass_through,
                    external_reference=line.external_reference,
                    buyer_reference=line.buyer_reference,
                    period_start=line.period_start,
                    period_end=line.period_end,
                    usage_count=line.usage_count,
                    credited_line=line,
                )
                for position, line in enumerate(chosen, start=1)
            ]
        )
        _issue(note, timezone.localdate())
        audit.record(
            actor=actor,
            action="invoicing.credit_note.issue",
            obj=note,
            changes={
                "credits": [None, invoice.number],
                "lines": [None, [line.position for line in chosen]],
                "total": [None, str(note.total)],
                "reason": [None, reason],
            },
            organisation_id=invoice.ministry_id,
        )
    return note


def raise_dispute(*, actor: Actor, line: InvoiceLine, person: Person, reason: str) -> Dispute:
    reason = reason.strip()
    if not reason:
        raise ServiceError("Beskriv hva som er feil på linjen.", {"reason": ["Må fylles ut."]})
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=line.invoice_id)
        if invoice.kind != Invoice.Kind.INVOICE or invoice.status != Invoice.Status.ISSUED:
            raise Conflict("Bare linjer på utstedte fakturaer kan bestrides.")
        if line.credits.exists():
            raise Conflict("Linjen er allerede kreditert.")
        if line.disputes.filter(status=Dispute.Status.OPEN).exists():
            raise Conflict("Linjen er allerede bestridt og venter på svar fra leverandøren.")
        dispute = Dispute.objects.create(line=line, raised_by=person, reason=reason)
        audit.record(
            actor=actor,
            action="invoicing.dispute.raise",
            obj=dispute,
            changes={"invoice": [None, invoice.number], "line": [None, line.position]},
            organisation_id=invoice.ministry_id,
        )
    return dispute


def resolve_dispute(
    *, actor: Actor, dispute: Dispute, person: Person | None, accept: bool, resolution: str
) -> Dispute:
    """Accept (the line is credited by a credit note) or reject (with a reason). Only the
    invoicing provider's managers answer."""
    from felles.invoicing import selectors

    check_allowed(
        actor,
        lambda u: selectors.manages(
            u, dispute.line.invoice.provider_id, dispute.line.invoice.ministry_id
        ),
        "Bare leverandørens ledere svarer på innsigelser.",
    )
    resolution = resolution.strip()
    if not accept and not resolution:
        raise ServiceError("Skriv hvorfor innsigelsen avvises.", {"resolution": ["Må fylles ut."]})
    person = _acting_person(person)
    with transaction.atomic():
        updated = Dispute.objects.filter(pk=dispute.pk, status=Dispute.Status.OPEN).update(
            status=Dispute.Status.ACCEPTED if accept else Dispute.Status.REJECTED,
            resolution=resolution,
            resolved_by=person,
            resolved_at=timezone.now(),
        )
        dispute.refresh_from_db()
        if not updated:
            raise Conflict(f"Innsigelsen er allerede {dispute.get_status_display().lower()}.")
        line = dispute.line
        if accept:
            dispute.credit_note = credit_invoice(
                actor=actor,
                invoice=line.invoice,
                lines=[line],
                reason=f"Innsigelse godtatt: {dispute.reason}"
                + (f" – {resolution}" if resolution else ""),
            )
            dispute.save(update_fields=["credit_note"])
        audit.record(
            actor=actor,
            action="invoicing.dispute." + ("accept" if accept else "reject"),
            obj=dispute,
            changes={
                "status": [Dispute.Status.OPEN, dispute.status],
                "resolution": [None, resolution],
            },
            organisation_id=line.invoice.ministry_id,
        )
    return dispute
