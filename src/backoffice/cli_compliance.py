"""``backoffice compliance check``: an invoice in its JSON form against the rule packs."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Final

__all__ = ["add_commands", "run"]

EXIT_OK: Final = 0
EXIT_FAILURE: Final = 1
EXIT_USAGE: Final = 2

_PROG: Final = "backoffice compliance check"


def add_commands(commands: Any) -> None:
    """Add the ``compliance`` command and its actions to ``commands``."""
    compliance = commands.add_parser(
        "compliance",
        help="check documents against rules traced to the law",
        description="Check documents against the built-in compliance rules (France, EU "
        "VAT...), each with its legal reference.",
    )
    actions = compliance.add_subparsers(dest="compliance_command", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check",
        help="check an invoice in its JSON form",
        description="Read an invoice in the library's JSON form and print what the rules "
        "of a jurisdiction find, with the path of each offending field and the legal text. "
        "Exit code 0 when no finding is an error, 1 when one is (or the invoice is not "
        "valid), 2 on a usage error or a file that cannot be read or is not JSON.",
    )
    check.add_argument("file", metavar="FILE", help="the invoice as JSON; - reads standard input")
    check.add_argument(
        "--jurisdiction",
        required=True,
        metavar="CODE",
        help="whose rules: FR (with the EU's), EU, BR, PT...",
    )
    check.add_argument("--json", action="store_true", help="print the report as one JSON object")
    check.add_argument(
        "--locale", default="en", help="language of the messages: en (default), fr, pt_BR"
    )
    check.add_argument(
        "--on",
        metavar="YYYY-MM-DD",
        help="the day to select rules for; default the invoice's issue date, or today for a draft",
    )


def run(args: argparse.Namespace) -> int:
    """Run the ``compliance`` action of ``args``."""
    from datetime import date

    from backoffice.cli import _located, _read_text
    from backoffice.compliance import INVOICE, builtin_rules
    from backoffice.core.l10n import normalize_locale
    from backoffice.core.time import SystemClock
    from backoffice.errors import BackofficeError, Problem, UnknownLocale, ValidationError

    name = "standard input" if args.file == "-" else args.file
    try:
        locale = normalize_locale(args.locale)
    except UnknownLocale as exc:
        _say(f"{_PROG}: {exc.message}", error=True)
        return EXIT_USAGE
    on = None
    if args.on is not None:
        try:
            on = date.fromisoformat(args.on)
        except ValueError:
            _say(f"{_PROG}: --on {args.on!r} is not a date: use YYYY-MM-DD", error=True)
            return EXIT_USAGE
    rules = builtin_rules()
    if not rules.select(jurisdiction=args.jurisdiction, subject=INVOICE):
        _say(
            f"{_PROG}: no invoice rule applies in {args.jurisdiction!r}: try FR or EU",
            error=True,
        )
        return EXIT_USAGE
    try:
        text = _read_text(args.file)
        json.loads(text)
    except OSError as exc:
        _say(f"{_PROG}: cannot read {name}: {exc.strerror or exc}", error=True)
        return EXIT_USAGE
    except UnicodeDecodeError:
        _say(f"{_PROG}: {name} is not UTF-8 text", error=True)
        return EXIT_USAGE
    except ValueError as exc:
        _say(f"{_PROG}: {name} is not JSON: {exc}", error=True)
        return EXIT_USAGE

    from backoffice.invoicing.schema import invoice_from_json

    try:
        invoice = invoice_from_json(text)
    except ValidationError as exc:
        problems = list(exc.problems)
    except BackofficeError as exc:  # a problem reported without its path
        problems = [Problem.from_error("", exc)]
    else:
        if on is None and invoice.issue_date is None:
            on = SystemClock().now().date()
        report = rules.evaluate(invoice, subject=INVOICE, jurisdiction=args.jurisdiction, on=on)
        if args.json:
            _say(report.to_json(locale))
        else:
            _print_report(report, name, invoice.is_draft, locale)
        return EXIT_FAILURE if report.has_errors else EXIT_OK
    if args.json:
        errors = {"errors": [problem.to_dict() for problem in problems]}
        _say(json.dumps(errors, ensure_ascii=False, indent=2))
    else:
        _say(f"{_PROG}: {name} is not a valid invoice:", error=True)
        for problem in problems:
            _say(f"  {_located(problem, locale)}", error=True)
    return EXIT_FAILURE


def _say(text: str, *, error: bool = False) -> None:
    """Write a line to standard output, or to standard error."""
    (sys.stderr if error else sys.stdout).write(text + "\n")


def _print_report(report: Any, name: str, draft: bool, locale: str) -> None:
    assert report.on is not None
    kind = "draft" if draft else "invoice"
    counts = ", ".join(f"{len(report.of(severity))} {severity.value}(s)" for severity in _order())
    _say(f"{name}: {kind} checked on {report.on.isoformat()} against {len(report.checked)} rules")
    _say(f"  {counts}")
    for finding in report:
        where = f" [{finding.path}]" if finding.path else ""
        _say(f"  {finding.severity.value:<7} {finding.rule}{where}: {finding.message(locale)}")
        _say(f"          {finding.reference}")


def _order() -> tuple[Any, ...]:
    from backoffice.compliance import Severity

    return tuple(Severity)
