"""The SQLite store: the whole contract, plus what only SQLite has (WAL, synchronous,
busy timeout, several processes on one file, no global sqlite3 state)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from backoffice.core.time import ManualClock
from backoffice.errors import (
    DuplicateRecord,
    InsufficientStock,
    SchemaMismatch,
    StorageError,
    UnsupportedStore,
)
from backoffice.inventory.model import Item, Location, Lot, Movement
from backoffice.inventory.services import Inventory, ReserveLine
from backoffice.storage import open_store
from backoffice.storage.ports import Store, UnitOfWork
from backoffice.storage.schema import SCHEMA_VERSION
from backoffice.storage.sql import SQLITE, TENANT_TABLES, Sql, to_epoch_micros
from backoffice.storage.sqlite import SqliteStore
from backoffice.testing import StoreContract
from backoffice.testing.contract import START, MakeStore


class TestSqliteStore(StoreContract):
    @pytest.fixture
    def make_store(self, tmp_path: Path) -> Iterator[MakeStore]:
        opened: list[Store] = []

        def make(tenant: str = "t1") -> Store:
            # Every call opens the same file: handles of one database, like processes.
            store = open_store(f"sqlite:///{tmp_path}/x.db", tenant=tenant)
            opened.append(store)
            return store

        yield make
        for store in opened:
            store.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "ledger.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[SqliteStore]:
    opened = SqliteStore.from_url(f"sqlite:///{db_path}", tenant="acme")
    opened.migrate()
    yield opened
    opened.close()


@pytest.fixture
def ledger(store: SqliteStore) -> Inventory:
    inventory = Inventory(store, clock=ManualClock(START))
    inventory.add_item(Item("SKU-1"))
    inventory.add_item(Item("FLOUR", "KGM"))
    inventory.add_location(Location("WH1"))
    return inventory


def raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


# -- settings --------------------------------------------------------------------------


def test_wal_and_full_synchronous_by_default(store: SqliteStore, db_path: Path) -> None:
    assert store.settings() == {
        "journal_mode": "wal",
        "synchronous": "full",
        "busy_timeout_ms": 30_000,
        "foreign_keys": True,
    }
    connection = raw(db_path)
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        connection.close()


def test_normal_synchronous_and_the_timeout_are_options(db_path: Path) -> None:
    store = SqliteStore.from_url(f"sqlite:///{db_path}?synchronous=NORMAL&timeout=2.5")
    try:
        settings = store.settings()
        assert settings["synchronous"] == "normal"
        assert settings["busy_timeout_ms"] == 2_500
        assert store.path == str(db_path)
    finally:
        store.close()


def test_a_relative_path_is_resolved_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    store = SqliteStore.from_url("sqlite:///relative.db")
    try:
        assert store.path == str(tmp_path / "relative.db")
        assert (tmp_path / "relative.db").is_file()
    finally:
        store.close()


@pytest.mark.parametrize(
    "suffix",
    [
        "/{path}?synchronous=off",
        "/{path}?timeout=-1",
        "/{path}?timeout=soon",
        "/{path}?journal_mode=delete",
        "host/{path}",
        "/:memory:",
        "/",
        "",
    ],
)
def test_malformed_urls_are_refused(suffix: str, db_path: Path) -> None:
    with pytest.raises(UnsupportedStore):
        open_store("sqlite://" + suffix.format(path=db_path))


# -- no process-wide state ---------------------------------------------------------------


def test_no_global_sqlite3_adapter_or_converter_is_registered(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import json, sqlite3
        adapters, converters = dict(sqlite3.adapters), dict(sqlite3.converters)
        from datetime import timedelta
        from backoffice.inventory.model import Item, Location
        from backoffice.inventory.services import Inventory, ReserveLine
        from backoffice.storage import open_store
        store = open_store("sqlite:///{tmp_path}/adapters.db")
        store.migrate()
        ledger = Inventory(store)
        ledger.add_item(Item("SKU-1"))
        ledger.add_location(Location("WH1"))
        ledger.receive("SKU-1", "2.5", "WH1", idempotency_key="k")
        ledger.reserve("O", [ReserveLine("SKU-1", "WH1", 1)], ttl=timedelta(minutes=5))
        store.acknowledge([e.id for e in store.pending_events()])
        store.close()
        print(json.dumps([adapters == dict(sqlite3.adapters),
                          converters == dict(sqlite3.converters)]))
        """
    )
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", script],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert json.loads(result.stdout) == [True, True]


