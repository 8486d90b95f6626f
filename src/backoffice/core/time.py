"""Time: aware datetimes, injectable clocks, accounting periods and calendar arithmetic.

The model in four rules:

1. An *instant* is an aware :class:`~datetime.datetime`. A naive one (no ``tzinfo``, or
   a ``tzinfo`` whose ``utcoffset()`` is ``None``) raises
   :class:`~backoffice.errors.NaiveDatetime` wherever an instant is expected
   (:func:`ensure_aware`, :func:`to_utc`, :class:`FixedClock`, :class:`ManualClock`...).
2. Nothing here reads the system time except :class:`SystemClock`. Code that needs
   "now" takes a :class:`Clock` and calls ``clock.now()``; tests and simulations pass a
   :class:`FixedClock` or a :class:`ManualClock`. The local date is
   ``today(clock, zone)``: the zone is part of the question.
3. A *calendar day* is a :class:`~datetime.date`. A ``datetime`` is a subclass of
   ``date``, so it would silently pass where a day is due: it raises ``TypeError``
   instead (convert it explicitly with ``value.astimezone(zone).date()``).
4. A :class:`Period` is a range of calendar days with **both bounds included**, the way
   accounting periods are stated (1–31 January). To select instants in a period, use
   the half-open range ``[period.start_datetime(zone), period.end_datetime_exclusive(zone))``
   or :meth:`Period.contains_instant`.

Counts of days and months must be ``int``: a ``float`` or a ``bool`` raises
``TypeError``. ``UTC`` is re-exported from :mod:`datetime` (``timezone.utc``).
"""

from __future__ import annotations

import calendar
import operator
import re
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, Final, Literal, Protocol, runtime_checkable

import attrs

from backoffice.errors import InvalidPeriod, InvalidType, InvalidValue, NaiveDatetime

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import CoreSchema

__all__ = [
    "UTC",
    "Clock",
    "FixedClock",
    "ManualClock",
    "Period",
    "PeriodKind",
    "SystemClock",
    "add_days",
    "add_months",
    "days_then_end_of_month",
    "end_of_month",
    "end_of_month_then_days",
    "ensure_aware",
    "ensure_date",
    "start_of_month",
    "to_utc",
    "today",
]

# ---------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------


def ensure_aware(value: datetime, field: str = "value") -> datetime:
    """Return ``value`` if it is an aware datetime.

    Args:
        value: the datetime to check.
        field: the name of the checked value, shown in the error.

    Raises:
        NaiveDatetime: ``value`` has no ``tzinfo``, or its ``tzinfo`` gives no offset
            (a ``ValueError``).
        TypeError: ``value`` is not a datetime (a plain ``date`` included).
    """
    if not isinstance(value, datetime):
        raise InvalidType(
            f"{field} must be an aware datetime, got {type(value).__name__} {value!r}"
        )
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetime(field=field, value=value)
    return value


def to_utc(value: datetime, field: str = "value") -> datetime:
    """The same instant as ``value``, expressed in UTC.

    Raises:
        NaiveDatetime: ``value`` is naive (it is not guessed to be UTC nor local time).
        TypeError: ``value`` is not a datetime.
    """
    return ensure_aware(value, field).astimezone(UTC)


def ensure_date(value: date, field: str = "value") -> date:
    """Return ``value`` if it is a calendar day: a ``date`` that is not a ``datetime``.

    Raises:
        TypeError: ``value`` is a ``datetime`` (which day it falls on depends on a zone:
            convert it with ``value.astimezone(zone).date()``) or not a date at all.
    """
    if isinstance(value, datetime):
        raise InvalidType(
            f"{field} must be a date, got the datetime {value!r}; convert it explicitly, "
            "e.g. value.astimezone(zone).date()"
        )
    if not isinstance(value, date):
        raise InvalidType(f"{field} must be a date, got {type(value).__name__} {value!r}")
    return value


def _ensure_int(value: int, field: str) -> int:
    """``value`` as an ``int``; floats, bools, decimals and strings raise ``TypeError``."""
    if isinstance(value, bool):
        raise InvalidType(f"{field} must be an int, got the bool {value!r}")
    try:
        return operator.index(value)
    except TypeError:
        raise InvalidType(f"{field} must be an int, got {type(value).__name__} {value!r}") from None


