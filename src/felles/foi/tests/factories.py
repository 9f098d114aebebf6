"""The FOI cast for tests: Hilde in DIO's FOI team (the handling team of `if-innsyn`,
serving every ministry), Eva coordinating KUD's information management, Per as KUD's case
owner; FIN's Ola is the wrong ministry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from felles.catalog import services as catalog_services
from felles.catalog.models import Service
from felles.core.actor import Actor
from felles.organisations.models import Organisation, Role
from felles.organisations.tests.factories import make_person

SYSTEM = Actor.system("test")
EXAMPLE = Path(__file__).with_name("einnsyn-order-example.xml")  # from ../shared/einnsyn


def order_file(
    order_id: str = "ik-test-1",
    *,
    email: str = "journalist@example.invalid",
    agency_email: str = "postmottak@kud.dep.no",
    agency: str = "Kultur- og likestillingsdepartementet",
    documents: int = 2,
    ordered: str = "2026-11-16T09:14:22+01:00",
) -> bytes:
    docs = "".join(
        f"<dokumenter><dokument><saksnr>2026/1187</saksnr><dokumentnr>{i}</dokumentnr>"
        f"<journalnr>{20930 + i}</journalnr><saksbehandler>Kari Nordmann</saksbehandler>"
        "</dokument></dokumenter>"
        for i in range(1, documents + 1)
    )
    contact = f"<e-post>{email}</e-post>" if email else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?><bestilling>'
        f"<id>{order_id}</id><bestillingsdato>{ordered}</bestillingsdato>"
        f"<til><enhet>{agency}</enhet>"
        f"<enhetepost>{agency_email}</enhetepost></til>"
        f"<kontaktinfo><forsendelsesmåte>e-post</forsendelsesmåte>{contact}</kontaktinfo>"
        f"{docs}</bestilling>"
    ).encode()


def foi_cast(p: Any) -> Any:
    """Adds `dio`, `hilde` (FOI team), `eva` (KUD's coordinator) to the personas; the seed
    catalogue must be loaded."""
    if getattr(p, "hilde", None) is not None:
        return p
    if not Service.objects.exists():
        catalog_services.seed_catalogue(actor=SYSTEM, price_from=dt.date(2026, 1, 1))
    p.dio = Organisation.objects.get(abbreviation="DIO")
    p.hilde = make_person(p.dio, "hilde", roles=[Role.PROVIDER_AGENT])
    p.eva = make_person(p.kud, "eva", roles=[Role.INFORMATION_COORDINATOR])
    service = Service.objects.get(code="if-innsyn")
    catalog_services.set_confidentiality(
        actor=SYSTEM,
        service=service,
        confidentiality=service.confidentiality,
        reason_nb=service.confidentiality_reason_nb or "Innsynskrav",
        team=[p.hilde],
    )
    return p
