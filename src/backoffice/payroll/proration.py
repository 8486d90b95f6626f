"""A monthly salary for part of a month: hire, exit, unpaid leave.

Three methods are in use, and they give different figures, so the method is always
named (:class:`ProrationMethod`):

* ``CALENDAR_DAYS``: salary × days present / days in the month (28 to 31);
* ``WORKING_DAYS``: salary × working days present / working days in the month (Monday
  to Friday, less the holidays given);
* ``THIRTY_DAYS``: the commercial month, salary / 30 × days present, a full month being
  30 days whatever its length (common in Brazil: CLT art. 64 reads the month as 30 days).

The result is rounded once, with the rounding named (half up by default).

>>> from datetime import date
>>> from backoffice import Money
>>> prorate(Money("3000.00", "EUR"), date(2026, 3, 1), date(2026, 3, 31),
...         date(2026, 3, 16), date(2026, 3, 31), ProrationMethod.CALENDAR_DAYS)
Money('1548.39', 'EUR')
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, timedelta
from fractions import Fraction

from backoffice.core.money import Money
from backoffice.core.rounding import RoundingArg, RoundingMode
from backoffice.errors import InvalidType, InvalidValue

__all__ = ["ProrationMethod", "prorate"]


class ProrationMethod(enum.StrEnum):
    """How a month's salary is shared over the days of the month."""

    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"
    THIRTY_DAYS = "thirty_days"


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=offset) for offset in range((end - start).days + 1)]


def _day(value: object, field: str) -> date:
    from backoffice.invoicing.terms import _day as checked

    return checked(value, field)


def _holidays(value: object) -> set[date]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidType(field="holidays", expected="an iterable of dates", got=repr(value))
    return {_day(day, "holidays") for day in value}


def prorate(
    monthly: Money,
    month_start: date,
    month_end: date,
    present_from: date,
    present_until: date,
    method: ProrationMethod | str,
    *,
    holidays: Iterable[date] = (),
    rounding: RoundingArg = RoundingMode.HALF_UP,
) -> Money:
    """The part of ``monthly`` earned from ``present_from`` to ``present_until`` (both
    included) in the month ``month_start`` … ``month_end``.

    Raises:
        InvalidValue: the presence is not within the month, or ends before it starts; an
            unknown method.
        InvalidType: ``monthly`` is not Money, a date is not a date.
    """
    if not isinstance(monthly, Money):
        raise InvalidType(field="monthly", expected="a Money", got=repr(monthly))
    start, end = _day(month_start, "month_start"), _day(month_end, "month_end")
    first, last = _day(present_from, "present_from"), _day(present_until, "present_until")
    if not start <= first <= last <= end:
        raise InvalidValue(
            field="present_from",
            reason=f"the presence {first.isoformat()} … {last.isoformat()} must lie within "
            f"the month {start.isoformat()} … {end.isoformat()}, in order",
        )
    try:
        chosen = ProrationMethod(method)
    except ValueError:
        raise InvalidValue(
            field="method",
            reason=f"unknown method {method!r}: use one of "
            + ", ".join(repr(m.value) for m in ProrationMethod),
        ) from None
    if chosen is ProrationMethod.CALENDAR_DAYS:
        share = Fraction((last - first).days + 1, (end - start).days + 1)
    elif chosen is ProrationMethod.THIRTY_DAYS:
        full = first == start and last == end
        share = Fraction(1) if full else Fraction(min(30, (last - first).days + 1), 30)
    else:
        off = _holidays(holidays)
        working = [day for day in _days(start, end) if day.weekday() < 5 and day not in off]
        if not working:
            raise InvalidValue(field="holidays", reason="the month has no working day left")
        present = [day for day in working if first <= day <= last]
        share = Fraction(len(present), len(working))
    return monthly.multiply(share, rounding=rounding)
