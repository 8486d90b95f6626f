"""European Union VAT: what reverse-charged, intra-community and export invoices state.

The checks are those of the EN 16931 VAT category rules (BR-AE-02, BR-IC-02, BR-IC-11,
BR-IC-12, BR-G-02, BR-G-10), on an :class:`~backoffice.invoicing.Invoice` instead of an
e-invoice's semantic tree: both call the functions of
:mod:`backoffice.invoicing.vat_rules`, so an invoice that passes here passes there.

* ``EU-VAT-001``: a reverse-charged invoice (category ``AE``) states the seller's VAT
  number and the buyer's VAT number, or failing it, its legal registration identifier
  (as BR-AE-02 allows, for the domestic reverse charges of some member states);
* ``EU-VAT-002`` (warning): a reverse charge across borders, to a buyer in another
  member state, names the buyer's VAT number itself (directive article 226, 4);
* ``EU-VAT-003``: an intra-community supply (``K``) states both VAT numbers;
* ``EU-VAT-004``: an intra-community supply states the delivery date and the country
  delivered to;
* ``EU-VAT-005``: an export (``G``) states the seller's VAT number and the reason of
  the exemption.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Final

from backoffice.compliance.engine import (
    EU_MEMBER_STATES,
    LegalReference,
    Rule,
    RuleSet,
    Severity,
    Violation,
)
from backoffice.compliance.subjects import INVOICE
from backoffice.invoicing.model import VatCategory
from backoffice.invoicing.vat_rules import (
    exemption_problems,
    identifier_problems,
    intra_community_delivery_problems,
)

if TYPE_CHECKING:
    from backoffice.invoicing.document import Invoice

__all__ = ["PATHS", "RULES"]

_DIRECTIVE: Final = "Directive 2006/112/CE"
_DIRECTIVE_URL: Final = "https://eur-lex.europa.eu/eli/dir/2006/112/oj"

#: Where each requirement of :mod:`backoffice.invoicing.vat_rules` is on an invoice.
PATHS: Final = {
    "seller_vat_id": "seller.vat_id",
    "buyer_vat_id": "buyer.vat_id",
    "buyer_legal_id": "buyer.legal_id",
    "delivery_date": "delivery.date",
    "delivery_country": "delivery.address.country",
    "exemption_reason": "vat_exemptions",
}

_pack = RuleSet()


def _has(invoice: Invoice, category: VatCategory) -> bool:
    return any(entry.category is category for entry in invoice.totals.vat_breakdown)


def _identifiers(invoice: Invoice, category: VatCategory) -> Iterator[Violation]:
    if not _has(invoice, category):
        return
    for name in identifier_problems(
        category,
        seller_vat_id=invoice.seller.vat_id is not None,
        buyer_vat_id=invoice.buyer.vat_id is not None,
        buyer_legal_id=invoice.buyer.legal_id is not None,
    ):
        yield Violation(PATHS[name], {"category": category.value})


@_pack.rule(
    "EU-VAT-001",
    title="A reverse-charged invoice (AE) states the seller's VAT number and the buyer's "
    "VAT number or legal identifier.",
    jurisdiction="EU",
    subject=INVOICE,
    reference=LegalReference(
        _DIRECTIVE,
        "226, 3) and 11 bis) ; EN 16931-1, BR-AE-02",
        _DIRECTIVE_URL,
        note="One implementation with BR-AE-02 to BR-AE-04: "
        "backoffice.invoicing.vat_rules.identifier_problems.",
    ),
    messages={
        "en": "A reverse-charged invoice (category {category}) states the seller's VAT number "
        "and the buyer's VAT number or legal registration identifier.",
        "fr": "Une facture autoliquidée (catégorie {category}) indique le numéro de TVA du "
        "vendeur et le numéro de TVA ou l'identifiant légal du client.",
        "pt_BR": "Uma fatura com autoliquidação (categoria {category}) informa o número de IVA "
        "do vendedor e o número de IVA ou o registro legal do comprador.",
    },
)
def _reverse_charge(invoice: Invoice) -> Iterator[Violation]:
    yield from _identifiers(invoice, VatCategory.AE)


def _other_member_state(invoice: Invoice) -> str | None:
    seller, buyer = invoice.seller.address, invoice.buyer.address
    if seller is None or buyer is None:
        return None
    if buyer.country in EU_MEMBER_STATES and buyer.country != seller.country:
        return buyer.country
    return None


@_pack.rule(
    "EU-VAT-002",
    title="A cross-border reverse charge names the buyer's VAT number.",
    jurisdiction="EU",
    subject=INVOICE,
    severity=Severity.WARNING,
    reference=LegalReference(_DIRECTIVE, "226, 4) ; 196", _DIRECTIVE_URL),
    messages={
        "en": "A reverse charge to a buyer in another member state ({country}) names the "
        "buyer's VAT number, not only its legal identifier.",
        "fr": "Une autoliquidation pour un client d'un autre État membre ({country}) indique "
        "son numéro de TVA, pas seulement son identifiant légal.",
        "pt_BR": "Uma autoliquidação para um comprador de outro Estado-membro ({country}) "
        "informa o número de IVA do comprador, não só o registro legal.",
    },
)
def _cross_border_reverse_charge(invoice: Invoice) -> Iterator[Violation]:
    country = _other_member_state(invoice)
    if (
        country is not None
        and _has(invoice, VatCategory.AE)
        and invoice.buyer.vat_id is None
        and invoice.buyer.legal_id is not None
    ):
        yield Violation("buyer.vat_id", {"country": country})


@_pack.rule(
    "EU-VAT-003",
    title="An intra-community supply (K) states the seller's and the buyer's VAT numbers.",
    jurisdiction="EU",
    subject=INVOICE,
    reference=LegalReference(
        _DIRECTIVE,
        "138 and 226, 3) and 4) ; EN 16931-1, BR-IC-02",
        _DIRECTIVE_URL,
        note="One implementation with BR-IC-02 to BR-IC-04: "
        "backoffice.invoicing.vat_rules.identifier_problems.",
    ),
    messages={
        "en": "An intra-community supply (category {category}) states the seller's and the "
        "buyer's VAT numbers.",
        "fr": "Une livraison intracommunautaire (catégorie {category}) indique les numéros de "
        "TVA du vendeur et du client.",
        "pt_BR": "Um fornecimento intracomunitário (categoria {category}) informa os números "
        "de IVA do vendedor e do comprador.",
    },
)
def _intra_community_ids(invoice: Invoice) -> Iterator[Violation]:
    yield from _identifiers(invoice, VatCategory.K)


@_pack.rule(
    "EU-VAT-004",
    title="An intra-community supply (K) states the delivery date and the country delivered to.",
    jurisdiction="EU",
    subject=INVOICE,
    reference=LegalReference(
        _DIRECTIVE,
        "226, 7) ; EN 16931-1, BR-IC-11 and BR-IC-12",
        _DIRECTIVE_URL,
        note="One implementation with BR-IC-11 and BR-IC-12: "
        "backoffice.invoicing.vat_rules.intra_community_delivery_problems.",
    ),
    messages={
        "en": "An intra-community supply states the date of the delivery and the country "
        "delivered to.",
        "fr": "Une livraison intracommunautaire indique la date de livraison et le pays de "
        "livraison.",
        "pt_BR": "Um fornecimento intracomunitário informa a data de entrega e o país de entrega.",
    },
)
def _intra_community_delivery(invoice: Invoice) -> Iterator[Violation]:
    if not _has(invoice, VatCategory.K):
        return
    delivery = invoice.delivery
    for name in intra_community_delivery_problems(
        delivery_date=delivery is not None and delivery.date is not None,
        delivery_country=delivery is not None and delivery.address is not None,
    ):
        yield Violation(PATHS[name])


@_pack.rule(
    "EU-VAT-005",
    title="An export (G) states the seller's VAT number and the reason of the exemption.",
    jurisdiction="EU",
    subject=INVOICE,
    reference=LegalReference(
        _DIRECTIVE,
        "146 and 226, 11) ; EN 16931-1, BR-G-02 and BR-G-10",
        _DIRECTIVE_URL,
        note="One implementation with BR-G-02 to BR-G-04 and BR-G-10: "
        "backoffice.invoicing.vat_rules.",
    ),
    messages={
        "en": "An export outside the EU (category {category}) states the seller's VAT number "
        "and the reason of the exemption.",
        "fr": "Une exportation hors de l'UE (catégorie {category}) indique le numéro de TVA "
        "du vendeur et le motif de l'exonération.",
        "pt_BR": "Uma exportação para fora da UE (categoria {category}) informa o número de "
        "IVA do vendedor e o motivo da isenção.",
    },
)
def _export(invoice: Invoice) -> Iterator[Violation]:
    yield from _identifiers(invoice, VatCategory.G)
    if _has(invoice, VatCategory.G):
        for name in exemption_problems(
            VatCategory.G, reason_stated=invoice.exemption(VatCategory.G) is not None
        ):
            yield Violation(PATHS[name], {"category": "G"})


RULES: Final[tuple[Rule[Any], ...]] = tuple(_pack)
"""The EU VAT rules on an invoice, in id order."""
