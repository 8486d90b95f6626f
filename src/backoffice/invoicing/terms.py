"""Payment terms: due dates, early-payment discounts, and the French legal caps.

A :class:`PaymentTerms` is a due-date rule and, optionally, an
:class:`EarlyPaymentDiscount`. The rules:

* :class:`Net` -- ``days`` days after the issue date (EN 16931 BT-9 is the resulting
  due date, BT-20 the terms as text);
* :class:`EndOfMonth` -- the last day of the issue month;
* :class:`DaysThenEndOfMonth` -- add ``days``, then go to the end of that month;
* :class:`EndOfMonthThenDays` -- go to the end of the issue month, then add ``days``.

"45 days end of month" is read both ways in practice, and the two readings give
different dates: for an invoice of 15 January 2026, :class:`DaysThenEndOfMonth` gives
31 March 2026 and :class:`EndOfMonthThenDays` gives 17 March 2026. There is no
"end of month" rule without a name here: the contract says which one applies.

Dates are calendar days (:class:`~datetime.date`); a ``datetime`` (aware or naive) is
refused with :class:`~backoffice.errors.InvalidType` naming the field, because which
day an instant falls on depends on a time zone.

>>> from datetime import date
>>> PaymentTerms.days_then_end_of_month(45).due_date(date(2026, 1, 15))
datetime.date(2026, 3, 31)
>>> PaymentTerms.end_of_month_then_days(45).due_date(date(2026, 1, 15))
datetime.date(2026, 3, 17)
"""

from __future__ import annotations

import operator
from datetime import date, datetime
from typing import Final

import attrs

from backoffice.core.money import Money, Rate
from backoffice.core.rounding import RoundingPolicy, as_policy
from backoffice.core.time import (
    add_days,
    days_then_end_of_month,
    end_of_month,
    end_of_month_then_days,
)
from backoffice.errors import FloatNotAllowed, InvalidType, InvalidValue
from backoffice.invoicing.model import _money

__all__ = [
    "DaysThenEndOfMonth",
    "DueDateRule",
    "EarlyPaymentDiscount",
    "EndOfMonth",
    "EndOfMonthThenDays",
    "Net",
    "PaymentTerms",
    "TermsFinding",
    "check_french_payment_terms",
    "latest_french_due_date",
]


# ---------------------------------------------------------------------------------------
# Checks shared by the payment modules
# ---------------------------------------------------------------------------------------


def _day(value: object, field: str) -> date:
    """``value`` if it is a calendar day (a ``date`` that is not a ``datetime``)."""
    if isinstance(value, datetime):
        raise InvalidType(
            field=field,
            expected="a date (convert a datetime explicitly: value.astimezone(zone).date())",
            got=repr(value),
        )
    if not isinstance(value, date):
        raise InvalidType(field=field, expected="a date, e.g. date(2026, 1, 31)", got=repr(value))
    return value


def _count(value: object, field: str, *, minimum: int = 0) -> int:
    """``value`` as an ``int`` of at least ``minimum``; floats and bools are refused."""
    if isinstance(value, float):
        raise FloatNotAllowed(field=field, value=value, example="30")
    if isinstance(value, bool):
        raise InvalidType(field=field, expected="an int", got=repr(value))
    try:
        number = operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise InvalidType(field=field, expected="an int", got=repr(value)) from None
    if number < minimum:
        raise InvalidValue(field=field, reason=f"must be at least {minimum}, got {number}")
    return number


def _rate(value: object, field: str) -> Rate:
    if isinstance(value, Rate):
        return value
    if isinstance(value, float):
        raise FloatNotAllowed(field=field, value=value, example='Rate.percent("2")')
    raise InvalidType(field=field, expected='a Rate, e.g. Rate.percent("2")', got=repr(value))


def _policy(value: object, field: str) -> RoundingPolicy:
    if value is None or not isinstance(value, RoundingPolicy | str):
        raise InvalidType(
            field=field,
            expected="a rounding (RoundingMode.HALF_UP or a RoundingPolicy)",
            got=repr(value),
        )
    return as_policy(value)


# ---------------------------------------------------------------------------------------
# Due-date rules
# ---------------------------------------------------------------------------------------


def _days_field() -> int:
    return attrs.field(converter=_to_days)


def _to_days(value: object) -> int:
    return _count(value, "days")


def _to_within_days(value: object) -> int:
    return _count(value, "within_days")


def _to_rate(value: object) -> Rate:
    return _rate(value, "rate")


def _to_rounding(value: object) -> RoundingPolicy:
    return _policy(value, "rounding")


@attrs.frozen(slots=True)
class Net:
    """Due ``days`` calendar days after the issue date ("net 30")."""

    days: int = _days_field()

    def due_date(self, issue_date: date) -> date:
        """The issue date plus :attr:`days`."""
        return add_days(_day(issue_date, "issue_date"), self.days)

    def __str__(self) -> str:
        return f"net {self.days} days"


