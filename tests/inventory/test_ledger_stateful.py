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
"""

from __future__ import annotations

import contextlib
import itertools
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
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
from backoffice.errors import InsufficientStock, InvalidValue, ReservationNotActive
from backoffice.inventory.model import (
    Item,
    Location,
    MovementKind,
    NegativePolicy,
    ReservationStatus,
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
