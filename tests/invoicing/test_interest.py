"""Late-payment interest (actual/365) and the French legal defaults."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice import Money, Rate
from backoffice.core.rounding import RoundingMode
from backoffice.errors import FloatNotAllowed, InvalidType, InvalidValue
from backoffice.invoicing import (
    ECB_MAIN_REFINANCING_RATES,
    FRENCH_LATE_INTEREST_MARGIN,
    FRENCH_RECOVERY_INDEMNITY,
    days_late,
    french_late_interest,
    french_late_interest_rate,
    half_year_start,
    late_interest,
)

HALF_UP = RoundingMode.HALF_UP


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


def test_the_worked_example_1000_eur_30_days_late_at_12_15_percent() -> None:
    # Due 31 January 2026, paid 2 March 2026: 28 days of February + 2 of March = 30 days.
    assert days_late(date(2026, 1, 31), date(2026, 3, 2)) == 30
    # 1,000.00 × 12.15 % × 30 / 365 = 3,645 / 365 = 9.98630... → 9.99 EUR (half up).
    interest = late_interest(
        eur("1000.00"), date(2026, 1, 31), date(2026, 3, 2), Rate.percent("12.15"), rounding=HALF_UP
    )
    assert interest == eur("9.99")


def test_the_rounding_is_the_named_one_applied_once() -> None:
    # The same exact 9.98630... rounded down is 9.98.
    args = (eur("1000.00"), date(2026, 1, 31), date(2026, 3, 2), Rate.percent("12.15"))
    assert late_interest(*args, rounding=RoundingMode.DOWN) == eur("9.98")
    # One day: 1,000.00 × 12.15 % / 365 = 0.33287... → 0.33; thirty roundings of a day
    # would give 9.90, not 9.99.
    one_day = late_interest(
        eur("1000.00"), date(2026, 1, 31), date(2026, 2, 1), Rate.percent("12.15"), rounding=HALF_UP
    )
    assert one_day == eur("0.33")


def test_the_denominator_stays_365_in_a_leap_year() -> None:
    # 28 February 2028 to 1 March 2028 is 2 days (29 February exists):
    # 1,000.00 × 12.15 % × 2 / 365 = 0.66575... → 0.67 (over 366 it would be 0.66).
    assert days_late(date(2028, 2, 28), date(2028, 3, 1)) == 2
    interest = late_interest(
        eur("1000.00"), date(2028, 2, 28), date(2028, 3, 1), Rate.percent("12.15"), rounding=HALF_UP
    )
    assert interest == eur("0.67")


def test_no_interest_when_paid_on_or_before_the_due_date() -> None:
    rate = Rate.percent("12.15")
    due = date(2026, 1, 31)
    assert late_interest(eur("1000.00"), due, due, rate, rounding=HALF_UP) == eur("0.00")
    assert late_interest(eur("1000.00"), due, date(2026, 1, 2), rate, rounding=HALF_UP) == eur("0")
    assert days_late(due, date(2026, 1, 2)) == 0


def test_the_french_rate_is_the_ecb_rate_plus_10_points() -> None:
    # ECB main refinancing rate on 1 July 2025: 2.15 %; + 10 points = 12.15 %.
    assert french_late_interest_rate(Rate.percent("2.15"), on=date(2025, 9, 1)) == Rate.percent(
        "12.15"
    )
    with pytest.raises(InvalidValue) as caught:
        french_late_interest_rate(Rate.percent("2.15"), on=date(2019, 4, 25))
    assert "L441-10" in str(caught.value)


def test_each_day_bears_the_rate_of_its_half_year() -> None:
    # Due 20 June 2025, paid 10 July 2025: 10 days (21-30 June) at 3.15 + 10 = 13.15 %
    # and 10 days (1-10 July) at 2.15 + 10 = 12.15 %.
    # 1,000.00 × (13.15 % × 10 + 12.15 % × 10) / 365 = 2,530 / 365 = 6.93150... → 6.93.
    interest = french_late_interest(
        eur("1000.00"),
        date(2025, 6, 20),
        date(2025, 7, 10),
        ECB_MAIN_REFINANCING_RATES,
        rounding=HALF_UP,
    )
    assert interest == eur("6.93")
    # One rate for the whole 20 days would give 6.66 (12.15 %) or 7.21 (13.15 %).


def test_a_missing_half_year_rate_is_refused() -> None:
    rates = {date(2025, 7, 1): Rate.percent("2.15")}
    with pytest.raises(InvalidValue) as caught:
        french_late_interest(
            eur("1000.00"), date(2025, 12, 20), date(2026, 1, 10), rates, rounding=HALF_UP
        )
    assert caught.value.details["field"] == "ecb_rates"
    assert "2026-01-01" in str(caught.value)


@given(
    st.dates(min_value=date(2025, 7, 1), max_value=date(2025, 12, 31)),
    st.integers(min_value=0, max_value=400),
    st.integers(min_value=0, max_value=10**9),
)
def test_within_one_half_year_the_french_interest_is_late_interest_at_ecb_plus_10(
    due: date, delay: int, units: int
) -> None:
    paid = min(due + timedelta(days=delay), date(2025, 12, 31))
    amount = Money.from_minor_units(units, "EUR")
    expected = late_interest(amount, due, paid, Rate.percent("12.15"), rounding=HALF_UP)
    assert (
        french_late_interest(amount, due, paid, ECB_MAIN_REFINANCING_RATES, rounding=HALF_UP)
        == expected
    )


@given(
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=-30, max_value=400),
    st.integers(min_value=0, max_value=400),
)
def test_interest_never_decreases_as_the_delay_grows(units: int, first: int, extra: int) -> None:
    amount = Money.from_minor_units(units, "EUR")
    due = date(2026, 1, 31)
    rate = Rate.percent("12.15")
    sooner = late_interest(amount, due, due + timedelta(days=first), rate, rounding=HALF_UP)
    later = late_interest(amount, due, due + timedelta(days=first + extra), rate, rounding=HALF_UP)
    assert Money.zero("EUR") <= sooner <= later
    if first <= 0:
        assert sooner.is_zero()


def test_half_years_start_on_1_january_and_1_july() -> None:
    assert half_year_start(date(2026, 6, 30)) == date(2026, 1, 1)
    assert half_year_start(date(2026, 7, 1)) == date(2026, 7, 1)
    assert half_year_start(date(2026, 12, 31)) == date(2026, 7, 1)
    assert all(key == half_year_start(key) for key in ECB_MAIN_REFINANCING_RATES)


def test_the_legal_parameters_carry_their_source_and_validity() -> None:
    assert FRENCH_LATE_INTEREST_MARGIN.value == Rate.percent("10")
    assert "L441-10" in FRENCH_LATE_INTEREST_MARGIN.source
    assert FRENCH_LATE_INTEREST_MARGIN.valid_from == date(2019, 4, 26)
    assert FRENCH_RECOVERY_INDEMNITY.value_on(date(2026, 3, 2)) == eur("40.00")
    assert "D441-5" in FRENCH_RECOVERY_INDEMNITY.source
    with pytest.raises(InvalidValue) as caught:
        FRENCH_RECOVERY_INDEMNITY.value_on(date(2012, 12, 31))
    assert caught.value.details["field"] == "day"


def test_the_ecb_table_holds_the_rates_of_its_half_years() -> None:
    assert ECB_MAIN_REFINANCING_RATES[date(2025, 7, 1)] == Rate.percent("2.15")
    assert ECB_MAIN_REFINANCING_RATES[date(2024, 1, 1)] == Rate.percent("4.50")


# -- refused input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "due", "paid"),
    [
        ("due", datetime(2026, 1, 31, 12, 0), date(2026, 3, 2)),  # noqa: DTZ001 - naive on purpose
        ("paid", date(2026, 1, 31), datetime(2026, 3, 2, 12, 0, tzinfo=UTC)),
    ],
)
def test_datetimes_are_refused_naming_the_field(field: str, due: Any, paid: Any) -> None:
    with pytest.raises(InvalidType) as caught:
        late_interest(eur("1000.00"), due, paid, Rate.percent("12.15"), rounding=HALF_UP)
    assert caught.value.details["field"] == field


def test_floats_and_wrong_types_are_refused_naming_the_field() -> None:
    due, paid = date(2026, 1, 31), date(2026, 3, 2)
    bad: Any = 0.1215
    with pytest.raises(FloatNotAllowed) as caught_rate:
        late_interest(eur("1000.00"), due, paid, bad, rounding=HALF_UP)
    assert caught_rate.value.details["field"] == "rate"
    with pytest.raises(InvalidType) as caught_decimal:
        late_interest(eur("1000.00"), due, paid, Decimal("12.15"), rounding=HALF_UP)  # type: ignore[arg-type]
    assert caught_decimal.value.details["field"] == "rate"
    amount: Any = 1000.0
    with pytest.raises(FloatNotAllowed) as caught_amount:
        late_interest(amount, due, paid, Rate.percent("12.15"), rounding=HALF_UP)
    assert caught_amount.value.details["field"] == "amount"
    with pytest.raises(InvalidValue) as caught_negative:
        late_interest(eur("-1.00"), due, paid, Rate.percent("12.15"), rounding=HALF_UP)
    assert caught_negative.value.details["field"] == "amount"
    with pytest.raises(InvalidType) as caught_mapping:
        french_late_interest(eur("1.00"), due, paid, [], rounding=HALF_UP)  # type: ignore[arg-type]
    assert caught_mapping.value.details["field"] == "ecb_rates"
