"""Exact money: amounts, unit prices, rates, allocation.

The model in five rules (see the *Money model* explanation page for the why):

1. Amounts are :class:`~decimal.Decimal`, ``int`` or decimal strings. A ``float``
   raises :class:`~backoffice.errors.FloatNotAllowed`, a ``TypeError``.
2. A :class:`Money` holds a *booked* amount: it always has exactly the currency's
   ISO 4217 minor unit (``Money("5", "EUR")`` is ``5.00 EUR``). An amount with more
   decimals is refused unless a rounding is named: ``Money("0.125", "EUR",
   rounding=RoundingMode.HALF_EVEN)``.
3. Every rounding names its mode and quantum
   (:class:`~backoffice.core.rounding.RoundingPolicy`); the thread's decimal context is
   never read nor changed.
4. Arithmetic and ordering only within one currency
   (:class:`~backoffice.errors.CurrencyMismatch`). Operations whose result may need
   rounding (``* Decimal``, ``/``) are methods that take the rounding:
   :meth:`Money.multiply`, :meth:`Money.divide`.
5. Splitting never loses or invents a minor unit: :func:`allocate`, :func:`split`.

High-precision prices (:class:`UnitPrice`) and rates (:class:`Rate`) are separate types,
so that an unrounded price can never be booked by mistake.

Internally a :class:`Money` is an integer count of minor units, so that additions,
comparisons and roundings are exact integer arithmetic that no decimal context can
touch; :attr:`Money.amount` gives the ``Decimal``.
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar, Final, Literal, NoReturn

from backoffice.core._numbers import (
    EXACT,
    NumberInput,
    decimals_of,
    round_ratio,
    round_to_quantum,
    strip_zeros,
    to_decimal,
)
from backoffice.core.currency import Currency, currencies, get_currency
from backoffice.core.rounding import RoundingArg, RoundingMode, RoundingPolicy, as_policy
from backoffice.errors import (
    AllocationError,
    CurrencyMismatch,
    DivisionByZero,
    FloatNotAllowed,
    InvalidAmount,
    InvalidRate,
    InvalidType,
    InvalidValue,
    MoneyParseError,
    PrecisionError,
    RoundingError,
    RoundingRequired,
    UnknownCurrency,
)

if TYPE_CHECKING:
    import moneyed
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import CoreSchema

    from backoffice.core.quantity import Quantity, Unit

__all__ = [
    "Currency",
    "Money",
    "Rate",
    "RoundingMode",
    "RoundingPolicy",
    "UnitPrice",
    "allocate",
    "currencies",
    "get_currency",
    "split",
]

_MONEY_EXAMPLE: Final = 'Money("0.10", "EUR")'


def _mismatch(operation: str, left: object, right: object) -> CurrencyMismatch:
    return CurrencyMismatch(operation=operation, left=left, right=right)


_RATIOS: dict[Decimal, tuple[int, int]] = {}
_RATIOS_MAX = 4096


def _ratio_of(value: object, field: str, example: str) -> tuple[int, int]:
    """``value`` as an exact ``(numerator, denominator)`` pair of integers."""
    if type(value) is int:
        return value, 1
    if type(value) is Decimal:
        # Factors repeat (tax rates, discounts): remember their ratios.
        try:
            found = _RATIOS.get(value)
        except TypeError:  # a signalling NaN cannot even be hashed
            raise InvalidAmount(field=field, value=value) from None
        if found is not None:
            return found
        pair = to_decimal(value, field, example).as_integer_ratio()  # finite and bounded
        if len(_RATIOS) >= _RATIOS_MAX:
            _RATIOS.clear()
        _RATIOS[value] = pair
        return pair
    if isinstance(value, Fraction):
        return value.numerator, value.denominator
    if isinstance(value, Rate):
        return value._pair
    return to_decimal(value, field, example).as_integer_ratio()


def _step_units(policy: RoundingPolicy, currency: Currency) -> int:
    """The policy's quantum counted in the currency's booked units (0.05 EUR → 5)."""
    quantum = policy.quantum
    if quantum is None:
        return 1
    numerator, denominator = quantum.as_integer_ratio()
    steps, remainder = divmod(numerator * currency.scale, denominator)
    if remainder or not steps:
        raise RoundingError(
            reason=f"the quantum {quantum} is not a whole multiple of {currency.code}'s "
            f"minor unit ({currency.quantum})"
        )
    return steps


def _round_units(
    numerator: int, denominator: int, currency: Currency, rounding: RoundingArg
) -> int:
    """Round the exact amount ``numerator / denominator`` booked units, once."""
    policy = rounding if rounding.__class__ is RoundingPolicy else as_policy(rounding)
    if policy.quantum is not None:
        step = _step_units(policy, currency)
        return round_ratio(numerator, denominator * step, policy.mode.value) * step
    # the common case, inlined: a step of one minor unit, half up or half even
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    quotient, remainder = divmod(numerator, denominator)
    if not remainder:
        return quotient
    mode = policy.mode
    if mode is _HALF_UP or mode is _HALF_EVEN:
        twice = 2 * remainder
        if twice > denominator:
            return quotient + 1
        if twice < denominator:
            return quotient
        if mode is _HALF_UP:
            return quotient + 1 if numerator > 0 else quotient
        return quotient + (quotient & 1)
    return round_ratio(numerator, denominator, mode.value)


_HALF_UP: Final = RoundingMode.HALF_UP
_HALF_EVEN: Final = RoundingMode.HALF_EVEN


class Money:
    """An exact, immutable amount of money in one currency, at its minor unit.

    Args:
        amount: ``Decimal``, ``int`` or a decimal string; never a ``float``.
        currency: an ISO 4217 code (``"EUR"``) or a :class:`Currency`.
        rounding: how to round an amount that has more decimals than the currency's
            minor unit; without it such an amount raises
            :class:`~backoffice.errors.PrecisionError`.

    >>> Money("12.5", "EUR")
    Money('12.50', 'EUR')
    >>> Money("10.00", "EUR") + Money("0.10", "EUR")
    Money('10.10', 'EUR')
    >>> Money("0.125", "EUR", rounding=RoundingMode.HALF_EVEN)
    Money('0.12', 'EUR')
    """

    __slots__ = ("_currency", "_decimal", "_units")

    _units: int
    _currency: Currency
    _decimal: Decimal

    def __init__(
        self,
        amount: NumberInput,
        currency: Currency | str,
        *,
        rounding: RoundingArg | None = None,
    ) -> None:
        found = get_currency(currency)
        value = to_decimal(amount, "amount", _MONEY_EXAMPLE)
        numerator, denominator = value.as_integer_ratio()
        numerator *= found.scale
        if rounding is not None:
            units = _round_units(numerator, denominator, found, rounding)
        else:
            units, remainder = divmod(numerator, denominator)
            if remainder:
                raise PrecisionError(
                    field="amount",
                    value=value,
                    decimals=found.decimals,
                    example=f'Money("{value}", "{found.code}", rounding=RoundingMode.HALF_UP)',
                )
        self._units = units
        self._currency = found

    # -- construction -------------------------------------------------------------------

    @classmethod
    def zero(cls, currency: Currency | str) -> Money:
        """Zero in ``currency``."""
        return _make(0, get_currency(currency))

    @classmethod
    def from_minor_units(cls, units: int, currency: Currency | str) -> Money:
        """From an integer count of minor units: ``Money.from_minor_units(1234, "EUR")``
        is 12.34 EUR (a 0-decimal currency takes whole units)."""
        if units.__class__ is not int:
            if isinstance(units, float):
                raise FloatNotAllowed(
                    field="units", value=units, example='Money.from_minor_units(1234, "EUR")'
                )
            if not isinstance(units, int) or isinstance(units, bool):
                raise InvalidAmount(field="units", value=units)
        return _make(int(units), get_currency(currency))

    @classmethod
    def total(cls, amounts: Iterable[Money], currency: Currency | str) -> Money:
        """The sum of ``amounts``, all in ``currency`` (zero for none)."""
        found = get_currency(currency)
        units = 0
        for item in amounts:
            if not isinstance(item, Money):
                raise InvalidType(f"Money.total() takes Money items, got {type(item).__name__}")
            if item._currency is not found:
                raise _mismatch("add", item, found.code)
            units += item._units
        return _make(units, found)

    @classmethod
    def from_moneyed(cls, value: moneyed.Money, *, rounding: RoundingArg | None = None) -> Money:
        """From a :class:`moneyed.Money` (django-money and others hold those)."""
        return cls(value.amount, value.currency.code, rounding=rounding)

    @classmethod
    def parse(cls, text: str, locale: str, *, currency: Currency | str | None = None) -> Money:
        """Read an amount as written in ``locale``: ``"1 234,56 €"`` in ``fr_FR``.

        The currency comes from the text (symbol or ISO code) or from ``currency``; if
        both are present they must agree. Grouping is checked strictly, so ``"1,23"``
        in ``en_US`` is refused rather than read as 123.

        Raises:
            MoneyParseError: not an amount in that locale, the currency is missing or
                ambiguous, or the amount has more decimals than the currency.
        """
        return _parse_money(text, locale, currency)

    # -- accessors ----------------------------------------------------------------------

    @property
    def amount(self) -> Decimal:
        """The amount, a ``Decimal`` with exactly the currency's minor unit."""
        try:
            return self._decimal
        except AttributeError:
            value = Decimal(self._units).scaleb(-self._currency.decimals, EXACT)
            self._decimal = value
            return value

    @property
    def currency(self) -> Currency:
        return self._currency

    def minor_units(self) -> int:
        """The amount as an integer count of minor units (12.34 EUR → 1234)."""
        return self._units

    def is_zero(self) -> bool:
        return not self._units

    def is_positive(self) -> bool:
        return self._units > 0

    def is_negative(self) -> bool:
        return self._units < 0

    # -- identity -----------------------------------------------------------------------

    def __reduce__(self) -> tuple[Any, ...]:
        return (Money, (str(self.amount), self._currency.code))

    def __copy__(self) -> Money:
        return self

    def __deepcopy__(self, memo: object) -> Money:
        return self

    def __repr__(self) -> str:
        return f"Money('{self.amount}', '{self._currency.code}')"

    def __str__(self) -> str:
        return f"{self.amount} {self._currency.code}"

    def __hash__(self) -> int:
        return hash((self._units, self._currency.code))

    def __bool__(self) -> bool:
        return bool(self._units)

    # -- comparisons --------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if other.__class__ is Money:
            return self._currency is other._currency and self._units == other._units
        return NotImplemented

    def _check(self, other: object, operation: str) -> Money:
        if isinstance(other, Money):
            if other._currency is self._currency:
                return other
            raise _mismatch(operation, self, other)
        if isinstance(other, float):
            raise FloatNotAllowed(field="operand", value=other, example=_MONEY_EXAMPLE)
        raise InvalidType(
            f"cannot {operation} Money and {type(other).__name__}: "
            f"use a Money in {self._currency.code}, e.g. Money('1.00', '{self._currency.code}')"
        )

    def __lt__(self, other: Money) -> bool:
        return self._units < self._check(other, "compare")._units

    def __le__(self, other: Money) -> bool:
        return self._units <= self._check(other, "compare")._units

    def __gt__(self, other: Money) -> bool:
        return self._units > self._check(other, "compare")._units

    def __ge__(self, other: Money) -> bool:
        return self._units >= self._check(other, "compare")._units

    # -- arithmetic ---------------------------------------------------------------------

    def __add__(self, other: Money) -> Money:
        if other.__class__ is not Money or other._currency is not self._currency:
            other = self._check(other, "add")
        result = _new(Money)
        result._units = self._units + other._units
        result._currency = self._currency
        return result

    def __radd__(self, other: int) -> Money:
        """Lets ``sum(amounts)`` start from the integer 0; any other number is refused."""
        if other.__class__ is int and other == 0:
            return self
        return self._check(other, "add")

    def __sub__(self, other: Money) -> Money:
        if other.__class__ is not Money or other._currency is not self._currency:
            other = self._check(other, "subtract")
        result = _new(Money)
        result._units = self._units - other._units
        result._currency = self._currency
        return result

    def __neg__(self) -> Money:
        return _make(-self._units, self._currency)

    def __pos__(self) -> Money:
        return self

    def __abs__(self) -> Money:
        return self if self._units >= 0 else _make(-self._units, self._currency)

    def __mul__(self, factor: int) -> Money:
        if factor.__class__ is int:
            result = _new(Money)
            result._units = self._units * factor
            result._currency = self._currency
            return result
        return self._mul_other(factor)

    def _mul_other(self, factor: object) -> Money:
        if isinstance(factor, float):
            raise FloatNotAllowed(field="factor", value=factor, example='Decimal("1.2")')
        if isinstance(factor, Decimal | str | Rate | Fraction):
            raise RoundingRequired(
                operation=f"{self!r} * {factor!r}",
                fix="money.multiply(factor, rounding=RoundingMode.HALF_UP)",
            )
        raise InvalidType(
            f"cannot multiply Money by {type(factor).__name__}: use an int, or "
            "money.multiply(factor, rounding=RoundingMode.HALF_UP) for a decimal factor"
        )

    __rmul__ = __mul__

    def __truediv__(self, divisor: object) -> NoReturn:
        raise RoundingRequired(
            operation=f"{self!r} / {divisor!r}",
            fix="money.divide(divisor, rounding=RoundingMode.HALF_UP), split() or allocate()",
        )

    def __floordiv__(self, divisor: object) -> NoReturn:
        self.__truediv__(divisor)

    def multiply(self, factor: NumberInput | Rate | Fraction, *, rounding: RoundingArg) -> Money:
        """``self × factor``, computed exactly and rounded once with ``rounding``.

        >>> Money("19.99", "EUR").multiply(Decimal("0.2"), rounding=RoundingMode.HALF_UP)
        Money('4.00', 'EUR')
        """
        numerator, denominator = _ratio_of(factor, "factor", 'Decimal("1.2")')
        units = _round_units(self._units * numerator, denominator, self._currency, rounding)
        return _make(units, self._currency)

    def divide(self, divisor: NumberInput | Rate | Fraction, *, rounding: RoundingArg) -> Money:
        """``self ÷ divisor``, computed exactly then rounded once with ``rounding``.

        To share an amount without losing a cent, use :meth:`split` or :meth:`allocate`.
        """
        numerator, denominator = _ratio_of(divisor, "divisor", 'Decimal("3")')
        if not numerator:
            raise DivisionByZero(field="divisor")
        units = _round_units(self._units * denominator, numerator, self._currency, rounding)
        return _make(units, self._currency)

    def round(self, rounding: RoundingArg) -> Money:
        """Round to a coarser step, e.g. Swiss cash rounding to 0.05 CHF.

        >>> Money("1.23", "CHF").round(RoundingPolicy(RoundingMode.HALF_UP, "0.05"))
        Money('1.25', 'CHF')
        """
        return _make(_round_units(self._units, 1, self._currency, rounding), self._currency)

    def allocate(
        self, ratios: Sequence[NumberInput], *, quantum: NumberInput | None = None
    ) -> list[Money]:
        """Share this amount by ``ratios``; see :func:`allocate`."""
        return allocate(self, ratios, quantum=quantum)

    def split(self, parts: int, *, quantum: NumberInput | None = None) -> list[Money]:
        """Share this amount into ``parts`` near-equal parts; see :func:`split`."""
        return split(self, parts, quantum=quantum)

    # -- conversions --------------------------------------------------------------------

    def to_moneyed(self) -> moneyed.Money:
        """The same amount as a :class:`moneyed.Money`."""
        import moneyed

        return moneyed.Money(self.amount, self._currency.to_moneyed())

    def format(self, locale: str, *, style: Literal["symbol", "code"] = "symbol") -> str:
        """Format as ``locale`` writes it (``1 234,56 €`` in ``fr_FR``); see
        :func:`backoffice.core.l10n.format_money`."""
        from backoffice.core.l10n import format_money

        return format_money(self, locale, style=style)

    def to_dict(self) -> dict[str, str]:
        """``{"amount": "12.34", "currency": "EUR"}``: the amount is a string, never a
        JSON number."""
        return {"amount": str(self.amount), "currency": self._currency.code}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Money:
        """The inverse of :meth:`to_dict`."""
        amount, currency = _amount_and_currency(data, "money", '"12.34"')
        return cls(amount, currency)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from backoffice.core._pydantic import object_schema

        return object_schema(cls, _money_from_input, Money.to_dict)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return _amount_json_schema("An exact amount of money at the currency's minor unit.")


