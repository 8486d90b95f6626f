"""Effective-dated parameters: a value, the text it comes from, the days it applies on.

A :class:`Parameter` is a :class:`~backoffice.invoicing.interest.LegalParameter` that
also names its jurisdiction and the day its figure was last checked against the source.
A :class:`ParameterSet` holds the successive versions of one parameter (the 2025 and the
2026 minimum wage) and gives the version in force on a day. A day no version covers
raises :class:`~backoffice.errors.InvalidValue`: there is never a silent fallback to the
figure of another year.

>>> from datetime import date
>>> from backoffice.core.money import Money
>>> wage = ParameterSet("minimum wage", [
...     Parameter(name="minimum wage", value=Money("1518.00", "BRL"), source="Decreto",
...               valid_from=date(2025, 1, 1), valid_until=date(2025, 12, 31),
...               jurisdiction="BR", checked_on=date(2026, 1, 5)),
... ])
>>> wage.value_on(date(2025, 6, 30))
Money('1518.00', 'BRL')
>>> wage.value_on(date(2026, 1, 1))
Traceback (most recent call last):
...
backoffice.errors.InvalidValue: day: no version of minimum wage applies on 2026-01-01 ...
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any, Generic, TypeVar

import attrs

from backoffice.core.money import Money
from backoffice.errors import InvalidType, InvalidValue
from backoffice.invoicing.interest import LegalParameter
from backoffice.invoicing.terms import _day

__all__ = ["Parameter", "ParameterLookup", "ParameterRef", "ParameterSet"]

T = TypeVar("T")


def _to_day(value: object) -> date:
    return _day(value, "date")


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidType(field="text", expected="a non-empty string", got=repr(value))
    return value


@attrs.frozen(slots=True)
class Parameter(LegalParameter[T]):
    """A :class:`~backoffice.invoicing.interest.LegalParameter` of one jurisdiction,
    with the day its figure was last checked against :attr:`source`.

    Raises:
        InvalidValue: :attr:`valid_until` is before :attr:`valid_from`.
        InvalidType: a date is a datetime or not a date; a text is empty.
    """

    jurisdiction: str = attrs.field(kw_only=True, converter=_text)
    """ISO 3166 code of the country (or subdivision) whose law sets the value."""
    checked_on: date = attrs.field(kw_only=True, converter=_to_day)
    """The day the value was last compared with its source."""

    def __attrs_post_init__(self) -> None:
        _text(self.name)
        _text(self.source)
        _day(self.valid_from, "valid_from")
        if self.valid_until is not None and _day(self.valid_until, "valid_until") < (
            self.valid_from
        ):
            raise InvalidValue(
                field="valid_until",
                reason=f"{self.name}: {self.valid_until.isoformat()} is before valid_from "
                f"{self.valid_from.isoformat()}",
            )

    def covers(self, day: date) -> bool:
        """Whether the value applies on ``day``."""
        checked = _day(day, "day")
        return self.valid_from <= checked and (
            self.valid_until is None or checked <= self.valid_until
        )

    @property
    def ref(self) -> ParameterRef:
        """The name and version (``valid_from``) of this value, as a payslip cites it."""
        return ParameterRef(self.name, self.valid_from)


@attrs.frozen(slots=True, order=True)
class ParameterRef:
    """A parameter version as cited on a payslip: its name and first valid day."""

    name: str
    valid_from: date

    def __str__(self) -> str:
        return f"{self.name} (version of {self.valid_from.isoformat()})"


def _span(version: Parameter[Any]) -> str:
    until = "" if version.valid_until is None else version.valid_until.isoformat()
    return f"{version.valid_from.isoformat()}..{until}"


class ParameterSet(Generic[T]):
    """The versions of one parameter, none overlapping, in date order.

    Raises:
        InvalidValue: no version, a version of another name, or two versions that
            overlap (only the last may be open-ended).
        InvalidType: a version is not a :class:`Parameter`.
    """

    __slots__ = ("_versions", "name")

    name: str
    _versions: tuple[Parameter[T], ...]

    def __init__(self, name: str, versions: Iterable[Parameter[T]]) -> None:
        items = list(versions)
        if not items:
            raise InvalidValue(field="versions", reason=f"{name}: at least one version is needed")
        for item in items:
            if not isinstance(item, Parameter):
                raise InvalidType(field="versions", expected="Parameter values", got=repr(item))
            if item.name != name:
                raise InvalidValue(
                    field="versions", reason=f"{item.name!r} is not a version of {name!r}"
                )
        items.sort(key=lambda item: item.valid_from)
        for before, after in itertools.pairwise(items):
            if before.valid_until is None or before.valid_until >= after.valid_from:
                raise InvalidValue(
                    field="versions",
                    reason=f"{name}: the versions {_span(before)} and {_span(after)} overlap",
                )
        self.name = name
        self._versions = tuple(items)

    @property
    def versions(self) -> tuple[Parameter[T], ...]:
        return self._versions

    def __iter__(self) -> Iterator[Parameter[T]]:
        return iter(self._versions)

    def __repr__(self) -> str:
        spans = ", ".join(_span(version) for version in self._versions)
        return f"ParameterSet({self.name!r}, [{spans}])"

    def version_on(self, day: date) -> Parameter[T]:
        """The version in force on ``day``.

        Raises:
            InvalidValue: no version applies on ``day`` (``details["field"]`` is
                ``"day"``).
            InvalidType: ``day`` is a datetime or not a date.
        """
        checked = _day(day, "day")
        for version in self._versions:
            if version.covers(checked):
                return version
        spans = ", ".join(_span(version) for version in self._versions)
        raise InvalidValue(
            field="day",
            reason=f"no version of {self.name} applies on {checked.isoformat()} "
            f"(versions: {spans})",
        )

    def value_on(self, day: date) -> T:
        """The value of the version in force on ``day`` (see :meth:`version_on`)."""
        return self.version_on(day).value


class ParameterLookup:
    """Reads parameters for one day and remembers which versions were read, so a
    payslip can cite them.

    Raises (from :meth:`value`):
        InvalidValue: no parameter of that name, or none in force on :attr:`day`.
    """

    __slots__ = ("_sets", "_used", "day")

    day: date

    def __init__(self, sets: Mapping[str, ParameterSet[Any]], day: date) -> None:
        self._sets = sets
        self.day = _day(day, "day")
        self._used: dict[str, ParameterRef] = {}

    def version(self, name: str) -> Parameter[Any]:
        found = self._sets.get(name)
        if found is None:
            raise InvalidValue(field="parameter", reason=f"no parameter named {name!r}")
        version = found.version_on(self.day)
        self._used[name] = version.ref
        return version

    def value(self, name: str) -> Any:
        """The value of ``name`` on :attr:`day`."""
        return self.version(name).value

    def money(self, name: str) -> Money:
        """The value of ``name`` on :attr:`day`, which must be a Money."""
        value = self.value(name)
        if not isinstance(value, Money):
            raise InvalidType(field=name, expected="a Money parameter", got=repr(value))
        return value

    @property
    def used(self) -> tuple[ParameterRef, ...]:
        """The versions read so far, by name."""
        return tuple(sorted(self._used.values()))
