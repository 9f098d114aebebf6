"""Access-matrix rows for the notices app's pages and API operations (see
tests/test_access_matrix.py). The notice goes to every ministry and asks for
confirmation: everyone signed in reads it; DFD (and providers' managers) publish; KUD's
ordering coordinator confirms and makes KUD's intranet key; the feeds want a key or a
session (401, never a login page)."""

from __future__ import annotations

from typing import Any

from felles.core.actor import Actor
from felles.testing.matrix import ALL, NOBODY, Case


def _notice(p: Any) -> Any:
    from felles.notices import services

    return services.publish_notice(
        actor=Actor(user=p.governance.user, request_id="matrix"),
        kind="outage",
        title="Nedetid",
        body="Tekst",
        requires_confirmation=True,
    )


def notice_id(p: Any) -> dict[str, Any]:
    return {"notice_id": _notice(p).uuid}


ONLY_DFD = {**NOBODY, "governance": 200}
ONLY_COORDINATOR = {**NOBODY, "coordinator": 200}

WEB: dict[str, Case] = {
    "notices": Case("GET", ALL),
    "notice_new": Case("GET", ONLY_DFD),
    "notice_feed_key": Case("GET", ONLY_COORDINATOR),
    "notice_feed_atom": Case("GET", ALL, anonymous=401),
    "notice_feed_json": Case("GET", ALL, anonymous=401),
    "notice": Case("GET", ALL, kwargs=notice_id),
}

API: dict[str, Case] = {
    "GET /notices": Case("GET", ALL, anonymous=401),
    "POST /notices": Case(
        "POST",
        {**NOBODY, "governance": 201},
        body=lambda p: {"kind": "other", "title": "Hei", "body": "Tekst"},
        anonymous=401,
    ),
    "GET /notices/{notice_id}": Case("GET", ALL, kwargs=notice_id, anonymous=401),
    "POST /notices/{notice_id}/confirmation": Case(
        "POST", ONLY_COORDINATOR, kwargs=notice_id, anonymous=401
    ),
}

# (customer contact serving FIN, provider manager serving FIN), see SCOPED_PERSONAS.
SCOPED_WEB: dict[str, tuple[int, int]] = {
    "notices": (200, 200),
    "notice_new": (403, 200),
    "notice_feed_key": (403, 403),
    "notice_feed_atom": (200, 200),
    "notice_feed_json": (200, 200),
    "notice": (200, 200),
}

SCOPED_API: dict[str, tuple[int, int]] = {
    "GET /notices": (200, 200),
    "POST /notices": (403, 201),
    "GET /notices/{notice_id}": (200, 200),
    "POST /notices/{notice_id}/confirmation": (403, 403),
}
