"""UBL 2.1 binding of EN 16931 (Peppol BIS Billing 3.0 by default).

An invoice is a ``ubl:Invoice``; a credit note (type code 381) a ``cn:CreditNote``, whose
lines are ``cac:CreditNoteLine`` with a ``cbc:CreditedQuantity``. The binding follows the
element order of the UBL 2.1 schema.
"""

from __future__ import annotations

from typing import Final

from backoffice.einvoice.mapping import Field, Fixed, Group, Item, Outer, Syntax, Wrap

__all__ = ["CREDIT_NOTE", "INVOICE", "NAMESPACES"]

NAMESPACES: Final = {
    "ubl": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}

_CURRENCY: Final = {"currencyID": "$BT-5"}


def _amount(term: str, path: str) -> Field:
    return Field(term, path, "amount", _CURRENCY)


def _address(path: str, terms: tuple[str, ...]) -> Wrap:
    line1, line2, line3, city, postcode, subdivision, country = terms
    return Wrap(
        path,
        (
            Field(line1, "cbc:StreetName"),
            Field(line2, "cbc:AdditionalStreetName"),
            Field(city, "cbc:CityName"),
            Field(postcode, "cbc:PostalZone"),
            Field(subdivision, "cbc:CountrySubentity"),
            Wrap("cac:AddressLine", (Field(line3, "cbc:Line"),)),
            Field(country, "cac:Country/cbc:IdentificationCode"),
        ),
    )


def _party(path: str, seller: bool) -> Wrap:
    if seller:
        name, trading, ident, legal, vat, endpoint = (
            "BT-27", "BT-28", "BT-29", "BT-30", "BT-31", "BT-34"
        )  # fmt: skip
        address_terms = ("BT-35", "BT-36", "BT-162", "BT-37", "BT-38", "BT-39", "BT-40")
        contact_terms = ("BT-41", "BT-42", "BT-43")
    else:
        name, trading, ident, legal, vat, endpoint = (
            "BT-44", "BT-45", "BT-46", "BT-47", "BT-48", "BT-49"
        )  # fmt: skip
        address_terms = ("BT-50", "BT-51", "BT-163", "BT-52", "BT-53", "BT-54", "BT-55")
        contact_terms = ("BT-56", "BT-57", "BT-58")
    contact_name, phone, email = contact_terms
    seller_only: tuple[Item, ...] = ()
    if seller:
        # the seller's tax registration (BT-32) is a tax scheme other than VAT
        seller_only = (
            Wrap(
                "cac:Party/cac:PartyTaxScheme",
                (Field("BT-32", "cbc:CompanyID"), Fixed("cac:TaxScheme/cbc:ID", "TAX")),
                when=("cac:TaxScheme/cbc:ID", "!VAT"),
            ),
        )
    return Wrap(
        path,
        (
            Field(endpoint, "cac:Party/cbc:EndpointID", attributes={"schemeID": f"{endpoint}-1"}),
            Wrap(
                "cac:Party/cac:PartyIdentification",
                (Field(ident, "cbc:ID", attributes={"schemeID": f"{ident}-1"}),),
                when=("cbc:ID/@schemeID", "!SEPA"),
            ),
            *(
                # the bank assigned creditor identifier (BT-90), of a direct debit
                (
                    Wrap(
                        "cac:Party/cac:PartyIdentification",
                        (Field("BT-90", "cbc:ID", attributes={"schemeID": "=SEPA"}),),
                        when=("cbc:ID/@schemeID", "SEPA"),
                    ),
                )
                if seller
                else ()
            ),
            Wrap("cac:Party/cac:PartyName", (Field(trading, "cbc:Name"),)),
            _address("cac:Party/cac:PostalAddress", address_terms),
            Wrap(
                "cac:Party/cac:PartyTaxScheme",
                (Field(vat, "cbc:CompanyID"), Fixed("cac:TaxScheme/cbc:ID", "VAT")),
                when=("cac:TaxScheme/cbc:ID", "VAT"),
            ),
            *seller_only,
            Wrap(
                "cac:Party/cac:PartyLegalEntity",
                (
                    Field(name, "cbc:RegistrationName"),
                    Field(legal, "cbc:CompanyID", attributes={"schemeID": f"{legal}-1"}),
                    *((Field("BT-33", "cbc:CompanyLegalForm"),) if seller else ()),
                ),
            ),
            Wrap(
                "cac:Party/cac:Contact",
                (
                    Field(contact_name, "cbc:Name"),
                    Field(phone, "cbc:Telephone"),
                    Field(email, "cbc:ElectronicMail"),
                ),
            ),
        ),
    )


