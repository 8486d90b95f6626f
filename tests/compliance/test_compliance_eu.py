"""The EU VAT pack, and its agreement with the EN 16931 category rules."""

from __future__ import annotations

from typing import Any

import pytest
from compliance_samples import GERMAN_BUYER, failed, invoice

from backoffice.compliance import eu
from backoffice.einvoice.bridge import tree_from_invoice
from backoffice.einvoice.rules import validate
from backoffice.invoicing.document import Invoice

K = {
    "id": "1",
    "name": "Étagères",
    "quantity": "4",
    "price": "250.00",
    "vat_category": "K",
    "vat_rate": "0",
}
AE = {**K, "name": "Sous-traitance", "vat_category": "AE"}
G = {**K, "name": "Étagères (export)", "vat_category": "G"}
K_REASON = [{"category": "K", "reason": "Exonération de TVA, article 262 ter I du CGI"}]
AE_REASON = [{"category": "AE", "reason": "Autoliquidation"}]
G_REASON = [{"category": "G", "reason": "Exonération de TVA, article 262 I du CGI"}]
DELIVERY = {"date": "2026-10-10", "address": {"country": "DE", "city": "Köln"}}
NO_VAT_BUYER = {key: value for key, value in GERMAN_BUYER.items() if key != "vat_id"}


def k_supply(**changes: Any) -> Invoice:
    return invoice(
        **{
            "buyer": GERMAN_BUYER,
            "lines": [K],
            "vat_exemptions": K_REASON,
            "delivery": DELIVERY,
            "business_process": "B1",
            **changes,
        }
    )


def reverse_charge(**changes: Any) -> Invoice:
    return invoice(**{"lines": [AE], "vat_exemptions": AE_REASON, **changes})


def export(**changes: Any) -> Invoice:
    us_buyer = {"name": "Bookstore Inc.", "address": {"country": "US", "city": "Boston"}}
    return invoice(**{"buyer": us_buyer, "lines": [G], "vat_exemptions": G_REASON, **changes})


def eu_failures(subject: Invoice) -> dict[str, list[str]]:
    return {key: paths for key, paths in failed(subject).items() if key.startswith("EU-")}


PASSING = {
    "EU-VAT-001": reverse_charge(),
    "EU-VAT-001 buyer legal id": reverse_charge(buyer__vat_id=None),
    "EU-VAT-002": reverse_charge(buyer={**GERMAN_BUYER}),
    "EU-VAT-003": k_supply(),
    "EU-VAT-005": export(),
}

FAILING: dict[str, tuple[Invoice, dict[str, list[str]]]] = {
    "EU-VAT-001 seller": (reverse_charge(seller__vat_id=None), {"EU-VAT-001": ["seller.vat_id"]}),
    "EU-VAT-001 buyer": (
        reverse_charge(buyer__vat_id=None, buyer__legal_id=None),
        {"EU-VAT-001": ["buyer.vat_id"]},
    ),
    "EU-VAT-002": (
        reverse_charge(
            buyer={
                **NO_VAT_BUYER,
                "legal_id": {"country": "FR", "kind": "siren", "value": "552081317"},
            }
        ),
        {"EU-VAT-002": ["buyer.vat_id"]},
    ),
    "EU-VAT-003": (k_supply(buyer=NO_VAT_BUYER), {"EU-VAT-003": ["buyer.vat_id"]}),
    "EU-VAT-004": (
        k_supply(delivery=None),
        {"EU-VAT-004": ["delivery.date", "delivery.address.country"]},
    ),
    "EU-VAT-004 date": (
        k_supply(delivery={"address": {"country": "DE"}}),
        {"EU-VAT-004": ["delivery.date"]},
    ),
    "EU-VAT-005": (export(seller__vat_id=None), {"EU-VAT-005": ["seller.vat_id"]}),
}


@pytest.mark.parametrize("name", sorted(PASSING))
def test_a_rule_passes(name: str) -> None:
    assert eu_failures(PASSING[name]) == {}


@pytest.mark.parametrize("name", sorted(FAILING))
def test_a_rule_fails(name: str) -> None:
    subject, expected = FAILING[name]
    assert eu_failures(subject) == expected


def test_every_rule_of_the_pack_is_tested_here() -> None:
    ids = {name.split()[0] for name in [*PASSING, *FAILING]}
    assert ids == {rule.id for rule in eu.RULES}


def test_the_eu_rules_apply_in_every_member_state_and_alone() -> None:
    subject = k_supply(buyer=NO_VAT_BUYER)
    assert "EU-VAT-003" in failed(subject, jurisdiction="EU")
    assert "EU-VAT-003" in failed(subject, jurisdiction="DE")
    assert "EU-VAT-003" not in failed(subject, jurisdiction="BR")
    assert not [rule for rule in failed(subject, jurisdiction="EU") if rule.startswith("FR-")]


#: Each EU rule and the EN 16931 rules that check the same thing on the e-invoice.
AGREEMENT = {
    "EU-VAT-001": {"BR-AE-02"},
    "EU-VAT-003": {"BR-IC-02"},
    "EU-VAT-004": {"BR-IC-11", "BR-IC-12"},
    "EU-VAT-005": {"BR-G-02", "BR-G-10"},
}


@pytest.mark.parametrize("name", sorted([*PASSING, *FAILING]))
def test_the_eu_rules_and_the_en16931_rules_agree(name: str) -> None:
    subject = PASSING[name] if name in PASSING else FAILING[name][0]
    ours = eu_failures(subject)
    theirs = {finding.rule for finding in validate(tree_from_invoice(subject))}
    for rule_id, en16931 in AGREEMENT.items():
        assert (rule_id in ours) == bool(en16931 & theirs), (rule_id, sorted(theirs))
