"""Catalogue writes: seeding, service maintenance and price versions (audited)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.catalog import seed, selectors
from felles.catalog.models import (
    MAX_RESOLUTION_HOURS,
    MAX_RESPONSE_HOURS,
    Confidentiality,
    FormField,
    PriceVersion,
    Service,
    ServiceArea,
    ServiceLevel,
)
from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import SYSTEM_ONLY, Conflict, ServiceError, allowed
from felles.core.types import AnyUser
from felles.core.validators import (
    DATE_MIN,
    DATE_RANGE_MESSAGE,
    control_character,
    control_character_message,
    date_in_range,
)
from felles.organisations.models import Organisation, Person, Role
from felles.organisations.selectors import has_role

SERVICE_FIELDS = (
    "name_nb",
    "name_en",
    "summary_nb",
    "description_nb",
    "keywords",
    "mandatory",
    "approval_policy",
    "approval_threshold",
    "active",
)


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
            )
            _seed_level(service, seed.LEVELS[seed.SERVICE_LEVELS.get(row.code, "standard")])
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


@allowed(_maintains, gettext_lazy("Bare leverandørens ledere endrer skjermingen av tjenesten."))
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
        errors["confidentiality"] = [_("Velg åpen, skjermet eller skjermet (sikkerhet).")]
    if confidentiality != Confidentiality.OPEN and not reason_nb.strip():
        errors["reason_nb"] = [_("Skriv hvorfor tjenesten er skjermet.")]
    members = list(team)
    strangers = [p.full_name for p in members if p.organisation_id != service.provider_id]
    if strangers:
        errors["team"] = [
            _("Teamet kan bare ha ansatte hos leverandøren: %(names)s.")
            % {"names": ", ".join(sorted(strangers))}
        ]
    elif not members and confidentiality in (Confidentiality.RESTRICTED, Confidentiality.SECURITY):
        # Restricted or security with nobody at the provider to see or handle its orders.
        errors["team"] = [_("En skjermet tjeneste trenger minst én i saksbehandlerteamet.")]
    if errors:
        raise ServiceError(_("Skjermingen ble ikke lagret."), errors)
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


# --- service levels (issue 18) -----------------------------------------------------------

PRIORITIES = ("low", "normal", "high", "critical")
LEVEL_TARGETS = tuple(f"{p}_{kind}" for p in PRIORITIES for kind in ("response", "resolution"))
LEVEL_TEXTS = {
    "opening_hours": 200,
    "opening_hours_en": 200,
    "work_process": 4000,
    "work_process_en": 4000,
    "basis": 300,
}


def _seed_level(service: Service, level: seed.SeedLevel) -> ServiceLevel:
    """A seeded service's first level, valid from the start of Felles's dates."""
    values = {
        f"{p}_{kind}": Decimal(str(hours))
        for p, pair in zip(PRIORITIES, level.targets, strict=True)
        for kind, hours in zip(("response", "resolution"), pair, strict=True)
    }
    return ServiceLevel.objects.create(
        service=service,
        valid_from=DATE_MIN,
        opening_hours=level.opening_hours,
        opening_hours_en=level.opening_hours_en,
        work_process=level.work_process.format(provider=service.provider.abbreviation),
        work_process_en=level.work_process_en.format(provider=service.provider.abbreviation),
        basis=level.basis,
        **values,
    )


def level_errors(targets: dict[str, Decimal | None], texts: dict[str, str]) -> dict[str, list[str]]:
    """What is wrong with a level's targets (business hours) and texts, by field: every
    target given, response more than 0 and at most MAX_RESPONSE_HOURS, resolution at least
    the response and at most MAX_RESOLUTION_HOURS, two decimals at most; plain texts."""
    errors: dict[str, list[str]] = {}
    for p in PRIORITIES:
        response, resolution = targets.get(f"{p}_response"), targets.get(f"{p}_resolution")
        for name, value in ((f"{p}_response", response), (f"{p}_resolution", resolution)):
            if value is None or not isinstance(value, Decimal) or not value.is_finite():
                errors[name] = [_("Skriv et antall timer.")]
            elif value != value.quantize(Decimal("0.01")):
                errors[name] = [_("Bruk høyst to desimaler.")]
        if f"{p}_response" in errors or f"{p}_resolution" in errors:
            continue
        assert response is not None and resolution is not None
        if response <= 0:
            errors[f"{p}_response"] = [_("Første svar må være mer enn 0 timer.")]
        elif response > MAX_RESPONSE_HOURS:
            errors[f"{p}_response"] = [
                _("Første svar kan være høyst %(max)s timer.") % {"max": MAX_RESPONSE_HOURS}
            ]
        if resolution > MAX_RESOLUTION_HOURS:
            errors[f"{p}_resolution"] = [
                _("Løst innen kan være høyst %(max)s timer.") % {"max": MAX_RESOLUTION_HOURS}
            ]
        elif resolution < response:
            errors[f"{p}_resolution"] = [_("Løst innen kan ikke være kortere enn første svar.")]
    for name, limit in LEVEL_TEXTS.items():
        value = texts.get(name, "")
        char = control_character(value, multiline=name.startswith("work_process"))
        if char is not None:
            errors[name] = [control_character_message(char)]
        elif len(value) > limit:
            errors[name] = [_("Høyst %(max)s tegn.") % {"max": limit}]
    if not texts.get("opening_hours", "").strip() and "opening_hours" not in errors:
        errors["opening_hours"] = [_("Skriv åpningstiden.")]
    return errors


@allowed(_maintains, "Bare leverandørens ledere endrer servicenivået.")
def add_service_level(
    *,
    actor: Actor,
    service: Service,
    valid_from: dt.date,
    targets: dict[str, Decimal | None],
    opening_hours: str,
    work_process: str = "",
    basis: str = "",
    opening_hours_en: str = "",
    work_process_en: str = "",
) -> ServiceLevel:
    """A new service level from `valid_from` (targets in business hours per priority,
    `LEVEL_TARGETS`). History is never rewritten: the new level starts tomorrow at the
    earliest and after every existing one; the open level before it is closed the day
    before, so orders that reached the provider earlier keep their targets. The English
    texts are optional: the English pages show the bokmål where they are blank."""
    texts = {
        "opening_hours": opening_hours,
        "opening_hours_en": opening_hours_en,
        "work_process": work_process,
        "work_process_en": work_process_en,
        "basis": basis,
    }
    errors = level_errors(targets, texts)
    today = timezone.localdate()
    if not date_in_range(valid_from):
        errors["valid_from"] = [str(DATE_RANGE_MESSAGE)]
    elif valid_from <= today:
        errors["valid_from"] = [
            _(
                "Et nytt servicenivå kan tidligst gjelde fra i morgen: bestillinger som "
                "allerede er hos leverandøren, beholder målene de fikk."
            )
        ]
    if errors:
        raise ServiceError(_("Servicenivået ble ikke lagret."), errors)
    try:
        with transaction.atomic():
            # The service row is the lock: of two managers adding a level at once, one wins
            # and the other sees the winner's level below.
            Service.objects.select_for_update().get(pk=service.pk)
            latest = ServiceLevel.objects.filter(service=service).order_by("-valid_from").first()
            if latest is not None and valid_from <= latest.valid_from:
                raise Conflict(
                    _("Et nytt servicenivå må gjelde fra etter %(day)s.")
                    % {"day": f"{latest.valid_from:%d.%m.%Y}"},
                    {"valid_from": [_("Velg en senere dato.")]},
                )
            if latest is not None and latest.valid_to is None:
                latest.valid_to = valid_from - dt.timedelta(days=1)
                latest.save(update_fields=["valid_to", "updated_at"])
                audit.record(
                    actor=actor,
                    action="catalog.level.close",
                    obj=latest,
                    changes={"valid_to": [None, latest.valid_to.isoformat()]},
                )
            level = ServiceLevel.objects.create(
                service=service,
                valid_from=valid_from,
                **{name: value.strip() for name, value in texts.items()},
                **{name: targets[name] for name in LEVEL_TARGETS},
            )
            audit.record(
                actor=actor,
                action="catalog.level.create",
                obj=level,
                changes=audit.diff(
                    {}, audit.snapshot(level, ("valid_from", *LEVEL_TARGETS, *LEVEL_TEXTS))
                ),
            )
    except IntegrityError as exc:  # the same start date from a concurrent request
        raise Conflict(
            _("Et annet servicenivå ble lagret samtidig. Last siden på nytt."),
            {"valid_from": [_("Velg en senere dato.")]},
        ) from exc
    return level


@allowed(SYSTEM_ONLY, "Bare systemet setter sammen saksbehandlerteam fra startdata.")
def join_handling_team(
    *, actor: Actor, codes: Iterable[str], person: Person, reason_nb: str = ""
) -> int:
    """Put `person` on the handling team of each service in `codes` that does not have her
    yet, keeping its class and reason (`reason_nb` where the service has none): how the
    demo and seed data staff an area's team (DSS's security team, DIO's FOI team …).
    Returns how many services changed."""
    changed = 0
    for service in Service.objects.filter(code__in=list(codes)).prefetch_related("handling_team"):
        team = list(service.handling_team.all())
        if person in team:
            continue
        set_confidentiality(
            actor=actor,
            service=service,
            confidentiality=service.confidentiality,
            reason_nb=service.confidentiality_reason_nb or reason_nb,
            reason_en=service.confidentiality_reason_en,
            team=[*team, person],
        )
        changed += 1
    return changed
