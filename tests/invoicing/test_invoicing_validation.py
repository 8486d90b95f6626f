"""Bad input: one ValidationError that lists every problem, each at its path."""

from __future__ import annotations

import pytest

from backoffice import Money, UnitPrice
from backoffice.errors import ValidationError
from backoffice.invoicing import AllowanceCharge, InvoiceLine, document_totals


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


def good_line(line_id: str = "1") -> InvoiceLine:
    return InvoiceLine(line_id, net_amount=eur("10.00"), vat_category="S", vat_rate="20")


def codes(error: ValidationError) -> dict[str, str]:
    return {problem.path: problem.code for problem in error.problems}


def test_a_document_reports_every_problem_with_its_path() -> None:
    exempt_with_a_rate = InvoiceLine("2", net_amount=eur("5.00"), vat_category="E", vat_rate="20")
    in_dollars = InvoiceLine(
        "4", quantity="1", price=UnitPrice("3", "USD"), vat_category="S", vat_rate="20"
    )
    with_a_line_category = InvoiceLine(
        "5",
        net_amount=eur("1.00"),
        allowances_charges=[
            AllowanceCharge.allowance(amount=eur("0.10"), vat_category="S", vat_rate="20")
        ],
        vat_category="S",
        vat_rate="20",
    )
    standard_without_rate = InvoiceLine(
        "6", net_amount=eur("1.00"), vat_category="S", vat_rate=None
    )
    with pytest.raises(ValidationError) as caught:
        document_totals(
            [
                good_line(),
                exempt_with_a_rate,
                "not a line",  # type: ignore[list-item]
                in_dollars,
                with_a_line_category,
                standard_without_rate,
            ],
            [
                AllowanceCharge.charge(amount=eur("2.00")),
                AllowanceCharge.allowance(amount=eur("1.00"), vat_category="O", vat_rate="0"),
            ],
            "EUR",
            prepaid=0.5,  # type: ignore[arg-type]
            rounding_amount=Money("0.01", "USD"),
            vat_rounding="per_invoice",
        )
    assert codes(caught.value) == {
        "lines.1.vat_rate": "value.invalid",
        "lines.2": "value.invalid_type",
        "lines.3.price": "money.currency_mismatch",
        "lines.4.allowances_charges.0.vat_category": "value.invalid",
        "lines.5.vat_rate": "value.invalid",
        "allowances_charges.0.vat_category": "value.invalid",
        "allowances_charges.1.vat_rate": "value.invalid",
        "prepaid": "value.float_not_allowed",
        "rounding_amount": "money.currency_mismatch",
        "vat_rounding": "value.invalid",
    }
    assert "BR-E-5" in caught.value.message and "BR-37" in caught.value.message
    french = caught.value.localized("fr_FR")
    assert "10 problème(s)" in french and "{" not in french


def test_unknown_currency_and_no_lines() -> None:
    with pytest.raises(ValidationError) as caught:
        document_totals([], [], "EURO", rounding="SIDEWAYS")
    assert codes(caught.value) == {
        "currency": "money.unknown_currency",
        "rounding": "money.rounding",
        "lines": "value.invalid",
    }


def test_a_line_reports_every_problem_in_its_fields() -> None:
    with pytest.raises(ValidationError) as caught:
        InvoiceLine(
            "",
            quantity=1.5,  # type: ignore[arg-type]
            unit_code="NOPE",
            price=UnitPrice("2", "EUR"),
            base_quantity="-1",
            allowances_charges=[object()],  # type: ignore[list-item]
            vat_category="X",
            vat_rate="120",
        )
    assert codes(caught.value) == {
        "id": "value.invalid",
        "quantity": "value.float_not_allowed",
        "unit_code": "quantity.unknown_unit",
        "base_quantity": "value.invalid_number",
        "allowances_charges.0": "value.invalid_type",
        "vat_category": "value.invalid",
        "vat_rate": "money.invalid_rate",
    }


def test_a_line_needs_quantity_and_price_or_a_stated_net_amount() -> None:
    with pytest.raises(ValidationError) as caught:
        InvoiceLine("1", vat_category="S", vat_rate="20")
    assert codes(caught.value) == {"quantity": "value.invalid", "price": "value.invalid"}


def test_a_line_mixing_currencies_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        InvoiceLine(
            "1",
            quantity="1",
            price=UnitPrice("2", "EUR"),
            allowances_charges=[AllowanceCharge.charge(amount=Money("1", "USD"))],
            vat_category="S",
            vat_rate="20",
        )
    assert codes(caught.value) == {"allowances_charges.0.amount": "money.currency_mismatch"}


def test_an_allowance_needs_an_amount_or_a_percentage_of_a_base() -> None:
    with pytest.raises(ValidationError) as caught:
        AllowanceCharge("discount", percentage=-5.0)  # type: ignore[arg-type]
    assert codes(caught.value) == {
        "kind": "value.invalid",
        "percentage": "value.float_not_allowed",
        "amount": "value.invalid",
    }
    with pytest.raises(ValidationError) as caught:
        AllowanceCharge.allowance(percentage="-5", base_amount=eur("10.00"))
    assert codes(caught.value) == {"percentage": "money.invalid_rate"}
