"""The shared layer refuses hostile and careless input at the edge (issue 15): control
characters in forms, API schemas and imported cells; zip bombs, binary files and empty
sheets in imports; oversized uploads; sheet titles Excel refuses."""

from __future__ import annotations

import importlib
import inspect
import io
import zipfile
from typing import Any
from unittest import mock

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from felles.core import tabular, uploads
from felles.core.exports import sheet_title, xlsx_workbook_response
from felles.core.schemas import Schema
from felles.core.validators import control_character

APPS = ["catalog", "core", "costing", "governance", "invoicing", "orders", "organisations"]


@pytest.mark.parametrize(
    ("text", "multiline", "found"),
    [
        ("KS\u000b4711", False, "\u000b"),
        ("KS\u000b4711", True, "\u000b"),
        ("a\nb", False, "\n"),
        ("a\nb\r\nc\td", True, None),
        ("a\x7f", False, "\x7f"),
        ("a\x00", True, "\x00"),
        ("a\ud800", True, "\ud800"),
        ("a\ufffe", False, "\ufffe"),
        ("æøå – «sitat» 😀", False, None),
    ],
)
def test_control_characters(text: str, multiline: bool, found: str | None) -> None:
    assert control_character(text, multiline=multiline) == found


def test_every_form_char_field_refuses_control_characters() -> None:
    class AnyForm(forms.Form):
        name = forms.CharField()
        note = forms.CharField(widget=forms.Textarea, required=False)
        email = forms.EmailField(required=False)

    form = AnyForm({"name": "KS\u000b4711", "note": "Linje 1\nLinje 2"})
    assert not form.is_valid()
    assert form.errors == {"name": ["Teksten inneholder et ugyldig kontrolltegn (U+000B)."]}
    assert AnyForm({"name": "KS 4711", "note": "Linje 1\r\nLinje 2\tx"}).is_valid()
    assert AnyForm({"name": "a\nb"}).errors["name"] == [
        "Teksten inneholder et ugyldig kontrolltegn (U+000A)."
    ]
    assert AnyForm({"name": "a", "note": "x\x00"}).errors["note"] == [
        "Teksten inneholder et ugyldig kontrolltegn (U+0000)."
    ]
    with translation.override("en"):  # in the user's language
        assert AnyForm({"name": "a\nb"}).errors["name"] == [
            "The text contains an invalid control character (U+000A)."
        ]


def test_a_service_refusal_speaks_the_language_of_the_request() -> None:
    from felles.core.errors import ServiceError
    from felles.core.validators import DATE_RANGE_MESSAGE

    with translation.override("en"):
        refused = ServiceError(DATE_RANGE_MESSAGE, {"day": [DATE_RANGE_MESSAGE]})
    assert refused.message == "The date must lie between 1 Jan 2000 and 31 Dec 2100."
    assert refused.field_errors == {"day": [refused.message]}
    assert (
        ServiceError(DATE_RANGE_MESSAGE).message == "Datoen må ligge mellom 1.1.2000 og 31.12.2100."
    )


def test_the_apps_forms_get_the_check(db) -> None:
    from felles.orders.forms import DecisionForm

    form = DecisionForm({"comment": "ok\u001bnei"})
    assert not form.is_valid()
    assert "U+001B" in form.errors["comment"][0]


def _input_models() -> list[type]:
    from felles.conf.api import api

    found = []
    for _prefix, router in api._routers:
        for view in router.path_operations.values():
            for operation in view.operations:
                for model in operation.models:
                    for field in model.model_fields.values():
                        for kind in (field.annotation, *getattr(field.annotation, "__args__", ())):
                            if inspect.isclass(kind) and hasattr(kind, "model_fields"):
                                found.append(kind)
    return found


def test_every_api_schema_derives_from_the_felles_schema() -> None:
    """The sweep guard: a schema on ninja.Schema directly would skip the text check."""
    models = _input_models()
    assert len(models) > 20
    outside = [m.__qualname__ for m in models if not issubclass(m, Schema)]
    assert not outside, f"derive these from felles.core.schemas.Schema: {outside}"
    for app in [*APPS, "portfolio"]:
        module = importlib.import_module(f"felles.{app}.api")
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and value.__module__ == module.__name__
                and hasattr(value, "model_fields")
                and name.endswith("In")
            ):
                assert issubclass(value, Schema), name


def test_api_schema_checks_single_and_multi_line_text() -> None:
    from felles.governance.api import CaseIn

    base = {"title": "T", "description": "D", "topic": "priser", "provider": "DSS"}
    ok = CaseIn.model_validate(
        {**base, "description": "Linje 1\nLinje 2"}, context={"request": None}
    )
    assert ok.description == "Linje 1\nLinje 2"
    for field, value in [("title", "a\nb"), ("description", "a\x0bb"), ("services", ["x\x00"])]:
        with pytest.raises(ValueError, match="kontrolltegn"):
            CaseIn.model_validate({**base, field: value}, context={"request": None})


