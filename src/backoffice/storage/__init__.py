"""Pluggable storage: one contract, three adapters.

``backoffice.open(url, tenant=...)`` returns a :class:`~backoffice.storage.ports.Store`:

* ``memory://`` — in this process (tests, examples);
* ``sqlite:///path/to/file.db`` — the embedded default (``?synchronous=normal`` to trade
  a little durability for speed);
* ``postgresql://user@host/db`` — for scale (the ``postgres`` extra).

Call ``store.migrate()`` once to create or upgrade the schema.
"""

from __future__ import annotations

from backoffice.errors import UnsupportedStore
from backoffice.storage.ports import Store, UnitOfWork
from backoffice.storage.schema import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "Store", "UnitOfWork", "open_store"]


def open_store(url: str, *, tenant: str = "default") -> Store:
    """Open the store at ``url``, bound to ``tenant``."""
    if not isinstance(url, str):
        raise UnsupportedStore(url=url)
    if not isinstance(tenant, str) or not tenant or len(tenant) > 100:
        raise UnsupportedStore(
            "a tenant is a non-empty text of at most 100 characters", url=url, tenant=tenant
        )
    if url == "memory://" or url.startswith("memory://"):
        from backoffice.storage.memory import MemoryStore

        return MemoryStore(tenant)
    if url.startswith("sqlite://"):
        from backoffice.storage.sqlite import SqliteStore

        return SqliteStore.from_url(url, tenant=tenant)
    if url.startswith(("postgresql://", "postgres://")):
        from backoffice.storage.postgres import PostgresStore

        return PostgresStore.from_url(url, tenant=tenant)
    raise UnsupportedStore(url=_without_password(url))


def _without_password(url: str) -> str:
    """``url`` with its password, if any, replaced by ``***`` (for messages)."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return url.split("@", 1)[-1] if "@" in url else url
    if password is None:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{password}@", ":***@", 1)))


#: ``backoffice.open(url, tenant=...)``: the same as :func:`open_store` (not in
#: ``__all__``, so that ``from backoffice import *`` never hides the built-in ``open``).
open = open_store
