"""Import of metered usage (mobile subscriptions, reception hours, print volumes …) from a
provider's CSV or XLSX export.

Two phases like every import in Felles: `plan_usage` validates every row and writes
nothing; `apply_usage` writes the whole plan in one transaction, or nothing. Each row has a
key (service, ministry, date, reference, pass-through), so importing the same file again
adds nothing; a row whose key exists with other figures is an error, not a silent change.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.catalog.models import Funding, Service
from felles.core import audit, formatting
from felles.core.actor import Actor
from felles.core.services import ServiceError, allowed
from felles.core.tabular import (
    RowError,
    checked_rows,
    map_columns,
    parse_decimal,
    parse_yes_no,
    read_table,
)
from felles.core.types import AnyUser
from felles.core.validators import fits_decimal_field
from felles.invoicing import ehf
from felles.invoicing.models import InvoiceLine, UsageImport, UsageRecord
from felles.organisations.models import Organisation, Person
from felles.organisations.selectors import find_ministry, manages_provider, ministry_index

COLUMNS = {
    "service": ("tjeneste", "tjenestekode", "service"),
    "ministry": ("departement", "kunde", "ministry"),
    "date": ("dato", "forbruksdato", "date"),
    "quantity": ("mengde", "antall", "quantity"),
    "reference": ("referanse", "reference"),
    "buyer_reference": ("kostnadssted", "fakturareferanse", "buyer_reference"),
    "pass_through": ("videreformidlet", "pass_through"),
    "unit_price": ("enhetspris", "unit_price"),
    "description": ("beskrivelse", "description"),
}
REQUIRED = ("service", "ministry", "date", "quantity")
MAX_QUANTITY = Decimal("9999999999.99")
LINE_AMOUNT = InvoiceLine._meta.get_field("amount")  # a row's amount must fit a line


@dataclass
class UsagePlan:
    provider: Organisation
    filename: str
    sha256: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    existing: int = 0  # rows already imported with the same figures (skipped)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def creates(self) -> int:
        return len(self.rows)

    @property
    def total(self) -> Decimal:
        return sum(
            (r["quantity"] * r["unit_price"] for r in self.rows if r["unit_price"] is not None),
            Decimal(0),
        )


def plan_usage(provider: Organisation, content: bytes, filename: str) -> UsagePlan:
    plan = UsagePlan(provider, filename, hashlib.sha256(content).hexdigest())
    table = read_table(content, filename)
    rows = map_columns(table, COLUMNS, REQUIRED, plan.errors)
    if plan.errors:
        return plan
    services = {
        s.code.lower(): s
        for s in Service.objects.filter(provider=provider).prefetch_related(
            "prices", "availability"
        )
    }
    ministries = ministry_index()
    today = timezone.localdate()
    seen: dict[str, int] = {}
    unknown_service = _("«{value}» er ikke en tjeneste fra %(provider)s.") % {
        "provider": provider.abbreviation
    }
    for row in checked_rows(rows, COLUMNS, plan.errors):
        n, error = row.number, row.error
        row.require(REQUIRED)
        service = row.find("service", services, unknown_service)
        ministry = find_ministry(row, ministries)
        day = row.date("date", _("«{value}» er ikke en dato (dd.mm.åååå)."))
        if day and day > today:
            error("date", _("Datoen er frem i tid."))
        quantity = row.decimal(
            "quantity", _("«{value}» er ikke en mengde over null."), high=MAX_QUANTITY
        )
        if quantity is not None and quantity <= 0:
            error(
                "quantity",
                _("«{value}» er ikke en mengde over null.").replace("{value}", row["quantity"]),
            )
            quantity = None
        elif quantity is not None and quantity != quantity.quantize(Decimal("0.01")):
            error("quantity", _("Høyst to desimaler."))
        pass_through = parse_yes_no(
            row["pass_through"], n, plan.errors, COLUMNS["pass_through"][0], blank=False
        )
        unit_price = parse_decimal(row["unit_price"]) if row["unit_price"] else None
        if pass_through:
            if unit_price is None or unit_price < 0 or unit_price > MAX_QUANTITY:
                error("unit_price", _("En videreformidlet kostnad må ha enhetspris i kroner."))
        elif row["unit_price"]:
            error(
                "unit_price",
                _(
                    "Enhetsprisen kommer fra prislisten; fyll den bare ut for "
                    "videreformidlede kostnader."
                ),
            )
        for key, limit in (("reference", 100), ("buyer_reference", 100), ("description", 200)):
            if len(row[key]) > limit:
                error(key, _("Høyst %(limit)s tegn.") % {"limit": limit})
        if row.failed or not (service and ministry and day and quantity):
            continue
        funding = service.funding_for(ministry)
        version = None
        if funding != Funding.APPROPRIATION and not pass_through:
            version = service.price_on(day)
            if version is None:
                error(
                    "date",
                    _("%(service)s har ingen pris som gjelder %(date)s.")
                    % {"service": service.name_nb, "date": f"{day:%d.%m.%Y}"},
                )
                continue
            unit_price = version.unit_price
        if unit_price is not None and not fits_decimal_field(
            ehf.round_ore(quantity * unit_price), LINE_AMOUNT
        ):
            error(
                "quantity",
                _(
                    "Mengde × enhetspris = %(amount)s er mer enn en fakturalinje kan ha. Er "
                    "mengden eller prisen skrevet feil?"
                )
                % {"amount": formatting.kroner(ehf.round_ore(quantity * unit_price))},
            )
            continue
        key = "|".join(
            [
                service.code,
                ministry.abbreviation,
                day.isoformat(),
                row["reference"],
                "v" if pass_through else "",
            ]
        )
        if key in seen:
            error(
                "reference",
                _("Samme tjeneste, departement, dato og referanse som rad %(row)s.")
                % {"row": seen[key]},
            )
            continue
        seen[key] = n
        plan.rows.append(
            {
                "key": key,
                "row": n,
                "service": service,
                "ministry": ministry,
                "date": day,
                "quantity": quantity,
                "unit_price": unit_price,
                "price_version": version,
                "funding": funding,
                "pass_through": pass_through,
                "reference": row["reference"],
                "buyer_reference": row["buyer_reference"],
                "description": row["description"],
            }
        )
    _match_existing(plan)
    return plan


def _match_existing(plan: UsagePlan) -> None:
    """Drop rows imported before with the same figures; report rows that differ."""
    by_key = {r["key"]: r for r in plan.rows}
    existing = UsageRecord.objects.filter(source_key__in=list(by_key)).values(
        "source_key", "quantity", "unit_price"
    )
    for old in existing:
        row = by_key.pop(old["source_key"])
        if (old["quantity"], old["unit_price"]) == (row["quantity"], row["unit_price"]):
            plan.existing += 1
        else:
            plan.errors.append(
                RowError(
                    row["row"],
                    COLUMNS["quantity"][0],
                    _(
                        "Raden er importert før med mengde %(quantity)s. Rett den med en ny "
                        "referanse eller en kreditnota, ikke ved å importere på nytt."
                    )
                    % {"quantity": formatting.number(old["quantity"])},
                )
            )
    plan.rows = [r for r in plan.rows if r["key"] in by_key]


def _imports_for_provider(user: AnyUser, /, *, plan: UsagePlan, **_: Any) -> bool:
    """Usage is billed in runs: the provider's managers who serve every ministry."""
    return manages_provider(user, plan.provider.pk)


