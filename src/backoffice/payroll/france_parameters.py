"""French payroll parameters of the private sector (general scheme), 2025 and 2026.

Plain, dated and sourced data: one :class:`FrenchParameter` per parameter and
validity period, no computation. Values are exact decimal text (a rate of 6.90 %
is ``"0.0690"``, an amount of 3,925 EUR is ``"3925.00"``); ``valid_until`` is the
last day of validity, inclusive, ``None`` while the value is in force.

Bases and ceilings are given in their own entries (``*.ceiling_pss``: multiples
of the monthly social security ceiling, ``*.threshold_smic``: multiples of the
SMIC). Every value was checked on ``checked_on`` against the OpenFisca-France
parameter files and, where they disagree or lag, against the official texts;
``note`` says when a value rests on a single source.

Formulas, for the engine that loads these data:

* réduction générale, until 2025-12-31 (art. D241-7 CSS): coefficient =
  (T / 0.6) x (1.6 x annual SMIC / annual gross pay - 1), rounded to 4 decimals,
  capped at T (``reduction_generale.t``, ``reduction_generale.ceiling_smic``);
* réduction générale dégressive unique (RGDU), from 2026-01-01 (art. L241-13 and
  D241-7 CSS, décret 2025-887 du 4 septembre 2025, values of décret 2025-1446 du
  31 décembre 2025): coefficient = Tmin + Tdelta x [(1/2) x (3 x annual SMIC /
  annual gross pay - 1)] ** P, rounded to 4 decimals, nil from 3 SMIC
  (``rgdu.*``); the reduced maladie and allocations familiales rates end on
  2025-12-31.
"""

from __future__ import annotations

from datetime import date

import attrs

__all__ = ["FRENCH_PARAMETERS", "FrenchParameter"]


@attrs.frozen
class FrenchParameter:
    """One value of one parameter over one validity period."""

    name: str
    value: str  # exact decimal text, e.g. "0.0690" for 6.90 %, or "3925.00" for an amount
    unit: str  # "rate", "EUR", "EUR/h", "hours", "coefficient"
    valid_from: date
    valid_until: date | None
    source: str  # the legal text
    checked_on: date
    note: str = ""


_CHECKED = date(2026, 11, 30)
_END_2025 = date(2025, 12, 31)
_START_2026 = date(2026, 1, 1)

_CSS_D242_4 = "Code de la sécurité sociale, art. D242-4"
_AGIRC_ARRCO = (
    "Accord national interprofessionnel du 17 novembre 2017 instituant le régime "
    "AGIRC-ARRCO, art. 35, 36, 38 et 39 (taux d'appel 127 %)"
)
_LFSS_2025_ART_18 = "Loi n° 2025-199 du 28 février 2025 (LFSS pour 2025), art. 18"
_DECRET_2025_318 = "Décret n° 2025-318 du 4 avril 2025, art. 1 (art. D241-3-2 CSS)"
_DECRET_2025_887 = "Décret n° 2025-887 du 4 septembre 2025 (art. D241-7 CSS)"
_DECRET_2025_1446 = "Décret n° 2025-1446 du 31 décembre 2025"
_APEC = (
    "Circulaire AGIRC 2010-5-DF du 29 juillet 2010 (APEC contribution as a rate on "
    "tranches A and B from 2011)"
)
_RGDU = f"Code de la sécurité sociale, art. L241-13; {_DECRET_2025_887}; {_DECRET_2025_1446}"


def _p(
    name: str,
    value: str,
    unit: str,
    valid_from: date,
    valid_until: date | None,
    source: str,
    note: str = "",
) -> FrenchParameter:
    return FrenchParameter(name, value, unit, valid_from, valid_until, source, _CHECKED, note)


