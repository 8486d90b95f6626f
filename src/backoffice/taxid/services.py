"""Parse, validate, format and cross-check identifiers.

The same four functions as python-stdnum (``validate``, ``is_valid``, ``compact``,
``format``), over every kind of the registry, plus :func:`parse` which returns a
:class:`~backoffice.taxid.model.TaxId` and guesses the kind when it is not given.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

import attrs
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumValidationError

from backoffice.errors import (
    InvalidTaxId,
    InvalidType,
    TaxIdChecksumError,
    TaxIdComponentError,
    TaxIdFormatError,
    TaxIdLengthError,
    TaxIdMismatch,
    TaxIdNotRecognised,
    UnknownTaxIdCountry,
    UnknownTaxIdKind,
)
from backoffice.taxid.model import TaxId, mask
from backoffice.taxid.registry import INTERNATIONAL, Kind, get_kind, kinds, vat_prefix

__all__ = [
    "CheckResult",
    "check",
    "check_siret_siren",
    "check_vat_siren",
    "compact",
    "format",
    "french_vat_from_siren",
    "is_valid",
    "parse",
    "validate",
]

#: Countries whose VAT numbers VIES checks, by their VAT prefix (Greece is EL, Northern
#: Ireland XI), and other European countries whose VAT numbers carry a prefix.
_VAT_PREFIXES: Final = {
    **{code: code for code in (
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
        "GB", "CH", "NO",
    )},
    "EL": "GR",
    "GR": "GR",  # the ISO code, often written instead of EL
    "XI": "XI",
}  # fmt: skip

#: The prefix VIES strips before the national check (not GB, CH, NO: their stdnum
#: modules read their own prefix).
_VIES_COUNTRIES: Final = (frozenset(_VAT_PREFIXES) - {"GB", "CH", "NO", "EL"}) | {"GR"}

#: Kinds whose text keeps its own punctuation (a city name in an RCS number).
_KEEP_PUNCTUATION: Final = frozenset({("FR", "rcs")})
_PUNCTUATION: Final = re.compile(r"[-/.]")
_SWISS_SUFFIX: Final = re.compile(r"(?:MWST|TVA|IVA|TPV)$")

#: The order in which kinds are tried when only the country is given.
_PREFERRED: Final = {
    "FR": ("siren", "siret", "tva", "nir", "nif", "rcs"),
    "BR": ("cnpj", "cpf"),
    "PT": ("nif", "cc"),
    "IT": ("iva", "codicefiscale"),
    "SE": ("personnummer", "orgnr", "vat"),
    "US": ("ein", "ssn", "itin", "atin"),
}

#: Longest text worth reading: far above any identifier (an RCS with a long city name
#: included), low enough that hostile input costs nothing.
MAX_LENGTH: Final = 100

_IBAN: Final = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}")
_BIC: Final = re.compile(r"[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?")
_LEI: Final = re.compile(r"[A-Z0-9]{18}\d{2}")
_SEPARATORS: Final = re.compile(r"[\s.\-/,]")
_UNICODE_SPACES: Final = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})
_UNICODE_DASHES: Final = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2013": "-", "\u2014": "-"})


def _clean(text: object) -> str:
    if not isinstance(text, str):
        raise InvalidType(field="identifier", expected="text", got=type(text).__name__)
    if not text.isascii():
        text = text.translate(_UNICODE_SPACES).translate(_UNICODE_DASHES)
    text = text.strip()
    if len(text) > MAX_LENGTH:
        raise TaxIdLengthError(
            check="length",
            value=mask(text[:20]) + "…",
            masked=True,
            label="identifier",
            country=None,
            kind=None,
        )
    if not text.isprintable():
        # control characters would let a caller forge lines in logs and messages
        raise TaxIdFormatError(
            check="format",
            value=mask(text.encode("unicode_escape").decode("ascii")),
            masked=True,
            label="identifier",
            country=None,
            kind=None,
        )
    return text


def _squeezed(text: str) -> str:
    return _SEPARATORS.sub("", text).upper()


def _shown(kind: Kind, text: str) -> str:
    """``text`` as errors may show it: masked when it may identify a person, as this
    kind or as a personal identifier of the same country (a CPF checked as a CNPJ)."""
    national = _national_text(kind, text) or text
    personal = kind.is_personal(_squeezed(national)) or kind.is_personal(national)
    if not personal and kind.country not in {"INT", "EU"}:
        personal = any(
            other.module.is_valid(text)
            and other.is_personal(_squeezed(str(other.module.compact(text))))
            for other in _personal_kinds(kind.country)
            if other is not kind
        )
    return mask(text) if personal else text


_PERSONAL_BY_COUNTRY: dict[str, tuple[Kind, ...]] = {}


def _personal_kinds(country: str) -> tuple[Kind, ...]:
    found = _PERSONAL_BY_COUNTRY.get(country)
    if found is None:
        found = tuple(k for k in kinds(country) if k.personal_scope != "never")
        _PERSONAL_BY_COUNTRY[country] = found
    return found


def _failure(kind: Kind, text: str, exc: Exception) -> InvalidTaxId:
    shown = _shown(kind, text)
    details = {
        "value": shown,
        "masked": shown != text,
        "label": kind.label,
        "country": kind.country,
        "kind": kind.name,
    }
    if isinstance(exc, InvalidChecksum):
        return TaxIdChecksumError(check="checksum", **details)
    if isinstance(exc, InvalidLength):
        return TaxIdLengthError(check="length", **details)
    if isinstance(exc, InvalidComponent):
        return TaxIdComponentError(check="component", **details)
    return TaxIdFormatError(check="format", **details)


def _validate_kind(kind: Kind, text: str, country: str | None = None) -> TaxId:
    """Check ``text`` as a ``kind`` with stdnum and build the :class:`TaxId`."""
    candidate = _national_text(kind, text)
    if candidate is None:
        shown = _shown(kind, text)
        raise TaxIdComponentError(
            check="component",
            value=shown,
            masked=shown != text,
            label=kind.label,
            country=kind.country,
            kind=kind.name,
        )
    try:
        value = str(kind.module.validate(candidate))
    except StdnumValidationError as exc:
        relaxed = _PUNCTUATION.sub(" ", candidate)
        if relaxed == candidate or not isinstance(exc, InvalidFormat):
            raise _failure(kind, text, exc) from None
        # dashes, slashes or dots the kind does not use: read them as spaces
        try:
            value = str(kind.module.validate(relaxed))
        except StdnumValidationError as second:
            raise _failure(kind, text, second) from None
    if kind.country == "CH" and kind.is_vat:
        value = _SWISS_SUFFIX.sub("MWST", value)  # MWST, TVA, IVA and TPV: one number
    return TaxId._create(country or _issuing_country(kind, value, text), kind, value)


def _national_text(kind: Kind, text: str) -> str | None:
    """What to hand to stdnum: a VIES VAT number loses its prefix (a prefix of another
    country gives ``None``); an RCS number keeps the punctuation of its city, in capitals.
    Other text goes as it is; separators the kind does not use are dealt with after.
    """
    if kind.is_vat and kind.country in _VIES_COUNTRIES:
        squeezed = _squeezed(text)
        head = squeezed[:2]
        if head in (kind.country, vat_prefix(kind.country)):
            return squeezed[2:]
        if head in _VAT_PREFIXES:
            return None
        return squeezed
    if (kind.country, kind.name) in _KEEP_PUNCTUATION:
        # the city keeps its hyphens, in capitals so that one company has one value; the
        # SIREN at the end may be written with separators
        end = len(text)
        start = end
        while start > 0 and (text[start - 1].isdigit() or text[start - 1] in " .-/"):
            start -= 1
        number = _PUNCTUATION.sub(" ", text[start:end])
        return (text[:start] + number).upper()
    return text


def _registry_country(country: str) -> str:
    """The registry country of a VAT country: Northern Ireland (XI) uses GB's numbers."""
    return "GB" if country == "XI" else country


