"""Validating a mixed corpus of identifiers: backoffice.taxid against python-stdnum."""

from __future__ import annotations

import random
from collections.abc import Callable
from types import ModuleType

from stdnum import iban as stdnum_iban
from stdnum import luhn
from stdnum.br import cnpj as stdnum_cnpj
from stdnum.br import cpf as stdnum_cpf
from stdnum.de import vat as stdnum_de_vat
from stdnum.fr import nir as stdnum_nir
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret
from stdnum.fr import tva as stdnum_tva

from backoffice import errors as taxid_errors
from backoffice import taxid

Item = tuple[str, str, str, ModuleType]  # text, country, kind, stdnum module


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(count))


def corpus(size: int, seed: int = 2026, *, typos: float = 0.1) -> list[Item]:
    """``size`` identifiers of eight kinds, half of them written in their display format
    (spaces, dots, slashes), about one in ten (``typos``) with a typo."""
    rng = random.Random(seed)
    makers: list[Callable[[], Item]] = [
        lambda: (_siren(rng), "FR", "siren", stdnum_siren),
        lambda: (_siret(rng), "FR", "siret", stdnum_siret),
        lambda: (stdnum_siren.to_tva(_siren(rng)), "FR", "tva", stdnum_tva),
        lambda: (_cpf(rng), "BR", "cpf", stdnum_cpf),
        lambda: (_cnpj(rng), "BR", "cnpj", stdnum_cnpj),
        lambda: ("DE136695976", "DE", "vat", stdnum_de_vat),
        lambda: ("FR76 3000 6000 0112 3456 7890 189", "FR", "iban", stdnum_iban),
        lambda: ("2 95 10 99 126 111 93", "FR", "nir", stdnum_nir),
    ]
    items = []
    for _ in range(size):
        text, country, kind, module = rng.choice(makers)()
        if rng.random() < 0.5 and hasattr(module, "format"):
            text = module.format(text)
        if rng.random() < typos:  # a typo
            position = rng.randrange(len(text))
            text = text[:position] + rng.choice("0123456789") + text[position + 1 :]
        items.append((text, country, kind, module))
    return items


def _siren(rng: random.Random) -> str:
    body = _digits(rng, 8)
    return body + luhn.calc_check_digit(body)


def _siret(rng: random.Random) -> str:
    body = _siren(rng) + _digits(rng, 4)
    return body + luhn.calc_check_digit(body)


def _cpf(rng: random.Random) -> str:
    body = _digits(rng, 9)
    return body + stdnum_cpf._calc_check_digits(body)


def _cnpj(rng: random.Random) -> str:
    body = _digits(rng, 12)
    return body + stdnum_cnpj.calc_check_digits(body)


def validate_with_library(items: list[Item]) -> int:
    return sum(taxid.is_valid(text, country, kind) for text, country, kind, _ in items)


def validate_with_stdnum(items: list[Item]) -> int:
    return sum(module.is_valid(text) for text, _, _, module in items)


def parse_with_library(items: list[Item]) -> int:
    valid = 0
    for text, country, kind, _ in items:
        try:
            taxid.parse(text, country, kind)
        except taxid_errors.InvalidTaxId:
            continue
        valid += 1
    return valid
