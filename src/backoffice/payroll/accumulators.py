"""Year-to-date accumulators: what an employee's payslips of a year add up to.

Some calculations depend on the months already paid: Brazil's 13º salário adds 1/11 of
the variable pay of January to November, its vacation pay the average of the variable
pay. :class:`YearToDate` adds up the payslips of one employee and one calendar year,
line by line, refusing a payslip of another employee, year or currency, and a month
counted twice.

>>> from backoffice.core.money import Money
>>> from backoffice.core.time import Period
>>> from backoffice.payroll.payslip import PayLine, Payslip, Side
>>> def slip(month, overtime):
...     line = PayLine("horas_extras", {"en": "Overtime"}, overtime, None, overtime,
...                    Side.EARNING, "none", "period_worked")
...     salary = Money("3000.00", "BRL")
...     base = PayLine("salario_base", {"en": "Salary"}, salary, None, salary,
...                    Side.EARNING, "none", "period_worked")
...     return Payslip(employee_id="E-1", period=Period.month(2026, month),
...                    payment_date=Period.month(2026, month).end,
...                    gross=salary + overtime, lines=(base, line))
>>> ytd = YearToDate.of([slip(1, Money("200.00", "BRL")), slip(2, Money("100.00", "BRL"))])
>>> ytd.total("horas_extras")
Money('300.00', 'BRL')
>>> len(ytd.months)
2
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from backoffice.core.money import Money
from backoffice.core.time import Period
from backoffice.errors import InvalidType, InvalidValue
from backoffice.payroll.payslip import Payslip
from backoffice.taxid.model import mask

__all__ = ["YearToDate"]


@attrs.frozen(slots=True, repr=False)
class YearToDate:
    """The totals of one employee's payslips of one calendar year (immutable:
    :meth:`add` gives a new accumulator)."""

    employee_id: str
    year: int
    currency: str
    months: tuple[Period, ...]
    """The months of the payslips added, in order, each once (a month may have several
    payslips: the salary, a vacation receipt, a 13º)."""
    gross: Money
    totals: Mapping[str, Money] = attrs.field(hash=False)
    """The amounts by line code."""
    fingerprints: frozenset[str] = frozenset()
    """The payslips added, by fingerprint: one is never counted twice."""

    @classmethod
    def empty(cls, employee_id: str, year: int, currency: str) -> YearToDate:
        """Nothing paid yet."""
        return cls(employee_id, year, currency, (), Money.zero(currency), {}, frozenset())

    @classmethod
    def of(cls, payslips: Iterable[Payslip]) -> YearToDate:
        """The accumulator of ``payslips`` (at least one; all of one employee and one
        year).

        Raises:
            InvalidValue: no payslip, or one that :meth:`add` refuses.
        """
        found = list(payslips)
        if not found:
            raise InvalidValue(field="payslips", reason="at least one payslip is needed")
        first = found[0]
        total = cls.empty(first.employee_id, first.period.start.year, first.gross.currency.code)
        for payslip in found:
            total = total.add(payslip)
        return total

    def add(self, payslip: Payslip) -> YearToDate:
        """The totals with ``payslip`` added.

        Raises:
            InvalidType: not a Payslip.
            InvalidValue: another employee, year or currency, or a month already added.
        """
        if not isinstance(payslip, Payslip):
            raise InvalidType(field="payslip", expected="a Payslip", got=repr(payslip))
        if payslip.employee_id != self.employee_id:
            raise InvalidValue(
                field="payslip.employee_id",
                reason="belongs to another employee: keep one accumulator per employee",
            )
        if payslip.period.start.year != self.year:
            raise InvalidValue(
                field="payslip.period",
                reason=f"{payslip.period} is not in {self.year}: start a new year's accumulator",
            )
        if payslip.gross.currency.code != self.currency:
            raise InvalidValue(
                field="payslip.gross",
                reason=f"must be in {self.currency}, got {payslip.gross.currency.code}",
            )
        if payslip.fingerprint and payslip.fingerprint in self.fingerprints:
            raise InvalidValue(
                field="payslip.fingerprint",
                reason="this payslip was already added: a payslip is counted once",
            )
        totals = dict(self.totals)
        for line in payslip.lines:
            totals[line.code] = totals.get(line.code, Money.zero(self.currency)) + line.amount
        return YearToDate(
            self.employee_id,
            self.year,
            self.currency,
            tuple(sorted({*self.months, payslip.period}, key=lambda p: p.start)),
            self.gross + payslip.gross,
            totals,
            self.fingerprints | {payslip.fingerprint},
        )

    def total(self, *codes: str) -> Money:
        """The sum of the lines of ``codes``, as printed (build the accumulator from
        the payslips up to the month you need: January to November for a 13º)."""
        if not codes:
            raise InvalidValue(field="codes", reason="name at least one line code")
        zero = Money.zero(self.currency)
        return Money.total((self.totals.get(code, zero) for code in codes), self.currency)

    def __repr__(self) -> str:
        return (
            f"YearToDate(employee_id={mask(self.employee_id)!r}, year={self.year}, "
            f"months={len(self.months)}, gross=***)"
        )
