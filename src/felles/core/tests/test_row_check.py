"""The row checks every import shares (core.tabular.RowCheck)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from felles.core.tabular import RowError, checked_rows

SPEC = {"name": ("navn",), "amount": ("beløp", "amount"), "day": ("dato",)}


def test_each_error_names_the_users_column_and_row() -> None:
    errors: list[RowError] = []
    rows = [
        (2, {"name": "", "amount": "12,50", "day": "31.12.2026"}),
        (3, {"name": "KUD", "amount": "mange", "day": "31.12.9999"}),
        (4, {"name": "Ukjent", "amount": "-1", "day": ""}),
    ]
    index = {"kud": "Kultur- og likestillingsdepartementet"}
    found = []
    for row in checked_rows(rows, SPEC, errors):
        row.require(["name"])
        who = row.find("name", index, "«{value}» er ukjent.")
        amount = row.decimal("amount", "«{value}» er ikke et beløp.", low=Decimal(0))
        day = row.date("day", "«{value}» er ikke en dato.")
        found.append((row.failed, who, amount, day))
    assert errors == [
        RowError(2, "navn", "Må fylles ut."),
        RowError(3, "beløp", "«mange» er ikke et beløp."),
        RowError(3, "dato", "«31.12.9999» er ikke en dato."),
        RowError(4, "navn", "«Ukjent» er ukjent."),
        RowError(4, "beløp", "«-1» er ikke et beløp."),
    ]
    assert found == [
        (True, None, Decimal("12.50"), dt.date(2026, 12, 31)),
        (True, "Kultur- og likestillingsdepartementet", None, None),
        (True, None, None, None),
    ]
