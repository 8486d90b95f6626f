"""The invoice's JSON form: pydantic models, their JSON Schema, and the conversions.

An invoice is written as one JSON object whose fields have the names of
:class:`~backoffice.invoicing.document.Invoice`'s arguments. Amounts and prices are
**strings** in the invoice currency (``"12.50"``): a JSON number would be read as a
binary float, so numbers are refused with a message saying so (whole numbers are
accepted for quantities and counts). The same form is what the stores keep, what
``backoffice invoice totals FILE.json`` reads and what an API can take as a request
body (:class:`InvoiceSchema`).

>>> invoice = invoice_from_json('''{
...   "currency": "EUR",
...   "seller": {"name": "Crêperie du Port", "address": {"country": "FR"}},
...   "buyer": {"name": "Hôtel de la Plage", "address": {"country": "FR"}},
...   "lines": [{"id": "1", "name": "Crêpe", "quantity": "40", "price": "6.50",
...              "vat_category": "S", "vat_rate": "10"}]
... }''')
>>> invoice.totals.amount_due
Money('286.00', 'EUR')
>>> invoice_from_json(invoice_to_json(invoice)) == invoice
True

Errors come out as one :class:`~backoffice.errors.ValidationError`, each problem at its
path in the JSON document (``"lines.0.price"``), in two rounds: first every error of
form (a float, a missing or unknown field, a number that is not one); then, once the
form is right, every error of content (an unknown VAT category, a line without a name,
an amount with too many decimals).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictInt
from pydantic import ValidationError as PydanticValidationError

from backoffice.core.money import Money, Rate, UnitPrice
from backoffice.core.rounding import RoundingPolicy
from backoffice.errors import BackofficeError, InvalidValue, Problem, ValidationError
from backoffice.invoicing.document import (
    Address,
    Contact,
    Delivery,
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
    "InvoiceSchema",
    "invoice_from_dict",
    "invoice_from_json",
    "invoice_json_schema",
    "invoice_to_dict",
    "invoice_to_json",
]

_Date = date
_NUMBER = r"^[+-]?(\d+(\.\d*)?|\.\d+)$"


def _decimal_text(value: object) -> object:
    """Numbers as exact text: whole numbers become text, floats are refused."""
    if isinstance(value, bool):
        return value  # refused by the str field
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        example = f'"{value}"' if math.isfinite(value) else '"12.50"'
        raise ValueError(
            f"write this number as a string, e.g. {example}: a JSON number with a "
            "fraction is read as a binary float, which cannot hold amounts exactly"
        )
    return value


#: A decimal number as text (``"12.50"``); whole numbers may be given as JSON integers.
DecimalText = Annotated[
    str,
    BeforeValidator(_decimal_text),
    Field(pattern=_NUMBER, max_length=60, examples=["12.50"]),
]
Text = Annotated[str, Field(min_length=1, max_length=1000)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AddressSchema(_Model):
    """A postal address (BG-5, BG-8, BG-15)."""

    country: Annotated[str, Field(min_length=2, max_length=2, description="BT-40")]
    lines: list[Text] = Field(default_factory=list, max_length=3)
    city: Text | None = None
    postal_code: Text | None = None
    subdivision: Text | None = None


class ContactSchema(_Model):
    """A contact (BG-6, BG-9)."""

    name: Text | None = None
    phone: Text | None = None
    email: Text | None = None


class PartySchema(_Model):
    """A party: seller (BG-4), buyer (BG-7), payee (BG-10)."""

    name: Text
    id: Text | None = None
    trading_name: Text | None = None
    legal_id: TaxId | None = Field(
        default=None,
        description='The legal registration identifier (BT-30, BT-47), e.g. {"country": '
        '"FR", "kind": "siren", "value": "732829320"}',
    )
    vat_id: TaxId | None = Field(
        default=None, description='The VAT identifier (BT-31, BT-48), e.g. "FR40303265045"'
    )
    address: AddressSchema | None = None
    contact: ContactSchema | None = None
    electronic_address: Text | None = None
    electronic_address_scheme: Text | None = None


class AllowanceChargeSchema(_Model):
    """An allowance or charge (BG-20, BG-21 on the document; BG-27, BG-28 on a line)."""

    kind: Literal["allowance", "charge"]
    amount: DecimalText | None = None
    base_amount: DecimalText | None = None
    percentage: DecimalText | None = None
    vat_category: Text | None = None
    vat_rate: DecimalText | None = None
    reason: Text | None = None
    reason_code: Text | None = None


class LineSchema(_Model):
    """An invoice line (BG-25)."""

    id: Text
    name: Text | None = None
    quantity: DecimalText | None = None
    unit_code: Text = "C62"
    price: DecimalText | None = None
    base_quantity: DecimalText = "1"
    allowances_charges: list[AllowanceChargeSchema] = Field(default_factory=list)
    vat_category: Text
    vat_rate: DecimalText | None = None
    net_amount: DecimalText | None = None
    description: Text | None = None
    seller_item_id: Text | None = None
    standard_item_id: Text | None = None
    note: Text | None = None
    gross_price: DecimalText | None = None
    price_discount: DecimalText | None = None


class EarlyDiscountSchema(_Model):
    """An early-payment discount."""

    percent: DecimalText
    within_days: StrictInt
    rounding: Text = "HALF_UP"


class TermsSchema(_Model):
    """Payment terms: how the due date follows from the issue date."""

    rule: Literal["net", "end_of_month", "days_then_end_of_month", "end_of_month_then_days"]
    days: StrictInt = 0
    early_discount: EarlyDiscountSchema | None = None


class PrecedingSchema(_Model):
    """A preceding invoice reference (BG-3)."""

    number: Text
    issue_date: date | None = None


class DeliverySchema(_Model):
    """Delivery information (BG-13)."""

    party_name: Text | None = None
    location_id: Text | None = None
    date: _Date | None = None
    address: AddressSchema | None = None


class PaymentSchema(_Model):
    """Payment instructions (BG-16)."""

    means_code: Text = "30"
    account: TaxId | None = None
    account_name: Text | None = None
    bic: TaxId | None = None
    remittance_information: Text | None = None


class ExemptionSchema(_Model):
    """A VAT exemption reason (BT-120, BT-121)."""

    category: Text
    reason: Text | None = None
    code: Text | None = None


class InvoiceSchema(_Model):
    """An invoice or credit note, as JSON. Field names are those of
    :class:`~backoffice.invoicing.document.Invoice`; amounts are strings in
    ``currency``."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, title="Invoice", json_schema_extra={"$id": "invoice"}
    )

    type_code: Literal["380", "381", "384", "389"] = "380"
    number: Text | None = None
    issue_date: date | None = None
    due_date: date | None = None
    currency: Annotated[str, Field(min_length=3, max_length=3, description="BT-5")]
    tax_currency: Annotated[str, Field(min_length=3, max_length=3)] | None = None
    exchange_rate: DecimalText | None = None
    terms: TermsSchema | None = None
    seller: PartySchema
    buyer: PartySchema
    payee: PartySchema | None = None
    lines: list[LineSchema] = Field(min_length=1)
    allowances_charges: list[AllowanceChargeSchema] = Field(default_factory=list)
    preceding: list[PrecedingSchema] = Field(default_factory=list)
    business_process: Text | None = None
    buyer_reference: Text | None = None
    order_reference: Text | None = None
    notes: list[Text] = Field(default_factory=list)
    delivery: DeliverySchema | None = None
    payment: PaymentSchema | None = None
    vat_exemptions: list[ExemptionSchema] = Field(default_factory=list)
    prepaid: DecimalText | None = None
    rounding_amount: DecimalText | None = None
    vat_rounding: Literal["per_category", "per_line"] = "per_category"
    rounding: Text = Field(
        default="HALF_UP", description="A rounding mode name, e.g. HALF_UP or HALF_EVEN"
    )
    language: Text = "en"
    negative_quantities: bool = True


