"""Every list can be exported to Excel or CSV: one helper for each, both writing text that
looks like a formula as text."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook

from felles.core.text import XML_ILLEGAL, visible

FORMULA_STARTS = ("=", "+", "-", "@")
# Excel refuses these in a sheet title, titles longer than 31 characters, a title that
# starts or ends with an apostrophe, and two titles that differ only in case.
_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")
MAX_TITLE = 31
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(
    filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    return xlsx_workbook_response(filename, {"Felles": (headers, rows)})


def xlsx_workbook_response(
    filename: str, sheets: Mapping[str, tuple[Sequence[str], Iterable[Sequence[Any]]]]
) -> HttpResponse:
    """A workbook with one sheet per entry: {sheet name: (headers, rows)}."""
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    for name, (headers, rows) in sheets.items():
        sheet = workbook.create_sheet(sheet_title(name, taken))
        sheet.append(list(headers))
        for row in rows:
            sheet.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique sheet title from any text (user-typed scenario names included):
    without []:*?/\\ and control characters, at most 31 characters, never empty, and
    different from every title in `taken` ignoring case (a suffix « (2)», « (3)», …).
    The title is added to `taken`."""
    base = " ".join(_TITLE_FORBIDDEN.sub(" ", name).split()).strip("'").strip() or "Ark"
    title, number = base[:MAX_TITLE].rstrip(), 1
    while title.casefold() in taken or title.casefold() == "history":  # Excel reserves it
        number += 1
        suffix = f" ({number})"
        title = base[: MAX_TITLE - len(suffix)].rstrip() + suffix
    taken.add(title.casefold())
    return title


def csv_response(
    filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """Semicolon-separated UTF-8 (what Norwegian Excel opens), dates as ISO 8601."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    cell = _cell(value)
    return cell.isoformat(sep=" ") if isinstance(cell, dt.datetime) else cell


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        # A character XML cannot carry (stored before the edges refused it, or by a script)
        # is shown as its code point, as on the invoicing pages: «Test[U+000B]esen».
        if XML_ILLEGAL.search(value):
            value = visible(value)
        # Text that looks like a formula is written as text: data typed in by users
        # (titles, comments) must never execute in someone's spreadsheet.
        if value[:1] in FORMULA_STARTS:
            return "'" + value
        return value
    # Excel cannot store timezone-aware datetimes; export local wall-clock time.
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)
    return value
