"""The rule books use cases decide with, one per fiscal year, loaded once each."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache

from contracts.rulebook import RuleBook, RuleBookError, fiscal_year_of, load_rulebook
from services.intake.app.errors import NoRuleBookForDate


class RuleBookShelf:
    """Finds the rule book of the fiscal year a decision date falls in."""

    def __init__(self, load: Callable[[str], RuleBook] = load_rulebook) -> None:
        self._load = cache(load)

    def for_day(self, day: date) -> RuleBook:
        """The rule book of ``day``'s fiscal year, or NoRuleBookForDate."""
        year = fiscal_year_of(day)
        try:
            return self._load(year)
        except RuleBookError:
            raise NoRuleBookForDate(
                f"no rule book is kept for fiscal year {year} (the date {day})"
            ) from None
