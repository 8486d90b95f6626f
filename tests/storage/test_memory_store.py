from __future__ import annotations

import pytest

from backoffice.storage import open_store
from backoffice.storage.ports import Store
from backoffice.testing import StoreContract
from backoffice.testing.contract import MakeStore


class TestMemoryStore(StoreContract):
    @pytest.fixture
    def make_store(self) -> MakeStore:
        shared: dict[str, Store] = {}

        def make(tenant: str = "t1") -> Store:
            if "db" not in shared:
                shared["db"] = open_store("memory://", tenant=tenant)
                return shared["db"]
            return shared["db"].for_tenant(tenant)

        return make
