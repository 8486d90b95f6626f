"""Price a catering quote exactly, split it, and print it for French and Brazilian readers.

Run: ``python examples/catering_quote.py``
"""

from __future__ import annotations

from decimal import Decimal

from backoffice import Money, Quantity, Rate, RoundingMode, UnitPrice, allocate, split
from backoffice.core.l10n import format_percent

MENU = [
    # label, quantity, unit price (EUR per unit; quantities are converted), VAT rate
    ("Lunch box", Quantity(40, "C62"), UnitPrice("14.50", "EUR", per="C62"), "10"),
    ("Fresh orange juice", Quantity(12500, "MLT"), UnitPrice("3.84", "EUR", per="LTR"), "5.5"),
    ("Wine (Côtes du Rhône)", Quantity(12, "C62"), UnitPrice("9.90", "EUR", per="C62"), "20"),
]


def quote(locale: str) -> Money:
    """Print the quote in ``locale`` and return the amount due."""
    net_by_rate: dict[str, list[Money]] = {}
    print(f"Quote ({locale})")
    for label, quantity, price, rate in MENU:
        amount = price.extend(quantity, rounding=RoundingMode.HALF_UP)
        net_by_rate.setdefault(rate, []).append(amount)
        print(f"  {label:<24} {quantity.format(locale):>10}  {amount.format(locale):>12}")
    total_net = Money.zero("EUR")
    total_vat = Money.zero("EUR")
    for rate, amounts in sorted(net_by_rate.items(), key=lambda item: Decimal(item[0])):
        base = Money.total(amounts, "EUR")
        vat = Rate.percent(rate).of(base, rounding=RoundingMode.HALF_UP)  # once per rate
        total_net += base
        total_vat += vat
        shown = format_percent(Rate.percent(rate), locale)
        print(f"  VAT {shown:>6} on {base.format(locale):>12}: {vat.format(locale):>10}")
    due = total_net + total_vat
    print(f"  Total due: {due.format(locale)}")
    deposit, balance = allocate(due, [3, 7])
    print(f"  30 % deposit {deposit.format(locale)}, balance {balance.format(locale)}")
    assert deposit + balance == due
    return due


if __name__ == "__main__":
    due = quote("fr_FR")
    print()
    quote("pt_BR")
    shares = split(due, 4)
    print()
    print("Four departments share the bill:", ", ".join(s.format("fr_FR") for s in shares))
    assert Money.total(shares, "EUR") == due
