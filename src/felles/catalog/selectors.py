"""Catalogue reads: what a user may see and order, and what it costs their ministry."""

from __future__ import annotations

import copy
import datetime as dt
import secrets
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from felles.catalog.models import (
    ApprovalPolicy,
    CatalogueRevision,
    Funding,
    PriceVersion,
    Service,
    ServiceArea,
    ServiceLevel,
)
from felles.core import formatting, prepared, units
from felles.core.types import AnyUser
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation, Role


def services_for(user: AnyUser) -> QuerySet[Service]:
    """Services a user may see: a ministry employee sees what her ministry may order;
    provider staff and cross-ministry roles see the whole active catalogue."""
    base = Service.objects.select_related("provider", "area").prefetch_related(
        "availability",
        Prefetch("prices", queryset=PriceVersion.objects.order_by("-valid_from")),
        "levels",
    )
    access = org_selectors.access_for(user)
    if access.person is None and not getattr(user, "is_superuser", False):
        return base.none()
    if access.cross_ministry or (
        access.person and access.person.organisation.kind == Organisation.Kind.PROVIDER
    ):
        return base.filter(active=True)
    return base.available_to(access.person.organisation if access.person else None)


def may_order(user: AnyUser) -> bool:
    """Whether the user places orders at all: a person in an organisation, and not the
    read-only auditor (whose role gives sight of everything and the right to change
    nothing). The order page and `orders.services.submit_order` both ask this."""
    access = org_selectors.access_for(user)
    return access.person is not None and not access.has_role(Role.AUDITOR)


def orderable_service(user: AnyUser, service_id: uuid.UUID) -> Service | None:
    """The service with this id if the user's ministry may order it, loaded for ordering
    (availability, prices and form fields); None otherwise."""
    if not may_order(user):
        return None
    person = org_selectors.person_for(user)
    service = service_definition(service_id)
    if service is None or not service.is_orderable_by(person.organisation if person else None):
        return None
    return service


# Ordering reads the same few service definitions over and over. Each process keeps the
# ones it has loaded, tagged with the catalogue revision they were loaded under, and uses
# them while that revision is current: one small query instead of four per order.
_definitions: dict[uuid.UUID, tuple[str, Service]] = {}


def catalogue_revision() -> str | None:
    """The catalogue's current revision token (see `CatalogueRevision`); None where the
    database has no triggers to keep it current."""
    if connection.vendor not in ("postgresql", "sqlite"):
        return None
    # Read for every order: one plain statement, not the ORM's query compiler.
    table = connection.ops.quote_name(CatalogueRevision._meta.db_table)
    rows = prepared.execute(f"SELECT token FROM {table} WHERE id = 1")  # noqa: S608 - a name
    if not rows:  # a flushed database: start a new revision
        return CatalogueRevision.objects.get_or_create(
            pk=1, defaults={"token": secrets.token_hex(16)}
        )[0].token
    return str(rows[0][0])


def service_definition(service_id: uuid.UUID) -> Service | None:
    """One service (active or not) with its availability, prices, levels and form fields. From
    this process's memory while the catalogue revision it was loaded under is current,
    else from the database. The revision is read before the service, so a definition is
    never older than its tag. Every caller gets its own copy to attach things to."""
    revision = catalogue_revision()
    cached = _definitions.get(service_id)
    if cached is not None and revision is not None and cached[0] == revision:
        service = cached[1]
    else:
        loaded = (
            Service.objects.prefetch_related("availability", "prices", "fields", "levels")
            .filter(uuid=service_id)
            .first()
        )
        if loaded is None:
            return None
        service = loaded
        if revision is not None:
            _definitions[service_id] = (revision, service)
    clone = copy.copy(service)
    clone._prefetched_objects_cache = dict(service._prefetched_objects_cache)
    # The revision it was loaded under, for callers that cache by it (bundles' codes).
    clone.catalogue_revision = revision
    return clone


