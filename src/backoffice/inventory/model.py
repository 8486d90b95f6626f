"""The stock ledger's values: items, locations, movements, balances, reservations.

Quantities are exact decimals in the item's base unit, with at most
:data:`QUANTITY_DECIMALS` decimals (a millionth: micrograms of a kilogram item), so that
every store keeps them exactly as integers of millionths.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final, TypeVar

import attrs

from backoffice.core._numbers import EXACT, decimals_of, strip_zeros, to_decimal
from backoffice.core.money import UnitPrice
from backoffice.core.quantity import PackageCount, Packaging, PackagingScheme, Quantity, get_unit
from backoffice.core.time import ensure_aware, ensure_date
from backoffice.errors import InvalidAmount, InvalidValue, PrecisionError

__all__ = [
    "QUANTITY_DECIMALS",
    "Balance",
    "Component",
    "Incoming",
    "IncomingOrigin",
    "IncomingStatus",
    "Item",
    "Location",
    "LocationKind",
    "Lot",
    "Movement",
    "MovementKind",
    "NegativePolicy",
    "ReorderRule",
    "Reservation",
    "ReservationLine",
    "ReservationStatus",
    "Tracking",
    "from_micro",
    "quantity_of",
    "to_micro",
]

#: Decimals a stock quantity may have.
QUANTITY_DECIMALS: Final = 6
_SCALE: Final = 10**QUANTITY_DECIMALS


def quantity_of(value: object, field: str = "quantity", *, positive: bool = True) -> Decimal:
    """``value`` as a stock quantity: exact, at most six decimals, and > 0 if
    ``positive``. Floats raise :class:`~backoffice.errors.FloatNotAllowed`."""
    number = to_decimal(value, field, 'Decimal("2.5")')
    if decimals_of(number) > QUANTITY_DECIMALS:
        raise PrecisionError(
            field=field, value=number, decimals=QUANTITY_DECIMALS, example='Decimal("2.5")'
        )
    if positive and number <= 0:
        raise InvalidAmount(
            f"{field} must be greater than zero, got {number}", field=field, value=number
        )
    return number


def to_micro(quantity: Decimal) -> int:
    """A quantity as an integer count of millionths (how stores keep it)."""
    numerator, denominator = quantity.as_integer_ratio()
    micro, remainder = divmod(numerator * _SCALE, denominator)
    if remainder:
        raise PrecisionError(
            field="quantity", value=quantity, decimals=QUANTITY_DECIMALS, example='"2.5"'
        )
    return micro


def from_micro(micro: int) -> Decimal:
    """The inverse of :func:`to_micro`, without trailing zeros beyond the unit."""
    return strip_zeros(Decimal(micro).scaleb(-QUANTITY_DECIMALS, EXACT))


class Tracking(enum.StrEnum):
    """How units of an item are told apart."""

    NONE = "none"
    LOT = "lot"
    SERIAL = "serial"


class NegativePolicy(enum.StrEnum):
    """Whether an internal location may hold less than zero of an item."""

    FORBID = "forbid"
    ALLOW = "allow"


class LocationKind(enum.StrEnum):
    """Internal locations hold stock; the others are where stock comes from or goes to."""

    INTERNAL = "internal"
    SUPPLIER = "supplier"
    CUSTOMER = "customer"
    LOSS = "loss"
    TRANSIT = "transit"

    @property
    def holds_stock(self) -> bool:
        """Whether balances are kept there (internal locations, and goods in transit)."""
        return self in (LocationKind.INTERNAL, LocationKind.TRANSIT)

    @property
    def stores_goods(self) -> bool:
        """Whether it is one of the company's stock locations (not goods on the road)."""
        return self is LocationKind.INTERNAL


