"""The journal tables of the SQL stores: append-only under direct SQL, the schema 6
upgrade, and concurrent appends on PostgreSQL that never fork a chain."""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from backoffice.compliance.journal import GENESIS, AuditJournal
from backoffice.core.time import ManualClock
from backoffice.inventory.model import Item, Location
from backoffice.inventory.services import Inventory
from backoffice.storage import open_store
from backoffice.storage.ports import Store
from backoffice.storage.schema import SCHEMA_VERSION
from backoffice.storage.sql import SQLITE, Sql
from backoffice.testing.contract import START

COLUMNS = "tenant, series, sequence, kind, subject, payload, occurred_at, previous_hash, hash"
REFUSED_SQLITE = (
    "UPDATE bo_journal SET kind = 'x'",
    "DELETE FROM bo_journal",
    "DELETE FROM bo_journal_heads",
    "UPDATE bo_journal_heads SET sequence = 1",
    "UPDATE bo_journal_heads SET series = 'other'",
)


def _filled(store: Store) -> AuditJournal:
    store.migrate()
    journal = AuditJournal(store, clock=ManualClock(START))
    for number in range(3):
        journal.append("test", "thing.done", f"s{number}", {"n": number})
    return journal


def test_sqlite_journal_tables_refuse_update_and_delete(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    store = open_store(f"sqlite:///{path}", tenant="t1")
    journal = _filled(store)
    raw = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in REFUSED_SQLITE:
            with pytest.raises(sqlite3.IntegrityError, match=r"append-only|only moves forward"):
                raw.execute(statement)
        raw.execute("UPDATE bo_journal_heads SET sequence = sequence")  # what a lock does
        assert raw.execute("SELECT COUNT(*) FROM bo_journal").fetchone() == (3,)
    finally:
        raw.close()
    assert journal.verify().intact
    store.close()


def test_sqlite_inserts_must_continue_the_head_which_they_move(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    store = open_store(f"sqlite:///{path}", tenant="t1")
    journal = _filled(store)
    last = journal.entries("test")[-1]
    raw = sqlite3.connect(path, isolation_level=None)
    insert = f"INSERT INTO bo_journal ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    try:
        for sequence, previous in ((3, last.previous_hash), (5, last.hash), (4, "f" * 64)):
            with pytest.raises(sqlite3.IntegrityError, match="continue the head"):
                raw.execute(insert, ("t1", "test", sequence, "k", "s", "{}", 0, previous, "a" * 64))
        with pytest.raises(sqlite3.IntegrityError, match="continue the head"):
            raw.execute(insert, ("t1", "new", 2, "k", "s", "{}", 0, GENESIS, "a" * 64))
        raw.execute(insert, ("t1", "test", 4, "k", "s", "{}", 0, last.hash, "a" * 64))
        assert raw.execute(
            "SELECT sequence, hash FROM bo_journal_heads WHERE series = 'test'"
        ).fetchone() == (4, "a" * 64)
    finally:
        raw.close()
    found = journal.verify().breaks
    assert [(b.sequence, b.kind.value) for b in found] == [(4, "hash_mismatch")]
    store.close()


def test_a_schema_5_sqlite_database_upgrades_to_6_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    statements = Sql(SQLITE)
    raw = sqlite3.connect(path, isolation_level=None)
    try:
        raw.execute(statements.create_version_table)
        for version in range(1, 6):
            for statement in statements.migrations[version]:
                raw.execute(statement)
            raw.execute(statements.version_insert, (version, 0))
        raw.execute(
            "INSERT INTO bo_items VALUES ('t1', 'A', 'C62', 'none', 'forbid', '', '[]', '[]')"
        )
    finally:
        raw.close()
    store = open_store(f"sqlite:///{path}", tenant="t1")
    assert store.schema_version() == 5
    assert store.migrate() == SCHEMA_VERSION == 6
    ledger = Inventory(store, clock=ManualClock(START))
    assert ledger.item("A").sku == "A"
    ledger.add_location(Location("WH1"))
    ledger.receive("A", 2, "WH1")
    assert AuditJournal(store).series() == ["stock/A"]
    assert AuditJournal(store).verify().intact
    store.close()


# -- PostgreSQL ----------------------------------------------------------------------------


@pytest.fixture
def pg_schema(postgres_url: str) -> Iterator[tuple[psycopg.Connection, str]]:
    name = f"bo_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
        try:
            yield admin, name
        finally:
            admin.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(name)))


