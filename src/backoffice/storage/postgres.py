"""The PostgreSQL store, on psycopg 3 and a :class:`psycopg_pool.ConnectionPool` (the
``postgres`` extra: ``pip install 'backoffice[postgres]'``).

Open it with ``backoffice.open("postgresql://user@host/database")`` (see
:class:`PostgresStore` for the URL options). The statements, repositories and unit of
work are shared with the SQLite store (:mod:`backoffice.storage.sql`); this module only
pools connections, begins transactions (isolation level and tenant) and translates
psycopg's exceptions.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Iterable, Sequence
from typing import Any, Final
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import attrs

from backoffice.errors import DuplicateRecord, StorageError, UnsupportedStore
from backoffice.storage.schema import SCHEMA_VERSION
from backoffice.storage.sql import (
    DEFAULT_ATTEMPTS,
    POSTGRES,
    Connection,
    Database,
    Result,
    Sql,
    SqlStore,
    retry_conflict,
    schema_mismatch,
    unencodable,
    validate_tenant,
)

try:
    import psycopg
    from psycopg import sql as pgsql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo
    from psycopg.rows import TupleRow
    from psycopg_pool import ConnectionPool, PoolTimeout
except ImportError as missing:  # pragma: no cover - the extra is installed in the tests
    raise UnsupportedStore(
        "the PostgreSQL store needs the postgres extra: pip install 'backoffice[postgres]'",
        url="postgresql://",
    ) from missing

__all__ = ["PostgresStore"]

_LEVELS: Final = {
    "read committed": "READ COMMITTED",
    "repeatable read": "REPEATABLE READ",
    "serializable": "SERIALIZABLE",
}
#: At the snapshot levels the balances are locked by a no-op UPDATE (see Dialect).
_SQL_READ_COMMITTED: Final = Sql(POSTGRES)
_SQL_SNAPSHOT: Final = Sql(attrs.evolve(POSTGRES, lock_by_update=True))
_RETRYABLE: Final = {"40001": "serialization failure", "40P01": "deadlock detected"}
_SCHEMA_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
_BEGIN_QUERIES_KEPT: Final = 1024  # tenants whose BEGIN text is kept composed
_OPTIONS: Final = ("isolation", "schema", "pool_min", "pool_max", "pool_timeout", "attempts")

_Pool = ConnectionPool[psycopg.Connection[TupleRow]]


def _translate(error: BaseException) -> StorageError | None:
    """psycopg's exception as a StorageError; None when ``error`` is no driver error."""
    name = type(error).__name__
    if isinstance(error, UnicodeEncodeError):
        return unencodable(error)
    if isinstance(error, PoolTimeout):
        return StorageError(reason=f"no database connection available: {error}", driver_error=name)
    if not isinstance(error, psycopg.Error):
        return None
    state = error.sqlstate or ""
    if state in _RETRYABLE:
        return retry_conflict(
            f"{_RETRYABLE[state]} (SQLSTATE {state}): the unit of work can be retried",
            sqlstate=state,
            driver_error=name,
        )
    if state == "23505":  # unique_violation: inserts use ON CONFLICT, so unexpected
        return DuplicateRecord(
            record=error.diag.table_name or "row",
            key=error.diag.message_detail or str(error),
            sqlstate=state,
            driver_error=name,
        )
    reason = error.diag.message_primary or str(error).strip() or name
    if state.startswith("23"):  # integrity constraints: say which table and column
        return StorageError(
            reason=reason,
            sqlstate=state,
            driver_error=name,
            table=error.diag.table_name,
            column=error.diag.column_name,
        )
    return StorageError(reason=reason, sqlstate=state or None, driver_error=name)


def _raise(error: psycopg.Error | UnicodeEncodeError) -> StorageError:
    translated = _translate(error)
    assert translated is not None
    return translated


#: Statements after which psycopg may deallocate every prepared statement (its own,
#: and so ours: see _Kept).
_FORGETTING: Final = ("ROLLBACK", "ALTER", "DROP", "DISCARD", "DEALLOCATE")
_STILL_PREPARED: Final = "SELECT name FROM pg_prepared_statements WHERE name = ANY(%s)"


@attrs.define
class _Kept:
    """The statements this module prepared on one pooled connection, by name; ``dirty``
    once psycopg may have deallocated them (it may deallocate all after a rollback or
    DDL), until checked. (Nothing here may refer to the connection: it is the key of a
    weak dictionary.)"""

    names: set[str] = attrs.Factory(set)
    dirty: bool = False


