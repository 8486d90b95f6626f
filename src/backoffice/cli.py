"""The ``backoffice`` command. Thin: it parses arguments and calls the library."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from backoffice._version import __version__

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
        "locale formatting, quantities and payment dates.",
    )
    demo.add_argument(
        "--db",
        default="sqlite:///backoffice-demo.db",
        help="store for the stock part: sqlite:///path (default: backoffice-demo.db here), "
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
    return parser


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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "taxid":
        return _taxid_check(args)
    if args.command == "demo":
        from backoffice.demo import run_demo
        from backoffice.errors import BackofficeError

        try:
            run_demo(locale=args.locale, write=print, db=args.db)
        except BackofficeError as exc:
            print(f"backoffice demo: {exc.message}", file=sys.stderr)
            return EXIT_USAGE if exc.code == "l10n.unknown_locale" else EXIT_FAILURE
        return EXIT_OK
    parser.print_help()
    return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
