"""Portugal: the ATCUD, the signature chain of invoices and the QR code payload.

Three requirements that certified invoicing software meets on every fiscally relevant
document (Decreto-Lei n.º 28/2019, de 15 de fevereiro, art. 7.º, n.º 3, and the
portarias it points to):

* the **ATCUD**, the unique document code: the validation code the AT assigns to a
  document series, a hyphen, and the document's sequential number in that series
  (Portaria n.º 195/2020, de 13 de agosto, art. 2.º to 4.º);
* the **signature chain**: each document is signed with the software producer's private
  key (RSA), over a message that includes the signature of the previous document of
  the same series (Portaria n.º 363/2010, de 23 de junho, art. 6.º; the AT's technical
  requirements of Despacho n.º 8632/2014, de 3 de julho); four characters of the
  signature are printed on the document;
* the **QR code**, whose payload lists fields ``A`` to ``S`` separated by ``*``
  (Portaria n.º 195/2020, art. 6.º, and the AT's "Especificações Técnicas Código de
  Barras Bidimensional (Código QR)" published on the Portal das Finanças).

Everything here is a pure function: no clock, no network, no key store. Signing goes
through a :class:`Signer` the caller provides (the real one is RSA-SHA1 with the
producer's private key, in base 64); this module ships no RSA implementation, so that
the library needs no cryptography package.

>>> atcud = parse_atcud("ATCUD:CSDF7T5H-0035")
>>> atcud.validation_code, atcud.sequence
('CSDF7T5H', 35)
>>> check_atcud(atcud, "FT AB2019/35")
>>> signing_message(invoice_date=date(2026, 3, 2),
...                 system_entry_date="2026-03-02T10:15:00",
...                 invoice_no="FT A/1", gross_total="123.4")
'2026-03-02;2026-03-02T10:15:00;FT A/1;123.40;'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Final, Protocol, runtime_checkable

import attrs

from backoffice import taxid
from backoffice.core.money import Money
from backoffice.errors import (
    BackofficeError,
    FloatNotAllowed,
    InvalidType,
    InvalidValue,
    NaiveDatetime,
    Problem,
    ValidationError,
)
from backoffice.taxid.model import mask

__all__ = [
    "DOCUMENT_STATUSES",
    "DOCUMENT_TYPES",
    "QR_FIELDS",
    "Atcud",
    "ChainCheck",
    "DocumentNumber",
    "QrCode",
    "SaleDocument",
    "Signer",
    "TaxRegion",
    "Verifier",
    "build_atcud",
    "build_qr_payload",
    "check_atcud",
    "is_valid_atcud",
    "parse_atcud",
    "parse_document_number",
    "parse_qr_payload",
    "printed_hash_characters",
    "printed_signature_mention",
    "sign_documents",
    "signing_message",
    "verify_chain",
]

# -- ATCUD and document numbers ---------------------------------------------------------

#: Portaria n.º 195/2020, art. 2.º and 3.º: the validation code is a string of at least
#: 8 characters; the AT assigns letters and digits. Field H of the QR code takes at
#: most 70 characters for the whole ATCUD.
_VALIDATION_CODE: Final = re.compile(r"[A-Z0-9]{8,}")
_ATCUD: Final = re.compile(r"([A-Z0-9]+)-([0-9]+)")
_ATCUD_MAX: Final = 70
#: SAF-T (PT) InvoiceNo, field 4.1.4.1 (Portaria n.º 302/2016, annex): the internal
#: document type code, a space, the series, a slash and the sequential number.
_DOCUMENT_NUMBER: Final = re.compile(r"([^\s/]+) ([^\s/]+)/([0-9]+)")
_PART: Final = re.compile(r"[^\s/]+")


@attrs.frozen(slots=True)
class Atcud:
    """A unique document code (código único de documento).

    Attributes:
        validation_code: the code the AT assigned to the series (8 or more capital
            letters and digits).
        sequence_text: the document's sequential number as printed (``"0035"`` keeps
            its zeros).
    """

    validation_code: str
    sequence_text: str

    def __attrs_post_init__(self) -> None:
        for name in ("validation_code", "sequence_text"):
            value = getattr(self, name)
            if not isinstance(value, str):
                raise InvalidType(field=name, expected="text", got=type(value).__name__)
        _check_validation_code(self.validation_code)
        digits = self.sequence_text
        if not (digits.isdigit() and digits.isascii()) or int(digits) < 1:
            raise InvalidValue(
                field="ATCUD", reason="the sequential number must be digits, 1 or more"
            )
        if len(self.validation_code) + 1 + len(digits) > _ATCUD_MAX:
            raise InvalidValue(field="ATCUD", reason="must be at most 70 characters")

    @property
    def sequence(self) -> int:
        """The sequential number of the document in its series."""
        return int(self.sequence_text)

    def __str__(self) -> str:
        return f"{self.validation_code}-{self.sequence_text}"

    def printed(self) -> str:
        """The mention printed on the document, ``ATCUD:CODE-NUMBER`` (Portaria
        n.º 195/2020, art. 4.º, n.º 1)."""
        return f"ATCUD:{self}"


def parse_atcud(text: str) -> Atcud:
    """Read an ATCUD, with or without its ``ATCUD:`` label.

    Args:
        text: ``"CSDF7T5H-0035"`` or ``"ATCUD:CSDF7T5H-0035"``.

    Returns:
        The code.

    Raises:
        InvalidType: not a string.
        InvalidValue: not ``CODE-NUMBER``, a code shorter than 8 characters or with
            other characters than capital letters and digits, a number that is not
            positive, or more than 70 characters (Portaria n.º 195/2020, art. 3.º).

    >>> parse_atcud("CSDF7T5H-0035")
    Atcud(validation_code='CSDF7T5H', sequence_text='0035')
    >>> parse_atcud("CSDF7T5-35")
    Traceback (most recent call last):
    ...
    backoffice.errors.InvalidValue: ATCUD: the validation code CSDF7T5 has 7 characters: ...
    """
    if not isinstance(text, str):
        raise InvalidType(field="ATCUD", expected="text", got=type(text).__name__)
    value = text.strip()
    if value[:6].upper() == "ATCUD:":
        value = value[6:].strip()
    if len(value) > _ATCUD_MAX:
        raise InvalidValue(field="ATCUD", reason="must be at most 70 characters")
    match = _ATCUD.fullmatch(value)
    if match is None:
        raise InvalidValue(
            field="ATCUD",
            reason=(
                "must be the series' validation code, a hyphen and the document's "
                "sequential number, e.g. CSDF7T5H-35"
            ),
        )
    code, number = match.groups()
    _check_validation_code(code)
    if int(number) < 1:
        raise InvalidValue(field="ATCUD", reason="the sequential number must be 1 or more")
    return Atcud(code, number)


def _check_validation_code(code: str) -> None:
    if not _VALIDATION_CODE.fullmatch(code):
        raise InvalidValue(
            field="ATCUD",
            reason=(
                f"the validation code {code} has {len(code)} characters: it has at least 8 "
                "capital letters or digits, as the AT assigned it to the series"
            ),
        )


def build_atcud(validation_code: str, sequence: int) -> Atcud:
    """The ATCUD of the document ``sequence`` of the series whose code is
    ``validation_code`` (Portaria n.º 195/2020, art. 3.º).

    >>> str(build_atcud("CSDF7T5H", 35))
    'CSDF7T5H-35'
    """
    if not isinstance(validation_code, str):
        raise InvalidType(
            field="validation_code", expected="text", got=type(validation_code).__name__
        )
    if isinstance(sequence, bool) or not isinstance(sequence, int):
        raise InvalidType(field="sequence", expected="an int", got=type(sequence).__name__)
    _check_validation_code(validation_code)
    if sequence < 1:
        raise InvalidValue(field="sequence", reason="the sequential number must be 1 or more")
    return parse_atcud(f"{validation_code}-{sequence}")


def is_valid_atcud(text: object) -> bool:
    """Whether ``text`` is a well-formed ATCUD (never raises).

    >>> is_valid_atcud("CSDF7T5H-0035"), is_valid_atcud("CSDF7T5H-0")
    (True, False)
    """
    try:
        parse_atcud(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return True


@attrs.frozen(slots=True)
class DocumentNumber:
    """A document's unique identification, ``TYPE SERIES/NUMBER`` (SAF-T (PT) field
    4.1.4.1 InvoiceNo; QR code field G).

    Attributes:
        document_type: the internal code of the document type (``"FT"``).
        series: the series' identifier (``"A"``).
        number: the sequential number in the series.
    """

    document_type: str
    series: str
    number: int

    def __attrs_post_init__(self) -> None:
        for name in ("document_type", "series"):
            value = getattr(self, name)
            if not isinstance(value, str) or not _PART.fullmatch(value):
                raise InvalidValue(
                    field="document_number",
                    reason=f"the {name.replace('_', ' ')} must be text without spaces or '/'",
                )
        if isinstance(self.number, bool) or not isinstance(self.number, int):
            raise InvalidType(field="number", expected="an int", got=type(self.number).__name__)
        if self.number < 1:
            raise InvalidValue(field="document_number", reason="the number must be 1 or more")
        if len(str(self)) > 60:
            raise InvalidValue(field="document_number", reason="must be at most 60 characters")

    @property
    def series_key(self) -> str:
        """``TYPE SERIES``: what the signature chain and the ATCUD are kept per."""
        return f"{self.document_type} {self.series}"

    def __str__(self) -> str:
        return f"{self.document_type} {self.series}/{self.number}"


def parse_document_number(text: str) -> DocumentNumber:
    """Read ``"FT A/123"`` into its type, series and number.

    Raises:
        InvalidValue: not ``TYPE SERIES/NUMBER`` with a number of 1 or more.

    >>> parse_document_number("FT AB2019/0035")
    DocumentNumber(document_type='FT', series='AB2019', number=35)
    """
    if not isinstance(text, str):
        raise InvalidType(field="document_number", expected="text", got=type(text).__name__)
    match = _DOCUMENT_NUMBER.fullmatch(text.strip())
    if match is None or len(text.strip()) > 60:
        raise InvalidValue(
            field="document_number",
            reason=(
                "must be the document type, a space, the series, a slash and the number, "
                "e.g. 'FT A/123', at most 60 characters"
            ),
        )
    kind, series, number = match.groups()
    if int(number) < 1:
        raise InvalidValue(field="document_number", reason="the number must be 1 or more")
    return DocumentNumber(kind, series, int(number))


def check_atcud(atcud: Atcud | str, document_number: DocumentNumber | str) -> None:
    """Check that an ATCUD carries the number of its document (Portaria n.º 195/2020,
    art. 3.º: the sequential number of the document within the series).

    Raises:
        InvalidValue: the numbers differ (``details["field"]`` is ``"ATCUD"``).

    >>> check_atcud("CSDF7T5H-0036", "FT AB2019/35")
    Traceback (most recent call last):
    ...
    backoffice.errors.InvalidValue: ATCUD: ends with 36 but the document is number 35 ...
    """
    code = atcud if isinstance(atcud, Atcud) else parse_atcud(atcud)
    number = (
        document_number
        if isinstance(document_number, DocumentNumber)
        else parse_document_number(document_number)
    )
    if code.sequence != number.number:
        raise InvalidValue(
            field="ATCUD",
            reason=(
                f"ends with {code.sequence} but the document is number {number.number} "
                f"of series {number.series_key}: the ATCUD's sequential number is the "
                "document's own number"
            ),
        )


# -- the signature chain ----------------------------------------------------------------


@runtime_checkable
class Signer(Protocol):
    """Signs the message of a document: the real one is RSA with SHA-1 and the software
    producer's private key, its result encoded in base 64 (Portaria n.º 363/2010,
    art. 6.º, n.º 1; Despacho n.º 8632/2014). The message is encoded in UTF-8."""

    def sign(self, message: str) -> str:
        """The signature of ``message``, as stored in the SAF-T Hash field."""
        ...


@runtime_checkable
class Verifier(Protocol):
    """Checks a signature: the real one uses the producer's public key."""

    def verify(self, message: str, signature: str) -> bool:
        """Whether ``signature`` is a valid signature of ``message``."""
        ...


