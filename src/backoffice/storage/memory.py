"""The in-memory store: the fake every test and example can use, with the same
behaviour and errors as the SQL adapters.

Thread-safe: a unit of work holds the database's lock from ``__enter__`` to
``__exit__``, so units of work run one at a time, like SQLite's writers. A rollback
undoes the unit of work's changes from an undo log.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from types import TracebackType
from typing import Any, Self, TypeVar

import attrs

from backoffice.compliance.journal import GENESIS, JournalEntry
from backoffice.errors import (
    ConcurrencyConflict,
    DuplicateRecord,
    InvoiceIssued,
    NotFound,
    PayRunClosed,
    SchemaMismatch,
)
from backoffice.inventory.model import (
    Incoming,
    IncomingStatus,
    Item,
    Location,
    Lot,
    Movement,
    ReorderRule,
    Reservation,
    ReservationStatus,
    from_micro,
    to_micro,
)
from backoffice.storage.ports import (
    AllocationRecord,
    BalanceKey,
    InvoiceRecord,
    JournalHead,
    NotHeld,
    OutboxEvent,
    PaymentRecord,
    PayRunRecord,
    PayslipRecord,
    UnitOfWork,
)
from backoffice.storage.schema import SCHEMA_VERSION
from backoffice.taxid.model import mask

__all__ = ["MemoryStore"]

T = TypeVar("T")


@attrs.define
class _Tenant:
    items: dict[str, Item] = attrs.Factory(dict)
    locations: dict[str, Location] = attrs.Factory(dict)
    movements: list[Movement] = attrs.Factory(list)
    movement_ids: dict[str, Movement] = attrs.Factory(dict)
    balances: dict[BalanceKey, int] = attrs.Factory(dict)
    #: the reserved counters (a balance's second column, in the SQL stores)
    held: dict[BalanceKey, int] = attrs.Factory(dict)
    reservations: dict[str, Reservation] = attrs.Factory(dict)
    #: (reservation id, line index) of lines that no longer count in the counters
    lapsed: set[tuple[str, int]] = attrs.Factory(set)
    idempotency: dict[str, tuple[str, str]] = attrs.Factory(dict)
    lots: dict[tuple[str, str], Lot] = attrs.Factory(dict)
    incoming: dict[str, Incoming] = attrs.Factory(dict)
    reorder_rules: dict[tuple[str, str], ReorderRule] = attrs.Factory(dict)
    settings: dict[str, str] = attrs.Factory(dict)
    invoices: dict[str, InvoiceRecord] = attrs.Factory(dict)
    #: (series, fiscal year) -> (last number, issue date of the last number)
    counters: dict[tuple[str, int], tuple[int, date | None]] = attrs.Factory(dict)
    payments: dict[str, PaymentRecord] = attrs.Factory(dict)
    allocations: list[AllocationRecord] = attrs.Factory(list)
    pay_runs: dict[str, PayRunRecord] = attrs.Factory(dict)
    payslips: dict[str, PayslipRecord] = attrs.Factory(dict)
    #: series -> its entries, in order (the SQL stores order them by sequence)
    journal: dict[str, list[JournalEntry]] = attrs.Factory(dict)
    #: series -> (sequence, hash) of its last entry
    journal_heads: dict[str, tuple[int, str]] = attrs.Factory(dict)


@attrs.define
class _Database:
    lock: threading.RLock = attrs.Factory(threading.RLock)
    version: int = 0
    tenants: dict[str, _Tenant] = attrs.Factory(dict)
    outbox: list[tuple[int, str, str, dict[str, Any], datetime]] = attrs.Factory(list)
    acknowledged: set[int] = attrs.Factory(set)
    next_event: int = 1


class _Repositories:
    """The repositories of one unit of work, over one tenant's data, with an undo log."""

    def __init__(self, db: _Database, tenant: str, undo: list[Callable[[], None]]) -> None:
        self._db = db
        self._tenant_name = tenant
        self._data = db.tenants.setdefault(tenant, _Tenant())
        self._undo = undo


