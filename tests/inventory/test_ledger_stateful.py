"""The stock ledger against a plain-Python reference model, on every available store.

A hypothesis state machine drives receipts, shipments, transfers, batches, multi-line
reservations (the same item twice included), releases, full and partial commits,
extensions, clock advances that make reservations expire, and sweeps. The model is a
few dicts; after every step the ledger must agree with it:

* on hand and reserved, for every (item, location), equal the model's;
* available is never negative for an item that forbids negative stock;
* the stored balances equal the journal (``verify() == []``);
* every ``InsufficientStock`` happens exactly when the model says it must: no spurious
  refusal, no missed one (and it names the short items).

The same machine runs on ``memory://`` always, on SQLite (a fresh file per example) and
on PostgreSQL when ``BACKOFFICE_TEST_POSTGRES_URL`` is set (a fresh tenant per example,
in a schema of its own).

A second, smaller machine does the same for a lot-tracked item: receipts of lots with
expiry dates, FEFO shipments, transfers and reservations (the lots taken, in order,
must be the model's), named-lot shipments, commits of lots that may have expired since,
and days going by; on hand per lot, reserved and expired must match the model.
"""

from __future__ import annotations

import contextlib
import itertools
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)

from backoffice.core.time import ManualClock
from backoffice.errors import (
    InsufficientStock,
    InvalidValue,
    ReservationNotActive,
    ValidationError,
)
from backoffice.inventory.model import (
    Item,
    Location,
    MovementKind,
    NegativePolicy,
    ReservationStatus,
    Tracking,
)
from backoffice.inventory.services import CUSTOMER, SUPPLIER, Inventory, MoveRequest, ReserveLine
from backoffice.storage import open_store
from backoffice.storage.ports import Store, UnitOfWork

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
#: Two items that forbid negative stock, one that allows it.
ITEMS: dict[str, NegativePolicy] = {
    "A": NegativePolicy.FORBID,
    "B": NegativePolicy.FORBID,
    "C": NegativePolicy.ALLOW,
}
LOCATIONS = ("WH1", "WH2", "WH3")
KEYS = [(sku, location) for sku in ITEMS for location in LOCATIONS]

Key = tuple[str, str]
OpenStore = Callable[[], Store]

#: Examples per store: each step is a few transactions (plus the invariants' reads), so
#: the slower stores run fewer examples to stay within a few seconds.
EXAMPLES = {"memory": 50, "sqlite": 25, "postgres": 12}


