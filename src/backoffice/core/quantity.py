"""Exact quantities: a decimal value in a UN/ECE Recommendation 20 unit.

The model in five rules:

1. A :class:`Quantity` is a :class:`~decimal.Decimal` and a :class:`Unit`. The value is
   a ``Decimal``, an ``int`` or a decimal string, kept exactly as given (``"1.50"``
   stays ``1.50``; only ``-0`` becomes ``0``). A ``float`` raises
   :class:`~backoffice.errors.FloatNotAllowed`, a ``TypeError``.
2. Units are named by their UN/ECE Recommendation 20 common code (``C62`` one,
   ``KGM`` kilogram, ``LTR`` litre, ``HUR`` hour...). Each unit measures one
   :class:`Dimension` and is an exact multiple (a :class:`~fractions.Fraction`) of
   that dimension's base unit, so conversions never go through a float.
3. :meth:`Quantity.to` converts within a dimension, exactly. A result that has no
   exact decimal (1 g in pounds, 1 minute in hours) raises
   :class:`~backoffice.errors.InexactConversion` unless a rounding with a quantum is
   named: ``RoundingPolicy(RoundingMode.HALF_UP, "0.001")``.
4. ``+`` and ``-`` need the same unit (convert first); ``<``, ``<=``, ``>``, ``>=``
   compare exactly across the units of one dimension; ``==`` is true only for the same
   unit and an equal value, and :meth:`Quantity.equivalent` compares across units.
5. Packagings (a case of 12, a pallet of 40 cases) belong to an item, not to the unit
   registry: see :class:`Packaging` and :class:`PackagingScheme`.

Source of the unit table: UN/ECE Recommendation No. 20, "Codes for Units of Measure
Used in International Trade", Revision 17 (2021). Codes and names were checked on
2026-11-23 against the Recommendation 20 code list as republished in the EN 16931
unit code list; every code used here has been in the list, unchanged, for many
revisions. Conversion factors are the exact legal definitions (the international
pound is 0.45359237 kg, the inch 0.0254 m). Units of variable length (month, year)
are deliberately absent; ``HD`` (half dozen) and ``HAR`` (hectare) are left out
because the code list checked does not carry them.

The registry is closed: :func:`units` lists every unit, :func:`get_unit` finds one by
code, and a :class:`Unit` built by hand is refused wherever a unit is expected unless it
equals a registered one.

>>> Quantity("1.5", "KGM").to("GRM")
Quantity('1500', 'GRM')
>>> Quantity(1, "LBR").to("GRM")
Quantity('453.59237', 'GRM')
>>> Quantity(1, "GRM").to("LBR", rounding=RoundingPolicy(RoundingMode.HALF_UP, "0.0001"))
Quantity('0.0022', 'LBR')
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final, NoReturn, overload

import attrs

from backoffice.core._numbers import (
    EXACT,
    NumberInput,
    fraction_to_decimal,
    round_to_quantum,
    to_decimal,
)
from backoffice.core.rounding import RoundingArg, as_policy
from backoffice.core.rounding import RoundingMode as RoundingMode  # for the docstring examples
from backoffice.errors import (
    BackofficeError,
    DivisionByZero,
    FloatNotAllowed,
    IncompatibleUnits,
    InexactConversion,
    InvalidAmount,
    InvalidType,
    Problem,
    RoundingError,
    UnknownUnit,
    ValidationError,
)

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import CoreSchema

__all__ = [
    "Breakdown",
    "Dimension",
    "PackageCount",
    "Packaging",
    "PackagingScheme",
    "Quantity",
    "Unit",
    "get_unit",
    "units",
]

_EXAMPLE: Final = 'Quantity("1.5", "KGM")'


# ---------------------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------------------


class Dimension(enum.StrEnum):
    """What a unit measures. Conversions only happen within one dimension.

    The base unit of each dimension (factor 1) is: ``C62`` (one) for ``COUNT``,
    ``KGM`` for ``MASS``, ``LTR`` for ``VOLUME``, ``MTR`` for ``LENGTH``, ``MTK`` for
    ``AREA``, ``SEC`` for ``TIME`` and ``JOU`` (joule) for ``ENERGY``.
    """

    COUNT = "count"
    MASS = "mass"
    VOLUME = "volume"
    LENGTH = "length"
    AREA = "area"
    TIME = "time"
    ENERGY = "energy"


def _positive_fraction(
    instance: object, attribute: attrs.Attribute[Fraction], value: object
) -> None:
    if not isinstance(value, Fraction) or value <= 0:
        raise ValueError(f"a unit factor must be a positive Fraction, got {value!r}")


@attrs.frozen(slots=True, repr=False)
class Unit:
    """A unit of measure from UN/ECE Recommendation 20.

    Units are shared: ``get_unit("KGM") is get_unit("kgm")``. Obtain them with
    :func:`get_unit`, or pass the code wherever a unit is expected.

    Attributes:
        code: the Recommendation 20 common code, ``"KGM"``.
        name: the English name, ``"kilogram"``.
        symbol: the symbol shown next to a formatted value, ``"kg"``.
        dimension: what the unit measures.
        factor: how many base units of the dimension one of this unit is, exactly
            (``Fraction(1, 1000)`` for the gram, whose base is the kilogram).
    """

    code: str = attrs.field(validator=attrs.validators.instance_of(str))
    name: str = attrs.field(validator=attrs.validators.instance_of(str))
    symbol: str = attrs.field(validator=attrs.validators.instance_of(str))
    dimension: Dimension = attrs.field(validator=attrs.validators.instance_of(Dimension))
    factor: Fraction = attrs.field(validator=_positive_fraction)

    def __repr__(self) -> str:
        return f"Unit({self.code!r})"

    def __str__(self) -> str:
        return self.code

    def __reduce__(self) -> tuple[Any, ...]:
        return (get_unit, (self.code,))

    def __copy__(self) -> Unit:
        return self

    def __deepcopy__(self, memo: object) -> Unit:
        return self

    @property
    def is_base(self) -> bool:
        """Whether this is the base unit of its dimension (``C62``, ``KGM``, ``LTR``...)."""
        return self.code == _BASE_CODES[self.dimension]


_BASE_CODES: Final[Mapping[Dimension, str]] = {
    Dimension.COUNT: "C62",
    Dimension.MASS: "KGM",
    Dimension.VOLUME: "LTR",
    Dimension.LENGTH: "MTR",
    Dimension.AREA: "MTK",
    Dimension.TIME: "SEC",
    Dimension.ENERGY: "JOU",
}

# (code, Recommendation 20 name, symbol, factor in the dimension's base unit)
_DEFINITIONS: Final[Mapping[Dimension, tuple[tuple[str, str, str, str], ...]]] = {
    Dimension.COUNT: (
        ("C62", "one", "unit", "1"),
        ("H87", "piece", "pcs", "1"),
        ("EA", "each", "ea", "1"),
        ("PR", "pair", "pr", "2"),
        ("DZN", "dozen", "doz", "12"),
        ("GRO", "gross", "gross", "144"),
    ),
    Dimension.MASS: (
        ("KGM", "kilogram", "kg", "1"),
        ("GRM", "gram", "g", "0.001"),
        ("MGM", "milligram", "mg", "0.000001"),
        ("TNE", "tonne (metric ton)", "t", "1000"),
        ("LBR", "pound", "lb", "0.45359237"),
        ("ONZ", "ounce (avoirdupois)", "oz", "0.028349523125"),
    ),
    Dimension.VOLUME: (
        ("LTR", "litre", "L", "1"),
        ("MLT", "millilitre", "mL", "0.001"),
        ("CLT", "centilitre", "cL", "0.01"),
        ("DLT", "decilitre", "dL", "0.1"),
        ("HLT", "hectolitre", "hL", "100"),
        ("MTQ", "cubic metre", "m³", "1000"),
        ("DMQ", "cubic decimetre", "dm³", "1"),
        ("CMQ", "cubic centimetre", "cm³", "0.001"),
    ),
    Dimension.LENGTH: (
        ("MTR", "metre", "m", "1"),
        ("DMT", "decimetre", "dm", "0.1"),
        ("CMT", "centimetre", "cm", "0.01"),
        ("MMT", "millimetre", "mm", "0.001"),
        ("KMT", "kilometre", "km", "1000"),
        ("INH", "inch", "in", "0.0254"),
        ("FOT", "foot", "ft", "0.3048"),
        ("YRD", "yard", "yd", "0.9144"),
    ),
    Dimension.AREA: (
        ("MTK", "square metre", "m²", "1"),
        ("DMK", "square decimetre", "dm²", "0.01"),
        ("CMK", "square centimetre", "cm²", "0.0001"),
        ("MMK", "square millimetre", "mm²", "0.000001"),
        ("KMK", "square kilometre", "km²", "1000000"),
    ),
    Dimension.TIME: (
        ("SEC", "second [unit of time]", "s", "1"),
        ("MIN", "minute [unit of time]", "min", "60"),
        ("HUR", "hour", "h", "3600"),
        ("DAY", "day", "d", "86400"),
        ("WEE", "week", "wk", "604800"),
    ),
    Dimension.ENERGY: (
        ("JOU", "joule", "J", "1"),
        ("KJO", "kilojoule", "kJ", "1000"),
        ("WHR", "watt hour", "Wh", "3600"),
        ("KWH", "kilowatt hour", "kWh", "3600000"),
        ("MWH", "megawatt hour (1000 kW.h)", "MWh", "3600000000"),
    ),
}


def _build_registry() -> dict[str, Unit]:
    registry: dict[str, Unit] = {}
    for dimension, rows in _DEFINITIONS.items():
        for code, name, symbol, factor in rows:
            assert code not in registry, code
            registry[code] = Unit(code, name, symbol, dimension, Fraction(factor))
    return registry


_UNITS: Final[dict[str, Unit]] = _build_registry()


def get_unit(code: object) -> Unit:
    """The :class:`Unit` for a Recommendation 20 code (``"KGM"``, ``" kgm "``).

    Also accepts a :class:`Unit`: a registered one is returned as is.

    Raises:
        UnknownUnit: not a code of the registry (or a hand-built unit that is not one
            of the registered units).
    """
    if isinstance(code, Unit):
        found = _UNITS.get(code.code)
        if found is not None and (found is code or found == code):
            return found
        raise UnknownUnit(unit=code.code)
    if isinstance(code, str):
        found = _UNITS.get(code.strip().upper())
        if found is not None:
            return found
    raise UnknownUnit(unit=code)


def units(dimension: Dimension | str | None = None) -> tuple[Unit, ...]:
    """Every registered unit, sorted by code; only those of ``dimension`` if given."""
    wanted = None if dimension is None else Dimension(dimension)
    return tuple(
        _UNITS[code]
        for code in sorted(_UNITS)
        if wanted is None or _UNITS[code].dimension is wanted
    )


# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------


def _normal_zero(value: Decimal) -> Decimal:
    return value if value else value.copy_abs()


def _text(value: Decimal) -> str:
    """Fixed-point text of a decimal: ``1000``, never ``1E+3``."""
    return format(value, "f")


def _policy(rounding: RoundingArg) -> tuple[Decimal, str]:
    """The quantum and ``decimal`` mode of a rounding given for a quantity."""
    policy = as_policy(rounding)
    if policy.quantum is None:
        raise RoundingError(
            reason="a quantity has no minor unit to round to: give the policy a quantum, "
            f'e.g. RoundingPolicy(RoundingMode.{policy.mode.name}, "0.001")'
        )
    return policy.quantum, policy.mode.value


def _settle(exact: Fraction, rounding: RoundingArg | None, described: str, unit: str) -> Decimal:
    """``exact`` as a decimal: exactly, or rounded with ``rounding`` when one is given."""
    if rounding is not None:
        quantum, mode = _policy(rounding)
        return _normal_zero(round_to_quantum(exact, quantum, mode))
    value = fraction_to_decimal(exact)
    if value is None:
        raise InexactConversion(quantity=described, unit=unit)
    return _normal_zero(value)


def _number(value: object, field: str, example: str = 'Decimal("3")') -> Decimal:
    return to_decimal(value, field, example)


# ---------------------------------------------------------------------------------------
# Quantity
# ---------------------------------------------------------------------------------------


class Quantity:
    """An exact, immutable quantity: a decimal value in a Recommendation 20 unit.

    Equality is strict: ``Quantity("1", "KGM") == Quantity("1000", "GRM")`` is false,
    because the two are not interchangeable in a document; use :meth:`equivalent` to
    compare across units. Ordering compares exactly across the units of a dimension.
    The hash agrees with ``==``.

    >>> Quantity("1.5", "KGM") + Quantity("0.25", "KGM")
    Quantity('1.75', 'KGM')
    >>> Quantity("1", "KGM") > Quantity("999", "GRM")
    True
    >>> Quantity("1", "KGM").equivalent(Quantity("1000", "GRM"))
    True

    Args:
        value: ``Decimal``, ``int`` or a decimal string; never a ``float``. Kept
            exactly as given (``"1.50"`` keeps its two decimals), except that ``-0``
            becomes ``0``.
        unit: a Recommendation 20 code (``"KGM"``, case-insensitive) or a
            :class:`Unit`.

    Raises:
        FloatNotAllowed: ``value`` is a float (a ``TypeError``).
        InvalidAmount: ``value`` is not a finite decimal number (``bool``, NaN...).
        UnknownUnit: ``unit`` is not in the registry.
    """

    __slots__ = ("_unit", "_value")

    _value: Decimal
    _unit: Unit

    def __init__(self, value: NumberInput, unit: Unit | str) -> None:
        found = get_unit(unit)
        number = to_decimal(value, "value", _EXAMPLE)
        object.__setattr__(self, "_value", _normal_zero(number))
        object.__setattr__(self, "_unit", found)

    # -- construction -------------------------------------------------------------------

    @classmethod
    def zero(cls, unit: Unit | str) -> Quantity:
        """Zero in ``unit``."""
        return cls(0, unit)

    @classmethod
    def total(cls, quantities: Iterable[Quantity], unit: Unit | str) -> Quantity:
        """The exact sum of ``quantities``, all in ``unit`` (zero for none).

        Raises:
            IncompatibleUnits: an item is in another unit; convert it first.
        """
        found = get_unit(unit)
        result = Decimal(0)
        for item in quantities:
            if not isinstance(item, Quantity):
                raise InvalidType(
                    f"Quantity.total() takes Quantity items, got {type(item).__name__}"
                )
            if item._unit is not found:
                raise _incompatible("add", _make(result, found), item)
            result = EXACT.add(result, item._value)
        return _make(_normal_zero(result), found)

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Quantity:
        """The inverse of :meth:`to_dict`: ``{"value": "1.5", "unit": "KGM"}``."""
        missing = [key for key in ("value", "unit") if key not in data]
        if missing:
            raise InvalidAmount(
                "a quantity object needs 'value' and 'unit', e.g. "
                '{"value": "1.5", "unit": "KGM"}; missing: ' + ", ".join(missing),
                field="quantity",
                value=dict(data),
            )
        value = data["value"]
        unit = data["unit"]
        if isinstance(value, float):
            raise FloatNotAllowed(field="value", value=value, example='"1.5"')
        if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
            raise InvalidAmount(field="value", value=value)
        if not isinstance(unit, str | Unit):
            raise UnknownUnit(unit=unit)
        return cls(value, unit)

    # -- accessors ----------------------------------------------------------------------

    @property
    def value(self) -> Decimal:
        """The value, exactly as given (``-0`` excepted)."""
        return self._value

    @property
    def unit(self) -> Unit:
        return self._unit

    @property
    def dimension(self) -> Dimension:
        """What the quantity measures (its unit's dimension)."""
        return self._unit.dimension

    def is_zero(self) -> bool:
        return not self._value

    def is_positive(self) -> bool:
        return self._value > 0

    def is_negative(self) -> bool:
        return self._value < 0

    # -- immutability, identity ----------------------------------------------------------

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError("Quantity is immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError("Quantity is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return (Quantity, (str(self._value), self._unit.code))

    def __copy__(self) -> Quantity:
        return self

    def __deepcopy__(self, memo: object) -> Quantity:
        return self

    def __repr__(self) -> str:
        return f"Quantity('{_text(self._value)}', '{self._unit.code}')"

    def __str__(self) -> str:
        return f"{_text(self._value)} {self._unit.code}"

    def __hash__(self) -> int:
        return hash((self._value, self._unit.code))

    def __bool__(self) -> bool:
        return bool(self._value)

    # -- comparisons --------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Quantity):
            return self._unit is other._unit and self._value == other._value
        return NotImplemented

    def equivalent(self, other: Quantity) -> bool:
        """Whether ``other`` is exactly the same amount, in any unit of the dimension.

        ``Quantity("1", "KGM").equivalent(Quantity("1000", "GRM"))`` is true. Quantities
        of different dimensions are never equivalent.
        """
        if not isinstance(other, Quantity):
            raise InvalidType(f"equivalent() takes a Quantity, got {type(other).__name__}")
        if self._unit.dimension is not other._unit.dimension:
            return False
        return self._in_base() == other._in_base()

    def _in_base(self) -> Fraction:
        return Fraction(self._value) * self._unit.factor

    def _ordered(self, other: object) -> tuple[Fraction, Fraction] | None:
        if not isinstance(other, Quantity):
            return None
        if self._unit.dimension is not other._unit.dimension:
            raise _incompatible("compare", self, other)
        if self._unit is other._unit:
            return Fraction(self._value), Fraction(other._value)
        return self._in_base(), other._in_base()

    def __lt__(self, other: Quantity) -> bool:
        pair = self._ordered(other)
        return NotImplemented if pair is None else pair[0] < pair[1]

    def __le__(self, other: Quantity) -> bool:
        pair = self._ordered(other)
        return NotImplemented if pair is None else pair[0] <= pair[1]

    def __gt__(self, other: Quantity) -> bool:
        pair = self._ordered(other)
        return NotImplemented if pair is None else pair[0] > pair[1]

    def __ge__(self, other: Quantity) -> bool:
        pair = self._ordered(other)
        return NotImplemented if pair is None else pair[0] >= pair[1]

    # -- arithmetic ---------------------------------------------------------------------

    def _same_unit(self, other: object, operation: str) -> Quantity:
        if isinstance(other, Quantity):
            if other._unit is self._unit:
                return other
            raise _incompatible(operation, self, other)
        if isinstance(other, float):
            raise FloatNotAllowed(field="operand", value=other, example=_EXAMPLE)
        code = self._unit.code
        raise InvalidType(
            f"cannot {operation} Quantity and {type(other).__name__}: "
            f"use a Quantity in {code}, e.g. Quantity('1', '{code}')"
        )

    def __add__(self, other: Quantity) -> Quantity:
        right = self._same_unit(other, "add")
        return _make(_normal_zero(EXACT.add(self._value, right._value)), self._unit)

    def __sub__(self, other: Quantity) -> Quantity:
        right = self._same_unit(other, "subtract")
        return _make(_normal_zero(EXACT.subtract(self._value, right._value)), self._unit)

    def __neg__(self) -> Quantity:
        return _make(_normal_zero(self._value.copy_negate()), self._unit)

    def __pos__(self) -> Quantity:
        return self

    def __abs__(self) -> Quantity:
        return _make(self._value.copy_abs(), self._unit)

    def __mul__(self, factor: NumberInput) -> Quantity:
        if isinstance(factor, Decimal | int | str | float):
            number = _number(factor, "factor")
            return _make(_normal_zero(EXACT.multiply(self._value, number)), self._unit)
        return NotImplemented

    __rmul__ = __mul__

    def __truediv__(self, divisor: NumberInput) -> Quantity:
        """Exact division; raises :class:`~backoffice.errors.InexactConversion` when the
        result has no exact decimal (use :meth:`divide` and name a rounding)."""
        if not isinstance(divisor, Decimal | int | str | float):
            return NotImplemented
        number = _number(divisor, "divisor")
        if not number:
            raise DivisionByZero(field="divisor")
        exact = Fraction(self._value) / Fraction(number)
        value = _settle(exact, None, f"{self} / {_text(number)}", self._unit.code)
        return _make(value, self._unit)

    def multiply(self, factor: NumberInput | Fraction, *, rounding: RoundingArg) -> Quantity:
        """``self × factor``, computed exactly then rounded once with ``rounding``.

        A rounding policy for a quantity must have a quantum:
        ``RoundingPolicy(RoundingMode.HALF_UP, "0.001")``.
        """
        ratio = factor if isinstance(factor, Fraction) else Fraction(_number(factor, "factor"))
        exact = Fraction(self._value) * ratio
        return _make(_settle(exact, rounding, str(self), self._unit.code), self._unit)

    def divide(self, divisor: NumberInput | Fraction, *, rounding: RoundingArg) -> Quantity:
        """``self ÷ divisor``, computed exactly then rounded once with ``rounding``.

        >>> Quantity("1", "KGM").divide(3, rounding=RoundingPolicy("HALF_UP", "0.001"))
        Quantity('0.333', 'KGM')
        """
        ratio = divisor if isinstance(divisor, Fraction) else Fraction(_number(divisor, "divisor"))
        if not ratio:
            raise DivisionByZero(field="divisor")
        exact = Fraction(self._value) / ratio
        return _make(_settle(exact, rounding, str(self), self._unit.code), self._unit)

    def round(self, rounding: RoundingArg) -> Quantity:
        """This quantity rounded to the policy's quantum, in the same unit.

        >>> Quantity("2.3456", "KGM").round(RoundingPolicy(RoundingMode.HALF_EVEN, "0.01"))
        Quantity('2.35', 'KGM')
        """
        exact = Fraction(self._value)
        return _make(_settle(exact, rounding, str(self), self._unit.code), self._unit)

    # -- conversions --------------------------------------------------------------------

    def to(self, unit: Unit | str, *, rounding: RoundingArg | None = None) -> Quantity:
        """This quantity in ``unit`` (of the same dimension), exactly.

        The conversion is computed with fractions. Without ``rounding`` the result must
        be an exact decimal; with it, the exact result is rounded once to the policy's
        quantum (always, so the result is a multiple of the quantum). A rounding for a
        quantity must name its quantum: ``RoundingPolicy(RoundingMode.HALF_UP,
        "0.001")``; a mode alone raises :class:`~backoffice.errors.RoundingError`.

        Raises:
            IncompatibleUnits: ``unit`` measures another dimension.
            InexactConversion: the result is not an exact decimal and no rounding is
                given (1 g is 0.00220462262... lb).
            RoundingError: the rounding has no quantum.
        """
        target = get_unit(unit)
        if target.dimension is not self._unit.dimension:
            raise IncompatibleUnits(
                operation="convert between",
                left=str(self),
                right=target.code,
                reason=f"{self._unit.code} measures {self._unit.dimension} and "
                f"{target.code} measures {target.dimension}",
            )
        if target is self._unit and rounding is None:
            return self
        exact = Fraction(self._value) * (self._unit.factor / target.factor)
        return _make(_settle(exact, rounding, str(self), target.code), target)

    def can_convert_exactly(self, unit: Unit | str) -> bool:
        """Whether :meth:`to` would give ``unit`` without rounding (same dimension and
        an exact decimal result)."""
        target = get_unit(unit)
        if target.dimension is not self._unit.dimension:
            return False
        exact = Fraction(self._value) * (self._unit.factor / target.factor)
        return fraction_to_decimal(exact) is not None

    def format(self, locale: str) -> str:
        """Format with the locale's separators and the unit's symbol (``1 234,5 kg`` in
        ``fr_FR``); see :func:`backoffice.core.l10n.format_quantity`."""
        from backoffice.core.l10n import format_quantity

        return format_quantity(self, locale)

    def to_dict(self) -> dict[str, str]:
        """``{"value": "1.5", "unit": "KGM"}``: the value is a string, never a JSON
        number."""
        return {"value": _text(self._value), "unit": self._unit.code}

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from backoffice.core._pydantic import object_schema

        return object_schema(cls, _quantity_from_input, Quantity.to_dict)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "type": "object",
            "description": "An exact quantity: a decimal value and a UN/ECE "
            "Recommendation 20 unit code.",
            "properties": {
                "value": {
                    "type": "string",
                    "pattern": r"^[+-]?\d+(\.\d+)?$",
                    "description": "decimal value as a string, never a JSON number",
                },
                "unit": {"type": "string", "enum": sorted(_UNITS)},
            },
            "required": ["value", "unit"],
            "additionalProperties": False,
        }


def _make(value: Decimal, unit: Unit) -> Quantity:
    quantity = object.__new__(Quantity)
    object.__setattr__(quantity, "_value", value)
    object.__setattr__(quantity, "_unit", unit)
    return quantity


def _incompatible(operation: str, left: Quantity, right: Quantity) -> IncompatibleUnits:
    if left.unit.dimension is right.unit.dimension:
        reason = (
            f"the units differ (both measure {left.unit.dimension}); convert one first, "
            f"e.g. {right!r}.to({left.unit.code!r})"
        )
    else:
        reason = (
            f"{left.unit.code} measures {left.unit.dimension} and {right.unit.code} "
            f"measures {right.unit.dimension}"
        )
    return IncompatibleUnits(operation=operation, left=str(left), right=str(right), reason=reason)


def _quantity_from_input(value: object) -> Quantity:
    if isinstance(value, Quantity):
        return value
    if isinstance(value, Mapping):
        return Quantity.from_dict(value)
    if isinstance(value, str):
        parts = value.split()
        if len(parts) == 2:
            return Quantity(parts[0], parts[1])
    if isinstance(value, float):
        raise FloatNotAllowed(
            field="quantity", value=value, example='{"value": "1.5", "unit": "KGM"}'
        )
    raise InvalidAmount(
        'expected a quantity object such as {"value": "1.5", "unit": "KGM"}',
        field="quantity",
        value=value,
    )


# ---------------------------------------------------------------------------------------
# Packagings
# ---------------------------------------------------------------------------------------


def _packaging_code(value: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidAmount(
            f"a packaging code must be a non-empty string such as 'CS', got {value!r}",
            field="code",
            value=value,
        )
    return value.strip()


def _positive_contents(
    instance: object, attribute: attrs.Attribute[Quantity], value: object
) -> None:
    if not isinstance(value, Quantity):
        raise InvalidType(
            f"a packaging contains a Quantity, e.g. Quantity(12, 'C62'), got {value!r}"
        )
    if not value.is_positive():
        raise InvalidAmount(
            f"a packaging must contain a positive quantity, got {value}",
            field="contains",
            value=str(value),
        )


@attrs.frozen(slots=True)
class Packaging:
    """A packaging of one item: a case of 12, a 25 kg sack, a pallet of 40 cases.

    Packagings are defined per item (a case of this wine holds 6 bottles, a case of
    that one 12), so they are not units: they live in a :class:`PackagingScheme`. The
    code is any string, for instance a UN/ECE Recommendation 21 package code (``CS``
    case, ``BX`` box, ``PK`` package, ``PX`` pallet), compared exactly (after
    stripping). Nested packagings are built from the inner one with :meth:`of`.

    Building one raises :class:`~backoffice.errors.InvalidAmount` for an empty code
    or contents that are not positive.

    Attributes:
        code: the packaging's code in the scheme, ``"CS"`` (stripped).
        name: a human name, ``"case of 12"``.
        contains: what one packaging holds, a positive :class:`Quantity` (in the
            scheme's base unit or another unit of its dimension).
    """

    code: str = attrs.field(converter=_packaging_code)
    name: str = attrs.field(validator=attrs.validators.instance_of(str))
    contains: Quantity = attrs.field(validator=_positive_contents)

    @classmethod
    def of(cls, code: str, name: str, count: NumberInput, inner: Packaging) -> Packaging:
        """A packaging of ``count`` ``inner`` packagings: a pallet of 40 cases.

        >>> case = Packaging("CS", "case of 12", Quantity(12, "C62"))
        >>> Packaging.of("PX", "pallet of 40 cases", 40, case).contains
        Quantity('480', 'C62')
        """
        if not isinstance(inner, Packaging):
            raise InvalidType(f"Packaging.of() nests a Packaging, got {type(inner).__name__}")
        return cls(code, name, inner.contains * count)

    def __str__(self) -> str:
        return f"{self.code} ({self.name}: {self.contains})"


def _count(value: NumberInput) -> Decimal:
    return _normal_zero(_number(value, "count", "PackageCount(3, case)"))


@attrs.frozen(slots=True)
class PackageCount:
    """A number of packagings: ``2.5 CS``.

    Attributes:
        count: how many packagings (a ``Decimal``; whole unless a conversion said
            otherwise).
        packaging: which packaging.
    """

    count: Decimal = attrs.field(converter=_count)
    packaging: Packaging = attrs.field(validator=attrs.validators.instance_of(Packaging))

    def __str__(self) -> str:
        return f"{_text(self.count)} {self.packaging.code}"


@attrs.frozen(slots=True)
class Breakdown:
    """A quantity as whole packagings, largest first, plus what is left over.

    Attributes:
        packages: the packagings used, largest first; those with a count of zero are
            left out.
        remainder: what does not fill a whole smallest packaging, in the base unit.
        total: the quantity broken down, in the base unit.
    """

    packages: tuple[PackageCount, ...]
    remainder: Quantity
    total: Quantity

    def __str__(self) -> str:
        parts = [str(package) for package in self.packages]
        if self.remainder or not parts:
            parts.append(str(self.remainder))
        return " + ".join(parts)


class PackagingScheme:
    """How one item is packed: its base unit and its packagings.

    >>> case = Packaging("CS", "case of 12", Quantity(12, "C62"))
    >>> wine = PackagingScheme("C62", [case, Packaging.of("PX", "pallet", 40, case)])
    >>> wine.to_base(3, "CS")
    Quantity('36', 'C62')
    >>> str(wine.breakdown(Quantity(1000, "C62")))
    '2 PX + 3 CS + 4 C62'
    >>> str(wine.from_base(Quantity(30, "C62"), "CS"))
    '2.5 CS'

    Args:
        base_unit: the unit the item is counted in (``"C62"`` for pieces, ``"KGM"``
            for flour sold by the kilogram...).
        packagings: the item's packagings; their contents must be in units of the
            base unit's dimension and be an exact decimal number of base units.

    Raises:
        UnknownUnit: ``base_unit`` is not a registered unit.
        ValidationError: the packagings are inconsistent; every problem is listed
            (contents in another dimension or not exact in the base unit, a code used
            twice, a code that is also a unit code).
    """

    __slots__ = ("_base", "_by_code", "_largest_first", "_packagings", "_sizes")

    _base: Unit
    _packagings: tuple[Packaging, ...]
    _by_code: dict[str, Packaging]
    _sizes: dict[str, Decimal]
    _largest_first: tuple[Packaging, ...]

    def __init__(self, base_unit: Unit | str, packagings: Iterable[Packaging] = ()) -> None:
        base = get_unit(base_unit)
        items = tuple(packagings)
        problems: list[Problem] = []
        by_code: dict[str, Packaging] = {}
        sizes: dict[str, Decimal] = {}
        for index, packaging in enumerate(items):
            if not isinstance(packaging, Packaging):
                raise InvalidType(
                    f"a PackagingScheme takes Packaging items, got {type(packaging).__name__}"
                )
            path = f"packagings.{index}"
            code = packaging.code
            if code in by_code:
                problems.append(
                    Problem.from_error(
                        f"{path}.code",
                        IncompatibleUnits(
                            operation="define",
                            left=str(packaging),
                            right=str(by_code[code]),
                            reason=f"two packagings share the code {code!r}",
                        ),
                    )
                )
                continue
            if code.upper() in _UNITS:
                problems.append(
                    Problem.from_error(
                        f"{path}.code",
                        IncompatibleUnits(
                            operation="define",
                            left=str(packaging),
                            right=code.upper(),
                            reason=f"{code!r} is a unit code; give the packaging its own "
                            "code, such as 'CS', 'BX' or 'PX'",
                        ),
                    )
                )
                continue
            try:
                size = packaging.contains.to(base).value
            except BackofficeError as error:
                problems.append(Problem.from_error(f"{path}.contains", error))
                continue
            by_code[code] = packaging
            sizes[code] = size
        if problems:
            raise ValidationError(problems)
        object.__setattr__(self, "_base", base)
        object.__setattr__(self, "_packagings", items)
        object.__setattr__(self, "_by_code", by_code)
        object.__setattr__(self, "_sizes", sizes)
        largest = sorted(items, key=lambda p: sizes[p.code], reverse=True)  # stable on ties
        object.__setattr__(self, "_largest_first", tuple(largest))

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError("PackagingScheme is immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError("PackagingScheme is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return (PackagingScheme, (self._base.code, self._packagings))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PackagingScheme):
            return self._base is other._base and self._packagings == other._packagings
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self._base.code, self._packagings))

    def __repr__(self) -> str:
        return f"PackagingScheme({self._base.code!r}, {list(self._packagings)!r})"

    @property
    def base_unit(self) -> Unit:
        return self._base

    @property
    def packagings(self) -> tuple[Packaging, ...]:
        """The packagings, in the order they were given."""
        return self._packagings

    def packaging(self, code: str) -> Packaging:
        """The packaging with ``code``.

        Raises:
            UnknownUnit: no packaging of this item has that code.
        """
        found = self._by_code.get(code.strip()) if isinstance(code, str) else None
        if found is None:
            raise self._unknown(code, or_unit=False)
        return found

    def _unknown(self, code: object, *, or_unit: bool) -> UnknownUnit:
        known = ", ".join(repr(c) for c in self._by_code) or "none"
        what = (
            "neither a packaging of this item nor a unit"
            if or_unit
            else "not a packaging of this item"
        )
        return UnknownUnit(f"{code!r} is {what}; this item's packagings are: {known}", unit=code)

    def size(self, code: str) -> Quantity:
        """What one packaging ``code`` holds, in the base unit."""
        packaging = self.packaging(code)
        return _make(self._sizes[packaging.code], self._base)

    @overload
    def to_base(self, amount: Quantity | PackageCount, /) -> Quantity: ...

    @overload
    def to_base(self, amount: NumberInput, code: str, /) -> Quantity: ...

    def to_base(
        self, amount: Quantity | PackageCount | NumberInput, code: str | None = None, /
    ) -> Quantity:
        """An amount in the base unit, exactly.

        ``amount`` is a count with the ``code`` of a packaging or of a unit of the
        base dimension (``to_base(3, "CS")``, ``to_base(2, "DZN")``), a
        :class:`PackageCount`, or a :class:`Quantity`.

        Raises:
            UnknownUnit: ``code`` is neither a packaging of this item nor a unit.
            IncompatibleUnits: the unit measures another dimension.
            InexactConversion: a quantity that is not an exact decimal in the base unit.
        """
        if isinstance(amount, Quantity):
            if code is not None:
                raise InvalidType("to_base(quantity) takes no code: the quantity has a unit")
            return amount.to(self._base)
        if isinstance(amount, PackageCount):
            if code is not None:
                raise InvalidType("to_base(package_count) takes no code")
            packaging = self.packaging(amount.packaging.code)
            if packaging != amount.packaging:
                raise UnknownUnit(
                    f"{amount.packaging} is not a packaging of this item",
                    unit=amount.packaging.code,
                )
            return self._times(amount.count, packaging.code)
        if code is None:
            raise InvalidType("to_base(count, code): name the packaging or unit of the count")
        count = _number(amount, "count", "scheme.to_base(3, 'CS')")
        if isinstance(code, str) and code.strip() in self._by_code:
            return self._times(count, code.strip())
        try:
            unit = get_unit(code)
        except UnknownUnit:
            raise self._unknown(code, or_unit=True) from None
        return _make(_normal_zero(count), unit).to(self._base)

    def _times(self, count: Decimal, code: str) -> Quantity:
        return _make(_normal_zero(EXACT.multiply(count, self._sizes[code])), self._base)

    def from_base(
        self, quantity: Quantity, code: str, *, rounding: RoundingArg | None = None
    ) -> PackageCount:
        """How many packagings ``code`` hold ``quantity``: 30 C62 is 2.5 CS of 12.

        Without ``rounding`` the count must be an exact decimal; with it, the count is
        rounded to the policy's quantum, e.g. ``RoundingPolicy(RoundingMode.UP, 1)``
        for the whole cases needed to ship the quantity.

        Raises:
            UnknownUnit: no packaging of this item has that code.
            InexactConversion: the count is not an exact decimal (10 pieces in cases
                of 12) and no rounding is given.
        """
        packaging = self.packaging(code)
        if not isinstance(quantity, Quantity):
            raise InvalidType(f"from_base() takes a Quantity, got {type(quantity).__name__}")
        base = quantity.to(self._base).value
        exact = Fraction(base) / Fraction(self._sizes[packaging.code])
        return PackageCount(_settle(exact, rounding, str(quantity), packaging.code), packaging)

    def breakdown(self, quantity: Quantity) -> Breakdown:
        """``quantity`` as whole packagings, largest first, and a remainder.

        30 pieces with cases of 12 are 2 CS + 6 C62. Each packaging takes as many whole
        times as fit in what is left (the greedy rule); with nested packagings (a
        pallet of 40 cases of 12) this is the usual "2 pallets, 3 cases, 4 pieces". A
        negative quantity is broken down like its absolute value, then negated.

        Raises:
            IncompatibleUnits: the quantity measures another dimension.
            InexactConversion: it is not an exact decimal in the base unit.
        """
        if not isinstance(quantity, Quantity):
            raise InvalidType(f"breakdown() takes a Quantity, got {type(quantity).__name__}")
        total = quantity.to(self._base)
        negative = total.value < 0
        left = Fraction(total.value.copy_abs())
        packages: list[PackageCount] = []
        for packaging in self._largest_first:
            size = Fraction(self._sizes[packaging.code])
            whole = int(left // size)
            if whole:
                left -= whole * size
                packages.append(PackageCount(-whole if negative else whole, packaging))
        remainder = fraction_to_decimal(-left if negative else left)
        assert remainder is not None  # sums and products of decimals stay decimals
        return Breakdown(
            packages=tuple(packages),
            remainder=_make(_normal_zero(remainder), self._base),
            total=total,
        )
