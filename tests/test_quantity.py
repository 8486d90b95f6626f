from __future__ import annotations

import copy
import pickle
from decimal import Decimal
from fractions import Fraction

import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice.core.quantity import (
    Breakdown,
    Dimension,
    PackageCount,
    Packaging,
    PackagingScheme,
    Quantity,
    Unit,
    get_unit,
    units,
)
from backoffice.core.rounding import RoundingMode, RoundingPolicy
from backoffice.errors import (
    FloatNotAllowed,
    IncompatibleUnits,
    InexactConversion,
    InvalidAmount,
    RoundingError,
    UnknownUnit,
    ValidationError,
)

THOUSANDTH = RoundingPolicy(RoundingMode.HALF_UP, "0.001")


# ---------------------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------------------


def test_get_unit_is_case_insensitive_and_shared() -> None:
    kilogram = get_unit("KGM")
    assert get_unit(" kgm ") is kilogram
    assert get_unit(kilogram) is kilogram
    assert kilogram.name == "kilogram"
    assert kilogram.symbol == "kg"
    assert kilogram.dimension is Dimension.MASS
    assert kilogram.factor == 1
    assert kilogram.is_base
    assert repr(kilogram) == "Unit('KGM')"
    assert str(kilogram) == "KGM"


@pytest.mark.parametrize("code", ["XYZ", "", "MON", "ANN", "HD", "HAR", "kg"])
def test_unknown_unit(code: str) -> None:
    with pytest.raises(UnknownUnit) as info:
        get_unit(code)
    assert isinstance(info.value, ValueError)
    assert info.value.code == "quantity.unknown_unit"


def test_non_string_codes_are_unknown_units() -> None:
    with pytest.raises(UnknownUnit):
        get_unit(12)
    with pytest.raises(UnknownUnit):
        get_unit(None)


def test_the_registry_is_closed() -> None:
    fake = Unit("KGM", "kilogram", "kg", Dimension.MASS, Fraction(2))
    with pytest.raises(UnknownUnit):
        get_unit(fake)
    with pytest.raises(UnknownUnit):
        Quantity(1, Unit("ZZZ", "thing", "z", Dimension.COUNT, Fraction(1)))
    twin = Unit("KGM", "kilogram", "kg", Dimension.MASS, Fraction(1))
    assert get_unit(twin) is get_unit("KGM")


def test_unit_factor_must_be_a_positive_fraction() -> None:
    with pytest.raises(ValueError, match="positive Fraction"):
        Unit("X", "x", "x", Dimension.COUNT, Fraction(0))
    with pytest.raises(ValueError, match="positive Fraction"):
        Unit("X", "x", "x", Dimension.COUNT, 1)  # type: ignore[arg-type]


def test_units_are_immutable_and_pickle_to_the_shared_instance() -> None:
    gram = get_unit("GRM")
    with pytest.raises(AttributeError):
        gram.code = "KGM"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(gram)) is gram
    assert copy.deepcopy(gram) is gram


EXPECTED_CODES = {
    Dimension.COUNT: {"C62", "H87", "EA", "PR", "DZN", "GRO"},
    Dimension.MASS: {"KGM", "GRM", "MGM", "TNE", "LBR", "ONZ"},
    Dimension.VOLUME: {"LTR", "MLT", "CLT", "DLT", "HLT", "MTQ", "DMQ", "CMQ"},
    Dimension.LENGTH: {"MTR", "DMT", "CMT", "MMT", "KMT", "INH", "FOT", "YRD"},
    Dimension.AREA: {"MTK", "DMK", "CMK", "MMK", "KMK"},
    Dimension.TIME: {"SEC", "MIN", "HUR", "DAY", "WEE"},
    Dimension.ENERGY: {"JOU", "KJO", "WHR", "KWH", "MWH"},
}


def test_units_lists_the_registry_by_dimension() -> None:
    everything = units()
    assert [unit.code for unit in everything] == sorted(unit.code for unit in everything)
    assert {unit.code for unit in everything} == set().union(*EXPECTED_CODES.values())
    for dimension, codes in EXPECTED_CODES.items():
        assert {unit.code for unit in units(dimension)} == codes
        bases = [unit for unit in units(dimension) if unit.is_base]
        assert len(bases) == 1
        assert bases[0].factor == 1
    assert {unit.code for unit in units("time")} == EXPECTED_CODES[Dimension.TIME]


