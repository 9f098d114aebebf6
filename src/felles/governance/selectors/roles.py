"""Who holds a responsibility in governance: the role rules every topic shares."""

from __future__ import annotations

from felles.core.types import AnyUser
from felles.organisations import selectors as org_selectors
from felles.organisations.models import PROVIDER_ROLES, Role

# Who may raise a case or speak for their organisation in a hearing: the people who hold
# a responsibility, not every employee.
RESPONSIBLE_ROLES = frozenset(
    {
        Role.LINE_MANAGER,
        Role.BUDGET_HOLDER,
        Role.ORDERING_COORDINATOR,
        Role.SECURITY_COORDINATOR,
        Role.INFORMATION_COORDINATOR,
        Role.CUSTOMER_CONTACT,
        Role.PROVIDER_AGENT,
        Role.PROVIDER_MANAGER,
        Role.GOVERNANCE,
        Role.COUNCIL_MEMBER,
    }
)

may_raise = org_selectors.role_rule(*RESPONSIBLE_ROLES)
is_governance = org_selectors.role_rule(Role.GOVERNANCE)


def roles_of(user: AnyUser) -> frozenset[tuple[str, int]]:
    return org_selectors.access_for(user).roles


def sees_everything(user: AnyUser) -> bool:
    return bool(getattr(user, "is_superuser", False)) or any(
        r in (Role.AUDITOR, Role.ADMINISTRATOR) for r, _ in roles_of(user)
    )


def provider_ids(user: AnyUser, roles: frozenset[str] = PROVIDER_ROLES) -> set[int]:
    """The organisations where the user holds one of `roles` (by default: provider roles)."""
    return {o for r, o in roles_of(user) if r in roles}


def responsible_in(user: AnyUser, organisation_id: int) -> bool:
    return any(r in RESPONSIBLE_ROLES and o == organisation_id for r, o in roles_of(user))
