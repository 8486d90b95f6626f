"""Brazilian access keys (chave de acesso) of the NF-e, NFC-e, CT-e and MDF-e."""

from __future__ import annotations

import string
from datetime import date

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.br import cnpj as stdnum_cnpj

from backoffice import taxid
from backoffice.compliance.nfe import (
    EMISSION_TYPES,
    MODELS,
    STATE_CODES,
    AccessKey,
    access_key_check_digit,
    build_access_key,
    check_parties,
    format_access_key,
    is_valid_access_key,
    parse_access_key,
    parties_consistent,
)
from backoffice.errors import (
    BackofficeError,
    InvalidTaxId,
    InvalidType,
    InvalidValue,
    TaxIdChecksumError,
    ValidationError,
)

# Keys published as worked examples of the layout:
# - "33-1503-08370779000149-55-001-000110093-1-00241077-5" (Mainô help centre, "Como é
#   formada a chave de acesso de uma NF-e, NFC-e, CT-e e MDF-e"): an NF-e of Rio de Janeiro;
# - "13181017921427000125650010000000309887251170" (Invoisys blog, "Como é formada a
#   chave de acesso"): an NFC-e of Amazonas.
RJ_NFE = "33150308370779000149550010001100931002410775"
AM_NFCE = "13181017921427000125650010000000309887251170"

# The alphanumeric CNPJ example of the Receita Federal, 12.ABC.345/01DE-35. By hand,
# each character counts ASCII - 48: 1 2 A=17 B=18 C=19 3 4 5 0 1 D=20 E=21.
# First digit, weights 5 4 3 2 9 8 7 6 5 4 3 2:
#   5+8+51+36+171+24+28+30+0+4+60+42 = 459; 459 mod 11 = 8; 11 - 8 = 3.
# Second digit, the 13 characters with weights 6 5 4 3 2 9 8 7 6 5 4 3 2:
#   6+10+68+54+38+27+32+35+0+5+80+63+6 = 424; 424 mod 11 = 6; 11 - 6 = 5.
ALPHA_CNPJ = "12ABC34501DE35"


def with_dv(first_43: str) -> str:
    """The key with its check digit recomputed: a corruption of one field only."""
    return first_43 + str(access_key_check_digit(first_43))


def problem_paths(error: ValidationError) -> list[str]:
    return [problem.path for problem in error.problems]


# -- published examples -----------------------------------------------------------------


def test_published_nfe_key_parses_into_its_fields() -> None:
    key = parse_access_key(RJ_NFE)
    assert key.uf == 33
    assert key.state == "RJ"
    assert (key.year, key.month) == (2015, 3)
    assert key.issuer == "08370779000149"
    assert key.issuer_kind == "cnpj"
    assert key.model == 55
    assert key.model_name == "NF-e"
    assert key.series == 1
    assert key.number == 110093
    assert key.emission_type == 1
    assert key.code == "00241077"
    assert key.check_digit == 5
    assert key.key == RJ_NFE
    assert str(key.issuer_taxid) == "08.370.779/0001-49"


def test_published_nfce_key_parses() -> None:
    key = parse_access_key(AM_NFCE)
    assert (key.state, key.model_name, key.number, key.emission_type) == ("AM", "NFC-e", 30, 9)
    assert key.code == "88725117"


def test_check_digit_by_hand() -> None:
    # Weights 2..9 from the right over 3315030837077900014955001000110093100241077 sum
    # to 655; 655 mod 11 = 6; 11 - 6 = 5, the last character of the published key.
    assert access_key_check_digit(RJ_NFE[:43]) == 5
    # 1318101792142700012565001000000030988725117 sums to 693 = 63 x 11: remainder 0
    # gives the digit 0.
    assert access_key_check_digit(AM_NFCE[:43]) == 0


def test_check_digit_rejects_a_wrong_input() -> None:
    with pytest.raises(InvalidValue):
        access_key_check_digit("123")
    with pytest.raises(InvalidType):
        access_key_check_digit(123)  # type: ignore[arg-type]


