"""Corrections: an issued payslip is never edited; the differences go on a later one."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backoffice.core.money import Money, Rate
from backoffice.core.time import Period
from backoffice.errors import InvalidType, InvalidValue
from backoffice.payroll import PayItem, Payslip, Side, arrears, br, fr, with_arrears

AT_MP = Rate.percent("1.5")
LEA = fr.Employee("FR-1", headcount=20)


def france(gross: str, month: int, *, employee: fr.Employee = LEA) -> Payslip:
    return fr.calculate(employee, Period.month(2026, month), fr.FranceInputs(gross, AT_MP))


def test_a_late_rise_goes_on_a_later_payslip() -> None:
    march = france("3000.00", 3)
    corrected = france("3200.00", 3)
    may = france("3200.00", 5)
    fixed = with_arrears(may, march, corrected)
    codes = [line.code for line in fixed.lines]
    # the month's gross printed first, then the arrears of gross pay, then the months' lines
    assert codes[:2] == ["gross.month", "arrears.2026-03.gross"]
    assert fixed.line("arrears.2026-03.gross").amount == Money("200.00", "EUR")
    assert fixed.gross == Money("3400.00", "EUR")
    # each contribution's difference, coded with the month corrected, on its side
    csg = fixed.line("arrears.2026-03.csg.deductible")
    assert (
        csg.amount == corrected.line("csg.deductible").amount - march.line("csg.deductible").amount
    )
    assert csg.side is Side.EMPLOYEE and csg.rate == march.line("csg.deductible").rate
    assert "of 2026-03" in csg.explanation[0]
    # the totals stay the sums of the printed lines, and add the differences
    assert fixed.net == may.net + (corrected.net - march.net)
    assert fixed.employer_cost == may.employer_cost + (
        corrected.employer_cost - march.employer_cost
    )
    # the original is untouched, the fingerprint covers both calculations
    assert march == france("3000.00", 3)
    assert fixed.fingerprint not in (may.fingerprint, march.fingerprint, corrected.fingerprint)


def test_a_line_that_appears_or_disappears() -> None:
    # over 1 PSS (4005.00) the T2 and CET lines appear
    march = france("4000.00", 3)
    corrected = france("4100.00", 3)
    lines = {line.code: line for line in arrears(march, corrected)}
    assert lines["arrears.2026-03.cet.employee"].amount == corrected.line("cet.employee").amount
    assert lines["arrears.2026-03.agirc_arrco.t2.employee"].base == Money("95.00", "EUR")
    back = {line.code: line for line in arrears(corrected, march)}
    assert back["arrears.2026-03.cet.employee"].amount == -corrected.line("cet.employee").amount
    assert back["arrears.2026-03.gross"].amount == Money("-100.00", "EUR")


def test_no_difference_no_line() -> None:
    march = france("3000.00", 3)
    may = france("3000.00", 5)
    assert arrears(march, france("3000.00", 3)) == ()
    assert with_arrears(may, march, france("3000.00", 3)) is may


def test_net_lines_and_earning_lines_are_carried() -> None:
    employee = fr.Employee("FR-1", headcount=20)
    march = france("3000.00", 3)
    corrected = fr.calculate(
        employee,
        Period.month(2026, 3),
        fr.FranceInputs(
            "3000.00", AT_MP, items=(PayItem(fr.EXPENSE_REFUND, Money("80.00", "EUR")),)
        ),
    )
    may = fr.calculate(
        employee,
        Period.month(2026, 5),
        fr.FranceInputs("3000.00", AT_MP, items=(PayItem(fr.BONUS, Money("50.00", "EUR")),)),
    )
    fixed = with_arrears(may, march, corrected)
    assert fixed.line("arrears.2026-03.remboursement_frais").amount == Money("80.00", "EUR")
    assert fixed.net_paid == may.net_paid + Money("80.00", "EUR")
    assert fixed.gross == may.gross  # no gross difference: no earning line added


def test_brazil_arrears() -> None:
    employee = br.Employee("BR-1")
    march = br.calculate(
        employee, Period.month(2026, 3), br.BrazilInputs("3000.00", date(2026, 4, 5))
    )
    corrected = br.calculate(
        employee, Period.month(2026, 3), br.BrazilInputs("3300.00", date(2026, 4, 5))
    )
    may = br.calculate(
        employee, Period.month(2026, 5), br.BrazilInputs("3300.00", date(2026, 6, 5))
    )
    fixed = with_arrears(may, march, corrected)
    assert fixed.line("arrears.2026-03.INSS").amount == (
        corrected.line("INSS").amount - march.line("INSS").amount
    )
    assert fixed.line("arrears.2026-03.FGTS").amount == Money("24.00", "BRL")  # 8 % of 300


def test_bad_corrections() -> None:
    march = france("3000.00", 3)
    with pytest.raises(InvalidValue, match=r"corrected\.period"):
        arrears(march, france("3000.00", 4))
    with pytest.raises(InvalidValue, match=r"corrected\.employee_id"):
        arrears(march, france("3000.00", 3, employee=fr.Employee("FR-2", headcount=20)))
    with pytest.raises(InvalidValue, match=r"payslip\.period"):
        with_arrears(france("3000.00", 3), march, france("3100.00", 3))
    with pytest.raises(InvalidValue, match=r"payslip\.period"):
        with_arrears(france("3000.00", 2), march, france("3100.00", 3))
    with pytest.raises(InvalidValue, match=r"payslip\.employee_id"):
        with_arrears(
            france("3000.00", 5, employee=fr.Employee("FR-2", headcount=20)),
            march,
            france("3100.00", 3),
        )
    with pytest.raises(InvalidType):
        arrears(march, "x")  # type: ignore[arg-type]
    brl = br.calculate(
        br.Employee("FR-1"), Period.month(2026, 3), br.BrazilInputs("3000.00", date(2026, 4, 5))
    )
    with pytest.raises(InvalidValue, match="currency"):
        arrears(march, brl)


@settings(max_examples=60, deadline=None)
@given(
    before=st.integers(min_value=150_000, max_value=2_000_000),
    after=st.integers(min_value=150_000, max_value=2_000_000),
    later=st.integers(min_value=150_000, max_value=2_000_000),
)
def test_arrears_add_exactly_the_differences(before: int, after: int, later: int) -> None:
    def eur(cents: int) -> str:
        return f"{cents // 100}.{cents % 100:02d}"

    march, corrected, may = france(eur(before), 3), france(eur(after), 3), france(eur(later), 5)
    fixed = with_arrears(may, march, corrected)
    assert fixed.gross == may.gross + corrected.gross - march.gross
    assert (
        fixed.employee_total == may.employee_total + corrected.employee_total - march.employee_total
    )
    assert (
        fixed.employer_total == may.employer_total + corrected.employer_total - march.employer_total
    )


def test_an_arrears_line_shows_a_rate_only_when_both_used_it() -> None:
    # June 2025: the reduced maladie rate (7 %) up to 2.25 SMIC (4054.05), 13 % above
    employee = fr.Employee("FR-1", headcount=20)
    june = fr.calculate(employee, Period.month(2025, 6), fr.FranceInputs("4000.00", AT_MP))
    right = fr.calculate(employee, Period.month(2025, 6), fr.FranceInputs("4100.00", AT_MP))
    lines = {line.code: line for line in arrears(june, right)}
    assert lines["arrears.2025-06.maladie.employer"].rate is None
    assert lines["arrears.2025-06.csa.employer"].rate == june.line("csa.employer").rate
