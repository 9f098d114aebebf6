"""API router: a bundle order with its children. Whoever sees the parent order reads it,
with the children they may see (a restricted child stays unmentioned, as on the page) and
the one status for the whole bundle. Added under the orders router by
BundlesConfig.ready()."""

import datetime as dt
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router
from pydantic import Field

from felles.bundles import selectors
from felles.bundles.models import BundleLink, BundleOrder
from felles.core.api import responses
from felles.core.permissions import api_requires, authenticated
from felles.core.schemas import Schema
from felles.orders import compiled as order_compiled
from felles.orders import selectors as order_selectors
from felles.orders.models import Order

router = Router(tags=["samlebestillinger"])


class ChildOut(Schema):
    id: UUID
    number: str
    service: str
    provider: str
    status: str
    status_text: str
    due_date: dt.date
    overdue: bool = Field(description="The deadline has passed and the child is still open")


class BundleOut(Schema):
    id: UUID
    number: str
    service: str
    status: str
    readiness: str = Field(description="One status for the whole bundle, in words")
    ready: bool
    anchor_date: dt.date
    person_name: str
    person_linked: bool = Field(description="The person is found in Felles (the HR import)")
    children: list[ChildOut]


@router.get("/orders/{order_id}/bundle", response=responses(BundleOut))
@api_requires(authenticated)
def get_bundle(request: HttpRequest, order_id: UUID) -> object:
    """A bundle's parent order with the children the user may see; 404 for an order that
    is no bundle or that the user does not see."""
    parent = order_compiled.order_or_404(request.user, order_id)
    bundle_order = BundleOrder.objects.filter(order=parent).select_related("bundle").first()
    if bundle_order is None or not order_selectors.may_read_content(request.user, parent):
        raise Http404
    visible = set(
        Order.objects.visible_to(request.user)
        .filter(parent_link__parent=parent)
        .values_list("pk", flat=True)
    )
    links = [
        link
        for link in BundleLink.objects.filter(parent=parent).select_related(
            "child__service__provider"
        )
        if link.child_id in visible
    ]
    status, colour = selectors.readiness(
        [link.child.status for link in links], bundle_order.bundle.anchor_key
    )
    today = timezone.localdate()
    children: list[dict[str, Any]] = [
        {
            "id": link.child.uuid,
            "number": link.child.number,
            "service": link.child.service.name_nb,
            "provider": link.child.service.provider.abbreviation,
            "status": link.child.status,
            "status_text": link.child.status_label,
            "due_date": link.due_date,
            "overdue": link.due_date < today and link.child.status not in selectors.FINISHED,
        }
        for link in links
    ]
    return {
        "id": parent.uuid,
        "number": parent.number,
        "service": parent.service.name_nb,
        "status": parent.status,
        "readiness": status,
        "ready": colour == "success",
        "anchor_date": bundle_order.anchor_date,
        "person_name": bundle_order.person_name,
        "person_linked": bundle_order.person_id is not None,
        "children": children,
    }