# -- errors ------------------------------------------------------------------------------


def test_a_path_that_cannot_be_opened_is_a_storage_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError) as info:
        open_store(f"sqlite:///{tmp_path}/no/such/directory/x.db")
    assert not isinstance(info.value, sqlite3.Error)
    assert info.value.details["driver_error"] == "OperationalError"


def test_a_number_too_large_for_64_bits_is_a_storage_error(store: SqliteStore) -> None:
    with pytest.raises(StorageError) as info:
        store.run(lambda uow: uow.balances.set(("SKU-1", "WH1", ""), Decimal(10**15)))
    assert info.value.details["driver_error"] == "OverflowError"
    assert store.run(lambda uow: uow.balances.all()) == []


def test_a_writer_that_holds_the_lock_too_long_is_a_storage_error(db_path: Path) -> None:
    setup = SqliteStore.from_url(f"sqlite:///{db_path}")
    setup.migrate()
    setup.close()
    store = SqliteStore.from_url(f"sqlite:///{db_path}?timeout=0.2")
    blocker = raw(db_path)
    try:
        blocker.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        with pytest.raises(StorageError) as info:
            store.run(lambda uow: uow.items.all())
        assert 0.15 < time.monotonic() - started < 5
        assert "locked" in info.value.message
        assert info.value.details["driver_error"] == "OperationalError"
        blocker.execute("ROLLBACK")
        assert store.run(lambda uow: uow.items.all()) == []
    finally:
        blocker.close()
        store.close()


def test_a_closed_store_refuses_to_work(db_path: Path) -> None:
    store = SqliteStore.from_url(f"sqlite:///{db_path}")
    other = store.for_tenant("other")
    store.close()
    with pytest.raises(StorageError, match="closed"):
        other.run(lambda uow: uow.items.all())


# -- schema ------------------------------------------------------------------------------


def test_schema_version_is_zero_before_migrate(db_path: Path) -> None:
    store = SqliteStore.from_url(f"sqlite:///{db_path}")
    try:
        assert store.schema_version() == 0
        with pytest.raises(SchemaMismatch) as info:
            store.pending_events()
        assert info.value.details == {
            "found": 0,
            "expected": SCHEMA_VERSION,
            "fix": "call store.migrate() first",
        }
        assert store.migrate() == SCHEMA_VERSION
        assert store.schema_version() == SCHEMA_VERSION
    finally:
        store.close()


