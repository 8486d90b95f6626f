from __future__ import annotations

import copy
import decimal
import pickle
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import moneyed
import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice.core.money import (
    Currency,
    Money,
    Rate,
    RoundingMode,
    RoundingPolicy,
    UnitPrice,
    allocate,
    currencies,
    get_currency,
    split,
)
from backoffice.errors import (
    AllocationError,
    BackofficeError,
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

EUR = get_currency("EUR")

DECIMAL_MODES = {
    RoundingMode.HALF_UP: decimal.ROUND_HALF_UP,
    RoundingMode.HALF_EVEN: decimal.ROUND_HALF_EVEN,
    RoundingMode.HALF_DOWN: decimal.ROUND_HALF_DOWN,
    RoundingMode.UP: decimal.ROUND_UP,
    RoundingMode.DOWN: decimal.ROUND_DOWN,
    RoundingMode.CEILING: decimal.ROUND_CEILING,
    RoundingMode.FLOOR: decimal.ROUND_FLOOR,
}

amounts = st.decimals(
    min_value=Decimal("-1000000000"),
    max_value=Decimal("1000000000"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)
euros = amounts.map(lambda value: Money(value, "EUR"))
wide_decimals = st.integers(0, 20).flatmap(
    lambda places: st.decimals(
        allow_nan=False,
        allow_infinity=False,
        min_value=-(10**12),
        max_value=10**12,
        places=places,
    )
)


# -- currencies ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "minor"),
    [("EUR", 2), ("BRL", 2), ("JPY", 0), ("KRW", 0), ("KWD", 3), ("TND", 3), ("BHD", 3),
     ("CLF", 4), ("UYW", 4), ("XAU", None), ("XDR", None)],
)  # fmt: skip
def test_minor_units_follow_iso_4217(code: str, minor: int | None) -> None:
    assert get_currency(code).minor_units == minor


def test_currency_lookup_is_shared_and_tolerant() -> None:
    assert get_currency("eur") is get_currency(" EUR ") is get_currency("978") is EUR
    assert get_currency(moneyed.get_currency("BRL")) is get_currency("BRL")
    assert get_currency("532").code == "XCG"  # the active code wins over withdrawn ANG
    assert get_currency("BGN").withdrawn is not None
    with pytest.raises(UnknownCurrency) as info:
        get_currency("EURO")
    assert "ISO 4217" in str(info.value)
    with pytest.raises(TypeError):
        Currency("EUR")


def test_currency_table_agrees_with_moneyed_where_both_know_the_code() -> None:
    for currency in currencies():
        try:
            other = moneyed.get_currency(currency.code)
        except moneyed.CurrencyDoesNotExist:
            assert currency.code in {"XCG", "ZWG"}  # introduced after py-moneyed 3.0
            continue
        expected_sub_unit = 1 if currency.minor_units is None else 10**currency.minor_units
        if other.numeric is not None:
            assert other.numeric == currency.numeric
            assert other.sub_unit == expected_sub_unit, currency.code


def test_currency_is_immutable_and_pickles_to_the_same_instance() -> None:
    with pytest.raises(AttributeError):
        EUR.code = "USD"
    assert pickle.loads(pickle.dumps(EUR)) is EUR
    assert copy.deepcopy(EUR) is EUR


# -- construction ----------------------------------------------------------------------


def test_money_is_booked_at_the_minor_unit() -> None:
    assert Money("5", "EUR").amount == Decimal("5.00")
    assert str(Money("5", "EUR").amount) == "5.00"
    assert str(Money(1234, "JPY").amount) == "1234"
    assert str(Money("1.5", "KWD").amount) == "1.500"
    assert str(Money("1.500", "EUR")) == "1.50 EUR"
    assert Money("-0.00", "EUR").amount.is_signed() is False


def test_excess_precision_needs_a_named_rounding() -> None:
    with pytest.raises(PrecisionError) as info:
        Money("0.125", "EUR")
    assert "rounding=RoundingMode.HALF_UP" in str(info.value)
    assert info.value.details["decimals"] == 2
    assert Money("0.125", "EUR", rounding=RoundingMode.HALF_EVEN) == Money("0.12", "EUR")
    assert Money("0.125", "EUR", rounding="HALF_UP") == Money("0.13", "EUR")
    assert Money("-0.125", "EUR", rounding="half_up") == Money("-0.13", "EUR")
    with pytest.raises(PrecisionError):
        Money("10.5", "JPY")


@pytest.mark.parametrize("bad", [0.1, float("nan"), 1.0])
def test_float_amounts_raise_type_error_with_the_fix(bad: float) -> None:
    with pytest.raises(FloatNotAllowed) as info:
        Money(bad, "EUR")  # type: ignore[arg-type]
    assert isinstance(info.value, TypeError)
    assert 'Money("0.10", "EUR")' in str(info.value)


@pytest.mark.parametrize("bad", ["abc", "NaN", "Infinity", "", None, True, [1], Decimal("NaN")])
def test_non_numbers_are_invalid_amounts(bad: Any) -> None:
    with pytest.raises(InvalidAmount):
        Money(bad, "EUR")


def test_floats_are_refused_everywhere() -> None:
    # Typed as Any: these calls are what a type checker would flag, made anyway.
    money: Any = Money("10.00", "EUR")
    untyped: Any = {
        "Money": Money,
        "RoundingPolicy": RoundingPolicy,
        "UnitPrice": UnitPrice,
        "Rate": Rate,
        "allocate": allocate,
    }
    attempts: list[Callable[[], object]] = [
        lambda: money.multiply(1.5, rounding=RoundingMode.HALF_UP),
        lambda: money.divide(3.0, rounding=RoundingMode.HALF_UP),
        lambda: money * 1.5,
        lambda: 1.5 * money,
        lambda: money + 1.5,
        lambda: money < 1.5,
        lambda: untyped["RoundingPolicy"](RoundingMode.HALF_UP, 0.05),
        lambda: untyped["UnitPrice"](0.1, "EUR"),
        lambda: untyped["Rate"](0.2),
        lambda: untyped["Rate"].percent(20.0),
        lambda: untyped["allocate"](money, [0.5, 0.5]),
        lambda: untyped["Money"].from_minor_units(1.0, "EUR"),
        lambda: Money.from_dict({"amount": 1.5, "currency": "EUR"}),
        lambda: untyped["UnitPrice"]("1", "EUR").extend(1.5, rounding=RoundingMode.HALF_UP),
        lambda: untyped["RoundingPolicy"](RoundingMode.HALF_UP).round(0.5, "EUR"),
    ]
    for attempt in attempts:
        with pytest.raises(FloatNotAllowed):
            attempt()


def test_minor_units_round_trip() -> None:
    assert Money.from_minor_units(1234, "EUR") == Money("12.34", "EUR")
    assert Money.from_minor_units(-5, "KWD") == Money("-0.005", "KWD")
    assert Money("12.34", "EUR").minor_units() == 1234
    assert Money(500, "JPY").minor_units() == 500
    assert Money("1.5", "XAU").minor_units() == 1_500_000  # booked to a millionth
    assert str(Money("1.5", "XAU").amount) == "1.500000"


# -- arithmetic and comparisons ------------------------------------------------------------


def test_arithmetic_within_one_currency() -> None:
    a, b = Money("10.00", "EUR"), Money("0.10", "EUR")
    assert a + b == Money("10.10", "EUR")
    assert a - b == Money("9.90", "EUR")
    assert -a == Money("-10.00", "EUR")
    assert abs(-a) == a
    assert +a is a
    assert a * 3 == 3 * a == Money("30.00", "EUR")
    assert Money.total([a, b, b], "EUR") == Money("10.20", "EUR")
    assert Money.total([], "BRL") == Money.zero("BRL")
    assert a > b and b < a and a >= a and a <= a
    assert bool(Money.zero("EUR")) is False
    assert (-a).is_negative() and a.is_positive() and Money.zero("EUR").is_zero()


def test_no_arithmetic_nor_ordering_across_currencies() -> None:
    eur, usd = Money("1.00", "EUR"), Money("1.00", "USD")
    for attempt in (lambda: eur + usd, lambda: eur - usd, lambda: eur < usd, lambda: eur >= usd):
        with pytest.raises(CurrencyMismatch) as info:
            attempt()
        assert "EUR" in str(info.value) and "USD" in str(info.value)
    with pytest.raises(CurrencyMismatch):
        Money.total([eur, usd], "EUR")
    assert eur != usd
    assert len({eur, usd, Money("1", "EUR")}) == 2


def test_operators_that_may_need_rounding_point_to_the_method() -> None:
    money = Money("1.00", "EUR")
    with pytest.raises(RoundingRequired) as info:
        money * Decimal("1.5")  # type: ignore[operator]
    assert "multiply" in str(info.value)
    assert isinstance(info.value, TypeError)
    with pytest.raises(RoundingRequired):
        money / 3
    with pytest.raises(TypeError):
        money + 1  # type: ignore[operator]


def test_multiply_divide_and_round_name_their_rounding() -> None:
    price = Money("19.99", "EUR")
    assert price.multiply(Decimal("0.2"), rounding=RoundingMode.HALF_UP) == Money("4.00", "EUR")
    assert price.multiply("0.055", rounding=RoundingMode.HALF_UP) == Money("1.10", "EUR")
    assert Money("0.05", "EUR").multiply("0.5", rounding=RoundingMode.HALF_EVEN) == Money(
        "0.02", "EUR"
    )
    assert Money("10.00", "EUR").divide(3, rounding=RoundingMode.HALF_UP) == Money("3.33", "EUR")
    assert Money("10.00", "EUR").divide(3, rounding=RoundingMode.UP) == Money("3.34", "EUR")
    assert Money("2.00", "EUR").divide(Fraction(1, 3), rounding="HALF_UP") == Money("6.00", "EUR")
    cash = RoundingPolicy(RoundingMode.HALF_UP, "0.05")
    assert Money("1.23", "CHF").round(cash) == Money("1.25", "CHF")
    assert Money("1.22", "CHF").round(cash) == Money("1.20", "CHF")
    assert Money("1234", "JPY").round(RoundingPolicy(RoundingMode.HALF_UP, 100)) == Money(
        1200, "JPY"
    )
    with pytest.raises(RoundingError):
        Money("1.00", "EUR").round(RoundingPolicy(RoundingMode.HALF_UP, "0.001"))
    with pytest.raises(ZeroDivisionError):
        Money("1.00", "EUR").divide(0, rounding=RoundingMode.HALF_UP)


def test_the_thread_decimal_context_is_neither_read_nor_changed() -> None:
    big = Money("123456789012345678901234567890.12", "EUR")
    before = decimal.getcontext().copy()
    with decimal.localcontext() as context:
        context.prec = 3
        context.rounding = decimal.ROUND_FLOOR
        context.traps[decimal.Inexact] = True
        total = big + Money("0.01", "EUR")
        vat = Money("19.99", "EUR").multiply("0.2", rounding=RoundingMode.HALF_UP)
        shares = split(Money("100.00", "EUR"), 3)
    assert total.amount == Decimal("123456789012345678901234567890.13")
    assert vat == Money("4.00", "EUR")
    assert [s.amount for s in shares] == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    after = decimal.getcontext()
    assert (after.prec, after.rounding, after.traps) == (before.prec, before.rounding, before.traps)


def test_money_is_immutable_hashable_and_pickles() -> None:
    money = Money("12.34", "EUR")
    with pytest.raises(AttributeError):
        money.amount = Decimal(1)  # type: ignore[misc]
    with pytest.raises(AttributeError):
        money.currency = get_currency("USD")  # type: ignore[misc]
    with pytest.raises(AttributeError):
        money.note = "x"  # type: ignore[attr-defined]
    assert pickle.loads(pickle.dumps(money)) == money
    assert copy.copy(money) is money
    assert hash(Money("12.340", "EUR")) == hash(money)
    assert repr(money) == "Money('12.34', 'EUR')"


# -- rounding policies -------------------------------------------------------------------


@given(value=wide_decimals, mode=st.sampled_from(list(RoundingMode)), exponent=st.integers(-6, 3))
def test_each_rounding_mode_agrees_with_decimal_quantize(
    value: Decimal, mode: RoundingMode, exponent: int
) -> None:
    quantum = Decimal((0, (1,), exponent))
    context = decimal.Context(prec=100, rounding=DECIMAL_MODES[mode])
    expected = value.quantize(quantum, context=context)
    got = RoundingPolicy(mode, quantum).round(value)
    assert got == expected


@given(
    value=wide_decimals,
    mode=st.sampled_from(list(RoundingMode)),
    quantum=st.sampled_from(["0.05", "0.25", "0.5", "2", "5", "0.03", "0.0125"]),
)
def test_rounding_to_any_step_lands_on_a_multiple_within_one_step(
    value: Decimal, mode: RoundingMode, quantum: str
) -> None:
    step = Decimal(quantum)
    result = RoundingPolicy(mode, step).round(value)
    assert Fraction(result) / Fraction(step) == int(Fraction(result) / Fraction(step))
    distance = abs(Fraction(result) - Fraction(value))
    assert distance < Fraction(step)
    if mode.name.startswith("HALF"):
        assert distance <= Fraction(step) / 2


def test_rounding_policy_validates_its_inputs() -> None:
    with pytest.raises(RoundingError):
        RoundingPolicy("TO_NEAREST")
    with pytest.raises(RoundingError):
        RoundingPolicy(RoundingMode.HALF_UP, "-0.05")
    with pytest.raises(RoundingError):
        RoundingPolicy(RoundingMode.HALF_UP).round(Decimal("1.5"))
    assert RoundingPolicy(RoundingMode.HALF_UP).round(Decimal("1.2345675"), "XAU") == Decimal(
        "1.234568"
    )
    assert RoundingPolicy("half_even") == RoundingPolicy(RoundingMode.HALF_EVEN)
    assert pickle.loads(pickle.dumps(RoundingPolicy("UP", "0.05"))) == RoundingPolicy("UP", "0.05")


# -- allocation ----------------------------------------------------------------------------


def test_allocation_examples() -> None:
    assert split(Money("100.00", "EUR"), 3) == [
        Money("33.34", "EUR"),
        Money("33.33", "EUR"),
        Money("33.33", "EUR"),
    ]
    assert allocate(Money("0.05", "EUR"), [3, 7]) == [Money("0.02", "EUR"), Money("0.03", "EUR")]
    assert allocate(Money("10.00", "EUR"), [1, 0, 1]) == [
        Money("5.00", "EUR"),
        Money("0.00", "EUR"),
        Money("5.00", "EUR"),
    ]
    assert split(Money("-0.10", "EUR"), 3) == [
        Money("-0.04", "EUR"),
        Money("-0.03", "EUR"),
        Money("-0.03", "EUR"),
    ]
    assert split(Money(100, "JPY"), 3) == [Money(34, "JPY"), Money(33, "JPY"), Money(33, "JPY")]
    assert split(Money("1.00", "CHF"), 3, quantum="0.05") == [
        Money("0.35", "CHF"),
        Money("0.35", "CHF"),
        Money("0.30", "CHF"),
    ]
    assert Money("1.00", "EUR").allocate(["0.5", "0.25", "0.25"]) == [
        Money("0.50", "EUR"),
        Money("0.25", "EUR"),
        Money("0.25", "EUR"),
    ]


@pytest.mark.parametrize(
    ("ratios", "reason"),
    [([], "no ratios"), ([0, 0], "all ratios are zero"), ([1, -1], "negative")],
)
def test_allocation_refuses_bad_ratios(ratios: list[int], reason: str) -> None:
    with pytest.raises(AllocationError) as info:
        allocate(Money("1.00", "EUR"), ratios)
    assert reason in str(info.value)


def test_allocation_refuses_bad_parts_and_quanta() -> None:
    with pytest.raises(AllocationError):
        split(Money("1.00", "EUR"), 0)
    with pytest.raises(AllocationError):
        split(Money("1.01", "CHF"), 2, quantum="0.05")


@given(
    total=euros,
    ratios=st.lists(
        st.decimals(min_value=0, max_value=1000, places=3, allow_nan=False), min_size=1, max_size=12
    ).filter(lambda values: any(values)),
)
def test_allocation_sums_exactly_and_each_share_is_within_one_minor_unit(
    total: Money, ratios: list[Decimal]
) -> None:
    shares = allocate(total, ratios)
    assert len(shares) == len(ratios)
    assert Money.total(shares, "EUR") == total
    weight = sum(ratios, Decimal(0))
    for share, ratio in zip(shares, ratios, strict=True):
        exact = Fraction(total.amount) * Fraction(ratio) / Fraction(weight)
        assert abs(Fraction(share.amount) - exact) < Fraction(1, 100)
        assert share.currency is EUR
        assert str(share.amount).split(".")[1].__len__() == 2
    assert allocate(total, ratios) == shares  # deterministic
    assert [-s for s in allocate(-total, ratios)] == shares  # symmetric for negatives


@given(total=euros, parts=st.integers(1, 50))
def test_split_shares_differ_by_at_most_one_minor_unit(total: Money, parts: int) -> None:
    shares = split(total, parts)
    assert Money.total(shares, "EUR") == total
    assert max(shares) - min(shares) <= Money("0.01", "EUR")


# -- unit prices and rates ----------------------------------------------------------------


def test_unit_price_keeps_precision_until_extended() -> None:
    price = UnitPrice("0.123456", "EUR")
    assert price.extend(1000, rounding=RoundingMode.HALF_UP) == Money("123.46", "EUR")
    assert price.extend(Decimal("3"), rounding=RoundingMode.DOWN) == Money("0.37", "EUR")
    assert UnitPrice("12.50", "EUR").extend(
        250, base_quantity=100, rounding=RoundingMode.HALF_UP
    ) == Money("31.25", "EUR")
    assert price.to_money(rounding=RoundingMode.HALF_UP) == Money("0.12", "EUR")
    assert UnitPrice(Money("2.00", "EUR")) == UnitPrice("2", "EUR")
    assert price + UnitPrice("0.000001", "EUR") == UnitPrice("0.123457", "EUR")
    with pytest.raises(PrecisionError):
        UnitPrice("0.12345678901", "EUR")
    assert UnitPrice("0.12345678905", "EUR", rounding=RoundingMode.HALF_UP) == UnitPrice(
        "0.1234567891", "EUR"
    )
    with pytest.raises(CurrencyMismatch):
        price < UnitPrice("1", "USD")  # noqa: B015


def test_rates_are_exact_and_range_checked() -> None:
    assert Rate.percent("5.5").ratio == Decimal("0.055")
    assert Rate.percent("20") == Rate("0.2")
    assert Rate.basis_points(25) == Rate.percent("0.25")
    assert Rate.percent("20").percent_value == Decimal("20")
    assert str(Rate.percent("5.50")) == "5.5 %"
    assert Rate.percent("20").of(Money("19.99", "EUR"), rounding=RoundingMode.HALF_UP) == Money(
        "4.00", "EUR"
    )
    with pytest.raises(InvalidRate):
        Rate.percent("-1")
    with pytest.raises(InvalidRate):
        Rate.percent("150")
    assert Rate.percent("150", maximum_percent=200).ratio == Decimal("1.5")
    assert pickle.loads(pickle.dumps(Rate.percent("150", maximum_percent=200))) == Rate.percent(
        "150", maximum_percent=200
    )


# -- interoperability ----------------------------------------------------------------------


@given(money=euros)
def test_round_trip_through_moneyed(money: Money) -> None:
    other = money.to_moneyed()
    assert isinstance(other, moneyed.Money)
    assert other.amount == money.amount and other.currency.code == "EUR"
    assert Money.from_moneyed(other) == money


def test_moneyed_amounts_with_excess_precision_need_a_rounding() -> None:
    foreign = moneyed.Money("1.005", "EUR")
    with pytest.raises(PrecisionError):
        Money.from_moneyed(foreign)
    assert Money.from_moneyed(foreign, rounding=RoundingMode.HALF_UP) == Money("1.01", "EUR")


class Order(pydantic.BaseModel):
    total: Money
    unit_price: UnitPrice
    vat: Rate
    currency: Currency


@given(money=euros)
def test_round_trip_through_json(money: Money) -> None:
    order = Order(
        total=money, unit_price=UnitPrice("0.1234", "EUR"), vat=Rate.percent("20"), currency=EUR
    )
    text = order.model_dump_json()
    assert f'"amount":"{money.amount}"' in text
    assert Order.model_validate_json(text) == order
    assert Money.from_dict(money.to_dict()) == money


def test_pydantic_dumps_strings_and_rejects_floats_and_unknown_currencies() -> None:
    order = Order.model_validate(
        {
            "total": {"amount": "12.34", "currency": "EUR"},
            "unit_price": {"amount": "0.5", "currency": "EUR"},
            "vat": {"percent": "5.5"},
            "currency": "EUR",
        }
    )
    assert order.total == Money("12.34", "EUR")
    assert order.model_dump(mode="json")["total"] == {"amount": "12.34", "currency": "EUR"}
    assert order.model_dump()["total"] == Money("12.34", "EUR")
    bad = {
        "total": {"amount": 12.34, "currency": "EUR"},
        "unit_price": {"amount": "0.5", "currency": "EURO"},
        "vat": {"percent": 20.0},
        "currency": "XYZ",
    }
    with pytest.raises(pydantic.ValidationError) as info:
        Order.model_validate(bad)
    errors = {(str(e["loc"][0]), e["type"]) for e in info.value.errors()}
    assert errors == {
        ("total", "value.float_not_allowed"),
        ("unit_price", "money.unknown_currency"),
        ("vat", "value.float_not_allowed"),
        ("currency", "money.unknown_currency"),
    }
    with pytest.raises(pydantic.ValidationError):
        Order.model_validate_json(
            '{"total": {"amount": 1.5, "currency": "EUR"}, "unit_price": {"amount": "1",'
            ' "currency": "EUR"}, "vat": {"percent": "20"}, "currency": "EUR"}'
        )
    schema = Order.model_json_schema()
    assert schema["properties"]["total"]["properties"]["amount"]["type"] == "string"


# -- text ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("money", "locale", "text"),
    [
        (Money("1234.56", "EUR"), "fr_FR", "1\u202f234,56\u00a0€"),
        (Money("1234.56", "BRL"), "pt_BR", "R$\u00a01.234,56"),
        (Money("1234.56", "USD"), "en_US", "$1,234.56"),
        (Money("-1234.5", "EUR"), "fr_FR", "-1\u202f234,50\u00a0€"),
        (Money("1234", "JPY"), "en_US", "¥1,234"),
        (Money("1234.567", "KWD"), "fr_FR", "1\u202f234,567\u00a0KWD"),
        (Money("0.1", "EUR"), "pt_BR", "€\u00a00,10"),
    ],
)
def test_format_uses_the_locale_and_iso_minor_units(money: Money, locale: str, text: str) -> None:
    assert money.format(locale) == text
    assert Money.parse(text, locale) == money


