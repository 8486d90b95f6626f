"""The ``backoffice`` command. Thin: it parses arguments and calls the library."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from backoffice._version import __version__

if TYPE_CHECKING:
    from backoffice.core.money import Money
    from backoffice.errors import Problem
    from backoffice.invoicing.document import Invoice

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backoffice",
        description="Back-office domain primitives: exact money, quantities, dates and more.",
    )
    parser.add_argument("--version", action="version", version=f"backoffice {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = commands.add_parser(
        "demo",
        help="show the library at work on a small restaurant back office",
        description="Show the library at work: exact money, allocation, rounding, "
        "locale formatting, quantities and payment dates, then a month of a small "
        "restaurant (stock in lots, recipes, catering invoices, a supplier e-invoice, "
        "the payroll, the compliance report) on a store, with a KPI report written as "
        "one HTML page next to the database. Deterministic; running it again on the "
        "same database changes nothing.",
    )
    demo.add_argument(
        "--db",
        default="sqlite:///backoffice-demo.db",
        help="store of the month: sqlite:///path (default: backoffice-demo.db here), "
        "postgresql://... or memory://",
    )
    demo.add_argument(
        "--locale",
        default="fr_FR",
        help="locale for the amounts and dates shown: fr_FR (default), pt_BR, en_US...",
    )
    taxid = commands.add_parser(
        "taxid",
        help="tax, company and bank identifiers",
        description="Check tax, company and bank identifiers (VAT, SIREN, CNPJ, IBAN...).",
    )
    taxid_commands = taxid.add_subparsers(dest="taxid_command", metavar="ACTION", required=True)
    check = taxid_commands.add_parser(
        "check",
        help="validate identifiers",
        description="Validate identifiers. Exit code 0 when all are valid, 1 when any is "
        "invalid, 2 on a usage error.",
    )
    check.add_argument("values", nargs="+", metavar="VALUE", help="identifiers to check")
    check.add_argument("--country", help="ISO country code, e.g. FR, BR, PT")
    check.add_argument("--kind", help="identifier kind, e.g. siren, cnpj, vat, iban")
    check.add_argument("--json", action="store_true", help="print a JSON list")
    check.add_argument("--locale", default="en", help="language of the messages (en, fr_FR, pt_BR)")
    _add_invoice_commands(commands)
    from backoffice import cli_audit, cli_compliance, cli_einvoice, cli_payroll

    cli_einvoice.add_commands(commands)
    cli_payroll.add_commands(commands)
    cli_compliance.add_commands(commands)
    cli_audit.add_commands(commands)
    return parser


def _add_invoice_commands(commands: Any) -> None:
    invoice = commands.add_parser(
        "invoice",
        help="invoices in their JSON form",
        description="Work on invoices written in the library's JSON form.",
    )
    invoice_commands = invoice.add_subparsers(
        dest="invoice_command", metavar="ACTION", required=True
    )
    totals = invoice_commands.add_parser(
        "totals",
        help="compute an invoice's totals and VAT breakdown",
        description="Read an invoice in its JSON form and print its totals (BT-106 to "
        "BT-115) and VAT breakdown (BG-23). Exit code 0 when the invoice is valid, 1 when "
        "it is not (every problem is printed with its path), 2 on a usage error or a file "
        "that cannot be read or is not JSON.",
    )
    totals.add_argument("file", metavar="FILE", help="the invoice as JSON; - reads standard input")
    totals.add_argument("--json", action="store_true", help="print one JSON object")
    totals.add_argument(
        "--locale",
        default="en",
        help="locale of the amounts and messages in the text output: en (default), fr_FR, pt_BR...",
    )
    schema = invoice_commands.add_parser(
        "schema",
        help="print the JSON Schema of the invoice's JSON form",
        description="Print the JSON Schema (draft 2020-12) of the invoice's JSON form.",
    )
    schema.add_argument("-o", "--output", metavar="FILE", help="write it to FILE instead")


def _taxid_check(args: argparse.Namespace) -> int:
    import json

    from backoffice.core.l10n import normalize_locale
    from backoffice.errors import BackofficeError
    from backoffice.taxid import check

    try:
        normalize_locale(args.locale)
        results = [check(value, args.country, args.kind) for value in args.values]
        rows = [result.to_dict(locale=args.locale) for result in results]
    except BackofficeError as exc:
        print(f"backoffice taxid check: {exc.localized(args.locale)}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            if row["valid"]:
                print(f"valid    {row['formatted']}  ({row['country']} {row['label']})")
            else:
                print(f"invalid  {row['input']}  [{row['error_code']}] {row['message']}")
    return EXIT_OK if all(result.valid for result in results) else EXIT_FAILURE


def _read_text(name: str) -> str:
    """The text of the file ``name`` (``-``: standard input), UTF-8.

    Raises:
        OSError: the file cannot be read.
        UnicodeDecodeError: it is not UTF-8 text.
    """
    if name == "-":
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:  # a text stream without bytes underneath
            return sys.stdin.read()
        data: bytes = stream.read()
    else:
        with open(name, "rb") as file:
            data = file.read()
    return data.decode("utf-8-sig")


def _located(problem: Problem, locale: str) -> str:
    message = problem.localized(locale)
    if not problem.path or message.startswith(problem.path):
        return message
    return f"{problem.path}: {message}"


def _plain(value: Any) -> str:
    """A decimal as plain text, never in exponent notation."""
    return format(value, "f")


def _money_text(money: Money | None) -> str | None:
    return None if money is None else _plain(money.amount)


def _bt_fields() -> list[tuple[str, str]]:
    """``(BT id, attribute)`` of each single amount of the document totals, BT-106 to
    BT-115, taken from the EN 16931 metadata of :class:`DocumentTotals`."""
    import attrs

    from backoffice.invoicing.totals import DocumentTotals

    found = []
    for field in attrs.fields(DocumentTotals):
        term = field.metadata.get("en16931", "")
        if term.startswith("BT-") and term[3:].isdigit() and 106 <= int(term[3:]) <= 115:
            found.append((term, field.name))
    return sorted(found, key=lambda item: int(item[0][3:]))


def totals_to_dict(invoice: Invoice) -> dict[str, Any]:
    """The JSON output of ``backoffice invoice totals --json`` for ``invoice``."""
    totals = invoice.totals
    in_tax_currency = totals.total_vat_in_tax_currency
    return {
        "currency": totals.currency.code,
        "document_type": invoice.type_code.name.lower(),
        "totals": {term: _money_text(getattr(totals, name)) for term, name in _bt_fields()},
        "vat_breakdown": [
            {
                "category": entry.category.value,
                "rate": None if entry.rate is None else _plain(entry.rate),
                "taxable": _plain(entry.taxable_amount.amount),
                "tax": _plain(entry.tax_amount.amount),
            }
            for entry in totals.vat_breakdown
        ],
        "vat_in_tax_currency": None
        if in_tax_currency is None
        else {"currency": in_tax_currency.currency.code, "BT-111": _plain(in_tax_currency.amount)},
        "line_net_amounts": [_plain(net.amount) for net in totals.line_net_amounts],
    }


def _label(name: str) -> str:
    words = name.replace("_", " ").capitalize().split(" ")
    return " ".join("VAT" if word == "vat" else word for word in words)


def _totals_text(invoice: Invoice, locale: str) -> list[str]:
    from backoffice.core.l10n import format_money, format_percent
    from backoffice.core.money import Rate

    totals = invoice.totals
    kind = invoice.type_code.name.replace("_", " ").capitalize()
    out = [f"{kind} in {totals.currency.code}", ""]

    net_rows = [
        (line.id, format_money(net, locale))
        for line, net in zip(invoice.lines, totals.line_net_amounts, strict=True)
    ]
    rows: list[tuple[str, str]] = []
    for term, name in _bt_fields():
        amount = getattr(totals, name)
        if amount is not None:
            rows.append((f"{_label(name)} ({term})", format_money(amount, locale)))
    vat_rows = [
        (
            entry.category.value,
            "-" if entry.rate is None else format_percent(Rate.percent(entry.rate), locale),
            format_money(entry.taxable_amount, locale),
            format_money(entry.tax_amount, locale),
        )
        for entry in totals.vat_breakdown
    ]
    width = max(len(text) for text in [r[1] for r in net_rows + rows] + [r[3] for r in vat_rows])
    label_width = max(len(label) for label, _ in rows)

    out.append("Line net amounts (BT-131)")
    id_width = max(len(line_id) for line_id, _ in net_rows)
    out.extend(f"  line {line_id:<{id_width}}  {text:>{width}}" for line_id, text in net_rows)
    out += ["", "Totals"]
    out.extend(f"  {label:<{label_width}}  {text:>{width}}" for label, text in rows)
    out += ["", "VAT breakdown (BG-23)"]
    headers = ("Category", "Rate", "Taxable amount", "Tax amount")
    widths = [max(len(h), *(len(row[i]) for row in vat_rows)) for i, h in enumerate(headers)]
    widths[2] = max(widths[2], width)
    widths[3] = max(widths[3], width)
    out.append(
        f"  {headers[0]:<{widths[0]}}  {headers[1]:>{widths[1]}}  "
        f"{headers[2]:>{widths[2]}}  {headers[3]:>{widths[3]}}"
    )
    out.extend(
        f"  {c:<{widths[0]}}  {r:>{widths[1]}}  {t:>{widths[2]}}  {x:>{widths[3]}}"
        for c, r, t, x in vat_rows
    )
    return out


def _invoice_totals(args: argparse.Namespace) -> int:
    import json

    from backoffice.core.l10n import normalize_locale
    from backoffice.errors import BackofficeError, Problem, UnknownLocale, ValidationError

    prog = "backoffice invoice totals"
    name = "standard input" if args.file == "-" else args.file
    try:
        locale = normalize_locale(args.locale)
    except UnknownLocale as exc:
        print(f"{prog}: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    try:
        text = _read_text(args.file)
    except OSError as exc:
        print(f"{prog}: cannot read {name}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    except UnicodeDecodeError:
        print(f"{prog}: {name} is not UTF-8 text", file=sys.stderr)
        return EXIT_USAGE
    try:
        json.loads(text)
    except ValueError as exc:
        print(f"{prog}: {name} is not JSON: {exc}", file=sys.stderr)
        return EXIT_USAGE

    from backoffice.invoicing.schema import invoice_from_json

    try:
        invoice = invoice_from_json(text)
    except ValidationError as exc:
        problems = list(exc.problems)
    except BackofficeError as exc:  # a problem reported without its path
        problems = [Problem.from_error("", exc)]
    else:
        if args.json:
            print(json.dumps(totals_to_dict(invoice), ensure_ascii=False, indent=2))
        else:
            print("\n".join(_totals_text(invoice, locale)))
        return EXIT_OK
    if args.json:
        errors = {"errors": [problem.to_dict() for problem in problems]}
        print(json.dumps(errors, ensure_ascii=False, indent=2))
    else:
        print(f"{prog}: {name} is not a valid invoice:", file=sys.stderr)
        for problem in problems:
            print(f"  {_located(problem, locale)}", file=sys.stderr)
    return EXIT_FAILURE


def _invoice_schema(args: argparse.Namespace) -> int:
    import json

    from backoffice.invoicing.schema import invoice_json_schema

    text = json.dumps(invoice_json_schema(), ensure_ascii=False, indent=2, sort_keys=True)
    if args.output is None:
        print(text)
        return EXIT_OK
    try:
        with open(args.output, "w", encoding="utf-8") as file:
            file.write(text + "\n")
    except OSError as exc:
        print(
            f"backoffice invoice schema: cannot write {args.output}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _run(parser, args)
    except BrokenPipeError:
        # The reader went away (``backoffice invoice schema | head``): stop quietly.
        import contextlib
        import os

        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILURE


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.command == "taxid":
        return _taxid_check(args)
    if args.command == "invoice":
        if args.invoice_command == "totals":
            return _invoice_totals(args)
        return _invoice_schema(args)
    if args.command == "einvoice":
        from backoffice.cli_einvoice import run

        return run(args)
    if args.command == "payroll":
        from backoffice.cli_payroll import run as run_payroll

        return run_payroll(args)
    if args.command == "compliance":
        from backoffice.cli_compliance import run as run_compliance

        return run_compliance(args)
    if args.command == "audit":
        from backoffice.cli_audit import run as run_audit

        return run_audit(args)
    if args.command == "demo":
        from backoffice.demo import run_demo
        from backoffice.errors import BackofficeError

        try:
            run_demo(locale=args.locale, write=print, db=args.db)
        except BackofficeError as exc:
            print(f"backoffice demo: {exc.message}", file=sys.stderr)
            usage = exc.code in ("l10n.unknown_locale", "storage.unsupported_url")
            return EXIT_USAGE if usage else EXIT_FAILURE
        return EXIT_OK
    parser.print_help()
    return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
