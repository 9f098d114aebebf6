"""Exact statistics (the Ombudsman's share within N working days), eInnsyn's timestamps in
Norwegian time, translatable refusals, every table exported, the retention rule for
requests never answered (kept), and the API for fuller reasons and appeals (today is Wednesday
18 November 2026, the frozen clock)."""

from __future__ import annotations

import datetime as dt
import io
from fractions import Fraction
from typing import Any

import pytest
from django.utils import translation
from openpyxl import load_workbook

from felles.core.actor import Actor
from felles.core.services import ServiceError
from felles.foi import rules, services
from felles.foi.models import Request
from felles.foi.statistics import compute
from felles.foi.tests.factories import foi_cast, order_file
from felles.orders.models import Order
from felles.testing import client_for

D = dt.date


@pytest.fixture
def cast(personas: Any, frozen_clock: Any) -> Any:
    return foi_cast(personas)


def _import(p: Any, order_id: str, ordered: str) -> Request:
    content = order_file(order_id, documents=1, ordered=ordered)
    return services.import_order_file(actor=Actor(user=p.hilde.user), content=content).request


def _request(p: Any, order_id: str, received: dt.date, answered: dt.date | None) -> Request:
    request = _import(p, order_id, f"{received.isoformat()}T10:00:00+01:00")
    if answered is not None:
        services.assign_case_owner(
            actor=Actor(user=p.hilde.user), request=request, person=p.manager
        )
        request.refresh_from_db()
        per = Actor(user=p.manager.user)
        services.decide_item(actor=per, item=request.items.get(), values={"outcome": "full"})
        services.send_answer(actor=per, request=request, text="Svar", answered_on=answered)
    return request


def test_share_within_counts_unanswered_requests_past_their_window(cast: Any) -> None:
    # A: Monday 2 Nov → Tuesday 3 (1 working day); B: 2 Nov → Friday 6 (4);
    # C: 2 Nov, never answered; D: Monday 16 → the same day (0); E: Tuesday 17, open.
    _request(cast, "a", D(2026, 11, 2), D(2026, 11, 3))
    _request(cast, "b", D(2026, 11, 2), D(2026, 11, 6))
    _request(cast, "c", D(2026, 11, 2), None)
    _request(cast, "d", D(2026, 11, 16), D(2026, 11, 16))
    _request(cast, "e", D(2026, 11, 17), None)
    stats = compute(None, D(2026, 1, 1), D(2026, 12, 31), today=D(2026, 11, 18))
    within = {w.days: (w.answered, w.due, w.share) for w in stats.total.within()}
    # N = 1: windows over for receipt up to Monday 16 (A, B, C, D); within: A, D.
    assert within[1] == (2, 4, Fraction(1, 2))
    # N = 3: over up to Thursday 12 (A, B, C); within: A. (Answered only: 2 of 3.)
    assert within[3] == (1, 3, Fraction(1, 3))
    # N = 5: over up to Tuesday 10 (A, B, C); within: A, B. (Answered only: 3 of 3.)
    assert within[5] == (2, 3, Fraction(2, 3))
    assert (stats.total.requests, stats.total.answered) == (5, 3)
    [(kud, figures)] = stats.ministries
    assert kud == cast.kud and figures.due == stats.total.due
    page = client_for(cast.governance).get("/innsyn/statistikk/?start=2026-01-01&end=2026-12-31")
    text = page.content.decode()
    assert "50,0\xa0% (2 av 4)" in text and "Sivilombudet" in text


