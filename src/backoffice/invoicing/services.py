"""Invoices kept in a store: drafts, legal numbering at issue, credit notes, payments,
allocations and customer credit.

:class:`Invoicing` runs every command in one transaction of the store: the document, the
number, the allocations and the domain event are written together or not at all.

* A **draft** (:meth:`Invoicing.create_draft`) has no number; it may be replaced
  (:meth:`~Invoicing.update_draft`) or deleted (:meth:`~Invoicing.delete_draft`).
* **Issuing** (:meth:`~Invoicing.issue`) takes the next number of the series in the
  same transaction (see :mod:`backoffice.invoicing.numbering`), dates the invoice and
  computes its due date. An issued invoice is never changed nor deleted: the store
  refuses it (:class:`~backoffice.errors.InvoiceIssued`).
* A **credit note** (:meth:`~Invoicing.credit`) cancels all or part of an issued
  invoice: it is issued at once, refers to the invoice (BG-3) and is allocated to what is
  still due on it; what it credits beyond that becomes customer credit.
* A **payment** (:meth:`~Invoicing.record_payment`) is allocated to the customer's
  invoices (as stated, or oldest due first); what is left is customer credit, which
  :meth:`~Invoicing.apply_credit` allocates later and :meth:`~Invoicing.refund` pays
  back. The balance due of an invoice is always its amount due (BT-115) minus what is
  allocated to it.

Events written to the outbox: ``invoice.issued``, ``credit_note.issued``,
``payment.recorded``, ``credit.applied`` and ``refund.recorded``.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from typing import Any, Final

import attrs

from backoffice.core.currency import get_currency
from backoffice.core.money import Money
from backoffice.core.time import Clock, SystemClock, ensure_aware
from backoffice.errors import (
    AllocationExceeded,
    CurrencyMismatch,
    InvalidType,
    InvalidValue,
    InvoiceIssued,
    NotFound,
)
from backoffice.invoicing.aging import Receivable
from backoffice.invoicing.document import DocumentType, Invoice
from backoffice.invoicing.model import AllowanceCharge, InvoiceLine, _money, _required_text
from backoffice.invoicing.numbering import GapReport, NumberSeries, find_gaps
from backoffice.invoicing.terms import _day
from backoffice.storage.ports import (
    AllocationRecord,
    InvoiceRecord,
    PaymentRecord,
    Store,
    UnitOfWork,
)

__all__ = [
    "DEFAULT_CREDIT_NOTE_SERIES",
    "DEFAULT_INVOICE_SERIES",
    "Allocation",
    "InvoiceStatus",
    "Invoicing",
    "Payment",
    "StoredInvoice",
]

DEFAULT_INVOICE_SERIES: Final = NumberSeries("INV", template="INV-{year}-{number:06d}")
"""The series :meth:`Invoicing.issue` uses unless told otherwise: ``INV-2026-000001``."""
DEFAULT_CREDIT_NOTE_SERIES: Final = NumberSeries("CN", template="CN-{year}-{number:06d}")
"""The series :meth:`Invoicing.credit` uses unless told otherwise: ``CN-2026-000001``."""

_SERIES_SETTING: Final = "invoicing.series."


class InvoiceStatus(enum.StrEnum):
    """Where an invoice stands. Overdue is not a status: it depends on the day asked
    (:meth:`StoredInvoice.is_overdue`)."""

    DRAFT = "draft"
    """Not issued: no number yet; it may change or be deleted."""
    ISSUED = "issued"
    """Issued, nothing allocated yet (a credit note is always this)."""
    PARTIALLY_PAID = "partially_paid"
    """Issued, part of the amount due allocated."""
    PAID = "paid"
    """Issued, fully settled, by payments at least in part."""
    CREDITED = "credited"
    """Issued, fully settled by credit notes alone: cancelled."""


@attrs.frozen(slots=True)
class Allocation:
    """``amount`` of a payment or credit note (``source``) allocated to ``invoice``."""

    id: str
    source: str
    source_kind: str
    """``"payment"`` or ``"credit_note"``."""
    invoice: str
    customer: str
    amount: Money
    at: datetime


@attrs.frozen(slots=True)
class StoredInvoice:
    """An invoice or credit note as the store keeps it, with what has been allocated to
    it."""

    id: str
    invoice: Invoice
    status: InvoiceStatus
    created_at: datetime
    allocations: tuple[Allocation, ...] = ()
    series: str | None = None
    fiscal_year: int | None = None
    sequence: int | None = None
    issued_at: datetime | None = None
    credits: str | None = None
    """The id of the invoice this credit note credits."""

    @property
    def number(self) -> str | None:
        return self.invoice.number

    @property
    def customer(self) -> str:
        return self.invoice.customer

    @property
    def amount_due(self) -> Money:
        """BT-115 of the document."""
        return self.invoice.amount_due

    @property
    def allocated(self) -> Money:
        """What payments and credit notes settle of it."""
        return Money.total((a.amount for a in self.allocations), self.invoice.currency)

    @property
    def balance_due(self) -> Money:
        """Amount due minus what is allocated; zero for drafts and credit notes."""
        if self.status is InvoiceStatus.DRAFT or self.invoice.is_credit_note:
            return Money.zero(self.invoice.currency)
        return self.amount_due - self.allocated

    def is_overdue(self, on: date) -> bool:
        """Whether something is still due after the due date, on day ``on``."""
        due = self.invoice.due_date
        return due is not None and on > due and self.balance_due.is_positive()

    def days_overdue(self, on: date) -> int:
        """Days past the due date on day ``on`` (0 when not overdue)."""
        if not self.is_overdue(on):
            return 0
        assert self.invoice.due_date is not None
        return (on - self.invoice.due_date).days


@attrs.frozen(slots=True)
class Payment:
    """A payment received (``kind="payment"``) or a refund paid (``kind="refund"``)."""

    id: str
    customer: str
    amount: Money
    kind: str
    received_on: date
    recorded_at: datetime
    reference: str | None
    allocations: tuple[Allocation, ...]

    @property
    def unallocated(self) -> Money:
        """What of a payment no allocation uses (zero for a refund). Refunds are not
        taken from particular payments: what the customer may still use is
        :meth:`Invoicing.customer_credit`."""
        if self.kind != "payment":
            return Money.zero(self.amount.currency)
        return self.amount - Money.total((a.amount for a in self.allocations), self.amount.currency)


def _lock_customer(uow: UnitOfWork, customer: str) -> None:
    """Serialize the commands that decide amounts for ``customer``: a write to the
    customer's lock row (a setting). A second transaction waits for it; on PostgreSQL
    at REPEATABLE READ or SERIALIZABLE, where its snapshot may predate the first one's
    commit, the write fails as a serialization conflict and the unit of work is retried
    from the start, reading the allocations anew."""
    uow.settings.put(f"invoicing.customer/{customer}", "locked")


def _to_allocation(record: AllocationRecord) -> Allocation:
    return Allocation(
        record.id,
        record.source,
        record.source_kind,
        record.invoice,
        record.customer,
        Money(record.amount, record.currency),
        record.at,
    )


class Invoicing:
    """Invoices, credit notes and payments of one tenant, kept in ``store``.

    Args:
        store: where everything is kept (migrated).
        clock: gives "now" (a :class:`~backoffice.core.time.SystemClock` by default).
        zone: the time zone whose calendar gives today's date, the default issue date.
    """

    def __init__(self, store: Store, *, clock: Clock | None = None, zone: tzinfo = UTC) -> None:
        if not isinstance(zone, tzinfo):
            raise InvalidType(field="zone", expected="a tzinfo (ZoneInfo(...))", got=repr(zone))
        self.store = store
        self.clock: Clock = clock or SystemClock()
        self.zone = zone

    def _today(self) -> date:
        return self.clock.now().astimezone(self.zone).date()

    # -- series -------------------------------------------------------------------------

    def define_series(self, series: NumberSeries) -> NumberSeries:
        """Register a numbering series (or confirm one registered the same way).

        Raises:
            InvalidValue: a series of that code exists with other settings and has
                numbered documents: its numbers would stop following one rule.
        """
        if not isinstance(series, NumberSeries):
            raise InvalidType(field="series", expected="a NumberSeries", got=repr(series))

        def work(uow: UnitOfWork) -> NumberSeries:
            name = _SERIES_SETTING + series.code
            uow.settings.lock(name)
            stored = uow.settings.get(name)
            if stored is not None and NumberSeries.from_json(stored) != series:
                used = any(code == series.code for code, _, _ in uow.invoices.counters())
                if used:
                    raise InvalidValue(
                        field="series",
                        reason=f"series {series.code!r} has numbered documents with other "
                        "settings; start a new series instead",
                    )
            uow.settings.put(name, series.to_json())
            uow.commit()
            return series

        return self.store.run(work)

    def series(self, code: str) -> NumberSeries:
        """The series registered as ``code`` (the two default series need no
        registration)."""
        with self.store.unit_of_work() as uow:
            return self._series(uow, code)

    def _series(self, uow: UnitOfWork, code: str) -> NumberSeries:
        stored = uow.settings.get(_SERIES_SETTING + _required_text(code, "series"))
        if stored is not None:
            return NumberSeries.from_json(stored)
        for default in (DEFAULT_INVOICE_SERIES, DEFAULT_CREDIT_NOTE_SERIES):
            if code == default.code:
                return default
        raise NotFound(record="numbering series", key=code)

    # -- drafts -------------------------------------------------------------------------

    def create_draft(self, invoice: Invoice, *, id: str | None = None) -> StoredInvoice:
        """Keep ``invoice`` (without a number) as a draft; ``id`` defaults to a new one.

        Raises:
            InvalidValue: the invoice has a number already.
            DuplicateRecord: ``id`` exists.
        """
        document = self._draft_document(invoice)
        invoice_id = uuid.uuid4().hex if id is None else _required_text(id, "id")
        record = _draft_record(invoice_id, document, self.clock.now())

        def work(uow: UnitOfWork) -> StoredInvoice:
            uow.invoices.add(record)
            uow.commit()
            return StoredInvoice(record.id, document, InvoiceStatus.DRAFT, record.created_at)

        return self.store.run(work)

    def update_draft(self, invoice_id: str, invoice: Invoice) -> StoredInvoice:
        """Replace the draft ``invoice_id`` with ``invoice``.

        Raises:
            NotFound: no such invoice.
            InvoiceIssued: it is issued: it never changes.
        """
        document = self._draft_document(invoice)

        def work(uow: UnitOfWork) -> StoredInvoice:
            before = uow.invoices.get(invoice_id)
            if before is None:
                raise NotFound(record="invoice", key=invoice_id)
            record = attrs.evolve(
                _draft_record(invoice_id, document, before.created_at),
                credits=before.credits,
            )
            uow.invoices.replace_draft(record)
            uow.commit()
            return StoredInvoice(record.id, document, InvoiceStatus.DRAFT, record.created_at)

        return self.store.run(work)

    def delete_draft(self, invoice_id: str) -> None:
        """Delete a draft.

        Raises:
            NotFound: no such invoice.
            InvoiceIssued: it is issued: it is never deleted.
        """

        def work(uow: UnitOfWork) -> None:
            uow.invoices.delete_draft(invoice_id)
            uow.commit()

        self.store.run(work)

    @staticmethod
    def _draft_document(invoice: object) -> Invoice:
        if not isinstance(invoice, Invoice):
            raise InvalidType(field="invoice", expected="an Invoice", got=repr(invoice))
        if not invoice.is_draft:
            raise InvalidValue(
                field="number",
                reason="a draft has no number: the number is given when it is issued",
            )
        return invoice

    # -- issuing ------------------------------------------------------------------------

    def issue(
        self,
        invoice_id: str,
        *,
        series: str | None = None,
        issue_date: date | None = None,
    ) -> StoredInvoice:
        """Issue the draft ``invoice_id``: it takes the next number of ``series`` (by
        default :data:`DEFAULT_INVOICE_SERIES`, or :data:`DEFAULT_CREDIT_NOTE_SERIES` for a
        credit note, as :meth:`credit` does), is
        dated ``issue_date`` (today by default) and gets its due date from its terms;
        ``invoice.issued`` (``credit_note.issued`` for a credit note) goes to the outbox
        in the same transaction.

        Raises:
            NotFound: no such invoice or series; for a credit note, no issued invoice
                with the number it refers to.
            InvoiceIssued: it is issued already.
            InvalidValue: ``issue_date`` is after today, or before the last issue date of
                the series (numbers follow issue dates).
        """
        day = self._issue_date(issue_date)

        def work(uow: UnitOfWork) -> StoredInvoice:
            record = uow.invoices.get(invoice_id)
            if record is None:
                raise NotFound(record="invoice", key=invoice_id)
            if record.state != "draft":
                raise InvoiceIssued(key=invoice_id, number=record.number)
            draft = _decode(record.document)
            original: InvoiceRecord | None = None
            default = DEFAULT_INVOICE_SERIES
            if draft.is_credit_note:
                original = self._credited(uow, draft)
                default = DEFAULT_CREDIT_NOTE_SERIES
            code = default.code if series is None else series
            stored = self._issue(uow, record, draft, code, day, original)
            uow.commit()
            return stored

        return self.store.run(work)

    def _issue_date(self, issue_date: date | None) -> date:
        today = self._today()
        if issue_date is None:
            return today
        day = _day(issue_date, "issue_date")
        if day > today:
            raise InvalidValue(
                field="issue_date",
                reason=f"{day.isoformat()} is after today ({today.isoformat()}): an invoice "
                "is dated the day it is issued or before",
            )
        return day

    def _not_after_today(self, value: date, field: str) -> date:
        day = _day(value, field)
        today = self._today()
        if day > today:
            raise InvalidValue(
                field=field,
                reason=f"{day.isoformat()} is after today ({today.isoformat()}): record money "
                "when it has moved",
            )
        return day

    def _credited(self, uow: UnitOfWork, draft: Invoice) -> InvoiceRecord:
        number = draft.preceding[0].number
        original = uow.invoices.by_number(number)
        if original is None or original.type_code == DocumentType.CREDIT_NOTE.value:
            raise NotFound(record="issued invoice", key=number)
        if original.customer != draft.customer or original.currency != draft.currency.code:
            raise InvalidValue(
                field="currency" if original.customer == draft.customer else "buyer",
                reason=f"a credit note of {number} has its customer and its currency",
            )
        return original

    def _issue(
        self,
        uow: UnitOfWork,
        record: InvoiceRecord,
        draft: Invoice,
        code: str,
        day: date,
        original: InvoiceRecord | None,
    ) -> StoredInvoice:
        series = self._series(uow, code)
        # shared with other issuers; define_series takes it exclusively to change a series
        uow.settings.lock(_SERIES_SETTING + series.code, shared=True)
        if original is not None:
            if not draft.totals.total_with_vat.is_positive():
                raise InvalidValue(
                    field="lines",
                    reason=f"a credit note credits an amount above zero, got "
                    f"{draft.totals.total_with_vat}: to charge more, issue an invoice",
                )
            if original.issue_date is not None and day < original.issue_date:
                raise InvalidValue(
                    field="issue_date",
                    reason=f"{day.isoformat()} is before {original.issue_date.isoformat()}, "
                    f"the issue date of {original.number}, which the credit note credits",
                )
            _lock_customer(uow, record.customer)
            self._check_credit_limit(uow, original, draft)
        fiscal_year = series.fiscal_year(day)
        sequence, previous = uow.invoices.take_number(series.code, fiscal_year, day)
        if previous is not None and day < previous:
            raise InvalidValue(
                field="issue_date",
                reason=f"{day.isoformat()} is before {previous.isoformat()}, the date of the "
                f"last number of series {series.code}: numbers follow issue dates",
            )
        document = draft.issued(series.format(sequence, fiscal_year), day)
        now = self.clock.now()
        issued = attrs.evolve(
            record,
            state="issued",
            series=series.code,
            fiscal_year=fiscal_year,
            sequence=sequence,
            number=document.number,
            issue_date=day,
            due_date=document.due_date,
            issued_at=now,
            document=_encode(document),
            amount_due=document.amount_due.amount,
            customer=document.customer,
            credits=None if original is None else original.id,
        )
        uow.invoices.issue(issued)
        totals = document.totals
        payload: dict[str, Any] = {
            "id": issued.id,
            "number": document.number,
            "series": series.code,
            "customer": document.customer,
            "currency": document.currency.code,
            "issue_date": day.isoformat(),
            "total_without_vat": str(totals.total_without_vat.amount),
            "total_vat": str(totals.total_vat.amount),
            "total_with_vat": str(totals.total_with_vat.amount),
            "amount_due": str(totals.amount_due.amount),
        }
        if original is None:
            payload["due_date"] = (
                None if document.due_date is None else document.due_date.isoformat()
            )
            uow.outbox.append("invoice.issued", payload, now)
            _journal(uow, INVOICE_JOURNAL + series.code, "invoice.issued", issued.id, payload, now)
        else:
            open_amount = self._balance(uow, original)
            amount = min(open_amount.amount, document.amount_due.amount)
            if amount > 0:
                allocation = AllocationRecord(
                    uuid.uuid4().hex,
                    issued.id,
                    "credit_note",
                    original.id,
                    issued.customer,
                    issued.currency,
                    amount,
                    now,
                )
                uow.payments.allocate([allocation])
            payload["credits"] = original.id
            payload["credits_number"] = original.number
            payload["allocated"] = str(max(amount, Decimal(0)))
            uow.outbox.append("credit_note.issued", payload, now)
            _journal(
                uow, INVOICE_JOURNAL + series.code, "credit_note.issued", issued.id, payload, now
            )
        return self._view(uow, issued, document)

    def _check_credit_limit(self, uow: UnitOfWork, original: InvoiceRecord, draft: Invoice) -> None:
        credited = sum(
            (
                _decode(other.document).totals.total_with_vat.amount
                for other in uow.invoices.of_customer(original.customer)
                if other.credits == original.id and other.state == "issued"
            ),
            Decimal(0),
        )
        invoiced = _decode(original.document).totals.total_with_vat.amount
        asked = draft.totals.total_with_vat.amount
        if credited + asked > invoiced:
            raise AllocationExceeded(
                field="lines",
                amount=f"{asked} {draft.currency.code}",
                what=f"part of {original.number} not credited yet",
                available=f"{invoiced - credited} {draft.currency.code}",
            )

    def credit(
        self,
        invoice_id: str,
        *,
        lines: Iterable[InvoiceLine] | None = None,
        allowances_charges: Iterable[AllowanceCharge] | None = None,
        notes: Iterable[str] = (),
        series: str = DEFAULT_CREDIT_NOTE_SERIES.code,
        issue_date: date | None = None,
        id: str | None = None,
    ) -> StoredInvoice:
        """Issue a credit note of the issued invoice ``invoice_id``: all of it by default,
        or the ``lines`` (and document-level ``allowances_charges``) given. It is
        allocated to what is still due on the invoice; the rest becomes customer credit.

        Raises:
            NotFound: no such invoice.
            InvalidValue: it is a draft or a credit note.
            AllocationExceeded: the credit notes of the invoice would credit more than
                its total with VAT.
        """
        day = self._issue_date(issue_date)
        note_id = uuid.uuid4().hex if id is None else _required_text(id, "id")

        def work(uow: UnitOfWork) -> StoredInvoice:
            original = uow.invoices.get(invoice_id)
            if original is None:
                raise NotFound(record="invoice", key=invoice_id)
            if original.state != "issued":
                raise InvalidValue(
                    field="invoice_id", reason="a draft is not credited: delete or change it"
                )
            document = _decode(original.document).credit_note(
                lines=lines, allowances_charges=allowances_charges, notes=notes
            )
            record = _draft_record(note_id, document, self.clock.now(), credits=original.id)
            uow.invoices.add(record)
            stored = self._issue(uow, record, document, series, day, original)
            uow.commit()
            return stored

        return self.store.run(work)

    # -- reading ------------------------------------------------------------------------

    def get(self, invoice_id: str) -> StoredInvoice:
        """The invoice ``invoice_id``. Raises NotFound."""
        with self.store.unit_of_work() as uow:
            record = uow.invoices.get(invoice_id)
            if record is None:
                raise NotFound(record="invoice", key=invoice_id)
            return self._view(uow, record)

    def by_number(self, number: str) -> StoredInvoice:
        """The issued invoice or credit note numbered ``number``. Raises NotFound."""
        with self.store.unit_of_work() as uow:
            record = uow.invoices.by_number(number)
            if record is None:
                raise NotFound(record="invoice", key=number)
            return self._view(uow, record)

    def invoices(self, *, customer: str | None = None) -> list[StoredInvoice]:
        """Every invoice and credit note (of ``customer``), by creation."""
        with self.store.unit_of_work() as uow:
            if customer is None:
                records = uow.invoices.all()
                allocations = uow.payments.allocations()
            else:
                records = uow.invoices.of_customer(customer)
                allocations = uow.payments.allocations(customer=customer)
            by_invoice: dict[str, list[Allocation]] = {}
            for allocation in allocations:
                by_invoice.setdefault(allocation.invoice, []).append(_to_allocation(allocation))
            return [_stored(record, by_invoice.get(record.id, [])) for record in records]

    def _view(
        self, uow: UnitOfWork, record: InvoiceRecord, document: Invoice | None = None
    ) -> StoredInvoice:
        allocations = [_to_allocation(a) for a in uow.payments.allocations(invoice=record.id)]
        return _stored(record, allocations, document)

    def _balance(self, uow: UnitOfWork, record: InvoiceRecord) -> Money:
        return self._view(uow, record).balance_due

    def receivables(self, *, at: datetime | None = None) -> list[Receivable]:
        """Issued invoices with something still due, for
        :func:`~backoffice.invoicing.aging.aging` (keyed by number).

        With ``at`` (an aware instant), as they stood then: the invoices issued by that
        day (in the service's zone), less what was allocated to them by then.
        """
        cut = None if at is None else ensure_aware(at, "at")
        found = []
        for stored in self.invoices():
            due = stored.balance_due
            if cut is not None:
                issued = stored.invoice.issue_date
                if issued is None or issued > cut.astimezone(self.zone).date():
                    continue
                due = due + Money.total(
                    (a.amount for a in stored.allocations if a.at > cut), due.currency.code
                )
            if due.is_positive():
                when = stored.invoice.due_date or stored.invoice.issue_date
                assert stored.number is not None and when is not None
                found.append(Receivable(stored.customer, stored.number, when, due))
        return found

    def audit_numbering(self) -> list[GapReport]:
        """Every series and fiscal year of the stored documents and counters, with the
        numbers missing or repeated between 1 and the last number handed out."""
        with self.store.unit_of_work() as uow:
            records = uow.invoices.issued()
            counters = uow.invoices.counters()
        numbers: dict[tuple[str, int], list[int]] = {}
        for record in records:
            if record.series is None or record.fiscal_year is None or record.sequence is None:
                continue
            numbers.setdefault((record.series, record.fiscal_year), []).append(record.sequence)
        lasts = {(series, year): last for series, year, last in counters}
        keys = sorted(set(numbers) | set(lasts))
        return [
            find_gaps(series, year, numbers.get((series, year), []), lasts.get((series, year), 0))
            for series, year in keys
        ]

    # -- payments -----------------------------------------------------------------------

    def record_payment(
        self,
        customer: str,
        amount: Money,
        *,
        received_on: date,
        allocations: Mapping[str, Money] | None = None,
        reference: str | None = None,
        id: str | None = None,
    ) -> Payment:
        """Record ``amount`` received from ``customer`` and allocate it: to the invoices
        and amounts of ``allocations`` (by invoice id), or, without them, to the
        customer's open invoices in that currency, oldest due date first. What is not
        allocated stays as customer credit. ``payment.recorded`` goes to the outbox.

        Raises:
            InvalidValue: the amount is not above zero.
            AllocationExceeded: an allocation is above the invoice's balance due, or the
                allocations add up to more than the amount.
            NotFound: an invoice of ``allocations`` is not an issued invoice of the
                customer.
            DuplicateRecord: ``id`` was recorded already (a bank transaction id makes a
                replay harmless).
        """
        who = _required_text(customer, "customer")
        money = _positive(amount, "amount")
        day = self._not_after_today(received_on, "received_on")
        plan = _allocation_plan(allocations, money)
        payment_id = uuid.uuid4().hex if id is None else _required_text(id, "id")
        note = None if reference is None else _required_text(reference, "reference")

        def work(uow: UnitOfWork) -> Payment:
            _lock_customer(uow, who)
            now = self.clock.now()
            record = PaymentRecord(
                payment_id, who, money.currency.code, money.amount, "payment", day, now, note
            )
            uow.payments.add(record)
            targets = self._targets(uow, who, money, plan)
            made = [
                AllocationRecord(
                    uuid.uuid4().hex,
                    payment_id,
                    "payment",
                    invoice.id,
                    who,
                    money.currency.code,
                    part,
                    now,
                )
                for invoice, part in targets
            ]
            uow.payments.allocate(made)
            payment = Payment(
                payment_id,
                who,
                money,
                "payment",
                day,
                now,
                note,
                tuple(_to_allocation(a) for a in made),
            )
            recorded = {
                "id": payment_id,
                "customer": who,
                "currency": money.currency.code,
                "amount": str(money.amount),
                "received_on": day.isoformat(),
                "allocations": [
                    {"invoice": a.invoice, "number": invoice.number, "amount": str(a.amount)}
                    for a, (invoice, _) in zip(made, targets, strict=True)
                ],
                "unallocated": str(payment.unallocated.amount),
            }
            uow.outbox.append("payment.recorded", recorded, now)
            _journal(uow, PAYMENT_JOURNAL + who, "payment.recorded", payment_id, recorded, now)
            uow.commit()
            return payment

        return self.store.run(work)

    def _open_invoices(self, uow: UnitOfWork, customer: str, currency: str) -> list[StoredInvoice]:
        allocations: dict[str, list[Allocation]] = {}
        for allocation in uow.payments.allocations(customer=customer):
            allocations.setdefault(allocation.invoice, []).append(_to_allocation(allocation))
        found = [
            _stored(record, allocations.get(record.id, []))
            for record in uow.invoices.of_customer(customer)
            if record.state == "issued"
            and record.currency == currency
            and record.type_code != DocumentType.CREDIT_NOTE.value
        ]
        return [stored for stored in found if stored.balance_due.is_positive()]

    def _targets(
        self,
        uow: UnitOfWork,
        customer: str,
        money: Money,
        plan: dict[str, Money] | None,
    ) -> list[tuple[StoredInvoice, Decimal]]:
        targets: list[tuple[StoredInvoice, Decimal]] = []
        if plan is None:
            open_invoices = sorted(
                self._open_invoices(uow, customer, money.currency.code),
                key=lambda s: (
                    s.invoice.due_date or date.max,
                    s.invoice.issue_date or date.max,
                    s.number or "",
                ),
            )
            left = money.amount
            for stored in open_invoices:
                if left <= 0:
                    break
                part = min(left, stored.balance_due.amount)
                targets.append((stored, part))
                left -= part
            return targets
        for invoice_id, share in plan.items():
            record = uow.invoices.get(invoice_id)
            if (
                record is None
                or record.customer != customer
                or record.state != "issued"
                or record.type_code == DocumentType.CREDIT_NOTE.value
            ):
                raise NotFound(record=f"issued invoice of {customer}", key=invoice_id)
            if record.currency != money.currency.code:
                raise CurrencyMismatch(
                    operation=f"allocate to invoice {invoice_id} (allocations.{invoice_id})",
                    left=share,
                    right=f"the invoice currency {record.currency}",
                )
            stored = self._view(uow, record)
            if share > stored.balance_due:
                raise AllocationExceeded(
                    field=f"allocations.{invoice_id}",
                    amount=str(share),
                    what=f"balance due of {stored.number}",
                    available=str(stored.balance_due),
                )
            targets.append((stored, share.amount))
        return targets

    def customer_credit(self, customer: str, currency: str) -> Money:
        """What ``customer`` has to their credit in ``currency``: payments and credit
        notes not allocated, less refunds."""
        code = get_currency(currency).code
        with self.store.unit_of_work() as uow:
            return self._credit(uow, _required_text(customer, "customer"), code)[0]

    def _credit(
        self, uow: UnitOfWork, customer: str, currency: str
    ) -> tuple[Money, list[tuple[str, str, Decimal]]]:
        """The customer's credit, and each source with what is left of it (oldest
        first, refunds taken from the oldest)."""
        sources: list[tuple[str, str, Decimal, datetime]] = []
        refunded = Decimal(0)
        for payment in uow.payments.of_customer(customer):
            if payment.currency != currency:
                continue
            if payment.kind == "payment":
                sources.append((payment.id, "payment", payment.amount, payment.recorded_at))
            else:
                refunded += payment.amount
        for record in uow.invoices.of_customer(customer):
            if (
                record.state == "issued"
                and record.currency == currency
                and record.type_code == DocumentType.CREDIT_NOTE.value
            ):
                assert record.issued_at is not None
                sources.append((record.id, "credit_note", record.amount_due, record.issued_at))
        used: dict[str, Decimal] = {}
        for allocation in uow.payments.allocations(customer=customer):
            used[allocation.source] = used.get(allocation.source, Decimal(0)) + allocation.amount
        left: list[tuple[str, str, Decimal]] = []
        for source, kind, amount, _ in sorted(sources, key=lambda s: (s[3], s[0])):
            remaining = amount - used.get(source, Decimal(0))
            taken = min(remaining, refunded)
            refunded -= taken
            if remaining - taken > 0:
                left.append((source, kind, remaining - taken))
        total = sum((amount for _, _, amount in left), Decimal(0))
        return Money(total, currency), left

    def apply_credit(
        self, customer: str, invoice_id: str, amount: Money | None = None
    ) -> list[Allocation]:
        """Allocate ``customer``'s credit to the invoice ``invoice_id``: ``amount``, or
        as much as both the credit and the balance due allow. ``credit.applied`` goes to
        the outbox.

        Raises:
            AllocationExceeded: ``amount`` is above the credit or the balance due.
            NotFound: not an issued invoice of the customer.
        """
        who = _required_text(customer, "customer")
        wanted = None if amount is None else _positive(amount, "amount")

        def work(uow: UnitOfWork) -> list[Allocation]:
            _lock_customer(uow, who)
            record = uow.invoices.get(invoice_id)
            if (
                record is None
                or record.customer != who
                or record.state != "issued"
                or record.type_code == DocumentType.CREDIT_NOTE.value
            ):
                raise NotFound(record=f"issued invoice of {who}", key=invoice_id)
            balance = self._view(uow, record).balance_due
            credit, sources = self._credit(uow, who, record.currency)
            if wanted is not None:
                if wanted.currency.code != record.currency:
                    raise CurrencyMismatch(
                        operation="apply credit", left=wanted, right=record.currency
                    )
                for limit, what in ((credit, "customer credit"), (balance, "balance due")):
                    if wanted > limit:
                        raise AllocationExceeded(
                            field="amount", amount=str(wanted), what=what, available=str(limit)
                        )
                left = wanted.amount
            else:
                left = min(credit.amount, balance.amount)
            now = self.clock.now()
            made = []
            for source, kind, available in sources:
                if left <= 0:
                    break
                part = min(left, available)
                made.append(
                    AllocationRecord(
                        uuid.uuid4().hex, source, kind, record.id, who, record.currency, part, now
                    )
                )
                left -= part
            uow.payments.allocate(made)
            if made:
                applied = {
                    "customer": who,
                    "invoice": record.id,
                    "number": record.number,
                    "currency": record.currency,
                    "allocations": [{"source": a.source, "amount": str(a.amount)} for a in made],
                }
                uow.outbox.append("credit.applied", applied, now)
                _journal(uow, PAYMENT_JOURNAL + who, "credit.applied", record.id, applied, now)
            uow.commit()
            return [_to_allocation(a) for a in made]

        return self.store.run(work)

    def refund(
        self,
        customer: str,
        amount: Money,
        *,
        paid_on: date,
        reference: str | None = None,
        id: str | None = None,
    ) -> Payment:
        """Pay back ``amount`` of ``customer``'s credit. ``refund.recorded`` goes to the
        outbox.

        Raises:
            AllocationExceeded: ``amount`` is above the customer's credit.
        """
        who = _required_text(customer, "customer")
        money = _positive(amount, "amount")
        day = self._not_after_today(paid_on, "paid_on")
        refund_id = uuid.uuid4().hex if id is None else _required_text(id, "id")
        note = None if reference is None else _required_text(reference, "reference")

        def work(uow: UnitOfWork) -> Payment:
            _lock_customer(uow, who)
            credit, _ = self._credit(uow, who, money.currency.code)
            if money > credit:
                raise AllocationExceeded(
                    field="amount", amount=str(money), what="customer credit", available=str(credit)
                )
            now = self.clock.now()
            uow.payments.add(
                PaymentRecord(
                    refund_id, who, money.currency.code, money.amount, "refund", day, now, note
                )
            )
            refunded = {
                "id": refund_id,
                "customer": who,
                "currency": money.currency.code,
                "amount": str(money.amount),
                "paid_on": day.isoformat(),
            }
            uow.outbox.append("refund.recorded", refunded, now)
            _journal(uow, PAYMENT_JOURNAL + who, "refund.recorded", refund_id, refunded, now)
            uow.commit()
            return Payment(refund_id, who, money, "refund", day, now, note, ())

        return self.store.run(work)

    def payments(self, customer: str) -> list[Payment]:
        """The customer's payments and refunds, with their allocations, by recording."""
        who = _required_text(customer, "customer")
        with self.store.unit_of_work() as uow:
            allocations: dict[str, list[Allocation]] = {}
            for allocation in uow.payments.allocations(customer=who):
                allocations.setdefault(allocation.source, []).append(_to_allocation(allocation))
            return [
                Payment(
                    p.id,
                    p.customer,
                    Money(p.amount, p.currency),
                    p.kind,
                    p.received_on,
                    p.recorded_at,
                    p.reference,
                    tuple(allocations.get(p.id, [])),
                )
                for p in uow.payments.of_customer(who)
            ]


