"""Action items, the one mechanism for follow-up with an owner and a deadline: who sees and
completes an item, a record's items and a person's own items («Mine oppfølgingspunkter»).

A meeting's item is seen by whoever reads the meeting's series and completed by its
parties; a subject's item (an incident's, an analysis's, an exercise's) by the rules the
subject's app registered (`governance.events.action_subjects`). The owner always sees and
completes her own item."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.urls import reverse

from felles.core.types import AnyUser
from felles.governance.events import action_subjects
from felles.governance.models import ActionItem
from felles.governance.selectors.dialogue import is_party, series_for
from felles.organisations import selectors as org_selectors


def _is_owner(user: AnyUser, item: ActionItem) -> bool:
    person = org_selectors.person_for(user)
    return person is not None and person.pk == item.owner_id


def may_see_subject(user: AnyUser, item: ActionItem) -> bool:
    """Whether the user may open the item's meeting series or subject record."""
    if item.meeting_id is not None:
        return series_for(user).filter(pk=item.meeting.series_id).exists()
    subject = action_subjects.get(item.subject_type.model_class() if item.subject_type else None)
    return subject is not None and subject.visible(user).filter(pk=item.subject_id).exists()


def source_url(user: AnyUser, item: ActionItem) -> str | None:
    """The page of the item's meeting series or subject record, when the user may open it."""
    if not may_see_subject(user, item):
        return None
    if item.meeting_id is not None:
        return reverse("series", kwargs={"series_id": item.meeting.series.uuid})
    subject = action_subjects.get(item.subject_type.model_class())
    return subject.url(item.subject) if subject is not None else None


def may_see_action(user: AnyUser, item: ActionItem) -> bool:
    return _is_owner(user, item) or may_see_subject(user, item)


def handles_subject(user: AnyUser, record: models.Model) -> bool:
    """Whether the user adds and completes the items of `record` (its app's rule)."""
    subject = action_subjects.get(record)
    return subject is not None and subject.handles(user, record)


def may_complete_action(user: AnyUser, item: ActionItem) -> bool:
    """The owner; a meeting's parties; whoever handles the subject record."""
    if _is_owner(user, item):
        return True
    if item.meeting_id is not None:
        return is_party(user, item.meeting.series)
    return item.subject is not None and handles_subject(user, item.subject)


def subject_actions(record: models.Model) -> QuerySet[ActionItem]:
    """The items of one subject record (the caller has checked that the reader sees it)."""
    return ActionItem.objects.filter(
        subject_type=ContentType.objects.get_for_model(record), subject_id=record.pk
    ).select_related("owner")


@dataclass(frozen=True)
class OwnAction:
    """One of the person's items: the text (she owns it), and where it came from: a link
    and a name when she may open the meeting series or record, else only its kind."""

    item: ActionItem
    source: str
    url: str | None


def actions_of(
    user: AnyUser, *, open_only: bool = False, app_label: str = "", limit: int = 100
) -> list[OwnAction]:
    """The person's own items, open first by deadline, then the ones done most recently;
    `app_label` keeps the items on that app's records only."""
    person = org_selectors.person_for(user)
    if person is None:
        return []
    items = ActionItem.objects.filter(owner=person).select_related(
        "meeting__series__ministry", "meeting__series__provider", "subject_type"
    )
    if open_only:
        items = items.filter(done_on__isnull=True)
    if app_label:
        items = items.filter(subject_type__app_label=app_label)
    rows = list(items.order_by(models.F("done_on").desc(nulls_first=True), "due_on")[:limit])
    readable = set(series_for(user).values_list("pk", flat=True))
    visible: dict[int, set[int]] = {}
    for ct_id in {i.subject_type_id for i in rows if i.subject_type_id is not None}:
        ct = ContentType.objects.get_for_id(ct_id)
        subject = action_subjects.get(ct.model_class())
        ids = [i.subject_id for i in rows if i.subject_type_id == ct_id]
        visible[ct_id] = (
            set(subject.visible(user).filter(pk__in=ids).values_list("pk", flat=True))
            if subject is not None
            else set()
        )
    result = []
    for item in rows:
        if item.meeting_id is not None:
            series = item.meeting.series
            ok = series.pk in readable
            url = reverse("series", kwargs={"series_id": series.uuid}) if ok else None
            result.append(OwnAction(item, str(series), url))
            continue
        ct = item.subject_type
        model = ct.model_class()
        record: Any = item.subject if item.subject_id in visible.get(ct.pk, set()) else None
        subject = action_subjects.get(model)
        if record is None or subject is None:
            kind = model._meta.verbose_name if model is not None else ct.model
            result.append(OwnAction(item, str(kind), None))
        else:
            result.append(OwnAction(item, str(record), subject.url(record)))
    return result
