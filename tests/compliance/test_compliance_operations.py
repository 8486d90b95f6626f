"""The stock and payroll pack: negative stock, locked periods, minimum wages."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from backoffice.compliance import (
    MONTHLY_PAY,
    STOCK_BALANCE,
    STOCK_MOVEMENT,
    MonthlyPay,
    StockBalance,
    StockPosting,
    builtin_rules,
    operations,
)
from backoffice.core.money import Money, Rate
from backoffice.core.time import Period
from backoffice.inventory.model import Balance, Item, Movement
from backoffice.payroll import br, fr

RULES = builtin_rules()


def _balance(on_hand: str, negative: str = "forbid") -> StockBalance:
    return StockBalance(
        Item("FLOUR", negative=negative),
        Balance("FLOUR", "WH", Decimal(on_hand), Decimal(0)),
        date(2026, 3, 31),
    )


def test_negative_stock_fails_where_the_item_forbids_it() -> None:
    report = RULES.evaluate(_balance("-2.5"), subject=STOCK_BALANCE, jurisdiction="FR")
    [finding] = report.findings
    assert (finding.rule, finding.path) == ("OPS-STK-001", "balance.on_hand")
    assert finding.message("fr") == (
        "L'article FLOUR à WH a -2,5 en stock : sa politique interdit le stock négatif."
    )
    assert finding.message("en").startswith("Item FLOUR at WH has -2.5 on hand")


def test_negative_stock_passes_when_allowed_or_positive() -> None:
    for subject in (_balance("-2.5", "allow"), _balance("0"), _balance("3")):
        assert not RULES.evaluate(subject, subject=STOCK_BALANCE, jurisdiction="BR").findings


def _posting(effective: datetime, lock: date | None) -> StockPosting:
    movement = Movement(
        "M-1",
        "receipt",
        "FLOUR",
        Decimal(5),
        "SUPPLIER",
        "WH",
        effective,
        datetime(2026, 4, 2, 9, tzinfo=UTC),
    )
    return StockPosting(movement, lock, ZoneInfo("Europe/Paris"))


def test_a_movement_into_a_locked_period_fails() -> None:
    # 23:30 UTC on 31 March is 1 April in Paris: the day counts in the ledger's zone
    late = datetime(2026, 3, 31, 21, 30, tzinfo=UTC)
    report = RULES.evaluate(_posting(late, date(2026, 3, 31)), subject=STOCK_MOVEMENT)
    [finding] = report.findings
    assert (finding.rule, finding.path) == ("OPS-STK-002", "movement.effective_at")
    assert "2026-03-31" not in finding.message("en")  # dates shown in the locale
    assert finding.message("pt_BR").startswith("O movimento M-1 tem efeito em 31 de mar. de 2026")


def test_a_movement_in_an_open_period_passes() -> None:
    after = datetime(2026, 3, 31, 22, 30, tzinfo=UTC)  # 1 April in Paris
    assert not RULES.evaluate(_posting(after, date(2026, 3, 31)), subject=STOCK_MOVEMENT)
    assert not RULES.evaluate(_posting(after, None), subject=STOCK_MOVEMENT)


def _pay(country: str, gross: Money, hours: str | None = None, month: int = 3) -> MonthlyPay:
    return MonthlyPay(
        country, Period.month(2026, month), gross, None if hours is None else Decimal(hours)
    )


def test_pay_below_the_smic_fails_in_france() -> None:
    smic = fr.PARAMETERS["smic.monthly"].value_on(date(2026, 3, 1))
    below = _pay("FR", smic - Money("0.01", "EUR"))
    report = RULES.evaluate(below, subject=MONTHLY_PAY, jurisdiction="FR")
    [finding] = report.findings
    assert (finding.rule, finding.path) == ("FR-PAY-001", "gross")
    assert finding.values["minimum"] == smic
    assert "(1\u202f823,03\xa0€)" in finding.message("fr")
    assert not RULES.evaluate(_pay("FR", smic), subject=MONTHLY_PAY, jurisdiction="FR")


def test_part_time_pay_is_compared_with_the_hourly_smic() -> None:
    hourly = fr.PARAMETERS["smic.hourly"].value_on(date(2026, 7, 1))
    floor = operations.minimum_wage(_pay("FR", Money("0", "EUR"), "80", month=7))
    assert floor == hourly * 80
    ok = _pay("FR", hourly * 80, "80", month=7)
    low = _pay("FR", hourly * 79, "80", month=7)
    assert not RULES.evaluate(ok, subject=MONTHLY_PAY, jurisdiction="FR")
    assert RULES.evaluate(low, subject=MONTHLY_PAY, jurisdiction="FR").has_errors


def test_pay_below_the_minimum_wage_fails_in_brazil() -> None:
    wage = br.PARAMETERS[br.MINIMUM_WAGE].value_on(date(2026, 3, 1))
    low = _pay("BR", wage - Money("1", "BRL"))
    report = RULES.evaluate(low, subject=MONTHLY_PAY, jurisdiction="BR")
    assert report.rules() == ("BR-PAY-001",)
    assert not RULES.evaluate(_pay("BR", wage), subject=MONTHLY_PAY, jurisdiction="BR")
    # the French rule does not read a Brazilian pay, nor the other way round
    assert not RULES.evaluate(low, subject=MONTHLY_PAY, jurisdiction="FR")


def test_no_finding_for_a_month_the_parameters_do_not_cover() -> None:
    old = MonthlyPay("FR", Period.month(1990, 1), Money("1", "EUR"))
    assert operations.minimum_wage(old) is None
    assert not RULES.evaluate(old, subject=MONTHLY_PAY, jurisdiction="FR")


def test_payslips_become_monthly_pay_and_the_gross_stays_out_of_repr() -> None:
    slip = fr.calculate(
        fr.Employee("FR-0001", headcount=10),
        Period.month(2026, 3),
        fr.FranceInputs("1500.00", Rate.percent("1.5")),
    )
    [pay] = MonthlyPay.of_payslips("fr", [slip])
    assert pay.country == "FR" and pay.gross == Money("1500.00", "EUR")
    assert "1500" not in repr(pay)
    assert RULES.evaluate(pay, subject=MONTHLY_PAY, jurisdiction="FR").rules() == ("FR-PAY-001",)


def test_a_monthly_pay_refuses_floats() -> None:
    from decimal import Decimal

    import pytest

    from backoffice.compliance import MonthlyPay
    from backoffice.core.money import Money
    from backoffice.core.time import Period
    from backoffice.errors import FloatNotAllowed, InvalidType

    with pytest.raises(FloatNotAllowed):
        MonthlyPay("FR", Period.month(2026, 1), 1801.8)
    with pytest.raises(FloatNotAllowed):
        MonthlyPay("FR", Period.month(2026, 1), Money("1801.80", "EUR"), 151.67)
    with pytest.raises(InvalidType):
        MonthlyPay("FR", Period.month(2026, 1), "1801.80")
    assert MonthlyPay("FR", Period.month(2026, 1), Money("1.00", "EUR"), 91).hours == Decimal(91)