_ENTRY_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")
_TOTAL_EXAMPLE: Final = 'Money("123.40", "EUR") or "123.40"'


def _entry_date(value: object) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise NaiveDatetime(field="system_entry_date", value=value)
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(value, str) and _ENTRY_DATE.fullmatch(value):
        try:
            datetime.strptime(value, "%Y-%m-%dT%H:%M:%S")  # noqa: DTZ007 (a check only)
        except ValueError:
            pass
        else:
            return value
    raise InvalidValue(
        field="system_entry_date",
        reason=(
            "must be an aware datetime (its local time is used) or text "
            "YYYY-MM-DDThh:mm:ss, e.g. '2026-03-02T10:15:00'"
        ),
    )


def _amount(value: object, field: str) -> Money:
    """A non-negative amount in euros, with at most 2 decimals; floats refused."""
    if isinstance(value, Money):
        if value.currency.code != "EUR":
            raise InvalidValue(field=field, reason="must be in EUR, as in the SAF-T (PT)")
        money = value
    else:
        if isinstance(value, str | Decimal | int) and not isinstance(value, bool):
            try:
                money = Money(value, "EUR")
            except BackofficeError as error:
                if isinstance(error, TypeError):
                    raise
                raise InvalidValue(
                    field=field,
                    reason=f"must be an amount with at most 2 decimals, e.g. {_TOTAL_EXAMPLE}",
                ) from None
        elif isinstance(value, float):
            raise FloatNotAllowed(field=field, value=value, example=_TOTAL_EXAMPLE)
        else:
            raise InvalidType(
                field=field, expected="Money, Decimal, int or text", got=type(value).__name__
            )
    if money.is_negative():
        raise InvalidValue(field=field, reason="must not be negative")
    return money


