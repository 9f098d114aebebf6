"""Reading user-supplied tables (CSV or XLSX exports) for the two-phase imports.

Every import in Felles reads a file with `read_table`, maps its header to fields with
`map_columns` (bokmål names first, English aliases), collects `RowError`s for every bad
row, and writes nothing unless there are none. Row numbers are the ones the user sees in
the spreadsheet (header = 1)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any, TypeVar

from django.utils.translation import gettext as _

from felles.core import formatting
from felles.core.textfiles import ImportFileError, decode, dialect, refuse_binary
from felles.core.validators import control_character, control_character_message, date_in_range

T = TypeVar("T")
TRUE_WORDS = {"ja", "j", "yes", "y", "true", "1", "aktiv"}
FALSE_WORDS = {"nei", "n", "no", "false", "0", "inaktiv", "sluttet"}
MAX_ROWS = 20_000
# No import has more than a few dozen columns. A sheet is read at most this wide, whatever
# width its own <dimension> declares (A1:XFD20000 would make every row 16 384 cells).
MAX_COLUMNS = 100
# A cell holds a name, a code, an amount or a short note, never a document.
MAX_CELL_CHARS = 5_000
# An XLSX file is a zip archive: its XML is checked from the zip's central directory
# before openpyxl reads a byte, so a small file that inflates to gigabytes (a "zip bomb")
# is refused instead of taking the worker's memory. Real workbooks of MAX_ROWS rows stay
# far below these limits.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # all members together
MAX_MEMBER_BYTES = 50 * 1024 * 1024  # one sheet, or the shared strings
MAX_RATIO = 100  # uncompressed / compressed, for members above RATIO_FROM bytes
RATIO_FROM = 1024 * 1024
MAX_SHARED_STRINGS = 500_000
_SHARED_STRING = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}si"
# Python's csv module refuses a field above 128 KiB with an English message; read any
# field an upload can hold, so an overlong cell gets its own message (MAX_CELL_CHARS).
csv.field_size_limit(64 * 1024 * 1024)
__all__ = ["ImportFileError"]  # defined in core.textfiles, imported from here by every import


@dataclass(frozen=True)
class RowError:
    row: int  # the row number as the user sees it in the spreadsheet (header = 1)
    column: str
    message: str


def read_table(content: bytes, filename: str) -> list[tuple[int, dict[str, str]]]:
    """Rows as (spreadsheet row number, {lower-case header: stripped text})."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _read_xlsx(content)[0]
    elif name.endswith((".csv", ".txt")):
        if content.startswith(b"PK\x03\x04"):
            raise ImportFileError(
                _(
                    "Filen er en Excel-arbeidsbok, ikke CSV-tekst. Gi den endelsen .xlsx, "
                    "eller lagre den som CSV (UTF-8)."
                )
            )
        refuse_binary(content)
        rows = _read_csv(content)
    else:
        raise ImportFileError(_("Filen må være CSV (.csv) eller Excel (.xlsx)."))
    return _table(rows)


def read_sheets(
    content: bytes, filename: str, names: Sequence[str]
) -> dict[str, list[tuple[int, dict[str, str]]]]:
    """Named sheets of one Excel workbook, each read like `read_table`."""
    if not filename.lower().endswith(".xlsx"):
        raise ImportFileError("Filen må være en Excel-arbeidsbok (.xlsx) med flere ark.")
    sheets = _read_xlsx(content, names)
    return {name: _table(rows, name) for name, rows in zip(names, sheets, strict=True)}


