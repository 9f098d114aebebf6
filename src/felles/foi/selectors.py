"""Reads of FOI requests: who sees which, who may act, the deadlines of open requests (what
the coordinator's page in `records` shows) and the statistics.

Who sees a request: the ministry's information-management coordinators, the request's
case owner, and DIO's FOI team (the handling team of `if-innsyn`) for the ministries it
serves. DFD (governance), the auditor and the coordinators see statistics: aggregates
only, never a requester."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from felles.catalog import selectors as catalog_selectors
from felles.core import visibility
from felles.core.permissions import Rule
from felles.core.types import AnyUser
from felles.foi import answer, rules
from felles.foi.models import Request
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation, Person, Role

SERVICE_CODE = "if-innsyn"


def target_days() -> int:
    return int(getattr(settings, "FELLES_FOI_TARGET_DAYS", rules.DEFAULT_TARGET_DAYS))


def team_reach(user: AnyUser) -> frozenset[int] | None:
    """The ministries whose requests the user works on as DIO's FOI team (None: all)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_felles_foi_reach", False)
    if cached is not False:
        return cached
    reach = catalog_selectors.handling_reach(user, (SERVICE_CODE,))
    user._felles_foi_reach = reach
    return reach


def coordinator_of(user: AnyUser) -> frozenset[int]:
    access = org_selectors.access_for(user)
    return frozenset(o for r, o in access.roles if r == Role.INFORMATION_COORDINATOR)


def in_team(user: AnyUser) -> bool:
    reach = team_reach(user)
    return reach is None or bool(reach)


def owns_cases(user: AnyUser) -> bool:
    person = org_selectors.person_for(user)
    return person is not None and Request.objects.filter(case_owner=person).exists()


def visible_request_filter(user: AnyUser) -> Q:
    reach = team_reach(user)
    if reach is None:
        return Q()
    rule = Q(ministry_id__in=set(reach) | set(coordinator_of(user)))
    person = org_selectors.person_for(user)
    if person is not None:
        rule |= Q(case_owner=person)
    return rule


visibility.register(Request, visible_request_filter)

is_team = Rule("foi team", in_team)
may_work = Rule(
    "foi work", lambda user: in_team(user) or bool(coordinator_of(user)) or owns_cases(user)
)


def statistics_scope(user: AnyUser) -> frozenset[int] | None:
    """The ministries whose statistics the user sees (None: every ministry; empty: none)."""
    access = org_selectors.access_for(user)
    if access.has_role(Role.GOVERNANCE) or access.has_role(Role.AUDITOR):
        return None
    reach = team_reach(user)
    if reach is None:
        return None
    return frozenset(reach) | coordinator_of(user)


may_see_statistics = Rule("foi statistics", lambda user: statistics_scope(user) != frozenset())


def requests_for(user: AnyUser) -> QuerySet[Request]:
    return Request.objects.visible_to(user).select_related(
        "ministry", "order", "case_owner", "order__service"
    )


def ministries_for_intake(user: AnyUser) -> QuerySet[Organisation]:
    """The ministries the FOI team registers requests for."""
    ministries = Organisation.objects.customers().order_by("abbreviation")
    reach = team_reach(user)
    return ministries if reach is None else ministries.filter(pk__in=reach)


# --- who may do what (the services enforce the same functions) ---------------------------


def prepares(user: AnyUser, request: Request) -> bool:
    """DIO's FOI team serving the ministry prepares the items."""
    reach = team_reach(user)
    return reach is None or request.ministry_id in reach


def decides(user: AnyUser, request: Request) -> bool:
    """The request's case owner decides (the ministry's person, never DIO)."""
    person = org_selectors.person_for(user)
    return (
        person is not None
        and request.case_owner_id == person.pk
        and person.organisation_id == request.ministry_id
    )


def assigns_owner(user: AnyUser, request: Request) -> bool:
    """The FOI team and the ministry's coordinators name the case owner."""
    return prepares(user, request) or request.ministry_id in coordinator_of(user)


def case_owner_choices(ministry: Organisation) -> QuerySet[Person]:
    return Person.objects.filter(organisation=ministry, active=True).order_by(
        "last_name", "first_name"
    )


# --- deadlines (for the request page and the coordinator's page) --------------------------


@dataclass(frozen=True)
class OpenRequest:
    request: Request
    target: dt.date
    deemed_refusal: dt.date
    state: str  # rules.OK / WARNING / DUE / OVERDUE against the deemed-refusal date
    target_state: str


def deadlines_of(request: Request, today: dt.date | None = None) -> OpenRequest:
    today = today or timezone.localdate()
    d = rules.deadlines(request.received_on, target_days())
    return OpenRequest(
        request=request,
        target=d.target,
        deemed_refusal=d.deemed_refusal,
        state=rules.deadline_state(today, d.deemed_refusal),
        target_state=rules.deadline_state(today, d.target),
    )


def open_requests_for(
    user: AnyUser, ministry: Organisation | int | None = None, today: dt.date | None = None
) -> list[OpenRequest]:
    """The unanswered requests the user sees (of one ministry if given), oldest first, with
    the law's deadlines and their warning state. The coordinator's page uses this."""
    requests = requests_for(user).filter(answered_on__isnull=True)
    if ministry is not None:
        requests = requests.filter(ministry_id=getattr(ministry, "pk", ministry))
    return [deadlines_of(r, today) for r in requests.order_by("received_on", "id")]


# The answer to the requester drafted from the decisions.
draft_answer = answer.draft_answer


def in_menu(user: AnyUser) -> bool:
    """Whether the menu shows the requests: a coordinator at once (no query); provider
    staff if on the team; managers if they own a case (one query for those only)."""
    access = org_selectors.access_for(user)
    if coordinator_of(user):
        return True
    if access.provider_roles:
        return in_team(user)
    if access.has_role(Role.LINE_MANAGER) or access.has_role(Role.BUDGET_HOLDER):
        return owns_cases(user)
    return False


def statistics_in_menu(user: AnyUser) -> bool:
    access = org_selectors.access_for(user)
    if access.has_role(Role.GOVERNANCE) or access.has_role(Role.AUDITOR):
        return True
    return bool(coordinator_of(user)) or (bool(access.provider_roles) and in_team(user))
