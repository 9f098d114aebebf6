"""Intake, the work on a request, the answer and the retention rule (today is Wednesday
18 November 2026, the frozen clock)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from felles.core.actor import Actor
from felles.core.services import Conflict, Forbidden, ServiceError
from felles.foi import selectors, services
from felles.foi.models import Appeal, Decision, Request
from felles.foi.tests.factories import EXAMPLE, foi_cast, order_file
from felles.orders.models import Order

D = dt.date


@pytest.fixture
def cast(personas: Any, frozen_clock: Any) -> Any:
    return foi_cast(personas)


def as_(person: Any) -> Actor:
    return Actor(user=person.user)


def imported(p: Any, content: bytes | None = None) -> Request:
    result = services.import_order_file(actor=as_(p.hilde), content=content or order_file())
    return result.request


def test_import_creates_one_request_with_an_item_per_document_and_an_order(cast: Any) -> None:
    result = services.import_order_file(actor=as_(cast.hilde), content=EXAMPLE.read_bytes())
    request = result.request
    assert result.created and request.ministry == cast.kud
    assert request.source == "einnsyn" and request.received_on == D(2026, 3, 31)
    assert request.requester_email == "journalist@example.invalid"
    assert [(i.case_number, i.document_number, i.journal_number) for i in request.items.all()] == [
        ("2026/1187", "4", "20931"),
        ("2026/1187", "5", "20944"),
    ]
    assert request.order.service.code == "if-innsyn" and request.order.ministry == cast.kud
    assert request.order.orderer == cast.eva  # no case owner yet: the coordinator
    again = services.import_order_file(actor=as_(cast.hilde), content=EXAMPLE.read_bytes())
    assert not again.created and again.request == request
    assert Request.objects.count() == 1 and Order.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"<bestilling><id>1</id>", "ikke gyldig XML"),
        (b"", "tom"),
        (order_file(email=""), "mangler innsynskreverens e-postadresse"),
        (order_file(email="ikke en adresse"), "ikke en e-postadresse"),
        (order_file(documents=0), "ingen dokumenter"),
        (b"<ordre><id>1</id></ordre>", "bestillingsfil"),
        (
            b'<?xml version="1.0"?><!DOCTYPE b [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<bestilling><id>&x;</id></bestilling>",
            "DOCTYPE",
        ),
        (b"<bestilling>" + b"x" * (1024 * 1024 + 1) + b"</bestilling>", "for stor"),
        (
            order_file(agency_email="post@ukjent.example", agency="Ukjent"),
            "Fant ikke departementet",
        ),
    ],
)
def test_a_bad_file_is_refused_with_the_reason_and_nothing_is_created(
    cast: Any, content: bytes, reason: str
) -> None:
    with pytest.raises(ServiceError) as exc:
        services.import_order_file(actor=as_(cast.hilde), content=content)
    assert reason in exc.value.message
    assert not Request.objects.exists() and not Order.objects.exists()


def test_only_the_foi_team_imports(cast: Any) -> None:
    for person in (cast.eva, cast.employee, cast.agent):
        with pytest.raises(Forbidden):
            services.import_order_file(actor=as_(person), content=order_file())
    assert not Request.objects.exists()


def test_a_case_owner_from_another_ministry_is_refused(cast: Any) -> None:
    request = imported(cast)
    with pytest.raises(ServiceError) as exc:
        services.assign_case_owner(actor=as_(cast.hilde), request=request, person=cast.outsider)
    assert "må være en person i KUD" in exc.value.message
    request.refresh_from_db()
    assert request.case_owner is None


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"outcome": "refused"}, "section", "hjemmelen"),
        ({"outcome": "partial", "section": 13}, "withheld", "unntatt"),
        ({"outcome": "partial", "section": 14, "withheld": "x"}, "meirinnsyn", "merinnsyn"),
        ({"outcome": "forwarded"}, "forwarded_to", "organ"),
        ({"outcome": "granted"}, "outcome", "utfall"),
    ],
)
def test_a_decision_without_what_the_law_asks_is_refused(
    cast: Any, values: dict, field: str, words: str
) -> None:
    request = imported(cast)
    item = request.items.first()
    with pytest.raises(ServiceError) as exc:
        services.prepare_item(actor=as_(cast.hilde), item=item, values=values)
    assert field in exc.value.field_errors and words in exc.value.field_errors[field][0]
    assert not Decision.objects.exists()


def test_prepare_decide_answer_and_appeal(cast: Any) -> None:
    request = imported(cast)  # received Monday 16 November
    first, second = request.items.all()
    partial = {"outcome": "partial", "section": 13, "subsection": 1}
    partial |= {"other_basis": "fvl. § 13 første ledd nr. 1", "withheld": "Navn på søkere"}
    services.prepare_item(actor=as_(cast.hilde), item=first, values=partial)
    services.prepare_item(actor=as_(cast.hilde), item=second, values={"outcome": "full"})
    request.order.refresh_from_db()
    assert request.order.status == "in_progress"
    # DIO does not decide; nor does anyone before the ministry names its case owner.
    with pytest.raises(Forbidden):
        services.decide_item(actor=as_(cast.hilde), item=first, values={"outcome": "full"})
    services.assign_case_owner(actor=as_(cast.eva), request=request, person=cast.manager)
    request.refresh_from_db()
    first.request = second.request = request
    with pytest.raises(Forbidden):
        services.decide_item(actor=as_(cast.eva), item=first, values=partial)
    services.decide_item(actor=as_(cast.manager), item=first, values=partial)
    with pytest.raises(ServiceError):  # the second item is not decided yet
        services.send_answer(actor=as_(cast.hilde), request=request, text="Svar")
    services.decide_item(actor=as_(cast.manager), item=second, values={"outcome": "full"})
    draft = selectors.draft_answer(request)
    assert "offl. § 13 første ledd, jf. fvl. § 13 første ledd nr. 1" in draft
    assert "Navn på søkere" in draft and "klage" in draft
    # Answered Wednesday 18 November: Tuesday 17 (1), Wednesday 18 (2).
    services.send_answer(actor=as_(cast.manager), request=request, text=draft)
    request.refresh_from_db()
    assert request.working_days == 2 and request.appeal_deadline == D(2026, 12, 9)
    assert "9. desember 2026" in draft or "09.12.2026" in draft
    request.order.refresh_from_db()
    assert request.order.status == "resolved"
    with pytest.raises(Conflict):
        services.decide_item(actor=as_(cast.manager), item=first, values={"outcome": "full"})
    appeal = services.register_appeal(
        actor=as_(cast.hilde), request=request, received_on=D(2026, 11, 18)
    )
    services.decide_appeal(
        actor=as_(cast.manager), appeal=appeal, result="upheld", decided_on=D(2026, 11, 18)
    )
    assert list(request.appeals.values_list("body", "result")) == [
        ("ministry", "upheld"),
        ("king", "pending"),
    ]


def test_who_sees_a_request(cast: Any) -> None:
    request = imported(cast)
    for person, sees in [
        (cast.hilde, True),
        (cast.eva, True),
        (cast.manager, False),
        (cast.outsider, False),
        (cast.agent, False),
        (cast.governance, False),
    ]:
        assert selectors.requests_for(person.user).filter(pk=request.pk).exists() is sees
    services.assign_case_owner(actor=as_(cast.hilde), request=request, person=cast.manager)
    assert selectors.requests_for(cast.manager.user).filter(pk=request.pk).exists()
    assert selectors.statistics_scope(cast.governance.user) is None
    assert selectors.statistics_scope(cast.outsider.user) == frozenset()
    opened = selectors.open_requests_for(cast.eva.user, cast.kud)
    # Received Monday 16 November: deemed refused after Monday 23 November.
    assert [(o.request, o.deemed_refusal, o.state) for o in opened] == [
        (request, D(2026, 11, 23), "ok")
    ]


def _answered(p: Any, order_id: str, answered: dt.date) -> Request:
    request = imported(p, order_file(order_id, documents=1))
    services.assign_case_owner(actor=as_(p.hilde), request=request, person=p.manager)
    request.refresh_from_db()
    item = request.items.get()
    services.decide_item(actor=as_(p.manager), item=item, values={"outcome": "full"})
    return services.send_answer(
        actor=as_(p.hilde), request=request, text="Svar", answered_on=answered
    )


def test_retention_dry_run_equals_the_real_run(cast: Any) -> None:
    old = _answered(cast, "ik-old", D(2026, 11, 16))  # appeal deadline Monday 7 December
    kept = _answered(cast, "ik-appealed", D(2026, 11, 16))
    services.register_appeal(actor=as_(cast.hilde), request=kept, received_on=D(2026, 11, 17))
    fresh = imported(cast, order_file("ik-open"))
    system = Actor.system("test")
    # 7 December + 30 days margin = 6 January 2027: not yet on the 6th, erased on the 7th.
    assert services.erase_requesters(actor=system, today=D(2027, 1, 6), dry_run=True).count == 0
    dry = services.erase_requesters(actor=system, today=D(2027, 1, 7), dry_run=True)
    assert dry.request_ids == (str(old.uuid),)
    assert Request.objects.get(pk=old.pk).requester_email  # a dry run changes nothing
    real = services.erase_requesters(actor=system, today=D(2027, 1, 7))
    assert real.request_ids == dry.request_ids
    old.refresh_from_db()
    assert old.requester_email == "" and old.requester_name == "" and old.requester_erased_at
    assert Request.objects.get(pk=kept.pk).requester_email
    assert Request.objects.get(pk=fresh.pk).requester_email
    assert services.erase_requesters(actor=system, today=D(2027, 1, 7)).count == 0
    with pytest.raises(Forbidden):
        services.erase_requesters(actor=as_(cast.hilde))
    assert Appeal.objects.count() == 1
