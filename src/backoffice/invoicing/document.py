"""The invoice as a document: parties, references, dates and lines (EN 16931-1).

:class:`Invoice` holds what an invoice or a credit note says; its :attr:`Invoice.totals`
are computed once, when it is built, by
:func:`~backoffice.invoicing.totals.document_totals`. Building one checks every field
and raises one :class:`~backoffice.errors.ValidationError` listing every problem, each
at its path from the document (``"seller.name"``, ``"lines.2.vat_rate"``).

A draft is an :class:`Invoice` without a number nor an issue date; issuing it
(:meth:`backoffice.invoicing.Invoicing.issue`) gives it both, and the due date its
payment terms compute. From then on it never changes.

>>> from backoffice import Money, UnitPrice
>>> invoice = Invoice(
...     seller=Party("Crêperie du Port", address=Address(country="FR", city="Brest")),
...     buyer=Party("Hôtel de la Plage", id="C-042", address=Address(country="FR")),
...     currency="EUR",
...     lines=[InvoiceLine("1", name="Buffet de crêpes", quantity="40",
...                        price=UnitPrice("6.50", "EUR"), vat_category="S",
...                        vat_rate="10")],
... )
>>> invoice.totals.amount_due, invoice.customer
(Money('286.00', 'EUR'), 'C-042')
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Final, TypeVar

import attrs

from backoffice.core._numbers import NumberInput
from backoffice.core.currency import Currency, get_currency
from backoffice.core.money import Money
from backoffice.core.rounding import RoundingMode, RoundingPolicy, as_policy
from backoffice.errors import InvalidType, InvalidValue, ValidationError
from backoffice.invoicing.model import (
    AllowanceCharge,
    InvoiceLine,
    VatCategory,
    _Problems,
    _required_text,
    _text,
    member_of,
    vat_category_of,
)
from backoffice.invoicing.terms import PaymentTerms, _day
from backoffice.invoicing.totals import (
    DocumentTotals,
    VatRounding,
    document_totals,
    exchange_rate_of,
)
from backoffice.invoicing.vat_rules import EXEMPT_CATEGORIES
from backoffice.taxid.model import TaxId

__all__ = [
    "Address",
    "Contact",
    "Delivery",
    "DocumentType",
    "Invoice",
    "Party",
    "PaymentInstructions",
    "PrecedingInvoice",
    "VatExemption",
]

_BT: Final = "en16931"
_Date = date
K = TypeVar("K")


def _bt(term: str) -> dict[str, str]:
    return {_BT: term}


class DocumentType(enum.StrEnum):
    """The invoice type code (BT-3, UNTDID 1001): what the document is."""

    INVOICE = "380"
    """Commercial invoice."""
    CREDIT_NOTE = "381"
    """Credit note: it cancels all or part of an invoice it references (BG-3)."""
    CORRECTED_INVOICE = "384"
    """Corrected invoice: it replaces an invoice it references (BG-3)."""
    SELF_BILLED_INVOICE = "389"
    """Self-billed invoice: written by the buyer on the seller's behalf."""

    @property
    def is_credit_note(self) -> bool:
        return self is DocumentType.CREDIT_NOTE


# ---------------------------------------------------------------------------------------
# Field checks
# ---------------------------------------------------------------------------------------


@cache
def _territories() -> frozenset[str]:
    from babel import Locale

    return frozenset(str(code) for code in Locale("en").territories if len(str(code)) == 2)


def _country(value: object, field: str) -> str:
    if isinstance(value, str) and value.upper() in _territories():
        return value.upper()
    raise InvalidValue(
        field=field,
        reason=f"must be an ISO 3166-1 alpha-2 country code such as 'FR', got {value!r}",
    )


def _tax_id(value: object, field: str) -> TaxId | None:
    if value is None or isinstance(value, TaxId):
        return value
    raise InvalidType(
        field=field,
        expected='a TaxId, e.g. backoffice.taxid.parse("FR40303265045")',
        got=repr(value),
    )


def _party(value: object, field: str, group: str) -> Party:
    if not isinstance(value, Party):
        raise InvalidType(field=field, expected=f"a Party (the {field}, {group})", got=repr(value))
    return value


def _instance(kind: type[object], value: object, field: str, example: str) -> None:
    if value is not None and not isinstance(value, kind):
        raise InvalidType(field=field, expected=example, got=repr(value))


