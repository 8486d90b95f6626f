"""The PostgreSQL store: the whole contract at every isolation level (and once as an
ordinary role, under row-level security), plus what only PostgreSQL has: row-level
security, retries of serialization failures and deadlocks, the connection pool.

Every test works in a schema of its own, created for it and dropped after it.
"""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import psycopg
import pytest
from psycopg import sql
from psycopg.rows import TupleRow

from backoffice.core.time import ManualClock
from backoffice.errors import (
    ConcurrencyConflict,
    InsufficientStock,
    PayRunClosed,
    SchemaMismatch,
    StorageError,
    UnsupportedStore,
)
from backoffice.inventory.model import Item, Location
from backoffice.inventory.services import Inventory, ReserveLine
from backoffice.storage import open_store
from backoffice.storage.ports import PayRunRecord, PayslipRecord, Store, UnitOfWork
from backoffice.storage.postgres import PostgresStore
from backoffice.storage.schema import SCHEMA_VERSION
from backoffice.storage.sql import (
    POSTGRES,
    TENANT_SETTING,
    TENANT_TABLES,
    Sql,
)
from backoffice.testing import StoreContract
from backoffice.testing.contract import START, MakeStore

pytestmark = pytest.mark.postgres

APP_ROLE = "backoffice_app"
LEVELS = ["read_committed", "repeatable_read", "serializable"]
Admin = psycopg.Connection[TupleRow]


def with_options(url: str, **options: str) -> str:
    return url + ("&" if "?" in url else "?") + urlencode(options)


@pytest.fixture
def admin(postgres_url: str) -> Iterator[Admin]:
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        yield connection


@pytest.fixture
def schema(admin: Admin) -> Iterator[str]:
    name = f"bo_test_{uuid.uuid4().hex[:12]}"
    admin.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
    yield name
    admin.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(name)))


def grant_app_role(admin: Admin, schema: str, *, create: bool = False) -> None:
    """Create the NOLOGIN role ``backoffice_app`` if absent (superusers bypass row-level
    security, this ordinary role does not) and let it use ``schema``."""
    exists = admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (APP_ROLE,)).fetchone()
    if exists is None:
        # Another test run may create it meanwhile.
        with contextlib.suppress(psycopg.errors.DuplicateObject):
            admin.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(APP_ROLE)))
    names = {"schema": sql.Identifier(schema), "role": sql.Identifier(APP_ROLE)}
    rights = "USAGE, CREATE" if create else "USAGE"
    admin.execute(sql.SQL(f"GRANT {rights} ON SCHEMA {{schema}} TO {{role}}").format(**names))
    admin.execute(
        sql.SQL(
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}"
        ).format(**names)
    )
    admin.execute(
        sql.SQL("GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {role}").format(**names)
    )


@pytest.fixture
def opened() -> Iterator[list[Store]]:
    """Stores to close after the test (before its schema is dropped)."""
    stores: list[Store] = []
    yield stores
    for store in stores:
        store.close()


@pytest.fixture
def open_in_schema(
    postgres_url: str, schema: str, opened: list[Store]
) -> Callable[..., PostgresStore]:
    def open_(tenant: str = "acme", **options: str) -> PostgresStore:
        store = PostgresStore.from_url(
            with_options(postgres_url, schema=schema, **options), tenant=tenant
        )
        opened.append(store)
        return store

    return open_


@pytest.fixture
def store(open_in_schema: Callable[..., PostgresStore]) -> PostgresStore:
    opened = open_in_schema()
    opened.migrate()
    return opened


# -- the contract ------------------------------------------------------------------------


