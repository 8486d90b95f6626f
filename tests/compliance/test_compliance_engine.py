"""The rule engine: rules, selection by jurisdiction and date, findings in three
languages, reports and their JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from compliance_samples import check, invoice

from backoffice.compliance import (
    INVOICE,
    LOCALES,
    LegalReference,
    Report,
    Rule,
    RuleSet,
    Severity,
    SubjectType,
    Violation,
    builtin_rules,
    jurisdictions_of,
    packs,
)
from backoffice.core.money import Money
from backoffice.errors import DuplicateRule, InvalidValue

MEMO = SubjectType("memo", date_of=lambda memo: memo.get("day"))
REFERENCE = LegalReference("Règlement intérieur", article="4", url="https://example.org/r")
MESSAGES = {
    "en": "The memo costs {amount} on {day}.",
    "fr": "La note coûte {amount} le {day}.",
    "pt_BR": "A nota custa {amount} em {day}.",
}


def _costly(memo: dict[str, Any]) -> Iterator[Violation]:
    if memo.get("amount") is not None:
        yield Violation("amount", {"amount": memo["amount"], "day": memo["day"]})


def _rule(rule_id: str = "MEMO-001", **options: Any) -> Rule[dict[str, Any]]:
    settings: dict[str, Any] = {
        "jurisdiction": "fr",
        "subject": MEMO,
        "check": _costly,
        "reference": REFERENCE,
        "messages": MESSAGES,
        **options,
    }
    return Rule(rule_id, **settings)


MEMO_DAY = date(2026, 3, 2)
COSTLY = {"day": MEMO_DAY, "amount": Money("1234.50", "EUR")}


def test_a_rule_knows_its_jurisdiction_validity_and_reference() -> None:
    rule = _rule(valid_from=date(2026, 1, 1), valid_until=date(2026, 12, 31))
    assert rule.jurisdiction == "FR"
    assert rule.severity is Severity.ERROR
    assert rule.applies_on(date(2026, 1, 1)) and rule.applies_on(date(2026, 12, 31))
    assert not rule.applies_on(date(2025, 12, 31)) and not rule.applies_on(date(2027, 1, 1))
    assert rule.applies_in("FR") and not rule.applies_in("BR")
    assert str(rule.reference) == "Règlement intérieur, article 4"
    assert rule.summary == MESSAGES["en"]


def test_a_rule_needs_every_language_and_sensible_dates() -> None:
    with pytest.raises(InvalidValue, match="pt_BR"):
        _rule(messages={"en": "x", "fr": "y"})
    with pytest.raises(InvalidValue, match="before valid_from"):
        _rule(valid_from=date(2026, 2, 1), valid_until=date(2026, 1, 31))
    with pytest.raises(InvalidValue):
        _rule(" ")


def test_a_duplicate_rule_id_is_a_typed_error_and_adds_nothing() -> None:
    rules = RuleSet([_rule()])
    with pytest.raises(DuplicateRule) as raised:
        rules.add(_rule("MEMO-002"), _rule())
    assert raised.value.code == "compliance.duplicate_rule"
    assert raised.value.details == {"rule_id": "MEMO-001"}
    assert "MEMO-002" not in rules and len(rules) == 1
    assert "déjà" in raised.value.localized("fr_FR")
    assert "já" in raised.value.localized("pt_BR")
    with pytest.raises(DuplicateRule):
        RuleSet([_rule("X"), _rule("X")])


def test_the_decorator_registers_a_rule_and_returns_the_function() -> None:
    rules = RuleSet()
    decorated = rules.rule(
        "MEMO-009", jurisdiction="*", subject=MEMO, reference=REFERENCE, messages=MESSAGES
    )(_costly)
    assert decorated is _costly
    assert rules["MEMO-009"].check is _costly
    with pytest.raises(DuplicateRule):
        rules.rule(
            "MEMO-009", jurisdiction="*", subject=MEMO, reference=REFERENCE, messages=MESSAGES
        )(_costly)


def test_builtin_rule_ids_are_unique_and_a_new_set_each_time() -> None:
    ids = [rule.id for pack in packs().values() for rule in pack]
    assert len(ids) == len(set(ids))
    first, second = builtin_rules(), builtin_rules()
    first.add(_rule())
    assert "MEMO-001" in first and "MEMO-001" not in second
    with pytest.raises(DuplicateRule):
        first.add(second["FR-INV-001"])


def test_jurisdictions_include_the_wider_ones() -> None:
    assert jurisdictions_of("fr") == ("FR", "EU", "*")
    assert jurisdictions_of("PT") == ("PT", "EU", "*")
    assert jurisdictions_of("BR") == ("BR", "*")
    assert jurisdictions_of("EU") == ("EU", "*")


def test_selection_by_jurisdiction_subject_and_date() -> None:
    rules = builtin_rules()
    french = {rule.id for rule in rules.select(jurisdiction="FR", subject=INVOICE)}
    assert "FR-INV-001" in french and "EU-VAT-001" in french
    assert not any(rule_id.startswith(("BR-", "OPS-")) for rule_id in french)
    eu_only = {rule.id for rule in rules.select(jurisdiction="EU", subject="invoice")}
    assert eu_only == {"EU-VAT-001", "EU-VAT-002", "EU-VAT-003", "EU-VAT-004", "EU-VAT-005"}
    brazil = {rule.id for rule in rules.select(jurisdiction="BR")}
    assert brazil == {
        "BR-PAY-001",
        "OPS-STK-001",
        "OPS-STK-002",
        "BR-NFE-001",
        "BR-NFE-002",
        "BR-NFE-003",
    }
    before = {rule.id for rule in rules.select(jurisdiction="FR", on=date(2026, 8, 31))}
    after = {rule.id for rule in rules.select(jurisdiction="FR", on=date(2026, 9, 1))}
    assert after - before == {"FR-INV-020", "FR-INV-021", "FR-INV-022", "FR-INV-023"}
    assert "FR-INV-010" not in {rule.id for rule in rules.select(on=date(2012, 12, 31))}


def test_evaluation_uses_the_subjects_own_date_or_the_one_given() -> None:
    rules = RuleSet([_rule(valid_from=date(2026, 3, 1))])
    assert rules.evaluate(COSTLY, subject="memo").has_errors
    early = {**COSTLY, "day": date(2026, 2, 28)}
    assert rules.evaluate(early, subject="memo").checked == ()
    assert rules.evaluate(early, subject=MEMO, on=date(2026, 3, 1)).has_errors
    with pytest.raises(InvalidValue, match="no date of its own"):
        rules.evaluate({"amount": None}, subject="memo")
    with pytest.raises(InvalidValue, match="no rule of the set reads"):
        rules.evaluate(COSTLY, subject="payslip")


def test_messages_render_in_three_languages_with_values_in_the_locale() -> None:
    [finding] = RuleSet([_rule()]).evaluate(COSTLY, subject="memo").findings
    assert finding.message() == "The memo costs €1,234.50 on Mar 2, 2026."
    assert finding.message("fr_FR") == "La note coûte 1\u202f234,50\xa0€ le 2 mars 2026."
    assert finding.message("pt-BR") == "A nota custa €\xa01.234,50 em 2 de mar. de 2026."
    assert finding.message("de_DE") == finding.message("en")
    assert set(LOCALES) == {"en", "fr", "pt_BR"}


def test_every_builtin_rule_speaks_three_languages_with_the_same_placeholders() -> None:
    import string

    for rule in builtin_rules():
        fields = {
            language: {name for _, name, _, _ in string.Formatter().parse(text) if name}
            for language, text in rule.messages.items()
        }
        assert fields["fr"] == fields["en"] == fields["pt_BR"], rule.id
        assert rule.reference.text, rule.id


def test_the_french_rules_speak_french_and_portuguese() -> None:
    subject = invoice(seller__vat_id=None)
    [finding] = check(subject).findings
    assert finding.message("en").startswith("The seller's VAT identification number")
    assert finding.message("fr").startswith("Le numéro d'identification à la TVA du vendeur")
    assert finding.message("pt_BR").startswith("O número de identificação de IVA do vendedor")


def test_a_report_groups_findings_by_severity_errors_first() -> None:
    subject = invoice(seller__vat_id=None, buyer__legal_id=None, notes=None)
    report = check(subject)
    assert [finding.severity.value for finding in report] == ["error", "warning", "info"]
    groups = report.by_severity()
    assert list(groups) == [Severity.ERROR, Severity.WARNING, Severity.INFO]
    assert [f.rule for f in report.errors] == ["FR-INV-006"]
    assert [f.rule for f in report.warnings] == ["FR-INV-020"]
    assert [f.rule for f in report.infos] == ["FR-INV-023"]
    assert report.has_errors and len(report) == 3
    assert not Report(report.warnings).has_errors


def test_the_json_report_has_stable_keys() -> None:
    subject = invoice(due_date="2027-01-15", terms=None)
    data = json.loads(check(subject).to_json("fr"))
    assert list(data) == ["has_errors", "counts", "on", "checked", "findings"]
    assert data["has_errors"] is True
    assert data["counts"] == {"error": 1, "warning": 0, "info": 0}
    assert data["on"] == "2026-10-15"
    [finding] = data["findings"]
    assert list(finding) == [
        "rule",
        "severity",
        "jurisdiction",
        "subject",
        "path",
        "message",
        "values",
        "reference",
    ]
    assert finding["rule"] == "FR-INV-014" and finding["path"] == "due_date"
    assert finding["values"] == {"due": "2027-01-15", "latest": "2026-12-15"}
    assert finding["message"].endswith("le 15 déc. 2026 au plus tard.")
    assert finding["reference"] == {
        "text": "Code de commerce",
        "article": "L441-10, I",
        "url": None,
        "note": None,
    }


def test_money_values_are_exact_in_json() -> None:
    [finding] = RuleSet([_rule()]).evaluate(COSTLY, subject="memo").findings
    assert finding.to_dict()["values"] == {
        "amount": {"amount": "1234.50", "currency": "EUR"},
        "day": "2026-03-02",
    }


def test_subjects_without_a_day_of_their_own_are_checked_for_the_day_given() -> None:
    from backoffice.compliance import PARTY, PAYMENT
    from backoffice.invoicing.document import Address, Party

    def named(party: Party) -> Iterator[Violation]:
        if party.legal_id is None:
            yield Violation("legal_id")

    rules = RuleSet()
    rules.rule("PARTY-001", jurisdiction="BR", subject=PARTY, reference=REFERENCE,
               messages=MESSAGES)(named)  # fmt: skip
    buyer = Party("Padaria Central", address=Address("BR"))
    with pytest.raises(InvalidValue):
        rules.evaluate(buyer, subject=PARTY, jurisdiction="BR")
    report = rules.evaluate(buyer, subject=PARTY, jurisdiction="BR", on=date(2026, 5, 1))
    assert report.rules() == ("PARTY-001",)
    assert PAYMENT.name == "payment"
