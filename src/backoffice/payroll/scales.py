"""Rate scales: marginal brackets and "rate minus fixed deduction" tables.

* :class:`MarginalScale` -- each bracket's rate applies to the part of the base inside
  the bracket ``(lower, upper]`` (open on the left, closed on the right), as the
  Brazilian INSS since EC 103/2019 or a progressive income tax. Rounding is a named
  setting (:class:`ScaleRounding`): round each bracket's share, or round the sum once.
* :class:`DeductionScale` -- ``base × rate − deduction`` for the one bracket the base
  falls in (the Brazilian IRRF table), rounded once, never below zero.

Both take an optional ``floor`` and ``cap`` on the base (a contribution ceiling is a
cap) and a ``minimum`` and ``maximum`` on the amount. A bracket limit is a
:class:`~backoffice.core.money.Money`, a :class:`Multiple` of a parameter (4 × the French
PSS: ``Multiple(4, "PSS")`` or the pair ``(4, "PSS")``), or a callable taking the
:class:`~backoffice.payroll.parameters.ParameterLookup`; the last two are resolved at
calculation time, for the day of the calculation.

>>> from backoffice.core.money import Money, Rate
>>> scale = MarginalScale([
...     Bracket(Money("1000.00", "EUR"), Rate.percent("10")),
...     Bracket(None, Rate.percent("20")),
... ])
>>> scale.compute(Money("1500.00", "EUR")).amount
Money('200.00', 'EUR')
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TypeAlias, TypeVar

import attrs

from backoffice.core._numbers import to_decimal
from backoffice.core.money import Money, Rate
from backoffice.core.rounding import RoundingMode, RoundingPolicy
from backoffice.errors import FloatNotAllowed, InvalidType, InvalidValue
from backoffice.invoicing.terms import _policy, _rate
from backoffice.payroll.parameters import ParameterLookup, ParameterRef
from backoffice.payroll.payslip import member_of

__all__ = [
    "Bracket",
    "BracketShare",
    "DeductionBracket",
    "DeductionScale",
    "Limit",
    "MarginalScale",
    "Multiple",
    "ScaleResult",
    "ScaleRounding",
    "resolve_limit",
]


class ScaleRounding(enum.StrEnum):
    """When a marginal scale rounds."""

    PER_BRACKET = "per_bracket"
    """Round each bracket's share, then add the rounded shares."""
    SUM_ONCE = "sum_once"
    """Add the exact shares, round the sum once."""


def _to_policy(value: object) -> RoundingPolicy:
    return _policy(value, "rounding")


def _to_rate(value: object) -> Rate:
    return _rate(value, "rate")


def _factor(value: object) -> Decimal:
    if isinstance(value, float):
        raise FloatNotAllowed(field="factor", value=value, example='Decimal("1.5")')
    if not isinstance(value, Decimal | int | str) or isinstance(value, bool):
        raise InvalidType(field="factor", expected="a Decimal, int or string", got=repr(value))
    return to_decimal(value, "factor", 'Decimal("1.5")')


@attrs.frozen(slots=True)
class Multiple:
    """A limit that is ``factor`` times a Money parameter, read on the calculation day:
    ``Multiple(4, "FR.PSS")``. The product is rounded with ``rounding`` when needed."""

    factor: Decimal = attrs.field(converter=_factor)
    parameter: str
    rounding: RoundingPolicy = attrs.field(
        default=RoundingPolicy(RoundingMode.HALF_UP), converter=_to_policy
    )


Limit: TypeAlias = (
    Money | Multiple | tuple[Decimal | int | str, str] | Callable[[ParameterLookup], Money]
)
"""A bracket limit: an amount, a multiple of a parameter, or a callable."""


def _limit(value: object) -> Money | Multiple | Callable[[ParameterLookup], Money]:
    if isinstance(value, Money | Multiple):
        return value
    if isinstance(value, tuple):
        if len(value) != 2 or not isinstance(value[1], str):
            raise InvalidType(
                field="limit", expected="a (multiple, parameter name) pair", got=repr(value)
            )
        return Multiple(value[0], value[1])
    if isinstance(value, float):
        raise FloatNotAllowed(field="limit", value=value, example='Money("1518.00", "BRL")')
    if callable(value):
        return value
    raise InvalidType(field="limit", expected="a Money, a Multiple or a callable", got=repr(value))


def _optional_limit(value: object) -> Money | Multiple | Callable[[ParameterLookup], Money] | None:
    return None if value is None else _limit(value)


