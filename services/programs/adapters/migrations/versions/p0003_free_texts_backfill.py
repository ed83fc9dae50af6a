"""Typed text of programs' version 1 events: into ``free_texts``.

Version 1 of ``SecondCareerApplicationSubmitted`` (training program,
occupation), ``SecondCareerApplicationDenied`` (explanation) and
``JcpProjectCreated`` (sponsor's name, title) carried the text as typed;
version 2 does not, and their upcasters drop it. The stored events are never
rewritten, so this copies their text into programs' ``free_texts`` table
(created by the chassis revision ``c0004t``), where the aggregates' read
side looks for it. Idempotent: keys already stored are kept.

Revision ID: p0003
Revises: p0002
Create Date: 2026-12-03
"""

from collections.abc import Mapping
from typing import Any

from alembic import op

from chassis.eventstore.free_texts import backfill_from_events
from services.programs.domain.jcp_project import SPONSOR_NAME_KEY, TITLE_KEY
from services.programs.domain.second_career_state import (
    EXPLANATION_KEY,
    OCCUPATION_KEY,
    TRAINING_PROGRAM_KEY,
)

revision = "p0003"
down_revision = "p0002"
branch_labels = None
depends_on = "c0004t"


def _training(payload: Mapping[str, Any]) -> dict[str, str]:
    return {
        TRAINING_PROGRAM_KEY: payload.get("training_program") or "",
        OCCUPATION_KEY: payload.get("occupation") or "",
    }


def _explanation(payload: Mapping[str, Any]) -> dict[str, str]:
    return {EXPLANATION_KEY: payload.get("explanation") or ""}


def _sponsor(payload: Mapping[str, Any]) -> dict[str, str]:
    return {
        SPONSOR_NAME_KEY: payload.get("sponsor_name") or "",
        TITLE_KEY: payload.get("title") or "",
    }


def upgrade() -> None:
    backfill_from_events(
        op.get_bind(),
        {
            ("programs.SecondCareerApplicationSubmitted", 1): _training,
            ("programs.SecondCareerApplicationDenied", 1): _explanation,
            ("programs.JcpProjectCreated", 1): _sponsor,
        },
    )


def downgrade() -> None:
    """Nothing to undo: the texts stay in ``free_texts`` until ``c0004t`` is downgraded."""
