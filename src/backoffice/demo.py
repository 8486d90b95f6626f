"""``backoffice demo``: the library at work on a small restaurant back office.

Deterministic: the same locale gives the same output, byte for byte (fixed clock, fixed
data). Each step is also a plain use of the public API, so the source reads as an
example.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Final

from backoffice import taxid
from backoffice._version import __version__
from backoffice.core import l10n
from backoffice.core.money import (
    Money,
    Rate,
    RoundingMode,
    RoundingPolicy,
    UnitPrice,
    allocate,
    split,
)
from backoffice.core.quantity import Packaging, PackagingScheme, Quantity
from backoffice.core.time import (
    FixedClock,
    Period,
    days_then_end_of_month,
    end_of_month_then_days,
    today,
)
from backoffice.errors import BackofficeError

if TYPE_CHECKING:
    from backoffice.inventory import Inventory
    from backoffice.storage.ports import Store

__all__ = ["DEMO_CLOCK", "run_demo"]

#: The demo's "now": 31 January 2026, 18:00 in Paris (UTC+1).
DEMO_CLOCK = FixedClock(datetime(2026, 1, 31, 18, 0, tzinfo=timezone(timedelta(hours=1))))

_ORDER = (
    ("Lunch box", 12, "14.50"),
    ("Drink", 12, "2.10"),
    ("Delivery", 1, "35.00"),
)


#: Where the demo keeps its stock when no ``--db`` is given.
DEFAULT_DB: Final = "sqlite:///backoffice-demo.db"


def run_demo(
    locale: str = "fr_FR", write: Callable[[str], object] = print, *, db: str = DEFAULT_DB
) -> Money:
    """Print the demo in ``locale`` through ``write``; return the order's total.

    The stock part runs on the store at ``db`` (SQLite by default). Running the demo
    again on the same database changes nothing: every command carries an idempotency
    key, so a replay returns the first result.
    """
    locale = l10n.normalize_locale(locale)

    def money(value: Money) -> str:
        return value.format(locale)

    write(f"backoffice {__version__} demo: a small restaurant back office ({locale})")
    write(f"Clock fixed at {DEMO_CLOCK.now().isoformat()}, so every run prints the same.")

    # 1. Pricing an order exactly -------------------------------------------------------
    write("")
    write("1. A catering order, priced exactly")
    lines: list[Money] = []
    for label, count, price in _ORDER:
        unit = UnitPrice(price, "EUR")
        amount = unit.extend(count, rounding=RoundingMode.HALF_UP)
        lines.append(amount)
        unit_text = money(unit.to_money(rounding=RoundingMode.HALF_UP))
        write(f"   {count:>3} x {label:<12} {unit_text:>12} {money(amount):>14}")
    net = Money.total(lines, "EUR")
    vat_rate = Rate.percent("10")
    vat = vat_rate.of(net, rounding=RoundingMode.HALF_UP)
    total = net + vat
    write(f"   {'Net':<31}{money(net):>14}")
    write(f"   {'VAT ' + l10n.format_percent(vat_rate, locale):<31}{money(vat):>14}")
    write(f"   {'Total':<31}{money(total):>14}")
    floats = 0.1 + 0.2
    exact = Money("0.1", "EUR") + Money("0.2", "EUR")
    write(f"   Floats say 0.1 + 0.2 = {floats!r}; Money says {money(exact)}.")

    # 2. Splitting without losing a cent -------------------------------------------------
    write("")
    write("2. Sharing amounts without losing a cent")
    shares = split(total, 3)
    write(
        f"   The bill split between 3 guests: {' + '.join(money(s) for s in shares)}"
        f" = {money(Money.total(shares, 'EUR'))}"
    )
    discount = allocate(Money("15.00", "EUR"), [line.amount for line in lines])
    write(
        f"   A {money(Money('15.00', 'EUR'))} discount spread over the lines: "
        + ", ".join(money(d) for d in discount)
    )

    # 3. Cash rounding ---------------------------------------------------------------------
    write("")
    write("3. Cash rounding to 0.05 CHF (half up)")
    cash = RoundingPolicy(RoundingMode.HALF_UP, "0.05")
    for amount_text in ("23.97", "23.98"):
        chf = Money(amount_text, "CHF")
        write(f"   {money(chf)} -> {money(chf.round(cash))}")

    # 4. Formats -----------------------------------------------------------------------------
    write("")
    write("4. One amount, written the way each reader expects")
    for other_locale, currency in (("fr_FR", "EUR"), ("pt_BR", "BRL"), ("en_US", "USD")):
        sample = Money("1234.56", currency)
        write(f"   {other_locale}: {sample.format(other_locale)}")
    write(
        f"   {Money('1500', 'JPY').format(locale)} (no decimals), "
        f"{Money('12.345', 'KWD').format(locale)} (three decimals)"
    )

    # 5. Quantities ------------------------------------------------------------------------
    write("")
    write("5. Ingredients and packagings")
    flour = Quantity("12.5", "KGM")
    flour_price = UnitPrice("0.8735", "EUR", per="KGM")
    grams = flour.to("GRM")
    cost = flour_price.extend(flour, rounding=RoundingMode.HALF_UP)
    write(
        f"   {l10n.format_quantity(flour, locale)} of flour = "
        f"{l10n.format_quantity(grams, locale)}; at "
        f"{l10n.format_decimal(flour_price.amount, locale)} EUR/kg it costs {money(cost)}"
    )
    bottles = PackagingScheme("C62", [Packaging("CS", "case of 12", Quantity(12, "C62"))])
    delivered = Quantity(30, "C62")
    write(f"   {delivered.value} bottles, in cases of 12: {bottles.breakdown(delivered)}")

    # 6. Dates ---------------------------------------------------------------------------------
    write("")
    write('6. Payment terms: "45 days end of month"')
    issued = date(2026, 1, 15)
    write(f"   Invoice dated {l10n.format_date(issued, locale, format='long')}:")
    write(
        "   45 days, then end of month -> "
        f"{l10n.format_date(days_then_end_of_month(issued, 45), locale, format='long')}"
    )
    write(
        "   end of month, then 45 days -> "
        f"{l10n.format_date(end_of_month_then_days(issued, 45), locale, format='long')}"
    )
    period = Period.of_month(today(DEMO_CLOCK))
    write(f"   Current period: {period} ({period.days} days)")

    # 7. Errors --------------------------------------------------------------------------------
    write("")
    write("7. Mistakes are refused, in the reader's language")
    attempts: tuple[Callable[[], object], ...] = (
        lambda: Money(0.1, "EUR"),  # type: ignore[arg-type]
        lambda: Money("10.00", "EUR") + Money("10.00", "BRL"),
        lambda: Money("0.125", "EUR"),
    )
    for attempt in attempts:
        try:
            attempt()
        except BackofficeError as error:
            write(f"   [{error.code}] {error.localized(locale)}")
    # 8. Identifiers -----------------------------------------------------------------------
    write("")
    write("8. Supplier and customer identifiers")
    supplier_vat = taxid.parse("fr 40 303 265 045")
    label = supplier_vat.localized_label(locale)
    write(f"   Supplier VAT {supplier_vat.vat_number()}: valid ({label})")
    siret = taxid.parse("73282932000074", "FR", "siret")
    taxid.check_siret_siren(siret, "732829320")
    write(f"   SIRET {siret.format()} belongs to SIREN 732 829 320")
    cnpj = taxid.parse("12.abc.345/01de-35", "BR", "cnpj")
    write(f"   Alphanumeric CNPJ {cnpj.format()}: valid")
    customer = taxid.parse("390.533.447-05", "BR", "cpf")
    write(f"   A customer's CPF, as logs show it: {customer}")
    try:
        taxid.parse("732 829 321", "FR", "siren")
    except BackofficeError as error:
        write(f"   [{error.code}] {error.localized(locale)}")
    # 9. Stock ---------------------------------------------------------------------------
    write("")
    _stock(db, write, locale)
    write("")
    write(f"Done: order total {money(total)}, {len(shares)} shares, nothing lost.")
    return total


def _stock(db: str, write: Callable[[str], object], locale: str) -> None:
    """The kitchen's stock on a real store: receipts, a held catering order, a count."""
    import backoffice
    from backoffice.errors import DuplicateRecord, InsufficientStock
    from backoffice.inventory import Inventory, Item, Location, ReserveLine

    store = backoffice.open(db, tenant="demo-restaurant")
    try:
        store.migrate()
        write(f"9. The kitchen's stock, on {_shown_url(db)}")
        ledger = Inventory(store, clock=DEMO_CLOCK)
        for thing in (Item("FLOUR", "KGM", name="flour"), Item("TOMATO", "KGM", name="tomatoes")):
            with suppress(DuplicateRecord):  # a second run: the demo's data is there already
                ledger.add_item(thing)
        with suppress(DuplicateRecord):
            ledger.add_location(Location("KITCHEN", name="kitchen"))
        ledger.receive("FLOUR", "25", "KITCHEN", reference="PO-0107", idempotency_key="demo-r1")
        ledger.receive("TOMATO", "12.5", "KITCHEN", reference="PO-0107", idempotency_key="demo-r2")
        held = ledger.reserve(
            "CATERING-42",
            [ReserveLine("FLOUR", "KITCHEN", "4.5"), ReserveLine("TOMATO", "KITCHEN", "3")],
            ttl=timedelta(hours=2),
            idempotency_key="demo-hold",
        )
        write(f"   Held for CATERING-42 until {held.expires_at.isoformat()}")
        try:
            ledger.reserve(
                "CATERING-43",
                [ReserveLine("TOMATO", "KITCHEN", "10")],
                ttl=timedelta(hours=2),
                idempotency_key="demo-too-much",
            )
        except InsufficientStock as error:
            (short,) = error.details["shortfalls"]
            write(
                f"   CATERING-43 refused: {short['requested']} kg of tomatoes asked, "
                f"{short['available']} kg available"
            )
        ledger.commit(held.id, idempotency_key="demo-ship")
        for sku in ("FLOUR", "TOMATO"):
            balance = ledger.balance(sku, "KITCHEN")
            write(f"   {sku:<7} on hand {balance.on_hand} kg, available {balance.available} kg")
        _lots_and_kits(ledger, write)
        checked = ledger.verify()
        write(f"   Balances match the journal: {checked or 'yes'}")
        write("")
        _invoices(store, write, locale)
    finally:
        store.close()


