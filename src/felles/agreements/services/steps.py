"""The agreement's steps: sending it to the ministry, the two acceptances, returning it
to draft and ending it. Each is a conditional update on the allowed source state (a stale
or concurrent second actor gets `Conflict`)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.agreements import rules, selectors
from felles.agreements.models import Agreement, AgreementService
from felles.agreements.services.drafting import NOT_MANAGER, _overlap_refusal, _period
from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import Conflict, ServiceError, allowed
from felles.core.validators import check_date_range
from felles.organisations.models import Person, Role, RoleAssignment


def _step(agreement: Agreement, step: str, *, actor: Actor, **fields: object) -> Agreement:
    """Move the agreement if (and only if) it is still in a state the step starts from."""
    before = Agreement.objects.filter(pk=agreement.pk).values_list("status", flat=True).first()
    target = fields.pop("status", None)
    updated = Agreement.objects.filter(pk=agreement.pk, status__in=rules.STEPS[step]).update(
        updated_at=timezone.now(), **({"status": target} if target else {}), **fields
    )
    agreement.refresh_from_db()
    if not updated:
        raise Conflict(
            _("Avtalen er %(status)s; det kan ikke gjøres nå.")
            % {"status": agreement.get_status_display().lower()}
        )
    audit.record(
        actor=actor,
        action=f"agreements.agreement.{step}",
        obj=agreement,
        changes={
            "status": [before, agreement.status],
            **{k: [None, audit.to_json_value(v)] for k, v in fields.items()},
        },
        organisation_id=agreement.ministry_id,
    )
    return agreement


@allowed(lambda user, *, agreement, **_: selectors.edits(user, agreement), NOT_MANAGER)
def send(*, actor: Actor, agreement: Agreement) -> Agreement:
    """Send a draft to the ministry for acceptance."""
    with transaction.atomic():
        if not AgreementService.objects.filter(agreement=agreement).exists():
            raise ServiceError(_("Ta med minst én tjeneste før avtalen sendes."))
        return _step(agreement, "send", actor=actor, status=rules.SENT, sent_at=timezone.now())


def _may_accept(user: object, *, agreement: Agreement, side: str, **_: object) -> bool:
    if side == "ministry":
        return selectors.coordinates(user, agreement)
    return side == "provider" and selectors.edits(user, agreement)


def _holds(person: Person, agreement: Agreement, side: str) -> bool:
    """Whether `person` may accept for `side` (for system actors acting on their behalf)."""
    if side == "ministry":
        organisation_id, roles = agreement.ministry_id, [Role.ORDERING_COORDINATOR]
    else:
        organisation_id, roles = agreement.provider_id, [Role.PROVIDER_MANAGER]
    return (
        person.active
        and RoleAssignment.objects.filter(
            Q(served_organisations__isnull=True)
            | Q(served_organisations=agreement.ministry_id)
            | Q(role=Role.ORDERING_COORDINATOR),
            person=person,
            organisation_id=organisation_id,
            role__in=roles,
        ).exists()
    )


@allowed(
    _may_accept,
    gettext_lazy(
        "Avtalen godtas av departementets bestillerkoordinator og av en leder hos "
        "leverandøren som betjener departementet; du kan ikke godta den på vegne av denne "
        "parten."
    ),
)
def accept(*, actor: Actor, agreement: Agreement, person: Person, side: str) -> Agreement:
    """Record one side's acceptance of a sent agreement (once per side). The second
    acceptance puts the agreement in force and ends the version it supersedes the day
    before the new one begins."""
    if side not in {"ministry", "provider"} or not _holds(person, agreement, side):
        raise ServiceError(
            _("%(person)s kan ikke godta avtalen på vegne av %(org)s.")
            % {
                "person": person.full_name,
                "org": (
                    agreement.ministry if side == "ministry" else agreement.provider
                ).abbreviation,
            }
        )
    by, at = f"{side}_accepted_by", f"{side}_accepted_at"
    now = timezone.now()
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.status == rules.SENT and getattr(locked, at) is not None:
            who = getattr(locked, by)
            raise Conflict(
                _("%(side)s har allerede godtatt avtalen (%(person)s, %(when)s).")
                % {
                    "side": _("Departementet") if side == "ministry" else _("Leverandøren"),
                    "person": who.full_name if who else "",
                    "when": date_format(timezone.localtime(getattr(locked, at)), "d.m.Y H:i"),
                }
            )
        updated = Agreement.objects.filter(
            pk=agreement.pk, status=rules.SENT, **{f"{at}__isnull": True}
        ).update(**{by: person, at: now, "updated_at": now})
        agreement.refresh_from_db()
        if not updated:
            raise Conflict(
                _("Avtalen er %(status)s og kan ikke godtas.")
                % {"status": agreement.get_status_display().lower()}
            )
        audit.record(
            actor=actor,
            action=f"agreements.agreement.accept_{side}",
            obj=agreement,
            changes={by: [None, person.full_name], at: [None, audit.to_json_value(now)]},
            organisation_id=agreement.ministry_id,
        )
        if agreement.ministry_accepted_at and agreement.provider_accepted_at:
            _put_in_force(agreement, actor=actor, now=now)
    return agreement


def _put_in_force(agreement: Agreement, *, actor: Actor, now: dt.datetime) -> None:
    old = agreement.supersedes
    if old is not None and agreement.valid_from < timezone.localdate(now):
        # Ending the old version before today would take its targets from orders that
        # reached the provider under it (an order keeps the targets valid when it arrived).
        raise ServiceError(
            _(
                "En ny versjon kan ikke gjelde fra en dag som har passert (%(day)s). "
                "Sett første dag til i dag eller senere."
            )
            % {"day": date_format(agreement.valid_from, "SHORT_DATE_FORMAT")},
            {"valid_from": [_("Velg i dag eller en senere dag.")]},
        )
    _overlap_refusal(
        agreement.provider_id,
        agreement.ministry_id,
        agreement.valid_from,
        agreement.valid_to,
        exclude=(agreement.pk, old.pk if old else None),
    )
    if (
        old is not None
        and Agreement.objects.filter(pk=old.pk).values_list("status", flat=True).first()
        != rules.AGREED
    ):
        raise Conflict(
            _("Versjonen den skal erstatte (%(old)s) gjelder ikke lenger.") % {"old": old}
        )
    try:
        with transaction.atomic():  # a savepoint: the exclusion constraint's refusal is a 409
            if old is not None:
                day_before = agreement.valid_from - dt.timedelta(days=1)
                end = min(old.valid_to, day_before) if old.valid_to else day_before
                _step(old, "supersede", actor=actor, status=rules.SUPERSEDED, valid_to=end)
            _step(agreement, "accept", actor=actor, status=rules.AGREED, agreed_at=now)
    except IntegrityError as exc:
        raise Conflict(
            _(
                "Perioden overlapper en annen avtale som gjelder mellom samme leverandør og "
                "departement."
            )
        ) from exc


def _may_act(user: object, *, agreement: Agreement, **_: object) -> bool:
    return selectors.edits(user, agreement) or selectors.coordinates(user, agreement)


@allowed(
    _may_act,
    gettext_lazy("Bare avtalens parter (leverandørens ledere og departementets koordinator)."),
)
def return_to_draft(*, actor: Actor, agreement: Agreement) -> Agreement:
    """Take a sent agreement back to draft (a side wants changes); acceptances lapse."""
    with transaction.atomic():
        return _step(
            agreement,
            "return",
            actor=actor,
            status=rules.DRAFT,
            ministry_accepted_by=None,
            ministry_accepted_at=None,
            provider_accepted_by=None,
            provider_accepted_at=None,
        )


@allowed(
    _may_act,
    gettext_lazy("Bare avtalens parter (leverandørens ledere og departementets koordinator)."),
)
def end(*, actor: Actor, agreement: Agreement, last_day: dt.date) -> Agreement:
    """End an agreement in force after `last_day` (its period is cut there)."""
    try:
        check_date_range(last_day)
    except ValidationError as exc:
        raise ServiceError(exc.messages[0], {"last_day": exc.messages}) from exc
    if last_day < agreement.valid_from or (
        agreement.valid_to is not None and last_day > agreement.valid_to
    ):
        raise ServiceError(
            _("Siste dag må ligge i avtaleperioden (%(period)s).") % {"period": _period(agreement)},
            {"last_day": [_("Utenfor avtaleperioden.")]},
        )
    with transaction.atomic():
        return _step(agreement, "end", actor=actor, status=rules.ENDED, valid_to=last_day)
