"""The France pack: each rule passes the base invoice and fails a changed one."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from compliance_samples import GERMAN_BUYER, check, data, failed, invoice

from backoffice.compliance import INVOICE_SERIES, InvoiceSeries, Severity, builtin_rules, fr
from backoffice.einvoice.bridge import tree_from_invoice
from backoffice.einvoice.france import validate_france
from backoffice.invoicing.numbering import NumberSeries
from backoffice.invoicing.schema import invoice_from_dict

K_LINE = {
    "id": "1",
    "name": "Étagères",
    "quantity": "4",
    "price": "250.00",
    "vat_category": "K",
    "vat_rate": "0",
}
K_EXEMPTION = [{"category": "K", "reason": "Exonération de TVA, article 262 ter I du CGI"}]
K_DELIVERY = {"date": "2026-10-10", "address": {"country": "DE", "city": "Köln"}}
E_LINE = {
    "id": "1",
    "name": "Cours de céramique",
    "quantity": "2",
    "price": "80.00",
    "vat_category": "E",
    "vat_rate": "0",
}
AE_LINE = {**E_LINE, "name": "Travaux de sous-traitance", "vat_category": "AE"}


def test_the_base_invoice_passes_every_rule() -> None:
    report = check(invoice())
    assert not report.findings
    assert set(report.checked) >= {rule.id for rule in fr.RULES}


def test_every_rule_of_the_pack_is_tested_here() -> None:
    ids = {rule.id for rule in fr.RULES} | {rule.id for rule in fr.SERIES_RULES}
    assert ids == set(FAILING) | {"FR-INV-010", "FR-SER-001", "FR-SER-002", "FR-SER-003"}


FAILING: dict[str, tuple[dict[str, Any], list[str]]] = {
    "FR-INV-001": ({"number": None, "issue_date": None, "due_date": None}, ["number"]),
    "FR-INV-002": ({"number": None, "issue_date": None, "due_date": None}, ["issue_date"]),
    "FR-INV-003": ({"seller__address__postal_code": None}, ["seller.address.postal_code"]),
    "FR-INV-004": (
        {"buyer__address__lines": None, "buyer__address__city": None},
        ["buyer.address.lines", "buyer.address.city"],
    ),
    "FR-INV-005": ({"seller__legal_id": None}, ["seller.legal_id"]),
    "FR-INV-006": ({"seller__vat_id": None}, ["seller.vat_id"]),
    "FR-INV-007": (
        {
            "buyer": {key: value for key, value in GERMAN_BUYER.items() if key != "vat_id"},
            "lines": [K_LINE],
            "vat_exemptions": K_EXEMPTION,
            "delivery": K_DELIVERY,
            "business_process": "B1",
        },
        ["buyer.vat_id"],
    ),
    "FR-INV-008": ({"due_date": None, "terms": None}, ["due_date"]),
    "FR-INV-009": (
        {"issue_date": "2018-06-01", "due_date": "2018-07-01", "terms": None},
        ["notes"],
    ),
    "FR-INV-011": (
        {
            "seller__vat_id": None,
            "lines": [E_LINE],
            "vat_exemptions": [
                {"category": "E", "reason": "Exonéré", "code": "VATEX-FR-FRANCHISE"}
            ],
        },
        ["vat_exemptions"],
    ),
    "FR-INV-012": (
        {"lines": [AE_LINE], "vat_exemptions": [{"category": "AE", "reason": "Reverse charge"}]},
        ["vat_exemptions"],
    ),
    "FR-INV-013": ({"terms": {"rule": "net", "days": 75}, "due_date": None}, ["terms"]),
    "FR-INV-014": ({"terms": None, "due_date": "2027-01-15"}, ["due_date"]),
    "FR-INV-020": ({"buyer__legal_id": None}, ["buyer.legal_id"]),
    "FR-INV-021": ({"business_process": "B1"}, ["delivery.address"]),
    "FR-INV-022": ({"business_process": None}, ["business_process"]),
    "FR-INV-023": ({"notes": None}, ["notes"]),
}


@pytest.mark.parametrize("rule_id", sorted(FAILING))
def test_a_rule_fails_where_its_mention_is_missing(rule_id: str) -> None:
    changes, paths = FAILING[rule_id]
    assert failed(invoice(**changes))[rule_id] == paths


PASSING: dict[str, dict[str, Any]] = {
    "FR-INV-009": {
        "issue_date": "2018-06-01",
        "due_date": "2018-07-01",
        "terms": None,
        "notes": ["Pénalités de retard : trois fois le taux d'intérêt légal."],
    },
    "FR-INV-011": {
        "seller__vat_id": None,
        "lines": [E_LINE],
        "vat_exemptions": [{"category": "E", "reason": "TVA non applicable, art. 293 B du CGI"}],
    },
    "FR-INV-012": {
        "lines": [AE_LINE],
        "vat_exemptions": [{"category": "AE", "reason": "Autoliquidation"}],
    },
    "FR-INV-013": {"terms": {"rule": "days_then_end_of_month", "days": 45}, "due_date": None},
    "FR-INV-014": {"terms": None, "due_date": "2026-12-15"},  # end of October + 45 days
    "FR-INV-020": {
        "buyer__legal_id": {"country": "FR", "kind": "siret", "value": "73282932000074"}
    },
    "FR-INV-021": {
        "business_process": "B1",
        "delivery": {"address": {"country": "FR", "city": "Rezé", "lines": ["1 rue du Port"]}},
    },
}


@pytest.mark.parametrize("rule_id", sorted(PASSING))
def test_a_rule_passes_when_the_mention_is_there(rule_id: str) -> None:
    assert rule_id not in failed(invoice(**PASSING[rule_id]))


def test_the_recovery_indemnity_is_the_one_the_renderer_prints_for_the_invoice_date() -> None:
    # legal_mentions prints the 40 EUR indemnity for a business buyer from 2013-01-01
    # (FRENCH_RECOVERY_INDEMNITY): an invoice dated before is missing it when checked
    # against the rule in force
    old = invoice(issue_date="2012-06-01", due_date="2012-07-01", terms=None)
    assert failed(old, on=date(2013, 1, 1))["FR-INV-010"] == ["notes"]
    assert "FR-INV-010" not in failed(invoice())
    noted = invoice(
        issue_date="2012-06-01",
        due_date="2012-07-01",
        terms=None,
        notes=["Indemnité forfaitaire pour frais de recouvrement : 40 EUR."],
    )
    assert "FR-INV-010" not in failed(noted, on=date(2013, 1, 1))


def test_a_consumer_invoice_carries_no_business_mentions() -> None:
    consumer = invoice(buyer={"name": "Jeanne Dupont", "address": BASE_ADDRESS}, terms=None)
    found = failed(consumer)
    assert "FR-INV-008" not in found and "FR-INV-013" not in found
    assert found == {"FR-INV-020": ["buyer.legal_id"]}  # as BR-FR-11: a warning


BASE_ADDRESS = {
    "country": "FR",
    "lines": ["8 rue Kervégan"],
    "city": "Nantes",
    "postal_code": "44000",
}


def test_a_seller_outside_france_is_not_held_to_french_mentions() -> None:
    foreign = invoice(
        seller={**GERMAN_BUYER, "name": "Verlag GmbH"}, business_process=None, notes=None
    )
    assert not [f for f in check(foreign) if f.rule.startswith("FR-")]


def test_the_reform_mentions_apply_from_1_september_2026_as_warnings() -> None:
    before = invoice(issue_date="2026-08-31", due_date="2026-09-30", business_process=None)
    after = invoice(issue_date="2026-09-01", due_date="2026-10-01", business_process=None)
    assert "FR-INV-022" not in failed(before)
    assert "FR-INV-022" in failed(after)
    rules = {rule.id: rule for rule in fr.RULES}
    for rule_id in ("FR-INV-020", "FR-INV-021", "FR-INV-022"):
        assert rules[rule_id].valid_from == fr.REFORM_START == date(2026, 9, 1)
        assert rules[rule_id].severity is Severity.WARNING
    assert rules["FR-INV-023"].severity is Severity.INFO


def test_seller_siren_and_category_of_operation_agree_with_the_einvoice_rules() -> None:
    # the same reading as BR-FR-10 and BR-FR-08 on the e-invoice written from the invoice
    samples = [
        invoice(),
        invoice(seller__legal_id=None),
        invoice(seller__legal_id={"country": "FR", "kind": "siret", "value": "73282932000074"}),
        invoice(business_process=None),
        invoice(business_process="X9"),
    ]
    pairs = {"FR-INV-005": "BR-FR-10", "FR-INV-022": "BR-FR-08"}
    for sample in samples:
        ours = failed(sample)
        theirs = {finding.rule for finding in validate_france(tree_from_invoice(sample))}
        for rule_id, einvoice_id in pairs.items():
            assert (rule_id in ours) == (einvoice_id in theirs), (rule_id, sample.number)


def _issued(number: str, day: str) -> Any:
    return invoice_from_dict(data(number=number, issue_date=day, due_date=None, terms=None))


SERIES = NumberSeries("F", template="F{year}-{number:06d}")


def _series_findings(*invoices: Any, last: int | None = None) -> list[tuple[str, str, str]]:
    report = builtin_rules().evaluate(
        InvoiceSeries(SERIES, invoices, last), subject=INVOICE_SERIES, jurisdiction="FR"
    )
    return [(f.rule, f.path, f.message("en")) for f in report]


def test_a_continuous_series_passes() -> None:
    assert not _series_findings(
        _issued("F2026-000001", "2026-01-05"),
        _issued("F2026-000002", "2026-01-06"),
        _issued("F2027-000001", "2027-01-02"),
    )


def test_a_series_with_a_duplicate_a_gap_and_a_stranger_fails() -> None:
    found = _series_findings(
        _issued("F2026-000001", "2026-01-05"),
        _issued("F2026-000001", "2026-01-06"),
        _issued("F2026-000004", "2026-01-07"),
        _issued("INV-9", "2026-01-08"),
        last=5,
    )
    assert found == [
        (
            "FR-SER-001",
            "invoices.3.number",
            "Invoice number INV-9 is written with the series' template.",
        ),
        (
            "FR-SER-002",
            "invoices.1.number",
            "Invoice number F2026-000001 is used once in its series.",
        ),
        (
            "FR-SER-003",
            "invoices",
            "The numbers of fiscal year 2026 are continuous: 2, 3, 5 missing.",
        ),
    ]


def test_the_series_is_checked_by_its_latest_issue_date() -> None:
    series = InvoiceSeries(SERIES, [_issued("F2026-000002", "2026-03-01")])
    report = builtin_rules().evaluate(series, subject=INVOICE_SERIES, jurisdiction="FR")
    assert report.on == date(2026, 3, 1)
    assert (
        report.findings[0].message("fr")
        == "Les numéros de l'exercice 2026 sont continus : il manque 1."
    )


def test_a_seller_of_exempt_operations_only_states_no_vat_number_nor_franchise() -> None:
    exempt = invoice(
        seller__vat_id=None,
        lines=[E_LINE],
        vat_exemptions=[{"category": "E", "reason": "Exonération de TVA, art. 261-4-4° du CGI"}],
    )
    found = failed(exempt)
    assert "FR-INV-006" not in found and "FR-INV-011" not in found
    franchise = invoice(
        seller__vat_id=None,
        lines=[E_LINE],
        vat_exemptions=[{"category": "E", "reason": "Art. 293 B du CGI"}],
    )
    assert failed(franchise)["FR-INV-011"] == ["vat_exemptions"]
