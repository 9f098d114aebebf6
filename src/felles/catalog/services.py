"""Catalogue writes: seeding, service maintenance and price versions (audited)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction

from felles.catalog import seed, selectors
from felles.catalog.models import (
    Confidentiality,
    FormField,
    PriceVersion,
    Service,
    ServiceArea,
)
from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import SYSTEM_ONLY, Conflict, ServiceError, allowed
from felles.core.types import AnyUser
from felles.core.validators import DATE_RANGE_MESSAGE, date_in_range
from felles.organisations.models import Organisation, Person, Role
from felles.organisations.selectors import has_role

SERVICE_FIELDS = (
    "name_nb",
    "name_en",
    "summary_nb",
    "description_nb",
    "work_process",
    "keywords",
    "opening_hours",
    "mandatory",
    "approval_policy",
    "approval_threshold",
    "active",
)
DEFAULT_TARGETS = {
    "low": {"response": 16, "resolution": 80},
    "normal": {"response": 8, "resolution": 40},
    "high": {"response": 4, "resolution": 16},
    "critical": {"response": 1, "resolution": 8},
}


def _maintains(user: AnyUser, service: Service, **_: Any) -> bool:
    """The provider's managers (and administrators) maintain its services."""
    return selectors.managed_services(user).filter(pk=service.pk).exists()


def _prices(user: AnyUser, service: Service, **_: Any) -> bool:
    """Prices: the service's maintainers, and DFD when it approves a price list."""
    return has_role(user, Role.GOVERNANCE) or _maintains(user, service)


@allowed(SYSTEM_ONLY, "Katalogen sås bare av systemet.")
def seed_catalogue(*, actor: Actor, price_from: dt.date) -> int:
    """Create the seed catalogue (idempotent by service code). Returns services created."""
    created = 0
    providers = {o.abbreviation: o for o in Organisation.objects.providers()}
    with transaction.atomic():
        areas = {}
        for code, name_nb, name_en, position in seed.AREAS:
            area, new = ServiceArea.objects.get_or_create(
                code=code, defaults={"name_nb": name_nb, "name_en": name_en, "position": position}
            )
            if new:
                audit.record(
                    actor=actor,
                    action="catalog.area.create",
                    obj=area,
                    changes={"name_nb": [None, name_nb]},
                )
            areas[code] = area
        for row in seed.SERVICES:
            if Service.objects.filter(code=row.code).exists():
                continue
            service = Service.objects.create(
                provider=providers[row.provider],
                area=areas[row.area],
                code=row.code,
                name_nb=row.name_nb,
                name_en=row.name_en,
                summary_nb=row.summary,
                description_nb=row.summary,
                keywords=row.keywords,
                mandatory=row.mandatory,
                cost_kind=row.cost_kind,
                funding=row.funding,
                unit_code=row.unit_code,
                unit_label=row.unit_label,
                approval_policy=row.policy,
                approval_threshold=Decimal("5000.00"),
                confidentiality=seed.CONFIDENTIALITY.get(row.code, ("open",))[0],
                confidentiality_reason_nb=seed.CONFIDENTIALITY.get(row.code, ("", ""))[1],
                confidentiality_reason_en=seed.CONFIDENTIALITY.get(row.code, ("", "", ""))[2],
                targets=DEFAULT_TARGETS,
                work_process="1. Bestilling og eventuell godkjenning i Felles.\n"
                f"2. {row.provider} tar saken og avklarer detaljer med deg.\n"
                "3. Leveranse, og du bekrefter at saken er løst.",
            )
            for position, spec in enumerate(seed.FORMS[row.form]):
                FormField.objects.create(service=service, position=position, **spec)
            if row.price is not None:
                PriceVersion.objects.create(
                    service=service,
                    valid_from=price_from,
                    unit_price=row.price,
                    is_demo=True,
                    basis="Demopris – ikke vedtatt.",
                )
            audit.record(
                actor=actor,
                action="catalog.service.create",
                obj=service,
                changes=audit.diff({}, audit.snapshot(service, SERVICE_FIELDS)),
            )
            created += 1
    return created


@allowed(_maintains, "Bare leverandørens ledere vedlikeholder tjenesten.")
def update_service(*, actor: Actor, service: Service, values: dict[str, Any]) -> Service:
    with transaction.atomic():
        locked = Service.objects.select_for_update().get(pk=service.pk)
        before = audit.snapshot(locked, SERVICE_FIELDS)
        for name in SERVICE_FIELDS:
            if name in values:
                setattr(locked, name, values[name])
        audit.save_audited(
            locked,
            actor=actor,
            fields=SERVICE_FIELDS,
            before=before,
            action="catalog.service.update",
        )
    return locked


