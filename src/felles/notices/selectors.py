"""Notice reads: who sees which notice, who writes and confirms, the feed's notices for a
ministry, and the sender's receipt list (fetched by the intranet, confirmed)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from felles.core import tokens, visibility
from felles.core.types import AnyUser
from felles.notices.models import Confirmation, FeedKey, Fetch, Notice
from felles.organisations import selectors as org_selectors
from felles.organisations.models import CROSS_MINISTRY_ROLES, PROVIDER_ROLES, Organisation, Role

AUTHOR_ROLES = (Role.PROVIDER_MANAGER, Role.GOVERNANCE)
KEY_ROLES = (Role.ORDERING_COORDINATOR, Role.INFORMATION_COORDINATOR)

may_write = org_selectors.role_rule(*AUTHOR_ROLES)
may_manage_key = org_selectors.role_rule(*KEY_ROLES)


def _sees_all(user: AnyUser) -> bool:
    access = org_selectors.access_for(user)
    return bool(getattr(user, "is_superuser", False)) or any(
        r in PROVIDER_ROLES or r in CROSS_MINISTRY_ROLES for r, _ in access.roles
    )


def addressed_to(ministry_id: int) -> Q:
    return Q(everyone=True) | Q(
        pk__in=Notice.audience.through.objects.filter(organisation_id=ministry_id).values(
            "notice_id"
        )
    )


def visible_notice_filter(user: AnyUser) -> Q:
    """Providers' staff, DFD and the cross readers see every notice; a ministry's people
    the notices addressed to their ministry."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if _sees_all(user):
        return Q()
    person = org_selectors.person_for(user)
    if person is None:
        return Q(pk__in=[])
    return addressed_to(person.organisation_id) | Q(author_organisation_id=person.organisation_id)


visibility.register(Notice, visible_notice_filter)


def notices_for(user: AnyUser, area: str = "", kind: str = "") -> QuerySet[Notice]:
    found = Notice.objects.visible_to(user).select_related(
        "area", "author_organisation", "author__organisation"
    )
    if area:
        found = found.filter(area__code=area)
    if kind:
        found = found.filter(kind=kind)
    return found


def feed_notices(ministry: Organisation, area: str = "", kind: str = "") -> QuerySet[Notice]:
    """What a ministry's intranet gets: the notices addressed to it, newest first."""
    found = Notice.objects.filter(addressed_to(ministry.pk)).select_related(
        "area", "author_organisation"
    )
    if area:
        found = found.filter(area__code=area)
    if kind:
        found = found.filter(kind=kind)
    return found.order_by("-published_at")


def key_for(secret: str) -> FeedKey | None:
    if not secret or len(secret) > 200:
        return None
    return FeedKey.objects.select_related("ministry").filter(digest=tokens.digest(secret)).first()


def is_sender(user: AnyUser, notice: Notice) -> bool:
    """The notice's author's organisation, DFD and the cross readers follow its receipts."""
    if getattr(user, "is_superuser", False):
        return True
    access = org_selectors.access_for(user)
    if any(r in CROSS_MINISTRY_ROLES for r, _ in access.roles):
        return True
    person = access.person
    return person is not None and person.organisation_id == notice.author_organisation_id


def may_confirm(user: AnyUser, notice: Notice) -> Organisation | None:
    """The ministry whose ordering coordinator the user is, if the notice asks it for a
    confirmation."""
    person = org_selectors.person_for(user)
    if person is None or not notice.requires_confirmation:
        return None
    access = org_selectors.access_for(user)
    if not access.has_role(Role.ORDERING_COORDINATOR, person.organisation_id):
        return None
    addressed = Notice.objects.filter(addressed_to(person.organisation_id), pk=notice.pk).exists()
    return person.organisation if addressed else None


@dataclass
class Receipt:
    ministry: Organisation
    fetched_at: dt.datetime | None
    fetches: int
    confirmation: Confirmation | None


def receipts(notice: Notice) -> list[Receipt]:
    """Per ministry addressed: when its intranet first fetched the notice, and who
    confirmed it."""
    ministries = Organisation.objects.customers().filter(valid_to__isnull=True)
    if not notice.everyone:
        ministries = ministries.filter(pk__in=notice.audience.values("pk"))
    fetched = {f.ministry_id: f for f in Fetch.objects.filter(notice=notice)}
    confirmed = {
        c.ministry_id: c
        for c in Confirmation.objects.filter(notice=notice).select_related("confirmed_by")
    }
    return [
        Receipt(
            m,
            fetched[m.pk].first_at if m.pk in fetched else None,
            fetched[m.pk].count if m.pk in fetched else 0,
            confirmed.get(m.pk),
        )
        for m in ministries.order_by("abbreviation")
    ]
