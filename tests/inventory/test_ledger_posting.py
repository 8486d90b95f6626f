"""Valuing the stored journal when part of it is already in the books: backdated
movements need an explicit policy, and the lock date closes the books."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from backoffice import open_store
from backoffice.core.money import Money, UnitPrice
from backoffice.core.time import ManualClock
from backoffice.errors import InvalidValue, PeriodLocked
from backoffice.inventory import BackdatePolicy, Inventory, Item, Location, ValuationMethod

AVERAGE = ValuationMethod.MOVING_AVERAGE


def day(number: int, hour: int = 12) -> datetime:
    return datetime(2026, 3, number, hour, tzinfo=UTC)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(day(1))


@pytest.fixture
def ledger(clock: ManualClock) -> Inventory:
    store = open_store("memory://", tenant="books")
    store.migrate()
    inventory = Inventory(store, clock=clock)
    inventory.add_item(Item("OIL", "LTR"))
    inventory.add_location(Location("WH"))
    inventory.receive("OIL", 10, "WH", unit_cost=UnitPrice(10, "EUR"))
    clock.set(day(3))
    inventory.ship("OIL", 5, "WH")
    # recorded on the 4th, effective on the 2nd: before the posted shipment
    clock.set(day(4))
    inventory.receive("OIL", 5, "WH", unit_cost=UnitPrice(20, "EUR"), effective_at=day(2))
    return inventory


def test_without_posted_moves_the_journal_is_valued_in_effective_order(
    ledger: Inventory,
) -> None:
    result = ledger.valuation("OIL", AVERAGE, "EUR")
    # average on the 3rd: (10 x 10 + 5 x 20) / 15 = 13.333...; 5 issued = 66.67
    shipment = [m for m in result.moves if m.move.kind == "issue"]
    assert [m.value for m in shipment] == [Money("66.67", "EUR")]
    assert result.stock_value == Money("133.33", "EUR")


def test_a_backdated_movement_after_posting_needs_a_policy(ledger: Inventory) -> None:
    with pytest.raises(InvalidValue, match="backdat"):
        ledger.valuation("OIL", AVERAGE, "EUR", posted_through=day(3, 23))


def test_corrections_are_booked_at_the_present(ledger: Inventory, clock: ManualClock) -> None:
    clock.set(day(5))
    result = ledger.valuation(
        "OIL",
        AVERAGE,
        "EUR",
        posted_through=day(3, 23),
        backdating=BackdatePolicy.CORRECT_AT_PRESENT,
    )
    [correction] = result.corrections
    assert correction.booked == Money("50.00", "EUR")  # 5 at 10, as posted on the 3rd
    assert correction.recomputed == Money("66.67", "EUR")
    assert correction.amount == Money("16.67", "EUR")
    assert correction.effective == day(5)
    assert result.on_hand == Decimal(10)


def test_new_moves_in_a_closed_period_are_refused(ledger: Inventory, clock: ManualClock) -> None:
    # the lock came after the backdated receipt was recorded, before it was posted
    clock.set(day(6))
    ledger.lock_period(date(2026, 3, 2))
    with pytest.raises(PeriodLocked) as info:
        ledger.valuation(
            "OIL",
            AVERAGE,
            "EUR",
            posted_through=day(3, 23),
            backdating=BackdatePolicy.RECOMPUTE,
        )
    assert info.value.details["lock_date"] == "2026-03-02"
    # and the ledger itself refuses new movements dated in it
    with pytest.raises(PeriodLocked):
        ledger.receive("OIL", 1, "WH", unit_cost=UnitPrice(10, "EUR"), effective_at=day(2))
    # without posted moves, the closed period is simply valued
    assert ledger.valuation("OIL", AVERAGE, "EUR").on_hand == 10
    assert ledger.lock_date() == date(2026, 3, 2)
