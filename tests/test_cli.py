from __future__ import annotations

import subprocess
import sys

import pytest

from backoffice import Money
from backoffice.cli import main
from backoffice.demo import run_demo


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