def _document_allowance(group: str, charge: bool, terms: tuple[str, ...]) -> Group:
    amount, base, percent, category, rate, reason, code = terms
    return Group(
        group,
        "cac:AllowanceCharge",
        (
            Fixed("cbc:ChargeIndicator", "true" if charge else "false"),
            Field(code, "cbc:AllowanceChargeReasonCode"),
            Field(reason, "cbc:AllowanceChargeReason"),
            Field(percent, "cbc:MultiplierFactorNumeric"),
            _amount(amount, "cbc:Amount"),
            _amount(base, "cbc:BaseAmount"),
            Wrap(
                "cac:TaxCategory",
                (
                    Field(category, "cbc:ID"),
                    Field(rate, "cbc:Percent"),
                    Fixed("cac:TaxScheme/cbc:ID", "VAT"),
                ),
            ),
        ),
        when=("cbc:ChargeIndicator", "true" if charge else "false"),
    )


def _line_allowance(group: str, charge: bool, terms: tuple[str, ...]) -> Group:
    amount, base, percent, reason, code = terms
    return Group(
        group,
        "cac:AllowanceCharge",
        (
            Fixed("cbc:ChargeIndicator", "true" if charge else "false"),
            Field(code, "cbc:AllowanceChargeReasonCode"),
            Field(reason, "cbc:AllowanceChargeReason"),
            Field(percent, "cbc:MultiplierFactorNumeric"),
            _amount(amount, "cbc:Amount"),
            _amount(base, "cbc:BaseAmount"),
        ),
        when=("cbc:ChargeIndicator", "true" if charge else "false"),
    )


def _reference(path: str, term: str) -> Wrap:
    return Wrap(path, (Field(term, "cbc:ID"),))


def _period(path: str, start: str, end: str, code: str | None = None) -> Wrap:
    return Wrap(
        path,
        (
            Field(start, "cbc:StartDate"),
            Field(end, "cbc:EndDate"),
            *(() if code is None else (Field(code, "cbc:DescriptionCode"),)),
        ),
    )


def _payment_means(credit_note: bool) -> Group:
    """BG-16: one ``cac:PaymentMeans`` for each credit transfer account (BG-17), each
    with the payment means code (UBL-SR-47: all equal) and the remittance information
    (UBL-SR-44: one value); the other terms once (UBL-SR-45, -46, -54, -55). A credit
    note has no ``cbc:DueDate``: its due date (BT-9) is the payment means'."""
    return Group(
        "BG-17",
        "cac:PaymentMeans",
        (
            Outer((Field("BT-81", "cbc:PaymentMeansCode"),), every=True),
            Outer((Field("BT-82", "cbc:PaymentMeansCode/@name"),)),
            *((Outer((Field("BT-9", "cbc:PaymentDueDate"),)),) if credit_note else ()),
            Outer((Field("BT-83", "cbc:PaymentID"),), every=True),
            Outer(
                (
                    Wrap(
                        "cac:CardAccount",
                        (
                            Field("BT-87", "cbc:PrimaryAccountNumberID"),
                            # mandatory in UBL, not a term of EN 16931
                            Fixed("cbc:NetworkID", "NA"),
                            Field("BT-88", "cbc:HolderName"),
                        ),
                    ),
                )
            ),
            Wrap(
                "cac:PayeeFinancialAccount",
                (
                    Field("BT-84", "cbc:ID"),
                    Field("BT-85", "cbc:Name"),
                    Field("BT-86", "cac:FinancialInstitutionBranch/cbc:ID"),
                ),
                marks="BG-17",
            ),
            Outer(
                (
                    Wrap(
                        "cac:PaymentMandate",
                        (
                            Field("BT-89", "cbc:ID"),
                            Field("BT-91", "cac:PayerFinancialAccount/cbc:ID"),
                        ),
                    ),
                )
            ),
        ),
    )


def _tax_representative() -> Wrap:
    """BG-11, the seller's tax representative, with its address (BG-12)."""
    return Wrap(
        "cac:TaxRepresentativeParty",
        (
            Wrap("cac:PartyName", (Field("BT-62", "cbc:Name"),)),
            _address(
                "cac:PostalAddress",
                ("BT-64", "BT-65", "BT-164", "BT-66", "BT-67", "BT-68", "BT-69"),
            ),
            Wrap(
                "cac:PartyTaxScheme",
                (Field("BT-63", "cbc:CompanyID"), Fixed("cac:TaxScheme/cbc:ID", "VAT")),
            ),
        ),
    )