class _Items(_Repositories):
    def get(self, sku: str) -> Item | None:
        return self._data.items.get(sku)

    def add(self, item: Item) -> None:
        if item.sku in self._data.items:
            raise DuplicateRecord(record="item", key=item.sku)
        self._data.items[item.sku] = item

        def undo() -> None:
            del self._data.items[item.sku]

        self._undo.append(undo)

    def all(self) -> list[Item]:
        return sorted(self._data.items.values(), key=lambda item: item.sku)


class _Locations(_Repositories):
    def get(self, code: str) -> Location | None:
        return self._data.locations.get(code)

    def add(self, location: Location) -> None:
        if location.code in self._data.locations:
            raise DuplicateRecord(record="location", key=location.code)
        self._data.locations[location.code] = location

        def undo() -> None:
            del self._data.locations[location.code]

        self._undo.append(undo)

    def all(self) -> list[Location]:
        return sorted(self._data.locations.values(), key=lambda location: location.code)


class _Movements(_Repositories):
    def append(self, movements: Sequence[Movement]) -> None:
        seen: set[str] = set()
        for movement in movements:
            if movement.id in self._data.movement_ids or movement.id in seen:
                raise DuplicateRecord(record="movement", key=movement.id)
            seen.add(movement.id)
        count = len(movements)
        self._data.movements.extend(movements)
        for movement in movements:
            self._data.movement_ids[movement.id] = movement

        def undo() -> None:
            del self._data.movements[-count:]
            for movement in movements:
                self._data.movement_ids.pop(movement.id, None)

        self._undo.append(undo)

    def get(self, movement_id: str) -> Movement | None:
        return self._data.movement_ids.get(movement_id)

    def all(self, *, item: str | None = None) -> list[Movement]:
        return [m for m in self._data.movements if item is None or m.item == item]


class _Balances(_Repositories):
    def lock(self, keys: Sequence[BalanceKey]) -> None:
        for key in sorted(set(keys)):
            if key not in self._data.balances:
                self._data.balances[key] = 0
                self._undo.append(self._forget(key))

    def _forget(self, key: BalanceKey) -> Callable[[], None]:
        def undo() -> None:
            self._data.balances.pop(key, None)

        return undo

    def on_hand(self, key: BalanceKey) -> Decimal:
        return from_micro(self._data.balances.get(key, 0))

    def add(self, key: BalanceKey, delta: Decimal) -> Decimal:
        before = self._data.balances.get(key)
        after = (before or 0) + to_micro(delta)
        self._data.balances[key] = after
        self._undo.append(lambda: self._restore(key, before))
        return from_micro(after)

    def set(self, key: BalanceKey, on_hand: Decimal) -> None:
        before = self._data.balances.get(key)
        self._data.balances[key] = to_micro(on_hand)
        self._undo.append(lambda: self._restore(key, before))

    def _restore(self, key: BalanceKey, before: int | None) -> None:
        if before is None:
            self._data.balances.pop(key, None)
        else:
            self._data.balances[key] = before

    def all(self) -> list[tuple[BalanceKey, Decimal]]:
        return [(key, from_micro(value)) for key, value in sorted(self._data.balances.items())]

    def at(self, item: str, location: str) -> list[tuple[str, Decimal]]:
        return [
            (key[2], from_micro(value))
            for key, value in sorted(self._data.balances.items())
            if key[0] == item and key[1] == location
        ]

    def of_item(self, item: str) -> list[tuple[BalanceKey, Decimal]]:
        return [
            (key, from_micro(value))
            for key, value in sorted(self._data.balances.items())
            if key[0] == item
        ]

    def add_held(self, key: BalanceKey, delta: Decimal) -> None:
        self.lock([key])
        self._set_held(key, self._data.held.get(key, 0) + to_micro(delta))

    def set_held(self, key: BalanceKey, quantity: Decimal) -> None:
        self.lock([key])
        self._set_held(key, to_micro(quantity))

    def _set_held(self, key: BalanceKey, value: int) -> None:
        before = self._data.held.get(key)
        self._data.held[key] = value

        def undo() -> None:
            if before is None:
                self._data.held.pop(key, None)
            else:
                self._data.held[key] = before

        self._undo.append(undo)

    def all_held(self) -> list[tuple[BalanceKey, Decimal]]:
        held = self._data.held
        return [(key, from_micro(held.get(key, 0))) for key in sorted(self._data.balances)]


