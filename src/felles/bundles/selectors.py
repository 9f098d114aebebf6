"""Bundle reads: the bundles one may order, and the order page's section on linked
orders (for a parent: its children, their deadlines and one «klar til første dag»
status; for a child: its parent). Only orders the user may see are named."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from felles.bundles.models import Bundle, BundleLink, BundleOrder
from felles.catalog.models import Service
from felles.core.types import AnyUser
from felles.orders import selectors as order_selectors
from felles.orders import states
from felles.orders.models import Order
from felles.organisations import selectors as org_selectors

DONE = frozenset({states.Status.RESOLVED.value, states.Status.CLOSED.value})
FAILED = frozenset({states.Status.CANCELLED.value, states.Status.REJECTED.value})


def orderable_bundle(service_uuid: Any) -> Bundle | None:
    return (
        Bundle.objects.select_related("service", "service__provider")
        .filter(service__uuid=service_uuid, active=True, service__active=True)
        .first()
    )


def may_edit(user: AnyUser, bundle: Bundle) -> bool:
    """The provider's managers maintain the bundle (asked to show the form)."""
    return org_selectors.manages_provider(user, bundle.service.provider_id)


def order_form_url(*, service: Service) -> str | None:
    """orders.events.order_form_url: a bundle service is ordered on the bundle's form."""
    if Bundle.objects.filter(service=service, active=True).exists():
        return reverse("bundle_new", kwargs={"service_id": service.uuid})
    return None


def readiness(statuses: list[str]) -> tuple[str, str]:
    """One status for the whole bundle, and its colour: ready on day one when every child
    is delivered; otherwise how many are, and any refused or cancelled."""
    total = len(statuses)
    done = sum(s in DONE for s in statuses)
    failed = sum(s in FAILED for s in statuses)
    if total and done == total:
        return _("Klar til første dag"), "success"
    if failed:
        return (
            _("%(failed)s av %(total)s delbestillinger er avvist eller kansellert – følg opp")
            % {"failed": failed, "total": total},
            "danger",
        )
    return _("%(done)s av %(total)s delbestillinger levert") % {
        "done": done,
        "total": total,
    }, "info"


def link_section(*, order: Order, user: AnyUser) -> str:
    """orders.events.order_links: the section the order page shows ('' when unlinked)."""
    visible = Order.objects.visible_to(user)
    links = list(
        BundleLink.objects.filter(parent=order)
        .select_related("child", "child__service", "child__service__provider")
        .order_by("due_date", "id")
    )
    if links:
        seen = set(
            visible.filter(pk__in=[link.child_id for link in links]).values_list("pk", flat=True)
        )
        bundle_order = BundleOrder.objects.filter(order=order).first()
        # Only the children the reader sees count (a restricted child stays unmentioned).
        status, colour = readiness([link.child.status for link in links if link.child_id in seen])
        return render_to_string(
            "bundles/_children.html",
            {
                "order": order,
                "links": links,
                "seen": seen,
                "status": status,
                "colour": colour,
                "bundle_order": bundle_order,
                "may_cancel": order_selectors.is_customer(user, order)
                and any(
                    states.allowed("cancel", s)
                    for s in [order.status, *(link.child.status for link in links)]
                ),
            },
        )
    parent_link = (
        BundleLink.objects.filter(child=order, parent__in=visible)
        .select_related("parent", "parent__service")
        .first()
    )
    if parent_link is None:
        return ""
    return SafeString(render_to_string("bundles/_parent.html", {"link": parent_link}))
