"""Approval chains (pure): who must approve an order, computed from the service's policy
and plain organisation data. Delegation to substitutes is decided at decision time, not
here, so a chain never goes stale when someone registers an absence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal


def _(text: str) -> str:
    """Marks a text for the translation catalogue; the caller translates it where it is
    shown (`services.submit_order`, the order form's preview), keeping this module pure."""
    return text


NONE = "none"
LINE_MANAGER = "line_manager"
LINE_MANAGER_AND_BUDGET = "line_manager_budget"
SECURITY_COORDINATOR = "security_coordinator"
APPROVER_GROUP = "approver_group"


# Why each step of a restricted service's chain is there, as the order form shows it
# (issue 18). A restricted service never routes to the line manager by default (the case
# may be about the leader); where a service still needs a leader or role holder, the chain
# says who and why.
CONFIDENTIAL_REASONS = {
    LINE_MANAGER: _(
        "Tjenesten krever at nærmeste leder bekrefter tjenstlig behov. Lederen ser bare "
        "denne bestillingen, ikke andre skjermede saker."
    ),
    "budget_holder": _("Beløpet krever budsjettdisponentens godkjenning."),
    SECURITY_COORDINATOR: _(
        "Sikkerhetsloven legger klarering og autorisasjon til departementets "
        "sikkerhetskoordinator, som derfor godkjenner og ser saken."
    ),
    APPROVER_GROUP: _(
        "Leverandørens faste godkjennergruppe vurderer saken; lederen din ser den ikke."
    ),
}
CONFIDENTIAL_NO_APPROVAL = _(
    "Ingen godkjenning: saken går rett til leverandørens saksbehandlerteam, og verken lederen "
    "din eller bestillerkoordinatoren ser den."
)


def confidential_reason(kind: str) -> str:
    """Why a step of a restricted service's chain is there (untranslated; see `_`)."""
    return CONFIDENTIAL_REASONS.get(kind, "")


@dataclass(frozen=True)
class Step:
    kind: str  # "line_manager", "budget_holder", "security_coordinator", "approver_group"
    approver_id: int | None = None  # a named person, or None for a role/group step


class NoApprover(Exception):
    """The organisation data has nobody who may approve; the message says what to fix."""


@dataclass(frozen=True)
class OrgData:
    managers: Mapping[int, int | None]  # person id → line manager id
    budget_holders: frozenset[int]
    security_coordinators: frozenset[int]
    approver_group: frozenset[int]


def _first_manager(
    start: int, excluded: set[int], managers: Mapping[int, int | None]
) -> int | None:
    seen: set[int] = set()
    current = managers.get(start)
    while current is not None and current not in seen:
        if current not in excluded:
            return current
        seen.add(current)
        current = managers.get(current)
    return None


def chain(
    policy: str,
    *,
    orderer_id: int,
    beneficiary_id: int,
    invoiced: bool,
    amount: Decimal | None,
    threshold: Decimal,
    org: OrgData,
) -> list[Step]:
    """The ordered approval steps. Nobody approves an order they placed or benefit from."""
    excluded = {orderer_id, beneficiary_id}
    if policy == NONE:
        return []
    if policy in (LINE_MANAGER, LINE_MANAGER_AND_BUDGET):
        manager = _first_manager(beneficiary_id, excluded, org.managers)
        if manager is None:
            raise NoApprover(
                _(
                    "Fant ingen leder over deg i Felles som kan godkjenne. Be "
                    "administratoren registrere nærmeste leder."
                )
            )
        steps = [Step(LINE_MANAGER, manager)]
        if policy == LINE_MANAGER_AND_BUDGET and invoiced and (amount or 0) > threshold:
            holder = _budget_holder(beneficiary_id, excluded, org)
            if holder is None:
                raise NoApprover(_("Fant ingen budsjettdisponent som kan godkjenne beløpet."))
            if holder != manager:
                steps.append(Step("budget_holder", holder))
        return steps
    if policy == SECURITY_COORDINATOR:
        if not org.security_coordinators - excluded:
            raise NoApprover(_("Departementet har ingen sikkerhetskoordinator i Felles."))
        return [Step(SECURITY_COORDINATOR)]
    if policy == APPROVER_GROUP:
        if not org.approver_group - excluded:
            raise NoApprover(_("Tjenesten har ingen godkjennergruppe. Kontakt leverandøren."))
        return [Step(APPROVER_GROUP)]
    raise ValueError(f"unknown approval policy {policy!r}")


def _budget_holder(start: int, excluded: set[int], org: OrgData) -> int | None:
    """The nearest budget holder up the management line; failing that, any budget holder
    in the ministry (lowest id, so the choice is stable)."""
    seen: set[int] = set()
    current = org.managers.get(start)
    while current is not None and current not in seen:
        if current in org.budget_holders and current not in excluded:
            return current
        seen.add(current)
        current = org.managers.get(current)
    others = sorted(org.budget_holders - excluded)
    return others[0] if others else None


def may_decide(
    step_kind: str,
    step_approver_id: int | None,
    *,
    person_id: int,
    substitute_for: Sequence[int],
    role_holders: frozenset[int],
    group: frozenset[int],
    excluded: frozenset[int],
) -> int | None:
    """Whether `person_id` may decide the step, and on whose behalf.

    Returns the id of the person the decision is made for (the approver, or the absent
    approver the person substitutes for), or None if the person may not decide. Delegation
    does not cascade: only the approver's own registered substitute may act.
    """
    if person_id in excluded:
        return None
    if step_approver_id is not None:
        if person_id == step_approver_id:
            return person_id
        if step_approver_id in substitute_for:
            return step_approver_id
        return None
    members = role_holders if step_kind == SECURITY_COORDINATOR else group
    return person_id if person_id in members else None
