"""``backoffice demo``: the library at work on a small restaurant back office.

Steps 1 to 8 show the building blocks (money, rounding, formats, quantities, dates,
errors, identifiers); steps 9 and 10 the kitchen's stock and an invoice on a store;
steps 11 to 16 a whole month of the restaurant on that store (January 2026): deliveries
in lots, dishes sold as kits, a cycle count and a reorder proposal, catering invoices,
a supplier e-invoice, the payroll, the compliance report, and a KPI report written as
one HTML page (:mod:`backoffice.reporting`).

Deterministic: the same locale gives the same output, byte for byte (fixed clocks, fixed
data), and a second run on the same database changes nothing. Each step is also a plain
use of the public API, so the source reads as an example.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import suppress
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

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
from backoffice.errors import BackofficeError, IdempotencyConflict, InvalidValue
from backoffice.storage import _without_password, open_store

if TYPE_CHECKING:
    from backoffice.compliance.engine import Finding
    from backoffice.inventory import Inventory
    from backoffice.invoicing import Invoice, InvoiceLine, Invoicing, Party
    from backoffice.reporting import KpiReport
    from backoffice.storage.ports import Store

__all__ = ["DEMO_CLOCK", "DEMO_MONTH", "report_path", "run_demo"]

#: Paris in winter (UTC+1): the zone of every day of the demo's month.
_PARIS: Final = timezone(timedelta(hours=1))
#: The demo's "now": 31 January 2026, 18:00 in Paris.
DEMO_CLOCK = FixedClock(datetime(2026, 1, 31, 18, 0, tzinfo=_PARIS))

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

    The stock part and the month of the restaurant (January 2026) run on the store at
    ``db`` (SQLite by default); the month's KPI report is written as an HTML page next
    to the SQLite file (in the current directory for another store). Running the demo
    again on the same database changes nothing and prints the same: every command
    carries an idempotency key or a fixed id, so a replay returns the first result.

    Raises:
        InvalidValue: the database holds demo data written differently (by another
            version of the demo): the field is ``db``.
        UnknownLocale: ``locale`` is not a locale babel knows.
        UnsupportedStore: no store opens ``db`` (raised before anything is printed).
    """
    locale = l10n.normalize_locale(locale)
    # opened first: a URL no store opens is refused before anything is printed
    store = open_store(db, tenant="demo-restaurant")

    try:

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
        try:
            _stock(store, db, write, locale)
        except IdempotencyConflict as error:
            raise InvalidValue(
                field="db",
                reason=f"{_without_password(db)} holds demo data written differently (by another "
                "version of the demo?): remove it or pass another --db",
            ) from error
        write("")
        write(f"Done: order total {money(total)}, {len(shares)} shares, nothing lost.")
        return total
    finally:
        store.close()


def _stock(store: Store, db: str, write: Callable[[str], object], locale: str) -> None:
    """The kitchen's stock on a real store: receipts, a held catering order, a count."""
    from backoffice.errors import DuplicateRecord, InsufficientStock
    from backoffice.inventory import Inventory, Item, Location, ReserveLine

    store.migrate()
    write(f"9. The kitchen's stock, on {_without_password(db)}")
    ledger = Inventory(store, clock=DEMO_CLOCK)
    for thing in (Item("FLOUR", "KGM", name="flour"), Item("TOMATO", "KGM", name="tomatoes")):
        with suppress(DuplicateRecord):  # a second run: the demo's data is there already
            ledger.add_item(thing)
    with suppress(DuplicateRecord):
        ledger.add_location(Location("KITCHEN", name="kitchen"))
    ledger.receive(
        "FLOUR",
        "25",
        "KITCHEN",
        reference="PO-0107",
        unit_cost=UnitPrice("0.87", "EUR"),
        idempotency_key="demo-r1",
    )
    ledger.receive(
        "TOMATO",
        "12.5",
        "KITCHEN",
        reference="PO-0107",
        unit_cost=UnitPrice("2.40", "EUR"),
        idempotency_key="demo-r2",
    )
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
            f"   CATERING-43 refused: {_kg(short['requested'], locale)} kg of tomatoes "
            f"asked, {_kg(short['available'], locale)} kg available"
        )
    ledger.commit(held.id, idempotency_key="demo-ship")
    for sku in ("FLOUR", "TOMATO"):
        balance = ledger.balance(sku, "KITCHEN")
        write(
            f"   {sku:<7} on hand {l10n.format_decimal(balance.on_hand, locale)} kg, "
            f"available {l10n.format_decimal(balance.available, locale)} kg"
        )
    _lots_and_kits(ledger, write, locale)
    checked = ledger.verify()
    write(f"   Balances match the journal: {checked or 'yes'}")
    write("")
    _invoices(store, write, locale)
    _month(store, write, locale, db)


