"""Goals and sub-goals of plans opened before version 2 of the events: into ``free_texts``.

Version 1 of ``ServicePlanOpened`` and ``PlanItemAdded`` carried the text a
caseworker typed; version 2 does not, and their upcasters drop it. The stored
events are never rewritten, so this copies their text into caseload's
``free_texts`` table (created by the chassis revision ``c0004t``), where the
plan's read side looks for it. Idempotent: keys already stored are kept.

Revision ID: k0002
Revises: k0001
Create Date: 2026-12-03
"""

from alembic import op

from chassis.eventstore.free_texts import backfill_from_events
from services.caseload.adapters.old_version_texts import VERSION_1_TEXTS

revision = "k0002"
down_revision = "k0001"
branch_labels = None
depends_on = "c0004t"


def upgrade() -> None:
    backfill_from_events(op.get_bind(), VERSION_1_TEXTS)


def downgrade() -> None:
    """Nothing to undo: the texts stay in ``free_texts`` until ``c0004t`` is downgraded."""
