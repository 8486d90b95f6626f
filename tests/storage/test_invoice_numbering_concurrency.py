"""Invoicing under real concurrency.

* Legal numbering: 8 writers issue 200 invoices each, on one SQLite file (8 processes)
  and on one PostgreSQL store (8 threads, at READ COMMITTED and SERIALIZABLE). Every
  writer also makes attempts that fail after taking a number (an issue date before the
  series' last one): their numbers must come back. The invoices issued are numbered
  1 … 1600 with no gap and no duplicate, the gap audit agrees, and every writer got
  exactly the numbers stored.
* Payments: threads paying the same customer at once, at every PostgreSQL isolation
  level, never allocate more than an invoice's amount due; what is left is credit.
"""

from __future__ import annotations

import multiprocessing
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from multiprocessing.context import ForkContext, SpawnContext
from pathlib import Path
from typing import Any

import pytest

from backoffice import Money, UnitPrice
from backoffice.core.time import FixedClock
from backoffice.errors import InvalidValue
from backoffice.invoicing import Address, Invoice, InvoiceLine, Invoicing, NumberSeries, Party
from backoffice.storage import open_store

TENANT = "numbering"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
YESTERDAY = date(2026, 11, 22)
WRITERS, EACH = 8, 200
SERIES = NumberSeries("F", template="F{year}-{number:06d}")


def _invoice() -> Invoice:
    return Invoice(
        seller=Party("Seller", address=Address("FR")),
        buyer=Party("Buyer", id="C1", address=Address("FR")),
        currency="EUR",
        lines=[
            InvoiceLine(
                "1",
                name="Crêpe",
                quantity="2",
                price=UnitPrice("3.50", "EUR"),
                vat_category="S",
                vat_rate="10",
            )
        ],
    )


def _write(invoicing: Invoicing, worker: int) -> tuple[list[str], int, list[str]]:
    """Issue ``EACH`` invoices; after every tenth, one that must fail after taking a
    number. Returns the numbers issued, the failures seen, and unexpected errors."""
    document = _invoice()
    numbers: list[str] = []
    refused = 0
    errors: list[str] = []
    for index in range(EACH):
        try:
            draft = invoicing.create_draft(document, id=f"w{worker}-{index}")
            numbers.append(str(invoicing.issue(draft.id, series="F").number))
            if index % 10 == 0:
                late = invoicing.create_draft(document, id=f"w{worker}-{index}-late")
                try:
                    invoicing.issue(late.id, series="F", issue_date=YESTERDAY)
                except InvalidValue:
                    refused += 1
                invoicing.delete_draft(late.id)
        except Exception as error:
            errors.append(f"{type(error).__name__}: {error}")
    return numbers, refused, errors


