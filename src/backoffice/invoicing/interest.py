"""Late-payment interest, and the French legal defaults with their sources.

**Day count: actual/365 (fixed).** Interest is ``amount × annual rate × days / 365``,
where ``days`` is the number of calendar days from the due date (excluded) to the
payment date (included) -- an invoice due on 31 January 2026 and paid on 2 March 2026
is 30 days late -- and the denominator is 365 in leap years too. French law states the
late-payment rate as an annual rate (Code de commerce, article L441-10, II) and names
no day count; actual/365 is the plain reading of "a yearly rate, for the days of
delay", and a fixed denominator makes the same delay cost the same every year. The
result is computed exactly and rounded **once**, with the rounding the caller names.

The French defaults are :class:`LegalParameter` values: each carries its value, the
text it comes from and the dates it is valid between, and refuses to be read for a day
outside them (:meth:`LegalParameter.value_on`).

* :data:`FRENCH_LATE_INTEREST_MARGIN`: unless the contract says otherwise, the rate is
  the ECB's main refinancing rate **plus 10 percentage points**. The ECB rate is the
  one in force on 1 January for the first half-year and on 1 July for the second
  (L441-10, II); the caller supplies it (:func:`french_late_interest_rate`,
  :func:`french_late_interest`), nothing is downloaded.
* :data:`FRENCH_RECOVERY_INDEMNITY`: a fixed indemnity of **40 EUR** for recovery
  costs, owed by a late payer on top of the interest (L441-10, II; article D441-5).

>>> from datetime import date
>>> from backoffice.core.money import Money, Rate
>>> from backoffice.core.rounding import RoundingMode
>>> late_interest(Money("1000.00", "EUR"), date(2026, 1, 31), date(2026, 3, 2),
...               Rate.percent("12.15"), rounding=RoundingMode.HALF_UP)
Money('9.99', 'EUR')
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from typing import Final, Generic, TypeVar

import attrs

from backoffice.core.money import Money, Rate
from backoffice.core.rounding import RoundingArg
from backoffice.errors import InvalidType, InvalidValue
from backoffice.invoicing.model import _money
from backoffice.invoicing.terms import _day, _policy, _rate

__all__ = [
    "ECB_MAIN_REFINANCING_RATES",
    "FRENCH_LATE_INTEREST_MARGIN",
    "FRENCH_RECOVERY_INDEMNITY",
    "LegalParameter",
    "days_late",
    "french_late_interest",
    "french_late_interest_rate",
    "half_year_start",
    "late_interest",
]

DAYS_IN_YEAR: Final = 365
"""The denominator of the actual/365 (fixed) day count."""

T = TypeVar("T")


@attrs.frozen(slots=True)
class LegalParameter(Generic[T]):
    """A value set by a legal text, with its source and the days it is valid on.

    ``valid_from`` and ``valid_until`` are both included; ``valid_until`` is ``None``
    while the text is in force as far as this library knows.
    """

    name: str
    """What the value is."""
    value: T
    """The value itself."""
    source: str
    """The legal text the value comes from."""
    valid_from: date
    """The first day the value applies."""
    valid_until: date | None = None
    """The last day the value applies, ``None`` if still in force."""

    def value_on(self, day: date) -> T:
        """The value, for a day it is valid on.

        Raises:
            InvalidValue: ``day`` is before :attr:`valid_from` or after
                :attr:`valid_until`.
            InvalidType: ``day`` is a datetime or not a date.
        """
        checked = _day(day, "day")
        if checked < self.valid_from or (
            self.valid_until is not None and checked > self.valid_until
        ):
            until = "today" if self.valid_until is None else self.valid_until.isoformat()
            raise InvalidValue(
                field="day",
                reason=f"{self.name} ({self.source}) applies from "
                f"{self.valid_from.isoformat()} to {until}, not on {checked.isoformat()}",
            )
        return self.value


FRENCH_LATE_INTEREST_MARGIN: Final = LegalParameter(
    name="French late-payment interest margin over the ECB main refinancing rate",
    value=Rate.percent("10"),
    source="Code de commerce, article L441-10, II (ordonnance n° 2019-359 du 24 avril 2019)",
    # The day article L441-10 came into force; the same margin applied before under
    # article L441-6, which this parameter does not cover.
    valid_from=date(2019, 4, 26),
)
"""10 percentage points added to the ECB main refinancing rate of the half-year."""

FRENCH_RECOVERY_INDEMNITY: Final = LegalParameter(
    name="French fixed indemnity for recovery costs",
    value=Money("40.00", "EUR"),
    source="Code de commerce, article D441-5 (décret n° 2012-1115 du 2 octobre 2012)",
    # The decree applies to debts from 1 January 2013.
    valid_from=date(2013, 1, 1),
)
"""40 EUR owed by a business paying late, per invoice, on top of the interest."""

# The ECB's main refinancing operations rate (fixed rate tenders) in force on
# 1 January and 1 July, as published by the European Central Bank ("Key ECB interest
# rates", https://www.ecb.europa.eu/stats/policy_and_exchange_rates/key_ecb_interest_rates/)
# and in the Official Journal of the European Union, C series ("Interest rate applied
# by the European Central Bank to its main refinancing operations"). Only half-years
# stated with certainty are listed; pass any other rate yourself.
ECB_MAIN_REFINANCING_RATES: Final[Mapping[date, Rate]] = {
    date(2023, 1, 1): Rate.percent("2.50"),  # since 21 December 2022
    date(2023, 7, 1): Rate.percent("4.00"),  # since 21 June 2023
    date(2024, 1, 1): Rate.percent("4.50"),  # since 20 September 2023
    date(2024, 7, 1): Rate.percent("4.25"),  # since 12 June 2024
    date(2025, 1, 1): Rate.percent("3.15"),  # since 18 December 2024
    date(2025, 7, 1): Rate.percent("2.15"),  # since 11 June 2025
}
"""ECB main refinancing rates by the first day of the half-year they apply to."""


def half_year_start(day: date) -> date:
    """1 January or 1 July: the first day of ``day``'s half-year, the day whose ECB rate
    applies to it under article L441-10, II.

    >>> half_year_start(date(2026, 9, 30))
    datetime.date(2026, 7, 1)
    """
    checked = _day(day, "day")
    return date(checked.year, 1 if checked.month <= 6 else 7, 1)


def days_late(due: date, paid: date) -> int:
    """The days of delay: from ``due`` (excluded) to ``paid`` (included); 0 when paid on
    or before the due date."""
    return max(0, (_day(paid, "paid") - _day(due, "due")).days)


def late_interest(
    amount: Money, due: date, paid: date, rate: Rate, *, rounding: RoundingArg
) -> Money:
    """Simple interest on ``amount`` at the annual ``rate`` for the days of delay,
    actual/365, rounded once with ``rounding``; zero when paid on time.

    Raises:
        InvalidType: a date is a datetime or not a date; ``amount`` is not a Money;
            ``rate`` is not a :class:`~backoffice.core.money.Rate` (a ``float`` raises
            :class:`~backoffice.errors.FloatNotAllowed`).
        InvalidValue: ``amount`` is negative.
    """
    money = _owed(amount)
    checked_rate = _rate(rate, "rate")
    policy = _policy(rounding, "rounding")
    days = days_late(due, paid)
    factor = Fraction(checked_rate.ratio) * days / DAYS_IN_YEAR
    return money.multiply(factor, rounding=policy)


def french_late_interest_rate(ecb_rate: Rate, *, on: date) -> Rate:
    """The French default late-payment rate for day ``on``: ``ecb_rate`` (the ECB main
    refinancing rate in force on :func:`half_year_start` of ``on``) plus
    :data:`FRENCH_LATE_INTEREST_MARGIN`.

    >>> french_late_interest_rate(Rate.percent("2.15"), on=date(2025, 9, 1))
    Rate.percent('12.15')
    """
    margin = FRENCH_LATE_INTEREST_MARGIN.value_on(on)
    return Rate(_rate(ecb_rate, "ecb_rate").ratio + margin.ratio, maximum_percent=None)


def french_late_interest(
    amount: Money,
    due: date,
    paid: date,
    ecb_rates: Mapping[date, Rate],
    *,
    rounding: RoundingArg,
) -> Money:
    """Late-payment interest at the French default rate, actual/365, rounded once.

    Each day of delay bears the rate of the half-year it falls in: the ECB rate of that
    half-year (``ecb_rates[half_year_start(day)]``, keyed by 1 January or 1 July, such
    as :data:`ECB_MAIN_REFINANCING_RATES`) plus 10 points. A delay inside one half-year
    is :func:`late_interest` at that rate.

    Raises:
        InvalidValue: ``ecb_rates`` has no rate for a half-year of the delay, or the
            margin is not valid on a day of the delay; ``amount`` is negative.
        InvalidType: as :func:`late_interest`.
    """
    money = _owed(amount)
    policy = _policy(rounding, "rounding")
    if not isinstance(ecb_rates, Mapping):
        raise InvalidType(
            field="ecb_rates", expected="a mapping of half-year start to Rate", got=repr(ecb_rates)
        )
    start, end = _day(due, "due"), _day(paid, "paid")
    factor = Fraction(0)
    while start < end:  # the days start+1 .. end
        first_day = date.fromordinal(start.toordinal() + 1)
        half_year = half_year_start(first_day)
        next_half = (
            date(half_year.year + 1, 1, 1) if half_year.month == 7 else date(half_year.year, 7, 1)
        )
        last_day = min(end, date.fromordinal(next_half.toordinal() - 1))
        if half_year not in ecb_rates:
            raise InvalidValue(
                field="ecb_rates",
                reason=f"no ECB main refinancing rate for the half-year starting "
                f"{half_year.isoformat()}",
            )
        rate = french_late_interest_rate(ecb_rates[half_year], on=first_day)
        french_late_interest_rate(ecb_rates[half_year], on=last_day)  # margin valid to the end
        factor += Fraction(rate.ratio) * (last_day - start).days / DAYS_IN_YEAR
        start = last_day
    return money.multiply(factor, rounding=policy)


def _owed(amount: object) -> Money:
    money = _money(amount, "amount")
    if money.is_negative():
        raise InvalidValue(field="amount", reason=f"must not be negative, got {money}")
    return money