def _text_amount(money: Money) -> str:
    return f"{money.amount:.2f}"


def signing_message(
    *,
    invoice_date: date,
    system_entry_date: datetime | str,
    invoice_no: str,
    gross_total: Money | Decimal | str | int,
    previous_hash: str = "",
) -> str:
    """The message signed for a document (Portaria n.º 363/2010, art. 6.º, n.º 1, a)
    to e)): ``InvoiceDate;SystemEntryDate;InvoiceNo;GrossTotal;PreviousHash``.

    Args:
        invoice_date: the document's date (SAF-T field 4.1.4.6, ``YYYY-MM-DD``).
        system_entry_date: when the document was recorded (field 4.1.4.9,
            ``YYYY-MM-DDThh:mm:ss``): an aware datetime, whose own local time is written
            (convert it to Lisbon, Azores or Madeira time first), or that text.
        invoice_no: the document number ``TYPE SERIES/NUMBER`` (field 4.1.4.1).
        gross_total: the total with taxes (field 4.1.4.15.3), written with 2 decimals
            and a dot; never a float.
        previous_hash: the signature of the previous document of the same series; empty
            for the first document of a series.

    Raises:
        FloatNotAllowed: ``gross_total`` is a float.
        NaiveDatetime: ``system_entry_date`` has no time zone.
        InvalidValue: a field with the wrong shape.

    >>> signing_message(invoice_date=date(2026, 3, 2), system_entry_date="2026-03-02T10:20:01",
    ...                 invoice_no="FT A/2", gross_total=Money("10", "EUR"),
    ...                 previous_hash="abc=")
    '2026-03-02;2026-03-02T10:20:01;FT A/2;10.00;abc='
    """
    _check_day(invoice_date)
    entry = _entry_date(system_entry_date)
    number = parse_document_number(invoice_no)
    total = _amount(gross_total, "gross_total")
    if not isinstance(previous_hash, str) or ";" in previous_hash or "\n" in previous_hash:
        raise InvalidValue(
            field="previous_hash",
            reason="must be the previous document's signature (base 64 text), or empty",
        )
    del number  # read for its checks only: the message keeps the text as recorded
    fields = (invoice_date.isoformat(), entry, invoice_no.strip(), _text_amount(total))
    return ";".join((*fields, previous_hash))