@allowed(_imports_for_provider, gettext_lazy("Bare leverandørens ledere importerer forbruk."))
def apply_usage(*, actor: Actor, plan: UsagePlan, person: Person | None) -> UsageImport:
    if not plan.ok:
        raise ServiceError(_("Filen har feil og er ikke importert. Rett feilene og prøv igjen."))
    with transaction.atomic():
        batch = UsageImport.objects.create(
            provider=plan.provider,
            filename=plan.filename[:255],
            sha256=plan.sha256,
            rows=plan.creates + plan.existing,
            created=plan.creates,
            skipped=plan.existing,
            imported_by=person,
        )
        UsageRecord.objects.bulk_create(
            [
                UsageRecord(
                    ministry=r["ministry"],
                    service=r["service"],
                    provider=plan.provider,
                    quantity=r["quantity"],
                    unit_code=r["service"].unit_code,
                    price_version=r["price_version"],
                    unit_price=r["unit_price"],
                    funding=r["funding"],
                    buyer_reference=r["buyer_reference"],
                    usage_date=r["date"],
                    description=r["description"],
                    pass_through=r["pass_through"],
                    external_reference=r["reference"],
                    source=UsageRecord.Source.IMPORT,
                    source_key=r["key"],
                    usage_import=batch,
                )
                for r in plan.rows
            ],
            batch_size=1000,
        )
        audit.record(
            actor=actor,
            action="invoicing.usage.import",
            obj=batch,
            changes={
                "created": [None, plan.creates],
                "skipped": [None, plan.existing],
                "sha256": [None, plan.sha256],
            },
            organisation_id=plan.provider.pk,
        )
    return batch
