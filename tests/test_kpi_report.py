"""The KPI report: figures read from a store, and one self-contained HTML page."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import backoffice
from backoffice import Money
from backoffice.demo import DEMO_CLOCK, DEMO_MONTH, run_demo
from backoffice.errors import UnknownLocale
from backoffice.inventory import Inventory, ValuationMethod
from backoffice.invoicing import Invoicing
from backoffice.payroll.records import PayRuns
from backoffice.reporting import CHART_IDS, KpiReport, render_kpi_html, write_kpi_html
from backoffice.storage.ports import Store

SVG = "{http://www.w3.org/2000/svg}"
HOURS = {"FR-PART": Decimal("91")}


def _parse(page: str) -> ET.Element:
    """The page as XML: it fails on any tag left open."""
    return ET.fromstring(page.removeprefix("<!DOCTYPE html>\n"))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A store holding the demo's month."""
    directory = tmp_path_factory.mktemp("kpi")
    url = f"sqlite:///{directory}/month.db"
    printed: list[str] = []
    run_demo("en_US", printed.append, db=url)
    opened = backoffice.open(url, tenant="demo-restaurant")
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def report(store: Store) -> KpiReport:
    return KpiReport.from_store(store, DEMO_MONTH, hours=HOURS, clock=DEMO_CLOCK)


def test_revenue_and_vat_are_the_issued_invoices_less_credit_notes(
    store: Store, report: KpiReport
) -> None:
    issued = [s for s in Invoicing(store).invoices() if s.number is not None]
    sign = {True: -1, False: 1}
    net = Money.total(
        (s.invoice.totals.total_without_vat * sign[s.invoice.is_credit_note] for s in issued),
        "EUR",
    )
    vat = Money.total(
        (s.invoice.totals.total_vat * sign[s.invoice.is_credit_note] for s in issued), "EUR"
    )
    assert (report.revenue, report.vat) == (net, vat)
    assert (report.invoices, report.credit_notes) == (4, 2)
    assert [(row.category, row.rate) for row in report.vat_rows] == [
        ("S", Decimal("10")),
        ("S", Decimal("20")),
    ]
    assert report.receivables == Money.total((s.balance_due for s in issued), "EUR")
    assert {row.bucket for row in report.aging if row.amount} == {"current", "1-30"}


def test_payroll_cost_is_the_pay_run(store: Store, report: KpiReport) -> None:
    runs = PayRuns(store)
    (run,) = runs.runs()
    slips = runs.payslips(run.id)
    assert report.payroll is not None
    assert report.payroll.payslips == len(slips) == 4
    assert report.payroll.gross == Money.total((s.gross for s in slips), "EUR")
    assert report.payroll.employer_cost == Money.total((s.employer_cost for s in slips), "EUR")
    assert report.payroll.gross + report.payroll.employer_contributions == (
        report.payroll.employer_cost
    )
    assert report.payroll.net + report.payroll.employee_contributions == report.payroll.gross


def test_stock_value_and_low_stock_are_the_ledger(store: Store, report: KpiReport) -> None:
    ledger = Inventory(store, clock=DEMO_CLOCK)
    values = []
    for row in report.stock:
        assert row.value is not None  # every receipt of the demo has its cost
        valued = ledger.valuation(row.sku, ValuationMethod.FIFO, "EUR")
        assert (row.value, row.on_hand) == (valued.stock_value, valued.on_hand)
        values.append(row.value)
    assert report.stock_value == Money.total(values, "EUR")
    assert report.days_of_inventory is not None and report.days_of_inventory > 0
    assert [(row.sku, row.suggested) for row in report.low_stock] == [
        (s.rule.item, s.quantity) for s in ledger.replenishment()
    ]
    assert {row.sku for row in report.low_stock} == {"BEEF", "BUN", "CHEESE", "OIL"}
    # the figures the demo prints, worked out from its deliveries and sales
    assert report.stock_value == Money("143.84", "EUR")
    assert report.days_of_inventory == Decimal("3.3")  # 143.84 × 31 / 1362.09 consumed
    beef = next(row for row in report.low_stock if row.sku == "BEEF")
    assert (beef.available, beef.minimum, beef.suggested) == (Decimal(3), Decimal(5), Decimal(22))


def test_compliance_findings_and_the_journal(store: Store, report: KpiReport) -> None:
    assert report.journal_intact and report.journal_entries > 0
    # the demo's invoices state every mention the French rules ask for
    assert report.findings == ()
    # without its hours, the part-timer's pay looks below the full-time SMIC
    unaware = KpiReport.from_store(store, DEMO_MONTH, clock=DEMO_CLOCK)
    # the employee's id is masked, as everywhere else
    assert [row.document for row in unaware.findings if row.finding.rule == "FR-PAY-001"] == [
        "pay of **-**RT"
    ]
    assert "FR-PART" not in render_kpi_html(unaware, "en_US")


