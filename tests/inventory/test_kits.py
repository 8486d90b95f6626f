"""Kits: items made of components, holding no stock of their own (memory store; the
persistence of components is in the storage contract)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from backoffice.core.money import UnitPrice
from backoffice.core.time import ManualClock
from backoffice.errors import (
    FloatNotAllowed,
    InsufficientStock,
    InvalidAmount,
    InvalidValue,
    ValidationError,
)
from backoffice.inventory import (
    CUSTOMER,
    SUPPLIER,
    Component,
    Inventory,
    Item,
    Location,
    MoveRequest,
    ReservationStatus,
    ReserveLine,
    Tracking,
    ValuationMethod,
)
from backoffice.storage.ports import Store
from backoffice.testing.contract import START

TTL = timedelta(hours=1)
LATTE = Item(
    "LATTE",
    components=(Component("MILK", "0.25"), Component("CUP", 1), Component("COFFEE", "0.018")),
)


@pytest.fixture
def ledger(store: Store, clock: ManualClock) -> Inventory:
    inventory = Inventory(store, clock=clock)
    inventory.add_item(Item("MILK", "LTR", tracking=Tracking.LOT))
    inventory.add_item(Item("CUP"))
    inventory.add_item(Item("COFFEE", "KGM"))
    inventory.add_item(LATTE)
    inventory.add_location(Location("WH1"))
    inventory.add_location(Location("WH2"))
    return inventory


@pytest.fixture
def cafe(ledger: Inventory) -> Inventory:
    """At WH1: milk for 11 lattes (2.9 L), cups for 20, coffee for 55 (1 kg)."""
    ledger.receive("MILK", "1.9", "WH1", lot="M-LATE", expires_on=date(2026, 11, 30))
    ledger.receive("MILK", 1, "WH1", lot="M-SOON", expires_on=date(2026, 11, 25))
    ledger.receive("CUP", 20, "WH1")
    ledger.receive("COFFEE", 1, "WH1")
    return ledger


def journal(ledger: Inventory) -> list[tuple[str, str, str, Decimal, str]]:
    """(item, source, lot, quantity, reason) of every movement, in recording order."""
    return [
        (m.item, m.source, m.lot, m.quantity, m.reason)
        for m in ledger.store.run(lambda uow: uow.movements.all())
    ]


def paths(error: ValidationError) -> list[str]:
    return [problem.path for problem in error.problems]


# -- availability --------------------------------------------------------------------------


def test_a_kit_is_available_in_whole_kits_the_minimum_over_its_components(
    cafe: Inventory,
) -> None:
    balance = cafe.balance("LATTE", "WH1")
    # milk: 2.9 / 0.25 = 11.6 -> 11; cups: 20; coffee: 1 / 0.018 = 55.5 -> 55
    assert (balance.on_hand, balance.reserved, balance.available) == (
        Decimal(11),
        Decimal(0),
        Decimal(11),
    )
    assert cafe.available("LATTE", "WH1") == 11
    assert cafe.available("LATTE", "WH2") == 0
    cafe.ship("CUP", 12, "WH1")  # now the cups are short: 8
    assert cafe.available("LATTE", "WH1") == 8
    cafe.ship("COFFEE", "0.874", "WH1")  # 0.126 kg left: exactly 7 lattes
    assert cafe.available("LATTE", "WH1") == 7
    cafe.ship("COFFEE", "0.000001", "WH1")  # 0.125999 kg: 6 whole lattes
    assert cafe.available("LATTE", "WH1") == 6


def test_a_kit_with_a_missing_component_is_not_available(ledger: Inventory) -> None:
    ledger.receive("CUP", 20, "WH1")
    ledger.receive("COFFEE", 1, "WH1")
    assert ledger.balance("LATTE", "WH1").on_hand == 0
    assert ledger.available("LATTE", "WH1") == 0


def test_reserved_and_expired_components_make_fewer_kits(
    cafe: Inventory, clock: ManualClock
) -> None:
    cafe.reserve("SO-1", [ReserveLine("CUP", "WH1", 15)], ttl=TTL)
    assert cafe.available("LATTE", "WH1") == 5
    assert cafe.balance("LATTE", "WH1").on_hand == 11
    clock.advance(timedelta(minutes=59))
    assert cafe.available("LATTE", "WH1") == 5
    clock.advance(timedelta(minutes=1))  # SO-1 has expired: the milk is the limit again
    assert cafe.available("LATTE", "WH1") == 11
    clock.set(datetime(2026, 11, 26, 8, 0, tzinfo=UTC))  # M-SOON has expired: 1.9 L left
    assert cafe.available("LATTE", "WH1") == 7
    clock.set(datetime(2026, 12, 1, 8, 0, tzinfo=UTC))  # all the milk has expired
    assert cafe.available("LATTE", "WH1") == 0


# -- moving kits ---------------------------------------------------------------------------


def test_shipping_kits_ships_their_components(cafe: Inventory) -> None:
    shipped = cafe.ship("LATTE", 5, "WH1", reference="TABLE-4")
    # 1.25 L of milk: FEFO takes the 1 L of M-SOON, then 0.25 L of M-LATE
    assert [(m.item, m.lot, m.quantity, m.reason) for m in shipped] == [
        ("MILK", "M-SOON", Decimal(1), "kit LATTE"),
        ("MILK", "M-LATE", Decimal("0.25"), "kit LATTE"),
        ("CUP", "", Decimal(5), "kit LATTE"),
        ("COFFEE", "", Decimal("0.09"), "kit LATTE"),
    ]
    assert all(m.reference == "TABLE-4" and m.destination == CUSTOMER for m in shipped)
    assert cafe.balance("MILK", "WH1").on_hand == Decimal("1.65")
    assert cafe.balance("CUP", "WH1").on_hand == 15
    assert cafe.balance("COFFEE", "WH1").on_hand == Decimal("0.91")
    assert cafe.available("LATTE", "WH1") == 6
    assert cafe.balance("LATTE", "WH1", "").on_hand == 6  # no stock row of its own
    assert cafe.stock("LATTE") == []
    assert cafe.verify() == []


def test_a_reason_given_for_a_kit_is_kept(cafe: Inventory) -> None:
    shipped = cafe.ship("LATTE", 1, "WH1", reason="staff drink")
    assert {m.reason for m in shipped} == {"staff drink"}


def test_transferring_and_scrapping_kits(cafe: Inventory) -> None:
    moved = cafe.transfer("LATTE", 4, "WH1", "WH2")
    assert [(m.item, m.quantity, m.destination) for m in moved] == [
        ("MILK", Decimal(1), "WH2"),
        ("CUP", Decimal(4), "WH2"),
        ("COFFEE", Decimal("0.072"), "WH2"),
    ]
    assert cafe.available("LATTE", "WH2") == 4
    scrapped = cafe.scrap("LATTE", 1, "WH2", reason="dropped")
    assert [(m.item, m.lot, m.quantity, m.destination) for m in scrapped] == [
        ("MILK", "M-SOON", Decimal("0.25"), "@loss"),
        ("CUP", "", Decimal(1), "@loss"),
        ("COFFEE", "", Decimal("0.018"), "@loss"),
    ]
    assert cafe.available("LATTE", "WH2") == 3
    assert cafe.verify() == []


def test_too_few_components_refuse_the_kit_and_write_nothing(cafe: Inventory) -> None:
    before = journal(cafe)
    with pytest.raises(InsufficientStock) as info:
        cafe.ship("LATTE", 12, "WH1")
    assert [
        (s["item"], s["requested"], s["available"]) for s in info.value.details["shortfalls"]
    ] == [("MILK", "3", "2.9")]
    assert journal(cafe) == before
    assert cafe.available("LATTE", "WH1") == 11


def test_kits_in_a_batch_with_other_movements(cafe: Inventory) -> None:
    movements = cafe.record(
        [
            MoveRequest("receipt", "CUP", 10, SUPPLIER, "WH2"),
            MoveRequest("shipment", "LATTE", 2, "WH1", CUSTOMER),
        ]
    )
    assert [(m.item, m.quantity) for m in movements] == [
        ("CUP", Decimal(10)),
        ("MILK", Decimal("0.5")),
        ("CUP", Decimal(2)),
        ("COFFEE", Decimal("0.036")),
    ]


# -- reserving kits ------------------------------------------------------------------------


def test_reserving_kits_reserves_their_components(cafe: Inventory) -> None:
    held = cafe.reserve("SO-1", [ReserveLine("LATTE", "WH1", 6)], ttl=TTL)
    assert sorted((line.item, line.lot, line.quantity) for line in held.lines) == [
        ("COFFEE", "", Decimal("0.108")),
        ("CUP", "", Decimal(6)),
        ("MILK", "M-LATE", Decimal("0.5")),
        ("MILK", "M-SOON", Decimal(1)),
    ]
    assert cafe.balance("LATTE", "WH1").reserved == 6
    assert cafe.available("LATTE", "WH1") == 5
    assert cafe.available("CUP", "WH1") == 14
    assert cafe.available("MILK", "WH1") == Decimal("1.4")
    with pytest.raises(InsufficientStock):
        cafe.reserve("SO-2", [ReserveLine("LATTE", "WH1", 6)], ttl=TTL)
    shipped = cafe.commit(held.id)
    assert sorted((m.item, m.lot, m.quantity) for m in shipped) == [
        ("COFFEE", "", Decimal("0.108")),
        ("CUP", "", Decimal(6)),
        ("MILK", "M-LATE", Decimal("0.5")),
        ("MILK", "M-SOON", Decimal(1)),
    ]
    assert all(m.reference == "SO-1" for m in shipped)
    assert cafe.reservation(held.id).status is ReservationStatus.COMMITTED
    assert cafe.balance("CUP", "WH1").on_hand == 14
    assert cafe.balance("MILK", "WH1").on_hand == Decimal("1.4")
    assert cafe.available("LATTE", "WH1") == 5
    assert cafe.verify() == []


def test_a_kit_and_its_component_in_one_reservation_add_up(cafe: Inventory) -> None:
    held = cafe.reserve(
        "SO-1", [ReserveLine("LATTE", "WH1", 2), ReserveLine("CUP", "WH1", 3)], ttl=TTL
    )
    cups = [line.quantity for line in held.lines if line.item == "CUP"]
    assert cups == [Decimal(5)]
    assert cafe.available("CUP", "WH1") == 15
    with pytest.raises(InsufficientStock) as info:
        cafe.reserve(
            "SO-2", [ReserveLine("LATTE", "WH1", 9), ReserveLine("CUP", "WH1", 7)], ttl=TTL
        )
    assert [s["item"] for s in info.value.details["shortfalls"]] == ["CUP"]
    assert cafe.available("CUP", "WH1") == 15


def test_releasing_a_kit_reservation_gives_the_components_back(cafe: Inventory) -> None:
    held = cafe.reserve("SO-1", [ReserveLine("LATTE", "WH1", 11)], ttl=TTL)
    assert cafe.available("LATTE", "WH1") == 0
    cafe.release(held.id)
    assert cafe.available("LATTE", "WH1") == 11


def test_kits_have_no_lots(cafe: Inventory) -> None:
    with pytest.raises(ValidationError) as info:
        cafe.reserve("SO-1", [ReserveLine("LATTE", "WH1", 1, lot="M-LATE")], ttl=TTL)
    assert paths(info.value) == ["lines.lot"]
    with pytest.raises(ValidationError) as info:
        cafe.ship("LATTE", 1, "WH1", lot="M-LATE")
    assert paths(info.value) == ["lot"]
    assert cafe.lots("LATTE") == []


# -- refusals ------------------------------------------------------------------------------


def test_a_kit_cannot_come_into_stock(cafe: Inventory) -> None:
    before = journal(cafe)
    refused: list[Callable[[], object]] = [
        lambda: cafe.receive("LATTE", 1, "WH1"),
        lambda: cafe.take_back("LATTE", 1, "WH1"),
        lambda: cafe.adjust("LATTE", "WH1", 1),
        lambda: cafe.count("LATTE", "WH1", 3),
    ]
    for command in refused:
        with pytest.raises(ValidationError) as info:
            command()
        (problem,) = info.value.problems
        assert (problem.path, problem.code) == ("sku", "value.invalid")
        assert "LATTE" in problem.message
    assert journal(cafe) == before


def test_a_kit_has_no_unit_cost_and_no_valuation(cafe: Inventory) -> None:
    with pytest.raises(ValidationError) as info:
        cafe.receive("LATTE", 1, "WH1", unit_cost=UnitPrice("2.50", "EUR"))
    assert sorted(paths(info.value)) == ["sku", "unit_cost"]
    with pytest.raises(InvalidValue) as error:
        cafe.valuation("LATTE", ValuationMethod.FIFO, "EUR")
    assert error.value.details["field"] == "sku"


def test_a_kit_is_no_stock_location_target(cafe: Inventory) -> None:
    later = START + timedelta(days=1)
    refused: list[Callable[[], object]] = [
        lambda: cafe.expect("LATTE", 1, "WH1", expected_at=later),
        lambda: cafe.dispatch("LATTE", 1, "WH1", "WH2", expected_at=later),
        lambda: cafe.set_reorder_rule("LATTE", "WH1", 1, 5),
    ]
    for command in refused:
        with pytest.raises(ValidationError) as info:
            command()
        assert paths(info.value) == ["sku"]
    assert cafe.incoming("LATTE") == []
    assert cafe.reorder_rules() == []
    assert cafe.balance("CUP", "@transit").on_hand == 0


def test_adding_a_kit_checks_its_components(ledger: Inventory) -> None:
    with pytest.raises(ValidationError) as info:
        ledger.add_item(
            Item(
                "COMBO",
                components=(Component("CUP", 1), Component("LATTE", 1), Component("NOPE", 2)),
            )
        )
    assert [(p.path, p.code) for p in info.value.problems] == [
        ("components.1.sku", "value.invalid"),
        ("components.2.sku", "storage.not_found"),
    ]
    assert "LATTE" in info.value.problems[0].message
    assert [item.sku for item in ledger.store.run(lambda uow: uow.items.all())] == [
        "COFFEE",
        "CUP",
        "LATTE",
        "MILK",
    ]


def test_a_kit_is_checked_when_it_is_built() -> None:
    with pytest.raises(InvalidValue) as info:
        Item("KIT", tracking=Tracking.LOT, components=(Component("CUP", 1),))
    assert info.value.details["field"] == "tracking"
    with pytest.raises(InvalidValue) as info:
        Item("KIT", components=(Component("CUP", 1), Component("KIT", 1)))
    assert info.value.details["field"] == "components"
    with pytest.raises(InvalidValue) as info:
        Item("KIT", components=(Component("CUP", 1), Component("CUP", 2)))
    assert info.value.details["field"] == "components"
    with pytest.raises(InvalidValue) as info:
        Item("KIT", components=("CUP",))
    assert info.value.details["field"] == "components.0"
    with pytest.raises(InvalidAmount):
        Component("CUP", 0)
    with pytest.raises(FloatNotAllowed):
        Component("CUP", 0.25)
    assert Component("MILK", "0.25").quantity == Decimal("0.25")
    assert LATTE.is_kit
    assert not Item("CUP").is_kit


def test_a_kit_is_adjusted_through_its_components(cafe: Inventory) -> None:
    # adjust() returns one movement: a kit would need one per component
    before = journal(cafe)
    for delta in (-2, 2):
        with pytest.raises(ValidationError) as info:
            cafe.adjust("LATTE", "WH1", delta)
        assert paths(info.value) == ["sku"]
    assert journal(cafe) == before
    assert cafe.available("LATTE", "WH1") == 11
