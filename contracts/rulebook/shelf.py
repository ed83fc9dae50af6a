"""The rule books a service decides with: one per fiscal year, each read once.

Intake, programs and every other service that applies ministry rules look a
rule book up by the date of the decision (or by the fiscal year a request
names). The shelf reads a year's file on first use and keeps it; a year
without a file is refused with :class:`NoRuleBookForDate`, which the services'
HTTP layers answer with 422.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path

from contracts.rulebook.fiscal_year import fiscal_year_of
from contracts.rulebook.loader import DATA_DIRECTORY, RuleBookError, load_rulebook
from contracts.rulebook.model import RuleBook


class NoRuleBookForDate(LookupError):
    """No rule book is kept for the fiscal year a decision falls in."""

    def __init__(self, fiscal_year: str, day: date) -> None:
        self.fiscal_year, self.day = fiscal_year, day
        super().__init__(f"no rule book is kept for fiscal year {fiscal_year} (the date {day})")


class RuleBookShelf:
    """Finds the rule book of the fiscal year a decision date (or a year) names."""

    def __init__(
        self,
        directory: Path = DATA_DIRECTORY,
        *,
        load: Callable[[str, Path], RuleBook] = load_rulebook,
    ) -> None:
        self._load = cache(lambda year: load(year, directory))

    def for_day(self, day: date) -> RuleBook:
        """The rule book of ``day``'s fiscal year, or :class:`NoRuleBookForDate`."""
        return self.for_year(fiscal_year_of(day), day)

    def for_year(self, fiscal_year: str, day: date) -> RuleBook:
        """The rule book of ``fiscal_year`` (``day`` names the request in the refusal)."""
        try:
            return self._load(fiscal_year)
        except RuleBookError:
            raise NoRuleBookForDate(fiscal_year, day) from None