def _check_day(value: object) -> None:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidType(field="invoice_date", expected="a date", got=type(value).__name__)


def _invoice_no(value: str) -> str:
    return str(parse_document_number(value))


def _gross_total(value: Money | Decimal | str | int) -> Money:
    return _amount(value, "gross_total")


@attrs.frozen(slots=True)
class SaleDocument:
    """The fields of a document that its signature covers, and its signature.

    Attributes:
        invoice_date: the document's date.
        system_entry_date: when it was recorded, ``YYYY-MM-DDThh:mm:ss``.
        invoice_no: ``TYPE SERIES/NUMBER``.
        gross_total: the total with taxes, in euros.
        hash: the signature (SAF-T field Hash); empty until signed.
    """

    invoice_date: date = attrs.field(validator=lambda _, __, value: _check_day(value))
    system_entry_date: str = attrs.field(converter=_entry_date)
    invoice_no: str = attrs.field(converter=_invoice_no)
    gross_total: Money = attrs.field(converter=_gross_total)
    hash: str = ""

    @property
    def number(self) -> DocumentNumber:
        """The document number, read."""
        return parse_document_number(self.invoice_no)

    def message(self, previous_hash: str = "") -> str:
        """The message to sign, given the previous signature of the series."""
        return signing_message(
            invoice_date=self.invoice_date,
            system_entry_date=self.system_entry_date,
            invoice_no=self.invoice_no,
            gross_total=self.gross_total,
            previous_hash=previous_hash,
        )


def sign_documents(
    documents: Iterable[SaleDocument],
    signer: Signer,
    *,
    previous: Mapping[str, str] | None = None,
) -> list[SaleDocument]:
    """Sign documents in the order given, chaining each series.

    Each document's message ends with the signature of the previous document of the same
    series (``TYPE SERIES``), or with nothing for the first one (Portaria n.º 363/2010,
    art. 6.º, n.º 1, e)).

    Args:
        documents: the documents, in issue order; several series may be mixed.
        signer: signs a message (RSA-SHA1 in base 64 in production).
        previous: to continue existing chains, the last signature of each series
            (``{"FT A": "..."}``).

    Returns:
        Copies of the documents with their ``hash`` filled.
    """
    last: dict[str, str] = dict(previous or {})
    signed: list[SaleDocument] = []
    for document in documents:
        if not isinstance(document, SaleDocument):
            raise InvalidType(
                field="documents", expected="SaleDocument items", got=type(document).__name__
            )
        series = document.number.series_key
        signature = signer.sign(document.message(last.get(series, "")))
        if not isinstance(signature, str) or not signature:
            raise InvalidValue(field="signer", reason="sign() must return the signature as text")
        last[series] = signature
        signed.append(attrs.evolve(document, hash=signature))
    return signed


@attrs.frozen(slots=True)
class ChainCheck:
    """What :func:`verify_chain` found.

    Attributes:
        valid: whether every link holds.
        index: the position of the first broken document, or ``None``.
        invoice_no: that document's number, or ``None``.
        reason: why it is broken, or ``None``.
    """

    valid: bool
    index: int | None = None
    invoice_no: str | None = None
    reason: str | None = None

    def __bool__(self) -> bool:
        return self.valid


def verify_chain(
    documents: Iterable[SaleDocument],
    verifier: Verifier,
    *,
    previous: Mapping[str, str] | None = None,
) -> ChainCheck:
    """Check the signature chain of documents, in issue order, and report the first
    broken link.

    For each series, the first document's message ends with an empty previous hash
    (or with ``previous[series]`` when given) and each next one with the signature of
    the document before it; numbers in a series follow each other (1, 2, 3...; the
    sequential numbering of the Código do IVA, art. 36.º, n.º 5, b)). A document removed,
    inserted, reordered or altered breaks the chain there.

    Args:
        documents: the signed documents, in issue order; series may be mixed.
        verifier: checks one signature.
        previous: the last signature of each series before these documents.

    Returns:
        A :class:`ChainCheck`, true when the whole chain holds.
    """
    last: dict[str, str] = dict(previous or {})
    numbers: dict[str, int] = {}
    for index, document in enumerate(documents):
        if not isinstance(document, SaleDocument):
            raise InvalidType(
                field="documents", expected="SaleDocument items", got=type(document).__name__
            )
        number = document.number
        series = number.series_key
        reason = _broken_link(document, number, numbers.get(series), last.get(series, ""), verifier)
        if reason is not None:
            return ChainCheck(False, index, document.invoice_no, reason)
        last[series] = document.hash
        numbers[series] = number.number
    return ChainCheck(True)


