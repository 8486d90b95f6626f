"""How long records must be kept, by jurisdiction and kind of document, and a purge guard
that refuses to let anything go before its retention ends.

Each period is a dated, sourced :class:`~backoffice.payroll.parameters.Parameter` (a
number of years) with the rule its count starts from:

* ``"document_date"``: the period runs from the day of the document (France, tax:
  "six ans à compter de la date [...] à laquelle les documents ou pièces ont été
  établis");
* ``"end_of_year"``: the period runs from the end of the calendar year of the document
  (Portugal: "os 10 anos civis subsequentes"; Brazil: five years "contados do primeiro
  dia do exercício seguinte"; France, accounting: ten years from the close of the
  financial year, taken as the calendar year).

**The purge decision.** The audit journal is append-only on every adapter (the SQL
tables refuse ``DELETE`` with triggers; the memory store has no way to remove an entry),
so the library never deletes an entry. :meth:`RetentionPolicy.purge` is the guard an
application calls before its own archiving: while the retention of any entry it names
runs, it raises :class:`~backoffice.errors.RetentionNotOver` and nothing happens; once
every one is over, it returns the :class:`~backoffice.compliance.journal.Checkpoint` of
the last purgeable entry, which is what is archived with an export of the entries
(removing rows after that is an administrator's act on the database, outside the
library, and the checkpoint is what proves the archived chain whole)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date
from typing import TYPE_CHECKING, Final

import attrs

from backoffice.compliance.journal import Checkpoint, JournalEntry
from backoffice.core.time import Clock, SystemClock
from backoffice.errors import InvalidValue, RetentionNotOver
from backoffice.payroll.parameters import Parameter

if TYPE_CHECKING:
    from backoffice.storage.ports import Store, UnitOfWork

__all__ = [
    "COUNTED_FROM",
    "RETENTION_RULES",
    "RetentionPolicy",
    "RetentionRule",
    "retention_end",
    "retention_rule",
]

#: The days a retention period can be counted from.
COUNTED_FROM: Final = ("document_date", "end_of_year")

#: The day the periods below were last compared with their sources.
_CHECKED: Final = date(2026, 11, 30)


def _counted_from(value: object) -> str:
    if value not in COUNTED_FROM:
        raise InvalidValue(field="counted_from", reason=f"must be one of {COUNTED_FROM}")
    return str(value)


@attrs.frozen(slots=True)
class RetentionRule:
    """How long one kind of document is kept in one jurisdiction.

    Attributes:
        document_kind: ``"accounting"``, ``"tax"``, ``"fiscal_document"``...
        period: the number of years, with its jurisdiction, source and validity dates.
        counted_from: ``"document_date"`` or ``"end_of_year"`` (see the module).
    """

    document_kind: str
    period: Parameter[int]
    counted_from: str = attrs.field(converter=_counted_from)

    @property
    def jurisdiction(self) -> str:
        return self.period.jurisdiction

    def end(self, day: date) -> date:
        """The last day a document of ``day`` must be kept.

        Raises:
            InvalidValue: the period's source does not cover ``day`` (keep it).
        """
        years = self.period.value_on(day)
        if self.counted_from == "end_of_year":
            return date(day.year + years, 12, 31)
        if day.month == 2 and day.day == 29 and years % 4:
            return date(day.year + years, 3, 1)
        return date(day.year + years, day.month, day.day)


RETENTION_RULES: Final = (
    RetentionRule(
        "accounting",
        Parameter(
            name="retention of accounting documents and vouchers, in years",
            value=10,
            source="Code de commerce, article L123-22, alinéa 2 (ten years; counted here from "
            "the end of the calendar year, the close of a calendar financial year)",
            # The day the legislative part of the Code de commerce came into force
            # (ordonnance n° 2000-912 du 18 septembre 2000); not covered before.
            valid_from=date(2000, 9, 21),
            jurisdiction="FR",
            checked_on=_CHECKED,
        ),
        "end_of_year",
    ),
    RetentionRule(
        "tax",
        Parameter(
            name="retention of books, registers, documents and vouchers open to the tax "
            "administration's right of communication, in years",
            value=6,
            source="Livre des procédures fiscales, article L102 B, I (six years from the "
            "date of the document or of the last operation in the book)",
            # The earliest day this library has a source for: BOI-CF-COM-10-10-30-10,
            # published 18 October 2013. The same six years applied before; not covered.
            valid_from=date(2013, 10, 18),
            jurisdiction="FR",
            checked_on=_CHECKED,
        ),
        "document_date",
    ),
    RetentionRule(
        "tax",
        Parameter(
            name="retention of VAT books, registers and supporting documents, in years",
            value=10,
            source="Código do IVA, artigo 52.º, n.º 1 (os 10 anos civis subsequentes); "
            "Código Comercial, artigo 40.º (10 anos)",
            # The wording rectified by the Declaração de Retificação n.º 44-A/2008 of
            # 13 August 2008; earlier wordings are not covered.
            valid_from=date(2008, 8, 13),
            jurisdiction="PT",
            checked_on=_CHECKED,
        ),
        "end_of_year",
    ),
    RetentionRule(
        "accounting",
        Parameter(
            name="retention of the bookkeeping and its documents, in years",
            value=10,
            source="Código Comercial, artigo 40.º (10 anos); Código do IVA, artigo 52.º, "
            "n.º 1 (os 10 anos civis subsequentes)",
            # As for the VAT records (Declaração de Retificação n.º 44-A/2008).
            valid_from=date(2008, 8, 13),
            jurisdiction="PT",
            checked_on=_CHECKED,
        ),
        "end_of_year",
    ),
    RetentionRule(
        "fiscal_document",
        Parameter(
            name="retention of fiscal documents (NF-e XML files and their books), in years",
            value=5,
            source="Código Tributário Nacional (Lei n.º 5.172/1966), art. 173, I (cinco anos "
            "contados do primeiro dia do exercício seguinte) and art. 195, parágrafo único "
            "(kept until the tax credits prescribe); Ajuste SINIEF 07/05, cláusula décima "
            "(the NF-e kept for the period of the tax legislation)",
            # The day the CTN came into force (art. 218).
            valid_from=date(1967, 1, 1),
            valid_until=date(2025, 4, 30),
            jurisdiction="BR",
            checked_on=_CHECKED,
        ),
        "end_of_year",
    ),
    RetentionRule(
        "fiscal_document",
        Parameter(
            name="retention of the XML files of electronic fiscal documents (NF-e, NFC-e, "
            "CT-e, MDF-e...), in years",
            value=11,
            source="Ajuste SINIEF n.º 2, de 11 de abril de 2025 (Despacho CONFAZ n.º 9/2025): "
            "132 months from the document's authorization, from 2025-05-01; the prescription "
            "of CTN art. 174 stays 5 years",
            valid_from=date(2025, 5, 1),
            jurisdiction="BR",
            checked_on=_CHECKED,
        ),
        "document_date",
    ),
    RetentionRule(
        "tax",
        Parameter(
            name="retention of tax books and the vouchers of their entries, in years",
            value=5,
            source="Código Tributário Nacional (Lei n.º 5.172/1966), art. 173, I and "
            "art. 195, parágrafo único",
            valid_from=date(1967, 1, 1),
            jurisdiction="BR",
            checked_on=_CHECKED,
        ),
        "end_of_year",
    ),
)
"""The retention rules the library knows (France, Portugal, Brazil)."""


def retention_rule(
    jurisdiction: str,
    document_kind: str,
    day: date,
    rules: tuple[RetentionRule, ...] = RETENTION_RULES,
) -> RetentionRule:
    """The rule of ``document_kind`` in ``jurisdiction`` for a document of ``day``.

    Raises:
        InvalidValue: no rule covers it (pass your own ``rules``).
    """
    for rule in rules:
        if (
            rule.jurisdiction == jurisdiction
            and rule.document_kind == document_kind
            and rule.period.covers(day)
        ):
            return rule
    known = sorted({(r.jurisdiction, r.document_kind) for r in rules})
    raise InvalidValue(
        field="document_kind",
        reason=f"no retention rule of {document_kind!r} in {jurisdiction!r} covers "
        f"{day.isoformat()}; known: {known}; pass a rule of your own",
    )


def retention_end(
    jurisdiction: str,
    document_kind: str,
    day: date,
    rules: tuple[RetentionRule, ...] = RETENTION_RULES,
) -> date:
    """The last day a document of ``day`` must be kept.

    >>> from datetime import date
    >>> retention_end("FR", "accounting", date(2026, 3, 15)).isoformat()
    '2036-12-31'
    >>> retention_end("FR", "tax", date(2026, 3, 15)).isoformat()
    '2032-03-15'
    >>> retention_end("PT", "tax", date(2026, 3, 15)).isoformat()
    '2036-12-31'
    >>> retention_end("BR", "fiscal_document", date(2026, 3, 15)).isoformat()
    '2037-03-15'
    """
    return retention_rule(jurisdiction, document_kind, day, rules).end(day)


@attrs.frozen(slots=True)
class RetentionPolicy:
    """The retention of a tenant's journal entries in one jurisdiction.

    Attributes:
        jurisdiction: ``"FR"``, ``"PT"``, ``"BR"``...
        kinds: the document kind of each journal entry kind (``"invoice.issued"`` to
            ``"accounting"``...); entries of other kinds are of ``default_kind``.
        default_kind: the document kind of the entries not in ``kinds``.
        rules: the rules to choose from.
    """

    jurisdiction: str
    kinds: Mapping[str, str] = attrs.field(factory=dict)
    default_kind: str = "accounting"
    rules: tuple[RetentionRule, ...] = RETENTION_RULES

    def rule_of(self, entry: JournalEntry) -> RetentionRule:
        """The rule ``entry`` is kept under."""
        kind = self.kinds.get(entry.kind, self.default_kind)
        day = entry.occurred_at.astimezone(UTC).date()
        return retention_rule(self.jurisdiction, kind, day, self.rules)

    def kept_until(self, entry: JournalEntry) -> date:
        """The last day ``entry`` must be kept."""
        return self.rule_of(entry).end(entry.occurred_at.astimezone(UTC).date())

    def purge(
        self,
        store: Store,
        series: str,
        *,
        through: int,
        today: date | None = None,
        clock: Clock | None = None,
    ) -> Checkpoint:
        """The guard of a purge of ``series`` up to entry ``through``: deletes nothing.

        Returns:
            The checkpoint of entry ``through``, to archive with an export of the entries
            when the retention of every one of them is over (see the module).

        Raises:
            RetentionNotOver: the retention of an entry runs on ``today`` or after (the
                first such entry is named).
            InvalidValue: no rule covers an entry (so it is kept), or ``through`` is not
                an entry of the series.
        """
        moment = (clock or SystemClock()).now()
        day = moment.astimezone(UTC).date() if today is None else today

        def work(uow: UnitOfWork) -> Checkpoint:
            entries = uow.journal.entries(series, limit=through)
            if through < 1 or len(entries) < through or entries[-1].sequence != through:
                raise InvalidValue(
                    field="through",
                    reason=f"{series!r} has no entry {through} to purge through",
                )
            for entry in entries:
                rule = self.rule_of(entry)
                until = rule.end(entry.occurred_at.astimezone(UTC).date())
                if until >= day:
                    raise RetentionNotOver(
                        series=series,
                        sequence=entry.sequence,
                        until=until.isoformat(),
                        source=rule.period.source,
                    )
            last = entries[-1]
            return Checkpoint(uow.tenant, series, last.sequence, last.hash, moment)

        return store.run(work)
