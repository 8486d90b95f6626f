"""Brazil: 13º salário, férias + 1/3, pay items and the year-to-date accumulator, with
worked examples computed by hand from the official tables (figures in the comments)."""

from __future__ import annotations

from datetime import date

import pytest

from backoffice.core.money import Money, Rate
from backoffice.core.time import Period
from backoffice.errors import FloatNotAllowed, InvalidType, InvalidValue
from backoffice.payroll import PayItem, Payslip, Side, YearToDate, br


def brl(amount: str) -> Money:
    return Money(amount, "BRL")


def amounts(payslip: Payslip) -> dict[str, str]:
    return {line.code: str(line.amount.amount) for line in payslip.lines}


ANA = br.Employee("BR-1")


# -- 13º -----------------------------------------------------------------------------------


def test_thirteenth_2025_settled_in_december() -> None:
    inputs = br.ThirteenthInputs("3000.00", 12, date(2025, 12, 19), advance=brl("1500.00"))
    slip = br.thirteenth_salary(ANA, 2025, inputs)
    assert slip.period == Period.month(2025, 12)
    # INSS 2025 on 3000: 113.85 + 114.8292 + 24.7344 = 253.4136
    # IRRF: legal 3000 - 253.41 = 2746.59 -> 7.5 % - 182.16 = 23.83; simplified
    # 3000 - 607.20 = 2392.80, exempt: the lower is nil
    # FGTS: 8 % of 3000 - 1500 (the advance's FGTS was deposited with it)
    assert amounts(slip) == {
        "decimo_terceiro": "3000.00",
        "INSS": "253.41",
        "IRRF": "0.00",
        "FGTS": "120.00",
        "decimo_terceiro.adiantamento": "-1500.00",
    }
    assert slip.gross == brl("3000.00")
    assert slip.net == brl("2746.59")
    assert slip.net_paid == brl("1246.59")
    assert slip.findings == ()


def test_thirteenth_2026_with_variable_pay_dependant_and_reduction() -> None:
    inputs = br.ThirteenthInputs("6000.00", 12, date(2026, 12, 18), variable=brl("1100.00"))
    slip = br.thirteenth_salary(br.Employee("BR-2", dependants=1), 2026, inputs)
    # 6000 × 12 / 12 + 1100 / 11 = 6100.00
    # INSS 2026: 121.575 + 115.3656 + 174.1716 + 1745.73 × 14 % (244.4022) = 655.5144
    # IRRF: legal base 6100 - 655.51 - 189.59 = 5254.90 × 27.5 % - 908.73 = 536.3675;
    # simplified 5492.80 -> 601.79; the lower: 536.37; reduction on the gross 13º:
    # 978.62 - 0.133145 × 6100 (812.1845 -> 812.18) = 166.44; 536.37 - 166.44 = 369.93
    assert amounts(slip) == {
        "decimo_terceiro": "6100.00",
        "INSS": "655.51",
        "IRRF": "369.93",
        "FGTS": "488.00",
    }
    assert slip.net == brl("5074.56")
    assert "reduction (Lei nº 15.270/2025)" in " ".join(slip.line("IRRF").explanation)


def test_a_small_thirteenth_tax_is_withheld() -> None:
    # 2025, 3,100: INSS 113.85 + 114.8292 + 306.12 × 12 % (36.7344) = 265.4136 -> 265.41;
    # legal base 2834.59 × 15 % - 394.16 = 31.03; simplified 2492.80 × 7.5 % - 182.16
    # = 4.80: the lower, 4.80, is withheld on a 13º (taxed exclusively at source) ...
    slip = br.thirteenth_salary(ANA, 2025, br.ThirteenthInputs("3100.00", 12, date(2025, 12, 19)))
    assert amounts(slip)["IRRF"] == "4.80"
    # ... but not on a month's pay of the same amount (R$ 10.00 or less)
    month = br.calculate(
        ANA, Period.month(2025, 12), br.BrazilInputs("3100.00", date(2025, 12, 19))
    )
    assert amounts(month)["IRRF"] == "0.00"
    assert "not withheld" in " ".join(month.line("IRRF").explanation)


