"""Imports for the cost model, two-phase like every import in Felles (`plan_*` checks every
row and writes nothing; `apply_*` writes the whole plan in one transaction):

- the provider's ledger export: actuals to date per chapter/post, as of one date;
- the resource mapping: FTE per ministry and task area (the review's mapping form).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from felles.catalog.models import ServiceArea
from felles.core import audit
from felles.core.actor import Actor
from felles.core.tabular import RowError, map_columns, parse_date, parse_decimal, read_table
from felles.costing.models import BudgetPost, LedgerAmount, LedgerImport, ResourceMapping
from felles.organisations.models import Organisation

MAX_AMOUNT = Decimal("99999999999999.99")


@dataclass
class Plan:
    filename: str
    sha256: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    existing: int = 0
    as_of: dt.date | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def creates(self) -> int:
        return len(self.rows)


LEDGER_COLUMNS = {
    "chapter": ("kapittel", "kap", "chapter"),
    "post": ("post",),
    "amount": ("beløp", "belop", "regnskap", "amount"),
    "date": ("dato", "per dato", "date"),
}


def plan_ledger(provider: Organisation, year: int, content: bytes, filename: str) -> Plan:
    """Actuals per chapter/post. Rows for the same post are added up (a transaction list
    works as well as a summary); every post must be in the year's budget; one date."""
    plan = Plan(filename, hashlib.sha256(content).hexdigest())
    rows = map_columns(
        read_table(content, filename), LEDGER_COLUMNS, tuple(LEDGER_COLUMNS), plan.errors
    )
    if plan.errors:
        return plan
    posts = {
        (p.chapter, p.post): p for p in BudgetPost.objects.filter(provider=provider, year=year)
    }
    totals: dict[int, Decimal] = {}
    by_pk = {p.pk: p for p in posts.values()}
    dates: set[dt.date] = set()
    for n, row in rows:
        before = len(plan.errors)

        def error(column: str, message: str, n: int = n) -> None:
            plan.errors.append(RowError(n, LEDGER_COLUMNS[column][0], message))

        for key in LEDGER_COLUMNS:
            if not row[key]:
                error(key, "Må fylles ut.")
        post_text = row["post"].zfill(2) if row["post"].isdigit() else row["post"]
        chapter = int(row["chapter"]) if row["chapter"].isdigit() else None
        budget_post = posts.get((chapter, post_text)) if chapter is not None else None
        if row["chapter"] and row["post"] and budget_post is None:
            error(
                "post",
                f"Kap. {row['chapter']} post {row['post']} står ikke i budsjettet for {year}.",
            )
        amount = parse_decimal(row["amount"]) if row["amount"] else None
        if row["amount"] and (amount is None or abs(amount) > MAX_AMOUNT):
            error("amount", f"«{row['amount']}» er ikke et beløp.")
        day = parse_date(row["date"]) if row["date"] else None
        if row["date"] and day is None:
            error("date", f"«{row['date']}» er ikke en dato (dd.mm.åååå).")
        elif day is not None and day.year != year:
            error("date", f"Datoen er ikke i {year}.")
        if len(plan.errors) > before:
            continue
        dates.add(day)  # type: ignore[arg-type]
        totals[budget_post.pk] = totals.get(budget_post.pk, Decimal(0)) + amount  # type: ignore[union-attr,operator]
    if len(dates) > 1:
        plan.errors.append(
            RowError(1, "dato", "Filen har flere datoer; én eksport gjelder per én dato.")
        )
    if plan.errors:
        return plan
    plan.as_of = dates.pop() if dates else None
    plan.rows = [{"post": by_pk[pk], "amount": total} for pk, total in totals.items()]
    if LedgerImport.objects.filter(provider=provider, year=year, sha256=plan.sha256).exists():
        plan.existing, plan.rows = len(plan.rows), []
    return plan


