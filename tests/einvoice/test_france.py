"""The French 2026 reform's rule set."""

from __future__ import annotations

from samples import french_invoice

from backoffice.einvoice import read, write
from backoffice.einvoice.bridge import tree_from_invoice
from backoffice.einvoice.france import FRANCE_2026, validate_france


def _rules(tree: object) -> set[str]:
    return {finding.rule for finding in validate_france(tree)}  # type: ignore[arg-type]


def test_a_french_invoice_from_the_library_states_what_the_reform_asks() -> None:
    tree = tree_from_invoice(french_invoice())
    assert _rules(tree) == {"BR-FR-08"}  # the category of operation is the caller's to say
    tree.set("BT-23", "S1")
    assert _rules(tree) == {"FR-DEBITS"}
    tree.set("BT-8", "3")
    assert _rules(tree) == set()


def test_each_rule_fails_on_what_it_checks() -> None:
    tree = tree_from_invoice(french_invoice())
    tree.set("BT-23", "B1")
    tree.set("BT-1", "F 2026/1")  # a space
    tree.set("BT-30", "73282932")  # 8 digits
    tree.set("BT-47-1", "0009")  # a SIRET scheme
    tree.children("BG-25")[0].set("BT-151", "L")
    tree.set("BT-5", "USD")
    assert _rules(tree) == {
        "BR-FR-01", "BR-FR-10", "BR-FR-11", "BR-FR-15", "BR-FR-CO-12", "FR-DELIVERY"
    }  # fmt: skip


def test_read_runs_the_french_rules_when_asked() -> None:
    xml = write(french_invoice(), "ubl")
    assert read(xml).findings == ()
    findings = read(xml, france=True).findings
    assert [finding.rule for finding in findings] == ["BR-FR-08"]
    assert "cadre de facturation" in findings[0].localized("fr_FR")
    assert findings[0].severity == "fatal"


def test_every_rule_speaks_three_languages() -> None:
    for rule in FRANCE_2026:
        assert {rule.description(locale) for locale in ("en", "fr_FR", "pt_BR")} == set(
            rule.texts.values()
        )
