"""Tampering with a journal of 1,000 entries, behind the library's back, on every adapter:
each single-field change, deletion, insertion or swap is found by ``verify()``, at the
entry where it happened. The SQL stores are tampered with through a raw connection after
dropping the triggers that keep the journal append-only (and direct ``UPDATE`` /
``DELETE`` fail while they are there).
"""

from __future__ import annotations

import abc
import copy
import json
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import attrs
import psycopg
import pytest
from psycopg import sql

from backoffice.compliance.journal import (
    AuditJournal,
    BreakKind,
    JournalEntry,
    VerificationReport,
    chain,
    record,
)
from backoffice.core.time import ManualClock
from backoffice.storage import open_store
from backoffice.storage.memory import MemoryStore
from backoffice.storage.ports import Store
from backoffice.storage.sql import from_epoch_micros, to_epoch_micros
from backoffice.testing.contract import START

SIZE = 1000
TENANT = "t1"
COLUMNS = "tenant, series, sequence, kind, subject, payload, occurred_at, previous_hash, hash"


class Tamperer(abc.ABC):
    """Changes a store's journal rows directly, as someone with access to the database."""

    store: Store

    @abc.abstractmethod
    def update(self, sequence: int, column: str, value: Any, series: str = "test") -> None: ...
    @abc.abstractmethod
    def delete(self, sequence: int) -> None: ...
    @abc.abstractmethod
    def shift(self, first: int, delta: int) -> None:
        """Renumber the entries from ``first`` on by ``delta``."""

    @abc.abstractmethod
    def insert(self, entry: JournalEntry) -> None: ...
    @abc.abstractmethod
    def set_head(self, sequence: int, digest: str) -> None: ...
    @abc.abstractmethod
    def restore(self) -> None:
        """Put back the journal as it was built."""

    def swap(self, first: int, second: int) -> None:
        self.update(first, "sequence", 900_000)
        self.update(second, "sequence", first)
        self.update(900_000, "sequence", second)


class MemoryTamperer(Tamperer):
    def __init__(self, store: MemoryStore) -> None:
        self.store = store
        self.data = store._db.tenants[TENANT]
        self.saved = (copy.deepcopy(self.data.journal), dict(self.data.journal_heads))

    def _chain(self, series: str = "test") -> list[JournalEntry]:
        return self.data.journal.setdefault(series, [])

    def _sort(self) -> None:  # the SQL stores read a chain by sequence
        for entries in self.data.journal.values():
            entries.sort(key=lambda e: e.sequence)

    def update(self, sequence: int, column: str, value: Any, series: str = "test") -> None:
        entries = self._chain(series)
        index = next(i for i, e in enumerate(entries) if e.sequence == sequence)
        entry = entries[index]
        if column == "payload":
            value = json.loads(value)
        elif column == "occurred_at":
            value = from_epoch_micros(value)
        if column == "series":
            del entries[index]
            self._chain(value).append(attrs.evolve(entry, series=value))
        else:
            entries[index] = attrs.evolve(entry, **{column: value})
        self._sort()

    def delete(self, sequence: int) -> None:
        entries = self._chain()
        entries[:] = [e for e in entries if e.sequence != sequence]

    def shift(self, first: int, delta: int) -> None:
        entries = self._chain()
        entries[:] = [
            attrs.evolve(e, sequence=e.sequence + delta) if e.sequence >= first else e
            for e in entries
        ]
        self._sort()

    def insert(self, entry: JournalEntry) -> None:
        self._chain(entry.series).append(entry)
        self._sort()

    def set_head(self, sequence: int, digest: str) -> None:
        self.data.journal_heads["test"] = (sequence, digest)

    def restore(self) -> None:
        self.data.journal = copy.deepcopy(self.saved[0])
        self.data.journal_heads = dict(self.saved[1])


