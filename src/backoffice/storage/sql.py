"""What the SQL adapters share: the schema, every statement, the repositories, the unit
of work and the store, written once and parameterized by a small :class:`Dialect`.

:mod:`backoffice.storage.sqlite` and :mod:`backoffice.storage.postgres` only bring a
driver: they open connections (a :class:`Database` hands out :class:`Connection` objects),
begin transactions the way their database wants (``BEGIN IMMEDIATE``; ``BEGIN ISOLATION
LEVEL …`` and the tenant setting), and translate the driver's exceptions into
:class:`~backoffice.errors.StorageError` and its subclasses.

How values are kept, on both databases:

* quantities as ``BIGINT`` counts of millionths (:func:`~backoffice.inventory.model.to_micro`),
  never floats;
* instants as ``BIGINT`` microseconds since the Unix epoch, UTC; read back as aware UTC
  datetimes;
* JSON (outbox payloads, idempotent results) as text.

Every table but ``bo_schema_migrations`` has a ``tenant`` column first in its primary key,
and every statement filters on the store's tenant.
"""

from __future__ import annotations

import abc
import json
import random
import re
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import TracebackType
from typing import Any, Final, NamedTuple, Self, TypeVar

import attrs

from backoffice.core._numbers import EXACT
from backoffice.core.money import UnitPrice
from backoffice.core.quantity import Packaging, Quantity
from backoffice.core.time import ensure_aware
from backoffice.errors import (
    ConcurrencyConflict,
    DuplicateRecord,
    InvalidValue,
    NotFound,
    SchemaMismatch,
    StorageError,
)
from backoffice.inventory.model import (
    Component,
    Incoming,
    Item,
    Location,
    Lot,
    Movement,
    ReorderRule,
    Reservation,
    ReservationLine,
    ReservationStatus,
    from_micro,
    to_micro,
)
from backoffice.storage.ports import BalanceKey, NotHeld, OutboxEvent, UnitOfWork
from backoffice.storage.schema import SCHEMA_VERSION
from backoffice.storage.sql_compliance import COMPLIANCE_TABLES, ComplianceStatements, SqlJournal
from backoffice.storage.sql_invoicing import (
    INVOICING_TABLES,
    InvoicingStatements,
    SqlInvoices,
    SqlPayments,
)
from backoffice.storage.sql_payroll import PAYROLL_TABLES, PayrollStatements, SqlPayroll

__all__ = [
    "DEFAULT_ATTEMPTS",
    "POSTGRES",
    "SQLITE",
    "TENANT_SETTING",
    "TENANT_TABLES",
    "Connection",
    "Database",
    "Dialect",
    "Result",
    "Sql",
    "SqlStore",
    "SqlUnitOfWork",
    "day_column",
    "decimal_column",
    "decimal_text",
    "from_epoch_micros",
    "not_held",
    "retry_conflict",
    "schema_mismatch",
    "to_epoch_micros",
    "unencodable",
    "validate_tenant",
]

T = TypeVar("T")

#: How many times :meth:`SqlStore.run` tries a unit of work that keeps conflicting.
DEFAULT_ATTEMPTS: Final = 8
_BACKOFF_BASE: Final = 0.002  # seconds; doubled on every attempt, with full jitter
_BACKOFF_CAP: Final = 0.25
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_ACTIVE: Final = ReservationStatus.ACTIVE.value
#: The status of a reservation line that no longer counts in its balance's reserved
#: counter because its reservation expired (lines only: the reservation stays active
#: until the sweep marks it expired).
_LAPSED: Final = "lapsed"


# ---------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------


def to_epoch_micros(value: datetime, field: str = "value") -> int:
    """An aware datetime as integer microseconds since 1970-01-01T00:00:00Z (exact)."""
    delta = ensure_aware(value, field) - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_epoch_micros(value: int) -> datetime:
    """The inverse of :func:`to_epoch_micros`: an aware datetime in UTC."""
    return _EPOCH + timedelta(microseconds=int(value))


