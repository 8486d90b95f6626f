"""The values an EN 16931 invoice's totals are computed from.

Each field names the business term (``BT-``) or group (``BG-``) of EN 16931-1 it
carries, in its docstring and in its attrs metadata (``attrs.fields(InvoiceLine).vat_rate
.metadata["en16931"]`` is ``"BT-152"``).

A value checks its own fields when it is built and raises one
:class:`~backoffice.errors.ValidationError` listing every problem, with paths relative
to it (``"quantity"``, ``"allowances_charges.1.percentage"``). What only the document
as a whole can tell (the document currency, which rates a VAT category allows, whether
an allowance is at line or document level) is checked by
:func:`backoffice.invoicing.totals.document_totals`, with paths from the document
(``"lines.2.vat_rate"``).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Final, TypeVar

import attrs

from backoffice.core._numbers import NumberInput, strip_zeros, to_decimal
from backoffice.core.currency import Currency
from backoffice.core.money import Money, Rate, UnitPrice
from backoffice.core.quantity import get_unit
from backoffice.core.rounding import RoundingArg
from backoffice.errors import (
    BackofficeError,
    CurrencyMismatch,
    FloatNotAllowed,
    InvalidAmount,
    InvalidRate,
    InvalidType,
    InvalidValue,
    Problem,
    ValidationError,
)

__all__ = [
    "AllowanceCharge",
    "AllowanceChargeKind",
    "InvoiceLine",
    "VatCategory",
]

_BT: Final = "en16931"


def _bt(term: str) -> dict[str, str]:
    return {_BT: term}


class VatCategory(enum.StrEnum):
    """VAT category code (EN 16931 BT-118, BT-151, BT-95, BT-102; UNTDID 5305 subset).

    The category fixes which rates are allowed: ``S`` needs a rate above zero; ``Z``,
    ``E``, ``AE``, ``K`` and ``G`` a rate of exactly zero; ``O`` no rate at all; ``L``
    and ``M`` any rate from zero up (see :meth:`rate_problem`).
    """

    S = "S"
    """Standard rate: VAT at a rate above zero (BR-S-5)."""
    Z = "Z"
    """Zero rated goods: taxable, at a rate of 0 % (BR-Z-5)."""
    E = "E"
    """Exempt from VAT: rate 0, the exemption reason is stated (BR-E-5, BR-E-10)."""
    AE = "AE"
    """VAT reverse charge: the buyer accounts for the VAT; rate 0 (BR-AE-5)."""
    K = "K"
    """VAT exempt for an intra-community supply of goods and services in the EEA;
    rate 0 (BR-IC-5)."""
    G = "G"
    """Free export item, VAT not charged: export outside the EU; rate 0 (BR-G-5)."""
    O = "O"  # noqa: E741  (the code EN 16931 uses)
    """Services outside the scope of tax: no VAT rate at all, neither on lines nor in
    the VAT breakdown (BR-O-5, BR-O-9)."""
    L = "L"
    """Canary Islands general indirect tax (IGIC): a rate of 0 or more (BR-AF-5)."""
    M = "M"
    """Tax for production, services and importation in Ceuta and Melilla (IPSI): a rate
    of 0 or more (BR-AG-5)."""

    def rate_problem(self, rate: Decimal | None) -> str | None:
        """Why ``rate`` (in percent, ``None`` for none) is not allowed for this
        category, or ``None`` if it is.

        >>> VatCategory.E.rate_problem(Decimal("20"))
        'VAT category E (exempt from VAT) requires a rate of 0 (BR-E-5), got 20'
        >>> VatCategory.S.rate_problem(Decimal("20")) is None
        True
        """
        rule = _RATE_RULES[self]
        if rule == "none":
            if rate is None:
                return None
            problem = f"takes no VAT rate ({_RULE_IDS[self]}), got {rate}"
        elif rate is None:
            problem = f"requires a VAT rate ({_RULE_IDS[self]})"
        elif rule == "positive" and rate <= 0:
            problem = f"requires a rate above 0 ({_RULE_IDS[self]}), got {rate}"
        elif rule == "zero" and rate != 0:
            problem = f"requires a rate of 0 ({_RULE_IDS[self]}), got {rate}"
        elif rule == "any" and rate < 0:
            problem = f"requires a rate of 0 or more ({_RULE_IDS[self]}), got {rate}"
        else:
            return None
        # the message is only spelled out for a problem: this runs for every line
        return f"VAT category {self.value} ({_NAMES[self]}) {problem}"


_RATE_RULES: Final[dict[VatCategory, str]] = {
    VatCategory.S: "positive",
    VatCategory.Z: "zero",
    VatCategory.E: "zero",
    VatCategory.AE: "zero",
    VatCategory.K: "zero",
    VatCategory.G: "zero",
    VatCategory.O: "none",
    VatCategory.L: "any",
    VatCategory.M: "any",
}
_RULE_IDS: Final[dict[VatCategory, str]] = {
    VatCategory.S: "BR-S-5",
    VatCategory.Z: "BR-Z-5",
    VatCategory.E: "BR-E-5",
    VatCategory.AE: "BR-AE-5",
    VatCategory.K: "BR-IC-5",
    VatCategory.G: "BR-G-5",
    VatCategory.O: "BR-O-5",
    VatCategory.L: "BR-AF-5",
    VatCategory.M: "BR-AG-5",
}
_NAMES: Final[dict[VatCategory, str]] = {
    VatCategory.S: "standard rate",
    VatCategory.Z: "zero rated",
    VatCategory.E: "exempt from VAT",
    VatCategory.AE: "reverse charge",
    VatCategory.K: "intra-community supply",
    VatCategory.G: "export outside the EU",
    VatCategory.O: "not subject to VAT",
    VatCategory.L: "IGIC",
    VatCategory.M: "IPSI",
}


class AllowanceChargeKind(enum.StrEnum):
    """An allowance (BG-20, BG-27: lowers the amount) or a charge (BG-21, BG-28: raises
    it); UBL's ``ChargeIndicator`` false or true."""

    ALLOWANCE = "allowance"
    CHARGE = "charge"


