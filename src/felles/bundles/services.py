"""Bundle writes: placing a bundle order (the parent, a container, and the children the
answers call for, in one transaction and one pass through `orders.services.submit_batch`),
editing or removing a child before it reaches the provider, cancelling the bundle, the
parent following its children, and linking the order to the person the HR import brings.
Maintaining the definitions: maintain.py (re-exported here)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.bundles import rules
from felles.bundles import selectors as bundle_selectors

# Maintaining definitions lives in maintain.py; callers use it from here as before.
from felles.bundles.maintain import save_item, seed_bundles  # noqa: F401
from felles.bundles.models import Bundle, BundleItem, BundleLink, BundleOrder
from felles.catalog import selectors as catalog_selectors
from felles.catalog.models import FormField
from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import SYSTEM_ONLY, Conflict, ServiceError, allowed
from felles.core.types import AnyUser
from felles.core.validators import (
    DATE_RANGE_MESSAGE,
    control_character,
    control_character_message,
    date_in_range,
)
from felles.orders import selectors as order_selectors
from felles.orders import services as order_services
from felles.orders import states
from felles.orders.models import Order
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation, Person

SYSTEM = Actor.system("bundles")
DONE = frozenset({states.Status.RESOLVED.value, states.Status.CLOSED.value})
FINISHED = frozenset(
    {states.Status.CLOSED.value, states.Status.CANCELLED.value, states.Status.REJECTED.value}
)
FAILED = frozenset({states.Status.CANCELLED.value, states.Status.REJECTED.value})


def form_fields(bundle: Bundle) -> list[FormField]:
    """The bundle's order form as (unsaved) catalogue form fields."""
    return [
        FormField(
            key=f["key"],
            label_nb=f["label_nb"],
            label_en=f.get("label_en", ""),
            kind=f["kind"],
            required=f.get("required", False),
            help_text=f.get("help_text", ""),
            choices=f.get("choices", []),
        )
        for f in bundle.fields
    ]


# --- ordering ------------------------------------------------------------------------------


def _json(value: Any) -> Any:
    if value in (None, "", []):
        return None
    if isinstance(value, Person):
        return {"id": str(value.uuid), "name": value.full_name}
    if hasattr(value, "uuid") and hasattr(value, "name"):
        return {"id": str(value.uuid), "name": value.name}
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value)


def _plain(value: Any) -> Any:
    """An answer as the condition and the child's form see it: a unit or person by name."""
    json = _json(value)
    return json["name"] if isinstance(json, dict) else json


def _child_answers(item: BundleItem, plain: dict[str, Any], due: dt.date) -> dict[str, Any]:
    """The child's order-form answers, filled from the bundle's (no retyping)."""
    answers: dict[str, Any] = {}
    for definition in item.child_service.fields.all():
        source = item.field_map.get(definition.key)
        if source is None:
            value = None
        elif source == "@frist":
            value = due.isoformat()
        elif source.startswith("="):
            value = source[1:]
        else:
            value = plain.get(source)
            if isinstance(value, list):
                value = ", ".join(value)
        if value is not None and definition.kind == FormField.Kind.PERSON:
            value = {"id": None, "name": value}
        answers[definition.key] = {
            "label": definition.label_nb,
            "label_en": definition.label_en,
            "value": value,
        }
    return answers


def _orders(user: AnyUser, orderer: Person, **_: Any) -> bool:
    return orderer.user_id == user.pk and catalog_selectors.may_order(user)


