"""Test kit for adapter authors: abstract contract tests that every store passes.

Subclass :class:`~backoffice.testing.contract.StoreContract` in your test suite and give
it a ``make_store`` fixture; pytest runs the whole contract against your adapter.
"""

from backoffice.testing.contract import StoreContract

__all__ = ["StoreContract"]