def _put(table: dict[Any, Any], key: Any, value: Any, undo: list[Callable[[], None]]) -> None:
    """Set ``table[key]``, logging how to put back what was there."""
    missing = key not in table
    before = table.get(key)
    table[key] = value

    def restore() -> None:
        if missing:
            table.pop(key, None)
        else:
            table[key] = before

    undo.append(restore)


class _Lots(_Repositories):
    def get(self, item: str, code: str) -> Lot | None:
        return self._data.lots.get((item, code))

    def add(self, lot: Lot) -> None:
        if (lot.item, lot.code) in self._data.lots:
            raise DuplicateRecord(record="lot", key=f"{lot.item}/{lot.code}")
        _put(self._data.lots, (lot.item, lot.code), lot, self._undo)

    def of_item(self, item: str) -> list[Lot]:
        return [lot for key, lot in sorted(self._data.lots.items()) if key[0] == item]


class _Incoming(_Repositories):
    def add(self, incoming: Incoming) -> None:
        if incoming.id in self._data.incoming:
            raise DuplicateRecord(record="incoming", key=incoming.id)
        _put(self._data.incoming, incoming.id, incoming, self._undo)

    def get(self, incoming_id: str) -> Incoming | None:
        return self._data.incoming.get(incoming_id)

    def update(self, incoming: Incoming, *, was: Incoming) -> None:
        before = self._data.incoming.get(incoming.id)
        if before is None:
            raise NotFound(record="incoming", key=incoming.id)
        if (before.arrived, before.status) != (was.arrived, was.status):
            raise ConcurrencyConflict(
                f"incoming {incoming.id!r} was changed since it was read",
                attempts=1,
                retryable=True,
            )
        changed = attrs.evolve(before, arrived=incoming.arrived, status=incoming.status)
        _put(self._data.incoming, incoming.id, changed, self._undo)

    def open(self, item: str, location: str | None = None) -> list[Incoming]:
        found = [
            entry
            for entry in self._data.incoming.values()
            if entry.status is IncomingStatus.OPEN
            and entry.item == item
            and (location is None or entry.location == location)
        ]
        return sorted(found, key=lambda entry: (entry.expected_at, entry.id))


class _ReorderRules(_Repositories):
    def put(self, rule: ReorderRule) -> None:
        _put(self._data.reorder_rules, (rule.item, rule.location), rule, self._undo)

    def get(self, item: str, location: str) -> ReorderRule | None:
        return self._data.reorder_rules.get((item, location))

    def remove(self, item: str, location: str) -> bool:
        key = (item, location)
        if key not in self._data.reorder_rules:
            return False
        before = self._data.reorder_rules.pop(key)
        self._undo.append(lambda: self._data.reorder_rules.__setitem__(key, before))
        return True

    def all(self) -> list[ReorderRule]:
        return [rule for _, rule in sorted(self._data.reorder_rules.items())]


class _Settings(_Repositories):
    def get(self, name: str) -> str | None:
        return self._data.settings.get(name)

    def put(self, name: str, value: str) -> None:
        _put(self._data.settings, name, value, self._undo)

    def lock(self, name: str, *, shared: bool = False) -> None:
        return None  # units of work run one at a time