def decimal_column(value: Any) -> Decimal:
    """A decimal column read back (SQLite gives its text, PostgreSQL a Decimal)."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def decimal_text(value: Decimal) -> str:
    """An exact decimal as text: SQLite keeps it as written, PostgreSQL casts it."""
    return format(value, "f")


def day_column(value: Any) -> date:
    """A date column read back (ISO text on SQLite, a date on PostgreSQL)."""
    return date.fromisoformat(str(value))


def validate_tenant(tenant: object) -> str:
    """``tenant`` if it is a non-empty text of at most 100 characters."""
    if not isinstance(tenant, str) or not tenant or len(tenant) > 100:
        raise InvalidValue(
            field="tenant",
            reason=f"a tenant is a non-empty text of at most 100 characters, got {tenant!r}",
        )
    return tenant


def _limit(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidValue(field="limit", reason=f"must be an int >= 0, got {value!r}")
    return value


#: One encoder for every payload (``json.dumps`` with options builds one per call).
_ENCODER: Final = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def _json(value: Any, field: str) -> str:
    try:
        return _ENCODER.encode(value)
    except (TypeError, ValueError) as error:
        raise InvalidValue(field=field, reason=f"must be JSON-serialisable: {error}") from error


def unencodable(error: UnicodeEncodeError) -> StorageError:
    """The StorageError for text that is not valid Unicode (a lone surrogate...)."""
    return StorageError(
        reason=f"text that cannot be stored as UTF-8: {error.reason}",
        driver_error=type(error).__name__,
    )


def retry_conflict(message: str, **details: Any) -> ConcurrencyConflict:
    """A conflict that :meth:`SqlStore.run` retries (``details["retryable"]`` is true)."""
    return ConcurrencyConflict(message, attempts=1, retryable=True, **details)


def not_held(error: StorageError) -> NotHeld | None:
    """The :class:`NotHeld` that ``error`` stands for: the refusal of an event written
    without its hold (see :attr:`Sql.reservation_place`); ``None`` for any other error."""
    details = error.details
    if (details.get("sqlstate"), details.get("table"), details.get("column")) == (
        "23502",
        "bo_outbox",
        "occurred_at",
    ):
        return NotHeld("the balance cannot hold the line")
    return None


# ---------------------------------------------------------------------------------------
# Dialects and statements
# ---------------------------------------------------------------------------------------


@attrs.frozen
class Dialect:
    """What differs between the SQL databases, as text substituted into the statements.

    Attributes:
        name: ``"sqlite"`` or ``"postgresql"``.
        param: the driver's placeholder (``?`` or ``%s``).
        integer: the 64-bit integer column type.
        decimal: the column type of an exact decimal (``NUMERIC``; ``TEXT`` on SQLite,
            whose ``NUMERIC`` affinity may store a float).
        serial: the column type of a number the database assigns (journal order, event
            ids); ``next_serial`` is the value inserted into it (``{table}`` and
            ``{column}`` are substituted).
        collate: appended to text sort keys so that every store sorts by code point
            (the memory store sorts Python strings).
        row_locks: whether the database takes row locks (``SELECT … FOR UPDATE``). SQLite
            has none: ``BEGIN IMMEDIATE`` already makes every unit of work the only writer.
        lock_by_update: take the balances' locks with a no-op ``UPDATE`` instead of
            ``SELECT … FOR UPDATE``. Needed at PostgreSQL's snapshot isolation levels,
            where a lock taken by ``FOR UPDATE`` alone does not conflict with a
            transaction whose snapshot predates the locker's commit.
        returning: whether ``INSERT … RETURNING`` is available.
        array_params: whether a list can be bound as an array (``= ANY(%s)``).
        row_security: whether to enable row-level security on every tenant table.
        writable_cte: whether ``WITH … AS (INSERT/UPDATE …)`` is available, to write a
            reservation, its event and its hold in one statement.
    """

    name: str
    param: str
    integer: str
    decimal: str
    serial: str
    next_serial: str
    collate: str
    row_locks: bool
    lock_by_update: bool
    returning: bool
    array_params: bool
    row_security: bool
    writable_cte: bool


SQLITE: Final = Dialect(
    name="sqlite",
    param="?",
    integer="INTEGER",
    decimal="TEXT",
    serial="INTEGER NOT NULL",
    # Writers are serialized by BEGIN IMMEDIATE: the next number cannot be taken twice.
    next_serial="(SELECT COALESCE(MAX({column}), 0) + 1 FROM {table})",
    collate="",  # BINARY: the bytes of UTF-8, that is code point order
    row_locks=False,
    lock_by_update=False,
    returning=False,
    array_params=False,
    row_security=False,
    writable_cte=False,
)

POSTGRES: Final = Dialect(
    name="postgresql",
    param="%s",
    integer="BIGINT",
    decimal="NUMERIC",
    serial="BIGINT GENERATED ALWAYS AS IDENTITY",
    next_serial="DEFAULT",
    collate=' COLLATE "C"',
    row_locks=True,
    lock_by_update=False,
    returning=True,
    array_params=True,
    row_security=True,
    writable_cte=True,
)

_VERSION_1_TABLES: Final = (
    "bo_items",
    "bo_locations",
    "bo_movements",
    "bo_balances",
    "bo_reservations",
    "bo_reservation_lines",
    "bo_idempotency",
    "bo_outbox",
)
_VERSION_2_TABLES: Final = ("bo_lots", "bo_incoming", "bo_reorder_rules", "bo_settings")

#: The tables that hold a tenant's data (all but the migrations table).
TENANT_TABLES: Final = (
    _VERSION_1_TABLES + _VERSION_2_TABLES + INVOICING_TABLES + PAYROLL_TABLES + COMPLIANCE_TABLES
)

#: The PostgreSQL setting that row-level security compares every row's tenant with.
TENANT_SETTING: Final = "backoffice.tenant"

_MOVEMENT_COLUMNS: Final = (
    "id, kind, item, quantity, source, destination, effective_at, recorded_at, lot, reason, "
    "reference, actor, reverses, cost_amount, cost_currency"
)
_INCOMING_COLUMNS: Final = (
    "id, origin, item, location, quantity, expected_at, created_at, lot, arrived, status, "
    "reference, source, movement"
)
_RESERVATION_COLUMNS: Final = (
    "r.id, r.order_ref, r.status, r.expires_at, r.created_at, "
    "l.item, l.location, l.lot, l.quantity, l.committed"
)


def _positional(param: str, statement: str) -> tuple[str, tuple[str, ...]]:
    """``statement`` with its ``%(name)s`` parameters as the dialect's placeholder, and
    the names in order (a name may repeat)."""
    names = tuple(re.findall(r"%\((\w+)\)s", statement))
    return re.sub(r"%\(\w+\)s", lambda _: param, statement), names


class Sql:
    """Every statement the adapters run, for one dialect.

    Statements are written once, here; the dialect fills in placeholders, types and the
    few constructs that differ.
    """

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        p, i, c = dialect.param, dialect.integer, dialect.collate

        def values(count: int) -> str:
            return ", ".join([p] * count)

        def serial(table: str, column: str) -> str:
            return dialect.next_serial.format(table=table, column=column)

        #: The invoicing tables' statements.
        self.invoicing = InvoicingStatements(dialect)
        #: The payroll tables' statements.
        self.payroll = PayrollStatements(dialect)
        #: The audit journal's statements.
        self.compliance = ComplianceStatements(dialect)

        # -- schema ------------------------------------------------------------------------
        self.create_version_table = (
            "CREATE TABLE IF NOT EXISTS bo_schema_migrations ("
            f"version {i} PRIMARY KEY, applied_at {i} NOT NULL)"
        )
        self.version_read = "SELECT COALESCE(MAX(version), 0) FROM bo_schema_migrations"
        self.version_insert = (
            f"INSERT INTO bo_schema_migrations (version, applied_at) VALUES ({values(2)}) "
            "ON CONFLICT (version) DO NOTHING"
        )
        if dialect.name == "sqlite":
            self.version_table_exists = (
                "SELECT COUNT(*) FROM sqlite_master "
                "WHERE type = 'table' AND name = 'bo_schema_migrations'"
            )
            #: Serializes concurrent migrations (SQLite: BEGIN IMMEDIATE already does).
            self.migration_lock: str | None = None
        else:
            self.version_table_exists = "SELECT to_regclass('bo_schema_migrations') IS NOT NULL"
            self.migration_lock = "SELECT pg_advisory_xact_lock(hashtext('backoffice.migrate'))"
        #: The statements of each schema version, applied in order by ``migrate()``.
        self.migrations: dict[int, tuple[str, ...]] = {
            1: self._version_1(),
            2: self._version_2(),
            3: self._version_3_reserved_counter(),
            4: (*self.invoicing.migration(), *self._row_security(INVOICING_TABLES)),
            5: (*self.payroll.migration(), *self._row_security(PAYROLL_TABLES)),
            6: (*self.compliance.migration(), *self._row_security(COMPLIANCE_TABLES)),
        }

        # -- connections (SQLite: per connection; {level} and {milliseconds} are checked
        # numbers and keywords, filled in by the adapter) -------------------------------
        self.sqlite_wal = "PRAGMA journal_mode = WAL"
        self.sqlite_setup = (
            "PRAGMA synchronous = {level}",
            "PRAGMA busy_timeout = {milliseconds}",
            "PRAGMA foreign_keys = ON",
        )
        self.sqlite_journal_mode = "PRAGMA journal_mode"
        self.sqlite_synchronous = "PRAGMA synchronous"
        self.sqlite_busy_timeout = "PRAGMA busy_timeout"
        self.sqlite_foreign_keys = "PRAGMA foreign_keys"

        # -- transactions -----------------------------------------------------------------
        self.begin_immediate = "BEGIN IMMEDIATE"
        #: PostgreSQL: begin, bind the transaction to a tenant and read the schema
        #: version in one round trip; ``{level}`` and ``{tenant}`` are filled in with
        #: psycopg's ``sql.SQL``/``sql.Literal`` (simple query protocol, no parameters).
        self.begin_unit_postgres = (
            "BEGIN ISOLATION LEVEL {level}; "
            f"SELECT set_config('{TENANT_SETTING}', {{tenant}}, true), ({self.version_read})"
        )
        #: PostgreSQL, for a unit of work sent in one message with its statements and
        #: its COMMIT: begin, bind the tenant (``%s``) and fail unless the schema is at
        #: this library's version, so that nothing after it runs on another schema. (The
        #: failing branch is not a constant, which the planner would evaluate anyway.)
        self.begin_unit_checked_postgres = (
            "BEGIN ISOLATION LEVEL {level}; "
            f"SELECT set_config('{TENANT_SETTING}', %s, true), "
            f"CAST(CASE WHEN v.version = {SCHEMA_VERSION} THEN '0' "
            "ELSE 'schema version ' || v.version END AS INTEGER) "
            "FROM (SELECT COALESCE(MAX(version), 0) AS version FROM bo_schema_migrations) AS v"
        )
        self.begin_postgres = "BEGIN ISOLATION LEVEL {level}"
        self.commit = "COMMIT"
        self.rollback = "ROLLBACK"
        #: Around a batch insert, so that a batch that meets a duplicate is undone alone.
        self.savepoint = "SAVEPOINT bo_batch"
        self.savepoint_release = "RELEASE SAVEPOINT bo_batch"
        self.savepoint_rollback = "ROLLBACK TO SAVEPOINT bo_batch"

        # -- items and locations ----------------------------------------------------------
        item_columns = "sku, unit, tracking, negative, name, components, packagings"
        self.item_get = f"SELECT {item_columns} FROM bo_items WHERE tenant = {p} AND sku = {p}"
        self.item_insert = (
            f"INSERT INTO bo_items (tenant, {item_columns}) "
            f"VALUES ({values(8)}) ON CONFLICT (tenant, sku) DO NOTHING"
        )
        self.item_all = f"SELECT {item_columns} FROM bo_items WHERE tenant = {p} ORDER BY sku{c}"
        self.location_get = (
            f"SELECT code, kind, parent, name FROM bo_locations WHERE tenant = {p} AND code = {p}"
        )
        self.location_insert = (
            "INSERT INTO bo_locations (tenant, code, kind, parent, name) "
            f"VALUES ({values(5)}) ON CONFLICT (tenant, code) DO NOTHING"
        )
        self.location_all = (
            f"SELECT code, kind, parent, name FROM bo_locations WHERE tenant = {p} ORDER BY code{c}"
        )

        # -- movements --------------------------------------------------------------------
        self.movement_insert = (
            f"INSERT INTO bo_movements (tenant, seq, {_MOVEMENT_COLUMNS}) "
            f"VALUES ({p}, {serial('bo_movements', 'seq')}, {values(15)}) "
            "ON CONFLICT (tenant, id) DO NOTHING"
        )
        #: Only undoes this unit of work's own insert when a batch meets a duplicate.
        self.movement_forget = f"DELETE FROM bo_movements WHERE tenant = {p} AND id = {p}"
        #: With one writer at a time (no row locks), the rows a batch inserted are the
        #: ones numbered above the last number before it.
        self.movement_last_seq = "SELECT COALESCE(MAX(seq), 0) FROM bo_movements"
        self.movement_forget_after = f"DELETE FROM bo_movements WHERE tenant = {p} AND seq > {p}"
        self.movement_get = (
            f"SELECT {_MOVEMENT_COLUMNS} FROM bo_movements WHERE tenant = {p} AND id = {p}"
        )
        self.movement_all = (
            f"SELECT {_MOVEMENT_COLUMNS} FROM bo_movements WHERE tenant = {p} ORDER BY seq"
        )
        self.movement_all_of_item = (
            f"SELECT {_MOVEMENT_COLUMNS} FROM bo_movements WHERE tenant = {p} AND item = {p} "
            "ORDER BY seq"
        )

        # -- balances ---------------------------------------------------------------------
        balance_key = f"tenant = {p} AND item = {p} AND location = {p} AND lot = {p}"
        upsert = (
            "INSERT INTO bo_balances (tenant, item, location, lot, on_hand) "
            f"VALUES ({values(5)}) ON CONFLICT (tenant, item, location, lot) DO "
        )
        self.balance_create = upsert + "NOTHING"
        self.balance_lock: str | None
        if not dialect.row_locks:
            self.balance_lock = None
        elif dialect.lock_by_update:
            self.balance_lock = f"UPDATE bo_balances SET on_hand = on_hand WHERE {balance_key}"
        else:
            self.balance_lock = f"SELECT on_hand FROM bo_balances WHERE {balance_key} FOR UPDATE"
        self.balance_get = f"SELECT on_hand FROM bo_balances WHERE {balance_key}"
        self.balance_add = upsert + "UPDATE SET on_hand = bo_balances.on_hand + excluded.on_hand"
        if dialect.returning:
            self.balance_add += " RETURNING on_hand"
        self.balance_set = upsert + "UPDATE SET on_hand = excluded.on_hand"
        self.balance_all = (
            f"SELECT item, location, lot, on_hand FROM bo_balances WHERE tenant = {p} "
            f"ORDER BY item{c}, location{c}, lot{c}"
        )
        #: The reserved counter: checked and raised in one statement, which is also the
        #: one that takes the balance's row lock.
        #: ... unless a reorder rule watches the item there: then the exact way decides
        #: (it knows what was available before, for the low-stock event).
        unwatched = (
            "NOT EXISTS (SELECT 1 FROM bo_reorder_rules w WHERE w.tenant = bo_balances.tenant "
            "AND w.item = bo_balances.item AND w.location = bo_balances.location)"
        )
        self.balance_hold = (
            f"UPDATE bo_balances SET reserved = reserved + {p} WHERE {balance_key} "
            f"AND on_hand - reserved >= {p} AND {unwatched}"
        )
        held = (
            "INSERT INTO bo_balances (tenant, item, location, lot, on_hand, reserved) "
            f"VALUES ({values(4)}, 0, {p}) ON CONFLICT (tenant, item, location, lot) DO "
        )
        self.balance_add_held = (
            held + "UPDATE SET reserved = bo_balances.reserved + excluded.reserved"
        )
        self.balance_set_held = held + "UPDATE SET reserved = excluded.reserved"
        self.balance_all_held = (
            f"SELECT item, location, lot, reserved FROM bo_balances WHERE tenant = {p} "
            f"ORDER BY item{c}, location{c}, lot{c}"
        )
        self.balance_at = (
            f"SELECT lot, on_hand FROM bo_balances WHERE tenant = {p} AND item = {p} "
            f"AND location = {p} ORDER BY lot{c}"
        )
        self.balance_of_item = (
            f"SELECT item, location, lot, on_hand FROM bo_balances WHERE tenant = {p} "
            f"AND item = {p} ORDER BY location{c}, lot{c}"
        )

        # -- lots, incoming stock, reorder rules, settings ----------------------------------
        self.lot_get = (
            f"SELECT item, code, expires_on FROM bo_lots WHERE tenant = {p} AND item = {p} "
            f"AND code = {p}"
        )
        self.lot_insert = (
            f"INSERT INTO bo_lots (tenant, item, code, expires_on) VALUES ({values(4)}) "
            "ON CONFLICT (tenant, item, code) DO NOTHING"
        )
        self.lot_of_item = (
            f"SELECT item, code, expires_on FROM bo_lots WHERE tenant = {p} AND item = {p} "
            f"ORDER BY code{c}"
        )
        self.incoming_insert = (
            f"INSERT INTO bo_incoming (tenant, {_INCOMING_COLUMNS}) VALUES ({values(14)}) "
            "ON CONFLICT (tenant, id) DO NOTHING"
        )
        self.incoming_get = (
            f"SELECT {_INCOMING_COLUMNS} FROM bo_incoming WHERE tenant = {p} AND id = {p}"
        )
        #: Compare-and-set: only when the entry still has the values that were read.
        self.incoming_update = (
            f"UPDATE bo_incoming SET arrived = {p}, status = {p} WHERE tenant = {p} AND id = {p} "
            f"AND arrived = {p} AND status = {p}"
        )
        open_incoming = (
            f"SELECT {_INCOMING_COLUMNS} FROM bo_incoming WHERE tenant = {p} "
            f"AND status = 'open' AND item = {p}"
        )
        self.incoming_open = f"{open_incoming} ORDER BY expected_at, id{c}"
        self.incoming_open_at = f"{open_incoming} AND location = {p} ORDER BY expected_at, id{c}"
        self.reorder_put = (
            "INSERT INTO bo_reorder_rules (tenant, item, location, minimum, maximum) "
            f"VALUES ({values(5)}) ON CONFLICT (tenant, item, location) DO UPDATE "
            "SET minimum = excluded.minimum, maximum = excluded.maximum"
        )
        self.reorder_get = (
            "SELECT item, location, minimum, maximum FROM bo_reorder_rules "
            f"WHERE tenant = {p} AND item = {p} AND location = {p}"
        )
        self.reorder_remove = (
            f"DELETE FROM bo_reorder_rules WHERE tenant = {p} AND item = {p} AND location = {p}"
        )
        self.reorder_all = (
            "SELECT item, location, minimum, maximum FROM bo_reorder_rules "
            f"WHERE tenant = {p} ORDER BY item{c}, location{c}"
        )
        self.setting_get = f"SELECT value FROM bo_settings WHERE tenant = {p} AND name = {p}"
        #: A named lock of the tenant, to the end of the transaction (PostgreSQL; SQLite
        #: runs one writer at a time).
        self.setting_lock: str | None = None
        self.setting_lock_shared: str | None = None
        if dialect.row_locks:
            key = f"hashtextextended({p} || '/' || {p}, 0)"
            self.setting_lock = f"SELECT pg_advisory_xact_lock({key})"
            self.setting_lock_shared = f"SELECT pg_advisory_xact_lock_shared({key})"
        self.setting_put = (
            f"INSERT INTO bo_settings (tenant, name, value) VALUES ({values(3)}) "
            "ON CONFLICT (tenant, name) DO UPDATE SET value = excluded.value"
        )

        # -- reservations -----------------------------------------------------------------
        self.reservation_insert = (
            "INSERT INTO bo_reservations (tenant, id, order_ref, status, expires_at, created_at) "
            f"VALUES ({values(6)}) ON CONFLICT (tenant, id) DO NOTHING"
        )
        self.reservation_line_insert = (
            "INSERT INTO bo_reservation_lines (tenant, reservation, line_no, item, location, "
            f"lot, quantity, committed, status, expires_at) VALUES ({values(10)})"
        )
        #: A reservation of one line, its event and its hold in one statement, so that
        #: it can be sent with the COMMIT: the balance's lock is then held only while the
        #: server commits. The event is written only with the hold: without one (short,
        #: or no balance) its time is NULL, which the column refuses, and the whole
        #: transaction fails (see :func:`not_held`).
        self.reservation_place: str | None = None
        #: The names of :attr:`reservation_place`'s parameters, in order.
        self.reservation_place_params: tuple[str, ...] = ()
        if dialect.writable_cte:
            self.reservation_place, self.reservation_place_params = _positional(
                p,
                "WITH held AS (UPDATE bo_balances SET reserved = reserved + %(quantity)s "
                "WHERE tenant = %(tenant)s AND item = %(item)s AND location = %(location)s "
                "AND lot = %(lot)s AND on_hand - reserved >= %(quantity)s "
                f"AND {unwatched} RETURNING 1), "
                "header AS (INSERT INTO bo_reservations (tenant, id, order_ref, status, "
                "expires_at, created_at) VALUES (%(tenant)s, %(id)s, %(order_ref)s, "
                "%(status)s, %(expires_at)s, %(created_at)s)), "
                "line AS (INSERT INTO bo_reservation_lines (tenant, reservation, line_no, item, "
                "location, lot, quantity, committed, status, expires_at) VALUES (%(tenant)s, "
                "%(id)s, 0, %(item)s, %(location)s, %(lot)s, %(quantity)s, 0, %(status)s, "
                "%(expires_at)s)) "
                "INSERT INTO bo_outbox (tenant, type, payload, occurred_at) "
                "SELECT %(tenant)s, %(event_type)s, %(payload)s, "
                "CASE WHEN COUNT(*) = 1 THEN %(at)s::BIGINT END FROM held",
            )
        self.reservation_get = (
            f"SELECT {_RESERVATION_COLUMNS} FROM bo_reservations r "
            "LEFT JOIN bo_reservation_lines l ON l.tenant = r.tenant AND l.reservation = r.id "
            f"WHERE r.tenant = {p} AND r.id = {p} ORDER BY l.line_no"
        )
        self.reservation_update = (
            f"UPDATE bo_reservations SET status = {p}, expires_at = {p} "
            f"WHERE tenant = {p} AND id = {p}"
        )
        self.reservation_line_update = (
            f"UPDATE bo_reservation_lines SET committed = {p}, status = {p}, expires_at = {p} "
            f"WHERE tenant = {p} AND reservation = {p} AND line_no = {p}"
        )
        self.reservation_reserved = (
            "SELECT COALESCE(SUM(quantity - committed), 0) FROM bo_reservation_lines "
            f"WHERE tenant = {p} AND item = {p} AND location = {p} AND lot = {p} "
            f"AND status = '{_ACTIVE}' AND expires_at > {p}"
        )
        lapsing = (
            f"WHERE tenant = {p} AND item = {p} AND location = {p} AND lot = {p} "
            f"AND status = '{_ACTIVE}' AND expires_at <= {p}"
        )
        #: Lines that stop counting in the reserved counter (and what they held).
        self.reservation_lapsing = (
            f"SELECT COALESCE(SUM(quantity - committed), 0) FROM bo_reservation_lines {lapsing}"
        )
        self.reservation_lapse = f"UPDATE bo_reservation_lines SET status = '{_LAPSED}' {lapsing}"
        if dialect.returning:
            self.reservation_lapse += " RETURNING quantity - committed"
        self.reservation_holding = (
            "SELECT item, location, lot, quantity - committed FROM bo_reservation_lines "
            f"WHERE tenant = {p} AND reservation = {p} AND status = '{_ACTIVE}' ORDER BY line_no"
        )
        self.reservation_held = (
            "SELECT item, location, lot, SUM(quantity - committed) FROM bo_reservation_lines "
            f"WHERE tenant = {p} AND status = '{_ACTIVE}' GROUP BY item, location, lot "
            f"ORDER BY item{c}, location{c}, lot{c}"
        )
        self.reservation_expired = (
            f"SELECT {_RESERVATION_COLUMNS} FROM ("
            "SELECT tenant, id, order_ref, status, expires_at, created_at FROM bo_reservations "
            f"WHERE tenant = {p} AND status = '{_ACTIVE}' AND expires_at <= {p} "
            f"ORDER BY expires_at, id{c} LIMIT {p}) r "
            "LEFT JOIN bo_reservation_lines l ON l.tenant = r.tenant AND l.reservation = r.id "
            f"ORDER BY r.expires_at, r.id{c}, l.line_no"
        )

        # -- idempotency ------------------------------------------------------------------
        self.idempotency_get = (
            f"SELECT fingerprint, result FROM bo_idempotency WHERE tenant = {p} AND idem_key = {p}"
        )
        self.idempotency_insert = (
            "INSERT INTO bo_idempotency (tenant, idem_key, fingerprint, result, created_at) "
            f"VALUES ({values(5)}) ON CONFLICT (tenant, idem_key) DO NOTHING"
        )

        # -- outbox -----------------------------------------------------------------------
        self.outbox_insert = (
            "INSERT INTO bo_outbox (tenant, id, type, payload, occurred_at) "
            f"VALUES ({p}, {serial('bo_outbox', 'id')}, {values(3)})"
        )
        self.outbox_pending = (
            f"SELECT id, type, payload, occurred_at FROM bo_outbox WHERE tenant = {p} "
            f"AND acknowledged_at IS NULL ORDER BY id LIMIT {p}"
        )
        #: Bound once with a list of ids where the driver takes arrays, else once per id.
        self.outbox_acknowledge = (
            f"UPDATE bo_outbox SET acknowledged_at = {p} WHERE tenant = {p} "
            f"AND id {'= ANY(' + p + ')' if dialect.array_params else '= ' + p} "
            "AND acknowledged_at IS NULL"
        )

    def _version_1(self) -> tuple[str, ...]:
        d = self.dialect
        i, text = d.integer, "TEXT NOT NULL"
        statements = [
            "CREATE TABLE IF NOT EXISTS bo_items ("
            f"tenant {text}, sku {text}, unit {text}, tracking {text}, negative {text}, "
            f"name {text}, PRIMARY KEY (tenant, sku))",
            "CREATE TABLE IF NOT EXISTS bo_locations ("
            f"tenant {text}, code {text}, kind {text}, parent TEXT, name {text}, "
            "PRIMARY KEY (tenant, code))",
            "CREATE TABLE IF NOT EXISTS bo_movements ("
            f"tenant {text}, id {text}, seq {d.serial}, kind {text}, item {text}, "
            f"quantity {i} NOT NULL, source {text}, destination {text}, "
            f"effective_at {i} NOT NULL, recorded_at {i} NOT NULL, lot {text}, "
            f"reason {text}, reference {text}, actor {text}, reverses TEXT, "
            "PRIMARY KEY (tenant, id))",
            "CREATE UNIQUE INDEX IF NOT EXISTS bo_movements_seq ON bo_movements (seq)",
            "CREATE INDEX IF NOT EXISTS bo_movements_journal ON bo_movements (tenant, seq)",
            "CREATE INDEX IF NOT EXISTS bo_movements_item ON bo_movements (tenant, item, seq)",
            "CREATE TABLE IF NOT EXISTS bo_balances ("
            f"tenant {text}, item {text}, location {text}, lot {text}, on_hand {i} NOT NULL, "
            "PRIMARY KEY (tenant, item, location, lot))",
            "CREATE TABLE IF NOT EXISTS bo_reservations ("
            f"tenant {text}, id {text}, order_ref {text}, status {text}, "
            f"expires_at {i} NOT NULL, created_at {i} NOT NULL, PRIMARY KEY (tenant, id))",
            "CREATE INDEX IF NOT EXISTS bo_reservations_due ON bo_reservations "
            f"(tenant, expires_at) WHERE status = '{_ACTIVE}'",
            # status and expires_at repeat the reservation's, so that what live
            # reservations hold on a balance is read from one partial index.
            "CREATE TABLE IF NOT EXISTS bo_reservation_lines ("
            f"tenant {text}, reservation {text}, line_no {i} NOT NULL, item {text}, "
            f"location {text}, lot {text}, quantity {i} NOT NULL, committed {i} NOT NULL, "
            f"status {text}, expires_at {i} NOT NULL, "
            "PRIMARY KEY (tenant, reservation, line_no), "
            "FOREIGN KEY (tenant, reservation) REFERENCES bo_reservations (tenant, id))",
            "CREATE INDEX IF NOT EXISTS bo_reservation_lines_live ON bo_reservation_lines "
            f"(tenant, item, location, lot, expires_at) WHERE status = '{_ACTIVE}'",
            "CREATE TABLE IF NOT EXISTS bo_idempotency ("
            f"tenant {text}, idem_key {text}, fingerprint {text}, result {text}, "
            f"created_at {i} NOT NULL, PRIMARY KEY (tenant, idem_key))",
            "CREATE TABLE IF NOT EXISTS bo_outbox ("
            f"tenant {text}, id {d.serial}, type {text}, payload {text}, "
            f"occurred_at {i} NOT NULL, acknowledged_at {i}, PRIMARY KEY (tenant, id))",
            "CREATE UNIQUE INDEX IF NOT EXISTS bo_outbox_id ON bo_outbox (id)",
            "CREATE INDEX IF NOT EXISTS bo_outbox_pending ON bo_outbox (tenant, id) "
            "WHERE acknowledged_at IS NULL",
        ]
        return (*statements, *self._row_security(_VERSION_1_TABLES))

    def _version_2(self) -> tuple[str, ...]:
        """Kits (item components) and packagings, unit costs on movements, lots with expiry dates,
        incoming stock (expected receipts, transfers in transit), reorder rules and the
        tenant's settings (the stock lock date)."""
        d = self.dialect
        i, text = d.integer, "TEXT NOT NULL"
        statements = [
            "ALTER TABLE bo_items ADD COLUMN components TEXT NOT NULL DEFAULT '[]'",
            "ALTER TABLE bo_items ADD COLUMN packagings TEXT NOT NULL DEFAULT '[]'",
            # unit cost: an exact decimal (NUMERIC; text on SQLite, whose NUMERIC may
            # store a REAL) and its currency; both null when the movement has no cost
            f"ALTER TABLE bo_movements ADD COLUMN cost_amount {d.decimal}",
            "ALTER TABLE bo_movements ADD COLUMN cost_currency TEXT",
            "CREATE TABLE IF NOT EXISTS bo_lots ("
            f"tenant {text}, item {text}, code {text}, expires_on TEXT, "
            "PRIMARY KEY (tenant, item, code))",
            # lots named under version 1 become lots without an expiry date (the
            # migration sees every tenant's rows: row security is lifted while it reads)
            *self._without_row_security(
                ("bo_balances", "bo_movements"),
                "INSERT INTO bo_lots (tenant, item, code, expires_on) "
                "SELECT DISTINCT tenant, item, lot, NULL FROM ("
                "SELECT tenant, item, lot FROM bo_balances WHERE lot <> '' UNION "
                "SELECT tenant, item, lot FROM bo_movements WHERE lot <> '') AS named "
                # WHERE true: SQLite reads ON CONFLICT after a bare SELECT as a join
                "WHERE true ON CONFLICT (tenant, item, code) DO NOTHING",
            ),
            "CREATE TABLE IF NOT EXISTS bo_incoming ("
            f"tenant {text}, id {text}, origin {text}, item {text}, location {text}, "
            f"quantity {i} NOT NULL, expected_at {i} NOT NULL, created_at {i} NOT NULL, "
            f"lot {text}, arrived {i} NOT NULL, status {text}, reference {text}, "
            f"source {text}, movement TEXT, PRIMARY KEY (tenant, id))",
            "CREATE INDEX IF NOT EXISTS bo_incoming_open ON bo_incoming "
            "(tenant, item, location, expected_at) WHERE status = 'open'",
            "CREATE TABLE IF NOT EXISTS bo_reorder_rules ("
            f"tenant {text}, item {text}, location {text}, minimum {i} NOT NULL, "
            f"maximum {i} NOT NULL, PRIMARY KEY (tenant, item, location))",
            "CREATE TABLE IF NOT EXISTS bo_settings ("
            f"tenant {text}, name {text}, value {text}, PRIMARY KEY (tenant, name))",
        ]
        return (*statements, *self._row_security(_VERSION_2_TABLES))

    def _without_row_security(self, tables: Sequence[str], statement: str) -> list[str]:
        """``statement`` run by the tables' owner across tenants: forced row security
        is lifted from ``tables`` around it (PostgreSQL), in the migration's transaction."""
        if not self.dialect.row_security:
            return [statement]
        return [
            *(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY" for table in tables),
            statement,
            *(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY" for table in tables),
        ]

    def _row_security(self, tables: Sequence[str]) -> list[str]:
        if not self.dialect.row_security:
            return []
        rule = f"tenant = current_setting('{TENANT_SETTING}', true)"
        statements = []
        for table in tables:
            statements += [
                f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
                f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
                f"DROP POLICY IF EXISTS bo_tenant_isolation ON {table}",
                f"CREATE POLICY bo_tenant_isolation ON {table} USING ({rule}) WITH CHECK ({rule})",
            ]
        return statements

    def _version_3_reserved_counter(self) -> tuple[str, ...]:
        """The balances' reserved counter: what the lines of active reservations hold,
        kept with them, so that a reservation checks and takes stock in one statement."""
        backfill = (
            "UPDATE bo_balances SET reserved = COALESCE(("
            "SELECT SUM(l.quantity - l.committed) FROM bo_reservation_lines l "
            "WHERE l.tenant = bo_balances.tenant AND l.item = bo_balances.item "
            "AND l.location = bo_balances.location AND l.lot = bo_balances.lot "
            f"AND l.status = '{_ACTIVE}'), 0)"
        )
        return (
            f"ALTER TABLE bo_balances ADD COLUMN reserved {self.dialect.integer} NOT NULL "
            "DEFAULT 0",
            *self._without_row_security(("bo_balances", "bo_reservation_lines"), backfill),
        )


# ---------------------------------------------------------------------------------------
# What an adapter provides
# ---------------------------------------------------------------------------------------


class Result(NamedTuple):
    """The rows a statement returned (none for most writes) and how many it touched."""

    rows: list[tuple[Any, ...]]
    rowcount: int


class Connection(abc.ABC):
    """One driver connection, used by one unit of work at a time. Every method raises
    :class:`~backoffice.errors.StorageError` (or a subclass), never a driver exception."""

    sql: Sql

    @abc.abstractmethod
    def execute(self, statement: str, params: Sequence[Any] = ()) -> Result:
        """Run one statement."""

    @abc.abstractmethod
    def execute_many(self, statement: str, params: Iterable[Sequence[Any]]) -> int | None:
        """Run one statement once per parameter set; return the total number of rows
        touched (``None`` or a negative number when the driver cannot tell)."""

    @abc.abstractmethod
    def begin(self) -> None:
        """Open a transaction (not bound to a tenant: migrations, versions)."""

    def begin_unit(self, tenant: str) -> int:
        """Open a unit of work's transaction bound to ``tenant``; return the schema version
        found (0 when there is none)."""
        self.begin()
        return self.read_version()

    def read_version(self) -> int:
        """The schema version in the current transaction (0 when there is none)."""
        if not self.execute(self.sql.version_table_exists).rows[0][0]:
            return 0
        return int(self.execute(self.sql.version_read).rows[0][0])

    #: Whether a unit of work begins with its first statement rather than at once, so
    #: that one whose only statements are sent with the commit takes one round trip
    #: (:meth:`run_unit`). SQLite begins at once: ``BEGIN IMMEDIATE`` takes the lock.
    lazy_begin: bool = False

    def run_unit(self, tenant: str, statements: Sequence[tuple[str, Sequence[Any]]]) -> None:
        """Begin a unit of work for ``tenant``, run ``statements`` and commit (a driver
        may send it all at once).

        Raises:
            SchemaMismatch: the schema is at another version (nothing was run).
        """
        found = self.begin_unit(tenant)
        if found != SCHEMA_VERSION:
            self.rollback()
            raise schema_mismatch(found)
        self.commit(statements)

    def commit(self, statements: Sequence[tuple[str, Sequence[Any]]] = ()) -> None:
        """Run ``statements``, then commit (a driver may send them all at once)."""
        for statement, params in statements:
            self.execute(statement, params)
        self.execute(self.sql.commit)

    def rollback(self) -> None:
        self.execute(self.sql.rollback)


class Database(abc.ABC):
    """A database shared by every store handle (tenant) opened on it: hands out
    connections and is closed once."""

    sql: Sql
    attempts: int = DEFAULT_ATTEMPTS

    @abc.abstractmethod
    def acquire(self) -> Connection:
        """A connection for one unit of work."""

    @abc.abstractmethod
    def release(self, connection: Connection, *, broken: bool = False) -> None:
        """Give the connection back (``broken``: it must not be used again)."""

    @abc.abstractmethod
    def close(self) -> None:
        """Close every connection; the store cannot be used any more."""

    def translate(self, error: BaseException) -> StorageError | None:
        """The :class:`StorageError` for a driver exception raised by code outside the
        adapter (a unit of work's function), or ``None`` when it is no driver error."""
        return None

    @abc.abstractmethod
    def describe(self) -> str:
        """The database, for ``repr`` (no password)."""


# ---------------------------------------------------------------------------------------
# Repositories
# ---------------------------------------------------------------------------------------


def _micro(quantity: Decimal) -> int:
    return to_micro(Decimal(quantity))


def _as_int(value: Any) -> int:
    # PostgreSQL's SUM of BIGINT is NUMERIC (a Decimal); every value here is whole.
    return int(value)


class _Repository:
    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow
        self._sql = uow.sql
        self._tenant = uow.tenant

    def _run(self, statement: str, *params: Any) -> Result:
        return self._uow.execute(statement, params)

    def _inserted(self, result: Result, record: str, key: str) -> None:
        """Turn an insert that met an existing row into DuplicateRecord, or into a retried
        conflict when this unit of work had seen the key absent (a concurrent insert)."""
        seen = (record, key)
        if result.rowcount:
            self._uow.absent.discard(seen)
            return
        if seen in self._uow.absent:
            raise retry_conflict(
                f"{record} {key!r} was created by a concurrent transaction",
                record=record,
                key=key,
            )
        raise DuplicateRecord(record=record, key=key)

    def _looked_up(self, record: str, key: str, found: object) -> None:
        if found is None:
            self._uow.absent.add((record, key))


class SqlItems(_Repository):
    """Items (``bo_items``)."""

    def get(self, sku: str) -> Item | None:
        rows = self._run(self._sql.item_get, self._tenant, sku).rows
        found = _item(rows[0]) if rows else None
        self._looked_up("item", sku, found)
        return found

    def add(self, item: Item) -> None:
        result = self._run(
            self._sql.item_insert,
            self._tenant,
            item.sku,
            item.unit,
            item.tracking.value,
            item.negative.value,
            item.name,
            _json([component.to_dict() for component in item.components], "components"),
            _json([_packaging_dict(packaging) for packaging in item.packagings], "packagings"),
        )
        self._inserted(result, "item", item.sku)

    def all(self) -> list[Item]:
        return [_item(row) for row in self._run(self._sql.item_all, self._tenant).rows]


def _item(row: tuple[Any, ...]) -> Item:
    sku, unit, tracking, negative, name, components, packagings = row
    parts = tuple(
        Component(part["sku"], Decimal(part["quantity"])) for part in json.loads(components)
    )
    packs = tuple(
        Packaging(pack["code"], pack["name"], Quantity.from_dict(pack["contains"]))
        for pack in json.loads(packagings)
    )
    return Item(sku, unit, tracking, negative, name, parts, packs)


def _packaging_dict(packaging: Packaging) -> dict[str, Any]:
    return {
        "code": packaging.code,
        "name": packaging.name,
        "contains": packaging.contains.to_dict(),
    }


class SqlLocations(_Repository):
    """Locations (``bo_locations``)."""

    def get(self, code: str) -> Location | None:
        rows = self._run(self._sql.location_get, self._tenant, code).rows
        found = _location(rows[0]) if rows else None
        self._looked_up("location", code, found)
        return found

    def add(self, location: Location) -> None:
        result = self._run(
            self._sql.location_insert,
            self._tenant,
            location.code,
            location.kind.value,
            location.parent,
            location.name,
        )
        self._inserted(result, "location", location.code)

    def all(self) -> list[Location]:
        return [_location(row) for row in self._run(self._sql.location_all, self._tenant).rows]


def _location(row: tuple[Any, ...]) -> Location:
    code, kind, parent, name = row
    return Location(code, kind, parent, name)


class SqlMovements(_Repository):
    """The journal (``bo_movements``), in recording order (``seq``)."""

    def append(self, movements: Sequence[Movement]) -> None:
        instants: dict[datetime, int] = {}  # a batch mostly shares its times
        rows = [self._row(movement, instants) for movement in movements]
        if len(rows) > 1 and self._append_at_once(movements, rows):
            return
        done: list[str] = []
        for movement, row in zip(movements, rows, strict=True):
            result = self._run(self._sql.movement_insert, *row)
            try:
                self._inserted(result, "movement", movement.id)
            except (DuplicateRecord, ConcurrencyConflict):
                for movement_id in done:  # all of the batch or none of it
                    self._run(self._sql.movement_forget, self._tenant, movement_id)
                raise
            done.append(movement.id)

    def _append_at_once(self, movements: Sequence[Movement], rows: list[tuple[Any, ...]]) -> bool:
        """Insert the whole batch in one statement; a duplicate id shows in the row count.
        Then the batch is undone (the caller inserts it row by row, to raise the error
        about the first duplicate and leave nothing of the batch). Whether it was done."""
        sql = self._sql
        if sql.dialect.row_locks:
            # Concurrent writers: undo to a savepoint. (SQLite writes every page changed
            # under a savepoint to a journal of its own: a high-water mark is cheaper.)
            self._run(sql.savepoint)
            done = self._uow.execute_many(sql.movement_insert, rows) == len(rows)
            if not done:
                self._run(sql.savepoint_rollback)
            self._run(sql.savepoint_release)
        else:
            last = _as_int(self._run(sql.movement_last_seq).rows[0][0])
            done = self._uow.execute_many(sql.movement_insert, rows) == len(rows)
            if not done:
                self._run(sql.movement_forget_after, self._tenant, last)
        if done:
            for movement in movements:
                self._uow.absent.discard(("movement", movement.id))
        return done

    def _row(self, movement: Movement, instants: dict[datetime, int]) -> tuple[Any, ...]:
        effective, recorded = movement.effective_at, movement.recorded_at
        if effective not in instants:
            instants[effective] = to_epoch_micros(effective, "effective_at")
        if recorded not in instants:
            instants[recorded] = to_epoch_micros(recorded, "recorded_at")
        return (
            self._tenant,
            movement.id,
            movement.kind.value,
            movement.item,
            _micro(movement.quantity),
            movement.source,
            movement.destination,
            instants[effective],
            instants[recorded],
            movement.lot,
            movement.reason,
            movement.reference,
            movement.actor,
            movement.reverses,
            *_cost(movement.unit_cost),
        )

    def get(self, movement_id: str) -> Movement | None:
        rows = self._run(self._sql.movement_get, self._tenant, movement_id).rows
        found = _movement(rows[0]) if rows else None
        self._looked_up("movement", movement_id, found)
        return found

    def all(self, *, item: str | None = None) -> list[Movement]:
        if item is None:
            result = self._run(self._sql.movement_all, self._tenant)
        else:
            result = self._run(self._sql.movement_all_of_item, self._tenant, item)
        return [_movement(row) for row in result.rows]


def _movement(row: tuple[Any, ...]) -> Movement:
    (
        movement_id,
        kind,
        item,
        quantity,
        source,
        destination,
        effective_at,
        recorded_at,
        lot,
        reason,
        reference,
        actor,
        reverses,
        cost_amount,
        cost_currency,
    ) = row
    return Movement(
        id=movement_id,
        kind=kind,
        item=item,
        quantity=from_micro(_as_int(quantity)),
        source=source,
        destination=destination,
        effective_at=from_epoch_micros(effective_at),
        recorded_at=from_epoch_micros(recorded_at),
        lot=lot,
        reason=reason,
        reference=reference,
        actor=actor,
        reverses=reverses,
        unit_cost=None
        if cost_amount is None
        else UnitPrice(Decimal(str(cost_amount)), cost_currency),
    )


def _cost(unit_cost: UnitPrice | None) -> tuple[str | None, str | None]:
    if unit_cost is None:
        return None, None
    return format(unit_cost.amount, "f"), unit_cost.currency.code


class SqlBalances(_Repository):
    """On-hand quantities (``bo_balances``); :meth:`lock` creates missing rows at zero,
    then locks them in key order (PostgreSQL; SQLite has one writer at a time)."""

    def lock(self, keys: Sequence[BalanceKey]) -> None:
        for key in sorted(set(keys)):
            self._run(self._sql.balance_create, self._tenant, *key, 0)
            if self._sql.balance_lock is not None:
                self._run(self._sql.balance_lock, self._tenant, *key)

    def on_hand(self, key: BalanceKey) -> Decimal:
        rows = self._run(self._sql.balance_get, self._tenant, *key).rows
        return from_micro(_as_int(rows[0][0]) if rows else 0)

    def add(self, key: BalanceKey, delta: Decimal) -> Decimal:
        result = self._run(self._sql.balance_add, self._tenant, *key, _micro(delta))
        if result.rows:
            return from_micro(_as_int(result.rows[0][0]))
        return self.on_hand(key)

    def set(self, key: BalanceKey, on_hand: Decimal) -> None:
        self._run(self._sql.balance_set, self._tenant, *key, _micro(on_hand))

    def all(self) -> list[tuple[BalanceKey, Decimal]]:
        rows = self._run(self._sql.balance_all, self._tenant).rows
        return [((item, location, lot), from_micro(_as_int(v))) for item, location, lot, v in rows]

    def at(self, item: str, location: str) -> list[tuple[str, Decimal]]:
        rows = self._run(self._sql.balance_at, self._tenant, item, location).rows
        return [(lot, from_micro(_as_int(value))) for lot, value in rows]

    def of_item(self, item: str) -> list[tuple[BalanceKey, Decimal]]:
        rows = self._run(self._sql.balance_of_item, self._tenant, item).rows
        return [((i, location, lot), from_micro(_as_int(v))) for i, location, lot, v in rows]

    def hold(self, key: BalanceKey, quantity: Decimal) -> bool:
        """Add ``quantity`` to the reserved counter if on hand minus the counter leaves at
        least that much, in the statement that takes the balance's lock; whether it did
        (nothing changes, and nothing is locked, when it did not)."""
        amount = _micro(quantity)
        return bool(self._run(self._sql.balance_hold, amount, self._tenant, *key, amount).rowcount)

    def add_held(self, key: BalanceKey, delta: Decimal) -> None:
        self._run(self._sql.balance_add_held, self._tenant, *key, _micro(delta))

    def set_held(self, key: BalanceKey, quantity: Decimal) -> None:
        self._run(self._sql.balance_set_held, self._tenant, *key, _micro(quantity))

    def all_held(self) -> list[tuple[BalanceKey, Decimal]]:
        rows = self._run(self._sql.balance_all_held, self._tenant).rows
        return [((item, location, lot), from_micro(_as_int(v))) for item, location, lot, v in rows]


class SqlLots(_Repository):
    """Lots and serial numbers with their expiry dates (``bo_lots``; ISO dates)."""

    def get(self, item: str, code: str) -> Lot | None:
        rows = self._run(self._sql.lot_get, self._tenant, item, code).rows
        found = _lot(rows[0]) if rows else None
        self._looked_up("lot", f"{item}/{code}", found)
        return found

    def add(self, lot: Lot) -> None:
        expires = None if lot.expires_on is None else lot.expires_on.isoformat()
        result = self._run(self._sql.lot_insert, self._tenant, lot.item, lot.code, expires)
        self._inserted(result, "lot", f"{lot.item}/{lot.code}")

    def of_item(self, item: str) -> list[Lot]:
        return [_lot(row) for row in self._run(self._sql.lot_of_item, self._tenant, item).rows]


def _lot(row: tuple[Any, ...]) -> Lot:
    item, code, expires_on = row
    return Lot(item, code, None if expires_on is None else date.fromisoformat(expires_on))


class SqlIncoming(_Repository):
    """Incoming stock (``bo_incoming``): expected receipts and transfers in transit."""

    def add(self, incoming: Incoming) -> None:
        result = self._run(
            self._sql.incoming_insert,
            self._tenant,
            incoming.id,
            incoming.origin.value,
            incoming.item,
            incoming.location,
            _micro(incoming.quantity),
            to_epoch_micros(incoming.expected_at, "expected_at"),
            to_epoch_micros(incoming.created_at, "created_at"),
            incoming.lot,
            _micro(incoming.arrived),
            incoming.status.value,
            incoming.reference,
            incoming.source,
            incoming.movement,
        )
        self._inserted(result, "incoming", incoming.id)

    def get(self, incoming_id: str) -> Incoming | None:
        rows = self._run(self._sql.incoming_get, self._tenant, incoming_id).rows
        found = _incoming(rows[0]) if rows else None
        self._looked_up("incoming", incoming_id, found)
        return found

    def update(self, incoming: Incoming, *, was: Incoming) -> None:
        result = self._run(
            self._sql.incoming_update,
            _micro(incoming.arrived),
            incoming.status.value,
            self._tenant,
            incoming.id,
            _micro(was.arrived),
            was.status.value,
        )
        if not result.rowcount:
            if self.get(incoming.id) is None:
                raise NotFound(record="incoming", key=incoming.id)
            raise retry_conflict(
                f"incoming {incoming.id!r} was changed by a concurrent transaction",
                record="incoming",
                key=incoming.id,
            )

    def open(self, item: str, location: str | None = None) -> list[Incoming]:
        if location is None:
            result = self._run(self._sql.incoming_open, self._tenant, item)
        else:
            result = self._run(self._sql.incoming_open_at, self._tenant, item, location)
        return [_incoming(row) for row in result.rows]


def _incoming(row: tuple[Any, ...]) -> Incoming:
    (
        incoming_id,
        origin,
        item,
        location,
        quantity,
        expected_at,
        created_at,
        lot,
        arrived,
        status,
        reference,
        source,
        movement,
    ) = row
    return Incoming(
        id=incoming_id,
        origin=origin,
        item=item,
        location=location,
        quantity=from_micro(_as_int(quantity)),
        expected_at=from_epoch_micros(expected_at),
        created_at=from_epoch_micros(created_at),
        lot=lot,
        arrived=from_micro(_as_int(arrived)),
        status=status,
        reference=reference,
        source=source,
        movement=movement,
    )


class SqlReorderRules(_Repository):
    """Min/max reorder rules per item and location (``bo_reorder_rules``)."""

    def put(self, rule: ReorderRule) -> None:
        self._run(
            self._sql.reorder_put,
            self._tenant,
            rule.item,
            rule.location,
            _micro(rule.minimum),
            _micro(rule.maximum),
        )

    def get(self, item: str, location: str) -> ReorderRule | None:
        rows = self._run(self._sql.reorder_get, self._tenant, item, location).rows
        return _rule(rows[0]) if rows else None

    def remove(self, item: str, location: str) -> bool:
        return bool(self._run(self._sql.reorder_remove, self._tenant, item, location).rowcount)

    def all(self) -> list[ReorderRule]:
        return [_rule(row) for row in self._run(self._sql.reorder_all, self._tenant).rows]


def _rule(row: tuple[Any, ...]) -> ReorderRule:
    item, location, minimum, maximum = row
    return ReorderRule(item, location, from_micro(_as_int(minimum)), from_micro(_as_int(maximum)))


class SqlSettings(_Repository):
    """The tenant's named settings (``bo_settings``)."""

    def get(self, name: str) -> str | None:
        rows = self._run(self._sql.setting_get, self._tenant, name).rows
        return str(rows[0][0]) if rows else None

    def put(self, name: str, value: str) -> None:
        self._run(self._sql.setting_put, self._tenant, name, value)

    def lock(self, name: str, *, shared: bool = False) -> None:
        statement = self._sql.setting_lock_shared if shared else self._sql.setting_lock
        if statement is not None:
            self._run(statement, self._tenant, name)


class SqlReservations(_Repository):
    """Reservations (``bo_reservations``) and their lines (``bo_reservation_lines``,
    which repeat the status and expiry to sum what live reservations hold)."""

    def add(self, reservation: Reservation) -> None:
        expires = to_epoch_micros(reservation.expires_at, "expires_at")
        result = self._run(
            self._sql.reservation_insert,
            self._tenant,
            reservation.id,
            reservation.order_ref,
            reservation.status.value,
            expires,
            to_epoch_micros(reservation.created_at, "created_at"),
        )
        self._inserted(result, "reservation", reservation.id)
        self._uow.execute_many(
            self._sql.reservation_line_insert,
            [
                (
                    self._tenant,
                    reservation.id,
                    number,
                    line.item,
                    line.location,
                    line.lot,
                    _micro(line.quantity),
                    _micro(line.committed),
                    reservation.status.value,
                    expires,
                )
                for number, line in enumerate(reservation.lines)
            ],
        )

    def get(self, reservation_id: str) -> Reservation | None:
        rows = self._run(self._sql.reservation_get, self._tenant, reservation_id).rows
        found = _reservations(rows)
        self._looked_up("reservation", reservation_id, found[0] if found else None)
        return found[0] if found else None

    def update(self, reservation: Reservation) -> None:
        expires = to_epoch_micros(reservation.expires_at, "expires_at")
        status = reservation.status.value
        result = self._run(
            self._sql.reservation_update, status, expires, self._tenant, reservation.id
        )
        if not result.rowcount:
            raise NotFound(record="reservation", key=reservation.id)
        self._uow.execute_many(
            self._sql.reservation_line_update,
            [
                (_micro(line.committed), status, expires, self._tenant, reservation.id, number)
                for number, line in enumerate(reservation.lines)
            ],
        )

    def reserved(self, key: BalanceKey, now: datetime) -> Decimal:
        rows = self._run(
            self._sql.reservation_reserved, self._tenant, *key, to_epoch_micros(now, "now")
        ).rows
        return from_micro(_as_int(rows[0][0]))

    def expired(self, now: datetime, limit: int) -> list[Reservation]:
        rows = self._run(
            self._sql.reservation_expired,
            self._tenant,
            to_epoch_micros(now, "now"),
            _limit(limit),
        ).rows
        return _reservations(rows)

    def place(
        self,
        reservation: Reservation,
        event: tuple[str, dict[str, Any], datetime],
        *,
        at_commit: bool = False,
    ) -> None:
        sql = self._sql
        if at_commit and sql.reservation_place is not None and len(reservation.lines) == 1:
            (line,) = reservation.lines
            event_type, payload, at = event
            values = {
                "tenant": self._tenant,
                "id": reservation.id,
                "order_ref": reservation.order_ref,
                "status": reservation.status.value,
                "expires_at": to_epoch_micros(reservation.expires_at, "expires_at"),
                "created_at": to_epoch_micros(reservation.created_at, "created_at"),
                "item": line.item,
                "location": line.location,
                "lot": line.lot,
                "quantity": _micro(line.outstanding),
                "event_type": event_type,
                "payload": _json(payload, "payload"),
                "at": to_epoch_micros(at, "at"),
            }
            params = [values[name] for name in sql.reservation_place_params]
            self._uow.execute_at_commit(sql.reservation_place, params)
            return
        # Every other write first; then each balance, in key order, is checked and raised
        # by the statement that takes its lock.
        self.add(reservation)
        self._uow.outbox.append(*event)
        wanted: dict[BalanceKey, Decimal] = {}
        for line in reservation.lines:
            key = (line.item, line.location, line.lot)
            wanted[key] = EXACT.add(wanted.get(key, Decimal(0)), line.outstanding)
        for key in sorted(wanted):
            if not self._uow.balances.hold(key, wanted[key]):
                raise NotHeld(f"{key} cannot hold {wanted[key]}")

    def lapse(self, key: BalanceKey, now: datetime) -> Decimal:
        params = (self._tenant, *key, to_epoch_micros(now, "now"))
        if self._sql.dialect.returning:
            rows = self._run(self._sql.reservation_lapse, *params).rows
            return from_micro(sum(_as_int(row[0]) for row in rows))
        # One writer at a time (SQLite): nothing changes between the two statements.
        total = _as_int(self._run(self._sql.reservation_lapsing, *params).rows[0][0])
        if total:
            self._run(self._sql.reservation_lapse, *params)
        return from_micro(total)

    def holding(self, reservation_id: str) -> list[tuple[BalanceKey, Decimal]]:
        rows = self._run(self._sql.reservation_holding, self._tenant, reservation_id).rows
        return [((item, location, lot), from_micro(_as_int(q))) for item, location, lot, q in rows]

    def held(self) -> list[tuple[BalanceKey, Decimal]]:
        rows = self._run(self._sql.reservation_held, self._tenant).rows
        return [((item, location, lot), from_micro(_as_int(q))) for item, location, lot, q in rows]


def _reservations(rows: Iterable[tuple[Any, ...]]) -> list[Reservation]:
    """Reservations from header-and-line rows, ordered by reservation then line."""
    headers: dict[str, tuple[Any, ...]] = {}
    lines: dict[str, list[ReservationLine]] = {}
    for row in rows:
        reservation_id, *header, item, location, lot, quantity, committed = row
        if reservation_id not in headers:
            headers[reservation_id] = tuple(header)
            lines[reservation_id] = []
        if item is not None:
            lines[reservation_id].append(
                ReservationLine(
                    item,
                    location,
                    from_micro(_as_int(quantity)),
                    from_micro(_as_int(committed)),
                    lot,
                )
            )
    found = []
    for reservation_id, (order_ref, status, expires_at, created_at) in headers.items():
        found.append(
            Reservation(
                reservation_id,
                order_ref,
                ReservationStatus(status),
                from_epoch_micros(expires_at),
                from_epoch_micros(created_at),
                tuple(lines[reservation_id]),
            )
        )
    return found


class SqlIdempotency(_Repository):
    """Idempotency keys (``bo_idempotency``): fingerprint and result JSON."""

    def get(self, key: str) -> tuple[str, str] | None:
        rows = self._run(self._sql.idempotency_get, self._tenant, key).rows
        found = (str(rows[0][0]), str(rows[0][1])) if rows else None
        self._looked_up("idempotency key", key, found)
        return found

    def put(self, key: str, fingerprint: str, result_json: str, at: datetime) -> None:
        result = self._run(
            self._sql.idempotency_insert,
            self._tenant,
            key,
            fingerprint,
            result_json,
            to_epoch_micros(at, "at"),
        )
        self._inserted(result, "idempotency key", key)


class SqlOutbox(_Repository):
    """Domain events (``bo_outbox``), written in the transaction of their effect."""

    def append(self, event_type: str, payload: dict[str, Any], at: datetime) -> None:
        self._run(
            self._sql.outbox_insert,
            self._tenant,
            event_type,
            _json(payload, "payload"),
            to_epoch_micros(at, "at"),
        )

    def append_many(self, events: Sequence[tuple[str, dict[str, Any], datetime]]) -> None:
        instants: dict[datetime, int] = {}
        rows = []
        for event_type, payload, at in events:
            if at not in instants:
                instants[at] = to_epoch_micros(at, "at")
            rows.append((self._tenant, event_type, _json(payload, "payload"), instants[at]))
        self._uow.execute_many(self._sql.outbox_insert, rows)

    def pending(self, limit: int) -> list[OutboxEvent]:
        rows = self._run(self._sql.outbox_pending, self._tenant, _limit(limit)).rows
        return [
            OutboxEvent(int(event_id), event_type, json.loads(payload), from_epoch_micros(at))
            for event_id, event_type, payload, at in rows
        ]

    def acknowledge(self, event_ids: Sequence[int], at: datetime) -> None:
        ids = [int(event_id) for event_id in event_ids]
        if not ids:
            return
        moment = to_epoch_micros(at, "at")
        if self._sql.dialect.array_params:
            self._run(self._sql.outbox_acknowledge, moment, self._tenant, ids)
        else:
            self._uow.execute_many(
                self._sql.outbox_acknowledge, [(moment, self._tenant, i) for i in ids]
            )


# ---------------------------------------------------------------------------------------
# Unit of work and store
# ---------------------------------------------------------------------------------------


def schema_mismatch(found: int) -> SchemaMismatch:
    """The error for a database whose schema is at version ``found``."""
    fix = "upgrade the library" if found > SCHEMA_VERSION else "call store.migrate() first"
    return SchemaMismatch(found=found, expected=SCHEMA_VERSION, fix=fix)


class SqlUnitOfWork:
    """One transaction on one connection, bound to a tenant.

    The transaction begins in ``__enter__`` (SQLite) or with the first statement
    (PostgreSQL), checking the schema version, and ends with :meth:`commit`,
    :meth:`rollback` or, without a commit, the end of the ``with`` block. Statements run
    after a commit or a rollback open a new transaction.
    """

    def __init__(self, database: Database, tenant: str) -> None:
        self._database = database
        self.sql = database.sql
        self.tenant = tenant
        self._connection: Connection | None = None
        self._in_transaction = False
        #: (record, key) this transaction looked up and did not find: an insert of one of
        #: them that meets an existing row lost a race, and is retried.
        self.absent: set[tuple[str, str]] = set()
        #: Statements to send with the commit (or before any later statement).
        self._at_commit: list[tuple[str, Sequence[Any]]] = []
        self.items = SqlItems(self)
        self.locations = SqlLocations(self)
        self.movements = SqlMovements(self)
        self.balances = SqlBalances(self)
        self.reservations = SqlReservations(self)
        self.idempotency = SqlIdempotency(self)
        self.outbox = SqlOutbox(self)
        self.lots = SqlLots(self)
        self.incoming = SqlIncoming(self)
        self.reorder_rules = SqlReorderRules(self)
        self.settings = SqlSettings(self)
        self.invoices = SqlInvoices(self)
        self.payments = SqlPayments(self)
        self.payroll = SqlPayroll(self)
        self.journal = SqlJournal(self)

    def __enter__(self) -> Self:
        if self._connection is not None:
            raise StorageError(reason="this unit of work is in use already")
        self._connection = self._database.acquire()
        try:
            if not self._connection.lazy_begin:
                self._begin()
        except BaseException as error:
            self.__exit__(type(error), error, error.__traceback__)
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        broken = False
        try:
            if self._in_transaction:
                self._in_transaction = False
                try:
                    connection.rollback()
                except StorageError:
                    broken = True
                    if kind is None:
                        raise
        finally:
            self.absent.clear()
            self._at_commit.clear()
            self._database.release(connection, broken=broken)

    def _begin(self) -> None:
        connection = self._active()
        self._in_transaction = True
        found = connection.begin_unit(self.tenant)
        if found != SCHEMA_VERSION:
            raise schema_mismatch(found)

    def _active(self) -> Connection:
        if self._connection is None:
            raise StorageError(reason="a unit of work is used inside its with block only")
        return self._connection

    def execute(self, statement: str, params: Sequence[Any] = ()) -> Result:
        """Run a statement in this unit of work's transaction (opening a new one after a
        commit or a rollback)."""
        if not self._in_transaction:
            self._begin()
        if self._at_commit:
            self._run_at_commit_now()
        return self._active().execute(statement, params)

    def execute_at_commit(self, statement: str, params: Sequence[Any]) -> None:
        """Run a statement with the commit, in the same round trip where the driver can
        (or before the next statement of this unit of work, if one comes first). Its
        errors are raised from :meth:`commit` (or from that next statement)."""
        if not self._in_transaction and not self._active().lazy_begin:
            self._begin()
        self._at_commit.append((statement, params))

    def _run_at_commit_now(self) -> None:
        pending, self._at_commit = self._at_commit, []
        try:
            for statement, params in pending:
                self._active().execute(statement, params)
        except StorageError as error:
            refused = not_held(error)
            if refused is None:
                raise
            raise refused from error

    def execute_many(self, statement: str, params: Sequence[Sequence[Any]]) -> int | None:
        """Run a statement once per parameter set; the total number of rows touched
        (``None`` or negative when the driver cannot tell)."""
        if not params:
            return 0
        if not self._in_transaction:
            self._begin()
        if self._at_commit:
            self._run_at_commit_now()
        if len(params) == 1:  # a driver's executemany costs more than one execute
            return self._active().execute(statement, params[0]).rowcount
        return self._active().execute_many(statement, params)

    def commit(self) -> None:
        pending, self._at_commit = self._at_commit, []
        if not self._in_transaction and not pending:
            return
        connection = self._active()
        try:
            if self._in_transaction:
                connection.commit(pending)
            else:  # nothing ran yet: begin, run them and commit, in one go
                self._in_transaction = True
                try:
                    connection.run_unit(self.tenant, pending)
                except SchemaMismatch:
                    self._in_transaction = False  # rolled back already
                    raise
        except StorageError as error:
            refused = not_held(error) if pending else None
            if refused is None:
                raise
            raise refused from error
        self._in_transaction = False
        self.absent.clear()

    def rollback(self) -> None:
        self._at_commit.clear()
        if self._in_transaction:
            self._in_transaction = False
            self.absent.clear()
            self._active().rollback()


class SqlStore:
    """What both SQL stores share: migrations, units of work, retries, the outbox.

    A store is a handle on a :class:`Database` bound to one tenant;
    :meth:`for_tenant` returns another handle on the same database (same connections).
    """

    def __init__(self, database: Database, tenant: str = "default") -> None:
        self._database = database
        self._tenant = validate_tenant(tenant)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._database.describe()!r}, tenant={self._tenant!r})"

    @property
    def tenant(self) -> str:
        return self._tenant

    def for_tenant(self, tenant: str) -> Self:
        """The same database (and connections), bound to ``tenant``."""
        return type(self)(self._database, validate_tenant(tenant))

    # -- schema ------------------------------------------------------------------------

    def migrate(self) -> int:
        """Create or upgrade the schema, in one transaction; return its version.

        Idempotent, and safe when several processes migrate at once.

        Raises:
            SchemaMismatch: the database is newer than this library.
        """
        sql = self._database.sql
        connection = self._database.acquire()
        broken = False
        try:
            connection.begin()
            try:
                if sql.migration_lock is not None:
                    connection.execute(sql.migration_lock)
                connection.execute(sql.create_version_table)
                found = int(connection.execute(sql.version_read).rows[0][0])
                if found > SCHEMA_VERSION:
                    raise schema_mismatch(found)
                now = to_epoch_micros(datetime.now(UTC))
                for version in range(found + 1, SCHEMA_VERSION + 1):
                    for statement in sql.migrations[version]:
                        connection.execute(statement)
                    connection.execute(sql.version_insert, (version, now))
                connection.commit()
            except BaseException:
                try:
                    connection.rollback()
                except StorageError:
                    broken = True
                raise
        finally:
            self._database.release(connection, broken=broken)
        return SCHEMA_VERSION

    def schema_version(self) -> int:
        """The database's schema version; 0 before the first :meth:`migrate`."""
        connection = self._database.acquire()
        broken = False
        try:
            connection.begin()
            try:
                return connection.read_version()
            finally:
                try:
                    connection.rollback()
                except StorageError:
                    broken = True
        finally:
            self._database.release(connection, broken=broken)

    # -- units of work -----------------------------------------------------------------

    def unit_of_work(self) -> UnitOfWork:
        return SqlUnitOfWork(self._database, self._tenant)

    def run(self, work: Callable[[UnitOfWork], T]) -> T:
        """Run ``work`` in a unit of work and commit.

        The whole unit of work is run again when the database reports a serialization
        failure or a deadlock (SQLSTATE 40001, 40P01), with a short random pause, up to
        the store's number of attempts; then :class:`ConcurrencyConflict` is raised.
        """
        return self._run(work)

    def _run(self, work: Callable[[SqlUnitOfWork], T]) -> T:
        attempts = self._database.attempts
        last: ConcurrencyConflict | None = None
        for attempt in range(1, attempts + 1):
            try:
                with SqlUnitOfWork(self._database, self._tenant) as uow:
                    result = work(uow)
                    uow.commit()
                    return result
            except ConcurrencyConflict as conflict:
                if not conflict.details.get("retryable"):
                    raise
                last = conflict
            except Exception as error:
                translated = self._database.translate(error)
                if translated is None:
                    raise
                if not (
                    isinstance(translated, ConcurrencyConflict)
                    and translated.details.get("retryable")
                ):
                    raise translated from error
                last = translated
            if attempt < attempts:
                time.sleep(random.uniform(0, min(_BACKOFF_CAP, _BACKOFF_BASE * 2**attempt)))
        assert last is not None
        details = {k: v for k, v in last.details.items() if k not in ("attempts", "retryable")}
        raise ConcurrencyConflict(attempts=attempts, **details) from last

    # -- outbox ------------------------------------------------------------------------

    def pending_events(self, limit: int = 100) -> list[OutboxEvent]:
        """Events of this tenant not acknowledged yet, oldest first."""
        return self._run(lambda uow: uow.outbox.pending(limit))

    def acknowledge(self, event_ids: Sequence[int]) -> None:
        """Mark events as delivered (ids of other tenants are ignored)."""
        ids = list(event_ids)
        if ids:
            now = datetime.now(UTC)
            self._run(lambda uow: uow.outbox.acknowledge(ids, now))

    def close(self) -> None:
        """Close the database's connections (for every tenant's handle)."""
        self._database.close()