def _broken_link(
    document: SaleDocument,
    number: DocumentNumber,
    previous_number: int | None,
    previous_hash: str,
    verifier: Verifier,
) -> str | None:
    if not document.hash:
        return "the document is not signed"
    if previous_number is not None and number.number != previous_number + 1:
        return (
            f"number {number.number} follows {previous_number} in series "
            f"{number.series_key}: a document is missing, repeated or out of order"
        )
    if not verifier.verify(document.message(previous_hash), document.hash):
        return (
            "the signature does not match the document and the previous signature of its "
            "series: the document or the one before it was altered, removed or reordered"
        )
    return None


def printed_hash_characters(signature: str) -> str:
    """The four characters of the signature printed on the document: the 1st, 11th,
    21st and 31st (Portaria n.º 363/2010, art. 6.º, n.º 3, a)); also field Q of the QR
    code.

    >>> printed_hash_characters("k" + "x" * 9 + "L" + "x" * 9 + "p" + "x" * 9 + "0xyz")
    'kLp0'
    """
    if not isinstance(signature, str):
        raise InvalidType(field="signature", expected="text", got=type(signature).__name__)
    if len(signature) < 31:
        raise InvalidValue(
            field="signature",
            reason="has fewer than 31 characters: pass the whole base 64 signature",
        )
    return signature[0] + signature[10] + signature[20] + signature[30]


def printed_signature_mention(signature: str, certificate: int | str) -> str:
    """The mention printed on the document: the four characters, a hyphen and
    "Processado por programa certificado n.º" with the software's certificate number
    (Portaria n.º 363/2010, art. 6.º, n.º 3, a) and b); the ``/AT`` suffix is asked by
    the AT's technical requirements, Despacho n.º 8632/2014).

    >>> printed_signature_mention("k" + "x" * 9 + "L" + "x" * 9 + "p" + "x" * 9 + "0", 9999)
    'kLp0-Processado por programa certificado n.º 9999/AT'
    """
    number = str(certificate)
    if isinstance(certificate, bool) or not number.isdigit() or not number.isascii():
        raise InvalidValue(field="certificate", reason="must be the certificate number, digits")
    return (
        f"{printed_hash_characters(signature)}-Processado por programa certificado n.º {number}/AT"
    )


# -- the QR code ------------------------------------------------------------------------

#: The fields of the payload, in their mandatory order (AT, "Especificações Técnicas
#: Código de Barras Bidimensional (Código QR)", table of fields; Portaria n.º 195/2020,
#: art. 6.º).
QR_FIELDS: Final[tuple[str, ...]] = (
    "A", "B", "C", "D", "E", "F", "G", "H",
    *(f"I{n}" for n in range(1, 9)),
    *(f"J{n}" for n in range(1, 9)),
    *(f"K{n}" for n in range(1, 9)),
    "L", "M", "N", "O", "P", "Q", "R", "S",
)  # fmt: skip
_REQUIRED: Final = frozenset({"A", "B", "C", "D", "E", "F", "G", "H", "I1", "N", "O", "Q", "R"})
_POSITION: Final = {code: index for index, code in enumerate(QR_FIELDS)}

#: Document types of the SAF-T (PT) (InvoiceType 4.1.4.8, MovementType 4.2.3.8,
#: WorkType 4.3.4.8, PaymentType 4.4.4.7), the values of field D.
DOCUMENT_TYPES: Final = frozenset(
    {
        "FT", "FS", "FR", "ND", "NC",  # invoices and notes
        "GR", "GT", "GA", "GC", "GD",  # transport documents
        "CM", "CC", "FC", "FO", "NE", "OU", "OR", "PF", "RP", "RE", "CS", "LD", "RA",
        "RC", "RG",  # receipts
    }
)  # fmt: skip

#: Document statuses of the SAF-T (PT) (InvoiceStatus, MovementStatus, WorkStatus,
#: PaymentStatus), the values of field E: N normal, S self-billed, A cancelled, R summary
#: document, F invoiced, T issued on behalf of a third party.
DOCUMENT_STATUSES: Final = frozenset({"N", "S", "A", "R", "F", "T"})

#: Tax regions of fields I1, J1 and K1: mainland, Azores, Madeira; ``0`` in I1 for a
#: document with no VAT.
_REGIONS: Final = ("PT", "PT-AC", "PT-MA")
_AMOUNT_TEXT: Final = re.compile(r"[0-9]{1,13}\.[0-9]{2}")
_HASH_CHARS: Final = re.compile(r"[A-Za-z0-9+/=]{4}")
_COUNTRY: Final = re.compile(r"[A-Z]{2}")
_AMOUNT_FIELDS: Final = (
    "exempt_base",
    "reduced_base",
    "reduced_vat",
    "intermediate_base",
    "intermediate_vat",
    "normal_base",
    "normal_vat",
)


def _to_amount(value: Money | Decimal | str | int | None) -> Money | None:
    return None if value is None else _amount(value, "amount")


