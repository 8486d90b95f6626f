"""The EN 16931 semantic tree: what a document states, term by term, whatever its
syntax.

A :class:`Node` is the document (``"INVOICE"``) or one occurrence of a business group
(``"BG-25"`` an invoice line, ``"BG-23"`` a VAT breakdown...). It holds the business
terms stated in it (``"BT-131"``) as :class:`Value` objects -- the text as written in
canonical form (ISO dates, plain decimals) with where it was found -- and its child
groups by id. Readers of UBL and CII build trees; writers turn trees into XML; the
native rules (:mod:`backoffice.einvoice.rules`) check trees; :mod:`backoffice.einvoice.bridge`
converts trees to and from :class:`~backoffice.invoicing.document.Invoice`.

Single-valued terms only: every term that may repeat in EN 16931 belongs to a group
that repeats (a note is a ``BG-1``). The document totals (BG-22), which occur exactly
once, are terms of the document's node.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Final

import attrs

__all__ = ["ROOT", "Node", "Value", "plain_decimal"]

#: The term of the document's own node.
ROOT = "INVOICE"

_PLAIN: Final = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def plain_decimal(text: str | None) -> Decimal | None:
    """``text`` as a decimal when it is a plain number (digits, an optional sign and
    point), as amounts and rates are written in the syntaxes; ``None`` otherwise
    (``"1E+9"``, ``"NaN"``, ``"12,50"`` are no amounts: the rules report them)."""
    if text is None or not _PLAIN.fullmatch(text.strip()):
        return None
    return Decimal(text.strip())


@attrs.frozen(slots=True)
class Value:
    """A business term's value as stated: canonical text, where it was found, and the
    attributes written with it (``currencyID`` of an amount...)."""

    text: str
    location: str = ""
    attributes: dict[str, str] = attrs.field(factory=dict, eq=False, hash=False)


@attrs.define(slots=True)
class Node:
    """A document or an occurrence of a business group."""

    term: str
    location: str = ""
    values: dict[str, Value] = attrs.field(factory=dict)
    groups: dict[str, list[Node]] = attrs.field(factory=dict)
    #: Elements a reader found stated but empty (see ``Wrap.marks``); not compared.
    marked: set[str] = attrs.field(factory=set, eq=False)

    def get(self, term: str) -> str | None:
        """The text of ``term`` in this node, or ``None``."""
        value = self.values.get(term)
        return None if value is None else value.text

    def set(self, term: str, text: object | None, *, location: str = "") -> None:
        """State ``term`` as ``text`` (``None`` leaves it out)."""
        if text is not None:
            self.values[term] = Value(str(text), location)

    def where(self, term: str) -> str:
        """Where ``term`` was found, or else this node."""
        value = self.values.get(term)
        return value.location if value is not None and value.location else self.location

    def children(self, term: str) -> list[Node]:
        """The occurrences of group ``term`` in this node (none: an empty list)."""
        return self.groups.get(term, [])

    def child(self, term: str) -> Node | None:
        """The first occurrence of group ``term``, or ``None``."""
        found = self.groups.get(term)
        return found[0] if found else None

    def add(self, term: str, location: str = "") -> Node:
        """A new occurrence of group ``term``, appended."""
        node = Node(term, location)
        self.groups.setdefault(term, []).append(node)
        return node

    def walk(self) -> Iterator[Node]:
        """This node and every node below it, depth first."""
        yield self
        for nodes in self.groups.values():
            for node in nodes:
                yield from node.walk()
