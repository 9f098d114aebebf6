"""The case register: who sees which case, who may act on it, and the register's
statistics."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from felles.core import visibility
from felles.core.calendar import working_days_between
from felles.core.types import AnyUser
from felles.governance import rules
from felles.governance.models import Case, Hearing
from felles.governance.selectors.roles import responsible_in, sees_everything
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Role


def visible_case_filter(user: AnyUser) -> Q:
    """Decided cases are published to everyone. An open case is seen by the organisation
    that raised it, the provider it concerns, the parties to be heard, and DFD once it has
    reached the strategic level (DFD's level). Auditors and administrators see all."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if sees_everything(user):
        return Q()
    access = org_selectors.access_for(user)
    scope = Q(status=Case.Status.DECIDED)
    if access.person is None:
        return scope
    org = access.person.organisation_id
    scope |= Q(raised_by_organisation_id=org) | org_selectors.provider_scope(
        user, ministry="raised_by_organisation_id"
    )
    heard = Q(organisation_id=org)
    if access.has_role(Role.COUNCIL_MEMBER):
        heard |= Q(kind=Hearing.Kind.COUNCIL)
    scope |= Q(pk__in=Hearing.objects.filter(heard).values("case_id"))
    if access.has_role(Role.GOVERNANCE):
        scope |= Q(level=rules.STRATEGIC)
    return scope


def cases_for(user: AnyUser) -> QuerySet[Case]:
    return Case.objects.visible_to(user).select_related(
        "right",
        "provider",
        "raised_by_organisation",
        "area",
        "raised_by__organisation",
        "decided_by__organisation",
    )


def decision_log() -> QuerySet[Case]:
    """Every decided case, newest first: the published decision log."""
    return (
        Case.objects.filter(status=Case.Status.DECIDED)
        .select_related("right", "provider", "raised_by_organisation", "decided_by__organisation")
        .order_by("-decided_at")
    )


# Who may act on a case is two questions: whether the user speaks for the body concerned
# (the services' rules ask only this, so a stale or settled case gets its own answer, a
# 409), and whether the case's state allows the step now (the pages ask both, to offer
# only the steps that can succeed).


def is_decider(user: AnyUser, case: Case, level: str) -> bool:
    """Whether the user speaks for the body that decides the case at `level`: DFD for
    strategic questions, the provider's managers serving the ministry otherwise."""
    if rules.decider_for(level) == rules.DFD:
        return org_selectors.has_role(user, Role.GOVERNANCE)
    return org_selectors.manages_provider(user, case.provider_id, case.raised_by_organisation_id)


def is_case_party(user: AnyUser, case: Case) -> bool:
    """The provider's people serving the ministry, and the responsible people of the
    organisation that raised the case."""
    return org_selectors.serves(
        user, case.provider_id, case.raised_by_organisation_id
    ) or responsible_in(user, case.raised_by_organisation_id)


def may_decide(user: AnyUser, case: Case) -> bool:
    return case.status == Case.Status.OPEN and is_decider(user, case, case.level)


def may_escalate(user: AnyUser, case: Case) -> bool:
    """The provider's people, and the organisation that raised the case when it disagrees,
    may lift an open case one level; DFD is the top."""
    if case.status != Case.Status.OPEN or case.level == rules.STRATEGIC:
        return False
    return is_case_party(user, case)


def may_reopen(user: AnyUser, case: Case) -> bool:
    """Only the body that decided may reopen its decision."""
    return case.status == Case.Status.DECIDED and is_decider(user, case, case.decided_level)


def may_answer(user: AnyUser, hearing: Hearing) -> bool:
    """A party's responsible people answer its hearing; the council's members answer the
    council's; the decider's secretariat records a forum's input. (Whether the hearing is
    still open is the service's question.)"""
    if hearing.kind == Hearing.Kind.ORGANISATION:
        return hearing.organisation_id is not None and responsible_in(user, hearing.organisation_id)
    if hearing.kind == Hearing.Kind.COUNCIL:
        return org_selectors.has_role(user, Role.COUNCIL_MEMBER)
    return may_decide(user, hearing.case)


def hearings_open_for(user: AnyUser) -> QuerySet[Hearing]:
    """Unanswered hearings the user's organisation (or council) must answer."""
    person = org_selectors.person_for(user)
    if person is None:
        return Hearing.objects.none()
    scope = Q(organisation_id=person.organisation_id)
    if org_selectors.has_role(user, Role.COUNCIL_MEMBER):
        scope |= Q(kind=Hearing.Kind.COUNCIL)
    return (
        Hearing.objects.filter(scope, answered_at__isnull=True, case__status=Case.Status.OPEN)
        .filter(case__in=cases_for(user))
        .select_related("case")
        .order_by("deadline")
    )


def cases_waiting_for(user: AnyUser) -> QuerySet[Case]:
    """Open cases the user's body must decide: DFD's strategic ones, or the provider's."""
    open_cases = cases_for(user).filter(status=Case.Status.OPEN)
    scope = Q(pk__in=[])
    if org_selectors.has_role(user, Role.GOVERNANCE):
        scope |= Q(level=rules.STRATEGIC)
    scope |= org_selectors.provider_scope(
        user, roles=(Role.PROVIDER_MANAGER,), ministry="raised_by_organisation_id"
    ) & ~Q(level=rules.STRATEGIC)
    return open_cases.filter(scope)


def settlement_stats(cases: QuerySet[Case]) -> list[rules.LevelStats]:
    """How many visible cases were settled at each level, and in how many working days."""
    rows = cases.filter(status=Case.Status.DECIDED).values_list(
        "decided_level", "created_at", "decided_at"
    )
    return rules.settlement_stats(
        (
            level,
            working_days_between(timezone.localdate(created), timezone.localdate(decided)),
        )
        for level, created, decided in rows
    )


visibility.register(Case, visible_case_filter)
