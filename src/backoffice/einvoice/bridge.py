"""From :class:`~backoffice.invoicing.document.Invoice` to the semantic tree and back.

:func:`tree_from_invoice` states every term the model carries, amounts with the
currency's decimals and the computed totals (BG-22) and VAT breakdown (BG-23).
:func:`invoice_from_tree` builds the model from what a document states: each line by its
stated net amount (BT-131), so that the totals recomputed from the lines can be compared
with the totals the document states.

Two model fields have no business term and are carried as follows:

* the payment terms (:class:`~backoffice.invoicing.terms.PaymentTerms`) are written as
  the payment terms text (BT-20) in the library's own wording, which is read back; any
  other text is kept out of the model (the due date BT-9 still is);
* the exchange rate is not stated by EN 16931, only the VAT total in the accounting
  currency (BT-111): reading gives the rate BT-111 / BT-110 (to 28 significant
  digits), from which BT-111 is recomputed unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Context, Decimal
from typing import Any, Final

from backoffice.core._numbers import strip_zeros
from backoffice.core.money import Money, Rate, UnitPrice
from backoffice.core.rounding import RoundingMode, RoundingPolicy
from backoffice.einvoice.tree import ROOT, Node, plain_decimal
from backoffice.errors import BackofficeError, InvalidValue, Problem, ValidationError
from backoffice.invoicing.document import (
    Address,
    Contact,
    Delivery,
    DocumentType,
    Invoice,
    Party,
    PaymentInstructions,
    PrecedingInvoice,
    VatExemption,
)
from backoffice.invoicing.model import AllowanceCharge, InvoiceLine
from backoffice.invoicing.terms import (
    DaysThenEndOfMonth,
    EarlyPaymentDiscount,
    EndOfMonth,
    EndOfMonthThenDays,
    Net,
    PaymentTerms,
)
from backoffice.taxid.model import TaxId

__all__ = [
    "CUSTOMIZATION_EN16931",
    "CUSTOMIZATION_PEPPOL",
    "PROFILE_PEPPOL",
    "invoice_from_tree",
    "terms_text",
    "tree_from_invoice",
]

CUSTOMIZATION_EN16931: Final = "urn:cen.eu:en16931:2017"
"""The specification identifier (BT-24) of the EN 16931 core (Factur-X EN 16931)."""
CUSTOMIZATION_PEPPOL: Final = (
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
)
"""The specification identifier (BT-24) of Peppol BIS Billing 3.0."""
PROFILE_PEPPOL: Final = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
"""The business process (BT-23) of Peppol BIS Billing 3.0."""

#: ISO/IEC 6523 scheme identifiers of legal registration identifiers the library knows.
_LEGAL_SCHEMES: Final = {("FR", "siren"): "0002", ("FR", "siret"): "0009"}
#: The scheme of the item standard identifier (BT-157): the model's is a GTIN.
GTIN_SCHEME: Final = "0160"


def _plain(value: Decimal) -> str:
    return format(value, "f")


def _amount(money: Money | None) -> str | None:
    return None if money is None else _plain(money.amount)


def _number(value: Decimal | None) -> str | None:
    return None if value is None else _plain(strip_zeros(value))


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


# ---------------------------------------------------------------------------------------
# Payment terms as text (BT-20)
# ---------------------------------------------------------------------------------------

_DISCOUNT: Final = re.compile(
    r"; early payment discount (?P<rate>[0-9.]+) % within (?P<days>\d+) days "
    r"\(rounding (?P<mode>[A-Z_]+)\)$"
)
_RULES: Final[list[tuple[re.Pattern[str], Callable[[re.Match[str]], Any]]]] = [
    (re.compile(r"net (\d+) days"), lambda m: Net(int(m.group(1)))),
    (re.compile(r"end of month"), lambda m: EndOfMonth()),
    (re.compile(r"(\d+) days, then end of month"), lambda m: DaysThenEndOfMonth(int(m.group(1)))),
    (re.compile(r"end of month, then (\d+) days"), lambda m: EndOfMonthThenDays(int(m.group(1)))),
]


def terms_text(terms: PaymentTerms) -> str:
    """The payment terms as text (BT-20), in the wording :func:`invoice_from_tree`
    reads back: ``"net 30 days"``, ``"45 days, then end of month; early payment
    discount 2 % within 10 days (rounding HALF_UP)"``."""
    text = str(terms.rule)
    discount = terms.early_discount
    if discount is not None:
        text += (
            f"; early payment discount {_number(discount.rate.percent_value)} % within "
            f"{discount.within_days} days (rounding {discount.rounding.mode.name})"
        )
    return text


