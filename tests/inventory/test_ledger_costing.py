"""Unit costs on movements, the valuation of an item's stock from its journal, and the
period lock (memory store; that every adapter keeps unit costs exactly is in the
storage contract).

Every figure is worked out by hand in the test that checks it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from backoffice.core.money import Money, UnitPrice
from backoffice.core.rounding import RoundingMode
from backoffice.core.time import ManualClock
from backoffice.errors import (
    InvalidType,
    InvalidValue,
    NotFound,
    PeriodLocked,
    ValidationError,
)
from backoffice.inventory import (
    CUSTOMER,
    SUPPLIER,
    Inventory,
    Item,
    Location,
    MoveRequest,
    ReservationStatus,
    ReserveLine,
    Tracking,
    ValuationMethod,
)
from backoffice.inventory.valuation import MoveKind
from backoffice.storage.ports import Store
from backoffice.testing.contract import START

PARIS = ZoneInfo("Europe/Paris")
FIFO = ValuationMethod.FIFO
AVERAGE = ValuationMethod.MOVING_AVERAGE


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


def cost(amount: str | int) -> UnitPrice:
    return UnitPrice(amount, "EUR")


@pytest.fixture
def ledger(store: Store, clock: ManualClock) -> Inventory:
    inventory = Inventory(store, clock=clock)
    inventory.add_item(Item("BOLT"))
    inventory.add_item(Item("FLOUR", "KGM"))
    inventory.add_item(Item("MILK", "LTR", tracking=Tracking.LOT))
    inventory.add_location(Location("WH1"))
    inventory.add_location(Location("WH2"))
    return inventory


def journal(ledger: Inventory) -> list[str]:
    return [m.id for m in ledger.store.run(lambda uow: uow.movements.all())]


def paths(error: ValidationError) -> list[str]:
    return [problem.path for problem in error.problems]


# -- unit costs ----------------------------------------------------------------------------


def test_a_unit_cost_is_kept_exactly(ledger: Inventory) -> None:
    price = UnitPrice("0.1234567891", "EUR")
    movement = ledger.receive("BOLT", 3, "WH1", unit_cost=price)
    assert movement.unit_cost == price
    stored = ledger.store.run(lambda uow: uow.movements.get(movement.id))
    assert stored is not None
    assert stored.unit_cost == price
    assert str(stored.unit_cost.amount) == "0.1234567891"
    (event,) = ledger.store.pending_events()
    assert event.payload["unit_cost"] == {"amount": "0.1234567891", "currency": "EUR"}
    plain = ledger.receive("BOLT", 1, "WH1")
    assert plain.unit_cost is None


def test_a_unit_cost_is_per_the_items_stock_unit(ledger: Inventory) -> None:
    per_kilo = UnitPrice("1.20", "EUR", per="KGM")
    kept = ledger.receive("FLOUR", 25, "WH1", unit_cost=per_kilo).unit_cost
    assert kept == UnitPrice("1.20", "EUR")  # per the item's unit, implied
    assert kept is not None
    assert kept.per is None
    with pytest.raises(ValidationError) as info:
        ledger.receive("FLOUR", 25, "WH1", unit_cost=UnitPrice("0.0012", "EUR", per="GRM"))
    (problem,) = info.value.problems
    assert problem.path == "unit_cost"
    assert "KGM" in problem.message
    assert len(journal(ledger)) == 1


def test_only_goods_coming_into_stock_carry_a_cost(ledger: Inventory) -> None:
    ledger.receive("BOLT", 10, "WH1", unit_cost=cost(2))
    refused: list[Callable[[], object]] = [
        lambda: ledger.ship("BOLT", 1, "WH1", unit_cost=cost(2)),
        lambda: ledger.transfer("BOLT", 1, "WH1", "WH2", unit_cost=cost(2)),
        lambda: ledger.scrap("BOLT", 1, "WH1", unit_cost=cost(2)),
        lambda: ledger.adjust("BOLT", "WH1", -1, unit_cost=cost(2)),
        lambda: ledger.dispatch(
            "BOLT", 1, "WH1", "WH2", expected_at=START + timedelta(days=1), unit_cost=cost(2)
        ),
    ]
    for command in refused:
        with pytest.raises(ValidationError) as info:
            command()
        assert paths(info.value) == ["unit_cost"]
    assert len(journal(ledger)) == 1
    assert ledger.take_back("BOLT", 1, "WH1", unit_cost=cost(3)).unit_cost == cost(3)
    assert ledger.adjust("BOLT", "WH1", 1, unit_cost=cost(4)).unit_cost == cost(4)


def test_a_unit_cost_must_be_a_unit_price(ledger: Inventory) -> None:
    with pytest.raises(ValidationError) as info:
        ledger.record(
            [
                MoveRequest("receipt", "BOLT", 1, SUPPLIER, "WH1", unit_cost=cost(1)),
                MoveRequest("receipt", "BOLT", 1, SUPPLIER, "WH1", unit_cost=Decimal("2.5")),  # type: ignore[arg-type]
                MoveRequest("receipt", "BOLT", 1, SUPPLIER, "WH1", unit_cost=eur("2.50")),  # type: ignore[arg-type]
            ]
        )
    assert [(p.path, p.code) for p in info.value.problems] == [
        ("movements.1.unit_cost", "value.invalid_type"),
        ("movements.2.unit_cost", "value.invalid_type"),
    ]
    assert journal(ledger) == []


# -- valuation -----------------------------------------------------------------------------


@pytest.fixture
def costed(ledger: Inventory) -> Inventory:
    """BOLT: 10 received at 10.00, 10 at 20.00, then 15 shipped."""
    ledger.receive("BOLT", 10, "WH1", unit_cost=cost(10))
    ledger.receive("BOLT", 10, "WH1", unit_cost=cost(20))
    ledger.ship("BOLT", 15, "WH1")
    return ledger


def test_fifo_values_the_issue_from_the_oldest_receipts(costed: Inventory) -> None:
    first, second, issue = journal(costed)
    result = costed.valuation("BOLT", FIFO, "EUR")
    # issue: 10 x 10.00 + 5 x 20.00 = 200.00; stock: 5 x 20.00 = 100.00
    assert [(m.move.id, m.move.kind, m.value) for m in result.moves] == [
        (first, MoveKind.RECEIPT, eur("100.00")),
        (second, MoveKind.RECEIPT, eur("200.00")),
        (issue, MoveKind.ISSUE, eur("200.00")),
    ]
    assert [(t.layer, t.quantity, t.value) for t in result.move(issue).takes] == [
        (first, Decimal(10), eur("100.00")),
        (second, Decimal(5), eur("100.00")),
    ]
    assert result.on_hand == 5
    assert result.stock_value == eur("100.00")
    assert [(layer.source, layer.quantity) for layer in result.layers] == [(second, Decimal(5))]


def test_moving_average_values_the_issue_at_the_average_cost(costed: Inventory) -> None:
    issue = journal(costed)[2]
    result = costed.valuation("BOLT", AVERAGE, "EUR")
    # average: (100.00 + 200.00) / 20 = 15.00; issue 15 x 15.00 = 225.00; stock 5 x 15.00
    assert result.move(issue).value == eur("225.00")
    assert result.stock_value == eur("75.00")
    assert result.on_hand == 5


def test_standard_and_lifo(costed: Inventory) -> None:
    issue = journal(costed)[2]
    standard = costed.valuation("BOLT", ValuationMethod.STANDARD, "EUR", standard_cost=cost(12))
    # at standard: issue 15 x 12.00 = 180.00; stock 5 x 12.00 = 60.00
    assert standard.move(issue).value == eur("180.00")
    assert standard.stock_value == eur("60.00")
    with pytest.raises(InvalidValue) as info:
        costed.valuation("BOLT", ValuationMethod.LIFO, "EUR")
    assert info.value.details["field"] == "method"
    lifo = costed.valuation("BOLT", ValuationMethod.LIFO, "EUR", allow_lifo=True)
    # newest first: 10 x 20.00 + 5 x 10.00 = 250.00; stock 5 x 10.00 = 50.00
    assert lifo.move(issue).value == eur("250.00")
    assert lifo.stock_value == eur("50.00")


def test_the_stock_is_valued_as_one_and_transfers_change_nothing(ledger: Inventory) -> None:
    first = ledger.receive("BOLT", 10, "WH1", unit_cost=cost(10))
    second = ledger.receive("BOLT", 10, "WH2", unit_cost=cost(20))
    ledger.transfer("BOLT", 5, "WH2", "WH1")
    (entry,) = ledger.dispatch("BOLT", 3, "WH1", "WH2", expected_at=START + timedelta(days=1))
    ledger.arrive(entry.id, 1)
    [out_of_wh1] = ledger.ship("BOLT", 12, "WH1")  # WH1 holds 10 + 5 - 3 = 12
    [out_of_wh2] = ledger.ship("BOLT", 3, "WH2")  # WH2 holds 10 - 5 + 1 = 6
    result = ledger.valuation("BOLT", FIFO, "EUR")
    assert [m.move.id for m in result.moves] == [first.id, second.id, out_of_wh1.id, out_of_wh2.id]
    # 12 issued: 10 x 10.00 + 2 x 20.00 = 140.00; then 3 x 20.00 = 60.00
    assert result.move(out_of_wh1.id).value == eur("140.00")
    assert result.move(out_of_wh2.id).value == eur("60.00")
    # 5 left (3 at WH2, 2 still in transit), 5 x 20.00
    assert result.on_hand == 5
    assert result.stock_value == eur("100.00")


def test_scrap_returns_adjustments_and_reversals(ledger: Inventory) -> None:
    ledger.receive("BOLT", 10, "WH1", unit_cost=cost(10))
    ledger.receive("BOLT", 10, "WH1", unit_cost=cost(20))
    [shipped] = ledger.ship("BOLT", 4, "WH1")
    [scrapped] = ledger.scrap("BOLT", 2, "WH1")
    back = ledger.take_back("BOLT", 1, "WH1")  # no cost: at the current cost
    found = ledger.adjust("BOLT", "WH1", 5, unit_cost=cost(9))
    [shipped_again] = ledger.ship("BOLT", 1, "WH1")
    undone = ledger.reverse(shipped_again.id, reason="never left")
    result = ledger.valuation("BOLT", AVERAGE, "EUR")
    assert [m.move.kind for m in result.moves] == [
        MoveKind.RECEIPT,
        MoveKind.RECEIPT,
        MoveKind.ISSUE,
        MoveKind.ADJUSTMENT_OUT,
        MoveKind.ADJUSTMENT_IN,
        MoveKind.ADJUSTMENT_IN,
        MoveKind.ISSUE,
        MoveKind.ADJUSTMENT_IN,
    ]
    # average 15.00: issue 4 -> 60.00 (16 left, 240.00); scrap 2 -> 30.00 (14, 210.00);
    # return 1 at 15.00 (15, 225.00); 5 found at 9.00 -> 45.00 (20, 270.00, average 13.50);
    # ship 1 -> 13.50 (19, 256.50); its reversal brings it back at 13.50 (20, 270.00)
    assert result.move(shipped.id).value == eur("60.00")
    assert result.move(scrapped.id).value == eur("30.00")
    assert result.move(back.id).value == eur("15.00")
    assert result.move(found.id).value == eur("45.00")
    assert result.move(shipped_again.id).value == eur("13.50")
    assert result.move(undone.id).value == eur("13.50")
    assert result.on_hand == 20
    assert result.stock_value == eur("270.00")


def test_a_reversed_receipt_leaves_the_stock(ledger: Inventory) -> None:
    receipt = ledger.receive("BOLT", 10, "WH1", unit_cost=cost(10))
    reversal = ledger.reverse(receipt.id, reason="wrong delivery")
    result = ledger.valuation("BOLT", FIFO, "EUR")
    assert [m.move.kind for m in result.moves] == [MoveKind.RECEIPT, MoveKind.ADJUSTMENT_OUT]
    assert result.move(reversal.id).value == eur("100.00")
    assert (result.on_hand, result.stock_value) == (Decimal(0), eur("0.00"))


def test_lots_are_valued_together(ledger: Inventory) -> None:
    ledger.receive("MILK", 4, "WH1", lot="A", expires_on=date(2026, 12, 1), unit_cost=cost("1.10"))
    ledger.receive("MILK", 6, "WH1", lot="B", expires_on=date(2026, 11, 28), unit_cost=cost("0.90"))
    shipped = ledger.ship("MILK", 7, "WH1")  # FEFO: 6 of B, then 1 of A
    assert [(m.lot, m.quantity) for m in shipped] == [("B", Decimal(6)), ("A", Decimal(1))]
    result = ledger.valuation("MILK", FIFO, "EUR")
    # FIFO follows the receipts, not the lots: 4 x 1.10 + 3 x 0.90 = 7.10 issued;
    # 3 x 0.90 = 2.70 left
    assert sum((result.move(m.id).value for m in shipped), eur("0.00")) == eur("7.10")
    assert result.stock_value == eur("2.70")


def test_values_are_rounded_once_as_asked(ledger: Inventory) -> None:
    ledger.receive("BOLT", 5, "WH1", unit_cost=UnitPrice("0.1234567891", "EUR"))
    # 5 x 0.1234567891 = 0.6172839455
    assert ledger.valuation("BOLT", FIFO, "EUR").stock_value == eur("0.62")
    down = ledger.valuation("BOLT", FIFO, "EUR", rounding=RoundingMode.DOWN)
    assert down.stock_value == eur("0.61")


def test_a_receipt_without_a_cost_cannot_be_valued(ledger: Inventory) -> None:
    ledger.receive("BOLT", 10, "WH1", unit_cost=cost(10))
    ledger.receive("BOLT", 5, "WH1")
    with pytest.raises(ValidationError) as info:
        ledger.valuation("BOLT", FIFO, "EUR")
    (problem,) = info.value.problems
    assert problem.path.endswith(".unit_cost")
    assert problem.code == "value.invalid"
    assert "receipt needs a unit cost" in problem.message
    with pytest.raises(ValidationError):
        ledger.valuation("BOLT", AVERAGE, "EUR")


def test_valuation_of_an_unknown_item_or_in_another_currency(ledger: Inventory) -> None:
    with pytest.raises(NotFound):
        ledger.valuation("NOPE", FIFO, "EUR")
    empty = ledger.valuation("BOLT", FIFO, "EUR")
    assert (empty.moves, empty.on_hand, empty.stock_value) == ((), Decimal(0), eur("0.00"))
    ledger.receive("BOLT", 1, "WH1", unit_cost=UnitPrice("3", "USD"))
    with pytest.raises(ValidationError) as info:
        ledger.valuation("BOLT", FIFO, "EUR")
    assert paths(info.value) == ["moves.0.unit_cost"]


# -- the period lock -----------------------------------------------------------------------


def test_a_locked_period_refuses_movements_dated_in_it(ledger: Inventory) -> None:
    ledger.receive("BOLT", 10, "WH1")
    assert ledger.lock_date() is None
    assert ledger.lock_period(date(2026, 11, 20)) == date(2026, 11, 20)
    assert ledger.lock_date() == date(2026, 11, 20)
    assert ledger.store.pending_events()[-1].type == "period.locked"
    assert ledger.store.pending_events()[-1].payload == {"through": "2026-11-20"}
    before = journal(ledger)
    events = len(ledger.store.pending_events())
    late_on_the_20th = datetime(2026, 11, 20, 23, 59, 59, 999999, tzinfo=UTC)
    with pytest.raises(PeriodLocked) as info:
        ledger.receive("MILK", 5, "WH1", lot="L1", effective_at=late_on_the_20th, unit_cost=cost(1))
    error = info.value
    assert isinstance(error, InvalidValue)
    assert error.code == "period.locked"
    assert error.details == {
        "field": "effective_at",
        "effective": late_on_the_20th.isoformat(),
        "lock_date": "2026-11-20",
    }
    assert "2026-11-20" in error.message
    with pytest.raises(PeriodLocked):
        ledger.ship("BOLT", 1, "WH1", effective_at=datetime(2026, 1, 1, tzinfo=UTC))
    assert journal(ledger) == before
    assert len(ledger.store.pending_events()) == events
    assert ledger.lots("MILK") == []
    assert ledger.balance("MILK", "WH1").on_hand == 0
    assert ledger.balance("BOLT", "WH1").on_hand == 10
    # the day after is open, and so is now
    ledger.receive("BOLT", 1, "WH1", effective_at=datetime(2026, 11, 21, tzinfo=UTC))
    ledger.ship("BOLT", 1, "WH1")
    assert len(journal(ledger)) == len(before) + 2


def test_a_locked_batch_names_the_movement(ledger: Inventory) -> None:
    ledger.lock_period(date(2026, 11, 20))
    with pytest.raises(PeriodLocked) as info:
        ledger.record(
            [
                MoveRequest("receipt", "BOLT", 1, SUPPLIER, "WH1"),
                MoveRequest(
                    "receipt",
                    "BOLT",
                    1,
                    SUPPLIER,
                    "WH2",
                    effective_at=datetime(2026, 11, 19, tzinfo=UTC),
                ),
            ]
        )
    assert info.value.details["field"] == "movements.1.effective_at"
    assert journal(ledger) == []
    assert ledger.balance("BOLT", "WH1").on_hand == 0


def test_every_command_that_moves_stock_respects_the_lock(
    ledger: Inventory, clock: ManualClock
) -> None:
    ledger.receive("BOLT", 10, "WH1")
    held = ledger.reserve("SO-1", [ReserveLine("BOLT", "WH1", 2)], ttl=timedelta(days=3))
    (entry,) = ledger.dispatch("BOLT", 3, "WH1", "WH2", expected_at=START + timedelta(days=1))
    ledger.lock_period(date(2026, 11, 22))
    clock.set(datetime(2026, 11, 22, 18, 0, tzinfo=UTC))  # a clock corrected backwards
    before = journal(ledger)
    refused: list[Callable[[], object]] = [
        lambda: ledger.receive("BOLT", 1, "WH1"),
        lambda: ledger.ship("BOLT", 1, "WH1"),
        lambda: ledger.transfer("BOLT", 1, "WH1", "WH2"),
        lambda: ledger.scrap("BOLT", 1, "WH1"),
        lambda: ledger.take_back("BOLT", 1, "WH1"),
        lambda: ledger.adjust("BOLT", "WH1", 1),
        lambda: ledger.count("BOLT", "WH1", 3),
        lambda: ledger.dispatch("BOLT", 1, "WH1", "WH2", expected_at=START + timedelta(days=1)),
        lambda: ledger.arrive(entry.id),
        lambda: ledger.commit(held.id),
        lambda: ledger.reverse(before[0], reason="late"),
    ]
    for command in refused:
        with pytest.raises(PeriodLocked) as info:
            command()
        assert info.value.details["field"] == "effective_at"
    assert journal(ledger) == before
    reservation = ledger.reservation(held.id)
    assert reservation.status is ReservationStatus.ACTIVE
    assert [line.committed for line in reservation.lines] == [0]
    assert ledger.balance("BOLT", "WH1").on_hand == 7
    clock.set(datetime(2026, 11, 23, 0, 0, tzinfo=UTC))  # the next day is open
    assert [m.quantity for m in ledger.commit(held.id)] == [2]
    ledger.arrive(entry.id)
    assert ledger.balance("BOLT", "WH2").on_hand == 3


def test_the_lock_date_only_moves_forward(ledger: Inventory) -> None:
    for not_over in (date(2026, 11, 23), date(2026, 12, 31)):
        with pytest.raises(InvalidValue) as info:
            ledger.lock_period(not_over)
        assert info.value.details["field"] == "through"
    assert ledger.lock_date() is None
    ledger.lock_period(date(2026, 11, 20))
    with pytest.raises(InvalidValue) as info:
        ledger.lock_period(date(2026, 11, 19))
    assert info.value.details["field"] == "through"
    assert ledger.lock_date() == date(2026, 11, 20)
    assert ledger.lock_period(date(2026, 11, 20)) == date(2026, 11, 20)
    assert ledger.lock_period(date(2026, 11, 22)) == date(2026, 11, 22)
    assert ledger.lock_date() == date(2026, 11, 22)
    with pytest.raises(InvalidType) as type_error:
        ledger.lock_period(datetime(2026, 11, 30, tzinfo=UTC))  # a datetime is no day
    assert "through" in type_error.value.message
    with pytest.raises(InvalidType):
        ledger.lock_period("2026-11-30")  # type: ignore[arg-type]
    assert ledger.lock_date() == date(2026, 11, 22)


def test_the_lock_date_is_a_day_of_the_ledgers_zone(store: Store, clock: ManualClock) -> None:
    paris = Inventory(store, clock=clock, zone=PARIS)
    utc = Inventory(store, clock=clock)
    paris.add_item(Item("BOLT"))
    paris.add_location(Location("WH1"))
    # 23:30 UTC on 30 November is 00:30 on 1 December in Paris (UTC+1 in winter)
    half_past_midnight_in_paris = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    clock.set(half_past_midnight_in_paris)
    with pytest.raises(InvalidValue) as info:
        utc.lock_period(date(2026, 11, 30))  # not over yet in UTC
    assert info.value.details["field"] == "through"
    assert utc.lock_date() is None
    assert paris.lock_period(date(2026, 11, 30)) == date(2026, 11, 30)  # over in Paris
    assert utc.lock_date() == date(2026, 11, 30)
    last_second_in_paris = datetime(2026, 11, 30, 22, 59, 59, tzinfo=UTC)
    first_second_in_paris = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)
    paris.receive("BOLT", 1, "WH1", effective_at=half_past_midnight_in_paris)
    paris.receive("BOLT", 1, "WH1", effective_at=first_second_in_paris)
    with pytest.raises(PeriodLocked):
        paris.receive("BOLT", 1, "WH1", effective_at=last_second_in_paris)
    with pytest.raises(PeriodLocked):
        utc.receive("BOLT", 1, "WH1", effective_at=half_past_midnight_in_paris)
    utc.receive("BOLT", 1, "WH1", effective_at=datetime(2026, 12, 1, tzinfo=UTC))
    # the same instant in another zone is the same instant
    with pytest.raises(PeriodLocked):
        paris.receive("BOLT", 1, "WH1", effective_at=datetime(2026, 11, 30, 23, 59, tzinfo=PARIS))
    assert paris.balance("BOLT", "WH1").on_hand == 3


def test_an_unlocked_ledger_accepts_any_date(ledger: Inventory) -> None:
    movement = ledger.receive("BOLT", 1, "WH1", effective_at=datetime(2001, 1, 1, tzinfo=UTC))
    assert movement.effective_at == datetime(2001, 1, 1, tzinfo=UTC)
    assert movement.recorded_at == START


def test_bad_effective_dates_are_typed_errors(ledger: Inventory) -> None:
    with pytest.raises(ValidationError) as info:
        ledger.receive("BOLT", 1, "WH1", effective_at=datetime(2026, 11, 23))  # noqa: DTZ001
    assert [(p.path, p.code) for p in info.value.problems] == [
        ("effective_at", "time.naive_datetime")
    ]
    with pytest.raises(ValidationError) as info:
        ledger.record(
            [
                MoveRequest("receipt", "NOPE", 1, SUPPLIER, "WH1"),
                MoveRequest("shipment", "BOLT", 1.0, "NOWHERE", CUSTOMER),
            ]
        )
    assert [(p.path, p.code) for p in info.value.problems] == [
        ("movements.0.sku", "storage.not_found"),
        ("movements.1.quantity", "value.float_not_allowed"),
        ("movements.1.source", "storage.not_found"),
    ]
    assert journal(ledger) == []
