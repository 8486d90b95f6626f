"""Declarative syntax bindings: where each EN 16931 term lives in a syntax's XML.

A binding (:class:`Syntax`) lists, in the order the syntax's schema requires, what the
document and each group contain:

* :class:`Field`: a business term at a path (``"cbc:IssueDate"``), of a kind that says
  how its text is written (a date is ``2026-03-10`` in UBL, ``20260310`` in CII), with
  attributes that carry other terms (``schemeID`` → ``"BT-29-1"``) or context
  (``currencyID`` → the document currency);
* :class:`Fixed`: an element whose text is fixed by the syntax (``cac:TaxScheme/cbc:ID``
  is ``VAT``), written when its parent is;
* :class:`Wrap`: an element that holds fields of the same node (a seller's
  ``cac:PartyTaxScheme``), written only when one of them has a value, told apart on
  reading by a condition (``cac:TaxScheme/cbc:ID`` = ``VAT``);
* :class:`Group`: the element of each occurrence of a business group (``cac:InvoiceLine``
  for ``BG-25``), with its own contents, optionally told apart by a condition
  (``cbc:ChargeIndicator`` = ``false`` for a document-level allowance);
* :class:`Outer`: inside a group's element, items of the node that holds the group: a
  syntax may repeat an element per occurrence of a group that also carries terms of the
  enclosing node (UBL writes one ``cac:PaymentMeans`` per credit transfer account
  ``BG-17``, each with the payment means code ``BT-81``).

A condition is ``(path, text)``: it holds when an element (or the attribute, when the
path ends with ``@name``) at the path has that text; ``"$BT-x"`` is the document's value
of a term, and ``"!text"`` holds when none has that text (missing counts as not).

:func:`read` and :func:`write` walk the same binding, so what one writes the other reads.
Paths are ElementTree paths with the syntax's prefixes; the last step of a field's path
may be an attribute (``"@unitCode"``).
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from typing import Final

import attrs

from backoffice.einvoice.tree import ROOT, Node, Value

__all__ = [
    "Codec",
    "Field",
    "Fixed",
    "Group",
    "Item",
    "Outer",
    "Syntax",
    "Wrap",
    "read",
    "write",
]


@attrs.frozen(slots=True)
class Codec:
    """How a kind of value is written in a syntax: ``dump`` from canonical text to the
    syntax's, ``load`` back. Both are total: text they cannot convert is kept as it is,
    for the rules to report."""

    dump: Callable[[str], str]
    load: Callable[[str], str]


def _same(text: str) -> str:
    return text


PLAIN: Final = Codec(_same, _same)


@attrs.frozen(slots=True)
class Field:
    """A business term at ``path``; ``attributes`` maps an XML attribute of the element
    to a term of the same node (``"BT-29-1"``), to the document's value of a term
    (``"$BT-5"``), or to fixed text (``"=VAT"``)."""

    term: str
    path: str
    kind: str = "text"
    attributes: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen(slots=True)
class Fixed:
    """An element with fixed text, written with its parent element."""

    path: str
    text: str


@attrs.frozen(slots=True)
class Wrap:
    """An element holding ``items`` of the same node; read only when ``when`` holds (a
    ``(path, text)`` condition), written only when an item has a value.

    With ``marks``, reading an element that is there but states nothing still leaves a
    trace in the node's ``marked``, so that the rules see a group stated without its
    content (a credit transfer without its account, BR-50).
    Nothing is written for it."""

    path: str
    items: tuple[Item, ...]
    when: tuple[str, str] | None = None
    marks: str | None = None


@attrs.frozen(slots=True)
class Group:
    """The element of each occurrence of group ``term``, holding ``items``.

    With ``continues``, the element holds more terms of the occurrences an earlier item
    of the same node reads and writes (a CII payment account's BIC is in an element
    beside the account's): on reading, the n-th element found states terms of the n-th
    occurrence (added when there are fewer); on writing, each occurrence with a value
    for one of ``items`` gets an element."""

    term: str
    path: str
    items: tuple[Item, ...]
    when: tuple[str, str] | None = None
    continues: bool = False


@attrs.frozen(slots=True)
class Outer:
    """Items of the node that holds the enclosing :class:`Group`, written in the
    group's element: in the first occurrence only, or in ``every`` one. A group whose
    items include an :class:`Outer` is written once with only those items when it has
    no occurrence but they have a value; on reading, an element adds an occurrence only
    when it states a term of the group itself, and the enclosing node keeps the first
    value of each of its terms."""

    items: tuple[Item, ...]
    every: bool = False


Item = Field | Fixed | Wrap | Group | Outer


@attrs.frozen(slots=True)
class Syntax:
    """A binding of EN 16931 to one XML syntax."""

    name: str
    namespaces: Mapping[str, str]
    root: str
    """The root element's prefixed name (``"ubl:Invoice"``)."""
    items: tuple[Item, ...]
    codecs: Mapping[str, Codec] = attrs.field(factory=dict)
    #: Names already resolved, both ways (a cache: bindings are read many times).
    _names: dict[str, str] = attrs.field(factory=dict, init=False, eq=False, repr=False)
    _prefixes: dict[str, str] = attrs.field(factory=dict, init=False, eq=False, repr=False)
    _paths: dict[str, tuple[tuple[str, ...], str | None]] = attrs.field(
        factory=dict, init=False, eq=False, repr=False
    )
    _outer: dict[int, bool] = attrs.field(factory=dict, init=False, eq=False, repr=False)

    def codec(self, kind: str) -> Codec:
        return self.codecs.get(kind, PLAIN)

    def qname(self, name: str) -> str:
        """``"cbc:ID"`` as ElementTree's ``"{urn:...}ID"``."""
        found = self._names.get(name)
        if found is None:
            if ":" in name:
                prefix, local = name.split(":", 1)
                found = f"{{{self.namespaces[prefix]}}}{local}"
            else:
                found = name
            self._names[name] = found
        return found

    def path(self, path: str) -> tuple[tuple[str, ...], str | None]:
        """``path`` compiled: the qualified names of its element steps, and the attribute
        it ends with (``None`` for an element)."""
        found = self._paths.get(path)
        if found is None:
            steps = _split(path)
            attribute = steps[-1][1:] if steps and steps[-1].startswith("@") else None
            elements = steps[:-1] if attribute is not None else steps
            found = (tuple(self.qname(step) for step in elements), attribute)
            self._paths[path] = found
        return found

    def carries_outer(self, group: Group) -> bool:
        """Whether ``group`` holds items of the node around it (an :class:`Outer`)."""
        found = self._outer.get(id(group))
        if found is None:
            found = any(isinstance(inner, Outer) for inner in group.items)
            self._outer[id(group)] = found
        return found

    def prefixed(self, tag: str) -> str:
        """ElementTree's ``"{urn:...}ID"`` as ``"cbc:ID"``."""
        found = self._prefixes.get(tag)
        if found is None:
            found = tag
            if tag.startswith("{"):
                uri, local = tag[1:].split("}", 1)
                for prefix, known in self.namespaces.items():
                    if known == uri:
                        found = f"{prefix}:{local}"
                        break
            self._prefixes[tag] = found
        return found


# ---------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _split(path: str) -> tuple[str, ...]:
    return tuple(step for step in path.split("/") if step and step != ".")


def _find(syntax: Syntax, element: ET.Element, path: str) -> list[ET.Element]:
    found = [element]
    for name in syntax.path(path)[0]:
        found = [child for parent in found for child in parent.findall(name)]
    return found


def _holds(syntax: Syntax, element: ET.Element, when: tuple[str, str] | None, root: Node) -> bool:
    """Whether ``when`` -- ``(path, text)``; the path may end with an ``@attribute``, the
    text may be ``"$BT-x"``, the document's value of a term, or ``"!text"``, no element
    having that text -- holds below ``element``."""
    if when is None:
        return True
    path, expected = when
    negated = expected.startswith("!")
    if negated:
        expected = expected[1:]
    if expected.startswith("$"):
        expected = root.get(expected[1:]) or ""
    steps = _split(path)
    if steps and steps[-1].startswith("@"):
        attribute = steps[-1][1:]
        texts = [item.get(attribute) or "" for item in _find(syntax, element, "/".join(steps[:-1]))]
    else:
        texts = [found.text or "" for found in _find(syntax, element, path)]
    return any(text.strip() == expected for text in texts) != negated


def _location(parent: str, syntax: Syntax, element: ET.Element, holder: ET.Element) -> str:
    """The location of ``element``, a child of ``holder`` found at ``parent``: its name,
    with its position among same-named siblings when it has any."""
    name = syntax.prefixed(element.tag)
    same = holder.findall(element.tag)
    if len(same) < 2:
        return f"{parent}/{name}"
    index = next(number for number, sibling in enumerate(same, start=1) if sibling is element)
    return f"{parent}/{name}[{index}]"


def _path_location(
    syntax: Syntax, base: str, element: ET.Element, path: str
) -> tuple[list[ET.Element], str]:
    """The elements at ``path`` below ``element`` and the location of the first one."""
    current = [element]
    where = base
    for step in _split(path):
        name = syntax.qname(step)
        children = current[0].findall(name)
        if not children:
            return [], where
        where = _location(where, syntax, children[0], current[0])
        current = children
    return current, where


def _read_items(
    syntax: Syntax,
    items: Sequence[Item],
    element: ET.Element,
    node: Node,
    base: str,
    root: Node,
    outer: Node | None = None,
) -> None:
    children: dict[str, list[ET.Element]] = {}  # the element's children by name, once
    for child in element:
        children.setdefault(child.tag, []).append(child)
    for item in items:
        if isinstance(item, Field):
            names, attribute = syntax.path(item.path)
            if not names or names[0] in children:  # else absent: nothing to read
                _read_field(syntax, item, names, attribute, element, children, node, base)
        elif isinstance(item, Wrap):
            names = syntax.path(item.path)[0]
            if len(names) == 1:  # the common case: a child, among the children named once
                same = children.get(names[0], [])
                for position, wrapped in enumerate(same, start=1):
                    if _holds(syntax, wrapped, item.when, root):
                        name = syntax.prefixed(wrapped.tag)
                        where = f"{base}/{name}[{position}]" if len(same) > 1 else f"{base}/{name}"
                        if item.marks is not None:
                            node.marked.add(item.marks)
                        _read_items(syntax, item.items, wrapped, node, where, root, outer)
                        break
                continue
            for wrapped in _find(syntax, element, item.path):
                if _holds(syntax, wrapped, item.when, root):
                    where = _wrap_location(syntax, base, element, item.path, wrapped)
                    if item.marks is not None:
                        node.marked.add(item.marks)
                    _read_items(syntax, item.items, wrapped, node, where, root, outer)
                    break
        elif isinstance(item, Outer):
            if outer is not None:
                found = Node(outer.term, outer.location)
                _read_items(syntax, item.items, element, found, base, root)
                for term, value in found.values.items():
                    outer.values.setdefault(term, value)
                for term, nodes in found.groups.items():
                    outer.groups.setdefault(term, []).extend(nodes)
        elif isinstance(item, Group):
            _read_group(syntax, item, element, node, base, root)


def _read_group(
    syntax: Syntax, item: Group, element: ET.Element, node: Node, base: str, root: Node
) -> None:
    parents, where = _path_location(syntax, base, element, _parent_path(item.path))
    last = syntax.qname(_split(item.path)[-1])
    carries_outer = syntax.carries_outer(item)
    for parent in parents[:1]:
        same = parent.findall(last)  # once: their positions give their locations
        name = syntax.prefixed(last)
        count = 0
        for position, child in enumerate(same, start=1):
            if not _holds(syntax, child, item.when, root):
                continue
            location = f"{where}/{name}[{position}]" if len(same) > 1 else f"{where}/{name}"
            existing = node.children(item.term)
            if item.continues and count < len(existing):
                # the n-th element continues the n-th occurrence read from an earlier one
                count += 1
                _read_items(syntax, item.items, child, existing[count - 1], location, root, node)
                continue
            count += 1
            occurrence = Node(item.term, location)
            _read_items(syntax, item.items, child, occurrence, occurrence.location, root, node)
            if not carries_outer or occurrence.values or occurrence.groups or occurrence.marked:
                node.groups.setdefault(item.term, []).append(occurrence)


def _wrap_location(
    syntax: Syntax, base: str, element: ET.Element, path: str, wrapped: ET.Element
) -> str:
    steps = _split(path)
    parents, where = _path_location(syntax, base, element, "/".join(steps[:-1]))
    if not parents:
        return f"{where}/{syntax.prefixed(wrapped.tag)}"
    return _location(where, syntax, wrapped, parents[0])


def _parent_path(path: str) -> str:
    return "/".join(_split(path)[:-1])


def _read_field(
    syntax: Syntax,
    item: Field,
    names: tuple[str, ...],
    attribute: str | None,
    element: ET.Element,
    children: dict[str, list[ET.Element]],
    node: Node,
    base: str,
) -> None:
    if names:
        same = children.get(names[0])
        if same is None:
            return
        found = same[0]
        name = syntax.prefixed(found.tag)
        where = f"{base}/{name}[1]" if len(same) > 1 else f"{base}/{name}"
        for step in names[1:]:  # the first element at the path
            child = found.find(step)
            if child is None:
                return
            where = _location(where, syntax, child, found)
            found = child
    else:
        found, where = element, base
    text = found.get(attribute) if attribute is not None else found.text
    if text is None or not text.strip():
        return
    if attribute is not None:
        where = f"{where}/@{attribute}"
    attributes = dict(found.attrib) if attribute is None and found.attrib else {}
    text = text.strip()
    if item.kind != "text":
        text = syntax.codec(item.kind).load(text)
    node.values[item.term] = Value(text, where, attributes)
    if attribute is None and item.attributes:
        for name, target in item.attributes.items():
            if target.startswith(("BT-", "BG-")) and found.get(name):
                node.values[target] = Value(found.get(name, ""), f"{where}/@{name}")


def read(syntax: Syntax, root: ET.Element) -> Node:
    """The semantic tree of the document whose root element is ``root``."""
    node = Node(ROOT, f"/{syntax.prefixed(root.tag)}")
    _read_items(syntax, syntax.items, root, node, node.location, node)
    return node


# ---------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------


def _has_content(items: Sequence[Item], node: Node) -> bool:
    for item in items:
        if isinstance(item, Field) and item.term in node.values:
            return True
        if isinstance(item, Wrap) and _has_content(item.items, node):
            return True
        if isinstance(item, Group) and (
            node.children(item.term) or _has_content(_outer_items(item), node)
        ):
            return True
    return False


def _outer_items(group: Group) -> tuple[Item, ...]:
    """The items of ``group`` that belong to the node holding it (:class:`Outer`)."""
    return tuple(inner for item in group.items if isinstance(item, Outer) for inner in item.items)


def _element(syntax: Syntax, parent: ET.Element, path: str) -> ET.Element:
    """The element at ``path`` below ``parent``: each step reuses the parent's last
    child when it has that name (so that siblings keep the schema's order), else adds
    one; the last step is always added."""
    steps = _split(path)
    current = parent
    for step in steps[:-1]:
        name = syntax.qname(step)
        last = current[-1] if len(current) else None
        current = last if last is not None and last.tag == name else ET.SubElement(current, name)
    return ET.SubElement(current, syntax.qname(steps[-1]))


def _attribute_value(target: str, node: Node, root: Node) -> str | None:
    if target.startswith("="):
        return target[1:]
    if target.startswith("$"):
        return root.get(target[1:])
    return node.get(target)


def _write_items(
    syntax: Syntax,
    items: Sequence[Item],
    parent: ET.Element,
    node: Node,
    root: Node,
    outer: tuple[Node, bool] | None = None,
) -> None:
    """Write ``items`` of ``node``; ``outer`` is the node holding the group being
    written and whether this is its first occurrence."""
    for item in items:
        if isinstance(item, Field):
            value = node.values.get(item.term)
            if value is None:
                continue
            steps = _split(item.path)
            text = syntax.codec(item.kind).dump(value.text)
            if not steps:  # the element of the group or wrap itself
                parent.text = text
                _set_attributes(parent, item, node, root)
                continue
            if steps[-1].startswith("@"):
                holder = parent
                if len(steps) > 1:
                    holder = _reuse(syntax, parent, "/".join(steps[:-1]))
                holder.set(steps[-1][1:], text)
                continue
            element = _element(syntax, parent, item.path)
            element.text = text
            _set_attributes(element, item, node, root)
        elif isinstance(item, Fixed):
            _element(syntax, parent, item.path).text = item.text
        elif isinstance(item, Wrap):
            if _has_content(item.items, node):
                element = _element(syntax, parent, item.path)
                _write_items(syntax, item.items, element, node, root, outer)
        elif isinstance(item, Outer):
            if outer is not None and (item.every or outer[1]):
                _write_items(syntax, item.items, parent, outer[0], root)
        else:
            occurrences = node.children(item.term)
            if not occurrences and _has_content(_outer_items(item), node):
                occurrences = [Node(item.term)]
            for index, occurrence in enumerate(occurrences):
                if item.continues and not _has_content(item.items, occurrence):
                    continue
                element = _element(syntax, parent, item.path)
                _write_items(syntax, item.items, element, occurrence, root, (node, index == 0))


def _set_attributes(element: ET.Element, item: Field, node: Node, root: Node) -> None:
    for name, target in item.attributes.items():
        attribute = _attribute_value(target, node, root)
        if attribute is not None:
            element.set(name, attribute)


def _reuse(syntax: Syntax, parent: ET.Element, path: str) -> ET.Element:
    """The element at ``path`` below ``parent``, reusing the last child of each step
    when it has that name (an attribute goes on an element written before it)."""
    current = parent
    for step in _split(path):
        name = syntax.qname(step)
        last = current[-1] if len(current) else None
        current = last if last is not None and last.tag == name else ET.SubElement(current, name)
    return current


def write(syntax: Syntax, tree: Node) -> bytes:
    """The XML of ``tree`` in ``syntax``, UTF-8 with an XML declaration."""
    for prefix, uri in syntax.namespaces.items():
        ET.register_namespace(prefix, uri)
    root = ET.Element(syntax.qname(syntax.root))
    _write_items(syntax, syntax.items, root, tree, tree)
    ET.indent(root)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body