def test_format_groups_of_four_as_on_the_danfe() -> None:
    assert format_access_key(RJ_NFE) == "3315 0308 3707 7900 0149 5500 1000 1100 9310 0241 0775"
    assert format_access_key(parse_access_key(AM_NFCE)).replace(" ", "") == AM_NFCE


def test_spaces_and_the_xml_id_prefix_are_accepted() -> None:
    assert parse_access_key("NFe" + RJ_NFE).key == RJ_NFE
    assert parse_access_key(format_access_key(RJ_NFE)).key == RJ_NFE
    assert parse_access_key(f"  {RJ_NFE}\n").key == RJ_NFE


def test_is_valid_never_raises() -> None:
    assert is_valid_access_key(RJ_NFE)
    assert not is_valid_access_key(RJ_NFE[:-1] + "6")
    assert not is_valid_access_key(None)
    assert not is_valid_access_key("x" * 500)


# -- the alphanumeric CNPJ --------------------------------------------------------------


def test_receita_federal_alphanumeric_example_is_valid() -> None:
    assert stdnum_cnpj.calc_check_digits(ALPHA_CNPJ[:12]) == "35"
    assert taxid.is_valid("12.ABC.345/01DE-35", "BR", "cnpj")
    assert not taxid.is_valid("12.ABC.345/01DE-36", "BR", "cnpj")


def test_key_with_an_alphanumeric_cnpj() -> None:
    key = build_access_key(
        uf="SP",
        issued=date(2026, 7, 1),
        issuer="12.ABC.345/01DE-35",
        series=1,
        number=42,
        code=12345678,
    )
    # 35260712ABC34501DE3555001000000042112345678 with ASCII - 48 weights 2..9 from the
    # right sums to 862; 862 mod 11 = 4; 11 - 4 = 7.
    assert key.key == "35260712ABC34501DE35550010000000421123456787"
    assert parse_access_key(key.key.lower()) == key
    assert key.issuer == ALPHA_CNPJ


def test_letters_only_in_the_first_12_characters_of_the_cnpj_field() -> None:
    # letters in the CNPJ's check digits (positions 19 and 20)
    bad = "35260712ABC34501DEA5550010000000421123456787"
    with pytest.raises(InvalidValue, match="character 19"):
        parse_access_key(bad)
    # a letter in the number
    with pytest.raises(InvalidValue, match="character 30"):
        parse_access_key(RJ_NFE[:29] + "A" + RJ_NFE[30:])


def test_known_blind_spot_of_ascii_minus_48() -> None:
    """'6' (6) and 'A' (17) differ by 11: neither the CNPJ's check digits nor the key's
    see the swap, a property of the modulo 11 the Receita Federal kept."""
    key = "35260712ABC34501DE35550010000000421123456787"
    swapped = key[:8] + "6" + key[9:]
    assert is_valid_access_key(swapped)


# -- each kind of corruption ------------------------------------------------------------


def test_wrong_check_digit() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_access_key(RJ_NFE[:-1] + "4")
    assert problem_paths(caught.value) == ["cDV"]
    assert "give 5" in caught.value.message


def test_altered_character() -> None:
    altered = RJ_NFE[:30] + "7" + RJ_NFE[31:]  # a digit of nNF mistyped
    with pytest.raises(ValidationError) as caught:
        parse_access_key(altered)
    assert problem_paths(caught.value) == ["cDV"]


