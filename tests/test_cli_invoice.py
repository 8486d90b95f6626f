"""``backoffice invoice totals`` and ``backoffice invoice schema``.

The sample invoice, examples/invoice.json, by hand (EUR, half up):

* line 1: 10 h x 120.00 = 1200.00, less a 10 % allowance of 1200.00 (120.00)
  = 1080.00, VAT S 20 %;
* line 2: 3 x 24.90 = 74.70, VAT S 5.5 %;
* BT-106 = 1080.00 + 74.70 = 1154.70; no document allowance (BT-107 absent);
  a 15.00 shipping charge at S 20 % (BT-108 = 15.00);
* BT-109 = 1154.70 + 15.00 = 1169.70;
* S 20 %: taxable 1080.00 + 15.00 = 1095.00, tax 219.00;
  S 5.5 %: taxable 74.70, tax 4.1085 -> 4.11;
* BT-110 = 219.00 + 4.11 = 223.11; BT-112 = 1169.70 + 223.11 = 1392.81;
* BT-113 = 500.00 paid; BT-115 = 1392.81 - 500.00 = 892.81.
"""

from __future__ import annotations

import importlib
import importlib.util
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from backoffice.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "invoice.json"

EXPECTED_JSON = {
    "currency": "EUR",
    "document_type": "invoice",
    "totals": {
        "BT-106": "1154.70",
        "BT-107": None,
        "BT-108": "15.00",
        "BT-109": "1169.70",
        "BT-110": "223.11",
        "BT-111": None,
        "BT-112": "1392.81",
        "BT-113": "500.00",
        "BT-114": None,
        "BT-115": "892.81",
    },
    "vat_breakdown": [
        {"category": "S", "rate": "20", "taxable": "1095.00", "tax": "219.00"},
        {"category": "S", "rate": "5.5", "taxable": "74.70", "tax": "4.11"},
    ],
    "vat_in_tax_currency": None,
    "line_net_amounts": ["1080.00", "74.70"],
}

EXPECTED_TEXT = """\
Invoice in EUR

Line net amounts (BT-131)
  line 1  €1,080.00
  line 2     €74.70

Totals
  Sum of line nets (BT-106)   €1,154.70
  Charges (BT-108)               €15.00
  Total without VAT (BT-109)  €1,169.70
  Total VAT (BT-110)            €223.11
  Total with VAT (BT-112)     €1,392.81
  Prepaid (BT-113)              €500.00
  Amount due (BT-115)           €892.81

VAT breakdown (BG-23)
  Category  Rate  Taxable amount  Tax amount
  S          20%       €1,095.00     €219.00
  S         5.5%          €74.70       €4.11
"""


def sample() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SAMPLE.read_text(encoding="utf-8"))
    return data


def write(path: Path, data: object) -> str:
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


# ---------------------------------------------------------------------------------------
# totals
# ---------------------------------------------------------------------------------------


def test_totals_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["invoice", "totals", str(SAMPLE)]) == 0
    captured = capsys.readouterr()
    assert captured.out == EXPECTED_TEXT
    assert captured.err == ""


def test_the_reference_page_shows_the_real_output() -> None:
    page = (ROOT / "docs" / "reference" / "cli.md").read_text(encoding="utf-8")
    assert "$ backoffice invoice totals examples/invoice.json\n" + EXPECTED_TEXT in page
    shown = page.split("```json\n", 1)[1].split("```", 1)[0]
    assert json.loads(shown) == EXPECTED_JSON


def test_totals_text_in_french(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["invoice", "totals", str(SAMPLE), "--locale", "fr_FR"]) == 0
    out = capsys.readouterr().out
    # babel's French: a narrow no-break space between thousands, a no-break space
    # before the euro sign and the percent sign
    assert "  Amount due (BT-115)           892,81\u00a0€\n" in out
    assert "  Total with VAT (BT-112)     1\u202f392,81\u00a0€\n" in out
    assert "  S         5,5\u00a0%         74,70\u00a0€      4,11\u00a0€\n" in out


def test_totals_text_in_brazilian_portuguese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["invoice", "totals", str(SAMPLE), "--locale", "pt_BR"]) == 0
    out = capsys.readouterr().out
    assert "€\u00a01.392,81" in out
    assert "  S         5,5%         €\u00a074,70      €\u00a04,11\n" in out


