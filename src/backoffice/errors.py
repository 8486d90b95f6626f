"""The exception tree of ``backoffice``.

Every error the library raises on purpose derives from :class:`BackofficeError`.
Each error carries:

* ``code`` -- a stable, dotted machine code (``"money.currency_mismatch"``) that never
  changes between releases and is safe to switch on or to store;
* ``message`` -- a human sentence in English, which says what went wrong and, where
  there is one, how to fix it;
* ``details`` -- structured data (field path, expected, got, ...), JSON-friendly.

``err.localized("fr_FR")`` renders the same message in French, ``"pt_BR"`` in
Brazilian Portuguese; see :mod:`backoffice.core.l10n`.

Errors that stand for a misuse of a Python type also derive from the matching
built-in exception, so generic code keeps working: a float passed as money raises
:class:`FloatNotAllowed`, which is a :class:`TypeError`; bad values raise subclasses of
:class:`ValueError`.

The tree::

    BackofficeError
    ├── ValidationError (ValueError)        every problem found, not only the first
    ├── InvalidType (TypeError)             a value of the wrong type
    │   └── FloatNotAllowed                     a float where money, quantity or rate is due
    ├── InvalidValue (ValueError)           a value outside what the argument allows
    │   ├── SelfApproval                        the creator of a document approving it
    │   └── DuplicateDecision                   the same person deciding twice
    ├── DivisionByZero (ZeroDivisionError)
    ├── InvalidAmount (ValueError)          not a finite decimal number
    │   └── PrecisionError                  more decimals than the value allows
    ├── UnknownCurrency (ValueError)
    ├── CurrencyMismatch (ValueError)       arithmetic or comparison across currencies
    ├── RoundingError (ValueError)          a rounding that cannot be applied as asked
    ├── RoundingRequired (TypeError)        an operator whose result may need rounding
    ├── InvalidRate (ValueError)            rate out of its allowed range
    ├── AllocationError (ValueError)        ratios that cannot share an amount
    ├── MoneyParseError (ValueError)        text that is not an amount in that locale
    ├── UnknownUnit (ValueError)
    ├── IncompatibleUnits (ValueError)      units of different dimensions
    ├── InexactConversion (ValueError)      a conversion that would need rounding
    ├── NaiveDatetime (ValueError)          a datetime without a time zone
    ├── InvalidPeriod (ValueError)
    ├── UnknownLocale (ValueError)          a locale babel does not know
    ├── InvalidTaxId (ValueError)           an identifier that fails a check
    │   ├── TaxIdFormatError                    characters or shape
    │   ├── TaxIdLengthError                    number of characters
    │   ├── TaxIdChecksumError                  check digits
    │   ├── TaxIdComponentError                 a part with an impossible value
    │   ├── TaxIdMismatch                       two identifiers that do not agree
    │   └── TaxIdNotRecognised                  no kind tried accepts it
    ├── UnknownTaxIdKind (ValueError)       no such (country, kind) in the registry
    │   └── UnknownTaxIdCountry                 no identifier known for that country
    ├── VatVerificationError                the VAT verification service failed
    │   ├── VatServiceUnavailable               down, busy, or timed out: retry later
    │   └── VatRequestRejected                  the service refused the request
    ├── StorageError                        the store failed (driver errors, translated)
    │   ├── UnsupportedStore                    a URL no adapter opens
    │   ├── SchemaMismatch                      the database schema is not the one expected
    │   ├── ConcurrencyConflict                 still conflicting after the retries
    │   └── DuplicateRecord                     a record that exists already
    ├── IdempotencyConflict (ValueError)    the same key replayed with another request
    ├── NotFound (LookupError)              an item, location or record that does not exist
    ├── InsufficientStock (ValueError)      not enough available stock; details say how short
    ├── PayRunClosed (ValueError)           a pay run closed already: no more payslips
    ├── ApprovalNotPending (ValueError)     an approval request decided already
    ├── RetentionNotOver (ValueError)       a purge of records still under legal retention
    └── ReservationNotActive (ValueError)   a reservation released, committed or expired
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import attrs

__all__ = [
    "AllocationError",
    "AllocationExceeded",
    "ApprovalNotPending",
    "BackofficeError",
    "ConcurrencyConflict",
    "CurrencyMismatch",
    "DivisionByZero",
    "DuplicateDecision",
    "DuplicateRecord",
    "DuplicateRule",
    "EInvoiceUnreadable",
    "FloatNotAllowed",
    "IdempotencyConflict",
    "IncompatibleUnits",
    "InexactConversion",
    "InsufficientStock",
    "InvalidAmount",
    "InvalidPeriod",
    "InvalidRate",
    "InvalidTaxId",
    "InvalidType",
    "InvalidValue",
    "InvoiceIssued",
    "MoneyParseError",
    "NaiveDatetime",
    "NotFound",
    "PayRunClosed",
    "PeriodLocked",
    "PrecisionError",
    "Problem",
    "ReservationNotActive",
    "RetentionNotOver",
    "RoundingError",
    "RoundingRequired",
    "SchemaMismatch",
    "SelfApproval",
    "StorageError",
    "TaxIdChecksumError",
    "TaxIdComponentError",
    "TaxIdFormatError",
    "TaxIdLengthError",
    "TaxIdMismatch",
    "TaxIdNotRecognised",
    "UnknownCurrency",
    "UnknownLocale",
    "UnknownTaxIdCountry",
    "UnknownTaxIdKind",
    "UnknownUnit",
    "UnsupportedStore",
    "ValidationError",
    "VatRequestRejected",
    "VatServiceUnavailable",
    "VatVerificationError",
    "error_classes",
]


class _SafeDict(dict[str, Any]):
    """Leaves unknown placeholders visible instead of failing to format."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(template: str, details: Mapping[str, Any]) -> str:
    """Fill ``template``'s ``{placeholders}`` from ``details``; unknown ones stay as is."""
    return template.format_map(_SafeDict(details))


