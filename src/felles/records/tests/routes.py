"""Access-matrix rows for the records app's pages and API operations (see
tests/test_access_matrix.py). KUD's records are seen by its information-management
coordinator and leaders (the matrix's manager, Per) and by DIO's archive team; every other
persona gets a 404, the anonymous user the login page (401 in the API)."""

from __future__ import annotations

from typing import Any

from felles.testing.matrix import PERSONAS, Case, seeded

ONLY_KUDS_SIDE = {**dict.fromkeys(PERSONAS[1:], 404), "manager": 200}


def kud_job(p, kind: str = "deposit") -> Any:
    """An archive job for an order Kari placed of DIO's deposit service."""
    from felles.core.actor import Actor
    from felles.orders import services as order_services
    from felles.records.models import ArchiveJob

    service = seeded(p).get(code="if-deponering")
    order = order_services.submit_order(
        actor=Actor.system("matrix"),
        orderer=p.employee,
        service=service,
        answers={"beskrivelse": {"label": "Hva", "value": "Avlevering"}},
    )
    return ArchiveJob.objects.create(ministry=p.kud, order=order, kind=kind, title="Avlevering")


def job_id(p) -> dict[str, Any]:
    return {"job_id": kud_job(p).uuid}


def periodisation_id(p) -> dict[str, Any]:
    return {"job_id": kud_job(p, "periodisation").uuid}


def report_job_id(p) -> dict[str, Any]:
    from felles.core.actor import Actor
    from felles.records import services

    job = services.upload_report(
        actor=Actor.system("matrix"),
        job=kud_job(p),
        name="arkade.html",
        content=b"<!DOCTYPE html><html><body>Arkade</body></html>",
    )
    return {"job_id": job.uuid}


def ministry_id(p) -> dict[str, Any]:
    return {"ministry_id": p.kud.uuid}


def plan_kwargs(p) -> dict[str, Any]:
    return {"ministry_id": p.kud.uuid, "year": 2026}


def check_id(p) -> dict[str, Any]:
    from felles.core.actor import Actor
    from felles.records import services

    check = services.create_spot_check(
        actor=Actor.system("matrix"),
        ministry=p.kud,
        title="Stikkprøve",
        filename="journal.csv",
        content=b"saksnummer;tittel\n2026/1;Sak\n2026/2;Sak\n",
        seed=1,
        person=p.manager,
    )
    return {"check_id": check.uuid}


def inspection_id(p) -> dict[str, Any]:
    import datetime as dt

    from felles.core.actor import Actor
    from felles.records import services

    inspection = services.create_inspection(
        actor=Actor.system("matrix"), ministry=p.kud, title="Tilsyn", held_on=dt.date(2026, 3, 1)
    )
    return {"inspection_id": inspection.uuid}


WEB: dict[str, Case] = {
    # Per reaches one ministry: the overview sends him to its page.
    "records_home": Case("GET", {**ONLY_KUDS_SIDE, "manager": 302}),
    "records_ministry": Case("GET", ONLY_KUDS_SIDE, ministry_id),
    "records_periods": Case("GET", ONLY_KUDS_SIDE, ministry_id),
    "records_plan": Case("GET", ONLY_KUDS_SIDE, plan_kwargs),
    "records_job_new": Case("GET", ONLY_KUDS_SIDE, ministry_id),
    "records_checks": Case("GET", ONLY_KUDS_SIDE, ministry_id),
    "records_inspections": Case("GET", ONLY_KUDS_SIDE, ministry_id),
    "records_job": Case("GET", ONLY_KUDS_SIDE, job_id),
    "records_job_report": Case("GET", ONLY_KUDS_SIDE, report_job_id),
    "records_check": Case("GET", ONLY_KUDS_SIDE, check_id),
    "records_inspection": Case("GET", ONLY_KUDS_SIDE, inspection_id),
}

API: dict[str, Case] = {
    "GET /records/jobs": Case("GET", ONLY_KUDS_SIDE, anonymous=401),
    "GET /records/jobs/{job_id}": Case("GET", ONLY_KUDS_SIDE, job_id, anonymous=401),
    "POST /records/jobs/{job_id}/approval": Case(
        "POST", ONLY_KUDS_SIDE, periodisation_id, anonymous=401
    ),
    "GET /records/plan/{ministry_id}/{year}": Case(
        "GET", ONLY_KUDS_SIDE, plan_kwargs, anonymous=401
    ),
}

# (customer contact serving FIN, provider manager serving FIN): DSS staff, no archive team.
SCOPED_WEB: dict[str, tuple[int, int]] = dict.fromkeys(WEB, (404, 404))
SCOPED_API: dict[str, tuple[int, int]] = dict.fromkeys(API, (404, 404))
