"""France: the monthly payslip of a private-sector employee (general scheme), 2025 and
2026.

``calculate(employee, period, inputs)`` gives a :class:`~backoffice.payroll.Payslip`
for one calendar month. Every figure is read from
:data:`~backoffice.payroll.france_parameters.FRENCH_PARAMETERS` (dated and sourced),
loaded into :data:`PARAMETERS` as :class:`~backoffice.payroll.ParameterSet` s under the
same names (``"pss.monthly"``, ``"smic.hourly"``, ...); nothing is restated here. All
parameters are read on the **first day of the month worked** (France attaches
contributions to the period of employment); a month that no version covers raises
:class:`~backoffice.errors.InvalidValue`, with no fallback to another year.

**Lines** (code, side; ``PSS`` is the *monthly* social security ceiling):

* employee: ``vieillesse.plafonnee.employee`` (up to 1 PSS), ``vieillesse.deplafonnee.
  employee``, ``agirc_arrco.t1.employee`` and ``ceg.t1.employee`` (T1: up to 1 PSS),
  ``agirc_arrco.t2.employee`` and ``ceg.t2.employee`` (T2: from 1 to 8 PSS, only when
  the gross exceeds 1 PSS), ``cet.employee`` (T1 + T2, only when the gross exceeds
  1 PSS), ``csg.deductible``, ``csg.non_deductible`` and ``crds`` (on 98.25 % of the
  gross up to 4 PSS, 100 % above; the abated base is rounded to the cent and printed);
* employer: the same pension lines, ``maladie.employer`` (7 % in 2025 when the gross is
  at most 2.25 SMIC, else 13 %), ``famille.employer`` (3.45 % in 2025 when at most
  3.3 SMIC, else 5.25 %), ``chomage.employer`` and ``ags.employer`` (up to 4 PSS),
  ``csa.employer``, ``fnal.employer`` (0.10 % up to 1 PSS below 50 employees, 0.50 % on
  the whole gross from 50), ``dialogue_social.employer``,
  ``formation_professionnelle.employer`` (0.55 % below 11 employees, 1 % from 11),
  ``taxe_apprentissage.employer``, ``at_mp.employer`` (the company's rate, an input);
* the general reduction of employer contributions, an employer line with a **negative**
  amount: ``reduction_generale`` until 2025-12-31, ``rgdu`` from 2026-01-01.

The employee's unemployment contribution (0 % since 2018-10-01) is not printed. Lines
whose base is nil (T2 and CET up to 1 PSS) and a nil reduction are left out.

**Rounding: line by line.** Each line is ``base × rate`` rounded half up to the cent,
and the totals are the sums of the printed lines, as on a French payslip: every printed
line can be checked by hand from its printed base and rate. Adding the exact amounts
and rounding once (the "aggregate rate" method of published net-pay figures) can differ
by a cent or two: at the full-time SMIC of 2025 (1,801.80 EUR) the lines give a net of
**1,426.29 EUR**, where the official figure -- the contributions at their aggregate
rate, 11.31 % of the gross plus 9.70 % of 98.25 % of it (20.84025 %), rounded once -- is
1,426.30 EUR. This pack follows the line-by-line method.

**The general reduction**, computed for the month alone (not the annual regularisation
of the real payroll): the SMIC reference is ``smic.hourly × hours``, where ``hours`` is
the month's paid hours (an input) or ``151 2/3 × part-time ratio``; so at full time in
2025 it is 11.88 × 151 2/3 = 1,801.80 EUR.

* 2025 (art. D241-7 CSS): ``C = (T / 0.6) × (1.6 × SMIC reference / gross − 1)``,
  rounded half up to 4 decimals, at most ``T`` (``reduction_generale.t``, or ``.t.
  fnal_0_50`` for 50 employees or more), nil from 1.6 SMIC;
* 2026 (RGDU): ``C = Tmin + Tdelta × [(1/2) × (3 × SMIC reference / gross − 1)] ** P``
  (P = 1.75), at most ``Tmin + Tdelta``, rounded half up to 4 decimals, nil from 3 SMIC.
  The SMIC reference uses ``rgdu.smic_reference.hourly`` (the SMIC of 2026-01-01, kept
  all year). The power is computed in 28-digit decimal arithmetic before the rounding.

The reduction is ``gross × C`` rounded half up to the cent. The 2025 reduced maladie and
famille rates compare the gross with the same prorated SMIC reference (the SMIC of
2025-01-01 was in force all year).

**Where the amounts jump** (the law's thresholds, not rounding; checked by the tests):

* at 1 PSS: one cent above, the CET becomes due on the whole T1 + T2 (0.14 % employee,
  0.21 % employer of about 1 PSS): the **net pay falls** by about 5.50 EUR. This is the
  only place where more gross gives a lower net, apart from rounding: each employee line
  is rounded, so one more cent of gross can cost up to one cent per employee line; any
  rise of 1 EUR or more (not crossing 1 PSS) raises the net;
* employer side: at 2.25 and 3.3 SMIC in 2025 (the reduced maladie and famille rates
  end), and at 3 SMIC in 2026 (the RGDU falls from ``Tmin`` = 2 % to nothing).

**Findings**: a gross below the SMIC reference (the full month's SMIC at full time,
prorated for part time or for the hours given) is reported as ``FR.below_smic``, not
raised.

**Speed.** The rules of a month (rates as exact fractions, ceilings in cents, the
parameter versions and their serialised form for the fingerprint) are prepared once per
month, company-size class and parameter mapping, and kept in a small cache; a payslip is
then integer arithmetic on cents plus its :class:`~backoffice.payroll.PayLine` objects.
The fingerprint is the one :func:`~backoffice.payroll.fingerprint` gives, byte for byte.

**Cadres** also pay the APEC (``apec.employee``, ``apec.employer``, on the pay up to
4 PSS), and their employer pays the compulsory prévoyance on tranche A
(``prevoyance_cadre.employer``: at least 1.50 %, or the contract's rate,
:attr:`Employee.prevoyance_rate`). That employer contribution is in the CSG and CRDS
base with no abatement (Code de la sécurité sociale, art. L136-1-1, III, 4°, a), and
from 11 employees it bears the forfait social at 8 % (``forfait_social.employer``,
art. L137-15 and L137-16). OpenFisca-France leaves it out of the CSG base since 2018;
the referee test states the difference.

**Pay items.** :attr:`FranceInputs.items` adds pay elements to the base salary, each of
a kind that declares the bases it feeds (:data:`BASES`): :data:`BONUS` and
:data:`BENEFIT_IN_KIND` feed the gross (the benefit is then taken from the net paid),
:data:`EXPENSE_REFUND` feeds nothing and is added to the net paid. With items, the
payslip prints its earning lines (:attr:`~backoffice.payroll.Side.EARNING`), which add
up to the gross, and its net lines (:attr:`~backoffice.payroll.Side.NET`);
:attr:`~backoffice.payroll.Payslip.net_paid` is the amount paid.

**The rules are a graph** (:data:`GRAPH`, a :class:`~backoffice.payroll.RuleGraph`):
each base, line and finding is a rule declaring what it needs; the module checks the
graph when it loads and derives the order (the CSG base, for instance, comes after the
cadre's prévoyance line it includes).

**Not covered**: the versement mobilité, complementary health insurance,
Alsace-Moselle rates, the contribution supplémentaire à l'apprentissage, overtime
relief, the annual regularisation of the ceilings and of the general reduction, income
tax withholding (the net is the net before it).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from typing import Any, Final, Literal

import attrs

from backoffice.core.money import Money, Rate
from backoffice.core.rounding import RoundingMode
from backoffice.core.time import Period
from backoffice.errors import (
    FloatNotAllowed,
    InvalidType,
    InvalidValue,
)
from backoffice.invoicing.terms import _count, _day
from backoffice.payroll.france_parameters import FRENCH_PARAMETERS, FrenchParameter
from backoffice.payroll.graph import PayRule, RuleGraph
from backoffice.payroll.items import PayItem, PayItemKind, check_kinds, pack_items
from backoffice.payroll.parameters import Parameter, ParameterLookup, ParameterRef, ParameterSet
from backoffice.payroll.payslip import (
    DateAxis,
    Finding,
    PayLine,
    Payslip,
    Side,
    _plain,
    calendar_month,
    employee_key,
    pay_amount,
    pay_run,
)
from backoffice.taxid.model import mask

__all__ = [
    "BASES",
    "BENEFIT_IN_KIND",
    "BONUS",
    "EXPENSE_REFUND",
    "GRAPH",
    "KINDS",
    "PARAMETERS",
    "Category",
    "Employee",
    "FranceInputs",
    "calculate",
    "calculate_many",
]

CURRENCY: Final = "EUR"
JURISDICTION: Final = "FR"
PACK_VERSION: Final = "fr-2"
FULL_TIME_HOURS: Final = Fraction(455, 3)
"""151 2/3 hours: 35 hours a week × 52 / 12."""
ROUNDING: Final = "HALF_UP, line by line"

Category = Literal["non-cadre", "cadre"]


def _value(item: FrenchParameter) -> Any:
    if item.unit == "rate":
        return Rate(item.value)
    if item.unit in ("EUR", "EUR/h"):
        return Money(item.value, CURRENCY)
    return Decimal(item.value)


def _sets(items: Iterable[FrenchParameter]) -> dict[str, ParameterSet[Any]]:
    grouped: dict[str, list[Parameter[Any]]] = {}
    for item in items:
        version = Parameter(
            name=item.name,
            value=_value(item),
            source=item.source,
            valid_from=item.valid_from,
            valid_until=item.valid_until,
            jurisdiction=JURISDICTION,
            checked_on=item.checked_on,
        )
        grouped.setdefault(item.name, []).append(version)
    return {name: ParameterSet(name, versions) for name, versions in grouped.items()}


PARAMETERS: Final[Mapping[str, ParameterSet[Any]]] = _sets(FRENCH_PARAMETERS)
"""The French parameters by name (rates as :class:`Rate`, amounts as :class:`Money`,
coefficients as :class:`~decimal.Decimal`), from :data:`FRENCH_PARAMETERS`."""


# ---------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------


def _gross(value: object) -> Money:
    return pay_amount(value, "gross", CURRENCY)


def _positive_decimal(value: object, field: str, example: str) -> Decimal:
    if isinstance(value, float):
        raise FloatNotAllowed(field=field, value=value, example=example)
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise InvalidType(field=field, expected="a Decimal, int or decimal string", got=repr(value))
    try:
        number = Decimal(value)
    except ArithmeticError:
        raise InvalidType(field=field, expected="a decimal number", got=repr(value)) from None
    if not number.is_finite() or number <= 0:
        raise InvalidValue(field=field, reason=f"must be a positive number, got {value!r}")
    return number


def _ratio(value: object) -> Decimal:
    number = _positive_decimal(value, "part_time_ratio", 'Decimal("0.8")')
    if number > 1:
        raise InvalidValue(field="part_time_ratio", reason=f"must be at most 1, got {value!r}")
    return number


def _hours(value: object) -> Decimal | None:
    if value is None:
        return None
    hours = _positive_decimal(value, "hours", 'Decimal("121.33")')
    if not hours.is_finite() or hours > 744:  # 31 days of 24 hours
        raise InvalidValue(field="hours", reason=f"a month has at most 744 hours, got {hours}")
    return hours


def _rate(value: object, field: str) -> Rate:
    if isinstance(value, float):
        raise FloatNotAllowed(field=field, value=value, example='Rate.percent("1.5")')
    if not isinstance(value, Rate):
        raise InvalidType(field=field, expected='a Rate, e.g. Rate.percent("1.5")', got=repr(value))
    return value


def _at_mp(value: object) -> Rate:
    return _rate(value, "at_mp_rate")


def _payment_date(value: object) -> date | None:
    return None if value is None else _day(value, "payment_date")


def _category(value: object) -> Category:
    if value == "non-cadre":
        return "non-cadre"
    if value == "cadre":
        return "cadre"
    raise InvalidValue(field="category", reason=f"must be 'non-cadre' or 'cadre', got {value!r}")


def _prevoyance_rate(value: object) -> Rate:
    return _rate(value, "prevoyance_rate")


def _items(value: object) -> tuple[PayItem, ...]:
    return pack_items(value, KINDS, CURRENCY, pack="the France pack")


def _headcount(value: object) -> int:
    return _count(value, "headcount", minimum=1)


@attrs.frozen(slots=True, repr=False)
class Employee:
    """The employee: an identifier (masked in ``repr``), the category (``"non-cadre"`` or
    ``"cadre"``), the company's headcount (for the FNAL and training-levy thresholds of
    50 and 11 employees) and the part-time ratio (1 for full time; it prorates the SMIC
    reference when the month's hours are not given)."""

    employee_id: str = attrs.field(converter=employee_key)
    category: Category = attrs.field(default="non-cadre", converter=_category)
    headcount: int = attrs.field(default=1, converter=_headcount, kw_only=True)
    part_time_ratio: Decimal = attrs.field(default=Decimal(1), converter=_ratio, kw_only=True)
    prevoyance_rate: Rate | None = attrs.field(
        default=None, converter=attrs.converters.optional(_prevoyance_rate), kw_only=True
    )
    """A cadre's employer prévoyance rate under the company's contract (``None``: the
    minimum, 1.50 % of tranche A)."""

    def __repr__(self) -> str:
        return (
            f"Employee(employee_id={mask(self.employee_id)!r}, category={self.category!r}, "
            f"headcount={self.headcount}, part_time_ratio={self.part_time_ratio})"
        )


@attrs.frozen(slots=True, repr=False)
class FranceInputs:
    """The month's figures: the gross pay (a Money in EUR, or a decimal string), the
    company's AT/MP rate (a :class:`Rate`), the paid hours of the month for the SMIC
    reference (``None``: 151 2/3 × the part-time ratio) and the payment date (``None``:
    the last day of the month)."""

    gross: Money = attrs.field(converter=_gross)
    at_mp_rate: Rate = attrs.field(converter=_at_mp)
    hours: Decimal | None = attrs.field(default=None, converter=_hours, kw_only=True)
    payment_date: date | None = attrs.field(default=None, converter=_payment_date, kw_only=True)
    items: tuple[PayItem, ...] = attrs.field(default=(), converter=_items, kw_only=True)
    """Other pay elements of the month (:data:`BONUS`, :data:`BENEFIT_IN_KIND`,
    :data:`EXPENSE_REFUND`); with them, :attr:`gross` is the base salary and the
    payslip prints its earning lines."""

    def __repr__(self) -> str:
        return (
            f"FranceInputs(gross=***, at_mp_rate={self.at_mp_rate!r}, hours={self.hours}, "
            f"items={len(self.items)})"
        )


# ---------------------------------------------------------------------------------------
# Rules, prepared once per month
# ---------------------------------------------------------------------------------------

_BASE_GROSS: Final = "gross"
_BASE_T1: Final = "t1"
_BASE_T2: Final = "t2"
_BASE_CET: Final = "cet"
_BASE_4PSS: Final = "4pss"
_BASE_CSG: Final = "csg"


def _labels(fr: str, en: str, pt_br: str) -> dict[str, str]:
    return {"fr": fr, "en": en, "pt_BR": pt_br}


@attrs.frozen(slots=True)
class _Spec:
    """A flat-rate line: its code, labels, side, rate parameter and base."""

    code: str
    label: Mapping[str, str]
    side: Side
    rate: str
    base: str
    ceiling: str | None = None


_EE = Side.EMPLOYEE
_ER = Side.EMPLOYER
_VP = _labels(
    "Sécurité sociale plafonnée", "Old-age insurance, capped", "Previdência (velhice), limitada"
)
_VD = _labels(
    "Sécurité sociale déplafonnée",
    "Old-age insurance, uncapped",
    "Previdência (velhice), sem teto",
)
_AA1 = _labels("Complémentaire AGIRC-ARRCO T1", "AGIRC-ARRCO pension, T1", "AGIRC-ARRCO, T1")
_AA2 = _labels("Complémentaire AGIRC-ARRCO T2", "AGIRC-ARRCO pension, T2", "AGIRC-ARRCO, T2")
_CEG1 = _labels(
    "Contribution d'équilibre général T1",
    "General balancing contribution (CEG), T1",
    "Contribuição de equilíbrio geral (CEG), T1",
)
_CEG2 = _labels(
    "Contribution d'équilibre général T2",
    "General balancing contribution (CEG), T2",
    "Contribuição de equilíbrio geral (CEG), T2",
)
_CET = _labels(
    "Contribution d'équilibre technique",
    "Technical balancing contribution (CET)",
    "Contribuição de equilíbrio técnico (CET)",
)

_EMPLOYEE_SPECS: Final = (
    _Spec(
        "vieillesse.plafonnee.employee",
        _VP,
        _EE,
        "vieillesse.plafonnee.employee",
        _BASE_T1,
        "vieillesse.plafonnee.ceiling_pss",
    ),
    _Spec("vieillesse.deplafonnee.employee", _VD, _EE, "vieillesse.deplafonnee.employee", "gross"),
    _Spec(
        "agirc_arrco.t1.employee",
        _AA1,
        _EE,
        "agirc_arrco.t1.employee",
        _BASE_T1,
        "agirc_arrco.t1.ceiling_pss",
    ),
    _Spec("ceg.t1.employee", _CEG1, _EE, "ceg.t1.employee", _BASE_T1, "agirc_arrco.t1.ceiling_pss"),
    _Spec(
        "agirc_arrco.t2.employee",
        _AA2,
        _EE,
        "agirc_arrco.t2.employee",
        _BASE_T2,
        "agirc_arrco.t2.ceiling_pss",
    ),
    _Spec("ceg.t2.employee", _CEG2, _EE, "ceg.t2.employee", _BASE_T2, "agirc_arrco.t2.ceiling_pss"),
    _Spec("cet.employee", _CET, _EE, "cet.employee", _BASE_CET, "agirc_arrco.t2.ceiling_pss"),
    _Spec(
        "csg.deductible",
        _labels(
            "CSG déductible de l'impôt sur le revenu",
            "CSG, deductible from income tax",
            "CSG, dedutível do imposto de renda",
        ),
        _EE,
        "csg.deductible",
        _BASE_CSG,
    ),
    _Spec(
        "csg.non_deductible",
        _labels(
            "CSG non déductible de l'impôt sur le revenu",
            "CSG, not deductible from income tax",
            "CSG, não dedutível do imposto de renda",
        ),
        _EE,
        "csg.non_deductible",
        _BASE_CSG,
    ),
    _Spec(
        "crds",
        _labels("CRDS", "CRDS (social debt repayment)", "CRDS (reembolso da dívida social)"),
        _EE,
        "crds",
        _BASE_CSG,
    ),
)

_EMPLOYER_PENSION_SPECS: Final = (
    _Spec(
        "vieillesse.plafonnee.employer",
        _VP,
        _ER,
        "vieillesse.plafonnee.employer",
        _BASE_T1,
        "vieillesse.plafonnee.ceiling_pss",
    ),
    _Spec("vieillesse.deplafonnee.employer", _VD, _ER, "vieillesse.deplafonnee.employer", "gross"),
    _Spec(
        "agirc_arrco.t1.employer",
        _AA1,
        _ER,
        "agirc_arrco.t1.employer",
        _BASE_T1,
        "agirc_arrco.t1.ceiling_pss",
    ),
    _Spec("ceg.t1.employer", _CEG1, _ER, "ceg.t1.employer", _BASE_T1, "agirc_arrco.t1.ceiling_pss"),
    _Spec(
        "agirc_arrco.t2.employer",
        _AA2,
        _ER,
        "agirc_arrco.t2.employer",
        _BASE_T2,
        "agirc_arrco.t2.ceiling_pss",
    ),
    _Spec("ceg.t2.employer", _CEG2, _ER, "ceg.t2.employer", _BASE_T2, "agirc_arrco.t2.ceiling_pss"),
    _Spec("cet.employer", _CET, _ER, "cet.employer", _BASE_CET, "agirc_arrco.t2.ceiling_pss"),
)

_APEC_LABEL = _labels(
    "APEC (cadres)",
    "APEC (executives' employment association)",
    "APEC (associação para o emprego de executivos)",
)
_CADRE_SPECS: Final = (
    _Spec("apec.employee", _APEC_LABEL, _EE, "apec.employee", "4pss", "apec.ceiling_pss"),
    _Spec("apec.employer", _APEC_LABEL, _ER, "apec.employer", "4pss", "apec.ceiling_pss"),
)
_PREVOYANCE_LABEL = _labels(
    "Prévoyance obligatoire des cadres (tranche A)",
    "Executives' compulsory death and disability insurance (tranche A)",
    "Previdência obrigatória dos executivos (faixa A)",
)
_FORFAIT_LABEL = _labels(
    "Forfait social sur la prévoyance",
    "Forfait social on the employer's prévoyance",
    "Forfait social sobre a previdência patronal",
)
_FORFAIT_SPEC: Final = _Spec(
    "forfait_social.employer", _FORFAIT_LABEL, _ER, "forfait_social.prevoyance", "prevoyance"
)
_MALADIE = _labels("Assurance maladie", "Health insurance", "Seguro saúde")
_FAMILLE = _labels("Allocations familiales", "Family allowances", "Abonos de família")
_CHOMAGE_LABEL = _labels("Assurance chômage", "Unemployment insurance", "Seguro-desemprego")
_AGS_LABEL = _labels(
    "AGS (garantie des salaires)",
    "Wage guarantee insurance (AGS)",
    "Garantia salarial (AGS)",
)
_CSA_LABEL = _labels(
    "Contribution solidarité autonomie",
    "Solidarity contribution for autonomy (CSA)",
    "Contribuição de solidariedade para a autonomia (CSA)",
)
_FNAL_LABEL = _labels("FNAL", "Housing aid fund (FNAL)", "Fundo nacional de habitação (FNAL)")
_DIALOGUE_LABEL = _labels(
    "Contribution au dialogue social",
    "Social dialogue contribution",
    "Contribuição ao diálogo social",
)
_FORMATION_LABEL = _labels(
    "Formation professionnelle",
    "Vocational training levy",
    "Contribuição para a formação profissional",
)
_APPRENTISSAGE_LABEL = _labels("Taxe d'apprentissage", "Apprenticeship tax", "Taxa de aprendizagem")
_AT_MP_LABEL = _labels(
    "Accidents du travail et maladies professionnelles",
    "Work accidents and occupational diseases (AT/MP)",
    "Acidentes de trabalho e doenças profissionais (AT/MP)",
)
_RG_LABEL = _labels(
    "Réduction générale des cotisations patronales",
    "General reduction of employer contributions",
    "Redução geral das contribuições patronais",
)
_RGDU_LABEL = _labels(
    "Réduction générale dégressive unique (RGDU)",
    "Single degressive general reduction (RGDU)",
    "Redução geral degressiva única (RGDU)",
)
_AT_MP_REFS: Final[tuple[ParameterRef, ...]] = ()


@attrs.frozen(slots=True)
class _Rule:
    """A line prepared for one month: the rate as an exact fraction and the parameter
    versions it reads."""

    code: str
    label: Mapping[str, str]
    side: Side
    rate: Rate
    numerator: int
    denominator: int
    base: str
    parameters: tuple[ParameterRef, ...]
    optional: bool
    """Left out when its base is nil (T2, CET)."""
    twice: int = attrs.field(init=False)
    """2 × :attr:`denominator`, for rounding half up."""

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "twice", 2 * self.denominator)


