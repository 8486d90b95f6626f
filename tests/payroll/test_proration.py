"""A month's salary for part of the month, by each named method."""

from __future__ import annotations

from datetime import date

import pytest

from backoffice import Money
from backoffice.errors import InvalidValue
from backoffice.payroll.proration import ProrationMethod, prorate

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
FEBRUARY = (date(2026, 2, 1), date(2026, 2, 28))
SALARY = Money("3000.00", "EUR")


def test_calendar_days() -> None:
    # 16 days of 31: 3000 × 16 / 31 = 1548.387… -> 1548.39
    assert prorate(SALARY, *MARCH, date(2026, 3, 16), date(2026, 3, 31), "calendar_days") == Money(
        "1548.39", "EUR"
    )


def test_working_days_with_a_holiday() -> None:
    # March 2026 has 22 weekdays; 16–31 March holds 12 of them; with 2026-03-20 a holiday,
    # 11 of 21: 3000 × 11 / 21 = 1571.428… -> 1571.43
    found = prorate(
        SALARY,
        *MARCH,
        date(2026, 3, 16),
        date(2026, 3, 31),
        ProrationMethod.WORKING_DAYS,
        holidays=[date(2026, 3, 20)],
    )
    assert found == Money("1571.43", "EUR")


def test_thirty_days_reads_every_month_as_thirty() -> None:
    # a full February is a full month; 14 days of February are 14/30
    assert prorate(SALARY, *FEBRUARY, *FEBRUARY, "thirty_days") == SALARY
    assert prorate(SALARY, *FEBRUARY, date(2026, 2, 15), date(2026, 2, 28), "thirty_days") == Money(
        "1400.00", "EUR"
    )
    # 31 days present in March count as 30
    assert prorate(SALARY, *MARCH, *MARCH, "thirty_days") == SALARY


def test_a_full_month_is_the_salary_by_every_method() -> None:
    for method in ProrationMethod:
        assert prorate(SALARY, *MARCH, *MARCH, method) == SALARY


def test_bad_input_is_refused() -> None:
    with pytest.raises(InvalidValue):
        prorate(SALARY, *MARCH, date(2026, 2, 28), date(2026, 3, 31), "calendar_days")
    with pytest.raises(InvalidValue):
        prorate(SALARY, *MARCH, *MARCH, "lunar")


def test_holidays_are_dates() -> None:
    from backoffice.errors import InvalidType

    with pytest.raises(InvalidType):
        prorate(SALARY, *MARCH, *MARCH, "working_days", holidays=5)  # type: ignore[arg-type]