class _Reservations(_Repositories):
    def add(self, reservation: Reservation) -> None:
        if reservation.id in self._data.reservations:
            raise DuplicateRecord(record="reservation", key=reservation.id)
        self._data.reservations[reservation.id] = reservation

        def undo() -> None:
            del self._data.reservations[reservation.id]

        self._undo.append(undo)

    def get(self, reservation_id: str) -> Reservation | None:
        return self._data.reservations.get(reservation_id)

    def update(self, reservation: Reservation) -> None:
        before = self._data.reservations[reservation.id]
        self._data.reservations[reservation.id] = reservation
        self._undo.append(lambda: self._data.reservations.__setitem__(reservation.id, before))
        # every line counts again while active (and none counts once it is not)
        lapsed = {mark for mark in self._data.lapsed if mark[0] == reservation.id}
        if lapsed:
            self._data.lapsed -= lapsed
            self._undo.append(lambda: self._data.lapsed.update(lapsed))

    def reserved(self, key: BalanceKey, now: datetime) -> Decimal:
        total = 0
        for reservation in self._data.reservations.values():
            if not reservation.is_live(now):
                continue
            for index, line in enumerate(reservation.lines):
                lapsed = (reservation.id, index) in self._data.lapsed  # by a later clock
                if (line.item, line.location, line.lot) == key and not lapsed:
                    total += to_micro(line.outstanding)
        return from_micro(total)

    def expired(self, now: datetime, limit: int) -> list[Reservation]:
        found = [
            r
            for r in self._data.reservations.values()
            if r.status is ReservationStatus.ACTIVE and r.expires_at <= now
        ]
        return sorted(found, key=lambda r: (r.expires_at, r.id))[:limit]

    def place(
        self,
        reservation: Reservation,
        event: tuple[str, dict[str, Any], datetime],
        *,
        at_commit: bool = False,
    ) -> None:
        wanted: dict[BalanceKey, int] = {}
        for line in reservation.lines:
            key = (line.item, line.location, line.lot)
            wanted[key] = wanted.get(key, 0) + to_micro(line.outstanding)
        balances, held = self._data.balances, self._data.held
        for key, amount in wanted.items():
            if key not in balances or balances[key] - held.get(key, 0) < amount:
                raise NotHeld(f"{key} cannot hold {from_micro(amount)}")
            if (key[0], key[1]) in self._data.reorder_rules:
                raise NotHeld(f"{key} is watched by a reorder rule")
        self.add(reservation)
        _Outbox(self._db, self._tenant_name, self._undo).append(*event)
        counters = _Balances(self._db, self._tenant_name, self._undo)
        for key, amount in wanted.items():
            counters.add_held(key, from_micro(amount))

    def lapse(self, key: BalanceKey, now: datetime) -> Decimal:
        total = 0
        marks: set[tuple[str, int]] = set()
        for reservation in self._data.reservations.values():
            if reservation.status is not ReservationStatus.ACTIVE or now < reservation.expires_at:
                continue
            for index, line in enumerate(reservation.lines):
                mark = (reservation.id, index)
                if (line.item, line.location, line.lot) == key and mark not in self._data.lapsed:
                    marks.add(mark)
                    total += to_micro(line.outstanding)
        if marks:
            self._data.lapsed |= marks
            self._undo.append(lambda: self._data.lapsed.difference_update(marks))
        return from_micro(total)

    def holding(self, reservation_id: str) -> list[tuple[BalanceKey, Decimal]]:
        reservation = self._data.reservations.get(reservation_id)
        if reservation is None or reservation.status is not ReservationStatus.ACTIVE:
            return []
        return [
            ((line.item, line.location, line.lot), line.outstanding)
            for index, line in enumerate(reservation.lines)
            if (reservation_id, index) not in self._data.lapsed
        ]

    def held(self) -> list[tuple[BalanceKey, Decimal]]:
        totals: dict[BalanceKey, int] = {}
        for reservation_id in self._data.reservations:
            for key, quantity in self.holding(reservation_id):
                totals[key] = totals.get(key, 0) + to_micro(quantity)
        return [(key, from_micro(total)) for key, total in sorted(totals.items())]


class _Idempotency(_Repositories):
    def get(self, key: str) -> tuple[str, str] | None:
        return self._data.idempotency.get(key)

    def put(self, key: str, fingerprint: str, result_json: str, at: datetime) -> None:
        if key in self._data.idempotency:
            raise DuplicateRecord(record="idempotency key", key=key)
        self._data.idempotency[key] = (fingerprint, result_json)

        def undo() -> None:
            del self._data.idempotency[key]

        self._undo.append(undo)