def _invoices(store: Store, write: Callable[[str], object], locale: str) -> None:
    """The catering order invoiced with a legal number, part paid, one line credited."""
    from backoffice.errors import DuplicateRecord
    from backoffice.invoicing import (
        Address,
        Invoice,
        Invoicing,
        NumberSeries,
        Party,
        PaymentTerms,
    )

    write("10. The catering order invoiced, with a legal number")
    invoicing = Invoicing(store, clock=DEMO_CLOCK, zone=_PARIS)
    invoicing.define_series(NumberSeries("F", template="F{year}-{number:06d}"))
    lines = _lines((label, count, price, "10") for label, count, price in _ORDER)
    document = Invoice(
        seller=_restaurant(),
        buyer=Party(
            "Hôtel de la Plage",
            id="C-042",
            address=Address(
                "FR", lines=["12 boulevard de la Plage"], city="Quimper", postal_code="29000"
            ),
        ),
        currency="EUR",
        lines=lines,
        terms=PaymentTerms.net(30),
        language=locale,
    )
    # Fixed ids: a second run finds everything done, and changes nothing.
    _issue_once(invoicing, document, "demo-invoice", series="F")
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
        f"   {invoice.number}: {totals.total_without_vat.format(locale)} + VAT "
        f"{totals.total_vat.format(locale)} = {totals.amount_due.format(locale)}, "
        f"due {l10n.format_date(due, locale, format='long')}"
    )
    credit = invoicing.get("demo-credit")
    write(
        f"   Paid {Money('150.00', 'EUR').format(locale)}; credit note {credit.number} "
        f"for the drinks: {credit.amount_due.format(locale)}"
    )
    write(f"   Status {invoice.status.value}, still due {invoice.balance_due.format(locale)}")
    gaps = [report for report in invoicing.audit_numbering() if not report.ok]
    write(f"   Numbering audit: {gaps or 'no gap, no duplicate'}")


def _kg(text: str, locale: str) -> str:
    """A quantity of an error's details (decimal text), written for ``locale``."""
    return l10n.format_decimal(Decimal(text), locale)


def _lines(rows: Iterable[tuple[str, int, str, str]]) -> list[InvoiceLine]:
    """Invoice lines of ``(label, count, unit price, VAT rate)`` rows, standard rated."""
    from backoffice.invoicing import InvoiceLine

    return [
        InvoiceLine(
            str(number),
            name=label,
            quantity=str(count),
            price=UnitPrice(price, "EUR"),
            vat_category="S",
            vat_rate=rate,
        )
        for number, (label, count, price, rate) in enumerate(rows, start=1)
    ]


def _issue_once(invoicing: Invoicing, document: Invoice, invoice_id: str, **issue: Any) -> None:
    """Create the draft ``invoice_id`` and issue it, unless a run before did."""
    from backoffice.errors import DuplicateRecord, InvoiceIssued

    with suppress(DuplicateRecord):
        invoicing.create_draft(document, id=invoice_id)
    with suppress(InvoiceIssued):
        invoicing.issue(invoice_id, **issue)


def _lots_and_kits(ledger: Inventory, write: Callable[[str], object], locale: str) -> None:
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
    picked = ", ".join(
        f"{l10n.format_decimal(Decimal(m.quantity), locale)} L of {m.lot}" for m in taken
    )
    write(f"   8 L of milk, first expired first out (L-0130 is past its date): {picked}")
    (scrapped,) = ledger.scrap(
        "MILK", 2, "KITCHEN", lot="L-0130", reason="expired", idempotency_key="demo-m5"
    )
    write(f"   Lot {scrapped.lot} thrown away: {l10n.format_decimal(scrapped.quantity, locale)} L")
    milk = ledger.balance("MILK", "KITCHEN")
    write(
        f"   MILK    on hand {l10n.format_decimal(milk.on_hand, locale)} L, "
        f"available {l10n.format_decimal(milk.available, locale)} L"
    )
    write(f"   Crêpes the kitchen can make: {ledger.available('CREPE', 'KITCHEN')}")
    value = ledger.valuation("MILK", ValuationMethod.FIFO, "EUR")
    write(
        f"   Milk left: {l10n.format_decimal(value.on_hand, locale)} L, "
        f"worth {value.stock_value.format(locale)} (FIFO)"
    )


