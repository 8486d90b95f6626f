"""The payroll part of the store contract: what every adapter must do with pay runs and
payslips. Mixed into :class:`~backoffice.testing.contract.StoreContract`, whose
fixtures it uses (``store``, ``clock``).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest

from backoffice.core.time import ManualClock, Period
from backoffice.errors import DuplicateRecord, InvalidValue, NotFound, PayRunClosed
from backoffice.payroll import br
from backoffice.payroll.records import PayRuns
from backoffice.storage.ports import PayRunRecord, PayslipRecord, Store

__all__ = ["PayrollContract"]

_MAY = Period.month(2026, 5)
_PAID = date(2026, 6, 5)


class PayrollContract:
    """Pay runs and payslips, the same on every adapter."""

    def _run(self, clock: ManualClock, run_id: str = "r1", **changes: Any) -> PayRunRecord:
        record = PayRunRecord(
            id=run_id,
            country="BR",
            period_start=date(2026, 5, 1),
            period_end=date(2026, 5, 31),
            payment_date=_PAID,
            state="open",
            created_at=clock.now(),
        )
        return attrs.evolve(record, **changes)

    def _slip(
        self, clock: ManualClock, slip_id: str, employee: str, run_id: str = "r1"
    ) -> PayslipRecord:
        return PayslipRecord(
            id=slip_id,
            run_id=run_id,
            employee_key=employee,
            gross=Decimal("3000.00"),
            net=Decimal("2736.27"),
            currency="BRL",
            fingerprint="f" * 64,
            document='{"é": "ã"}',
            created_at=clock.now(),
        )

    def test_pay_runs_round_trip(self, store: Store, clock: ManualClock) -> None:
        first = self._run(clock)
        earlier = self._run(
            clock, "r0", period_start=date(2026, 4, 1), period_end=date(2026, 4, 30)
        )
        with store.unit_of_work() as uow:
            uow.payroll.add_run(first)
            uow.payroll.add_run(earlier)
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.payroll.get_run("r1") == first
            assert uow.payroll.get_run("nope") is None
            assert uow.payroll.runs() == [earlier, first]
            with pytest.raises(DuplicateRecord):
                uow.payroll.add_run(first)

    def test_payslips_round_trip_exactly(self, store: Store, clock: ManualClock) -> None:
        slips = [self._slip(clock, "s2", "E-2"), self._slip(clock, "s1", "E-1")]
        with store.unit_of_work() as uow:
            uow.payroll.add_run(self._run(clock))
            uow.payroll.add_run(self._run(clock, "r2"))
            uow.payroll.add_payslips(slips)
            uow.payroll.add_payslips([self._slip(clock, "s3", "E-1", run_id="r2")])
            uow.commit()
        with store.unit_of_work() as uow:
            found = uow.payroll.payslips("r1")
            assert found == [slips[1], slips[0]]  # by employee
            assert [str(s.gross) for s in found] == ["3000.00", "3000.00"]
            assert [s.id for s in uow.payroll.payslips("r2")] == ["s3"]
            assert uow.payroll.payslips("nope") == []

    def test_closing_a_run_once(self, store: Store, clock: ManualClock) -> None:
        with store.unit_of_work() as uow:
            uow.payroll.add_run(self._run(clock))
            uow.commit()
        later = clock.now() + timedelta(hours=1)
        with store.unit_of_work() as uow:
            uow.payroll.close_run("r1", later)
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.payroll.get_run("r1") == self._run(clock, state="closed", closed_at=later)
            with pytest.raises(PayRunClosed):
                uow.payroll.close_run("r1", later)
            with pytest.raises(NotFound):
                uow.payroll.close_run("nope", later)

    def test_a_closed_run_takes_no_payslip(self, store: Store, clock: ManualClock) -> None:
        with store.unit_of_work() as uow:
            uow.payroll.add_run(self._run(clock))
            uow.payroll.add_payslips([self._slip(clock, "s1", "E-1")])
            uow.payroll.close_run("r1", clock.now())
            uow.commit()
        with store.unit_of_work() as uow:
            with pytest.raises(PayRunClosed):
                uow.payroll.add_payslips([self._slip(clock, "s2", "E-2")])
            with pytest.raises(NotFound):
                uow.payroll.add_payslips([self._slip(clock, "s3", "E-3", run_id="nope")])
            uow.commit()
        with store.unit_of_work() as uow:
            assert [s.id for s in uow.payroll.payslips("r1")] == ["s1"]

    def test_one_payslip_per_employee_and_run_and_all_of_a_batch_or_none(
        self, store: Store, clock: ManualClock
    ) -> None:
        with store.unit_of_work() as uow:
            uow.payroll.add_run(self._run(clock))
            uow.payroll.add_payslips([self._slip(clock, "s1", "E-1")])
            uow.commit()
        refused = [
            [self._slip(clock, "s2", "E-2"), self._slip(clock, "s3", "E-1")],  # employee
            [self._slip(clock, "s2", "E-2"), self._slip(clock, "s1", "E-3")],  # id
            [self._slip(clock, "s2", "E-2"), self._slip(clock, "s3", "E-2")],  # in the batch
        ]
        for batch in refused:
            with store.unit_of_work() as uow:
                with pytest.raises(DuplicateRecord):
                    uow.payroll.add_payslips(batch)
                uow.commit()  # what came before the refusal is not kept either
        with store.unit_of_work() as uow:
            assert [s.id for s in uow.payroll.payslips("r1")] == ["s1"]

    def test_tenants_see_only_their_pay_runs(self, store: Store, clock: ManualClock) -> None:
        other = store.for_tenant("t2")
        with store.unit_of_work() as uow:
            uow.payroll.add_run(self._run(clock))
            uow.payroll.add_payslips([self._slip(clock, "s1", "E-1")])
            uow.commit()
        with other.unit_of_work() as uow:
            assert uow.payroll.get_run("r1") is None
            assert uow.payroll.runs() == []
            assert uow.payroll.payslips("r1") == []
            with pytest.raises(NotFound):
                uow.payroll.add_payslips([self._slip(clock, "s9", "E-1")])
            uow.payroll.add_run(self._run(clock))  # their own r1
            uow.payroll.add_payslips([self._slip(clock, "s1", "E-1")])
            uow.commit()

    def test_the_pay_run_cycle_through_the_service(self, store: Store, clock: ManualClock) -> None:
        runs = PayRuns(store, clock)
        run = runs.open_run("BR", _MAY, _PAID)
        slips = [
            br.calculate(br.Employee(f"E-{n}"), _MAY, br.BrazilInputs(gross, _PAID))
            for n, gross in enumerate(("3000.00", "8500.00"), start=1)
        ]
        runs.record(run, slips)
        assert runs.payslips(run) == slips
        june = br.calculate(br.Employee("E-3"), Period.month(2026, 6), br.BrazilInputs("1", _PAID))
        with pytest.raises(InvalidValue):
            runs.record(run, [june])
        runs.close(run)
        with pytest.raises(PayRunClosed):
            runs.record(run, slips)
        assert [e.type for e in store.pending_events()] == ["payroll.run_closed"]
        assert runs.payslips(run) == slips