_new = object.__new__


def _make(units: int, currency: Currency) -> Money:
    money = _new(Money)
    money._units = units
    money._currency = currency
    return money


def _amount_and_currency(
    data: Mapping[str, object], field: str, example: str
) -> tuple[Decimal | int | str, str | Currency]:
    missing = [key for key in ("amount", "currency") if key not in data]
    if missing:
        raise InvalidAmount(
            f"{field} needs 'amount' and 'currency', e.g. "
            f'{{"amount": {example}, "currency": "EUR"}}; missing: ' + ", ".join(missing),
            field=field,
            value=dict(data),
        )
    amount = data["amount"]
    currency = data["currency"]
    if isinstance(amount, float):
        raise FloatNotAllowed(field="amount", value=amount, example=example)
    if not isinstance(amount, Decimal | int | str) or isinstance(amount, bool):
        raise InvalidAmount(field="amount", value=amount)
    if not isinstance(currency, str | Currency):
        raise UnknownCurrency(currency=currency)
    return amount, currency


def _money_from_input(value: object) -> Money:
    if isinstance(value, Money):
        return value
    if isinstance(value, Mapping):
        return Money.from_dict(value)
    if isinstance(value, str):
        parts = value.split()
        if len(parts) == 2:
            return Money(parts[0], parts[1])
    if type(value).__module__.startswith("moneyed"):
        return Money.from_moneyed(value)  # type: ignore[arg-type]
    if isinstance(value, float):
        raise FloatNotAllowed(
            field="money", value=value, example='{"amount": "12.34", "currency": "EUR"}'
        )
    raise InvalidAmount(
        'expected a money object such as {"amount": "12.34", "currency": "EUR"}',
        field="money",
        value=value,
    )


