"""Units of measure as people read them, from the UN/ECE Recommendation 20 codes that
services, usage and invoice lines store (and EHF carries as they are): «281 måneder»,
«1 stk.», «3 hours». Pure but for asking Django which language is active."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

from felles.core import formatting


class UnitName(NamedTuple):
    nb_one: str
    nb_many: str
    en_one: str
    en_many: str


# The codes Felles uses (catalogue, usage import, invoice lines) and their near relatives.
UNITS: dict[str, UnitName] = {
    "EA": UnitName("stk.", "stk.", "each", "each"),
    "C62": UnitName("stk.", "stk.", "unit", "units"),
    "H87": UnitName("stk.", "stk.", "piece", "pieces"),
    "E48": UnitName("tjenesteenhet", "tjenesteenheter", "service unit", "service units"),
    "MIN": UnitName("minutt", "minutter", "minute", "minutes"),
    "HUR": UnitName("time", "timer", "hour", "hours"),
    "DAY": UnitName("dag", "dager", "day", "days"),
    "WEE": UnitName("uke", "uker", "week", "weeks"),
    "MON": UnitName("måned", "måneder", "month", "months"),
    "QAN": UnitName("kvartal", "kvartaler", "quarter", "quarters"),
    "ANN": UnitName("år", "år", "year", "years"),
    "MTR": UnitName("meter", "meter", "metre", "metres"),
    "KMT": UnitName("kilometer", "kilometer", "kilometre", "kilometres"),
    "MTK": UnitName("kvadratmeter", "kvadratmeter", "square metre", "square metres"),
    "KGM": UnitName("kilo", "kilo", "kilogram", "kilograms"),
    "LTR": UnitName("liter", "liter", "litre", "litres"),
    "PR": UnitName("par", "par", "pair", "pairs"),
    "SET": UnitName("sett", "sett", "set", "sets"),
    "LS": UnitName("engangsbeløp", "engangsbeløp", "lump sum", "lump sums"),
}


def _is_one(quantity: Any) -> bool:
    try:
        return abs(Decimal(str(quantity))) == 1
    except ArithmeticError:
        return False


def unit_name(code: str, quantity: Any = 1, lang: str | None = None) -> str:
    """The unit's name in the reader's language, singular for 1 (and −1), plural otherwise;
    an unknown code is shown as it is."""
    names = UNITS.get((code or "").upper())
    if names is None:
        return code or ""
    one = _is_one(quantity)
    if formatting.language(lang) == "en":
        return names.en_one if one else names.en_many
    return names.nb_one if one else names.nb_many


def quantity(value: Any, code: str, lang: str | None = None) -> str:
    """«281 måneder», «1 stk.», «1,5 timer» / «281 months», «1 each», «1.5 hours»."""
    if value is None or value == "":
        return ""
    amount = formatting.number(value, lang)
    name = unit_name(code, value, lang)
    return f"{amount}\u00a0{name}" if name else amount


def per_unit(code: str, lang: str | None = None) -> str:
    """What a unit price is per: «per måned», «per stk.» / «per month», «each»."""
    name = unit_name(code, 1, lang)
    if formatting.language(lang) == "en" and name == "each":
        return "each"
    return f"per {name}" if name else ""
