"""EN 16931 document totals (BG-22) and VAT breakdown (BG-23).

The calculation rules of EN 16931-1, as :func:`document_totals` applies them:

* BR-CO-10: sum of invoice line net amounts (BT-106) = Σ line net amounts (BT-131).
* BR-CO-11: sum of allowances on document level (BT-107) = Σ document allowance
  amounts (BT-92).
* BR-CO-12: sum of charges on document level (BT-108) = Σ document charge amounts
  (BT-99).
* BR-CO-13: invoice total amount without VAT (BT-109) = BT-106 − BT-107 + BT-108.
* BR-CO-14: invoice total VAT amount (BT-110) = Σ VAT category tax amounts (BT-117).
* BR-CO-15: invoice total amount with VAT (BT-112) = BT-109 + BT-110.
* BR-CO-16: amount due for payment (BT-115) = BT-112 − BT-113 (paid amount) + BT-114
  (rounding amount).
* BR-CO-17: VAT category tax amount (BT-117) = VAT category taxable amount (BT-116) ×
  VAT category rate (BT-119) / 100, rounded to the currency's minor unit.

and, for every VAT category, its rules 8 and 9 (BR-S-8, BR-E-8, BR-O-8...): the
taxable amount (BT-116) of a (category, rate) pair is the sum of the line net amounts
minus the document allowances plus the document charges of that pair; categories whose
rate is zero, and ``O``, have a tax amount of zero.

Every amount is a :class:`~backoffice.core.money.Money` in the document currency, and
every rounding is named (``rounding=``, half up by default) and happens once: each line
net amount, each document allowance or charge given as a percentage, and each
category's tax.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Final

import attrs

from backoffice.core._numbers import strip_zeros, to_decimal
from backoffice.core.currency import Currency, get_currency
from backoffice.core.money import Money
from backoffice.core.rounding import RoundingArg, RoundingMode, RoundingPolicy, as_policy
from backoffice.errors import CurrencyMismatch, InvalidType, InvalidValue
from backoffice.invoicing.model import (
    AllowanceCharge,
    InvoiceLine,
    VatCategory,
    _optional_money,
    _Problems,
    member_of,
)

__all__ = ["DocumentTotals", "VatBreakdown", "VatRounding", "document_totals"]

_BT: Final = "en16931"


class VatRounding(enum.StrEnum):
    """Where the VAT is rounded.

    ``PER_CATEGORY`` (the EN 16931 rule, BR-CO-17) rounds once per VAT category and
    rate: tax = round(taxable amount × rate / 100). ``PER_LINE`` rounds the tax of each
    line and of each document allowance or charge, and sums those: the figures some
    tills print, which may differ from BR-CO-17 by a few minor units. The two are never
    mixed within a document.
    """

    PER_CATEGORY = "per_category"
    PER_LINE = "per_line"


@attrs.frozen(slots=True)
class VatBreakdown:
    """One VAT breakdown entry (BG-23): a VAT category and rate with its amounts."""

    category: VatCategory = attrs.field(metadata={_BT: "BT-118"})
    """The VAT category code (BT-118)."""
    rate: Decimal | None = attrs.field(metadata={_BT: "BT-119"})
    """The VAT category rate in percent (BT-119); ``None`` for category ``O``."""
    taxable_amount: Money = attrs.field(metadata={_BT: "BT-116"})
    """The VAT category taxable amount (BT-116)."""
    tax_amount: Money = attrs.field(metadata={_BT: "BT-117"})
    """The VAT category tax amount (BT-117)."""


@attrs.frozen(slots=True)
class DocumentTotals:
    """The document totals (BG-22) and the VAT breakdown (BG-23) of one invoice.

    ``allowances``, ``charges``, ``prepaid`` and ``rounding_amount`` are ``None`` when
    the document has none, as EN 16931 leaves those terms out; the totals count them as
    zero.
    """

    currency: Currency = attrs.field(metadata={_BT: "BT-5"})
    """The invoice currency (BT-5)."""
    line_net_amounts: tuple[Money, ...] = attrs.field(metadata={_BT: "BT-131"})
    """Each line's net amount (BT-131), in the order of the lines."""
    sum_of_line_nets: Money = attrs.field(metadata={_BT: "BT-106"})
    """Sum of invoice line net amounts (BT-106, BR-CO-10)."""
    allowances: Money | None = attrs.field(metadata={_BT: "BT-107"})
    """Sum of allowances on document level (BT-107, BR-CO-11)."""
    charges: Money | None = attrs.field(metadata={_BT: "BT-108"})
    """Sum of charges on document level (BT-108, BR-CO-12)."""
    total_without_vat: Money = attrs.field(metadata={_BT: "BT-109"})
    """Invoice total amount without VAT (BT-109, BR-CO-13)."""
    vat_breakdown: tuple[VatBreakdown, ...] = attrs.field(metadata={_BT: "BG-23"})
    """The VAT breakdown (BG-23), one entry per (category, rate), in order of first
    appearance (lines first, then document allowances and charges)."""
    total_vat: Money = attrs.field(metadata={_BT: "BT-110"})
    """Invoice total VAT amount (BT-110, BR-CO-14)."""
    total_with_vat: Money = attrs.field(metadata={_BT: "BT-112"})
    """Invoice total amount with VAT (BT-112, BR-CO-15)."""
    prepaid: Money | None = attrs.field(metadata={_BT: "BT-113"})
    """Paid amount (BT-113)."""
    rounding_amount: Money | None = attrs.field(metadata={_BT: "BT-114"})
    """Rounding amount (BT-114), added to make the amount due a payable figure."""
    amount_due: Money = attrs.field(metadata={_BT: "BT-115"})
    """Amount due for payment (BT-115, BR-CO-16)."""
    vat_rounding: VatRounding = VatRounding.PER_CATEGORY
    """Where the VAT was rounded."""
    total_vat_in_tax_currency: Money | None = attrs.field(default=None, metadata={_BT: "BT-111"})
    """Invoice total VAT amount in the VAT accounting currency (BT-111), when that
    currency (BT-6) differs from the invoice currency: BT-110 × the exchange rate,
    rounded once to that currency's minor unit."""

    def amounts(self) -> list[Money]:
        """Every amount stated: the line net amounts, the totals present, and each
        breakdown entry's taxable and tax amounts (BT-111, in another currency, aside)."""
        found = [
            *self.line_net_amounts,
            self.sum_of_line_nets,
            self.total_without_vat,
            self.total_vat,
            self.total_with_vat,
            self.amount_due,
        ]
        for optional in (self.allowances, self.charges, self.prepaid, self.rounding_amount):
            if optional is not None:
                found.append(optional)
        for entry in self.vat_breakdown:
            found += [entry.taxable_amount, entry.tax_amount]
        return found

    def breakdown(self, category: VatCategory | str, rate: object = None) -> VatBreakdown:
        """The breakdown entry of ``category`` at ``rate`` (percent; ``None`` for ``O``).

        Raises:
            InvalidValue: the document has no such category and rate.
        """
        from backoffice.invoicing.model import vat_category_of, vat_rate_of

        key = (vat_category_of(category, "category"), vat_rate_of(rate, "rate"))
        for entry in self.vat_breakdown:
            if (entry.category, entry.rate) == key:
                return entry
        raise InvalidValue(
            field="category", reason=f"no VAT breakdown for {key[0].value} at {key[1]} %"
        )