def _amount_json_schema(description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "properties": {
            "amount": {
                "type": "string",
                "pattern": r"^[+-]?\d+(\.\d+)?$",
                "description": "decimal amount as a string, never a JSON number",
            },
            "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        },
        "required": ["amount", "currency"],
        "additionalProperties": False,
    }


# ---------------------------------------------------------------------------------------
# Allocation
# ---------------------------------------------------------------------------------------


def _weight(value: object, index: int) -> Fraction:
    ratio = to_decimal(value, f"ratios[{index}]", '["1", "2"]')
    if ratio < 0:
        raise AllocationError(reason=f"ratios[{index}] is negative ({ratio}); ratios must be >= 0")
    return Fraction(ratio)


def allocate(
    total: Money, ratios: Sequence[NumberInput], *, quantum: NumberInput | None = None
) -> list[Money]:
    """Share ``total`` in proportion to ``ratios``, losing and inventing nothing.

    Largest-remainder method: every share is first rounded toward zero, then the minor
    units left over go one by one to the shares with the largest remainders (ties to
    the earliest). The shares add up to ``total`` exactly, each within one minor unit
    (or ``quantum``) of its exact value, and the result is deterministic. A negative
    total is shared like its absolute value, then negated.

    >>> allocate(Money("100.00", "EUR"), [1, 1, 1])
    [Money('33.34', 'EUR'), Money('33.33', 'EUR'), Money('33.33', 'EUR')]

    Args:
        total: the amount to share.
        ratios: non-negative weights (``Decimal``, ``int`` or strings), not all zero.
        quantum: the smallest amount handed out (default: the currency's minor unit),
            such as ``"0.05"`` for cash; ``total`` must be a multiple of it.

    Raises:
        AllocationError: no ratios, a negative ratio, all ratios zero, or a total that
            is not a multiple of ``quantum``.
    """
    if not isinstance(total, Money):
        raise InvalidType(f"allocate() shares a Money, got {type(total).__name__}")
    if isinstance(ratios, str | bytes) or not isinstance(ratios, Sequence):
        raise AllocationError(reason="ratios must be a sequence such as [1, 2, 3]")
    if not ratios:
        raise AllocationError(reason="no ratios given")
    weights = [_weight(value, index) for index, value in enumerate(ratios)]
    weight_sum = sum(weights, Fraction(0))
    if weight_sum == 0:
        raise AllocationError(reason="all ratios are zero")
    currency = total.currency
    step = 1
    if quantum is not None:
        step = _step_units(RoundingPolicy(RoundingMode.DOWN, quantum), currency)
    steps, remainder = divmod(abs(total._units), step)
    if remainder:
        raise AllocationError(reason=f"{total} is not a multiple of the quantum {quantum}")
    exact = [steps * weight / weight_sum for weight in weights]
    shares = [share.numerator // share.denominator for share in exact]
    leftover = steps - sum(shares)
    order = sorted(range(len(exact)), key=lambda i: (shares[i] - exact[i], i))
    for index in order[:leftover]:
        shares[index] += 1
    sign = -step if total._units < 0 else step
    return [_make(sign * share, currency) for share in shares]


def split(total: Money, parts: int, *, quantum: NumberInput | None = None) -> list[Money]:
    """Share ``total`` into ``parts`` near-equal shares (the first ones get the extra
    minor units).

    >>> split(Money("10.00", "EUR"), 3)
    [Money('3.34', 'EUR'), Money('3.33', 'EUR'), Money('3.33', 'EUR')]
    """
    if not isinstance(parts, int) or isinstance(parts, bool) or parts < 1:
        raise AllocationError(reason=f"parts must be a whole number >= 1, got {parts!r}")
    return allocate(total, [1] * parts, quantum=quantum)


# ---------------------------------------------------------------------------------------
# Unit prices and rates
# ---------------------------------------------------------------------------------------


class UnitPrice:
    """A high-precision price per unit (up to :attr:`MAX_DECIMALS` decimals).

    A unit price is not booked money: ``UnitPrice("0.123456", "EUR")`` is fine, and it
    becomes :class:`Money` only through :meth:`extend` (or :meth:`to_money`), which
    names the rounding. Give it the unit it is priced in (``per="KGM"``) and
    :meth:`extend` accepts quantities in any unit of that dimension, converted exactly.

    >>> UnitPrice("0.123456", "EUR").extend(Decimal("1000"), rounding=RoundingMode.HALF_UP)
    Money('123.46', 'EUR')
    """

    MAX_DECIMALS: ClassVar[int] = 10

    __slots__ = ("amount", "currency", "per")

    amount: Decimal
    currency: Currency
    per: Unit | None

    def __init__(
        self,
        amount: NumberInput | Money,
        currency: Currency | str | None = None,
        *,
        per: Unit | str | None = None,
        rounding: RoundingArg | None = None,
    ) -> None:
        if isinstance(amount, Money):
            if currency is not None and get_currency(currency) is not amount.currency:
                raise _mismatch("build a unit price from", amount, currency)
            value, found = amount.amount, amount.currency
        else:
            if currency is None:
                raise UnknownCurrency(currency=None)
            found = get_currency(currency)
            value = to_decimal(amount, "unit price", 'UnitPrice("0.123456", "EUR")')
        if rounding is not None:
            policy = as_policy(rounding)
            step = policy.quantum or Decimal((0, (1,), -self.MAX_DECIMALS))
            value = round_to_quantum(value, step, policy.mode.value)
        if decimals_of(value) > self.MAX_DECIMALS:
            raise PrecisionError(
                field="unit price",
                value=_plain(value),
                decimals=self.MAX_DECIMALS,
                example=f'UnitPrice("{_plain(value)}", "{found.code}", rounding=RoundingPolicy('
                f'RoundingMode.HALF_UP, "1E-{self.MAX_DECIMALS}"))',
            )
        unit = None
        if per is not None:
            from backoffice.core.quantity import get_unit

            unit = get_unit(per)
        object.__setattr__(self, "amount", value if value else value.copy_abs())
        object.__setattr__(self, "currency", found)
        object.__setattr__(self, "per", unit)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError("UnitPrice is immutable")

    def __repr__(self) -> str:
        per = f", per='{self.per.code}'" if self.per is not None else ""
        return f"UnitPrice('{_plain(self.amount)}', '{self.currency.code}'{per})"

    def __str__(self) -> str:
        per = f"/{self.per.code}" if self.per is not None else ""
        return f"{_plain(self.amount)} {self.currency.code}{per}"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_price, (_plain(self.amount), self.currency.code, self._per_code))

    @property
    def _per_code(self) -> str | None:
        return None if self.per is None else self.per.code

    def __eq__(self, other: object) -> bool:
        if isinstance(other, UnitPrice):
            return (self.currency, self.amount, self.per) == (
                other.currency,
                other.amount,
                other.per,
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.amount, self.currency.code, self._per_code))

    def _other(self, other: object, operation: str) -> UnitPrice:
        if isinstance(other, UnitPrice):
            if other.currency is not self.currency:
                raise _mismatch(operation, self, other)
            if other.per != self.per:
                raise InvalidValue(
                    f"cannot {operation} prices per {self._per_code} and per {other._per_code}",
                    field="per",
                    reason="the prices are per different units",
                )
            return other
        raise InvalidType(f"cannot {operation} UnitPrice and {type(other).__name__}")

    def __lt__(self, other: UnitPrice) -> bool:
        return self.amount < self._other(other, "compare").amount

    def __le__(self, other: UnitPrice) -> bool:
        return self.amount <= self._other(other, "compare").amount

    def __gt__(self, other: UnitPrice) -> bool:
        return self.amount > self._other(other, "compare").amount

    def __ge__(self, other: UnitPrice) -> bool:
        return self.amount >= self._other(other, "compare").amount

    def __add__(self, other: UnitPrice) -> UnitPrice:
        total = EXACT.add(self.amount, self._other(other, "add").amount)
        return UnitPrice(total, self.currency, per=self.per)

    def __sub__(self, other: UnitPrice) -> UnitPrice:
        total = EXACT.subtract(self.amount, self._other(other, "subtract").amount)
        return UnitPrice(total, self.currency, per=self.per)

    def __neg__(self) -> UnitPrice:
        return UnitPrice(self.amount.copy_negate(), self.currency, per=self.per)

    def extend(
        self,
        quantity: NumberInput | Quantity,
        *,
        rounding: RoundingArg,
        base_quantity: NumberInput = 1,
    ) -> Money:
        """The amount for ``quantity`` units, rounded once to the currency.

        ``quantity`` is a plain number of the priced units, or a
        :class:`~backoffice.core.quantity.Quantity` when the price has a unit
        (``per=``): it is converted to that unit exactly first (500 GRM at a price per
        KGM counts 0.5). ``base_quantity`` is the number of units the price is for
        (EN 16931 BT-149: 12.50 per 100 pieces).

        Raises:
            InvalidType: a quantity given to a price without a unit.
            IncompatibleUnits, InexactConversion: the quantity cannot be converted.
        """
        from backoffice.core.quantity import Quantity

        if isinstance(quantity, Quantity):
            if self.per is None:
                raise InvalidType(
                    "this price has no unit, so a Quantity cannot be checked against it: "
                    "build the price with per=, e.g. UnitPrice('0.87', 'EUR', per='KGM'), or "
                    "pass a plain number",
                    field="quantity",
                    expected="a number",
                    got=repr(quantity),
                )
            count = quantity.to(self.per).value
        else:
            count = to_decimal(quantity, "quantity", 'Decimal("3")')
        count_n, count_d = _ratio_of(count, "quantity", 'Decimal("3")')
        base_n, base_d = _ratio_of(base_quantity, "base_quantity", 'Decimal("100")')
        if base_n <= 0:
            raise InvalidAmount(field="base_quantity", value=base_quantity)
        price_n, price_d = self.amount.as_integer_ratio()
        numerator = price_n * count_n * base_d * self.currency.scale
        denominator = price_d * count_d * base_n
        units = _round_units(numerator, denominator, self.currency, rounding)
        return _make(units, self.currency)

    def to_money(self, *, rounding: RoundingArg) -> Money:
        """This price as booked money, rounded with ``rounding``."""
        numerator, denominator = self.amount.as_integer_ratio()
        units = _round_units(numerator * self.currency.scale, denominator, self.currency, rounding)
        return _make(units, self.currency)

    def to_dict(self) -> dict[str, str]:
        """``{"amount": "0.8735", "currency": "EUR"}``, plus ``"per": "KGM"`` with a unit."""
        data = {"amount": _plain(self.amount), "currency": self.currency.code}
        if self.per is not None:
            data["per"] = self.per.code
        return data

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from backoffice.core._pydantic import object_schema

        def from_input(value: object) -> UnitPrice:
            if isinstance(value, UnitPrice):
                return value
            if not isinstance(value, Mapping):
                raise InvalidAmount(
                    'expected {"amount": "0.123456", "currency": "EUR"}',
                    field="unit price",
                    value=value,
                )
            amount, currency = _amount_and_currency(value, "unit price", '"0.123456"')
            per = value.get("per")
            if per is not None and not isinstance(per, str):
                raise InvalidType(field="per", expected="a unit code such as 'KGM'", got=per)
            return UnitPrice(amount, currency, per=per)

        return object_schema(cls, from_input, UnitPrice.to_dict)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema_dict = _amount_json_schema("A unit price, up to 10 decimals.")
        schema_dict["properties"]["per"] = {
            "type": "string",
            "description": "UN/ECE Recommendation 20 unit code the price is per",
        }
        return schema_dict


