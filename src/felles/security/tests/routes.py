"""Access-matrix rows for the security app's pages and API operations (see
tests/test_access_matrix.py).

The register of KUD is seen by KUD's leader (Per: a line manager with nobody above him),
KUD's security coordinators and DSS's personnel-security team (the handling team of the
sik-klarering/sik-autorisasjon services); everyone else gets a 404: Kari, Ingrid, FIN's
Ola, Ole (a DSS agent outside the team), DFD's governance, the auditor and the
administrator; the same for the list's archive (issuing, the issued lists, one issued
list). The read log and the discard register are the ministry side's and the
auditor's (a 403 page for the rest). security/tests/test_access.py adds the coordinator,
the team member and FIN's coordinator."""

from __future__ import annotations

import datetime as dt
from typing import Any

from felles.core.actor import Actor
from felles.testing.matrix import NOBODY, PERSONAS, Case

ONLY_LEADER = {**dict.fromkeys(PERSONAS[1:], 404), "manager": 200}
LEADER_WRITES = {**ONLY_LEADER, "manager": 302}
LEADER_CREATES = {**ONLY_LEADER, "manager": 201}
LOG_READERS = {**NOBODY, "manager": 200, "auditor": 200}


def kud_rows(p) -> dict[str, Any]:
    """Kari's clearance, authorisation and re-clearance draft in KUD's register."""
    from felles.security import services
    from felles.security.models import Authorisation, Reclearance

    actor = Actor.system("matrix")
    existing = Authorisation.objects.filter(person=p.employee).first()
    if existing is None:
        clearance = services.add_clearance(
            actor=actor,
            ministry=p.kud,
            person=p.employee,
            level="hemmelig",
            decided_on=dt.date(2022, 1, 10),
            expires_on=dt.date(2027, 1, 10),
        )
        services.add_declaration(
            actor=actor, ministry=p.kud, person=p.employee, signed_on=dt.date(2022, 1, 20)
        )
        existing = services.add_authorisation(
            actor=actor,
            ministry=p.kud,
            person=p.employee,
            level="hemmelig",
            granted_on=dt.date(2022, 2, 1),
            authorised_by="Departementsråden",
            conversation_on=dt.date(2022, 1, 20),
        )
        Reclearance.objects.create(clearance=clearance, ministry=p.kud)
    renewal = Reclearance.objects.get(clearance__person=p.employee)
    return {"authorisation": existing, "renewal": renewal}


def issued_kwargs(p) -> dict[str, Any]:
    """KUD's VF § 72 list, issued (with Kari on it)."""
    from felles.security import archive
    from felles.security.models import IssuedList

    kud_rows(p)
    issued = IssuedList.objects.filter(ministry=p.kud).first() or archive.issue_list(
        actor=Actor.system("matrix"), ministry=p.kud
    )
    return {"list_id": issued.uuid}


def end_kwargs(p) -> dict[str, Any]:
    return {"kind": "autorisasjon", "row_id": kud_rows(p)["authorisation"].uuid}


def conversation_kwargs(p) -> dict[str, Any]:
    return {"row_id": kud_rows(p)["authorisation"].uuid}


def prepare_kwargs(p) -> dict[str, Any]:
    return {"clearance_id": kud_rows(p)["renewal"].clearance.uuid}


def renewal_kwargs(p) -> dict[str, Any]:
    return {"renewal_id": kud_rows(p)["renewal"].uuid}


WEB: dict[str, Case] = {
    "security_register": Case("GET", ONLY_LEADER, kwargs=lambda p: kud_rows(p) and {}),
    "security_authorised": Case("GET", ONLY_LEADER, kwargs=lambda p: kud_rows(p) and {}),
    "security_issue": Case(
        "POST",
        LEADER_WRITES,
        kwargs=lambda p: kud_rows(p) and {},
        body=lambda p: {"departement": "KUD"},
    ),
    "security_issued_lists": Case("GET", ONLY_LEADER, kwargs=lambda p: issued_kwargs(p) and {}),
    "security_issued_list": Case("GET", ONLY_LEADER, kwargs=issued_kwargs),
    "security_add": Case("GET", ONLY_LEADER, kwargs=lambda p: {"kind": "autorisasjon"}),
    "security_end": Case(
        "POST", LEADER_WRITES, kwargs=end_kwargs, body=lambda p: {"ended_on": "2026-11-01"}
    ),
    "security_conversation": Case(
        "POST", LEADER_WRITES, kwargs=conversation_kwargs, body=lambda p: {"held_on": "2026-11-02"}
    ),
    "security_prepare": Case("POST", LEADER_WRITES, kwargs=prepare_kwargs),
    "security_reclearance": Case("GET", ONLY_LEADER, kwargs=renewal_kwargs),
    "security_decision": Case("GET", ONLY_LEADER, kwargs=renewal_kwargs),
    "security_reads": Case("GET", LOG_READERS),
    "security_disposal": Case("GET", LOG_READERS),
}

API: dict[str, Case] = {
    "GET /security/{ministry}/register": Case(
        "GET", ONLY_LEADER, anonymous=401, kwargs=lambda p: kud_rows(p) and {"ministry": "KUD"}
    ),
    "GET /security/rows/{row_id}": Case(
        "GET",
        ONLY_LEADER,
        anonymous=401,
        kwargs=lambda p: {"row_id": kud_rows(p)["authorisation"].uuid},
    ),
    "POST /security/{ministry}/authorisations": Case(
        "POST",
        LEADER_CREATES,
        anonymous=401,
        kwargs=lambda p: {"ministry": "KUD"},
        body=lambda p: {
            "person": str(p.coordinator.uuid),
            "level": "begrenset",
            "granted_on": "2026-11-02",
            "authorised_by": "Departementsråden",
        },
    ),
    "POST /security/rows/{row_id}/conversation": Case(
        "POST",
        ONLY_LEADER,
        anonymous=401,
        kwargs=conversation_kwargs,
        body=lambda p: {"held_on": "2026-11-02"},
    ),
}

# (customer contact serving FIN, provider manager serving FIN): neither reaches KUD's rows.
SCOPED_WEB: dict[str, tuple[int, int]] = {
    "security_register": (404, 404),
    "security_authorised": (404, 404),
    "security_issue": (404, 404),
    "security_issued_lists": (404, 404),
    "security_issued_list": (404, 404),
    "security_add": (404, 404),
    "security_end": (404, 404),
    "security_conversation": (404, 404),
    "security_prepare": (404, 404),
    "security_reclearance": (404, 404),
    "security_decision": (404, 404),
    "security_reads": (403, 403),
    "security_disposal": (403, 403),
}

SCOPED_API: dict[str, tuple[int, int]] = {
    "GET /security/{ministry}/register": (404, 404),
    "GET /security/rows/{row_id}": (404, 404),
    "POST /security/{ministry}/authorisations": (404, 404),
    "POST /security/rows/{row_id}/conversation": (404, 404),
}