def _terms(text: str | None) -> PaymentTerms | None:
    if text is None:
        return None
    discount = None
    found = _DISCOUNT.search(text)
    if found is not None:
        discount = EarlyPaymentDiscount(
            rate=Rate.percent(found.group("rate")),
            within_days=int(found.group("days")),
            rounding=RoundingPolicy(found.group("mode")),
        )
        text = text[: found.start()]
    for pattern, rule in _RULES:
        matched = pattern.fullmatch(text)
        if matched is not None:
            return PaymentTerms(rule(matched), early_discount=discount)
    return None


# ---------------------------------------------------------------------------------------
# Model -> tree
# ---------------------------------------------------------------------------------------


def _legal(node: Node, term: str, value: TaxId | None) -> None:
    if value is None:
        return
    node.set(term, value.compact())
    scheme = _LEGAL_SCHEMES.get((value.country.upper(), value.kind))
    node.set(f"{term}-1", scheme)


def _vat(value: TaxId | None) -> str | None:
    return None if value is None else value.vat_number()


def _address(node: Node, terms: tuple[str, ...], address: Address | None) -> None:
    if address is None:
        return
    line1, line2, line3, city, postcode, subdivision, country = terms
    for term, text in zip((line1, line2, line3), address.lines, strict=False):
        node.set(term, text)
    node.set(city, address.city)
    node.set(postcode, address.postal_code)
    node.set(subdivision, address.subdivision)
    node.set(country, address.country)


def _party(node: Node, group: str, party: Party | None) -> None:
    if party is None:
        return
    if group == "BG-10":  # the payee
        node.set("BT-59", party.name)
        node.set("BT-60", party.id)
        _legal(node, "BT-61", party.legal_id)
        return
    seller = group == "BG-4"
    name, trading, ident, legal, vat, address = (
        ("BT-27", "BT-28", "BT-29", "BT-30", "BT-31", "BT-34")
        if seller
        else ("BT-44", "BT-45", "BT-46", "BT-47", "BT-48", "BT-49")
    )
    node.set(name, party.name)
    node.set(trading, party.trading_name)
    node.set(ident, party.id)
    _legal(node, legal, party.legal_id)
    node.set(vat, _vat(party.vat_id))
    node.set(address, party.electronic_address)
    node.set(f"{address}-1", party.electronic_address_scheme)
    _address(
        node,
        ("BT-35", "BT-36", "BT-162", "BT-37", "BT-38", "BT-39", "BT-40")
        if seller
        else ("BT-50", "BT-51", "BT-163", "BT-52", "BT-53", "BT-54", "BT-55"),
        party.address,
    )
    contact = party.contact
    if contact is not None:
        terms = ("BT-41", "BT-42", "BT-43") if seller else ("BT-56", "BT-57", "BT-58")
        for term, text in zip(terms, (contact.name, contact.phone, contact.email), strict=True):
            node.set(term, text)


_EntryTerms = tuple[str, str, str, str | None, str | None, str, str]


