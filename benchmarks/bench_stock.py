"""The stock ledger against raw database code doing the same writes, measured in the same run.

* ``sqlite_single_movement``: one movement per transaction (``ledger.receive`` on a fresh
  SQLite file) against raw :mod:`sqlite3` transactions (``BEGIN IMMEDIATE``; insert the
  journal row; upsert the balance; ``COMMIT``) on the same schema, with the same WAL and
  ``synchronous=FULL`` settings. Goal: at least 50 % of the raw rate.
* ``sqlite_batch``: ``ledger.record`` of 1,000 movements against one raw transaction that
  ``executemany``-inserts the same journal rows and upserts the balances. Goal: 30 %.
* ``postgres_hot_sku``: 8 threads reserve one unit each of a single SKU until none is left:
  ledger reservations against a raw guarded ``UPDATE … SET reserved = reserved + 1 WHERE
  on_hand - reserved >= 1``. Both must sell exactly the stock. Goal: 50 %.

Every function returns ``(ours, baseline)`` in seconds per operation (per movement for the
batch). Run ``python benchmarks/bench_stock.py`` to print them; the PostgreSQL figure
needs ``BACKOFFICE_BENCH_POSTGRES_URL`` (or ``BACKOFFICE_TEST_POSTGRES_URL``).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from backoffice.core.time import FixedClock
from backoffice.errors import InsufficientStock
from backoffice.inventory.model import Item, Location, MovementKind, to_micro
from backoffice.inventory.services import SUPPLIER, Inventory, MoveRequest, ReserveLine
from backoffice.storage import open_store
from backoffice.storage.ports import Store

__all__ = [
    "BENCHMARKS",
    "Benchmark",
    "best_per_op",
    "main",
    "postgres_hot_sku",
    "postgres_url_from_env",
    "sqlite_batch",
    "sqlite_single_movement",
]

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TENANT = "bench"
SKUS = [f"SKU-{number}" for number in range(10)]
LOCATION = "WH1"

# The raw baseline writes the rows the SQLite store writes, in the store's own tables.
_RAW_MOVEMENT = (
    "INSERT INTO bo_movements (tenant, seq, id, kind, item, quantity, source, destination, "
    "effective_at, recorded_at, lot, reason, reference, actor, reverses) VALUES "
    "(?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM bo_movements), ?, ?, ?, ?, ?, ?, ?, ?, "
    "'', '', '', '', NULL)"
)
_RAW_BALANCE = (
    "INSERT INTO bo_balances (tenant, item, location, lot, on_hand) VALUES (?, ?, ?, '', ?) "
    "ON CONFLICT (tenant, item, location, lot) DO UPDATE "
    "SET on_hand = bo_balances.on_hand + excluded.on_hand"
)


@dataclass(frozen=True)
class Benchmark:
    """One figure of this module, for ``benchmarks/run.py``."""

    name: str
    measure: Callable[[], tuple[float, float]]
    baseline_name: str
    goal: float  # the largest acceptable ratio ours / baseline (seconds per operation)


# -- SQLite --------------------------------------------------------------------------------


@contextlib.contextmanager
def _sqlite_files(directory: str | None = None) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="bench-stock-", dir=directory) as name:
        yield Path(name)


def _ledger(path: Path) -> tuple[Store, Inventory]:
    store = open_store(f"sqlite:///{path}", tenant=TENANT)  # WAL, synchronous=FULL
    store.migrate()
    ledger = Inventory(store, clock=FixedClock(NOW))
    for sku in SKUS:
        ledger.add_item(Item(sku))
    ledger.add_location(Location(LOCATION))
    ledger.receive(SKUS[0], 1, LOCATION)  # creates the @supplier location, warms up
    return store, ledger


def _raw(path: Path) -> sqlite3.Connection:
    """A fresh file with the store's schema, and a raw connection set up like the store's."""
    _ledger(path)[0].close()
    raw = sqlite3.connect(path, isolation_level=None)
    assert raw.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
    raw.execute("PRAGMA synchronous = FULL")
    raw.execute("PRAGMA busy_timeout = 30000")
    return raw


def _micros(moment: datetime) -> int:
    return int((moment - datetime(1970, 1, 1, tzinfo=UTC)) / timedelta(microseconds=1))


def _journal_row(sku: str, quantity: int) -> tuple[Any, ...]:
    at = _micros(NOW)
    return (
        TENANT,
        uuid.uuid4().hex,
        MovementKind.RECEIPT.value,
        sku,
        to_micro(Decimal(quantity)),
        SUPPLIER,
        LOCATION,
        at,
        at,
    )


def best_per_op(
    ours: Callable[[], object], baseline: Callable[[], object], operations: int, rounds: int
) -> tuple[float, float]:
    """Run both ``rounds`` times, alternating, and keep the best time per operation."""
    ours_times: list[float] = []
    base_times: list[float] = []
    for _ in range(rounds):
        for run, times in ((baseline, base_times), (ours, ours_times)):
            started = time.perf_counter()
            run()
            times.append((time.perf_counter() - started) / operations)
    return min(ours_times), min(base_times)


def sqlite_single_movement(
    per_round: int = 150, rounds: int = 3, directory: str | None = None
) -> tuple[float, float]:
    """Seconds per single-movement transaction: ``ledger.receive`` against raw sqlite3."""
    with _sqlite_files(directory) as files:
        store, ledger = _ledger(files / "ours.db")
        raw = _raw(files / "raw.db")
        try:

            def ours() -> None:
                for _ in range(per_round):
                    ledger.receive(SKUS[0], 1, LOCATION)

            def baseline() -> None:
                for _ in range(per_round):
                    raw.execute("BEGIN IMMEDIATE")
                    raw.execute(_RAW_MOVEMENT, _journal_row(SKUS[0], 1))
                    raw.execute(_RAW_BALANCE, (TENANT, SKUS[0], LOCATION, to_micro(Decimal(1))))
                    raw.execute("COMMIT")

            result = best_per_op(ours, baseline, per_round, rounds)
            assert ledger.verify() == []
            return result
        finally:
            store.close()
            raw.close()


def sqlite_batch(
    size: int = 1000, rounds: int = 3, directory: str | None = None
) -> tuple[float, float]:
    """Seconds per movement, recorded ``size`` at a time: ``ledger.record`` against one raw
    transaction with ``executemany``."""
    requests = [
        MoveRequest(MovementKind.RECEIPT, SKUS[n % len(SKUS)], 1 + n % 3, SUPPLIER, LOCATION)
        for n in range(size)
    ]
    with _sqlite_files(directory) as files:
        store, ledger = _ledger(files / "ours.db")
        raw = _raw(files / "raw.db")
        try:

            def ours() -> None:
                ledger.record(requests)

            def baseline() -> None:
                rows = [_journal_row(r.sku, int(r.quantity)) for r in requests]
                totals: dict[str, int] = {}
                for request in requests:
                    totals[request.sku] = totals.get(request.sku, 0) + int(request.quantity)
                raw.execute("BEGIN IMMEDIATE")
                raw.executemany(_RAW_MOVEMENT, rows)
                raw.executemany(
                    _RAW_BALANCE,
                    [
                        (TENANT, sku, LOCATION, to_micro(Decimal(total)))
                        for sku, total in totals.items()
                    ],
                )
                raw.execute("COMMIT")

            result = best_per_op(ours, baseline, size, rounds)
            assert ledger.verify() == []
            return result
        finally:
            store.close()
            raw.close()


# -- PostgreSQL ----------------------------------------------------------------------------


def postgres_url_from_env() -> str | None:
    """``BACKOFFICE_BENCH_POSTGRES_URL``, else ``BACKOFFICE_TEST_POSTGRES_URL``, else None."""
    return os.environ.get("BACKOFFICE_BENCH_POSTGRES_URL") or os.environ.get(
        "BACKOFFICE_TEST_POSTGRES_URL"
    )


def _race(threads: int, take: Callable[[], bool]) -> tuple[float, int]:
    """``threads`` threads call ``take`` until it returns False; the seconds from the
    start signal to the last thread's end, and how many takes succeeded."""
    barrier = threading.Barrier(threads + 1)
    counts = [0] * threads
    errors: list[BaseException] = []

    def work(index: int) -> None:
        barrier.wait()
        try:
            while take():
                counts[index] += 1
        except BaseException as error:  # reported to the caller below
            errors.append(error)

    workers = [threading.Thread(target=work, args=(index,)) for index in range(threads)]
    for worker in workers:
        worker.start()
    barrier.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return elapsed, sum(counts)


