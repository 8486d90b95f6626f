"""Write the reference pages that are generated from the code.

Run ``python docs/generate.py`` after changing currencies, errors, identifiers,
e-invoice rules, compliance rules or payroll parameters; the test suite fails while a
generated page is out of date, so the documentation never drifts.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from backoffice.einvoice.rules import Rule

DOCS = Path(__file__).resolve().parent


def currencies_page() -> str:
    from backoffice.core.money import currencies

    lines = [
        "# Currencies (ISO 4217)",
        "",
        "The minor units of every currency come from one source: ISO 4217 List One",
        '("Current currency & funds"), as published by its maintenance agency, checked on',
        '2026-11-01. A `Money` always has exactly this many decimals. "none" marks codes',
        "that ISO 4217 gives no minor unit (precious metals, SDR, test codes): their",
        "amounts keep the decimals they are given, and rounding them needs an explicit",
        "quantum. Codes withdrawn recently are kept, with their withdrawal date, for",
        "documents issued before it.",
        "",
        "This page is generated from `backoffice.core.money.currencies()`.",
        "",
        "| Code | Numeric | Minor units | Withdrawn |",
        "|---|---|---|---|",
    ]
    for currency in currencies():
        minor = "none" if currency.minor_units is None else str(currency.minor_units)
        withdrawn = currency.withdrawn.isoformat() if currency.withdrawn else ""
        lines.append(f"| {currency.code} | {currency.numeric} | {minor} | {withdrawn} |")
    return "\n".join(lines) + "\n"


def errors_page() -> str:
    import backoffice
    from backoffice import errors

    for name in backoffice.__all__:
        getattr(backoffice, name)  # load every module, so every error class is known
    lines = [
        "# Errors",
        "",
        "Every error derives from `BackofficeError` and has a stable `code`, a message that",
        "says how to fix the problem, and structured `details`. Switch on the code, never",
        "on the message. This table is generated from the classes.",
        "",
        "| Code | Class | Also a | Meaning |",
        "|---|---|---|---|",
    ]
    for cls in errors.error_classes():
        builtin = next(
            (base.__name__ for base in cls.__mro__ if base in (TypeError, ValueError)), ""
        )
        summary = (cls.__doc__ or "").strip().splitlines()[0]
        lines.append(f"| `{cls.code}` | `{cls.__name__}` | `{builtin}` | {summary} |")
    lines += ["", "::: backoffice.errors", ""]
    return "\n".join(lines)


_EXAMPLE_PATTERNS = (
    r">>> validate\('([^']+)'\)[^\n]*\n(?!Traceback)",
    r">>> is_valid\('([^']+)'\)[^\n]*\nTrue",
    r">>> compact\('([^']+)'\)[^\n]*\n(?!Traceback)",
    r">>> format\('([^']+)'\)[^\n]*\n(?!Traceback)",
    r">>> [a-z_]+\('([^']+)'\)[^\n]*\n(?!Traceback)",
)


def identifier_example(country: str, kind: str, doc: str) -> str | None:
    """The first example in stdnum's docstring that the library accepts, formatted."""
    import re

    from backoffice import taxid

    for pattern in _EXAMPLE_PATTERNS:
        for candidate in re.findall(pattern, doc):
            try:
                return taxid.parse(candidate, None if country == "INT" else country, kind).format()
            except Exception:
                continue
    return None


def identifiers_page() -> str:
    from backoffice import taxid

    lines = [
        "# Identifiers (country, kind)",
        "",
        "Every identifier the library validates, by `(country, kind)`: the kind is the",
        "python-stdnum module that does the checks. `vat` also names each country's VAT",
        'number (`("FR", "vat")` is `("FR", "tva")`); `INT` holds international',
        "identifiers. Personal identifiers are masked in `repr`, `str` and error messages.",
        "The examples come from python-stdnum's documentation and pass the library's",
        "checks. This page is generated from `backoffice.taxid.kinds()`.",
        "",
        "| Country | Kind | Name | Personal | VAT | Example |",
        "|---|---|---|---|---|---|",
    ]
    for kind in taxid.kinds():
        example = identifier_example(kind.country, kind.name, kind.module.__doc__ or "")
        personal = {"always": "yes", "persons": "for persons", "never": ""}[kind.personal_scope]
        vat = "yes" if kind.is_vat else ""
        shown = f"`{example}`" if example else ""
        label = kind.label.replace("|", "\\|")
        lines.append(f"| {kind.country} | `{kind.name}` | {label} | {personal} | {vat} | {shown} |")
    return "\n".join(lines) + "\n"


_VAT_FAMILIES = (
    ("BR-S-", "Standard rate (category S)"),
    ("BR-Z-", "Zero rated (category Z)"),
    ("BR-E-", "Exempt from VAT (category E)"),
    ("BR-AE-", "Reverse charge (category AE)"),
    ("BR-IC-", "Intra-community supply (category K)"),
    ("BR-G-", "Export outside the EU (category G)"),
    ("BR-O-", "Not subject to VAT (category O)"),
    ("BR-AF-", "Canary Islands IGIC (category L)"),
    ("BR-AG-", "Ceuta and Melilla IPSI (category M)"),
)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _rule_table(rules: Iterable[Rule]) -> list[str]:
    lines = ["| Rule | Severity | Terms | Text |", "|---|---|---|---|"]
    for found in rules:
        terms = ", ".join(found.terms)
        lines.append(
            f"| `{found.id}` | {found.severity} | {terms} | {_cell(found.description('en'))} |"
        )
    return lines


