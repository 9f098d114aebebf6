"""Demo FOI requests for KUD (`felles demo`): Hilde (DIO) in the handling team of
`if-innsyn`; an eInnsyn request just in (no case owner yet: Eva names one), a request Hilde
has prepared and Per, KUD's case owner, is to decide, an answered request with partial
access under § 13 and an appeal with the King in Council, and earlier answered requests so
the statistics have figures. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from felles.catalog import services as catalog_services
from felles.core.actor import Actor
from felles.core.calendar import add_working_days
from felles.foi import services
from felles.foi.models import Decision, Request
from felles.foi.selectors import SERVICE_CODE, draft_answer
from felles.organisations.models import Organisation, Person

PARTIAL = {
    "outcome": "partial",
    "section": 13,
    "subsection": 1,
    "other_basis": "fvl. § 13 første ledd nr. 1",
    "withheld": "Navn og personnummer på søkerne er sladdet.",
    "assessment": "Søknaden inneholder personopplysninger om enkeltpersoner.",
}
REFUSED = {
    "outcome": "refused",
    "section": 14,
    "subsection": 1,
    "meirinnsyn": False,
    "meirinnsyn_reason": "Utkastet er et internt arbeidsdokument; behovet for unntak veier tyngst.",
}


def _file(order_id: str, received: dt.date, documents: list[tuple[str, str, str, str]]) -> bytes:
    # Ordered at nine on the day, or now if nine has not come yet (a demo loaded before
    # nine: eInnsyn's file may not lie in the future).
    at = min(
        dt.datetime.combine(received, dt.time(9, 0), timezone.get_current_timezone()),
        timezone.localtime(),
    )
    docs = "".join(
        f"<dokumenter><dokument><saksnr>{s}</saksnr><dokumentnr>{d}</dokumentnr>"
        f"<journalnr>{j}</journalnr><saksbehandler>{o}</saksbehandler></dokument></dokumenter>"
        for s, d, j, o in documents
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><bestilling>'
        f"<id>{order_id}</id><bestillingsdato>{at.isoformat(timespec='seconds')}"
        "</bestillingsdato><til><enhet>Kultur- og likestillingsdepartementet</enhet>"
        "<enhetepost>postmottak@kud.dep.no</enhetepost></til><kontaktinfo>"
        "<forsendelsesmåte>e-post</forsendelsesmåte><e-post>journalist@example.invalid</e-post>"
        f"</kontaktinfo>{docs}</bestilling>"
    ).encode()


def _stamp(request: Request, answered: dt.date) -> None:
    """The demo works on requests received in the past: stamp DIO's proposals on the
    working day after receipt (or the day itself) and the ministry's decisions on the day of
    the answer, before it was sent, so the record reads in order (received → proposed →
    decided → answered)."""
    zone = timezone.get_current_timezone()
    proposed_on = min(add_working_days(request.received_on, 1), answered)
    times = {
        Decision.Stage.PROPOSED: dt.datetime.combine(proposed_on, dt.time(10, 0), zone),
        Decision.Stage.FINAL: dt.datetime.combine(answered, dt.time(11, 0), zone),
    }
    for stage, at in times.items():
        Decision.objects.filter(item__request=request, stage=stage).update(at=at)


def _team(actor: Actor, hilde: Person) -> None:
    catalog_services.join_handling_team(actor=actor, codes=[SERVICE_CODE], person=hilde)


def load(*, actor: Actor) -> int:
    """Returns the number of requests made (0 when they exist already)."""
    hilde = Person.objects.filter(user__username="hilde").first()
    per = Person.objects.filter(user__username="per").first()
    eva = Person.objects.filter(user__username="eva").first()
    if hilde is None or per is None or eva is None:
        return 0
    _team(actor, hilde)
    if Request.objects.filter(einnsyn_id__startswith="demo-").exists():
        return 0
    kud = Organisation.objects.get(abbreviation="KUD")
    as_hilde, as_per = Actor(user=hilde.user), Actor(user=per.user)
    today = timezone.localdate()

    def imported(order_id: str, back: int, docs: list[tuple[str, str, str, str]]) -> Request:
        received = add_working_days(today, -back)
        result = services.import_order_file(
            actor=as_hilde, content=_file(order_id, received, docs), ministry=kud
        )
        return result.request

    # 1. Just in from eInnsyn: Eva names the case owner, Hilde prepares.
    imported(
        "demo-ny",
        0,
        [
            ("2026/1187", "4", "20931", "Kari Nordmann"),
            ("2026/1187", "5", "20944", "Kari Nordmann"),
        ],
    )
    # 2. Prepared by Hilde, waiting for Per's decision (received two working days ago).
    waiting = imported("demo-til-vedtak", 2, [("2026/2001", "1", "21510", "Kari Nordmann")])
    services.assign_case_owner(actor=Actor(user=eva.user), request=waiting, person=per)
    waiting.refresh_from_db()
    services.prepare_item(actor=as_hilde, item=waiting.items.get(), values=PARTIAL)
    # 3. Answered (partial under § 13, refusal under § 14) and appealed; KUD upheld its
    #    decision, so the appeal went on to the King in Council.
    done = imported(
        "demo-besvart",
        12,
        [("2026/1544", "2", "20102", "Per Hansen"), ("2026/1544", "3", "20103", "Per Hansen")],
    )
    services.assign_case_owner(actor=as_hilde, request=done, person=per)
    done.refresh_from_db()
    first, second = done.items.all()
    for item, values in ((first, PARTIAL), (second, REFUSED)):
        services.prepare_item(actor=as_hilde, item=item, values=values)
        services.decide_item(actor=as_per, item=item, values=values)
    answered = add_working_days(done.received_on, 2)
    _stamp(done, answered)
    services.send_answer(
        actor=as_hilde,
        request=done,
        text=draft_answer(done, answered),
        answered_on=answered,
    )
    appeal = services.register_appeal(
        actor=as_hilde, request=done, received_on=add_working_days(answered, 3)
    )
    services.decide_appeal(
        actor=as_per, appeal=appeal, result="upheld", decided_on=add_working_days(answered, 5)
    )
    # 4. Earlier requests answered in 0–6 working days, for the statistics.
    for n, days in enumerate((0, 1, 1, 2, 3, 6)):
        foi = imported(f"demo-tidligere-{n}", 20 + 3 * n, [(f"2026/{900 + n}", "1", "", "")])
        services.assign_case_owner(actor=as_hilde, request=foi, person=per)
        foi.refresh_from_db()
        services.decide_item(actor=as_per, item=foi.items.get(), values={"outcome": "full"})
        answered_on = add_working_days(foi.received_on, days)
        _stamp(foi, answered_on)
        services.send_answer(
            actor=as_hilde,
            request=foi,
            text="Du får innsyn i dokumentet.",
            answered_on=answered_on,
        )
    return Request.objects.filter(einnsyn_id__startswith="demo-").count()
