"""The Brazil pack: INSS, IRRF and FGTS of a CLT employee in 2025 and 2026.

Worked examples are computed by hand in the comments (exact products, then rounded
half up to the centavo).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice.core.money import Money
from backoffice.core.time import Period
from backoffice.errors import FloatNotAllowed, InvalidType, InvalidValue, ValidationError
from backoffice.payroll import DateAxis, ParameterRef, Payslip, ScaleRounding, Side, br

CPF = "390.533.447-05"
EMPLOYEE = br.Employee(CPF)


def brl(amount: str) -> Money:
    return Money(amount, "BRL")


def slip(
    gross: str,
    month: tuple[int, int],
    paid: date,
    *,
    dependants: int = 0,
    alimony: str = "0",
    full_month: bool = True,
    inss_rounding: ScaleRounding | None = None,
) -> Payslip:
    return br.calculate(
        br.Employee(CPF, dependants=dependants),
        Period.month(*month),
        br.BrazilInputs(gross, paid, alimony=brl(alimony), full_month=full_month),
        inss_rounding=inss_rounding,
    )


def amount(payslip: Payslip, code: str) -> str:
    return str(payslip.line(code).amount.amount)


def assert_adds_up(payslip: Payslip) -> None:
    employee = [line.amount for line in payslip.lines if line.side is Side.EMPLOYEE]
    employer = [line.amount for line in payslip.lines if line.side is Side.EMPLOYER]
    assert payslip.employee_total == Money.total(employee, "BRL")
    assert payslip.employer_total == Money.total(employer, "BRL")
    assert payslip.net == payslip.gross - payslip.line("INSS").amount - payslip.line("IRRF").amount
    assert payslip.employer_cost == payslip.gross + payslip.line("FGTS").amount
    assert [line.code for line in payslip.lines] == ["INSS", "IRRF", "FGTS"]


# -- INSS -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gross", "expected"),
    [
        ("1000.00", "75.00"),  # 1000 × 7.5 %
        ("1518.00", "113.85"),  # 1518 × 7.5 %, the limit belongs to the first bracket
        ("1518.01", "113.85"),  # 113.85 + 0.01 × 9 % = 113.8509
        ("2793.88", "228.68"),  # 113.85 + 1275.88 × 9 % (114.8292) = 228.6792
        ("3000.00", "253.41"),  # 228.6792 + 206.12 × 12 % (24.7344) = 253.4136
        ("4190.83", "396.31"),  # 228.6792 + 1396.95 × 12 % (167.634) = 396.3132
        ("5000.00", "509.60"),  # 396.3132 + 809.17 × 14 % (113.2838) = 509.597
        ("8157.41", "951.63"),  # 396.3132 + 3966.58 × 14 % (555.3212) = 951.6344
        ("20000.00", "951.63"),  # the ceiling
    ],
)
def test_inss_2025(gross: str, expected: str) -> None:
    assert amount(slip(gross, (2025, 6), date(2025, 7, 5)), "INSS") == expected


@pytest.mark.parametrize(
    ("gross", "expected"),
    [
        ("1621.00", "121.58"),  # 1621 × 7.5 % = 121.575, half up
        ("2902.84", "236.94"),  # 121.575 + 1281.84 × 9 % (115.3656) = 236.9406
        ("4354.27", "411.11"),  # 236.9406 + 1451.43 × 12 % (174.1716) = 411.1122
        ("5000.00", "501.51"),  # 411.1122 + 645.73 × 14 % (90.4022) = 501.5144
        ("8475.55", "988.09"),  # 411.1122 + 4121.28 × 14 % (576.9792) = 988.0914
        ("9000.00", "988.09"),
    ],
)
def test_inss_2026(gross: str, expected: str) -> None:
    assert amount(slip(gross, (2026, 3), date(2026, 4, 5)), "INSS") == expected


def test_inss_rounding_is_a_named_setting() -> None:
    # per bracket: 121.58 + 115.37 + 174.17 + 576.98 = 988.10; once: 988.0914 → 988.09
    once = slip("8475.55", (2026, 3), date(2026, 3, 31))
    each = slip("8475.55", (2026, 3), date(2026, 3, 31), inss_rounding=ScaleRounding.PER_BRACKET)
    assert amount(once, "INSS") == "988.09"
    assert amount(each, "INSS") == "988.10"
    assert once.line("INSS").rounding == "HALF_UP, sum_once"
    assert each.line("INSS").rounding == "HALF_UP, per_bracket"
    assert once.fingerprint != each.fingerprint


INSS_EDGES = [((2025, 6), edge) for edge in ("1518.00", "2793.88", "4190.83", "8157.41")] + [
    ((2026, 6), edge) for edge in ("1621.00", "2902.84", "4354.27", "8475.55")
]


@pytest.mark.parametrize(("month", "edge"), INSS_EDGES)
def test_no_jump_at_an_inss_bracket_edge(month: tuple[int, int], edge: str) -> None:
    paid = date(month[0], month[1], 28)
    cent = brl("0.01")
    before, at, after = (
        slip(str(value.amount), month, paid).line("INSS").amount
        for value in (brl(edge) - cent, brl(edge), brl(edge) + cent)
    )
    # at most 14 % of one centavo each side: one centavo of rounding
    assert brl("0") <= at - before <= cent
    assert brl("0") <= after - at <= cent


# -- IRRF: the table of the month of payment --------------------------------------------


def test_january_2025_table() -> None:
    # INSS 253.41. Legal base 3000 − 253.41 = 2746.59: 7.5 % → 205.99425 − 169.44 = 36.55.
    # Simplified base 3000 − 564.80 = 2435.20: 182.64 − 169.44 = 13.20. The lower: 13.20.
    payslip = slip("3000.00", (2025, 1), date(2025, 1, 31))
    assert amount(payslip, "IRRF") == "13.20"
    assert payslip.line("IRRF").base == brl("2435.20")
    assert payslip.net == brl("2733.39")  # 3000 − 253.41 − 13.20
    assert_adds_up(payslip)


def test_june_2025_table() -> None:
    # Legal base 2746.59: 205.99425 − 182.16 = 23.83. Simplified 3000 − 607.20 = 2392.80,
    # exempt (≤ 2428.80): 0.00. The lower: nothing withheld.
    payslip = slip("3000.00", (2025, 6), date(2025, 6, 30))
    assert amount(payslip, "IRRF") == "0.00"
    assert payslip.net == brl("2746.59")
    assert any("simplified" in text for text in payslip.line("IRRF").explanation)


def test_irrf_follows_the_payment_month_inss_the_month_worked() -> None:
    # April worked, paid 5 May 2025: the May table (as in June above), the 2025 INSS.
    may = slip("3000.00", (2025, 4), date(2025, 5, 5))
    april = slip("3000.00", (2025, 4), date(2025, 4, 30))
    assert amount(may, "IRRF") == "0.00"
    assert amount(april, "IRRF") == "13.20"
    assert may.line("IRRF").axis is DateAxis.PAYMENT_DATE
    assert may.line("INSS").axis is DateAxis.PERIOD_WORKED
    assert may.line("FGTS").axis is DateAxis.PERIOD_WORKED
    assert ParameterRef("BR.IRRF.monthly_table", date(2025, 5, 1)) in may.parameters
    assert ParameterRef("BR.IRRF.monthly_table", date(2024, 2, 1)) in april.parameters


def test_december_2025_paid_in_january_2026() -> None:
    # INSS 2025 on 6000: 396.3132 + 1809.17 × 14 % (253.2838) = 649.597 → 649.60.
    # Legal base 5350.40: 27.5 % → 1471.36 − 908.73 = 562.63; simplified 5392.80 → 574.29.
    # Paid in December: 562.63. Paid in January 2026, the reduction applies:
    # 978.62 − 6000 × 0.133145 (798.87) = 179.75 → 562.63 − 179.75 = 382.88.
    december = slip("6000.00", (2025, 12), date(2025, 12, 30))
    january = slip("6000.00", (2025, 12), date(2026, 1, 5))
    assert amount(december, "INSS") == amount(january, "INSS") == "649.60"
    assert amount(december, "IRRF") == "562.63"
    assert amount(january, "IRRF") == "382.88"
    assert ParameterRef("BR.INSS.employee_scale", date(2025, 1, 1)) in january.parameters


def test_dependants_mid_bracket() -> None:
    # June 2025, 5000, 2 dependants: INSS 509.60; legal base 5000 − 509.60 − 2 × 189.59
    # = 4111.22: 22.5 % → 925.0245 − 675.49 = 249.5345 → 249.53; simplified 4392.80:
    # 988.38 − 675.49 = 312.89. Legal is lower.
    payslip = slip("5000.00", (2025, 6), date(2025, 6, 30), dependants=2)
    assert amount(payslip, "IRRF") == "249.53"
    assert payslip.line("IRRF").base == brl("4111.22")
    assert payslip.net == brl("4240.87")  # 5000 − 509.60 − 249.53
    assert payslip.employer_cost == brl("5400.00")  # FGTS 8 % = 400.00
    assert_adds_up(payslip)
    # without dependants the simplified discount wins: legal 4490.40 → 334.85 > 312.89
    assert amount(slip("5000.00", (2025, 6), date(2025, 6, 30)), "IRRF") == "312.89"


def test_alimony_reduces_the_legal_base() -> None:
    # legal base 5000 − 509.60 − 1000 = 3490.40: 15 % → 523.56 − 394.16 = 129.40
    payslip = slip("5000.00", (2025, 6), date(2025, 6, 30), alimony="1000.00")
    assert amount(payslip, "IRRF") == "129.40"


def test_top_bracket_2025() -> None:
    # 10000, January 2025, 1 dependant: legal base 10000 − 951.63 − 189.59 = 8858.78:
    # 27.5 % → 2436.1645 − 896.00 = 1540.1645 → 1540.16 (simplified 9435.20 → 1698.68)
    payslip = br.calculate(
        br.Employee(CPF, dependants=1),
        Period.month(2025, 1),
        br.BrazilInputs(brl("10000.00"), date(2025, 2, 5)),
    )
    assert amount(payslip, "IRRF") == "1540.16"
    assert payslip.net == brl("7508.21")


def test_ten_reais_threshold() -> None:
    # June 2025: the simplified tax is (gross − 607.20) × 7.5 % − 182.16 (legal is higher).
    # 3169.39: base 2562.19 → 192.16425 − 182.16 = 10.00425 → 10.00: not withheld.
    # 3169.40: base 2562.20 → 192.165 − 182.16 = 10.005 → 10.01: withheld.
    # INSS 273.74 both (228.6792 + 375.51 or 375.52 × 12 %).
    below = slip("3169.39", (2025, 6), date(2025, 6, 30))
    above = slip("3169.40", (2025, 6), date(2025, 6, 30))
    assert amount(below, "IRRF") == "0.00"
    assert any("not withheld" in text for text in below.line("IRRF").explanation)
    assert amount(above, "IRRF") == "10.01"
    # the documented drop: one more centavo of gross, 10.00 less net
    assert below.net == brl("2895.65")
    assert above.net == brl("2885.65")
    # and a small tax (5.00 at 3102.67) is not withheld either
    assert amount(slip("3102.67", (2025, 6), date(2025, 6, 30)), "IRRF") == "0.00"


# -- IRRF 2026: the reduction of Lei nº 15.270/2025 -----------------------------------------


def test_2026_up_to_5000_no_tax() -> None:
    # INSS 501.51; legal 4498.49 → 336.67; simplified 4392.80 → 312.89; reduction 312.89.
    payslip = slip("5000.00", (2026, 1), date(2026, 2, 5))
    assert amount(payslip, "IRRF") == "0.00"
    assert payslip.net == brl("4498.49")
    # 5000.01: 978.62 − 665.72633 (665.73) = 312.89, the whole tax 312.89225 (312.89)
    assert amount(slip("5000.01", (2026, 1), date(2026, 2, 5)), "IRRF") == "0.00"


def test_2026_phase_out() -> None:
    # 6000, 1 dependant: INSS 641.51 (411.1122 + 1645.73 × 14 % = 641.5144);
    # legal 6000 − 641.51 − 189.59 = 5168.90 → 1421.4475 − 908.73 = 512.72;
    # reduction 978.62 − 798.87 = 179.75 → 332.97
    payslip = slip("6000.00", (2026, 1), date(2026, 2, 5), dependants=1)
    assert amount(payslip, "IRRF") == "332.97"
    assert payslip.net == brl("5025.52")
    assert_adds_up(payslip)


def test_2026_end_of_phase_out() -> None:
    # 7350: INSS 411.1122 + 2995.73 × 14 % (419.4022) = 830.5144 → 830.51; legal
    # 6519.49 → 1792.85975 − 908.73 = 884.13; reduction 978.62 − 978.61575 (978.62) = 0
    assert amount(slip("7350.00", (2026, 1), date(2026, 2, 5)), "IRRF") == "884.13"
    # 7350.01: no reduction; INSS 830.52, legal 6519.49 → 884.13
    assert amount(slip("7350.01", (2026, 1), date(2026, 2, 5)), "IRRF") == "884.13"


# -- FGTS, minimum wage, the payslip -------------------------------------------------------


def test_fgts_is_employer_side_and_not_deducted() -> None:
    payslip = slip("2500.55", (2025, 6), date(2025, 6, 30))
    fgts = payslip.line("FGTS")
    assert fgts.side is Side.EMPLOYER
    assert fgts.amount == brl("200.04")  # 200.044
    assert payslip.net == payslip.gross - payslip.employee_total
    assert payslip.employer_cost == brl("2700.59")


def test_minimum_wage_finding() -> None:
    low = slip("1500.00", (2025, 6), date(2025, 6, 30))
    assert [finding.code for finding in low.findings] == ["BR.below_minimum_wage"]
    assert slip("1518.00", (2025, 6), date(2025, 6, 30)).findings == ()
    assert slip("1600.00", (2026, 6), date(2026, 6, 30)).findings != ()
    assert slip("1500.00", (2025, 6), date(2025, 6, 30), full_month=False).findings == ()


def test_labels_are_localized() -> None:
    line = slip("3000.00", (2025, 6), date(2025, 6, 30)).line("IRRF")
    assert line.label_in("pt_BR") == "IRRF"
    assert line.label_in("fr_FR").startswith("Impôt")
    assert line.label_in("de") == "Income tax withheld (IRRF)"


def test_personal_data_is_masked_in_repr() -> None:
    payslip = slip("3456.78", (2025, 6), date(2025, 6, 30))
    texts = [
        repr(payslip),
        repr(br.Employee(CPF)),
        repr(br.BrazilInputs("3456.78", date(2025, 6, 30))),
    ]
    texts += [repr(line) for line in payslip.lines]
    for text in texts:
        assert "3456" not in text
        assert "390.533" not in text
    assert "***.***.***-05" in repr(payslip)


def test_fingerprint_reproduces() -> None:
    first = slip("3000.00", (2025, 6), date(2025, 6, 30))
    again = slip("3000.00", (2025, 6), date(2025, 6, 30))
    assert first.fingerprint == again.fingerprint
    assert len(first.fingerprint) == 64
    assert first.fingerprint != slip("3000.01", (2025, 6), date(2025, 6, 30)).fingerprint
    assert first.fingerprint != slip("3000.00", (2025, 6), date(2025, 7, 1)).fingerprint
    assert (
        first.fingerprint != slip("3000.00", (2025, 6), date(2025, 6, 30), dependants=1).fingerprint
    )


def test_pay_run() -> None:
    run = [
        (br.Employee("A-1"), br.BrazilInputs(brl("3000.00"), date(2025, 6, 30))),
        (br.Employee("A-2", dependants=2), br.BrazilInputs(brl("5000.00"), date(2025, 6, 30))),
    ]
    payslips = br.calculate_many(run, Period.month(2025, 6))
    assert [p.net for p in payslips] == [brl("2746.59"), brl("4240.87")]
    bad = [*run, (br.Employee("A-3"), br.BrazilInputs(brl("3000.00"), date(2027, 1, 5)))]
    with pytest.raises(ValidationError) as caught:
        br.calculate_many(bad, Period.month(2025, 6))
    assert [problem.path for problem in caught.value.problems] == ["2"]


# -- bad input and parameter validity -----------------------------------------------------


def test_float_amounts_are_refused() -> None:
    with pytest.raises(FloatNotAllowed):
        br.BrazilInputs(3000.0, date(2025, 6, 30))
    with pytest.raises(FloatNotAllowed):
        br.BrazilInputs("3000", date(2025, 6, 30), alimony=10.5)


def test_bad_inputs() -> None:
    with pytest.raises(InvalidValue, match="negative"):
        br.BrazilInputs("-1.00", date(2025, 6, 30))
    with pytest.raises(InvalidValue, match="BRL"):
        br.BrazilInputs(Money("3000", "EUR"), date(2025, 6, 30))
    with pytest.raises(InvalidType):
        br.BrazilInputs("3000", datetime(2025, 6, 30, tzinfo=UTC))
    with pytest.raises(InvalidValue):
        br.Employee(CPF, dependants=-1)
    with pytest.raises(InvalidType):
        br.Employee("")
    inputs = br.BrazilInputs("3000", date(2025, 6, 30))
    with pytest.raises(InvalidValue, match="calendar month"):
        br.calculate(EMPLOYEE, Period.range(date(2025, 6, 1), date(2025, 6, 15)), inputs)
    with pytest.raises(InvalidType):
        br.calculate(EMPLOYEE, date(2025, 6, 1), inputs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("month", "paid"),
    [
        ((2024, 12), date(2025, 1, 5)),  # no 2024 INSS: never the 2025 scale instead
        ((2026, 12), date(2027, 1, 5)),  # no 2027 IRRF table
        ((2027, 1), date(2027, 1, 31)),
    ],
)
def test_a_period_without_parameters_is_refused(month: tuple[int, int], paid: date) -> None:
    with pytest.raises(InvalidValue) as caught:
        br.calculate(EMPLOYEE, Period.month(*month), br.BrazilInputs("3000", paid))
    assert caught.value.details["field"] == "day"


def test_parameters_carry_their_sources() -> None:
    for parameter_set in br.PARAMETERS.values():
        for version in parameter_set:
            assert version.jurisdiction == "BR"
            assert version.source
            assert version.valid_until is not None  # nothing assumed past 2026
    inss_2026 = br.PARAMETERS["BR.INSS.employee_scale"].version_on(date(2026, 1, 1))
    assert "verify" in inss_2026.source
    assert "verify" in br.PARAMETERS["BR.IRRF.minimum_withholding"].versions[0].source
    wage = br.PARAMETERS["BR.minimum_wage"]
    assert wage.value_on(date(2025, 12, 31)) == brl("1518.00")
    assert wage.value_on(date(2026, 1, 1)) == brl("1621.00")
    with pytest.raises(InvalidValue):
        wage.value_on(date(2024, 12, 31))


# -- properties ----------------------------------------------------------------------------

DATES = st.sampled_from(
    [
        ((2025, 1), date(2025, 1, 31)),
        ((2025, 4), date(2025, 5, 5)),
        ((2025, 6), date(2025, 6, 30)),
        ((2025, 12), date(2026, 1, 5)),
        ((2026, 3), date(2026, 4, 5)),
        ((2026, 12), date(2026, 12, 20)),
    ]
)
CENTS = st.integers(min_value=0, max_value=3_000_000)


@given(CENTS, st.integers(min_value=0, max_value=6), DATES, st.sampled_from(list(ScaleRounding)))
def test_lines_add_up_to_the_totals(
    cents: int,
    dependants: int,
    when: tuple[tuple[int, int], date],
    rounding: ScaleRounding,
) -> None:
    gross = Money.from_minor_units(cents, "BRL")
    payslip = slip(
        str(gross.amount), when[0], when[1], dependants=dependants, inss_rounding=rounding
    )
    assert_adds_up(payslip)
    assert not payslip.line("IRRF").amount.is_negative()
    assert payslip.net <= payslip.gross <= payslip.employer_cost


def _waived(payslip: Payslip) -> bool:
    return any("not withheld" in text for text in payslip.line("IRRF").explanation)


@given(CENTS, st.integers(min_value=1, max_value=200_000), st.integers(0, 3), DATES)
def test_net_does_not_fall_when_gross_rises(
    cents: int, step: int, dependants: int, when: tuple[tuple[int, int], date]
) -> None:
    """Net pay never falls by more than three centavos of separate roundings (INSS,
    IRRF, the 2026 reduction), except at the R$ 10.00 threshold: a tax of 10.00 or less
    is not withheld, so crossing it costs up to 10.01 at once."""
    low = slip(str(Money.from_minor_units(cents, "BRL").amount), *when, dependants=dependants)
    high = slip(
        str(Money.from_minor_units(cents + step, "BRL").amount), *when, dependants=dependants
    )
    drop = low.net - high.net
    if _waived(low) and not _waived(high) and high.line("IRRF").amount.is_positive():
        assert drop <= brl("10.04")
    else:
        assert drop <= brl("0.03")


def test_the_employer_rates_add_the_employer_contributions() -> None:
    from backoffice.core.money import Rate

    rates = br.EmployerRates(
        rat=Rate.percent("2"), fap=Decimal("1.5"), third_parties=Rate.percent("5.8")
    )
    inputs = br.BrazilInputs(Money("4000.00", "BRL"), date(2025, 7, 5), employer=rates)
    slip = br.calculate(br.Employee("000"), Period.month(2025, 6), inputs)
    # CPP 20 % of 4000.00 = 800.00; RAT 2 % × 1.5 = 3 %: 120.00; third parties 5.8 %: 232.00
    assert [(line.code, line.amount) for line in slip.lines[3:]] == [
        ("CPP", Money("800.00", "BRL")),
        ("RAT", Money("120.00", "BRL")),
        ("TERCEIROS", Money("232.00", "BRL")),
    ]
    # FGTS 8 %: 320.00; employer cost 4000 + 320 + 800 + 120 + 232
    assert slip.employer_cost == Money("5472.00", "BRL")
    without = br.calculate(
        br.Employee("000"),
        Period.month(2025, 6),
        br.BrazilInputs(Money("4000.00", "BRL"), date(2025, 7, 5)),
    )
    assert slip.net == without.net and slip.fingerprint != without.fingerprint


@pytest.mark.parametrize(("rat", "fap"), [("4", "1"), ("2", "2.5"), ("2", "0.4")])
def test_employer_rates_outside_the_law_are_refused(rat: str, fap: str) -> None:
    from backoffice.core.money import Rate

    with pytest.raises(InvalidValue):
        br.EmployerRates(rat=Rate.percent(rat), fap=Decimal(fap), third_parties=Rate.percent("5.8"))