# --- Imports -----------------------------------------------------------------------------


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_cell_with_a_control_character_is_a_row_error() -> None:
    errors: list[tabular.RowError] = []
    table = tabular.read_table(b"navn;kostnadssted\nA;KS\x0b4711\nB;KS 4712\n", "x.csv")
    rows = tabular.map_columns(table, {"cc": ("kostnadssted",)}, ("cc",), errors)
    assert errors == [
        tabular.RowError(2, "kostnadssted", "Teksten inneholder et ugyldig kontrolltegn (U+000B).")
    ]
    assert [r[1]["cc"] for r in rows] == ["", "KS 4712"]


def test_a_huge_cell_is_a_row_error_of_its_own() -> None:
    errors: list[tabular.RowError] = []
    table = tabular.read_table(b"navn\n" + b"x" * 100_000 + b"\n", "x.csv")
    tabular.map_columns(table, {"navn": ("navn",)}, ("navn",), errors)
    assert [e.message for e in errors] == [
        "Cellen har 100\u202f000 tegn; høyst 5\u202f000 er tillatt. Er noe limt inn i feil celle?"
    ]


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"navn;kode\n", "x.csv", "bare overskriftsraden"),
        (_xlsx([["navn", "kode"]]), "x.xlsx", "bare overskriftsraden"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "bilde.xlsx", r"bilde \(PNG\)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "bilde.csv", r"bilde \(PNG\)"),
        (b"PK\x05\x06" + bytes(18), "tom.xlsx", "ikke en Excel"),
        (b"\x00\x01\x02\x03\xff" * 100, "data.csv", "binærfil"),
        (_xlsx([["navn"], ["a"]]), "arbeidsbok.csv", "Gi den endelsen .xlsx"),
    ],
)
def test_unusable_files_get_their_own_message(content: bytes, filename: str, message: str) -> None:
    with pytest.raises(tabular.ImportFileError, match=message):
        tabular.read_table(content, filename)


def _zip_bomb() -> bytes:
    """A workbook whose one sheet inflates about a thousand times (a few hundred KB on
    disk, hundreds of MB unpacked)."""
    row = b'<row><c t="inlineStr"><is><t>aaaaaaaaaaaaaaaaaaaa</t></is></c></row>'
    sheet = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as handle:
            handle.write(sheet)
            chunk = row * 16_384  # 1 MB
            for _ in range(150):
                handle.write(chunk)
            handle.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_openpyxl_reads_it() -> None:
    bomb = _zip_bomb()
    assert len(bomb) < 1024 * 1024
    with (
        mock.patch("openpyxl.load_workbook", side_effect=AssertionError("parsed")) as parse,
        pytest.raises(tabular.ImportFileError, match="Filen er for stor når den pakkes ut"),
    ):
        tabular.read_table(bomb, "bombe.xlsx")
    with pytest.raises(tabular.ImportFileError, match="pakkes ut"):
        tabular.read_sheets(bomb, "bombe.xlsx", ["Ark1"])
    parse.assert_not_called()


def _with_member(content: bytes, name: str, edit: Any) -> bytes:
    """`content` (a zip) with member `name` replaced by `edit(old bytes)` (added if absent)."""
    book = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        names = source.namelist()
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, edit(data) if item.filename == name else data)
        if name not in names:
            target.writestr(name, edit(b""))
    return book.getvalue()


@pytest.mark.parametrize(
    "counts", ['count="4" uniqueCount="4"', "", 'count="1" uniqueCount="1"'], ids=str
)
def test_too_many_shared_strings_are_refused(monkeypatch, counts: str) -> None:
    """Counted as they stream past: a missing or false uniqueCount changes nothing."""
    monkeypatch.setattr(tabular, "MAX_SHARED_STRINGS", 2)
    shared = (
        '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main" {counts}><si><t>navn</t></si>'
        "<si><t>a</t></si><si><t>b</t></si><si><t>c</t></si></sst>"
    ).encode()
    content = _with_member(
        _xlsx([["navn"], ["a"], ["b"], ["c"]]), "xl/sharedStrings.xml", lambda _old: shared
    )
    with pytest.raises(tabular.ImportFileError, match="for mange ulike tekster"):
        tabular.read_table(content, "x.xlsx")
    monkeypatch.setattr(tabular, "MAX_SHARED_STRINGS", 4)
    tabular.check_xlsx_archive(content)  # four are allowed