class TestPostgresStore(StoreContract):
    """The contract at every isolation level, and as an ordinary role whose tables force
    row-level security (the store must bind each transaction to its tenant)."""

    @pytest.fixture(
        params=[
            *[pytest.param((level, False), id=level) for level in LEVELS],
            pytest.param(("read_committed", True), id="row_level_security"),
        ]
    )
    def make_store(
        self,
        request: pytest.FixtureRequest,
        postgres_url: str,
        schema: str,
        admin: Admin,
        opened: list[Store],
    ) -> MakeStore:
        isolation, as_app_role = request.param
        options = {"schema": schema, "isolation": isolation}
        if as_app_role:
            grant_app_role(admin, schema, create=True)
            options["options"] = f"-crole={APP_ROLE}"
        url = with_options(postgres_url, **options)

        def make(tenant: str = "t1") -> Store:
            store = open_store(url, tenant=tenant) if not opened else opened[0].for_tenant(tenant)
            opened.append(store)
            return store

        return make


# -- schema ------------------------------------------------------------------------------


def test_schema_version_is_zero_before_migrate(
    open_in_schema: Callable[..., PostgresStore],
) -> None:
    store = open_in_schema()
    assert store.schema_version() == 0
    with pytest.raises(SchemaMismatch) as info:
        store.pending_events()
    assert info.value.details["fix"] == "call store.migrate() first"


