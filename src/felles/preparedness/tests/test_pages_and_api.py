"""Pages and API: bad input gives a clear bokmål error and saves nothing; sign-off by
someone other than the leader is refused with the reason; the API reports and lists."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from felles.core.actor import Actor
from felles.preparedness import services
from felles.preparedness.models import Analysis, Incident


def client_for(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def test_incident_form_refuses_bad_input_and_saves_nothing(sec) -> None:
    client = client_for(sec.employee)
    response = client.post(
        "/beredskap/hendelser/",
        {
            "kind": "loss",
            "occurred_at": "2099-01-01T10:00",
            "severity": "2",
            "summary": "Mistet kort",
        },
    )
    assert response.status_code == 422
    assert "Tidspunktet kan ikke ligge fram i tid." in response.content.decode()
    response = client.post(
        "/beredskap/hendelser/",
        {"kind": "loss", "occurred_at": "2026-01-01T10:00", "severity": "7", "summary": ""},
    )
    assert response.status_code == 422
    assert not Incident.objects.exists()
    response = client.post(
        "/beredskap/hendelser/",
        {"kind": "loss", "occurred_at": "2026-01-01T10:00", "severity": "2", "summary": "Kort"},
    )
    assert response.status_code == 302 and Incident.objects.count() == 1


def test_sign_off_by_the_coordinator_is_refused_with_the_reason(sec) -> None:
    p = sec
    analysis = services.create_analysis(
        actor=Actor.system("test"),
        title="ROS",
        scope="Lokaler",
        ministries=[p.kud],
        created_by=p.knut,
    )
    services.add_risk(
        actor=Actor.system("test"),
        analysis=analysis,
        asset="Møterom",
        threat="Avlytting",
        vulnerability="Mobiler",
        likelihood=2,
        consequence=2,
        residual_likelihood=1,
        residual_consequence=1,
    )
    response = client_for(p.knut).post(f"/beredskap/ros/{analysis.uuid}/godkjenn/")
    assert response.status_code == 403
    assert "Bare departementets leder kan godkjenne" in response.content.decode()
    api = client_for(p.knut).post(f"/api/v1/preparedness/analyses/{analysis.uuid}/sign")
    assert api.status_code == 403
    analysis.refresh_from_db()
    assert analysis.status == Analysis.Status.DRAFT and not analysis.signatures.exists()
    ok = client_for(p.manager).post(f"/api/v1/preparedness/analyses/{analysis.uuid}/sign")
    assert ok.status_code == 200 and ok.json()["status"] == "signed"


def test_api_reports_and_lists_incidents(sec) -> None:
    client = client_for(sec.employee)
    response = client.post(
        "/api/v1/preparedness/incidents",
        {"kind": "digital", "occurred_at": "2026-01-05T10:00:00", "severity": 1, "summary": "E"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["ministry"] == "KUD" and response.json()["reported_by_me"]
    bad = client.post(
        "/api/v1/preparedness/incidents",
        {"kind": "digital", "occurred_at": "2026-01-05T10:00:00", "severity": 1, "summary": "\x0b"},
        content_type="application/json",
    )
    assert bad.status_code in (400, 422)
    assert Incident.objects.count() == 1
    assert len(client_for(sec.knut).get("/api/v1/preparedness/incidents").json()) == 1
    assert client_for(sec.outsider).get("/api/v1/preparedness/incidents").json() == []
    assert client_for(sec.outsider).get("/api/v1/preparedness/statistics").status_code == 403
    stats = client_for(sec.governance).get("/api/v1/preparedness/statistics").json()
    assert stats["rows"] == [{"ministry": "KUD", "cells": [None]}]


def test_a_ministry_id_beyond_64_bits_is_a_form_error_not_a_500(sec) -> None:
    client = client_for(sec.knut)
    for url in ("/beredskap/ros/", "/beredskap/ovelser/"):
        response = client.post(url, {"ministries": "99999999999999999999999", "title": "Test"})
        assert response.status_code == 422, url  # the form again, with the error
        assert "Velg et gyldig valg" in response.content.decode(), url
    assert not Analysis.objects.filter(title="Test").exists()


def test_the_sub_navigation_shows_only_pages_the_reader_may_open(sec) -> None:
    """Kari (an employee) reports incidents but works on no analysis, stock or report; the
    security coordinator sees those pages; DFD's statistics only for the overview readers."""
    page = client_for(sec.employee).get("/beredskap/").content.decode()
    assert "/beredskap/hendelser/" in page and "/dialog/tiltak/" in page
    for hidden in ("/beredskap/ros/", "/beredskap/lager/", "/beredskap/statistikk/", "/dialog/"):
        assert f'href="{hidden}"' not in page
    page = client_for(sec.knut).get("/beredskap/").content.decode()
    assert 'href="/beredskap/ros/"' in page and 'href="/beredskap/statistikk/"' not in page


def test_the_incident_page_shows_the_reporter_only_her_own_actions(sec) -> None:
    """The handling team's follow-up is theirs: Kari (the reporter) sees her own item, not
    Sigrid's; Knut (the coordinator) sees both and may pick only KUD's people or the team."""
    p = sec
    incident = services.report_incident(
        actor=Actor(user=p.employee.user),
        reporter=p.employee,
        kind="loss",
        occurred_at=dt.datetime(2026, 11, 30, 10, tzinfo=dt.UTC),
        severity=2,
        summary="Mistet kort",
    )
    for text, owner in (("Sjekk loggene hos leverandøren", p.sigrid), ("Ny PIN-kode", p.employee)):
        services.add_incident_action(
            actor=Actor(user=p.knut.user),
            incident=incident,
            text=text,
            owner=owner,
            due_on=dt.date(2026, 12, 10),
        )
    url = f"/beredskap/hendelser/{incident.uuid}/"
    page = client_for(p.employee).get(url).content.decode()
    assert "Ny PIN-kode" in page and "Sjekk loggene" not in page
    page = client_for(p.knut).get(url).content.decode()
    assert "Ny PIN-kode" in page and "Sjekk loggene" in page
    assert f'value="{p.sigrid.pk}"' in page and f'value="{p.agent.pk}"' not in page