# ---------------------------------------------------------------------------------------
# A month of the restaurant: January 2026
# ---------------------------------------------------------------------------------------


#: The month the demo runs.
DEMO_MONTH: Final = Period.month(2026, 1)

#: The suppliers: name, VAT number (checked with :mod:`backoffice.taxid`).
_SUPPLIERS: Final = (
    ("Boucherie de l'Élorn", "FR03552081317"),
    ("Boulangerie Kerjean", "FR13542107651"),
    ("Fromagerie du Léon", "FR89380129866"),
    ("Primeurs et Huiles de Bretagne", "FR10334703220"),
)

#: The month's ingredients: sku, name, unit, lot-tracked, supplier (index), unit cost,
#: reorder minimum and maximum.
_INGREDIENTS: Final = (
    ("BEEF", "minced beef", "KGM", True, 0, "11.80", "5", "25"),
    ("BUN", "burger buns", "C62", True, 1, "0.35", "40", "160"),
    ("CHEESE", "comté", "KGM", True, 2, "18.50", "1.5", "6"),
    ("POTATO", "potatoes", "KGM", False, 3, "0.90", "20", "80"),
    ("OIL", "frying oil", "LTR", False, 3, "2.40", "4", "10"),
)

#: The dishes, sold as kits of their ingredients.
_RECIPES: Final = (
    ("BURGER", "burger", (("BEEF", "0.15"), ("BUN", "1"), ("CHEESE", "0.02"))),
    ("FRIES", "fries", (("POTATO", "0.2"), ("OIL", "0.02"))),
)

#: The deliveries of each week: day, sku, quantity, lot, expiry date.
_DELIVERIES: Final = (
    (
        (5, "BEEF", "20", "B-0112", date(2026, 1, 12)),
        (5, "BUN", "150", "P-0112", date(2026, 1, 12)),
        (5, "CHEESE", "5", "C-0315", date(2026, 3, 15)),
        (5, "POTATO", "50", "", None),
        (5, "OIL", "10", "", None),
    ),
    (
        (12, "BEEF", "20", "B-0119", date(2026, 1, 19)),
        (12, "BUN", "150", "P-0119", date(2026, 1, 19)),
        (12, "POTATO", "50", "", None),
    ),
    (
        (19, "BEEF", "20", "B-0126", date(2026, 1, 26)),
        (19, "BUN", "150", "P-0126", date(2026, 1, 26)),
        (19, "CHEESE", "5", "C-0320", date(2026, 3, 20)),
        (19, "OIL", "5", "", None),
    ),
    (
        (26, "BEEF", "15", "B-0203", date(2026, 2, 3)),
        (26, "BUN", "100", "P-0203", date(2026, 2, 3)),
        (26, "POTATO", "50", "", None),
    ),
)

#: What each week's service sold: day of the till's closing, burgers, fries.
_SALES: Final = ((11, 120, 150), (18, 125, 160), (25, 130, 170), (31, 80, 110))

#: The cycle count at the month's end: sku, lot, what was counted.
_COUNT: Final = ("CHEESE", "C-0320", "0.75")

#: The catering orders: id, customer, buyer, SIREN, street, issue day, lines (label,
#: count, price, VAT rate), what happens next.
_CATERING: Final = (
    (
        "demo-catering-1",
        "C-101",
        "Mairie de Brest",
        "552081317",
        "2 rue Frézier",
        6,
        (("Buffet for 40", 40, "18.00", "10"), ("Cider, bottle", 12, "6.50", "20")),
        "paid",
    ),
    (
        "demo-catering-2",
        "C-102",
        "Lycée de l'Harteloire",
        "542107651",
        "1 rue du Lycée",
        9,
        (("Lunch boxes", 60, "12.50", "10"), ("Soft drinks", 60, "2.00", "20")),
        "part paid",
    ),
    (
        "demo-catering-3",
        "C-103",
        "Club nautique du Moulin Blanc",
        "380129866",
        "Port du Moulin Blanc",
        20,
        (("Cocktail for 25", 25, "15.00", "10"),),
        "credited",
    ),
)

