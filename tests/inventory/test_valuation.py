"""Stock valuation: the reference cases, the rules around them, and properties.

Reference cases (restated from an open-source ERP's public valuation suite): IAS 2
¶23–27 allows specific identification, FIFO and weighted average cost; LIFO is not
allowed under IFRS (IAS 2 BC9–BC21) and is under US GAAP.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice.core.money import Money, UnitPrice
from backoffice.core.rounding import RoundingMode, RoundingPolicy
from backoffice.errors import (
    CurrencyMismatch,
    InvalidType,
    InvalidValue,
    NaiveDatetime,
    PeriodLocked,
    RoundingError,
    ValidationError,
)
from backoffice.inventory.valuation import (
    BackdatePolicy,
    CostLayer,
    LayerTake,
    MoveKind,
    MoveValuation,
    Settlement,
    ValuationMethod,
    ValuationMove,
    ValuationResult,
    value_journal,
)

FIFO = ValuationMethod.FIFO
AVERAGE = ValuationMethod.MOVING_AVERAGE
STANDARD = ValuationMethod.STANDARD
LIFO = ValuationMethod.LIFO


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 1, 1, hour, tzinfo=UTC) + timedelta(days=day - 1)


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


def receipt(id: str, day: int, quantity: str, cost: str) -> ValuationMove:
    return ValuationMove.receipt(id, at(day), Decimal(quantity), UnitPrice(cost, "EUR"))


def issue(id: str, day: int, quantity: str) -> ValuationMove:
    return ValuationMove.issue(id, at(day), Decimal(quantity))


def issued(result: ValuationResult) -> Money:
    """Every value that left stock: issues, and the differences settlements booked."""
    return Money.total((valued.cost_out for valued in result.moves), result.currency)


def received(result: ValuationResult) -> Money:
    inbound = (valued.value for valued in result.moves if valued.move.kind.inbound)
    return Money.total(inbound, result.currency)


def layers_value(result: ValuationResult) -> Money:
    return Money.total((layer.value for layer in result.layers), result.currency)


# ---------------------------------------------------------------------------------------
# The reference cases
# ---------------------------------------------------------------------------------------

CASE_1 = [receipt("R1", 1, "10", "10"), receipt("R2", 2, "10", "20"), issue("I1", 3, "15")]


def test_case_1_moving_average() -> None:
    result = value_journal(CASE_1, AVERAGE, "EUR")
    out = result.move("I1")
    assert out.value == eur("225")
    assert out.unit_cost == 15
    assert out.takes == (LayerTake(None, Decimal(15), Fraction(15), eur("225")),)
    assert result.on_hand == 5
    assert result.stock_value == eur("75")
    assert result.layers == (CostLayer(None, Decimal(5), Fraction(15), eur("75")),)


def test_case_2_fifo_traces_the_layers_consumed() -> None:
    result = value_journal(CASE_1, FIFO, "EUR")
    out = result.move("I1")
    assert out.value == eur("200")
    assert out.takes == (
        LayerTake("R1", Decimal(10), Fraction(10), eur("100")),
        LayerTake("R2", Decimal(5), Fraction(20), eur("100")),
    )
    assert out.unit_cost == Fraction(40, 3)  # 200 / 15
    assert result.on_hand == 5
    assert result.stock_value == eur("100")
    assert result.layers == (CostLayer("R2", Decimal(5), Fraction(20), eur("100")),)


def test_case_3_fifo_negative_stock_is_settled_by_the_next_receipt() -> None:
    journal = [
        receipt("R1", 1, "10", "10"),
        receipt("R2", 2, "10", "20"),
        issue("I1", 3, "30"),
        receipt("R3", 4, "10", "30"),
        receipt("R4", 5, "10", "40"),
    ]
    result = value_journal(journal, FIFO, "EUR")
    out = result.move("I1")
    assert out.shortage == 10
    # the 10 units short are costed at the last known cost (20) until settled
    assert out.takes[-1] == LayerTake(None, Decimal(10), Fraction(20), eur("200"), True)
    assert out.value == eur("500")
    assert out.on_hand == -10 and out.stock_value == eur("-200")
    settle = result.move("R3")
    assert settle.settlements == (
        Settlement("I1", Decimal(10), eur("200"), eur("300"), eur("100")),
    )
    assert settle.on_hand == 0 and settle.stock_value == eur("0")
    assert result.on_hand == 10
    assert result.stock_value == eur("400")
    assert result.layers == (CostLayer("R4", Decimal(10), Fraction(40), eur("400")),)
    # nothing lost: 100 + 200 + 300 + 400 in = 500 + 100 out + 400 left
    assert received(result) == issued(result) + result.stock_value


def test_case_3_under_moving_average() -> None:
    journal = [
        receipt("R1", 1, "10", "10"),
        receipt("R2", 2, "10", "20"),
        issue("I1", 3, "30"),
        receipt("R3", 4, "10", "30"),
        receipt("R4", 5, "10", "40"),
    ]
    result = value_journal(journal, AVERAGE, "EUR")
    assert result.move("I1").value == eur("450")  # 300 on hand + 10 short at 15
    assert result.move("R3").settlements == (
        Settlement("I1", Decimal(10), eur("150"), eur("300"), eur("150")),
    )
    assert result.on_hand == 10
    assert result.stock_value == eur("400")
    assert received(result) == issued(result) + result.stock_value


def test_shortage_settled_by_several_receipts_and_before_any_cost_is_known() -> None:
    journal = [
        issue("I1", 1, "4"),  # no cost known yet: provisional at zero
        issue("I2", 2, "2"),
        receipt("R1", 3, "3", "10"),
        receipt("R2", 4, "5", "12"),
    ]
    result = value_journal(journal, FIFO, "EUR")
    assert result.move("I1").value == eur("0") and result.move("I1").shortage == 4
    assert result.move("R1").settlements == (
        Settlement("I1", Decimal(3), eur("0"), eur("30"), eur("30")),
    )
    assert result.move("R1").on_hand == -3
    assert result.move("R2").settlements == (
        Settlement("I1", Decimal(1), eur("0"), eur("12"), eur("12")),
        Settlement("I2", Decimal(2), eur("0"), eur("24"), eur("24")),
    )
    assert result.layers == (CostLayer("R2", Decimal(2), Fraction(12), eur("24")),)
    assert received(result) == issued(result) + result.stock_value


def test_case_4_the_issue_that_empties_the_stock_takes_the_rounding_leftover() -> None:
    journal = [
        receipt("R1", 1, "1", "1.00"),
        receipt("R2", 2, "1", "1.00"),
        receipt("R3", 3, "1", "1.01"),
        issue("I1", 4, "1"),
        issue("I2", 5, "1"),
        issue("I3", 6, "1"),
    ]
    result = value_journal(journal, AVERAGE, "EUR")
    assert result.move("I1").unit_cost == Fraction("3.01") / 3  # 1.00333…, exact
    values = [result.move(id).value for id in ("I1", "I2", "I3")]
    assert values == [eur("1.00"), eur("1.00"), eur("1.01")]
    adjustments = [result.move(id).rounding_adjustment for id in ("I1", "I2", "I3")]
    assert adjustments == [eur("0"), eur("0"), eur("0.01")]
    assert result.stock_value == eur("0.00")
    assert result.layers == ()


def test_case_4_a_negative_leftover() -> None:
    # 3 at 0.335 are booked 1.01 (1.005 rounded up); each issue at 0.34 would take 1.02
    journal = [receipt("R1", 1, "3", "0.335")] + [issue(f"I{n}", 2 + n, "1") for n in (1, 2, 3)]
    result = value_journal(journal, AVERAGE, "EUR")
    assert [m.value for m in result.moves[1:]] == [eur("0.34"), eur("0.34"), eur("0.33")]
    assert result.move("I3").rounding_adjustment == eur("-0.01")
    assert result.stock_value == eur("0")


def test_case_4_under_fifo_a_layer_gives_up_what_it_has_left() -> None:
    journal = [receipt("R1", 1, "3", "0.333")] + [issue(f"I{n}", 2 + n, "1") for n in (1, 2, 3)]
    result = value_journal(journal, FIFO, "EUR")
    assert result.move("R1").value == eur("1.00")  # 0.999, rounded once
    assert [m.value for m in result.moves[1:]] == [eur("0.33"), eur("0.33"), eur("0.34")]
    assert result.stock_value == eur("0")


def test_case_5_small_prices_keep_the_average_exact() -> None:
    journal = [receipt("R1", 1, "1000", "0.17"), receipt("R2", 2, "800", "0.23")]
    result = value_journal(journal, AVERAGE, "EUR")
    (pool,) = result.layers
    assert pool.unit_cost == Fraction(354, 1800) == Fraction(59, 300)  # 0.196666…
    assert RoundingPolicy(RoundingMode.HALF_UP).round(pool.unit_cost, "EUR") == Decimal("0.20")
    assert pool.value == result.stock_value == eur("354.00")
    more = [*journal, issue("I1", 3, "900"), issue("I2", 4, "1")]
    later = value_journal(more, AVERAGE, "EUR")
    # 900 × 0.196666… = 177.00 exactly; 0.20 per unit would have given 180.00
    assert later.move("I1").value == eur("177.00")
    assert later.move("I2").value == eur("0.20")
    assert later.layers[0].unit_cost == Fraction(59, 300)  # issues do not move the average


# ---------------------------------------------------------------------------------------
# Case 6: backdating and lock dates
# ---------------------------------------------------------------------------------------

# Posted: R1, I1 (5 units short, costed at 10), R2 (settles them at 30). New: R0, dated
# before I1.
POSTED = [receipt("R1", 1, "10", "10"), issue("I1", 10, "15"), receipt("R2", 12, "10", "30")]
BACKDATED = [*POSTED, receipt("R0", 5, "5", "20")]
NOW = at(20)


def test_case_6_recompute_re_values_the_later_moves() -> None:
    result = value_journal(BACKDATED, FIFO, "EUR", posted=3, backdating=BackdatePolicy.RECOMPUTE)
    assert [m.move.id for m in result.moves] == ["R1", "R0", "I1", "R2"]
    assert result.move("I1").value == eur("200")  # 10 at 10 + 5 at 20, no shortage
    assert result.move("R2").settlements == ()
    assert [(c.move, c.booked, c.recomputed, c.amount) for c in result.corrections] == [
        ("I1", eur("150"), eur("200"), eur("50")),
        ("R2", eur("100"), eur("0"), eur("-100")),
    ]
    # each restatement is dated in the period it restates
    assert [c.effective for c in result.corrections] == [at(10), at(12)]
    assert result.stock_value == eur("300")
    assert result.moves == value_journal(BACKDATED, FIFO, "EUR").moves
    assert received(result) == issued(result) + result.stock_value


def test_case_6_correct_at_present_keeps_the_booked_values() -> None:
    result = value_journal(
        BACKDATED, FIFO, "EUR", posted=3, backdating=BackdatePolicy.CORRECT_AT_PRESENT, now=NOW
    )
    assert result.move("I1").value == eur("150")  # as booked
    assert result.move("R2").settlements[0].difference == eur("100")  # as booked
    assert result.move("R0").value == eur("100")
    assert [(c.move, c.amount, c.effective) for c in result.corrections] == [
        ("I1", eur("50"), NOW),
        ("R2", eur("-100"), NOW),
    ]
    corrections = Money.total((c.amount for c in result.corrections), "EUR")
    # the stock ends where a recomputation puts it
    assert result.stock_value == eur("300")
    assert result.layers == value_journal(BACKDATED, FIFO, "EUR").layers
    assert received(result) == issued(result) + corrections + result.stock_value


def test_case_6_backdating_needs_an_explicit_policy() -> None:
    with pytest.raises(InvalidValue) as info:
        value_journal(BACKDATED, FIFO, "EUR", posted=3)
    assert info.value.details["field"] == "backdating"
    assert info.value.details["moves"] == ["R0"]
    # a new move dated after every posted one needs none
    later = [*POSTED, receipt("R9", 15, "1", "1")]
    assert value_journal(later, FIFO, "EUR", posted=3).corrections == ()


def test_case_6_correct_at_present_needs_now() -> None:
    with pytest.raises(InvalidValue, match="now="):
        value_journal(
            BACKDATED, FIFO, "EUR", posted=3, backdating=BackdatePolicy.CORRECT_AT_PRESENT
        )
    with pytest.raises(NaiveDatetime):
        value_journal(
            BACKDATED,
            FIFO,
            "EUR",
            posted=3,
            backdating=BackdatePolicy.CORRECT_AT_PRESENT,
            now=datetime(2026, 1, 20),  # noqa: DTZ001
        )


PARIS = ZoneInfo("Europe/Paris")


def test_case_6_lock_date_refuses_new_moves_in_closed_periods() -> None:
    with pytest.raises(InvalidValue) as info:
        value_journal(
            BACKDATED,
            FIFO,
            "EUR",
            posted=3,
            backdating=BackdatePolicy.RECOMPUTE,
            lock_date=date(2026, 1, 5),
            zone=PARIS,
        )
    error = info.value
    assert error.details["moves"] == ["R0"]
    assert error.details["lock_date"] == "2026-01-05"
    assert error.details["field"] == "moves.3.effective"
    assert isinstance(error, PeriodLocked) and error.code == "period.locked"
    assert "'R0' on 2026-01-05" in error.message
    assert "on or before the lock date 2026-01-05" in error.message
    # the day after the lock date is open; posted moves in the closed period are fine
    result = value_journal(
        BACKDATED,
        FIFO,
        "EUR",
        posted=3,
        backdating=BackdatePolicy.RECOMPUTE,
        lock_date=date(2026, 1, 4),
        zone=PARIS,
    )
    assert result.stock_value == eur("300")


def test_lock_date_without_posted_moves_checks_every_move() -> None:
    with pytest.raises(InvalidValue) as info:
        value_journal(CASE_1, FIFO, "EUR", lock_date=date(2026, 1, 2), zone=UTC)
    assert info.value.details["moves"] == ["R1", "R2"]
    assert "'R1' on 2026-01-01T12:00:00+00:00, 'R2' on" in info.value.message


def test_lock_date_is_a_day_of_the_books_zone() -> None:
    late = [
        ValuationMove.receipt(
            "R1", datetime(2026, 1, 31, 23, 30, tzinfo=UTC), Decimal(1), UnitPrice(1, "EUR")
        )
    ]
    lock = date(2026, 1, 31)
    with pytest.raises(InvalidValue):
        value_journal(late, FIFO, "EUR", lock_date=lock, zone=UTC)
    # 23:30 UTC on 31 January is 00:30 on 1 February in Paris: an open period there
    assert value_journal(late, FIFO, "EUR", lock_date=lock, zone=PARIS).on_hand == 1
    with pytest.raises(InvalidValue, match="zone="):
        value_journal(late, FIFO, "EUR", lock_date=lock)
    with pytest.raises(InvalidType):
        value_journal(late, FIFO, "EUR", lock_date=datetime(2026, 1, 31, tzinfo=UTC), zone=UTC)


def test_corrections_cannot_be_booked_into_a_closed_period() -> None:
    with pytest.raises(InvalidValue) as info:
        value_journal(
            BACKDATED,
            FIFO,
            "EUR",
            posted=3,
            backdating=BackdatePolicy.CORRECT_AT_PRESENT,
            now=at(7),
            lock_date=date(2026, 1, 8),
            zone=UTC,
        )
    assert info.value.details["field"] in {"now", "moves.3.effective"}


def test_posted_must_fit_the_journal() -> None:
    for posted in (-1, 4, True):
        with pytest.raises(InvalidValue):
            value_journal(CASE_1, FIFO, "EUR", posted=posted)


# ---------------------------------------------------------------------------------------
# LIFO, standard cost, adjustments, units, rounding
# ---------------------------------------------------------------------------------------


def test_lifo_is_refused_without_an_explicit_opt_in() -> None:
    with pytest.raises(InvalidValue, match="IAS 2") as info:
        value_journal(CASE_1, LIFO, "EUR")
    assert info.value.details["field"] == "method"
    with pytest.raises(InvalidValue):
        value_journal(CASE_1, LIFO, "EUR", allow_lifo=1)  # type: ignore[arg-type]


def test_lifo_with_the_opt_in_takes_the_newest_layers_first() -> None:
    result = value_journal(CASE_1, LIFO, "EUR", allow_lifo=True)
    assert result.move("I1").takes == (
        LayerTake("R2", Decimal(10), Fraction(20), eur("200")),
        LayerTake("R1", Decimal(5), Fraction(10), eur("50")),
    )
    assert result.move("I1").value == eur("250")
    assert result.layers == (CostLayer("R1", Decimal(5), Fraction(10), eur("50")),)


def test_standard_cost_books_the_price_variance_on_receipts() -> None:
    standard = UnitPrice("12", "EUR")
    result = value_journal(CASE_1, STANDARD, "EUR", standard_cost=standard)
    r1, r2, i1 = result.moves
    assert (r1.value, r1.variance) == (eur("120"), eur("-20"))  # paid 100: 20 under
    assert (r2.value, r2.variance) == (eur("120"), eur("80"))  # paid 200: 80 over
    assert r1.unit_cost == r2.unit_cost == 12
    assert i1.value == eur("180")
    assert i1.takes == (LayerTake(None, Decimal(15), Fraction(12), eur("180")),)
    assert result.stock_value == eur("60")
    assert result.layers == (CostLayer(None, Decimal(5), Fraction(12), eur("60")),)
    paid = Money.total((m.value + m.variance for m in (r1, r2)), "EUR")
    assert paid == eur("300")


def test_standard_cost_negative_stock_and_rounding_leftovers() -> None:
    standard = UnitPrice("0.333", "EUR")
    journal = [
        issue("I1", 1, "2"),  # 0.666 → 0.67, stock −2 at −0.67
        receipt("R1", 2, "3", "0.30"),  # 0.999 → 1.00, stock 1 at 0.33
        issue("I2", 3, "1"),  # empties: takes 0.33 (0.333 → 0.33)
        receipt("R2", 4, "1", "0.40"),
        issue("I3", 5, "3"),  # 1 → −2
        receipt("R3", 6, "2", "0.20"),  # back to zero: takes exactly what is owed
    ]
    result = value_journal(journal, STANDARD, "EUR", standard_cost=standard)
    assert result.move("I1").shortage == 2 and result.move("I1").value == eur("0.67")
    assert result.move("I2").value == eur("0.33")
    assert result.move("I3").shortage == 2
    r3 = result.move("R3")
    assert r3.on_hand == 0 and r3.stock_value == eur("0")
    assert r3.value + r3.variance == eur("0.40")
    assert result.stock_value == eur("0") and result.layers == ()


def test_standard_cost_is_required_by_the_standard_method_only() -> None:
    with pytest.raises(InvalidValue, match="standard_cost="):
        value_journal(CASE_1, STANDARD, "EUR")
    with pytest.raises(InvalidValue, match="STANDARD"):
        value_journal(CASE_1, FIFO, "EUR", standard_cost=UnitPrice(1, "EUR"))
    with pytest.raises(ValidationError) as info:
        value_journal(CASE_1, STANDARD, "EUR", standard_cost=UnitPrice(1, "USD"))
    assert info.value.problems[0].code == CurrencyMismatch.code
    with pytest.raises(InvalidType):
        value_journal(CASE_1, STANDARD, "EUR", standard_cost=Decimal(1))  # type: ignore[arg-type]


def test_adjustments_in_without_a_cost_come_in_at_the_current_cost() -> None:
    found = ValuationMove("A1", at(4), MoveKind.ADJUSTMENT_IN, Decimal(2))
    lost = ValuationMove("A2", at(5), MoveKind.ADJUSTMENT_OUT, Decimal(1))
    journal = [*CASE_1, found, lost]
    average = value_journal(journal, AVERAGE, "EUR")
    assert average.move("A1").value == eur("30")  # 2 at the average, 15
    assert average.move("A2").value == eur("15")
    fifo = value_journal(journal, FIFO, "EUR")
    assert fifo.move("A1").value == eur("40")  # 2 at the latest receipt's cost, 20
    assert fifo.move("A2").takes == (LayerTake("R2", Decimal(1), Fraction(20), eur("20")),)
    standard = value_journal(journal, STANDARD, "EUR", standard_cost=UnitPrice(12, "EUR"))
    assert standard.move("A1").value == eur("24") and standard.move("A1").variance == eur("0")
    priced = ValuationMove("A1", at(4), MoveKind.ADJUSTMENT_IN, Decimal(2), UnitPrice(1, "EUR"))
    assert value_journal([*CASE_1, priced], FIFO, "EUR").move("A1").value == eur("2")


def test_moves_are_valued_in_effective_order_then_journal_order() -> None:
    same_time = at(2)
    journal = [
        issue("I1", 3, "5"),
        receipt("R1", 1, "10", "10"),
        ValuationMove.receipt("R2", same_time, Decimal(1), UnitPrice(20, "EUR")),
        ValuationMove.receipt("R3", same_time.astimezone(PARIS), Decimal(1), UnitPrice(30, "EUR")),
    ]
    result = value_journal(journal, FIFO, "EUR")
    assert [m.move.id for m in result.moves] == ["R1", "R2", "R3", "I1"]
    assert [layer.source for layer in result.layers] == ["R1", "R2", "R3"]


def test_unit_costs_per_unit_must_name_the_journals_unit() -> None:
    per_kilo = ValuationMove.receipt("R1", at(1), Decimal("2.5"), UnitPrice("4", "EUR", per="KGM"))
    assert value_journal([per_kilo], FIFO, "EUR", unit="KGM").stock_value == eur("10")
    for unit in (None, "GRM"):
        with pytest.raises(ValidationError) as info:
            value_journal([per_kilo], FIFO, "EUR", unit=unit)
        assert info.value.problems[0].path == "moves.0.unit_cost"


def test_rounding_is_named_and_applied_once() -> None:
    journal = [receipt("R1", 1, "1", "0.125"), receipt("R2", 2, "1", "0.135")]
    up = value_journal(journal, FIFO, "EUR")
    even = value_journal(journal, FIFO, "EUR", rounding=RoundingMode.HALF_EVEN)
    assert [m.value for m in up.moves] == [eur("0.13"), eur("0.14")]
    assert [m.value for m in even.moves] == [eur("0.12"), eur("0.14")]
    cash = value_journal(
        [ValuationMove.receipt("R1", at(1), Decimal(3), UnitPrice("0.41", "CHF"))],
        FIFO,
        "CHF",
        rounding=RoundingPolicy(RoundingMode.HALF_UP, "0.05"),
    )
    assert cash.stock_value == Money("1.25", "CHF")
    with pytest.raises(RoundingError):
        value_journal(journal, FIFO, "EUR", rounding=RoundingPolicy(RoundingMode.HALF_UP, "0.001"))


def test_zero_decimal_currencies() -> None:
    journal = [
        ValuationMove.receipt("R1", at(1), Decimal(3), UnitPrice("100", "JPY")),
        ValuationMove.receipt("R2", at(2), Decimal(3), UnitPrice("101", "JPY")),
        ValuationMove.issue("I1", at(3), Decimal(2)),
    ]
    result = value_journal(journal, AVERAGE, "JPY")
    assert result.move("I1").value == Money(201, "JPY")  # 2 × 100.5
    assert result.stock_value == Money(402, "JPY")


def test_result_lookup() -> None:
    result = value_journal(CASE_1, FIFO, "EUR")
    assert isinstance(result.move("R1"), MoveValuation)
    with pytest.raises(InvalidValue, match="no move 'X9'"):
        result.move("X9")


def test_arguments_are_checked() -> None:
    with pytest.raises(InvalidType):
        value_journal(CASE_1, "fifo", "EUR")  # type: ignore[arg-type]
    with pytest.raises(InvalidType):
        value_journal(CASE_1, FIFO, "EUR", backdating="recompute")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown currency"):
        value_journal(CASE_1, FIFO, "EURO")


# ---------------------------------------------------------------------------------------
# Input validation: every problem at once
# ---------------------------------------------------------------------------------------


def test_every_problem_of_every_move_is_reported_at_once() -> None:
    # values of the wrong types, as they may come from an untyped source
    naive: Any = datetime(2026, 1, 1)  # noqa: DTZ001
    a_day: Any = date(2026, 1, 5)
    a_float: Any = 1.5
    sideways: Any = "sideways"
    journal: list[Any] = [
        ValuationMove("R1", naive, MoveKind.RECEIPT, a_float, None),
        ValuationMove("R2", at(2), MoveKind.RECEIPT, Decimal(0), UnitPrice("1", "USD")),
        ValuationMove("I1", at(3), MoveKind.ISSUE, Decimal(-2), UnitPrice("1", "EUR")),
        ValuationMove("R2", at(4), sideways, Decimal(1)),
        ValuationMove("", a_day, MoveKind.RECEIPT, Decimal("NaN"), UnitPrice("-1", "EUR")),
        "not a move",
    ]
    with pytest.raises(ValidationError) as info:
        value_journal(journal, FIFO, "EUR")
    found = [(problem.path, problem.code) for problem in info.value.problems]
    assert found == [
        ("moves.0.effective", "time.naive_datetime"),
        ("moves.0.quantity", "value.float_not_allowed"),
        ("moves.0.unit_cost", "value.invalid"),  # a receipt without a cost
        ("moves.1.quantity", "value.invalid"),  # zero
        ("moves.1.unit_cost", "money.currency_mismatch"),
        ("moves.2.quantity", "value.invalid"),  # negative
        ("moves.2.unit_cost", "value.invalid"),  # an issue with a cost
        ("moves.3.kind", "value.invalid_type"),
        ("moves.3.id", "value.invalid"),  # R2 twice
        ("moves.4.id", "value.invalid"),
        ("moves.4.effective", "value.invalid_type"),  # a date, not a datetime
        ("moves.4.quantity", "value.invalid_number"),
        ("moves.4.unit_cost", "value.invalid"),  # negative cost
        ("moves.5", "value.invalid_type"),
    ]
    assert "14 problem(s)" in info.value.message
    assert "moves.3.id: the id 'R2' is already used by moves.1" in info.value.message


def test_quantities_may_be_given_as_int_and_are_normalised() -> None:
    move = ValuationMove("R1", at(1), MoveKind.RECEIPT, 3, UnitPrice(2, "EUR"))  # type: ignore[arg-type]
    result = value_journal([move], FIFO, "EUR")
    assert isinstance(result.moves[0].move.quantity, Decimal)
    assert result.stock_value == eur("6")


# ---------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------

# (receipt?, quantity in tenths, cost in thousandths)
STEPS = st.lists(st.tuples(st.booleans(), st.integers(1, 500), st.integers(0, 99_999)), max_size=25)


def build(steps: Sequence[tuple[bool, int, int]], *, never_negative: bool) -> list[ValuationMove]:
    journal: list[ValuationMove] = []
    on_hand = Decimal(0)
    for number, (inbound, tenths, thousandths) in enumerate(steps):
        quantity = Decimal(tenths).scaleb(-1)
        when = at(1) + timedelta(hours=number)
        if inbound:
            cost = UnitPrice(Decimal(thousandths).scaleb(-3), "EUR")
            journal.append(ValuationMove.receipt(f"R{number}", when, quantity, cost))
            on_hand += quantity
            continue
        if never_negative:
            quantity = min(quantity, on_hand)
            if not quantity:
                continue
        journal.append(ValuationMove.issue(f"I{number}", when, quantity))
        on_hand -= quantity
    return journal


def drained(journal: list[ValuationMove]) -> list[ValuationMove]:
    on_hand = sum((m.quantity if m.kind.inbound else -m.quantity for m in journal), Decimal(0))
    if on_hand <= 0:
        return journal
    return [*journal, ValuationMove.issue("last", at(10), on_hand)]


NON_LIFO = st.sampled_from([FIFO, AVERAGE])


@given(STEPS, st.sampled_from([FIFO, AVERAGE, LIFO]), st.booleans())
def test_nothing_is_lost_when_stock_never_goes_negative(
    steps: list[tuple[bool, int, int]], method: ValuationMethod, drain: bool
) -> None:
    journal = build(steps, never_negative=True)
    if drain:
        journal = drained(journal)
    result = value_journal(journal, method, "EUR", allow_lifo=True)
    assert result.stock_value == layers_value(result)
    assert result.on_hand == sum((layer.quantity for layer in result.layers), Decimal(0))
    issues = Money.total((m.value for m in result.moves if not m.move.kind.inbound), "EUR")
    assert issues + result.stock_value == received(result)
    for valued in result.moves:
        assert valued.shortage == 0 and valued.settlements == ()
        if not valued.move.kind.inbound:
            assert valued.value == Money.total((take.value for take in valued.takes), "EUR")
        assert not valued.value.is_negative() and not valued.stock_value.is_negative()
        if valued.on_hand == 0:
            assert valued.stock_value.is_zero()
    if drain:
        assert result.on_hand == 0
        assert result.stock_value == eur("0")
        assert result.layers == ()


@given(STEPS)
def test_fifo_consumes_the_oldest_layers_first(steps: list[tuple[bool, int, int]]) -> None:
    journal = build(steps, never_negative=True)
    result = value_journal(journal, FIFO, "EUR")
    position = {m.id: index for index, m in enumerate(journal)}
    received_quantity = {m.id: m.quantity for m in journal if m.kind.inbound}
    taken: dict[str, Decimal] = {}
    order: list[str] = []
    for valued in result.moves:
        for take in valued.takes:
            assert take.layer is not None
            taken[take.layer] = taken.get(take.layer, Decimal(0)) + take.quantity
            order.append(take.layer)
    assert order == sorted(order, key=position.__getitem__)
    # a layer is only left for the next one once it is empty
    for layer, after in itertools.pairwise(order):
        if layer != after:
            assert taken[layer] == received_quantity[layer]
    remaining = [layer.source for layer in result.layers]
    assert remaining == sorted(remaining, key=lambda s: position[s or ""])


@given(STEPS, st.sampled_from([FIFO, AVERAGE, LIFO, STANDARD]))
def test_nothing_is_lost_with_negative_stock(
    steps: list[tuple[bool, int, int]], method: ValuationMethod
) -> None:
    journal = drained(build(steps, never_negative=False))
    standard = UnitPrice("1.234", "EUR") if method is STANDARD else None
    result = value_journal(journal, method, "EUR", allow_lifo=True, standard_cost=standard)
    assert result.stock_value == layers_value(result)
    assert received(result) == issued(result) + result.stock_value
    positive = [layer for layer in result.layers if layer.quantity > 0]
    owed = [layer for layer in result.layers if layer.quantity < 0]
    assert not (positive and owed)
    if result.on_hand == 0:
        assert result.stock_value.is_zero() and result.layers == ()
    for valued in result.moves:
        if valued.on_hand == 0:
            assert valued.stock_value.is_zero()
    if method is STANDARD:
        for valued in result.moves:
            # the stock is its quantity at standard, rounded once, after every move
            at_standard = Fraction(valued.on_hand) * Fraction("1.234")
            assert valued.stock_value == Money(
                RoundingPolicy(RoundingMode.HALF_UP).round(at_standard, "EUR"), "EUR"
            )
            cost = valued.move.unit_cost
            if cost is not None:  # what was paid = the value at standard + the variance
                paid = cost.extend(valued.move.quantity, rounding=RoundingMode.HALF_UP)
                assert valued.value + valued.variance == paid


@given(STEPS, st.data(), NON_LIFO)
def test_backdating_policies_agree_on_the_stock(
    steps: list[tuple[bool, int, int]], data: st.DataObject, method: ValuationMethod
) -> None:
    journal = build(steps, never_negative=False)
    posted = data.draw(st.integers(0, len(journal)), label="posted")
    # the new moves are moved back in time, before some posted ones
    shift = data.draw(st.integers(0, 30), label="hours back")
    new = [
        ValuationMove(m.id, m.effective - timedelta(hours=shift), m.kind, m.quantity, m.unit_cost)
        for m in journal[posted:]
    ]
    combined = journal[:posted] + new
    plain = value_journal(combined, method, "EUR")
    recompute = value_journal(
        combined, method, "EUR", posted=posted, backdating=BackdatePolicy.RECOMPUTE
    )
    present = value_journal(
        combined,
        method,
        "EUR",
        posted=posted,
        backdating=BackdatePolicy.CORRECT_AT_PRESENT,
        now=at(20),
    )
    assert recompute.moves == plain.moves
    assert recompute.layers == present.layers == plain.layers
    assert recompute.stock_value == present.stock_value == plain.stock_value
    assert [c.amount for c in recompute.corrections] == [c.amount for c in present.corrections]
    corrections = Money.total((c.amount for c in present.corrections), "EUR")
    assert received(present) == issued(present) + corrections + present.stock_value
    booked = value_journal(journal[:posted], method, "EUR")
    for valued in booked.moves:
        assert present.move(valued.move.id) == valued  # posted values are kept
