"""Approval chains and who may decide (pure rules)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from felles.orders import approval

ORG = approval.OrgData(
    managers={1: 2, 2: 3, 3: None, 4: 2},
    budget_holders=frozenset({3}),
    security_coordinators=frozenset({5}),
    approver_group=frozenset({7, 8}),
)


def chain(
    policy: str,
    orderer: int = 1,
    beneficiary: int | None = None,
    amount: str = "0",
    invoiced: bool = True,
) -> list[approval.Step]:
    return approval.chain(
        policy,
        orderer_id=orderer,
        beneficiary_id=beneficiary or orderer,
        invoiced=invoiced,
        amount=Decimal(amount),
        threshold=Decimal("5000"),
        org=ORG,
    )


def test_no_policy_needs_no_steps() -> None:
    assert chain(approval.NONE) == []


def test_line_manager_is_the_beneficiarys_manager() -> None:
    assert chain(approval.LINE_MANAGER) == [approval.Step("line_manager", 2)]
    # A manager ordering for his report never approves his own order: it goes one up.
    assert chain(approval.LINE_MANAGER, orderer=2, beneficiary=1) == [
        approval.Step("line_manager", 3)
    ]


def test_budget_holder_joins_only_above_the_threshold_for_invoiced_orders() -> None:
    assert chain(approval.LINE_MANAGER_AND_BUDGET, amount="4999") == [
        approval.Step("line_manager", 2)
    ]
    assert chain(approval.LINE_MANAGER_AND_BUDGET, amount="42000") == [
        approval.Step("line_manager", 2),
        approval.Step("budget_holder", 3),
    ]
    assert chain(approval.LINE_MANAGER_AND_BUDGET, amount="42000", invoiced=False) == [
        approval.Step("line_manager", 2)
    ]


def test_budget_holder_who_is_the_line_manager_approves_once() -> None:
    assert chain(approval.LINE_MANAGER_AND_BUDGET, orderer=2, amount="9000") == [
        approval.Step("line_manager", 3)
    ]


def test_missing_manager_is_a_clear_error() -> None:
    with pytest.raises(approval.NoApprover, match="leder"):
        chain(approval.LINE_MANAGER, orderer=3)


def test_role_and_group_steps() -> None:
    assert chain(approval.SECURITY_COORDINATOR) == [approval.Step("security_coordinator")]
    assert chain(approval.APPROVER_GROUP) == [approval.Step("approver_group")]
    with pytest.raises(approval.NoApprover):
        chain(approval.SECURITY_COORDINATOR, orderer=5)  # the only coordinator is the orderer


def test_substitute_decides_for_absent_approver_without_cascading() -> None:
    kwargs = {"role_holders": frozenset(), "group": frozenset(), "excluded": frozenset({1})}
    assert approval.may_decide("line_manager", 2, person_id=2, substitute_for=[], **kwargs) == 2
    assert approval.may_decide("line_manager", 2, person_id=9, substitute_for=[2], **kwargs) == 2
    # 10 substitutes for 9, who substitutes for 2: 10 may not decide 2's step.
    assert (
        approval.may_decide("line_manager", 2, person_id=10, substitute_for=[9], **kwargs) is None
    )
    # The orderer may never decide, even as a substitute.
    assert approval.may_decide("line_manager", 2, person_id=1, substitute_for=[2], **kwargs) is None


def test_group_members_decide_group_steps() -> None:
    kwargs = {"substitute_for": [], "role_holders": frozenset({5}), "excluded": frozenset({1})}
    assert (
        approval.may_decide("approver_group", None, person_id=7, group=frozenset({7}), **kwargs)
        == 7
    )
    assert (
        approval.may_decide("security_coordinator", None, person_id=5, group=frozenset(), **kwargs)
        == 5
    )
    assert (
        approval.may_decide(
            "security_coordinator", None, person_id=7, group=frozenset({7}), **kwargs
        )
        is None
    )
