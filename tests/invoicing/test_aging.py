"""Receivables aging by days overdue, per customer and currency, and DSO."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice import Money
from backoffice.core.rounding import RoundingMode, RoundingPolicy
from backoffice.errors import (
    CurrencyMismatch,
    DivisionByZero,
    FloatNotAllowed,
    InvalidType,
    InvalidValue,
    ValidationError,
)
from backoffice.invoicing import AgingBucket, Receivable, aging, dso

AS_OF = date(2026, 3, 31)

# Due date → days overdue on 31 March 2026, counted by hand:
BOUNDARIES = [
    (date(2026, 4, 10), -10, AgingBucket.CURRENT),  # not yet due
    (date(2026, 3, 31), 0, AgingBucket.CURRENT),  # due today
    (date(2026, 3, 30), 1, AgingBucket.DAYS_1_30),
    (date(2026, 3, 1), 30, AgingBucket.DAYS_1_30),  # 1 March + 30 days
    (date(2026, 2, 28), 31, AgingBucket.DAYS_31_60),  # + 1 day to 1 March, + 30
    (date(2026, 1, 30), 60, AgingBucket.DAYS_31_60),  # 1 (Jan) + 28 (Feb) + 31 (Mar)
    (date(2026, 1, 29), 61, AgingBucket.DAYS_61_90),
    (date(2025, 12, 31), 90, AgingBucket.DAYS_61_90),  # 31 (Jan) + 28 + 31
    (date(2025, 12, 30), 91, AgingBucket.OVER_90),
]


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


@pytest.mark.parametrize(("due", "days", "bucket"), BOUNDARIES)
def test_boundary_days_fall_in_the_right_bucket(due: date, days: int, bucket: AgingBucket) -> None:
    report = aging([Receivable("ACME", "F-1", due, eur("100.00"))], AS_OF)
    (line,) = report.lines
    assert line.days_overdue == days
    assert line.bucket is bucket
    assert report.totals["EUR"][bucket] == eur("100.00")
    assert report.totals["EUR"].total == eur("100.00")
    others = [b for b in AgingBucket if b is not bucket]
    assert all(report.totals["EUR"][other].is_zero() for other in others)


def test_amounts_are_summed_per_customer_and_in_total_per_currency() -> None:
    receivables = [
        Receivable("ACME", "F-1", date(2026, 3, 1), eur("100.00")),  # 30 days: 1-30
        Receivable("ACME", "F-2", date(2026, 2, 28), eur("250.50")),  # 31 days: 31-60
        Receivable("ACME", "F-3", date(2025, 12, 30), Money("40.00", "USD")),  # 91: 90+
        Receivable("Bolt", "B-9", date(2026, 3, 20), eur("19.50")),  # 11 days: 1-30
        Receivable("Bolt", "B-10", date(2026, 4, 30), eur("-5.00")),  # credit, current
    ]
    report = aging(receivables, AS_OF)
    assert list(report.by_customer) == ["ACME", "Bolt"]
    assert list(report.by_customer["ACME"]) == ["EUR", "USD"]
    acme_eur = report.by_customer["ACME"]["EUR"]
    assert acme_eur[AgingBucket.DAYS_1_30] == eur("100.00")
    assert acme_eur[AgingBucket.DAYS_31_60] == eur("250.50")
    assert acme_eur.total == eur("350.50")
    assert report.by_customer["ACME"]["USD"][AgingBucket.OVER_90] == Money("40.00", "USD")
    bolt = report.by_customer["Bolt"]["EUR"]
    assert bolt[AgingBucket.CURRENT] == eur("-5.00")
    assert bolt[AgingBucket.DAYS_1_30] == eur("19.50")
    # EUR in total: 1-30 = 100.00 + 19.50 = 119.50; 31-60 = 250.50; current = -5.00;
    # all EUR = 365.00. USD stays apart: 40.00 over 90 days.
    total = report.totals["EUR"]
    assert total.amounts == (
        eur("-5.00"),
        eur("119.50"),
        eur("250.50"),
        eur("0.00"),
        eur("0.00"),
    )
    assert total.total == eur("365.00")
    assert report.totals["USD"].total == Money("40.00", "USD")
    assert report.as_of == AS_OF


def test_no_receivables_give_an_empty_report() -> None:
    report = aging([], AS_OF)
    assert report.lines == ()
    assert report.totals == {}
    assert report.by_customer == {}


receivables = st.lists(
    st.builds(
        Receivable,
        st.sampled_from(["ACME", "Bolt", "Cargo"]),
        st.text(alphabet="0123456789", min_size=1, max_size=6),
        st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31)),
        st.builds(
            Money.from_minor_units,
            st.integers(min_value=-(10**9), max_value=10**9),
            st.sampled_from(["EUR", "USD", "JPY"]),
        ),
    ),
    max_size=30,
    unique_by=lambda r: (r.customer, r.invoice_id),
)


@given(receivables, st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31)))
def test_bucket_totals_sum_to_the_open_amount_of_each_currency(
    items: list[Receivable], as_of: date
) -> None:
    report = aging(items, as_of)
    for code, totals in report.totals.items():
        open_amounts = [r.open_amount for r in items if r.open_amount.currency.code == code]
        assert totals.total == Money.total(open_amounts, code)
        assert sum(totals.amounts, Money.zero(code)) == totals.total
        per_customer = [
            per_currency[code].total
            for per_currency in report.by_customer.values()
            if code in per_currency
        ]
        assert Money.total(per_customer, code) == totals.total
    assert set(report.totals) == {r.open_amount.currency.code for r in items}
    for line in report.lines:
        assert line.days_overdue == (as_of - line.receivable.due_date).days
        assert line.bucket is AgingBucket.of(line.days_overdue)


# -- refused input ----------------------------------------------------------------------


def test_a_receivable_reports_every_bad_field_with_its_path() -> None:
    bad: Any = 100.0
    with pytest.raises(ValidationError) as caught:
        Receivable("", 7, datetime(2026, 1, 31, 12, 0), bad)  # type: ignore[arg-type]  # noqa: DTZ001
    found = {problem.path: problem.code for problem in caught.value.problems}
    assert found == {
        "customer": "value.invalid",
        "invoice_id": "value.invalid_type",
        "due_date": "value.invalid_type",
        "open_amount": "value.float_not_allowed",
    }


def test_an_aware_datetime_is_refused_as_a_due_date_too() -> None:
    with pytest.raises(ValidationError) as caught:
        Receivable("ACME", "F-1", datetime(2026, 1, 31, tzinfo=UTC), eur("1.00"))
    assert [problem.path for problem in caught.value.problems] == ["due_date"]


def test_aging_refuses_bad_items_duplicates_and_a_datetime_report_day() -> None:
    good = Receivable("ACME", "F-1", date(2026, 1, 31), eur("1.00"))
    with pytest.raises(ValidationError) as caught:
        aging(["F-1", good, good], AS_OF)  # type: ignore[list-item]
    found = {problem.path: problem.code for problem in caught.value.problems}
    assert found == {"receivables.0": "value.invalid_type", "receivables.2": "value.invalid"}
    with pytest.raises(InvalidType) as caught_day:
        aging([good], datetime(2026, 3, 31, 12, 0))  # noqa: DTZ001 - naive on purpose
    assert caught_day.value.details["field"] == "as_of"
    with pytest.raises(InvalidType) as caught_items:
        aging(good, AS_OF)  # type: ignore[arg-type]
    assert caught_items.value.details["field"] == "receivables"


# -- DSO --------------------------------------------------------------------------------


def test_dso_is_open_receivables_over_credit_sales_times_days() -> None:
    # 30,000 / 90,000 × 90 = 30 days.
    assert dso(eur("30000.00"), eur("90000.00"), 90, rounding=RoundingMode.HALF_UP) == 30
    # 10 / 30 × 31 = 10.333... days: 10 in whole days, 10.3 to a tenth, 11 rounded up.
    assert dso(eur("10.00"), eur("30.00"), 31, rounding=RoundingMode.HALF_UP) == 10
    tenth = RoundingPolicy(RoundingMode.HALF_UP, "0.1")
    assert dso(eur("10.00"), eur("30.00"), 31, rounding=tenth) == Decimal("10.3")
    assert dso(eur("10.00"), eur("30.00"), 31, rounding=RoundingMode.UP) == 11


def test_dso_refuses_what_it_cannot_compute() -> None:
    with pytest.raises(CurrencyMismatch):
        dso(eur("1.00"), Money("1.00", "USD"), 30, rounding=RoundingMode.HALF_UP)
    with pytest.raises(DivisionByZero) as caught_zero:
        dso(eur("1.00"), eur("0.00"), 30, rounding=RoundingMode.HALF_UP)
    assert caught_zero.value.details["field"] == "credit_sales"
    with pytest.raises(InvalidValue) as caught_days:
        dso(eur("1.00"), eur("2.00"), 0, rounding=RoundingMode.HALF_UP)
    assert caught_days.value.details["field"] == "days"
    bad: Any = 1.0
    with pytest.raises(FloatNotAllowed) as caught_float:
        dso(bad, eur("2.00"), 30, rounding=RoundingMode.HALF_UP)
    assert caught_float.value.details["field"] == "receivables_open_total"
    with pytest.raises(InvalidValue):
        dso(eur("1.00"), eur("-2.00"), 30, rounding=RoundingMode.HALF_UP)


def test_bucket_of_is_the_boundaries_in_days() -> None:
    assert [AgingBucket.of(d) for d in (-1, 0, 1, 30, 31, 60, 61, 90, 91)] == [
        AgingBucket.CURRENT,
        AgingBucket.CURRENT,
        AgingBucket.DAYS_1_30,
        AgingBucket.DAYS_1_30,
        AgingBucket.DAYS_31_60,
        AgingBucket.DAYS_31_60,
        AgingBucket.DAYS_61_90,
        AgingBucket.DAYS_61_90,
        AgingBucket.OVER_90,
    ]
    assert AgingBucket.of(10_000) is AgingBucket.OVER_90
    assert timedelta(days=91) == AS_OF - date(2025, 12, 30)
