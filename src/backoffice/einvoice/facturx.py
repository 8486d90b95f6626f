"""Factur-X: the CII XML of an invoice inside a PDF, and back (the ``facturx`` extra).

A Factur-X invoice is a PDF/A-3 that people read, with the CII XML that machines read
attached to it. :func:`embed` attaches the library's CII (EN 16931 profile) to a PDF and
adds the Factur-X metadata, through the ``factur-x`` package; :func:`extract` gives the
XML back. :func:`simple_pdf` writes a plain one-column PDF of the invoice (its parties,
lines, totals and legal mentions) for when no rendering of your own is at hand.

PDF/A-3 conformance of the visual part is the PDF's: a PDF from a renderer that embeds
its fonts (the HTML of :func:`~backoffice.invoicing.render.render_html` printed by a
PDF/A-capable engine, for instance) gives a conforming Factur-X. :func:`simple_pdf` uses
the PDF standard font Helvetica, which it does not embed: its output carries the XML and
the metadata correctly, but a PDF/A validator will report the font.
"""

from __future__ import annotations

from typing import Any, Final

from backoffice.errors import EInvoiceUnreadable, InvalidValue
from backoffice.invoicing.document import Invoice

__all__ = ["embed", "extract", "simple_pdf"]

_PAGE_LINES: Final = 60


def _facturx() -> Any:
    try:
        import facturx
    except ImportError:  # pragma: no cover - the extra is installed in the tests
        raise InvalidValue(
            field="facturx",
            reason="Factur-X needs the optional extra: pip install 'backoffice[facturx]'",
        ) from None
    return facturx


def embed(pdf: bytes, invoice: Invoice) -> bytes:
    """``pdf`` with the CII XML of the issued ``invoice`` attached as
    ``factur-x.xml`` and the Factur-X metadata (EN 16931 profile).

    Raises:
        InvalidValue: the invoice is a draft, or the extra is not installed.
    """
    from backoffice.einvoice.documents import write

    xml = write(invoice, "cii")
    result: bytes = _facturx().generate_from_binary(
        pdf, xml, flavor="factur-x", level="en16931", check_xsd=True, lang=invoice.language
    )
    return result


def extract(pdf: bytes) -> bytes:
    """The e-invoice XML attached to the Factur-X (or ZUGFeRD) ``pdf``.

    Raises:
        EInvoiceUnreadable: the PDF carries no Factur-X XML, or cannot be read.
    """
    package = _facturx()
    try:
        _, xml = package.get_xml_from_pdf(pdf, check_xsd=False)
    except Exception as error:  # the package raises plain exceptions on a bad PDF
        raise EInvoiceUnreadable(
            reason=f"no Factur-X XML could be read from the PDF: {error}"
        ) from None
    if not xml:
        raise EInvoiceUnreadable(reason="the PDF carries no Factur-X XML attachment")
    data: bytes = xml
    return data


# ---------------------------------------------------------------------------------------
# A plain PDF
# ---------------------------------------------------------------------------------------


def _lines(invoice: Invoice) -> list[str]:
    from backoffice.invoicing.render import legal_mentions

    locale = invoice.language
    totals = invoice.totals
    kind = "Credit note" if invoice.is_credit_note else "Invoice"
    found = [f"{kind} {invoice.number or '(draft)'}"]
    if invoice.issue_date is not None:
        found.append(f"Issue date: {invoice.issue_date.isoformat()}")
    if invoice.due_date is not None:
        found.append(f"Due date: {invoice.due_date.isoformat()}")
    for role, party in (("Seller", invoice.seller), ("Buyer", invoice.buyer)):
        found.append("")
        found.append(f"{role}: {party.name}")
        if party.legal_id is not None:
            found.append(f"  {party.legal_id.label} {party.legal_id.format()}")
        if party.vat_id is not None:
            found.append(f"  VAT {party.vat_id.vat_number()}")
        if party.address is not None:
            where = ", ".join(
                part
                for part in (*party.address.lines, party.address.postal_code, party.address.city)
                if part
            )
            found.append(f"  {where} {party.address.country}".rstrip())
    found.append("")
    for line, net in zip(invoice.lines, totals.line_net_amounts, strict=True):
        quantity = "" if line.quantity is None else f"{line.quantity} {line.unit_code} "
        found.append(f"{line.id}. {quantity}{line.name or ''}: {net.format(locale)}")
    found.append("")
    found.append(f"Total without VAT: {totals.total_without_vat.format(locale)}")
    for entry in totals.vat_breakdown:
        rate = "" if entry.rate is None else f" {entry.rate} %"
        found.append(f"VAT {entry.category.value}{rate}: {entry.tax_amount.format(locale)}")
    found.append(f"Total with VAT: {totals.total_with_vat.format(locale)}")
    found.append(f"Amount due: {totals.amount_due.format(locale)}")
    mentions = legal_mentions(invoice)
    if mentions:
        found.append("")
        found.extend(mention.text for mention in mentions)
    return found


def _pdf_text(text: str) -> str:
    encoded = text.replace("\u00a0", " ").replace("\u202f", " ").encode("cp1252", "replace")
    return encoded.decode("latin-1").replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def simple_pdf(invoice: Invoice) -> bytes:
    """A plain PDF of ``invoice``: one column of text in Helvetica, A4 pages."""
    lines = _lines(invoice)
    pages = [lines[start : start + _PAGE_LINES] for start in range(0, len(lines), _PAGE_LINES)]
    objects: list[bytes] = [b"", b""]  # 1: catalog, 2: pages (filled in below)
    font = len(objects) + 1
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    kids = []
    for page in pages:
        body = ["BT", "/F1 10 Tf", "12 TL", "50 800 Td"]
        body += [f"({_pdf_text(text)}) '" for text in page]
        body.append("ET")
        stream = "\n".join(body).encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (font, content)
        )
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids),
        len(kids),
    )
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body_bytes in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body_bytes + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
