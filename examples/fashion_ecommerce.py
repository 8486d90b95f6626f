"""A fashion e-shop on a launch day: stock in two warehouses, production receipts,
reservations at checkout raced by concurrent buyers (nothing is oversold), carts that
expire, orders invoiced automatically from the domain events outbox, and a return.

Run: ``python examples/fashion_ecommerce.py`` (SQLite in a temporary directory, a fixed
clock). The tutorial docs/tutorials/fashion-ecommerce.md explains it step by step.
"""

from __future__ import annotations

import tempfile
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import backoffice
from backoffice import Money, UnitPrice
from backoffice.core.time import ManualClock
from backoffice.errors import DuplicateRecord, InsufficientStock
from backoffice.inventory import Inventory, Item, Location, Reservation, ReserveLine
from backoffice.invoicing import (
    Address,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Invoicing,
    NumberSeries,
    Party,
    PaymentTerms,
    StoredInvoice,
)
from backoffice.storage import Store
from backoffice.storage.ports import OutboxEvent
from backoffice.taxid import parse

PARIS = ZoneInfo("Europe/Paris")
TENANT = "maison-lumen"
DRESS = "DRESS-LIN-M"
PRICES = {DRESS: UnitPrice("75.00", "EUR"), "SCARF-SOIE": UnitPrice("32.50", "EUR")}  # excl. VAT
NAMES = {DRESS: "Robe en lin, taille M", "SCARF-SOIE": "Foulard en soie"}
SELLER = Party(
    "Maison Lumen SAS",
    legal_id=parse("732 829 320", "FR", "siren"),
    vat_id=parse("FR40303265045"),
    address=Address("FR", lines=["18 rue du Mail"], postal_code="75002", city="Paris"),
)


def open_store(path: Path) -> Store:
    store = backoffice.open(f"sqlite:///{path}", tenant=TENANT)
    store.migrate()
    return store