def _document_references(credit_note: bool) -> tuple[Item, ...]:
    """BT-16, BT-15, BT-17, BT-12, BT-18 and BT-11 in the schema's order, which differs
    between an invoice and a credit note; a credit note has no ``cac:ProjectReference``:
    its project reference (BT-11) is an additional document of type 50."""
    despatch = _reference("cac:DespatchDocumentReference", "BT-16")
    receipt = _reference("cac:ReceiptDocumentReference", "BT-15")
    originator = _reference("cac:OriginatorDocumentReference", "BT-17")
    contract = _reference("cac:ContractDocumentReference", "BT-12")
    invoiced_object = Wrap(
        "cac:AdditionalDocumentReference",
        (
            Field("BT-18", "cbc:ID", attributes={"schemeID": "BT-18-1"}),
            Fixed("cbc:DocumentTypeCode", "130"),
        ),
        when=("cbc:DocumentTypeCode", "130"),
    )
    if credit_note:
        project = Wrap(
            "cac:AdditionalDocumentReference",
            (Field("BT-11", "cbc:ID"), Fixed("cbc:DocumentTypeCode", "50")),
            when=("cbc:DocumentTypeCode", "50"),
        )
        return (despatch, receipt, contract, invoiced_object, project, originator)
    project = _reference("cac:ProjectReference", "BT-11")
    return (despatch, receipt, originator, contract, invoiced_object, project)


def _line(credit_note: bool) -> Group:
    line, quantity = (
        ("cac:CreditNoteLine", "cbc:CreditedQuantity")
        if credit_note
        else ("cac:InvoiceLine", "cbc:InvoicedQuantity")
    )
    return Group(
        "BG-25",
        line,
        (
            Field("BT-126", "cbc:ID"),
            Field("BT-127", "cbc:Note"),
            Field("BT-129", quantity, "quantity", {"unitCode": "BT-130"}),
            _amount("BT-131", "cbc:LineExtensionAmount"),
            Field("BT-133", "cbc:AccountingCost"),
            _period("cac:InvoicePeriod", "BT-134", "BT-135"),
            Wrap("cac:OrderLineReference", (Field("BT-132", "cbc:LineID"),)),
            Wrap(
                "cac:DocumentReference",
                (
                    Field("BT-128", "cbc:ID", attributes={"schemeID": "BT-128-1"}),
                    Fixed("cbc:DocumentTypeCode", "130"),
                ),
                when=("cbc:DocumentTypeCode", "130"),
            ),
            _line_allowance("BG-27", False, ("BT-136", "BT-137", "BT-138", "BT-139", "BT-140")),
            _line_allowance("BG-28", True, ("BT-141", "BT-142", "BT-143", "BT-144", "BT-145")),
            Wrap(
                "cac:Item",
                (
                    Field("BT-154", "cbc:Description"),
                    Field("BT-153", "cbc:Name"),
                    Field("BT-156", "cac:BuyersItemIdentification/cbc:ID"),
                    Field("BT-155", "cac:SellersItemIdentification/cbc:ID"),
                    Field(
                        "BT-157",
                        "cac:StandardItemIdentification/cbc:ID",
                        attributes={"schemeID": "BT-157-1"},
                    ),
                    Field("BT-159", "cac:OriginCountry/cbc:IdentificationCode"),
                    Field(
                        "BT-158",
                        "cac:CommodityClassification/cbc:ItemClassificationCode",
                        attributes={"listID": "BT-158-1", "listVersionID": "BT-158-2"},
                    ),
                    Wrap(
                        "cac:ClassifiedTaxCategory",
                        (
                            Field("BT-151", "cbc:ID"),
                            Field("BT-152", "cbc:Percent"),
                            Fixed("cac:TaxScheme/cbc:ID", "VAT"),
                        ),
                    ),
                    Group(
                        "BG-32",
                        "cac:AdditionalItemProperty",
                        (Field("BT-160", "cbc:Name"), Field("BT-161", "cbc:Value")),
                    ),
                ),
            ),
            Wrap(
                "cac:Price",
                (
                    _amount("BT-146", "cbc:PriceAmount"),
                    Field("BT-149", "cbc:BaseQuantity", "quantity", {"unitCode": "BT-150"}),
                    Wrap(
                        "cac:AllowanceCharge",
                        (
                            Fixed("cbc:ChargeIndicator", "false"),
                            _amount("BT-147", "cbc:Amount"),
                            _amount("BT-148", "cbc:BaseAmount"),
                        ),
                    ),
                ),
            ),
        ),
    )