@pytest.mark.parametrize(
    ("code", "factor"),
    [
        ("DZN", Fraction(12)),
        ("GRO", Fraction(144)),
        ("PR", Fraction(2)),
        ("LBR", Fraction("0.45359237")),
        ("ONZ", Fraction("0.45359237") / 16),
        ("INH", Fraction("0.0254")),
        ("FOT", 12 * Fraction("0.0254")),
        ("YRD", 36 * Fraction("0.0254")),
        ("MTQ", Fraction(1000)),
        ("WEE", Fraction(7 * 24 * 3600)),
        ("KWH", Fraction(3_600_000)),
    ],
)
def test_exact_factors(code: str, factor: Fraction) -> None:
    assert get_unit(code).factor == factor


# ---------------------------------------------------------------------------------------
# Construction
# ---------------------------------------------------------------------------------------


def test_value_is_kept_exactly_as_given() -> None:
    quantity = Quantity("1.50", "kgm")
    assert quantity.value == Decimal("1.50")
    assert quantity.value.as_tuple().exponent == -2
    assert quantity.unit is get_unit("KGM")
    assert quantity.dimension is Dimension.MASS
    assert str(quantity) == "1.50 KGM"
    assert repr(quantity) == "Quantity('1.50', 'KGM')"
    assert Quantity(3, "C62").value == Decimal(3)
    assert Quantity(Decimal("0.125"), get_unit("LTR")).value == Decimal("0.125")
    assert Quantity(" 2 ", "HUR").value == Decimal(2)


def test_exponent_values_print_in_fixed_point() -> None:
    quantity = Quantity("1E+3", "GRM")
    assert quantity.value == 1000
    assert str(quantity) == "1000 GRM"
    assert quantity.to_dict() == {"value": "1000", "unit": "GRM"}


def test_negative_zero_becomes_zero() -> None:
    quantity = Quantity("-0.00", "KGM")
    assert not quantity.value.is_signed()
    assert str(quantity) == "0.00 KGM"
    assert not (-Quantity(0, "KGM")).value.is_signed()
    assert not (Quantity("1.5", "KGM") - Quantity("1.5", "KGM")).value.is_signed()


def test_float_is_refused_with_a_fix() -> None:
    with pytest.raises(FloatNotAllowed) as info:
        Quantity(1.5, "KGM")  # type: ignore[arg-type]
    assert isinstance(info.value, TypeError)
    assert 'Quantity("1.5", "KGM")' in str(info.value)
    assert info.value.code == "value.float_not_allowed"


@pytest.mark.parametrize(
    "value", [True, False, None, "abc", "NaN", "Infinity", "-inf", Decimal("NaN"), [1]]
)
def test_invalid_values(value: object) -> None:
    with pytest.raises(InvalidAmount):
        Quantity(value, "KGM")  # type: ignore[arg-type]


def test_predicates_and_constructors() -> None:
    assert Quantity.zero("KGM").is_zero()
    assert not Quantity.zero("KGM")
    assert Quantity("0.1", "KGM")
    assert Quantity("0.1", "KGM").is_positive()
    assert Quantity("-0.1", "KGM").is_negative()
    assert not Quantity(0, "KGM").is_negative()
    parts = [Quantity("1.5", "KGM"), Quantity("2.25", "KGM")]
    assert Quantity.total(parts, "KGM") == Quantity("3.75", "KGM")
    assert Quantity.total([], "LTR") == Quantity(0, "LTR")
    with pytest.raises(IncompatibleUnits):
        Quantity.total([Quantity(1, "GRM")], "KGM")


def test_quantities_are_immutable() -> None:
    quantity = Quantity(1, "KGM")
    with pytest.raises(AttributeError):
        quantity._value = Decimal(2)
    with pytest.raises(AttributeError):
        del quantity._unit
    with pytest.raises(AttributeError):
        quantity.extra = 1