def _issuing_country(kind: Kind, value: str, text: str = "") -> str:
    if kind.country == "GB" and kind.is_vat and _squeezed(text).startswith("XI"):
        return "XI"
    if kind.country != "INT":
        return kind.country
    if kind.name == "iban":
        return value[:2]
    if kind.name == "bic":
        return value[4:6]
    if kind.name == "isin":
        return value[:2]
    return "INT"


def _restore(country: str, registry_country: str, kind: str, value: str) -> TaxId:
    return TaxId._create(country, get_kind(registry_country, kind), value)


def _candidates(text: str, country: str | None) -> list[Kind]:
    """The kinds to try, most likely first, when no kind is given."""
    squeezed = _squeezed(text)
    if country is not None:
        found = kinds(country)
        if not found:
            raise UnknownTaxIdCountry(country=country, kind=None)
        preferred = _PREFERRED.get(country.upper(), ())
        rank = {name: index for index, name in enumerate(preferred)}
        prefixed = squeezed[:2] == vat_prefix(country.upper())
        ordered = sorted(
            found,
            key=lambda k: (
                not (k.is_vat and prefixed),
                rank.get(k.name, len(rank)),
                not k.is_vat,
                k.name,
            ),
        )
        if _IBAN.fullmatch(squeezed) and not any(k.name == "iban" for k in ordered):
            ordered.append(get_kind("INT", "iban"))
        if _BIC.fullmatch(squeezed):
            ordered.append(get_kind("INT", "bic"))
        return ordered
    tried: list[Kind] = []
    prefix_country = _VAT_PREFIXES.get(squeezed[:2])
    if prefix_country is not None:
        # Northern Ireland (XI) numbers are United Kingdom VAT numbers
        tried.extend(kind for kind in kinds(_registry_country(prefix_country)) if kind.is_vat)
    if _IBAN.fullmatch(squeezed):
        tried.append(get_kind("INT", "iban"))
    if _BIC.fullmatch(squeezed):
        tried.append(get_kind("INT", "bic"))
    if _LEI.fullmatch(squeezed):
        tried.append(get_kind("INT", "lei"))
    return tried


