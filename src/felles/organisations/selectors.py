"""Reads other apps may use: who a user is, which roles they hold, what they may see.

`visible_organisation_ids(user)` is the single source of the ministry boundary: every
ministry-owned queryset filters through it. It returns None for "everything"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet, prefetch_related_objects

from felles.core import prepared, visibility
from felles.core.permissions import Rule
from felles.core.tabular import RowCheck
from felles.core.types import AnyUser
from felles.organisations.models import (
    CROSS_MINISTRY_ROLES,
    PROVIDER_ROLES,
    Absence,
    Organisation,
    Person,
    Role,
    RoleAssignment,
    Unit,
)


@dataclass(frozen=True)
class Access:
    """What one user is, computed once per request and cached on the user object."""

    person: Person | None
    roles: frozenset[tuple[str, int]] = field(default_factory=frozenset)  # (role, org id)
    cross_ministry: bool = False
    organisation_ids: frozenset[int] | None = frozenset()  # None = all
    # (role, provider id, ministries served or None for all) per provider role held.
    provider_roles: tuple[tuple[str, int, frozenset[int] | None], ...] = ()

    def has_role(self, role: str, organisation_id: int | None = None) -> bool:
        return any(
            r == role and (organisation_id is None or o == organisation_id) for r, o in self.roles
        )


def _roles(person_id: int) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(person_id=person_id).only("role", "organisation")


def access_for(user: AnyUser) -> Access:
    if not getattr(user, "is_authenticated", False):
        return Access(person=None)
    cached = getattr(user, "_felles_access", None)
    if cached is not None:
        return cached
    person = _person_of(user)
    # Every request asks: only the columns the access is made of (no timestamps to parse),
    # compiled once per connection (core.prepared).
    assignments = prepared.run("organisations.roles", _roles, person_id=person.pk) if person else []
    provider_roles = [a for a in assignments if a.role in PROVIDER_ROLES]
    if provider_roles:
        # Only provider staff are scoped to the ministries they serve: ministry employees
        # (most requests) skip this query.
        prefetch_related_objects(provider_roles, "served_organisations")
    roles = frozenset((a.role, a.organisation_id) for a in assignments)
    scoped = tuple(
        (a.role, a.organisation_id, frozenset(o.pk for o in a.served_organisations.all()) or None)
        for a in provider_roles
    )
    cross = user.is_superuser or any(a.role in CROSS_MINISTRY_ROLES for a in assignments)
    if cross:
        org_ids: frozenset[int] | None = None
    elif person is None:
        org_ids = frozenset()
    else:
        ids = {person.organisation_id}
        for _role, _provider, served in scoped:
            ids.update(served or Organisation.objects.customers().values_list("pk", flat=True))
        org_ids = frozenset(ids)
    access = Access(
        person=person,
        roles=roles,
        cross_ministry=cross,
        organisation_ids=org_ids,
        provider_roles=scoped,
    )
    user._felles_access = access
    return access


def _person_of(user: AnyUser) -> Person | None:
    """The user's active person with its organisation: loaded along with the user where
    the caller did so (API tokens do), read now otherwise (with the unit too, which the
    pages show)."""
    if get_user_model().person.is_cached(user):
        person = getattr(user, "person", None)  # None when the user has no person
        return person if person is not None and person.active else None
    return (
        Person.objects.select_related("organisation", "unit").filter(user=user, active=True).first()
    )


def person_for(user: AnyUser) -> Person | None:
    return access_for(user).person


def visible_organisation_ids(user: AnyUser) -> frozenset[int] | None:
    return access_for(user).organisation_ids


def has_role(user: AnyUser, role: str) -> bool:
    return bool(getattr(user, "is_superuser", False)) or access_for(user).has_role(role)


def role_rule(*roles: Role) -> Rule:
    """A permission rule satisfied by any of `roles` (superusers always pass)."""
    return Rule("role:" + "|".join(roles), lambda user: any(has_role(user, r) for r in roles))


is_administrator = role_rule(Role.ADMINISTRATOR)
can_read_audit = role_rule(Role.ADMINISTRATOR, Role.AUDITOR)
is_ordering_coordinator = role_rule(Role.ORDERING_COORDINATOR)
works_for_provider = role_rule(Role.PROVIDER_AGENT, Role.PROVIDER_MANAGER, Role.CUSTOMER_CONTACT)
has_person = Rule("has_person", lambda user: person_for(user) is not None or user.is_superuser)


def within_visible_organisations(user: AnyUser) -> Q:
    """Units and people of the organisations `user` may see."""
    ids = visible_organisation_ids(user)
    return Q() if ids is None else Q(organisation_id__in=ids)


def visible_absence_filter(user: AnyUser) -> Q:
    """Absences are personal data: the person, their line manager, their substitute, the
    ordering coordinators and administrators of their organisation, and cross-ministry
    administrators and auditors see them."""
    access = access_for(user)
    if (
        getattr(user, "is_superuser", False)
        or access.has_role(Role.ADMINISTRATOR)
        or access.has_role(Role.AUDITOR)
    ):
        return Q()
    person = access.person
    if person is None:
        return Q(pk__in=[])
    coordinator_orgs = [o for r, o in access.roles if r == Role.ORDERING_COORDINATOR]
    return (
        Q(person=person)
        | Q(person__line_manager=person)
        | Q(substitute=person)
        | Q(person__organisation_id__in=coordinator_orgs)
    )


def can_manage_absences_of(user: AnyUser, person: Person) -> bool:
    """Who may register an absence for `person`: the person, their line manager, and
    administrators."""
    me = person_for(user)
    if has_role(user, Role.ADMINISTRATOR):
        return True
    return me is not None and (me.pk == person.pk or person.line_manager_id == me.pk)


def organisations_for(user: AnyUser) -> QuerySet[Organisation]:
    return Organisation.objects.visible_to(user)


def units_for(user: AnyUser) -> QuerySet[Unit]:
    return Unit.objects.visible_to(user).select_related("organisation", "parent")


def people_for(user: AnyUser) -> QuerySet[Person]:
    return Person.objects.visible_to(user).select_related("organisation", "unit", "line_manager")


def absences_for(user: AnyUser) -> QuerySet[Absence]:
    return Absence.objects.visible_to(user).select_related(
        "person", "person__organisation", "substitute"
    )


def filter_people(
    qs: QuerySet[Person],
    *,
    organisation: str | None = None,
    unit: str | None = None,
    role: str | None = None,
    q: str | None = None,
    manager: str | None = None,
    include_inactive: bool = False,
) -> QuerySet[Person]:
    """Shared filter for the people list page and the API (one filter, two front ends)."""
    if not include_inactive:
        qs = qs.filter(active=True)
    if organisation:
        qs = qs.filter(
            Q(organisation__abbreviation__iexact=organisation)
            | Q(organisation__uuid=_uuid_or_none(organisation))
        )
    if unit:
        qs = qs.filter(Q(unit__uuid=_uuid_or_none(unit)) | Q(unit__code=unit))
    if manager:
        qs = qs.filter(line_manager__uuid=_uuid_or_none(manager))
    if role:
        qs = qs.filter(roles__role=role).distinct()
    if q:
        for word in q.split():
            qs = qs.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(title__icontains=word)
            )
    return qs


def _uuid_or_none(value: str) -> str | None:
    import uuid

    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def unit_tree(organisation: Organisation) -> list[tuple[Unit, int]]:
    """The organisation's units in depth-first order with their depth (one query)."""
    units = list(Unit.objects.filter(organisation=organisation).order_by("code"))
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[tuple[Unit, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for unit in children.get(parent_id, []):
            ordered.append((unit, depth))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return ordered


def ministry_index() -> dict[str, Organisation]:
    """Ministries by lower-case abbreviation and by organisation number: how imports let a
    user name a ministry. Look up with `ministry_key(name)`, or `find_ministry` in a row."""
    index: dict[str, Organisation] = {}
    for org in Organisation.objects.customers():
        index[org.abbreviation.lower()] = org
        index[org.org_number] = org
    return index


def ministry_key(name: str) -> str:
    """«KUD», «kud» and «974 761 424» as `ministry_index` keys them."""
    return name.lower().replace(" ", "")


def find_ministry(
    check: RowCheck, ministries: dict[str, Organisation], key: str = "ministry"
) -> Organisation | None:
    """The ministry an imported row names in column `key` (an error if it names none)."""
    return check.find(
        key, ministries, "«{value}» er ikke et departement i Felles.", normalise=ministry_key
    )


def ministry_data_scope(user: AnyUser) -> frozenset[int] | None:
    """Whose resource data (FTE mappings, baselines, staff transfers) `user` may see: the
    own ministry's; for provider staff the ministries they serve; every ministry's for the
    cross-ministry roles (None means all)."""
    access = access_for(user)
    if getattr(user, "is_superuser", False) or access.cross_ministry:
        return None
    if access.person is None:
        return frozenset()
    if any(served is None for _, _, served in access.provider_roles):
        return None
    return frozenset({access.person.organisation_id}).union(
        *(served for _, _, served in access.provider_roles if served is not None)
    )


# --- provider scope ---------------------------------------------------------------------------
# The one rule for provider staff: a provider role reaches the provider's own matters and
# those of the ministries it serves (every ministry when none are named). Every selector
# that shows or acts on a (provider, ministry) pair goes through these three functions.


def provider_scope(
    user: AnyUser,
    *,
    roles: Iterable[str] = PROVIDER_ROLES,
    provider: str = "provider_id",
    ministry: str = "ministry_id",
) -> Q:
    """Rows whose `provider` is one the user works for in one of `roles` and whose
    `ministry` is one that role serves (or the provider itself). Nothing without such a
    role."""
    wanted = frozenset(roles)
    scope = Q(pk__in=[])
    for role, provider_id, served in access_for(user).provider_roles:
        if role not in wanted:
            continue
        reach = Q(**{provider: provider_id})
        if served is not None:
            reach &= Q(**{f"{ministry}__in": served | {provider_id}})
        scope |= reach
    return scope


def serves(
    user: AnyUser, provider_id: int, ministry_id: int, *, roles: Iterable[str] = PROVIDER_ROLES
) -> bool:
    """Whether the user works for the provider in one of `roles` for this ministry."""
    wanted = frozenset(roles)
    return any(
        role in wanted
        and provider == provider_id
        and (served is None or ministry_id in served or ministry_id == provider_id)
        for role, provider, served in access_for(user).provider_roles
    )


def served_ministries(
    user: AnyUser, provider_id: int, *, roles: Iterable[str] = PROVIDER_ROLES
) -> frozenset[int] | None:
    """The ministries the user serves for the provider in one of `roles` (None: all)."""
    wanted = frozenset(roles)
    reach: set[int] = set()
    for role, provider, served in access_for(user).provider_roles:
        if role in wanted and provider == provider_id:
            if served is None:
                return None
            reach |= served
    return frozenset(reach)


def serves_all(user: AnyUser, provider_id: int, *, roles: Iterable[str] = PROVIDER_ROLES) -> bool:
    """Whether the user works for the provider in one of `roles` without a limit to named
    ministries: what provider-wide matters (cost model, prices, budgets, invoice runs
    covering every ministry) require."""
    wanted = frozenset(roles)
    return any(
        role in wanted and provider == provider_id and served is None
        for role, provider, served in access_for(user).provider_roles
    )


def staff_serving(
    provider_id: int, ministry_id: int, *, roles: Iterable[str] = PROVIDER_ROLES
) -> QuerySet[Person]:
    """The provider's active people who hold one of `roles` for this ministry (a role
    naming no ministries serves them all): who is told about the ministry's orders."""
    assignments = RoleAssignment.objects.filter(
        Q(served_organisations__isnull=True) | Q(served_organisations=ministry_id),
        role__in=list(roles),
        organisation_id=provider_id,
    )
    return Person.objects.filter(active=True, pk__in=assignments.values("person_id"))


def managed_providers(user: AnyUser) -> list[int]:
    """The providers the user manages provider-wide (serving every ministry)."""
    return sorted(
        {
            provider
            for role, provider, served in access_for(user).provider_roles
            if role == Role.PROVIDER_MANAGER and served is None
        }
    )


def manages_provider(user: AnyUser, provider_id: int, ministry_id: int | None = None) -> bool:
    """Whether `user` is one of the provider's managers (its finance and service owners):
    for `ministry_id`, one who serves that ministry; without it, one who serves every
    ministry (provider-wide matters)."""
    if ministry_id is None:
        return serves_all(user, provider_id, roles=(Role.PROVIDER_MANAGER,))
    return serves(user, provider_id, ministry_id, roles=(Role.PROVIDER_MANAGER,))


def person_by_sign_in_claim(*, email: str = "", employee_number: str = "") -> Person | None:
    """The one person an identity provider's claim names, by e-mail (any case) or by
    employee number, with the login user; None when nobody or more than one person
    matches (employee numbers are unique within an organisation only). For sign-in, before
    there is a user to scope by; inactive people are returned so the caller can say why."""
    if email:
        people = Person.objects.filter(email__iexact=email)
    elif employee_number:
        people = Person.objects.filter(employee_number=employee_number)
    else:
        return None
    found = list(people.select_related("user")[:2])
    return found[0] if len(found) == 1 else None


visibility.register(Unit, within_visible_organisations)
visibility.register(Person, within_visible_organisations)
visibility.register(Absence, visible_absence_filter)


def ministries_where(user: AnyUser, *roles: str) -> frozenset[int]:
    """The ministries (never a provider) where the user holds one of `roles`: the ministry
    side of the area modules (a security coordinator's or a leader's own ministry). A
    provider's line manager leads a provider, not a ministry."""
    access = access_for(user)
    if access.person is None:
        return frozenset()
    ids = {o for r, o in access.roles if r in roles}
    if ids and access.person.organisation.kind != Organisation.Kind.MINISTRY:
        ids.discard(access.person.organisation_id)
    return frozenset(ids)


def ministries_led(user: AnyUser) -> frozenset[int]:
    """The ministry the user leads: a line manager of a ministry with nobody above her in
    the line (the departementsråd). Felles has no head-of-ministry role, and everyone with
    reports holds `LINE_MANAGER`, so "any line manager" would make every section head the
    leader. What the law leaves to the leader (signing a risk analysis, reading the
    security register) uses this rule."""
    person = access_for(user).person
    if person is None or person.line_manager_id is not None:
        return frozenset()
    led = ministries_where(user, Role.LINE_MANAGER)
    if not led:
        return led
    # Fails closed: a ministry with two or more people at the top of its line (a manager
    # missing after an import, a role given by hand) has no leader Felles can tell.
    tops = (
        RoleAssignment.objects.filter(
            role=Role.LINE_MANAGER,
            organisation_id__in=led,
            person__organisation_id__in=led,
            person__active=True,
            person__line_manager__isnull=True,
        )
        .values("organisation_id")
        .annotate(people=Count("person_id", distinct=True))
    )
    return frozenset(t["organisation_id"] for t in tops if t["people"] == 1)