def _price(amount: str, currency: str, per: str | None) -> UnitPrice:
    return UnitPrice(amount, currency, per=per)


def _plain(value: Decimal) -> str:
    """Fixed-point text (``0.0000001``, never ``1E-7``), whatever the thread's context."""
    return format(value, "f")


_PERCENT_EXAMPLE: Final = 'Rate.percent("5.5")'


class Rate:
    """A rate, stored as an exact ratio (20 % is ``Rate.percent("20")``, ratio 0.2).

    Rates are checked when built: never negative, and by default at most 100 %; pass
    ``maximum_percent`` (``None`` for no bound) for rates that may exceed it, such as a
    mark-up.

    >>> Rate.percent("5.5").ratio
    Decimal('0.055')
    >>> Rate.percent("20").of(Money("19.99", "EUR"), rounding=RoundingMode.HALF_UP)
    Money('4.00', 'EUR')
    """

    __slots__ = ("_pair", "ratio")

    ratio: Decimal
    _pair: tuple[int, int]

    def __init__(self, ratio: NumberInput, *, maximum_percent: NumberInput | None = 100) -> None:
        value = to_decimal(ratio, "rate", _PERCENT_EXAMPLE)
        percent = EXACT.multiply(value, Decimal(100))
        limit = (
            None
            if maximum_percent is None
            else to_decimal(maximum_percent, "maximum_percent", "1000")
        )
        if value < 0 or (limit is not None and percent > limit):
            raise InvalidRate(
                field="rate",
                value=f"{_plain(strip_zeros(percent))} %",
                minimum="0 %",
                maximum="∞" if limit is None else f"{_plain(limit)} %",
            )
        object.__setattr__(self, "ratio", value)
        object.__setattr__(self, "_pair", value.as_integer_ratio())

    @classmethod
    def percent(cls, value: NumberInput, *, maximum_percent: NumberInput | None = 100) -> Rate:
        """A rate from a percentage: ``Rate.percent("20")`` is 20 %."""
        percent = to_decimal(value, "rate", _PERCENT_EXAMPLE)
        return cls(percent.scaleb(-2, EXACT), maximum_percent=maximum_percent)

    @classmethod
    def basis_points(cls, value: NumberInput, *, maximum_percent: NumberInput | None = 100) -> Rate:
        """A rate from basis points: ``Rate.basis_points(25)`` is 0.25 %."""
        points = to_decimal(value, "rate", "Rate.basis_points(25)")
        return cls(points.scaleb(-4, EXACT), maximum_percent=maximum_percent)

    @property
    def percent_value(self) -> Decimal:
        """The rate in percent (``Decimal("20")`` for 20 %), without trailing zeros."""
        return strip_zeros(EXACT.multiply(self.ratio, Decimal(100)))

    def of(self, money: Money, *, rounding: RoundingArg) -> Money:
        """``money × rate``, rounded once: the VAT on a base, the interest on a debt."""
        return money.multiply(self, rounding=rounding)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError("Rate is immutable")

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Rate):
            return self.ratio == other.ratio
        return NotImplemented

    def __lt__(self, other: Rate) -> bool:
        if not isinstance(other, Rate):
            return NotImplemented
        return self.ratio < other.ratio

    def __le__(self, other: Rate) -> bool:
        if not isinstance(other, Rate):
            return NotImplemented
        return self.ratio <= other.ratio

    def __hash__(self) -> int:
        return hash(self.ratio)

    def __repr__(self) -> str:
        return f"Rate.percent('{_plain(self.percent_value)}')"

    def __str__(self) -> str:
        return f"{_plain(self.percent_value)} %"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rate_from_ratio, (_plain(self.ratio),))

    def to_dict(self) -> dict[str, str]:
        """``{"percent": "5.5"}``: a string, never a JSON number."""
        return {"percent": _plain(self.percent_value)}

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from backoffice.core._pydantic import object_schema

        def from_input(value: object) -> Rate:
            if isinstance(value, Rate):
                return value
            if isinstance(value, Mapping) and "percent" in value:
                percent = value["percent"]
                if isinstance(percent, float):
                    raise FloatNotAllowed(field="percent", value=percent, example='"5.5"')
                if not isinstance(percent, Decimal | int | str) or isinstance(percent, bool):
                    raise InvalidAmount(field="percent", value=percent)
                # any non-negative rate round-trips; bounds belong to the model's own checks
                return Rate.percent(percent, maximum_percent=None)
            raise InvalidAmount('expected {"percent": "20"}', field="rate", value=value)

        return object_schema(cls, from_input, Rate.to_dict)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "type": "object",
            "description": "A rate in percent, as a decimal string.",
            "properties": {"percent": {"type": "string", "pattern": r"^\d+(\.\d+)?$"}},
            "required": ["percent"],
            "additionalProperties": False,
        }