@pytest.mark.parametrize("uf", ["00", "10", "20", "34", "54", "99"])
def test_wrong_state(uf: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_access_key(with_dv(uf + RJ_NFE[2:43]))
    assert problem_paths(caught.value) == ["cUF"]


@pytest.mark.parametrize("month", ["00", "13", "99"])
def test_impossible_month(month: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_access_key(with_dv(RJ_NFE[:4] + month + RJ_NFE[6:43]))
    assert problem_paths(caught.value) == ["AAMM"]
    assert "01 to 12" in caught.value.message


@pytest.mark.parametrize("model", ["01", "56", "59", "66", "99"])
def test_bad_model(model: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_access_key(with_dv(RJ_NFE[:20] + model + RJ_NFE[22:43]))
    assert problem_paths(caught.value) == ["mod"]


@pytest.mark.parametrize("model", sorted(MODELS))
def test_every_model_with_this_layout_is_read(model: int) -> None:
    key = parse_access_key(with_dv(RJ_NFE[:20] + f"{model:02d}" + RJ_NFE[22:43]))
    assert key.model_name == MODELS[model]


def test_bad_form_of_emission() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_access_key(with_dv(RJ_NFE[:34] + "0" + RJ_NFE[35:43]))
    assert problem_paths(caught.value) == ["tpEmis"]
    assert set(EMISSION_TYPES) == set(range(1, 10))


def test_number_zero() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_access_key(with_dv(RJ_NFE[:25] + "000000000" + RJ_NFE[34:43]))
    assert problem_paths(caught.value) == ["nNF"]


def test_wrong_cnpj_check_digits() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_access_key(with_dv(RJ_NFE[:19] + "8" + RJ_NFE[20:43]))  # ...0001-48
    assert problem_paths(caught.value) == ["CNPJ"]
    assert caught.value.problems[0].code == TaxIdChecksumError.code


def test_every_problem_is_reported_at_once() -> None:
    bad = "99" + "2613" + RJ_NFE[6:20] + "56" + RJ_NFE[22:34] + "0" + RJ_NFE[35:43] + "0"
    with pytest.raises(ValidationError) as caught:
        parse_access_key(bad)
    assert problem_paths(caught.value) == ["cUF", "AAMM", "mod", "tpEmis", "cDV"]


@pytest.mark.parametrize(
    "text", ["", RJ_NFE[:-1], RJ_NFE + "0", RJ_NFE[:10] + "-" + RJ_NFE[11:], "CTe" + RJ_NFE[1:]]
)
def test_wrong_shape(text: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_access_key(text)
    assert caught.value.details["field"] == "chave de acesso"


def test_not_text() -> None:
    with pytest.raises(InvalidType):
        parse_access_key(int(RJ_NFE))  # type: ignore[arg-type]


# -- an issuer with a CPF ---------------------------------------------------------------

CPF = "39053344705"  # the CPF of python-stdnum's documentation, 390.533.447-05


def test_issuer_with_a_cpf_padded_with_zeros() -> None:
    assert cpf_check_digits(CPF[:9]) == CPF[9:]
    key = build_access_key(
        uf=35, issued=date(2026, 1, 15), issuer="390.533.447-05", series=0, number=1, code=7
    )
    assert key.issuer == "000" + CPF
    assert key.issuer_kind == "cpf"
    assert key.issuer_id == CPF
    assert key.personal
    assert CPF not in repr(key)
    assert CPF not in str(key)
    assert parse_access_key(key.key) == key
    assert key.issuer_taxid.kind == "cpf"


def test_a_padded_invalid_cpf_is_reported_as_a_cnpj_problem_without_the_cpf() -> None:
    field = "000" + CPF[:-1] + "6"
    with pytest.raises(ValidationError) as caught:
        parse_access_key(with_dv(RJ_NFE[:6] + field + RJ_NFE[20:43]))
    assert problem_paths(caught.value) == ["CNPJ"]


# -- building keys ----------------------------------------------------------------------


def test_build_gives_back_the_published_key() -> None:
    key = build_access_key(
        uf="RJ",
        issued=date(2015, 3, 20),
        issuer="08.370.779/0001-49",
        model=55,
        series=1,
        number=110093,
        code="00241077",
        emission_type=1,
    )
    assert key.key == RJ_NFE


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"uf": "XX"}, InvalidValue, "uf"),
        ({"uf": 20}, InvalidValue, "uf"),
        ({"uf": 99}, InvalidValue, "uf"),
        ({"model": 56}, InvalidValue, "model"),
        ({"series": 1000}, InvalidValue, "series"),
        ({"number": 0}, InvalidValue, "number"),
        ({"number": True}, InvalidType, "number"),
        ({"code": 123456789}, InvalidValue, "code"),
        ({"code": 1.0}, InvalidType, "code"),
        ({"emission_type": 0}, InvalidValue, "emission_type"),
        ({"issued": date(1999, 12, 1)}, InvalidValue, "issued"),
        ({"issued": "2026-01-01"}, InvalidType, "issued"),
    ],
)
def test_build_rejects_bad_fields(
    changes: dict[str, object], error: type[BackofficeError], field: str
) -> None:
    arguments: dict[str, object] = {
        "uf": 33,
        "issued": date(2015, 3, 1),
        "issuer": "08370779000149",
        "series": 1,
        "number": 1,
        "code": 1,
    } | changes
    with pytest.raises(error) as caught:
        build_access_key(**arguments)  # type: ignore[arg-type]
    assert caught.value.details["field"] == field


