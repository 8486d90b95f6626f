"""The compliance part of the store contract: what every adapter must do with the audit
journal. Mixed into :class:`~backoffice.testing.contract.StoreContract`, whose fixtures
it uses (``store``, ``make_store``, ``clock``).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from backoffice.compliance.approvals import ApprovalPolicy, ApprovalRule, Approvals, ApprovalState
from backoffice.compliance.journal import GENESIS, AuditJournal, record
from backoffice.compliance.retention import RetentionPolicy
from backoffice.core.money import Money
from backoffice.core.time import ManualClock
from backoffice.errors import (
    ConcurrencyConflict,
    InsufficientStock,
    RetentionNotOver,
    SelfApproval,
)
from backoffice.inventory.model import Item, Location
from backoffice.inventory.services import Inventory
from backoffice.storage.ports import JournalHead, Store

__all__ = ["ComplianceContract"]

_HASHES = (
    "ebba877947c8478c5afad3e25f6310a5a0069da0d5d177bcf2516f4835e09ab0",
    "b09b0e00b2ffa39fce899733b98b31223b8fd684a9e48626303265a4bf464ebe",
)


class ComplianceContract:
    """The audit journal, the same on every adapter."""

    def _journal(self, store: Store, clock: ManualClock, count: int = 3) -> AuditJournal:
        journal = AuditJournal(store, clock=clock)
        for number in range(count):
            journal.append(
                "test",
                "thing.done",
                f"s{number}",
                {"n": number, "amount": Decimal("10.50"), "text": "é ã 😀", "none": None},
            )
            clock.advance(timedelta(seconds=1))
        return journal

    def test_journal_entries_round_trip_and_chain(self, store: Store, clock: ManualClock) -> None:
        journal = self._journal(store, clock)
        entries = journal.entries("test")
        assert [e.sequence for e in entries] == [1, 2, 3]
        assert entries[0].previous_hash == GENESIS
        assert [e.previous_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
        assert all(e.expected_hash() == e.hash for e in entries)
        assert entries[0].payload == {"n": 0, "amount": "10.50", "text": "é ã 😀", "none": None}
        assert entries[2].occurred_at == clock.now() - timedelta(seconds=1)
        assert entries[1].tenant == store.tenant
        assert journal.series() == ["test"]
        assert store.run(lambda uow: uow.journal.heads()) == [
            JournalHead("test", 3, entries[-1].hash)
        ]
        assert journal.entries("test", subject="s1") == [entries[1]]
        assert store.run(lambda uow: uow.journal.entries("test", after=1, limit=1)) == [entries[1]]
        report = journal.verify()
        assert report.intact and report.breaks == ()
        assert report.chains[0].entries == 3

    def test_journal_hashes_are_the_same_on_every_store(
        self, store: Store, clock: ManualClock
    ) -> None:
        journal = self._journal(store, clock, count=2)
        # what the canonical serialization gives for these entries of tenant t1
        assert [entry.hash for entry in journal.entries("test")] == list(_HASHES)

    def test_journal_appends_roll_back_with_their_unit_of_work(
        self, store: Store, clock: ManualClock
    ) -> None:
        self._journal(store, clock, count=1)
        with store.unit_of_work() as uow:
            record(uow, "test", [("thing.done", "s9", {}, clock.now())])
            record(uow, "other", [("thing.done", "s9", {}, clock.now())])
            uow.rollback()
        assert store.run(lambda uow: uow.journal.heads())[0].sequence == 1
        assert [head.series for head in store.run(lambda uow: uow.journal.heads())] in (
            ["test"],
            ["other", "test"],  # a head created empty may stay, at sequence 0
        )
        assert len(AuditJournal(store).entries("test")) == 1
        assert AuditJournal(store).entries("other") == []

    def test_journal_refuses_an_entry_that_does_not_continue_its_head(
        self, store: Store, clock: ManualClock
    ) -> None:
        self._journal(store, clock, count=2)
        stale = AuditJournal(store).entries("test")[0]
        with store.unit_of_work() as uow:
            uow.journal.lock_heads(["test"])
            with pytest.raises(ConcurrencyConflict):
                uow.journal.append([stale])
        assert len(AuditJournal(store).entries("test")) == 2

    def test_journals_of_tenants_are_apart(self, store: Store, clock: ManualClock) -> None:
        self._journal(store, clock, count=2)
        other = store.for_tenant("t2")
        AuditJournal(other, clock=clock).append("test", "thing.done", "x", {})
        mine, theirs = AuditJournal(store).entries("test"), AuditJournal(other).entries("test")
        assert (len(mine), len(theirs)) == (2, 1)
        assert theirs[0].previous_hash == GENESIS and theirs[0].tenant == "t2"
        assert AuditJournal(other).verify().intact
        # the tenants with a journal: all of them, or only its own for a PostgreSQL role
        # that row-level security limits
        found = store.run(lambda uow: uow.journal.tenants())
        assert found in (sorted({store.tenant, "t2"}), [store.tenant])
        assert other.run(lambda uow: uow.journal.tenants()) in (found, ["t2"])

    def test_stock_postings_are_journaled_in_their_transaction(
        self, store: Store, clock: ManualClock
    ) -> None:
        ledger = Inventory(store, clock=clock)
        ledger.add_item(Item("A"))
        ledger.add_item(Item("B"))
        ledger.add_location(Location("WH1"))
        ledger.receive("A", 5, "WH1")
        ledger.receive("B", 2, "WH1")
        with pytest.raises(InsufficientStock):
            ledger.ship("A", 6, "WH1")
        ledger.ship("A", 1, "WH1")
        journal = AuditJournal(store)
        assert journal.series() == ["stock/A", "stock/B"]
        entries = journal.entries("stock/A")
        assert [e.kind for e in entries] == ["stock.movement", "stock.movement"]
        columns = entries[0].payload["columns"]
        assert columns[:4] == ["id", "kind", "item", "quantity"]
        moved = [
            dict(zip(columns, row, strict=True)) for e in entries for row in e.payload["movements"]
        ]
        assert [(m["kind"], m["quantity"]) for m in moved] == [("receipt", "5"), ("shipment", "1")]
        ids = [m.id for m in store.run(lambda uow: uow.movements.all(item="A"))]
        assert [e.subject for e in entries] == ids
        assert journal.verify().intact

    def test_a_purge_before_the_end_of_retention_is_refused(
        self, store: Store, clock: ManualClock
    ) -> None:
        self._journal(store, clock, count=3)
        policy = RetentionPolicy("FR")
        with pytest.raises(RetentionNotOver) as info:
            policy.purge(store, "test", through=2, today=clock.now().date())
        assert info.value.details["sequence"] == 1
        assert info.value.details["until"] == f"{clock.now().year + 10}-12-31"
        assert "L123-22" in info.value.details["source"]
        assert len(AuditJournal(store).entries("test")) == 3
        later = date(clock.now().year + 11, 1, 1)
        kept = policy.purge(store, "test", through=2, today=later)
        assert (kept.series, kept.sequence) == ("test", 2)
        assert kept.hash == AuditJournal(store).entries("test")[1].hash
        assert len(AuditJournal(store).entries("test")) == 3  # nothing deleted
        assert AuditJournal(store).verify().intact

    def test_approvals_are_recorded_and_derived_from_the_journal(
        self, store: Store, clock: ManualClock
    ) -> None:
        rule = ApprovalRule("supplier_invoice", Money("10000.00", "EUR"), 2)
        approvals = Approvals(store, ApprovalPolicy([rule]), clock=clock)
        approvals.request("supplier_invoice", "INV-1", Money("12000.00", "EUR"), creator="alice")
        with pytest.raises(SelfApproval):
            approvals.approve("INV-1", "alice")
        assert approvals.approve("INV-1", "bob").state is ApprovalState.PENDING
        assert approvals.approve("INV-1", "carol").state is ApprovalState.APPROVED
        assert approvals.get("INV-1").approvers == ("bob", "carol")
        assert AuditJournal(store).verify().intact
