"""UN/CEFACT CII D16B binding of EN 16931 (Factur-X / ZUGFeRD, EN 16931 profile).

Invoices and credit notes share the root ``rsm:CrossIndustryInvoice``; a credit note is
told by its type code (381). Dates are ``udt:DateTimeString`` (or, for a preceding
invoice, ``qdt:DateTimeString``) in format ``102`` (``20260310``); indicators are
``udt:Indicator`` (``true``/``false``). Amounts carry no currency but the VAT totals,
whose ``currencyID`` tells the invoice currency's (BT-110) from the VAT accounting
currency's (BT-111). The binding follows the element order of the Factur-X EN16931
schema: the lines come before the header agreement, delivery and settlement.
"""

from __future__ import annotations

import re
from typing import Final

from backoffice.einvoice.mapping import Codec, Field, Fixed, Group, Item, Outer, Syntax, Wrap

__all__ = ["INVOICE", "NAMESPACES"]

NAMESPACES: Final = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}

_ISO_DATE: Final = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_CII_DATE: Final = re.compile(r"(\d{4})(\d{2})(\d{2})")


def _dump_date(text: str) -> str:
    found = _ISO_DATE.fullmatch(text)
    return text if found is None else "".join(found.groups())


def _load_date(text: str) -> str:
    found = _CII_DATE.fullmatch(text)
    return text if found is None else "-".join(found.groups())


DATE: Final = Codec(_dump_date, _load_date)

#: The VAT point date code (BT-8): EN 16931 states it in UNTDID 2005 (3 the invoice
#: date, 35 the delivery date, 432 the payment date), CII in UNTDID 2475 (5, 29, 72).
_TO_2475: Final = {"3": "5", "35": "29", "432": "72"}
_FROM_2475: Final = {cii: code for code, cii in _TO_2475.items()}
VAT_POINT: Final = Codec(
    lambda text: _TO_2475.get(text, text), lambda text: _FROM_2475.get(text, text)
)
"""A date as format 102 (``YYYYMMDD``), read back as an ISO date."""

_FORMAT: Final = {"format": "=102"}
_VAT: Final = Fixed("ram:TypeCode", "VAT")


def _date(term: str, path: str, prefix: str = "udt") -> Field:
    return Field(term, f"{path}/{prefix}:DateTimeString", "date", _FORMAT)


def _amount(term: str, path: str) -> Field:
    return Field(term, path, "amount")


_INDICATOR: Final = "ram:ChargeIndicator/udt:Indicator"


def _indicator(charge: bool) -> Fixed:
    """The charge indicator of an allowance (``false``) or a charge (``true``)."""
    return Fixed(_INDICATOR, "true" if charge else "false")


def _address(path: str, terms: tuple[str, ...]) -> Wrap:
    line1, line2, line3, city, postcode, subdivision, country = terms
    return Wrap(
        path,
        (
            Field(postcode, "ram:PostcodeCode"),
            Field(line1, "ram:LineOne"),
            Field(line2, "ram:LineTwo"),
            Field(line3, "ram:LineThree"),
            Field(city, "ram:CityName"),
            Field(country, "ram:CountryID"),
            Field(subdivision, "ram:CountrySubDivisionName"),
        ),
    )


def _party(path: str, seller: bool) -> Wrap:
    if seller:
        name, trading, ident, legal, vat, endpoint = (
            "BT-27", "BT-28", "BT-29", "BT-30", "BT-31", "BT-34"
        )  # fmt: skip
        address_terms = ("BT-35", "BT-36", "BT-162", "BT-37", "BT-38", "BT-39", "BT-40")
        contact_name, phone, email = ("BT-41", "BT-42", "BT-43")
    else:
        name, trading, ident, legal, vat, endpoint = (
            "BT-44", "BT-45", "BT-46", "BT-47", "BT-48", "BT-49"
        )  # fmt: skip
        address_terms = ("BT-50", "BT-51", "BT-163", "BT-52", "BT-53", "BT-54", "BT-55")
        contact_name, phone, email = ("BT-56", "BT-57", "BT-58")
    return Wrap(
        path,
        (
            Field(ident, "ram:ID"),
            Field(name, "ram:Name"),
            Wrap(
                "ram:SpecifiedLegalOrganization",
                (
                    Field(legal, "ram:ID", attributes={"schemeID": f"{legal}-1"}),
                    Field(trading, "ram:TradingBusinessName"),
                ),
            ),
            Wrap(
                "ram:DefinedTradeContact",
                (
                    Field(contact_name, "ram:PersonName"),
                    Field(phone, "ram:TelephoneUniversalCommunication/ram:CompleteNumber"),
                    Field(email, "ram:EmailURIUniversalCommunication/ram:URIID"),
                ),
            ),
            _address("ram:PostalTradeAddress", address_terms),
            Field(
                endpoint,
                "ram:URIUniversalCommunication/ram:URIID",
                attributes={"schemeID": f"{endpoint}-1"},
            ),
            Wrap(
                "ram:SpecifiedTaxRegistration",
                (Field(vat, "ram:ID", attributes={"schemeID": "=VA"}),),
                when=("ram:ID/@schemeID", "VA"),
            ),
        ),
    )