@allowed(
    _orders,
    gettext_lazy(
        "Du kan bare bestille i eget navn, og ikke med en rolle som bare gir lesetilgang."
    ),
)
def submit_bundle(
    *,
    actor: Actor,
    orderer: Person,
    bundle: Bundle,
    values: dict[str, Any],
    today: dt.date | None = None,
) -> Order:
    """Place the bundle order: the parent order of the bundle's service and one child
    order for each item whose condition holds, all or nothing. `values`: the bundle form's
    cleaned values. Each child goes through `orders.services.submit_order` (its own
    approval, SLA, funding and invoicing) with a deadline counted on the working-day
    calendar from the anchor date, which may not be in the past."""
    today = today or timezone.localdate()
    anchor = values.get(bundle.anchor_key)
    fields = {f.key: f for f in form_fields(bundle)}
    if not isinstance(anchor, dt.date):
        raise ServiceError(_("Fyll ut datoen."), {bundle.anchor_key: [_("Feltet må fylles ut.")]})
    if not date_in_range(anchor):
        message = str(DATE_RANGE_MESSAGE)
        raise ServiceError(message, {bundle.anchor_key: [message]})
    for key, value in values.items():
        char = control_character(value, multiline=True) if isinstance(value, str) else None
        if char is not None:
            message = control_character_message(char)
            raise ServiceError(message, {key: [message]})
    label = fields[bundle.anchor_key].label_nb if bundle.anchor_key in fields else ""
    if anchor < today:
        message = _("%(label)s kan ikke være tilbake i tid.") % {"label": label or _("Datoen")}
        raise ServiceError(message, {bundle.anchor_key: [message]})
    closed = rules.closed_day(anchor)
    if closed is not None:
        # A first (or last) working day is a working day: the deadlines count from it.
        message = _("%(label)s må være en virkedag: %(date)s er %(why)s.") % {
            "label": label or _("Datoen"),
            "date": f"{anchor:%d.%m.%Y}",
            "why": _("en helligdag") if closed == "holiday" else _("en lørdag eller søndag"),
        }
        raise ServiceError(message, {bundle.anchor_key: [message]})
    email, number = _identity(values)
    plain = {key: _plain(values.get(key)) for key in fields}
    # A private answer (the clearance level) goes only to the children that need it, each
    # in its own confidentiality class; the parent, seen more widely, does not keep it.
    private = {f["key"] for f in bundle.fields if f.get("private")}
    parent_answers = {
        key: {"label": f.label_nb, "label_en": f.label_en, "value": _json(values.get(key))}
        for key, f in fields.items()
        if key not in private
    }
    items = [
        i
        for i in bundle_selectors.bundle_items(bundle)
        if rules.applies(i.condition_op, i.condition_key, i.condition_value, plain)
    ]
    dues = [rules.due_date(anchor, item.offset_days) for item in items]
    with transaction.atomic():
        # The parent and the children in one pass (bench/bundles.py): each child with its
        # own approval chain, funding and price, as `submit_order` gives a single order.
        parent, *kids = order_services.submit_batch(
            actor=actor,
            orderer=orderer,
            items=[
                order_services.Item(bundle.service, parent_answers, container=True),
                *(
                    order_services.Item(item.child_service, _child_answers(item, plain, due))
                    for item, due in zip(items, dues, strict=True)
                ),
            ],
        )
        BundleOrder.objects.create(
            order=parent,
            bundle=bundle,
            anchor_date=anchor,
            person_name=str(plain.get("navn") or "")[:300],
            person_email=email,
            person_employee_number=number,
            person=_same_person(orderer.organisation_id, email, number),
        )
        BundleLink.objects.bulk_create(
            BundleLink(parent=parent, child=child, item=item, due_date=due)
            for child, item, due in zip(kids, items, dues, strict=True)
        )
        audit.record(
            actor=actor,
            action="bundles.order.submit",
            obj=parent,
            changes={"bundle": [None, bundle.service.code], "children": [None, len(items)]},
            organisation_id=parent.ministry_id,
        )
    return parent


_EMAIL_MAX = 254
_NUMBER_MAX = 40


