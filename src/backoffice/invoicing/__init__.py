"""Invoicing: EN 16931 invoice lines, allowances and charges, and document totals.

This first part is pure computation: from lines and document-level allowances and
charges, :func:`document_totals` gives the totals (BG-22) and the VAT breakdown (BG-23)
as EN 16931-1 defines them, in exact money.

>>> from backoffice.invoicing import InvoiceLine, document_totals
>>> from backoffice import UnitPrice
>>> line = InvoiceLine("1", quantity="3", price=UnitPrice("10", "EUR"),
...                    vat_category="S", vat_rate="20")
>>> document_totals([line], [], "EUR").amount_due
Money('36.00', 'EUR')
"""

from __future__ import annotations

from backoffice.invoicing.model import (
    AllowanceCharge,
    AllowanceChargeKind,
    InvoiceLine,
    VatCategory,
)
from backoffice.invoicing.totals import (
    DocumentTotals,
    VatBreakdown,
    VatRounding,
    document_totals,
)

__all__ = [
    "AllowanceCharge",
    "AllowanceChargeKind",
    "DocumentTotals",
    "InvoiceLine",
    "VatBreakdown",
    "VatCategory",
    "VatRounding",
    "document_totals",
]