def test_every_statistics_table_is_exported(cast: Any) -> None:
    request = _request(cast, "a", D(2026, 11, 2), D(2026, 11, 3))
    services.register_appeal(
        actor=Actor(user=cast.hilde.user), request=request, received_on=D(2026, 11, 4)
    )
    anne = client_for(cast.governance)
    url = "/innsyn/statistikk/?start=2026-01-01&end=2026-12-31"
    workbook = load_workbook(io.BytesIO(anne.get(f"{url}&format=xlsx").content))
    assert workbook.sheetnames == ["Tid til svar", "Utfall", "Hjemler", "Klager"]
    outcomes = [tuple(r) for r in workbook["Utfall"].iter_rows(values_only=True)]
    assert ("Innsyn", 1) in outcomes
    appeals = [tuple(r) for r in workbook["Klager"].iter_rows(values_only=True)]
    assert ("Departementet (ny vurdering)", "Til behandling", 1) in appeals
    time = list(workbook["Tid til svar"].iter_rows(values_only=True))
    assert time[0][7].startswith("Andel besvart innen 1 arbeidsdager")
    for table, expected in [
        ("outcomes", "Innsyn;1"),
        ("bases", "Utfall;Hjemmel;Antall"),
        ("appeals", "Departementet (ny vurdering);Til behandling;1"),
        ("time", "KUD;1;1;1;0;1;1;1;1;1;1;1;1;1;1;1"),
    ]:
        response = anne.get(f"{url}&format=csv&table={table}")
        assert response.status_code == 200 and expected in response.content.decode(), table
    page = anne.get(url).content.decode()
    assert "table=appeals" in page and "table=bases" in page and "table=outcomes" in page


@pytest.mark.parametrize(
    ("ordered", "received", "deemed_refusal"),
    [
        # 23:30Z on Tuesday 31 March is 01:30 on Wednesday 1 April in Oslo (summer time):
        # Tue 7 (1), 8, 9, 10, Mon 13 April (5). From 31 March it would be Friday 10 April.
        ("2026-03-31T23:30:00Z", D(2026, 4, 1), D(2026, 4, 13)),
        ("2026-03-31T21:30:00Z", D(2026, 3, 31), D(2026, 4, 10)),  # 23:30 in Oslo
        ("2026-03-31T23:30:00", D(2026, 3, 31), D(2026, 4, 10)),  # no offset: Oslo time
        ("2026-11-16T23:30:00+00:00", D(2026, 11, 17), D(2026, 11, 24)),  # winter: UTC+1
    ],
)
def test_einnsyn_time_is_taken_in_norwegian_time(
    cast: Any, ordered: str, received: dt.date, deemed_refusal: dt.date
) -> None:
    request = _import(cast, "tz", ordered)
    assert request.received_on == received
    assert rules.deadlines(request.received_on).deemed_refusal == deemed_refusal


@pytest.mark.parametrize(
    ("ordered", "reason"),
    [
        ("2026-11-18T10:00:00+01:00", "ligger fram i tid"),  # an hour ahead of the clock
        ("2027-01-05T09:00:00+01:00", "ligger fram i tid"),
        ("2009-05-01T09:00:00+02:00", "eldre enn eInnsyn"),
        ("31.03.2026", "ugyldig"),
    ],
)
def test_an_impossible_order_date_refuses_the_file(cast: Any, ordered: str, reason: str) -> None:
    with pytest.raises(ServiceError) as exc:
        _import(cast, "bad-date", ordered)
    assert reason in exc.value.message
    if reason != "ugyldig":
        assert "registrer kravet manuelt med riktig mottaksdato" in exc.value.message
    assert not Request.objects.exists() and not Order.objects.exists()
    # Within the clock tolerance (ten minutes ahead) the file is taken.
    assert _import(cast, "near", "2026-11-18T09:10:00+01:00").received_on == D(2026, 11, 18)


def test_refusals_are_translated_and_lxml_is_only_a_technical_detail(cast: Any) -> None:
    broken = b"<bestilling>\n<id>1</id>\n<til>"
    with pytest.raises(ServiceError) as nb:
        services.import_order_file(actor=Actor(user=cast.hilde.user), content=broken)
    reason, detail = nb.value.message.split("\n")
    assert reason.startswith("Filen er ikke gyldig XML") and "linje 3" in reason
    assert detail.startswith("Teknisk detalj: ")
    with translation.override("en"):
        with pytest.raises(ServiceError) as en:
            services.import_order_file(actor=Actor(user=cast.hilde.user), content=broken)
        assert en.value.message.startswith("The file is not valid XML")
        assert "line 3" in en.value.message and "Technical detail: " in en.value.message
        with pytest.raises(ServiceError) as address:
            services.import_order_file(
                actor=Actor(user=cast.hilde.user), content=order_file(email="ikke")
            )
        assert address.value.message == "The requester's address «ikke» is not an e-mail address."


