"""A human-readable invoice: one self-contained HTML page, and its legal mentions.

:func:`render_html` writes an :class:`~backoffice.invoicing.document.Invoice` as one
HTML5 page in the invoice's language (:attr:`Invoice.language
<backoffice.invoicing.document.Invoice.language>`, or the ``locale`` given): the style
is inline, there is no script, no image and no link to anything outside the page, so
it can be saved, mailed or printed as it is. Amounts, quantities, percentages and
dates are written the locale's way with babel (``1 234,56 €`` and ``14 mars 2026`` in
``fr_FR``, ``R$ 1.234,56`` in ``pt_BR``). Every text that comes from the document is
HTML-escaped.

Rendering formats, it never rounds: the amounts are the ones the invoice booked
(:attr:`Invoice.totals <backoffice.invoicing.document.Invoice.totals>`), a unit
price keeps all its decimals, a quantity the decimals it was given.

The labels are in English, French and Portuguese (``en``, ``fr``, ``pt``: ``pt_BR``
and ``pt_PT`` share them); another language gets the English labels.

:func:`legal_mentions` gives the legal mentions the page prints, each a
:class:`LegalMention` with the legal text it comes from. They are data, in one table
(:data:`MENTIONS`):

* for a seller whose address is in France: the late-payment penalties (ECB rate plus
  :data:`~backoffice.invoicing.interest.FRENCH_LATE_INTEREST_MARGIN`), the fixed
  indemnity for recovery costs
  (:data:`~backoffice.invoicing.interest.FRENCH_RECOVERY_INDEMNITY`), the early-payment
  discount or its absence -- on every document but a credit note, which asks for no
  payment --, "Autoliquidation" for VAT category ``AE``, the exemption of article 262
  ter I of the CGI for category ``K`` when no reason is stated, and every exemption
  reason stated (BT-120);
  the payment mentions only when the buyer is a business (its legal or VAT identifier
  is stated);
* for any other seller: the exemption reasons stated and the reverse-charge mention for
  category ``AE``.

A French parameter read for an invoice issued outside the dates it is valid on
(:meth:`~backoffice.invoicing.interest.LegalParameter.value_on`) leaves its mention
out rather than state a rule that did not apply then.

>>> from backoffice import Money, UnitPrice
>>> from backoffice.invoicing.document import Address, Invoice, Party
>>> from backoffice.invoicing.model import InvoiceLine
>>> from backoffice.taxid import parse
>>> invoice = Invoice(
...     seller=Party("Crêperie du Port", address=Address(country="FR", city="Brest")),
...     buyer=Party("Hôtel de la Plage", address=Address(country="FR"),
...                 legal_id=parse("552081317", "FR", "siren")),
...     currency="EUR",
...     lines=[InvoiceLine("1", name="Buffet de crêpes", quantity="40",
...                        price=UnitPrice("6.50", "EUR"), vat_category="S",
...                        vat_rate="10")],
...     language="fr_FR",
... )
>>> print(", ".join(mention.code for mention in legal_mentions(invoice)))
fr.no_early_payment_discount, fr.late_payment_penalties, fr.recovery_indemnity
>>> "286,00\\u00a0€" in render_html(invoice)
True
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Final, TypeVar

import attrs

from backoffice.core.l10n import (
    _LETTER_DIGIT,
    BABEL_CONTEXT,
    _babel_locale,
    format_date,
    format_decimal,
    format_money,
    format_percent,
    normalize_locale,
)
from backoffice.core.money import Money, Rate, UnitPrice
from backoffice.errors import InvalidValue
from backoffice.invoicing.document import (
    Address,
    Contact,
    DocumentType,
    Invoice,
    Party,
    PrecedingInvoice,
)
from backoffice.invoicing.interest import (
    FRENCH_LATE_INTEREST_MARGIN,
    FRENCH_RECOVERY_INDEMNITY,
    LegalParameter,
)
from backoffice.invoicing.model import AllowanceCharge, VatCategory
from backoffice.invoicing.terms import (
    DaysThenEndOfMonth,
    EndOfMonth,
    EndOfMonthThenDays,
    Net,
    PaymentTerms,
)

__all__ = [
    "MENTIONS",
    "LegalMention",
    "MentionWording",
    "is_business_buyer",
    "legal_mentions",
    "render_html",
]

T = TypeVar("T")


# ---------------------------------------------------------------------------------------
# Legal mentions: one table
# ---------------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class LegalMention:
    """A mention an invoice carries because a legal text asks for it."""

    code: str
    """A stable machine code: ``"fr.recovery_indemnity"``, ``"vat_exemption"``..."""
    text: str
    """The mention, in the invoice's language."""
    source: str
    """The legal text (or standard) it comes from."""


@attrs.frozen(slots=True)
class MentionWording:
    """One entry of :data:`MENTIONS`: a mention's code, source and wording by language.

    The wordings are templates whose ``{placeholders}`` the invoice fills (an amount,
    a rate, a date, a stated reason), keyed by language (``"fr"``, ``"en"``, ``"pt"``).
    """

    code: str
    """The code of the :class:`LegalMention` it makes."""
    source: str
    """The legal text the mention comes from."""
    texts: Mapping[str, str]
    """The wording by language."""

    def mention(self, language: str, fallback: str, **values: str) -> LegalMention:
        """The mention in ``language``, or in ``fallback`` when it has no wording in it."""
        template = self.texts.get(language, self.texts[fallback])
        return LegalMention(self.code, template.format(**values), self.source)


_CGI_12: Final = "CGI, annexe II, article 242 nonies A, I, 12°"
"""The reference to the text that exempts a supply from VAT."""
_CGI_13: Final = "CGI, annexe II, article 242 nonies A, I, 13°"
"""The "Autoliquidation" mention when the customer accounts for the VAT."""

