"""read, write and convert: the functions most callers use."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from referee import fatal, xsd_errors
from samples import french_invoice

from backoffice.einvoice import Node, convert, read, write
from backoffice.errors import EInvoiceUnreadable


@pytest.mark.parametrize("syntax", ["ubl", "cii"])
def test_what_is_written_reads_back_valid_with_the_same_totals(syntax: str) -> None:
    invoice = french_invoice()
    xml = write(invoice, syntax)  # type: ignore[arg-type]
    assert xsd_errors(xml, syntax) == [] and fatal(xml, syntax) == []
    received = read(xml)
    assert (received.syntax, received.document_type, received.currency) == (
        syntax,
        "invoice",
        "EUR",
    )
    assert received.ok and received.findings == () and received.problems == ()
    assert received.invoice == invoice
    assert received.stated_totals() == received.computed_totals()
    assert received.stated_totals()["BT-115"] == invoice.amount_due.amount


def test_ubl_is_peppol_and_cii_the_en16931_core_by_default() -> None:
    invoice = french_invoice()
    assert read(write(invoice, "ubl")).tree.get(
        "BT-24",
    ) == ("urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0")
    assert read(write(invoice, "cii")).tree.get("BT-24") == "urn:cen.eu:en16931:2017"


def test_a_credit_note_reads_as_one_in_both_syntaxes() -> None:
    invoice = french_invoice()
    note = invoice.credit_note().issued("CN-1", invoice.issue_date)  # type: ignore[arg-type]
    for syntax in ("ubl", "cii"):
        received = read(write(note, syntax))
        assert received.document_type == "credit_note" and received.ok


def test_conversion_keeps_every_term_both_ways() -> None:
    ubl = write(french_invoice(), "ubl")
    cii = convert(ubl, "cii")
    assert xsd_errors(cii, "cii") == [] and fatal(cii, "cii") == []
    back = read(convert(cii, "ubl"))
    assert back.tree.get("BT-24") == "urn:cen.eu:en16931:2017"  # the core, for Factur-X
    back.tree.set("BT-24", read(ubl).tree.get("BT-24"))
    assert _terms(back.tree) == _terms(read(ubl).tree)


def _terms(node: Node) -> object:
    """What a tree states, without where."""
    return (
        {term: value.text for term, value in node.values.items()},
        {term: [_terms(child) for child in nodes] for term, nodes in node.groups.items()},
    )


def test_stated_totals_that_do_not_add_up_are_found_and_kept() -> None:
    xml = write(french_invoice(), "ubl").replace(
        b'<cbc:PayableAmount currencyID="EUR">',
        b'<cbc:PayableAmount currencyID="EUR">1',
    )
    received = read(xml)
    assert not received.ok
    assert "BR-CO-16" in {finding.rule for finding in received.findings}
    stated, computed = received.stated_totals(), received.computed_totals()
    assert computed["BT-115"] == french_invoice().amount_due.amount
    assert stated["BT-115"] == Decimal("1" + str(computed["BT-115"]))


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not xml",
        b"<Invoice/>",
        b"<?xml version='1.0'?><!DOCTYPE x SYSTEM 'file:///etc/passwd'><x/>",
        "<x/>".encode("utf-16"),
    ],
)
def test_what_is_not_an_e_invoice_is_refused(data: bytes) -> None:
    with pytest.raises(EInvoiceUnreadable):
        read(data)


def test_the_business_process_travels_unless_peppol_states_its_own() -> None:
    framed = french_invoice().replace(business_process="S1")
    assert read(write(framed, "cii")).invoice == framed
    assert read(write(framed, "ubl", peppol=False)).invoice == framed
    assert read(write(framed, "ubl")).invoice == framed.replace(business_process=None)


def test_the_vat_point_code_survives_conversion_in_each_syntax_s_code_list() -> None:
    tree = read(write(french_invoice(), "ubl")).tree
    tree.set("BT-8", "432")  # paid to date, UNTDID 2005
    from backoffice.einvoice import mapping, ubl

    cii = convert(mapping.write(ubl.INVOICE, tree), "cii")
    assert b"<ram:DueDateTypeCode>72</ram:DueDateTypeCode>" in cii  # UNTDID 2475
    assert fatal(cii, "cii") == []
    assert read(convert(cii, "ubl")).tree.get("BT-8") == "432"


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0" encoding="UTF-7"?><x/>',
        b'<?xml version="1.0" encoding="shift_jis"?><x/>',
        b'<?xml version="1.0" encoding="rot13"?><x/>',
        "<x>\ud800</x>",
        '<?xml version="1.0" encoding="latin-1"?><x>ê</x>',  # text, declared otherwise
    ],
)
def test_encodings_that_cannot_be_read_safely_are_refused(data: bytes | str) -> None:
    with pytest.raises(EInvoiceUnreadable, match=r"encod|UTF-8"):
        read(data)


def test_many_lines_read_in_linear_time() -> None:
    lines = b"<cac:InvoiceLine><cbc:ID>1</cbc:ID></cac:InvoiceLine>" * 16000
    xml = write(french_invoice(), "ubl").replace(b"</ubl:Invoice>", lines + b"</ubl:Invoice>")
    started = time.perf_counter()
    received = read(xml)
    assert len(received.tree.children("BG-25")) == 16002
    assert received.tree.children("BG-25")[-1].location.endswith("cac:InvoiceLine[16002]")
    assert time.perf_counter() - started < 30  # quadratic took minutes; linear takes ~1 s


def test_amounts_in_exponent_notation_are_no_amounts() -> None:
    huge = b"1E+999999999"
    xml = write(french_invoice(), "ubl")
    start = xml.index(b'<cbc:PayableAmount currencyID="EUR">') + len(
        b'<cbc:PayableAmount currencyID="EUR">'
    )
    end = xml.index(b"</cbc:PayableAmount>")
    received = read(xml[:start] + huge + xml[end:])
    assert received.stated_totals()["BT-115"] is None
    assert not received.ok


def test_an_absurd_vat_total_in_the_tax_currency_gives_no_rate() -> None:
    invoice = french_invoice().replace(tax_currency="USD", exchange_rate="1.1")
    xml = write(invoice, "ubl")
    xml = xml.replace(
        b'<cbc:TaxAmount currencyID="USD">9.13</cbc:TaxAmount>',
        b'<cbc:TaxAmount currencyID="USD">1e999999999999999999</cbc:TaxAmount>',
    )
    received = read(xml)  # no decimal.Overflow
    assert received.invoice is None or received.invoice.exchange_rate is None


def test_a_credit_note_of_another_type_stays_a_credit_note() -> None:
    note = french_invoice().credit_note().issued("CN-1", french_invoice().issue_date)  # type: ignore[arg-type]
    xml = write(note, "ubl").replace(
        b"<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>",
        b"<cbc:CreditNoteTypeCode>396</cbc:CreditNoteTypeCode>",
    )
    received = read(xml)
    assert received.document_type == "credit_note"
    assert b"CreditNote" in convert(convert(xml, "cii"), "ubl")[:400]
