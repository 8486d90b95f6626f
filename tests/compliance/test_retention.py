"""Retention rules (dated, sourced) and the purge guard, on every adapter."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from backoffice.compliance.journal import AuditJournal
from backoffice.compliance.retention import (
    RETENTION_RULES,
    RetentionPolicy,
    RetentionRule,
    retention_end,
    retention_rule,
)
from backoffice.core.time import ManualClock
from backoffice.errors import InvalidValue, RetentionNotOver
from backoffice.payroll.parameters import Parameter
from backoffice.storage import open_store
from backoffice.storage.ports import Store

AT = datetime(2026, 3, 15, 12, tzinfo=UTC)


def test_every_rule_names_its_jurisdiction_source_and_dates() -> None:
    assert {(r.jurisdiction, r.document_kind) for r in RETENTION_RULES} == {
        ("FR", "accounting"),
        ("FR", "tax"),
        ("PT", "accounting"),
        ("PT", "tax"),
        ("BR", "tax"),
        ("BR", "fiscal_document"),
    }
    for rule in RETENTION_RULES:
        assert rule.period.source and rule.period.valid_from <= date(2026, 1, 1)
    # every kind has one rule in force today, and versions of a kind do not overlap
    for jurisdiction, kind in {(r.jurisdiction, r.document_kind) for r in RETENTION_RULES}:
        versions = [
            r for r in RETENTION_RULES if (r.jurisdiction, r.document_kind) == (jurisdiction, kind)
        ]
        assert sum(r.period.valid_until is None for r in versions) == 1
        assert all(r.period.covers(AT.date()) for r in versions if r.period.valid_until is None)
    assert "L123-22" in retention_rule("FR", "accounting", AT.date()).period.source
    assert "L102 B" in retention_rule("FR", "tax", AT.date()).period.source
    assert "52" in retention_rule("PT", "tax", AT.date()).period.source
    assert "SINIEF n.º 2" in retention_rule("BR", "fiscal_document", AT.date()).period.source
    assert "173" in retention_rule("BR", "fiscal_document", date(2025, 4, 30)).period.source


def test_retention_ends() -> None:
    day = AT.date()
    assert retention_end("FR", "accounting", day) == date(2036, 12, 31)
    assert retention_end("FR", "tax", day) == date(2032, 3, 15)
    assert retention_end("FR", "tax", date(2024, 2, 29)) == date(2030, 3, 1)
    assert retention_end("PT", "tax", day) == date(2036, 12, 31)
    assert retention_end("PT", "accounting", day) == date(2036, 12, 31)
    # Ajuste SINIEF 2/2025: 132 months from the authorization, from 2025-05-01
    assert retention_end("BR", "fiscal_document", day) == date(2037, 3, 15)
    assert retention_end("BR", "fiscal_document", date(2025, 5, 1)) == date(2036, 5, 1)
    # authorized before: the CTN's five years from the next 1 January
    assert retention_end("BR", "fiscal_document", date(2025, 4, 30)) == date(2030, 12, 31)
    assert retention_end("BR", "tax", date(2026, 12, 31)) == date(2031, 12, 31)


def test_no_rule_means_no_purge() -> None:
    with pytest.raises(InvalidValue) as info:
        retention_rule("DE", "accounting", AT.date())
    assert "pass a rule of your own" in info.value.message
    with pytest.raises(InvalidValue):
        retention_rule("FR", "tax", date(2001, 1, 1))  # before the sourced period


def test_a_rule_of_your_own() -> None:
    rule = RetentionRule(
        "contracts",
        Parameter(
            name="contracts",
            value=5,
            source="internal policy",
            valid_from=date(2020, 1, 1),
            jurisdiction="FR",
            checked_on=date(2026, 1, 1),
        ),
        "document_date",
    )
    assert retention_end("FR", "contracts", AT.date(), (rule,)) == date(2031, 3, 15)
    with pytest.raises(InvalidValue):
        RetentionRule("x", rule.period, "whenever")


def _fill(store: Store) -> Store:
    store.migrate()
    clock = ManualClock(AT)
    journal = AuditJournal(store, clock=clock)
    journal.append("ledger", "invoice.issued", "i-1", {})
    clock.advance(timedelta(days=400))
    journal.append("ledger", "stock.movement", "m-1", {})
    journal.append("ledger", "invoice.issued", "i-2", {})
    return store


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def filled(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "memory":
        yield _fill(open_store("memory://", tenant="t1"))
        return
    if request.param == "sqlite":
        store = open_store(f"sqlite:///{tmp_path / 'r.db'}", tenant="t1")
        yield _fill(store)
        store.close()
        return
    url = request.getfixturevalue("postgres_url")
    name = f"bo_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
        try:
            store = open_store(f"{url}{'&' if '?' in url else '?'}schema={name}", tenant="t1")
            yield _fill(store)
            store.close()
        finally:
            admin.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(name)))


POLICY = RetentionPolicy("FR", kinds={"stock.movement": "tax"})


def test_an_early_purge_is_refused_and_deletes_nothing(filled: Store) -> None:
    before = AuditJournal(filled).entries("ledger")
    with pytest.raises(RetentionNotOver) as info:
        POLICY.purge(filled, "ledger", through=3, today=date(2030, 1, 1))
    assert info.value.details == {
        "series": "ledger",
        "sequence": 1,
        "until": "2036-12-31",
        "source": info.value.details["source"],
    }
    assert "2036-12-31" in info.value.localized("pt_BR")
    # the last day of the retention is still inside it
    with pytest.raises(RetentionNotOver):
        POLICY.purge(filled, "ledger", through=1, today=date(2036, 12, 31))
    # the stock movement is a tax record (six years from its day), the invoice ten
    assert POLICY.kept_until(before[1]) == date(2033, 4, 19)
    with pytest.raises(RetentionNotOver) as info:
        POLICY.purge(filled, "ledger", through=3, today=date(2037, 1, 1))
    assert info.value.details["sequence"] == 3
    assert AuditJournal(filled).entries("ledger") == before


def test_after_the_retention_the_purge_hands_back_a_checkpoint(filled: Store) -> None:
    archived = POLICY.purge(filled, "ledger", through=1, today=date(2037, 1, 1))
    entries = AuditJournal(filled).entries("ledger")
    assert (archived.series, archived.sequence, archived.hash) == ("ledger", 1, entries[0].hash)
    assert len(entries) == 3  # the library deletes nothing
    assert AuditJournal(filled).verify(checkpoints=[archived]).intact
    with pytest.raises(InvalidValue):
        POLICY.purge(filled, "ledger", through=4, today=date(2099, 1, 1))
    with pytest.raises(InvalidValue):
        POLICY.purge(filled, "ledger", through=0, today=date(2099, 1, 1))


def test_the_sqlite_tables_refuse_a_purge_behind_the_library(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'p.db'}", tenant="t1")
    store.migrate()
    AuditJournal(store).append("ledger", "k", "s", {})
    store.close()
    raw = sqlite3.connect(tmp_path / "p.db", isolation_level=None)
    try:
        with pytest.raises(sqlite3.IntegrityError):
            raw.execute("DELETE FROM bo_journal WHERE sequence <= 1")
    finally:
        raw.close()
