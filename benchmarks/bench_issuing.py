"""Issuing invoices on SQLite against raw sqlite3 inserts, measured in the same run.

* ``sqlite_issue``: ``Invoicing.issue`` of drafts kept in a SQLite file (one transaction
  each: read the draft, take the number, write the issued document and its event),
  against raw :mod:`sqlite3` transactions that write the same kind of rows by hand
  (``BEGIN IMMEDIATE``; upsert the counter; update the invoice row with its number and a
  document of the same size; insert the event; ``COMMIT``), with the same WAL and
  ``synchronous=FULL`` settings. Goal: at least 500 invoices per second; the ratio to the
  raw rate is printed beside it.

Run ``python benchmarks/bench_issuing.py``.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from backoffice.core.money import UnitPrice
from backoffice.core.time import FixedClock
from backoffice.invoicing import (
    Address,
    Invoice,
    InvoiceLine,
    Invoicing,
    Party,
    PaymentTerms,
)
from backoffice.invoicing.schema import invoice_to_json
from backoffice.storage import open_store

__all__ = ["GOAL_PER_SECOND", "main", "sqlite_issue"]

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TENANT = "bench"
GOAL_PER_SECOND = 500


def _invoice() -> Invoice:
    """A typical invoice: five lines at two VAT rates, net 30."""
    return Invoice(
        seller=Party("Crêperie du Port", address=Address("FR", city="Brest")),
        buyer=Party("Hôtel de la Plage", id="C-042", address=Address("FR", city="Quimper")),
        currency="EUR",
        terms=PaymentTerms.net(30),
        lines=[
            InvoiceLine(
                str(number),
                name=f"Item {number}",
                quantity=str(number + 1),
                price=UnitPrice(f"{3 + number}.25", "EUR"),
                vat_category="S",
                vat_rate="10" if number % 2 else "20",
            )
            for number in range(5)
        ],
    )


def _raw_issue(raw: sqlite3.Connection, invoice_id: str, document: str, sequence: int) -> None:
    raw.execute("BEGIN IMMEDIATE")
    raw.execute(
        "SELECT document FROM bo_invoices WHERE tenant = ? AND id = ?", (TENANT, invoice_id)
    )
    raw.execute(
        "INSERT INTO bo_invoice_counters (tenant, series, fiscal_year, last, last_issue_date) "
        "VALUES (?, 'RAW', 2026, 1, NULL) ON CONFLICT (tenant, series, fiscal_year) "
        "DO UPDATE SET last = bo_invoice_counters.last + 1",
        (TENANT,),
    )
    raw.execute(
        "UPDATE bo_invoices SET state = 'issued', series = 'RAW', fiscal_year = 2026, "
        "sequence = ?, number = ?, issue_date = '2026-11-23', issued_at = 0, document = ? "
        "WHERE tenant = ? AND id = ? AND state = 'draft'",
        (sequence, f"RAW-{sequence:06d}", document, TENANT, invoice_id),
    )
    raw.execute(
        "INSERT INTO bo_outbox (tenant, id, type, payload, occurred_at) VALUES "
        "(?, (SELECT COALESCE(MAX(id), 0) + 1 FROM bo_outbox), 'invoice.issued', ?, 0)",
        (TENANT, '{"number": "RAW"}'),
    )
    raw.execute("COMMIT")


def sqlite_issue(count: int = 300, rounds: int = 3) -> tuple[float, float]:
    """Seconds per issued invoice: ``Invoicing.issue`` against raw sqlite3 transactions,
    best of ``rounds`` alternating rounds of ``count``."""
    best_ours = best_raw = float("inf")
    with tempfile.TemporaryDirectory(prefix="bench-issue-") as name:
        path = Path(name) / "issue.db"
        store = open_store(f"sqlite:///{path}", tenant=TENANT)  # WAL, synchronous=FULL
        store.migrate()
        invoicing = Invoicing(store, clock=FixedClock(NOW))
        document = _invoice()
        text = invoice_to_json(document.issued("RAW-000000", NOW.date()))
        raw = sqlite3.connect(path, isolation_level=None)
        raw.execute("PRAGMA synchronous = FULL")
        try:
            for round_number in range(rounds):
                drafts = [invoicing.create_draft(document).id for _ in range(count)]
                started = time.perf_counter()
                for draft in drafts:
                    invoicing.issue(draft)
                best_ours = min(best_ours, (time.perf_counter() - started) / count)

                raw_drafts = [invoicing.create_draft(document).id for _ in range(count)]
                started = time.perf_counter()
                for offset, draft in enumerate(raw_drafts):
                    _raw_issue(raw, draft, text, round_number * count + offset + 1)
                best_raw = min(best_raw, (time.perf_counter() - started) / count)
        finally:
            raw.close()
            store.close()
    return best_ours, best_raw


def main() -> None:
    ours, raw = sqlite_issue()
    rate = 1 / ours
    verdict = "ok" if rate >= GOAL_PER_SECOND else "MISSED"
    print(
        f"issue an invoice on SQLite: {rate:,.0f}/s (goal >= {GOAL_PER_SECOND}/s) {verdict}; "
        f"raw sqlite3: {1 / raw:,.0f}/s; ours at {raw / ours:.0%} of the raw rate"
    )


if __name__ == "__main__":
    main()