def _allowance(parent: Node, entry: AllowanceCharge, *, line: bool, policy: RoundingPolicy) -> None:
    terms: _EntryTerms
    if line:
        group = "BG-28" if entry.is_charge else "BG-27"
        terms = ("BT-141", "BT-142", "BT-143", None, None, "BT-144", "BT-145")
        if not entry.is_charge:
            terms = ("BT-136", "BT-137", "BT-138", None, None, "BT-139", "BT-140")
    else:
        group = "BG-21" if entry.is_charge else "BG-20"
        terms = ("BT-99", "BT-100", "BT-101", "BT-102", "BT-103", "BT-104", "BT-105")
        if not entry.is_charge:
            terms = ("BT-92", "BT-93", "BT-94", "BT-95", "BT-96", "BT-97", "BT-98")
    node = parent.add(group)
    amount, base, percent, category, rate, reason, code = terms
    node.set(amount, _amount(entry.amount_rounded(policy)))
    node.set(base, _amount(entry.base_amount))
    node.set(percent, _number(entry.percentage))
    if category is not None and rate is not None:
        node.set(category, None if entry.vat_category is None else entry.vat_category.value)
        node.set(rate, _number(entry.vat_rate))
    node.set(reason, entry.reason)
    node.set(code, entry.reason_code)


def _price(price: UnitPrice | None) -> str | None:
    return None if price is None else _plain(price.amount)


def tree_from_invoice(
    invoice: Invoice,
    *,
    customization: str = CUSTOMIZATION_EN16931,
    profile: str | None = None,
) -> Node:
    """Every term ``invoice`` states, with its totals and VAT breakdown.

    Raises:
        InvalidValue: the invoice is a draft (it has no number: BT-1 is mandatory).
    """
    if invoice.is_draft:
        raise InvalidValue(
            field="number", reason="a draft has no number; issue it before writing it (BR-02)"
        )
    root = Node(ROOT)
    root.set("BT-24", customization)
    root.set("BT-23", profile if profile is not None else invoice.business_process)
    root.set("BT-1", invoice.number)
    root.set("BT-2", _day(invoice.issue_date))
    root.set("BT-3", invoice.type_code.value)
    root.set("BT-5", invoice.currency.code)
    root.set("BT-6", None if invoice.tax_currency is None else invoice.tax_currency.code)
    root.set("BT-9", _day(invoice.due_date))
    root.set("BT-10", invoice.buyer_reference)
    root.set("BT-13", invoice.order_reference)
    root.set("BT-20", None if invoice.terms is None else terms_text(invoice.terms))
    for note in invoice.notes:
        root.add("BG-1").set("BT-22", note)
    for ref in invoice.preceding:
        preceding = root.add("BG-3")
        preceding.set("BT-25", ref.number)
        preceding.set("BT-26", _day(ref.issue_date))
    _party(root, "BG-4", invoice.seller)
    _party(root, "BG-7", invoice.buyer)
    _party(root, "BG-10", invoice.payee)
    delivery = invoice.delivery
    if delivery is not None:
        root.set("BT-70", delivery.party_name)
        root.set("BT-71", delivery.location_id)
        root.set("BT-72", _day(delivery.date))
        _address(
            root,
            ("BT-75", "BT-76", "BT-165", "BT-77", "BT-78", "BT-79", "BT-80"),
            delivery.address,
        )
    payment = invoice.payment
    if payment is not None:
        root.set("BT-81", payment.means_code)
        root.set("BT-83", payment.remittance_information)
        if payment.account is not None:
            transfer = root.add("BG-17")
            transfer.set("BT-84", payment.account.compact())
            transfer.set("BT-85", payment.account_name)
            transfer.set("BT-86", None if payment.bic is None else payment.bic.compact())
    policy = invoice.rounding
    for entry in invoice.allowances_charges:
        _allowance(root, entry, line=False, policy=policy)
    totals = invoice.totals
    for term, money in (
        ("BT-106", totals.sum_of_line_nets),
        ("BT-107", totals.allowances),
        ("BT-108", totals.charges),
        ("BT-109", totals.total_without_vat),
        ("BT-110", totals.total_vat),
        ("BT-111", totals.total_vat_in_tax_currency),
        ("BT-112", totals.total_with_vat),
        ("BT-113", totals.prepaid),
        ("BT-114", totals.rounding_amount),
        ("BT-115", totals.amount_due),
    ):
        root.set(term, _amount(money))
    for vat_entry in totals.vat_breakdown:
        breakdown = root.add("BG-23")
        breakdown.set("BT-116", _amount(vat_entry.taxable_amount))
        breakdown.set("BT-117", _amount(vat_entry.tax_amount))
        breakdown.set("BT-118", vat_entry.category.value)
        breakdown.set("BT-119", _number(vat_entry.rate))
        exemption = invoice.exemption(vat_entry.category)
        if exemption is not None:
            breakdown.set("BT-120", exemption.reason)
            breakdown.set("BT-121", exemption.code)
    for line, net in zip(invoice.lines, totals.line_net_amounts, strict=True):
        node = root.add("BG-25")
        node.set("BT-126", line.id)
        node.set("BT-127", line.note)
        node.set("BT-129", _number(line.quantity))
        node.set("BT-130", line.unit_code)
        node.set("BT-131", _amount(net))
        for entry in line.allowances_charges:
            _allowance(node, entry, line=True, policy=policy)
        node.set("BT-146", _price(line.price))
        node.set("BT-147", _price(line.price_discount))
        node.set("BT-148", _price(line.gross_price))
        if line.base_quantity != 1:
            node.set("BT-149", _number(line.base_quantity))
            node.set("BT-150", line.unit_code)
        node.set("BT-151", line.vat_category.value)
        node.set("BT-152", _number(line.vat_rate))
        node.set("BT-153", line.name)
        node.set("BT-154", line.description)
        node.set("BT-155", line.seller_item_id)
        node.set("BT-157", line.standard_item_id)
        if line.standard_item_id is not None:
            node.set("BT-157-1", GTIN_SCHEME)
    return root


