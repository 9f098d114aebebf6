"""Cost-model writes (audited). A model is saved whole and only if it allocates: an
inconsistent set of shares is refused with the reason, never stored half-way."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from felles.catalog.models import Service
from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import Conflict, ServiceError
from felles.costing import allocation
from felles.costing.models import (
    CostCentre,
    CostModel,
    DriverShare,
    PriceList,
    PriceListItem,
    ServiceCosting,
)
from felles.organisations.models import Organisation


def save_cost_model(
    *,
    actor: Actor,
    provider: Organisation,
    year: int,
    name: str,
    centres: Sequence[dict[str, Any]],
    shares: Sequence[tuple[str, str, Decimal, str]],
    services: Sequence[dict[str, Any]],
    description: str = "",
) -> CostModel:
    """Create or replace a provider's cost model for a year.

    centres: {"code", "name", "kind": "support"|"line", "direct_cost", "capital_cost"}
    shares: (supplier code, receiver code, share, driver)
    services: {"line", "service" (catalogue code), "share", "planned_volume",
               "marginal_cost" (optional)}
    """
    by_code = {c["code"]: c for c in centres}
    network = allocation.Network(
        support=[c["code"] for c in centres if c["kind"] == CostCentre.Kind.SUPPORT],
        lines=[c["code"] for c in centres if c["kind"] == CostCentre.Kind.LINE],
        direct_costs={
            c["code"]: Decimal(c["direct_cost"])
            for c in centres
            if c["kind"] == CostCentre.Kind.SUPPORT
        },
        shares=_share_map(shares),
    )
    try:
        allocation.reciprocal(network)  # validates the whole network
    except allocation.AllocationError as exc:
        raise ServiceError(f"Kostnadsmodellen går ikke opp: {exc}") from exc
    per_line: dict[str, Decimal] = {}
    for item in services:
        if item["line"] not in by_code or by_code[item["line"]]["kind"] != "line":
            raise ServiceError(f"«{item['line']}» er ikke en tjenestelinje i modellen.")
        per_line[item["line"]] = per_line.get(item["line"], Decimal(0)) + Decimal(item["share"])
    wrong = [line for line, total in per_line.items() if abs(total - 1) > Decimal("0.000001")]
    if wrong:
        raise ServiceError(
            "Tjenestenes andeler av en linje må summere til 1: " + ", ".join(sorted(wrong))
        )
    catalogue = {
        s.code: s
        for s in Service.objects.filter(
            code__in=[i["service"] for i in services], provider=provider
        )
    }
    missing = sorted({i["service"] for i in services} - set(catalogue))
    if missing:
        raise ServiceError("Ukjente tjenester for leverandøren: " + ", ".join(missing))
    with transaction.atomic():
        model, created = CostModel.objects.get_or_create(
            provider=provider, year=year, name=name, defaults={"description": description}
        )
        model.centres.all().delete()  # replaced whole, as the audit event records
        saved = {
            c["code"]: CostCentre.objects.create(
                model=model,
                code=c["code"],
                name=c["name"],
                kind=c["kind"],
                direct_cost=Decimal(c["direct_cost"]),
                capital_cost=Decimal(c.get("capital_cost", 0)),
            )
            for c in centres
        }
        DriverShare.objects.bulk_create(
            [
                DriverShare(supplier=saved[s], receiver=saved[r], share=Decimal(share), driver=d)
                for s, r, share, d in shares
            ]
        )
        ServiceCosting.objects.bulk_create(
            [
                ServiceCosting(
                    line=saved[i["line"]],
                    service=catalogue[i["service"]],
                    share=Decimal(i["share"]),
                    planned_volume=Decimal(i["planned_volume"]),
                    marginal_cost=i.get("marginal_cost"),
                )
                for i in services
            ]
        )
        audit.record(
            actor=actor,
            action="costing.model." + ("create" if created else "replace"),
            obj=model,
            changes={
                "centres": [None, len(centres)],
                "shares": [None, len(shares)],
                "services": [None, len(services)],
                "direct_costs": [None, str(sum(Decimal(c["direct_cost"]) for c in centres))],
            },
        )
    return model


def _share_map(shares: Sequence[tuple[str, str, Decimal, str]]) -> dict[str, dict[str, Decimal]]:
    result: dict[str, dict[str, Decimal]] = {}
    for supplier, receiver, share, _driver in shares:
        result.setdefault(supplier, {})[receiver] = Decimal(share)
    return result


# --- price lists ----------------------------------------------------------------------------


def propose_price_list(
    *, actor: Actor, model: CostModel, effective_from: Any, method: str = "reciprocal"
) -> PriceList:
    """A proposed price list from the cost model's full-cost prices (with their basis)."""
    from felles.costing import selectors

    result = selectors.compute(model, method)
    if not result.prices:
        raise ServiceError("Kostnadsmodellen har ingen tjenester å prise.")
    with transaction.atomic():
        price_list = PriceList.objects.create(
            provider=model.provider, year=model.year, effective_from=effective_from, source=model
        )
        PriceListItem.objects.bulk_create(
            [
                PriceListItem(
                    price_list=price_list, service=p.service, unit_price=p.unit_price, basis=p.basis
                )
                for p in result.prices
            ]
        )
        audit.record(
            actor=actor,
            action="costing.price_list.propose",
            obj=price_list,
            changes={
                "items": [None, len(result.prices)],
                "effective_from": [None, str(effective_from)],
            },
        )
    return price_list


