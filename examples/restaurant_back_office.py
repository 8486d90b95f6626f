"""A restaurant's back office for one week: fresh stock by lot, recipes costed per dish,
orders shipped from the kitchen and invoiced, and the week's accounting figures.

Run: ``python examples/restaurant_back_office.py`` (it keeps its SQLite file in a
temporary directory, and its clock is fixed: every run prints the same figures).
The tutorial docs/tutorials/restaurant-back-office.md explains it step by step.
"""

from __future__ import annotations

import tempfile
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

import backoffice
from backoffice import Money, RoundingMode, UnitPrice
from backoffice.core.time import ManualClock
from backoffice.inventory import (
    Component,
    Inventory,
    Item,
    Location,
    Movement,
    Tracking,
    ValuationMethod,
)
from backoffice.invoicing import (
    Address,
    Invoice,
    InvoiceLine,
    Invoicing,
    NumberSeries,
    Party,
    PaymentTerms,
    StoredInvoice,
)
from backoffice.taxid import parse

PARIS = ZoneInfo("Europe/Paris")
EUR = "EUR"

# sku, name, unit, VAT rate, selling price excluding VAT, recipe (component, quantity)
MENU: list[tuple[str, str, str, str, list[tuple[str, str]]]] = [
    ("CAPRESE", "Salade caprese", "10", "9.50", [("TOMATO", "0.2"), ("MOZZA", "0.125")]),
    (
        "SALMON-PASTA",
        "Tagliatelles au saumon",
        "10",
        "17.00",
        [("PASTA", "0.12"), ("SALMON", "0.15"), ("CREAM", "0.08")],
    ),
]
WINE_PRICE = UnitPrice("26.00", EUR)  # a bottle of Brouilly, excluding VAT (20 %)

# customer id, name, what they ordered: (sku, quantity)
ORDERS: list[tuple[str, str, list[tuple[str, int]]]] = [
    ("C-001", "Agence Lumière SARL", [("CAPRESE", 8), ("SALMON-PASTA", 8), ("WINE", 3)]),
    ("C-002", "Cabinet Durand & Associés", [("CAPRESE", 4), ("SALMON-PASTA", 6)]),
    ("C-003", "Studio Presqu'île", [("SALMON-PASTA", 5), ("WINE", 2)]),
]


def open_kitchen(path: Path) -> tuple[backoffice.Store, ManualClock, Inventory, Invoicing]:
    """The store, the fixed clock, the stock ledger and the invoicing of the restaurant."""
    store = backoffice.open(f"sqlite:///{path}", tenant="bistrot-du-marche")
    store.migrate()
    clock = ManualClock(datetime(2026, 3, 2, 7, 0, tzinfo=PARIS))  # Monday morning
    ledger = Inventory(store, clock=clock, zone=PARIS)
    invoicing = Invoicing(store, clock=clock, zone=PARIS)
    return store, clock, ledger, invoicing


def stock_the_kitchen(ledger: Inventory) -> None:
    """The ingredients, tracked by lot with their expiry dates, and the recipes."""
    ledger.add_location(Location("KITCHEN", name="Cuisine"))
    ledger.add_location(Location("CELLAR", name="Cave"))
    for sku, unit, name in [
        ("TOMATO", "KGM", "Tomates anciennes"),
        ("MOZZA", "KGM", "Mozzarella di bufala"),
        ("SALMON", "KGM", "Pavé de saumon"),
        ("CREAM", "LTR", "Crème fraîche"),
    ]:
        ledger.add_item(Item(sku, unit=unit, tracking=Tracking.LOT, name=name))
    ledger.add_item(Item("PASTA", unit="KGM", name="Tagliatelles fraîches"))
    ledger.add_item(Item("WINE", name="Brouilly 2023, 75 cl"))

    def delivery(sku: str, quantity: str, cost: str, lot: str, expires: date | None) -> None:
        ledger.receive(
            sku,
            quantity,
            "CELLAR" if sku == "WINE" else "KITCHEN",
            unit_cost=UnitPrice(cost, EUR),
            lot=lot,
            expires_on=expires,
            reference="BL-0302",
        )

    delivery("TOMATO", "4", "4.20", "T-0302", date(2026, 3, 6))
    delivery("MOZZA", "1", "15.80", "M-0228", date(2026, 3, 3))  # left from last week
    delivery("MOZZA", "1.5", "16.40", "M-0302", date(2026, 3, 9))
    delivery("SALMON", "3", "28.00", "S-0302", date(2026, 3, 5))
    delivery("CREAM", "2", "3.90", "C-0302", date(2026, 3, 12))
    ledger.receive("PASTA", "3", "KITCHEN", unit_cost=UnitPrice("6.50", EUR))
    ledger.receive("WINE", 12, "CELLAR", unit_cost=UnitPrice("9.80", EUR))

    for sku, name, _, _, recipe in MENU:
        ledger.add_item(Item(sku, name=name, components=tuple(Component(c, q) for c, q in recipe)))


def cost_per_dish(ledger: Inventory) -> dict[str, Money]:
    """What each dish costs in ingredients: for each component, its share of the oldest
    FIFO cost layer (the stock the next sale takes its cost from)."""
    costs: dict[str, Money] = {}
    for sku, _, _, _, recipe in MENU:
        total = Money.zero(EUR)
        for component, quantity in recipe:
            layer = ledger.valuation(component, ValuationMethod.FIFO, EUR).layers[0]
            share = Fraction(Decimal(quantity)) / Fraction(layer.quantity)
            total += layer.value.multiply(share, rounding=RoundingMode.HALF_UP)
        costs[sku] = total
    return costs


