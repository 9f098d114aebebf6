"""Which funding mechanism a service should have: Table 3 of the review (pure).

- basic and fixed add-on services: own appropriation (the main rule);
- variable add-on and volume-driven services: invoicing when the total volume varies over
  time; a stable volume can be sized into the appropriation;
- development: appropriation when everyone must use it, invoicing when use is voluntary.

"Varies over time" is measured as the coefficient of variation (standard deviation / mean)
of the service's total monthly volume over the last 12–24 months. The threshold (0.20 by
default) is a parameter: the review gives none.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from felles.core.formatting import number

APPROPRIATION, CHARGING, INVOICING = "appropriation", "charging_authorisation", "invoicing"
DEFAULT_THRESHOLD = 0.20
MIN_MONTHS = 12


def coefficient_of_variation(monthly: Sequence[float]) -> float | None:
    """Population CV of monthly volumes (months without use count as 0); None when there
    is no use at all."""
    if not monthly:
        return None
    mean = statistics.fmean(monthly)
    if mean == 0:
        return None
    return statistics.pstdev(monthly) / mean


def _two(value: float) -> str:
    return number(Decimal(str(value)), places=2)


def bokmal(text: str) -> str:
    """The sentence as written (bokmål): the default where no translation is wanted."""
    return text


def bokmal_count(one: str, many: str, count: int) -> str:
    return one if count == 1 else many


# The reasons are written as gettext(...)/ngettext(...) calls so that the app's catalogue
# picks them up; the caller passes Django's functions to have them in the reader's language.
Say = Callable[[str], str]
SayCount = Callable[[str, str, int], str]


@dataclass(frozen=True)
class Recommendation:
    mechanism: str
    reason: str
    cv: float | None
    months: int


def recommend(
    kind: str,
    mandatory: bool,
    monthly: Sequence[float],
    threshold: float = DEFAULT_THRESHOLD,
    gettext: Say = bokmal,
    ngettext: SayCount = bokmal_count,
) -> Recommendation:
    """The mechanism Table 3 points to, with one sentence saying why (bokmål, or in the
    reader's language when given Django's gettext and ngettext)."""
    months = len(monthly)
    cv = coefficient_of_variation(monthly)
    if kind == "basic":
        return Recommendation(
            APPROPRIATION,
            gettext("Basistjenester finansieres over leverandørens egen bevilgning (hovedregel)."),
            cv,
            months,
        )
    if kind == "fixed_addon":
        return Recommendation(
            APPROPRIATION,
            gettext(
                "Faste tilleggstjenester har avtalt volum og bør finansieres over bevilgningen."
            ),
            cv,
            months,
        )
    if kind == "development":
        if mandatory:
            return Recommendation(
                APPROPRIATION,
                gettext("Utvikling alle må ta i bruk, finansieres over bevilgningen."),
                cv,
                months,
            )
        return Recommendation(
            INVOICING,
            gettext(
                "Bruken av den nye tjenesten er frivillig, så den faktureres dem som bruker den."
            ),
            cv,
            months,
        )
    # Variable add-on and volume-driven services: it depends on how the volume moves.
    if months < MIN_MONTHS or cv is None:
        return Recommendation(
            INVOICING,
            ngettext(
                "For lite forbruk å måle variasjon på (%(months)s måned); variable og "
                "volumstyrte tjenester faktureres inntil volumet er kjent.",
                "For lite forbruk å måle variasjon på (%(months)s måneder); variable og "
                "volumstyrte tjenester faktureres inntil volumet er kjent.",
                months,
            )
            % {"months": months},
            cv,
            months,
        )
    if cv >= threshold:
        return Recommendation(
            INVOICING,
            gettext(
                "Samlet månedlig volum varierer (variasjonskoeffisient %(cv)s ≥ "
                "%(threshold)s), så tjenesten bør faktureres etter bruk."
            )
            % {"cv": _two(cv), "threshold": _two(threshold)},
            cv,
            months,
        )
    return Recommendation(
        APPROPRIATION,
        gettext(
            "Samlet månedlig volum er stabilt (variasjonskoeffisient %(cv)s < "
            "%(threshold)s); det kan dimensjoneres inn i bevilgningen."
        )
        % {"cv": _two(cv), "threshold": _two(threshold)},
        cv,
        months,
    )