def _rate_from_ratio(ratio: str) -> Rate:
    return Rate(ratio, maximum_percent=None)


# ---------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_BIDI_MARKS = str.maketrans({"\u200e": None, "\u200f": None, "\u061c": None})
_APOSTROPHES = "'’"
_ASCII_DIGITS = "0123456789"
_MONEY_TEXT = re.compile(
    r"(?P<sign1>[-−]?)(?P<cur1>[^\d\s\-−+.,]*)\s*(?P<sign2>[-−]?)\s*"
    r"(?P<number>\d(?:[\d.,'’\s]*\d)?)\s*(?P<cur2>[^\d]*?)"
)


def _parse_money(text: str, locale: str, currency: Currency | str | None) -> Money:
    from babel.numbers import NumberFormatError, parse_decimal

    from backoffice.core.l10n import BABEL_CONTEXT, _babel_locale, normalize_locale

    if not isinstance(text, str):
        raise MoneyParseError(text=text, locale=locale, reason="expected a string")
    name = normalize_locale(locale)
    cleaned = _SPACES.sub(" ", text.translate(_BIDI_MARKS).strip())
    match = _MONEY_TEXT.fullmatch(cleaned)
    if match is None:
        raise MoneyParseError(text=text, locale=name, reason="no amount found")
    if match["sign1"] and match["sign2"]:
        raise MoneyParseError(text=text, locale=name, reason="two minus signs")
    tokens = [token for token in (match["cur1"], match["cur2"].strip()) if token]
    if len(tokens) > 1:
        raise MoneyParseError(text=text, locale=name, reason="two currency marks")
    babel_locale = _babel_locale(name)
    expected = get_currency(currency) if currency is not None else None
    found: Currency | None = None
    if tokens:
        found = _currency_from_token(tokens[0], babel_locale, expected, text, name)
    if found is None:
        if expected is None:
            raise MoneyParseError(
                text=text, locale=name, reason="no currency in the text; pass currency="
            )
        found = expected
    elif expected is not None and found is not expected:
        raise MoneyParseError(
            text=text, locale=name, reason=f"the text is in {found.code}, not {expected.code}"
        )
    symbols = babel_locale.number_symbols["latn"]
    group, decimal_mark = symbols["group"], symbols["decimal"]
    number_text = match["number"].replace(" ", group)
    if group in _APOSTROPHES:
        number_text = number_text.replace("'", group).replace("’", group)
    foreign = sorted({c for c in number_text if c not in _ASCII_DIGITS + group + decimal_mark})
    if foreign:
        raise MoneyParseError(
            text=text,
            locale=name,
            reason=f"{''.join(foreign)!r} is not a digit or separator in {name}, which writes "
            f"one thousand and a half as 1{group}000{decimal_mark}5",
        )
    try:
        with decimal.localcontext(BABEL_CONTEXT):
            amount = parse_decimal(number_text, locale=babel_locale, strict=True)
    except (NumberFormatError, decimal.InvalidOperation) as exc:
        raise MoneyParseError(text=text, locale=name, reason=str(exc).split("\n")[0]) from None
    if match["sign1"] or match["sign2"]:
        amount = amount.copy_negate()
    try:
        return Money(amount, found)
    except PrecisionError:
        raise MoneyParseError(
            text=text,
            locale=name,
            reason=f"{found.code} amounts have {found.decimals} decimal(s)",
        ) from None


def _currency_from_token(
    token: str, babel_locale: Any, expected: Currency | None, text: str, locale: str
) -> Currency:
    if re.fullmatch(r"[A-Za-z]{3}", token):
        try:
            return get_currency(token)
        except UnknownCurrency:
            raise MoneyParseError(
                text=text, locale=locale, reason=f"unknown currency {token!r}"
            ) from None
    symbols: Mapping[str, str] = babel_locale.currency_symbols
    candidates = sorted(code for code, symbol in symbols.items() if symbol == token)
    if expected is not None and expected.code in candidates:
        return expected
    known = [code for code in candidates if code in _known_codes()]
    if len(known) == 1:
        return get_currency(known[0])
    if not known:
        raise MoneyParseError(text=text, locale=locale, reason=f"unknown currency mark {token!r}")
    raise MoneyParseError(
        text=text,
        locale=locale,
        reason=f"{token!r} is ambiguous ({', '.join(known)}); pass currency=",
    )


def _known_codes() -> frozenset[str]:
    return frozenset(currency.code for currency in currencies())