@attrs.frozen(slots=True)
class TaxRegion:
    """The VAT breakdown of one tax region (fields I, J or K of the QR code).

    Amounts are in euros (``Money``, ``Decimal``, ``int`` or text; never a float) and
    left out of the payload when ``None``.

    Attributes:
        region: ``"PT"`` (mainland), ``"PT-AC"`` (Azores), ``"PT-MA"`` (Madeira), or
            ``"0"`` for a document without VAT (only as the first region).
        exempt_base: taxable base exempt from VAT (I2).
        reduced_base: base at the reduced rate (I3).
        reduced_vat: VAT at the reduced rate (I4).
        intermediate_base: base at the intermediate rate (I5).
        intermediate_vat: VAT at the intermediate rate (I6).
        normal_base: base at the normal rate (I7).
        normal_vat: VAT at the normal rate (I8).
    """

    region: str
    exempt_base: Money | None = attrs.field(default=None, converter=_to_amount)
    reduced_base: Money | None = attrs.field(default=None, converter=_to_amount)
    reduced_vat: Money | None = attrs.field(default=None, converter=_to_amount)
    intermediate_base: Money | None = attrs.field(default=None, converter=_to_amount)
    intermediate_vat: Money | None = attrs.field(default=None, converter=_to_amount)
    normal_base: Money | None = attrs.field(default=None, converter=_to_amount)
    normal_vat: Money | None = attrs.field(default=None, converter=_to_amount)

    def __attrs_post_init__(self) -> None:
        if self.region not in (*_REGIONS, "0"):
            raise InvalidValue(
                field="region", reason="must be 'PT', 'PT-AC', 'PT-MA', or '0' (no VAT)"
            )
        if self.region == "0" and any(getattr(self, name) is not None for name in _AMOUNT_FIELDS):
            raise InvalidValue(field="region", reason="a document without VAT ('0') has no amounts")

    def amounts(self) -> tuple[Money | None, ...]:
        """The seven amounts, in the order of fields 2 to 8."""
        return tuple(getattr(self, name) for name in _AMOUNT_FIELDS)


def _to_money(value: Money | Decimal | str | int) -> Money:
    return _amount(value, "amount")


def _to_regions(value: Iterable[TaxRegion]) -> tuple[TaxRegion, ...]:
    return tuple(value)


@attrs.frozen(slots=True, repr=False)
class QrCode:
    """The content of a document's QR code (Portaria n.º 195/2020, art. 6.º, and the
    AT's technical specification of the QR code).

    Attributes:
        issuer_nif: A, the issuer's NIF (9 digits, checked).
        buyer_nif: B, the buyer's tax number: a Portuguese NIF when ``buyer_country``
            is ``"PT"`` (``999999990`` for an unidentified final consumer), otherwise
            the foreign number as written, up to 30 characters.
        buyer_country: C, ISO 3166-1 alpha-2 code, or ``"Desconhecido"``.
        document_type: D, the SAF-T document type (``"FT"``, ``"FS"``, ``"NC"``...).
        status: E, the document status (``"N"`` normal, ``"A"`` cancelled...).
        document_date: F, the document's date.
        document_id: G, ``TYPE SERIES/NUMBER``.
        atcud: H, the ATCUD, or ``"0"`` where none is due.
        regions: I, J and K: the first region goes in I; further ones are the Azores
            (J) and Madeira (K).
        non_taxable: L, amount not subject to VAT.
        stamp_duty: M, stamp duty.
        total_taxes: N, total of taxes.
        gross_total: O, total of the document with taxes.
        withholding: P, tax withheld at source.
        hash_characters: Q, the four characters of the signature.
        certificate: R, the software's certificate number (``"0"`` if none).
        other: S, other information, up to 65 characters.
    """

    issuer_nif: str
    buyer_nif: str
    buyer_country: str
    document_type: str
    status: str
    document_date: date
    document_id: str
    atcud: str
    regions: tuple[TaxRegion, ...] = attrs.field(converter=_to_regions)
    total_taxes: Money = attrs.field(converter=_to_money)
    gross_total: Money = attrs.field(converter=_to_money)
    hash_characters: str
    certificate: str
    non_taxable: Money | None = attrs.field(default=None, converter=_to_amount)
    stamp_duty: Money | None = attrs.field(default=None, converter=_to_amount)
    withholding: Money | None = attrs.field(default=None, converter=_to_amount)
    other: str | None = None

    def __attrs_post_init__(self) -> None:
        problems = list(_qr_problems(self))
        if problems:
            raise ValidationError(problems)

    def __repr__(self) -> str:
        return (
            f"QrCode(issuer_nif={mask(self.issuer_nif)!r}, buyer_nif={mask(self.buyer_nif)!r}, "
            f"document_id={self.document_id!r}, atcud={self.atcud!r}, "
            f"gross_total={self.gross_total!r})"
        )

    def payload(self) -> str:
        """The text to encode in the QR code; see :func:`build_qr_payload`."""
        return build_qr_payload(self)


def _nif_problem(code: str, value: str) -> Problem | None:
    try:
        taxid.validate(value, "PT", "nif")
    except BackofficeError as error:
        return Problem.from_error(code, error)
    if not value.isdigit() or len(value) != 9:
        return _problem(code, "write the NIF as 9 digits, without the PT prefix")
    return None


def _problem(path: str, reason: str) -> Problem:
    return Problem.from_error(path, InvalidValue(field=path, reason=reason))


def _free_text(code: str, value: object, limit: int) -> Problem | None:
    if not isinstance(value, str) or not value or len(value) > limit:
        return _problem(code, f"must be text of 1 to {limit} characters")
    if "*" in value or not value.isprintable():
        return _problem(code, "must not contain '*' (the field separator) or control characters")
    return None


