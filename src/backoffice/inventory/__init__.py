"""Stock ledger: movements, balances, reservations and valuation.

>>> from backoffice import open_store
>>> from backoffice.inventory import Inventory, Item, Location
>>> store = open_store("memory://", tenant="shop")
>>> _ = store.migrate()
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
    Component,
    Incoming,
    IncomingOrigin,
    IncomingStatus,
    Item,
    Location,
    LocationKind,
    Lot,
    Movement,
    MovementKind,
    NegativePolicy,
    ReorderRule,
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
    ProjectedStock,
    Replenishment,
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
    "Component",
    "Discrepancy",
    "Incoming",
    "IncomingOrigin",
    "IncomingStatus",
    "Inventory",
    "Item",
    "Location",
    "LocationKind",
    "Lot",
    "MoveRequest",
    "Movement",
    "MovementKind",
    "NegativePolicy",
    "ProjectedStock",
    "ReorderRule",
    "Replenishment",
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