def _rule(spec: _Spec, sets: Mapping[str, ParameterSet[Any]], day: date) -> _Rule:
    lookup = ParameterLookup(sets, day)
    rate: Rate = lookup.value(spec.rate)
    if spec.base in (_BASE_T1, _BASE_T2, _BASE_CET):
        lookup.value("agirc_arrco.t1.ceiling_pss")
    if spec.base in (_BASE_T2, _BASE_CET):
        lookup.value("agirc_arrco.t2.ceiling_pss")
    if spec.base == _BASE_CET:
        lookup.value("cet.threshold_pss")
    if spec.ceiling is not None:
        lookup.value(spec.ceiling)
    if spec.base == _BASE_CSG:
        lookup.value("csg.base_abatement")
        lookup.value("csg.base_abatement.ceiling_pss")
    if spec.base not in (_BASE_GROSS, "prevoyance"):
        lookup.value("pss.monthly")
    numerator, denominator = rate.ratio.as_integer_ratio()
    return _Rule(
        spec.code,
        spec.label,
        spec.side,
        rate,
        numerator,
        denominator,
        spec.base,
        lookup.used,
        spec.base in (_BASE_T2, _BASE_CET),
    )


def _in_force(sets: Mapping[str, ParameterSet[Any]], name: str, day: date) -> bool:
    found = sets.get(name)
    return found is not None and any(version.covers(day) for version in found)


