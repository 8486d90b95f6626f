"""The compliance rule engine: rules traced to the law, findings, reports, rule sets.

A :class:`Rule` is a check written in plain typed Python, with what a reader needs to
trust it: an id (``"FR-INV-001"``), the jurisdiction whose law it applies (``"FR"``,
``"EU"``, ``"BR"``...), the kind of subject it reads (:class:`SubjectType`: an
invoice, a stock movement, a month's pay...), a :class:`Severity`, the days it applies
on, the :class:`LegalReference` it comes from, and its message in English, French and
Brazilian Portuguese, with ``{placeholders}`` the check fills.

The check receives the subject and yields a :class:`Violation` for each thing wrong
with it: the path of the offending field, in the style of the
:class:`~backoffice.errors.ValidationError` problems (``"seller.vat_id"``,
``"lines.2.vat_category"``), and the values its message shows. The engine turns each
into a :class:`Finding`, and a run into a :class:`Report`.

A :class:`RuleSet` holds rules by id (a second rule with the same id raises
:class:`~backoffice.errors.DuplicateRule`), selects them by jurisdiction, subject type
and date, and evaluates a subject:

>>> from datetime import date
>>> rules = RuleSet()
>>> @rules.rule(
...     "DOC-001",
...     jurisdiction="FR",
...     subject=SubjectType("memo", date_of=lambda memo: memo["day"]),
...     reference=LegalReference("Internal policy", article="1"),
...     messages={"en": "The memo names its author.", "fr": "La note nomme son auteur.",
...               "pt_BR": "A nota indica o autor."},
... )
... def _author(memo):
...     if not memo.get("author"):
...         yield Violation("author")
>>> report = rules.evaluate({"day": date(2026, 3, 2)}, subject="memo", jurisdiction="FR")
>>> report.has_errors, report.findings[0].path, report.findings[0].message("fr")
(True, 'author', 'La note nomme son auteur.')

Rules of a jurisdiction that belongs to a wider one are selected with it: a French
subject is checked against the ``"EU"`` rules too (:func:`jurisdictions_of`). Rules of
jurisdiction ``"*"`` apply everywhere.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final, Generic, TypeVar

import attrs

from backoffice.errors import DuplicateRule, InvalidType, InvalidValue, render
from backoffice.taxid.vies import VIES_COUNTRIES

__all__ = [
    "ANY_JURISDICTION",
    "EU_MEMBER_STATES",
    "LOCALES",
    "Finding",
    "LegalReference",
    "Report",
    "Rule",
    "RuleSet",
    "Severity",
    "SubjectType",
    "Violation",
    "jurisdictions_of",
]

S = TypeVar("S")

#: The languages every rule's message is written in.
LOCALES: Final = ("en", "fr", "pt_BR")

#: The jurisdiction of rules that apply whatever the jurisdiction asked for.
ANY_JURISDICTION: Final = "*"

#: The member states of the European Union (ISO 3166-1 alpha-2; Greece as ``GR``).
EU_MEMBER_STATES: Final = VIES_COUNTRIES - {"XI"}


def jurisdictions_of(code: str) -> tuple[str, ...]:
    """The jurisdictions whose rules apply in ``code``: itself, then the wider ones it
    belongs to, then :data:`ANY_JURISDICTION`.

    >>> jurisdictions_of("FR")
    ('FR', 'EU', '*')
    >>> jurisdictions_of("BR")
    ('BR', '*')
    """
    upper = code.upper()
    wider = ("EU",) if upper in EU_MEMBER_STATES else ()
    return (upper, *wider, ANY_JURISDICTION)


class Severity(enum.StrEnum):
    """How serious a finding is."""

    ERROR = "error"
    """The subject breaks the law as the rule reads it: a document to correct."""
    WARNING = "warning"
    """Probably wrong, or wrong in cases the subject cannot tell apart: to review."""
    INFO = "info"
    """Worth knowing, nothing to correct."""


_SEVERITY_ORDER: Final = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def _language(locale: str) -> str:
    """``"fr_FR"`` → ``"fr"``; ``"pt-br"``, ``"pt"`` → ``"pt_BR"``; anything else ``"en"``."""
    language = locale.replace("-", "_").split("_", 1)[0].lower()
    return {"fr": "fr", "pt": "pt_BR"}.get(language, "en")


def _babel_locale(language: str) -> str:
    return {"en": "en", "fr": "fr_FR", "pt_BR": "pt_BR"}[language]


def _upper(value: str) -> str:
    return value.upper()


@attrs.frozen(slots=True)
class SubjectType:
    """A kind of subject rules read: its name, and how to find the day that decides which
    rules apply to one (an invoice's issue date, a movement's effective date...).

    ``date_of`` returns ``None`` when the subject has no such day yet (a draft invoice):
    the caller then names the day (``on=``).
    """

    name: str
    """The name rules and selections use: ``"invoice"``, ``"stock_movement"``..."""
    date_of: Callable[[Any], date | None] = attrs.field(eq=False, repr=False)
    """The subject's relevant day."""
    description: str = attrs.field(default="", eq=False)
    """What the subject is, for the reference pages."""


