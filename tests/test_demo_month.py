"""``backoffice demo`` runs a month of the restaurant from the installed command, twice on
the same database, and writes a KPI report whose figures are the store's."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

import backoffice
from backoffice import Money
from backoffice.core import l10n
from backoffice.demo import DEMO_MONTH
from backoffice.invoicing import Invoicing
from backoffice.payroll.records import PayRuns
from backoffice.reporting import CHART_IDS

SVG = "{http://www.w3.org/2000/svg}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def _command() -> list[str]:
    """The installed ``backoffice`` script, else the module run by this interpreter."""
    script = Path(sys.executable).with_name("backoffice")
    return [str(script)] if script.exists() else [sys.executable, "-m", "backoffice"]


def _demo(directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_command(), "demo", *args],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _tiles(root: ET.Element) -> dict[str, str]:
    """The report's headline figures: their ``data-kpi`` name to the value shown."""
    found = {}
    for div in root.iter(f"{XHTML}div"):
        key = div.get("data-kpi")
        if key is not None:
            _, value = list(div)
            found[key] = value.text or ""
    return found


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The demo run twice, in English, on one SQLite file: (directory, outputs)."""
    directory = tmp_path_factory.mktemp("demo-month")
    started = time.monotonic()
    first = _demo(directory, "--locale", "en_US")
    elapsed = time.monotonic() - started
    assert first.returncode == 0, first.stderr
    assert elapsed < 60, f"the demo took {elapsed:.1f} s"
    second = _demo(directory, "--locale", "en_US")
    assert second.returncode == 0, second.stderr
    return directory, first.stdout, second.stdout


def test_a_second_run_on_the_same_database_changes_nothing(
    month: tuple[Path, str, str],
) -> None:
    directory, first, second = month
    assert second == first
    assert (directory / "backoffice-demo.db").exists()
    assert "Report: backoffice-demo-report.html" in first
    store = backoffice.open(f"sqlite:///{directory}/backoffice-demo.db", tenant="demo-restaurant")
    try:
        numbers = [s.number for s in Invoicing(store).invoices() if s.number is not None]
        assert len(numbers) == len(set(numbers)) == 6  # nothing issued twice
        (run,) = PayRuns(store).runs()
        assert run.state == "closed"
        assert len(PayRuns(store).payslips(run.id)) == 4
    finally:
        store.close()


def test_the_month_is_told_step_by_step(month: tuple[Path, str, str]) -> None:
    _, out, _ = month
    for step in range(11, 17):
        assert f"\n{step}. " in out
    assert "Supplier Boucherie de l'Élorn: VAT FR03552081317 valid" in out
    assert "Week 4/4:" in out and "18.75 kg of B-0119" in out  # FEFO by lot
    assert "Cycle count of CHEESE lot C-0320: 0.75 kg counted, adjustment -0.15 kg" in out
    assert "14 stock.low alerts written to the outbox" in out
    assert "Low stock: BEEF" in out and "order 22" in out
    assert "C2026-00001 Mairie de Brest: €885.60" in out and "status paid" in out
    assert "status partially_paid, still due €569.00" in out
    assert "status credited" in out and "Credit note CN-2026-000002: €412.50" in out
    assert "BE-2026-0126 from Boucherie de l'Élorn (UBL" in out and ": valid, 0 finding" in out
    assert "Dishwasher (part time, 60 %)" in out
    assert "Pay run demo-payrun-2026-01 (closed): gross €9,300.00" in out
    assert "Audit journal:" in out and "entries, intact" in out


def test_the_report_is_well_formed_and_has_every_chart(month: tuple[Path, str, str]) -> None:
    directory, _, _ = month
    page = directory / "backoffice-demo-report.html"
    text = page.read_text(encoding="utf-8")
    root = ET.fromstring(text.removeprefix("<!DOCTYPE html>\n"))  # every tag closed
    assert "<script" not in text
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", text), "an external asset"
    charts = {svg.get("id"): svg for svg in root.iter(f"{SVG}svg")}
    assert set(charts) == set(CHART_IDS)
    for chart_id, svg in charts.items():
        title = svg.find(f"{SVG}title")
        assert title is not None and title.text, f"{chart_id} has no title"
        # a bar is as high as a row (legend swatches are 12 high) and wider than nothing
        bars = [
            rect
            for rect in svg.iter(f"{SVG}rect")
            if rect.get("height") == "22" and Decimal(rect.get("width") or "0") > 0
        ]
        assert bars or chart_id == "chart-compliance", f"{chart_id} draws no bar"


def test_the_report_figures_are_the_store_figures(month: tuple[Path, str, str]) -> None:
    directory, _, _ = month
    text = (directory / "backoffice-demo-report.html").read_text(encoding="utf-8")
    tiles = _tiles(ET.fromstring(text.removeprefix("<!DOCTYPE html>\n")))
    store = backoffice.open(f"sqlite:///{directory}/backoffice-demo.db", tenant="demo-restaurant")
    try:
        issued = [s for s in Invoicing(store).invoices() if s.number is not None]
        net = Money.total(
            (
                -s.invoice.totals.total_without_vat
                if s.invoice.is_credit_note
                else s.invoice.totals.total_without_vat
                for s in issued
            ),
            "EUR",
        )
        vat = Money.total(
            (
                -s.invoice.totals.total_vat
                if s.invoice.is_credit_note
                else s.invoice.totals.total_vat
                for s in issued
            ),
            "EUR",
        )
        open_amount = Money.total((s.balance_due for s in issued), "EUR")
        runs = PayRuns(store)
        (run,) = runs.runs()
        slips = runs.payslips(run.id)
    finally:
        store.close()
    assert tiles["revenue"] == l10n.format_money(net, "en_US")
    assert tiles["vat"] == l10n.format_money(vat, "en_US")
    assert tiles["invoices"] == "4" and tiles["credit_notes"] == "2"
    assert tiles["receivables"] == l10n.format_money(open_amount, "en_US")
    assert f"Open on {l10n.format_date(DEMO_MONTH.end, 'en_US', format='long')}" in text
    cost = Money.total((s.employer_cost for s in slips), "EUR")
    gross = Money.total((s.gross for s in slips), "EUR")
    assert tiles["employer_cost"] == l10n.format_money(cost, "en_US")
    assert tiles["gross"] == l10n.format_money(gross, "en_US")
    assert tiles["payslips"] == "4"
    assert net == Money("1877.00", "EUR")


def test_the_report_speaks_brazilian_portuguese(tmp_path: Path) -> None:
    done = _demo(tmp_path, "--locale", "pt_BR", "--db", f"sqlite:///{tmp_path}/br.db")
    assert done.returncode == 0, done.stderr
    assert f"Report: {tmp_path / 'br-report.html'}" in done.stdout
    text = (tmp_path / "br-report.html").read_text(encoding="utf-8")
    tiles = _tiles(ET.fromstring(text.removeprefix("<!DOCTYPE html>\n")))
    assert '<html lang="pt-BR"' in text
    # a dot groups the thousands, a comma marks the decimals
    assert tiles["revenue"] == "€\u00a01.877,00"
    assert tiles["gross"] == "€\u00a09.300,00"
    assert "Em aberto em 31 de janeiro de 2026" in text  # the words are Portuguese too
    assert "<title>Crêperie du Port: indicadores</title>" in text


def test_a_database_with_other_demo_data_is_refused_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from backoffice.cli import main
    from backoffice.inventory import Inventory, Item, Location

    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path}/other.db"
    store = backoffice.open(url, tenant="demo-restaurant")
    try:
        store.migrate()
        ledger = Inventory(store)
        ledger.add_item(Item("FLOUR", "KGM"))
        ledger.add_location(Location("KITCHEN"))
        ledger.receive("FLOUR", "1", "KITCHEN", idempotency_key="demo-r1")
    finally:
        store.close()
    assert main(["demo", "--db", url]) == 1
    error = capsys.readouterr().err
    assert "holds demo data written differently" in error
    assert "remove it or pass another --db" in error


def test_a_url_no_store_opens_is_a_usage_error_before_anything_runs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from backoffice.cli import main

    assert main(["demo", "--db", "mysql://user:s3cret@host/db"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "mysql://user:***@host/db" in captured.err and "s3cret" not in captured.err
