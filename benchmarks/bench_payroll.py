"""French payslips per second: :func:`backoffice.payroll.fr.calculate` with exact lines.

* :func:`pay_run` computes ``size`` payslips for one month (2026-04) on a varied
  population (gross from 1,000 to about 31,000 EUR, company sizes 5 to 300, a tenth of
  them cadres, a fifth part time) and returns the best seconds per payslip over a few
  rounds. Goal: at least 10,000 payslips per second on one core, every line exact
  (Decimal amounts rounded half up to the cent).
* :func:`openfisca_run` computes the same population with OpenFisca-France when it is
  importable: one vectorised (float32) simulation of ``salaire_net`` and the employer
  contributions, for comparison; it is a different kind of computation (no per-line
  rounding, no payslip objects).

The output gives both rates and the time ratio (ours over OpenFisca's). Frappe HRMS and
Odoo are not measured: they compute a pay run one database record per payslip, and
their users report runs of a few thousand employees timing out.

Run ``python benchmarks/bench_payroll.py``; ``--quick`` for 1,000 and 10,000.
"""

from __future__ import annotations

import importlib
import sys
import time
from decimal import Decimal
from typing import Any

from backoffice.core.money import Money, Rate
from backoffice.core.time import Period
from backoffice.payroll import fr

__all__ = ["main", "openfisca_run", "pay_run", "population"]

PERIOD = Period.month(2026, 4)
MONTH = "2026-04"
HEADCOUNTS = (5, 10, 30, 60, 300)


def population(size: int) -> list[tuple[fr.Employee, fr.FranceInputs]]:
    """``size`` employees with varied gross pay, deterministic."""
    run: list[tuple[fr.Employee, fr.FranceInputs]] = []
    for index in range(size):
        cents = 100_000 + (index * 7_919_311) % 3_000_000  # 1,000.00 to 30,999.99 EUR
        category: fr.Category = "cadre" if index % 10 == 0 else "non-cadre"
        ratio = Decimal("0.8") if index % 5 == 1 else Decimal(1)
        employee = fr.Employee(
            f"E{index:06d}",
            category,
            headcount=HEADCOUNTS[index % len(HEADCOUNTS)],
            part_time_ratio=ratio,
        )
        inputs = fr.FranceInputs(Money(Decimal(cents).scaleb(-2), "EUR"), Rate.percent("1.5"))
        run.append((employee, inputs))
    return run


def pay_run(size: int, *, rounds: int = 3) -> float:
    """The best seconds per payslip, over ``rounds`` runs of ``size`` payslips."""
    run = population(size)
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for employee, inputs in run:
            fr.calculate(employee, PERIOD, inputs)
        best = min(best, time.perf_counter() - started)
    return best / size


def openfisca_run(size: int, *, rounds: int = 3) -> float | None:
    """Seconds per payslip for the same population in one vectorised OpenFisca-France
    simulation (building the simulation included, loading the tax-benefit system not),
    or ``None`` when OpenFisca-France is not importable."""
    try:
        openfisca_france = importlib.import_module("openfisca_france")
        builder_module = importlib.import_module("openfisca_core.simulation_builder")
        numpy = importlib.import_module("numpy")
    except ImportError:
        return None
    system = openfisca_france.FranceTaxBenefitSystem()
    run = population(size)
    gross = numpy.array([float(inputs.gross.amount) for _, inputs in run], dtype=numpy.float32)
    headcount = numpy.array([employee.headcount for employee, _ in run])
    category = numpy.array(
        ["prive_cadre" if e.category == "cadre" else "prive_non_cadre" for e, _ in run]
    )
    contract = numpy.array(
        ["temps_partiel" if e.part_time_ratio < 1 else "temps_plein" for e, _ in run]
    )
    hours = numpy.array(
        [float(Decimal("151.67") * employee.part_time_ratio) for employee, _ in run]
    )
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        simulation = _simulation(builder_module, system, size)
        simulation.set_input("salaire_de_base", MONTH, gross)
        simulation.set_input("effectif_entreprise", MONTH, headcount)
        simulation.set_input("categorie_salarie", MONTH, category)
        simulation.set_input("contrat_de_travail", MONTH, contract)
        simulation.set_input("heures_remunerees_volume", MONTH, hours)
        simulation.calculate("salaire_net", MONTH)
        simulation.calculate("cotisations_employeur", MONTH)
        simulation.calculate("allegement_general", MONTH)
        best = min(best, time.perf_counter() - started)
    return best / size


def _simulation(builder_module: Any, system: Any, size: int) -> Any:
    builder = builder_module.SimulationBuilder()
    builder.create_entities(system)
    people = [f"i{index}" for index in range(size)]
    builder.declare_person_entity("individu", people)
    for entity, role in (
        ("famille", "parent"),
        ("foyer_fiscal", "declarant"),
        ("menage", "personne_de_reference"),
    ):
        ids = [f"{entity}{index}" for index in range(size)]
        group = builder.declare_entity(entity, ids)
        builder.join_with_persons(group, ids, [role] * size)
    return builder.build(system)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    sizes = (1_000, 10_000) if "--quick" in args else (10_000, 100_000)
    for size in sizes:
        seconds = pay_run(size, rounds=1 if size >= 100_000 else 3)
        verdict = "ok" if 1 / seconds >= 10_000 else "MISSED"
        print(
            f"fr.calculate, {size:>7,} payslips: {1 / seconds:>9,.0f} payslips/s "
            f"({seconds * 1e6:.1f} µs each; goal 10,000/s: {verdict})"
        )
        theirs = openfisca_run(size, rounds=1 if size >= 100_000 else 3)
        if theirs is None:
            print("OpenFisca-France: not importable, skipped")
        else:
            print(
                f"OpenFisca-France, {size:>7,} people:  {1 / theirs:>9,.0f} people/s "
                f"(vectorised float32, one simulation); time ratio ours / theirs: "
                f"{seconds / theirs:.2f}"
            )
    print(
        "Not measured here: Frappe HRMS and Odoo compute a pay run one database record per "
        "payslip, in a request or a background job; their users report runs of a few "
        "thousand employees timing out."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