class _Outbox(_Repositories):
    def append(self, event_type: str, payload: dict[str, Any], at: datetime) -> None:
        event_id = self._db.next_event
        self._db.next_event += 1
        self._db.outbox.append((event_id, self._tenant_name, event_type, dict(payload), at))

        def undo() -> None:
            self._db.outbox.pop()

        self._undo.append(undo)

    def append_many(self, events: Sequence[tuple[str, dict[str, Any], datetime]]) -> None:
        for event_type, payload, at in events:
            self.append(event_type, payload, at)


class _Invoices(_Repositories):
    def add(self, record: InvoiceRecord) -> None:
        if record.id in self._data.invoices:
            raise DuplicateRecord(record="invoice", key=record.id)
        self._check_number(record)
        _put(self._data.invoices, record.id, record, self._undo)

    def _check_number(self, record: InvoiceRecord) -> None:
        """The unique indexes of the SQL stores: the number, and the sequence number
        within its series and fiscal year."""
        if record.number is None:
            return
        taken = self.by_number(record.number) is not None or any(
            (other.series, other.fiscal_year, other.sequence)
            == (record.series, record.fiscal_year, record.sequence)
            for other in self._data.invoices.values()
            if other.sequence is not None and other.id != record.id
        )
        if taken:
            raise DuplicateRecord(record="invoice number", key=record.number)

    def get(self, invoice_id: str) -> InvoiceRecord | None:
        return self._data.invoices.get(invoice_id)

    def by_number(self, number: str) -> InvoiceRecord | None:
        for record in self._data.invoices.values():
            if record.number == number:
                return record
        return None

    def _draft(self, invoice_id: str) -> InvoiceRecord:
        found = self._data.invoices.get(invoice_id)
        if found is None:
            raise NotFound(record="invoice", key=invoice_id)
        if found.state != "draft":
            raise InvoiceIssued(key=invoice_id, number=found.number)
        return found

    def replace_draft(self, record: InvoiceRecord) -> None:
        before = self._draft(record.id)
        changed = attrs.evolve(
            before,
            customer=record.customer,
            currency=record.currency,
            amount_due=record.amount_due,
            document=record.document,
            type_code=record.type_code,
            due_date=record.due_date,
            credits=record.credits,
        )
        _put(self._data.invoices, record.id, changed, self._undo)

    def delete_draft(self, invoice_id: str) -> None:
        before = self._draft(invoice_id)
        del self._data.invoices[invoice_id]
        self._undo.append(lambda: self._data.invoices.__setitem__(invoice_id, before))

    def issue(self, record: InvoiceRecord) -> None:
        before = self._draft(record.id)
        self._check_number(record)
        changed = attrs.evolve(record, state="issued", created_at=before.created_at)
        _put(self._data.invoices, record.id, changed, self._undo)

    def take_number(
        self, series: str, fiscal_year: int, issue_date: date
    ) -> tuple[int, date | None]:
        last, previous = self._data.counters.get((series, fiscal_year), (0, None))
        _put(self._data.counters, (series, fiscal_year), (last + 1, issue_date), self._undo)
        return last + 1, previous

    def counters(self) -> list[tuple[str, int, int]]:
        return [
            (series, year, last)
            for (series, year), (last, _) in sorted(self._data.counters.items())
        ]

    def issued(self) -> list[InvoiceRecord]:
        found = [r for r in self._data.invoices.values() if r.state == "issued"]
        return sorted(
            found, key=lambda r: (r.series or "", r.fiscal_year or 0, r.sequence or 0, r.id)
        )

    def of_customer(self, customer: str) -> list[InvoiceRecord]:
        return [r for r in self.all() if r.customer == customer]

    def all(self) -> list[InvoiceRecord]:
        return sorted(self._data.invoices.values(), key=lambda r: (r.created_at, r.id))


