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

The audit journal (:mod:`backoffice.compliance.journal`) chains every issued document
and ledger movement by SHA-256 per tenant and series, and :meth:`AuditJournal.verify`
reports the first broken link; :mod:`backoffice.compliance.approvals` records approval
decisions with segregation of duties in it, and :mod:`backoffice.compliance.retention`
keeps the legal retention periods and refuses an early purge.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from backoffice.compliance.approvals import (
        ApprovalDecision,
        ApprovalPolicy,
        ApprovalRequest,
        ApprovalRule,
        Approvals,
        ApprovalState,
        Decision,
    )
    from backoffice.compliance.journal import (
        AuditJournal,
        Break,
        BreakKind,
        ChainReport,
        Checkpoint,
        JournalEntry,
        VerificationReport,
    )
    from backoffice.compliance.retention import (
        RETENTION_RULES,
        RetentionPolicy,
        RetentionRule,
        retention_end,
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
    "RETENTION_RULES",
    "STOCK_BALANCE",
    "STOCK_MOVEMENT",
    "ApprovalDecision",
    "ApprovalPolicy",
    "ApprovalRequest",
    "ApprovalRule",
    "ApprovalState",
    "Approvals",
    "AuditJournal",
    "Break",
    "BreakKind",
    "ChainReport",
    "Checkpoint",
    "Decision",
    "Finding",
    "InvoiceSeries",
    "JournalEntry",
    "LegalReference",
    "MonthlyPay",
    "Report",
    "RetentionPolicy",
    "RetentionRule",
    "Rule",
    "RuleSet",
    "Severity",
    "StockBalance",
    "StockPosting",
    "SubjectType",
    "VerificationReport",
    "Violation",
    "builtin_rules",
    "jurisdictions_of",
    "packs",
    "retention_end",
]

#: The journal, approvals and retention names, imported on first use: the journal is
#: written by the invoicing and stock services, which this package's other modules read.
_LAZY: dict[str, str] = {
    "ApprovalDecision": "approvals",
    "ApprovalPolicy": "approvals",
    "ApprovalRequest": "approvals",
    "ApprovalRule": "approvals",
    "Approvals": "approvals",
    "ApprovalState": "approvals",
    "Decision": "approvals",
    "AuditJournal": "journal",
    "Break": "journal",
    "BreakKind": "journal",
    "ChainReport": "journal",
    "Checkpoint": "journal",
    "JournalEntry": "journal",
    "VerificationReport": "journal",
    "RETENTION_RULES": "retention",
    "RetentionPolicy": "retention",
    "RetentionRule": "retention",
    "retention_end": "retention",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
