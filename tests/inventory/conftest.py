"""Fixtures of the stock-ledger tests that run on the memory store (the contract in
:mod:`backoffice.testing` runs the same behaviour on every store)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from backoffice.core.time import ManualClock
from backoffice.storage import open_store
from backoffice.storage.ports import Store

#: When the ledger tests start, unless a test moves the clock.
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def store() -> Store:
    opened = open_store("memory://", tenant="t1")
    opened.migrate()
    return opened
