"""Receivables aging and days sales outstanding (DSO).

:func:`aging` sorts open receivables into buckets by how many days past their due date
they are on the ``as_of`` day: not yet due (**current**, 0 days or fewer), **1–30**,
**31–60**, **61–90** and **over 90** days overdue. A receivable due on 31 January is 30
days overdue on 2 March 2026 (bucket 1–30) and 31 days overdue on 3 March (31–60).

Amounts are summed per customer and in total, **per currency**: amounts in different
currencies are never added together (no rate is assumed). Negative open amounts
(credit notes, unapplied payments) are aged by their due date like any other.

>>> from datetime import date
>>> from backoffice.core.money import Money
>>> report = aging([Receivable("ACME", "F-1", date(2026, 1, 31), Money("100.00", "EUR"))],
...                as_of=date(2026, 3, 3))
>>> in_euros = report.totals["EUR"]
>>> in_euros[AgingBucket.DAYS_31_60], in_euros.total
(Money('100.00', 'EUR'), Money('100.00', 'EUR'))
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Final

import attrs

from backoffice.core._numbers import round_to_quantum
from backoffice.core.currency import Currency
from backoffice.core.money import Money
from backoffice.core.rounding import RoundingArg
from backoffice.errors import (
    BackofficeError,
    CurrencyMismatch,
    DivisionByZero,
    InvalidType,
    InvalidValue,
    Problem,
    ValidationError,
)
from backoffice.invoicing.model import _money
from backoffice.invoicing.terms import _count, _day, _policy

__all__ = ["AgedReceivable", "Aging", "AgingBucket", "AgingReport", "Receivable", "aging", "dso"]


class AgingBucket(enum.StrEnum):
    """How far past due a receivable is, in days, on the report day."""

    CURRENT = "current"
    """Not overdue: due on the report day or later."""
    DAYS_1_30 = "1-30"
    """1 to 30 days overdue."""
    DAYS_31_60 = "31-60"
    """31 to 60 days overdue."""
    DAYS_61_90 = "61-90"
    """61 to 90 days overdue."""
    OVER_90 = "90+"
    """91 days overdue or more."""

    @classmethod
    def of(cls, days_overdue: int) -> AgingBucket:
        """The bucket of a receivable ``days_overdue`` days past due (0 or less: current).

        >>> AgingBucket.of(30), AgingBucket.of(31), AgingBucket.of(90), AgingBucket.of(91)
        (<AgingBucket.DAYS_1_30: '1-30'>, <AgingBucket.DAYS_31_60: '31-60'>, \
<AgingBucket.DAYS_61_90: '61-90'>, <AgingBucket.OVER_90: '90+'>)
        """
        days = _count(days_overdue, "days_overdue", minimum=-(10**9))
        if days <= 0:
            return cls.CURRENT
        if days <= 30:
            return cls.DAYS_1_30
        if days <= 60:
            return cls.DAYS_31_60
        if days <= 90:
            return cls.DAYS_61_90
        return cls.OVER_90


_BUCKETS: Final = tuple(AgingBucket)


def _text(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise InvalidType(field=field, expected="a str", got=repr(value))
    if not value.strip():
        raise InvalidValue(field=field, reason="must not be empty")
    return value


@attrs.frozen(slots=True, init=False)
class Receivable:
    """An open receivable: what ``customer`` still owes on invoice ``invoice_id``.

    Raises:
        ValidationError: every field that is wrong, each at its path (``"due_date"``);
            a datetime for ``due_date`` or a float for ``open_amount`` included.
    """

    customer: str
    """Who owes it (any identifier of the customer)."""
    invoice_id: str
    """The invoice number (EN 16931 BT-1)."""
    due_date: date
    """The payment due date (EN 16931 BT-9)."""
    open_amount: Money
    """What is still open on the invoice."""

    def __init__(self, customer: str, invoice_id: str, due_date: date, open_amount: Money) -> None:
        problems: list[Problem] = []

        def check(path: str, convert: Callable[[], object]) -> None:
            try:
                convert()
            except BackofficeError as error:
                problems.append(Problem.from_error(path, error))

        check("customer", lambda: _text(customer, "customer"))
        check("invoice_id", lambda: _text(invoice_id, "invoice_id"))
        check("due_date", lambda: _day(due_date, "due_date"))
        check("open_amount", lambda: _money(open_amount, "open_amount"))
        if problems:
            raise ValidationError(problems)
        self.__attrs_init__(customer, invoice_id, due_date, open_amount)


@attrs.frozen(slots=True)
class AgedReceivable:
    """A receivable with its days overdue and its bucket on the report day."""

    receivable: Receivable
    days_overdue: int
    """Report day minus due date, in days (0 or negative when not yet due)."""
    bucket: AgingBucket


@attrs.frozen(slots=True)
class Aging:
    """The open amounts of one currency, per bucket, and their total."""

    currency: Currency
    amounts: tuple[Money, ...]
    """One amount per bucket, in the order of :class:`AgingBucket`."""

    def __getitem__(self, bucket: AgingBucket) -> Money:
        return self.amounts[_BUCKETS.index(AgingBucket(bucket))]

    @property
    def total(self) -> Money:
        """The sum of the buckets."""
        return Money.total(self.amounts, self.currency)


@attrs.frozen(slots=True)
class AgingReport:
    """The aging of open receivables on :attr:`as_of`."""

    as_of: date
    """The report day the days overdue are counted to."""
    lines: tuple[AgedReceivable, ...]
    """Each receivable with its days overdue and bucket, in the order given."""
    by_customer: Mapping[str, Mapping[str, Aging]]
    """Customer, then currency code, to the aging of that customer in that currency."""
    totals: Mapping[str, Aging]
    """Currency code to the aging of every customer in that currency."""


def _sum(items: Iterable[AgedReceivable], currency: Currency) -> Aging:
    units = dict.fromkeys(_BUCKETS, 0)
    for item in items:
        units[item.bucket] += item.receivable.open_amount.minor_units()
    return Aging(
        currency, tuple(Money.from_minor_units(units[bucket], currency) for bucket in _BUCKETS)
    )


def aging(receivables: Iterable[Receivable], as_of: date) -> AgingReport:
    """Age ``receivables`` on day ``as_of``: per customer and in total, per currency.

    Days overdue are ``as_of - due_date`` in calendar days; see :class:`AgingBucket` for
    the buckets. Customers and currencies appear in the order first met.

    Raises:
        ValidationError: an item is not a :class:`Receivable`, or the same invoice of
            the same customer is listed twice; each problem at its path
            (``"receivables.2"``).
        InvalidType: ``as_of`` is a datetime or not a date.
    """
    day = _day(as_of, "as_of")
    given: object = receivables
    if isinstance(given, str | bytes) or not isinstance(given, Iterable):
        raise InvalidType(
            field="receivables", expected="an iterable of Receivable", got=repr(receivables)
        )
    problems: list[Problem] = []
    lines: list[AgedReceivable] = []
    seen: set[tuple[str, str]] = set()
    for index, candidate in enumerate(given):
        path = f"receivables.{index}"
        item: object = candidate
        if not isinstance(item, Receivable):
            error = InvalidType(field=path, expected="a Receivable", got=repr(item))
            problems.append(Problem.from_error(path, error))
            continue
        key = (item.customer, item.invoice_id)
        if key in seen:
            error_value = InvalidValue(
                field=path,
                reason=f"invoice {item.invoice_id!r} of {item.customer!r} is listed twice",
            )
            problems.append(Problem.from_error(path, error_value))
            continue
        seen.add(key)
        days = (day - item.due_date).days
        lines.append(AgedReceivable(item, days, AgingBucket.of(days)))
    if problems:
        raise ValidationError(problems)

    groups: dict[str, dict[str, list[AgedReceivable]]] = {}
    currencies: dict[str, Currency] = {}
    for line in lines:
        currency = line.receivable.open_amount.currency
        currencies.setdefault(currency.code, currency)
        groups.setdefault(line.receivable.customer, {}).setdefault(currency.code, []).append(line)
    by_customer = {
        customer: {code: _sum(items, currencies[code]) for code, items in per_currency.items()}
        for customer, per_currency in groups.items()
    }
    totals = {
        code: _sum(
            (line for line in lines if line.receivable.open_amount.currency is currency), currency
        )
        for code, currency in currencies.items()
    }
    return AgingReport(day, tuple(lines), by_customer, totals)


def dso(
    receivables_open_total: Money, credit_sales: Money, days: int, *, rounding: RoundingArg
) -> Decimal:
    """Days sales outstanding: how many days of credit sales are still unpaid.

    ``DSO = receivables_open_total / credit_sales × days``, where ``credit_sales`` are
    the sales made on credit during the last ``days`` days and
    ``receivables_open_total`` the receivables open at the end of those days, in the
    same currency. Rounded once with ``rounding``; a rounding mode alone rounds to whole
    days, a :class:`~backoffice.core.rounding.RoundingPolicy` with a quantum to that
    step (``RoundingPolicy(RoundingMode.HALF_UP, "0.1")`` for tenths of a day).

    >>> from backoffice.core.rounding import RoundingMode
    >>> dso(Money("30000.00", "EUR"), Money("90000.00", "EUR"), 90,
    ...     rounding=RoundingMode.HALF_UP)
    Decimal('30')

    Raises:
        CurrencyMismatch: the two amounts are in different currencies.
        DivisionByZero: ``credit_sales`` is zero.
        InvalidValue: ``days`` is not positive; ``credit_sales`` is negative.
        InvalidType: a wrong type (a float included), naming the argument.
    """
    open_total = _money(receivables_open_total, "receivables_open_total")
    sales = _money(credit_sales, "credit_sales")
    period = _count(days, "days", minimum=1)
    policy = _policy(rounding, "rounding")
    if open_total.currency is not sales.currency:
        raise CurrencyMismatch(
            operation="compare receivables_open_total and credit_sales",
            left=open_total,
            right=sales,
        )
    if sales.is_zero():
        raise DivisionByZero(field="credit_sales")
    if sales.is_negative():
        raise InvalidValue(field="credit_sales", reason=f"must be positive, got {sales}")
    exact = Fraction(open_total.minor_units() * period, sales.minor_units())
    quantum = policy.quantum if policy.quantum is not None else Decimal(1)
    return round_to_quantum(exact, quantum, policy.mode.value)
