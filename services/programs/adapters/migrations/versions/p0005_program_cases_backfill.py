"""Programs: list rows for the cases saved before their kind was listed.

Second Career applications and SEB participations saved before ``p0004``,
and JCP projects created before projects were listed (and before ministry
decisions: they wait for one), get their ``program_cases`` row, rebuilt from
their stored events. Idempotent.

Revision ID: p0005
Revises: p0004
Create Date: 2026-12-03
"""

from alembic import op

from services.programs.adapters.program_cases_backfill import backfill_program_cases

revision = "p0005"
down_revision = "p0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    backfill_program_cases(op.get_bind())


def downgrade() -> None:
    """Nothing to undo: the rows go with ``program_cases`` when ``p0004`` is downgraded."""
