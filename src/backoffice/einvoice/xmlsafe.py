"""Reading untrusted XML safely.

E-invoices come from outside: a document may try to read local files or reach the
network through external entities (XXE), or exhaust memory with nested entity
expansion ("billion laughs"). Both need a document type declaration, which neither UBL
nor CII uses: :func:`parse_xml` refuses any ``<!DOCTYPE`` or ``<!ENTITY`` in the bytes
before parsing (the document must be in an ASCII-compatible encoding, so that the
bytes cannot hide one), and refuses documents above a size limit. Without a document
type, XML has only its five predefined entities and character references: nothing is
expanded beyond them, and nothing is ever fetched.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Final, NoReturn

from backoffice.errors import EInvoiceUnreadable

__all__ = ["MAX_BYTES", "parse_xml"]

MAX_BYTES: Final = 20 * 1024 * 1024
"""The largest document read (20 MiB): invoices with thousands of lines fit easily."""


def _refuse(reason: str) -> NoReturn:
    raise EInvoiceUnreadable(reason=reason)


_DECLARATIONS: Final = (b"<!DOCTYPE", b"<!ENTITY")


def parse_xml(data: bytes | str, *, max_bytes: int = MAX_BYTES) -> ET.Element:
    """The root element of the XML document ``data``.

    The document must be in an ASCII-compatible encoding (UTF-8, as UBL and CII
    documents are); one that declares a document type or entities is refused before it
    is parsed, so that no entity is ever expanded nor fetched.

    Raises:
        EInvoiceUnreadable: the document is larger than ``max_bytes``, is not in an
            ASCII-compatible encoding, declares a document type or entities, is not
            well-formed XML, or is empty.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if not isinstance(raw, bytes):
        _refuse(f"expected the bytes of an XML document, got {type(data).__name__}")
    if len(raw) > max_bytes:
        _refuse(f"the document is {len(raw)} bytes, above the limit of {max_bytes}")
    start = raw.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not start:
        _refuse("the document is empty")
    if not start.startswith(b"<") or b"\x00" in raw[:512]:
        _refuse("not an XML document in UTF-8 (or another ASCII-compatible encoding)")
    for declaration in _DECLARATIONS:
        if declaration in raw:
            _refuse(
                "the document declares a document type or entities (<!DOCTYPE>, <!ENTITY>): "
                "e-invoices have none"
            )
    try:
        return ET.fromstring(raw)
    except ET.ParseError as error:
        _refuse(f"not well-formed XML: {error}")