class _Payments(_Repositories):
    def add(self, payment: PaymentRecord) -> None:
        if payment.id in self._data.payments:
            raise DuplicateRecord(record="payment", key=payment.id)
        _put(self._data.payments, payment.id, payment, self._undo)

    def get(self, payment_id: str) -> PaymentRecord | None:
        return self._data.payments.get(payment_id)

    def of_customer(self, customer: str) -> list[PaymentRecord]:
        found = [p for p in self._data.payments.values() if p.customer == customer]
        return sorted(found, key=lambda p: (p.recorded_at, p.id))

    def allocate(self, allocations: Sequence[AllocationRecord]) -> None:
        table = self._data.allocations
        size = len(table)
        table.extend(allocations)
        self._undo.append(lambda: table.__delitem__(slice(size, None)))

    def allocations(
        self, *, invoice: str | None = None, customer: str | None = None
    ) -> list[AllocationRecord]:
        found = [
            a
            for a in self._data.allocations
            if (invoice is None or a.invoice == invoice)
            and (customer is None or a.customer == customer)
        ]
        return sorted(found, key=lambda a: (a.at, a.id))


class _Payroll(_Repositories):
    def add_run(self, record: PayRunRecord) -> None:
        if record.id in self._data.pay_runs:
            raise DuplicateRecord(record="pay run", key=record.id)
        _put(self._data.pay_runs, record.id, record, self._undo)

    def get_run(self, run_id: str) -> PayRunRecord | None:
        return self._data.pay_runs.get(run_id)

    def _open(self, run_id: str) -> PayRunRecord:
        found = self._data.pay_runs.get(run_id)
        if found is None:
            raise NotFound(record="pay run", key=run_id)
        if found.state != "open":
            raise PayRunClosed(key=run_id)
        return found

    def close_run(self, run_id: str, at: datetime) -> None:
        closed = attrs.evolve(self._open(run_id), state="closed", closed_at=at)
        _put(self._data.pay_runs, run_id, closed, self._undo)

    def add_payslips(self, records: Sequence[PayslipRecord]) -> None:
        """Checks the whole batch first (the unique keys of the SQL stores), then
        writes it."""
        ids = set(self._data.payslips)
        employees = {(p.run_id, p.employee_key) for p in self._data.payslips.values()}
        for record in records:
            self._open(record.run_id)
            if record.id in ids:
                raise DuplicateRecord(record="payslip", key=record.id)
            if (record.run_id, record.employee_key) in employees:
                raise DuplicateRecord(
                    record="payslip of employee", key=f"{record.run_id}/{mask(record.employee_key)}"
                )
            ids.add(record.id)
            employees.add((record.run_id, record.employee_key))
        for record in records:
            _put(self._data.payslips, record.id, record, self._undo)

    def payslips(self, run_id: str) -> list[PayslipRecord]:
        found = [p for p in self._data.payslips.values() if p.run_id == run_id]
        return sorted(found, key=lambda p: (p.employee_key, p.id))

    def runs(self) -> list[PayRunRecord]:
        return sorted(
            self._data.pay_runs.values(), key=lambda r: (r.period_start, r.created_at, r.id)
        )


class _Journal(_Repositories):
    """Append-only: there is no way to change or remove an entry through a unit of work."""

    def lock_heads(self, series: Sequence[str]) -> dict[str, JournalHead]:
        found: dict[str, JournalHead] = {}
        for name in sorted(set(series)):
            if name not in self._data.journal_heads:
                _put(self._data.journal_heads, name, (0, GENESIS), self._undo)
            sequence, digest = self._data.journal_heads[name]
            found[name] = JournalHead(name, sequence, digest)
        return found

    def append(self, entries: Sequence[JournalEntry]) -> None:
        heads = dict(self._data.journal_heads)
        for entry in entries:
            if heads.get(entry.series, (0, GENESIS)) != (entry.sequence - 1, entry.previous_hash):
                raise ConcurrencyConflict(
                    f"entry {entry.sequence} of {entry.series!r} does not continue its head",
                    attempts=1,
                    retryable=True,
                    series=entry.series,
                )
            heads[entry.series] = (entry.sequence, entry.hash)
        for entry in entries:
            self._data.journal.setdefault(entry.series, []).append(entry)
        for name in {entry.series for entry in entries}:
            _put(self._data.journal_heads, name, heads[name], self._undo)
        count = len(entries)

        def undo() -> None:
            for entry in entries[::-1]:
                self._data.journal[entry.series].pop()

        if count:
            self._undo.append(undo)

    def entries(
        self,
        series: str,
        *,
        subject: str | None = None,
        after: int = 0,
        limit: int | None = None,
    ) -> list[JournalEntry]:
        found = [
            entry
            for entry in self._data.journal.get(series, [])
            if entry.sequence > after and (subject is None or entry.subject == subject)
        ]
        return found if limit is None else found[:limit]

    def heads(self) -> list[JournalHead]:
        return [
            JournalHead(name, sequence, digest)
            for name, (sequence, digest) in sorted(self._data.journal_heads.items())
        ]

    def tenants(self) -> list[str]:
        return sorted(name for name, data in self._db.tenants.items() if data.journal_heads)