MENTIONS: Final[Mapping[str, MentionWording]] = {
    "fr.late_payment_penalties": MentionWording(
        "fr.late_payment_penalties",
        "Code de commerce, articles L441-9, I et L441-10, II",
        {
            "fr": "En cas de retard de paiement, des pénalités sont exigibles dès le jour "
            "suivant la date d'échéance, au taux d'intérêt appliqué par la Banque centrale "
            "européenne à son opération de refinancement la plus récente, majoré de "
            "{margin} points de pourcentage.",
            "en": "Late payment: penalties are due from the day after the due date, at the "
            "interest rate of the European Central Bank's most recent main refinancing "
            "operation plus {margin} percentage points.",
            "pt": "Em caso de atraso no pagamento, são devidas penalidades a partir do dia "
            "seguinte ao vencimento, à taxa de juros aplicada pelo Banco Central Europeu à "
            "sua operação de refinanciamento mais recente, acrescida de {margin} pontos "
            "percentuais.",
        },
    ),
    "fr.recovery_indemnity": MentionWording(
        "fr.recovery_indemnity",
        "Code de commerce, articles L441-10, II et D441-5",
        {
            "fr": "Tout retard de paiement rend de plein droit le débiteur redevable d'une "
            "indemnité forfaitaire pour frais de recouvrement de {amount}.",
            "en": "Any late payment makes the debtor liable, by law, for a fixed indemnity "
            "for recovery costs of {amount}.",
            "pt": "Todo atraso no pagamento torna o devedor, de pleno direito, responsável "
            "por uma indenização fixa de {amount} pelos custos de cobrança.",
        },
    ),
    "fr.early_payment_discount": MentionWording(
        "fr.early_payment_discount",
        "Code de commerce, article L441-9, I ; CGI, annexe II, article 242 nonies A",
        {
            "fr": "Escompte pour paiement anticipé : {rate} pour un règlement au plus tard "
            "le {deadline}.",
            "en": "Early-payment discount: {rate} for a payment made by {deadline}.",
            "pt": "Desconto por pagamento antecipado: {rate} para pagamento até {deadline}.",
        },
    ),
    "fr.early_payment_discount.days": MentionWording(
        "fr.early_payment_discount",
        "Code de commerce, article L441-9, I ; CGI, annexe II, article 242 nonies A",
        {
            "fr": "Escompte pour paiement anticipé : {rate} pour un règlement dans les "
            "{days} jours suivant la date de la facture.",
            "en": "Early-payment discount: {rate} for a payment made within {days} days of "
            "the invoice date.",
            "pt": "Desconto por pagamento antecipado: {rate} para pagamento em até {days} "
            "dias da data da fatura.",
        },
    ),
    "fr.no_early_payment_discount": MentionWording(
        "fr.no_early_payment_discount",
        "Code de commerce, article L441-9, I ; CGI, annexe II, article 242 nonies A",
        {
            "fr": "Pas d'escompte pour paiement anticipé.",
            "en": "No discount for early payment.",
            "pt": "Sem desconto por pagamento antecipado.",
        },
    ),
    "fr.reverse_charge": MentionWording(
        "fr.reverse_charge",
        f"{_CGI_13} ; Directive 2006/112/CE, article 226, 11 bis",
        {
            "fr": "Autoliquidation",
            "en": "Reverse charge (autoliquidation): the customer accounts for the VAT.",
            "pt": "Autoliquidação (autoliquidation): o IVA é devido pelo adquirente.",
        },
    ),
    "fr.intra_community_exemption": MentionWording(
        "fr.intra_community_exemption",
        f"CGI, article 262 ter, I ; {_CGI_12}",
        {
            "fr": "Exonération de TVA, article 262 ter I du CGI",
            "en": "VAT exemption, article 262 ter I of the French General Tax Code (CGI)",
            "pt": "Isenção de IVA, artigo 262 ter I do Código Geral dos Impostos francês (CGI)",
        },
    ),
    "fr.vat_exemption": MentionWording(
        "fr.vat_exemption",
        f"{_CGI_12} ; EN 16931-1, BT-120",
        {"fr": "{reason}", "en": "{reason}", "pt": "{reason}"},
    ),
    "reverse_charge": MentionWording(
        "reverse_charge",
        "Directive 2006/112/CE, article 226, 11 bis ; EN 16931-1, VAT category AE",
        {"fr": "Autoliquidation", "en": "Reverse charge", "pt": "Inversão do sujeito passivo"},
    ),
    "vat_exemption": MentionWording(
        "vat_exemption",
        "Directive 2006/112/CE, article 226, 11 ; EN 16931-1, BT-120",
        {"fr": "{reason}", "en": "{reason}", "pt": "{reason}"},
    ),
}
"""Every legal mention :func:`legal_mentions` can give, by key, with its source."""


def _language(locale: str) -> str:
    return locale.split("_", 1)[0]


def _in_force(parameter: LegalParameter[T], day: date | None) -> T | None:
    """The parameter's value on ``day`` (a draft: its value), ``None`` outside its dates."""
    if day is None:
        return parameter.value
    try:
        return parameter.value_on(day)
    except InvalidValue:
        return None


def is_business_buyer(invoice: Invoice) -> bool:
    """Whether the invoice states the buyer's legal registration or VAT identifier: the
    sign of a business buyer, to whom the Code de commerce's payment mentions apply."""
    return invoice.buyer.legal_id is not None or invoice.buyer.vat_id is not None


