"""Appropriation transfer (rammeoverføring) when tasks move from ministries to a provider
(pure; no Django imports). costing.md §1.7:

    T_m = Σ_r FTE_m,r × [W × (1 + ρ_pension) × (1 + AGA) + C_fte] + H_m − G_m

W average salary, ρ the employer's pension premium, AGA employer's tax (14.1 % in zone 1),
C_fte operating cost per FTE, H_m rent per workplace when the ministry actually releases
space, G_m an agreed efficiency cut (a share of the rest). Every rate is a scenario
parameter. Amounts are rounded to øre so that the ministries' amounts add up exactly to the
rounded total (largest remainder, like the allocation)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from felles.core.formatting import kroner as kr
from felles.core.formatting import number, percent
from felles.costing.allocation import largest_remainder

ORE = Decimal("0.01")
EMPLOYER_TAX_ZONE_1 = Decimal("0.141")


def gettext_noop(text: str) -> str:
    """Marks a message for the app's catalogue; the page translates it when it shows it."""
    return text


class TransferError(ValueError):
    """Input the calculation refuses; the message is for the user (bokmål)."""


@dataclass(frozen=True)
class Rates:
    average_salary: Decimal
    pension_rate: Decimal  # e.g. 0.12
    employer_tax_rate: Decimal = EMPLOYER_TAX_ZONE_1
    operating_cost_per_fte: Decimal = Decimal(0)
    rent_per_workplace: Decimal = Decimal(0)
    releases_space: bool = False
    efficiency_cut: Decimal = Decimal(0)  # share of the transfer kept back, e.g. 0.005

    def __post_init__(self) -> None:
        if self.average_salary <= 0:
            raise TransferError(gettext_noop("Gjennomsnittslønnen må være større enn null."))
        for name in ("pension_rate", "employer_tax_rate", "efficiency_cut"):
            if not Decimal(0) <= getattr(self, name) < 1:
                raise TransferError(
                    gettext_noop("Satser oppgis som andel mellom 0 og 1 (12 % = 0,12).")
                )
        if self.operating_cost_per_fte < 0 or self.rent_per_workplace < 0:
            raise TransferError(gettext_noop("Kostnader per årsverk kan ikke være negative."))

    @property
    def salary_cost(self) -> Decimal:
        """W × (1 + ρ) × (1 + AGA): pension premium and employer's tax on both."""
        return self.average_salary * (1 + self.pension_rate) * (1 + self.employer_tax_rate)

    @property
    def per_fte(self) -> Decimal:
        return self.salary_cost + self.operating_cost_per_fte

    @property
    def rent(self) -> Decimal:
        return self.rent_per_workplace if self.releases_space else Decimal(0)


@dataclass(frozen=True)
class MinistryTransfer:
    ministry: str
    fte: Decimal
    salary_and_operations: Decimal  # FTE × per_fte (exact)
    rent: Decimal  # FTE × rent (exact)
    cut: Decimal  # efficiency cut (exact)
    amount: Decimal  # rounded to øre, reconciling to the total


@dataclass(frozen=True)
class TransferResult:
    rates: Rates
    rows: list[MinistryTransfer]
    total: Decimal
    fte: Decimal

    @property
    def per_fte_with_rent(self) -> Decimal:
        return (self.rates.per_fte + self.rates.rent).quantize(ORE, ROUND_HALF_UP)


def calculate(fte_by_ministry: Mapping[str, Decimal], rates: Rates) -> TransferResult:
    """The transfer per ministry. FTE per ministry is the sum over its roles or areas."""
    if not fte_by_ministry:
        raise TransferError(gettext_noop("Ingen årsverk å overføre."))
    if any(fte < 0 for fte in fte_by_ministry.values()):
        raise TransferError(gettext_noop("Årsverk kan ikke være negative."))
    exact: dict[str, tuple[Decimal, Decimal, Decimal, Decimal]] = {}
    for ministry, fte in sorted(fte_by_ministry.items()):
        base = fte * rates.per_fte
        rent = fte * rates.rent
        cut = (base + rent) * rates.efficiency_cut
        exact[ministry] = (base, rent, cut, base + rent - cut)
    total = sum((v[3] for v in exact.values()), Decimal(0)).quantize(ORE, ROUND_HALF_UP)
    keys = list(exact)
    ore = largest_remainder(
        np.array([float(exact[m][3] * 100) for m in keys]), int(total * 100), keys
    )
    rows = [
        MinistryTransfer(m, fte_by_ministry[m], *exact[m][:3], Decimal(o) / 100)
        for m, o in zip(keys, ore, strict=True)
    ]
    return TransferResult(rates, rows, total, sum(fte_by_ministry.values(), Decimal(0)))


def _bokmal(text: str) -> str:
    return text


def explain(result: TransferResult, gettext: Callable[[str], str] = _bokmal) -> list[str]:
    """The calculation in words and numbers, the way a ministry checks it: bokmål, or in
    the reader's language when given Django's gettext (the sentences are written as
    gettext(...) calls so that the app's catalogue picks them up)."""
    r = result.rates

    lines = [
        gettext(
            "Lønnskostnad per årsverk: %(salary)s × (1 + %(pension)s pensjon) × (1 + %(tax)s "
            "arbeidsgiveravgift) = %(cost)s."
        )
        % {
            "salary": kr(r.average_salary),
            "pension": percent(r.pension_rate),
            "tax": percent(r.employer_tax_rate),
            "cost": kr(r.salary_cost),
        },
        gettext("Pluss driftskostnad per årsverk %(operating)s = %(per_fte)s.")
        % {"operating": kr(r.operating_cost_per_fte), "per_fte": kr(r.per_fte)},
    ]
    if r.releases_space:
        lines.append(
            gettext("Pluss husleie per arbeidsplass som frigjøres: %(rent)s.")
            % {"rent": kr(r.rent_per_workplace)}
        )
    if r.efficiency_cut:
        lines.append(
            gettext("Minus gevinstuttak %(cut)s av beløpet.") % {"cut": percent(r.efficiency_cut)}
        )
    lines.append(
        gettext("Sum %(fte)s årsverk: %(total)s (%(per_fte)s per årsverk før gevinstuttak).")
        % {
            "fte": number(result.fte),
            "total": kr(result.total),
            "per_fte": kr(result.per_fte_with_rent),
        }
    )
    return lines
