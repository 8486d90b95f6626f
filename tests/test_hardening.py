"""Edge cases found in review: hostile decimal contexts, untrusted sizes, strict parsing,
serialization that must stay plain, and errors that must stay in the tree."""

from __future__ import annotations

import copy
import decimal
import pickle
import re
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pydantic
import pytest

from backoffice import Money, Quantity, Rate, RoundingMode, RoundingPolicy, UnitPrice
from backoffice.core import l10n
from backoffice.core.time import ManualClock, add_days
from backoffice.errors import (
    BackofficeError,
    DivisionByZero,
    FloatNotAllowed,
    InvalidAmount,
    InvalidRate,
    InvalidType,
    MoneyParseError,
    Problem,
    ValidationError,
)


@pytest.fixture
def hostile_context() -> Any:
    with decimal.localcontext() as context:
        context.prec = 3
        context.Emax = 4
        context.rounding = decimal.ROUND_05UP
        context.capitals = 0
        context.clear_flags()
        for trap in (decimal.Inexact, decimal.Rounded, decimal.InvalidOperation):
            context.traps[trap] = True
        yield context


def test_formatting_and_parsing_ignore_the_thread_context(hostile_context: Any) -> None:
    big = Money("12345678901234567890123456789.00", "EUR")
    assert big.format("en_US") == "€12,345,678,901,234,567,890,123,456,789.00"
    assert Money.parse("12,345,678,901,234,567,890,123,456,789.00 USD", "en_US").amount == Decimal(
        "12345678901234567890123456789.00"
    )
    assert Money("1234567.89", "EUR").format("fr_FR") == "1\u202f234\u202f567,89\u00a0€"
    assert l10n.format_decimal(Decimal("123456.789"), "pt_BR") == "123.456,789"
    assert l10n.format_percent(Rate.percent("5.5"), "fr_FR") == "5,5\u00a0%"
    assert str(UnitPrice("0.0000001", "EUR")) == "0.0000001 EUR"
    flags = {flag for flag, raised in hostile_context.flags.items() if raised}
    assert flags == set()


@pytest.mark.parametrize("text", ["1e10000000", "1E-999999999", "9" * 200, "1" * 41])
def test_untrusted_sizes_are_refused_fast(text: str) -> None:
    started = time.perf_counter()
    with pytest.raises(InvalidAmount):
        Money(text, "EUR")

    class Model(pydantic.BaseModel):
        price: Money

    with pytest.raises(pydantic.ValidationError):
        Model.model_validate_json(f'{{"price": {{"amount": "{text}", "currency": "EUR"}}}}')
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize("text", ["1_000", "١٢", " 1 000 ", "0x10", "1,5", "--1", "+-1"])
def test_amount_strings_follow_one_grammar(text: str) -> None:
    with pytest.raises(InvalidAmount):
        Money(text, "EUR")


@pytest.mark.parametrize(
    ("text", "locale", "currency"),
    [("1.000", "fr_FR", "JPY"), ("1.000", "fr_FR", "EUR"), ("1.234", "fr_FR", "KWD")],
)
def test_parse_refuses_separators_the_locale_does_not_use(
    text: str, locale: str, currency: str
) -> None:
    with pytest.raises(MoneyParseError) as info:
        Money.parse(text, locale, currency=currency)
    assert "not a digit or separator" in str(info.value)


def test_parse_accepts_an_ascii_apostrophe_where_the_locale_groups_with_one() -> None:
    assert Money.parse("CHF 1'234.50", "de_CH") == Money("1234.50", "CHF")


@pytest.mark.parametrize("locale", ["ar_EG", "he_IL", "fa_IR", "ar_SA"])
def test_right_to_left_formats_parse_back(locale: str) -> None:
    money = Money("12.50", "EUR")
    assert Money.parse(money.format(locale), locale) == money


def test_rates_above_one_hundred_percent_round_trip_through_json() -> None:
    class Markup(pydantic.BaseModel):
        rate: Rate

    markup = Markup(rate=Rate.percent("150", maximum_percent=300))
    assert Markup.model_validate_json(markup.model_dump_json()) == markup
    with pytest.raises(InvalidRate) as info:
        Rate.percent("200")
    assert "200 %" in str(info.value)
    assert "E+" not in str(info.value)


def test_serialized_numbers_stay_plain() -> None:
    pattern = re.compile(r"^[+-]?\d+(\.\d+)?$")
    assert UnitPrice("0.0000001", "EUR").to_dict()["amount"] == "0.0000001"
    assert Rate("0.0000000001").to_dict()["percent"] == "0.00000001"
    for value in ("0.0000001", "1E+3", "100"):
        assert pattern.match(UnitPrice(value, "EUR").to_dict()["amount"])