def test_build_rejects_a_wrong_issuer() -> None:
    with pytest.raises(InvalidTaxId):
        build_access_key(
            uf=33, issued=date(2026, 1, 1), issuer="08370779000148", series=1, number=1, code=1
        )
    with pytest.raises(InvalidTaxId) as caught:
        build_access_key(
            uf=33, issued=date(2026, 1, 1), issuer="39053344706", series=1, number=1, code=1
        )
    assert "39053344706" not in caught.value.message


# -- the parties ------------------------------------------------------------------------


def test_parties_that_agree() -> None:
    check_parties(RJ_NFE, issuer="08.370.779/0001-49", buyer_cnpj="12.ABC.345/01DE-35")
    check_parties(parse_access_key(RJ_NFE), issuer="08370779000149", buyer_cpf=CPF)
    check_parties(RJ_NFE, issuer="08370779000149", buyer_foreign_id="X123")
    assert parties_consistent(AM_NFCE, issuer="17921427000125")  # NFC-e: anonymous buyer


def test_issuer_that_is_not_the_one_in_the_key() -> None:
    with pytest.raises(ValidationError) as caught:
        check_parties(RJ_NFE, issuer="17.921.427/0001-25", buyer_cpf=CPF)
    assert problem_paths(caught.value) == ["issuer"]
    assert caught.value.problems[0].code == "taxid.mismatch"


def test_issuer_cpf_against_a_cnpj_key_is_masked() -> None:
    with pytest.raises(ValidationError) as caught:
        check_parties(RJ_NFE, issuer=CPF, buyer_cpf=CPF)
    assert problem_paths(caught.value) == ["issuer"]
    assert CPF not in caught.value.message


def test_buyer_identified_by_exactly_one_identifier() -> None:
    with pytest.raises(ValidationError) as caught:
        check_parties(RJ_NFE, issuer="08370779000149", buyer_cnpj=ALPHA_CNPJ, buyer_cpf=CPF)
    assert problem_paths(caught.value) == ["buyer"]
    with pytest.raises(ValidationError) as caught:
        check_parties(RJ_NFE, issuer="08370779000149")
    assert problem_paths(caught.value) == ["buyer"]


def test_every_party_problem_at_once_and_masked() -> None:
    with pytest.raises(ValidationError) as caught:
        check_parties(
            RJ_NFE, issuer="08370779000148", buyer_cnpj="12ABC34501DE36", buyer_cpf="39053344706"
        )
    assert problem_paths(caught.value) == ["issuer", "buyer", "buyer_cnpj", "buyer_cpf"]
    assert "39053344706" not in caught.value.message
    assert not parties_consistent(RJ_NFE, issuer="08370779000148", buyer_cpf=CPF)


# -- properties -------------------------------------------------------------------------

ALNUM = string.digits + string.ascii_uppercase