def test_thirteenth_months_and_the_late_payment() -> None:
    # hired in June: 7 months (avos): 3000 × 7 / 12 = 1750.00
    inputs = br.ThirteenthInputs("3000.00", 7, date(2025, 12, 22))
    slip = br.thirteenth_salary(ANA, 2025, inputs)
    assert slip.gross == brl("1750.00")
    assert [f.code for f in slip.findings] == ["BR.thirteenth_late"]
    assert br.thirteenth_amount(br.ThirteenthInputs("1000.00", 1, date(2025, 12, 1))) == brl(
        "83.33"
    )


def test_thirteenth_advance() -> None:
    slip = br.thirteenth_advance(ANA, 2025, salary="3000.00", payment_date=date(2025, 11, 28))
    assert amounts(slip) == {"decimo_terceiro.adiantamento": "1500.00", "FGTS": "120.00"}
    assert slip.employee_total == brl("0.00") and slip.net == brl("1500.00")
    assert slip.period == Period.month(2025, 11)
    # hired during the year: half of 3000 × 7 / 12 = 875.00
    part = br.thirteenth_advance(
        ANA, 2025, salary="3000.00", payment_date=date(2025, 11, 28), months=7
    )
    assert part.gross == brl("875.00")
    late = br.thirteenth_advance(ANA, 2025, salary="3000.00", payment_date=date(2025, 12, 1))
    assert [f.code for f in late.findings] == ["BR.thirteenth_advance_late"]


def test_thirteenth_bad_input() -> None:
    with pytest.raises(InvalidValue, match="months"):
        br.ThirteenthInputs("3000.00", 13, date(2025, 12, 19))
    with pytest.raises(InvalidValue, match="months"):
        br.ThirteenthInputs("3000.00", 0, date(2025, 12, 19))
    with pytest.raises(FloatNotAllowed):
        br.ThirteenthInputs(3000.0, 12, date(2025, 12, 19))
    with pytest.raises(InvalidValue, match="advance"):
        br.thirteenth_salary(
            ANA, 2025, br.ThirteenthInputs("1000.00", 12, date(2025, 12, 19), advance="1000.01")
        )
    with pytest.raises(InvalidValue, match="payment_date"):
        br.thirteenth_salary(ANA, 2025, br.ThirteenthInputs("1000.00", 12, date(2026, 1, 5)))
    with pytest.raises(InvalidValue, match="payment_date"):
        br.thirteenth_advance(ANA, 2025, salary="3000.00", payment_date=date(2024, 11, 28))
    # no parameters for 2027: no fallback
    with pytest.raises(InvalidValue, match="2027"):
        br.thirteenth_salary(ANA, 2027, br.ThirteenthInputs("1000.00", 12, date(2027, 12, 19)))
    with pytest.raises(InvalidType):
        br.thirteenth_salary(ANA, 2025, "x")  # type: ignore[arg-type]


# -- férias ------------------------------------------------------------------------------------


def test_vacation_2026_thirty_days() -> None:
    inputs = br.VacationInputs("3000.00", 30, date(2026, 7, 1), date(2026, 6, 29))
    slip = br.vacation_pay(ANA, inputs)
    # férias 3000.00 + 1/3 1000.00 = 4000.00; INSS 2026: 121.575 + 115.3656 +
    # 1097.16 × 12 % (131.6592) = 368.5998; IRRF: legal 3631.40 -> 150.55, simplified
    # 3392.80 -> 114.76: 114.76, then the 2026 reduction (income 4000 <= 5000) cancels it
    assert amounts(slip) == {
        "ferias": "3000.00",
        "ferias.terco": "1000.00",
        "INSS": "368.60",
        "IRRF": "0.00",
        "FGTS": "320.00",
    }
    assert slip.period == Period.month(2026, 7)
    assert slip.net == brl("3631.40")
    assert slip.findings == ()


