"""France: the mentions an invoice carries, its payment terms, and its numbering.

The rules of :data:`RULES` read an :class:`~backoffice.invoicing.Invoice` issued by a
seller established in France (a seller elsewhere passes them: French mentions are the
French seller's duty), and those of :data:`SERIES_RULES` a series of issued invoices
(:class:`~backoffice.compliance.subjects.InvoiceSeries`).

What the invoice model already refuses to build is not checked again here: an invoice
without lines, a line without its VAT category and rate (CGI, annexe II, article 242
nonies A, I), a VAT breakdown that does not add up (it is computed), an exempt category
without its exemption reason (BR-E-10...). The rules check what the model leaves open.

A buyer counts as a business when the invoice states its legal registration or VAT
identifier: the criterion :func:`backoffice.invoicing.render.legal_mentions` uses to
print the Code de commerce's mentions, which this pack checks are printed.

The e-invoicing reform's mentions (the buyer's SIREN, the delivery address, the
category of the operation, the option for VAT on debits) apply from 1 September 2026 to
large and mid-sized companies and from 1 September 2027 to the others: the library
cannot tell the seller's size, so they are warnings from 2026-09-01.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any, Final

from backoffice.compliance.engine import LegalReference, Rule, RuleSet, Severity, Violation
from backoffice.compliance.subjects import INVOICE, INVOICE_SERIES, InvoiceSeries, sequence_number
from backoffice.invoicing.render import is_business_buyer
from backoffice.invoicing.terms import latest_french_due_date

if TYPE_CHECKING:
    from backoffice.invoicing.document import Address, Invoice, Party

__all__ = ["REFORM_START", "RULES", "SERIES_RULES", "is_business_buyer"]

#: The first day the e-invoicing reform's mentions apply (to large and mid-sized
#: companies; 2027-09-01 for the others).
REFORM_START: Final = date(2026, 9, 1)

_CGI: Final = "Code général des impôts, annexe II"
_CCOM: Final = "Code de commerce"
_REFORM_NOTE: Final = (
    "New mention of the e-invoicing reform (décret n° 2022-1299 du 7 octobre 2022), applying "
    "from 1 September 2026 to large and mid-sized companies and from 1 September 2027 to the "
    "others (loi n° 2023-1322 de finances pour 2024, article 91; décret n° 2024-266 du 25 "
    "mars 2024): a warning, since the seller's size is not known."
)

_pack = RuleSet()
_series = RuleSet()


def _french_seller(invoice: Invoice) -> bool:
    address = invoice.seller.address
    return address is not None and address.country == "FR"


def _b2b(invoice: Invoice) -> bool:
    return _french_seller(invoice) and is_business_buyer(invoice) and not invoice.is_credit_note


def _address_gaps(role: str, party: Party) -> Iterator[Violation]:
    address: Address | None = party.address
    if address is None:  # the model requires one; kept for parties built otherwise
        yield Violation(f"{role}.address")
        return
    if not address.lines:
        yield Violation(f"{role}.address.lines")
    if address.postal_code is None:
        yield Violation(f"{role}.address.postal_code")
    if address.city is None:
        yield Violation(f"{role}.address.city")


def _notes_mention(invoice: Invoice, *words: str) -> bool:
    text = " ".join(invoice.notes).casefold()
    return all(word in text for word in words)


def _mention_codes(invoice: Invoice) -> set[str]:
    from backoffice.invoicing.render import legal_mentions

    return {mention.code for mention in legal_mentions(invoice, locale="fr_FR")}


def _franchise(invoice: Invoice) -> bool:
    """Whether the seller invoices under the VAT franchise (CGI article 293 B): its
    exemption is coded ``VATEX-FR-FRANCHISE`` or cites article 293 B."""
    from backoffice.invoicing.model import VatCategory

    exemption = invoice.exemption(VatCategory.E)
    if exemption is None:
        return False
    reason = (exemption.reason or "").casefold()
    return exemption.code == "VATEX-FR-FRANCHISE" or "293 b" in reason


def _categories(invoice: Invoice) -> set[str]:
    return {entry.category.value for entry in invoice.totals.vat_breakdown}


# ---------------------------------------------------------------------------------------
# Mandatory mentions
# ---------------------------------------------------------------------------------------


@_pack.rule(
    "FR-INV-001",
    jurisdiction="FR",
    subject=INVOICE,
    reference=LegalReference(_CGI, "242 nonies A, I, 7°"),
    messages={
        "en": "The invoice has a unique number, based on a chronological and continuous "
        "sequence: a draft is not an invoice yet.",
        "fr": "La facture porte un numéro unique, fondé sur une séquence chronologique et "
        "continue : un brouillon n'est pas encore une facture.",
        "pt_BR": "A fatura tem um número único, baseado em uma sequência cronológica e "
        "contínua: um rascunho ainda não é uma fatura.",
    },
    title="The invoice has a number.",
)
def _number(invoice: Invoice) -> Iterator[Violation]:
    if _french_seller(invoice) and invoice.number is None:
        yield Violation("number")


@_pack.rule(
    "FR-INV-002",
    jurisdiction="FR",
    subject=INVOICE,
    reference=LegalReference(_CGI, "242 nonies A, I"),
    messages={
        "en": "The invoice states its date of issue.",
        "fr": "La facture indique sa date d'émission.",
        "pt_BR": "A fatura informa sua data de emissão.",
    },
)
def _issue_date(invoice: Invoice) -> Iterator[Violation]:
    if _french_seller(invoice) and invoice.issue_date is None:
        yield Violation("issue_date")


@_pack.rule(
    "FR-INV-003",
    jurisdiction="FR",
    subject=INVOICE,
    reference=LegalReference(_CGI, "242 nonies A, I"),
    messages={
        "en": "The seller's full name and address are stated: street, post code and city.",
        "fr": "Le nom complet et l'adresse du vendeur sont indiqués : rue, code postal et ville.",
        "pt_BR": "O nome completo e o endereço do vendedor são informados: rua, código postal "
        "e cidade.",
    },
)
def _seller_address(invoice: Invoice) -> Iterator[Violation]:
    if _french_seller(invoice):
        yield from _address_gaps("seller", invoice.seller)


@_pack.rule(
    "FR-INV-004",
    jurisdiction="FR",
    subject=INVOICE,
    reference=LegalReference(_CGI, "242 nonies A, I"),
    messages={
        "en": "The buyer's full name and address are stated: street, post code and city.",
        "fr": "Le nom complet et l'adresse du client sont indiqués : rue, code postal et ville.",
        "pt_BR": "O nome completo e o endereço do comprador são informados: rua, código "
        "postal e cidade.",
    },
)
def _buyer_address(invoice: Invoice) -> Iterator[Violation]:
    if _french_seller(invoice):
        yield from _address_gaps("buyer", invoice.buyer)


@_pack.rule(
    "FR-INV-005",
    jurisdiction="FR",
    subject=INVOICE,
    reference=LegalReference(
        "Code de commerce, article R123-237, 1° ; Code général des impôts, annexe II",
        "242 nonies A, I",
        note="The same check as the e-invoice rule BR-FR-10: the legal identifier is a SIREN.",
    ),
    messages={
        "en": "The seller's SIREN is stated as its legal registration identifier.",
        "fr": "Le SIREN du vendeur est indiqué comme identifiant légal.",
        "pt_BR": "O SIREN do vendedor é informado como identificador legal.",
    },
)
def _seller_siren(invoice: Invoice) -> Iterator[Violation]:
    legal = invoice.seller.legal_id
    if _french_seller(invoice) and (legal is None or legal.kind != "siren"):
        yield Violation("seller.legal_id")


@_pack.rule(
    "FR-INV-006",
    jurisdiction="FR",
    subject=INVOICE,
    reference=LegalReference(_CGI, "242 nonies A, I"),
    messages={
        "en": "The seller's VAT identification number is stated (a seller under the VAT "
        "franchise of article 293 B, or invoicing exempt operations only, has none).",
        "fr": "Le numéro d'identification à la TVA du vendeur est indiqué (un vendeur en "
        "franchise en base de l'article 293 B, ou qui ne facture que des opérations "
        "exonérées, n'en a pas).",
        "pt_BR": "O número de identificação de IVA do vendedor é informado (um vendedor na "
        "franquia do artigo 293 B, ou que só fatura operações isentas, não tem).",
    },
)
def _seller_vat(invoice: Invoice) -> Iterator[Violation]:
    if (
        _french_seller(invoice)
        and invoice.seller.vat_id is None
        and not _franchise(invoice)
        and not _categories(invoice) <= {"E", "O"}  # exempt only: no VAT number to state
    ):
        yield Violation("seller.vat_id")


@_pack.rule(
    "FR-INV-007",
    title="The buyer's VAT number is stated for a business buyer in another EU member state.",
    jurisdiction="FR",
    subject=INVOICE,
    reference=LegalReference(_CGI, "242 nonies A, I ; CGI, article 262 ter, I"),
    messages={
        "en": "The buyer's VAT identification number is stated for a business buyer in "
        "another EU member state ({country}).",
        "fr": "Le numéro d'identification à la TVA du client est indiqué pour un client "
        "professionnel établi dans un autre État membre de l'UE ({country}).",
        "pt_BR": "O número de identificação de IVA do comprador é informado para um comprador "
        "empresa em outro Estado-membro da UE ({country}).",
    },
)
def _buyer_vat(invoice: Invoice) -> Iterator[Violation]:
    from backoffice.compliance.engine import EU_MEMBER_STATES

    address = invoice.buyer.address
    country = None if address is None else address.country
    if (
        _french_seller(invoice)
        and invoice.buyer.vat_id is None
        and country in EU_MEMBER_STATES
        and country != "FR"
        and (is_business_buyer(invoice) or _categories(invoice) & {"K", "AE"})
    ):
        yield Violation("buyer.vat_id", {"country": country})


@_pack.rule(
    "FR-INV-008",
    jurisdiction="FR",
    subject=INVOICE,
    reference=LegalReference(_CCOM, "L441-9, I"),
    messages={
        "en": "An invoice to a business states the date payment is due.",
        "fr": "Une facture à un professionnel indique la date à laquelle le règlement doit "
        "intervenir.",
        "pt_BR": "Uma fatura para uma empresa informa a data de vencimento do pagamento.",
    },
)
def _due_date(invoice: Invoice) -> Iterator[Violation]:
    if _b2b(invoice) and invoice.due_date is None and invoice.terms is None:
        yield Violation("due_date")


@_pack.rule(
    "FR-INV-009",
    jurisdiction="FR",
    subject=INVOICE,
    reference=LegalReference(_CCOM, "L441-9, I et L441-10, II"),
    messages={
        "en": "An invoice to a business states the late-payment penalty rate: printed by "
        "the renderer when the margin over the ECB rate is known for its date, or stated in "
        "a note.",
        "fr": "Une facture à un professionnel indique le taux des pénalités de retard : "
        "imprimé par le rendu quand la marge sur le taux de la BCE est connue à sa date, ou "
        "indiqué dans une note.",
        "pt_BR": "Uma fatura para uma empresa informa a taxa das penalidades por atraso: "
        "impressa pela renderização quando a margem sobre a taxa do BCE é conhecida na sua "
        "data, ou informada em uma nota.",
    },
)
def _late_penalties(invoice: Invoice) -> Iterator[Violation]:
    if (
        _b2b(invoice)
        and "fr.late_payment_penalties" not in _mention_codes(invoice)
        and not _notes_mention(invoice, "pénalités")
    ):
        yield Violation("notes")


@_pack.rule(
    "FR-INV-010",
    jurisdiction="FR",
    subject=INVOICE,
    reference=LegalReference(_CCOM, "L441-10, II et D441-5"),
    valid_from=date(2013, 1, 1),
    messages={
        "en": "An invoice to a business states the fixed indemnity for recovery costs "
        "(40 EUR): printed by the renderer, or stated in a note.",
        "fr": "Une facture à un professionnel indique l'indemnité forfaitaire pour frais de "
        "recouvrement (40 EUR) : imprimée par le rendu, ou indiquée dans une note.",
        "pt_BR": "Uma fatura para uma empresa informa a indenização fixa pelos custos de "
        "cobrança (40 EUR): impressa pela renderização, ou informada em uma nota.",
    },
)
def _recovery_indemnity(invoice: Invoice) -> Iterator[Violation]:
    if (
        _b2b(invoice)
        and "fr.recovery_indemnity" not in _mention_codes(invoice)
        and not _notes_mention(invoice, "indemnité", "recouvrement")
    ):
        yield Violation("notes")


@_pack.rule(
    "FR-INV-011",
    jurisdiction="FR",
    subject=INVOICE,
    reference=LegalReference("Code général des impôts", "293 B, III ; annexe II, 242 nonies A"),
    messages={
        "en": 'An invoice under the VAT franchise states "TVA non applicable, art. 293 B du '
        'CGI" as the reason of its exemption.',
        "fr": "Une facture en franchise en base porte la mention « TVA non applicable, art. "
        "293 B du CGI » comme motif d'exonération.",
        "pt_BR": "Uma fatura na franquia de IVA informa “TVA non applicable, art. 293 B du "
        "CGI” como motivo da isenção.",
    },
)
def _franchise_phrase(invoice: Invoice) -> Iterator[Violation]:
    from backoffice.invoicing.model import VatCategory

    if not (_french_seller(invoice) and _franchise(invoice)):
        return
    exemption = invoice.exemption(VatCategory.E)
    reason = "" if exemption is None or exemption.reason is None else exemption.reason
    if not all(words in reason.casefold() for words in ("tva non applicable", "293 b")):
        yield Violation("vat_exemptions")


@_pack.rule(
    "FR-INV-012",
    jurisdiction="FR",
    subject=INVOICE,
    reference=LegalReference(_CGI, "242 nonies A, I, 13°"),
    messages={
        "en": 'A reverse-charged invoice (category AE) states "Autoliquidation" as the '
        "reason of its exemption, which the e-invoice carries (BT-120).",
        "fr": "Une facture autoliquidée (catégorie AE) porte la mention « Autoliquidation » "
        "comme motif d'exonération, que reprend la facture électronique (BT-120).",
        "pt_BR": "Uma fatura com autoliquidação (categoria AE) informa “Autoliquidation” como "
        "motivo da isenção, que a fatura eletrônica leva (BT-120).",
    },
)
def _reverse_charge_phrase(invoice: Invoice) -> Iterator[Violation]:
    from backoffice.invoicing.model import VatCategory

    if not (_french_seller(invoice) and "AE" in _categories(invoice)):
        return
    exemption = invoice.exemption(VatCategory.AE)
    reason = "" if exemption is None or exemption.reason is None else exemption.reason
    if "autoliquidation" not in reason.casefold():
        yield Violation("vat_exemptions")


@_pack.rule(
    "FR-INV-013",
    title="Between businesses, the payment terms stay within 60 days, or 45 days end of month.",
    jurisdiction="FR",
    subject=INVOICE,
    reference=LegalReference(
        _CCOM,
        "L441-10, I",
        note="Read by backoffice.invoicing.terms.check_french_payment_terms; the sector caps "
        "of L441-11 are not checked.",
    ),
    messages={
        "en": "Between businesses, the payment terms ({terms}) stay within 60 days from the "
        "invoice date, or 45 days end of month.",
        "fr": "Entre professionnels, le délai de paiement ({terms}) ne dépasse pas 60 jours à "
        "compter de la date de la facture, ou 45 jours fin de mois.",
        "pt_BR": "Entre empresas, o prazo de pagamento ({terms}) não passa de 60 dias da data "
        "da fatura, ou 45 dias fim de mês.",
    },
)
def _terms_caps(invoice: Invoice) -> Iterator[Violation]:
    from backoffice.invoicing.terms import check_french_payment_terms

    if _b2b(invoice) and invoice.terms is not None:
        for _ in check_french_payment_terms(invoice.terms):
            yield Violation("terms", {"terms": str(invoice.terms.rule)})


@_pack.rule(
    "FR-INV-014",
    title="Between businesses, the due date is at most 60 days after the invoice date, or "
    "45 days end of month.",
    jurisdiction="FR",
    subject=INVOICE,
    reference=LegalReference(_CCOM, "L441-10, I"),
    messages={
        "en": "Between businesses, the due date ({due}) is at most 60 days after the invoice "
        "date, or 45 days end of month: {latest} at the latest.",
        "fr": "Entre professionnels, la date d'échéance ({due}) est au plus 60 jours après la "
        "date de la facture, ou 45 jours fin de mois : le {latest} au plus tard.",
        "pt_BR": "Entre empresas, o vencimento ({due}) é no máximo 60 dias após a data da "
        "fatura, ou 45 dias fim de mês: {latest} no máximo.",
    },
)
def _due_date_caps(invoice: Invoice) -> Iterator[Violation]:
    issued, due = invoice.issue_date, invoice.due_date
    if _b2b(invoice) and issued is not None and due is not None:
        latest = latest_french_due_date(issued)
        if due > latest:
            yield Violation("due_date", {"due": due, "latest": latest})


# ---------------------------------------------------------------------------------------
# The e-invoicing reform's mentions
# ---------------------------------------------------------------------------------------


def _reform(article: str) -> LegalReference:
    return LegalReference(_CGI, article, note=_REFORM_NOTE)


@_pack.rule(
    "FR-INV-020",
    jurisdiction="FR",
    subject=INVOICE,
    severity=Severity.WARNING,
    valid_from=REFORM_START,
    reference=_reform("242 nonies A, I, as amended by décret n° 2022-1299"),
    messages={
        "en": "An invoice to a business established in France states the buyer's SIREN (or "
        "SIRET) as its legal registration identifier (a private person has none: then "
        "ignore this warning).",
        "fr": "Une facture à un professionnel établi en France indique le SIREN (ou SIRET) du "
        "client comme identifiant légal (un particulier n'en a pas : ignorez alors cet "
        "avertissement).",
        "pt_BR": "Uma fatura para uma empresa estabelecida na França informa o SIREN (ou "
        "SIRET) do comprador como identificador legal (uma pessoa física não tem: ignore "
        "então este aviso).",
    },
)
def _buyer_siren(invoice: Invoice) -> Iterator[Violation]:
    # as BR-FR-11 reads it: a buyer in France is taken as a business, the invoice cannot
    # tell otherwise
    address = invoice.buyer.address
    legal = invoice.buyer.legal_id
    if (
        _french_seller(invoice)
        and not invoice.is_credit_note
        and address is not None
        and address.country == "FR"
        and (legal is None or legal.kind not in ("siren", "siret"))
    ):
        yield Violation("buyer.legal_id")


@_pack.rule(
    "FR-INV-021",
    jurisdiction="FR",
    subject=INVOICE,
    severity=Severity.WARNING,
    valid_from=REFORM_START,
    reference=_reform("242 nonies A, I, as amended by décret n° 2022-1299"),
    messages={
        "en": "An invoice for goods states the delivery address when it is not the buyer's "
        "(as the e-invoice rule FR-DELIVERY reads it, its absence is flagged).",
        "fr": "Une facture de biens indique l'adresse de livraison quand ce n'est pas celle "
        "du client (comme la règle FR-DELIVERY de la facture électronique, son absence est "
        "signalée).",
        "pt_BR": "Uma fatura de bens informa o endereço de entrega quando não é o do "
        "comprador (como na regra FR-DELIVERY da fatura eletrônica, sua ausência é "
        "sinalizada).",
    },
)
def _delivery_address(invoice: Invoice) -> Iterator[Violation]:
    frame = (invoice.business_process or "")[:1]
    delivery = invoice.delivery
    if (
        _french_seller(invoice)
        and frame in ("B", "M")
        and (delivery is None or delivery.address is None)
    ):
        yield Violation("delivery.address")


@_pack.rule(
    "FR-INV-022",
    jurisdiction="FR",
    subject=INVOICE,
    severity=Severity.WARNING,
    valid_from=REFORM_START,
    reference=_reform("242 nonies A, I, as amended by décret n° 2022-1299"),
    messages={
        "en": "The invoice states the category of its operations (BT-23: B1 goods, S1 "
        "services, M1 both, or a variant), as the e-invoice rule BR-FR-08 checks.",
        "fr": "La facture indique la catégorie de ses opérations (BT-23 : B1 biens, S1 "
        "services, M1 mixte, ou une variante), comme le vérifie la règle BR-FR-08.",
        "pt_BR": "A fatura informa a categoria das operações (BT-23: B1 bens, S1 serviços, M1 "
        "ambos, ou uma variante), como verifica a regra BR-FR-08.",
    },
)
def _operation_category(invoice: Invoice) -> Iterator[Violation]:
    from backoffice.einvoice.france import BILLING_FRAMES

    if _french_seller(invoice) and (invoice.business_process or "") not in BILLING_FRAMES:
        yield Violation("business_process")


@_pack.rule(
    "FR-INV-023",
    jurisdiction="FR",
    subject=INVOICE,
    severity=Severity.INFO,
    valid_from=REFORM_START,
    reference=_reform("242 nonies A, I, as amended by décret n° 2022-1299"),
    messages={
        "en": 'An invoice for services of a seller who opted for VAT on debits says so ("Option '
        "pour le paiement de la taxe d'après les débits\"): none of its notes does.",
        "fr": "Une facture de services d'un vendeur ayant opté pour les débits le mentionne "
        "(« Option pour le paiement de la taxe d'après les débits ») : aucune note ne le fait.",
        "pt_BR": "Uma fatura de serviços de um vendedor que optou pelo IVA pelos débitos o "
        "informa (“Option pour le paiement de la taxe d'après les débits”): nenhuma nota o faz.",
    },
)
def _debits(invoice: Invoice) -> Iterator[Violation]:
    frame = (invoice.business_process or "")[:1]
    if _french_seller(invoice) and frame in ("S", "M") and not _notes_mention(invoice, "débits"):
        yield Violation("notes")


# ---------------------------------------------------------------------------------------
# Numbering: a series of invoices
# ---------------------------------------------------------------------------------------

_SERIES_REFERENCE: Final = LegalReference(
    _CGI,
    "242 nonies A, I, 7° ; Directive 2006/112/CE, article 226, 2)",
    note="Audited with backoffice.invoicing.numbering.find_gaps, per fiscal year.",
)


@_series.rule(
    "FR-SER-001",
    title="Each invoice number is written with its series' template.",
    jurisdiction="FR",
    subject=INVOICE_SERIES,
    reference=_SERIES_REFERENCE,
    messages={
        "en": "Invoice number {number} is written with the series' template.",
        "fr": "Le numéro de facture {number} suit le modèle de la série.",
        "pt_BR": "O número da fatura {number} segue o modelo da série.",
    },
)
def _in_series(value: InvoiceSeries) -> Iterator[Violation]:
    for index, invoice in enumerate(value.invoices):
        if invoice.number is None or sequence_number(value.series, invoice.number) is None:
            yield Violation(f"invoices.{index}.number", {"number": invoice.number or "-"})


def _years(value: InvoiceSeries) -> dict[int, list[tuple[int, int]]]:
    """(index, sequence number) of each invoice of the series, by fiscal year."""
    years: dict[int, list[tuple[int, int]]] = {}
    for index, invoice in enumerate(value.invoices):
        if invoice.number is None or invoice.issue_date is None:
            continue
        number = sequence_number(value.series, invoice.number)
        if number is not None:
            year = value.series.fiscal_year(invoice.issue_date)
            years.setdefault(year, []).append((index, number))
    return years


@_series.rule(
    "FR-SER-002",
    title="Each invoice number is used once in its series and fiscal year.",
    jurisdiction="FR",
    subject=INVOICE_SERIES,
    reference=_SERIES_REFERENCE,
    messages={
        "en": "Invoice number {number} is used once in its series.",
        "fr": "Le numéro de facture {number} n'est utilisé qu'une fois dans sa série.",
        "pt_BR": "O número da fatura {number} é usado uma única vez na série.",
    },
)
def _unique(value: InvoiceSeries) -> Iterator[Violation]:
    for entries in _years(value).values():
        seen: set[int] = set()
        for index, number in entries:
            if number in seen:
                yield Violation(
                    f"invoices.{index}.number", {"number": value.invoices[index].number}
                )
            seen.add(number)


@_series.rule(
    "FR-SER-003",
    title="The numbers of a series are continuous in each fiscal year.",
    jurisdiction="FR",
    subject=INVOICE_SERIES,
    reference=_SERIES_REFERENCE,
    messages={
        "en": "The numbers of fiscal year {year} are continuous: {missing} missing.",
        "fr": "Les numéros de l'exercice {year} sont continus : il manque {missing}.",
        "pt_BR": "Os números do exercício {year} são contínuos: faltam {missing}.",
    },
)
def _continuous(value: InvoiceSeries) -> Iterator[Violation]:
    from backoffice.invoicing.numbering import find_gaps

    years = _years(value)
    latest = max(years) if years else None
    for year in sorted(years):
        numbers = [number for _, number in years[year]]
        last = value.last if year == latest and value.last is not None else 0
        report = find_gaps(value.series.code, year, numbers, last)
        if report.missing:
            yield Violation(
                "invoices", {"year": str(year), "missing": [str(n) for n in report.missing]}
            )


RULES: Final[tuple[Rule[Any], ...]] = tuple(_pack)
"""The French rules on an invoice, in id order."""

SERIES_RULES: Final[tuple[Rule[Any], ...]] = tuple(_series)
"""The French rules on a numbering series."""
