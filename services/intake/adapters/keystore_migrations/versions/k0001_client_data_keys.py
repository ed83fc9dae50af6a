"""Intake key store: each client's data key, wrapped by a versioned key-encryption key.

Revision ID: k0001
Revises:
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "k0001"
down_revision = None
branch_labels = ("intake_keystore",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "client_data_keys",
        sa.Column("client_id", sa.String(36), primary_key=True),
        sa.Column("wrapped_key", sa.LargeBinary, nullable=False),
        sa.Column("kek_version", sa.Integer, nullable=False, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("client_data_keys")
