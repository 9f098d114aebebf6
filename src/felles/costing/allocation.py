"""Allocation of support-centre costs to service lines (pure; NumPy, no Django).

Three methods from costing.md §2.1, selectable and comparable side by side:
- direct: support centres' costs go straight to the service lines in proportion to the
  lines' shares (support↔support flows ignored);
- step-down: support centres are closed one by one (by default the one giving most to the
  other support centres first); a closed centre receives nothing more;
- reciprocal: the exact solution of x = d + R·x, i.e. x = (I − R)⁻¹ d, then B·x.

Amounts are in NOK with two decimals. Results are rounded to the øre with the largest
remainder method (floor every share, hand the missing øre to the largest fractional parts,
ties broken by the line's code), so the allocated amounts always sum exactly to the pool.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

TOLERANCE = 1e-9


class AllocationError(ValueError):
    """The cost network cannot be allocated (the message says why, in bokmål)."""


@dataclass(frozen=True)
class Network:
    """Support centres with direct costs, service lines, and who uses whose output.

    `shares[supplier][receiver]` is the share of the supplier's output used by the
    receiver (a support centre or a service line); each supplier's shares sum to 1.
    """

    support: Sequence[str]
    lines: Sequence[str]
    direct_costs: Mapping[str, Decimal]
    shares: Mapping[str, Mapping[str, float | Decimal]]

    def matrices(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(d, R, B): support costs, support→support shares R[i, j] (j's output used by i)
        and support→line shares B[k, j]; validated."""
        support, lines = list(self.support), list(self.lines)
        if (
            len(set(support)) != len(support)
            or len(set(lines)) != len(lines)
            or set(support) & set(lines)
        ):
            raise AllocationError("Kostnadsstedene må ha unike koder.")
        s_index = {code: i for i, code in enumerate(support)}
        l_index = {code: k for k, code in enumerate(lines)}
        d = np.array([float(self.direct_costs.get(code, 0)) for code in support])
        if (d < 0).any():
            raise AllocationError("Direkte kostnader kan ikke være negative.")
        r = np.zeros((len(support), len(support)))
        b = np.zeros((len(lines), len(support)))
        for supplier in support:
            j = s_index[supplier]
            row = self.shares.get(supplier, {})
            total = 0.0
            for receiver, raw in row.items():
                share = float(raw)
                if share < 0:
                    raise AllocationError(f"{supplier}: en andel kan ikke være negativ.")
                if receiver == supplier:
                    raise AllocationError(f"{supplier} kan ikke betjene seg selv.")
                if receiver in s_index:
                    r[s_index[receiver], j] = share
                elif receiver in l_index:
                    b[l_index[receiver], j] = share
                else:
                    raise AllocationError(f"{supplier}: ukjent mottaker «{receiver}».")
                total += share
            if abs(total - 1.0) > 1e-6:
                raise AllocationError(f"Andelene for {supplier} summerer til {total:.4f}, ikke 1.")
            if b[:, j].sum() <= TOLERANCE and d[j] > 0:
                raise AllocationError(
                    f"{supplier} betjener ingen tjenestelinjer; kostnaden kan ikke fordeles."
                )
        return d, r, b


def direct(network: Network) -> dict[str, Decimal]:
    d, _r, b = network.matrices()
    column_sums = b.sum(axis=0)
    normalised = np.divide(b, column_sums, out=np.zeros_like(b), where=column_sums > 0)
    return _rounded(network, normalised @ d, d.sum())


def step_down_order(network: Network) -> list[str]:
    """The default closing order: the support centre giving most service to the other
    support centres first, measured in kroner (direct cost × the shares it gives them),
    ties by code. Computed in Decimal from the stored figures, so equal amounts are equal:
    ADM 10 000 × 0.15 and FAS 15 000 × 0.10 both give 1 500 and close in code order (in
    floating point one was 1500.0000000000002 and the tie was decided by noise)."""
    network.matrices()  # validates the network
    support = set(network.support)

    def given(code: str) -> Decimal:
        shares = network.shares.get(code, {})
        to_support = sum(
            (Decimal(str(share)) for receiver, share in shares.items() if receiver in support),
            Decimal(0),
        )
        return Decimal(str(network.direct_costs.get(code, 0))) * to_support

    return sorted(network.support, key=lambda code: (-given(code), code))


