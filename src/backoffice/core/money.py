"""Exact money: currencies, rounding policies, amounts, unit prices, rates, allocation.

The model in five rules (see the *Money model* explanation page for the why):

1. Amounts are :class:`~decimal.Decimal`, ``int`` or decimal strings. A ``float``
   raises :class:`~backoffice.errors.FloatNotAllowed`, a ``TypeError``.
2. A :class:`Money` holds a *booked* amount: it always has exactly the currency's
   ISO 4217 minor unit (``Money("5", "EUR")`` is ``5.00 EUR``). An amount with more
   decimals is refused unless a rounding is named: ``Money("0.125", "EUR",
   rounding=RoundingMode.HALF_EVEN)``.
3. Every rounding names its mode and quantum (:class:`RoundingPolicy`); the thread's
   decimal context is never read nor changed.
4. Arithmetic and ordering only within one currency
   (:class:`~backoffice.errors.CurrencyMismatch`). Operations whose result may need
   rounding (``* Decimal``, ``/``) are methods that take the rounding:
   :meth:`Money.multiply`, :meth:`Money.divide`.
5. Splitting never loses or invents a minor unit: :func:`allocate`, :func:`split`.

High-precision prices (:class:`UnitPrice`) and rates (:class:`Rate`) are separate types,
so that an unrounded price can never be booked by mistake.
"""

from __future__ import annotations

import enum
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar, Final, Literal, NoReturn, Self