#: The staff: id, name, category, part-time ratio, gross, paid hours (None: full time).
_STAFF: Final = (
    ("FR-CHEF", "Chef (cadre)", "cadre", "1", "4200.00", None),
    ("FR-COOK", "Cook", "non-cadre", "1", "2100.00", None),
    ("FR-WAIT", "Waiter", "non-cadre", "1", "1900.00", None),
    ("FR-PART", "Dishwasher (part time, 60 %)", "non-cadre", "0.6", "1100.00", "91"),
)

#: The company's AT/MP rate (accidents at work), notified by the CARSAT.
_AT_MP: Final = "2.1"


def _on(day: int, hour: int = 10) -> FixedClock:
    """A clock stopped on ``day`` January 2026 at ``hour``, Paris time."""
    return FixedClock(datetime(2026, 1, day, hour, 0, tzinfo=_PARIS))


def report_path(db: str) -> Path:
    """Where the demo writes its KPI report: next to the SQLite database of ``db``, else
    in the current directory."""
    name = "backoffice-demo-report.html"
    if db.startswith("sqlite:///"):
        database = Path(db.removeprefix("sqlite:///").split("?", 1)[0])
        return database.with_name(f"{database.stem}-report.html")
    return Path(name)


def _month(store: Store, write: Callable[[str], object], locale: str, db: str) -> None:
    """January 2026 of the restaurant: stock, catering invoices, a supplier e-invoice,
    the payroll, the compliance report and the KPI report."""
    write("")
    first = l10n.format_date(DEMO_MONTH.start, locale, format="long")
    last = l10n.format_date(DEMO_MONTH.end, locale, format="long")
    write(f"A month of the restaurant, {first} to {last}")
    write("")
    _month_stock(store, write, locale)
    write("")
    _month_invoices(store, write, locale)
    write("")
    _supplier_einvoice(write, locale)
    write("")
    hours = _month_payroll(store, write, locale)
    write("")
    report = _month_compliance(store, write, locale, hours)
    write("")
    _month_report(report, write, locale, db)