FRENCH_PARAMETERS: tuple[FrenchParameter, ...] = (
    # -- plafond de la sécurité sociale -------------------------------------------------
    _p(
        "pss.monthly",
        "3864.00",
        "EUR",
        date(2024, 1, 1),
        date(2024, 12, 31),
        "Arrêté du 19 décembre 2023 portant fixation du plafond de la sécurité sociale pour 2024",
    ),
    _p(
        "pss.monthly",
        "3925.00",
        "EUR",
        date(2025, 1, 1),
        _END_2025,
        "Arrêté du 19 décembre 2024 portant fixation du plafond de la sécurité sociale pour 2025",
    ),
    _p(
        "pss.monthly",
        "4005.00",
        "EUR",
        _START_2026,
        date(2026, 12, 31),
        "Arrêté du 22 décembre 2025 portant fixation du plafond de la sécurité sociale pour 2026",
    ),
    _p(
        "pss.annual",
        "47100.00",
        "EUR",
        date(2025, 1, 1),
        _END_2025,
        "Arrêté du 19 décembre 2024 portant fixation du plafond de la sécurité sociale pour 2025",
    ),
    _p(
        "pss.annual",
        "48060.00",
        "EUR",
        _START_2026,
        date(2026, 12, 31),
        "Arrêté du 22 décembre 2025 portant fixation du plafond de la sécurité sociale pour 2026",
    ),
    # -- SMIC (métropole) ---------------------------------------------------------------
    _p(
        "smic.hourly",
        "11.88",
        "EUR/h",
        date(2024, 11, 1),
        _END_2025,
        "Décret n° 2024-951 du 23 octobre 2024 portant relèvement du salaire minimum de croissance",
    ),
    _p(
        "smic.hourly",
        "12.02",
        "EUR/h",
        _START_2026,
        date(2026, 5, 31),
        "Décret n° 2025-1228 du 17 décembre 2025 portant relèvement du salaire minimum "
        "de croissance",
    ),
    _p(
        "smic.hourly",
        "12.31",
        "EUR/h",
        date(2026, 6, 1),
        None,
        "Arrêté du 22 mai 2026 relatif au relèvement du salaire minimum de croissance "
        "(art. L3231-5 du code du travail)",
        "automatic in-year revaluation; taken from OpenFisca-France only, not corroborated "
        "by a second source",
    ),
    _p(
        "smic.monthly",
        "1801.80",
        "EUR",
        date(2024, 11, 1),
        _END_2025,
        "Décret n° 2024-951 du 23 octobre 2024 portant relèvement du salaire minimum de croissance",
        "hourly x 35 x 52 / 12 (151 2/3 h), not x 151.67 (which gives 1801.84)",
    ),
    _p(
        "smic.monthly",
        "1823.03",
        "EUR",
        _START_2026,
        date(2026, 5, 31),
        "Décret n° 2025-1228 du 17 décembre 2025 portant relèvement du salaire minimum "
        "de croissance",
        "hourly x 35 x 52 / 12 (151 2/3 h)",
    ),
    _p(
        "smic.monthly",
        "1867.02",
        "EUR",
        date(2026, 6, 1),
        None,
        "Arrêté du 22 mai 2026 relatif au relèvement du salaire minimum de croissance",
        "hourly x 35 x 52 / 12; taken from OpenFisca-France only, not corroborated",
    ),
    _p(
        "smic.monthly_hours",
        "151.67",
        "hours",
        date(2002, 1, 1),
        None,
        "Code du travail, art. L3121-27 (35 h a week); 35 x 52 / 12 = 151 2/3",
        "rounded; the official monthly SMIC amounts use 151 2/3 exactly",
    ),
    # -- assurance vieillesse (CNAV) ------------------------------------------------------
    _p(
        "vieillesse.plafonnee.employee",
        "0.0690",
        "rate",
        date(2016, 1, 1),
        None,
        f"{_CSS_D242_4}; décret n° 2014-1531 du 17 décembre 2014, art. 4",
    ),
    _p(
        "vieillesse.plafonnee.employer",
        "0.0855",
        "rate",
        date(2016, 1, 1),
        None,
        f"{_CSS_D242_4}; décret n° 2014-1531 du 17 décembre 2014, art. 4",
    ),
    _p(
        "vieillesse.plafonnee.ceiling_pss",
        "1",
        "coefficient",
        date(1967, 10, 1),
        None,
        f"{_CSS_D242_4}; Code de la sécurité sociale, art. L241-3",
    ),
    _p(
        "vieillesse.deplafonnee.employee",
        "0.0040",
        "rate",
        date(2017, 1, 1),
        None,
        f"{_CSS_D242_4}; décret n° 2014-1531 du 17 décembre 2014, art. 4",
        "no change found for 2026 (décret 2025-1446 raises the employer share only)",
    ),
    _p(
        "vieillesse.deplafonnee.employer",
        "0.0202",
        "rate",
        date(2024, 1, 1),
        _END_2025,
        f"{_CSS_D242_4}; décret n° 2023-1329 du 29 décembre 2023, art. 1",
    ),
    _p(
        "vieillesse.deplafonnee.employer",
        "0.0211",
        "rate",
        _START_2026,
        None,
        f"{_CSS_D242_4}; {_DECRET_2025_1446}, art. 1",
        "raised from 2.02 %; the reference sheet did not have it; taken from OpenFisca-France "
        "(the RGDU Tdelta of 0.3781 includes 2.11 %), the decree text itself not read",
    ),
    # -- AGIRC-ARRCO --------------------------------------------------------------------
    _p("agirc_arrco.t1.employee", "0.0315", "rate", date(2019, 1, 1), None, _AGIRC_ARRCO),
    _p("agirc_arrco.t1.employer", "0.0472", "rate", date(2019, 1, 1), None, _AGIRC_ARRCO),
    _p("agirc_arrco.t2.employee", "0.0864", "rate", date(2019, 1, 1), None, _AGIRC_ARRCO),
    _p("agirc_arrco.t2.employer", "0.1295", "rate", date(2019, 1, 1), None, _AGIRC_ARRCO),
    _p(
        "agirc_arrco.t1.ceiling_pss",
        "1",
        "coefficient",
        date(2019, 1, 1),
        None,
        _AGIRC_ARRCO,
        "T1: pay up to 1 PSS",
    ),
    _p(
        "agirc_arrco.t2.ceiling_pss",
        "8",
        "coefficient",
        date(2019, 1, 1),
        None,
        _AGIRC_ARRCO,
        "T2: pay from 1 to 8 PSS",
    ),
    _p("ceg.t1.employee", "0.0086", "rate", date(2019, 1, 1), None, _AGIRC_ARRCO),
    _p("ceg.t1.employer", "0.0129", "rate", date(2019, 1, 1), None, _AGIRC_ARRCO),
    _p("ceg.t2.employee", "0.0108", "rate", date(2019, 1, 1), None, _AGIRC_ARRCO),
    _p("ceg.t2.employer", "0.0162", "rate", date(2019, 1, 1), None, _AGIRC_ARRCO),
    _p(
        "cet.employee",
        "0.0014",
        "rate",
        date(2019, 1, 1),
        None,
        _AGIRC_ARRCO,
        "on T1 + T2 (up to 8 PSS), only when the pay exceeds 1 PSS",
    ),
    _p(
        "cet.employer",
        "0.0021",
        "rate",
        date(2019, 1, 1),
        None,
        _AGIRC_ARRCO,
        "on T1 + T2 (up to 8 PSS), only when the pay exceeds 1 PSS",
    ),
    _p(
        "cet.threshold_pss",
        "1",
        "coefficient",
        date(2019, 1, 1),
        None,
        _AGIRC_ARRCO,
        "CET is due only when the pay exceeds this many PSS",
    ),
    # -- CSG / CRDS on earned income ----------------------------------------------------
    _p(
        "csg.deductible",
        "0.0680",
        "rate",
        date(2018, 1, 1),
        None,
        "Code de la sécurité sociale, art. L136-8 I 1°; Code général des impôts, art. 154 "
        "quinquies; loi n° 2017-1836 du 30 décembre 2017 (LFSS pour 2018), art. 8",
    ),
    _p(
        "csg.non_deductible",
        "0.0240",
        "rate",
        date(2018, 1, 1),
        None,
        "Code de la sécurité sociale, art. L136-8 I 1°; Code général des impôts, art. 154 "
        "quinquies",
        "in force well before 2018; dated from the current 9.20 % split",
    ),
    _p(
        "crds",
        "0.0050",
        "rate",
        date(1996, 2, 1),
        None,
        "Ordonnance n° 96-50 du 24 janvier 1996, art. 19; Code général des impôts, art. 1600-0 J",
    ),
    _p(
        "csg.base_abatement",
        "0.9825",
        "coefficient",
        date(2012, 1, 1),
        None,
        "Code de la sécurité sociale, art. L136-1-1 III 1° (abattement de 1.75 %; formerly "
        "art. L136-2); "
        "loi n° 2011-1906 du 21 décembre 2011 (LFSS pour 2012), art. 17",
        "the base is 98.25 % of gross pay up to 4 PSS, 100 % above; also for CRDS",
    ),
    _p(
        "csg.base_abatement.ceiling_pss",
        "4",
        "coefficient",
        date(2011, 1, 1),
        None,
        "Code de la sécurité sociale, art. L136-1-1 III 1°; loi n° 2010-1594 du 20 décembre "
        "2010 (LFSS pour 2011), art. 20",
    ),
    # -- assurance chômage, AGS ---------------------------------------------------------
    _p(
        "chomage.employee",
        "0",
        "rate",
        date(2018, 10, 1),
        None,
        "Loi n° 2017-1836 du 30 décembre 2017 (LFSS pour 2018), art. 8 VI",
    ),
    _p(
        "chomage.employer",
        "0.0405",
        "rate",
        date(2017, 10, 1),
        date(2025, 4, 30),
        "Convention relative à l'assurance chômage du 14 avril 2017, agréée par arrêté du "
        "4 mai 2017; circulaire Unédic n° 2017-21 du 24 juillet 2017",
    ),
    _p(
        "chomage.employer",
        "0.0400",
        "rate",
        date(2025, 5, 1),
        None,
        "Convention d'assurance chômage du 15 novembre 2024, agréée par arrêté du 19 décembre "
        "2024; circulaire Unédic n° 2025-05 du 1er mai 2025",
    ),
    _p(
        "chomage.ceiling_pss",
        "4",
        "coefficient",
        date(1975, 7, 1),
        None,
        "Code du travail, art. L5422-9 and the convention d'assurance chômage",
        "also the ceiling of the AGS contribution",
    ),
    _p(
        "ags.employer",
        "0.0025",
        "rate",
        date(2024, 7, 1),
        None,
        "Décision du conseil d'administration de l'AGS (communiqué du 18 juin 2024); "
        "Code du travail, art. L3253-18",
        "OpenFisca-France is stale (0.20 % from 2024-01-01). Maintained on 2025-01-01 and, by "
        "the board decision of 26 June 2025, on 2025-07-01; no 2026 decision was checked",
    ),
    _p(
        "ags.ceiling_pss",
        "4",
        "coefficient",
        date(1974, 1, 1),
        None,
        "Code du travail, art. L3253-18; the base is that of the unemployment contribution",
    ),
    # -- maladie, allocations familiales ------------------------------------------------
    _p(
        "maladie.employer",
        "0.1300",
        "rate",
        date(2018, 1, 1),
        None,
        "Code de la sécurité sociale, art. D242-3; décret n° 2017-1891 du 30 décembre 2017",
    ),
    _p(
        "maladie.employer.reduced",
        "0.0700",
        "rate",
        date(2019, 1, 1),
        _END_2025,
        "Code de la sécurité sociale, art. L241-2-1; loi n° 2017-1836 du "
        "30 décembre 2017 (LFSS pour 2018), art. 9",
        f"abolished from 2026-01-01 and merged into the RGDU ({_LFSS_2025_ART_18}; "
        f"{_DECRET_2025_887})",
    ),
    _p(
        "maladie.reduced.threshold_smic",
        "2.25",
        "coefficient",
        date(2025, 1, 1),
        _END_2025,
        f"{_LFSS_2025_ART_18}; {_DECRET_2025_318}",
        "annual pay up to 2.25 x the annual SMIC in force on 2025-01-01 (2.5 x the SMIC of "
        "2023-12-31 in 2024)",
    ),
    _p(
        "famille.employer",
        "0.0525",
        "rate",
        date(2014, 1, 1),
        None,
        "Code de la sécurité sociale, art. D241-3-1",
    ),
    _p(
        "famille.employer.reduced",
        "0.0345",
        "rate",
        date(2015, 1, 1),
        _END_2025,
        "Code de la sécurité sociale, art. L241-6-1; loi n° 2014-892 du "
        "8 août 2014 (LFRSS pour 2014), art. 2",
        f"abolished from 2026-01-01 and merged into the RGDU ({_LFSS_2025_ART_18}; "
        f"{_DECRET_2025_887})",
    ),
    _p(
        "famille.reduced.threshold_smic",
        "3.3",
        "coefficient",
        date(2025, 1, 1),
        _END_2025,
        f"{_LFSS_2025_ART_18}; {_DECRET_2025_318}",
        "annual pay up to 3.3 x the annual SMIC in force on 2025-01-01 (3.5 x the SMIC of "
        "2023-12-31 in 2024)",
    ),
    # -- other employer contributions ---------------------------------------------------
    _p(
        "csa.employer",
        "0.0030",
        "rate",
        date(2004, 7, 1),
        None,
        "Code de l'action sociale et des familles, art. L14-10-4 (now Code de la sécurité "
        "sociale, art. L137-40); loi n° 2004-626 du 30 juin 2004, art. 11",
        "contribution solidarité autonomie, on the whole gross pay",
    ),
    _p(
        "fnal.employer.under_50",
        "0.0010",
        "rate",
        date(2020, 1, 1),
        None,
        "Code de la sécurité sociale, art. L834-1; Code de la construction et de "
        "l'habitation, art. L813-5; loi n° 2019-486 du 22 mai 2019 (PACTE)",
        "fewer than 50 employees, on pay up to 1 PSS",
    ),
    _p(
        "fnal.employer.under_50.ceiling_pss",
        "1",
        "coefficient",
        date(2020, 1, 1),
        None,
        "Code de la construction et de l'habitation, art. L813-5",
    ),
    _p(
        "fnal.employer.50_and_over",
        "0.0050",
        "rate",
        date(2020, 1, 1),
        None,
        "Code de la sécurité sociale, art. L834-1; Code de la construction et de "
        "l'habitation, art. L813-5",
        "50 employees or more, on the whole gross pay",
    ),
    _p(
        "dialogue_social.employer",
        "0.00016",
        "rate",
        date(2015, 1, 1),
        None,
        "Code du travail, art. L2135-10 and D2135-34; décret n° 2014-1718 du 30 décembre 2014",
    ),
    _p(
        "formation_professionnelle.under_11",
        "0.0055",
        "rate",
        date(2019, 1, 1),
        None,
        "Code du travail, art. L6331-1; loi n° 2018-771 du 5 septembre 2018, art. 37",
        "fewer than 11 employees",
    ),
    _p(
        "formation_professionnelle.11_and_over",
        "0.0100",
        "rate",
        date(2019, 1, 1),
        None,
        "Code du travail, art. L6331-3; loi n° 2018-771 du 5 septembre 2018, art. 37",
        "11 employees or more",
    ),
    _p(
        "taxe_apprentissage",
        "0.0068",
        "rate",
        date(2019, 1, 1),
        None,
        "Code du travail, art. L6241-2; loi n° 2018-771 du 5 septembre 2018, art. 37",
        "0.44 % in Bas-Rhin, Haut-Rhin and Moselle; AT/MP is company-specific and not listed",
    ),
    # -- cadres: APEC, prévoyance; forfait social on employer prévoyance ---------------
    _p(
        "apec.employee",
        "0.00024",
        "rate",
        date(2011, 1, 1),
        None,
        _APEC,
        "cadres only; on the pay up to 4 PSS (tranches A and B)",
    ),
    _p(
        "apec.employer",
        "0.00036",
        "rate",
        date(2011, 1, 1),
        None,
        _APEC,
        "cadres only; on the pay up to 4 PSS (tranches A and B)",
    ),
    _p("apec.ceiling_pss", "4", "coefficient", date(2011, 1, 1), None, _APEC),
    _p(
        "prevoyance_cadre.employer.minimum",
        "0.0150",
        "rate",
        date(2019, 1, 1),
        None,
        "Accord national interprofessionnel du 17 novembre 2017 relatif à la prévoyance "
        "des cadres, art. 1 (taking over art. 7 of the convention collective nationale du "
        "14 mars 1947)",
        "the employer's minimum contribution for cadres, on tranche A (up to 1 PSS); the "
        "company's contract may set more",
    ),
    _p(
        "prevoyance_cadre.ceiling_pss",
        "1",
        "coefficient",
        date(2019, 1, 1),
        None,
        "Accord national interprofessionnel du 17 novembre 2017 relatif à la prévoyance "
        "des cadres, art. 1",
        "tranche A",
    ),
    _p(
        "forfait_social.prevoyance",
        "0.08",
        "rate",
        date(2012, 8, 1),
        None,
        "Code de la sécurité sociale, art. L137-16, al. 2 (loi n° 2012-958 du 16 août "
        "2012, art. 33)",
        "on the employer's contributions to complementary prévoyance",
    ),
    _p(
        "forfait_social.prevoyance.headcount",
        "11",
        "coefficient",
        date(2016, 1, 1),
        None,
        "Code de la sécurité sociale, art. L137-15",
        "employers of fewer than 11 employees do not pay it",
    ),
    # -- réduction générale (until 2025) ------------------------------------------------
    _p(
        "reduction_generale.t",
        "0.3194",
        "coefficient",
        date(2024, 1, 1),
        date(2025, 4, 30),
        "Code de la sécurité sociale, art. D241-7, version in force on 2024-01-01",
        "employers paying FNAL at 0.10 %",
    ),
    _p(
        "reduction_generale.t",
        "0.3193",
        "coefficient",
        date(2025, 5, 1),
        _END_2025,
        f"Code de la sécurité sociale, art. D241-7; {_DECRET_2025_318}",
        "employers paying FNAL at 0.10 %; follows the unemployment rate cut to 4.00 %",
    ),
    _p(
        "reduction_generale.t.fnal_0_50",
        "0.3234",
        "coefficient",
        date(2024, 1, 1),
        date(2025, 4, 30),
        "Code de la sécurité sociale, art. D241-7, version in force on 2024-01-01",
        "employers paying FNAL at 0.50 %",
    ),
    _p(
        "reduction_generale.t.fnal_0_50",
        "0.3233",
        "coefficient",
        date(2025, 5, 1),
        _END_2025,
        f"Code de la sécurité sociale, art. D241-7; {_DECRET_2025_318}",
        "employers paying FNAL at 0.50 %",
    ),
    _p(
        "reduction_generale.ceiling_smic",
        "1.6",
        "coefficient",
        date(2005, 7, 1),
        _END_2025,
        "Code de la sécurité sociale, art. L241-13 III and D241-7",
        "coefficient = (T / 0.6) x (1.6 x annual SMIC / annual gross pay - 1), 4 decimals, "
        "capped at T",
    ),
    # -- réduction générale dégressive unique (from 2026) --------------------------------
    _p(
        "rgdu.t_min",
        "0.0200",
        "coefficient",
        _START_2026,
        None,
        _RGDU,
        "coefficient = Tmin + Tdelta x [(1/2) x (3 x annual SMIC / annual gross pay - 1)] ** P, "
        "rounded to 4 decimals",
    ),
    _p(
        "rgdu.t_delta",
        "0.3781",
        "coefficient",
        _START_2026,
        None,
        _RGDU,
        "employers paying FNAL at 0.10 %; décret 2025-887 first set 0.3773, décret 2025-1446 "
        "raised it before it applied; maximum coefficient 0.3981",
    ),
    _p(
        "rgdu.t_delta.fnal_0_50",
        "0.3821",
        "coefficient",
        _START_2026,
        None,
        _RGDU,
        "employers paying FNAL at 0.50 %; décret 2025-887 first set 0.3813; maximum "
        "coefficient 0.4021",
    ),
    _p("rgdu.power", "1.75", "coefficient", _START_2026, None, _RGDU, "P"),
    _p(
        "rgdu.ceiling_smic",
        "3",
        "coefficient",
        _START_2026,
        None,
        _RGDU,
        "no reduction from 3 x the annual SMIC",
    ),
    _p(
        "rgdu.smic_reference.hourly",
        "12.02",
        "EUR/h",
        _START_2026,
        date(2026, 12, 31),
        "Code de la sécurité sociale, art. D241-7; décret n° 2026-509 du 12 juin 2026",
        "the SMIC of 2026-01-01 is kept for the whole of 2026, also after the 2026-06-01 "
        "revaluation; taken from OpenFisca-France only, not corroborated",
    ),
)
