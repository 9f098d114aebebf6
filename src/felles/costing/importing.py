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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.catalog.selectors import area_index
from felles.core import audit, uploads
from felles.core.actor import Actor
from felles.core.services import ServiceError, allowed
from felles.core.tabular import (
    RowError,
    checked_rows,
    map_columns,
    read_table,
)
from felles.core.types import AnyUser
from felles.costing.models import BudgetPost, LedgerAmount, LedgerImport, ResourceMapping
from felles.costing.services import FINANCE, is_dfd, save_mapping
from felles.organisations.models import Organisation
from felles.organisations.selectors import find_ministry, manages_provider, ministry_index

MAX_AMOUNT = Decimal("99999999999999.99")
BUDGET_MAX = Decimal("99999999999.99")  # 100 billion kroner: far above any provider's post


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


def _digits(text: str) -> bool:
    """Plain ASCII digits only ('15¹0' and other Unicode digits are not a chapter)."""
    return text.isascii() and text.isdigit()


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
    for row in checked_rows(rows, LEDGER_COLUMNS, plan.errors):
        row.require(LEDGER_COLUMNS)
        post_text = row["post"].zfill(2) if _digits(row["post"]) else row["post"]
        chapter = int(row["chapter"]) if _digits(row["chapter"]) else None
        budget_post = posts.get((chapter, post_text)) if chapter is not None else None
        if row["chapter"] and row["post"] and budget_post is None:
            row.error(
                "post",
                _("Kap. %(chapter)s post %(post)s står ikke i budsjettet for %(year)s.")
                % {"chapter": row["chapter"], "post": row["post"], "year": year},
            )
        amount = row.decimal(
            "amount", _("«{value}» er ikke et beløp."), low=-MAX_AMOUNT, high=MAX_AMOUNT
        )
        day = row.date("date", _("«{value}» er ikke en dato (dd.mm.åååå)."))
        if day is not None and day.year != year:
            row.error("date", _("Datoen er ikke i %(year)s.") % {"year": year})
        if row.failed:
            continue
        dates.add(day)  # type: ignore[arg-type]
        totals[budget_post.pk] = totals.get(budget_post.pk, Decimal(0)) + amount  # type: ignore[union-attr,operator]
    if len(dates) > 1:
        plan.errors.append(
            RowError(1, "dato", _("Filen har flere datoer; én eksport gjelder per én dato."))
        )
    for pk, total in totals.items():
        if abs(total) > BUDGET_MAX:
            plan.errors.append(
                RowError(
                    1,
                    "beløp",
                    _("Summen for %(post)s er for stor til å være riktig.") % {"post": by_pk[pk]},
                )
            )
    if plan.errors:
        return plan
    plan.as_of = dates.pop() if dates else None
    plan.rows = [{"post": by_pk[pk], "amount": total} for pk, total in totals.items()]
    if LedgerImport.objects.filter(provider=provider, year=year, sha256=plan.sha256).exists():
        plan.existing, plan.rows = len(plan.rows), []
    return plan


def _keeps_books(user: AnyUser, provider: Organisation, **_: Any) -> bool:
    return manages_provider(user, provider.pk)


@allowed(_keeps_books, FINANCE)
def check_ledger(
    *, actor: Actor, provider: Organisation, year: int, upload: Any, filename: str
) -> Plan:
    """The dry run of a ledger import (writes nothing), for those who may import it.
    `upload` is the file's content or the uploaded file (read within the size limit)."""
    if upload is None:
        raise ServiceError(_("Last opp en fil (CSV eller XLSX)."), {"file": [_("Mangler.")]})
    content = upload if isinstance(upload, bytes) else uploads.read_upload(upload)
    return plan_ledger(provider, year, content, filename)


@allowed(_keeps_books, FINANCE)
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
    ministries = ministry_index()
    areas = area_index()
    seen: dict[tuple[int, int], int] = {}
    for row in checked_rows(rows, MAPPING_COLUMNS, plan.errors):
        row.require(required)
        ministry = find_ministry(row, ministries)
        area = row.find("area", areas, _("«{value}» er ikke et tjenesteområde."))
        fte = row.decimal(
            "fte", _("«{value}» er ikke et antall årsverk."), low=Decimal(0), high=Decimal(10_000)
        )
        if row.failed:
            continue
        key = (ministry.pk, area.pk)  # type: ignore[union-attr]
        if key in seen:
            row.error(
                "area",
                _("Samme departement og område står også på rad %(row)s.") % {"row": seen[key]},
            )
            continue
        seen[key] = row.number
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


@allowed(is_dfd, gettext_lazy("Bare DFD fører ressurskartleggingen."))
def check_mapping(*, actor: Actor, year: int, content: bytes, filename: str) -> Plan:
    """The dry run of a mapping import (writes nothing), for those who may import it."""
    return plan_mapping(year, content, filename)


@allowed(is_dfd, gettext_lazy("Bare DFD fører ressurskartleggingen."))
def apply_mapping(*, actor: Actor, year: int, plan: Plan) -> int:
    if not plan.ok:
        raise ValueError("A plan with errors cannot be applied.")
    save_mapping(
        actor=actor,
        year=year,
        rows=[(r["ministry"].pk, r["area"].pk, r["fte"], r["note"]) for r in plan.rows],
        source="import",
    )
    return len(plan.rows)
