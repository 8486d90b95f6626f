"""Tax, company and bank identifiers, on python-stdnum.

>>> from backoffice import taxid
>>> taxid.parse("FR40303265045").vat_number()
'FR40303265045'
>>> taxid.parse("390.533.447-05", "BR", "cpf")
TaxId('BR', 'cpf', '***.***.***-05')
"""

from __future__ import annotations

from backoffice.taxid.model import TaxId, mask
from backoffice.taxid.registry import Kind, get_kind, kinds
from backoffice.taxid.services import (
    CheckResult,
    check,
    check_siret_siren,
    check_vat_siren,
    compact,
    format,
    french_vat_from_siren,
    is_valid,
    parse,
    validate,
)

__all__ = [
    "CheckResult",
    "Kind",
    "TaxId",
    "check",
    "check_siret_siren",
    "check_vat_siren",
    "compact",
    "format",
    "french_vat_from_siren",
    "get_kind",
    "is_valid",
    "kinds",
    "mask",
    "parse",
    "validate",
]
