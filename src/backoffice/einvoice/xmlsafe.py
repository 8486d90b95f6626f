"""Reading untrusted XML safely.

E-invoices come from outside: a document may try to read local files or reach the
network through external entities (XXE), or exhaust memory with nested entity
expansion ("billion laughs"). Neither UBL nor CII uses a document type declaration, so
:func:`parse_xml` refuses any ``<!DOCTYPE``, entity declaration or external reference
outright, before expat expands anything, and refuses documents above a size limit.
Nothing is ever fetched.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Final, NoReturn
from xml.parsers import expat

from backoffice.errors import EInvoiceUnreadable

__all__ = ["MAX_BYTES", "parse_xml"]

MAX_BYTES: Final = 20 * 1024 * 1024
"""The largest document read (20 MiB): invoices with thousands of lines fit easily."""


def _refuse(reason: str) -> NoReturn:
    raise EInvoiceUnreadable(reason=reason)


def parse_xml(data: bytes | str, *, max_bytes: int = MAX_BYTES) -> ET.Element:
    """The root element of the XML document ``data``.

    Raises:
        EInvoiceUnreadable: the document is larger than ``max_bytes``, declares a
            document type or entities, is not well-formed XML, or is empty.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if not isinstance(raw, bytes):
        _refuse(f"expected the bytes of an XML document, got {type(data).__name__}")
    if len(raw) > max_bytes:
        _refuse(f"the document is {len(raw)} bytes, above the limit of {max_bytes}")
    if not raw.strip():
        _refuse("the document is empty")
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")

    def name(raw_name: str) -> str:
        return "{" + raw_name if "}" in raw_name else raw_name

    def start(raw_name: str, attributes: dict[str, str]) -> None:
        builder.start(name(raw_name), {name(key): value for key, value in attributes.items()})

    def no_doctype(*_: object) -> NoReturn:
        _refuse("the document declares a document type (<!DOCTYPE>): e-invoices have none")

    def no_entity(*_: object) -> NoReturn:
        _refuse("the document declares or references entities: e-invoices use none")

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda raw_name: builder.end(name(raw_name))
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = no_doctype
    parser.EntityDeclHandler = no_entity
    parser.UnparsedEntityDeclHandler = no_entity
    parser.ExternalEntityRefHandler = no_entity
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(raw, True)
        return builder.close()
    except expat.ExpatError as error:
        _refuse(f"not well-formed XML: {expat.ErrorString(error.code)} (line {error.lineno})")
    except AssertionError:  # the builder closed with elements open
        _refuse("not well-formed XML: the document ends inside an element")
