"""Validating UBL invoices: the native EN 16931 rules against the official schematron.

Both validate the same bytes in the same run. Native: safe parsing, reading the
semantic tree with the UBL binding, and every rule of :mod:`backoffice.einvoice.rules`.
Schematron: Saxon (saxonche) parsing the same bytes and running the CEN XSLT, the
stylesheet compiled once beforehand. The documents are the valid invoices of the e-invoice
tests, one in each VAT category, with lines added so that sizes vary.
Run: ``python benchmarks/bench_einvoice.py``.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

from lxml import etree

sys.path.insert(
    0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "einvoice")
)

from documents import INVOICES, ubl_invoice
from referee import _processor, _stylesheet

from backoffice.einvoice import mapping, ubl
from backoffice.einvoice.rules import validate
from backoffice.einvoice.xmlsafe import parse_xml

_LINE = "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}InvoiceLine"


def _with_lines(xml: bytes, copies: int) -> bytes:
    """The document with its lines repeated ``copies`` times (totals then disagree with
    the lines: both validators have more to report, which is work too)."""
    root = etree.fromstring(xml)
    lines = [element for element in root if element.tag == _LINE]
    for _ in range(copies - 1):
        for line in lines:
            root.append(etree.fromstring(etree.tostring(line)))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def corpus(count: int) -> list[bytes]:
    """``count`` UBL documents: the valid invoices, some with 2 to 20 lines."""
    bases = [ubl_invoice(name) for name in INVOICES]
    variants = list(bases) + [_with_lines(base, 5) for base in bases[:3]]
    variants.append(_with_lines(bases[0], 10))
    return [variants[index % len(variants)] for index in range(count)]


def validate_natively(xml: bytes) -> int:
    return len(validate(mapping.read(ubl.INVOICE, parse_xml(xml))))


def validate_with_schematron(xml: bytes) -> int:
    node = _processor().parse_xml(xml_text=xml.decode("utf-8"))
    report: str = _stylesheet("ubl").transform_to_string(xdm_node=node)
    return report.count("<svrl:failed-assert")


def _seconds_per_document(check: Callable[[bytes], int], documents: list[bytes]) -> float:
    start = time.perf_counter()
    for xml in documents:
        check(xml)
    return (time.perf_counter() - start) / len(documents)


def validate_ubl(count: int = 1000, rounds: int = 3) -> tuple[float, float]:
    """(native seconds per document, schematron seconds per document) over the same
    ``count`` documents, the best of ``rounds`` alternated rounds."""
    documents = corpus(count)
    validate_with_schematron(documents[0])  # compile the stylesheet outside the timing
    validate_natively(documents[0])
    native: list[float] = []
    official: list[float] = []
    for _ in range(rounds):
        official.append(_seconds_per_document(validate_with_schematron, documents))
        native.append(_seconds_per_document(validate_natively, documents))
    return min(native), min(official)


def native_stages(count: int = 1000, rounds: int = 3) -> tuple[float, float, float]:
    """Seconds per document of each native stage -- parsing, reading the tree, the
    rules -- each the best of ``rounds``."""
    documents = corpus(count)
    stages: list[tuple[float, float, float]] = []
    clock = time.perf_counter
    for _ in range(rounds):  # one document at a time, as validate_ubl does
        parse = read_tree = rules = 0.0
        for xml in documents:
            start = clock()
            root = parse_xml(xml)
            parsed = clock()
            tree = mapping.read(ubl.INVOICE, root)
            read = clock()
            validate(tree)
            done = clock()
            parse, read_tree, rules = (
                parse + parsed - start,
                read_tree + read - parsed,
                rules + done - read,
            )
        stages.append((parse / count, read_tree / count, rules / count))
    return (
        min(stage[0] for stage in stages),
        min(stage[1] for stage in stages),
        min(stage[2] for stage in stages),
    )


def main() -> None:
    native, official = validate_ubl()
    print(f"native (parse + read + rules): {native * 1e6:9.1f} µs per document")
    print(f"official schematron (XSLT):    {official * 1e6:9.1f} µs per document")
    print(f"native is {official / native:.1f}× faster (goal: at least 5×)")
    parse, read, rules = native_stages()
    print(
        f"native stages: parse {parse * 1e6:.1f} µs, read {read * 1e6:.1f} µs, "
        f"rules {rules * 1e6:.1f} µs ({official / rules:.1f}× faster than the schematron)"
    )


if __name__ == "__main__":
    main()