def _text_problems(values: Mapping[str, str]) -> Iterable[Problem]:
    """The checks of the text fields, keyed by their QR code letter (those present)."""
    if "A" in values:
        found = _nif_problem("A", values["A"])
        if found:
            yield found
    if "B" in values:
        if values.get("C") == "PT":
            found = _nif_problem("B", values["B"])
        else:
            found = _free_text("B", values["B"], 30)
        if found:
            yield found
    country = values.get("C")
    if country is not None and country != "Desconhecido" and not _COUNTRY.fullmatch(country):
        yield _problem("C", "must be an ISO 3166-1 alpha-2 country code ('PT') or 'Desconhecido'")
    if "D" in values and values["D"] not in DOCUMENT_TYPES:
        yield _problem("D", "must be a SAF-T (PT) document type: FT, FS, FR, ND, NC, GR, GT, RG...")
    if "E" in values and values["E"] not in DOCUMENT_STATUSES:
        yield _problem("E", "must be a SAF-T (PT) status: N, S, A, R, F or T")
    number: DocumentNumber | None = None
    if "G" in values:
        try:
            number = parse_document_number(values["G"])
        except InvalidValue as error:
            yield Problem.from_error("G", error)
    if "H" in values and values["H"] != "0":
        try:
            atcud = parse_atcud(values["H"])
            if number is not None:
                check_atcud(atcud, number)
        except InvalidValue as error:
            yield Problem.from_error("H", error)
    if "Q" in values and not _HASH_CHARS.fullmatch(values["Q"]):
        yield _problem("Q", "must be the 4 characters printed from the signature")
    certificate = values.get("R")
    if certificate is not None and not (
        certificate.isdigit() and certificate.isascii() and len(certificate) <= 4
    ):
        yield _problem("R", "must be the certificate number, up to 4 digits ('0' if none)")
    if "S" in values:
        found = _free_text("S", values["S"], 65)
        if found:
            yield found


_TEXT_FIELDS: Final = (
    ("A", "issuer_nif"),
    ("B", "buyer_nif"),
    ("C", "buyer_country"),
    ("D", "document_type"),
    ("E", "status"),
    ("G", "document_id"),
    ("H", "atcud"),
    ("Q", "hash_characters"),
    ("R", "certificate"),
)


def _qr_problems(qr: QrCode) -> Iterable[Problem]:
    values: dict[str, str] = {}
    for code, name in _TEXT_FIELDS:
        value = getattr(qr, name)
        if not isinstance(value, str):
            yield Problem.from_error(
                name, InvalidType(field=name, expected="text", got=type(value).__name__)
            )
            return
        values[code] = value
    if qr.other is not None:
        values["S"] = qr.other
    yield from _text_problems(values)
    if isinstance(qr.document_date, datetime) or not isinstance(qr.document_date, date):
        yield _problem("F", "must be a date")
    if not 1 <= len(qr.regions) <= 3 or not all(isinstance(r, TaxRegion) for r in qr.regions):
        yield _problem("I1", "give one to three TaxRegion: the first, then Azores, then Madeira")
    else:
        later = [region.region for region in qr.regions[1:]]
        allowed = [name for name in ("PT-AC", "PT-MA") if name != qr.regions[0].region]
        if (
            (qr.regions[0].region == "0" and later)
            or any(name not in allowed for name in later)
            or later != sorted(set(later), key=later.index)
            or later != [name for name in allowed if name in later]
        ):
            yield _problem(
                "J1",
                "after the first region come only the Azores (PT-AC, field J) then Madeira "
                "(PT-MA, field K), each once",
            )


def _region_prefix(index: int, region: TaxRegion) -> str:
    if index == 0:
        return "I"
    return "J" if region.region == "PT-AC" else "K"


def build_qr_payload(qr: QrCode) -> str:
    """The QR code's text: ``A:...*B:...*...``, fields in their fixed order, optional
    fields left out when empty, amounts with 2 decimals and a dot.

    The example of the AT's specification:

    >>> qr = QrCode(issuer_nif="123456789", buyer_nif="999999990", buyer_country="PT",
    ...     document_type="FT", status="N", document_date=date(2019, 12, 31),
    ...     document_id="FT AB2019/0035", atcud="CSDF7T5H-0035",
    ...     regions=[TaxRegion("PT", "12000.00", "15000.00", "900.00", "50000.00",
    ...                        "6500.00", "80000.00", "18400.00")],
    ...     total_taxes="25800.00", gross_total="182800.00", hash_characters="kLp0",
    ...     certificate="9999")
    >>> print(build_qr_payload(qr).replace("*I1", "\\n*I1").replace("*N", "\\n*N"))
    A:123456789*B:999999990*C:PT*D:FT*E:N*F:20191231*G:FT AB2019/0035*H:CSDF7T5H-0035
    *I1:PT*I2:12000.00*I3:15000.00*I4:900.00*I5:50000.00*I6:6500.00*I7:80000.00*I8:18400.00
    *N:25800.00*O:182800.00*Q:kLp0*R:9999
    """
    if not isinstance(qr, QrCode):
        raise InvalidType(field="qr", expected="a QrCode", got=type(qr).__name__)
    parts = [
        ("A", qr.issuer_nif),
        ("B", qr.buyer_nif),
        ("C", qr.buyer_country),
        ("D", qr.document_type),
        ("E", qr.status),
        ("F", qr.document_date.strftime("%Y%m%d")),
        ("G", qr.document_id),
        ("H", qr.atcud),
    ]
    for index, region in enumerate(qr.regions):
        prefix = _region_prefix(index, region)
        parts.append((f"{prefix}1", region.region))
        for offset, amount in enumerate(region.amounts(), start=2):
            if amount is not None:
                parts.append((f"{prefix}{offset}", _text_amount(amount)))
    for code, amount in (
        ("L", qr.non_taxable),
        ("M", qr.stamp_duty),
        ("N", qr.total_taxes),
        ("O", qr.gross_total),
        ("P", qr.withholding),
    ):
        if amount is not None:
            parts.append((code, _text_amount(amount)))
    parts.append(("Q", qr.hash_characters))
    parts.append(("R", qr.certificate))
    if qr.other is not None:
        parts.append(("S", qr.other))
    return "*".join(f"{code}:{value}" for code, value in parts)


