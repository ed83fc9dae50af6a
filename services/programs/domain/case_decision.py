"""The ministry's decision on a JCP project or an SEB case: approved, or denied with a reason.

Second Career applications, JCP projects and SEB cases are prepared and
submitted by a site and decided by the ministry (the region's Employment and
Training Consultant; who may decide is the entrypoints' check). A case is
decided once; a denial carries a reason code and an explanation in words, the
explanation kept by programs beside the event, never on the bus.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from contracts.programs import DenialReason
from services.programs.domain import errors
from services.programs.domain.dates import require_not_in_future
from services.programs.domain.second_career_state import Denial

EXPLANATION_KEY = "denial-explanation"
"""Key of a denial's explanation among the aggregate's free texts."""


@dataclass(frozen=True)
class Decision:
    """Approved on a day, or denied (with its reason); exactly one of the two."""

    approved_on: date | None = None
    denial: Denial | None = None

    @property
    def status(self) -> Literal["approved", "denied"]:
        """``approved`` or ``denied``."""
        return "approved" if self.denial is None else "denied"


def denied(reason: DenialReason, explanation: str | None, denied_on: date) -> Decision:
    """The decision a denial event records, with the explanation programs kept."""
    return Decision(denial=Denial(reason, explanation or "", denied_on))


def require_undecided(decision: Decision | None, subject: str, action: str) -> None:
    """Refuse a second decision (409 ``invalid-transition``)."""
    if decision is not None:
        raise errors.InvalidTransition(subject, decision.status, action)


def denial_explanation(explanation: str, denied_on: date, today: date) -> str:
    """The explanation as recorded: something besides blanks, the denial not in the future."""
    if not explanation.strip():
        raise errors.ExplanationRequired()
    require_not_in_future("the denial date", denied_on, today)
    return explanation.strip()
