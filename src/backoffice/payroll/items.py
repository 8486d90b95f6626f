"""Pay items: the elements of a month's pay, each declaring the contribution bases it
feeds.

A :class:`PayItemKind` is a kind of pay element a country pack knows (a bonus, a benefit
in kind, an expense refund); it names the pack's **bases** it feeds (France: ``"gross"``,
the base of the social contributions, and ``"csg_unabated"``, subject to CSG and CRDS
only) and whether it is paid in cash. A :class:`PayItem` is one amount of a kind on one
payslip. A pack checks its kinds against its bases when it loads
(:func:`check_kinds`), and every item of a payslip against its kinds.

>>> from backoffice.core.money import Money
>>> bonus = PayItemKind("bonus", {"en": "Bonus"}, feeds=frozenset({"gross"}))
>>> PayItem(bonus, Money("150.00", "EUR")).amount
Money('150.00', 'EUR')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from backoffice.core.money import Money
from backoffice.errors import FloatNotAllowed, InvalidType, InvalidValue, Problem, ValidationError

__all__ = ["PayItem", "PayItemKind", "check_kinds", "pack_items"]


def _feeds(value: object) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidType(field="feeds", expected="a set of base names", got=repr(value))
    names = frozenset(value)
    if not all(isinstance(name, str) and name for name in names):
        raise InvalidType(field="feeds", expected="base names (strings)", got=repr(value))
    return names


def _code(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidType(field="code", expected="a non-empty string", got=repr(value))
    return value


def _label(value: object) -> Mapping[str, str]:
    if not isinstance(value, Mapping) or not all(
        isinstance(key, str) and isinstance(text, str) for key, text in value.items()
    ):
        raise InvalidType(
            field="label",
            expected='a mapping of locale to text, e.g. {"en": "Bonus"}',
            got=repr(value),
        )
    if "en" not in value:
        raise InvalidValue(field="label", reason="an English label ('en') is required")
    return dict(value)


@attrs.frozen(slots=True)
class PayItemKind:
    """A kind of pay element: its code, label by locale, the bases it feeds, and whether
    it is paid in cash (``False`` for a benefit in kind, which is part of the gross but
    already received)."""

    code: str = attrs.field(converter=_code)
    label: Mapping[str, str] = attrs.field(converter=_label, eq=False, hash=False)
    feeds: frozenset[str] = attrs.field(converter=_feeds, kw_only=True)
    paid: bool = attrs.field(default=True, kw_only=True)


def _amount(value: object) -> Money:
    if isinstance(value, float):
        raise FloatNotAllowed(field="amount", value=value, example='Money("150.00", "EUR")')
    if not isinstance(value, Money):
        raise InvalidType(
            field="amount", expected='a Money, e.g. Money("150.00", "EUR")', got=repr(value)
        )
    if value.is_negative():
        raise InvalidValue(field="amount", reason="a pay item is not negative")
    return value


def _kind(value: object) -> PayItemKind:
    if not isinstance(value, PayItemKind):
        raise InvalidType(field="kind", expected="a PayItemKind of the pack", got=repr(value))
    return value


@attrs.frozen(slots=True, repr=False)
class PayItem:
    """One pay element of a payslip (its amount is masked in ``repr``)."""

    kind: PayItemKind = attrs.field(converter=_kind)
    amount: Money = attrs.field(converter=_amount)

    def __repr__(self) -> str:
        return f"PayItem(kind={self.kind.code!r}, amount=***)"


def check_kinds(kinds: Iterable[PayItemKind], bases: Iterable[str], *, pack: str) -> None:
    """Check that every kind feeds only bases of the pack, and that codes are unique.

    Raises:
        ValidationError: every problem, at ``kinds.<code>``.
    """
    known = frozenset(bases)
    seen: set[str] = set()
    problems: list[Problem] = []
    for kind in kinds:
        path = f"kinds.{kind.code}"
        if kind.code in seen:
            problems.append(
                Problem.from_error(
                    path, InvalidValue(field=path, reason=f"two kinds of {pack} share this code")
                )
            )
        seen.add(kind.code)
        unknown = sorted(kind.feeds - known)
        if unknown:
            problems.append(
                Problem.from_error(
                    path,
                    InvalidValue(
                        field=f"{path}.feeds",
                        reason=f"{', '.join(map(repr, unknown))} is not a base of {pack} "
                        f"(its bases: {', '.join(sorted(known))})",
                    ),
                )
            )
    if problems:
        raise ValidationError(problems)


def pack_items(
    value: object, kinds: Iterable[PayItemKind], currency: str, *, pack: str
) -> tuple[PayItem, ...]:
    """``value`` as a pack's items: each a :class:`PayItem` of one of ``kinds`` in
    ``currency``.

    Raises:
        InvalidType: not a sequence of PayItem.
        InvalidValue: a kind the pack does not know, or another currency (the path
            names the item).
    """
    if isinstance(value, PayItem) or not isinstance(value, Iterable):
        raise InvalidType(field="items", expected="a tuple of PayItem", got=repr(value))
    known = tuple(kinds)
    found = tuple(value)
    for index, item in enumerate(found):
        if not isinstance(item, PayItem):
            raise InvalidType(field=f"items.{index}", expected="a PayItem", got=repr(item))
        if item.kind not in known:
            raise InvalidValue(
                field=f"items.{index}.kind",
                reason=f"{item.kind.code!r} is not a kind of {pack}: use one of its kinds ("
                + ", ".join(repr(kind.code) for kind in known)
                + ")",
            )
        if item.amount.currency.code != currency:
            raise InvalidValue(
                field=f"items.{index}.amount",
                reason=f"must be in {currency}, got an amount in {item.amount.currency.code}",
            )
    return found