def serve(
    ledger: Inventory, invoicing: Invoicing, seller: Party
) -> tuple[list[StoredInvoice], list[Movement]]:
    """Send each order out of the kitchen and invoice it."""
    invoicing.define_series(NumberSeries("F", template="F{year}-{number:05d}"))
    prices = {sku: (name, rate, UnitPrice(price, EUR)) for sku, name, rate, price, _ in MENU}
    prices["WINE"] = ("Brouilly 2023, 75 cl", "20", WINE_PRICE)
    invoices: list[StoredInvoice] = []
    shipped: list[Movement] = []
    for customer, name, order in ORDERS:
        lines = []
        for number, (sku, quantity) in enumerate(order, start=1):
            shipped += ledger.ship(
                sku, quantity, "CELLAR" if sku == "WINE" else "KITCHEN", reference=customer
            )
            label, rate, price = prices[sku]
            lines.append(
                InvoiceLine(
                    str(number),
                    name=label,
                    quantity=str(quantity),
                    price=price,
                    vat_category="S",
                    vat_rate=rate,
                )
            )
        buyer = Party(name, id=customer, address=Address("FR", city="Lyon", postal_code="69002"))
        draft = Invoice(
            seller=seller,
            buyer=buyer,
            currency=EUR,
            lines=lines,
            terms=PaymentTerms.net(30),
            language="fr_FR",
        )
        invoices.append(invoicing.issue(invoicing.create_draft(draft).id, series="F"))
    return invoices, shipped


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store, clock, ledger, invoicing = open_kitchen(Path(folder) / "restaurant.db")
        stock_the_kitchen(ledger)
        print("Monday 2 March 2026, Bistrot du Marché, Lyon")
        for sku in ("TOMATO", "MOZZA", "SALMON", "CREAM"):
            lots = ", ".join(f"{lot.code} (until {lot.expires_on})" for lot in ledger.lots(sku))
            print(f"  {sku:<7} {ledger.available(sku, 'KITCHEN'):>5}  lots: {lots}")
        print(f"  The kitchen can make {ledger.available('CAPRESE', 'KITCHEN')} caprese", end="")
        print(f" and {ledger.available('SALMON-PASTA', 'KITCHEN')} salmon pastas.")

        print("\nCost per dish (ingredients, FIFO) and margin at the menu price")
        costs = cost_per_dish(ledger)
        for sku, name, _, price, _ in MENU:
            margin = Money(price, EUR) - costs[sku]
            print(
                f"  {name:<24} cost {costs[sku].format('fr_FR'):>9}"
                f"  price {Money(price, EUR).format('fr_FR'):>9}"
                f"  margin {margin.format('fr_FR'):>9}"
            )

        clock.set(datetime(2026, 3, 3, 12, 0, tzinfo=PARIS))  # Tuesday lunch
        seller = Party(
            "Bistrot du Marché SARL",
            legal_id=parse("732 829 320", "FR", "siren"),
            vat_id=parse("FR40303265045"),
            address=Address("FR", lines=["4 place Carnot"], postal_code="69002", city="Lyon"),
        )
        invoices, shipped = serve(ledger, invoicing, seller)
        print("\nTuesday lunch: three company orders, shipped from stock and invoiced")
        for stored in invoices:
            invoice = stored.invoice
            print(
                f"  {invoice.number}  {invoice.buyer.name:<26}"
                f" {invoice.totals.total_with_vat.format('fr_FR'):>11} incl. VAT"
            )
        picked = sorted({(m.item, m.lot) for m in shipped if m.item == "MOZZA"})
        print(f"  Mozzarella picked first-expired, first-out: {[lot for _, lot in picked]}")

        clock.set(datetime(2026, 3, 6, 8, 0, tzinfo=PARIS))  # Friday morning
        salmon = ledger.balance("SALMON", "KITCHEN")
        print(f"\nFriday: {salmon.expired} kg of salmon is past its date (lot S-0302)")
        (waste,) = ledger.scrap("SALMON", salmon.expired, "KITCHEN", lot="S-0302", reason="expired")

        print("\nThe week in figures")
        revenue = Money.total((i.invoice.totals.total_without_vat for i in invoices), EUR)
        vat_by_rate: dict[Decimal, Money] = {}
        for stored in invoices:
            for entry in stored.invoice.totals.vat_breakdown:
                assert entry.rate is not None
                vat_by_rate[entry.rate] = vat_by_rate.get(entry.rate, Money.zero(EUR))
                vat_by_rate[entry.rate] += entry.tax_amount
        cost_of_sales = Money.zero(EUR)
        losses = Money.zero(EUR)
        for sku in ("TOMATO", "MOZZA", "SALMON", "CREAM", "PASTA", "WINE"):
            valued = ledger.valuation(sku, ValuationMethod.FIFO, EUR)
            sold = [valued.move(m.id).value for m in shipped if m.item == sku]
            cost_of_sales += Money.total(sold, EUR)
            if sku == waste.item:
                losses += valued.move(waste.id).value
        margin = revenue - cost_of_sales
        print(f"  Revenue excluding VAT   {revenue.format('fr_FR'):>12}")
        for rate, vat in sorted(vat_by_rate.items()):
            print(f"  VAT collected at {rate:>2} %  {vat.format('fr_FR'):>12}")
        print(f"  Cost of goods sold      {cost_of_sales.format('fr_FR'):>12}")
        print(f"  Gross margin            {margin.format('fr_FR'):>12}", end="")
        print(f"  ({margin.amount / revenue.amount:.1%} of revenue)")  # for display only
        print(f"  Expired stock scrapped  {losses.format('fr_FR'):>12}")
        assert ledger.verify() == []
        print(f"  {len(store.pending_events())} events wait in the outbox for the accounting.")
        store.close()


if __name__ == "__main__":
    main()
