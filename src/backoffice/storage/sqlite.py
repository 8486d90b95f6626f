"""The SQLite store: the embedded default, on the standard library's :mod:`sqlite3`.

Open it with ``backoffice.open("sqlite:///path/to/file.db")`` (see :class:`SqliteStore`
for the URL options). The statements, repositories and unit of work are shared with the
PostgreSQL store (:mod:`backoffice.storage.sql`); this module only opens connections,
begins transactions and translates :mod:`sqlite3`'s exceptions.

No process-wide state is touched: no ``sqlite3.register_adapter`` or converter (values
cross as ``int`` and ``str`` only).
"""

from __future__ import annotations

import math
import os
import sqlite3
import threading
import weakref
from collections.abc import Iterable, Sequence
from typing import Any, Final
from urllib.parse import parse_qsl, unquote

import attrs

from backoffice.errors import DuplicateRecord, StorageError, UnsupportedStore
from backoffice.storage.sql import (
    SQLITE,
    Connection,
    Database,
    Result,
    Sql,
    SqlStore,
    unencodable,
    validate_tenant,
)

__all__ = ["SqliteStore"]

#: SQLite 3.35 and later return rows from writes (``RETURNING``): one statement fewer.
_SQL: Final = Sql(attrs.evolve(SQLITE, returning=sqlite3.sqlite_version_info >= (3, 35, 0)))
_SYNCHRONOUS: Final = ("normal", "full", "extra")  # by PRAGMA synchronous's number - 1
_DEFAULT_TIMEOUT: Final = 30.0
_IDLE_CONNECTIONS: Final = 8
_MINIMUM_SQLITE: Final = (3, 24, 0)  # INSERT … ON CONFLICT (UPSERT)
_URL_HELP: Final = "use sqlite:///relative/path.db or sqlite:////absolute/path.db"


#: What the driver raises: its own errors, and Python's for values it cannot bind.
_FAILURES: Final = (sqlite3.Error, OverflowError, UnicodeEncodeError)


def _translate(
    error: sqlite3.Error | OverflowError | UnicodeEncodeError, *, timeout: float
) -> StorageError:
    name = type(error).__name__
    if isinstance(error, OverflowError):
        return StorageError(
            reason="a number does not fit in a 64-bit integer column", driver_error=name
        )
    if isinstance(error, UnicodeEncodeError):
        return unencodable(error)
    code = getattr(error, "sqlite_errorname", "") or ""
    details: dict[str, Any] = {"driver_error": name, "sqlite_error": code}
    if code in ("SQLITE_CONSTRAINT_PRIMARYKEY", "SQLITE_CONSTRAINT_UNIQUE"):
        return DuplicateRecord(record="row", key=str(error), **details)
    if code.startswith("SQLITE_BUSY") or str(error) == "database is locked":
        return StorageError(
            reason=f"the database stayed locked by another writer for more than {timeout:g} s",
            **details,
        )
    return StorageError(reason=str(error) or name, **details)


class _SqliteConnection(Connection):
    def __init__(self, raw: sqlite3.Connection, database: _SqliteDatabase) -> None:
        self.raw = raw
        self.sql = _SQL
        self.pid = os.getpid()
        self._timeout = database.timeout

    def execute(self, statement: str, params: Sequence[Any] = ()) -> Result:
        try:
            cursor = self.raw.execute(statement, tuple(params))
            rows = cursor.fetchall()
            return Result(rows, cursor.rowcount)
        except _FAILURES as error:
            raise _translate(error, timeout=self._timeout) from error

    def execute_many(self, statement: str, params: Iterable[Sequence[Any]]) -> int:
        try:
            # the sum of every execution's changes (DML statements)
            return self.raw.executemany(statement, [tuple(row) for row in params]).rowcount
        except _FAILURES as error:
            raise _translate(error, timeout=self._timeout) from error

    def begin(self) -> None:
        # Takes the write lock now: units of work run one at a time across threads and
        # processes, waiting up to the busy timeout.
        self.execute(self.sql.begin_immediate)

    def read_version(self) -> int:
        # One statement: before the first migration the table is missing, which SQLite
        # reports without ending the transaction.
        try:
            row = self.raw.execute(self.sql.version_read).fetchone()
        except sqlite3.OperationalError as error:
            if str(error).startswith("no such table"):
                return 0
            raise _translate(error, timeout=self._timeout) from error
        except _FAILURES as error:
            raise _translate(error, timeout=self._timeout) from error
        return int(row[0])


