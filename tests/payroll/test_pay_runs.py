"""Payslips kept: the JSON form of a payslip and pay runs on the memory store, with
Brazil payslips."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from backoffice.core.money import Money
from backoffice.core.time import ManualClock, Period
from backoffice.errors import DuplicateRecord, InvalidType, InvalidValue, NotFound, PayRunClosed
from backoffice.payroll import Payslip, br
from backoffice.payroll.records import PayRuns, payslip_from_json, payslip_to_json
from backoffice.storage.memory import MemoryStore

MAY = Period.month(2026, 5)
PAID = date(2026, 6, 5)
START = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def slip(
    employee: str = "390.533.447-05",
    gross: str = "3000.00",
    period: Period = MAY,
    *,
    dependants: int = 0,
    alimony: str = "0",
    full_month: bool = True,
) -> Payslip:
    return br.calculate(
        br.Employee(employee, dependants=dependants),
        period,
        br.BrazilInputs(gross, PAID, alimony=Money(alimony, "BRL"), full_month=full_month),
    )


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def store() -> MemoryStore:
    store = MemoryStore()
    store.migrate()
    return store


@pytest.fixture
def runs(store: MemoryStore, clock: ManualClock) -> PayRuns:
    return PayRuns(store, clock)


# -- JSON form ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payslip",
    [
        slip(),
        slip("E-2", "8500.00", dependants=2, alimony="500.00"),
        slip("E-3", "1000.00"),  # below the minimum wage: a finding
        slip("E-4", "1000.00", Period.month(2025, 3), full_month=False),
    ],
)
def test_a_payslip_reads_back_the_same(payslip: Payslip) -> None:
    text = payslip_to_json(payslip)
    back = payslip_from_json(text)
    assert back == payslip
    assert back.fingerprint == payslip.fingerprint
    assert back.findings == payslip.findings
    assert back.parameters == payslip.parameters
    for read, line in zip(back.lines, payslip.lines, strict=True):
        assert dict(read.label) == dict(line.label)  # labels are not compared by ==
        assert read.explanation == line.explanation
        assert read.rate == line.rate
        assert str(read.amount.amount) == str(line.amount.amount)
    assert payslip_to_json(back) == text


def test_the_json_form_keeps_exact_decimals_labels_and_parameter_versions() -> None:
    document = json.loads(payslip_to_json(slip("E-3", "1000.00")))
    assert document["format"] == "backoffice.payslip/1"
    assert document["gross"] == {"amount": "1000.00", "currency": "BRL"}
    assert document["period"] == {"start": "2026-05-01", "end": "2026-05-31"}
    assert document["payment_date"] == "2026-06-05"
    inss = document["lines"][0]
    assert inss["code"] == "INSS"
    assert set(inss["label"]) == {"en", "fr", "pt_BR"}
    assert all(isinstance(ref["valid_from"], str) for ref in inss["parameters"])
    assert inss["parameters"] and all(
        ref["valid_from"] == "2026-01-01" for ref in inss["parameters"]
    )
    fgts = document["lines"][2]
    assert fgts["rate"] == "0.08"
    assert [f["code"] for f in document["findings"]] == ["BR.below_minimum_wage"]
    assert len(document["fingerprint"]) == 64


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        '{"format": "other"}',
        '{"format": "backoffice.payslip/1"}',
        payslip_to_json(slip()).replace('"1000.00"', '"x"').replace('"3000.00"', '"x"'),
    ],
)
def test_what_is_not_a_payslip_document_is_refused(text: str) -> None:
    with pytest.raises(InvalidValue):
        payslip_from_json(text)


# -- pay runs ----------------------------------------------------------------------------


def test_a_pay_run_keeps_its_payslips_with_their_fingerprints(
    runs: PayRuns, store: MemoryStore, clock: ManualClock
) -> None:
    run = runs.open_run("BR", MAY, PAID)
    slips = [slip("E-2", "8500.00", dependants=1), slip("E-1")]
    ids = runs.record(run, slips)
    assert len(ids) == len(set(ids)) == 2
    assert runs.payslips(run) == [slips[1], slips[0]]  # by employee
    records = store.run(lambda uow: uow.payroll.payslips(run))
    assert [r.fingerprint for r in records] == [slips[1].fingerprint, slips[0].fingerprint]
    assert [r.net for r in records] == [slips[1].net.amount, slips[0].net.amount]
    assert {r.currency for r in records} == {"BRL"}
    opened = runs.get(run)
    assert (opened.state, opened.period_start, opened.period_end) == ("open", MAY.start, MAY.end)
    clock.advance(timedelta(hours=2))
    runs.close(run)
    closed = runs.get(run)
    assert (closed.state, closed.closed_at) == ("closed", START + timedelta(hours=2))
    [event] = store.pending_events()
    assert event.type == "payroll.run_closed"
    assert event.payload == {
        "id": run,
        "country": "BR",
        "period_start": "2026-05-01",
        "period_end": "2026-05-31",
        "payment_date": "2026-06-05",
        "payslips": 2,
    }
    assert runs.payslips(run) == [slips[1], slips[0]]
    # every payslip and the closing are journaled, with the SHA-256 of the stored form
    import hashlib

    from backoffice.compliance import AuditJournal

    journal = AuditJournal(store)
    entries = journal.entries(f"payroll/{run}")
    assert [entry.kind for entry in entries] == [
        "payslip.recorded",
        "payslip.recorded",
        "payroll.run_closed",
    ]
    stored = {r.id: r.document for r in records}
    for entry in entries[:2]:
        digest = hashlib.sha256(stored[entry.subject].encode("utf-8")).hexdigest()
        assert entry.payload["document_sha256"] == digest
    assert journal.verify().intact


def test_a_correction_is_a_new_payslip_in_a_later_run(runs: PayRuns, clock: ManualClock) -> None:
    first = runs.open_run("BR", MAY, PAID)
    runs.record(first, [slip("E-1", "3000.00")])
    runs.close(first)
    with pytest.raises(PayRunClosed):
        runs.record(first, [slip("E-1", "3100.00")])
    clock.advance(timedelta(days=3))
    correction = runs.open_run("BR", MAY, PAID)
    runs.record(correction, [slip("E-1", "3100.00")])
    assert [str(s.gross.amount) for s in runs.payslips(first)] == ["3000.00"]
    assert [str(s.gross.amount) for s in runs.payslips(correction)] == ["3100.00"]
    assert [r.id for r in runs.runs()] == [first, correction]


def test_refusals_leave_nothing_half_written(runs: PayRuns, store: MemoryStore) -> None:
    run = runs.open_run("BR", MAY, PAID)
    runs.record(run, [slip("E-1")])
    june = slip("E-9", period=Period.month(2026, 6))
    with pytest.raises(InvalidValue) as info:
        runs.record(run, [slip("E-2"), june])  # the second is for another period
    assert info.value.details["field"] == "payslips.1.period"
    with pytest.raises(DuplicateRecord):
        runs.record(run, [slip("E-3"), slip("E-1")])  # E-1 has a payslip in the run
    with pytest.raises(DuplicateRecord):
        runs.record(run, [slip("E-4"), slip("E-4")])
    with pytest.raises(NotFound):
        runs.record("nope", [slip("E-5")])
    assert [s.employee_id for s in runs.payslips(run)] == ["E-1"]
    runs.close(run)
    with pytest.raises(PayRunClosed):
        runs.close(run)
    with pytest.raises(PayRunClosed):
        runs.record(run, [slip("E-6")])
    assert [s.employee_id for s in runs.payslips(run)] == ["E-1"]
    assert [e.type for e in store.pending_events()] == ["payroll.run_closed"]  # once
    with pytest.raises(NotFound):
        runs.close("nope")
    with pytest.raises(NotFound):
        runs.payslips("nope")
    with pytest.raises(DuplicateRecord):
        runs.open_run("BR", MAY, PAID, id=run)


def test_the_store_itself_refuses_a_closed_run(runs: PayRuns, store: MemoryStore) -> None:
    run = runs.open_run("BR", MAY, PAID)
    runs.close(run)
    with store.unit_of_work() as uow, pytest.raises(PayRunClosed):
        uow.payroll.close_run(run, START)


def test_a_payslip_paid_another_day_or_in_another_currency_is_refused(runs: PayRuns) -> None:
    from backoffice.core.money import Rate
    from backoffice.payroll import fr

    run = runs.open_run("BR", Period.month(2026, 5), date(2026, 6, 5))
    early = br.calculate(
        br.Employee("E-3"), Period.month(2026, 5), br.BrazilInputs("5000.00", date(2025, 12, 5))
    )
    with pytest.raises(InvalidValue, match="payment"):
        runs.record(run, [early])  # another IRRF table than the run's payment date gives
    french = fr.calculate(
        fr.Employee("F-1"),
        Period.month(2026, 5),
        fr.FranceInputs("3000.00", Rate.percent("1.5"), payment_date=date(2026, 6, 5)),
    )
    with pytest.raises(InvalidValue, match="EUR"):
        runs.record(run, [french])
    with pytest.raises(InvalidValue, match="not a Payslip"):
        runs.record(run, ["x"])  # type: ignore[list-item]
    assert runs.payslips(run) == []


@pytest.mark.parametrize(
    ("country", "period", "paid"),
    [
        ("XX", Period.month(2026, 5), date(2026, 6, 5)),
        ("BR", Period(date(2026, 5, 1), date(2026, 5, 15)), date(2026, 6, 5)),
        ("BR", Period.month(2026, 5), "2026-06-05"),
    ],
)
def test_a_run_opens_only_for_a_pack_a_month_and_a_date(
    runs: PayRuns, country: str, period: Period, paid: object
) -> None:
    with pytest.raises((InvalidValue, InvalidType)):
        runs.open_run(country, period, paid)  # type: ignore[arg-type]