def _check(invoicing: Invoicing, results: list[tuple[list[str], int, list[str]]]) -> None:
    assert [errors for _, _, errors in results] == [[]] * WRITERS
    assert [refused for _, refused, _ in results] == [EACH // 10] * WRITERS
    told = sorted(number for numbers, _, _ in results for number in numbers)
    expected = [SERIES.format(n, 2026) for n in range(1, WRITERS * EACH + 1)]
    assert told == expected  # 1 ... 1600, each told to exactly one writer
    stored = sorted(str(s.number) for s in invoicing.invoices() if s.number is not None)
    assert stored == expected
    (report,) = invoicing.audit_numbering()
    assert (report.series, report.fiscal_year, report.count, report.last) == (
        "F",
        2026,
        WRITERS * EACH,
        WRITERS * EACH,
    )
    assert report.ok


# -- SQLite: processes on one file ---------------------------------------------------------


def _context() -> ForkContext | SpawnContext:
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _process(url: str, worker: int, start: Any, results: Any) -> None:
    store = open_store(url, tenant=TENANT)
    try:
        start.wait(60)
        results.put((worker, _write(Invoicing(store, clock=FixedClock(NOW)), worker)))
    finally:
        store.close()


def test_sqlite_writers_in_processes_number_without_gaps(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'numbers.db'}"
    store = open_store(url, tenant=TENANT)
    store.migrate()
    invoicing = Invoicing(store, clock=FixedClock(NOW))
    invoicing.define_series(SERIES)
    context = _context()
    start = context.Event()
    queue = context.Queue()
    processes = [
        context.Process(target=_process, args=(url, worker, start, queue), daemon=True)
        for worker in range(WRITERS)
    ]
    for process in processes:
        process.start()
    try:
        start.set()
        found = dict(queue.get(timeout=300) for _ in processes)
    finally:
        for process in processes:
            process.join(60)
    assert [process.exitcode for process in processes] == [0] * WRITERS
    _check(invoicing, [found[worker] for worker in range(WRITERS)])
    store.close()


# -- PostgreSQL: threads on one store --------------------------------------------------------


@pytest.fixture(params=["read_committed", "serializable"])
def postgres_invoicing(request: pytest.FixtureRequest, postgres_url: str) -> Iterator[Invoicing]:
    yield from _postgres_invoicing(request.param, postgres_url)


def _postgres_invoicing(isolation: str, postgres_url: str) -> Iterator[Invoicing]:
    psycopg = pytest.importorskip("psycopg")
    name = f"bo_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(psycopg.sql.SQL("CREATE SCHEMA {}").format(psycopg.sql.Identifier(name)))
        options = f"schema={name}&isolation={isolation}&pool_min=4&pool_max=12&attempts=60"
        url = postgres_url + ("&" if "?" in postgres_url else "?") + options
        store = open_store(url, tenant=TENANT)
        try:
            store.migrate()
            invoicing = Invoicing(store, clock=FixedClock(NOW))
            invoicing.define_series(SERIES)
            yield invoicing
        finally:
            store.close()
            admin.execute(
                psycopg.sql.SQL("DROP SCHEMA {} CASCADE").format(psycopg.sql.Identifier(name))
            )


@pytest.mark.postgres
def test_postgres_writers_in_threads_number_without_gaps(postgres_invoicing: Invoicing) -> None:
    results: list[tuple[list[str], int, list[str]]] = [([], 0, [])] * WRITERS
    barrier = threading.Barrier(WRITERS)

    def run(worker: int) -> None:
        barrier.wait(60)
        results[worker] = _write(postgres_invoicing, worker)

    threads = [threading.Thread(target=run, args=(worker,)) for worker in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(600)
    _check(postgres_invoicing, results)


@pytest.fixture(params=["read_committed", "repeatable_read", "serializable"])
def postgres_payments(request: pytest.FixtureRequest, postgres_url: str) -> Iterator[Invoicing]:
    yield from _postgres_invoicing(request.param, postgres_url)


@pytest.mark.postgres
def test_postgres_concurrent_payments_never_over_allocate(postgres_payments: Invoicing) -> None:
    invoicing, payers, rounds = postgres_payments, 4, 5
    for number in range(rounds):
        customer = f"C-{number}"
        document = _invoice().replace(buyer=Party("Buyer", id=customer, address=Address("FR")))
        invoice = invoicing.issue(invoicing.create_draft(document).id)  # 7.70 EUR
        barrier = threading.Barrier(payers)
        errors: list[str] = []

        def pay(
            customer: str = customer,
            barrier: threading.Barrier = barrier,
            errors: list[str] = errors,
        ) -> None:
            barrier.wait(60)
            try:
                invoicing.record_payment(customer, Money("5.00", "EUR"), received_on=NOW.date())
            except Exception as error:  # reported to the test, which fails
                errors.append(f"{type(error).__name__}: {error}")

        threads = [threading.Thread(target=pay) for _ in range(payers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert errors == []
        stored = invoicing.get(invoice.id)
        assert stored.allocated == Money("7.70", "EUR")
        assert stored.balance_due == Money("0.00", "EUR")
        assert invoicing.customer_credit(customer, "EUR") == Money("12.30", "EUR")  # 20 - 7.70
