"""The rule graph: checked when built, ordered by needs, strict about what rules read;
and the France pack's rules through it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backoffice.core.money import Money, Rate
from backoffice.core.time import Period
from backoffice.errors import FloatNotAllowed, InvalidType, InvalidValue, ValidationError
from backoffice.payroll import PayItem, PayItemKind, PayRule, RuleGraph, Side, check_kinds, fr


def rule(name: str, *needs: str) -> PayRule:
    return PayRule(name, needs, lambda values: sum(values[n] for n in needs) + 1)


def test_order_follows_needs_then_declaration() -> None:
    graph = RuleGraph(
        [rule("net", "gross", "tax"), rule("tax", "base"), rule("base", "gross"), rule("x")],
        inputs=("gross",),
        pack="test",
    )
    assert graph.order == ("base", "tax", "net", "x")
    assert graph.evaluate({"gross": 10}) == {"gross": 10, "base": 11, "tax": 12, "net": 23, "x": 1}
    assert graph.dependencies("net") == {"gross", "tax", "base"}
    assert graph.rule("tax").needs == ("base",)
    with pytest.raises(InvalidValue, match="no rule of test computes 'y'"):
        graph.rule("y")


def test_every_problem_is_reported_before_anything_runs() -> None:
    with pytest.raises(ValidationError) as caught:
        RuleGraph(
            [
                rule("a", "b"),
                rule("b", "c"),
                rule("c", "a"),
                rule("d", "nowhere", "gross"),
                rule("d"),
                rule("gross"),
            ],
            inputs=("gross",),
            pack="test",
        )
    paths = {problem.path: problem.message for problem in caught.value.problems}
    assert "a → b → c → a" in paths["rules.a.needs"]
    assert "'nowhere' is neither an input" in paths["rules.d.needs"]
    assert "computed by two rules" in paths["rules.d"]
    assert "is an input of test and a rule" in paths["rules.gross"]


def test_a_rule_needing_itself() -> None:
    with pytest.raises(ValidationError, match="a → a"):
        RuleGraph([rule("a", "a")], inputs=(), pack="test")


def test_missing_inputs_and_strict_reads() -> None:
    sneaky = PayRule("tax", ("gross",), lambda values: values["gross"] + values["bonus"])
    graph = RuleGraph([sneaky], inputs=("gross", "bonus"), pack="test")
    with pytest.raises(InvalidValue, match="'bonus' missing"):
        graph.evaluate({"gross": 1})
    assert graph.evaluate({"gross": 1, "bonus": 2})["tax"] == 3
    with pytest.raises(InvalidValue, match=r"rules\.tax\.needs.*read 'bonus'"):
        graph.evaluate({"gross": 1, "bonus": 2}, strict=True)


def test_bad_rules() -> None:
    with pytest.raises(InvalidType):
        PayRule("", (), len)
    with pytest.raises(InvalidType):
        PayRule("a", "gross", len)
    with pytest.raises(InvalidType):
        RuleGraph(["a"], inputs=(), pack="test")  # type: ignore[list-item]


# -- pay items ----------------------------------------------------------------------------


def test_kinds_must_feed_known_bases() -> None:
    good = PayItemKind("bonus", {"en": "Bonus"}, feeds={"gross"})
    bad = PayItemKind("odd", {"en": "Odd"}, feeds={"gross", "nowhere"})
    check_kinds([good], {"gross"}, pack="test")
    with pytest.raises(ValidationError) as caught:
        check_kinds([good, bad, good], {"gross"}, pack="test")
    messages = " ".join(problem.message for problem in caught.value.problems)
    assert "'nowhere' is not a base of test" in messages
    assert "two kinds of test share this code" in messages
    with pytest.raises(InvalidValue, match="English"):
        PayItemKind("x", {"fr": "X"}, feeds=())
    with pytest.raises(InvalidType):
        PayItemKind("x", {"en": "X"}, feeds="gross")


def test_items_refuse_floats_negatives_and_foreign_kinds() -> None:
    with pytest.raises(FloatNotAllowed):
        PayItem(fr.BONUS, 100.0)
    with pytest.raises(InvalidValue, match="not negative"):
        PayItem(fr.BONUS, Money("-1.00", "EUR"))
    stranger = PayItemKind("tip", {"en": "Tip"}, feeds={"gross"})
    with pytest.raises(InvalidValue, match=r"items\.0\.kind"):
        fr.FranceInputs("2000.00", Rate.percent("1.5"), items=(PayItem(stranger, Money(1, "EUR")),))
    with pytest.raises(InvalidValue, match=r"items\.0\.amount"):
        fr.FranceInputs("2000.00", Rate.percent("1.5"), items=(PayItem(fr.BONUS, Money(1, "BRL")),))
    assert "100" not in repr(PayItem(fr.BONUS, Money("100.00", "EUR")))


AT_MP = Rate.percent("1.5")


def test_items_feed_the_gross_and_the_net_paid() -> None:
    employee = fr.Employee("E-1", headcount=10)
    items = (
        PayItem(fr.BONUS, Money("300.00", "EUR")),
        PayItem(fr.BENEFIT_IN_KIND, Money("120.00", "EUR")),
        PayItem(fr.EXPENSE_REFUND, Money("45.50", "EUR")),
    )
    payslip = fr.calculate(
        employee, Period.month(2026, 4), fr.FranceInputs("2500.00", AT_MP, items=items)
    )
    # the gross is the base salary, the bonus and the benefit in kind: every base with it
    same = fr.calculate(employee, Period.month(2026, 4), fr.FranceInputs("2920.00", AT_MP))
    assert payslip.gross == Money("2920.00", "EUR")
    contributions = [line for line in payslip.lines if line.side in (Side.EMPLOYEE, Side.EMPLOYER)]
    assert [(c.code, c.amount) for c in contributions] == [(c.code, c.amount) for c in same.lines]
    earnings = [
        (line.code, str(line.amount.amount)) for line in payslip.lines if line.side is Side.EARNING
    ]
    assert earnings == [
        ("salaire_base", "2500.00"),
        ("prime", "300.00"),
        ("avantage_nature", "120.00"),
    ]
    net_lines = [
        (line.code, str(line.amount.amount)) for line in payslip.lines if line.side is Side.NET
    ]
    assert net_lines == [("avantage_nature", "-120.00"), ("remboursement_frais", "45.50")]
    assert payslip.net == same.net
    assert payslip.net_paid == same.net - Money("120.00", "EUR") + Money("45.50", "EUR")
    assert payslip.fingerprint != same.fingerprint
    # without items, no earning lines: the net paid is the net
    assert same.net_paid == same.net


def test_a_payslip_whose_earnings_do_not_make_its_gross_is_refused() -> None:
    payslip = fr.calculate(
        fr.Employee("E-1"),
        Period.month(2026, 4),
        fr.FranceInputs("2500.00", AT_MP, items=(PayItem(fr.BONUS, Money("1.00", "EUR")),)),
    )
    from backoffice.payroll import Payslip

    with pytest.raises(InvalidValue, match="earning lines add up to"):
        Payslip(
            employee_id="E-1",
            period=payslip.period,
            payment_date=payslip.payment_date,
            gross=Money("2500.00", "EUR"),
            lines=payslip.lines,
        )


# -- the France pack through the graph ----------------------------------------------------


def test_the_france_graph_is_checked_and_ordered() -> None:
    graph = fr.GRAPH
    order = graph.order
    assert order.index("line.prevoyance_cadre.employer") < order.index("base.csg")
    assert order.index("base.csg") < order.index("line.csg.deductible")
    assert "line.prevoyance_cadre.employer" in graph.dependencies("line.crds")
    assert "employee" in graph.dependencies("line.forfait_social.employer")


@settings(max_examples=150, deadline=None)
@given(
    cents=st.integers(min_value=0, max_value=3_000_000),
    year=st.sampled_from([2025, 2026]),
    cadre=st.booleans(),
    headcount=st.sampled_from([1, 10, 11, 49, 50, 300]),
    bonus=st.integers(min_value=0, max_value=100_000),
)
def test_every_rule_reads_only_what_it_declares(
    cents: int, year: int, cadre: bool, headcount: int, bonus: int
) -> None:
    employee = fr.Employee("E-1", "cadre" if cadre else "non-cadre", headcount=headcount)
    items: tuple[PayItem, ...] = ()
    if bonus:
        items = (PayItem(fr.BONUS, Money(Decimal(bonus) / 100, "EUR")),)
    inputs = fr.FranceInputs(Money(Decimal(cents) / 100, "EUR"), AT_MP, items=items)
    fast = fr.calculate(employee, Period.month(year, 6), inputs)
    strict = fr.calculate(employee, Period.month(year, 6), inputs, strict=True)
    assert fast == strict
    # the gross is the base salary and the bonus, as the pay items declare
    assert fast.gross == inputs.gross + Money(Decimal(bonus) / 100, "EUR")


def test_more_bad_input_is_typed() -> None:
    with pytest.raises(InvalidType, match="compute"):
        PayRule("a", (), 5)
    with pytest.raises(InvalidType, match="rules"):
        RuleGraph(None, inputs=(), pack="test")  # type: ignore[arg-type]
    with pytest.raises(InvalidType, match="needs"):
        RuleGraph([], inputs="ab", pack="test")
    graph = RuleGraph([rule("a", "x")], inputs=("x",), pack="test")
    with pytest.raises(InvalidType, match="values"):
        graph.evaluate(None)  # type: ignore[arg-type]
    with pytest.raises(InvalidType, match="label"):
        PayItemKind("x", None, feeds=())
    with pytest.raises(InvalidType, match="code"):
        PayItemKind(None, {"en": "X"}, feeds=())


def test_a_duplicate_rule_still_has_its_needs_checked() -> None:
    with pytest.raises(ValidationError) as caught:
        RuleGraph([rule("a"), rule("a", "nowhere")], inputs=(), pack="test")
    messages = [problem.message for problem in caught.value.problems]
    assert any("computed by two rules" in message for message in messages)
    assert any("'nowhere' is neither an input" in message for message in messages)
