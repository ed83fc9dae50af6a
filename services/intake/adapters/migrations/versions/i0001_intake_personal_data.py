"""Intake: per-client keys, encrypted personal details, client directory.

Revision ID: i0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "i0001"
down_revision = None
branch_labels = ("intake",)
depends_on = "c0002"


def upgrade() -> None:
    op.create_table(
        "client_keys",
        sa.Column("client_id", sa.String(36), primary_key=True),
        sa.Column("wrapped_key", sa.LargeBinary, nullable=False),
        sa.Column("key_version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "client_personal_details",
        sa.Column("client_id", sa.String(36), primary_key=True),
        sa.Column("nonce", sa.LargeBinary, nullable=False),
        sa.Column("ciphertext", sa.LargeBinary, nullable=False),
        sa.Column("key_version", sa.Integer, nullable=False),
    )
    op.create_table(
        "client_directory",
        sa.Column("client_id", sa.String(36), primary_key=True),
        sa.Column("site_id", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("client_directory")
    op.drop_table("client_personal_details")
    op.drop_table("client_keys")
