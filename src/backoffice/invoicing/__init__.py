"""Invoicing: EN 16931 invoices and credit notes, legal numbering, payments, terms,
late-payment interest and aging.

* :class:`Invoice` is the document (parties, lines, references...), with its totals;
  :mod:`backoffice.invoicing.schema` reads and writes it as JSON;
* :class:`Invoicing` keeps invoices in a store: drafts, issuing with gapless numbers
  per series and fiscal year (:class:`NumberSeries`), credit notes, payments,
  allocations and customer credit, with their domain events;
* :func:`render_html` writes an invoice as a self-contained HTML page in its language,
  with the legal mentions it needs (:func:`legal_mentions`).

The rest is pure computation, with no storage:

* from lines and document-level allowances and charges, :func:`document_totals` gives
  the totals (BG-22) and the VAT breakdown (BG-23) as EN 16931-1 defines them, in exact
  money;
* :class:`PaymentTerms` gives due dates (net, end of month, and both readings of
  "N days end of month") and early-payment discounts;
  :func:`check_french_payment_terms` checks them against the French caps;
* :func:`late_interest` and :func:`french_late_interest` compute late-payment interest
  (actual/365), with the French legal defaults and their sources, and the floor of
  3 times the legal interest rate on a rate the contract sets;
* :func:`aging` buckets open receivables by days overdue, per customer and currency,
  and :func:`dso` gives days sales outstanding.

>>> from backoffice.invoicing import InvoiceLine, document_totals
>>> from backoffice import UnitPrice
>>> line = InvoiceLine("1", quantity="3", price=UnitPrice("10", "EUR"),
...                    vat_category="S", vat_rate="20")
>>> document_totals([line], [], "EUR").amount_due
Money('36.00', 'EUR')
"""

from __future__ import annotations

from backoffice.invoicing.aging import (
    AgedReceivable,
    Aging,
    AgingBucket,
    AgingReport,
    Receivable,
    aging,
    dso,
)
from backoffice.invoicing.document import (
    Address,
    Contact,
    Delivery,
    DocumentType,
    Invoice,
    Party,
    PaymentInstructions,
    PrecedingInvoice,
    VatExemption,
)
from backoffice.invoicing.interest import (
    ECB_MAIN_REFINANCING_RATES,
    FRENCH_LATE_INTEREST_FLOOR_MULTIPLE,
    FRENCH_LATE_INTEREST_MARGIN,
    FRENCH_LEGAL_INTEREST_RATES,
    FRENCH_RECOVERY_INDEMNITY,
    LegalParameter,
    days_late,
    french_contractual_late_interest_rate,
    french_late_interest,
    french_late_interest_rate,
    half_year_start,
    late_interest,
)
from backoffice.invoicing.model import (
    AllowanceCharge,
    AllowanceChargeKind,
    InvoiceLine,
    VatCategory,
)
from backoffice.invoicing.numbering import GapReport, NumberSeries, SeriesReset, find_gaps
from backoffice.invoicing.render import LegalMention, legal_mentions, render_html
from backoffice.invoicing.services import (
    DEFAULT_CREDIT_NOTE_SERIES,
    DEFAULT_INVOICE_SERIES,
    Allocation,
    InvoiceStatus,
    Invoicing,
    Payment,
    StoredInvoice,
)
from backoffice.invoicing.terms import (
    DaysThenEndOfMonth,
    DueDateRule,
    EarlyPaymentDiscount,
    EndOfMonth,
    EndOfMonthThenDays,
    Net,
    PaymentTerms,
    TermsFinding,
    check_french_payment_terms,
)
from backoffice.invoicing.totals import (
    DocumentTotals,
    VatBreakdown,
    VatRounding,
    document_totals,
)

__all__ = [
    "DEFAULT_CREDIT_NOTE_SERIES",
    "DEFAULT_INVOICE_SERIES",
    "ECB_MAIN_REFINANCING_RATES",
    "FRENCH_LATE_INTEREST_FLOOR_MULTIPLE",
    "FRENCH_LATE_INTEREST_MARGIN",
    "FRENCH_LEGAL_INTEREST_RATES",
    "FRENCH_RECOVERY_INDEMNITY",
    "Address",
    "AgedReceivable",
    "Aging",
    "AgingBucket",
    "AgingReport",
    "Allocation",
    "AllowanceCharge",
    "AllowanceChargeKind",
    "Contact",
    "DaysThenEndOfMonth",
    "Delivery",
    "DocumentTotals",
    "DocumentType",
    "DueDateRule",
    "EarlyPaymentDiscount",
    "EndOfMonth",
    "EndOfMonthThenDays",
    "GapReport",
    "Invoice",
    "InvoiceLine",
    "InvoiceStatus",
    "Invoicing",
    "LegalMention",
    "LegalParameter",
    "Net",
    "NumberSeries",
    "Party",
    "Payment",
    "PaymentInstructions",
    "PaymentTerms",
    "PrecedingInvoice",
    "Receivable",
    "SeriesReset",
    "StoredInvoice",
    "TermsFinding",
    "VatBreakdown",
    "VatCategory",
    "VatExemption",
    "VatRounding",
    "aging",
    "check_french_payment_terms",
    "days_late",
    "document_totals",
    "dso",
    "find_gaps",
    "french_contractual_late_interest_rate",
    "french_late_interest",
    "french_late_interest_rate",
    "half_year_start",
    "late_interest",
    "legal_mentions",
    "render_html",
]