def test_migrations_are_idempotent_and_safe_in_parallel(
    open_in_schema: Callable[..., PostgresStore], admin: Admin, schema: str
) -> None:
    stores = [open_in_schema(f"t{n}") for n in range(4)]
    versions: list[int] = []
    threads = [threading.Thread(target=lambda s=s: versions.append(s.migrate())) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert versions == [SCHEMA_VERSION] * 4
    assert stores[0].migrate() == SCHEMA_VERSION
    rows = admin.execute(
        sql.SQL("SELECT version FROM {}.bo_schema_migrations ORDER BY version").format(
            sql.Identifier(schema)
        )
    ).fetchall()
    assert rows == [(version,) for version in range(1, SCHEMA_VERSION + 1)]  # each once


def test_a_schema_newer_than_the_library_is_refused(
    store: PostgresStore, admin: Admin, schema: str
) -> None:
    admin.execute(
        sql.SQL("INSERT INTO {}.bo_schema_migrations VALUES (%s, 0)").format(
            sql.Identifier(schema)
        ),
        (SCHEMA_VERSION + 1,),
    )
    assert store.schema_version() == SCHEMA_VERSION + 1
    with pytest.raises(SchemaMismatch) as info:
        store.run(lambda uow: uow.items.all())
    assert info.value.details["found"] == SCHEMA_VERSION + 1
    assert info.value.details["fix"] == "upgrade the library"
    with pytest.raises(SchemaMismatch):
        store.migrate()


def test_migrating_from_version_1_counts_what_active_reservations_hold(
    postgres_url: str,
    schema: str,
    admin: Admin,
    opened: list[Store],
    version_1_rows: Callable[[str], dict[str, list[tuple[object, ...]]]],
) -> None:
    # as the tables' owner, an ordinary role: row-level security binds it too (FORCE)
    grant_app_role(admin, schema, create=True)
    statements = Sql(POSTGRES)
    with psycopg.connect(
        postgres_url, autocommit=True, options=f"-csearch_path={schema} -crole={APP_ROLE}"
    ) as old:
        old.execute(statements.create_version_table)
        for statement in statements.migrations[1]:
            old.execute(statement)
        old.execute(statements.version_insert, (1, 0))
        for tenant in ("acme", "globex"):
            with old.transaction():
                old.execute("SELECT set_config(%s, %s, true)", (TENANT_SETTING, tenant))
                for table, rows in version_1_rows(tenant).items():
                    marks = ", ".join(["%s"] * len(rows[0]))
                    old.cursor().executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    store = PostgresStore.from_url(
        with_options(postgres_url, schema=schema, options=f"-crole={APP_ROLE}"), tenant="acme"
    )
    opened.append(store)
    assert store.schema_version() == 1
    assert store.migrate() == SCHEMA_VERSION
    for handle in (store, store.for_tenant("globex")):
        held = handle.run(lambda uow: dict(uow.balances.all_held()))
        assert held == {("A", "WH1", ""): Decimal(4), ("B", "WH1", ""): Decimal(4)}
        assert Inventory(handle, clock=ManualClock(START)).verify() == []
    forced = admin.execute(
        "SELECT relname FROM pg_class WHERE relnamespace = %s::regnamespace "
        "AND relkind = 'r' AND relforcerowsecurity",
        (schema,),
    ).fetchall()
    assert sorted(name for (name,) in forced) == sorted(TENANT_TABLES)  # FORCE again


def test_a_reservation_sent_with_its_commit_still_checks_the_schema(
    store: PostgresStore, admin: Admin, schema: str
) -> None:
    ledger = Inventory(store, clock=ManualClock(START))
    ledger.add_item(Item("A"))
    ledger.add_location(Location("WH1"))
    ledger.receive("A", 5, "WH1")
    line = [ReserveLine("A", "WH1", 1)]
    ledger.reserve("O-1", line, ttl=timedelta(minutes=5))  # item and location now known
    newer = sql.SQL("INSERT INTO {}.bo_schema_migrations VALUES (%s, 0)").format(
        sql.Identifier(schema)
    )
    admin.execute(newer, (SCHEMA_VERSION + 1,))
    with pytest.raises(SchemaMismatch) as info:
        ledger.reserve("O-2", line, ttl=timedelta(minutes=5))
    assert info.value.details["found"] == SCHEMA_VERSION + 1
    count = sql.SQL("SELECT COUNT(*) FROM {}.bo_reservations").format(sql.Identifier(schema))
    assert admin.execute(count).fetchone() == (1,)
    admin.execute(
        sql.SQL("DELETE FROM {}.bo_schema_migrations WHERE version > %s").format(
            sql.Identifier(schema)
        ),
        (SCHEMA_VERSION,),
    )
    ledger.reserve("O-2", line, ttl=timedelta(minutes=5))
    assert ledger.available("A", "WH1") == 3
    # an older schema (2, before the reserved counter) is refused too, until migrated
    admin.execute(
        sql.SQL("DELETE FROM {}.bo_schema_migrations WHERE version > %s").format(
            sql.Identifier(schema)
        ),
        (2,),
    )
    admin.execute(
        sql.SQL("ALTER TABLE {}.bo_balances DROP COLUMN reserved").format(sql.Identifier(schema))
    )
    with pytest.raises(SchemaMismatch) as info:
        ledger.reserve("O-3", line, ttl=timedelta(minutes=5))
    assert info.value.details["found"] == 2
    assert store.migrate() == SCHEMA_VERSION  # the counter is back, counted again
    ledger.reserve("O-3", line, ttl=timedelta(minutes=5))
    assert ledger.available("A", "WH1") == 2
    assert ledger.verify() == []


def test_quantities_and_times_are_bigints_and_tenants_lead_every_key(
    store: PostgresStore, admin: Admin, schema: str
) -> None:
    types = admin.execute(
        "SELECT DISTINCT data_type FROM information_schema.columns WHERE table_schema = %s "
        "AND column_name IN ('quantity', 'committed', 'on_hand', 'effective_at', "
        "'recorded_at', 'expires_at', 'created_at', 'occurred_at', 'acknowledged_at')",
        (schema,),
    ).fetchall()
    assert types == [("bigint",)]
    leading = admin.execute(
        "SELECT k.table_name, k.column_name FROM information_schema.table_constraints t "
        "JOIN information_schema.key_column_usage k "
        "ON k.constraint_schema = t.constraint_schema AND k.constraint_name = t.constraint_name "
        "WHERE t.constraint_type = 'PRIMARY KEY' AND t.table_schema = %s "
        "AND k.ordinal_position = 1",
        (schema,),
    ).fetchall()
    first = {table: column for table, column in leading if table in TENANT_TABLES}
    assert first == dict.fromkeys(TENANT_TABLES, "tenant")


# -- row-level security ------------------------------------------------------------------


def test_every_tenant_table_forces_row_level_security(
    store: PostgresStore, admin: Admin, schema: str
) -> None:
    rows = admin.execute(
        "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relkind = 'r'",
        (schema,),
    ).fetchall()
    found = {name: (enabled, forced) for name, enabled, forced in rows}
    assert found == {
        **dict.fromkeys(TENANT_TABLES, (True, True)),
        "bo_schema_migrations": (False, False),
    }


def test_an_ordinary_role_sees_and_changes_only_its_tenants_rows(
    store: PostgresStore, admin: Admin, schema: str, postgres_url: str
) -> None:
    clock = ManualClock(START)
    for tenant in ("acme", "globex"):
        ledger = Inventory(store.for_tenant(tenant), clock=clock)
        ledger.add_item(Item(f"{tenant}-1"))
        ledger.add_location(Location("WH1"))
        ledger.receive(f"{tenant}-1", 5, "WH1")
    grant_app_role(admin, schema)
    with psycopg.connect(
        postgres_url, autocommit=True, options=f"-csearch_path={schema}"
    ) as connection:
        connection.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(APP_ROLE)))
        assert connection.execute("SELECT sku FROM bo_items").fetchall() == []  # no tenant
        connection.execute("SELECT set_config('backoffice.tenant', 'globex', false)")
        assert connection.execute("SELECT tenant, sku FROM bo_items").fetchall() == [
            ("globex", "globex-1")
        ]
        assert connection.execute("SELECT DISTINCT tenant FROM bo_movements").fetchall() == [
            ("globex",)
        ]
        stolen = connection.execute("UPDATE bo_items SET name = 'stolen' WHERE tenant = 'acme'")
        assert stolen.rowcount == 0
        erased = connection.execute("DELETE FROM bo_balances WHERE tenant = 'acme'")
        assert erased.rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute(
                "INSERT INTO bo_items VALUES ('acme', 'planted', 'C62', 'none', 'forbid', '')"
            )
    acme = Inventory(store, clock=clock)
    assert [(item.sku, item.name) for item in acme.store.run(lambda u: u.items.all())] == [
        ("acme-1", "")
    ]
    assert acme.balance("acme-1", "WH1").on_hand == 5