def resolve_limit(limit: Limit, lookup: ParameterLookup | None) -> Money:
    """The amount of ``limit`` (a Multiple or a callable reads ``lookup``).

    Raises:
        InvalidValue: the limit needs parameters and ``lookup`` is ``None``, or the
            parameter is unknown or not in force on the lookup's day.
    """
    checked = _limit(limit)
    if isinstance(checked, Money):
        return checked
    if lookup is None:
        raise InvalidValue(
            field="limit", reason=f"{checked!r} needs parameters: pass a ParameterLookup"
        )
    if isinstance(checked, Multiple):
        return lookup.money(checked.parameter).multiply(checked.factor, rounding=checked.rounding)
    amount = checked(lookup)
    if not isinstance(amount, Money):
        raise InvalidType(field="limit", expected="a callable returning Money", got=repr(amount))
    return amount


@attrs.frozen(slots=True)
class Bracket:
    """A bracket of a marginal scale: ``rate`` on the part of the base up to ``upper``
    (``None``: no upper limit) and above the previous bracket's upper limit."""

    upper: Money | Multiple | Callable[[ParameterLookup], Money] | None = attrs.field(
        converter=_optional_limit
    )
    rate: Rate = attrs.field(converter=_to_rate)


@attrs.frozen(slots=True)
class DeductionBracket:
    """A row of a "rate minus deduction" table: for a base up to ``upper`` (and above
    the previous row's), the amount is ``base × rate − deduction``."""

    upper: Money | Multiple | Callable[[ParameterLookup], Money] | None = attrs.field(
        converter=_optional_limit
    )
    rate: Rate = attrs.field(converter=_to_rate)
    deduction: Money


def _to_brackets(value: Iterable[Bracket]) -> tuple[Bracket, ...]:
    return _brackets(value, Bracket)


def _to_deduction_brackets(value: Iterable[DeductionBracket]) -> tuple[DeductionBracket, ...]:
    return _brackets(value, DeductionBracket)


@attrs.frozen(slots=True)
class BracketShare:
    """What one bracket contributed: the part of the base in ``(lower, upper]``, the
    rate, and the share (rounded under :attr:`ScaleRounding.PER_BRACKET`, else exact)."""

    lower: Money
    upper: Money | None
    base: Money
    rate: Rate
    share: Fraction


@attrs.frozen(slots=True)
class ScaleResult:
    """An amount and how it was found."""

    amount: Money
    base: Money
    """The base after the floor and the cap."""
    shares: tuple[BracketShare, ...]
    parameters: tuple[ParameterRef, ...]


B = TypeVar("B", Bracket, DeductionBracket)


def _brackets(value: Iterable[B], kind: type[B]) -> tuple[B, ...]:
    items = tuple(value)
    if not items:
        raise InvalidValue(field="brackets", reason="at least one bracket is needed")
    for index, item in enumerate(items):
        if not isinstance(item, kind):
            raise InvalidType(field=f"brackets.{index}", expected=kind.__name__, got=repr(item))
    for item in items[:-1]:
        if item.upper is None:
            raise InvalidValue(field="brackets", reason="only the last bracket may be open")
    return items


def _round(value: Fraction, policy: RoundingPolicy, currency: str) -> Money:
    """``value`` (an exact amount in currency units) booked with ``policy``."""
    unit = Money("1", currency)
    return unit.multiply(value, rounding=policy)


class _Bounds:
    """The floor, cap, minimum and maximum shared by both scales."""

    floor: Limit | None
    cap: Limit | None
    minimum: Limit | None
    maximum: Limit | None

    def _bounded_base(self, base: Money, lookup: ParameterLookup | None) -> Money:
        if not isinstance(base, Money):
            raise InvalidType(field="base", expected="a Money", got=repr(base))
        if base.is_negative():
            raise InvalidValue(field="base", reason=f"must not be negative, got {base}")
        if self.floor is not None:
            base = max(base, resolve_limit(self.floor, lookup))
        if self.cap is not None:
            base = min(base, resolve_limit(self.cap, lookup))
        return base

    def _bounded_amount(self, amount: Money, lookup: ParameterLookup | None) -> Money:
        if self.minimum is not None:
            amount = max(amount, resolve_limit(self.minimum, lookup))
        if self.maximum is not None:
            amount = min(amount, resolve_limit(self.maximum, lookup))
        return amount


def _to_rounding(value: object) -> ScaleRounding:
    return member_of(ScaleRounding, value, "rounding")


