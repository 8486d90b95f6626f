"""``backoffice payroll payslip``: one employee's payslip for a month."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Final

__all__ = ["add_commands", "run"]

EXIT_OK: Final = 0
EXIT_FAILURE: Final = 1
EXIT_USAGE: Final = 2


def add_commands(commands: Any) -> None:
    """Add the ``payroll`` command and its actions to ``commands``."""
    payroll = commands.add_parser(
        "payroll",
        help="payslips: France and Brazil",
        description="Compute payslips with the France and Brazil packs.",
    )
    actions = payroll.add_subparsers(dest="payroll_command", metavar="ACTION", required=True)
    payslip = actions.add_parser(
        "payslip",
        help="compute one payslip",
        description="Compute one employee's payslip for a month and print every line. "
        "Exit code 0 when computed, 1 when the input is refused (no parameters for the "
        "period, a negative gross...), 2 on a usage error.",
    )
    payslip.add_argument("--country", required=True, choices=("FR", "BR"))
    payslip.add_argument("--period", required=True, metavar="YYYY-MM", help="the month worked")
    payslip.add_argument(
        "--gross", required=True, metavar="AMOUNT", help="monthly gross, e.g. 2500.00"
    )
    payslip.add_argument(
        "--category", default="non-cadre", choices=("non-cadre", "cadre"), help="France"
    )
    payslip.add_argument(
        "--headcount", type=int, default=1, help="France: the company's number of employees"
    )
    payslip.add_argument(
        "--at-mp", default="1.5", metavar="PERCENT", help="France: the AT/MP rate, default 1.5"
    )
    payslip.add_argument("--dependants", type=int, default=0, help="Brazil: IRRF dependants")
    payslip.add_argument(
        "--payment-date",
        metavar="YYYY-MM-DD",
        help="Brazil: when the pay is paid (IRRF follows it); default the 5th of the next month",
    )
    payslip.add_argument("--json", action="store_true", help="print one JSON object")
    payslip.add_argument("--locale", default="en", help="language of the labels: en, fr_FR, pt_BR")


def _month(text: str) -> Any:
    from backoffice.core.time import Period

    year, month = (int(part) for part in text.split("-"))
    return Period.month(year, month)


def _compute(args: argparse.Namespace) -> Any:
    from datetime import date

    from backoffice.core.money import Money, Rate
    from backoffice.core.time import add_months

    period = _month(args.period)
    if args.country == "FR":
        from backoffice.payroll import fr

        employee = fr.Employee("employee", args.category, headcount=args.headcount)
        inputs = fr.FranceInputs(Money(args.gross, "EUR"), Rate.percent(args.at_mp))
        return fr.calculate(employee, period, inputs)
    from backoffice.payroll import br

    if args.payment_date:
        paid = date.fromisoformat(args.payment_date)
    else:
        paid = add_months(period.start, 1).replace(day=5)
    return br.calculate(
        br.Employee("employee", args.dependants),
        period,
        br.BrazilInputs(Money(args.gross, "BRL"), paid),
    )


def _text(value: Any) -> str | None:
    if value is None:
        return None
    amount = getattr(value, "amount", value)
    return format(amount, "f")


def _rate(value: Any) -> str | None:
    if value is None:
        return None
    percent = getattr(value, "percent_value", value)
    return format(percent, "f")


def run(args: argparse.Namespace) -> int:
    """Run the ``payroll`` action of ``args``."""
    from backoffice.errors import BackofficeError

    try:
        payslip = _compute(args)
    except ValueError as error:
        if isinstance(error, BackofficeError):
            print(f"backoffice payroll: {error.localized(args.locale)}", file=sys.stderr)
            return EXIT_FAILURE
        print(
            f"backoffice payroll: {error}: use --period YYYY-MM and --payment-date YYYY-MM-DD",
            file=sys.stderr,
        )
        return EXIT_USAGE
    except BackofficeError as error:
        print(f"backoffice payroll: {error.localized(args.locale)}", file=sys.stderr)
        return EXIT_FAILURE
    lines = [
        {
            "code": line.code,
            "label": line.label_in(args.locale),
            "base": _text(line.base),
            "rate": _rate(line.rate),
            "amount": _text(line.amount),
            "side": str(line.side.value),
        }
        for line in payslip.lines
    ]
    report = {
        "country": args.country,
        "period": args.period,
        "currency": payslip.gross.currency.code,
        "gross": _text(payslip.gross),
        "net": _text(payslip.net),
        "employee_contributions": _text(payslip.employee_total),
        "employer_contributions": _text(payslip.employer_total),
        "employer_cost": _text(payslip.employer_cost),
        "lines": lines,
        "findings": [finding.message for finding in payslip.findings],
        "fingerprint": payslip.fingerprint,
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"{args.country} payslip {args.period}, gross {report['gross']} {report['currency']}")
    for line in lines:
        rate = f"{line['rate']} %" if line["rate"] is not None else ""
        print(
            f"  {line['code']:<36}{line['side']:<9}{line['base'] or '':>12}{rate:>10}"
            f"{line['amount']:>12}  {line['label']}"
        )
    print(f"  employee contributions {report['employee_contributions']}")
    print(f"  employer contributions {report['employer_contributions']}")
    print(f"  net {report['net']}, employer cost {report['employer_cost']}")
    for finding in report["findings"]:
        print(f"  note: {finding}")
    return EXIT_OK