class _SqliteDatabase(Database):
    """One database file; keeps a few idle connections for reuse (a connection serves one
    unit of work at a time, whatever the thread)."""

    def __init__(self, path: str, *, synchronous: str, timeout: float) -> None:
        self.sql = _SQL
        self.path = path
        self.synchronous = synchronous
        self.timeout = timeout
        self._idle: list[_SqliteConnection] = []  # only ever changed in place
        self._inherited: list[_SqliteConnection] = []  # from a parent process: never used
        self._lock = threading.Lock()
        self._closed = False
        self._pid = os.getpid()
        # A store dropped without close() still closes its idle connections.
        weakref.finalize(self, _close_all, self._idle)

    def describe(self) -> str:
        return f"sqlite:///{self.path}"

    def acquire(self) -> Connection:
        with self._lock:
            if self._closed:
                raise StorageError(reason="the store is closed")
            if os.getpid() != self._pid:
                # A forked child must not use (nor close) its parent's connections.
                self._inherited.extend(self._idle)
                self._idle.clear()
                self._pid = os.getpid()
            if self._idle:
                return self._idle.pop()
        return self._open()

    def _open(self) -> _SqliteConnection:
        try:
            raw = sqlite3.connect(
                self.path,
                timeout=self.timeout,
                isolation_level=None,  # autocommit: we send BEGIN IMMEDIATE/COMMIT
                check_same_thread=False,  # used by one thread at a time, handed over
            )
        except sqlite3.Error as error:
            raise _translate(error, timeout=self.timeout) from error
        connection = _SqliteConnection(raw, self)
        try:
            mode = connection.execute(self.sql.sqlite_wal).rows[0][0]
            if str(mode).lower() != "wal":
                raise StorageError(
                    reason=f"{self.path} cannot use write-ahead logging (journal mode {mode})"
                )
            for template in self.sql.sqlite_setup:
                connection.execute(
                    template.format(
                        level=self.synchronous.upper(),
                        milliseconds=round(self.timeout * 1000),
                    )
                )
        except BaseException:
            raw.close()
            raise
        return connection

    def release(self, connection: Connection, *, broken: bool = False) -> None:
        assert isinstance(connection, _SqliteConnection)
        with self._lock:
            keep = (
                not broken
                and not self._closed
                and connection.pid == self._pid == os.getpid()
                and not connection.raw.in_transaction
                and len(self._idle) < _IDLE_CONNECTIONS
            )
            if keep:
                self._idle.append(connection)
                return
        if connection.pid == os.getpid():
            connection.raw.close()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle = list(self._idle)
            self._idle.clear()
        _close_all(idle)


def _close_all(connections: list[_SqliteConnection]) -> None:
    for connection in connections:
        if connection.pid == os.getpid():
            connection.raw.close()
    connections.clear()


