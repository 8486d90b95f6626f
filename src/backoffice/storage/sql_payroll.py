"""The payroll tables of the SQL adapters: statements, the schema 5 migration and the
repository of pay runs and their payslips.

Amounts are exact decimals (``NUMERIC``; text on SQLite), dates ISO text, instants
microseconds since the epoch, as in the rest of the schema. Payslips are inserted only
through a run that is still open (an ``INSERT … SELECT`` from the run's row, which
PostgreSQL locks against a concurrent close), and never updated nor deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from backoffice.errors import DuplicateRecord, NotFound, PayRunClosed
from backoffice.storage.ports import PayRunRecord, PayslipRecord
from backoffice.taxid.model import mask

if TYPE_CHECKING:
    from backoffice.storage.sql import Dialect, SqlUnitOfWork

__all__ = ["PAYROLL_TABLES", "PayrollStatements", "SqlPayroll"]

#: The tables schema 5 adds.
PAYROLL_TABLES: Final = ("bo_pay_runs", "bo_payslips")

_RUN_COLUMNS: Final = (
    "id, country, period_start, period_end, payment_date, state, created_at, closed_at"
)
_PAYSLIP_COLUMNS: Final = (
    "id, run_id, employee_key, gross, net, currency, fingerprint, document, created_at"
)


class PayrollStatements:
    """The payroll statements of one dialect."""

    def __init__(self, dialect: Dialect) -> None:
        p, c = dialect.param, dialect.collate
        self.dialect = dialect

        def values(count: int) -> str:
            return ", ".join([p] * count)

        self.run_insert = (
            f"INSERT INTO bo_pay_runs (tenant, {_RUN_COLUMNS}) VALUES ({values(9)}) "
            "ON CONFLICT (tenant, id) DO NOTHING"
        )
        self.run_get = f"SELECT {_RUN_COLUMNS} FROM bo_pay_runs WHERE tenant = {p} AND id = {p}"
        self.run_all = (
            f"SELECT {_RUN_COLUMNS} FROM bo_pay_runs WHERE tenant = {p} "
            f"ORDER BY period_start, created_at, id{c}"
        )
        self.run_close = (
            f"UPDATE bo_pay_runs SET state = 'closed', closed_at = {p} "
            f"WHERE tenant = {p} AND id = {p} AND state = 'open'"
        )
        # The run's row is read with a share lock (PostgreSQL): a concurrent close waits
        # for this transaction, or this insert for the close, which then finds no open run.
        share = " FOR SHARE" if dialect.row_locks else ""
        self.payslip_insert = (
            f"INSERT INTO bo_payslips (tenant, {_PAYSLIP_COLUMNS}) "
            f"SELECT tenant, {p}, id, {values(7)} FROM bo_pay_runs "
            f"WHERE tenant = {p} AND id = {p} AND state = 'open'{share} "
            "ON CONFLICT DO NOTHING"
        )
        self.payslip_get = (
            f"SELECT {_PAYSLIP_COLUMNS} FROM bo_payslips WHERE tenant = {p} AND id = {p}"
        )
        self.payslip_of_run = (
            f"SELECT {_PAYSLIP_COLUMNS} FROM bo_payslips WHERE tenant = {p} AND run_id = {p} "
            f"ORDER BY employee_key{c}, id{c}"
        )

    def migration(self) -> tuple[str, ...]:
        """Schema 5: pay runs and their payslips, one per employee and run."""
        d = self.dialect
        i, text, dec = d.integer, "TEXT NOT NULL", d.decimal
        return (
            "CREATE TABLE IF NOT EXISTS bo_pay_runs ("
            f"tenant {text}, id {text}, country {text}, period_start {text}, "
            f"period_end {text}, payment_date {text}, state {text}, "
            f"created_at {i} NOT NULL, closed_at {i}, PRIMARY KEY (tenant, id), "
            "CHECK (state IN ('open', 'closed')), "
            "CHECK ((state = 'open') = (closed_at IS NULL)))",
            "CREATE TABLE IF NOT EXISTS bo_payslips ("
            f"tenant {text}, id {text}, run_id {text}, employee_key {text}, "
            f"gross {dec} NOT NULL, net {dec} NOT NULL, currency {text}, "
            f"fingerprint {text}, document {text}, created_at {i} NOT NULL, "
            "PRIMARY KEY (tenant, id), "
            "UNIQUE (tenant, run_id, employee_key), "
            "FOREIGN KEY (tenant, run_id) REFERENCES bo_pay_runs (tenant, id))",
        )


class SqlPayroll:
    """Pay runs (``bo_pay_runs``) and payslips (``bo_payslips``)."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow
        self._sql = uow.sql.payroll
        self._tenant = uow.tenant

    def _run(self, statement: str, *params: Any) -> Any:
        return self._uow.execute(statement, params)

    def add_run(self, record: PayRunRecord) -> None:
        result = self._run(
            self._sql.run_insert,
            self._tenant,
            record.id,
            record.country,
            record.period_start.isoformat(),
            record.period_end.isoformat(),
            record.payment_date.isoformat(),
            record.state,
            _base.to_epoch_micros(record.created_at, "created_at"),
            None
            if record.closed_at is None
            else _base.to_epoch_micros(record.closed_at, "closed_at"),
        )
        if not result.rowcount:
            raise DuplicateRecord(record="pay run", key=record.id)

    def get_run(self, run_id: str) -> PayRunRecord | None:
        rows = self._run(self._sql.run_get, self._tenant, run_id).rows
        return _pay_run(rows[0]) if rows else None

    def _refusal(self, run_id: str) -> NotFound | PayRunClosed | None:
        """Why ``run_id`` took no write: it does not exist, or it is closed."""
        found = self.get_run(run_id)
        if found is None:
            return NotFound(record="pay run", key=run_id)
        if found.state != "open":
            return PayRunClosed(key=run_id)
        return None

    def close_run(self, run_id: str, at: datetime) -> None:
        moment = _base.to_epoch_micros(at, "at")
        if not self._run(self._sql.run_close, moment, self._tenant, run_id).rowcount:
            raise self._refusal(run_id) or PayRunClosed(key=run_id)

    def add_payslips(self, records: Sequence[PayslipRecord]) -> None:
        if not records:
            return
        sql = self._uow.sql
        self._run(sql.savepoint)  # all of the batch or none of it
        refused: PayslipRecord | None = None
        for record in records:
            result = self._run(
                self._sql.payslip_insert,
                record.id,
                record.employee_key,
                _base.decimal_text(record.gross),
                _base.decimal_text(record.net),
                record.currency,
                record.fingerprint,
                record.document,
                _base.to_epoch_micros(record.created_at, "created_at"),
                self._tenant,
                record.run_id,
            )
            if not result.rowcount:
                refused = record
                break
        if refused is not None:
            self._run(sql.savepoint_rollback)
        self._run(sql.savepoint_release)
        if refused is not None:
            raise self._refusal(refused.run_id) or self._duplicate(refused)

    def _duplicate(self, record: PayslipRecord) -> DuplicateRecord:
        if self._run(self._sql.payslip_get, self._tenant, record.id).rows:
            return DuplicateRecord(record="payslip", key=record.id)
        return DuplicateRecord(
            record="payslip of employee", key=f"{record.run_id}/{mask(record.employee_key)}"
        )

    def payslips(self, run_id: str) -> list[PayslipRecord]:
        rows = self._run(self._sql.payslip_of_run, self._tenant, run_id).rows
        return [_payslip(row) for row in rows]

    def runs(self) -> list[PayRunRecord]:
        return [_pay_run(row) for row in self._run(self._sql.run_all, self._tenant).rows]


def _pay_run(row: Sequence[Any]) -> PayRunRecord:
    run_id, country, start, end, payment_date, state, created_at, closed_at = row
    return PayRunRecord(
        id=run_id,
        country=country,
        period_start=_base.day_column(start),
        period_end=_base.day_column(end),
        payment_date=_base.day_column(payment_date),
        state=state,
        created_at=_base.from_epoch_micros(created_at),
        closed_at=None if closed_at is None else _base.from_epoch_micros(closed_at),
    )


def _payslip(row: Sequence[Any]) -> PayslipRecord:
    payslip_id, run_id, employee_key, gross, net, currency, fingerprint, document, at = row
    return PayslipRecord(
        id=payslip_id,
        run_id=run_id,
        employee_key=employee_key,
        gross=_base.decimal_column(gross),
        net=_base.decimal_column(net),
        currency=currency,
        fingerprint=fingerprint,
        document=document,
        created_at=_base.from_epoch_micros(at),
    )


# Last: ``sql`` imports this module, and this module uses ``sql`` only at call time;
# imported here, either module can be imported first.
from backoffice.storage import sql as _base  # noqa: E402
