"""Reporting periods of a fiscal year: a month, a quarter, or the year to date.

Quarters follow the fiscal year: q1 = April-June, q2 = July-September,
q3 = October-December, q4 = January-March. Year to date runs from 1 April to
the as-of date (inclusive), capped at 31 March. ``months`` is the share of the
year used to pro-rate annual commitments: 1 for a month, 3 for a quarter, and
for year to date the months started so far (as-of month included, so a
partial month counts whole).
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from fractions import Fraction

from pydantic import BaseModel, ConfigDict, Field

from contracts.rulebook import check_fiscal_year, fiscal_year_of
from contracts.rulebook.fiscal_year import FIRST_MONTH

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^q([1-4])$")


class Period(BaseModel):
    """A date range of one fiscal year, inclusive at both ends."""

    model_config = ConfigDict(frozen=True)

    fiscal_year: str = Field(examples=["2012-13"])
    label: str = Field(description="YYYY-MM, q1..q4 or ytd.", examples=["q1"])
    start: date
    end: date
    months: int = Field(ge=1, le=12, description="Months of the year the period covers.")

    def contains(self, day: date | None) -> bool:
        """Whether a date falls in the period (never for a missing date)."""
        return day is not None and self.start <= day <= self.end

    @property
    def share_of_year(self) -> Fraction:
        """The period's share of the fiscal year, for pro-rating annual commitments."""
        return Fraction(self.months, 12)


def _fiscal_year_start(fiscal_year: str) -> date:
    return date(int(check_fiscal_year(fiscal_year)[:4]), FIRST_MONTH, 1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _month_end(first: date) -> date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def month_period(month: str) -> Period:
    """The calendar month ``YYYY-MM``, in the fiscal year it falls in."""
    match = _MONTH.fullmatch(month)
    if match is None:
        raise ValueError(f"{month!r} is not a month written like '2012-05'")
    first = date(int(match[1]), int(match[2]), 1)
    return Period(
        fiscal_year=fiscal_year_of(first), label=month, start=first, end=_month_end(first), months=1
    )


def quarter_period(fiscal_year: str, quarter: int) -> Period:
    """Quarter 1-4 of a fiscal year (q1 = April to June)."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1 to 4, not {quarter}")
    first = _add_months(_fiscal_year_start(fiscal_year), 3 * (quarter - 1))
    last = _month_end(_add_months(first, 2))
    return Period(fiscal_year=fiscal_year, label=f"q{quarter}", start=first, end=last, months=3)


def year_to_date_period(fiscal_year: str, as_of: date) -> Period:
    """1 April of the fiscal year to ``as_of`` (capped at 31 March)."""
    first = _fiscal_year_start(fiscal_year)
    year_end = _month_end(_add_months(first, 11))
    if as_of < first:
        raise ValueError(f"as-of date {as_of} is before fiscal year {fiscal_year} starts")
    end = min(as_of, year_end)
    months = (end.year * 12 + end.month) - (first.year * 12 + first.month) + 1
    return Period(fiscal_year=fiscal_year, label="ytd", start=first, end=end, months=months)


def parse_period(fiscal_year: str, text: str, as_of: date | None = None) -> Period:
    """A period from its CLI spelling: ``YYYY-MM``, ``q1``..``q4`` or ``ytd`` (needs ``as_of``)."""
    if text == "ytd":
        if as_of is None:
            raise ValueError("year to date needs an as-of date")
        return year_to_date_period(fiscal_year, as_of)
    if quarter := _QUARTER.fullmatch(text):
        return quarter_period(fiscal_year, int(quarter[1]))
    if not _MONTH.fullmatch(text):
        raise ValueError(f"{text!r} is not a period: use ytd, q1, q2, q3, q4 or a month YYYY-MM")
    period = month_period(text)
    if period.fiscal_year != fiscal_year:
        raise ValueError(f"month {text} is not in fiscal year {fiscal_year}")
    return period