def parse_qr_payload(text: str) -> QrCode:
    """Read a QR code's text back, checking the fields, their order and their values.

    Raises:
        InvalidType: not a string.
        ValidationError: every problem found: an unknown, repeated or misplaced field,
            a required field missing (A to H, I1, N, O, Q, R), a bad amount (2 decimals
            and a dot), a bad NIF, an ATCUD whose number is not the document's...

    >>> qr = parse_qr_payload("A:123456789*B:999999990*C:PT*D:FS*E:N*F:20260302*"
    ...                       "G:FS A/7*H:JFJ6CGKC-7*I1:PT*I7:10.00*I8:2.30*N:2.30*"
    ...                       "O:12.30*Q:Ab+9*R:1234")
    >>> qr.gross_total, qr.regions[0].normal_vat
    (Money('12.30', 'EUR'), Money('2.30', 'EUR'))
    """
    if not isinstance(text, str):
        raise InvalidType(field="payload", expected="text", got=type(text).__name__)
    if len(text) > 2000:
        raise InvalidValue(field="payload", reason="is longer than any QR code payload")
    problems: list[Problem] = []
    values: dict[str, str] = {}
    last = -1
    for item in text.strip().split("*"):
        code, colon, value = item.partition(":")
        if not colon or code not in _POSITION:
            problems.append(
                _problem("payload", f"{item[:10]!r} is not a field CODE:value with a known code")
            )
            continue
        if code in values:
            problems.append(_problem(code, "appears twice"))
            continue
        if _POSITION[code] < last:
            problems.append(_problem(code, f"comes after {QR_FIELDS[last]}: keep the fixed order"))
        last = max(last, _POSITION[code])
        values[code] = value
    for code in sorted(_REQUIRED - values.keys(), key=_POSITION.__getitem__):
        problems.append(_problem(code, "is required"))
    amounts: dict[str, Money] = {}
    for code, value in values.items():
        if code in {"L", "M", "N", "O", "P"} or (code[0] in "IJK" and code[1:] != "1"):
            if not _AMOUNT_TEXT.fullmatch(value):
                problems.append(_problem(code, "must be an amount with 2 decimals and a dot"))
            else:
                amounts[code] = Money(value, "EUR")
    regions: list[TaxRegion] = []
    for prefix in "IJK":
        if f"{prefix}1" not in values:
            extra = [code for code in values if code[0] == prefix]
            if extra:
                problems.append(_problem(extra[0], f"needs {prefix}1, the tax region, before it"))
            continue
        name = values[f"{prefix}1"]
        expected = {"I": (*_REGIONS, "0"), "J": ("PT-AC",), "K": ("PT-MA",)}[prefix]
        if name not in expected:
            problems.append(_problem(f"{prefix}1", f"must be one of {', '.join(expected)}"))
            continue
        try:
            regions.append(TaxRegion(name, *(amounts.get(f"{prefix}{n}") for n in range(2, 9))))
        except InvalidValue as error:
            problems.append(Problem.from_error(f"{prefix}1", error))
    document_date: date | None = None
    if "F" in values:
        text = values["F"]
        try:
            if len(text) != 8 or not text.isdigit():
                raise ValueError(text)
            document_date = datetime.strptime(text, "%Y%m%d").date()  # noqa: DTZ007
        except ValueError:
            problems.append(_problem("F", "must be a date YYYYMMDD"))
    problems.extend(_text_problems(values))
    if problems:
        problems.sort(key=lambda problem: _POSITION.get(problem.path, -1))
        raise ValidationError(problems)
    assert document_date is not None
    return QrCode(
        issuer_nif=values["A"],
        buyer_nif=values["B"],
        buyer_country=values["C"],
        document_type=values["D"],
        status=values["E"],
        document_date=document_date,
        document_id=values["G"],
        atcud=values["H"],
        regions=regions,
        total_taxes=amounts["N"],
        gross_total=amounts["O"],
        hash_characters=values["Q"],
        certificate=values["R"],
        non_taxable=amounts.get("L"),
        stamp_duty=amounts.get("M"),
        withholding=amounts.get("P"),
        other=values.get("S"),
    )