class MemoryUnitOfWork:
    """A unit of work on a :class:`MemoryStore`."""

    def __init__(self, db: _Database, tenant: str) -> None:
        self._db = db
        self.tenant = tenant
        self._undo: list[Callable[[], None]] = []
        self._active = False
        self.items = _Items(db, tenant, self._undo)
        self.locations = _Locations(db, tenant, self._undo)
        self.movements = _Movements(db, tenant, self._undo)
        self.balances = _Balances(db, tenant, self._undo)
        self.reservations = _Reservations(db, tenant, self._undo)
        self.idempotency = _Idempotency(db, tenant, self._undo)
        self.lots = _Lots(db, tenant, self._undo)
        self.incoming = _Incoming(db, tenant, self._undo)
        self.reorder_rules = _ReorderRules(db, tenant, self._undo)
        self.settings = _Settings(db, tenant, self._undo)
        self.outbox = _Outbox(db, tenant, self._undo)
        self.invoices = _Invoices(db, tenant, self._undo)
        self.payments = _Payments(db, tenant, self._undo)
        self.payroll = _Payroll(db, tenant, self._undo)
        self.journal = _Journal(db, tenant, self._undo)

    def __enter__(self) -> Self:
        self._db.lock.acquire()
        if self._db.version != SCHEMA_VERSION:
            self._db.lock.release()
            raise SchemaMismatch(
                found=self._db.version, expected=SCHEMA_VERSION, fix="call store.migrate() first"
            )
        self._active = True
        self._undo.clear()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        try:
            if self._active:
                self.rollback()
        finally:
            self._active = False
            self._db.lock.release()

    def commit(self) -> None:
        self._undo.clear()

    def rollback(self) -> None:
        while self._undo:
            self._undo.pop()()


class MemoryStore:
    """A store in this process's memory; ``backoffice.open("memory://")``."""

    def __init__(self, tenant: str = "default", *, _db: _Database | None = None) -> None:
        self.tenant = tenant
        self._db = _db or _Database()

    def __repr__(self) -> str:
        return f"MemoryStore(tenant={self.tenant!r})"

    def migrate(self) -> int:
        with self._db.lock:
            self._db.version = SCHEMA_VERSION
        return SCHEMA_VERSION

    def schema_version(self) -> int:
        return self._db.version

    def for_tenant(self, tenant: str) -> MemoryStore:
        return MemoryStore(tenant, _db=self._db)

    def unit_of_work(self) -> UnitOfWork:
        return MemoryUnitOfWork(self._db, self.tenant)

    def run(self, work: Callable[[UnitOfWork], T]) -> T:
        with self.unit_of_work() as uow:
            result = work(uow)
            uow.commit()
            return result

    def pending_events(self, limit: int = 100) -> list[OutboxEvent]:
        with self._db.lock:
            return [
                OutboxEvent(event_id, event_type, dict(payload), at)
                for event_id, tenant, event_type, payload, at in self._db.outbox
                if tenant == self.tenant and event_id not in self._db.acknowledged
            ][:limit]

    def acknowledge(self, event_ids: Sequence[int]) -> None:
        with self._db.lock:
            mine = {e[0] for e in self._db.outbox if e[1] == self.tenant}
            self._db.acknowledged.update(i for i in event_ids if i in mine)

    def close(self) -> None:
        return None
