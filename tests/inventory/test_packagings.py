"""Quantities in other units and in packagings, converted exactly to the item's unit,
and packagings kept by every store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from backoffice import open_store
from backoffice.core.quantity import PackageCount, Packaging, Quantity
from backoffice.core.time import ManualClock
from backoffice.errors import IncompatibleUnits, PrecisionError, UnknownUnit, ValidationError
from backoffice.inventory import Inventory, Item, Location, ReserveLine
from backoffice.storage.ports import Store

CASE = Packaging("CS", "case of 6", Quantity(6, "C62"))
PALLET = Packaging.of("PX", "pallet of 50 cases", 50, CASE)
SACK = Packaging("SK", "sack of 25 kg", Quantity(25, "KGM"))


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    url = "memory://" if request.param == "memory" else f"sqlite:///{tmp_path}/stock.db"
    opened = open_store(url, tenant="cellar")
    opened.migrate()
    yield opened
    opened.close()


@pytest.fixture
def ledger(store: Store) -> Inventory:
    inventory = Inventory(store, clock=ManualClock(datetime(2026, 11, 30, 9, tzinfo=UTC)))
    inventory.add_item(Item("WINE", packagings=[CASE, PALLET]))
    inventory.add_item(Item("FLOUR", "KGM", packagings=[SACK]))
    inventory.add_location(Location("WH"))
    return inventory


def test_packagings_are_stored_with_the_item(ledger: Inventory) -> None:
    assert ledger.item("WINE").packagings == (CASE, PALLET)
    assert ledger.item("FLOUR").scheme.to_base(2, "SK") == Quantity(50, "KGM")


def test_movements_take_packagings_and_other_units(ledger: Inventory) -> None:
    receipt = ledger.receive("WINE", PackageCount(1, PALLET), "WH")
    assert receipt.quantity == 300
    [shipment] = ledger.ship("WINE", PackageCount(2, CASE), "WH")
    assert shipment.quantity == 12
    ledger.ship("WINE", Quantity(1, "DZN"), "WH")
    assert ledger.available("WINE", "WH") == 276
    ledger.receive("FLOUR", PackageCount(2, SACK), "WH")
    ledger.ship("FLOUR", Quantity(750, "GRM"), "WH")
    assert ledger.balance("FLOUR", "WH").on_hand == Decimal("49.25")


def test_reservations_take_packagings(ledger: Inventory) -> None:
    ledger.receive("WINE", 30, "WH")
    held = ledger.reserve(
        "ORDER-1", [ReserveLine("WINE", "WH", PackageCount(4, CASE))], ttl=timedelta(hours=1)
    )
    assert [line.quantity for line in held.lines] == [24]
    assert ledger.available("WINE", "WH") == 6


@pytest.mark.parametrize(
    ("quantity", "error"),
    [
        (Quantity(1, "LTR"), IncompatibleUnits),  # a volume for a count
        (Quantity("0.1", "MGM"), PrecisionError),  # 0.1 mg: finer than 6 decimals of a kg
        (PackageCount(1, SACK), UnknownUnit),  # a packaging of another item
    ],
)
def test_quantities_that_do_not_fit_the_item_are_refused_and_nothing_is_written(
    ledger: Inventory, quantity: object, error: type[Exception]
) -> None:
    with pytest.raises(ValidationError) as info:
        ledger.receive("WINE" if isinstance(quantity, PackageCount) else "FLOUR", quantity, "WH")
    [problem] = info.value.problems
    assert problem.path == "quantity"
    assert problem.code == error.code  # type: ignore[attr-defined]
    assert ledger.store.run(lambda uow: uow.movements.all()) == []


def test_a_packaging_of_another_dimension_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"packagings\.0\.contains"):
        Item("WINE", packagings=[SACK])


def test_every_command_taking_a_quantity_takes_other_units(ledger: Inventory) -> None:
    ledger.receive("FLOUR", PackageCount(2, SACK), "WH")  # 50 kg
    adjusted = ledger.adjust("FLOUR", "WH", Quantity(-500, "GRM"))
    assert (adjusted.quantity, adjusted.destination) == (Decimal("0.5"), "@loss")
    counted = ledger.count("FLOUR", "WH", Quantity(49000, "GRM"))
    assert counted is not None and counted.quantity == Decimal("0.5")
    held = ledger.reserve("O-1", [ReserveLine("FLOUR", "WH", 10)], ttl=timedelta(hours=1))
    [part] = ledger.commit(held.id, {0: Quantity(2500, "GRM")})
    assert part.quantity == Decimal("2.5")
    entry = ledger.expect(
        "FLOUR", PackageCount(4, SACK), "WH", expected_at=datetime(2026, 12, 1, tzinfo=UTC)
    )
    assert entry.quantity == 100
    rule = ledger.set_reorder_rule("FLOUR", "WH", PackageCount(1, SACK), Quantity(75, "KGM"))
    assert (rule.minimum, rule.maximum) == (Decimal(25), Decimal(75))


def test_a_replay_is_recognised_whatever_the_spelling(ledger: Inventory) -> None:
    first = ledger.receive("WINE", 5, "WH", idempotency_key="grn-1")
    assert ledger.receive("WINE", "5", "WH", idempotency_key="grn-1") == first
    assert ledger.receive("WINE", Decimal("5.00"), "WH", idempotency_key="grn-1") == first
    assert ledger.available("WINE", "WH") == 5
