"""The portfolio's rules (pure; no Django imports): risk scoring on 5×5 scales, benefits
aggregated without double counting, and the multi-criteria evaluation of organisational
models with its sensitivity analysis.

MCDA is a weighted sum: an alternative's score is Σ w_k · s_ak with the weights normalised
to sum 1. Moving one weight w_k to t while the others keep their proportions makes every
score linear in t, S_a(t) = t · s_ak + (1 − t) · R_a with R_a the others' weighted mean, so
the points where two alternatives swap places are found exactly, not by trial.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

SCALE = range(1, 6)


class RuleError(ValueError):
    """Input the rules cannot evaluate; the message is for the user (bokmål)."""


# --- Risk -----------------------------------------------------------------------------------


def risk_score(likelihood: int, consequence: int) -> int:
    if likelihood not in SCALE or consequence not in SCALE:
        raise RuleError("Sannsynlighet og konsekvens angis fra 1 til 5.")
    return likelihood * consequence


def risk_level(score: int) -> str:
    """Bands of the 5×5 matrix: low (1–4), moderate (5–9), high (10–14), critical (15–25)."""
    if score >= 15:
        return "critical"
    if score >= 10:
        return "high"
    if score >= 5:
        return "moderate"
    return "low"


RISK_LEVEL_LABELS = {
    "low": "Lav",
    "moderate": "Moderat",
    "high": "Høy",
    "critical": "Kritisk",
}


def heat_map(risks: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Counts per cell, rows from likelihood 5 (top) down to 1, columns consequence 1–5."""
    grid = [[0] * 5 for _ in range(5)]
    for likelihood, consequence in risks:
        risk_score(likelihood, consequence)
        grid[5 - likelihood][consequence - 1] += 1
    return grid


# --- Benefits -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenefitClaim:
    """A benefit as one project sees it. `key` identifies the benefit itself (its kind,
    ministry and area): a benefit several projects contribute to has one key."""

    key: tuple[str, str, str]  # (kind, ministry or "", area or "")
    project: str
    target: Decimal
    realised: Decimal


def realised_gain(baseline: Decimal, target: Decimal, measured: Decimal) -> Decimal:
    """How far the measure has moved towards the target: negative when it moved the wrong
    way (more FTE than at the baseline is a loss, not a gain)."""
    if target == baseline:
        return Decimal(0)
    direction = 1 if target > baseline else -1
    return (measured - baseline) * direction


def aggregate_benefits(claims: Iterable[BenefitClaim]) -> dict[str, dict[str, Decimal]]:
    """Planned and realised totals per kind, each benefit counted once however many
    projects it is reached through."""
    by_key: dict[tuple[str, str, str], BenefitClaim] = {}
    for claim in claims:
        by_key.setdefault(claim.key, claim)
    totals: dict[str, dict[str, Decimal]] = {}
    for (kind, _, _), claim in sorted(by_key.items()):
        entry = totals.setdefault(kind, {"target": Decimal(0), "realised": Decimal(0)})
        entry["target"] += claim.target
        entry["realised"] += claim.realised
    return totals


# --- Multi-criteria evaluation --------------------------------------------------------------


@dataclass(frozen=True)
class Evaluation:
    alternatives: Sequence[str]
    criteria: Sequence[str]
    weights: Sequence[float]  # any positive scale; normalised here
    scores: Sequence[Sequence[float]]  # [alternative][criterion]

    def __post_init__(self) -> None:
        if len(self.alternatives) < 2:
            raise RuleError("En vurdering trenger minst to alternativer.")
        if not self.criteria or len(self.weights) != len(self.criteria):
            raise RuleError("Hvert kriterium trenger en vekt.")
        if any(w < 0 for w in self.weights) or sum(self.weights) <= 0:
            raise RuleError("Vektene må være positive og ikke alle null.")
        if len(self.scores) != len(self.alternatives) or any(
            len(row) != len(self.criteria) for row in self.scores
        ):
            raise RuleError("Hvert alternativ trenger en skår for hvert kriterium.")

    @property
    def normalised(self) -> np.ndarray:
        w = np.asarray(self.weights, dtype=float)
        normalised: np.ndarray = w / w.sum()
        return normalised

    @property
    def matrix(self) -> np.ndarray:
        return np.asarray(self.scores, dtype=float)


def totals(evaluation: Evaluation, weights: np.ndarray | None = None) -> np.ndarray:
    w = evaluation.normalised if weights is None else weights
    result: np.ndarray = evaluation.matrix @ w
    return result