def _cents(value: Money) -> int:
    return value.minor_units()


@attrs.frozen(slots=True)
class _ReducedRate:
    """A 2025 reduced employer rate: the reduced rule up to ``threshold`` × SMIC."""

    reduced: _Rule
    threshold: Fraction


@attrs.frozen(slots=True)
class _Month:
    """Everything a payslip of one month and one company size needs, read once."""

    day: date
    pss: int
    """The monthly PSS in cents."""
    t1_ceiling: int
    t2_ceiling: int
    cet_threshold: int
    csg_ceiling: int
    csg_abatement: Fraction
    four_pss: int
    employee: tuple[_Rule, ...]
    employer: tuple[_Rule, ...]
    rules: tuple[_Rule, ...] = attrs.field(init=False)
    """The employee rules, then the employer rules."""
    maladie: _Rule
    maladie_reduced: _ReducedRate | None
    famille: _Rule
    famille_reduced: _ReducedRate | None
    smic_hourly: Fraction
    smic_refs: tuple[ParameterRef, ...]
    reduction_kind: str
    """``"rg"`` (2025) or ``"rgdu"`` (2026)."""
    reduction_hourly: Fraction
    reduction_values: Mapping[str, Decimal]
    reduction_refs: tuple[ParameterRef, ...]
    cadre: tuple[_Rule, ...]
    """The APEC lines (cadres only)."""
    prevoyance_minimum: Rate
    prevoyance_refs: tuple[ParameterRef, ...]
    forfait: _Rule
    """The forfait social on the employer's prévoyance (its base: that contribution)."""
    forfait_headcount: int
    versions: tuple[tuple[ParameterRef, Any], ...]
    versions_json: str
    """The parameter part of the fingerprint document, serialised once."""
    smic_memo: dict[Fraction, _Smic] = attrs.field(factory=dict, eq=False)
    by_code: Mapping[str, _Rule] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "rules", (*self.employee, *self.employer))
        object.__setattr__(
            self, "by_code", {rule.code: rule for rule in (*self.rules, *self.cadre)}
        )


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=True, separators=(",", ":"))