class SqlTamperer(Tamperer):
    """Through a DB-API connection in autocommit mode, placeholders ``param``."""

    def __init__(self, store: Store, execute: Callable[[str, tuple[Any, ...]], None], p: str):
        self.store = store
        self.execute = execute
        self.p = p
        execute(f"CREATE TABLE bo_journal_saved AS SELECT {COLUMNS} FROM bo_journal", ())
        execute(
            "CREATE TABLE bo_journal_heads_saved AS SELECT tenant, series, sequence, hash "
            "FROM bo_journal_heads",
            (),
        )

    def update(self, sequence: int, column: str, value: Any, series: str = "test") -> None:
        p = self.p
        self.execute(
            f"UPDATE bo_journal SET {column} = {p} WHERE tenant = {p} AND series = {p} "
            f"AND sequence = {p}",
            (value, TENANT, series, sequence),
        )

    def delete(self, sequence: int) -> None:
        p = self.p
        self.execute(
            f"DELETE FROM bo_journal WHERE tenant = {p} AND series = 'test' AND sequence = {p}",
            (TENANT, sequence),
        )

    def shift(self, first: int, delta: int) -> None:
        p = self.p  # in two steps: the primary key is checked row by row
        self.execute(
            f"UPDATE bo_journal SET sequence = sequence + 100000 + {p} WHERE series = 'test' "
            f"AND sequence >= {p}",
            (delta, first),
        )
        self.execute(
            "UPDATE bo_journal SET sequence = sequence - 100000 WHERE series = 'test' "
            "AND sequence >= 100000",
            (),
        )

    def insert(self, entry: JournalEntry) -> None:
        at = to_epoch_micros(entry.occurred_at)
        self.execute(
            f"INSERT INTO bo_journal ({COLUMNS}) VALUES ({', '.join([self.p] * 9)})",
            (
                entry.tenant,
                entry.series,
                entry.sequence,
                entry.kind,
                entry.subject,
                entry.payload_text,
                at,
                entry.previous_hash,
                entry.hash,
            ),
        )

    def set_head(self, sequence: int, digest: str) -> None:
        p = self.p
        self.execute(
            f"UPDATE bo_journal_heads SET sequence = {p}, hash = {p} WHERE series = 'test'",
            (sequence, digest),
        )

    def restore(self) -> None:
        self.execute("DELETE FROM bo_journal", ())
        self.execute(f"INSERT INTO bo_journal ({COLUMNS}) SELECT * FROM bo_journal_saved", ())
        self.execute("DELETE FROM bo_journal_heads", ())
        self.execute("INSERT INTO bo_journal_heads SELECT * FROM bo_journal_heads_saved", ())


def build(store: Store) -> None:
    """1,000 entries in series ``test`` and 3 in ``other``, all in one unit of work."""
    clock = ManualClock(START)
    store.migrate()
    with store.unit_of_work() as uow:
        events = []
        for number in range(SIZE):
            events.append(("thing.done", f"s{number}", {"n": number}, clock.now()))
            clock.advance(timedelta(seconds=1))
        record(uow, "test", events)
        record(uow, "other", [("thing.done", "o", {"n": n}, clock.now()) for n in range(3)])
        uow.commit()


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def tamperer(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Tamperer]:
    if request.param == "memory":
        memory = MemoryStore(TENANT)
        build(memory)
        yield MemoryTamperer(memory)
        return
    if request.param == "sqlite":
        path = tmp_path / "journal.db"
        store = open_store(f"sqlite:///{path}", tenant=TENANT)
        build(store)
        raw = sqlite3.connect(path, isolation_level=None)
        for name in (
            "bo_journal_chain",
            "bo_journal_no_update",
            "bo_journal_no_delete",
            "bo_journal_heads_forward",
            "bo_journal_heads_no_delete",
        ):
            raw.execute(f"DROP TRIGGER {name}")

        def on_sqlite(statement: str, params: tuple[Any, ...]) -> None:
            raw.execute(statement, params)

        yield SqlTamperer(store, on_sqlite, "?")
        raw.close()
        store.close()
        return
    url = request.getfixturevalue("postgres_url")
    schema = f"bo_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        try:
            separator = "&" if "?" in url else "?"
            store = open_store(f"{url}{separator}schema={schema}", tenant=TENANT)
            build(store)
            admin.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
            admin.execute("DROP TRIGGER bo_journal_chain ON bo_journal")
            admin.execute("DROP TRIGGER bo_journal_append_only ON bo_journal")
            admin.execute("DROP TRIGGER bo_journal_heads_forward ON bo_journal_heads")
            admin.execute("DROP TRIGGER bo_journal_heads_no_delete ON bo_journal_heads")

            def on_postgres(statement: str, params: tuple[Any, ...]) -> None:
                admin.execute(statement, params)

            yield SqlTamperer(store, on_postgres, "%s")
            store.close()
        finally:
            admin.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def verify(tamperer: Tamperer, **options: Any) -> VerificationReport:
    return AuditJournal(tamperer.store).verify(**options)


def first_break(report: VerificationReport, series: str = "test") -> tuple[BreakKind, int]:
    found = next(chain for chain in report.chains if chain.series == series).first_break
    assert found is not None, f"{series} reported intact"
    return found.kind, found.sequence


POSITIONS = (1, 2, 500, 999, SIZE)


EXPECTED_KINDS = {
    "kind": BreakKind.HASH_MISMATCH,
    "subject": BreakKind.HASH_MISMATCH,
    "payload": BreakKind.HASH_MISMATCH,
    "occurred_at": BreakKind.HASH_MISMATCH,
    "hash": BreakKind.HASH_MISMATCH,
    "previous_hash": BreakKind.PREVIOUS_HASH_MISMATCH,
}


