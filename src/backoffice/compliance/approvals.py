"""Approvals with segregation of duties, recorded in the audit journal.

An :class:`ApprovalPolicy` says how many distinct approvers a document needs, by
document type and amount (supplier invoices above 10,000 EUR need two...). An approval
request and every decision on it are entries of the journal series ``"approvals"``
(kinds ``"approval.requested"`` and ``"approval.decision"``, subject the document's id),
and the state of a request (pending, approved, rejected) is derived from them, never
stored apart. The rules:

* the creator of a document cannot approve it (:class:`~backoffice.errors.SelfApproval`);
  they may reject it, which withdraws it;
* nobody decides twice on one request (:class:`~backoffice.errors.DuplicateDecision`);
* a request is approved once it has as many approvals from distinct people as its policy
  required when it was made, rejected by any rejection; an approved or rejected request
  takes no more decisions (:class:`~backoffice.errors.ApprovalNotPending`); after a
  rejection a new request starts over.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final

import attrs

from backoffice.compliance.journal import JournalEntry, record
from backoffice.core.money import Money
from backoffice.core.time import Clock, SystemClock, ensure_aware
from backoffice.errors import (
    ApprovalNotPending,
    DuplicateDecision,
    DuplicateRecord,
    InvalidType,
    InvalidValue,
    NotFound,
    SelfApproval,
)

if TYPE_CHECKING:
    from backoffice.storage.ports import Store, UnitOfWork

__all__ = [
    "APPROVALS_SERIES",
    "ApprovalDecision",
    "ApprovalPolicy",
    "ApprovalRequest",
    "ApprovalRule",
    "ApprovalState",
    "Approvals",
    "Decision",
]

#: The journal series of approval requests and decisions.
APPROVALS_SERIES: Final = "approvals"
_REQUESTED: Final = "approval.requested"
_DECIDED: Final = "approval.decision"


class Decision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


class ApprovalState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


def _name(value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 1000:
        raise InvalidValue(
            field=field,
            reason=f"must be a non-empty text of at most 1000 characters, got {value!r}",
        )
    return value


def _money(value: object, field: str) -> Money:
    if not isinstance(value, Money):
        raise InvalidType(
            field=field, expected='a Money, e.g. Money("10000.00", "EUR")', got=repr(value)
        )
    return value


def _approvers(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise InvalidValue(field="approvers", reason=f"must be an int >= 1, got {value!r}")
    return value


def _document_type(value: object) -> str:
    return _name(value, "document_type")


def _threshold(value: object) -> Money:
    return _money(value, "above")


@attrs.frozen(slots=True)
class ApprovalRule:
    """Documents of ``document_type`` whose amount is above ``above`` need
    ``approvers`` distinct approvers.

    Raises:
        InvalidType: ``above`` is not a :class:`~backoffice.core.money.Money`.
        InvalidValue: ``approvers`` is not a whole number of at least 1.
    """

    document_type: str = attrs.field(converter=_document_type)
    above: Money = attrs.field(converter=_threshold)
    approvers: int = attrs.field(converter=_approvers)


def _rules(value: Iterable[ApprovalRule]) -> tuple[ApprovalRule, ...]:
    found = tuple(value)
    for index, rule in enumerate(found):
        if not isinstance(rule, ApprovalRule):
            raise InvalidType(field=f"rules.{index}", expected="an ApprovalRule", got=repr(rule))
    return found


@attrs.frozen(slots=True)
class ApprovalPolicy:
    """Approval rules; a document no rule applies to needs ``default_approvers``."""

    rules: tuple[ApprovalRule, ...] = attrs.field(converter=_rules)
    default_approvers: int = attrs.field(default=1, converter=_approvers)

    def required(self, document_type: str, amount: Money) -> int:
        """How many distinct approvers a document of this type and amount needs: the
        most that a rule whose threshold it is above asks for.

        Raises:
            InvalidType: ``amount`` is not a Money.
            InvalidValue: ``amount`` is in another currency than a threshold of its type.
        """
        kind = _name(document_type, "document_type")
        money = _money(amount, "amount")
        needed = self.default_approvers
        for rule in self.rules:
            if rule.document_type != kind:
                continue
            if rule.above.currency != money.currency:
                raise InvalidValue(
                    field="amount",
                    reason=f"the thresholds of {kind!r} are in {rule.above.currency.code}, "
                    f"got {money}: convert the amount to {rule.above.currency.code} first",
                )
            if money > rule.above:
                needed = max(needed, rule.approvers)
        return needed


@attrs.frozen(slots=True)
class ApprovalDecision:
    """One person's decision on a request."""

    actor: str
    decision: Decision
    at: datetime
    comment: str = ""


@attrs.frozen(slots=True)
class ApprovalRequest:
    """A document waiting for (or having had) its approvals, as the journal records it."""

    document_type: str
    document_id: str
    amount: Money
    creator: str
    required: int
    requested_at: datetime
    decisions: tuple[ApprovalDecision, ...] = ()

    @property
    def approvers(self) -> tuple[str, ...]:
        """The people who approved, in order."""
        return tuple(d.actor for d in self.decisions if d.decision is Decision.APPROVE)

    @property
    def state(self) -> ApprovalState:
        """Derived from the decisions: rejected by any rejection, approved by enough
        distinct approvers, else pending."""
        if any(d.decision is Decision.REJECT for d in self.decisions):
            return ApprovalState.REJECTED
        if len(set(self.approvers)) >= self.required:
            return ApprovalState.APPROVED
        return ApprovalState.PENDING


