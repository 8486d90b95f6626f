"""Invoices for the compliance tests: a French business invoice that passes every
rule, and changes to it."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from backoffice.compliance import INVOICE, Report, builtin_rules
from backoffice.invoicing.document import Invoice
from backoffice.invoicing.schema import invoice_from_dict

SELLER: dict[str, Any] = {
    "name": "Atelier Numérique SARL",
    "legal_id": {"country": "FR", "kind": "siren", "value": "732829320"},
    "vat_id": "FR40303265045",
    "address": {
        "country": "FR",
        "lines": ["12 rue des Tanneurs"],
        "city": "Lyon",
        "postal_code": "69002",
    },
}

BUYER: dict[str, Any] = {
    "name": "Librairie du Quai SAS",
    "legal_id": {"country": "FR", "kind": "siren", "value": "552081317"},
    "vat_id": "FR03552081317",
    "address": {
        "country": "FR",
        "lines": ["3 quai de la Fosse"],
        "city": "Nantes",
        "postal_code": "44000",
    },
}

GERMAN_BUYER: dict[str, Any] = {
    "name": "Buchhandlung am Kai GmbH",
    "vat_id": "DE136695976",
    "address": {"country": "DE", "lines": ["Kaistraße 3"], "city": "Köln", "postal_code": "50667"},
}

BASE: dict[str, Any] = {
    "type_code": "380",
    "number": "F2026-000001",
    "issue_date": "2026-10-15",
    "currency": "EUR",
    "terms": {"rule": "net", "days": 30},
    "due_date": "2026-11-14",
    "seller": SELLER,
    "buyer": BUYER,
    "business_process": "S1",
    "notes": ["Option pour le paiement de la taxe d'après les débits"],
    "lines": [
        {
            "id": "1",
            "name": "Conseil en aménagement de boutique",
            "quantity": "10",
            "unit_code": "HUR",
            "price": "120.00",
            "vat_category": "S",
            "vat_rate": "20",
        }
    ],
    "language": "fr_FR",
}


def data(**changes: Any) -> dict[str, Any]:
    """The base invoice as JSON data, with ``changes`` (``None`` removes a key; a key
    with ``__`` reaches into a nested object: ``seller__vat_id=None``)."""
    found = copy.deepcopy(BASE)
    for key, value in changes.items():
        *parents, last = key.split("__")
        target = found
        for parent in parents:
            target = target[parent]
        if value is None:
            target.pop(last, None)
        else:
            target[last] = copy.deepcopy(value)
    return found


def invoice(**changes: Any) -> Invoice:
    """The base invoice with ``changes`` (see :func:`data`)."""
    return invoice_from_dict(data(**changes))


def check(subject: Invoice, *, jurisdiction: str = "FR", on: date | None = None) -> Report:
    """The built-in rules' report on ``subject``."""
    return builtin_rules().evaluate(
        subject,
        subject=INVOICE,
        jurisdiction=jurisdiction,
        on=on if on is not None or subject.issue_date is not None else date(2026, 10, 15),
    )


def failed(subject: Invoice, **options: Any) -> dict[str, list[str]]:
    """The rules ``subject`` fails, each with the paths of its findings."""
    found: dict[str, list[str]] = {}
    for finding in check(subject, **options):
        found.setdefault(finding.rule, []).append(finding.path)
    return found
