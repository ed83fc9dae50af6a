"""Intake: client data keys leave the data database for the key store.

The per-client keys now live in intake's key store, a database of its own
(see ``services/intake/adapters/key_store.py``), so that no backup of the data
database holds a key. The old table is dropped: keys it held (development
data only, before this revision) are gone, which reads as erased details.

Revision ID: i0002_keys
Revises: i0001
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "i0002_keys"
down_revision = "i0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table("client_keys")


def downgrade() -> None:
    op.create_table(
        "client_keys",
        sa.Column("client_id", sa.String(36), primary_key=True),
        sa.Column("wrapped_key", sa.LargeBinary, nullable=False),
        sa.Column("key_version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