def _items(credit_note: bool) -> tuple[Item, ...]:
    type_code = "cbc:CreditNoteTypeCode" if credit_note else "cbc:InvoiceTypeCode"
    tax_point = Field("BT-7", "cbc:TaxPointDate")
    return (
        Field("BT-24", "cbc:CustomizationID"),
        Field("BT-23", "cbc:ProfileID"),
        Field("BT-1", "cbc:ID"),
        Field("BT-2", "cbc:IssueDate"),
        *((tax_point,) if credit_note else (Field("BT-9", "cbc:DueDate"),)),
        Field("BT-3", type_code),
        Group("BG-1", "cbc:Note", (Field("BT-22", "."),)),
        *(() if credit_note else (tax_point,)),
        Field("BT-5", "cbc:DocumentCurrencyCode"),
        Field("BT-6", "cbc:TaxCurrencyCode"),
        Field("BT-19", "cbc:AccountingCost"),
        Field("BT-10", "cbc:BuyerReference"),
        _period("cac:InvoicePeriod", "BT-73", "BT-74", "BT-8"),
        Wrap("cac:OrderReference", (Field("BT-13", "cbc:ID"), Field("BT-14", "cbc:SalesOrderID"))),
        Group(
            "BG-3",
            "cac:BillingReference",
            (
                Field("BT-25", "cac:InvoiceDocumentReference/cbc:ID"),
                Field("BT-26", "cac:InvoiceDocumentReference/cbc:IssueDate"),
            ),
        ),
        *_document_references(credit_note),
        _party("cac:AccountingSupplierParty", seller=True),
        _party("cac:AccountingCustomerParty", seller=False),
        Wrap(
            "cac:PayeeParty",
            (
                Wrap(
                    "cac:PartyIdentification",
                    (Field("BT-60", "cbc:ID", attributes={"schemeID": "BT-60-1"}),),
                ),
                Wrap("cac:PartyName", (Field("BT-59", "cbc:Name"),)),
                Wrap(
                    "cac:PartyLegalEntity",
                    (Field("BT-61", "cbc:CompanyID", attributes={"schemeID": "BT-61-1"}),),
                ),
            ),
        ),
        _tax_representative(),
        Wrap(
            "cac:Delivery",
            (
                Field("BT-72", "cbc:ActualDeliveryDate"),
                Wrap(
                    "cac:DeliveryLocation",
                    (
                        Field("BT-71", "cbc:ID", attributes={"schemeID": "BT-71-1"}),
                        _address(
                            "cac:Address",
                            ("BT-75", "BT-76", "BT-165", "BT-77", "BT-78", "BT-79", "BT-80"),
                        ),
                    ),
                ),
                Wrap("cac:DeliveryParty/cac:PartyName", (Field("BT-70", "cbc:Name"),)),
            ),
        ),
        _payment_means(credit_note),
        Wrap("cac:PaymentTerms", (Field("BT-20", "cbc:Note"),)),
        _document_allowance(
            "BG-20", False, ("BT-92", "BT-93", "BT-94", "BT-95", "BT-96", "BT-97", "BT-98")
        ),
        _document_allowance(
            "BG-21", True, ("BT-99", "BT-100", "BT-101", "BT-102", "BT-103", "BT-104", "BT-105")
        ),
        Wrap(
            "cac:TaxTotal",
            (
                _amount("BT-110", "cbc:TaxAmount"),
                Group(
                    "BG-23",
                    "cac:TaxSubtotal",
                    (
                        _amount("BT-116", "cbc:TaxableAmount"),
                        _amount("BT-117", "cbc:TaxAmount"),
                        Wrap(
                            "cac:TaxCategory",
                            (
                                Field("BT-118", "cbc:ID"),
                                Field("BT-119", "cbc:Percent"),
                                Field("BT-121", "cbc:TaxExemptionReasonCode"),
                                Field("BT-120", "cbc:TaxExemptionReason"),
                                Fixed("cac:TaxScheme/cbc:ID", "VAT"),
                            ),
                        ),
                    ),
                ),
            ),
            when=("cbc:TaxAmount/@currencyID", "$BT-5"),
        ),
        Wrap(
            "cac:TaxTotal",
            (Field("BT-111", "cbc:TaxAmount", "amount", {"currencyID": "$BT-6"}),),
            when=("cbc:TaxAmount/@currencyID", "$BT-6"),
        ),
        Wrap(
            "cac:LegalMonetaryTotal",
            (
                _amount("BT-106", "cbc:LineExtensionAmount"),
                _amount("BT-109", "cbc:TaxExclusiveAmount"),
                _amount("BT-112", "cbc:TaxInclusiveAmount"),
                _amount("BT-107", "cbc:AllowanceTotalAmount"),
                _amount("BT-108", "cbc:ChargeTotalAmount"),
                _amount("BT-113", "cbc:PrepaidAmount"),
                _amount("BT-114", "cbc:PayableRoundingAmount"),
                _amount("BT-115", "cbc:PayableAmount"),
            ),
        ),
        _line(credit_note),
    )


def _syntax(credit_note: bool) -> Syntax:
    return Syntax(
        name="ubl",
        namespaces=NAMESPACES,
        root="cn:CreditNote" if credit_note else "ubl:Invoice",
        items=_items(credit_note),
    )


INVOICE: Final = _syntax(credit_note=False)
"""The UBL binding of an invoice (type codes 380, 384, 389)."""
CREDIT_NOTE: Final = _syntax(credit_note=True)
"""The UBL binding of a credit note (type code 381)."""