# ---------------------------------------------------------------------------------------
# JSON -> model
# ---------------------------------------------------------------------------------------


def _build(path: str, problems: list[Problem], make: Any) -> Any:
    try:
        return make()
    except ValidationError as error:
        problems.extend(
            Problem(f"{path}.{p.path}" if p.path else path, p.code, p.message, p.details)
            for p in error.problems
        )
    except BackofficeError as error:
        problems.append(Problem.from_error(path, error))
    return None


def _address(data: AddressSchema | None) -> Address | None:
    if data is None:
        return None
    return Address(
        data.country,
        lines=data.lines,
        city=data.city,
        postal_code=data.postal_code,
        subdivision=data.subdivision,
    )


def _party(data: PartySchema, path: str, problems: list[Problem]) -> Any:
    address = _build(f"{path}.address", problems, lambda: _address(data.address))
    contact = _build(
        f"{path}.contact",
        problems,
        lambda: None if data.contact is None else Contact(**data.contact.model_dump()),
    )
    if (data.address is not None and address is None) or (
        data.contact is not None and contact is None
    ):
        return None
    return _build(
        path,
        problems,
        lambda: Party(
            data.name,
            id=data.id,
            trading_name=data.trading_name,
            legal_id=data.legal_id,
            vat_id=data.vat_id,
            address=address,
            contact=contact,
            electronic_address=data.electronic_address,
            electronic_address_scheme=data.electronic_address_scheme,
        ),
    )