def _settings(store: str) -> settings:
    return settings(
        max_examples=EXAMPLES[store],
        stateful_step_count=30,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


skus = st.sampled_from(sorted(ITEMS))
locations = st.sampled_from(LOCATIONS)
quantities = st.one_of(
    st.integers(1, 8).map(Decimal),
    st.sampled_from([Decimal("0.5"), Decimal("1.25"), Decimal("0.000001")]),
)


@attrs.define
class ModelReservation:
    """The model's view of a reservation: lines in the order the ledger returned them."""

    lines: list[tuple[Key, Decimal, Decimal]]  # key, quantity, committed
    expires_at: datetime
    status: ReservationStatus = ReservationStatus.ACTIVE

    def live(self, now: datetime) -> bool:
        return self.status is ReservationStatus.ACTIVE and now < self.expires_at

    def seen(self, now: datetime) -> ReservationStatus:
        if self.status is ReservationStatus.ACTIVE and now >= self.expires_at:
            return ReservationStatus.EXPIRED
        return self.status


class LedgerMachine(RuleBasedStateMachine):
    """Subclassed per store with :attr:`open_store` set (see :func:`_run`)."""

    open_store: ClassVar[OpenStore]

    reservations = Bundle("reservations")

    def __init__(self) -> None:
        super().__init__()
        self.clock = ManualClock(START)
        self.store = type(self).open_store()
        self.ledger = Inventory(self.store, clock=self.clock)
        for sku, policy in ITEMS.items():
            self.ledger.add_item(Item(sku, negative=policy))
        for code in LOCATIONS:
            self.ledger.add_location(Location(code))
        self.on_hand: dict[Key, Decimal] = dict.fromkeys(KEYS, Decimal(0))
        self.model: dict[str, ModelReservation] = {}
        self.journal = 0

    # -- the model ---------------------------------------------------------------------

    @property
    def now(self) -> datetime:
        return self.clock.now()

    def reserved(self, key: Key) -> Decimal:
        total = Decimal(0)
        for reservation in self.model.values():
            if reservation.live(self.now):
                total += sum(
                    (q - c for line_key, q, c in reservation.lines if line_key == key),
                    Decimal(0),
                )
        return total

    def available(self, key: Key) -> Decimal:
        return self.on_hand[key] - self.reserved(key)

    def short_keys(self, deltas: dict[Key, Decimal]) -> list[Key]:
        """The keys a set of balance changes would push below zero available."""
        return sorted(
            key
            for key, delta in deltas.items()
            if delta < 0
            and ITEMS[key[0]] is NegativePolicy.FORBID
            and self.available(key) + delta < 0
        )

    def move(self, requests: list[MoveRequest]) -> None:
        """Record ``requests`` as one batch; succeed or fail as the model says."""
        deltas: dict[Key, Decimal] = {}
        for request in requests:
            amount = Decimal(request.quantity)
            for code, sign in ((request.source, -1), (request.destination, 1)):
                if code in LOCATIONS:
                    key = (request.sku, code)
                    deltas[key] = deltas.get(key, Decimal(0)) + sign * amount
        expected_short = self.short_keys(deltas)
        if expected_short:
            with _refused(expected_short):
                self.ledger.record(requests)
            return
        movements = self.ledger.record(requests)
        assert [m.quantity for m in movements] == [Decimal(r.quantity) for r in requests]
        for key, delta in deltas.items():
            self.on_hand[key] += delta
        self.journal += len(requests)

    def draw_key(self, data: st.DataObject) -> Key:
        """Mostly a key with stock available, so that takes succeed as often as not."""
        stocked = [key for key in KEYS if self.available(key) > 0]
        if stocked and data.draw(st.integers(0, 3), label="stocked") > 0:
            return data.draw(st.sampled_from(stocked), label="key")
        return data.draw(st.sampled_from(KEYS), label="key")

    def draw_quantity(self, data: st.DataObject, key: Key) -> Decimal:
        """Any quantity, or one that just fits in (or just exceeds) what is available."""
        available = self.available(key)
        near = [available, available + Decimal("0.000001"), Decimal(1), available / 2]
        fitting = sorted({q for q in near if q > 0 and q == q.quantize(Decimal("0.000001"))})
        if not fitting:
            return data.draw(quantities, label="quantity")
        return data.draw(st.one_of(st.sampled_from(fitting), quantities), label="quantity")

    # -- movements ---------------------------------------------------------------------

    @initialize(stock=st.lists(st.integers(0, 12), min_size=len(KEYS), max_size=len(KEYS)))
    def stock_up(self, stock: list[int]) -> None:
        requests = [
            MoveRequest(MovementKind.RECEIPT, sku, amount, SUPPLIER, location)
            for (sku, location), amount in zip(KEYS, stock, strict=True)
            if amount
        ]
        if requests:
            self.move(requests)

    @rule(sku=skus, location=locations, quantity=quantities)
    def receive(self, sku: str, location: str, quantity: Decimal) -> None:
        self.move([MoveRequest(MovementKind.RECEIPT, sku, quantity, SUPPLIER, location)])

    @rule(data=st.data())
    def ship(self, data: st.DataObject) -> None:
        sku, location = self.draw_key(data)
        quantity = self.draw_quantity(data, (sku, location))
        self.move([MoveRequest(MovementKind.SHIPMENT, sku, quantity, location, CUSTOMER)])

    @rule(data=st.data())
    def transfer(self, data: st.DataObject) -> None:
        sku, source = self.draw_key(data)
        destination = data.draw(st.sampled_from([c for c in LOCATIONS if c != source]))
        quantity = self.draw_quantity(data, (sku, source))
        self.move([MoveRequest(MovementKind.TRANSFER, sku, quantity, source, destination)])

    @rule(
        batch=st.lists(
            st.tuples(
                st.sampled_from([MovementKind.RECEIPT, MovementKind.SHIPMENT]),
                skus,
                locations,
                quantities,
            ),
            min_size=2,
            max_size=4,
        )
    )
    def record_batch(self, batch: list[tuple[MovementKind, str, str, Decimal]]) -> None:
        requests = [
            MoveRequest(kind, sku, quantity, SUPPLIER, location)
            if kind is MovementKind.RECEIPT
            else MoveRequest(kind, sku, quantity, location, CUSTOMER)
            for kind, sku, location, quantity in batch
        ]
        self.move(requests)

    # -- reservations ------------------------------------------------------------------

    @rule(
        target=reservations,
        data=st.data(),
        size=st.integers(1, 3),
        repeat_first=st.booleans(),
        minutes=st.integers(1, 30),
    )
    def reserve(self, data: st.DataObject, size: int, repeat_first: bool, minutes: int) -> Any:
        lines: list[tuple[str, str, Decimal]] = []
        for _ in range(size):
            key = self.draw_key(data)
            lines.append((*key, self.draw_quantity(data, key)))
        if repeat_first:  # the same item and location twice in one request
            lines.append(lines[0])
        wanted: dict[Key, Decimal] = {}
        for sku, location, quantity in lines:
            wanted[(sku, location)] = wanted.get((sku, location), Decimal(0)) + quantity
        expected_short = sorted(key for key, q in wanted.items() if self.available(key) < q)
        request = [ReserveLine(sku, location, quantity) for sku, location, quantity in lines]
        order = f"ORDER-{len(self.model)}"
        if expected_short:
            with _refused(expected_short):
                self.ledger.reserve(order, request, ttl=timedelta(minutes=minutes))
            return multiple()
        held = self.ledger.reserve(order, request, ttl=timedelta(minutes=minutes))
        assert held.status is ReservationStatus.ACTIVE
        assert held.expires_at == self.now + timedelta(minutes=minutes)
        got = {(line.item, line.location): line.quantity for line in held.lines}
        assert got == wanted
        assert len(held.lines) == len(wanted)
        self.model[held.id] = ModelReservation(
            [((line.item, line.location), line.quantity, Decimal(0)) for line in held.lines],
            held.expires_at,
        )
        return held.id

    @rule(target=reservations, data=st.data(), minutes=st.integers(1, 30))
    def reserve_one_line(self, data: st.DataObject, minutes: int) -> Any:
        return self.reserve(data, 1, False, minutes)

    def _check_status(self, reservation_id: str) -> None:
        seen = self.ledger.reservation(reservation_id)
        model = self.model[reservation_id]
        assert seen.status is model.seen(self.now)
        assert [
            ((line.item, line.location), line.quantity, line.committed) for line in seen.lines
        ] == (model.lines)

    @rule(reservation_id=reservations)
    def release(self, reservation_id: str) -> None:
        model = self.model[reservation_id]
        if model.live(self.now):
            released = self.ledger.release(reservation_id)
            assert released.status is ReservationStatus.RELEASED
            model.status = ReservationStatus.RELEASED
        else:
            with pytest.raises(ReservationNotActive):
                self.ledger.release(reservation_id)
        self._check_status(reservation_id)

    @rule(reservation_id=reservations)
    def commit_all(self, reservation_id: str) -> None:
        model = self.model[reservation_id]
        if not model.live(self.now):
            with pytest.raises(ReservationNotActive):
                self.ledger.commit(reservation_id)
            return
        movements = self.ledger.commit(reservation_id)
        outstanding = [(key, q - c) for key, q, c in model.lines if q > c]
        assert [((m.item, m.source), m.quantity) for m in movements] == outstanding
        assert all(m.destination == CUSTOMER for m in movements)
        for key, amount in outstanding:
            self.on_hand[key] -= amount
        self.journal += len(movements)
        model.lines = [(key, q, q) for key, q, _ in model.lines]
        model.status = ReservationStatus.COMMITTED
        self._check_status(reservation_id)

    @rule(reservation_id=reservations, data=st.data())
    def commit_part(self, reservation_id: str, data: st.DataObject) -> None:
        model = self.model[reservation_id]
        if not model.live(self.now):
            with pytest.raises(ReservationNotActive):
                self.ledger.commit(reservation_id, {0: 1})
            return
        open_lines = [index for index, (_, q, c) in enumerate(model.lines) if q > c]
        chosen = data.draw(
            st.just(open_lines) | st.lists(st.sampled_from(open_lines), min_size=1, unique=True),
            label="lines",
        )
        takes: dict[int, Decimal] = {}
        for index in chosen:
            _, q, c = model.lines[index]
            left = q - c
            options = {left, *(Decimal(n) for n in range(1, int(left) + 1))}
            if left > Decimal("0.5"):
                options.add(Decimal("0.5"))
            takes[index] = data.draw(st.sampled_from(sorted(options)), label=f"take {index}")
        movements = self.ledger.commit(reservation_id, takes)
        assert [((m.item, m.source), m.quantity) for m in movements] == [
            (model.lines[index][0], takes[index]) for index in sorted(takes)
        ]
        for index, take in takes.items():
            key, q, c = model.lines[index]
            model.lines[index] = (key, q, c + take)
            self.on_hand[key] -= take
        self.journal += len(movements)
        if all(q == c for _, q, c in model.lines):
            model.status = ReservationStatus.COMMITTED
        self._check_status(reservation_id)

    @rule(reservation_id=reservations, minutes=st.integers(1, 30))
    def extend(self, reservation_id: str, minutes: int) -> None:
        model = self.model[reservation_id]
        if not model.live(self.now):
            with pytest.raises(ReservationNotActive):
                self.ledger.extend(reservation_id, timedelta(minutes=minutes))
            return
        extended = self.ledger.extend(reservation_id, timedelta(minutes=minutes))
        model.expires_at = max(model.expires_at, self.now + timedelta(minutes=minutes))
        assert extended.expires_at == model.expires_at
        self._check_status(reservation_id)

    # -- time --------------------------------------------------------------------------

    @rule(minutes=st.integers(1, 20))
    def advance(self, minutes: int) -> None:
        self.clock.advance(timedelta(minutes=minutes))

    @rule(
        reservation_id=reservations,
        offset=st.sampled_from([timedelta(seconds=-1), timedelta(0), timedelta(seconds=1)]),
    )
    def advance_to_expiry(self, reservation_id: str, offset: timedelta) -> None:
        """Stop the clock right before, at, or right after a reservation's expiry."""
        step = self.model[reservation_id].expires_at + offset - self.now
        if step > timedelta(0):
            self.clock.advance(step)

    @rule()
    def sweep(self) -> None:
        due = [
            reservation
            for reservation in self.model.values()
            if reservation.status is ReservationStatus.ACTIVE and reservation.expires_at <= self.now
        ]
        assert self.ledger.sweep() == len(due)
        for reservation in due:
            reservation.status = ReservationStatus.EXPIRED
        assert self.ledger.sweep() == 0

    # -- invariants --------------------------------------------------------------------

    @invariant()
    def balances_match_the_model(self) -> None:
        now = self.now

        def read(uow: UnitOfWork) -> tuple[dict[Key, tuple[Decimal, Decimal]], int]:
            found = {
                key: (
                    uow.balances.on_hand((*key, "")),
                    uow.reservations.reserved((*key, ""), now),
                )
                for key in KEYS
            }
            return found, len(uow.movements.all())

        found, journal = self.store.run(read)
        expected = {key: (self.on_hand[key], self.reserved(key)) for key in KEYS}
        assert found == expected
        assert journal == self.journal
        for key, (on_hand, reserved) in found.items():
            if ITEMS[key[0]] is NegativePolicy.FORBID:
                assert on_hand - reserved >= 0, key

    @invariant()
    def balances_equal_the_journal(self) -> None:
        assert self.ledger.verify() == []

    @invariant()
    def public_balance_agrees(self) -> None:
        key = KEYS[len(self.model) % len(KEYS)]  # one key per step, through the public API
        balance = self.ledger.balance(*key)
        assert (balance.on_hand, balance.reserved) == (self.on_hand[key], self.reserved(key))


@contextlib.contextmanager
def _refused(expected_short: list[Key]) -> Iterator[None]:
    """Expect ``InsufficientStock`` naming exactly the keys in ``expected_short``."""
    with pytest.raises(InsufficientStock) as info:
        yield
    named = sorted((s["item"], s["location"]) for s in info.value.details["shortfalls"])
    assert named == expected_short


def _run(store: str, opener: OpenStore) -> None:
    machine = type(
        f"LedgerOn{store.title()}", (LedgerMachine,), {"open_store": staticmethod(opener)}
    )
    run_state_machine_as_test(machine, settings=_settings(store))


# -- the stores --------------------------------------------------------------------------


@pytest.fixture
def opened() -> Iterator[list[Store]]:
    """Stores to close after the test."""
    stores: list[Store] = []
    yield stores
    for store in stores:
        store.close()


def _migrated(url: str, opened: list[Store], tenant: str = "default") -> Store:
    store = open_store(url, tenant=tenant)
    opened.append(store)
    store.migrate()
    return store


def test_ledger_on_memory(opened: list[Store]) -> None:
    _run("memory", lambda: _migrated("memory://", opened))


def test_ledger_on_sqlite(tmp_path: Path, opened: list[Store]) -> None:
    numbers = itertools.count()
    _run("sqlite", lambda: _migrated(f"sqlite:///{tmp_path}/ledger-{next(numbers)}.db", opened))


@pytest.fixture
def postgres_schema_url(postgres_url: str) -> Iterator[str]:
    """``postgres_url`` in a schema of its own, created for the test and dropped after."""
    psycopg = pytest.importorskip("psycopg")
    name = f"bo_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(psycopg.sql.SQL("CREATE SCHEMA {}").format(psycopg.sql.Identifier(name)))
        try:
            yield postgres_url + ("&" if "?" in postgres_url else "?") + f"schema={name}"
        finally:
            admin.execute(
                psycopg.sql.SQL("DROP SCHEMA {} CASCADE").format(psycopg.sql.Identifier(name))
            )


@pytest.mark.postgres
def test_ledger_on_postgres(postgres_schema_url: str, opened: list[Store]) -> None:
    shared = _migrated(postgres_schema_url, opened)
    # A fresh tenant per example: a fresh, empty ledger on the same tables.
    _run("postgres", lambda: shared.for_tenant(f"t-{uuid.uuid4().hex}"))


# -- found while writing the model -------------------------------------------------------


def test_committing_a_line_the_reservation_does_not_have_is_refused() -> None:
    store = _migrated("memory://", [])
    ledger = Inventory(store, clock=ManualClock(START))
    ledger.add_item(Item("A"))
    ledger.add_location(Location("WH1"))
    ledger.receive("A", 5, "WH1")
    held = ledger.reserve("O-1", [ReserveLine("A", "WH1", 2)], ttl=timedelta(minutes=5))
    events = len(store.pending_events())
    with pytest.raises(InvalidValue):
        ledger.commit(held.id, {3: 1})
    assert len(store.pending_events()) == events


# -- lots: FEFO against a model ----------------------------------------------------------

#: A lot-tracked item, lots picked first-expired-first-out; expiry by the clock (UTC).
LOT_ITEM = "M"
LOT_CODES = ("L0", "L1", "L2", "L3", "L4")
#: Lot examples per store (the lot machine is smaller than the one above).
LOT_EXAMPLES = {"memory": 30, "sqlite": 10, "postgres": 5}

LotKey = tuple[str, str]  # location, lot


@attrs.define
class LotReservation:
    lines: list[tuple[LotKey, Decimal, Decimal]]  # (location, lot), quantity, committed
    expires_at: datetime
    status: ReservationStatus = ReservationStatus.ACTIVE

    def live(self, now: datetime) -> bool:
        return self.status is ReservationStatus.ACTIVE and now < self.expires_at


class LotMachine(RuleBasedStateMachine):
    """Receipts of lots with expiry dates, FEFO shipments, transfers and reservations,
    named-lot shipments, commits, releases and days going by, against a model of
    on hand per (location, lot)."""

    open_store: ClassVar[OpenStore]

    reservations = Bundle("lot_reservations")

    def __init__(self) -> None:
        super().__init__()
        self.clock = ManualClock(START)
        self.store = type(self).open_store()
        self.ledger = Inventory(self.store, clock=self.clock)
        self.ledger.add_item(Item(LOT_ITEM, tracking=Tracking.LOT))
        for code in LOCATIONS[:2]:
            self.ledger.add_location(Location(code))
        self.expiry: dict[str, date | None] = {}
        self.on_hand: dict[LotKey, Decimal] = {}
        self.model: dict[str, LotReservation] = {}

    # -- the model ---------------------------------------------------------------------

    @property
    def today(self) -> date:
        return self.clock.now().date()

    def expired(self, lot: str, on_day: date | None = None) -> bool:
        on = self.expiry.get(lot)
        return on is not None and on < (on_day or self.today)

    def reserved(self, key: LotKey) -> Decimal:
        now = self.clock.now()
        return sum(
            (
                q - c
                for r in self.model.values()
                if r.live(now)
                for line_key, q, c in r.lines
                if line_key == key
            ),
            Decimal(0),
        )

    def free(self, key: LotKey) -> Decimal:
        return self.on_hand.get(key, Decimal(0)) - self.reserved(key)

    def fefo(
        self, location: str, quantity: Decimal, until: date | None = None
    ) -> list[tuple[str, Decimal]] | None:
        """The lots FEFO takes at ``location`` (lots that last ``until`` that day), or
        None when it cannot."""
        candidates = sorted(
            (
                (self.expiry[lot] or date.max, lot)
                for (place, lot), q in self.on_hand.items()
                if place == location and q > 0 and not self.expired(lot, until)
            )
        )
        split, wanted = [], quantity
        for _, lot in candidates:
            take = min(self.free((location, lot)), wanted)
            if take > 0:
                split.append((lot, take))
                wanted -= take
            if not wanted:
                return split
        return None

    def add(self, key: LotKey, delta: Decimal) -> None:
        self.on_hand[key] = self.on_hand.get(key, Decimal(0)) + delta

    # -- rules -------------------------------------------------------------------------

    @rule(
        lot=st.sampled_from(LOT_CODES),
        location=st.sampled_from(LOCATIONS[:2]),
        quantity=st.integers(1, 6).map(Decimal),
        days=st.one_of(st.none(), st.integers(-1, 6)),
        restate=st.booleans(),
    )
    def receive(
        self, lot: str, location: str, quantity: Decimal, days: int | None, restate: bool
    ) -> None:
        stated = None if days is None else START.date() + timedelta(days=days)
        if lot in self.expiry:
            known = self.expiry[lot]
            if not restate:
                stated = None
            elif stated is not None and stated != known:
                with pytest.raises(ValidationError):
                    self.ledger.receive(LOT_ITEM, quantity, location, lot=lot, expires_on=stated)
                return
        movement = self.ledger.receive(LOT_ITEM, quantity, location, lot=lot, expires_on=stated)
        assert (movement.lot, movement.quantity) == (lot, quantity)
        self.expiry.setdefault(lot, stated)
        self.add((location, lot), quantity)

    @rule(
        location=st.sampled_from(LOCATIONS[:2]),
        quantity=st.integers(1, 12).map(Decimal),
        to_customer=st.booleans(),
    )
    def move_by_fefo(self, location: str, quantity: Decimal, to_customer: bool) -> None:
        split = self.fefo(location, quantity)
        other = LOCATIONS[1] if location == LOCATIONS[0] else LOCATIONS[0]

        def command() -> list[Any]:
            if to_customer:
                return self.ledger.ship(LOT_ITEM, quantity, location)
            return self.ledger.transfer(LOT_ITEM, quantity, location, other)

        if split is None:
            with pytest.raises(InsufficientStock):
                command()
            return
        assert [(m.lot, m.quantity) for m in command()] == split
        for lot, q in split:
            self.add((location, lot), -q)
            if not to_customer:
                self.add((other, lot), q)

    @rule(data=st.data())
    def ship_a_named_lot(self, data: st.DataObject) -> None:
        held = sorted(key for key, q in self.on_hand.items() if q > 0)
        if not held:
            return
        location, lot = data.draw(st.sampled_from(held), label="key")
        quantity = data.draw(st.integers(1, 4).map(Decimal), label="quantity")
        if self.expired(lot):
            with pytest.raises(ValidationError):
                self.ledger.ship(LOT_ITEM, quantity, location, lot=lot)
        elif self.free((location, lot)) < quantity:
            with pytest.raises(InsufficientStock):
                self.ledger.ship(LOT_ITEM, quantity, location, lot=lot)
        else:
            [movement] = self.ledger.ship(LOT_ITEM, quantity, location, lot=lot)
            assert (movement.lot, movement.quantity) == (lot, quantity)
            self.add((location, lot), -quantity)

    @rule(
        target=reservations,
        location=st.sampled_from(LOCATIONS[:2]),
        quantity=st.integers(1, 8).map(Decimal),
        hours=st.integers(1, 48),
    )
    def reserve(self, location: str, quantity: Decimal, hours: int) -> Any:
        ttl = timedelta(hours=hours)
        # a reservation takes lots that last until it expires
        split = self.fefo(location, quantity, (self.clock.now() + ttl).date())
        lines = [ReserveLine(LOT_ITEM, location, quantity)]
        if split is None:
            with pytest.raises(InsufficientStock):
                self.ledger.reserve("O", lines, ttl=ttl)
            return multiple()
        held = self.ledger.reserve("O", lines, ttl=ttl)
        assert [(line.lot, line.quantity) for line in held.lines] == split
        self.model[held.id] = LotReservation(
            [((location, lot), q, Decimal(0)) for lot, q in split], held.expires_at
        )
        return held.id

    @rule(reservation_id=reservations)
    def commit(self, reservation_id: str) -> None:
        model = self.model[reservation_id]
        if not model.live(self.clock.now()):
            with pytest.raises(ReservationNotActive):
                self.ledger.commit(reservation_id)
            return
        outstanding = [(key, q - c) for key, q, c in model.lines if q > c]
        if any(self.expired(key[1]) for key, _ in outstanding):
            with pytest.raises(ValidationError):  # an expired lot never goes to a customer
                self.ledger.commit(reservation_id)
            return
        movements = self.ledger.commit(reservation_id)
        assert [((m.source, m.lot), m.quantity) for m in movements] == outstanding
        for key, q in outstanding:
            self.add(key, -q)
        model.lines = [(key, q, q) for key, q, _ in model.lines]
        model.status = ReservationStatus.COMMITTED

    @rule(reservation_id=reservations)
    def release(self, reservation_id: str) -> None:
        model = self.model[reservation_id]
        if not model.live(self.clock.now()):
            with pytest.raises(ReservationNotActive):
                self.ledger.release(reservation_id)
            return
        self.ledger.release(reservation_id)
        model.status = ReservationStatus.RELEASED

    @rule(hours=st.integers(1, 30))
    def advance(self, hours: int) -> None:
        self.clock.advance(timedelta(hours=hours))

    # -- invariants --------------------------------------------------------------------

    @invariant()
    def lots_and_balances_match_the_model(self) -> None:
        stored = {(b.location, b.lot): b.on_hand for b in self.ledger.stock(LOT_ITEM) if b.on_hand}
        assert stored == {key: q for key, q in self.on_hand.items() if q}
        assert {lot.code: lot.expires_on for lot in self.ledger.lots(LOT_ITEM)} == self.expiry
        for location in LOCATIONS[:2]:
            keys = [key for key in self.on_hand if key[0] == location]
            balance = self.ledger.balance(LOT_ITEM, location)
            expired = sum(
                (max(self.free(key), Decimal(0)) for key in keys if self.expired(key[1])),
                Decimal(0),
            )
            assert (balance.on_hand, balance.reserved, balance.expired) == (
                sum((self.on_hand[key] for key in keys), Decimal(0)),
                sum((self.reserved(key) for key in keys), Decimal(0)),
                expired,
            )
            assert balance.available >= 0

    @invariant()
    def the_journal_agrees(self) -> None:
        assert self.ledger.verify() == []


def _run_lots(store: str, opener: OpenStore) -> None:
    machine = type(f"LotsOn{store.title()}", (LotMachine,), {"open_store": staticmethod(opener)})
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=LOT_EXAMPLES[store],
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


def test_lots_on_memory(opened: list[Store]) -> None:
    _run_lots("memory", lambda: _migrated("memory://", opened))


def test_lots_on_sqlite(tmp_path: Path, opened: list[Store]) -> None:
    numbers = itertools.count()
    _run_lots("sqlite", lambda: _migrated(f"sqlite:///{tmp_path}/lots-{next(numbers)}.db", opened))


@pytest.mark.postgres
def test_lots_on_postgres(postgres_schema_url: str, opened: list[Store]) -> None:
    shared = _migrated(postgres_schema_url, opened)
    _run_lots("postgres", lambda: shared.for_tenant(f"t-{uuid.uuid4().hex}"))