# ---------------------------------------------------------------------------------------
# Checking fields, collecting every problem
# ---------------------------------------------------------------------------------------

T = TypeVar("T")
M = TypeVar("M", bound=enum.Enum)


class _Problems:
    """Runs field checks, keeping each failure as a :class:`Problem` at its path."""

    def __init__(self) -> None:
        self.found: list[Problem] = []

    def check(self, path: str, convert: Callable[[], T], default: T) -> T:
        try:
            return convert()
        except ValidationError as error:
            self.found.extend(
                Problem(f"{path}.{p.path}" if p.path else path, p.code, p.message, p.details)
                for p in error.problems
            )
        except BackofficeError as error:
            self.found.append(Problem.from_error(path, error))
        return default

    def add(self, path: str, error: BackofficeError) -> None:
        self.found.append(Problem.from_error(path, error))

    def texts(self, **values: object) -> dict[str, str | None]:
        """Each optional text of ``values`` checked at its own path."""
        return {field: self._text(field, value) for field, value in values.items()}

    def _text(self, field: str, value: object) -> str | None:
        return self.check(field, lambda: _text(value, field), None)

    def raise_if_any(self) -> None:
        if self.found:
            raise ValidationError(self.found)


def _text(value: object, field: str) -> str | None:
    return None if value is None else _required_text(value, field)


