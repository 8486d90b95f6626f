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
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

from backoffice.core.money import Money, UnitPrice
from backoffice.core.time import ManualClock
from backoffice.errors import (
    ConcurrencyConflict,
    DuplicateRecord,
    IdempotencyConflict,
    InsufficientStock,
    InvalidValue,
    NotFound,
    PeriodLocked,
    ReservationNotActive,
    SchemaMismatch,
    ValidationError,
)
from backoffice.inventory.model import (
    Component,
    Incoming,
    IncomingOrigin,
    IncomingStatus,
    Item,
    Location,
    LocationKind,
    Lot,
    ReorderRule,
    ReservationStatus,
    Tracking,
)
from backoffice.inventory.services import TRANSIT, Inventory, MoveRequest, ReserveLine
from backoffice.inventory.valuation import ValuationMethod
from backoffice.storage.ports import Store, UnitOfWork
from backoffice.storage.schema import SCHEMA_VERSION
from backoffice.testing.compliance_contract import ComplianceContract
from backoffice.testing.invoicing_contract import InvoicingContract
from backoffice.testing.payroll_contract import PayrollContract

__all__ = ["StoreContract"]

MakeStore = Callable[..., Store]
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


class StoreContract(InvoicingContract, PayrollContract, ComplianceContract):
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
        [shipment] = ledger.ship("SKU-1", 1, "WH1", idempotency_key="ship-1")
        assert shipment.quantity == 1

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

    # -- lots and expiry dates ---------------------------------------------------------

    def test_lots_keep_their_expiry_dates_and_fefo_reads_them(self, ledger: Inventory) -> None:
        ledger.add_item(Item("MILK", "LTR", tracking=Tracking.LOT))
        lots = [
            ("z", date(2026, 12, 9), "2"),
            ("Z", None, "1.5"),
            ("é", date(2026, 12, 1), "3"),
            ("a", date(2026, 11, 20), "4"),  # expired already
            ("B", None, "0.000001"),
        ]
        ledger.record(
            [
                MoveRequest("receipt", "MILK", q, "@supplier", "WH1", lot=code, expires_on=on)
                for code, on, q in lots
            ]
        )
        # by code point, on every store
        assert ledger.lots("MILK") == [
            Lot("MILK", "B"),
            Lot("MILK", "Z"),
            Lot("MILK", "a", date(2026, 11, 20)),
            Lot("MILK", "z", date(2026, 12, 9)),
            Lot("MILK", "é", date(2026, 12, 1)),
        ]
        assert ledger.store.run(lambda uow: uow.lots.get("MILK", "é")) == Lot(
            "MILK", "é", date(2026, 12, 1)
        )
        assert ledger.store.run(lambda uow: uow.lots.get("MILK", "nope")) is None
        assert ledger.store.run(lambda uow: uow.lots.of_item("FLOUR")) == []
        with pytest.raises(DuplicateRecord):
            ledger.store.run(lambda uow: uow.lots.add(Lot("MILK", "Z", date(2027, 1, 1))))
        balance = ledger.balance("MILK", "WH1")
        assert (balance.on_hand, balance.expired, balance.available) == (
            Decimal("10.500001"),
            Decimal(4),
            Decimal("6.500001"),
        )
        shipped = ledger.ship("MILK", "5.5", "WH1")
        assert [(m.lot, m.quantity) for m in shipped] == [
            ("é", Decimal(3)),
            ("z", Decimal(2)),
            ("B", Decimal("0.000001")),
            ("Z", Decimal("0.499999")),
        ]
        journal = ledger.store.run(lambda uow: uow.movements.all(item="MILK"))
        assert [(m.lot, m.quantity) for m in journal[-4:]] == [(m.lot, m.quantity) for m in shipped]
        held = ledger.reserve("O-1", [ReserveLine("MILK", "WH1", 1)], ttl=timedelta(minutes=5))
        assert [(line.lot, line.quantity) for line in ledger.reservation(held.id).lines] == [
            ("Z", Decimal(1))
        ]
        assert ledger.available("MILK", "WH1") == Decimal("0.000001")
        with pytest.raises(ValidationError) as info:
            ledger.receive("MILK", 1, "WH2", lot="z", expires_on=date(2026, 12, 10))
        assert [problem.path for problem in info.value.problems] == ["expires_on"]
        assert ledger.verify() == []

    def test_balances_of_an_item_at_a_location_and_everywhere(self, ledger: Inventory) -> None:
        ledger.add_item(Item("MILK", "LTR", tracking=Tracking.LOT))
        ledger.receive("MILK", 2, "WH2", lot="b")
        ledger.receive("MILK", 3, "WH1", lot="b")
        ledger.receive("MILK", 1, "WH1", lot="A")
        ledger.ship("MILK", 1, "WH1", lot="A")  # a zero balance stays listed

        def read(uow: UnitOfWork) -> tuple[Any, ...]:
            return (
                uow.balances.at("MILK", "WH1"),
                uow.balances.at("MILK", "NOWHERE"),
                uow.balances.of_item("MILK"),
            )

        at, nowhere, everywhere = ledger.store.run(read)
        assert at == [("A", Decimal(0)), ("b", Decimal(3))]
        assert nowhere == []
        assert everywhere == [
            (("MILK", "WH1", "A"), Decimal(0)),
            (("MILK", "WH1", "b"), Decimal(3)),
            (("MILK", "WH2", "b"), Decimal(2)),
        ]
        assert [(b.location, b.lot, b.on_hand) for b in ledger.stock("MILK")] == [
            ("WH1", "A", Decimal(0)),
            ("WH1", "b", Decimal(3)),
            ("WH2", "b", Decimal(2)),
        ]

    def test_serial_numbers_are_single_units_on_every_store(self, ledger: Inventory) -> None:
        ledger.add_item(Item("PHONE", tracking=Tracking.SERIAL))
        ledger.receive("PHONE", 1, "WH2", lot="SN-1")
        ledger.transfer("PHONE", 1, "WH2", "WH1", lot="SN-1")
        events = len(ledger.store.pending_events())
        with pytest.raises(InvalidValue):  # written, then found twice in stock: undone
            ledger.receive("PHONE", 1, "WH2", lot="SN-1")
        assert ledger.balance("PHONE", "WH2", "SN-1").on_hand == 0
        assert ledger.balance("PHONE", "WH1", "SN-1").on_hand == 1
        assert len(ledger.store.run(lambda uow: uow.movements.all(item="PHONE"))) == 2
        assert len(ledger.store.pending_events()) == events
        ledger.ship("PHONE", 1, "WH1")
        ledger.receive("PHONE", 1, "WH2", lot="SN-1")  # back after it was shipped
        assert ledger.balance("PHONE", "WH2").on_hand == 1
        assert ledger.verify() == []

    # -- kits --------------------------------------------------------------------------

    def test_kit_components_are_kept(self, ledger: Inventory) -> None:
        ledger.add_item(Item("CUP"))
        latte = Item(
            "LATTE",
            name="Latte",
            components=(Component("FLOUR", "0.25"), Component("CUP", 1)),
        )
        ledger.add_item(latte)
        stored = ledger.item("LATTE")
        assert stored == latte
        assert [(c.sku, c.quantity) for c in stored.components] == [
            ("FLOUR", Decimal("0.25")),
            ("CUP", Decimal(1)),
        ]
        assert ledger.item("CUP").components == ()
        assert [i.sku for i in ledger.store.run(lambda uow: uow.items.all()) if i.is_kit] == [
            "LATTE"
        ]
        ledger.receive("FLOUR", "1.9", "WH1")
        ledger.receive("CUP", 20, "WH1")
        assert ledger.available("LATTE", "WH1") == 7
        shipped = ledger.ship("LATTE", 3, "WH1")
        assert [(m.item, m.quantity, m.reason) for m in shipped] == [
            ("FLOUR", Decimal("0.75"), "kit LATTE"),
            ("CUP", Decimal(3), "kit LATTE"),
        ]
        held = ledger.reserve("O-1", [ReserveLine("LATTE", "WH1", 2)], ttl=timedelta(minutes=5))
        assert sorted((line.item, line.quantity) for line in held.lines) == [
            ("CUP", Decimal(2)),
            ("FLOUR", Decimal("0.5")),
        ]
        assert ledger.available("LATTE", "WH1") == 2
        with pytest.raises(ValidationError):
            ledger.receive("LATTE", 1, "WH1")
        with pytest.raises(ValidationError):
            ledger.add_item(Item("COMBO", components=(Component("LATTE", 1),)))
        assert ledger.store.run(lambda uow: uow.items.get("COMBO")) is None

    # -- unit costs --------------------------------------------------------------------

    def test_unit_costs_are_kept_exactly(self, ledger: Inventory) -> None:
        prices = [
            UnitPrice("0.1234567891", "EUR"),
            UnitPrice("2.50", "EUR"),
            UnitPrice("12345678901234.0000000001", "EUR"),
            UnitPrice("0", "EUR"),
            UnitPrice("7", "JPY"),
        ]
        written = [ledger.receive("SKU-1", 1, "WH1", unit_cost=price) for price in prices]
        written.append(ledger.receive("SKU-1", 1, "WH1"))
        journal = ledger.store.run(lambda uow: uow.movements.all(item="SKU-1"))
        assert journal == written
        assert [m.unit_cost for m in journal] == [*prices, None]
        assert [str(m.unit_cost.amount) for m in journal if m.unit_cost is not None] == [
            "0.1234567891",
            "2.50",
            "12345678901234.0000000001",
            "0",
            "7",
        ]
        assert ledger.store.run(lambda uow: uow.movements.get(written[0].id)) == written[0]

    def test_a_unit_cost_per_the_items_unit_reads_back_as_returned(self, ledger: Inventory) -> None:
        written = ledger.receive(
            "FLOUR", 25, "WH1", unit_cost=UnitPrice("1.2345", "EUR", per="KGM")
        )
        assert written.unit_cost == UnitPrice("1.2345", "EUR")  # per the item's unit
        assert ledger.store.run(lambda uow: uow.movements.get(written.id)) == written

    def test_the_journal_is_valued_alike_on_every_store(self, ledger: Inventory) -> None:
        ledger.receive("SKU-1", 10, "WH1", unit_cost=UnitPrice(10, "EUR"))
        ledger.receive("SKU-1", 10, "WH2", unit_cost=UnitPrice(20, "EUR"))
        ledger.transfer("SKU-1", 5, "WH2", "WH1")
        [issue] = ledger.ship("SKU-1", 15, "WH1")
        fifo = ledger.valuation("SKU-1", ValuationMethod.FIFO, "EUR")
        assert fifo.move(issue.id).value == Money("200.00", "EUR")
        assert fifo.stock_value == Money("100.00", "EUR")
        average = ledger.valuation("SKU-1", ValuationMethod.MOVING_AVERAGE, "EUR")
        assert average.move(issue.id).value == Money("225.00", "EUR")
        assert average.stock_value == Money("75.00", "EUR")

    # -- incoming stock ----------------------------------------------------------------

    def test_expected_receipts_are_kept_and_fulfilled(self, ledger: Inventory) -> None:
        paris = ZoneInfo("Europe/Paris")
        tomorrow = datetime(2026, 11, 24, 10, 30, 0, 123456, tzinfo=paris)
        later = tomorrow + timedelta(days=2)
        entry = ledger.expect("SKU-1", "7.5", "WH1", expected_at=later, reference="PO-1")
        early = ledger.expect("SKU-1", 2, "WH2", expected_at=tomorrow - timedelta(hours=1))
        same = [ledger.expect("SKU-1", 1, "WH1", expected_at=tomorrow) for _ in range(3)]
        stored = ledger.store.run(lambda uow: uow.incoming.get(entry.id))
        assert stored == entry
        assert stored is not None
        assert stored.expected_at == later
        assert (stored.origin, stored.status, stored.quantity) == (
            IncomingOrigin.PURCHASE,
            IncomingStatus.OPEN,
            Decimal("7.5"),
        )
        assert ledger.store.run(lambda uow: uow.incoming.get("nope")) is None
        ties = sorted(e.id for e in same)
        assert [e.id for e in ledger.incoming("SKU-1", "WH1")] == [*ties, entry.id]
        assert [e.id for e in ledger.incoming("SKU-1")][:1] == [early.id]
        assert ledger.balance("SKU-1", "WH1").incoming == Decimal("10.5")
        ledger.receive("SKU-1", "2.5", "WH1", incoming=entry.id)
        part = ledger.store.run(lambda uow: uow.incoming.get(entry.id))
        assert part is not None
        assert (part.arrived, part.status, part.reference) == (
            Decimal("2.5"),
            IncomingStatus.OPEN,
            "PO-1",
        )
        ledger.receive("SKU-1", 5, "WH1", incoming=entry.id)
        done = ledger.store.run(lambda uow: uow.incoming.get(entry.id))
        assert done is not None
        assert (done.arrived, done.status) == (Decimal("7.5"), IncomingStatus.DONE)
        cancelled = ledger.cancel_incoming(early.id)
        assert ledger.store.run(lambda uow: uow.incoming.get(early.id)) == cancelled
        assert [e.id for e in ledger.incoming("SKU-1")] == ties
        assert ledger.balance("SKU-1", "WH1").incoming == 3
        with pytest.raises(NotFound):
            ledger.store.run(lambda uow: uow.incoming.update(_unknown(entry), was=_unknown(entry)))
        # compare-and-set: an entry changed since it was read is a retryable conflict
        stale = attrs.evolve(done, arrived=Decimal(1), status=IncomingStatus.OPEN)
        with pytest.raises(ConcurrencyConflict) as conflict, ledger.store.unit_of_work() as uow:
            uow.incoming.update(attrs.evolve(done, arrived=Decimal(9)), was=stale)
        assert conflict.value.details["retryable"] is True
        with pytest.raises(DuplicateRecord):
            ledger.store.run(lambda uow: uow.incoming.add(entry))

    def test_transfers_in_transit(self, ledger: Inventory) -> None:
        ledger.add_item(Item("MILK", "LTR", tracking=Tracking.LOT))
        ledger.receive("MILK", 3, "WH1", lot="A", expires_on=date(2026, 12, 1))
        ledger.receive("MILK", 5, "WH1", lot="B", expires_on=date(2026, 12, 5))
        arrival = START + timedelta(days=1)
        entries = ledger.dispatch("MILK", 5, "WH1", "WH2", expected_at=arrival, reference="T")
        assert [(e.lot, e.quantity, e.origin) for e in entries] == [
            ("A", Decimal(3), IncomingOrigin.TRANSFER),
            ("B", Decimal(2), IncomingOrigin.TRANSFER),
        ]
        # same expected time: listed by id
        assert ledger.incoming("MILK", "WH2") == sorted(entries, key=lambda e: e.id)
        assert ledger.balance("MILK", TRANSIT).on_hand == 5
        assert ledger.balance("MILK", "WH1").on_hand == 3
        assert ledger.balance("MILK", "WH2").incoming == 5
        ledger.arrive(entries[0].id, 1)
        with pytest.raises(InvalidValue):
            ledger.arrive(entries[0].id, 3)
        ledger.arrive(entries[1].id)
        assert [(e.lot, e.arrived, e.outstanding) for e in ledger.incoming("MILK")] == [
            ("A", Decimal(1), Decimal(2))
        ]
        assert ledger.balance("MILK", TRANSIT).on_hand == 2
        assert ledger.balance("MILK", "WH2").on_hand == 3
        assert ledger.balance("MILK", "WH2", "B").on_hand == 2
        assert ledger.verify() == []

    # -- reorder rules, stock.low and settings -----------------------------------------

    def test_reorder_rules_are_kept(self, ledger: Inventory) -> None:
        ledger.set_reorder_rule("SKU-1", "WH2", "0.5", "10.25")
        ledger.set_reorder_rule("FLOUR", "WH1", 0, 1)
        ledger.set_reorder_rule("SKU-1", "WH1", 5, 20)
        ledger.set_reorder_rule("SKU-1", "WH1", 6, 30)  # replaces the rule
        assert ledger.reorder_rules() == [
            ReorderRule("FLOUR", "WH1", Decimal(0), Decimal(1)),
            ReorderRule("SKU-1", "WH1", Decimal(6), Decimal(30)),
            ReorderRule("SKU-1", "WH2", Decimal("0.5"), Decimal("10.25")),
        ]
        assert ledger.store.run(lambda uow: uow.reorder_rules.get("SKU-1", "WH2")) == (
            ReorderRule("SKU-1", "WH2", Decimal("0.5"), Decimal("10.25"))
        )
        assert ledger.store.run(lambda uow: uow.reorder_rules.get("SKU-1", "NOWHERE")) is None
        assert ledger.remove_reorder_rule("FLOUR", "WH1") is True
        assert ledger.remove_reorder_rule("FLOUR", "WH1") is False
        ledger.receive("SKU-1", 10, "WH1")
        ledger.ship("SKU-1", 4, "WH1")
        ledger.ship("SKU-1", 1, "WH1")
        low = [e.payload for e in ledger.store.pending_events() if e.type == "stock.low"]
        assert low == [  # once, when 6 were left
            {
                "item": "SKU-1",
                "location": "WH1",
                "available": "6",
                "incoming": "0",
                "minimum": "6",
                "maximum": "30",
                "suggested": "24",
            }
        ]
        assert [(r.rule.location, r.quantity) for r in ledger.replenishment()] == [
            ("WH1", Decimal(25)),
            ("WH2", Decimal("10.25")),
        ]

    def test_settings_and_the_lock_date_are_kept(
        self, store: Store, ledger: Inventory, clock: ManualClock
    ) -> None:
        assert store.run(lambda uow: uow.settings.get("x")) is None
        store.run(lambda uow: uow.settings.put("x", "1"))
        store.run(lambda uow: uow.settings.put("x", "é 2"))
        assert store.run(lambda uow: uow.settings.get("x")) == "é 2"
        ledger.lock_period(date(2026, 11, 20))
        again = Inventory(store, clock=clock)  # another ledger on the same store
        assert again.lock_date() == date(2026, 11, 20)
        with pytest.raises(PeriodLocked) as info:
            again.receive("SKU-1", 1, "WH1", effective_at=datetime(2026, 11, 20, tzinfo=UTC))
        assert info.value.details["lock_date"] == "2026-11-20"
        assert store.run(lambda uow: uow.movements.all()) == []

    # -- all or nothing ----------------------------------------------------------------

    def test_a_refusal_found_late_undoes_everything(
        self, ledger: Inventory, clock: ManualClock
    ) -> None:
        ledger.add_item(Item("MILK", "LTR", tracking=Tracking.LOT))
        ledger.set_reorder_rule("SKU-1", "WH1", 5, 20)
        ledger.receive("SKU-1", 10, "WH1")
        entry = ledger.expect("SKU-1", 3, "WH1", expected_at=START)
        ledger.receive("SKU-1", 3, "WH1", incoming=entry.id)  # done
        open_entry = ledger.expect("SKU-1", 4, "WH1", expected_at=START)
        held = ledger.reserve("O-1", [ReserveLine("SKU-1", "WH1", 2)], ttl=timedelta(days=2))

        def snapshot() -> tuple[Any, ...]:
            def read(uow: UnitOfWork) -> tuple[Any, ...]:
                return (
                    uow.movements.all(),
                    uow.balances.all(),
                    uow.lots.of_item("MILK"),
                    uow.incoming.get(entry.id),
                    uow.incoming.get(open_entry.id),
                    uow.reservations.get(held.id),
                )

            return (*ledger.store.run(read), len(ledger.store.pending_events()))

        before = snapshot()
        with pytest.raises(InvalidValue):  # the entry is done: found after writing
            ledger.record(
                [
                    MoveRequest("receipt", "MILK", 1, "@supplier", "WH1", lot="NEW"),
                    MoveRequest("shipment", "SKU-1", 8, "WH1", "@customer"),
                    MoveRequest("receipt", "SKU-1", 1, "@supplier", "WH1", incoming=entry.id),
                ]
            )
        assert snapshot() == before
        with pytest.raises(InsufficientStock):
            ledger.record(
                [
                    MoveRequest("receipt", "MILK", 1, "@supplier", "WH1", lot="NEW"),
                    MoveRequest("receipt", "SKU-1", 1, "@supplier", "WH1", incoming=open_entry.id),
                    MoveRequest("shipment", "SKU-1", 20, "WH1", "@customer"),
                ]
            )
        assert snapshot() == before
        ledger.lock_period(date(2026, 11, 22))
        clock.set(datetime(2026, 11, 22, 12, 0, tzinfo=UTC))  # a clock set back
        with pytest.raises(PeriodLocked):
            ledger.commit(held.id)
        assert snapshot()[:-1] == before[:-1]  # only the period.locked event is new
        assert ledger.reservation(held.id).status is ReservationStatus.ACTIVE

    # -- tenants -----------------------------------------------------------------------

    def test_tenants_never_see_each_others_lots_incoming_rules_or_lock(
        self, make_store: MakeStore, clock: ManualClock
    ) -> None:
        first = make_store("acme")
        first.migrate()
        a = Inventory(first, clock=clock)
        b = Inventory(first.for_tenant("globex"), clock=clock)
        for ledger in (a, b):
            ledger.add_item(Item("MILK", "LTR", tracking=Tracking.LOT))
            ledger.add_location(Location("WH1"))
            ledger.add_location(Location("WH2"))
        a.receive("MILK", 5, "WH1", lot="L1", expires_on=date(2026, 12, 1))
        b.receive("MILK", 2, "WH1", lot="L1", expires_on=date(2027, 1, 1))  # same code
        assert a.lots("MILK") == [Lot("MILK", "L1", date(2026, 12, 1))]
        assert b.lots("MILK") == [Lot("MILK", "L1", date(2027, 1, 1))]
        expected = a.expect("MILK", 3, "WH1", expected_at=START + timedelta(days=1), lot="L1")
        (moving,) = a.dispatch("MILK", 1, "WH1", "WH2", expected_at=START + timedelta(days=1))
        a.set_reorder_rule("MILK", "WH1", 3, 10)
        a.lock_period(date(2026, 11, 20))
        assert b.incoming("MILK") == []
        assert b.balance("MILK", "WH1").incoming == 0
        assert b.balance("MILK", TRANSIT).on_hand == 0
        assert b.store.run(lambda uow: uow.incoming.get(expected.id)) is None
        with pytest.raises(NotFound):
            b.cancel_incoming(expected.id)
        with pytest.raises(NotFound):
            b.arrive(moving.id)
        assert b.reorder_rules() == []
        assert b.replenishment() == []
        assert b.lock_date() is None
        b.receive("MILK", 1, "WH1", lot="L1", effective_at=datetime(2026, 11, 1, tzinfo=UTC))
        b.ship("MILK", 3, "WH1")
        assert [e.type for e in b.store.pending_events() if e.type == "stock.low"] == []
        assert b.verify() == []
        assert [e.id for e in a.incoming("MILK")] == sorted([expected.id, moving.id])
        assert a.balance("MILK", "WH1").on_hand == 4
        assert a.lock_date() == date(2026, 11, 20)


def _unknown(entry: Incoming) -> Incoming:
    """``entry`` under an id no store has (to update a missing record)."""
    return Incoming(
        "missing-" + entry.id,
        entry.origin,
        entry.item,
        entry.location,
        entry.quantity,
        entry.expected_at,
        entry.created_at,
        arrived=Decimal(1),
    )