# ---------------------------------------------------------------------------------------


#: The audit journal series of the invoices and credit notes of a numbering series
#: (``invoicing/<series code>``): issuing takes the series' counter lock already.
INVOICE_JOURNAL: Final = "invoicing/"
#: The audit journal series of a customer's payments, credits applied and refunds
#: (``payments/<customer>``): recording them takes the customer's lock already.
PAYMENT_JOURNAL: Final = "payments/"


def _journal(
    uow: UnitOfWork, series: str, kind: str, subject: str, payload: dict[str, Any], at: datetime
) -> None:
    """Append the event to the audit journal, in the unit of work of its effect."""
    # imported here: backoffice.compliance reads the dated parameters of
    # backoffice.payroll, which read backoffice.invoicing; a module-level import makes
    # `import backoffice.payroll` in a fresh interpreter fail on the cycle
    from backoffice.compliance import journal as _audit

    _audit.record(uow, series, [(kind, subject, payload, at)], plain=True)


def _positive(value: object, field: str) -> Money:
    money = _money(value, field)
    if not money.is_positive():
        raise InvalidValue(field=field, reason=f"must be above zero, got {money}")
    return money


def _allocation_plan(allocations: object, amount: Money) -> dict[str, Money] | None:
    if allocations is None:
        return None
    if not isinstance(allocations, Mapping):
        raise InvalidType(
            field="allocations", expected="a mapping of invoice id to Money", got=repr(allocations)
        )
    plan = {
        _required_text(key, "allocations"): _positive(value, f"allocations.{key}")
        for key, value in allocations.items()
    }
    for key, part in plan.items():
        if part.currency is not amount.currency:
            raise CurrencyMismatch(
                operation=f"allocate to {key}", left=part, right=amount.currency.code
            )
    total = Money.total(plan.values(), amount.currency)
    if total > amount:
        raise AllocationExceeded(
            field="allocations", amount=str(total), what="payment", available=str(amount)
        )
    return plan


