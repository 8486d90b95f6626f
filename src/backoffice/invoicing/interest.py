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
* :data:`FRENCH_LATE_INTEREST_FLOOR_MULTIPLE`: the contract may set another rate, but
  not one **below 3 times the French legal interest rate** (L441-10, II); the legal
  rate is set each half-year by arrêté (:data:`FRENCH_LEGAL_INTEREST_RATES`), and
  :func:`french_contractual_late_interest_rate` raises a lower agreed rate to that
  floor.
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
from typing import Final, Generic, TypeVar, overload

import attrs

from backoffice.core._numbers import EXACT
from backoffice.core.money import Money, Rate
from backoffice.core.rounding import RoundingArg
from backoffice.core.time import add_days
from backoffice.errors import InvalidType, InvalidValue
from backoffice.invoicing.model import _money
from backoffice.invoicing.terms import _day, _policy, _rate

__all__ = [
    "ECB_MAIN_REFINANCING_RATES",
    "FRENCH_LATE_INTEREST_FLOOR_MULTIPLE",
    "FRENCH_LATE_INTEREST_MARGIN",
    "FRENCH_LEGAL_INTEREST_RATES",
    "FRENCH_RECOVERY_INDEMNITY",
    "LegalParameter",
    "days_late",
    "french_contractual_late_interest_rate",
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

FRENCH_LATE_INTEREST_FLOOR_MULTIPLE: Final = LegalParameter(
    name="French floor on an agreed late-payment rate, as a multiple of the legal interest rate",
    value=3,
    source="Code de commerce, article L441-10, II (ordonnance n° 2019-359 du 24 avril 2019)",
    # As for the margin: the day article L441-10 came into force; article L441-6 set the
    # same floor before, which this parameter does not cover.
    valid_from=date(2019, 4, 26),
)
"""An agreed late-payment rate may not be below 3 times the legal interest rate of the
half-year (:data:`FRENCH_LEGAL_INTEREST_RATES`)."""

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

# The French legal interest rate ("taux de l'intérêt légal") "pour tous les autres cas":
# for every creditor but a natural person acting outside professional purposes, so the
# rate between businesses. The minister for the economy sets it each half-year by
# arrêté (Code monétaire et financier, articles L313-2 and D313-1-A), published in the
# Journal officiel; it applies from 1 January or 1 July. Only half-years stated with
# certainty are listed; pass any other rate yourself. The half-years before 2023 are
# left out: their arrêtés were not checked one by one.
FRENCH_LEGAL_INTEREST_RATES: Final[Mapping[date, Rate]] = {
    date(2023, 1, 1): Rate.percent("2.06"),  # arrêté du 26 décembre 2022
    date(2023, 7, 1): Rate.percent("4.22"),  # arrêté du 27 juin 2023 (JO du 30 juin)
    date(2024, 1, 1): Rate.percent("5.07"),  # arrêté du 21 décembre 2023
    date(2024, 7, 1): Rate.percent("4.92"),  # arrêté du 26 juin 2024
    date(2025, 1, 1): Rate.percent("3.71"),  # arrêté du 17 décembre 2024 (JO du 19 décembre)
    date(2025, 7, 1): Rate.percent("2.76"),  # arrêté du 19 juin 2025 (JO du 24 juin)
    date(2026, 1, 1): Rate.percent("2.62"),  # arrêté du 15 décembre 2025 (JO du 26 décembre)
}
"""French legal interest rates "pour tous les autres cas" (any creditor but a natural
person acting outside professional purposes), by the first day of the half-year they
apply to."""


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


def french_contractual_late_interest_rate(rate: Rate, legal_rate: Rate, *, on: date) -> Rate:
    """The late-payment rate a French contract sets, for day ``on``: the agreed ``rate``,
    or :data:`FRENCH_LATE_INTEREST_FLOOR_MULTIPLE` (3) times ``legal_rate`` when ``rate``
    is below that floor.

    ``legal_rate`` is the French legal interest rate "pour tous les autres cas" in force
    on ``on``: the one of its half-year, such as
    ``FRENCH_LEGAL_INTEREST_RATES[half_year_start(on)]``.

    **A lower agreed rate is raised to the floor.** Article L441-10, II lets the contract
    set the rate, and says that rate "ne peut être inférieur à trois fois le taux
    d'intérêt légal": it bounds what the parties may agree rather than voiding their
    agreement. The clause is therefore read as unwritten for the part below the floor,
    and the floor applies. It does not fall back to the default of the ECB rate plus 10
    points: that default applies only when the contract sets no rate, and here it does.
    If you hold instead that the whole clause falls, use :func:`french_late_interest`
    without a contractual rate.

    >>> french_contractual_late_interest_rate(
    ...     Rate.percent("5"), Rate.percent("2.76"), on=date(2025, 9, 1))
    Rate.percent('8.28')
    >>> french_contractual_late_interest_rate(
    ...     Rate.percent("9"), Rate.percent("2.76"), on=date(2025, 9, 1))
    Rate.percent('9')

    Raises:
        InvalidValue: the floor is not valid on ``on`` (before 26 April 2019).
        InvalidType: ``on`` is a datetime or not a date; ``rate`` or ``legal_rate`` is
            not a :class:`~backoffice.core.money.Rate` (a ``float`` raises
            :class:`~backoffice.errors.FloatNotAllowed`).
    """
    agreed = _rate(rate, "rate")
    legal = _rate(legal_rate, "legal_rate")
    multiple = FRENCH_LATE_INTEREST_FLOOR_MULTIPLE.value_on(on)
    floor = Rate(EXACT.multiply(legal.ratio, multiple), maximum_percent=None)
    return floor if agreed < floor else agreed


@overload
def french_late_interest(
    amount: Money,
    due: date,
    paid: date,
    ecb_rates: Mapping[date, Rate],
    *,
    rounding: RoundingArg,
) -> Money: ...


@overload
def french_late_interest(
    amount: Money,
    due: date,
    paid: date,
    *,
    rounding: RoundingArg,
    contractual_rate: Rate,
    legal_rates: Mapping[date, Rate],
) -> Money: ...


def french_late_interest(
    amount: Money,
    due: date,
    paid: date,
    ecb_rates: Mapping[date, Rate] | None = None,
    *,
    rounding: RoundingArg,
    contractual_rate: Rate | None = None,
    legal_rates: Mapping[date, Rate] | None = None,
) -> Money:
    """Late-payment interest at the French default rate, or at a rate set by the
    contract, actual/365, rounded once.

    Each day of delay bears the rate of the half-year it falls in (keyed by 1 January
    or 1 July, see :func:`half_year_start`):

    * by default, the ECB rate of that half-year (``ecb_rates[half_year]``, such as
      :data:`ECB_MAIN_REFINANCING_RATES`) plus 10 points;
    * with a ``contractual_rate`` (and then ``legal_rates`` instead of ``ecb_rates``),
      the agreed rate, raised to 3 times the legal interest rate of that half-year
      (``legal_rates[half_year]``, such as :data:`FRENCH_LEGAL_INTEREST_RATES`) when it
      is below: :func:`french_contractual_late_interest_rate`.

    A delay inside one half-year is :func:`late_interest` at that rate.

    Raises:
        InvalidValue: ``ecb_rates`` (or ``legal_rates``) has no rate for a half-year of
            the delay, or the margin (or the floor) is not valid on a day of the delay;
            ``ecb_rates`` is given with a ``contractual_rate``, or ``legal_rates``
            without one; ``amount`` is negative.
        InvalidType: the mapping the mode needs is missing or not a mapping; otherwise
            as :func:`late_interest` (``contractual_rate`` and the rates in the mappings
            must be :class:`~backoffice.core.money.Rate` values, floats are refused).
    """
    money = _owed(amount)
    policy = _policy(rounding, "rounding")
    if contractual_rate is None:
        if legal_rates is not None:
            raise InvalidValue(
                field="legal_rates",
                reason="the legal rates are only used with a contractual_rate",
            )
        field, what = "ecb_rates", "ECB main refinancing rate"
        rates = _rates(ecb_rates, field)

        def rate_on(day: date, half_year_rate: Rate) -> Rate:
            return french_late_interest_rate(half_year_rate, on=day)

    else:
        agreed = _rate(contractual_rate, "contractual_rate")
        if ecb_rates is not None:
            raise InvalidValue(
                field="ecb_rates",
                reason="not used with a contractual_rate, which replaces the ECB rate + 10 "
                "points; pass legal_rates for the floor",
            )
        field, what = "legal_rates", "French legal interest rate"
        rates = _rates(legal_rates, field)

        def rate_on(day: date, half_year_rate: Rate) -> Rate:
            return french_contractual_late_interest_rate(agreed, half_year_rate, on=day)

    start, end = _day(due, "due"), _day(paid, "paid")
    factor = Fraction(0)
    while start < end:  # the days start+1 .. end
        first_day = add_days(start, 1)
        half_year = half_year_start(first_day)
        last_of_half = (
            date(half_year.year, 6, 30) if half_year.month == 1 else date(half_year.year, 12, 31)
        )
        last_day = min(end, last_of_half)
        if half_year not in rates:
            raise InvalidValue(
                field=field,
                reason=f"no {what} for the half-year starting {half_year.isoformat()}",
            )
        rate = rate_on(first_day, rates[half_year])
        rate_on(last_day, rates[half_year])  # the legal parameter is valid to the end
        factor += Fraction(rate.ratio) * (last_day - start).days / DAYS_IN_YEAR
        start = last_day
    return money.multiply(factor, rounding=policy)


def _rates(value: object, field: str) -> Mapping[date, Rate]:
    if not isinstance(value, Mapping):
        raise InvalidType(
            field=field, expected="a mapping of half-year start to Rate", got=repr(value)
        )
    return value


def _owed(amount: object) -> Money:
    money = _money(amount, "amount")
    if money.is_negative():
        raise InvalidValue(field="amount", reason=f"must not be negative, got {money}")
    return money