@attrs.frozen(slots=True)
class MarginalScale(_Bounds):
    """Marginal brackets: each rate on the part of the base inside its bracket.

    Args:
        brackets: in increasing order; only the last may have no upper limit. The
            base above the last limit bears no rate (a ceiling).
        rounding: :attr:`ScaleRounding.SUM_ONCE` (the default) or
            :attr:`ScaleRounding.PER_BRACKET`.
        mode: the rounding mode, to the currency's minor unit (``HALF_UP``).
        floor, cap: bounds on the base; minimum, maximum: bounds on the amount.
    """

    brackets: tuple[Bracket, ...] = attrs.field(converter=_to_brackets)
    rounding: ScaleRounding = attrs.field(default=ScaleRounding.SUM_ONCE, converter=_to_rounding)
    mode: RoundingPolicy = attrs.field(
        default=RoundingPolicy(RoundingMode.HALF_UP), converter=_to_policy
    )
    floor: Limit | None = attrs.field(default=None, kw_only=True, converter=_optional_limit)
    cap: Limit | None = attrs.field(default=None, kw_only=True, converter=_optional_limit)
    minimum: Limit | None = attrs.field(default=None, kw_only=True, converter=_optional_limit)
    maximum: Limit | None = attrs.field(default=None, kw_only=True, converter=_optional_limit)

    def compute(self, base: Money, lookup: ParameterLookup | None = None) -> ScaleResult:
        """The amount for ``base``; limits given as parameters are read from ``lookup``.

        Raises:
            InvalidValue: ``base`` is negative; limits not increasing; a parameter
                missing (see :func:`resolve_limit`).
            InvalidType: ``base`` is not a Money.
        """
        bounded = self._bounded_base(base, lookup)
        currency = bounded.currency.code
        lower = Money.zero(currency)
        shares: list[BracketShare] = []
        total = Fraction(0)
        for bracket in self.brackets:
            upper = None if bracket.upper is None else resolve_limit(bracket.upper, lookup)
            if upper is not None and upper <= lower:
                raise InvalidValue(
                    field="brackets", reason=f"the limit {upper} does not exceed {lower}"
                )
            top = bounded if upper is None else min(bounded, upper)
            part = top - lower if top > lower else Money.zero(currency)
            exact = Fraction(part.amount) * Fraction(bracket.rate.ratio)
            if self.rounding is ScaleRounding.PER_BRACKET:
                exact = Fraction(_round(exact, self.mode, currency).amount)
            shares.append(BracketShare(lower, upper, part, bracket.rate, exact))
            total += exact
            if upper is None or bounded <= upper:
                break
            lower = upper
        amount = self._bounded_amount(_round(total, self.mode, currency), lookup)
        used = lookup.used if lookup is not None else ()
        return ScaleResult(amount, bounded, tuple(shares), used)


@attrs.frozen(slots=True)
class DeductionScale(_Bounds):
    """A "rate minus deduction" table: ``base × rate − deduction`` for the bracket the
    base falls in (``(lower, upper]``), rounded once, never below zero.

    Raises (from :meth:`compute`): as :meth:`MarginalScale.compute`.
    """

    brackets: tuple[DeductionBracket, ...] = attrs.field(converter=_to_deduction_brackets)
    mode: RoundingPolicy = attrs.field(
        default=RoundingPolicy(RoundingMode.HALF_UP), converter=_to_policy
    )
    floor: Limit | None = attrs.field(default=None, kw_only=True, converter=_optional_limit)
    cap: Limit | None = attrs.field(default=None, kw_only=True, converter=_optional_limit)
    minimum: Limit | None = attrs.field(default=None, kw_only=True, converter=_optional_limit)
    maximum: Limit | None = attrs.field(default=None, kw_only=True, converter=_optional_limit)

    def bracket_for(
        self, base: Money, lookup: ParameterLookup | None = None
    ) -> tuple[Money, DeductionBracket]:
        """The lower limit and the row that ``base`` falls in."""
        lower = Money.zero(base.currency)
        for bracket in self.brackets:
            upper = None if bracket.upper is None else resolve_limit(bracket.upper, lookup)
            if upper is None or base <= upper:
                return lower, bracket
            lower = upper
        raise InvalidValue(
            field="base", reason=f"{base} is above the last bracket of the table ({lower})"
        )

    def compute(self, base: Money, lookup: ParameterLookup | None = None) -> ScaleResult:
        """The amount for ``base``: see the class."""
        bounded = self._bounded_base(base, lookup)
        currency = bounded.currency.code
        lower, bracket = self.bracket_for(bounded, lookup)
        exact = Fraction(bounded.amount) * Fraction(bracket.rate.ratio) - Fraction(
            bracket.deduction.amount
        )
        amount = _round(max(exact, Fraction(0)), self.mode, currency)
        upper = None if bracket.upper is None else resolve_limit(bracket.upper, lookup)
        share = BracketShare(lower, upper, bounded, bracket.rate, exact)
        used = lookup.used if lookup is not None else ()
        return ScaleResult(self._bounded_amount(amount, lookup), bounded, (share,), used)


_FOUR_PLACES = RoundingPolicy(RoundingMode.HALF_UP, "0.0001")


def shares_text(shares: Sequence[BracketShare]) -> tuple[str, ...]:
    """One line of text per share, for a payslip's explanation."""
    out = []
    for item in shares:
        upper = "∞" if item.upper is None else str(item.upper.amount)
        out.append(
            f"({item.lower.amount}, {upper}]: {item.base.amount} × {item.rate} = "
            f"{_FOUR_PLACES.round(item.share)}"
        )
    return tuple(out)
