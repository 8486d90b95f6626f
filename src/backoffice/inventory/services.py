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

import hashlib
import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, TypeVar

import attrs

from backoffice.core._numbers import EXACT
from backoffice.core.time import Clock, SystemClock, ensure_aware
from backoffice.errors import (
    BackofficeError,
    IdempotencyConflict,
    InsufficientStock,
    InvalidType,
    InvalidValue,
    NotFound,
    Problem,
    ReservationNotActive,
    ValidationError,
)
from backoffice.inventory.model import (
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
    quantity_of,
)
from backoffice.storage.ports import NotHeld

if TYPE_CHECKING:
    from backoffice.storage.ports import Store, UnitOfWork

#: (item, location, lot)
BalanceKey = tuple[str, str, str]

# quantity arithmetic in the library's exact context, never the thread's
_add = EXACT.add
_sub = EXACT.subtract

__all__ = [
    "CUSTOMER",
    "LOSS",
    "SUPPLIER",
    "TRANSIT",
    "Discrepancy",
    "Inventory",
    "MoveRequest",
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


@attrs.frozen(slots=True)
class ReserveLine:
    """One line of a reservation request."""

    sku: str
    location: str
    quantity: Any
    lot: str = ""


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
    text = json.dumps({"command": command, **payload}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class Inventory:
    """The stock ledger of one tenant, on a store.

    Args:
        store: where the ledger lives (``backoffice.open(url)``), bound to a tenant.
        clock: gives "now" for recorded times and reservation expiry.
    """

    def __init__(self, store: Store, *, clock: Clock | None = None) -> None:
        self.store = store
        self.clock: Clock = clock or SystemClock()
        #: (sku, location) pairs found reservable: an existing item, an internal location
        self._reservable: set[tuple[str, str]] = set()

    # -- master data -------------------------------------------------------------------

    def add_item(self, item: Item) -> Item:
        """Register an item. Raises DuplicateRecord if the SKU exists."""

        def work(uow: UnitOfWork) -> Item:
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

        ``options``: ``lot``, ``reason``, ``reference``, ``actor``, ``effective_at``.
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
    ) -> Movement:
        """Goods out: ``quantity`` of ``sku`` leaves ``location`` for a customer."""
        request = MoveRequest(
            MovementKind.SHIPMENT, sku, quantity, location, destination, **options
        )
        return self._one(request, idempotency_key)

    def transfer(
        self,
        sku: str,
        quantity: Any,
        source: str,
        destination: str,
        *,
        idempotency_key: str | None = None,
        **options: Any,
    ) -> Movement:
        """Move stock between two locations (through ``@transit`` for goods on the road)."""
        request = MoveRequest(MovementKind.TRANSFER, sku, quantity, source, destination, **options)
        return self._one(request, idempotency_key)

    def scrap(
        self,
        sku: str,
        quantity: Any,
        location: str,
        *,
        idempotency_key: str | None = None,
        **options: Any,
    ) -> Movement:
        """Write off damaged or expired stock."""
        request = MoveRequest(MovementKind.SCRAP, sku, quantity, location, LOSS, **options)
        return self._one(request, idempotency_key)

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
        change = quantity_of(delta, "delta", positive=False)
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
        number = quantity_of(counted, "counted", positive=False)
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
            payload = {"requests": [attrs.asdict(r) for r in requests]}

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
            return self._apply(uow, [request], reverses=movement_id)[0]

        return self.store.run(work)

    def _one(self, request: MoveRequest, idempotency_key: str | None) -> Movement:
        return self.record([request], idempotency_key=idempotency_key)[0]

    # -- balances ----------------------------------------------------------------------

    def balance(self, sku: str, location: str, lot: str = "") -> Balance:
        """On hand, reserved (live reservations only) and available."""
        now = self.clock.now()

        def work(uow: UnitOfWork) -> Balance:
            key = (sku, location, lot)
            return Balance(
                sku, location, uow.balances.on_hand(key), uow.reservations.reserved(key, now), lot
            )

        return self.store.run(work)

    def available(self, sku: str, location: str, lot: str = "") -> Decimal:
        return self.balance(sku, location, lot).available

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

        def reservation_at(now: datetime) -> Reservation:
            return Reservation(
                uuid.uuid4().hex,
                order_ref,
                ReservationStatus.ACTIVE,
                now + ttl,
                now,
                tuple(
                    ReservationLine(key[0], key[1], q, Decimal(0), key[2])
                    for key, q in wanted.items()
                ),
            )

        def at_once(uow: UnitOfWork) -> Reservation:
            # Each balance's reserved counter is checked and raised in the statement that
            # takes its lock, after every other write (and with the commit, where the
            # store can): a hot balance stays locked for that statement and the commit.
            problems = self._check_reserve(uow, wanted)
            if problems:
                raise ValidationError(problems)
            reservation = reservation_at(self.clock.now())
            uow.reservations.place(
                reservation,
                ("reservation.created", reservation.to_dict(), reservation.created_at),
                # with a key, its record comes after, under the lock: a replay waits
                at_commit=idempotency_key is None,
            )
            return reservation

        def checked(uow: UnitOfWork) -> Reservation:
            # The counter said no: maybe short, maybe held by expired reservations, maybe
            # no balance yet. Lock, stop counting what expired, and count what is live.
            problems = self._check_reserve(uow, wanted)
            if problems:
                raise ValidationError(problems)
            now = self.clock.now()
            keys = sorted(wanted)
            uow.balances.lock(keys)
            shortfalls = []
            for key in keys:
                lapsed = uow.reservations.lapse(key, now)
                if lapsed:
                    uow.balances.add_held(key, lapsed.copy_negate())
                available = _sub(uow.balances.on_hand(key), uow.reservations.reserved(key, now))
                if available < wanted[key]:
                    shortfalls.append(_shortfall(key, wanted[key], available))
            if shortfalls:
                raise _insufficient(shortfalls)
            reservation = reservation_at(now)
            uow.reservations.add(reservation)
            uow.outbox.append("reservation.created", reservation.to_dict(), now)
            for key in keys:
                uow.balances.add_held(key, wanted[key])
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

        try:
            return attempt(at_once)
        except NotHeld:
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
                    take = quantity_of(quantities[index], f"quantities[{index}]")
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
            movements = self._apply(uow, requests) if requests else []
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
                quantity = quantity_of(line.quantity, f"lines.{index}.quantity")
            except BackofficeError as error:
                problems.append(Problem.from_error(f"lines.{index}.quantity", error))
                continue
            key = (line.sku, line.location, line.lot)
            wanted[key] = _add(wanted.get(key, Decimal(0)), quantity)
        if problems:
            raise ValidationError(problems)
        return wanted

    def _check_reserve(
        self, uow: UnitOfWork, wanted: Mapping[BalanceKey, Decimal]
    ) -> list[Problem]:
        problems: list[Problem] = []
        for sku, location, _ in wanted:
            if (sku, location) in self._reservable:
                continue
            found = len(problems)
            if uow.items.get(sku) is None:
                problems.append(Problem.from_error("lines.sku", NotFound(record="item", key=sku)))
            place = uow.locations.get(location)
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
            if len(problems) == found:
                # Items and locations are never deleted, nor a location's kind changed:
                # what was found once (committed: no reservation creates either) stays.
                self._reservable.add((sku, location))
        return problems

    def _location(self, uow: UnitOfWork, code: str) -> Location | None:
        found = uow.locations.get(code)
        if found is None and code in _VIRTUAL:
            found = Location(code, _VIRTUAL[code], name=code[1:])
            uow.locations.add(found)
        return found

    def _apply(
        self, uow: UnitOfWork, requests: Sequence[MoveRequest], *, reverses: str | None = None
    ) -> list[Movement]:
        """Validate every request (all problems at once), lock, write, check stock."""
        now = self.clock.now()
        problems: list[Problem] = []
        movements: list[Movement] = []
        items: dict[str, Item] = {}
        places: dict[str, Location] = {}
        for index, request in enumerate(requests):
            path = f"movements.{index}" if len(requests) > 1 else ""
            found = self._check_request(uow, request, path, items, places)
            if isinstance(found, list):
                problems.extend(found)
                continue
            quantity, effective = found
            movements.append(
                Movement(
                    id=uuid.uuid4().hex,
                    kind=request.kind,
                    item=request.sku,
                    quantity=quantity,
                    source=request.source,
                    destination=request.destination,
                    effective_at=effective,
                    recorded_at=now,
                    lot=request.lot,
                    reason=request.reason,
                    reference=request.reference,
                    actor=request.actor,
                    reverses=reverses,
                )
            )
        if problems:
            raise ValidationError(problems)
        deltas: dict[BalanceKey, Decimal] = {}
        stocked = {code for code, place in places.items() if place.kind.holds_stock}
        zero = Decimal(0)
        for movement in movements:
            if movement.source in stocked:
                key = (movement.item, movement.source, movement.lot)
                deltas[key] = _sub(deltas.get(key, zero), movement.quantity)
            if movement.destination in stocked:
                key = (movement.item, movement.destination, movement.lot)
                deltas[key] = _add(deltas.get(key, zero), movement.quantity)
        uow.balances.lock(sorted(deltas))
        shortfalls = []
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
        uow.movements.append(movements)
        uow.outbox.append_many(
            [(f"stock.{movement.kind.value}", movement.to_dict(), now) for movement in movements]
        )
        return movements

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
        try:
            quantity = quantity_of(request.quantity, f"{prefix}quantity")
        except BackofficeError as error:
            problems.append(Problem.from_error(f"{prefix}quantity", error))
        effective = self.clock.now()
        if request.effective_at is not None:
            try:
                effective = ensure_aware(request.effective_at, f"{prefix}effective_at")
            except BackofficeError as error:
                problems.append(Problem.from_error(f"{prefix}effective_at", error))
        item = items.get(request.sku) or uow.items.get(request.sku)
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
        return problems if problems else (quantity, effective)

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
                    # waited for its locks (READ COMMITTED reads it now): answer as it did
                    stored = uow.idempotency.get(key)
                    if stored is None:
                        raise
                else:
                    uow.idempotency.put(
                        key, fingerprint, json.dumps(dump(result)), self.clock.now()
                    )
                    return result
            if stored[0] != fingerprint:
                raise IdempotencyConflict(key=key)
            return load(json.loads(stored[1]))

        return self.store.run(guarded)


def _shortfall(key: BalanceKey, requested: Decimal, available: Decimal) -> dict[str, str]:
    return {
        "item": key[0],
        "location": key[1],
        "lot": key[2],
        "requested": format(requested, "f"),
        "available": format(max(available, Decimal(0)), "f"),
        "missing": format(_sub(requested, max(available, Decimal(0))), "f"),
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
