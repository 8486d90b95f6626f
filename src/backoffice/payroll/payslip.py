"""The explainable payslip: lines that say what they computed, and totals that are the
sums of the printed lines.

A :class:`PayLine` carries its code, a label in English, French and Brazilian
Portuguese, the base, the rate (``None`` for a progressive scale, whose brackets are in
:attr:`PayLine.explanation`), the amount, the side that pays it, the rounding applied,
the date axis it followed and the parameter versions it read. A :class:`Payslip` adds
the lines up: the employee total is deducted from the gross, the employer total is
added to it for the employer cost. Its :attr:`Payslip.fingerprint` hashes the inputs
and the parameter versions, so the same calculation can be checked to give the same
payslip.

``repr`` shows neither the amounts nor the employee's identifier in clear.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

import attrs

from backoffice.core.money import Money, Rate
from backoffice.core.time import Period, end_of_month
from backoffice.errors import (
    BackofficeError,
    FloatNotAllowed,
    InvalidType,
    InvalidValue,
    Problem,
    ValidationError,
)
from backoffice.payroll.parameters import ParameterRef
from backoffice.taxid.model import mask

__all__ = ["DateAxis", "Finding", "PayLine", "Payslip", "Side", "fingerprint"]

_HIDDEN = "***"


class Side(enum.StrEnum):
    """What a line does: a contribution borne by the employee (deducted from the gross)
    or by the employer (on top of the gross), an element of the gross pay, or an amount
    added to (or, negative, taken from) the net pay after the contributions."""

    EMPLOYEE = "employee"
    EMPLOYER = "employer"
    EARNING = "earning"
    """An element of the gross pay (base salary, bonus, benefit in kind)."""
    NET = "net"
    """Added to the net pay (an expense refund, a bonus outside the contributions) or,
    negative, taken from it (a benefit in kind already received)."""


class DateAxis(enum.StrEnum):
    """Which day picks a rule's parameters."""

    PERIOD_WORKED = "period_worked"
    """The period the pay is for (Brazil: INSS, FGTS)."""
    PAYMENT_DATE = "payment_date"
    """The day the pay is paid (Brazil: IRRF, "regime de caixa")."""


E = TypeVar("E", bound=enum.StrEnum)


def member_of(kind: type[E], value: object, field: str) -> E:
    """``value`` as a member of the text enumeration ``kind``.

    Raises:
        InvalidValue: no member has that value; the message lists the members.
    """
    try:
        return kind(str(value))
    except ValueError:
        raise InvalidValue(
            field=field,
            reason=f"unknown value {value!r}: use "
            + " or ".join(repr(member.value) for member in kind),
        ) from None


def _side(value: object) -> Side:
    return member_of(Side, value, "side")


def _axis(value: object) -> DateAxis:
    return member_of(DateAxis, value, "axis")


def _labels(value: Mapping[str, str]) -> Mapping[str, str]:
    labels = dict(value)
    if "en" not in labels:
        raise InvalidValue(field="label", reason="an English label ('en') is required")
    return labels


@attrs.frozen(slots=True, repr=False)
class PayLine:
    """One printed line of a payslip."""

    code: str
    label: Mapping[str, str] = attrs.field(converter=_labels, eq=False)
    """The label by locale: ``"en"``, ``"fr"``, ``"pt_BR"``."""
    base: Money
    rate: Rate | None
    amount: Money
    side: Side = attrs.field(converter=_side)
    rounding: str
    """The rounding applied, in words (``"HALF_UP, sum once"``)."""
    axis: DateAxis = attrs.field(converter=_axis)
    parameters: tuple[ParameterRef, ...] = ()
    explanation: tuple[str, ...] = ()

    def label_in(self, locale: str) -> str:
        """The label in ``locale`` (``"pt_BR"``, then ``"pt"``, then English)."""
        for key in (locale, locale.replace("-", "_"), locale.split("_")[0].split("-")[0]):
            if key in self.label:
                return self.label[key]
        return self.label["en"]

    def __repr__(self) -> str:
        rate = "None" if self.rate is None else repr(self.rate)
        return (
            f"PayLine(code={self.code!r}, side={self.side.value!r}, base={_HIDDEN}, "
            f"rate={rate}, amount={_HIDDEN})"
        )


@attrs.frozen(slots=True)
class Finding:
    """Something the calculation noticed that is not an error (a warning)."""

    code: str
    message: str = attrs.field(repr=False)
    """It may state an amount of the payslip: not shown in ``repr``."""


EmployeeT = TypeVar("EmployeeT")
InputsT = TypeVar("InputsT")


def pay_amount(value: object, field: str, currency: str) -> Money:
    """A pay amount of a pack's inputs: a Money in ``currency``, or a decimal string,
    ``Decimal`` or ``int`` read in it; never negative.

    Raises:
        FloatNotAllowed: a float.
        InvalidType: anything else but those.
        InvalidValue: another currency, or a negative amount.
    """
    if isinstance(value, float):
        raise FloatNotAllowed(field=field, value=value, example=f'Money("2500.00", "{currency}")')
    if isinstance(value, Decimal | int | str) and not isinstance(value, bool):
        value = Money(value, currency)
    if not isinstance(value, Money):
        raise InvalidType(
            field=field, expected=f'a Money, e.g. Money("2500.00", "{currency}")', got=repr(value)
        )
    if value.currency.code != currency:
        raise InvalidValue(
            field=field, reason=f"must be in {currency}, got an amount in {value.currency.code}"
        )
    if value.is_negative():
        raise InvalidValue(field=field, reason="must not be negative")
    return value