def _texts(value: object, field: str) -> tuple[str, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidType(field=field, expected="a sequence of texts", got=repr(value))
    items = tuple(value)
    for index, item in enumerate(items):
        _required_text(item, f"{field}.{index}")
    return tuple(str(item) for item in items)


def _optional_day(value: object, field: str) -> date | None:
    return None if value is None else _day(value, field)


# ---------------------------------------------------------------------------------------
# Parties
# ---------------------------------------------------------------------------------------


@attrs.frozen(slots=True, init=False)
class Address:
    """A postal address (seller BG-5, buyer BG-8, payee none, delivery BG-15).

    Only the country is required (BR-9, BR-11); the rest is what the document states.
    """

    country: str = attrs.field(metadata=_bt("BT-40/BT-55/BT-80"))
    """The ISO 3166-1 alpha-2 country code (BT-40, BT-55, BT-80)."""
    lines: tuple[str, ...] = attrs.field(metadata=_bt("BT-35/BT-36/BT-162"))
    """The address lines, up to three (BT-35, BT-36, BT-162 for the seller)."""
    city: str | None = attrs.field(metadata=_bt("BT-37/BT-52/BT-77"))
    """The city (BT-37, BT-52, BT-77)."""
    postal_code: str | None = attrs.field(metadata=_bt("BT-38/BT-53/BT-78"))
    """The post code (BT-38, BT-53, BT-78)."""
    subdivision: str | None = attrs.field(metadata=_bt("BT-39/BT-54/BT-79"))
    """The country subdivision: region, state (BT-39, BT-54, BT-79)."""

    def __init__(
        self,
        country: str,
        *,
        lines: Iterable[str] = (),
        city: str | None = None,
        postal_code: str | None = None,
        subdivision: str | None = None,
    ) -> None:
        problems = _Problems()
        checked_country = problems.check("country", lambda: _country(country, "country"), "")
        checked_lines: tuple[str, ...] = problems.check("lines", lambda: _texts(lines, "lines"), ())
        if len(checked_lines) > 3:
            problems.add(
                "lines", InvalidValue(field="lines", reason="an address has at most 3 lines")
            )
        checked = problems.texts(city=city, postal_code=postal_code, subdivision=subdivision)
        problems.raise_if_any()
        self.__attrs_init__(
            checked_country,
            checked_lines,
            checked["city"],
            checked["postal_code"],
            checked["subdivision"],
        )


@attrs.frozen(slots=True, init=False)
class Contact:
    """A contact person or department (seller BG-6, buyer BG-9)."""

    name: str | None = attrs.field(metadata=_bt("BT-41/BT-56"))
    """The contact point (BT-41, BT-56)."""
    phone: str | None = attrs.field(metadata=_bt("BT-42/BT-57"))
    """The telephone number (BT-42, BT-57)."""
    email: str | None = attrs.field(metadata=_bt("BT-43/BT-58"))
    """The email address (BT-43, BT-58)."""

    def __init__(
        self, name: str | None = None, *, phone: str | None = None, email: str | None = None
    ) -> None:
        problems = _Problems()
        checked = problems.texts(name=name, phone=phone, email=email)
        if checked["email"] is not None and "@" not in checked["email"]:
            problems.add(
                "email", InvalidValue(field="email", reason=f"is not an email address: {email!r}")
            )
        problems.raise_if_any()
        self.__attrs_init__(checked["name"], checked["phone"], checked["email"])


@attrs.frozen(slots=True, init=False)
class Party:
    """A party to the invoice: the seller (BG-4), the buyer (BG-7) or the payee (BG-10).

    ``id`` is the party's identifier (BT-29, BT-46, BT-60), the key the library files the
    buyer's receivables and payments under (:attr:`key`); without it, the name is the key.
    ``legal_id`` is the legal registration identifier (BT-30, BT-47, BT-61: a SIREN, a
    CNPJ...), ``vat_id`` the VAT identifier (BT-31, BT-48), both
    :class:`~backoffice.taxid.TaxId` values, so they are valid when stated.
    """

    name: str = attrs.field(metadata=_bt("BT-27/BT-44/BT-59"))
    """The party's legal name (BT-27 seller, BT-44 buyer, BT-59 payee)."""
    id: str | None = attrs.field(metadata=_bt("BT-29/BT-46/BT-60"))
    """The party's identifier (BT-29, BT-46, BT-60): a customer or supplier number."""
    trading_name: str | None = attrs.field(metadata=_bt("BT-28/BT-45"))
    """The name the party trades under, when not its legal name (BT-28, BT-45)."""
    legal_id: TaxId | None = attrs.field(metadata=_bt("BT-30/BT-47/BT-61"))
    """The legal registration identifier (BT-30, BT-47, BT-61): SIREN, CNPJ..."""
    vat_id: TaxId | None = attrs.field(metadata=_bt("BT-31/BT-48"))
    """The VAT identifier, with its country prefix (BT-31, BT-48)."""
    address: Address | None = attrs.field(metadata=_bt("BG-5/BG-8"))
    """The postal address (BG-5, BG-8); required for the seller and the buyer (BR-8,
    BR-10)."""
    contact: Contact | None = attrs.field(metadata=_bt("BG-6/BG-9"))
    """The contact (BG-6, BG-9)."""
    electronic_address: str | None = attrs.field(metadata=_bt("BT-34/BT-49"))
    """The electronic address invoices are delivered to (BT-34, BT-49)."""
    electronic_address_scheme: str | None = attrs.field(metadata=_bt("BT-34-1/BT-49-1"))
    """The scheme of the electronic address, an EAS code such as ``"0009"`` for a SIRET
    (BT-34-1, BT-49-1)."""

    def __init__(
        self,
        name: str,
        *,
        id: str | None = None,
        trading_name: str | None = None,
        legal_id: TaxId | None = None,
        vat_id: TaxId | None = None,
        address: Address | None = None,
        contact: Contact | None = None,
        electronic_address: str | None = None,
        electronic_address_scheme: str | None = None,
    ) -> None:
        problems = _Problems()
        checked_name = problems.check("name", lambda: _required_text(name, "name"), "")
        texts = problems.texts(
            id=id,
            trading_name=trading_name,
            electronic_address=electronic_address,
            electronic_address_scheme=electronic_address_scheme,
        )
        checked_legal = problems.check("legal_id", lambda: _tax_id(legal_id, "legal_id"), None)
        checked_vat = problems.check("vat_id", lambda: _tax_id(vat_id, "vat_id"), None)
        if checked_vat is not None and not checked_vat.is_vat:
            problems.add(
                "vat_id",
                InvalidValue(
                    field="vat_id",
                    reason=f"{checked_vat.label} is not a VAT number; give it as legal_id",
                ),
            )
        problems.check(
            "address", lambda: _instance(Address, address, "address", "an Address"), None
        )
        problems.check("contact", lambda: _instance(Contact, contact, "contact", "a Contact"), None)
        if (texts["electronic_address"] is None) != (texts["electronic_address_scheme"] is None):
            problems.add(
                "electronic_address_scheme",
                InvalidValue(
                    field="electronic_address_scheme",
                    reason="an electronic address and its scheme go together (BR-62, BR-63)",
                ),
            )
        problems.raise_if_any()
        self.__attrs_init__(
            checked_name,
            texts["id"],
            texts["trading_name"],
            checked_legal,
            checked_vat,
            address,
            contact,
            texts["electronic_address"],
            texts["electronic_address_scheme"],
        )

    @property
    def key(self) -> str:
        """What the library files this party under: its :attr:`id`, else its name."""
        return self.id if self.id is not None else self.name


# ---------------------------------------------------------------------------------------
# References, delivery, payment instructions, exemptions
# ---------------------------------------------------------------------------------------


@attrs.frozen(slots=True, init=False)
class PrecedingInvoice:
    """A reference to an earlier invoice (BG-3): the one a credit note cancels or a
    corrected invoice replaces."""

    number: str = attrs.field(metadata=_bt("BT-25"))
    """The earlier invoice's number (BT-25)."""
    issue_date: date | None = attrs.field(metadata=_bt("BT-26"))
    """Its issue date (BT-26)."""

    def __init__(self, number: str, issue_date: date | None = None) -> None:
        problems = _Problems()
        checked = problems.check("number", lambda: _required_text(number, "number"), "")
        day = problems.check("issue_date", lambda: _optional_day(issue_date, "issue_date"), None)
        problems.raise_if_any()
        self.__attrs_init__(checked, day)


@attrs.frozen(slots=True, init=False)
class Delivery:
    """Delivery information (BG-13): where and when the goods or services went."""

    party_name: str | None = attrs.field(metadata=_bt("BT-70"))
    """The name of the party delivered to (BT-70)."""
    location_id: str | None = attrs.field(metadata=_bt("BT-71"))
    """The identifier of the place delivered to (BT-71)."""
    date: _Date | None = attrs.field(metadata=_bt("BT-72"))
    """The actual delivery date (BT-72)."""
    address: Address | None = attrs.field(metadata=_bt("BG-15"))
    """The deliver-to address (BG-15)."""

    def __init__(
        self,
        *,
        party_name: str | None = None,
        location_id: str | None = None,
        date: _Date | None = None,
        address: Address | None = None,
    ) -> None:
        problems = _Problems()
        name = problems.check("party_name", lambda: _text(party_name, "party_name"), None)
        location = problems.check("location_id", lambda: _text(location_id, "location_id"), None)
        day = problems.check("date", lambda: _optional_day(date, "date"), None)
        problems.check(
            "address", lambda: _instance(Address, address, "address", "an Address"), None
        )
        problems.raise_if_any()
        self.__attrs_init__(name, location, day, address)


@attrs.frozen(slots=True, init=False)
class PaymentInstructions:
    """How to pay (BG-16): the means code and, for a transfer, the account (BG-17)."""

    means_code: str = attrs.field(metadata=_bt("BT-81"))
    """The payment means type code, UNTDID 4461 (BT-81): ``"30"`` credit transfer,
    ``"58"`` SEPA credit transfer, ``"59"`` SEPA direct debit, ``"10"`` cash..."""
    account: TaxId | None = attrs.field(metadata=_bt("BT-84"))
    """The payment account identifier, an IBAN (BT-84)."""
    account_name: str | None = attrs.field(metadata=_bt("BT-85"))
    """The payment account name (BT-85)."""
    bic: TaxId | None = attrs.field(metadata=_bt("BT-86"))
    """The payment service provider identifier, a BIC (BT-86)."""
    remittance_information: str | None = attrs.field(metadata=_bt("BT-83"))
    """The text the payer should quote with the payment (BT-83)."""

    def __init__(
        self,
        means_code: str = "30",
        *,
        account: TaxId | None = None,
        account_name: str | None = None,
        bic: TaxId | None = None,
        remittance_information: str | None = None,
    ) -> None:
        problems = _Problems()
        code = problems.check("means_code", lambda: _required_text(means_code, "means_code"), "")
        checked_account = problems.check("account", lambda: _tax_id(account, "account"), None)
        name = problems.check("account_name", lambda: _text(account_name, "account_name"), None)
        checked_bic = problems.check("bic", lambda: _tax_id(bic, "bic"), None)
        remittance = problems.check(
            "remittance_information",
            lambda: _text(remittance_information, "remittance_information"),
            None,
        )
        problems.raise_if_any()
        self.__attrs_init__(code, checked_account, name, checked_bic, remittance)


@attrs.frozen(slots=True, init=False)
class VatExemption:
    """Why a VAT category bears no VAT (BT-120, BT-121), stated in the VAT breakdown of
    that category: required for ``E``, ``AE``, ``K``, ``G`` and ``O`` (BR-E-10,
    BR-AE-10, BR-IC-10, BR-G-10, BR-O-10)."""

    category: VatCategory = attrs.field(metadata=_bt("BT-118"))
    """The VAT category the reason applies to (BT-118)."""
    reason: str | None = attrs.field(metadata=_bt("BT-120"))
    """The exemption reason, as text (BT-120): ``"TVA non applicable, art. 293 B du
    CGI"``."""
    code: str | None = attrs.field(metadata=_bt("BT-121"))
    """The exemption reason code, from the VATEX list (BT-121): ``"VATEX-EU-IC"``."""

    def __init__(
        self, category: VatCategory | str, *, reason: str | None = None, code: str | None = None
    ) -> None:
        problems = _Problems()
        checked = problems.check("category", lambda: vat_category_of(category, "category"), None)
        text = problems.check("reason", lambda: _text(reason, "reason"), None)
        checked_code = problems.check("code", lambda: _text(code, "code"), None)
        if reason is None and code is None:
            problems.add(
                "reason", InvalidValue(field="reason", reason="give the reason, its code, or both")
            )
        problems.raise_if_any()
        assert checked is not None
        self.__attrs_init__(checked, text, checked_code)


# ---------------------------------------------------------------------------------------
# The invoice
# ---------------------------------------------------------------------------------------


@attrs.frozen(slots=True, init=False)
class Invoice:
    """An invoice or a credit note (EN 16931-1), with its totals.

    Built from keyword arguments, every one checked; the totals (BG-22) and VAT
    breakdown (BG-23) are computed when it is built (:attr:`totals`), with the rounding
    it names.

    Raises:
        ValidationError: every problem at once, each at its path: a missing seller, a
            line in another currency, a float, a category without its exemption reason,
            a negative quantity on a credit note...
    """

    seller: Party = attrs.field(metadata=_bt("BG-4"))
    """The seller (BG-4)."""
    buyer: Party = attrs.field(metadata=_bt("BG-7"))
    """The buyer (BG-7)."""
    currency: Currency = attrs.field(metadata=_bt("BT-5"))
    """The invoice currency (BT-5): every amount of the document is in it."""
    lines: tuple[InvoiceLine, ...] = attrs.field(metadata=_bt("BG-25"))
    """The invoice lines (BG-25), at least one (BR-16)."""
    allowances_charges: tuple[AllowanceCharge, ...] = attrs.field(metadata=_bt("BG-20/BG-21"))
    """The document-level allowances (BG-20) and charges (BG-21)."""
    type_code: DocumentType = attrs.field(metadata=_bt("BT-3"))
    """The invoice type code (BT-3)."""
    number: str | None = attrs.field(metadata=_bt("BT-1"))
    """The invoice number (BT-1): assigned at issue, ``None`` on a draft."""
    issue_date: date | None = attrs.field(metadata=_bt("BT-2"))
    """The issue date (BT-2): set at issue, ``None`` on a draft."""
    due_date: date | None = attrs.field(metadata=_bt("BT-9"))
    """The payment due date (BT-9): stated, or computed from :attr:`terms` at issue."""
    terms: PaymentTerms | None = attrs.field(metadata=_bt("BT-20"))
    """The payment terms (BT-20) the due date is computed from."""
    tax_currency: Currency | None = attrs.field(metadata=_bt("BT-6"))
    """The VAT accounting currency (BT-6), when it differs from the invoice currency."""
    exchange_rate: Decimal | None = attrs.field()
    """Units of :attr:`tax_currency` per unit of :attr:`currency`, for BT-111."""
    preceding: tuple[PrecedingInvoice, ...] = attrs.field(metadata=_bt("BG-3"))
    """The invoices this one refers to (BG-3): a credit note names the one it cancels."""
    business_process: str | None = attrs.field(metadata=_bt("BT-23"))
    """The business process type (BT-23): in France, the category of operation
    ("cadre de facturation": ``"B1"`` goods, ``"S1"`` services, ``"M1"`` both...). A
    Peppol document states Peppol's process instead."""
    buyer_reference: str | None = attrs.field(metadata=_bt("BT-10"))
    """The buyer's reference (BT-10), a routing code for the buyer's services."""
    order_reference: str | None = attrs.field(metadata=_bt("BT-13"))
    """The purchase order reference (BT-13)."""
    notes: tuple[str, ...] = attrs.field(metadata=_bt("BT-22"))
    """Free-text notes (BT-22)."""
    payee: Party | None = attrs.field(metadata=_bt("BG-10"))
    """The payee (BG-10), when someone other than the seller is to be paid."""
    delivery: Delivery | None = attrs.field(metadata=_bt("BG-13"))
    """Delivery information (BG-13)."""
    payment: PaymentInstructions | None = attrs.field(metadata=_bt("BG-16"))
    """Payment instructions (BG-16)."""
    vat_exemptions: tuple[VatExemption, ...] = attrs.field(metadata=_bt("BT-120/BT-121"))
    """Why each zero or no-VAT category bears no VAT (BT-120, BT-121)."""
    prepaid: Money | None = attrs.field(metadata=_bt("BT-113"))
    """Amount paid before the invoice (BT-113)."""
    rounding_amount: Money | None = attrs.field(metadata=_bt("BT-114"))
    """Rounding amount (BT-114)."""
    vat_rounding: VatRounding = attrs.field()
    """Where the VAT is rounded: per category (EN 16931) or per line."""
    rounding: RoundingPolicy = attrs.field()
    """How every amount is rounded to the currency's minor unit."""
    language: str = attrs.field()
    """The document's language, a locale such as ``"fr_FR"``, for rendering it."""
    negative_quantities: bool = attrs.field()
    """Whether a line may state a negative quantity (a return on an invoice); ``False``
    refuses them, so that only a credit note takes back what was invoiced."""
    totals: DocumentTotals = attrs.field(eq=False, repr=False)
    """The totals (BG-22) and VAT breakdown (BG-23), computed when built."""

    def __init__(
        self,
        *,
        seller: Party,
        buyer: Party,
        currency: Currency | str,
        lines: Iterable[InvoiceLine],
        allowances_charges: Iterable[AllowanceCharge] = (),
        type_code: DocumentType | str = DocumentType.INVOICE,
        number: str | None = None,
        issue_date: date | None = None,
        due_date: date | None = None,
        terms: PaymentTerms | None = None,
        tax_currency: Currency | str | None = None,
        exchange_rate: NumberInput | None = None,
        preceding: Iterable[PrecedingInvoice] = (),
        business_process: str | None = None,
        buyer_reference: str | None = None,
        order_reference: str | None = None,
        notes: Iterable[str] = (),
        payee: Party | None = None,
        delivery: Delivery | None = None,
        payment: PaymentInstructions | None = None,
        vat_exemptions: Iterable[VatExemption] = (),
        prepaid: Money | None = None,
        rounding_amount: Money | None = None,
        vat_rounding: VatRounding | str = VatRounding.PER_CATEGORY,
        rounding: RoundingMode | RoundingPolicy | str = RoundingMode.HALF_UP,
        language: str = "en",
        negative_quantities: bool = True,
    ) -> None:
        problems = _Problems()
        checked_seller = problems.check("seller", lambda: _party(seller, "seller", "BG-4"), None)
        checked_buyer = problems.check("buyer", lambda: _party(buyer, "buyer", "BG-7"), None)
        for role, party in (("seller", checked_seller), ("buyer", checked_buyer)):
            if party is not None and party.address is None:
                rule = "BR-8" if role == "seller" else "BR-10"
                problems.add(
                    f"{role}.address",
                    InvalidValue(
                        field=f"{role}.address",
                        reason=f"the {role} needs a postal address with its country ({rule})",
                    ),
                )
        found = problems.check("currency", lambda: get_currency(currency), None)
        kind = problems.check(
            "type_code",
            lambda: member_of(DocumentType, type_code, "type_code"),
            DocumentType.INVOICE,
        )
        checked_number = problems.check("number", lambda: _text(number, "number"), None)
        issued_on = problems.check(
            "issue_date", lambda: _optional_day(issue_date, "issue_date"), None
        )
        due_on = problems.check("due_date", lambda: _optional_day(due_date, "due_date"), None)
        problems.check(
            "terms", lambda: _instance(PaymentTerms, terms, "terms", "a PaymentTerms"), None
        )
        if (checked_number is None) != (issued_on is None):
            problems.add(
                "number",
                InvalidValue(
                    field="number",
                    reason="an issued invoice has both a number and an issue date, a draft neither",
                ),
            )
        if issued_on is not None and due_on is not None and due_on < issued_on:
            problems.add(
                "due_date",
                InvalidValue(
                    field="due_date",
                    reason=f"is before the issue date {issued_on.isoformat()}",
                ),
            )
        tax_found = problems.check(
            "tax_currency",
            lambda: None if tax_currency is None else get_currency(tax_currency),
            None,
        )
        rate = problems.check(
            "exchange_rate",
            lambda: exchange_rate_of(exchange_rate),
            None,
        )
        if (tax_currency is None) != (exchange_rate is None):
            problems.add(
                "exchange_rate",
                InvalidValue(
                    field="exchange_rate",
                    reason="a VAT accounting currency (tax_currency) needs its exchange rate, "
                    "and an exchange rate its currency",
                ),
            )
        if tax_found is not None and tax_found is found:
            problems.add(
                "tax_currency",
                InvalidValue(
                    field="tax_currency",
                    reason="state a VAT accounting currency only when it differs from the "
                    "invoice currency",
                ),
            )
        refs = _of_kind(problems, "preceding", preceding, PrecedingInvoice)
        texts = problems.texts(
            business_process=business_process,
            buyer_reference=buyer_reference,
            order_reference=order_reference,
            language=language,
        )
        checked_notes: tuple[str, ...] = problems.check("notes", lambda: _texts(notes, "notes"), ())
        problems.check("payee", lambda: _instance(Party, payee, "payee", "a Party"), None)
        problems.check(
            "delivery", lambda: _instance(Delivery, delivery, "delivery", "a Delivery"), None
        )
        problems.check(
            "payment",
            lambda: _instance(PaymentInstructions, payment, "payment", "a PaymentInstructions"),
            None,
        )
        exemptions = _of_kind(problems, "vat_exemptions", vat_exemptions, VatExemption)
        policy = problems.check("rounding", lambda: as_policy(rounding), None)
        vat_mode = problems.check(
            "vat_rounding", lambda: member_of(VatRounding, vat_rounding, "vat_rounding"), None
        )
        totals: DocumentTotals | None = None
        given_lines: tuple[object, ...] = ()
        given_entries: tuple[object, ...] = ()
        try:
            given_lines = tuple(lines)
            given_entries = tuple(allowances_charges)
        except TypeError:
            problems.add(
                "lines",
                InvalidType(
                    field="lines",
                    expected="sequences of lines and of allowances and charges",
                    got=repr(lines),
                ),
            )
        if found is not None and policy is not None and vat_mode is not None:
            try:
                totals = document_totals(
                    given_lines,  # type: ignore[arg-type]  # checked by document_totals
                    given_entries,  # type: ignore[arg-type]
                    found,
                    prepaid=prepaid,
                    rounding_amount=rounding_amount,
                    vat_rounding=vat_mode,
                    rounding=policy,
                    tax_currency=tax_found,
                    exchange_rate=rate,
                )
            except ValidationError as error:
                problems.found.extend(error.problems)
        checked_lines = tuple(line for line in given_lines if isinstance(line, InvoiceLine))
        for index, line in enumerate(given_lines):
            if not isinstance(line, InvoiceLine):
                continue
            if line.name is None:
                problems.add(
                    f"lines.{index}.name",
                    InvalidValue(
                        field=f"lines.{index}.name",
                        reason="every line names its item (BR-25)",
                    ),
                )
            if not negative_quantities and line.quantity is not None and line.quantity < 0:
                problems.add(
                    f"lines.{index}.quantity",
                    InvalidValue(
                        field=f"lines.{index}.quantity",
                        reason=f"must not be negative on this document, got {line.quantity} "
                        "(negative_quantities=False): credit what was invoiced with a "
                        "credit note",
                    ),
                )
        for path, stated in _allowances_and_charges(given_lines, given_entries):
            if stated.reason is None and stated.reason_code is None:
                rule = _REASON_RULES[(path.startswith("lines."), stated.is_charge)]
                problems.add(
                    f"{path}.reason",
                    InvalidValue(
                        field=f"{path}.reason",
                        reason=f"an {stated.kind.value} states its reason, its reason code or "
                        f"both ({rule})",
                    ),
                )
        if kind is DocumentType.CREDIT_NOTE and not refs:
            problems.add(
                "preceding",
                InvalidValue(
                    field="preceding",
                    reason="a credit note names the invoice it credits (BG-3)",
                ),
            )
        if totals is not None:
            exempted = {exemption.category for exemption in exemptions}
            for entry in totals.vat_breakdown:
                if entry.category in EXEMPT_CATEGORIES and entry.category not in exempted:
                    problems.add(
                        "vat_exemptions",
                        InvalidValue(
                            field="vat_exemptions",
                            reason=f"VAT category {entry.category.value} needs its exemption "
                            f"reason (BR-{_exemption_rule(entry.category)}-10): add "
                            f"VatExemption({entry.category.value!r}, reason=...)",
                        ),
                    )
        problems.raise_if_any()
        assert found is not None and totals is not None and policy is not None
        assert vat_mode is not None and kind is not None
        self.__attrs_init__(
            seller,
            buyer,
            found,
            checked_lines,
            tuple(entry for entry in given_entries if isinstance(entry, AllowanceCharge)),
            kind,
            checked_number,
            issued_on,
            due_on,
            terms,
            tax_found,
            rate,
            refs,
            texts["business_process"],
            texts["buyer_reference"],
            texts["order_reference"],
            checked_notes,
            payee,
            delivery,
            payment,
            exemptions,
            totals.prepaid,
            totals.rounding_amount,
            vat_mode,
            policy,
            texts["language"] or "en",
            bool(negative_quantities),
            totals,
        )

    # -- what it says -----------------------------------------------------------------

    @property
    def is_draft(self) -> bool:
        """Whether the document has no number yet."""
        return self.number is None

    @property
    def is_credit_note(self) -> bool:
        return self.type_code.is_credit_note

    @property
    def customer(self) -> str:
        """The buyer's key (:attr:`Party.key`): what receivables and payments are filed
        under."""
        return self.buyer.key

    @property
    def amount_due(self) -> Money:
        """The amount due for payment (BT-115)."""
        return self.totals.amount_due

    def exemption(self, category: VatCategory | str) -> VatExemption | None:
        """The exemption reason stated for ``category``, if any."""
        wanted = vat_category_of(category, "category")
        for exemption in self.vat_exemptions:
            if exemption.category is wanted:
                return exemption
        return None

    def replace(self, **changes: object) -> Invoice:
        """A copy with ``changes`` applied, checked again (``attrs.evolve`` would skip
        the checks and keep stale totals)."""
        fields = {
            field.name: getattr(self, field.name)
            for field in attrs.fields(Invoice)
            if field.name != "totals"
        }
        fields.update(changes)
        return Invoice(**fields)

    def issued(self, number: str, issue_date: date) -> Invoice:
        """This draft, issued as ``number`` on ``issue_date``: the due date comes from
        the payment terms when none is stated.

        Raises:
            InvalidValue: the document is issued already.
        """
        if not self.is_draft:
            raise InvalidValue(
                field="number", reason=f"the invoice is issued already as {self.number}"
            )
        due = self.due_date
        if due is None and self.terms is not None:
            due = self.terms.due_date(issue_date)
        return self.replace(number=number, issue_date=issue_date, due_date=due)

    def credit_note(
        self,
        *,
        lines: Iterable[InvoiceLine] | None = None,
        allowances_charges: Iterable[AllowanceCharge] | None = None,
        notes: Iterable[str] = (),
    ) -> Invoice:
        """A draft credit note (381) of this issued invoice: the same parties, currency
        and rounding, referring to it (BG-3). By default it credits every line and every
        document-level allowance and charge, so that its total with VAT equals this
        invoice's; give ``lines`` (and ``allowances_charges``) to credit part of it.

        Raises:
            InvalidValue: this is a draft (nothing to credit yet) or a credit note.
        """
        if self.is_draft:
            raise InvalidValue(field="number", reason="a draft cannot be credited: delete it")
        if self.is_credit_note:
            raise InvalidValue(
                field="type_code", reason="a credit note is not credited; issue an invoice"
            )
        assert self.number is not None
        return Invoice(
            seller=self.seller,
            buyer=self.buyer,
            currency=self.currency,
            lines=self.lines if lines is None else lines,
            allowances_charges=(
                self.allowances_charges
                if allowances_charges is None and lines is None
                else (allowances_charges or ())
            ),
            type_code=DocumentType.CREDIT_NOTE,
            tax_currency=self.tax_currency,
            exchange_rate=self.exchange_rate,
            preceding=[PrecedingInvoice(self.number, self.issue_date)],
            business_process=self.business_process,
            buyer_reference=self.buyer_reference,
            order_reference=self.order_reference,
            notes=notes,
            payee=self.payee,
            delivery=self.delivery,
            payment=self.payment,
            vat_exemptions=self.vat_exemptions,
            vat_rounding=self.vat_rounding,
            rounding=self.rounding,
            language=self.language,
            negative_quantities=self.negative_quantities,
        )


def _of_kind(problems: _Problems, field: str, value: object, kind: type[K]) -> tuple[K, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        problems.add(
            field,
            InvalidType(field=field, expected=f"a sequence of {kind.__name__}", got=repr(value)),
        )
        return ()
    items = tuple(value)
    for index, item in enumerate(items):
        if not isinstance(item, kind):
            problems.add(
                f"{field}.{index}",
                InvalidType(
                    field=f"{field}.{index}", expected=f"a {kind.__name__}", got=repr(item)
                ),
            )
    return tuple(item for item in items if isinstance(item, kind))


#: (on a line, is a charge) -> the EN 16931 rule asking for a reason or reason code.
_REASON_RULES: Final = {
    (False, False): "BR-33",
    (False, True): "BR-38",
    (True, False): "BR-42",
    (True, True): "BR-44",
}


def _allowances_and_charges(
    lines: tuple[object, ...], entries: tuple[object, ...]
) -> list[tuple[str, AllowanceCharge]]:
    found = [
        (f"allowances_charges.{index}", entry)
        for index, entry in enumerate(entries)
        if isinstance(entry, AllowanceCharge)
    ]
    for number, line in enumerate(lines):
        if isinstance(line, InvoiceLine):
            found += [
                (f"lines.{number}.allowances_charges.{index}", entry)
                for index, entry in enumerate(line.allowances_charges)
            ]
    return found


def _exemption_rule(category: VatCategory) -> str:
    return {"K": "IC"}.get(category.value, category.value)
