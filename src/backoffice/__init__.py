"""backoffice: typed back-office domain primitives.

Exact money and quantities, identifiers, invoices, stock ledgers, payroll and
compliance, as an embeddable library. The names below are the curated public surface;
they load on first use, so ``import backoffice`` stays fast and does nothing else: no
I/O, no locale change, no decimal-context change.

>>> from backoffice import Money, RoundingMode
>>> Money("19.99", "EUR").multiply("0.2", rounding=RoundingMode.HALF_UP)
Money('4.00', 'EUR')
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from backoffice._version import __version__

if TYPE_CHECKING:
    from backoffice import inventory, storage, taxid
    from backoffice.core.money import (
        Currency,
        Money,
        Rate,
        RoundingMode,
        RoundingPolicy,
        UnitPrice,
        allocate,
        get_currency,
        split,
    )
    from backoffice.core.quantity import Packaging, PackagingScheme, Quantity, Unit, get_unit
    from backoffice.core.time import Clock, FixedClock, ManualClock, Period, SystemClock
    from backoffice.errors import BackofficeError, Problem, ValidationError
    from backoffice.storage import open as open
    from backoffice.storage import open_store

_LAZY: dict[str, str] = {
    "Currency": "backoffice.core.money",
    "Money": "backoffice.core.money",
    "Rate": "backoffice.core.money",
    "RoundingMode": "backoffice.core.money",
    "RoundingPolicy": "backoffice.core.money",
    "UnitPrice": "backoffice.core.money",
    "allocate": "backoffice.core.money",
    "get_currency": "backoffice.core.money",
    "split": "backoffice.core.money",
    "Packaging": "backoffice.core.quantity",
    "PackagingScheme": "backoffice.core.quantity",
    "Quantity": "backoffice.core.quantity",
    "Unit": "backoffice.core.quantity",
    "get_unit": "backoffice.core.quantity",
    "Clock": "backoffice.core.time",
    "FixedClock": "backoffice.core.time",
    "ManualClock": "backoffice.core.time",
    "Period": "backoffice.core.time",
    "SystemClock": "backoffice.core.time",
    "open_store": "backoffice.storage",
    "open": "backoffice.storage",
    "BackofficeError": "backoffice.errors",
    "Problem": "backoffice.errors",
    "ValidationError": "backoffice.errors",
}

__all__ = [
    "BackofficeError",
    "Clock",
    "Currency",
    "FixedClock",
    "ManualClock",
    "Money",
    "Packaging",
    "PackagingScheme",
    "Period",
    "Problem",
    "Quantity",
    "Rate",
    "RoundingMode",
    "RoundingPolicy",
    "SystemClock",
    "Unit",
    "UnitPrice",
    "ValidationError",
    "__version__",
    "allocate",
    "get_currency",
    "get_unit",
    "inventory",
    "open_store",
    "split",
    "storage",
    "taxid",
]


#: Subpackages reachable as attributes (``backoffice.taxid``), imported on first use.
_SUBPACKAGES = frozenset({"taxid", "inventory", "storage"})


def __getattr__(name: str) -> Any:
    if name in _SUBPACKAGES:
        module = importlib.import_module(f"backoffice.{name}")
        globals()[name] = module
        return module
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'backoffice' has no attribute {name!r}")
    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__) | {"open"})
