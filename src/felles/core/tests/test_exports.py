"""Excel and CSV exports."""

from __future__ import annotations


def test_xlsx_export_never_writes_formulas() -> None:
    import io

    from openpyxl import load_workbook

    from felles.core.exports import xlsx_response

    response = xlsx_response("x.xlsx", ["Tittel"], [['=HYPERLINK("http://x")'], ["Vanlig"]])
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert values == ['\'=HYPERLINK("http://x")', "Vanlig"]


def test_csv_export_never_writes_formulas_and_writes_iso_dates() -> None:
    import datetime as dt
    from decimal import Decimal

    from felles.core.exports import csv_response

    response = csv_response(
        "x.csv",
        ["Tittel", "Dato", "Beløp"],
        [["=1+1", dt.date(2026, 10, 31), Decimal("-12.50")], ["Vanlig", None, 3]],
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode().splitlines() == [
        "Tittel;Dato;Beløp",
        "'=1+1;2026-10-31;-12.50",
        "Vanlig;;3",
    ]
