"""The stock ledger's use cases, over any :class:`~backoffice.storage.ports.Store`.

Every command runs in one unit of work: the movement is appended to the journal, the
balances change, the events go to the outbox, and the idempotency key is stored, all
in the same transaction, or none of it.

How overselling is prevented: a command first locks the balances it touches, in key
order (a row lock on PostgreSQL; SQLite and the memory store run one writer at a
time), then checks what is available (on hand minus live reservations, read after the
lock) and writes. Reservations expire by the injected clock: an expired reservation
stops counting at once, whether or not :meth:`Inventory.sweep` has tidied it.

A reservation first tries a shorter way: each balance keeps a reserved counter (what
active reservations hold, expired ones included until they lapse), and one statement
checks ``on_hand - reserved`` and raises the counter, taking the lock last. Since the
counter never counts less than the live reservations, that check only says yes when
the exact one would; when it says no, the reservation is checked the exact way above,
and the lines of expired reservations stop counting then.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, TypeVar

import attrs

from backoffice.compliance.journal import record_many
from backoffice.core._numbers import EXACT, strip_zeros, to_decimal
from backoffice.core.money import UnitPrice
from backoffice.core.quantity import PackageCount, Quantity
from backoffice.core.rounding import RoundingArg, RoundingMode
from backoffice.core.time import Clock, SystemClock, ensure_aware, ensure_date
from backoffice.errors import (
    BackofficeError,
    IdempotencyConflict,
    InsufficientStock,
    InvalidType,
    InvalidValue,
    NotFound,
    PeriodLocked,
    Problem,
    ReservationNotActive,
    ValidationError,
)
from backoffice.inventory.model import (
    Balance,
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
    quantity_of,
    to_micro,
)
from backoffice.inventory.valuation import (
    BackdatePolicy,
    MoveKind,
    ValuationMethod,
    ValuationMove,
    ValuationResult,
    value_journal,
)
from backoffice.storage.ports import NotHeld

if TYPE_CHECKING:
    from backoffice.storage.ports import Store, UnitOfWork

#: (item, location, lot)
BalanceKey = tuple[str, str, str]

# quantity arithmetic in the library's exact context, never the thread's
_add = EXACT.add
_sub = EXACT.subtract
_mul = EXACT.multiply
_ZERO: Final = Decimal(0)

#: The setting that holds the stock lock date (an ISO date).
LOCK_DATE_SETTING: Final = "inventory.lock_date"

__all__ = [
    "CUSTOMER",
    "LOSS",
    "SUPPLIER",
    "TRANSIT",
    "Discrepancy",
    "Inventory",
    "MoveRequest",
    "ProjectedStock",
    "Replenishment",
    "ReserveLine",
]

T = TypeVar("T")

#: The virtual locations every tenant has; created on first use.
SUPPLIER: Final = "@supplier"
CUSTOMER: Final = "@customer"
LOSS: Final = "@loss"
TRANSIT: Final = "@transit"
_VIRTUAL: Final = {
    SUPPLIER: LocationKind.SUPPLIER,
    CUSTOMER: LocationKind.CUSTOMER,
    LOSS: LocationKind.LOSS,
    TRANSIT: LocationKind.TRANSIT,
}


@attrs.frozen(slots=True)
class MoveRequest:
    """A movement to record: ``quantity`` of ``sku`` from ``source`` to ``destination``."""

    kind: MovementKind = attrs.field(converter=MovementKind)
    sku: str
    quantity: Any
    source: str
    destination: str
    lot: str = ""
    reason: str = ""
    reference: str = ""
    actor: str = ""
    effective_at: datetime | None = None
    expires_on: date | None = None
    unit_cost: UnitPrice | None = None
    incoming: str | None = None


@attrs.frozen(slots=True)
class ReserveLine:
    """One line of a reservation request."""

    sku: str
    location: str
    quantity: Any
    lot: str = ""


@attrs.frozen(slots=True)
class ProjectedStock:
    """What an item's stock at a location is expected to be at ``at``: on hand now, plus
    what is incoming by then, minus what is reserved now."""

    at: datetime
    on_hand: Decimal
    incoming: Decimal
    reserved: Decimal

    @property
    def projected(self) -> Decimal:
        return _sub(_add(self.on_hand, self.incoming), self.reserved)


@attrs.frozen(slots=True)
class Replenishment:
    """A reorder suggestion: ``rule`` is breached (available at or below its minimum);
    ordering ``quantity`` brings available plus incoming back up to its maximum."""

    rule: ReorderRule
    available: Decimal
    incoming: Decimal
    quantity: Decimal


#: Reorder rules watched during a command, with what was available before it.
_Watched = dict[tuple[str, str], tuple[ReorderRule, Decimal]]


@attrs.frozen(slots=True)
class _Planned:
    """A checked movement request."""

    request: MoveRequest
    quantity: Decimal
    effective: datetime
    index: int

    @property
    def sku(self) -> str:
        return self.request.sku


@attrs.frozen(slots=True)
class Discrepancy:
    """A stored figure of a balance that disagrees with what it is computed from:
    ``field`` ``"on_hand"`` with the journal, ``"reserved"`` (the reserved counter)
    with the lines of active reservations. ``journal`` is the computed value."""

    item: str
    location: str
    lot: str
    stored: Decimal
    journal: Decimal
    field: str = "on_hand"


def _fingerprint(command: str, payload: Mapping[str, Any]) -> str:
    text = json.dumps({"command": command, **payload}, sort_keys=True, default=_canonical)
    return hashlib.sha256(text.encode()).hexdigest()


def _canonical(value: object) -> object:
    """One spelling per value in a request's fingerprint: ``5``, ``"5"`` and
    ``Decimal("5.0")`` are the same quantity, an instant is the same in every zone."""
    if isinstance(value, Decimal):
        return format(strip_zeros(value), "f")
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, UnitPrice):
        return [_canonical(value.amount), value.currency.code]
    return str(value)


def _request_payload(request: MoveRequest) -> dict[str, Any]:
    payload = attrs.asdict(request, recurse=False)
    quantity = payload["quantity"]
    if isinstance(quantity, (int, str)) and not isinstance(quantity, bool):
        with contextlib.suppress(BackofficeError):  # else refused later, field named
            payload["quantity"] = _canonical(to_decimal(quantity, "quantity", '"2.5"'))
    return payload


class Inventory:
    """The stock ledger of one tenant, on a store.

    Args:
        store: where the ledger lives (``backoffice.open(url)``), bound to a tenant.
        clock: gives "now" for recorded times and reservation expiry.
        zone: the time zone whose calendar gives "today" for lot expiry dates and the
            days of the lock date (UTC by default).
    """

    def __init__(self, store: Store, *, clock: Clock | None = None, zone: tzinfo = UTC) -> None:
        if not isinstance(zone, tzinfo):
            raise InvalidType(field="zone", expected="a tzinfo (ZoneInfo(...))", got=repr(zone))
        self.store = store
        self.clock: Clock = clock or SystemClock()
        self.zone = zone
        #: Items and locations met so far, read once: they never change once added, nor
        #: are they removed.
        self._items: dict[str, Item] = {}
        self._places: dict[str, Location] = {}

    def _in_stock_unit(
        self, sku: str, value: object, field: str, *, positive: bool = True
    ) -> Decimal:
        """``value`` in the stock unit of ``sku``: a number as it is; a Quantity or a
        PackageCount converted by the item (read once: items never change)."""
        if isinstance(value, (Quantity, PackageCount)):
            item = self._items.get(sku) or self.item(sku)
            self._items[sku] = item
            return item.stock_quantity(value, field, positive=positive)
        return quantity_of(value, field, positive=positive)

    def _today(self) -> date:
        return self.clock.now().astimezone(self.zone).date()

    # -- master data -------------------------------------------------------------------

    def add_item(self, item: Item) -> Item:
        """Register an item. Raises DuplicateRecord if the SKU exists."""

        def work(uow: UnitOfWork) -> Item:
            problems: list[Problem] = []
            for index, component in enumerate(item.components):
                part = uow.items.get(component.sku)
                path = f"components.{index}.sku"
                if part is None:
                    problems.append(
                        Problem.from_error(path, NotFound(record="item", key=component.sku))
                    )
                elif part.is_kit:
                    problems.append(
                        _invalid(
                            "",
                            path,
                            f"{component.sku} is a kit itself: list its components instead",
                        )
                    )
            if problems:
                raise ValidationError(problems)
            uow.items.add(item)
            return item

        return self.store.run(work)

    def add_location(self, location: Location) -> Location:
        """Register a location. Raises DuplicateRecord if the code exists."""

        def work(uow: UnitOfWork) -> Location:
            if location.parent is not None and uow.locations.get(location.parent) is None:
                raise NotFound(record="location", key=location.parent)
            uow.locations.add(location)
            return location

        return self.store.run(work)

    def item(self, sku: str) -> Item:
        found = self.store.run(lambda uow: uow.items.get(sku))
        if found is None:
            raise NotFound(record="item", key=sku)
        return found

    # -- movements ---------------------------------------------------------------------

    def receive(
        self,
        sku: str,
        quantity: Any,
        location: str,
        *,
        source: str = SUPPLIER,
        idempotency_key: str | None = None,
        **options: Any,
    ) -> Movement:
        """Goods in: ``quantity`` of ``sku`` arrives at ``location`` from a supplier.

        ``options``: ``lot`` (required for items tracked by lot or serial) and its
        ``expires_on`` date, ``unit_cost`` (a :class:`~backoffice.core.money.UnitPrice`
        per stock unit, for valuation), ``incoming`` (the id of the expected receipt it
        fulfils), ``reason``, ``reference``, ``actor``, ``effective_at``.
        """
        request = MoveRequest(MovementKind.RECEIPT, sku, quantity, source, location, **options)
        return self._one(request, idempotency_key)

    def ship(
        self,
        sku: str,
        quantity: Any,
        location: str,
        *,
        destination: str = CUSTOMER,
        idempotency_key: str | None = None,
        **options: Any,
    ) -> list[Movement]:
        """Goods out: ``quantity`` of ``sku`` leaves ``location`` for a customer.

        Returns the movements recorded: one, or one per lot when the lots are picked by
        FEFO (an item tracked by lot or serial, shipped without ``lot``), or one per
        component for a kit."""
        request = MoveRequest(
            MovementKind.SHIPMENT, sku, quantity, location, destination, **options
        )
        return self.record([request], idempotency_key=idempotency_key)

    def transfer(
        self,
        sku: str,
        quantity: Any,
        source: str,
        destination: str,
        *,
        idempotency_key: str | None = None,
        **options: Any,
    ) -> list[Movement]:
        """Move stock between two locations at once (see :meth:`dispatch` for goods on
        the road). Returns the movements recorded (one per lot picked by FEFO, or per
        component of a kit)."""
        request = MoveRequest(MovementKind.TRANSFER, sku, quantity, source, destination, **options)
        return self.record([request], idempotency_key=idempotency_key)

    def scrap(
        self,
        sku: str,
        quantity: Any,
        location: str,
        *,
        idempotency_key: str | None = None,
        **options: Any,
    ) -> list[Movement]:
        """Write off damaged or expired stock (name the ``lot`` to scrap an expired one:
        FEFO never picks expired lots). Returns the movements recorded."""
        request = MoveRequest(MovementKind.SCRAP, sku, quantity, location, LOSS, **options)
        return self.record([request], idempotency_key=idempotency_key)

    def take_back(
        self,
        sku: str,
        quantity: Any,
        location: str,
        *,
        idempotency_key: str | None = None,
        **options: Any,
    ) -> Movement:
        """A customer return: stock comes back into ``location``."""
        request = MoveRequest(MovementKind.RETURN, sku, quantity, CUSTOMER, location, **options)
        return self._one(request, idempotency_key)

    def adjust(
        self,
        sku: str,
        location: str,
        delta: Any,
        *,
        idempotency_key: str | None = None,
        **options: Any,
    ) -> Movement:
        """Correct a balance by ``delta`` (positive: found more; negative: missing)."""
        change = self._in_stock_unit(sku, delta, "delta", positive=False)
        if not change:
            raise InvalidValue(field="delta", reason="an adjustment of zero records nothing")
        source, destination = (LOSS, location) if change > 0 else (location, LOSS)
        request = MoveRequest(
            MovementKind.ADJUSTMENT, sku, change.copy_abs(), source, destination, **options
        )
        return self._one(request, idempotency_key)

    def count(
        self, sku: str, location: str, counted: Any, *, lot: str = "", **options: Any
    ) -> Movement | None:
        """A cycle count: record what was counted; the difference is booked as an
        adjustment (none when the count matches)."""
        number = self._in_stock_unit(sku, counted, "counted", positive=False)
        if number < 0:
            raise InvalidValue(field="counted", reason="a count cannot be negative")

        def work(uow: UnitOfWork) -> Movement | None:
            key = (sku, location, lot)
            uow.balances.lock([key])
            difference = _sub(number, uow.balances.on_hand(key))
            if not difference:
                return None
            source, destination = (LOSS, location) if difference > 0 else (location, LOSS)
            request = MoveRequest(
                MovementKind.ADJUSTMENT,
                sku,
                difference.copy_abs(),
                source,
                destination,
                lot=lot,
                reason=options.get("reason") or f"cycle count: {number} counted",
                reference=options.get("reference", ""),
                actor=options.get("actor", ""),
            )
            return self._apply(uow, [request])[0]

        return self.store.run(work)

    def record(
        self, requests: Sequence[MoveRequest], *, idempotency_key: str | None = None
    ) -> list[Movement]:
        """Record several movements at once: all of them, or none."""
        if not requests:
            raise InvalidValue(field="requests", reason="nothing to record")
        payload: dict[str, Any] = {}
        if idempotency_key is not None:  # only the key's fingerprint reads it
            payload = {"requests": [_request_payload(r) for r in requests]}

        def work(uow: UnitOfWork) -> list[Movement]:
            return self._apply(uow, list(requests))

        return self._idempotent(
            "record",
            payload,
            idempotency_key,
            work,
            lambda movements: [m.to_dict() for m in movements],
            lambda data: [_movement_from_dict(m) for m in data],
        )

    def reverse(self, movement_id: str, *, reason: str, actor: str = "") -> Movement:
        """Cancel a movement by recording its mirror image (the journal is never edited)."""

        def work(uow: UnitOfWork) -> Movement:
            original = uow.movements.get(movement_id)
            if original is None:
                raise NotFound(record="movement", key=movement_id)
            if original.source == TRANSIT:
                raise InvalidValue(
                    field="movement_id",
                    reason=f"{movement_id} is an arrival from transit: it is not reversed; "
                    "move the goods on, or back, with a new transfer",
                )
            if original.reverses is not None:
                raise InvalidValue(
                    field="movement_id",
                    reason=f"{movement_id} is itself a reversal: record the movement again",
                )
            if uow.movements.get(_reversal_id(movement_id)) is not None:
                raise InvalidValue(field="movement_id", reason=f"{movement_id} is reversed already")
            if original.destination == TRANSIT:
                self._cancel_dispatch(uow, original)
            request = MoveRequest(
                MovementKind.REVERSAL,
                original.item,
                original.quantity,
                original.destination,
                original.source,
                lot=original.lot,
                reason=reason,
                reference=original.reference,
                actor=actor,
            )
            # one reversal per movement: its id is derived from the original's, so a
            # concurrent second reversal meets the first in the journal's primary key
            return self._apply(uow, [request], reverses=movement_id, transit=True)[0]

        return self.store.run(work)

    def _cancel_dispatch(self, uow: UnitOfWork, dispatch: Movement) -> None:
        """Reversing a dispatch cancels its transfer, before anything of it arrived."""
        for entry in uow.incoming.open(dispatch.item):
            if entry.movement != dispatch.id:
                continue
            if entry.arrived:
                raise InvalidValue(
                    field="movement_id",
                    reason=f"{entry.arrived} of dispatch {dispatch.id} has arrived already: "
                    "it is not reversed; move the goods back with a new transfer",
                )
            cancelled = attrs.evolve(entry, status=IncomingStatus.CANCELLED)
            uow.incoming.update(cancelled, was=entry)
            uow.outbox.append("stock.dispatch_cancelled", cancelled.to_dict(), self.clock.now())

    def _one(self, request: MoveRequest, idempotency_key: str | None) -> Movement:
        return self.record([request], idempotency_key=idempotency_key)[0]

    # -- balances ----------------------------------------------------------------------

    def balance(self, sku: str, location: str, lot: str | None = None) -> Balance:
        """On hand, reserved (live reservations only), available and incoming.

        For an item tracked by lot or serial, without ``lot``: the sum over its lots,
        where stock of lots past their expiry date is on hand but not available
        (``expired``). For a kit: how many whole kits its components make.
        """
        now = self.clock.now()
        return self.store.run(lambda uow: self._balance(uow, sku, location, lot, now))

    def available(self, sku: str, location: str, lot: str | None = None) -> Decimal:
        """What can be reserved or shipped: :meth:`balance` ``.available``."""
        return self.balance(sku, location, lot).available

    def stock(self, sku: str) -> list[Balance]:
        """Every balance of ``sku``: one per location and lot, in that order."""
        now = self.clock.now()

        def work(uow: UnitOfWork) -> list[Balance]:
            return [
                self._balance(uow, sku, location, lot, now)
                for (_, location, lot), _ in uow.balances.of_item(sku)
            ]

        return self.store.run(work)

    def lots(self, sku: str) -> list[Lot]:
        """The lots (or serial numbers) of ``sku`` ever received, by code."""
        return self.store.run(lambda uow: uow.lots.of_item(sku))

    def _balance(
        self, uow: UnitOfWork, sku: str, location: str, lot: str | None, now: datetime
    ) -> Balance:
        item = uow.items.get(sku)
        if item is not None and item.is_kit:
            return self._kit_balance(uow, item, location, now)
        incoming = [e for e in uow.incoming.open(sku, location) if lot is None or e.lot == lot]
        arriving = sum((e.outstanding for e in incoming), _ZERO)
        if lot is not None or item is None or item.tracking is Tracking.NONE:
            key = (sku, location, lot or "")
            on_hand = uow.balances.on_hand(key)
            held = uow.reservations.reserved(key, now)
            expired = _ZERO
            if lot and item is not None and item.tracking is not Tracking.NONE:
                found = uow.lots.get(sku, lot)
                if found is not None and found.expired(now.astimezone(self.zone).date()):
                    expired = max(_sub(on_hand, held), _ZERO)
            return Balance(sku, location, on_hand, held, lot or "", arriving, expired)
        expiry = {entry.code: entry for entry in uow.lots.of_item(sku)}
        today = now.astimezone(self.zone).date()
        on_hand = reserved = expired = _ZERO
        for code, quantity in uow.balances.at(sku, location):
            held = uow.reservations.reserved((sku, location, code), now)
            on_hand, reserved = _add(on_hand, quantity), _add(reserved, held)
            found = expiry.get(code)
            if found is not None and found.expired(today):
                expired = _add(expired, max(_sub(quantity, held), _ZERO))
        return Balance(sku, location, on_hand, reserved, "", arriving, expired)

    def _kit_balance(self, uow: UnitOfWork, kit: Item, location: str, now: datetime) -> Balance:
        """Whole kits: the minimum over the components of what each makes."""
        made_on_hand: Decimal | None = None
        made_available: Decimal | None = None
        for component in kit.components:
            part = self._balance(uow, component.sku, location, None, now)
            on_hand = _whole(part.on_hand, component.quantity)
            available = _whole(part.available, component.quantity)
            made_on_hand = on_hand if made_on_hand is None else min(made_on_hand, on_hand)
            made_available = available if made_available is None else min(made_available, available)
        on_hand = made_on_hand or _ZERO
        available = made_available or _ZERO
        return Balance(kit.sku, location, on_hand, _sub(on_hand, available))

    def verify(self) -> list[Discrepancy]:
        """Recompute every balance from the journal, and every reserved counter from the
        reservations; list those that differ."""
        return self.store.run(self._discrepancies)

    def rebuild(self) -> list[Discrepancy]:
        """Repair the balances from the journal and the reservations; return what was
        wrong."""

        def work(uow: UnitOfWork) -> list[Discrepancy]:
            found = self._discrepancies(uow)
            for wrong in found:
                key = (wrong.item, wrong.location, wrong.lot)
                if wrong.field == "reserved":
                    uow.balances.set_held(key, wrong.journal)
                else:
                    uow.balances.set(key, wrong.journal)
            return found

        return self.store.run(work)

    def _discrepancies(self, uow: UnitOfWork) -> list[Discrepancy]:
        kinds = {location.code: location.kind for location in uow.locations.all()}
        journal: dict[BalanceKey, Decimal] = {}
        for movement in uow.movements.all():
            if kinds.get(movement.source, LocationKind.INTERNAL).holds_stock:
                key = (movement.item, movement.source, movement.lot)
                journal[key] = _sub(journal.get(key, Decimal(0)), movement.quantity)
            if kinds.get(movement.destination, LocationKind.INTERNAL).holds_stock:
                key = (movement.item, movement.destination, movement.lot)
                journal[key] = _add(journal.get(key, Decimal(0)), movement.quantity)
        stored = dict(uow.balances.all())
        found = []
        for key in sorted(set(journal) | set(stored)):
            expected = journal.get(key, Decimal(0))
            actual = stored.get(key, Decimal(0))
            if expected != actual:
                found.append(Discrepancy(key[0], key[1], key[2], actual, expected))
        # the reserved counters against what the reservations' counted lines hold
        held = dict(uow.reservations.held())
        counters = dict(uow.balances.all_held())
        for key in sorted(set(held) | set(counters)):
            expected = held.get(key, Decimal(0))
            actual = counters.get(key, Decimal(0))
            if expected != actual:
                found.append(Discrepancy(key[0], key[1], key[2], actual, expected, "reserved"))
        return found

    # -- incoming stock, projections, reorder rules -------------------------------------

    def expect(
        self,
        sku: str,
        quantity: Any,
        location: str,
        *,
        expected_at: datetime,
        lot: str = "",
        reference: str = "",
        source: str = SUPPLIER,
    ) -> Incoming:
        """Record an expected receipt (a purchase order line): it counts as incoming at
        ``location`` until received with ``receive(..., incoming=entry.id)`` or
        cancelled."""
        number = self._in_stock_unit(sku, quantity, "quantity")
        when = ensure_aware(expected_at, "expected_at")

        def work(uow: UnitOfWork) -> Incoming:
            self._check_destination(uow, sku, location)
            item = uow.items.get(sku)
            if item is not None and item.tracking is Tracking.NONE and lot:
                raise InvalidValue(
                    field="lot", reason=f"{sku} is not tracked by lot or serial: give no lot"
                )
            if (
                item is not None
                and item.tracking is Tracking.SERIAL
                and (number != number.to_integral_value() or (lot and number != 1))
            ):
                raise InvalidValue(
                    field="quantity",
                    reason=f"{sku} is counted in serial numbers: whole units, and one "
                    "unit for a named serial number",
                )
            now = self.clock.now()
            entry = Incoming(
                uuid.uuid4().hex,
                IncomingOrigin.PURCHASE,
                sku,
                location,
                number,
                when,
                now,
                lot=lot,
                reference=reference,
                source=source,
            )
            uow.incoming.add(entry)
            uow.outbox.append("stock.expected", entry.to_dict(), now)
            return entry

        return self.store.run(work)

    def dispatch(
        self,
        sku: str,
        quantity: Any,
        source: str,
        destination: str,
        *,
        expected_at: datetime,
        idempotency_key: str | None = None,
        **options: Any,
    ) -> list[Incoming]:
        """Send stock from ``source`` towards ``destination`` through ``@transit``: it
        leaves ``source`` now and is incoming at ``destination`` until it arrives
        (:meth:`arrive`). One entry per lot (lots picked by FEFO unless ``lot`` is
        given)."""
        when = ensure_aware(expected_at, "expected_at")
        request = MoveRequest(MovementKind.TRANSFER, sku, quantity, source, TRANSIT, **options)
        payload = {"request": _request_payload(request), "to": destination, "at": when}

        def work(uow: UnitOfWork) -> list[Incoming]:
            self._check_destination(uow, sku, destination, "destination")
            movements = self._apply(uow, [request], transit=True)
            now = self.clock.now()
            entries = []
            for movement in movements:
                entry = Incoming(
                    uuid.uuid4().hex,
                    IncomingOrigin.TRANSFER,
                    movement.item,
                    destination,
                    movement.quantity,
                    when,
                    now,
                    lot=movement.lot,
                    reference=movement.reference,
                    source=source,
                    movement=movement.id,
                )
                uow.incoming.add(entry)
                uow.outbox.append("stock.dispatched", entry.to_dict(), now)
                entries.append(entry)
            return entries

        return self._idempotent(
            "dispatch",
            payload,
            idempotency_key,
            work,
            lambda entries: [entry.to_dict() for entry in entries],
            lambda data: [_incoming_from_dict(entry) for entry in data],
        )

    def arrive(
        self,
        incoming_id: str,
        quantity: Any = None,
        *,
        idempotency_key: str | None = None,
        **options: Any,
    ) -> Movement:
        """A dispatched transfer arrives: ``quantity`` (all that is still in transit by
        default) moves from ``@transit`` to its destination."""
        payload: dict[str, Any] = {}
        if idempotency_key is not None:  # only the key's fingerprint reads it
            payload = {"incoming": incoming_id, "quantity": quantity, "options": options}

        def work(uow: UnitOfWork) -> Movement:
            entry = uow.incoming.get(incoming_id)
            if entry is None:
                raise NotFound(record="incoming", key=incoming_id)
            if entry.origin is not IncomingOrigin.TRANSFER:
                raise InvalidValue(
                    field="incoming_id",
                    reason=f"{incoming_id} is an expected receipt: receive it with "
                    f"receive(..., incoming={incoming_id!r})",
                )
            if entry.status is not IncomingStatus.OPEN:
                raise InvalidValue(
                    field="incoming_id",
                    reason=f"transfer {incoming_id} is {entry.status.value}: nothing of it is "
                    "in transit",
                )
            if quantity is not None:
                item = self._items.get(entry.item) or uow.items.get(entry.item)
                wanted = quantity_of(quantity) if item is None else item.stock_quantity(quantity)
                if wanted > entry.outstanding:
                    raise InvalidValue(
                        field="quantity",
                        reason=f"only {entry.outstanding} of transfer {incoming_id} is in "
                        f"transit, not {wanted}",
                    )
            request = MoveRequest(
                MovementKind.TRANSFER,
                entry.item,
                entry.outstanding if quantity is None else quantity,
                TRANSIT,
                entry.location,
                lot=entry.lot,
                incoming=incoming_id,
                **{"reference": entry.reference, **options},
            )
            return self._apply(uow, [request], transit=True)[0]

        return self._idempotent(
            "arrive",
            payload,
            idempotency_key,
            work,
            lambda movement: movement.to_dict(),
            _movement_from_dict,
        )

    def cancel_incoming(self, incoming_id: str) -> Incoming:
        """Cancel what is left of an expected receipt (a transfer in transit cannot be
        cancelled: it is stock on the road; make it arrive, then move it back)."""

        def work(uow: UnitOfWork) -> Incoming:
            entry = uow.incoming.get(incoming_id)
            if entry is None:
                raise NotFound(record="incoming", key=incoming_id)
            if entry.origin is IncomingOrigin.TRANSFER:
                raise InvalidValue(
                    field="incoming_id",
                    reason=f"{incoming_id} is stock in transit: it cannot be cancelled, only "
                    "made to arrive",
                )
            if entry.status is not IncomingStatus.OPEN:
                raise InvalidValue(
                    field="incoming_id", reason=f"{incoming_id} is {entry.status.value} already"
                )
            cancelled = attrs.evolve(entry, status=IncomingStatus.CANCELLED)
            uow.incoming.update(cancelled, was=entry)
            uow.outbox.append("stock.expected_cancelled", cancelled.to_dict(), self.clock.now())
            return cancelled

        return self.store.run(work)

    def incoming(self, sku: str, location: str | None = None) -> list[Incoming]:
        """What is expected of ``sku`` (at ``location``), by expected time."""
        return self.store.run(lambda uow: uow.incoming.open(sku, location))

    def projection(self, sku: str, location: str, *, until: datetime) -> list[ProjectedStock]:
        """The expected stock of ``sku`` at ``location`` from now to ``until``: a point
        now (incoming already due counts now), then one per expected arrival. Reserved
        stays what live reservations hold now."""
        end = ensure_aware(until, "until")
        now = self.clock.now()

        def work(uow: UnitOfWork) -> list[ProjectedStock]:
            balance = self._balance(uow, sku, location, None, now)
            on_hand = _sub(balance.on_hand, balance.expired)
            points = [ProjectedStock(now, on_hand, _ZERO, balance.reserved)]
            arriving = _ZERO
            for entry in uow.incoming.open(sku, location):
                if entry.expected_at > end:
                    break
                arriving = _add(arriving, entry.outstanding)
                at = max(entry.expected_at, now)
                point = ProjectedStock(at, on_hand, arriving, balance.reserved)
                if points[-1].at == at:
                    points[-1] = point
                else:
                    points.append(point)
            return points

        return self.store.run(work)

    def projected_available(self, sku: str, location: str, at: datetime) -> Decimal:
        """On hand plus what is incoming by ``at``, minus what is reserved now."""
        return self.projection(sku, location, until=at)[-1].projected

    def set_reorder_rule(self, sku: str, location: str, minimum: Any, maximum: Any) -> ReorderRule:
        """Replenish ``sku`` at ``location`` between ``minimum`` and ``maximum``."""
        rule = ReorderRule(
            sku,
            location,
            self._in_stock_unit(sku, minimum, "minimum", positive=False),
            self._in_stock_unit(sku, maximum, "maximum", positive=False),
        )

        def work(uow: UnitOfWork) -> ReorderRule:
            self._check_destination(uow, sku, location)
            uow.reorder_rules.put(rule)
            return rule

        return self.store.run(work)

    def remove_reorder_rule(self, sku: str, location: str) -> bool:
        """Remove the rule; ``False`` if there was none."""
        return self.store.run(lambda uow: uow.reorder_rules.remove(sku, location))

    def reorder_rules(self) -> list[ReorderRule]:
        return self.store.run(lambda uow: uow.reorder_rules.all())

    def replenishment(self) -> list[Replenishment]:
        """What to order: every rule whose item's available stock is at or below its
        minimum, with the quantity that brings available plus incoming up to the
        maximum (rules already covered by incoming stock are left out)."""
        now = self.clock.now()

        def work(uow: UnitOfWork) -> list[Replenishment]:
            found = []
            for rule in uow.reorder_rules.all():
                balance = self._balance(uow, rule.item, rule.location, None, now)
                if balance.available > rule.minimum:
                    continue
                position = _add(balance.available, balance.incoming)
                quantity = _sub(rule.maximum, position)
                if quantity > 0:
                    found.append(Replenishment(rule, balance.available, balance.incoming, quantity))
            return found

        return self.store.run(work)

    def _check_destination(
        self, uow: UnitOfWork, sku: str, location: str, field: str = "location"
    ) -> None:
        problems: list[Problem] = []
        item = uow.items.get(sku)
        if item is None:
            problems.append(Problem.from_error("sku", NotFound(record="item", key=sku)))
        elif item.is_kit:
            problems.append(_invalid("", "sku", f"{sku} is a kit: it holds no stock"))
        place = uow.locations.get(location)
        if place is None:
            problems.append(Problem.from_error(field, NotFound(record="location", key=location)))
        elif place.kind is not LocationKind.INTERNAL:
            problems.append(_invalid("", field, f"{location} is not a stock location"))
        if problems:
            raise ValidationError(problems)

    # -- period lock and valuation -----------------------------------------------------

    def lock_period(self, through: date) -> date:
        """Close the stock periods up to and including ``through`` (a day of the
        ledger's zone that is over): movements effective on or before it are refused
        with :class:`~backoffice.errors.PeriodLocked`. The lock date only moves forward:
        closed periods are not reopened through the ledger."""
        day = ensure_date(through, "through")

        if day >= self._today():
            raise InvalidValue(
                field="through",
                reason=f"only days that are over can be closed: {day.isoformat()} is not over "
                f"yet in {self.zone}",
            )

        def work(uow: UnitOfWork) -> date:
            uow.settings.lock(LOCK_DATE_SETTING)  # movements in flight finish first
            stored = uow.settings.get(LOCK_DATE_SETTING)
            if stored is not None and date.fromisoformat(stored) > day:
                raise InvalidValue(
                    field="through",
                    reason=f"the stock is locked through {stored}; a lock date only moves forward",
                )
            uow.settings.put(LOCK_DATE_SETTING, day.isoformat())
            uow.outbox.append("period.locked", {"through": day.isoformat()}, self.clock.now())
            return day

        return self.store.run(work)

    def lock_date(self) -> date | None:
        """The last day of the closed periods, if any."""
        stored = self.store.run(lambda uow: uow.settings.get(LOCK_DATE_SETTING))
        return None if stored is None else date.fromisoformat(stored)

    def valuation(
        self,
        sku: str,
        method: ValuationMethod,
        currency: str,
        *,
        standard_cost: UnitPrice | None = None,
        rounding: RoundingArg = RoundingMode.HALF_UP,
        allow_lifo: bool = False,
        posted_through: datetime | None = None,
        backdating: BackdatePolicy | None = None,
    ) -> ValuationResult:
        """Value the journal of ``sku`` with :func:`~backoffice.inventory.value_journal`.

        The item's stock is valued as one, whatever the location: receipts from
        suppliers are receipts (they need a ``unit_cost``); shipments are issues; scrap,
        adjustments and reversals out of stock are adjustments out; adjustments,
        returns and reversals into stock are adjustments in (at their unit cost if they
        carry one, else at the current cost); transfers between stock locations (and
        through ``@transit``) change nothing.

        Args:
            posted_through: the movements recorded up to this instant are already in the
                books; those recorded later are new. A new movement dated before a
                posted one then needs ``backdating`` (re-value in place, or book
                corrections now), and new movements in a closed period (the ledger's
                lock date) are refused with :class:`~backoffice.errors.PeriodLocked`.
            backdating: see :class:`~backoffice.inventory.BackdatePolicy`.
        """
        if posted_through is not None:
            posted_through = ensure_aware(posted_through, "posted_through")

        def work(
            uow: UnitOfWork,
        ) -> tuple[Item | None, list[Movement], dict[str, Location], str | None]:
            places = {place.code: place for place in uow.locations.all()}
            lock = uow.settings.get(LOCK_DATE_SETTING)
            return uow.items.get(sku), uow.movements.all(item=sku), places, lock

        item, journal, places, lock = self.store.run(work)
        if item is None:
            raise NotFound(record="item", key=sku)
        if item.is_kit:
            raise InvalidValue(field="sku", reason=f"{sku} is a kit: value its components")
        moves: list[ValuationMove] = []
        posted = 0
        for movement in journal:
            kind = _valuation_kind(movement, places)
            if kind is not None:
                if posted_through is not None and movement.recorded_at <= posted_through:
                    posted = len(moves) + 1  # the journal is in recording order
                moves.append(
                    ValuationMove(
                        movement.id,
                        movement.effective_at,
                        kind,
                        movement.quantity,
                        movement.unit_cost if kind.inbound else None,
                    )
                )
        return value_journal(
            moves,
            method,
            currency,
            standard_cost=standard_cost,
            rounding=rounding,
            allow_lifo=allow_lifo,
            unit=item.unit,
            posted=posted,
            backdating=backdating,
            now=self.clock.now(),
            lock_date=None if lock is None or posted_through is None else date.fromisoformat(lock),
            zone=self.zone,
        )

    # -- reservations ------------------------------------------------------------------

    def reserve(
        self,
        order_ref: str,
        lines: Sequence[ReserveLine],
        *,
        ttl: timedelta,
        idempotency_key: str | None = None,
    ) -> Reservation:
        """Hold stock for an order, all lines or none, until ``now + ttl``.

        Lines of the same item and location are added up before checking.

        Raises:
            InsufficientStock: some line cannot be held; ``details["shortfalls"]`` says
                which and by how much. Nothing is reserved.
        """
        if not isinstance(ttl, timedelta) or ttl <= timedelta(0):
            raise InvalidValue(field="ttl", reason=f"must be a positive timedelta, got {ttl!r}")
        wanted = self._reserve_lines(lines)
        payload: dict[str, Any] = {}
        if idempotency_key is not None:  # only the key's fingerprint reads it
            payload = {
                "order_ref": order_ref,
                "lines": [[*key, format(quantity, "f")] for key, quantity in wanted.items()],
                "ttl": ttl.total_seconds(),
            }

        def reservation_of(now: datetime, held: Mapping[BalanceKey, Decimal]) -> Reservation:
            return Reservation(
                uuid.uuid4().hex,
                order_ref,
                ReservationStatus.ACTIVE,
                now + ttl,
                now,
                tuple(
                    ReservationLine(key[0], key[1], q, Decimal(0), key[2])
                    for key, q in held.items()
                ),
            )

        def at_once(uow: UnitOfWork) -> Reservation:
            # Each balance's reserved counter is checked and raised in the statement that
            # takes its lock, after every other write (and with the commit, where the
            # store can): a hot balance stays locked for that statement and the commit.
            problems = self._check_reserve(uow, wanted, {})
            if problems:
                raise ValidationError(problems)
            reservation = reservation_of(self.clock.now(), wanted)
            uow.reservations.place(
                reservation,
                ("reservation.created", reservation.to_dict(), reservation.created_at),
                # with a key, its record comes after, under the lock: a replay waits
                at_commit=idempotency_key is None,
            )
            return reservation

        def checked(uow: UnitOfWork) -> Reservation:
            # The exact way: kits as their components, lots picked by FEFO, and whenever
            # the counter said no (maybe short, maybe held by expired reservations, maybe
            # no balance yet). Lock, stop counting what expired, count what is live.
            items: dict[str, Item] = {}
            problems = self._check_reserve(uow, wanted, items)
            if problems:
                raise ValidationError(problems)
            now = self.clock.now()
            direct, picks = self._reserve_parts(uow, wanted, items)
            # lock every balance the reservation may hold, in one sorted pass: the named
            # ones, and every lot FEFO may take for lines without a lot (lots that last
            # until the reservation expires)
            lasts = (now + ttl).astimezone(self.zone).date()
            candidates = {
                place: self._candidates(uow, place[0], place[1], lasts) for place in picks
            }
            keys = set(direct)
            for (sku, location), codes in candidates.items():
                keys.update((sku, location, code) for code in codes)
            uow.balances.lock(sorted(keys))
            for key in sorted(keys):
                lapsed = uow.reservations.lapse(key, now)
                if lapsed:
                    uow.balances.add_held(key, lapsed.copy_negate())
            shortfalls = []
            taken: dict[BalanceKey, Decimal] = {}
            for key in sorted(direct):
                available = _sub(uow.balances.on_hand(key), uow.reservations.reserved(key, now))
                if available < direct[key]:
                    shortfalls.append(_shortfall(key, direct[key], available))
                taken[key] = direct[key]
            held = dict(direct)
            for (sku, location), quantity in sorted(picks.items()):
                split = self._allocate(
                    uow, sku, location, quantity, candidates[(sku, location)], now, taken
                )
                if isinstance(split, dict):
                    shortfalls.append(split)
                    continue
                for code, part in split:
                    key = (sku, location, code)
                    held[key] = _add(held.get(key, _ZERO), part)
            if shortfalls:
                raise _insufficient(shortfalls)
            watched = self._watch(uow, [(key[0], key[1]) for key in held], now)
            reservation = reservation_of(now, held)
            uow.reservations.add(reservation)
            uow.outbox.append("reservation.created", reservation.to_dict(), now)
            for key, quantity in held.items():
                uow.balances.add_held(key, quantity)
            self._signal_low_stock(uow, watched, now)
            return reservation

        def attempt(work: Callable[[UnitOfWork], Reservation]) -> Reservation:
            return self._idempotent(
                "reserve",
                payload,
                idempotency_key,
                work,
                Reservation.to_dict,
                _reservation_from_dict,
            )

        # the short way holds plain lines: items already met, neither kits nor in lots
        plain = all(
            (item := self._items.get(sku)) is not None
            and not item.is_kit
            and item.tracking is Tracking.NONE
            for sku, _, _ in wanted
        )
        if plain:
            try:
                return attempt(at_once)
            except NotHeld:
                pass
        return attempt(checked)

    def reservation(self, reservation_id: str) -> Reservation:
        """The reservation, with status ``expired`` once its time is up."""
        now = self.clock.now()
        found = self.store.run(lambda uow: uow.reservations.get(reservation_id))
        if found is None:
            raise NotFound(record="reservation", key=reservation_id)
        return _as_seen(found, now)

    def extend(self, reservation_id: str, ttl: timedelta) -> Reservation:
        """Keep a live reservation ``ttl`` longer from now."""

        def work(uow: UnitOfWork) -> Reservation:
            now = self.clock.now()
            reservation = self._live(uow, reservation_id, now)
            extended = attrs.evolve(reservation, expires_at=max(reservation.expires_at, now + ttl))
            self._update(uow, extended)
            return extended

        return self.store.run(work)

    def release(self, reservation_id: str) -> Reservation:
        """Give the stock back (the order was abandoned)."""

        def work(uow: UnitOfWork) -> Reservation:
            now = self.clock.now()
            reservation = self._live(uow, reservation_id, now)
            released = attrs.evolve(reservation, status=ReservationStatus.RELEASED)
            self._update(uow, released)
            uow.outbox.append("reservation.released", {"id": reservation_id}, now)
            return released

        return self.store.run(work)

    def commit(
        self,
        reservation_id: str,
        quantities: Mapping[int, Any] | None = None,
        *,
        destination: str = CUSTOMER,
        idempotency_key: str | None = None,
    ) -> list[Movement]:
        """Ship what is reserved: all of it, or ``{line_index: quantity}``. The
        reservation is committed once every line is."""
        payload = {
            "reservation": reservation_id,
            "quantities": {str(k): str(v) for k, v in (quantities or {}).items()},
        }

        def work(uow: UnitOfWork) -> list[Movement]:
            now = self.clock.now()
            reservation = self._live(uow, reservation_id, now)
            # what is available before the commit: shipping reserved stock changes on
            # hand and reserved alike, not what is available
            watched = self._watch(
                uow, [(line.item, line.location) for line in reservation.lines], now
            )
            lines = list(reservation.lines)
            unknown = sorted(set(quantities or {}) - set(range(len(lines))))
            if unknown:
                raise InvalidValue(
                    field="quantities",
                    reason=f"reservation {reservation_id} has no line {unknown[0]} "
                    f"(its lines are 0 to {len(lines) - 1})",
                )
            requests: list[MoveRequest] = []
            for index, line in enumerate(lines):
                if quantities is None:
                    take = line.outstanding
                elif index in quantities:
                    take = self._in_stock_unit(line.item, quantities[index], f"quantities[{index}]")
                else:
                    continue
                if take > line.outstanding:
                    raise InvalidValue(
                        field=f"quantities[{index}]",
                        reason=f"{take} is more than the {line.outstanding} still reserved",
                    )
                if not take:
                    continue
                lines[index] = attrs.evolve(line, committed=_add(line.committed, take))
                requests.append(
                    MoveRequest(
                        MovementKind.SHIPMENT,
                        line.item,
                        take,
                        line.location,
                        destination,
                        lot=line.lot,
                        reference=reservation.order_ref,
                    )
                )
            done = all(not line.outstanding for line in lines)
            status = ReservationStatus.COMMITTED if done else ReservationStatus.ACTIVE
            self._update(uow, attrs.evolve(reservation, lines=tuple(lines), status=status))
            movements = self._apply(uow, requests, watched=watched) if requests else []
            uow.outbox.append(
                "reservation.committed", {"id": reservation_id, "complete": done}, now
            )
            return movements

        return self._idempotent(
            "commit",
            payload,
            idempotency_key,
            work,
            lambda movements: [m.to_dict() for m in movements],
            lambda data: [_movement_from_dict(m) for m in data],
        )

    def sweep(self, *, limit: int = 1000) -> int:
        """Mark reservations whose time is up as expired, with an event each. Only tidies:
        expired reservations already hold nothing."""

        def work(uow: UnitOfWork) -> int:
            now = self.clock.now()
            found = uow.reservations.expired(now, limit)
            if not found:
                return 0
            # their balances' reserved counters change: lock them, then read the
            # reservations again (one may have been swept or changed meanwhile: READ
            # COMMITTED sees that now)
            uow.balances.lock(sorted({(x.item, x.location, x.lot) for r in found for x in r.lines}))
            due = {r.id: r for r in uow.reservations.expired(now, limit)}
            swept = 0
            for reservation in found:
                current = due.get(reservation.id)
                if current is not None:
                    self._update(uow, attrs.evolve(current, status=ReservationStatus.EXPIRED))
                    uow.outbox.append("reservation.expired", {"id": current.id}, now)
                    swept += 1
            return swept

        return self.store.run(work)

    # -- internals ---------------------------------------------------------------------

    def _update(self, uow: UnitOfWork, reservation: Reservation) -> None:
        """Store a changed reservation and keep the reserved counters of its balances
        (the caller holds their locks) equal to what its lines hold: their outstanding
        quantities while it is active, nothing once it is not."""
        deltas: dict[BalanceKey, Decimal] = {}
        for key, quantity in uow.reservations.holding(reservation.id):
            deltas[key] = _sub(deltas.get(key, Decimal(0)), quantity)
        uow.reservations.update(reservation)
        if reservation.status is ReservationStatus.ACTIVE:
            for line in reservation.lines:
                key = (line.item, line.location, line.lot)
                deltas[key] = _add(deltas.get(key, Decimal(0)), line.outstanding)
        for key in sorted(deltas):
            if deltas[key]:
                uow.balances.add_held(key, deltas[key])

    def _live(self, uow: UnitOfWork, reservation_id: str, now: datetime) -> Reservation:
        reservation = uow.reservations.get(reservation_id)
        if reservation is None:
            raise NotFound(record="reservation", key=reservation_id)
        keys = sorted({(line.item, line.location, line.lot) for line in reservation.lines})
        uow.balances.lock(keys)
        # read it again under the lock: a commit or release that held the lock may have
        # changed it while this unit of work waited (READ COMMITTED sees that change now)
        reservation = uow.reservations.get(reservation_id) or reservation
        seen = _as_seen(reservation, now)
        if seen.status is not ReservationStatus.ACTIVE:
            raise ReservationNotActive(reservation=reservation_id, status=seen.status.value)
        return reservation

    def _reserve_lines(self, lines: Sequence[ReserveLine]) -> dict[BalanceKey, Decimal]:
        if not lines:
            raise InvalidValue(field="lines", reason="a reservation needs at least one line")
        problems: list[Problem] = []
        wanted: dict[BalanceKey, Decimal] = {}
        for index, line in enumerate(lines):
            given: object = line
            if not isinstance(given, ReserveLine):
                problems.append(
                    Problem.from_error(
                        f"lines.{index}",
                        InvalidType(
                            field=f"lines.{index}", expected="a ReserveLine", got=repr(line)
                        ),
                    )
                )
                continue
            try:
                quantity = self._in_stock_unit(line.sku, line.quantity, f"lines.{index}.quantity")
            except BackofficeError as error:
                problems.append(Problem.from_error(f"lines.{index}.quantity", error))
                continue
            key = (line.sku, line.location, line.lot)
            wanted[key] = _add(wanted.get(key, Decimal(0)), quantity)
        if problems:
            raise ValidationError(problems)
        return wanted

    def _check_reserve(
        self, uow: UnitOfWork, wanted: Mapping[BalanceKey, Decimal], items: dict[str, Item]
    ) -> list[Problem]:
        problems: list[Problem] = []
        for sku, location, lot in wanted:
            item = items.get(sku) or self._items.get(sku) or uow.items.get(sku)
            if item is None:
                problems.append(Problem.from_error("lines.sku", NotFound(record="item", key=sku)))
            else:
                # items never change once added, nor are they removed: kept once met
                items[sku] = self._items[sku] = item
                if lot and (item.is_kit or item.tracking is Tracking.NONE):
                    problems.append(
                        _invalid("lines.", "lot", f"{sku} has no lots: reserve it without one")
                    )
                elif lot:
                    named = uow.lots.get(sku, lot)
                    if named is None:
                        problems.append(
                            Problem.from_error("lines.lot", NotFound(record="lot", key=lot))
                        )
                    elif named.expired(self._today()) and named.expires_on is not None:
                        problems.append(
                            _invalid(
                                "lines.",
                                "lot",
                                f"lot {lot} of {sku} expired on {named.expires_on.isoformat()}: "
                                "it cannot be reserved for a customer",
                            )
                        )
            place = self._places.get(location) or uow.locations.get(location)
            if place is None:
                problems.append(
                    Problem.from_error("lines.location", NotFound(record="location", key=location))
                )
            elif place.kind is not LocationKind.INTERNAL:
                problems.append(
                    Problem.from_error(
                        "lines.location",
                        InvalidValue(
                            field="location", reason=f"{location} holds no stock to reserve"
                        ),
                    )
                )
            else:
                self._places[location] = place  # never removed nor changed: kept once met
        return problems

    def _reserve_parts(
        self, uow: UnitOfWork, wanted: Mapping[BalanceKey, Decimal], items: dict[str, Item]
    ) -> tuple[dict[BalanceKey, Decimal], dict[tuple[str, str], Decimal]]:
        """Kits as their components; then the balances named (``direct``) and, per item
        and location, what FEFO picks among the lots (``picks``)."""
        flat: dict[BalanceKey, Decimal] = {}
        for (sku, location, lot), quantity in wanted.items():
            item = items[sku]
            if not item.is_kit:
                flat[(sku, location, lot)] = _add(flat.get((sku, location, lot), _ZERO), quantity)
                continue
            for component in item.components:
                part = items.get(component.sku) or uow.items.get(component.sku)
                if part is None:
                    raise NotFound(record="item", key=component.sku)
                items[part.sku] = part
                need = strip_zeros(
                    quantity_of(_mul(quantity, component.quantity), f"components.{component.sku}")
                )
                key = (part.sku, location, "")
                flat[key] = _add(flat.get(key, _ZERO), need)
        direct: dict[BalanceKey, Decimal] = {}
        picks: dict[tuple[str, str], Decimal] = {}
        for (sku, location, lot), quantity in flat.items():
            if not lot and items[sku].tracking is not Tracking.NONE:
                picks[(sku, location)] = quantity
            else:
                direct[(sku, location, lot)] = quantity
        return direct, picks

    def _location(self, uow: UnitOfWork, code: str) -> Location | None:
        found = self._places.get(code)
        if found is not None:
            return found
        found = uow.locations.get(code)
        if found is not None:
            # stored already (locations are never removed nor changed): kept once met;
            # one created just now is not, in case this unit of work rolls back
            self._places[code] = found
        elif code in _VIRTUAL:
            found = Location(code, _VIRTUAL[code], name=code[1:])
            uow.locations.add(found)
        return found

    def _apply(
        self,
        uow: UnitOfWork,
        requests: Sequence[MoveRequest],
        *,
        reverses: str | None = None,
        watched: _Watched | None = None,
        transit: bool = False,
    ) -> list[Movement]:
        """Validate every request (all problems at once), expand kits, pick lots, lock,
        write, check stock."""
        now = self.clock.now()
        problems: list[Problem] = []
        items: dict[str, Item] = {}
        places: dict[str, Location] = {}
        planned: list[_Planned] = []
        for index, request in enumerate(requests):
            path = f"movements.{index}" if len(requests) > 1 else ""
            found = self._check_request(uow, request, path, items, places)
            if isinstance(found, list):
                problems.extend(found)
            else:
                planned.append(_Planned(request, found[0], found[1], index))
        if not transit:
            for index, request in enumerate(requests):
                if TRANSIT in (request.source, request.destination):
                    problems.append(
                        _invalid(
                            f"movements.{index}." if len(requests) > 1 else "",
                            "source" if request.source == TRANSIT else "destination",
                            "goods go in and out of transit with dispatch() and arrive() only",
                        )
                    )
        if problems:
            raise ValidationError(problems)
        self._check_lock(uow, planned, len(requests) > 1)
        planned = self._expand_kits(uow, planned, items)
        today = self._today()
        lots = self._check_lots(uow, planned, items, places, len(requests) > 1)
        # what to lock: the balances the movements touch, and for movements that leave
        # the lot to FEFO every lot they may take (at the source and the destination)
        stocked = {code for code, place in places.items() if place.kind.holds_stock}
        picks: dict[int, list[str]] = {}
        keys: set[BalanceKey] = set()
        for number, plan in enumerate(planned):
            request = plan.request
            out_of, into = request.source in stocked, request.destination in stocked
            codes = [request.lot]
            if request.lot == "" and out_of and items[plan.sku].tracking is not Tracking.NONE:
                codes = picks[number] = self._candidates(uow, plan.sku, request.source, today)
            for code in codes:
                if out_of:
                    keys.add((plan.sku, request.source, code))
                if into:
                    keys.add((plan.sku, request.destination, code))
        uow.balances.lock(sorted(keys))
        movements: list[Movement] = []
        shortfalls: list[dict[str, str]] = []
        # what the batch takes from named lots is not picked again by FEFO
        taken: dict[BalanceKey, Decimal] = {}
        for number, plan in enumerate(planned):
            if number not in picks and plan.request.source in stocked:
                key = (plan.sku, plan.request.source, plan.request.lot)
                taken[key] = _add(taken.get(key, _ZERO), plan.quantity)
        for number, plan in enumerate(planned):
            request = plan.request
            if number in picks:
                split = self._allocate(
                    uow, plan.sku, request.source, plan.quantity, picks[number], now, taken
                )
                if isinstance(split, dict):
                    shortfalls.append(split)
                    continue
            else:
                split = [(request.lot, plan.quantity)]
            for code, quantity in split:
                movements.append(
                    Movement(
                        id=uuid.uuid4().hex if reverses is None else _reversal_id(reverses),
                        kind=request.kind,
                        item=plan.sku,
                        quantity=quantity,
                        source=request.source,
                        destination=request.destination,
                        effective_at=plan.effective,
                        recorded_at=now,
                        lot=code,
                        reason=request.reason,
                        reference=request.reference,
                        actor=request.actor,
                        reverses=reverses,
                        # per the item's unit, which is implied: every store keeps it so
                        unit_cost=None
                        if request.unit_cost is None
                        else UnitPrice(request.unit_cost.amount, request.unit_cost.currency),
                    )
                )
        if shortfalls:
            raise _insufficient(shortfalls)
        if watched is None:
            internal = {code for code, place in places.items() if place.kind.stores_goods}
            leaving = {(m.item, m.source) for m in movements if m.source in internal}
            watched = self._watch(uow, sorted(leaving), now)
        for lot in lots:
            uow.lots.add(lot)
        deltas: dict[BalanceKey, Decimal] = {}
        for movement in movements:
            if movement.source in stocked:
                key = (movement.item, movement.source, movement.lot)
                deltas[key] = _sub(deltas.get(key, _ZERO), movement.quantity)
            if movement.destination in stocked:
                key = (movement.item, movement.destination, movement.lot)
                deltas[key] = _add(deltas.get(key, _ZERO), movement.quantity)
        for key in sorted(deltas):
            on_hand = uow.balances.add(key, deltas[key])
            if deltas[key] < 0 and items[key[0]].negative is NegativePolicy.FORBID:
                available = _sub(on_hand, uow.reservations.reserved(key, now))
                if available < 0:
                    shortfalls.append(
                        _shortfall(key, deltas[key].copy_negate(), _sub(available, deltas[key]))
                    )
        if shortfalls:
            raise _insufficient(shortfalls)
        for key in sorted(deltas):  # once every balance has moved (a transfer is +1 -1)
            if deltas[key] > 0 and items[key[0]].tracking is Tracking.SERIAL:
                self._check_serial(uow, key, places)
        uow.movements.append(movements)
        described = [movement.to_dict() for movement in movements]
        uow.outbox.append_many(
            [
                (f"stock.{movement.kind.value}", payload, now)
                for movement, payload in zip(movements, described, strict=True)
            ]
        )
        _journal_movements(uow, movements, described, now)
        self._fulfil_incoming(uow, planned, movements)
        self._signal_low_stock(uow, watched, now)
        return movements

    def _check_lock(self, uow: UnitOfWork, planned: Sequence[_Planned], many: bool) -> None:
        """Refuse a movement dated in a closed period (on or before the lock date).

        The lock date is read under its shared lock: a ``lock_period`` waits for the
        movements that read the old date to commit, and those that come after it wait
        for it, then read the new date."""
        uow.settings.lock(LOCK_DATE_SETTING, shared=True)
        stored = uow.settings.get(LOCK_DATE_SETTING)
        if stored is None:
            return
        lock = date.fromisoformat(stored)
        for plan in planned:
            if plan.effective.astimezone(self.zone).date() <= lock:
                prefix = f"movements.{plan.index}." if many else ""
                raise PeriodLocked(
                    field=f"{prefix}effective_at",
                    effective=plan.effective.isoformat(),
                    lock_date=lock.isoformat(),
                )

    def _expand_kits(
        self, uow: UnitOfWork, planned: Sequence[_Planned], items: dict[str, Item]
    ) -> list[_Planned]:
        """A kit moves as its components: one movement per component."""
        expanded: list[_Planned] = []
        for plan in planned:
            kit = items[plan.sku]
            if not kit.is_kit:
                expanded.append(plan)
                continue
            for component in kit.components:
                part = items.get(component.sku) or uow.items.get(component.sku)
                if part is None:  # components are checked when the kit is added
                    raise NotFound(record="item", key=component.sku)
                items[part.sku] = part
                quantity = strip_zeros(
                    quantity_of(
                        _mul(plan.quantity, component.quantity), f"components.{component.sku}"
                    )
                )
                request = attrs.evolve(
                    plan.request,
                    sku=part.sku,
                    reason=plan.request.reason or f"kit {kit.sku}",
                    unit_cost=None,
                )
                expanded.append(attrs.evolve(plan, request=request, quantity=quantity))
        return expanded

    def _check_lots(
        self,
        uow: UnitOfWork,
        planned: Sequence[_Planned],
        items: Mapping[str, Item],
        places: Mapping[str, Location],
        many: bool,
    ) -> list[Lot]:
        """Check lots and serial numbers against the items' tracking; return the new lots
        to register."""
        problems: list[Problem] = []
        new: dict[tuple[str, str], Lot] = {}
        today = self._today()
        for plan in planned:
            request, item = plan.request, items[plan.sku]
            if item.tracking is Tracking.NONE and not request.lot and request.expires_on is None:
                continue  # the common case: nothing to check
            prefix = f"movements.{plan.index}." if many else ""
            inbound = (
                not places[request.source].kind.holds_stock
                and places[request.destination].kind.holds_stock
            )

            def problem(field: str, reason: str, prefix: str = prefix) -> None:
                problems.append(
                    Problem.from_error(
                        f"{prefix}{field}", InvalidValue(field=f"{prefix}{field}", reason=reason)
                    )
                )

            if item.tracking is Tracking.NONE:
                if request.lot:
                    problem("lot", f"{item.sku} is not tracked by lot or serial: give no lot")
                if request.expires_on is not None:
                    problem("expires_on", f"{item.sku} has no lots, so no expiry dates")
                continue
            kind = "serial number" if item.tracking is Tracking.SERIAL else "lot"
            if item.tracking is Tracking.SERIAL and plan.quantity != plan.quantity.to_integral():
                problem("quantity", f"{item.sku} is counted in serial numbers: whole units only")
            if not request.lot:
                if inbound:
                    problem("lot", f"{item.sku} is tracked by {kind}: name the {kind}")
                if request.expires_on is not None:
                    problem("expires_on", "an expiry date belongs to a named lot")
                continue
            if item.tracking is Tracking.SERIAL and plan.quantity != 1:
                problem("quantity", f"a serial number is one unit, not {plan.quantity}")
            known = new.get((item.sku, request.lot)) or uow.lots.get(item.sku, request.lot)
            if known is None:
                if inbound:
                    lot = Lot(item.sku, request.lot, request.expires_on)
                    new[(item.sku, request.lot)] = lot
                else:
                    problem("lot", f"{item.sku} has no {kind} {request.lot!r}")
            elif (
                known.expired(today)
                and places[request.destination].kind is LocationKind.CUSTOMER
                and known.expires_on is not None
            ):
                problem(
                    "lot",
                    f"{kind} {request.lot} of {item.sku} expired on "
                    f"{known.expires_on.isoformat()}: it cannot go to a customer (scrap it)",
                )
            elif request.expires_on is not None and request.expires_on != known.expires_on:
                stated = known.expires_on.isoformat() if known.expires_on else "no date"
                problem(
                    "expires_on",
                    f"{kind} {request.lot} of {item.sku} expires on {stated}, not "
                    f"{request.expires_on.isoformat()}",
                )
        if problems:
            raise ValidationError(problems)
        return list(new.values())

    def _candidates(self, uow: UnitOfWork, sku: str, location: str, today: date) -> list[str]:
        """The lots FEFO may take at ``location``: those with stock that have not
        expired, the first to expire first (lots without a date last, then by code; last
        of all, stock kept without a lot, as schema version 1 could)."""
        lots = {lot.code: lot for lot in uow.lots.of_item(sku)}
        ranked: list[tuple[date, bool, str]] = []
        for code, on_hand in uow.balances.at(sku, location):
            lot = lots.get(code)
            if on_hand <= 0 or (lot is not None and lot.expired(today)):
                continue
            expiry = lot.expires_on if lot is not None and lot.expires_on else date.max
            ranked.append((expiry, not code, code))
        return [code for _, _, code in sorted(ranked)]

    def _allocate(
        self,
        uow: UnitOfWork,
        sku: str,
        source: str,
        quantity: Decimal,
        candidates: Sequence[str],
        now: datetime,
        taken: dict[BalanceKey, Decimal],
    ) -> list[tuple[str, Decimal]] | dict[str, str]:
        """Split ``quantity`` over ``candidates`` in FEFO order, from what each lot has
        available (read under the lock, less what this command took already); or the
        shortfall."""
        wanted = quantity
        split: list[tuple[str, Decimal]] = []
        total = _ZERO
        for code in candidates:
            key = (sku, source, code)
            free = _sub(
                _sub(uow.balances.on_hand(key), uow.reservations.reserved(key, now)),
                taken.get(key, _ZERO),
            )
            total = _add(total, max(free, _ZERO))
            take = min(free, wanted)
            if take <= 0:
                continue
            split.append((code, take))
            taken[key] = _add(taken.get(key, _ZERO), take)
            wanted = _sub(wanted, take)
            if not wanted:
                return split
        return _shortfall((sku, source, ""), quantity, total)

    def _check_serial(
        self, uow: UnitOfWork, key: BalanceKey, places: Mapping[str, Location]
    ) -> None:
        """A serial number is in one place at a time, one unit of it. Commands that bring
        the same serial number in wait for each other (its lock), so that each sees the
        other's balance."""
        uow.settings.lock(f"serial/{key[0]}/{key[2]}")
        held = _ZERO
        for (_, location, code), on_hand in uow.balances.of_item(key[0]):
            place = places.get(location) or uow.locations.get(location)
            if code == key[2] and on_hand > 0 and (place is None or place.kind.holds_stock):
                held = _add(held, on_hand)
        if held > 1:
            raise InvalidValue(
                field="lot",
                reason=f"serial number {key[2]} of {key[0]} is in stock already: a serial "
                "number is one unit, in one place",
            )

    def _fulfil_incoming(
        self, uow: UnitOfWork, planned: Sequence[_Planned], movements: Sequence[Movement]
    ) -> None:
        """Count movements against the expected receipts or transfers they fulfil."""
        for plan in planned:
            incoming_id = plan.request.incoming
            if incoming_id is None:
                continue
            entry = uow.incoming.get(incoming_id)
            if entry is None:
                raise NotFound(record="incoming", key=incoming_id)
            request = plan.request
            if entry.status is not IncomingStatus.OPEN:
                raise InvalidValue(
                    field="incoming", reason=f"incoming {incoming_id} is {entry.status.value}"
                )
            from_transit = request.source == TRANSIT
            if from_transit != (entry.origin is IncomingOrigin.TRANSFER):
                raise InvalidValue(
                    field="incoming",
                    reason=f"incoming {incoming_id} is "
                    + (
                        "a transfer in transit: it comes in with arrive()"
                        if entry.origin is IncomingOrigin.TRANSFER
                        else "an expected receipt: it comes in with receive()"
                    ),
                )
            if (entry.item, entry.location) != (plan.sku, request.destination) or (
                entry.lot and entry.lot != request.lot
            ):
                raise InvalidValue(
                    field="incoming",
                    reason=f"incoming {incoming_id} is {entry.item} (lot {entry.lot or '-'}) "
                    f"for {entry.location}, not {plan.sku} (lot {request.lot or '-'}) "
                    f"for {request.destination}",
                )
            if entry.origin is IncomingOrigin.TRANSFER and plan.quantity > entry.outstanding:
                raise InvalidValue(
                    field="quantity",
                    reason=f"only {entry.outstanding} of transfer {incoming_id} is in transit",
                )
            arrived = _add(entry.arrived, plan.quantity)
            status = IncomingStatus.DONE if arrived >= entry.quantity else IncomingStatus.OPEN
            uow.incoming.update(attrs.evolve(entry, arrived=arrived, status=status), was=entry)

    def _watch(self, uow: UnitOfWork, places: Sequence[tuple[str, str]], now: datetime) -> _Watched:
        """The reorder rules of these ``(item, location)`` pairs, with what is available
        before the command changes it (read under the command's locks). Commands on a
        watched item and location take its lock, in pair order, so that two commands on
        different lots of it cannot both see the stock above the minimum."""
        watched: _Watched = {}
        for sku, location in sorted(set(places)):
            rule = uow.reorder_rules.get(sku, location)
            if rule is not None:
                uow.settings.lock(f"reorder/{sku}/{location}")
                before = self._balance(uow, sku, location, None, now).available
                watched[(sku, location)] = (rule, before)
        return watched

    def _signal_low_stock(self, uow: UnitOfWork, watched: _Watched, now: datetime) -> None:
        """Write ``stock.low`` when what is available of a watched item at a location
        fell from above its rule's minimum to at or below it."""
        for (sku, location), (rule, before) in sorted(watched.items()):
            after = self._balance(uow, sku, location, None, now)
            if before > rule.minimum >= after.available:
                uow.outbox.append("stock.low", _low_stock(rule, after), now)

    def _check_request(
        self,
        uow: UnitOfWork,
        request: MoveRequest,
        path: str,
        items: dict[str, Item],
        places: dict[str, Location],
    ) -> tuple[Decimal, datetime] | list[Problem]:
        prefix = f"{path}." if path else ""
        problems: list[Problem] = []
        quantity = Decimal(0)
        item = items.get(request.sku) or self._items.get(request.sku)
        if item is None:
            item = uow.items.get(request.sku)
            if item is not None:  # items never change once added: kept once met
                self._items[item.sku] = item
        try:
            if item is None:
                quantity = quantity_of(request.quantity, f"{prefix}quantity")
            else:
                quantity = item.stock_quantity(request.quantity, f"{prefix}quantity")
        except BackofficeError as error:
            problems.append(Problem.from_error(f"{prefix}quantity", error))
        effective = self.clock.now()
        if request.effective_at is not None:
            try:
                effective = ensure_aware(request.effective_at, f"{prefix}effective_at")
            except BackofficeError as error:
                problems.append(Problem.from_error(f"{prefix}effective_at", error))
        if item is None:
            problems.append(
                Problem.from_error(f"{prefix}sku", NotFound(record="item", key=request.sku))
            )
        else:
            items[item.sku] = item
        for field in ("source", "destination"):
            code = getattr(request, field)
            place = places.get(code) or self._location(uow, code)
            if place is None:
                problems.append(
                    Problem.from_error(f"{prefix}{field}", NotFound(record="location", key=code))
                )
            else:
                places[code] = place
        if request.source == request.destination:
            problems.append(
                Problem.from_error(
                    f"{prefix}destination",
                    InvalidValue(
                        field="destination", reason="a movement needs two different locations"
                    ),
                )
            )
        if request.expires_on is not None:
            try:
                ensure_date(request.expires_on, f"{prefix}expires_on")
            except BackofficeError as error:
                problems.append(Problem.from_error(f"{prefix}expires_on", error))
        if item is not None and item.is_kit:
            if request.lot:
                problems.append(_invalid(prefix, "lot", "a kit has no lots: move its components"))
            source = places.get(request.source)
            if request.kind is MovementKind.ADJUSTMENT:
                problems.append(
                    _invalid(
                        prefix,
                        "sku",
                        f"{item.sku} is a kit and holds no stock: adjust or count its components",
                    )
                )
            elif source is not None and not source.kind.holds_stock:
                problems.append(
                    _invalid(
                        prefix,
                        "sku",
                        f"{item.sku} is a kit and holds no stock: receive or return its components",
                    )
                )
        if request.unit_cost is not None:
            problems.extend(self._check_cost(request, prefix, item, places))
        return problems if problems else (quantity, effective)

    @staticmethod
    def _check_cost(
        request: MoveRequest, prefix: str, item: Item | None, places: Mapping[str, Location]
    ) -> list[Problem]:
        cost: object = request.unit_cost
        if not isinstance(cost, UnitPrice):
            error = InvalidType(
                field=f"{prefix}unit_cost", expected='a UnitPrice("2.50", "EUR")', got=repr(cost)
            )
            return [Problem.from_error(f"{prefix}unit_cost", error)]
        source, destination = places.get(request.source), places.get(request.destination)
        if source is None or destination is None:
            return []
        if source.kind.holds_stock or not destination.kind.holds_stock:
            return [_invalid(prefix, "unit_cost", "only goods coming into stock carry a cost")]
        if item is not None and item.is_kit:
            return [
                _invalid(
                    prefix, "unit_cost", "a kit has no cost of its own: receive its components"
                )
            ]
        if item is not None and cost.per is not None and cost.per.code != item.unit:
            return [
                _invalid(
                    prefix,
                    "unit_cost",
                    f"costs of {item.sku} are per {item.unit}, its stock unit, not per "
                    f"{cost.per.code}",
                )
            ]
        return []

    def _idempotent(
        self,
        command: str,
        payload: Mapping[str, Any],
        key: str | None,
        work: Callable[[UnitOfWork], T],
        dump: Callable[[T], Any],
        load: Callable[[Any], T],
    ) -> T:
        if key is None:
            return self.store.run(work)
        fingerprint = _fingerprint(command, payload)

        def guarded(uow: UnitOfWork) -> T:
            stored = uow.idempotency.get(key)
            if stored is None:
                try:
                    result = work(uow)
                except (InsufficientStock, ReservationNotActive):
                    # the first request with this key may have committed while this one
                    # waited for its locks (READ COMMITTED reads it now): answer as it did,
                    # after undoing whatever this attempt wrote before it failed
                    stored = uow.idempotency.get(key)
                    if stored is None:
                        raise
                    uow.rollback()
                else:
                    uow.idempotency.put(
                        key, fingerprint, json.dumps(dump(result)), self.clock.now()
                    )
                    return result
            if stored[0] != fingerprint:
                raise IdempotencyConflict(key=key)
            return load(json.loads(stored[1]))

        return self.store.run(guarded)


#: The audit journal series of an item's movements: one chain per item, so that postings
#: of different items never wait on each other (their balances are locked already).
JOURNAL_SERIES_PREFIX: Final = "stock/"


def _journal_movements(
    uow: UnitOfWork,
    movements: Sequence[Movement],
    described: Sequence[dict[str, Any]],
    now: datetime,
) -> None:
    """Append a posting to the audit journal, in its unit of work: one entry per item it
    moves (series ``stock/<sku>``, kind ``stock.movement``, subject the id of the item's
    first movement). Its payload holds the item's movements as rows of the values of
    their outbox events, under the names in ``columns`` (half the size of repeating
    every name in every movement, which large postings feel)."""
    by_item: dict[str, tuple[str, list[list[Any]]]] = {}
    columns = list(described[0]) if described else []
    for movement, payload in zip(movements, described, strict=True):
        rows = by_item.setdefault(movement.item, (movement.id, []))[1]
        rows.append([payload[name] for name in columns])
    record_many(
        uow,
        {
            JOURNAL_SERIES_PREFIX + item: [
                ("stock.movement", first, {"columns": columns, "movements": rows}, now)
            ]
            for item, (first, rows) in by_item.items()
        },
        plain=True,
    )


def _shortfall(key: BalanceKey, requested: Decimal, available: Decimal) -> dict[str, str]:
    return {
        "item": key[0],
        "location": key[1],
        "lot": key[2],
        "requested": format(requested, "f"),
        "available": format(max(available, Decimal(0)), "f"),
        "missing": format(_sub(requested, max(available, Decimal(0))), "f"),
    }


def _valuation_kind(movement: Movement, places: Mapping[str, Location]) -> MoveKind | None:
    """How a movement counts for the valuation of the item's whole stock."""

    def holds(code: str) -> bool:
        place = places.get(code)
        return place is None or place.kind.holds_stock

    into, out_of = holds(movement.destination), holds(movement.source)
    if into == out_of:
        return None
    if into:
        if movement.kind is MovementKind.RECEIPT:
            return MoveKind.RECEIPT
        return MoveKind.ADJUSTMENT_IN
    if movement.kind is MovementKind.SHIPMENT:
        return MoveKind.ISSUE
    return MoveKind.ADJUSTMENT_OUT


def _incoming_from_dict(data: Mapping[str, Any]) -> Incoming:
    return Incoming(
        id=data["id"],
        origin=data["origin"],
        item=data["item"],
        location=data["location"],
        quantity=Decimal(data["quantity"]),
        expected_at=datetime.fromisoformat(data["expected_at"]),
        created_at=datetime.fromisoformat(data["created_at"]),
        lot=data["lot"],
        arrived=Decimal(data["arrived"]),
        status=data["status"],
        reference=data["reference"],
        source=data["source"],
        movement=data["movement"],
    )


def _reversal_id(movement_id: str) -> str:
    return f"{movement_id}-reversal"


def _whole(quantity: Decimal, per_kit: Decimal) -> Decimal:
    """How many whole kits ``quantity`` of a component makes (none below zero)."""
    if quantity <= 0:
        return _ZERO
    return Decimal(to_micro(quantity) // to_micro(per_kit))


def _invalid(prefix: str, field: str, reason: str) -> Problem:
    return Problem.from_error(
        f"{prefix}{field}", InvalidValue(field=f"{prefix}{field}", reason=reason)
    )


def _low_stock(rule: ReorderRule, balance: Balance) -> dict[str, str]:
    position = _add(balance.available, balance.incoming)
    return {
        "item": rule.item,
        "location": rule.location,
        "available": format(balance.available, "f"),
        "incoming": format(balance.incoming, "f"),
        "minimum": format(rule.minimum, "f"),
        "maximum": format(rule.maximum, "f"),
        "suggested": format(max(_sub(rule.maximum, position), _ZERO), "f"),
    }


def _insufficient(shortfalls: list[dict[str, str]]) -> InsufficientStock:
    summary = "; ".join(
        f"{s['item']} at {s['location']}: {s['requested']} asked, {s['available']} available"
        for s in shortfalls
    )
    return InsufficientStock(summary=summary, shortfalls=shortfalls)


def _as_seen(reservation: Reservation, now: datetime) -> Reservation:
    if reservation.status is ReservationStatus.ACTIVE and now >= reservation.expires_at:
        return attrs.evolve(reservation, status=ReservationStatus.EXPIRED)
    return reservation


def _movement_from_dict(data: Mapping[str, Any]) -> Movement:
    return Movement(
        id=data["id"],
        kind=data["kind"],
        item=data["item"],
        quantity=Decimal(data["quantity"]),
        source=data["source"],
        destination=data["destination"],
        effective_at=datetime.fromisoformat(data["effective_at"]),
        recorded_at=datetime.fromisoformat(data["recorded_at"]),
        lot=data["lot"],
        reason=data["reason"],
        reference=data["reference"],
        actor=data["actor"],
        reverses=data["reverses"],
        unit_cost=None
        if data.get("unit_cost") is None
        else UnitPrice(Decimal(data["unit_cost"]["amount"]), data["unit_cost"]["currency"]),
    )


def _reservation_from_dict(data: Mapping[str, Any]) -> Reservation:
    return Reservation(
        id=data["id"],
        order_ref=data["order_ref"],
        status=data["status"],
        expires_at=datetime.fromisoformat(data["expires_at"]),
        created_at=datetime.fromisoformat(data["created_at"]),
        lines=tuple(
            ReservationLine(
                line["item"],
                line["location"],
                Decimal(line["quantity"]),
                Decimal(line["committed"]),
                line["lot"],
            )
            for line in data["lines"]
        ),
    )
