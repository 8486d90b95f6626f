"""Tests of ``backoffice.taxid``: the identifier layer on python-stdnum.

Real, public example numbers of each kind the issue names (valid), mutations of them
(changed digit, transposition, wrong length, bad country) that fail for the right reason,
property tests on identifiers whose check digits are computed with python-stdnum's own
helpers, masking of personal identifiers, the registry, the cross-checks and the pydantic
field types.
"""

from __future__ import annotations

import copy
import importlib
import json
import logging
import pickle
import pkgutil
import re
import string
from typing import Any

import pydantic
import pytest
import stdnum
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from stdnum import iban as stdnum_iban
from stdnum import luhn
from stdnum.br import cnpj as stdnum_cnpj
from stdnum.br import cpf as stdnum_cpf
from stdnum.fr import nir as stdnum_nir
from stdnum.pt import nif as stdnum_pt_nif

from backoffice import taxid
from backoffice.errors import (
    BackofficeError,
    InvalidTaxId,
    TaxIdChecksumError,
    TaxIdComponentError,
    TaxIdFormatError,
    TaxIdLengthError,
    TaxIdMismatch,
    TaxIdNotRecognised,
    UnknownTaxIdKind,
)
from backoffice.taxid import CheckResult, TaxId
from backoffice.taxid.registry import INTERNATIONAL, vat_prefix
from backoffice.taxid.schemas import (
    Bic,
    Cnpj,
    Cpf,
    FrenchVat,
    Iban,
    Nir,
    PortugueseNif,
    Siren,
    Siret,
    TaxIdField,
    VatNumber,
)

LOCALES = ("en", "fr_FR", "pt_BR")
EU_AND_EUROPEAN_VAT_COUNTRIES = (
    *("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU"),
    *("IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"),
    *("GB", "CH", "NO"),
)

# -- helpers --------------------------------------------------------------------------------


