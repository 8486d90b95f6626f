"""Compliance: rules traced to the law, approvals, retention and a tamper-evident
audit journal.

The rule engine (:mod:`backoffice.compliance.engine`) runs typed Python checks, each
with its jurisdiction, validity dates and legal reference, and reports findings in
English, French and Brazilian Portuguese. The packs: France invoices
(:mod:`backoffice.compliance.fr`), EU VAT (:mod:`backoffice.compliance.eu`), Brazilian
fiscal documents (:mod:`backoffice.compliance.br`), Portuguese invoicing documents
(:mod:`backoffice.compliance.pt`), stock and payroll
(:mod:`backoffice.compliance.operations`); :func:`builtin_rules` gathers them. The
identifiers they check are read by :mod:`backoffice.compliance.nfe` (Brazil's access
keys) and :mod:`backoffice.compliance.portugal` (ATCUD, signature chain, QR code).
"""

from __future__ import annotations

from backoffice.compliance.builtin import builtin_rules, packs
from backoffice.compliance.engine import (
    ANY_JURISDICTION,
    EU_MEMBER_STATES,
    LOCALES,
    Finding,
    LegalReference,
    Report,
    Rule,
    RuleSet,
    Severity,
    SubjectType,
    Violation,
    jurisdictions_of,
)
from backoffice.compliance.subjects import (
    INVOICE,
    INVOICE_SERIES,
    MONTHLY_PAY,
    PARTY,
    PAYMENT,
    STOCK_BALANCE,
    STOCK_MOVEMENT,
    InvoiceSeries,
    MonthlyPay,
    StockBalance,
    StockPosting,
)

__all__ = [
    "ANY_JURISDICTION",
    "EU_MEMBER_STATES",
    "INVOICE",
    "INVOICE_SERIES",
    "LOCALES",
    "MONTHLY_PAY",
    "PARTY",
    "PAYMENT",
    "STOCK_BALANCE",
    "STOCK_MOVEMENT",
    "Finding",
    "InvoiceSeries",
    "LegalReference",
    "MonthlyPay",
    "Report",
    "Rule",
    "RuleSet",
    "Severity",
    "StockBalance",
    "StockPosting",
    "SubjectType",
    "Violation",
    "builtin_rules",
    "jurisdictions_of",
    "packs",
]