class BackofficeError(Exception):
    """Base class of every error raised by ``backoffice``.

    Args:
        message: overrides the English message built from the class template.
        **details: structured facts about the error; they fill the message template and
            are kept in :attr:`details`.
    """

    code: ClassVar[str] = "backoffice.error"
    template: ClassVar[str] = "back-office error"

    def __init__(self, message: str | None = None, /, **details: Any) -> None:
        self.details: dict[str, Any] = dict(details)
        self._custom_message = message
        self.message: str = message if message is not None else render(self.template, details)
        super().__init__(self.message)

    def localized(self, locale: str) -> str:
        """Return the message in ``locale`` (``"en"``, ``"fr_FR"``, ``"pt_BR"``...).

        Falls back to the language (``pt``), then to English.
        """
        if self._custom_message is not None:
            return self._custom_message
        from backoffice.core.l10n import translate

        translated = translate(self.code, locale, self.details)
        return translated if translated is not None else self.message

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly description: ``code``, ``message`` and ``details``."""
        return {
            "code": self.code,
            "message": self.message,
            "details": {key: _jsonable(value) for key, value in self.details.items()},
        }

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self._custom_message, self.details))


def _rebuild(
    cls: type[BackofficeError], message: str | None, details: dict[str, Any]
) -> BackofficeError:
    error = cls.__new__(cls)
    BackofficeError.__init__(error, message, **details)
    return error


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): _jsonable(item) for key, item in value.items()}
    return str(value)


@attrs.frozen(slots=True)
class Problem:
    """One problem found while validating input.

    Attributes:
        path: where the problem is, as a dotted path (``"lines.2.quantity"``);
            empty for the whole input.
        code: the stable code of the problem (the code of the matching error class).
        message: a human sentence in English.
        details: structured facts.
    """

    path: str
    code: str
    message: str
    details: Mapping[str, Any] = attrs.field(factory=dict)

    @classmethod
    def from_error(cls, path: str, error: BackofficeError) -> Problem:
        """Turn an error raised while checking the value at ``path`` into a problem."""
        return cls(path=path, code=error.code, message=error.message, details=error.details)

    def localized(self, locale: str) -> str:
        """The problem's message in ``locale`` (falls back to English)."""
        from backoffice.core.l10n import translate

        translated = translate(self.code, locale, self.details)
        return translated if translated is not None else self.message

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "code": self.code,
            "message": self.message,
            "details": {key: _jsonable(value) for key, value in self.details.items()},
        }


def _located(path: str, message: str) -> str:
    """``path: message``, unless the message already starts with the path."""
    if not path or message.startswith(path):
        return message
    return f"{path}: {message}"


class ValidationError(BackofficeError, ValueError):
    """Input rejected, with *every* problem found in :attr:`problems`."""

    code = "validation.failed"
    template = "{count} problem(s) in the input: {summary}"

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("ValidationError needs at least one problem")
        summary = "; ".join(_located(p.path, p.message) for p in self.problems)
        super().__init__(count=len(self.problems), summary=summary)

    def localized(self, locale: str) -> str:
        from backoffice.core.l10n import translate

        summary = "; ".join(_located(p.path, p.localized(locale)) for p in self.problems)
        details = {"count": len(self.problems), "summary": summary}
        translated = translate(self.code, locale, details)
        return translated if translated is not None else render(self.template, details)

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["problems"] = [problem.to_dict() for problem in self.problems]
        return data

    def __reduce__(self) -> tuple[Any, ...]:
        return (ValidationError, (self.problems,))