def test_signalling_nan_is_an_invalid_amount() -> None:
    with pytest.raises(InvalidAmount):
        Money("1", "EUR").multiply(Decimal("sNaN"), rounding=RoundingMode.HALF_UP)


def test_unit_price_applies_the_rounding_it_is_given() -> None:
    cash = RoundingPolicy(RoundingMode.HALF_UP, "0.05")
    assert UnitPrice("1.23", "CHF", rounding=cash) == UnitPrice("1.25", "CHF")
    assert UnitPrice("1.23000000001", "CHF", rounding=cash) == UnitPrice("1.25", "CHF")


def test_unit_price_extends_quantities_in_its_own_unit() -> None:
    per_kilo = UnitPrice("10", "EUR", per="KGM")
    assert per_kilo.extend(Quantity("500", "GRM"), rounding="HALF_UP") == Money("5.00", "EUR")
    assert per_kilo.extend(Decimal("2"), rounding="HALF_UP") == Money("20.00", "EUR")
    with pytest.raises(InvalidType):
        UnitPrice("10", "EUR").extend(Quantity("500", "GRM"), rounding="HALF_UP")
    with pytest.raises(BackofficeError):
        per_kilo.extend(Quantity("1", "LTR"), rounding="HALF_UP")
    assert pickle.loads(pickle.dumps(per_kilo)) == per_kilo


def test_validation_errors_pickle_and_copy() -> None:
    error = ValidationError([Problem("lines.0", "value.invalid_number", "bad")])
    for clone in (pickle.loads(pickle.dumps(error)), copy.copy(error), copy.deepcopy(error)):
        assert isinstance(clone, ValidationError)
        assert clone.problems == error.problems


def test_registering_messages_first_is_not_overwritten_by_the_builtins() -> None:
    code = "test.hardening.only"
    l10n.register_messages({"fr": {code: "X {value}"}})
    assert l10n.translate(code, "fr_FR", {"value": 1}) == "X 1"
    assert l10n.translate("money.unknown_currency", "PT-br", {"currency": "Z"}) is not None


def test_library_errors_stay_in_the_tree() -> None:
    attempts: list[Any] = [
        lambda: l10n.format_decimal(Decimal("1.234"), "fr_FR", decimals=2),
        lambda: add_days(date(2026, 1, 1), True),
        lambda: ManualClock(datetime(2026, 1, 1, tzinfo=UTC)).advance(
            datetime(2026, 1, 1, tzinfo=UTC) - datetime(2026, 1, 2, tzinfo=UTC)
        ),
        lambda: Money("1", "EUR").divide(0, rounding=RoundingMode.HALF_UP),
        lambda: l10n.format_date(datetime(2026, 1, 1, tzinfo=UTC), "fr_FR"),
    ]
    for attempt in attempts:
        with pytest.raises(BackofficeError):
            attempt()
    with pytest.raises(DivisionByZero):
        Money("1", "EUR").divide(0, rounding=RoundingMode.HALF_UP)
    with pytest.raises(FloatNotAllowed):
        l10n.format_decimal(1.5, "fr_FR")  # type: ignore[arg-type]


def test_sum_starts_from_zero() -> None:
    amounts = [Money("1.10", "EUR"), Money("2.20", "EUR")]
    assert sum(amounts) == Money("3.30", "EUR")
    assert l10n.format_decimal(Decimal("-0.00"), "fr_FR") == "0,00"


def test_errors_pickle_with_their_details() -> None:
    with pytest.raises(BackofficeError) as info:
        Money("1", "EUR") + Money("1", "BRL")
    clone = pickle.loads(pickle.dumps(info.value))
    assert type(clone) is type(info.value)
    assert clone.details == info.value.details
    assert clone.message == info.value.message


def test_the_stock_ledger_ignores_the_thread_context(hostile_context: Any) -> None:
    from datetime import timedelta

    from backoffice.inventory import Inventory, Item, Location, ReserveLine
    from backoffice.storage import open_store

    store = open_store("memory://", tenant="t")
    store.migrate()
    ledger = Inventory(store)
    ledger.add_item(Item("FLOUR", "KGM"))
    ledger.add_location(Location("WH1"))
    ledger.receive("FLOUR", "12345.678901", "WH1")
    ledger.reserve("O", [ReserveLine("FLOUR", "WH1", "0.000001")], ttl=timedelta(hours=1))
    balance = ledger.balance("FLOUR", "WH1")
    assert balance.on_hand == Decimal("12345.678901")
    assert balance.available == Decimal("12345.6789")
    assert ledger.verify() == []
