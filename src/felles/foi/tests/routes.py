"""Access-matrix rows for the foi app's pages and API operations (see
tests/test_access_matrix.py). The object is an eInnsyn request to KUD whose case owner is
Per (the manager persona): he sees it and decides its items; nobody else among the standing
personas is in DIO's FOI team or coordinates KUD's information management, so the rest
are refused (403 at the gate). DFD and the auditor see the statistics only. The team's own
paths (import, register, prepare, a team serving FIN only: 404) are tested in
foi/tests/test_pages.py."""

from __future__ import annotations

import itertools
from typing import Any

from felles.core.actor import Actor
from felles.testing.matrix import PERSONAS, Case, seeded

SYSTEM = Actor.system("matrix")
_ids = itertools.count()


def _request(p: Any) -> Any:
    from felles.foi import services
    from felles.foi.tests.factories import order_file

    seeded(p)
    content = order_file(f"ik-matrix-{next(_ids)}", documents=1)
    return services.import_order_file(actor=SYSTEM, content=content, case_owner=p.manager).request


def request_id(p: Any) -> dict[str, Any]:
    return {"request_id": _request(p).uuid}


def item_id(p: Any) -> dict[str, Any]:
    foi = _request(p)
    return {"request_id": foi.uuid, "item_id": foi.items.get().uuid}


def _answered(p: Any) -> Any:
    """A request Per has decided and answered today (full access)."""
    from felles.foi import services

    foi = _request(p)
    foi.refresh_from_db()
    per = Actor(user=p.manager.user)
    services.decide_item(actor=per, item=foi.items.get(), values={"outcome": "full"})
    return services.send_answer(actor=per, request=foi, text="Svar")


def answered_id(p: Any) -> dict[str, Any]:
    return {"request_id": _answered(p).uuid}


def appeal_id(p: Any) -> dict[str, Any]:
    from django.utils import timezone

    from felles.foi import services

    foi = _answered(p)
    appeal = services.register_appeal(
        actor=Actor(user=p.manager.user), request=foi, received_on=timezone.localdate()
    )
    return {"request_id": foi.uuid, "appeal_id": appeal.uuid}


def _today(p: Any) -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()


def with_request(p: Any) -> dict[str, Any]:
    _request(p)
    return {}


NOBODY = dict.fromkeys(PERSONAS[1:], 403)
OWNER = {**NOBODY, "manager": 200}
# One request: everyone who cannot see it gets 404 (the gate lets every signed-in user ask).
HIDDEN = dict.fromkeys(PERSONAS[1:], 404)
SEEN = {**HIDDEN, "manager": 200}
STATISTICS = {**NOBODY, "governance": 200, "auditor": 200}

WEB: dict[str, Case] = {
    "foi_requests": Case("GET", OWNER, with_request),
    "foi_register": Case("GET", NOBODY),
    "foi_import": Case("GET", NOBODY),
    "foi_statistics": Case("GET", STATISTICS),
    "foi_request": Case("GET", SEEN, request_id),
    # Per decides, but naming the case owner is the team's and the coordinator's.
    "foi_request_step": Case(
        "POST",
        {**HIDDEN, "manager": 403},
        request_id,
        lambda p: {"step": "owner", "person": p.manager.pk},
    ),
    "foi_item": Case("GET", SEEN, item_id),
}

API: dict[str, Case] = {
    "POST /foi/einnsyn": Case(
        "POST", NOBODY, body=lambda p: {"xml": "<bestilling/>"}, anonymous=401
    ),
    "GET /foi/requests": Case("GET", OWNER, with_request, anonymous=401),
    "GET /foi/requests/{request_id}": Case("GET", SEEN, request_id, anonymous=401),
    "PUT /foi/requests/{request_id}/case-owner": Case(
        "PUT",
        {**HIDDEN, "manager": 403},
        request_id,
        lambda p: {"person_id": str(p.manager.uuid)},
        anonymous=401,
    ),
    "PUT /foi/requests/{request_id}/items/{item_id}/proposal": Case(
        "PUT", {**HIDDEN, "manager": 403}, item_id, lambda p: {"outcome": "full"}, anonymous=401
    ),
    "PUT /foi/requests/{request_id}/items/{item_id}/decision": Case(
        "PUT", SEEN, item_id, lambda p: {"outcome": "full"}, anonymous=401
    ),
    # Fuller reasons and appeals: the team and the case owner (Per) record them.
    "PUT /foi/requests/{request_id}/fuller-reasons": Case(
        "PUT", SEEN, answered_id, lambda p: {"asked_on": _today(p)}, anonymous=401
    ),
    "POST /foi/requests/{request_id}/appeals": Case(
        "POST",
        {**HIDDEN, "manager": 201},
        answered_id,
        lambda p: {"received_on": _today(p)},
        anonymous=401,
    ),
    "PUT /foi/requests/{request_id}/appeals/{appeal_id}/outcome": Case(
        "PUT",
        SEEN,
        appeal_id,
        lambda p: {"result": "upheld", "decided_on": _today(p)},
        anonymous=401,
    ),
    "GET /foi/statistics": Case("GET", STATISTICS, anonymous=401),
}

# (customer contact serving FIN, provider manager serving FIN): no FOI work, no statistics.
SCOPED_WEB: dict[str, tuple[int, int]] = {
    **dict.fromkeys(WEB, (403, 403)),
    **dict.fromkeys(("foi_request", "foi_request_step", "foi_item"), (404, 404)),
}
SCOPED_API: dict[str, tuple[int, int]] = {
    key: (404, 404) if "{" in key else (403, 403) for key in API
}
