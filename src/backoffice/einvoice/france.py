"""The French 2026 e-invoicing reform's checks, a rule set to select on top of EN 16931.

From 1 September 2026 every business in France must be able to receive e-invoices
through the approved platforms, and large and mid-sized ones must issue them (the
others from 1 September 2027); the invoices carry new mentions (CGI, article 242
nonies A, as amended for the reform; the platforms' external specifications, "Flux 2",
check them with the ``BR-FR`` rules). :func:`validate_france` checks what a document states:

* ``BR-FR-01``: the invoice number (BT-1), and the number of an invoice referred to
  (BT-25), are at most 35 characters among letters, digits and ``+ - _ /``;
* ``BR-FR-08``: the category of the operation (BT-23, the "cadre de facturation":
  ``B1`` goods, ``S1`` services, ``M1`` both, and their variants for invoices already
  paid, deposits...) is stated and known;
* ``BR-FR-10``: a seller in France has its SIREN as its legal registration identifier
  (BT-30 with scheme ``0002``, 9 digits);
* ``BR-FR-11``: a French buyer's SIREN is stated the same way (BT-47), as the reform
  asks of every business buyer (the platforms' rule applies it to B2B flows; a
  document does not say which flow it is in, so a buyer in France is taken as one);
* ``BR-FR-15``: the categories L and M (Canary Islands, Ceuta and Melilla) are not used;
* ``BR-FR-CO-12``: an invoice in another currency states its VAT in euros (BT-6 is
  ``EUR`` and BT-111 is given);
* ``FR-DELIVERY`` (warning): an operation on goods states where they were delivered
  (BG-15 with its country, BT-80): the reform asks for the delivery address when it
  differs from the buyer's, which a document cannot tell, so its absence is flagged;
* ``FR-DEBITS`` (warning): an operation on services says when VAT becomes chargeable
  (BT-7 or its code BT-8: ``3`` the invoice date, for a seller who opted for VAT on
  debits; ``432`` the payment date): the reform asks for the option to be stated.

The ``BR-FR`` ids follow the platforms' rules that check the same thing; ``FR-`` rules
are the library's own reading of the reform's mentions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from backoffice.einvoice.rules import Finding, Rule, make_rule, run
from backoffice.einvoice.tree import Node

__all__ = ["BILLING_FRAMES", "FRANCE_2026", "validate_france"]

#: The categories of operation (BT-23, "cadre de facturation") the platforms accept.
BILLING_FRAMES: Final = frozenset(
    {
        "B1", "S1", "M1", "B2", "S2", "M2", "S3", "B4", "S4", "M4",
        "S5", "S6", "B7", "S7", "B8", "S8", "M8", "B9", "S9", "M9",
    }
)  # fmt: skip

_NUMBER: Final = re.compile(r"[A-Za-z0-9+\-_/]{1,35}")
_SIREN: Final = re.compile(r"\d{9}")
_SIREN_SCHEME: Final = "0002"

_Where = tuple[Node, str]


def _number_syntax(root: Node) -> Iterator[_Where]:
    number = root.get("BT-1")
    if number is not None and not _NUMBER.fullmatch(number):
        yield root, "BT-1"
    for ref in root.children("BG-3"):
        referred = ref.get("BT-25")
        if referred is not None and not _NUMBER.fullmatch(referred):
            yield ref, "BT-25"


def _frame(root: Node) -> Iterator[_Where]:
    if (root.get("BT-23") or "").strip() not in BILLING_FRAMES:
        yield root, "BT-23"


def _siren(root: Node, term: str) -> bool:
    value = (root.get(term) or "").strip()
    return bool(_SIREN.fullmatch(value)) and root.get(f"{term}-1") == _SIREN_SCHEME


def _seller_siren(root: Node) -> Iterator[_Where]:
    if root.get("BT-40") == "FR" and not _siren(root, "BT-30"):
        yield root, "BT-30"


def _buyer_siren(root: Node) -> Iterator[_Where]:
    if root.get("BT-55") == "FR" and not _siren(root, "BT-47"):
        yield root, "BT-47"


def _no_canary_rates(root: Node) -> Iterator[_Where]:
    for kind, term in (
        ("BG-25", "BT-151"),
        ("BG-20", "BT-95"),
        ("BG-21", "BT-102"),
        ("BG-23", "BT-118"),
    ):
        for node in root.children(kind):
            if node.get(term) in ("L", "M"):
                yield node, term


def _vat_in_euros(root: Node) -> Iterator[_Where]:
    if root.get("BT-5") not in (None, "EUR") and (
        root.get("BT-6") != "EUR" or root.get("BT-111") is None
    ):
        yield root, "BT-6"


def _goods(root: Node) -> bool:
    return (root.get("BT-23") or "")[:1] in ("B", "M")


def _services(root: Node) -> bool:
    return (root.get("BT-23") or "")[:1] in ("S", "M")


def _delivery(root: Node) -> Iterator[_Where]:
    if _goods(root) and root.get("BT-80") is None:
        yield root, "BT-80"


def _debits(root: Node) -> Iterator[_Where]:
    if _services(root) and root.get("BT-7") is None and root.get("BT-8") is None:
        yield root, "BT-8"


FRANCE_2026: Final[tuple[Rule, ...]] = (
    make_rule(
        "BR-FR-01",
        ("BT-1", "BT-25"),
        _number_syntax,
        en="An invoice number (BT-1, BT-25) is at most 35 characters among letters, digits "
        "and + - _ /.",
        fr="Un numéro de facture (BT-1, BT-25) compte au plus 35 caractères parmi les lettres, "
        "les chiffres et + - _ /.",
        pt_br="Um número de fatura (BT-1, BT-25) tem no máximo 35 caracteres entre letras, "
        "dígitos e + - _ /.",
    ),
    make_rule(
        "BR-FR-08",
        ("BT-23",),
        _frame,
        en="The category of the operation (BT-23, billing frame) is stated: B1 goods, S1 "
        "services, M1 both, or one of their variants.",
        fr="La catégorie de l'opération (BT-23, cadre de facturation) est indiquée : B1 "
        "biens, S1 services, M1 mixte, ou l'une de leurs variantes.",
        pt_br="A categoria da operação (BT-23, quadro de faturamento) é informada: B1 bens, "
        "S1 serviços, M1 ambos, ou uma de suas variantes.",
    ),
    make_rule(
        "BR-FR-10",
        ("BT-30", "BT-40"),
        _seller_siren,
        en="A seller in France has its SIREN stated as its legal registration identifier "
        "(BT-30, scheme 0002, 9 digits).",
        fr="Un vendeur établi en France a son SIREN indiqué comme identifiant légal (BT-30, "
        "schéma 0002, 9 chiffres).",
        pt_br="Um vendedor na França tem seu SIREN informado como identificador legal "
        "(BT-30, esquema 0002, 9 dígitos).",
    ),
    make_rule(
        "BR-FR-11",
        ("BT-47", "BT-55"),
        _buyer_siren,
        en="A buyer in France has its SIREN stated as its legal registration identifier "
        "(BT-47, scheme 0002, 9 digits).",
        fr="Un acheteur établi en France a son SIREN indiqué comme identifiant légal (BT-47, "
        "schéma 0002, 9 chiffres).",
        pt_br="Um comprador na França tem seu SIREN informado como identificador legal "
        "(BT-47, esquema 0002, 9 dígitos).",
    ),
    make_rule(
        "BR-FR-15",
        ("BT-151", "BT-95", "BT-102", "BT-118"),
        _no_canary_rates,
        en="The VAT categories L and M (Canary Islands, Ceuta and Melilla) are not used in France.",
        fr="Les catégories de TVA L et M (Canaries, Ceuta et Melilla) ne sont pas utilisées en "
        "France.",
        pt_br="As categorias de IVA L e M (Canárias, Ceuta e Melilla) não são usadas na França.",
    ),
    make_rule(
        "BR-FR-CO-12",
        ("BT-5", "BT-6", "BT-111"),
        _vat_in_euros,
        en="An invoice in another currency than the euro states its VAT in euros (BT-6 is EUR "
        "and BT-111 is given).",
        fr="Une facture dans une autre devise que l'euro indique sa TVA en euros (BT-6 vaut "
        "EUR et BT-111 est renseigné).",
        pt_br="Uma fatura em outra moeda que não o euro informa seu IVA em euros (BT-6 é EUR "
        "e BT-111 é informado).",
    ),
    make_rule(
        "FR-DELIVERY",
        ("BT-23", "BT-80"),
        _delivery,
        en="An operation on goods states where they were delivered (BG-15, BT-80) when it is "
        "not the buyer's address.",
        fr="Une opération sur des biens indique l'adresse de livraison (BG-15, BT-80) quand "
        "ce n'est pas celle de l'acheteur.",
        pt_br="Uma operação com bens informa o endereço de entrega (BG-15, BT-80) quando não é "
        "o do comprador.",
        severity="warning",
    ),
    make_rule(
        "FR-DEBITS",
        ("BT-23", "BT-7", "BT-8"),
        _debits,
        en="An operation on services says when VAT becomes chargeable (BT-7 or BT-8: 3 for a "
        "seller who opted for VAT on debits, 432 on receipt of payment).",
        fr="Une prestation de services indique l'exigibilité de la TVA (BT-7 ou BT-8 : 3 pour "
        "l'option pour les débits, 432 à l'encaissement).",
        pt_br="Uma prestação de serviços informa quando o IVA é exigível (BT-7 ou BT-8: 3 para "
        "a opção pelos débitos, 432 no recebimento).",
        severity="warning",
    ),
)
"""The French reform's rules, in the order they are checked."""


def validate_france(tree: Node) -> list[Finding]:
    """The French 2026 reform's findings on ``tree``. They come on top of EN 16931's
    (:func:`backoffice.einvoice.rules.validate`): :func:`backoffice.einvoice.read` runs
    both with ``france=True``."""
    return run(FRANCE_2026, tree)