class InvalidType(BackofficeError, TypeError):
    """A value of the wrong type (a datetime where a date is due, a bool for a count...)."""

    code = "value.invalid_type"
    template = "{field} must be {expected}, got {got}"


class InvalidValue(BackofficeError, ValueError):
    """A value of the right type outside what the argument allows."""

    code = "value.invalid"
    template = "{field}: {reason}"


class DivisionByZero(BackofficeError, ZeroDivisionError):
    """A division by zero."""

    code = "value.division_by_zero"
    template = "{field} is zero: cannot divide by zero"


class FloatNotAllowed(InvalidType):
    """A ``float`` was given where an exact number is required."""

    code = "value.float_not_allowed"
    template = (
        "{field} does not accept a float ({value!r}): floats cannot hold decimal amounts "
        "exactly; pass a string or a Decimal instead, e.g. {example}"
    )


class InvalidAmount(BackofficeError, ValueError):
    """The value is not a finite decimal number of the expected kind."""

    code = "value.invalid_number"
    template = "{field} must be a finite decimal number, got {value!r}"


class PrecisionError(InvalidAmount):
    """The value has more decimals than allowed; round it explicitly."""

    code = "value.too_many_decimals"
    template = (
        "{field} {value} has more than {decimals} decimal(s); round it explicitly, e.g. {example}"
    )


class UnknownCurrency(BackofficeError, ValueError):
    """Not an ISO 4217 currency code this library knows."""

    code = "money.unknown_currency"
    template = "unknown currency {currency!r}: use an ISO 4217 code such as 'EUR', 'BRL' or 'USD'"


class CurrencyMismatch(BackofficeError, ValueError):
    """Two amounts in different currencies were combined or compared."""

    code = "money.currency_mismatch"
    template = (
        "cannot {operation} {left} and {right}: the currencies differ; convert one of "
        "them explicitly first"
    )


class RoundingError(BackofficeError, ValueError):
    """A rounding cannot be applied as asked (no quantum, invalid quantum...)."""

    code = "money.rounding"
    template = "cannot round: {reason}"


class RoundingRequired(BackofficeError, TypeError):
    """An operator was used where the result may need rounding; call the method that
    takes the rounding instead (``money.multiply(x, rounding=...)``)."""

    code = "money.rounding_required"
    template = "{operation} may need rounding: use {fix} and name the rounding"


class InvalidRate(BackofficeError, ValueError):
    """A rate or percentage outside its allowed range."""

    code = "money.invalid_rate"
    template = "{field} {value} is outside the allowed range [{minimum}, {maximum}]"


class AllocationError(BackofficeError, ValueError):
    """Ratios that cannot share an amount (empty, negative, all zero...)."""

    code = "money.allocation"
    template = "cannot allocate: {reason}"


class MoneyParseError(BackofficeError, ValueError):
    """Text that cannot be read as an amount in the given locale."""

    code = "money.parse"
    template = "cannot read {text!r} as an amount in locale {locale}: {reason}"


class UnknownUnit(BackofficeError, ValueError):
    """Not a UN/ECE Recommendation 20 unit code this library knows."""

    code = "quantity.unknown_unit"
    template = (
        "unknown unit {unit!r}: use a UN/ECE Recommendation 20 code such as 'C62', 'KGM' or 'LTR'"
    )


class IncompatibleUnits(BackofficeError, ValueError):
    """Units that do not measure the same thing (kilograms and litres)."""

    code = "quantity.incompatible_units"
    template = "cannot {operation} {left} and {right}: {reason}"


class InexactConversion(BackofficeError, ValueError):
    """A unit conversion whose result is not an exact decimal."""

    code = "quantity.inexact_conversion"
    template = (
        "{quantity} is not an exact decimal number of {unit}; pass a rounding policy to "
        "convert with rounding"
    )


class NaiveDatetime(BackofficeError, ValueError):
    """A datetime without time zone where an aware one is required."""

    code = "time.naive_datetime"
    template = (
        "{field} must be time-zone aware, got the naive datetime {value}; attach a zone, "
        "e.g. datetime(2026, 1, 31, 12, 0, tzinfo=timezone.utc)"
    )


