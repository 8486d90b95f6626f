"""pydantic field types for identifiers.

:class:`~backoffice.taxid.model.TaxId` itself is a field type (any kind; input as text
with a prefix or as ``{"country", "kind", "value"}``; output as that object). For a field
of one known kind, use :func:`TaxIdField` or a ready-made alias: the field validates and
normalizes the input and serializes to the compact form, a plain string.

>>> import pydantic
>>> class Supplier(pydantic.BaseModel):
...     siret: Siret
...     vat: VatNumber
>>> supplier = Supplier(siret="732 829 320 00074", vat="fr 40 303 265 045")
>>> supplier.model_dump(mode="json")
{'siret': '73282932000074', 'vat': 'FR40303265045'}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Annotated, Any

from backoffice.errors import InvalidType
from backoffice.taxid.model import TaxId, mask

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import CoreSchema

__all__ = [
    "Bic",
    "Cnpj",
    "Cpf",
    "FrenchVat",
    "Iban",
    "Nir",
    "PortugueseNif",
    "Siren",
    "Siret",
    "TaxIdField",
    "TaxIdSpec",
    "VatNumber",
]


class TaxIdSpec:
    """pydantic metadata: the field holds a :class:`TaxId` of ``kind`` (in ``country``).

    Use it through :func:`TaxIdField`. Values serialize as their compact form; with
    ``prefixed`` (the default for ``kind="vat"``), VAT numbers carry their country prefix
    (``"FR40303265045"``), as intra-EU invoices write them.
    """

    __slots__ = ("country", "kind", "prefixed")

    def __init__(self, country: str | None, kind: str | None, *, prefixed: bool = False) -> None:
        self.country = country
        self.kind = kind
        self.prefixed = prefixed or kind == "vat"

    def __repr__(self) -> str:
        return f"TaxIdSpec({self.country!r}, {self.kind!r})"

    def __get_pydantic_core_schema__(
        self, source: type[Any], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from backoffice.taxid.services import parse

        def build(value: object) -> TaxId:
            if isinstance(value, TaxId):
                value = value.compact() if not value.is_vat else value.vat_number()
            if not isinstance(value, str):
                raise InvalidType(field="identifier", expected="text", got=type(value).__name__)
            return parse(value, self.country, self.kind)

        def dump(value: TaxId) -> str:
            return value.vat_number() if self.prefixed and value.is_vat else value.compact()

        return shielded_schema(build, dump)

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        what = self.kind or "identifier"
        where = f" ({self.country})" if self.country else ""
        return {"type": "string", "description": f"{what}{where}, compact form"}


class _Sensitive:
    """Raw input wrapped so that pydantic's error reports (``input_value``) show it
    masked: identifiers may be personal, and the kind is not known yet."""

    __slots__ = ("raw",)

    def __init__(self, raw: object) -> None:
        self.raw = raw

    def _masked(self) -> object:
        if isinstance(self.raw, str):
            return mask(self.raw)
        if isinstance(self.raw, Mapping):
            return {
                key: mask(item) if key == "value" and isinstance(item, str) else item
                for key, item in self.raw.items()
            }
        return self.raw

    def __repr__(self) -> str:
        return repr(self._masked())

    def __str__(self) -> str:
        return str(self._masked())


def _shield(value: object) -> object:
    return _Sensitive(value) if isinstance(value, str | Mapping) else value


def _unshield(value: object) -> object:
    return value.raw if isinstance(value, _Sensitive) else value


def shielded_schema(build: Callable[[Any], TaxId], dump: Callable[[TaxId], Any]) -> CoreSchema:
    """A schema that wraps the raw input first, so that errors never echo it in clear."""
    from pydantic_core import core_schema

    from backoffice.core._pydantic import wrap_validator

    return core_schema.chain_schema(
        [
            core_schema.no_info_plain_validator_function(_shield),
            core_schema.no_info_plain_validator_function(
                wrap_validator(lambda value: build(_unshield(value)))
            ),
        ],
        serialization=core_schema.plain_serializer_function_ser_schema(dump, when_used="json"),
    )


def TaxIdField(country: str | None = None, kind: str | None = None) -> Any:
    """A pydantic field type for identifiers of ``kind`` (in ``country``).

    ``TaxIdField("FR", "siren")``, ``TaxIdField(kind="iban")``,
    ``TaxIdField(kind="vat")`` (any VAT number with its prefix).
    """
    return Annotated[TaxId, TaxIdSpec(country, kind)]


Siren = Annotated[TaxId, TaxIdSpec("FR", "siren")]
Siret = Annotated[TaxId, TaxIdSpec("FR", "siret")]
FrenchVat = Annotated[TaxId, TaxIdSpec("FR", "tva", prefixed=True)]
Nir = Annotated[TaxId, TaxIdSpec("FR", "nir")]
Cnpj = Annotated[TaxId, TaxIdSpec("BR", "cnpj")]
Cpf = Annotated[TaxId, TaxIdSpec("BR", "cpf")]
PortugueseNif = Annotated[TaxId, TaxIdSpec("PT", "nif")]
Iban = Annotated[TaxId, TaxIdSpec(None, "iban")]
Bic = Annotated[TaxId, TaxIdSpec(None, "bic")]
VatNumber = Annotated[TaxId, TaxIdSpec(None, "vat")]
