"""Brazil: the access key (chave de acesso) of the NF-e, the NFC-e and their siblings.

Every Brazilian electronic fiscal document coordinated by ENCAT (NF-e model 55, NFC-e
model 65, CT-e model 57, MDF-e model 58, CT-e OS model 67) is identified by a 44
character access key, laid out by the *Manual de Orientação do Contribuinte* (MOC,
version 7.0, Anexo I "Leiaute e Regras de Validação da NF-e e da NFC-e", item 5.4
"Chave de Acesso"; the CT-e and MDF-e manuals use the same layout):

| Field  | Width | Content                                                   |
|--------|-------|-----------------------------------------------------------|
| cUF    | 2     | IBGE code of the issuer's state (11 Rondônia ... 53 DF)   |
| AAMM   | 4     | year and month of issue                                   |
| CNPJ   | 14    | the issuer's CNPJ (or CPF, see below)                     |
| mod    | 2     | model of the document (55, 65, 57, 58, 67)                |
| serie  | 3     | series, 000 to 999                                        |
| nNF    | 9     | number of the document, 000000001 to 999999999            |
| tpEmis | 1     | form of emission, 1 to 9                                  |
| cNF    | 8     | numeric code chosen by the issuer                         |
| cDV    | 1     | check digit                                               |

The check digit (MOC, item 5.4; field B23 of Anexo I) is a modulo 11 over the 43
characters before it, with the weights 2, 3, ..., 9 repeated from the right; a
remainder of 0 or 1 gives the digit 0, any other remainder ``r`` gives ``11 - r``.

**Alphanumeric CNPJ.** From July 2026 the Receita Federal issues CNPJs whose first 12
characters are digits or capital letters, the last two staying numeric check digits
(Instrução Normativa RFB n.º 2.229, de 15 de outubro de 2024). The Nota Técnica
Conjunta 2025.001 (version 1.00 of 25 April 2025, item 2 "Nova lei de formação do
número do CNPJ") carries the change into the fiscal documents: the CNPJ fields, the
key's included, follow the pattern ``[A-Z0-9]{12}[0-9]{2}``, and the check digits keep
the modulo 11 with each character counted as its ASCII code minus 48 (``"0"`` to
``"9"`` keep their value, ``"A"`` is 17, ``"Z"`` is 42). This module computes the
key's own check digit with the same values, which leaves the digit of every numeric
key unchanged; check it against the current version of the NT before relying on it for
keys with letters.

Two blind spots of that modulo 11 remain, by design of the rule and not of this
module: remainders 0 and 1 both give the digit 0, and in the CNPJ field two characters
whose values differ by 11 (``"6"`` and ``"A"``, ``"7"`` and ``"B"``...) weigh the same,
so swapping them changes neither the CNPJ's check digits nor the key's.

CNPJ check digits are checked through :mod:`backoffice.taxid` (python-stdnum 2.2 or
later reads the alphanumeric CNPJ).

**Issuer with a CPF.** A natural person who issues an NF-e (a rural producer, the
NFA-e of some states) has no CNPJ: the MOC (item 5.4, note on the CNPJ field) puts the
CPF there, padded to 14 characters with ``000`` on the left. :func:`parse_access_key`
reads the field as a CNPJ first; when that fails and the field is ``000`` followed by a
valid CPF, the issuer is that CPF (:attr:`AccessKey.issuer_kind` is ``"cpf"``), and the
key is masked in ``repr`` since a CPF is personal data. A field that is valid both
ways (very rare) is read as a CNPJ.

>>> key = parse_access_key("3315 0308 3707 7900 0149 5500 1000 1100 9310 0241 0775")
>>> key.state, key.model_name, key.number, key.issuer
('RJ', 'NF-e', 110093, '08370779000149')
>>> format_access_key(key)
'3315 0308 3707 7900 0149 5500 1000 1100 9310 0241 0775'
>>> is_valid_access_key("33150308370779000149550010001100931002410776")
False
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Final, Literal

import attrs

from backoffice import taxid
from backoffice.errors import (
    BackofficeError,
    InvalidType,
    InvalidValue,
    Problem,
    TaxIdMismatch,
    ValidationError,
)
from backoffice.taxid.model import mask

__all__ = [
    "EMISSION_TYPES",
    "MODELS",
    "STATE_CODES",
    "AccessKey",
    "access_key_check_digit",
    "build_access_key",
    "check_parties",
    "format_access_key",
    "is_valid_access_key",
    "parse_access_key",
    "parties_consistent",
]

#: The IBGE codes of the 27 federative units, as used in the cUF field (MOC, Anexo I,
#: field B02, "Código da UF do emitente do Documento Fiscal", IBGE table of units).
STATE_CODES: Final[Mapping[int, str]] = {
    11: "RO", 12: "AC", 13: "AM", 14: "RR", 15: "PA", 16: "AP", 17: "TO",
    21: "MA", 22: "PI", 23: "CE", 24: "RN", 25: "PB", 26: "PE", 27: "AL", 28: "SE",
    29: "BA", 31: "MG", 32: "ES", 33: "RJ", 35: "SP", 41: "PR", 42: "SC", 43: "RS",
    50: "MS", 51: "MT", 52: "GO", 53: "DF",
}  # fmt: skip

#: The document models that share the 44-character key layout (MOC 7.0 field B06 for
#: 55 and 65; Manual de Orientação do Contribuinte do CT-e and do MDF-e for 57, 67, 58).
MODELS: Final[Mapping[int, str]] = {
    55: "NF-e",
    57: "CT-e",
    58: "MDF-e",
    65: "NFC-e",
    67: "CT-e OS",
}

#: Forms of emission, field tpEmis (MOC 7.0, Anexo I, field B22): 1 normal; 2 contingency
#: on security paper (FS-IA); 3 SCAN (retired, kept for old keys); 4 EPEC; 5 security
#: paper (FS-DA); 6 SVC-AN; 7 SVC-RS; 8 SVC-SP (CT-e); 9 offline contingency (NFC-e).
EMISSION_TYPES: Final[Mapping[int, str]] = {
    1: "normal",
    2: "FS-IA contingency",
    3: "SCAN contingency",
    4: "EPEC contingency",
    5: "FS-DA contingency",
    6: "SVC-AN contingency",
    7: "SVC-RS contingency",
    8: "SVC-SP contingency",
    9: "offline contingency (NFC-e)",
}

_LENGTH: Final = 44
_ALPHANUMERIC: Final = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DIGITS: Final = frozenset("0123456789")
#: Prefixes of the ``Id`` attribute of the XML documents (``NFe3515...``).
_ID_PREFIXES: Final = ("MDFe", "NFe", "CTe")
_KEY_FIELD: Final = "chave de acesso"


def access_key_check_digit(first_43: str) -> int:
    """The check digit (cDV) of the 43 characters that precede it.

    Modulo 11 with the weights 2 to 9 from the right (MOC 7.0, item 5.4); each character
    counts as its ASCII code minus 48, so digits keep their value and the letters of an
    alphanumeric CNPJ count 17 (``A``) to 42 (``Z``) (Nota Técnica Conjunta 2025.001).

    Args:
        first_43: the key without its last character, digits and capital letters.

    Returns:
        The digit, 0 to 9.

    Raises:
        InvalidValue: not 43 digits or capital letters.

    >>> access_key_check_digit("3315030837077900014955001000110093100241077")
    5
    """
    if not isinstance(first_43, str):
        raise InvalidType(field="first_43", expected="text", got=type(first_43).__name__)
    if len(first_43) != _LENGTH - 1 or not set(first_43) <= _ALPHANUMERIC:
        raise InvalidValue(
            field="first_43", reason="must be the first 43 characters of an access key"
        )
    total = 0
    weight = 2
    for char in reversed(first_43):
        total += (ord(char) - 48) * weight
        weight = 2 if weight == 9 else weight + 1
    remainder = total % 11
    return 0 if remainder < 2 else 11 - remainder


@attrs.frozen(slots=True, repr=False)
class AccessKey:
    """A checked access key. Read one with :func:`parse_access_key`, compose one with
    :func:`build_access_key`; built from its fields directly, it checks them the same
    way (a wrong field raises :class:`~backoffice.errors.ValidationError`).

    Attributes:
        uf: the IBGE code of the issuer's state (cUF), e.g. 35 for São Paulo.
        year: the year of issue, four digits (AAMM reads ``26`` as 2026).
        month: the month of issue, 1 to 12.
        issuer: the CNPJ field, 14 characters as in the key (a CPF keeps its ``000``).
        issuer_kind: ``"cnpj"`` or ``"cpf"``.
        model: the document model (mod): 55, 65, 57, 58 or 67.
        series: the series (serie), 0 to 999.
        number: the document number (nNF), 1 to 999999999.
        emission_type: the form of emission (tpEmis), 1 to 9.
        code: the numeric code (cNF), 8 digits as text.
        check_digit: the check digit (cDV).
    """

    uf: int
    year: int
    month: int
    issuer: str
    issuer_kind: Literal["cnpj", "cpf"]
    model: int
    series: int
    number: int
    emission_type: int
    code: str
    check_digit: int

    def __attrs_post_init__(self) -> None:
        problems = _field_problems(self)
        if problems:
            raise ValidationError(problems)

    @property
    def key(self) -> str:
        """The 44 characters."""
        return (
            f"{self.uf:02d}{self.year % 100:02d}{self.month:02d}{self.issuer}"
            f"{self.model:02d}{self.series:03d}{self.number:09d}{self.emission_type}"
            f"{self.code}{self.check_digit}"
        )

    @property
    def state(self) -> str:
        """The two-letter abbreviation of the issuer's state (``"SP"``)."""
        return STATE_CODES[self.uf]

    @property
    def model_name(self) -> str:
        """``"NF-e"``, ``"NFC-e"``, ``"CT-e"``, ``"MDF-e"`` or ``"CT-e OS"``."""
        return MODELS[self.model]

    @property
    def issuer_id(self) -> str:
        """The issuer's identifier without padding: 14 characters for a CNPJ, 11 for a
        CPF."""
        return self.issuer[3:] if self.issuer_kind == "cpf" else self.issuer

    @property
    def issuer_taxid(self) -> taxid.TaxId:
        """The issuer's identifier as a :class:`~backoffice.taxid.TaxId`."""
        return taxid.parse(self.issuer_id, "BR", self.issuer_kind)

    @property
    def personal(self) -> bool:
        """Whether the key holds a CPF (personal data: masked in ``repr``)."""
        return self.issuer_kind == "cpf"

    def masked(self) -> str:
        """The key with the issuer's CPF hidden (unchanged for a CNPJ)."""
        if not self.personal:
            return self.key
        key = self.key
        return key[:6] + "*" * 12 + key[18:]

    def __str__(self) -> str:
        return self.masked()

    def __repr__(self) -> str:
        return f"AccessKey({self.masked()!r})"