@attrs.frozen(slots=True)
class LegalReference:
    """The legal text a rule comes from."""

    text: str
    """The text: ``"Code général des impôts, annexe II"``, ``"Directive 2006/112/CE"``."""
    article: str | None = None
    """The article, paragraph or item: ``"242 nonies A, I, 7°"``."""
    url: str | None = None
    """Where to read it (never fetched by the library)."""
    note: str | None = None
    """What a reader should know about how the rule reads the text."""

    def __str__(self) -> str:
        return self.text if self.article is None else f"{self.text}, article {self.article}"

    def to_dict(self) -> dict[str, str | None]:
        return {"text": self.text, "article": self.article, "url": self.url, "note": self.note}


@attrs.frozen(slots=True)
class Violation:
    """What a check yields for each thing wrong: where, and the values its message shows.

    ``path`` is dotted, from the subject: ``"seller.vat_id"``, ``"lines.2.vat_category"``;
    empty for the subject as a whole.
    """

    path: str = ""
    values: Mapping[str, object] = attrs.field(factory=dict)


Check = Callable[[S], Iterable[Violation]]


def _messages(value: Mapping[str, str]) -> Mapping[str, str]:
    if not isinstance(value, Mapping):
        raise InvalidType(field="messages", expected="a mapping of language to text", got=value)
    missing = [language for language in LOCALES if not value.get(language)]
    if missing:
        raise InvalidValue(
            field="messages", reason=f"a rule has a message in every one of {LOCALES}: {missing}"
        )
    return dict(value)