def legal_mentions(invoice: Invoice, *, locale: str | None = None) -> tuple[LegalMention, ...]:
    """The legal mentions ``invoice`` carries, in its language (or ``locale``'s).

    The VAT mentions come first, in the order of the VAT breakdown, then, for a French
    seller invoicing a business, the payment mentions of the Code de commerce (L441-9,
    L441-10: early-payment discount, late-payment penalties, the recovery indemnity),
    which apply between professionals only: the buyer counts as one when the invoice
    states its legal registration or VAT identifier. The wording comes from
    :data:`MENTIONS`; a language without a wording there gets the French one for a
    French seller, the English one otherwise.

    Raises:
        UnknownLocale: babel has no data for ``locale``.
    """
    where = normalize_locale(invoice.language if locale is None else locale)
    language = _language(where)
    french = invoice.seller.address is not None and invoice.seller.address.country == "FR"
    fallback = "fr" if french else "en"
    found: list[LegalMention] = []

    def add(key: str, **values: str) -> None:
        found.append(MENTIONS[key].mention(language, fallback, **values))

    seen: set[VatCategory] = set()
    for entry in invoice.totals.vat_breakdown:
        category = entry.category
        if category in seen:
            continue
        seen.add(category)
        exemption = invoice.exemption(category)
        stated = None
        if exemption is not None:
            stated = exemption.reason if exemption.reason is not None else exemption.code
        if category is VatCategory.AE:
            key = "fr.reverse_charge" if french else "reverse_charge"
            add(key)
            if stated is not None and stated.casefold() != found[-1].text.casefold():
                add("fr.vat_exemption" if french else "vat_exemption", reason=stated)
        elif category is VatCategory.K and french and (exemption is None or not exemption.reason):
            add("fr.intra_community_exemption")
        elif stated is not None:
            add("fr.vat_exemption" if french else "vat_exemption", reason=stated)
    if french and is_business_buyer(invoice) and not invoice.is_credit_note:
        discount = invoice.terms.early_discount if invoice.terms is not None else None
        if discount is None:
            add("fr.no_early_payment_discount")
        elif invoice.issue_date is not None:
            add(
                "fr.early_payment_discount",
                rate=format_percent(discount.rate, where),
                deadline=format_date(discount.deadline(invoice.issue_date), where, format="long"),
            )
        else:
            add(
                "fr.early_payment_discount.days",
                rate=format_percent(discount.rate, where),
                days=format_decimal(discount.within_days, where),
            )
        margin = _in_force(FRENCH_LATE_INTEREST_MARGIN, invoice.issue_date)
        if margin is not None:
            add("fr.late_payment_penalties", margin=format_decimal(margin.percent_value, where))
        indemnity = _in_force(FRENCH_RECOVERY_INDEMNITY, invoice.issue_date)
        if indemnity is not None:
            add("fr.recovery_indemnity", amount=format_money(indemnity, where))
    return tuple(found)


# ---------------------------------------------------------------------------------------
# Labels
# ---------------------------------------------------------------------------------------