def _code(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.strip() or len(value) > 100:
        raise InvalidValue(
            field=attribute.name,
            reason=f"must be a non-empty text of at most 100 characters, got {value!r}",
        )


def _quantity(value: object) -> Decimal:
    return quantity_of(value)


@attrs.frozen(slots=True)
class Component:
    """What one unit of a kit is made of: ``quantity`` of ``sku`` (in its base unit)."""

    sku: str = attrs.field(validator=_code)
    quantity: Decimal = attrs.field(converter=_quantity)

    def to_dict(self) -> dict[str, str]:
        return {"sku": self.sku, "quantity": format(self.quantity, "f")}


E = TypeVar("E")


def _tuple_of(kind: type[E], field: str, example: str) -> Callable[[object], tuple[E, ...]]:
    """A converter to a tuple of ``kind``, refusing anything else with the index."""

    def convert(value: object) -> tuple[E, ...]:
        if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
            raise InvalidValue(
                field=field, reason=f"must be a sequence of {kind.__name__}, got {value!r}"
            )
        found = tuple(value)
        for index, entry in enumerate(found):
            if not isinstance(entry, kind):
                raise InvalidValue(
                    field=f"{field}.{index}", reason=f"must be a {example}, got {entry!r}"
                )
        return found

    return convert


def _packagings(value: object) -> tuple[Packaging, ...]:
    return _tuple_of(Packaging, "packagings", "Packaging(code, name, Quantity(...))")(value)


def _components(value: object) -> tuple[Component, ...]:
    return _tuple_of(Component, "components", "Component(sku, quantity)")(value)


@attrs.frozen(slots=True)
class Item:
    """A stock-keeping unit.

    Attributes:
        sku: the item's code, unique in the tenant.
        unit: its base unit, a UN/ECE Rec 20 code (``"C62"`` for pieces, ``"KGM"``).
        tracking: none, lot or serial.
        negative: whether internal locations may go below zero (forbidden by default).
        name: a label.
        components: for a kit (a bundle, a dish), what one unit is made of. A kit holds
            no stock of its own: its availability is the minimum over its components,
            and moving or reserving a kit moves or reserves its components.
        packagings: how the item is packed (a case of 12, a 25 kg sack): quantities
            may then be given as a :class:`~backoffice.core.quantity.PackageCount`.

    Quantities of an item are kept in its base unit; every command that takes a quantity
    of it (movements, counts, reservations and their commits, expected receipts, reorder
    rules) also takes a :class:`~backoffice.core.quantity.Quantity` in any unit of the
    same dimension (``Quantity(500, "GRM")`` of a ``KGM`` item is 0.5), converted
    exactly, or a :class:`~backoffice.core.quantity.PackageCount`.
    """

    sku: str = attrs.field(validator=_code)
    unit: str = "C62"
    tracking: Tracking = attrs.field(default=Tracking.NONE, converter=Tracking)
    negative: NegativePolicy = attrs.field(default=NegativePolicy.FORBID, converter=NegativePolicy)
    name: str = ""
    components: tuple[Component, ...] = attrs.field(default=(), converter=_components)
    packagings: tuple[Packaging, ...] = attrs.field(default=(), converter=_packagings)

    def __attrs_post_init__(self) -> None:
        get_unit(self.unit)
        if self.packagings:
            self.scheme  # noqa: B018 - checks that every packaging holds this item's unit
        if self.components:
            if self.tracking is not Tracking.NONE:
                raise InvalidValue(
                    field="tracking",
                    reason="a kit holds no stock of its own: track lots or serials on its "
                    "components, not on the kit",
                )
            skus = [component.sku for component in self.components]
            if self.sku in skus:
                raise InvalidValue(field="components", reason=f"{self.sku} cannot contain itself")
            if len(set(skus)) != len(skus):
                raise InvalidValue(
                    field="components",
                    reason="each component appears once: add the quantities of repeated SKUs",
                )

    @property
    def is_kit(self) -> bool:
        """Whether the item is made of components (and holds no stock itself)."""
        return bool(self.components)

    @property
    def scheme(self) -> PackagingScheme:
        """The item's packagings over its base unit."""
        return PackagingScheme(self.unit, self.packagings)

    def stock_quantity(
        self, value: object, field: str = "quantity", *, positive: bool = True
    ) -> Decimal:
        """``value`` in the item's base unit: a number (already in it), a
        :class:`~backoffice.core.quantity.Quantity` of its dimension, or a
        :class:`~backoffice.core.quantity.PackageCount` of one of its packagings.

        >>> from backoffice.core.quantity import Quantity
        >>> Item("FLOUR", "KGM").stock_quantity(Quantity(250, "GRM"))
        Decimal('0.25')
        """
        if isinstance(value, (Quantity, PackageCount)):
            converted = strip_zeros(self.scheme.to_base(value).value)
            return quantity_of(converted, field, positive=positive)
        return quantity_of(value, field, positive=positive)


@attrs.frozen(slots=True)
class Lot:
    """A lot (or a serial number) of an item, with its expiry date if it has one.

    FEFO picking takes the lot that expires first; lots past their expiry date are not
    picked (move them explicitly, to scrap them for instance).
    """

    item: str = attrs.field(validator=_code)
    code: str = attrs.field(validator=_code)
    expires_on: date | None = None

    def __attrs_post_init__(self) -> None:
        if self.expires_on is not None:
            ensure_date(self.expires_on, "expires_on")

    def expired(self, today: date) -> bool:
        """Whether the lot is past its expiry date on ``today`` (it expires at the end
        of ``expires_on``)."""
        return self.expires_on is not None and self.expires_on < today


def _non_negative(instance: object, attribute: attrs.Attribute[Decimal], value: object) -> None:
    quantity_of(value, attribute.name, positive=False)


@attrs.frozen(slots=True)
class ReorderRule:
    """Min/max replenishment of an item at a location.

    When what is available falls to ``minimum`` or below, a ``stock.low`` event is
    written and a suggestion orders enough to bring the stock position (available plus
    incoming) back up to ``maximum``.
    """

    item: str = attrs.field(validator=_code)
    location: str = attrs.field(validator=_code)
    minimum: Decimal = attrs.field(validator=_non_negative)
    maximum: Decimal = attrs.field(validator=_non_negative)

    def __attrs_post_init__(self) -> None:
        # validated above (a float or an over-precise figure names its field)
        object.__setattr__(self, "minimum", quantity_of(self.minimum, "minimum", positive=False))
        object.__setattr__(self, "maximum", quantity_of(self.maximum, "maximum", positive=False))
        if self.minimum < 0:
            raise InvalidValue(field="minimum", reason="cannot be negative")
        if self.maximum <= self.minimum:
            raise InvalidValue(
                field="maximum",
                reason=f"must be greater than the minimum {self.minimum}, got {self.maximum}",
            )


@attrs.frozen(slots=True)
class Location:
    """A place stock is in or moves through (a warehouse, a shelf, a supplier...)."""

    code: str = attrs.field(validator=_code)
    kind: LocationKind = attrs.field(default=LocationKind.INTERNAL, converter=LocationKind)
    parent: str | None = None
    name: str = ""


class MovementKind(enum.StrEnum):
    """What a movement records; each kind names the usual from/to locations."""

    RECEIPT = "receipt"  # supplier -> internal
    SHIPMENT = "shipment"  # internal -> customer
    TRANSFER = "transfer"  # internal -> internal (or transit)
    ADJUSTMENT = "adjustment"  # loss <-> internal (a count found more or less)
    RETURN = "return"  # customer -> internal
    SCRAP = "scrap"  # internal -> loss
    REVERSAL = "reversal"  # cancels another movement


@attrs.frozen(slots=True)
class Movement:
    """One line of the append-only journal: ``quantity`` of ``item`` moved from
    ``source`` to ``destination``.

    Corrections are new movements (a reversal names the movement it cancels); the
    journal is never edited.
    """

    id: str
    kind: MovementKind = attrs.field(converter=MovementKind)
    item: str
    quantity: Decimal
    source: str
    destination: str
    effective_at: datetime
    recorded_at: datetime
    lot: str = ""
    reason: str = ""
    reference: str = ""
    actor: str = ""
    reverses: str | None = None
    unit_cost: UnitPrice | None = None

    def __attrs_post_init__(self) -> None:
        ensure_aware(self.effective_at, "effective_at")
        ensure_aware(self.recorded_at, "recorded_at")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind.value,
            "item": self.item,
            "quantity": format(self.quantity, "f"),
            "source": self.source,
            "destination": self.destination,
            "effective_at": self.effective_at.isoformat(),
            "recorded_at": self.recorded_at.isoformat(),
            "lot": self.lot,
            "reason": self.reason,
            "reference": self.reference,
            "actor": self.actor,
            "reverses": self.reverses,
            "unit_cost": None
            if self.unit_cost is None
            else {
                "amount": format(self.unit_cost.amount, "f"),
                "currency": self.unit_cost.currency.code,
            },
        }


