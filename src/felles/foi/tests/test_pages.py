"""The FOI pages and API as DIO's FOI team, KUD's coordinator and case owner, a team member
serving FIN only, and DFD (today is Wednesday 18 November 2026)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from felles.catalog.models import Service
from felles.foi.models import Decision, Request
from felles.foi.tests.factories import foi_cast, order_file
from felles.organisations.models import Role
from felles.organisations.tests.factories import make_person
from felles.testing import client_for


@pytest.fixture
def cast(personas: Any, frozen_clock: Any) -> Any:
    p = foi_cast(personas)
    p.fin_team = make_person(p.dio, "hilde.fin", roles=[Role.PROVIDER_AGENT], serves=[p.fin])
    Service.objects.get(code="if-innsyn").handling_team.add(p.fin_team)
    return p


def upload(client: Any, content: bytes) -> Any:
    return client.post(
        "/innsyn/import/", {"file": SimpleUploadedFile("bestilling.xml", content, "text/xml")}
    )


def test_import_page_refuses_a_bad_file_and_imports_a_good_one_once(cast: Any) -> None:
    hilde = client_for(cast.hilde)
    bad = upload(hilde, b"<bestilling><id>x</id>")
    assert bad.status_code == 422 and "ikke gyldig XML" in bad.content.decode()
    no_address = upload(hilde, order_file(email=""))
    assert "mangler innsynskreverens e-postadresse" in no_address.content.decode()
    assert not Request.objects.exists()
    first = upload(hilde, order_file("ik-page"))
    assert first.status_code == 302
    again = upload(hilde, order_file("ik-page"))
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert Request.objects.count() == 1
    page = hilde.get(first["Location"])
    assert page.status_code == 200 and "2026/1187" in page.content.decode()
    # A team member serving FIN only, and FIN's employee, find nothing of KUD's.
    assert client_for(cast.fin_team).get(first["Location"]).status_code == 404
    assert client_for(cast.outsider).get(first["Location"]).status_code == 404
    assert client_for(cast.fin_team).get("/innsyn/").status_code == 200
    assert "journalist" not in client_for(cast.fin_team).get("/innsyn/").content.decode()


def test_register_a_request_from_email(cast: Any) -> None:
    response = client_for(cast.hilde).post(
        "/innsyn/ny/",
        {
            "ministry": cast.kud.pk,
            "source": "email",
            "received_on": "2026-11-17",
            "requester_email": "presse@example.invalid",
            "documents": "2026/55; 3; 1234; Ola\nBrev om tilskudd til festivaler",
        },
    )
    assert response.status_code == 302
    request = Request.objects.get()
    assert request.source == "email" and request.items.count() == 2
    assert request.items.last().title == "Brev om tilskudd til festivaler"


def test_decision_page_errors_in_bokmal_and_nothing_saved(cast: Any) -> None:
    hilde = client_for(cast.hilde)
    location = upload(hilde, order_file("ik-err"))["Location"]
    request = Request.objects.get()
    item = request.items.first()
    url = f"{location}dokument/{item.uuid}/"
    response = hilde.post(url, {"stage": "proposed", "outcome": "refused"})
    assert response.status_code == 422 and "Oppgi hjemmelen" in response.content.decode()
    response = hilde.post(url, {"stage": "proposed", "outcome": "partial", "section": "13"})
    assert "hvilke deler av dokumentet som er unntatt" in response.content.decode()
    assert not Decision.objects.exists()
    # The coordinator names a case owner from FIN: refused; then Per.
    eva = client_for(cast.eva)
    step = f"{location}steg/"
    response = eva.post(step, {"step": "owner", "person": cast.outsider.pk})
    assert response.status_code == 422
    api = eva.put(
        f"/api/v1/foi/requests/{request.uuid}/case-owner",
        {"person_id": str(cast.outsider.uuid)},
        content_type="application/json",
    )
    assert api.status_code in (400, 404, 422)
    request.refresh_from_db()
    assert request.case_owner is None


def test_api_import_and_statistics(cast: Any) -> None:
    hilde = client_for(cast.hilde)
    body = {"xml": order_file("ik-api").decode()}
    first = hilde.post("/api/v1/foi/einnsyn", body, content_type="application/json")
    assert first.status_code == 201 and len(first.json()["items"]) == 2
    again = hilde.post("/api/v1/foi/einnsyn", body, content_type="application/json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    bad = hilde.post("/api/v1/foi/einnsyn", {"xml": "<x"}, content_type="application/json")
    assert bad.status_code in (400, 422) and "XML" in bad.json()["message"]
    request = Request.objects.get()
    Request.objects.filter(pk=request.pk).update(answered_on=dt.date(2026, 11, 18), working_days=2)
    stats = client_for(cast.governance).get(
        "/api/v1/foi/statistics?start=2026-01-01&end=2026-12-31"
    )
    assert stats.status_code == 200
    total = stats.json()["total"]
    assert (total["requests"], total["items"], total["answered"]) == (1, 2, 1)
    assert total["median_working_days"] == 2
    # Received Monday 16, answered in 2 working days: the 1-day window is over (not
    # within); the 3-day window runs until Thursday 19, so it is not counted yet.
    assert (total["share_within_1"], total["window_over_1"]) == (0, 1)
    assert (total["share_within_3"], total["window_over_3"]) == (None, 0)
    page = client_for(cast.governance).get("/innsyn/statistikk/?format=csv")
    assert page.status_code == 200 and "KUD;1;2;1;0;2;2;0" in page.content.decode()
    assert client_for(cast.governance).get("/innsyn/statistikk/?format=xlsx").status_code == 200
    assert client_for(cast.governance).get(f"/innsyn/{request.uuid}/").status_code == 404


def test_fuller_reasons_with_their_deadline(cast: Any) -> None:
    from felles.core.actor import Actor
    from felles.foi import services

    hilde = client_for(cast.hilde)
    location = upload(hilde, order_file("ik-fuller", documents=1))["Location"]
    request = Request.objects.get()
    services.assign_case_owner(
        actor=Actor(user=cast.hilde.user), request=request, person=cast.manager
    )
    request.refresh_from_db()
    refused = {
        "outcome": "refused",
        "section": 13,
        "subsection": 1,
        "other_basis": "sikkerhetsloven § 5-3",
    }
    services.decide_item(
        actor=Actor(user=cast.manager.user), item=request.items.get(), values=refused
    )
    services.send_answer(actor=Actor(user=cast.hilde.user), request=request, text="Avslag")
    # Asked Wednesday 18 November: ten working days on is Wednesday 2 December.
    response = hilde.post(f"{location}steg/", {"step": "fuller", "asked_on": "2026-11-18"})
    assert response.status_code == 302
    page = hilde.get(location).content.decode()
    assert "frist 02.12.2026" in page
    early = hilde.post(f"{location}steg/", {"step": "fuller", "asked_on": "2026-11-01"})
    assert early.status_code == 422 and "etter svaret" in early.content.decode()