def _alnum(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", text).upper()


def assert_not_revealed(text: str, clear: str) -> None:
    """``text`` shows no more of ``clear`` than its last two characters.

    Every run of four characters of the hidden part is looked for in ``text`` with its
    separators removed, so a value shown with other separators is caught too.
    """
    hidden = _alnum(clear)[:-2]
    seen = _alnum(text)
    for start in range(len(hidden) - 3):
        window = hidden[start : start + 4]
        assert window not in seen, f"{window!r} of a personal identifier shown in {text!r}"


def _logged(value: object) -> str:
    """What a log line naming ``value`` with %s and %r says."""
    record = logging.LogRecord("taxid", logging.INFO, __file__, 1, "%s %r", (value, value), None)
    return logging.Formatter("%(message)s").format(record)


def _error_outputs(error: BackofficeError) -> list[str]:
    """Every text an error shows: str, repr, args, messages in three languages, to_dict."""
    return [
        str(error),
        repr(error),
        repr(error.args),
        _logged(error),
        *(error.localized(locale) for locale in LOCALES),
        json.dumps(error.to_dict(), ensure_ascii=False),
    ]


def _check_result_outputs(result: CheckResult) -> list[str]:
    return [json.dumps(result.to_dict(locale=locale), ensure_ascii=False) for locale in LOCALES]


def _raises_invalid(text: str, country: str | None, kind: str | None) -> InvalidTaxId:
    with pytest.raises(InvalidTaxId) as info:
        taxid.parse(text, country, kind)
    return info.value


# -- strategies: valid identifiers, check digits by python-stdnum ---------------------------

DIGITS = string.digits
ALNUM = string.digits + string.ascii_uppercase


@st.composite
def sirens(draw: st.DrawFn) -> str:
    body = draw(st.text(DIGITS, min_size=8, max_size=8))
    return body + luhn.calc_check_digit(body)


@st.composite
def sirets(draw: st.DrawFn) -> str:
    siren = draw(sirens())
    assume(not siren.startswith("356000000"))  # La Poste: not a Luhn checksum
    body = siren + draw(st.text(DIGITS, min_size=4, max_size=4))
    return body + luhn.calc_check_digit(body)


@st.composite
def cpfs(draw: st.DrawFn) -> str:
    body = draw(st.text(DIGITS, min_size=9, max_size=9).filter(lambda text: int(text) > 0))
    # stdnum.br.cpf only offers its check digits as a private helper
    return body + stdnum_cpf._calc_check_digits(body)


@st.composite
def numeric_cnpjs(draw: st.DrawFn) -> str:
    body = draw(st.text(DIGITS, min_size=12, max_size=12).filter(lambda text: int(text) > 0))
    return body + stdnum_cnpj.calc_check_digits(body)


@st.composite
def alphanumeric_cnpjs(draw: st.DrawFn) -> str:
    body = draw(st.text(ALNUM, min_size=12, max_size=12).filter(lambda text: not text.isdigit()))
    return body + stdnum_cnpj.calc_check_digits(body)


@st.composite
def nirs(draw: st.DrawFn) -> str:
    sex = draw(st.sampled_from("1278"))
    year = draw(st.integers(0, 99))
    month = draw(st.integers(1, 12))
    departments = [f"{number:02d}" for number in range(1, 96) if number != 20]
    department = draw(st.sampled_from([*departments, "2A", "2B"]))
    commune = draw(st.integers(1, 990))
    order = draw(st.integers(1, 999))
    body = f"{sex}{year:02d}{month:02d}{department}{commune:03d}{order:03d}"
    return body + stdnum_nir.calc_check_digits(body)


@st.composite
def portuguese_nifs(draw: st.DrawFn, first: str = "123456789") -> str:
    body = draw(st.sampled_from(first)) + draw(st.text(DIGITS, min_size=7, max_size=7))
    return body + stdnum_pt_nif.calc_check_digit(body)


@st.composite
def german_ibans(draw: st.DrawFn) -> str:
    bban = draw(st.text(DIGITS, min_size=18, max_size=18))
    return "DE" + stdnum_iban.calc_check_digits(f"DE00{bban}") + bban


@st.composite
def french_ibans(draw: st.DrawFn) -> str:
    bank = draw(st.text(DIGITS, min_size=10, max_size=10))
    account = draw(st.text(ALNUM, min_size=11, max_size=11))
    key = draw(st.text(DIGITS, min_size=2, max_size=2))
    bban = bank + account + key
    return "FR" + stdnum_iban.calc_check_digits(f"FR00{bban}") + bban


# (text, country, kind) of valid identifiers
valid_ids = st.one_of(
    sirens().map(lambda text: (text, "FR", "siren")),
    sirets().map(lambda text: (text, "FR", "siret")),
    sirens().map(lambda text: (taxid.french_vat_from_siren(text).vat_number(), "FR", "tva")),
    nirs().map(lambda text: (text, "FR", "nir")),
    cpfs().map(lambda text: (text, "BR", "cpf")),
    numeric_cnpjs().map(lambda text: (text, "BR", "cnpj")),
    alphanumeric_cnpjs().map(lambda text: (text, "BR", "cnpj")),
    portuguese_nifs().map(lambda text: (text, "PT", "nif")),
    german_ibans().map(lambda text: (text, "DE", "iban")),
    french_ibans().map(lambda text: (text, "FR", "iban")),
)


# -- public example numbers -------------------------------------------------------------------

# (text, country, kind, canonical kind, compact, display format)
EXAMPLES: list[tuple[str, str, str, str, str, str]] = [
    ("732829320", "FR", "siren", "siren", "732829320", "732 829 320"),
    ("73282932000074", "FR", "siret", "siret", "73282932000074", "732 829 320 00074"),
    ("FR40303265045", "FR", "vat", "tva", "40303265045", "FR40303265045"),
    ("FR44732829320", "FR", "tva", "tva", "44732829320", "FR44732829320"),
    ("2 95 10 99 126 111 93", "FR", "nir", "nir", "295109912611193", "2 95 10 99 126 111 93"),
    ("3023217600053", "FR", "nif", "nif", "3023217600053", "30 23 217 600 053"),
    (
        "RCS Nanterre B 732 829 320",
        "FR",
        "rcs",
        "rcs",
        "RCS NANTERRE B 732829320",
        "RCS NANTERRE B 732 829 320",
    ),
    ("16.727.230/0001-97", "BR", "cnpj", "cnpj", "16727230000197", "16.727.230/0001-97"),
    ("12.ABC.345/01DE-35", "BR", "cnpj", "cnpj", "12ABC34501DE35", "12.ABC.345/01DE-35"),
    ("390.533.447-05", "BR", "cpf", "cpf", "39053344705", "390.533.447-05"),
    ("501964843", "PT", "nif", "nif", "501964843", "501964843"),
    (
        "FR76 3000 6000 0112 3456 7890 189",
        "FR",
        "iban",
        "iban",
        "FR7630006000011234567890189",
        "FR76 3000 6000 0112 3456 7890 189",
    ),
    ("BNPAFRPPXXX", "FR", "bic", "bic", "BNPAFRPPXXX", "BNPAFRPPXXX"),
    ("DE136695976", "DE", "vat", "vat", "136695976", "DE136695976"),
    ("EL094259216", "GR", "vat", "vat", "094259216", "EL094259216"),
    ("GB980780684", "GB", "vat", "vat", "980780684", "GB 980 7806 84"),
    ("CHE-107.787.577 MWST", "CH", "vat", "vat", "CHE107787577MWST", "CHE-107.787.577 MWST"),
    ("NO 995 525 828 MVA", "NO", "vat", "mva", "995525828MVA", "NO 995 525 828 MVA"),
]

EXAMPLE_IDS = [f"{example[1]}-{example[3]}-{example[0]}" for example in EXAMPLES]


@pytest.mark.parametrize(
    ("text", "country", "kind", "canonical", "compact", "shown"), EXAMPLES, ids=EXAMPLE_IDS
)
def test_public_examples_are_valid(
    text: str, country: str, kind: str, canonical: str, compact: str, shown: str
) -> None:
    parsed = taxid.parse(text, country, kind)
    assert (parsed.country, parsed.kind) == (country, canonical)
    assert parsed.compact() == compact
    assert parsed.format() == shown
    assert taxid.is_valid(text, country, kind)
    assert taxid.validate(text, country, kind) == parsed
    assert taxid.compact(text, country, kind) == compact
    assert taxid.format(text, country, kind) == shown
    # the display and compact forms parse back to the same value
    assert taxid.parse(parsed.format(), country, kind) == parsed
    assert taxid.parse(parsed.compact(), country, kind) == parsed
    assert taxid.parse(parsed.format(), parsed.country, parsed.kind) == parsed
    result = taxid.check(text, country, kind)
    assert result.valid and result.taxid == parsed and result.error is None


def test_the_clear_value_of_examples_is_only_given_on_request() -> None:
    cpf = taxid.parse("390.533.447-05", "BR", "cpf")
    assert cpf.compact() == "39053344705"
    assert cpf.format() == "390.533.447-05"
    assert cpf.to_dict() == {"country": "BR", "kind": "cpf", "value": "39053344705"}


@pytest.mark.parametrize(
    ("text", "country", "kind"),
    [
        ("FR40303265045", "FR", "tva"),
        ("FR44732829320", "FR", "tva"),
        ("fr 40 303 265 045", "FR", "tva"),
        ("DE136695976", "DE", "vat"),
        ("de 136 695 976", "DE", "vat"),
        ("PT501964843", "PT", "nif"),
        ("PT 501 964 843", "PT", "nif"),
        ("EL094259216", "GR", "vat"),
        ("el 094 259 216", "GR", "vat"),
        ("GB980780684", "GB", "vat"),
        ("GB 980 7806 84", "GB", "vat"),
        ("CHE-107.787.577 MWST", "CH", "vat"),
        ("che-107.787.577 mwst", "CH", "vat"),
        ("CHE-107.787.577 TVA", "CH", "vat"),
        ("NO 995 525 828 MVA", "NO", "mva"),
        ("no995525828mva", "NO", "mva"),
        ("FR76 3000 6000 0112 3456 7890 189", "FR", "iban"),
        ("fr7630006000011234567890189", "FR", "iban"),
        ("DE89 3704 0044 0532 0130 00", "DE", "iban"),
        ("BNPAFRPPXXX", "FR", "bic"),
        ("bnpafrpp", "FR", "bic"),
        ("DEUTDEFF500", "DE", "bic"),
    ],
)
def test_auto_detection_without_country(text: str, country: str, kind: str) -> None:
    parsed = taxid.parse(text)
    assert (parsed.country, parsed.kind) == (country, kind)
    assert taxid.is_valid(text)
    assert taxid.parse(parsed.format(), parsed.country, parsed.kind) == parsed
    if parsed.kind_info.shows_prefix:
        assert taxid.parse(parsed.format()) == parsed  # the prefix names the country
    if parsed.is_vat:
        assert parsed.vat_number().startswith(vat_prefix(country))
        assert taxid.parse(parsed.vat_number()) == parsed
        assert taxid.parse(text, kind="vat") == parsed
        assert taxid.parse(text, country, "vat") == parsed


def test_vat_number_has_the_vies_prefix() -> None:
    assert taxid.parse("FR40303265045").vat_number() == "FR40303265045"
    assert taxid.parse("40303265045", "FR", "vat").vat_number() == "FR40303265045"
    assert taxid.parse("094259216", "GR", "vat").vat_number() == "EL094259216"
    assert taxid.parse("GB 980 7806 84").vat_number() == "GB980780684"
    assert taxid.parse("NO 995 525 828 MVA").vat_number() == "NO995525828MVA"
    assert taxid.parse("501964843", "PT", "nif").vat_number() == "PT501964843"
    with pytest.raises(ValueError):
        taxid.parse("732829320", "FR", "siren").vat_number()


def test_kind_only_and_country_only_parsing() -> None:
    siren = taxid.parse("732829320", "FR", "siren")
    assert taxid.parse("732829320", kind="siren") == siren
    assert taxid.parse("732829320", "FR") == siren
    assert taxid.parse("732829320", "fr", "SIREN") == siren
    assert taxid.parse("73282932000074", "FR").kind == "siret"
    assert taxid.parse("2 95 10 99 126 111 93", "FR").kind == "nir"
    assert taxid.parse("16.727.230/0001-97", "BR").kind == "cnpj"
    assert taxid.parse("12.abc.345/01de-35", "BR").kind == "cnpj"
    assert taxid.parse("390.533.447-05", "BR").kind == "cpf"
    assert taxid.parse("501964843", "PT").kind == "nif"
    assert taxid.parse("16.727.230/0001-97", kind="cnpj").country == "BR"
    assert taxid.parse("FR76 3000 6000 0112 3456 7890 189", kind="iban").country == "FR"
    assert taxid.parse("BNPAFRPPXXX", kind="bic").country == "FR"


# -- input tolerance --------------------------------------------------------------------------


def _separator_case(text: str, country: str, kind: str, *, bug: bool = False) -> Any:
    del bug  # every separator is tolerated now
    return pytest.param(text, country, kind, id=f"{country}-{kind}-{text}")


@pytest.mark.parametrize(
    ("text", "country", "kind"),
    [
        _separator_case("732 829 320", "FR", "siren"),
        _separator_case("732.829.320", "FR", "siren"),
        _separator_case("732\u202f829\u202f320", "FR", "siren"),
        _separator_case("732\u00a0829\u00a0320", "FR", "siren"),
        _separator_case("732-829-320", "FR", "siren", bug=True),
        _separator_case("732/829/320", "FR", "siren", bug=True),
        _separator_case("732-829-320-00074", "FR", "siret", bug=True),
        _separator_case("732/829/320/00074", "FR", "siret", bug=True),
        _separator_case("FR-40-303-265-045", "FR", "tva"),
        _separator_case("FR/40/303/265/045", "FR", "tva"),
        _separator_case("2.95.10.99.126.111.93", "FR", "nir"),
        _separator_case("2-95-10-99-126-111-93", "FR", "nir", bug=True),
        _separator_case("2/95/10/99/126/111/93", "FR", "nir", bug=True),
        _separator_case("30.23.217.600.053", "FR", "nif", bug=True),
        _separator_case("30-23-217-600-053", "FR", "nif", bug=True),
        _separator_case("RCS Nanterre B 732-829-320", "FR", "rcs", bug=True),
        _separator_case("16 727 230 0001 97", "BR", "cnpj"),
        _separator_case("16-727-230/0001-97", "BR", "cnpj"),
        _separator_case("390 533 447 05", "BR", "cpf"),
        _separator_case("390/533/447-05", "BR", "cpf", bug=True),
        _separator_case("501-964-843", "PT", "nif"),
        _separator_case("501/964/843", "PT", "nif", bug=True),
        _separator_case("FR76-3000-6000-0112-3456-7890-189", "FR", "iban"),
        _separator_case("FR76/3000/6000/0112/3456/7890/189", "FR", "iban", bug=True),
        _separator_case("BNPA-FR-PP-XXX", "FR", "bic"),
    ],
)
def test_spaces_dots_dashes_and_slashes_are_tolerated(text: str, country: str, kind: str) -> None:
    squeezed = re.sub(r"[\s.\-/]", "", text)
    expected = taxid.parse(squeezed if kind != "rcs" else "RCS Nanterre B 732829320", country, kind)
    assert taxid.parse(text, country, kind) == expected


@pytest.mark.parametrize(
    ("text", "country", "kind"),
    [
        pytest.param("fr40303265045", "FR", "vat", id="fr-vat"),
        pytest.param("12.abc.345/01de-35", "BR", "cnpj", id="br-cnpj-alphanumeric"),
        pytest.param("2 53 07 2b 073 004 70", "FR", "nir", id="fr-nir-corsica"),
        pytest.param("fr76 3000 6000 0112 3456 7890 189", "FR", "iban", id="iban"),
        pytest.param("bnpafrppxxx", "FR", "bic", id="bic"),
        pytest.param("pt501964843", "PT", "nif", id="pt-nif"),
        pytest.param("che-107.787.577 mwst", "CH", "vat", id="ch-vat"),
        pytest.param(
            "rcs nanterre b 732 829 320",
            "FR",
            "rcs",
            id="fr-rcs",
        ),
    ],
)
def test_lower_case_is_tolerated(text: str, country: str, kind: str) -> None:
    assert taxid.parse(text, country, kind) == taxid.parse(text.upper(), country, kind)


# -- mutations: the right reason ----------------------------------------------------------------

CHECKSUM = (TaxIdChecksumError, "checksum")
LENGTH = (TaxIdLengthError, "length")
FORMAT = (TaxIdFormatError, "format")
COMPONENT = (TaxIdComponentError, "component")

MUTATIONS: list[tuple[str, str | None, str, tuple[type[InvalidTaxId], str]]] = [
    # SIREN 732829320
    ("732829321", "FR", "siren", CHECKSUM),
    ("372829320", "FR", "siren", CHECKSUM),
    ("73282932", "FR", "siren", LENGTH),
    ("7328293200", "FR", "siren", LENGTH),
    ("73282932A", "FR", "siren", FORMAT),
    # SIRET 73282932000074
    ("73282932000075", "FR", "siret", CHECKSUM),
    ("73282932000047", "FR", "siret", CHECKSUM),
    ("7328293200007", "FR", "siret", LENGTH),
    # French VAT FR40303265045
    ("FR40303265046", "FR", "tva", CHECKSUM),
    ("FR04303265045", "FR", "tva", CHECKSUM),
    ("FR4030326504", "FR", "tva", LENGTH),
    ("DE40303265045", "FR", "tva", COMPONENT),
    ("DE40303265045", "FR", "vat", COMPONENT),
    # NIR 2 95 10 99 126 111 93
    ("2 95 10 99 126 111 94", "FR", "nir", CHECKSUM),
    ("2 59 10 99 126 111 93", "FR", "nir", CHECKSUM),
    ("2 95 10 99 126 111 9", "FR", "nir", LENGTH),
    ("2 95 10 2C 126 111 93", "FR", "nir", FORMAT),
    # French NIF 3023217600053
    ("3023217600054", "FR", "nif", CHECKSUM),
    ("302321760005", "FR", "nif", LENGTH),
    ("9701987765432", "FR", "nif", COMPONENT),
    # RCS
    ("RCS Nanterre B 732 829 321", "FR", "rcs", CHECKSUM),
    ("RCS Nanterre C 732 829 320", "FR", "rcs", FORMAT),
    # CNPJ 16.727.230/0001-97 and 12.ABC.345/01DE-35
    ("16.727.230/0001-98", "BR", "cnpj", CHECKSUM),
    ("16.727.320/0001-97", "BR", "cnpj", CHECKSUM),
    ("16.727.230/0001-9", "BR", "cnpj", LENGTH),
    ("12.ABC.345/01DE-36", "BR", "cnpj", CHECKSUM),
    ("12.ABC.345/01ED-35", "BR", "cnpj", CHECKSUM),
    ("12.ABD.345/01DE-35", "BR", "cnpj", CHECKSUM),
    ("12.ABC.345/01DE-3", "BR", "cnpj", LENGTH),
    ("12.AB#.345/01DE-35", "BR", "cnpj", FORMAT),
    # CPF 390.533.447-05
    ("390.533.447-06", "BR", "cpf", CHECKSUM),
    ("390.533.474-05", "BR", "cpf", CHECKSUM),
    ("390.533.447-0", "BR", "cpf", LENGTH),
    ("390.533.447-055", "BR", "cpf", LENGTH),
    ("390.533.447=05", "BR", "cpf", FORMAT),
    # Portuguese NIF 501964843
    ("501964844", "PT", "nif", CHECKSUM),
    ("510964843", "PT", "nif", CHECKSUM),
    ("50196484", "PT", "nif", LENGTH),
    ("ES501964843", "PT", "nif", COMPONENT),
    # IBAN and BIC
    ("FR76 3000 6000 0112 3456 7890 188", "FR", "iban", CHECKSUM),
    ("FR76 3000 6000 0112 3456 7809 189", "FR", "iban", CHECKSUM),
    ("DE76 3000 6000 0112 3456 7890 189", None, "iban", CHECKSUM),
    ("BNPAFRPPXX", None, "bic", LENGTH),
    ("BNPA1RPPXXX", None, "bic", FORMAT),
    ("BNPAZZPPXXX", None, "bic", COMPONENT),
    # other VAT numbers
    ("DE136695977", "DE", "vat", CHECKSUM),
    ("DE13669597", "DE", "vat", LENGTH),
    ("FR136695976", "DE", "vat", COMPONENT),
    ("EL094259217", "GR", "vat", CHECKSUM),
    ("GB980780685", "GB", "vat", CHECKSUM),
    ("CHE-107.787.578 MWST", "CH", "vat", CHECKSUM),
    ("NO 995 525 829 MVA", "NO", "vat", CHECKSUM),
]


@pytest.mark.parametrize(
    ("text", "country", "kind", "expected"),
    MUTATIONS,
    ids=[f"{country}-{kind}-{text}" for text, country, kind, _ in MUTATIONS],
)
def test_mutations_fail_for_the_right_reason(
    text: str, country: str | None, kind: str, expected: tuple[type[InvalidTaxId], str]
) -> None:
    error_class, check = expected
    error = _raises_invalid(text, country, kind)
    assert type(error) is error_class
    assert isinstance(error, ValueError)
    assert error.details["check"] == check
    assert error.code == f"taxid.invalid_{check}"
    assert not taxid.is_valid(text, country, kind)
    result = taxid.check(text, country, kind)
    assert not result.valid and result.taxid is None and result.error is not None
    assert result.to_dict()["check"] == check
    assert result.to_dict()["error_code"] == error.code
    if country is not None and kind not in INTERNATIONAL:
        assert error.details["country"] == country
    if kind != "vat":
        assert error.details["kind"] == kind


@pytest.mark.parametrize(
    ("text", "country", "kind"),
    [
        ("FR40303265046", "FR", "tva"),
        ("DE136695977", "DE", "vat"),
        ("EL094259217", "GR", "vat"),
        ("GB980780685", "GB", "vat"),
        ("CHE-107.787.578 MWST", "CH", "vat"),
        ("PT501964844", "PT", "nif"),
        ("FR76 3000 6000 0112 3456 7890 188", "FR", "iban"),
        pytest.param(
            "NO 995 525 829 MVA",
            "NO",
            "mva",
        ),
    ],
)
def test_auto_detected_checksum_errors_name_the_detected_kind(
    text: str, country: str, kind: str
) -> None:
    error = _raises_invalid(text, None, None)
    assert isinstance(error, TaxIdChecksumError)
    assert error.details["kind"] == kind
    if kind not in INTERNATIONAL:
        assert error.details["country"] == country


@pytest.mark.parametrize("text", ["FR4030326504", "DE13669597", "PT50196484"])
def test_auto_detected_wrong_length_is_a_length_error(text: str) -> None:
    error = _raises_invalid(text, None, None)
    assert isinstance(error, TaxIdLengthError)
    assert error.details["check"] == "length"


def test_text_of_no_known_shape_is_not_recognised() -> None:
    for text in ("hello", "732829320", "ZZ123456789", "", "   "):
        error = _raises_invalid(text, None, None)
        assert isinstance(error, TaxIdNotRecognised)
        assert error.code == "taxid.not_recognised"
        assert error.details["check"] == "format"
        assert not taxid.is_valid(text)
    error = _raises_invalid("12345", "FR", None)
    assert isinstance(error, TaxIdNotRecognised)


def test_error_codes_are_stable() -> None:
    assert InvalidTaxId.code == "taxid.invalid"
    assert TaxIdFormatError.code == "taxid.invalid_format"
    assert TaxIdLengthError.code == "taxid.invalid_length"
    assert TaxIdChecksumError.code == "taxid.invalid_checksum"
    assert TaxIdComponentError.code == "taxid.invalid_component"
    assert TaxIdMismatch.code == "taxid.mismatch"
    assert TaxIdNotRecognised.code == "taxid.not_recognised"
    assert UnknownTaxIdKind.code == "taxid.unknown_kind"
    for error_class in (
        TaxIdFormatError,
        TaxIdLengthError,
        TaxIdChecksumError,
        TaxIdComponentError,
        TaxIdMismatch,
        TaxIdNotRecognised,
    ):
        assert issubclass(error_class, InvalidTaxId)
    assert issubclass(InvalidTaxId, ValueError)
    assert issubclass(UnknownTaxIdKind, ValueError)
    assert not issubclass(UnknownTaxIdKind, InvalidTaxId)


@pytest.mark.parametrize(
    ("text", "country", "kind", "english", "french", "portuguese"),
    [
        (
            "732829321",
            "FR",
            "siren",
            "732829321 is not a valid SIREN: its check digits do not match",
            "732829321 n'est pas un SIREN valide : sa clé de contrôle ne correspond pas",
            "732829321 não é um SIREN válido: os dígitos verificadores não conferem",
        ),
        (
            "2 95 10 99 126 111 9",
            "FR",
            "nir",
            "is not a valid French social security number (NIR): it has the wrong number",
            "n'est pas un numéro de sécurité sociale (NIR) valide : son nombre de caractères",
            "não é um número de seguridade social francês (NIR) válido: a quantidade",
        ),
        (
            "16.727.230/0001-9#",
            "BR",
            "cnpj",
            "16.727.230/0001-9# is not a valid CNPJ: it has characters or a shape",
            "16.727.230/0001-9# n'est pas un CNPJ valide : il contient des caractères",
            "16.727.230/0001-9# não é um CNPJ válido: contém caracteres",
        ),
        (
            "9701987765432",
            "FR",
            "nif",
            "is not a valid French tax number (NIF): one of its parts has an impossible value",
            "n'est pas un numéro fiscal (NIF) valide : l'une de ses parties",
            "não é um número fiscal francês (NIF) válido: uma das partes",
        ),
    ],
)
def test_errors_speak_english_french_and_brazilian_portuguese(
    text: str, country: str, kind: str, english: str, french: str, portuguese: str
) -> None:
    error = _raises_invalid(text, country, kind)
    assert english in str(error)
    assert english in error.localized("en")
    assert english in error.message
    assert french in error.localized("fr_FR")
    assert french in error.localized("fr")
    assert portuguese in error.localized("pt_BR")
    assert error.localized("de_DE") == error.message  # falls back to English
    data = error.to_dict()
    assert data["code"] == error.code
    assert data["message"] == error.message
    assert data["details"]["check"] == error.details["check"]
    json.dumps(data)


def test_not_recognised_and_unknown_kind_are_translated() -> None:
    error = _raises_invalid("hello", None, None)
    assert "n'est un identifiant valide d'aucun des types essayés" in error.localized("fr_FR")
    assert "não é um identificador válido de nenhum dos tipos" in error.localized("pt_BR")
    with pytest.raises(UnknownTaxIdKind) as info:
        taxid.parse("732829320", "FR", "nope")
    assert info.value.details["kind"] == "nope"
    assert "aucun type d'identifiant 'nope' pour FR" in info.value.localized("fr_FR")
    assert "nenhum tipo de identificador 'nope' para FR" in info.value.localized("pt_BR")


def test_errors_pickle_with_their_details() -> None:
    error = _raises_invalid("390.533.447-06", "BR", "cpf")
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is TaxIdChecksumError
    assert again.details == error.details
    assert str(again) == str(error)
    assert again.localized("pt_BR") == error.localized("pt_BR")


# -- unknown country or kind --------------------------------------------------------------------


def test_unknown_country_or_kind() -> None:
    cases: list[tuple[str, str | None, str | None]] = [
        ("732829320", "FR", "nope"),
        ("732829320", "ZZ", "siren"),
        ("732829320", "ZZ", None),
        ("390.533.447-05", "PT", "cpf"),
        ("390.533.447-05", None, "nope"),
        ("40303265045", None, "vat"),  # no prefix: no country to guess
        ("3023217600053", None, "nif"),  # several countries have a "nif"
    ]
    for text, country, kind in cases:
        with pytest.raises(UnknownTaxIdKind) as info:
            taxid.parse(text, country, kind)
        expected = "taxid.unknown_country" if country == "ZZ" else "taxid.unknown_kind"
        assert info.value.code == expected
        assert isinstance(info.value, ValueError)
        # documented: is_valid and check still raise for an unknown kind or country
        with pytest.raises(UnknownTaxIdKind):
            taxid.is_valid(text, country, kind)
        with pytest.raises(UnknownTaxIdKind):
            taxid.check(text, country, kind)
    with pytest.raises(UnknownTaxIdKind) as info:
        taxid.get_kind("ZZ", "vat")
    assert info.value.code == "taxid.unknown_country"
    assert "ZZ" in str(info.value)
    assert taxid.kinds("ZZ") == []


# -- is_valid never raises --------------------------------------------------------------------

_FUZZ_KINDS: list[tuple[str | None, str | None]] = [
    (None, None),
    ("FR", None),
    ("BR", None),
    ("PT", None),
    ("FR", "siren"),
    ("FR", "siret"),
    ("FR", "vat"),
    ("FR", "nir"),
    ("FR", "nif"),
    ("FR", "rcs"),
    ("BR", "cnpj"),
    ("BR", "cpf"),
    ("PT", "nif"),
    ("DE", "vat"),
    ("GB", "vat"),
    ("CH", "vat"),
    ("NO", "vat"),
    (None, "iban"),
    (None, "bic"),
    (None, "vat"),
]


@given(
    st.one_of(
        st.text(max_size=40),
        st.text(ALNUM + " .-/", max_size=30),
        st.sampled_from(["FR", "DE", "EL", "GB", "CHE", "NO", "PT", "RCS ", "BR"]).flatmap(
            lambda prefix: st.text(ALNUM + " .-/", max_size=20).map(lambda rest: prefix + rest)
        ),
    )
)
def test_is_valid_never_raises_for_a_bad_identifier(text: str) -> None:
    for country, kind in _FUZZ_KINDS:
        try:
            verdict = taxid.is_valid(text, country, kind)
        except UnknownTaxIdKind:
            assert (country, kind) == (None, "vat")  # no prefix: documented to raise
            continue
        assert verdict == taxid.check(text, country, kind).valid


@pytest.mark.parametrize("text", ["", " ", "\n", "²³", "٣٣٣٣٣٣٣٣٣", "A" * 500, "\x00", "İİİ"])
def test_is_valid_with_odd_text(text: str) -> None:
    for country, kind in _FUZZ_KINDS:
        if kind == "vat" and country is None:
            continue
        assert taxid.is_valid(text, country, kind) is False


# -- property tests -----------------------------------------------------------------------------


@given(valid_ids)
def test_parse_of_format_is_identity(case: tuple[str, str, str]) -> None:
    text, country, kind = case
    parsed = taxid.parse(text, country, kind)
    assert parsed.country == country
    assert parsed.kind == kind
    assert taxid.parse(parsed.format(), country, kind) == parsed
    assert taxid.parse(parsed.compact(), country, kind) == parsed
    assert taxid.parse(parsed.format(), parsed.country, parsed.kind) == parsed
    assert taxid.parse(parsed.format().lower(), country, kind) == parsed
    assert taxid.format(text, country, kind) == parsed.format()
    assert taxid.compact(text, country, kind) == parsed.compact()
    if parsed.kind_info.shows_prefix or kind == "iban":
        assert taxid.parse(parsed.format()) == parsed
    if parsed.is_vat:
        assert taxid.parse(parsed.vat_number()) == parsed
    assert pickle.loads(pickle.dumps(parsed)) == parsed
    assert hash(taxid.parse(parsed.format(), country, kind)) == hash(parsed)


@given(sirens())
def test_french_vat_from_siren_matches_its_siren(siren: str) -> None:
    vat = taxid.french_vat_from_siren(siren)
    assert (vat.country, vat.kind) == ("FR", "tva")
    assert vat.compact()[2:] == siren
    assert vat.vat_number() == "FR" + vat.compact()
    assert taxid.parse(vat.vat_number()) == vat
    taxid.check_vat_siren(vat, siren)
    taxid.check_vat_siren(vat.vat_number(), taxid.parse(siren, "FR", "siren"))
    assert taxid.french_vat_from_siren(taxid.parse(siren, "FR", "siren")) == vat


@given(sirets())
def test_a_siret_belongs_to_its_siren(siret: str) -> None:
    taxid.check_siret_siren(siret, siret[:9])
    parsed = taxid.parse(siret, "FR", "siret")
    taxid.check_siret_siren(parsed, taxid.parse(siret[:9], "FR", "siren"))


def _change_one(text: str, index: int, alphabet: str) -> str:
    current = text[index]
    replacement = alphabet[(alphabet.index(current) + 1) % len(alphabet)]
    return text[:index] + replacement + text[index + 1 :]


_MUTABLE = st.one_of(
    sirens().map(lambda text: (text, "FR", "siren", DIGITS)),
    sirets().map(lambda text: (text, "FR", "siret", DIGITS)),
    nirs().map(lambda text: (text, "FR", "nir", DIGITS)),
    cpfs().map(lambda text: (text, "BR", "cpf", DIGITS)),
    numeric_cnpjs().map(lambda text: (text, "BR", "cnpj", DIGITS)),
    alphanumeric_cnpjs().map(lambda text: (text, "BR", "cnpj", ALNUM)),
    portuguese_nifs().map(lambda text: (text, "PT", "nif", DIGITS)),
    german_ibans().map(lambda text: (text, "DE", "iban", DIGITS)),
)


def _stdnum_verdict(module: Any, text: str) -> type[InvalidTaxId] | None:
    """Our error class for stdnum's own verdict on ``text`` (None: stdnum accepts it)."""
    from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength, ValidationError

    try:
        module.validate(text)
    except InvalidChecksum:
        return TaxIdChecksumError
    except InvalidLength:
        return TaxIdLengthError
    except InvalidComponent:
        return TaxIdComponentError
    except ValidationError:
        return TaxIdFormatError
    return None


@given(_MUTABLE, st.integers(min_value=0), st.sampled_from(["change", "swap", "drop", "add"]))
def test_mutated_identifiers_fail_for_the_right_reason(
    case: tuple[str, str, str, str], position: int, mutation: str
) -> None:
    text, country, kind, alphabet = case
    module = taxid.get_kind(country, kind).module
    digit_positions = [i for i, char in enumerate(text) if char in DIGITS]
    if kind == "nir":  # keep the sex and the Corsican department shapes
        digit_positions = [i for i in digit_positions if i >= 7]
    if kind == "iban":  # keep the country code and check digits
        digit_positions = [i for i in digit_positions if i >= 4]
    index = digit_positions[position % len(digit_positions)]
    if mutation == "change":
        mutated = _change_one(text, index, alphabet)
    elif mutation == "swap":
        assume(index + 1 < len(text) and text[index] != text[index + 1])
        mutated = text[:index] + text[index + 1] + text[index] + text[index + 2 :]
    elif mutation == "drop":
        mutated = text[:index] + text[index + 1 :]
    else:
        mutated = text[:index] + text[index] + text[index:]
    # modular checks miss a few changes: stdnum itself is the judge of validity
    expected = _stdnum_verdict(module, mutated)
    assume(expected is not None)
    assert expected is not None
    if mutation in ("change", "swap"):
        assert expected in (TaxIdChecksumError, TaxIdFormatError)
    if mutation in ("drop", "add") and kind != "iban":
        assert expected in (TaxIdLengthError, TaxIdFormatError)
    error = _raises_invalid(mutated, country, kind)
    assert type(error) is expected, (mutated, error)
    checks = {
        TaxIdChecksumError: "checksum",
        TaxIdLengthError: "length",
        TaxIdFormatError: "format",
        TaxIdComponentError: "component",
    }
    assert error.details["check"] == checks[expected]
    assert not taxid.is_valid(mutated, country, kind)


# -- cross-checks --------------------------------------------------------------------------------


def test_check_siret_siren() -> None:
    taxid.check_siret_siren("73282932000074", "732829320")
    taxid.check_siret_siren("732 829 320 00074", "732 829 320")
    with pytest.raises(TaxIdMismatch) as info:
        taxid.check_siret_siren("73282932000074", "303265045")
    error = info.value
    assert error.details["check"] == "mismatch"
    assert error.code == "taxid.mismatch"
    assert "ne correspond pas" in error.localized("fr_FR")
    assert "não corresponde" in error.localized("pt_BR")
    # each value is also checked on its own
    with pytest.raises(TaxIdChecksumError):
        taxid.check_siret_siren("73282932000075", "732829320")
    with pytest.raises(TaxIdChecksumError):
        taxid.check_siret_siren("73282932000074", "732829321")
    # a TaxId of another kind is refused
    with pytest.raises(TaxIdMismatch):
        taxid.check_siret_siren(taxid.parse("732829320", "FR", "siren"), "732829320")


def test_check_vat_siren_and_french_vat_from_siren() -> None:
    assert taxid.french_vat_from_siren("732829320").vat_number() == "FR44732829320"
    assert taxid.french_vat_from_siren("303 265 045").vat_number() == "FR40303265045"
    assert taxid.french_vat_from_siren("732829320") == taxid.parse("FR44732829320")
    taxid.check_vat_siren("FR44732829320", "732829320")
    taxid.check_vat_siren(taxid.parse("FR40303265045"), taxid.parse("303265045", "FR", "siren"))
    with pytest.raises(TaxIdMismatch) as info:
        taxid.check_vat_siren("FR40303265045", "732829320")
    assert info.value.details["check"] == "mismatch"
    assert "FR44732829320" in info.value.details["reason"]
    with pytest.raises(TaxIdChecksumError):
        taxid.french_vat_from_siren("732829321")
    with pytest.raises(TaxIdChecksumError):
        taxid.check_vat_siren("FR40303265046", "303265045")
    with pytest.raises(TaxIdMismatch):
        taxid.check_vat_siren(taxid.parse("DE136695976"), "732829320")


def test_cross_check_mismatch_with_a_personal_id_stays_masked() -> None:
    cpf = taxid.parse("390.533.447-05", "BR", "cpf")
    with pytest.raises(TaxIdMismatch) as info:
        taxid.check_siret_siren(cpf, "732829320")
    for text in _error_outputs(info.value):
        assert_not_revealed(text, "39053344705")


# -- personal identifiers --------------------------------------------------------------------


def test_personal_identifiers_are_flagged_and_masked() -> None:
    cpf = taxid.parse("390.533.447-05", "BR", "cpf")
    assert cpf.personal
    assert repr(cpf) == "TaxId('BR', 'cpf', '***.***.***-05')"
    assert str(cpf) == "***.***.***-05"
    assert f"{cpf}" == "***.***.***-05"
    assert cpf.masked() == "***.***.***-05"
    assert taxid.mask("390.533.447-05") == "***.***.***-05"
    nir = taxid.parse("2 95 10 99 126 111 93", "FR", "nir")
    assert nir.personal
    assert str(nir) == "* ** ** ** *** *** 93"
    assert taxid.parse("3023217600053", "FR", "nif").personal
    assert taxid.parse("123456789", "PT", "nif").personal  # a person's NIF starts with 1-3
    for text, country, kind in [
        ("732829320", "FR", "siren"),
        ("73282932000074", "FR", "siret"),
        ("FR40303265045", "FR", "tva"),
        ("16.727.230/0001-97", "BR", "cnpj"),
        ("501964843", "PT", "nif"),
        ("FR76 3000 6000 0112 3456 7890 189", "FR", "iban"),
    ]:
        parsed = taxid.parse(text, country, kind)
        assert not parsed.personal
        assert str(parsed) == parsed.format()
        assert repr(parsed) == f"TaxId({country!r}, {parsed.kind!r}, {parsed.format()!r})"


def _assert_valid_personal_id_hidden(parsed: TaxId, text: str) -> None:
    clear = parsed.compact()
    assert parsed.personal
    outputs = [
        repr(parsed),
        str(parsed),
        f"{parsed}",
        f"{parsed!r}",
        parsed.masked(),
        _logged(parsed),
        repr([parsed]),
        repr({"id": parsed}),
        *_check_result_outputs(taxid.check(text, parsed.country, parsed.kind)),
    ]
    for output in outputs:
        assert_not_revealed(output, clear)
    # only the explicit calls give it
    assert parsed.compact() == clear
    assert _alnum(clear) in _alnum(parsed.format())


def _assert_invalid_personal_id_hidden(text: str, country: str | None, kind: str | None) -> None:
    with pytest.raises(InvalidTaxId) as info:
        taxid.parse(text, country, kind)
    for output in [
        *_error_outputs(info.value),
        *_check_result_outputs(taxid.check(text, country, kind)),
    ]:
        assert_not_revealed(output, text)


@settings(max_examples=100)  # many ids, each through every output; kept fast
@given(cpfs())
def test_no_cpf_in_clear(cpf: str) -> None:
    shown = stdnum_cpf.format(cpf)
    _assert_valid_personal_id_hidden(taxid.parse(shown, "BR", "cpf"), shown)
    _assert_valid_personal_id_hidden(taxid.parse(cpf, "BR"), cpf)
    wrong = cpf[:-1] + str((int(cpf[-1]) + 1) % 10)
    for bad in (wrong, stdnum_cpf.format(wrong), cpf + "1", cpf[:-1]):
        _assert_invalid_personal_id_hidden(bad, "BR", "cpf")
        _assert_invalid_personal_id_hidden(bad, "BR", None)
        _assert_invalid_personal_id_hidden(bad, None, None)


@settings(max_examples=100)  # many ids, each through every output; kept fast
@given(nirs())
def test_no_nir_in_clear(nir: str) -> None:
    shown = stdnum_nir.format(nir)
    _assert_valid_personal_id_hidden(taxid.parse(shown, "FR", "nir"), shown)
    _assert_valid_personal_id_hidden(taxid.parse(nir, "FR"), nir)
    wrong = nir[:-1] + str((int(nir[-1]) + 1) % 10)
    for bad in (wrong, stdnum_nir.format(wrong), nir + "1"):
        _assert_invalid_personal_id_hidden(bad, "FR", "nir")
        _assert_invalid_personal_id_hidden(bad, "FR", None)
        _assert_invalid_personal_id_hidden(bad, None, None)
    _assert_invalid_personal_id_hidden(nir[:-1], "FR", "nir")


class _Insured(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(hide_input_in_errors=True)
    nir: Nir


@given(nirs())
def test_no_nir_in_clear_in_pydantic_messages(nir: str) -> None:
    person = _Insured.model_validate({"nir": nir})
    assert_not_revealed(repr(person), nir)
    assert person.model_dump(mode="json") == {"nir": nir}  # storage form: explicit, clear
    wrong = nir[:-1] + str((int(nir[-1]) + 1) % 10)
    with pytest.raises(pydantic.ValidationError) as info:
        _Insured.model_validate({"nir": wrong})
    assert info.value.errors()[0]["type"] == "taxid.invalid_checksum"
    assert_not_revealed(str(info.value), wrong)
    assert_not_revealed(info.value.errors()[0]["msg"], wrong)


@settings(max_examples=50)  # many ids, each through every output; kept fast
@given(portuguese_nifs(first="123"))
def test_no_personal_portuguese_nif_in_clear(nif: str) -> None:
    parsed = taxid.parse(nif, "PT", "nif")
    _assert_valid_personal_id_hidden(parsed, nif)
    _assert_valid_personal_id_hidden(taxid.parse("PT" + nif), "PT" + nif)
    wrong = nif[:-1] + str((int(nif[-1]) + 1) % 10)
    assume(not stdnum_pt_nif.is_valid(wrong))
    _assert_invalid_personal_id_hidden(wrong, "PT", "nif")


@pytest.mark.parametrize(
    ("country", "kind"), [("PT", "nif"), ("PT", None), (None, None), (None, "vat")]
)
def test_no_personal_portuguese_nif_in_clear_with_its_prefix(
    country: str | None, kind: str | None
) -> None:
    # 123456789 is a valid NIF of a natural person (it starts with 1): change its check digit
    assert taxid.parse("123456789", "PT", "nif").personal
    _assert_invalid_personal_id_hidden("PT 123 456 780", country, kind)


def test_country_only_parse_masks_when_a_personal_kind_was_tried() -> None:
    nir_missing_a_digit = "2 95 10 99 126 111 9"
    _assert_invalid_personal_id_hidden(nir_missing_a_digit, "FR", None)


def test_personal_kinds_of_the_issue_are_flagged() -> None:
    for country, kind, sample in [
        ("FR", "nir", "295109912611193"),
        ("FR", "nif", "3023217600053"),
        ("BR", "cpf", "39053344705"),
        ("PT", "nif", "123456789"),
        ("PT", "nif", "451234567"),
        ("PT", "cc", "000000000ZZ4"),
    ]:
        assert taxid.get_kind(country, kind).is_personal(sample), (country, kind)
    for country, kind, sample in [
        ("FR", "siren", "732829320"),
        ("FR", "siret", "73282932000074"),
        ("FR", "tva", "40303265045"),
        ("BR", "cnpj", "16727230000197"),
        ("PT", "nif", "501964843"),
        ("INT", "iban", "FR7630006000011234567890189"),
        ("INT", "bic", "BNPAFRPPXXX"),
    ]:
        assert not taxid.get_kind(country, kind).is_personal(sample), (country, kind)


def test_every_stdnum_identifier_of_a_person_is_flagged() -> None:
    # identifiers whose stdnum description says they identify natural persons
    persons = [
        ("BE", "eid"),  # Belgian electronic identity card number
        ("BG", "pnf"),  # Bulgarian number of a foreigner
        ("CA", "bc_phn"),  # British Columbia personal health number
        ("CA", "sin"),  # Canadian social insurance number
        ("CR", "cpf"),  # Costa Rica physical person ID number
        ("CR", "cr"),  # Costa Rica foreigners ID number
        ("DO", "cedula"),  # Dominican Republic national identification number
        ("FI", "veronumero"),  # Finnish individual tax number
        ("IN", "vid"),  # Indian personal virtual identity number
        ("JP", "in_"),  # Japanese individual number
        ("MU", "nid"),  # Mauritian national identifier
        ("NL", "identiteitskaartnummer"),  # Dutch passport number
        ("NL", "onderwijsnummer"),  # Dutch student number
        ("PK", "cnic"),  # Pakistani national identity card number
        ("SI", "emso"),  # Slovenian unique master citizen number
        ("TH", "pin"),  # Thailand personal identification number
        ("UA", "rntrc"),  # Ukrainian individual taxpayer number
        ("US", "atin"),  # U.S. adoption taxpayer identification number
    ]
    missing = [key for key in persons if not taxid.get_kind(*key).is_personal("0" * 13)]
    assert missing == []


def test_check_result_to_dict_of_a_valid_personal_id() -> None:
    data = taxid.check("390.533.447-05", "BR", "cpf").to_dict(locale="pt_BR")
    assert data["valid"] is True
    assert data["personal"] is True
    assert data["input"] == "***.***.***-05"
    assert data["compact"] == "*********05"
    assert data["formatted"] == "***.***.***-05"
    assert data["label"] == "CPF"
    siren = taxid.check("732829320", "FR", "siren").to_dict(locale="fr_FR")
    assert siren["compact"] == "732829320" and siren["formatted"] == "732 829 320"
    assert siren["personal"] is False


# -- TaxId value semantics --------------------------------------------------------------------


def test_direct_construction_is_refused() -> None:
    with pytest.raises(TypeError):
        TaxId("FR", "siren", "732829320")
    with pytest.raises(TypeError):
        TaxId()


def test_taxid_is_immutable() -> None:
    siren = taxid.parse("732829320", "FR", "siren")
    with pytest.raises(AttributeError):
        siren.country = "DE"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        siren.kind = "siret"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        siren.extra = 1  # type: ignore[attr-defined]
    assert siren.compact() == "732829320"


def test_taxid_attributes_cannot_be_deleted() -> None:
    siren = taxid.parse("732829320", "FR", "siren")
    with pytest.raises(AttributeError):
        del siren.country
    assert siren.country == "FR"


def test_equality_and_hash() -> None:
    a = taxid.parse("FR40303265045")
    b = taxid.parse("40303265045", "FR", "vat")
    c = taxid.french_vat_from_siren("303265045")
    d = taxid.parse("fr 40 303 265 045", "FR", "tva")
    assert a == b == c == d
    assert len({a, b, c, d}) == 1
    assert a != taxid.parse("FR44732829320")
    assert taxid.parse("732829320", "FR", "siren") != taxid.parse("FR44732829320")
    assert a != "FR40303265045"
    assert (a == "FR40303265045") is False
    assert taxid.parse("NO93 8601 1117 947") == taxid.parse("NO93 8601 1117 947", "NO", "iban")
    assert taxid.parse("501964843", "PT", "nif") == taxid.parse("PT501964843")
    assert {taxid.parse("732829320", "FR", "siren"): 1}[taxid.parse("732 829 320", "FR")] == 1


@pytest.mark.parametrize(
    ("text", "country", "kind", "canonical", "compact", "shown"), EXAMPLES, ids=EXAMPLE_IDS
)
def test_pickle_and_copy(
    text: str, country: str, kind: str, canonical: str, compact: str, shown: str
) -> None:
    parsed = taxid.parse(text, country, kind)
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        again = pickle.loads(pickle.dumps(parsed, protocol=protocol))
        assert again == parsed
        assert hash(again) == hash(parsed)
        assert again.format() == parsed.format()
        assert again.kind_info is parsed.kind_info
        assert repr(again) == repr(parsed)
    assert copy.copy(parsed) == parsed
    assert copy.deepcopy(parsed) == parsed


def test_labels() -> None:
    nir = taxid.parse("2 95 10 99 126 111 93", "FR", "nir")
    assert nir.label == "French social security number (NIR)"
    assert nir.localized_label("fr_FR") == "numéro de sécurité sociale (NIR)"
    assert nir.localized_label("pt_BR") == "número de seguridade social francês (NIR)"
    assert taxid.get_kind("FR", "tva").localized_label("fr-FR") == (
        "numéro de TVA intracommunautaire"
    )
    assert taxid.get_kind("FR", "siren").label == "SIREN"
    assert taxid.get_kind("BR", "cpf").description.startswith("CPF")


# -- registry ------------------------------------------------------------------------------------


def _stdnum_national_modules() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for package in pkgutil.iter_modules(stdnum.__path__):
        if not package.ispkg or package.name == "iso7064":  # algorithms, not identifiers
            continue
        module = importlib.import_module(f"stdnum.{package.name}")
        for item in pkgutil.iter_modules(module.__path__):
            if not item.ispkg and not item.name.startswith("_"):
                found.add((package.name.rstrip("_").upper(), item.name))
    return found


def test_registry_covers_every_national_module_of_stdnum() -> None:
    national = _stdnum_national_modules()
    assert len(national) > 150
    registered = {(kind.country, kind.name) for kind in taxid.kinds()}
    assert national <= registered
    assert registered - national == {("INT", name) for name in INTERNATIONAL}
    for country, name in national:
        kind = taxid.get_kind(country, name)
        assert kind.module_name.endswith(f".{name}")
        assert callable(kind.module.validate)
        assert kind.label
    listed = taxid.kinds()
    assert listed == sorted(listed, key=lambda kind: (kind.country, kind.name))
    assert {kind.name for kind in taxid.kinds("FR")} >= {
        "siren",
        "siret",
        "tva",
        "nir",
        "nif",
        "rcs",
    }
    assert {kind.name for kind in taxid.kinds("BR")} >= {"cnpj", "cpf"}
    assert all(kind.country == "PT" for kind in taxid.kinds("pt"))


def test_vat_alias() -> None:
    assert taxid.get_kind("FR", "vat") is taxid.get_kind("FR", "tva")
    assert taxid.get_kind("FR", "vat").name == "tva"
    assert taxid.get_kind("fr", "VAT").is_vat
    assert taxid.get_kind("GR", "vat").is_vat
    assert taxid.get_kind("NO", "vat") is taxid.get_kind("NO", "mva")
    assert taxid.get_kind("PT", "vat") is taxid.get_kind("PT", "nif")
    assert not taxid.get_kind("FR", "siren").is_vat
    assert not taxid.get_kind("BR", "cnpj").is_vat
    for country in EU_AND_EUROPEAN_VAT_COUNTRIES:
        kind = taxid.get_kind(country, "vat")
        assert kind.is_vat and kind.country == country


def test_international_kinds() -> None:
    for name in ("iban", "bic", "lei", "isin", "iso11649"):
        kind = taxid.get_kind("INT", name)
        assert kind.country == "INT" and kind.module_name == f"stdnum.{name}"
    assert taxid.get_kind("DE", "iban") is taxid.get_kind("INT", "iban")
    iban = taxid.parse("FR76 3000 6000 0112 3456 7890 189")
    assert iban.kind_info is taxid.get_kind("INT", "iban")
    assert iban.country == "FR"


def test_country_given_for_an_iban_is_checked() -> None:
    with pytest.raises(InvalidTaxId):
        taxid.parse("FR76 3000 6000 0112 3456 7890 189", "DE", "iban")


# -- pydantic ------------------------------------------------------------------------------------


class Supplier(pydantic.BaseModel):
    siren: Siren
    siret: Siret
    vat: FrenchVat
    cnpj: Cnpj | None = None
    iban: Iban | None = None
    bic: Bic | None = None
    other_vat: VatNumber | None = None
    pt_nif: PortugueseNif | None = None
    any_id: TaxId | None = None
    custom: TaxIdField("FR", "siren") | None = None  # type: ignore[valid-type]


def test_pydantic_fields_validate_normalize_and_serialize() -> None:
    supplier = Supplier.model_validate(
        {
            "siren": "732 829 320",
            "siret": "732.829.320.00074",
            "vat": "fr 44 732 829 320",
            "cnpj": "12.abc.345/01de-35",
            "iban": "fr76 3000 6000 0112 3456 7890 189",
            "bic": "bnpafrppxxx",
            "other_vat": "CHE-107.787.577 MWST",
            "pt_nif": "501 964 843",
            "any_id": "EL094259216",
            "custom": "303265045",
        }
    )
    assert isinstance(supplier.siren, TaxId)
    assert supplier.siren == taxid.parse("732829320", "FR", "siren")
    dumped = supplier.model_dump(mode="json")
    assert dumped == {
        "siren": "732829320",
        "siret": "73282932000074",
        "vat": "FR44732829320",
        "cnpj": "12ABC34501DE35",
        "iban": "FR7630006000011234567890189",
        "bic": "BNPAFRPPXXX",
        "other_vat": "CHE107787577MWST",
        "pt_nif": dumped["pt_nif"],
        "any_id": {"country": "GR", "kind": "vat", "value": "094259216"},
        "custom": "303265045",
    }
    assert dumped["pt_nif"] in ("501964843", "PT501964843")
    assert supplier.model_dump()["siren"] == supplier.siren  # python mode keeps the TaxId
    again = Supplier.model_validate_json(supplier.model_dump_json())
    assert again == supplier
    assert Supplier.model_validate(dumped) == supplier
    # a TaxId is accepted as input too
    assert Supplier(siren=supplier.siren, siret=supplier.siret, vat=supplier.vat) == (
        Supplier.model_validate(
            {"siren": "732829320", "siret": "73282932000074", "vat": "FR44732829320"}
        )
    )


@pytest.mark.parametrize("text", ["DE136695976", "EL094259216", "GB980780684", "NO995525828MVA"])
def test_vat_number_field_keeps_the_prefix(text: str) -> None:
    class Invoice(pydantic.BaseModel):
        vat: VatNumber

    invoice = Invoice.model_validate({"vat": text.lower()})
    assert invoice.model_dump(mode="json") == {"vat": text}
    assert Invoice.model_validate_json(invoice.model_dump_json()) == invoice


def test_pydantic_personal_fields() -> None:
    class Person(pydantic.BaseModel):
        cpf: Cpf
        nir: Nir | None = None

    person = Person.model_validate({"cpf": "390.533.447-05", "nir": "2 95 10 99 126 111 93"})
    assert "390" not in repr(person) and "126" not in repr(person)
    assert person.model_dump(mode="json") == {"cpf": "39053344705", "nir": "295109912611193"}
    with pytest.raises(pydantic.ValidationError) as info:
        Person.model_validate({"cpf": "390.533.447-06"})
    (error,) = info.value.errors()
    assert error["type"] == "taxid.invalid_checksum"
    assert error["msg"] == (
        "***.***.***-06 is not a valid CPF: its check digits do not match (a typing mistake?)"
    )


@pytest.mark.parametrize(
    ("field", "text", "code"),
    [
        ("siren", "732829321", "taxid.invalid_checksum"),
        ("siren", "73282932", "taxid.invalid_length"),
        ("siren", "73282932A", "taxid.invalid_format"),
        ("siret", "73282932000075", "taxid.invalid_checksum"),
        ("vat", "DE40303265045", "taxid.invalid_component"),
        ("cnpj", "12.ABC.345/01DE-36", "taxid.invalid_checksum"),
        ("iban", "FR76 3000 6000 0112 3456 7890 188", "taxid.invalid_checksum"),
        ("bic", "BNPAZZPPXXX", "taxid.invalid_component"),
        ("other_vat", "40303265045", "taxid.unknown_kind"),
        ("any_id", "hello", "taxid.not_recognised"),
        ("any_id", {"country": "FR", "kind": "nope", "value": "1"}, "taxid.unknown_kind"),
        ("any_id", {"country": "FR", "kind": "siren", "value": "1"}, "taxid.invalid_length"),
    ],
)
def test_pydantic_errors_carry_the_library_code(field: str, text: object, code: str) -> None:
    values: dict[str, object] = {
        "siren": "732829320",
        "siret": "73282932000074",
        "vat": "FR44732829320",
        field: text,
    }
    with pytest.raises(pydantic.ValidationError) as info:
        Supplier.model_validate(values)
    (error,) = info.value.errors()
    assert error["loc"] == (field,)
    assert error["type"] == code


@pytest.mark.parametrize("field", ["siren", "any_id"])
def test_pydantic_non_text_input_is_a_validation_error(field: str) -> None:
    values: dict[str, object] = {
        "siren": "732829320",
        "siret": "73282932000074",
        "vat": "FR44732829320",
        field: 732829320,
    }
    with pytest.raises(pydantic.ValidationError):
        Supplier.model_validate(values)


def test_pydantic_taxid_field_takes_the_storage_dict() -> None:
    class Holder(pydantic.BaseModel):
        value: TaxId

    for parsed in (
        taxid.parse("390.533.447-05", "BR", "cpf"),
        taxid.parse("FR76 3000 6000 0112 3456 7890 189"),
        taxid.parse("NO93 8601 1117 947", "NO", "iban"),
        taxid.parse("RCS Nanterre B 732 829 320", "FR", "rcs"),
    ):
        holder = Holder(value=parsed)
        assert holder.model_dump(mode="json") == {"value": parsed.to_dict()}
        assert Holder.model_validate_json(holder.model_dump_json()) == holder
        assert Holder.model_validate({"value": parsed.to_dict()}) == holder