def _fingerprint(facts: Mapping[str, str | int | None], month: _Month) -> str:
    """:func:`~backoffice.payroll.fingerprint` of ``facts`` (already in their plain text
    form) and the month's parameter versions, byte for byte, with the versions
    serialised once per month."""
    text = f'{{"inputs":{_canonical(facts)},"parameters":{month.versions_json}}}'
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def _flat(
    code: str, label: Mapping[str, str], rate: str, base: str, ceiling: str | None = None
) -> _Spec:
    return _Spec(code, label, _ER, rate, base, ceiling)


def _with_reduced_rate(
    sets: Mapping[str, ParameterSet[Any]],
    day: date,
    code: str,
    label: Mapping[str, str],
    threshold: str,
) -> tuple[_Rule, _ReducedRate | None]:
    """The rule at the full rate, and the 2025 reduced rate with its threshold when it
    is in force; then both lines cite the threshold and the SMIC they depend on."""
    full = _rule(_flat(code, label, code, _BASE_GROSS), sets, day)
    if not _in_force(sets, f"{code}.reduced", day):
        return full, None
    lookup = ParameterLookup(sets, day)
    factor: Decimal = lookup.value(threshold)
    lookup.value("smic.hourly")
    reduced = _rule(_flat(code, label, f"{code}.reduced", _BASE_GROSS), sets, day)
    full = attrs.evolve(full, parameters=tuple(sorted({*full.parameters, *lookup.used})))
    reduced = attrs.evolve(reduced, parameters=tuple(sorted({*reduced.parameters, *lookup.used})))
    return full, _ReducedRate(reduced, Fraction(factor))