def test_a_version_1_database_is_upgraded_in_place(db_path: Path) -> None:
    """Data written under schema 1 reads the same after ``migrate()`` brings it to the
    current version: items are not kits, movements have no unit cost."""
    from backoffice.storage.sql import SQLITE, Sql

    connection = raw(db_path)
    try:
        connection.execute("BEGIN IMMEDIATE")
        statements = Sql(SQLITE)
        connection.execute(statements.create_version_table)
        for statement in statements.migrations[1]:
            connection.execute(statement)
        connection.execute(statements.version_insert, (1, 0))
        connection.execute(
            "INSERT INTO bo_items (tenant, sku, unit, tracking, negative, name) "
            "VALUES ('t1', 'OLD', 'C62', 'none', 'forbid', 'from version 1')"
        )
        connection.execute(
            "INSERT INTO bo_movements (tenant, seq, id, kind, item, quantity, source, "
            "destination, effective_at, recorded_at, lot, reason, reference, actor, reverses) "
            "VALUES ('t1', 1, 'm1', 'receipt', 'OLD', 3000000, '@supplier', 'WH1', 0, 0, "
            "'', '', '', '', NULL)"
        )
        # a lot-tracked item with stock in a lot, and stock kept without one
        connection.execute(
            "INSERT INTO bo_items (tenant, sku, unit, tracking, negative, name) "
            "VALUES ('t1', 'MILK', 'LTR', 'lot', 'forbid', '')"
        )
        connection.execute(
            "INSERT INTO bo_locations (tenant, code, kind, parent, name) "
            "VALUES ('t1', 'WH1', 'internal', NULL, '')"
        )
        connection.execute(
            "INSERT INTO bo_balances (tenant, item, location, lot, on_hand) "
            "VALUES ('t1', 'MILK', 'WH1', 'L1', 3000000), ('t1', 'MILK', 'WH1', '', 2000000)"
        )
        connection.execute("COMMIT")
    finally:
        connection.close()
    store = SqliteStore.from_url(f"sqlite:///{db_path}", tenant="t1")
    try:
        assert store.schema_version() == 1
        with pytest.raises(SchemaMismatch):
            store.run(lambda uow: uow.items.all())
        assert store.migrate() == SCHEMA_VERSION
        item = store.run(lambda uow: uow.items.get("OLD"))
        assert item == Item("OLD", "C62", name="from version 1")
        movement = store.run(lambda uow: uow.movements.get("m1"))
        assert movement is not None
        assert (movement.quantity, movement.unit_cost) == (Decimal(3), None)
        # lots named under version 1 are lots (without an expiry date); FEFO takes them
        # first, then the stock kept without a lot
        ledger = Inventory(store)
        assert ledger.lots("MILK") == [Lot("MILK", "L1")]
        shipped = ledger.ship("MILK", 4, "WH1")
        assert [(m.lot, m.quantity) for m in shipped] == [("L1", Decimal(3)), ("", Decimal(1))]
        assert ledger.balance("MILK", "WH1").on_hand == 1
    finally:
        store.close()


def test_a_schema_newer_than_the_library_is_refused(store: SqliteStore, db_path: Path) -> None:
    connection = raw(db_path)
    try:
        connection.execute(
            "INSERT INTO bo_schema_migrations (version, applied_at) VALUES (?, 0)",
            (SCHEMA_VERSION + 1,),
        )
    finally:
        connection.close()
    assert store.schema_version() == SCHEMA_VERSION + 1
    with pytest.raises(SchemaMismatch) as info:
        store.run(lambda uow: uow.items.all())
    assert info.value.details["found"] == SCHEMA_VERSION + 1
    assert info.value.details["fix"] == "upgrade the library"
    with pytest.raises(SchemaMismatch):
        store.migrate()


def test_every_tenant_table_has_the_tenant_first_in_its_primary_key(
    store: SqliteStore, db_path: Path
) -> None:
    connection = raw(db_path)
    try:
        for table in TENANT_TABLES:
            columns = connection.execute(f"PRAGMA table_info({table})").fetchall()
            key = sorted((column[5], column[1]) for column in columns if column[5])
            assert key[0] == (1, "tenant"), table
    finally:
        connection.close()


def test_quantities_and_times_are_stored_as_integers(ledger: Inventory, db_path: Path) -> None:
    ledger.receive("FLOUR", "12.000001", "WH1")
    connection = raw(db_path)
    try:
        row = connection.execute(
            "SELECT typeof(quantity), quantity, typeof(effective_at), effective_at "
            "FROM bo_movements"
        ).fetchone()
        on_hand = connection.execute(
            "SELECT on_hand FROM bo_balances WHERE item = 'FLOUR' AND location = 'WH1'"
        ).fetchone()
    finally:
        connection.close()
    assert row == ("integer", 12_000_001, "integer", to_epoch_micros(START))
    assert on_hand == (12_000_001,)
    (movement,) = ledger.store.run(lambda uow: uow.movements.all())
    assert movement.quantity == Decimal("12.000001")
    assert movement.effective_at == START
    assert movement.effective_at.utcoffset() == timedelta(0)


# -- units of work -----------------------------------------------------------------------


def test_only_committed_work_is_kept(store: SqliteStore) -> None:
    with store.unit_of_work() as uow:
        uow.items.add(Item("KEPT"))
        uow.commit()
        uow.items.add(Item("DROPPED"))  # a new transaction, never committed
    with store.unit_of_work() as uow:
        uow.items.add(Item("ROLLED-BACK"))
        uow.rollback()
    assert [item.sku for item in store.run(lambda uow: uow.items.all())] == ["KEPT"]