# ---------------------------------------------------------------------------------------
# Conversions
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        ("1.5", "KGM", "GRM", "1500"),
        ("1", "LBR", "GRM", "453.59237"),
        ("1", "LBR", "KGM", "0.45359237"),
        ("16", "ONZ", "LBR", "1"),
        ("2500", "GRM", "KGM", "2.5"),
        ("1", "TNE", "KGM", "1000"),
        ("250", "MGM", "GRM", "0.25"),
        ("2", "DZN", "C62", "24"),
        ("30", "C62", "DZN", "2.5"),
        ("1", "GRO", "DZN", "12"),
        ("3", "PR", "C62", "6"),
        ("1.5", "HUR", "MIN", "90"),
        ("45", "MIN", "HUR", "0.75"),
        ("1", "WEE", "DAY", "7"),
        ("1", "DAY", "SEC", "86400"),
        ("0.75", "LTR", "MLT", "750"),
        ("33", "CLT", "LTR", "0.33"),
        ("1", "MTQ", "HLT", "10"),
        ("1", "INH", "CMT", "2.54"),
        ("1", "YRD", "FOT", "3"),
        ("1", "KMK", "MTK", "1000000"),
        ("1", "MTK", "CMK", "10000"),
        ("1", "KWH", "JOU", "3600000"),
        ("1", "MWH", "KWH", "1000"),
    ],
)
def test_exact_conversions(value: str, source: str, target: str, expected: str) -> None:
    converted = Quantity(value, source).to(target)
    assert converted == Quantity(expected, target)
    assert converted.equivalent(Quantity(value, source))


def test_conversion_to_the_same_unit_is_the_same_quantity() -> None:
    quantity = Quantity("1.50", "KGM")
    assert quantity.to("kgm") is quantity


@pytest.mark.parametrize(
    ("value", "source", "target"),
    [("1", "GRM", "LBR"), ("1", "MIN", "HUR"), ("20", "MIN", "HUR"), ("1", "C62", "DZN")],
)
def test_inexact_conversions_say_so(value: str, source: str, target: str) -> None:
    quantity = Quantity(value, source)
    assert not quantity.can_convert_exactly(target)
    with pytest.raises(InexactConversion) as info:
        quantity.to(target)
    assert isinstance(info.value, ValueError)
    assert info.value.details == {"quantity": f"{value} {source}", "unit": target}
    assert "rounding" in str(info.value)


def test_conversion_with_a_rounding() -> None:
    gram = Quantity(1, "GRM")
    assert gram.to("LBR", rounding=RoundingPolicy(RoundingMode.HALF_UP, "0.00001")) == Quantity(
        "0.00220", "LBR"
    )
    assert gram.to("LBR", rounding=RoundingPolicy("UP", "0.001")) == Quantity("0.003", "LBR")
    twenty_minutes = Quantity(20, "MIN")
    assert twenty_minutes.to("HUR", rounding=RoundingPolicy("HALF_EVEN", "0.01")) == Quantity(
        "0.33", "HUR"
    )
    # with a rounding, even an exact result lands on the quantum
    rounded = Quantity("1.5", "KGM").to("GRM", rounding=RoundingPolicy("HALF_UP", 1))
    assert str(rounded) == "1500 GRM"
    assert Quantity(1, "LBR").to("GRM", rounding=RoundingPolicy("HALF_UP", 1)) == Quantity(
        454, "GRM"
    )


@pytest.mark.parametrize("rounding", [RoundingMode.HALF_UP, "HALF_UP", RoundingPolicy("UP")])
def test_a_rounding_for_a_quantity_needs_a_quantum(
    rounding: RoundingPolicy | RoundingMode | str,
) -> None:
    with pytest.raises(RoundingError, match="quantum"):
        Quantity(1, "GRM").to("LBR", rounding=rounding)


def test_incompatible_dimensions() -> None:
    with pytest.raises(IncompatibleUnits) as info:
        Quantity(1, "KGM").to("LTR")
    assert info.value.code == "quantity.incompatible_units"
    assert "KGM measures mass and LTR measures volume" in str(info.value)
    assert not Quantity(1, "KGM").can_convert_exactly("LTR")
    with pytest.raises(IncompatibleUnits):
        Quantity(1, "HUR").to("C62")


# ---------------------------------------------------------------------------------------
# Arithmetic
# ---------------------------------------------------------------------------------------