def test_vacation_2025_with_days_sold_and_variable_pay_paid_late() -> None:
    inputs = br.VacationInputs(
        "2400.00",
        20,
        date(2025, 3, 10),
        date(2025, 3, 9),
        sold_days=10,
        variable_average="300.00",
    )
    slip = br.vacation_pay(ANA, inputs)
    # (2400 + 300) / 30 × 20 = 1800.00, a third 600.00; sold 2700 / 30 × 10 = 900.00 and
    # 300.00, outside INSS, IRRF and FGTS; INSS 2025 on 2400: 113.85 + 882 × 9 % = 193.23
    assert amounts(slip) == {
        "ferias": "1800.00",
        "ferias.terco": "600.00",
        "abono_pecuniario": "900.00",
        "abono_pecuniario.terco": "300.00",
        "INSS": "193.23",
        "IRRF": "0.00",
        "FGTS": "192.00",
    }
    assert slip.gross == brl("3600.00")
    assert slip.line("INSS").base == brl("2400.00")
    assert slip.net == brl("3406.77")
    assert [f.code for f in slip.findings] == ["BR.vacation_paid_late"]


def test_vacation_bad_input() -> None:
    with pytest.raises(InvalidValue, match="days"):
        br.VacationInputs("3000.00", 4, date(2026, 7, 1), date(2026, 6, 29))
    with pytest.raises(InvalidValue, match="days"):
        br.VacationInputs("3000.00", 31, date(2026, 7, 1), date(2026, 6, 29))
    with pytest.raises(InvalidValue, match="sold_days"):
        br.VacationInputs("3000.00", 20, date(2026, 7, 1), date(2026, 6, 29), sold_days=11)
    with pytest.raises(InvalidValue, match="sold_days"):
        br.VacationInputs("3000.00", 25, date(2026, 7, 1), date(2026, 6, 29), sold_days=6)
    with pytest.raises(InvalidType, match="start"):
        br.VacationInputs("3000.00", 20, "2026-07-01", date(2026, 6, 29))
    assert "3000" not in repr(br.VacationInputs("3000.00", 20, date(2026, 7, 1), date(2026, 6, 29)))


# -- pay items and the year to date -------------------------------------------------------------


def monthly(month: int, overtime: str) -> Payslip:
    items = (PayItem(br.OVERTIME, brl(overtime)),) if overtime != "0" else ()
    return br.calculate(
        ANA,
        Period.month(2025, month),
        br.BrazilInputs("3000.00", Period.month(2025, month).end, items=items),
    )


def test_items_feed_the_bases_they_declare() -> None:
    slip = br.calculate(
        ANA,
        Period.month(2025, 6),
        br.BrazilInputs(
            "3000.00",
            date(2025, 6, 30),
            items=(
                PayItem(br.OVERTIME, brl("250.00")),
                PayItem(br.TRAVEL_ALLOWANCE, brl("400.00")),
            ),
        ),
    )
    same = br.calculate(ANA, Period.month(2025, 6), br.BrazilInputs("3250.00", date(2025, 6, 30)))
    assert slip.gross == brl("3250.00")
    assert slip.line("INSS").amount == same.line("INSS").amount
    assert slip.line("FGTS").base == brl("3250.00")
    assert [line.code for line in slip.lines if line.side is Side.EARNING] == [
        "salario_base",
        "horas_extras",
    ]
    assert slip.line("diarias_viagem").side is Side.NET
    assert slip.net_paid == same.net + brl("400.00")
    assert sorted(br.TRAVEL_ALLOWANCE.feeds) == []


def test_year_to_date_feeds_the_thirteenth() -> None:
    payslips = [monthly(month, "100.00") for month in range(1, 12)]
    ytd = YearToDate.of(payslips)
    variable = ytd.total(*(kind.code for kind in br.VARIABLE_KINDS))
    assert variable == brl("1100.00")
    assert len(ytd.months) == 11
    assert ytd.gross == brl("34100.00")
    inputs = br.ThirteenthInputs("3000.00", 12, date(2025, 12, 19), variable=variable)
    assert br.thirteenth_amount(inputs) == brl("3100.00")


