"""What each VAT category requires of an invoice, as plain functions of what it states.

One implementation with several readers: the EN 16931 business rules of
:mod:`backoffice.einvoice.rules` (BR-AE-02, BR-IC-02, BR-G-02, BR-O-02..., BR-x-10,
BR-IC-11, BR-IC-12), which read a document's semantic tree, and the EU VAT pack of
:mod:`backoffice.compliance.eu`, which reads an :class:`~backoffice.invoicing.Invoice`,
both call these functions, so that they cannot disagree. Each reader says what the
document states (whether a term is there); the functions say what is missing or out of
place, by name:

* ``"seller_vat_id"`` (BT-31), ``"buyer_vat_id"`` (BT-48), ``"buyer_legal_id"``
  (BT-47);
* ``"delivery_date"`` (BT-72), ``"delivery_country"`` (BT-80);
* ``"exemption_reason"`` (BT-120 or its code BT-121).

>>> identifier_problems(VatCategory.K, seller_vat_id=True, buyer_vat_id=False,
...                     buyer_legal_id=True)
('buyer_vat_id',)
>>> identifier_problems(VatCategory.AE, seller_vat_id=True, buyer_vat_id=False,
...                     buyer_legal_id=True)
()
"""

from __future__ import annotations

from typing import Final

from backoffice.invoicing.model import VatCategory

__all__ = [
    "EXEMPT_CATEGORIES",
    "exemption_problems",
    "identifier_problems",
    "intra_community_delivery_problems",
]

#: The categories whose VAT breakdown states why no VAT is charged (BR-E-10, BR-AE-10,
#: BR-IC-10, BR-G-10, BR-O-10); the others (S, Z, L, M) state no reason.
EXEMPT_CATEGORIES: Final = frozenset(
    {VatCategory.E, VatCategory.AE, VatCategory.K, VatCategory.G, VatCategory.O}
)


def identifier_problems(
    category: VatCategory, *, seller_vat_id: bool, buyer_vat_id: bool, buyer_legal_id: bool
) -> tuple[str, ...]:
    """The identifiers a document with an item in ``category`` lacks, or, for ``O``,
    states but must not; empty when it is right (BR-x-02, 03 and 04 of each category).

    * ``AE`` (reverse charge): the seller's VAT identifier, and the buyer's VAT
      identifier or, failing it, its legal registration identifier (BR-AE-02: some
      member states' domestic reverse charges name a buyer without a VAT number);
    * ``K`` (intra-community supply): both VAT identifiers (BR-IC-02; VAT directive
      article 226, 4);
    * ``O`` (outside the scope of VAT): neither VAT identifier (BR-O-02);
    * every other category, ``G`` (export) included: the seller's VAT identifier
      (BR-S-02, BR-G-02...).
    """
    missing: list[str] = []
    if category is VatCategory.O:
        if seller_vat_id:
            missing.append("seller_vat_id")
        if buyer_vat_id:
            missing.append("buyer_vat_id")
        return tuple(missing)
    if not seller_vat_id:
        missing.append("seller_vat_id")
    if category is VatCategory.AE and not (buyer_vat_id or buyer_legal_id):
        missing.append("buyer_vat_id")
    if category is VatCategory.K and not buyer_vat_id:
        missing.append("buyer_vat_id")
    return tuple(missing)


def exemption_problems(category: VatCategory, *, reason_stated: bool) -> tuple[str, ...]:
    """``("exemption_reason",)`` when the VAT breakdown of ``category`` lacks the reason
    it must state (:data:`EXEMPT_CATEGORIES`) or states one it must not (BR-x-10)."""
    if (category in EXEMPT_CATEGORIES) != reason_stated:
        return ("exemption_reason",)
    return ()


def intra_community_delivery_problems(
    *, delivery_date: bool, delivery_country: bool
) -> tuple[str, ...]:
    """What an intra-community supply (category ``K``) lacks of its delivery: the
    actual delivery date (BR-IC-11; the invoicing period, which also satisfies it, is not
    modelled) and the deliver-to country (BR-IC-12)."""
    missing: list[str] = []
    if not delivery_date:
        missing.append("delivery_date")
    if not delivery_country:
        missing.append("delivery_country")
    return tuple(missing)
