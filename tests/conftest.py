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
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, settings

from backoffice.core.time import ManualClock
from backoffice.storage import open_store
from backoffice.storage.ports import Store

#: When the clock fixture starts.
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

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
