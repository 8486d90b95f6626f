"""backoffice payroll payslip."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from backoffice.cli import main


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["payroll", "payslip", *args, "--json"]) == 0
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return report


def test_a_brazilian_payslip_prints_inss_irrf_and_fgts(capsys: pytest.CaptureFixture[str]) -> None:
    report = _json(capsys, "--country", "BR", "--period", "2025-06", "--gross", "3500.00")
    lines = {line["code"]: line for line in report["lines"]}
    assert list(lines) == ["INSS", "IRRF", "FGTS"]
    # INSS 2025: 1518.00 × 7.5 % + 1275.88 × 9 % + 706.12 × 12 % = 113.85 + 114.8292 +
    # 84.7344 = 313.4136 -> 313.41; IRRF (June): legal base 3500 - 313.41 = 3186.59,
    # simplified 3500 - 607.20 = 2892.80 (lower tax): 2892.80 × 15 % - 394.16 = 39.76
    assert (lines["INSS"]["amount"], lines["IRRF"]["amount"]) == ("313.41", "39.76")
    assert lines["FGTS"] == {
        "code": "FGTS", "label": "Severance fund (FGTS)", "base": "3500.00", "rate": "8",
        "amount": "280.00", "side": "employer",
    }  # fmt: skip
    assert (report["net"], report["employer_cost"]) == ("3146.83", "3780.00")


def test_a_french_payslip_adds_up(capsys: pytest.CaptureFixture[str]) -> None:
    report = _json(
        capsys, "--country", "FR", "--period", "2025-06", "--gross", "2500", "--headcount", "10"
    )
    lines = report["lines"]
    employee = sum(Decimal(x["amount"]) for x in lines if x["side"] == "employee")
    employer = sum(Decimal(x["amount"]) for x in lines if x["side"] == "employer")
    assert Decimal(report["employee_contributions"]) == employee
    assert Decimal(report["employer_contributions"]) == employer
    assert Decimal(report["net"]) == Decimal("2500.00") - employee
    assert report["net"] == "1978.99"


def test_a_period_without_parameters_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["payroll", "payslip", "--country", "BR", "--period", "2024-06", "--gross", "3000"])
        == 1
    )
    assert "backoffice payroll:" in capsys.readouterr().err
    assert (
        main(["payroll", "payslip", "--country", "FR", "--period", "2025-06", "--gross", "-1"]) == 1
    )
    assert main(["payroll", "payslip", "--country", "FR", "--period", "June", "--gross", "1"]) == 2


def test_the_text_output_prints_every_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["payroll", "payslip", "--country", "BR", "--period", "2026-01", "--gross", "4000"])
        == 0
    )
    out = capsys.readouterr().out
    assert "BR payslip 2026-01" in out and "IRRF" in out and "net " in out
