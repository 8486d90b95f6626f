"""Exact number helpers shared by money and quantities.

Nothing here reads or changes the thread's decimal context: every operation that could
depend on one goes through the module's own contexts.
"""

from __future__ import annotations

import decimal
import re
from decimal import Decimal
from fractions import Fraction
from typing import Final

from backoffice.errors import FloatNotAllowed, InvalidAmount

# Wide enough that additions, subtractions and multiplications of finite decimals are
# always exact; any rounding would trap (Inexact) instead of passing silently.
EXACT: Final = decimal.Context(
    prec=decimal.MAX_PREC,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow, decimal.Inexact],
)

ROUNDING_MODES: Final = frozenset(
    {
        decimal.ROUND_HALF_UP,
        decimal.ROUND_HALF_EVEN,
        decimal.ROUND_HALF_DOWN,
        decimal.ROUND_UP,
        decimal.ROUND_DOWN,
        decimal.ROUND_CEILING,
        decimal.ROUND_FLOOR,
    }
)

NumberInput = Decimal | int | str

#: Bounds on the numbers the library accepts: far beyond any amount, quantity or rate,
#: but small enough that untrusted input ("1e999999999") cannot stall a process.
MAX_TEXT_LENGTH: Final = 100
MAX_MAGNITUDE: Final = 40  # at most 10**40
MIN_EXPONENT: Final = -40  # at most 40 decimals

_NUMBER_TEXT: Final = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)


def to_decimal(value: object, field: str, example: str) -> Decimal:
    """Coerce ``value`` to a finite :class:`~decimal.Decimal`, exactly.

    Accepts ``Decimal``, ``int`` and decimal strings in ASCII (``"12.34"``, ``"-5"``,
    ``"1.5e3"``; surrounding spaces are ignored). A ``float`` raises
    :class:`FloatNotAllowed` (a ``TypeError``) whose message shows ``example`` as the fix;
    ``bool``, ``None`` and other types, NaN and infinities, and numbers beyond 10**40 or
    with more than 40 decimals raise :class:`InvalidAmount`.
    """
    if isinstance(value, Decimal):
        result = value
        if not result.is_finite():
            raise InvalidAmount(field=field, value=value)
    elif isinstance(value, bool):
        raise InvalidAmount(field=field, value=value)
    elif isinstance(value, int):
        if not -(10**MAX_MAGNITUDE) < value < 10**MAX_MAGNITUDE:
            raise InvalidAmount(field=field, value=value)
        return Decimal(value)
    elif isinstance(value, float):
        raise FloatNotAllowed(field=field, value=value, example=example)
    elif isinstance(value, str):
        text = value.strip()
        if len(text) > MAX_TEXT_LENGTH or not _NUMBER_TEXT.fullmatch(text):
            raise InvalidAmount(field=field, value=value[:MAX_TEXT_LENGTH])
        result = Decimal(text)
    else:
        raise InvalidAmount(field=field, value=value)
    exponent = result.as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent < MIN_EXPONENT or (result and result.adjusted() >= MAX_MAGNITUDE):
        raise InvalidAmount(
            f"{field} is out of range: at most 40 digits before and 40 after the decimal point",
            field=field,
            value=str(value)[:MAX_TEXT_LENGTH],
        )
    return result


def decimals_of(value: Decimal) -> int:
    """How many decimals ``value`` really needs (trailing zeros do not count)."""
    if not value:
        return 0
    exponent = value.normalize(EXACT).as_tuple().exponent
    assert isinstance(exponent, int)
    return -exponent if exponent < 0 else 0


def strip_zeros(value: Decimal) -> Decimal:
    """``value`` without trailing zeros, never in exponent notation (``20``, not ``2E+1``)."""
    normal = value.normalize(EXACT)
    return normal.quantize(Decimal(1), context=EXACT) if exponent_of(normal) > 0 else normal


def exponent_of(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return exponent


def round_ratio(numerator: int, denominator: int, rounding: str) -> int:
    """Round the exact fraction ``numerator / denominator`` to an integer.

    ``rounding`` is one of the :mod:`decimal` ``ROUND_*`` constants (``ROUND_05UP``
    excepted), with the same meaning as in :meth:`Decimal.quantize`.
    """
    if denominator == 0:
        raise ZeroDivisionError("division by zero")
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    quotient, remainder = divmod(numerator, denominator)  # floor division
    if remainder == 0:
        return quotient
    positive = numerator > 0
    if rounding == decimal.ROUND_FLOOR:
        return quotient
    if rounding == decimal.ROUND_CEILING:
        return quotient + 1
    if rounding == decimal.ROUND_DOWN:
        return quotient if positive else quotient + 1
    if rounding == decimal.ROUND_UP:
        return quotient + 1 if positive else quotient
    twice = 2 * remainder
    if twice < denominator:
        return quotient
    if twice > denominator:
        return quotient + 1
    if rounding == decimal.ROUND_HALF_UP:
        return quotient + 1 if positive else quotient
    if rounding == decimal.ROUND_HALF_DOWN:
        return quotient if positive else quotient + 1
    if rounding == decimal.ROUND_HALF_EVEN:
        return quotient if quotient % 2 == 0 else quotient + 1
    raise ValueError(f"unsupported rounding mode {rounding!r}")


def round_to_quantum(value: Decimal | Fraction, quantum: Decimal, rounding: str) -> Decimal:
    """Round ``value`` to a multiple of ``quantum`` (``0.01``, ``0.05``, ``1``, ``500``...).

    Exact for any finite input: the value is never pre-rounded, so there is no double
    rounding. The result carries the quantum's exponent (``0.05`` gives two decimals).
    """
    if not quantum.is_finite() or quantum <= 0:
        raise ValueError(f"the rounding quantum must be a positive number, got {quantum}")
    if rounding not in ROUNDING_MODES:
        raise ValueError(f"unsupported rounding mode {rounding!r}")
    final = Decimal((0, (1,), min(exponent_of(quantum), 0)))
    _, digits, step_exponent = quantum.normalize(EXACT).as_tuple()
    assert isinstance(step_exponent, int)
    if isinstance(value, Decimal) and digits == (1,):
        # a power of ten: Decimal.quantize rounds exactly, in a context of our own
        context = decimal.Context(
            prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN, rounding=rounding
        )
        rounded = value.quantize(Decimal((0, (1,), step_exponent)), context=context)
        return rounded.quantize(final, context=EXACT)
    exact = Fraction(value) / Fraction(quantum)
    steps = round_ratio(exact.numerator, exact.denominator, rounding)
    return EXACT.multiply(Decimal(steps), quantum).quantize(final, context=EXACT)


def fraction_to_decimal(value: Fraction) -> Decimal | None:
    """The exact decimal equal to ``value``, or ``None`` when it has none (1/3)."""
    denominator = value.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:
        return None
    scale = max(twos, fives)
    scaled = value * 10**scale
    assert scaled.denominator == 1
    return Decimal(scaled.numerator).scaleb(-scale, EXACT)
