"""Excel exports."""

from __future__ import annotations


def test_xlsx_export_never_writes_formulas() -> None:
    import io

    from openpyxl import load_workbook

    from felles.core.exports import xlsx_response

    response = xlsx_response("x.xlsx", ["Tittel"], [['=HYPERLINK("http://x")'], ["Vanlig"]])
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert values == ['\'=HYPERLINK("http://x")', "Vanlig"]