@pytest.mark.parametrize(
    ("text", "locale", "currency", "expected"),
    [
        ("1 234,56 €", "fr_FR", None, Money("1234.56", "EUR")),
        ("1234,56", "fr_FR", "EUR", Money("1234.56", "EUR")),
        ("EUR 12.5", "en_US", None, Money("12.50", "EUR")),
        ("-R$ 3,00", "pt_BR", None, Money("-3.00", "BRL")),
        ("R$ -3,00", "pt_BR", None, Money("-3.00", "BRL")),
        ("$1,234.56", "en_US", "USD", Money("1234.56", "USD")),
    ],
)
def test_parse(text: str, locale: str, currency: str | None, expected: Money) -> None:
    assert Money.parse(text, locale, currency=currency) == expected


@pytest.mark.parametrize(
    ("text", "locale", "currency"),
    [
        ("12,50", "fr_FR", None),  # no currency anywhere
        ("12,50 €", "fr_FR", "USD"),  # disagreeing currencies
        ("1,23", "en_US", "USD"),  # wrong grouping, refused rather than misread
        ("1.234", "en_US", "USD"),  # more decimals than USD has
        ("abc €", "fr_FR", None),
        ("12,50 €€", "fr_FR", None),
        ("12,50 XYZ", "fr_FR", None),
    ],
)
def test_parse_refuses_what_it_cannot_read_exactly(
    text: str, locale: str, currency: str | None
) -> None:
    with pytest.raises(MoneyParseError):
        Money.parse(text, locale, currency=currency)


def test_errors_have_stable_codes_and_translations() -> None:
    with pytest.raises(BackofficeError) as info:
        Money("1.00", "EUR") + Money("1.00", "BRL")
    error = info.value
    assert error.code == "money.currency_mismatch"
    assert "les devises diffèrent" in error.localized("fr_FR")
    assert "as moedas são diferentes" in error.localized("pt_BR")
    assert error.localized("de_DE") == error.message
    assert error.to_dict()["details"]["left"] == "1.00 EUR"


@given(
    units=st.integers(-(10**12), 10**12),
    factor=wide_decimals,
    mode=st.sampled_from(list(RoundingMode)),
)
def test_multiply_and_divide_match_an_exact_reference(
    units: int, factor: Decimal, mode: RoundingMode
) -> None:
    money = Money.from_minor_units(units, "EUR")
    reference = RoundingPolicy(mode, "0.01")
    product = money.multiply(factor, rounding=mode)
    assert product.amount == reference.round(Fraction(money.amount) * Fraction(factor))
    if factor:
        quotient = money.divide(factor, rounding=mode)
        assert quotient.amount == reference.round(Fraction(money.amount) / Fraction(factor))