def test_every_single_field_change_and_deletion_is_found_where_it_happened(
    tamperer: Tamperer,
) -> None:
    assert verify(tamperer).intact
    entries = AuditJournal(tamperer.store).entries("test")
    for at in POSITIONS:
        micros = to_epoch_micros(entries[at - 1].occurred_at)
        changes: dict[str, Any] = {
            "kind": "thing.undone",
            "subject": "forged",
            "payload": '{"n":-1}',
            "occurred_at": micros + 1,
            "hash": "e" * 64,
            "previous_hash": "f" * 64,
            "sequence": 5000,
            "series": "moved",
            "deletion": None,
        }
        for name, value in changes.items():
            tamperer.restore()
            if name == "deletion":
                tamperer.delete(at)
            else:
                tamperer.update(at, name, value)
            report = verify(tamperer)
            assert not report.intact, (name, at)
            kind, sequence = first_break(report)
            assert sequence == at, (name, at, kind, sequence)
            if name in EXPECTED_KINDS:
                assert kind is EXPECTED_KINDS[name], (name, at)
            assert json.loads(report.to_json())["intact"] is False
    tamperer.restore()
    assert verify(tamperer).intact


def test_the_hash_covers_the_values_not_the_stored_text(tamperer: Tamperer) -> None:
    tamperer.update(500, "payload", '{ "n" : 499 }')
    assert verify(tamperer).intact


@pytest.mark.parametrize("at", [1, 500, SIZE])
def test_a_deleted_entry_is_a_gap_or_a_truncation(tamperer: Tamperer, at: int) -> None:
    tamperer.delete(at)
    report = verify(tamperer)
    expected = BreakKind.TRUNCATED if at == SIZE else BreakKind.SEQUENCE_GAP
    assert first_break(report) == (expected, at)
    assert [chain.series for chain in report.chains if chain.intact] == ["other"]


def test_an_inserted_entry_is_found(tamperer: Tamperer) -> None:
    entries = AuditJournal(tamperer.store).entries("test")
    before = entries[498]  # entry 499
    (forged,) = chain(
        TENANT,
        "test",
        (before.sequence, before.hash),
        [("thing.done", "forged", {"n": -1}, before.occurred_at)],
    )
    tamperer.shift(500, 1)  # make room: 500.. become 501..
    tamperer.insert(forged)
    assert first_break(verify(tamperer)) == (BreakKind.INSERTION, 500)


def test_an_entry_added_behind_the_head_is_found(tamperer: Tamperer) -> None:
    last = AuditJournal(tamperer.store).entries("test")[-1]
    (forged,) = chain(
        TENANT, "test", (last.sequence, last.hash), [("thing.done", "x", {}, last.occurred_at)]
    )
    tamperer.insert(forged)
    assert first_break(verify(tamperer)) == (BreakKind.DIVERGED, SIZE + 1)


@pytest.mark.parametrize(("first", "second"), [(500, 501), (1, 2), (10, 900), (999, SIZE)])
def test_swapped_entries_are_found(tamperer: Tamperer, first: int, second: int) -> None:
    tamperer.swap(first, second)
    assert first_break(verify(tamperer)) == (BreakKind.SWAP, first)


def test_a_truncation_that_rewinds_the_head_is_found_by_a_checkpoint(
    tamperer: Tamperer,
) -> None:
    journal = AuditJournal(tamperer.store, clock=ManualClock(START))
    kept = journal.checkpoint("test", key=b"secret")
    assert kept.sequence == SIZE
    entries = journal.entries("test")
    for sequence in range(SIZE, 990, -1):
        tamperer.delete(sequence)
    tamperer.set_head(990, entries[989].hash)
    assert verify(tamperer).intact  # the store alone cannot tell
    report = verify(tamperer, checkpoints=[kept], key=b"secret")
    assert first_break(report) == (BreakKind.TRUNCATED, 991)
    # a checkpoint whose fields were changed does not pass its signature
    moved = attrs.evolve(kept, sequence=990, hash=entries[989].hash)
    assert first_break(verify(tamperer, checkpoints=[moved], key=b"secret")) == (
        BreakKind.BAD_SIGNATURE,
        990,
    )
    # a rewritten tail diverges from the checkpoint
    tamperer.restore()
    tamperer.update(SIZE, "hash", "d" * 64)
    tamperer.set_head(SIZE, "d" * 64)
    assert first_break(verify(tamperer, checkpoints=[kept]))[0] is BreakKind.HASH_MISMATCH
