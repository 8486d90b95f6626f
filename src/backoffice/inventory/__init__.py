"""Stock ledger: movements, balances, reservations and valuation.

>>> from backoffice import open_store
>>> from backoffice.inventory import Inventory, Item, Location
>>> store = open_store("memory://", tenant="shop")
>>> store.migrate()
2
>>> ledger = Inventory(store)
>>> _ = ledger.add_item(Item("TSHIRT-M")), ledger.add_location(Location("WH1"))
>>> _ = ledger.receive("TSHIRT-M", 10, "WH1")
>>> ledger.available("TSHIRT-M", "WH1")
Decimal('10')
"""

from __future__ import annotations

from backoffice.inventory.model import (
    QUANTITY_DECIMALS,
    Balance,
    Item,
    Location,
    LocationKind,
    Movement,
    MovementKind,
    NegativePolicy,
    Reservation,
    ReservationLine,
    ReservationStatus,
    Tracking,
)
from backoffice.inventory.services import (
    CUSTOMER,
    LOSS,
    SUPPLIER,
    TRANSIT,
    Discrepancy,
    Inventory,
    MoveRequest,
    ReserveLine,
)
from backoffice.inventory.valuation import (
    BackdatePolicy,
    ValuationMethod,
    ValuationMove,
    ValuationResult,
    value_journal,
)

__all__ = [
    "CUSTOMER",
    "LOSS",
    "QUANTITY_DECIMALS",
    "SUPPLIER",
    "TRANSIT",
    "BackdatePolicy",
    "Balance",
    "Discrepancy",
    "Inventory",
    "Item",
    "Location",
    "LocationKind",
    "MoveRequest",
    "Movement",
    "MovementKind",
    "NegativePolicy",
    "Reservation",
    "ReservationLine",
    "ReservationStatus",
    "ReserveLine",
    "Tracking",
    "ValuationMethod",
    "ValuationMove",
    "ValuationResult",
    "value_journal",
]