def test_addition_and_subtraction_in_one_unit() -> None:
    assert Quantity("1.5", "KGM") + Quantity("0.25", "KGM") == Quantity("1.75", "KGM")
    assert Quantity("1.5", "KGM") - Quantity("2", "KGM") == Quantity("-0.5", "KGM")
    assert -Quantity("1.5", "KGM") == Quantity("-1.5", "KGM")
    assert +Quantity("1.5", "KGM") == Quantity("1.5", "KGM")
    assert abs(Quantity("-1.5", "KGM")) == Quantity("1.5", "KGM")


def test_addition_across_units_names_the_conversion() -> None:
    with pytest.raises(IncompatibleUnits) as info:
        Quantity(1, "KGM") + Quantity(500, "GRM")
    assert ".to('KGM')" in str(info.value)
    with pytest.raises(IncompatibleUnits) as other:
        Quantity(1, "KGM") - Quantity(500, "GRM")
    assert ".to('KGM')" in str(other.value)
    assert Quantity(1, "KGM") + Quantity(500, "GRM").to("KGM") == Quantity("1.5", "KGM")


def test_addition_across_dimensions() -> None:
    with pytest.raises(IncompatibleUnits, match="KGM measures mass and LTR measures volume"):
        Quantity(1, "KGM") + Quantity(1, "LTR")


def test_addition_with_other_types() -> None:
    with pytest.raises(TypeError):
        Quantity(1, "KGM") + 1  # type: ignore[operator]
    with pytest.raises(FloatNotAllowed):
        Quantity(1, "KGM") + 1.5  # type: ignore[operator]


def test_multiplication_is_exact() -> None:
    assert Quantity("1.5", "KGM") * 3 == Quantity("4.5", "KGM")
    assert 3 * Quantity("1.5", "KGM") == Quantity("4.5", "KGM")
    assert Quantity("1.5", "KGM") * Decimal("0.333") == Quantity("0.4995", "KGM")
    assert Quantity("1.5", "KGM") * "2.5" == Quantity("3.75", "KGM")
    assert "2" * Quantity("1.5", "KGM") == Quantity("3", "KGM")
    assert not (Quantity("1.5", "KGM") * -0).value.is_signed()


def test_multiplication_refuses_floats_and_quantities() -> None:
    with pytest.raises(FloatNotAllowed) as info:
        Quantity("1.5", "KGM") * 1.5  # type: ignore[operator]
    assert isinstance(info.value, TypeError)
    with pytest.raises(InvalidAmount):
        Quantity("1.5", "KGM") * True
    with pytest.raises(TypeError):
        Quantity("1.5", "KGM") * Quantity(2, "KGM")  # type: ignore[operator]


def test_division_is_exact_or_says_so() -> None:
    assert Quantity(3, "KGM") / 4 == Quantity("0.75", "KGM")
    assert Quantity(3, "KGM") / Decimal("0.5") == Quantity(6, "KGM")
    assert Quantity(3, "KGM") / "8" == Quantity("0.375", "KGM")
    with pytest.raises(InexactConversion):
        Quantity(1, "KGM") / 3
    with pytest.raises(ZeroDivisionError):
        Quantity(1, "KGM") / 0
    with pytest.raises(FloatNotAllowed):
        Quantity(1, "KGM") / 0.5  # type: ignore[operator]


def test_divide_multiply_and_round_with_a_rounding() -> None:
    assert Quantity(1, "KGM").divide(3, rounding=THOUSANDTH) == Quantity("0.333", "KGM")
    assert Quantity(2, "KGM").divide(3, rounding=THOUSANDTH) == Quantity("0.667", "KGM")
    assert Quantity(1, "KGM").divide(Fraction(3, 2), rounding=THOUSANDTH) == Quantity(
        "0.667", "KGM"
    )
    assert Quantity(1, "KGM").multiply(Fraction(1, 3), rounding=THOUSANDTH) == Quantity(
        "0.333", "KGM"
    )
    assert Quantity("1.2345", "KGM").multiply(2, rounding=THOUSANDTH) == Quantity("2.469", "KGM")
    assert Quantity("2.3455", "KGM").round(THOUSANDTH) == Quantity("2.346", "KGM")
    with pytest.raises(ZeroDivisionError):
        Quantity(1, "KGM").divide(0, rounding=THOUSANDTH)
    with pytest.raises(RoundingError):
        Quantity(1, "KGM").divide(3, rounding=RoundingMode.HALF_UP)


