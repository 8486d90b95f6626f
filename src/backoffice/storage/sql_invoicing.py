"""The invoicing tables of the SQL adapters: statements, the schema 4 migration and the
repositories (invoices with their numbering counters, payments and allocations).

Amounts are exact decimals (``NUMERIC``; text on SQLite), dates ISO text, instants
microseconds since the epoch, as in the rest of the schema.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Final

from backoffice.errors import DuplicateRecord, InvoiceIssued, NotFound
from backoffice.storage.ports import AllocationRecord, InvoiceRecord, PaymentRecord

if TYPE_CHECKING:
    from backoffice.storage.sql import Dialect, SqlUnitOfWork

__all__ = ["InvoicingStatements", "SqlInvoices", "SqlPayments"]

#: The tables schema 4 adds.
INVOICING_TABLES: Final = ("bo_invoices", "bo_invoice_counters", "bo_payments", "bo_allocations")

_INVOICE_COLUMNS: Final = (
    "id, state, type_code, customer, currency, amount_due, document, created_at, series, "
    "fiscal_year, sequence, number, issue_date, due_date, issued_at, credits"
)
_PAYMENT_COLUMNS: Final = (
    "id, customer, currency, amount, kind, received_on, recorded_at, reference"
)
_ALLOCATION_COLUMNS: Final = "id, source, source_kind, invoice, customer, currency, amount, at"


class InvoicingStatements:
    """The invoicing statements of one dialect."""

    def __init__(self, dialect: Dialect) -> None:
        p, c = dialect.param, dialect.collate
        self.dialect = dialect

        def values(count: int) -> str:
            return ", ".join([p] * count)

        self.invoice_insert = (
            f"INSERT INTO bo_invoices (tenant, {_INVOICE_COLUMNS}) VALUES ({values(17)}) "
            "ON CONFLICT (tenant, id) DO NOTHING"
        )
        self.invoice_get = (
            f"SELECT {_INVOICE_COLUMNS} FROM bo_invoices WHERE tenant = {p} AND id = {p}"
        )
        self.invoice_by_number = (
            f"SELECT {_INVOICE_COLUMNS} FROM bo_invoices WHERE tenant = {p} AND number = {p}"
        )
        self.invoice_state = (
            f"SELECT state, number FROM bo_invoices WHERE tenant = {p} AND id = {p}"
        )
        self.invoice_replace_draft = (
            f"UPDATE bo_invoices SET customer = {p}, currency = {p}, amount_due = {p}, "
            f"document = {p}, type_code = {p}, due_date = {p}, credits = {p} "
            f"WHERE tenant = {p} AND id = {p} AND state = 'draft'"
        )
        self.invoice_delete_draft = (
            f"DELETE FROM bo_invoices WHERE tenant = {p} AND id = {p} AND state = 'draft'"
        )
        self.invoice_issue = (
            f"UPDATE bo_invoices SET state = 'issued', series = {p}, fiscal_year = {p}, "
            f"sequence = {p}, number = {p}, issue_date = {p}, due_date = {p}, issued_at = {p}, "
            f"document = {p}, amount_due = {p}, customer = {p}, credits = {p} "
            f"WHERE tenant = {p} AND id = {p} AND state = 'draft'"
        )
        order = f"ORDER BY created_at, id{c}"
        self.invoice_of_customer = (
            f"SELECT {_INVOICE_COLUMNS} FROM bo_invoices WHERE tenant = {p} AND customer = {p} "
            f"{order}"
        )
        self.invoice_all = f"SELECT {_INVOICE_COLUMNS} FROM bo_invoices WHERE tenant = {p} {order}"
        self.invoice_issued = (
            f"SELECT {_INVOICE_COLUMNS} FROM bo_invoices WHERE tenant = {p} "
            f"AND state = 'issued' ORDER BY series{c}, fiscal_year, sequence, id{c}"
        )
        #: One statement takes the next number and the counter's row lock (PostgreSQL)
        #: until the end of the transaction; SQLite runs one writer at a time.
        self.counter_take = (
            "INSERT INTO bo_invoice_counters (tenant, series, fiscal_year, last, last_issue_date) "
            f"VALUES ({values(3)}, 1, NULL) ON CONFLICT (tenant, series, fiscal_year) "
            "DO UPDATE SET last = bo_invoice_counters.last + 1"
        )
        if dialect.returning:
            self.counter_take += " RETURNING last, last_issue_date"
        self.counter_get = (
            "SELECT last, last_issue_date FROM bo_invoice_counters "
            f"WHERE tenant = {p} AND series = {p} AND fiscal_year = {p}"
        )
        self.counter_date = (
            f"UPDATE bo_invoice_counters SET last_issue_date = {p} "
            f"WHERE tenant = {p} AND series = {p} AND fiscal_year = {p}"
        )
        self.counter_all = (
            "SELECT series, fiscal_year, last FROM bo_invoice_counters "
            f"WHERE tenant = {p} ORDER BY series{c}, fiscal_year"
        )

        self.payment_insert = (
            f"INSERT INTO bo_payments (tenant, {_PAYMENT_COLUMNS}) VALUES ({values(9)}) "
            "ON CONFLICT (tenant, id) DO NOTHING"
        )
        self.payment_get = (
            f"SELECT {_PAYMENT_COLUMNS} FROM bo_payments WHERE tenant = {p} AND id = {p}"
        )
        self.payment_of_customer = (
            f"SELECT {_PAYMENT_COLUMNS} FROM bo_payments WHERE tenant = {p} AND customer = {p} "
            f"ORDER BY recorded_at, id{c}"
        )
        self.allocation_insert = (
            f"INSERT INTO bo_allocations (tenant, {_ALLOCATION_COLUMNS}) VALUES ({values(9)})"
        )
        allocations = f"SELECT {_ALLOCATION_COLUMNS} FROM bo_allocations WHERE tenant = {p}"
        self.allocation_of_invoice = f"{allocations} AND invoice = {p} ORDER BY at, id{c}"
        self.allocation_of_customer = f"{allocations} AND customer = {p} ORDER BY at, id{c}"
        self.allocation_of_both = (
            f"{allocations} AND invoice = {p} AND customer = {p} ORDER BY at, id{c}"
        )
        self.allocation_all = f"{allocations} ORDER BY at, id{c}"

    def migration(self) -> tuple[str, ...]:
        """Schema 4: invoices and credit notes, numbering counters, payments and their
        allocations. Numbers are unique per tenant, and per series and fiscal year."""
        d = self.dialect
        i, text, dec = d.integer, "TEXT NOT NULL", d.decimal
        return (
            "CREATE TABLE IF NOT EXISTS bo_invoices ("
            f"tenant {text}, id {text}, state {text}, type_code {text}, customer {text}, "
            f"currency {text}, amount_due {dec} NOT NULL, document {text}, "
            f"created_at {i} NOT NULL, series TEXT, fiscal_year {i}, sequence {i}, "
            f"number TEXT, issue_date TEXT, due_date TEXT, issued_at {i}, credits TEXT, "
            "PRIMARY KEY (tenant, id), "
            "CHECK (state IN ('draft', 'issued')), "
            "CHECK ((state = 'draft') = (number IS NULL)))",
            "CREATE UNIQUE INDEX IF NOT EXISTS bo_invoices_number ON bo_invoices "
            "(tenant, number) WHERE number IS NOT NULL",
            "CREATE UNIQUE INDEX IF NOT EXISTS bo_invoices_sequence ON bo_invoices "
            "(tenant, series, fiscal_year, sequence) WHERE sequence IS NOT NULL",
            "CREATE INDEX IF NOT EXISTS bo_invoices_customer ON bo_invoices "
            "(tenant, customer, created_at)",
            "CREATE TABLE IF NOT EXISTS bo_invoice_counters ("
            f"tenant {text}, series {text}, fiscal_year {i} NOT NULL, last {i} NOT NULL, "
            "last_issue_date TEXT, PRIMARY KEY (tenant, series, fiscal_year))",
            "CREATE TABLE IF NOT EXISTS bo_payments ("
            f"tenant {text}, id {text}, customer {text}, currency {text}, "
            f"amount {dec} NOT NULL, kind {text}, received_on {text}, "
            f"recorded_at {i} NOT NULL, reference TEXT, PRIMARY KEY (tenant, id), "
            "CHECK (kind IN ('payment', 'refund')))",
            "CREATE INDEX IF NOT EXISTS bo_payments_customer ON bo_payments "
            "(tenant, customer, recorded_at)",
            "CREATE TABLE IF NOT EXISTS bo_allocations ("
            f"tenant {text}, id {text}, source {text}, source_kind {text}, invoice {text}, "
            f"customer {text}, "
            f"currency {text}, amount {dec} NOT NULL, at {i} NOT NULL, "
            "PRIMARY KEY (tenant, id))",
            "CREATE INDEX IF NOT EXISTS bo_allocations_invoice ON bo_allocations (tenant, invoice)",
            "CREATE INDEX IF NOT EXISTS bo_allocations_customer ON bo_allocations "
            "(tenant, customer)",
        )


def _day(value: Any) -> date | None:
    return None if value is None else _base.day_column(value)


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


class _Repository:
    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow
        self._sql = uow.sql.invoicing
        self._tenant = uow.tenant

    def _run(self, statement: str, *params: Any) -> Any:
        return self._uow.execute(statement, params)


class SqlInvoices(_Repository):
    """Invoices and credit notes (``bo_invoices``) and numbering counters
    (``bo_invoice_counters``)."""

    def add(self, record: InvoiceRecord) -> None:
        result = self._run(
            self._sql.invoice_insert,
            self._tenant,
            record.id,
            record.state,
            record.type_code,
            record.customer,
            record.currency,
            _base.decimal_text(record.amount_due),
            record.document,
            _base.to_epoch_micros(record.created_at, "created_at"),
            record.series,
            record.fiscal_year,
            record.sequence,
            record.number,
            _iso(record.issue_date),
            _iso(record.due_date),
            None
            if record.issued_at is None
            else _base.to_epoch_micros(record.issued_at, "issued_at"),
            record.credits,
        )
        if not result.rowcount:
            raise DuplicateRecord(record="invoice", key=record.id)

    def get(self, invoice_id: str) -> InvoiceRecord | None:
        rows = self._run(self._sql.invoice_get, self._tenant, invoice_id).rows
        return _invoice(rows[0]) if rows else None

    def by_number(self, number: str) -> InvoiceRecord | None:
        rows = self._run(self._sql.invoice_by_number, self._tenant, number).rows
        return _invoice(rows[0]) if rows else None

    def _refuse(self, invoice_id: str) -> None:
        rows = self._run(self._sql.invoice_state, self._tenant, invoice_id).rows
        if not rows:
            raise NotFound(record="invoice", key=invoice_id)
        raise InvoiceIssued(key=invoice_id, number=rows[0][1])

    def replace_draft(self, record: InvoiceRecord) -> None:
        result = self._run(
            self._sql.invoice_replace_draft,
            record.customer,
            record.currency,
            _base.decimal_text(record.amount_due),
            record.document,
            record.type_code,
            _iso(record.due_date),
            record.credits,
            self._tenant,
            record.id,
        )
        if not result.rowcount:
            self._refuse(record.id)

    def delete_draft(self, invoice_id: str) -> None:
        if not self._run(self._sql.invoice_delete_draft, self._tenant, invoice_id).rowcount:
            self._refuse(invoice_id)

    def issue(self, record: InvoiceRecord) -> None:
        assert record.issued_at is not None
        result = self._run(
            self._sql.invoice_issue,
            record.series,
            record.fiscal_year,
            record.sequence,
            record.number,
            _iso(record.issue_date),
            _iso(record.due_date),
            _base.to_epoch_micros(record.issued_at, "issued_at"),
            record.document,
            _base.decimal_text(record.amount_due),
            record.customer,
            record.credits,
            self._tenant,
            record.id,
        )
        if not result.rowcount:
            self._refuse(record.id)

    def take_number(
        self, series: str, fiscal_year: int, issue_date: date
    ) -> tuple[int, date | None]:
        result = self._run(self._sql.counter_take, self._tenant, series, fiscal_year)
        rows = (
            result.rows or self._run(self._sql.counter_get, self._tenant, series, fiscal_year).rows
        )
        last, previous = rows[0]
        self._run(self._sql.counter_date, issue_date.isoformat(), self._tenant, series, fiscal_year)
        return int(last), _day(previous)

    def counters(self) -> list[tuple[str, int, int]]:
        rows = self._run(self._sql.counter_all, self._tenant).rows
        return [(str(series), int(year), int(last)) for series, year, last in rows]

    def issued(self) -> list[InvoiceRecord]:
        return [_invoice(row) for row in self._run(self._sql.invoice_issued, self._tenant).rows]

    def of_customer(self, customer: str) -> list[InvoiceRecord]:
        rows = self._run(self._sql.invoice_of_customer, self._tenant, customer).rows
        return [_invoice(row) for row in rows]

    def all(self) -> list[InvoiceRecord]:
        return [_invoice(row) for row in self._run(self._sql.invoice_all, self._tenant).rows]


def _invoice(row: Sequence[Any]) -> InvoiceRecord:
    (
        invoice_id,
        state,
        type_code,
        customer,
        currency,
        amount_due,
        document,
        created_at,
        series,
        fiscal_year,
        sequence,
        number,
        issue_date,
        due_date,
        issued_at,
        credits,
    ) = row
    return InvoiceRecord(
        id=invoice_id,
        state=state,
        type_code=type_code,
        customer=customer,
        currency=currency,
        amount_due=_base.decimal_column(amount_due),
        document=document,
        created_at=_base.from_epoch_micros(created_at),
        series=series,
        fiscal_year=None if fiscal_year is None else int(fiscal_year),
        sequence=None if sequence is None else int(sequence),
        number=number,
        issue_date=_day(issue_date),
        due_date=_day(due_date),
        issued_at=None if issued_at is None else _base.from_epoch_micros(issued_at),
        credits=credits,
    )


class SqlPayments(_Repository):
    """Payments and refunds (``bo_payments``) and allocations (``bo_allocations``)."""

    def add(self, payment: PaymentRecord) -> None:
        result = self._run(
            self._sql.payment_insert,
            self._tenant,
            payment.id,
            payment.customer,
            payment.currency,
            _base.decimal_text(payment.amount),
            payment.kind,
            payment.received_on.isoformat(),
            _base.to_epoch_micros(payment.recorded_at, "recorded_at"),
            payment.reference,
        )
        if not result.rowcount:
            raise DuplicateRecord(record="payment", key=payment.id)

    def get(self, payment_id: str) -> PaymentRecord | None:
        rows = self._run(self._sql.payment_get, self._tenant, payment_id).rows
        return _payment(rows[0]) if rows else None

    def of_customer(self, customer: str) -> list[PaymentRecord]:
        rows = self._run(self._sql.payment_of_customer, self._tenant, customer).rows
        return [_payment(row) for row in rows]

    def allocate(self, allocations: Sequence[AllocationRecord]) -> None:
        if not allocations:
            return
        self._uow.execute_many(
            self._sql.allocation_insert,
            [
                (
                    self._tenant,
                    allocation.id,
                    allocation.source,
                    allocation.source_kind,
                    allocation.invoice,
                    allocation.customer,
                    allocation.currency,
                    _base.decimal_text(allocation.amount),
                    _base.to_epoch_micros(allocation.at, "at"),
                )
                for allocation in allocations
            ],
        )

    def allocations(
        self, *, invoice: str | None = None, customer: str | None = None
    ) -> list[AllocationRecord]:
        if invoice is not None and customer is not None:
            rows = self._run(self._sql.allocation_of_both, self._tenant, invoice, customer).rows
        elif invoice is not None:
            rows = self._run(self._sql.allocation_of_invoice, self._tenant, invoice).rows
        elif customer is not None:
            rows = self._run(self._sql.allocation_of_customer, self._tenant, customer).rows
        else:
            rows = self._run(self._sql.allocation_all, self._tenant).rows
        return [_allocation(row) for row in rows]


def _payment(row: Sequence[Any]) -> PaymentRecord:
    payment_id, customer, currency, amount, kind, received_on, recorded_at, reference = row
    day = _day(received_on)
    assert day is not None
    return PaymentRecord(
        id=payment_id,
        customer=customer,
        currency=currency,
        amount=_base.decimal_column(amount),
        kind=kind,
        received_on=day,
        recorded_at=_base.from_epoch_micros(recorded_at),
        reference=reference,
    )


def _allocation(row: Sequence[Any]) -> AllocationRecord:
    allocation_id, source, source_kind, invoice, customer, currency, amount, at = row
    return AllocationRecord(
        id=allocation_id,
        source=source,
        source_kind=source_kind,
        invoice=invoice,
        customer=customer,
        currency=currency,
        amount=_base.decimal_column(amount),
        at=_base.from_epoch_micros(at),
    )


# Last: ``sql`` imports this module, and this module uses ``sql`` only at call time;
# imported here, either module can be imported first.
from backoffice.storage import sql as _base  # noqa: E402
