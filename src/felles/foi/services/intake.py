"""Intake: a request registered by DIO's FOI team (e-mail, letter, form) or imported from an
eInnsyn order file. Each request places an order of `if-innsyn` on the ministry's behalf,
so queue, SLA and showback come from orders; everything is written in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from felles.catalog.models import Service
from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import ServiceError, allowed
from felles.core.validators import control_character, control_character_message
from felles.foi import einnsyn, selectors
from felles.foi.models import Item, Request
from felles.orders import services as order_services
from felles.organisations.models import Organisation, Person, Role

TEAM_ONLY = gettext_lazy("Bare DIOs innsynsteam for departementet registrerer innsynskrav.")
MAX_ITEMS = einnsyn.MAX_DOCUMENTS


@dataclass(frozen=True)
class ItemIn:
    case_number: str = ""
    document_number: str = ""
    journal_number: str = ""
    case_officer: str = ""
    title: str = ""


def _team_for(user: Any, *, ministry: Organisation | None = None, **_: Any) -> bool:
    reach = selectors.team_reach(user)
    return reach is None or (bool(reach) and (ministry is None or ministry.pk in reach))


def _orderer(ministry: Organisation, case_owner: Person | None) -> Person:
    """Who the order is placed for: the case owner, else the ministry's information-
    management coordinator."""
    if case_owner is not None:
        return case_owner
    coordinator = (
        Person.objects.filter(
            organisation=ministry,
            active=True,
            roles__role=Role.INFORMATION_COORDINATOR,
            roles__organisation=ministry,
        )
        .order_by("pk")
        .first()
    )
    if coordinator is None:
        raise ServiceError(
            _(
                "%(m)s har ingen koordinator for informasjonsforvaltning i Felles. Velg en "
                "saksansvarlig i departementet."
            )
            % {"m": ministry.abbreviation},
            {"case_owner": [_("Velg en saksansvarlig.")]},
        )
    return coordinator


def _check(values: dict[str, str], errors: dict[str, list[str]]) -> None:
    for name, value in values.items():
        char = control_character(value)
        if char is not None:
            errors.setdefault(name, []).append(str(control_character_message(char)))


def _create(
    *,
    actor: Actor,
    ministry: Organisation,
    source: str,
    received_on: dt.date,
    requester_email: str,
    requester_name: str,
    description: str,
    items: Sequence[ItemIn],
    case_owner: Person | None,
    einnsyn_id: str | None,
) -> Request:
    errors: dict[str, list[str]] = {}
    requester_email = requester_email.strip()
    if not requester_email:
        errors["requester_email"] = [_("Innsynskreverens adresse må fylles ut.")]
    # An e-mail address, or a postal address on one line; never control characters.
    _check({"requester_email": requester_email, "requester_name": requester_name}, errors)
    if received_on > timezone.localdate():
        errors["received_on"] = [_("Mottatt-datoen kan ikke ligge fram i tid.")]
    elif received_on.year < 2000:
        errors["received_on"] = [_("Mottatt-datoen kan ikke være før år 2000.")]
    if case_owner is not None and case_owner.organisation_id != ministry.pk:
        errors["case_owner"] = [
            _("Den saksansvarlige må være en person i %(m)s.") % {"m": ministry.abbreviation}
        ]
    elif case_owner is not None and not case_owner.active:
        errors["case_owner"] = [
            _("%(p)s er ikke lenger aktiv i Felles. Velg en annen saksansvarlig.")
            % {"p": case_owner.full_name}
        ]
    if not items:
        errors["items"] = [_("Kravet må gjelde minst ett dokument.")]
    if len(items) > MAX_ITEMS:
        errors["items"] = [_("Høyst %(n)d dokumenter i ett krav.") % {"n": MAX_ITEMS}]
    if ministry.kind != Organisation.Kind.MINISTRY:
        errors["ministry"] = [_("Velg et departement.")]
    if errors:
        raise ServiceError(next(iter(errors.values()))[0], errors)
    service = Service.objects.prefetch_related("availability").get(code=selectors.SERVICE_CODE)
    orderer = _orderer(ministry, case_owner)
    system = Actor(
        user=None,
        on_behalf_of=actor.user,
        request_id=actor.request_id,
        system_label="innsyn",
    )
    with transaction.atomic():
        order = order_services.submit_order(
            actor=system,
            orderer=orderer,
            service=service,
            answers={
                "innsyn": {
                    "label": "Innsynskrav",
                    "value": ngettext("%(n)d dokument", "%(n)d dokumenter", len(items))
                    % {"n": len(items)},
                }
            },
        )
        request = Request.objects.create(
            ministry=ministry,
            order=order,
            source=source,
            einnsyn_id=einnsyn_id,
            received_on=received_on,
            requester_email=requester_email[:254],
            requester_name=requester_name.strip()[:200],
            description=description.strip(),
            case_owner=case_owner,
            items_count=len(items),
        )
        Item.objects.bulk_create(
            Item(
                request=request,
                position=i,
                case_number=it.case_number,
                document_number=it.document_number,
                journal_number=it.journal_number,
                case_officer=it.case_officer,
                title=it.title,
            )
            for i, it in enumerate(items, start=1)
        )
        audit.record(
            actor=actor,
            action="foi.request.create",
            obj=request,
            changes={
                "source": [None, source],
                "einnsyn_id": [None, einnsyn_id],
                "received_on": [None, received_on.isoformat()],
                "items": [None, len(items)],
                "order": [None, order.number],
            },
            organisation_id=ministry.pk,
        )
    return request


@allowed(_team_for, TEAM_ONLY)
def register_request(
    *,
    actor: Actor,
    ministry: Organisation,
    source: str,
    received_on: dt.date,
    requester_email: str,
    requester_name: str = "",
    description: str = "",
    items: Sequence[ItemIn],
    case_owner: Person | None = None,
) -> Request:
    """A request that came by e-mail, letter or form, registered by DIO's FOI team."""
    if source not in (Request.Source.EMAIL, Request.Source.FORM):
        raise ServiceError(_("Ugyldig kanal."), {"source": [_("Ugyldig verdi.")]})
    return _create(
        actor=actor,
        ministry=ministry,
        source=source,
        received_on=received_on,
        requester_email=requester_email,
        requester_name=requester_name,
        description=description,
        items=items,
        case_owner=case_owner,
        einnsyn_id=None,
    )