# ---------------------------------------------------------------------------------------
# Comparison, equality, hashing
# ---------------------------------------------------------------------------------------


def test_ordering_is_exact_across_units_of_a_dimension() -> None:
    assert Quantity(1, "KGM") > Quantity(999, "GRM")
    assert Quantity(1, "KGM") >= Quantity(1000, "GRM")
    assert Quantity(1, "KGM") <= Quantity(1000, "GRM")
    assert Quantity(1, "LBR") < Quantity("453.59238", "GRM")
    assert Quantity(1, "LBR") > Quantity("453.59236", "GRM")
    assert Quantity(59, "MIN") < Quantity(1, "HUR")
    assert Quantity("1.5", "KGM") < Quantity("1.75", "KGM")
    assert sorted([Quantity(1, "KGM"), Quantity(1, "GRM"), Quantity(1, "LBR")]) == [
        Quantity(1, "GRM"),
        Quantity(1, "LBR"),
        Quantity(1, "KGM"),
    ]


def test_ordering_across_dimensions_or_types_is_refused() -> None:
    with pytest.raises(IncompatibleUnits):
        Quantity(1, "KGM") < Quantity(1, "LTR")  # noqa: B015
    with pytest.raises(TypeError):
        Quantity(1, "KGM") < 2  # type: ignore[operator]  # noqa: B015


def test_equality_needs_the_same_unit() -> None:
    assert Quantity("1.5", "KGM") == Quantity("1.50", "KGM")
    assert Quantity(1, "KGM") != Quantity(1000, "GRM")
    assert Quantity(1, "KGM") != Quantity(1, "LTR")
    assert Quantity(1, "KGM") != Decimal(1)
    assert Quantity(1, "C62") != Quantity(1, "H87")


def test_equivalent_compares_across_units() -> None:
    assert Quantity(1, "KGM").equivalent(Quantity(1000, "GRM"))
    assert Quantity(1000, "GRM").equivalent(Quantity("1.000", "KGM"))
    assert Quantity(1, "C62").equivalent(Quantity(1, "H87"))
    assert Quantity(12, "C62").equivalent(Quantity(1, "DZN"))
    assert not Quantity(1, "KGM").equivalent(Quantity(999, "GRM"))
    assert not Quantity(1, "KGM").equivalent(Quantity(1, "LTR"))
    with pytest.raises(TypeError):
        Quantity(1, "KGM").equivalent(1)  # type: ignore[arg-type]


def test_hash_agrees_with_equality() -> None:
    assert hash(Quantity("1.5", "KGM")) == hash(Quantity("1.50", "KGM"))
    found = {Quantity("1.5", "KGM"), Quantity("1.50", "KGM"), Quantity("1500", "GRM")}
    assert len(found) == 2
    assert {Quantity(0, "KGM"), Quantity("-0.0", "KGM")} == {Quantity(0, "KGM")}


# ---------------------------------------------------------------------------------------
# Serialization
# ---------------------------------------------------------------------------------------


def test_to_dict_and_from_dict() -> None:
    quantity = Quantity("1.50", "KGM")
    assert quantity.to_dict() == {"value": "1.50", "unit": "KGM"}
    assert Quantity.from_dict(quantity.to_dict()) == quantity
    assert Quantity.from_dict({"value": 3, "unit": "c62"}) == Quantity(3, "C62")
    with pytest.raises(InvalidAmount, match="missing: unit"):
        Quantity.from_dict({"value": "1"})
    with pytest.raises(FloatNotAllowed):
        Quantity.from_dict({"value": 1.5, "unit": "KGM"})
    with pytest.raises(InvalidAmount):
        Quantity.from_dict({"value": True, "unit": "KGM"})
    with pytest.raises(UnknownUnit):
        Quantity.from_dict({"value": "1", "unit": 3})


def test_pickle_and_copy() -> None:
    quantity = Quantity("1.50", "KGM")
    restored = pickle.loads(pickle.dumps(quantity))
    assert restored == quantity
    assert str(restored) == "1.50 KGM"
    assert restored.unit is quantity.unit
    assert copy.copy(quantity) is quantity
    assert copy.deepcopy(quantity) is quantity


