"""The rule books caseload's use cases read (follow-up windows), one per fiscal year, read once.

The same shape as intake's and programs' shelves (to become the one shelf in
``contracts.rulebook`` when the services' wiring is shared); the composition
root builds one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path

from contracts.rulebook import (
    DATA_DIRECTORY,
    RuleBook,
    RuleBookError,
    fiscal_year_of,
    load_rulebook,
)
from services.caseload.app.errors import NoRuleBookForDate


class RuleBookShelf:
    """Finds the rule book of the fiscal year a date falls in."""

    def __init__(
        self,
        directory: Path = DATA_DIRECTORY,
        *,
        load: Callable[[str, Path], RuleBook] = load_rulebook,
    ) -> None:
        self._load = cache(lambda year: load(year, directory))

    def for_day(self, day: date) -> RuleBook:
        """The rule book of ``day``'s fiscal year, or ``NoRuleBookForDate``."""
        year = fiscal_year_of(day)
        try:
            return self._load(year)
        except RuleBookError:
            raise NoRuleBookForDate(year, day) from None