def adjust_price_list(*, actor: Actor, price_list: PriceList, percent: Decimal) -> PriceList:
    """The year's wage and price compensation for the whole proposed list in one step."""
    if not Decimal("-50") <= percent <= Decimal("50"):
        raise ServiceError(
            "Justeringen må være mellom −50 og 50 %.", {"percent": ["Velg mellom −50 og 50."]}
        )
    with transaction.atomic():
        locked = PriceList.objects.select_for_update().get(pk=price_list.pk)
        if locked.status != PriceList.Status.PROPOSED:
            raise Conflict("Prislisten er vedtatt og kan ikke endres.")
        factor = 1 + percent / 100
        for item in locked.items.all():
            before = item.unit_price
            item.unit_price = (before * factor).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            item.basis = (
                f"{item.basis} Justert {percent:+} % (lønns- og priskompensasjon): "
                f"{before} → {item.unit_price}."
            ).strip()
            item.save(update_fields=["unit_price", "basis"])
        locked.adjustment_percent += percent
        locked.save(update_fields=["adjustment_percent", "updated_at"])
        audit.record(
            actor=actor,
            action="costing.price_list.adjust",
            obj=locked,
            changes={"percent": [None, str(percent)]},
        )
    return locked


def approve_price_list(
    *, actor: Actor, price_list: PriceList, decision_reference: str
) -> PriceList:
    """DFD approves: every item becomes the service's price version from the effective
    date. All or nothing: one service with a later price already refuses the whole list."""
    from felles.catalog.services import add_price_version

    decision_reference = decision_reference.strip()
    if not decision_reference:
        raise ServiceError(
            "Oppgi vedtaket som godkjenner prisene.", {"decision_reference": ["Må fylles ut."]}
        )
    with transaction.atomic():
        locked = PriceList.objects.select_for_update().get(pk=price_list.pk)
        if locked.status != PriceList.Status.PROPOSED:
            raise Conflict("Prislisten er allerede vedtatt.")
        for item in locked.items.select_related("service"):
            add_price_version(
                actor=actor,
                service=item.service,
                valid_from=locked.effective_from,
                unit_price=item.unit_price,
                basis=f"{decision_reference}: {item.basis}",
            )
        locked.status = PriceList.Status.APPROVED
        locked.decision_reference = decision_reference
        locked.approved_by_label = actor.label
        locked.approved_at = timezone.now()
        locked.save()
        audit.record(
            actor=actor,
            action="costing.price_list.approve",
            obj=locked,
            changes={
                "status": ["proposed", "approved"],
                "decision_reference": [None, decision_reference],
            },
        )
    return locked
