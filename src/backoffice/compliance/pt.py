"""Portugal: the ATCUD, the QR code and the signature chain of invoicing documents.

The subjects:

* a :class:`PortugueseDocument`: the document's number (``TYPE SERIES/NUMBER``), its
  date, its ATCUD and, when printed, the text of its QR code;
* a :class:`SignedSeries`: the documents of the invoicing software in issue order,
  with their signatures, and the verifier of the producer's public key.

The checks are those of :mod:`backoffice.compliance.portugal`:

* ``PT-DOC-001``: the ATCUD is well formed and ends with the document's number;
* ``PT-DOC-002``: the QR code is readable (fields A to S, in order, the required ones
  present, amounts with two decimals) and agrees with the document: its ATCUD (H), its
  number (G) and its date (F);
* ``PT-SIG-001``: every signature of the chain holds, each message carrying the
  signature of the document before it in its series, numbers following each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any, Final

import attrs

from backoffice.compliance.engine import LegalReference, Rule, RuleSet, SubjectType, Violation
from backoffice.compliance.portugal import (
    SaleDocument,
    Verifier,
    check_atcud,
    parse_document_number,
    parse_qr_payload,
    verify_chain,
)
from backoffice.errors import BackofficeError, ValidationError

__all__ = ["PORTUGUESE_DOCUMENT", "RULES", "SIGNED_SERIES", "PortugueseDocument", "SignedSeries"]


@attrs.frozen(slots=True)
class PortugueseDocument:
    """An invoicing document as the Portuguese rules read it."""

    number: str
    """``TYPE SERIES/NUMBER``, e.g. ``"FT A/35"``."""
    issued: date
    atcud: str
    qr_code: str | None = attrs.field(default=None, repr=False)
    """The text of the printed QR code, when there is one."""


def _documents(value: Iterable[SaleDocument]) -> tuple[SaleDocument, ...]:
    return tuple(value)


@attrs.frozen(slots=True)
class SignedSeries:
    """Signed documents in issue order (one or several series), and the verifier of the
    software producer's key."""

    documents: tuple[SaleDocument, ...] = attrs.field(converter=_documents)
    verifier: Verifier = attrs.field(eq=False)

    @property
    def latest(self) -> date | None:
        return max((document.invoice_date for document in self.documents), default=None)


def _issued(document: Any) -> date | None:
    day: date | None = document.issued
    return day


def _latest(series: Any) -> date | None:
    day: date | None = series.latest
    return day


PORTUGUESE_DOCUMENT: Final = SubjectType(
    "pt_document",
    date_of=_issued,
    description="a Portuguese invoicing document (PortugueseDocument), by its date",
)
SIGNED_SERIES: Final = SubjectType(
    "pt_signed_series",
    date_of=_latest,
    description="signed Portuguese documents (SignedSeries), by the latest date",
)

_ATCUD_LAW: Final = "Decreto-Lei n.º 28/2019, art. 7.º, n.º 3; Portaria n.º 195/2020"
_SIGNATURE_LAW: Final = "Portaria n.º 363/2010, art. 6.º"

_pack = RuleSet()


@_pack.rule(
    "PT-DOC-001",
    title="The ATCUD is well formed and ends with the document's number.",
    jurisdiction="PT",
    subject=PORTUGUESE_DOCUMENT,
    valid_from=date(2023, 1, 1),
    reference=LegalReference(_ATCUD_LAW, "ATCUD", note="Required from 2023-01-01."),
    messages={
        "en": "The ATCUD {atcud} does not fit document {number}: {problem}",
        "fr": "L'ATCUD {atcud} ne correspond pas au document {number} : {problem}",
        "pt_BR": "O ATCUD {atcud} não corresponde ao documento {number}: {problem}",
    },
)
def _atcud(document: PortugueseDocument) -> Iterator[Violation]:
    try:
        check_atcud(document.atcud, parse_document_number(document.number))
    except BackofficeError as error:
        yield Violation(
            "atcud",
            {"atcud": document.atcud, "number": document.number, "problem": error.message},
        )


@_pack.rule(
    "PT-DOC-002",
    title="The QR code is readable and agrees with the document.",
    jurisdiction="PT",
    subject=PORTUGUESE_DOCUMENT,
    valid_from=date(2022, 1, 1),
    reference=LegalReference(
        "Decreto-Lei n.º 28/2019, art. 7.º, n.º 3; Portaria n.º 195/2020",
        "código QR",
    ),
    messages={
        "en": "The QR code does not fit the document ({field}): {problem}",
        "fr": "Le code QR ne correspond pas au document ({field}) : {problem}",
        "pt_BR": "O código QR não corresponde ao documento ({field}): {problem}",
    },
)
def _qr(document: PortugueseDocument) -> Iterator[Violation]:
    if document.qr_code is None:
        return
    try:
        qr = parse_qr_payload(document.qr_code)
    except ValidationError as error:
        for problem in error.problems:
            yield Violation(
                f"qr_code.{problem.path}" if problem.path else "qr_code",
                {"field": problem.path or "QR", "problem": problem.message},
            )
        return
    except BackofficeError as error:
        yield Violation("qr_code", {"field": "QR", "problem": error.message})
        return
    for field, printed, expected in (
        ("H", qr.atcud, document.atcud),
        ("G", qr.document_id, document.number),
        ("F", qr.document_date.isoformat(), document.issued.isoformat()),
    ):
        if printed != expected:
            yield Violation(
                f"qr_code.{field}",
                {"field": field, "problem": f"{printed!r} where the document has {expected!r}"},
            )


@_pack.rule(
    "PT-SIG-001",
    title="The signature chain of the documents holds.",
    jurisdiction="PT",
    subject=SIGNED_SERIES,
    reference=LegalReference(_SIGNATURE_LAW, "n.º 1, alíneas a) a e)"),
    messages={
        "en": "The signature chain breaks at document {number} (position {index}): {reason}",
        "fr": "La chaîne de signatures est rompue au document {number} (position {index}) : "
        "{reason}",
        "pt_BR": "A cadeia de assinaturas quebra no documento {number} (posição {index}): {reason}",
    },
)
def _chain(series: SignedSeries) -> Iterator[Violation]:
    found = verify_chain(series.documents, series.verifier)
    if not found.valid:
        yield Violation(
            f"documents.{found.index}",
            {"number": found.invoice_no, "index": found.index, "reason": found.reason},
        )


RULES: Final[tuple[Rule[Any], ...]] = tuple(_pack)