class _PostgresConnection(Connection):
    def __init__(self, raw: psycopg.Connection[TupleRow], database: _PostgresDatabase) -> None:
        self.raw = raw
        self.sql = database.sql
        self._database = database
        self._kept = database.kept(raw)
        self._plain: psycopg.Cursor[TupleRow] | None = None

    @property
    def _cursor(self) -> psycopg.Cursor[TupleRow]:
        # one cursor for every statement of this use of the connection (each result is
        # read at once): cheaper than a new cursor per statement
        if self._plain is None:
            self._plain = self.raw.cursor()
        return self._plain

    def execute(self, statement: str, params: Sequence[Any] = ()) -> Result:
        if statement.startswith(_FORGETTING):
            # psycopg may deallocate every prepared statement after these: ours too
            self._kept.dirty = True
        try:
            cursor = self._cursor.execute(statement, tuple(params) if params else None)
            rows = cursor.fetchall() if cursor.description is not None else []
            return Result(rows, cursor.rowcount)
        except (psycopg.Error, UnicodeEncodeError) as error:
            raise _raise(error) from error

    def _prepared(self, statements: Sequence[str]) -> list[str]:
        """``EXECUTE name(%s, …)`` for each statement, prepared on this connection first
        where it is not yet (for the texts sent in one message: no parsing and planning
        every time)."""
        mine = self._kept
        if mine.dirty and mine.names:
            # which of ours are still there (never DEALLOCATE ALL: psycopg's own would go
            # without psycopg knowing)
            found = self._cursor.execute(_STILL_PREPARED, (sorted(mine.names),), prepare=False)
            mine.names = {str(name) for (name,) in found.fetchall()}
        mine.dirty = False
        calls = []
        for statement in statements:
            name, count = self._database.statement_name(statement)
            if name not in mine.names:
                parts = statement.split("%s")  # as $1, $2…: sql.py's texts have no other %
                text = parts[0] + "".join(f"${n}{part}" for n, part in enumerate(parts[1:], 1))
                self._cursor.execute(f"PREPARE {name} AS {text}", prepare=False)
                mine.names.add(name)
            calls.append(f"EXECUTE {name}({', '.join(['%s'] * count)})")
        return calls

    def execute_many(self, statement: str, params: Iterable[Sequence[Any]]) -> int:
        try:
            with self.raw.cursor() as cursor:
                cursor.executemany(statement, [tuple(row) for row in params])
                return cursor.rowcount  # psycopg sums the executions' row counts
        except (psycopg.Error, UnicodeEncodeError) as error:
            raise _raise(error) from error

    def commit(self, statements: Sequence[tuple[str, Sequence[Any]]] = ()) -> None:
        if not statements:
            self.execute(self.sql.commit)
            return
        # One round trip, one message: the statements, their values bound here, and the
        # COMMIT. If a statement fails, the server skips the rest, the COMMIT too, and the
        # transaction is left to roll back.
        try:
            values: list[Any] = []
            for _, params in statements:
                values.extend(params)
            calls = self._prepared([statement for statement, _ in statements])
            query = "; ".join([*calls, self.sql.commit])
            psycopg.ClientCursor(self.raw).execute(query, values)
        except psycopg.errors.InvalidSqlStatementName as error:
            raise self._forgotten(error) from error
        except (psycopg.Error, UnicodeEncodeError) as error:
            raise _raise(error) from error

    def _forgotten(self, error: psycopg.Error) -> StorageError:
        # a statement of ours was deallocated without this module seeing it: prepare
        # them all again, in a new transaction
        self._kept.dirty = True
        return retry_conflict(f"a prepared statement was gone: {error}", driver_error="26000")

    lazy_begin = True

    def run_unit(self, tenant: str, statements: Sequence[tuple[str, Sequence[Any]]]) -> None:
        # One round trip, one message: BEGIN, the tenant and the schema check (which
        # fails unless the schema is at this version), the statements, COMMIT; all but
        # BEGIN and COMMIT prepared on the connection beforehand (once).
        values = [tenant]
        for _, params in statements:
            values.extend(params)
        database = self._database
        try:
            calls = self._prepared([database.unit_check, *(s for s, _ in statements)])
            query = "; ".join([database.unit_begin, *calls, self.sql.commit])
            psycopg.ClientCursor(self.raw).execute(query, values)
        except psycopg.errors.InvalidSqlStatementName as error:
            raise self._forgotten(error) from error
        except psycopg.Error as error:
            state = error.sqlstate or ""
            if state.startswith("42") or state == "22P02":
                # the schema check failed, or a statement met another schema (a missing
                # table or column): say which version there is
                self.rollback()
                self.begin()
                try:
                    found = self.read_version()
                finally:
                    self.rollback()
                if found != SCHEMA_VERSION:
                    raise schema_mismatch(found) from error
            raise _raise(error) from error
        except UnicodeEncodeError as error:
            raise _raise(error) from error

    def begin(self) -> None:
        # Migrations and version reads: READ COMMITTED, no tenant.
        self.execute(self.sql.begin_postgres.format(level=_LEVELS["read committed"]))

    def begin_unit(self, tenant: str) -> int:
        # One round trip: BEGIN at the store's level, bind the transaction to the tenant
        # (row-level security reads it; reset at the end of the transaction), and read
        # the schema version.
        try:
            cursor = self._cursor.execute(self._database.begin_unit_query(tenant, self.raw))
            version: Any = 0
            while True:
                if cursor.description is not None:
                    row = cursor.fetchone()
                    version = row[-1] if row is not None else 0  # the last column
                if not cursor.nextset():
                    break
            return int(version)
        except psycopg.errors.UndefinedTable:
            return 0  # never migrated: the caller rolls back and raises SchemaMismatch
        except (psycopg.Error, UnicodeEncodeError) as error:
            raise _raise(error) from error


