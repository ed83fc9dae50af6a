"""Calendar rules of the programs service: nothing in the future, facts in order, look-backs.

Rules take ``today`` as an argument; the use case reads the clock once per
command and passes it in.
"""

from __future__ import annotations

import calendar
from datetime import date

from services.programs.domain.errors import DateInFuture, DateOutOfOrder

DAYS_PER_WEEK = 7


def require_not_in_future(what: str, on: date, today: date) -> None:
    """Refuse a date after today."""
    if on > today:
        raise DateInFuture(what, on, today)


def require_not_before(what: str, on: date, earlier_what: str, earlier_on: date) -> None:
    """Refuse a date before the fact it must follow."""
    if on < earlier_on:
        raise DateOutOfOrder(what, on, earlier_what, earlier_on)


def years_before(day: date, years: int) -> date:
    """The same day ``years`` earlier; 29 February becomes 28 February in a common year."""
    year = day.year - years
    return date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


def days_inclusive(first: date, last: date) -> int:
    """Days from ``first`` to ``last``, both counted: a 52-week span is 364 days."""
    return (last - first).days + 1
