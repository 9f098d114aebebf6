"""Corrections after review: one eInnsyn id to several ministries, the requester kept while
a request is unanswered, § 13's confidentiality provision and the ministries' exemption
grounds, appeals to the King in Council, fuller reasons and the appeal deadline, the case
owner at intake, the answer's text, and double submits (today is Wednesday 18 November
2026, the frozen clock)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from felles.core.actor import Actor
from felles.core.services import Conflict, ServiceError
from felles.foi import selectors, services
from felles.foi.models import Appeal, Decision, Request
from felles.foi.tests.factories import foi_cast, order_file
from felles.testing import client_for

D = dt.date
FIN = {"agency_email": "postmottak@fin.dep.no", "agency": "Finansdepartementet"}


@pytest.fixture
def cast(personas: Any, frozen_clock: Any) -> Any:
    return foi_cast(personas)


def as_(person: Any) -> Actor:
    return Actor(user=person.user)


def _answered(p: Any, order_id: str, outcome: dict[str, Any], answered: dt.date) -> Request:
    request = services.import_order_file(
        actor=as_(p.hilde), content=order_file(order_id, documents=1)
    ).request
    services.assign_case_owner(actor=as_(p.hilde), request=request, person=p.manager)
    request.refresh_from_db()
    services.decide_item(actor=as_(p.manager), item=request.items.get(), values=outcome)
    return services.send_answer(
        actor=as_(p.hilde), request=request, text="Svar", answered_on=answered
    )


def test_one_einnsyn_id_to_two_ministries_is_two_requests(cast: Any) -> None:
    kud = services.import_order_file(actor=as_(cast.hilde), content=order_file("ik-shared"))
    # FIN has no information-management coordinator: the case owner is named at intake.
    fin = services.import_order_file(
        actor=as_(cast.hilde), content=order_file("ik-shared", **FIN), case_owner=cast.outsider
    )
    assert kud.created and fin.created
    assert (kud.request.ministry, fin.request.ministry) == (cast.kud, cast.fin)
    assert fin.request.items.count() == 2 and fin.request.case_owner == cast.outsider
    repeat = order_file("ik-shared", **FIN)
    again = services.import_order_file(actor=as_(cast.hilde), content=repeat)
    assert not again.created and again.request == fin.request
    assert Request.objects.filter(einnsyn_id="ik-shared").count() == 2


def test_the_requester_of_an_unanswered_request_is_kept(cast: Any) -> None:
    silent = services.import_order_file(actor=as_(cast.hilde), content=order_file("ik-s")).request
    dry = services.erase_requesters(actor=Actor.system("test"), today=D(2030, 1, 1), dry_run=True)
    real = services.erase_requesters(actor=Actor.system("test"), today=D(2030, 1, 1))
    assert dry.request_ids == real.request_ids == ()
    assert Request.objects.get(pk=silent.pk).requester_email


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"outcome": "refused", "section": 13, "subsection": 1}, "other_basis", "fvl. § 13"),
        (
            {"outcome": "partial", "section": 13, "withheld": "Navn", "other_basis": " "},
            "other_basis",
            "taushetspliktbestemmelsen",
        ),
        ({"outcome": "refused", "section": 16}, "section", "departement"),
        ({"outcome": "refused", "section": 3}, "section", "departement"),
        ({"outcome": "refused", "section": 28, "subsection": 1}, "section", "departement"),
        ({"outcome": "refused", "section": 14, "letter": "ab"}, "letter", "bokstav"),
    ],
)
def test_a_basis_the_law_does_not_give_is_refused(
    cast: Any, values: dict, field: str, words: str
) -> None:
    item = services.import_order_file(actor=as_(cast.hilde), content=order_file()).request
    with pytest.raises(ServiceError) as exc:
        services.prepare_item(
            actor=as_(cast.hilde), item=item.items.first(), values={"meirinnsyn": False} | values
        )
    assert field in exc.value.field_errors and words in exc.value.field_errors[field][0]
    assert not Decision.objects.exists()


def test_the_letter_is_normalised(cast: Any) -> None:
    item = services.import_order_file(actor=as_(cast.hilde), content=order_file()).request
    values = {"outcome": "refused", "section": 24, "subsection": 3, "letter": " A) "}
    values |= {"meirinnsyn": False, "meirinnsyn_reason": "Vurdert"}
    decision = services.prepare_item(actor=as_(cast.hilde), item=item.items.first(), values=values)
    assert decision.letter == "a" and decision.legal_basis() == "offl. § 24 tredje ledd bokstav a"
    values = {"outcome": "refused", "section": 28, "subsection": 2}
    decision = services.prepare_item(actor=as_(cast.hilde), item=item.items.last(), values=values)
    assert decision.legal_basis() == "offl. § 28 andre ledd"


def test_partly_granted_at_the_ministry_goes_to_the_king_in_council(cast: Any) -> None:
    refused = {"outcome": "refused", "section": 13, "other_basis": "fvl. § 13 første ledd nr. 1"}
    request = _answered(cast, "ik-partly", refused, D(2026, 11, 17))
    appeal = services.register_appeal(
        actor=as_(cast.hilde), request=request, received_on=D(2026, 11, 18)
    )
    # A second appeal while the first is pending is refused; nothing is saved.
    with pytest.raises(ServiceError) as exc:
        services.register_appeal(
            actor=as_(cast.hilde), request=request, received_on=D(2026, 11, 18)
        )
    assert "allerede en klage" in exc.value.message
    stale = Appeal.objects.get(pk=appeal.pk)
    services.decide_appeal(
        actor=as_(cast.manager), appeal=appeal, result="partly", decided_on=D(2026, 11, 18)
    )
    with pytest.raises(Conflict):  # the same form submitted twice
        services.decide_appeal(
            actor=as_(cast.manager), appeal=stale, result="partly", decided_on=D(2026, 11, 18)
        )
    assert list(request.appeals.values_list("body", "result")) == [
        ("ministry", "partly"),
        ("king", "pending"),
    ]


def test_fuller_reasons_move_the_appeal_deadline(cast: Any) -> None:
    refused = {"outcome": "refused", "section": 13, "other_basis": "fvl. § 13 første ledd nr. 1"}
    request = _answered(cast, "ik-fuller", refused, D(2026, 11, 17))
    assert request.appeal_deadline == D(2026, 12, 8)  # 17 November + 3 weeks
    services.record_fuller_reasons(actor=as_(cast.hilde), request=request, asked_on=D(2026, 11, 17))
    assert Request.objects.get(pk=request.pk).appeal_deadline == D(2026, 12, 8)
    services.record_fuller_reasons(
        actor=as_(cast.hilde), request=request, asked_on=D(2026, 11, 17), sent_on=D(2026, 11, 18)
    )
    # Fuller reasons sent Wednesday 18 November: three weeks on is Wednesday 9 December.
    assert Request.objects.get(pk=request.pk).appeal_deadline == D(2026, 12, 9)


def test_the_case_owner_is_named_at_intake(cast: Any) -> None:
    hilde = client_for(cast.hilde)
    page = hilde.get("/innsyn/ny/")
    assert 'name="case_owner"' in page.content.decode()
    response = hilde.post(
        "/api/v1/foi/einnsyn",
        {"xml": order_file("ik-api", **FIN).decode(), "case_owner_id": str(cast.outsider.uuid)},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["case_owner_id"] == str(
        cast.outsider.uuid
    )


def test_the_answer_must_be_complete_and_its_deadline_right(cast: Any) -> None:
    request = services.import_order_file(
        actor=as_(cast.hilde), content=order_file(documents=1)
    ).request
    services.assign_case_owner(actor=as_(cast.hilde), request=request, person=cast.manager)
    request.refresh_from_db()
    draft = selectors.draft_answer(request)
    assert "ikke avgjort ennå" in draft
    refused = {"outcome": "refused", "section": 13, "other_basis": "fvl. § 13 første ledd nr. 1"}
    services.decide_item(actor=as_(cast.manager), item=request.items.get(), values=refused)
    with pytest.raises(ServiceError) as exc:
        services.send_answer(actor=as_(cast.manager), request=request, text=draft)
    assert "ikke avgjort" in exc.value.message
    # Drafted today (deadline 9 December) but sent on Tuesday 17 November: 8 December.
    today = selectors.draft_answer(request)
    with pytest.raises(ServiceError) as exc:
        services.send_answer(
            actor=as_(cast.manager), request=request, text=today, answered_on=D(2026, 11, 17)
        )
    assert "8. desember 2026" in exc.value.message
    assert Request.objects.get(pk=request.pk).answered_on is None


def test_wrong_dates_and_people_are_named_right(cast: Any) -> None:
    with pytest.raises(ServiceError) as exc:
        services.register_request(
            actor=as_(cast.hilde),
            ministry=cast.kud,
            source="email",
            received_on=D(1999, 12, 31),
            requester_email="a@example.invalid",
            items=[services.ItemIn(title="x")],
        )
    assert "fram i tid" not in exc.value.message and "2000" in exc.value.message
    request = services.import_order_file(actor=as_(cast.hilde), content=order_file()).request
    cast.manager.active = False
    cast.manager.save(update_fields=["active"])
    with pytest.raises(ServiceError) as exc:
        services.assign_case_owner(actor=as_(cast.hilde), request=request, person=cast.manager)
    assert "ikke i KUD" not in exc.value.message and "aktiv" in exc.value.message
