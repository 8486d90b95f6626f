"""backoffice compliance check: the findings on an invoice and the exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from compliance_samples import data

from backoffice.cli import main

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "invoice.json"


def _file(tmp_path: Path, content: Any) -> str:
    path = tmp_path / "invoice.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
    return str(path)


def test_a_compliant_invoice_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compliance", "check", _file(tmp_path, data()), "--jurisdiction", "FR"]) == 0
    out = capsys.readouterr().out
    assert "invoice checked on 2026-10-15 against" in out
    assert "0 error(s), 0 warning(s), 0 info(s)" in out


def test_an_error_finding_exits_1_with_its_path_and_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    subject = data(seller__vat_id=None)
    args = ["compliance", "check", _file(tmp_path, subject), "--jurisdiction", "FR"]
    assert main([*args, "--locale", "fr"]) == 1
    out = capsys.readouterr().out
    assert "error   FR-INV-006 [seller.vat_id]: Le numéro d'identification à la TVA" in out
    assert "Code général des impôts, annexe II, article 242 nonies A, I" in out


def test_warnings_only_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    subject = data(business_process=None)
    args = ["compliance", "check", _file(tmp_path, subject), "--jurisdiction", "FR", "--json"]
    assert main([*args, "--locale", "pt_BR"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["counts"] == {"error": 0, "warning": 1, "info": 0}
    [finding] = report["findings"]
    assert finding["rule"] == "FR-INV-022"
    assert finding["message"].startswith("A fatura informa a categoria das operações")


def test_the_eu_jurisdiction_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    subject = data(
        lines=[{**data()["lines"][0], "vat_category": "AE", "vat_rate": "0"}],
        vat_exemptions=[{"category": "AE", "reason": "Reverse charge"}],
        seller__vat_id=None,
    )
    args = ["compliance", "check", _file(tmp_path, subject), "--jurisdiction", "EU", "--json"]
    assert main(args) == 1
    report = json.loads(capsys.readouterr().out)
    assert [(f["rule"], f["path"]) for f in report["findings"]] == [("EU-VAT-001", "seller.vat_id")]


def test_the_shipped_example_is_a_draft(capsys: pytest.CaptureFixture[str]) -> None:
    # a draft has no number nor issue date yet: the rules run for the day given, and
    # say what issuing it will add
    args = ["compliance", "check", str(EXAMPLE), "--jurisdiction", "FR", "--on", "2026-11-30"]
    assert main([*args, "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["on"] == "2026-11-30"
    assert [(f["rule"], f["severity"], f["path"]) for f in report["findings"]] == [
        ("FR-INV-001", "error", "number"),
        ("FR-INV-002", "error", "issue_date"),
        ("FR-INV-020", "warning", "buyer.legal_id"),
        ("FR-INV-022", "warning", "business_process"),
    ]
    assert main(["compliance", "check", str(EXAMPLE), "--jurisdiction", "FR"]) == 1
    assert "draft checked on" in capsys.readouterr().out


def test_an_invalid_invoice_exits_1_with_its_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    subject = data(lines=[{**data()["lines"][0], "vat_rate": "-1"}])
    assert main(["compliance", "check", _file(tmp_path, subject), "--jurisdiction", "FR"]) == 1
    assert "lines.0.vat_rate" in capsys.readouterr().err
    args = ["compliance", "check", _file(tmp_path, subject), "--jurisdiction", "FR", "--json"]
    assert main(args) == 1
    assert json.loads(capsys.readouterr().out)["errors"][0]["path"] == "lines.0.vat_rate"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.json", "--jurisdiction", "FR"], "cannot read"),
        (["{file}", "--jurisdiction", "XX"], "no invoice rule applies in 'XX'"),
        (["{file}", "--jurisdiction", "FR", "--locale", "xx_YY"], "xx_YY"),
        (["{file}", "--jurisdiction", "FR", "--on", "30/11/2026"], "is not a date"),
        (["{bad}", "--jurisdiction", "FR"], "is not JSON"),
    ],
)
def test_usage_errors_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    good = _file(tmp_path, data())
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", "utf-8")
    filled = [arg.format(file=good, bad=bad) for arg in args]
    assert main(["compliance", "check", *filled]) == 2
    assert message in capsys.readouterr().err


def test_a_missing_jurisdiction_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["compliance", "check", str(EXAMPLE)])
    assert stopped.value.code == 2
    assert "--jurisdiction" in capsys.readouterr().err