@pytest.fixture
def pg_open(
    postgres_url: str,
    pg_schema: tuple[psycopg.Connection, str],
) -> Iterator[Callable[..., Store]]:
    opened: list[Store] = []

    def open_(isolation: str = "read_committed", **options: str) -> Store:
        separator = "&" if "?" in postgres_url else "?"
        extra = "".join(f"&{key}={value}" for key, value in options.items())
        store = open_store(
            f"{postgres_url}{separator}schema={pg_schema[1]}&isolation={isolation}{extra}",
            tenant="t1",
        )
        opened.append(store)
        return store

    yield open_
    for store in opened:
        store.close()


@pytest.mark.postgres
def test_postgres_journal_tables_refuse_update_delete_and_truncate(
    pg_open: Callable[..., Store],
    pg_schema: tuple[psycopg.Connection, str],
) -> None:
    journal = _filled(pg_open())
    admin, schema = pg_schema
    admin.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
    for statement in (
        *REFUSED_SQLITE,
        "TRUNCATE bo_journal",
        "TRUNCATE bo_journal_heads",
    ):
        with pytest.raises(psycopg.errors.RaiseException, match=r"append-only|only moves"):
            admin.execute(statement)
    assert admin.execute("SELECT COUNT(*) FROM bo_journal").fetchone() == (3,)
    assert journal.verify().intact
    last = journal.entries("test")[-1]
    with pytest.raises(psycopg.errors.RaiseException, match="continue the head"):
        admin.execute(
            f"INSERT INTO bo_journal ({COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            ("t1", "test", 3, "k", "s", "{}", 0, last.previous_hash, "a" * 64),
        )


@pytest.mark.postgres
@pytest.mark.parametrize("isolation", ["read_committed", "repeatable_read", "serializable"])
def test_concurrent_postgres_appends_never_fork_a_chain(
    pg_open: Callable[..., Store], isolation: str
) -> None:
    store = pg_open(isolation, pool_max="8", attempts="60")  # one hot series
    store.migrate()
    journal = AuditJournal(store)
    threads, per_thread = 6, 15
    failures: list[BaseException] = []

    def work(index: int) -> None:
        try:
            for number in range(per_thread):
                journal.append("shared", "thing.done", f"w{index}-{number}", {"n": number})
                if number % 5 == 0:
                    journal.append(f"own-{index}", "thing.done", "x", {})
        except BaseException as error:  # pragma: no cover - reported below
            failures.append(error)

    runners = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for runner in runners:
        runner.start()
    for runner in runners:
        runner.join()
    assert failures == []
    entries = journal.entries("shared")
    assert [e.sequence for e in entries] == list(range(1, threads * per_thread + 1))
    assert len({e.subject for e in entries}) == threads * per_thread
    report = journal.verify()
    assert report.intact, report.to_json()
    assert len(report.chains) == 1 + threads


@pytest.mark.postgres
def test_concurrent_stock_postings_keep_the_item_chain_whole(
    pg_open: Callable[..., Store],
) -> None:
    store = pg_open("read_committed", pool_max="8")
    store.migrate()
    ledger = Inventory(store, clock=ManualClock(datetime(2026, 11, 23, 9, tzinfo=UTC)))
    ledger.add_item(Item("A"))
    ledger.add_item(Item("B"))
    ledger.add_location(Location("WH1"))
    failures: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(10):
                ledger.receive("A", 1, "WH1")
                ledger.receive("B", 1, "WH1")
        except BaseException as error:  # pragma: no cover - reported below
            failures.append(error)

    runners = [threading.Thread(target=work) for _ in range(5)]
    for runner in runners:
        runner.start()
    for runner in runners:
        runner.join()
    assert failures == []
    journal = AuditJournal(store)
    assert [len(journal.entries(series)) for series in ("stock/A", "stock/B")] == [50, 50]
    assert journal.verify().intact
