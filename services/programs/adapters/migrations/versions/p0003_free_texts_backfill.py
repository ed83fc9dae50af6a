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

from alembic import op

from chassis.eventstore.free_texts import backfill_from_events
from services.programs.adapters.old_version_texts import VERSION_1_TEXTS

revision = "p0003"
down_revision = "p0002"
branch_labels = None
depends_on = "c0004t"


def upgrade() -> None:
    backfill_from_events(op.get_bind(), VERSION_1_TEXTS)


def downgrade() -> None:
    """Nothing to undo: the texts stay in ``free_texts`` until ``c0004t`` is downgraded."""
