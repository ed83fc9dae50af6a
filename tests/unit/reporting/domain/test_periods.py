"""Months, fiscal quarters and year to date, and their share of the year."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from services.reporting.domain import (
    month_period,
    parse_period,
    quarter_period,
    year_to_date_period,
)


def test_quarter_one_is_april_to_june_and_quarter_four_ends_in_march() -> None:
    q1, q4 = quarter_period("2012-13", 1), quarter_period("2012-13", 4)
    assert (q1.start, q1.end) == (date(2012, 4, 1), date(2012, 6, 30))
    assert (q4.start, q4.end) == (date(2013, 1, 1), date(2013, 3, 31))
    assert q1.share_of_year == Fraction(1, 4)


def test_a_month_belongs_to_its_fiscal_year_and_is_a_twelfth() -> None:
    february = month_period("2013-02")
    assert february.fiscal_year == "2012-13"
    assert february.end == date(2013, 2, 28)
    assert february.share_of_year == Fraction(1, 12)


def test_year_to_date_counts_the_as_of_month_whole_and_stops_at_march() -> None:
    ytd = year_to_date_period("2012-13", date(2012, 9, 15))
    assert (ytd.start, ytd.end, ytd.months) == (date(2012, 4, 1), date(2012, 9, 15), 6)
    assert year_to_date_period("2012-13", date(2014, 1, 1)).months == 12


def test_parse_period_reads_the_cli_spellings() -> None:
    assert parse_period("2012-13", "q2").start == date(2012, 7, 1)
    assert parse_period("2012-13", "2013-01").label == "2013-01"
    assert parse_period("2012-13", "ytd", as_of=date(2012, 4, 1)).months == 1


@pytest.mark.parametrize(
    ("text", "as_of"), [("2013-04", None), ("q5", None), ("ytd", None), ("ytd", date(2012, 3, 1))]
)
def test_parse_period_refuses_what_is_not_a_period_of_the_year(
    text: str, as_of: date | None
) -> None:
    with pytest.raises(ValueError):
        parse_period("2012-13", text, as_of=as_of)