# ---------------------------------------------------------------------------------------
# Tree -> model
# ---------------------------------------------------------------------------------------


class _Reader:
    """Builds model values from a tree, keeping every problem with the location of the
    term it comes from."""

    def __init__(self, currency: str) -> None:
        self.currency = currency
        self.problems: list[Problem] = []

    def build(self, node: Node, term: str | None, make: Callable[[], Any]) -> Any:
        try:
            return make()
        except ValidationError as error:
            where = node.where(term) if term else node.location
            self.problems.extend(
                Problem(where, p.code, _with_path(p), p.details) for p in error.problems
            )
        except BackofficeError as error:
            where = node.where(term) if term else node.location
            self.problems.append(Problem.from_error(where, error))
        return None

    def money(self, node: Node, term: str) -> Money | None:
        text = node.get(term)
        if text is None:
            return None
        return self.build(node, term, lambda: Money(text, self.currency))  # type: ignore[no-any-return]

    def price(self, node: Node | None, term: str) -> UnitPrice | None:
        text = None if node is None else node.get(term)
        if node is None or text is None:
            return None
        return self.build(node, term, lambda: UnitPrice(text, self.currency))  # type: ignore[no-any-return]

    def day(self, node: Node | None, term: str) -> date | None:
        text = None if node is None else node.get(term)
        if node is None or text is None:
            return None

        def parse() -> date:
            try:
                return date.fromisoformat(text)
            except ValueError:
                raise InvalidValue(field=term, reason=f"is not a date: {text!r}") from None

        return self.build(node, term, parse)  # type: ignore[no-any-return]

    def tax_id(self, node: Node, term: str, country: str | None, kind: str | None) -> TaxId | None:
        text = node.get(term)
        if text is None:
            return None
        from backoffice import taxid

        return self.build(node, term, lambda: taxid.parse(text, country, kind))  # type: ignore[no-any-return]


def _address_of(reader: _Reader, node: Node, terms: tuple[str, ...]) -> Address | None:
    line1, line2, line3, city, postcode, subdivision, country = terms
    if not any(node.get(term) for term in terms):
        return None
    lines = [text for text in (node.get(line1), node.get(line2), node.get(line3)) if text]
    return reader.build(  # type: ignore[no-any-return]
        node,
        country,
        lambda: Address(
            node.get(country) or "",
            lines=lines,
            city=node.get(city),
            postal_code=node.get(postcode),
            subdivision=node.get(subdivision),
        ),
    )