def _ensure_tzinfo(value: tzinfo, field: str) -> tzinfo:
    if not isinstance(value, tzinfo):
        raise InvalidType(
            f"{field} must be a tzinfo (datetime.timezone.utc, zoneinfo.ZoneInfo(...)), "
            f"got {type(value).__name__} {value!r}"
        )
    return value


# ---------------------------------------------------------------------------------------
# Clocks
# ---------------------------------------------------------------------------------------


@runtime_checkable
class Clock(Protocol):
    """Where "now" comes from. Inject one instead of calling ``datetime.now()``.

    Implementations: :class:`SystemClock` (real time), :class:`FixedClock` (a frozen
    instant), :class:`ManualClock` (moved by hand, for tests and simulations). Any object
    with a ``now()`` method returning an aware datetime is a clock.
    """

    def now(self) -> datetime:
        """The current instant, always time-zone aware."""
        ...


@attrs.frozen(slots=True)
class SystemClock:
    """The real time, as an aware datetime in ``tz`` (UTC by default).

    The zone only changes how the instant is expressed, never which instant it is.
    """

    tz: tzinfo = attrs.field(
        default=UTC, validator=lambda _, __, value: _ensure_tzinfo(value, "tz")
    )

    def now(self) -> datetime:
        """The current instant in :attr:`tz`."""
        return ensure_aware(datetime.now(self.tz), "SystemClock.now()")


@attrs.frozen(slots=True)
class FixedClock:
    """A clock stopped at ``at``: ``now()`` always returns it. Immutable.

    Raises:
        NaiveDatetime: ``at`` is naive.
    """

    at: datetime = attrs.field(validator=lambda _, __, value: ensure_aware(value, "at"))

    def now(self) -> datetime:
        """The fixed instant."""
        return self.at


class ManualClock:
    """A clock that moves only when told to: for tests and simulations. Thread-safe.

    :meth:`advance` moves forward by an *elapsed* duration: across a daylight-saving
    change, ``advance(timedelta(hours=1))`` is one real hour, whatever the wall clock
    shows. It refuses to go backwards; :meth:`set` moves to any instant, backwards
    included (to simulate a clock correction).

    Raises:
        NaiveDatetime: ``start`` is naive.
    """

    __slots__ = ("_lock", "_now")

    def __init__(self, start: datetime) -> None:
        self._now = ensure_aware(start, "start")
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """The clock's current instant, in the zone of the last :meth:`set` (or start)."""
        with self._lock:
            return self._now

    def advance(self, delta: timedelta) -> datetime:
        """Move forward by ``delta`` of elapsed time and return the new instant.

        Raises:
            ValueError: ``delta`` is negative (use :meth:`set` to go back on purpose).
            TypeError: ``delta`` is not a ``timedelta``.
        """
        if not isinstance(delta, timedelta):
            raise InvalidType(f"delta must be a timedelta, got {type(delta).__name__} {delta!r}")
        if delta < timedelta(0):
            raise InvalidValue(
                f"a ManualClock does not go backwards (delta {delta}); call set() to move "
                "to an earlier instant on purpose"
            )
        with self._lock:
            zone = self._now.tzinfo
            self._now = (self._now.astimezone(UTC) + delta).astimezone(zone)
            return self._now

    def set(self, at: datetime) -> None:
        """Move to ``at`` (earlier or later).

        Raises:
            NaiveDatetime: ``at`` is naive.
        """
        aware = ensure_aware(at, "at")
        with self._lock:
            self._now = aware

    def __repr__(self) -> str:
        return f"ManualClock({self.now()!r})"


def today(clock: Clock, tz: tzinfo | None = None) -> date:
    """The calendar day it is now on ``clock``, in zone ``tz``.

    Without ``tz``, the day in the zone of ``clock.now()``. The same instant can be two
    different days in Paris and in São Paulo: pass the zone whose calendar matters (the
    company's, the warehouse's).

    Raises:
        NaiveDatetime: the clock returned a naive datetime.
    """
    now = ensure_aware(clock.now(), "clock.now()")
    if tz is None:
        return now.date()
    return now.astimezone(_ensure_tzinfo(tz, "tz")).date()