def test_year_to_date_refuses_mixing() -> None:
    ytd = YearToDate.of([monthly(1, "0")])
    with pytest.raises(InvalidValue, match="already added"):
        ytd.add(monthly(1, "0"))
    other = br.calculate(
        br.Employee("BR-9"), Period.month(2025, 2), br.BrazilInputs("3000.00", date(2025, 2, 28))
    )
    with pytest.raises(InvalidValue, match="another employee"):
        ytd.add(other)
    next_year = br.calculate(
        ANA, Period.month(2026, 1), br.BrazilInputs("3000.00", date(2026, 1, 31))
    )
    with pytest.raises(InvalidValue, match="2026-01"):
        ytd.add(next_year)
    with pytest.raises(InvalidValue, match="at least one"):
        YearToDate.of([])
    with pytest.raises(InvalidValue, match="codes"):
        ytd.total()
    with pytest.raises(InvalidType):
        ytd.add("x")  # type: ignore[arg-type]
    assert "3000" not in repr(ytd)


def test_the_brazil_graph_reads_only_what_it_declares() -> None:
    rates = br.EmployerRates(Rate.percent("2"), "1.0", Rate.percent("5.8"))
    for month in (1, 6, 12):
        for employer in (None, rates):
            inputs = br.BrazilInputs(
                "4000.00",
                Period.month(2026, month).end,
                employer=employer,
                items=(PayItem(br.BONUS, brl("123.45")),),
            )
            fast = br.calculate(ANA, Period.month(2026, month), inputs)
            assert fast == br.calculate(ANA, Period.month(2026, month), inputs, strict=True)
    assert br.GRAPH.order.index("line.INSS") < br.GRAPH.order.index("line.IRRF")


def test_vacation_pay_and_the_month_share_one_inss_ceiling() -> None:
    # 15 days of vacation from 2026-07-16 at 9,000: 4,500 + a third 1,500 = 6,000
    vacation = br.vacation_pay(
        ANA, br.VacationInputs("9000.00", 15, date(2026, 7, 16), date(2026, 7, 14))
    )
    assert vacation.line("INSS").base == brl("6000.00")
    # the month's salary for the 15 days worked, with the vacation pay in its INSS base:
    # INSS on 10,500 (capped at 8,475.55: 988.0914 -> 988.09) less the receipt's
    month = br.calculate(
        ANA,
        Period.month(2026, 7),
        br.BrazilInputs("4500.00", date(2026, 7, 31), vacation_base=brl("6000.00")),
    )
    assert month.line("INSS").amount + vacation.line("INSS").amount == brl("988.09")
    assert "less the INSS withheld on the vacation pay" in " ".join(month.line("INSS").explanation)
    alone = br.calculate(ANA, Period.month(2026, 7), br.BrazilInputs("4500.00", date(2026, 7, 31)))
    assert month.fingerprint != alone.fingerprint
    # both payslips of July add up in the year to date
    ytd = YearToDate.of([month, vacation])
    assert len(ytd.months) == 1 and ytd.gross == brl("10500.00")
    with pytest.raises(InvalidValue, match="already added"):
        ytd.add(vacation)


def test_thirteenth_year_and_timing_checks() -> None:
    with pytest.raises(FloatNotAllowed):
        br.thirteenth_advance(ANA, 2025.0, salary="3000.00", payment_date=date(2025, 11, 28))  # type: ignore[arg-type]
    with pytest.raises(InvalidType):
        br.thirteenth_salary(ANA, "2025", br.ThirteenthInputs("1.00", 1, date(2025, 12, 1)))  # type: ignore[arg-type]
    january = br.thirteenth_advance(ANA, 2025, salary="3000.00", payment_date=date(2025, 1, 20))
    assert [f.code for f in january.findings] == ["BR.thirteenth_advance_early"]


def test_year_to_date_equality_sees_the_totals() -> None:
    one = YearToDate.of([monthly(1, "100.00")])
    other = YearToDate.of([monthly(1, "0")])
    assert one != other
