"""From a net pay to the gross that gives it, respecting every rounding.

Net pay is a step function of the gross: each line is rounded to the cent, and some
rules have thresholds (a tax not withheld below R$ 10.00...), so a net may be reached by
several grosses, by one, or by none. :func:`gross_for_net` searches the gross cent by
cent through the country pack itself -- the same lines, roundings and parameters as the
payslip -- and answers with the smallest gross whose payslip has exactly the net asked
for, or tells that none has, with the grosses just below and above.

>>> from datetime import date
>>> from backoffice import Money
>>> from backoffice.core.time import Period
>>> from backoffice.payroll import br
>>> def payslip(gross):
...     return br.calculate(br.Employee("000"), Period.month(2025, 6),
...                         br.BrazilInputs(gross, date(2025, 7, 5)))
>>> found = gross_for_net(payslip, Money("2500.00", "BRL"))
>>> found.gross, payslip(found.gross).net
(Money('2722.23', 'BRL'), Money('2500.00', 'BRL'))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import attrs

from backoffice.core.money import Money
from backoffice.errors import InvalidType, InvalidValue
from backoffice.payroll.payslip import Payslip

__all__ = ["NetSolution", "gross_for_net"]

#: How far below and above the first gross reaching the net the search looks, in minor
#: units: nets are a step function whose steps may go back down by a few cents (separate
#: roundings) or by a threshold (R$ 10.00 at most in the packs: see their notes).
_BEFORE: Final = 1_200
_AFTER: Final = 300


@attrs.frozen(slots=True, repr=False)
class NetSolution:
    """The answer of :func:`gross_for_net`."""

    target: Money
    """The net asked for."""
    gross: Money | None
    """The smallest gross whose payslip's net is exactly :attr:`target`; ``None`` when
    no gross gives it."""
    below: Money | None
    """When none does: the largest gross whose net is under the target."""
    above: Money | None
    """When none does: the smallest gross whose net is over the target."""

    @property
    def exact(self) -> bool:
        return self.gross is not None

    def __repr__(self) -> str:
        return f"NetSolution(exact={self.exact}, target=***, gross=***)"


def gross_for_net(
    payslip: Callable[[Money], Payslip],
    net: Money,
    *,
    maximum: Money | None = None,
) -> NetSolution:
    """The gross that ``payslip`` (a country pack's calculation for one employee and
    month, as a function of the gross) turns into the net ``net``.

    The search brackets the net with a doubling gross, finds a first gross reaching it
    by bisection over cents, then looks at every gross from 12.00 below it to 3.00 above
    it, since a net may step back down when the gross rises (by a threshold of at most
    10.00 in the packs). It costs about 1,500 payslips.

    Raises:
        InvalidType: ``net`` is not Money.
        InvalidValue: ``net`` is negative, or not reached below ``maximum`` (by default
            a thousand times the net).
    """
    if not isinstance(net, Money):
        raise InvalidType(
            field="net", expected='a Money, e.g. Money("2500.00", "EUR")', got=repr(net)
        )
    if net.is_negative():
        raise InvalidValue(field="net", reason=f"must not be negative, got {net}")
    currency = net.currency
    if maximum is not None and (not isinstance(maximum, Money) or maximum.currency is not currency):
        raise InvalidType(
            field="maximum", expected=f"a Money in {currency.code}", got=repr(maximum)
        )
    ceiling = maximum if maximum is not None else net * 1000
    cents = ceiling.minor_units()

    def net_of(minor: int) -> Money:
        return payslip(Money.from_minor_units(minor, currency)).net

    high = max(net.minor_units(), 1)
    while net_of(high) < net:
        if high >= cents:
            raise InvalidValue(
                field="net", reason=f"no gross up to {ceiling} gives a net of {net} or more"
            )
        high = min(high * 2, cents)
    low = 0
    while low < high:  # the first gross whose net reaches the target (nets mostly rise)
        middle = (low + high) // 2
        if net_of(middle) < net:
            low = middle + 1
        else:
            high = middle
    start = max(0, low - _BEFORE)
    exact = [minor for minor in range(start, low + _AFTER) if net_of(minor) == net]
    if exact:
        return NetSolution(net, Money.from_minor_units(min(exact), currency), None, None)
    below = low - 1 if low > 0 else None
    return NetSolution(
        net,
        None,
        None if below is None else Money.from_minor_units(below, currency),
        Money.from_minor_units(low, currency),
    )
