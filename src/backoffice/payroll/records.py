"""Payslips kept: a JSON form of :class:`~backoffice.payroll.payslip.Payslip` and
:class:`PayRuns`, which stores the payslips of a pay run.

The JSON form (:func:`payslip_to_json`, read back by :func:`payslip_from_json`) keeps
everything a payslip shows: amounts as exact decimal strings with their currency, rates
as exact ratios, every line's labels (English, French, Brazilian Portuguese), the
parameter versions each line read (name and ``valid_from``), the findings and the
fingerprint.

A pay run holds the payslips of one country for one period, paid on one day. It is
opened, takes payslips, then is closed (``payroll.run_closed`` goes to the outbox).
Issued payslips are never changed nor deleted, and a closed run takes no more: a
correction is a new payslip, calculated again, recorded in a later run (there is no
edit API).

>>> from datetime import date
>>> from backoffice.core.time import Period
>>> from backoffice.payroll import br
>>> from backoffice.storage.memory import MemoryStore
>>> store = MemoryStore()
>>> _ = store.migrate()
>>> runs = PayRuns(store)
>>> may = Period.month(2026, 5)
>>> run = runs.open_run("BR", may, date(2026, 6, 5))
>>> slip = br.calculate(br.Employee("E-1"), may, br.BrazilInputs("3000.00", date(2026, 6, 5)))
>>> _ = runs.record(run, [slip])
>>> runs.close(run)
>>> runs.payslips(run) == [slip]
True
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from backoffice.compliance.journal import record_many
from backoffice.core.money import Money, Rate
from backoffice.core.time import Clock, Period, SystemClock
from backoffice.errors import BackofficeError, InvalidValue, NotFound, PayRunClosed
from backoffice.payroll.parameters import ParameterRef
from backoffice.payroll.payslip import Finding, PayLine, Payslip, calendar_month
from backoffice.storage.ports import PayRunRecord, PayslipRecord, Store, UnitOfWork

__all__ = ["FORMAT", "PayRuns", "payslip_from_json", "payslip_to_json"]

#: The ``format`` member of every payslip document.
FORMAT: Final = "backoffice.payslip/1"


def _line(line: PayLine) -> dict[str, Any]:
    return {
        "code": line.code,
        "label": dict(line.label),
        "base": line.base.to_dict(),
        "rate": None if line.rate is None else format(line.rate.ratio, "f"),
        "amount": line.amount.to_dict(),
        "side": line.side.value,
        "rounding": line.rounding,
        "axis": line.axis.value,
        "parameters": [
            {"name": ref.name, "valid_from": ref.valid_from.isoformat()} for ref in line.parameters
        ],
        "explanation": list(line.explanation),
    }


def payslip_to_json(payslip: Payslip) -> str:
    """The payslip as a JSON document (keys sorted, UTF-8 text kept as is)."""
    document = {
        "format": FORMAT,
        "employee_id": payslip.employee_id,
        "period": {
            "start": payslip.period.start.isoformat(),
            "end": payslip.period.end.isoformat(),
        },
        "payment_date": payslip.payment_date.isoformat(),
        "gross": payslip.gross.to_dict(),
        "lines": [_line(line) for line in payslip.lines],
        "findings": [{"code": f.code, "message": f.message} for f in payslip.findings],
        "fingerprint": payslip.fingerprint,
    }
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _read_rate(value: Any) -> Rate | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidValue(field="rate", reason=f"must be a decimal string, got {value!r}")
    return Rate(Decimal(value), maximum_percent=None)


def _read_line(value: Mapping[str, Any]) -> PayLine:
    return PayLine(
        code=value["code"],
        label=dict(value["label"]),
        base=Money.from_dict(value["base"]),
        rate=_read_rate(value["rate"]),
        amount=Money.from_dict(value["amount"]),
        side=value["side"],
        rounding=value["rounding"],
        axis=value["axis"],
        parameters=tuple(
            ParameterRef(ref["name"], date.fromisoformat(ref["valid_from"]))
            for ref in value["parameters"]
        ),
        explanation=tuple(value["explanation"]),
    )


def payslip_from_json(text: str) -> Payslip:
    """The payslip that :func:`payslip_to_json` wrote.

    Raises:
        InvalidValue: ``text`` is not such a document.
    """
    try:
        document = json.loads(text)
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise InvalidValue(field="document", reason=f"not a {FORMAT} document")
        period = document["period"]
        return Payslip(
            employee_id=document["employee_id"],
            period=Period(date.fromisoformat(period["start"]), date.fromisoformat(period["end"])),
            payment_date=date.fromisoformat(document["payment_date"]),
            gross=Money.from_dict(document["gross"]),
            lines=tuple(_read_line(line) for line in document["lines"]),
            findings=tuple(Finding(f["code"], f["message"]) for f in document["findings"]),
            fingerprint=document["fingerprint"],
        )
    except InvalidValue:
        raise
    except BackofficeError as error:  # an amount or a field the model refuses
        raise InvalidValue(
            field="document", reason=f"not a readable payslip: {error.message}"
        ) from error
    except (ValueError, TypeError, KeyError, InvalidOperation) as error:
        raise InvalidValue(
            field="document", reason=f"not a readable payslip: {type(error).__name__}: {error}"
        ) from error


#: The countries with a pack, and the currency of their payslips.
_CURRENCIES: Final = {"FR": "EUR", "BR": "BRL"}


#: The audit journal series of a pay run's payslips and closing (``payroll/<run id>``):
#: each recorded payslip is journaled by its id, fingerprint and the SHA-256 of its stored
#: JSON form -- never the employee or the pay, which the append-only journal would keep
#: for good.
PAYROLL_JOURNAL: Final = "payroll/"


def _paid(value: object) -> date:
    from backoffice.invoicing.terms import _day

    return _day(value, "payment_date")


class PayRuns:
    """Pay runs and their payslips, kept in a store.

    Args:
        store: where runs and payslips are kept.
        clock: gives "now" (a :class:`~backoffice.core.time.SystemClock` by default).
    """

    def __init__(self, store: Store, clock: Clock | None = None) -> None:
        self.store = store
        self.clock: Clock = clock or SystemClock()

    def open_run(
        self, country: str, period: Period, payment_date: date, *, id: str | None = None
    ) -> str:
        """Open a run of ``country``'s payslips for ``period``, paid on
        ``payment_date``; return its id.

        Raises:
            DuplicateRecord: a run with that ``id`` exists.
            InvalidValue: an unknown country, a period that is not one calendar month.
            InvalidType: a payment date that is not a date.
        """
        if country not in _CURRENCIES:
            raise InvalidValue(
                field="country",
                reason=f"no pack for {country!r}: use one of {', '.join(sorted(_CURRENCIES))}",
            )
        period = calendar_month(period)
        payment_date = _paid(payment_date)
        record = PayRunRecord(
            id=uuid.uuid4().hex if id is None else id,
            country=country,
            period_start=period.start,
            period_end=period.end,
            payment_date=payment_date,
            state="open",
            created_at=self.clock.now(),
        )
        self.store.run(lambda uow: uow.payroll.add_run(record))
        return record.id

    def get(self, run_id: str) -> PayRunRecord:
        """The run ``run_id``.

        Raises:
            NotFound: no such run.
        """
        return self.store.run(lambda uow: _run_of(uow, run_id))

    def record(self, run_id: str, payslips: Iterable[Payslip]) -> list[str]:
        """Store ``payslips`` in the open run ``run_id``, each with its fingerprint and
        its JSON form; return their ids, in order. All of them or none.

        Raises:
            NotFound: no such run.
            PayRunClosed: the run is closed (record a correction in a later run).
            InvalidValue: a payslip's period is not the run's.
            DuplicateRecord: the run has a payslip of that employee already.
        """
        slips = list(payslips)
        now = self.clock.now()

        def work(uow: UnitOfWork) -> list[str]:
            run = _run_of(uow, run_id)
            if run.state != "open":
                raise PayRunClosed(key=run_id)
            period = Period(run.period_start, run.period_end)
            records = []
            for index, slip in enumerate(slips):
                if not isinstance(slip, Payslip):
                    raise InvalidValue(
                        field=f"payslips.{index}", reason=f"is not a Payslip: {slip!r}"
                    )
                if slip.payment_date != run.payment_date:
                    raise InvalidValue(
                        field=f"payslips.{index}.payment_date",
                        reason=f"the payslip is paid on {slip.payment_date.isoformat()}, the run "
                        f"on {run.payment_date.isoformat()}: recompute it with the run's date "
                        "(taxes follow the payment date)",
                    )
                if slip.gross.currency.code != _CURRENCIES[run.country]:
                    raise InvalidValue(
                        field=f"payslips.{index}.gross",
                        reason=f"the payslip is in {slip.gross.currency.code}, a {run.country} "
                        f"run in {_CURRENCIES[run.country]}",
                    )
                if slip.period != period:
                    raise InvalidValue(
                        field=f"payslips.{index}.period",
                        reason=f"the payslip is for {slip.period}, the run for {period}",
                    )
                records.append(
                    PayslipRecord(
                        id=uuid.uuid4().hex,
                        run_id=run_id,
                        employee_key=slip.employee_id,
                        gross=slip.gross.amount,
                        net=slip.net.amount,
                        currency=slip.gross.currency.code,
                        fingerprint=slip.fingerprint,
                        document=payslip_to_json(slip),
                        created_at=now,
                    )
                )
            uow.payroll.add_payslips(records)
            record_many(
                uow,
                {
                    PAYROLL_JOURNAL + run_id: [
                        (
                            "payslip.recorded",
                            record.id,
                            {
                                "run": run_id,
                                "fingerprint": record.fingerprint,
                                "document_sha256": hashlib.sha256(
                                    record.document.encode("utf-8")
                                ).hexdigest(),
                            },
                            now,
                        )
                        for record in records
                    ]
                },
                plain=True,
            )
            return [record.id for record in records]

        return self.store.run(work)

    def close(self, run_id: str) -> None:
        """Close the run: it takes no more payslips. ``payroll.run_closed`` goes to the
        outbox.

        Raises:
            NotFound: no such run.
            PayRunClosed: it is closed already.
        """
        now = self.clock.now()

        def work(uow: UnitOfWork) -> None:
            run = _run_of(uow, run_id)
            uow.payroll.close_run(run_id, now)
            payload = {
                "id": run_id,
                "country": run.country,
                "period_start": run.period_start.isoformat(),
                "period_end": run.period_end.isoformat(),
                "payment_date": run.payment_date.isoformat(),
                "payslips": len(uow.payroll.payslips(run_id)),
            }
            uow.outbox.append("payroll.run_closed", payload, now)
            record_many(
                uow,
                {PAYROLL_JOURNAL + run_id: [("payroll.run_closed", run_id, payload, now)]},
                plain=True,
            )

        self.store.run(work)

    def payslips(self, run_id: str) -> list[Payslip]:
        """The run's payslips, by employee.

        Raises:
            NotFound: no such run.
        """

        def work(uow: UnitOfWork) -> list[PayslipRecord]:
            _run_of(uow, run_id)
            return uow.payroll.payslips(run_id)

        return [payslip_from_json(record.document) for record in self.store.run(work)]

    def runs(self) -> list[PayRunRecord]:
        """Every run, by period."""
        return self.store.run(lambda uow: uow.payroll.runs())


def _run_of(uow: UnitOfWork, run_id: str) -> PayRunRecord:
    found = uow.payroll.get_run(run_id)
    if found is None:
        raise NotFound(record="pay run", key=run_id)
    return found
