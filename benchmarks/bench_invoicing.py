"""EN 16931 totals of a 1,000-line invoice against the same sums in raw ``Decimal``.

The invoice is deterministic: 1,000 lines in EUR with quantities (some fractional),
prices with up to four decimals, some base quantities of 10 or 100, line allowances and
charges by amount and by percentage, three VAT rates (S 20, S 10, S 5.5), and two
document-level entries (a 2 % allowance at 20 %, a shipping charge at 5.5 %).

* ``totals``: :func:`~backoffice.invoicing.totals.document_totals` on prebuilt
  :class:`~backoffice.invoicing.model.InvoiceLine` objects against a baseline that does
  the same work on prebuilt tuples of ``Decimal``: each line net quantized half up to
  0.01 after its allowances and charges (a percentage one being booked to 0.01 first),
  grouped by (category, rate), each group's tax rounded once, the totals summed. Both
  give the same BT-106, BT-109, BT-110, BT-112 and line nets (checked once, outside the
  timing). Goal: at most 3×.
* ``build``: building the 1,000 validated lines from text against parsing the same text
  into ``Decimal`` tuples. Shown for information, with no goal: the lines check every
  field when they are built.

Every function returns ``(ours, baseline)`` in seconds per invoice line. Run ``python
benchmarks/bench_invoicing.py`` to print them, or ``benchmarks/run.py`` for the suite.
"""

from __future__ import annotations

import sys
from decimal import ROUND_HALF_UP, Decimal

from bench_stock import best_per_op

from backoffice import Money, UnitPrice
from backoffice.invoicing import AllowanceCharge, InvoiceLine, document_totals

__all__ = [
    "GOAL",
    "LINES",
    "Spec",
    "build",
    "build_lines",
    "document_entries",
    "invoice_specs",
    "main",
    "parse_specs",
    "totals",
    "totals_with_decimal",
    "totals_with_library",
]

LINES = 1000
GOAL = 3.0
CURRENCY = "EUR"
RATES = ("20", "10", "5.5")  # all category S

# One line as text: id, quantity, price, base quantity, rate, then its allowances and
# charges as (kind, amount, percentage, base amount), each ``None`` when not given.
Entry = tuple[str, str | None, str | None, str | None]
Spec = tuple[str, str, str, str, str, tuple[Entry, ...]]
# The same line parsed for the baseline: Decimal throughout.
RawEntry = tuple[bool, Decimal | None, Decimal | None, Decimal | None]
RawLine = tuple[Decimal, Decimal, Decimal, str, Decimal, tuple[RawEntry, ...]]

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def invoice_specs(size: int = LINES) -> list[Spec]:
    """``size`` deterministic lines, as text (no random generator: a fixed recipe)."""
    specs: list[Spec] = []
    for n in range(size):
        quantity = f"{1 + n % 37}" if n % 5 else f"{1 + n % 13}.{(n * 7) % 1000:03d}"
        price = f"{(n * 7919) % 200}.{1 + (n * 104729) % 9999:04d}"
        base = "100" if n % 11 == 0 else "10" if n % 17 == 0 else "1"
        rate = RATES[n % 3]
        entries: list[Entry] = []
        if n % 4 == 0:  # a percentage allowance on the line's gross amount
            gross = Decimal(quantity) * Decimal(price) / Decimal(base)
            entries.append(("allowance", None, f"{1 + n % 15}.5", str(gross.quantize(CENT))))
        if n % 7 == 0:  # a fixed charge
            entries.append(("charge", f"{n % 9}.{(n * 3) % 100:02d}", None, None))
        if n % 10 == 3:  # a fixed allowance
            entries.append(("allowance", f"0.{(n * 13) % 100:02d}", None, None))
        if n % 25 == 1:  # a percentage charge
            entries.append(("charge", None, "2.25", f"{n % 300}.{n % 7}0"))
        specs.append((str(n + 1), quantity, price, base, rate, tuple(entries)))
    return specs


def document_entries() -> list[tuple[str, str | None, str | None, str | None, str]]:
    """The document-level entries: (kind, amount, percentage, base amount, rate)."""
    return [
        ("allowance", None, "2", "15000.00", "20"),
        ("charge", "24.90", None, None, "5.5"),
    ]


# -- ours ----------------------------------------------------------------------------------


def _money(text: str | None) -> Money | None:
    return None if text is None else Money(text, CURRENCY)


def build_lines(specs: list[Spec]) -> tuple[list[InvoiceLine], list[AllowanceCharge]]:
    """The validated lines and document entries."""
    lines = [
        InvoiceLine(
            identifier,
            quantity=quantity,
            price=UnitPrice(price, CURRENCY),
            base_quantity=base,
            allowances_charges=[
                AllowanceCharge(
                    kind,
                    amount=_money(amount),
                    percentage=percentage,
                    base_amount=_money(base_amount),
                )
                for kind, amount, percentage, base_amount in entries
            ],
            vat_category="S",
            vat_rate=rate,
        )
        for identifier, quantity, price, base, rate, entries in specs
    ]
    document = [
        AllowanceCharge(
            kind,
            amount=_money(amount),
            percentage=percentage,
            base_amount=_money(base_amount),
            vat_category="S",
            vat_rate=rate,
        )
        for kind, amount, percentage, base_amount, rate in document_entries()
    ]
    return lines, document