@allowed(_prices, "Bare leverandørens ledere og DFD fører priser for tjenesten.")
def add_price_version(
    *,
    actor: Actor,
    service: Service,
    valid_from: dt.date,
    unit_price: Decimal,
    basis: str = "",
    is_demo: bool = False,
) -> PriceVersion:
    """Add a price from `valid_from`. The open version before it is closed the day before;
    history is never rewritten, so a new price may not start on or before an existing one."""
    if unit_price < 0:
        raise ServiceError(
            "Prisen kan ikke være negativ.", {"unit_price": ["Må være 0 eller mer."]}
        )
    if not date_in_range(valid_from):  # 31.12.9999 would block every later price
        raise ServiceError(DATE_RANGE_MESSAGE, {"valid_from": [DATE_RANGE_MESSAGE]})
    with transaction.atomic():
        Service.objects.select_for_update().get(pk=service.pk)
        latest = service.prices.order_by("-valid_from").first()
        if latest is not None and valid_from <= latest.valid_from:
            raise Conflict(
                f"En ny pris må gjelde fra etter {latest.valid_from:%d.%m.%Y}.",
                {"valid_from": ["Velg en senere dato."]},
            )
        if latest is not None and latest.valid_to is None:
            latest.valid_to = valid_from - dt.timedelta(days=1)
            latest.save(update_fields=["valid_to", "updated_at"])
            audit.record(
                actor=actor,
                action="catalog.price.close",
                obj=latest,
                changes={"valid_to": [None, latest.valid_to.isoformat()]},
            )
        version = PriceVersion.objects.create(
            service=service,
            valid_from=valid_from,
            unit_price=unit_price,
            basis=basis,
            is_demo=is_demo,
        )
        audit.record(
            actor=actor,
            action="catalog.price.create",
            obj=version,
            changes={
                "unit_price": [None, str(unit_price)],
                "valid_from": [None, valid_from.isoformat()],
            },
        )
    return version


CONFIDENTIALITY_FIELDS = (
    "confidentiality",
    "confidentiality_reason_nb",
    "confidentiality_reason_en",
)


@allowed(_maintains, "Bare leverandørens ledere endrer skjermingen av tjenesten.")
def set_confidentiality(
    *,
    actor: Actor,
    service: Service,
    confidentiality: str,
    reason_nb: str,
    reason_en: str = "",
    team: Iterable[Person] = (),
) -> Service:
    """Set the service's confidentiality class, the reason shown in the catalogue and its
    handling team (the provider staff who see its orders). Audited; visibility reads the
    service's current class, so a change applies to its existing orders at once."""
    errors: dict[str, list[str]] = {}
    if confidentiality not in Confidentiality.values:
        errors["confidentiality"] = ["Velg åpen, skjermet eller skjermet (sikkerhet)."]
    if confidentiality != Confidentiality.OPEN and not reason_nb.strip():
        errors["reason_nb"] = ["Skriv hvorfor tjenesten er skjermet."]
    members = list(team)
    strangers = [p.full_name for p in members if p.organisation_id != service.provider_id]
    if strangers:
        errors["team"] = [
            "Teamet kan bare ha ansatte hos leverandøren: " + ", ".join(sorted(strangers)) + "."
        ]
    if errors:
        raise ServiceError("Skjermingen ble ikke lagret.", errors)
    with transaction.atomic():
        locked = Service.objects.select_for_update().get(pk=service.pk)
        before = audit.snapshot(locked, CONFIDENTIALITY_FIELDS)
        before_team = sorted(str(p.uuid) for p in locked.handling_team.all())
        locked.confidentiality = confidentiality
        locked.confidentiality_reason_nb = reason_nb.strip()
        locked.confidentiality_reason_en = reason_en.strip()
        locked.save(update_fields=[*CONFIDENTIALITY_FIELDS, "updated_at"])
        locked.handling_team.set(members)
        changes = audit.diff(before, audit.snapshot(locked, CONFIDENTIALITY_FIELDS))
        after_team = sorted(str(p.uuid) for p in members)
        if after_team != before_team:
            changes["handling_team"] = [before_team, after_team]
        if changes:
            audit.record(
                actor=actor, action="catalog.service.confidentiality", obj=locked, changes=changes
            )
    return locked
