"""The rule books caseload's use cases read (follow-up windows), one per fiscal year, loaded once.

The same shape as intake's and programs' shelves; the service wiring builds one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache

from contracts.rulebook import RuleBook, RuleBookError, fiscal_year_of, load_rulebook
from services.caseload.app.errors import NoRuleBookForDate


class RuleBookShelf:
    """Finds the rule book of the fiscal year a date falls in."""

    def __init__(self, load: Callable[[str], RuleBook] = load_rulebook) -> None:
        self._load = cache(load)

    def for_day(self, day: date) -> RuleBook:
        """The rule book of ``day``'s fiscal year, or ``NoRuleBookForDate``."""
        year = fiscal_year_of(day)
        try:
            return self._load(year)
        except RuleBookError:
            raise NoRuleBookForDate(year, day) from None