def _amounts(
    kind: type[Money] | type[UnitPrice],
    values: dict[str, str | None],
    currency: str,
    path: str,
    problems: list[Problem],
) -> dict[str, Any] | None:
    """Each of ``values`` as money of ``kind`` in ``currency``, each checked at its own
    path; ``None`` if any is wrong."""
    before = len(problems)
    built = {
        field: None
        if value is None
        else _build(f"{path}.{field}", problems, lambda v=value: kind(v, currency))
        for field, value in values.items()
    }
    return None if len(problems) > before else built


def _entry(data: AllowanceChargeSchema, currency: str, path: str, problems: list[Problem]) -> Any:
    amounts = _amounts(
        Money, {"amount": data.amount, "base_amount": data.base_amount}, currency, path, problems
    )
    if amounts is None:
        return None
    return _build(
        path,
        problems,
        lambda: AllowanceCharge(
            data.kind,
            **amounts,
            percentage=data.percentage,
            vat_category=data.vat_category,
            vat_rate=data.vat_rate,
            reason=data.reason,
            reason_code=data.reason_code,
        ),
    )


def _line(data: LineSchema, currency: str, path: str, problems: list[Problem]) -> Any:
    entries = [
        _entry(entry, currency, f"{path}.allowances_charges.{index}", problems)
        for index, entry in enumerate(data.allowances_charges)
    ]
    prices = _amounts(
        UnitPrice,
        {
            "price": data.price,
            "gross_price": data.gross_price,
            "price_discount": data.price_discount,
        },
        currency,
        path,
        problems,
    )
    nets = _amounts(Money, {"net_amount": data.net_amount}, currency, path, problems)
    if prices is None or nets is None or any(entry is None for entry in entries):
        return None
    return _build(
        path,
        problems,
        lambda: InvoiceLine(
            data.id,
            quantity=data.quantity,
            unit_code=data.unit_code,
            base_quantity=data.base_quantity,
            allowances_charges=entries,
            vat_category=data.vat_category,
            vat_rate=data.vat_rate,
            name=data.name,
            description=data.description,
            seller_item_id=data.seller_item_id,
            standard_item_id=data.standard_item_id,
            note=data.note,
            **prices,
            **nets,
        ),
    )


