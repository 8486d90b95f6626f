"""Brazil: the access key of an electronic fiscal document, and its parties.

The subject is a :class:`FiscalDocument`: the 44-character access key (*chave de
acesso*) of an NF-e, NFC-e, CT-e or MDF-e, with the issue date and the parties the
document names. The checks are those of :mod:`backoffice.compliance.nfe`:

* ``BR-NFE-001``: the key is well formed -- state code, year and month, the issuer's
  CNPJ (numeric or alphanumeric) or CPF, model, series, number, emission type, code and
  its mod-11 check digit (one finding per field wrong, at ``access_key.<field>``);
* ``BR-NFE-002``: the key's year and month are those of the issue date;
* ``BR-NFE-003``: the issuer named on the document is the one in the key, and the
  buyer is identified by exactly one of a CNPJ, a CPF or a foreign identifier.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, Final

import attrs

from backoffice.compliance.engine import LegalReference, Rule, RuleSet, SubjectType, Violation
from backoffice.compliance.nfe import check_parties, parse_access_key
from backoffice.errors import BackofficeError, ValidationError
from backoffice.taxid.model import mask

__all__ = ["FISCAL_DOCUMENT", "RULES", "FiscalDocument"]


@attrs.frozen(slots=True, repr=False)
class FiscalDocument:
    """A Brazilian electronic fiscal document as the rules read it: its access key, its
    issue date (``dhEmi``) and its parties (the issuer's CNPJ or CPF, ``emit``; the
    buyer's CNPJ, CPF or foreign identifier, ``dest``)."""

    access_key: str
    issued: date
    issuer: str
    buyer_cnpj: str | None = None
    buyer_cpf: str | None = None
    buyer_foreign_id: str | None = None

    def __repr__(self) -> str:
        return (
            f"FiscalDocument(access_key={mask(self.access_key)!r}, "
            f"issued='{self.issued.isoformat()}', issuer={mask(self.issuer)!r})"
        )


def _issued(document: Any) -> date | None:
    day: date | None = document.issued
    return day


FISCAL_DOCUMENT: Final = SubjectType(
    "br_fiscal_document",
    date_of=_issued,
    description="a Brazilian electronic fiscal document (FiscalDocument), by its issue date",
)

_MOC: Final = (
    "Ajuste SINIEF 07/2005, cláusula terceira; Manual de Orientação do Contribuinte "
    "(NF-e/NFC-e) 7.0, item 5.4 and Anexo I"
)
_CNPJ: Final = "Instrução Normativa RFB nº 2.229/2024; Nota Técnica Conjunta 2025.001"

_pack = RuleSet()


def _problems(error: BackofficeError) -> Iterator[Violation]:
    problems = error.problems if isinstance(error, ValidationError) else ()
    if not problems:
        yield Violation("access_key", {"problem": error.message})
        return
    for problem in problems:
        path = f"access_key.{problem.path}" if problem.path else "access_key"
        yield Violation(path, {"problem": problem.message})


@_pack.rule(
    "BR-NFE-001",
    title="The access key is well formed and its check digit holds.",
    jurisdiction="BR",
    subject=FISCAL_DOCUMENT,
    reference=LegalReference(_MOC, "chave de acesso", note=f"Alphanumeric CNPJ: {_CNPJ}."),
    messages={
        "en": "The access key is not valid: {problem}",
        "fr": "La clé d'accès n'est pas valide : {problem}",
        "pt_BR": "A chave de acesso não é válida: {problem}",
    },
)
def _well_formed(document: FiscalDocument) -> Iterator[Violation]:
    try:
        parse_access_key(document.access_key)
    except BackofficeError as error:
        yield from _problems(error)


@_pack.rule(
    "BR-NFE-002",
    title="The key's year and month are those of the issue date.",
    jurisdiction="BR",
    subject=FISCAL_DOCUMENT,
    reference=LegalReference(_MOC, "campo B02a (AAMM: ano e mês de emissão)"),
    messages={
        "en": "The access key is of {key_month}, the document was issued in {issued_month}.",
        "fr": "La clé d'accès est de {key_month}, le document a été émis en {issued_month}.",
        "pt_BR": "A chave de acesso é de {key_month}, o documento foi emitido em {issued_month}.",
    },
)
def _month(document: FiscalDocument) -> Iterator[Violation]:
    try:
        key = parse_access_key(document.access_key)
    except BackofficeError:
        return  # BR-NFE-001 reports it
    if (key.year, key.month) != (document.issued.year, document.issued.month):
        yield Violation(
            "access_key.AAMM",
            {
                "key_month": f"{key.year:04d}-{key.month:02d}",
                "issued_month": f"{document.issued:%Y-%m}",
            },
        )


@_pack.rule(
    "BR-NFE-003",
    title="The issuer is the one in the key; the buyer is identified once.",
    jurisdiction="BR",
    subject=FISCAL_DOCUMENT,
    reference=LegalReference(_MOC, "campos C02/C02a (emitente) and E02/E03/E03a (destinatário)"),
    messages={
        "en": "{field}: the issuer must be the one in the access key, and the buyer "
        "identified by exactly one of CNPJ, CPF or foreign identifier.",
        "fr": "{field} : l'émetteur doit être celui de la clé d'accès, et le destinataire "
        "identifié par un seul identifiant : CNPJ, CPF ou identifiant étranger.",
        "pt_BR": "{field}: o emitente deve ser o da chave de acesso, e o destinatário "
        "identificado por exatamente um entre CNPJ, CPF ou identificação estrangeira.",
    },
)
def _parties(document: FiscalDocument) -> Iterator[Violation]:
    try:
        key = parse_access_key(document.access_key)
    except BackofficeError:
        return
    try:
        check_parties(
            key,
            issuer=document.issuer,
            buyer_cnpj=document.buyer_cnpj,
            buyer_cpf=document.buyer_cpf,
            buyer_foreign_id=document.buyer_foreign_id,
        )
    except ValidationError as error:
        for problem in error.problems:
            yield Violation(problem.path or "parties", {"field": problem.path or "parties"})
    except BackofficeError as error:
        field = str(error.details.get("field") or "parties")
        yield Violation(field, {"field": field})


RULES: Final[tuple[Rule[Any], ...]] = tuple(_pack)
