"""The 18 official EN 16931 example invoices, reproduced figure by figure.

Source: the CEN/TC 434 EN 16931 validation artefacts, commit b6c9e06, directory
``ubl/examples/`` (the file name of each example is its first field). The figures are
copied from those documents into ``cen_examples.py``, beside this file: each line's net
amount (BT-131), VAT category and rate; the document-level allowances and charges
(BT-92/BT-99 with their category and rate);
the VAT breakdown (BT-118, BT-119, BT-116, BT-117) and the totals (BT-106 ... BT-115).
``None`` is a term the document leaves out.

The lines are given by their stated net amount (``net_amount=``), as when a document is
read, since the totals depend on nothing else. Every stated total and every VAT
breakdown entry is reproduced exactly with the EN 16931 rule (BR-CO-17: tax rounded
once per category and rate, half up): no example needs a tolerance. Two points the
examples show: a VAT breakdown entry exists for a (category, rate) that only document
allowances and charges use (issue116.xml, category E), and "25" and "25.00" are one
rate.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from cen_examples import EXAMPLES, Example

from backoffice import Money
from backoffice.invoicing import (
    AllowanceCharge,
    DocumentTotals,
    InvoiceLine,
    VatCategory,
    document_totals,
)

_FIELDS = {
    "BT106": "sum_of_line_nets",
    "BT107": "allowances",
    "BT108": "charges",
    "BT109": "total_without_vat",
    "BT110": "total_vat",
    "BT112": "total_with_vat",
    "BT113": "prepaid",
    "BT114": "rounding_amount",
    "BT115": "amount_due",
}


def _money(value: str | None, currency: str) -> Money | None:
    return None if value is None else Money(value, currency)


def _compute(example: Example) -> DocumentTotals:
    currency = example.currency
    lines = [
        InvoiceLine(line_id, net_amount=Money(net, currency), vat_category=category, vat_rate=rate)
        for line_id, net, category, rate in example.lines
    ]
    entries = [
        AllowanceCharge(kind, amount=Money(amount, currency), vat_category=category, vat_rate=rate)
        for kind, amount, category, rate in example.allowances_charges
    ]
    return document_totals(
        lines,
        entries,
        currency,
        prepaid=_money(example.totals["BT113"], currency),
        rounding_amount=_money(example.totals["BT114"], currency),
    )


def test_all_eighteen_examples_are_here() -> None:
    assert len(EXAMPLES) == 18
    assert len({example.source for example in EXAMPLES}) == 18


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.source)
def test_totals_match_the_example(example: Example) -> None:
    totals = _compute(example)
    for term, field in _FIELDS.items():
        assert getattr(totals, field) == _money(example.totals[term], example.currency), term
    assert totals.line_net_amounts == tuple(
        Money(net, example.currency) for _, net, _, _ in example.lines
    )


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.source)
def test_vat_breakdown_matches_the_example(example: Example) -> None:
    totals = _compute(example)
    computed = {
        (entry.category, entry.rate): (entry.taxable_amount, entry.tax_amount)
        for entry in totals.vat_breakdown
    }
    stated = {
        (VatCategory(category), None if rate is None else Decimal(rate)): (
            Money(taxable, example.currency),
            Money(tax, example.currency),
        )
        for category, rate, taxable, tax in example.vat_breakdown
    }
    assert computed == stated
    assert len(totals.vat_breakdown) == len(example.vat_breakdown)


def test_rates_written_differently_are_one_breakdown_entry() -> None:
    example = next(e for e in EXAMPLES if e.source == "ubl-tc434-creditnote1.xml")
    totals = _compute(example)
    assert totals.breakdown("E", "0").taxable_amount == Money("100.11", "EUR")
    assert totals.breakdown("E", "0.00").rate == Decimal(0)


def test_category_o_has_no_rate_in_the_breakdown() -> None:
    example = next(e for e in EXAMPLES if e.source == "ubl-tc434-example7.xml")
    (entry,) = _compute(example).vat_breakdown
    assert entry.category is VatCategory.O
    assert entry.rate is None
    assert entry.tax_amount == Money("0.00", "SEK")