def _month_stock(store: Store, write: Callable[[str], object], locale: str) -> None:
    """Deliveries in lots, dishes sold as kits (FEFO), expired lots thrown away, a cycle
    count, low-stock alerts and a reorder proposal."""
    from backoffice.errors import DuplicateRecord
    from backoffice.inventory import Component, Inventory, Item, MovementKind, Tracking

    write("11. Suppliers, deliveries in lots, dishes sold as recipes")
    for name, number in _SUPPLIERS:
        vat = taxid.parse(number)  # raises on a wrong checksum
        write(f"   Supplier {name}: VAT {vat.vat_number()} valid")
    setup = Inventory(store, clock=_on(1, 8), zone=_PARIS)
    for sku, name, unit, lots, *_ in _INGREDIENTS:
        with suppress(DuplicateRecord):
            setup.add_item(
                Item(sku, unit, tracking=Tracking.LOT if lots else Tracking.NONE, name=name)
            )
    for sku, name, parts in _RECIPES:
        with suppress(DuplicateRecord):
            setup.add_item(
                Item(sku, name=name, components=[Component(part, q) for part, q in parts])
            )
    for sku, *_, minimum, maximum in _INGREDIENTS:
        setup.set_reorder_rule(sku, "KITCHEN", minimum, maximum)
    costs = {row[0]: row[5] for row in _INGREDIENTS}
    sold = 0
    for week, (deliveries, (close, burgers, fries)) in enumerate(
        zip(_DELIVERIES, _SALES, strict=True), start=1
    ):
        for day, sku, quantity, lot, expires in deliveries:
            options: dict[str, Any] = {"lot": lot, "expires_on": expires} if lot else {}
            Inventory(store, clock=_on(day), zone=_PARIS).receive(
                sku,
                quantity,
                "KITCHEN",
                reference=f"PO-2026-01-{day:02d}",
                unit_cost=UnitPrice(costs[sku], "EUR"),
                idempotency_key=f"demo-jan-receive-{day}-{sku}",
                **options,
            )
        # the week's sales, at the till's close; the month's last day closes before the
        # stock count of 18:00
        till = Inventory(store, clock=_on(close, 23 if close < 31 else 17), zone=_PARIS)
        beef: list[str] = []
        for dish, count in (("BURGER", burgers), ("FRIES", fries)):
            moved = till.ship(
                dish,
                count,
                "KITCHEN",
                reference=f"TILL-2026-01-{close:02d}",
                idempotency_key=f"demo-jan-sale-{close}-{dish}",
            )
            beef += [
                f"{l10n.format_decimal(m.quantity, locale)} kg of {m.lot}"
                for m in moved
                if m.item == "BEEF"
            ]
            sold += count
        write(
            f"   Week {week}/4: {len(deliveries)} deliveries, {burgers} burgers and {fries} "
            f"fries sold; beef taken first expired first out: {', '.join(beef)}"
        )
    # The month's end: lots past their date are thrown away, the cheese is counted.
    ledger = Inventory(store, clock=DEMO_CLOCK, zone=_PARIS)
    for sku, *_ in _INGREDIENTS:
        for balance in ledger.stock(sku):
            if balance.lot and balance.expired > 0:
                ledger.scrap(
                    sku,
                    balance.expired,
                    "KITCHEN",
                    lot=balance.lot,
                    reason="expired",
                    idempotency_key=f"demo-jan-scrap-{sku}-{balance.lot}",
                )
    sku, lot, counted = _COUNT
    ledger.count(sku, "KITCHEN", counted, lot=lot, reference="COUNT-2026-01-31")
    moves = store.run(lambda uow: [m for m in uow.movements.all() if m.item in costs])
    scrapped = [m for m in moves if m.kind is MovementKind.SCRAP and m.reason == "expired"]
    write(
        "   Lots past their date thrown away: "
        + ", ".join(f"{l10n.format_decimal(m.quantity, locale)} {m.item} {m.lot}" for m in scrapped)
    )
    for move in moves:
        if move.kind is MovementKind.ADJUSTMENT and move.reference == "COUNT-2026-01-31":
            signed = move.quantity if move.source == "loss" else -move.quantity
            write(
                f"   Cycle count of {move.item} lot {move.lot}: "
                f"{l10n.format_decimal(Decimal(counted), locale)} kg counted, "
                f"adjustment {l10n.format_decimal(signed, locale)} kg"
            )
    write(f"   {sold} dishes sold in the month")
    # Each fall to a reorder minimum wrote a stock.low event to the outbox, in the same
    # transaction as the sale; the demo leaves them there for a worker to deliver.
    alerts = [
        event
        for event in store.pending_events(limit=100_000)
        if event.type == "stock.low" and event.payload["item"] in costs
    ]
    by_day: dict[date, list[str]] = {}
    for event in alerts:
        when = event.occurred_at.astimezone(_PARIS).date()
        by_day.setdefault(when, []).append(str(event.payload["item"]))
    write(f"   {len(alerts)} stock.low alerts written to the outbox as the stock fell:")
    for when, skus in by_day.items():
        write(f"     {l10n.format_date(when, locale)}: {', '.join(skus)}")
    for suggestion in ledger.replenishment():
        rule = suggestion.rule
        write(
            f"   Low stock: {rule.item:<7} {l10n.format_decimal(suggestion.available, locale):>6}"
            f" available (minimum {l10n.format_decimal(rule.minimum, locale)}): "
            f"order {l10n.format_decimal(suggestion.quantity, locale)}"
        )
    checked = ledger.verify()
    write(f"   Balances match the journal: {checked or 'yes'}")


def _restaurant() -> Party:
    """The restaurant, as seller of its invoices and buyer of its suppliers'."""
    from backoffice.invoicing import Address, Party

    return Party(
        "Crêperie du Port",
        legal_id=taxid.parse("732829320", "FR", "siren"),
        vat_id=taxid.parse("FR40303265045"),
        address=Address("FR", lines=["1 quai de la Douane"], city="Brest", postal_code="29200"),
    )