def _party_of(reader: _Reader, node: Node, group: str) -> Party | None:
    if group == "BG-10":
        if node.get("BT-59") is None and node.get("BT-60") is None:
            return None
        # the payee has no address: its legal identifier's scheme alone tells its
        # country and kind, when only one known (country, kind) has that scheme
        known = [key for key, scheme in _LEGAL_SCHEMES.items() if scheme == node.get("BT-61-1")]
        payee_country, payee_kind = known[0] if len(known) == 1 else (None, None)
        payee_legal = reader.tax_id(node, "BT-61", payee_country, payee_kind)
        return reader.build(  # type: ignore[no-any-return]
            node,
            "BT-59",
            lambda: Party(node.get("BT-59") or "", id=node.get("BT-60"), legal_id=payee_legal),
        )
    seller = group == "BG-4"
    name, trading, ident, legal, vat, address = (
        ("BT-27", "BT-28", "BT-29", "BT-30", "BT-31", "BT-34")
        if seller
        else ("BT-44", "BT-45", "BT-46", "BT-47", "BT-48", "BT-49")
    )
    postal = _address_of(
        reader,
        node,
        ("BT-35", "BT-36", "BT-162", "BT-37", "BT-38", "BT-39", "BT-40")
        if seller
        else ("BT-50", "BT-51", "BT-163", "BT-52", "BT-53", "BT-54", "BT-55"),
    )
    country = None if postal is None else postal.country
    scheme = node.get(f"{legal}-1")
    kind = next((k for (c, k), s in _LEGAL_SCHEMES.items() if s == scheme and c == country), None)
    terms = ("BT-41", "BT-42", "BT-43") if seller else ("BT-56", "BT-57", "BT-58")
    contact = None
    if any(node.get(term) for term in terms):
        contact = reader.build(
            node,
            terms[0],
            lambda: Contact(node.get(terms[0]), phone=node.get(terms[1]), email=node.get(terms[2])),
        )
    legal_id = reader.tax_id(node, legal, country, kind)
    vat_id = reader.tax_id(node, vat, None, None)
    return reader.build(  # type: ignore[no-any-return]
        node,
        name,
        lambda: Party(
            node.get(name) or "",
            id=node.get(ident),
            trading_name=node.get(trading),
            legal_id=legal_id,
            vat_id=vat_id,
            address=postal,
            contact=contact,
            electronic_address=node.get(address),
            electronic_address_scheme=node.get(f"{address}-1"),
        ),
    )


_ENTRY_TERMS: Final = {
    "BG-20": ("allowance", "BT-92", "BT-93", "BT-94", "BT-95", "BT-96", "BT-97", "BT-98"),
    "BG-21": ("charge", "BT-99", "BT-100", "BT-101", "BT-102", "BT-103", "BT-104", "BT-105"),
    "BG-27": ("allowance", "BT-136", "BT-137", "BT-138", None, None, "BT-139", "BT-140"),
    "BG-28": ("charge", "BT-141", "BT-142", "BT-143", None, None, "BT-144", "BT-145"),
}


def _entries_of(reader: _Reader, parent: Node, groups: tuple[str, str]) -> list[AllowanceCharge]:
    found: list[AllowanceCharge] = []
    for group in groups:
        terms = _ENTRY_TERMS[group]
        for node in parent.children(group):
            entry = reader.build(node, None, _entry_maker(reader, node, terms))
            if entry is not None:
                found.append(entry)
    return found


