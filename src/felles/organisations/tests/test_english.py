"""The organisations pages in English: headings, labels, choices and messages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from felles.core.models import Job


@pytest.fixture
def english(client: Client, personas):
    client.force_login(personas.admin.user)
    client.cookies["django_language"] = "en"
    yield client
    translation.activate("nb")


def test_organisation_and_people_pages_are_in_english(english: Client, personas) -> None:
    body = english.get("/organisasjoner/").content.decode()
    assert "Service providers" in body and "Ministry of Culture and Equality" in body
    assert "Tjenesteleverandører" not in body
    body = english.get(f"/organisasjoner/{personas.kud.uuid}/").content.decode()
    assert "Organisation number" in body and "Norwegian name" in body
    body = english.get("/personer/").content.decode()
    assert "All roles" in body and "Download as Excel" in body and "Filtrer" not in body
    body = english.get(f"/personer/{personas.employee.uuid}/").content.decode()
    assert "Line manager" in body and "Absence and substitute" in body
    assert "Add role" in body  # administrators manage roles here


def test_import_pages_are_in_english(english: Client, personas) -> None:
    body = english.get("/import/").content.decode()
    assert "What does the file contain?" in body and "People (employees)" in body
    assert "Check the file" in body and "employee_number*" in body
    job = Job.objects.create(
        kind="core.import",
        payload={"import": "organisations", "user": personas.admin.user.pk, "meta": {}},
        status=Job.Status.SUCCEEDED,
        result={
            "outcome": "done",
            "counts": {"created": 1200, "updated": 3, "unchanged": 0, "deactivated": 1},
        },
    )
    body = english.get(f"/import/jobb/{job.uuid}/").content.decode()
    assert "The import is complete." in body and "1,200" in body and "Of these, deactivated" in body
