"""API router: the service catalogue."""

import datetime as dt
from decimal import Decimal
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.pagination import paginate
from pydantic import Field

from felles.catalog import selectors
from felles.catalog.models import Service, ServiceArea, ServiceLevel
from felles.core.api import Pagination, responses
from felles.core.permissions import api_requires, authenticated, get_visible_or_404
from felles.core.schemas import Schema
from felles.organisations import selectors as org_selectors

router = Router(tags=["tjenestekatalog"])


class AreaOut(Schema):
    id: UUID = Field(alias="uuid")
    code: str
    name_nb: str
    name_en: str


class CostOut(Schema):
    funding: str
    unit_price: Decimal | None
    text: str


class ServiceOut(Schema):
    id: UUID
    code: str
    name_nb: str
    name_en: str
    summary_nb: str
    area: str
    provider: str
    mandatory: bool
    cost_kind: str
    funding: str
    unit_code: str
    unit_label: str
    approval_policy: str
    cost_for_my_ministry: CostOut
    orderable: bool


class FieldOut(Schema):
    key: str
    label: str
    kind: str
    required: bool
    help_text: str
    choices: list[str]


class PriceOut(Schema):
    valid_from: dt.date
    valid_to: dt.date | None
    unit_price: Decimal
    is_demo: bool


class ServiceDetailOut(ServiceOut):
    description_nb: str
    # From the service level valid today (`catalog.ServiceLevel`): hours per priority.
    work_process: str
    work_process_en: str
    opening_hours: str
    opening_hours_en: str
    targets: dict[str, dict[str, float]]
    level_valid_from: dt.date | None
    approval: str
    fields: list[FieldOut]
    prices: list[PriceOut]


def _level_out(level: ServiceLevel | None) -> dict:
    if level is None:
        return {
            "work_process": "",
            "work_process_en": "",
            "opening_hours": "",
            "opening_hours_en": "",
            "targets": {},
            "level_valid_from": None,
        }
    return {
        "work_process": level.work_process,
        "work_process_en": level.work_process_en,
        "opening_hours": level.opening_hours,
        "opening_hours_en": level.opening_hours_en,
        "targets": {
            p: {"response": float(response), "resolution": float(resolution)}
            for p, (response, resolution) in level.targets().items()
        },
        "level_valid_from": level.valid_from,
    }


def _service_out(request: HttpRequest, service: Service) -> dict:
    person = org_selectors.person_for(request.user)
    organisation = person.organisation if person else None
    cost = selectors.cost_for(service, organisation)
    return {
        "id": service.uuid,
        "code": service.code,
        "name_nb": service.name_nb,
        "name_en": service.name_en,
        "summary_nb": service.summary_nb,
        "area": service.area.code,
        "provider": service.provider.abbreviation,
        "mandatory": service.mandatory,
        "cost_kind": service.cost_kind,
        "funding": cost.funding,
        "unit_code": service.unit_code,
        "unit_label": service.unit_label,
        "approval_policy": service.approval_policy,
        "cost_for_my_ministry": cost.__dict__,
        "orderable": service.is_orderable_by(organisation),
    }


@router.get("/catalog/areas", response=responses(list[AreaOut]))
@api_requires(authenticated)
def list_areas(request: HttpRequest) -> object:
    return ServiceArea.objects.all()


@router.get("/catalog/services", response=responses(list[ServiceOut]))
@api_requires(authenticated)
@paginate(Pagination)
def list_services(request: HttpRequest, q: str = "", area: str = "") -> object:
    services = selectors.services_for(request.user)
    if q:
        services = services.search(q)
    if area:
        services = services.filter(area__code=area)
    return [_service_out(request, s) for s in services]


@router.get("/catalog/services/{service_id}", response=responses(ServiceDetailOut))
@api_requires(authenticated)
def get_service(request: HttpRequest, service_id: UUID) -> object:
    service = get_visible_or_404(selectors.services_for(request.user), uuid=service_id)
    return {
        **_service_out(request, service),
        "description_nb": service.description_nb,
        **_level_out(selectors.service_level_on(service, timezone.localdate())),
        "approval": selectors.approval_text(service),
        "fields": [f.as_dict() for f in service.fields.all()],
        "prices": list(service.prices.all()),
    }