from backoffice.core import _iso4217
from backoffice.core._numbers import (
    EXACT,
    NumberInput,
    decimals_of,
    exponent_of,
    round_ratio,
    round_to_quantum,
    to_decimal,
)
from backoffice.errors import (
    AllocationError,
    CurrencyMismatch,
    FloatNotAllowed,
    InvalidAmount,
    InvalidRate,
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

__all__ = [
    "Currency",
    "Money",
    "Rate",
    "RoundingMode",
    "RoundingPolicy",
    "UnitPrice",
    "allocate",
    "get_currency",
    "split",
]


# ---------------------------------------------------------------------------------------
# Currencies
# ---------------------------------------------------------------------------------------


class Currency:
    """An ISO 4217 currency: ``code``, ``numeric`` code and ``minor_units``.

    Instances are shared: ``get_currency("EUR") is get_currency("EUR")``. Build them
    with :func:`get_currency` (or pass the code wherever a currency is expected).

    Attributes:
        code: alphabetic code, ``"EUR"``.
        numeric: numeric code, ``"978"``.
        minor_units: decimals of the minor unit (2 for EUR, 0 for JPY, 3 for KWD), or
            ``None`` where ISO 4217 defines none (XAU, XDR...).
        withdrawn: date of withdrawal from ISO 4217 List One, for the few recently
            withdrawn codes kept for older documents; ``None`` for active currencies.
    """

    __slots__ = ("code", "minor_units", "numeric", "quantum", "withdrawn")

    code: str
    numeric: str
    minor_units: int | None
    quantum: Decimal | None
    withdrawn: date | None

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise TypeError("use get_currency('EUR') to obtain a Currency")

    @classmethod
    def _create(
        cls, code: str, numeric: str, minor_units: int | None, withdrawn: date | None
    ) -> Currency:
        obj = object.__new__(cls)
        object.__setattr__(obj, "code", code)
        object.__setattr__(obj, "numeric", numeric)
        object.__setattr__(obj, "minor_units", minor_units)
        quantum = None if minor_units is None else Decimal((0, (1,), -minor_units))
        object.__setattr__(obj, "quantum", quantum)
        object.__setattr__(obj, "withdrawn", withdrawn)
        return obj

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError("Currency is immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError("Currency is immutable")

    def __repr__(self) -> str:
        return f"Currency({self.code!r})"

    def __str__(self) -> str:
        return self.code

    def __reduce__(self) -> tuple[Any, ...]:
        return (get_currency, (self.code,))

    def __copy__(self) -> Currency:
        return self

    def __deepcopy__(self, memo: object) -> Currency:
        return self

    def name(self, locale: str = "en") -> str:
        """The currency's name in ``locale`` (``"euro"`` in ``fr_FR``)."""
        from babel.numbers import get_currency_name

        from backoffice.core.l10n import normalize_locale

        return str(get_currency_name(self.code, locale=normalize_locale(locale)))

    def symbol(self, locale: str) -> str:
        """The currency's symbol in ``locale`` (``"R$"`` for BRL in ``pt_BR``)."""
        from babel.numbers import get_currency_symbol

        from backoffice.core.l10n import normalize_locale

        return str(get_currency_symbol(self.code, locale=normalize_locale(locale)))

    def to_moneyed(self) -> moneyed.Currency:
        """The matching :class:`moneyed.Currency` (registered there if missing)."""
        import moneyed

        try:
            return moneyed.get_currency(self.code)
        except moneyed.CurrencyDoesNotExist:
            sub_unit = 1 if self.minor_units is None else 10**self.minor_units
            return moneyed.add_currency(self.code, self.numeric, sub_unit=sub_unit)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from pydantic_core import core_schema

        from backoffice.core._pydantic import wrap_validator

        return core_schema.no_info_plain_validator_function(
            wrap_validator(lambda value: get_currency(value)),
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda value: value.code, when_used="json"
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217 code"}


_CURRENCIES: dict[str, Currency] = {}
_BY_NUMERIC: dict[str, Currency] = {}
_currency_lock = threading.Lock()


def _load_currencies() -> None:
    with _currency_lock:
        if _CURRENCIES:
            return
        for code, (numeric, minor, withdrawn) in _iso4217.WITHDRAWN.items():
            currency = Currency._create(code, numeric, minor, withdrawn)
            _CURRENCIES[code] = currency
            _BY_NUMERIC[numeric] = currency
        for code, (numeric, minor) in _iso4217.ACTIVE.items():
            currency = Currency._create(code, numeric, minor, None)
            _CURRENCIES[code] = currency
            _BY_NUMERIC[numeric] = currency  # active codes win over withdrawn ones


_load_currencies()


def get_currency(code: object) -> Currency:
    """The :class:`Currency` for an ISO 4217 code (``"EUR"``, ``"eur"``, ``"978"``).

    Also accepts a :class:`Currency` (returned as is) or a :class:`moneyed.Currency`.

    Raises:
        UnknownCurrency: not an ISO 4217 code.
    """
    if isinstance(code, Currency):
        return code
    if isinstance(code, str):
        key = code.strip().upper()
        found = _CURRENCIES.get(key) or (_BY_NUMERIC.get(key) if key.isdigit() else None)
        if found is not None:
            return found
        raise UnknownCurrency(currency=code)
    moneyed_code = getattr(code, "code", None)
    if isinstance(moneyed_code, str) and type(code).__module__.startswith("moneyed"):
        return get_currency(moneyed_code)
    raise UnknownCurrency(currency=code)


def currencies() -> tuple[Currency, ...]:
    """Every known currency, active ones and the recently withdrawn, sorted by code."""
    return tuple(_CURRENCIES[code] for code in sorted(_CURRENCIES))


# ---------------------------------------------------------------------------------------
# Rounding
# ---------------------------------------------------------------------------------------


class RoundingMode(enum.StrEnum):
    """How to round; the same meanings as the :mod:`decimal` module's modes.

    ``HALF_UP`` is commercial rounding (ties away from zero: 0.125 → 0.13, -0.125 →
    -0.13), ``HALF_EVEN`` is banker's rounding (ties to the even digit: 0.125 → 0.12),
    ``HALF_DOWN`` sends ties toward zero, ``UP`` rounds away from zero, ``DOWN``
    truncates toward zero, ``CEILING`` toward +∞ and ``FLOOR`` toward -∞.
    """

    HALF_UP = "ROUND_HALF_UP"
    HALF_EVEN = "ROUND_HALF_EVEN"
    HALF_DOWN = "ROUND_HALF_DOWN"
    UP = "ROUND_UP"
    DOWN = "ROUND_DOWN"
    CEILING = "ROUND_CEILING"
    FLOOR = "ROUND_FLOOR"


class RoundingPolicy:
    """A rounding mode and a quantum: *how* and *to what step* to round.

    ``quantum`` is the step results are multiples of. ``None`` means the currency's
    minor unit (0.01 for EUR, 1 for JPY); any positive step is allowed, e.g. ``0.05``
    for Swiss cash rounding or ``1`` for whole units.

    >>> RoundingPolicy(RoundingMode.HALF_UP).round(Decimal("2.345"), "EUR")
    Decimal('2.35')
    >>> RoundingPolicy(RoundingMode.HALF_EVEN, Decimal("0.05")).round(Decimal("1.025"))
    Decimal('1.00')
    """

    __slots__ = ("mode", "quantum")

    mode: RoundingMode
    quantum: Decimal | None

    def __init__(self, mode: RoundingMode | str, quantum: NumberInput | None = None) -> None:
        try:
            rounding_mode = RoundingMode(mode) if not isinstance(mode, RoundingMode) else mode
        except ValueError:
            try:
                rounding_mode = RoundingMode[str(mode).upper()]
            except KeyError:
                raise RoundingError(
                    reason=f"unknown rounding mode {mode!r}; use one of "
                    + ", ".join(m.name for m in RoundingMode)
                ) from None
        step: Decimal | None = None
        if quantum is not None:
            step = to_decimal(quantum, "quantum", 'RoundingPolicy("HALF_UP", "0.05")')
            if step <= 0:
                raise RoundingError(reason=f"the quantum must be positive, got {step}")
        object.__setattr__(self, "mode", rounding_mode)
        object.__setattr__(self, "quantum", step)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError("RoundingPolicy is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RoundingPolicy):
            return NotImplemented
        return self.mode == other.mode and self.quantum == other.quantum

    def __hash__(self) -> int:
        return hash((self.mode, self.quantum))

    def __repr__(self) -> str:
        quantum = "" if self.quantum is None else f", Decimal('{self.quantum}')"
        return f"RoundingPolicy(RoundingMode.{self.mode.name}{quantum})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (RoundingPolicy, (self.mode, self.quantum))

    def quantum_for(self, currency: Currency | str | None) -> Decimal:
        """The step this policy rounds to for ``currency``."""
        if self.quantum is not None:
            return self.quantum
        if currency is None:
            raise RoundingError(reason="no quantum given and no currency to take it from")
        found = get_currency(currency)
        if found.quantum is None:
            raise RoundingError(
                reason=f"{found.code} has no minor unit in ISO 4217; give the policy a quantum"
            )
        return found.quantum

    def round(self, value: NumberInput | Fraction, currency: Currency | str | None = None) -> Decimal:
        """Round ``value`` to this policy's quantum (or ``currency``'s minor unit)."""
        exact: Decimal | Fraction = (
            value
            if isinstance(value, Fraction)
            else to_decimal(value, "value", 'Decimal("2.345")')
        )
        return round_to_quantum(exact, self.quantum_for(currency), self.mode.value)


def _policy(rounding: RoundingPolicy | RoundingMode | str) -> RoundingPolicy:
    if isinstance(rounding, RoundingPolicy):
        return rounding
    return RoundingPolicy(rounding)


RoundingArg = RoundingPolicy | RoundingMode | str

# ---------------------------------------------------------------------------------------
# Money
# ---------------------------------------------------------------------------------------

_MONEY_EXAMPLE: Final = 'Money("0.10", "EUR")'


def _mismatch(operation: str, left: object, right: object) -> CurrencyMismatch:
    return CurrencyMismatch(operation=operation, left=left, right=right)


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

    __slots__ = ("_amount", "_currency")

    _amount: Decimal
    _currency: Currency

    def __init__(
        self,
        amount: NumberInput,
        currency: Currency | str,
        *,
        rounding: RoundingArg | None = None,
    ) -> None:
        found = get_currency(currency)
        value = to_decimal(amount, "amount", _MONEY_EXAMPLE)
        _set_amount(self, _book(value, found, rounding))
        _set_currency(self, found)

    # -- construction -------------------------------------------------------------------

    @classmethod
    def zero(cls, currency: Currency | str) -> Money:
        """Zero in ``currency``."""
        return cls(0, currency)

    @classmethod
    def from_minor_units(cls, units: int, currency: Currency | str) -> Money:
        """From an integer count of minor units: ``Money.from_minor_units(1234, "EUR")``
        is 12.34 EUR (a 0-decimal currency takes whole units)."""
        if not isinstance(units, int) or isinstance(units, bool):
            if isinstance(units, float):
                raise FloatNotAllowed(
                    field="units", value=units, example='Money.from_minor_units(1234, "EUR")'
                )
            raise InvalidAmount(field="units", value=units)
        found = get_currency(currency)
        if found.minor_units is None:
            raise RoundingError(reason=f"{found.code} has no minor unit in ISO 4217")
        return _make(Decimal(units).scaleb(-found.minor_units, EXACT), found)

    @classmethod
    def total(cls, amounts: Iterable[Money], currency: Currency | str) -> Money:
        """The sum of ``amounts``, all in ``currency`` (zero for none)."""
        found = get_currency(currency)
        result = Decimal(0)
        for item in amounts:
            if not isinstance(item, Money):
                raise TypeError(f"Money.total() takes Money items, got {type(item).__name__}")
            if item._currency is not found:
                raise _mismatch("add", item, found.code)
            result = EXACT.add(result, item._amount)
        return _make(_quantize_exact(result, found), found)

    @classmethod
    def from_moneyed(cls, value: moneyed.Money, *, rounding: RoundingArg | None = None) -> Money:
        """From a :class:`moneyed.Money` (django-money and others hold those)."""
        return cls(value.amount, value.currency.code, rounding=rounding)

    @classmethod
    def parse(cls, text: str, locale: str, *, currency: Currency | str | None = None) -> Money:
        """Read an amount as written in ``locale``: ``"1 234,56 €"`` in ``fr_FR``.

        The currency comes from the text (symbol or ISO code) or from ``currency``; if
        both are present they must agree. Grouping is checked strictly, so ``"1.234"``
        in ``en_US`` is refused rather than read as 1234.

        Raises:
            MoneyParseError: not an amount in that locale, or the currency is missing or
                ambiguous.
        """
        return _parse_money(cls, text, locale, currency)

    # -- accessors ----------------------------------------------------------------------

    @property
    def amount(self) -> Decimal:
        """The amount, a ``Decimal`` with exactly the currency's minor unit."""
        return self._amount

    @property
    def currency(self) -> Currency:
        return self._currency

    def minor_units(self) -> int:
        """The amount as an integer count of minor units (12.34 EUR → 1234)."""
        minor = self._currency.minor_units
        if minor is None:
            raise RoundingError(reason=f"{self._currency.code} has no minor unit in ISO 4217")
        return int(self._amount.scaleb(minor, EXACT))

    def is_zero(self) -> bool:
        return not self._amount

    def is_positive(self) -> bool:
        return self._amount > 0

    def is_negative(self) -> bool:
        return self._amount < 0

    # -- immutability, identity ----------------------------------------------------------

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError("Money is immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError("Money is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return (Money, (str(self._amount), self._currency.code))

    def __copy__(self) -> Money:
        return self

    def __deepcopy__(self, memo: object) -> Money:
        return self

    def __repr__(self) -> str:
        return f"Money('{self._amount}', '{self._currency.code}')"

    def __str__(self) -> str:
        return f"{self._amount} {self._currency.code}"

    def __hash__(self) -> int:
        return hash((self._amount, self._currency.code))

    def __bool__(self) -> bool:
        return bool(self._amount)

    # -- comparisons --------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Money):
            return self._currency is other._currency and self._amount == other._amount
        return NotImplemented

    def _check(self, other: object, operation: str) -> Money:
        if isinstance(other, Money):
            if other._currency is self._currency:
                return other
            raise _mismatch(operation, self, other)
        if isinstance(other, float):
            raise FloatNotAllowed(field="operand", value=other, example=_MONEY_EXAMPLE)
        raise TypeError(
            f"cannot {operation} Money and {type(other).__name__}: "
            f"use a Money in {self._currency.code}, e.g. Money('1.00', '{self._currency.code}')"
        )

    def __lt__(self, other: Money) -> bool:
        return self._amount < self._check(other, "compare")._amount

    def __le__(self, other: Money) -> bool:
        return self._amount <= self._check(other, "compare")._amount

    def __gt__(self, other: Money) -> bool:
        return self._amount > self._check(other, "compare")._amount

    def __ge__(self, other: Money) -> bool:
        return self._amount >= self._check(other, "compare")._amount

    # -- arithmetic ---------------------------------------------------------------------

    def __add__(self, other: Money) -> Money:
        if other.__class__ is Money and other._currency is self._currency:
            return _make(_add(self._amount, other._amount), self._currency)
        return _make(_add(self._amount, self._check(other, "add")._amount), self._currency)

    def __sub__(self, other: Money) -> Money:
        if other.__class__ is Money and other._currency is self._currency:
            return _make(_subtract(self._amount, other._amount), self._currency)
        return _make(
            _subtract(self._amount, self._check(other, "subtract")._amount), self._currency
        )

    def __neg__(self) -> Money:
        return _make(_normal_zero(self._amount.copy_negate()), self._currency)

    def __pos__(self) -> Money:
        return self

    def __abs__(self) -> Money:
        return _make(self._amount.copy_abs(), self._currency)

    def __mul__(self, factor: int) -> Money:
        if factor.__class__ is int:
            return _make(_normal_zero(_multiply(self._amount, Decimal(factor))), self._currency)
        if isinstance(factor, float):
            raise FloatNotAllowed(field="factor", value=factor, example='Decimal("1.2")')
        if isinstance(factor, Decimal | str | Rate | Fraction):
            raise RoundingRequired(
                operation=f"{self!r} * {factor!r}",
                fix="money.multiply(factor, rounding=RoundingMode.HALF_UP)",
            )
        return NotImplemented

    __rmul__ = __mul__

    def __truediv__(self, divisor: object) -> NoReturn:
        raise RoundingRequired(
            operation=f"{self!r} / {divisor!r}",
            fix="money.divide(divisor, rounding=RoundingMode.HALF_UP), split() or allocate()",
        )

    def __floordiv__(self, divisor: object) -> NoReturn:
        self.__truediv__(divisor)

    def multiply(self, factor: NumberInput | Rate | Fraction, *, rounding: RoundingArg) -> Money:
        """``self × factor``, rounded once with ``rounding``.

        >>> Money("19.99", "EUR").multiply(Decimal("0.2"), rounding=RoundingMode.HALF_UP)
        Money('4.00', 'EUR')
        """
        policy = _policy(rounding)
        exact: Decimal | Fraction
        if isinstance(factor, Rate):
            exact = _multiply(self._amount, factor.ratio)
        elif isinstance(factor, Fraction):
            exact = Fraction(self._amount) * factor
        else:
            exact = _multiply(self._amount, to_decimal(factor, "factor", 'Decimal("1.2")'))
        return _make(_book_rounded(exact, self._currency, policy), self._currency)

    def divide(self, divisor: NumberInput | Fraction, *, rounding: RoundingArg) -> Money:
        """``self ÷ divisor``, computed exactly then rounded once with ``rounding``.

        To share an amount without losing a cent, use :meth:`split` or :meth:`allocate`.
        """
        value: Fraction | Decimal = (
            divisor
            if isinstance(divisor, Fraction)
            else to_decimal(divisor, "divisor", 'Decimal("3")')
        )
        if not value:
            raise ZeroDivisionError("Money.divide() by zero")
        exact = Fraction(self._amount) / Fraction(value)
        return _make(_book_rounded(exact, self._currency, _policy(rounding)), self._currency)

    def round(self, rounding: RoundingArg) -> Money:
        """Round to a coarser step, e.g. Swiss cash rounding to 0.05 CHF.

        >>> Money("1.23", "CHF").round(RoundingPolicy(RoundingMode.HALF_UP, "0.05"))
        Money('1.25', 'CHF')
        """
        return _make(_book_rounded(self._amount, self._currency, _policy(rounding)), self._currency)

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

        return moneyed.Money(self._amount, self._currency.to_moneyed())

    def format(self, locale: str, *, style: Literal["symbol", "code"] = "symbol") -> str:
        """Format as ``locale`` writes it (``1 234,56 €`` in ``fr_FR``); see
        :func:`backoffice.core.l10n.format_money`."""
        from backoffice.core.l10n import format_money

        return format_money(self, locale, style=style)

    def to_dict(self) -> dict[str, str]:
        """``{"amount": "12.34", "currency": "EUR"}``: the amount is a string, never a
        JSON number."""
        return {"amount": str(self._amount), "currency": self._currency.code}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Money:
        """The inverse of :meth:`to_dict`."""
        missing = [key for key in ("amount", "currency") if key not in data]
        if missing:
            raise InvalidAmount(
                "a money object needs 'amount' and 'currency', e.g. "
                '{"amount": "12.34", "currency": "EUR"}; missing: ' + ", ".join(missing),
                field="money",
                value=dict(data),
            )
        amount = data["amount"]
        currency = data["currency"]
        if isinstance(amount, float):
            raise FloatNotAllowed(field="amount", value=amount, example='"12.34"')
        if not isinstance(amount, Decimal | int | str):
            raise InvalidAmount(field="amount", value=amount)
        if not isinstance(currency, str | Currency):
            raise UnknownCurrency(currency=currency)
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


_object_new = object.__new__
_set_amount = Money._amount.__set__  # type: ignore[attr-defined]
_set_currency = Money._currency.__set__  # type: ignore[attr-defined]
_add = EXACT.add
_subtract = EXACT.subtract
_multiply = EXACT.multiply


def _make(amount: Decimal, currency: Currency) -> Money:
    money = _object_new(Money)
    _set_amount(money, amount)
    _set_currency(money, currency)
    return money


def _normal_zero(amount: Decimal) -> Decimal:
    return amount.copy_abs() if not amount else amount


def _quantize_exact(amount: Decimal, currency: Currency) -> Decimal:
    if currency.quantum is None:
        return amount
    return amount.quantize(currency.quantum, context=EXACT)


def _book(value: Decimal, currency: Currency, rounding: RoundingArg | None) -> Decimal:
    """The amount as booked in ``currency``: exactly at its minor unit."""
    if rounding is not None:
        return _book_rounded(value, currency, _policy(rounding))
    minor = currency.minor_units
    if minor is not None and decimals_of(value) > minor:
        raise PrecisionError(
            field="amount",
            value=value,
            decimals=minor,
            example=f'Money("{value}", "{currency.code}", rounding=RoundingMode.HALF_UP)',
        )
    return _normal_zero(_quantize_exact(value, currency))


def _book_rounded(value: Decimal | Fraction, currency: Currency, policy: RoundingPolicy) -> Decimal:
    quantum = policy.quantum_for(currency)
    rounded = round_to_quantum(value, quantum, policy.mode.value)
    minor = currency.minor_units
    if minor is not None and decimals_of(rounded) > minor:
        raise RoundingError(
            reason=f"the quantum {quantum} is finer than {currency.code}'s minor unit "
            f"({currency.quantum}); round to {currency.quantum} or a multiple of it"
        )
    return _normal_zero(_quantize_exact(rounded, currency))


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
        raise FloatNotAllowed(field="money", value=value, example='{"amount": "12.34", "currency": "EUR"}')
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


def _ratio(value: object, index: int) -> Fraction:
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
        quantum: the smallest unit handed out (default: the currency's minor unit);
            ``total`` must be a multiple of it.

    Raises:
        AllocationError: no ratios, a negative ratio, all ratios zero, or a total that
            is not a multiple of ``quantum``.
    """
    if not isinstance(total, Money):
        raise TypeError(f"allocate() shares a Money, got {type(total).__name__}")
    if isinstance(ratios, str | bytes) or not isinstance(ratios, Sequence):
        raise AllocationError(reason="ratios must be a sequence such as [1, 2, 3]")
    if not ratios:
        raise AllocationError(reason="no ratios given")
    weights = [_ratio(value, index) for index, value in enumerate(ratios)]
    weight_sum = sum(weights, Fraction(0))
    if weight_sum == 0:
        raise AllocationError(reason="all ratios are zero")
    currency = total.currency
    step = (
        RoundingPolicy(RoundingMode.DOWN, quantum).quantum_for(currency)
        if quantum is not None
        else RoundingPolicy(RoundingMode.DOWN).quantum_for(currency)
    )
    units_fraction = Fraction(total.amount) / Fraction(step)
    if units_fraction.denominator != 1:
        raise AllocationError(reason=f"{total} is not a multiple of the quantum {step}")
    units = abs(units_fraction.numerator)
    sign = -1 if total.amount < 0 else 1
    exact = [units * weight / weight_sum for weight in weights]
    shares = [share.numerator // share.denominator for share in exact]
    leftover = units - sum(shares)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - shares[i]), i))
    for index in order[:leftover]:
        shares[index] += 1
    return [
        _make(_quantize_exact(_normal_zero(EXACT.multiply(Decimal(sign * s), step)), currency), currency)
        for s in shares
    ]


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
    names the rounding.

    >>> UnitPrice("0.123456", "EUR").extend(Decimal("1000"), rounding=RoundingMode.HALF_UP)
    Money('123.46', 'EUR')
    """

    MAX_DECIMALS: ClassVar[int] = 10

    __slots__ = ("amount", "currency")

    amount: Decimal
    currency: Currency

    def __init__(
        self,
        amount: NumberInput | Money,
        currency: Currency | str | None = None,
        *,
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
        if decimals_of(value) > self.MAX_DECIMALS:
            if rounding is None:
                raise PrecisionError(
                    field="unit price",
                    value=value,
                    decimals=self.MAX_DECIMALS,
                    example=f'UnitPrice("{value}", "{found.code}", rounding=RoundingPolicy('
                    f'RoundingMode.HALF_UP, "1E-{self.MAX_DECIMALS}"))',
                )
            policy = _policy(rounding)
            value = round_to_quantum(
                value,
                policy.quantum or Decimal((0, (1,), -self.MAX_DECIMALS)),
                policy.mode.value,
            )
        object.__setattr__(self, "amount", _normal_zero(value))
        object.__setattr__(self, "currency", found)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError("UnitPrice is immutable")

    def __repr__(self) -> str:
        return f"UnitPrice('{self.amount}', '{self.currency.code}')"

    def __str__(self) -> str:
        return f"{self.amount} {self.currency.code}"

    def __reduce__(self) -> tuple[Any, ...]:
        return (UnitPrice, (str(self.amount), self.currency.code))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, UnitPrice):
            return self.currency is other.currency and self.amount == other.amount
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.amount.normalize(EXACT), self.currency.code))

    def _other(self, other: object, operation: str) -> UnitPrice:
        if isinstance(other, UnitPrice):
            if other.currency is not self.currency:
                raise _mismatch(operation, self, other)
            return other
        raise TypeError(f"cannot {operation} UnitPrice and {type(other).__name__}")

    def __lt__(self, other: UnitPrice) -> bool:
        return self.amount < self._other(other, "compare").amount

    def __le__(self, other: UnitPrice) -> bool:
        return self.amount <= self._other(other, "compare").amount

    def __gt__(self, other: UnitPrice) -> bool:
        return self.amount > self._other(other, "compare").amount

    def __ge__(self, other: UnitPrice) -> bool:
        return self.amount >= self._other(other, "compare").amount

    def __add__(self, other: UnitPrice) -> UnitPrice:
        return UnitPrice(EXACT.add(self.amount, self._other(other, "add").amount), self.currency)

    def __sub__(self, other: UnitPrice) -> UnitPrice:
        return UnitPrice(
            EXACT.subtract(self.amount, self._other(other, "subtract").amount), self.currency
        )

    def __neg__(self) -> UnitPrice:
        return UnitPrice(self.amount.copy_negate(), self.currency)

    def extend(
        self,
        quantity: NumberInput | Any,
        *,
        rounding: RoundingArg,
        base_quantity: NumberInput = 1,
    ) -> Money:
        """The amount for ``quantity`` units, rounded once to the currency.

        ``base_quantity`` is the number of units the price is for (EN 16931 BT-149: a
        price of 12.50 per 100 pieces), and ``quantity`` may be a plain number or a
        :class:`~backoffice.core.quantity.Quantity` (its value is used).
        """
        raw = getattr(quantity, "value", quantity)
        count = to_decimal(raw, "quantity", 'Decimal("3")')
        base = to_decimal(base_quantity, "base_quantity", 'Decimal("100")')
        if base <= 0:
            raise InvalidAmount(field="base_quantity", value=base)
        exact: Decimal | Fraction = EXACT.multiply(self.amount, count)
        if base != 1:
            exact = Fraction(exact) / Fraction(base)
        return _make(_book_rounded(exact, self.currency, _policy(rounding)), self.currency)

    def to_money(self, *, rounding: RoundingArg) -> Money:
        """This price as booked money, rounded with ``rounding``."""
        return _make(_book_rounded(self.amount, self.currency, _policy(rounding)), self.currency)

    def to_dict(self) -> dict[str, str]:
        return {"amount": str(self.amount), "currency": self.currency.code}

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from backoffice.core._pydantic import object_schema

        def from_input(value: object) -> UnitPrice:
            if isinstance(value, UnitPrice):
                return value
            if not isinstance(value, Mapping) or {"amount", "currency"} - set(value):
                raise InvalidAmount(
                    'expected {"amount": "0.123456", "currency": "EUR"}',
                    field="unit price",
                    value=value,
                )
            amount = value["amount"]
            if isinstance(amount, float):
                raise FloatNotAllowed(field="amount", value=amount, example='"0.123456"')
            return UnitPrice(amount, value["currency"])

        return object_schema(cls, from_input, UnitPrice.to_dict)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return _amount_json_schema("A unit price, up to 10 decimals.")


_PERCENT_EXAMPLE: Final = 'Rate.percent("5.5")'


class Rate:
    """A rate, stored as an exact ratio (20 % is ``Rate.percent("20")``, ratio 0.2).

    Rates are checked against a range when built: by default 0 % to 100 %; pass
    ``maximum`` (in percent) for rates that may exceed it, such as a mark-up.

    >>> Rate.percent("5.5").ratio
    Decimal('0.055')
    >>> Rate.percent("20").of(Money("19.99", "EUR"), rounding=RoundingMode.HALF_UP)
    Money('4.00', 'EUR')
    """

    __slots__ = ("ratio",)

    ratio: Decimal

    def __init__(self, ratio: NumberInput, *, maximum_percent: NumberInput = 100) -> None:
        value = to_decimal(ratio, "rate", _PERCENT_EXAMPLE)
        limit = to_decimal(maximum_percent, "maximum_percent", "1000")
        if value < 0 or EXACT.multiply(value, Decimal(100)) > limit:
            raise InvalidRate(
                field="rate", value=f"{EXACT.multiply(value, Decimal(100)).normalize(EXACT)} %",
                minimum="0 %", maximum=f"{limit} %",
            )
        object.__setattr__(self, "ratio", value)

    @classmethod
    def percent(cls, value: NumberInput, *, maximum_percent: NumberInput = 100) -> Rate:
        """A rate from a percentage: ``Rate.percent("20")`` is 20 %."""
        percent = to_decimal(value, "rate", _PERCENT_EXAMPLE)
        return cls(percent.scaleb(-2, EXACT), maximum_percent=maximum_percent)

    @classmethod
    def basis_points(cls, value: NumberInput, *, maximum_percent: NumberInput = 100) -> Rate:
        """A rate from basis points: ``Rate.basis_points(25)`` is 0.25 %."""
        points = to_decimal(value, "rate", "Rate.basis_points(25)")
        return cls(points.scaleb(-4, EXACT), maximum_percent=maximum_percent)

    @property
    def percent_value(self) -> Decimal:
        """The rate in percent (``Decimal("20")`` for 20 %), normalized."""
        return _strip(EXACT.multiply(self.ratio, Decimal(100)))

    def of(self, money: Money, *, rounding: RoundingArg) -> Money:
        """``money × rate``, rounded once: the VAT on a base, the interest on a debt."""
        return money.multiply(self.ratio, rounding=rounding)

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
        return f"Rate.percent('{self.percent_value}')"

    def __str__(self) -> str:
        return f"{self.percent_value} %"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rate_from_ratio, (str(self.ratio),))

    def to_dict(self) -> dict[str, str]:
        return {"percent": str(self.percent_value)}

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
                if not isinstance(percent, Decimal | int | str):
                    raise InvalidAmount(field="percent", value=percent)
                return Rate.percent(percent)
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
    rate = object.__new__(Rate)
    object.__setattr__(rate, "ratio", Decimal(ratio))
    return rate


def _strip(value: Decimal) -> Decimal:
    """Drop trailing zeros without going to exponent notation (``20``, not ``2E+1``)."""
    normal = value.normalize(EXACT)
    return normal.quantize(Decimal(1), context=EXACT) if exponent_of(normal) > 0 else normal


# ---------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_MONEY_TEXT = re.compile(
    r"(?P<sign1>[-−]?)(?P<cur1>[^\d\s\-−+.,]*)\s*(?P<sign2>[-−]?)\s*"
    r"(?P<number>\d(?:[\d.,'’\s]*\d)?)\s*(?P<cur2>[^\d]*?)"
)


def _parse_money(
    cls: type[Money], text: str, locale: str, currency: Currency | str | None
) -> Money:
    from babel.numbers import NumberFormatError, parse_decimal

    from backoffice.core.l10n import _babel_locale, normalize_locale

    if not isinstance(text, str):
        raise MoneyParseError(text=text, locale=locale, reason="expected a string")
    name = normalize_locale(locale)
    cleaned = _SPACES.sub(" ", text.strip())
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
    number_text = match["number"].replace(" ", babel_locale.number_symbols["latn"]["group"])
    try:
        amount = parse_decimal(number_text, locale=babel_locale, strict=True)
    except NumberFormatError as exc:
        raise MoneyParseError(text=text, locale=name, reason=str(exc).split("\n")[0]) from None
    if match["sign1"] or match["sign2"]:
        amount = amount.copy_negate()
    return cls(amount, found)


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
    known = [code for code in candidates if code in _CURRENCIES]
    if len(known) == 1:
        return _CURRENCIES[known[0]]
    if not known:
        raise MoneyParseError(text=text, locale=locale, reason=f"unknown currency mark {token!r}")
    raise MoneyParseError(
        text=text,
        locale=locale,
        reason=f"{token!r} is ambiguous ({', '.join(known)}); pass currency=",
    )