class InvalidPeriod(BackofficeError, ValueError):
    """A period whose bounds are reversed or otherwise invalid."""

    code = "time.invalid_period"
    template = "invalid period: {reason}"


class UnknownLocale(BackofficeError, ValueError):
    """A locale identifier that babel does not know."""

    code = "l10n.unknown_locale"
    template = "unknown locale {locale!r}: use an identifier such as 'fr_FR', 'pt_BR' or 'en_US'"


class InvalidTaxId(BackofficeError, ValueError):
    """An identifier that fails a check. ``details["check"]`` says which one:
    ``format``, ``length``, ``checksum``, ``component`` or ``mismatch``.

    Personal identifiers appear masked in ``value`` (``***.***.***-05``).
    """

    code = "taxid.invalid"
    template = "{value} is not a valid {label}: {reason}"

    def localized(self, locale: str) -> str:
        """The message in ``locale``, with the kind's name in that language too."""
        country, kind = self.details.get("country"), self.details.get("kind")
        if isinstance(country, str) and isinstance(kind, str):
            from backoffice.taxid.registry import get_kind

            label = get_kind(country, kind).localized_label(locale)
            from backoffice.core.l10n import translate

            translated = translate(self.code, locale, {**self.details, "label": label})
            if translated is not None:
                return translated
        return super().localized(locale)


class TaxIdFormatError(InvalidTaxId):
    """Characters that an identifier of this kind cannot contain, or a wrong shape."""

    code = "taxid.invalid_format"
    template = "{value} is not a valid {label}: it has characters or a shape it cannot have"


class TaxIdLengthError(InvalidTaxId):
    """An identifier with the wrong number of characters."""

    code = "taxid.invalid_length"
    template = "{value} is not a valid {label}: it has the wrong number of characters"


class TaxIdChecksumError(InvalidTaxId):
    """Check digits that do not match: usually a typo."""

    code = "taxid.invalid_checksum"
    template = "{value} is not a valid {label}: its check digits do not match (a typing mistake?)"


class TaxIdComponentError(InvalidTaxId):
    """A part of the identifier with an impossible value (a date, a region...)."""

    code = "taxid.invalid_component"
    template = "{value} is not a valid {label}: one of its parts has an impossible value"


class TaxIdMismatch(InvalidTaxId):
    """Two identifiers that should agree do not (a SIRET and its SIREN...)."""

    code = "taxid.mismatch"
    template = "{value} does not match {other}"


class TaxIdNotRecognised(InvalidTaxId):
    """Text that is no identifier of any kind tried (with no kind given)."""

    code = "taxid.not_recognised"
    template = (
        "{value} is not a valid identifier of any kind tried ({tried}); pass country= and kind="
    )


class UnknownTaxIdKind(BackofficeError, ValueError):
    """No identifier of that kind for that country in the registry."""

    code = "taxid.unknown_kind"
    template = "no identifier kind {kind!r} for {country}; known kinds there: {known}"


class UnknownTaxIdCountry(UnknownTaxIdKind):
    """No identifier at all is known for that country code."""

    code = "taxid.unknown_country"
    template = "no identifiers are known for country {country!r}: use an ISO 3166 code such as 'FR'"


class VatVerificationError(BackofficeError):
    """The VAT verification service failed (not: the number is invalid)."""

    code = "taxid.verification_failed"
    template = "the VAT number could not be verified: {reason}"


class VatServiceUnavailable(VatVerificationError):
    """The service, or the member state's service, is down, busy or too slow: retry later."""

    code = "taxid.service_unavailable"
    template = "the VAT verification service is unavailable ({reason}); try again later"


class VatRequestRejected(VatVerificationError):
    """The service refused the request (malformed input, unknown member state...)."""

    code = "taxid.request_rejected"
    template = "the VAT verification service refused the request: {reason}"


class StorageError(BackofficeError):
    """The store failed; the driver's exception is translated into this tree (never
    leaked), its class name kept in ``details["driver_error"]``."""

    code = "storage.error"
    template = "the store failed: {reason}"


class UnsupportedStore(StorageError, ValueError):
    """A URL that no adapter opens."""

    code = "storage.unsupported_url"
    template = (
        "cannot open {url!r}: use memory://, sqlite:///path/to/file.db or "
        "postgresql://user@host/database"
    )


class SchemaMismatch(StorageError):
    """The database schema is older or newer than this version of the library."""

    code = "storage.schema_mismatch"
    template = (
        "the database schema is at version {found}, this library uses version {expected}: {fix}"
    )


class ConcurrencyConflict(StorageError):
    """Concurrent transactions kept conflicting after the automatic retries."""

    code = "storage.concurrency_conflict"
    template = "the transaction still conflicted after {attempts} attempts; try again"