def _required_text(value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 1000:
        raise InvalidValue(
            field=field,
            reason=f"must be a non-empty text of at most 1000 characters, got {value!r}",
        )
    return value


def _money(value: object, field: str) -> Money:
    if isinstance(value, Money):
        return value
    if isinstance(value, float):
        raise FloatNotAllowed(field=field, value=value, example='Money("12.50", "EUR")')
    raise InvalidType(field=field, expected='a Money, e.g. Money("12.50", "EUR")', got=repr(value))


def _optional_money(value: object, field: str) -> Money | None:
    return None if value is None else _money(value, field)


def _percent(value: object, field: str, *, maximum: Decimal | None) -> Decimal:
    """A percentage (``"20"`` is 20 %), from a number or a :class:`Rate`."""
    number = value.percent_value if isinstance(value, Rate) else to_decimal(value, field, '"20"')
    if number < 0 or (maximum is not None and number > maximum):
        raise InvalidRate(
            field=field,
            value=f"{number} %",
            minimum="0 %",
            maximum="∞" if maximum is None else f"{maximum} %",
        )
    return strip_zeros(number)


def vat_rate_of(value: object, field: str = "vat_rate") -> Decimal | None:
    """A VAT rate in percent (``None`` for none), between 0 and 100, without trailing
    zeros so that ``"25.00"`` and ``"25"`` are the same rate."""
    if value is None:
        return None
    return _percent(value, field, maximum=Decimal(100))


def vat_category_of(value: object, field: str = "vat_category") -> VatCategory:
    """``value`` as a :class:`VatCategory`; anything else raises
    :class:`~backoffice.errors.InvalidValue`."""
    return member_of(VatCategory, value, field)


def member_of(kind: type[M], value: object, field: str) -> M:
    """``value`` as a member of the string enum ``kind`` (the member or its value);
    anything else raises :class:`~backoffice.errors.InvalidValue` listing the choices."""
    if isinstance(value, kind):
        return value
    if isinstance(value, str):
        try:
            return kind(value)
        except ValueError:
            pass
    choices = ", ".join(repr(member.value) for member in kind)
    named = field.rsplit(".", 1)[-1].replace("_", " ")
    raise InvalidValue(field=field, reason=f"unknown {named} {value!r}: use one of {choices}")


def _mismatch(field: str, left: object, right: object) -> CurrencyMismatch:
    return CurrencyMismatch(operation=f"combine {field}", left=left, right=right)


# ---------------------------------------------------------------------------------------
# Allowances and charges
# ---------------------------------------------------------------------------------------


@attrs.frozen(slots=True, init=False)
class AllowanceCharge:
    """An allowance or a charge, on the document (BG-20, BG-21) or on a line (BG-27,
    BG-28).

    Give either the ``amount``, or a ``percentage`` of a ``base_amount`` (the amount is
    then ``base_amount × percentage / 100``). When both are given, the stated amount is
    the one used, as on an imported document. A document-level allowance or charge
    names its VAT category and rate (BR-32, BR-37); a line-level one has none (it takes
    its line's). :func:`~backoffice.invoicing.totals.document_totals` checks both.

    >>> AllowanceCharge.allowance(amount=Money("10.00", "EUR"), vat_category="S",
    ...                           vat_rate="20").exact_amount()
    Fraction(10, 1)
    >>> AllowanceCharge.charge(percentage="2.5", base_amount=Money("99.90", "EUR"),
    ...                        vat_category="S", vat_rate="20").exact_amount()
    Fraction(999, 400)
    """

    kind: AllowanceChargeKind = attrs.field(metadata=_bt("BG-20/BG-21, BG-27/BG-28"))
    """Allowance or charge: which group the entry belongs to."""
    amount: Money | None = attrs.field(metadata=_bt("BT-92/BT-99, BT-136/BT-141"))
    """The amount, without VAT (document: BT-92 allowance, BT-99 charge; line: BT-136,
    BT-141)."""
    base_amount: Money | None = attrs.field(metadata=_bt("BT-93/BT-100, BT-137/BT-142"))
    """The base amount the percentage applies to (BT-93, BT-100; BT-137, BT-142)."""
    percentage: Decimal | None = attrs.field(metadata=_bt("BT-94/BT-101, BT-138/BT-143"))
    """The percentage, ``Decimal("2.5")`` for 2.5 % (BT-94, BT-101; BT-138, BT-143)."""
    vat_category: VatCategory | None = attrs.field(metadata=_bt("BT-95/BT-102"))
    """The VAT category of a document-level allowance (BT-95) or charge (BT-102)."""
    vat_rate: Decimal | None = attrs.field(metadata=_bt("BT-96/BT-103"))
    """The VAT rate in percent of a document-level allowance (BT-96) or charge
    (BT-103); ``None`` for category ``O``."""
    reason: str | None = attrs.field(metadata=_bt("BT-97/BT-104, BT-139/BT-144"))
    """The reason, as text (BT-97, BT-104; BT-139, BT-144)."""
    reason_code: str | None = attrs.field(metadata=_bt("BT-98/BT-105, BT-140/BT-145"))
    """The reason as a code: UNTDID 5189 for allowances, UNTDID 7161 for charges
    (BT-98, BT-105; BT-140, BT-145)."""

    def __init__(
        self,
        kind: AllowanceChargeKind | str,
        *,
        amount: Money | None = None,
        base_amount: Money | None = None,
        percentage: NumberInput | Rate | None = None,
        vat_category: VatCategory | str | None = None,
        vat_rate: NumberInput | Rate | None = None,
        reason: str | None = None,
        reason_code: str | None = None,
    ) -> None:
        problems = _Problems()
        checked_kind = problems.check(
            "kind",
            lambda: member_of(AllowanceChargeKind, kind, "kind"),
            AllowanceChargeKind.ALLOWANCE,
        )
        checked_amount = problems.check("amount", lambda: _optional_money(amount, "amount"), None)
        checked_base = problems.check(
            "base_amount", lambda: _optional_money(base_amount, "base_amount"), None
        )
        checked_percentage = problems.check(
            "percentage",
            lambda: (
                None if percentage is None else _percent(percentage, "percentage", maximum=None)
            ),
            None,
        )
        category = problems.check(
            "vat_category",
            lambda: None if vat_category is None else vat_category_of(vat_category),
            None,
        )
        rate = problems.check("vat_rate", lambda: vat_rate_of(vat_rate), None)
        checked_reason = problems.check("reason", lambda: _text(reason, "reason"), None)
        checked_code = problems.check(
            "reason_code", lambda: _text(reason_code, "reason_code"), None
        )
        if amount is None and (percentage is None or base_amount is None):
            problems.add(
                "amount",
                InvalidValue(
                    field="amount",
                    reason="give the amount, or a percentage and the base amount it applies to",
                ),
            )
        if (
            checked_amount is not None
            and checked_base is not None
            and checked_amount.currency is not checked_base.currency
        ):
            problems.add("base_amount", _mismatch("amount and base_amount", amount, base_amount))
        problems.raise_if_any()
        self.__attrs_init__(
            checked_kind,
            checked_amount,
            checked_base,
            checked_percentage,
            category,
            rate,
            checked_reason,
            checked_code,
        )

    @classmethod
    def allowance(
        cls,
        *,
        amount: Money | None = None,
        base_amount: Money | None = None,
        percentage: NumberInput | Rate | None = None,
        vat_category: VatCategory | str | None = None,
        vat_rate: NumberInput | Rate | None = None,
        reason: str | None = None,
        reason_code: str | None = None,
    ) -> AllowanceCharge:
        """An allowance: it lowers the amount it applies to."""
        return cls(
            AllowanceChargeKind.ALLOWANCE,
            amount=amount,
            base_amount=base_amount,
            percentage=percentage,
            vat_category=vat_category,
            vat_rate=vat_rate,
            reason=reason,
            reason_code=reason_code,
        )

    @classmethod
    def charge(
        cls,
        *,
        amount: Money | None = None,
        base_amount: Money | None = None,
        percentage: NumberInput | Rate | None = None,
        vat_category: VatCategory | str | None = None,
        vat_rate: NumberInput | Rate | None = None,
        reason: str | None = None,
        reason_code: str | None = None,
    ) -> AllowanceCharge:
        """A charge: it raises the amount it applies to."""
        return cls(
            AllowanceChargeKind.CHARGE,
            amount=amount,
            base_amount=base_amount,
            percentage=percentage,
            vat_category=vat_category,
            vat_rate=vat_rate,
            reason=reason,
            reason_code=reason_code,
        )

    @property
    def is_charge(self) -> bool:
        return self.kind is AllowanceChargeKind.CHARGE

    @property
    def money(self) -> Money:
        """The amount or, failing it, the base amount: what gives the currency."""
        found = self.amount if self.amount is not None else self.base_amount
        assert found is not None  # checked when built
        return found

    def exact_amount(self) -> Fraction:
        """The amount in major units, exact and unsigned by kind: the stated amount, or
        ``base_amount × percentage / 100`` unrounded."""
        if self.amount is not None:
            return Fraction(self.amount.amount)
        assert self.base_amount is not None and self.percentage is not None
        return Fraction(self.base_amount.amount) * Fraction(self.percentage) / 100

    def amount_rounded(self, rounding: RoundingArg) -> Money:
        """The amount as booked money: the stated amount, or the percentage of the base
        rounded once with ``rounding``."""
        if self.amount is not None:
            return self.amount
        assert self.base_amount is not None and self.percentage is not None
        # base × percentage / 100 counted in minor units, divided with one rounding: the
        # same figure as rounding exact_amount(), in integers (no Fraction to normalise)
        numerator, denominator = self.percentage.as_integer_ratio()
        scaled = Money.from_minor_units(
            self.base_amount.minor_units() * numerator, self.base_amount.currency
        )
        return scaled.divide(denominator * 100, rounding=rounding)


# ---------------------------------------------------------------------------------------
# Lines
# ---------------------------------------------------------------------------------------


def _entries(value: object, field: str) -> tuple[object, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidType(field=field, expected="a sequence of AllowanceCharge", got=repr(value))
    return tuple(value)


_PACKAGE_CODE: Final = re.compile(r"X[0-9A-Z]{2}")


def _unit_code(value: object) -> str:
    """A UN/ECE Recommendation 20 unit code, or a Recommendation 21 package code
    (``"XBX"`` a box, ``"XPK"`` a package...), which EN 16931 allows for BT-130: those
    count packages and convert to nothing."""
    if isinstance(value, str) and _PACKAGE_CODE.fullmatch(value):
        return value
    return get_unit(value).code


def _price(value: object, field: str = "price") -> UnitPrice | None:
    if value is None or isinstance(value, UnitPrice):
        return value
    if isinstance(value, float):
        raise FloatNotAllowed(field=field, value=value, example='UnitPrice("12.50", "EUR")')
    raise InvalidType(
        field=field, expected='a UnitPrice, e.g. UnitPrice("12.50", "EUR")', got=repr(value)
    )


def _base_quantity(value: object) -> Decimal:
    number = to_decimal(value, "base_quantity", '"100"')
    if number <= 0:
        raise InvalidAmount(
            f"base_quantity must be greater than zero, got {number}",
            field="base_quantity",
            value=number,
        )
    return number


@attrs.frozen(slots=True, init=False)
class InvoiceLine:
    """An invoice line (BG-25), as far as the totals need it.

    Its net amount (BT-131) is ``quantity × price / base_quantity − allowances +
    charges``, computed exactly and rounded once (:meth:`line_net_amount`). A line read
    from an existing document may state its net amount instead (``net_amount=``): it is
    then taken as stated, and quantity and price may be left out.

    >>> line = InvoiceLine("1", quantity="3", unit_code="C62",
    ...                    price=UnitPrice("12.345", "EUR"), vat_category="S", vat_rate="20")
    >>> line.line_net_amount(rounding=RoundingMode.HALF_UP)
    Money('37.04', 'EUR')
    """

    id: str = attrs.field(metadata=_bt("BT-126"))
    """The line identifier (BT-126)."""
    quantity: Decimal | None = attrs.field(metadata=_bt("BT-129"))
    """The invoiced quantity (BT-129); negative on a line that credits."""
    unit_code: str = attrs.field(metadata=_bt("BT-130"))
    """The quantity's unit, a UN/ECE Recommendation 20 code (BT-130), ``"C62"`` by
    default (one piece)."""
    price: UnitPrice | None = attrs.field(metadata=_bt("BT-146"))
    """The item net price (BT-146), in the document currency, up to ten decimals."""
    base_quantity: Decimal = attrs.field(metadata=_bt("BT-149"))
    """The number of units the price is for (BT-149): 12.50 per 100 pieces. Above zero;
    1 by default."""
    allowances_charges: tuple[AllowanceCharge, ...] = attrs.field(metadata=_bt("BG-27/BG-28"))
    """The line's allowances (BG-27) and charges (BG-28), without VAT category."""
    vat_category: VatCategory = attrs.field(metadata=_bt("BT-151"))
    """The invoiced item's VAT category (BT-151)."""
    vat_rate: Decimal | None = attrs.field(metadata=_bt("BT-152"))
    """The invoiced item's VAT rate in percent (BT-152); ``None`` for category ``O``."""
    net_amount: Money | None = attrs.field(metadata=_bt("BT-131"))
    """The line net amount as stated by an imported document (BT-131), or ``None`` to
    compute it."""
    name: str | None = attrs.field(default=None, metadata=_bt("BT-153"))
    """The item name (BT-153); an issued invoice needs one on every line (BR-25)."""
    description: str | None = attrs.field(default=None, metadata=_bt("BT-154"))
    """The item description (BT-154)."""
    seller_item_id: str | None = attrs.field(default=None, metadata=_bt("BT-155"))
    """The seller's identifier of the item, its SKU (BT-155)."""
    standard_item_id: str | None = attrs.field(default=None, metadata=_bt("BT-157"))
    """A standard identifier of the item (BT-157), such as a GTIN."""
    note: str | None = attrs.field(default=None, metadata=_bt("BT-127"))
    """A note on the line (BT-127)."""
    gross_price: UnitPrice | None = attrs.field(default=None, metadata=_bt("BT-148"))
    """The item gross price, before the price discount (BT-148); for information: the
    net price (BT-146) is what the amounts are computed from."""
    price_discount: UnitPrice | None = attrs.field(default=None, metadata=_bt("BT-147"))
    """The item price discount (BT-147). With the gross price, the net price is the gross
    price minus the discount, as EN 16931 defines BT-146 (checked when built); a gross
    price given alone has the difference as its discount."""

    def __init__(
        self,
        id: str,
        *,
        quantity: NumberInput | None = None,
        unit_code: str = "C62",
        price: UnitPrice | None = None,
        base_quantity: NumberInput = 1,
        allowances_charges: Iterable[AllowanceCharge] = (),
        vat_category: VatCategory | str,
        vat_rate: NumberInput | Rate | None,
        net_amount: Money | None = None,
        name: str | None = None,
        description: str | None = None,
        seller_item_id: str | None = None,
        standard_item_id: str | None = None,
        note: str | None = None,
        gross_price: UnitPrice | None = None,
        price_discount: UnitPrice | None = None,
    ) -> None:
        problems = _Problems()
        checked_id = problems.check("id", lambda: _required_text(id, "id"), "")
        texts = problems.texts(
            name=name,
            description=description,
            seller_item_id=seller_item_id,
            standard_item_id=standard_item_id,
            note=note,
        )
        checked_gross = problems.check(
            "gross_price", lambda: _price(gross_price, "gross_price"), None
        )
        checked_discount = problems.check(
            "price_discount", lambda: _price(price_discount, "price_discount"), None
        )
        checked_quantity = problems.check(
            "quantity",
            lambda: None if quantity is None else to_decimal(quantity, "quantity", '"3"'),
            None,
        )
        checked_unit = problems.check("unit_code", lambda: _unit_code(unit_code), "C62")
        checked_price = problems.check("price", lambda: _price(price), None)
        checked_base = problems.check(
            "base_quantity", lambda: _base_quantity(base_quantity), Decimal(1)
        )
        no_entries: tuple[object, ...] = ()
        entries = problems.check(
            "allowances_charges",
            lambda: _entries(allowances_charges, "allowances_charges"),
            no_entries,
        )
        for index, entry in enumerate(entries):
            if not isinstance(entry, AllowanceCharge):
                problems.add(
                    f"allowances_charges.{index}",
                    InvalidType(
                        field=f"allowances_charges.{index}",
                        expected="an AllowanceCharge",
                        got=repr(entry),
                    ),
                )
        category = problems.check(
            "vat_category", lambda: vat_category_of(vat_category), VatCategory.S
        )
        rate = problems.check("vat_rate", lambda: vat_rate_of(vat_rate), None)
        checked_net = problems.check(
            "net_amount", lambda: _optional_money(net_amount, "net_amount"), None
        )
        if net_amount is None:
            for field, given in (("quantity", quantity), ("price", price)):
                if given is None:
                    problems.add(
                        field,
                        InvalidValue(
                            field=field,
                            reason="is required to compute the line net amount "
                            "(or give net_amount, as stated on the document)",
                        ),
                    )
        if (
            checked_gross is not None
            and checked_discount is None
            and price_discount is None
            and checked_price is not None
            and checked_gross.currency is checked_price.currency
        ):
            # the discount is what separates the gross price from the net one
            if checked_gross.amount < checked_price.amount:
                problems.add(
                    "gross_price",
                    InvalidValue(
                        field="gross_price",
                        reason=f"the gross price {checked_gross.amount} is below the net price "
                        f"{checked_price.amount} (BT-148 ≥ BT-146)",
                    ),
                )
            else:
                checked_discount = UnitPrice(
                    checked_gross.amount - checked_price.amount, checked_price.currency
                )
        if checked_discount is not None and checked_gross is None and gross_price is None:
            problems.add(
                "price_discount",
                InvalidValue(
                    field="price_discount",
                    reason="a price discount (BT-147) is stated with the gross price it "
                    "comes off (BT-148): give gross_price too",
                ),
            )
        if (
            checked_gross is not None
            and checked_discount is not None
            and checked_price is not None
            and checked_gross.currency is checked_price.currency
            and checked_discount.currency is checked_price.currency
            and checked_gross.amount - checked_discount.amount != checked_price.amount
        ):
            problems.add(
                "price",
                InvalidValue(
                    field="price",
                    reason=f"the net price {checked_price.amount} must be the gross price "
                    f"{checked_gross.amount} minus the price discount "
                    f"{checked_discount.amount} (EN 16931: BT-146 = BT-148 − BT-147)",
                ),
            )
        problems.raise_if_any()
        self.__attrs_init__(
            checked_id,
            checked_quantity,
            checked_unit,
            checked_price,
            checked_base,
            tuple(entry for entry in entries if isinstance(entry, AllowanceCharge)),
            category,
            rate,
            checked_net,
            texts["name"],
            texts["description"],
            texts["seller_item_id"],
            texts["standard_item_id"],
            texts["note"],
            checked_gross,
            checked_discount,
        )
        currency_problems = _Problems()
        for path, found in self.amounts():
            if found.currency is not self.currency:
                currency_problems.add(path, _mismatch(path, found, self.currency.code))
        currency_problems.raise_if_any()

    @property
    def currency(self) -> Currency:
        """The line's currency: its price's, or its stated net amount's."""
        if self.price is not None:
            return self.price.currency
        assert self.net_amount is not None  # checked when built
        return self.net_amount.currency

    def amounts(self) -> list[tuple[str, Money | UnitPrice]]:
        """Every amount of the line with its path, the price first."""
        found: list[tuple[str, Money | UnitPrice]] = []
        if self.price is not None:
            found.append(("price", self.price))
        if self.net_amount is not None:
            found.append(("net_amount", self.net_amount))
        if self.gross_price is not None:
            found.append(("gross_price", self.gross_price))
        if self.price_discount is not None:
            found.append(("price_discount", self.price_discount))
        for index, entry in enumerate(self.allowances_charges):
            if entry.amount is not None:
                found.append((f"allowances_charges.{index}.amount", entry.amount))
            if entry.base_amount is not None:
                found.append((f"allowances_charges.{index}.base_amount", entry.base_amount))
        return found

    def exact_net_amount(self, *, rounding: RoundingArg) -> Fraction:
        """BT-131 before its rounding, in major units: the stated net amount, or
        ``quantity × price / base_quantity − allowances + charges``, where each line
        allowance or charge (BT-136, BT-141) is an amount of the currency (BR-DEC-24,
        BR-DEC-27): given as a percentage, it is rounded with ``rounding`` first."""
        if self.net_amount is not None:
            return Fraction(self.net_amount.amount)
        numerator, denominator = self._exact_net_units(rounding)
        return Fraction(numerator, denominator * self.currency.scale)

    def line_net_amount(self, *, rounding: RoundingArg) -> Money:
        """The line net amount (BT-131): as stated, or computed exactly (line allowances
        and charges being amounts of the currency) and rounded once to the currency's
        minor unit with ``rounding``."""
        if self.net_amount is not None:
            return self.net_amount
        numerator, denominator = self._exact_net_units(rounding)
        # numerator / denominator minor units, divided with the one rounding
        scaled = Money.from_minor_units(numerator, self.currency)
        return scaled.divide(denominator, rounding=rounding)

    def _exact_net_units(self, rounding: RoundingArg) -> tuple[int, int]:
        """The computed BT-131 before its rounding, counted in minor units, as an exact
        ratio of integers ``(numerator, denominator)`` with a positive denominator.

        The same value as ``Fraction(quantity) × Fraction(price) / Fraction(base_quantity)``
        with the allowances and charges added, but in plain integers: a Fraction reduces
        itself by a gcd at every step, which made this the hot spot of document_totals.
        """
        assert self.quantity is not None and self.price is not None
        quantity, per_quantity = self.quantity.as_integer_ratio()
        price, per_price = self.price.amount.as_integer_ratio()
        base, per_base = self.base_quantity.as_integer_ratio()  # base > 0
        numerator = quantity * price * per_base * self.price.currency.scale
        denominator = per_quantity * per_price * base
        for entry in self.allowances_charges:
            units = entry.amount_rounded(rounding).minor_units()
            numerator += units * denominator if entry.is_charge else -units * denominator
        return numerator, denominator