def managed_services(user: AnyUser) -> QuerySet[Service]:
    """Services a provider manager may maintain: her own provider's (a service is offered
    to every ministry, so not by a manager limited to some of them)."""
    access = org_selectors.access_for(user)
    if getattr(user, "is_superuser", False) or access.has_role(Role.ADMINISTRATOR):
        return Service.objects.all()
    return Service.objects.filter(provider_id__in=org_selectors.managed_providers(user))


def service_level_on(service: Service, day: dt.date) -> ServiceLevel | None:
    """The service level valid on `day`: its targets, opening hours and work process (from
    the service's prefetched levels when loaded). The SLA engine asks with the day an order
    reached the provider (`sla.services.targets_for`), so a later level never changes an
    order's targets."""
    return service.level_on(day)


def service_levels(service: Service) -> list[ServiceLevel]:
    """All the service's levels, newest first (the history never changes)."""
    return list(ServiceLevel.objects.filter(service=service).order_by("-valid_from"))


def areas_with_services(services: QuerySet[Service]) -> list[tuple[ServiceArea, list[Service]]]:
    grouped: dict[int, list[Service]] = {}
    for service in services:
        grouped.setdefault(service.area_id, []).append(service)
    return [(area, grouped[area.pk]) for area in ServiceArea.objects.all() if area.pk in grouped]


@dataclass(frozen=True)
class CostStatement:
    """What a service costs one ministry, in words a ministry understands."""

    funding: str
    unit_price: Decimal | None
    text: str


def cost_for(
    service: Service, organisation: Organisation | None, day: dt.date | None = None
) -> CostStatement:
    day = day or timezone.localdate()
    funding = service.funding_for(organisation) if organisation else service.funding
    price = service.price_on(day)
    name = organisation.abbreviation if organisation else _("departementet")
    if funding == Funding.APPROPRIATION:
        return CostStatement(
            funding, None, _("Inkludert – finansiert over leverandørens bevilgning. Ingen faktura.")
        )
    if price is None:
        return CostStatement(
            funding,
            None,
            _("Prisen er ikke fastsatt ennå. Kontakt %(provider)s før du bestiller.")
            % {"provider": service.provider.abbreviation},
        )
    values = {
        "amount": formatting.kroner(price.unit_price),
        "per_unit": units.per_unit(service.unit_code),
        "demo": _(" (demopris)") if price.is_demo else "",
        "ministry": name,
    }
    if funding == Funding.INVOICING:
        return CostStatement(
            funding,
            price.unit_price,
            _("%(amount)s %(per_unit)s%(demo)s, faktureres %(ministry)s.") % values,
        )
    return CostStatement(
        funding,
        price.unit_price,
        _(
            "%(amount)s %(per_unit)s%(demo)s, belastes budsjettet til %(ministry)s "
            "(belastningsfullmakt)."
        )
        % values,
    )


@dataclass(frozen=True)
class PriceTag:
    """The short form of `cost_for`, for a card: «Inkludert» or «kr 560,00 per time»."""

    included: bool
    text: str


def price_tag(
    service: Service, organisation: Organisation | None, day: dt.date | None = None
) -> PriceTag:
    day = day or timezone.localdate()
    funding = service.funding_for(organisation) if organisation else service.funding
    if funding == Funding.APPROPRIATION:
        return PriceTag(True, _("Inkludert"))
    price = service.price_on(day)
    if price is None:
        return PriceTag(False, _("Pris ikke fastsatt"))
    return PriceTag(
        False,
        _("%(amount)s %(per_unit)s")
        % {
            "amount": formatting.kroner(price.unit_price),
            "per_unit": units.per_unit(service.unit_code),
        },
    )


def needs_approval(service: Service) -> bool:
    return service.approval_policy != ApprovalPolicy.NONE


def approval_text(service: Service) -> str:
    policy = service.approval_policy
    if policy == ApprovalPolicy.NONE:
        return _("Ingen godkjenning – bestillingen går rett til leverandøren.")
    if policy == ApprovalPolicy.LINE_MANAGER:
        return _("Nærmeste leder godkjenner.")
    if policy == ApprovalPolicy.LINE_MANAGER_AND_BUDGET:
        return _(
            "Nærmeste leder godkjenner. Når bestillingen faktureres og overstiger "
            "%(limit)s, godkjenner også budsjettdisponenten."
        ) % {"limit": formatting.kroner(service.approval_threshold)}
    if policy == ApprovalPolicy.SECURITY_COORDINATOR:
        return _("Sikkerhetskoordinatoren i departementet godkjenner.")
    return _("En fast godkjennergruppe hos leverandøren godkjenner.")


