"""backoffice einvoice validate and convert."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from samples import french_invoice

from backoffice.cli import main
from backoffice.einvoice import read, write

TERMS = ["BT-106", "BT-107", "BT-108", "BT-109", "BT-110", "BT-112", "BT-113", "BT-114", "BT-115"]


def test_validate_prints_the_json_contract(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "invoice.xml"
    path.write_bytes(write(french_invoice(), "ubl"))
    assert main(["einvoice", "validate", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["format"], report["document_type"], report["currency"]) == (
        "ubl",
        "invoice",
        "EUR",
    )
    assert list(report["stated_totals"]) == TERMS == list(report["computed_totals"])
    # 49.00 + 12.00 = 61.00 lines; + 5.00 charge = 66.00; VAT 4.90 + 3.40 = 8.30
    assert report["stated_totals"]["BT-109"] == "66.00"
    assert report["computed_totals"]["BT-112"] == "74.30"
    assert report["stated_totals"]["BT-107"] is None
    assert report["vat_breakdown"] == [
        {"category": "S", "rate": "10", "taxable": "49.00", "tax": "4.90"},
        {"category": "S", "rate": "20", "taxable": "17.00", "tax": "3.40"},
    ]
    assert report["findings"] == []


def test_validate_fails_on_a_fatal_rule_with_its_location(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xml = write(french_invoice(), "cii").replace(b"<ram:Name>Cr", b"<ram:Name>Cr", 1)
    xml = xml.replace(b"66.00</ram:TaxBasisTotalAmount>", b"66.01</ram:TaxBasisTotalAmount>")
    path = tmp_path / "broken.xml"
    path.write_bytes(xml)
    assert main(["einvoice", "validate", str(path), "--json", "--locale", "fr_FR"]) == 1
    report = json.loads(capsys.readouterr().out)
    rules = {finding["rule"]: finding for finding in report["findings"]}
    assert "BR-CO-13" in rules
    assert rules["BR-CO-13"]["severity"] == "fatal"
    assert "TaxBasisTotalAmount" in rules["BR-CO-13"]["location"]
    assert report["stated_totals"]["BT-109"] == "66.01"
    assert report["computed_totals"]["BT-109"] == "66.00"


def test_validate_prints_a_readable_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "invoice.xml"
    path.write_bytes(write(french_invoice(), "cii"))
    assert main(["einvoice", "validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "CII invoice F2026-000001, EUR" in out
    assert "0 finding(s), 0 fatal" in out


@pytest.mark.parametrize(
    "content", [b"", b"<x>", b"<!DOCTYPE x [<!ENTITY a SYSTEM 'file:///etc/passwd'>]><x>&a;</x>"]
)
def test_unreadable_files_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    path = tmp_path / "bad.xml"
    path.write_bytes(content)
    assert main(["einvoice", "validate", str(path), "--json"]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert main(["einvoice", "validate", str(tmp_path / "missing.xml")]) == 2


def test_convert_writes_the_other_syntax(tmp_path: Path) -> None:
    source = tmp_path / "invoice.xml"
    source.write_bytes(write(french_invoice(), "ubl"))
    target = tmp_path / "invoice-cii.xml"
    assert main(["einvoice", "convert", str(source), "--to", "cii", "-o", str(target)]) == 0
    converted = read(target.read_bytes())
    assert converted.syntax == "cii" and converted.ok
    assert converted.invoice == french_invoice()


def test_the_console_script_runs(tmp_path: Path) -> None:
    path = tmp_path / "invoice.xml"
    path.write_bytes(write(french_invoice(), "ubl"))
    done = subprocess.run(
        [sys.executable, "-m", "backoffice", "einvoice", "validate", str(path), "--json"],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["format"] == "ubl"