def cpf_check_digits(base: str) -> str:
    """The CPF's two modulo 11 check digits (weights 10..2, then 11..2)."""
    digits = [int(char) for char in base]
    for _ in range(2):
        total = sum(d * w for d, w in zip(digits, range(len(digits) + 1, 1, -1), strict=True))
        digits.append((11 - total % 11) % 11 % 10)
    return f"{digits[-2]}{digits[-1]}"


@st.composite
def issuers(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        base = draw(st.text(ALNUM, min_size=12, max_size=12).filter(lambda s: s != "0" * 12))
        return base + stdnum_cnpj.calc_check_digits(base)
    base = draw(st.text(string.digits, min_size=9, max_size=9).filter(lambda s: len(set(s)) > 1))
    return base + cpf_check_digits(base)


@st.composite
def keys(draw: st.DrawFn) -> AccessKey:
    return build_access_key(
        uf=draw(st.sampled_from(sorted(STATE_CODES))),
        issued=draw(st.dates(date(2000, 1, 1), date(2099, 12, 31))),
        issuer=draw(issuers()),
        model=draw(st.sampled_from(sorted(MODELS))),
        series=draw(st.integers(0, 999)),
        number=draw(st.integers(1, 999_999_999)),
        code=draw(st.integers(0, 99_999_999)),
        emission_type=draw(st.integers(1, 9)),
    )


def _remainder(first_43: str) -> int:
    total, weight = 0, 2
    for char in reversed(first_43):
        total += (ord(char) - 48) * weight
        weight = 2 if weight == 9 else weight + 1
    return total % 11


@given(keys())
def test_any_built_key_parses_back(key: AccessKey) -> None:
    assert parse_access_key(key.key) == key
    assert parse_access_key(format_access_key(key)) == key


@given(keys(), st.integers(0, 43), st.sampled_from(ALNUM))
def test_a_single_character_change_is_rejected(key: AccessKey, position: int, char: str) -> None:
    text = key.key
    if text[position] == char:
        return
    altered = text[:position] + char + text[position + 1 :]
    if is_valid_access_key(altered):
        # Only the two blind spots of the modulo 11 let a change through: remainders 0
        # and 1 both give the digit 0, and in the CNPJ field two characters whose
        # values (ASCII - 48) differ by 11, 22 or 33 weigh the same modulo 11.
        collapse = {_remainder(text[:43]), _remainder(altered[:43])} <= {0, 1}
        same_weight = 6 <= position < 18 and (ord(char) - ord(text[position])) % 11 == 0
        assert position != 43
        assert collapse or same_weight


def test_parties_of_a_key_issued_under_a_cpf() -> None:
    key = build_access_key(uf=35, issued=date(2026, 1, 15), issuer=CPF, series=0, number=1, code=7)
    check_parties(key, issuer="390.533.447-05", buyer_cnpj=ALPHA_CNPJ)
    with pytest.raises(ValidationError) as caught:
        check_parties(key, issuer="08370779000149", buyer_cnpj=ALPHA_CNPJ)
    assert problem_paths(caught.value) == ["issuer"]
    assert CPF not in caught.value.message


def test_a_key_built_from_its_fields_is_checked_too() -> None:
    key = parse_access_key(RJ_NFE)
    assert attrs.evolve(key) == key
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(key, number=110094)
    assert problem_paths(caught.value) == ["cDV"]
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(key, issuer_kind="cpf")
    assert problem_paths(caught.value) == ["CNPJ"]
    with pytest.raises(InvalidType):
        attrs.evolve(key, uf="33")  # type: ignore[arg-type]
    with pytest.raises(InvalidValue):
        attrs.evolve(key, series=1000)
    with pytest.raises(InvalidValue):
        attrs.evolve(key, code="0024107")
    with pytest.raises(InvalidValue):
        attrs.evolve(key, issuer="0837077900014")
    with pytest.raises(InvalidValue):
        attrs.evolve(key, issuer_kind="nif")  # type: ignore[arg-type]
