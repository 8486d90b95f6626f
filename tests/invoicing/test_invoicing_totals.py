"""Line net amounts, VAT rounding, and the EN 16931 invariants as properties."""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import cast

import attrs
from hypothesis import given
from hypothesis import strategies as st

from backoffice import Money, RoundingMode, UnitPrice
from backoffice.invoicing import (
    AllowanceCharge,
    DocumentTotals,
    InvoiceLine,
    VatCategory,
    VatRounding,
    document_totals,
)


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


def test_line_net_is_quantity_times_price_over_base_quantity() -> None:
    line = InvoiceLine(
        "1",
        quantity="250",
        unit_code="C62",
        price=UnitPrice("12.50", "EUR"),
        base_quantity="100",
        vat_category="S",
        vat_rate="20",
    )
    assert line.line_net_amount(rounding=RoundingMode.HALF_UP) == eur("31.25")


def test_line_allowances_are_amounts_of_the_currency_and_the_net_is_rounded_once() -> None:
    # A line allowance (BT-136) is an amount of the currency (BR-DEC-24): 1.5 % of 0.33
    # (0.00495) is booked 0.00, so the net is 10.005 - 0.00 = 10.005 -> 10.01 (with an
    # unrounded allowance it would be 10.00005 -> 10.00).
    line = InvoiceLine(
        "1",
        quantity="1",
        price=UnitPrice("10.005", "EUR"),
        allowances_charges=[AllowanceCharge.allowance(percentage="1.5", base_amount=eur("0.33"))],
        vat_category="S",
        vat_rate="20",
    )
    assert line.line_net_amount(rounding=RoundingMode.HALF_UP) == eur("10.01")
    # 10 % of 8.65 = 0.865, booked 0.87 half up, 0.86 half even: the net follows
    cable = attrs.evolve(
        line,
        price=UnitPrice("1.235", "EUR"),
        quantity=Decimal(7),
        allowances_charges=(AllowanceCharge.allowance(percentage="10", base_amount=eur("8.65")),),
    )
    assert cable.line_net_amount(rounding=RoundingMode.HALF_UP) == eur("7.78")  # 8.645 - 0.87
    assert cable.line_net_amount(rounding=RoundingMode.HALF_EVEN) == eur("7.78")  # 8.645 - 0.86
    charged = attrs.evolve(line, allowances_charges=(AllowanceCharge.charge(amount=eur("2.00")),))
    assert charged.line_net_amount(rounding=RoundingMode.HALF_UP) == eur("12.01")


def test_the_named_rounding_is_used_for_line_nets() -> None:
    line = InvoiceLine(
        "1", quantity="1", price=UnitPrice("0.125", "EUR"), vat_category="S", vat_rate="20"
    )
    assert line.line_net_amount(rounding=RoundingMode.HALF_UP) == eur("0.13")
    assert line.line_net_amount(rounding=RoundingMode.HALF_EVEN) == eur("0.12")


def test_bt_ids_are_in_the_field_metadata() -> None:
    assert attrs.fields(InvoiceLine).vat_rate.metadata["en16931"] == "BT-152"
    assert attrs.fields(InvoiceLine).base_quantity.metadata["en16931"] == "BT-149"
    assert attrs.fields(DocumentTotals).amount_due.metadata["en16931"] == "BT-115"


def _three_at_4_99(mode: VatRounding) -> DocumentTotals:
    lines = [
        InvoiceLine(str(n), net_amount=eur("4.99"), vat_category="S", vat_rate="20")
        for n in (1, 2, 3)
    ]
    return document_totals(lines, [], "EUR", vat_rounding=mode)


def test_per_category_and_per_line_rounding_differ_by_a_cent() -> None:
    per_category = _three_at_4_99(VatRounding.PER_CATEGORY)  # 14.97 x 20 % = 2.994
    per_line = _three_at_4_99(VatRounding.PER_LINE)  # 3 x round(0.998) = 3.00
    assert per_category.total_vat == eur("2.99")
    assert per_line.total_vat == eur("3.00")
    assert per_line.vat_rounding is VatRounding.PER_LINE


def test_percentage_allowance_on_the_document() -> None:
    line = InvoiceLine("1", net_amount=eur("200.00"), vat_category="S", vat_rate="20")
    discount = AllowanceCharge.allowance(
        percentage="2.5", base_amount=eur("200.00"), vat_category="S", vat_rate="20"
    )
    totals = document_totals([line], [discount], "EUR", prepaid=eur("50.00"))
    assert totals.allowances == eur("5.00")
    assert totals.charges is None
    assert totals.total_without_vat == eur("195.00")
    assert totals.total_vat == eur("39.00")
    assert totals.amount_due == eur("184.00")


# -- properties ---------------------------------------------------------------------------

CURRENCIES = {"EUR": 2, "JPY": 0, "KWD": 3}
CATEGORY_RATES: list[tuple[VatCategory, str | None]] = [
    (VatCategory.S, "20"),
    (VatCategory.S, "5.5"),
    (VatCategory.S, "19"),
    (VatCategory.S, "7.7"),
    (VatCategory.Z, "0"),
    (VatCategory.E, "0"),
    (VatCategory.AE, "0"),
    (VatCategory.O, None),
    (VatCategory.L, "7"),
]
MODES = [
    RoundingMode.HALF_UP,
    RoundingMode.HALF_EVEN,
    RoundingMode.HALF_DOWN,
    RoundingMode.UP,
    RoundingMode.DOWN,
]


