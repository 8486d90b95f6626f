"""Legal invoice numbering: series, fiscal years, number templates, and the gap audit.

French law (CGI, annexe II, article 242 nonies A, 7°) and the EU VAT directive (article
226, 2) ask for "a sequential number, based on one or more series, which uniquely
identifies the invoice". The library hands numbers out at issue time only, inside the
issuing transaction, from a counter per tenant, series and fiscal year: a draft never
consumes a number, and a transaction that fails gives its number back, so the numbers
of a series are 1, 2, 3... with no gap and no duplicate, on every store.

>>> series = NumberSeries("F", template="F{year}-{number:06d}")
>>> series.format(123, series.fiscal_year(date(2026, 3, 14)))
'F2026-000123'
>>> NumberSeries("AV", template="AV-{year}-{number:04d}", fiscal_year_start_month=7
...              ).fiscal_year(date(2026, 3, 14))
2025
"""

from __future__ import annotations

import enum
import json
import re
import string
from datetime import date
from typing import Final

import attrs

from backoffice.errors import InvalidValue
from backoffice.invoicing.model import _Problems, _required_text, member_of

__all__ = ["GapReport", "NumberSeries", "SeriesReset", "find_gaps"]

_FIELDS: Final = frozenset({"series", "year", "yy", "number"})


class SeriesReset(enum.StrEnum):
    """When a series starts again from 1."""

    YEARLY = "yearly"
    """Every fiscal year: the template must then show the year, so that numbers stay
    unique."""
    NEVER = "never"
    """Never: one sequence for ever."""


def _template(value: object, reset: SeriesReset) -> str:
    text = _required_text(value, "template")
    if len(text) > 100:
        raise InvalidValue(field="template", reason="must be at most 100 characters")
    try:
        parts = [
            (name, spec or "")
            for _, name, spec, _ in string.Formatter().parse(text)
            if name is not None
        ]
    except ValueError as error:
        raise InvalidValue(field="template", reason=f"is not a valid template: {error}") from None
    fields = {name for name, _ in parts}
    for name, spec in parts:
        if any(int(width) > 20 for width in re.findall(r"\d+", spec)):
            raise InvalidValue(
                field="template",
                reason=f"the field {{{name}:{spec}}} is wider than 20 characters",
            )
    unknown = fields - _FIELDS
    if unknown:
        raise InvalidValue(
            field="template",
            reason=f"unknown field(s) {sorted(unknown)}: use {{series}}, {{year}}, {{yy}} "
            "and {number}",
        )
    if "number" not in fields:
        raise InvalidValue(field="template", reason="must show the {number}")
    if reset is SeriesReset.NEVER and fields & {"year", "yy"}:
        raise InvalidValue(
            field="template",
            reason="a series that never starts again has no year to show: drop {year} and "
            "{yy}, or reset it yearly",
        )
    if reset is SeriesReset.YEARLY and not fields & {"year", "yy"}:
        raise InvalidValue(
            field="template",
            reason="a series that starts again every year must show the {year} (or {yy}), "
            "or its numbers would repeat",
        )
    try:
        text.format(series="S", year=2026, yy="26", number=1)
    except (ValueError, IndexError, KeyError) as error:
        raise InvalidValue(field="template", reason=f"cannot be filled in: {error}") from None
    return text


def _month(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 12:
        raise InvalidValue(
            field="fiscal_year_start_month", reason=f"must be a month from 1 to 12, got {value!r}"
        )
    return value


@attrs.frozen(slots=True, init=False)
class NumberSeries:
    """A numbering series: its code, the template its numbers are written with, when it
    starts again, and the month its fiscal year starts in.

    The template is a Python format string over ``{series}`` (the code), ``{year}`` (the
    fiscal year, as the calendar year it starts in), ``{yy}`` (its last two digits) and
    ``{number}`` (the sequence number, e.g. ``{number:06d}``).
    """

    code: str
    """The series code: ``"F"``, ``"AV"``, ``"2026-SHOP"``..."""
    template: str
    """The template numbers are written with."""
    reset: SeriesReset
    """When the sequence starts again from 1."""
    fiscal_year_start_month: int
    """The month the fiscal year starts in (1 for calendar years)."""

    def __init__(
        self,
        code: str,
        *,
        template: str = "{series}-{year}-{number:06d}",
        reset: SeriesReset | str = SeriesReset.YEARLY,
        fiscal_year_start_month: int = 1,
    ) -> None:
        problems = _Problems()
        checked_code = problems.check("code", lambda: _code(code), "")
        checked_reset = problems.check(
            "reset", lambda: member_of(SeriesReset, reset, "reset"), SeriesReset.YEARLY
        )
        checked_template = problems.check(
            "template", lambda: _template(template, checked_reset), ""
        )
        month = problems.check(
            "fiscal_year_start_month", lambda: _month(fiscal_year_start_month), 1
        )
        problems.raise_if_any()
        self.__attrs_init__(checked_code, checked_template, checked_reset, month)

    def fiscal_year(self, day: date) -> int:
        """The fiscal year ``day`` falls in, named by the calendar year it starts in; 0
        for a series that never starts again (one sequence)."""
        if self.reset is SeriesReset.NEVER:
            return 0
        return day.year if day.month >= self.fiscal_year_start_month else day.year - 1

    def format(self, number: int, fiscal_year: int) -> str:
        """Number ``number`` of ``fiscal_year``, written with the template."""
        return self.template.format(
            series=self.code, year=fiscal_year, yy=f"{fiscal_year % 100:02d}", number=number
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "code": self.code,
                "template": self.template,
                "reset": self.reset.value,
                "fiscal_year_start_month": self.fiscal_year_start_month,
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> NumberSeries:
        data = json.loads(text)
        return cls(
            data["code"],
            template=data["template"],
            reset=data["reset"],
            fiscal_year_start_month=data["fiscal_year_start_month"],
        )


def _code(value: object) -> str:
    text = _required_text(value, "code")
    if len(text) > 50 or not all(ch.isalnum() or ch in "-_/." for ch in text):
        raise InvalidValue(
            field="code",
            reason=f"must be at most 50 letters, digits, '-', '_', '/' or '.', got {value!r}",
        )
    return text


@attrs.frozen(slots=True)
class GapReport:
    """What the numbering audit found in one series and fiscal year."""

    series: str
    fiscal_year: int
    count: int
    """How many issued documents the series holds for the year."""
    last: int
    """The highest number handed out (the counter's, or the highest stored)."""
    missing: tuple[int, ...]
    """Numbers from 1 to :attr:`last` that no stored document has."""
    duplicated: tuple[int, ...]
    """Numbers that more than one stored document has."""

    @property
    def ok(self) -> bool:
        """No gap and no duplicate."""
        return not self.missing and not self.duplicated


def find_gaps(series: str, fiscal_year: int, numbers: list[int], last: int) -> GapReport:
    """The gaps and duplicates among ``numbers`` (the sequence numbers stored for a
    series and year), up to ``last`` (what the counter handed out).

    >>> find_gaps("F", 2026, [1, 2, 2, 5], 6).missing
    (3, 4, 6)
    """
    seen: set[int] = set()
    duplicated: set[int] = set()
    for number in numbers:
        (duplicated if number in seen else seen).add(number)
    top = max([last, *numbers]) if numbers else last
    missing = tuple(n for n in range(1, top + 1) if n not in seen)
    return GapReport(series, fiscal_year, len(numbers), top, missing, tuple(sorted(duplicated)))
