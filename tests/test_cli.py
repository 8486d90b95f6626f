from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from backoffice import Money
from backoffice.cli import main
from backoffice.demo import run_demo


@pytest.fixture(autouse=True)
def _in_a_temporary_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo writes its SQLite file in the current directory: keep it out of the
    checkout."""
    monkeypatch.chdir(tmp_path)


def test_demo_prints_the_order_and_is_deterministic(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    first = capsys.readouterr().out
    assert main(["demo"]) == 0
    assert capsys.readouterr().out == first
    assert "257,62\u00a0€" in first  # the order total, in French format
    assert "85,88\u00a0€ + 85,87\u00a0€ + 85,87\u00a0€ = 257,62\u00a0€" in first
    assert "31 mars 2026" in first and "17 mars 2026" in first
    assert "[value.float_not_allowed]" in first


@pytest.mark.parametrize(
    ("locale", "total", "error_text"),
    [
        ("pt_BR", "€\u00a0257,62", "não aceita número de ponto flutuante"),
        ("en_US", "€257.62", "does not accept a float"),
        ("fr_FR", "257,62\u00a0€", "n'accepte pas de nombre à virgule flottante"),
    ],
)
def test_demo_speaks_the_chosen_locale(locale: str, total: str, error_text: str) -> None:
    lines: list[str] = []
    result = run_demo(locale, lines.append)
    text = "\n".join(lines)
    assert result == Money("257.62", "EUR")
    assert total in text
    assert error_text in text


def test_unknown_locale_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--locale", "xx_YY"]) == 2
    assert "unknown locale" in capsys.readouterr().err


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "demo" in capsys.readouterr().out


def test_the_installed_module_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "backoffice", "--version"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert done.stdout.startswith("backoffice ")


def test_taxid_check_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    code = main(["taxid", "check", "FR40303265045", "DE136695976", "--json"])
    assert code == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["valid"] for row in rows] == [True, True]
    first = rows[0]
    assert {k: first[k] for k in ("input", "country", "kind", "compact", "formatted")} == {
        "input": "FR40303265045",
        "country": "FR",
        "kind": "tva",
        "compact": "40303265045",
        "formatted": "FR40303265045",
    }


def test_taxid_check_reports_invalid_values_and_masks_personal_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import json

    code = main(
        ["taxid", "check", "390.533.447-05", "390.533.447-06", "--country", "BR",
         "--kind", "cpf", "--json", "--locale", "pt_BR"]
    )  # fmt: skip
    assert code == 1
    out = capsys.readouterr().out
    assert "390.533" not in out and "39053344" not in out
    valid, invalid = json.loads(out)
    assert valid["valid"] is True and valid["formatted"] == "***.***.***-05"
    assert invalid["error_code"] == "taxid.invalid_checksum"
    assert invalid["check"] == "checksum"
    assert "dígitos verificadores" in invalid["message"]


def test_taxid_check_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["taxid", "check", "123", "--country", "FR", "--kind", "nope"]) == 2
    assert "nope" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["taxid", "check"])
    assert info.value.code == 2


def test_taxid_check_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["taxid", "check", "732829320", "--country", "FR"]) == 0
    assert capsys.readouterr().out.startswith("valid    732 829 320")


def test_demo_runs_twice_on_the_same_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path}/demo.db"
    assert main(["demo", "--db", url, "--locale", "en_US"]) == 0
    first = capsys.readouterr().out
    assert main(["demo", "--db", url, "--locale", "en_US"]) == 0
    assert capsys.readouterr().out == first
    assert "TOMATO  on hand 9.5 kg, available 9.5 kg" in first
    # FEFO skips the expired lot and takes the lot that expires first, not the first
    # received; crêpes are a kit limited by their scarcest ingredient (4 L / 0.25 L)
    assert "(L-0130 is past its date): 6 L of L-0203, 2 L of L-0210" in first
    assert "Crêpes the kitchen can make: 16" in first
    # FIFO cost flow: 2 L left of the 0.98 receipt and 2 L of the 0.95 one
    assert "Milk left: 4 L, worth €3.86 (FIFO)" in first
    assert "Balances match the journal: yes" in first


def test_demo_on_the_memory_store(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--db", "memory://"]) == 0
    assert "on memory://" in capsys.readouterr().out
