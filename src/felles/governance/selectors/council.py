"""The advisory council: its composition on a day, the rotating seats and who fills
them, and the providers' budget proposals it states its view on."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db.models import Count, QuerySet
from django.utils import timezone

from felles.core.permissions import Rule
from felles.core.types import AnyUser
from felles.governance.models import BudgetProposal, CouncilTerm
from felles.governance.selectors.roles import is_governance, provider_ids, responsible_in
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation, Role

# The permanent members of the advisory council (the review, chapter 3.2.3).
PERMANENT_MEMBERS = ("DFD", "SMK", "FIN")

may_state = org_selectors.role_rule(Role.GOVERNANCE, Role.COUNCIL_MEMBER)
may_propose_budget = org_selectors.role_rule(Role.PROVIDER_MANAGER)


def proposing_provider_id(user: AnyUser) -> int | None:
    """The provider a manager proposes for (the first by id when they manage several)."""
    managed = provider_ids(user, frozenset({Role.PROVIDER_MANAGER}))
    return min(managed) if managed else None


proposes_budget = Rule("manages a provider", lambda user: proposing_provider_id(user) is not None)


def rotating_candidates() -> list[Organisation]:
    """Ministries that take turns: every current ministry except the permanent members."""
    return list(
        Organisation.objects.customers()
        .filter(valid_to__isnull=True)
        .exclude(abbreviation__in=PERMANENT_MEMBERS)
        .order_by("abbreviation")
    )


def council_on(day: dt.date) -> tuple[list[Organisation], list[CouncilTerm]]:
    """The council on a day: the permanent members and the terms that cover the day."""
    permanent = list(
        Organisation.objects.filter(abbreviation__in=PERMANENT_MEMBERS).order_by("abbreviation")
    )
    seated = list(
        CouncilTerm.objects.filter(starts_on__lte=day, ends_on__gte=day).select_related(
            "ministry", "nominee"
        )
    )
    return permanent, seated


def may_nominate(user: AnyUser, term: CouncilTerm, today: dt.date | None = None) -> bool:
    """A ministry nominates its own member; DFD may fill in for terms that start within a
    year (a year after 29 February is 28 February)."""
    if responsible_in(user, term.ministry_id):
        return True
    today = today or timezone.localdate()
    return is_governance(user) and term.starts_on <= today + relativedelta(years=1)


def terms() -> QuerySet[CouncilTerm]:
    return CouncilTerm.objects.select_related("ministry", "nominee")


def served_counts() -> list[tuple[Organisation, int]]:
    counts = dict(
        CouncilTerm.objects.values_list("ministry_id")
        .annotate(n=Count("id"))
        .values_list("ministry_id", "n")
    )
    return [(m, counts.get(m.pk, 0)) for m in rotating_candidates()]


def proposals() -> QuerySet[BudgetProposal]:
    return BudgetProposal.objects.select_related("provider")