_LABELS: Final[Mapping[str, Mapping[str, str]]] = {
    "en": {
        "type.380": "Invoice",
        "type.381": "Credit note",
        "type.384": "Corrected invoice",
        "type.389": "Self-billed invoice",
        "draft": "DRAFT",
        "number": "Number",
        "issue_date": "Issue date",
        "seller": "Seller",
        "buyer": "Buyer",
        "payee": "Payee",
        "party_id": "Identifier",
        "vat_id": "VAT number",
        "electronic_address": "Electronic address",
        "contact": "Contact",
        "phone": "Phone",
        "email": "Email",
        "delivery": "Delivery",
        "delivery_party": "Deliver to",
        "delivery_location": "Location",
        "delivery_date": "Delivery date",
        "references": "References",
        "buyer_reference": "Buyer reference",
        "order_reference": "Purchase order",
        "preceding.381": "Credit note for invoice {number}",
        "preceding.381.dated": "Credit note for invoice {number} of {date}",
        "preceding.384": "Corrects invoice {number}",
        "preceding.384.dated": "Corrects invoice {number} of {date}",
        "preceding": "Preceding invoice {number}",
        "preceding.dated": "Preceding invoice {number} of {date}",
        "lines": "Lines",
        "line_id": "#",
        "item": "Item",
        "item_id": "Ref.",
        "quantity": "Quantity",
        "unit_price": "Net unit price",
        "per": "per {quantity}",
        "line_allowances_charges": "Allowances and charges",
        "vat": "VAT",
        "line_net": "Net amount",
        "allowances_charges": "Document allowances and charges",
        "allowance": "Allowance",
        "charge": "Charge",
        "reason": "Reason",
        "of_base": "{percentage} of {base}",
        "amount": "Amount",
        "vat_breakdown": "VAT breakdown",
        "category": "Category",
        "taxable": "Taxable amount",
        "rate": "Rate",
        "tax": "VAT amount",
        "totals": "Totals",
        "BT-106": "Sum of line net amounts",
        "BT-107": "Document allowances",
        "BT-108": "Document charges",
        "BT-109": "Total without VAT",
        "BT-110": "Total VAT",
        "BT-111": "Total VAT in {currency} (exchange rate {rate})",
        "BT-112": "Total with VAT",
        "BT-113": "Paid amount",
        "BT-114": "Rounding amount",
        "BT-115": "Amount due",
        "payment": "Payment",
        "due_date": "Due date",
        "terms": "Payment terms",
        "terms.net": "net {days} days",
        "terms.end_of_month": "end of month",
        "terms.days_then_end_of_month": "{days} days, then end of month",
        "terms.end_of_month_then_days": "end of month, then {days} days",
        "terms.discount": "{rate} discount for a payment within {days} days",
        "means": "Payment means",
        "means.10": "Cash",
        "means.20": "Cheque",
        "means.30": "Credit transfer",
        "means.31": "Debit transfer",
        "means.42": "Payment to bank account",
        "means.48": "Bank card",
        "means.49": "Direct debit",
        "means.58": "SEPA credit transfer",
        "means.59": "SEPA direct debit",
        "means.other": "Code {code} (UNTDID 4461)",
        "account": "IBAN",
        "account_name": "Account name",
        "bic": "BIC",
        "remittance": "Payment reference",
        "notes": "Notes",
        "mentions": "Legal mentions",
        "vat.S": "Standard rate",
        "vat.Z": "Zero rated",
        "vat.E": "Exempt from VAT",
        "vat.AE": "Reverse charge",
        "vat.K": "Intra-community supply",
        "vat.G": "Export outside the EU",
        "vat.O": "Not subject to VAT",
        "vat.L": "IGIC",
        "vat.M": "IPSI",
    },
    "fr": {
        "type.380": "Facture",
        "type.381": "Avoir",
        "type.384": "Facture rectificative",
        "type.389": "Autofacturation",
        "draft": "BROUILLON",
        "number": "Numéro",
        "issue_date": "Date d'émission",
        "seller": "Vendeur",
        "buyer": "Acheteur",
        "payee": "Bénéficiaire du paiement",
        "party_id": "Identifiant",
        "vat_id": "N° de TVA",
        "electronic_address": "Adresse électronique",
        "contact": "Contact",
        "phone": "Téléphone",
        "email": "Courriel",
        "delivery": "Livraison",
        "delivery_party": "Livré à",
        "delivery_location": "Lieu",
        "delivery_date": "Date de livraison",
        "references": "Références",
        "buyer_reference": "Référence acheteur",
        "order_reference": "Bon de commande",
        "preceding.381": "Avoir sur facture {number}",
        "preceding.381.dated": "Avoir sur facture {number} du {date}",
        "preceding.384": "Rectifie la facture {number}",
        "preceding.384.dated": "Rectifie la facture {number} du {date}",
        "preceding": "Facture antérieure {number}",
        "preceding.dated": "Facture antérieure {number} du {date}",
        "lines": "Lignes",
        "line_id": "N°",
        "item": "Désignation",
        "item_id": "Réf.",
        "quantity": "Quantité",
        "unit_price": "Prix unitaire net",
        "per": "pour {quantity}",
        "line_allowances_charges": "Remises et frais",
        "vat": "TVA",
        "line_net": "Montant HT",
        "allowances_charges": "Remises et frais sur le document",
        "allowance": "Remise",
        "charge": "Frais",
        "reason": "Motif",
        "of_base": "{percentage} de {base}",
        "amount": "Montant",
        "vat_breakdown": "Ventilation de la TVA",
        "category": "Catégorie",
        "taxable": "Base HT",
        "rate": "Taux",
        "tax": "Montant de TVA",
        "totals": "Totaux",
        "BT-106": "Total HT des lignes",
        "BT-107": "Remises sur le document",
        "BT-108": "Frais sur le document",
        "BT-109": "Total HT",
        "BT-110": "Total TVA",
        "BT-111": "Total TVA en {currency} (taux de change {rate})",
        "BT-112": "Total TTC",
        "BT-113": "Montant déjà payé",
        "BT-114": "Arrondi",
        "BT-115": "Net à payer",
        "payment": "Paiement",
        "due_date": "Date d'échéance",
        "terms": "Conditions de paiement",
        "terms.net": "{days} jours nets",
        "terms.end_of_month": "fin de mois",
        "terms.days_then_end_of_month": "{days} jours, puis fin de mois",
        "terms.end_of_month_then_days": "fin de mois, puis {days} jours",
        "terms.discount": "escompte de {rate} pour un règlement sous {days} jours",
        "means": "Moyen de paiement",
        "means.10": "Espèces",
        "means.20": "Chèque",
        "means.30": "Virement",
        "means.31": "Ordre de débit",
        "means.42": "Versement sur compte bancaire",
        "means.48": "Carte bancaire",
        "means.49": "Prélèvement",
        "means.58": "Virement SEPA",
        "means.59": "Prélèvement SEPA",
        "means.other": "Code {code} (UNTDID 4461)",
        "account": "IBAN",
        "account_name": "Titulaire du compte",
        "bic": "BIC",
        "remittance": "Référence à rappeler",
        "notes": "Notes",
        "mentions": "Mentions légales",
        "vat.S": "Taux normal",
        "vat.Z": "Taux zéro",
        "vat.E": "Exonéré de TVA",
        "vat.AE": "Autoliquidation",
        "vat.K": "Livraison intracommunautaire",
        "vat.G": "Exportation hors UE",
        "vat.O": "Hors champ de la TVA",
        "vat.L": "IGIC",
        "vat.M": "IPSI",
    },
    "pt": {
        "type.380": "Fatura",
        "type.381": "Nota de crédito",
        "type.384": "Fatura retificadora",
        "type.389": "Autofaturação",
        "draft": "RASCUNHO",
        "number": "Número",
        "issue_date": "Data de emissão",
        "seller": "Vendedor",
        "buyer": "Comprador",
        "payee": "Beneficiário do pagamento",
        "party_id": "Identificador",
        "vat_id": "Nº de IVA",
        "electronic_address": "Endereço eletrônico",
        "contact": "Contato",
        "phone": "Telefone",
        "email": "E-mail",
        "delivery": "Entrega",
        "delivery_party": "Entregar a",
        "delivery_location": "Local",
        "delivery_date": "Data de entrega",
        "references": "Referências",
        "buyer_reference": "Referência do comprador",
        "order_reference": "Pedido de compra",
        "preceding.381": "Nota de crédito referente à fatura {number}",
        "preceding.381.dated": "Nota de crédito referente à fatura {number} de {date}",
        "preceding.384": "Retifica a fatura {number}",
        "preceding.384.dated": "Retifica a fatura {number} de {date}",
        "preceding": "Fatura anterior {number}",
        "preceding.dated": "Fatura anterior {number} de {date}",
        "lines": "Itens",
        "line_id": "Nº",
        "item": "Descrição",
        "item_id": "Ref.",
        "quantity": "Quantidade",
        "unit_price": "Preço unitário líquido",
        "per": "por {quantity}",
        "line_allowances_charges": "Descontos e encargos",
        "vat": "IVA",
        "line_net": "Valor líquido",
        "allowances_charges": "Descontos e encargos do documento",
        "allowance": "Desconto",
        "charge": "Encargo",
        "reason": "Motivo",
        "of_base": "{percentage} de {base}",
        "amount": "Valor",
        "vat_breakdown": "Discriminação do IVA",
        "category": "Categoria",
        "taxable": "Base tributável",
        "rate": "Alíquota",
        "tax": "Valor do IVA",
        "totals": "Totais",
        "BT-106": "Soma dos valores líquidos dos itens",
        "BT-107": "Descontos do documento",
        "BT-108": "Encargos do documento",
        "BT-109": "Total sem IVA",
        "BT-110": "Total do IVA",
        "BT-111": "Total do IVA em {currency} (taxa de câmbio {rate})",
        "BT-112": "Total com IVA",
        "BT-113": "Valor já pago",
        "BT-114": "Arredondamento",
        "BT-115": "Valor a pagar",
        "payment": "Pagamento",
        "due_date": "Data de vencimento",
        "terms": "Condições de pagamento",
        "terms.net": "{days} dias líquidos",
        "terms.end_of_month": "fim do mês",
        "terms.days_then_end_of_month": "{days} dias, depois fim do mês",
        "terms.end_of_month_then_days": "fim do mês, depois {days} dias",
        "terms.discount": "desconto de {rate} para pagamento em até {days} dias",
        "means": "Meio de pagamento",
        "means.10": "Dinheiro",
        "means.20": "Cheque",
        "means.30": "Transferência bancária",
        "means.31": "Transferência de débito",
        "means.42": "Pagamento em conta bancária",
        "means.48": "Cartão bancário",
        "means.49": "Débito direto",
        "means.58": "Transferência SEPA",
        "means.59": "Débito direto SEPA",
        "means.other": "Código {code} (UNTDID 4461)",
        "account": "IBAN",
        "account_name": "Titular da conta",
        "bic": "BIC",
        "remittance": "Referência do pagamento",
        "notes": "Observações",
        "mentions": "Menções legais",
        "vat.S": "Alíquota normal",
        "vat.Z": "Alíquota zero",
        "vat.E": "Isento de IVA",
        "vat.AE": "Autoliquidação",
        "vat.K": "Fornecimento intracomunitário",
        "vat.G": "Exportação para fora da UE",
        "vat.O": "Fora do campo do IVA",
        "vat.L": "IGIC",
        "vat.M": "IPSI",
    },
}
"""The page's labels by language; every language has the same keys. A label with
``{placeholders}`` is filled with values that are escaped first."""