class _PostgresDatabase(Database):
    """One PostgreSQL database: a connection pool, opened on first use."""

    def __init__(
        self,
        conninfo: str,
        *,
        display: str,
        level: str,
        pool_min: int,
        pool_max: int,
        pool_timeout: float,
        attempts: int,
    ) -> None:
        self.sql = _SQL_READ_COMMITTED if level == "READ COMMITTED" else _SQL_SNAPSHOT
        self.conninfo = conninfo
        self.display = display
        self.level = level
        self.attempts = attempts
        self._pool_min = pool_min
        self._pool_max = pool_max
        self._pool_timeout = pool_timeout
        self._pool: _Pool | None = None
        self._lock = threading.Lock()
        self._closed = False
        self._begin_unit_queries: dict[str, bytes] = {}
        self._statement_names: dict[str, tuple[str, int]] = {}
        self._kept: weakref.WeakKeyDictionary[psycopg.Connection[TupleRow], _Kept] = (
            weakref.WeakKeyDictionary()
        )
        #: BEGIN and the tenant and schema check of a unit of work sent in one message:
        #: a constant of sql.py with a level name (never user input)
        self.unit_begin, self.unit_check = self.sql.begin_unit_checked_postgres.format(
            level=level
        ).split("; ")

    def describe(self) -> str:
        return self.display

    def statement_name(self, statement: str) -> tuple[str, int]:
        """The name ``statement`` is prepared under, and its number of parameters."""
        found = self._statement_names.get(statement)
        if found is None:
            with self._lock:
                found = self._statement_names.get(statement)
                if found is None:
                    found = (f"bo_{len(self._statement_names) + 1}", statement.count("%s"))
                    self._statement_names[statement] = found
        return found

    def kept(self, connection: psycopg.Connection[TupleRow]) -> _Kept:
        """What is kept with ``connection`` (used by one thread at a time)."""
        with self._lock:
            found = self._kept.get(connection)
            if found is None:
                found = self._kept[connection] = _Kept()
            return found

    def begin_unit_query(self, tenant: str, connection: psycopg.Connection[TupleRow]) -> bytes:
        """The text that begins a unit of work for ``tenant`` (see ``begin_unit``), composed
        once per tenant: every connection of the pool has the same settings."""
        query = self._begin_unit_queries.get(tenant)
        if query is None:
            # Both texts are constants (sql.py, the level names), never user input.
            query = (
                pgsql.SQL(self.sql.begin_unit_postgres)
                .format(level=pgsql.SQL(self.level), tenant=pgsql.Literal(tenant))
                .as_bytes(connection)
            )
            if len(self._begin_unit_queries) >= _BEGIN_QUERIES_KEPT:
                self._begin_unit_queries.clear()
            self._begin_unit_queries[tenant] = query
        return query

    def translate(self, error: BaseException) -> StorageError | None:
        return _translate(error)

    def _connections(self) -> _Pool:
        with self._lock:
            if self._closed:
                raise StorageError(reason="the store is closed")
            if self._pool is None:
                self._pool = ConnectionPool(
                    self.conninfo,
                    min_size=self._pool_min,
                    max_size=self._pool_max,
                    timeout=self._pool_timeout,
                    kwargs={"autocommit": True},  # transactions are explicit BEGIN/COMMIT
                    name="backoffice",
                    open=True,
                )
            return self._pool

    def acquire(self) -> Connection:
        pool = self._connections()
        try:
            raw = pool.getconn()
        except (psycopg.Error, UnicodeEncodeError) as error:
            raise _raise(error) from error
        return _PostgresConnection(raw, self)

    def release(self, connection: Connection, *, broken: bool = False) -> None:
        assert isinstance(connection, _PostgresConnection)
        raw = connection.raw
        if broken and not raw.closed:
            raw.close()  # the pool replaces closed connections
        with self._lock:
            pool = self._pool
        if pool is None:
            raw.close()
        else:
            pool.putconn(raw)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()


