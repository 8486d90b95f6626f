"""Lots and serial numbers: FEFO picking, expiry by the ledger's calendar, reservations
per lot, serial numbers as single units, and the rules on lots (memory store; what
the adapters must keep identically is in the storage contract)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from backoffice.core.time import ManualClock
from backoffice.errors import InsufficientStock, InvalidValue, ValidationError
from backoffice.inventory import (
    CUSTOMER,
    SUPPLIER,
    Balance,
    Inventory,
    Item,
    Location,
    LocationKind,
    Lot,
    Movement,
    MoveRequest,
    ReserveLine,
    Tracking,
)
from backoffice.storage.ports import Store
from backoffice.testing.contract import START

PARIS = ZoneInfo("Europe/Paris")
TTL = timedelta(hours=1)


@pytest.fixture
def ledger(store: Store, clock: ManualClock) -> Inventory:
    inventory = Inventory(store, clock=clock)
    inventory.add_item(Item("MILK", "LTR", tracking=Tracking.LOT))
    inventory.add_item(Item("PHONE", tracking=Tracking.SERIAL))
    inventory.add_item(Item("BOLT"))
    inventory.add_location(Location("WH1"))
    inventory.add_location(Location("WH2"))
    return inventory


def journal(ledger: Inventory) -> list[tuple[str, str, Decimal]]:
    """(kind, lot, quantity) of every movement, in recording order."""
    return [
        (m.kind.value, m.lot, m.quantity) for m in ledger.store.run(lambda uow: uow.movements.all())
    ]


def paths(error: ValidationError) -> list[str]:
    return [problem.path for problem in error.problems]


def split(movements: list[Movement]) -> list[tuple[str, Decimal]]:
    return [(m.lot, m.quantity) for m in movements]


# -- FEFO ----------------------------------------------------------------------------------


@pytest.fixture
def stocked(ledger: Inventory) -> Inventory:
    """MILK at WH1: lots received in an order that is not FEFO order."""
    ledger.receive("MILK", 4, "WH1", lot="L-DEC05", expires_on=date(2026, 12, 5))
    ledger.receive("MILK", 5, "WH1", lot="B-UNDATED")
    ledger.receive("MILK", 3, "WH1", lot="L-DEC01", expires_on=date(2026, 12, 1))
    ledger.receive("MILK", 2, "WH1", lot="A-UNDATED")
    ledger.receive("MILK", 7, "WH1", lot="L-NOV20", expires_on=date(2026, 11, 20))  # expired
    return ledger


def test_fefo_takes_the_first_to_expire_then_undated_lots_by_code(stocked: Inventory) -> None:
    shipped = stocked.ship("MILK", 10, "WH1", reference="SO-1")
    assert split(shipped) == [
        ("L-DEC01", Decimal(3)),
        ("L-DEC05", Decimal(4)),
        ("A-UNDATED", Decimal(2)),
        ("B-UNDATED", Decimal(1)),
    ]
    assert all(m.reference == "SO-1" and m.destination == CUSTOMER for m in shipped)
    assert len({m.id for m in shipped}) == 4
    # the expired lot was skipped: it is on hand, but not available
    assert stocked.balance("MILK", "WH1") == Balance(
        "MILK", "WH1", Decimal(11), Decimal(0), expired=Decimal(7)
    )
    assert stocked.available("MILK", "WH1") == 4
    assert stocked.balance("MILK", "WH1", "L-NOV20").on_hand == 7
    assert stocked.balance("MILK", "WH1", "B-UNDATED").on_hand == 4
    assert stocked.verify() == []


def test_fefo_breaks_ties_between_lots_of_the_same_date_by_code(ledger: Inventory) -> None:
    ledger.receive("MILK", 2, "WH1", lot="Z1", expires_on=date(2026, 12, 1))
    ledger.receive("MILK", 2, "WH1", lot="Y1", expires_on=date(2026, 12, 1))
    ledger.receive("MILK", 2, "WH1", lot="X9", expires_on=date(2026, 12, 2))
    assert split(ledger.ship("MILK", 5, "WH1")) == [
        ("Y1", Decimal(2)),
        ("Z1", Decimal(2)),
        ("X9", Decimal(1)),
    ]


def test_a_shipment_within_one_lot_is_one_movement(stocked: Inventory) -> None:
    assert split(stocked.ship("MILK", "2.5", "WH1")) == [("L-DEC01", Decimal("2.5"))]
    assert split(stocked.ship("MILK", "0.5", "WH1")) == [("L-DEC01", Decimal("0.5"))]
    assert split(stocked.ship("MILK", 1, "WH1")) == [("L-DEC05", Decimal(1))]


def test_fefo_shortage_counts_only_unexpired_stock_and_writes_nothing(
    stocked: Inventory,
) -> None:
    before = journal(stocked)
    events = len(stocked.store.pending_events())
    with pytest.raises(InsufficientStock) as info:
        stocked.ship("MILK", 15, "WH1")
    assert info.value.details["shortfalls"] == [
        {
            "item": "MILK",
            "location": "WH1",
            "lot": "",
            "requested": "15",
            "available": "14",
            "missing": "1",
        }
    ]
    assert journal(stocked) == before
    assert len(stocked.store.pending_events()) == events
    assert stocked.balance("MILK", "WH1").on_hand == 21
    assert stocked.available("MILK", "WH1") == 14


def test_expired_stock_is_scrapped_by_naming_its_lot(stocked: Inventory) -> None:
    with pytest.raises(InsufficientStock):
        stocked.scrap("MILK", 15, "WH1")  # FEFO never takes the expired lot
    scrapped = stocked.scrap("MILK", 7, "WH1", lot="L-NOV20", reason="expired")
    assert split(scrapped) == [("L-NOV20", Decimal(7))]
    assert scrapped[0].destination == "@loss"
    assert stocked.balance("MILK", "WH1") == Balance("MILK", "WH1", Decimal(14), Decimal(0))


def test_transfers_pick_by_fefo_and_keep_the_lots(stocked: Inventory) -> None:
    moved = stocked.transfer("MILK", 5, "WH1", "WH2")
    assert split(moved) == [("L-DEC01", Decimal(3)), ("L-DEC05", Decimal(2))]
    assert stocked.balance("MILK", "WH2", "L-DEC01").on_hand == 3
    assert stocked.balance("MILK", "WH2", "L-DEC05").on_hand == 2
    assert stocked.balance("MILK", "WH1", "L-DEC05").on_hand == 2
    # at WH2 the lots keep their expiry dates
    assert split(stocked.ship("MILK", 4, "WH2")) == [
        ("L-DEC01", Decimal(3)),
        ("L-DEC05", Decimal(1)),
    ]
    assert stocked.verify() == []


def test_a_lot_is_picked_on_its_expiry_day_and_not_the_day_after(
    ledger: Inventory, clock: ManualClock
) -> None:
    ledger.receive("MILK", 2, "WH1", lot="TODAY", expires_on=date(2026, 11, 23))
    ledger.receive("MILK", 2, "WH1", lot="LATER", expires_on=date(2026, 11, 30))
    clock.set(datetime(2026, 11, 23, 23, 59, 59, tzinfo=UTC))
    assert ledger.available("MILK", "WH1") == 4
    assert split(ledger.ship("MILK", 1, "WH1")) == [("TODAY", Decimal(1))]
    clock.advance(timedelta(seconds=1))  # midnight: TODAY has expired
    assert ledger.balance("MILK", "WH1").expired == 1
    assert ledger.available("MILK", "WH1") == 2
    assert split(ledger.ship("MILK", 1, "WH1")) == [("LATER", Decimal(1))]


def test_today_is_a_day_of_the_ledgers_zone(store: Store, clock: ManualClock) -> None:
    utc = Inventory(store, clock=clock)
    paris = Inventory(store, clock=clock, zone=PARIS)
    utc.add_item(Item("MILK", "LTR", tracking=Tracking.LOT))
    utc.add_location(Location("WH1"))
    utc.receive("MILK", 3, "WH1", lot="NOV30", expires_on=date(2026, 11, 30))
    utc.receive("MILK", 3, "WH1", lot="DEC09", expires_on=date(2026, 12, 9))
    # 23:30 UTC on 30 November is 00:30 on 1 December in Paris (UTC+1 in winter)
    clock.set(datetime(2026, 11, 30, 23, 30, tzinfo=UTC))
    assert utc.available("MILK", "WH1") == 6
    assert paris.available("MILK", "WH1") == 3
    assert paris.balance("MILK", "WH1").expired == 3
    assert split(paris.ship("MILK", 1, "WH1")) == [("DEC09", Decimal(1))]
    assert split(utc.ship("MILK", 1, "WH1")) == [("NOV30", Decimal(1))]
    with pytest.raises(InsufficientStock):
        paris.ship("MILK", 3, "WH1")  # 2 of DEC09 left; NOV30 has expired in Paris
    assert split(utc.ship("MILK", 3, "WH1")) == [("NOV30", Decimal(2)), ("DEC09", Decimal(1))]


# -- reservations per lot ------------------------------------------------------------------


@pytest.fixture
def two_lots(ledger: Inventory) -> Inventory:
    ledger.receive("MILK", 5, "WH1", lot="A", expires_on=date(2026, 12, 1))
    ledger.receive("MILK", 5, "WH1", lot="B", expires_on=date(2026, 12, 5))
    return ledger


def test_a_reservation_holds_one_line_per_lot_in_fefo_order(two_lots: Inventory) -> None:
    held = two_lots.reserve("SO-1", [ReserveLine("MILK", "WH1", 7)], ttl=TTL)
    assert [(line.item, line.location, line.lot, line.quantity) for line in held.lines] == [
        ("MILK", "WH1", "A", Decimal(5)),
        ("MILK", "WH1", "B", Decimal(2)),
    ]
    assert two_lots.balance("MILK", "WH1", "A").reserved == 5
    assert two_lots.balance("MILK", "WH1", "B").reserved == 2
    assert two_lots.balance("MILK", "WH1").reserved == 7
    assert two_lots.available("MILK", "WH1") == 3
    # a shipment without a lot takes what no reservation holds: lot B
    assert split(two_lots.ship("MILK", 2, "WH1")) == [("B", Decimal(2))]
    with pytest.raises(InsufficientStock):
        two_lots.reserve("SO-2", [ReserveLine("MILK", "WH1", 2)], ttl=TTL)
    shipped = two_lots.commit(held.id)
    assert [(m.lot, m.quantity, m.reference) for m in shipped] == [
        ("A", Decimal(5), "SO-1"),
        ("B", Decimal(2), "SO-1"),
    ]
    assert two_lots.balance("MILK", "WH1") == Balance("MILK", "WH1", Decimal(1), Decimal(0))
    assert two_lots.verify() == []


def test_what_an_earlier_reservation_holds_on_a_lot_is_not_picked_again(
    two_lots: Inventory,
) -> None:
    first = two_lots.reserve("SO-1", [ReserveLine("MILK", "WH1", 3)], ttl=TTL)
    second = two_lots.reserve("SO-2", [ReserveLine("MILK", "WH1", 4)], ttl=TTL)
    assert [(line.lot, line.quantity) for line in first.lines] == [("A", Decimal(3))]
    assert [(line.lot, line.quantity) for line in second.lines] == [
        ("A", Decimal(2)),
        ("B", Decimal(2)),
    ]
    third = two_lots.reserve("SO-3", [ReserveLine("MILK", "WH1", 3)], ttl=TTL)
    assert [(line.lot, line.quantity) for line in third.lines] == [("B", Decimal(3))]
    assert two_lots.available("MILK", "WH1") == 0


def test_a_reservation_naming_a_lot_and_one_leaving_it_to_fefo(two_lots: Inventory) -> None:
    held = two_lots.reserve(
        "SO-1",
        [ReserveLine("MILK", "WH1", 3, lot="A"), ReserveLine("MILK", "WH1", 4)],
        ttl=TTL,
    )
    assert sorted((line.lot, line.quantity) for line in held.lines) == [
        ("A", Decimal(5)),
        ("B", Decimal(2)),
    ]
    assert two_lots.available("MILK", "WH1") == 3


def test_expired_lots_are_not_reserved(two_lots: Inventory, clock: ManualClock) -> None:
    clock.set(datetime(2026, 12, 2, 8, 0, tzinfo=UTC))  # A expired yesterday
    with pytest.raises(InsufficientStock) as info:
        two_lots.reserve("SO-1", [ReserveLine("MILK", "WH1", 6)], ttl=TTL)
    (shortfall,) = info.value.details["shortfalls"]
    assert (shortfall["lot"], shortfall["available"], shortfall["missing"]) == ("", "5", "1")
    held = two_lots.reserve("SO-1", [ReserveLine("MILK", "WH1", 5)], ttl=TTL)
    assert [(line.lot, line.quantity) for line in held.lines] == [("B", Decimal(5))]


def test_a_reservation_of_a_lot_is_all_or_nothing(two_lots: Inventory) -> None:
    with pytest.raises(InsufficientStock):
        two_lots.reserve(
            "SO-1",
            [ReserveLine("MILK", "WH1", 4), ReserveLine("BOLT", "WH1", 1)],
            ttl=TTL,
        )
    assert two_lots.balance("MILK", "WH1").reserved == 0
    assert [e.type for e in two_lots.store.pending_events()].count("reservation.created") == 0


def test_untracked_items_cannot_be_reserved_by_lot(ledger: Inventory) -> None:
    ledger.receive("BOLT", 5, "WH1")
    with pytest.raises(ValidationError) as info:
        ledger.reserve("SO-1", [ReserveLine("BOLT", "WH1", 1, lot="L1")], ttl=TTL)
    assert paths(info.value) == ["lines.lot"]


# -- serial numbers ------------------------------------------------------------------------


def test_a_serial_number_is_one_whole_unit(ledger: Inventory) -> None:
    with pytest.raises(ValidationError) as info:
        ledger.receive("PHONE", 2, "WH1", lot="SN-1")
    assert paths(info.value) == ["quantity"]
    with pytest.raises(ValidationError) as info:
        ledger.receive("PHONE", "1.5", "WH1")
    assert paths(info.value) == ["quantity", "lot"]
    with pytest.raises(ValidationError) as info:
        ledger.receive("PHONE", "0.5", "WH1", lot="SN-1")
    assert set(paths(info.value)) == {"quantity"}
    assert journal(ledger) == []
    assert ledger.lots("PHONE") == []
    movement = ledger.receive("PHONE", 1, "WH1", lot="SN-1")
    assert (movement.lot, movement.quantity) == ("SN-1", Decimal(1))


def test_a_serial_number_cannot_be_in_stock_twice(ledger: Inventory) -> None:
    ledger.receive("PHONE", 1, "WH1", lot="SN-1")
    for location in ("WH1", "WH2"):
        with pytest.raises(InvalidValue) as info:
            ledger.receive("PHONE", 1, location, lot="SN-1")
        assert info.value.details["field"] == "lot"
        assert "SN-1" in info.value.message
    with pytest.raises(InvalidValue):
        ledger.take_back("PHONE", 1, "WH2", lot="SN-1")
    assert journal(ledger) == [("receipt", "SN-1", Decimal(1))]
    assert ledger.balance("PHONE", "WH1") == Balance("PHONE", "WH1", Decimal(1), Decimal(0))
    assert ledger.balance("PHONE", "WH2").on_hand == 0
    assert ledger.verify() == []


def test_a_serial_number_can_come_back_after_it_was_shipped(ledger: Inventory) -> None:
    ledger.receive("PHONE", 1, "WH1", lot="SN-1")
    assert split(ledger.ship("PHONE", 1, "WH1", lot="SN-1")) == [("SN-1", Decimal(1))]
    back = ledger.take_back("PHONE", 1, "WH2", lot="SN-1", reason="faulty")
    assert (back.source, back.lot) == (CUSTOMER, "SN-1")
    assert ledger.balance("PHONE", "WH2", "SN-1").on_hand == 1
    ledger.ship("PHONE", 1, "WH2")
    ledger.receive("PHONE", 1, "WH1", lot="SN-1", reason="refurbished")
    assert ledger.balance("PHONE", "WH1").on_hand == 1
    assert ledger.lots("PHONE") == [Lot("PHONE", "SN-1")]


def test_serial_numbers_move_between_locations_in_both_directions(
    ledger: Inventory,
) -> None:
    ledger.receive("PHONE", 1, "WH2", lot="SN-2")
    ledger.receive("PHONE", 1, "WH1", lot="SN-1")
    ledger.transfer("PHONE", 1, "WH2", "WH1", lot="SN-2")  # the destination sorts first
    ledger.transfer("PHONE", 1, "WH1", "WH2", lot="SN-1")
    assert ledger.balance("PHONE", "WH1", "SN-2").on_hand == 1
    assert ledger.balance("PHONE", "WH2", "SN-1").on_hand == 1
    (entry,) = ledger.dispatch("PHONE", 1, "WH1", "WH2", expected_at=START + timedelta(days=1))
    assert entry.lot == "SN-2"
    with pytest.raises(InvalidValue):  # SN-2 is on the road: still in stock
        ledger.receive("PHONE", 1, "WH1", lot="SN-2")
    ledger.arrive(entry.id)
    assert ledger.balance("PHONE", "WH2").on_hand == 2
    assert ledger.verify() == []


def test_serial_numbers_ship_one_movement_per_unit(ledger: Inventory) -> None:
    for serial in ("SN-3", "SN-1", "SN-2"):
        ledger.receive("PHONE", 1, "WH1", lot=serial)
    assert split(ledger.ship("PHONE", 2, "WH1")) == [("SN-1", Decimal(1)), ("SN-2", Decimal(1))]
    with pytest.raises(ValidationError) as info:
        ledger.ship("PHONE", "0.5", "WH1")
    assert paths(info.value) == ["quantity"]
    assert ledger.balance("PHONE", "WH1", "SN-3").on_hand == 1


def test_a_batch_cannot_receive_the_same_serial_twice(ledger: Inventory) -> None:
    with pytest.raises(InvalidValue):
        ledger.record(
            [
                MoveRequest("receipt", "PHONE", 1, SUPPLIER, "WH1", lot="SN-9"),
                MoveRequest("receipt", "PHONE", 1, SUPPLIER, "WH2", lot="SN-9"),
            ]
        )
    assert journal(ledger) == []
    assert ledger.lots("PHONE") == []


# -- rules on lots -------------------------------------------------------------------------


def test_tracked_items_need_a_lot_on_receipt(ledger: Inventory) -> None:
    with pytest.raises(ValidationError) as info:
        ledger.receive("MILK", 5, "WH1")
    (problem,) = info.value.problems
    assert (problem.path, problem.code) == ("lot", "value.invalid")
    assert "MILK" in problem.message
    with pytest.raises(ValidationError) as info:
        ledger.receive("MILK", 5, "WH1", expires_on=date(2026, 12, 1))
    assert paths(info.value) == ["lot", "expires_on"]
    with pytest.raises(ValidationError) as info:
        ledger.adjust("MILK", "WH1", 2)  # found more: of which lot?
    assert paths(info.value) == ["lot"]
    assert journal(ledger) == []


def test_untracked_items_refuse_a_lot_or_an_expiry_date(ledger: Inventory) -> None:
    with pytest.raises(ValidationError) as info:
        ledger.receive("BOLT", 5, "WH1", lot="L1", expires_on=date(2026, 12, 1))
    assert paths(info.value) == ["lot", "expires_on"]
    with pytest.raises(ValidationError) as info:
        ledger.receive("BOLT", 5, "WH1", expires_on=date(2026, 12, 1))
    assert paths(info.value) == ["expires_on"]
    assert journal(ledger) == []
    assert ledger.lots("BOLT") == []


def test_a_lot_keeps_the_expiry_date_of_its_first_receipt(ledger: Inventory) -> None:
    ledger.receive("MILK", 5, "WH1", lot="L1", expires_on=date(2026, 12, 1))
    with pytest.raises(ValidationError) as info:
        ledger.receive("MILK", 5, "WH2", lot="L1", expires_on=date(2026, 12, 2))
    (problem,) = info.value.problems
    assert problem.path == "expires_on"
    assert "2026-12-01" in problem.message
    assert "2026-12-02" in problem.message
    ledger.receive("MILK", 1, "WH2", lot="L1")  # no date: the lot's date
    ledger.receive("MILK", 1, "WH2", lot="L1", expires_on=date(2026, 12, 1))  # the same date
    assert ledger.lots("MILK") == [Lot("MILK", "L1", date(2026, 12, 1))]
    with pytest.raises(ValidationError) as info:
        ledger.ship("MILK", 1, "WH2", lot="L1", expires_on=date(2027, 1, 1))
    assert paths(info.value) == ["expires_on"]
    # an undated lot stays undated
    ledger.receive("MILK", 1, "WH1", lot="L2")
    with pytest.raises(ValidationError):
        ledger.receive("MILK", 1, "WH1", lot="L2", expires_on=date(2026, 12, 1))
    assert ledger.lots("MILK") == [
        Lot("MILK", "L1", date(2026, 12, 1)),
        Lot("MILK", "L2", None),
    ]


def test_outbound_movements_of_an_unknown_lot_are_refused(ledger: Inventory) -> None:
    ledger.receive("MILK", 5, "WH1", lot="L1")
    before = journal(ledger)
    with pytest.raises(ValidationError) as info:
        ledger.ship("MILK", 1, "WH1", lot="NOPE")
    (problem,) = info.value.problems
    assert problem.path == "lot"
    assert "NOPE" in problem.message
    with pytest.raises(ValidationError) as info:
        ledger.transfer("MILK", 1, "WH1", "WH2", lot="NOPE")
    assert paths(info.value) == ["lot"]
    with pytest.raises(ValidationError) as info:
        ledger.scrap("MILK", 1, "WH1", lot="NOPE")
    assert paths(info.value) == ["lot"]
    assert journal(ledger) == before
    assert ledger.lots("MILK") == [Lot("MILK", "L1")]


def test_a_batch_names_the_movement_of_each_lot_problem(ledger: Inventory) -> None:
    with pytest.raises(ValidationError) as info:
        ledger.record(
            [
                MoveRequest("receipt", "MILK", 1, SUPPLIER, "WH1", lot="L1"),
                MoveRequest("receipt", "MILK", 1, SUPPLIER, "WH1"),
                MoveRequest("receipt", "BOLT", 1, SUPPLIER, "WH1", lot="L1"),
                MoveRequest("shipment", "MILK", 1, "WH1", CUSTOMER, lot="NOPE"),
            ]
        )
    assert paths(info.value) == ["movements.1.lot", "movements.2.lot", "movements.3.lot"]
    assert journal(ledger) == []
    assert ledger.lots("MILK") == []  # L1 of movement 0 is not registered either


def test_lots_are_registered_with_their_expiry_and_listed_by_code(ledger: Inventory) -> None:
    ledger.record(
        [
            MoveRequest(
                "receipt", "MILK", 1, SUPPLIER, "WH1", lot="b", expires_on=date(2027, 1, 2)
            ),
            MoveRequest("receipt", "MILK", 1, SUPPLIER, "WH1", lot="B"),
            MoveRequest("receipt", "MILK", 1, SUPPLIER, "WH2", lot="a10"),
            MoveRequest(
                "receipt", "MILK", 1, SUPPLIER, "WH2", lot="a9", expires_on=date(2027, 1, 1)
            ),
        ]
    )
    assert ledger.lots("MILK") == [
        Lot("MILK", "B"),
        Lot("MILK", "a10"),
        Lot("MILK", "a9", date(2027, 1, 1)),
        Lot("MILK", "b", date(2027, 1, 2)),
    ]
    assert [(b.location, b.lot, b.on_hand) for b in ledger.stock("MILK")] == [
        ("WH1", "B", Decimal(1)),
        ("WH1", "b", Decimal(1)),
        ("WH2", "a10", Decimal(1)),
        ("WH2", "a9", Decimal(1)),
    ]


def test_a_lot_can_be_received_again_and_counted(ledger: Inventory) -> None:
    ledger.receive("MILK", 5, "WH1", lot="L1", expires_on=date(2026, 12, 1))
    ledger.receive("MILK", 2, "WH1", lot="L1")
    adjustment = ledger.count("MILK", "WH1", 6, lot="L1")
    assert adjustment is not None
    assert (adjustment.lot, adjustment.quantity, adjustment.destination) == (
        "L1",
        Decimal(1),
        "@loss",
    )
    assert ledger.balance("MILK", "WH1", "L1").on_hand == 6
    assert ledger.verify() == []


# -- expired lots --------------------------------------------------------------------------


@pytest.fixture
def expired(ledger: Inventory) -> Inventory:
    """Lot OLD (5, expired on 20 November) and lot NEW (5) at WH1."""
    ledger.add_location(Location("SHOP", LocationKind.CUSTOMER))
    ledger.receive("MILK", 5, "WH1", lot="OLD", expires_on=date(2026, 11, 20))
    ledger.receive("MILK", 5, "WH1", lot="NEW", expires_on=date(2026, 12, 20))
    return ledger


def test_an_expired_lot_never_goes_to_a_customer(expired: Inventory) -> None:
    before = journal(expired)
    commands: list[Callable[[], object]] = [
        lambda: expired.ship("MILK", 1, "WH1", lot="OLD"),
        lambda: expired.transfer("MILK", 1, "WH1", "SHOP", lot="OLD"),
    ]
    for command in commands:
        with pytest.raises(ValidationError) as info:
            command()
        (problem,) = info.value.problems
        assert problem.path == "lot"
        assert "2026-11-20" in problem.message
    assert journal(expired) == before
    assert expired.balance("MILK", "WH1", "OLD") == Balance(
        "MILK", "WH1", Decimal(5), Decimal(0), "OLD", expired=Decimal(5)
    )
    assert expired.available("MILK", "WH1", "OLD") == 0
    assert expired.available("MILK", "WH1", "NEW") == 5
    # it can still be moved in the warehouse, sent elsewhere, or scrapped
    assert split(expired.transfer("MILK", 1, "WH1", "WH2", lot="OLD")) == [("OLD", Decimal(1))]
    (entry,) = expired.dispatch(
        "MILK", 1, "WH1", "WH2", lot="OLD", expected_at=START + timedelta(days=1)
    )
    assert entry.lot == "OLD"
    assert split(expired.scrap("MILK", 3, "WH1", lot="OLD")) == [("OLD", Decimal(3))]
    assert expired.balance("MILK", "WH1") == Balance("MILK", "WH1", Decimal(5), Decimal(0))


def test_an_expired_or_unknown_lot_cannot_be_reserved(expired: Inventory) -> None:
    with pytest.raises(ValidationError) as info:
        expired.reserve("SO-1", [ReserveLine("MILK", "WH1", 1, lot="OLD")], ttl=TTL)
    assert [(p.path, p.code) for p in info.value.problems] == [("lines.lot", "value.invalid")]
    with pytest.raises(ValidationError) as info:
        expired.reserve("SO-1", [ReserveLine("MILK", "WH1", 1, lot="NOPE")], ttl=TTL)
    assert [(p.path, p.code) for p in info.value.problems] == [("lines.lot", "storage.not_found")]
    assert expired.balance("MILK", "WH1").reserved == 0
    held = expired.reserve("SO-1", [ReserveLine("MILK", "WH1", 2, lot="NEW")], ttl=TTL)
    assert [(line.lot, line.quantity) for line in held.lines] == [("NEW", Decimal(2))]


def test_a_reservation_whose_lot_expires_is_not_shipped(
    ledger: Inventory, clock: ManualClock
) -> None:
    ledger.receive("MILK", 5, "WH1", lot="A", expires_on=date(2026, 11, 24))
    ledger.receive("MILK", 5, "WH1", lot="B", expires_on=date(2026, 12, 5))
    # a reservation takes the lots that last until it expires: A does not last 5 days
    with pytest.raises(InsufficientStock):
        ledger.reserve("SO-1", [ReserveLine("MILK", "WH1", 7)], ttl=timedelta(days=5))
    held = ledger.reserve("SO-1", [ReserveLine("MILK", "WH1", 7)], ttl=timedelta(hours=1))
    assert [(line.lot, line.quantity) for line in held.lines] == [
        ("A", Decimal(5)),
        ("B", Decimal(2)),
    ]
    ledger.extend(held.id, timedelta(days=5))  # extended past A's expiry date
    clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))  # A has expired, still held
    before = journal(ledger)
    with pytest.raises(ValidationError) as info:
        ledger.commit(held.id)
    assert paths(info.value) == ["movements.0.lot"]
    assert journal(ledger) == before
    assert [line.committed for line in ledger.reservation(held.id).lines] == [0, 0]
    # the line of lot B ships
    assert split(ledger.commit(held.id, {1: 2})) == [("B", Decimal(2))]
    assert ledger.balance("MILK", "WH1", "B").on_hand == 3


def test_a_batch_naming_a_lot_then_leaving_one_to_fefo(two_lots: Inventory) -> None:
    shipped = two_lots.record(
        [
            MoveRequest("shipment", "MILK", 5, "WH1", CUSTOMER, lot="A"),
            MoveRequest("shipment", "MILK", 5, "WH1", CUSTOMER),
        ]
    )
    assert split(shipped) == [("A", Decimal(5)), ("B", Decimal(5))]


def test_stock_shows_expired_lots_as_expired(expired: Inventory) -> None:
    by_lot = {b.lot: b for b in expired.stock("MILK")}
    assert by_lot["OLD"] == expired.balance("MILK", "WH1", "OLD")
    assert (by_lot["OLD"].expired, by_lot["OLD"].available) == (Decimal(5), Decimal(0))
    assert by_lot["NEW"].available == 5
