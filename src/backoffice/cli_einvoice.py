"""``backoffice einvoice validate`` and ``backoffice einvoice convert``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Final

__all__ = ["add_commands", "run"]

EXIT_OK: Final = 0
EXIT_FAILURE: Final = 1
EXIT_UNREADABLE: Final = 2


def add_commands(commands: Any) -> None:
    """Add the ``einvoice`` command and its actions to ``commands``."""
    einvoice = commands.add_parser(
        "einvoice",
        help="read, check and convert e-invoices (UBL 2.1, UN/CEFACT CII)",
        description="Read, check and convert EN 16931 e-invoices in UBL 2.1 or CII D16B.",
    )
    actions = einvoice.add_subparsers(dest="einvoice_command", metavar="ACTION", required=True)
    validate = actions.add_parser(
        "validate",
        help="check an e-invoice against the EN 16931 rules",
        description="Read a UBL or CII e-invoice, check it against the EN 16931 business, "
        "calculation, VAT category and decimal rules, and print its stated and computed "
        "totals and what the rules found. Exit code 0 when no fatal rule is broken, 1 "
        "otherwise, 2 when the file cannot be read as an e-invoice.",
    )
    validate.add_argument("file", metavar="FILE", help="the e-invoice; - reads standard input")
    validate.add_argument("--json", action="store_true", help="print one JSON object")
    validate.add_argument(
        "--locale", default="en", help="language of the messages: en (default), fr_FR, pt_BR"
    )
    validate.add_argument(
        "--france",
        action="store_true",
        help="also check the French 2026 reform's mentions (SIREN, category of operation...)",
    )
    convert = actions.add_parser(
        "convert",
        help="write an e-invoice in the other syntax",
        description="Read a UBL or CII e-invoice and write it in the syntax asked for, term "
        "by term. Exit code 0 when written, 2 when the file cannot be read.",
    )
    convert.add_argument("file", metavar="FILE", help="the e-invoice; - reads standard input")
    convert.add_argument("--to", required=True, choices=("ubl", "cii"), help="the syntax to write")
    convert.add_argument("-o", "--output", metavar="OUT", help="write to OUT, not standard output")


def _read_bytes(name: str) -> bytes:
    if name == "-":
        stream = getattr(sys.stdin, "buffer", None)
        return stream.read() if stream is not None else sys.stdin.read().encode("utf-8")
    with open(name, "rb") as file:
        return file.read()


def _unreadable(name: str, reason: str, *, verb: str = "read") -> int:
    where = "standard input" if name == "-" else name
    print(f"backoffice einvoice: cannot {verb} {where}: {reason}", file=sys.stderr)
    return EXIT_UNREADABLE


def _text(value: object) -> str | None:
    return None if value is None else format(value, "f")


def run(args: argparse.Namespace) -> int:
    """Run the ``einvoice`` action of ``args``."""
    from backoffice import einvoice
    from backoffice.errors import EInvoiceUnreadable

    try:
        data = _read_bytes(args.file)
    except OSError as error:
        return _unreadable(args.file, error.strerror or str(error))
    try:
        if args.einvoice_command == "convert":
            converted = einvoice.convert(data, to=args.to)
        else:
            received = einvoice.read(data, france=args.france)
    except EInvoiceUnreadable as error:
        return _unreadable(args.file, error.details.get("reason", error.message))
    if args.einvoice_command == "convert":
        if args.output:
            try:
                with open(args.output, "wb") as file:
                    file.write(converted)
            except OSError as error:
                return _unreadable(args.output, error.strerror or str(error), verb="write")
        else:
            sys.stdout.buffer.write(converted)
        return EXIT_OK
    report = _report(received, args.locale)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _print_text(report)
    return EXIT_OK if received.ok else EXIT_FAILURE


def _report(received: Any, locale: str) -> dict[str, Any]:
    findings = [
        {
            "rule": finding.rule,
            "severity": finding.severity,
            "message": finding.localized(locale),
            "location": finding.location,
        }
        for finding in received.findings
    ]
    findings += [
        {
            "rule": "MODEL",
            "severity": "warning",
            "message": problem.localized(locale),
            "location": problem.path,
        }
        for problem in received.problems
    ]
    return {
        "format": received.syntax,
        "document_type": received.document_type,
        "currency": received.currency,
        "number": received.tree.get("BT-1"),
        "stated_totals": {term: _text(v) for term, v in received.stated_totals().items()},
        "computed_totals": {term: _text(v) for term, v in received.computed_totals().items()},
        "vat_breakdown": [
            {
                "category": entry.category.value,
                "rate": None if entry.rate is None else format(entry.rate, "f"),
                "taxable": format(entry.taxable_amount.amount, "f"),
                "tax": format(entry.tax_amount.amount, "f"),
            }
            for entry in received.vat_breakdown()
        ],
        "findings": findings,
    }


def _print_text(report: dict[str, Any]) -> None:
    kind = report["document_type"].replace("_", " ")
    number = report["number"] or "(no number)"
    print(f"{report['format'].upper()} {kind} {number}, {report['currency']}")
    print(f"{'term':<8}{'stated':>16}{'computed':>16}")
    for term, stated in report["stated_totals"].items():
        computed = report["computed_totals"][term]
        if stated is None and computed is None:
            continue
        mark = "" if stated == computed else "  <- differs"
        print(f"{term:<8}{stated or '-':>16}{computed or '-':>16}{mark}")
    for entry in report["vat_breakdown"]:
        rate = f"{entry['rate']} %" if entry["rate"] is not None else "no rate"
        print(f"VAT {entry['category']} {rate}: {entry['taxable']} taxable, {entry['tax']} tax")
    fatal = sum(1 for finding in report["findings"] if finding["severity"] == "fatal")
    print(f"{len(report['findings'])} finding(s), {fatal} fatal")
    for finding in report["findings"]:
        print(f"  [{finding['severity']}] {finding['rule']}: {finding['message']}")
        if finding["location"]:
            print(f"      at {finding['location']}")
