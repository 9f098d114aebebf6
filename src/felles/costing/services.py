"""Cost-model writes (audited). A model is saved whole and only if it allocates: an
inconsistent set of shares is refused with the reason, never stored half-way."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.catalog.models import Service
from felles.catalog.services import add_price_version
from felles.core import audit, formatting
from felles.core.actor import Actor
from felles.core.services import Conflict, ServiceError, allowed
from felles.core.types import AnyUser
from felles.costing import allocation, selectors, transfer
from felles.costing.models import (
    BudgetPost,
    CostCentre,
    CostModel,
    DriverQuantity,
    DriverShare,
    PriceList,
    PriceListItem,
    ResourceMapping,
    ServiceCosting,
    TransferScenario,
)
from felles.organisations.models import Organisation, Role
from felles.organisations.selectors import has_role, manages_provider, role_rule
from felles.portfolio.selectors import transfer_totals

# The cost model, prices and budget are the provider's managers' work; DFD approves prices
# and keeps the resource mapping.
FINANCE = gettext_lazy("Bare leverandørens ledere fører kostnadsmodell, priser og budsjett.")
is_dfd = role_rule(Role.GOVERNANCE)


def _keeps_provider(user: AnyUser, provider: Organisation, **_: Any) -> bool:
    return manages_provider(user, provider.pk)


def _keeps_model(user: AnyUser, model: CostModel, **_: Any) -> bool:
    return manages_provider(user, model.provider_id)


def _keeps_price_list(user: AnyUser, price_list: PriceList, **_: Any) -> bool:
    return manages_provider(user, price_list.provider_id)


def _dfd_or_provider(user: AnyUser, provider: Organisation, **_: Any) -> bool:
    return has_role(user, Role.GOVERNANCE) or manages_provider(user, provider.pk)


@allowed(_keeps_provider, FINANCE)
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
    quantities: Sequence[tuple[Any, str, str, str, Decimal]] = (),
) -> CostModel:
    """Create or replace a provider's cost model for a year.

    centres: {"code", "name", "kind": "support"|"line", "direct_cost", "capital_cost"}
    shares: (supplier code, receiver code, share, driver)
    services: {"line", "service" (catalogue code), "share", "planned_volume",
               "marginal_cost" (optional)}
    quantities: the driver quantities behind the shares, per period
               (period, supplier code, receiver code, driver, quantity)
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
        raise ServiceError(_("Kostnadsmodellen går ikke opp: %(why)s") % {"why": exc}) from exc
    per_line: dict[str, Decimal] = {}
    for item in services:
        if item["line"] not in by_code or by_code[item["line"]]["kind"] != "line":
            raise ServiceError(
                _("«%(line)s» er ikke en tjenestelinje i modellen.") % {"line": item["line"]}
            )
        per_line[item["line"]] = per_line.get(item["line"], Decimal(0)) + Decimal(item["share"])
    wrong = [line for line, total in per_line.items() if abs(total - 1) > Decimal("0.000001")]
    if wrong:
        raise ServiceError(
            _("Tjenestenes andeler av en linje må summere til 1: %(lines)s")
            % {"lines": ", ".join(sorted(wrong))}
        )
    catalogue = {
        s.code: s
        for s in Service.objects.filter(
            code__in=[i["service"] for i in services], provider=provider
        )
    }
    missing = sorted({i["service"] for i in services} - set(catalogue))
    if missing:
        raise ServiceError(
            _("Ukjente tjenester for leverandøren: %(codes)s") % {"codes": ", ".join(missing)}
        )
    with transaction.atomic():
        model, created = CostModel.objects.get_or_create(
            provider=provider, year=year, name=name, defaults={"description": description}
        )
        model.quantities.all().delete()
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
        DriverQuantity.objects.bulk_create(
            [
                DriverQuantity(
                    model=model,
                    period=period,
                    supplier=saved[s],
                    receiver=saved[r],
                    driver=d,
                    quantity=Decimal(q),
                )
                for period, s, r, d, q in quantities
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


@allowed(_keeps_model, FINANCE)
def propose_price_list(
    *, actor: Actor, model: CostModel, effective_from: Any, method: str = "reciprocal"
) -> PriceList:
    """A proposed price list from the cost model's full-cost prices (with their basis)."""
    with translation.override("nb"):  # the stored basis is the record, in bokmål
        result = selectors.compute(model, method)
    if not result.prices:
        raise ServiceError(_("Kostnadsmodellen har ingen tjenester å prise."))
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


@allowed(_keeps_price_list, FINANCE)
def adjust_price_list(*, actor: Actor, price_list: PriceList, percent: Decimal) -> PriceList:
    """The year's wage and price compensation for the whole proposed list in one step."""
    if not Decimal("-50") <= percent <= Decimal("50"):
        raise ServiceError(
            _("Justeringen må være mellom −50 og 50 %."), {"percent": [_("Velg mellom −50 og 50.")]}
        )
    with transaction.atomic():
        locked = PriceList.objects.select_for_update().get(pk=price_list.pk)
        if locked.status != PriceList.Status.PROPOSED:
            raise Conflict(_("Prislisten er vedtatt og kan ikke endres."))
        factor = 1 + percent / 100
        for item in locked.items.all():
            before = item.unit_price
            item.unit_price = (before * factor).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            sign = "+" if percent >= 0 else ""
            item.basis = (
                f"{item.basis} Justert {sign}{formatting.points(percent, 'nb')} (lønns- og "
                f"priskompensasjon): {formatting.kroner(before, 'nb')} → "
                f"{formatting.kroner(item.unit_price, 'nb')}."
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


@allowed(is_dfd, "Bare DFD vedtar prislister.")
def approve_price_list(
    *, actor: Actor, price_list: PriceList, decision_reference: str = "", decision: Any = None
) -> PriceList:
    """DFD approves: every item becomes the service's price version from the effective
    date. All or nothing: one service with a later price already refuses the whole list.
    `decision` is the decided case in the governance register the approval rests on; the
    case then links to the price list."""
    if decision is not None:
        if decision.status != "decided" or decision.decided_level != "strategic":
            raise ServiceError(
                _("Prisene vedtas av DFD: velg en avgjort sak på strategisk nivå."),
                {"decision": [_("Ikke et vedtak fra DFD.")]},
            )
        if decision.provider_id != price_list.provider_id:
            raise ServiceError(
                _("Vedtaket gjelder en annen leverandør enn prislisten."),
                {"decision": [_("Gjelder en annen leverandør.")]},
            )
        decision_reference = decision_reference.strip() or f"{decision.number} {decision.title}"
    decision_reference = decision_reference.strip()
    if not decision_reference:
        raise ServiceError(
            _("Oppgi vedtaket som godkjenner prisene."),
            {"decision_reference": [_("Må fylles ut.")]},
        )
    with transaction.atomic():
        locked = PriceList.objects.select_for_update().get(pk=price_list.pk)
        if locked.status != PriceList.Status.PROPOSED:
            raise Conflict(_("Prislisten er allerede vedtatt."))
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
        if decision is not None:
            decision.price_lists.add(locked)
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


# --- budgets ----------------------------------------------------------------------------------

POST_FIELDS = ("name", "kind", "amount", "transferable", "funds")


@allowed(_keeps_provider, FINANCE)
def save_budget_post(
    *,
    actor: Actor,
    provider: Organisation,
    year: int,
    chapter: int,
    post: str,
    values: dict[str, Any],
) -> BudgetPost:
    """Create or change one chapter/post of a provider's budget for a year."""
    if not (1 <= chapter <= 9999 and len(post) == 2 and post.isdigit()):
        raise ServiceError(
            _("Kapittel er et tall (f.eks. 1510) og post to sifre (f.eks. 01)."),
            {"post": [_("To sifre.")]},
        )
    if not Decimal(0) <= Decimal(values.get("amount", 0)) <= Decimal("99999999999.99"):
        raise ServiceError(
            _("Beløpet må være mellom 0 og 99 999 999 999,99 kr."),
            {"amount": [_("Utenfor grensene.")]},
        )
    funds = values.get("funds")
    if funds is not None and (
        values.get("kind") != BudgetPost.Kind.REVENUE
        or funds.kind != BudgetPost.Kind.EXPENSE
        or funds.provider_id != provider.pk
        or funds.year != year
    ):
        raise ServiceError(
            _("Merinntektsfullmakten knytter en inntektspost til en utgiftspost samme år."),
            {"funds": [_("Ugyldig kobling.")]},
        )
    with transaction.atomic():
        row = (
            BudgetPost.objects.select_for_update()
            .filter(provider=provider, year=year, chapter=chapter, post=post)
            .first()
        )
        if row is not None and funds is not None and funds.pk == row.pk:
            raise ServiceError(
                _("En post kan ikke finansiere seg selv."), {"funds": [_("Velg en annen post.")]}
            )
        if (
            row is not None
            and values.get("kind") == BudgetPost.Kind.REVENUE
            and row.revenue_posts.exists()
        ):
            raise ServiceError(
                _(
                    "Inntektsposter finansierer denne utgiftsposten; den kan ikke gjøres om til "
                    "en inntektspost."
                ),
                {"kind": [_("Er i bruk som utgiftspost.")]},
            )
        return audit.save_values(
            row,
            new=lambda: BudgetPost(provider=provider, year=year, chapter=chapter, post=post),
            values=values,
            fields=POST_FIELDS,
            actor=actor,
            action="costing.budget_post",
            organisation_id=provider.pk,
        )


# --- appropriation transfer -------------------------------------------------------------------

SCENARIO_FIELDS = (
    "average_salary",
    "pension_rate",
    "employer_tax_rate",
    "operating_cost_per_fte",
    "rent_per_workplace",
    "releases_space",
    "efficiency_cut",
    "target",
)


@allowed(_dfd_or_provider, "Bare DFD og leverandørens ledere fører scenarier for rammeoverføring.")
def save_scenario(
    *,
    actor: Actor,
    provider: Organisation,
    year: int,
    name: str,
    values: dict[str, Any],
    areas: Sequence[Any],
) -> TransferScenario:
    """Create or change a transfer scenario; refused if its rates cannot be calculated."""
    name = name.strip()
    if not name:
        raise ServiceError(_("Gi scenarioet et navn."), {"name": [_("Må fylles ut.")]})
    if not areas:
        raise ServiceError(_("Velg områdene som flyttes."), {"areas": [_("Velg minst ett.")]})
    try:
        transfer.Rates(**{k: values[k] for k in SCENARIO_FIELDS if k != "target" and k in values})
    except (transfer.TransferError, TypeError, KeyError) as exc:
        raise ServiceError(_("Satsene kan ikke brukes: %(why)s") % {"why": _(str(exc))}) from exc
    with transaction.atomic():
        scenario = TransferScenario.objects.filter(provider=provider, year=year, name=name).first()
        areas_before = sorted(a.code for a in scenario.areas.all()) if scenario else []
        areas_after = sorted(a.code for a in areas)
        scenario = audit.save_values(
            scenario,
            new=lambda: TransferScenario(provider=provider, year=year, name=name),
            values=values,
            fields=SCENARIO_FIELDS,
            actor=actor,
            action="costing.transfer_scenario",
            organisation_id=provider.pk,
            extra={"areas": [areas_before, areas_after]} if areas_before != areas_after else None,
        )
        scenario.areas.set(areas)
    return scenario


@allowed(is_dfd, "Bare DFD fører ressurskartleggingen.")
def save_mapping(
    *,
    actor: Actor,
    year: int,
    rows: Sequence[tuple[int, int, Decimal, str]],
    source: str,
) -> None:
    """Write resource-mapping rows (ministry id, area id, FTE, note), each audited with the
    figure it replaces, in one transaction. `source` says where they came from."""
    with transaction.atomic():
        for ministry_id, area_id, fte, note in rows:
            row = (
                ResourceMapping.objects.select_for_update()
                .filter(year=year, ministry_id=ministry_id, area_id=area_id)
                .first()
            )
            before = {"fte": str(row.fte)} if row else {}
            row = row or ResourceMapping(year=year, ministry_id=ministry_id, area_id=area_id)
            row.fte, row.note = fte, note[:200]
            row.save()
            audit.record(
                actor=actor,
                action=f"costing.mapping.{source}",
                obj=row,
                changes=audit.diff(before, {"fte": str(fte)}),
                organisation_id=ministry_id,
            )


@allowed(is_dfd, "Bare DFD fører ressurskartleggingen.")
def mapping_from_transfers(*, actor: Actor, year: int) -> int:
    """Fill the resource mapping from the portfolio's agreed and completed staff transfers
    for the year (FTE per ministry and area), replacing mapped rows for the same keys."""
    totals = transfer_totals(year)
    if not totals:
        raise ServiceError(
            _("Porteføljen har ingen avtalte overføringer i %(year)s.") % {"year": year}
        )
    save_mapping(
        actor=actor,
        year=year,
        rows=[(m, a, fte, "Fra porteføljens overføringer") for (m, a), fte in totals.items()],
        source="portfolio",
    )
    return len(totals)
