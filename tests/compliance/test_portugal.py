"""Portugal: ATCUD, the signature chain (Portaria 363/2010) and the QR code payload."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice.compliance.portugal import (
    QR_FIELDS,
    Atcud,
    DocumentNumber,
    QrCode,
    SaleDocument,
    Signer,
    TaxRegion,
    Verifier,
    build_atcud,
    build_qr_payload,
    check_atcud,
    is_valid_atcud,
    parse_atcud,
    parse_document_number,
    parse_qr_payload,
    printed_hash_characters,
    printed_signature_mention,
    sign_documents,
    signing_message,
    verify_chain,
)
from backoffice.core.money import Money
from backoffice.errors import (
    FloatNotAllowed,
    InvalidType,
    InvalidValue,
    NaiveDatetime,
    ValidationError,
)

# -- ATCUD ------------------------------------------------------------------------------


def test_atcud_of_the_at_example() -> None:
    # The AT's QR code specification shows the ATCUD "CSDF7T5H-0035" for the document
    # "FT AB2019/0035".
    atcud = parse_atcud("CSDF7T5H-0035")
    assert atcud == Atcud("CSDF7T5H", "0035")
    assert atcud.sequence == 35
    assert str(atcud) == "CSDF7T5H-0035"
    assert atcud.printed() == "ATCUD:CSDF7T5H-0035"
    assert parse_atcud("ATCUD:CSDF7T5H-0035") == atcud
    check_atcud(atcud, "FT AB2019/0035")


def test_build_atcud() -> None:
    assert str(build_atcud("JFJ6CGKC", 1)) == "JFJ6CGKC-1"
    assert build_atcud("ABCD1234EFGH", 123456).sequence == 123456
    with pytest.raises(InvalidValue):
        build_atcud("ABCD1234", 0)
    with pytest.raises(InvalidValue):
        build_atcud("ABC", 1)
    with pytest.raises(InvalidType):
        build_atcud("ABCD1234", "1")  # type: ignore[arg-type]
    with pytest.raises(InvalidType):
        build_atcud(12345678, 1)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "CSDF7T5-35",  # a 7-character validation code (at least 8: Portaria 195/2020)
        "csdf7t5h-35",  # the AT's codes are capital letters and digits
        "CSDF7T5H-0",  # the sequential number starts at 1
        "CSDF7T5H35",  # no hyphen
        "CSDF7T5H-",
        "-35",
        "CSDF7T5H-3A",
        "CSDF_T5H-35",
        "A" * 60 + "-1234567890",  # more than 70 characters
        "",
    ],
)
def test_invalid_atcud(text: str) -> None:
    assert not is_valid_atcud(text)
    with pytest.raises(InvalidValue) as caught:
        parse_atcud(text)
    assert caught.value.details["field"] == "ATCUD"


def test_atcud_not_text() -> None:
    with pytest.raises(InvalidType):
        parse_atcud(35)  # type: ignore[arg-type]
    assert not is_valid_atcud(None)


def test_document_number() -> None:
    assert parse_document_number("FT A/123") == DocumentNumber("FT", "A", 123)
    number = parse_document_number("FT AB2019/0035")
    assert (number.series_key, str(number)) == ("FT AB2019", "FT AB2019/35")
    for bad in ("FT A 123", "FTA/123", "FT A/0", "FT A/B/1", "FT A/12x", "FT  A/1", ""):
        with pytest.raises(InvalidValue):
            parse_document_number(bad)


def test_atcud_must_carry_the_document_number() -> None:
    with pytest.raises(InvalidValue, match="ends with 36 but the document is number 35"):
        check_atcud("CSDF7T5H-36", parse_document_number("FT AB2019/35"))


# -- the signature chain ----------------------------------------------------------------


class HmacSigner:
    """A deterministic stand-in for the producer's RSA key in tests: HMAC-SHA256 in
    base 64 (44 characters, enough for the four printed ones)."""

    def __init__(self, key: bytes = b"test key") -> None:
        self.key = key
        self.messages: list[str] = []

    def sign(self, message: str) -> str:
        self.messages.append(message)
        digest = hmac.new(self.key, message.encode("utf-8"), hashlib.sha256).digest()
        return base64.b64encode(digest).decode("ascii")

    def verify(self, message: str, signature: str) -> bool:
        digest = hmac.new(self.key, message.encode("utf-8"), hashlib.sha256).digest()
        return hmac.compare_digest(base64.b64encode(digest).decode("ascii"), signature)


def test_the_test_signer_fits_the_protocols() -> None:
    assert isinstance(HmacSigner(), Signer)
    assert isinstance(HmacSigner(), Verifier)


def test_message_of_the_first_document_ends_with_an_empty_hash() -> None:
    # Same layout as the worked example of the signature manuals (a first record signs
    # "2018-05-18;2018-05-18T11:22:19;FAC 001/18;53.00;").
    message = signing_message(
        invoice_date=date(2018, 5, 18),
        system_entry_date="2018-05-18T11:22:19",
        invoice_no="FAC 001/18",
        gross_total="53.00",
    )
    assert message == "2018-05-18;2018-05-18T11:22:19;FAC 001/18;53.00;"


def test_message_fields() -> None:
    lisbon = timezone(timedelta(hours=1))
    message = signing_message(
        invoice_date=date(2026, 3, 2),
        system_entry_date=datetime(2026, 3, 2, 10, 5, 9, 123, tzinfo=lisbon),
        invoice_no=" FT A/0007 ",
        gross_total=Decimal("1234.5"),
        previous_hash="abc+/=",
    )
    assert message == "2026-03-02;2026-03-02T10:05:09;FT A/0007;1234.50;abc+/="
    assert signing_message(
        invoice_date=date(2026, 3, 2),
        system_entry_date="2026-03-02T10:05:09",
        invoice_no="FT A/1",
        gross_total=7,
    ).endswith(";7.00;")


def test_message_rejects_floats_and_naive_datetimes() -> None:
    arguments: dict[str, object] = {
        "invoice_date": date(2026, 3, 2),
        "system_entry_date": "2026-03-02T10:05:09",
        "invoice_no": "FT A/1",
        "gross_total": "10.00",
    }
    with pytest.raises(FloatNotAllowed) as caught:
        signing_message(**arguments | {"gross_total": 10.0})  # type: ignore[arg-type]
    assert caught.value.details["field"] == "gross_total"
    with pytest.raises(NaiveDatetime):
        signing_message(**arguments | {"system_entry_date": datetime(2026, 3, 2)})  # type: ignore[arg-type]  # noqa: DTZ001
    bad_values: list[dict[str, object]] = [
        {"system_entry_date": "2026-03-02 10:05:09"},
        {"system_entry_date": "2026-02-30T10:05:09"},
        {"gross_total": "10.001"},
        {"gross_total": "-1.00"},
        {"gross_total": Money("10", "BRL")},
        {"invoice_no": "FT-1"},
        {"previous_hash": "a;b"},
    ]
    for bad in bad_values:
        with pytest.raises(InvalidValue):
            signing_message(**arguments | bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidType):
        signing_message(**arguments | {"invoice_date": datetime.now(UTC)})  # type: ignore[arg-type]
    with pytest.raises(InvalidType):
        signing_message(**arguments | {"gross_total": [1]})  # type: ignore[arg-type]


def documents() -> list[SaleDocument]:
    day = date(2026, 3, 2)
    return [
        SaleDocument(day, "2026-03-02T09:00:00", "FT A/1", "100.00"),
        SaleDocument(day, "2026-03-02T09:05:00", "FS B/1", "12.30"),
        SaleDocument(day, "2026-03-02T09:10:00", "FT A/2", "45.60"),
        SaleDocument(day, "2026-03-02T09:15:00", "FT A/3", Money("7.89", "EUR")),
        SaleDocument(day, "2026-03-02T09:20:00", "FS B/2", Decimal("1")),
    ]


def test_each_series_chains_its_own_signatures() -> None:
    signer = HmacSigner()
    signed = sign_documents(documents(), signer)
    assert all(document.hash for document in signed)
    messages = signer.messages
    assert messages[0] == "2026-03-02;2026-03-02T09:00:00;FT A/1;100.00;"
    assert messages[1] == "2026-03-02;2026-03-02T09:05:00;FS B/1;12.30;"
    assert messages[2].endswith(";FT A/2;45.60;" + signed[0].hash)
    assert messages[3].endswith(";FT A/3;7.89;" + signed[2].hash)
    assert messages[4].endswith(";FS B/2;1.00;" + signed[1].hash)
    check = verify_chain(signed, signer)
    assert check.valid
    assert bool(check)


def test_an_altered_amount_breaks_the_chain_there() -> None:
    signer = HmacSigner()
    signed = sign_documents(documents(), signer)
    signed[2] = attrs.evolve(signed[2], gross_total=Money("45.61", "EUR"))
    check = verify_chain(signed, signer)
    assert not check
    assert (check.index, check.invoice_no) == (2, "FT A/2")
    assert check.reason is not None and "signature does not match" in check.reason


def test_a_removed_document_breaks_the_chain() -> None:
    signer = HmacSigner()
    signed = sign_documents(documents(), signer)
    del signed[2]  # FT A/2
    check = verify_chain(signed, signer)
    assert (check.valid, check.index, check.invoice_no) == (False, 2, "FT A/3")
    assert check.reason is not None and "number 3 follows 1" in check.reason


def test_a_renumbered_copy_breaks_the_chain() -> None:
    signer = HmacSigner()
    signed = sign_documents(documents(), signer)
    # FT A/2 removed and FT A/3 renumbered to hide the gap: its signature gives it away
    signed[3] = attrs.evolve(signed[3], invoice_no="FT A/2")
    del signed[2]
    check = verify_chain(signed, signer)
    assert (check.index, check.invoice_no) == (2, "FT A/2")


def test_a_first_document_signed_with_a_previous_hash_is_broken() -> None:
    signer = HmacSigner()
    signed = sign_documents(documents()[:1], signer, previous={"FT A": "older"})
    assert not verify_chain(signed, signer)
    assert verify_chain(signed, signer, previous={"FT A": "older"})


def test_continuing_a_chain() -> None:
    signer = HmacSigner()
    first = sign_documents(documents()[:3], signer)
    rest = sign_documents(documents()[3:], signer, previous={"FT A": first[2].hash,
                                                             "FS B": first[1].hash})  # fmt: skip
    assert verify_chain([*first, *rest], signer)
    assert verify_chain(rest, signer, previous={"FT A": first[2].hash, "FS B": first[1].hash})


def test_an_unsigned_document_or_a_wrong_key() -> None:
    signer = HmacSigner()
    check = verify_chain(documents(), signer)
    assert (check.index, check.reason) == (0, "the document is not signed")
    signed = sign_documents(documents(), signer)
    assert verify_chain(signed, HmacSigner(b"another key")).index == 0


def test_chain_input_types() -> None:
    with pytest.raises(InvalidType):
        sign_documents(["FT A/1"], HmacSigner())  # type: ignore[list-item]
    with pytest.raises(InvalidType):
        verify_chain(["FT A/1"], HmacSigner())  # type: ignore[list-item]

    class Broken:
        def sign(self, message: str) -> str:
            return ""

    with pytest.raises(InvalidValue):
        sign_documents(documents(), Broken())
    with pytest.raises(InvalidType):
        SaleDocument("2026-01-01", "2026-01-01T00:00:00", "FT A/1", "1.50")  # type: ignore[arg-type]
    with pytest.raises(FloatNotAllowed):
        SaleDocument(date(2026, 1, 1), "2026-01-01T00:00:00", "FT A/1", 1.5)  # type: ignore[arg-type]


def test_printed_characters() -> None:
    # Portaria 363/2010, art. 6.º, n.º 3, a): characters 1, 11, 21 and 31.
    signature = "".join(chr(ord("A") + i % 26) for i in range(40))
    assert printed_hash_characters(signature) == "AKUE"
    assert (
        printed_signature_mention(signature, "1234")
        == "AKUE-Processado por programa certificado n.º 1234/AT"
    )
    with pytest.raises(InvalidValue):
        printed_hash_characters("too short")
    with pytest.raises(InvalidType):
        printed_hash_characters(None)  # type: ignore[arg-type]
    with pytest.raises(InvalidValue):
        printed_signature_mention(signature, "12a")


# -- the QR code ------------------------------------------------------------------------

# The example of the AT's "Especificações Técnicas Código de Barras Bidimensional
# (Código QR)" (also reproduced in Oracle's JD Edwards documentation, "Understanding Two
# Dimensional Barcode (QR-Code)", where the page layout broke "J7:100000.00" in two and
# dropped the space of "FT AB2019/0035"). Its sums hold: N = I4+I6+I8+J4+J6+J8+K4+K6+K8+M
# = 64000.02, and O = the bases + L + N = 513600.58.
AT_EXAMPLE = (
    "A:123456789*B:999999990*C:PT*D:FT*E:N*F:20191231*G:FT AB2019/0035*H:CSDF7T5H-0035*"
    "I1:PT*I2:12000.00*I3:15000.00*I4:900.00*I5:50000.00*I6:6500.00*I7:80000.00*"
    "I8:18400.00*J1:PT-AC*J2:10000.00*J3:25000.56*J4:1000.02*J5:75000.00*J6:6750.00*"
    "J7:100000.00*J8:18000.00*K1:PT-MA*K2:5000.00*K3:12500.00*K4:625.00*K5:25000.00*"
    "K6:3000.00*K7:40000.00*K8:8800.00*L:100.00*M:25.00*N:64000.02*O:513600.58*P:100.00*"
    "Q:kLp0*R:9999*S:TB;PT00000000000000000000000;513500.58"
)


def eur(text: str) -> Money:
    return Money(text, "EUR")


def test_the_at_example_parses_and_builds_back() -> None:
    qr = parse_qr_payload(AT_EXAMPLE)
    assert qr.issuer_nif == "123456789"
    assert qr.buyer_nif == "999999990"
    assert qr.document_date == date(2019, 12, 31)
    assert qr.document_id == "FT AB2019/0035"
    assert qr.atcud == "CSDF7T5H-0035"
    assert [region.region for region in qr.regions] == ["PT", "PT-AC", "PT-MA"]
    assert qr.regions[1].reduced_base == eur("25000.56")
    assert qr.regions[2].normal_vat == eur("8800.00")
    assert (qr.non_taxable, qr.stamp_duty, qr.withholding) == (
        eur("100.00"),
        eur("25.00"),
        eur("100.00"),
    )
    assert qr.total_taxes == eur("64000.02")
    assert qr.gross_total == eur("513600.58")
    assert (qr.hash_characters, qr.certificate) == ("kLp0", "9999")
    assert qr.other == "TB;PT00000000000000000000000;513500.58"
    assert build_qr_payload(qr) == AT_EXAMPLE
    assert qr.payload() == AT_EXAMPLE
    taxes = [a for r in qr.regions for a in (r.reduced_vat, r.intermediate_vat, r.normal_vat)]
    assert Money.total([a for a in taxes if a], "EUR") + eur("25.00") == qr.total_taxes


def test_repr_masks_the_tax_numbers() -> None:
    qr = parse_qr_payload(AT_EXAMPLE)
    assert "123456789" not in repr(qr)


def minimal(**changes: object) -> QrCode:
    fields: dict[str, object] = {
        "issuer_nif": "123456789",
        "buyer_nif": "999999990",
        "buyer_country": "PT",
        "document_type": "FS",
        "status": "N",
        "document_date": date(2026, 3, 2),
        "document_id": "FS A/7",
        "atcud": "JFJ6CGKC-7",
        "regions": [TaxRegion("PT", normal_base="10.00", normal_vat="2.30")],
        "total_taxes": "2.30",
        "gross_total": "12.30",
        "hash_characters": "Ab+9",
        "certificate": "1234",
    } | changes
    return QrCode(**fields)  # type: ignore[arg-type]


def test_a_minimal_payload() -> None:
    qr = minimal()
    payload = build_qr_payload(qr)
    assert payload == (
        "A:123456789*B:999999990*C:PT*D:FS*E:N*F:20260302*G:FS A/7*H:JFJ6CGKC-7*"
        "I1:PT*I7:10.00*I8:2.30*N:2.30*O:12.30*Q:Ab+9*R:1234"
    )
    assert parse_qr_payload(payload) == qr


def test_a_document_without_vat_and_without_atcud() -> None:
    qr = minimal(regions=[TaxRegion("0")], total_taxes="0", gross_total="5", atcud="0")
    assert "*H:0*I1:0*N:0.00*O:5.00*" in qr.payload()
    assert parse_qr_payload(qr.payload()) == qr


def test_single_region_of_madeira_goes_in_i() -> None:
    qr = minimal(regions=[TaxRegion("PT-MA", normal_base="10.00", normal_vat="2.20")])
    assert "*I1:PT-MA*I7:10.00*I8:2.20*" in qr.payload()
    assert parse_qr_payload(qr.payload()) == qr


def test_foreign_buyer() -> None:
    qr = minimal(buyer_nif="ESB12345678", buyer_country="ES")
    assert parse_qr_payload(qr.payload()).buyer_nif == "ESB12345678"
    assert minimal(buyer_nif="123", buyer_country="Desconhecido").buyer_country == "Desconhecido"


def paths(text: str) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        parse_qr_payload(text)
    return [problem.path for problem in caught.value.problems]


def test_a_missing_required_field() -> None:
    assert paths(AT_EXAMPLE.replace("*O:513600.58", "")) == ["O"]
    assert paths(AT_EXAMPLE.replace("A:123456789*", "")) == ["A"]


def test_fields_out_of_order_or_repeated() -> None:
    swapped = AT_EXAMPLE.replace("C:PT*D:FT", "D:FT*C:PT")
    assert paths(swapped) == ["C"]
    assert paths(AT_EXAMPLE + "*R:9999") == ["R"]
    assert paths(AT_EXAMPLE + "*Z:1") == ["payload"]
    assert paths(AT_EXAMPLE.replace("*M:25.00", "*M25.00")) == ["payload"]


def test_bad_values_are_reported_together() -> None:
    bad = (
        AT_EXAMPLE.replace("A:123456789", "A:123456788")
        .replace("I3:15000.00", "I3:15000.0")
        .replace("F:20191231", "F:20191331")
    )
    assert paths(bad) == ["A", "F", "I3"]
    with pytest.raises(ValidationError) as caught:
        parse_qr_payload(AT_EXAMPLE.replace("A:123456789", "A:123456788"))
    assert [problem.path for problem in caught.value.problems] == ["A"]
    assert "123456788" not in caught.value.message  # a personal NIF: masked


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        ("H:CSDF7T5H-0035", "H:CSDF7T5H-0036", "H"),  # not the document's number
        ("H:CSDF7T5H-0035", "H:CSDF7-0035", "H"),
        ("G:FT AB2019/0035", "G:FT AB2019-0035", "G"),
        ("D:FT", "D:XX", "D"),
        ("E:N", "E:X", "E"),
        ("C:PT", "C:Portugal", "C"),
        ("B:999999990", "B:999999991", "B"),
        ("Q:kLp0", "Q:kLp", "Q"),
        ("R:9999", "R:99999", "R"),
        ("J1:PT-AC", "J1:PT-MA", "J1"),
        ("I1:PT", "I1:ES", "I1"),
        ("F:20191231", "F:2019123", "F"),
    ],
)
def test_each_bad_value(old: str, new: str, path: str) -> None:
    assert old in AT_EXAMPLE
    assert paths(AT_EXAMPLE.replace(old, new)) == [path]


def test_region_amounts_need_their_region() -> None:
    without_j1 = AT_EXAMPLE.replace("J1:PT-AC*", "")
    assert paths(without_j1) == ["J2"]
    assert paths(AT_EXAMPLE.replace("I1:PT", "I1:0")) == ["I1"]


def test_building_rejects_bad_fields() -> None:
    with pytest.raises(FloatNotAllowed):
        minimal(gross_total=12.3)
    with pytest.raises(FloatNotAllowed):
        TaxRegion("PT", normal_vat=2.3)  # type: ignore[arg-type]
    with pytest.raises(InvalidValue):
        TaxRegion("PT-XX")
    with pytest.raises(InvalidValue):
        TaxRegion("0", exempt_base="1.00")
    with pytest.raises(InvalidValue):
        minimal(total_taxes="-1.00")
    cases: list[tuple[dict[str, object], str]] = [
        ({"other": "a*b"}, "S"),
        ({"other": "x" * 66}, "S"),
        ({"buyer_nif": "x" * 31, "buyer_country": "ES"}, "B"),
        ({"regions": []}, "I1"),
        ({"regions": [TaxRegion("PT"), TaxRegion("PT-MA"), TaxRegion("PT-AC")]}, "J1"),
        ({"regions": [TaxRegion("PT-AC"), TaxRegion("PT-AC")]}, "J1"),
        ({"regions": [TaxRegion("0"), TaxRegion("PT-AC")]}, "J1"),
        ({"document_date": datetime(2026, 3, 2, tzinfo=UTC)}, "F"),
        ({"issuer_nif": 123456789}, "issuer_nif"),
    ]
    for changes, path in cases:
        with pytest.raises(ValidationError) as caught:
            minimal(**changes)
        assert [problem.path for problem in caught.value.problems] == [path], changes
    with pytest.raises(InvalidType):
        build_qr_payload("A:1")  # type: ignore[arg-type]
    with pytest.raises(InvalidType):
        parse_qr_payload(None)  # type: ignore[arg-type]
    with pytest.raises(InvalidValue):
        parse_qr_payload("A" * 3000)


def test_field_list() -> None:
    assert len(QR_FIELDS) == 8 + 3 * 8 + 8
    assert (
        QR_FIELDS.index("H") < QR_FIELDS.index("I1") < QR_FIELDS.index("K8") < QR_FIELDS.index("L")
    )


amounts = st.one_of(
    st.none(), st.decimals(min_value=0, max_value=10**9, places=2).map(lambda d: Money(d, "EUR"))
)


@given(
    amounts,
    amounts,
    st.decimals(min_value=0, max_value=10**9, places=2),
    st.integers(1, 10**6),
    st.sampled_from(["PT", "PT-AC", "PT-MA"]),
    st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=8, max_size=12),
)
def test_any_payload_reads_back(
    base: Money | None,
    vat: Money | None,
    total: Decimal,
    number: int,
    region: str,
    code: str,
) -> None:
    qr = minimal(
        regions=[TaxRegion(region, reduced_base=base, reduced_vat=vat)],
        gross_total=total,
        document_id=f"FR X/{number}",
        document_type="FR",
        atcud=f"{code}-{number}",
    )
    assert parse_qr_payload(build_qr_payload(qr)) == qr


def test_codes_built_from_their_fields_are_checked() -> None:
    assert str(Atcud("CSDF7T5H", "0035")) == "CSDF7T5H-0035"
    for code, digits in [("CSDF7T5", "35"), ("CSDF7T5H", "0"), ("CSDF7T5H", "3a")]:
        with pytest.raises(InvalidValue):
            Atcud(code, digits)
    with pytest.raises(InvalidType):
        Atcud("CSDF7T5H", 35)  # type: ignore[arg-type]
    assert str(DocumentNumber("FT", "A", 1)) == "FT A/1"
    for kind, series, number in [("F T", "A", 1), ("FT", "A/B", 1), ("FT", "A", 0)]:
        with pytest.raises(InvalidValue):
            DocumentNumber(kind, series, number)
    with pytest.raises(InvalidType):
        DocumentNumber("FT", "A", "1")  # type: ignore[arg-type]
    with pytest.raises(InvalidValue):
        DocumentNumber("FT", "A" * 60, 1)
