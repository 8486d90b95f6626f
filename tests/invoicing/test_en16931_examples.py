"""The 18 official EN 16931 example invoices, reproduced figure by figure.

Source: the CEN/TC 434 EN 16931 validation artefacts, commit b6c9e06, directory
``ubl/examples/`` (the file name of each example is its first field). The figures below
are copied from those documents: each line's net amount (BT-131), VAT category and rate;
the document-level allowances and charges (BT-92/BT-99 with their category and rate);
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
from typing import NamedTuple

import pytest

from backoffice import Money
from backoffice.invoicing import (
    AllowanceCharge,
    DocumentTotals,
    InvoiceLine,
    VatCategory,
    document_totals,
)


class Example(NamedTuple):
    source: str
    doc_type: str
    currency: str
    lines: list[tuple[str, str, str, str | None]]
    allowances_charges: list[tuple[str, str, str, str | None]]
    vat_breakdown: list[tuple[str, str | None, str, str]]
    totals: dict[str, str | None]


EXAMPLES = [
    Example(
        "BIS3_Invoice_negativ.XML",
        "Invoice",
        "DKK",
        lines=[("1", "-625743.54", "S", "25")],
        allowances_charges=[],
        vat_breakdown=[("S", "25", "-625743.54", "-156435.89")],
        totals={
            "BT106": "-625743.54",
            "BT107": None,
            "BT108": None,
            "BT109": "-625743.54",
            "BT110": "-156435.89",
            "BT112": "-782179.43",
            "BT113": None,
            "BT114": None,
            "BT115": "-782179.43",
        },
    ),
    Example(
        "BIS3_Invoice_positive.XML",
        "Invoice",
        "DKK",
        lines=[("1", "625743.54", "S", "25")],
        allowances_charges=[],
        vat_breakdown=[("S", "25", "625743.54", "156435.89")],
        totals={
            "BT106": "625743.54",
            "BT107": None,
            "BT108": None,
            "BT109": "625743.54",
            "BT110": "156435.89",
            "BT112": "782179.43",
            "BT113": None,
            "BT114": None,
            "BT115": "782179.43",
        },
    ),
    Example(
        "guide-example1.xml",
        "Invoice",
        "EUR",
        lines=[
            ("1", "19.90", "S", "6"),
            ("2", "9.85", "S", "6"),
            ("3", "8.29", "S", "6"),
            ("4", "14.46", "S", "6"),
            ("5", "35.00", "S", "6"),
            ("6", "35.00", "S", "6"),
            ("7", "10.65", "S", "6"),
            ("8", "1.55", "S", "6"),
            ("9", "14.37", "S", "6"),
            ("10", "8.29", "S", "6"),
            ("11", "16.58", "S", "6"),
            ("12", "9.95", "S", "6"),
            ("13", "3.30", "S", "6"),
            ("14", "10.80", "S", "21"),
            ("15", "3.90", "S", "6"),
            ("16", "7.60", "S", "21"),
            ("17", "9.34", "S", "21"),
            ("18", "18.63", "S", "21"),
            ("19", "102.12", "S", "6"),
            ("20", "-109.98", "S", "6"),
        ],
        allowances_charges=[],
        vat_breakdown=[("S", "6", "183.23", "10.99"), ("S", "21", "46.37", "9.74")],
        totals={
            "BT106": "229.60",
            "BT107": None,
            "BT108": None,
            "BT109": "229.60",
            "BT110": "20.73",
            "BT112": "250.33",
            "BT113": None,
            "BT114": None,
            "BT115": "250.33",
        },
    ),
    Example(
        "guide-example2.xml",
        "Invoice",
        "NOK",
        lines=[
            ("1", "1273.00", "S", "25"),
            ("2", "-3.96", "S", "15"),
            ("3", "4.96", "S", "15"),
            ("4", "-25.00", "E", "0"),
            ("5", "187.50", "S", "25"),
        ],
        allowances_charges=[("allowance", "100.00", "S", "25"), ("charge", "100.00", "S", "25")],
        vat_breakdown=[
            ("S", "25", "1460.50", "365.13"),
            ("S", "15", "1.00", "0.15"),
            ("E", "0", "-25.00", "0.00"),
        ],
        totals={
            "BT106": "1436.50",
            "BT107": "100.00",
            "BT108": "100.00",
            "BT109": "1436.50",
            "BT110": "365.28",
            "BT112": "1801.78",
            "BT113": "1000.00",
            "BT114": None,
            "BT115": "801.78",
        },
    ),
    Example(
        "guide-example3.xml",
        "Invoice",
        "DKK",
        lines=[("1", "400.00", "S", "25"), ("2", "400.00", "S", "25.00")],
        allowances_charges=[("charge", "100.00", "S", "25")],
        vat_breakdown=[("S", "25", "900.00", "225.00")],
        totals={
            "BT106": "800.00",
            "BT107": None,
            "BT108": "100.00",
            "BT109": "900.00",
            "BT110": "225.00",
            "BT112": "1125.00",
            "BT113": None,
            "BT114": None,
            "BT115": "1125.00",
        },
    ),
    Example(
        "issue116.xml",
        "Invoice",
        "SEK",
        lines=[
            ("1", "100", "S", "6"),
            ("2", "50", "S", "12"),
            ("3", "150", "S", "12"),
            ("4", "400", "S", "25"),
        ],
        allowances_charges=[
            ("allowance", "0", "S", "6"),
            ("allowance", "1", "E", "0"),
            ("charge", "1", "E", "0"),
            ("charge", "0", "E", "0"),
        ],
        vat_breakdown=[
            ("S", "6", "100", "6"),
            ("S", "25", "400", "100"),
            ("S", "12", "200", "24"),
            ("E", "0", "0", "0"),
        ],
        totals={
            "BT106": "700",
            "BT107": "1",
            "BT108": "1",
            "BT109": "700",
            "BT110": "130",
            "BT112": "830",
            "BT113": "0",
            "BT114": "0",
            "BT115": "830",
        },
    ),
    Example(
        "sample-discount-price.xml",
        "Invoice",
        "EUR",
        lines=[("1", "12.12", "S", "25")],
        allowances_charges=[],
        vat_breakdown=[("S", "25", "12.12", "3.03")],
        totals={
            "BT106": "12.12",
            "BT107": None,
            "BT108": None,
            "BT109": "12.12",
            "BT110": "3.03",
            "BT112": "15.15",
            "BT113": None,
            "BT114": None,
            "BT115": "15.15",
        },
    ),
    Example(
        "ubl-tc434-creditnote1.xml",
        "CreditNote",
        "EUR",
        lines=[("1", "100.11", "E", "0.00")],
        allowances_charges=[],
        vat_breakdown=[("E", "0.00", "100.11", "0.00")],
        totals={
            "BT106": "100.11",
            "BT107": None,
            "BT108": None,
            "BT109": "100.11",
            "BT110": "0.00",
            "BT112": "100.11",
            "BT113": None,
            "BT114": None,
            "BT115": "100.11",
        },
    ),
    Example(
        "ubl-tc434-example1.xml",
        "Invoice",
        "EUR",
        lines=[
            ("1", "19.90", "S", "6"),
            ("2", "9.85", "S", "6"),
            ("3", "8.29", "S", "6"),
            ("4", "14.46", "S", "6"),
            ("5", "35.00", "S", "6"),
            ("6", "35.00", "S", "6"),
            ("7", "10.65", "S", "6"),
            ("8", "1.55", "S", "6"),
            ("9", "14.37", "S", "6"),
            ("10", "8.29", "S", "6"),
            ("11", "16.58", "S", "6"),
            ("12", "9.95", "S", "6"),
            ("13", "3.30", "S", "6"),
            ("14", "10.80", "S", "21"),
            ("15", "3.90", "S", "6"),
            ("16", "7.60", "S", "21"),
            ("17", "9.34", "S", "21"),
            ("18", "18.63", "S", "21"),
            ("19", "102.12", "S", "6"),
            ("20", "-109.98", "S", "6"),
        ],
        allowances_charges=[],
        vat_breakdown=[("S", "6", "183.23", "10.99"), ("S", "21", "46.37", "9.74")],
        totals={
            "BT106": "229.60",
            "BT107": None,
            "BT108": None,
            "BT109": "229.60",
            "BT110": "20.73",
            "BT112": "250.33",
            "BT113": None,
            "BT114": None,
            "BT115": "250.33",
        },
    ),
    Example(
        "ubl-tc434-example10.xml",
        "Invoice",
        "EUR",
        lines=[
            ("1", "19.90", "S", "6"),
            ("2", "9.85", "S", "6"),
            ("3", "8.29", "S", "6"),
            ("4", "14.46", "S", "6"),
            ("5", "35.00", "S", "6"),
            ("6", "35.00", "S", "6"),
            ("7", "10.65", "S", "6"),
            ("8", "1.55", "S", "6"),
            ("9", "14.37", "S", "6"),
            ("10", "8.29", "S", "6"),
            ("11", "16.58", "S", "6"),
            ("12", "9.95", "S", "6"),
            ("13", "3.30", "S", "6"),
            ("14", "10.80", "S", "21"),
            ("15", "3.90", "S", "6"),
            ("16", "7.60", "S", "21"),
            ("17", "9.34", "S", "21"),
            ("18", "18.63", "S", "21"),
            ("19", "102.12", "S", "6"),
            ("20", "-109.98", "S", "6"),
        ],
        allowances_charges=[],
        vat_breakdown=[("S", "6", "183.23", "10.99"), ("S", "21", "46.37", "9.74")],
        totals={
            "BT106": "229.60",
            "BT107": None,
            "BT108": None,
            "BT109": "229.60",
            "BT110": "20.73",
            "BT112": "250.33",
            "BT113": None,
            "BT114": None,
            "BT115": "250.33",
        },
    ),
    Example(
        "ubl-tc434-example2.xml",
        "Invoice",
        "NOK",
        lines=[
            ("1", "1273.00", "S", "25"),
            ("2", "-3.96", "S", "15"),
            ("3", "4.96", "S", "15"),
            ("4", "-25.00", "E", "0"),
            ("5", "187.50", "S", "25"),
        ],
        allowances_charges=[("allowance", "100.00", "S", "25"), ("charge", "100.00", "S", "25")],
        vat_breakdown=[
            ("S", "25", "1460.50", "365.13"),
            ("S", "15", "1.00", "0.15"),
            ("E", "0", "-25.00", "0.00"),
        ],
        totals={
            "BT106": "1436.50",
            "BT107": "100.00",
            "BT108": "100.00",
            "BT109": "1436.50",
            "BT110": "365.28",
            "BT112": "1801.78",
            "BT113": "1000.00",
            "BT114": None,
            "BT115": "801.78",
        },
    ),
    Example(
        "ubl-tc434-example3.xml",
        "Invoice",
        "DKK",
        lines=[("1", "800.00", "S", "25"), ("2", "800.00", "S", "10")],
        allowances_charges=[("charge", "100.00", "S", "25")],
        vat_breakdown=[("S", "25", "900.00", "225.00"), ("S", "10", "800.00", "80.00")],
        totals={
            "BT106": "1600.00",
            "BT107": None,
            "BT108": "100.00",
            "BT109": "1700.00",
            "BT110": "305.00",
            "BT112": "2005.00",
            "BT113": None,
            "BT114": None,
            "BT115": "2005.00",
        },
    ),
    Example(
        "ubl-tc434-example4.xml",
        "Invoice",
        "DKK",
        lines=[
            ("1", "1000.00", "S", "25"),
            ("2", "500.00", "S", "25"),
            ("3", "2500.00", "S", "12"),
        ],
        allowances_charges=[],
        vat_breakdown=[("S", "25", "1500.00", "375.00"), ("S", "12", "2500.00", "300.00")],
        totals={
            "BT106": "4000.00",
            "BT107": None,
            "BT108": None,
            "BT109": "4000.00",
            "BT110": "675.00",
            "BT112": "4675.00",
            "BT113": None,
            "BT114": None,
            "BT115": "4675.00",
        },
    ),
    Example(
        "ubl-tc434-example5.xml",
        "Invoice",
        "DKK",
        lines=[
            ("1", "1000.00", "S", "25"),
            ("2", "500.00", "S", "25"),
            ("3", "2500.00", "S", "12"),
        ],
        allowances_charges=[("allowance", "150.00", "S", "25"), ("charge", "150.00", "S", "25")],
        vat_breakdown=[("S", "25", "1500.00", "375.00"), ("S", "12", "2500.00", "300.00")],
        totals={
            "BT106": "4000.00",
            "BT107": "150.00",
            "BT108": "150.00",
            "BT109": "4000.00",
            "BT110": "675.00",
            "BT112": "4675.00",
            "BT113": "2337.50",
            "BT114": None,
            "BT115": "2337.50",
        },
    ),
    Example(
        "ubl-tc434-example6.xml",
        "Invoice",
        "DKK",
        lines=[
            ("1", "1000.00", "S", "25"),
            ("2", "500.00", "S", "25"),
            ("3", "2500.00", "S", "12"),
        ],
        allowances_charges=[],
        vat_breakdown=[("S", "25", "1500.00", "375.00"), ("S", "12", "2500.00", "300.00")],
        totals={
            "BT106": "4000.00",
            "BT107": None,
            "BT108": None,
            "BT109": "4000.00",
            "BT110": "675.00",
            "BT112": "4675.00",
            "BT113": None,
            "BT114": None,
            "BT115": "4675.00",
        },
    ),
    Example(
        "ubl-tc434-example7.xml",
        "Invoice",
        "SEK",
        lines=[("1", "2500.00", "O", None), ("2", "700.00", "O", None)],
        allowances_charges=[],
        vat_breakdown=[("O", None, "3200.00", "0.00")],
        totals={
            "BT106": "3200.00",
            "BT107": None,
            "BT108": None,
            "BT109": "3200.00",
            "BT110": "0.00",
            "BT112": "3200.00",
            "BT113": None,
            "BT114": None,
            "BT115": "3200.00",
        },
    ),
    Example(
        "ubl-tc434-example8.xml",
        "Invoice",
        "EUR",
        lines=[
            ("1", "140.80", "S", "21"),
            ("2", "16.16", "S", "21"),
            ("3", "167.64", "S", "21"),
            ("4", "88.74", "S", "21"),
            ("5", "36.75", "S", "21"),
            ("6", "56.50", "S", "21"),
            ("7", "83.34", "S", "21"),
            ("8", "190.31", "S", "21"),
            ("9", "64.21", "S", "21"),
            ("10", "64.46", "S", "21"),
        ],
        allowances_charges=[],
        vat_breakdown=[("S", "21", "908.91", "190.87")],
        totals={
            "BT106": "908.91",
            "BT107": None,
            "BT108": None,
            "BT109": "908.91",
            "BT110": "190.87",
            "BT112": "1099.78",
            "BT113": None,
            "BT114": None,
            "BT115": "1099.78",
        },
    ),
    Example(
        "ubl-tc434-example9.xml",
        "Invoice",
        "EUR",
        lines=[("1", "147.00", "S", "21")],
        allowances_charges=[],
        vat_breakdown=[("S", "21", "147.00", "30.87")],
        totals={
            "BT106": "147.00",
            "BT107": None,
            "BT108": None,
            "BT109": "147.00",
            "BT110": "30.87",
            "BT112": "177.87",
            "BT113": None,
            "BT114": None,
            "BT115": "177.87",
        },
    ),
]

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