def race_for_the_dress(
    path: Path, clock: ManualClock, buyers: int
) -> tuple[dict[str, Reservation], list[str]]:
    """``buyers`` threads check out one dress each at the same instant, each with its own
    connection to the SQLite file (as web workers would): Paris first, else Lyon."""
    won: dict[str, Reservation] = {}
    refused: list[str] = []
    done = threading.Lock()
    start = threading.Barrier(buyers)

    def checkout(number: int) -> None:
        order = f"WEB-{number:04d}"
        store = open_store(path)
        try:
            ledger = Inventory(store, clock=clock, zone=PARIS)
            start.wait()
            for warehouse in ("PARIS", "LYON"):
                try:
                    held = ledger.reserve(
                        order, [ReserveLine(DRESS, warehouse, 1)], ttl=timedelta(minutes=15)
                    )
                except InsufficientStock:
                    continue
                with done:
                    won[order] = held
                return
            with done:
                refused.append(order)
        finally:
            store.close()

    threads = [threading.Thread(target=checkout, args=(n,)) for n in range(1, buyers + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return won, sorted(refused)


def invoice_confirmed_orders(
    events: list[OutboxEvent], ledger: Inventory, invoicing: Invoicing, customers: dict[str, Party]
) -> list[StoredInvoice]:
    """Issue an invoice for each order confirmed in ``events``, record its payment (taken
    at checkout), and return the invoices issued. Safe to run again on the same events:
    the draft's id is the order's, so a replay finds the order's invoice instead of
    making a second one, and a paid invoice is not paid twice."""
    issued: list[StoredInvoice] = []
    for event in events:
        if event.type != "reservation.committed" or not event.payload["complete"]:
            continue  # a partial shipment is invoiced when the order is complete
        reservation = ledger.reservation(event.payload["id"])
        order = reservation.order_ref
        lines = [
            InvoiceLine(
                str(number),
                name=NAMES[line.item],
                quantity=str(line.committed),
                price=PRICES[line.item],
                vat_category="S",
                vat_rate="20",
            )
            for number, line in enumerate(reservation.lines, start=1)
        ]
        draft = Invoice(
            seller=SELLER,
            buyer=customers[order],
            currency="EUR",
            lines=lines,
            terms=PaymentTerms.net(0),
            order_reference=order,
        )
        try:
            stored = invoicing.create_draft(draft, id=f"order/{order}")
        except DuplicateRecord:  # a replay: the order has its invoice already
            stored = invoicing.get(f"order/{order}")
        if stored.status is InvoiceStatus.DRAFT:
            stored = invoicing.issue(stored.id, series="W")
            issued.append(stored)
        if stored.status is InvoiceStatus.ISSUED:  # paid at checkout, through the marketplace
            invoicing.record_payment(
                stored.customer,
                stored.balance_due,
                received_on=event.occurred_at.astimezone(PARIS).date(),
                allocations={stored.id: stored.balance_due},
                reference=f"marketplace payout {order}",
            )
    return issued


def main() -> None:
    clock = ManualClock(datetime(2026, 4, 15, 8, 0, tzinfo=UTC))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "shop.db"
        store = open_store(path)
        ledger = Inventory(store, clock=clock, zone=PARIS)
        invoicing = Invoicing(store, clock=clock, zone=PARIS)
        invoicing.define_series(NumberSeries("W", template="W{year}-{number:06d}"))

        print("Maison Lumen, launch of the linen dress, 15 April 2026")
        ledger.add_location(Location("PARIS", name="Entrepôt Paris"))
        ledger.add_location(Location("LYON", name="Entrepôt Lyon"))
        ledger.add_item(Item(DRESS, name=NAMES[DRESS]))
        ledger.add_item(Item("SCARF-SOIE", name=NAMES["SCARF-SOIE"]))
        cost = UnitPrice("31.00", "EUR")
        paris_run = ledger.expect(
            DRESS, 4, "PARIS", expected_at=clock.now(), reference="OF-2026-031"
        )
        lyon_run = ledger.expect(DRESS, 3, "LYON", expected_at=clock.now(), reference="OF-2026-032")
        print(
            f"  Production orders expected: {ledger.balance(DRESS, 'PARIS').incoming} in Paris,"
            f" {ledger.balance(DRESS, 'LYON').incoming} in Lyon"
        )
        ledger.receive(DRESS, 4, "PARIS", incoming=paris_run.id, unit_cost=cost)
        ledger.receive(DRESS, 3, "LYON", incoming=lyon_run.id, unit_cost=cost)
        ledger.receive("SCARF-SOIE", 20, "PARIS", unit_cost=UnitPrice("9.40", "EUR"))
        for balance in ledger.stock(DRESS):
            print(f"  Received from the workshop: {balance.on_hand} dresses in {balance.location}")
        store.acknowledge([event.id for event in store.pending_events()])  # not orders

        buyers = 12
        won, refused = race_for_the_dress(path, clock, buyers)
        print(f"\n{buyers} buyers check out at 08:00:00 on {buyers} threads")
        print(f"  {len(won)} reservations held, {len(refused)} refused: out of stock")
        for warehouse in ("PARIS", "LYON"):
            balance = ledger.balance(DRESS, warehouse)
            print(
                f"  {warehouse}: on hand {balance.on_hand}, reserved {balance.reserved},"
                f" available {balance.available}"
            )
            assert balance.available == 0 and balance.reserved == balance.on_hand
        assert len(won) == 7  # the 4 + 3 dresses: not one more

        paid, abandoned = sorted(won)[:5], sorted(won)[5:]
        clock.advance(timedelta(minutes=10))  # 08:10: five buyers have paid
        customers = {
            order: Party(f"Client {order}", id=f"CUS-{order}", address=Address("FR", city="Paris"))
            for order in won
        }
        for order in paid:
            ledger.commit(won[order].id)
        print(f"\n08:10: {len(paid)} orders paid: their reservations are committed (shipped)")

        clock.advance(timedelta(minutes=6))  # 08:16: the abandoned carts are over 15 minutes
        again = ledger.available(DRESS, "PARIS") + ledger.available(DRESS, "LYON")
        print(f"08:16: {len(abandoned)} abandoned carts expired, {again} dresses for sale again")
        assert again == len(abandoned)
        late = "WEB-0013"
        customers[late] = Party("Client WEB-0013", id="CUS-WEB-0013", address=Address("FR"))
        where = "PARIS" if ledger.available(DRESS, "PARIS") else "LYON"
        basket = ledger.reserve(
            late,
            [ReserveLine(DRESS, where, 1), ReserveLine("SCARF-SOIE", "PARIS", 2)],
            ttl=timedelta(minutes=15),
        )
        clock.advance(timedelta(minutes=3))
        ledger.commit(basket.id)
        print(f"08:19: {late} buys one of the freed dresses and two scarves")

        # the marketplace worker: read the outbox, invoice, acknowledge what was read
        invoices: list[StoredInvoice] = []
        seen: list[OutboxEvent] = []
        while events := store.pending_events():
            invoices += invoice_confirmed_orders(events, ledger, invoicing, customers)
            store.acknowledge([event.id for event in events])
            seen += events
        print("\nThe invoicing worker reads the outbox: one invoice per confirmed order")
        for stored in invoices:
            invoice = stored.invoice
            print(
                f"  {invoice.number}  {len(invoice.lines)} line(s)"
                f"  {invoice.totals.total_with_vat.format('fr_FR'):>10} incl. VAT"
            )
        assert len(invoices) == len(paid) + 1
        assert store.pending_events() == []

        # had the worker crashed before acknowledging, the same events would come back:
        assert invoice_confirmed_orders(seen, ledger, invoicing, customers) == []
        print("  Replaying the same events issues nothing more.")
        assert all(invoicing.get(i.id).status is InvoiceStatus.PAID for i in invoices)
        print("  Every invoice is paid: the payment taken at checkout is recorded against it.")

        clock.set(datetime(2026, 4, 20, 10, 0, tzinfo=UTC))
        returned = paid[0]
        ledger.take_back(DRESS, 1, "LYON", reference=returned, reason="size too small")
        first = invoicing.get(f"order/{returned}")
        note = invoicing.credit(first.id, notes=["Robe retournée"])
        credit = invoicing.customer_credit(first.customer, "EUR")
        invoicing.refund(first.customer, credit, paid_on=date(2026, 4, 20))
        print(
            "\n20 April: a customer returns a dress to the Lyon warehouse;"
            f" credit note {note.number}, {credit.format('fr_FR')} refunded"
        )
        left = sum(balance.on_hand for balance in ledger.stock(DRESS))
        print(f"  Dresses in stock: {left} (7 made, 6 sold, 1 returned)")
        sold = Money.total((i.invoice.totals.total_without_vat for i in invoices), "EUR")
        net = sold - note.invoice.totals.total_without_vat
        print(f"Sales excluding VAT after the return: {net.format('fr_FR')}")
        assert ledger.verify() == []
        store.close()


if __name__ == "__main__":
    main()