# -- retries -----------------------------------------------------------------------------


def test_run_retries_a_serialization_failure(store: PostgresStore) -> None:
    calls: list[int] = []

    def work(uow: UnitOfWork) -> str:
        calls.append(1)
        uow.items.add(Item("ONCE"))
        if len(calls) == 1:
            raise psycopg.errors.SerializationFailure("forced")
        return "done"

    assert store.run(work) == "done"
    assert len(calls) == 2
    assert [item.sku for item in store.run(lambda uow: uow.items.all())] == ["ONCE"]


def test_run_gives_up_after_its_attempts(open_in_schema: Callable[..., PostgresStore]) -> None:
    store = open_in_schema(attempts="3")
    store.migrate()
    calls: list[int] = []

    def work(uow: UnitOfWork) -> None:
        calls.append(1)
        raise psycopg.errors.DeadlockDetected("forced")

    with pytest.raises(ConcurrencyConflict) as info:
        store.run(work)
    assert len(calls) == 3
    assert info.value.details["attempts"] == 3
    assert info.value.details["sqlstate"] == "40P01"
    assert "retryable" not in info.value.details


def test_other_driver_errors_are_translated_and_not_retried(store: PostgresStore) -> None:
    calls: list[int] = []

    def work(uow: UnitOfWork) -> None:
        calls.append(1)
        raise psycopg.errors.DataError("forced")

    with pytest.raises(StorageError) as info:
        store.run(work)
    assert not isinstance(info.value, psycopg.Error)
    assert info.value.details["driver_error"] == "DataError"
    assert len(calls) == 1
    with pytest.raises(StorageError) as overflow:
        store.run(lambda uow: uow.balances.set(("A", "WH1", ""), Decimal(10**15)))
    assert overflow.value.details["sqlstate"] == "22003"  # numeric_value_out_of_range
    for text in ("NUL\x00", "SURROGATE\ud800"):
        item = Item(text)
        with pytest.raises(StorageError):
            store.run(lambda uow: uow.items.add(item))  # noqa: B023 - called at once
        with pytest.raises(StorageError):
            store.for_tenant(text).run(lambda uow: uow.items.all())


