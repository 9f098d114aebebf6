"""Notices: publishing to all or some ministries, the intranet feeds with a ministry's key
(fetches recorded per ministry), confirmation by the ordering coordinator, bad input."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from felles.core.actor import Actor
from felles.core.services import Conflict, Forbidden, ServiceError
from felles.notices import selectors, services
from felles.notices.models import Confirmation, Fetch, Notice
from felles.testing import client_for

pytestmark = pytest.mark.django_db


def actor_for(person) -> Actor:
    return Actor(user=person.user, request_id="test")


def publish(p, **kwargs) -> Notice:
    values = {"kind": "outage", "title": "Nedetid lørdag", "body": "E-post er nede 8–12."}
    return services.publish_notice(actor=actor_for(p.governance), **{**values, **kwargs})


def test_only_providers_managers_and_dfd_publish(personas) -> None:
    with pytest.raises(Forbidden):
        services.publish_notice(
            actor=actor_for(personas.coordinator), kind="other", title="x", body="y"
        )
    notice = publish(personas)
    assert notice.everyone and notice.author_organisation == personas.dfd


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "a\x00b"}, "title"),
        ({"body": "a\x1bb"}, "body"),
        ({"kind": "gossip"}, "kind"),
        ({"title": "x" * 201}, "title"),
    ],
)
def test_bad_notices_save_nothing(personas, values, field) -> None:
    with pytest.raises(ServiceError) as caught:
        publish(personas, **values)
    assert field in caught.value.field_errors
    assert not Notice.objects.exists()


def test_the_audience_decides_who_sees_and_which_feed_carries_it(personas) -> None:
    to_fin = publish(personas, title="Bare FIN", audience=[personas.fin])
    to_all = publish(personas, title="Alle")
    assert set(selectors.notices_for(personas.employee.user)) == {to_all}
    assert set(selectors.notices_for(personas.outsider.user)) == {to_all, to_fin}
    assert client_for(personas.employee).get(f"/kunngjoringer/{to_fin.uuid}/").status_code == 404


def test_the_intranet_pulls_with_its_key_and_felles_records_the_fetch(personas) -> None:
    to_fin = publish(personas, title="Bare FIN", audience=[personas.fin])
    to_all = publish(personas, title="Strømbrudd", requires_confirmation=True)
    secret = services.make_feed_key(actor=actor_for(personas.coordinator), ministry=personas.kud)
    anonymous = Client()
    assert anonymous.get("/kunngjoringer/feed.atom").status_code == 401
    assert anonymous.get("/kunngjoringer/feed.json?nokkel=felk_wrong").status_code == 401
    atom = anonymous.get("/kunngjoringer/feed.atom", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert atom.status_code == 200 and atom["Content-Type"].startswith("application/atom+xml")
    body = atom.content.decode()
    assert "Strømbrudd" in body and "Bare FIN" not in body
    data = json.loads(anonymous.get(f"/kunngjoringer/feed.json?nokkel={secret}").content)
    assert [n["title"] for n in data["notices"]] == ["Strømbrudd"]
    fetch = Fetch.objects.get(notice=to_all, ministry=personas.kud)
    assert fetch.count == 2
    assert not Fetch.objects.filter(notice=to_fin).exists()
    receipts = {r.ministry.abbreviation: r for r in selectors.receipts(to_all)}
    assert receipts["KUD"].fetched_at is not None and receipts["FIN"].fetched_at is None
    # The sender (DFD) sees the receipts; KUD's employee does not.
    page = client_for(personas.governance).get(f"/kunngjoringer/{to_all.uuid}/").content.decode()
    assert "Mottak i departementene" in page and "Ikke bekreftet" in page
    kari = client_for(personas.employee).get(f"/kunngjoringer/{to_all.uuid}/").content.decode()
    assert "Mottak i departementene" not in kari
    # A new key replaces the old one.
    services.make_feed_key(actor=actor_for(personas.coordinator), ministry=personas.kud)
    assert anonymous.get(f"/kunngjoringer/feed.json?nokkel={secret}").status_code == 401
    # Filters.
    assert client_for(personas.employee).get("/kunngjoringer/feed.json?type=price").json() == {
        "notices": []
    }


def test_a_coordinator_makes_only_her_own_ministrys_key(personas) -> None:
    with pytest.raises(Forbidden):
        services.make_feed_key(actor=actor_for(personas.coordinator), ministry=personas.fin)
    with pytest.raises(Forbidden):
        services.make_feed_key(actor=actor_for(personas.employee), ministry=personas.kud)
    page = client_for(personas.coordinator).post("/kunngjoringer/intranett/")
    assert "felk_" in page.content.decode()


def test_the_coordinator_confirms_once(personas) -> None:
    notice = publish(personas, requires_confirmation=True)
    with pytest.raises(Forbidden):
        services.confirm_notice(
            actor=actor_for(personas.employee), notice=notice, ministry=personas.kud
        )
    response = client_for(personas.coordinator).post(f"/kunngjoringer/{notice.uuid}/")
    assert response.status_code == 302
    assert Confirmation.objects.get(notice=notice).ministry == personas.kud
    with pytest.raises(Conflict):
        services.confirm_notice(
            actor=actor_for(personas.coordinator), notice=notice, ministry=personas.kud
        )
    plain = publish(personas, title="Uten bekreftelse")
    assert client_for(personas.coordinator).post(f"/kunngjoringer/{plain.uuid}/").status_code == 403


def test_the_api_publishes_and_confirms(personas) -> None:
    api = client_for(personas.governance)
    bad = api.post(
        "/api/v1/notices",
        data={"kind": "price", "title": "Priser", "body": "…", "audience": ["XYZ"]},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "audience" in bad.json()["errors"]
    made = api.post(
        "/api/v1/notices",
        data={
            "kind": "price",
            "title": "Priser",
            "body": "Nye priser.",
            "requires_confirmation": True,
        },
        content_type="application/json",
    )
    assert made.status_code == 201
    notice_id = made.json()["id"]
    confirmed = client_for(personas.coordinator).post(f"/api/v1/notices/{notice_id}/confirmation")
    assert confirmed.status_code == 200 and confirmed.json()["receipts"] is None
    receipts = api.get(f"/api/v1/notices/{notice_id}").json()["receipts"]
    assert {r["ministry"]: r["confirmed_by"] for r in receipts}["KUD"] is not None


def test_the_key_goes_in_the_header_and_the_address_takes_only_an_intranet_key(
    personas,
) -> None:
    from felles.core.services import create_api_token

    publish(personas, title="Strømbrudd")
    api = create_api_token(
        actor=actor_for(personas.employee), user=personas.employee.user, name="intranett"
    )
    anonymous = Client()
    # A personal API key works in the header, never in the address (it would be logged).
    assert (
        anonymous.get(
            "/kunngjoringer/feed.json", HTTP_AUTHORIZATION=f"Bearer {api.secret}"
        ).status_code
        == 200
    )
    assert anonymous.get(f"/kunngjoringer/feed.json?nokkel={api.secret}").status_code == 401
    # The intranet key works both ways; the answer is not for shared caches.
    secret = services.make_feed_key(actor=actor_for(personas.coordinator), ministry=personas.kud)
    header = anonymous.get("/kunngjoringer/feed.atom", HTTP_AUTHORIZATION=f"Bearer {secret}")
    address = anonymous.get(f"/kunngjoringer/feed.json?nokkel={secret}")
    assert header.status_code == address.status_code == 200
    assert header["Cache-Control"] == address["Cache-Control"] == "private, no-store"
    # The feed-key page documents the header and the address's trade-off.
    page = client_for(personas.coordinator).get("/kunngjoringer/intranett/").content.decode()
    assert "Authorization: Bearer" in page and "?nokkel=" in page
