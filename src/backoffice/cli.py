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
        "--locale",
        default="fr_FR",
        help="locale for the amounts and dates shown: fr_FR (default), pt_BR, en_US...",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "demo":
        from backoffice.demo import run_demo
        from backoffice.errors import BackofficeError

        try:
            run_demo(locale=args.locale, write=print)
        except BackofficeError as exc:
            print(f"backoffice demo: {exc.message}", file=sys.stderr)
            return EXIT_USAGE if exc.code == "l10n.unknown_locale" else EXIT_FAILURE
        return EXIT_OK
    parser.print_help()
    return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
