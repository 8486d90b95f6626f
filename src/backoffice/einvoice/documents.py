"""Reading, checking, writing and converting e-invoices: the functions most callers use.

>>> from backoffice.einvoice import read, write
>>> xml = write(invoice, "ubl")                              # doctest: +SKIP
>>> received = read(xml)                                      # doctest: +SKIP
>>> received.syntax, received.ok, received.invoice.amount_due  # doctest: +SKIP
('ubl', True, Money('286.00', 'EUR'))
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final, Literal

import attrs

from backoffice.einvoice import mapping
from backoffice.einvoice.bridge import (
    CUSTOMIZATION_EN16931,
    CUSTOMIZATION_PEPPOL,
    PROFILE_PEPPOL,
    invoice_from_tree,
    tree_from_invoice,
)
from backoffice.einvoice.rules import Finding, validate
from backoffice.einvoice.tree import Node, plain_decimal
from backoffice.einvoice.xmlsafe import parse_xml
from backoffice.errors import EInvoiceUnreadable, InvalidValue, Problem, ValidationError
from backoffice.invoicing.document import Invoice
from backoffice.invoicing.totals import VatBreakdown

__all__ = ["TOTAL_TERMS", "EInvoice", "SyntaxName", "convert", "read", "write"]

SyntaxName = Literal["ubl", "cii"]

TOTAL_TERMS: Final = (
    "BT-106",
    "BT-107",
    "BT-108",
    "BT-109",
    "BT-110",
    "BT-112",
    "BT-113",
    "BT-114",
    "BT-115",
)
"""The document totals (BG-22) a reader compares, in order (BT-111 is in another
currency and stays aside)."""

_UBL_INVOICE: Final = "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice"
_UBL_CREDIT_NOTE: Final = "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote"
_CII: Final = "{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}CrossIndustryInvoice"


def _binding(syntax: str, credit_note: bool) -> mapping.Syntax:
    if syntax == "ubl":
        from backoffice.einvoice import ubl

        return ubl.CREDIT_NOTE if credit_note else ubl.INVOICE
    if syntax == "cii":
        from backoffice.einvoice import cii

        return cii.INVOICE  # one root for both: the type code tells them apart
    raise InvalidValue(field="syntax", reason=f"unknown syntax {syntax!r}: use 'ubl' or 'cii'")


#: The UNTDID 1001 codes of credit notes, which UBL writes as a CreditNote.
CREDIT_NOTE_CODES: Final = frozenset(
    {"81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"}
)


@attrs.frozen(slots=True)
class EInvoice:
    """An e-invoice as read: what it states (:attr:`tree`), the model built from it when
    it can be (:attr:`invoice`), and what the EN 16931 rules find (:attr:`findings`)."""

    syntax: SyntaxName
    """``"ubl"`` or ``"cii"``."""
    tree: Node
    """Every business term the document states, with where."""
    invoice: Invoice | None
    """The document as an :class:`~backoffice.invoicing.document.Invoice`, its totals
    recomputed from its lines; ``None`` when it cannot be modelled (see
    :attr:`problems`)."""
    problems: tuple[Problem, ...]
    """Why the model could not be built (empty when it was)."""
    findings: tuple[Finding, ...]
    """The EN 16931 rules the document breaks (fatal) or should look at (warning)."""
    credit_note_root: bool = False
    """Whether the document's root says it is a credit note (a UBL CreditNote)."""

    @property
    def ok(self) -> bool:
        """No fatal finding."""
        return not any(finding.severity == "fatal" for finding in self.findings)

    @property
    def document_type(self) -> str:
        """``"credit_note"`` for a UBL CreditNote or a credit note type code (UNTDID
        1001: 381, 396, 261...), ``"invoice"`` otherwise."""
        if self.credit_note_root or self.tree.get("BT-3") in CREDIT_NOTE_CODES:
            return "credit_note"
        return "invoice"

    @property
    def currency(self) -> str | None:
        """The invoice currency (BT-5) as stated."""
        return self.tree.get("BT-5")

    def stated_totals(self) -> dict[str, Decimal | None]:
        """The document totals as the document states them (``None`` when absent)."""
        return {term: plain_decimal(self.tree.get(term)) for term in TOTAL_TERMS}

    def computed_totals(self) -> dict[str, Decimal | None]:
        """The document totals recomputed by the library from the lines, allowances and
        charges (all ``None`` when there is no model)."""
        if self.invoice is None:
            return dict.fromkeys(TOTAL_TERMS)
        totals = self.invoice.totals
        found = {
            "BT-106": totals.sum_of_line_nets,
            "BT-107": totals.allowances,
            "BT-108": totals.charges,
            "BT-109": totals.total_without_vat,
            "BT-110": totals.total_vat,
            "BT-112": totals.total_with_vat,
            "BT-113": totals.prepaid,
            "BT-114": totals.rounding_amount,
            "BT-115": totals.amount_due,
        }
        return {term: None if money is None else money.amount for term, money in found.items()}

    def vat_breakdown(self) -> tuple[VatBreakdown, ...]:
        """The VAT breakdown recomputed by the library (empty when there is no model)."""
        return () if self.invoice is None else self.invoice.totals.vat_breakdown


