"""A file that cannot be imported gets a message naming its real problem, in the user's
language: never «Kolonnen mangler» for a file that is no table at all."""

from __future__ import annotations

import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from felles.organisations.models import Person

HEADER = "ansattnummer;fornavn;etternavn;epost"
PNG = (
    b"\x89PNG\r\n\x1a\n"
    + struct.pack(">I", 13)
    + b"IHDR"
    + struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
)


@pytest.fixture(autouse=True)
def _back_to_bokmal():
    yield
    translation.activate("nb")  # the locale middleware leaves the last request's language


def dry_run(client: Client, content: bytes, name: str = "hr.csv", language: str = "nb") -> str:
    client.cookies["django_language"] = language
    response = client.post(
        "/import/",
        {"organisation": "KUD", "kind": "people", "file": SimpleUploadedFile(name, content)},
        headers={"Accept-Language": language},
    )
    assert response.status_code == 422, response.status_code
    return response.content.decode()


CASES = [
    ("header only", (HEADER + "\n").encode(), "hr.csv", "bare overskriftsraden og ingen rader"),
    ("png as csv", PNG, "hr.csv", "Filen er et bilde (PNG), ikke en tabell"),
    ("png as xlsx", PNG, "hr.xlsx", "Filen er et bilde (PNG), ikke en tabell"),
    ("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "hr.csv", "PDF-dokument"),
    ("old excel", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "hr.csv", "eldre Excel-fil"),
    (
        "100,000-character cell",
        f"{HEADER}\n1;{'x' * 100_000};Berg;b@kud.dep.no\n".encode(),
        "hr.csv",
        "Cellen har 100\u202f000 tegn; høyst 5\u202f000 er tillatt",
    ),
    (
        "wrong delimiter",
        f"{HEADER.replace(';', '|')}\n1|Anne|Berg|b@kud.dep.no\n".encode(),
        "hr.csv",
        "ser ut til å være delt med «|»",
    ),
    (
        "not UTF-8 or Windows-1252",
        f"{HEADER}\n1;Anne;Berg;b@kud.dep.no\n".encode() + b"2;\x81\x8d;x;y@kud.dep.no\n",
        "hr.csv",
        "ikke tekst i UTF-8 eller Windows-1252",
    ),
]


@pytest.mark.parametrize(("case", "content", "name", "message"), CASES, ids=[c[0] for c in CASES])
def test_each_unreadable_file_gets_its_own_message(personas, client, case, content, name, message):
    client.force_login(personas.admin.user)
    body = dry_run(client, content, name)
    assert message in body
    assert "mangler i overskriftsraden" not in body
    assert not Person.objects.filter(employee_number="1").exists()


def test_utf16_text_from_excel_is_read(personas, client) -> None:
    """Excel's «Unicode text» is UTF-16 with tabs: text, not a binary file."""
    client.force_login(personas.admin.user)
    text = f"{HEADER.replace(';', chr(9))}\n1\tÅse\tBerg\tase.berg@kud.dep.no\n"
    response = client.post(
        "/import/",
        {
            "organisation": "KUD",
            "kind": "people",
            "file": SimpleUploadedFile("hr.csv", text.encode("utf-16")),
        },
    )
    assert response.status_code == 200 and "1 nye" in response.content.decode()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        ((HEADER + "\n").encode(), "hr.csv", "only the header row and no rows of data"),
        (PNG, "hr.csv", "The file is a picture (PNG), not a table"),
        (
            f"{HEADER}\n1;{'x' * 100_000};Berg;b@kud.dep.no\n".encode(),
            "hr.csv",
            "The cell has 100,000 characters",
        ),
        (
            f"{HEADER.replace(';', '|')}\n1|Anne|Berg|b@kud.dep.no\n".encode(),
            "hr.csv",
            "split by «|»",
        ),
    ],
)
def test_the_messages_are_in_the_users_language(personas, client, content, name, message):
    client.force_login(personas.admin.user)
    assert message in dry_run(client, content, name, language="en")