def postgres_hot_sku(url: str, threads: int = 8, stock: int = 600) -> tuple[float, float]:
    """Seconds per reservation of one hot SKU by ``threads`` threads until ``stock`` is
    gone: ``ledger.reserve`` against a raw guarded ``UPDATE``, in a fresh schema.

    Raises:
        AssertionError: either side sold more or less than the stock.
    """
    import psycopg
    from psycopg import sql

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        try:
            separator = "&" if "?" in url else "?"
            options = f"schema={schema}&pool_min={threads + 1}&pool_max={threads + 2}"
            store = open_store(f"{url}{separator}{options}", tenant=TENANT)
            try:
                ours = _ledger_hot_sku(store, threads, stock)
            finally:
                store.close()
            baseline = _raw_hot_sku(url, schema, threads, stock)
        finally:
            admin.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
    return ours, baseline


def _ledger_hot_sku(store: Store, threads: int, stock: int) -> float:
    store.migrate()
    ledger = Inventory(store, clock=FixedClock(NOW))
    ledger.add_item(Item(SKUS[0]))
    ledger.add_location(Location(LOCATION))
    ledger.receive(SKUS[0], stock, LOCATION)
    line = [ReserveLine(SKUS[0], LOCATION, 1)]

    def take() -> bool:
        try:
            ledger.reserve("order", line, ttl=timedelta(hours=1))
        except InsufficientStock:
            return False
        return True

    elapsed, sold = _race(threads, take)
    balance = ledger.balance(SKUS[0], LOCATION)
    assert sold == stock, f"the ledger sold {sold} of {stock}"
    assert (balance.reserved, balance.available) == (Decimal(stock), Decimal(0))
    return elapsed / stock