def _invoices(store: Store, write: Callable[[str], object], locale: str) -> None:
    """The catering order invoiced with a legal number, part paid, one line credited."""
    from backoffice.errors import DuplicateRecord, InvoiceIssued
    from backoffice.invoicing import (
        Address,
        Invoice,
        InvoiceLine,
        Invoicing,
        NumberSeries,
        Party,
        PaymentTerms,
    )

    write("10. The catering order invoiced, with a legal number")
    invoicing = Invoicing(store, clock=DEMO_CLOCK, zone=DEMO_CLOCK.now().tzinfo or UTC)
    invoicing.define_series(NumberSeries("F", template="F{year}-{number:06d}"))
    lines = [
        InvoiceLine(
            str(number),
            name=label,
            quantity=str(count),
            price=UnitPrice(price, "EUR"),
            vat_category="S",
            vat_rate="10",
        )
        for number, (label, count, price) in enumerate(_ORDER, start=1)
    ]
    document = Invoice(
        seller=Party(
            "Crêperie du Port",
            legal_id=taxid.parse("732829320", "FR", "siren"),
            vat_id=taxid.parse("FR40303265045"),
            address=Address("FR", city="Brest"),
        ),
        buyer=Party("Hôtel de la Plage", id="C-042", address=Address("FR", city="Quimper")),
        currency="EUR",
        lines=lines,
        terms=PaymentTerms.net(30),
        language=locale,
    )
    # Fixed ids: a second run finds everything done, and changes nothing.
    with suppress(DuplicateRecord):
        invoicing.create_draft(document, id="demo-invoice")
    with suppress(InvoiceIssued):
        invoicing.issue("demo-invoice", series="F")
    with suppress(DuplicateRecord):
        invoicing.record_payment(
            "C-042",
            Money("150.00", "EUR"),
            received_on=today(DEMO_CLOCK),
            id="demo-payment",
            reference="Transfer 0131",
        )
    with suppress(DuplicateRecord):
        invoicing.credit("demo-invoice", lines=[lines[1]], id="demo-credit")
    invoice = invoicing.get("demo-invoice")
    totals = invoice.invoice.totals
    due = invoice.invoice.due_date
    assert due is not None
    write(
        f"   {invoice.number}: {money_text(totals.total_without_vat, locale)} + VAT "
        f"{money_text(totals.total_vat, locale)} = {money_text(totals.amount_due, locale)}, "
        f"due {l10n.format_date(due, locale, format='long')}"
    )
    credit = invoicing.by_number("CN-2026-000001")
    write(
        f"   Paid {money_text(Money('150.00', 'EUR'), locale)}; credit note {credit.number} "
        f"for the drinks: {money_text(credit.amount_due, locale)}"
    )
    write(f"   Status {invoice.status.value}, still due {money_text(invoice.balance_due, locale)}")
    gaps = [report for report in invoicing.audit_numbering() if not report.ok]
    write(f"   Numbering audit: {gaps or 'no gap, no duplicate'}")


