"""Shared fixtures.

``clock`` is a manual clock at :data:`START`, ``store`` a migrated memory store (test
modules and classes that need another one define their own). ``postgres_url`` gives the
PostgreSQL server the suite may use. It comes from
``BACKOFFICE_TEST_POSTGRES_URL``; on a machine where none is configured, the tests that
need it are skipped with that reason. Under CI (``CI`` set) a missing server is an
error, never a skip.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings

from backoffice.core.time import ManualClock
from backoffice.storage import open_store
from backoffice.storage.ports import Store
from backoffice.storage.sql import to_epoch_micros
from backoffice.testing.contract import START

settings.register_profile(
    "ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("default", max_examples=100, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "default")


@pytest.fixture(scope="session")
def postgres_url() -> str:
    url = os.environ.get("BACKOFFICE_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI must set BACKOFFICE_TEST_POSTGRES_URL (see .ci/run)")
        pytest.skip(
            "no PostgreSQL configured: set BACKOFFICE_TEST_POSTGRES_URL, e.g. "
            "postgresql://postgres@127.0.0.1:5432/test"
        )
    return url


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def store() -> Store:
    opened = open_store("memory://", tenant="t1")
    opened.migrate()
    return opened


@pytest.fixture
def version_1_rows() -> Callable[[str], dict[str, list[tuple[object, ...]]]]:
    """The rows of a tenant's reservations as schema version 1 kept them, by table: active
    (one expired, not swept) and released; what the active ones hold is 2 + 2 of A and 4
    of B (for the upgrade tests of the SQL stores)."""

    def rows(tenant: str) -> dict[str, list[tuple[object, ...]]]:
        far = to_epoch_micros(START + timedelta(days=1))
        unit = 1_000_000
        return {
            "bo_balances": [(tenant, "A", "WH1", "", 0), (tenant, "B", "WH1", "", 0)],
            "bo_reservations": [
                (tenant, "r1", "o1", "active", far, 0),
                (tenant, "r2", "o2", "released", far, 0),
                (tenant, "r3", "o3", "active", 0, 0),
            ],
            "bo_reservation_lines": [
                (tenant, "r1", 0, "A", "WH1", "", 3 * unit, unit, "active", far),
                (tenant, "r1", 1, "B", "WH1", "", 4 * unit, 0, "active", far),
                (tenant, "r2", 0, "A", "WH1", "", 5 * unit, 0, "released", far),
                (tenant, "r3", 0, "A", "WH1", "", 2 * unit, 0, "active", 0),
            ],
        }

    return rows