@attrs.frozen(slots=True)
class EndOfMonth:
    """Due on the last day of the issue month ("end of month")."""

    def due_date(self, issue_date: date) -> date:
        """The last day of the issue month."""
        return end_of_month(_day(issue_date, "issue_date"))

    def __str__(self) -> str:
        return "end of month"


@attrs.frozen(slots=True)
class DaysThenEndOfMonth:
    """ "``days`` days end of month", read as: add ``days`` to the issue date, then go
    to the end of that month (:func:`~backoffice.core.time.days_then_end_of_month`).

    15 January 2026, 45 days: 1 March 2026, then 31 March 2026.
    """

    days: int = _days_field()

    def due_date(self, issue_date: date) -> date:
        """The end of the month of (issue date + :attr:`days`)."""
        return days_then_end_of_month(_day(issue_date, "issue_date"), self.days)

    def __str__(self) -> str:
        return f"{self.days} days, then end of month"


@attrs.frozen(slots=True)
class EndOfMonthThenDays:
    """ "``days`` days end of month", read as: go to the end of the issue month, then
    add ``days`` (:func:`~backoffice.core.time.end_of_month_then_days`).

    15 January 2026, 45 days: 31 January 2026, then 17 March 2026.
    """

    days: int = _days_field()

    def due_date(self, issue_date: date) -> date:
        """(The end of the issue month) + :attr:`days`."""
        return end_of_month_then_days(_day(issue_date, "issue_date"), self.days)

    def __str__(self) -> str:
        return f"end of month, then {self.days} days"


DueDateRule = Net | EndOfMonth | DaysThenEndOfMonth | EndOfMonthThenDays
"""One of the due-date rules."""

_RULES: Final = (Net, EndOfMonth, DaysThenEndOfMonth, EndOfMonthThenDays)


def _rule(value: object) -> DueDateRule:
    if isinstance(value, _RULES):
        return value
    raise InvalidType(
        field="rule",
        expected="Net, EndOfMonth, DaysThenEndOfMonth or EndOfMonthThenDays",
        got=repr(value),
    )


# ---------------------------------------------------------------------------------------
# Early-payment discount
# ---------------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class EarlyPaymentDiscount:
    """``rate`` off the amount when paid at the latest ``within_days`` days after the
    issue date ("2 % 10 days"), rounded once with ``rounding``.

    The last day that still earns the discount is :meth:`deadline`: a payment made *on*
    that day earns it, a payment the day after does not. A payment made before the
    issue date (a prepayment) earns it too.

    >>> from datetime import date
    >>> from backoffice.core.rounding import RoundingMode
    >>> offer = EarlyPaymentDiscount(Rate.percent("2"), 10, RoundingMode.HALF_UP)
    >>> offer.discount(Money("1234.56", "EUR"), issue_date=date(2026, 1, 15),
    ...                paid_on=date(2026, 1, 25))
    Money('24.69', 'EUR')
    """

    rate: Rate = attrs.field(converter=_to_rate)
    """The discount, ``Rate.percent("2")`` for 2 %."""
    within_days: int = attrs.field(converter=_to_within_days)
    """How many days after the issue date the discount is still earned."""
    rounding: RoundingPolicy = attrs.field(converter=_to_rounding)
    """How the discount is rounded to the currency's minor unit (or the policy's step)."""

    def deadline(self, issue_date: date) -> date:
        """The last day a payment earns the discount: issue date + :attr:`within_days`."""
        return add_days(_day(issue_date, "issue_date"), self.within_days)

    def discount(self, amount: Money, *, issue_date: date, paid_on: date) -> Money:
        """The discount earned on ``amount`` by a payment on ``paid_on``: ``amount ×
        rate`` rounded once, or zero in the amount's currency when paid too late."""
        money = _money(amount, "amount")
        deadline = self.deadline(issue_date)
        if _day(paid_on, "paid_on") > deadline:
            return Money.zero(money.currency)
        return money.multiply(self.rate, rounding=self.rounding)


def _discount(value: object) -> EarlyPaymentDiscount | None:
    if value is None or isinstance(value, EarlyPaymentDiscount):
        return value
    raise InvalidType(
        field="early_discount", expected="an EarlyPaymentDiscount or None", got=repr(value)
    )


