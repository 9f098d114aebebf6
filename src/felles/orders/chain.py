"""The organisation data an approval chain is computed from (read-only): line managers as
the chain asks for them, and the role holders or group the service's policy needs. Order
submission and the order form's preview of the chain share it, so the chain shown before
sending is the one the order gets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext

from felles.catalog.models import Funding, PriceVersion, Service
from felles.orders import approval
from felles.orders.models import STEP_LABELS
from felles.organisations.models import Absence, Person, Role, RoleAssignment


class _LineManagers(Mapping[int, "int | None"]):
    """Person id → line-manager id in one ministry, read person by person on demand: a
    chain needs the beneficiary's manager and seldom more, not the whole ministry."""

    def __init__(self, ministry_id: int, known: Iterable[Person]) -> None:
        self._ministry_id = ministry_id
        self._known: dict[int, int | None] = {p.pk: p.line_manager_id for p in known}
        self._absent: set[int] = set()

    def __getitem__(self, person_id: int) -> int | None:
        if person_id in self._known:
            return self._known[person_id]
        if person_id in self._absent:
            raise KeyError(person_id)
        rows = list(
            Person.objects.filter(pk=person_id, organisation_id=self._ministry_id).values_list(
                "line_manager_id", flat=True
            )
        )
        if not rows:
            self._absent.add(person_id)
            raise KeyError(person_id)
        self._known[person_id] = rows[0]
        return rows[0]

    def _all(self) -> dict[int, int | None]:
        return dict(
            Person.objects.filter(organisation_id=self._ministry_id).values_list(
                "pk", "line_manager_id"
            )
        )

    def __iter__(self) -> Iterator[int]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


def org_data(ministry_id: int, service: Service, people: Iterable[Person]) -> approval.OrgData:
    """What `approval.chain` needs for the service's policy, and only that: role holders for
    the budget and security policies, the service's group for group approval; line
    managers as the chain asks for them, starting from `people` (already loaded)."""
    policy = service.approval_policy
    holders: dict[str, set[int]] = {Role.BUDGET_HOLDER: set(), Role.SECURITY_COORDINATOR: set()}
    if policy in (approval.LINE_MANAGER_AND_BUDGET, approval.SECURITY_COORDINATOR):
        for role, person_id in RoleAssignment.objects.filter(
            organisation_id=ministry_id, role__in=list(holders)
        ).values_list("role", "person_id"):
            holders[role].add(person_id)
    group: frozenset[int] = frozenset()
    if policy == approval.APPROVER_GROUP:
        group = frozenset(service.approver_group.values_list("pk", flat=True))
    return approval.OrgData(
        managers=_LineManagers(ministry_id, people),
        budget_holders=frozenset(holders[Role.BUDGET_HOLDER]),
        security_coordinators=frozenset(holders[Role.SECURITY_COORDINATOR]),
        approver_group=group,
    )


def estimate(
    service: Service, funding: str, quantity: Decimal, day: dt.date
) -> tuple[PriceVersion | None, Decimal | None]:
    """The price version and estimated amount an order of `quantity` gets on `day`
    (none for a service the ministry does not pay for per order)."""
    price = service.price_on(day) if funding != Funding.APPROPRIATION else None
    amount = (price.unit_price * quantity).quantize(Decimal("0.01")) if price else None
    return price, amount


@dataclass(frozen=True)
class PreviewStep:
    """One step of the chain as the order form shows it: who, in which role, and who
    decides instead while they are away."""

    kind: str
    label: str
    people: tuple[Person, ...]
    substitutes: tuple[tuple[Person, Person | None], ...] = ()  # (absent, substitute)
    reason: str = ""  # why the step is there, for a restricted service


@dataclass(frozen=True)
class Preview:
    steps: tuple[PreviewStep, ...]
    amount: Decimal | None
    threshold: Decimal | None  # the budget holder's limit, where the policy has one
    problem: str = ""  # nobody may approve: the order would be refused with this
    # For a restricted service: who sees the order, and why there is no approval if none.
    confidential: str = ""
    no_approval: str = ""


def preview(
    *,
    service: Service,
    orderer: Person,
    beneficiary: Person | None = None,
    quantity: Decimal = Decimal("1"),
    day: dt.date | None = None,
) -> Preview:
    """The approval chain an order would get if sent now, computed with the same rules as
    `services.submit_order` and writing nothing."""
    day = day or timezone.localdate()
    beneficiary = beneficiary or orderer
    funding = service.funding_for(orderer.organisation)
    _price, amount = estimate(service, funding, quantity, day)
    threshold = (
        service.approval_threshold
        if service.approval_policy == approval.LINE_MANAGER_AND_BUDGET
        and funding != Funding.APPROPRIATION
        else None
    )
    try:
        steps = approval.chain(
            service.approval_policy,
            orderer_id=orderer.pk,
            beneficiary_id=beneficiary.pk,
            invoiced=funding != Funding.APPROPRIATION,
            amount=amount,
            threshold=service.approval_threshold,
            org=org_data(orderer.organisation_id, service, (orderer, beneficiary)),
        )
    except approval.NoApprover as exc:
        return Preview((), amount, threshold, gettext(str(exc)))
    confidential = service.is_confidential
    notes = {
        "confidential": gettext(service.get_confidentiality_display()) if confidential else "",
        "no_approval": gettext(approval.CONFIDENTIAL_NO_APPROVAL) if confidential else "",
    }
    excluded = {orderer.pk, beneficiary.pk}
    people: dict[int, Person] = {}
    named = {s.approver_id for s in steps if s.approver_id is not None}
    members: dict[str, list[int]] = {}
    for step in steps:
        if step.approver_id is None:
            members[step.kind] = sorted(_members(step.kind, service, orderer) - excluded)
            named |= set(members[step.kind])
    if named:
        people = {
            p.pk: p for p in Person.objects.filter(pk__in=named).select_related("organisation")
        }
    absent: dict[int, Person | None] = {}
    for absence in Absence.objects.filter(
        person_id__in=list(people), starts_on__lte=day, ends_on__gte=day
    ).select_related("substitute"):
        absent.setdefault(absence.person_id, absence.substitute)
    shown = []
    for step in steps:
        ids = [step.approver_id] if step.approver_id is not None else members[step.kind]
        who = tuple(people[i] for i in ids if i in people)
        shown.append(
            PreviewStep(
                step.kind,
                str(STEP_LABELS.get(step.kind, step.kind)),
                who,
                tuple((p, absent[p.pk]) for p in who if p.pk in absent),
                gettext(approval.confidential_reason(step.kind)) if confidential else "",
            )
        )
    return Preview(tuple(shown), amount, threshold, **notes)


def _members(kind: str, service: Service, orderer: Person) -> set[int]:
    """Who may decide a role or group step (any one of them)."""
    if kind == approval.SECURITY_COORDINATOR:
        return set(
            RoleAssignment.objects.filter(
                role=Role.SECURITY_COORDINATOR,
                organisation_id=orderer.organisation_id,
                person__active=True,
            ).values_list("person_id", flat=True)
        )
    return set(service.approver_group.filter(active=True).values_list("pk", flat=True))