def apply_ledger(*, actor: Actor, provider: Organisation, year: int, plan: Plan) -> LedgerImport:
    if not plan.ok or plan.as_of is None:
        raise ValueError("A plan with errors cannot be applied.")
    with transaction.atomic():
        ledger = LedgerImport.objects.create(
            provider=provider,
            year=year,
            as_of=plan.as_of,
            filename=plan.filename[:200],
            sha256=plan.sha256,
            imported_by_label=actor.label,
        )
        LedgerAmount.objects.bulk_create(
            [LedgerAmount(ledger=ledger, post=r["post"], amount=r["amount"]) for r in plan.rows]
        )
        audit.record(
            actor=actor,
            action="costing.ledger.import",
            obj=ledger,
            changes={"posts": [None, len(plan.rows)], "as_of": [None, str(plan.as_of)]},
            organisation_id=provider.pk,
        )
    return ledger


MAPPING_COLUMNS = {
    "ministry": ("departement", "ministry"),
    "area": ("område", "omrade", "area"),
    "fte": ("årsverk", "arsverk", "fte"),
    "note": ("merknad", "note"),
}


def plan_mapping(year: int, content: bytes, filename: str) -> Plan:
    """FTE per ministry and area. A row for a key that exists with another figure replaces
    it (the mapping is an estimate that gets refined), and the plan says so."""
    plan = Plan(filename, hashlib.sha256(content).hexdigest())
    required = ("ministry", "area", "fte")
    rows = map_columns(read_table(content, filename), MAPPING_COLUMNS, required, plan.errors)
    if plan.errors:
        return plan
    ministries: dict[str, Organisation] = {}
    for org in Organisation.objects.customers():
        ministries[org.abbreviation.lower()] = org
        ministries[org.org_number] = org
    areas = {a.code.lower(): a for a in ServiceArea.objects.all()}
    areas.update({a.name_nb.lower(): a for a in ServiceArea.objects.all()})
    seen: dict[tuple[int, int], int] = {}
    for n, row in rows:
        before = len(plan.errors)

        def error(column: str, message: str, n: int = n) -> None:
            plan.errors.append(RowError(n, MAPPING_COLUMNS[column][0], message))

        for key in required:
            if not row[key]:
                error(key, "Må fylles ut.")
        ministry = ministries.get(row["ministry"].lower().replace(" ", ""))
        if row["ministry"] and ministry is None:
            error("ministry", f"«{row['ministry']}» er ikke et departement i Felles.")
        area = areas.get(row["area"].lower())
        if row["area"] and area is None:
            error("area", f"«{row['area']}» er ikke et tjenesteområde.")
        fte = parse_decimal(row["fte"]) if row["fte"] else None
        if row["fte"] and (fte is None or not Decimal(0) <= fte <= Decimal(10_000)):
            error("fte", f"«{row['fte']}» er ikke et antall årsverk.")
        if len(plan.errors) > before:
            continue
        key = (ministry.pk, area.pk)  # type: ignore[union-attr]
        if key in seen:
            error("area", f"Samme departement og område står også på rad {seen[key]}.")
            continue
        seen[key] = n
        stored = ResourceMapping.objects.filter(year=year, ministry=ministry, area=area).first()
        value = fte.quantize(Decimal("0.01"))  # type: ignore[union-attr]
        if stored is not None and stored.fte == value:
            plan.existing += 1
            continue
        plan.rows.append(
            {
                "ministry": ministry,
                "area": area,
                "fte": value,
                "note": row["note"][:200],
                "replaces": stored.fte if stored else None,
            }
        )
    return plan


def apply_mapping(*, actor: Actor, year: int, plan: Plan) -> int:
    if not plan.ok:
        raise ValueError("A plan with errors cannot be applied.")
    with transaction.atomic():
        for r in plan.rows:
            ResourceMapping.objects.update_or_create(
                year=year,
                ministry=r["ministry"],
                area=r["area"],
                defaults={"fte": r["fte"], "note": r["note"]},
            )
        audit.record(
            actor=actor,
            action="costing.mapping.import",
            obj=ResourceMapping.objects.filter(year=year).first(),  # type: ignore[arg-type]
            changes={"rows": [None, len(plan.rows)], "file": [None, plan.filename]},
        )
    return len(plan.rows)