def _prepare(sets: Mapping[str, ParameterSet[Any]], day: date, headcount: int) -> _Month:
    lookup = ParameterLookup(sets, day)
    pss = _cents(lookup.money("pss.monthly"))

    def multiple(name: str) -> int:
        factor: Decimal = lookup.value(name)
        numerator, denominator = factor.as_integer_ratio()
        quotient, remainder = divmod(pss * numerator, denominator)
        if remainder:
            raise InvalidValue(field=name, reason="a ceiling must be a whole number of cents")
        return quotient

    fnal_50 = headcount >= 50
    fnal = (
        _flat("fnal.employer", _FNAL_LABEL, "fnal.employer.50_and_over", _BASE_GROSS)
        if fnal_50
        else _flat(
            "fnal.employer",
            _FNAL_LABEL,
            "fnal.employer.under_50",
            _BASE_T1,
            "fnal.employer.under_50.ceiling_pss",
        )
    )
    formation = _flat(
        "formation_professionnelle.employer",
        _FORMATION_LABEL,
        "formation_professionnelle.11_and_over"
        if headcount >= 11
        else "formation_professionnelle.under_11",
        _BASE_GROSS,
    )
    employer_specs = (
        *_EMPLOYER_PENSION_SPECS,
        _flat(
            "chomage.employer",
            _CHOMAGE_LABEL,
            "chomage.employer",
            _BASE_4PSS,
            "chomage.ceiling_pss",
        ),
        _flat("ags.employer", _AGS_LABEL, "ags.employer", _BASE_4PSS, "ags.ceiling_pss"),
        _flat("csa.employer", _CSA_LABEL, "csa.employer", _BASE_GROSS),
        fnal,
        _flat("dialogue_social.employer", _DIALOGUE_LABEL, "dialogue_social.employer", _BASE_GROSS),
        formation,
        _flat(
            "taxe_apprentissage.employer", _APPRENTISSAGE_LABEL, "taxe_apprentissage", _BASE_GROSS
        ),
    )
    t1 = multiple("agirc_arrco.t1.ceiling_pss")
    if (
        multiple("vieillesse.plafonnee.ceiling_pss") != t1
        or multiple("fnal.employer.under_50.ceiling_pss") != t1
        or multiple("ags.ceiling_pss") != multiple("chomage.ceiling_pss")
    ):
        raise InvalidValue(field="parameters", reason="the pack expects the 2025-2026 ceilings")

    smic_lookup = ParameterLookup(sets, day)
    smic_hourly = Fraction(_cents(smic_lookup.money("smic.hourly")))
    reduction_lookup = ParameterLookup(sets, day)
    values: dict[str, Decimal] = {}
    if _in_force(sets, "reduction_generale.t", day):
        kind = "rg"
        values["t"] = reduction_lookup.value(
            "reduction_generale.t.fnal_0_50" if fnal_50 else "reduction_generale.t"
        )
        values["ceiling"] = reduction_lookup.value("reduction_generale.ceiling_smic")
        reduction_hourly = Fraction(_cents(reduction_lookup.money("smic.hourly")))
    else:
        kind = "rgdu"
        values["t_min"] = reduction_lookup.value("rgdu.t_min")
        values["t_delta"] = reduction_lookup.value(
            "rgdu.t_delta.fnal_0_50" if fnal_50 else "rgdu.t_delta"
        )
        values["power"] = reduction_lookup.value("rgdu.power")
        values["ceiling"] = reduction_lookup.value("rgdu.ceiling_smic")
        reduction_hourly = Fraction(_cents(reduction_lookup.money("rgdu.smic_reference.hourly")))
    maladie, maladie_reduced = _with_reduced_rate(
        sets, day, "maladie.employer", _MALADIE, "maladie.reduced.threshold_smic"
    )
    famille, famille_reduced = _with_reduced_rate(
        sets, day, "famille.employer", _FAMILLE, "famille.reduced.threshold_smic"
    )
    employee = tuple(_rule(spec, sets, day) for spec in _EMPLOYEE_SPECS)
    employer = tuple(_rule(spec, sets, day) for spec in employer_specs)
    cadre = tuple(_rule(spec, sets, day) for spec in _CADRE_SPECS)
    if multiple("apec.ceiling_pss") != multiple("chomage.ceiling_pss"):
        raise InvalidValue(field="parameters", reason="the pack expects the APEC base of 4 PSS")
    prevoyance_lookup = ParameterLookup(sets, day)
    prevoyance_minimum: Rate = prevoyance_lookup.value("prevoyance_cadre.employer.minimum")
    prevoyance_factor: Decimal = prevoyance_lookup.value("prevoyance_cadre.ceiling_pss")
    prevoyance_lookup.value("pss.monthly")
    if prevoyance_factor != 1:
        raise InvalidValue(field="parameters", reason="the pack expects prévoyance on tranche A")
    forfait = _rule(_FORFAIT_SPEC, sets, day)
    forfait_lookup = ParameterLookup(sets, day)
    forfait_headcount = int(forfait_lookup.value("forfait_social.prevoyance.headcount"))
    forfait = attrs.evolve(
        forfait, parameters=tuple(sorted({*forfait.parameters, *forfait_lookup.used}))
    )
    abatement: Decimal = lookup.value("csg.base_abatement")
    refs: set[ParameterRef] = set(lookup.used) | set(smic_lookup.used)
    refs |= set(reduction_lookup.used) | set(prevoyance_lookup.used)
    for rule in (*employee, *employer, *cadre, forfait, maladie, famille):
        refs |= set(rule.parameters)
    for extra in (maladie_reduced, famille_reduced):
        if extra is not None:
            refs |= set(extra.reduced.parameters)
    versions = tuple(
        sorted(
            ((ref, sets[ref.name].version_on(ref.valid_from).value) for ref in refs),
            key=lambda pair: pair[0],
        )
    )
    return _Month(
        day=day,
        pss=pss,
        t1_ceiling=t1,
        t2_ceiling=multiple("agirc_arrco.t2.ceiling_pss"),
        cet_threshold=multiple("cet.threshold_pss"),
        csg_ceiling=multiple("csg.base_abatement.ceiling_pss"),
        csg_abatement=Fraction(abatement),
        four_pss=multiple("chomage.ceiling_pss"),
        employee=employee,
        employer=employer,
        maladie=maladie,
        maladie_reduced=maladie_reduced,
        famille=famille,
        famille_reduced=famille_reduced,
        smic_hourly=smic_hourly,
        smic_refs=smic_lookup.used,
        reduction_kind=kind,
        reduction_hourly=reduction_hourly,
        reduction_values=values,
        reduction_refs=reduction_lookup.used,
        cadre=cadre,
        prevoyance_minimum=prevoyance_minimum,
        prevoyance_refs=prevoyance_lookup.used,
        forfait=forfait,
        forfait_headcount=forfait_headcount,
        versions=versions,
        versions_json=_canonical(
            sorted([ref.name, ref.valid_from.isoformat(), _plain(value)] for ref, value in versions)
        ),
    )


