"""Telling what an uploaded "CSV" file really is before reading it as a table: a picture,
a PDF or an old Excel file gets a message naming it; text in UTF-8, UTF-16 or
Windows-1252 is decoded; the delimiter is judged from the header line
(`felles.core.tabular` reads the rows)."""

from __future__ import annotations

import csv

from django.utils.translation import gettext as _

from felles.core.services import ServiceError

# What a file that is no CSV text starts with (a picture, a PDF, an old Excel file).
_SIGNATURES = (
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"%PDF", "PDF"),
    (b"\xd0\xcf\x11\xe0", "XLS"),
)
_DELIMITERS = ";,\t"


class ImportFileError(ServiceError):
    """The file itself cannot be read (wrong type, no header, too large)."""


def refuse_binary(content: bytes) -> None:
    """Refuse, with a message naming it, a picture, PDF, old Excel file or other binary
    file sent as CSV (text in UTF-16 is text: `decode` reads it)."""
    for signature, kind in _SIGNATURES:
        if content.startswith(signature):
            if kind == "XLS":
                raise ImportFileError(
                    _(
                        "Filen er en eldre Excel-fil (.xls). Åpne den i Excel og lagre den "
                        "som Excel-arbeidsbok (.xlsx) eller CSV (UTF-8)."
                    )
                )
            if kind == "PDF":
                raise ImportFileError(
                    _(
                        "Filen er et PDF-dokument, ikke en tabell. Last opp eksporten fra "
                        "HR-systemet som CSV (UTF-8) eller Excel-arbeidsbok (.xlsx)."
                    )
                )
            raise ImportFileError(
                _(
                    "Filen er et bilde (%(kind)s), ikke en tabell. Last opp en CSV-fil "
                    "(UTF-8) eller en Excel-arbeidsbok (.xlsx)."
                )
                % {"kind": kind}
            )
    head = content[:8192]
    if b"\x00" in head and utf16(head) is None:
        raise ImportFileError(
            _(
                "Filen er ikke tekst (den ser ut som en binærfil). Last opp en CSV-fil "
                "(UTF-8) eller en Excel-arbeidsbok (.xlsx)."
            )
        )


def utf16(head: bytes) -> str | None:
    """The UTF-16 variant text starting with `head` is written in, or None: with a byte
    order mark, or (without one) text whose every other byte is zero."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if len(head) >= 4:
        odd, even = head[1::2], head[0::2]
        if odd.count(0) > 0.9 * len(odd):
            return "utf-16-le"
        if even.count(0) > 0.9 * len(even):
            return "utf-16-be"
    return None


def decode(content: bytes) -> str:
    """The file's text: UTF-8 (with or without BOM), UTF-16 (Excel's «Unicode text»), or
    Windows-1252 (Excel's "CSV" on Norwegian Windows)."""
    variant = utf16(content[:8192])
    if variant is not None:
        try:
            return content.decode(variant).lstrip("\ufeff")
        except UnicodeDecodeError:
            pass
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return content.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                _(
                    "Filen er ikke tekst i UTF-8 eller Windows-1252 (tegnet på posisjon "
                    "%(position)s kan ikke leses). Lagre den som CSV (UTF-8)."
                )
                % {"position": exc.start + 1}
            ) from exc


def dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    """The CSV dialect, judged from the header line: the delimiter it has most of
    (semicolon, comma or tab). Sniffing a sample of the whole file goes wrong when the
    first rows hold a long cell."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0:
        try:
            return csv.Sniffer().sniff(text[:4096], delimiters=_DELIMITERS)
        except csv.Error:
            return csv.excel

    class Header(csv.excel):
        delimiter = best

    return Header