def employee_key(value: object) -> str:
    """An employee's identifier: a non-empty text (masked wherever it is shown)."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidType(field="employee_id", expected="a non-empty string", got=repr(value))
    return value


def pay_run(
    run: Iterable[tuple[EmployeeT, InputsT]], calculate: Callable[[EmployeeT, InputsT], Payslip]
) -> tuple[Payslip, ...]:
    """The payslips of ``run`` (pairs of employee and inputs), in order, by a pack's
    ``calculate``.

    Raises:
        ValidationError: one problem per entry that failed (path: its index), after
            trying them all.
    """
    payslips: list[Payslip] = []
    problems: list[Problem] = []
    for index, (employee, inputs) in enumerate(run):
        try:
            payslips.append(calculate(employee, inputs))
        except BackofficeError as error:
            problems.append(Problem.from_error(str(index), error))
    if problems:
        raise ValidationError(problems)
    return tuple(payslips)


def calendar_month(period: object) -> Period:
    """``period`` when it is one calendar month, the unit a payslip covers.

    Raises:
        InvalidType: not a Period.
        InvalidValue: not one calendar month.
    """
    if not isinstance(period, Period):
        raise InvalidType(
            field="period", expected="a Period, e.g. Period.month(2025, 6)", got=repr(period)
        )
    if period.start.day != 1 or period.end != end_of_month(period.start):
        raise InvalidValue(field="period", reason=f"must be one calendar month, got {period}")
    return period


def _period(value: object) -> Period:
    if not isinstance(value, Period):
        raise InvalidType(field="period", expected="a Period", got=repr(value))
    return value


@attrs.frozen(slots=True, repr=False)
class Payslip:
    """A calculated payslip. Totals are the sums of :attr:`lines`."""

    employee_id: str
    period: Period = attrs.field(converter=_period)
    payment_date: date
    gross: Money
    lines: tuple[PayLine, ...]
    findings: tuple[Finding, ...] = ()
    fingerprint: str = ""

    def __attrs_post_init__(self) -> None:
        earnings = [line.amount for line in self.lines if line.side is Side.EARNING]
        if earnings and Money.total(earnings, self.gross.currency) != self.gross:
            raise InvalidValue(
                field="lines",
                reason=f"the earning lines add up to {Money.total(earnings, self.gross.currency)}"
                f", not to the gross {self.gross}: a payslip's gross is the sum of its "
                "earning lines when it prints them",
            )

    def _total(self, side: Side) -> Money:
        return Money.total(
            (line.amount for line in self.lines if line.side is side), self.gross.currency
        )

    @property
    def employee_total(self) -> Money:
        """The sum of the employee lines, deducted from the gross."""
        return self._total(Side.EMPLOYEE)

    @property
    def employer_total(self) -> Money:
        """The sum of the employer lines, paid on top of the gross."""
        return self._total(Side.EMPLOYER)

    @property
    def net(self) -> Money:
        """Gross minus the employee lines."""
        return self.gross - self.employee_total

    @property
    def employer_cost(self) -> Money:
        """Gross plus the employer lines."""
        return self.gross + self.employer_total

    @property
    def net_paid(self) -> Money:
        """:attr:`net` plus the :attr:`Side.NET` lines: the amount paid to the
        employee (in Brazil after the IRRF withheld, a line of the payslip; in France
        before the income tax withholding, which the pack does not compute)."""
        return self.net + self._total(Side.NET)

    def line(self, code: str) -> PayLine:
        """The line with ``code``.

        Raises:
            InvalidValue: no such line.
        """
        for item in self.lines:
            if item.code == code:
                return item
        raise InvalidValue(field="code", reason=f"no line {code!r} on this payslip")

    @property
    def parameters(self) -> tuple[ParameterRef, ...]:
        """Every parameter version the lines read."""
        return tuple(sorted({ref for item in self.lines for ref in item.parameters}))

    def __repr__(self) -> str:
        return (
            f"Payslip(employee_id={mask(self.employee_id)!r}, period='{self.period}', "
            f"payment_date='{self.payment_date.isoformat()}', gross={_HIDDEN}, "
            f"lines={[item.code for item in self.lines]!r}, fingerprint={self.fingerprint[:12]!r})"
        )


def _plain(value: Any) -> Any:
    if isinstance(value, Money):
        return f"{value.amount} {value.currency.code}"
    if isinstance(value, date | Period | Rate | ParameterRef):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    return repr(value)


def fingerprint(inputs: Mapping[str, Any], parameters: Iterable[tuple[ParameterRef, Any]]) -> str:
    """A SHA-256 of ``inputs`` and of the parameter versions (name, first valid day and
    value), in a canonical JSON form."""
    document = {
        "inputs": _plain(inputs),
        "parameters": sorted(
            [
                [str(ref.name), ref.valid_from.isoformat(), _plain(value)]
                for ref, value in parameters
            ]
        ),
    }
    text = json.dumps(document, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()