_RULES: dict[str, Any] = {
    "net": Net,
    "end_of_month": EndOfMonth,
    "days_then_end_of_month": DaysThenEndOfMonth,
    "end_of_month_then_days": EndOfMonthThenDays,
}


def _terms(data: TermsSchema | None) -> PaymentTerms | None:
    if data is None:
        return None
    if data.rule == "end_of_month" and data.days:
        raise InvalidValue(
            field="days",
            reason=f"the rule end_of_month takes no days (got {data.days}): use "
            "days_then_end_of_month or end_of_month_then_days",
        )
    rule = EndOfMonth() if data.rule == "end_of_month" else _RULES[data.rule](data.days)
    discount = None
    if data.early_discount is not None:
        discount = EarlyPaymentDiscount(
            rate=Rate.percent(data.early_discount.percent),
            within_days=data.early_discount.within_days,
            rounding=RoundingPolicy(data.early_discount.rounding),
        )
    return PaymentTerms(rule, early_discount=discount)


def _from_schema(data: InvoiceSchema) -> Invoice:
    problems: list[Problem] = []
    currency = data.currency.upper()
    seller = _party(data.seller, "seller", problems)
    buyer = _party(data.buyer, "buyer", problems)
    payee = None if data.payee is None else _party(data.payee, "payee", problems)
    lines = [
        _line(line, currency, f"lines.{index}", problems) for index, line in enumerate(data.lines)
    ]
    entries = [
        _entry(entry, currency, f"allowances_charges.{index}", problems)
        for index, entry in enumerate(data.allowances_charges)
    ]
    terms = _build("terms", problems, lambda: _terms(data.terms))
    preceding = [
        _build(f"preceding.{i}", problems, lambda p=p: PrecedingInvoice(p.number, p.issue_date))
        for i, p in enumerate(data.preceding)
    ]
    delivery = None
    if data.delivery is not None:
        d = data.delivery
        address = _build("delivery.address", problems, lambda: _address(d.address))
        delivery = _build(
            "delivery",
            problems,
            lambda: Delivery(
                party_name=d.party_name, location_id=d.location_id, date=d.date, address=address
            ),
        )
    payment = None
    if data.payment is not None:
        payment = _build(
            "payment", problems, lambda: PaymentInstructions(**data.payment.model_dump())
        )
    exemptions = [
        _build(
            f"vat_exemptions.{i}",
            problems,
            lambda e=e: VatExemption(e.category, reason=e.reason, code=e.code),
        )
        for i, e in enumerate(data.vat_exemptions)
    ]

    def money(value: str | None, path: str) -> Any:
        if value is None:
            return None
        return _build(path, problems, lambda: Money(value, currency))

    prepaid = money(data.prepaid, "prepaid")
    rounding_amount = money(data.rounding_amount, "rounding_amount")
    rounding = _build("rounding", problems, lambda: RoundingPolicy(data.rounding))
    if problems:
        raise ValidationError(problems)
    return Invoice(
        seller=seller,
        buyer=buyer,
        currency=currency,
        lines=lines,
        allowances_charges=entries,
        type_code=data.type_code,
        number=data.number,
        issue_date=data.issue_date,
        due_date=data.due_date,
        terms=terms,
        tax_currency=data.tax_currency,
        exchange_rate=data.exchange_rate,
        preceding=preceding,
        business_process=data.business_process,
        buyer_reference=data.buyer_reference,
        order_reference=data.order_reference,
        notes=data.notes,
        payee=payee,
        delivery=delivery,
        payment=payment,
        vat_exemptions=exemptions,
        prepaid=prepaid,
        rounding_amount=rounding_amount,
        vat_rounding=data.vat_rounding,
        rounding=rounding,
        language=data.language,
        negative_quantities=data.negative_quantities,
    )