def _ministry_of(order: einnsyn.Order) -> Organisation | None:
    domain = order.agency_email.rpartition("@")[2]
    ministries = Organisation.objects.customers()
    if domain:
        found = ministries.filter(email_domain__iexact=domain).first()
        if found is not None:
            return found
        label = domain.split(".", 1)[0]
        found = ministries.filter(abbreviation__iexact=label).first()
        if found is not None:
            return found
    return ministries.filter(name_nb__iexact=order.agency).first() if order.agency else None


@dataclass(frozen=True)
class Imported:
    request: Request
    created: bool


def _may_import(user: Any, **_: Any) -> bool:
    return selectors.in_team(user)


@allowed(_may_import, TEAM_ONLY)
def import_order_file(
    *,
    actor: Actor,
    content: bytes,
    ministry: Organisation | None = None,
    received_on: dt.date | None = None,
    case_owner: Person | None = None,
) -> Imported:
    """One request with one item per document; the same order again creates nothing.
    A file that does not parse, or lacks the requester's address, is refused with the
    reason (ServiceError) and nothing is written."""
    try:
        order = einnsyn.parse(content, now=timezone.now())
    except einnsyn.OrderFileError as exc:
        reason = exc.text(_)
        raise ServiceError(reason, {"file": [reason]}) from exc
    named = _ministry_of(order)
    if ministry is None:
        ministry = named
    elif named is not None and named.pk != ministry.pk:
        message = _("Bestillingen er til %(a)s, ikke %(b)s.") % {
            "a": named.abbreviation,
            "b": ministry.abbreviation,
        }
        raise ServiceError(message, {"file": [message]})
    if ministry is None:
        message = _("Fant ikke departementet «%(a)s» i Felles. Velg departementet.") % {
            "a": order.agency or order.agency_email
        }
        raise ServiceError(message, {"ministry": [message]})
    if actor.user is not None and not _team_for(actor.user, ministry=ministry):
        raise ServiceError(
            _("Du er ikke i innsynsteamet for %(m)s.") % {"m": ministry.abbreviation}, {}
        )
    # eInnsyn sends one file per agency with the same id: a repeat is the same id to the
    # same ministry.
    existing = Request.objects.filter(einnsyn_id=order.id, ministry=ministry).first()
    if existing is not None:
        return Imported(existing, False)
    items = [
        ItemIn(d.case_number, d.document_number, d.journal_number, d.case_officer)
        for d in order.documents
    ]
    try:
        with transaction.atomic():
            request = _create(
                actor=actor,
                ministry=ministry,
                source=Request.Source.EINNSYN,
                received_on=received_on or order.received_on,
                requester_email=order.requester_email,
                requester_name=order.requester_name,
                description="",
                items=items,
                case_owner=case_owner,
                einnsyn_id=order.id,
            )
    except IntegrityError:  # the same order imported at the same moment
        return Imported(Request.objects.get(einnsyn_id=order.id, ministry=ministry), False)
    return Imported(request, True)