def einvoice_rules_page() -> str:
    import re

    from backoffice.einvoice.france import FRANCE_2026
    from backoffice.einvoice.rules import RULES, SKIPPED

    families: list[tuple[str, str, list[Rule]]] = [
        ("Structure and content (BR-nn)", "", []),
        ("Calculations (BR-CO)", "", []),
        *((f"VAT: {name}", prefix, []) for prefix, name in _VAT_FAMILIES),
        ("Decimals (BR-DEC)", "", []),
    ]
    for found in RULES:
        if re.fullmatch(r"BR-\d+", found.id):
            families[0][2].append(found)
        elif found.id.startswith("BR-CO-"):
            families[1][2].append(found)
        elif found.id.startswith("BR-DEC-"):
            families[-1][2].append(found)
        else:
            family = next(f for f in families if f[1] and found.id.startswith(f[1]))
            family[2].append(found)
    lines = [
        "# E-invoice rules",
        "",
        f"The {len(RULES)} EN 16931 business rules that `backoffice.einvoice.read` checks",
        "(`RULES` in `backoffice.einvoice.rules`), in the order they run, grouped by",
        f"family; then the {len(FRANCE_2026)} rules of the French 2026 reform that",
        "`read(data, france=True)` adds, and the EN 16931 rules that are not checked, with",
        "the reason.",
        "Each rule's text exists in English, French and Brazilian Portuguese",
        '(`Rule.description(locale)`, `Finding.localized(locale)`); "Terms" are the',
        "business terms the rule reads. This page is generated from the rule sets.",
        "",
    ]
    for title, _, rules in families:
        lines += [f"## {title}", "", *_rule_table(rules), ""]
    lines += [
        "## French 2026 reform",
        "",
        "`FRANCE_2026` in `backoffice.einvoice.france`. The `BR-FR` ids follow the",
        "platforms' rules that check the same thing; `FR-` rules are the library's own",
        "reading of the reform's mentions.",
        "",
        *_rule_table(FRANCE_2026),
        "",
        "## Rules not checked",
        "",
        "`SKIPPED` in `backoffice.einvoice.rules`: rules of EN 16931-1 that `read` does not",
        "check, with the reason.",
        "",
        "| Rule | Reason |",
        "|---|---|",
    ]
    lines += [f"| `{rule_id}` | {_cell(reason)} |" for rule_id, reason in SKIPPED.items()]
    return "\n".join(lines) + "\n"


def _limit_text(limit: object) -> str:
    from backoffice.core.money import Money
    from backoffice.payroll.scales import Multiple

    if isinstance(limit, Money):
        return str(limit.amount)
    if isinstance(limit, Multiple):
        return f"{limit.factor} × {limit.parameter}"
    return "computed"


def _payroll_value(value: object) -> str:
    """A Brazilian parameter's value, readable in one table cell."""
    from backoffice.core.money import Money, Rate
    from backoffice.payroll.br import IrrfReduction
    from backoffice.payroll.scales import DeductionScale, MarginalScale

    if value is None:
        return "none"
    if isinstance(value, Money):
        return f"{value.amount} {value.currency.code}"
    if isinstance(value, Rate):
        return str(value)
    if isinstance(value, MarginalScale):
        parts = [
            f"up to {_limit_text(b.upper)}: {b.rate}" if b.upper is not None else f"above: {b.rate}"
            for b in value.brackets
        ]
        if value.brackets[-1].upper is not None:
            parts.append("above: none (ceiling)")
        return "; ".join(parts) + f" (marginal, {value.mode.mode.name}, {value.rounding.value})"
    if isinstance(value, DeductionScale):
        parts = [
            (f"up to {_limit_text(b.upper)}" if b.upper is not None else "above")
            + f": {b.rate} − {b.deduction.amount}"
            for b in value.brackets
        ]
        return "; ".join(parts) + f" (base × rate − deduction, {value.mode.mode.name})"
    if isinstance(value, IrrfReduction):
        return (
            f"{value.full_amount.amount} up to {value.full_until.amount}; "
            f"{value.constant.amount} − {value.factor} × income up to "
            f"{value.phase_out_until.amount}; none above (at most the tax)"
        )
    return str(value)


