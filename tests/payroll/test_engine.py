"""The country-neutral payroll engine: parameters, parameter sets and rate scales."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice.core.money import Money, Rate
from backoffice.core.rounding import RoundingMode
from backoffice.errors import FloatNotAllowed, InvalidType, InvalidValue
from backoffice.invoicing.interest import LegalParameter
from backoffice.payroll import (
    Bracket,
    DeductionBracket,
    DeductionScale,
    MarginalScale,
    Multiple,
    Parameter,
    ParameterLookup,
    ParameterRef,
    ParameterSet,
    ScaleRounding,
    resolve_limit,
)


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


def pss(value: str, start: date, end: date | None) -> Parameter[Money]:
    return Parameter(
        name="FR.PSS",
        value=eur(value),
        source="arrêté (test figure)",
        valid_from=start,
        valid_until=end,
        jurisdiction="FR",
        checked_on=date(2026, 1, 2),
    )


PSS = ParameterSet(
    "FR.PSS",
    [
        pss("3925.00", date(2025, 1, 1), date(2025, 12, 31)),
        pss("4005.00", date(2026, 1, 1), date(2026, 12, 31)),
    ],
)


# -- parameters ---------------------------------------------------------------------


def test_parameter_is_a_legal_parameter() -> None:
    version = PSS.version_on(date(2025, 3, 1))
    assert isinstance(version, LegalParameter)
    assert version.jurisdiction == "FR"
    assert version.checked_on == date(2026, 1, 2)
    assert version.value_on(date(2025, 12, 31)) == eur("3925.00")
    assert version.ref == ParameterRef("FR.PSS", date(2025, 1, 1))
    with pytest.raises(InvalidValue):
        version.value_on(date(2026, 1, 1))


def test_set_gives_the_version_of_the_day() -> None:
    assert PSS.value_on(date(2025, 12, 31)) == eur("3925.00")
    assert PSS.value_on(date(2026, 1, 1)) == eur("4005.00")
    assert len(PSS.versions) == 2
    assert [v.valid_from for v in PSS] == [date(2025, 1, 1), date(2026, 1, 1)]
    assert "FR.PSS" in repr(PSS)


@pytest.mark.parametrize("day", [date(2024, 12, 31), date(2027, 1, 1)])
def test_day_outside_every_version_is_refused(day: date) -> None:
    with pytest.raises(InvalidValue) as caught:
        PSS.value_on(day)
    assert caught.value.details["field"] == "day"
    assert day.isoformat() in caught.value.message


def test_a_gap_between_versions_is_not_filled() -> None:
    gapped = ParameterSet(
        "FR.PSS",
        [
            pss("3925.00", date(2025, 1, 1), date(2025, 6, 30)),
            pss("4005.00", date(2026, 1, 1), None),
        ],
    )
    with pytest.raises(InvalidValue):
        gapped.value_on(date(2025, 9, 1))
    assert gapped.value_on(date(2030, 1, 1)) == eur("4005.00")  # open-ended


def test_datetime_is_refused() -> None:
    with pytest.raises(InvalidType):
        PSS.value_on(datetime(2025, 1, 1, tzinfo=UTC))


def test_overlapping_versions_are_refused() -> None:
    with pytest.raises(InvalidValue, match="overlap"):
        ParameterSet(
            "FR.PSS",
            [
                pss("3925.00", date(2025, 1, 1), date(2025, 12, 31)),
                pss("4005.00", date(2025, 12, 31), None),
            ],
        )
    with pytest.raises(InvalidValue, match="overlap"):
        ParameterSet(
            "FR.PSS",
            [pss("3925.00", date(2025, 1, 1), None), pss("4005.00", date(2026, 1, 1), None)],
        )


def test_bad_sets_and_versions() -> None:
    with pytest.raises(InvalidValue):
        ParameterSet("FR.PSS", [])
    with pytest.raises(InvalidValue):
        ParameterSet("FR.SMIC", [pss("3925.00", date(2025, 1, 1), None)])
    with pytest.raises(InvalidType):
        ParameterSet("FR.PSS", ["3925.00"])  # type: ignore[arg-type]
    with pytest.raises(InvalidValue, match="before valid_from"):
        pss("3925.00", date(2025, 1, 1), date(2024, 12, 31))
    with pytest.raises(InvalidType):
        Parameter(
            name="x",
            value=1,
            source="s",
            valid_from=date(2025, 1, 1),
            jurisdiction="",
            checked_on=date(2025, 1, 1),
        )


def test_lookup_records_the_versions_read() -> None:
    lookup = ParameterLookup({"FR.PSS": PSS}, date(2026, 5, 1))
    assert lookup.money("FR.PSS") == eur("4005.00")
    assert lookup.used == (ParameterRef("FR.PSS", date(2026, 1, 1)),)
    with pytest.raises(InvalidValue, match="no parameter named"):
        lookup.value("FR.SMIC")


# -- marginal scales -------------------------------------------------------------------

TWO_RATES = MarginalScale(
    [Bracket(eur("1000.00"), Rate.percent("10")), Bracket(None, Rate.percent("20"))]
)


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("0.00", "0.00"),
        ("999.99", "100.00"),  # 99.999
        ("1000.00", "100.00"),  # the limit is in the first bracket: (0, 1000]
        ("1000.01", "100.00"),  # 100 + 0.002
        ("1000.03", "100.01"),  # 100 + 0.006
        ("1500.00", "200.00"),  # 100 + 500 × 20 %
    ],
)
def test_marginal_brackets(base: str, expected: str) -> None:
    assert TWO_RATES.compute(eur(base)).amount == eur(expected)


def test_rounding_per_bracket_or_once() -> None:
    # 3 brackets of 0.05 at 10 %: each share 0.005
    brackets = [
        Bracket(eur("0.05"), Rate.percent("10")),
        Bracket(eur("0.10"), Rate.percent("10")),
        Bracket(eur("0.15"), Rate.percent("10")),
    ]
    once = MarginalScale(brackets, ScaleRounding.SUM_ONCE)
    each = MarginalScale(brackets, ScaleRounding.PER_BRACKET)
    assert once.compute(eur("0.15")).amount == eur("0.02")  # 0.015 → 0.02
    assert each.compute(eur("0.15")).amount == eur("0.03")  # 3 × 0.01
    down = MarginalScale(brackets, "sum_once", RoundingMode.DOWN)
    assert down.compute(eur("0.15")).amount == eur("0.01")


def test_a_ceiling_and_caps_and_floors() -> None:
    ceiling = MarginalScale([Bracket(eur("1000.00"), Rate.percent("10"))])
    assert ceiling.compute(eur("5000.00")).amount == eur("100.00")
    capped = MarginalScale([Bracket(None, Rate.percent("10"))], cap=eur("2000.00"))
    result = capped.compute(eur("5000.00"))
    assert result.amount == eur("200.00")
    assert result.base == eur("2000.00")
    floored = MarginalScale([Bracket(None, Rate.percent("10"))], floor=eur("100.00"))
    assert floored.compute(eur("10.00")).amount == eur("10.00")
    bounded = MarginalScale(
        [Bracket(None, Rate.percent("10"))], minimum=eur("5.00"), maximum=eur("50.00")
    )
    assert bounded.compute(eur("1.00")).amount == eur("5.00")
    assert bounded.compute(eur("1000.00")).amount == eur("50.00")


def test_limit_as_a_multiple_of_a_parameter() -> None:
    # 4 × PSS: 15 700 in 2025, 16 020 in 2026
    scale = MarginalScale(
        [
            Bracket(Multiple(1, "FR.PSS"), Rate.percent("10")),
            Bracket((4, "FR.PSS"), Rate.percent("1")),
        ]
    )
    sets = {"FR.PSS": PSS}
    base = eur("20000.00")
    y2025 = scale.compute(base, ParameterLookup(sets, date(2025, 6, 1)))
    # 3925 × 10 % + (15700 − 3925) × 1 % = 392.50 + 117.75
    assert y2025.amount == eur("510.25")
    assert y2025.parameters == (ParameterRef("FR.PSS", date(2025, 1, 1)),)
    y2026 = scale.compute(base, ParameterLookup(sets, date(2026, 6, 1)))
    # 4005 × 10 % + (16020 − 4005) × 1 % = 400.50 + 120.15
    assert y2026.amount == eur("520.65")
    with pytest.raises(InvalidValue, match="needs parameters"):
        scale.compute(base)
    with pytest.raises(InvalidValue):
        scale.compute(base, ParameterLookup(sets, date(2027, 1, 1)))


def test_limit_as_a_callable() -> None:
    def half_pss(lookup: ParameterLookup) -> Money:
        return lookup.money("FR.PSS").multiply(Decimal("0.5"), rounding=RoundingMode.HALF_UP)

    assert resolve_limit(half_pss, ParameterLookup({"FR.PSS": PSS}, date(2025, 1, 1))) == eur(
        "1962.50"
    )
    with pytest.raises(InvalidType):
        resolve_limit("1000", None)  # type: ignore[arg-type]
    with pytest.raises(FloatNotAllowed):
        Bracket(1000.0, Rate.percent("10"))
    with pytest.raises(FloatNotAllowed):
        Multiple(1.5, "FR.PSS")


def test_bad_scales_and_bases() -> None:
    with pytest.raises(InvalidValue):
        MarginalScale([])
    with pytest.raises(InvalidValue, match="only the last"):
        MarginalScale([Bracket(None, Rate.percent("1")), Bracket(None, Rate.percent("2"))])
    with pytest.raises(InvalidValue, match="does not exceed"):
        MarginalScale(
            [Bracket(eur("10.00"), Rate.percent("1")), Bracket(eur("5.00"), Rate.percent("2"))]
        ).compute(eur("20.00"))
    with pytest.raises(InvalidValue, match="negative"):
        TWO_RATES.compute(eur("-1.00"))
    with pytest.raises(InvalidType):
        TWO_RATES.compute("100")  # type: ignore[arg-type]
    with pytest.raises(FloatNotAllowed):
        Bracket(eur("1.00"), 0.1)


@given(st.integers(min_value=0, max_value=10_000_000), st.integers(min_value=1, max_value=10_000))
def test_marginal_amount_never_falls_nor_jumps(cents: int, step: int) -> None:
    low = TWO_RATES.compute(Money.from_minor_units(cents, "EUR")).amount
    high = TWO_RATES.compute(Money.from_minor_units(cents + step, "EUR")).amount
    assert low <= high
    # at most 20 % of the step, plus one centavo of rounding
    assert (high - low).minor_units() <= step // 5 + 1


# -- rate minus deduction ---------------------------------------------------------------

TABLE = DeductionScale(
    [
        DeductionBracket(eur("1000.00"), Rate.percent("0"), eur("0.00")),
        DeductionBracket(eur("2000.00"), Rate.percent("10"), eur("100.00")),
        DeductionBracket(None, Rate.percent("20"), eur("300.00")),
    ]
)


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("1000.00", "0.00"),
        ("1000.01", "0.00"),  # 100.001 − 100 = 0.001
        ("1500.00", "50.00"),
        ("2000.00", "100.00"),  # 200 − 100, still the second row
        ("2000.01", "100.00"),  # 400.002 − 300
        ("3000.00", "300.00"),
    ],
)
def test_rate_minus_deduction(base: str, expected: str) -> None:
    assert TABLE.compute(eur(base)).amount == eur(expected)


def test_rate_minus_deduction_never_negative() -> None:
    odd = DeductionScale([DeductionBracket(None, Rate.percent("10"), eur("100.00"))])
    assert odd.compute(eur("10.00")).amount == eur("0.00")


def test_rate_minus_deduction_with_a_cap() -> None:
    capped = DeductionScale(
        [DeductionBracket(None, Rate.percent("10"), eur("0.00"))], cap=eur("100.00")
    )
    assert capped.compute(eur("1000.00")).amount == eur("10.00")


def test_table_without_an_open_row() -> None:
    closed = DeductionScale([DeductionBracket(eur("10.00"), Rate.percent("10"), eur("0.00"))])
    with pytest.raises(InvalidValue, match="above the last bracket"):
        closed.compute(eur("11.00"))