def _pydantic_problems(error: PydanticValidationError) -> ValidationError:
    problems = []
    for found in error.errors(include_url=False):
        path = ".".join(str(part) for part in found["loc"]) or "invoice"
        message = found["msg"]
        if found["type"] == "missing":
            message = "is required"
        elif found["type"] == "extra_forbidden":
            message = "is not a field of the invoice's JSON form"
        elif found["type"] == "string_pattern_mismatch":
            message = (
                'must be a decimal number written as a string, e.g. "12.50", '
                f"got {found['input']!r}"
            )
        problems.append(Problem.from_error(path, InvalidValue(field=path, reason=message)))
    return ValidationError(problems)


def invoice_from_dict(data: Mapping[str, Any]) -> Invoice:
    """The invoice written as ``data`` (the JSON form, parsed).

    Raises:
        ValidationError: every problem of form and of content, each at its path.
    """
    try:
        schema = InvoiceSchema.model_validate(data)
    except PydanticValidationError as error:
        raise _pydantic_problems(error) from None
    return _from_schema(schema)


def invoice_from_json(text: str | bytes) -> Invoice:
    """The invoice written as the JSON text ``text``.

    Raises:
        ValidationError: the text is not JSON, or every problem of form and of content.
    """
    try:
        data = json.loads(text)  # a float stays one, for the schema to refuse at its path
    except (ValueError, TypeError) as error:
        raise ValidationError(
            [
                Problem.from_error(
                    "invoice", InvalidValue(field="invoice", reason=f"is not JSON: {error}")
                )
            ]
        ) from None
    if not isinstance(data, dict):
        raise ValidationError(
            [
                Problem.from_error(
                    "invoice", InvalidValue(field="invoice", reason="must be a JSON object")
                )
            ]
        )
    return invoice_from_dict(data)


# ---------------------------------------------------------------------------------------
# model -> JSON
# ---------------------------------------------------------------------------------------


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _address_dict(address: Address | None) -> dict[str, Any] | None:
    if address is None:
        return None
    return {
        "country": address.country,
        "lines": list(address.lines),
        "city": address.city,
        "postal_code": address.postal_code,
        "subdivision": address.subdivision,
    }


def _party_dict(party: Party | None) -> dict[str, Any] | None:
    if party is None:
        return None
    contact = party.contact
    return {
        "name": party.name,
        "id": party.id,
        "trading_name": party.trading_name,
        "legal_id": None if party.legal_id is None else party.legal_id.to_dict(),
        "vat_id": None if party.vat_id is None else party.vat_id.to_dict(),
        "address": _address_dict(party.address),
        "contact": None
        if contact is None
        else {"name": contact.name, "phone": contact.phone, "email": contact.email},
        "electronic_address": party.electronic_address,
        "electronic_address_scheme": party.electronic_address_scheme,
    }


def _entry_dict(entry: AllowanceCharge) -> dict[str, Any]:
    return {
        "kind": entry.kind.value,
        "amount": None if entry.amount is None else _plain(entry.amount.amount),
        "base_amount": None if entry.base_amount is None else _plain(entry.base_amount.amount),
        "percentage": _plain(entry.percentage),
        "vat_category": None if entry.vat_category is None else entry.vat_category.value,
        "vat_rate": _plain(entry.vat_rate),
        "reason": entry.reason,
        "reason_code": entry.reason_code,
    }


def _price_text(price: UnitPrice | None) -> str | None:
    return None if price is None else _plain(price.amount)


def _line_dict(line: InvoiceLine) -> dict[str, Any]:
    return {
        "id": line.id,
        "name": line.name,
        "quantity": _plain(line.quantity),
        "unit_code": line.unit_code,
        "price": _price_text(line.price),
        "base_quantity": _plain(line.base_quantity),
        "allowances_charges": [_entry_dict(entry) for entry in line.allowances_charges],
        "vat_category": line.vat_category.value,
        "vat_rate": _plain(line.vat_rate),
        "net_amount": None if line.net_amount is None else _plain(line.net_amount.amount),
        "description": line.description,
        "seller_item_id": line.seller_item_id,
        "standard_item_id": line.standard_item_id,
        "note": line.note,
        "gross_price": _price_text(line.gross_price),
        "price_discount": _price_text(line.price_discount),
    }


