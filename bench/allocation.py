"""Benchmark: reciprocal allocation with 300 cost centres and 2,000 services.

Target (issue "Cost model, full-cost prices, budgets and appropriation transfers"): under
1 second. Run: .venv/bin/python bench/allocation.py  (appends to bench/RESULTS.md)
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import results  # noqa: E402

from felles.costing.allocation import Network, compare, reciprocal  # noqa: E402


def network(n_support: int = 300, n_lines: int = 2000, seed: int = 7) -> Network:
    rng = random.Random(seed)
    support = [f"S{i:03d}" for i in range(n_support)]
    lines = [f"T{k:04d}" for k in range(n_lines)]
    shares = {}
    for supplier in support:
        receivers = rng.sample([s for s in support if s != supplier], 10) + rng.sample(lines, 40)
        weights = [rng.random() for _ in receivers]
        total = sum(weights)
        shares[supplier] = {r: w / total for r, w in zip(receivers, weights, strict=True)}
    costs = {s: Decimal(rng.randint(10**5, 10**8)) / 100 for s in support}
    return Network(support, lines, costs, shares)


def main() -> None:
    net = network()
    t0 = time.perf_counter()
    result = reciprocal(net)
    seconds = time.perf_counter() - t0
    assert sum(result.values()) == sum(net.direct_costs.values())
    t0 = time.perf_counter()
    compare(net)
    all_three = time.perf_counter() - t0
    line = (
        f"| {dt.datetime.now(dt.UTC):%Y-%m-%d} | {results.commit()} | {os.cpu_count()} cores, "
        f"Python {platform.python_version()} | reciprocal, 300 centres × 2,000 services "
        f"| {seconds:.3f} s (all three methods: {all_three:.3f} s) |"
    )
    print(line)
    results.append(
        "allocation",
        "Target: reciprocal allocation with 300 cost centres and "
        "2,000 services in under 1 second.\n\n| date | commit | machine | measure | "
        "result |\n|---|---|---|---|---|\n",
        [line],
    )


if __name__ == "__main__":
    main()