def money_text(amount: Money, locale: str) -> str:
    """``amount`` as the reader of ``locale`` writes it."""
    return amount.format(locale)


def _lots_and_kits(ledger: Inventory, write: Callable[[str], object]) -> None:
    """Milk in lots with expiry dates, picked first-expired-first-out; crêpes as a kit;
    the milk valued FIFO from the costs on its receipts."""
    from backoffice.errors import DuplicateRecord
    from backoffice.inventory import Component, Item, Tracking, ValuationMethod

    for thing in (
        Item("MILK", "LTR", tracking=Tracking.LOT, name="milk"),
        Item("EGG", name="eggs"),
        Item(
            "CREPE",
            name="crêpe",
            components=[
                Component("FLOUR", "0.125"),
                Component("MILK", "0.25"),
                Component("EGG", 1),
            ],
        ),
    ):
        with suppress(DuplicateRecord):
            ledger.add_item(thing)
    for key, lot, expires, litres, cost in (
        ("demo-m1", "L-0210", date(2026, 2, 10), "6", "1.05"),
        ("demo-m2", "L-0203", date(2026, 2, 3), "6", "0.98"),
        ("demo-m3", "L-0130", date(2026, 1, 30), "2", "0.95"),
    ):
        ledger.receive(
            "MILK",
            litres,
            "KITCHEN",
            lot=lot,
            expires_on=expires,
            unit_cost=UnitPrice(cost, "EUR"),
            idempotency_key=key,
        )
    ledger.receive(
        "EGG", 30, "KITCHEN", unit_cost=UnitPrice("0.22", "EUR"), idempotency_key="demo-e1"
    )
    taken = ledger.ship("MILK", 8, "KITCHEN", reference="SERVICE-0131", idempotency_key="demo-m4")
    picked = ", ".join(f"{m.quantity} L of {m.lot}" for m in taken)
    write(f"   8 L of milk, first expired first out (L-0130 is past its date): {picked}")
    (scrapped,) = ledger.scrap(
        "MILK", 2, "KITCHEN", lot="L-0130", reason="expired", idempotency_key="demo-m5"
    )
    write(f"   Lot {scrapped.lot} thrown away: {scrapped.quantity} L")
    milk = ledger.balance("MILK", "KITCHEN")
    write(f"   MILK    on hand {milk.on_hand} L, available {milk.available} L")
    write(f"   Crêpes the kitchen can make: {ledger.available('CREPE', 'KITCHEN')}")
    value = ledger.valuation("MILK", ValuationMethod.FIFO, "EUR")
    write(f"   Milk left: {value.on_hand} L, worth {value.stock_value} (FIFO)")


def _shown_url(url: str) -> str:
    """The store's URL without any password."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        credentials, host = rest.split("@", 1)
        user = credentials.split(":", 1)[0]
        return f"{scheme}://{user}@{host}"
    return url