def parse(text: str, country: str | None = None, kind: str | None = None) -> TaxId:
    """Validate ``text`` and return it as a :class:`~backoffice.taxid.model.TaxId`.

    Spaces, dots, dashes, slashes and lower case are tolerated.

    * With ``country`` and ``kind``: that kind is checked (``kind="vat"`` is the
      country's VAT number).
    * With ``kind`` only: international kinds (``iban``, ``bic``, ``lei``...), ``vat``
      (the country comes from the prefix), or a kind that exists in one country only
      (``siren``, ``cnpj``).
    * With ``country`` only: the country's kinds are tried, the common ones first; the
      first that accepts the text wins.
    * With neither: an IBAN, a VAT number with its country prefix (``FR…``, ``DE…``,
      ``EL…``, ``GB…``, ``CHE…``, ``NO…``), a BIC or a LEI is recognised.

    Raises:
        InvalidTaxId: the text fails a check; the subclass and ``details["check"]`` say
            which (format, length, checksum, component).
        UnknownTaxIdKind: no such kind for that country.

    >>> parse("732 829 320", "FR", "siren")
    TaxId('FR', 'siren', '732 829 320')
    >>> parse("FR40303265045").kind
    'tva'
    """
    cleaned = _clean(text)
    wanted = None if country is None else country.strip().upper()
    issuing = "XI" if wanted == "XI" else None
    if kind is not None:
        found = _resolve(cleaned, country, kind)
        result = _validate_kind(found, cleaned, issuing)
        if found.country == "INT" and wanted is not None and result.country != wanted:
            raise TaxIdComponentError(
                check="component",
                value=cleaned,
                label=found.label,
                country=wanted,
                kind=found.name,
                reason=f"issued in {result.country}, not {wanted}",
            )
        return result
    candidates = _candidates(cleaned, None if wanted is None else _registry_country(wanted))
    best: InvalidTaxId | None = None
    for candidate in candidates:
        try:
            return _validate_kind(candidate, cleaned, issuing)
        except InvalidTaxId as exc:
            # a failed checksum or component means the shape fitted: the best report
            if best is None or (
                isinstance(exc, TaxIdChecksumError | TaxIdComponentError)
                and not isinstance(best, TaxIdChecksumError | TaxIdComponentError)
            ):
                best = exc
    if best is not None and (
        len(candidates) == 1 or isinstance(best, TaxIdChecksumError | TaxIdComponentError)
    ):
        if any(c.personal_scope != "never" for c in candidates):
            # another kind tried may be personal: never show the text in clear
            raise type(best)(**{**best.details, "value": mask(cleaned), "masked": True})
        raise best
    tried = ", ".join(f"{c.country}/{c.name}" for c in candidates[:8])
    if len(candidates) > 8:
        tried += ", ..."
    # the kind is unknown, so whether it is personal is too: never show it in clear
    raise TaxIdNotRecognised(
        check="format",
        value=mask(cleaned),
        masked=True,
        label="identifier",
        tried=tried or "—",
        country=country,
    )