def _parse(url: str) -> tuple[str, str, float]:
    if not url.startswith("sqlite://"):
        raise UnsupportedStore(url=url)
    location, _, query = url[len("sqlite://") :].partition("?")
    if not location.startswith("/"):
        raise UnsupportedStore(f"a SQLite URL names no host: {_URL_HELP}", url=url)
    path = unquote(location[1:])
    if not path or path == ":memory:" or path.startswith("file:"):
        raise UnsupportedStore(
            f"a SQLite store needs a file (for an in-memory store use memory://): {_URL_HELP}",
            url=url,
        )
    synchronous, timeout = "full", _DEFAULT_TIMEOUT
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name == "synchronous":
            synchronous = value.lower()
            if synchronous not in _SYNCHRONOUS:
                raise UnsupportedStore(
                    f"synchronous={value!r}: use full (the default), normal or extra", url=url
                )
        elif name == "timeout":
            try:
                timeout = float(value)
            except ValueError:
                timeout = math.nan
            if not math.isfinite(timeout) or timeout < 0:
                raise UnsupportedStore(
                    f"timeout={value!r}: use a number of seconds, e.g. timeout=30", url=url
                )
        else:
            raise UnsupportedStore(
                f"unknown SQLite URL option {name!r}: the options are synchronous and timeout",
                url=url,
            )
    return os.path.abspath(path), synchronous, timeout


class SqliteStore(SqlStore):
    """A store in one SQLite file: ``backoffice.open("sqlite:///path/to/file.db")``.

    ``sqlite:///relative/path.db`` is relative to the working directory when opened
    (the absolute path is kept); ``sqlite:////absolute/path.db`` is absolute. The file is
    created if missing (its directory must exist); call :meth:`migrate` once.

    URL options (``?name=value&…``):

    * ``synchronous=full`` (the default): every commit is flushed to disk before it
      returns, so a committed unit of work survives a power loss or an OS crash.
      ``synchronous=normal`` is faster (no flush per commit in WAL mode): still safe
      against the application crashing, and never corrupts the database, but a power
      loss or OS crash may lose the last commits. ``extra`` flushes even more.
    * ``timeout=30``: seconds a unit of work waits for the write lock held by another
      thread or process before failing with :class:`~backoffice.errors.StorageError`.

    How it runs: write-ahead logging (WAL); every unit of work is a ``BEGIN IMMEDIATE``
    transaction, so units of work run one at a time, across threads *and* processes,
    and the ledger's check-then-write is safe; connections are opened per unit of work
    and a few idle ones kept for reuse (never shared by two units of work at once).
    Thread-safe, and safe with several processes on the same file (on a local disk:
    WAL does not work over network file systems). A child process started by ``fork``
    opens its own connections.
    """

    @classmethod
    def from_url(cls, url: str, *, tenant: str = "default") -> SqliteStore:
        """Open ``url`` (``sqlite:///path``) bound to ``tenant``.

        Raises:
            UnsupportedStore: a malformed URL or an unknown option.
            StorageError: the file cannot be opened (a missing directory, no access...).
        """
        validate_tenant(tenant)
        if sqlite3.sqlite_version_info < _MINIMUM_SQLITE:
            raise UnsupportedStore(
                f"SQLite {sqlite3.sqlite_version} is too old: the SQLite store needs 3.24 or newer",
                url=url,
            )
        path, synchronous, timeout = _parse(url)
        database = _SqliteDatabase(path, synchronous=synchronous, timeout=timeout)
        database.release(database.acquire())  # fail now on a path that cannot be opened
        return cls(database, tenant)

    @property
    def path(self) -> str:
        """The database file's absolute path."""
        assert isinstance(self._database, _SqliteDatabase)
        return self._database.path

    def settings(self) -> dict[str, Any]:
        """The settings a connection of this store runs with: ``journal_mode``,
        ``synchronous`` (``"full"``, ``"normal"``...), ``busy_timeout_ms``,
        ``foreign_keys``."""
        database = self._database
        sql = database.sql
        connection = database.acquire()
        try:
            level = int(connection.execute(sql.sqlite_synchronous).rows[0][0])
            return {
                "journal_mode": str(connection.execute(sql.sqlite_journal_mode).rows[0][0]),
                "synchronous": ("off", *_SYNCHRONOUS)[level],
                "busy_timeout_ms": int(connection.execute(sql.sqlite_busy_timeout).rows[0][0]),
                "foreign_keys": bool(connection.execute(sql.sqlite_foreign_keys).rows[0][0]),
            }
        finally:
            database.release(connection)
