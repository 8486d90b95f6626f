"""The invoicing part of the store contract: what every adapter must do with invoices,
numbering counters, payments and allocations. Mixed into
:class:`~backoffice.testing.contract.StoreContract`, whose fixtures it uses (``store``,
``make_store``, ``clock``).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from backoffice.core.money import Money, UnitPrice
from backoffice.core.time import ManualClock
from backoffice.errors import DuplicateRecord, InvoiceIssued, NotFound
from backoffice.invoicing.document import Address, Invoice, Party
from backoffice.invoicing.model import InvoiceLine
from backoffice.invoicing.services import InvoiceStatus, Invoicing
from backoffice.storage.ports import AllocationRecord, InvoiceRecord, PaymentRecord, Store

__all__ = ["InvoicingContract"]


def _document(quantity: str = "2", buyer: str = "C1") -> Invoice:
    return Invoice(
        seller=Party("Seller", address=Address("FR")),
        buyer=Party("Buyer", id=buyer, address=Address("FR")),
        currency="EUR",
        lines=[
            InvoiceLine(
                "1",
                name="Crêpe",
                quantity=quantity,
                price=UnitPrice("3.50", "EUR"),
                vat_category="S",
                vat_rate="10",
            )
        ],
    )


class InvoicingContract:
    """Invoices, numbering, payments and allocations, the same on every adapter."""

    @pytest.fixture
    def invoicing(self, store: Store, clock: ManualClock) -> Invoicing:
        return Invoicing(store, clock=clock)

    def _record(self, clock: ManualClock, invoice_id: str = "i1") -> InvoiceRecord:
        return InvoiceRecord(
            id=invoice_id,
            state="draft",
            type_code="380",
            customer="C1",
            currency="EUR",
            amount_due=Decimal("7.70"),
            document="{}",
            created_at=clock.now(),
        )

    def _issued(
        self,
        clock: ManualClock,
        invoice_id: str,
        number: str,
        *,
        series: str = "F",
        sequence: int = 1,
        credits: str | None = None,
    ) -> InvoiceRecord:
        return InvoiceRecord(
            id=invoice_id,
            state="issued",
            type_code="380" if credits is None else "381",
            customer="C1",
            currency="EUR",
            amount_due=Decimal("7.70"),
            document='{"issued": true}',
            created_at=clock.now(),
            series=series,
            fiscal_year=2026,
            sequence=sequence,
            number=number,
            issue_date=date(2026, 11, 23),
            due_date=date(2026, 12, 23),
            issued_at=clock.now(),
            credits=credits,
        )

    def test_invoice_records_round_trip(self, store: Store, clock: ManualClock) -> None:
        record = self._record(clock)
        with store.unit_of_work() as uow:
            uow.invoices.add(record)
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.invoices.get("i1") == record
            assert uow.invoices.get("nope") is None
            assert uow.invoices.of_customer("C1") == [record]
            assert uow.invoices.all() == [record]
            with pytest.raises(DuplicateRecord):
                uow.invoices.add(record)

    def test_an_issued_record_is_never_replaced_nor_deleted(
        self, store: Store, clock: ManualClock
    ) -> None:
        record = self._record(clock)
        issued = self._issued(clock, "i1", "F-1")
        with store.unit_of_work() as uow:
            uow.invoices.add(record)
            uow.invoices.issue(issued)
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.invoices.get("i1") == issued
            assert uow.invoices.by_number("F-1") == issued
            assert uow.invoices.issued() == [issued]
            with pytest.raises(InvoiceIssued):
                uow.invoices.replace_draft(record)
            with pytest.raises(InvoiceIssued):
                uow.invoices.delete_draft("i1")
            with pytest.raises(InvoiceIssued):
                uow.invoices.issue(issued)
            with pytest.raises(NotFound):
                uow.invoices.delete_draft("nope")
        with store.unit_of_work() as uow:
            assert uow.invoices.get("i1") == issued

    def test_issuing_keeps_what_a_credit_note_credits(
        self, store: Store, clock: ManualClock
    ) -> None:
        draft = self._record(clock, "cn1")
        issued = self._issued(clock, "cn1", "CN-1", series="CN", credits="i0")
        with store.unit_of_work() as uow:
            uow.invoices.add(draft)
            uow.invoices.issue(issued)
            uow.commit()
        with store.unit_of_work() as uow:
            found = uow.invoices.get("cn1")
            assert found is not None and found.credits == "i0"

    def test_a_number_is_never_stored_twice(self, store: Store, clock: ManualClock) -> None:
        def issued(invoice_id: str, sequence: int, number: str) -> InvoiceRecord:
            return self._issued(clock, invoice_id, number, sequence=sequence)

        with store.unit_of_work() as uow:
            uow.invoices.add(issued("a", 1, "F-1"))
            uow.commit()
        for other in (issued("b", 2, "F-1"), issued("c", 1, "F-other")):
            with store.unit_of_work() as uow, pytest.raises(DuplicateRecord):
                uow.invoices.add(other)
        with store.unit_of_work() as uow:
            assert [r.id for r in uow.invoices.all()] == ["a"]

    def test_counters_count_per_series_and_year_and_roll_back(self, store: Store) -> None:
        day = date(2026, 11, 23)
        with store.unit_of_work() as uow:
            assert uow.invoices.take_number("F", 2026, day) == (1, None)
            assert uow.invoices.take_number("F", 2026, day + timedelta(days=1)) == (2, day)
            assert uow.invoices.take_number("F", 2027, day) == (1, None)
            assert uow.invoices.take_number("AV", 2026, day) == (1, None)
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.invoices.take_number("F", 2026, day) == (3, day + timedelta(days=1))
            # not committed: the number comes back
        with store.unit_of_work() as uow:
            assert uow.invoices.take_number("F", 2026, day) == (3, day + timedelta(days=1))
            assert uow.invoices.counters() == [("AV", 2026, 1), ("F", 2026, 3), ("F", 2027, 1)]
            uow.commit()

    def test_payments_and_allocations_round_trip(self, store: Store, clock: ManualClock) -> None:
        payment = PaymentRecord(
            "p1", "C1", "EUR", Decimal("100.00"), "payment", date(2026, 11, 23), clock.now(), "X"
        )
        refund = PaymentRecord(
            "p2", "C1", "EUR", Decimal("5.00"), "refund", date(2026, 11, 24), clock.now()
        )
        made = [
            AllocationRecord(
                "a1", "p1", "payment", "i1", "C1", "EUR", Decimal("60.5"), clock.now()
            ),
            AllocationRecord("a2", "p1", "payment", "i2", "C1", "EUR", Decimal("10"), clock.now()),
        ]
        with store.unit_of_work() as uow:
            uow.payments.add(payment)
            uow.payments.add(refund)
            uow.payments.allocate(made)
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.payments.get("p1") == payment
            assert uow.payments.of_customer("C1") == [payment, refund]
            assert uow.payments.of_customer("C2") == []
            assert uow.payments.allocations(invoice="i1") == made[:1]
            assert uow.payments.allocations(customer="C1") == made
            assert uow.payments.allocations(invoice="i2", customer="C1") == made[1:]
            assert uow.payments.allocations() == made
            with pytest.raises(DuplicateRecord):
                uow.payments.add(payment)

    def test_tenants_see_only_their_invoices(
        self, make_store: object, store: Store, clock: ManualClock
    ) -> None:
        other = store.for_tenant("t2")
        Invoicing(store, clock=clock).issue(
            Invoicing(store, clock=clock).create_draft(_document()).id
        )
        theirs = Invoicing(other, clock=clock)
        assert theirs.invoices() == []
        issued = theirs.issue(theirs.create_draft(_document()).id)
        assert issued.number == "INV-2026-000001"  # their own counter

    def test_the_whole_cycle_through_the_service(self, invoicing: Invoicing, store: Store) -> None:
        first = invoicing.issue(invoicing.create_draft(_document("2")).id)
        second = invoicing.issue(invoicing.create_draft(_document("10")).id)
        assert (first.number, second.number) == ("INV-2026-000001", "INV-2026-000002")
        assert (first.amount_due, second.amount_due) == (
            Money("7.70", "EUR"),
            Money("38.50", "EUR"),
        )
        payment = invoicing.record_payment(
            "C1", Money("20.00", "EUR"), received_on=date(2026, 11, 23)
        )
        assert [a.amount for a in payment.allocations] == [
            Money("7.70", "EUR"),
            Money("12.30", "EUR"),
        ]
        credit = invoicing.credit(second.id)
        assert credit.number == "CN-2026-000001"
        assert invoicing.get(first.id).status is InvoiceStatus.PAID
        assert invoicing.get(second.id).status is InvoiceStatus.PAID
        assert invoicing.customer_credit("C1", "EUR") == Money("12.30", "EUR")
        invoicing.refund("C1", Money("12.30", "EUR"), paid_on=date(2026, 11, 23))
        assert invoicing.customer_credit("C1", "EUR") == Money("0.00", "EUR")
        assert [e.type for e in store.pending_events()] == [
            "invoice.issued",
            "invoice.issued",
            "payment.recorded",
            "credit_note.issued",
            "refund.recorded",
        ]
        assert all(report.ok for report in invoicing.audit_numbering())