@attrs.frozen(slots=True)
class Balance:
    """The named quantities of an item at a location (and lot).

    ``available`` is ``on_hand - reserved - expired``, where reserved counts live
    reservations only (an expired reservation stops counting at once, swept or not) and
    ``expired`` is what lots past their expiry date hold, unreserved: it can be scrapped
    or moved, not sold. ``incoming`` is what is expected (receipts, transfers in
    transit), whatever its date.
    """

    item: str
    location: str
    on_hand: Decimal
    reserved: Decimal
    lot: str = ""
    incoming: Decimal = Decimal(0)
    expired: Decimal = Decimal(0)

    @property
    def available(self) -> Decimal:
        return EXACT.subtract(EXACT.subtract(self.on_hand, self.reserved), self.expired)

    @property
    def projected(self) -> Decimal:
        """On hand plus incoming minus reserved."""
        return EXACT.add(self.available, self.incoming)


class IncomingOrigin(enum.StrEnum):
    """Where incoming stock comes from."""

    PURCHASE = "purchase"  # an expected receipt from a supplier
    TRANSFER = "transfer"  # goods dispatched from another location, now in transit


class IncomingStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


@attrs.frozen(slots=True)
class Incoming:
    """Stock expected at ``location`` by ``expected_at``: an expected receipt, or a
    transfer on its way through ``@transit`` (``movement`` is its dispatch).

    ``arrived`` of ``quantity`` has come in; the rest is ``outstanding``.
    """

    id: str
    origin: IncomingOrigin = attrs.field(converter=IncomingOrigin)
    item: str
    location: str
    quantity: Decimal
    expected_at: datetime
    created_at: datetime
    lot: str = ""
    arrived: Decimal = Decimal(0)
    status: IncomingStatus = attrs.field(default=IncomingStatus.OPEN, converter=IncomingStatus)
    reference: str = ""
    source: str = ""
    movement: str | None = None

    def __attrs_post_init__(self) -> None:
        ensure_aware(self.expected_at, "expected_at")
        ensure_aware(self.created_at, "created_at")

    @property
    def outstanding(self) -> Decimal:
        return EXACT.subtract(self.quantity, self.arrived)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "origin": self.origin.value,
            "item": self.item,
            "location": self.location,
            "quantity": format(self.quantity, "f"),
            "expected_at": self.expected_at.isoformat(),
            "created_at": self.created_at.isoformat(),
            "lot": self.lot,
            "arrived": format(self.arrived, "f"),
            "status": self.status.value,
            "reference": self.reference,
            "source": self.source,
            "movement": self.movement,
        }


