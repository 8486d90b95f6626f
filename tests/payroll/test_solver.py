"""From a net pay to the gross, through the Brazil pack."""

from __future__ import annotations

from datetime import date

import pytest

from backoffice import Money
from backoffice.core.time import Period
from backoffice.errors import InvalidType, InvalidValue
from backoffice.payroll import Payslip, br
from backoffice.payroll.solver import gross_for_net


def june_2025(gross: Money) -> Payslip:
    return br.calculate(
        br.Employee("000"), Period.month(2025, 6), br.BrazilInputs(gross, date(2025, 7, 5))
    )


@pytest.mark.parametrize("net", ["1400.00", "2500.00", "4321.09", "9000.00"])
def test_the_gross_found_gives_exactly_the_net(net: str) -> None:
    found = gross_for_net(june_2025, Money(net, "BRL"))
    assert found.exact and found.gross is not None
    assert june_2025(found.gross).net == Money(net, "BRL")
    smaller = found.gross - Money("0.01", "BRL")
    assert june_2025(smaller).net != Money(net, "BRL")  # the smallest such gross


class _Doubled:
    """A payslip whose net is twice the gross: every odd number of cents is skipped."""

    def __init__(self, gross: Money) -> None:
        self.net = gross * 2


def test_a_net_no_gross_gives_is_told_with_its_neighbours() -> None:
    found = gross_for_net(_Doubled, Money("100.01", "BRL"))  # type: ignore[arg-type]
    assert not found.exact
    assert (found.below, found.above) == (Money("50.00", "BRL"), Money("50.01", "BRL"))
    assert gross_for_net(_Doubled, Money("100.02", "BRL")).gross == Money("50.01", "BRL")  # type: ignore[arg-type]


def test_bad_targets_are_refused() -> None:
    with pytest.raises(InvalidType):
        gross_for_net(june_2025, 2500.0)  # type: ignore[arg-type]
    with pytest.raises(InvalidValue):
        gross_for_net(june_2025, Money("-1.00", "BRL"))
    with pytest.raises(InvalidValue):
        gross_for_net(june_2025, Money("100.00", "BRL"), maximum=Money("50.00", "BRL"))
    with pytest.raises(InvalidType):
        gross_for_net(june_2025, Money("100.00", "BRL"), maximum=Money("50.00", "EUR"))