def test_the_requester_of_a_request_never_answered_is_kept(cast: Any) -> None:
    # Received Monday 16 November and never answered: the case is not closed, so the
    # requester is kept however old it is; the answered one (17 November + 3 weeks =
    # 8 December + 30 days = 7 January) is erased from 8 January.
    silent = _request(cast, "silent", D(2026, 11, 16), None)
    answered = _request(cast, "answered", D(2026, 11, 16), D(2026, 11, 17))
    system = Actor.system("test")
    assert services.erase_requesters(actor=system, today=D(2027, 1, 7), dry_run=True).count == 0
    dry = services.erase_requesters(actor=system, today=D(2028, 1, 14), dry_run=True)
    assert dry.request_ids == (str(answered.uuid),)
    real = services.erase_requesters(actor=system, today=D(2028, 1, 14))
    assert real.request_ids == dry.request_ids
    silent.refresh_from_db()
    assert silent.requester_email and silent.requester_erased_at is None


def test_an_unanswered_request_is_appealed_only_after_the_deemed_refusal(cast: Any) -> None:
    silent = _request(cast, "silent", D(2026, 11, 2), None)  # deemed refused after 9 Nov
    early = _request(cast, "early", D(2026, 11, 16), None)  # deemed refused after 23 Nov
    with pytest.raises(ServiceError) as exc:
        services.register_appeal(
            actor=Actor(user=cast.hilde.user), request=early, received_on=D(2026, 11, 18)
        )
    assert "regnes som avslått, etter 23.11.2026" in exc.value.message
    hilde = client_for(cast.hilde)
    assert "Registrer klage" in hilde.get(f"/innsyn/{silent.uuid}/").content.decode()
    assert "Registrer klage" not in hilde.get(f"/innsyn/{early.uuid}/").content.decode()
    appeal = services.register_appeal(
        actor=Actor(user=cast.hilde.user), request=silent, received_on=D(2026, 11, 10)
    )
    assert appeal.body == "ministry"
    # A pending appeal keeps the requester's address past the retention date.
    system = Actor.system("test")
    assert (
        str(silent.uuid)
        not in services.erase_requesters(
            actor=system, today=D(2027, 6, 1), dry_run=True
        ).request_ids
    )


def test_api_fuller_reasons_and_appeals(cast: Any) -> None:
    request = _request(cast, "api", D(2026, 11, 16), D(2026, 11, 17))
    per = client_for(cast.manager)
    base = f"/api/v1/foi/requests/{request.uuid}"
    fuller = per.put(
        f"{base}/fuller-reasons", {"asked_on": "2026-11-18"}, content_type="application/json"
    )
    # Asked Wednesday 18 November: ten working days on is Wednesday 2 December.
    assert fuller.status_code == 200 and fuller.json()["fuller_reasons_due"] == "2026-12-02"
    future = per.put(
        f"{base}/fuller-reasons", {"asked_on": "2027-01-05"}, content_type="application/json"
    )
    assert future.status_code == 422 and "fram i tid" in future.json()["errors"]["asked_on"][0]
    early = per.post(
        f"{base}/appeals", {"received_on": "2026-11-16"}, content_type="application/json"
    )
    assert early.status_code == 422 and "svardatoen" in early.json()["message"]
    made = per.post(
        f"{base}/appeals", {"received_on": "2026-11-18"}, content_type="application/json"
    )
    assert made.status_code == 201
    [appeal] = made.json()["appeals"]
    assert (appeal["body"], appeal["result"]) == ("ministry", "pending")
    decided = per.put(
        f"{base}/appeals/{appeal['id']}/outcome",
        {"result": "upheld", "decided_on": "2026-11-18", "note": "Opprettholdt"},
        content_type="application/json",
    )
    assert decided.status_code == 200
    assert [(a["body"], a["result"]) for a in decided.json()["appeals"]] == [
        ("ministry", "upheld"),
        ("king", "pending"),
    ]
    again = per.put(
        f"{base}/appeals/{appeal['id']}/outcome",
        {"result": "granted", "decided_on": "2026-11-18"},
        content_type="application/json",
    )
    assert again.status_code == 409
