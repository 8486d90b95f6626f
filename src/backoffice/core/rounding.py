"""Rounding: a named mode and a quantum, applied exactly and once.

Nothing here reads or changes the thread's decimal context.
"""

from __future__ import annotations

import enum
from decimal import Decimal
from fractions import Fraction
from typing import Any, NoReturn

from backoffice.core._numbers import NumberInput, round_to_quantum, to_decimal
from backoffice.core.currency import Currency, get_currency
from backoffice.errors import RoundingError

__all__ = ["RoundingArg", "RoundingMode", "RoundingPolicy", "as_policy"]


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
        return get_currency(currency).quantum

    def round(
        self, value: NumberInput | Fraction, currency: Currency | str | None = None
    ) -> Decimal:
        """Round ``value`` to this policy's quantum (or ``currency``'s minor unit)."""
        exact: Decimal | Fraction = (
            value if isinstance(value, Fraction) else to_decimal(value, "value", 'Decimal("2.345")')
        )
        return round_to_quantum(exact, self.quantum_for(currency), self.mode.value)


RoundingArg = RoundingPolicy | RoundingMode | str
"""What a ``rounding=`` argument takes: a policy, or a mode (the quantum is then the
currency's minor unit)."""

_BY_MODE: dict[object, RoundingPolicy] = {}


def as_policy(rounding: RoundingArg) -> RoundingPolicy:
    """``rounding`` as a :class:`RoundingPolicy` (a mode alone rounds to the minor unit)."""
    if isinstance(rounding, RoundingPolicy):
        return rounding
    policy = _BY_MODE.get(rounding)
    if policy is None:
        if rounding is None:
            raise RoundingError(reason="a rounding mode is required, e.g. RoundingMode.HALF_UP")
        policy = RoundingPolicy(rounding)
        _BY_MODE[rounding] = policy
    return policy
