"""A run's computation: the provider's unbilled usage claimed and aggregated set-based into
one invoice (and one posting) per ministry, with lines too large held back and named."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Aggregate, Count, Max, Min, Sum, TextField
from django.db.models.expressions import RawSQL
from django.utils import timezone

from felles.catalog.models import Confidentiality, Funding, Service
from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import ServiceError
from felles.core.validators import fits_decimal_field
from felles.invoicing import ehf
from felles.invoicing.models import (
    BillingProfile,
    ClaimGroup,
    Invoice,
    InvoiceLine,
    InvoiceRun,
    UsageRecord,
)
from felles.invoicing.services._common import BILLED_FUNDING
from felles.organisations.models import Organisation

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


_GROUP = (
    "ministry_id",
    "funding",
    "service_id",
    "unit_price",
    "unit_code",
    "pass_through",
    "external_reference",
    "buyer_reference",
)
_ORDER = (
    "ministry_id",
    "funding",
    "pass_through",
    "service_id",
    "unit_price",
    "unit_code",
    "external_reference",
    "buyer_reference",
)


def document_rows(run: InvoiceRun) -> list[DocumentRows]:
    """The usage claimed by `run` aggregated into its documents and lines — set-based, one
    `GROUP BY`, no loop over usage. Lines that do not fit (`line_fits`) are included: the
    caller holds them back."""
    groups = list(
        UsageRecord.objects.filter(claim__run=run)
        .values(*_GROUP)
        .annotate(
            quantity=Sum("quantity"), first=Min("usage_date"), last=Max("usage_date"), n=Count("id")
        )
        .order_by(*_ORDER)
    )
    return _documents(groups)


def _documents(groups: list[dict[str, Any]]) -> list[DocumentRows]:
    """Groups (one per `_GROUP` value, ordered by `_ORDER`) into documents and lines."""
    confidential = set(
        Service.objects.filter(pk__in={g["service_id"] for g in groups})
        .exclude(confidentiality=Confidentiality.OPEN)
        .values_list("pk", flat=True)
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
        merged = _merge_references(rows, reference, confidential)
        for row in merged:
            row["amount"] = ehf.round_ore(row["quantity"] * row["unit_price"])
        result.append(DocumentRows(ministry_id, funding, reference, merged))
    return result


# The provider's priced usage up to the period end that no OTHER run of the provider claims
# (a recompute has deleted the run's own groups first, so it claims its usage anew).
_BILLABLE = """
    FROM invoicing_usagerecord u
    WHERE u.provider_id = %s AND u.usage_date <= %s AND u.funding IN (%s, %s)
        AND u.unit_price IS NOT NULL
        AND NOT EXISTS (
            SELECT 1 FROM invoicing_claimgroup g CROSS JOIN LATERAL unnest(g.usage_ids) c(id)
            WHERE g.provider_id = %s AND g.run_id <> %s AND c.id = u.id
        )
