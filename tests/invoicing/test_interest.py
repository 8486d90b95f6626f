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
    FRENCH_LATE_INTEREST_FLOOR_MULTIPLE,
    FRENCH_LATE_INTEREST_MARGIN,
    FRENCH_LEGAL_INTEREST_RATES,
    FRENCH_RECOVERY_INDEMNITY,
    days_late,
    french_contractual_late_interest_rate,
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


# -- a rate set by the contract, and its floor -------------------------------------------


def test_an_agreed_rate_below_3_times_the_legal_rate_is_raised_to_the_floor() -> None:
    # Legal rate for the second half of 2025: 2.76 %; 3 × 2.76 % = 8.28 % > 5 %.
    on = date(2025, 9, 1)
    legal = FRENCH_LEGAL_INTEREST_RATES[half_year_start(on)]
    assert french_contractual_late_interest_rate(Rate.percent("5"), legal, on=on) == Rate.percent(
        "8.28"
    )


def test_an_agreed_rate_at_or_above_the_floor_is_kept() -> None:
    on = date(2025, 9, 1)
    legal = Rate.percent("2.76")
    assert french_contractual_late_interest_rate(Rate.percent("9"), legal, on=on) == Rate.percent(
        "9"
    )
    # Exactly at the floor: 3 × 2.76 % = 8.28 %.
    assert french_contractual_late_interest_rate(
        Rate.percent("8.28"), legal, on=on
    ) == Rate.percent("8.28")
    # The floor is not capped at 100 %: 3 × 40 % = 120 %.
    assert french_contractual_late_interest_rate(
        Rate.percent("0"), Rate.percent("40"), on=on
    ) == Rate.percent("120", maximum_percent=None)


def test_each_day_bears_the_agreed_rate_or_the_floor_of_its_half_year() -> None:
    # Due 20 June 2025, paid 10 July 2025, agreed rate 10 %.
    # 21-30 June (10 days): legal rate 3.71 %, floor 11.13 % > 10 %: 11.13 %.
    # 1-10 July (10 days): legal rate 2.76 %, floor 8.28 % < 10 %: 10 %.
    # 1,000.00 × (11.13 % × 10 + 10 % × 10) / 365 = 2,113 / 365 = 5.78904... → 5.79.
    interest = french_late_interest(
        eur("1000.00"),
        date(2025, 6, 20),
        date(2025, 7, 10),
        rounding=HALF_UP,
        contractual_rate=Rate.percent("10"),
        legal_rates=FRENCH_LEGAL_INTEREST_RATES,
    )
    assert interest == eur("5.79")
    # 10 % for the 20 days would give 2,000 / 365 = 5.48; 11.13 % would give 6.10.
    # An agreed 5 % is below both floors: (11.13 % + 8.28 %) × 10 × 1,000 / 365
    # = 1,941 / 365 = 5.31780... → 5.32.
    low = french_late_interest(
        eur("1000.00"),
        date(2025, 6, 20),
        date(2025, 7, 10),
        rounding=HALF_UP,
        contractual_rate=Rate.percent("5"),
        legal_rates=FRENCH_LEGAL_INTEREST_RATES,
    )
    assert low == eur("5.32")


@given(
    st.dates(min_value=date(2025, 7, 1), max_value=date(2025, 12, 31)),
    st.integers(min_value=0, max_value=400),
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=0, max_value=3000),
)
def test_within_one_half_year_the_agreed_rate_is_floored_at_3_times_the_legal_rate(
    due: date, delay: int, units: int, basis_points: int
) -> None:
    paid = min(due + timedelta(days=delay), date(2025, 12, 31))
    amount = Money.from_minor_units(units, "EUR")
    agreed = Rate.basis_points(basis_points)
    applied = max(agreed, Rate.percent("8.28"))  # 3 × 2.76 %
    expected = late_interest(amount, due, paid, applied, rounding=HALF_UP)
    interest = french_late_interest(
        amount,
        due,
        paid,
        rounding=HALF_UP,
        contractual_rate=agreed,
        legal_rates=FRENCH_LEGAL_INTEREST_RATES,
    )
    assert interest == expected


def test_a_missing_half_year_legal_rate_is_refused() -> None:
    rates = {date(2025, 7, 1): Rate.percent("2.76")}
    with pytest.raises(InvalidValue) as caught:
        french_late_interest(
            eur("1000.00"),
            date(2025, 12, 20),
            date(2026, 1, 10),
            rounding=HALF_UP,
            contractual_rate=Rate.percent("10"),
            legal_rates=rates,
        )
    assert caught.value.details["field"] == "legal_rates"
    assert "2026-01-01" in str(caught.value)