def test_totals_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["invoice", "totals", str(SAMPLE), "--json"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out) == EXPECTED_JSON
    # amounts are decimal strings, never JSON numbers
    assert "1154.70" in out and ": 1154.7" not in out


def test_totals_json_keys_follow_the_en16931_metadata() -> None:
    import attrs

    from backoffice.cli import _bt_fields
    from backoffice.invoicing.totals import DocumentTotals

    terms = [term for term, _ in _bt_fields()]
    assert terms == [f"BT-{number}" for number in range(106, 116)]
    names = {field.name: field.metadata.get("en16931") for field in attrs.fields(DocumentTotals)}
    assert all(names[name] == term for term, name in _bt_fields())


def test_totals_of_a_credit_note_with_a_vat_accounting_currency(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = sample()
    data.update(
        type_code="381",
        preceding=[{"number": "F-2026-0007"}],
        tax_currency="USD",
        exchange_rate="1.0823",
    )
    del data["prepaid"]
    path = write(tmp_path / "credit.json", data)
    assert main(["invoice", "totals", path, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["document_type"] == "credit_note"
    # BT-111 = 223.11 x 1.0823 = 241.471953 -> 241.47 USD
    assert result["vat_in_tax_currency"] == {"currency": "USD", "BT-111": "241.47"}
    assert result["totals"]["BT-111"] == "241.47"
    # nothing paid: BT-113 absent, BT-115 = BT-112
    assert result["totals"]["BT-113"] is None
    assert result["totals"]["BT-115"] == result["totals"]["BT-112"] == "1392.81"

    assert main(["invoice", "totals", path]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Credit note in EUR\n")
    assert "Total VAT in tax currency (BT-111)    $241.47\n" in out
    assert "Prepaid" not in out


def test_totals_from_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = io.BytesIO(SAMPLE.read_bytes())
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(raw, encoding="utf-8"))
    assert main(["invoice", "totals", "-", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == EXPECTED_JSON

    monkeypatch.setattr(sys, "stdin", io.StringIO(SAMPLE.read_text(encoding="utf-8")))
    assert main(["invoice", "totals", "-"]) == 0
    assert capsys.readouterr().out == EXPECTED_TEXT


# ---------------------------------------------------------------------------------------
# invalid invoices: exit 1, every problem at its path
# ---------------------------------------------------------------------------------------


def test_a_float_amount_is_refused_at_its_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = sample()
    data["lines"][0]["price"] = 120.5
    path = write(tmp_path / "float.json", data)

    assert main(["invoice", "totals", path]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"{path} is not a valid invoice" in captured.err
    assert "  lines.0.price: " in captured.err
    assert 'write this number as a string, e.g. "120.5"' in captured.err

    assert main(["invoice", "totals", path, "--json"]) == 1
    captured = capsys.readouterr()
    errors = json.loads(captured.out)["errors"]
    assert [(error["path"], error["code"]) for error in errors] == [
        ("lines.0.price", "value.invalid")
    ]
    assert captured.err == ""


def test_an_unknown_vat_category_is_refused_at_its_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = sample()
    data["lines"][1]["vat_category"] = "Q"
    path = write(tmp_path / "category.json", data)

    assert main(["invoice", "totals", path, "--json"]) == 1
    errors = json.loads(capsys.readouterr().out)["errors"]
    assert [error["path"] for error in errors] == ["lines.1.vat_category"]
    assert "unknown vat category 'Q'" in errors[0]["message"]

    assert main(["invoice", "totals", path, "--locale", "fr_FR"]) == 1
    assert "  lines.1.vat_category: " in capsys.readouterr().err


def test_errors_of_form_come_first_then_errors_of_content(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = sample()
    data["lines"][0]["price"] = 120.5
    data["lines"][1]["vat_category"] = "Q"
    data["prepaid"] = "1.234"
    path = write(tmp_path / "both.json", data)
    assert main(["invoice", "totals", path, "--json"]) == 1
    errors = json.loads(capsys.readouterr().out)["errors"]
    assert [error["path"] for error in errors] == ["lines.0.price"]  # the float: form
    data["lines"][0]["price"] = "120.50"
    write(tmp_path / "both.json", data)
    assert main(["invoice", "totals", path, "--json"]) == 1
    errors = json.loads(capsys.readouterr().out)["errors"]
    assert sorted(error["path"] for error in errors) == ["lines.1.vat_category", "prepaid"]


def test_several_problems_are_all_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = sample()
    data["lines"][0]["price"] = 120.5
    data["allowances_charges"][0]["amount"] = 15.25
    del data["seller"]
    path = write(tmp_path / "three.json", data)
    assert main(["invoice", "totals", path, "--json"]) == 1
    errors = json.loads(capsys.readouterr().out)["errors"]
    assert sorted(error["path"] for error in errors) == [
        "allowances_charges.0.amount",
        "lines.0.price",
        "seller",
    ]
    assert main(["invoice", "totals", path]) == 1
    err = capsys.readouterr().err
    for where in ("lines.0.price: ", "allowances_charges.0.amount: ", "seller: "):
        assert f"  {where}" in err


def test_an_amount_with_too_many_decimals_fails_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = sample()
    data["prepaid"] = "500.005"
    path = write(tmp_path / "decimals.json", data)
    assert main(["invoice", "totals", path]) == 1
    assert "500.005 has more than 2 decimal(s)" in capsys.readouterr().err
    assert main(["invoice", "totals", path, "--json"]) == 1
    (error,) = json.loads(capsys.readouterr().out)["errors"]
    assert error["code"] == "value.too_many_decimals"


def test_json_that_is_not_an_object_is_an_invalid_invoice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "list.json", [1, 2])
    assert main(["invoice", "totals", path]) == 1
    assert "  invoice: must be a JSON object" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------
# files that cannot be read: exit 2
# ---------------------------------------------------------------------------------------


def test_a_missing_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(tmp_path / "nowhere.json")
    assert main(["invoice", "totals", path, "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"cannot read {path}: No such file or directory" in captured.err


def test_a_directory_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["invoice", "totals", str(tmp_path)]) == 2
    assert f"cannot read {tmp_path}" in capsys.readouterr().err


def test_a_file_that_is_not_json_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"currency": "EUR",', encoding="utf-8")
    assert main(["invoice", "totals", str(path)]) == 2
    assert f"{path} is not JSON: " in capsys.readouterr().err

    path.write_bytes(b'{"name": "\xe9t\xe9"}')  # Latin-1
    assert main(["invoice", "totals", str(path), "--json"]) == 2
    assert f"{path} is not UTF-8 text" in capsys.readouterr().err


def test_standard_input_that_is_not_json_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("currency: EUR"))
    assert main(["invoice", "totals", "-"]) == 2
    assert "standard input is not JSON" in capsys.readouterr().err


def test_an_unknown_locale_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["invoice", "totals", str(SAMPLE), "--locale", "xx_YY"]) == 2
    assert "unknown locale" in capsys.readouterr().err


def test_missing_arguments_are_usage_errors() -> None:
    for argv in (["invoice"], ["invoice", "totals"], ["invoice", "nope"]):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 2


# ---------------------------------------------------------------------------------------
# schema
# ---------------------------------------------------------------------------------------


def test_schema_is_printed_sorted_and_describes_the_sample(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["invoice", "schema"]) == 0
    out = capsys.readouterr().out
    schema = json.loads(out)
    assert schema["title"] == "Invoice"
    assert out == json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    invoice = sample()
    assert set(invoice) <= set(schema["properties"])
    assert set(schema["required"]) <= set(invoice)
    assert schema["additionalProperties"] is False
    if importlib.util.find_spec("jsonschema") is not None:  # pragma: no cover
        importlib.import_module("jsonschema").validate(invoice, schema)


def test_schema_written_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "invoice.schema.json"
    assert main(["invoice", "schema", "-o", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["title"] == "Invoice"

    assert main(["invoice", "schema", "--output", str(tmp_path / "no" / "such.json")]) == 2
    assert "cannot write" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------
# the installed command
# ---------------------------------------------------------------------------------------


def test_the_console_script_computes_the_sample() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "backoffice", "invoice", "totals", str(SAMPLE), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == EXPECTED_JSON


def test_the_console_script_reads_standard_input_and_reports_problems() -> None:
    data = sample()
    data["lines"][1]["vat_category"] = "Q"
    done = subprocess.run(
        [sys.executable, "-m", "backoffice", "invoice", "totals", "-"],
        input=json.dumps(data),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "standard input is not a valid invoice" in done.stderr
    assert "Traceback" not in done.stderr


def test_importing_the_command_line_stays_light() -> None:
    code = (
        "import sys, backoffice.cli\n"
        "heavy = [m for m in ('pydantic', 'babel', 'backoffice.invoicing') if m in sys.modules]\n"
        "print(heavy)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
