"""The rule packs the library ships, gathered in one set.

>>> rules = builtin_rules()
>>> " ".join(rule.id for rule in rules.select(jurisdiction="BR"))
'BR-NFE-001 BR-NFE-002 BR-NFE-003 OPS-STK-001 OPS-STK-002 BR-PAY-001'
"""

from __future__ import annotations

from typing import Any

from backoffice.compliance.engine import Rule, RuleSet

__all__ = ["builtin_rules", "packs"]


def packs() -> dict[str, tuple[Rule[Any], ...]]:
    """Every built-in pack by module name: ``"fr"``, ``"eu"``, ``"br"``, ``"pt"``,
    ``"operations"``."""
    from backoffice.compliance import br, eu, fr, operations, pt

    return {
        "fr": fr.RULES + fr.SERIES_RULES,
        "eu": eu.RULES,
        "br": br.RULES,
        "pt": pt.RULES,
        "operations": operations.RULES,
    }


def builtin_rules() -> RuleSet:
    """A new :class:`~backoffice.compliance.engine.RuleSet` with every built-in rule: add
    your own to it, or build a set of your own from the packs you choose."""
    rules = RuleSet()
    for pack in packs().values():
        rules.add(*pack)
    return rules