def test_migrating_from_version_1_counts_what_active_reservations_hold(
    db_path: Path, version_1_rows: Callable[[str], dict[str, list[tuple[object, ...]]]]
) -> None:
    sql = Sql(SQLITE)
    old = raw(db_path)
    old.execute(sql.create_version_table)
    for statement in sql.migrations[1]:
        old.execute(statement)
    old.execute(sql.version_insert, (1, 0))
    for tenant in ("acme", "globex"):
        for table, rows in version_1_rows(tenant).items():
            marks = ", ".join("?" * len(rows[0]))
            old.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    old.close()
    store = SqliteStore.from_url(f"sqlite:///{db_path}", tenant="acme")
    try:
        assert store.schema_version() == 1
        assert store.migrate() == SCHEMA_VERSION
        for handle in (store, store.for_tenant("globex")):
            held = handle.run(lambda uow: dict(uow.balances.all_held()))
            assert held == {("A", "WH1", ""): Decimal(4), ("B", "WH1", ""): Decimal(4)}
            assert Inventory(handle, clock=ManualClock(START)).verify() == []
    finally:
        store.close()


def test_a_batch_with_a_duplicate_movement_writes_none_of_it(ledger: Inventory) -> None:
    first = ledger.receive("SKU-1", 1, "WH1")
    second = Movement(
        id="new",
        kind="receipt",
        item="SKU-1",
        quantity=Decimal(1),
        source="@supplier",
        destination="WH1",
        effective_at=START,
        recorded_at=START,
    )

    def work(uow: UnitOfWork) -> list[str]:
        with pytest.raises(DuplicateRecord):
            uow.movements.append([second, first])
        return [m.id for m in uow.movements.all()]

    assert ledger.store.run(work) == [first.id]


def test_acknowledge_touches_only_the_tenants_events(ledger: Inventory) -> None:
    ledger.receive("SKU-1", 1, "WH1")
    mine = ledger.store.pending_events()
    other = ledger.store.for_tenant("globex")
    other.acknowledge([event.id for event in mine])
    assert ledger.store.pending_events() == mine
    assert ledger.store.pending_events(limit=0) == []


# -- concurrency -------------------------------------------------------------------------


def test_threads_never_oversell(ledger: Inventory) -> None:
    ledger.receive("SKU-1", 10, "WH1")
    held: list[str] = []
    refused: list[str] = []
    barrier = threading.Barrier(16)

    def checkout() -> None:
        barrier.wait()
        try:
            reservation = ledger.reserve(
                "O", [ReserveLine("SKU-1", "WH1", 1)], ttl=timedelta(minutes=5)
            )
            held.append(reservation.id)
        except InsufficientStock:
            refused.append("refused")

    threads = [threading.Thread(target=checkout) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (len(held), len(refused)) == (10, 6)
    assert ledger.available("SKU-1", "WH1") == 0


def test_processes_never_oversell(ledger: Inventory, db_path: Path) -> None:
    ledger.receive("SKU-1", 25, "WH1")
    script = textwrap.dedent(
        f"""
        import json
        from backoffice.errors import InsufficientStock
        from backoffice.inventory.services import Inventory
        from backoffice.storage import open_store
        store = open_store("sqlite:///{db_path}", tenant="acme")
        ledger = Inventory(store)
        shipped = 0
        for _ in range(10):
            try:
                ledger.ship("SKU-1", 1, "WH1")
                shipped += 1
            except InsufficientStock:
                pass
        store.close()
        print(json.dumps(shipped))
        """
    )
    workers = [
        subprocess.Popen(
            [sys.executable, "-W", "error", "-c", script], stdout=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    shipped = 0
    for worker in workers:
        out, _ = worker.communicate(timeout=120)
        assert worker.returncode == 0
        shipped += json.loads(out)
    assert shipped == 25
    assert ledger.balance("SKU-1", "WH1").on_hand == 0
    assert ledger.verify() == []


def test_text_that_is_not_unicode_is_a_storage_error(store: SqliteStore) -> None:
    with pytest.raises(StorageError) as info:
        store.run(lambda uow: uow.items.add(Item("SKU-\ud800")))
    assert info.value.details["driver_error"] == "UnicodeEncodeError"
