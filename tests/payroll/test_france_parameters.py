"""The French payroll parameters: well-formed, dated without gaps, and as in OpenFisca."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pytest

from backoffice.payroll.france_parameters import FRENCH_PARAMETERS, FrenchParameter

START = dt.date(2025, 1, 1)
END = dt.date(2026, 12, 31)
UNITS = {"rate", "EUR", "EUR/h", "hours", "coefficient"}


def _by_name() -> dict[str, list[FrenchParameter]]:
    periods: dict[str, list[FrenchParameter]] = defaultdict(list)
    for parameter in FRENCH_PARAMETERS:
        periods[parameter.name].append(parameter)
    return {name: sorted(ps, key=lambda p: p.valid_from) for name, ps in periods.items()}


def _at(name: str, day: dt.date) -> Decimal:
    [parameter] = [
        p
        for p in _by_name()[name]
        if p.valid_from <= day and (p.valid_until is None or day <= p.valid_until)
    ]
    return Decimal(parameter.value)


def _cent(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.mark.parametrize("parameter", FRENCH_PARAMETERS, ids=lambda p: p.name)
def test_each_entry_is_well_formed(parameter: FrenchParameter) -> None:
    try:
        value = Decimal(parameter.value)
    except InvalidOperation:  # pragma: no cover - the assertion below reports it
        pytest.fail(f"{parameter.name}: {parameter.value!r} is no decimal")
    assert value.is_finite()
    assert value >= 0
    assert parameter.value == parameter.value.strip()
    assert "e" not in parameter.value.lower()
    assert parameter.unit in UNITS
    if parameter.unit == "rate":
        assert value < 1
    assert parameter.source.strip()
    assert parameter.valid_until is None or parameter.valid_from <= parameter.valid_until
    assert parameter.checked_on >= dt.date(2025, 1, 1)


@pytest.mark.parametrize("name", sorted(_by_name()))
def test_periods_do_not_overlap_and_leave_no_gap(name: str) -> None:
    periods = _by_name()[name]
    for before, after in itertools.pairwise(periods):
        assert before.valid_until is not None, f"{name}: open period followed by another"
        assert before.valid_until + dt.timedelta(days=1) == after.valid_from, name
    # within 2025-2026, from the first day the parameter applies to the last
    first = max(periods[0].valid_from, START)
    last = periods[-1].valid_until
    assert first <= END
    covered_until = min(last, END) if last is not None else END
    assert covered_until >= first


def test_the_names_the_engine_expects() -> None:
    names = set(_by_name())
    assert {
        "pss.monthly",
        "smic.hourly",
        "smic.monthly",
        "vieillesse.plafonnee.employee",
        "agirc_arrco.t1.employee",
        "csg.deductible",
        "csg.base_abatement",
        "csg.base_abatement.ceiling_pss",
        "chomage.employer",
        "ags.employer",
        "maladie.employer",
        "maladie.employer.reduced",
        "maladie.reduced.threshold_smic",
        "reduction_generale.t",
        "rgdu.t_min",
        "rgdu.t_delta",
        "rgdu.power",
        "rgdu.ceiling_smic",
    } <= names


@pytest.mark.parametrize(
    ("name", "day", "expected"),
    [
        ("pss.monthly", dt.date(2025, 6, 1), "3925.00"),
        ("pss.monthly", dt.date(2026, 6, 1), "4005.00"),
        ("smic.hourly", dt.date(2025, 6, 1), "11.88"),
        ("smic.hourly", dt.date(2026, 1, 1), "12.02"),
        ("chomage.employer", dt.date(2025, 4, 30), "0.0405"),
        ("chomage.employer", dt.date(2025, 5, 1), "0.0400"),
        ("ags.employer", dt.date(2025, 1, 1), "0.0025"),
        ("reduction_generale.t", dt.date(2025, 4, 30), "0.3194"),
        ("reduction_generale.t", dt.date(2025, 5, 1), "0.3193"),
        ("vieillesse.deplafonnee.employer", dt.date(2025, 12, 31), "0.0202"),
        ("vieillesse.deplafonnee.employer", dt.date(2026, 1, 1), "0.0211"),
        ("csg.base_abatement", dt.date(2026, 1, 1), "0.9825"),
    ],
)
def test_values_on_given_days(name: str, day: dt.date, expected: str) -> None:
    assert _at(name, day) == Decimal(expected)


def test_reduced_rates_end_with_2025() -> None:
    by_name = _by_name()
    for name in (
        "maladie.employer.reduced",
        "maladie.reduced.threshold_smic",
        "famille.employer.reduced",
        "famille.reduced.threshold_smic",
        "reduction_generale.t",
        "reduction_generale.ceiling_smic",
    ):
        assert by_name[name][-1].valid_until == dt.date(2025, 12, 31), name
    for name in ("rgdu.t_min", "rgdu.t_delta", "rgdu.power", "rgdu.ceiling_smic"):
        assert by_name[name][0].valid_from == dt.date(2026, 1, 1), name


def test_monthly_smic_is_the_hourly_rate_times_151_and_two_thirds() -> None:
    for day in (dt.date(2025, 1, 1), dt.date(2026, 1, 1), dt.date(2026, 6, 1)):
        monthly = _cent(_at("smic.hourly", day) * 35 * 52 / 12)
        assert monthly == _at("smic.monthly", day)


def test_rgdu_maximum_at_the_smic() -> None:
    day = dt.date(2026, 1, 1)
    assert _at("rgdu.t_min", day) + _at("rgdu.t_delta", day) == Decimal("0.3981")
    assert _at("rgdu.t_min", day) + _at("rgdu.t_delta.fnal_0_50", day) == Decimal("0.4021")


def test_net_smic_2025_aggregate_and_line_by_line() -> None:
    """The published net SMIC applies the aggregate rate once; a payslip rounds each line."""
    day = dt.date(2025, 6, 1)
    gross = _at("smic.monthly", day)
    on_gross = [
        _at(name, day)
        for name in (
            "vieillesse.plafonnee.employee",
            "vieillesse.deplafonnee.employee",
            "agirc_arrco.t1.employee",
            "ceg.t1.employee",
        )
    ]
    on_csg_base = [_at(name, day) for name in ("csg.deductible", "csg.non_deductible", "crds")]
    csg_base = gross * _at("csg.base_abatement", day)
    aggregate = sum(on_gross, Decimal(0)) + sum(on_csg_base, Decimal(0)) * _at(
        "csg.base_abatement", day
    )
    assert _cent(gross * (1 - aggregate)) == Decimal("1426.30")
    lines = [_cent(gross * rate) for rate in on_gross] + [
        _cent(csg_base * rate) for rate in on_csg_base
    ]
    assert gross - sum(lines, Decimal(0)) == Decimal("1426.29")


# The values taken from OpenFisca-France: name -> (file under parameters/, bracket or None).
# ags.employer is left out on purpose: OpenFisca still has 0.20 % (stale since 2024-07-01).
OPENFISCA = {
    "pss.monthly": ("prelevements_sociaux/pss/plafond_securite_sociale_mensuel.yaml", None),
    "pss.annual": ("prelevements_sociaux/pss/plafond_securite_sociale_annuel.yaml", None),
    "smic.hourly": ("marche_travail/salaire_minimum/smic/smic_b_horaire.yaml", None),
    "smic.monthly": ("marche_travail/salaire_minimum/smic/smic_b_mensuel.yaml", None),
    "smic.monthly_hours": (
        "marche_travail/salaire_minimum/smic/nb_heures_travail_mensuel.yaml",
        None,
    ),
    "vieillesse.plafonnee.employee": (
        "prelevements_sociaux/cotisations_securite_sociale_regime_general/cnav/salarie/"
        "vieillesse_plafonnee.yaml",
        0,
    ),
    "vieillesse.plafonnee.employer": (
        "prelevements_sociaux/cotisations_securite_sociale_regime_general/cnav/employeur/"
        "vieillesse_plafonnee.yaml",
        0,
    ),
    "vieillesse.deplafonnee.employee": (
        "prelevements_sociaux/cotisations_securite_sociale_regime_general/cnav/salarie/"
        "vieillesse_deplafonnee.yaml",
        0,
    ),
    "vieillesse.deplafonnee.employer": (
        "prelevements_sociaux/cotisations_securite_sociale_regime_general/cnav/employeur/"
        "vieillesse_deplafonnee.yaml",
        0,
    ),
    "agirc_arrco.t1.employee": (
        "prelevements_sociaux/regimes_complementaires_retraite_secteur_prive/agirc_arrco/"
        "salarie/agirc_arrco.yaml",
        0,
    ),
    "agirc_arrco.t2.employee": (
        "prelevements_sociaux/regimes_complementaires_retraite_secteur_prive/agirc_arrco/"
        "salarie/agirc_arrco.yaml",
        1,
    ),
    "agirc_arrco.t1.employer": (
        "prelevements_sociaux/regimes_complementaires_retraite_secteur_prive/agirc_arrco/"
        "employeur/agirc_arrco.yaml",
        0,
    ),
    "agirc_arrco.t2.employer": (
        "prelevements_sociaux/regimes_complementaires_retraite_secteur_prive/agirc_arrco/"
        "employeur/agirc_arrco.yaml",
        1,
    ),
    "ceg.t1.employee": (
        "prelevements_sociaux/regimes_complementaires_retraite_secteur_prive/ceg/salarie/ceg.yaml",
        0,
    ),
    "ceg.t2.employee": (
        "prelevements_sociaux/regimes_complementaires_retraite_secteur_prive/ceg/salarie/ceg.yaml",
        1,
    ),
    "ceg.t1.employer": (
        "prelevements_sociaux/regimes_complementaires_retraite_secteur_prive/ceg/employeur/"
        "ceg.yaml",
        0,
    ),
    "ceg.t2.employer": (
        "prelevements_sociaux/regimes_complementaires_retraite_secteur_prive/ceg/employeur/"
        "ceg.yaml",
        1,
    ),
    "cet.employee": (
        "prelevements_sociaux/regimes_complementaires_retraite_secteur_prive/cet2019/salarie/"
        "cet2019.yaml",
        0,
    ),
    "cet.employer": (
        "prelevements_sociaux/regimes_complementaires_retraite_secteur_prive/cet2019/employeur/"
        "cet2019.yaml",
        0,
    ),
    "csg.deductible": (
        "prelevements_sociaux/contributions_sociales/csg/activite/deductible.yaml",
        None,
    ),
    "csg.non_deductible": (
        "prelevements_sociaux/contributions_sociales/csg/activite/imposable.yaml",
        None,
    ),
    "crds": ("prelevements_sociaux/contributions_sociales/crds.yaml", None),
    "chomage.employer": (
        "prelevements_sociaux/cotisations_regime_assurance_chomage/chomage/employeur/chomage.yaml",
        0,
    ),
    "maladie.employer": (
        "prelevements_sociaux/cotisations_securite_sociale_regime_general/mmid/employeur/"
        "maladie.yaml",
        0,
    ),
    "maladie.employer.reduced": (
        "prelevements_sociaux/cotisations_securite_sociale_regime_general/mmid/tx_red.yaml",
        None,
    ),
    "maladie.reduced.threshold_smic": (
        "prelevements_sociaux/reductions_cotisations_sociales/alleg_gen/mmid/"
        "plafond_smic_2025_01_01.yaml",
        None,
    ),
    "famille.employer": (
        "prelevements_sociaux/cotisations_securite_sociale_regime_general/famille/employeur/"
        "famille.yaml",
        0,
    ),
    "famille.employer.reduced": (
        "prelevements_sociaux/cotisations_securite_sociale_regime_general/famille/taux_reduit.yaml",
        None,
    ),
    "famille.reduced.threshold_smic": (
        "prelevements_sociaux/reductions_cotisations_sociales/"
        "allegement_cotisation_allocations_familiales/plafond_smic_2025_01_01.yaml",
        None,
    ),
    "csa.employer": (
        "prelevements_sociaux/cotisations_securite_sociale_regime_general/csa/employeur/csa.yaml",
        0,
    ),
    "fnal.employer.under_50": (
        "prelevements_sociaux/autres_taxes_participations_assises_salaires/fnal/"
        "contribution_moins_de_50_salaries.yaml",
        0,
    ),
    "fnal.employer.50_and_over": (
        "prelevements_sociaux/autres_taxes_participations_assises_salaires/fnal/"
        "contribution_plus_de_50_salaries.yaml",
        0,
    ),
    "dialogue_social.employer": (
        "prelevements_sociaux/autres_taxes_participations_assises_salaires/fin_syndic/"
        "financement_organisations_syndicales.yaml",
        0,
    ),
    "formation_professionnelle.under_11": (
        "prelevements_sociaux/autres_taxes_participations_assises_salaires/"
        "contribution_unique_formation/contrib_formation_pro/moins_11_salaries.yaml",
        None,
    ),
    "formation_professionnelle.11_and_over": (
        "prelevements_sociaux/autres_taxes_participations_assises_salaires/"
        "contribution_unique_formation/contrib_formation_pro/onze_et_plus_salaries.yaml",
        None,
    ),
    "taxe_apprentissage": (
        "prelevements_sociaux/autres_taxes_participations_assises_salaires/"
        "contribution_unique_formation/taxe_apprentissage/general.yaml",
        None,
    ),
    "reduction_generale.t": (
        "prelevements_sociaux/reductions_cotisations_sociales/allegement_general/"
        "ensemble_des_entreprises/entreprises_de_moins_de_50_salaries.yaml",
        None,
    ),
    "reduction_generale.t.fnal_0_50": (
        "prelevements_sociaux/reductions_cotisations_sociales/allegement_general/"
        "ensemble_des_entreprises/entreprises_de_50_salaries_et_plus.yaml",
        None,
    ),
    "reduction_generale.ceiling_smic": (
        "prelevements_sociaux/reductions_cotisations_sociales/allegement_general/"
        "ensemble_des_entreprises/plafond.yaml",
        None,
    ),
    "rgdu.ceiling_smic": (
        "prelevements_sociaux/reductions_cotisations_sociales/allegement_general/"
        "ensemble_des_entreprises/plafond.yaml",
        None,
    ),
    "rgdu.t_min": (
        "prelevements_sociaux/reductions_cotisations_sociales/allegement_general/"
        "ensemble_des_entreprises/t_min.yaml",
        None,
    ),
    "rgdu.t_delta": (
        "prelevements_sociaux/reductions_cotisations_sociales/allegement_general/"
        "ensemble_des_entreprises/t_delta_petites_entreprises.yaml",
        None,
    ),
    "rgdu.t_delta.fnal_0_50": (
        "prelevements_sociaux/reductions_cotisations_sociales/allegement_general/"
        "ensemble_des_entreprises/t_delta_grandes_entreprises.yaml",
        None,
    ),
    "rgdu.power": (
        "prelevements_sociaux/reductions_cotisations_sociales/allegement_general/"
        "ensemble_des_entreprises/puissance.yaml",
        None,
    ),
    "rgdu.smic_reference.hourly": (
        "prelevements_sociaux/reductions_cotisations_sociales/allegement_general/"
        "ensemble_des_entreprises/smic_reference.yaml",
        None,
    ),
}


def _openfisca_value(node: dict[Any, Any], day: dt.date) -> Decimal | None:
    """The value in force on ``day`` of an OpenFisca ``values`` mapping (dates as keys)."""
    dated = sorted((key, item) for key, item in node.items() if key <= day)
    if not dated:
        return None
    item = dated[-1][1]
    value = item["value"] if isinstance(item, dict) else item
    return None if value is None else Decimal(str(value))


def test_openfisca_mapping_names_exist() -> None:
    assert set(OPENFISCA) <= set(_by_name())


@pytest.mark.parametrize(
    "parameter",
    [p for p in FRENCH_PARAMETERS if p.name in OPENFISCA],
    ids=lambda p: f"{p.name}@{p.valid_from}",
)
def test_values_agree_with_openfisca(parameter: FrenchParameter) -> None:
    openfisca_france = pytest.importorskip("openfisca_france")
    yaml = pytest.importorskip("yaml")
    root = Path(openfisca_france.__file__).parent / "parameters"
    path, bracket = OPENFISCA[parameter.name]
    data = yaml.safe_load((root / path).read_text(encoding="utf-8"))
    node = data["values"] if bracket is None else data["brackets"][bracket]["rate"]
    # the first and the last day of the period (the end of 2026 while it is open)
    days = [parameter.valid_from, parameter.valid_until or END]
    for day in days:
        assert _openfisca_value(node, day) == Decimal(parameter.value), (parameter.name, day)
