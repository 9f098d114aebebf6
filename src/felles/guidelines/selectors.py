"""Guideline reads: who sees which version, who may write, adopt and answer, the search,
and the adoption matrix across the ministries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from felles.core import visibility
from felles.core.permissions import Rule
from felles.core.types import AnyUser
from felles.governance import selectors as gov
from felles.guidelines import rules
from felles.guidelines.models import Adoption, Guideline, Version
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation, Role

PUBLISHED = (
    Version.Status.HEARING,
    Version.Status.ADOPTED,
    Version.Status.REPLACED,
    Version.Status.WITHDRAWN,
)


def _sees_everything(user: AnyUser) -> bool:
    return bool(getattr(user, "is_superuser", False)) or any(
        org_selectors.has_role(user, r) for r in (Role.AUDITOR, Role.ADMINISTRATOR)
    )


def may_author(user: AnyUser, owner: Organisation) -> bool:
    """DFD's governance users write DFD's guidelines; a provider's managers (serving every
    ministry) write the provider's."""
    if owner.is_governing:
        return org_selectors.access_for(user).has_role(Role.GOVERNANCE, owner.pk)
    return org_selectors.manages_provider(user, owner.pk)


def authored_owner_ids(user: AnyUser) -> set[int]:
    """The owners the user writes for (DFD, a provider), for lists and the matrix."""
    ids = {o for r, o in org_selectors.access_for(user).roles if r == Role.GOVERNANCE}
    ids.update(org_selectors.managed_providers(user))
    return ids


def visible_version_filter(user: AnyUser) -> Q:
    """Versions on hearing and later are published to everyone signed in (every ministry
    is heard); a draft is seen by its owner's writers and the cross readers."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if _sees_everything(user):
        return Q()
    scope = Q(status__in=PUBLISHED)
    owners = authored_owner_ids(user)
    if owners:
        scope |= Q(guideline__owner_id__in=owners)
    return scope


visibility.register(Version, visible_version_filter)

may_write = Rule(
    "guidelines:write",
    lambda user: (
        org_selectors.has_role(user, Role.GOVERNANCE) or bool(org_selectors.managed_providers(user))
    ),
)
may_see_matrix = org_selectors.role_rule(
    Role.GOVERNANCE, Role.PROVIDER_MANAGER, Role.AUDITOR, Role.ADMINISTRATOR
)


def may_adopt(user: AnyUser, version: Version) -> bool:
    """The body that decides the version's case adopts it (DFD for common guidelines)."""
    case = version.case
    if case is None:
        return False
    return gov.is_decider(user, case, case.decided_level or case.level)


def may_answer(user: AnyUser, ministry: Organisation) -> bool:
    """A ministry's responsible people (leaders, coordinators) answer for it."""
    return ministry.kind == Organisation.Kind.MINISTRY and gov.responsible_in(user, ministry.pk)


def answering_ministry(user: AnyUser) -> Organisation | None:
    """The ministry the user answers for, if any."""
    person = org_selectors.person_for(user)
    if person is None or not may_answer(user, person.organisation):
        return None
    return person.organisation


def guidelines_for(user: AnyUser, q: str = "", area: str = "") -> QuerySet[Guideline]:
    """Guidelines with at least one version the user sees, searched in title, code and
    the text of those versions (case-folded text: the same on every database)."""
    versions = Version.objects.visible_to(user)
    found = Guideline.objects.filter(pk__in=versions.values("guideline_id"))
    if q:
        hits = versions.filter(search_text__contains=q.casefold())
        found = found.filter(pk__in=hits.values("guideline_id"))
    if area:
        found = found.filter(area__code=area)
    return found.select_related("area", "owner").prefetch_related(
        Prefetch("versions", queryset=versions.order_by("-number"), to_attr="seen_versions")
    )


def versions_for(user: AnyUser, guideline: Guideline) -> QuerySet[Version]:
    return (
        Version.objects.visible_to(user)
        .filter(guideline=guideline)
        .select_related("case", "written_by__organisation")
        .order_by("-number")
    )


def current_version(guideline: Guideline) -> Version | None:
    return guideline.versions.filter(status=Version.Status.ADOPTED).first()


def feed_versions() -> QuerySet[Version]:
    """New and changed versions, newest first: on hearing and adopted ones."""
    return (
        Version.objects.filter(status__in=PUBLISHED)
        .select_related("guideline__area", "guideline__owner", "case")
        .order_by("-updated_at")
    )


@dataclass
class Cell:
    ministry: Organisation
    adoption: Adoption | None
    overdue: bool

    @property
    def expired(self) -> bool:
        """An exception past its end date (overdue: counted with the late answers)."""
        return bool(self.overdue and self.adoption is not None)


@dataclass
class Row:
    guideline: Guideline
    version: Version
    cells: list[Cell] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(c.overdue for c in self.cells)


def reopen_refusal(*, case: Any) -> str | None:
    """governance.events.reopen_refusal: a case whose decision adopted a version may not
    be reopened (the ministries follow that version and answer to it); the version is
    withdrawn or replaced by a new one instead."""
    version = (
        Version.objects.filter(case=case, adopted_at__isnull=False)
        .select_related("guideline")
        .first()
    )
    if version is None:
        return None
    return _(
        "Saken vedtok versjon %(n)s av retningslinjen «%(title)s» og kan ikke gjenåpnes. "
        "Trekk versjonen tilbake eller send en ny versjon på høring."
    ) % {"n": version.number, "title": version.guideline.title}


def ministries() -> list[Organisation]:
    return list(Organisation.objects.customers().filter(valid_to__isnull=True))


def matrix(user: AnyUser, today: dt.date | None = None) -> tuple[list[Organisation], list[Row]]:
    """Every adopted version the user follows (DFD and the cross readers: all; a
    provider's managers: their own) against every ministry, overdue answers flagged."""
    today = today or timezone.localdate()
    versions = Version.objects.filter(status=Version.Status.ADOPTED).select_related(
        "guideline__area", "guideline__owner"
    )
    if not (_sees_everything(user) or org_selectors.has_role(user, Role.GOVERNANCE)):
        versions = versions.filter(guideline__owner_id__in=authored_owner_ids(user))
    orgs = ministries()
    answers = {
        (a.version_id, a.ministry_id): a
        for a in Adoption.objects.filter(version__in=versions).select_related("recorded_by")
    }
    rows = []
    for version in versions.order_by("guideline__area__position", "guideline__title"):
        row = Row(version.guideline, version)
        for org in orgs:
            answer = answers.get((version.pk, org.pk))
            ends = answer.ends_on if answer and answer.status == Adoption.Status.EXCEPTION else None
            overdue = rules.is_overdue(version.respond_by, today, answer is not None, ends)
            row.cells.append(Cell(org, answer, overdue))
        rows.append(row)
    return orgs, rows
