"""UBL 2.1: what the library writes passes the official schema and schematron, and
reads back as the same invoice."""

from __future__ import annotations

from referee import fatal, xsd_errors
from samples import french_invoice

from backoffice.einvoice import mapping, ubl
from backoffice.einvoice.bridge import invoice_from_tree, tree_from_invoice
from backoffice.einvoice.xmlsafe import parse_xml


def test_an_invoice_and_its_credit_note_pass_the_referee_and_read_back() -> None:
    invoice = french_invoice()
    for document in (invoice, invoice.credit_note().issued("CN-1", invoice.issue_date)):  # type: ignore[arg-type]
        syntax = ubl.CREDIT_NOTE if document.is_credit_note else ubl.INVOICE
        xml = mapping.write(syntax, tree_from_invoice(document))
        assert xsd_errors(xml, "ubl") == []
        assert fatal(xml, "ubl") == []
        assert invoice_from_tree(mapping.read(syntax, parse_xml(xml))) == document