def payroll_parameters_page() -> str:
    from backoffice.payroll import br
    from backoffice.payroll.france_parameters import FRENCH_PARAMETERS

    lines = [
        "# Payroll parameters",
        "",
        "The dated legal figures the payroll packs read, with the text each comes from.",
        "A figure applies from its first day to its last day, inclusive (an empty last day",
        "means it is still in force); a day that no version covers is refused, never",
        'filled with the figure of another year. Texts marked "verify" were not compared',
        "with the official journal yet. This page is generated from",
        "`backoffice.payroll.france_parameters.FRENCH_PARAMETERS` and",
        "`backoffice.payroll.br.PARAMETERS`.",
        "",
        "## France",
        "",
        "`FRENCH_PARAMETERS`, loaded by `backoffice.payroll.fr` under the same names. Rates",
        "are ratios (`0.0690` is 6.90 %), `*.ceiling_pss` are multiples of the monthly",
        "social security ceiling (PSS) and `*.threshold_smic` multiples of the SMIC.",
        "",
        "| Name | Value | Unit | Valid from | Valid until | Source | Note |",
        "|---|---|---|---|---|---|---|",
    ]
    for item in FRENCH_PARAMETERS:
        until = item.valid_until.isoformat() if item.valid_until else ""
        lines.append(
            f"| `{item.name}` | {item.value} | {item.unit} | {item.valid_from.isoformat()} "
            f"| {until} | {_cell(item.source)} | {_cell(item.note)} |"
        )
    checked = sorted({item.checked_on.isoformat() for item in FRENCH_PARAMETERS})
    lines += [
        "",
        f"Checked on: {', '.join(checked)}.",
        "",
        "## Brazil",
        "",
        "`backoffice.payroll.br.PARAMETERS`. Scale limits and amounts are in BRL; a bracket",
        "runs from the previous limit, excluded, to its own, included.",
        "",
        "| Name | Value | Valid from | Valid until | Source | Jurisdiction | Checked on |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, versions in br.PARAMETERS.items():
        for version in versions:
            until = version.valid_until.isoformat() if version.valid_until else ""
            lines.append(
                f"| `{name}` | {_cell(_payroll_value(version.value))} "
                f"| {version.valid_from.isoformat()} | {until} | {_cell(version.source)} "
                f"| {version.jurisdiction} | {version.checked_on.isoformat()} |"
            )
    return "\n".join(lines) + "\n"


def _validity(rule: Any) -> str:
    start = rule.valid_from.isoformat() if rule.valid_from else "always"
    end = rule.valid_until.isoformat() if rule.valid_until else "in force"
    return f"{start} – {end}"


def _source(reference: Any) -> str:
    text = str(reference)
    if reference.url:
        text = f"[{text}]({reference.url})"
    if reference.note:
        text += f". {reference.note}"
    return _cell(text)


def compliance_rules_page() -> str:
    from backoffice.compliance import packs

    titles = {
        "fr": ("France", "backoffice.compliance.fr", "`RULES` and `SERIES_RULES`"),
        "eu": ("European Union VAT", "backoffice.compliance.eu", "`RULES`"),
        "br": ("Brazil: fiscal documents", "backoffice.compliance.br", "`RULES`"),
        "pt": ("Portugal: ATCUD, QR code, signatures", "backoffice.compliance.pt", "`RULES`"),
        "operations": ("Stock and payroll", "backoffice.compliance.operations", "`RULES`"),
    }
    found = packs()
    count = sum(len(rules) for rules in found.values())
    lines = [
        "# Compliance rules",
        "",
        f"The {count} rules the library ships (`backoffice.compliance.builtin_rules()`), by",
        "pack: the jurisdiction whose law each applies (`*`: everywhere), the subject it",
        "reads, its severity, the days it applies on (both included, by the subject's own",
        "day: an invoice's issue date, a movement's effective day, the first day of the",
        "month paid) and the legal text it comes from. Each rule's message exists in",
        "English, French and Brazilian Portuguese. This page is generated from the packs.",
        "",
    ]
    for name, rules in found.items():
        title, module, attribute = titles[name]
        lines += [
            f"## {title}",
            "",
            f"{attribute} in `{module}`.",
            "",
            "| Rule | Jurisdiction | Subject | Severity | Applies | Statement | Source |",
            "|---|---|---|---|---|---|---|",
        ]
        for rule in rules:
            lines.append(
                f"| `{rule.id}` | {rule.jurisdiction} | {rule.subject.name} "
                f"| {rule.severity.value} | {_validity(rule)} | {_cell(rule.summary)} "
                f"| {_source(rule.reference)} |"
            )
        lines.append("")
    return "\n".join(lines)


def demo_report_page() -> str:
    """The KPI report of ``backoffice demo`` (English), as the demo writes it."""
    import tempfile

    from backoffice.demo import run_demo

    with tempfile.TemporaryDirectory() as directory:
        run_demo("en_US", lambda _: None, db=f"sqlite:///{directory}/demo.db")
        return (Path(directory) / "demo-report.html").read_text(encoding="utf-8")


PAGES = {
    "reference/currencies.md": currencies_page,
    "reference/errors.md": errors_page,
    "reference/identifiers.md": identifiers_page,
    "reference/einvoice-rules.md": einvoice_rules_page,
    "reference/payroll-parameters.md": payroll_parameters_page,
    "reference/compliance-rules.md": compliance_rules_page,
    "assets/demo-report.html": demo_report_page,
}


def main() -> int:
    for relative, build in PAGES.items():
        (DOCS / relative).parent.mkdir(parents=True, exist_ok=True)
        (DOCS / relative).write_text(build(), encoding="utf-8")
        print(f"wrote docs/{relative}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