def _sequence(value: object, field: str) -> tuple[object, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidType(field=field, expected="a sequence", got=repr(value))
    return tuple(value)


def _check_currency(
    problems: _Problems, path: str, amount: object, currency: Currency | None
) -> None:
    found = getattr(amount, "currency", None)
    if currency is not None and found is not None and found is not currency:
        problems.add(
            path,
            CurrencyMismatch(
                operation="total", left=amount, right=f"the document currency {currency.code}"
            ),
        )


def _check_line(
    problems: _Problems, path: str, line: object, currency: Currency | None
) -> InvoiceLine | None:
    if not isinstance(line, InvoiceLine):
        problems.add(path, InvalidType(field=path, expected="an InvoiceLine", got=repr(line)))
        return None
    # A line's amounts all share its currency (checked when it was built), so each one
    # needs comparing, and its path spelling out, only when the line's currency differs.
    if line.currency is not currency:
        for sub, amount in line.amounts():
            _check_currency(problems, f"{path}.{sub}", amount, currency)
    reason = line.vat_category.rate_problem(line.vat_rate)
    if reason is not None:
        problems.add(f"{path}.vat_rate", InvalidValue(field=f"{path}.vat_rate", reason=reason))
    for index, entry in enumerate(line.allowances_charges):
        if entry.vat_category is not None or entry.vat_rate is not None:
            where = f"{path}.allowances_charges.{index}.vat_category"
            problems.add(
                where,
                InvalidValue(
                    field=where,
                    reason="a line allowance or charge takes its line's VAT category and "
                    "rate: give it none",
                ),
            )
    return line


def _check_entry(
    problems: _Problems, path: str, entry: object, currency: Currency | None
) -> AllowanceCharge | None:
    if not isinstance(entry, AllowanceCharge):
        problems.add(path, InvalidType(field=path, expected="an AllowanceCharge", got=repr(entry)))
        return None
    if entry.amount is not None:
        _check_currency(problems, f"{path}.amount", entry.amount, currency)
    if entry.base_amount is not None:
        _check_currency(problems, f"{path}.base_amount", entry.base_amount, currency)
    if entry.vat_category is None:
        rule = "BR-37" if entry.is_charge else "BR-32"
        problems.add(
            f"{path}.vat_category",
            InvalidValue(
                field=f"{path}.vat_category",
                reason=f"a document-level {entry.kind.value} needs a VAT category ({rule})",
            ),
        )
    else:
        reason = entry.vat_category.rate_problem(entry.vat_rate)
        if reason is not None:
            problems.add(f"{path}.vat_rate", InvalidValue(field=f"{path}.vat_rate", reason=reason))
    return entry


def _tax(amount: Money, rate: Decimal | None, policy: RoundingPolicy) -> Money:
    if rate is None or not rate:
        return Money.zero(amount.currency)
    return amount.multiply(Fraction(rate) / 100, rounding=policy)


def document_totals(
    lines: Iterable[InvoiceLine],
    allowances_charges: Iterable[AllowanceCharge],
    currency: Currency | str,
    *,
    prepaid: Money | None = None,
    rounding_amount: Money | None = None,
    vat_rounding: VatRounding | str = VatRounding.PER_CATEGORY,
    rounding: RoundingArg = RoundingMode.HALF_UP,
    tax_currency: Currency | str | None = None,
    exchange_rate: Decimal | None = None,
) -> DocumentTotals:
    """The totals (BG-22) and VAT breakdown (BG-23) of an invoice, per EN 16931.

    Args:
        lines: the invoice lines (BG-25); at least one (BR-16).
        allowances_charges: the document-level allowances (BG-20) and charges (BG-21),
            each with its VAT category and rate.
        currency: the invoice currency (BT-5).
        prepaid: the paid amount (BT-113), if any.
        rounding_amount: the rounding amount (BT-114), if any.
        vat_rounding: per category (EN 16931, BR-CO-17) or per line.
        rounding: how line net amounts, percentage allowances and charges, and taxes
            are rounded to the currency's minor unit.
        tax_currency: the VAT accounting currency (BT-6), when it differs from
            ``currency``; give ``exchange_rate`` (units of it per unit of ``currency``)
            with it, and the totals state BT-111.

    Raises:
        ValidationError: every problem in the input at once, each at its path
            (``"lines.2.vat_rate"``, ``"allowances_charges.0.vat_category"``,
            ``"prepaid"``...).

    >>> totals = document_totals(
    ...     [InvoiceLine("1", quantity="2", price=UnitPrice("49.95", "EUR"),
    ...                  vat_category="S", vat_rate="20")],
    ...     [AllowanceCharge.charge(amount=Money("5.00", "EUR"), vat_category="S",
    ...                             vat_rate="20", reason="Shipping")],
    ...     "EUR",
    ... )
    >>> totals.total_without_vat, totals.total_vat, totals.amount_due
    (Money('104.90', 'EUR'), Money('20.98', 'EUR'), Money('125.88', 'EUR'))
    """
    problems = _Problems()
    found: Currency | None = problems.check("currency", lambda: get_currency(currency), None)
    policy: RoundingPolicy | None = problems.check("rounding", lambda: as_policy(rounding), None)
    mode = problems.check(
        "vat_rounding", lambda: member_of(VatRounding, vat_rounding, "vat_rounding"), None
    )
    given_lines = problems.check("lines", lambda: _sequence(lines, "lines"), None)
    no_entries: tuple[object, ...] = ()
    given_entries = problems.check(
        "allowances_charges",
        lambda: _sequence(allowances_charges, "allowances_charges"),
        no_entries,
    )
    if given_lines is not None and not given_lines:
        problems.add(
            "lines", InvalidValue(field="lines", reason="an invoice has at least one line (BR-16)")
        )
    checked_lines = [
        _check_line(problems, f"lines.{index}", line, found)
        for index, line in enumerate(given_lines or ())
    ]
    checked_entries = [
        _check_entry(problems, f"allowances_charges.{index}", entry, found)
        for index, entry in enumerate(given_entries)
    ]
    paid = problems.check("prepaid", lambda: _optional_money(prepaid, "prepaid"), None)
    _check_currency(problems, "prepaid", paid, found)
    rounded = problems.check(
        "rounding_amount", lambda: _optional_money(rounding_amount, "rounding_amount"), None
    )
    _check_currency(problems, "rounding_amount", rounded, found)
    tax_found = problems.check(
        "tax_currency", lambda: None if tax_currency is None else get_currency(tax_currency), None
    )
    fx_rate = problems.check("exchange_rate", lambda: exchange_rate_of(exchange_rate), None)
    if (tax_currency is None) != (exchange_rate is None):
        problems.add(
            "exchange_rate",
            InvalidValue(
                field="exchange_rate",
                reason="give the VAT accounting currency and its exchange rate together",
            ),
        )
    problems.raise_if_any()
    assert found is not None and policy is not None and mode is not None

    final_lines = [line for line in checked_lines if line is not None]
    final_entries = [entry for entry in checked_entries if entry is not None]
    nets = tuple(line.line_net_amount(rounding=policy) for line in final_lines)
    groups: dict[tuple[VatCategory, Decimal | None], list[Money]] = {}
    for line, net in zip(final_lines, nets, strict=True):
        groups.setdefault((line.vat_category, line.vat_rate), []).append(net)
    allowance_amounts: list[Money] = []
    charge_amounts: list[Money] = []
    for entry in final_entries:
        assert entry.vat_category is not None  # checked above
        amount = entry.amount_rounded(policy)
        (charge_amounts if entry.is_charge else allowance_amounts).append(amount)
        signed = amount if entry.is_charge else -amount
        groups.setdefault((entry.vat_category, entry.vat_rate), []).append(signed)

    breakdown: list[VatBreakdown] = []
    for (category, rate), amounts in groups.items():
        taxable = Money.total(amounts, found)
        if mode is VatRounding.PER_CATEGORY:
            tax = _tax(taxable, rate, policy)
        else:
            tax = Money.total((_tax(amount, rate, policy) for amount in amounts), found)
        breakdown.append(VatBreakdown(category, rate, taxable, tax))

    line_total = Money.total(nets, found)
    allowances = Money.total(allowance_amounts, found) if allowance_amounts else None
    charges = Money.total(charge_amounts, found) if charge_amounts else None
    zero = Money.zero(found)
    without_vat = line_total - (allowances or zero) + (charges or zero)
    total_vat = Money.total((entry.tax_amount for entry in breakdown), found)
    with_vat = without_vat + total_vat
    due = with_vat - (paid or zero) + (rounded or zero)
    in_tax_currency = None
    if tax_found is not None and fx_rate is not None:
        in_tax_currency = Money(1, tax_found).multiply(
            Fraction(total_vat.amount) * Fraction(fx_rate), rounding=policy
        )
    return DocumentTotals(
        currency=found,
        line_net_amounts=nets,
        sum_of_line_nets=line_total,
        allowances=allowances,
        charges=charges,
        total_without_vat=without_vat,
        vat_breakdown=tuple(breakdown),
        total_vat=total_vat,
        total_with_vat=with_vat,
        prepaid=paid,
        rounding_amount=rounded,
        amount_due=due,
        vat_rounding=mode,
        total_vat_in_tax_currency=in_tax_currency,
    )


def exchange_rate_of(value: object) -> Decimal | None:
    """An exchange rate above zero, or ``None``."""
    if value is None:
        return None
    number = to_decimal(value, "exchange_rate", '"1.0823"')
    if number <= 0:
        raise InvalidValue(field="exchange_rate", reason=f"must be above 0, got {number}")
    return strip_zeros(number)