class Line(pydantic.BaseModel):
    item: str
    quantity: Quantity


def test_pydantic_round_trip_through_json() -> None:
    line = Line.model_validate({"item": "flour", "quantity": {"value": "1.50", "unit": "kgm"}})
    assert line.quantity == Quantity("1.50", "KGM")
    assert line.model_dump()["quantity"] is line.quantity
    assert line.model_dump(mode="json") == {
        "item": "flour",
        "quantity": {"value": "1.50", "unit": "KGM"},
    }
    text = line.model_dump_json()
    assert '"value":"1.50"' in text
    assert Line.model_validate_json(text) == line
    assert Line(item="x", quantity=Quantity(2, "C62")).quantity == Quantity(2, "C62")
    assert Line.model_validate({"item": "x", "quantity": "2 DZN"}).quantity == Quantity(2, "DZN")


@pytest.mark.parametrize(
    ("payload", "error_type"),
    [
        ('{"item": "x", "quantity": {"value": 1.5, "unit": "KGM"}}', "value.float_not_allowed"),
        ('{"item": "x", "quantity": 1.5}', "value.float_not_allowed"),
        ('{"item": "x", "quantity": {"value": "1.5", "unit": "KG"}}', "quantity.unknown_unit"),
        ('{"item": "x", "quantity": {"value": "1.5"}}', "value.invalid_number"),
        ('{"item": "x", "quantity": {"value": "NaN", "unit": "KGM"}}', "value.invalid_number"),
    ],
)
def test_pydantic_rejects_bad_input(payload: str, error_type: str) -> None:
    with pytest.raises(pydantic.ValidationError) as info:
        Line.model_validate_json(payload)
    assert [error["type"] for error in info.value.errors()] == [error_type]


def test_pydantic_rejects_python_floats() -> None:
    with pytest.raises(pydantic.ValidationError) as info:
        Line.model_validate({"item": "x", "quantity": {"value": 1.5, "unit": "KGM"}})
    assert info.value.errors()[0]["type"] == "value.float_not_allowed"


def test_pydantic_json_schema() -> None:
    schema = Line.model_json_schema()["properties"]["quantity"]
    assert schema["properties"]["value"]["type"] == "string"
    assert "KGM" in schema["properties"]["unit"]["enum"]
    assert schema["required"] == ["value", "unit"]


def test_format_uses_the_symbol() -> None:
    assert Quantity("1234.5", "KGM").format("fr_FR") == "1\u202f234,5\u00a0kg"
    assert Quantity("0.75", "LTR").format("en_US") == "0.75\u00a0L"


# ---------------------------------------------------------------------------------------
# Packagings
# ---------------------------------------------------------------------------------------

CASE = Packaging("CS", "case of 12", Quantity(12, "C62"))
PALLET = Packaging.of("PX", "pallet of 40 cases", 40, CASE)
WINE = PackagingScheme("C62", [CASE, PALLET])


def test_packaging_contents() -> None:
    assert PALLET.contains == Quantity(480, "C62")
    assert str(CASE) == "CS (case of 12: 12 C62)"
    assert Packaging(" BX ", "box", Quantity(6, "C62")).code == "BX"
    assert WINE.base_unit is get_unit("C62")
    assert WINE.packagings == (CASE, PALLET)
    assert WINE.packaging("CS") is CASE
    assert WINE.size("PX") == Quantity(480, "C62")


@pytest.mark.parametrize("contains", [Quantity(0, "C62"), Quantity(-12, "C62")])
def test_packaging_contents_must_be_positive(contains: Quantity) -> None:
    with pytest.raises(InvalidAmount, match="positive"):
        Packaging("CS", "case", contains)


def test_packaging_code_must_not_be_empty() -> None:
    with pytest.raises(InvalidAmount):
        Packaging("  ", "case", Quantity(12, "C62"))
    with pytest.raises(TypeError):
        Packaging("CS", "case", 12)  # type: ignore[arg-type]