def ranking(evaluation: Evaluation) -> list[tuple[str, float]]:
    """Alternatives best first with their weighted scores (ties keep the given order)."""
    scores = totals(evaluation)
    order = sorted(range(len(scores)), key=lambda i: (-round(float(scores[i]), 12), i))
    return [(evaluation.alternatives[i], float(scores[i])) for i in order]


@dataclass(frozen=True)
class WeightRange:
    criterion: str
    weight: float  # the current normalised weight
    low: float  # the ranking holds for weights in [low, high]
    high: float


def _order(scores: np.ndarray) -> tuple[int, ...]:
    return tuple(sorted(range(len(scores)), key=lambda i: (-round(float(scores[i]), 12), i)))


def sensitivity(evaluation: Evaluation) -> list[WeightRange]:
    """For each criterion, how far its weight may move (the others keeping their
    proportions) before the ranking changes. Exact: the swaps are the crossings of lines."""
    w = evaluation.normalised
    m = evaluation.matrix
    base = _order(m @ w)
    result = []
    for k, criterion in enumerate(evaluation.criteria):
        # R_a: what the other criteria contribute, the way `_move` spreads the rest of the
        # weight over them (in proportion, or evenly when w_k is the only weight).
        others = _move(w, k, 0.0) @ m.T
        slope = m[:, k] - others  # S_a(t) = others + t · slope
        crossings = []
        for a in range(len(m)):
            for b in range(a + 1, len(m)):
                if slope[a] != slope[b]:
                    t = (others[b] - others[a]) / (slope[a] - slope[b])
                    if -1e-9 <= t <= 1 + 1e-9:  # rounding may put a tie at 0 just outside
                        crossings.append(float(t))
        low, high = 0.0, 1.0
        for t in crossings:
            if abs(t - w[k]) < 1e-9:
                # Two alternatives tie at today's weights: the order holds on at most one
                # side, whichever keeps the tie-break.
                if _order(m @ _move(w, k, w[k] + 1e-7)) != base:
                    high = float(w[k])
                if _order(m @ _move(w, k, w[k] - 1e-7)) != base:
                    low = float(w[k])
                continue
            # A crossing only matters if the order really differs beyond it.
            probe = t + 1e-9 if t > w[k] else t - 1e-9
            if _order(m @ _move(w, k, probe)) == base:
                continue
            if t > w[k]:
                high = min(high, t)
            else:
                low = max(low, t)
        result.append(WeightRange(criterion, float(w[k]), low, high))
    return result


def _move(w: np.ndarray, k: int, t: float) -> np.ndarray:
    """The weights with w_k set to t and the others keeping their proportions (spread
    evenly when w_k was the only weight)."""
    rest = 1 - w[k]
    even = np.full_like(w, (1 - t) / max(len(w) - 1, 1))
    moved = w * ((1 - t) / rest) if rest > 1e-12 else even
    moved[k] = t
    return moved


def monte_carlo(
    evaluation: Evaluation, draws: int = 10_000, concentration: float = 20.0, seed: int = 2025
) -> dict[str, float]:
    """How often each alternative wins when the weights vary: Dirichlet draws centred on
    the given weights (higher concentration = closer to them). Reproducible by seed."""
    if draws < 1:
        raise RuleError("Antall trekk må være minst 1.")
    rng = np.random.default_rng(seed)
    alpha = np.maximum(evaluation.normalised * concentration, 1e-3)
    weights = rng.dirichlet(alpha, size=draws)  # draws × criteria
    scores = weights @ evaluation.matrix.T  # draws × alternatives
    winners = np.argmax(scores, axis=1)
    counts = np.bincount(winners, minlength=len(evaluation.alternatives))
    return {
        name: round(100 * float(counts[i]) / draws, 1)
        for i, name in enumerate(evaluation.alternatives)
    }


# --- Timeline -------------------------------------------------------------------------------


def span(dates: Iterable[dt.date | None]) -> tuple[dt.date, dt.date] | None:
    known = [d for d in dates if d is not None]
    if not known:
        return None
    return min(known), max(known)


def position(day: dt.date, first: dt.date, last: dt.date, width: float) -> float:
    """Where `day` falls on a time axis `width` units wide from `first` to `last`."""
    total = max((last - first).days, 1)
    return round(width * (day - first).days / total, 2)


def is_late(
    dependent_starts: dt.date,
    dependent_ends: dt.date,
    prerequisite_due: dt.date | None,
    finish_to_finish: bool = False,
) -> bool:
    """A dependency does not hold in the plan when the prerequisite is due after the
    dependent project starts (finish-to-start) or ends (finish-to-finish)."""
    if prerequisite_due is None:
        return False
    return prerequisite_due > (dependent_ends if finish_to_finish else dependent_starts)