def _entry_maker(
    reader: _Reader, node: Node, terms: tuple[str, str, str, str, str | None, str | None, str, str]
) -> Callable[[], AllowanceCharge]:
    """The entry as stated; like a line's net amount, its amount is left to be computed
    when it is the percentage of the base amount rounded half up, as the library
    computes and writes it."""
    kind, amount, base, percent, category, rate, reason, code = terms

    def build(stated: Money | None, base_amount: Money | None) -> AllowanceCharge:
        return AllowanceCharge(
            kind,
            amount=stated,
            base_amount=base_amount,
            percentage=node.get(percent),
            vat_category=None if category is None else node.get(category),
            vat_rate=None if rate is None else node.get(rate),
            reason=node.get(reason),
            reason_code=node.get(code),
        )

    def make() -> AllowanceCharge:
        """The entry as stated. When its amount is the percentage of its base, rounded
        half up, the entry computes it, as one built in the library would (as
        :func:`_line_of` does for a line's net amount)."""
        stated = reader.money(node, amount)
        base_amount = reader.money(node, base)
        if stated is not None and base_amount is not None and node.get(percent) is not None:
            try:
                computed = build(None, base_amount)
                if computed.amount_rounded(RoundingMode.HALF_UP) == stated:
                    return computed
            except BackofficeError:
                pass  # reported below, with the stated amount
        return build(stated, base_amount)

    return make


def _line_of(reader: _Reader, node: Node) -> InvoiceLine | None:
    """The line as stated. Its net amount (BT-131) is kept as stated when it differs
    from quantity × price / base quantity ± allowances and charges (rounded half up, as
    EN 16931 does); when they agree, the line computes it, as one built in the library
    would."""
    base = node.get("BT-149")
    stated = reader.money(node, "BT-131")
    price = reader.price(node, "BT-146")

    def make(net_amount: Money | None) -> InvoiceLine:
        return InvoiceLine(
            node.get("BT-126") or "",
            quantity=node.get("BT-129"),
            unit_code=node.get("BT-130") or "C62",
            price=price,
            base_quantity=base if base is not None else 1,
            allowances_charges=_entries_of(reader, node, ("BG-27", "BG-28")),
            vat_category=node.get("BT-151") or "",
            vat_rate=node.get("BT-152"),
            net_amount=net_amount,
            name=node.get("BT-153"),
            description=node.get("BT-154"),
            seller_item_id=node.get("BT-155"),
            standard_item_id=node.get("BT-157"),
            note=node.get("BT-127"),
            gross_price=reader.price(node, "BT-148"),
            price_discount=reader.price(node, "BT-147"),
        )

    if stated is not None and price is not None and node.get("BT-129") is not None:
        try:
            computed = make(None)
            if computed.line_net_amount(rounding=RoundingMode.HALF_UP) == stated:
                return computed
        except BackofficeError:
            pass  # reported below, with the stated amount
    found: InvoiceLine | None = reader.build(node, None, lambda: make(stated))
    return found


def _exchange_rate(root: Node) -> Decimal | None:
    if root.get("BT-6") is None:
        return None
    in_tax, vat = root.get("BT-111"), root.get("BT-110")
    if in_tax is None or vat is None:
        return None
    stated_in_tax, stated_vat = plain_decimal(in_tax), plain_decimal(vat)
    if stated_in_tax is None or stated_vat is None or stated_vat == 0:
        return None  # the rules report what is not a number (BR-DEC...)
    rate = Context(prec=28, traps=[]).divide(stated_in_tax, stated_vat)
    return rate if rate.is_finite() and rate > 0 else None