def _table(rows: list[list[Any]], sheet: str = "") -> list[tuple[int, dict[str, str]]]:
    if not rows:
        raise ImportFileError(
            _("Arket «%(sheet)s» er tomt.") % {"sheet": sheet} if sheet else _("Filen er tom.")
        )
    header = [str(h or "").strip().lower() for h in rows[0]]
    if not any(header):
        raise ImportFileError(
            _("Arket «%(sheet)s» har ingen overskriftsrad (første rad er tom).") % {"sheet": sheet}
            if sheet
            else _("Filen har ingen overskriftsrad (første rad er tom).")
        )
    if not any(any(v not in (None, "") for v in row) for row in rows[1:]):
        raise ImportFileError(
            _("Arket «%(sheet)s» har bare overskriftsraden og ingen rader med data.")
            % {"sheet": sheet}
            if sheet
            else _("Filen har bare overskriftsraden og ingen rader med data.")
        )
    if len(rows) - 1 > MAX_ROWS:
        raise ImportFileError(_too_many_rows())
    table = []
    for index, raw in enumerate(rows[1:], start=2):
        values = [("" if v is None else str(v)).strip() for v in raw]
        if not any(values):
            continue  # blank lines are common at the end of exports
        table.append(
            (index, dict(zip(header, values + [""] * (len(header) - len(values)), strict=False)))
        )
    return table


def _too_many_rows() -> str:
    return _("Filen har flere enn %(max)s rader. Del den opp.") % {
        "max": formatting.number(MAX_ROWS)
    }


def _read_csv(content: bytes) -> list[list[str]]:
    text = decode(content)
    try:
        return _limited(csv.reader(io.StringIO(text), dialect(text)))
    except csv.Error as exc:
        raise ImportFileError(
            _(
                "CSV-filen kunne ikke leses: den har et anførselstegn eller linjeskift på feil "
                "sted. Åpne den i Excel og lagre den som CSV (UTF-8) på nytt."
            )
        ) from exc


def _read_xlsx(content: bytes, sheets: Sequence[str] = ()) -> list[list[list[Any]]]:
    """The rows of the named sheets (or of the first sheet), read in one pass."""
    from openpyxl import load_workbook

    check_xlsx_archive(content)

    # read_only parses lazily, so damage can surface while iterating: read inside the try.
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            missing = [name for name in sheets if name not in workbook.sheetnames]
            if missing:
                raise ImportFileError(
                    _("Arbeidsboken mangler arket %(sheets)s.")
                    % {"sheets": ", ".join(f"«{m}»" for m in missing)}
                )
            chosen = [workbook[name] for name in sheets] or [workbook.worksheets[0]]
            result = []
            for sheet in chosen:
                # The sheet's declared <dimension> is the file's word, not its content:
                # forget it, and never read a row wider than MAX_COLUMNS.
                sheet.reset_dimensions()
                result.append(_limited(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)))
        finally:
            workbook.close()
    except ImportFileError:
        raise
    except Exception as exc:  # openpyxl and the XML parser raise many types
        raise ImportFileError(_("Excel-filen kunne ikke leses. Er den skadet?")) from exc
    for rows in result:  # whole numbers come back as floats or ints; keep them as text
        for row in rows:
            for i, value in enumerate(row):
                if isinstance(value, float) and value.is_integer():
                    row[i] = int(value)
    return result


