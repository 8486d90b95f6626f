"""What the built-in rules read: the subject types, and the small values that bring a
subject and its context together (a series of invoices, a stock balance with its item,
a movement with the lock date, a month's pay).

Each :class:`~backoffice.compliance.engine.SubjectType` says which day decides the rules
that apply: an invoice's issue date, a movement's effective date, the last day of the
month paid...
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from datetime import UTC, date, tzinfo
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

import attrs

from backoffice.compliance.engine import SubjectType, _upper

if TYPE_CHECKING:
    from backoffice.core.money import Money
    from backoffice.core.time import Period
    from backoffice.inventory.model import Balance, Item, Movement
    from backoffice.invoicing.document import Invoice
    from backoffice.invoicing.numbering import NumberSeries

__all__ = [
    "INVOICE",
    "INVOICE_SERIES",
    "MONTHLY_PAY",
    "PARTY",
    "PAYMENT",
    "STOCK_BALANCE",
    "STOCK_MOVEMENT",
    "InvoiceSeries",
    "MonthlyPay",
    "StockBalance",
    "StockPosting",
    "sequence_number",
]


def _issue_date(invoice: Any) -> date | None:
    day: date | None = invoice.issue_date
    return day


INVOICE: Final = SubjectType(
    "invoice",
    date_of=_issue_date,
    description="an invoice or credit note (backoffice.invoicing.Invoice), by its issue date",
)


def _received_on(payment: Any) -> date | None:
    day: date | None = payment.received_on
    return day


PAYMENT: Final = SubjectType(
    "payment",
    date_of=_received_on,
    description="a payment received (backoffice.invoicing.services.Payment), by the day "
    "it was received",
)


def _no_date(_: Any) -> date | None:
    return None


PARTY: Final = SubjectType(
    "party",
    date_of=_no_date,
    description="a party to invoices (backoffice.invoicing.Party): it has no day of its "
    "own, the caller names it (on=)",
)


@attrs.frozen(slots=True)
class InvoiceSeries:
    """The issued invoices of one numbering series, to check its numbers are unique and
    continuous.

    ``last`` is the highest number the series' counter handed out, when known: numbers
    above the highest stored one are then missing too.
    """

    series: NumberSeries
    invoices: tuple[Invoice, ...] = attrs.field(converter=tuple)
    last: int | None = None

    @property
    def latest(self) -> date | None:
        """The latest issue date of the series."""
        days = [invoice.issue_date for invoice in self.invoices if invoice.issue_date]
        return max(days) if days else None


def _series_date(value: Any) -> date | None:
    latest: date | None = value.latest
    return latest


INVOICE_SERIES: Final = SubjectType(
    "invoice_series",
    date_of=_series_date,
    description="the issued invoices of one numbering series (InvoiceSeries), by the latest "
    "issue date",
)


def _pattern(series: NumberSeries) -> re.Pattern[str]:
    parts: list[str] = []
    for literal, name, _, _ in string.Formatter().parse(series.template):
        parts.append(re.escape(literal))
        if name == "number":
            parts.append(r"(?P<number>\d+)")
        elif name == "year":
            parts.append(r"\d{4}")
        elif name == "yy":
            parts.append(r"\d{2}")
        elif name == "series":
            parts.append(re.escape(series.code))
    return re.compile("".join(parts))


def sequence_number(series: NumberSeries, number: str) -> int | None:
    """The sequence number in ``number``, written with ``series``' template; ``None``
    when it is not one of the series'.

    >>> from backoffice.invoicing.numbering import NumberSeries
    >>> sequence_number(NumberSeries("F", template="F{year}-{number:06d}"), "F2026-000123")
    123
    """
    matched = _pattern(series).fullmatch(number)
    return None if matched is None else int(matched.group("number"))


@attrs.frozen(slots=True)
class StockBalance:
    """A balance of the stock ledger with its item, as of a day."""

    item: Item
    balance: Balance
    on: date


def _on(value: Any) -> date | None:
    day: date | None = value.on
    return day


STOCK_BALANCE: Final = SubjectType(
    "stock_balance",
    date_of=_on,
    description="a stock balance with its item (StockBalance), as of its day",
)


@attrs.frozen(slots=True)
class StockPosting:
    """A stock movement to post, with the ledger's lock date (the last day of the closed
    periods, ``None`` when none is closed) and the zone its days are counted in."""

    movement: Movement
    lock_date: date | None = None
    zone: tzinfo = UTC

    @property
    def effective_day(self) -> date:
        """The day the movement is effective on, in :attr:`zone`."""
        return self.movement.effective_at.astimezone(self.zone).date()


def _effective_day(value: Any) -> date | None:
    day: date = value.effective_day
    return day


STOCK_MOVEMENT: Final = SubjectType(
    "stock_movement",
    date_of=_effective_day,
    description="a stock movement with the ledger's lock date (StockPosting), by its effective day",
)


def _pay(value: object) -> Money:
    from backoffice.core.money import Money
    from backoffice.errors import FloatNotAllowed, InvalidType

    if isinstance(value, float):
        raise FloatNotAllowed(field="gross", value=value, example='Money("1801.80", "EUR")')
    if not isinstance(value, Money):
        raise InvalidType(field="gross", expected="a Money", got=type(value).__name__)
    return value


def _hours(value: object) -> Decimal | None:
    from backoffice.errors import FloatNotAllowed, InvalidType

    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        raise FloatNotAllowed(field="hours", value=value, example='Decimal("91")')
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    raise InvalidType(field="hours", expected="a Decimal or None", got=type(value).__name__)


@attrs.frozen(slots=True, repr=False)
class MonthlyPay:
    """One employee's gross pay for a calendar month, in the country's currency.

    ``hours`` are the hours paid in the month; ``None`` for a full-time month. The gross
    is kept out of ``repr``, as salaries are.
    """

    country: str = attrs.field(converter=_upper)
    period: Period
    gross: Money = attrs.field(converter=_pay)
    hours: Decimal | None = attrs.field(default=None, converter=_hours)
    employee_id: str = ""

    @classmethod
    def of_payslips(
        cls, country: str, payslips: Iterable[Any], *, hours: Decimal | None = None
    ) -> tuple[MonthlyPay, ...]:
        """The month's pay of each of ``payslips`` (:class:`~backoffice.payroll.Payslip`)."""
        return tuple(
            cls(country, slip.period, slip.gross, hours, slip.employee_id) for slip in payslips
        )

    def __repr__(self) -> str:
        return f"MonthlyPay(country={self.country!r}, period='{self.period}', gross=***)"


def _period_start(value: Any) -> date | None:
    start: date = value.period.start
    return start


MONTHLY_PAY: Final = SubjectType(
    "monthly_pay",
    date_of=_period_start,
    description="an employee's gross pay for a month (MonthlyPay), by the month's first day",
)
