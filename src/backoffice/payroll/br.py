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
    "PARAMETERS",
    "BrazilInputs",
    "Employee",
    "EmployerRates",
    "IrrfReduction",
    "calculate",
    "calculate_many",
]

CURRENCY: Final = "BRL"
JURISDICTION: Final = "BR"
CHECKED_ON: Final = date(2026, 11, 30)
"""The day these figures were last reviewed. They were not compared with the text in the
Diário Oficial on that day: the sources marked "verify" need it first."""
HALF_UP: Final = RoundingPolicy(RoundingMode.HALF_UP)
PACK_VERSION: Final = "br-1"


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
        "Portaria Interministerial MPS/MF of January 2026 (number to verify); progressive "
        "by bracket (EC nº 103/2019, art. 28)",
        *_Y2026,
    ),
    _version(MINIMUM_WAGE, _brl("1518.00"), "Decreto nº 12.342/2024 (verify)", *_Y2025),
    _version(MINIMUM_WAGE, _brl("1621.00"), "Decreto of December 2025 (number to verify)", *_Y2026),
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


def _inss_line(gross: Money, lookup: ParameterLookup, rounding: ScaleRounding | None) -> PayLine:
    scale: MarginalScale = lookup.value(INSS)
    if rounding is not None:
        scale = attrs.evolve(scale, rounding=rounding)
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
    employee: Employee, inputs: BrazilInputs, inss: Money, lookup: ParameterLookup
) -> PayLine:
    table: DeductionScale = lookup.value(IRRF_TABLE)
    zero = Money.zero(CURRENCY)
    deductions = (
        inss
        + lookup.money(IRRF_DEPENDANT) * employee.dependants
        + inputs.alimony
        + inputs.other_deductions
    )
    legal_base = max(zero, inputs.gross - deductions)
    simplified_base = max(zero, inputs.gross - lookup.money(IRRF_SIMPLIFIED))
    legal = table.compute(legal_base)
    simplified = table.compute(simplified_base)
    chosen, method = (
        (legal, "legal") if legal.amount <= simplified.amount else (simplified, "simplified")
    )
    explanation = [
        f"legal base {legal_base.amount} (gross − INSS {inss.amount} − "
        f"{employee.dependants} dependant(s) − alimony − other deductions): "
        f"tax {legal.amount.amount}",
        f"simplified base {simplified_base.amount}: tax {simplified.amount.amount}",
        f"withheld: the lower, {method}",
    ]
    tax = chosen.amount
    reduction: IrrfReduction | None = lookup.value(IRRF_REDUCTION)
    if reduction is not None:
        cut = reduction.of(inputs.gross, tax)
        explanation.append(
            f"reduction (Lei nº 15.270/2025) on income {inputs.gross.amount}: {cut.amount}"
        )
        tax -= cut
    minimum = lookup.money(IRRF_MINIMUM)
    if zero < tax <= minimum:
        explanation.append(f"tax {tax.amount} is not more than {minimum.amount}: not withheld")
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


def calculate(
    employee: Employee,
    period: Period,
    inputs: BrazilInputs,
    *,
    inss_rounding: ScaleRounding | None = None,
    parameters: Mapping[str, ParameterSet[Any]] = PARAMETERS,
) -> Payslip:
    """The payslip of ``employee`` for the calendar month ``period``.

    INSS and FGTS take the parameters in force on the first day of ``period``; IRRF
    those in force on ``inputs.payment_date``. ``inss_rounding`` overrides the INSS
    scale's rounding (:attr:`ScaleRounding.SUM_ONCE` by default).

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
    try:
        rounding = None if inss_rounding is None else ScaleRounding(inss_rounding)
    except ValueError:
        raise InvalidValue(
            field="inss_rounding",
            reason=f"unknown rounding {inss_rounding!r}: use "
            + " or ".join(repr(member.value) for member in ScaleRounding),
        ) from None
    worked = month.start
    inss = _inss_line(inputs.gross, ParameterLookup(parameters, worked), rounding)
    irrf = _irrf_line(
        employee, inputs, inss.amount, ParameterLookup(parameters, inputs.payment_date)
    )
    fgts = _fgts_line(inputs.gross, ParameterLookup(parameters, worked))
    findings: list[Finding] = []
    wage_lookup = ParameterLookup(parameters, worked)
    minimum_wage = wage_lookup.money(MINIMUM_WAGE)
    if inputs.full_month and inputs.gross < minimum_wage:
        findings.append(
            Finding(
                "BR.below_minimum_wage",
                f"the gross {inputs.gross} is below the minimum wage {minimum_wage} "
                "for a full month",
            )
        )
    lines: tuple[PayLine, ...] = (inss, irrf, fgts)
    if inputs.employer is not None:
        lines += _employer_lines(inputs.gross, inputs.employer, ParameterLookup(parameters, worked))
    used: set[ParameterRef] = {ref for line in lines for ref in line.parameters}
    used |= set(wage_lookup.used)
    versions = [(ref, parameters[ref.name].version_on(ref.valid_from).value) for ref in used]
    facts = {
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
    return Payslip(
        employee_id=employee.employee_id,
        period=month,
        payment_date=inputs.payment_date,
        gross=inputs.gross,
        lines=lines,
        findings=tuple(findings),
        fingerprint=fingerprint(facts, versions),
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