def _month_invoices(store: Store, write: Callable[[str], object], locale: str) -> None:
    """Three catering orders invoiced in series C: one paid, one part paid, one credited."""
    from backoffice.errors import DuplicateRecord
    from backoffice.invoicing import (
        Address,
        Invoice,
        Invoicing,
        NumberSeries,
        Party,
        PaymentTerms,
    )

    write("12. Catering orders invoiced with legal numbers (series C)")
    invoicing = Invoicing(store, clock=DEMO_CLOCK, zone=_PARIS)
    with suppress(DuplicateRecord):
        invoicing.define_series(NumberSeries("C", template="C{year}-{number:05d}"))
    for invoice_id, customer, name, siren, street, day, rows, _ in _CATERING:
        document = Invoice(
            seller=_restaurant(),
            buyer=Party(
                name,
                id=customer,
                legal_id=taxid.parse(siren, "FR", "siren"),
                address=Address("FR", lines=[street], city="Brest", postal_code="29200"),
            ),
            currency="EUR",
            lines=_lines(rows),
            terms=PaymentTerms.net(10),
            buyer_reference=f"ORDER-{customer}",
            language=locale,
        )
        _issue_once(invoicing, document, invoice_id, series="C", issue_date=date(2026, 1, day))
    first, second, third = (invoicing.get(row[0]) for row in _CATERING)
    with suppress(DuplicateRecord):
        invoicing.record_payment(
            first.customer,
            first.amount_due,
            received_on=date(2026, 1, 14),
            id="demo-jan-payment-1",
            reference="Transfer 0114",
        )
    with suppress(DuplicateRecord):
        invoicing.record_payment(
            second.customer,
            Money("400.00", "EUR"),
            received_on=date(2026, 1, 23),
            id="demo-jan-payment-2",
            reference="Cheque 4471",
        )
    with suppress(DuplicateRecord):
        invoicing.credit(third.id, id="demo-jan-credit-3", notes=["Event cancelled"])
    for row in _CATERING:
        stored = invoicing.get(row[0])
        due = stored.invoice.due_date
        assert due is not None
        write(
            f"   {stored.number} {stored.invoice.buyer.name}: "
            f"{stored.amount_due.format(locale)}, due {l10n.format_date(due, locale)}"
            f" -> {row[7]}, status {stored.status.value}, "
            f"still due {stored.balance_due.format(locale)}"
        )
    note = invoicing.get("demo-jan-credit-3")
    write(f"   Credit note {note.number}: {note.amount_due.format(locale)}")
    gaps = [report for report in invoicing.audit_numbering() if not report.ok]
    write(f"   Numbering audit: {gaps or 'no gap, no duplicate'}")


def _supplier_einvoice(write: Callable[[str], object], locale: str) -> None:
    """The butcher's invoice for the last delivery, as a UBL e-invoice: written with the
    library's writer, then read back and checked against the EN 16931 rules."""
    from backoffice import einvoice
    from backoffice.invoicing import Address, Invoice, InvoiceLine, Party, PaymentTerms

    write("13. A supplier e-invoice received and checked (UBL, EN 16931)")
    name, number = _SUPPLIERS[0]
    vat = taxid.parse(number)
    sent = Invoice(
        seller=Party(
            name,
            legal_id=taxid.parse(number[4:], "FR", "siren"),
            vat_id=vat,
            address=Address(
                "FR", lines=["Zone de Saint-Ernel"], city="Landerneau", postal_code="29800"
            ),
        ),
        buyer=_restaurant(),
        currency="EUR",
        lines=[
            InvoiceLine(
                "1",
                name="Minced beef, lot B-0203",
                quantity="15",
                unit_code="KGM",
                price=UnitPrice("11.80", "EUR"),
                vat_category="S",
                vat_rate="5.5",
            )
        ],
        terms=PaymentTerms.net(30),
        buyer_reference="PO-2026-01-26",
    ).issued("BE-2026-0126", date(2026, 1, 26))
    data = einvoice.write(sent, "ubl")
    received = einvoice.read(data)
    document = received.invoice
    verdict = "valid" if received.ok else "REFUSED"
    write(
        f"   {sent.number} from {name} ({received.syntax.upper()}, {len(data)} bytes): "
        f"{verdict}, {len(received.findings)} finding(s)"
    )
    for finding in received.findings:
        write(f"   [{finding.rule}] {finding.localized(locale)}")
    if document is None:  # the rules found it too broken to model
        return
    totals = document.totals
    write(
        f"   {totals.total_without_vat.format(locale)} + VAT "
        f"{totals.total_vat.format(locale)} = {totals.amount_due.format(locale)}"
    )


