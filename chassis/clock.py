"""Where "today" comes from: one clock per service, built by its composition root.

Rules such as "no date in the future" compare with today where the sites are,
not where the server runs: :func:`site_clock` reads the system clock in the
time zone the service's settings name (``<PREFIX>_TIME_ZONE``). Tests, demos
and simulations inject a :func:`fixed_clock` instead.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

Clock = Callable[[], date]
"""Returns today's date; read once per command."""


def site_clock(time_zone: str) -> Clock:
    """Today in the sites' time zone, from the system clock."""
    zone = ZoneInfo(time_zone)
    return lambda: datetime.now(zone).date()


def fixed_clock(today: date) -> Clock:
    """A clock stopped on one day (tests, demos, simulations)."""
    return lambda: today
