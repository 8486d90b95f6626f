"""Invoices kept in a store: drafts, numbering, credit notes, payments and credit (memory
store; every adapter runs the same through the store contract)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice import Money, UnitPrice
from backoffice.core.time import ManualClock
from backoffice.errors import (
    AllocationExceeded,
    CurrencyMismatch,
    DuplicateRecord,
    InvalidValue,
    InvoiceIssued,
    NotFound,
    ValidationError,
)
from backoffice.invoicing import (
    Address,
    AllowanceCharge,
    DocumentType,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Invoicing,
    NumberSeries,
    Party,
    PaymentTerms,
    PrecedingInvoice,
    SeriesReset,
    aging,
)
from backoffice.storage import open_store
from backoffice.storage.ports import Store

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
TODAY = date(2026, 3, 10)


def line(
    ident: str = "1", quantity: str = "10", price: str = "5.00", rate: str = "10"
) -> InvoiceLine:
    return InvoiceLine(
        ident,
        name=f"Item {ident}",
        quantity=quantity,
        price=UnitPrice(price, "EUR"),
        vat_category="S",
        vat_rate=rate,
    )


def document(*lines: InvoiceLine, buyer: str = "C1", **extra: object) -> Invoice:
    return Invoice(
        seller=Party("Crêperie", address=Address("FR")),
        buyer=Party("Hôtel", id=buyer, address=Address("FR")),
        currency="EUR",
        lines=lines or (line(),),
        terms=PaymentTerms.net(30),
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW)


@pytest.fixture
def invoicing(store: Store, clock: ManualClock) -> Invoicing:
    return Invoicing(store, clock=clock)


def issue(invoicing: Invoicing, doc: Invoice | None = None, **options: object) -> str:
    stored = invoicing.issue(invoicing.create_draft(doc or document()).id, **options)  # type: ignore[arg-type]
    return stored.id


# -- drafts and issuing ------------------------------------------------------------------


def test_a_draft_has_no_number_and_can_change_until_issued(invoicing: Invoicing) -> None:
    draft = invoicing.create_draft(document())
    assert (draft.status, draft.number, draft.balance_due) == (
        InvoiceStatus.DRAFT,
        None,
        Money("0.00", "EUR"),
    )
    changed = invoicing.update_draft(draft.id, document(line(quantity="20")))
    assert changed.amount_due == Money("110.00", "EUR")
    issued = invoicing.issue(draft.id)
    assert issued.number == "INV-2026-000001"
    assert issued.invoice.issue_date == TODAY
    assert issued.invoice.due_date == TODAY + timedelta(days=30)
    assert issued.status is InvoiceStatus.ISSUED
    assert issued.balance_due == Money("110.00", "EUR")
    with pytest.raises(InvoiceIssued) as info:
        invoicing.update_draft(draft.id, document())
    assert info.value.details["number"] == "INV-2026-000001"
    with pytest.raises(InvoiceIssued):
        invoicing.delete_draft(draft.id)
    with pytest.raises(InvoiceIssued):
        invoicing.issue(draft.id)
    assert invoicing.get(draft.id).amount_due == Money("110.00", "EUR")


def test_drafts_never_take_numbers(invoicing: Invoicing) -> None:
    kept = [invoicing.create_draft(document()).id for _ in range(3)]
    invoicing.delete_draft(kept[0])
    assert invoicing.issue(kept[2]).number == "INV-2026-000001"
    assert invoicing.issue(kept[1]).number == "INV-2026-000002"
    with pytest.raises(NotFound):
        invoicing.get(kept[0])


def test_a_draft_is_refused_with_a_number(invoicing: Invoicing) -> None:
    with pytest.raises(InvalidValue, match="number"):
        invoicing.create_draft(document().issued("X-1", TODAY))


def test_series_templates_fiscal_years_and_resets(invoicing: Invoicing, clock: ManualClock) -> None:
    invoicing.define_series(
        NumberSeries("F", template="F{yy}-{number:04d}", fiscal_year_start_month=4)
    )
    first = issue(invoicing, series="F")
    assert invoicing.by_number("F25-0001").id == first  # the fiscal year from April 2025
    clock.advance(timedelta(days=30))  # 9 April 2026: a new fiscal year
    assert invoicing.get(issue(invoicing, series="F")).number == "F26-0001"
    invoicing.define_series(NumberSeries("SHOP", template="S{number}", reset=SeriesReset.NEVER))
    assert invoicing.get(issue(invoicing, series="SHOP")).number == "S1"
    assert [(r.series, r.fiscal_year, r.last) for r in invoicing.audit_numbering()] == [
        ("F", 2025, 1),
        ("F", 2026, 1),
        ("SHOP", 0, 1),
    ]


def test_a_used_series_keeps_its_settings(invoicing: Invoicing) -> None:
    invoicing.define_series(NumberSeries("F", template="F{year}-{number:06d}"))
    invoicing.define_series(NumberSeries("F", template="F{year}-{number:06d}"))  # same: fine
    invoicing.define_series(NumberSeries("F", template="F{year}/{number:06d}"))  # unused yet
    issue(invoicing, series="F")
    with pytest.raises(InvalidValue, match="start a new series"):
        invoicing.define_series(NumberSeries("F", template="F{year}-{number:06d}"))
    with pytest.raises(NotFound):
        issue(invoicing, series="NOPE")


@pytest.mark.parametrize(
    ("template", "reset", "message"),
    [
        ("F-{number}", "yearly", "would repeat"),
        ("F-{year}", "yearly", "must show the {number}"),
        ("F-{month}-{number}", "yearly", "unknown field"),
        ("F-{number:q}", "never", "cannot be filled in"),
        ("F-{number", "never", "not a valid template"),
    ],
)
def test_bad_templates_are_refused(template: str, reset: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        NumberSeries("F", template=template, reset=reset)


def test_numbers_follow_issue_dates(invoicing: Invoicing) -> None:
    issue(invoicing)
    late = invoicing.create_draft(document())
    with pytest.raises(InvalidValue, match="numbers follow issue dates"):
        invoicing.issue(late.id, issue_date=TODAY - timedelta(days=1))
    with pytest.raises(InvalidValue, match="after today"):
        invoicing.issue(late.id, issue_date=TODAY + timedelta(days=1))
    # the refused attempt gave its number back
    assert invoicing.issue(late.id).number == "INV-2026-000002"
    assert all(report.ok for report in invoicing.audit_numbering())


# -- credit notes --------------------------------------------------------------------------


def test_a_full_credit_note_cancels_the_invoice(invoicing: Invoicing, store: Store) -> None:
    original = invoicing.get(issue(invoicing))
    note = invoicing.credit(original.id)
    assert note.invoice.type_code is DocumentType.CREDIT_NOTE
    assert note.invoice.preceding == (PrecedingInvoice(str(original.number), TODAY),)
    assert note.credits == original.id
    assert note.invoice.totals.total_with_vat == original.invoice.totals.total_with_vat
    after = invoicing.get(original.id)
    assert (after.status, after.balance_due) == (InvoiceStatus.CREDITED, Money("0.00", "EUR"))
    assert invoicing.customer_credit("C1", "EUR") == Money("0.00", "EUR")
    event = store.pending_events()[-1]
    assert event.type == "credit_note.issued"
    assert event.payload["credits_number"] == original.number
    assert event.payload["allocated"] == "55.00"
    with pytest.raises(AllocationExceeded):  # nothing left to credit
        invoicing.credit(original.id, lines=[line(quantity="1")])
    with pytest.raises(InvalidValue):  # a credit note is not credited
        invoicing.credit(note.id)


def test_a_partial_credit_after_payment_becomes_customer_credit(invoicing: Invoicing) -> None:
    original = issue(invoicing)  # 55.00
    invoicing.record_payment("C1", Money("55.00", "EUR"), received_on=TODAY)
    invoicing.credit(original, lines=[line(quantity="2")])  # 11.00
    assert invoicing.get(original).status is InvoiceStatus.PAID
    assert invoicing.customer_credit("C1", "EUR") == Money("11.00", "EUR")


def test_a_credit_note_draft_finds_its_invoice_by_number(invoicing: Invoicing) -> None:
    original = invoicing.get(issue(invoicing))
    draft = original.invoice.credit_note(lines=[line(quantity="4")])
    stored = invoicing.issue(invoicing.create_draft(draft).id)
    assert (stored.credits, stored.number) == (original.id, "CN-2026-000001")
    assert invoicing.get(original.id).balance_due == Money("33.00", "EUR")
    orphan = document(type_code=DocumentType.CREDIT_NOTE, preceding=[PrecedingInvoice("NOPE-1")])
    with pytest.raises(NotFound):
        invoicing.issue(invoicing.create_draft(orphan).id, series="CN")


def test_a_credit_note_names_the_invoice_it_credits() -> None:
    with pytest.raises(ValidationError, match="preceding"):
        document(type_code="381")


# -- payments, credit, refunds -------------------------------------------------------------


def test_a_payment_goes_to_the_oldest_due_first(invoicing: Invoicing, clock: ManualClock) -> None:
    first = issue(invoicing)  # due 9 April
    clock.advance(timedelta(days=1))
    second = issue(invoicing)  # due 10 April
    payment = invoicing.record_payment("C1", Money("80.00", "EUR"), received_on=TODAY)
    assert [(a.invoice, a.amount) for a in payment.allocations] == [
        (first, Money("55.00", "EUR")),
        (second, Money("25.00", "EUR")),
    ]
    assert invoicing.get(first).status is InvoiceStatus.PAID
    assert invoicing.get(second).status is InvoiceStatus.PARTIALLY_PAID
    assert invoicing.get(second).balance_due == Money("30.00", "EUR")


def test_one_payment_for_several_invoices_with_overpayment(
    invoicing: Invoicing, clock: ManualClock
) -> None:
    a, b = issue(invoicing), issue(invoicing)
    payment = invoicing.record_payment(
        "C1",
        Money("120.00", "EUR"),
        received_on=TODAY,
        allocations={a: Money("55.00", "EUR"), b: Money("50.00", "EUR")},
        id="BANK-1",
    )
    assert payment.unallocated == Money("15.00", "EUR")
    assert invoicing.customer_credit("C1", "EUR") == Money("15.00", "EUR")
    applied = invoicing.apply_credit("C1", b)
    assert [x.amount for x in applied] == [Money("5.00", "EUR")]
    assert invoicing.get(b).status is InvoiceStatus.PAID
    assert invoicing.customer_credit("C1", "EUR") == Money("10.00", "EUR")
    # the credit applied is journaled with the customer's payments
    from backoffice.compliance import AuditJournal

    kinds = [entry.kind for entry in AuditJournal(invoicing.store).entries("payments/C1")]
    assert kinds == ["payment.recorded", "credit.applied"]
    assert AuditJournal(invoicing.store).verify().intact
    with pytest.raises(AllocationExceeded):
        invoicing.refund("C1", Money("10.01", "EUR"), paid_on=TODAY)
    clock.advance(timedelta(minutes=1))
    invoicing.refund("C1", Money("10.00", "EUR"), paid_on=TODAY)
    assert invoicing.customer_credit("C1", "EUR") == Money("0.00", "EUR")
    with pytest.raises(DuplicateRecord):  # a bank transaction is recorded once
        invoicing.record_payment("C1", Money("1.00", "EUR"), received_on=TODAY, id="BANK-1")
    assert [p.kind for p in invoicing.payments("C1")] == ["payment", "refund"]


def test_allocations_never_exceed_what_is_due(invoicing: Invoicing) -> None:
    a = issue(invoicing)
    with pytest.raises(AllocationExceeded):
        invoicing.record_payment(
            "C1", Money("60.00", "EUR"), received_on=TODAY, allocations={a: Money("56.00", "EUR")}
        )
    with pytest.raises(AllocationExceeded):
        invoicing.record_payment(
            "C1", Money("10.00", "EUR"), received_on=TODAY, allocations={a: Money("20.00", "EUR")}
        )
    with pytest.raises(CurrencyMismatch):
        invoicing.record_payment(
            "C1", Money("10.00", "EUR"), received_on=TODAY, allocations={a: Money("5.00", "USD")}
        )
    with pytest.raises(NotFound):  # another customer's invoice
        invoicing.record_payment(
            "C2", Money("10.00", "EUR"), received_on=TODAY, allocations={a: Money("5.00", "EUR")}
        )
    with pytest.raises(InvalidValue):
        invoicing.record_payment("C1", Money("0.00", "EUR"), received_on=TODAY)
    with pytest.raises(AllocationExceeded):  # no credit yet
        invoicing.apply_credit("C1", a, Money("1.00", "EUR"))
    assert invoicing.payments("C1") == []  # nothing half-written
    assert invoicing.get(a).balance_due == Money("55.00", "EUR")


def test_balance_due_is_always_amount_due_minus_allocations(invoicing: Invoicing) -> None:
    ids = [issue(invoicing) for _ in range(3)]
    invoicing.record_payment("C1", Money("70.00", "EUR"), received_on=TODAY)
    invoicing.credit(ids[2], lines=[line(quantity="1")])
    for stored in invoicing.invoices():
        if stored.invoice.is_credit_note:
            continue
        allocated = sum((a.amount.amount for a in stored.allocations), Decimal(0))
        assert stored.balance_due.amount == stored.amount_due.amount - allocated
    # 3 × 55.00; 70.00 paid oldest first (55.00 + 15.00); a 5.50 credit note on the third
    assert [invoicing.get(i).balance_due for i in ids] == [
        Money("0.00", "EUR"),
        Money("40.00", "EUR"),
        Money("49.50", "EUR"),
    ]


def test_receivables_feed_the_aging_report(invoicing: Invoicing, clock: ManualClock) -> None:
    issue(invoicing)  # due 9 April 2026
    report = aging(invoicing.receivables(), as_of=date(2026, 5, 20))
    (entry,) = report.lines
    assert (entry.receivable.customer, entry.days_overdue, entry.receivable.open_amount) == (
        "C1",
        41,
        Money("55.00", "EUR"),
    )
    stored = invoicing.invoices()[0]
    assert stored.is_overdue(date(2026, 4, 10)) and not stored.is_overdue(date(2026, 4, 9))
    assert stored.days_overdue(date(2026, 4, 19)) == 10


def test_the_store_keeps_every_field_of_the_document(invoicing: Invoicing) -> None:
    doc = document(
        line(),
        allowances_charges=[
            AllowanceCharge.charge(
                amount=Money("5.00", "EUR"), vat_category="S", vat_rate="20", reason="Delivery"
            )
        ],
        notes=["Merci"],
        order_reference="PO-7",
        tax_currency="USD",
        exchange_rate="1.0823",
    )
    stored = invoicing.get(issue(invoicing, doc))
    assert stored.invoice == doc.issued(str(stored.number), TODAY)
    # VAT 5.00 + 1.00 EUR = 6.00 EUR; × 1.0823 = 6.4938, rounded half up: 6.49 USD
    assert stored.invoice.totals.total_vat_in_tax_currency == Money("6.49", "USD")


# -- properties ------------------------------------------------------------------------------

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999.99"), places=2)
quantities = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("500"), places=3)
rates = st.sampled_from(["5.5", "10", "20", "2.1"])


@given(st.lists(st.tuples(quantities, amounts, rates), min_size=1, max_size=8))
def test_a_credit_note_of_an_invoice_nets_it_to_zero(
    rows: list[tuple[Decimal, Decimal, str]],
) -> None:
    store = open_store("memory://", tenant="p")
    store.migrate()
    invoicing = Invoicing(store, clock=ManualClock(NOW))
    lines = [
        line(str(i), quantity=str(q), price=str(p), rate=r) for i, (q, p, r) in enumerate(rows)
    ]
    original = invoicing.get(issue(invoicing, document(*lines)))
    if not original.invoice.totals.total_with_vat.is_positive():
        with pytest.raises(InvalidValue):  # nothing to credit
            invoicing.credit(original.id)
        return
    note = invoicing.credit(original.id)
    assert note.invoice.totals.total_with_vat == original.invoice.totals.total_with_vat
    assert note.invoice.totals.vat_breakdown == original.invoice.totals.vat_breakdown
    after = invoicing.get(original.id)
    assert after.balance_due == Money.zero("EUR")
    assert after.status is InvoiceStatus.CREDITED
    assert invoicing.customer_credit("C1", "EUR") == Money.zero("EUR")


def test_the_clock_zone_gives_the_issue_date(store: Store) -> None:
    from zoneinfo import ZoneInfo

    late = ManualClock(datetime(2026, 3, 10, 23, 30, tzinfo=UTC))
    paris = Invoicing(store, clock=late, zone=ZoneInfo("Europe/Paris"))
    assert paris.get(issue(paris)).invoice.issue_date == date(2026, 3, 11)


# -- what the review of the first version found ------------------------------------------


def test_a_credit_note_issued_from_a_draft_counts_against_the_invoice(
    invoicing: Invoicing,
) -> None:
    original = invoicing.get(issue(invoicing))
    draft = invoicing.create_draft(original.invoice.credit_note())
    note = invoicing.issue(draft.id)
    assert invoicing.get(note.id).credits == original.id
    with pytest.raises(AllocationExceeded):  # all of it is credited already
        invoicing.credit(original.id)
    assert invoicing.customer_credit("C1", "EUR") == Money("0.00", "EUR")


def test_a_credit_note_credits_a_positive_amount(invoicing: Invoicing) -> None:
    original = issue(invoicing)
    with pytest.raises(InvalidValue, match="above zero"):
        invoicing.credit(original, lines=[line(quantity="-10")])
    assert [s.number for s in invoicing.invoices()] == ["INV-2026-000001"]


def test_a_credit_note_is_not_dated_before_its_invoice(
    invoicing: Invoicing, clock: ManualClock
) -> None:
    original = issue(invoicing)
    with pytest.raises(InvalidValue, match="before"):
        invoicing.credit(original, issue_date=TODAY - timedelta(days=1))


def test_allocations_name_the_invoice_whose_currency_differs(
    invoicing: Invoicing, store: Store
) -> None:
    usd = issue(
        invoicing,
        document(line(price="5.00")).replace(
            currency="USD",
            lines=[
                InvoiceLine(
                    "1",
                    name="x",
                    quantity="1",
                    price=UnitPrice("5.00", "USD"),
                    vat_category="S",
                    vat_rate="10",
                )
            ],
        ),
    )
    with pytest.raises(CurrencyMismatch, match=f"allocations.{usd}"):
        invoicing.record_payment(
            "C1", Money("5.00", "EUR"), received_on=TODAY, allocations={usd: Money("5", "EUR")}
        )
    assert invoicing.payments("C1") == []


def test_money_is_recorded_once_it_has_moved(invoicing: Invoicing) -> None:
    with pytest.raises(InvalidValue, match="received_on"):
        invoicing.record_payment("C1", Money("1.00", "EUR"), received_on=TODAY + timedelta(1))
    with pytest.raises(InvalidValue, match="paid_on"):
        invoicing.refund("C1", Money("1.00", "EUR"), paid_on=TODAY + timedelta(1))


@pytest.mark.parametrize(
    ("template", "reset", "message"),
    [
        ("N-{year}-{number}", "never", "no year to show"),
        ("N-{number:>999999999}", "never", "wider than 20"),
        ("F" * 101 + "{number}", "never", "at most 100"),
    ],
)
def test_templates_that_cannot_number_well_are_refused(
    template: str, reset: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        NumberSeries("N", template=template, reset=reset)
