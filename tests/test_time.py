"""Tests of backoffice.core.time: aware datetimes, clocks, periods, calendar arithmetic."""

from __future__ import annotations

import pickle
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice.core.l10n import format_datetime
from backoffice.core.time import (
    Clock,
    FixedClock,
    ManualClock,
    Period,
    SystemClock,
    add_days,
    add_months,
    days_then_end_of_month,
    end_of_month,
    end_of_month_then_days,
    ensure_aware,
    ensure_date,
    start_of_month,
    to_utc,
    today,
)
from backoffice.errors import BackofficeError, InvalidPeriod, NaiveDatetime

PARIS = ZoneInfo("Europe/Paris")
SAO_PAULO = ZoneInfo("America/Sao_Paulo")
NAIVE = datetime(2026, 1, 15, 12, 0)  # noqa: DTZ001 - naive on purpose
AWARE = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


class _NoOffset(tzinfo):
    """A tzinfo that gives no offset: a datetime carrying it is still naive."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return None

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, dt: datetime | None) -> str | None:
        return None


NO_OFFSET = datetime(2026, 1, 15, 12, 0, tzinfo=_NoOffset())


# ---------------------------------------------------------------------------------------
# Aware datetimes
# ---------------------------------------------------------------------------------------


def test_ensure_aware_returns_aware_value() -> None:
    assert ensure_aware(AWARE, "issued_at") is AWARE
    paris = datetime(2026, 1, 15, 12, 0, tzinfo=PARIS)
    assert ensure_aware(paris) is paris


@pytest.mark.parametrize("value", [NAIVE, NO_OFFSET])
def test_ensure_aware_rejects_naive(value: datetime) -> None:
    with pytest.raises(NaiveDatetime) as info:
        ensure_aware(value, "issued_at")
    error = info.value
    assert isinstance(error, ValueError)
    assert isinstance(error, BackofficeError)
    assert error.code == "time.naive_datetime"
    assert error.details == {"field": "issued_at", "value": value}
    assert "issued_at" in error.message
    assert "issued_at" in error.localized("fr_FR")


@pytest.mark.parametrize("value", [date(2026, 1, 15), "2026-01-15T12:00:00+00:00", 0, None])
def test_ensure_aware_rejects_non_datetimes(value: Any) -> None:
    with pytest.raises(TypeError, match="issued_at"):
        ensure_aware(value, "issued_at")


def test_to_utc() -> None:
    paris = datetime(2026, 7, 1, 14, 0, tzinfo=PARIS)
    utc = to_utc(paris)
    assert utc == datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert utc.tzinfo is UTC
    assert utc.utcoffset() == timedelta(0)


def test_to_utc_rejects_naive() -> None:
    with pytest.raises(NaiveDatetime) as info:
        to_utc(NAIVE, "paid_at")
    assert info.value.details["field"] == "paid_at"
    with pytest.raises(NaiveDatetime):
        to_utc(NAIVE)


def test_format_datetime_rejects_naive() -> None:
    with pytest.raises(NaiveDatetime):
        format_datetime(NAIVE, "fr_FR")
    assert "2026" in format_datetime(datetime(2026, 1, 15, 12, 0, tzinfo=PARIS), "fr_FR")


def test_ensure_date() -> None:
    assert ensure_date(date(2026, 1, 15)) == date(2026, 1, 15)
    with pytest.raises(TypeError, match="issue_date"):
        ensure_date(AWARE, "issue_date")
    with pytest.raises(TypeError, match="issue_date"):
        ensure_date("2026-01-15", "issue_date")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------
# Clocks
# ---------------------------------------------------------------------------------------


def test_clocks_satisfy_the_protocol() -> None:
    clocks: list[Clock] = [SystemClock(), FixedClock(AWARE), ManualClock(AWARE)]
    for clock in clocks:
        assert isinstance(clock, Clock)
        assert clock.now().utcoffset() is not None


def test_system_clock_is_aware_and_real() -> None:
    before = datetime.now(UTC)
    now = SystemClock().now()
    after = datetime.now(UTC)
    assert now.tzinfo is UTC
    assert before <= now <= after


def test_system_clock_in_a_zone() -> None:
    now = SystemClock(PARIS).now()
    assert now.tzinfo is PARIS
    assert abs(now - datetime.now(UTC)) < timedelta(minutes=1)


def test_system_clock_rejects_non_zone() -> None:
    with pytest.raises(TypeError, match="tz"):
        SystemClock("Europe/Paris")  # type: ignore[arg-type]


def test_fixed_clock() -> None:
    clock = FixedClock(AWARE)
    assert clock.now() is AWARE
    assert clock.now() is AWARE
    assert clock == FixedClock(AWARE)
    assert hash(clock) == hash(FixedClock(AWARE))


def test_fixed_clock_is_immutable() -> None:
    clock = FixedClock(AWARE)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        clock.at = NAIVE  # type: ignore[misc]


@pytest.mark.parametrize("value", [NAIVE, NO_OFFSET])
def test_fixed_clock_rejects_naive(value: datetime) -> None:
    with pytest.raises(NaiveDatetime) as info:
        FixedClock(value)
    assert info.value.details["field"] == "at"


def test_manual_clock_advances_and_sets() -> None:
    clock = ManualClock(AWARE)
    assert clock.now() == AWARE
    assert clock.advance(timedelta(days=2)) == AWARE + timedelta(days=2)
    assert clock.now() == AWARE + timedelta(days=2)
    assert clock.advance(timedelta(0)) == AWARE + timedelta(days=2)
    earlier = datetime(2025, 12, 31, 23, 0, tzinfo=PARIS)
    clock.set(earlier)
    assert clock.now() == earlier
    assert clock.now().tzinfo is PARIS
    assert "ManualClock" in repr(clock)


def test_manual_clock_refuses_to_go_backwards() -> None:
    clock = ManualClock(AWARE)
    with pytest.raises(ValueError, match="set"):
        clock.advance(timedelta(seconds=-1))
    assert clock.now() == AWARE
    with pytest.raises(TypeError):
        clock.advance(3600)  # type: ignore[arg-type]


def test_manual_clock_rejects_naive() -> None:
    with pytest.raises(NaiveDatetime):
        ManualClock(NAIVE)
    clock = ManualClock(AWARE)
    with pytest.raises(NaiveDatetime):
        clock.set(NAIVE)
    assert clock.now() == AWARE


def test_manual_clock_advances_elapsed_time_across_dst() -> None:
    # Paris springs forward on 2026-03-29 at 02:00 (to 03:00).
    clock = ManualClock(datetime(2026, 3, 29, 1, 30, tzinfo=PARIS))
    after = clock.advance(timedelta(hours=1))
    assert after.tzinfo is PARIS
    assert (after.hour, after.minute) == (3, 30)
    assert to_utc(after) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    # ...and falls back on 2026-10-25 at 03:00 (to 02:00).
    clock.set(datetime(2026, 10, 25, 1, 30, tzinfo=PARIS))
    later = clock.advance(timedelta(hours=2))
    assert to_utc(later) - to_utc(datetime(2026, 10, 25, 1, 30, tzinfo=PARIS)) == timedelta(hours=2)
    assert (later.hour, later.minute, later.fold) == (2, 30, 1)


def test_manual_clock_is_thread_safe() -> None:
    clock = ManualClock(AWARE)
    threads_count, steps = 8, 2_000
    barrier = threading.Barrier(threads_count)

    def work() -> None:
        barrier.wait()
        for _ in range(steps):
            clock.advance(timedelta(seconds=1))

    threads = [threading.Thread(target=work) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert clock.now() == AWARE + timedelta(seconds=threads_count * steps)


def test_today_uses_the_clock_zone_or_the_given_one() -> None:
    # 2026-01-16 01:30 in Paris is still 2026-01-15 in São Paulo.
    clock = FixedClock(datetime(2026, 1, 16, 1, 30, tzinfo=PARIS))
    assert today(clock) == date(2026, 1, 16)
    assert today(clock, SAO_PAULO) == date(2026, 1, 15)
    assert today(clock, UTC) == date(2026, 1, 16)
    assert today(FixedClock(datetime(2026, 1, 15, 23, 30, tzinfo=UTC)), PARIS) == date(2026, 1, 16)


def test_today_rejects_a_naive_clock() -> None:
    class BrokenClock:
        def now(self) -> datetime:
            return NAIVE

    with pytest.raises(NaiveDatetime):
        today(BrokenClock())


# ---------------------------------------------------------------------------------------
# Calendar arithmetic
# ---------------------------------------------------------------------------------------


def test_add_days() -> None:
    assert add_days(date(2026, 2, 27), 2) == date(2026, 3, 1)
    assert add_days(date(2028, 2, 27), 2) == date(2028, 2, 29)
    assert add_days(date(2026, 12, 31), 1) == date(2027, 1, 1)
    assert add_days(date(2026, 3, 1), -1) == date(2026, 2, 28)
    assert add_days(date(2026, 3, 1), 0) == date(2026, 3, 1)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 1, 31), 2, date(2026, 3, 31)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2028, 2, 29), 48, date(2032, 2, 29)),
        (date(2026, 1, 15), 0, date(2026, 1, 15)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 1, 15), -13, date(2024, 12, 15)),
        (date(2026, 8, 31), 1, date(2026, 9, 30)),
    ],
)
def test_add_months_clamps_to_month_end(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_add_months_clamping_does_not_carry() -> None:
    assert add_months(add_months(date(2026, 1, 31), 1), 1) == date(2026, 3, 28)


def test_add_months_out_of_range() -> None:
    with pytest.raises(OverflowError):
        add_months(date(9999, 12, 1), 1)
    with pytest.raises(OverflowError):
        add_months(date(1, 1, 1), -1)


@pytest.mark.parametrize(
    ("day", "first", "last"),
    [
        (date(2026, 1, 15), date(2026, 1, 1), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 1), date(2026, 2, 28)),
        (date(2028, 2, 10), date(2028, 2, 1), date(2028, 2, 29)),
        (date(2100, 2, 10), date(2100, 2, 1), date(2100, 2, 28)),
        (date(2000, 2, 10), date(2000, 2, 1), date(2000, 2, 29)),
        (date(2026, 4, 30), date(2026, 4, 1), date(2026, 4, 30)),
        (date(2026, 12, 31), date(2026, 12, 1), date(2026, 12, 31)),
    ],
)
def test_start_and_end_of_month(day: date, first: date, last: date) -> None:
    assert start_of_month(day) == first
    assert end_of_month(day) == last


@pytest.mark.parametrize(
    ("invoice", "days", "days_then_eom", "eom_then_days"),
    [
        # The worked example of the docstrings.
        (date(2026, 1, 15), 45, date(2026, 3, 31), date(2026, 3, 17)),
        # Invoice on a month end.
        (date(2026, 1, 31), 45, date(2026, 3, 31), date(2026, 3, 17)),
        (date(2026, 3, 31), 45, date(2026, 5, 31), date(2026, 5, 15)),
        # February, common and leap years.
        (date(2026, 2, 10), 45, date(2026, 3, 31), date(2026, 4, 14)),
        (date(2028, 2, 10), 45, date(2028, 3, 31), date(2028, 4, 14)),
        (date(2026, 1, 1), 30, date(2026, 1, 31), date(2026, 3, 2)),
        (date(2028, 1, 1), 30, date(2028, 1, 31), date(2028, 3, 1)),
        (date(2025, 12, 30), 60, date(2026, 2, 28), date(2026, 3, 1)),
        # Landing exactly on a month end, and across a year end.
        (date(2026, 2, 14), 45, date(2026, 3, 31), date(2026, 4, 14)),
        (date(2026, 11, 20), 45, date(2027, 1, 31), date(2027, 1, 14)),
        # Zero days: the end of the invoice's month in both readings.
        (date(2026, 2, 5), 0, date(2026, 2, 28), date(2026, 2, 28)),
    ],
)
def test_the_two_end_of_month_computations(
    invoice: date, days: int, days_then_eom: date, eom_then_days: date
) -> None:
    assert days_then_end_of_month(invoice, days) == days_then_eom
    assert end_of_month_then_days(invoice, days) == eom_then_days


_DAY_FUNCTIONS: list[Callable[[date, int], date]] = [
    add_days,
    add_months,
    days_then_end_of_month,
    end_of_month_then_days,
]


@pytest.mark.parametrize("function", _DAY_FUNCTIONS)
@pytest.mark.parametrize("count", [45.0, True, Decimal(45), "45", None])
def test_counts_must_be_ints(function: Callable[[date, Any], date], count: object) -> None:
    with pytest.raises(TypeError, match="must be an int"):
        function(date(2026, 1, 15), count)


@pytest.mark.parametrize("function", _DAY_FUNCTIONS)
def test_arithmetic_rejects_datetimes(function: Callable[[date, int], date]) -> None:
    with pytest.raises(TypeError, match="datetime"):
        function(AWARE, 1)


@pytest.mark.parametrize("function", [start_of_month, end_of_month])
def test_month_bounds_reject_datetimes(function: Callable[[date], date]) -> None:
    with pytest.raises(TypeError, match="datetime"):
        function(AWARE)


class _IndexLike:
    """An integer-like object (numpy integers behave this way)."""

    def __index__(self) -> int:
        return 3


def test_counts_accept_index_like_integers() -> None:
    assert add_days(date(2026, 1, 1), _IndexLike()) == date(2026, 1, 4)  # type: ignore[arg-type]


days_strategy = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


@given(day=days_strategy, months=st.integers(min_value=-1200, max_value=1200))
def test_add_months_properties(day: date, months: int) -> None:
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day == min(day.day, end_of_month(result).day)


@given(day=days_strategy, n=st.integers(min_value=0, max_value=400))
def test_end_of_month_computations_properties(day: date, n: int) -> None:
    first = days_then_end_of_month(day, n)
    second = end_of_month_then_days(day, n)
    assert first == end_of_month(first)
    assert first >= add_days(day, n)
    assert (second - end_of_month(day)).days == n
    assert second >= add_days(day, n)


# ---------------------------------------------------------------------------------------
# Periods: construction
# ---------------------------------------------------------------------------------------


def test_period_month() -> None:
    january = Period.month(2026, 1)
    assert (january.start, january.end) == (date(2026, 1, 1), date(2026, 1, 31))
    assert january.days == 31
    assert january.kind == "month"
    assert str(january) == "2026-01"


def test_period_month_february_and_leap_years() -> None:
    assert Period.month(2026, 2).end == date(2026, 2, 28)
    assert Period.month(2028, 2).end == date(2028, 2, 29)
    assert Period.month(2028, 2).days == 29
    assert Period.month(2100, 2).days == 28
    assert Period.month(2000, 2).days == 29
    assert date(2028, 2, 29) in Period.month(2028, 2)


@pytest.mark.parametrize(
    ("quarter", "start", "end", "days"),
    [
        (1, date(2026, 1, 1), date(2026, 3, 31), 90),
        (2, date(2026, 4, 1), date(2026, 6, 30), 91),
        (3, date(2026, 7, 1), date(2026, 9, 30), 92),
        (4, date(2026, 10, 1), date(2026, 12, 31), 92),
    ],
)
def test_period_quarter_bounds(quarter: int, start: date, end: date, days: int) -> None:
    period = Period.quarter(2026, quarter)
    assert (period.start, period.end, period.days) == (start, end, days)
    assert period.kind == "quarter"
    assert str(period) == f"2026-Q{quarter}"


def test_period_quarter_in_a_leap_year() -> None:
    assert Period.quarter(2028, 1).days == 91


def test_period_year() -> None:
    year = Period.year(2026)
    assert (year.start, year.end, year.days) == (date(2026, 1, 1), date(2026, 12, 31), 365)
    assert Period.year(2028).days == 366
    assert year.kind == "year"
    assert str(year) == "2026"


def test_period_fiscal_year() -> None:
    fiscal = Period.fiscal_year(2026, 7)
    assert (fiscal.start, fiscal.end) == (date(2026, 7, 1), date(2027, 6, 30))
    assert fiscal.kind == "range"
    assert str(fiscal) == "2026-07-01..2027-06-30"
    assert Period.fiscal_year(2027, 3).end == date(2028, 2, 29)
    assert Period.fiscal_year(2026, 1) == Period.year(2026)


def test_period_range_and_equality_by_bounds() -> None:
    period = Period.range(date(2026, 1, 15), date(2026, 2, 14))
    assert period.kind == "range"
    assert period.days == 31
    assert str(period) == "2026-01-15..2026-02-14"
    assert Period.range(date(2026, 1, 1), date(2026, 1, 31)) == Period.month(2026, 1)
    assert Period(date(2026, 4, 1), date(2026, 6, 30)) == Period.quarter(2026, 2)
    assert str(Period.range(date(2026, 4, 1), date(2026, 6, 30))) == "2026-Q2"
    one_day = Period.range(date(2026, 1, 15), date(2026, 1, 15))
    assert one_day.days == 1
    # Whole months that are not a calendar quarter or year are ranges.
    assert str(Period.range(date(2026, 2, 1), date(2026, 4, 30))) == "2026-02-01..2026-04-30"
    assert Period.range(date(2026, 1, 1), date(2026, 6, 30)).kind == "range"


def test_period_containing_helpers() -> None:
    day = date(2026, 5, 20)
    assert Period.of_month(day) == Period.month(2026, 5)
    assert Period.of_quarter(day) == Period.quarter(2026, 2)
    assert Period.of_year(day) == Period.year(2026)
    assert Period.of_quarter(date(2026, 12, 31)) == Period.quarter(2026, 4)
    assert Period.of_quarter(date(2026, 1, 1)) == Period.quarter(2026, 1)
    with pytest.raises(TypeError):
        Period.of_month(AWARE)


def test_period_rejects_reversed_bounds() -> None:
    with pytest.raises(InvalidPeriod) as info:
        Period.range(date(2026, 2, 1), date(2026, 1, 31))
    assert info.value.code == "time.invalid_period"
    assert "2026-01-31" in info.value.details["reason"]
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    "build",
    [
        lambda: Period(AWARE, date(2026, 2, 1)),
        lambda: Period(date(2026, 1, 1), AWARE),
        lambda: Period.range(AWARE, AWARE),
        lambda: Period("2026-01-01", date(2026, 2, 1)),  # type: ignore[arg-type]
    ],
)
def test_period_rejects_datetimes_and_non_dates(build: Callable[[], Period]) -> None:
    with pytest.raises(TypeError):
        build()


@pytest.mark.parametrize(
    "build",
    [
        lambda: Period.month(2026, 0),
        lambda: Period.month(2026, 13),
        lambda: Period.month(0, 1),
        lambda: Period.month(10_000, 1),
        lambda: Period.quarter(2026, 0),
        lambda: Period.quarter(2026, 5),
        lambda: Period.year(0),
        lambda: Period.fiscal_year(2026, 13),
    ],
)
def test_period_rejects_impossible_numbers(build: Callable[[], Period]) -> None:
    with pytest.raises(InvalidPeriod):
        build()


@pytest.mark.parametrize(
    "build",
    [
        lambda: Period.month(2026, 1.0),  # type: ignore[arg-type]
        lambda: Period.month(2026.0, 1),  # type: ignore[arg-type]
        lambda: Period.quarter(2026, True),
        lambda: Period.year("2026"),  # type: ignore[arg-type]
    ],
)
def test_period_numbers_must_be_ints(build: Callable[[], Period]) -> None:
    with pytest.raises(TypeError):
        build()


def test_period_is_immutable_hashable_and_picklable() -> None:
    period = Period.month(2026, 1)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        period.end = date(2026, 2, 1)  # type: ignore[misc]
    assert len({period, Period.parse("2026-01"), Period.month(2026, 2)}) == 2
    assert pickle.loads(pickle.dumps(period)) == period


def test_period_ordering() -> None:
    periods = [
        Period.quarter(2026, 1),
        Period.month(2026, 2),
        Period.month(2026, 1),
        Period.year(2025),
    ]
    assert sorted(periods) == [
        Period.year(2025),
        Period.month(2026, 1),
        Period.quarter(2026, 1),
        Period.month(2026, 2),
    ]
    assert Period.month(2026, 1) < Period.quarter(2026, 1)


# ---------------------------------------------------------------------------------------
# Periods: text
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01", Period.month(2026, 1)),
        ("2028-02", Period.month(2028, 2)),
        ("2026-Q1", Period.quarter(2026, 1)),
        ("2026-q4", Period.quarter(2026, 4)),
        ("2026", Period.year(2026)),
        ("0001", Period.year(1)),
        ("2026-01-01..2026-03-31", Period.quarter(2026, 1)),
        ("2026-01-15..2026-02-14", Period.range(date(2026, 1, 15), date(2026, 2, 14))),
        (" 2026-01 ", Period.month(2026, 1)),
    ],
)
def test_period_parse(text: str, expected: Period) -> None:
    assert Period.parse(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2026-1",
        "2026-13",
        "2026-00",
        "2026-Q0",
        "2026-Q5",
        "26",
        "0000",
        "2026-01-01..2026-02-30",
        "2026-02-01..2026-01-31",
        "2026-01-01...2026-01-31",
        "2026-01-01/2026-01-31",
        "20260101..20260131",
        "January 2026",
    ],
)
def test_period_parse_rejects(text: str) -> None:
    with pytest.raises(InvalidPeriod):
        Period.parse(text)


def test_period_parse_rejects_non_strings() -> None:
    with pytest.raises(TypeError):
        Period.parse(2026)  # type: ignore[arg-type]


def test_period_str_pads_small_years() -> None:
    assert str(Period.month(5, 3)) == "0005-03"
    assert str(Period.quarter(42, 2)) == "0042-Q2"
    assert str(Period.year(999)) == "0999"


all_days = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
years = st.integers(min_value=1, max_value=9999)


@st.composite
def periods(draw: st.DrawFn) -> Period:
    kind = draw(st.sampled_from(["month", "quarter", "year", "fiscal", "range"]))
    if kind == "month":
        return Period.month(draw(years), draw(st.integers(1, 12)))
    if kind == "quarter":
        return Period.quarter(draw(years), draw(st.integers(1, 4)))
    if kind == "year":
        return Period.year(draw(years))
    if kind == "fiscal":
        return Period.fiscal_year(draw(st.integers(1, 9998)), draw(st.integers(1, 12)))
    first, second = draw(all_days), draw(all_days)
    return Period.range(min(first, second), max(first, second))


@given(period=periods())
def test_period_str_parse_round_trip(period: Period) -> None:
    text = str(period)
    assert Period.parse(text) == period
    assert str(Period.parse(text)) == text


@given(start=all_days, end=all_days)
def test_period_range_text_round_trip(start: date, end: date) -> None:
    start, end = min(start, end), max(start, end)
    period = Period.range(start, end)
    assert Period.parse(f"{start.isoformat()}..{end.isoformat()}") == period


# ---------------------------------------------------------------------------------------
# Periods: days, neighbours, set operations
# ---------------------------------------------------------------------------------------


def test_period_contains() -> None:
    january = Period.month(2026, 1)
    assert date(2026, 1, 1) in january
    assert date(2026, 1, 31) in january
    assert date(2025, 12, 31) not in january
    assert date(2026, 2, 1) not in january


@pytest.mark.parametrize("value", [AWARE, NAIVE, "2026-01-15", 15, None])
def test_period_contains_rejects_non_dates(value: object) -> None:
    with pytest.raises(TypeError):
        _ = value in Period.month(2026, 1)


def test_period_iter_days() -> None:
    days = list(Period.month(2028, 2).iter_days())
    assert len(days) == 29
    assert days[0] == date(2028, 2, 1)
    assert days[-1] == date(2028, 2, 29)
    assert list(Period.range(date(2026, 1, 15), date(2026, 1, 15)).iter_days()) == [
        date(2026, 1, 15)
    ]
    assert list(Period.range(date(9999, 12, 30), date(9999, 12, 31)).iter_days()) == [
        date(9999, 12, 30),
        date(9999, 12, 31),
    ]


def test_period_months() -> None:
    period = Period.range(date(2026, 1, 15), date(2026, 3, 10))
    assert period.months() == (
        Period.month(2026, 1),
        Period.month(2026, 2),
        Period.month(2026, 3),
    )
    assert period.months(clip=True) == (
        Period.range(date(2026, 1, 15), date(2026, 1, 31)),
        Period.month(2026, 2),
        Period.range(date(2026, 3, 1), date(2026, 3, 10)),
    )
    assert sum(part.days for part in period.months(clip=True)) == period.days
    assert Period.year(2026).months() == tuple(Period.month(2026, m) for m in range(1, 13))
    assert Period.range(date(2025, 12, 20), date(2026, 1, 5)).months() == (
        Period.month(2025, 12),
        Period.month(2026, 1),
    )
    assert Period.range(date(2026, 1, 5), date(2026, 1, 6)).months() == (Period.month(2026, 1),)


@pytest.mark.parametrize(
    ("period", "following"),
    [
        (Period.month(2026, 1), Period.month(2026, 2)),
        (Period.month(2026, 12), Period.month(2027, 1)),
        (Period.month(2028, 1), Period.month(2028, 2)),
        (Period.quarter(2026, 4), Period.quarter(2027, 1)),
        (Period.quarter(2026, 1), Period.quarter(2026, 2)),
        (Period.year(2027), Period.year(2028)),
        (Period.fiscal_year(2026, 7), Period.fiscal_year(2027, 7)),
        (Period.fiscal_year(2027, 3), Period.fiscal_year(2028, 3)),
        (
            Period.range(date(2026, 2, 1), date(2026, 3, 31)),
            Period.range(date(2026, 4, 1), date(2026, 5, 31)),
        ),
        (
            Period.range(date(2026, 1, 15), date(2026, 2, 14)),
            Period.range(date(2026, 2, 15), date(2026, 3, 17)),
        ),
        (
            Period.range(date(2026, 2, 28), date(2026, 2, 28)),
            Period.range(date(2026, 3, 1), date(2026, 3, 1)),
        ),
    ],
)
def test_period_next_and_previous(period: Period, following: Period) -> None:
    assert period.next() == following
    assert following.previous() == period
    assert period.next().kind == period.kind


def test_period_next_overflows_at_the_end_of_the_calendar() -> None:
    assert Period.year(9998).next() == Period.year(9999)
    assert Period.month(9999, 11).next() == Period.month(9999, 12)
    assert Period.year(2).previous() == Period.year(1)
    with pytest.raises(OverflowError):
        Period.year(9999).next()
    with pytest.raises(OverflowError):
        Period.year(1).previous()


def _whole_months(period: Period) -> bool:
    return period.start.day == 1 and period.end == end_of_month(period.end)


@given(period=periods())
def test_period_neighbours_properties(period: Period) -> None:
    try:
        following = period.next()
    except OverflowError:
        assert (date.max - period.end).days < period.days + 31
    else:
        assert following.start == add_days(period.end, 1)
        if _whole_months(period):
            assert _whole_months(following)
            assert following.kind == period.kind
            assert following.previous() == period
        else:
            assert following.days == period.days
            if not _whole_months(following):
                assert following.previous() == period
    try:
        preceding = period.previous()
    except OverflowError:
        assert (period.start - date.min).days < period.days + 31
    else:
        assert preceding.end == add_days(period.start, -1)
        if _whole_months(period):
            assert preceding.kind == period.kind
            assert preceding.next() == period
        else:
            assert preceding.days == period.days


def test_period_neighbour_of_a_range_may_be_a_month() -> None:
    period = Period.range(date(2026, 1, 4), date(2026, 1, 31))
    assert period.next() == Period.month(2026, 2)
    assert period.next().previous() == Period.month(2026, 1)


def test_period_overlaps_and_intersection() -> None:
    q1 = Period.quarter(2026, 1)
    february = Period.month(2026, 2)
    straddling = Period.range(date(2026, 3, 15), date(2026, 4, 15))
    april = Period.month(2026, 4)
    assert q1.overlaps(february)
    assert february.overlaps(q1)
    assert q1.intersection(february) == february
    assert q1.overlaps(straddling)
    assert q1.intersection(straddling) == Period.range(date(2026, 3, 15), date(2026, 3, 31))
    assert not q1.overlaps(april)
    assert q1.intersection(april) is None
    # Touching on one day overlaps (bounds are inclusive).
    touching = Period.range(date(2026, 3, 31), date(2026, 4, 2))
    assert q1.intersection(touching) == Period.range(date(2026, 3, 31), date(2026, 3, 31))
    assert q1.covers(february)
    assert not february.covers(q1)
    assert not q1.covers(straddling)
    assert q1.covers(q1)


def test_period_set_operations_reject_non_periods() -> None:
    with pytest.raises(TypeError):
        Period.month(2026, 1).overlaps(date(2026, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Period.month(2026, 1).intersection("2026-01")  # type: ignore[arg-type]


@given(first=periods(), second=periods())
def test_period_intersection_properties(first: Period, second: Period) -> None:
    common = first.intersection(second)
    assert common == second.intersection(first)
    assert (common is not None) == first.overlaps(second)
    if common is not None:
        assert first.covers(common)
        assert second.covers(common)
        assert common.start in first
        assert common.end in second


# ---------------------------------------------------------------------------------------
# Periods: instants
# ---------------------------------------------------------------------------------------


def test_period_datetime_bounds_across_a_dst_change() -> None:
    # Paris springs forward on 2026-03-29: March 2026 lasts 31 days minus one hour.
    march = Period.month(2026, 3)
    start = march.start_datetime(PARIS)
    end = march.end_datetime_exclusive(PARIS)
    assert start == datetime(2026, 3, 1, 0, 0, tzinfo=PARIS)
    assert start.utcoffset() == timedelta(hours=1)
    assert end == datetime(2026, 4, 1, 0, 0, tzinfo=PARIS)
    assert end.utcoffset() == timedelta(hours=2)
    assert to_utc(start) == datetime(2026, 2, 28, 23, 0, tzinfo=UTC)
    assert to_utc(end) == datetime(2026, 3, 31, 22, 0, tzinfo=UTC)
    assert to_utc(end) - to_utc(start) == timedelta(days=31, hours=-1)
    # The day of the change lasts 23 hours.
    change_day = Period.range(date(2026, 3, 29), date(2026, 3, 29))
    elapsed = to_utc(change_day.end_datetime_exclusive(PARIS)) - to_utc(
        change_day.start_datetime(PARIS)
    )
    assert elapsed == timedelta(hours=23)
    # ...and the autumn one 25 hours.
    autumn_day = Period.range(date(2026, 10, 25), date(2026, 10, 25))
    elapsed = to_utc(autumn_day.end_datetime_exclusive(PARIS)) - to_utc(
        autumn_day.start_datetime(PARIS)
    )
    assert elapsed == timedelta(hours=25)


def test_period_datetime_bounds_when_midnight_is_skipped() -> None:
    # São Paulo's clocks went from 00:00 to 01:00 on 2018-11-04: the day began at 01:00.
    day = Period.range(date(2018, 11, 4), date(2018, 11, 4))
    start = day.start_datetime(SAO_PAULO)
    assert (start.hour, start.utcoffset()) == (1, timedelta(hours=-2))
    assert to_utc(start) == datetime(2018, 11, 4, 3, 0, tzinfo=UTC)
    assert to_utc(day.end_datetime_exclusive(SAO_PAULO)) - to_utc(start) == timedelta(hours=23)
    assert day.end_datetime_exclusive(SAO_PAULO) == day.next().start_datetime(SAO_PAULO)


@pytest.mark.parametrize("zone", [UTC, PARIS, SAO_PAULO, timezone(timedelta(hours=5, minutes=30))])
def test_period_datetime_bounds_are_contiguous(zone: tzinfo) -> None:
    for month in Period.year(2026).months():
        assert month.end_datetime_exclusive(zone) == month.next().start_datetime(zone)
        assert month.start_datetime(zone).utcoffset() is not None


def test_period_contains_instant() -> None:
    january = Period.month(2026, 1)
    # 2025-12-31 23:30 UTC is already 1 January in Paris, still 31 December in São Paulo.
    moment = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)
    assert january.contains_instant(moment, PARIS)
    assert not january.contains_instant(moment, SAO_PAULO)
    assert not january.contains_instant(datetime(2026, 2, 1, 0, 0, tzinfo=PARIS), PARIS)
    assert january.contains_instant(datetime(2026, 1, 31, 23, 59, 59, tzinfo=PARIS), PARIS)
    assert january.contains_instant(datetime(2026, 1, 1, 0, 0, tzinfo=PARIS), PARIS)
    last_day = Period.range(date(9999, 12, 31), date(9999, 12, 31))
    assert last_day.contains_instant(datetime(9999, 12, 31, 12, 0, tzinfo=UTC), UTC)


def test_period_contains_instant_rejects_naive() -> None:
    with pytest.raises(NaiveDatetime):
        Period.month(2026, 1).contains_instant(NAIVE, PARIS)


def test_period_datetime_bounds_reject_non_zones() -> None:
    with pytest.raises(TypeError):
        Period.month(2026, 1).start_datetime("Europe/Paris")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------
# Pydantic
# ---------------------------------------------------------------------------------------


def test_period_as_a_pydantic_field() -> None:
    import pydantic

    class Report(pydantic.BaseModel):
        period: Period

    report = Report.model_validate({"period": "2026-Q1"})
    assert report.period == Period.quarter(2026, 1)
    assert Report(period=Period.month(2026, 1)).period == Period.month(2026, 1)
    assert report.model_dump() == {"period": Period.quarter(2026, 1)}
    assert report.model_dump_json() == '{"period":"2026-Q1"}'
    assert Report.model_json_schema()["properties"]["period"]["type"] == "string"
    for bad in ["2026-13", 2026]:
        with pytest.raises(pydantic.ValidationError) as info:
            Report.model_validate({"period": bad})
        assert info.value.errors()[0]["type"] == "time.invalid_period"