def test_to_base() -> None:
    assert WINE.to_base(3, "CS") == Quantity(36, "C62")
    assert WINE.to_base("1.5", "CS") == Quantity(18, "C62")
    assert WINE.to_base(2, "PX") == Quantity(960, "C62")
    assert WINE.to_base(2, "DZN") == Quantity(24, "C62")
    assert WINE.to_base(Quantity(2, "DZN")) == Quantity(24, "C62")
    assert WINE.to_base(PackageCount(3, CASE)) == Quantity(36, "C62")
    with pytest.raises(UnknownUnit, match="neither a packaging"):
        WINE.to_base(3, "BX")
    with pytest.raises(IncompatibleUnits):
        WINE.to_base(3, "KGM")
    with pytest.raises(FloatNotAllowed):
        WINE.to_base(1.5, "CS")  # type: ignore[call-overload]
    other_case = Packaging("CS", "case of 6", Quantity(6, "C62"))
    with pytest.raises(UnknownUnit):
        WINE.to_base(PackageCount(1, other_case))


def test_from_base_exact_inexact_and_rounded() -> None:
    assert WINE.from_base(Quantity(30, "C62"), "CS") == PackageCount(Decimal("2.5"), CASE)
    assert str(WINE.from_base(Quantity(30, "C62"), "CS")) == "2.5 CS"
    assert WINE.from_base(Quantity(5, "DZN"), "CS").count == 5
    assert WINE.from_base(Quantity(240, "C62"), "PX").count == Decimal("0.5")
    with pytest.raises(InexactConversion) as info:
        WINE.from_base(Quantity(10, "C62"), "CS")
    assert info.value.details == {"quantity": "10 C62", "unit": "CS"}
    whole_cases = RoundingPolicy(RoundingMode.UP, 1)
    assert WINE.from_base(Quantity(10, "C62"), "CS", rounding=whole_cases).count == 1
    assert WINE.from_base(Quantity(25, "C62"), "CS", rounding=whole_cases).count == 3
    assert WINE.from_base(Quantity(25, "C62"), "CS", rounding=RoundingPolicy("DOWN", 1)).count == 2
    with pytest.raises(UnknownUnit, match="not a packaging"):
        WINE.from_base(Quantity(10, "C62"), "BX")
    with pytest.raises(IncompatibleUnits):
        WINE.from_base(Quantity(10, "KGM"), "CS")


def test_breakdown_largest_packaging_first() -> None:
    simple = PackagingScheme("C62", [CASE])
    result = simple.breakdown(Quantity(30, "C62"))
    assert result == Breakdown(
        packages=(PackageCount(2, CASE),),
        remainder=Quantity(6, "C62"),
        total=Quantity(30, "C62"),
    )
    assert str(result) == "2 CS + 6 C62"
    nested = WINE.breakdown(Quantity(1000, "C62"))
    assert [str(package) for package in nested.packages] == ["2 PX", "3 CS"]
    assert nested.remainder == Quantity(4, "C62")
    assert str(nested) == "2 PX + 3 CS + 4 C62"
    assert str(WINE.breakdown(Quantity(36, "C62"))) == "3 CS"
    assert str(WINE.breakdown(Quantity(5, "C62"))) == "5 C62"
    assert str(WINE.breakdown(Quantity(0, "C62"))) == "0 C62"
    assert str(WINE.breakdown(Quantity(3, "DZN"))) == "3 CS"


def test_breakdown_of_negative_and_fractional_quantities() -> None:
    negative = WINE.breakdown(Quantity(-30, "C62"))
    assert str(negative) == "-2 CS + -6 C62"
    assert negative.remainder == Quantity(-6, "C62")
    fractional = WINE.breakdown(Quantity("30.5", "C62"))
    assert str(fractional) == "2 CS + 6.5 C62"


def test_declaration_order_does_not_change_the_breakdown() -> None:
    reversed_scheme = PackagingScheme("C62", [PALLET, CASE])
    assert str(reversed_scheme.breakdown(Quantity(1000, "C62"))) == "2 PX + 3 CS + 4 C62"


