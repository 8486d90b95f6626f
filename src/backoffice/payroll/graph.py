"""Pay rules as a dependency graph, checked when a pack loads.

A :class:`PayRule` computes one named value (a contribution base, a printed line, a
coefficient...) from the values it declares in :attr:`PayRule.needs`: inputs of the
calculation or other rules. A :class:`RuleGraph` checks the whole set when it is built
-- every need is an input or another rule, no value is computed by two rules, no rule
depends on itself through others -- and raises one
:class:`~backoffice.errors.ValidationError` listing every problem, before any payslip
is computed. It then orders the rules so that each runs after what it needs: the order
is derived, never maintained by hand.

>>> graph = RuleGraph(
...     [
...         PayRule("net", ("gross", "contributions"), lambda v: v["gross"] - v["contributions"]),
...         PayRule("contributions", ("gross",), lambda v: v["gross"] // 5),
...     ],
...     inputs=("gross",),
...     pack="example",
... )
>>> graph.order
('contributions', 'net')
>>> graph.evaluate({"gross": 1000})["net"]
800
>>> RuleGraph([PayRule("a", ("b",), len), PayRule("b", ("a",), len)], inputs=(), pack="x")
Traceback (most recent call last):
...
backoffice.errors.ValidationError: 1 problem(s) in the input: rules.a.needs: ...a → b → a...

:meth:`RuleGraph.evaluate` with ``strict=True`` gives each rule a view of only the
values it declares: a rule that reads any other value fails, naming the rule and the
value. The packs' tests run their payslips that way, so a rule's declared needs cannot
drift away from the values it reads (a value that is an object -- the inputs, the
month's prepared rules -- is declared as a whole, not field by field); the default
evaluation passes the values as they are, for speed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import attrs

from backoffice.errors import InvalidType, InvalidValue, Problem, ValidationError

__all__ = ["PayRule", "RuleGraph"]


def _name(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidType(field="name", expected="a non-empty string", got=repr(value))
    return value


def _compute(value: object) -> Callable[[Mapping[str, Any]], Any]:
    if not callable(value):
        raise InvalidType(
            field="compute", expected="a function of the values computed so far", got=repr(value)
        )
    return value


def _names(value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidType(field="needs", expected="a tuple of names", got=repr(value))
    return tuple(_name(item) for item in value)


@attrs.frozen(slots=True)
class PayRule:
    """One value of a payslip and how to compute it.

    ``compute`` receives a mapping of the values computed so far (inputs included) and
    must read only :attr:`needs` from it."""

    name: str = attrs.field(converter=_name)
    needs: tuple[str, ...] = attrs.field(converter=_names)
    compute: Callable[[Mapping[str, Any]], Any] = attrs.field(
        converter=_compute, eq=False, repr=False
    )
    description: str = ""
    """What the rule computes, in words (for the documentation of a pack)."""


class _Declared(Mapping[str, Any]):
    """The values a rule declared, and nothing else (strict evaluation)."""

    __slots__ = ("_rule", "_values")

    def __init__(self, rule: PayRule, values: Mapping[str, Any]) -> None:
        self._rule = rule
        self._values = values

    def __getitem__(self, key: str) -> Any:
        if key not in self._rule.needs:
            raise InvalidValue(
                field=f"rules.{self._rule.name}.needs",
                reason=f"the rule read {key!r}, which it does not declare: add it to its needs",
            )
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rule.needs)

    def __len__(self) -> int:
        return len(self._rule.needs)


def _problem(path: str, reason: str) -> Problem:
    return Problem.from_error(path, InvalidValue(field=path, reason=reason))


class RuleGraph:
    """A pack's rules, checked and ordered.

    Args:
        rules: the rules, in the order their lines are printed when several are ready
            at once (the order is otherwise derived from the needs).
        inputs: the names the caller gives to :meth:`evaluate`.
        pack: the pack's name, for the messages.

    Raises:
        ValidationError: every problem at once, each at the path of the rule's name or
            needs: a value computed by two rules, an input that a rule also computes, a
            need that is neither an input nor a rule, a cycle (the path of the cycle
            is named).
    """

    __slots__ = ("_by_name", "_dependencies", "_inputs", "_order", "_pack", "_program")

    def __init__(self, rules: Iterable[PayRule], *, inputs: Iterable[str], pack: str) -> None:
        self._pack = pack
        self._inputs = frozenset(_names(inputs))
        found: object = rules
        if isinstance(found, str | bytes) or not isinstance(found, Iterable):
            raise InvalidType(field="rules", expected="an iterable of PayRule", got=repr(found))
        given = list(rules)
        problems: list[Problem] = []
        by_name: dict[str, PayRule] = {}
        for rule in given:
            if not isinstance(rule, PayRule):
                raise InvalidType(field="rules", expected="PayRule objects", got=repr(rule))
            if rule.name in by_name:
                problems.append(
                    _problem(
                        f"rules.{rule.name}",
                        f"computed by two rules of {pack}: give each value one rule",
                    )
                )
                problems.extend(self._missing(rule, given))
                continue
            if rule.name in self._inputs:
                problems.append(
                    _problem(
                        f"rules.{rule.name}",
                        f"is an input of {pack} and a rule: rename one of them",
                    )
                )
            by_name[rule.name] = rule
        for rule in by_name.values():
            problems.extend(self._missing(rule, given))
        problems.extend(self._cycles(by_name))
        if problems:
            raise ValidationError(problems)
        self._by_name = by_name
        self._order = self._sorted(given, by_name)
        self._program = tuple((name, by_name[name].compute) for name in self._order)
        self._dependencies: dict[str, frozenset[str]] = {}

    def _missing(self, rule: PayRule, given: list[PayRule]) -> list[Problem]:
        names = {other.name for other in given}
        missing = [n for n in rule.needs if n not in names and n not in self._inputs]
        if not missing:
            return []
        return [
            _problem(
                f"rules.{rule.name}.needs",
                f"{', '.join(map(repr, missing))} is neither an input of {self._pack} nor "
                "computed by one of its rules: add the rule or the input",
            )
        ]

    def _cycles(self, by_name: Mapping[str, PayRule]) -> list[Problem]:
        """One problem per cycle found by a depth-first walk, at the first rule of the
        cycle in declaration order."""
        state: dict[str, int] = {}  # 1: on the current path, 2: done
        found: list[Problem] = []
        path: list[str] = []

        def visit(name: str) -> None:
            state[name] = 1
            path.append(name)
            for need in by_name[name].needs:
                if need not in by_name:
                    continue
                if state.get(need) == 1:
                    cycle = [*path[path.index(need) :], need]
                    found.append(
                        _problem(
                            f"rules.{cycle[0]}.needs",
                            f"the rules of {self._pack} depend on themselves: "
                            f"{' → '.join(cycle)}; break the cycle",
                        )
                    )
                elif need not in state:
                    visit(need)
            path.pop()
            state[name] = 2

        for name in by_name:
            if name not in state:
                visit(name)
        return found

    @staticmethod
    def _sorted(given: list[PayRule], by_name: Mapping[str, PayRule]) -> tuple[str, ...]:
        """Each rule after its needs; among the rules ready at once, declaration order."""
        order: list[str] = []
        done: set[str] = set()

        def place(name: str) -> None:
            if name in done:
                return
            done.add(name)
            for need in by_name[name].needs:
                if need in by_name:
                    place(need)
            order.append(name)

        for rule in given:
            place(rule.name)
        return tuple(order)

    @property
    def pack(self) -> str:
        return self._pack

    @property
    def inputs(self) -> frozenset[str]:
        """The names :meth:`evaluate` expects."""
        return self._inputs

    @property
    def order(self) -> tuple[str, ...]:
        """The rules' names in the order they run."""
        return self._order

    def rule(self, name: str) -> PayRule:
        """The rule computing ``name``.

        Raises:
            InvalidValue: no rule computes it.
        """
        found = self._by_name.get(name)
        if found is None:
            raise InvalidValue(field="name", reason=f"no rule of {self._pack} computes {name!r}")
        return found

    def dependencies(self, name: str) -> frozenset[str]:
        """Every rule and input ``name`` depends on, directly or not."""
        cached = self._dependencies.get(name)
        if cached is not None:
            return cached
        found: set[str] = set()
        for need in self.rule(name).needs:
            found.add(need)
            if need in self._by_name:
                found |= self.dependencies(need)
        result = frozenset(found)
        self._dependencies[name] = result
        return result

    def evaluate(self, values: Mapping[str, Any], *, strict: bool = False) -> dict[str, Any]:
        """Every value of the graph from the ``values`` of its inputs.

        Args:
            values: a value for every name of :attr:`inputs`.
            strict: give each rule a view of its declared needs only (slower; for
                tests).

        Raises:
            InvalidValue: an input is missing; with ``strict``, a rule read a value it
                does not declare.
        """
        if not isinstance(values, Mapping):
            raise InvalidType(field="values", expected="a mapping of input names", got=repr(values))
        missing = self._inputs.difference(values)
        if missing:
            raise InvalidValue(
                field="inputs",
                reason=f"{_quoted(missing)} missing: {self._pack} needs a value for each",
            )
        computed = dict(values)
        if strict:
            for name, _ in self._program:
                rule = self._by_name[name]
                computed[name] = rule.compute(_Declared(rule, computed))
            return computed
        for name, compute in self._program:
            computed[name] = compute(computed)
        return computed

    def __repr__(self) -> str:
        return f"RuleGraph(pack={self._pack!r}, rules={len(self._order)})"


def _quoted(names: Iterable[str]) -> str:
    """Names quoted and sorted, for a message."""
    return ", ".join(repr(name) for name in sorted(names))
