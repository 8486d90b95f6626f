"""The invoice as an HTML page: formatting per locale, escaping, legal mentions."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from backoffice import Money, Rate, UnitPrice, taxid
from backoffice.core.rounding import RoundingMode
from backoffice.errors import UnknownLocale
from backoffice.invoicing import interest
from backoffice.invoicing.document import (
    Address,
    Contact,
    Delivery,
    Invoice,
    Party,
    PaymentInstructions,
    VatExemption,
)
from backoffice.invoicing.model import AllowanceCharge, InvoiceLine
from backoffice.invoicing.render import (
    _LABELS,
    MENTIONS,
    LegalMention,
    legal_mentions,
    render_html,
)
from backoffice.invoicing.terms import EarlyPaymentDiscount, PaymentTerms

NBSP = "\u00a0"
NNBSP = "\u202f"  # the narrow no-break space CLDR puts between thousands in French

# ---------------------------------------------------------------------------------------
# Reading the page back
# ---------------------------------------------------------------------------------------

VOID = frozenset({"meta", "br", "hr", "img", "input", "link", "wbr", "col", "source"})


class Page(HTMLParser):
    """The page as parsed: whether its tags balance, its totals, mentions and text."""

    def __init__(self, document: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.totals: dict[str, str] = {}
        self.mentions: dict[str, str] = {}
        self.texts: list[str] = []
        self.titles: list[str] = []
        self._bt: str | None = None
        self._code: str | None = None
        self._in_cell = False
        self._in_title = False
        self.feed(document)
        self.close()
        if self.stack:
            self.problems.append(f"unclosed: {self.stack}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag not in VOID:
            self.stack.append(tag)
        if tag == "tr" and found.get("data-bt"):
            self._bt = found["data-bt"]
            self.totals[self._bt or ""] = ""
        if tag == "td" and self._bt is not None:
            self._in_cell = True
        if tag == "li" and found.get("data-code"):
            self._code = found["data-code"]
            self.mentions[self._code or ""] = ""
        if tag == "title":
            self._in_title = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.problems.append(f"self-closed <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.problems.append(f"end tag of void <{tag}>")
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()
        if tag == "td":
            self._in_cell = False
        if tag == "tr":
            self._bt = None
        if tag == "li":
            self._code = None
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        if self._in_cell and self._bt is not None:
            self.totals[self._bt] += data
        if self._code is not None:
            self.mentions[self._code] += data
        if self._in_title:
            self.titles.append(data)

    @property
    def text(self) -> str:
        return "".join(self.texts)


def page_of(invoice: Invoice, locale: str | None = None) -> Page:
    document = render_html(invoice, locale=locale)
    page = Page(document)
    assert page.problems == []
    return page


def codes(invoice: Invoice, locale: str | None = None) -> list[str]:
    return [mention.code for mention in legal_mentions(invoice, locale=locale)]


def mention(invoice: Invoice, code: str, locale: str | None = None) -> LegalMention:
    found = [m for m in legal_mentions(invoice, locale=locale) if m.code == code]
    assert len(found) == 1, [m.code for m in legal_mentions(invoice, locale=locale)]
    return found[0]


# ---------------------------------------------------------------------------------------
# Invoices
# ---------------------------------------------------------------------------------------

ISSUED = date(2026, 3, 14)


def french_seller(name: str = "Conseil Dupont SARL") -> Party:
    return Party(
        name,
        trading_name="Dupont Conseil",
        legal_id=taxid.parse("732829320", "FR", "siren"),
        vat_id=taxid.parse("FR40303265045"),
        address=Address(country="FR", lines=["12 rue de Siam"], city="Brest", postal_code="29200"),
        contact=Contact("Anne Dupont", phone="+33 2 98 00 00 00", email="anne@dupont.example"),
    )


def french_buyer(name: str = "Hôtel de la Plage") -> Party:
    return Party(
        name,
        id="C-042",
        legal_id=taxid.parse("552081317", "FR", "siren"),
        address=Address(country="FR", city="Quimper"),
    )


def consulting(price: str = "128.60", currency: str = "EUR", rate: str = "20") -> InvoiceLine:
    # 8 hours at 128.60: 1,028.80 net, 205.76 VAT at 20 %, 1,234.56 with VAT.
    return InvoiceLine(
        "1",
        name="Conseil",
        description="Audit des stocks",
        quantity="8",
        unit_code="HUR",
        price=UnitPrice(price, currency),
        vat_category="S",
        vat_rate=rate,
    )


def french_invoice(**changes: object) -> Invoice:
    fields: dict[str, object] = {
        "seller": french_seller(),
        "buyer": french_buyer(),
        "currency": "EUR",
        "lines": [consulting()],
        "number": "F2026-000012",
        "issue_date": ISSUED,
        "due_date": date(2026, 4, 13),
        "terms": PaymentTerms.net(30),
        "buyer_reference": "SERV-ACHATS",
        "order_reference": "PO-7781",
        "language": "fr_FR",
        "payment": PaymentInstructions(
            "58",
            account=taxid.parse("FR7630006000011234567890189"),
            bic=taxid.parse("BNPAFRPPXXX", kind="bic"),
            remittance_information="F2026-000012",
        ),
    }
    fields.update(changes)
    return Invoice(**fields)  # type: ignore[arg-type]


def brazilian_invoice(**changes: object) -> Invoice:
    fields: dict[str, object] = {
        "seller": Party(
            "Padaria Pão Quente Ltda",
            legal_id=taxid.parse("11.222.333/0001-81", "BR", "cnpj"),
            address=Address(country="BR", city="São Paulo", subdivision="SP"),
        ),
        "buyer": Party("Mercado Central", address=Address(country="BR", city="Campinas")),
        "currency": "BRL",
        "lines": [
            InvoiceLine(
                "1",
                name="Pão de queijo",
                quantity="12.5",
                unit_code="KGM",
                price=UnitPrice("82.30", "BRL"),
                vat_category="S",
                vat_rate="20",
            )
        ],
        "number": "NF-000123",
        "issue_date": ISSUED,
        "language": "pt_BR",
    }
    fields.update(changes)
    return Invoice(**fields)  # type: ignore[arg-type]


def english_invoice(**changes: object) -> Invoice:
    fields: dict[str, object] = {
        "seller": Party(
            "Harbour Tools Ltd",
            vat_id=taxid.parse("DE136695976"),
            address=Address(country="DE", city="Hamburg"),
        ),
        "buyer": Party("Quayside Ltd", address=Address(country="IE", city="Cork")),
        "currency": "EUR",
        "lines": [consulting()],
        "number": "INV-2026-7",
        "issue_date": ISSUED,
        "language": "en_US",
    }
    fields.update(changes)
    return Invoice(**fields)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------
# Formatting per locale
# ---------------------------------------------------------------------------------------


def test_a_french_invoice_states_its_totals_the_french_way() -> None:
    page = page_of(french_invoice())
    assert page.totals == {
        "BT-106": f"1{NNBSP}028,80{NBSP}€",
        "BT-109": f"1{NNBSP}028,80{NBSP}€",
        "BT-110": f"205,76{NBSP}€",
        "BT-112": f"1{NNBSP}234,56{NBSP}€",
        "BT-115": f"1{NNBSP}234,56{NBSP}€",
    }
    text = page.text
    assert "Facture" in page.titles[0] and "F2026-000012" in page.titles[0]
    assert "14 mars 2026" in text  # issue date
    assert "13 avril 2026" in text  # due date
    assert "30 jours nets" in text
    assert f"8{NBSP}HUR" in text
    assert f"128,60{NBSP}€" in text
    assert f"20{NBSP}%" in text
    assert "SIREN 732 829 320" in text
    assert "N° de TVA FR40303265045" in text
    assert "Dupont Conseil" in text and "anne@dupont.example" in text
    assert "Référence acheteur" in text and "SERV-ACHATS" in text and "PO-7781" in text
    assert "Virement SEPA" in text
    assert "FR76 3000 6000 0112 3456 7890 189" in text and "BNPAFRPPXXX" in text
    assert "S – Taux normal" in text
    assert "BROUILLON" not in text


def test_the_page_is_in_the_invoice_language_and_a_locale_overrides_it() -> None:
    invoice = french_invoice()
    assert '<html lang="fr-FR">' in render_html(invoice)
    page = page_of(invoice, locale="pt_BR")
    assert page.totals["BT-115"] == f"€{NBSP}1.234,56"
    assert page.titles[0].startswith("Fatura")
    assert "14 de março de 2026" in page.text
    with pytest.raises(UnknownLocale):
        render_html(invoice, locale="xx_QQ")


def test_a_brazilian_invoice_in_brazilian_portuguese() -> None:
    # 12.5 kg at 82.30: 1,028.75 net; 205.75 VAT; 1,234.50 with VAT.
    page = page_of(brazilian_invoice())
    assert page.totals["BT-109"] == f"R${NBSP}1.028,75"
    assert page.totals["BT-110"] == f"R${NBSP}205,75"
    assert page.totals["BT-115"] == f"R${NBSP}1.234,50"
    text = page.text
    assert page.titles[0] == "Fatura NF-000123"
    assert "14 de março de 2026" in text
    assert f"12,5{NBSP}KGM" in text
    assert "CNPJ 11.222.333/0001-81" in text
    assert "Brasil" in text
    assert "Valor a pagar" in text


def test_an_english_invoice() -> None:
    page = page_of(english_invoice())
    assert page.totals["BT-115"] == "€1,234.56"
    assert page.totals["BT-110"] == "€205.76"
    assert page.titles[0] == "Invoice INV-2026-7"
    assert "March 14, 2026" in page.text
    assert "Amount due" in page.text
    assert "VAT number DE136695976" in page.text


def test_only_the_totals_present_are_shown_with_vat_in_the_accounting_currency() -> None:
    invoice = english_invoice(
        currency="USD",
        lines=[consulting(currency="USD")],
        allowances_charges=[
            AllowanceCharge.allowance(
                amount=Money("28.80", "USD"), vat_category="S", vat_rate="20", reason="Loyalty"
            ),
            AllowanceCharge.charge(
                percentage="5",
                base_amount=Money("200.00", "USD"),
                vat_category="S",
                vat_rate="20",
                reason="Shipping",
            ),
        ],
        prepaid=Money("100.00", "USD"),
        rounding_amount=Money("0.04", "USD"),
        tax_currency="EUR",
        exchange_rate="0.9",
    )
    page = page_of(invoice)
    # 1,028.80 − 28.80 + 10.00 = 1,010.00; VAT 202.00; due 1,212.00 − 100 + 0.04.
    assert page.totals == {
        "BT-106": "$1,028.80",
        "BT-107": "$28.80",
        "BT-108": "$10.00",
        "BT-109": "$1,010.00",
        "BT-110": "$202.00",
        "BT-111": "€181.80",
        "BT-112": "$1,212.00",
        "BT-113": "$100.00",
        "BT-114": "$0.04",
        "BT-115": "$1,112.04",
    }
    assert "Total VAT in EUR (exchange rate 0.9)" in page.text
    assert "-$28.80" in page.text and "Loyalty" in page.text
    assert "5% of $200.00" in page.text and "Shipping" in page.text


def test_lines_show_prices_with_their_own_decimals_and_their_allowances() -> None:
    line = InvoiceLine(
        "A-1",
        name="Vis inox",
        seller_item_id="VIS-4x40",
        quantity="1000",
        unit_code="H87",
        price=UnitPrice("0.04125", "EUR"),
        allowances_charges=[
            AllowanceCharge.allowance(
                percentage="10", base_amount=Money("41.25", "EUR"), reason="Volume"
            )
        ],
        vat_category="S",
        vat_rate="5.5",
    )
    page = page_of(french_invoice(lines=[line]))
    text = page.text
    assert f"1{NNBSP}000{NBSP}H87" in text
    assert f"0,04125{NBSP}€" in text  # not rounded to the cent
    assert f"-4,13{NBSP}€ (10{NBSP}% de 41,25{NBSP}€) Volume" in text
    assert f"5,5{NBSP}%" in text
    assert "Réf. VIS-4x40" in text
    assert page.totals["BT-109"] == f"37,12{NBSP}€"


def test_delivery_payee_and_notes() -> None:
    invoice = french_invoice(
        delivery=Delivery(
            party_name="Entrepôt Nord",
            date=date(2026, 3, 10),
            address=Address(country="FR", city="Lille"),
        ),
        payee=Party("Factor SA", legal_id=taxid.parse("732829320", "FR", "siren")),
        notes=["Merci de votre confiance.", "Deuxième note"],
    )
    text = page_of(invoice).text
    assert "Livraison" in text and "Entrepôt Nord" in text and "10 mars 2026" in text
    assert "Lille" in text
    assert "Bénéficiaire du paiement" in text and "Factor SA" in text
    assert "Merci de votre confiance." in text and "Deuxième note" in text


# ---------------------------------------------------------------------------------------
# Escaping and self-containment
# ---------------------------------------------------------------------------------------

HOSTILE = "<script>alert(1)</script>"


def hostile_invoice() -> Invoice:
    return french_invoice(
        seller=french_seller(HOSTILE),
        buyer=french_buyer('Dupont & Fils "<b>"'),
        lines=[
            InvoiceLine(
                "<1>",
                name="<img onerror=alert(1)>",
                description="a & b",
                quantity="1",
                price=UnitPrice("10.00", "EUR"),
                vat_category="E",
                vat_rate="0",
            )
        ],
        vat_exemptions=[VatExemption("E", reason="<i>art. 261</i> & co")],
        notes=["</section><script>x</script>"],
        buyer_reference="<ref>",
    )


def test_every_text_from_the_document_is_escaped() -> None:
    document = render_html(hostile_invoice())
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert 'Dupont &amp; Fils "&lt;b&gt;"' in document
    assert "&lt;img onerror=alert(1)&gt;" in document
    assert "&lt;i&gt;art. 261&lt;/i&gt; &amp; co" in document
    assert "<script" not in document
    assert "<b>" not in document and "<i>" not in document and "<img" not in document
    page = Page(document)
    assert page.problems == []
    assert HOSTILE in page.text  # shown as text, as it was given
    assert page.mentions["fr.vat_exemption"].startswith("<i>art. 261</i> & co")


SAMPLES = {
    "french": french_invoice,
    "brazilian": brazilian_invoice,
    "english": english_invoice,
    "hostile": hostile_invoice,
}


@pytest.mark.parametrize("build", SAMPLES.values(), ids=SAMPLES.keys())
def test_the_page_is_self_contained_and_its_tags_balance(build: object) -> None:
    assert callable(build)
    invoice = build()
    document = render_html(invoice)
    assert document.startswith("<!DOCTYPE html>")
    lowered = document.lower()
    for forbidden in ("http://", "https://", "<script", "src=", "<link", "url(", "@import"):
        assert forbidden not in lowered, forbidden
    assert Page(document).problems == []


def test_the_tag_checker_finds_unbalanced_tags() -> None:
    assert Page("<div><p>text</div>").problems != []
    assert Page("<section><table>").problems != []
    assert Page('<meta charset="utf-8"><p>ok</p>').problems == []


# ---------------------------------------------------------------------------------------
# Drafts and credit notes
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "mark", "title"),
    [
        (french_invoice, "BROUILLON", "Facture"),
        (brazilian_invoice, "RASCUNHO", "Fatura"),
        (english_invoice, "DRAFT", "Invoice"),
    ],
)
def test_a_draft_is_marked_and_has_no_number(build: object, mark: str, title: str) -> None:
    assert callable(build)
    draft = build(number=None, issue_date=None, due_date=None, payment=None)
    page = page_of(draft)
    assert mark in page.text
    assert page.titles[0] == f"{title} ({mark})"
    issued = build()
    assert mark not in page_of(issued).text
    assert issued.number not in page.text


def test_a_credit_note_names_the_invoice_it_credits() -> None:
    invoice = french_invoice(issue_date=date(2026, 3, 3), due_date=None)
    credit = invoice.credit_note().issued("A2026-000003", date(2026, 3, 20))
    page = page_of(credit)
    assert page.titles[0] == "Avoir A2026-000003"
    assert "Avoir sur facture F2026-000012 du 3 mars 2026" in page.text
    assert page.totals["BT-115"] == f"1{NNBSP}234,56{NBSP}€"
    in_portuguese = page_of(credit, locale="pt_BR").text
    assert "Nota de crédito referente à fatura F2026-000012 de 3 de março de 2026" in in_portuguese
    assert "Credit note for invoice F2026-000012 of March 3, 2026" in page_of(credit, "en").text
    # a credit note asks for no payment: no payment mention
    assert codes(credit) == []
    assert "Mentions légales" not in page.text


def test_a_corrected_invoice_names_the_invoice_it_replaces() -> None:
    from backoffice.invoicing.document import PrecedingInvoice

    corrected = french_invoice(type_code="384", preceding=[PrecedingInvoice("F2026-000009")])
    text = page_of(corrected).text
    assert "Facture rectificative" in text
    assert "Rectifie la facture F2026-000009" in text


# ---------------------------------------------------------------------------------------
# Legal mentions
# ---------------------------------------------------------------------------------------


def test_a_french_seller_states_penalties_indemnity_and_no_discount() -> None:
    invoice = french_invoice()
    assert codes(invoice) == [
        "fr.no_early_payment_discount",
        "fr.late_payment_penalties",
        "fr.recovery_indemnity",
    ]
    penalties = mention(invoice, "fr.late_payment_penalties")
    assert "majoré de 10 points de pourcentage" in penalties.text
    assert "Banque centrale européenne" in penalties.text
    assert "L441-10" in penalties.source
    indemnity = mention(invoice, "fr.recovery_indemnity")
    assert indemnity.text.endswith(f"frais de recouvrement de 40,00{NBSP}€.")
    assert "D441-5" in indemnity.source
    no_discount = mention(invoice, "fr.no_early_payment_discount")
    assert no_discount.text == "Pas d'escompte pour paiement anticipé."
    assert "242 nonies A" in no_discount.source and "L441-9" in no_discount.source
    page = page_of(invoice)
    assert set(page.mentions) == set(codes(invoice))
    assert "Pas d'escompte pour paiement anticipé." in page.mentions["fr.no_early_payment_discount"]
    assert (
        "(Code de commerce, articles L441-10, II et D441-5)"
        in page.mentions["fr.recovery_indemnity"]
    )


def test_the_indemnity_comes_from_the_legal_parameter(monkeypatch: pytest.MonkeyPatch) -> None:
    from backoffice.invoicing import render

    changed = interest.LegalParameter(
        name="test", value=Money("50.00", "EUR"), source="test", valid_from=date(2013, 1, 1)
    )
    monkeypatch.setattr(render, "FRENCH_RECOVERY_INDEMNITY", changed)
    assert f"50,00{NBSP}€" in mention(french_invoice(), "fr.recovery_indemnity").text
    margin = interest.LegalParameter(
        name="test", value=Rate.percent("12"), source="test", valid_from=date(2019, 4, 26)
    )
    monkeypatch.setattr(render, "FRENCH_LATE_INTEREST_MARGIN", margin)
    assert "majoré de 12 points" in mention(french_invoice(), "fr.late_payment_penalties").text


def test_a_parameter_not_in_force_on_the_issue_date_leaves_its_mention_out() -> None:
    old = french_invoice(issue_date=date(2012, 6, 1), due_date=None)
    assert codes(old) == ["fr.no_early_payment_discount"]
    before_l441_10 = french_invoice(issue_date=date(2018, 6, 1), due_date=None)
    assert codes(before_l441_10) == ["fr.no_early_payment_discount", "fr.recovery_indemnity"]


def test_an_early_payment_discount_states_its_conditions() -> None:
    terms = PaymentTerms.net(
        30, early_discount=EarlyPaymentDiscount(Rate.percent("2"), 10, RoundingMode.HALF_UP)
    )
    invoice = french_invoice(terms=terms)
    assert "fr.no_early_payment_discount" not in codes(invoice)
    discount = mention(invoice, "fr.early_payment_discount")
    assert discount.text == (
        f"Escompte pour paiement anticipé : 2{NBSP}% pour un règlement au plus tard "
        "le 24 mars 2026."
    )
    assert "L441-9" in discount.source
    draft = french_invoice(terms=terms, number=None, issue_date=None, due_date=None)
    assert "dans les 10 jours suivant la date de la facture" in (
        mention(draft, "fr.early_payment_discount").text
    )
    assert "escompte de 2" in page_of(invoice).text  # in the payment terms too


def test_french_vat_mentions_by_category() -> None:
    lines = [
        consulting(),
        InvoiceLine(
            "2", name="Pièces", quantity="1", price=UnitPrice("100", "EUR"),
            vat_category="K", vat_rate="0",
        ),
        InvoiceLine(
            "3", name="Travaux", quantity="1", price=UnitPrice("100", "EUR"),
            vat_category="AE", vat_rate="0",
        ),
        InvoiceLine(
            "4", name="Formation", quantity="1", price=UnitPrice("100", "EUR"),
            vat_category="E", vat_rate="0",
        ),
    ]  # fmt: skip
    exemptions = [
        VatExemption("K", code="VATEX-EU-IC"),
        VatExemption("AE", reason="Autoliquidation"),
        VatExemption("E", reason="Exonération de TVA, article 261-4-4° du CGI"),
    ]
    invoice = french_invoice(lines=lines, vat_exemptions=exemptions)
    assert codes(invoice)[:3] == [
        "fr.intra_community_exemption",
        "fr.reverse_charge",
        "fr.vat_exemption",
    ]
    k = mention(invoice, "fr.intra_community_exemption")
    assert k.text == "Exonération de TVA, article 262 ter I du CGI"
    assert "262 ter" in k.source
    ae = mention(invoice, "fr.reverse_charge")
    assert ae.text == "Autoliquidation"  # the stated reason says the same: once
    assert "242 nonies A, I, 13°" in ae.source and "226, 11 bis" in ae.source
    assert mention(invoice, "fr.vat_exemption").text.startswith("Exonération de TVA, article 261")

    stated = french_invoice(
        lines=lines,
        vat_exemptions=[
            VatExemption("K", reason="Livraison intracommunautaire, art. 262 ter I du CGI"),
            VatExemption("AE", reason="Travaux de sous-traitance, art. 283-2 nonies du CGI"),
            exemptions[2],
        ],
    )
    found = [(m.code, m.text) for m in legal_mentions(stated)][:4]
    assert found == [
        ("fr.vat_exemption", "Livraison intracommunautaire, art. 262 ter I du CGI"),
        ("fr.reverse_charge", "Autoliquidation"),
        ("fr.vat_exemption", "Travaux de sous-traitance, art. 283-2 nonies du CGI"),
        ("fr.vat_exemption", "Exonération de TVA, article 261-4-4° du CGI"),
    ]


def test_french_mentions_in_another_language() -> None:
    invoice = french_invoice(language="en_GB")
    assert mention(invoice, "fr.no_early_payment_discount").text == (
        "No discount for early payment."
    )
    assert "plus 10 percentage points" in mention(invoice, "fr.late_payment_penalties").text
    assert mention(invoice, "fr.recovery_indemnity").text.endswith("recovery costs of €40.00.")
    assert "Sem desconto" in mention(invoice, "fr.no_early_payment_discount", "pt_BR").text
    # French texts for a French seller in a language without a wording; fr_* in French
    assert mention(invoice, "fr.no_early_payment_discount", "de_DE").text.startswith("Pas d")
    assert mention(invoice, "fr.no_early_payment_discount", "fr_CA").text.startswith("Pas d")
    assert "Invoice" in page_of(invoice, "de_DE").titles[0]  # English labels


def test_other_countries_state_exemptions_and_reverse_charge_only() -> None:
    assert legal_mentions(english_invoice()) == ()
    assert legal_mentions(brazilian_invoice()) == ()
    assert "Legal mentions" not in page_of(english_invoice()).text

    lines = [
        InvoiceLine(
            "1", name="Installation", quantity="1", price=UnitPrice("500", "EUR"),
            vat_category="AE", vat_rate="0",
        ),
        InvoiceLine(
            "2", name="Training", quantity="1", price=UnitPrice("100", "EUR"),
            vat_category="E", vat_rate="0",
        ),
    ]  # fmt: skip
    exemptions = [
        VatExemption("AE", code="VATEX-EU-AE"),
        VatExemption("E", reason="Exempt under Article 132(1)(i) of Directive 2006/112/EC"),
    ]
    invoice = english_invoice(lines=lines, vat_exemptions=exemptions)
    found = legal_mentions(invoice)
    assert [(m.code, m.text) for m in found] == [
        ("reverse_charge", "Reverse charge"),
        ("vat_exemption", "VATEX-EU-AE"),
        ("vat_exemption", "Exempt under Article 132(1)(i) of Directive 2006/112/EC"),
    ]
    assert "226" in found[0].source
    assert found[2].source == "Directive 2006/112/CE, article 226, 11 ; EN 16931-1, BT-120"
    assert "fr.late_payment_penalties" not in codes(invoice)
    assert mention(invoice, "reverse_charge", "pt_BR").text == "Inversão do sujeito passivo"
    assert page_of(invoice).mentions["reverse_charge"].startswith("Reverse charge (")


# ---------------------------------------------------------------------------------------
# The tables themselves
# ---------------------------------------------------------------------------------------


def test_every_language_has_every_label_and_mention() -> None:
    english = set(_LABELS["en"])
    for language, labels in _LABELS.items():
        assert set(labels) == english, language
    for key, wording in MENTIONS.items():
        assert set(wording.texts) == {"en", "fr", "pt"}, key
        assert wording.source, key


def test_the_documented_table_lists_every_mention_with_its_source() -> None:
    page = Path(__file__).resolve().parents[2] / "docs" / "how-to" / "render-an-invoice.md"
    text = page.read_text(encoding="utf-8")
    for wording in MENTIONS.values():
        assert f"`{wording.code}`" in text, wording.code
        assert wording.source in text, wording.source


def test_rendering_does_not_load_pydantic() -> None:
    code = """
import json, sys
from datetime import date
from backoffice import UnitPrice, taxid
from backoffice.invoicing.document import Address, Invoice, Party
from backoffice.invoicing.model import InvoiceLine
from backoffice.invoicing.render import render_html
invoice = Invoice(
    seller=Party("S", legal_id=taxid.parse("732829320", "FR", "siren"),
                 address=Address(country="FR")),
    buyer=Party("B", legal_id=taxid.parse("552081317", "FR", "siren"),
                 address=Address(country="FR")), currency="EUR", language="fr_FR",
    lines=[InvoiceLine("1", name="x", quantity="1", price=UnitPrice("1", "EUR"),
                       vat_category="S", vat_rate="20")],
    number="1", issue_date=date(2026, 1, 2))
render_html(invoice)
print(json.dumps("pydantic" in sys.modules))
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert json.loads(result.stdout) is False