class DuplicateRecord(StorageError, ValueError):
    """A record with that identity exists already."""

    code = "storage.duplicate"
    template = "{record} {key!r} exists already"


class IdempotencyConflict(BackofficeError, ValueError):
    """An idempotency key replayed with a different request."""

    code = "storage.idempotency_conflict"
    template = (
        "idempotency key {key!r} was used for a different request; use a new key for a new request"
    )


class NotFound(BackofficeError, LookupError):
    """An item, location or record that does not exist (in this tenant)."""

    code = "storage.not_found"
    template = "no {record} {key!r}"


class InsufficientStock(BackofficeError, ValueError):
    """Not enough available stock. ``details["shortfalls"]`` lists, per item and
    location, what was asked, what is available and how much is missing."""

    code = "inventory.insufficient_stock"
    template = "not enough stock: {summary}"


class ReservationNotActive(BackofficeError, ValueError):
    """A reservation that no longer holds stock (released, committed or expired)."""

    code = "inventory.reservation_not_active"
    template = "reservation {reservation!r} is {status}: it holds no stock any more"


class PeriodLocked(InvalidValue):
    """A posting dated in a closed period (on or before the lock date).
    ``details["field"]`` names the date that falls in it."""

    code = "period.locked"
    template = (
        "{field} ({effective}) falls on or before the lock date {lock_date}: the period "
        "is closed; date the posting in an open period"
    )


class InvoiceIssued(BackofficeError, ValueError):
    """A change to or deletion of an issued invoice (a credit note cancels it)."""

    code = "invoicing.issued"
    template = (
        "invoice {key!r} is issued as {number}: it cannot be changed or deleted; "
        "issue a credit note that references it"
    )


class AllocationExceeded(InvalidValue):
    """An allocation above what is open (balance due, customer credit, payment).

    ``details["field"]`` names the amount."""

    code = "invoicing.allocation_exceeded"
    template = "{field} ({amount}) is more than the {what} ({available}); allocate at most that"


class PayRunClosed(BackofficeError, ValueError):
    """A payslip added to a closed pay run, or a run closed twice (a correction is a
    new payslip in a later run)."""

    code = "payroll.run_closed"
    template = (
        "pay run {key!r} is closed: it takes no more payslips; record a correction in a later run"
    )


class EInvoiceUnreadable(BackofficeError, ValueError):
    """A file that cannot be read as an e-invoice: not XML, hostile XML (entities, a
    document type), too large, or neither UBL nor CII."""

    code = "einvoice.unreadable"
    template = "cannot read the e-invoice: {reason}"


class DuplicateRule(InvalidValue):
    """A compliance rule added to a rule set that has a rule with the same id already."""

    code = "compliance.duplicate_rule"
    template = (
        "a rule {rule_id!r} is in the rule set already: give each rule its own id, or build "
        "a set without the other one"
    )


class SelfApproval(InvalidValue):
    """The creator of a document deciding on its approval (segregation of duties).
    ``details["field"]`` names the actor."""

    code = "compliance.self_approval"
    template = (
        "{field}: {actor!r} created {document!r} and cannot approve it; "
        "ask an approver who did not create it"
    )


class DuplicateDecision(InvalidValue):
    """The same person deciding twice on one approval request.
    ``details["field"]`` names the actor."""

    code = "compliance.duplicate_decision"
    template = (
        "{field}: {actor!r} has decided on {document!r} already; "
        "each approval needs a different approver"
    )


class ApprovalNotPending(BackofficeError, ValueError):
    """A decision on an approval request that is approved or rejected already (a new
    request starts over)."""

    code = "compliance.approval_not_pending"
    template = (
        "the approval of {document!r} is {state}: it takes no more decisions; "
        "submit a new approval request"
    )


class RetentionNotOver(BackofficeError, ValueError):
    """A purge of records still under their legal retention period: nothing is deleted."""

    code = "compliance.retention_not_over"
    template = (
        "entry {sequence} of {series!r} must be kept until {until} ({source}): "
        "nothing was purged; purge only entries whose retention has ended"
    )


def error_classes() -> tuple[type[BackofficeError], ...]:
    """Every concrete error class defined by the library (loaded modules only)."""
    found: list[type[BackofficeError]] = []
    stack: list[type[BackofficeError]] = [BackofficeError]
    while stack:
        cls = stack.pop()
        found.append(cls)
        stack.extend(cls.__subclasses__())
    return tuple(sorted(set(found), key=lambda c: c.code))