def _month_payroll(store: Store, write: Callable[[str], object], locale: str) -> dict[str, Decimal]:
    """The month's payslips of the staff (France pack), kept in a closed pay run.
    Returns the paid hours of the part-timers, by employee id."""
    from backoffice.errors import DuplicateRecord
    from backoffice.payroll import fr
    from backoffice.payroll.records import PayRuns

    write("14. The month's payroll (France), kept in a pay run")
    team = [
        (
            fr.Employee(key, category, headcount=len(_STAFF), part_time_ratio=ratio),
            fr.FranceInputs(gross, Rate.percent(_AT_MP), hours=hours),
        )
        for key, _, category, ratio, gross, hours in _STAFF
    ]
    payslips = fr.calculate_many(team, DEMO_MONTH)
    runs = PayRuns(store, clock=DEMO_CLOCK)
    run = "demo-payrun-2026-01"
    with suppress(DuplicateRecord):
        runs.open_run("FR", DEMO_MONTH, DEMO_MONTH.end, id=run)
    if runs.get(run).state == "open":
        if not runs.payslips(run):
            runs.record(run, payslips)
        runs.close(run)
    kept = runs.payslips(run)
    expected = sorted(payslips, key=lambda slip: slip.employee_id)
    if [slip.fingerprint for slip in kept] != [slip.fingerprint for slip in expected]:
        raise IdempotencyConflict(key=run)
    names = {row[0]: row[1] for row in _STAFF}
    for slip in kept:
        write(
            f"   {names[slip.employee_id]:<30} {len(slip.lines):>2} lines, gross "
            f"{slip.gross.format(locale)}, net {slip.net.format(locale)}, "
            f"cost {slip.employer_cost.format(locale)}"
        )

    def total(values: list[Money]) -> str:
        return Money.total(values, "EUR").format(locale)

    write(
        f"   Pay run {run} ({runs.get(run).state}): gross {total([s.gross for s in kept])}, "
        f"employee contributions {total([s.employee_total for s in kept])}, employer "
        f"contributions {total([s.employer_total for s in kept])}, cost "
        f"{total([s.employer_cost for s in kept])}"
    )
    return {key: Decimal(hours) for key, *_, hours in _STAFF if hours is not None}


def _month_compliance(
    store: Store, write: Callable[[str], object], locale: str, hours: dict[str, Decimal]
) -> KpiReport:
    """The compliance rules on the month's invoices (France) and pay, and the audit
    journal verified, as the month's KPI report reads them; return the report."""
    from backoffice.reporting import KpiReport

    write("15. The compliance report and the audit journal")
    report = KpiReport.from_store(store, DEMO_MONTH, hours=hours, clock=DEMO_CLOCK)
    counts = {
        severity: sum(1 for row in report.findings if row.finding.severity.value == severity)
        for severity in ("error", "warning", "info")
    }
    write(
        f"   {report.invoices + report.credit_notes} invoices and credit notes, "
        f"{len(_STAFF)} monthly pays checked: "
        + ", ".join(f"{count} {severity}(s)" for severity, count in counts.items())
    )
    grouped: dict[tuple[str, str], list[Finding]] = {}
    for row in report.findings:
        grouped.setdefault((row.finding.rule, row.document), []).append(row.finding)
    for (rule, where), found in grouped.items():
        paths = ", ".join(f.path for f in found if f.path)
        write(f"   [{rule}] {where} ({paths}): {found[0].message(locale)}")
    state = "intact" if report.journal_intact else "BROKEN"
    write(
        f"   Audit journal: {report.journal_chains} chains, {report.journal_entries} entries, "
        f"{state}"
    )
    return report


def _month_report(report: KpiReport, write: Callable[[str], object], locale: str, db: str) -> None:
    """The month's KPI report, as one HTML page next to the database."""
    from backoffice.reporting import write_kpi_html

    write("16. The month's key figures")
    write(
        f"   Revenue {report.revenue.format(locale)} + VAT "
        f"{report.vat.format(locale)}; receivables "
        f"{report.receivables.format(locale)}"
    )
    days = (
        "-"
        if report.days_of_inventory is None
        else (l10n.format_decimal(report.days_of_inventory, locale))
    )
    write(f"   Stock {report.stock_value.format(locale)}, {days} days of inventory")
    pay = report.payroll
    assert pay is not None  # step 14 closed the month's pay run
    write(
        f"   Payroll cost {pay.employer_cost.format(locale)} for "
        f"{pay.payslips} payslips; {len(report.findings)} compliance findings; audit "
        f"journal {'intact' if report.journal_intact else 'BROKEN'}"
    )
    path = write_kpi_html(report, report_path(db), locale, title=_restaurant().name)
    write(f"   Report: {path}")
