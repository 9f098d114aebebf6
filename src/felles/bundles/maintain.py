"""Maintaining bundle definitions: the provider's managers add a child (refusing the
bundle itself, a nested bundle or a loop, unknown fields), and the seed bundles."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.bundles import rules
from felles.bundles import selectors as bundle_selectors
from felles.bundles.definitions import BUNDLES
from felles.bundles.models import Bundle, BundleItem
from felles.catalog import services as catalog_services
from felles.catalog.models import Service
from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import SYSTEM_ONLY, ServiceError, allowed
from felles.core.types import AnyUser

# --- definitions ---------------------------------------------------------------------------


def _manages(user: AnyUser, bundle: Bundle, **_: Any) -> bool:
    return bundle_selectors.may_edit(user, bundle)


def _loop_error(bundle: Bundle, child: Service) -> str | None:
    """Why adding `child` to `bundle` would make the bundle include itself, or None."""
    if child.pk == bundle.service_id:
        return _("En samlebestilling kan ikke inneholde seg selv.")
    edges: dict[int, set[int]] = {}
    for parent_id, child_id in BundleItem.objects.values_list(
        "bundle__service_id", "child_service_id"
    ):
        edges.setdefault(parent_id, set()).add(child_id)
    edges.setdefault(bundle.service_id, set()).add(child.pk)
    loop = rules.find_loop(bundle.service_id, edges)
    if loop is None:
        return None
    names = dict(Service.objects.filter(pk__in=loop).values_list("pk", "name_nb"))
    return _("Samlebestillingen vil inneholde seg selv gjennom en annen pakke: %(path)s.") % {
        "path": " → ".join(names[i] for i in loop)
    }


@allowed(_manages, gettext_lazy("Bare leverandørens ledere endrer samlebestillingen."))
def save_item(
    *,
    actor: Actor,
    bundle: Bundle,
    child_service: Service,
    offset_days: int = 0,
    field_map: dict[str, str] | None = None,
    condition: tuple[str, str, str] = ("", "", ""),
    position: int | None = None,
) -> BundleItem:
    """Add a child to the bundle. Refused, with nothing saved: the bundle itself, a loop
    through nested bundles, a condition or answer naming no field of the bundle's form,
    a deadline more than 250 working days away."""
    keys = {f["key"] for f in bundle.fields}
    key, op, value = condition
    errors: dict[str, list[str]] = {}
    loop = _loop_error(bundle, child_service)
    if loop:
        errors["child_service"] = [loop]
    elif Bundle.objects.filter(service=child_service).exists():
        errors["child_service"] = [
            _("En samlebestilling kan ikke inneholde en annen samlebestilling.")
        ]
    if op not in BundleItem.Op.values or (op and key not in keys):
        errors["condition"] = [_("Vilkåret må gjelde et felt i skjemaet til samlebestillingen.")]
    unknown = [
        source
        for source in (field_map or {}).values()
        if not (str(source).startswith(("=", "@frist")) or source in keys)
    ]
    if unknown:
        errors["field_map"] = [
            _("Ukjente felt i samlebestillingen: %(keys)s.") % {"keys": ", ".join(unknown)}
        ]
    if not -250 <= offset_days <= 250:
        errors["offset_days"] = [_("Fristen må være innen 250 arbeidsdager fra datoen.")]
    if errors:
        raise ServiceError(next(iter(errors.values()))[0], errors)
    with transaction.atomic():
        item = BundleItem.objects.create(
            bundle=bundle,
            child_service=child_service,
            position=position if position is not None else bundle.items.count(),
            condition_key=key,
            condition_op=op,
            condition_value=value,
            field_map=field_map or {},
            offset_days=offset_days,
        )
        audit.record(
            actor=actor,
            action="bundles.item.save",
            obj=item,
            changes={"bundle": [None, bundle.service.code], "child": [None, child_service.code]},
        )
    return item


@allowed(SYSTEM_ONLY, "Samlebestillingene sås bare av systemet.")
def seed_bundles(*, actor: Actor) -> int:
    """Create the seed bundles (definitions.BUNDLES) whose services are in the catalogue
    and which do not exist yet. Returns how many were created."""
    created = 0
    for code, spec in BUNDLES.items():
        service = Service.objects.filter(code=code).first()
        if service is None or Bundle.objects.filter(service=service).exists():
            continue
        with transaction.atomic():
            # The children carry the approvals (each its own); the parent needs none.
            if service.approval_policy != "none":
                service = catalog_services.update_service(
                    actor=actor, service=service, values={"approval_policy": "none"}
                )
            bundle = Bundle.objects.create(
                service=service, fields=spec["fields"], anchor_key=spec["anchor_key"]
            )
            audit.record(
                actor=actor,
                action="bundles.bundle.create",
                obj=bundle,
                changes={"service": [None, code]},
            )
            for position, entry in enumerate(spec["items"]):
                child = Service.objects.filter(code=entry["service"]).first()
                if child is None:
                    continue
                save_item(
                    actor=actor,
                    bundle=bundle,
                    child_service=child,
                    offset_days=entry["offset_days"],
                    field_map=entry["field_map"],
                    condition=(
                        entry["condition_key"],
                        entry["condition_op"],
                        entry["condition_value"],
                    ),
                    position=position,
                )
        created += 1
    return created
