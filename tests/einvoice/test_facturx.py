"""Factur-X: the CII inside a PDF, and back."""

from __future__ import annotations

import pytest
from referee import fatal
from samples import french_invoice

from backoffice.einvoice import read
from backoffice.einvoice.facturx import embed, extract, simple_pdf
from backoffice.errors import EInvoiceUnreadable


def test_the_cii_travels_in_the_pdf_and_comes_back() -> None:
    invoice = french_invoice()
    pdf = embed(simple_pdf(invoice), invoice)
    assert pdf.startswith(b"%PDF-")
    xml = extract(pdf)
    assert fatal(xml, "cii") == []
    received = read(xml)
    assert received.syntax == "cii" and received.invoice == invoice


def test_the_plain_pdf_shows_the_invoice() -> None:
    pdf = simple_pdf(french_invoice())
    assert pdf.startswith(b"%PDF-1.7") and pdf.rstrip().endswith(b"%%EOF")
    assert b"(Invoice F2026-000001) '" in pdf
    assert b"Cr\xeapes" in pdf  # WinAnsi: the accent is kept


def test_a_pdf_without_xml_is_refused() -> None:
    with pytest.raises(EInvoiceUnreadable):
        extract(simple_pdf(french_invoice()))
    with pytest.raises(EInvoiceUnreadable):
        extract(b"not a pdf")
