"""Brazil: the monthly payslip of a CLT employee, 2025 and 2026.

``calculate(employee, period, inputs)`` gives a :class:`~backoffice.payroll.Payslip`
with three lines:

* ``INSS`` (employee): the social security contribution, progressive by bracket since
  EC nº 103/2019 -- each rate on the part of the salary in its bracket
  ``(lower, upper]`` -- up to the ceiling. Parameters of the **month worked**.
* ``IRRF`` (employee): income tax withheld, with the table of the **month of payment**
  (Lei nº 7.713/1988 art. 7: "regime de caixa"). The lower of two computations is
  withheld: the *legal* base (gross − INSS − R$ 189.59 per dependant − alimony − other
  legal deductions) and the *simplified* base (gross − the simplified monthly discount,
  which replaces all legal deductions). Tax = base × rate − deduction, rounded to the
  centavo (half up). From 2026 the reduction of Lei nº 15.270/2025 is subtracted from
  that tax. A tax of R$ 10.00 or less is not withheld.
* ``FGTS`` (employer): 8 % of the gross, paid by the employer on top (Lei nº 8.036/1990
  art. 15), not deducted. Parameters of the month worked.

Net = gross − INSS − IRRF; employer cost = gross + FGTS, and, when the company's rates
are given (:class:`EmployerRates`, outside Simples Nacional), its own contributions:
``CPP`` 20 % (Lei nº 8.212/1991 art. 22, I), ``RAT`` × FAP and ``TERCEIROS``. A gross
below the month's minimum wage for a full month gives a finding on the payslip, not an
error.

**Rounding.** INSS: the exact sum of the bracket shares rounded once to the centavo,
half up (:attr:`~backoffice.payroll.ScaleRounding.SUM_ONCE`), which is what the
published "parcela a deduzir" form of the table (base × marginal rate − deduction)
gives; pass ``inss_rounding=ScaleRounding.PER_BRACKET`` to round each bracket's share
instead (the two differ by at most a few centavos). IRRF, its 2026 reduction and FGTS:
rounded once, half up, to the centavo.

**Where net pay can go down when the gross goes up** (checked by the tests):

* the R$ 10.00 threshold: a tax of R$ 10.00 is not withheld, a tax of R$ 10.01 is, so
  one centavo more gross costs R$ 10.00 net (in 2026 this also happens just above
  R$ 5,000.00 gross, where the reduction stops cancelling the whole tax);
* separate roundings: INSS, IRRF and the 2026 reduction are each rounded, so one more
  centavo of gross can cost up to two or three centavos of deductions.

The 2026 reduction phase-out itself does not make net pay fall: between R$ 5,000.01 and
R$ 7,350.00 the tax grows by at most 27.5 % + 13.3145 % of each real of gross.

**Pay items** (:attr:`BrazilInputs.items`) declare the bases they feed (:data:`BASES`):
:data:`OVERTIME` and :data:`BONUS` are remuneration, in the INSS, FGTS and IRRF bases;
:data:`TRAVEL_ALLOWANCE` is in none and is added to the net paid. The monthly rules are a
graph (:data:`GRAPH`), checked when the module loads.

**Separate calculations**: the 13º salário (:func:`thirteenth_advance`, the first
instalment; :func:`thirteenth_salary`, the whole 13º settled in December, its variable
part from a :class:`~backoffice.payroll.YearToDate`) and vacation pay with its third
(:func:`vacation_pay`), each a payslip of its own with the same ``INSS``, ``IRRF`` and
``FGTS`` codes. Two of their rules rest on secondary sources and are marked in their
documentation: the simplified discount and the 2026 reduction applied to the 13º.

**Sources.** The figures are copied into :data:`PARAMETERS` with the text each comes
from; nothing is read at run time. Texts marked "verify" were not checked against the
Diário Oficial. A day that no version covers (a payment in 2027, work done in 2024)
raises :class:`~backoffice.errors.InvalidValue`: there is no fallback to another year.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Final

import attrs

from backoffice.core.money import Money, Rate
from backoffice.core.rounding import RoundingMode, RoundingPolicy
from backoffice.core.time import Period
from backoffice.errors import (
    FloatNotAllowed,
    InvalidType,
    InvalidValue,
)
from backoffice.invoicing.terms import _count, _day
from backoffice.payroll.graph import PayRule, RuleGraph
from backoffice.payroll.items import PayItem, PayItemKind, check_kinds, pack_items
from backoffice.payroll.parameters import Parameter, ParameterLookup, ParameterRef, ParameterSet
from backoffice.payroll.payslip import (
    DateAxis,
    Finding,
    PayLine,
    Payslip,
    Side,
    calendar_month,
    employee_key,
    fingerprint,
    member_of,
    pay_amount,
    pay_run,
)
from backoffice.payroll.scales import (
    Bracket,
    DeductionBracket,
    DeductionScale,
    MarginalScale,
    ScaleRounding,
    shares_text,
)
from backoffice.taxid.model import mask

__all__ = [
    "BASES",
    "BONUS",
    "GRAPH",
    "KINDS",
    "OVERTIME",
    "PARAMETERS",
    "TRAVEL_ALLOWANCE",
    "VARIABLE_KINDS",
    "BrazilInputs",
    "Employee",
    "EmployerRates",
    "IrrfReduction",
    "ThirteenthInputs",
    "VacationInputs",
    "calculate",
    "calculate_many",
    "thirteenth_advance",
    "thirteenth_amount",
    "thirteenth_salary",
    "vacation_pay",
]

CURRENCY: Final = "BRL"
JURISDICTION: Final = "BR"
CHECKED_ON: Final = date(2026, 11, 30)
"""The day these figures were last reviewed. They were not compared with the text in the
Diário Oficial on that day: the sources marked "verify" need it first."""
HALF_UP: Final = RoundingPolicy(RoundingMode.HALF_UP)
PACK_VERSION: Final = "br-2"


def _brl(amount: str) -> Money:
    return Money(amount, CURRENCY)


def _pct(value: str) -> Rate:
    return Rate.percent(value)


@attrs.frozen(slots=True)
class IrrfReduction:
    """The monthly IRRF reduction of Lei nº 15.270/2025, subtracted from the tax of the
    table.

    For a taxable income up to :attr:`full_until`, the reduction is up to
    :attr:`full_amount` (the tax becomes zero); up to :attr:`phase_out_until`, it is
    :attr:`constant` − :attr:`factor` × income, the product rounded half up to the
    centavo (at an exact half centavo, rounding the difference instead would give one
    centavo more), limited to the tax; above, none.
    """

    full_until: Money
    full_amount: Money
    phase_out_until: Money
    constant: Money
    factor: Decimal

    def of(self, income: Money, tax: Money) -> Money:
        """The reduction for a monthly taxable ``income`` whose table tax is ``tax``."""
        if income <= self.full_until:
            reduction = self.full_amount
        elif income <= self.phase_out_until:
            reduction = self.constant - income.multiply(self.factor, rounding=HALF_UP)
        else:
            reduction = Money.zero(CURRENCY)
        return max(Money.zero(CURRENCY), min(reduction, tax))


def _version(
    name: str, value: Any, source: str, valid_from: date, valid_until: date | None
) -> Parameter[Any]:
    return Parameter(
        name=name,
        value=value,
        source=source,
        valid_from=valid_from,
        valid_until=valid_until,
        jurisdiction=JURISDICTION,
        checked_on=CHECKED_ON,
    )


def _inss(limits: tuple[str, str, str, str]) -> MarginalScale:
    rates = ("7.5", "9", "12", "14")
    return MarginalScale(
        [Bracket(_brl(limit), _pct(rate)) for limit, rate in zip(limits, rates, strict=True)],
        ScaleRounding.SUM_ONCE,
        HALF_UP,
    )


def _irrf(exempt: str, deductions: tuple[str, str, str, str]) -> DeductionScale:
    uppers: tuple[str | None, ...] = ("2826.65", "3751.05", "4664.68", None)
    rates = ("7.5", "15", "22.5", "27.5")
    rows = [DeductionBracket(_brl(exempt), _pct("0"), _brl("0"))]
    for upper, rate, deduction in zip(uppers, rates, deductions, strict=True):
        rows.append(
            DeductionBracket(None if upper is None else _brl(upper), _pct(rate), _brl(deduction))
        )
    return DeductionScale(rows, HALF_UP)


INSS = "BR.INSS.employee_scale"
MINIMUM_WAGE = "BR.minimum_wage"
IRRF_TABLE = "BR.IRRF.monthly_table"
IRRF_SIMPLIFIED = "BR.IRRF.simplified_discount"
IRRF_DEPENDANT = "BR.IRRF.dependant_deduction"
IRRF_MINIMUM = "BR.IRRF.minimum_withholding"
IRRF_REDUCTION = "BR.IRRF.reduction"
FGTS_RATE = "BR.FGTS.rate"
CPP_RATE = "BR.CPP.rate"

_Y2025 = (date(2025, 1, 1), date(2025, 12, 31))
_Y2026 = (date(2026, 1, 1), date(2026, 12, 31))
_END = date(2026, 12, 31)
"""No figure is known to this pack after 2026: every version stops there."""

_VERSIONS: Final[tuple[Parameter[Any], ...]] = (
    _version(
        INSS,
        _inss(("1518.00", "2793.88", "4190.83", "8157.41")),
        "Portaria Interministerial MPS/MF nº 6/2025, annex II; progressive by bracket "
        "(EC nº 103/2019, art. 28)",
        *_Y2025,
    ),
    _version(
        INSS,
        _inss(("1621.00", "2902.84", "4354.27", "8475.55")),
        "Portaria Interministerial MPS/MF nº 13, de 9 de janeiro de 2026 (DOU of "
        "2026-01-12), annex II, as reported by secondary sources (verify against the DOU); "
        "progressive by bracket (EC nº 103/2019, art. 28)",
        *_Y2026,
    ),
    _version(MINIMUM_WAGE, _brl("1518.00"), "Decreto nº 12.342/2024, art. 1", *_Y2025),
    _version(
        MINIMUM_WAGE,
        _brl("1621.00"),
        "Decreto nº 12.797/2025, art. 1, as reported by secondary sources (verify against the DOU)",
        *_Y2026,
    ),
    _version(
        IRRF_TABLE,
        _irrf("2259.20", ("169.44", "381.44", "662.77", "896.00")),
        "Lei nº 14.848/2024 (MP nº 1.206/2024), monthly table from February 2024",
        date(2024, 2, 1),
        date(2025, 4, 30),
    ),
    _version(
        IRRF_TABLE,
        _irrf("2428.80", ("182.16", "394.16", "675.49", "908.73")),
        "MP nº 1.294/2025, converted into Lei nº 15.191/2025, monthly table from May 2025; "
        "kept for 2026, when Lei nº 15.270/2025 adds a reduction after the table (verify)",
        date(2025, 5, 1),
        _END,
    ),
    _version(
        IRRF_SIMPLIFIED,
        _brl("564.80"),
        "Lei nº 14.848/2024: simplified monthly discount, 25 % of the exempt bracket",
        date(2024, 2, 1),
        date(2025, 4, 30),
    ),
    _version(
        IRRF_SIMPLIFIED,
        _brl("607.20"),
        "MP nº 1.294/2025 (Lei nº 15.191/2025): simplified monthly discount",
        date(2025, 5, 1),
        _END,
    ),
    _version(
        IRRF_DEPENDANT,
        _brl("189.59"),
        "Lei nº 9.250/1995 art. 4, III, as amended by Lei nº 13.149/2015",
        date(2015, 4, 1),
        _END,
    ),
    _version(
        IRRF_MINIMUM,
        _brl("10.00"),
        "Lei nº 9.430/1996 art. 67: IRRF of R$ 10.00 or less is not withheld (verify)",
        date(1997, 1, 1),
        _END,
    ),
    _version(
        IRRF_REDUCTION,
        None,
        "no monthly reduction before Lei nº 15.270/2025",
        date(2024, 2, 1),
        date(2025, 12, 31),
    ),
    _version(
        IRRF_REDUCTION,
        IrrfReduction(
            full_until=_brl("5000.00"),
            full_amount=_brl("312.89"),
            phase_out_until=_brl("7350.00"),
            constant=_brl("978.62"),
            factor=Decimal("0.133145"),
        ),
        "Lei nº 15.270/2025, monthly reduction of the IRRF from January 2026",
        *_Y2026,
    ),
    _version(
        FGTS_RATE,
        _pct("8"),
        "Lei nº 8.036/1990 art. 15: 8 % of the remuneration, paid by the employer",
        date(1990, 5, 14),
        _END,
    ),
    _version(
        CPP_RATE,
        _pct("20"),
        "Lei nº 8.212/1991 art. 22, I: the employer's social security contribution (CPP), "
        "20 % of the remuneration, no ceiling (outside Simples Nacional)",
        date(1991, 7, 25),
        _END,
    ),
)


def _sets(versions: Iterable[Parameter[Any]]) -> dict[str, ParameterSet[Any]]:
    grouped: dict[str, list[Parameter[Any]]] = {}
    for version in versions:
        grouped.setdefault(version.name, []).append(version)
    return {name: ParameterSet(name, items) for name, items in grouped.items()}


PARAMETERS: Final[Mapping[str, ParameterSet[Any]]] = _sets(_VERSIONS)
"""The Brazilian parameters by name, each with its dated versions and sources."""


# ---------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------


def _amount(value: object, field: str) -> Money:
    return pay_amount(value, field, CURRENCY)


def _gross(value: object) -> Money:
    return _amount(value, "gross")


def _alimony(value: object) -> Money:
    return _amount(value, "alimony")


def _other(value: object) -> Money:
    return _amount(value, "other_deductions")


def _payment_date(value: object) -> date:
    return _day(value, "payment_date")


def _dependants(value: object) -> int:
    return _count(value, "dependants")


@attrs.frozen(slots=True, repr=False)
class Employee:
    """The employee: an identifier (a CPF or a staff number, masked in ``repr``) and the
    number of dependants declared for the IRRF."""

    employee_id: str = attrs.field(converter=employee_key)
    dependants: int = attrs.field(default=0, converter=_dependants)

    def __repr__(self) -> str:
        return f"Employee(employee_id={mask(self.employee_id)!r}, dependants={self.dependants})"


def _rat(value: object) -> Rate:
    if not isinstance(value, Rate):
        raise InvalidType(field="rat", expected='a Rate, e.g. Rate.percent("2")', got=repr(value))
    if value.percent_value not in (Decimal(1), Decimal(2), Decimal(3)):
        raise InvalidValue(field="rat", reason=f"RAT is 1, 2 or 3 %, got {value.percent_value} %")
    return value


def _fap(value: object) -> Decimal:
    if isinstance(value, float):
        raise FloatNotAllowed(field="fap", value=value, example='Decimal("1.2")')
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        raise InvalidValue(field="fap", reason=f"is not a number: {value!r}") from None
    if not number.is_finite() or not Decimal("0.5") <= number <= Decimal("2"):
        raise InvalidValue(field="fap", reason=f"FAP lies between 0.5 and 2.0, got {number}")
    return number


def _third_parties(value: object) -> Rate:
    if not isinstance(value, Rate):
        raise InvalidType(
            field="third_parties", expected='a Rate, e.g. Rate.percent("5.8")', got=repr(value)
        )
    return value


@attrs.frozen(slots=True)
class EmployerRates:
    """The company's own rates for the employer contributions outside Simples Nacional:
    RAT (1, 2 or 3 % by the activity's accident risk, Lei nº 8.212/1991 art. 22, II),
    its FAP multiplier (0.5 to 2.0, Decreto nº 3.048/1999 art. 202-A) and the
    contributions to third parties (Sistema S, salário-educação, INCRA...: about 5.8 %,
    by the company's FPAS code)."""

    rat: Rate = attrs.field(converter=_rat)
    fap: Decimal = attrs.field(converter=_fap)
    third_parties: Rate = attrs.field(converter=_third_parties)


def _employer(value: object) -> EmployerRates | None:
    if value is None or isinstance(value, EmployerRates):
        return value
    raise InvalidType(field="employer", expected="EmployerRates or None", got=repr(value))


def _vacation(value: object) -> Money:
    return _amount(value, "vacation_base")


def _items(value: object) -> tuple[PayItem, ...]:
    return pack_items(value, KINDS, CURRENCY, pack="the Brazil pack")


@attrs.frozen(slots=True, repr=False)
class BrazilInputs:
    """The month's figures: the gross taxable pay (a Money in BRL, or a decimal string),
    the payment date, the alimony paid under a court order and other legal deductions
    from the IRRF base, and whether the employee worked the full month (the minimum wage
    check applies only then)."""

    gross: Money = attrs.field(converter=_gross)
    payment_date: date = attrs.field(converter=_payment_date)
    alimony: Money = attrs.field(default=Money.zero(CURRENCY), converter=_alimony, kw_only=True)
    other_deductions: Money = attrs.field(
        default=Money.zero(CURRENCY), converter=_other, kw_only=True
    )
    full_month: bool = attrs.field(default=True, kw_only=True)
    employer: EmployerRates | None = attrs.field(default=None, converter=_employer, kw_only=True)
    """The company's employer rates: with them, the payslip also states the employer's
    CPP, RAT × FAP and third-party contributions."""
    vacation_base: Money = attrs.field(
        default=Money.zero(CURRENCY), converter=_vacation, kw_only=True
    )
    """The vacation pay and its third paid for days of this month on a vacation receipt
    (:func:`vacation_pay`): the month's INSS is computed on the salary and it together,
    less what the receipt withheld, so that the brackets and the ceiling apply once."""
    items: tuple[PayItem, ...] = attrs.field(default=(), converter=_items, kw_only=True)
    """Other pay elements of the month (:data:`OVERTIME`, :data:`BONUS`,
    :data:`TRAVEL_ALLOWANCE`): with them, :attr:`gross` is the base salary and the
    payslip prints its earning lines."""

    def __repr__(self) -> str:
        return f"BrazilInputs(gross=***, payment_date='{self.payment_date.isoformat()}')"


# ---------------------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------------------

_INSS_LABEL: Final = {
    "en": "Social security (INSS)",
    "fr": "Sécurité sociale (INSS)",
    "pt_BR": "INSS",
}
_IRRF_LABEL: Final = {
    "en": "Income tax withheld (IRRF)",
    "fr": "Impôt sur le revenu retenu à la source (IRRF)",
    "pt_BR": "IRRF",
}
_FGTS_LABEL: Final = {
    "en": "Severance fund (FGTS)",
    "fr": "Fonds de garantie (FGTS)",
    "pt_BR": "FGTS",
}


def _inss_line(
    gross: Money,
    lookup: ParameterLookup,
    rounding: ScaleRounding | None,
    contributed: Money | None = None,
) -> PayLine:
    """The INSS on ``gross``; with ``contributed`` (vacation pay of the same month,
    whose receipt withheld its own INSS), the INSS on the month's whole base less the
    INSS on ``contributed``: the brackets and the ceiling apply once a month."""
    scale: MarginalScale = lookup.value(INSS)
    if rounding is not None:
        scale = attrs.evolve(scale, rounding=rounding)
    if contributed:
        whole = scale.compute(gross + contributed, lookup)
        withheld = scale.compute(contributed, lookup)
        return PayLine(
            code="INSS",
            label=_INSS_LABEL,
            base=gross,
            rate=None,
            amount=whole.amount - withheld.amount,
            side=Side.EMPLOYEE,
            rounding=f"{scale.mode.mode.name}, {scale.rounding.value}",
            axis=DateAxis.PERIOD_WORKED,
            parameters=lookup.used,
            explanation=(
                f"the month's base {(gross + contributed).amount} (with vacation pay "
                f"{contributed.amount}): INSS {whole.amount.amount}",
                *shares_text(whole.shares),
                f"less the INSS withheld on the vacation pay: {withheld.amount.amount}",
            ),
        )
    result = scale.compute(gross, lookup)
    return PayLine(
        code="INSS",
        label=_INSS_LABEL,
        base=result.base,
        rate=None,
        amount=result.amount,
        side=Side.EMPLOYEE,
        rounding=f"{scale.mode.mode.name}, {scale.rounding.value}",
        axis=DateAxis.PERIOD_WORKED,
        parameters=lookup.used,
        explanation=shares_text(result.shares),
    )


def _irrf_line(
    income: Money,
    inss: Money,
    dependants: int,
    alimony: Money,
    other: Money,
    lookup: ParameterLookup,
    *,
    minimum: bool = True,
    what: str = "",
) -> PayLine:
    """The IRRF on ``income`` (its table, reduction and threshold of ``lookup``'s day):
    the lower of the legal and the simplified computations. ``minimum=False`` withholds
    even a tax of R$ 10.00 or less (income taxed exclusively at source, as the 13º)."""
    table: DeductionScale = lookup.value(IRRF_TABLE)
    zero = Money.zero(CURRENCY)
    deductions = inss + lookup.money(IRRF_DEPENDANT) * dependants + alimony + other
    legal_base = max(zero, income - deductions)
    simplified_base = max(zero, income - lookup.money(IRRF_SIMPLIFIED))
    legal = table.compute(legal_base)
    simplified = table.compute(simplified_base)
    chosen, method = (
        (legal, "legal") if legal.amount <= simplified.amount else (simplified, "simplified")
    )
    explanation = [
        f"legal base {legal_base.amount} ({what}income {income.amount} − INSS {inss.amount} − "
        f"{dependants} dependant(s) − alimony − other deductions): "
        f"tax {legal.amount.amount}",
        f"simplified base {simplified_base.amount}: tax {simplified.amount.amount}",
        f"withheld: the lower, {method}",
    ]
    tax = chosen.amount
    reduction: IrrfReduction | None = lookup.value(IRRF_REDUCTION)
    if reduction is not None:
        cut = reduction.of(income, tax)
        explanation.append(
            f"reduction (Lei nº 15.270/2025) on income {income.amount}: {cut.amount}"
        )
        tax -= cut
    if minimum:
        threshold = lookup.money(IRRF_MINIMUM)
        if zero < tax <= threshold:
            explanation.append(
                f"tax {tax.amount} is not more than {threshold.amount}: not withheld"
            )
            tax = zero
    share = chosen.shares[0]
    return PayLine(
        code="IRRF",
        label=_IRRF_LABEL,
        base=chosen.base,
        rate=share.rate,
        amount=tax,
        side=Side.EMPLOYEE,
        rounding="HALF_UP, once",
        axis=DateAxis.PAYMENT_DATE,
        parameters=lookup.used,
        explanation=tuple(explanation),
    )


def _fgts_line(gross: Money, lookup: ParameterLookup) -> PayLine:
    rate: Rate = lookup.value(FGTS_RATE)
    return PayLine(
        code="FGTS",
        label=_FGTS_LABEL,
        base=gross,
        rate=rate,
        amount=rate.of(gross, rounding=HALF_UP),
        side=Side.EMPLOYER,
        rounding="HALF_UP, once",
        axis=DateAxis.PERIOD_WORKED,
        parameters=lookup.used,
    )


_CPP_LABEL: Final = {
    "en": "Employer social security (CPP)",
    "fr": "Cotisation patronale de sécurité sociale (CPP)",
    "pt_BR": "Contribuição previdenciária patronal (CPP)",
}
_RAT_LABEL: Final = {
    "en": "Work accident insurance (RAT × FAP)",
    "fr": "Assurance accidents du travail (RAT × FAP)",
    "pt_BR": "RAT ajustado pelo FAP",
}
_THIRD_LABEL: Final = {
    "en": "Contributions to third parties",
    "fr": "Contributions aux tiers",
    "pt_BR": "Contribuições a terceiros",
}


def _employer_lines(
    gross: Money, rates: EmployerRates, lookup: ParameterLookup
) -> tuple[PayLine, ...]:
    cpp: Rate = lookup.value(CPP_RATE)
    rat = Rate(rates.rat.ratio * rates.fap)
    found = []
    for code, label, rate, used in (
        ("CPP", _CPP_LABEL, cpp, lookup.used),
        ("RAT", _RAT_LABEL, rat, ()),
        ("TERCEIROS", _THIRD_LABEL, rates.third_parties, ()),
    ):
        found.append(
            PayLine(
                code=code,
                label=label,
                base=gross,
                rate=rate,
                amount=rate.of(gross, rounding=HALF_UP),
                side=Side.EMPLOYER,
                rounding="HALF_UP, once",
                axis=DateAxis.PERIOD_WORKED,
                parameters=used,
            )
        )
    return tuple(found)


# ---------------------------------------------------------------------------------------
# The monthly payslip as a graph of rules
# ---------------------------------------------------------------------------------------

BASES: Final = frozenset({"inss", "fgts", "irrf"})
"""The bases pay items can feed: the INSS contribution, the FGTS deposit and the IRRF."""

OVERTIME: Final = PayItemKind(
    "horas_extras",
    {"en": "Overtime", "fr": "Heures supplémentaires", "pt_BR": "Horas extras"},
    feeds=BASES,
)
"""Overtime pay (CLT art. 59): remuneration, in every base."""
BONUS: Final = PayItemKind(
    "gratificacao",
    {"en": "Bonus", "fr": "Gratification", "pt_BR": "Gratificação"},
    feeds=BASES,
)
"""A bonus paid as remuneration (CLT art. 457 §1): in every base."""
TRAVEL_ALLOWANCE: Final = PayItemKind(
    "diarias_viagem",
    {"en": "Travel allowance", "fr": "Indemnités de voyage", "pt_BR": "Diárias para viagem"},
    feeds=frozenset(),
)
"""Daily travel allowances: not remuneration (CLT art. 457 §2, Lei nº 13.467/2017), outside
the INSS (Lei nº 8.212/1991 art. 28 §9, h) and the FGTS, and exempt from income tax (Lei
nº 7.713/1988 art. 6, II); added to the net pay."""
KINDS: Final = (OVERTIME, BONUS, TRAVEL_ALLOWANCE)
check_kinds(KINDS, BASES, pack="the Brazil pack")

_SALARY_LABEL: Final = {"en": "Base salary", "fr": "Salaire de base", "pt_BR": "Salário base"}
_INPUTS: Final = ("employee", "inputs", "parameters", "worked", "rounding")


def _base_of(name: str) -> PayRule:
    def compute(values: Mapping[str, Any]) -> Money:
        inputs: BrazilInputs = values["inputs"]
        base = inputs.gross
        for item in inputs.items:
            if name in item.kind.feeds:
                base += item.amount
        return base

    return PayRule(f"base.{name}", ("inputs",), compute, f"the {name.upper()} base")


def _worked(values: Mapping[str, Any]) -> ParameterLookup:
    return ParameterLookup(values["parameters"], values["worked"])


def _inss_rule(values: Mapping[str, Any]) -> PayLine:
    inputs: BrazilInputs = values["inputs"]
    return _inss_line(
        values["base.inss"], _worked(values), values["rounding"], inputs.vacation_base
    )


def _irrf_rule(values: Mapping[str, Any]) -> PayLine:
    employee: Employee = values["employee"]
    inputs: BrazilInputs = values["inputs"]
    inss: PayLine = values["line.INSS"]
    return _irrf_line(
        values["base.irrf"],
        inss.amount,
        employee.dependants,
        inputs.alimony,
        inputs.other_deductions,
        ParameterLookup(values["parameters"], inputs.payment_date),
    )


def _employer_rule(values: Mapping[str, Any]) -> tuple[PayLine, ...]:
    inputs: BrazilInputs = values["inputs"]
    if inputs.employer is None:
        return ()
    return _employer_lines(values["base.inss"], inputs.employer, _worked(values))


def _minimum_wage(values: Mapping[str, Any]) -> tuple[Finding | None, tuple[ParameterRef, ...]]:
    inputs: BrazilInputs = values["inputs"]
    lookup = _worked(values)
    minimum_wage = lookup.money(MINIMUM_WAGE)
    gross: Money = values["base.inss"]
    if inputs.full_month and gross < minimum_wage:
        return (
            Finding(
                "BR.below_minimum_wage",
                f"the gross {gross} is below the minimum wage {minimum_wage} for a full month",
            ),
            lookup.used,
        )
    return None, lookup.used


_RULES: Final[tuple[PayRule, ...]] = (
    _base_of("inss"),
    _base_of("irrf"),
    _base_of("fgts"),
    PayRule(
        "line.INSS",
        ("inputs", "base.inss", "parameters", "worked", "rounding"),
        _inss_rule,
        "progressive INSS, the month worked",
    ),
    PayRule(
        "line.IRRF",
        ("employee", "inputs", "parameters", "base.irrf", "line.INSS"),
        _irrf_rule,
        "IRRF after INSS, the payment month",
    ),
    PayRule(
        "line.FGTS",
        ("base.fgts", "parameters", "worked"),
        lambda v: _fgts_line(v["base.fgts"], _worked(v)),
        "FGTS 8 %, the month worked",
    ),
    PayRule(
        "lines.employer",
        ("inputs", "base.inss", "parameters", "worked"),
        _employer_rule,
        "CPP, RAT × FAP, third parties, when the company's rates are given",
    ),
    PayRule(
        "finding.minimum_wage",
        ("inputs", "base.inss", "parameters", "worked"),
        _minimum_wage,
        "a full month paid below the minimum wage",
    ),
)

GRAPH: Final = RuleGraph(_RULES, inputs=_INPUTS, pack="the Brazil pack")
"""The monthly payslip's rules, checked when the module loads."""


def _rounding(value: object) -> ScaleRounding | None:
    return None if value is None else member_of(ScaleRounding, value, "inss_rounding")


def _item_lines(
    salary: Money, items: tuple[PayItem, ...]
) -> tuple[Money, tuple[PayLine, ...], tuple[PayLine, ...]]:
    """The gross (the salary and the items in any base), its earning lines and the net
    lines (items in no base)."""
    if not items:
        return salary, (), ()
    gross = salary
    earnings = [_given("salario_base", _SALARY_LABEL, salary, Side.EARNING)]
    net: list[PayLine] = []
    for item in items:
        if item.kind.feeds:
            gross += item.amount
            earnings.append(_given(item.kind.code, item.kind.label, item.amount, Side.EARNING))
        else:
            net.append(_given(item.kind.code, item.kind.label, item.amount, Side.NET))
    return gross, tuple(earnings), tuple(net)


def _given(code: str, label: Mapping[str, str], amount: Money, side: Side) -> PayLine:
    return PayLine(
        code, label, amount, None, amount, side, "none (an amount given)", DateAxis.PERIOD_WORKED
    )


def _versions(
    parameters: Mapping[str, ParameterSet[Any]], used: Iterable[ParameterRef]
) -> list[tuple[ParameterRef, Any]]:
    return [(ref, parameters[ref.name].version_on(ref.valid_from).value) for ref in set(used)]


def calculate(
    employee: Employee,
    period: Period,
    inputs: BrazilInputs,
    *,
    inss_rounding: ScaleRounding | None = None,
    parameters: Mapping[str, ParameterSet[Any]] = PARAMETERS,
    strict: bool = False,
) -> Payslip:
    """The payslip of ``employee`` for the calendar month ``period``.

    INSS and FGTS take the parameters in force on the first day of ``period``; IRRF
    those in force on ``inputs.payment_date``. ``inss_rounding`` overrides the INSS
    scale's rounding (:attr:`ScaleRounding.SUM_ONCE` by default). The values come from
    :data:`GRAPH`; ``strict=True`` limits each rule to what it declares (for tests).

    Raises:
        InvalidValue: ``period`` is not one calendar month; no parameter version covers
            the month worked or the payment date.
        InvalidType: an argument of the wrong type (a float amount raises
            :class:`~backoffice.errors.FloatNotAllowed`).
    """
    if not isinstance(employee, Employee):
        raise InvalidType(field="employee", expected="an Employee", got=repr(employee))
    if not isinstance(inputs, BrazilInputs):
        raise InvalidType(field="inputs", expected="BrazilInputs", got=repr(inputs))
    month = calendar_month(period)
    rounding = _rounding(inss_rounding)
    computed = GRAPH.evaluate(
        {
            "employee": employee,
            "inputs": inputs,
            "parameters": parameters,
            "worked": month.start,
            "rounding": rounding,
        },
        strict=strict,
    )
    gross, earnings, net = _item_lines(inputs.gross, inputs.items)
    finding, wage_refs = computed["finding.minimum_wage"]
    contributions: tuple[PayLine, ...] = (
        computed["line.INSS"],
        computed["line.IRRF"],
        computed["line.FGTS"],
        *computed["lines.employer"],
    )
    used: set[ParameterRef] = {ref for line in contributions for ref in line.parameters}
    used |= set(wage_refs)
    facts: dict[str, Any] = {
        "pack": PACK_VERSION,
        "employee_id": employee.employee_id,
        "dependants": employee.dependants,
        "period": month,
        "gross": inputs.gross,
        "payment_date": inputs.payment_date,
        "alimony": inputs.alimony,
        "other_deductions": inputs.other_deductions,
        "full_month": inputs.full_month,
        "inss_rounding": None if rounding is None else rounding.value,
    }
    if inputs.employer is not None:
        facts["employer"] = {
            "rat": inputs.employer.rat,
            "fap": inputs.employer.fap,
            "third_parties": inputs.employer.third_parties,
        }
    if inputs.items:
        facts["items"] = [[item.kind.code, item.amount] for item in inputs.items]
    if inputs.vacation_base:
        facts["vacation_base"] = inputs.vacation_base
    return Payslip(
        employee_id=employee.employee_id,
        period=month,
        payment_date=inputs.payment_date,
        gross=gross,
        lines=(*earnings, *contributions, *net),
        findings=() if finding is None else (finding,),
        fingerprint=fingerprint(facts, _versions(parameters, used)),
    )


def calculate_many(
    run: Iterable[tuple[Employee, BrazilInputs]],
    period: Period,
    *,
    inss_rounding: ScaleRounding | None = None,
    parameters: Mapping[str, ParameterSet[Any]] = PARAMETERS,
) -> tuple[Payslip, ...]:
    """The payslips of a pay run for ``period``, in the order of ``run``.

    Raises:
        ValidationError: one problem per entry that failed (path: its index), after
            trying them all.
    """
    return pay_run(
        run,
        lambda employee, inputs: calculate(
            employee, period, inputs, inss_rounding=inss_rounding, parameters=parameters
        ),
    )


# ---------------------------------------------------------------------------------------
# 13º salário (gratificação natalina)
# ---------------------------------------------------------------------------------------

VARIABLE_KINDS: Final = (OVERTIME, BONUS)
"""The kinds whose amounts are variable pay for the 13º and the vacation averages."""

_THIRTEENTH_LABEL: Final = {
    "en": "13th salary",
    "fr": "13e salaire",
    "pt_BR": "13º salário",
}
_ADVANCE_LABEL: Final = {
    "en": "13th salary, first instalment",
    "fr": "13e salaire, premier versement",
    "pt_BR": "13º salário, 1ª parcela",
}
_ADVANCE_PAID_LABEL: Final = {
    "en": "13th salary, first instalment already paid",
    "fr": "13e salaire, premier versement déjà payé",
    "pt_BR": "13º salário, adiantamento já pago",
}


def _bounded(value: object, field: str, minimum: int, maximum: int, why: str) -> int:
    number = _count(value, field, minimum=minimum)
    if number > maximum:
        raise InvalidValue(field=field, reason=f"{why} ({maximum}), got {number}")
    return number


def _months(value: object) -> int:
    return _bounded(value, "months", 1, 12, "a year has at most 12 months (avos)")


def _variable(value: object) -> Money:
    return _amount(value, "variable")


def _advance(value: object) -> Money:
    return _amount(value, "advance")


def _variable_average(value: object) -> Money:
    return _amount(value, "variable_average")


_NOTHING: Final = Money.zero(CURRENCY)


@attrs.frozen(slots=True, repr=False)
class ThirteenthInputs:
    """The figures of a 13º salário: the fixed monthly salary (of December, or of the
    month of termination), the months counted (*avos*: a month with 15 days of work or
    more counts, Lei nº 4.090/1962 art. 1 §2), the variable pay of January to November
    (:meth:`YearToDate.total <backoffice.payroll.YearToDate.total>` of
    :data:`VARIABLE_KINDS`), the first instalment already paid, the payment date of the
    second instalment and the alimony withheld from it."""

    salary: Money = attrs.field(converter=_gross)
    months: int = attrs.field(converter=_months)
    payment_date: date = attrs.field(converter=_payment_date)
    variable: Money = attrs.field(default=_NOTHING, converter=_variable, kw_only=True)
    advance: Money = attrs.field(default=_NOTHING, converter=_advance, kw_only=True)
    alimony: Money = attrs.field(default=_NOTHING, converter=_alimony, kw_only=True)

    def __repr__(self) -> str:
        return (
            f"ThirteenthInputs(salary=***, months={self.months}, "
            f"payment_date='{self.payment_date.isoformat()}')"
        )


def thirteenth_amount(inputs: ThirteenthInputs) -> Money:
    """The whole 13º: ``salary × months / 12 + variable / 11`` (Lei nº 4.090/1962 art. 1
    §1; Decreto nº 10.854/2021 art. 77: 1/11 of the variable pay of January to
    November), each part rounded half up to the centavo."""
    fixed = (inputs.salary * inputs.months).divide(12, rounding=HALF_UP)
    return fixed + inputs.variable.divide(11, rounding=HALF_UP)


def _december(year: int) -> Period:
    return Period.month(year, 12)


def thirteenth_advance(
    employee: Employee,
    year: int,
    *,
    salary: Money | str,
    payment_date: date,
    months: int | None = None,
    parameters: Mapping[str, ParameterSet[Any]] = PARAMETERS,
) -> Payslip:
    """The first instalment of the 13º (Lei nº 4.749/1965 art. 2): half of the previous
    month's ``salary`` or, for an employee hired during the year (``months``: the
    months counted so far), half of ``salary × months / 12``. Nothing is withheld (no
    INSS, no IRRF: Decreto nº 3.048/1999 art. 214 §6; Lei nº 8.134/1990 art. 16, I); the
    employer deposits the FGTS on it. Paid from February to 30 November of ``year``; a
    later payment is a finding.

    Raises:
        InvalidValue: a payment date outside ``year``, a negative salary, or no
            parameter for the month.
    """
    if not isinstance(employee, Employee):
        raise InvalidType(field="employee", expected="an Employee", got=repr(employee))
    year = _count(year, "year", minimum=1)
    pay = _gross(salary)
    day = _payment_date(payment_date)
    if day.year != year:
        raise InvalidValue(
            field="payment_date", reason=f"the first instalment of {year} is paid in {year}"
        )
    counted = 12 if months is None else _months(months)
    base = pay if months is None else (pay * counted).divide(12, rounding=HALF_UP)
    amount = base.divide(2, rounding=HALF_UP)
    month = Period.month(day.year, day.month)
    fgts = _fgts_line(amount, ParameterLookup(parameters, month.start))
    findings: tuple[Finding, ...] = ()
    if day.month == 1:
        findings = (
            Finding(
                "BR.thirteenth_advance_early",
                "the first instalment is paid from February (Lei nº 4.749/1965 art. 2), paid "
                f"{day.isoformat()}",
            ),
        )
    if day > date(year, 11, 30):
        findings = (
            Finding(
                "BR.thirteenth_advance_late",
                f"the first instalment is due by {year}-11-30 (Lei nº 4.749/1965 art. 2), "
                f"paid {day.isoformat()}",
            ),
        )
    facts = {
        "pack": PACK_VERSION,
        "kind": "13.advance",
        "employee_id": employee.employee_id,
        "year": year,
        "salary": pay,
        "months": months,
        "payment_date": day,
    }
    return Payslip(
        employee_id=employee.employee_id,
        period=month,
        payment_date=day,
        gross=amount,
        lines=(_given("decimo_terceiro.adiantamento", _ADVANCE_LABEL, amount, Side.EARNING), fgts),
        findings=findings,
        fingerprint=fingerprint(facts, _versions(parameters, fgts.parameters)),
    )


def thirteenth_salary(
    employee: Employee,
    year: int,
    inputs: ThirteenthInputs,
    *,
    inss_rounding: ScaleRounding | None = None,
    parameters: Mapping[str, ParameterSet[Any]] = PARAMETERS,
) -> Payslip:
    """The 13º of ``year``, settled with its second instalment (Lei nº 4.749/1965 art. 1,
    by 20 December), as a payslip of December:

    * ``decimo_terceiro`` (earning): :func:`thirteenth_amount`;
    * ``INSS``: on the whole 13º, separately from the December salary, with December's
      table (Lei nº 8.212/1991 art. 28 §7; Decreto nº 3.048/1999 art. 214 §§6-7);
    * ``IRRF``: taxed exclusively at source, apart from any other income (Lei nº
      8.134/1990 art. 16; Lei nº 7.713/1988 art. 26), with the table of the payment
      date: the lower of the legal deductions (the 13º's INSS, dependants, alimony) and
      the simplified discount (applied to the 13º as the Receita Federal's questions
      and answers on the IRPF state it; verify); from 2026 the reduction of Lei nº
      15.270/2025 on the 13º's gross (Lei nº 9.250/1995 art. 3-A §3 as reported by
      secondary sources; verify); **withheld even when R$ 10.00 or less** (the
      threshold of Lei nº 9.430/1996 art. 67 concerns income of the annual return);
    * ``FGTS`` (employer): 8 % of what this instalment pays (the 13º less the
      advance, whose FGTS was deposited with it);
    * ``decimo_terceiro.adiantamento`` (net): the first instalment, already paid.

    Not covered: the January adjustment of the variable part to December's figures
    (Decreto nº 10.854/2021 art. 77, sole paragraph).

    Raises:
        InvalidValue: an advance larger than the 13º, a payment date outside ``year``,
            no parameter for December or the payment date.
    """
    if not isinstance(employee, Employee):
        raise InvalidType(field="employee", expected="an Employee", got=repr(employee))
    if not isinstance(inputs, ThirteenthInputs):
        raise InvalidType(field="inputs", expected="ThirteenthInputs", got=repr(inputs))
    year = _count(year, "year", minimum=1)
    if inputs.payment_date.year != year:
        raise InvalidValue(field="payment_date", reason=f"the 13º of {year} is settled in {year}")
    total = thirteenth_amount(inputs)
    if inputs.advance > total:
        raise InvalidValue(
            field="advance",
            reason="the first instalment paid exceeds the whole 13º: check the advance",
        )
    december = _december(year)
    worked = ParameterLookup(parameters, december.start)
    inss = _inss_line(total, worked, _rounding(inss_rounding))
    irrf = _irrf_line(
        total,
        inss.amount,
        employee.dependants,
        inputs.alimony,
        Money.zero(CURRENCY),
        ParameterLookup(parameters, inputs.payment_date),
        minimum=False,
        what="13º ",
    )
    fgts = _fgts_line(total - inputs.advance, ParameterLookup(parameters, december.start))
    lines = [_given("decimo_terceiro", _THIRTEENTH_LABEL, total, Side.EARNING), inss, irrf, fgts]
    if inputs.advance:
        lines.append(
            _given("decimo_terceiro.adiantamento", _ADVANCE_PAID_LABEL, -inputs.advance, Side.NET)
        )
    findings: tuple[Finding, ...] = ()
    if inputs.payment_date > date(year, 12, 20):
        findings = (
            Finding(
                "BR.thirteenth_late",
                f"the 13º is due by {year}-12-20 (Lei nº 4.749/1965 art. 1), paid "
                f"{inputs.payment_date.isoformat()}",
            ),
        )
    used = {*inss.parameters, *irrf.parameters, *fgts.parameters}
    facts = {
        "pack": PACK_VERSION,
        "kind": "13",
        "employee_id": employee.employee_id,
        "dependants": employee.dependants,
        "year": year,
        "salary": inputs.salary,
        "months": inputs.months,
        "variable": inputs.variable,
        "advance": inputs.advance,
        "alimony": inputs.alimony,
        "payment_date": inputs.payment_date,
        "inss_rounding": None if inss_rounding is None else str(inss_rounding),
    }
    return Payslip(
        employee_id=employee.employee_id,
        period=december,
        payment_date=inputs.payment_date,
        gross=total,
        lines=tuple(lines),
        findings=findings,
        fingerprint=fingerprint(facts, _versions(parameters, used)),
    )


# ---------------------------------------------------------------------------------------
# Férias
# ---------------------------------------------------------------------------------------

_VACATION_LABEL: Final = {"en": "Vacation pay", "fr": "Congés payés", "pt_BR": "Férias"}
_THIRD_OF_VACATION_LABEL: Final = {
    "en": "One third of vacation pay",
    "fr": "Tiers constitutionnel des congés",
    "pt_BR": "1/3 constitucional de férias",
}
_SOLD_LABEL: Final = {
    "en": "Vacation days sold (abono pecuniário)",
    "fr": "Jours de congés vendus (abono pecuniário)",
    "pt_BR": "Abono pecuniário",
}
_SOLD_THIRD_LABEL: Final = {
    "en": "One third of the days sold",
    "fr": "Tiers des jours vendus",
    "pt_BR": "1/3 do abono pecuniário",
}


def _vacation_days(value: object) -> int:
    return _bounded(value, "days", 5, 30, "a vacation has at most 30 days")


def _sold_days(value: object) -> int:
    return _bounded(
        value, "sold_days", 0, 10, "at most a third of the 30 days can be sold (CLT art. 143)"
    )


def _start(value: object) -> date:
    return _day(value, "start")


@attrs.frozen(slots=True, repr=False)
class VacationInputs:
    """A vacation (*férias*): the monthly remuneration when it starts, the days taken
    (5 to 30: CLT art. 130 and 134 §1), the first day, the payment date, the days sold
    (*abono pecuniário*, at most 10: CLT art. 143), the monthly average of the variable
    pay (CLT art. 142 §§1, 3 and 5) and the alimony withheld."""

    salary: Money = attrs.field(converter=_gross)
    days: int = attrs.field(converter=_vacation_days)
    start: date = attrs.field(converter=_start)
    payment_date: date = attrs.field(converter=_payment_date)
    sold_days: int = attrs.field(default=0, converter=_sold_days, kw_only=True)
    variable_average: Money = attrs.field(
        default=_NOTHING, converter=_variable_average, kw_only=True
    )
    alimony: Money = attrs.field(default=_NOTHING, converter=_alimony, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self.days + self.sold_days > 30:
            raise InvalidValue(
                field="sold_days",
                reason=f"{self.days} days taken and {self.sold_days} sold exceed the 30 days",
            )

    def __repr__(self) -> str:
        return (
            f"VacationInputs(salary=***, days={self.days}, start='{self.start.isoformat()}', "
            f"sold_days={self.sold_days})"
        )


def vacation_pay(
    employee: Employee,
    inputs: VacationInputs,
    *,
    inss_rounding: ScaleRounding | None = None,
    parameters: Mapping[str, ParameterSet[Any]] = PARAMETERS,
) -> Payslip:
    """The vacation receipt (*recibo de férias*), a payslip of the month the vacation
    starts:

    * earnings: ``ferias`` = (salary + variable average) / 30 × days, and
      ``ferias.terco``, one third of it (Constituição art. 7, XVII); with days sold,
      ``abono_pecuniario`` (the same daily pay × days sold) and ``abono_pecuniario.
      terco`` -- outside the INSS (Lei nº 8.212/1991 art. 28 §9, e, 6), the FGTS (Lei nº
      8.036/1990 art. 15 §6) and the IRRF (Ato Declaratório PGFN nº 6/2006); each
      rounded half up to the centavo;
    * ``INSS`` on vacation pay and its third, with the table of the month the vacation
      starts, computed on the vacation pay alone;
    * ``IRRF`` on the same, apart from the month's salary, with the table of the payment
      date (legal or simplified, the 2026 reduction, the R$ 10.00 threshold; the
      reduction is applied to the vacation income alone -- whether it should combine
      with a salary paid in the same month is to be verified);
    * ``FGTS`` (employer): 8 % of vacation pay and its third.

    A payment later than two days before the start is a finding (CLT art. 145; the
    courts then order the vacation paid twice, TST Súmula 450).

    The vacation pay is part of the month's INSS base: give the month's payslip its
    ``vacation_base`` (:attr:`BrazilInputs.vacation_base`), and its INSS is computed on
    both together less what this receipt withheld, so the ceiling applies once.

    Not covered: a vacation spanning two months (its pay split between them), vacation
    paid twice after the concession period (CLT art. 137), collective vacations.

    Raises:
        InvalidValue: no parameter for the start month or the payment date.
    """
    if not isinstance(employee, Employee):
        raise InvalidType(field="employee", expected="an Employee", got=repr(employee))
    if not isinstance(inputs, VacationInputs):
        raise InvalidType(field="inputs", expected="VacationInputs", got=repr(inputs))
    monthly = inputs.salary + inputs.variable_average
    vacation = (monthly * inputs.days).divide(30, rounding=HALF_UP)
    third = vacation.divide(3, rounding=HALF_UP)
    earnings = [
        _given("ferias", _VACATION_LABEL, vacation, Side.EARNING),
        _given("ferias.terco", _THIRD_OF_VACATION_LABEL, third, Side.EARNING),
    ]
    if inputs.sold_days:
        sold = (monthly * inputs.sold_days).divide(30, rounding=HALF_UP)
        earnings.append(_given("abono_pecuniario", _SOLD_LABEL, sold, Side.EARNING))
        earnings.append(
            _given(
                "abono_pecuniario.terco",
                _SOLD_THIRD_LABEL,
                sold.divide(3, rounding=HALF_UP),
                Side.EARNING,
            )
        )
    taxable = vacation + third
    month = Period.month(inputs.start.year, inputs.start.month)
    inss = _inss_line(taxable, ParameterLookup(parameters, month.start), _rounding(inss_rounding))
    irrf = _irrf_line(
        taxable,
        inss.amount,
        employee.dependants,
        inputs.alimony,
        Money.zero(CURRENCY),
        ParameterLookup(parameters, inputs.payment_date),
        what="vacation ",
    )
    fgts = _fgts_line(taxable, ParameterLookup(parameters, month.start))
    findings: tuple[Finding, ...] = ()
    if (inputs.start - inputs.payment_date).days < 2:
        findings = (
            Finding(
                "BR.vacation_paid_late",
                "vacation pay is due two days before the vacation starts (CLT art. 145): "
                f"starts {inputs.start.isoformat()}, paid {inputs.payment_date.isoformat()}",
            ),
        )
    gross = Money.total((line.amount for line in earnings), CURRENCY)
    used = {*inss.parameters, *irrf.parameters, *fgts.parameters}
    facts = {
        "pack": PACK_VERSION,
        "kind": "ferias",
        "employee_id": employee.employee_id,
        "dependants": employee.dependants,
        "salary": inputs.salary,
        "days": inputs.days,
        "sold_days": inputs.sold_days,
        "start": inputs.start,
        "payment_date": inputs.payment_date,
        "variable_average": inputs.variable_average,
        "alimony": inputs.alimony,
        "inss_rounding": None if inss_rounding is None else str(inss_rounding),
    }
    return Payslip(
        employee_id=employee.employee_id,
        period=month,
        payment_date=inputs.payment_date,
        gross=gross,
        lines=(*earnings, inss, irrf, fgts),
        findings=findings,
        fingerprint=fingerprint(facts, _versions(parameters, used)),
    )