# ---------------------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------------------

_STYLE: Final = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1d1d1f;
margin:2rem auto;max-width:60rem;padding:0 1rem;font-size:14px;line-height:1.4}
h1{font-size:1.8rem;margin:0}
h2{font-size:1rem;margin:1.2rem 0 .4rem;border-bottom:1px solid #ccc;padding-bottom:.2rem}
header{display:flex;justify-content:space-between;align-items:flex-start;gap:1rem}
.draft{display:inline-block;border:3px solid #b00020;color:#b00020;font-weight:bold;
padding:.1rem .6rem;letter-spacing:.2em;margin:.4rem 0}
.parties{display:flex;gap:2rem}.parties>div{flex:1}
address{font-style:normal;margin-bottom:.4rem}
.legal-id,.vat-id,.trading-name,.name{margin:.1rem 0}
dl{display:grid;grid-template-columns:max-content auto;gap:.1rem 1rem;margin:0}
dt{color:#555}dd{margin:0}
table{border-collapse:collapse;width:100%}
th,td{padding:.3rem .4rem;border-bottom:1px solid #e3e3e3;vertical-align:top;text-align:left}
th{background:#f4f4f4}
.num{text-align:right;white-space:nowrap}
.totals{margin-left:auto;width:auto;min-width:22rem}
.totals tr.due th,.totals tr.due td{font-weight:bold;border-top:2px solid #333}
.desc,.ref,.line-note{color:#555;font-size:.9em}
.notes p{white-space:pre-line;margin:.2rem 0}
.mentions{font-size:.85em}.mentions cite{color:#555;font-style:normal}
@media print{body{margin:0;max-width:none}}
""".strip()


def _e(text: str) -> str:
    """``text`` escaped for an element's content."""
    return html.escape(text, quote=False)


def _attr(text: str) -> str:
    """``text`` escaped for an attribute value between double quotes."""
    return html.escape(text, quote=True)


def _tag(name: str, content: str, css: str | None = None, **attributes: str) -> str:
    """An element around ``content``, which is HTML already (escaped by the caller)."""
    attrs_text = "" if css is None else f' class="{_attr(css)}"'
    for key, value in attributes.items():
        attrs_text += f' {key.replace("_", "-")}="{_attr(value)}"'
    return f"<{name}{attrs_text}>{content}</{name}>"


@attrs.frozen(slots=True)
class _Page:
    """Formatting and labels for one locale."""

    locale: str
    labels: Mapping[str, str]

    def label(self, key: str, **values: str) -> str:
        """The label ``key``, escaped, with ``values`` escaped and filled in."""
        return _e(self.labels[key]).format(**{name: _e(value) for name, value in values.items()})

    def money(self, amount: Money) -> str:
        return _e(format_money(amount, self.locale))

    def day(self, day: date) -> str:
        return _e(format_date(day, self.locale, format="long"))

    def number(self, value: Decimal | int) -> str:
        return _e(format_decimal(value, self.locale))

    def percent(self, value: Decimal) -> str:
        return _e(format_percent(Rate.percent(value, maximum_percent=None), self.locale))

    def price(self, price: UnitPrice) -> str:
        """A unit price with the currency's decimals, or more when it has them."""
        return _e(_format_price(price, self.locale))

    def country(self, code: str) -> str:
        name = _babel_locale(self.locale).territories.get(code)
        return _e(str(name) if name else code)


def _format_price(price: UnitPrice, locale: str) -> str:
    import decimal

    from babel.numbers import parse_pattern

    babel_locale = _babel_locale(locale)
    exponent = price.amount.as_tuple().exponent
    own = max(0, -exponent) if isinstance(exponent, int) else 0
    shown = max(price.currency.decimals, own)
    pattern = parse_pattern(babel_locale.currency_formats["standard"].pattern)
    pattern.frac_prec = (shown, shown)
    with decimal.localcontext(BABEL_CONTEXT):
        text = pattern.apply(
            price.amount,
            babel_locale,
            currency=price.currency.code,
            currency_digits=False,
            decimal_quantization=False,
        )
    # CLDR currency spacing, as format_money does: a symbol of letters never touches digits.
    return _LETTER_DIGIT.sub("\u00a0", str(text))


def _dl(rows: list[tuple[str, str]]) -> str:
    """A definition list of (label HTML, value HTML) rows, or nothing."""
    if not rows:
        return ""
    return _tag("dl", "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in rows))


def _address(page: _Page, address: Address) -> str:
    parts = [_tag("div", _e(line)) for line in address.lines]
    town = " ".join(_e(text) for text in (address.postal_code, address.city) if text)
    if town:
        parts.append(_tag("div", town))
    if address.subdivision:
        parts.append(_tag("div", _e(address.subdivision)))
    parts.append(_tag("div", page.country(address.country)))
    return _tag("address", "".join(parts))


def _contact(page: _Page, contact: Contact) -> list[tuple[str, str]]:
    rows = []
    if contact.name:
        rows.append((page.label("contact"), _e(contact.name)))
    if contact.phone:
        rows.append((page.label("phone"), _e(contact.phone)))
    if contact.email:
        rows.append((page.label("email"), _e(contact.email)))
    return rows


def _party(page: _Page, party: Party, role: str) -> str:
    parts = [_tag("h2", page.label(role)), _tag("p", _tag("strong", _e(party.name)), "name")]
    if party.trading_name:
        parts.append(_tag("p", _e(party.trading_name), "trading-name"))
    if party.address is not None:
        parts.append(_address(page, party.address))
    rows: list[tuple[str, str]] = []
    if party.id:
        rows.append((page.label("party_id"), _e(party.id)))
    if party.legal_id is not None:
        label = party.legal_id.localized_label(page.locale)
        parts.append(_tag("p", f"{_e(label)} {_e(party.legal_id.format())}", "legal-id"))
    if party.vat_id is not None:
        parts.append(_tag("p", f"{page.label('vat_id')} {_e(party.vat_id.format())}", "vat-id"))
    if party.electronic_address and party.electronic_address_scheme:
        rows.append(
            (
                page.label("electronic_address"),
                _e(f"{party.electronic_address_scheme}:{party.electronic_address}"),
            )
        )
    if party.contact is not None:
        rows.extend(_contact(page, party.contact))
    parts.append(_dl(rows))
    return _tag("div", "".join(parts), role)


def _header(page: _Page, invoice: Invoice) -> str:
    title = page.label(f"type.{invoice.type_code.value}")
    left = _tag("h1", title)
    if invoice.is_draft:
        left += _tag("p", page.label("draft"), "draft", role="note")
        return _tag("header", _tag("div", left))
    assert invoice.number is not None and invoice.issue_date is not None
    meta = _dl(
        [
            (page.label("number"), _e(invoice.number)),
            (page.label("issue_date"), page.day(invoice.issue_date)),
        ]
    )
    return _tag("header", _tag("div", left) + _tag("div", meta, "meta"))


def _preceding(page: _Page, kind: DocumentType, reference: PrecedingInvoice) -> str:
    key = {
        DocumentType.CREDIT_NOTE: "preceding.381",
        DocumentType.CORRECTED_INVOICE: "preceding.384",
    }.get(kind, "preceding")
    if reference.issue_date is None:
        return page.label(key, number=reference.number)
    return page.label(
        f"{key}.dated",
        number=reference.number,
        date=format_date(reference.issue_date, page.locale, format="long"),
    )


def _references(page: _Page, invoice: Invoice) -> str:
    rows: list[tuple[str, str]] = []
    if invoice.buyer_reference:
        rows.append((page.label("buyer_reference"), _e(invoice.buyer_reference)))
    if invoice.order_reference:
        rows.append((page.label("order_reference"), _e(invoice.order_reference)))
    items = [_tag("p", _preceding(page, invoice.type_code, ref)) for ref in invoice.preceding]
    if not rows and not items:
        return ""
    body = _tag("h2", page.label("references")) + "".join(items) + _dl(rows)
    return _tag("section", body, "references")


def _delivery(page: _Page, invoice: Invoice) -> str:
    delivery = invoice.delivery
    if delivery is None:
        return ""
    rows: list[tuple[str, str]] = []
    if delivery.party_name:
        rows.append((page.label("delivery_party"), _e(delivery.party_name)))
    if delivery.location_id:
        rows.append((page.label("delivery_location"), _e(delivery.location_id)))
    if delivery.date is not None:
        rows.append((page.label("delivery_date"), page.day(delivery.date)))
    body = _tag("h2", page.label("delivery")) + _dl(rows)
    if delivery.address is not None:
        body += _address(page, delivery.address)
    return _tag("section", body, "delivery")


def _entry_amount(page: _Page, entry: AllowanceCharge, invoice: Invoice) -> str:
    """An allowance (negative) or a charge (positive) as the totals booked it: the
    stated amount, or the percentage of the base rounded with the invoice's own policy,
    the very computation :func:`~backoffice.invoicing.totals.document_totals` made."""
    amount = entry.amount_rounded(invoice.rounding)
    return page.money(amount) if entry.is_charge else page.money(-amount)


def _entry_basis(page: _Page, entry: AllowanceCharge) -> str:
    if entry.percentage is None:
        return ""
    if entry.base_amount is None:
        return page.percent(entry.percentage)
    return page.label(
        "of_base",
        percentage=format_percent(
            Rate.percent(entry.percentage, maximum_percent=None), page.locale
        ),
        base=format_money(entry.base_amount, page.locale),
    )


def _line_entry(page: _Page, entry: AllowanceCharge, invoice: Invoice) -> str:
    """A line allowance or charge: its amount, then its basis and reason if stated."""
    text = _entry_amount(page, entry, invoice)
    basis = _entry_basis(page, entry)
    if basis:
        text += f" ({basis})"
    reason = _entry_reason(entry)
    if reason:
        text += f" {reason}"
    return text


def _entry_reason(entry: AllowanceCharge) -> str:
    texts = [text for text in (entry.reason, entry.reason_code) if text]
    return _e(" · ".join(texts))


def _vat_cell(page: _Page, category: VatCategory, rate: Decimal | None) -> str:
    code = _tag("abbr", _e(category.value), title=page.labels[f"vat.{category.value}"])
    return code if rate is None else f"{code} {page.percent(rate)}"


def _lines(page: _Page, invoice: Invoice) -> str:
    head = "".join(
        _tag("th", page.label(key), css, scope="col")
        for key, css in (
            ("line_id", None),
            ("item", None),
            ("quantity", "num"),
            ("unit_price", "num"),
            ("line_allowances_charges", "num"),
            ("vat", "num"),
            ("line_net", "num"),
        )
    )
    rows = []
    for line, net in zip(invoice.lines, invoice.totals.line_net_amounts, strict=True):
        item = _tag("div", _e(line.name or ""), "item")
        if line.description:
            item += _tag("div", _e(line.description), "desc")
        ids = [text for text in (line.seller_item_id, line.standard_item_id) if text]
        if ids:
            item += _tag("div", f"{page.label('item_id')} {_e(' · '.join(ids))}", "ref")
        if line.note:
            item += _tag("div", _e(line.note), "line-note")
        quantity = "—"
        if line.quantity is not None:
            quantity = f"{page.number(line.quantity)}\u00a0{_e(line.unit_code)}"
        price = "—"
        if line.price is not None:
            price = page.price(line.price)
            if line.base_quantity != 1:
                per = f"{format_decimal(line.base_quantity, page.locale)}\u00a0{line.unit_code}"
                price += " " + page.label("per", quantity=per)
        entries = "".join(
            _tag("div", _line_entry(page, entry, invoice)) for entry in line.allowances_charges
        )
        cells = (
            _tag("td", _e(line.id)),
            _tag("td", item),
            _tag("td", quantity, "num"),
            _tag("td", price, "num"),
            _tag("td", entries, "num"),
            _tag("td", _vat_cell(page, line.vat_category, line.vat_rate), "num"),
            _tag("td", page.money(net), "num"),
        )
        rows.append(_tag("tr", "".join(cells)))
    table = _tag("table", _tag("thead", _tag("tr", head)) + _tag("tbody", "".join(rows)))
    return _tag("section", _tag("h2", page.label("lines")) + table, "lines")


def _document_entries(page: _Page, invoice: Invoice) -> str:
    if not invoice.allowances_charges:
        return ""
    head = "".join(
        _tag("th", page.label(key), css, scope="col")
        for key, css in (
            ("allowance", None),
            ("reason", None),
            ("rate", "num"),
            ("vat", "num"),
            ("amount", "num"),
        )
    )
    rows = []
    for entry in invoice.allowances_charges:
        assert entry.vat_category is not None  # a document-level entry names it (BR-32)
        cells = (
            _tag("td", page.label("charge" if entry.is_charge else "allowance")),
            _tag("td", _entry_reason(entry)),
            _tag("td", _entry_basis(page, entry), "num"),
            _tag("td", _vat_cell(page, entry.vat_category, entry.vat_rate), "num"),
            _tag("td", _entry_amount(page, entry, invoice), "num"),
        )
        rows.append(_tag("tr", "".join(cells)))
    table = _tag("table", _tag("thead", _tag("tr", head)) + _tag("tbody", "".join(rows)))
    return _tag("section", _tag("h2", page.label("allowances_charges")) + table, "entries")


def _vat_breakdown(page: _Page, invoice: Invoice) -> str:
    head = "".join(
        _tag("th", page.label(key), css, scope="col")
        for key, css in (
            ("category", None),
            ("taxable", "num"),
            ("rate", "num"),
            ("tax", "num"),
        )
    )
    rows = []
    for entry in invoice.totals.vat_breakdown:
        code = entry.category.value
        cells = (
            _tag("td", f"{_e(code)} – {page.label(f'vat.{code}')}"),
            _tag("td", page.money(entry.taxable_amount), "num"),
            _tag("td", "—" if entry.rate is None else page.percent(entry.rate), "num"),
            _tag("td", page.money(entry.tax_amount), "num"),
        )
        rows.append(_tag("tr", "".join(cells), data_category=code))
    table = _tag("table", _tag("thead", _tag("tr", head)) + _tag("tbody", "".join(rows)))
    return _tag("section", _tag("h2", page.label("vat_breakdown")) + table, "vat")


def _totals(page: _Page, invoice: Invoice) -> str:
    totals = invoice.totals
    rows: list[tuple[str, str, Money | None]] = [
        ("BT-106", page.label("BT-106"), totals.sum_of_line_nets),
        ("BT-107", page.label("BT-107"), totals.allowances),
        ("BT-108", page.label("BT-108"), totals.charges),
        ("BT-109", page.label("BT-109"), totals.total_without_vat),
        ("BT-110", page.label("BT-110"), totals.total_vat),
    ]
    if (
        totals.total_vat_in_tax_currency is not None
        and invoice.tax_currency is not None
        and invoice.exchange_rate is not None
    ):
        label = page.label(
            "BT-111",
            currency=invoice.tax_currency.code,
            rate=format_decimal(invoice.exchange_rate, page.locale),
        )
        rows.append(("BT-111", label, totals.total_vat_in_tax_currency))
    rows += [
        ("BT-112", page.label("BT-112"), totals.total_with_vat),
        ("BT-113", page.label("BT-113"), totals.prepaid),
        ("BT-114", page.label("BT-114"), totals.rounding_amount),
        ("BT-115", page.label("BT-115"), totals.amount_due),
    ]
    body = "".join(
        _tag(
            "tr",
            _tag("th", label, scope="row") + _tag("td", page.money(amount), "num"),
            "due" if term == "BT-115" else None,
            data_bt=term,
        )
        for term, label, amount in rows
        if amount is not None
    )
    table = _tag("table", _tag("tbody", body), "totals")
    return _tag("section", _tag("h2", page.label("totals")) + table, "totals-section")


def _terms(page: _Page, terms: PaymentTerms) -> str:
    rule = terms.rule
    if isinstance(rule, Net):
        text = page.label("terms.net", days=str(rule.days))
    elif isinstance(rule, EndOfMonth):
        text = page.label("terms.end_of_month")
    elif isinstance(rule, DaysThenEndOfMonth):
        text = page.label("terms.days_then_end_of_month", days=str(rule.days))
    else:
        assert isinstance(rule, EndOfMonthThenDays)
        text = page.label("terms.end_of_month_then_days", days=str(rule.days))
    discount = terms.early_discount
    if discount is not None:
        text += "; " + page.label(
            "terms.discount",
            rate=format_percent(discount.rate, page.locale),
            days=str(discount.within_days),
        )
    return text


def _payment(page: _Page, invoice: Invoice) -> str:
    rows: list[tuple[str, str]] = []
    if invoice.due_date is not None:
        rows.append((page.label("due_date"), page.day(invoice.due_date)))
    if invoice.terms is not None:
        rows.append((page.label("terms"), _terms(page, invoice.terms)))
    payment = invoice.payment
    if payment is not None:
        key = f"means.{payment.means_code}"
        means = (
            page.label(key)
            if key in page.labels
            else page.label("means.other", code=payment.means_code)
        )
        rows.append((page.label("means"), means))
        if payment.account is not None:
            rows.append((page.label("account"), _e(payment.account.format())))
        if payment.account_name:
            rows.append((page.label("account_name"), _e(payment.account_name)))
        if payment.bic is not None:
            rows.append((page.label("bic"), _e(payment.bic.format())))
        if payment.remittance_information:
            rows.append((page.label("remittance"), _e(payment.remittance_information)))
    if not rows:
        return ""
    return _tag("section", _tag("h2", page.label("payment")) + _dl(rows), "payment")


def _notes(page: _Page, invoice: Invoice) -> str:
    if not invoice.notes:
        return ""
    body = "".join(_tag("p", _e(note)) for note in invoice.notes)
    return _tag("section", _tag("h2", page.label("notes")) + body, "notes")


def _mentions(page: _Page, mentions: tuple[LegalMention, ...]) -> str:
    if not mentions:
        return ""
    items = "".join(
        _tag(
            "li",
            f"{_e(mention.text)} {_tag('cite', '(' + _e(mention.source) + ')')}",
            data_code=mention.code,
        )
        for mention in mentions
    )
    return _tag("section", _tag("h2", page.label("mentions")) + _tag("ul", items), "mentions")


def render_html(invoice: Invoice, *, locale: str | None = None) -> str:
    """``invoice`` as one self-contained HTML5 page, in its language or ``locale``'s.

    The page has its style inline and nothing else: no script, no image, no link to
    another resource. Every text of the document is escaped; amounts are the booked
    ones, formatted for the locale, never rounded again.

    Raises:
        UnknownLocale: babel has no data for ``locale`` (or the invoice's language).
    """
    where = normalize_locale(invoice.language if locale is None else locale)
    labels = _LABELS.get(_language(where), _LABELS["en"])
    page = _Page(where, labels)
    title = page.label(f"type.{invoice.type_code.value}")
    title += f" {_e(invoice.number)}" if invoice.number else f" ({page.label('draft')})"
    parties = _party(page, invoice.seller, "seller") + _party(page, invoice.buyer, "buyer")
    body = [
        _header(page, invoice),
        _tag("section", parties, "parties"),
        "" if invoice.payee is None else _tag("section", _party(page, invoice.payee, "payee")),
        _delivery(page, invoice),
        _references(page, invoice),
        _lines(page, invoice),
        _document_entries(page, invoice),
        _vat_breakdown(page, invoice),
        _totals(page, invoice),
        _payment(page, invoice),
        _notes(page, invoice),
        _mentions(page, legal_mentions(invoice, locale=where)),
    ]
    head = (
        '<meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{_STYLE}</style>"
    )
    language = _attr(where.replace("_", "-"))
    return (
        f'<!DOCTYPE html>\n<html lang="{language}"><head>{head}</head>'
        f"<body>{''.join(part for part in body if part)}</body></html>\n"
    )