def _draft_record(
    invoice_id: str, document: Invoice, created_at: datetime, *, credits: str | None = None
) -> InvoiceRecord:
    """The stored form of the draft ``document``."""
    return InvoiceRecord(
        id=invoice_id,
        state="draft",
        type_code=document.type_code.value,
        customer=document.customer,
        currency=document.currency.code,
        amount_due=document.amount_due.amount,
        document=_encode(document),
        created_at=created_at,
        due_date=document.due_date,
        credits=credits,
    )


def _stored(
    record: InvoiceRecord, allocations: list[Allocation], document: Invoice | None = None
) -> StoredInvoice:
    """The view of ``record``; ``document`` is its decoded document when at hand."""
    if document is None:
        document = _decode(record.document)
    status = InvoiceStatus.DRAFT
    if record.state == "issued":
        status = _status(document, allocations)
    return StoredInvoice(
        id=record.id,
        invoice=document,
        status=status,
        created_at=record.created_at,
        allocations=tuple(allocations),
        series=record.series,
        fiscal_year=record.fiscal_year,
        sequence=record.sequence,
        issued_at=record.issued_at,
        credits=record.credits,
    )


def _status(document: Invoice, allocations: list[Allocation]) -> InvoiceStatus:
    if document.is_credit_note:
        return InvoiceStatus.ISSUED
    if not allocations:  # nothing due at all is settled from the start
        return InvoiceStatus.ISSUED if document.amount_due.is_positive() else InvoiceStatus.PAID
    allocated = sum((a.amount.amount for a in allocations), Decimal(0))
    if allocated < document.amount_due.amount:
        return InvoiceStatus.PARTIALLY_PAID
    # settled: by credit notes alone (cancelled), or by payments at least in part
    credited_only = all(a.source_kind == "credit_note" for a in allocations)
    return InvoiceStatus.CREDITED if credited_only else InvoiceStatus.PAID


def _encode(document: Invoice) -> str:
    from backoffice.invoicing.schema import invoice_to_json

    return invoice_to_json(document)


def _decode(text: str) -> Invoice:
    from backoffice.invoicing.schema import invoice_from_json

    return invoice_from_json(text)
