"""Valid UBL documents in every VAT category, for the rule tests and the benchmark.

Each is an invoice of the model, written by the library; the broken documents of
``test_rules.py`` are these with one small XML edit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from samples import french_invoice

from backoffice import Money, UnitPrice, taxid
from backoffice.einvoice import mapping, ubl
from backoffice.einvoice.bridge import tree_from_invoice
from backoffice.invoicing import (
    Address,
    AllowanceCharge,
    Delivery,
    Invoice,
    InvoiceLine,
    Party,
    PaymentInstructions,
)
from backoffice.invoicing.document import VatExemption

#: The exemption reason code each exempt category states (VATEX).
_VATEX = {"E": "VATEX-EU-132", "AE": "VATEX-EU-AE", "K": "VATEX-EU-IC", "G": "VATEX-EU-G",
          "O": "VATEX-EU-O"}  # fmt: skip
_RATES = {"S": "20", "Z": "0", "E": "0", "AE": "0", "K": "0", "G": "0", "O": None, "L": "7",
          "M": "4"}  # fmt: skip


def category_invoice(category: str) -> Invoice:
    """An invoice whose two lines, document allowance and charge are all in ``category``,
    with what that category requires of the parties and the delivery."""
    rate = _RATES[category]
    outside = category == "O"
    seller = Party(
        "Atelier Lumière",
        legal_id=taxid.parse("732829320", "FR", "siren"),
        vat_id=None if outside else taxid.parse("FR40303265045"),
        address=Address("FR", lines=["3 rue Neuve"], city="Lyon", postal_code="69001"),
        electronic_address="732829320",
        electronic_address_scheme="0002",
    )
    buyer = Party(
        "Kunde GmbH",
        vat_id=None if outside else taxid.parse("DE136695976"),
        address=Address("DE", city="Berlin"),
    )

    def line(ident: str, quantity: str, price: str) -> InvoiceLine:
        return InvoiceLine(
            ident,
            name=f"Article {ident}",
            quantity=quantity,
            price=UnitPrice(price, "EUR"),
            vat_category=category,
            vat_rate=rate,
        )

    exemptions = (
        [VatExemption(category, reason="Exonération", code=_VATEX[category])]
        if category in _VATEX
        else []
    )
    return Invoice(
        seller=seller,
        buyer=buyer,
        currency="EUR",
        lines=[line("1", "4", "12.50"), line("2", "3", "7.15")],
        allowances_charges=[
            AllowanceCharge.allowance(
                amount=Money("2.00", "EUR"), vat_category=category, vat_rate=rate, reason="Remise"
            ),
            AllowanceCharge.charge(
                amount=Money("3.10", "EUR"), vat_category=category, vat_rate=rate, reason="Port"
            ),
        ],
        vat_exemptions=exemptions,
        delivery=Delivery(date=date(2026, 3, 2), address=Address("DE", city="Berlin")),
        payment=PaymentInstructions("58", account=taxid.parse("FR7630006000011234567890189")),
        due_date=date(2026, 4, 9),
    ).issued(f"{category}-2026-1", date(2026, 3, 10))


#: The valid invoices, by name.
INVOICES: dict[str, Callable[[], Invoice]] = {
    "french": french_invoice,
    **{
        category: (lambda category=category: category_invoice(category))  # type: ignore[misc]
        for category in _RATES
    },
}


def ubl_invoice(name: str) -> bytes:
    """The UBL XML of the invoice ``name`` of :data:`INVOICES`."""
    return mapping.write(ubl.INVOICE, tree_from_invoice(INVOICES[name]()))