@attrs.frozen(slots=True)
class Rule(Generic[S]):
    """A compliance rule: a typed check and where it comes from.

    Build one with the constructor, or register one with :meth:`RuleSet.rule`.

    Raises:
        InvalidValue: a message is missing for one of :data:`LOCALES`, the id is empty,
            or ``valid_until`` is before ``valid_from``.
    """

    id: str
    """A stable id: ``"FR-INV-001"``."""
    jurisdiction: str = attrs.field(converter=_upper)
    """Whose law: ``"FR"``, ``"EU"``, ``"BR"``, ``"PT"``... or ``"*"``."""
    subject: SubjectType
    """What the check reads."""
    check: Check[S] = attrs.field(eq=False, repr=False)
    """The check: yields a :class:`Violation` for each thing wrong with the subject."""
    reference: LegalReference
    """The legal text the rule comes from."""
    messages: Mapping[str, str] = attrs.field(converter=_messages, eq=False, repr=False)
    """The message, by language (``"en"``, ``"fr"``, ``"pt_BR"``), with placeholders
    the violations' values fill."""
    severity: Severity = attrs.field(default=Severity.ERROR, converter=Severity)
    """How serious a failure is."""
    valid_from: date | None = None
    """The first day the rule applies (included); ``None``: since always."""
    valid_until: date | None = None
    """The last day the rule applies (included); ``None``: still in force."""
    title: str = attrs.field(default="", eq=False)
    """A short English statement of the rule, for reference pages (its English
    message by default)."""

    def __attrs_post_init__(self) -> None:
        if not self.id or not self.id.strip():
            raise InvalidValue(field="id", reason="a rule has an id")
        if (
            self.valid_from is not None
            and self.valid_until is not None
            and self.valid_until < self.valid_from
        ):
            raise InvalidValue(
                field="valid_until",
                reason=f"{self.valid_until.isoformat()} is before valid_from "
                f"{self.valid_from.isoformat()}",
            )

    @property
    def summary(self) -> str:
        """:attr:`title`, or the English message."""
        return self.title or self.messages["en"]

    def applies_on(self, day: date) -> bool:
        """Whether ``day`` is within the rule's validity dates."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )

    def applies_in(self, jurisdiction: str) -> bool:
        """Whether the rule is one of those that apply in ``jurisdiction``."""
        return self.jurisdiction in jurisdictions_of(jurisdiction)

    def run(self, subject: S) -> tuple[Finding, ...]:
        """The findings of this rule on ``subject`` (whatever the dates)."""
        return tuple(
            Finding(
                rule=self.id,
                severity=self.severity,
                jurisdiction=self.jurisdiction,
                subject=self.subject.name,
                path=violation.path,
                values=dict(violation.values),
                reference=self.reference,
                messages=self.messages,
            )
            for violation in self.check(subject)
        )


def _shown(value: object, locale: str) -> str:
    """A value as its message shows it, in ``locale`` (a babel locale)."""
    from backoffice.core.l10n import format_date, format_decimal, format_money
    from backoffice.core.money import Money

    if isinstance(value, Money):
        return format_money(value, locale)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return format_date(value, locale)
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return format_decimal(value, locale)
    if isinstance(value, list | tuple):
        return ", ".join(_shown(item, locale) for item in value)
    return str(value)


def _plain(value: object) -> object:
    """A value as the JSON report states it: plain text for amounts and dates."""
    from backoffice.core.money import Money

    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, Money):
        return {"amount": format(value.amount, "f"), "currency": value.currency.code}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int):
        return value
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return str(value)


@attrs.frozen(slots=True)
class Finding:
    """A rule a subject fails, where, and the law it comes from."""

    rule: str
    """The rule's id."""
    severity: Severity
    jurisdiction: str
    subject: str
    """The subject type's name."""
    path: str
    """The offending field, dotted from the subject (``"seller.vat_id"``); empty for the
    subject as a whole."""
    values: Mapping[str, object]
    """The values the message shows."""
    reference: LegalReference
    messages: Mapping[str, str] = attrs.field(eq=False, repr=False)

    def message(self, locale: str = "en") -> str:
        """The message in ``locale`` (``"fr_FR"``, ``"pt_BR"``...; English for a language
        without one), its values formatted for that locale."""
        language = _language(locale)
        where = _babel_locale(language)
        shown = {key: _shown(value, where) for key, value in self.values.items()}
        return render(self.messages[language], shown)

    def to_dict(self, locale: str = "en") -> dict[str, Any]:
        """The finding as JSON-friendly data, with stable keys."""
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "jurisdiction": self.jurisdiction,
            "subject": self.subject,
            "path": self.path,
            "message": self.message(locale),
            "values": {key: _plain(value) for key, value in sorted(self.values.items())},
            "reference": self.reference.to_dict(),
        }


@attrs.frozen(slots=True)
class Report:
    """The findings of a run, most serious first, and what was checked."""

    findings: tuple[Finding, ...]
    checked: tuple[str, ...] = ()
    """The ids of the rules that ran."""
    on: date | None = None
    """The day the rules were selected for."""

    @property
    def has_errors(self) -> bool:
        """Whether any finding is an error."""
        return any(finding.severity is Severity.ERROR for finding in self.findings)

    def of(self, severity: Severity | str) -> tuple[Finding, ...]:
        """The findings of ``severity``."""
        wanted = Severity(severity)
        return tuple(finding for finding in self.findings if finding.severity is wanted)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return self.of(Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return self.of(Severity.WARNING)

    @property
    def infos(self) -> tuple[Finding, ...]:
        return self.of(Severity.INFO)

    def by_severity(self) -> dict[Severity, tuple[Finding, ...]]:
        """The findings grouped by severity, errors first (every severity is a key)."""
        return {severity: self.of(severity) for severity in Severity}

    def rules(self) -> tuple[str, ...]:
        """The ids of the rules that failed, in order, each once."""
        return tuple(dict.fromkeys(finding.rule for finding in self.findings))

    def to_dict(self, locale: str = "en") -> dict[str, Any]:
        """The report as JSON-friendly data, with stable keys: ``has_errors``,
        ``counts`` (by severity), ``on``, ``checked`` and ``findings``."""
        return {
            "has_errors": self.has_errors,
            "counts": {severity.value: len(self.of(severity)) for severity in Severity},
            "on": None if self.on is None else self.on.isoformat(),
            "checked": list(self.checked),
            "findings": [finding.to_dict(locale) for finding in self.findings],
        }

    def to_json(self, locale: str = "en", *, indent: int | None = 2) -> str:
        """:meth:`to_dict` as JSON text (UTF-8 characters kept)."""
        return json.dumps(self.to_dict(locale), ensure_ascii=False, indent=indent)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)