def test_mass_scheme_with_contents_in_another_unit() -> None:
    flour = PackagingScheme(
        "KGM",
        [
            Packaging("BG", "bag of 500 g", Quantity(500, "GRM")),
            Packaging("SA", "sack of 25 kg", Quantity(25, "KGM")),
        ],
    )
    assert flour.size("BG") == Quantity("0.5", "KGM")
    assert flour.to_base(4, "BG") == Quantity(2, "KGM")
    assert str(flour.breakdown(Quantity("51.2", "KGM"))) == "2 SA + 2 BG + 0.2 KGM"
    assert str(flour.breakdown(Quantity(1200, "GRM"))) == "2 BG + 0.2 KGM"
    assert flour.from_base(Quantity(3, "KGM"), "BG").count == 6


def test_scheme_validation_lists_every_problem() -> None:
    with pytest.raises(ValidationError) as info:
        PackagingScheme(
            "C62",
            [
                CASE,
                Packaging("CS", "another case", Quantity(6, "C62")),
                Packaging("SK", "sack", Quantity(25, "KGM")),
                Packaging("DZN", "dozen box", Quantity(12, "C62")),
            ],
        )
    problems = {problem.path: problem.code for problem in info.value.problems}
    assert problems == {
        "packagings.1.code": "quantity.incompatible_units",
        "packagings.2.contains": "quantity.incompatible_units",
        "packagings.3.code": "quantity.incompatible_units",
    }


def test_scheme_contents_must_be_exact_in_the_base_unit() -> None:
    with pytest.raises(ValidationError) as info:
        PackagingScheme("LBR", [Packaging("BG", "bag of 1 kg", Quantity(1, "KGM"))])
    assert [problem.code for problem in info.value.problems] == ["quantity.inexact_conversion"]


def test_scheme_identity_and_pickling() -> None:
    restored = pickle.loads(pickle.dumps(WINE))
    assert restored == WINE
    assert hash(restored) == hash(WINE)
    assert restored.to_base(1, "PX") == Quantity(480, "C62")
    assert pickle.loads(pickle.dumps(PackageCount(2, CASE))) == PackageCount(2, CASE)
    assert PackagingScheme("C62", [CASE]) != WINE
    assert repr(PackagingScheme("C62")) == "PackagingScheme('C62', [])"
    with pytest.raises(AttributeError):
        WINE._base = get_unit("KGM")
    with pytest.raises(UnknownUnit):
        PackagingScheme("XYZ", [])


def test_package_count_refuses_floats() -> None:
    with pytest.raises(FloatNotAllowed):
        PackageCount(1.5, CASE)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        PackageCount(1, "CS")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------

values = st.decimals(
    min_value=Decimal("-1000000000"), max_value=Decimal("1000000000"), places=6
).map(lambda d: d.normalize() if d else Decimal(0))


@st.composite
def same_dimension_units(draw: st.DrawFn) -> tuple[Unit, Unit]:
    dimension = draw(st.sampled_from(list(Dimension)))
    choices = units(dimension)
    return draw(st.sampled_from(choices)), draw(st.sampled_from(choices))


@given(values, same_dimension_units())
def test_exact_conversions_round_trip(value: Decimal, pair: tuple[Unit, Unit]) -> None:
    source, target = pair
    quantity = Quantity(value, source)
    if quantity.can_convert_exactly(target):
        there = quantity.to(target)
        back = there.to(source)
        assert back.value == value
        assert there.equivalent(quantity)
    else:
        with pytest.raises(InexactConversion):
            quantity.to(target)


@given(values, values, same_dimension_units())
def test_equivalent_is_symmetric_and_agrees_with_ordering(
    left_value: Decimal, right_value: Decimal, pair: tuple[Unit, Unit]
) -> None:
    left = Quantity(left_value, pair[0])
    right = Quantity(right_value, pair[1])
    assert left.equivalent(right) == right.equivalent(left)
    assert left.equivalent(right) == (left <= right and left >= right)
    if left == right:
        assert left.equivalent(right)
        assert hash(left) == hash(right)


@given(values, st.integers(min_value=0, max_value=10_000))
def test_breakdown_adds_up(value: Decimal, extra: int) -> None:
    quantity = Quantity(value, "C62") + Quantity(extra, "C62")
    result = WINE.breakdown(quantity)
    rebuilt = Quantity.total([WINE.to_base(package) for package in result.packages], "C62")
    assert rebuilt + result.remainder == quantity
    assert abs(result.remainder) < Quantity(12, "C62")
