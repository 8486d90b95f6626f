"""The audit journal's canonical form, verification, checkpoints, and the entries the
library's own services write (memory store; every adapter runs the store contract)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import attrs
import pytest

from backoffice import Money, UnitPrice
from backoffice.compliance.journal import (
    GENESIS,
    AuditJournal,
    BreakKind,
    Checkpoint,
    canonical_bytes,
    canonical_payload,
    chain,
    record,
    verify_chain,
)
from backoffice.core.time import ManualClock
from backoffice.errors import FloatNotAllowed, InvalidType, InvalidValue, NaiveDatetime
from backoffice.invoicing import Address, Invoice, InvoiceLine, Invoicing, Party, PaymentTerms
from backoffice.storage.ports import JournalHead, Store

AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def entries(count: int, series: str = "s") -> list:  # type: ignore[type-arg]
    return chain(
        "t1",
        series,
        (0, GENESIS),
        [("k", f"x{n}", {"n": n}, AT + timedelta(seconds=n)) for n in range(count)],
    )


def test_the_hash_is_sha256_of_the_documented_serialization() -> None:
    # what a third party writes with any JSON library, following the module's layout
    paris = timezone(timedelta(hours=1))
    (entry,) = chain(
        "acme",
        "invoicing/INV",
        (41, "ab" * 32),
        [("invoice.issued", "i-1", {"total": Decimal("12.30"), "é": ["ã", 1, True]}, AT)],
    )
    layout = [
        "backoffice.journal.v1",
        "acme",
        "invoicing/INV",
        42,
        "invoice.issued",
        "i-1",
        "2026-11-23T09:00:00.000000Z",
        "ab" * 32,
        {"total": "12.30", "é": ["ã", 1, True]},
    ]
    text = json.dumps(layout, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert text.encode() == canonical_bytes(
        "acme",
        "invoicing/INV",
        42,
        "invoice.issued",
        "i-1",
        AT.astimezone(paris),
        "ab" * 32,
        {"é": ["ã", 1, True], "total": "12.30"},
    )
    assert entry.hash == hashlib.sha256(text.encode()).hexdigest()
    assert (entry.sequence, entry.previous_hash) == (42, "ab" * 32)
    assert entry.to_dict()["occurred_at"] == "2026-11-23T09:00:00.000000Z"


def test_payloads_keep_exact_values_and_refuse_floats() -> None:
    assert canonical_payload(
        {
            "amount": Decimal("1.50"),
            "big": Decimal("1E+2"),
            "day": date(2026, 1, 2),
            "at": datetime(2026, 1, 2, 10, tzinfo=timezone(timedelta(hours=2))),
            "nested": {"list": (1, None, "x")},
        }
    ) == {
        "amount": "1.50",
        "big": "100",
        "day": "2026-01-02",
        "at": "2026-01-02T08:00:00.000000Z",
        "nested": {"list": [1, None, "x"]},
    }
    with pytest.raises(FloatNotAllowed) as info:
        canonical_payload({"lines": [{"amount": 1.5}]})
    assert info.value.details["field"] == "payload.lines.0.amount"
    with pytest.raises(InvalidValue):
        canonical_payload({"amount": Decimal("NaN")})
    with pytest.raises(NaiveDatetime):
        canonical_payload({"at": datetime(2026, 1, 1)})  # noqa: DTZ001
    with pytest.raises(InvalidType):
        canonical_payload({"set": {1, 2}})
    with pytest.raises(InvalidValue):
        canonical_payload({1: "x"})  # type: ignore[dict-item]
    with pytest.raises(InvalidType):
        canonical_payload(["x"])  # type: ignore[arg-type]


def test_entries_need_a_series_a_kind_and_an_aware_time(store: Store) -> None:
    with store.unit_of_work() as uow:
        with pytest.raises(InvalidValue):
            record(uow, "", [("k", "s", {}, AT)])
        with pytest.raises(InvalidValue):
            record(uow, "s", [("", "s", {}, AT)])
        with pytest.raises(NaiveDatetime):
            record(uow, "s", [("k", "s", {}, datetime(2026, 1, 1))])  # noqa: DTZ001
        assert record(uow, "s", []) == []


def test_verify_chain_reports_an_intact_chain_and_its_end() -> None:
    found = entries(5)
    report = verify_chain("s", found, head=JournalHead("s", 5, found[-1].hash))
    assert report.intact
    assert (report.entries, report.last_sequence, report.last_hash) == (5, 5, found[-1].hash)
    empty = verify_chain("s", [], head=JournalHead("s", 0, GENESIS))
    assert empty.intact and empty.last_hash == GENESIS


def test_verify_chain_compares_the_end_with_the_head() -> None:
    found = entries(5)
    shorter = verify_chain("s", found[:4], head=JournalHead("s", 5, found[-1].hash))
    assert shorter.first_break is not None
    assert (shorter.first_break.kind, shorter.first_break.sequence) == (BreakKind.TRUNCATED, 5)
    other = verify_chain("s", found, head=JournalHead("s", 5, "c" * 64))
    assert other.first_break is not None and other.first_break.kind is BreakKind.DIVERGED
    assert other.to_dict()["first_break"]["kind"] == "diverged"


def test_checkpoints_round_trip_and_are_signed_with_hmac() -> None:
    found = entries(3)
    point = Checkpoint("t1", "s", 3, found[-1].hash, AT)
    signed = point.signed(b"key")
    assert Checkpoint.from_json(signed.to_json()) == signed
    assert signed.signature_matches(b"key") and signed.signature_matches("key")
    assert not signed.signature_matches(b"other")
    assert not point.signature_matches(b"key")
    assert verify_chain("s", found, checkpoints=[signed], key=b"key").intact
    unsigned = verify_chain("s", found, checkpoints=[point], key=b"key").first_break
    assert unsigned is not None and unsigned.kind is BreakKind.BAD_SIGNATURE
    forged = attrs.evolve(signed, sequence=2, hash=found[1].hash)
    assert verify_chain("s", found, checkpoints=[forged]).intact  # without the key...
    caught = verify_chain("s", found, checkpoints=[forged], key=b"key").first_break
    assert caught is not None and caught.kind is BreakKind.BAD_SIGNATURE
    later = attrs.evolve(point, sequence=4)
    cut = verify_chain("s", found, checkpoints=[later]).first_break
    assert cut is not None and (cut.kind, cut.sequence) == (BreakKind.TRUNCATED, 4)
    with pytest.raises(InvalidValue):
        point.signed(b"")
    for text in ("{}", "[]", "nope", json.dumps({**point.to_dict(), "hash": "xyz"})):
        with pytest.raises(InvalidValue):
            Checkpoint.from_json(text)


def test_the_journal_service_verifies_every_series_and_checkpoints(
    store: Store, clock: ManualClock
) -> None:
    journal = AuditJournal(store, clock=clock)
    journal.append("b", "k", "x", {"n": 1})
    journal.append("a", "k", "y", {"n": 2}, occurred_at=AT)
    assert journal.series() == ["a", "b"]
    kept = journal.checkpoint("a", key="secret")
    missing = Checkpoint(store.tenant, "c", 3, "d" * 64, AT)
    report = journal.verify(checkpoints=[kept, missing], key="secret")
    assert [chain.series for chain in report.chains] == ["a", "b", "c"]
    assert report.breaks[0].kind is BreakKind.BAD_SIGNATURE  # missing is unsigned
    report = journal.verify(checkpoints=[kept, missing.signed("secret")], key="secret")
    assert [(b.series, b.kind) for b in report.breaks] == [("c", BreakKind.TRUNCATED)]
    assert json.loads(report.to_json())["chains"][2]["intact"] is False
    empty = journal.checkpoint("none")
    assert (empty.sequence, empty.hash) == (0, GENESIS)


def _invoice(buyer: str = "C1") -> Invoice:
    line = InvoiceLine(
        "1",
        name="Crêpes",
        quantity="10",
        price=UnitPrice("5.00", "EUR"),
        vat_category="S",
        vat_rate="10",
    )
    return Invoice(
        seller=Party("Crêperie", address=Address("FR")),
        buyer=Party("Hôtel", id=buyer, address=Address("FR")),
        currency="EUR",
        lines=(line,),
        terms=PaymentTerms.net(30),
    )


def test_invoices_credit_notes_payments_and_refunds_are_journaled(store: Store) -> None:
    clock = ManualClock(datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    invoicing = Invoicing(store, clock=clock)
    first = invoicing.issue(invoicing.create_draft(_invoice()).id)
    second = invoicing.issue(invoicing.create_draft(_invoice()).id)
    note = invoicing.credit(second.id)
    payment = invoicing.record_payment("C1", Money("60.00", "EUR"), received_on=date(2026, 3, 10))
    refund = invoicing.refund("C1", Money("5.00", "EUR"), paid_on=date(2026, 3, 10))
    journal = AuditJournal(store)
    by_series = {name: journal.entries(name) for name in journal.series()}
    assert sorted(by_series) == ["invoicing/CN", "invoicing/INV", "payments/C1"]
    assert [(e.kind, e.subject) for e in by_series["invoicing/INV"]] == [
        ("invoice.issued", first.id),
        ("invoice.issued", second.id),
    ]
    assert by_series["invoicing/INV"][0].payload["number"] == first.number
    assert by_series["invoicing/INV"][0].payload["total_with_vat"] == "55.00"
    assert [(e.kind, e.subject) for e in by_series["invoicing/CN"]] == [
        ("credit_note.issued", note.id)
    ]
    assert [(e.kind, e.subject) for e in by_series["payments/C1"]] == [
        ("payment.recorded", payment.id),
        ("refund.recorded", refund.id),
    ]
    # the journal holds what the outbox announces
    events = {(e.type, e.payload["id"]): e.payload for e in store.pending_events(limit=100)}
    for entry in (e for found in by_series.values() for e in found):
        assert events[(entry.kind, entry.subject)] == entry.payload
    assert journal.verify().intact
