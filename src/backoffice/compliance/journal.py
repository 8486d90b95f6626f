"""A tamper-evident audit journal: hash-chained entries per tenant and series.

Every entry names the hash of the entry before it in its series, and its own hash is
the SHA-256 of a canonical serialization of its fields, so that changing, removing,
inserting or reordering an entry breaks the chain where it happened. :func:`verify_chain`
walks a chain and reports the first broken link; checkpoints (a chain's head, kept
outside the database, optionally signed with HMAC) catch a chain cut short at its end.

**The canonical serialization** (format ``backoffice.journal.v1``). An entry's ``hash``
is the lowercase hexadecimal SHA-256 of the UTF-8 bytes of this JSON array, in this
order::

    ["backoffice.journal.v1", tenant, series, sequence, kind, subject,
     occurred_at, previous_hash, payload]

* ``tenant``, ``series``, ``kind``, ``subject``: JSON strings;
* ``sequence``: a JSON integer, 1 for the first entry of a series;
* ``occurred_at``: a string ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` in UTC, always with six
  digits of microseconds;
* ``previous_hash``: the previous entry's ``hash``, or 64 zeros (:data:`GENESIS`) for the
  first entry;
* ``payload``: a JSON object whose values are strings, integers, booleans, null, arrays
  and objects only (decimals are written as strings, ``format(value, "f")``; dates and
  datetimes as ISO 8601 strings, datetimes in UTC; floats are refused).

The array is written with object keys sorted by code point, no whitespace
(separators ``,`` and ``:``), non-ASCII characters as themselves (not ``\\u`` escapes),
as Python's ``json.dumps(value, sort_keys=True, separators=(",", ":"),
ensure_ascii=False)`` writes it. A third party re-verifies an entry with any JSON
library that writes the same bytes, and SHA-256.

A :class:`Checkpoint`'s signature is the hexadecimal HMAC-SHA-256, under the user's
key, of the UTF-8 bytes of ``["backoffice.checkpoint.v1", tenant, series, sequence,
hash, at]`` serialized the same way (``at`` written as ``occurred_at`` is).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final

import attrs

from backoffice.core.time import Clock, SystemClock, ensure_aware
from backoffice.errors import FloatNotAllowed, InvalidType, InvalidValue

if TYPE_CHECKING:
    from backoffice.storage.ports import JournalHead, Store, UnitOfWork

__all__ = [
    "CHECKPOINT_FORMAT",
    "FORMAT",
    "GENESIS",
    "AuditJournal",
    "Break",
    "BreakKind",
    "ChainReport",
    "Checkpoint",
    "JournalEntry",
    "VerificationReport",
    "canonical_bytes",
    "canonical_payload",
    "chain",
    "entry_hash",
    "record",
    "record_many",
    "verify_chain",
]

#: The first field of the canonical serialization of an entry.
FORMAT: Final = "backoffice.journal.v1"
#: The first field of the canonical serialization of a checkpoint.
CHECKPOINT_FORMAT: Final = "backoffice.checkpoint.v1"
#: The ``previous_hash`` of the first entry of a series.
GENESIS: Final = "0" * 64

_ENCODER: Final = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)
_HEX: Final = frozenset("0123456789abcdef")
_LONGEST: Final = 2000  # characters of a series, kind or subject


def _instant(value: datetime) -> str:
    """An aware datetime as ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` in UTC."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _plain(value: Any, path: str) -> Any:
    """``value`` as JSON-native data: decimals, dates and datetimes as text."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        raise FloatNotAllowed(field=path, value=value, example=f'"{value}" or Decimal("{value}")')
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InvalidValue(field=path, reason=f"must be a finite decimal, got {value}")
        return format(value, "f")
    if isinstance(value, datetime):
        return _instant(ensure_aware(value, path))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        plain: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise InvalidValue(field=path, reason=f"keys must be text, got {key!r}")
            plain[key] = _plain(item, f"{path}.{key}")
        return plain
    if isinstance(value, list | tuple):
        return [_plain(item, f"{path}.{index}") for index, item in enumerate(value)]
    raise InvalidType(
        field=path, expected="text, int, bool, None, Decimal, date, list or dict", got=repr(value)
    )


def canonical_payload(payload: Mapping[str, Any]) -> dict[str, Any]:
    """``payload`` as the journal keeps it: JSON-native values only (decimals as text).

    Raises:
        FloatNotAllowed: a float anywhere in it.
        InvalidType: a value that has no JSON form.
    """
    if not isinstance(payload, Mapping):
        raise InvalidType(field="payload", expected="a dict", got=type(payload).__name__)
    plain = _plain(payload, "payload")
    assert isinstance(plain, dict)
    return plain


def _canonical(
    tenant: str,
    series: str,
    sequence: int,
    kind: str,
    subject: str,
    occurred_at: str,
    previous_hash: str,
    payload_text: str,
) -> bytes:
    # The array up to the payload, then the payload's own canonical text: the same
    # bytes as encoding the whole array at once (no whitespace anywhere).
    fields = (FORMAT, tenant, series, sequence, kind, subject, occurred_at, previous_hash)
    return (_ENCODER.encode(fields)[:-1] + "," + payload_text + "]").encode("utf-8")


def canonical_bytes(
    tenant: str,
    series: str,
    sequence: int,
    kind: str,
    subject: str,
    occurred_at: datetime,
    previous_hash: str,
    payload: Mapping[str, Any],
) -> bytes:
    """The bytes an entry's hash is taken over (see the module's documentation)."""
    return _canonical(
        tenant,
        series,
        sequence,
        kind,
        subject,
        _instant(occurred_at),
        previous_hash,
        _ENCODER.encode(payload),
    )


def entry_hash(
    tenant: str,
    series: str,
    sequence: int,
    kind: str,
    subject: str,
    occurred_at: datetime,
    previous_hash: str,
    payload: Mapping[str, Any],
) -> str:
    """The SHA-256, in lowercase hexadecimal, of :func:`canonical_bytes`."""
    data = canonical_bytes(
        tenant, series, sequence, kind, subject, occurred_at, previous_hash, payload
    )
    return hashlib.sha256(data).hexdigest()


@attrs.frozen(slots=True)
class JournalEntry:
    """One entry of a series' chain, as stored.

    Attributes:
        tenant: whose journal it is in.
        series: the chain it belongs to (``"invoicing/F"``, ``"stock/SKU-1"``...).
        sequence: its number in the series, from 1, without gaps.
        kind: what happened (``"invoice.issued"``, ``"stock.movement"``...).
        subject: the id of what it happened to (an invoice id, a movement id...).
        payload: the facts recorded, JSON-native (see :func:`canonical_payload`).
        occurred_at: when, aware (kept to the microsecond, in UTC).
        previous_hash: the hash of entry ``sequence - 1``, or :data:`GENESIS`.
        hash: SHA-256 of its canonical serialization.
    """

    tenant: str
    series: str
    sequence: int
    kind: str
    subject: str
    payload: dict[str, Any]
    occurred_at: datetime
    previous_hash: str
    hash: str
    payload_text: str | None = attrs.field(default=None, eq=False, repr=False)
    """The payload's canonical JSON text, when known (what stores keep)."""

    def expected_hash(self) -> str:
        """The hash its fields give (equal to :attr:`hash` unless it was tampered with)."""
        return entry_hash(
            self.tenant,
            self.series,
            self.sequence,
            self.kind,
            self.subject,
            self.occurred_at,
            self.previous_hash,
            self.payload,
        )

    def to_dict(self) -> dict[str, Any]:
        """The entry as JSON-friendly data (``occurred_at`` as in the hash)."""
        return {
            "tenant": self.tenant,
            "series": self.series,
            "sequence": self.sequence,
            "kind": self.kind,
            "subject": self.subject,
            "payload": self.payload,
            "occurred_at": _instant(self.occurred_at),
            "previous_hash": self.previous_hash,
            "hash": self.hash,
        }


def _text(value: object, field: str, *, empty: bool = False) -> str:
    if not isinstance(value, str) or (not value and not empty) or len(value) > _LONGEST:
        raise InvalidValue(
            field=field,
            reason=f"must be a non-empty text of at most {_LONGEST} characters, got {value!r}",
        )
    return value


def _checked(series: str, events: Sequence[tuple[str, str, Mapping[str, Any], datetime]]) -> str:
    name = _text(series, "series")
    for index, (kind, subject, _, _) in enumerate(events):
        _text(kind, f"events.{index}.kind")
        _text(subject, f"events.{index}.subject", empty=True)
    return name


def chain(
    tenant: str,
    series: str,
    head: tuple[int, str],
    events: Iterable[tuple[str, str, Mapping[str, Any], datetime]],
    *,
    plain: bool = False,
) -> list[JournalEntry]:
    """Entries for ``events`` ``(kind, subject, payload, occurred_at)``, chained after
    ``head`` ``(sequence, hash)`` of ``series`` (``(0, GENESIS)`` for a new series).

    ``plain``: the payloads hold JSON-native values only already (the library's own
    events), so they are not copied through :func:`canonical_payload`.
    """
    sequence, previous = head
    entries: list[JournalEntry] = []
    instants: dict[datetime, tuple[datetime, str]] = {}
    for kind, subject, payload, occurred_at in events:
        sequence += 1
        moment = instants.get(occurred_at)
        if moment is None:
            at = ensure_aware(occurred_at, "occurred_at").astimezone(UTC)
            moment = instants[occurred_at] = (at, _instant(at))
        data = dict(payload) if plain else canonical_payload(payload)
        try:
            text = _ENCODER.encode(data)
        except (ValueError, TypeError) as error:  # a NaN, an infinity, a non-JSON value
            raise InvalidValue(field="payload", reason=str(error)) from error
        canonical = _canonical(tenant, series, sequence, kind, subject, moment[1], previous, text)
        digest = hashlib.sha256(canonical).hexdigest()
        entries.append(
            JournalEntry(
                tenant, series, sequence, kind, subject, data, moment[0], previous, digest, text
            )
        )
        previous = digest
    return entries


def record(
    uow: UnitOfWork,
    series: str,
    events: Sequence[tuple[str, str, Mapping[str, Any], datetime]],
    *,
    plain: bool = False,
) -> list[JournalEntry]:
    """Append ``events`` ``(kind, subject, payload, occurred_at)`` to ``series`` in the
    unit of work ``uow``, so that they commit (or roll back) with the effect they record.

    The series' head stays locked until the unit of work ends: two writers never chain on
    the same head.
    """
    if not events:
        return []
    name = _checked(series, events)
    head = uow.journal.lock_heads([name])[name]
    entries = chain(uow.tenant, name, (head.sequence, head.hash), events, plain=plain)
    uow.journal.append(entries)
    return entries


def record_many(
    uow: UnitOfWork,
    events: Mapping[str, Sequence[tuple[str, str, Mapping[str, Any], datetime]]],
    *,
    plain: bool = False,
) -> list[JournalEntry]:
    """:func:`record` for several series at once: their heads are locked together, in
    the order of their names (so that concurrent writers never wait on each other in a
    cycle)."""
    names = sorted(_checked(name, found) for name, found in events.items() if found)
    if not names:
        return []
    heads = uow.journal.lock_heads(names)
    entries: list[JournalEntry] = []
    for name in names:
        head = heads[name]
        entries += chain(uow.tenant, name, (head.sequence, head.hash), events[name], plain=plain)
    uow.journal.append(entries)
    return entries


# ---------------------------------------------------------------------------------------
# Verification
# ---------------------------------------------------------------------------------------


class BreakKind(StrEnum):
    """What is wrong at a broken link."""

    HASH_MISMATCH = "hash_mismatch"
    """The entry's fields do not give its hash: a field was changed."""
    SEQUENCE_GAP = "sequence_gap"
    """Entries are missing before this one (deleted)."""
    PREVIOUS_HASH_MISMATCH = "previous_hash_mismatch"
    """The entry does not name the hash of the entry before it."""
    INSERTION = "insertion"
    """An entry was inserted here: the next one names the entry before it."""
    SWAP = "swap"
    """The entry names the hash of an entry found later: entries were reordered."""
    TRUNCATED = "truncated"
    """The chain ends before its recorded head or a checkpoint."""
    DIVERGED = "diverged"
    """The chain's entry at a head's or checkpoint's sequence has another hash, or the
    chain runs past its recorded head."""
    BAD_SIGNATURE = "bad_signature"
    """A checkpoint whose HMAC signature does not match (or that cannot be checked)."""


@attrs.frozen(slots=True)
class Break:
    """The first broken link of a chain.

    Attributes:
        series: the chain.
        sequence: where it breaks (the position, counted from 1, where the stored
            sequence is not trusted).
        kind: what is wrong.
        detail: an English sentence for people.
        expected: what the link should hold (a hash, a sequence), when known.
        found: what it holds.
    """

    series: str
    sequence: int
    kind: BreakKind
    detail: str
    expected: str | None = None
    found: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "series": self.series,
            "sequence": self.sequence,
            "kind": self.kind.value,
            "detail": self.detail,
            "expected": self.expected,
            "found": self.found,
        }


@attrs.frozen(slots=True)
class ChainReport:
    """What verifying one series found.

    Attributes:
        series: the chain.
        entries: how many entries were read.
        last_sequence: the sequence of the last entry read (0 when empty).
        last_hash: its hash (:data:`GENESIS` when empty).
        first_break: the first broken link, ``None`` when the chain is intact.
    """

    series: str
    entries: int
    last_sequence: int
    last_hash: str
    first_break: Break | None = None

    @property
    def intact(self) -> bool:
        return self.first_break is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "series": self.series,
            "intact": self.intact,
            "entries": self.entries,
            "last_sequence": self.last_sequence,
            "last_hash": self.last_hash,
            "first_break": None if self.first_break is None else self.first_break.to_dict(),
        }


@attrs.frozen(slots=True)
class VerificationReport:
    """What verifying a tenant's journal found, chain by chain (by series name)."""

    tenant: str
    chains: tuple[ChainReport, ...]

    @property
    def intact(self) -> bool:
        """Whether every chain is intact."""
        return all(report.intact for report in self.chains)

    @property
    def breaks(self) -> tuple[Break, ...]:
        """The first broken link of each broken chain."""
        return tuple(r.first_break for r in self.chains if r.first_break is not None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "tenant": self.tenant,
            "intact": self.intact,
            "chains": [report.to_dict() for report in self.chains],
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)


def _link_break(
    series: str, entries: Sequence[JournalEntry], index: int, positions: Mapping[str, int]
) -> Break | None:
    entry = entries[index]
    expected_sequence = index + 1
    previous = entries[index - 1].hash if index else GENESIS
    if entry.previous_hash != previous:
        before = entries[index - 2].hash if index >= 2 else GENESIS
        if index >= 1 and entry.previous_hash == before:
            return Break(
                series,
                index,
                BreakKind.INSERTION,
                f"entry {index} was inserted: entry {index + 1} follows entry {index - 1}",
                before,
                entries[index - 1].hash,
            )
        if positions.get(entry.previous_hash, -1) > index:
            return Break(
                series,
                expected_sequence,
                BreakKind.SWAP,
                f"entry {expected_sequence} names the hash of an entry found after it: "
                "entries were reordered",
                previous,
                entry.previous_hash,
            )
        if entry.sequence > expected_sequence:
            return Break(
                series,
                expected_sequence,
                BreakKind.SEQUENCE_GAP,
                f"entries {expected_sequence} to {entry.sequence - 1} are missing",
                str(expected_sequence),
                str(entry.sequence),
            )
        return Break(
            series,
            expected_sequence,
            BreakKind.PREVIOUS_HASH_MISMATCH,
            f"entry {expected_sequence} does not name the hash of entry {expected_sequence - 1}",
            previous,
            entry.previous_hash,
        )
    actual = entry.expected_hash()
    if actual != entry.hash:
        return Break(
            series,
            expected_sequence,
            BreakKind.HASH_MISMATCH,
            f"entry {expected_sequence}'s fields do not give its hash: it was changed",
            actual,
            entry.hash,
        )
    if entry.sequence != expected_sequence:
        kind = BreakKind.SEQUENCE_GAP if entry.sequence > expected_sequence else BreakKind.INSERTION
        return Break(
            series,
            expected_sequence,
            kind,
            f"entry {expected_sequence} is numbered {entry.sequence}",
            str(expected_sequence),
            str(entry.sequence),
        )
    return None


def verify_chain(
    series: str,
    entries: Sequence[JournalEntry],
    *,
    head: JournalHead | None = None,
    checkpoints: Iterable[Checkpoint] = (),
    key: bytes | None = None,
) -> ChainReport:
    """Walk ``entries`` (one series, in stored order) and report the first broken link.

    Then compare the end of the chain with ``head`` (the store's record of the series'
    last entry) and with each checkpoint of this series: a chain that ends before one of
    them was truncated, one whose entry at their sequence has another hash diverged.
    Checkpoints are checked with ``key`` when given (and must then be signed).
    """
    positions = {entry.hash: index for index, entry in enumerate(entries)}
    last_sequence = entries[-1].sequence if entries else 0
    last_hash = entries[-1].hash if entries else GENESIS

    def report(found: Break | None) -> ChainReport:
        return ChainReport(series, len(entries), last_sequence, last_hash, found)

    for index in range(len(entries)):
        found = _link_break(series, entries, index, positions)
        if found is not None:
            return report(found)
    if head is not None:
        found = _ends_at(series, entries, head.sequence, head.hash, "its recorded head")
        if found is not None:
            return report(found)
        if head.sequence < len(entries):
            return report(
                Break(
                    series,
                    head.sequence + 1,
                    BreakKind.DIVERGED,
                    f"entries after {head.sequence}, the series' recorded head, were added "
                    "without moving it",
                    str(head.sequence),
                    str(len(entries)),
                )
            )
    for checkpoint in checkpoints:
        if checkpoint.series != series:
            continue
        if key is not None and not checkpoint.signature_matches(key):
            return report(
                Break(
                    series,
                    checkpoint.sequence,
                    BreakKind.BAD_SIGNATURE,
                    "the checkpoint's signature does not match its fields under this key",
                    None,
                    checkpoint.signature,
                )
            )
        found = _ends_at(series, entries, checkpoint.sequence, checkpoint.hash, "the checkpoint")
        if found is not None:
            return report(found)
    return report(None)


def _ends_at(
    series: str, entries: Sequence[JournalEntry], sequence: int, digest: str, what: str
) -> Break | None:
    if sequence > len(entries):
        return Break(
            series,
            len(entries) + 1,
            BreakKind.TRUNCATED,
            f"the chain ends at entry {len(entries)}, before entry {sequence} of {what}",
            str(sequence),
            str(len(entries)),
        )
    stored = entries[sequence - 1].hash if sequence else GENESIS
    if stored != digest:
        return Break(
            series,
            sequence,
            BreakKind.DIVERGED,
            f"entry {sequence} has another hash than {what}",
            digest,
            stored,
        )
    return None


# ---------------------------------------------------------------------------------------
# Checkpoints
# ---------------------------------------------------------------------------------------


def _key(key: object) -> bytes:
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not isinstance(key, bytes) or not key:
        raise InvalidValue(field="key", reason="a checkpoint key is non-empty bytes or text")
    return key


def _aware_at(value: datetime) -> datetime:
    return ensure_aware(value, "at")


@attrs.frozen(slots=True)
class Checkpoint:
    """A chain's head exported at a moment: keep it outside the database (a signed
    e-mail, a write-once bucket), and verifying against it detects a chain cut short or
    rewritten since.

    Attributes:
        tenant: whose journal.
        series: the chain.
        sequence: the sequence of its last entry then (0 for an empty chain).
        hash: that entry's hash (:data:`GENESIS` for an empty chain).
        at: when it was exported, aware.
        signature: the HMAC-SHA-256 of :meth:`canonical_bytes` under the user's key, in
            hexadecimal; ``None`` when unsigned.
    """

    tenant: str
    series: str
    sequence: int
    hash: str
    at: datetime = attrs.field(converter=_aware_at)
    signature: str | None = None

    def canonical_bytes(self) -> bytes:
        """The bytes the signature is taken over (see the module's documentation)."""
        fields = (CHECKPOINT_FORMAT, self.tenant, self.series, self.sequence, self.hash)
        return _ENCODER.encode([*fields, _instant(self.at)]).encode("utf-8")

    def signed(self, key: bytes | str) -> Checkpoint:
        """This checkpoint signed with ``key`` (HMAC-SHA-256)."""
        digest = hmac.new(_key(key), self.canonical_bytes(), hashlib.sha256).hexdigest()
        return attrs.evolve(self, signature=digest)

    def signature_matches(self, key: bytes | str) -> bool:
        """Whether it is signed, and its signature matches its fields under ``key``."""
        if self.signature is None:
            return False
        digest = hmac.new(_key(key), self.canonical_bytes(), hashlib.sha256).hexdigest()
        return hmac.compare_digest(digest, self.signature)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": CHECKPOINT_FORMAT,
            "tenant": self.tenant,
            "series": self.series,
            "sequence": self.sequence,
            "hash": self.hash,
            "at": _instant(self.at),
            "signature": self.signature,
        }

    def to_json(self) -> str:
        """The checkpoint as JSON text (read it back with :meth:`from_json`)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Checkpoint:
        """Read a checkpoint written by :meth:`to_json`.

        Raises:
            InvalidValue: not a checkpoint of this format.
        """
        try:
            data = json.loads(text)
            if data.get("format") != CHECKPOINT_FORMAT:
                raise ValueError(f"format is not {CHECKPOINT_FORMAT}")
            digest = str(data["hash"])
            if len(digest) != 64 or not set(digest) <= _HEX:
                raise ValueError("hash is not 64 hexadecimal digits")
            at = datetime.fromisoformat(str(data["at"]).replace("Z", "+00:00"))
            sequence = data["sequence"]
            if not isinstance(sequence, int) or isinstance(sequence, bool) or sequence < 0:
                raise ValueError("sequence is not a whole number")
            signature = data.get("signature")
            return cls(
                tenant=str(data["tenant"]),
                series=str(data["series"]),
                sequence=sequence,
                hash=digest,
                at=ensure_aware(at, "at"),
                signature=None if signature is None else str(signature),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise InvalidValue(
                field="checkpoint", reason=f"not a journal checkpoint: {error}"
            ) from error


# ---------------------------------------------------------------------------------------
# The service
# ---------------------------------------------------------------------------------------


class AuditJournal:
    """A tenant's audit journal in a store: append, read, verify, checkpoint.

    The library's own services (invoicing, stock) write to it in the transactions of
    their effects; :meth:`append` is for the application's own events.
    """

    def __init__(self, store: Store, *, clock: Clock | None = None) -> None:
        self.store = store
        self.clock: Clock = clock or SystemClock()

    def append(
        self,
        series: str,
        kind: str,
        subject: str,
        payload: Mapping[str, Any],
        *,
        occurred_at: datetime | None = None,
    ) -> JournalEntry:
        """Append one entry to ``series`` (in a unit of work of its own) and return it."""
        at = self.clock.now() if occurred_at is None else occurred_at

        def work(uow: UnitOfWork) -> JournalEntry:
            (entry,) = record(uow, series, [(kind, subject, payload, at)])
            uow.commit()
            return entry

        return self.store.run(work)

    def series(self) -> list[str]:
        """The names of the tenant's series, sorted."""
        return [head.series for head in self.store.run(lambda uow: uow.journal.heads())]

    def entries(self, series: str, *, subject: str | None = None) -> list[JournalEntry]:
        """The entries of ``series`` (of ``subject`` only, when given), by sequence."""
        return self.store.run(lambda uow: uow.journal.entries(series, subject=subject))

    def verify(
        self, *, checkpoints: Iterable[Checkpoint] = (), key: bytes | str | None = None
    ) -> VerificationReport:
        """Verify every series of the tenant (see :func:`verify_chain`); a checkpoint of
        a series the store does not have reports it truncated."""
        secret = None if key is None else _key(key)
        kept = list(checkpoints)

        def work(uow: UnitOfWork) -> VerificationReport:
            heads = {head.series: head for head in uow.journal.heads()}
            names = sorted(set(heads) | {c.series for c in kept if c.tenant == uow.tenant})
            reports = [
                verify_chain(
                    name,
                    uow.journal.entries(name),
                    head=heads.get(name),
                    checkpoints=[c for c in kept if c.tenant == uow.tenant],
                    key=secret,
                )
                for name in names
            ]
            return VerificationReport(uow.tenant, tuple(reports))

        return self.store.run(work)

    def checkpoint(self, series: str, *, key: bytes | str | None = None) -> Checkpoint:
        """The head of ``series`` now, signed with ``key`` when given."""
        heads = {head.series: head for head in self.store.run(lambda uow: uow.journal.heads())}
        head = heads.get(series)
        found = Checkpoint(
            tenant=self.store.tenant,
            series=series,
            sequence=0 if head is None else head.sequence,
            hash=GENESIS if head is None else head.hash,
            at=self.clock.now(),
        )
        return found if key is None else found.signed(key)
