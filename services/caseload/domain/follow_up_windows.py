"""When each follow-up after exit may be recorded.

A follow-up is *due* its checkpoint's months after the exit date (clamped to
the month's end: exit 31 Jan, 3-month follow-up due 30 Apr). The default
window, the same for the 3-, 6- and 12-month checkpoints, opens **14 days
before** the due date and closes **28 days after** it, both days included:
caseworkers may call a little early and have four weeks' grace. A follow-up
not recorded by the window's close is missed (a compliance flag).

The window is *provisional* data: when the rule book carries it, the use case
passes that book's windows instead of :data:`DEFAULT_FOLLOW_UP_WINDOWS`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType

from contracts.caseload import FollowUpCheckpoint
from services.caseload.domain.dates import add_months


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

DEFAULT_FOLLOW_UP_WINDOWS: FollowUpWindows = MappingProxyType(
    {
        checkpoint: FollowUpWindow(checkpoint, days_before_due=14, days_after_due=28)
        for checkpoint in FollowUpCheckpoint
    }
)
"""Provisional windows: due date -14 days to +28 days for every checkpoint."""
