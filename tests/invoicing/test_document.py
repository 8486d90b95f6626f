"""The invoice document: parties, references, checks, credit notes, and its JSON form."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from backoffice import Money, UnitPrice
from backoffice.errors import InvalidValue, ValidationError
from backoffice.invoicing import (
    Address,
    AllowanceCharge,
    Contact,
    Delivery,
    DocumentType,
    Invoice,
    InvoiceLine,
    Party,
    PaymentInstructions,
    PaymentTerms,
    PrecedingInvoice,
    VatExemption,
)
from backoffice.invoicing.schema import (
    invoice_from_dict,
    invoice_from_json,
    invoice_json_schema,
    invoice_to_dict,
    invoice_to_json,
)
from backoffice.taxid import parse

SELLER = Party(
    "Crêperie du Port SARL",
    trading_name="Crêperie du Port",
    legal_id=parse("732829320", country="FR", kind="siren"),
    vat_id=parse("FR40303265045"),
    address=Address("FR", lines=["1 quai de la Douane"], city="Brest", postal_code="29200"),
    contact=Contact("Anne", email="anne@example.fr"),
    electronic_address="73282932000074",
    electronic_address_scheme="0009",
)
BUYER = Party("Hôtel de la Plage", id="C-042", address=Address("FR", city="Quimper"))


def crepes(quantity: str = "40", **extra: object) -> InvoiceLine:
    return InvoiceLine(
        "1",
        name="Buffet de crêpes",
        quantity=quantity,
        price=UnitPrice("6.50", "EUR"),
        vat_category="S",
        vat_rate="10",
        **extra,  # type: ignore[arg-type]
    )


def full_invoice() -> Invoice:
    return Invoice(
        seller=SELLER,
        buyer=BUYER,
        payee=Party("Factor SA", address=Address("FR")),
        currency="EUR",
        lines=[
            crepes(seller_item_id="BUF-40", description="40 crêpes", note="Sans gluten"),
            InvoiceLine(
                "2",
                name="Cidre",
                quantity="12",
                unit_code="C62",
                price=UnitPrice("4.00", "EUR"),
                gross_price=UnitPrice("5.00", "EUR"),
                price_discount=UnitPrice("1.00", "EUR"),
                allowances_charges=[
                    AllowanceCharge.allowance(amount=Money("2.00", "EUR"), reason_code="95")
                ],
                vat_category="S",
                vat_rate="20",
                standard_item_id="3012345678901",
            ),
            InvoiceLine(
                "3",
                name="Livraison intra-UE",
                quantity="1",
                price=UnitPrice("10", "EUR"),
                vat_category="K",
                vat_rate="0",
            ),
        ],
        allowances_charges=[
            AllowanceCharge.charge(
                percentage="5",
                base_amount=Money("260.00", "EUR"),
                vat_category="S",
                vat_rate="10",
                reason="Service",
            )
        ],
        terms=PaymentTerms.end_of_month_then_days(45),
        tax_currency="USD",
        exchange_rate="1.0823",
        buyer_reference="SERV-7",
        order_reference="PO-7",
        notes=["Merci de votre confiance"],
        delivery=Delivery(party_name="Hôtel", date=date(2026, 3, 9), address=Address("FR")),
        payment=PaymentInstructions(
            "58", account=parse("FR7630006000011234567890189"), account_name="Crêperie"
        ),
        vat_exemptions=[VatExemption("K", code="VATEX-EU-IC", reason="Intra-community supply")],
        prepaid=Money("50.00", "EUR"),
        language="fr_FR",
    )


def test_the_totals_are_computed_when_built() -> None:
    invoice = full_invoice()
    totals = invoice.totals
    # lines: 40 × 6.50 = 260.00; 12 × 4.00 − 2.00 = 46.00; 10.00 → 316.00
    assert totals.sum_of_line_nets == Money("316.00", "EUR")
    assert totals.charges == Money("13.00", "EUR")  # 5 % of 260.00
    # VAT: (260 + 13) × 10 % = 27.30; 46 × 20 % = 9.20; K 0 → 36.50
    assert totals.total_vat == Money("36.50", "EUR")
    assert totals.amount_due == Money("315.50", "EUR")  # 329.00 + 36.50 − 50.00
    assert totals.total_vat_in_tax_currency == Money("39.50", "USD")  # 36.50 × 1.0823
    assert invoice.customer == "C-042"
    assert invoice.exemption("K") == VatExemption(
        "K", code="VATEX-EU-IC", reason="Intra-community supply"
    )
    assert invoice.is_draft and not invoice.is_credit_note


def test_every_problem_is_listed_at_once() -> None:
    with pytest.raises(ValidationError) as info:
        Invoice(
            seller=None,  # type: ignore[arg-type]
            buyer=Party("B"),  # no address
            currency="EUX",
            lines=[
                InvoiceLine(
                    "1",
                    name="a",
                    quantity="-2",
                    price=UnitPrice("1", "EUR"),
                    vat_category="E",
                    vat_rate="0",
                ),
            ],
            negative_quantities=False,
            prepaid=12.5,  # type: ignore[arg-type]
            tax_currency="USD",
        )
    paths = sorted(problem.path for problem in info.value.problems)
    assert paths == [
        "buyer.address",
        "currency",
        "exchange_rate",
        "lines.0.quantity",
        "seller",
    ]
    with pytest.raises(ValidationError) as info:
        Invoice(
            seller=SELLER,
            buyer=BUYER,
            currency="EUR",
            lines=[
                InvoiceLine(
                    "1", quantity="1", price=UnitPrice("1", "USD"), vat_category="E", vat_rate="0"
                ),
            ],
            prepaid=12.5,  # type: ignore[arg-type]
        )
    paths = sorted(problem.path for problem in info.value.problems)
    # (the exemption reason is checked once the lines give a VAT breakdown)
    assert paths == ["lines.0.name", "lines.0.price", "prepaid"]


def test_line_prices_must_agree() -> None:
    with pytest.raises(ValidationError, match="gross price"):
        crepes(gross_price=UnitPrice("7.00", "EUR"), price_discount=UnitPrice("1.00", "EUR"))


def test_parties_check_their_identifiers() -> None:
    with pytest.raises(ValidationError) as info:
        Party(
            "",
            vat_id=parse("732829320", country="FR", kind="siren"),
            electronic_address="x",
        )
    assert sorted(p.path for p in info.value.problems) == [
        "electronic_address_scheme",
        "name",
        "vat_id",
    ]
    with pytest.raises(ValidationError, match="country"):
        Address("France")


def test_issuing_sets_the_number_the_date_and_the_due_date() -> None:
    draft = Invoice(
        seller=SELLER, buyer=BUYER, currency="EUR", lines=[crepes()], terms=PaymentTerms.net(30)
    )
    issued = draft.issued("F2026-000001", date(2026, 3, 10))
    assert (issued.number, issued.issue_date, issued.due_date) == (
        "F2026-000001",
        date(2026, 3, 10),
        date(2026, 4, 9),
    )
    with pytest.raises(InvalidValue):
        issued.issued("F2026-000002", date(2026, 3, 10))
    with pytest.raises(ValidationError, match="before the issue date"):
        draft.replace(number="X", issue_date=date(2026, 3, 10), due_date=date(2026, 3, 1))


def test_a_credit_note_credits_all_or_part() -> None:
    issued = full_invoice().replace(prepaid=None).issued("F-1", date(2026, 3, 10))
    note = issued.credit_note()
    assert note.type_code is DocumentType.CREDIT_NOTE
    assert note.preceding == (PrecedingInvoice("F-1", date(2026, 3, 10)),)
    assert note.totals.total_with_vat == issued.totals.total_with_vat
    part = issued.credit_note(lines=[crepes("4")])
    assert part.totals.total_with_vat == Money("28.60", "EUR")  # 26.00 + 10 %
    with pytest.raises(InvalidValue):
        full_invoice().credit_note()  # a draft


def test_the_json_form_round_trips_every_field() -> None:
    invoice = full_invoice().issued("F-1", date(2026, 3, 10))
    text = invoice_to_json(invoice)
    assert invoice_from_json(text) == invoice
    data = json.loads(text)
    assert data["lines"][0]["price"] == "6.50"
    assert data["seller"]["vat_id"] == {"country": "FR", "kind": "tva", "value": "40303265045"}
    assert invoice_from_dict(invoice_to_dict(invoice)).totals == invoice.totals


def test_the_json_form_refuses_floats_and_unknown_fields_at_their_path() -> None:
    data = invoice_to_dict(full_invoice())
    data["lines"][0]["price"] = 6.5
    data["prepaid"] = 1e2
    data["colour"] = "blue"
    data["lines"][1]["vat_category"] = "Q"
    with pytest.raises(ValidationError) as info:
        invoice_from_dict(data)
    assert sorted(p.path for p in info.value.problems) == ["colour", "lines.0.price", "prepaid"]
    data = invoice_to_dict(full_invoice())
    data["lines"][1]["vat_category"] = "Q"
    data["lines"][0]["quantity"] = 3  # whole numbers are fine
    with pytest.raises(ValidationError) as info:
        invoice_from_dict(data)
    assert [p.path for p in info.value.problems] == ["lines.1.vat_category"]
    with pytest.raises(ValidationError, match="not JSON"):
        invoice_from_json("{")


def test_the_json_schema_describes_the_form() -> None:
    schema = invoice_json_schema()
    assert schema["title"] == "Invoice"
    assert set(invoice_to_dict(full_invoice())) == set(schema["properties"])
    assert schema["required"] == ["currency", "seller", "buyer", "lines"]


def test_allowances_and_charges_state_their_reason() -> None:
    bare = AllowanceCharge.allowance(amount=Money("1.00", "EUR"))
    with pytest.raises(ValidationError) as info:
        Invoice(
            seller=SELLER,
            buyer=BUYER,
            currency="EUR",
            lines=[crepes(allowances_charges=[bare])],
            allowances_charges=[
                AllowanceCharge.charge(amount=Money("1.00", "EUR"), vat_category="S", vat_rate="10")
            ],
        )
    assert [(p.path, p.message.split("(")[-1]) for p in info.value.problems] == [
        ("allowances_charges.0.reason", "BR-38)"),
        ("lines.0.allowances_charges.0.reason", "BR-42)"),
    ]


def test_package_codes_are_units_of_their_own() -> None:
    assert crepes(unit_code="XBX").unit_code == "XBX"
    with pytest.raises(ValidationError, match="unit_code"):
        crepes(unit_code="XBOX")


def test_exemption_reasons_are_required_for_exempt_categories() -> None:
    with pytest.raises(ValidationError, match="BR-AE-10"):
        Invoice(
            seller=SELLER,
            buyer=BUYER,
            currency="EUR",
            lines=[
                InvoiceLine(
                    "1",
                    name="x",
                    quantity="1",
                    price=UnitPrice("1", "EUR"),
                    vat_category="AE",
                    vat_rate=Decimal(0),
                ),
            ],
        )


def test_a_price_discount_comes_with_its_gross_price() -> None:
    with pytest.raises(ValidationError, match="gross_price"):
        crepes(price_discount=UnitPrice("1.00", "EUR"))


def test_a_credit_note_keeps_the_delivery() -> None:
    issued = full_invoice().replace(prepaid=None).issued("F-1", date(2026, 3, 10))
    assert issued.credit_note().delivery == issued.delivery