def read(data: bytes | str, *, france: bool = False) -> EInvoice:
    """Read a UBL 2.1 or CII D16B e-invoice (told apart by its root element), check it
    against the EN 16931 rules (and, with ``france``, the French 2026 reform's:
    :mod:`backoffice.einvoice.france`), and model it.

    Raises:
        EInvoiceUnreadable: not XML, hostile XML, too large, or neither UBL nor CII.
    """
    root = parse_xml(data)
    if root.tag in (_UBL_INVOICE, _UBL_CREDIT_NOTE):
        syntax: SyntaxName = "ubl"
    elif root.tag == _CII:
        syntax = "cii"
    else:
        raise EInvoiceUnreadable(
            reason=f"the root element {root.tag!r} is neither a UBL Invoice or CreditNote "
            "nor a CII CrossIndustryInvoice"
        )
    credit_note = root.tag == _UBL_CREDIT_NOTE
    tree = mapping.read(_binding(syntax, credit_note), root)
    findings = tuple(validate(tree))
    if france:
        from backoffice.einvoice.france import validate_france

        findings += tuple(validate_france(tree))
    invoice: Invoice | None = None
    problems: tuple[Problem, ...] = ()
    try:
        invoice = invoice_from_tree(tree)
    except ValidationError as error:
        problems = tuple(error.problems)
    return EInvoice(syntax, tree, invoice, problems, findings, root.tag == _UBL_CREDIT_NOTE)


def write(invoice: Invoice, syntax: SyntaxName = "ubl", *, peppol: bool | None = None) -> bytes:
    """``invoice`` (issued) as a UBL 2.1 or CII D16B document.

    ``peppol`` states the Peppol BIS Billing 3.0 specification and process identifiers
    (the default in UBL); otherwise the document claims the EN 16931 core (the default
    in CII, as Factur-X does) and states the invoice's own business process (BT-23, the
    French category of operation) when it has one.

    Raises:
        InvalidValue: the invoice is a draft, or the syntax is unknown.
    """
    use_peppol = syntax == "ubl" if peppol is None else peppol
    tree = tree_from_invoice(
        invoice,
        customization=CUSTOMIZATION_PEPPOL if use_peppol else CUSTOMIZATION_EN16931,
        profile=PROFILE_PEPPOL if use_peppol else None,
    )
    return mapping.write(_binding(syntax, invoice.is_credit_note), tree)


def convert(data: bytes | str, to: SyntaxName) -> bytes:
    """The e-invoice ``data`` written in the syntax ``to``, term by term: every term both
    bindings carry is kept, those the model does not carry included. The UBL binding
    reads some terms the CII binding does not write yet (contract and project
    references, invoicing periods, the tax representative, card and direct debit
    details...): they are left out going to CII. Going to CII, a specification
    identifier (BT-24) that builds on the EN 16931 core, such as Peppol BIS Billing
    3.0's, becomes the core's, the one Factur-X's EN 16931 profile accepts.

    Raises:
        EInvoiceUnreadable: as :func:`read`.
    """
    received = read(data)
    tree = received.tree
    customization = tree.get("BT-24")
    if to == "cii" and customization and customization.startswith(CUSTOMIZATION_EN16931):
        tree.set("BT-24", CUSTOMIZATION_EN16931, location=tree.where("BT-24"))
    return mapping.write(_binding(to, received.document_type == "credit_note"), tree)
