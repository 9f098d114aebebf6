"""Access-matrix rows for the agreements app's pages and API operations: the expected
answer for every persona. The objects are DSS's agreements with KUD: a draft (which KUD
does not see yet), one sent to KUD (its coordinator Ingrid accepts it) and one in force
(either party ends it). No standing persona manages DSS: drafting is 403 here and tested
in test_agreements.py; the provider manager serving FIN only finds nothing of KUD's."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from felles.core.actor import Actor
from felles.testing.matrix import PERSONAS, Case, seeded

SYSTEM = Actor.system("matrix")
_years = itertools.count()
_last: dict[str, Any] = {}


def _draft(p: Any) -> Any:
    from felles.agreements import rules, services

    start = dt.date(2040, 1, 1) + dt.timedelta(days=3 * (next(_years) % 1000))
    agreement = services.create_draft(
        actor=SYSTEM, provider=p.dss, ministry=p.kud, valid_from=start, valid_to=start
    )
    services.save_line(
        actor=SYSTEM,
        agreement=agreement,
        service=seeded(p).get(code="srv-mobil"),
        volume=10,
        targets={"normal": rules.Targets(Decimal(4), Decimal(16))},
    )
    _last["agreement"] = agreement
    return agreement


def _sent(p: Any) -> Any:
    from felles.agreements import services

    return services.send(actor=SYSTEM, agreement=_draft(p))


def _in_force(p: Any) -> Any:
    from felles.agreements import services
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    agreement = _sent(p)
    siri = getattr(p, "agreements_manager", None)
    if siri is None:
        siri = p.agreements_manager = make_person(
            p.dss, "siri.avtale", roles=[Role.PROVIDER_MANAGER]
        )
    services.accept(actor=SYSTEM, agreement=agreement, person=p.coordinator, side="ministry")
    return services.accept(actor=SYSTEM, agreement=agreement, person=siri, side="provider")


def draft_id(p: Any) -> dict[str, Any]:
    return {"agreement_id": _draft(p).uuid}


def sent_id(p: Any) -> dict[str, Any]:
    return {"agreement_id": _sent(p).uuid}


def in_force_id(p: Any) -> dict[str, Any]:
    return {"agreement_id": _in_force(p).uuid}


def end_body(p: Any) -> dict[str, Any]:
    return {"last_day": str(_last["agreement"].valid_from)}


# Who reads: DSS's staff serving KUD, KUD's ordering coordinator (once sent), DFD, the
# auditor and the administrator; KUD's employees and line managers and FIN do not.
READERS = {
    **dict.fromkeys(PERSONAS[1:], 200),
    "employee": 403,
    "manager": 403,
    "outsider": 403,
}
# KUD's coordinator accepts or ends for the ministry; the readers who are no party: 403.
COORDINATOR_ACTS = {**dict.fromkeys(PERSONAS[1:], 403), "coordinator": 200}

WEB: dict[str, Case] = {
    "agreements": Case("GET", READERS),
    "agreement": Case("GET", READERS, sent_id),
    "agreement_print": Case("GET", READERS, sent_id),
    "agreement_step": Case(
        "POST", {**COORDINATOR_ACTS, "coordinator": 302}, sent_id, lambda p: {"step": "accept"}
    ),
}

API: dict[str, Case] = {
    "GET /agreements": Case("GET", READERS, anonymous=401),
    "GET /agreements/{agreement_id}": Case("GET", READERS, sent_id, anonymous=401),
    "POST /agreements": Case(
        "POST",
        dict.fromkeys(PERSONAS[1:], 403),
        body=lambda p: {"provider": "DSS", "ministry": "KUD", "valid_from": "2060-01-01"},
        anonymous=401,
    ),
    "PUT /agreements/{agreement_id}/services": Case(
        "PUT",
        {**COORDINATOR_ACTS, "coordinator": 404},  # a draft: not sent to KUD yet
        draft_id,
        lambda p: {"service_id": str(seeded(p).get(code="srv-mobil").uuid), "volume": 5},
        anonymous=401,
    ),
    "POST /agreements/{agreement_id}/send": Case(
        "POST", {**COORDINATOR_ACTS, "coordinator": 404}, draft_id, anonymous=401
    ),
    "POST /agreements/{agreement_id}/accept": Case(
        "POST", COORDINATOR_ACTS, sent_id, lambda p: {}, anonymous=401
    ),
    "POST /agreements/{agreement_id}/end": Case(
        "POST", COORDINATOR_ACTS, in_force_id, end_body, anonymous=401
    ),
}

# (customer contact serving FIN, provider manager serving FIN), see SCOPED_PERSONAS.
SCOPED_WEB: dict[str, tuple[int, int]] = {
    "agreements": (200, 200),
    "agreement": (404, 404),
    "agreement_print": (404, 404),
    "agreement_step": (404, 404),
}

SCOPED_API: dict[str, tuple[int, int]] = {
    "GET /agreements": (200, 200),
    "GET /agreements/{agreement_id}": (404, 404),
    "POST /agreements": (403, 403),
    "PUT /agreements/{agreement_id}/services": (404, 404),
    "POST /agreements/{agreement_id}/send": (404, 404),
    "POST /agreements/{agreement_id}/accept": (404, 404),
    "POST /agreements/{agreement_id}/end": (404, 404),
}