def _declared_huge(last_row: int) -> bytes:
    """A workbook of a few KB with data in row 1 and `last_row` only, whose sheet declares
    itself A1:XFD<last_row> (16 384 columns): openpyxl pads every row to that width."""
    book = Workbook()
    sheet = book.active
    sheet.append(["navn", "kode"])
    sheet.cell(row=last_row, column=1, value="a")
    sheet.cell(row=last_row, column=2, value="b")
    buffer = io.BytesIO()
    book.save(buffer)
    declared = f'<dimension ref="A1:B{last_row}"/>'.encode()
    huge = f'<dimension ref="A1:XFD{last_row}"/>'.encode()

    def edit(xml: bytes) -> bytes:
        assert declared in xml
        return xml.replace(declared, huge)

    return _with_member(buffer.getvalue(), "xl/worksheets/sheet1.xml", edit)


def test_a_declared_dimension_does_not_inflate_the_rows() -> None:
    import time
    import tracemalloc

    content = _declared_huge(tabular.MAX_ROWS)
    assert len(content) < 10_000
    started = time.monotonic()
    tracemalloc.start()
    try:
        rows = tabular._read_xlsx(content)[0]
        table = tabular.read_table(content, "x.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50 * 2**20, f"{peak / 2**20:.0f} MB"
    assert time.monotonic() - started < 20
    assert max(len(row) for row in rows) <= tabular.MAX_COLUMNS
    assert table == [(tabular.MAX_ROWS, {"navn": "a", "kode": "b"})]


def test_a_sheet_is_read_at_most_max_columns_wide(monkeypatch) -> None:
    monkeypatch.setattr(tabular, "MAX_COLUMNS", 3)
    content = _xlsx([["a", "b", "c", "d", "e"], [1, 2, 3, 4, 5]])
    assert tabular._read_xlsx(content)[0] == [["a", "b", "c"], [1, 2, 3]]
    assert tabular.read_table(b"a;b;c;d\n1;2;3;4\n", "x.csv") == [
        (2, {"a": "1", "b": "2", "c": "3"})
    ]


def test_uploads_above_the_limit_are_refused_before_reading(settings) -> None:
    settings.FELLES_IMPORT_MAX_BYTES = 1000
    upload = SimpleUploadedFile("stor.csv", b"x" * 1001)
    with pytest.raises(tabular.ImportFileError, match="Filen er for stor"):
        uploads.read_upload(upload)
    assert uploads.read_upload(SimpleUploadedFile("liten.csv", b"x" * 1000)) == b"x" * 1000


# --- Exports -----------------------------------------------------------------------------


def test_sheet_titles_are_valid_and_unique() -> None:
    taken: set[str] = set()
    titles = [
        sheet_title(name, taken)
        for name in ["Kap. 1510/01: alt [B]", "kap. 1510 01 alt B", "", "?*", "x" * 40, "History"]
    ]
    assert titles == [
        "Kap. 1510 01 alt B",
        "kap. 1510 01 alt B (2)",
        "Ark",
        "Ark (2)",
        "x" * 31,
        "History (2)",
    ]


def test_a_workbook_with_user_typed_sheet_names_exports() -> None:
    names = ["Kap. 1510/01: alt [B]", "Kap. 1510/01: alt [b]", "'" + "y" * 40]
    response = xlsx_workbook_response("x.xlsx", {n: (["a"], [[1]]) for n in names})
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Kap. 1510 01 alt B", "Kap. 1510 01 alt b (2)", "y" * 31]


def test_stored_control_characters_export_visibly() -> None:
    """Text stored before the edges refused it (or by a script) never breaks an export:
    each character XML cannot carry is shown as its code point, as on the invoicing pages."""
    from felles.core.exports import csv_response, xlsx_response
    from felles.invoicing import ehf

    rows = [["Test\x0besen", "=a\x00b", "ok\tlinje\n2"]]
    response = xlsx_response("x.xlsx", ["a", "b", "c"], rows)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert list(sheet.iter_rows(min_row=2, values_only=True)) == [
        ("Test[U+000B]esen", "'=a[U+0000]b", "ok\tlinje\n2")
    ]
    text = csv_response("x.csv", ["a", "b", "c"], rows).content.decode()
    assert "Test[U+000B]esen;'=a[U+0000]b;" in text
    assert ehf.visible("Test\x0besen") == "Test[U+000B]esen"  # one definition


def test_ehf_and_the_validators_share_one_definition_of_illegal_characters() -> None:
    import subprocess
    import sys

    from felles.core import text, validators
    from felles.invoicing import ehf

    assert ehf._ILLEGAL is text.XML_ILLEGAL
    for char in map(chr, [*range(0x20), 0x7F, 0xD800, 0xDFFF, 0xFFFE, 0xFFFF]):
        in_xml = text.XML_ILLEGAL.search(char) is not None
        assert (validators.control_character(char, multiline=True) is not None) == in_xml
    # ehf stays pure: importing it loads no Django.
    probe = "import sys, felles.invoicing.ehf; print('django' in sys.modules)"
    output = subprocess.check_output([sys.executable, "-c", probe], text=True)  # noqa: S603
    assert output.strip() == "False"
