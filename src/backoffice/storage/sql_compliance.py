"""The audit journal's tables in the SQL adapters: statements, the schema 6 migration and
the repository (:class:`~backoffice.storage.ports.JournalRepository`).

``bo_journal`` holds the entries, one row per entry, keyed by ``(tenant, series,
sequence)``; ``bo_journal_heads`` the last entry of each series. Both are guarded by
triggers: an entry is inserted only if it continues its series' head (its sequence
follows the head's and it names the head's hash), which the insert moves forward; an
entry is never updated nor deleted, a head never deleted nor moved back.

Appends are safe under concurrency: a writer first locks its series' head row (an upsert
that takes the row lock, in series order; SQLite, one writer at a time, only reads it),
chains its entries on it and inserts them (the insert trigger moves the head, and refuses
an entry that does not continue it). Two writers of one series
thus take turns; at PostgreSQL's snapshot levels the second one fails with a
serialization failure, which :meth:`~backoffice.storage.sql.SqlStore.run` retries. The
primary key on ``(tenant, series, sequence)`` is a second line of defence: a fork would
need two entries of the same number.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final

from backoffice.compliance.journal import GENESIS, JournalEntry
from backoffice.storage.ports import JournalHead

if TYPE_CHECKING:
    from backoffice.storage.sql import Dialect, SqlUnitOfWork

__all__ = ["COMPLIANCE_TABLES", "ComplianceStatements", "SqlJournal"]

#: The tables schema 6 adds.
COMPLIANCE_TABLES: Final = ("bo_journal", "bo_journal_heads")

_ENTRY_COLUMNS: Final = "series, sequence, kind, subject, payload, occurred_at, previous_hash, hash"
_ENCODER: Final = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))


class ComplianceStatements:
    """The journal statements of one dialect."""

    def __init__(self, dialect: Dialect) -> None:
        p, c = dialect.param, dialect.collate
        self.dialect = dialect
        #: PostgreSQL: create the head if missing and lock its row, returning it (one
        #: round trip). SQLite runs one writer at a time: the head is only read
        #: (:attr:`head_get`), and a missing one is created when it moves.
        self.head_lock = (
            "INSERT INTO bo_journal_heads (tenant, series, sequence, hash) "
            f"VALUES ({p}, {p}, 0, '{GENESIS}') ON CONFLICT (tenant, series) DO "
            "UPDATE SET sequence = bo_journal_heads.sequence RETURNING sequence, hash"
        )
        self.head_get = (
            f"SELECT sequence, hash FROM bo_journal_heads WHERE tenant = {p} AND series = {p}"
        )
        self.journal_tenants = (
            f"SELECT tenant FROM bo_journal_heads GROUP BY tenant ORDER BY tenant{c}"
        )
        self.head_all = (
            f"SELECT series, sequence, hash FROM bo_journal_heads WHERE tenant = {p} "
            f"ORDER BY series{c}"
        )
        #: The insert trigger checks that the entry continues its series' head and
        #: moves the head to it.
        self.entry_insert = (
            f"INSERT INTO bo_journal (tenant, {_ENTRY_COLUMNS}) VALUES ({', '.join([p] * 9)})"
        )
        select = f"SELECT {_ENTRY_COLUMNS} FROM bo_journal WHERE tenant = {p} AND series = {p}"
        self.entries = f"{select} AND sequence > {p} ORDER BY sequence"
        self.entries_of_subject = f"{select} AND subject = {p} AND sequence > {p} ORDER BY sequence"

    def migration(self) -> tuple[str, ...]:
        """Schema 6: the audit journal, its heads and the triggers that keep them
        append-only."""
        d = self.dialect
        i, text = d.integer, "TEXT NOT NULL"
        # SQLite: the rows in their primary key's b-tree (one tree to write, not two).
        # No index on subject: a subject's entries are read within one series.
        clustered = " WITHOUT ROWID" if d.name == "sqlite" else ""
        tables = (
            "CREATE TABLE IF NOT EXISTS bo_journal ("
            f"tenant {text}, series {text}, sequence {i} NOT NULL, kind {text}, "
            f"subject {text}, payload {text}, occurred_at {i} NOT NULL, "
            f"previous_hash {text}, hash {text}, "
            f"PRIMARY KEY (tenant, series, sequence), CHECK (sequence > 0)){clustered}",
            "CREATE TABLE IF NOT EXISTS bo_journal_heads ("
            f"tenant {text}, series {text}, sequence {i} NOT NULL, hash {text}, "
            f"PRIMARY KEY (tenant, series), CHECK (sequence >= 0)){clustered}",
        )
        refused = "bo_journal: an entry must continue the head of its series"
        if d.name == "sqlite":
            return (
                *tables,
                "CREATE TRIGGER IF NOT EXISTS bo_journal_chain BEFORE INSERT ON bo_journal "
                f"BEGIN SELECT RAISE(ABORT, '{refused}') WHERE NOT COALESCE(("
                "SELECT h.sequence = NEW.sequence - 1 AND h.hash = NEW.previous_hash "
                "FROM bo_journal_heads h WHERE h.tenant = NEW.tenant AND h.series = NEW.series), "
                f"NEW.sequence = 1 AND NEW.previous_hash = '{GENESIS}'); "
                "INSERT INTO bo_journal_heads (tenant, series, sequence, hash) "
                "VALUES (NEW.tenant, NEW.series, NEW.sequence, NEW.hash) "
                "ON CONFLICT (tenant, series) DO UPDATE "
                "SET sequence = excluded.sequence, hash = excluded.hash; END",
                "CREATE TRIGGER IF NOT EXISTS bo_journal_no_update BEFORE UPDATE ON bo_journal "
                "BEGIN SELECT RAISE(ABORT, 'bo_journal is append-only: UPDATE refused'); END",
                "CREATE TRIGGER IF NOT EXISTS bo_journal_no_delete BEFORE DELETE ON bo_journal "
                "BEGIN SELECT RAISE(ABORT, 'bo_journal is append-only: DELETE refused'); END",
                "CREATE TRIGGER IF NOT EXISTS bo_journal_heads_no_delete BEFORE DELETE "
                "ON bo_journal_heads BEGIN "
                "SELECT RAISE(ABORT, 'bo_journal_heads is append-only: DELETE refused'); END",
                "CREATE TRIGGER IF NOT EXISTS bo_journal_heads_forward BEFORE UPDATE "
                "ON bo_journal_heads WHEN NEW.sequence < OLD.sequence "
                "OR NEW.tenant <> OLD.tenant OR NEW.series <> OLD.series BEGIN "
                "SELECT RAISE(ABORT, 'bo_journal_heads only moves forward: UPDATE refused'); END",
            )
        return (
            *tables,
            # No percent sign in these bodies: the driver reads them as statements.
            "CREATE OR REPLACE FUNCTION bo_journal_refuse() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION USING ERRCODE = 'P0001', "
            "MESSAGE = TG_TABLE_NAME || ' is append-only: ' || TG_OP || ' refused'; "
            "END $$",
            "CREATE OR REPLACE FUNCTION bo_journal_heads_forward() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            "IF NEW.sequence < OLD.sequence OR NEW.tenant <> OLD.tenant "
            "OR NEW.series <> OLD.series THEN "
            "RAISE EXCEPTION USING ERRCODE = 'P0001', "
            "MESSAGE = 'bo_journal_heads only moves forward: UPDATE refused'; "
            "END IF; RETURN NEW; END $$",
            "CREATE OR REPLACE FUNCTION bo_journal_chain() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            "UPDATE bo_journal_heads SET sequence = NEW.sequence, hash = NEW.hash "
            "WHERE tenant = NEW.tenant AND series = NEW.series "
            "AND sequence = NEW.sequence - 1 AND hash = NEW.previous_hash; "
            "IF NOT FOUND THEN "
            f"IF NEW.sequence = 1 AND NEW.previous_hash = '{GENESIS}' THEN "
            "INSERT INTO bo_journal_heads (tenant, series, sequence, hash) "
            "VALUES (NEW.tenant, NEW.series, NEW.sequence, NEW.hash); "
            f"ELSE RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = '{refused}'; "
            "END IF; END IF; RETURN NEW; END $$",
            "DROP TRIGGER IF EXISTS bo_journal_chain ON bo_journal",
            "CREATE TRIGGER bo_journal_chain BEFORE INSERT ON bo_journal "
            "FOR EACH ROW EXECUTE FUNCTION bo_journal_chain()",
            "DROP TRIGGER IF EXISTS bo_journal_append_only ON bo_journal",
            "CREATE TRIGGER bo_journal_append_only BEFORE UPDATE OR DELETE ON bo_journal "
            "FOR EACH ROW EXECUTE FUNCTION bo_journal_refuse()",
            "DROP TRIGGER IF EXISTS bo_journal_no_truncate ON bo_journal",
            "CREATE TRIGGER bo_journal_no_truncate BEFORE TRUNCATE ON bo_journal "
            "FOR EACH STATEMENT EXECUTE FUNCTION bo_journal_refuse()",
            "DROP TRIGGER IF EXISTS bo_journal_heads_no_delete ON bo_journal_heads",
            "CREATE TRIGGER bo_journal_heads_no_delete BEFORE DELETE ON bo_journal_heads "
            "FOR EACH ROW EXECUTE FUNCTION bo_journal_refuse()",
            "DROP TRIGGER IF EXISTS bo_journal_heads_no_truncate ON bo_journal_heads",
            "CREATE TRIGGER bo_journal_heads_no_truncate BEFORE TRUNCATE ON bo_journal_heads "
            "FOR EACH STATEMENT EXECUTE FUNCTION bo_journal_refuse()",
            "DROP TRIGGER IF EXISTS bo_journal_heads_forward ON bo_journal_heads",
            "CREATE TRIGGER bo_journal_heads_forward BEFORE UPDATE ON bo_journal_heads "
            "FOR EACH ROW EXECUTE FUNCTION bo_journal_heads_forward()",
        )


class SqlJournal:
    """The audit journal (``bo_journal``) and its heads (``bo_journal_heads``)."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow
        self._sql = uow.sql.compliance
        self._tenant = uow.tenant
        #: series -> (sequence, hash) as locked in this transaction
        self._locked: dict[str, tuple[int, str]] = {}

    def _run(self, statement: str, *params: Any) -> Any:
        return self._uow.execute(statement, params)

    def lock_heads(self, series: Sequence[str]) -> dict[str, JournalHead]:
        found: dict[str, JournalHead] = {}
        lock = self._sql.head_lock if self._sql.dialect.row_locks else self._sql.head_get
        for name in sorted(set(series)):
            rows = self._run(lock, self._tenant, name).rows
            sequence, digest = (int(rows[0][0]), str(rows[0][1])) if rows else (0, GENESIS)
            self._locked[name] = (sequence, digest)
            found[name] = JournalHead(name, sequence, digest)
        return found

    def append(self, entries: Sequence[JournalEntry]) -> None:
        if not entries:
            return
        heads: dict[str, tuple[int, str]] = {}
        rows = []
        instants: dict[Any, int] = {}
        for entry in entries:
            if entry.series not in heads:
                if entry.series not in self._locked:
                    self.lock_heads([entry.series])
                heads[entry.series] = self._locked[entry.series]
            if (entry.sequence - 1, entry.previous_hash) != heads[entry.series]:
                raise _base.retry_conflict(
                    f"entry {entry.sequence} of {entry.series!r} does not continue its head",
                    series=entry.series,
                )
            heads[entry.series] = (entry.sequence, entry.hash)
            at = instants.get(entry.occurred_at)
            if at is None:
                at = instants[entry.occurred_at] = _base.to_epoch_micros(
                    entry.occurred_at, "occurred_at"
                )
            rows.append(
                (
                    self._tenant,
                    entry.series,
                    entry.sequence,
                    entry.kind,
                    entry.subject,
                    _json(entry.payload) if entry.payload_text is None else entry.payload_text,
                    at,
                    entry.previous_hash,
                    entry.hash,
                )
            )
        self._uow.execute_many(self._sql.entry_insert, rows)
        self._locked.update(heads)

    def entries(
        self,
        series: str,
        *,
        subject: str | None = None,
        after: int = 0,
        limit: int | None = None,
    ) -> list[JournalEntry]:
        if subject is None:
            rows = self._run(self._sql.entries, self._tenant, series, after).rows
        else:
            rows = self._run(
                self._sql.entries_of_subject, self._tenant, series, subject, after
            ).rows
        found = [self._entry(row) for row in rows]
        return found if limit is None else found[:limit]

    def _entry(self, row: Sequence[Any]) -> JournalEntry:
        series, sequence, kind, subject, payload, at, previous, digest = row
        return JournalEntry(
            tenant=self._tenant,
            series=series,
            sequence=int(sequence),
            kind=kind,
            subject=subject,
            payload=_stored_payload(payload),
            occurred_at=_stored_instant(at),
            previous_hash=previous,
            hash=digest,
        )

    def heads(self) -> list[JournalHead]:
        rows = self._run(self._sql.head_all, self._tenant).rows
        return [JournalHead(series, int(sequence), digest) for series, sequence, digest in rows]

    def tenants(self) -> list[str]:
        return [str(row[0]) for row in self._run(self._sql.journal_tenants).rows]


def _stored_payload(text: Any) -> dict[str, Any]:
    """A stored payload read back. A row altered into text that is not a JSON object
    reads as ``{"unreadable": text}``: its entry's hash then cannot match, and
    ``verify()`` reports the break instead of failing."""
    try:
        payload = json.loads(text)
    except (TypeError, ValueError):
        return {"unreadable": str(text)}
    return payload if isinstance(payload, dict) else {"unreadable": str(text)}


def _stored_instant(value: Any) -> datetime:
    """A stored instant read back; an altered one that is no instant reads as the epoch
    (the entry's hash then cannot match)."""
    try:
        return _base.from_epoch_micros(int(value))
    except (TypeError, ValueError, OverflowError):
        return datetime(1970, 1, 1, tzinfo=UTC)


def _json(payload: Any) -> str:
    return _ENCODER.encode(payload)


# Last: ``sql`` imports this module, and this module uses ``sql`` only at call time;
# imported here, either module can be imported first.
from backoffice.storage import sql as _base  # noqa: E402