# ---------------------------------------------------------------------------------------
# Payment terms
# ---------------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class PaymentTerms:
    """A due-date rule and an optional early-payment discount (EN 16931 BT-20 as text,
    BT-9 the due date they give).

    >>> from datetime import date
    >>> PaymentTerms.net(30).due_date(date(2026, 1, 15))
    datetime.date(2026, 2, 14)
    >>> PaymentTerms.end_of_month().due_date(date(2028, 2, 3))
    datetime.date(2028, 2, 29)
    """

    rule: DueDateRule = attrs.field(converter=_rule)
    """How the due date follows from the issue date."""
    early_discount: EarlyPaymentDiscount | None = attrs.field(default=None, converter=_discount)
    """The discount for an early payment, if any."""

    @classmethod
    def net(cls, days: int, *, early_discount: EarlyPaymentDiscount | None = None) -> PaymentTerms:
        """Due ``days`` days after the issue date."""
        return cls(Net(days), early_discount)

    @classmethod
    def end_of_month(cls, *, early_discount: EarlyPaymentDiscount | None = None) -> PaymentTerms:
        """Due on the last day of the issue month."""
        return cls(EndOfMonth(), early_discount)

    @classmethod
    def days_then_end_of_month(
        cls, days: int, *, early_discount: EarlyPaymentDiscount | None = None
    ) -> PaymentTerms:
        """ "``days`` days end of month", adding the days first (see
        :class:`DaysThenEndOfMonth`)."""
        return cls(DaysThenEndOfMonth(days), early_discount)

    @classmethod
    def end_of_month_then_days(
        cls, days: int, *, early_discount: EarlyPaymentDiscount | None = None
    ) -> PaymentTerms:
        """ "``days`` days end of month", going to the end of the month first (see
        :class:`EndOfMonthThenDays`)."""
        return cls(EndOfMonthThenDays(days), early_discount)

    def due_date(self, issue_date: date) -> date:
        """The day the invoice issued on ``issue_date`` falls due.

        Raises:
            InvalidType: ``issue_date`` is a datetime or not a date.
        """
        return self.rule.due_date(issue_date)

    def discount(self, amount: Money, *, issue_date: date, paid_on: date) -> Money:
        """The early-payment discount earned on ``amount`` by a payment on ``paid_on``;
        zero in the amount's currency when there is no discount or it is too late."""
        if self.early_discount is None:
            return Money.zero(_money(amount, "amount").currency)
        return self.early_discount.discount(amount, issue_date=issue_date, paid_on=paid_on)


# ---------------------------------------------------------------------------------------
# French legal caps
# ---------------------------------------------------------------------------------------

_L441_10: Final = "Code de commerce, article L441-10, I"
_NET_CAP_DAYS: Final = 60
_END_OF_MONTH_CAP_DAYS: Final = 45


def latest_french_due_date(issued: date) -> date:
    """The latest due date L441-10, I allows between businesses for an invoice of
    ``issued``: 60 days from the invoice date, or 45 days end of month in either
    reading."""
    from backoffice.core.time import add_days, days_then_end_of_month, end_of_month_then_days

    return max(
        add_days(issued, _NET_CAP_DAYS),
        days_then_end_of_month(issued, _END_OF_MONTH_CAP_DAYS),
        end_of_month_then_days(issued, _END_OF_MONTH_CAP_DAYS),
    )


@attrs.frozen(slots=True)
class TermsFinding:
    """Something about payment terms that a rule does not allow, with its source."""

    code: str
    """A stable machine code, e.g. ``"fr.l441_10.net_over_60_days"``."""
    message: str
    """A sentence in English."""
    source: str
    """The legal text the finding comes from."""


def check_french_payment_terms(terms: PaymentTerms) -> tuple[TermsFinding, ...]:
    """Check ``terms`` against the caps of French law between businesses, returning
    what exceeds them (an empty tuple when nothing does). Never raises for terms that
    exceed a cap: the caller decides what to do with the findings.

    Code de commerce, article L441-10, I: the agreed payment period may not exceed
    **60 days from the invoice date**; by derogation, **45 days end of month** from the
    invoice date may be agreed, if the contract states it expressly and it is not a
    manifest abuse towards the creditor. So:

    * :class:`Net` terms over 60 days are a finding;
    * :class:`DaysThenEndOfMonth` and :class:`EndOfMonthThenDays` terms over 45 days
      are a finding, whichever reading is used (both readings are checked against the
      45 days; the law does not name the reading);
    * :class:`EndOfMonth` (0 days end of month) is within both caps.

    Not checked: the sector caps of article L441-11 (transport, perishable food,
    alcohol...) and the other conditions of the derogation (an express clause, no abuse),
    which no value here can tell.

    >>> check_french_payment_terms(PaymentTerms.net(75))[0].code
    'fr.l441_10.net_over_60_days'
    >>> check_french_payment_terms(PaymentTerms.days_then_end_of_month(45))
    ()
    """
    if not isinstance(terms, PaymentTerms):
        raise InvalidType(field="terms", expected="a PaymentTerms", got=repr(terms))
    rule = terms.rule
    if isinstance(rule, Net) and rule.days > _NET_CAP_DAYS:
        return (
            TermsFinding(
                code="fr.l441_10.net_over_60_days",
                message=f"{rule} exceeds the 60 days from the invoice date allowed",
                source=_L441_10,
            ),
        )
    if isinstance(rule, DaysThenEndOfMonth | EndOfMonthThenDays) and (
        rule.days > _END_OF_MONTH_CAP_DAYS
    ):
        return (
            TermsFinding(
                code="fr.l441_10.end_of_month_over_45_days",
                message=f"{rule} exceeds the 45 days end of month allowed",
                source=_L441_10,
            ),
        )
    return ()