def test_the_page_is_well_formed_with_every_chart(report: KpiReport) -> None:
    page = render_kpi_html(report, "fr_FR")
    root = _parse(page)
    charts = list(root.iter(f"{SVG}svg"))
    assert [svg.get("id") for svg in charts] == list(CHART_IDS)
    for svg in charts:
        title = svg.find(f"{SVG}title")
        assert title is not None and title.text
    assert "<script" not in page and "http://" not in page.replace('xmlns="http://www.w3.org/', "")
    assert "1\u202f877,00\u00a0€" in page or "1\u00a0877,00\u00a0€" in page


def test_every_text_is_escaped(report: KpiReport) -> None:
    hostile = attrs.evolve(report, tenant='<script>alert("x")</script> & Co')
    page = render_kpi_html(hostile, "en_US")
    _parse(page)
    assert "<script" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in page


def test_pt_br_numbers(report: KpiReport) -> None:
    page = render_kpi_html(report, "pt_BR")
    assert "€\u00a01.877,00" in page  # a dot groups thousands, a comma marks decimals
    assert "€\u00a09.300,00" in page
    assert '<html lang="pt-BR"' in page


def test_an_empty_store_gives_an_empty_report(tmp_path: Path) -> None:
    empty = backoffice.open("memory://", tenant="nobody")
    empty.migrate()
    report = KpiReport.from_store(empty, DEMO_MONTH)
    assert report.payroll is None and report.revenue == Money("0.00", "EUR")
    path = write_kpi_html(report, tmp_path / "empty.html")
    root = _parse(path.read_text(encoding="utf-8"))
    assert [svg.get("id") for svg in root.iter(f"{SVG}svg")] == list(CHART_IDS)


def test_an_unknown_locale_is_refused(report: KpiReport) -> None:
    with pytest.raises(UnknownLocale):
        render_kpi_html(report, "xx_YY")


def test_the_page_renders_in_a_headless_browser(report: KpiReport, tmp_path: Path) -> None:
    browser = shutil.which("chromium")
    if browser is None:
        pytest.skip("Debian's chromium is not installed: apt-get install chromium")
    page = write_kpi_html(report, tmp_path / "report.html", "en_US")
    screenshot = tmp_path / "report.png"
    done = subprocess.run(
        [
            browser,
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            f"--screenshot={screenshot}",
            "--window-size=1280,2000",
            "--enable-logging=stderr",
            "--v=0",
            page.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    print(f"screenshot: {screenshot}")
    assert screenshot.exists() and screenshot.stat().st_size > 0, done.stderr
    assert screenshot.read_bytes().startswith(b"\x89PNG")
    console = [
        line for line in done.stderr.splitlines() if "Uncaught" in line or "ERROR:CONSOLE" in line
    ]
    assert console == []


def test_the_month_reads_the_same_after_later_activity(tmp_path: Path) -> None:
    """A February payment and delivery change nothing in January's report: receivables
    and stock are cut at the report's instant."""
    from datetime import UTC, date, datetime

    from backoffice.core.time import FixedClock
    from backoffice.storage import open_store

    url = f"sqlite:///{tmp_path}/month.db"
    run_demo("en_US", lambda _: None, db=url)
    store = open_store(url, tenant="demo-restaurant")
    try:
        before = KpiReport.from_store(store, DEMO_MONTH, hours=HOURS, clock=DEMO_CLOCK)
        february = FixedClock(datetime(2026, 2, 10, 9, tzinfo=UTC))
        invoicing = Invoicing(store, clock=february)
        [part_paid] = [s for s in invoicing.invoices() if s.number == "C2026-00002"]
        invoicing.record_payment(
            part_paid.customer, part_paid.balance_due, received_on=february.now().date()
        )
        Inventory(store, clock=february).receive(
            "BEEF",
            25,
            "KITCHEN",
            unit_cost=backoffice.UnitPrice("11.80", "EUR"),
            lot="B-0210",
            expires_on=date(2026, 2, 20),
        )
        after = KpiReport.from_store(store, DEMO_MONTH, hours=HOURS, clock=DEMO_CLOCK)
        assert (after.receivables, after.stock_value, after.days_of_inventory) == (
            before.receivables,
            before.stock_value,
            before.days_of_inventory,
        )
        assert [row.on_hand for row in after.stock] == [row.on_hand for row in before.stock]
        # the February report sees both
        later = KpiReport.from_store(
            store, backoffice.Period.month(2026, 2), hours=HOURS, clock=february
        )
        assert later.receivables == before.receivables - part_paid.balance_due
    finally:
        store.close()


def test_control_characters_never_break_the_page() -> None:
    from backoffice.reporting import _text

    assert _text("Beef\x0b <b>") == "Beef &lt;b&gt;"
    assert _text("two\nlines\tand tab") == "two\nlines\tand tab"


def test_the_report_path_leaves_the_query_out() -> None:
    from backoffice.demo import report_path

    assert report_path("sqlite:///shop/x.db?timeout=2.5") == Path("shop/x-report.html")
    assert report_path("memory://") == Path("backoffice-demo-report.html")
