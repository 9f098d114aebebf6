"""Norwegian formatting of amounts and numbers."""

from __future__ import annotations

from decimal import Decimal

from felles.core.formatting import kroner, number


def test_kroner() -> None:
    assert kroner(Decimal("30102")) == "kr\u00a030\u202f102,00"
    assert kroner("-1234567.895") == "-kr\u00a01\u202f234\u202f567,90"
    assert kroner(Decimal("0.5")) == "kr\u00a00,50"
    assert kroner(None) == "" and kroner("") == ""


def test_number() -> None:
    assert number(Decimal("150000")) == "150\u202f000"
    assert number(Decimal("37.50")) == "37,5"
    assert number(Decimal("-1000")) == "-1\u202f000"