# --- the catalogue's filters -----------------------------------------------------------

INCLUDED, PAID = "inkludert", "betales"
APPROVAL_YES, APPROVAL_NO = "ja", "nei"


def filter_catalogue(
    services: QuerySet[Service],
    organisation: Organisation | None,
    *,
    area: str = "",
    provider: str = "",
    funding: str = "",
    approval: str = "",
) -> list[Service]:
    """The services matching the catalogue's filters. Funding is the one that applies to
    the user's ministry (an availability row may override the service's), so that filter
    runs on the loaded rows."""
    if area:
        services = services.filter(area__code=area)
    if provider:
        services = services.filter(provider__abbreviation=provider)
    if approval == APPROVAL_YES:
        services = services.exclude(approval_policy=ApprovalPolicy.NONE)
    elif approval == APPROVAL_NO:
        services = services.filter(approval_policy=ApprovalPolicy.NONE)
    found = list(services)
    if funding in (INCLUDED, PAID):
        wanted = funding == INCLUDED
        found = [
            s
            for s in found
            if (
                (s.funding_for(organisation) if organisation else s.funding)
                == Funding.APPROPRIATION
            )
            == wanted
        ]
    return found


def catalogue_choices() -> tuple[list[ServiceArea], list[Organisation]]:
    """The areas and the providers with active services, for the filters."""
    areas = list(ServiceArea.objects.all())
    providers = list(
        Organisation.objects.filter(kind=Organisation.Kind.PROVIDER, services__active=True)
        .distinct()
        .order_by("abbreviation")
    )
    return areas, providers


def group_by_area(
    services: list[Service], areas: list[ServiceArea]
) -> list[tuple[ServiceArea, list[Service]]]:
    grouped: dict[int, list[Service]] = {}
    for service in services:
        grouped.setdefault(service.area_id, []).append(service)
    return [(area, grouped[area.pk]) for area in areas if area.pk in grouped]


def area_index() -> dict[str, ServiceArea]:
    """Service areas by lower-case code and by bokmål name: how imports name an area."""
    index: dict[str, ServiceArea] = {}
    for area in ServiceArea.objects.all():
        index[area.code.lower()] = area
        index[area.name_nb.lower()] = area
    return index


def handling_teams(user: AnyUser) -> tuple[tuple[int, str, int], ...]:
    """(service id, code, provider id) of every service on whose handling team the user's
    person is. Read once a request (kept on the user object, like `access_for`): the menu
    and the start page ask once per area, the order rules once per order."""
    cached = getattr(user, "_felles_handling_teams", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    person = org_selectors.person_for(user)
    teams: tuple[tuple[int, str, int], ...] = ()
    if person is not None:
        teams = tuple(
            Service.objects.filter(handling_team=person)
            .order_by()
            .values_list("pk", "code", "provider_id")
        )
    if getattr(user, "is_authenticated", False):
        user._felles_handling_teams = teams
    return teams


def handling_reach(user: AnyUser, service_codes: tuple[str, ...]) -> frozenset[int] | None:
    """The ministries for which the user is on the handling team of one of the services
    (issue 18's `Service.handling_team`) at the service's provider: the one definition of
    "DSS's personnel-security team", "DIO's FOI team" and the like that the area modules
    use for their own records. None: every ministry (the team member serves them all);
    empty: not on such a team, or no longer working for the provider."""
    if org_selectors.person_for(user) is None:
        return frozenset()
    providers = {provider for _, code, provider in handling_teams(user) if code in service_codes}
    reach: set[int] = set()
    for provider_id in providers:
        served = org_selectors.served_ministries(user, provider_id)
        if served is None:
            return None
        reach |= served
    return frozenset(reach)