"""
# For the one statement that claims and aggregates: enough memory to hash the groups
# instead of sorting a million rows on disk (the planner cannot know that a million rows
# make two thousand groups), and no JIT compilation (a third of a second of compiling for a
# statement run once). The settings end with the run's transaction; the memory is a cap,
# not a use.
_SESSION = (
    "SET LOCAL work_mem = '64MB'",
    "SET LOCAL hash_mem_multiplier = 4",
    "SET LOCAL jit = off",
)
# Claims of one provider are serialised (a transaction-scoped advisory lock on PostgreSQL,
# this namespace and the provider id): what a run claims is "billable and not claimed by
# another run", read after the lock, so two runs never claim one record. SQLite serialises
# writers anyway.
_CLAIM_LOCK = 0x1A7C


class _Ids(Aggregate):
    """The ids of a group as a JSON array (SQLite's `json_group_array`): a group's claim."""

    function = "json_group_array"
    output_field = TextField()


def _claim(run: InvoiceRun) -> list[DocumentRows]:
    """Claim the provider's unbilled usage for `run` — one `ClaimGroup` row per aggregation
    group, holding the group's usage ids — and return it as documents. The run's own
    groups are deleted first, so a recompute claims and aggregates exactly like a run.

    PostgreSQL: one statement reads the billable usage once, aggregates it (`array_agg` of
    the ids per group), inserts the groups and returns the sums. SQLite: the aggregation
    with `json_group_array`, then the groups inserted from Python (writers serialised)."""
    if connection.vendor != "postgresql":
        ClaimGroup.objects.filter(run=run).delete()
        rows = _sqlite_groups(run)
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO invoicing_claimgroup (run_id, provider_id, usage_ids) "
                "VALUES (%s, %s, %s)",
                [(run.pk, run.provider_id, row.pop("ids")) for row in rows],
            )
        return _documents(rows)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_CLAIM_LOCK, _lock_key(run)])
    ClaimGroup.objects.filter(run=run).delete()
    billed = [str(funding) for funding in BILLED_FUNDING]
    params = [run.provider_id, run.period_end, *billed, run.provider_id, run.pk]
    group, order = ", ".join(_GROUP), ", ".join(_ORDER)
    columns = ", ".join(f"u.{name}" for name in _GROUP)
    sql = f"""
        WITH agg AS (
            SELECT {columns}, SUM(u.quantity) AS q, MIN(u.usage_date) AS d0,
                MAX(u.usage_date) AS d1, COUNT(*) AS n, array_agg(u.id) AS ids
            {_BILLABLE}
            GROUP BY {columns}
        ),
        claimed AS (
            INSERT INTO invoicing_claimgroup (run_id, provider_id, usage_ids)
            SELECT %s, %s, ids FROM agg
        )
        SELECT {group}, q, d0, d1, n FROM agg ORDER BY {order}
    """  # noqa: S608 - the interpolated names are the constants above
    names = [*_GROUP, "quantity", "first", "last", "n"]
    with connection.cursor() as cursor:
        for setting in _SESSION:
            cursor.execute(setting)
        cursor.execute(sql, [*params, run.pk, run.provider_id])
        groups = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return _documents(groups)


def _sqlite_groups(run: InvoiceRun) -> list[dict[str, Any]]:
    """The billable usage's groups with their ids (`ids`: a JSON array), SQLite's way."""
    others = RawSQL(
        "SELECT j.value FROM invoicing_claimgroup g, json_each(g.usage_ids) j"
        " WHERE g.provider_id = %s AND g.run_id <> %s",
        [run.provider_id, run.pk],
    )
    return list(
        UsageRecord.objects.filter(
            provider_id=run.provider_id,
            usage_date__lte=run.period_end,
            funding__in=BILLED_FUNDING,
            unit_price__isnull=False,
        )
        .exclude(pk__in=others)
        .values(*_GROUP)
        .annotate(
            quantity=Sum("quantity"),
            first=Min("usage_date"),
            last=Max("usage_date"),
            n=Count("id"),
            ids=_Ids("id"),
        )
        .order_by(*_ORDER)
    )


def _lock_key(run: InvoiceRun) -> int:
    return run.provider_id % 2**31  # the lock's second key is an int4


_RELEASE = {
    "postgresql": (
        "SELECT count(*) FROM invoicing_claimgroup g CROSS JOIN LATERAL unnest(g.usage_ids) x"
        " WHERE g.run_id = %(run)s AND x = ANY(%(ids)s::bigint[])",
        "UPDATE invoicing_claimgroup SET usage_ids = ARRAY("
        "SELECT x FROM unnest(usage_ids) x WHERE x <> ALL(%(ids)s::bigint[]))"
        " WHERE run_id = %(run)s AND usage_ids && %(ids)s::bigint[]",
        "DELETE FROM invoicing_claimgroup WHERE run_id = %(run)s AND cardinality(usage_ids) = 0",
    ),
    "sqlite": (
        "SELECT count(*) FROM invoicing_claimgroup g, json_each(g.usage_ids) j"
        " WHERE g.run_id = %(run)s AND j.value IN (SELECT value FROM json_each(%(ids)s))",
        "UPDATE invoicing_claimgroup SET usage_ids = (SELECT json_group_array(j.value)"
        " FROM json_each(usage_ids) j WHERE j.value NOT IN (SELECT value FROM json_each(%(ids)s)))"
        " WHERE run_id = %(run)s",
        "DELETE FROM invoicing_claimgroup"
        " WHERE run_id = %(run)s AND json_array_length(usage_ids) = 0",
    ),
}


def release(run: InvoiceRun, ids: Collection[int]) -> int:
    """Give the usage records `ids` claimed by `run` back to unbilled: they leave the run's
    groups (a group left empty is deleted), set-based. Returns how many were released.
    Releasing frees records, so it needs no claim lock."""
    if not ids:
        return 0
    count, update, empty = _RELEASE["postgresql" if connection.vendor == "postgresql" else "sqlite"]
    params: dict[str, Any] = {"run": run.pk, "ids": [int(i) for i in ids]}
    if connection.vendor != "postgresql":
        params["ids"] = json.dumps(params["ids"])
    with connection.cursor() as cursor:
        cursor.execute(count, params)
        released = int(cursor.fetchone()[0])
        cursor.execute(update, params)
        cursor.execute(empty, params)
    return released


def usage_of_line(run: InvoiceRun, document: DocumentRows, row: dict[str, Any]) -> Any:
    """The usage rows of `run` merged into `row` of `document` (cf. selectors.usage_behind
    for a stored line)."""
    rows = UsageRecord.objects.filter(
        claim__run=run,
        ministry_id=document.ministry_id,
        funding=document.funding,
        service_id=row["service_id"],
        unit_price=row["unit_price"],
        unit_code=row["unit_code"],
        pass_through=row["pass_through"],
    )
    if not row.get("aggregated"):
        rows = rows.filter(
            buyer_reference__in=[row["buyer_reference"]]
            if row["buyer_reference"]
            else ["", document.reference]
        )
    if row["pass_through"]:
        rows = rows.filter(external_reference=row["external_reference"])
    return rows.select_related("order", "service", "ministry").order_by("usage_date", "pk")


def compute_run(run: InvoiceRun) -> None:
    """Claim the provider's unbilled, priced usage up to the period end and aggregate it
    into one invoice (and one posting) per ministry. A line too large for an invoice line
    is held back: its usage stays claimed by the draft, the run page names it
    (`problems.held_back`) and review releases it unbilled. A document or run total too
    large (very many huge lines) refuses the computation, naming the ministry."""
    Invoice.objects.filter(run=run).delete()
    documents = _claim(run)
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
            if row.get("aggregated"):
                description = aggregated_description(service.name_nb, row["n"])
            if row["pass_through"]:
                description = f"Videreformidlet kostnad: {description}"
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


def aggregated_description(name: str, count: int) -> str:
    """The line text of a restricted or security service (issue 18), in bokmål as EHF is:
    the service and how many cases, nothing about whom they concern («Juridisk bistand i
    personalsaker, 3 saker»)."""
    return f"{name}, {count} {'sak' if count == 1 else 'saker'}"


def _merge_references(
    rows: list[dict[str, Any]], default: str, confidential: Collection[int] = ()
) -> list[dict[str, Any]]:
    """One line per service, price and reference: usage without its own buyer reference and
    usage carrying the ministry's standing one share a line (with no line reference).

    A restricted or security service's usage (`confidential`: service ids) is one
    aggregated line per service and price, whatever the orders' own references say: an
    order's reference can name the person the case is about, so the line carries none
    (`aggregated` marks the row; its description counts the cases)."""
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        aggregated = row["service_id"] in confidential
        reference = "" if row["buyer_reference"] in ("", default) else row["buyer_reference"]
        if aggregated:
            reference = ""
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
            merged[key] = {
                **row,
                "buyer_reference": reference,
                "external_reference": external,
                "aggregated": aggregated,
            }
    return list(merged.values())


def recompute(actor: Actor, run: InvoiceRun) -> None:
    """Recompute a locked draft and record it (the caller's transaction)."""
    before = run.fingerprint
    compute_run(run)
    audit.record(
        actor=actor,
        action="invoicing.run.recompute",
        obj=run,
        changes={"fingerprint": [before, run.fingerprint]},
    )
