"""Invoices the e-invoice tests write and read."""

from __future__ import annotations

from datetime import date

from backoffice import Money, UnitPrice, taxid
from backoffice.invoicing import (
    Address,
    AllowanceCharge,
    Contact,
    Delivery,
    Invoice,
    InvoiceLine,
    Party,
    PaymentInstructions,
    PaymentTerms,
    PrecedingInvoice,
    VatExemption,
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


def seller(*, vat: bool = True) -> Party:
    """A French seller with every party term the model carries; without its VAT
    identifier for category O (BR-O-2)."""
    return Party(
        "Crêperie du Port",
        id="S-1",
        trading_name="La Crêpe",
        legal_id=taxid.parse("732829320", "FR", "siren"),
        vat_id=taxid.parse("FR40303265045") if vat else None,
        address=Address(
            "FR",
            lines=["1 quai de la Douane", "Bâtiment B", "2e étage"],
            city="Brest",
            postal_code="29200",
            subdivision="Bretagne",
        ),
        contact=Contact("Anne Le Goff", phone="+33 2 98 00 00 00", email="anne@creperie.example"),
        electronic_address="73282932000074",
        electronic_address_scheme="0009",
    )


def buyer(*, vat: bool = True, country: str = "FR") -> Party:
    """A buyer, with its VAT identifier for reverse charge and intra-community supplies
    (BR-AE-2, BR-IC-2), in France or, for an intra-community supply, in Germany."""
    if country == "DE":
        return Party(
            "Strandhotel GmbH",
            id="C-DE",
            vat_id=taxid.parse("DE136695976") if vat else None,
            address=Address("DE", lines=["Strandweg 1"], city="Kiel", postal_code="24103"),
            electronic_address="einkauf@strandhotel.example",
            electronic_address_scheme="EM",
        )
    return Party(
        "Hôtel de la Plage",
        id="C-042",
        trading_name="La Plage",
        legal_id=taxid.parse("552081317", "FR", "siren"),
        vat_id=taxid.parse("FR03552081317") if vat else None,
        address=Address("FR", city="Quimper", postal_code="29000"),
        contact=Contact(email="compta@plage.example"),
        electronic_address="55208131700010",
        electronic_address_scheme="0009",
    )


def full_invoice(type_code: str = "380") -> Invoice:
    """An invoice stating every term the model carries: payee, delivery, a transfer with
    its account name and BIC, preceding invoices, notes, line allowances and charges by
    amount and by percentage, a gross price and its discount, a base quantity, item
    identifiers, document allowances and charges, an exempt category with its reason, a
    prepaid amount, a rounding amount."""
    return Invoice(
        seller=seller(),
        buyer=buyer(),
        currency="EUR",
        type_code=type_code,
        terms=PaymentTerms.net(30),
        buyer_reference="REF-1",
        order_reference="PO-1",
        notes=["Merci de votre confiance", "Livraison au quai 3"],
        preceding=[PrecedingInvoice("F2026-000001", date(2026, 1, 2)), PrecedingInvoice("F-OLD")],
        payee=Party("Affacturage SA", id="P-9", legal_id=taxid.parse("552081317", "FR", "siren")),
        delivery=Delivery(
            party_name="Quai 3",
            location_id="LOC-1",
            date=date(2026, 3, 1),
            address=Address("FR", lines=["Quai 3"], city="Brest", postal_code="29200"),
        ),
        payment=PaymentInstructions(
            "58",
            account=taxid.parse("FR7630006000011234567890189"),
            account_name="Crêperie du Port",
            bic=taxid.parse("BNPAFRPPXXX"),
            remittance_information="F2026-000042",
        ),
        lines=[
            InvoiceLine(
                "1",
                name="Crêpes",
                description="Au beurre salé",
                note="Commande du 28 février",
                quantity="10",
                unit_code="KGM",
                price=UnitPrice("4.50", "EUR"),
                gross_price=UnitPrice("5.00", "EUR"),
                price_discount=UnitPrice("0.50", "EUR"),
                base_quantity="2",
                vat_category="S",
                vat_rate="10",
                seller_item_id="SKU-1",
                standard_item_id="4006381333931",
                allowances_charges=[
                    AllowanceCharge.allowance(
                        percentage="10",
                        base_amount=Money("22.50", "EUR"),
                        reason="Remise fidélité",
                        reason_code="95",
                    ),
                    AllowanceCharge.charge(amount=Money("1.00", "EUR"), reason_code="FC"),
                ],
            ),
            InvoiceLine(
                "2",
                name="Formation",
                quantity="1",
                price=UnitPrice("100.00", "EUR"),
                vat_category="E",
                vat_rate="0",
            ),
        ],
        allowances_charges=[
            AllowanceCharge.allowance(
                amount=Money("2.00", "EUR"), vat_category="E", vat_rate="0", reason="Remise"
            ),
            AllowanceCharge.charge(
                percentage="5",
                base_amount=Money("100.00", "EUR"),
                vat_category="S",
                vat_rate="20",
                reason="Livraison",
                reason_code="DL",
            ),
        ],
        vat_exemptions=[
            VatExemption("E", reason="Exonération, art. 261-4-4° du CGI", code="VATEX-EU-132")
        ],
        prepaid=Money("10.00", "EUR"),
        rounding_amount=Money("0.01", "EUR"),
    ).issued("F2026-000042", date(2026, 3, 10))
