"""E-invoicing: EN 16931 invoices read, written and validated in UBL 2.1 and UN/CEFACT
CII."""

from __future__ import annotations

__all__: list[str] = []