@st.composite
def documents(draw: st.DrawFn) -> dict[str, object]:
    currency = draw(st.sampled_from(sorted(CURRENCIES)))
    places = CURRENCIES[currency]
    lines = []
    for index in range(draw(st.integers(1, 6))):
        category, rate = draw(st.sampled_from(CATEGORY_RATES))
        price = Decimal(draw(st.integers(0, 10**7))).scaleb(-4)
        lines.append(
            InvoiceLine(
                str(index),
                quantity=Decimal(draw(st.integers(-50, 500))).scaleb(-1),
                price=UnitPrice(price, currency),
                base_quantity=draw(st.sampled_from(["1", "10", "100"])),
                allowances_charges=[
                    AllowanceCharge.allowance(
                        percentage=Decimal(draw(st.integers(0, 300))).scaleb(-1),
                        base_amount=Money(draw(st.integers(0, 10**5)), currency),
                    )
                ]
                if draw(st.booleans())
                else [],
                vat_category=category,
                vat_rate=rate,
            )
        )
    entries = []
    for _ in range(draw(st.integers(0, 3))):
        category, rate = draw(st.sampled_from(CATEGORY_RATES))
        amount = Money.from_minor_units(draw(st.integers(0, 10**6)), currency)
        kind = draw(st.sampled_from(["allowance", "charge"]))
        entries.append(AllowanceCharge(kind, amount=amount, vat_category=category, vat_rate=rate))
    optional = st.none() | st.integers(-(10**5), 10**5).map(
        lambda units: Money.from_minor_units(units, currency)
    )
    return {
        "lines": lines,
        "allowances_charges": entries,
        "currency": currency,
        "prepaid": draw(optional),
        "rounding_amount": draw(optional),
        "vat_rounding": draw(st.sampled_from(list(VatRounding))),
        "rounding": draw(st.sampled_from(MODES)),
        "places": places,
    }


def _totals(document: dict[str, object]) -> DocumentTotals:
    arguments = {key: value for key, value in document.items() if key != "places"}
    return document_totals(**arguments)  # type: ignore[arg-type]


@given(documents())
def test_totals_add_up(document: dict[str, object]) -> None:
    totals = _totals(document)
    zero = Money.zero(totals.currency)
    assert totals.total_with_vat == totals.total_without_vat + totals.total_vat
    assert totals.amount_due == (
        totals.total_with_vat - (totals.prepaid or zero) + (totals.rounding_amount or zero)
    )
    assert totals.sum_of_line_nets == sum(totals.line_net_amounts, zero)
    assert totals.total_without_vat == (
        totals.sum_of_line_nets - (totals.allowances or zero) + (totals.charges or zero)
    )
    assert totals.total_vat == sum((e.tax_amount for e in totals.vat_breakdown), zero)
    assert sum((e.taxable_amount for e in totals.vat_breakdown), zero) == (totals.total_without_vat)


@given(documents().filter(lambda d: d["vat_rounding"] is VatRounding.PER_CATEGORY))
def test_each_category_tax_is_its_taxable_amount_times_its_rate_rounded(
    document: dict[str, object],
) -> None:
    totals = _totals(document)
    mode = document["rounding"]
    assert isinstance(mode, RoundingMode)
    context = decimal.Context(prec=100, rounding=mode.value)
    for entry in totals.vat_breakdown:
        rate = entry.rate or Decimal(0)
        exact = context.divide(context.multiply(entry.taxable_amount.amount, rate), 100)
        expected = exact.quantize(totals.currency.quantum, context=context)
        assert entry.tax_amount.amount == expected, entry


@given(documents())
def test_every_amount_has_the_currency_decimals(document: dict[str, object]) -> None:
    totals = _totals(document)
    for amount in totals.amounts():
        assert amount.currency is totals.currency
        assert amount.amount.as_tuple().exponent == -document["places"]  # type: ignore[operator]


def _negate(value: object) -> Money | None:
    return None if value is None else -cast(Money, value)


def _negated(document: dict[str, object]) -> dict[str, object]:
    lines = []
    for line in cast(list[InvoiceLine], document["lines"]):
        assert line.quantity is not None
        lines.append(
            attrs.evolve(
                line,
                quantity=-line.quantity,
                allowances_charges=tuple(
                    attrs.evolve(entry, base_amount=_negate(entry.base_amount))
                    for entry in line.allowances_charges
                ),
            )
        )
    entries = [
        attrs.evolve(entry, amount=_negate(entry.amount))
        for entry in cast(list[AllowanceCharge], document["allowances_charges"])
    ]
    return {
        **document,
        "lines": lines,
        "allowances_charges": entries,
        "prepaid": _negate(document["prepaid"]),
        "rounding_amount": _negate(document["rounding_amount"]),
    }


@given(documents())
def test_a_credit_note_nets_its_invoice_to_zero(document: dict[str, object]) -> None:
    invoice = _totals(document)
    credit = _totals(_negated(document))
    pairs = list(zip(invoice.amounts(), credit.amounts(), strict=True))
    assert pairs
    for amount, credited in pairs:
        assert (amount + credited).is_zero()