_RULE_NAMES: dict[type, str] = {rule: name for name, rule in _RULES.items()}


def _terms_dict(terms: PaymentTerms | None) -> dict[str, Any] | None:
    if terms is None:
        return None
    discount = terms.early_discount
    return {
        "rule": _RULE_NAMES[type(terms.rule)],
        "days": getattr(terms.rule, "days", 0),
        "early_discount": None
        if discount is None
        else {
            "percent": _plain(discount.rate.percent_value),
            "within_days": discount.within_days,
            "rounding": _rounding_text(discount.rounding),
        },
    }


def _rounding_text(policy: RoundingPolicy) -> str:
    if policy.quantum is not None:
        raise InvalidValue(
            field="rounding",
            reason="the JSON form keeps a rounding mode to the currency's minor unit; "
            f"a rounding to {policy.quantum} cannot be written",
        )
    return policy.mode.name


def invoice_to_dict(invoice: Invoice) -> dict[str, Any]:
    """``invoice`` in its JSON form (every field, ``None`` where absent)."""
    delivery = invoice.delivery
    payment = invoice.payment
    return {
        "type_code": invoice.type_code.value,
        "number": invoice.number,
        "issue_date": None if invoice.issue_date is None else invoice.issue_date.isoformat(),
        "due_date": None if invoice.due_date is None else invoice.due_date.isoformat(),
        "currency": invoice.currency.code,
        "tax_currency": None if invoice.tax_currency is None else invoice.tax_currency.code,
        "exchange_rate": _plain(invoice.exchange_rate),
        "terms": _terms_dict(invoice.terms),
        "seller": _party_dict(invoice.seller),
        "buyer": _party_dict(invoice.buyer),
        "payee": _party_dict(invoice.payee),
        "lines": [_line_dict(line) for line in invoice.lines],
        "allowances_charges": [_entry_dict(entry) for entry in invoice.allowances_charges],
        "preceding": [
            {
                "number": ref.number,
                "issue_date": None if ref.issue_date is None else ref.issue_date.isoformat(),
            }
            for ref in invoice.preceding
        ],
        "business_process": invoice.business_process,
        "buyer_reference": invoice.buyer_reference,
        "order_reference": invoice.order_reference,
        "notes": list(invoice.notes),
        "delivery": None
        if delivery is None
        else {
            "party_name": delivery.party_name,
            "location_id": delivery.location_id,
            "date": None if delivery.date is None else delivery.date.isoformat(),
            "address": _address_dict(delivery.address),
        },
        "payment": None
        if payment is None
        else {
            "means_code": payment.means_code,
            "account": None if payment.account is None else payment.account.to_dict(),
            "account_name": payment.account_name,
            "bic": None if payment.bic is None else payment.bic.to_dict(),
            "remittance_information": payment.remittance_information,
        },
        "vat_exemptions": [
            {"category": e.category.value, "reason": e.reason, "code": e.code}
            for e in invoice.vat_exemptions
        ],
        "prepaid": None if invoice.prepaid is None else _plain(invoice.prepaid.amount),
        "rounding_amount": None
        if invoice.rounding_amount is None
        else _plain(invoice.rounding_amount.amount),
        "vat_rounding": invoice.vat_rounding.value,
        "rounding": _rounding_text(invoice.rounding),
        "language": invoice.language,
        "negative_quantities": invoice.negative_quantities,
    }


def invoice_to_json(invoice: Invoice, *, indent: int | None = None) -> str:
    """``invoice`` as JSON text (:func:`invoice_to_dict`)."""
    return json.dumps(invoice_to_dict(invoice), ensure_ascii=False, indent=indent)


def invoice_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the invoice's JSON form."""
    return InvoiceSchema.model_json_schema()