def test_the_floor_carries_its_source_and_validity() -> None:
    assert FRENCH_LATE_INTEREST_FLOOR_MULTIPLE.value == 3
    assert "L441-10" in FRENCH_LATE_INTEREST_FLOOR_MULTIPLE.source
    assert FRENCH_LATE_INTEREST_FLOOR_MULTIPLE.valid_from == date(2019, 4, 26)
    assert FRENCH_LATE_INTEREST_FLOOR_MULTIPLE.valid_until is None
    with pytest.raises(InvalidValue) as caught:
        french_contractual_late_interest_rate(
            Rate.percent("10"), Rate.percent("0.86"), on=date(2019, 4, 25)
        )
    assert caught.value.details["field"] == "day"
    assert "L441-10" in str(caught.value)


def test_the_legal_rate_table_holds_the_rates_of_its_half_years() -> None:
    assert FRENCH_LEGAL_INTEREST_RATES[date(2023, 7, 1)] == Rate.percent("4.22")
    assert FRENCH_LEGAL_INTEREST_RATES[date(2025, 7, 1)] == Rate.percent("2.76")
    assert FRENCH_LEGAL_INTEREST_RATES[date(2026, 1, 1)] == Rate.percent("2.62")
    assert all(key == half_year_start(key) for key in FRENCH_LEGAL_INTEREST_RATES)


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
        french_late_interest(eur("1.00"), due, paid, [], rounding=HALF_UP)  # type: ignore[call-overload]
    assert caught_mapping.value.details["field"] == "ecb_rates"


def test_floats_are_refused_for_the_agreed_and_legal_rates() -> None:
    on = date(2025, 9, 1)
    bad: Any = 0.05
    with pytest.raises(FloatNotAllowed) as caught_rate:
        french_contractual_late_interest_rate(bad, Rate.percent("2.76"), on=on)
    assert caught_rate.value.details["field"] == "rate"
    with pytest.raises(FloatNotAllowed) as caught_legal:
        french_contractual_late_interest_rate(Rate.percent("5"), bad, on=on)
    assert caught_legal.value.details["field"] == "legal_rate"
    due, paid = date(2025, 8, 31), date(2025, 9, 30)
    with pytest.raises(FloatNotAllowed) as caught_agreed:
        french_late_interest(
            eur("1.00"),
            due,
            paid,
            rounding=HALF_UP,
            contractual_rate=bad,
            legal_rates=FRENCH_LEGAL_INTEREST_RATES,
        )
    assert caught_agreed.value.details["field"] == "contractual_rate"
    with pytest.raises(FloatNotAllowed) as caught_table:
        french_late_interest(
            eur("1.00"),
            due,
            paid,
            rounding=HALF_UP,
            contractual_rate=Rate.percent("5"),
            legal_rates={date(2025, 7, 1): bad},
        )
    assert caught_table.value.details["field"] == "legal_rate"


def test_the_default_and_the_agreed_rate_are_not_mixed() -> None:
    due, paid = date(2025, 8, 31), date(2025, 9, 30)
    agreed, legal = Rate.percent("10"), FRENCH_LEGAL_INTEREST_RATES
    with pytest.raises(InvalidValue) as caught_both:
        french_late_interest(  # type: ignore[call-overload]
            eur("1.00"),
            due,
            paid,
            ECB_MAIN_REFINANCING_RATES,
            rounding=HALF_UP,
            contractual_rate=agreed,
            legal_rates=legal,
        )
    assert caught_both.value.details["field"] == "ecb_rates"
    with pytest.raises(InvalidValue) as caught_legal:
        french_late_interest(  # type: ignore[call-overload]
            eur("1.00"), due, paid, ECB_MAIN_REFINANCING_RATES, rounding=HALF_UP, legal_rates=legal
        )
    assert caught_legal.value.details["field"] == "legal_rates"
    with pytest.raises(InvalidType) as caught_missing:
        french_late_interest(  # type: ignore[call-overload]
            eur("1.00"), due, paid, rounding=HALF_UP, contractual_rate=agreed
        )
    assert caught_missing.value.details["field"] == "legal_rates"
    with pytest.raises(InvalidType) as caught_none:
        french_late_interest(eur("1.00"), due, paid, rounding=HALF_UP)  # type: ignore[call-overload]
    assert caught_none.value.details["field"] == "ecb_rates"


def test_the_last_half_year_of_the_calendar_is_counted() -> None:
    from datetime import date

    from backoffice import Money
    from backoffice.core.money import Rate
    from backoffice.core.rounding import RoundingMode
    from backoffice.invoicing.interest import french_late_interest

    # 179 days of the half-year starting 9999-07-01, at 2 % + 10 points: no year 10000
    interest = french_late_interest(
        Money("1000.00", "EUR"),
        date(9999, 7, 5),
        date(9999, 12, 31),
        {date(9999, 7, 1): Rate.percent("2")},
        rounding=RoundingMode.HALF_UP,
    )
    assert interest == Money("58.85", "EUR")  # 1000 × 12 % × 179 / 365 = 58.849
