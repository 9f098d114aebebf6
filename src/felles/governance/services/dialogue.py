"""The customer dialogue: the meeting series between a ministry and a provider at a
level, the meetings held (with minutes and action items) and the items done."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import Conflict, ServiceError, allowed
from felles.governance import rules, selectors
from felles.governance.models import ActionItem, Meeting, MeetingSeries
from felles.organisations.models import Organisation, Person
from felles.organisations.selectors import serves, staff_serving

SERIES_FIELDS = ("customer_contact", "target_min", "target_max", "period_months")


@allowed(
    lambda user, provider, ministry, **_: serves(
        user, provider.pk, ministry.pk, roles=selectors.PLANNING_ROLES
    ),
    gettext_lazy("Bare leverandøren som betjener departementet, kan sette opp dialogen."),
)
def save_series(
    *,
    actor: Actor,
    provider: Organisation,
    ministry: Organisation,
    level: str,
    customer_contact: Person | None = None,
    target: rules.Target | None = None,
    starts_on: dt.date | None = None,
) -> MeetingSeries:
    """Create or change the dialogue series between a ministry and a provider at a level.
    On a change, what is not given (contact, target) is kept."""
    if provider.kind != Organisation.Kind.PROVIDER or ministry.kind != Organisation.Kind.MINISTRY:
        raise ServiceError(_("En dialog går mellom et departement og en leverandør."))
    if (
        customer_contact is not None
        and not staff_serving(provider.pk, ministry.pk).filter(pk=customer_contact.pk).exists()
    ):
        raise ServiceError(
            _(
                "Kundekontakten må være en aktiv medarbeider hos leverandøren som betjener "
                "departementet."
            ),
            {"customer_contact": [_("Betjener ikke departementet.")]},
        )
    if target is not None and not 0 < target.minimum <= target.maximum:
        raise ServiceError(_("Målet må være minst ett møte, og minst ≤ høyst."))
    with transaction.atomic():
        series = (
            MeetingSeries.objects.select_for_update()
            .filter(provider=provider, ministry=ministry, level=level)
            .first()
        )
        before = audit.snapshot(series, SERIES_FIELDS) if series else None
        if series is None:
            target = target or rules.DEFAULT_TARGETS[level]
            series = MeetingSeries(
                provider=provider,
                ministry=ministry,
                level=level,
                starts_on=starts_on or timezone.localdate().replace(day=1),
            )
        if customer_contact is not None:
            series.customer_contact = customer_contact
        if target is not None:
            series.target_min, series.target_max = target.minimum, target.maximum
            series.period_months = target.months
        audit.save_audited(
            series,
            actor=actor,
            fields=SERIES_FIELDS,
            before=before,
            action="governance.series." + ("create" if before is None else "change"),
            organisation_id=ministry.pk,
        )
    return series


NO_PARTY = gettext_lazy("Du er ikke part i denne dialogen.")


@allowed(lambda user, series, **_: selectors.is_party(user, series), NO_PARTY)
def record_meeting(
    *,
    actor: Actor,
    series: MeetingSeries,
    held_on: dt.date,
    agenda: str = "",
    minutes: str = "",
    participants: Iterable[Person] = (),
    actions: Iterable[tuple[str, Person, dt.date]] = (),
) -> Meeting:
    """A meeting: planned (agenda only) or held (with minutes). Held meetings cannot lie
    in the future; action owners must belong to the ministry or the provider."""
    minutes = (minutes or "").strip()
    held = bool(minutes)
    if held and held_on > timezone.localdate():
        raise ServiceError(
            _("Et møte med referat kan ikke ligge fram i tid."),
            {"held_on": [_("Dato i framtiden.")]},
        )
    parties = {series.provider_id, series.ministry_id}
    people = list(participants)
    action_rows = list(actions)
    outsiders = [p.full_name for p in people if p.organisation_id not in parties] + [
        owner.full_name for _, owner, _ in action_rows if owner.organisation_id not in parties
    ]
    if outsiders:
        raise ServiceError(
            _("Deltakere og eiere må være fra departementet eller leverandøren: %(people)s.")
            % {"people": ", ".join(sorted(set(outsiders)))}
        )
    with transaction.atomic():
        meeting = Meeting.objects.create(
            series=series, held_on=held_on, agenda=agenda.strip(), minutes=minutes, held=held
        )
        meeting.participants.set(people)
        ActionItem.objects.bulk_create(
            [
                ActionItem(meeting=meeting, text=text.strip(), owner=owner, due_on=due)
                for text, owner, due in action_rows
                if text.strip()
            ]
        )
        audit.record(
            actor=actor,
            action="governance.meeting.record",
            obj=meeting,
            changes={"held": [None, held], "actions": [None, len(action_rows)]},
            organisation_id=series.ministry_id,
        )
    return meeting


@allowed(lambda user, item, **_: selectors.is_party(user, item.meeting.series), NO_PARTY)
def complete_action(*, actor: Actor, item: ActionItem) -> ActionItem:
    """Mark a meeting's action item done (once)."""
    with transaction.atomic():
        if not ActionItem.objects.filter(pk=item.pk, done_on__isnull=True).update(
            done_on=timezone.localdate()
        ):
            raise Conflict(_("Punktet er allerede utført."))
        item.refresh_from_db()
        audit.record(
            actor=actor,
            action="governance.action.complete",
            obj=item,
            changes={"done_on": [None, str(item.done_on)]},
        )
    return item
