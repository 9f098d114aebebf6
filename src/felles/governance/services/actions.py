"""Action items, the one mechanism for follow-up with an owner and a deadline: items on
another app's record (an incident, a ROS analysis, an exercise) and completing any item.
A meeting's items are added with the meeting (`record_meeting`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import Conflict, ServiceError, allowed
from felles.core.validators import control_character, control_character_message, date_in_range
from felles.governance import selectors
from felles.governance.models import ActionItem
from felles.organisations.models import Person

NOT_HANDLER = gettext_lazy("Du kan ikke legge til oppfølgingspunkter her.")
NOT_YOURS = gettext_lazy("Bare eieren eller de som følger opp saken, kan markere punktet utført.")


def _checked(rows: Iterable[tuple[str, Person, dt.date]]) -> list[tuple[str, Person, dt.date]]:
    checked = []
    for text, owner, due in rows:
        text = (text or "").strip()
        if not text:
            continue
        char = control_character(text)
        if char is not None:
            raise ServiceError(control_character_message(char), {"text": [_("Ugyldig tegn.")]})
        if len(text) > 300:
            raise ServiceError(
                _("Et oppfølgingspunkt kan ha høyst 300 tegn."), {"text": [_("For langt.")]}
            )
        if due is None or not date_in_range(due):
            raise ServiceError(
                _("Fristen må ligge mellom 1.1.2000 og 31.12.2100."), {"due_on": [_("Ugyldig.")]}
            )
        if not owner.active:
            raise ServiceError(_("Eieren må være en aktiv person."), {"owner": [_("Ugyldig.")]})
        checked.append((text, owner, due))
    return checked


@allowed(lambda user, subject, **_: selectors.handles_subject(user, subject), NOT_HANDLER)
def add_actions(
    *,
    actor: Actor,
    subject: models.Model,
    actions: Iterable[tuple[str, Person, dt.date]],
    about: models.Model | None = None,
    organisation_id: int | None = None,
) -> list[ActionItem]:
    """Items (text, owner, due date) on `subject`, a record of an app that registered its
    rules in `governance.events.action_subjects`, optionally `about` a part of it (the risk
    a measure answers); empty texts are dropped. The subject's app checks first who may own
    its items. `organisation_id` files the audit events under that organisation."""
    rows = _checked(actions)
    subject_type = ContentType.objects.get_for_model(subject)
    about_type = ContentType.objects.get_for_model(about) if about is not None else None
    with transaction.atomic():
        items = [
            ActionItem.objects.create(
                subject_type=subject_type,
                subject_id=subject.pk,
                about_type=about_type,
                about_id=about.pk if about is not None else None,
                text=text,
                owner=owner,
                due_on=due,
            )
            for text, owner, due in rows
        ]
        for item in items:
            # Filed under the subject record, so that the audit log masks an item of a
            # sensitive record (an incident) as it masks the record.
            audit.record(
                actor=actor,
                action="governance.action.add",
                obj=subject,
                changes={
                    "action": [None, str(item.uuid)],
                    "owner": [None, item.owner.full_name],
                    "due_on": [None, str(item.due_on)],
                },
                organisation_id=organisation_id,
            )
    return items


@allowed(lambda user, item, **_: selectors.may_complete_action(user, item), NOT_YOURS)
def complete_action(*, actor: Actor, item: ActionItem) -> ActionItem:
    """Mark an item done (once): its owner, a meeting's parties, or whoever handles the
    subject record."""
    with transaction.atomic():
        if not ActionItem.objects.filter(pk=item.pk, done_on__isnull=True).update(
            done_on=timezone.localdate()
        ):
            raise Conflict(_("Punktet er allerede utført."))
        item.refresh_from_db()
        # Filed under the item's parent (the meeting or the subject record) with the
        # item's id, never its text: the audit log shows an object's name, and a meeting's
        # or an incident's items are no more public than the meeting or the incident.
        if item.meeting_id is not None:
            parent: models.Model | None = item.meeting
            series = item.meeting.series
            organisation_id = series.ministry_id or series.provider_id
        else:
            parent, organisation_id = item.subject, None
        if parent is None:
            raise Conflict(_("Punktet hører ikke lenger til et møte eller en sak."))
        audit.record(
            actor=actor,
            action="governance.action.complete",
            obj=parent,
            changes={"action": [None, str(item.uuid)], "done_on": [None, str(item.done_on)]},
            organisation_id=organisation_id,
        )
    return item