# ---------------------------------------------------------------------------------------
# Calendar arithmetic
# ---------------------------------------------------------------------------------------


def add_days(d: date, n: int) -> date:
    """``d`` plus ``n`` calendar days (``n`` may be negative).

    >>> add_days(date(2026, 2, 27), 2)
    datetime.date(2026, 3, 1)

    Raises:
        TypeError: ``d`` is a datetime or not a date; ``n`` is not an int.
        OverflowError: the result is outside years 1 to 9999.
    """
    return ensure_date(d, "d") + timedelta(days=_ensure_int(n, "n"))


def add_months(d: date, n: int) -> date:
    """``d`` plus ``n`` calendar months (``n`` may be negative).

    The day of the month is kept when the target month has it, otherwise clamped to that
    month's last day: 31 January + 1 month is 28 February (29 in a leap year). Clamping
    does not carry over: 31 January + 1 month + 1 month is 28 March, while 31 January +
    2 months is 31 March.

    >>> add_months(date(2026, 1, 31), 1)
    datetime.date(2026, 2, 28)
    >>> add_months(date(2028, 1, 31), 1)
    datetime.date(2028, 2, 29)

    Raises:
        TypeError: ``d`` is a datetime or not a date; ``n`` is not an int.
        OverflowError: the result is outside years 1 to 9999.
    """
    d = ensure_date(d, "d")
    index = d.year * 12 + (d.month - 1) + _ensure_int(n, "n")
    year, month0 = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise OverflowError(f"date value out of range: {d} + {n} month(s)")
    month = month0 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def start_of_month(d: date) -> date:
    """The first day of ``d``'s month."""
    return ensure_date(d, "d").replace(day=1)


def end_of_month(d: date) -> date:
    """The last day of ``d``'s month (28 to 31; 29 February in leap years)."""
    d = ensure_date(d, "d")
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def days_then_end_of_month(d: date, n: int) -> date:
    """Add ``n`` days to ``d``, then go to the end of that month.

    One of the two readings of a French "N jours fin de mois" payment term (Code de
    commerce, article L441-10: at most 45 days end of month, or 60 days from the
    invoice date). This is the reading the DGCCRF usually gives.

    Worked example -- invoice of 15 January 2026, "45 days end of month":
    15 January + 45 days = 1 March 2026; the end of March is **31 March 2026**.

    >>> days_then_end_of_month(date(2026, 1, 15), 45)
    datetime.date(2026, 3, 31)

    Compare :func:`end_of_month_then_days`, which gives 17 March 2026 for the same
    invoice. Which one applies is a matter of contract: name it in the payment terms.

    Raises:
        TypeError: ``d`` is a datetime or not a date; ``n`` is not an int.
    """
    return end_of_month(add_days(d, n))


def end_of_month_then_days(d: date, n: int) -> date:
    """Go to the end of ``d``'s month, then add ``n`` days.

    The other reading of a French "N jours fin de mois" payment term (Code de commerce,
    article L441-10), also found in practice.

    Worked example -- invoice of 15 January 2026, "45 days end of month":
    the end of January is 31 January 2026; + 45 days = **17 March 2026**.

    >>> end_of_month_then_days(date(2026, 1, 15), 45)
    datetime.date(2026, 3, 17)

    Compare :func:`days_then_end_of_month`, which gives 31 March 2026 for the same
    invoice.

    Raises:
        TypeError: ``d`` is a datetime or not a date; ``n`` is not an int.
    """
    return add_days(end_of_month(d), n)


# ---------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------

PeriodKind = Literal["month", "quarter", "year", "range"]

_MONTH_RE: Final = re.compile(r"(\d{4})-(\d{2})")
_QUARTER_RE: Final = re.compile(r"(\d{4})-[Qq](\d)")
_YEAR_RE: Final = re.compile(r"(\d{4})")
_RANGE_RE: Final = re.compile(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})")


def _check_day(instance: Period, attribute: attrs.Attribute[date], value: date) -> None:
    ensure_date(value, attribute.name)


def _check_year(year: int) -> int:
    year = _ensure_int(year, "year")
    if not 1 <= year <= 9999:
        raise InvalidPeriod(reason=f"year {year} is outside 1 to 9999")
    return year