_RESOLVED: dict[tuple[str, str], Kind] = {}


def _resolve(text: str, country: str | None, kind: str) -> Kind:
    if country is not None and country.strip().upper() == "EU" and kind.strip().lower() == "vat":
        country = None  # an EU VAT number: its prefix names the member state
    if country is not None:
        found = _RESOLVED.get((country, kind))
        if found is None:
            found = get_kind(_registry_country(country.strip().upper()), kind.strip().lower())
            if len(_RESOLVED) < 4096:
                _RESOLVED[(country, kind)] = found
        return found
    name = kind.strip().lower()
    if name in INTERNATIONAL:
        return get_kind("INT", name)
    if name == "vat":
        prefix_country = _VAT_PREFIXES.get(_squeezed(text)[:2])
        if prefix_country is None:
            raise UnknownTaxIdKind(
                kind=kind, country="(no country prefix in the text)", known="pass country="
            )
        return get_kind(_registry_country(prefix_country), "vat")
    owners = [k for k in kinds() if k.name == name and k.country not in {"INT", "EU"}]
    if len(owners) == 1:
        return owners[0]
    raise UnknownTaxIdKind(
        kind=kind,
        country="(no country given)",
        known=(
            "countries having it: " + ", ".join(sorted(k.country for k in owners))
            if owners
            else "none"
        ),
    )


def validate(text: str, country: str | None = None, kind: str | None = None) -> TaxId:
    """Same as :func:`parse` (stdnum's name for it)."""
    return parse(text, country, kind)


def is_valid(text: str, country: str | None = None, kind: str | None = None) -> bool:
    """Whether :func:`parse` accepts ``text``. Never raises for a bad identifier (an
    unknown kind or country still raises :class:`UnknownTaxIdKind`)."""
    if kind is not None:
        # the same checks as parse, without building a TaxId or an error
        try:
            cleaned = _clean(text)
        except InvalidTaxId:
            return False
        found = _resolve(cleaned, country, kind)
        if found.country == "INT" and country is not None:
            return _is_valid_slow(text, country, kind)
        candidate = _national_text(found, cleaned)
        if candidate is None:
            return False
        if found.module.is_valid(candidate):
            return True
        relaxed = _PUNCTUATION.sub(" ", candidate)
        return relaxed != candidate and bool(found.module.is_valid(relaxed))
    return _is_valid_slow(text, country, kind)


def _is_valid_slow(text: str, country: str | None, kind: str | None) -> bool:
    try:
        parse(text, country, kind)
    except InvalidTaxId:
        return False
    return True


def compact(text: str, country: str | None = None, kind: str | None = None) -> str:
    """The compact form of a valid identifier (``"73282932000074"``)."""
    return parse(text, country, kind).compact()


def format(text: str, country: str | None = None, kind: str | None = None) -> str:
    """The display form of a valid identifier (``"732 829 320 00074"``)."""
    return parse(text, country, kind).format()


# -- cross-checks ---------------------------------------------------------------------------


def _as(value: TaxId | str, country: str, kind: str) -> TaxId:
    if isinstance(value, TaxId):
        expected = get_kind(country, kind)
        if value._kind is not expected:
            raise TaxIdMismatch(value=value.masked(), other=expected.label, check="mismatch")
        return value
    return parse(value, country, kind)


