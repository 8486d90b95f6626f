"""The Brazilian and Portuguese packs: each rule passes and fails."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import date

import attrs

from backoffice.compliance import builtin_rules
from backoffice.compliance.br import FISCAL_DOCUMENT, FiscalDocument
from backoffice.compliance.portugal import SaleDocument, sign_documents
from backoffice.compliance.pt import (
    PORTUGUESE_DOCUMENT,
    SIGNED_SERIES,
    PortugueseDocument,
    SignedSeries,
)

RULES = builtin_rules()
# a published NF-e key (Rio de Janeiro, March 2015, CNPJ 08.370.779/0001-49, model 55)
KEY = "33150308370779000149550010001100931002410775"
GOOD = FiscalDocument(KEY, date(2015, 3, 12), "08.370.779/0001-49", buyer_cpf="390.533.447-05")


def brazil(document: FiscalDocument) -> list[tuple[str, str]]:
    report = RULES.evaluate(document, subject=FISCAL_DOCUMENT, jurisdiction="BR")
    return [(finding.rule, finding.path) for finding in report.findings]


def test_a_consistent_document_passes() -> None:
    assert brazil(GOOD) == []


def test_br_nfe_001_a_wrong_check_digit() -> None:
    found = brazil(attrs.evolve(GOOD, access_key=KEY[:-1] + "6"))
    assert ("BR-NFE-001", "access_key.cDV") in found
    report = RULES.evaluate(
        attrs.evolve(GOOD, access_key="123"), subject=FISCAL_DOCUMENT, jurisdiction="BR"
    )
    assert report.has_errors
    assert "chave de acesso" in report.findings[0].message("pt_BR")


def test_br_nfe_002_the_month_of_the_key() -> None:
    assert brazil(attrs.evolve(GOOD, issued=date(2015, 4, 1))) == [
        ("BR-NFE-002", "access_key.AAMM")
    ]
    report = RULES.evaluate(
        attrs.evolve(GOOD, issued=date(2015, 4, 1)), subject=FISCAL_DOCUMENT, jurisdiction="BR"
    )
    assert "2015-03" in report.findings[0].message("en")


def test_br_nfe_003_the_parties() -> None:
    other_issuer = attrs.evolve(GOOD, issuer="17.921.427/0001-25")
    assert [rule for rule, _ in brazil(other_issuer)] == ["BR-NFE-003"]
    two_buyers = attrs.evolve(GOOD, buyer_cnpj="12.ABC.345/01DE-35")
    assert [rule for rule, _ in brazil(two_buyers)] == ["BR-NFE-003"]


# -- Portugal -------------------------------------------------------------------------------

QR = (
    "A:123456789*B:999999990*C:PT*D:FT*E:N*F:20260302*G:FT A/35*H:CSDF7T5H-35*"
    "I1:PT*I7:100.00*I8:23.00*N:23.00*O:123.00*Q:kLp0*R:9999"
)
DOCUMENT = PortugueseDocument("FT A/35", date(2026, 3, 2), "CSDF7T5H-35", QR)


def portugal(document: PortugueseDocument) -> list[tuple[str, str]]:
    report = RULES.evaluate(document, subject=PORTUGUESE_DOCUMENT, jurisdiction="PT")
    return [(finding.rule, finding.path) for finding in report.findings]


def test_a_portuguese_document_passes() -> None:
    assert portugal(DOCUMENT) == []
    assert portugal(attrs.evolve(DOCUMENT, qr_code=None)) == []


def test_pt_doc_001_the_atcud_carries_the_number() -> None:
    found = portugal(attrs.evolve(DOCUMENT, atcud="CSDF7T5H-36", qr_code=None))
    assert found == [("PT-DOC-001", "atcud")]
    assert portugal(attrs.evolve(DOCUMENT, atcud="bad", qr_code=None)) == [("PT-DOC-001", "atcud")]
    # not due before 2023
    assert (
        portugal(attrs.evolve(DOCUMENT, atcud="CSDF7T5H-36", qr_code=None, issued=date(2022, 6, 1)))
        == []
    )


def test_pt_doc_002_the_qr_code_agrees() -> None:
    found = portugal(attrs.evolve(DOCUMENT, qr_code=QR.replace("F:20260302", "F:20260303")))
    assert found == [("PT-DOC-002", "qr_code.F")]
    found = portugal(attrs.evolve(DOCUMENT, qr_code=QR.replace("*O:123.00", "")))
    assert [rule for rule, _ in found] == ["PT-DOC-002"]
    assert all(path.startswith("qr_code") for _, path in found)


class Hmac:
    def __init__(self, key: bytes) -> None:
        self.key = key

    def sign(self, message: str) -> str:
        digest = hmac.new(self.key, message.encode(), hashlib.sha256).digest()
        return base64.b64encode(digest).decode("ascii")

    def verify(self, message: str, signature: str) -> bool:
        return hmac.compare_digest(self.sign(message), signature)


def test_pt_sig_001_the_chain() -> None:
    documents = sign_documents(
        [
            SaleDocument(date(2026, 3, 2), "2026-03-02T10:00:00", f"FT A/{n}", f"{n}0.00")
            for n in range(1, 6)
        ],
        Hmac(b"key"),
    )
    intact = SignedSeries(documents, Hmac(b"key"))
    report = RULES.evaluate(intact, subject=SIGNED_SERIES, jurisdiction="PT")
    assert not report.findings
    tampered = list(documents)
    tampered[2] = attrs.evolve(tampered[2], gross_total="31.00")
    report = RULES.evaluate(
        SignedSeries(tampered, Hmac(b"key")), subject=SIGNED_SERIES, jurisdiction="PT"
    )
    assert [(f.rule, f.path) for f in report.findings] == [("PT-SIG-001", "documents.2")]
    assert "FT A/3" in report.findings[0].message("fr")


def test_identifiers_stay_out_of_repr() -> None:
    shown = repr(GOOD)
    assert "390.533.447-05" not in shown and "39053344705" not in shown
    assert "08.370.779/0001-49" not in shown and KEY not in shown
    assert "123456789" not in repr(DOCUMENT)  # the QR code holds the NIFs
