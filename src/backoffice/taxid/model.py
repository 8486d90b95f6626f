"""The :class:`TaxId` value: a validated identifier that knows its country and kind."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from backoffice.taxid.registry import Kind, vat_prefix

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import CoreSchema

__all__ = ["TaxId", "mask"]

_new = object.__new__


def mask(text: str, *, visible: int = 2) -> str:
    """Hide every letter and digit of ``text`` but the last ``visible`` ones, keeping the
    separators: ``mask("390.533.447-05")`` is ``"***.***.***-05"``."""
    total = sum(character.isalnum() for character in text)
    shown = 0
    out = []
    for character in text:
        if character.isalnum():
            shown += 1
            out.append(character if shown > total - visible else "*")
        else:
            out.append(character)
    return "".join(out)


class TaxId:
    """A valid identifier: its country, its kind and its compact value.

    Build it with :func:`backoffice.taxid.parse`. It is immutable and hashable; two
    identifiers are equal when country, kind and compact value are.

    Personal identifiers (NIR, CPF, NIF of a person...) never show their value in
    ``repr`` or ``str``: ``TaxId('BR', 'cpf', '***.***.***-05')``. The clear value is only
    given by an explicit call: :meth:`compact` or :meth:`format`.

    Attributes:
        country: ISO 3166 alpha-2 code of the issuing country (``"INT"`` for an
            identifier without one, such as a LEI).
        kind: the canonical kind (the python-stdnum module name: ``"siren"``, ``"tva"``,
            ``"cnpj"``, ``"iban"``...).
    """

    __slots__ = ("_country", "_kind", "_value")

    _country: str
    _kind: Kind
    _value: str

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise TypeError("use backoffice.taxid.parse(text, country=..., kind=...) to get a TaxId")

    @classmethod
    def _create(cls, country: str, kind: Kind, value: str) -> TaxId:
        taxid = _new(cls)
        taxid._country = country
        taxid._kind = kind
        taxid._value = value
        return taxid

    @property
    def country(self) -> str:
        return self._country

    @property
    def kind(self) -> str:
        return self._kind.name

    def __delattr__(self, name: str) -> None:
        raise AttributeError("TaxId is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        from backoffice.taxid.services import _restore

        return (_restore, (self.country, self._kind.country, self.kind, self._value))

    # -- the value --------------------------------------------------------------------------

    @property
    def personal(self) -> bool:
        """Whether this identifies a natural person (and is therefore masked)."""
        return self._kind.is_personal(self._value)

    @property
    def label(self) -> str:
        """The kind's English name (``"SIREN"``, ``"CPF"``, ``"IBAN"``)."""
        return self._kind.label

    def localized_label(self, locale: str) -> str:
        """The kind's name in ``locale`` (``"numéro de sécurité sociale (NIR)"``)."""
        return self._kind.localized_label(locale)

    @property
    def kind_info(self) -> Kind:
        """The registry entry: stdnum module, description, VAT flag."""
        return self._kind

    def compact(self) -> str:
        """The clear compact value (``"73282932000074"``): an explicit reveal."""
        return self._value

    def format(self) -> str:
        """The clear value in the country's display format (``"732 829 320 00074"``)."""
        kind = self._kind
        if kind.has_format:
            shown = str(kind.module.format(self._value))
            if kind.shows_prefix and not shown[:2].isalpha():
                return f"{vat_prefix(self.country)} {shown}"  # GB 980 7806 84
            return shown
        if kind.shows_prefix:
            return self.vat_number()
        return self._value

    def masked(self) -> str:
        """The display format with all but the last two characters hidden, for a
        personal identifier; the display format itself otherwise."""
        return mask(self.format()) if self.personal else self.format()

    @property
    def is_vat(self) -> bool:
        """Whether this is a VAT number (usable where EN 16931 asks for one)."""
        return self._kind.is_vat

    def vat_number(self) -> str:
        """The VAT number with its country prefix, as VIES and invoices write it
        (``"FR40303265045"``, ``"EL094259216"``)."""
        if not self._kind.is_vat:
            raise ValueError(f"a {self.label} is not a VAT number")
        prefix = vat_prefix(self.country)
        return self._value if self._value.startswith(prefix) else prefix + self._value

    # -- identity ---------------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TaxId):
            return NotImplemented
        return (self.country, self.kind, self._value) == (other.country, other.kind, other._value)

    def __hash__(self) -> int:
        return hash((self.country, self.kind, self._value))

    def __repr__(self) -> str:
        return f"TaxId({self.country!r}, {self.kind!r}, {self.masked()!r})"

    def __str__(self) -> str:
        return self.masked()

    def to_dict(self) -> dict[str, str]:
        """``{"country": "FR", "kind": "siren", "value": "732829320"}`` (clear value: this
        is for storage and APIs, not for logs)."""
        return {"country": self.country, "kind": self.kind, "value": self._value}

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from backoffice.taxid.schemas import shielded_schema
        from backoffice.taxid.services import taxid_from_input

        return shielded_schema(taxid_from_input, TaxId.to_dict)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "type": "object",
            "description": "A validated identifier (input may also be a string with a "
            "country prefix, such as a VAT number or an IBAN).",
            "properties": {
                "country": {"type": "string"},
                "kind": {"type": "string"},
                "value": {"type": "string"},
            },
            "required": ["country", "kind", "value"],
        }
