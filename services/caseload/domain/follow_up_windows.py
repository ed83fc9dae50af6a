"""When each follow-up after exit may be recorded: rule-book data, read here.

A follow-up is *due* its checkpoint's months after the exit date (clamped to
the month's end: exit 31 Jan, 3-month follow-up due 30 Apr). Its window opens
some days before the due date and closes some days after it, both days
included; a follow-up not recorded by the window's close is missed (a
compliance flag). How many days is the rule book's ``follow_ups`` section
(``contracts/rulebook/data/<fiscal year>.yaml``, provisionally 14 before and
28 after for every checkpoint); a plan uses the book of the fiscal year it
closed in (:func:`follow_up_windows`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType

from contracts.caseload import FollowUpCheckpoint
from contracts.rulebook import RuleBook
from services.caseload.domain.dates import add_months
from services.caseload.domain.errors import NoFollowUpRules


@dataclass(frozen=True)
class FollowUpWindow:
    """The days around a checkpoint's due date on which its follow-up may be recorded."""

    checkpoint: FollowUpCheckpoint
    days_before_due: int
    days_after_due: int

    def due(self, exit_date: date) -> date:
        """The checkpoint's due date for a plan exited on ``exit_date``."""
        return add_months(exit_date, self.checkpoint.months)

    def opens(self, exit_date: date) -> date:
        """First day a follow-up may be recorded."""
        return self.due(exit_date) - timedelta(days=self.days_before_due)

    def closes(self, exit_date: date) -> date:
        """Last day a follow-up may be recorded."""
        return self.due(exit_date) + timedelta(days=self.days_after_due)

    def contains(self, exit_date: date, on: date) -> bool:
        """Whether a follow-up on ``on`` falls inside the window."""
        return self.opens(exit_date) <= on <= self.closes(exit_date)


FollowUpWindows = Mapping[FollowUpCheckpoint, FollowUpWindow]


def follow_up_windows(rulebook: RuleBook) -> FollowUpWindows:
    """Every checkpoint's window as ``rulebook`` sets it (``NoFollowUpRules`` without)."""
    if rulebook.follow_ups is None:
        raise NoFollowUpRules(rulebook.fiscal_year)
    return MappingProxyType(
        {
            checkpoint: FollowUpWindow(checkpoint, rule.days_before_due, rule.days_after_due)
            for checkpoint, rule in rulebook.follow_ups.windows.items()
        }
    )
