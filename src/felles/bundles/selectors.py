"""Bundle reads: the bundles one may order, and the order page's section on linked
orders (for a parent: its children, their deadlines and one «klar til første dag»
status; for a child: its parent). Only orders the user may see are named."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.bundles.models import Bundle, BundleItem, BundleLink, BundleOrder
from felles.catalog import selectors as catalog_selectors
from felles.catalog.models import Service
from felles.core.types import AnyUser
from felles.orders import selectors as order_selectors
from felles.orders import states
from felles.orders.models import Order
from felles.organisations import selectors as org_selectors

DONE = frozenset({states.Status.RESOLVED.value, states.Status.CLOSED.value})
FAILED = frozenset({states.Status.CANCELLED.value, states.Status.REJECTED.value})
FINISHED = DONE | FAILED


def orderable_bundle(service_uuid: Any) -> Bundle | None:
    return (
        Bundle.objects.select_related("service", "service__provider")
        .filter(service__uuid=service_uuid, active=True, service__active=True)
        .first()
    )


def may_edit(user: AnyUser, bundle: Bundle) -> bool:
    """The provider's managers maintain the bundle (asked to show the form)."""
    return org_selectors.manages_provider(user, bundle.service.provider_id)


def may_see_definition(user: AnyUser, bundle: Bundle) -> bool:
    """What a bundle creates is shown to those who may order it (their ministry may order
    the service) and to the provider's managers, who maintain it; others get a 404."""
    if may_edit(user, bundle):
        return True
    return catalog_selectors.orderable_service(user, bundle.service.uuid) is not None


def condition_text(bundle: Bundle, item: BundleItem) -> str:
    """A child's condition in words, with the field's label («Behov inneholder «PC»»),
    not its key."""
    if not item.condition_op:
        return _("Alltid")
    english = translation.get_language() == "en"
    labels = {
        f["key"]: (f.get("label_en") if english and f.get("label_en") else f["label_nb"])
        for f in bundle.fields
    }
    return _("%(field)s %(op)s «%(value)s»") % {
        "field": labels.get(item.condition_key, item.condition_key),
        "op": str(item.get_condition_op_display()).lower(),
        "value": item.condition_value,
    }


# The services that are bundles, tagged with the catalogue revision they were read under
# (the bundle table's writes change the revision too: migration 0003). Ordering asks for
# every order, the API's hot path included: no query while the revision is current.
_bundle_services: tuple[str, frozenset[Any]] | None = None


def bundle_service_ids(revision: str | None) -> frozenset[Any]:
    """The uuids of the services that are active bundles (cached for `revision`)."""
    global _bundle_services
    cached = _bundle_services
    if revision is not None and cached is not None and cached[0] == revision:
        return cached[1]
    ids = frozenset(Bundle.objects.filter(active=True).values_list("service__uuid", flat=True))
    if revision is not None:
        _bundle_services = (revision, ids)
    return ids


_items: dict[Any, tuple[str, list[BundleItem]]] = {}


def bundle_items(bundle: Bundle) -> list[BundleItem]:
    """The bundle's items with their services loaded for ordering (form fields,
    availability, prices): from this process's memory while the catalogue revision (which
    the bundle tables' writes change too) is current. Read-only for the caller."""
    revision = catalog_selectors.catalogue_revision()
    cached = _items.get(bundle.uuid)
    if revision is not None and cached is not None and cached[0] == revision:
        return cached[1]
    items = list(
        bundle.items.select_related("child_service").prefetch_related(
            *(f"child_service__{name}" for name in ("fields", "availability", "prices"))
        )
    )
    if revision is not None:
        _items[bundle.uuid] = (revision, items)
    return items


def order_form_url(*, service: Service) -> str | None:
    """orders.events.order_form_url: a bundle service is ordered on the bundle's form (the
    ordinary form and the API refuse it). A service loaded by `catalog.selectors.
    service_definition` names its catalogue revision: then no query while it is current."""
    revision = getattr(service, "catalogue_revision", None)
    if service.uuid in bundle_service_ids(revision):
        return reverse("bundle_new", kwargs={"service_id": service.uuid})
    return None


# What «everything delivered» means, by the date the bundle counts from.
READY = {
    "startdato": gettext_lazy("Klar til første dag"),
    "flyttedato": gettext_lazy("Klar til første dag i ny enhet"),
    "siste_dag": gettext_lazy("Alt er avsluttet for fratredelsen"),
}


def readiness(statuses: list[str], anchor_key: str = "startdato") -> tuple[str, str]:
    """One status for the whole bundle, and its colour: «klar til første dag» (for an
    onboarding; its own words for an offboarding or a move) when every child is
    delivered; otherwise how many are, and any refused or cancelled."""
    total = len(statuses)
    done = sum(s in DONE for s in statuses)
    failed = sum(s in FAILED for s in statuses)
    if total and done == total:
        return str(
            READY.get(anchor_key, gettext_lazy("Alle delbestillingene er levert"))
        ), "success"
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
        bundle_order = BundleOrder.objects.filter(order=order).select_related("bundle").first()
        anchor_key = bundle_order.bundle.anchor_key if bundle_order else ""
        # Only the children the reader sees count (a restricted child stays unmentioned).
        status, colour = readiness(
            [link.child.status for link in links if link.child_id in seen], anchor_key
        )
        return render_to_string(
            "bundles/_children.html",
            {
                "order": order,
                "links": links,
                "seen": seen,
                "status": status,
                "colour": colour,
                "bundle_order": bundle_order,
                "today": timezone.localdate(),
                "finished": FINISHED,
                "may_change": order_selectors.is_customer(user, order),
                "may_cancel": order_selectors.is_customer(user, order)
                and (
                    states.allowed("cancel_container", order.status)
                    or any(states.allowed("cancel", link.child.status) for link in links)
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


def past_deadlines(parent: Order) -> list[str]:
    """The children (number and service) whose deadline had passed when they were placed,
    for a warning to the orderer: a start date close by may leave too little time."""
    today = timezone.localdate()
    return [
        f"{link.child.number} ({link.child.service.name_nb})"
        for link in BundleLink.objects.filter(parent=parent, due_date__lt=today).select_related(
            "child__service"
        )
    ]
