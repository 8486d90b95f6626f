"""Approval policies and segregation of duties: each rule with a passing and a failing
case (memory store; every adapter runs an approval through the store contract)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from backoffice import Money
from backoffice.compliance.approvals import (
    ApprovalPolicy,
    ApprovalRule,
    Approvals,
    ApprovalState,
    Decision,
)
from backoffice.compliance.journal import AuditJournal
from backoffice.core.time import ManualClock
from backoffice.errors import (
    ApprovalNotPending,
    DuplicateDecision,
    DuplicateRecord,
    InvalidType,
    InvalidValue,
    NaiveDatetime,
    NotFound,
    SelfApproval,
)
from backoffice.storage.ports import Store

POLICY = ApprovalPolicy(
    [
        ApprovalRule("supplier_invoice", Money("10000.00", "EUR"), 2),
        ApprovalRule("supplier_invoice", Money("100000.00", "EUR"), 3),
        ApprovalRule("expense", Money("0.00", "EUR"), 1),
    ]
)


@pytest.fixture
def approvals(store: Store, clock: ManualClock) -> Approvals:
    return Approvals(store, POLICY, clock=clock)


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


def test_thresholds_set_how_many_approvers() -> None:
    assert POLICY.required("supplier_invoice", eur("10000.00")) == 1  # not above
    assert POLICY.required("supplier_invoice", eur("10000.01")) == 2
    assert POLICY.required("supplier_invoice", eur("250000.00")) == 3
    assert POLICY.required("purchase_order", eur("1000000.00")) == 1  # no rule: the default
    assert ApprovalPolicy([], default_approvers=2).required("x", eur("1.00")) == 2


def test_policies_take_money_only_and_in_the_thresholds_currency() -> None:
    with pytest.raises(InvalidValue) as info:
        POLICY.required("supplier_invoice", Money("20000.00", "USD"))
    assert info.value.details["field"] == "amount"
    assert "convert the amount to EUR" in info.value.message
    with pytest.raises(InvalidType):
        POLICY.required("supplier_invoice", 20000.0)  # type: ignore[arg-type]
    with pytest.raises(InvalidType):
        ApprovalRule("x", "10000", 2)
    with pytest.raises(InvalidValue):
        ApprovalRule("x", eur("1.00"), 0)
    with pytest.raises(InvalidType):
        ApprovalPolicy(["x"])  # type: ignore[list-item]


def test_two_distinct_approvers_approve_a_large_supplier_invoice(approvals: Approvals) -> None:
    asked = approvals.request("supplier_invoice", "SI-1", eur("12000.00"), creator="alice")
    assert (asked.required, asked.state) == (2, ApprovalState.PENDING)
    assert approvals.approve("SI-1", "bob", comment="ok").state is ApprovalState.PENDING
    done = approvals.approve("SI-1", "carol")
    assert done.state is ApprovalState.APPROVED
    assert done.approvers == ("bob", "carol")
    assert approvals.get("SI-1") == done
    assert [d.comment for d in done.decisions] == ["ok", ""]


def test_a_small_invoice_needs_one_approver(approvals: Approvals) -> None:
    approvals.request("supplier_invoice", "SI-2", eur("900.00"), creator="alice")
    assert approvals.approve("SI-2", "bob").state is ApprovalState.APPROVED


def test_the_creator_cannot_approve(approvals: Approvals) -> None:
    approvals.request("expense", "E-1", eur("50.00"), creator="alice")
    with pytest.raises(SelfApproval) as info:
        approvals.approve("E-1", "alice")
    assert info.value.details["field"] == "actor"
    assert "alice" in info.value.localized("fr_FR")
    assert approvals.get("E-1").state is ApprovalState.PENDING
    assert approvals.approve("E-1", "bob").state is ApprovalState.APPROVED


def test_the_creator_may_withdraw_by_rejecting(approvals: Approvals) -> None:
    approvals.request("expense", "E-2", eur("50.00"), creator="alice")
    assert approvals.reject("E-2", "alice", comment="wrong amount").state is (
        ApprovalState.REJECTED
    )


def test_nobody_approves_twice(approvals: Approvals) -> None:
    approvals.request("supplier_invoice", "SI-3", eur("50000.00"), creator="alice")
    approvals.approve("SI-3", "bob")
    with pytest.raises(DuplicateDecision) as info:
        approvals.approve("SI-3", "bob")
    assert info.value.details == {"field": "actor", "actor": "bob", "document": "SI-3"}
    with pytest.raises(DuplicateDecision):
        approvals.reject("SI-3", "bob")
    assert approvals.get("SI-3").approvers == ("bob",)
    assert approvals.approve("SI-3", "carol").state is ApprovalState.APPROVED


def test_a_rejection_closes_the_request_and_a_new_one_starts_over(approvals: Approvals) -> None:
    approvals.request("supplier_invoice", "SI-4", eur("50000.00"), creator="alice")
    approvals.approve("SI-4", "bob")
    assert approvals.reject("SI-4", "carol").state is ApprovalState.REJECTED
    with pytest.raises(ApprovalNotPending) as info:
        approvals.approve("SI-4", "dave")
    assert info.value.details["state"] == "rejected"
    again = approvals.request("supplier_invoice", "SI-4", eur("40000.00"), creator="alice")
    assert again.decisions == () and again.state is ApprovalState.PENDING
    approvals.approve("SI-4", "bob")  # a new request: bob may decide again
    assert approvals.approve("SI-4", "carol").state is ApprovalState.APPROVED


def test_an_approved_request_takes_no_more_decisions_nor_requests(approvals: Approvals) -> None:
    approvals.request("expense", "E-3", eur("10.00"), creator="alice")
    approvals.approve("E-3", "bob")
    with pytest.raises(ApprovalNotPending):
        approvals.reject("E-3", "carol")
    with pytest.raises(DuplicateRecord):
        approvals.request("expense", "E-3", eur("10.00"), creator="alice")


def test_decisions_need_a_request_an_actor_and_an_aware_time(approvals: Approvals) -> None:
    with pytest.raises(NotFound):
        approvals.approve("nope", "bob")
    with pytest.raises(NotFound):
        approvals.get("nope")
    approvals.request("expense", "E-4", eur("10.00"), creator="alice")
    with pytest.raises(InvalidValue):
        approvals.approve("E-4", "")
    with pytest.raises(InvalidValue):
        approvals.decide("E-4", "bob", "maybe")
    with pytest.raises(NaiveDatetime):
        approvals.approve("E-4", "bob", at=datetime(2026, 1, 1))  # noqa: DTZ001
    with pytest.raises(InvalidValue):
        approvals.request("expense", "E-5", eur("10.00"), creator=" ")
    assert approvals.decide("E-4", "bob", Decision.APPROVE).state is ApprovalState.APPROVED


def test_decisions_are_journal_entries_and_the_state_is_derived_from_them(
    store: Store, approvals: Approvals, clock: ManualClock
) -> None:
    approvals.request("supplier_invoice", "SI-5", eur("20000.00"), creator="alice")
    clock.advance(timedelta(hours=1))
    approvals.approve("SI-5", "bob", comment="checked the delivery")
    history = approvals.history("SI-5")
    assert [(e.kind, e.series) for e in history] == [
        ("approval.requested", "approvals"),
        ("approval.decision", "approvals"),
    ]
    assert history[0].payload == {
        "document_type": "supplier_invoice",
        "amount": "20000.00",
        "currency": "EUR",
        "creator": "alice",
        "required": 2,
    }
    assert history[1].payload == {
        "actor": "bob",
        "decision": "approve",
        "comment": "checked the delivery",
    }
    assert history[1].occurred_at == clock.now()
    # another service reading the journal sees the same state
    fresh = Approvals(store, POLICY)
    assert fresh.get("SI-5").state is ApprovalState.PENDING
    assert AuditJournal(store).verify().intact
