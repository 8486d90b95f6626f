"""Planning: expected receipts, transfers in transit, projections, reorder rules, the
``stock.low`` event and replenishment suggestions (memory store; what the adapters must
keep identically is in the storage contract)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from backoffice.core.time import ManualClock
from backoffice.errors import (
    BackofficeError,
    FloatNotAllowed,
    InsufficientStock,
    InvalidAmount,
    InvalidValue,
    NaiveDatetime,
    NotFound,
    ValidationError,
)
from backoffice.inventory import (
    SUPPLIER,
    TRANSIT,
    Incoming,
    IncomingOrigin,
    IncomingStatus,
    Inventory,
    Item,
    Location,
    LocationKind,
    ProjectedStock,
    ReorderRule,
    Replenishment,
    ReserveLine,
    Tracking,
)
from backoffice.storage.ports import Store
from backoffice.testing.contract import START

TTL = timedelta(hours=1)
NAIVE = datetime(2026, 11, 25, 9, 0)  # noqa: DTZ001 - deliberately naive


def day(days: float) -> datetime:
    return START + timedelta(days=days)


@pytest.fixture
def ledger(store: Store, clock: ManualClock) -> Inventory:
    inventory = Inventory(store, clock=clock)
    inventory.add_item(Item("BOLT"))
    inventory.add_item(Item("NUT"))
    inventory.add_item(Item("MILK", "LTR", tracking=Tracking.LOT))
    inventory.add_location(Location("WH1"))
    inventory.add_location(Location("WH2"))
    inventory.add_location(Location("ACME", LocationKind.SUPPLIER))
    return inventory


def events(ledger: Inventory, kind: str | None = None) -> list[Any]:
    found = ledger.store.pending_events()
    return [e for e in found if kind is None or e.type == kind]


def journal_size(ledger: Inventory) -> int:
    return len(ledger.store.run(lambda uow: uow.movements.all()))


def where(ledger: Inventory, sku: str) -> dict[str, Decimal]:
    """On hand of ``sku`` per location, lots added up (zero balances left out)."""
    found: dict[str, Decimal] = {}
    for balance in ledger.stock(sku):
        found[balance.location] = found.get(balance.location, Decimal(0)) + balance.on_hand
    return {location: q for location, q in found.items() if q}


def paths(error: ValidationError) -> list[str]:
    return [problem.path for problem in error.problems]


# -- expected receipts ---------------------------------------------------------------------


def test_an_expected_receipt_is_incoming_until_received(ledger: Inventory) -> None:
    entry = ledger.expect("BOLT", 10, "WH1", expected_at=day(2), reference="PO-7")
    assert entry == Incoming(
        entry.id,
        IncomingOrigin.PURCHASE,
        "BOLT",
        "WH1",
        Decimal(10),
        day(2),
        START,
        reference="PO-7",
        source=SUPPLIER,
    )
    assert entry.outstanding == 10
    (event,) = events(ledger, "stock.expected")
    assert event.payload == entry.to_dict()
    balance = ledger.balance("BOLT", "WH1")
    assert (balance.on_hand, balance.incoming, balance.available, balance.projected) == (
        Decimal(0),
        Decimal(10),
        Decimal(0),
        Decimal(10),
    )
    assert ledger.balance("BOLT", "WH2").incoming == 0
    assert ledger.incoming("BOLT") == [entry]
    assert ledger.incoming("BOLT", "WH1") == [entry]
    assert ledger.incoming("BOLT", "WH2") == []
    assert ledger.incoming("NUT") == []

    first = ledger.receive("BOLT", 4, "WH1", incoming=entry.id)
    assert (first.kind.value, first.source, first.quantity) == ("receipt", SUPPLIER, Decimal(4))
    (still,) = ledger.incoming("BOLT")
    assert (still.arrived, still.outstanding, still.status) == (
        Decimal(4),
        Decimal(6),
        IncomingStatus.OPEN,
    )
    assert ledger.balance("BOLT", "WH1").incoming == 6
    assert ledger.balance("BOLT", "WH1").projected == 10

    ledger.receive("BOLT", 6, "WH1", incoming=entry.id)
    assert ledger.incoming("BOLT") == []
    assert ledger.balance("BOLT", "WH1").incoming == 0
    assert ledger.balance("BOLT", "WH1").on_hand == 10
    done = ledger.store.run(lambda uow: uow.incoming.get(entry.id))
    assert done is not None
    assert (done.arrived, done.status) == (Decimal(10), IncomingStatus.DONE)
    with pytest.raises(InvalidValue) as info:
        ledger.receive("BOLT", 1, "WH1", incoming=entry.id)
    assert info.value.details["field"] == "incoming"
    assert "done" in info.value.message
    assert ledger.balance("BOLT", "WH1").on_hand == 10


def test_receiving_more_than_expected_closes_the_entry(ledger: Inventory) -> None:
    entry = ledger.expect("BOLT", 5, "WH1", expected_at=day(1))
    ledger.receive("BOLT", 7, "WH1", incoming=entry.id)
    done = ledger.store.run(lambda uow: uow.incoming.get(entry.id))
    assert done is not None
    assert (done.arrived, done.status, done.outstanding) == (
        Decimal(7),
        IncomingStatus.DONE,
        Decimal(-2),
    )
    assert ledger.balance("BOLT", "WH1").incoming == 0


def test_cancelling_what_is_left_of_an_expected_receipt(ledger: Inventory) -> None:
    entry = ledger.expect("BOLT", 10, "WH1", expected_at=day(1))
    ledger.receive("BOLT", 3, "WH1", incoming=entry.id)
    cancelled = ledger.cancel_incoming(entry.id)
    assert (cancelled.status, cancelled.arrived) == (IncomingStatus.CANCELLED, Decimal(3))
    (event,) = events(ledger, "stock.expected_cancelled")
    assert event.payload["id"] == entry.id
    assert event.payload["status"] == "cancelled"
    assert ledger.incoming("BOLT") == []
    assert ledger.balance("BOLT", "WH1").incoming == 0
    assert ledger.balance("BOLT", "WH1").on_hand == 3
    with pytest.raises(InvalidValue) as info:
        ledger.cancel_incoming(entry.id)
    assert info.value.details["field"] == "incoming_id"
    size = journal_size(ledger)
    with pytest.raises(InvalidValue) as info:
        ledger.receive("BOLT", 1, "WH1", incoming=entry.id)
    assert info.value.details["field"] == "incoming"
    assert "cancelled" in info.value.message
    assert journal_size(ledger) == size
    with pytest.raises(NotFound):
        ledger.cancel_incoming("nope")


def test_a_receipt_must_match_the_entry_it_fulfils(ledger: Inventory) -> None:
    entry = ledger.expect("BOLT", 10, "WH1", expected_at=day(1))
    lot_entry = ledger.expect("MILK", 10, "WH1", expected_at=day(1), lot="L1")
    wrongs: list[Callable[[], object]] = [
        lambda: ledger.receive("BOLT", 1, "WH2", incoming=entry.id),
        lambda: ledger.receive("NUT", 1, "WH1", incoming=entry.id),
        lambda: ledger.receive("MILK", 1, "WH1", lot="L2", incoming=lot_entry.id),
    ]
    for wrong in wrongs:
        with pytest.raises(InvalidValue) as info:
            wrong()
        assert info.value.details["field"] == "incoming"
    with pytest.raises(NotFound):
        ledger.receive("BOLT", 1, "WH1", incoming="nope")
    assert journal_size(ledger) == 0
    assert ledger.lots("MILK") == []
    assert [e.arrived for e in ledger.incoming("BOLT") + ledger.incoming("MILK")] == [0, 0]
    ledger.receive("MILK", 4, "WH1", lot="L1", incoming=lot_entry.id)
    (open_entry,) = ledger.incoming("MILK")
    assert open_entry.arrived == 4
    assert ledger.balance("MILK", "WH1", "L1").incoming == 6
    assert ledger.balance("MILK", "WH1", "L2").incoming == 0


def test_incoming_lists_open_entries_by_expected_time(ledger: Inventory) -> None:
    late = ledger.expect("BOLT", 1, "WH1", expected_at=day(5))
    early = ledger.expect("BOLT", 2, "WH2", expected_at=day(1))
    middle = ledger.expect("BOLT", 3, "WH1", expected_at=day(3))
    assert [e.id for e in ledger.incoming("BOLT")] == [early.id, middle.id, late.id]
    assert [e.id for e in ledger.incoming("BOLT", "WH1")] == [middle.id, late.id]


def test_bad_expected_receipts_name_the_field_and_write_nothing(ledger: Inventory) -> None:
    with pytest.raises(FloatNotAllowed) as float_error:
        ledger.expect("BOLT", 1.5, "WH1", expected_at=day(1))
    assert float_error.value.details["field"] == "quantity"
    with pytest.raises(InvalidAmount) as zero:
        ledger.expect("BOLT", 0, "WH1", expected_at=day(1))
    assert zero.value.details["field"] == "quantity"
    with pytest.raises(NaiveDatetime) as naive:
        ledger.expect("BOLT", 1, "WH1", expected_at=NAIVE)
    assert naive.value.details["field"] == "expected_at"
    with pytest.raises(ValidationError) as info:
        ledger.expect("NOPE", 1, "NOWHERE", expected_at=day(1))
    assert [(p.path, p.code) for p in info.value.problems] == [
        ("sku", "storage.not_found"),
        ("location", "storage.not_found"),
    ]
    with pytest.raises(ValidationError) as info:
        ledger.expect("BOLT", 1, "ACME", expected_at=day(1))
    assert paths(info.value) == ["location"]
    assert ledger.incoming("BOLT") == []
    assert events(ledger) == []


# -- transfers in transit ------------------------------------------------------------------


def test_dispatch_then_partial_arrivals(ledger: Inventory) -> None:
    ledger.receive("BOLT", 10, "WH1")
    (entry,) = ledger.dispatch("BOLT", 6, "WH1", "WH2", expected_at=day(1), reference="TR-1")
    assert (entry.origin, entry.item, entry.location, entry.source) == (
        IncomingOrigin.TRANSFER,
        "BOLT",
        "WH2",
        "WH1",
    )
    assert (entry.quantity, entry.arrived, entry.expected_at, entry.reference) == (
        Decimal(6),
        Decimal(0),
        day(1),
        "TR-1",
    )
    sent = ledger.store.run(lambda uow: uow.movements.get(entry.movement or ""))
    assert sent is not None
    assert (sent.source, sent.destination, sent.quantity) == ("WH1", TRANSIT, Decimal(6))
    assert where(ledger, "BOLT") == {"WH1": 4, TRANSIT: 6}
    assert ledger.balance("BOLT", "WH2").incoming == 6
    assert ledger.balance("BOLT", "WH2").projected == 6
    assert ledger.available("BOLT", "WH1") == 4
    (event,) = events(ledger, "stock.dispatched")
    assert event.payload == entry.to_dict()
    assert ledger.verify() == []

    first = ledger.arrive(entry.id, 2)
    assert (first.source, first.destination, first.quantity) == (TRANSIT, "WH2", Decimal(2))
    assert first.reference == "TR-1"
    assert where(ledger, "BOLT") == {"WH1": 4, TRANSIT: 4, "WH2": 2}
    (still,) = ledger.incoming("BOLT", "WH2")
    assert (still.arrived, still.outstanding, still.status) == (
        Decimal(2),
        Decimal(4),
        IncomingStatus.OPEN,
    )
    assert ledger.balance("BOLT", "WH2").incoming == 4
    assert ledger.verify() == []

    size = journal_size(ledger)
    with pytest.raises(InvalidValue) as info:
        ledger.arrive(entry.id, 5)  # only 4 are on the road
    assert info.value.details["field"] == "quantity"
    assert journal_size(ledger) == size
    assert where(ledger, "BOLT") == {"WH1": 4, TRANSIT: 4, "WH2": 2}

    rest = ledger.arrive(entry.id)
    assert rest.quantity == 4
    assert where(ledger, "BOLT") == {"WH1": 4, "WH2": 6}
    assert ledger.incoming("BOLT") == []
    assert ledger.balance("BOLT", "WH2").incoming == 0
    assert ledger.verify() == []
    with pytest.raises(BackofficeError):
        ledger.arrive(entry.id)
    assert journal_size(ledger) == size + 1


def test_an_arrival_cannot_take_another_transfers_stock_in_transit(ledger: Inventory) -> None:
    ledger.receive("BOLT", 10, "WH1")
    (first,) = ledger.dispatch("BOLT", 3, "WH1", "WH2", expected_at=day(1))
    (second,) = ledger.dispatch("BOLT", 5, "WH1", "WH2", expected_at=day(2))
    assert ledger.balance("BOLT", TRANSIT).on_hand == 8
    with pytest.raises(InvalidValue) as info:
        ledger.arrive(first.id, 4)  # 8 are in transit, 3 of them on this transfer
    assert info.value.details["field"] == "quantity"
    assert where(ledger, "BOLT") == {"WH1": 2, TRANSIT: 8}
    ledger.arrive(first.id)
    with pytest.raises(InvalidValue):
        ledger.arrive(first.id, 1)  # done: the 5 still in transit are the second's
    assert [e.id for e in ledger.incoming("BOLT", "WH2")] == [second.id]
    assert where(ledger, "BOLT") == {"WH1": 2, TRANSIT: 5, "WH2": 3}


def test_dispatching_lots_makes_one_entry_per_lot(ledger: Inventory) -> None:
    ledger.receive("MILK", 3, "WH1", lot="A", expires_on=date(2026, 12, 1))
    ledger.receive("MILK", 5, "WH1", lot="B", expires_on=date(2026, 12, 5))
    entries = ledger.dispatch("MILK", 5, "WH1", "WH2", expected_at=day(1))
    assert [(e.lot, e.quantity, e.location) for e in entries] == [
        ("A", Decimal(3), "WH2"),
        ("B", Decimal(2), "WH2"),
    ]
    assert len({e.movement for e in entries}) == 2
    assert ledger.balance("MILK", TRANSIT, "A").on_hand == 3
    assert ledger.balance("MILK", "WH2").incoming == 5
    assert ledger.balance("MILK", "WH2", "B").incoming == 2
    arrived = ledger.arrive(entries[1].id)
    assert (arrived.lot, arrived.quantity) == ("B", Decimal(2))
    assert ledger.balance("MILK", "WH2", "B").on_hand == 2
    assert ledger.balance("MILK", TRANSIT, "A").on_hand == 3
    assert ledger.verify() == []


def test_a_refused_dispatch_writes_nothing(ledger: Inventory) -> None:
    ledger.receive("BOLT", 2, "WH1")
    with pytest.raises(InsufficientStock):
        ledger.dispatch("BOLT", 3, "WH1", "WH2", expected_at=day(1))
    with pytest.raises(NaiveDatetime) as naive:
        ledger.dispatch("BOLT", 1, "WH1", "WH2", expected_at=NAIVE)
    assert naive.value.details["field"] == "expected_at"
    with pytest.raises(ValidationError) as info:
        ledger.dispatch("BOLT", 1, "NOWHERE", "WH2", expected_at=day(1))
    assert paths(info.value) == ["source"]
    with pytest.raises(ValidationError) as info:
        ledger.dispatch("BOLT", 1, "WH1", "NOWHERE", expected_at=day(1))
    assert paths(info.value) == ["destination"]
    with pytest.raises(ValidationError) as info:
        ledger.dispatch("BOLT", 1, "WH1", "ACME", expected_at=day(1))
    assert paths(info.value) == ["destination"]
    with pytest.raises(ValidationError) as info:
        ledger.dispatch("BOLT", 1.5, "WH1", "WH2", expected_at=day(1))
    assert paths(info.value) == ["quantity"]
    assert ledger.incoming("BOLT") == []
    assert where(ledger, "BOLT") == {"WH1": 2}
    assert [e.type for e in events(ledger)] == ["stock.receipt"]


def test_dispatch_is_idempotent(ledger: Inventory) -> None:
    ledger.receive("BOLT", 10, "WH1")
    first = ledger.dispatch("BOLT", 4, "WH1", "WH2", expected_at=day(1), idempotency_key="tr-1")
    again = ledger.dispatch("BOLT", 4, "WH1", "WH2", expected_at=day(1), idempotency_key="tr-1")
    assert again == first
    assert where(ledger, "BOLT") == {"WH1": 6, TRANSIT: 4}
    assert len(ledger.incoming("BOLT")) == 1


def test_transit_entries_are_not_cancelled_and_receipts_do_not_arrive(
    ledger: Inventory,
) -> None:
    ledger.receive("BOLT", 5, "WH1")
    (moving,) = ledger.dispatch("BOLT", 5, "WH1", "WH2", expected_at=day(1))
    with pytest.raises(InvalidValue) as info:
        ledger.cancel_incoming(moving.id)
    assert info.value.details["field"] == "incoming_id"
    expected = ledger.expect("BOLT", 5, "WH2", expected_at=day(1))
    with pytest.raises(InvalidValue) as info:
        ledger.arrive(expected.id)
    assert info.value.details["field"] == "incoming_id"
    with pytest.raises(NotFound):
        ledger.arrive("nope")
    assert ledger.balance("BOLT", "WH2").incoming == 10
    assert where(ledger, "BOLT") == {TRANSIT: 5}


# -- projections ---------------------------------------------------------------------------


@pytest.fixture
def planned(ledger: Inventory) -> Inventory:
    """BOLT at WH1: 10 on hand, 3 reserved; 2 overdue, 5 on day 2, 6 in transit for day 3
    (from WH2), 4 on day 5 of which 1 has come in."""
    ledger.receive("BOLT", 10, "WH1")
    ledger.receive("BOLT", 6, "WH2")
    ledger.reserve("SO-1", [ReserveLine("BOLT", "WH1", 3)], ttl=timedelta(days=30))
    ledger.expect("BOLT", 5, "WH1", expected_at=day(2))
    ledger.expect("BOLT", 2, "WH1", expected_at=day(-1))
    ledger.dispatch("BOLT", 6, "WH2", "WH1", expected_at=day(3))
    partly = ledger.expect("BOLT", 4, "WH1", expected_at=day(5))
    ledger.receive("BOLT", 1, "WH1", incoming=partly.id)
    ledger.expect("BOLT", 50, "WH2", expected_at=day(2))  # another location
    return ledger


def test_a_projection_has_a_point_now_then_one_per_arrival(planned: Inventory) -> None:
    points = planned.projection("BOLT", "WH1", until=day(30))
    assert points == [
        ProjectedStock(START, Decimal(11), Decimal(2), Decimal(3)),
        ProjectedStock(day(2), Decimal(11), Decimal(7), Decimal(3)),
        ProjectedStock(day(3), Decimal(11), Decimal(13), Decimal(3)),
        ProjectedStock(day(5), Decimal(11), Decimal(16), Decimal(3)),
    ]
    assert [point.projected for point in points] == [10, 15, 21, 24]
    assert planned.projection("BOLT", "WH1", until=day(3)) == points[:3]
    assert planned.projection("BOLT", "WH1", until=day(1)) == points[:1]
    balance = planned.balance("BOLT", "WH1")
    assert balance.projected == points[-1].projected


def test_projected_available_at_a_time(planned: Inventory) -> None:
    assert planned.projected_available("BOLT", "WH1", START) == 10
    assert planned.projected_available("BOLT", "WH1", day(2) - timedelta(microseconds=1)) == 10
    assert planned.projected_available("BOLT", "WH1", day(2)) == 15
    assert planned.projected_available("BOLT", "WH1", day(4)) == 21
    assert planned.projected_available("BOLT", "WH1", day(365)) == 24
    assert planned.projected_available("BOLT", "WH2", day(2)) == 50
    assert planned.projected_available("NUT", "WH1", day(2)) == 0


def test_arrivals_at_the_same_time_make_one_point(ledger: Inventory) -> None:
    ledger.expect("BOLT", 2, "WH1", expected_at=day(1))
    ledger.expect("BOLT", 3, "WH1", expected_at=day(1))
    assert ledger.projection("BOLT", "WH1", until=day(2)) == [
        ProjectedStock(START, Decimal(0), Decimal(0), Decimal(0)),
        ProjectedStock(day(1), Decimal(0), Decimal(5), Decimal(0)),
    ]


def test_a_projection_leaves_out_expired_lots(ledger: Inventory, clock: ManualClock) -> None:
    ledger.receive("MILK", 4, "WH1", lot="OLD", expires_on=date(2026, 11, 24))
    ledger.receive("MILK", 6, "WH1", lot="NEW", expires_on=date(2026, 12, 24))
    ledger.expect("MILK", 5, "WH1", expected_at=day(4), lot="NEXT")
    clock.set(day(2))
    assert ledger.projection("MILK", "WH1", until=day(10)) == [
        ProjectedStock(day(2), Decimal(6), Decimal(0), Decimal(0)),
        ProjectedStock(day(4), Decimal(6), Decimal(5), Decimal(0)),
    ]
    assert ledger.projected_available("MILK", "WH1", day(4)) == 11


def test_a_projection_needs_an_aware_time(ledger: Inventory) -> None:
    with pytest.raises(NaiveDatetime) as info:
        ledger.projection("BOLT", "WH1", until=NAIVE)
    assert info.value.details["field"] == "until"
    with pytest.raises(NaiveDatetime):
        ledger.projected_available("BOLT", "WH1", NAIVE)


# -- reorder rules -------------------------------------------------------------------------


def test_reorder_rules_are_set_replaced_listed_and_removed(ledger: Inventory) -> None:
    rule = ledger.set_reorder_rule("BOLT", "WH2", 5, 20)
    assert rule == ReorderRule("BOLT", "WH2", Decimal(5), Decimal(20))
    ledger.set_reorder_rule("NUT", "WH1", 0, "2.5")
    ledger.set_reorder_rule("BOLT", "WH1", 1, 2)
    assert ledger.reorder_rules() == [
        ReorderRule("BOLT", "WH1", Decimal(1), Decimal(2)),
        rule,
        ReorderRule("NUT", "WH1", Decimal(0), Decimal("2.5")),
    ]
    ledger.set_reorder_rule("BOLT", "WH2", 8, 30)
    assert ledger.reorder_rules()[1] == ReorderRule("BOLT", "WH2", Decimal(8), Decimal(30))
    assert ledger.remove_reorder_rule("BOLT", "WH2") is True
    assert ledger.remove_reorder_rule("BOLT", "WH2") is False
    assert [(r.item, r.location) for r in ledger.reorder_rules()] == [
        ("BOLT", "WH1"),
        ("NUT", "WH1"),
    ]


def test_reorder_rules_are_checked(ledger: Inventory) -> None:
    for minimum, maximum, field in [(5, 5, "maximum"), (6, 5, "maximum"), (-1, 5, "minimum")]:
        with pytest.raises(InvalidValue) as info:
            ledger.set_reorder_rule("BOLT", "WH1", minimum, maximum)
        assert info.value.details["field"] == field
    with pytest.raises(FloatNotAllowed):
        ledger.set_reorder_rule("BOLT", "WH1", 1.5, 5)
    with pytest.raises(ValidationError) as problems:
        ledger.set_reorder_rule("NOPE", "NOWHERE", 1, 5)
    assert paths(problems.value) == ["sku", "location"]
    with pytest.raises(ValidationError) as problems:
        ledger.set_reorder_rule("BOLT", "ACME", 1, 5)
    assert paths(problems.value) == ["location"]
    assert ledger.reorder_rules() == []


def test_a_bad_reorder_quantity_names_its_field(ledger: Inventory) -> None:
    with pytest.raises(FloatNotAllowed) as info:
        ledger.set_reorder_rule("BOLT", "WH1", 1.5, 5)
    assert info.value.details["field"] == "minimum"
    with pytest.raises(InvalidAmount) as precise:
        ledger.set_reorder_rule("BOLT", "WH1", 1, "5.0000001")
    assert precise.value.details["field"] == "maximum"


# -- stock.low -----------------------------------------------------------------------------


def low(ledger: Inventory) -> list[dict[str, Any]]:
    return [event.payload for event in events(ledger, "stock.low")]


def test_stock_low_is_written_once_when_available_crosses_the_minimum(
    ledger: Inventory,
) -> None:
    ledger.set_reorder_rule("BOLT", "WH1", 5, 20)
    ledger.receive("BOLT", 10, "WH1")
    ledger.ship("BOLT", 4, "WH1")
    assert low(ledger) == []
    ledger.ship("BOLT", 1, "WH1")  # 5: at the minimum
    assert low(ledger) == [
        {
            "item": "BOLT",
            "location": "WH1",
            "available": "5",
            "incoming": "0",
            "minimum": "5",
            "maximum": "20",
            "suggested": "15",
        }
    ]
    ledger.ship("BOLT", 1, "WH1")
    ledger.adjust("BOLT", "WH1", -1)
    ledger.transfer("BOLT", 1, "WH1", "WH2")
    assert len(low(ledger)) == 1  # still below: no new event
    ledger.receive("BOLT", 10, "WH1")  # 12: above again
    ledger.expect("BOLT", 3, "WH1", expected_at=day(2))
    ledger.ship("BOLT", 8, "WH1")  # 4: crosses again
    assert len(low(ledger)) == 2
    assert low(ledger)[1] == {
        "item": "BOLT",
        "location": "WH1",
        "available": "4",
        "incoming": "3",
        "minimum": "5",
        "maximum": "20",
        "suggested": "13",
    }
    types = [e.type for e in events(ledger)]
    assert types[-2:] == ["stock.shipment", "stock.low"]


def test_stock_low_only_for_the_rules_location_and_item(ledger: Inventory) -> None:
    ledger.set_reorder_rule("BOLT", "WH1", 5, 20)
    ledger.receive("BOLT", 10, "WH2")
    ledger.receive("NUT", 10, "WH1")
    ledger.ship("BOLT", 8, "WH2")
    ledger.ship("NUT", 8, "WH1")
    ledger.receive("BOLT", 6, "WH1")
    ledger.transfer("BOLT", 2, "WH2", "WH1")  # arrivals never signal
    assert low(ledger) == []
    ledger.transfer("BOLT", 3, "WH1", "WH2")  # 5 left at WH1
    assert [(p["item"], p["location"], p["available"]) for p in low(ledger)] == [
        ("BOLT", "WH1", "5")
    ]


def test_stock_low_from_reservations_and_dispatches(ledger: Inventory) -> None:
    ledger.set_reorder_rule("BOLT", "WH1", 5, 20)
    ledger.receive("BOLT", 10, "WH1")
    held = ledger.reserve("SO-1", [ReserveLine("BOLT", "WH1", 6)], ttl=TTL)
    assert [p["available"] for p in low(ledger)] == ["4"]
    assert [e.type for e in events(ledger)][-2:] == ["reservation.created", "stock.low"]
    ledger.release(held.id)  # 10 available again: no event
    assert len(low(ledger)) == 1
    with pytest.raises(InsufficientStock):
        ledger.reserve("SO-2", [ReserveLine("BOLT", "WH1", 11)], ttl=TTL)
    assert len(low(ledger)) == 1
    ledger.dispatch("BOLT", 7, "WH1", "WH2", expected_at=day(1))
    assert [p["available"] for p in low(ledger)] == ["4", "3"]


def test_stock_low_with_a_minimum_of_zero(ledger: Inventory) -> None:
    ledger.set_reorder_rule("BOLT", "WH1", 0, 10)
    ledger.receive("BOLT", 2, "WH1")
    ledger.ship("BOLT", 1, "WH1")
    assert low(ledger) == []
    ledger.ship("BOLT", 1, "WH1")
    assert [(p["available"], p["suggested"]) for p in low(ledger)] == [("0", "10")]


def test_a_refused_movement_signals_nothing(ledger: Inventory) -> None:
    ledger.set_reorder_rule("BOLT", "WH1", 5, 20)
    ledger.receive("BOLT", 10, "WH1")
    with pytest.raises(InsufficientStock):
        ledger.ship("BOLT", 11, "WH1")
    assert low(ledger) == []


def test_committing_a_reservation_does_not_signal_again(ledger: Inventory) -> None:
    ledger.set_reorder_rule("BOLT", "WH1", 5, 20)
    ledger.receive("BOLT", 10, "WH1")
    held = ledger.reserve("SO-1", [ReserveLine("BOLT", "WH1", 6)], ttl=TTL)
    assert len(low(ledger)) == 1
    ledger.commit(held.id, {0: 2})
    ledger.commit(held.id)
    assert ledger.available("BOLT", "WH1") == 4  # the same as before the commits
    assert len(low(ledger)) == 1
    # above the minimum, reserving and committing signal nothing
    ledger.receive("BOLT", 10, "WH1")
    second = ledger.reserve("SO-2", [ReserveLine("BOLT", "WH1", 2)], ttl=TTL)
    ledger.commit(second.id)
    assert ledger.available("BOLT", "WH1") == 12
    assert len(low(ledger)) == 1


def test_scrapping_an_expired_lot_does_not_signal_again(
    ledger: Inventory, clock: ManualClock
) -> None:
    ledger.set_reorder_rule("MILK", "WH1", 5, 20)
    ledger.receive("MILK", 3, "WH1", lot="OLD", expires_on=date(2026, 11, 24))
    ledger.receive("MILK", 10, "WH1", lot="NEW", expires_on=date(2026, 12, 24))
    clock.set(day(2))  # OLD has expired
    ledger.ship("MILK", 6, "WH1")
    assert [p["available"] for p in low(ledger)] == ["4"]
    ledger.scrap("MILK", 3, "WH1", lot="OLD")
    assert ledger.available("MILK", "WH1") == 4
    assert len(low(ledger)) == 1


# -- replenishment -------------------------------------------------------------------------


def test_replenishment_orders_up_to_the_maximum_counting_incoming(ledger: Inventory) -> None:
    bolt = ledger.set_reorder_rule("BOLT", "WH1", 5, 20)
    nut = ledger.set_reorder_rule("NUT", "WH1", 5, 20)
    milk = ledger.set_reorder_rule("MILK", "WH2", "2.5", 10)
    bolt_wh2 = ledger.set_reorder_rule("BOLT", "WH2", 1, 3)
    ledger.receive("BOLT", 9, "WH1")
    ledger.reserve("SO-1", [ReserveLine("BOLT", "WH1", 5)], ttl=TTL)  # 4 available
    ledger.expect("BOLT", 3, "WH1", expected_at=day(2))
    ledger.expect("BOLT", 100, "WH2", expected_at=day(2))  # not at WH1
    ledger.receive("NUT", 6, "WH1")  # above the minimum
    ledger.receive("MILK", "2.5", "WH2", lot="L1")  # at the minimum
    ledger.receive("BOLT", 1, "WH2")
    assert ledger.replenishment() == [
        Replenishment(bolt, Decimal(4), Decimal(3), Decimal(13)),
        Replenishment(milk, Decimal("2.5"), Decimal(0), Decimal("7.5")),
    ]
    # BOLT at WH2 is at its minimum, but what is incoming covers the maximum
    assert bolt_wh2 not in [r.rule for r in ledger.replenishment()]
    ledger.ship("NUT", 1, "WH1")
    assert [r.rule for r in ledger.replenishment()] == [bolt, milk, nut]
    ledger.expect("BOLT", 13, "WH1", expected_at=day(3))  # now covered
    assert [r.rule for r in ledger.replenishment()] == [milk, nut]


def test_replenishment_of_a_location_without_stock(ledger: Inventory) -> None:
    rule = ledger.set_reorder_rule("BOLT", "WH1", 5, 20)
    assert ledger.replenishment() == [Replenishment(rule, Decimal(0), Decimal(0), Decimal(20))]
    ledger.remove_reorder_rule("BOLT", "WH1")
    assert ledger.replenishment() == []


# -- found while writing these tests -------------------------------------------------------


def test_a_receipt_cannot_fulfil_a_transfer_in_transit(ledger: Inventory) -> None:
    ledger.receive("BOLT", 5, "WH1")
    (moving,) = ledger.dispatch("BOLT", 5, "WH1", "WH2", expected_at=day(1))
    with pytest.raises(InvalidValue) as info:
        ledger.receive("BOLT", 5, "WH2", incoming=moving.id)
    assert info.value.details["field"] == "incoming"
    assert [e.id for e in ledger.incoming("BOLT", "WH2")] == [moving.id]
    assert ledger.arrive(moving.id).quantity == 5


def test_reversing_a_dispatch_leaves_nothing_incoming(ledger: Inventory) -> None:
    ledger.receive("BOLT", 5, "WH1")
    (moving,) = ledger.dispatch("BOLT", 5, "WH1", "WH2", expected_at=day(1))
    assert moving.movement is not None
    ledger.reverse(moving.movement, reason="the truck never left")
    assert where(ledger, "BOLT") == {"WH1": 5}
    assert ledger.incoming("BOLT") == []
    assert ledger.balance("BOLT", "WH2").incoming == 0
    assert [e.type for e in events(ledger, "stock.dispatch_cancelled")] == [
        "stock.dispatch_cancelled"
    ]


def test_an_arrival_or_a_dispatch_that_arrived_is_not_reversed(ledger: Inventory) -> None:
    ledger.receive("BOLT", 5, "WH1")
    (moving,) = ledger.dispatch("BOLT", 5, "WH1", "WH2", expected_at=day(1))
    arrival = ledger.arrive(moving.id, 2)
    assert moving.movement is not None
    for movement in (arrival.id, moving.movement):
        with pytest.raises(InvalidValue) as info:
            ledger.reverse(movement, reason="oops")
        assert info.value.details["field"] == "movement_id"
    assert where(ledger, "BOLT") == {"@transit": 3, "WH2": 2}


def test_an_expected_receipt_follows_the_items_tracking(ledger: Inventory) -> None:
    ledger.add_item(Item("PHONE", tracking=Tracking.SERIAL))
    refused: list[Callable[[], object]] = [
        lambda: ledger.expect("BOLT", 5, "WH1", expected_at=day(1), lot="L1"),
        lambda: ledger.expect("PHONE", "0.5", "WH1", expected_at=day(1)),
        lambda: ledger.expect("PHONE", 2, "WH1", expected_at=day(1), lot="SN-1"),
    ]
    for command in refused:
        with pytest.raises(BackofficeError):
            command()
    assert ledger.incoming("BOLT") == []
    assert ledger.incoming("PHONE") == []
    assert events(ledger) == []


def test_goods_go_in_and_out_of_transit_only_by_dispatch_and_arrival(ledger: Inventory) -> None:
    ledger.receive("BOLT", 5, "WH1")
    (moving,) = ledger.dispatch("BOLT", 3, "WH1", "WH2", expected_at=day(1))
    refused: list[Callable[[], object]] = [
        lambda: ledger.transfer("BOLT", 1, "WH1", TRANSIT),
        lambda: ledger.ship("BOLT", 1, TRANSIT),
        lambda: ledger.transfer("BOLT", 1, TRANSIT, "WH2"),
    ]
    for command in refused:
        with pytest.raises(ValidationError) as info:
            command()
        assert paths(info.value)[0] in ("source", "destination")
    assert where(ledger, "BOLT") == {"WH1": 2, "@transit": 3}
    assert ledger.arrive(moving.id).quantity == 3


def test_an_arrival_replayed_with_its_key_answers_the_same(ledger: Inventory) -> None:
    ledger.receive("BOLT", 5, "WH1")
    (moving,) = ledger.dispatch("BOLT", 5, "WH1", "WH2", expected_at=day(1))
    first = ledger.arrive(moving.id, 2, idempotency_key="arr-1")
    assert ledger.arrive(moving.id, 2, idempotency_key="arr-1") == first
    everything = ledger.arrive(moving.id, idempotency_key="arr-2")
    assert ledger.arrive(moving.id, idempotency_key="arr-2") == everything
    assert everything.quantity == 3
    assert where(ledger, "BOLT") == {"WH2": 5}
    with pytest.raises(InvalidValue, match="done"):
        ledger.arrive(moving.id)  # a new arrival of a finished transfer


def test_a_movement_is_reversed_once(ledger: Inventory) -> None:
    receipt = ledger.receive("BOLT", 5, "WH1")
    reversal = ledger.reverse(receipt.id, reason="wrong delivery note")
    assert reversal.reverses == receipt.id
    for again in (receipt.id, reversal.id):
        with pytest.raises(InvalidValue) as info:
            ledger.reverse(again, reason="twice")
        assert info.value.details["field"] == "movement_id"
    assert where(ledger, "BOLT") == {}
