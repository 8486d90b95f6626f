"""Invoices the e-invoice tests write and read."""

from __future__ import annotations

from datetime import date

from backoffice import Money, UnitPrice, taxid
from backoffice.invoicing import (
    Address,
    AllowanceCharge,
    Contact,
    Invoice,
    InvoiceLine,
    Party,
    PaymentInstructions,
    PaymentTerms,
)


def french_invoice() -> Invoice:
    """A French B2B invoice: two rates, a line allowance, a document charge, a transfer."""
    return Invoice(
        seller=Party(
            "Crêperie du Port",
            legal_id=taxid.parse("732829320", "FR", "siren"),
            vat_id=taxid.parse("FR40303265045"),
            address=Address("FR", lines=["1 quai de la Douane"], city="Brest", postal_code="29200"),
            contact=Contact("Anne Le Goff", email="anne@creperie.example"),
        ),
        buyer=Party(
            "Hôtel de la Plage",
            id="C-042",
            legal_id=taxid.parse("552081317", "FR", "siren"),
            address=Address("FR", city="Quimper"),
        ),
        currency="EUR",
        terms=PaymentTerms.net(30),
        buyer_reference="REF-1",
        order_reference="PO-1",
        notes=["Merci de votre confiance"],
        lines=[
            InvoiceLine(
                "1",
                name="Crêpes",
                quantity="10",
                price=UnitPrice("5.00", "EUR"),
                vat_category="S",
                vat_rate="10",
                allowances_charges=[
                    AllowanceCharge.allowance(amount=Money("1.00", "EUR"), reason="Remise")
                ],
            ),
            InvoiceLine(
                "2",
                name="Cidre",
                quantity="3",
                price=UnitPrice("4.00", "EUR"),
                vat_category="S",
                vat_rate="20",
            ),
        ],
        allowances_charges=[
            AllowanceCharge.charge(
                amount=Money("5.00", "EUR"), vat_category="S", vat_rate="20", reason="Livraison"
            )
        ],
        payment=PaymentInstructions("30", account=taxid.parse("FR7630006000011234567890189")),
    ).issued("F2026-000001", date(2026, 3, 10))
