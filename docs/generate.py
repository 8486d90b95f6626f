"""Write the reference pages that are generated from the code.

Run ``python docs/generate.py`` after changing currencies or errors; the test suite
fails while a generated page is out of date, so the documentation never drifts.
"""

from __future__ import annotations

import sys
from pathlib import Path

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


PAGES = {
    "reference/currencies.md": currencies_page,
    "reference/errors.md": errors_page,
}


def main() -> int:
    for relative, build in PAGES.items():
        (DOCS / relative).write_text(build(), encoding="utf-8")
        print(f"wrote docs/{relative}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
