"""Fiscal years run from 1 April to 31 March."""

from __future__ import annotations

from datetime import date

import pytest

from contracts.rulebook import check_fiscal_year, fiscal_year_of


@pytest.mark.parametrize(
    ("day", "fiscal_year"),
    [
        (date(2012, 3, 31), "2011-12"),
        (date(2012, 4, 1), "2012-13"),
        (date(2013, 3, 31), "2012-13"),
        (date(2013, 4, 1), "2013-14"),
        (date(1999, 12, 31), "1999-00"),
    ],
)
def test_a_date_falls_in_the_fiscal_year_that_began_on_the_last_first_of_april(
    day: date, fiscal_year: str
) -> None:
    assert fiscal_year_of(day) == fiscal_year


@pytest.mark.parametrize("text", ["2012-14", "2012/13", "12-13", "2012-13.1"])
def test_text_that_is_not_a_fiscal_year_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a fiscal year"):
        check_fiscal_year(text)
