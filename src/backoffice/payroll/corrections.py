"""Corrections of an issued payslip: arrears on a later payslip, never an edit.

An issued payslip does not change. When its figures were wrong (a rise granted late, hours
forgotten), the payslip of the same month is calculated again with the right inputs --
by the same pack, so with the parameters of the month worked -- and the differences,
line by line, are printed on a later payslip: :func:`with_arrears` adds to it an earning
line for the difference of gross pay and one line per contribution that changed, each
coded ``arrears.<YYYY-MM>.<code>`` and explained. An arrears line's amount is the
difference of the two printed amounts; its base is the difference of the bases, and it
shows a rate only when both calculations used the same one (the rounding of each can
still make base × rate differ from the amount by a cent). The later payslip's totals stay the
sums of its printed lines, and its fingerprint covers the two calculations it
compared.

Not covered: a country whose rules attach the arrears to the month they are paid in
(the income tax of Brazil follows the payment date: the differences here are those of
the month worked).
"""

from __future__ import annotations

import hashlib

from backoffice.core.money import Money
from backoffice.errors import InvalidType, InvalidValue
from backoffice.payroll.payslip import PayLine, Payslip, Side

__all__ = ["arrears", "with_arrears"]

_GIVEN = "none (a difference of two calculations)"
_ARREARS_LABEL = {
    "en": "Arrears of gross pay",
    "fr": "Rappel de salaire",
    "pt_BR": "Diferenças salariais",
}


def _check(original: object, corrected: object) -> tuple[Payslip, Payslip]:
    for field, value in (("original", original), ("corrected", corrected)):
        if not isinstance(value, Payslip):
            raise InvalidType(field=field, expected="a Payslip", got=repr(value))
    assert isinstance(original, Payslip) and isinstance(corrected, Payslip)
    if corrected.employee_id != original.employee_id:
        raise InvalidValue(
            field="corrected.employee_id",
            reason="corrects another employee's payslip: correct the same employee",
        )
    if corrected.period != original.period:
        raise InvalidValue(
            field="corrected.period",
            reason=f"is {corrected.period}, the original {original.period}: recalculate the "
            "same month worked",
        )
    if corrected.gross.currency != original.gross.currency:
        raise InvalidValue(field="corrected.gross", reason="is in another currency")
    return original, corrected


def _lines(payslip: Payslip) -> dict[tuple[str, Side], PayLine]:
    return {(line.code, line.side): line for line in payslip.lines if line.side is not Side.EARNING}


def arrears(original: Payslip, corrected: Payslip) -> tuple[PayLine, ...]:
    """The lines that correct ``original`` into ``corrected`` (same employee and month):
    an earning line for the difference of gross pay, then, for each other line whose
    amount changed (or that appears or disappears: contributions, amounts added to or
    taken from the net), its difference on the same side.
    Nothing when the two agree.

    Raises:
        InvalidType: not two payslips.
        InvalidValue: another employee, month or currency.
    """
    original, corrected = _check(original, corrected)
    month = f"{original.period.start:%Y-%m}"
    currency = original.gross.currency.code
    zero = Money.zero(currency)
    lines: list[PayLine] = []
    difference = corrected.gross - original.gross
    if difference:
        lines.append(
            PayLine(
                f"arrears.{month}.gross",
                _ARREARS_LABEL,
                difference,
                None,
                difference,
                Side.EARNING,
                _GIVEN,
                "period_worked",
                explanation=(
                    f"gross of {month}: {corrected.gross.amount} instead of "
                    f"{original.gross.amount}",
                ),
            )
        )
    before, after = _lines(original), _lines(corrected)
    for key in [*after, *(key for key in before if key not in after)]:
        old, new = before.get(key), after.get(key)
        change = (new.amount if new else zero) - (old.amount if old else zero)
        if not change:
            continue
        model = new or old
        assert model is not None
        lines.append(
            PayLine(
                f"arrears.{month}.{model.code}",
                model.label,
                (new.base if new else zero) - (old.base if old else zero),
                model.rate if old is None or new is None or old.rate == new.rate else None,
                change,
                model.side,
                _GIVEN,
                model.axis,
                tuple(sorted({*(old.parameters if old else ()), *(new.parameters if new else ())})),
                (
                    f"{model.code} of {month}: {(new.amount if new else zero).amount} instead of "
                    f"{(old.amount if old else zero).amount}",
                ),
            )
        )
    return tuple(lines)


def with_arrears(payslip: Payslip, original: Payslip, corrected: Payslip) -> Payslip:
    """``payslip`` (a later month of the same employee) with the :func:`arrears` that
    correct ``original`` into ``corrected``.

    When arrears of gross pay are added and ``payslip`` prints no earning line, the
    month's own gross is printed first as an earning line, so that the earning lines
    still add up to the new gross.

    Raises:
        InvalidValue: ``payslip`` is of another employee or currency, or not later than
            the month corrected.
    """
    if not isinstance(payslip, Payslip):
        raise InvalidType(field="payslip", expected="a Payslip", got=repr(payslip))
    original, corrected = _check(original, corrected)
    if payslip.employee_id != original.employee_id:
        raise InvalidValue(
            field="payslip.employee_id", reason="is another employee's: add arrears to theirs"
        )
    if payslip.period.start <= original.period.start:
        raise InvalidValue(
            field="payslip.period",
            reason=f"arrears of {original.period} go on a later month, not {payslip.period}",
        )
    if payslip.gross.currency != original.gross.currency:
        raise InvalidValue(field="payslip.gross", reason="is in another currency")
    extra = arrears(original, corrected)
    if not extra:
        return payslip
    gross_change = sum(
        (line.amount for line in extra if line.side is Side.EARNING),
        Money.zero(payslip.gross.currency.code),
    )
    lines = list(payslip.lines)
    if gross_change and not any(line.side is Side.EARNING for line in lines):
        lines.insert(
            0,
            PayLine(
                "gross.month",
                {
                    "en": "Gross pay of the month",
                    "fr": "Salaire brut du mois",
                    "pt_BR": "Salário bruto do mês",
                },
                payslip.gross,
                None,
                payslip.gross,
                Side.EARNING,
                "none (an amount given)",
                "period_worked",
            ),
        )
    earnings = [line for line in extra if line.side is Side.EARNING]
    others = [line for line in extra if line.side is not Side.EARNING]
    position = max((i + 1 for i, line in enumerate(lines) if line.side is Side.EARNING), default=0)
    lines[position:position] = earnings
    lines.extend(others)
    digest = hashlib.sha256(
        f"{payslip.fingerprint}:{original.fingerprint}:{corrected.fingerprint}".encode("ascii")
    ).hexdigest()
    return Payslip(
        employee_id=payslip.employee_id,
        period=payslip.period,
        payment_date=payslip.payment_date,
        gross=payslip.gross + gross_change,
        lines=tuple(lines),
        findings=payslip.findings,
        fingerprint=digest,
    )