def _check_month(month: int, field: str = "month") -> int:
    month = _ensure_int(month, field)
    if not 1 <= month <= 12:
        raise InvalidPeriod(reason=f"{field} {month} is outside 1 to 12")
    return month


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def _midnight(d: date, tz: tzinfo) -> datetime:
    """The first instant of day ``d`` in ``tz``, as a real wall time of that zone.

    ``fold=0`` picks the offset in force before a transition: for a midnight skipped by a
    daylight-saving change (São Paulo before 2019) that is the transition instant itself,
    which the round trip through UTC shows as 01:00; for a repeated midnight it is the
    first occurrence.
    """
    naive_midnight = datetime.combine(d, time(0))
    return naive_midnight.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)


@attrs.frozen(slots=True, order=True)
class Period:
    """A range of calendar days, **both bounds included**: ``start`` to ``end``.

    Build one with :meth:`month`, :meth:`quarter`, :meth:`year`, :meth:`fiscal_year`,
    :meth:`range`, :meth:`of_month`, :meth:`of_quarter`, :meth:`of_year` or
    :meth:`parse`. A period is known by its bounds only: ``Period.month(2026, 1)`` equals
    ``Period.range(date(2026, 1, 1), date(2026, 1, 31))``. Periods are immutable,
    hashable, and ordered by ``(start, end)``.

    Text form (``str(period)``, read back by :meth:`parse`): ``"2026-01"`` for a calendar
    month, ``"2026-Q1"`` for a calendar quarter, ``"2026"`` for a calendar year,
    ``"2026-01-15..2026-02-14"`` for anything else.

    Raises:
        TypeError: a bound is a datetime or not a date.
        InvalidPeriod: ``end`` is before ``start``.
    """

    start: date = attrs.field(validator=_check_day)
    end: date = attrs.field(validator=_check_day)

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidPeriod(reason=f"the end {self.end} is before the start {self.start}")

    # -- constructors -----------------------------------------------------------------

    @classmethod
    def range(cls, start: date, end: date) -> Period:
        """The days from ``start`` to ``end``, both included."""
        return cls(start, end)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """The calendar month: ``Period.month(2028, 2)`` is 2028-02-01..2028-02-29."""
        first = date(_check_year(year), _check_month(month), 1)
        return cls(first, end_of_month(first))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        """The calendar quarter ``quarter`` (1 to 4): Q2 is 1 April to 30 June."""
        quarter = _ensure_int(quarter, "quarter")
        if not 1 <= quarter <= 4:
            raise InvalidPeriod(reason=f"quarter {quarter} is outside 1 to 4")
        first = date(_check_year(year), 3 * quarter - 2, 1)
        return cls(first, end_of_month(add_months(first, 2)))

    @classmethod
    def year(cls, year: int) -> Period:
        """The calendar year: 1 January to 31 December."""
        year = _check_year(year)
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def fiscal_year(cls, year: int, start_month: int) -> Period:
        """Twelve months starting on the 1st of ``start_month`` of ``year``.

        ``Period.fiscal_year(2026, 7)`` is 2026-07-01..2027-06-30. ``year`` is the year
        the fiscal year *starts* in (conventions that name a fiscal year after the year
        it ends in must subtract one). With ``start_month=1`` it is the calendar year.
        """
        first = date(_check_year(year), _check_month(start_month, "start_month"), 1)
        return cls(first, add_days(add_months(first, 12), -1))

    @classmethod
    def of_month(cls, d: date) -> Period:
        """The calendar month that contains day ``d``."""
        d = ensure_date(d, "d")
        return cls.month(d.year, d.month)

    @classmethod
    def of_quarter(cls, d: date) -> Period:
        """The calendar quarter that contains day ``d``."""
        d = ensure_date(d, "d")
        return cls.quarter(d.year, (d.month - 1) // 3 + 1)

    @classmethod
    def of_year(cls, d: date) -> Period:
        """The calendar year that contains day ``d``."""
        return cls.year(ensure_date(d, "d").year)

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read a period from its text form.

        Accepted: ``"2026-01"`` (month), ``"2026-Q1"`` (quarter, ``q`` accepted),
        ``"2026"`` (year), ``"2026-01-01..2026-03-31"`` (any range, both ends included,
        ISO dates). Surrounding spaces are ignored.

        Raises:
            InvalidPeriod: the text is none of these, or names an impossible period.
            TypeError: ``text`` is not a string.
        """
        if not isinstance(text, str):
            raise InvalidType(f"text must be a str, got {type(text).__name__} {text!r}")
        stripped = text.strip()
        if match := _MONTH_RE.fullmatch(stripped):
            return cls.month(int(match[1]), int(match[2]))
        if match := _QUARTER_RE.fullmatch(stripped):
            return cls.quarter(int(match[1]), int(match[2]))
        if match := _YEAR_RE.fullmatch(stripped):
            return cls.year(int(match[1]))
        if match := _RANGE_RE.fullmatch(stripped):
            try:
                start, end = date.fromisoformat(match[1]), date.fromisoformat(match[2])
            except ValueError as exc:
                raise InvalidPeriod(reason=f"{text!r}: {exc}") from None
            return cls(start, end)
        raise InvalidPeriod(
            reason=(
                f"cannot read {text!r} as a period; use '2026-01', '2026-Q1', '2026' or "
                "'2026-01-01..2026-03-31'"
            )
        )

    # -- shape ------------------------------------------------------------------------

    def _whole_months(self) -> int | None:
        """The number of calendar months if the period is made of whole months."""
        if self.start.day != 1 or self.end != end_of_month(self.end):
            return None
        return _month_index(self.end) - _month_index(self.start) + 1

    @property
    def kind(self) -> PeriodKind:
        """``"month"``, ``"quarter"`` or ``"year"`` for a calendar month, quarter or year
        (whatever constructor built it), otherwise ``"range"``.

        A fiscal year that does not start in January is a ``"range"``.
        """
        months = self._whole_months()
        if months == 1:
            return "month"
        if months == 3 and self.start.month % 3 == 1:
            return "quarter"
        if months == 12 and self.start.month == 1:
            return "year"
        return "range"

    @property
    def days(self) -> int:
        """The number of days, both bounds included (a one-day period has 1)."""
        return (self.end - self.start).days + 1

    def __str__(self) -> str:
        kind = self.kind
        if kind == "month":
            return f"{self.start.year:04d}-{self.start.month:02d}"
        if kind == "quarter":
            return f"{self.start.year:04d}-Q{(self.start.month - 1) // 3 + 1}"
        if kind == "year":
            return f"{self.start.year:04d}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    # -- days -------------------------------------------------------------------------

    def __contains__(self, day: object) -> bool:
        """Whether calendar day ``day`` is in the period (bounds included).

        Raises:
            TypeError: ``day`` is a datetime (use :meth:`contains_instant` with a zone)
                or not a date.
        """
        if isinstance(day, datetime):
            raise InvalidType(
                f"a Period holds days, not instants: got the datetime {day!r}; use "
                "period.contains_instant(value, zone) or test value.astimezone(zone).date()"
            )
        if not isinstance(day, date):
            raise InvalidType(f"a Period holds dates, got {type(day).__name__} {day!r}")
        return self.start <= day <= self.end

    def iter_days(self) -> Iterator[date]:
        """Every day of the period, in order, both bounds included."""
        for offset in range(self.days):
            yield self.start + timedelta(days=offset)

    def months(self, *, clip: bool = False) -> tuple[Period, ...]:
        """The calendar months the period overlaps, in order.

        By default each item is the *whole* calendar month (``str`` gives ``"2026-01"``),
        even when the period covers only part of it. With ``clip=True`` the first and
        last items are cut to the period (their intersection with it), which is what a
        pro-rata needs.
        """
        first = _month_index(self.start)
        result: list[Period] = []
        for index in range(first, _month_index(self.end) + 1):
            year, month0 = divmod(index, 12)
            month = Period.month(year, month0 + 1)
            if clip:
                clipped = month.intersection(self)
                assert clipped is not None  # every month in the loop overlaps self
                month = clipped
            result.append(month)
        return tuple(result)

    # -- neighbours -------------------------------------------------------------------

    def next(self) -> Period:
        """The period of the same kind and length right after this one.

        A period of whole calendar months moves by its number of months (the month
        after a month, the quarter after a quarter, the year after a year, the fiscal
        year after a fiscal year); any other moves by its number of days.

        The kind is read from the bounds, as everywhere: the days after an arbitrary
        range may happen to be whole months (the 28 days after 2026-01-04..2026-01-31
        are February 2026), and moving back from *them* then goes by months. So
        ``p.next().previous() == p`` always holds when ``p`` is made of whole months,
        and for other ranges as long as ``p.next()`` is not.

        Raises:
            OverflowError: the result would end after 9999-12-31.
        """
        months = self._whole_months()
        if months is not None:
            start = add_months(self.start, months)
            return Period(start, end_of_month(add_months(start, months - 1)))
        return Period(add_days(self.end, 1), add_days(self.end, self.days))

    def previous(self) -> Period:
        """The period of the same kind and length right before this one (see :meth:`next`).

        Raises:
            OverflowError: the result would start before 0001-01-01.
        """
        months = self._whole_months()
        if months is not None:
            return Period(add_months(self.start, -months), add_days(self.start, -1))
        return Period(add_days(self.start, -self.days), add_days(self.start, -1))

    # -- set operations ---------------------------------------------------------------

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods share at least one day."""
        other = _ensure_period(other)
        return self.start <= other.end and other.start <= self.end

    def intersection(self, other: Period) -> Period | None:
        """The days the two periods share, or ``None`` if they share none."""
        other = _ensure_period(other)
        start, end = max(self.start, other.start), min(self.end, other.end)
        return Period(start, end) if start <= end else None

    def covers(self, other: Period) -> bool:
        """Whether every day of ``other`` is in this period."""
        other = _ensure_period(other)
        return self.start <= other.start and other.end <= self.end

    # -- instants ---------------------------------------------------------------------

    def start_datetime(self, tz: tzinfo) -> datetime:
        """The first instant of the period in zone ``tz``: ``start`` at 00:00.

        Together with :meth:`end_datetime_exclusive` it gives the half-open instant
        range ``[start_datetime, end_datetime_exclusive)`` of the period in that zone.
        If a daylight-saving change skips midnight, this is the first instant of the
        day as the zone shows it (01:00).
        """
        return _midnight(self.start, _ensure_tzinfo(tz, "tz"))

    def end_datetime_exclusive(self, tz: tzinfo) -> datetime:
        """The first instant *after* the period in zone ``tz``: the day after ``end``
        at 00:00. Select instants with ``start_datetime(tz) <= t < end_datetime_exclusive(tz)``.

        Raises:
            OverflowError: ``end`` is 9999-12-31.
        """
        return _midnight(add_days(self.end, 1), _ensure_tzinfo(tz, "tz"))

    def contains_instant(self, moment: datetime, tz: tzinfo) -> bool:
        """Whether the aware instant ``moment`` falls in the period's days in zone ``tz``.

        Compared as instants (in UTC), so it is right whatever zone ``moment`` is in.

        Raises:
            NaiveDatetime: ``moment`` is naive.
        """
        instant = to_utc(moment, "moment")
        zone = _ensure_tzinfo(tz, "tz")
        if instant < to_utc(self.start_datetime(zone)):
            return False
        return self.end == date.max or instant < to_utc(self.end_datetime_exclusive(zone))

    # -- pydantic ---------------------------------------------------------------------

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from pydantic_core import core_schema

        from backoffice.core._pydantic import wrap_validator

        return core_schema.no_info_plain_validator_function(
            wrap_validator(_period_from_input),
            serialization=core_schema.plain_serializer_function_ser_schema(str, when_used="json"),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "type": "string",
            "description": "a period: '2026-01', '2026-Q1', '2026' or '2026-01-01..2026-03-31'",
            "examples": ["2026-01", "2026-Q1", "2026", "2026-01-15..2026-02-14"],
        }


def _ensure_period(value: Period) -> Period:
    if not isinstance(value, Period):
        raise InvalidType(f"expected a Period, got {type(value).__name__} {value!r}")
    return value


def _period_from_input(value: object) -> Period:
    if isinstance(value, Period):
        return value
    if isinstance(value, str):
        return Period.parse(value)
    raise InvalidPeriod(
        reason=f"expected a period text such as '2026-01', got {type(value).__name__}"
    )
