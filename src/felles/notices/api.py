"""API: notices — the list, publishing one, a notice with its receipts (for the sender)
and a coordinator's confirmation. The same services and visibility rules as the pages."""

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status

from felles.catalog.models import ServiceArea
from felles.core.actor import Actor
from felles.core.api import Pagination, responses
from felles.core.permissions import api_requires, authenticated, get_visible_or_404
from felles.core.services import ServiceError
from felles.governance.selectors import decision_log
from felles.notices import selectors, services
from felles.notices.models import Notice
from felles.notices.schemas import KindName, NoticeDetailOut, NoticeIn, NoticeOut
from felles.organisations.models import Organisation

router = Router(tags=["kunngjoringer"])


def _out(n: Notice) -> dict[str, Any]:
    return {
        "id": n.uuid,
        "kind": n.kind,
        "title": n.title,
        "body": n.body,
        "area": n.area.code if n.area else None,
        "audience": [o.abbreviation for o in n.audience.all()],
        "author": n.author_organisation.abbreviation,
        "published_at": n.published_at,
        "requires_confirmation": n.requires_confirmation,
    }


def _detail(request: HttpRequest, n: Notice) -> dict[str, Any]:
    receipts = None
    if selectors.is_sender(request.user, n):
        receipts = [
            {
                "ministry": r.ministry.abbreviation,
                "fetched_at": r.fetched_at,
                "fetches": r.fetches,
                "confirmed_at": r.confirmation.created_at if r.confirmation else None,
                "confirmed_by": (
                    (
                        r.confirmation.confirmed_by.full_name
                        if r.confirmation.confirmed_by
                        else r.confirmation.confirmed_by_label
                    )
                    if r.confirmation
                    else None
                ),
            }
            for r in selectors.receipts(n)
        ]
    return {**_out(n), "receipts": receipts}


@router.get("/notices", response=responses(list[NoticeOut]))
@api_requires(authenticated)
@paginate(Pagination)
def list_notices(request: HttpRequest, area: str = "", kind: KindName | None = None) -> object:
    found = selectors.notices_for(request.user, area=area[:40], kind=kind or "")
    return [_out(n) for n in found.prefetch_related("audience")]


@router.post("/notices", response=responses(NoticeDetailOut, 201))
@api_requires(selectors.may_write)
def publish_notice(request: HttpRequest, payload: NoticeIn) -> Status:
    errors: dict[str, list[str]] = {}
    area = ServiceArea.objects.filter(code=payload.area).first() if payload.area else None
    if payload.area and area is None:
        errors["area"] = ["Ukjent tjenesteområde."]
    audience = list(Organisation.objects.customers().filter(abbreviation__in=payload.audience))
    missing = sorted(set(payload.audience) - {o.abbreviation for o in audience})
    if missing:
        errors["audience"] = ["Ukjente departementer: " + ", ".join(missing)]
    case = decision_log().filter(number=payload.case).first() if payload.case else None
    if payload.case and case is None:
        errors["case"] = ["Fant ikke saken i vedtaksloggen."]
    if errors:
        raise ServiceError("Kunngjøringen har ugyldige felt.", errors)
    notice = services.publish_notice(
        actor=Actor.from_request(request),
        kind=payload.kind,
        title=payload.title,
        body=payload.body,
        area=area,
        audience=audience,
        requires_confirmation=payload.requires_confirmation,
        case=case,
    )
    return Status(201, _detail(request, notice))


@router.get("/notices/{notice_id}", response=responses(NoticeDetailOut))
@api_requires(authenticated)
def get_notice(request: HttpRequest, notice_id: UUID) -> object:
    return _detail(request, get_visible_or_404(selectors.notices_for(request.user), uuid=notice_id))


@router.post("/notices/{notice_id}/confirmation", response=responses(NoticeDetailOut))
@api_requires(authenticated)
def confirm_notice(request: HttpRequest, notice_id: UUID) -> object:
    """The caller, as their ministry's ordering coordinator, confirms the notice."""
    notice = get_visible_or_404(selectors.notices_for(request.user), uuid=notice_id)
    services.confirm_notice(
        actor=Actor.from_request(request),
        notice=notice,
        ministry=selectors.may_confirm(request.user, notice),  # type: ignore[arg-type]
    )
    return _detail(request, notice)
