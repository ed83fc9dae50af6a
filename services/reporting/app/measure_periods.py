"""The periods the measures read model stores per fiscal year, and their keys.

Per (site, fiscal year): the 12 months (key ``YYYY-MM``), the 4 quarters
(``q1``..``q4``) and the year to date at each month end (``ytd:YYYY-MM``: 1 April
to the last day of that month, so ``ytd:YYYY-03`` is the whole year).

A year-to-date query for an as-of date is answered by the row of the as-of
date's month end (``months`` is the same: the as-of month counts whole). That
is exact when the as-of date is a month end or the year end, and otherwise
only when the site has no plan opened or exited after the as-of date in that
month; ``answers_ytd_as_of`` decides it from the site-year's latest activity.
"""

from __future__ import annotations

import calendar
from datetime import date

from services.reporting.domain import Period, month_period, quarter_period, year_to_date_period

YTD_PREFIX = "ytd:"


def month_end(day: date) -> date:
    """The last day of ``day``'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def fiscal_year_bounds(fiscal_year: str) -> tuple[date, date]:
    """1 April and 31 March of a fiscal year."""
    first = int(fiscal_year[:4])
    return date(first, 4, 1), date(first + 1, 3, 31)


def fiscal_months(fiscal_year: str) -> list[date]:
    """The first day of each month of a fiscal year, April first."""
    start, _ = fiscal_year_bounds(fiscal_year)
    return [date(start.year + (start.month + i - 1) // 12, (start.month + i - 1) % 12 + 1, 1)
            for i in range(12)]  # fmt: skip


def materialized_periods(fiscal_year: str) -> list[tuple[str, Period]]:
    """(key, period) of every period stored for a fiscal year."""
    months = fiscal_months(fiscal_year)
    stored = [(f"{m:%Y-%m}", month_period(f"{m:%Y-%m}")) for m in months]
    stored += [(f"q{q}", quarter_period(fiscal_year, q)) for q in (1, 2, 3, 4)]
    stored += [
        (f"{YTD_PREFIX}{m:%Y-%m}", year_to_date_period(fiscal_year, month_end(m))) for m in months
    ]
    return stored


def period_key(period: Period) -> str:
    """The key of the stored row answering ``period`` (ytd: its end's month)."""
    if period.label == "ytd":
        return f"{YTD_PREFIX}{period.end:%Y-%m}"
    return period.label


def answers_ytd_as_of(period: Period, last_activity_on: date | None) -> bool:
    """Whether the stored row of ``period_key(period)`` equals the domain's answer for it.

    Always for months, quarters and a year to date ending on a month end; for
    a year to date ending mid-month, only if the site-year's latest opening or
    exit date is on or before the period's end.
    """
    if period.label != "ytd" or period.end == month_end(period.end):
        return True
    return last_activity_on is None or last_activity_on <= period.end
