"""The benchmark suite: every figure is printed beside a baseline measured in the same run.

Absolute times on shared machines are noise; the ratios are what the goals are about.
Run: ``python benchmarks/run.py`` (``--quick`` for a short run).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
import timeit
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from backoffice import Money, RoundingMode, allocate

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


@dataclass(frozen=True)
class Result:
    name: str
    ours: float  # seconds per operation
    baseline: float
    baseline_name: str
    goal: float | None  # maximum ratio ours / baseline

    @property
    def ratio(self) -> float:
        return self.ours / self.baseline

    @property
    def verdict(self) -> str:
        if self.goal is None:
            return "(no goal)"
        return "ok" if self.ratio <= self.goal else "MISSED"


def per_call(function: Callable[[], object], number: int, repeat: int) -> float:
    """Best time per call over ``repeat`` rounds of ``number`` calls."""
    return min(timeit.repeat(function, number=number, repeat=repeat)) / number


def interleaved(
    ours: Callable[[], object], baseline: Callable[[], object], number: int, repeat: int
) -> tuple[float, float]:
    """Measure both in alternation, so that machine noise hits them alike."""
    ours_times: list[float] = []
    base_times: list[float] = []
    for _ in range(repeat):
        base_times.append(per_call(baseline, number, 1))
        ours_times.append(per_call(ours, number, 1))
    return min(ours_times), min(base_times)


def money_benchmarks(number: int, repeat: int) -> list[Result]:
    """Money against raw Decimal, on the loops an application really runs.

    Each workload goes over 1,000 invoice-like amounts, so the figures include the
    loop an application pays anyway; the single-expression rows after them time one
    operator alone and show the bare per-call overhead of a Python-level class.
    """
    size = 1000
    raw = [Decimal(f"{(i * 7919) % 100000}.{i % 100:02d}") for i in range(size)]
    monies = [Money(value, "EUR") for value in raw]
    rate = Decimal("0.055")
    cent = Decimal("0.01")
    loops = max(1, number // size)
    results = []

    def sum_money() -> Money:
        total = Money.zero("EUR")
        for item in monies:
            total = total + item
        return total

    def sum_decimal() -> Decimal:
        total = Decimal(0)
        for item in raw:
            total = total + item
        return total

    ours, base = interleaved(sum_money, sum_decimal, loops, repeat)
    results.append(
        Result("sum 1,000 amounts with +", ours / size, base / size, "same loop on Decimal", 3.0)
    )
    ours, base = interleaved(lambda: Money.total(monies, "EUR"), lambda: sum(raw), loops, repeat)
    results.append(
        Result("sum 1,000 amounts, Money.total", ours / size, base / size, "sum() of Decimals", 3.0)
    )

    def vat_money() -> list[Money]:
        return [item.multiply(rate, rounding=RoundingMode.HALF_UP) for item in monies]

    def vat_decimal() -> list[Decimal]:
        return [(item * rate).quantize(cent, rounding=ROUND_HALF_UP) for item in raw]

    ours, base = interleaved(vat_money, vat_decimal, loops, repeat)
    results.append(
        Result(
            "VAT of 1,000 amounts (multiply)",
            ours / size,
            base / size,
            "(Decimal * rate).quantize",
            3.0,
        )
    )

    def triple_money() -> list[Money]:
        return [item * 3 for item in monies]

    def triple_decimal() -> list[Decimal]:
        return [item * 3 for item in raw]

    ours, base = interleaved(triple_money, triple_decimal, loops, repeat)
    results.append(Result("1,000 amounts * int", ours / size, base / size, "Decimal * int", 3.0))

    a, b = raw[1], raw[2]
    m, n = monies[1], monies[2]
    ours, base = interleaved_statement("m + n", "a + b", locals(), number, repeat)
    results.append(Result("  one expression: Money + Money", ours, base, "Decimal + Decimal", None))
    ours, base = interleaved_statement(
        "m.multiply(rate, rounding=RoundingMode.HALF_UP)",
        "(a * rate).quantize(cent, rounding=ROUND_HALF_UP)",
        locals() | globals(),
        number,
        repeat,
    )
    results.append(Result("  one expression: multiply", ours, base, "Decimal quantize", None))

    ratios = [Decimal(1), Decimal(2), Decimal(3), Decimal(4)]
    total = Money("1000.01", "EUR")

    def raw_allocate() -> list[Decimal]:
        weight = sum(ratios)
        shares = [(total.amount * r / weight).quantize(cent, rounding=ROUND_DOWN) for r in ratios]
        shares[0] += total.amount - sum(shares)
        return shares

    ours, base = interleaved(lambda: allocate(total, ratios), raw_allocate, number // 10, repeat)
    results.append(Result("allocate(Money, 4 ratios)", ours, base, "naive Decimal split", None))
    return results


def interleaved_statement(
    ours: str, baseline: str, namespace: dict[str, object], number: int, repeat: int
) -> tuple[float, float]:
    ours_times: list[float] = []
    base_times: list[float] = []
    for _ in range(repeat):
        base_times.append(timeit.timeit(baseline, globals=namespace, number=number) / number)
        ours_times.append(timeit.timeit(ours, globals=namespace, number=number) / number)
    return min(ours_times), min(base_times)


def taxid_benchmarks(size: int, repeat: int) -> list[Result]:
    """Validating a mixed corpus through backoffice.taxid against python-stdnum alone."""
    from bench_taxid import (
        corpus,
        parse_with_library,
        validate_with_library,
        validate_with_stdnum,
    )

    items = corpus(size)
    assert validate_with_library(items) == validate_with_stdnum(items)  # same verdicts
    ours, base = interleaved(
        lambda: validate_with_library(items), lambda: validate_with_stdnum(items), 1, repeat
    )
    valid = corpus(size, typos=0)
    parsed, base_valid = interleaved(
        lambda: parse_with_library(valid), lambda: validate_with_stdnum(valid), 1, repeat
    )
    parsed_mixed, _ = interleaved(
        lambda: parse_with_library(items), lambda: validate_with_stdnum(items), 1, repeat
    )
    stdnum = "python-stdnum is_valid"
    return [
        Result(f"is_valid {size:,} mixed identifiers", ours / size, base / size, stdnum, 1.3),
        Result(f"parse {size:,} valid identifiers", parsed / size, base_valid / size, stdnum, 1.3),
        Result(
            "  parse, 10 % typos (errors built)", parsed_mixed / size, base / size, stdnum, None
        ),
    ]


def invoicing_benchmarks(rounds: int) -> list[Result]:
    """EN 16931 totals of a 1,000-line invoice against the same sums in raw Decimal."""
    from bench_invoicing import GOAL, LINES, build, totals

    ours, base = totals(LINES, rounds)
    built, parsed = build(LINES, rounds)
    return [
        Result("EN 16931 totals, 1,000 lines", ours, base, "same sums on Decimal, per line", GOAL),
        Result("  build 1,000 lines (validated)", built, parsed, "Decimal(text), per line", None),
    ]


def einvoice_benchmarks(count: int) -> list[Result]:
    """Validating UBL invoices natively against the official CEN schematron (saxonche)."""
    from bench_einvoice import validate_ubl

    native, schematron = validate_ubl(count)
    return [
        Result(
            "validate a UBL invoice (EN 16931)",
            native,
            schematron,
            "official schematron, saxonche",
            0.2,  # at least 5 times faster
        )
    ]


def stock_benchmarks() -> list[Result]:
    """The stock ledger on SQLite (and PostgreSQL when BACKOFFICE_TEST_POSTGRES_URL is
    set) against raw driver calls doing the equivalent writes."""
    from bench_stock import BENCHMARKS, postgres_url_from_env

    results = []
    for benchmark in BENCHMARKS:
        if benchmark.name.startswith("PostgreSQL") and postgres_url_from_env() is None:
            print(f"{benchmark.name}: skipped (no BACKOFFICE_TEST_POSTGRES_URL)")
            continue
        ours, base = benchmark.measure()
        results.append(Result(benchmark.name, ours, base, benchmark.baseline_name, benchmark.goal))
    return results


def import_time(rounds: int) -> Result:
    """Cold-interpreter import of ``backoffice`` against an interpreter doing nothing."""

    def run(code: str) -> float:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - started

    base_times, ours_times = [], []
    for _ in range(rounds):
        base_times.append(run("pass"))
        ours_times.append(run("import backoffice"))
    base = statistics.median(base_times)
    ours = statistics.median(ours_times)
    return Result("python -c 'import backoffice'", ours, base, "python -c 'pass'", None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    args = parser.parse_args(argv)
    number, repeat, rounds = (20_000, 5, 5) if args.quick else (200_000, 7, 15)

    print(
        f"backoffice benchmarks on {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.machine()}"
    )
    print()
    header = f"{'benchmark':<36}{'ours':>12}{'baseline':>12}{'ratio':>8}  {'goal':<7}baseline"
    print(header)
    print("-" * len(header))
    missed = 0
    size = 20_000 if args.quick else 100_000
    for result in [
        *money_benchmarks(number, repeat),
        *taxid_benchmarks(size, 3),
        *invoicing_benchmarks(5 if args.quick else 15),
        *einvoice_benchmarks(200 if args.quick else 1000),
        *stock_benchmarks(),
    ]:
        goal = f"<={result.goal:g}x" if result.goal else ""
        print(
            f"{result.name:<36}{result.ours * 1e9:>9.0f} ns{result.baseline * 1e9:>9.0f} ns"
            f"{result.ratio:>7.2f}x  {goal:<7}{result.baseline_name}  {result.verdict}"
        )
        missed += result.verdict == "MISSED"
    from bench_issuing import GOAL_PER_SECOND, sqlite_issue

    issue_ours, issue_raw = sqlite_issue(150 if args.quick else 300)
    rate = 1 / issue_ours
    verdict = "ok" if rate >= GOAL_PER_SECOND else "MISSED"
    print(
        f"{'issue an invoice, SQLite':<36}{issue_ours * 1e9:>9.0f} ns{issue_raw * 1e9:>9.0f} ns"
        f"{issue_ours / issue_raw:>7.2f}x  >={GOAL_PER_SECOND}/s raw sqlite3 transactions: "
        f"{rate:,.0f} invoices/s, {issue_raw / issue_ours:.0%} of the raw rate  {verdict}"
    )
    missed += verdict == "MISSED"
    from bench_payroll import pay_run

    per_payslip = pay_run(10_000, rounds=1 if args.quick else 3)
    rate = 1 / per_payslip
    verdict = "ok" if rate >= 10_000 else "MISSED"
    print(
        f"{'French payslip, pay run of 10,000':<36}{per_payslip * 1e9:>9.0f} ns"
        f"{'':>12}{'':>8}  >=10000/s exact Decimal lines: {rate:,.0f} payslips/s  {verdict}"
    )
    missed += verdict == "MISSED"
    cold = import_time(rounds)
    extra_ms = (cold.ours - cold.baseline) * 1000
    verdict = "ok" if extra_ms < 150 else "MISSED"
    print(
        f"{cold.name:<36}{cold.ours * 1e3:>9.1f} ms{cold.baseline * 1e3:>9.1f} ms"
        f"{cold.ratio:>7.2f}x  <150 ms {cold.baseline_name}: import adds {extra_ms:.1f} ms  "
        f"{verdict}"
    )
    missed += verdict == "MISSED"
    print()
    print("ok" if not missed else f"{missed} goal(s) missed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