def _clean_key(text: object) -> str:
    if not isinstance(text, str):
        raise InvalidType(field=_KEY_FIELD, expected="text", got=type(text).__name__)
    if len(text) > 100:
        raise InvalidValue(
            field=_KEY_FIELD, reason="is far longer than 44 characters: pass the key alone"
        )
    key = "".join(text.split()).upper()
    for prefix in _ID_PREFIXES:
        if key.startswith(prefix.upper()) and len(key) == _LENGTH + len(prefix):
            key = key[len(prefix) :]
            break
    if len(key) != _LENGTH:
        raise InvalidValue(
            field=_KEY_FIELD,
            reason=(
                f"must have 44 characters, got {len(key)}; copy the whole key as printed "
                "under the bar code of the DANFE"
            ),
        )
    for position, char in enumerate(key, start=1):
        allowed = _ALPHANUMERIC if 7 <= position <= 18 else _DIGITS
        if char not in allowed:
            what = "digits or capital letters" if allowed is _ALPHANUMERIC else "digits"
            raise InvalidValue(
                field=_KEY_FIELD,
                reason=(
                    f"character {position} must be one of the {what} allowed there; "
                    "only the first 12 characters of the CNPJ field (positions 7 to 18) "
                    "may be letters"
                ),
            )
    return key


