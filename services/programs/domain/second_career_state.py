"""The parts of a Second Career application's state: its status and immutable values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from contracts.programs import DenialReason


class ApplicationStatus(StrEnum):
    """Where a Second Career application stands."""

    SUBMITTED = "submitted"
    APPROVED = "approved"
    DENIED = "denied"
    IN_TRAINING = "in-training"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


TRAINING_PROGRAM_KEY = "training-program"
"""Keys of an application's free texts, kept by programs and never published."""
OCCUPATION_KEY = "occupation"
EXPLANATION_KEY = "denial-explanation"

WITHDRAWABLE = frozenset(
    {ApplicationStatus.SUBMITTED, ApplicationStatus.APPROVED, ApplicationStatus.IN_TRAINING}
)


@dataclass(frozen=True)
class TrainingRequest:
    """What the application asks for, as submitted."""

    training_program: str
    occupation: str
    noc_code: str | None
    training_weeks: int
    academic_upgrading_weeks: int


@dataclass(frozen=True)
class Denial:
    """Why the application was denied."""

    reason: DenialReason
    explanation: str
    denied_on: date
