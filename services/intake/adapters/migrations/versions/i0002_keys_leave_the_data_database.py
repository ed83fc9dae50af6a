"""Intake: client data keys leave the data database for the key store.

The per-client keys now live in intake's key store, a database of its own
(see ``services/intake/adapters/key_store.py``), so that no backup of the data
database holds a key. This revision changes no table: the old ``client_keys``
table cannot be emptied here (the key store is another database, and its
rows must be unwrapped with the master key, which a migration does not
hold). Intake's start step
(:func:`services.intake.adapters.legacy_keys.move_legacy_keys`) copies its
keys into the key store and then drops it, so no client's details are lost.

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
    """Nothing here: intake's start step moves the keys, then drops ``client_keys``."""


def downgrade() -> None:
    """Recreate an empty ``client_keys`` if the start step dropped it (keys stay in the store)."""
    if not sa.inspect(op.get_bind()).has_table("client_keys"):
        op.create_table(
            "client_keys",
            sa.Column("client_id", sa.String(36), primary_key=True),
            sa.Column("wrapped_key", sa.LargeBinary, nullable=False),
            sa.Column("key_version", sa.Integer, nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        )