def _is_padded_cpf(field: str) -> bool:
    return (
        field.startswith("000") and field[3:].isdigit() and taxid.is_valid(field[3:], "BR", "cpf")
    )


def _issuer_kind(field: str) -> Literal["cnpj", "cpf"]:
    """How to read the CNPJ field: a CNPJ, unless it is ``000`` and a CPF and no CNPJ."""
    if not taxid.is_valid(field, "BR", "cnpj") and _is_padded_cpf(field):
        return "cpf"
    return "cnpj"


def _issuer_problem(field: str, kind: str) -> Problem | None:
    if kind == "cpf":
        if _is_padded_cpf(field):
            return None
        return _problem("CNPJ", "a CPF in the CNPJ field is 000 followed by a valid CPF")
    try:
        taxid.validate(field, "BR", "cnpj")
    except BackofficeError as error:
        return Problem.from_error("CNPJ", error)
    return None


def _int(value: object, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidType(field=field, expected="an int", got=type(value).__name__)
    if not low <= value <= high:
        raise InvalidValue(field=field, reason=f"must be {low} to {high}, got {value}")
    return value


def _field_problems(key: AccessKey) -> list[Problem]:
    """Check an access key's fields: their shape first (raised at once), then their
    meaning (every problem collected)."""
    _int(key.uf, "cUF", 0, 99)
    _int(key.year, "AAMM", 2000, 2099)
    _int(key.month, "AAMM", 0, 99)
    _int(key.model, "mod", 0, 99)
    _int(key.series, "serie", 0, 999)
    _int(key.number, "nNF", 0, 999_999_999)
    _int(key.emission_type, "tpEmis", 0, 9)
    _int(key.check_digit, "cDV", 0, 9)
    if key.issuer_kind not in ("cnpj", "cpf"):
        raise InvalidValue(field="issuer_kind", reason="must be 'cnpj' or 'cpf'")
    if (
        not isinstance(key.issuer, str)
        or len(key.issuer) != 14
        or not set(key.issuer[:12]) <= _ALPHANUMERIC
        or not set(key.issuer[12:]) <= _DIGITS
    ):
        raise InvalidValue(field="CNPJ", reason="must be 14 characters, as in the key")
    if not isinstance(key.code, str) or len(key.code) != 8 or not set(key.code) <= _DIGITS:
        raise InvalidValue(field="cNF", reason="must be 8 digits")
    problems: list[Problem] = []
    if key.uf not in STATE_CODES:
        problems.append(
            _problem("cUF", f"{key.uf:02d} is no IBGE state code; use 11 (RO) to 53 (DF)")
        )
    if not 1 <= key.month <= 12:
        problems.append(_problem("AAMM", f"month {key.month:02d} does not exist; use 01 to 12"))
    issuer_problem = _issuer_problem(key.issuer, key.issuer_kind)
    if issuer_problem is not None:
        problems.append(issuer_problem)
    if key.model not in MODELS:
        problems.append(
            _problem(
                "mod",
                f"model {key.model:02d} is not one with this key layout; use 55 (NF-e), "
                "65 (NFC-e), 57 (CT-e), 58 (MDF-e) or 67 (CT-e OS)",
            )
        )
    if key.number == 0:
        problems.append(_problem("nNF", "the document number must be 1 or more"))
    if key.emission_type not in EMISSION_TYPES:
        problems.append(_problem("tpEmis", "the form of emission must be 1 to 9"))
    expected = access_key_check_digit(key.key[:43])
    if key.check_digit != expected:
        problems.append(
            _problem(
                "cDV",
                f"the check digit is {key.check_digit} but the 43 characters before it "
                f"give {expected}: a character was mistyped",
            )
        )
    return problems


def _problem(path: str, reason: str) -> Problem:
    return Problem.from_error(path, InvalidValue(field=path, reason=reason))


def parse_access_key(text: str) -> AccessKey:
    """Read and check an access key.

    Spaces are ignored (the DANFE prints the key in groups of four), and the ``NFe``,
    ``CTe`` or ``MDFe`` prefix of the XML ``Id`` attribute is dropped. Every field is
    checked: the state code against the IBGE table, the month, the model, the form of
    emission, the issuer's CNPJ (or CPF) check digits and the key's check digit.

    Args:
        text: the key, 44 characters.

    Returns:
        The checked key.

    Raises:
        InvalidType: ``text`` is not a string.
        InvalidValue: not 44 characters, or a character not allowed at its place
            (``details["field"]`` is ``"chave de acesso"``).
        ValidationError: one problem per wrong field, each with the field's name from
            the MOC as its path (``cUF``, ``AAMM``, ``CNPJ``, ``mod``, ``tpEmis``, ``cDV``).

    >>> parse_access_key("13181017921427000125650010000000309887251170").model_name
    'NFC-e'
    >>> parse_access_key("13181317921427000125650010000000309887251170")
    Traceback (most recent call last):
    ...
    backoffice.errors.ValidationError: 2 problem(s) in the input: AAMM: ...
    """
    key = _clean_key(text)
    return AccessKey(
        uf=int(key[0:2]),
        year=2000 + int(key[2:4]),
        month=int(key[4:6]),
        issuer=key[6:20],
        issuer_kind=_issuer_kind(key[6:20]),
        model=int(key[20:22]),
        series=int(key[22:25]),
        number=int(key[25:34]),
        emission_type=int(key[34]),
        code=key[35:43],
        check_digit=int(key[43]),
    )


def is_valid_access_key(text: object) -> bool:
    """Whether ``text`` is a valid access key (never raises).

    >>> is_valid_access_key("3315 0308 3707 7900 0149 5500 1000 1100 9310 0241 0775")
    True
    >>> is_valid_access_key(None)
    False
    """
    try:
        parse_access_key(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return True


def format_access_key(key: AccessKey | str) -> str:
    """The key in eleven groups of four characters, as the DANFE prints it (MOC 7.0,
    Anexo II "Manual de Especificações Técnicas do DANFE", chave de acesso).

    A CPF issuer's key is printed in full: the DANFE shows it so.

    >>> format_access_key("13181017921427000125650010000000309887251170")
    '1318 1017 9214 2700 0125 6500 1000 0000 3098 8725 1170'
    """
    text = key.key if isinstance(key, AccessKey) else parse_access_key(key).key
    return " ".join(text[i : i + 4] for i in range(0, _LENGTH, 4))


def _int_field(value: object, field: str, low: int, high: int, fix: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and value.isdigit() and value.isascii():
            value = int(value)
        else:
            raise InvalidType(field=field, expected="an int", got=type(value).__name__)
    if not low <= value <= high:
        raise InvalidValue(field=field, reason=f"{value} is outside {low} to {high}: {fix}")
    return value


def build_access_key(
    *,
    uf: int | str,
    issued: date,
    issuer: str,
    model: int = 55,
    series: int,
    number: int,
    code: int | str,
    emission_type: int = 1,
) -> AccessKey:
    """Compose an access key and compute its check digit.

    Args:
        uf: the issuer's state, as its IBGE code (``35``) or its abbreviation (``"SP"``).
        issued: the date of issue (its year and month make AAMM).
        issuer: the issuer's CNPJ (numeric or alphanumeric) or CPF, with or without
            punctuation; a CPF is padded with ``000`` as the MOC asks.
        model: 55 (NF-e, the default), 65 (NFC-e), 57, 58 or 67.
        series: 0 to 999.
        number: 1 to 999999999.
        code: the numeric code cNF, 0 to 99999999, chosen by the issuer (the MOC asks
            for a random one, different from the number).
        emission_type: the form of emission tpEmis, 1 (normal) by default.

    Returns:
        The key, checked as :func:`parse_access_key` would.

    Raises:
        InvalidType: a field of the wrong type.
        InvalidValue: a field out of range or an unknown state, model or form.
        InvalidTaxId: the issuer is neither a valid CNPJ nor a valid CPF.

    >>> build_access_key(uf="SP", issued=date(2026, 7, 1), issuer="12.ABC.345/01DE-35",
    ...                  series=1, number=42, code=12345678).key
    '35260712ABC34501DE35550010000000421123456787'
    """
    if isinstance(uf, str):
        codes = {abbreviation: number for number, abbreviation in STATE_CODES.items()}
        if uf.upper() not in codes:
            raise InvalidValue(
                field="uf", reason=f"{uf!r} is no Brazilian state; use 'SP', 'RJ', ... or 35"
            )
        state = codes[uf.upper()]
    else:
        state = _int_field(uf, "uf", 11, 53, "use the IBGE code of the state, e.g. 35 (SP)")
        if state not in STATE_CODES:
            raise InvalidValue(
                field="uf", reason=f"{state} is no IBGE state code; use 11 (RO) to 53 (DF)"
            )
    if not isinstance(issued, date):
        raise InvalidType(field="issued", expected="a date", got=type(issued).__name__)
    if not 2000 <= issued.year <= 2099:
        raise InvalidValue(field="issued", reason="the year must be 2000 to 2099 (AAMM)")
    if model not in MODELS or isinstance(model, bool):
        raise InvalidValue(field="model", reason="use 55 (NF-e), 65 (NFC-e), 57, 58 or 67")
    series = _int_field(series, "series", 0, 999, "a series has 3 digits")
    number = _int_field(number, "number", 1, 999_999_999, "a number has 9 digits")
    cnf = _int_field(code, "code", 0, 99_999_999, "the numeric code has 8 digits")
    emission = _int_field(emission_type, "emission_type", 1, 9, "see EMISSION_TYPES")
    if not isinstance(issuer, str):
        raise InvalidType(field="issuer", expected="text", got=type(issuer).__name__)
    compact = "".join(char for char in issuer if char not in " .-/").upper()
    if len(compact) == 11 and compact.isdigit():
        taxid.validate(compact, "BR", "cpf")
        field = "000" + compact
    else:
        field = taxid.validate(compact, "BR", "cnpj").compact()
    first_43 = (
        f"{state:02d}{issued.year % 100:02d}{issued.month:02d}{field}{model:02d}"
        f"{series:03d}{number:09d}{emission}{cnf:08d}"
    )
    return parse_access_key(first_43 + str(access_key_check_digit(first_43)))


def _identifier(value: str, kind: Literal["cnpj", "cpf"], path: str) -> str | Problem:
    try:
        return taxid.validate(value, "BR", kind).compact()
    except (TypeError, ValueError) as error:
        if isinstance(error, BackofficeError):
            return Problem.from_error(path, error)
        return _problem(path, str(error))


def check_parties(
    key: AccessKey | str,
    *,
    issuer: str,
    buyer_cnpj: str | None = None,
    buyer_cpf: str | None = None,
    buyer_foreign_id: str | None = None,
) -> None:
    """Check that the parties of a document agree with its access key.

    * the issuer's CNPJ (or CPF) on the document (``emit/CNPJ`` or ``emit/CPF``) is the
      one in the key (MOC 7.0, Anexo I, rule of field C02: the CNPJ of the key must be
      the issuer's);
    * the buyer (``dest``) is identified by exactly one of CNPJ, CPF or foreign id
      (fields E02, E03 and E03a form a choice); the NFC-e (model 65) may have no
      identified buyer (MOC 7.0, group E optional for model 65).

    Args:
        key: the access key.
        issuer: the issuer's CNPJ or CPF as written on the document.
        buyer_cnpj: the buyer's CNPJ, if it has one.
        buyer_cpf: the buyer's CPF, if a natural person.
        buyer_foreign_id: the buyer's foreign identifier (idEstrangeiro).

    Raises:
        ValidationError: every problem found (paths ``issuer``, ``buyer``,
            ``buyer_cnpj``, ``buyer_cpf``); identifiers appear masked.

    >>> check_parties("33150308370779000149550010001100931002410775",
    ...               issuer="08.370.779/0001-49", buyer_cpf="390.533.447-05")
    """
    parsed = key if isinstance(key, AccessKey) else parse_access_key(key)
    problems: list[Problem] = []
    if not isinstance(issuer, str):
        raise InvalidType(field="issuer", expected="text", got=type(issuer).__name__)
    compact = "".join(char for char in issuer if char not in " .-/").upper()
    kind: Literal["cnpj", "cpf"] = "cpf" if len(compact) == 11 and compact.isdigit() else "cnpj"
    found = _identifier(compact, kind, "issuer")
    if isinstance(found, Problem):
        problems.append(found)
    elif kind != parsed.issuer_kind or found != parsed.issuer_id:
        shown = mask(found) if kind == "cpf" else found
        in_key = mask(parsed.issuer_id) if parsed.personal else parsed.issuer_id
        problems.append(
            Problem.from_error(
                "issuer",
                TaxIdMismatch(
                    check="mismatch",
                    value=shown,
                    other=f"the issuer in the access key ({in_key})",
                    label=kind.upper(),
                    country="BR",
                    kind=kind,
                ),
            )
        )
    given = {
        name: value
        for name, value in (
            ("buyer_cnpj", buyer_cnpj),
            ("buyer_cpf", buyer_cpf),
            ("buyer_foreign_id", buyer_foreign_id),
        )
        if value is not None
    }
    if len(given) > 1:
        problems.append(
            _problem(
                "buyer",
                "identify the buyer by exactly one of CNPJ, CPF or foreign id, got "
                + " and ".join(sorted(given)),
            )
        )
    elif not given and parsed.model != 65:
        problems.append(
            _problem(
                "buyer",
                f"an {parsed.model_name} needs the buyer's CNPJ, CPF or foreign id",
            )
        )
    if buyer_cnpj is not None:
        result = _identifier(buyer_cnpj, "cnpj", "buyer_cnpj")
        if isinstance(result, Problem):
            problems.append(result)
    if buyer_cpf is not None:
        result = _identifier(buyer_cpf, "cpf", "buyer_cpf")
        if isinstance(result, Problem):
            problems.append(result)
    if buyer_foreign_id is not None and (
        not isinstance(buyer_foreign_id, str) or len(buyer_foreign_id.strip()) > 20
    ):
        problems.append(
            _problem("buyer_foreign_id", "the foreign id is text of at most 20 characters")
        )
    if problems:
        raise ValidationError(problems)


def parties_consistent(
    key: AccessKey | str,
    *,
    issuer: str,
    buyer_cnpj: str | None = None,
    buyer_cpf: str | None = None,
    buyer_foreign_id: str | None = None,
) -> bool:
    """Whether :func:`check_parties` finds nothing wrong (never raises for bad input).

    >>> parties_consistent("33150308370779000149550010001100931002410775",
    ...                    issuer="08370779000149", buyer_cnpj="12.ABC.345/01DE-35")
    True
    >>> parties_consistent("33150308370779000149550010001100931002410775",
    ...                    issuer="17921427000125", buyer_cnpj="12.ABC.345/01DE-35")
    False
    """
    try:
        check_parties(
            key,
            issuer=issuer,
            buyer_cnpj=buyer_cnpj,
            buyer_cpf=buyer_cpf,
            buyer_foreign_id=buyer_foreign_id,
        )
    except (TypeError, ValueError):
        return False
    return True