def _trade_tax(category: str, rate: str, path: str = "ram:ApplicableTradeTax") -> Wrap:
    return Wrap(
        path, (_VAT, Field(category, "ram:CategoryCode"), Field(rate, "ram:RateApplicablePercent"))
    )


def _allowance(
    group: str, charge: bool, terms: tuple[str, ...], tax: tuple[str, str] | None = None
) -> Group:
    """An allowance or charge of the document (with its VAT category and rate, ``tax``)
    or of a line."""
    amount, base, percent, reason, code = terms
    indicator = _indicator(charge)
    items: tuple[Item, ...] = (
        indicator,
        Field(percent, "ram:CalculationPercent"),
        _amount(base, "ram:BasisAmount"),
        _amount(amount, "ram:ActualAmount"),
        Field(code, "ram:ReasonCode"),
        Field(reason, "ram:Reason"),
    )
    if tax is not None:
        items += (_trade_tax(*tax, path="ram:CategoryTradeTax"),)
    return Group(group, "ram:SpecifiedTradeAllowanceCharge", items, (_INDICATOR, indicator.text))


def _line() -> Group:
    return Group(
        "BG-25",
        "ram:IncludedSupplyChainTradeLineItem",
        (
            Wrap(
                "ram:AssociatedDocumentLineDocument",
                (Field("BT-126", "ram:LineID"), Field("BT-127", "ram:IncludedNote/ram:Content")),
            ),
            Wrap(
                "ram:SpecifiedTradeProduct",
                (
                    Field("BT-157", "ram:GlobalID", attributes={"schemeID": "BT-157-1"}),
                    Field("BT-155", "ram:SellerAssignedID"),
                    Field("BT-153", "ram:Name"),
                    Field("BT-154", "ram:Description"),
                ),
            ),
            Wrap(
                "ram:SpecifiedLineTradeAgreement",
                (
                    Wrap(
                        "ram:GrossPriceProductTradePrice",
                        (
                            _amount("BT-148", "ram:ChargeAmount"),
                            Wrap(
                                "ram:AppliedTradeAllowanceCharge",
                                (_indicator(charge=False), _amount("BT-147", "ram:ActualAmount")),
                            ),
                        ),
                    ),
                    Wrap(
                        "ram:NetPriceProductTradePrice",
                        (
                            _amount("BT-146", "ram:ChargeAmount"),
                            Field(
                                "BT-149", "ram:BasisQuantity", "quantity", {"unitCode": "BT-150"}
                            ),
                        ),
                    ),
                ),
            ),
            Wrap(
                "ram:SpecifiedLineTradeDelivery",
                (Field("BT-129", "ram:BilledQuantity", "quantity", {"unitCode": "BT-130"}),),
            ),
            Wrap(
                "ram:SpecifiedLineTradeSettlement",
                (
                    _trade_tax("BT-151", "BT-152"),
                    _allowance("BG-27", False, ("BT-136", "BT-137", "BT-138", "BT-139", "BT-140")),
                    _allowance("BG-28", True, ("BT-141", "BT-142", "BT-143", "BT-144", "BT-145")),
                    _amount(
                        "BT-131",
                        "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount",
                    ),
                ),
            ),
        ),
    )


_DELIVERY: Final = "ram:ApplicableHeaderTradeDelivery"

