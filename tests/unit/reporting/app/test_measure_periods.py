"""The periods the measures read model stores, and when a stored year-to-date row answers."""

from __future__ import annotations

from datetime import date

from services.reporting.app.measure_periods import (
    answers_ytd_as_of,
    materialized_periods,
    period_key,
)
from services.reporting.domain import month_period, quarter_period, year_to_date_period


def test_a_year_stores_twelve_months_four_quarters_and_twelve_year_to_dates() -> None:
    stored = dict(materialized_periods("2012-13"))
    assert len(stored) == 28
    assert stored["2012-04"] == month_period("2012-04")
    assert stored["2013-03"] == month_period("2013-03")
    assert stored["q4"] == quarter_period("2012-13", 4)
    assert stored["ytd:2012-09"] == year_to_date_period("2012-13", date(2012, 9, 30))
    whole = stored["ytd:2013-03"]
    assert (whole.start, whole.end, whole.months) == (date(2012, 4, 1), date(2013, 3, 31), 12)


def test_each_period_asked_for_maps_to_its_stored_row() -> None:
    assert period_key(month_period("2012-05")) == "2012-05"
    assert period_key(quarter_period("2012-13", 2)) == "q2"
    assert period_key(year_to_date_period("2012-13", date(2012, 9, 15))) == "ytd:2012-09"
    assert period_key(year_to_date_period("2012-13", date(2020, 1, 1))) == "ytd:2013-03"


def test_a_mid_month_year_to_date_is_stored_only_without_later_activity_that_month() -> None:
    mid_september = year_to_date_period("2012-13", date(2012, 9, 15))
    assert answers_ytd_as_of(mid_september, None)
    assert answers_ytd_as_of(mid_september, date(2012, 9, 15))
    assert not answers_ytd_as_of(mid_september, date(2012, 9, 16))
    month_end = year_to_date_period("2012-13", date(2012, 9, 30))
    assert answers_ytd_as_of(month_end, date(2013, 3, 1))
    assert answers_ytd_as_of(quarter_period("2012-13", 1), date(2013, 3, 1))
