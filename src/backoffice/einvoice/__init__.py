"""E-invoicing: EN 16931 invoices read, checked, written and converted, in UBL 2.1
(Peppol BIS Billing 3.0) and UN/CEFACT CII D16B (Factur-X / ZUGFeRD EN 16931 profile).

* :func:`read` reads a UBL or CII document (told apart by its root element) safely,
  checks it against the EN 16931 rules (:mod:`backoffice.einvoice.rules`) and models it
  as an :class:`~backoffice.invoicing.document.Invoice`, keeping the totals it states
  beside the ones the library recomputes;
* :func:`write` writes an issued invoice in either syntax; :func:`convert` rewrites a
  document in the other syntax, term by term;
* :func:`validate` runs the rules on a semantic tree; :data:`RULES` lists them;
* :mod:`backoffice.einvoice.france` adds the French 2026 reform's checks, and
  :mod:`backoffice.einvoice.facturx` puts the CII in a PDF and takes it out (the
  ``facturx`` extra).

>>> from backoffice.errors import EInvoiceUnreadable
>>> try:
...     read(b"<!DOCTYPE x [<!ENTITY a 'a'>]><x>&a;</x>")
... except EInvoiceUnreadable as error:
...     print(error.code)
einvoice.unreadable
"""

from __future__ import annotations

from backoffice.einvoice.documents import TOTAL_TERMS, EInvoice, SyntaxName, convert, read, write
from backoffice.einvoice.rules import RULES, SKIPPED, Finding, Rule, validate
from backoffice.einvoice.tree import Node, Value

__all__ = [
    "RULES",
    "SKIPPED",
    "TOTAL_TERMS",
    "EInvoice",
    "Finding",
    "Node",
    "Rule",
    "SyntaxName",
    "Value",
    "convert",
    "read",
    "validate",
    "write",
]