def _raw_hot_sku(url: str, schema: str, threads: int, stock: int) -> float:
    import psycopg
    from psycopg import sql

    table = sql.Identifier(schema, "raw_balances")
    with psycopg.connect(url, autocommit=True) as setup:
        setup.execute(
            sql.SQL(
                "CREATE TABLE {} (tenant TEXT, item TEXT, location TEXT, lot TEXT, "
                "on_hand BIGINT NOT NULL, reserved BIGINT NOT NULL, "
                "PRIMARY KEY (tenant, item, location, lot))"
            ).format(table)
        )
        setup.execute(
            sql.SQL("INSERT INTO {} VALUES (%s, %s, %s, '', %s, 0)").format(table),
            (TENANT, SKUS[0], LOCATION, stock),
        )
    guarded = sql.SQL(
        "UPDATE {} SET reserved = reserved + 1 WHERE tenant = %s AND item = %s "
        "AND location = %s AND lot = '' AND on_hand - reserved >= 1"
    ).format(table)
    connections = [psycopg.connect(url, autocommit=True) for _ in range(threads)]
    mine = threading.local()
    free = list(connections)
    lock = threading.Lock()

    def take() -> bool:
        if not hasattr(mine, "connection"):
            with lock:
                mine.connection = free.pop()
        cursor = mine.connection.execute(guarded, (TENANT, SKUS[0], LOCATION))
        return bool(cursor.rowcount)

    try:
        elapsed, sold = _race(threads, take)
    finally:
        for connection in connections:
            connection.close()
    with psycopg.connect(url, autocommit=True) as check:
        row = check.execute(sql.SQL("SELECT on_hand, reserved FROM {}").format(table)).fetchone()
    assert sold == stock and row == (stock, stock), f"raw sold {sold}, row {row}"
    return elapsed / stock


# -- the list, for benchmarks/run.py -------------------------------------------------------


def _postgres() -> tuple[float, float]:
    url = postgres_url_from_env()
    if url is None:
        raise RuntimeError("set BACKOFFICE_BENCH_POSTGRES_URL to measure PostgreSQL")
    return postgres_hot_sku(url)


BENCHMARKS: list[Benchmark] = [
    Benchmark(
        "SQLite: 1 movement per transaction",
        sqlite_single_movement,
        "raw sqlite3 INSERT + UPSERT, FULL sync",
        2.0,  # at least 50 % of the raw rate
    ),
    Benchmark(
        "SQLite: record 1,000 movements",
        sqlite_batch,
        "raw sqlite3 executemany",
        1 / 0.3,  # at least 30 % of the raw rate
    ),
    Benchmark(
        "PostgreSQL: hot SKU, 8 threads",
        _postgres,
        "raw guarded UPDATE",
        2.0,  # at least 50 % of the raw rate
    ),
]


def main(argv: list[str] | None = None) -> int:
    del argv
    have_postgres = postgres_url_from_env() is not None
    header = f"{'benchmark':<36}{'ours/s':>10}{'raw/s':>10}{'of raw':>8}  {'goal':<6}baseline"
    print(header)
    print("-" * len(header))
    missed = 0
    for benchmark in BENCHMARKS:
        if benchmark.name.startswith("PostgreSQL") and not have_postgres:
            print(f"{benchmark.name:<36}skipped: set BACKOFFICE_BENCH_POSTGRES_URL")
            continue
        ours, baseline = benchmark.measure()
        share = baseline / ours
        verdict = "ok" if ours / baseline <= benchmark.goal else "MISSED"
        missed += verdict == "MISSED"
        print(
            f"{benchmark.name:<36}{1 / ours:>10,.0f}{1 / baseline:>10,.0f}{share:>8.0%}  "
            f">={1 / benchmark.goal:<4.0%}{benchmark.baseline_name}  {verdict}"
        )
    print()
    print("ok" if not missed else f"{missed} goal(s) missed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
