"""Calendar rules of caseload: nothing in the future, facts in order, month arithmetic.

Rules take ``today`` as an argument; the use case reads the clock (in the
site's time zone) once per command and passes it in.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from contracts.caseload import MONTH_PATTERN
from services.caseload.domain.errors import DateInFuture, DateOutOfOrder, InvalidMonth


def require_not_in_future(what: str, on: date, today: date) -> None:
    """Refuse a date after today."""
    if on > today:
        raise DateInFuture(what, on, today)


def require_not_before(what: str, on: date, earlier_what: str, earlier_on: date) -> None:
    """Refuse a date before the fact it must follow."""
    if on < earlier_on:
        raise DateOutOfOrder(what, on, earlier_what, earlier_on)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def first_day_of(month: str) -> date:
    """The first day of a ``YYYY-MM`` month."""
    if not re.fullmatch(MONTH_PATTERN, month):
        raise InvalidMonth(month)
    return date.fromisoformat(f"{month}-01")