def check_xlsx_archive(content: bytes) -> None:
    """Refuse what is not an XLSX archive, or what would inflate beyond the limits, from
    the zip's central directory alone (nothing is decompressed but the first bytes of the
    shared strings)."""
    not_excel = _(
        "Filen er ikke en Excel-arbeidsbok (.xlsx), eller den er skadet. Er den et bilde "
        "eller en annen filtype med feil endelse? Lagre den fra Excel som .xlsx, eller som "
        "CSV (UTF-8)."
    )
    if not content.startswith(b"PK"):
        refuse_binary(content)  # a picture or PDF renamed .xlsx: say what it is
        raise ImportFileError(not_excel)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            if "[Content_Types].xml" not in names or not any(
                n.startswith("xl/worksheets/") for n in names
            ):
                raise ImportFileError(not_excel)
            total = sum(member.file_size for member in members)
            if total > MAX_UNPACKED_BYTES:
                raise ImportFileError(
                    _(
                        "Filen er for stor når den pakkes ut (%(size)s MB; høyst %(max)s MB). "
                        "Del den opp i flere filer."
                    )
                    % {"size": total // 2**20, "max": MAX_UNPACKED_BYTES // 2**20}
                )
            for member in members:
                if member.file_size > MAX_MEMBER_BYTES:
                    raise ImportFileError(
                        _(
                            "Filen er for stor når den pakkes ut («%(member)s» blir %(size)s "
                            "MB; høyst %(max)s MB). Del den opp i flere filer."
                        )
                        % {
                            "member": member.filename,
                            "size": member.file_size // 2**20,
                            "max": MAX_MEMBER_BYTES // 2**20,
                        }
                    )
                if member.file_size > RATIO_FROM and member.file_size > MAX_RATIO * max(
                    member.compress_size, 1
                ):
                    raise ImportFileError(
                        _(
                            "Filen er for stor når den pakkes ut: den er pakket mer enn "
                            "%(ratio)s ganger tettere enn et vanlig regneark. Lagre den på "
                            "nytt fra Excel, eller som CSV (UTF-8)."
                        )
                        % {"ratio": MAX_RATIO}
                    )
            if "xl/sharedStrings.xml" in names:
                with archive.open("xl/sharedStrings.xml") as handle:
                    _check_shared_strings(handle)
    except ImportFileError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportFileError(not_excel) from exc


def _check_shared_strings(handle: IO[bytes]) -> None:
    """Count the shared strings (`<si>` elements) as they stream past, whatever the file's
    own uniqueCount says (it may be missing or false), and stop at MAX_SHARED_STRINGS."""
    from lxml import etree

    count = 0
    try:
        for _event, element in etree.iterparse(
            handle, events=("end",), tag=_SHARED_STRING, resolve_entities=False, no_network=True
        ):
            count += 1
            if count > MAX_SHARED_STRINGS:
                raise ImportFileError(
                    _(
                        "Filen har for mange ulike tekster (over %(max)s). Del den opp i "
                        "flere filer."
                    )
                    % {"max": MAX_SHARED_STRINGS}
                )
            element.clear()  # keep memory flat: drop what has been counted
            while element.getprevious() is not None:
                del element.getparent()[0]
    except etree.XMLSyntaxError as exc:
        raise ImportFileError(_("Excel-filen kunne ikke leses. Er den skadet?")) from exc


def _limited(rows: Any) -> list[list[Any]]:
    """Read at most MAX_ROWS rows after the header, each at most MAX_COLUMNS wide and without
    its empty cells at the end; refuse larger files early."""
    result = []
    for row in rows:
        cells = list(row[:MAX_COLUMNS])
        while cells and cells[-1] in (None, ""):
            cells.pop()
        result.append(cells)
        if len(result) > MAX_ROWS + 1:
            raise ImportFileError(_too_many_rows())
    return result


def map_columns(
    table: list[tuple[int, dict[str, str]]],
    spec: dict[str, tuple[str, ...]],
    required: tuple[str, ...],
    errors: list[RowError],
) -> list[tuple[int, dict[str, str]]]:
    headers = set(table[0][1]) if table else set()
    resolved = {
        key: next((a for a in aliases if a in headers), None) for key, aliases in spec.items()
    }
    missing = [key for key in required if resolved[key] is None]
    if missing and len(headers) == 1:
        # One column where several are needed: the file is split by another character.
        (only,) = headers
        other = next((c for c in "|:/" if c in only), "")
        errors.append(
            RowError(
                1,
                spec[missing[0]][0],
                (
                    _(
                        "Overskriftsraden har bare én kolonne. Filen ser ut til å være delt "
                        "med «%(char)s»; bruk semikolon, komma eller tabulator mellom "
                        "kolonnene (lagre som CSV fra Excel)."
                    )
                    % {"char": other}
                )
                if other
                else _(
                    "Overskriftsraden har bare én kolonne. Er kolonnene delt med noe annet "
                    "enn semikolon, komma eller tabulator? Lagre filen som CSV fra Excel."
                ),
            )
        )
        missing = []
    for key in missing:
        errors.append(
            RowError(
                1,
                spec[key][0],
                _("Kolonnen «%(column)s» mangler i overskriftsraden.") % {"column": spec[key][0]},
            )
        )
    mapped = []
    for n, row in table:
        values = {}
        for key, col in resolved.items():
            value = row.get(col, "") if col else ""
            problem = _cell_problem(value)
            if problem:
                errors.append(RowError(n, spec[key][0], problem))
                value = ""  # never passed on: it would break the lookups and the XML
            values[key] = value
        mapped.append((n, values))
    return mapped


class RowCheck:
    """The checks of one imported row. Every error names the column as the user's sheet
    calls it and the row number they see; `failed` tells whether this row added any."""

    def __init__(
        self,
        number: int,
        row: Mapping[str, str],
        spec: Mapping[str, tuple[str, ...]],
        errors: list[RowError],
    ) -> None:
        self.number, self.row, self._spec, self._errors = number, row, spec, errors
        self._before = len(errors)

    def __getitem__(self, key: str) -> str:
        return self.row[key]

    @property
    def failed(self) -> bool:
        return len(self._errors) > self._before

    def error(self, key: str, message: str) -> None:
        self._errors.append(RowError(self.number, self._spec[key][0], message))

    def require(self, keys: Iterable[str]) -> None:
        for key in keys:
            if not self.row[key]:
                self.error(key, _("Må fylles ut."))

    def find(
        self,
        key: str,
        index: Mapping[str, T],
        unknown: str,
        normalise: Callable[[str], str] = str.lower,
    ) -> T | None:
        """The entry `index` holds for the cell (normalised), or None; an unknown value is
        an error, `unknown` saying why (`{value}` is the cell)."""
        value = self.row[key]
        if not value:
            return None
        found = index.get(normalise(value))
        if found is None:
            self.error(key, unknown.format(value=value))
        return found

    def decimal(
        self, key: str, message: str, *, low: Decimal | None = None, high: Decimal | None = None
    ) -> Decimal | None:
        """The cell as a number within [low, high], or None (an error when it is not one)."""
        value = self.row[key]
        if not value:
            return None
        number = parse_decimal(value)
        if (
            number is None
            or (low is not None and number < low)
            or (high is not None and number > high)
        ):
            self.error(key, message.format(value=value))
            return None
        return number

    def date(self, key: str, message: str) -> dt.date | None:
        """The cell as a date (2000–2100), or None (an error when it is not one)."""
        value = self.row[key]
        if not value:
            return None
        day = parse_date(value)
        if day is None:
            self.error(key, message.format(value=value))
        return day


def checked_rows(
    rows: Iterable[tuple[int, dict[str, str]]],
    spec: Mapping[str, tuple[str, ...]],
    errors: list[RowError],
) -> Iterator[RowCheck]:
    """A `RowCheck` for each row `map_columns` returned, collecting into `errors`."""
    for number, row in rows:
        yield RowCheck(number, row, spec, errors)


def _cell_problem(value: str) -> str | None:
    """Why a cell's text cannot be imported, or None."""
    if len(value) > MAX_CELL_CHARS:
        return _(
            "Cellen har %(length)s tegn; høyst %(max)s er tillatt. Er noe limt inn i feil celle?"
        ) % {
            "length": formatting.number(len(value)),
            "max": formatting.number(MAX_CELL_CHARS),
        }
    char = control_character(value)
    return control_character_message(char) if char is not None else None


def parse_yes_no(
    value: str, row: int, errors: list[RowError], column: str = "aktiv", blank: bool = True
) -> bool:
    """A yes/no cell; an empty cell means `blank`."""
    word = value.strip().lower()
    if not word:
        return blank
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    errors.append(RowError(row, column, _("«%(value)s» er ikke ja eller nei.") % {"value": value}))
    return blank


def parse_date(value: str) -> dt.date | None:
    """A date as Norwegians and spreadsheets write it: 31.12.2026 or 2026-12-31; None if
    it is not one, or lies outside 2000–2100 (`core.validators.DATE_MIN`/`DATE_MAX`)."""
    for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        try:
            day = dt.datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
        return day if date_in_range(day) else None
    return None


def parse_decimal(value: str) -> Decimal | None:
    """A number with decimal comma or point and spaces between thousands; None if it is
    not a finite number."""
    text = value.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