@pytest.mark.parametrize("isolation", ["repeatable_read", "serializable"])
def test_two_conflicting_transactions_are_retried_not_lost(
    open_in_schema: Callable[..., PostgresStore], isolation: str
) -> None:
    """Both read the same balance, then both write it: PostgreSQL refuses the second
    with a serialization failure, and the store runs it again on fresh data."""
    store = open_in_schema(isolation=isolation)
    store.migrate()
    key = ("A", "WH1", "")
    store.run(lambda uow: uow.balances.set(key, Decimal(0)))
    barrier = threading.Barrier(2)
    calls: list[int] = []

    def increment(uow: UnitOfWork) -> None:
        seen = uow.balances.on_hand(key)
        calls.append(1)
        if len(calls) <= 2:
            barrier.wait(timeout=10)  # both have read before either writes
        uow.balances.set(key, seen + 1)

    threads = [threading.Thread(target=store.run, args=(increment,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.run(lambda uow: uow.balances.on_hand(key)) == 2
    assert len(calls) == 3


# -- concurrency through the ledger ------------------------------------------------------


@pytest.mark.parametrize("isolation", LEVELS)
def test_concurrent_checkouts_never_oversell(
    open_in_schema: Callable[..., PostgresStore], isolation: str
) -> None:
    store = open_in_schema(isolation=isolation, pool_max="20", attempts="50")
    store.migrate()
    ledger = Inventory(store)
    ledger.add_item(Item("SKU-1"))
    ledger.add_location(Location("WH1"))
    ledger.receive("SKU-1", 10, "WH1")
    outcomes: list[str] = []
    barrier = threading.Barrier(20)

    def checkout() -> None:
        barrier.wait(timeout=10)
        try:
            ledger.reserve("O", [ReserveLine("SKU-1", "WH1", 1)], ttl=timedelta(minutes=5))
            outcomes.append("held")
        except InsufficientStock:
            outcomes.append("refused")

    threads = [threading.Thread(target=checkout) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["held"] * 10 + ["refused"] * 10
    assert ledger.available("SKU-1", "WH1") == 0
    assert ledger.verify() == []


def _pay_run_and_payslip() -> tuple[PayRunRecord, PayslipRecord]:
    run = PayRunRecord(
        "r1", "BR", date(2026, 5, 1), date(2026, 5, 31), date(2026, 6, 5), "open", START
    )
    slip = PayslipRecord(
        "s1", "r1", "E-1", Decimal("3000.00"), Decimal("2736.27"), "BRL", "f", "{}", START
    )
    return run, slip


@pytest.mark.parametrize("isolation", LEVELS)
@pytest.mark.parametrize("first", ["add", "close"])
def test_a_payslip_never_lands_in_a_run_closed_beside_it(
    open_in_schema: Callable[..., PostgresStore], isolation: str, first: str
) -> None:
    """One transaction adds a payslip while another closes the run, each waiting inside
    its transaction for the other to start: the second waits for the first's commit.
    A payslip added first is kept; a close first refuses the payslip."""
    store = open_in_schema(isolation=isolation)
    store.migrate()
    run, slip = _pay_run_and_payslip()
    store.run(lambda uow: uow.payroll.add_run(run))
    inside, go_on = threading.Event(), threading.Event()
    outcome: list[str] = []

    def add(uow: UnitOfWork) -> None:
        uow.payroll.add_payslips([slip])

    def close(uow: UnitOfWork) -> None:
        uow.payroll.close_run("r1", START)

    paused, other = (add, close) if first == "add" else (close, add)

    def hold(uow: UnitOfWork) -> None:
        paused(uow)
        inside.set()
        assert go_on.wait(timeout=10)

    def second() -> None:
        assert inside.wait(timeout=10)
        try:
            store.run(other)
            outcome.append("done")
        except PayRunClosed:
            outcome.append("refused")

    thread = threading.Thread(target=second)
    thread.start()
    holder = threading.Thread(target=store.run, args=(hold,))
    holder.start()
    assert inside.wait(timeout=10)
    time.sleep(0.3)
    assert outcome == []  # waiting for the first transaction's row lock
    go_on.set()
    holder.join()
    thread.join()
    stored = store.run(lambda uow: (uow.payroll.get_run("r1"), uow.payroll.payslips("r1")))
    assert stored[0] is not None and stored[0].state == "closed"
    if first == "add":
        assert outcome == ["done"]
        assert stored[1] == [slip]
    else:
        assert outcome == ["refused"]
        assert stored[1] == []


@pytest.mark.parametrize("isolation", LEVELS)
def test_concurrent_first_receipts_and_replays_all_succeed(
    open_in_schema: Callable[..., PostgresStore], isolation: str
) -> None:
    """Racing to create the same virtual location, or to store the same idempotency
    key, is a conflict to retry, not a DuplicateRecord for the caller."""
    store = open_in_schema(isolation=isolation, pool_max="20", attempts="50")
    store.migrate()
    ledger = Inventory(store)
    ledger.add_item(Item("SKU-1"))
    ledger.add_location(Location("WH1"))
    results: list[Any] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(12)

    def receive(number: int) -> None:
        barrier.wait(timeout=10)
        try:
            key = "same" if number % 2 else f"own-{number}"
            results.append(ledger.receive("SKU-1", 1, "WH1", idempotency_key=key).id)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=receive, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == 12
    assert len(set(results)) == 7  # six own keys, and one movement for the shared key
    assert ledger.balance("SKU-1", "WH1").on_hand == 7
    assert ledger.verify() == []


# -- the pool, URLs and errors -----------------------------------------------------------


def test_the_pool_opens_on_first_use_and_close_closes_it(
    postgres_url: str, schema: str, admin: Admin
) -> None:
    name = f"bo_test_{uuid.uuid4().hex[:8]}"
    store = PostgresStore.from_url(with_options(postgres_url, schema=schema, application_name=name))
    other = store.for_tenant("other")

    def connections() -> int:
        row = admin.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", (name,)
        ).fetchone()
        assert row is not None
        return int(row[0])

    assert connections() == 0
    store.migrate()
    other.run(lambda uow: uow.items.all())
    assert connections() >= 1
    other.close()
    deadline = time.monotonic() + 10
    while connections() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert connections() == 0
    with pytest.raises(StorageError, match="closed"):
        store.run(lambda uow: uow.items.all())


def test_an_unreachable_server_is_a_storage_error() -> None:
    store = PostgresStore.from_url(
        "postgresql://postgres@127.0.0.1:1/test?pool_timeout=0.5&pool_min=0&connect_timeout=1"
    )
    try:
        with pytest.raises(StorageError) as info:
            store.run(lambda uow: uow.items.all())
        assert not isinstance(info.value, psycopg.Error)
        assert info.value.details["driver_error"] == "PoolTimeout"
    finally:
        store.close()


@pytest.mark.parametrize(
    "query",
    [
        "isolation=chaos",
        "schema=no;such",
        "pool_max=0",
        "pool_min=5&pool_max=2",
        "attempts=0",
        "pool_timeout=soon",
    ],
)
def test_malformed_options_are_refused(query: str) -> None:
    with pytest.raises(UnsupportedStore):
        open_store(f"postgresql://postgres@127.0.0.1/test?{query}")


def test_the_password_never_shows() -> None:
    store = PostgresStore.from_url("postgres://me:s3cret@127.0.0.1/test?isolation=SERIALIZABLE")
    assert "s3cret" not in repr(store)
    assert store.isolation == "SERIALIZABLE"
    with pytest.raises(UnsupportedStore) as info:
        open_store("postgresql://me:s3cret@127.0.0.1/test?isolation=chaos")
    assert "s3cret" not in str(info.value)
    store.close()


def test_a_unit_of_work_is_used_inside_its_with_block(store: PostgresStore) -> None:
    uow = store.unit_of_work()
    with pytest.raises(StorageError):
        uow.items.all()