def check_siret_siren(siret: TaxId | str, siren: TaxId | str) -> None:
    """Check that a SIRET belongs to a SIREN (starts with it).

    Raises:
        TaxIdMismatch: it does not. Either value may also fail its own checks.
    """
    establishment = _as(siret, "FR", "siret")
    company = _as(siren, "FR", "siren")
    if establishment.compact()[:9] != company.compact():
        raise TaxIdMismatch(
            value=establishment.format(),
            other=company.format(),
            check="mismatch",
            reason="the SIRET does not start with the SIREN",
        )


def french_vat_from_siren(siren: TaxId | str) -> TaxId:
    """The French VAT number of a SIREN (``732829320`` → ``FR44732829320``)."""
    from stdnum.fr import siren as stdnum_siren

    company = _as(siren, "FR", "siren")
    return parse(str(stdnum_siren.to_tva(company.compact())), "FR", "tva")


def check_vat_siren(vat: TaxId | str, siren: TaxId | str) -> None:
    """Check that a French VAT number's key matches its SIREN.

    Raises:
        TaxIdMismatch: it does not.
    """
    number = _as(vat, "FR", "tva")
    company = _as(siren, "FR", "siren")
    expected = french_vat_from_siren(company)
    if number.compact() != expected.compact():
        raise TaxIdMismatch(
            value=number.vat_number(),
            other=company.format(),
            check="mismatch",
            reason=f"the VAT number of this SIREN is {expected.vat_number()}",
        )


# -- reports ----------------------------------------------------------------------------------


@attrs.frozen(slots=True, repr=False)
class CheckResult:
    """The outcome of checking one input, as the command line reports it.

    ``taxid`` is set when valid, ``error`` when not. Its ``repr`` masks personal values.
    """

    input: str
    taxid: TaxId | None = None
    error: InvalidTaxId | None = None

    @property
    def valid(self) -> bool:
        return self.taxid is not None

    def __repr__(self) -> str:
        shown = self.to_dict()
        return f"CheckResult(input={shown['input']!r}, valid={self.valid}, taxid={self.taxid!r})"

    def to_dict(self, *, locale: str = "en") -> dict[str, Any]:
        """JSON-friendly; personal identifiers stay masked, even the input."""
        personal = self.taxid.personal if self.taxid is not None else self._error_personal()
        data: dict[str, Any] = {
            "input": mask(self.input) if personal else self.input,
            "valid": self.valid,
            "country": None,
            "kind": None,
            "compact": None,
            "formatted": None,
        }
        if self.taxid is not None:
            data.update(
                country=self.taxid.country,
                kind=self.taxid.kind,
                label=self.taxid.localized_label(locale),
                personal=personal,
                compact=mask(self.taxid.compact()) if personal else self.taxid.compact(),
                formatted=self.taxid.masked(),
            )
        elif self.error is not None:
            data.update(
                country=self.error.details.get("country"),
                kind=self.error.details.get("kind"),
                error_code=self.error.code,
                check=self.error.details.get("check"),
                message=self.error.localized(locale),
            )
        return data

    def _error_personal(self) -> bool:
        return self.error is not None and bool(self.error.details.get("masked"))


def check(text: str, country: str | None = None, kind: str | None = None) -> CheckResult:
    """Check one input without raising for an invalid identifier."""
    try:
        return CheckResult(input=text, taxid=parse(text, country, kind))
    except InvalidTaxId as exc:
        return CheckResult(input=text, error=exc)


def taxid_from_input(value: object) -> TaxId:
    """pydantic input: a :class:`TaxId`, a mapping ``{country, kind, value}`` or text."""
    if isinstance(value, TaxId):
        return value
    if isinstance(value, Mapping):
        missing = [key for key in ("kind", "value") if key not in value]
        if missing:
            raise UnknownTaxIdKind(
                kind="(missing)", country=str(value.get("country")), known="give kind and value"
            )
        country = value.get("country")
        return parse(
            str(value["value"]),
            None if country in (None, "INT") else str(country),
            str(value["kind"]),
        )
    if isinstance(value, str):
        return parse(value)
    raise InvalidType(field="identifier", expected="text or a mapping", got=type(value).__name__)