def _latest(entries: Iterable[JournalEntry]) -> ApprovalRequest | None:
    """The last request of a document with its decisions, from its journal entries."""
    found: ApprovalRequest | None = None
    for entry in entries:
        data = entry.payload
        if entry.kind == _REQUESTED:
            found = ApprovalRequest(
                document_type=data["document_type"],
                document_id=entry.subject,
                amount=Money(data["amount"], data["currency"]),
                creator=data["creator"],
                required=int(data["required"]),
                requested_at=entry.occurred_at,
            )
        elif entry.kind == _DECIDED and found is not None:
            decision = ApprovalDecision(
                actor=data["actor"],
                decision=Decision(data["decision"]),
                at=entry.occurred_at,
                comment=data.get("comment", ""),
            )
            found = attrs.evolve(found, decisions=(*found.decisions, decision))
    return found


class Approvals:
    """Approval requests and decisions of a tenant, under one policy."""

    def __init__(self, store: Store, policy: ApprovalPolicy, *, clock: Clock | None = None) -> None:
        self.store = store
        self.policy = policy
        self.clock: Clock = clock or SystemClock()

    def _read(self, uow: UnitOfWork, document_id: str) -> ApprovalRequest | None:
        # the series' head first: requests and decisions are made one at a time
        uow.journal.lock_heads([APPROVALS_SERIES])
        return _latest(uow.journal.entries(APPROVALS_SERIES, subject=document_id))

    def request(
        self,
        document_type: str,
        document_id: str,
        amount: Money,
        *,
        creator: str,
        at: datetime | None = None,
    ) -> ApprovalRequest:
        """Ask for the approval of a document; the policy says how many approvers.

        Raises:
            DuplicateRecord: the document has a pending or approved request already.
        """
        kind = _name(document_type, "document_type")
        subject = _name(document_id, "document_id")
        who = _name(creator, "creator")
        required = self.policy.required(kind, amount)
        when = ensure_aware(self.clock.now() if at is None else at, "at")

        def work(uow: UnitOfWork) -> ApprovalRequest:
            current = self._read(uow, subject)
            if current is not None and current.state is not ApprovalState.REJECTED:
                raise DuplicateRecord(record="approval request", key=subject)
            payload: dict[str, Any] = {
                "document_type": kind,
                "amount": amount.amount,
                "currency": amount.currency.code,
                "creator": who,
                "required": required,
            }
            record(uow, APPROVALS_SERIES, [(_REQUESTED, subject, payload, when)])
            uow.commit()
            return ApprovalRequest(kind, subject, amount, who, required, when)

        return self.store.run(work)

    def approve(
        self, document_id: str, actor: str, *, comment: str = "", at: datetime | None = None
    ) -> ApprovalRequest:
        """Record ``actor``'s approval; return the request with its new state."""
        return self.decide(document_id, actor, Decision.APPROVE, comment=comment, at=at)

    def reject(
        self, document_id: str, actor: str, *, comment: str = "", at: datetime | None = None
    ) -> ApprovalRequest:
        """Record ``actor``'s rejection; return the (rejected) request."""
        return self.decide(document_id, actor, Decision.REJECT, comment=comment, at=at)

    def decide(
        self,
        document_id: str,
        actor: str,
        decision: Decision | str,
        *,
        comment: str = "",
        at: datetime | None = None,
    ) -> ApprovalRequest:
        """Record a decision on the document's current request.

        Raises:
            NotFound: the document has no approval request.
            ApprovalNotPending: the request is approved or rejected already.
            SelfApproval: ``actor`` created the document and approves it.
            DuplicateDecision: ``actor`` decided on this request already.
            InvalidValue: ``decision`` is neither ``"approve"`` nor ``"reject"``.
        """
        subject = _name(document_id, "document_id")
        who = _name(actor, "actor")
        if not isinstance(comment, str):
            raise InvalidType(field="comment", expected="a text", got=repr(comment))
        try:
            chosen = Decision(decision)
        except ValueError:
            raise InvalidValue(
                field="decision", reason=f"must be 'approve' or 'reject', got {decision!r}"
            ) from None
        when = ensure_aware(self.clock.now() if at is None else at, "at")

        def work(uow: UnitOfWork) -> ApprovalRequest:
            current = self._read(uow, subject)
            if current is None:
                raise NotFound(record="approval request", key=subject)
            if current.state is not ApprovalState.PENDING:
                raise ApprovalNotPending(document=subject, state=current.state.value)
            if chosen is Decision.APPROVE and who == current.creator:
                raise SelfApproval(field="actor", actor=who, document=subject)
            if any(d.actor == who for d in current.decisions):
                raise DuplicateDecision(field="actor", actor=who, document=subject)
            payload = {"actor": who, "decision": chosen.value, "comment": comment}
            record(uow, APPROVALS_SERIES, [(_DECIDED, subject, payload, when)])
            uow.commit()
            made = ApprovalDecision(who, chosen, when, comment)
            return attrs.evolve(current, decisions=(*current.decisions, made))

        return self.store.run(work)

    def get(self, document_id: str) -> ApprovalRequest:
        """The document's current request, with its decisions and state.

        Raises:
            NotFound: the document has no approval request.
        """
        subject = _name(document_id, "document_id")
        found = self.store.run(
            lambda uow: _latest(uow.journal.entries(APPROVALS_SERIES, subject=subject))
        )
        if found is None:
            raise NotFound(record="approval request", key=subject)
        return found

    def history(self, document_id: str) -> Sequence[JournalEntry]:
        """Every journal entry of the document's approvals, in order."""
        subject = _name(document_id, "document_id")
        return self.store.run(lambda uow: uow.journal.entries(APPROVALS_SERIES, subject=subject))
