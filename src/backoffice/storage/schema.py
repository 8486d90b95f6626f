"""The schema version this library reads and writes.

Stores refuse to work on a database whose schema is at another version: call
``store.migrate()`` to create or upgrade it (migrations are applied explicitly, never
on open).
"""

from __future__ import annotations

from typing import Final

#: Bump with every migration added to the SQL adapters.
SCHEMA_VERSION: Final = 6
