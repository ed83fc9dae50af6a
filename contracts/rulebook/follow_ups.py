"""The follow-ups part of a rule book: when a follow-up after exit may be recorded.

A checkpoint's follow-up is *due* its months after the exit date; its window
opens ``days_before_due`` days before that date and closes ``days_after_due``
days after it, both days included. Caseload reads the window of the rule book
of the fiscal year the plan closed in. The section is optional on
:class:`~contracts.rulebook.RuleBook`, like ``programs``: a jurisdiction
without follow-ups need not invent them, and caseload refuses to record one
without it.
"""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import Field, Strict, model_validator

from contracts.caseload import FollowUpCheckpoint
from contracts.rulebook.base import RuleBookPart


class FollowUpWindowRule(RuleBookPart):
    """The days around one checkpoint's due date on which its follow-up may be recorded."""

    days_before_due: int = Field(ge=0, le=366, description="How early a follow-up may be.")
    days_after_due: int = Field(ge=0, le=366, description="How late a follow-up may be.")


class FollowUpRules(RuleBookPart):
    """The window of every follow-up checkpoint (3, 6 and 12 months after exit)."""

    windows: dict[Annotated[FollowUpCheckpoint, Strict(False)], FollowUpWindowRule] = Field(
        description="By checkpoint, in months after exit."
    )

    @model_validator(mode="after")
    def _every_checkpoint(self) -> Self:
        missing = [str(int(c)) for c in FollowUpCheckpoint if c not in self.windows]
        if missing:
            raise ValueError(f"follow-up windows missing for checkpoint(s) {', '.join(missing)}")
        return self