def _number(url: str, name: str, value: str, *, minimum: float, whole: bool) -> float:
    try:
        number = int(value) if whole else float(value)
    except ValueError:
        number = minimum - 1
    if not number >= minimum:
        kind = "a whole number" if whole else "a number"
        raise UnsupportedStore(f"{name}={value!r}: use {kind} >= {minimum:g}", url=url)
    return number


def _masked(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


class PostgresStore(SqlStore):
    """A store in a PostgreSQL database: ``backoffice.open("postgresql://user@host/db")``.

    Any libpq parameter may be given in the URL (``sslmode``, ``connect_timeout``,
    ``application_name``...). The store's own options (``?name=value&…``):

    * ``isolation=read_committed`` (the default), ``repeatable_read`` or
      ``serializable``: the level of every unit of work. The ledger is correct at each
      of them; the stricter ones make PostgreSQL refuse more transactions, which are
      retried.
    * ``schema=name``: the schema holding the tables (it must exist; the connections'
      ``search_path`` is set to it). Default: the server's ``search_path``.
    * ``attempts=8``: how many times :meth:`run` tries a unit of work that meets a
      serialization failure or a deadlock (SQLSTATE 40001, 40P01), with a short random
      pause in between, before raising :class:`~backoffice.errors.ConcurrencyConflict`.
    * ``pool_min=1``, ``pool_max=10``, ``pool_timeout=30``: the connection pool's size and
      how many seconds a unit of work waits for a free connection. The pool is opened on
      first use and closed by :meth:`close` (for every tenant's handle).

    How it runs: a unit of work is one transaction; it begins by setting
    ``backoffice.tenant`` (transaction-local), which the row-level security policies of
    every table compare with each row's tenant (``FORCE``: the tables' owner is bound too;
    superusers and ``BYPASSRLS`` roles are not, so connect as an ordinary role). The
    ledger locks balances with row locks taken in key order (``INSERT … ON CONFLICT DO
    NOTHING`` creates missing ones first): only units of work on the same items wait for
    each other. A unit of work begins with its first statement; one whose only statement
    goes with the commit (a one-line reservation) is sent as one message, ``BEGIN`` to
    ``COMMIT``, with statements prepared once per connection. Durability is the server's
    (``synchronous_commit``).
    """

    @classmethod
    def from_url(cls, url: str, *, tenant: str = "default") -> PostgresStore:
        """Open ``url`` bound to ``tenant``; no connection is made until first used.

        Raises:
            UnsupportedStore: a malformed URL or option.
        """
        validate_tenant(tenant)
        parts = urlsplit(url)
        if parts.scheme not in ("postgresql", "postgres"):
            raise UnsupportedStore(url=_masked(url))
        ours: dict[str, str] = {}
        theirs: list[tuple[str, str]] = []
        for name, value in parse_qsl(parts.query, keep_blank_values=True):
            if name in _OPTIONS:
                ours[name] = value
            else:
                theirs.append((name, value))
        display = _masked(url)
        level = _LEVELS.get(
            ours.get("isolation", "read committed").lower().replace("_", " ").replace("-", " ")
        )
        if level is None:
            raise UnsupportedStore(
                f"isolation={ours['isolation']!r}: use read_committed, repeatable_read or "
                "serializable",
                url=display,
            )
        try:
            params = conninfo_to_dict(urlunsplit(parts._replace(query=urlencode(theirs))))
        except psycopg.Error as error:
            raise UnsupportedStore(f"cannot read the URL: {error}", url=display) from error
        schema = ours.get("schema")
        if schema is not None:
            if not _SCHEMA_NAME.fullmatch(schema):
                raise UnsupportedStore(
                    f"schema={schema!r}: use a plain name (letters, digits, _)", url=display
                )
            params["options"] = f"{params.get('options') or ''} -csearch_path={schema}".strip()
        pool_min = int(
            _number(display, "pool_min", ours.get("pool_min", "1"), minimum=0, whole=True)
        )
        pool_max = int(
            _number(display, "pool_max", ours.get("pool_max", "10"), minimum=1, whole=True)
        )
        if pool_max < pool_min:
            raise UnsupportedStore("pool_max must be at least pool_min", url=display)
        database = _PostgresDatabase(
            make_conninfo("", **params),
            display=display,
            level=level,
            pool_min=pool_min,
            pool_max=pool_max,
            pool_timeout=_number(
                display, "pool_timeout", ours.get("pool_timeout", "30"), minimum=0, whole=False
            ),
            attempts=int(
                _number(
                    display,
                    "attempts",
                    ours.get("attempts", str(DEFAULT_ATTEMPTS)),
                    minimum=1,
                    whole=True,
                )
            ),
        )
        return cls(database, tenant)

    @property
    def isolation(self) -> str:
        """The isolation level of the units of work (``"READ COMMITTED"``...)."""
        assert isinstance(self._database, _PostgresDatabase)
        return self._database.level