_ITEMS: Final[tuple[Item, ...]] = (
    Wrap(
        "rsm:ExchangedDocumentContext",
        (
            Field("BT-23", "ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID"),
            Field("BT-24", "ram:GuidelineSpecifiedDocumentContextParameter/ram:ID"),
        ),
    ),
    Wrap(
        "rsm:ExchangedDocument",
        (
            Field("BT-1", "ram:ID"),
            Field("BT-3", "ram:TypeCode"),
            _date("BT-2", "ram:IssueDateTime"),
            Group("BG-1", "ram:IncludedNote", (Field("BT-22", "ram:Content"),)),
        ),
    ),
    Wrap(
        "rsm:SupplyChainTradeTransaction",
        (
            _line(),
            Wrap(
                "ram:ApplicableHeaderTradeAgreement",
                (
                    Field("BT-10", "ram:BuyerReference"),
                    _party("ram:SellerTradeParty", seller=True),
                    _party("ram:BuyerTradeParty", seller=False),
                    Field("BT-13", "ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"),
                ),
            ),
            # the delivery element is required, even empty
            Fixed(_DELIVERY, ""),
            Wrap(
                f"{_DELIVERY}/ram:ShipToTradeParty",
                (
                    Field("BT-71", "ram:ID"),
                    Field("BT-70", "ram:Name"),
                    _address(
                        "ram:PostalTradeAddress",
                        ("BT-75", "BT-76", "BT-165", "BT-77", "BT-78", "BT-79", "BT-80"),
                    ),
                ),
            ),
            _date(
                "BT-72", f"{_DELIVERY}/ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime"
            ),
            Wrap(
                "ram:ApplicableHeaderTradeSettlement",
                (
                    Field("BT-83", "ram:PaymentReference"),
                    Field("BT-6", "ram:TaxCurrencyCode"),
                    Field("BT-5", "ram:InvoiceCurrencyCode"),
                    Wrap(
                        "ram:PayeeTradeParty",
                        (
                            Field("BT-60", "ram:ID"),
                            Field("BT-59", "ram:Name"),
                            Wrap(
                                "ram:SpecifiedLegalOrganization",
                                (Field("BT-61", "ram:ID", attributes={"schemeID": "BT-61-1"}),),
                            ),
                        ),
                    ),
                    Wrap(
                        "ram:SpecifiedTradeSettlementPaymentMeans",
                        (
                            Field("BT-81", "ram:TypeCode"),
                            Group(
                                "BG-17",
                                "ram:PayeePartyCreditorFinancialAccount",
                                (Field("BT-84", "ram:IBANID"), Field("BT-85", "ram:AccountName")),
                            ),
                            Group(
                                "BG-17",
                                "ram:PayeeSpecifiedCreditorFinancialInstitution",
                                (Field("BT-86", "ram:BICID"),),
                                continues=True,
                            ),
                        ),
                    ),
                    Group(
                        "BG-23",
                        "ram:ApplicableTradeTax",
                        (
                            _amount("BT-117", "ram:CalculatedAmount"),
                            _VAT,
                            Field("BT-120", "ram:ExemptionReason"),
                            _amount("BT-116", "ram:BasisAmount"),
                            Field("BT-118", "ram:CategoryCode"),
                            Field("BT-121", "ram:ExemptionReasonCode"),
                            # when VAT becomes chargeable: the document's, in every entry
                            Outer(
                                (
                                    Field(
                                        "BT-7",
                                        "ram:TaxPointDate/udt:DateString",
                                        "date",
                                        _FORMAT,
                                    ),
                                    Field("BT-8", "ram:DueDateTypeCode", "vat_point"),
                                ),
                                every=True,
                            ),
                            Field("BT-119", "ram:RateApplicablePercent"),
                        ),
                    ),
                    _allowance(
                        "BG-20",
                        False,
                        ("BT-92", "BT-93", "BT-94", "BT-97", "BT-98"),
                        ("BT-95", "BT-96"),
                    ),
                    _allowance(
                        "BG-21",
                        True,
                        ("BT-99", "BT-100", "BT-101", "BT-104", "BT-105"),
                        ("BT-102", "BT-103"),
                    ),
                    Wrap(
                        "ram:SpecifiedTradePaymentTerms",
                        (Field("BT-20", "ram:Description"), _date("BT-9", "ram:DueDateDateTime")),
                    ),
                    Wrap(
                        "ram:SpecifiedTradeSettlementHeaderMonetarySummation",
                        (
                            _amount("BT-106", "ram:LineTotalAmount"),
                            _amount("BT-108", "ram:ChargeTotalAmount"),
                            _amount("BT-107", "ram:AllowanceTotalAmount"),
                            _amount("BT-109", "ram:TaxBasisTotalAmount"),
                            Wrap(
                                "ram:TaxTotalAmount",
                                (Field("BT-110", ".", "amount", {"currencyID": "$BT-5"}),),
                                when=("@currencyID", "$BT-5"),
                            ),
                            Wrap(
                                "ram:TaxTotalAmount",
                                (Field("BT-111", ".", "amount", {"currencyID": "$BT-6"}),),
                                when=("@currencyID", "$BT-6"),
                            ),
                            _amount("BT-114", "ram:RoundingAmount"),
                            _amount("BT-112", "ram:GrandTotalAmount"),
                            _amount("BT-113", "ram:TotalPrepaidAmount"),
                            _amount("BT-115", "ram:DuePayableAmount"),
                        ),
                    ),
                    Group(
                        "BG-3",
                        "ram:InvoiceReferencedDocument",
                        (
                            Field("BT-25", "ram:IssuerAssignedID"),
                            _date("BT-26", "ram:FormattedIssueDateTime", prefix="qdt"),
                        ),
                    ),
                ),
            ),
        ),
    ),
)

INVOICE: Final = Syntax(
    name="cii",
    namespaces=NAMESPACES,
    root="rsm:CrossIndustryInvoice",
    items=_ITEMS,
    codecs={"date": DATE, "vat_point": VAT_POINT},
)
"""The CII binding of an invoice or a credit note (type codes 380, 381, 384, 389)."""
