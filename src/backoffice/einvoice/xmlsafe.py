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

import re
import xml.etree.ElementTree as ET
from typing import Final, NoReturn

from backoffice.errors import EInvoiceUnreadable

__all__ = ["MAX_BYTES", "parse_xml"]

MAX_BYTES: Final = 20 * 1024 * 1024
"""The largest document read (20 MiB): invoices with thousands of lines fit easily."""


def _refuse(reason: str) -> NoReturn:
    raise EInvoiceUnreadable(reason=reason)


_DECLARATIONS: Final = (b"<!DOCTYPE", b"<!ENTITY")
_ENCODING: Final = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
#: The encodings read: UTF-8 (UBL and CII documents are) and single-byte ASCII supersets.
_ENCODINGS: Final = frozenset(
    {"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1", "iso-8859-15"}
)


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
    if isinstance(data, str):
        try:
            raw = data.encode("utf-8")
        except UnicodeEncodeError as error:
            _refuse(f"the text cannot be written in UTF-8: {error.reason}")
    else:
        raw = data
    if not isinstance(raw, bytes):
        _refuse(f"expected the bytes of an XML document, got {type(data).__name__}")
    if len(raw) > max_bytes:
        _refuse(f"the document is {len(raw)} bytes, above the limit of {max_bytes}")
    start = raw.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not start:
        _refuse("the document is empty")
    if not start.startswith(b"<") or b"\x00" in raw[:512]:
        _refuse("not an XML document in UTF-8 (or another ASCII-compatible encoding)")
    declared = _ENCODING.match(start)
    if declared is not None:
        encoding = declared.group(1).decode("ascii").lower()
        if encoding not in _ENCODINGS or (
            isinstance(data, str) and encoding not in ("utf-8", "utf8")
        ):
            _refuse(f"the document declares the encoding {encoding!r}: e-invoices are in UTF-8")
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
    except (ValueError, LookupError) as error:  # an encoding expat cannot read
        _refuse(f"the document's encoding cannot be read: {error}")