Figures = tuple[Decimal, Decimal, Decimal, Decimal, list[Decimal]]  # BT-106, 109, 110, 112


def totals_with_library(lines: list[InvoiceLine], entries: list[AllowanceCharge]) -> Figures:
    totals = document_totals(lines, entries, CURRENCY)
    return (
        totals.sum_of_line_nets.amount,
        totals.total_without_vat.amount,
        totals.total_vat.amount,
        totals.total_with_vat.amount,
        [net.amount for net in totals.line_net_amounts],
    )


# -- the baseline --------------------------------------------------------------------------


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def parse_specs(specs: list[Spec]) -> tuple[list[RawLine], list[tuple[RawEntry, Decimal]]]:
    """The same lines and document entries as plain ``Decimal`` tuples."""
    lines = [
        (
            Decimal(quantity),
            Decimal(price),
            Decimal(base),
            "S",
            Decimal(rate),
            tuple(
                (kind == "charge", _decimal(amount), _decimal(percentage), _decimal(base_amount))
                for kind, amount, percentage, base_amount in entries
            ),
        )
        for _, quantity, price, base, rate, entries in specs
    ]
    document = [
        (
            (kind == "charge", _decimal(amount), _decimal(percentage), _decimal(base_amount)),
            Decimal(rate),
        )
        for kind, amount, percentage, base_amount, rate in document_entries()
    ]
    return lines, document


def _entry_amount(entry: RawEntry) -> Decimal:
    """The entry's amount, a percentage of its base booked to the cent."""
    _, amount, percentage, base = entry
    if amount is not None:
        return amount
    assert percentage is not None and base is not None
    return (base * percentage / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


def totals_with_decimal(lines: list[RawLine], document: list[tuple[RawEntry, Decimal]]) -> Figures:
    """What ``document_totals`` computes, with operators on ``Decimal`` (the default
    context's 28 digits are ample for these figures, which the check below confirms)."""
    nets: list[Decimal] = []
    groups: dict[tuple[str, Decimal], Decimal] = {}
    for quantity, price, base, category, rate, entries in lines:
        net = quantity * price / base
        for entry in entries:
            amount = _entry_amount(entry)
            net = net + amount if entry[0] else net - amount
        net = net.quantize(CENT, rounding=ROUND_HALF_UP)
        nets.append(net)
        key = (category, rate)
        groups[key] = groups.get(key, Decimal(0)) + net
    line_total = sum(nets, Decimal(0))
    allowances = charges = Decimal(0)
    for entry, rate in document:
        amount = _entry_amount(entry)
        if entry[0]:
            charges += amount
        else:
            allowances += amount
        key = ("S", rate)
        groups[key] = groups.get(key, Decimal(0)) + (amount if entry[0] else -amount)
    vat = Decimal(0)
    for (_, rate), taxable in groups.items():
        vat += (taxable * rate / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
    without_vat = line_total - allowances + charges
    return line_total, without_vat, vat, without_vat + vat, nets


# -- measuring -----------------------------------------------------------------------------


def totals(size: int = LINES, rounds: int = 15) -> tuple[float, float]:
    """Seconds per line: ``document_totals`` on built lines against the raw baseline."""
    specs = invoice_specs(size)
    lines, entries = build_lines(specs)
    raw_lines, raw_entries = parse_specs(specs)
    ours_figures = totals_with_library(lines, entries)
    base_figures = totals_with_decimal(raw_lines, raw_entries)
    # the same work: equal line nets and BT-106, BT-109, BT-110, BT-112
    assert ours_figures == base_figures, (ours_figures[:4], base_figures[:4])
    return best_per_op(
        lambda: document_totals(lines, entries, CURRENCY),
        lambda: totals_with_decimal(raw_lines, raw_entries),
        size,
        rounds,
    )


def build(size: int = LINES, rounds: int = 7) -> tuple[float, float]:
    """Seconds per line: building validated lines against parsing to ``Decimal``."""
    specs = invoice_specs(size)
    return best_per_op(lambda: build_lines(specs), lambda: parse_specs(specs), size, rounds)


def main(argv: list[str] | None = None) -> int:
    del argv
    header = f"{'benchmark':<36}{'ours':>12}{'baseline':>12}{'ratio':>8}  goal"
    print(header)
    print("-" * len(header))
    ours, base = totals()
    verdict = "ok" if ours / base <= GOAL else "MISSED"
    print(
        f"{'EN 16931 totals, 1,000 lines':<36}{ours * 1e9:>9.0f} ns{base * 1e9:>9.0f} ns"
        f"{ours / base:>7.2f}x  <={GOAL:g}x  {verdict}"
    )
    ours, base = build()
    print(
        f"{'  build 1,000 lines (validated)':<36}{ours * 1e9:>9.0f} ns{base * 1e9:>9.0f} ns"
        f"{ours / base:>7.2f}x  (no goal)"
    )
    print("(times per line)")
    return 0 if verdict == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
