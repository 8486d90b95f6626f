"""What the domain needs from a store: a unit of work exposing one repository per
aggregate. Adapters (memory, SQLite, PostgreSQL) implement these protocols with the
same behaviour and the same errors; :mod:`backoffice.testing` holds the contract
tests that prove it.

Quantities cross this boundary as :class:`~decimal.Decimal` (stores keep integer
millionths), times as aware datetimes (stores keep UTC).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, Self, TypeVar, runtime_checkable

import attrs

if TYPE_CHECKING:  # the domain imports NotHeld from here
    from backoffice.compliance.journal import JournalEntry
    from backoffice.inventory.model import (
        Incoming,
        Item,
        Location,
        Lot,
        Movement,
        ReorderRule,
        Reservation,
    )

__all__ = [
    "AllocationRecord",
    "BalanceKey",
    "BalanceRepository",
    "IdempotencyRepository",
    "IncomingRepository",
    "InvoiceRecord",
    "InvoiceRepository",
    "ItemRepository",
    "JournalHead",
    "JournalRepository",
    "LocationRepository",
    "LotRepository",
    "MovementRepository",
    "NotHeld",
    "OutboxEvent",
    "OutboxRepository",
    "PayRunRecord",
    "PaymentRecord",
    "PaymentRepository",
    "PayrollRepository",
    "PayslipRecord",
    "ReorderRuleRepository",
    "ReservationRepository",
    "SettingRepository",
    "Store",
    "UnitOfWork",
]

T = TypeVar("T")

#: (item, location, lot) — the key of a balance; sorted keys are locked in that order.
BalanceKey = tuple[str, str, str]


@attrs.frozen(slots=True)
class OutboxEvent:
    """A domain event stored in the same transaction as its effect."""

    id: int
    type: str
    payload: dict[str, Any]
    occurred_at: datetime


class ItemRepository(Protocol):
    def get(self, sku: str) -> Item | None: ...
    def add(self, item: Item) -> None:
        """Raises DuplicateRecord if the SKU exists."""
        ...

    def all(self) -> list[Item]: ...


class LocationRepository(Protocol):
    def get(self, code: str) -> Location | None: ...
    def add(self, location: Location) -> None: ...
    def all(self) -> list[Location]: ...


class MovementRepository(Protocol):
    def append(self, movements: Sequence[Movement]) -> None:
        """Append to the journal, in order (never update, never delete)."""
        ...

    def get(self, movement_id: str) -> Movement | None: ...
    def all(self, *, item: str | None = None) -> list[Movement]:
        """The journal in recording order."""
        ...


class BalanceRepository(Protocol):
    def lock(self, keys: Sequence[BalanceKey]) -> None:
        """Take the write locks of these balances, creating missing ones at zero. Keys
        are locked in sorted order, so two transactions never wait on each other in a
        cycle."""
        ...

    def on_hand(self, key: BalanceKey) -> Decimal: ...
    def add(self, key: BalanceKey, delta: Decimal) -> Decimal:
        """Add ``delta`` to on hand and return the new value."""
        ...

    def set(self, key: BalanceKey, on_hand: Decimal) -> None: ...
    def all(self) -> list[tuple[BalanceKey, Decimal]]: ...
    def at(self, item: str, location: str) -> list[tuple[str, Decimal]]:
        """``(lot, on_hand)`` of every stored balance of ``item`` at ``location``, by lot
        (zero balances included)."""
        ...

    def of_item(self, item: str) -> list[tuple[BalanceKey, Decimal]]:
        """Every stored balance of ``item``, in key order."""
        ...

    # The reserved counter: what the lines of active reservations hold on the balance,
    # kept in the same transactions as the reservations (ReservationRepository.place
    # raises it, and lapse stops counting expired ones). It is never below what live
    # reservations hold.

    def add_held(self, key: BalanceKey, delta: Decimal) -> None:
        """Add ``delta`` to the reserved counter (the caller holds the balance's lock),
        creating the balance at zero if missing."""
        ...

    def set_held(self, key: BalanceKey, quantity: Decimal) -> None: ...
    def all_held(self) -> list[tuple[BalanceKey, Decimal]]:
        """The reserved counter of every balance."""
        ...


class LotRepository(Protocol):
    def get(self, item: str, code: str) -> Lot | None: ...
    def add(self, lot: Lot) -> None:
        """Raises DuplicateRecord if the item has a lot of that code."""
        ...

    def of_item(self, item: str) -> list[Lot]:
        """The item's lots, by code."""
        ...


class IncomingRepository(Protocol):
    def add(self, incoming: Incoming) -> None: ...
    def get(self, incoming_id: str) -> Incoming | None: ...
    def update(self, incoming: Incoming, *, was: Incoming) -> None:
        """Store a new ``arrived`` quantity and status (nothing else changes), provided
        the stored entry still has those of ``was``; else raise a retryable
        :class:`~backoffice.errors.ConcurrencyConflict` (another transaction changed it
        since it was read), or NotFound."""
        ...

    def open(self, item: str, location: str | None = None) -> list[Incoming]:
        """Open incoming stock of ``item`` (at ``location``), by expected time then id."""
        ...


class ReorderRuleRepository(Protocol):
    def put(self, rule: ReorderRule) -> None:
        """Create or replace the rule of ``(rule.item, rule.location)``."""
        ...

    def get(self, item: str, location: str) -> ReorderRule | None: ...
    def remove(self, item: str, location: str) -> bool: ...
    def all(self) -> list[ReorderRule]:
        """Every rule, by item then location."""
        ...


class SettingRepository(Protocol):
    """Named values of the tenant (the stock lock date...), as text, and named locks."""

    def get(self, name: str) -> str | None: ...
    def put(self, name: str, value: str) -> None: ...
    def lock(self, name: str, *, shared: bool = False) -> None:
        """Take the tenant's lock called ``name`` until the end of the transaction:
        shared by the commands that read what it guards, exclusive by the one that
        changes it (or by commands that must not run at once). Stores that run one
        writer at a time have nothing to do."""
        ...


class ReservationRepository(Protocol):
    def add(self, reservation: Reservation) -> None: ...
    def get(self, reservation_id: str) -> Reservation | None: ...
    def update(self, reservation: Reservation) -> None:
        """Store a new status, expiry and committed quantities (lines never change
        otherwise)."""
        ...

    def reserved(self, key: BalanceKey, now: datetime) -> Decimal:
        """What live reservations (active, not expired at ``now``) hold on ``key``."""
        ...

    def expired(self, now: datetime, limit: int) -> list[Reservation]:
        """Active reservations whose time is up (for the tidying sweep)."""
        ...

    def place(
        self,
        reservation: Reservation,
        event: tuple[str, dict[str, Any], datetime],
        *,
        at_commit: bool = False,
    ) -> None:
        """Add a new active reservation with its outbox event ``(type, payload, at)``,
        and add each line to its balance's reserved counter if on hand minus the counter
        leaves at least the line's quantity: each balance is checked and raised in one
        step, which takes its lock, after the other writes.

        Raises:
            NotHeld: some balance cannot hold its line, does not exist, or is watched by
                a reorder rule of its item and location (the caller then takes the exact
                way, which writes the low-stock event). The unit of work must then be
                rolled back: part of it may have been written.

        ``at_commit``: nothing else will be written in this unit of work, so a store may
        send all of it with the commit (a contended balance is then locked only while
        committing) and raise :class:`NotHeld` from ``commit()``.
        """
        ...

    def lapse(self, key: BalanceKey, now: datetime) -> Decimal:
        """Stop counting, in ``key``'s reserved counter, the lines on ``key`` of active
        reservations expired at ``now``; return what they held (the caller takes it off
        the counter). Their status is left to the sweep."""
        ...

    def holding(self, reservation_id: str) -> list[tuple[BalanceKey, Decimal]]:
        """What each line of the reservation counts in its balance's reserved counter:
        its outstanding quantity, or nothing once lapsed or when the reservation is not
        active. (:meth:`update` of an active reservation counts every line again.)"""
        ...

    def held(self) -> list[tuple[BalanceKey, Decimal]]:
        """Per balance, what the counted lines hold: what the reserved counters must be."""
        ...


@attrs.frozen(slots=True)
class InvoiceRecord:
    """An invoice or credit note as stored: its document in the library's JSON form
    (:mod:`backoffice.invoicing.schema`) and the columns it is found and checked by.

    ``state`` is ``"draft"`` or ``"issued"``; an issued record has its ``series``,
    ``fiscal_year``, ``sequence`` (the number within the series and year), ``number``
    (formatted), ``issue_date`` and ``issued_at``. ``credits`` is the id of the invoice a
    credit note credits. ``amount_due`` is BT-115, in ``currency``.
    """

    id: str
    state: str
    type_code: str
    customer: str
    currency: str
    amount_due: Decimal
    document: str
    created_at: datetime
    series: str | None = None
    fiscal_year: int | None = None
    sequence: int | None = None
    number: str | None = None
    issue_date: date | None = None
    due_date: date | None = None
    issued_at: datetime | None = None
    credits: str | None = None


class InvoiceRepository(Protocol):
    """Invoices and credit notes (drafts and issued), and the numbering counters."""

    def add(self, record: InvoiceRecord) -> None:
        """Raises DuplicateRecord if the id (or, issued, the number) exists."""
        ...

    def get(self, invoice_id: str) -> InvoiceRecord | None: ...
    def by_number(self, number: str) -> InvoiceRecord | None: ...
    def replace_draft(self, record: InvoiceRecord) -> None:
        """Store a draft's new document (and customer, currency, amount due).

        Raises:
            NotFound: no such invoice.
            InvoiceIssued: it is not a draft any more.
        """
        ...

    def delete_draft(self, invoice_id: str) -> None:
        """Raises NotFound, or InvoiceIssued when the invoice is issued."""
        ...

    def issue(self, record: InvoiceRecord) -> None:
        """Turn the draft ``record.id`` into the issued ``record``: its state, series,
        fiscal year, sequence, number, dates, document, amount due, customer and
        ``credits`` are stored (its id and creation time stay as they were).

        Raises:
            NotFound: no such invoice.
            InvoiceIssued: it is issued already.
            DuplicateRecord: the number is taken.
        """
        ...

    def take_number(
        self, series: str, fiscal_year: int, issue_date: date
    ) -> tuple[int, date | None]:
        """The next number of ``series`` in ``fiscal_year`` (1 for the first), counted
        in this transaction, and the issue date of the number before it (``None`` for
        the first). The counter row stays locked until the transaction ends, so numbers
        are handed out one transaction at a time: a rollback gives the number back."""
        ...

    def counters(self) -> list[tuple[str, int, int]]:
        """``(series, fiscal_year, last number handed out)`` of every counter."""
        ...

    def issued(self) -> list[InvoiceRecord]:
        """Every issued record, by series, fiscal year and sequence."""
        ...

    def of_customer(self, customer: str) -> list[InvoiceRecord]:
        """The customer's records (drafts included), by creation."""
        ...

    def all(self) -> list[InvoiceRecord]:
        """Every record, by creation."""
        ...


@attrs.frozen(slots=True)
class PaymentRecord:
    """Money received from a customer (``kind="payment"``) or paid back to one
    (``kind="refund"``), in ``currency``; ``amount`` is above zero."""

    id: str
    customer: str
    currency: str
    amount: Decimal
    kind: str
    received_on: date
    recorded_at: datetime
    reference: str | None = None


@attrs.frozen(slots=True)
class AllocationRecord:
    """``amount`` of a source of the customer's credit (a payment, or an issued credit
    note, by id) applied to ``invoice``."""

    id: str
    source: str
    source_kind: str
    """``"payment"`` or ``"credit_note"``."""
    invoice: str
    customer: str
    currency: str
    amount: Decimal
    at: datetime


class PaymentRepository(Protocol):
    """Payments, refunds and their allocations to invoices."""

    def add(self, payment: PaymentRecord) -> None:
        """Raises DuplicateRecord if the id exists."""
        ...

    def get(self, payment_id: str) -> PaymentRecord | None: ...
    def of_customer(self, customer: str) -> list[PaymentRecord]:
        """The customer's payments and refunds, by recording."""
        ...

    def allocate(self, allocations: Sequence[AllocationRecord]) -> None: ...
    def allocations(
        self, *, invoice: str | None = None, customer: str | None = None
    ) -> list[AllocationRecord]:
        """Allocations to ``invoice`` or of ``customer``, by recording."""
        ...


@attrs.frozen(slots=True)
class PayRunRecord:
    """A pay run as stored: the payslips of one country for one period, paid on
    ``payment_date``.

    ``state`` is ``"open"`` (it takes payslips) or ``"closed"`` (it takes no more;
    ``closed_at`` says since when). A correction is a new payslip in a later run.
    """

    id: str
    country: str
    period_start: date
    period_end: date
    payment_date: date
    state: str
    created_at: datetime
    closed_at: datetime | None = None


@attrs.frozen(slots=True)
class PayslipRecord:
    """An issued payslip as stored: its document in the library's JSON form
    (:func:`backoffice.payroll.records.payslip_to_json`) and the columns it is found and
    checked by. ``gross`` and ``net`` are in ``currency``; ``employee_key`` is unique
    within the run. Issued payslips never change."""

    id: str
    run_id: str
    employee_key: str = attrs.field(repr=False)
    gross: Decimal = attrs.field(repr=False)
    net: Decimal = attrs.field(repr=False)
    currency: str
    fingerprint: str
    document: str = attrs.field(repr=False)
    created_at: datetime


class PayrollRepository(Protocol):
    """Pay runs and their payslips. Payslips are written once: there is no update and
    no delete."""

    def add_run(self, record: PayRunRecord) -> None:
        """Raises DuplicateRecord if the id exists."""
        ...

    def get_run(self, run_id: str) -> PayRunRecord | None: ...
    def close_run(self, run_id: str, at: datetime) -> None:
        """Close an open run (``closed_at`` is ``at``).

        Raises:
            NotFound: no such run.
            PayRunClosed: it is closed already.
        """
        ...

    def add_payslips(self, records: Sequence[PayslipRecord]) -> None:
        """Add payslips to their runs, provided each run is still open when written. All
        of them or none: after an error nothing of ``records`` is stored.

        Raises:
            NotFound: no such run.
            PayRunClosed: the run is closed.
            DuplicateRecord: the id exists, or the run has a payslip of that employee.
        """
        ...

    def payslips(self, run_id: str) -> list[PayslipRecord]:
        """The run's payslips, by employee key."""
        ...

    def runs(self) -> list[PayRunRecord]:
        """Every run, by period start, creation and id."""
        ...


@attrs.frozen(slots=True)
class JournalHead:
    """The last entry of a journal series, as the store records it: its ``sequence``
    (0 before the first entry) and ``hash`` (64 zeros before the first entry)."""

    series: str
    sequence: int
    hash: str


class JournalRepository(Protocol):
    """The audit journal (:mod:`backoffice.compliance.journal`): entries appended to
    per-series hash chains, never updated nor deleted, and the head of each series."""

    def lock_heads(self, series: Sequence[str]) -> dict[str, JournalHead]:
        """The heads of ``series``, locked until the transaction ends (in sorted order,
        so that two writers never wait on each other in a cycle), created empty when
        missing."""
        ...

    def append(self, entries: Sequence[JournalEntry]) -> None:
        """Append entries that continue the heads locked by :meth:`lock_heads`, in
        order, and move the heads to them.

        Raises:
            ConcurrencyConflict: (retryable) an entry does not continue its series' head:
                another transaction wrote it since it was read.
        """
        ...

    def entries(
        self,
        series: str,
        *,
        subject: str | None = None,
        after: int = 0,
        limit: int | None = None,
    ) -> list[JournalEntry]:
        """The entries of ``series`` numbered above ``after`` (of ``subject`` only, when
        given), by sequence, at most ``limit``."""
        ...

    def heads(self) -> list[JournalHead]:
        """The head of every series of the tenant, by series."""
        ...

    def tenants(self) -> list[str]:
        """The tenants that have a journal, sorted: every tenant of the store, except on
        PostgreSQL under a role that row-level security limits to its own tenant."""
        ...


class IdempotencyRepository(Protocol):
    def get(self, key: str) -> tuple[str, str] | None:
        """``(request_fingerprint, result_json)`` stored for ``key``, if any."""
        ...

    def put(self, key: str, fingerprint: str, result_json: str, at: datetime) -> None: ...


class NotHeld(Exception):
    """:meth:`ReservationRepository.place` could not hold a line on its balance."""


class OutboxRepository(Protocol):
    def append(self, event_type: str, payload: dict[str, Any], at: datetime) -> None: ...
    def append_many(self, events: Sequence[tuple[str, dict[str, Any], datetime]]) -> None:
        """Append ``(event_type, payload, at)`` events, in order (one call for a batch)."""
        ...


@runtime_checkable
class UnitOfWork(Protocol):
    """One transaction on one tenant's data. Leaving the ``with`` block without
    :meth:`commit` rolls everything back."""

    @property
    def tenant(self) -> str: ...
    @property
    def items(self) -> ItemRepository: ...
    @property
    def locations(self) -> LocationRepository: ...
    @property
    def movements(self) -> MovementRepository: ...
    @property
    def balances(self) -> BalanceRepository: ...
    @property
    def reservations(self) -> ReservationRepository: ...
    @property
    def lots(self) -> LotRepository: ...
    @property
    def incoming(self) -> IncomingRepository: ...
    @property
    def reorder_rules(self) -> ReorderRuleRepository: ...
    @property
    def settings(self) -> SettingRepository: ...
    @property
    def invoices(self) -> InvoiceRepository: ...
    @property
    def payments(self) -> PaymentRepository: ...
    @property
    def payroll(self) -> PayrollRepository: ...
    @property
    def journal(self) -> JournalRepository: ...
    @property
    def idempotency(self) -> IdempotencyRepository: ...
    @property
    def outbox(self) -> OutboxRepository: ...

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


@runtime_checkable
class Store(Protocol):
    """A database bound to one tenant. Get one with :func:`backoffice.open`."""

    @property
    def tenant(self) -> str: ...

    def migrate(self) -> int:
        """Bring the schema to this library's version; return it."""
        ...

    def schema_version(self) -> int: ...
    def for_tenant(self, tenant: str) -> Store:
        """The same database, bound to another tenant (connections are shared)."""
        ...

    def unit_of_work(self) -> UnitOfWork: ...
    def run(self, work: Callable[[UnitOfWork], T]) -> T:
        """Run ``work`` in a unit of work and commit, retrying the whole of it when the
        database reports a serialization failure or a deadlock."""
        ...

    def pending_events(self, limit: int = 100) -> list[OutboxEvent]:
        """Events not acknowledged yet, oldest first."""
        ...

    def acknowledge(self, event_ids: Sequence[int]) -> None: ...
    def close(self) -> None: ...