def step_down(network: Network, order: Sequence[str] | None = None) -> dict[str, Decimal]:
    """Close support centres in `order` (default: `step_down_order`)."""
    d, r, b = network.matrices()
    support = list(network.support)
    if order is None:
        order = step_down_order(network)
    if sorted(order) != sorted(support):
        raise AllocationError("Rekkefølgen må inneholde hvert støttested nøyaktig én gang.")
    pools = d.copy()
    lines = np.zeros(len(network.lines))
    closed: set[int] = set()
    index = {code: j for j, code in enumerate(support)}
    for code in order:
        j = index[code]
        closed.add(j)
        open_support = [i for i in range(len(support)) if i not in closed]
        to_support = r[open_support, j]
        to_lines = b[:, j]
        total = to_support.sum() + to_lines.sum()
        if total <= TOLERANCE:
            continue
        pools[open_support] += pools[j] * to_support / total
        lines += pools[j] * to_lines / total
        pools[j] = 0.0
    return _rounded(network, lines, d.sum())


def reciprocal(network: Network) -> dict[str, Decimal]:
    d, r, b = network.matrices()
    x = solve_reciprocal(d, r)
    return _rounded(network, b @ x, d.sum())


def solve_reciprocal(d: np.ndarray, r: np.ndarray) -> np.ndarray:
    """x = (I − R)⁻¹ d: each support centre's cost including what it receives."""
    try:
        x = np.linalg.solve(np.eye(len(d)) - r, d)
    except np.linalg.LinAlgError as exc:
        raise AllocationError(
            "Støttestedene betjener bare hverandre; likningssystemet har ingen løsning."
        ) from exc
    if (x < -TOLERANCE).any():
        raise AllocationError("Fordelingen gir negative kostnader; sjekk andelene.")
    return x


METHODS: dict[str, Callable[[Network], dict[str, Decimal]]] = {
    "direct": direct,
    "step_down": step_down,
    "reciprocal": reciprocal,
}


def compare(network: Network) -> dict[str, dict[str, Decimal]]:
    """All three methods side by side."""
    return {name: method(network) for name, method in METHODS.items()}


def largest_remainder(amounts: np.ndarray, total_ore: int, keys: Sequence[str]) -> list[int]:
    """Round exact amounts in øre to whole øre summing to `total_ore`: floor each, then
    give the remaining øre to the largest fractional parts (ties: by key)."""
    floors = np.floor(amounts + TOLERANCE)
    missing = int(total_ore - floors.sum())
    if missing < 0 or missing > len(amounts):
        raise AllocationError("Avrundingen går ikke opp; beløpene summerer ikke til potten.")
    fractions = amounts - floors
    order = sorted(range(len(amounts)), key=lambda i: (-fractions[i], keys[i]))
    result = floors.astype(np.int64)
    for i in order[:missing]:
        result[i] += 1
    return [int(v) for v in result]


def _rounded(network: Network, allocated: np.ndarray, pool: float) -> dict[str, Decimal]:
    total_ore = round(pool * 100)
    ore = largest_remainder(allocated * 100, total_ore, list(network.lines))
    return {code: Decimal(value) / 100 for code, value in zip(network.lines, ore, strict=True)}


def unit_price(full_cost: Decimal, planned_volume: Decimal) -> Decimal:
    """Full-cost price per unit, to the øre (half up, as prices are quoted)."""
    if planned_volume <= 0:
        raise AllocationError("Planlagt volum må være større enn null.")
    return (full_cost / planned_volume).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")


SHARE_UNITS = 1_000_000  # shares are stored with six decimals


def shares_from_quantities(
    quantities: Sequence[tuple[str, str, str, Decimal]],
) -> list[tuple[str, str, Decimal, str]]:
    """Driver quantities (supplier, receiver, driver, quantity) for one period → shares
    (supplier, receiver, share, driver), each supplier's shares summing to exactly 1 at six
    decimals (largest remainder). One driver per supplier."""
    by_supplier: dict[str, list[tuple[str, str, Decimal]]] = {}
    for supplier, receiver, driver, quantity in quantities:
        if quantity < 0:
            raise AllocationError(f"{supplier} → {receiver}: mengden kan ikke være negativ.")
        by_supplier.setdefault(supplier, []).append((receiver, driver, quantity))
    shares: list[tuple[str, str, Decimal, str]] = []
    for supplier, rows in by_supplier.items():
        drivers = {driver for _, driver, _ in rows}
        if len(drivers) != 1:
            raise AllocationError(
                f"{supplier} har flere fordelingsnøkler ({', '.join(sorted(drivers))}); "
                "bruk én per støttefunksjon."
            )
        total = sum((q for _, _, q in rows), Decimal(0))
        if total <= 0:
            raise AllocationError(f"{supplier}: mengdene summerer til null.")
        exact = np.array([float(q / total) * SHARE_UNITS for _, _, q in rows])
        units = largest_remainder(exact, SHARE_UNITS, [r for r, _, _ in rows])
        driver = drivers.pop()
        shares += [
            (supplier, receiver, Decimal(u) / SHARE_UNITS, driver)
            for (receiver, _, _), u in zip(rows, units, strict=True)
            if u > 0
        ]
    return shares