_CACHE: dict[
    tuple[int, tuple[int, ...], date, bool, bool], tuple[Mapping[str, ParameterSet[Any]], _Month]
] = {}
_CACHE_SIZE: Final = 256


def _month_rules(sets: Mapping[str, ParameterSet[Any]], day: date, headcount: int) -> _Month:
    # the mapping and each of its parameter sets by identity: a set replaced in the
    # mapping (parameter sets themselves never change) is another key
    key = (id(sets), tuple(map(id, sets.values())), day, headcount >= 50, headcount >= 11)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is sets:
        return hit[1]
    prepared = _prepare(sets, day, headcount)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.clear()
    _CACHE[key] = (sets, prepared)
    return prepared


# ---------------------------------------------------------------------------------------
# Calculation
# ---------------------------------------------------------------------------------------


def _half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` (both non-negative) rounded half up to an integer."""
    return (2 * numerator + denominator) // (2 * denominator)


_CENT: Final = Money("0.01", CURRENCY)
_AXIS: Final = DateAxis.PERIOD_WORKED


def _line(rule: _Rule, base: int, printed: Money) -> PayLine:
    return PayLine(
        rule.code,
        rule.label,
        printed,
        rule.rate,
        _CENT * _half_up(base * rule.numerator, rule.denominator),
        rule.side,
        ROUNDING,
        DateAxis.PERIOD_WORKED,
        rule.parameters,
    )


@attrs.frozen(slots=True)
class _Smic:
    """The SMIC figures of one month for a number of hours, in cents."""

    exact: Fraction
    """The month's hourly SMIC × hours."""
    cents: int
    """:attr:`exact` rounded half up, for the below-SMIC finding."""
    reduction: Fraction
    """The SMIC reference of the general reduction."""
    maladie_limit: Fraction | None
    famille_limit: Fraction | None


def _smic(month: _Month, hours: Fraction) -> _Smic:
    found = month.smic_memo.get(hours)
    if found is None:
        exact = month.smic_hourly * hours
        maladie = None if month.maladie_reduced is None else month.maladie_reduced.threshold
        famille = None if month.famille_reduced is None else month.famille_reduced.threshold
        found = _Smic(
            exact,
            _half_up(exact.numerator, exact.denominator),
            month.reduction_hourly * hours,
            None if maladie is None else maladie * exact,
            None if famille is None else famille * exact,
        )
        if len(month.smic_memo) >= _CACHE_SIZE:
            month.smic_memo.clear()
        month.smic_memo[hours] = found
    return found


_FOUR_PLACES: Final = Decimal("0.0001")
_POWER_CONTEXT: Final = Context(prec=28)


def _coefficient_rg(values: Mapping[str, Decimal], smic: Fraction, gross: int) -> Fraction:
    """``(T / 0.6) × (ceiling × smic / gross − 1)``, 4 decimals half up, at most T; in
    integers: ``T × (ceiling × smic − gross) / (0.6 × gross)``."""
    t_num, t_den = values["t"].as_integer_ratio()
    c_num, c_den = values["ceiling"].as_integer_ratio()
    s_num, s_den = smic.numerator, smic.denominator
    excess = c_num * s_num - gross * c_den * s_den
    if excess <= 0:
        return Fraction(0)
    ten_thousandths = _half_up(t_num * 10 * 10000 * excess, t_den * 6 * gross * c_den * s_den)
    return min(Fraction(ten_thousandths, 10000), Fraction(t_num, t_den))


def _coefficient_rgdu(values: Mapping[str, Decimal], smic: Fraction, gross: int) -> Fraction:
    if gross >= Fraction(values["ceiling"]) * smic:
        return Fraction(0)
    inner = (3 * smic / gross - 1) / 2
    ctx = _POWER_CONTEXT
    x = ctx.divide(Decimal(inner.numerator), Decimal(inner.denominator))
    power = values["power"]
    if power * 4 == int(power * 4):
        # x ** (n / 4) as two square roots of x ** n: much faster than a real power
        powered = ctx.sqrt(ctx.sqrt(ctx.power(x, int(power * 4))))
    else:  # pragma: no cover - no such parameter in 2026
        powered = ctx.power(x, power)
    exact = ctx.add(values["t_min"], ctx.multiply(values["t_delta"], powered))
    exact = min(exact, values["t_min"] + values["t_delta"])
    return Fraction(exact.quantize(_FOUR_PLACES, rounding=ROUND_HALF_UP))


def _reduction_line(
    month: _Month, gross: int, printed: Money, smic: Fraction, hours: Fraction
) -> PayLine | None:
    if gross == 0:
        return None
    if month.reduction_kind == "rg":
        coefficient = _coefficient_rg(month.reduction_values, smic, gross)
        code, label = "reduction_generale", _RG_LABEL
    else:
        coefficient = _coefficient_rgdu(month.reduction_values, smic, gross)
        code, label = "rgdu", _RGDU_LABEL
    if coefficient == 0:
        return None
    amount = _half_up(gross * coefficient.numerator, coefficient.denominator)
    if amount == 0:
        return None
    rate = Rate(Decimal(coefficient.numerator) / Decimal(coefficient.denominator))
    return PayLine(
        code,
        label,
        printed,
        rate,
        _CENT * -amount,
        Side.EMPLOYER,
        ROUNDING,
        DateAxis.PERIOD_WORKED,
        month.reduction_refs,
        (
            f"SMIC reference {_text(smic / 100)} EUR (hourly SMIC × {_text(hours)} h)",
            f"coefficient {rate.ratio} (4 decimals, half up)",
        ),
    )


def _text(value: Fraction) -> str:
    """``value`` to 2 decimals, half up, for an explanation."""
    return str(Decimal(_half_up(value.numerator * 100, value.denominator)).scaleb(-2))


# ---------------------------------------------------------------------------------------
# The rules as a graph
# ---------------------------------------------------------------------------------------

BASES: Final = frozenset({"gross", "csg_unabated"})
"""The bases pay items can feed: ``"gross"`` (the social contributions, and the CSG and
CRDS after the 1.75 % abatement) and ``"csg_unabated"`` (the CSG and CRDS only, with no
abatement)."""

BONUS: Final = PayItemKind("prime", _labels("Prime", "Bonus", "Prêmio"), feeds=frozenset({"gross"}))
"""A bonus or any other pay element in cash subject to the contributions."""
BENEFIT_IN_KIND: Final = PayItemKind(
    "avantage_nature",
    _labels("Avantage en nature", "Benefit in kind", "Benefício em espécie"),
    feeds=frozenset({"gross"}),
    paid=False,
)
"""A benefit in kind (a company car, meals, housing): part of the gross and of every
contribution base, then taken from the net pay, since it was received in kind
(Code de la sécurité sociale, art. L242-1; arrêté du 10 décembre 2002)."""
EXPENSE_REFUND: Final = PayItemKind(
    "remboursement_frais",
    _labels("Remboursement de frais professionnels", "Expense refund", "Reembolso de despesas"),
    feeds=frozenset(),
)
"""A refund of professional expenses on receipts: outside every contribution base
(arrêté du 20 décembre 2002 relatif aux frais professionnels), added to the net pay."""
KINDS: Final = (BONUS, BENEFIT_IN_KIND, EXPENSE_REFUND)
check_kinds(KINDS, BASES, pack="the France pack")

_BASE_SALARY_LABEL = _labels("Salaire de base", "Base salary", "Salário base")
_INPUTS: Final = (
    "month",
    "employee",
    "inputs",
    "gross",
    "gross_money",
    "items_csg",
    "hours",
)


def _pair(cents: int, values: Mapping[str, Any]) -> tuple[int, Money]:
    if cents == values["gross"]:
        return cents, values["gross_money"]
    return cents, _CENT * cents


def _base(name: str, cents: Callable[[_Month, int], int]) -> PayRule:
    return PayRule(
        f"base.{name}",
        ("month", "gross", "gross_money"),
        lambda v: _pair(cents(v["month"], v["gross"]), v),
        f"the {name} base, in cents",
    )


def _csg_base(values: Mapping[str, Any]) -> tuple[int, Money]:
    month: _Month = values["month"]
    gross: int = values["gross"]
    capped = min(gross, month.csg_ceiling)
    abated = month.csg_abatement * capped
    cents = _half_up(abated.numerator, abated.denominator) + max(0, gross - month.csg_ceiling)
    prevoyance: PayLine | None = values["line.prevoyance_cadre.employer"]
    extra: int = values["items_csg"]
    if prevoyance is not None:
        extra += prevoyance.amount.minor_units()
    return _pair(cents + extra, values)


def _flat_line(code: str, bases: tuple[str, ...]) -> PayRule:
    """The line ``code`` at its month's rate on its month's base (one of ``bases``)."""

    def compute(values: Mapping[str, Any]) -> PayLine | None:
        rule: _Rule = values["month"].by_code[code]
        base, printed = values[f"base.{rule.base}"]
        if not base and rule.optional:
            return None
        return PayLine(
            rule.code,
            rule.label,
            printed,
            rule.rate,
            _CENT * ((2 * base * rule.numerator + rule.denominator) // rule.twice),
            rule.side,
            ROUNDING,
            _AXIS,
            rule.parameters,
        )

    return PayRule(
        f"line.{code}", ("month", *(f"base.{b}" for b in bases)), compute, f"the {code} line"
    )


def _cadre_line(code: str) -> PayRule:
    flat = _flat_line(code, (_BASE_4PSS,))

    def compute(values: Mapping[str, Any]) -> PayLine | None:
        employee: Employee = values["employee"]
        return flat.compute(values) if employee.category == "cadre" else None

    return PayRule(flat.name, (*flat.needs, "employee"), compute, f"the {code} line (cadres)")


def _prevoyance(values: Mapping[str, Any]) -> PayLine | None:
    employee: Employee = values["employee"]
    if employee.category != "cadre":
        return None
    month: _Month = values["month"]
    rate = employee.prevoyance_rate or month.prevoyance_minimum
    if rate < month.prevoyance_minimum:
        raise InvalidValue(
            field="prevoyance_rate",
            reason=f"{rate} is below the employer's minimum for cadres "
            f"({month.prevoyance_minimum}): give the contract's rate, at least the minimum",
        )
    base, printed = values["base.t1"]
    numerator, denominator = rate.ratio.as_integer_ratio()
    return PayLine(
        "prevoyance_cadre.employer",
        _PREVOYANCE_LABEL,
        printed,
        rate,
        _CENT * _half_up(base * numerator, denominator),
        Side.EMPLOYER,
        ROUNDING,
        _AXIS,
        month.prevoyance_refs,
        ("the contract's rate" if employee.prevoyance_rate else "the minimum rate",),
    )


def _forfait(values: Mapping[str, Any]) -> PayLine | None:
    prevoyance: PayLine | None = values["line.prevoyance_cadre.employer"]
    month: _Month = values["month"]
    employee: Employee = values["employee"]
    if prevoyance is None or employee.headcount < month.forfait_headcount:
        return None
    rule = month.forfait
    base = prevoyance.amount.minor_units()
    return _line(rule, base, prevoyance.amount)


def _reduced(values: Mapping[str, Any], which: str) -> PayLine:
    month: _Month = values["month"]
    smic: _Smic = values["smic"]
    gross: int = values["gross"]
    if which == "maladie":
        rule, reduced, limit = month.maladie, month.maladie_reduced, smic.maladie_limit
    else:
        rule, reduced, limit = month.famille, month.famille_reduced, smic.famille_limit
    if reduced is not None and gross <= (limit or 0):
        rule = reduced.reduced
    return _line(rule, gross, values["gross_money"])


def _at_mp_line(values: Mapping[str, Any]) -> PayLine:
    inputs: FranceInputs = values["inputs"]
    gross: Money = values["gross_money"]
    return PayLine(
        "at_mp.employer",
        _AT_MP_LABEL,
        gross,
        inputs.at_mp_rate,
        inputs.at_mp_rate.of(gross, rounding=RoundingMode.HALF_UP),
        Side.EMPLOYER,
        ROUNDING,
        DateAxis.PERIOD_WORKED,
        _AT_MP_REFS,
        ("the company's rate, notified by the CARSAT",),
    )


def _reduction(values: Mapping[str, Any]) -> PayLine | None:
    smic: _Smic = values["smic"]
    return _reduction_line(
        values["month"], values["gross"], values["gross_money"], smic.reduction, values["hours"]
    )


def _below_smic(values: Mapping[str, Any]) -> Finding | None:
    smic: _Smic = values["smic"]
    hours: Fraction = values["hours"]
    if values["gross"] >= smic.cents:
        return None
    return Finding(
        "FR.below_smic",
        f"the gross {values['gross_money']} is below the SMIC of the month for "
        f"{_text(hours)} hours ({_text(smic.exact / 100)} EUR, compared to the cent)",
    )


_RULES: Final[tuple[PayRule, ...]] = (
    PayRule("smic", ("month", "hours"), lambda v: _smic(v["month"], v["hours"])),
    PayRule("base.gross", ("gross", "gross_money"), lambda v: (v["gross"], v["gross_money"])),
    _base(_BASE_T1, lambda m, g: min(g, m.t1_ceiling)),
    _base(_BASE_T2, lambda m, g: max(0, min(g, m.t2_ceiling) - m.t1_ceiling)),
    _base(_BASE_CET, lambda m, g: min(g, m.t2_ceiling) if g > m.cet_threshold else 0),
    _base(_BASE_4PSS, lambda m, g: min(g, m.four_pss)),
    PayRule(
        "base.csg",
        ("month", "gross", "gross_money", "items_csg", "line.prevoyance_cadre.employer"),
        _csg_base,
        "98.25 % of the gross up to 4 PSS, all of it above, plus what feeds the CSG only "
        "(the employer's prévoyance, items feeding csg_unabated)",
    ),
    *(
        _flat_line(spec.code, (spec.base,))
        for spec in _EMPLOYEE_SPECS
        if spec.code not in ("crds",)
    ),
    _flat_line("crds", (_BASE_CSG,)),
    _cadre_line("apec.employee"),
    *(_flat_line(spec.code, (spec.base,)) for spec in _EMPLOYER_PENSION_SPECS),
    _cadre_line("apec.employer"),
    _flat_line("chomage.employer", (_BASE_4PSS,)),
    _flat_line("ags.employer", (_BASE_4PSS,)),
    _flat_line("csa.employer", (_BASE_GROSS,)),
    _flat_line("fnal.employer", (_BASE_T1, _BASE_GROSS)),
    _flat_line("dialogue_social.employer", (_BASE_GROSS,)),
    _flat_line("formation_professionnelle.employer", (_BASE_GROSS,)),
    _flat_line("taxe_apprentissage.employer", (_BASE_GROSS,)),
    PayRule(
        "line.prevoyance_cadre.employer",
        ("month", "employee", "base.t1"),
        _prevoyance,
        "the employer's prévoyance for cadres on tranche A",
    ),
    PayRule(
        "line.forfait_social.employer",
        ("month", "employee", "line.prevoyance_cadre.employer"),
        _forfait,
        "8 % of the employer's prévoyance, from 11 employees",
    ),
    PayRule(
        "line.maladie.employer",
        ("month", "smic", "gross", "gross_money"),
        lambda v: _reduced(v, "maladie"),
    ),
    PayRule(
        "line.famille.employer",
        ("month", "smic", "gross", "gross_money"),
        lambda v: _reduced(v, "famille"),
    ),
    PayRule("line.at_mp.employer", ("inputs", "gross_money"), _at_mp_line),
    PayRule(
        "line.reduction",
        ("month", "smic", "gross", "gross_money", "hours"),
        _reduction,
        "the general reduction (2025) or the RGDU (2026)",
    ),
    PayRule("finding.below_smic", ("smic", "gross", "gross_money", "hours"), _below_smic),
)

GRAPH: Final = RuleGraph(_RULES, inputs=_INPUTS, pack="the France pack")
"""The pack's rules, checked when the module loads (see
:class:`~backoffice.payroll.RuleGraph`)."""
_LINES: Final = tuple(rule.name for rule in _RULES if rule.name.startswith("line."))
_EVALUATE: Final = GRAPH.evaluate


def _hours_of(employee: Employee, inputs: FranceInputs) -> Fraction:
    if inputs.hours is not None:
        return Fraction(inputs.hours)
    if employee.part_time_ratio == 1:
        return FULL_TIME_HOURS
    return FULL_TIME_HOURS * Fraction(employee.part_time_ratio)


def _item_line(item: PayItem, side: Side, amount: Money) -> PayLine:
    return PayLine(
        item.kind.code,
        item.kind.label,
        item.amount,
        None,
        amount,
        side,
        "none (an amount given)",
        _AXIS,
    )


def _earnings(
    inputs: FranceInputs,
) -> tuple[Money, int, tuple[PayLine, ...], tuple[PayLine, ...]]:
    """The gross, the cents feeding the CSG only, the earning lines and the net lines."""
    if not inputs.items:
        return inputs.gross, 0, (), ()
    gross = inputs.gross
    csg = 0
    earnings = [_item_line_base(inputs.gross)]
    net: list[PayLine] = []
    for item in inputs.items:
        if "gross" in item.kind.feeds:
            gross += item.amount
            earnings.append(_item_line(item, Side.EARNING, item.amount))
            if not item.kind.paid:
                net.append(_item_line(item, Side.NET, -item.amount))
        else:
            if "csg_unabated" in item.kind.feeds:
                csg += item.amount.minor_units()
            if item.kind.paid:
                net.append(_item_line(item, Side.NET, item.amount))
    return gross, csg, tuple(earnings), tuple(net)


def _item_line_base(amount: Money) -> PayLine:
    return PayLine(
        "salaire_base",
        _BASE_SALARY_LABEL,
        amount,
        None,
        amount,
        Side.EARNING,
        "none (an amount given)",
        _AXIS,
    )


def calculate(
    employee: Employee,
    period: Period,
    inputs: FranceInputs,
    *,
    parameters: Mapping[str, ParameterSet[Any]] = PARAMETERS,
    strict: bool = False,
) -> Payslip:
    """The payslip of ``employee`` for the calendar month ``period``.

    Every parameter is read on the first day of ``period`` (see the module). The lines
    come from :data:`GRAPH`; ``strict=True`` evaluates it with each rule limited to the
    values it declares (slower, for tests).

    Raises:
        InvalidValue: ``period`` is not one calendar month; no parameter version covers
            it (before November 2024 or after 2026); a cadre's prévoyance rate below
            the minimum.
        InvalidType: an argument of the wrong type (a float raises
            :class:`~backoffice.errors.FloatNotAllowed`).
    """
    if not isinstance(employee, Employee):
        raise InvalidType(field="employee", expected="an Employee", got=repr(employee))
    if not isinstance(inputs, FranceInputs):
        raise InvalidType(field="inputs", expected="FranceInputs", got=repr(inputs))
    month_period = calendar_month(period)
    month = _month_rules(parameters, month_period.start, employee.headcount)
    gross_money, items_csg, earnings, net_lines = _earnings(inputs)
    values = {
        "month": month,
        "employee": employee,
        "inputs": inputs,
        "gross": gross_money.minor_units(),
        "gross_money": gross_money,
        "items_csg": items_csg,
        "hours": _hours_of(employee, inputs),
    }
    computed = GRAPH.evaluate(values, strict=True) if strict else _EVALUATE(values)
    lines = [*earnings]
    append = lines.append
    for name in _LINES:
        line = computed[name]
        if line is not None:
            append(line)
    lines.extend(net_lines)
    finding = computed["finding.below_smic"]
    payment_date = inputs.payment_date or month_period.end
    facts: dict[str, str | int | None] = {
        "pack": PACK_VERSION,
        "employee_id": employee.employee_id,
        "category": employee.category,
        "headcount": employee.headcount,
        "part_time_ratio": str(employee.part_time_ratio),
        "period": str(month_period),
        "gross": f"{inputs.gross.amount} {CURRENCY}",
        "at_mp_rate": str(inputs.at_mp_rate),
        "hours": None if inputs.hours is None else str(inputs.hours),
        "payment_date": payment_date.isoformat(),
    }
    if employee.prevoyance_rate is not None:
        facts["prevoyance_rate"] = str(employee.prevoyance_rate)
    if inputs.items:
        facts["items"] = _canonical(
            [[item.kind.code, f"{item.amount.amount} {CURRENCY}"] for item in inputs.items]
        )
    return Payslip(
        employee_id=employee.employee_id,
        period=month_period,
        payment_date=payment_date,
        gross=gross_money,
        lines=tuple(lines),
        findings=() if finding is None else (finding,),
        fingerprint=_fingerprint(facts, month),
    )


def calculate_many(
    run: Iterable[tuple[Employee, FranceInputs]],
    period: Period,
    *,
    parameters: Mapping[str, ParameterSet[Any]] = PARAMETERS,
) -> tuple[Payslip, ...]:
    """The payslips of a pay run for ``period``, in the order of ``run``.

    Raises:
        ValidationError: one problem per entry that failed (path: its index), after
            trying them all.
    """
    return pay_run(
        run, lambda employee, inputs: calculate(employee, period, inputs, parameters=parameters)
    )
