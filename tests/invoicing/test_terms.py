"""Payment terms: due dates, both "N days end of month" readings, discounts, French caps."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice import Money, Rate
from backoffice.core.rounding import RoundingMode
from backoffice.core.time import end_of_month
from backoffice.errors import FloatNotAllowed, InvalidType, InvalidValue
from backoffice.invoicing import (
    DaysThenEndOfMonth,
    EarlyPaymentDiscount,
    EndOfMonth,
    EndOfMonthThenDays,
    Net,
    PaymentTerms,
    check_french_payment_terms,
)


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


# -- due dates --------------------------------------------------------------------------


def test_net_days_count_calendar_days_from_the_issue_date() -> None:
    # 15 January + 16 days = 31 January; + 14 more = 14 February (30 days).
    assert PaymentTerms.net(30).due_date(date(2026, 1, 15)) == date(2026, 2, 14)
    # 31 January + 28 days = 28 February (2026 is not a leap year); + 31 = 31 March;
    # + 1 = 1 April: 60 days.
    assert PaymentTerms.net(60).due_date(date(2026, 1, 31)) == date(2026, 4, 1)
    assert PaymentTerms.net(0).due_date(date(2026, 1, 15)) == date(2026, 1, 15)


def test_end_of_month_is_the_last_day_of_the_issue_month() -> None:
    assert PaymentTerms.end_of_month().due_date(date(2026, 2, 3)) == date(2026, 2, 28)
    assert PaymentTerms.end_of_month().due_date(date(2028, 2, 3)) == date(2028, 2, 29)
    assert PaymentTerms.end_of_month().due_date(date(2026, 1, 31)) == date(2026, 1, 31)


def test_the_two_readings_of_45_days_end_of_month_differ_on_15_january_2026() -> None:
    issued = date(2026, 1, 15)
    # Days first: 15 January + 45 days = 1 March 2026 (16 days to 31 January, 28 in
    # February, 1 in March); the end of March is 31 March.
    assert PaymentTerms.days_then_end_of_month(45).due_date(issued) == date(2026, 3, 31)
    # End of month first: 31 January + 45 days = 17 March 2026 (28 in February, 17 in
    # March).
    assert PaymentTerms.end_of_month_then_days(45).due_date(issued) == date(2026, 3, 17)


def test_the_rule_classes_and_the_constructors_agree() -> None:
    assert PaymentTerms.net(30).rule == Net(30)
    assert PaymentTerms.end_of_month().rule == EndOfMonth()
    assert PaymentTerms.days_then_end_of_month(45).rule == DaysThenEndOfMonth(45)
    assert PaymentTerms.end_of_month_then_days(45).rule == EndOfMonthThenDays(45)
    assert DaysThenEndOfMonth(45).due_date(date(2026, 1, 15)) == date(2026, 3, 31)
    assert str(EndOfMonthThenDays(45)) == "end of month, then 45 days"


days = st.integers(min_value=0, max_value=400)
issue_dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@given(issue_dates, days)
def test_net_due_date_is_exactly_n_days_later(issued: date, n: int) -> None:
    assert PaymentTerms.net(n).due_date(issued) - issued == timedelta(days=n)


@given(issue_dates, days)
def test_days_then_end_of_month_is_the_end_of_the_month_of_issue_plus_n(
    issued: date, n: int
) -> None:
    due = PaymentTerms.days_then_end_of_month(n).due_date(issued)
    assert due == end_of_month(due)
    assert issued + timedelta(days=n) <= due
    assert (due.year, due.month) == (
        (issued + timedelta(days=n)).year,
        (issued + timedelta(days=n)).month,
    )


@given(issue_dates, days)
def test_end_of_month_then_days_is_n_days_after_the_end_of_the_issue_month(
    issued: date, n: int
) -> None:
    due = PaymentTerms.end_of_month_then_days(n).due_date(issued)
    assert due - end_of_month(issued) == timedelta(days=n)


# -- early-payment discount -------------------------------------------------------------


def test_the_discount_is_earned_up_to_and_including_the_deadline() -> None:
    offer = EarlyPaymentDiscount(Rate.percent("2"), 10, RoundingMode.HALF_UP)
    terms = PaymentTerms.net(30, early_discount=offer)
    issued = date(2026, 1, 15)
    assert offer.deadline(issued) == date(2026, 1, 25)
    # 2 % of 1,234.56 = 24.6912, rounded half up to 24.69.
    assert terms.discount(eur("1234.56"), issue_date=issued, paid_on=date(2026, 1, 25)) == eur(
        "24.69"
    )
    assert terms.discount(eur("1234.56"), issue_date=issued, paid_on=date(2026, 1, 10)) == eur(
        "24.69"
    )
    assert terms.discount(eur("1234.56"), issue_date=issued, paid_on=date(2026, 1, 26)) == eur(
        "0.00"
    )


def test_the_discount_uses_the_named_rounding() -> None:
    issued, paid = date(2026, 1, 15), date(2026, 1, 16)
    amount = eur("100.25")  # 2 % is 2.005: a tie
    half_up = EarlyPaymentDiscount(Rate.percent("2"), 10, RoundingMode.HALF_UP)
    half_even = EarlyPaymentDiscount(Rate.percent("2"), 10, RoundingMode.HALF_EVEN)
    assert half_up.discount(amount, issue_date=issued, paid_on=paid) == eur("2.01")
    assert half_even.discount(amount, issue_date=issued, paid_on=paid) == eur("2.00")


def test_terms_without_a_discount_give_zero_in_the_amount_currency() -> None:
    zero = PaymentTerms.net(30).discount(
        Money("10", "USD"), issue_date=date(2026, 1, 1), paid_on=date(2026, 1, 1)
    )
    assert zero == Money("0", "USD")


# -- refused input ----------------------------------------------------------------------


NAIVE = datetime(2026, 1, 15, 9, 0)  # noqa: DTZ001 - naive on purpose


@pytest.mark.parametrize("value", [NAIVE, datetime(2026, 1, 15, 9, 0, tzinfo=UTC)])
def test_a_datetime_is_refused_as_an_issue_date_naming_the_field(value: datetime) -> None:
    with pytest.raises(InvalidType) as caught:
        PaymentTerms.net(30).due_date(value)
    assert caught.value.details["field"] == "issue_date"
    assert "issue_date" in str(caught.value)


def test_wrong_day_counts_are_refused_naming_the_field() -> None:
    bad: Any = 30.0
    with pytest.raises(FloatNotAllowed) as caught:
        Net(bad)
    assert caught.value.details["field"] == "days"
    with pytest.raises(InvalidType) as caught_bool:
        DaysThenEndOfMonth(True)
    assert caught_bool.value.details["field"] == "days"
    with pytest.raises(InvalidValue) as caught_negative:
        EndOfMonthThenDays(-1)
    assert caught_negative.value.details["field"] == "days"
    with pytest.raises(InvalidType) as caught_text:
        Net("30")  # type: ignore[arg-type]
    assert caught_text.value.details["field"] == "days"


def test_wrong_discount_and_terms_input_is_refused_naming_the_field() -> None:
    bad: Any = 0.02
    with pytest.raises(FloatNotAllowed) as caught:
        EarlyPaymentDiscount(bad, 10, RoundingMode.HALF_UP)
    assert caught.value.details["field"] == "rate"
    with pytest.raises(InvalidType) as caught_rate:
        EarlyPaymentDiscount(Decimal("2"), 10, RoundingMode.HALF_UP)
    assert caught_rate.value.details["field"] == "rate"
    with pytest.raises(FloatNotAllowed) as caught_days:
        EarlyPaymentDiscount(Rate.percent("2"), 10.0, RoundingMode.HALF_UP)
    assert caught_days.value.details["field"] == "within_days"
    with pytest.raises(InvalidType) as caught_rounding:
        EarlyPaymentDiscount(Rate.percent("2"), 10, None)
    assert caught_rounding.value.details["field"] == "rounding"
    with pytest.raises(InvalidType) as caught_rule:
        PaymentTerms("net 30")
    assert caught_rule.value.details["field"] == "rule"
    offer = EarlyPaymentDiscount(Rate.percent("2"), 10, RoundingMode.HALF_UP)
    with pytest.raises(FloatNotAllowed) as caught_amount:
        offer.discount(bad, issue_date=date(2026, 1, 1), paid_on=date(2026, 1, 2))
    assert caught_amount.value.details["field"] == "amount"
    with pytest.raises(InvalidType) as caught_paid:
        offer.discount(
            eur("1.00"), issue_date=date(2026, 1, 1), paid_on=datetime(2026, 1, 2, tzinfo=UTC)
        )
    assert caught_paid.value.details["field"] == "paid_on"


# -- French caps ------------------------------------------------------------------------


def test_net_terms_up_to_60_days_are_within_the_french_cap() -> None:
    assert check_french_payment_terms(PaymentTerms.net(60)) == ()
    findings = check_french_payment_terms(PaymentTerms.net(61))
    assert [finding.code for finding in findings] == ["fr.l441_10.net_over_60_days"]
    assert "L441-10" in findings[0].source


@pytest.mark.parametrize(
    "make", [PaymentTerms.days_then_end_of_month, PaymentTerms.end_of_month_then_days]
)
def test_end_of_month_terms_up_to_45_days_are_within_the_french_cap(make: Any) -> None:
    assert check_french_payment_terms(make(45)) == ()
    findings = check_french_payment_terms(make(46))
    assert [finding.code for finding in findings] == ["fr.l441_10.end_of_month_over_45_days"]


def test_end_of_month_alone_is_within_the_french_caps() -> None:
    assert check_french_payment_terms(PaymentTerms.end_of_month()) == ()


def test_the_french_check_refuses_what_is_not_payment_terms() -> None:
    with pytest.raises(InvalidType) as caught:
        check_french_payment_terms(Net(30))  # type: ignore[arg-type]
    assert caught.value.details["field"] == "terms"