class RuleSet:
    """Rules by id: add packs and rules of your own, select, evaluate.

    Raises (from :meth:`add` and the constructor):
        DuplicateRule: a rule with the same id is in the set already.
    """

    __slots__ = ("_rules", "_subjects")

    def __init__(self, rules: Iterable[Rule[Any]] = ()) -> None:
        self._rules: dict[str, Rule[Any]] = {}
        self._subjects: dict[str, SubjectType] = {}
        self.add(*rules)

    def add(self, *rules: Rule[Any]) -> None:
        """Add ``rules``; none is added when one is refused.

        Raises:
            DuplicateRule: an id is in the set already (or twice in ``rules``).
            InvalidType: one is not a :class:`Rule`.
        """
        seen: set[str] = set()
        for item in rules:
            if not isinstance(item, Rule):
                raise InvalidType(field="rules", expected="Rule values", got=repr(item))
            if item.id in self._rules or item.id in seen:
                raise DuplicateRule(rule_id=item.id)
            seen.add(item.id)
        for item in rules:
            self._rules[item.id] = item
            self._subjects.setdefault(item.subject.name, item.subject)

    def rule(
        self,
        rule_id: str,
        *,
        jurisdiction: str,
        subject: SubjectType,
        reference: LegalReference,
        messages: Mapping[str, str],
        severity: Severity | str = Severity.ERROR,
        valid_from: date | None = None,
        valid_until: date | None = None,
        title: str = "",
    ) -> Callable[[Check[S]], Check[S]]:
        """Register the decorated check as rule ``rule_id`` (see :class:`Rule` for the
        arguments); the function is returned unchanged.

        Raises:
            DuplicateRule: ``rule_id`` is in the set already.
        """

        def register(check: Check[S]) -> Check[S]:
            self.add(
                Rule(
                    id=rule_id,
                    jurisdiction=jurisdiction,
                    subject=subject,
                    check=check,
                    reference=reference,
                    messages=messages,
                    severity=Severity(severity),
                    valid_from=valid_from,
                    valid_until=valid_until,
                    title=title,
                )
            )
            return check

        return register

    def __iter__(self) -> Iterator[Rule[Any]]:
        return iter(self._rules.values())

    def __len__(self) -> int:
        return len(self._rules)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._rules

    def __getitem__(self, rule_id: str) -> Rule[Any]:
        return self._rules[rule_id]

    def copy(self) -> RuleSet:
        """A new set with the same rules, to extend without changing this one."""
        return RuleSet(self._rules.values())

    def select(
        self,
        *,
        jurisdiction: str | None = None,
        subject: SubjectType | str | None = None,
        on: date | None = None,
    ) -> tuple[Rule[Any], ...]:
        """The rules that apply in ``jurisdiction`` (with the wider ones it belongs to,
        see :func:`jurisdictions_of`), to ``subject``, on ``on``; ``None`` selects on
        nothing."""
        name = subject.name if isinstance(subject, SubjectType) else subject
        return tuple(
            item
            for item in self._rules.values()
            if (jurisdiction is None or item.applies_in(jurisdiction))
            and (name is None or item.subject.name == name)
            and (on is None or item.applies_on(on))
        )

    def evaluate(
        self,
        value: object,
        *,
        subject: SubjectType | str,
        jurisdiction: str | None = None,
        on: date | None = None,
    ) -> Report:
        """Run the rules that apply to ``value`` and gather their findings.

        The day rules are selected for is ``on``, else the subject's own day
        (:attr:`SubjectType.date_of`).

        Raises:
            InvalidValue: ``on`` is not given and the subject has no day of its own (a
                draft invoice), or no rule of the set reads ``subject``.
        """
        name = subject.name if isinstance(subject, SubjectType) else subject
        kind = self._subjects.get(name) if not isinstance(subject, SubjectType) else subject
        if kind is None:
            raise InvalidValue(field="subject", reason=f"no rule of the set reads {name!r}")
        day = on if on is not None else kind.date_of(value)
        if day is None:
            raise InvalidValue(
                field="on",
                reason=f"the {name} has no date of its own yet: name the day to check it for",
            )
        selected = self.select(jurisdiction=jurisdiction, subject=name, on=day)
        findings = [found for item in selected for found in item.run(value)]
        findings.sort(key=lambda found: _SEVERITY_ORDER[found.severity])  # stable
        return Report(tuple(findings), tuple(item.id for item in selected), day)
