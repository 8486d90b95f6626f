"""The storage contract, as abstract pytest test cases.

Every adapter (memory, SQLite, PostgreSQL, and yours) must pass these unchanged::

    import pytest
    from backoffice.testing import StoreContract

    class TestMyStore(StoreContract):
        @pytest.fixture
        def make_store(self):
            def make(tenant: str = "t1"):
                return MyStore(..., tenant=tenant)   # a fresh, empty database
            return make

``make_store(tenant)`` returns a store on a fresh database, *not yet migrated*; a
second call with another tenant returns a handle on the same database.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest

from backoffice.core.time import ManualClock
from backoffice.errors import (
    DuplicateRecord,
    IdempotencyConflict,
    InsufficientStock,
    NotFound,
    ReservationNotActive,
    SchemaMismatch,
    ValidationError,
)
from backoffice.inventory.model import Item, Location, LocationKind, ReservationStatus
from backoffice.inventory.services import Inventory, MoveRequest, ReserveLine
from backoffice.storage.ports import Store, UnitOfWork
from backoffice.storage.schema import SCHEMA_VERSION

__all__ = ["StoreContract"]

MakeStore = Callable[..., Store]
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


class StoreContract:
    """Abstract: subclasses provide the ``make_store`` fixture."""

    @pytest.fixture
    def make_store(self) -> MakeStore:  # pragma: no cover - always overridden
        raise NotImplementedError("subclasses provide make_store")

    @pytest.fixture
    def store(self, make_store: MakeStore) -> Store:
        store = make_store("t1")
        store.migrate()
        return store

    @pytest.fixture
    def clock(self) -> ManualClock:
        return ManualClock(START)

    @pytest.fixture
    def ledger(self, store: Store, clock: ManualClock) -> Inventory:
        inventory = Inventory(store, clock=clock)
        inventory.add_item(Item("SKU-1", "C62"))
        inventory.add_item(Item("FLOUR", "KGM"))
        inventory.add_location(Location("WH1"))
        inventory.add_location(Location("WH2"))
        return inventory

    # -- schema ------------------------------------------------------------------------

    def test_a_store_refuses_to_work_before_migrate(self, make_store: MakeStore) -> None:
        store = make_store("t1")
        with pytest.raises(SchemaMismatch) as info:
            store.run(lambda uow: uow.items.get("x"))
        assert info.value.details["expected"] == SCHEMA_VERSION
        assert store.migrate() == SCHEMA_VERSION
        assert store.schema_version() == SCHEMA_VERSION
        assert store.migrate() == SCHEMA_VERSION  # idempotent
        assert store.run(lambda uow: uow.items.get("x")) is None

    # -- master data -------------------------------------------------------------------

    def test_items_and_locations(self, ledger: Inventory) -> None:
        assert ledger.item("FLOUR") == Item("FLOUR", "KGM")
        with pytest.raises(DuplicateRecord):
            ledger.add_item(Item("FLOUR", "KGM"))
        with pytest.raises(DuplicateRecord):
            ledger.add_location(Location("WH1"))
        with pytest.raises(NotFound):
            ledger.item("NOPE")
        codes = ledger.store.run(lambda uow: [loc.code for loc in uow.locations.all()])
        assert codes == ["WH1", "WH2"]

    # -- movements and balances --------------------------------------------------------

    def test_movements_update_balances_in_the_same_transaction(self, ledger: Inventory) -> None:
        receipt = ledger.receive("FLOUR", "12.5", "WH1", reference="PO-1", actor="ana")
        assert receipt.quantity == Decimal("12.5")
        ledger.transfer("FLOUR", "2.25", "WH1", "WH2")
        ledger.ship("FLOUR", "0.000001", "WH2")
        ledger.adjust("FLOUR", "WH1", "-0.25", reason="spilt")
        assert ledger.balance("FLOUR", "WH1").on_hand == Decimal("10")
        assert ledger.balance("FLOUR", "WH2").on_hand == Decimal("2.249999")
        journal = ledger.store.run(lambda uow: uow.movements.all(item="FLOUR"))
        assert [m.kind.value for m in journal] == ["receipt", "transfer", "shipment", "adjustment"]
        assert journal[0].reference == "PO-1"
        assert journal[0].actor == "ana"
        assert journal[0].effective_at == START
        assert ledger.verify() == []

    def test_forbidden_negative_stock_raises_and_writes_nothing(self, ledger: Inventory) -> None:
        ledger.receive("SKU-1", 3, "WH1")
        with pytest.raises(InsufficientStock) as info:
            ledger.ship("SKU-1", 5, "WH1")
        (shortfall,) = info.value.details["shortfalls"]
        assert shortfall["missing"] == "2"
        assert ledger.balance("SKU-1", "WH1").on_hand == Decimal(3)
        assert len(ledger.store.run(lambda uow: uow.movements.all())) == 1

    def test_bad_input_lists_every_problem_and_writes_nothing(self, ledger: Inventory) -> None:
        naive = datetime(2026, 1, 1)  # noqa: DTZ001 - deliberately naive
        requests = [
            MoveRequest("receipt", "SKU-1", 1.5, "@supplier", "WH1"),
            MoveRequest("receipt", "NOPE", 1, "@supplier", "WH1"),
            MoveRequest("receipt", "SKU-1", 0, "@supplier", "NOWHERE"),
            MoveRequest("receipt", "SKU-1", 1, "@supplier", "WH1", effective_at=naive),
        ]
        with pytest.raises(ValidationError) as info:
            ledger.record(requests)
        paths = [problem.path for problem in info.value.problems]
        assert paths == [
            "movements.0.quantity",
            "movements.1.sku",
            "movements.2.quantity",
            "movements.2.destination",
            "movements.3.effective_at",
        ]
        assert ledger.store.run(lambda uow: uow.movements.all()) == []
        assert ledger.balance("SKU-1", "WH1").on_hand == 0

    def test_a_batch_is_all_or_nothing(self, ledger: Inventory) -> None:
        ledger.receive("SKU-1", 2, "WH1")
        with pytest.raises(InsufficientStock):
            ledger.record(
                [
                    MoveRequest("receipt", "SKU-1", 5, "@supplier", "WH2"),
                    MoveRequest("shipment", "SKU-1", 3, "WH1", "@customer"),
                ]
            )
        assert ledger.balance("SKU-1", "WH2").on_hand == 0
        assert len(ledger.store.run(lambda uow: uow.movements.all())) == 1

    def test_a_batch_with_a_duplicate_movement_writes_none_of_it(self, ledger: Inventory) -> None:
        first = ledger.receive("SKU-1", 1, "WH1")
        fresh = [attrs.evolve(first, id=f"new-{number}") for number in range(3)]

        def work(uow: UnitOfWork) -> list[str]:
            with pytest.raises(DuplicateRecord):  # one already in the journal
                uow.movements.append([*fresh, first])
            with pytest.raises(DuplicateRecord):  # the same one twice in the batch
                uow.movements.append([fresh[0], fresh[1], fresh[0]])
            after = [m.id for m in uow.movements.all()]
            uow.movements.append(fresh)  # and the batch alone goes in
            return after

        assert ledger.store.run(work) == [first.id]
        journal = ledger.store.run(lambda uow: uow.movements.all())
        assert [m.id for m in journal] == [first.id, *(m.id for m in fresh)]

    def test_reversal_and_cycle_count(self, ledger: Inventory) -> None:
        receipt = ledger.receive("SKU-1", 10, "WH1")
        reversal = ledger.reverse(receipt.id, reason="wrong delivery")
        assert reversal.reverses == receipt.id
        assert ledger.balance("SKU-1", "WH1").on_hand == 0
        ledger.receive("SKU-1", 10, "WH1")
        adjustment = ledger.count("SKU-1", "WH1", 8)
        assert adjustment is not None
        assert adjustment.quantity == 2
        assert ledger.count("SKU-1", "WH1", 8) is None
        assert ledger.balance("SKU-1", "WH1").on_hand == 8
        assert ledger.verify() == []

    def test_verify_and_rebuild(self, ledger: Inventory) -> None:
        ledger.receive("SKU-1", 7, "WH1")
        ledger.store.run(lambda uow: uow.balances.set(("SKU-1", "WH1", ""), Decimal(9)))
        (wrong,) = ledger.verify()
        assert (wrong.stored, wrong.journal) == (Decimal(9), Decimal(7))
        assert ledger.rebuild() == [wrong]
        assert ledger.verify() == []

    def test_verify_and_rebuild_the_reserved_counter(self, ledger: Inventory) -> None:
        ledger.receive("SKU-1", 10, "WH1")
        ledger.reserve("O-1", [ReserveLine("SKU-1", "WH1", 4)], ttl=timedelta(minutes=5))
        key = ("SKU-1", "WH1", "")
        assert ledger.store.run(lambda uow: dict(uow.balances.all_held())[key]) == 4
        assert ledger.verify() == []
        # a counter that drifted (lower: it would let a reservation oversell)
        ledger.store.run(lambda uow: uow.balances.add_held(key, Decimal(-3)))
        (wrong,) = ledger.verify()
        assert (wrong.field, wrong.stored, wrong.journal) == ("reserved", Decimal(1), Decimal(4))
        assert ledger.rebuild() == [wrong]
        assert ledger.verify() == []
        with pytest.raises(InsufficientStock):
            ledger.reserve("O-2", [ReserveLine("SKU-1", "WH1", 7)], ttl=timedelta(minutes=5))

    # -- reservations ------------------------------------------------------------------

    def test_an_expired_reservation_stops_counting_before_any_sweep(
        self, ledger: Inventory, clock: ManualClock
    ) -> None:
        ledger.receive("SKU-1", 10, "WH1")
        first = ledger.reserve("O-1", [ReserveLine("SKU-1", "WH1", 7)], ttl=timedelta(minutes=5))
        with pytest.raises(InsufficientStock):
            ledger.reserve("O-2", [ReserveLine("SKU-1", "WH1", 8)], ttl=timedelta(minutes=5))
        clock.advance(timedelta(minutes=5))
        # the counter still has the 7; the exact check under the lock does not
        second = ledger.reserve("O-2", [ReserveLine("SKU-1", "WH1", 8)], ttl=timedelta(minutes=5))
        assert ledger.balance("SKU-1", "WH1").reserved == 8
        assert ledger.verify() == []
        # and from now on the counter holds only the live one
        third = ledger.reserve("O-3", [ReserveLine("SKU-1", "WH1", 2)], ttl=timedelta(minutes=5))
        assert ledger.available("SKU-1", "WH1") == 0
        assert ledger.reservation(first.id).status is ReservationStatus.EXPIRED
        assert ledger.sweep() == 1  # the sweep still marks it, and says so
        assert [e.type for e in ledger.store.pending_events()][-1] == "reservation.expired"
        ledger.release(second.id)
        ledger.commit(third.id)
        assert ledger.available("SKU-1", "WH1") == 8
        assert ledger.verify() == []

    def test_reservations_hold_stock_until_they_expire(
        self, ledger: Inventory, clock: ManualClock
    ) -> None:
        ledger.receive("SKU-1", 10, "WH1")
        held = ledger.reserve(
            "ORDER-1",
            [ReserveLine("SKU-1", "WH1", 3), ReserveLine("SKU-1", "WH1", 4)],
            ttl=timedelta(minutes=15),
        )
        assert [(line.item, line.quantity) for line in held.lines] == [("SKU-1", Decimal(7))]
        assert ledger.available("SKU-1", "WH1") == 3
        with pytest.raises(InsufficientStock):
            ledger.reserve("ORDER-2", [ReserveLine("SKU-1", "WH1", 4)], ttl=timedelta(minutes=5))
        with pytest.raises(InsufficientStock):
            ledger.ship("SKU-1", 4, "WH1")  # reserved stock is not for sale
        clock.advance(timedelta(minutes=15))
        assert ledger.available("SKU-1", "WH1") == 10  # at once, before any sweep
        assert ledger.reservation(held.id).status is ReservationStatus.EXPIRED
        with pytest.raises(ReservationNotActive):
            ledger.commit(held.id)
        assert ledger.sweep() == 1
        assert ledger.sweep() == 0

    def test_reservation_is_all_or_nothing(self, ledger: Inventory) -> None:
        ledger.receive("SKU-1", 5, "WH1")
        ledger.receive("FLOUR", 1, "WH1")
        with pytest.raises(InsufficientStock) as info:
            ledger.reserve(
                "ORDER-1",
                [ReserveLine("SKU-1", "WH1", 5), ReserveLine("FLOUR", "WH1", 2)],
                ttl=timedelta(minutes=15),
            )
        assert [s["item"] for s in info.value.details["shortfalls"]] == ["FLOUR"]
        assert ledger.available("SKU-1", "WH1") == 5

    def test_commit_release_and_extend(self, ledger: Inventory, clock: ManualClock) -> None:
        ledger.receive("SKU-1", 10, "WH1")
        first = ledger.reserve(
            "ORDER-1", [ReserveLine("SKU-1", "WH1", 6)], ttl=timedelta(minutes=10)
        )
        shipped = ledger.commit(first.id, {0: 2})
        assert [m.quantity for m in shipped] == [2]
        assert ledger.balance("SKU-1", "WH1").reserved == 4
        clock.advance(timedelta(minutes=9))
        ledger.extend(first.id, timedelta(minutes=10))
        clock.advance(timedelta(minutes=5))
        assert ledger.commit(first.id)[0].quantity == 4
        assert ledger.reservation(first.id).status is ReservationStatus.COMMITTED
        second = ledger.reserve(
            "ORDER-2", [ReserveLine("SKU-1", "WH1", 3)], ttl=timedelta(minutes=10)
        )
        ledger.release(second.id)
        with pytest.raises(ReservationNotActive):
            ledger.release(second.id)
        assert ledger.balance("SKU-1", "WH1").on_hand == 4
        assert ledger.available("SKU-1", "WH1") == 4
        assert ledger.verify() == []

    # -- idempotency and events --------------------------------------------------------

    def test_idempotency_keys(self, ledger: Inventory) -> None:
        first = ledger.receive("SKU-1", 5, "WH1", idempotency_key="receipt-1")
        again = ledger.receive("SKU-1", 5, "WH1", idempotency_key="receipt-1")
        assert again == first
        assert ledger.balance("SKU-1", "WH1").on_hand == 5
        with pytest.raises(IdempotencyConflict):
            ledger.receive("SKU-1", 6, "WH1", idempotency_key="receipt-1")
        held = ledger.reserve(
            "O-1", [ReserveLine("SKU-1", "WH1", 2)], ttl=timedelta(minutes=5), idempotency_key="r-1"
        )
        assert (
            ledger.reserve(
                "O-1",
                [ReserveLine("SKU-1", "WH1", 2)],
                ttl=timedelta(minutes=5),
                idempotency_key="r-1",
            )
            == held
        )
        assert ledger.available("SKU-1", "WH1") == 3

    def test_failed_commands_leave_no_key_behind(self, ledger: Inventory) -> None:
        with pytest.raises(InsufficientStock):
            ledger.ship("SKU-1", 1, "WH1", idempotency_key="ship-1")
        ledger.receive("SKU-1", 1, "WH1")
        assert ledger.ship("SKU-1", 1, "WH1", idempotency_key="ship-1").quantity == 1

    def test_outbox_events_are_written_with_their_effect(self, ledger: Inventory) -> None:
        ledger.receive("SKU-1", 5, "WH1")
        with pytest.raises(InsufficientStock):
            ledger.ship("SKU-1", 9, "WH1")
        events = ledger.store.pending_events()
        assert [event.type for event in events] == ["stock.receipt"]
        assert events[0].payload["quantity"] == "5"
        json.dumps(events[0].payload)
        ledger.store.acknowledge([events[0].id])
        assert ledger.store.pending_events() == []

    # -- tenants -----------------------------------------------------------------------

    def test_tenants_never_see_each_other(self, make_store: MakeStore, clock: ManualClock) -> None:
        first = make_store("acme")
        first.migrate()
        second = first.for_tenant("globex")
        a, b = Inventory(first, clock=clock), Inventory(second, clock=clock)
        for ledger in (a, b):
            ledger.add_item(Item("SKU-1"))
            ledger.add_location(Location("WH1"))
        a.receive("SKU-1", 5, "WH1")
        assert b.balance("SKU-1", "WH1").on_hand == 0
        with pytest.raises(InsufficientStock):
            b.ship("SKU-1", 1, "WH1")
        held = a.reserve("O", [ReserveLine("SKU-1", "WH1", 5)], ttl=timedelta(minutes=5))
        with pytest.raises(NotFound):
            b.release(held.id)
        assert b.store.pending_events() == []
        assert [e.type for e in a.store.pending_events()][:1] == ["stock.receipt"]
        assert b.verify() == []
        assert b.store.run(lambda uow: uow.movements.all()) == []

    def test_virtual_locations_are_created_on_first_use(self, ledger: Inventory) -> None:
        ledger.receive("SKU-1", 1, "WH1")
        kinds: dict[str, Any] = ledger.store.run(
            lambda uow: {loc.code: loc.kind for loc in uow.locations.all()}
        )
        assert kinds["@supplier"] is LocationKind.SUPPLIER