def invoice_from_tree(tree: Node) -> Invoice:
    """The model of what ``tree`` states.

    Raises:
        ValidationError: every problem found, each at the location of the term it comes
            from in the source document.
    """
    currency = tree.get("BT-5") or ""
    reader = _Reader(currency)
    seller = _party_of(reader, tree, "BG-4")
    buyer = _party_of(reader, tree, "BG-7")
    payee = _party_of(reader, tree, "BG-10")
    lines = [_line_of(reader, node) for node in tree.children("BG-25")]
    entries = _entries_of(reader, tree, ("BG-20", "BG-21"))
    notes = [text for node in tree.children("BG-1") if (text := node.get("BT-22"))]
    preceding = [_preceding_of(reader, node) for node in tree.children("BG-3")]
    delivery = None
    delivery_terms = ("BT-75", "BT-76", "BT-165", "BT-77", "BT-78", "BT-79", "BT-80")
    if any(tree.get(term) for term in ("BT-70", "BT-71", "BT-72", *delivery_terms)):
        place = _address_of(reader, tree, delivery_terms)
        day = reader.day(tree, "BT-72")
        delivery = reader.build(
            tree,
            "BT-72",
            lambda: Delivery(
                party_name=tree.get("BT-70"),
                location_id=tree.get("BT-71"),
                date=day,
                address=place,
            ),
        )
    payment = None
    if tree.get("BT-81") is not None:
        transfer = tree.child("BG-17")
        account = None if transfer is None else reader.tax_id(transfer, "BT-84", None, "iban")
        bic = None if transfer is None else reader.tax_id(transfer, "BT-86", None, "bic")
        payment = reader.build(
            tree,
            "BT-81",
            lambda: PaymentInstructions(
                tree.get("BT-81") or "",
                account=account,
                account_name=None if transfer is None else transfer.get("BT-85"),
                bic=bic,
                remittance_information=tree.get("BT-83"),
            ),
        )
    exemptions: list[VatExemption] = []
    for node in tree.children("BG-23"):
        if node.get("BT-120") is None and node.get("BT-121") is None:
            continue
        exemption = _exemption_of(reader, node)
        if exemption is not None and all(e.category is not exemption.category for e in exemptions):
            exemptions.append(exemption)
    prepaid = reader.money(tree, "BT-113")
    rounding_amount = reader.money(tree, "BT-114")
    issue_date = reader.day(tree, "BT-2")
    due_date = reader.day(tree, "BT-9")
    terms = reader.build(tree, "BT-20", lambda: _terms(tree.get("BT-20")))
    if reader.problems:
        raise ValidationError(reader.problems)
    assert seller is not None and buyer is not None  # else a problem was kept
    try:
        return Invoice(
            seller=seller,
            buyer=buyer,
            currency=currency,
            lines=[line for line in lines if line is not None],
            allowances_charges=entries,
            type_code=tree.get("BT-3") or DocumentType.INVOICE.value,
            number=tree.get("BT-1"),
            issue_date=issue_date,
            due_date=due_date,
            terms=terms,
            tax_currency=tree.get("BT-6"),
            exchange_rate=_exchange_rate(tree),
            preceding=[ref for ref in preceding if ref is not None],
            business_process=(None if tree.get("BT-23") == PROFILE_PEPPOL else tree.get("BT-23")),
            buyer_reference=tree.get("BT-10"),
            order_reference=tree.get("BT-13"),
            notes=notes,
            payee=payee,
            delivery=delivery,
            payment=payment,
            vat_exemptions=exemptions,
            prepaid=prepaid,
            rounding_amount=rounding_amount,
            rounding=RoundingMode.HALF_UP,
        )
    except ValidationError as error:
        raise ValidationError(
            [
                Problem(_where(tree, p.path), p.code, _with_path(p), p.details)
                for p in error.problems
            ]
        ) from None


def _preceding_of(reader: _Reader, node: Node) -> PrecedingInvoice | None:
    day = reader.day(node, "BT-26")
    found: PrecedingInvoice | None = reader.build(
        node, "BT-25", lambda: PrecedingInvoice(node.get("BT-25") or "", day)
    )
    return found


def _exemption_of(reader: _Reader, node: Node) -> VatExemption | None:
    found: VatExemption | None = reader.build(
        node,
        "BT-120",
        lambda: VatExemption(
            node.get("BT-118") or "", reason=node.get("BT-120"), code=node.get("BT-121")
        ),
    )
    return found


def _with_path(problem: Problem) -> str:
    """The problem's message, led by the model path it is about unless it says it."""
    if not problem.path or problem.message.startswith(problem.path.rsplit(".", 1)[-1]):
        return problem.message
    return f"{problem.path}: {problem.message}"


def _where(tree: Node, path: str) -> str:
    """The source location of a model path (``"lines.2.vat_rate"``), as near as known."""
    parts = path.split(".")
    if parts[0] == "lines" and len(parts) > 1 and parts[1].isdigit():
        lines = tree.children("BG-25")
        index = int(parts[1])
        if index < len(lines):
            return lines[index].location
    return tree.location
