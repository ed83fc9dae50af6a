"""The rule books use cases decide with, one per fiscal year, loaded once each."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache

from contracts.rulebook import RuleBook, RuleBookError, fiscal_year_of, load_rulebook
from services.programs.app.errors import NoRuleBookForDate


class RuleBookShelf:
    """Finds the rule book of the fiscal year a decision date (or a year) names."""

    def __init__(self, load: Callable[[str], RuleBook] = load_rulebook) -> None:
        self._load = cache(load)

    def for_day(self, day: date) -> RuleBook:
        """The rule book of ``day``'s fiscal year, or ``NoRuleBookForDate``."""
        year = fiscal_year_of(day)
        try:
            return self._load(year)
        except RuleBookError:
            raise NoRuleBookForDate(year, day) from None

    def for_year(self, fiscal_year: str, day: date) -> RuleBook:
        """The rule book of ``fiscal_year`` (``day`` names the request in the refusal)."""
        try:
            return self._load(fiscal_year)
        except RuleBookError:
            raise NoRuleBookForDate(fiscal_year, day) from None