class ReservationStatus(enum.StrEnum):
    ACTIVE = "active"
    RELEASED = "released"
    COMMITTED = "committed"
    EXPIRED = "expired"


@attrs.frozen(slots=True)
class ReservationLine:
    """Stock held for one line of an order: ``quantity`` of ``item`` at ``location``;
    ``committed`` of it already shipped."""

    item: str
    location: str
    quantity: Decimal
    committed: Decimal = Decimal(0)
    lot: str = ""

    @property
    def outstanding(self) -> Decimal:
        return EXACT.subtract(self.quantity, self.committed)


@attrs.frozen(slots=True)
class Reservation:
    """Stock held for an order until ``expires_at`` (by the injected clock)."""

    id: str
    order_ref: str
    status: ReservationStatus = attrs.field(converter=ReservationStatus)
    expires_at: datetime
    created_at: datetime
    lines: tuple[ReservationLine, ...]

    def is_live(self, now: datetime) -> bool:
        """Whether it still holds stock at ``now``."""
        return self.status is ReservationStatus.ACTIVE and now < self.expires_at

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "order_ref": self.order_ref,
            "status": self.status.value,
            "expires_at": self.expires_at.isoformat(),
            "created_at": self.created_at.isoformat(),
            "lines": [
                {
                    "item": line.item,
                    "location": line.location,
                    "quantity": format(line.quantity, "f"),
                    "committed": format(line.committed, "f"),
                    "lot": line.lot,
                }
                for line in self.lines
            ],
        }