def _identity(values: dict[str, Any]) -> tuple[str, str]:
    """The new employee's e-mail and employee number (both optional), checked: the HR
    import links the order to the person on these, never on the name alone."""
    email = str(values.get("epost") or "").strip().lower()
    number = str(values.get("ansattnummer") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            message = _("Skriv en gyldig e-postadresse, eller la feltet stå tomt.")
            raise ServiceError(message, {"epost": [message]}) from None
        if len(email) > _EMAIL_MAX:
            message = _("E-postadressen er for lang.")
            raise ServiceError(message, {"epost": [message]})
    if len(number) > _NUMBER_MAX or control_character(number) is not None:
        message = _("Ansattnummeret kan være høyst 40 tegn, uten kontrolltegn.")
        raise ServiceError(message, {"ansattnummer": [message]})
    return email, number


def _same_person(organisation_id: int, email: str, number: str) -> Person | None:
    """The one active person of the ministry with this e-mail or employee number (an exact
    identity match), or None."""
    match = Q()
    if email:
        match |= Q(email__iexact=email)
    if number:
        match |= Q(employee_number=number)
    if not match:
        return None
    found = list(Person.objects.filter(match, organisation_id=organisation_id, active=True)[:2])
    return found[0] if len(found) == 1 else None


def _customer(user: AnyUser, parent: Order, **_: Any) -> bool:
    return order_selectors.is_customer(user, parent)


@allowed(_customer, gettext_lazy("Bare bestilleren kan kansellere samlebestillingen."))
def cancel_bundle(*, actor: Actor, parent: Order, reason: str = "") -> list[Order]:
    """Cancel the parent and with it every child that can still be cancelled (waiting for
    approval or not yet taken: `cancel_children`); a parent is never cancelled without its
    children. Returns the children left open (already in work at the provider: cancel them
    with the provider)."""
    person = org_selectors.person_for(actor.user) if actor.user else parent.orderer
    with transaction.atomic():
        if states.allowed("cancel", parent.status) or (
            parent.container and states.allowed("cancel_container", parent.status)
        ):
            # orders.events.container_cancelled cancels the children (cancel_children).
            order_services.cancel(actor=actor, order=parent, reason=reason, person=person)
        elif parent.status not in FAILED:
            raise Conflict(states.refusal("cancel", parent.status, _))
        else:
            cancel_children(actor=actor, order=parent, reason=reason, person=person)
        return [
            link.child
            for link in BundleLink.objects.filter(parent=parent).select_related("child")
            if link.child.status in {s.value for s in states.OPEN}
        ]


@allowed(
    lambda user, order, **_: order_selectors.is_customer(user, order),
    gettext_lazy("Bare bestilleren kan kansellere samlebestillingen."),
)
def cancel_children(*, actor: Actor, order: Order, reason: str = "", person: Any = None) -> None:
    """orders.events.container_cancelled: the parent is cancelled, so is every child that
    can still be cancelled; those in work at the provider go on (the page names them)."""
    for link in BundleLink.objects.filter(parent=order).select_related("child"):
        if states.allowed("cancel", link.child.status):
            order_services.cancel(actor=actor, order=link.child, reason=reason, person=person)


def follow_child(*, order: Order, **facts: Any) -> None:
    """orders.events.status_changed: when a child finishes, and every child is closed,
    cancelled or rejected, the parent order closes."""
    link = BundleLink.objects.filter(child=order).select_related("parent").first()
    if link is None or order.status not in FINISHED:
        return
    parent = link.parent
    statuses = set(BundleLink.objects.filter(parent=parent).values_list("child__status", flat=True))
    if statuses <= FINISHED and states.allowed("complete", parent.status):
        order_services.complete_parent(
            actor=SYSTEM,
            order=parent,
            text=_("Alle delbestillingene er ferdige."),
        )


def link_imported_people(*, organisation: Organisation, **facts: Any) -> None:
    """organisations.events.people_imported: an open bundle order for a person not yet in
    Felles links to the person once the HR import has brought them: same ministry and an
    exact identity match (the e-mail address or the employee number given in the order),
    never the name alone (two people may share a name)."""
    waiting = BundleOrder.objects.filter(
        person__isnull=True,
        order__ministry=organisation,
        # also after the children are done; not for orders long past their date
        anchor_date__gte=timezone.localdate() - dt.timedelta(days=90),
    ).filter(~Q(person_email="") | ~Q(person_employee_number=""))
    for bundle_order in waiting:
        person = _same_person(
            organisation.pk, bundle_order.person_email, bundle_order.person_employee_number
        )
        if person is not None:
            link_person(actor=SYSTEM, bundle_order=bundle_order, person=person)


@allowed(SYSTEM_ONLY, "Bare systemet knytter en samlebestilling til personen.")
def link_person(*, actor: Actor, bundle_order: BundleOrder, person: Person) -> None:
    """Link the bundle order to the person it was for (once; a second link is a no-op)."""
    with transaction.atomic():
        updated = BundleOrder.objects.filter(pk=bundle_order.pk, person__isnull=True).update(
            person=person
        )
        if updated:
            audit.record(
                actor=actor,
                action="bundles.order.link_person",
                obj=bundle_order.order,
                changes={"person": [None, str(person.uuid)]},
                organisation_id=person.organisation_id,
            )


# --- a child before it reaches the provider ------------------------------------------------

EDITABLE = frozenset(
    {
        FormField.Kind.TEXT,
        FormField.Kind.LONG_TEXT,
        FormField.Kind.NUMBER,
        FormField.Kind.DATE,
        FormField.Kind.CHOICE,
        FormField.Kind.MULTI_CHOICE,
    }
)


def _child_of(parent: Order, child: Order) -> BundleLink:
    link = BundleLink.objects.filter(parent=parent, child=child).select_related("child").first()
    if link is None:
        raise order_services.NotFound(_("Fant ikke delbestillingen."))
    if link.child.status != states.Status.AWAITING_APPROVAL:  # as it is now
        raise Conflict(
            _(
                "Delbestillingen er sendt til leverandøren og kan ikke endres eller fjernes "
                "her lenger. Skriv en kommentar i delbestillingen."
            )
        )
    return link


@allowed(_customer, gettext_lazy("Bare bestilleren kan endre samlebestillingen."))
def edit_child(*, actor: Actor, parent: Order, child: Order, values: dict[str, Any]) -> Order:
    """Change a child's answers (its form's text, number, date and choice fields) while it
    waits for approval, i.e. before it reaches the provider."""
    _child_of(parent, child)
    fields = {f.key: f for f in child.service.fields.all() if f.kind in EDITABLE}
    answers = {}
    for key, value in values.items():
        if key not in fields:
            continue
        if isinstance(value, str):
            char = control_character(value, multiline=True)
            if char is not None:
                message = control_character_message(char)
                raise ServiceError(message, {key: [message]})
        definition = fields[key]
        answers[key] = {
            "label": definition.label_nb,
            "label_en": definition.label_en,
            "value": _json(value),
        }
    return order_services.amend_answers(actor=actor, order=child, answers=answers)


@allowed(_customer, gettext_lazy("Bare bestilleren kan endre samlebestillingen."))
def remove_child(*, actor: Actor, parent: Order, child: Order, reason: str = "") -> Order:
    """Take a child out of the bundle before it reaches the provider (it is cancelled; the
    parent follows its children as always)."""
    _child_of(parent, child)
    text = reason.strip() or _("Fjernet fra samlebestillingen.")
    return order_services.cancel(actor=actor, order=child, reason=text)
